//! The events the expenses service writes into its outbox, and their payloads
//! (documented in `docs/events/`).

use expense_api::expenses::Expense;
use expense_kit::clock;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::repository::{BudgetRecord, ExpenseRecord, OutboxEvent};

pub const EXPENSE_CREATED: &str = "expense.created";
pub const EXPENSE_UPDATED: &str = "expense.updated";
pub const EXPENSE_DELETED: &str = "expense.deleted";
pub const BUDGET_UPDATED: &str = "budget.updated";
pub const BUDGET_DELETED: &str = "budget.deleted";
pub const CATEGORY_RENAMED: &str = "category.renamed";
pub const CATEGORY_MERGED: &str = "category.merged";

fn event(user_id: Uuid, event_type: &str, payload: Value) -> OutboxEvent {
    OutboxEvent {
        id: Uuid::now_v7(),
        user_id,
        event_type: event_type.to_owned(),
        payload,
        created_at: clock::now(),
    }
}

fn expense_json(expense: &Expense) -> Value {
    serde_json::to_value(expense).expect("expenses serialise")
}

pub fn expense_created(record: &ExpenseRecord) -> OutboxEvent {
    event(
        record.user_id,
        EXPENSE_CREATED,
        json!({ "expense": expense_json(&record.to_api()) }),
    )
}

pub fn expense_updated(previous: &ExpenseRecord, current: &ExpenseRecord) -> OutboxEvent {
    event(
        current.user_id,
        EXPENSE_UPDATED,
        json!({ "expense": expense_json(&current.to_api()), "previous": expense_json(&previous.to_api()) }),
    )
}

pub fn expense_deleted(record: &ExpenseRecord) -> OutboxEvent {
    event(
        record.user_id,
        EXPENSE_DELETED,
        json!({ "expense": expense_json(&record.to_api()) }),
    )
}

pub fn budget_updated(budget: &BudgetRecord) -> OutboxEvent {
    event(
        budget.user_id,
        BUDGET_UPDATED,
        json!({ "budget": {
            "category": budget.category,
            "amount": budget.amount.amount(),
            "currency": budget.amount.currency().code(),
            "period": budget.period,
            "starts_on_day": budget.starts_on_day,
        }}),
    )
}

pub fn budget_deleted(user_id: Uuid, category: &str) -> OutboxEvent {
    event(user_id, BUDGET_DELETED, json!({ "category": category }))
}

pub fn category_moved(user_id: Uuid, merged: bool, from: &str, to: &str) -> OutboxEvent {
    let kind = if merged { CATEGORY_MERGED } else { CATEGORY_RENAMED };
    event(user_id, kind, json!({ "from": from, "to": to }))
}
