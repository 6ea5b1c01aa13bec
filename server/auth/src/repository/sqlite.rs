//! The auth store on SQLite (the embedded default: `auth.sqlite3` in the data directory).
//! Timestamps are stored as microseconds since the epoch; see the migration.

use async_trait::async_trait;
use expense_api::auth::Role;
use expense_kit::clock::{from_micros, to_micros};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    NewPersonalAccessToken, NewRefreshToken, PersonalAccessTokenRecord, PersonalAccessTokenRepository,
    RefreshTokenRecord, RefreshTokenRepository, RepoError, Rotation, UserRecord, UserRepository,
    role_from_db,
};

/// Auth storage in SQLite.
#[derive(Debug, Clone)]
pub struct SqliteAuthStore {
    pool: SqlitePool,
}

impl SqliteAuthStore {
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }
}

fn micros(at: Option<OffsetDateTime>) -> Option<i64> {
    at.map(to_micros)
}

fn time_at(row: &SqliteRow, column: &str) -> Result<OffsetDateTime, RepoError> {
    Ok(from_micros(row.try_get(column)?))
}

fn optional_time_at(row: &SqliteRow, column: &str) -> Result<Option<OffsetDateTime>, RepoError> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(from_micros))
}

const USER_COLUMNS: &str = "id, email, password_hash, role, disabled_at, created_at";

fn user(row: &SqliteRow) -> Result<UserRecord, RepoError> {
    Ok(UserRecord {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        role: role_from_db(row.try_get("role")?)?,
        disabled_at: optional_time_at(row, "disabled_at")?,
        created_at: time_at(row, "created_at")?,
    })
}

fn refresh_token(row: &SqliteRow) -> Result<RefreshTokenRecord, RepoError> {
    Ok(RefreshTokenRecord {
        id: row.try_get("id")?,
        family_id: row.try_get("family_id")?,
        user_id: row.try_get("user_id")?,
        expires_at: time_at(row, "expires_at")?,
        used_at: optional_time_at(row, "used_at")?,
        revoked_at: optional_time_at(row, "revoked_at")?,
    })
}

fn personal_access_token(row: &SqliteRow) -> Result<PersonalAccessTokenRecord, RepoError> {
    Ok(PersonalAccessTokenRecord {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        created_at: time_at(row, "created_at")?,
        expires_at: time_at(row, "expires_at")?,
        last_used_at: optional_time_at(row, "last_used_at")?,
        revoked_at: optional_time_at(row, "revoked_at")?,
    })
}

#[async_trait]
impl UserRepository for SqliteAuthStore {
    async fn insert_user(&self, record: &UserRecord) -> Result<(), RepoError> {
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, role, disabled_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(record.id)
        .bind(&record.email)
        .bind(&record.password_hash)
        .bind(record.role.as_str())
        .bind(micros(record.disabled_at))
        .bind(to_micros(record.created_at))
        .execute(&self.pool)
        .await
        .map_err(RepoError::from_sqlx)?;
        Ok(())
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?1"));
        let row = sqlx::query(sql).bind(email).fetch_optional(&self.pool).await?;
        row.as_ref().map(user).transpose()
    }

    async fn user_by_id(&self, id: Uuid) -> Result<Option<UserRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"));
        let row = sqlx::query(sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(user).transpose()
    }

    async fn list_users(&self, after: Option<Uuid>, limit: u32) -> Result<Vec<UserRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE (?1 IS NULL OR id > ?1) ORDER BY id LIMIT ?2"
        ));
        let rows = sqlx::query(sql)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user).collect()
    }

    async fn set_user_disabled(
        &self,
        id: Uuid,
        disabled_at: Option<OffsetDateTime>,
    ) -> Result<bool, RepoError> {
        let result = sqlx::query("UPDATE users SET disabled_at = ?2 WHERE id = ?1")
            .bind(id)
            .bind(micros(disabled_at))
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn set_user_role(&self, id: Uuid, role: Role) -> Result<bool, RepoError> {
        let result = sqlx::query("UPDATE users SET role = ?2 WHERE id = ?1")
            .bind(id)
            .bind(role.as_str())
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }
}

#[async_trait]
impl RefreshTokenRepository for SqliteAuthStore {
    async fn insert_refresh_token(&self, token: &NewRefreshToken) -> Result<(), RepoError> {
        insert_refresh_token(&self.pool, token).await
    }

