//! Wire types of the receipts service: receipt metadata and the presigned URLs that move the
//! bytes directly between the client and S3 (the services never carry a receipt's bytes).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// Media types a receipt may have.
pub const RECEIPT_CONTENT_TYPES: [&str; 5] = [
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
    "application/pdf",
];

/// `POST /v1/expenses/{id}/receipts`: what the client is about to upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReceipt {
    /// One of image/jpeg, image/png, image/webp, image/heic, application/pdf.
    #[schema(pattern = "^(image/jpeg|image/png|image/webp|image/heic|application/pdf)$")]
    pub content_type: String,
    /// Exact size in bytes.
    #[schema(minimum = 1)]
    pub size: u64,
    /// SHA-256 of the file, 64 hexadecimal digits.
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub sha256: String,
}

/// A receipt's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReceiptStatus {
    /// Created; the upload has not been confirmed with `/complete`.
    Pending,
    /// The object is in storage with the declared size and checksum.
    Uploaded,
}

/// A receipt attached to an expense.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Receipt {
    pub id: Uuid,
    pub expense_id: Uuid,
    pub content_type: String,
    pub size: u64,
    /// Hexadecimal SHA-256 of the content.
    pub sha256: String,
    pub status: ReceiptStatus,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub uploaded_at: Option<OffsetDateTime>,
}

/// How to upload: send exactly these headers (the signature covers them) and the file as body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UploadInstructions {
    /// Always `PUT`.
    pub method: String,
    pub url: String,
    /// Headers to send as they are, except `content-length`, which the HTTP client sets.
    pub headers: BTreeMap<String, String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
}

/// Answer to receipt creation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedReceipt {
    pub receipt: Receipt,
    pub upload: UploadInstructions,
}

/// A short-lived URL to download an uploaded receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DownloadLink {
    pub url: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
}

/// `GET /v1/receipts/{id}`: the receipt, and a download link once it is uploaded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReceiptDetails {
    #[serde(flatten)]
    pub receipt: Receipt,
    pub download: Option<DownloadLink>,
}

/// `GET /v1/expenses/{id}/receipts`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReceiptList {
    pub items: Vec<Receipt>,
}
