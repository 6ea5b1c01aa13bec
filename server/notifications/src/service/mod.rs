//! The notifications service's rules, one concern per module: `projection` (the copy of
//! expenses and budgets kept from events), `alerts` (thresholds once per budget period, re-armed
//! when spending falls back), `preferences` (settings and the e-mail address), `inbox` (the in-app
//! list), `endpoints` (the user's webhooks) and `summary` (the monthly run). What a notification
//! says is rendered in [`crate::render`] from templates.

mod alerts;
mod endpoints;
mod inbox;
mod preferences;
mod projection;
mod summary;

use std::sync::Arc;

use expense_kit::clock::Clock;
use expense_kit::events::{Event, EventHandler, HandleError};
use serde_json::json;
use tokio::sync::Notify;
use uuid::Uuid;

pub use self::summary::{SummaryRun, previous_month};
use crate::error::NotifyError;
use crate::identity::AuthDirectory;
use crate::mail::Mailer;
use crate::repository::{
    NewDelivery, NotificationRecord, NotificationStore, ProjectionChange, SettingsRecord,
};

/// How long after an account's deletion the service (every five minutes) erases it again.
pub const ERASE_AGAIN_WITHIN: time::Duration = time::Duration::hours(2);

/// Thresholds of users who never chose any.
pub const DEFAULT_THRESHOLDS: [u16; 3] = [80, 90, 100];

pub struct NotificationService {
    store: Arc<dyn NotificationStore>,
    mailer: Arc<dyn Mailer>,
    directory: AuthDirectory,
    deliveries_wake: Arc<Notify>,
    allow_private_webhooks: bool,
    clock: Clock,
}

impl NotificationService {
    /// The service over `store`, mailing through `mailer`, learning addresses from `directory`,
    /// waking webhook delivery through `deliveries_wake`; the time (today's budget periods, stamps)
    /// comes from `clock`.
    pub fn new(
        store: Arc<dyn NotificationStore>,
        mailer: Arc<dyn Mailer>,
        directory: AuthDirectory,
        deliveries_wake: Arc<Notify>,
        allow_private_webhooks: bool,
        clock: Clock,
    ) -> Self {
        Self {
            store,
            mailer,
            directory,
            deliveries_wake,
            allow_private_webhooks,
            clock,
        }
    }

    /// The clock the service reads.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn store(&self) -> &Arc<dyn NotificationStore> {
        &self.store
    }

    /// Applies an event (once, by its id) and re-evaluates the user's budget alerts (always:
    /// a redelivery after a crash between the two steps must still alert).
    pub async fn handle_event(&self, event: &Event) -> Result<(), NotifyError> {
        self.handle_events(std::slice::from_ref(event)).await
    }

    /// [`NotificationService::handle_event`] for several events: their changes in one
    /// transaction, then each concerned user's alerts once.
    pub async fn handle_events(&self, events: &[Event]) -> Result<(), NotifyError> {
        let changes: Vec<(Uuid, ProjectionChange)> = events
            .iter()
            .map(|event| {
                let change = projection::projection_change(event).unwrap_or_else(|reason| {
                    tracing::error!(event_id = %event.id, kind = %event.kind, %reason, "unreadable event payload; skipped");
                    ProjectionChange::Nothing
                });
                (event.id, change)
            })
            .collect();
        let now = self.clock.now();
        self.store.apply_events(&changes, now).await?;
        let mut users: Vec<Uuid> = events
            .iter()
            .zip(&changes)
            .filter(|(_, (_, change))| *change != ProjectionChange::Nothing)
            .map(|(event, _)| event.user_id)
            .collect();
        users.sort_unstable();
        users.dedup();
        for user_id in users {
            self.evaluate_alerts(user_id, now.date()).await?;
        }
        Ok(())
    }

    /// Erases again the accounts deleted within [`ERASE_AGAIN_WITHIN`]: a request accepted on a
    /// cached token verdict (at most a minute after the deletion) may have stored settings or a
    /// webhook after the erasure. Answers how many accounts.
    pub async fn erase_recently_deleted(&self) -> Result<usize, NotifyError> {
        let now = self.clock.now();
        let users = self.store.deleted_users_since(now - ERASE_AGAIN_WITHIN).await?;
        for user_id in &users {
            self.store.erase_user(*user_id, now).await?;
        }
        Ok(users.len())
    }

    async fn deliveries_for(
        &self,
        user_id: Uuid,
        event: &str,
        notification: &NotificationRecord,
    ) -> Result<Vec<NewDelivery>, NotifyError> {
        let payload = json!({ "type": event, "notification": notification.to_api() }).to_string();
        let webhooks = self.store.webhooks(user_id).await?;
        Ok(webhooks
            .into_iter()
            .map(|webhook| NewDelivery {
                id: Uuid::now_v7(),
                webhook_id: webhook.id,
                user_id,
                event: event.to_owned(),
                payload: payload.clone(),
                created_at: self.clock.now(),
            })
            .collect())
    }

    async fn settings_record(&self, user_id: Uuid) -> Result<SettingsRecord, NotifyError> {
        Ok(self
            .store
            .settings(user_id)
            .await?
            .unwrap_or_else(|| preferences::default_settings(user_id, self.clock.now())))
    }
}

/// Feeds events to the service.
pub struct Consumer(pub Arc<NotificationService>);

#[async_trait::async_trait]
impl EventHandler for Consumer {
    async fn handle(&self, event: &Event) -> Result<(), HandleError> {
        self.0
            .handle_event(event)
            .await
            .map_err(|error| HandleError(error.to_string()))
    }

    async fn handle_batch(&self, events: &[Event]) -> Result<(), HandleError> {
        self.0
            .handle_events(events)
            .await
            .map_err(|error| HandleError(error.to_string()))
    }
}
