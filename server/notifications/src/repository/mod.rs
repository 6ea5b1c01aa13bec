//! Storage of the notifications service, behind one trait.
//!
//! The service depends only on [`NotificationStore`]. [`store`] implements it once for both
//! backends (Postgres and SQLite differ only in a few statements' text, kept side by side there);
//! the conformance suite in `tests/it/repository.rs` runs the same cases against both. Writes
//! that must happen together (an alert's marker, its notification and its webhook deliveries; an
//! event's projection change and its processed marker) happen in one transaction. The store
//! contains SQL and nothing else: no business rules.

pub mod store;

use async_trait::async_trait;
use expense_api::conversion::StoredRate;
use expense_api::money::{Currency, Money};
use expense_api::notifications::{Delivery, DeliveryStatus, Notification, NotificationKind};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

pub(crate) fn corrupt(error: impl std::fmt::Display) -> RepoError {
    RepoError::Corrupt(error.to_string())
}

/// Money from a stored amount and currency code; a code or amount this tracker does not know is
/// a corrupt row, never a guessed number of decimals.
pub(crate) fn stored_money(minor: i64, currency: &str) -> Result<Money, RepoError> {
    Money::from_code(minor, currency).map_err(|reason| corrupt(format!("{minor} {currency}: {reason}")))
}

/// What the notifications service keeps of an expense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseCopy {
    pub id: Uuid,
    pub user_id: Uuid,
    pub amount: Money,
    pub category: String,
    pub spent_on: Date,
    pub version: i64,
}

/// What it keeps of a budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetCopy {
    pub user_id: Uuid,
    /// A category, or `total`.
    pub category: String,
    /// The budget's amount, in its currency (which expenses count towards it).
    pub amount: Money,
    pub starts_on_day: u8,
    /// Whether expenses in other currencies count too, converted with the user's rates.
    pub convert: bool,
}

/// One currency's spending on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySpent {
    pub spent_on: Date,
    pub total: Money,
    pub count: i64,
}

/// A change to the copies, from one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectionChange {
    /// Created or updated: applied only if newer than what is kept.
    UpsertExpense(ExpenseCopy),
    /// Deleted at this version: kept as a tombstone.
    DeleteExpense {
        user_id: Uuid,
        id: Uuid,
        version: i64,
    },
    UpsertBudget(BudgetCopy),
    DeleteBudget {
        user_id: Uuid,
        category: String,
    },
    /// Expenses of `from` moved to `to`; its budget too (rename), or dropped when `to` has one
    /// (merge).
    MoveCategory {
        user_id: Uuid,
        from: String,
        to: String,
        merge: bool,
    },
    /// Rates recorded or replaced at `at`: applied to each pair and day only if newer than what
    /// is kept.
    PutRates {
        user_id: Uuid,
        rates: Vec<StoredRate>,
        at: OffsetDateTime,
    },
    /// A rate deleted at `at`: kept as a tombstone, unless a newer change is kept.
    DeleteRate {
        user_id: Uuid,
        from: Currency,
        to: Currency,
        on: Date,
        at: OffsetDateTime,
    },
    /// The account was deleted: every row of the user goes, and a tombstone stays.
    EraseUser {
        user_id: Uuid,
    },
    /// An event of no interest (still recorded as processed).
    Nothing,
}

impl ProjectionChange {
    /// The user whose data the change is about.
    pub fn user_id(&self) -> Option<Uuid> {
        match self {
            Self::UpsertExpense(copy) => Some(copy.user_id),
            Self::UpsertBudget(budget) => Some(budget.user_id),
            Self::DeleteExpense { user_id, .. }
            | Self::DeleteBudget { user_id, .. }
            | Self::MoveCategory { user_id, .. }
            | Self::PutRates { user_id, .. }
            | Self::DeleteRate { user_id, .. }
            | Self::EraseUser { user_id } => Some(*user_id),
            Self::Nothing => None,
        }
    }
}

/// A user's preferences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsRecord {
    pub user_id: Uuid,
    pub email: Option<String>,
    pub budget_alerts: bool,
    pub monthly_summary: bool,
    pub thresholds: Vec<u16>,
    pub updated_at: OffsetDateTime,
}

/// A notification to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub data: serde_json::Value,
    pub created_at: OffsetDateTime,
    pub read_at: Option<OffsetDateTime>,
}

impl NotificationRecord {
    pub fn to_api(&self) -> Notification {
        Notification {
            id: self.id,
            kind: self.kind,
            title: self.title.clone(),
            body: self.body.clone(),
            data: self.data.clone(),
            created_at: self.created_at,
            read_at: self.read_at,
        }
    }
}

