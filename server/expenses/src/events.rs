//! The events the expenses service writes into its outbox. Payloads are the shared types of
//! `expense_api::events` (documented, with JSON Schemas, in `docs/events/`).

use expense_api::events::{
    BUDGET_DELETED, BUDGET_UPDATED, BudgetDeletedEvent, BudgetSnapshot, BudgetUpdatedEvent, CATEGORY_MERGED,
    CATEGORY_RENAMED, CategoryMovedEvent, EXPENSE_CREATED, EXPENSE_DELETED, EXPENSE_UPDATED, ExpenseEvent,
    ExpenseUpdatedEvent, RATE_DELETED, RATES_PER_EVENT, RATES_RECORDED, RateDeletedEvent, RatesRecordedEvent,
};
use expense_api::money::Currency;
use serde::Serialize;
use time::Date;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::format_date;
use crate::rates::RateRecord;
use crate::repository::{BudgetRecord, ExpenseRecord, OutboxEvent};

/// An event that happened `at` (by the service's clock).
fn event(user_id: Uuid, event_type: &str, payload: impl Serialize, at: OffsetDateTime) -> OutboxEvent {
    with_payload(
        user_id,
        event_type,
        serde_json::to_string(&payload).expect("event payloads serialise"),
        at,
    )
}

fn with_payload(user_id: Uuid, event_type: &str, payload: String, at: OffsetDateTime) -> OutboxEvent {
    OutboxEvent {
        id: Uuid::now_v7(),
        user_id,
        event_type: event_type.to_owned(),
        payload,
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

/// [`expense_created`] for a record whose wire form is already serialised (the create's answer):
/// the payload is written around it rather than serialised a second time.
pub fn expense_created_from_json(record: &ExpenseRecord, expense_json: &[u8]) -> OutboxEvent {
    let expense = std::str::from_utf8(expense_json).expect("serde_json writes UTF-8");
    with_payload(
        record.user_id,
        EXPENSE_CREATED,
        format!("{{\"expense\":{expense}}}"),
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
        convert: budget.convert,
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

/// `rates.recorded` for `rates` of one user, at most [`RATES_PER_EVENT`] in each event.
pub fn rates_recorded(user_id: Uuid, rates: &[RateRecord], at: OffsetDateTime) -> Vec<OutboxEvent> {
    rates
        .chunks(RATES_PER_EVENT)
        .map(|chunk| {
            event(
                user_id,
                RATES_RECORDED,
                RatesRecordedEvent {
                    rates: chunk.iter().map(RateRecord::to_api).collect(),
                },
                at,
            )
        })
        .collect()
}

pub fn rate_deleted(
    user_id: Uuid,
    (from, to, on): (Currency, Currency, Date),
    at: OffsetDateTime,
) -> OutboxEvent {
    event(
        user_id,
        RATE_DELETED,
        RateDeletedEvent {
            from: from.code().to_owned(),
            to: to.code().to_owned(),
            on: format_date(on),
        },
        at,
    )
}

#[cfg(test)]
mod tests {
    use expense_api::money::Money;
    use time::macros::{date, datetime};

    use super::*;
    use crate::domain::ExpenseFields;

    /// The create's shortcut writes the same event as serialising it afresh.
    #[test]
    fn an_event_around_the_answer_is_the_event() {
        let record = ExpenseRecord {
            id: Uuid::now_v7(),
            user_id: Uuid::now_v7(),
            fields: ExpenseFields {
                money: Money::parse("12.50", "EUR".parse().unwrap()).unwrap(),
                category: "groceries".into(),
                note: Some("a \"quoted\" note\nwith a newline".into()),
                merchant: None,
                spent_on: date!(2026 - 11 - 26),
                tags: vec!["food".into()],
            },
            created_at: datetime!(2026-11-26 12:00 UTC),
            updated_at: datetime!(2026-11-26 12:00 UTC),
            version: 1,
            recurring_id: None,
        };
        let answer = serde_json::to_vec(&record.to_api()).unwrap();
        let shortcut = expense_created_from_json(&record, &answer);
        let afresh = expense_created(&record);
        let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert_eq!(parse(&shortcut.payload), parse(&afresh.payload));
        assert_eq!(
            (shortcut.event_type, shortcut.user_id, shortcut.created_at),
            (afresh.event_type, afresh.user_id, afresh.created_at)
        );
    }
}
