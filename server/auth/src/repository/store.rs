//! The auth store, on Postgres (the `auth` schema, selected by the pool's `search_path`) or on
//! SQLite (`auth.sqlite3` in the data directory): one implementation, the backend's differences
//! kept in `expense_kit::db::sql`.

use async_trait::async_trait;
use expense_api::auth::Role;
use expense_kit::db::{Query, Sql, SqlDb, SqlRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    NewPersonalAccessToken, NewRefreshToken, OutboxRecord, OutboxRepository, PersonalAccessTokenRecord,
    PersonalAccessTokenRepository, RefreshTokenRecord, RefreshTokenRepository, RepoError, Rotation,
    UserRecord, UserRepository, role_from_db,
};

/// Auth storage.
#[derive(Debug, Clone)]
pub struct SqlAuthStore {
    db: SqlDb,
}

impl SqlAuthStore {
    pub fn new(db: SqlDb) -> Self {
        Self { db }
    }
}

macro_rules! user_columns {
    () => {
        "id, email, password_hash, role, disabled_at, created_at, session_generation"
    };
}

macro_rules! pat_columns {
    () => {
        "id, user_id, name, created_at, expires_at, last_used_at, revoked_at"
    };
}

const INSERT_USER: Sql = Sql::same(
    "INSERT INTO users (id, email, password_hash, role, disabled_at, created_at, session_generation)
     VALUES ($1, $2, $3, $4, $5, $6, $7)",
);
const USER_BY_EMAIL: Sql = Sql::same(concat!(
    "SELECT ",
    user_columns!(),
    " FROM users WHERE email = $1"
));
const USER_BY_ID: Sql = Sql::same(concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1"));
const LIST_USERS: Sql = Sql::each(
    concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2"
    ),
    concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE ($1 IS NULL OR id > $1) ORDER BY id LIMIT $2"
    ),
);
const SET_USER_DISABLED: Sql = Sql::same("UPDATE users SET disabled_at = $2 WHERE id = $1");
const SET_USER_ROLE: Sql = Sql::same("UPDATE users SET role = $2 WHERE id = $1");
const SET_PASSWORD: Sql = Sql::same(
    "UPDATE users SET password_hash = $2, session_generation = session_generation + 1
     WHERE id = $1 RETURNING session_generation",
);

const INSERT_REFRESH_TOKEN: Sql = Sql::same(
    "INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)",
);
const REFRESH_TOKEN_BY_HASH: Sql = Sql::same(
    "SELECT id, family_id, user_id, expires_at, used_at, revoked_at
     FROM refresh_tokens WHERE token_hash = $1",
);
const SPEND_REFRESH_TOKEN: Sql = Sql::same(
    "UPDATE refresh_tokens SET used_at = $2
     WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL",
);
const REVOKE_REFRESH_FAMILY: Sql =
    Sql::same("UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL");
const REVOKE_USER_REFRESH_TOKENS: Sql =
    Sql::same("UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL");

const INSERT_PAT: Sql = Sql::same(
    "INSERT INTO personal_access_tokens (id, user_id, name, token_hash, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)",
);
const PAT_BY_HASH: Sql = Sql::same(concat!(
    "SELECT ",
    pat_columns!(),
    " FROM personal_access_tokens WHERE token_hash = $1"
));
const LIST_PATS: Sql = Sql::same(concat!(
    "SELECT ",
    pat_columns!(),
    " FROM personal_access_tokens WHERE user_id = $1 ORDER BY id DESC"
));
const REVOKE_PAT: Sql = Sql::same(
    "UPDATE personal_access_tokens SET revoked_at = $3
     WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
);
const REVOKE_USER_PATS: Sql =
    Sql::same("UPDATE personal_access_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL");
