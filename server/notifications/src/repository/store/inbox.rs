//! Notifications (the in-app list) and storing one, with its webhook deliveries, in the
//! transaction that made it due.

use expense_kit::db::{Sql, SqlDb, SqlRow, SqlTx};
use time::OffsetDateTime;
use uuid::Uuid;

use super::webhooks::insert_deliveries_in;
use crate::repository::{NewDelivery, NotificationRecord, RepoError, kind_from_db, kind_to_db};

macro_rules! notification_columns {
    () => {
        "id, user_id, kind, title, body, data, created_at, read_at"
    };
}

const INSERT_NOTIFICATION: Sql = Sql::same(
    "INSERT INTO notifications (id, user_id, kind, title, body, data, created_at, read_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
);
/// Newest first, from before a cursor; optionally the unread ones only.
const NOTIFICATIONS: Sql = Sql::each(
    concat!(
        "SELECT ",
        notification_columns!(),
        " FROM notifications
         WHERE user_id = $1 AND (NOT $2 OR read_at IS NULL) AND ($3::uuid IS NULL OR id < $3)
         ORDER BY id DESC LIMIT $4"
    ),
    concat!(
        "SELECT ",
        notification_columns!(),
        " FROM notifications
         WHERE user_id = $1 AND ($2 = 0 OR read_at IS NULL) AND ($3 IS NULL OR id < $3)
         ORDER BY id DESC LIMIT $4"
    ),
);
const NOTIFICATION: Sql = Sql::same(concat!(
    "SELECT ",
    notification_columns!(),
    " FROM notifications WHERE user_id = $1 AND id = $2"
));
/// A notification read before keeps the time it was first read.
const MARK_READ: Sql =
    Sql::same("UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE user_id = $1 AND id = $2");
const MARK_ALL_READ: Sql =
    Sql::same("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL");

fn notification_record(row: &SqlRow) -> Result<NotificationRecord, RepoError> {
    Ok(NotificationRecord {
        id: row.get("id")?,
        user_id: row.get("user_id")?,
        kind: kind_from_db(&row.get::<String>("kind")?)?,
        title: row.get("title")?,
        body: row.get("body")?,
        data: row.get("data")?,
        created_at: row.get("created_at")?,
        read_at: row.get("read_at")?,
    })
}

/// Stores a notification with its webhook deliveries and commits the transaction that made it
/// due (an alert's or a summary's marker). Answers `true`: it was stored.
pub(super) async fn commit_with_notification(
    mut transaction: SqlTx,
    notification: &NotificationRecord,
    deliveries: &[NewDelivery],
) -> Result<bool, RepoError> {
    transaction
        .query(&INSERT_NOTIFICATION)
        .bind(notification.id)
        .bind(notification.user_id)
        .bind(kind_to_db(notification.kind))
        .bind(&notification.title)
        .bind(&notification.body)
        .bind(&notification.data)
        .bind(notification.created_at)
        .bind(notification.read_at)
        .execute()
        .await?;
    insert_deliveries_in(&mut transaction, deliveries).await?;
    transaction.commit().await?;
    Ok(true)
}

pub(super) async fn notifications(
    db: &SqlDb,
    user_id: Uuid,
    unread_only: bool,
    before: Option<Uuid>,
    limit: u32,
) -> Result<Vec<NotificationRecord>, RepoError> {
    let rows = db
        .query(&NOTIFICATIONS)
        .bind(user_id)
        .bind(unread_only)
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all()
        .await?;
    rows.iter().map(notification_record).collect()
}

pub(super) async fn notification(
    db: &SqlDb,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<NotificationRecord>, RepoError> {
    let row = db
        .query(&NOTIFICATION)
        .bind(user_id)
        .bind(id)
        .fetch_optional()
        .await?;
    row.as_ref().map(notification_record).transpose()
}

pub(super) async fn mark_read(
    db: &SqlDb,
    user_id: Uuid,
    id: Uuid,
    at: OffsetDateTime,
) -> Result<bool, RepoError> {
    let changed = db
        .query(&MARK_READ)
        .bind(user_id)
        .bind(id)
        .bind(at)
        .execute()
        .await?;
    Ok(changed == 1)
}

pub(super) async fn mark_all_read(db: &SqlDb, user_id: Uuid, at: OffsetDateTime) -> Result<u64, RepoError> {
    Ok(db.query(&MARK_ALL_READ).bind(user_id).bind(at).execute().await?)
}
