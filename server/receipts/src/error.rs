//! The receipts service's errors and, in one place, what each looks like on the wire.

use axum::response::{IntoResponse, Response};
use expense_api::{FieldError, ProblemType};
use expense_kit::ProblemResponse;

use crate::repository::RepoError;
use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    /// 422: the listed fields are not acceptable.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// 413: larger than the configured limit.
    #[error("too large")]
    TooLarge { limit: u64 },
    /// 404: no such expense or receipt of the caller.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 401: the caller's token was refused by the expenses service.
    #[error("unauthorized")]
    Unauthorized,
    /// 409: the upload is missing or does not match what was declared.
    #[error("upload not complete: {0}")]
    NotUploaded(String),
    /// 503: a dependency (storage, expenses service, database) did not answer.
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(#[from] RepoError),
}

impl From<StorageError> for ReceiptError {
    fn from(error: StorageError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

impl From<ReceiptError> for ProblemResponse {
    fn from(error: ReceiptError) -> Self {
        match error {
            ReceiptError::Validation(errors) => ProblemResponse::validation(errors),
            ReceiptError::TooLarge { limit } => ProblemResponse::new(
                ProblemType::PayloadTooLarge,
                format!(
                    "Receipts may be at most {limit} bytes ({} MiB).",
                    limit / (1024 * 1024)
                ),
            ),
            ReceiptError::NotFound(what) => ProblemResponse::not_found(what),
            ReceiptError::Unauthorized => ProblemResponse::unauthorized("The token was refused."),
            ReceiptError::NotUploaded(detail) => ProblemResponse::new(ProblemType::Conflict, detail),
            ReceiptError::Unavailable(detail) => {
                tracing::warn!(%detail, "receipts dependency unavailable");
                ProblemResponse::retry_after(
                    ProblemType::Unavailable,
                    "Receipt storage is not answering; retry shortly.",
                    2,
                )
            }
            ReceiptError::Store(RepoError::Database(error)) if expense_kit::db::is_unavailable(&error) => {
                tracing::warn!(error = %error, "receipt metadata unavailable");
                ProblemResponse::retry_after(
                    ProblemType::Unavailable,
                    "The receipt store is not answering; retry shortly.",
                    2,
                )
            }
            ReceiptError::Store(error) => {
                tracing::error!(error = %error, "receipt storage failed");
                ProblemResponse::internal()
            }
        }
    }
}

impl IntoResponse for ReceiptError {
    fn into_response(self) -> Response {
        ProblemResponse::from(self).into_response()
    }
}
