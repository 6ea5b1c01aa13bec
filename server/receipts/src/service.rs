//! The receipts service's rules.

use std::sync::Arc;

use expense_api::FieldError;
use expense_api::receipts::{
    CreatedReceipt, DownloadLink, NewReceipt, RECEIPT_CONTENT_TYPES, Receipt, ReceiptDetails, ReceiptStatus,
    UploadInstructions,
};
use expense_kit::clock::Clock;
use uuid::Uuid;

use crate::error::ReceiptError;
use crate::ownership::{ExpensesClient, Ownership};
use crate::repository::{ReceiptRecord, ReceiptRepository};
use crate::storage::ObjectStore;

/// How long a receipt may stay pending before the sweeper removes it.
pub const PENDING_LIFETIME: time::Duration = time::Duration::hours(1);
/// How long after an account's deletion the sweeper (every five minutes) erases it again.
pub const ERASE_AGAIN_WITHIN: time::Duration = time::Duration::hours(1);

pub struct ReceiptService {
    store: Arc<dyn ReceiptRepository>,
    objects: ObjectStore,
    expenses: ExpensesClient,
    max_bytes: u64,
    clock: Clock,
}

impl ReceiptService {
    /// The service over `store` and `objects`, asking `expenses` who owns an expense, taking
    /// receipts up to `max_bytes`, reading the time (stamps, URL dates, the sweep) from `clock`.
    pub fn new(
        store: Arc<dyn ReceiptRepository>,
        objects: ObjectStore,
        expenses: ExpensesClient,
        max_bytes: u64,
        clock: Clock,
    ) -> Self {
        Self {
            store,
            objects,
            expenses,
            max_bytes,
            clock,
        }
    }

    pub fn objects(&self) -> &ObjectStore {
        &self.objects
    }

    /// The server-made key of a receipt's object; never derived from a file name.
    pub fn object_key(user_id: Uuid, receipt_id: Uuid) -> String {
        format!("users/{user_id}/receipts/{receipt_id}")
    }

    async fn check_expense(&self, expense_id: Uuid, bearer: &str) -> Result<(), ReceiptError> {
        match self.expenses.ownership(expense_id, bearer).await {
            Ok(Ownership::Mine) => Ok(()),
            Ok(Ownership::NotFound) => Err(ReceiptError::NotFound("expense")),
            Ok(Ownership::Unauthorized) => Err(ReceiptError::Unauthorized),
            Err(error) => Err(ReceiptError::Unavailable(error.to_string())),
        }
    }

