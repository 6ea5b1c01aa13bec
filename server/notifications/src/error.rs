//! The notifications service's errors and, in one place, what each looks like on the wire.

use axum::response::{IntoResponse, Response};
use expense_api::{FieldError, ProblemType};
use expense_kit::ProblemResponse;

use crate::repository::RepoError;

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(#[from] RepoError),
}

impl NotifyError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }
}

impl From<NotifyError> for ProblemResponse {
    fn from(error: NotifyError) -> Self {
        match error {
            NotifyError::Validation(errors) => ProblemResponse::validation(errors),
            NotifyError::NotFound(what) => ProblemResponse::not_found(what),
            NotifyError::Unavailable(detail) => {
                tracing::warn!(%detail, "notifications dependency unavailable");
                ProblemResponse::retry_after(
                    ProblemType::Unavailable,
                    "A dependency is not answering; retry shortly.",
                    2,
                )
            }
            NotifyError::Store(RepoError::Database(error)) if expense_kit::db::is_unavailable(&error) => {
                tracing::warn!(error = %error, "notification storage unavailable");
                ProblemResponse::retry_after(
                    ProblemType::Unavailable,
                    "The notification store is not answering; retry shortly.",
                    2,
                )
            }
            NotifyError::Store(error) => {
                tracing::error!(error = %error, "notification storage failed");
                ProblemResponse::internal()
            }
        }
    }
}

impl IntoResponse for NotifyError {
    fn into_response(self) -> Response {
        ProblemResponse::from(self).into_response()
    }
}
