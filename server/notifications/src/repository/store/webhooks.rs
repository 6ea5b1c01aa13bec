//! Webhooks and their deliveries: registration, the queue a deliverer claims due deliveries from
//! (under a lease, so two deliverers never send the same one at once), and the delivery log.

use expense_kit::db::{Query, Sql, SqlDb, SqlRow, SqlTx};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::repository::{
    Attempt, DeliveryRecord, DueDelivery, NewDelivery, RepoError, WebhookRecord, corrupt, status_from_db,
};

const INSERT_WEBHOOK: Sql =
    Sql::same("INSERT INTO webhooks (id, user_id, url, secret, created_at) VALUES ($1, $2, $3, $4, $5)");
const WEBHOOKS: Sql =
    Sql::same("SELECT id, user_id, url, secret, created_at FROM webhooks WHERE user_id = $1 ORDER BY id");
const WEBHOOK: Sql =
    Sql::same("SELECT id, user_id, url, secret, created_at FROM webhooks WHERE user_id = $1 AND id = $2");
/// Its deliveries go with it (`ON DELETE CASCADE`; SQLite connections enforce foreign keys).
const DELETE_WEBHOOK: Sql = Sql::same("DELETE FROM webhooks WHERE user_id = $1 AND id = $2");

const INSERT_DELIVERY: Sql = Sql::same(
    "INSERT INTO webhook_deliveries (id, webhook_id, user_id, event, payload, status, attempts, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6)",
);
/// Leases up to `$3` deliveries due at `$1` until `$2`, in one statement. On Postgres, rows
/// another claimer has locked are skipped rather than waited for; SQLite runs one writer at a
/// time, and its `RETURNING` cannot read a joined table, so the webhook's columns are subqueries.
/// Rows come back in no particular order: [`claim_deliveries`] sorts them.
const CLAIM_DELIVERIES: Sql = Sql::each(
    "WITH due AS (
         SELECT id FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
         ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE webhook_deliveries AS d SET claimed_until = $2
     FROM due, webhooks AS w
     WHERE d.id = due.id AND w.id = d.webhook_id
     RETURNING d.id, d.event, d.payload, d.attempts, d.next_attempt_at, w.url, w.secret",
    "WITH due AS (
         SELECT id FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
         ORDER BY next_attempt_at LIMIT $3)
     UPDATE webhook_deliveries SET claimed_until = $2
     WHERE id IN (SELECT id FROM due)
     RETURNING id, event, payload, attempts, next_attempt_at,
         (SELECT url FROM webhooks WHERE webhooks.id = webhook_deliveries.webhook_id) AS url,
         (SELECT secret FROM webhooks WHERE webhooks.id = webhook_deliveries.webhook_id) AS secret",
);
const RECORD_ATTEMPT: Sql = Sql::same(
    "UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, next_attempt_at = $3, claimed_until = NULL,
         delivered_at = $4, last_status = $5, last_error = $6
     WHERE id = $1",
);
const DELIVERIES: Sql = Sql::same(
    "SELECT id, event, status, attempts, last_status, last_error, created_at, delivered_at FROM webhook_deliveries
     WHERE user_id = $1 AND webhook_id = $2 ORDER BY id DESC LIMIT $3",
);

fn webhook_record(row: &SqlRow) -> Result<WebhookRecord, RepoError> {
    Ok(WebhookRecord {
        id: row.get("id")?,
        user_id: row.get("user_id")?,
        url: row.get("url")?,
        secret: row.get("secret")?,
        created_at: row.get("created_at")?,
    })
}

/// The attempts column (`integer`) as a count.
fn attempts(row: &SqlRow) -> Result<u32, RepoError> {
    u32::try_from(row.get::<i32>("attempts")?).map_err(corrupt)
}

fn delivery_record(row: &SqlRow) -> Result<DeliveryRecord, RepoError> {
    Ok(DeliveryRecord {
        id: row.get("id")?,
        event: row.get("event")?,
        status: status_from_db(&row.get::<String>("status")?)?,
        attempts: attempts(row)?,
        last_status: row
            .get::<Option<i32>>("last_status")?
            .and_then(|status| u16::try_from(status).ok()),
        last_error: row.get("last_error")?,
        created_at: row.get("created_at")?,
        delivered_at: row.get("delivered_at")?,
    })
}

pub(super) async fn insert_webhook(db: &SqlDb, record: &WebhookRecord) -> Result<(), RepoError> {
    db.query(&INSERT_WEBHOOK)
        .bind(record.id)
        .bind(record.user_id)
        .bind(&record.url)
        .bind(&record.secret)
        .bind(record.created_at)
        .execute()
        .await?;
    Ok(())
}