pub(crate) fn kind_to_db(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::BudgetAlert => "budget_alert",
        NotificationKind::MonthlySummary => "monthly_summary",
    }
}

pub(crate) fn kind_from_db(value: &str) -> Result<NotificationKind, RepoError> {
    match value {
        "budget_alert" => Ok(NotificationKind::BudgetAlert),
        "monthly_summary" => Ok(NotificationKind::MonthlySummary),
        other => Err(corrupt(format!("unknown kind {other:?}"))),
    }
}

pub(crate) fn status_from_db(value: &str) -> Result<DeliveryStatus, RepoError> {
    match value {
        "pending" => Ok(DeliveryStatus::Pending),
        "delivered" => Ok(DeliveryStatus::Delivered),
        "failed" => Ok(DeliveryStatus::Failed),
        other => Err(corrupt(format!("unknown status {other:?}"))),
    }
}

pub(crate) fn thresholds_to_db(thresholds: &[u16]) -> String {
    thresholds
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn thresholds_from_db(value: &str) -> Result<Vec<u16>, RepoError> {
    value
        .split(',')
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().map_err(corrupt))
        .collect()
}

/// A registered webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub url: String,
    pub secret: String,
    pub created_at: OffsetDateTime,
}

/// A delivery to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub user_id: Uuid,
    pub event: String,
    pub payload: String,
    pub created_at: OffsetDateTime,
}

/// A delivery due now, with what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub id: Uuid,
    pub event: String,
    pub payload: String,
    pub attempts: u32,
    pub url: String,
    pub secret: String,
}

/// How an attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Delivered {
        status: u16,
    },
    /// Try again at `next`.
    Retry {
        status: Option<u16>,
        error: String,
        next: OffsetDateTime,
    },
    /// No more attempts.
    Failed {
        status: Option<u16>,
        error: String,
    },
}

/// A delivery as its log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub id: Uuid,
    pub event: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
    pub created_at: OffsetDateTime,
    pub delivered_at: Option<OffsetDateTime>,
}

impl DeliveryRecord {
    pub fn to_api(&self) -> Delivery {
        Delivery {
            id: self.id,
            event: self.event.clone(),
            status: self.status,
            attempts: self.attempts,
            last_status: self.last_status,
            last_error: self.last_error.clone(),
            created_at: self.created_at,
            delivered_at: self.delivered_at,
        }
    }
}

/// Where a user's monthly summary stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryState {
    pub notification_id: Uuid,
    /// Set while (or since) a run hands the e-mail to the mailer.
    pub sending_since: Option<OffsetDateTime>,
    pub mailed_at: Option<OffsetDateTime>,
}

/// One category's total of a month in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthTotal {
    pub category: String,
    /// The sum of the category's expenses in one currency.
    pub total: Money,
    pub count: i64,
}

