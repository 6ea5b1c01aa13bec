//! The events the expenses service writes into its outbox. Payloads are the shared types of
//! `expense_api::events` (documented, with JSON Schemas, in `docs/events/`).

use expense_api::events::{
    BUDGET_DELETED, BUDGET_UPDATED, BudgetDeletedEvent, BudgetSnapshot, BudgetUpdatedEvent, CATEGORY_MERGED,
    CATEGORY_RENAMED, CategoryMovedEvent, EXPENSE_CREATED, EXPENSE_DELETED, EXPENSE_UPDATED, ExpenseEvent,
    ExpenseUpdatedEvent,
};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::repository::{BudgetRecord, ExpenseRecord, OutboxEvent};

/// An event that happened `at` (by the service's clock).
fn event(user_id: Uuid, event_type: &str, payload: impl Serialize, at: OffsetDateTime) -> OutboxEvent {
    OutboxEvent {
        id: Uuid::now_v7(),
        user_id,
        event_type: event_type.to_owned(),
        payload: serde_json::to_value(payload).expect("event payloads serialise"),
        created_at: at,
    }
}

pub fn expense_created(record: &ExpenseRecord) -> OutboxEvent {
    event(
        record.user_id,
        EXPENSE_CREATED,
        ExpenseEvent {
            expense: record.to_api(),
        },
        record.created_at,
    )
}

pub fn expense_updated(previous: &ExpenseRecord, current: &ExpenseRecord) -> OutboxEvent {
    event(
        current.user_id,
        EXPENSE_UPDATED,
        ExpenseUpdatedEvent {
            expense: current.to_api(),
            previous: previous.to_api(),
        },
        current.updated_at,
    )
}

pub fn expense_deleted(record: &ExpenseRecord, at: OffsetDateTime) -> OutboxEvent {
    event(
        record.user_id,
        EXPENSE_DELETED,
        ExpenseEvent {
            expense: record.to_api(),
        },
        at,
    )
}

pub fn budget_updated(budget: &BudgetRecord) -> OutboxEvent {
    let snapshot = BudgetSnapshot {
        category: budget.category.clone(),
        amount: budget.amount.amount(),
        currency: budget.amount.currency().code().to_owned(),
        period: budget.period.clone(),
        starts_on_day: budget.starts_on_day,
    };
    event(
        budget.user_id,
        BUDGET_UPDATED,
        BudgetUpdatedEvent { budget: snapshot },
        budget.updated_at,
    )
}

pub fn budget_deleted(user_id: Uuid, category: &str, at: OffsetDateTime) -> OutboxEvent {
    event(
        user_id,
        BUDGET_DELETED,
        BudgetDeletedEvent {
            category: category.to_owned(),
        },
        at,
    )
}

pub fn category_moved(user_id: Uuid, merged: bool, from: &str, to: &str, at: OffsetDateTime) -> OutboxEvent {
    let kind = if merged { CATEGORY_MERGED } else { CATEGORY_RENAMED };
    event(
        user_id,
        kind,
        CategoryMovedEvent {
            from: from.to_owned(),
            to: to.to_owned(),
        },
        at,
    )
}
