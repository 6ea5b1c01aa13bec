//! The auth service's errors and, in one place, what each looks like on the wire.

use axum::response::{IntoResponse, Response};
use expense_api::{FieldError, ProblemType};
use expense_kit::ProblemResponse;
use expense_kit::auth::AuthRejection;

use crate::repository::RepoError;

/// Everything an auth operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// 422: listed fields are not acceptable.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// 409: an account with this e-mail exists.
    #[error("e-mail already registered")]
    EmailTaken,
    /// 401: wrong e-mail or password (never says which).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// 401: the account is disabled.
    #[error("account disabled")]
    AccountDisabled,
    /// 401: the refresh token is unknown, expired, used or revoked.
    #[error("invalid refresh token")]
    InvalidRefreshToken,
    /// 429: too many login attempts; retry after this many seconds.
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    /// 403: the operation needs an interactive session, not a personal access token.
    #[error("needs a session")]
    NeedsSession,
    /// 404: nothing of this kind with that id (for this caller).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 401/503 from token verification.
    #[error(transparent)]
    Unauthenticated(#[from] AuthRejection),
    /// 500: storage failed.
    #[error(transparent)]
    Store(#[from] RepoError),
    /// 500: anything else unexpected.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AuthError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }
}

impl From<AuthError> for ProblemResponse {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::Validation(errors) => ProblemResponse::validation(errors),
            AuthError::EmailTaken => ProblemResponse::new(
                ProblemType::Conflict,
                "An account with this e-mail address already exists; sign in instead.",
            ),
            AuthError::InvalidCredentials => {
                ProblemResponse::unauthorized("The e-mail address or password is wrong.")
            }
            AuthError::AccountDisabled => {
                ProblemResponse::unauthorized("This account is disabled; ask an administrator.")
            }
            AuthError::InvalidRefreshToken => ProblemResponse::unauthorized(
                "The refresh token is not valid, has expired or was already used; sign in again.",
            ),
            AuthError::RateLimited { retry_after_secs } => ProblemResponse::retry_after(
                ProblemType::RateLimited,
                format!("Too many sign-in attempts; retry in {retry_after_secs} s."),
                retry_after_secs,
            ),
            AuthError::NeedsSession => ProblemResponse::new(
                ProblemType::Forbidden,
                "This needs an interactive session: personal access tokens cannot manage tokens, the password or the account; sign in with `expense login` and retry.",
            ),
            AuthError::NotFound(what) => ProblemResponse::not_found(what),
            AuthError::Unauthenticated(rejection) => rejection.into(),
            AuthError::Store(RepoError::Conflict(constraint)) => {
                tracing::error!(%constraint, "unexpected unique violation");
                ProblemResponse::internal()
            }
            AuthError::Store(RepoError::Database(error)) if expense_kit::db::is_unavailable(&error) => {
                tracing::warn!(error = %error, "auth storage unavailable");
                ProblemResponse::retry_after(
                    ProblemType::Unavailable,
                    "The account store is not answering; retry shortly.",
                    2,
                )
            }
            AuthError::Store(error) => {
                tracing::error!(error = %error, "auth storage failed");
                ProblemResponse::internal()
            }
            AuthError::Internal(error) => {
                tracing::error!(error = %format!("{error:#}"), "auth operation failed");
                ProblemResponse::internal()
            }
        }
    }
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        ProblemResponse::from(self).into_response()
    }
}
