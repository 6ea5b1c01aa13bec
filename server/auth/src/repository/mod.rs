//! Storage of accounts, sessions and personal access tokens, behind one trait per aggregate.
//!
//! The service depends only on these traits. [`store`] implements them once for both backends
//! (Postgres and SQLite differ only in a few statements' text, kept side by side there); the
//! conformance suite in `tests/it/repository.rs` runs the same cases against both. The store
//! contains SQL and nothing else: no business rules.

pub mod store;

use async_trait::async_trait;
use expense_api::auth::Role;
use time::OffsetDateTime;
use uuid::Uuid;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// A unique constraint refused the write; holds the constraint's name.
    #[error("conflict on {0}")]
    Conflict(String),
    /// Anything else from the database.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A stored value that cannot be read back (a bug or a hand edit).
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

impl RepoError {
    /// Maps unique violations to [`RepoError::Conflict`].
    pub(crate) fn from_sqlx(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error
            && db.is_unique_violation()
        {
            let name = db
                .constraint()
                .map(str::to_owned)
                .unwrap_or_else(|| sqlite_constraint_name(db.message()));
            return Self::Conflict(name);
        }
        Self::Database(error)
    }
}

/// SQLite names no constraint in its error ("UNIQUE constraint failed: users.email"); derive the
/// name Postgres gives the same constraint (`users_email_key`), so callers match one name.
fn sqlite_constraint_name(message: &str) -> String {
    match message.strip_prefix("UNIQUE constraint failed: ") {
        Some(columns) => {
            let mut parts = columns.split(", ").map(|column| column.split_once('.'));
            match parts.next().flatten() {
                Some((table, first)) => {
                    let rest: Vec<&str> = parts.flatten().map(|(_, column)| column).collect();
                    let mut name = format!("{table}_{first}");
                    for column in rest {
                        name.push('_');
                        name.push_str(column);
                    }
                    name + "_key"
                }
                None => message.to_owned(),
            }
        }
        None => message.to_owned(),
    }
}

/// Constraint that keeps e-mail addresses unique.
pub const USERS_EMAIL_KEY: &str = "users_email_key";

/// An account row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: Uuid,
    /// Normalised (see `domain::Email`).
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    /// Access tokens of an earlier generation are refused; a password change increments it.
    pub session_generation: i32,
}

/// A refresh token to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRefreshToken {
    pub id: Uuid,
    /// All tokens rotated from one login share a family.
    pub family_id: Uuid,
    pub user_id: Uuid,
    pub token_hash: Vec<u8>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// A stored refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshTokenRecord {
    pub id: Uuid,
    pub family_id: Uuid,
    pub user_id: Uuid,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// Result of rotating a refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    /// The old token is now used and the new one stored.
    Rotated,
    /// The old token had already been used or revoked; nothing was stored.
    AlreadySpent,
}

/// A personal access token to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPersonalAccessToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub token_hash: Vec<u8>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// A stored personal access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalAccessTokenRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// Accounts.
#[async_trait]
pub trait UserRepository: Send + Sync {
    /// Stores a new account; [`RepoError::Conflict`] with [`USERS_EMAIL_KEY`] if the e-mail is taken.
    async fn insert_user(&self, user: &UserRecord) -> Result<(), RepoError>;
    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, RepoError>;
    async fn user_by_id(&self, id: Uuid) -> Result<Option<UserRecord>, RepoError>;
    /// Accounts in id order (UUIDv7: creation order), after `after`, at most `limit`.
    async fn list_users(&self, after: Option<Uuid>, limit: u32) -> Result<Vec<UserRecord>, RepoError>;
    /// Sets or clears `disabled_at`; `false` if there is no such account.
    async fn set_user_disabled(
        &self,
        id: Uuid,
        disabled_at: Option<OffsetDateTime>,
    ) -> Result<bool, RepoError>;
    /// Changes the role; `false` if there is no such account.
    async fn set_user_role(&self, id: Uuid, role: Role) -> Result<bool, RepoError>;
    /// In one transaction: stores the new password hash, increments the session generation (so
    /// access tokens issued before are refused), revokes every live refresh token of the account
    /// at `at` and, with `revoke_personal_access_tokens`, every live personal access token.
    /// Answers the new generation; `None` if there is no such account (then nothing changes).
    async fn change_password(
        &self,
        id: Uuid,
        password_hash: &str,
        at: OffsetDateTime,
        revoke_personal_access_tokens: bool,
    ) -> Result<Option<i32>, RepoError>;
    /// In one transaction: deletes the account with its refresh tokens and personal access
    /// tokens, and writes `event` (its `account.deleted`) into the outbox. `false` if there is no
    /// such account (then nothing changes).
    async fn delete_account(&self, id: Uuid, event: &OutboxRecord) -> Result<bool, RepoError>;
}

