//! Budgets: set, list and remove them, and each one's spending in its current period (aligned
//! to its `starts_on_day`, by the service's clock). A budget counts the expenses in its own
//! currency, or, set to `convert`, every expense converted into it with the rates of their days
//! (`crate::rates`): a budget in a home currency.

use expense_api::expenses::{Budget, BudgetInput, MissingRate, TOTAL_BUDGET};
use expense_api::money::{Currency, Money};
use num_bigint::BigInt;
use time::Date;
use uuid::Uuid;

use super::ExpenseService;
use crate::budget::monthly_period;
use crate::domain::{self, Errors, format_date, parse_category};
use crate::error::ExpenseError;
use crate::events;
use crate::repository::{BudgetRecord, GroupBy};
use expense_api::conversion;

impl ExpenseService {
    /// Creates or replaces a budget; `true` when created.
    pub async fn put_budget(
        &self,
        user_id: Uuid,
        category: &str,
        input: BudgetInput,
    ) -> Result<(Budget, bool), ExpenseError> {
        let mut errors = Errors::new("");
        let category = if category == TOTAL_BUDGET {
            Some(TOTAL_BUDGET.to_owned())
        } else {
            errors.check("category", parse_category(category))
        };
        let currency = errors.check("currency", domain::parse_currency(&input.currency));
        let amount = currency.and_then(|c| {
            errors.check(
                "amount",
                Money::parse(&input.amount.0, c).and_then(|m| {
                    if m.minor() > 0 {
                        Ok(m)
                    } else {
                        Err("must be positive".to_owned())
                    }
                }),
            )
        });
        if input.period != "monthly" {
            errors.add("period", "only `monthly` budgets exist");
        }
        if !(1..=28).contains(&input.starts_on_day) {
            errors.add("starts_on_day", "must be between 1 and 28");
        }
        let (Some(category), Some(amount)) = (category, amount) else {
            return Err(ExpenseError::Validation(errors.list));
        };
        if !errors.list.is_empty() {
            return Err(ExpenseError::Validation(errors.list));
        }
        let now = self.clock.now();
        let record = BudgetRecord {
            user_id,
            category,
            amount,
            period: input.period,
            starts_on_day: input.starts_on_day,
            convert: input.convert,
            created_at: now,
            updated_at: now,
        };
        let created = self
            .store
            .put_budget(&record, &events::budget_updated(&record))
            .await?;
        self.outbox_wake.notify_one();
        Ok((self.budget_view(&record, self.clock.today()).await?, created))
    }

    /// Every budget of the caller with its current period's spending.
    pub async fn budgets(&self, user_id: Uuid) -> Result<Vec<Budget>, ExpenseError> {
        let today = self.clock.today();
        let mut views = Vec::new();
        for record in self.store.budgets(user_id).await? {
            views.push(self.budget_view(&record, today).await?);
        }
        Ok(views)
    }

    pub async fn delete_budget(&self, user_id: Uuid, category: &str) -> Result<(), ExpenseError> {
        let category = if category == TOTAL_BUDGET {
            TOTAL_BUDGET.to_owned()
        } else {
            parse_category(category).map_err(|_| ExpenseError::NotFound("budget"))?
        };
        if !self
            .store
            .delete_budget(
                user_id,
                &category,
                &events::budget_deleted(user_id, &category, self.clock.now()),
            )
            .await?
        {
            return Err(ExpenseError::NotFound("budget"));
        }
        self.outbox_wake.notify_one();
        Ok(())
    }

    async fn budget_view(&self, record: &BudgetRecord, today: Date) -> Result<Budget, ExpenseError> {
        let (start, end) = monthly_period(today, record.starts_on_day);
        let category = (record.category != TOTAL_BUDGET).then_some(record.category.as_str());
        let currency = record.amount.currency();
        let (spent, other_currency_count, missing_rates) = if record.convert {
            self.converted_spending(record.user_id, category, currency, (start, end))
                .await?
        } else {
            let spending = self.store.spent(record.user_id, category, start, end).await?;
            let spent = spending
                .iter()
                .find(|s| s.currency == currency.code())
                .map_or(0, |s| s.total_minor);
            let other_currency_count = spending
                .iter()
                .filter(|s| s.currency != currency.code())
                .map(|s| s.count)
                .sum();
            (BigInt::from(spent), other_currency_count, Vec::new())
        };
        let budget = BigInt::from(record.amount.minor());
        let percent_used = i64::try_from(&spent * 100 / &budget).unwrap_or(i64::MAX);
        Ok(Budget {
            category: record.category.clone(),
            amount: record.amount.amount(),
            currency: currency.code().to_owned(),
            period: record.period.clone(),
            starts_on_day: record.starts_on_day,
            period_start: format_date(start),
            period_end: format_date(end),
            convert: record.convert,
            spent: conversion::format_exact(&spent, currency.exponent()),
            remaining: conversion::format_exact(&(budget - &spent), currency.exponent()),
            percent_used,
            other_currency_count,
            missing_rates,
            updated_at: record.updated_at,
        })
    }

    /// A converting budget's spending in its period: every expense of the category (or all),
    /// converted into `currency` as a summary `in` it would (docs/money.md); the expenses no
    /// stored rate converts are counted apart, with the rates that would count them.
    async fn converted_spending(
        &self,
        user_id: Uuid,
        category: Option<&str>,
        currency: Currency,
        period: (Date, Date),
    ) -> Result<(BigInt, i64, Vec<MissingRate>), ExpenseError> {
        let mut rows = self
            .store
            .summary_by_day(user_id, GroupBy::Category, period.0, period.1)
            .await?;
        if let Some(category) = category {
            rows.retain(|row| row.key == category);
        }
        let converted = self.convert_what_can_be(user_id, currency, &rows, period).await?;
        let missing = converted
            .missing
            .iter()
            .map(|gap| MissingRate {
                currency: gap.currency.clone(),
                first_day: format_date(gap.first_day),
                days: gap.days as u64,
            })
            .collect();
        Ok((converted.total_minor, converted.unconverted, missing))
    }
}
