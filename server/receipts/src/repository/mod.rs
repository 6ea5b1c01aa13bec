//! Storage of receipt metadata, behind one trait.
//!
//! The service depends only on [`ReceiptRepository`]. [`store`] implements it once for both
//! backends (Postgres and SQLite run the same statements; their differences are kept in
//! `expense_kit::db::sql`); the conformance suite in `tests/it/repository.rs` runs the same cases
//! against both. Every read and write is scoped to one user, except the sweeper's
//! [`ReceiptRepository::stale_pending`] and [`ReceiptRepository::deleted_users_since`]. The store contains SQL and nothing else: no business rules.

pub mod store;

use async_trait::async_trait;
use expense_api::receipts::{Receipt, ReceiptStatus};
use time::OffsetDateTime;
use uuid::Uuid;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

/// A stored receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub expense_id: Uuid,
    pub object_key: String,
    pub content_type: String,
    pub size: u64,
    /// Lower-case hexadecimal.
    pub sha256: String,
    pub status: ReceiptStatus,
    pub created_at: OffsetDateTime,
    pub uploaded_at: Option<OffsetDateTime>,
}

impl ReceiptRecord {
    pub fn to_api(&self) -> Receipt {
        Receipt {
            id: self.id,
            expense_id: self.expense_id,
            content_type: self.content_type.clone(),
            size: self.size,
            sha256: self.sha256.clone(),
            status: self.status,
            created_at: self.created_at,
            uploaded_at: self.uploaded_at,
        }
    }
}

pub(crate) fn status_to_db(status: ReceiptStatus) -> &'static str {
    match status {
        ReceiptStatus::Pending => "pending",
        ReceiptStatus::Uploaded => "uploaded",
    }
}

pub(crate) fn status_from_db(value: &str) -> Result<ReceiptStatus, RepoError> {
    match value {
        "pending" => Ok(ReceiptStatus::Pending),
        "uploaded" => Ok(ReceiptStatus::Uploaded),
        other => Err(RepoError::Corrupt(format!("unknown status {other:?}"))),
    }
}

/// Receipt metadata.
#[async_trait]
pub trait ReceiptRepository: Send + Sync {
    async fn insert_receipt(&self, receipt: &ReceiptRecord) -> Result<(), RepoError>;
    async fn receipt(&self, user_id: Uuid, id: Uuid) -> Result<Option<ReceiptRecord>, RepoError>;
    /// The receipts of one expense, oldest first.
    async fn expense_receipts(
        &self,
        user_id: Uuid,
        expense_id: Uuid,
    ) -> Result<Vec<ReceiptRecord>, RepoError>;
    /// Marks a pending receipt uploaded; `false` if it is not pending (or not the user's).
    async fn mark_uploaded(&self, user_id: Uuid, id: Uuid, at: OffsetDateTime) -> Result<bool, RepoError>;
    /// `false` if there was none.
    async fn delete_receipt(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError>;
    /// Deletes every receipt row of the user and records its tombstone (deleted at `at`; an
    /// earlier one is kept), in one transaction. Safe to repeat.
    async fn erase_user(&self, user_id: Uuid, at: OffsetDateTime) -> Result<(), RepoError>;
    /// The users whose tombstone is dated `since` or later.
    async fn deleted_users_since(&self, since: OffsetDateTime) -> Result<Vec<Uuid>, RepoError>;
    /// Pending receipts created before `before`, at most `limit`, oldest first (any user).
    async fn stale_pending(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<ReceiptRecord>, RepoError>;
}
