//! Events published by the services: the envelope and each type's payload.
//!
//! The producer serialises these types and the consumers deserialise them, so the two cannot
//! disagree; the JSON Schemas under `docs/events/` are generated from them and checked by a test.
//! Delivery is at least once: consumers are idempotent by [`EventEnvelope::id`].

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::expenses::Expense;
use crate::rates::Rate;

pub const EXPENSE_CREATED: &str = "expense.created";
pub const EXPENSE_UPDATED: &str = "expense.updated";
pub const EXPENSE_DELETED: &str = "expense.deleted";
pub const BUDGET_UPDATED: &str = "budget.updated";
pub const BUDGET_DELETED: &str = "budget.deleted";
pub const CATEGORY_RENAMED: &str = "category.renamed";
pub const CATEGORY_MERGED: &str = "category.merged";
pub const RATES_RECORDED: &str = "rates.recorded";
pub const RATE_DELETED: &str = "rate.deleted";
/// Published by the auth service when an account is deleted.
pub const ACCOUNT_DELETED: &str = "account.deleted";

/// Every event type.
pub const EVENT_TYPES: [&str; 10] = [
    EXPENSE_CREATED,
    EXPENSE_UPDATED,
    EXPENSE_DELETED,
    BUDGET_UPDATED,
    BUDGET_DELETED,
    CATEGORY_RENAMED,
    CATEGORY_MERGED,
    RATES_RECORDED,
    RATE_DELETED,
    ACCOUNT_DELETED,
];

/// One published event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventEnvelope {
    /// Unique and stable across redeliveries.
    pub id: Uuid,
    /// One of the event types, such as `expense.created`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub occurred_at: OffsetDateTime,
    /// Whose data changed. Consumers act on this user's data only.
    pub user_id: Uuid,
    /// The payload of the type.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// `expense.created`, `expense.deleted`: the expense (as it was, for a deletion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpenseEvent {
    pub expense: Expense,
}

/// `expense.updated`: the expense after and before the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpenseUpdatedEvent {
    pub expense: Expense,
    pub previous: Expense,
}

/// A budget as events carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetSnapshot {
    /// A category, or `total`.
    pub category: String,
    pub amount: String,
    pub currency: String,
    pub period: String,
    pub starts_on_day: u8,
    /// Whether expenses in other currencies count, converted (absent when they do not).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub convert: bool,
}

/// `budget.updated`: created or replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetUpdatedEvent {
    pub budget: BudgetSnapshot,
}

/// `budget.deleted`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetDeletedEvent {
    pub category: String,
}

/// `category.renamed` (expenses and budget moved) and `category.merged` (expenses moved; the
/// target's budget won).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryMovedEvent {
    pub from: String,
    pub to: String,
}

/// Most rates one `rates.recorded` event carries: a whole ECB file is published as several events
/// (each well under the 256 KiB an SNS message may hold).
pub const RATES_PER_EVENT: usize = 1000;

/// `rates.recorded`: rates recorded or replaced (of one request: one rate, or part of an imported
/// file). The envelope's `occurred_at` orders them against other changes of the same pair and day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatesRecordedEvent {
    pub rates: Vec<Rate>,
}

/// `rate.deleted`: the rate of one pair and day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateDeletedEvent {
    pub from: String,
    pub to: String,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub on: String,
}

/// `account.deleted`: the account the envelope's `user_id` names is gone. Every service erases
/// what it holds of that user and ignores later events about them (docs/security.md, "Deleting
/// an account"). Nothing else is carried: the id is all a service needs, and an event must not
/// carry what it asks to erase (such as the e-mail address).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountDeletedEvent {}

/// The payload type of each event type, by name in the schemas' `$defs`.
const PAYLOADS: [(&str, &str, &str); 10] = [
    (EXPENSE_CREATED, "ExpenseEvent", "An expense was created."),
    (
        EXPENSE_UPDATED,
        "ExpenseUpdatedEvent",
        "An expense was changed; `data` holds it after and before.",
    ),
    (
        EXPENSE_DELETED,
        "ExpenseEvent",
        "An expense was deleted; `data` holds it as it was.",
    ),
    (
        BUDGET_UPDATED,
        "BudgetUpdatedEvent",
        "A budget was created or replaced.",
    ),
    (BUDGET_DELETED, "BudgetDeletedEvent", "A budget was deleted."),
    (
        CATEGORY_RENAMED,
        "CategoryMovedEvent",
        "A category was renamed: its expenses and budget moved.",
    ),
    (
        CATEGORY_MERGED,
        "CategoryMovedEvent",
        "A category was merged into another: its expenses moved.",
    ),
    (
        RATES_RECORDED,
        "RatesRecordedEvent",
        "Exchange rates were recorded or replaced (at most 1000 in one event).",
    ),
    (RATE_DELETED, "RateDeletedEvent", "An exchange rate was deleted."),
    (
        ACCOUNT_DELETED,
        "AccountDeletedEvent",
        "An account was deleted: erase everything of `user_id` and ignore later events about it.",
    ),
];

/// One self-contained JSON Schema (draft 2020-12) per event type, named `<type>.schema.json`:
/// the envelope with `type` fixed and `data` the type's payload. Generated from the types above,
/// so `docs/events/` cannot drift from what is published.
pub fn json_schemas() -> Vec<(String, serde_json::Value)> {
    use utoipa::OpenApi;

    #[derive(OpenApi)]
    #[openapi(components(schemas(
        EventEnvelope,
        ExpenseEvent,
        ExpenseUpdatedEvent,
        BudgetUpdatedEvent,
        BudgetDeletedEvent,
        CategoryMovedEvent,
        RatesRecordedEvent,
        RateDeletedEvent,
        AccountDeletedEvent
    )))]
    struct Catalogue;

    let document = serde_json::to_value(Catalogue::openapi()).expect("an OpenAPI document serialises");
    let mut defs = document["components"]["schemas"].clone();
    rewrite_refs(&mut defs);
    let mut envelope = defs
        .as_object_mut()
        .and_then(|defs| defs.remove("EventEnvelope"))
        .expect("the envelope is in the catalogue");
    PAYLOADS
        .iter()
        .map(|(kind, payload, description)| {
            let mut schema = serde_json::json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": format!("https://expense-tracker.dev/schemas/events/{kind}.schema.json"),
                "title": kind,
                "description": description,
            });
            let object = schema.as_object_mut().expect("an object");
            for (key, value) in envelope.as_object_mut().expect("an object schema").iter() {
                object.entry(key.clone()).or_insert_with(|| value.clone());
            }
            schema["properties"]["type"] =
                serde_json::json!({ "const": kind, "description": "The event type." });
            schema["properties"]["data"] = serde_json::json!({ "$ref": format!("#/$defs/{payload}") });
            schema["$defs"] = defs.clone();
            (format!("{kind}.schema.json"), schema)
        })
        .collect()
}

/// Points OpenAPI component references (`#/components/schemas/X`) at `$defs`.
fn rewrite_refs(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    serde_json::Value::String(target) if key == "$ref" => {
                        *target = target.replace("#/components/schemas/", "#/$defs/");
                    }
                    _ => rewrite_refs(child),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}
