//! A user's preferences: which alerts, which thresholds, the monthly summary and where it goes.

use expense_kit::db::{Sql, SqlDb, SqlRow};
use uuid::Uuid;

use crate::repository::{RepoError, SettingsRecord, thresholds_from_db, thresholds_to_db};

macro_rules! settings_columns {
    () => {
        "user_id, email, budget_alerts, monthly_summary, thresholds, updated_at"
    };
}

const SETTINGS: Sql = Sql::same(concat!(
    "SELECT ",
    settings_columns!(),
    " FROM settings WHERE user_id = $1"
));
const PUT_SETTINGS: Sql = Sql::same(
    "INSERT INTO settings (user_id, email, budget_alerts, monthly_summary, thresholds, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, budget_alerts = excluded.budget_alerts,
         monthly_summary = excluded.monthly_summary, thresholds = excluded.thresholds, updated_at = excluded.updated_at",
);
const SUMMARY_SUBSCRIBERS: Sql = Sql::same(concat!(
    "SELECT ",
    settings_columns!(),
    " FROM settings WHERE monthly_summary AND email IS NOT NULL ORDER BY user_id"
));

fn settings_record(row: &SqlRow) -> Result<SettingsRecord, RepoError> {
    Ok(SettingsRecord {
        user_id: row.get("user_id")?,
        email: row.get("email")?,
        budget_alerts: row.get("budget_alerts")?,
        monthly_summary: row.get("monthly_summary")?,
        thresholds: thresholds_from_db(&row.get::<String>("thresholds")?)?,
        updated_at: row.get("updated_at")?,
    })
}

pub(super) async fn settings(db: &SqlDb, user_id: Uuid) -> Result<Option<SettingsRecord>, RepoError> {
    let row = db.query(&SETTINGS).bind(user_id).fetch_optional().await?;
    row.as_ref().map(settings_record).transpose()
}

pub(super) async fn put_settings(db: &SqlDb, record: &SettingsRecord) -> Result<(), RepoError> {
    db.query(&PUT_SETTINGS)
        .bind(record.user_id)
        .bind(record.email.as_deref())
        .bind(record.budget_alerts)
        .bind(record.monthly_summary)
        .bind(thresholds_to_db(&record.thresholds))
        .bind(record.updated_at)
        .execute()
        .await?;
    Ok(())
}

pub(super) async fn summary_subscribers(db: &SqlDb) -> Result<Vec<SettingsRecord>, RepoError> {
    let rows = db.query(&SUMMARY_SUBSCRIBERS).fetch_all().await?;
    rows.iter().map(settings_record).collect()
}