/// An event in the auth service's outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub id: Uuid,
    /// Whose account the event is about.
    pub user_id: Uuid,
    pub event_type: String,
    /// The payload, as JSON text.
    pub payload: String,
    pub created_at: OffsetDateTime,
}

/// The outbox, for the relay.
#[async_trait]
pub trait OutboxRepository: Send + Sync {
    /// Claims up to `limit` events that no relay holds (or whose claim ended before `now`), oldest
    /// first, until `claimed_until`.
    async fn claim_events(
        &self,
        limit: u32,
        now: OffsetDateTime,
        claimed_until: OffsetDateTime,
    ) -> Result<Vec<OutboxRecord>, RepoError>;
    /// Deletes published events.
    async fn forget_events(&self, ids: &[Uuid]) -> Result<(), RepoError>;
}

/// Refresh tokens and their families.
#[async_trait]
pub trait RefreshTokenRepository: Send + Sync {
    async fn insert_refresh_token(&self, token: &NewRefreshToken) -> Result<(), RepoError>;
    async fn refresh_token_by_hash(&self, token_hash: &[u8])
    -> Result<Option<RefreshTokenRecord>, RepoError>;
    /// Atomically marks `old` used at `at` and stores `new`, unless `old` was already used or
    /// revoked (then nothing changes). Two concurrent rotations of one token: exactly one wins.
    async fn rotate_refresh_token(
        &self,
        old: Uuid,
        new: &NewRefreshToken,
        at: OffsetDateTime,
    ) -> Result<Rotation, RepoError>;
    /// Revokes every live token of a family; returns how many.
    async fn revoke_refresh_family(&self, family_id: Uuid, at: OffsetDateTime) -> Result<u64, RepoError>;
    /// Revokes every live token of an account; returns how many.
    async fn revoke_user_refresh_tokens(&self, user_id: Uuid, at: OffsetDateTime) -> Result<u64, RepoError>;
}

/// Personal access tokens.
#[async_trait]
pub trait PersonalAccessTokenRepository: Send + Sync {
    async fn insert_personal_access_token(&self, token: &NewPersonalAccessToken) -> Result<(), RepoError>;
    async fn personal_access_token_by_hash(
        &self,
        token_hash: &[u8],
    ) -> Result<Option<PersonalAccessTokenRecord>, RepoError>;
    /// The account's tokens, newest first.
    async fn list_personal_access_tokens(
        &self,
        user_id: Uuid,
    ) -> Result<Vec<PersonalAccessTokenRecord>, RepoError>;
    /// Revokes the account's token `id`; `false` if the account has no such live token.
    async fn revoke_personal_access_token(
        &self,
        user_id: Uuid,
        id: Uuid,
        at: OffsetDateTime,
    ) -> Result<bool, RepoError>;
    /// Records a use.
    async fn touch_personal_access_token(&self, id: Uuid, at: OffsetDateTime) -> Result<(), RepoError>;
}

/// Everything the auth service stores.
pub trait AuthStore:
    UserRepository + RefreshTokenRepository + PersonalAccessTokenRepository + OutboxRepository
{
}

impl<T> AuthStore for T where
    T: UserRepository + RefreshTokenRepository + PersonalAccessTokenRepository + OutboxRepository
{
}

pub(crate) fn role_from_db(value: &str) -> Result<Role, RepoError> {
    match value {
        "user" => Ok(Role::User),
        "admin" => Ok(Role::Admin),
        other => Err(RepoError::Corrupt(format!("unknown role {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_unique_errors_map_to_postgres_constraint_names() {
        assert_eq!(
            super::sqlite_constraint_name("UNIQUE constraint failed: users.email"),
            "users_email_key"
        );
        assert_eq!(
            super::sqlite_constraint_name("UNIQUE constraint failed: t.a, t.b"),
            "t_a_b_key"
        );
        assert_eq!(super::sqlite_constraint_name("something else"), "something else");
    }
}
