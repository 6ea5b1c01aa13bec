//! Wire types of the notifications service: the in-app list, preferences and webhooks.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// Spending in a budget's period crossed one of the user's thresholds.
    BudgetAlert,
    /// Last month's totals.
    MonthlySummary,
}

/// One in-app notification (also sent by e-mail and to webhooks, as the preferences say).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Notification {
    pub id: Uuid,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    /// Facts behind it (budget, threshold, spent, …), for scripts.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub read_at: Option<OffsetDateTime>,
}

/// Answer to marking everything read.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MarkedRead {
    pub marked: u64,
}

/// Notification preferences of a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NotificationSettings {
    /// Alerts when a budget's spending crosses a threshold (default on).
    pub budget_alerts: bool,
    /// A summary of last month by e-mail on the 1st (default off: opt in).
    pub monthly_summary: bool,
    /// Percentages of a budget that trigger an alert, ascending, 1 to 1000 (default 80, 90, 100).
    pub thresholds: Vec<u16>,
    /// Where e-mail goes: the account's address, learned from the auth service.
    pub email: Option<String>,
}

/// `PUT /v1/notifications/settings`: only the fields given change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsUpdate {
    pub budget_alerts: Option<bool>,
    pub monthly_summary: Option<bool>,
    pub thresholds: Option<Vec<u16>>,
}

/// `POST /v1/webhooks`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// An `https://` URL that accepts POSTed JSON.
    pub url: String,
}

/// A registered webhook (its secret is shown only at creation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Webhook {
    pub id: Uuid,
    pub url: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

/// Answer to webhook creation: the webhook and its signing secret, shown once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// The signing secret, `whsec_` and standard base64: its decoded bytes key the Standard
    /// Webhooks `webhook-signature`, its text the deprecated `X-Expense-Signature`. Store it now.
    pub secret: String,
}

/// `GET /v1/webhooks`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookList {
    pub items: Vec<Webhook>,
}

/// Answer to a test delivery: the queued delivery, to find in the log.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QueuedDelivery {
    pub id: Uuid,
}

/// State of one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Not delivered yet; retried with backoff.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed.
    Failed,
}

/// One delivery of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Delivery {
    pub id: Uuid,
    /// `budget_alert`, `monthly_summary` or `webhook.test`.
    pub event: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    /// HTTP status of the last attempt, if it got one.
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub delivered_at: Option<OffsetDateTime>,
}

/// `GET /v1/webhooks/{id}/deliveries`, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeliveryList {
    pub items: Vec<Delivery>,
}

/// Standard Webhooks: the delivery's id, the same on every retry (receivers deduplicate on it).
pub const STANDARD_ID_HEADER: &str = "webhook-id";
/// Standard Webhooks: the Unix time the delivery was signed; receivers refuse old ones.
pub const STANDARD_TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// Standard Webhooks: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the
/// base64-decoded part of the `whsec_…` secret.
pub const STANDARD_SIGNATURE_HEADER: &str = "webhook-signature";

/// Deprecated (sent for one more release; use the Standard Webhooks headers): carries
/// `sha256=<hex HMAC-SHA256 of "{timestamp}.{body}">`.
pub const SIGNATURE_HEADER: &str = "x-expense-signature";
/// Header carrying the Unix time the delivery was signed; receivers refuse old ones.
pub const TIMESTAMP_HEADER: &str = "x-expense-timestamp";
/// Header naming what the delivery is about.
pub const EVENT_HEADER: &str = "x-expense-event";
/// Header with the delivery id (the same on every retry: receivers deduplicate on it).
pub const DELIVERY_HEADER: &str = "x-expense-delivery";
