//! The outbox on SQLite, for the relay: settle the last batch and claim the next as one job for
//! the writer, which is alone, so two claims never overlap.

use async_trait::async_trait;
use expense_kit::clock::{from_micros, to_micros};
use rusqlite::{Connection, params};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SqliteExpenseStore, uuid};
use crate::repository::{OutboxEvent, OutboxRepository, RepoError};

/// Sets `column` to `value` for the outbox events `ids`.
fn update_outbox(
    connection: &Connection,
    column: &'static str,
    value: Option<i64>,
    ids: &[Uuid],
) -> Result<(), RepoError> {
    let mut statement =
        connection.prepare_cached(&format!("UPDATE outbox SET {column} = ?1 WHERE id = ?2"))?;
    for id in ids {
        statement.execute(params![value, &id.as_bytes()[..]])?;
    }
    Ok(())
}

#[async_trait]
impl OutboxRepository for SqliteExpenseStore {
    async fn settle_and_claim(
        &self,
        published: &[Uuid],
        limit: u32,
        now: OffsetDateTime,
        lease: time::Duration,
    ) -> Result<Vec<OutboxEvent>, RepoError> {
        let published = published.to_vec();
        let mut events = self
            .engine
            .write(move |connection| {
                update_outbox(connection, "published_at", Some(to_micros(now)), &published)?;
                let mut statement = connection.prepare_cached(
                    "UPDATE outbox SET claimed_until = ?2
                     WHERE id IN (SELECT id FROM outbox
                                  WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?1)
                                  ORDER BY id LIMIT ?3)
                     RETURNING id, user_id, event_type, payload, created_at",
                )?;
                let mut rows =
                    statement.query(params![to_micros(now), to_micros(now + lease), i64::from(limit)])?;
                let mut events = Vec::new();
                while let Some(row) = rows.next()? {
                    events.push(OutboxEvent {
                        id: uuid(row, 0)?,
                        user_id: uuid(row, 1)?,
                        event_type: row.get(2)?,
                        payload: row.get(3)?,
                        created_at: from_micros(row.get(4)?),
                    });
                }
                Ok::<_, RepoError>(events)
            })
            .await?;
        events.sort_by_key(|event| event.id);
        Ok(events)
    }

    async fn release_claims(&self, ids: &[Uuid]) -> Result<(), RepoError> {
        let ids = ids.to_vec();
        self.engine
            .write(move |connection| update_outbox(connection, "claimed_until", None, &ids))
            .await
    }

    async fn pending_events(&self) -> Result<i64, RepoError> {
        self.engine
            .read(|connection| {
                Ok(connection.query_row(
                    "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL",
                    [],
                    |row| row.get(0),
                )?)
            })
            .await
    }

    async fn forget_published(&self, before: OffsetDateTime) -> Result<u64, RepoError> {
        self.engine
            .write(move |connection| {
                let forgotten =
                    connection.execute("DELETE FROM outbox WHERE published_at < ?1", [to_micros(before)])?;
                Ok(forgotten as u64)
            })
            .await
    }
}
