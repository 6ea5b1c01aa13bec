//! The summary: totals per group (category, month or day) and per currency over a period;
//! amounts in different currencies are never added. Asked `in` a currency, it also converts
//! every group's total into it, each day's amounts with that day's rate (`crate::rates`).

use expense_api::expenses::{CurrencyTotal, Summary, SummaryGroup, SummaryQuery};
use expense_api::money::format_minor;
use time::Date;
use uuid::Uuid;

use super::ExpenseService;
use crate::budget::monthly_period;
use crate::domain::{Errors, format_date, parse_currency, parse_date};
use crate::error::ExpenseError;
use crate::repository::{DaySummaryRow, GroupBy, SummaryRow};

impl ExpenseService {
    /// Totals per group and currency over a period (by default, the current calendar month).
    pub async fn summary(&self, user_id: Uuid, query: &SummaryQuery) -> Result<Summary, ExpenseError> {
        let mut errors = Errors::new("");
        let group_by = match query.group_by.as_deref().unwrap_or("category") {
            "category" => Some(GroupBy::Category),
            "month" => Some(GroupBy::Month),
            "day" => Some(GroupBy::Day),
            _ => {
                errors.add("group_by", "must be category, month or day");
                None
            }
        };
        let (month_start, month_end) = monthly_period(self.clock.today(), 1);
        let from = match &query.from {
            Some(from) => errors.check("from", parse_date(from)),
            None => Some(month_start),
        };
        let to = match &query.to {
            Some(to) => errors.check("to", parse_date(to)),
            None => Some(month_end),
        };
        errors.in_order(from, to);
        let target = query
            .in_currency
            .as_deref()
            .and_then(|code| errors.check("in", parse_currency(code)));
        let (Some(group_by), Some(from), Some(to)) = (group_by, from, to) else {
            return Err(ExpenseError::Validation(errors.list));
        };
        if !errors.list.is_empty() {
            return Err(ExpenseError::Validation(errors.list));
        }
        let Some(target) = target else {
            let rows = self.store.summary(user_id, group_by, from, to).await?;
            return Ok(summary_of(query, (from, to), &rows));
        };
        let day_rows = self.store.summary_by_day(user_id, group_by, from, to).await?;
        let converted = self
            .convert_totals(user_id, target, &day_rows, (from, to))
            .await?;
        let mut summary = summary_of(query, (from, to), &per_currency(&day_rows));
        for (group, (key, amount)) in summary.groups.iter_mut().zip(converted.groups) {
            debug_assert_eq!(group.key, key);
            group.converted = Some(amount);
        }
        summary.conversion = Some(converted.conversion);
        Ok(summary)
    }
}

/// Day rows added up per group and currency, as [`SummaryRow`]s (both are ordered by key, then
/// currency).
fn per_currency(rows: &[DaySummaryRow]) -> Vec<SummaryRow> {
    let mut totals: Vec<SummaryRow> = Vec::new();
    for row in rows {
        match totals.last_mut() {
            Some(last) if last.key == row.key && last.currency == row.currency => {
                last.total_minor += row.total_minor;
                last.count += row.count;
            }
            _ => totals.push(SummaryRow {
                key: row.key.clone(),
                currency: row.currency.clone(),
                exponent: row.exponent,
                total_minor: row.total_minor,
                count: row.count,
            }),
        }
    }
    totals
}

/// The summary of `rows` (per group and currency, ordered by key then currency) over a period.
fn summary_of(query: &SummaryQuery, (from, to): (Date, Date), rows: &[SummaryRow]) -> Summary {
    let mut groups: Vec<SummaryGroup> = Vec::new();
    let mut totals: Vec<(String, u8, i64, i64)> = Vec::new();
    for row in rows {
        let total = CurrencyTotal {
            currency: row.currency.clone(),
            amount: row.amount(),
            count: row.count,
        };
        match groups.last_mut() {
            Some(group) if group.key == row.key => {
                group.count += row.count;
                group.totals.push(total);
            }
            _ => groups.push(SummaryGroup {
                key: row.key.clone(),
                totals: vec![total],
                count: row.count,
                converted: None,
            }),
        }
        match totals.iter_mut().find(|(currency, ..)| *currency == row.currency) {
            Some((_, _, sum, count)) => {
                *sum += row.total_minor;
                *count += row.count;
            }
            None => totals.push((row.currency.clone(), row.exponent, row.total_minor, row.count)),
        }
    }
    totals.sort_by(|a, b| a.0.cmp(&b.0));
    Summary {
        group_by: query.group_by.clone().unwrap_or_else(|| "category".to_owned()),
        from: format_date(from),
        to: format_date(to),
        count: groups.iter().map(|g| g.count).sum(),
        groups,
        totals: totals
            .into_iter()
            .map(|(currency, exponent, sum, count)| CurrencyTotal {
                currency,
                amount: format_minor(sum, exponent),
                count,
            })
            .collect(),
        conversion: None,
    }
}
