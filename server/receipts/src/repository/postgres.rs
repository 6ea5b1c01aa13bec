//! Receipt metadata on Postgres (the `receipts` schema).

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ReceiptRecord, ReceiptRepository, RepoError, status_from_db, status_to_db};

#[derive(Debug, Clone)]
pub struct PgReceiptStore {
    pool: PgPool,
}

impl PgReceiptStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

const COLUMNS: &str =
    "id, user_id, expense_id, object_key, content_type, size, sha256, status, created_at, uploaded_at";

fn receipt(row: &PgRow) -> Result<ReceiptRecord, RepoError> {
    Ok(ReceiptRecord {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        expense_id: row.try_get("expense_id")?,
        object_key: row.try_get("object_key")?,
        content_type: row.try_get("content_type")?,
        size: u64::try_from(row.try_get::<i64, _>("size")?).map_err(|e| RepoError::Corrupt(e.to_string()))?,
        sha256: row.try_get("sha256")?,
        status: status_from_db(row.try_get("status")?)?,
        created_at: row.try_get("created_at")?,
        uploaded_at: row.try_get("uploaded_at")?,
    })
}

#[async_trait]
impl ReceiptRepository for PgReceiptStore {
    async fn insert_receipt(&self, record: &ReceiptRecord) -> Result<(), RepoError> {
        sqlx::query(
            "INSERT INTO receipts (id, user_id, expense_id, object_key, content_type, size, sha256, status, created_at, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
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
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn receipt(&self, user_id: Uuid, id: Uuid) -> Result<Option<ReceiptRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM receipts WHERE user_id = $1 AND id = $2"
        ));
        let row = sqlx::query(sql)
            .bind(user_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(receipt).transpose()
    }

    async fn expense_receipts(
        &self,
        user_id: Uuid,
        expense_id: Uuid,
    ) -> Result<Vec<ReceiptRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM receipts WHERE user_id = $1 AND expense_id = $2 ORDER BY id"
        ));
        let rows = sqlx::query(sql)
            .bind(user_id)
            .bind(expense_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(receipt).collect()
    }

    async fn mark_uploaded(&self, user_id: Uuid, id: Uuid, at: OffsetDateTime) -> Result<bool, RepoError> {
        let result = sqlx::query(
            "UPDATE receipts SET status = 'uploaded', uploaded_at = $3
             WHERE user_id = $1 AND id = $2 AND status = 'pending'",
        )
        .bind(user_id)
        .bind(id)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn delete_receipt(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError> {
        let result = sqlx::query("DELETE FROM receipts WHERE user_id = $1 AND id = $2")
            .bind(user_id)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn stale_pending(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<ReceiptRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM receipts WHERE status = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2"
        ));
        let rows = sqlx::query(sql)
            .bind(before)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(receipt).collect()
    }
}