/// Every row of an account, children first (the foreign keys cascade too; being explicit keeps
/// the list of what an account owns here, in one place).
const DELETE_ACCOUNT: [Sql; 3] = [
    Sql::same("DELETE FROM refresh_tokens WHERE user_id = $1"),
    Sql::same("DELETE FROM personal_access_tokens WHERE user_id = $1"),
    Sql::same("DELETE FROM users WHERE id = $1"),
];
const INSERT_EVENT: Sql = Sql::same(
    "INSERT INTO outbox (id, user_id, event_type, payload, created_at) VALUES ($1, $2, $3, $4, $5)",
);
const CLAIM_EVENTS: Sql = Sql::each(
    "UPDATE outbox SET claimed_until = $2
     WHERE id IN (SELECT id FROM outbox WHERE claimed_until IS NULL OR claimed_until <= $1
                  ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING id, user_id, event_type, payload, created_at",
    "UPDATE outbox SET claimed_until = $2
     WHERE id IN (SELECT id FROM outbox WHERE claimed_until IS NULL OR claimed_until <= $1
                  ORDER BY id LIMIT $3)
     RETURNING id, user_id, event_type, payload, created_at",
);
const FORGET_EVENT: Sql = Sql::same("DELETE FROM outbox WHERE id = $1");
const TOUCH_PAT: Sql = Sql::same("UPDATE personal_access_tokens SET last_used_at = $2 WHERE id = $1");

fn user(row: &SqlRow) -> Result<UserRecord, RepoError> {
    Ok(UserRecord {
        id: row.get("id")?,
        email: row.get("email")?,
        password_hash: row.get("password_hash")?,
        role: role_from_db(&row.get::<String>("role")?)?,
        disabled_at: row.get("disabled_at")?,
        created_at: row.get("created_at")?,
        session_generation: row.get("session_generation")?,
    })
}

fn refresh_token(row: &SqlRow) -> Result<RefreshTokenRecord, RepoError> {
    Ok(RefreshTokenRecord {
        id: row.get("id")?,
        family_id: row.get("family_id")?,
        user_id: row.get("user_id")?,
        expires_at: row.get("expires_at")?,
        used_at: row.get("used_at")?,
        revoked_at: row.get("revoked_at")?,
    })
}

fn personal_access_token(row: &SqlRow) -> Result<PersonalAccessTokenRecord, RepoError> {
    Ok(PersonalAccessTokenRecord {
        id: row.get("id")?,
        user_id: row.get("user_id")?,
        name: row.get("name")?,
        created_at: row.get("created_at")?,
        expires_at: row.get("expires_at")?,
        last_used_at: row.get("last_used_at")?,
        revoked_at: row.get("revoked_at")?,
    })
}

#[async_trait]
impl UserRepository for SqlAuthStore {
    async fn insert_user(&self, record: &UserRecord) -> Result<(), RepoError> {
        self.db
            .query(&INSERT_USER)
            .bind(record.id)
            .bind(&record.email)
            .bind(&record.password_hash)
            .bind(record.role.as_str())
            .bind(record.disabled_at)
            .bind(record.created_at)
            .bind(record.session_generation)
            .execute()
            .await
            .map_err(RepoError::from_sqlx)?;
        Ok(())
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, RepoError> {
        let row = self.db.query(&USER_BY_EMAIL).bind(email).fetch_optional().await?;
        row.as_ref().map(user).transpose()
    }

    async fn user_by_id(&self, id: Uuid) -> Result<Option<UserRecord>, RepoError> {
        let row = self.db.query(&USER_BY_ID).bind(id).fetch_optional().await?;
        row.as_ref().map(user).transpose()
    }

    async fn list_users(&self, after: Option<Uuid>, limit: u32) -> Result<Vec<UserRecord>, RepoError> {
        let rows = self
            .db
            .query(&LIST_USERS)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all()
            .await?;
        rows.iter().map(user).collect()
    }

    async fn set_user_disabled(
        &self,
        id: Uuid,
        disabled_at: Option<OffsetDateTime>,
    ) -> Result<bool, RepoError> {
        let changed = self
            .db
            .query(&SET_USER_DISABLED)
            .bind(id)
            .bind(disabled_at)
            .execute()
            .await?;
        Ok(changed == 1)
    }

    async fn set_user_role(&self, id: Uuid, role: Role) -> Result<bool, RepoError> {
        let changed = self
            .db
            .query(&SET_USER_ROLE)
            .bind(id)
            .bind(role.as_str())
            .execute()
            .await?;
        Ok(changed == 1)
    }

    async fn change_password(
        &self,
        id: Uuid,
        password_hash: &str,
        at: OffsetDateTime,
        revoke_personal_access_tokens: bool,
    ) -> Result<Option<i32>, RepoError> {
        let mut transaction = self.db.begin().await?;
        let Some(row) = transaction
            .query(&SET_PASSWORD)
            .bind(id)
            .bind(password_hash)
            .fetch_optional()
            .await?
        else {
            return Ok(None);
        };
        let generation = row.get("session_generation")?;
        transaction
            .query(&REVOKE_USER_REFRESH_TOKENS)
            .bind(id)
            .bind(at)
            .execute()
            .await?;
        if revoke_personal_access_tokens {
            transaction
                .query(&REVOKE_USER_PATS)
                .bind(id)
                .bind(at)
                .execute()
                .await?;
        }
        transaction.commit().await?;
        Ok(Some(generation))
    }

    async fn delete_account(&self, id: Uuid, event: &OutboxRecord) -> Result<bool, RepoError> {
        let mut transaction = self.db.begin().await?;
        let mut deleted = 0;
        for statement in &DELETE_ACCOUNT {
            deleted = transaction.query(statement).bind(id).execute().await?;
        }
        // The last statement deleted the account itself.
        if deleted != 1 {
            return Ok(false);
        }
        transaction
            .query(&INSERT_EVENT)
            .bind(event.id)
            .bind(event.user_id)
            .bind(&event.event_type)
            .bind(&event.payload)
            .bind(event.created_at)
            .execute()
            .await?;
        transaction.commit().await?;
        Ok(true)
    }
}

#[async_trait]
impl OutboxRepository for SqlAuthStore {
    async fn claim_events(
        &self,
        limit: u32,
        now: OffsetDateTime,
        claimed_until: OffsetDateTime,
    ) -> Result<Vec<OutboxRecord>, RepoError> {
        let rows = self
            .db
            .query(&CLAIM_EVENTS)
            .bind(now)
            .bind(claimed_until)
            .bind(i64::from(limit))
            .fetch_all()
            .await?;
        let mut events = rows
            .iter()
            .map(|row| {
                Ok(OutboxRecord {
                    id: row.get("id")?,
                    user_id: row.get("user_id")?,
                    event_type: row.get("event_type")?,
                    payload: row.get("payload")?,
                    created_at: row.get("created_at")?,
                })
            })
            .collect::<Result<Vec<_>, RepoError>>()?;
        // RETURNING promises no order.
        events.sort_by_key(|event| event.id);
        Ok(events)
    }

    async fn forget_events(&self, ids: &[Uuid]) -> Result<(), RepoError> {
        for id in ids {
            self.db.query(&FORGET_EVENT).bind(*id).execute().await?;
        }
        Ok(())
    }
}

#[async_trait]
impl RefreshTokenRepository for SqlAuthStore {
    async fn insert_refresh_token(&self, token: &NewRefreshToken) -> Result<(), RepoError> {
        with_refresh_token(self.db.query(&INSERT_REFRESH_TOKEN), token)
            .execute()
            .await
            .map_err(RepoError::from_sqlx)?;
        Ok(())
    }

    async fn refresh_token_by_hash(
        &self,
        token_hash: &[u8],
    ) -> Result<Option<RefreshTokenRecord>, RepoError> {
        let row = self
            .db
            .query(&REFRESH_TOKEN_BY_HASH)
            .bind(token_hash)
            .fetch_optional()
            .await?;
        row.as_ref().map(refresh_token).transpose()
    }

    async fn rotate_refresh_token(
        &self,
        old: Uuid,
        new: &NewRefreshToken,
        at: OffsetDateTime,
    ) -> Result<Rotation, RepoError> {
        // On SQLite the transaction takes the write lock up front, so two rotations serialise
        // instead of one failing with SQLITE_BUSY when it upgrades a read lock.
        let mut transaction = self.db.begin().await?;
        let spent = transaction
            .query(&SPEND_REFRESH_TOKEN)
            .bind(old)
            .bind(at)
            .execute()
            .await?;
        if spent != 1 {
            return Ok(Rotation::AlreadySpent);
        }
        with_refresh_token(transaction.query(&INSERT_REFRESH_TOKEN), new)
            .execute()
            .await
            .map_err(RepoError::from_sqlx)?;
        transaction.commit().await?;
        Ok(Rotation::Rotated)
    }

    async fn revoke_refresh_family(&self, family_id: Uuid, at: OffsetDateTime) -> Result<u64, RepoError> {
        Ok(self
            .db
            .query(&REVOKE_REFRESH_FAMILY)
            .bind(family_id)
            .bind(at)
            .execute()
            .await?)
    }

    async fn revoke_user_refresh_tokens(&self, user_id: Uuid, at: OffsetDateTime) -> Result<u64, RepoError> {
        Ok(self
            .db
            .query(&REVOKE_USER_REFRESH_TOKENS)
            .bind(user_id)
            .bind(at)
            .execute()
            .await?)
    }
}

/// [`INSERT_REFRESH_TOKEN`] with its arguments.
fn with_refresh_token<'a>(query: Query<'a>, token: &NewRefreshToken) -> Query<'a> {
    query
        .bind(token.id)
        .bind(token.family_id)
        .bind(token.user_id)
        .bind(&token.token_hash[..])
        .bind(token.created_at)
        .bind(token.expires_at)
}

