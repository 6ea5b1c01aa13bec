//! A user's notification settings (which alerts, which thresholds, the monthly summary) and the
//! e-mail address learned from auth.

use expense_api::FieldError;
use expense_api::notifications::{NotificationSettings, SettingsUpdate};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{DEFAULT_THRESHOLDS, NotificationService};
use crate::error::NotifyError;
use crate::repository::SettingsRecord;

impl NotificationService {
    /// Records the caller's e-mail address the first time it is missing.
    pub async fn learn_email(&self, user_id: Uuid, bearer: &str) -> Result<(), NotifyError> {
        let settings = self.settings_record(user_id).await?;
        if settings.email.is_some() {
            return Ok(());
        }
        if let Some(email) = self.directory.email(bearer).await {
            self.store
                .put_settings(&SettingsRecord {
                    email: Some(email),
                    updated_at: self.clock.now(),
                    ..settings
                })
                .await?;
        }
        Ok(())
    }

    pub async fn settings(&self, user_id: Uuid) -> Result<NotificationSettings, NotifyError> {
        Ok(settings_view(&self.settings_record(user_id).await?))
    }

    pub async fn update_settings(
        &self,
        user_id: Uuid,
        update: SettingsUpdate,
    ) -> Result<NotificationSettings, NotifyError> {
        let mut settings = self.settings_record(user_id).await?;
        if let Some(thresholds) = update.thresholds {
            settings.thresholds = check_thresholds(&thresholds)?;
        }
        if let Some(on) = update.budget_alerts {
            settings.budget_alerts = on;
        }
        if let Some(on) = update.monthly_summary {
            settings.monthly_summary = on;
        }
        settings.updated_at = self.clock.now();
        self.store.put_settings(&settings).await?;
        Ok(settings_view(&settings))
    }
}

pub(super) fn default_settings(user_id: Uuid, now: OffsetDateTime) -> SettingsRecord {
    SettingsRecord {
        user_id,
        email: None,
        budget_alerts: true,
        monthly_summary: false,
        thresholds: DEFAULT_THRESHOLDS.to_vec(),
        updated_at: now,
    }
}

fn settings_view(record: &SettingsRecord) -> NotificationSettings {
    NotificationSettings {
        budget_alerts: record.budget_alerts,
        monthly_summary: record.monthly_summary,
        thresholds: record.thresholds.clone(),
        email: record.email.clone(),
    }
}

fn check_thresholds(input: &[u16]) -> Result<Vec<u16>, NotifyError> {
    let mut thresholds = input.to_vec();
    thresholds.sort_unstable();
    thresholds.dedup();
    if thresholds.is_empty() || thresholds.len() > 10 || thresholds.iter().any(|t| !(1..=1000).contains(t)) {
        return Err(NotifyError::Validation(vec![FieldError::new(
            "thresholds",
            "give 1 to 10 percentages between 1 and 1000, such as [80, 90, 100]",
        )]));
    }
    Ok(thresholds)
}
