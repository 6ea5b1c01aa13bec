//! A deleted account's rows on Postgres: [`ERASE_USER`] and the tombstone in one transaction.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use super::PgExpenseStore;
use crate::repository::{ERASE_USER, RepoError, UserErasure};

#[async_trait]
impl UserErasure for PgExpenseStore {
    async fn erase_user(&self, user_id: Uuid, at: OffsetDateTime) -> Result<(), RepoError> {
        let mut transaction = self.pool.begin().await?;
        for statement in ERASE_USER {
            sqlx::query(sqlx::AssertSqlSafe(*statement))
                .bind(user_id)
                .execute(&mut *transaction)
                .await?;
        }
        sqlx::query("INSERT INTO deleted_users (user_id, deleted_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(user_id)
            .bind(at)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn deleted_users_since(&self, since: OffsetDateTime) -> Result<Vec<Uuid>, RepoError> {
        Ok(
            sqlx::query_scalar("SELECT user_id FROM deleted_users WHERE deleted_at >= $1 ORDER BY user_id")
                .bind(since)
                .fetch_all(&self.pool)
                .await?,
        )
    }
}