    async fn refresh_token_by_hash(
        &self,
        token_hash: &[u8],
    ) -> Result<Option<RefreshTokenRecord>, RepoError> {
        let row = sqlx::query(
            "SELECT id, family_id, user_id, expires_at, used_at, revoked_at
             FROM refresh_tokens WHERE token_hash = ?1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(refresh_token).transpose()
    }

    async fn rotate_refresh_token(
        &self,
        old: Uuid,
        new: &NewRefreshToken,
        at: OffsetDateTime,
    ) -> Result<Rotation, RepoError> {
        // BEGIN IMMEDIATE takes the write lock up front, so two rotations serialise instead of
        // one failing with SQLITE_BUSY when it upgrades a read lock.
        let mut transaction = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let spent = sqlx::query(
            "UPDATE refresh_tokens SET used_at = ?2
             WHERE id = ?1 AND used_at IS NULL AND revoked_at IS NULL",
        )
        .bind(old)
        .bind(to_micros(at))
        .execute(&mut *transaction)
        .await?;
        if spent.rows_affected() != 1 {
            return Ok(Rotation::AlreadySpent);
        }
        insert_refresh_token(&mut *transaction, new).await?;
        transaction.commit().await?;
        Ok(Rotation::Rotated)
    }

    async fn revoke_refresh_family(&self, family_id: Uuid, at: OffsetDateTime) -> Result<u64, RepoError> {
        let result = sqlx::query(
            "UPDATE refresh_tokens SET revoked_at = ?2 WHERE family_id = ?1 AND revoked_at IS NULL",
        )
        .bind(family_id)
        .bind(to_micros(at))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    async fn revoke_user_refresh_tokens(&self, user_id: Uuid, at: OffsetDateTime) -> Result<u64, RepoError> {
        let result = sqlx::query(
            "UPDATE refresh_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
        )
        .bind(user_id)
        .bind(to_micros(at))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }
}

async fn insert_refresh_token<'e, E>(executor: E, token: &NewRefreshToken) -> Result<(), RepoError>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query(
        "INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(token.id)
    .bind(token.family_id)
    .bind(token.user_id)
    .bind(&token.token_hash)
    .bind(to_micros(token.created_at))
    .bind(to_micros(token.expires_at))
    .execute(executor)
    .await
    .map_err(RepoError::from_sqlx)?;
    Ok(())
}

const PAT_COLUMNS: &str = "id, user_id, name, created_at, expires_at, last_used_at, revoked_at";

#[async_trait]
impl PersonalAccessTokenRepository for SqliteAuthStore {
    async fn insert_personal_access_token(&self, token: &NewPersonalAccessToken) -> Result<(), RepoError> {
        sqlx::query(
            "INSERT INTO personal_access_tokens (id, user_id, name, token_hash, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(token.id)
        .bind(token.user_id)
        .bind(&token.name)
        .bind(&token.token_hash)
        .bind(to_micros(token.created_at))
        .bind(to_micros(token.expires_at))
        .execute(&self.pool)
        .await
        .map_err(RepoError::from_sqlx)?;
        Ok(())
    }

    async fn personal_access_token_by_hash(
        &self,
        token_hash: &[u8],
    ) -> Result<Option<PersonalAccessTokenRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {PAT_COLUMNS} FROM personal_access_tokens WHERE token_hash = ?1"
        ));
        let row = sqlx::query(sql)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(personal_access_token).transpose()
    }

    async fn list_personal_access_tokens(
        &self,
        user_id: Uuid,
    ) -> Result<Vec<PersonalAccessTokenRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {PAT_COLUMNS} FROM personal_access_tokens WHERE user_id = ?1 ORDER BY id DESC"
        ));
        let rows = sqlx::query(sql).bind(user_id).fetch_all(&self.pool).await?;
        rows.iter().map(personal_access_token).collect()
    }

    async fn revoke_personal_access_token(
        &self,
        user_id: Uuid,
        id: Uuid,
        at: OffsetDateTime,
    ) -> Result<bool, RepoError> {
        let result = sqlx::query(
            "UPDATE personal_access_tokens SET revoked_at = ?3
             WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(user_id)
        .bind(to_micros(at))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn touch_personal_access_token(&self, id: Uuid, at: OffsetDateTime) -> Result<(), RepoError> {
        sqlx::query("UPDATE personal_access_tokens SET last_used_at = ?2 WHERE id = ?1")
            .bind(id)
            .bind(to_micros(at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
