//! Receipt metadata, on Postgres (the `receipts` schema, selected by the pool's `search_path`) or
//! on SQLite (`receipts.sqlite3` in the data directory): one implementation, the backends'
//! differences kept in `expense_kit::db::sql`.

use async_trait::async_trait;
use expense_kit::db::{Sql, SqlDb, SqlRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ReceiptRecord, ReceiptRepository, RepoError, status_from_db, status_to_db};

/// Receipt storage.
#[derive(Debug, Clone)]
pub struct SqlReceiptStore {
    db: SqlDb,
}

impl SqlReceiptStore {
    pub fn new(db: SqlDb) -> Self {
        Self { db }
    }
}

macro_rules! columns {
    () => {
        "id, user_id, expense_id, object_key, content_type, size, sha256, status, created_at, uploaded_at"
    };
}

const INSERT_RECEIPT: Sql = Sql::same(concat!(
    "INSERT INTO receipts (",
    columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
));
const RECEIPT: Sql = Sql::same(concat!(
    "SELECT ",
    columns!(),
    " FROM receipts WHERE user_id = $1 AND id = $2"
));
const EXPENSE_RECEIPTS: Sql = Sql::same(concat!(
    "SELECT ",
    columns!(),
    " FROM receipts WHERE user_id = $1 AND expense_id = $2 ORDER BY id"
));
const MARK_UPLOADED: Sql = Sql::same(
    "UPDATE receipts SET status = 'uploaded', uploaded_at = $3
     WHERE user_id = $1 AND id = $2 AND status = 'pending'",
);
const DELETE_RECEIPT: Sql = Sql::same("DELETE FROM receipts WHERE user_id = $1 AND id = $2");
const ERASE_USER: Sql = Sql::same("DELETE FROM receipts WHERE user_id = $1");
const INSERT_TOMBSTONE: Sql =
    Sql::same("INSERT INTO deleted_users (user_id, deleted_at) VALUES ($1, $2) ON CONFLICT DO NOTHING");
const DELETED_USERS_SINCE: Sql =
    Sql::same("SELECT user_id FROM deleted_users WHERE deleted_at >= $1 ORDER BY user_id");
const STALE_PENDING: Sql = Sql::same(concat!(
    "SELECT ",
    columns!(),
    " FROM receipts WHERE status = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2"
));

fn receipt(row: &SqlRow) -> Result<ReceiptRecord, RepoError> {
    Ok(ReceiptRecord {
        id: row.get("id")?,
        user_id: row.get("user_id")?,
        expense_id: row.get("expense_id")?,
        object_key: row.get("object_key")?,
        content_type: row.get("content_type")?,
        size: u64::try_from(row.get::<i64>("size")?).map_err(|e| RepoError::Corrupt(e.to_string()))?,
        sha256: row.get("sha256")?,
        status: status_from_db(&row.get::<String>("status")?)?,
        created_at: row.get("created_at")?,
        uploaded_at: row.get("uploaded_at")?,
    })
}

#[async_trait]
impl ReceiptRepository for SqlReceiptStore {
    async fn insert_receipt(&self, record: &ReceiptRecord) -> Result<(), RepoError> {
        self.db
            .query(&INSERT_RECEIPT)
            .bind(record.id)
            .bind(record.user_id)
            .bind(record.expense_id)
            .bind(&record.object_key)
            .bind(&record.content_type)
            .bind(i64::try_from(record.size).unwrap_or(i64::MAX))
            .bind(&record.sha256)
            .bind(status_to_db(record.status))
            .bind(record.created_at)
            .bind(record.uploaded_at)
            .execute()
            .await?;
        Ok(())
    }

    async fn receipt(&self, user_id: Uuid, id: Uuid) -> Result<Option<ReceiptRecord>, RepoError> {
        let row = self
            .db
            .query(&RECEIPT)
            .bind(user_id)
            .bind(id)
            .fetch_optional()
            .await?;
        row.as_ref().map(receipt).transpose()
    }

    async fn expense_receipts(
        &self,
        user_id: Uuid,
        expense_id: Uuid,
    ) -> Result<Vec<ReceiptRecord>, RepoError> {
        let rows = self
            .db
            .query(&EXPENSE_RECEIPTS)
            .bind(user_id)
            .bind(expense_id)
            .fetch_all()
            .await?;
        rows.iter().map(receipt).collect()
    }

    async fn mark_uploaded(&self, user_id: Uuid, id: Uuid, at: OffsetDateTime) -> Result<bool, RepoError> {
        let changed = self
            .db
            .query(&MARK_UPLOADED)
            .bind(user_id)
            .bind(id)
            .bind(at)
            .execute()
            .await?;
        Ok(changed == 1)
    }

    async fn delete_receipt(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError> {
        let changed = self
            .db
            .query(&DELETE_RECEIPT)
            .bind(user_id)
            .bind(id)
            .execute()
            .await?;
        Ok(changed == 1)
    }

    async fn erase_user(&self, user_id: Uuid, at: OffsetDateTime) -> Result<(), RepoError> {
        let mut transaction = self.db.begin().await?;
        transaction.query(&ERASE_USER).bind(user_id).execute().await?;
        transaction
            .query(&INSERT_TOMBSTONE)
            .bind(user_id)
            .bind(at)
            .execute()
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn deleted_users_since(&self, since: OffsetDateTime) -> Result<Vec<Uuid>, RepoError> {
        let rows = self
            .db
            .query(&DELETED_USERS_SINCE)
            .bind(since)
            .fetch_all()
            .await?;
        rows.iter().map(|row| Ok(row.get("user_id")?)).collect()
    }

    async fn stale_pending(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<ReceiptRecord>, RepoError> {
        let rows = self
            .db
            .query(&STALE_PENDING)
            .bind(before)
            .bind(i64::from(limit))
            .fetch_all()
            .await?;
        rows.iter().map(receipt).collect()
    }
}