/// The notification service's storage.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Records each event id as processed and applies its change, in order, in one transaction;
    /// an event processed before changes nothing, and neither does a change about a user with a
    /// tombstone (a deleted account). Answers, per event, whether it was new.
    async fn apply_events(
        &self,
        events: &[(Uuid, ProjectionChange)],
        at: OffsetDateTime,
    ) -> Result<Vec<bool>, RepoError>;

    /// [`NotificationStore::apply_events`] for one event.
    async fn apply_event(
        &self,
        event_id: Uuid,
        change: &ProjectionChange,
        at: OffsetDateTime,
    ) -> Result<bool, RepoError> {
        let applied = self.apply_events(&[(event_id, change.clone())], at).await?;
        Ok(applied.first().copied().unwrap_or(false))
    }
    async fn budgets(&self, user_id: Uuid) -> Result<Vec<BudgetCopy>, RepoError>;
    /// Deletes every row of the user and records its tombstone (deleted at `at`; an earlier one
    /// is kept), in one transaction. Safe to repeat.
    async fn erase_user(&self, user_id: Uuid, at: OffsetDateTime) -> Result<(), RepoError>;
    /// The users whose tombstone is dated `since` or later.
    async fn deleted_users_since(&self, since: OffsetDateTime) -> Result<Vec<Uuid>, RepoError>;
    /// Spending in `currency` between two days (inclusive), in one category or all (`None`).
    async fn spent(
        &self,
        user_id: Uuid,
        category: Option<&str>,
        currency: &str,
        from: Date,
        to: Date,
    ) -> Result<i64, RepoError>;
    /// Spending per currency and day between two days (inclusive), in one category or all
    /// (`None`), by currency then day.
    async fn spent_by_day(
        &self,
        user_id: Uuid,
        category: Option<&str>,
        from: Date,
        to: Date,
    ) -> Result<Vec<DaySpent>, RepoError>;
    /// Every rate of the user dated `from` to `to` (inclusive) and, for each pair, the latest
    /// dated before `from`: every rate a conversion of that period may use.
    async fn rates_for_period(
        &self,
        user_id: Uuid,
        from: Date,
        to: Date,
    ) -> Result<Vec<StoredRate>, RepoError>;
    /// Totals per category and currency between two days (inclusive).
    async fn month_totals(&self, user_id: Uuid, from: Date, to: Date) -> Result<Vec<MonthTotal>, RepoError>;

    async fn settings(&self, user_id: Uuid) -> Result<Option<SettingsRecord>, RepoError>;
    async fn put_settings(&self, settings: &SettingsRecord) -> Result<(), RepoError>;
    /// Users who asked for the monthly summary and whose address is known.
    async fn summary_subscribers(&self) -> Result<Vec<SettingsRecord>, RepoError>;

    /// Marks `threshold` crossed for the budget's period and stores its notification and
    /// deliveries, in one transaction; `false` (nothing stored) if it was already crossed.
    async fn fire_alert(
        &self,
        category: &str,
        period_start: Date,
        threshold: u16,
        notification: &NotificationRecord,
        deliveries: &[NewDelivery],
    ) -> Result<bool, RepoError>;
    /// Marks `threshold` crossed without a notification (a lower threshold crossed together with
    /// a higher one); `false` if it was already.
    async fn mark_alert(
        &self,
        user_id: Uuid,
        category: &str,
        period_start: Date,
        threshold: u16,
        at: OffsetDateTime,
    ) -> Result<bool, RepoError>;
    /// Re-arms the thresholds of the period above `percent`; returns how many.
    async fn rearm_alerts(
        &self,
        user_id: Uuid,
        category: &str,
        period_start: Date,
        percent: i64,
    ) -> Result<u64, RepoError>;

    async fn notifications(
        &self,
        user_id: Uuid,
        unread_only: bool,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<NotificationRecord>, RepoError>;
    /// `false` if the user has no such notification.
    async fn mark_read(&self, user_id: Uuid, id: Uuid, at: OffsetDateTime) -> Result<bool, RepoError>;
    async fn mark_all_read(&self, user_id: Uuid, at: OffsetDateTime) -> Result<u64, RepoError>;

    /// The summary of a month, if made.
    async fn summary(&self, user_id: Uuid, month: &str) -> Result<Option<SummaryState>, RepoError>;
    /// Stores the month's summary with its notification and deliveries; `false` if it exists.
    async fn create_summary(
        &self,
        month: &str,
        notification: &NotificationRecord,
        deliveries: &[NewDelivery],
    ) -> Result<bool, RepoError>;
    /// Claims the summary's e-mail for sending; `false` if it is claimed or mailed already.
    async fn claim_summary_mail(
        &self,
        user_id: Uuid,
        month: &str,
        at: OffsetDateTime,
    ) -> Result<bool, RepoError>;
    /// Gives a claim back (the mailer refused the message, so nothing went out).
    async fn release_summary_mail(&self, user_id: Uuid, month: &str) -> Result<(), RepoError>;
    async fn mark_summary_mailed(
        &self,
        user_id: Uuid,
        month: &str,
        at: OffsetDateTime,
    ) -> Result<(), RepoError>;
    async fn notification(&self, user_id: Uuid, id: Uuid) -> Result<Option<NotificationRecord>, RepoError>;

    async fn insert_webhook(&self, webhook: &WebhookRecord) -> Result<(), RepoError>;
    async fn webhooks(&self, user_id: Uuid) -> Result<Vec<WebhookRecord>, RepoError>;
    async fn webhook(&self, user_id: Uuid, id: Uuid) -> Result<Option<WebhookRecord>, RepoError>;
    /// `false` if the user has no such webhook.
    async fn delete_webhook(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError>;
    async fn insert_deliveries(&self, deliveries: &[NewDelivery]) -> Result<(), RepoError>;
    /// Claims up to `limit` due deliveries for `lease`.
    async fn claim_deliveries(
        &self,
        now: OffsetDateTime,
        lease: time::Duration,
        limit: u32,
    ) -> Result<Vec<DueDelivery>, RepoError>;
    async fn record_attempt(&self, id: Uuid, attempt: &Attempt, at: OffsetDateTime) -> Result<(), RepoError>;
    /// A webhook's deliveries, newest first.
    async fn deliveries(
        &self,
        user_id: Uuid,
        webhook_id: Uuid,
        limit: u32,
    ) -> Result<Vec<DeliveryRecord>, RepoError>;
}
