//! Wire types of the auth service: accounts, sessions, personal access tokens, administration.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// `POST /v1/auth/register`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// E-mail address; stored trimmed and lower-cased, unique per account.
    pub email: String,
    /// At least 12 characters.
    #[schema(min_length = 12)]
    pub password: String,
}

/// `POST /v1/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `POST /v1/me/password`: the account owner changes the password.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// The password the account has now.
    pub current_password: String,
    /// At least 12 characters, and not the current one.
    #[schema(min_length = 12)]
    pub new_password: String,
    /// Also revoke every personal access token (by default they keep working).
    #[serde(default)]
    pub revoke_tokens: bool,
}

/// `DELETE /v1/me`: the account owner deletes the account and everything it owns.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountRequest {
    /// The account's password, checked again: a stolen session alone cannot delete the account.
    pub password: String,
}

/// `POST /v1/auth/refresh` and `POST /v1/auth/logout`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh. Each one works once.
    pub refresh_token: String,
}

/// A new session: answered by login and refresh.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT (EdDSA) to send as `Authorization: Bearer`.
    pub access_token: String,
    /// Opaque; exchange it once at `/v1/auth/refresh` for a new pair.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

/// The role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }
}

/// An account, as its owner (`GET /v1/me`) or an admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    /// Set when an admin disabled the account; its tokens no longer work.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub disabled_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

/// `POST /v1/auth/tokens`: a personal access token for scripts and CI.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    /// A label to recognise the token by, 1 to 100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Lifetime in days, 1 to 366. Defaults to 90.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 366)]
    pub expires_in_days: Option<u32>,
}

/// A personal access token's metadata. The secret itself is never shown again after creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonalAccessToken {
    pub id: Uuid,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<OffsetDateTime>,
}

/// Answer to token creation: the metadata plus the secret, shown this once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: PersonalAccessToken,
    /// The secret to send as `Authorization: Bearer`. Store it now: it cannot be shown again.
    pub secret: String,
}

/// What the auth service knows of a bearer token: answered by `GET /v1/auth/introspect`, which
/// the other services call (and cache) to learn that a token was revoked or its account disabled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenInfo {
    pub user_id: Uuid,
    pub role: Role,
    pub kind: TokenKind,
    /// When the token stops working on its own.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
}

/// How a caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A short-lived JWT from login or refresh.
    Access,
    /// A personal access token.
    PersonalAccessToken,
}

/// Prefix of every personal access token secret, so that scanners and services can tell it apart
/// from a JWT.
pub const PERSONAL_ACCESS_TOKEN_PREFIX: &str = "exp_pat_";