pub(super) async fn webhooks(db: &SqlDb, user_id: Uuid) -> Result<Vec<WebhookRecord>, RepoError> {
    let rows = db.query(&WEBHOOKS).bind(user_id).fetch_all().await?;
    rows.iter().map(webhook_record).collect()
}

pub(super) async fn webhook(db: &SqlDb, user_id: Uuid, id: Uuid) -> Result<Option<WebhookRecord>, RepoError> {
    let row = db.query(&WEBHOOK).bind(user_id).bind(id).fetch_optional().await?;
    row.as_ref().map(webhook_record).transpose()
}

pub(super) async fn delete_webhook(db: &SqlDb, user_id: Uuid, id: Uuid) -> Result<bool, RepoError> {
    let deleted = db.query(&DELETE_WEBHOOK).bind(user_id).bind(id).execute().await?;
    Ok(deleted == 1)
}

/// [`INSERT_DELIVERY`] with its arguments.
fn with_delivery<'a>(query: Query<'a>, delivery: &NewDelivery) -> Query<'a> {
    query
        .bind(delivery.id)
        .bind(delivery.webhook_id)
        .bind(delivery.user_id)
        .bind(&delivery.event)
        .bind(&delivery.payload)
        .bind(delivery.created_at)
}

/// Each delivery on its own, outside any transaction.
pub(super) async fn insert_deliveries(db: &SqlDb, deliveries: &[NewDelivery]) -> Result<(), RepoError> {
    for delivery in deliveries {
        with_delivery(db.query(&INSERT_DELIVERY), delivery)
            .execute()
            .await?;
    }
    Ok(())
}

/// The deliveries inside `transaction`, which commits or drops them with the rest.
pub(super) async fn insert_deliveries_in(
    transaction: &mut SqlTx,
    deliveries: &[NewDelivery],
) -> Result<(), RepoError> {
    for delivery in deliveries {
        with_delivery(transaction.query(&INSERT_DELIVERY), delivery)
            .execute()
            .await?;
    }
    Ok(())
}

/// The due deliveries leased, earliest due first.
pub(super) async fn claim_deliveries(
    db: &SqlDb,
    now: OffsetDateTime,
    lease: time::Duration,
    limit: u32,
) -> Result<Vec<DueDelivery>, RepoError> {
    let rows = db
        .query(&CLAIM_DELIVERIES)
        .bind(now)
        .bind(now + lease)
        .bind(i64::from(limit))
        .fetch_all()
        .await?;
    let mut due = rows
        .iter()
        .map(|row| {
            let delivery = DueDelivery {
                id: row.get("id")?,
                event: row.get("event")?,
                payload: row.get("payload")?,
                attempts: attempts(row)?,
                url: row.get("url")?,
                secret: row.get("secret")?,
            };
            Ok((row.get::<OffsetDateTime>("next_attempt_at")?, delivery))
        })
        .collect::<Result<Vec<_>, RepoError>>()?;
    due.sort_by_key(|(next_attempt_at, _)| *next_attempt_at);
    Ok(due.into_iter().map(|(_, delivery)| delivery).collect())
}

pub(super) async fn record_attempt(
    db: &SqlDb,
    id: Uuid,
    attempt: &Attempt,
    at: OffsetDateTime,
) -> Result<(), RepoError> {
    let (status, next, delivered_at, last_status, last_error) = match attempt {
        Attempt::Delivered { status } => ("delivered", at, Some(at), Some(i32::from(*status)), None),
        Attempt::Retry { status, error, next } => (
            "pending",
            *next,
            None,
            status.map(i32::from),
            Some(error.as_str()),
        ),
        Attempt::Failed { status, error } => {
            ("failed", at, None, status.map(i32::from), Some(error.as_str()))
        }
    };
    db.query(&RECORD_ATTEMPT)
        .bind(id)
        .bind(status)
        .bind(next)
        .bind(delivered_at)
        .bind(last_status)
        .bind(last_error)
        .execute()
        .await?;
    Ok(())
}

pub(super) async fn deliveries(
    db: &SqlDb,
    user_id: Uuid,
    webhook_id: Uuid,
    limit: u32,
) -> Result<Vec<DeliveryRecord>, RepoError> {
    let rows = db
        .query(&DELIVERIES)
        .bind(user_id)
        .bind(webhook_id)
        .bind(i64::from(limit))
        .fetch_all()
        .await?;
    rows.iter().map(delivery_record).collect()
}
