//! Who is calling: bearer-token authentication as an axum extractor.
//!
//! Handlers that need a signed-in caller take a [`CurrentUser`] (or [`AdminUser`]) argument;
//! the extractor asks the state's [`Authenticator`] and answers 401 problem+json, with an RFC 6750
//! challenge, when there is no valid token. Two authenticators exist: the auth service checks its
//! own database; every other service uses [`RemoteAuthenticator`], which verifies access tokens
//! locally against the auth service's JWKS and learns about revocations through a cached
//! introspection call.

mod claims;
mod remote;

use std::sync::Arc;

use async_trait::async_trait;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use expense_api::ProblemType;
pub use expense_api::auth::{Role, TokenKind};
use uuid::Uuid;

pub use claims::{AUDIENCE, AccessClaims, ISSUER, LEEWAY_SECS, decode_access_token};
pub use remote::RemoteAuthenticator;

use crate::problem::ProblemResponse;

/// The authenticated caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal {
    pub user_id: Uuid,
    pub role: Role,
    pub kind: TokenKind,
}

/// Why a token was refused. Each variant's text is shown to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthRejection {
    /// No `Authorization: Bearer` header.
    #[error("This operation needs a signed-in caller: send `Authorization: Bearer <token>`.")]
    Missing,
    /// The header is there but holds no usable token.
    #[error("The Authorization header must be `Bearer <token>`.")]
    Malformed,
    /// A JWT that is past its expiry.
    #[error("The access token has expired; refresh it or sign in again.")]
    Expired,
    /// Bad signature, unknown key, wrong issuer or audience, or not a token at all.
    #[error("The token is not valid.")]
    Invalid,
    /// A token that was valid but has been revoked, or whose account is disabled.
    #[error("The token has been revoked or its account disabled.")]
    Revoked,
    /// The auth service could not be asked; the caller may retry.
    #[error("Tokens cannot be checked right now; retry shortly.")]
    Unavailable,
}

impl From<AuthRejection> for ProblemResponse {
    fn from(rejection: AuthRejection) -> Self {
        match rejection {
            AuthRejection::Unavailable => {
                ProblemResponse::retry_after(ProblemType::Unavailable, rejection.to_string(), 2)
            }
            other => ProblemResponse::unauthorized(other.to_string()),
        }
    }
}

/// Turns a bearer token into a [`Principal`].
#[async_trait]
pub trait Authenticator: Send + Sync + 'static {
    async fn authenticate(&self, token: &str) -> Result<Principal, AuthRejection>;
}

/// The authenticator a router's state provides to the extractors.
pub type SharedAuthenticator = Arc<dyn Authenticator>;

/// Extractor: the signed-in caller, any role.
#[derive(Debug, Clone, Copy)]
pub struct CurrentUser(pub Principal);

/// Extractor: the signed-in caller, who must be an admin (403 otherwise).
#[derive(Debug, Clone, Copy)]
pub struct AdminUser(pub Principal);

/// Extractor: the raw bearer token of the request, already authenticated.
#[derive(Debug, Clone)]
pub struct BearerToken(pub String);

/// The token in an `Authorization: Bearer …` header.
pub fn bearer_token(parts: &Parts) -> Result<&str, AuthRejection> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or(AuthRejection::Missing)?;
    let value = value.to_str().map_err(|_| AuthRejection::Malformed)?;
    let (scheme, token) = value.split_once(' ').ok_or(AuthRejection::Malformed)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() || token.len() > 4096 {
        return Err(AuthRejection::Malformed);
    }
    Ok(token)
}

impl<S> FromRequestParts<S> for CurrentUser
where
    S: Send + Sync,
    SharedAuthenticator: FromRef<S>,
{
    type Rejection = ProblemResponse;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(principal) = parts.extensions.get::<Principal>() {
            return Ok(Self(*principal));
        }
        let token = bearer_token(parts)?.to_owned();
        let authenticator = SharedAuthenticator::from_ref(state);
        let principal = authenticator.authenticate(&token).await?;
        parts.extensions.insert(principal);
        parts.extensions.insert(BearerToken(token));
        Ok(Self(principal))
    }
}

impl<S> FromRequestParts<S> for AdminUser
where
    S: Send + Sync,
    SharedAuthenticator: FromRef<S>,
{
    type Rejection = ProblemResponse;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let CurrentUser(principal) = CurrentUser::from_request_parts(parts, state).await?;
        if principal.role != Role::Admin {
            return Err(ProblemResponse::new(
                ProblemType::Forbidden,
                "This operation is for administrators.",
            ));
        }
        Ok(Self(principal))
    }
}
