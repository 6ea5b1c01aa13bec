//! A deleted account's rows on SQLite: [`ERASE_USER`] and the tombstone as one job for the writer.

use async_trait::async_trait;
use expense_kit::clock::to_micros;
use rusqlite::params;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SqliteExpenseStore, uuid};
use crate::repository::{ERASE_USER, RepoError, UserErasure};

#[async_trait]
impl UserErasure for SqliteExpenseStore {
    async fn erase_user(&self, user_id: Uuid, at: OffsetDateTime) -> Result<(), RepoError> {
        self.engine
            .write(move |connection| {
                let user = &user_id.as_bytes()[..];
                for statement in ERASE_USER {
                    connection.execute(statement, params![user])?;
                }
                connection.execute(
                    "INSERT INTO deleted_users (user_id, deleted_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    params![user, to_micros(at)],
                )?;
                Ok(())
            })
            .await
    }

    async fn deleted_users_since(&self, since: OffsetDateTime) -> Result<Vec<Uuid>, RepoError> {
        self.engine
            .read(move |connection| {
                let mut statement = connection.prepare_cached(
                    "SELECT user_id FROM deleted_users WHERE deleted_at >= ?1 ORDER BY user_id",
                )?;
                let mut rows = statement.query(params![to_micros(since)])?;
                let mut users = Vec::new();
                while let Some(row) = rows.next()? {
                    users.push(uuid(row, 0)?);
                }
                Ok(users)
            })
            .await
    }
}
