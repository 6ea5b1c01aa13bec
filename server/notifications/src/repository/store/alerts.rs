//! Budget alerts: which thresholds of a budget's period have been crossed, so that each alerts
//! once, until spending falls back under it.

use expense_kit::db::{Sql, SqlDb};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::inbox::commit_with_notification;
use crate::repository::{NewDelivery, NotificationRecord, RepoError};

/// Changes nothing (and answers no row) if the threshold was crossed already.
const MARK_CROSSED: Sql = Sql::same(
    "INSERT INTO alerts_fired (user_id, category, period_start, threshold, fired_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING",
);
const REARM: Sql = Sql::same(
    "DELETE FROM alerts_fired WHERE user_id = $1 AND category = $2 AND period_start = $3 AND threshold > $4",
);

/// A threshold as stored (`smallint`); the service allows up to 1000 %.
fn stored_threshold(threshold: u16) -> i16 {
    i16::try_from(threshold).unwrap_or(i16::MAX)
}

pub(super) async fn fire_alert(
    db: &SqlDb,
    category: &str,
    period_start: Date,
    threshold: u16,
    notification: &NotificationRecord,
    deliveries: &[NewDelivery],
) -> Result<bool, RepoError> {
    let mut transaction = db.begin().await?;
    let first = transaction
        .query(&MARK_CROSSED)
        .bind(notification.user_id)
        .bind(category)
        .bind(period_start)
        .bind(stored_threshold(threshold))
        .bind(notification.created_at)
        .execute()
        .await?
        == 1;
    if !first {
        return Ok(false);
    }
    commit_with_notification(transaction, notification, deliveries).await
}

pub(super) async fn mark_alert(
    db: &SqlDb,
    user_id: Uuid,
    category: &str,
    period_start: Date,
    threshold: u16,
    at: OffsetDateTime,
) -> Result<bool, RepoError> {
    let changed = db
        .query(&MARK_CROSSED)
        .bind(user_id)
        .bind(category)
        .bind(period_start)
        .bind(stored_threshold(threshold))
        .bind(at)
        .execute()
        .await?;
    Ok(changed == 1)
}

pub(super) async fn rearm_alerts(
    db: &SqlDb,
    user_id: Uuid,
    category: &str,
    period_start: Date,
    percent: i64,
) -> Result<u64, RepoError> {
    Ok(db
        .query(&REARM)
        .bind(user_id)
        .bind(category)
        .bind(period_start)
        .bind(percent)
        .execute()
        .await?)
}