#[async_trait]
impl PersonalAccessTokenRepository for SqlAuthStore {
    async fn insert_personal_access_token(&self, token: &NewPersonalAccessToken) -> Result<(), RepoError> {
        self.db
            .query(&INSERT_PAT)
            .bind(token.id)
            .bind(token.user_id)
            .bind(&token.name)
            .bind(&token.token_hash[..])
            .bind(token.created_at)
            .bind(token.expires_at)
            .execute()
            .await
            .map_err(RepoError::from_sqlx)?;
        Ok(())
    }

    async fn personal_access_token_by_hash(
        &self,
        token_hash: &[u8],
    ) -> Result<Option<PersonalAccessTokenRecord>, RepoError> {
        let row = self
            .db
            .query(&PAT_BY_HASH)
            .bind(token_hash)
            .fetch_optional()
            .await?;
        row.as_ref().map(personal_access_token).transpose()
    }

    async fn list_personal_access_tokens(
        &self,
        user_id: Uuid,
    ) -> Result<Vec<PersonalAccessTokenRecord>, RepoError> {
        let rows = self.db.query(&LIST_PATS).bind(user_id).fetch_all().await?;
        rows.iter().map(personal_access_token).collect()
    }

    async fn revoke_personal_access_token(
        &self,
        user_id: Uuid,
        id: Uuid,
        at: OffsetDateTime,
    ) -> Result<bool, RepoError> {
        let changed = self
            .db
            .query(&REVOKE_PAT)
            .bind(id)
            .bind(user_id)
            .bind(at)
            .execute()
            .await?;
        Ok(changed == 1)
    }

    async fn touch_personal_access_token(&self, id: Uuid, at: OffsetDateTime) -> Result<(), RepoError> {
        self.db.query(&TOUCH_PAT).bind(id).bind(at).execute().await?;
        Ok(())
    }
}