    /// Records a pending receipt and presigns its upload.
    pub async fn create(
        &self,
        user_id: Uuid,
        expense_id: Uuid,
        bearer: &str,
        input: NewReceipt,
    ) -> Result<CreatedReceipt, ReceiptError> {
        let mut errors = Vec::new();
        if !RECEIPT_CONTENT_TYPES.contains(&input.content_type.as_str()) {
            errors.push(FieldError::new(
                "content_type",
                format!("must be one of {}", RECEIPT_CONTENT_TYPES.join(", ")),
            ));
        }
        let sha256 = input.sha256.to_ascii_lowercase();
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            errors.push(FieldError::new(
                "sha256",
                "must be the SHA-256 of the file as 64 hexadecimal digits",
            ));
        }
        if input.size == 0 {
            errors.push(FieldError::new("size", "must be at least 1 byte"));
        }
        if !errors.is_empty() {
            return Err(ReceiptError::Validation(errors));
        }
        if input.size > self.max_bytes {
            return Err(ReceiptError::TooLarge {
                limit: self.max_bytes,
            });
        }
        self.check_expense(expense_id, bearer).await?;
        let id = Uuid::now_v7();
        let record = ReceiptRecord {
            id,
            user_id,
            expense_id,
            object_key: Self::object_key(user_id, id),
            content_type: input.content_type,
            size: input.size,
            sha256,
            status: ReceiptStatus::Pending,
            created_at: self.clock.now(),
            uploaded_at: None,
        };
        let presigned = self
            .objects
            .presign_put(
                &record.object_key,
                &record.content_type,
                record.size,
                &record.sha256,
                record.created_at,
            )
            .await?;
        self.store.insert_receipt(&record).await?;
        Ok(CreatedReceipt {
            receipt: record.to_api(),
            upload: UploadInstructions {
                method: "PUT".to_owned(),
                url: presigned.url,
                headers: presigned.headers,
                expires_at: presigned.expires_at,
            },
        })
    }

    async fn record(&self, user_id: Uuid, id: Uuid) -> Result<ReceiptRecord, ReceiptError> {
        self.store
            .receipt(user_id, id)
            .await?
            .ok_or(ReceiptError::NotFound("receipt"))
    }

    /// Confirms the upload: the object must exist with the declared size and checksum.
    pub async fn complete(&self, user_id: Uuid, id: Uuid) -> Result<Receipt, ReceiptError> {
        let record = self.record(user_id, id).await?;
        if record.status == ReceiptStatus::Uploaded {
            return Ok(record.to_api());
        }
        let Some(object) = self.objects.head(&record.object_key).await? else {
            return Err(ReceiptError::NotUploaded(
                "Nothing was uploaded for this receipt yet: PUT the file to the upload URL first.".to_owned(),
            ));
        };
        if object.size != record.size {
            return Err(ReceiptError::NotUploaded(format!(
                "The uploaded object has {} bytes, not the {} declared.",
                object.size, record.size
            )));
        }
        let expected = crate::storage::hex_to_base64(&record.sha256).unwrap_or_default();
        let actual = match object.sha256 {
            Some(checksum) => checksum,
            None => self.objects.hash_content(&record.object_key).await?,
        };
        if actual != expected {
            return Err(ReceiptError::NotUploaded(
                "The uploaded object's SHA-256 is not the one declared.".to_owned(),
            ));
        }
        let now = self.clock.now();
        self.store.mark_uploaded(user_id, id, now).await?;
        tracing::info!(%user_id, receipt_id = %id, "receipt uploaded");
        Ok(Receipt {
            status: ReceiptStatus::Uploaded,
            uploaded_at: Some(now),
            ..record.to_api()
        })
    }

    /// The receipt, with a download link once uploaded.
    pub async fn get(&self, user_id: Uuid, id: Uuid) -> Result<ReceiptDetails, ReceiptError> {
        let record = self.record(user_id, id).await?;
        let download = match record.status {
            ReceiptStatus::Uploaded => {
                let presigned = self
                    .objects
                    .presign_get(&record.object_key, self.clock.now())
                    .await?;
                Some(DownloadLink {
                    url: presigned.url,
                    expires_at: presigned.expires_at,
                })
            }
            ReceiptStatus::Pending => None,
        };
        Ok(ReceiptDetails {
            receipt: record.to_api(),
            download,
        })
    }

    /// The receipts of one of the caller's expenses.
    pub async fn list(
        &self,
        user_id: Uuid,
        expense_id: Uuid,
        bearer: &str,
    ) -> Result<Vec<Receipt>, ReceiptError> {
        self.check_expense(expense_id, bearer).await?;
        Ok(self
            .store
            .expense_receipts(user_id, expense_id)
            .await?
            .iter()
            .map(ReceiptRecord::to_api)
            .collect())
    }

    /// Deletes the object, then the row.
    pub async fn delete(&self, user_id: Uuid, id: Uuid) -> Result<(), ReceiptError> {
        let record = self.record(user_id, id).await?;
        self.objects.delete(&record.object_key).await?;
        self.store.delete_receipt(user_id, id).await?;
        Ok(())
    }

    /// Removes every receipt of a deleted expense (on its `expense.deleted` event); safe to
    /// repeat.
    pub async fn forget_expense(&self, user_id: Uuid, expense_id: Uuid) -> Result<usize, ReceiptError> {
        let receipts = self.store.expense_receipts(user_id, expense_id).await?;
        for receipt in &receipts {
            self.objects.delete(&receipt.object_key).await?;
            self.store.delete_receipt(user_id, receipt.id).await?;
        }
        Ok(receipts.len())
    }

    /// The prefix of every object of a user's.
    pub fn user_prefix(user_id: Uuid) -> String {
        format!("users/{user_id}/")
    }

    /// Erases a deleted account (its `account.deleted` event): every object under the user's
    /// prefix (whether a row names it or not: an upload may have landed without one), then every
    /// row, with a tombstone. Safe to repeat.
    pub async fn erase_account(&self, user_id: Uuid) -> Result<(), ReceiptError> {
        let objects = self.objects.delete_under(&Self::user_prefix(user_id)).await?;
        self.store.erase_user(user_id, self.clock.now()).await?;
        tracing::info!(%user_id, objects, "deleted account's receipts erased");
        Ok(())
    }

    /// Erases again the accounts deleted within [`ERASE_AGAIN_WITHIN`]: a URL presigned just
    /// before the deletion (live five minutes), or a request accepted on a cached token verdict
    /// (at most a minute), may still have stored something. Answers how many accounts.
    pub async fn erase_recently_deleted(&self) -> Result<usize, ReceiptError> {
        let now = self.clock.now();
        let users = self.store.deleted_users_since(now - ERASE_AGAIN_WITHIN).await?;
        for user_id in &users {
            self.objects.delete_under(&Self::user_prefix(*user_id)).await?;
            self.store.erase_user(*user_id, now).await?;
        }
        Ok(users.len())
    }

    /// Removes receipts pending for longer than an hour, with whatever was uploaded for them.
    pub async fn sweep_pending(&self) -> Result<usize, ReceiptError> {
        let stale = self
            .store
            .stale_pending(self.clock.now() - PENDING_LIFETIME, 500)
            .await?;
        for receipt in &stale {
            self.objects.delete(&receipt.object_key).await?;
            self.store.delete_receipt(receipt.user_id, receipt.id).await?;
        }
        Ok(stale.len())
    }
}
