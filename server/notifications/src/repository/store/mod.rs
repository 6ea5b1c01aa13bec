//! The notifications store, on Postgres (the `notifications` schema, selected by the pool's
//! `search_path`) or on SQLite (`notifications.sqlite3` in the data directory): one
//! implementation, the backends' differences kept in `expense_kit::db::sql` and, where the
//! dialects differ, in a statement's two texts side by side.
//!
//! This file is the table of contents: [`NotificationStore`] method by method, each handed to the
//! module of its aggregate. Reading order: `projection` (the copies of expenses and budgets,
//! built from events), `rates` (the copy of the user's exchange rates, also from events),
//! `preferences`, `inbox` (notifications, and storing one with its
//! deliveries), `alerts`, `summaries`, `webhooks` (endpoints and their deliveries), `erasure`
//! (a deleted account's rows, its tombstone). The
//! modules contain SQL and the mapping of rows to records, nothing else: no business rules.

mod alerts;
mod erasure;
mod inbox;
mod preferences;
mod projection;
mod rates;
mod summaries;
mod webhooks;

use async_trait::async_trait;
use expense_kit::db::SqlDb;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use expense_api::conversion::StoredRate;

use super::{
    Attempt, BudgetCopy, DaySpent, DeliveryRecord, DueDelivery, MonthTotal, NewDelivery, NotificationRecord,
    NotificationStore, ProjectionChange, RepoError, SettingsRecord, SummaryState, WebhookRecord,
};

/// Notification storage on either backend.
#[derive(Debug, Clone)]
pub struct SqlNotificationStore {
    db: SqlDb,
}

impl SqlNotificationStore {
    pub fn new(db: SqlDb) -> Self {
        Self { db }
    }
}

#[async_trait]
impl NotificationStore for SqlNotificationStore {
    async fn apply_events(
        &self,
        events: &[(Uuid, ProjectionChange)],
        at: OffsetDateTime,
    ) -> Result<Vec<bool>, RepoError> {
        projection::apply_events(&self.db, events, at).await
    }

    async fn budgets(&self, user_id: Uuid) -> Result<Vec<BudgetCopy>, RepoError> {
        projection::budgets(&self.db, user_id).await
    }

