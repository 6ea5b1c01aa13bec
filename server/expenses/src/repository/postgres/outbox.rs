//! The outbox on Postgres, for the relay: settle the last batch and claim the next in one
//! statement (`FOR UPDATE SKIP LOCKED`, so concurrent relays claim different events).

use async_trait::async_trait;
use sqlx::Row;
use time::OffsetDateTime;
use uuid::Uuid;

use super::PgExpenseStore;
use crate::repository::{OutboxEvent, OutboxRepository, RepoError};

#[async_trait]
impl OutboxRepository for PgExpenseStore {
    async fn settle_and_claim(
        &self,
        published: &[Uuid],
        limit: u32,
        now: OffsetDateTime,
        lease: time::Duration,
    ) -> Result<Vec<OutboxEvent>, RepoError> {
        // Both parts see the same snapshot, so the claim leaves out what is being settled.
        let rows = sqlx::query(
            "WITH settled AS (
                 UPDATE outbox SET published_at = $1 WHERE id = ANY($4)
             ), next AS (
                 SELECT id FROM outbox
                 WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1)
                   AND id <> ALL($4)
                 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED
             )
             UPDATE outbox SET claimed_until = $2 FROM next WHERE outbox.id = next.id
             RETURNING outbox.id, outbox.user_id, outbox.event_type, outbox.payload::text, outbox.created_at",
        )
        .bind(now)
        .bind(now + lease)
        .bind(i64::from(limit))
        .bind(published)
        .fetch_all(&self.pool)
        .await?;
        let mut events = rows
            .iter()
            .map(|row| {
                Ok(OutboxEvent {
                    id: row.try_get(0)?,
                    user_id: row.try_get(1)?,
                    event_type: row.try_get(2)?,
                    payload: row.try_get(3)?,
                    created_at: row.try_get(4)?,
                })
            })
            .collect::<Result<Vec<_>, RepoError>>()?;
        events.sort_by_key(|event| event.id);
        Ok(events)
    }

    async fn release_claims(&self, ids: &[Uuid]) -> Result<(), RepoError> {
        sqlx::query("UPDATE outbox SET claimed_until = NULL WHERE id = ANY($1) AND published_at IS NULL")
            .bind(ids)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn pending_events(&self) -> Result<i64, RepoError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn forget_published(&self, before: OffsetDateTime) -> Result<u64, RepoError> {
        let result = sqlx::query("DELETE FROM outbox WHERE published_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }
}
