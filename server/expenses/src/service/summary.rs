//! The summary: totals per group (category, month or day) and per currency over a period;
//! amounts in different currencies are never added.

use expense_api::expenses::{CurrencyTotal, Summary, SummaryGroup};
use expense_api::money::format_minor;
use serde::Deserialize;
use uuid::Uuid;

use super::ExpenseService;
use crate::budget::monthly_period;
use crate::domain::{Errors, format_date, parse_date};
use crate::error::ExpenseError;
use crate::repository::GroupBy;

/// The raw query parameters of the summary.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// `category` (default), `month` or `day`.
    #[param(pattern = "^(category|month|day)$")]
    pub group_by: Option<String>,
    /// First day (default: the first of the current month, UTC).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Last day (default: the last of the current month, UTC).
    #[param(format = Date)]
    pub to: Option<String>,
}

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
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            errors.add("to", "must not be before `from`");
        }
        let (Some(group_by), Some(from), Some(to)) = (group_by, from, to) else {
            return Err(ExpenseError::Validation(errors.list));
        };
        if !errors.list.is_empty() {
            return Err(ExpenseError::Validation(errors.list));
        }
        let rows = self.store.summary(user_id, group_by, from, to).await?;
        let mut groups: Vec<SummaryGroup> = Vec::new();
        let mut totals: Vec<(String, u8, i64, i64)> = Vec::new();
        for row in &rows {
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
        Ok(Summary {
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
        })
    }
}
