//! The expenses service's errors and, in one place, what each looks like on the wire.

use axum::response::{IntoResponse, Response};
use expense_api::{FieldError, ProblemType};
use expense_kit::ProblemResponse;

use crate::repository::RepoError;

/// Everything an expenses operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ExpenseError {
    /// 422: the listed fields are not acceptable.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// 404: nothing of this kind with that id for this caller (whether or not it exists for
    /// someone else).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 412: `If-Match` named another version, or the expense changed while we worked.
    #[error("version mismatch")]
    VersionMismatch { current: i64 },
    /// 422: the idempotency key was used for a different request.
    #[error("idempotency key reused")]
    KeyReused,
    /// 409: a rename onto a category that is in use.
    #[error("category in use")]
    CategoryInUse(String),
    /// 409: the caller has as many recurring schedules as there may be.
    #[error("too many recurring schedules")]
    TooManySchedules(usize),
    #[error(transparent)]
    Store(#[from] RepoError),
}

impl ExpenseError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }
}

impl From<ExpenseError> for ProblemResponse {
    fn from(error: ExpenseError) -> Self {
        match error {
            ExpenseError::Validation(errors) => ProblemResponse::validation(errors),
            ExpenseError::NotFound(what) => ProblemResponse::not_found(what),
            ExpenseError::VersionMismatch { current } => ProblemResponse::new(
                ProblemType::PreconditionFailed,
                format!(
                    "The expense changed since you read it (it is now version {current}); fetch it again and retry."
                ),
            ),
            ExpenseError::KeyReused => ProblemResponse::invalid_field(
                "Idempotency-Key",
                "was already used for a different request; use a new key for a new request",
            ),
            ExpenseError::CategoryInUse(name) => ProblemResponse::new(
                ProblemType::Conflict,
                format!("Category {name:?} is already in use; merge into it instead of renaming."),
            ),
            ExpenseError::TooManySchedules(max) => ProblemResponse::new(
                ProblemType::Conflict,
                format!("You have {max} recurring schedules, the most there can be; delete one first."),
            ),
            ExpenseError::Store(RepoError::Sqlite(error)) if expense_kit::db::is_sqlite_busy(&error) => {
                tracing::warn!(error = %error, "expense storage busy");
                ProblemResponse::retry_after(
                    ProblemType::Unavailable,
                    "The expense store is busy; retry shortly.",
                    1,
                )
            }
            ExpenseError::Store(RepoError::Database(error)) if expense_kit::db::is_unavailable(&error) => {
                tracing::warn!(error = %error, "expense storage unavailable");
                ProblemResponse::retry_after(
                    ProblemType::Unavailable,
                    "The expense store is not answering; retry shortly.",
                    2,
                )
            }
            ExpenseError::Store(error) => {
                tracing::error!(error = %error, "expense storage failed");
                ProblemResponse::internal()
            }
        }
    }
}

impl IntoResponse for ExpenseError {
    fn into_response(self) -> Response {
        ProblemResponse::from(self).into_response()
    }
}
