//! Monthly summaries: one per user and month, and the claim that hands its e-mail to the mailer
//! at most once.

use expense_kit::db::{Sql, SqlDb, SqlRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::inbox::commit_with_notification;
use crate::repository::{NewDelivery, NotificationRecord, RepoError, SummaryState};

const SUMMARY: Sql = Sql::same(
    "SELECT notification_id, sending_since, mailed_at FROM monthly_summaries WHERE user_id = $1 AND month = $2",
);
/// Changes nothing (and answers no row) if the month's summary exists.
const INSERT_SUMMARY: Sql = Sql::same(
    "INSERT INTO monthly_summaries (user_id, month, notification_id, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING",
);
const CLAIM_MAIL: Sql = Sql::same(
    "UPDATE monthly_summaries SET sending_since = $3
     WHERE user_id = $1 AND month = $2 AND sending_since IS NULL AND mailed_at IS NULL",
);
const RELEASE_MAIL: Sql = Sql::same(
    "UPDATE monthly_summaries SET sending_since = NULL WHERE user_id = $1 AND month = $2 AND mailed_at IS NULL",
);
const MARK_MAILED: Sql =
    Sql::same("UPDATE monthly_summaries SET mailed_at = $3 WHERE user_id = $1 AND month = $2");

fn summary_state(row: &SqlRow) -> Result<SummaryState, RepoError> {
    Ok(SummaryState {
        notification_id: row.get("notification_id")?,
        sending_since: row.get("sending_since")?,
        mailed_at: row.get("mailed_at")?,
    })
}

pub(super) async fn summary(
    db: &SqlDb,
    user_id: Uuid,
    month: &str,
) -> Result<Option<SummaryState>, RepoError> {
    let row = db
        .query(&SUMMARY)
        .bind(user_id)
        .bind(month)
        .fetch_optional()
        .await?;
    row.as_ref().map(summary_state).transpose()
}

pub(super) async fn create_summary(
    db: &SqlDb,
    month: &str,
    notification: &NotificationRecord,
    deliveries: &[NewDelivery],
) -> Result<bool, RepoError> {
    let mut transaction = db.begin().await?;
    let first = transaction
        .query(&INSERT_SUMMARY)
        .bind(notification.user_id)
        .bind(month)
        .bind(notification.id)
        .bind(notification.created_at)
        .execute()
        .await?
        == 1;
    if !first {
        return Ok(false);
    }
    commit_with_notification(transaction, notification, deliveries).await
}

pub(super) async fn claim_summary_mail(
    db: &SqlDb,
    user_id: Uuid,
    month: &str,
    at: OffsetDateTime,
) -> Result<bool, RepoError> {
    let claimed = db
        .query(&CLAIM_MAIL)
        .bind(user_id)
        .bind(month)
        .bind(at)
        .execute()
        .await?;
    Ok(claimed == 1)
}

pub(super) async fn release_summary_mail(db: &SqlDb, user_id: Uuid, month: &str) -> Result<(), RepoError> {
    db.query(&RELEASE_MAIL)
        .bind(user_id)
        .bind(month)
        .execute()
        .await?;
    Ok(())
}

pub(super) async fn mark_summary_mailed(
    db: &SqlDb,
    user_id: Uuid,
    month: &str,
    at: OffsetDateTime,
) -> Result<(), RepoError> {
    db.query(&MARK_MAILED)
        .bind(user_id)
        .bind(month)
        .bind(at)
        .execute()
        .await?;
    Ok(())
}
