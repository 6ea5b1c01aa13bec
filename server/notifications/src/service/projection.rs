//! The copy of expenses, budgets and exchange rates this service keeps, from the events that
//! describe them; and,
//! on `account.deleted`, the erasure of everything the service holds of the user.

use expense_api::conversion::{Rate, StoredRate};
use expense_api::events::{
    ACCOUNT_DELETED, BUDGET_DELETED, BUDGET_UPDATED, BudgetDeletedEvent, BudgetUpdatedEvent, CATEGORY_MERGED,
    CATEGORY_RENAMED, CategoryMovedEvent, EXPENSE_CREATED, EXPENSE_DELETED, EXPENSE_UPDATED, ExpenseEvent,
    ExpenseUpdatedEvent, RATE_DELETED, RATES_RECORDED, RateDeletedEvent, RatesRecordedEvent,
};
use expense_api::expenses::Expense;
use expense_api::money::{Currency, Money};
use expense_kit::events::Event;
use time::Date;

use crate::repository::{BudgetCopy, ExpenseCopy, ProjectionChange};

/// The copy change an event asks for.
pub(super) fn projection_change(event: &Event) -> Result<ProjectionChange, String> {
    let data = event.data.clone();
    let day = |text: &str| -> Result<Date, String> {
        Date::parse(text, time::macros::format_description!("[year]-[month]-[day]"))
            .map_err(|e| e.to_string())
    };
    let copy = |expense: &Expense| -> Result<ExpenseCopy, String> {
        let currency: Currency = expense.currency.parse()?;
        Ok(ExpenseCopy {
            id: expense.id,
            user_id: event.user_id,
            amount: Money::parse(&expense.amount, currency)?,
            category: expense.category.clone(),
            spent_on: day(&expense.spent_on)?,
            version: expense.version,
        })
    };
    let read = |e: serde_json::Error| e.to_string();
    Ok(match event.kind.as_str() {
        EXPENSE_CREATED => ProjectionChange::UpsertExpense(copy(
            &serde_json::from_value::<ExpenseEvent>(data)
                .map_err(read)?
                .expense,
        )?),
        EXPENSE_UPDATED => ProjectionChange::UpsertExpense(copy(
            &serde_json::from_value::<ExpenseUpdatedEvent>(data)
                .map_err(read)?
                .expense,
        )?),
        EXPENSE_DELETED => {
            let expense = serde_json::from_value::<ExpenseEvent>(data)
                .map_err(read)?
                .expense;
            ProjectionChange::DeleteExpense {
                user_id: event.user_id,
                id: expense.id,
                version: expense.version,
            }
        }
        BUDGET_UPDATED => {
            let budget = serde_json::from_value::<BudgetUpdatedEvent>(data)
                .map_err(read)?
                .budget;
            let currency: Currency = budget.currency.parse()?;
            ProjectionChange::UpsertBudget(BudgetCopy {
                user_id: event.user_id,
                category: budget.category,
                amount: Money::parse(&budget.amount, currency)?,
                starts_on_day: budget.starts_on_day,
                convert: budget.convert,
            })
        }
        BUDGET_DELETED => ProjectionChange::DeleteBudget {
            user_id: event.user_id,
            category: serde_json::from_value::<BudgetDeletedEvent>(data)
                .map_err(read)?
                .category,
        },
        CATEGORY_RENAMED | CATEGORY_MERGED => {
            let moved = serde_json::from_value::<CategoryMovedEvent>(data).map_err(read)?;
            ProjectionChange::MoveCategory {
                user_id: event.user_id,
                from: moved.from,
                to: moved.to,
                merge: event.kind == CATEGORY_MERGED,
            }
        }
        RATES_RECORDED => {
            let recorded = serde_json::from_value::<RatesRecordedEvent>(data).map_err(read)?;
            let rates = recorded
                .rates
                .iter()
                .map(|rate| {
                    Ok(StoredRate {
                        from: rate.from.parse()?,
                        to: rate.to.parse()?,
                        on: day(&rate.on)?,
                        rate: Rate::parse(&rate.rate)?,
                    })
                })
                .collect::<Result<_, String>>()?;
            ProjectionChange::PutRates {
                user_id: event.user_id,
                rates,
                at: event.occurred_at,
            }
        }
        RATE_DELETED => {
            let deleted = serde_json::from_value::<RateDeletedEvent>(data).map_err(read)?;
            ProjectionChange::DeleteRate {
                user_id: event.user_id,
                from: deleted.from.parse()?,
                to: deleted.to.parse()?,
                on: day(&deleted.on)?,
                at: event.occurred_at,
            }
        }
        ACCOUNT_DELETED => ProjectionChange::EraseUser {
            user_id: event.user_id,
        },
        _ => ProjectionChange::Nothing,
    })
}