    async fn erase_user(&self, user_id: Uuid, at: OffsetDateTime) -> Result<(), RepoError> {
        let mut transaction = self.db.begin().await?;
        erasure::erase_user(&mut transaction, user_id, at).await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn deleted_users_since(&self, since: OffsetDateTime) -> Result<Vec<Uuid>, RepoError> {
        erasure::deleted_users_since(&self.db, since).await
    }

    async fn spent(
        &self,
        user_id: Uuid,
        category: Option<&str>,
        currency: &str,
        from: Date,
        to: Date,
    ) -> Result<i64, RepoError> {
        projection::spent(&self.db, user_id, category, currency, from, to).await
    }

    async fn spent_by_day(
        &self,
        user_id: Uuid,
        category: Option<&str>,
        from: Date,
        to: Date,
    ) -> Result<Vec<DaySpent>, RepoError> {
        projection::spent_by_day(&self.db, user_id, category, from, to).await
    }

    async fn rates_for_period(
        &self,
        user_id: Uuid,
        from: Date,
        to: Date,
    ) -> Result<Vec<StoredRate>, RepoError> {
        rates::rates_for_period(&self.db, user_id, from, to).await
    }

    async fn month_totals(&self, user_id: Uuid, from: Date, to: Date) -> Result<Vec<MonthTotal>, RepoError> {
        projection::month_totals(&self.db, user_id, from, to).await
    }

    async fn settings(&self, user_id: Uuid) -> Result<Option<SettingsRecord>, RepoError> {
        preferences::settings(&self.db, user_id).await
    }

    async fn put_settings(&self, settings: &SettingsRecord) -> Result<(), RepoError> {
        preferences::put_settings(&self.db, settings).await
    }

    async fn summary_subscribers(&self) -> Result<Vec<SettingsRecord>, RepoError> {
        preferences::summary_subscribers(&self.db).await
    }

    async fn fire_alert(
        &self,
        category: &str,
        period_start: Date,
        threshold: u16,
        notification: &NotificationRecord,
        deliveries: &[NewDelivery],
    ) -> Result<bool, RepoError> {
        alerts::fire_alert(
            &self.db,
            category,
            period_start,
            threshold,
            notification,
            deliveries,
        )
        .await
    }

    async fn mark_alert(
        &self,
        user_id: Uuid,
        category: &str,
        period_start: Date,
        threshold: u16,
        at: OffsetDateTime,
    ) -> Result<bool, RepoError> {
        alerts::mark_alert(&self.db, user_id, category, period_start, threshold, at).await
    }

    async fn rearm_alerts(
        &self,
        user_id: Uuid,
        category: &str,
        period_start: Date,
        percent: i64,
    ) -> Result<u64, RepoError> {
        alerts::rearm_alerts(&self.db, user_id, category, period_start, percent).await
    }

    async fn notifications(
        &self,
        user_id: Uuid,
        unread_only: bool,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<NotificationRecord>, RepoError> {
        inbox::notifications(&self.db, user_id, unread_only, before, limit).await
    }

    async fn mark_read(&self, user_id: Uuid, id: Uuid, at: OffsetDateTime) -> Result<bool, RepoError> {
        inbox::mark_read(&self.db, user_id, id, at).await
    }

    async fn mark_all_read(&self, user_id: Uuid, at: OffsetDateTime) -> Result<u64, RepoError> {
        inbox::mark_all_read(&self.db, user_id, at).await
    }

    async fn summary(&self, user_id: Uuid, month: &str) -> Result<Option<SummaryState>, RepoError> {
        summaries::summary(&self.db, user_id, month).await
    }

    async fn create_summary(
        &self,
        month: &str,
        notification: &NotificationRecord,
        deliveries: &[NewDelivery],
    ) -> Result<bool, RepoError> {
        summaries::create_summary(&self.db, month, notification, deliveries).await
    }

    async fn claim_summary_mail(
        &self,
        user_id: Uuid,
        month: &str,
        at: OffsetDateTime,
    ) -> Result<bool, RepoError> {
        summaries::claim_summary_mail(&self.db, user_id, month, at).await
    }

    async fn release_summary_mail(&self, user_id: Uuid, month: &str) -> Result<(), RepoError> {
        summaries::release_summary_mail(&self.db, user_id, month).await
    }

    async fn mark_summary_mailed(
        &self,
        user_id: Uuid,
        month: &str,
        at: OffsetDateTime,
    ) -> Result<(), RepoError> {
        summaries::mark_summary_mailed(&self.db, user_id, month, at).await
    }

    async fn notification(&self, user_id: Uuid, id: Uuid) -> Result<Option<NotificationRecord>, RepoError> {
        inbox::notification(&self.db, user_id, id).await
    }

    async fn insert_webhook(&self, webhook: &WebhookRecord) -> Result<(), RepoError> {
        webhooks::insert_webhook(&self.db, webhook).await
    }

    async fn webhooks(&self, user_id: Uuid) -> Result<Vec<WebhookRecord>, RepoError> {
        webhooks::webhooks(&self.db, user_id).await
    }

    async fn webhook(&self, user_id: Uuid, id: Uuid) -> Result<Option<WebhookRecord>, RepoError> {
        webhooks::webhook(&self.db, user_id, id).await
    }

    async fn delete_webhook(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError> {
        webhooks::delete_webhook(&self.db, user_id, id).await
    }

    async fn insert_deliveries(&self, deliveries: &[NewDelivery]) -> Result<(), RepoError> {
        webhooks::insert_deliveries(&self.db, deliveries).await
    }

    async fn claim_deliveries(
        &self,
        now: OffsetDateTime,
        lease: time::Duration,
        limit: u32,
    ) -> Result<Vec<DueDelivery>, RepoError> {
        webhooks::claim_deliveries(&self.db, now, lease, limit).await
    }

    async fn record_attempt(&self, id: Uuid, attempt: &Attempt, at: OffsetDateTime) -> Result<(), RepoError> {
        webhooks::record_attempt(&self.db, id, attempt, at).await
    }

    async fn deliveries(
        &self,
        user_id: Uuid,
        webhook_id: Uuid,
        limit: u32,
    ) -> Result<Vec<DeliveryRecord>, RepoError> {
        webhooks::deliveries(&self.db, user_id, webhook_id, limit).await
    }
}
