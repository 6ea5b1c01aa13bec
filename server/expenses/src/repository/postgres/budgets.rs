//! Budgets on Postgres: an upsert that says whether it created, and each period's spending per
//! currency.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;
use time::Date;
use uuid::Uuid;

use super::{PgExpenseStore, bind_event, event_if_changed};
use crate::repository::{BudgetRecord, BudgetRepository, OutboxEvent, RepoError, Spent, stored_money};

fn budget(row: &PgRow) -> Result<BudgetRecord, RepoError> {
    let currency: &str = row.try_get(3)?;
    Ok(BudgetRecord {
        user_id: row.try_get(0)?,
        category: row.try_get(1)?,
        amount: stored_money(row.try_get(2)?, currency)?,
        period: row.try_get(4)?,
        starts_on_day: u8::try_from(row.try_get::<i16, _>(5)?)
            .map_err(|e| RepoError::Corrupt(e.to_string()))?,
        created_at: row.try_get(6)?,
        updated_at: row.try_get(7)?,
        convert: row.try_get(8)?,
    })
}

#[async_trait]
impl BudgetRepository for PgExpenseStore {
    async fn put_budget(&self, record: &BudgetRecord, event: &OutboxEvent) -> Result<bool, RepoError> {
        let created: bool = sqlx::query_scalar(
            "WITH upserted AS (
                 INSERT INTO budgets (user_id, category, amount_minor, currency, exponent, period, starts_on_day,
                                      created_at, updated_at, convert_foreign)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $14)
                 ON CONFLICT (user_id, category) DO UPDATE SET amount_minor = EXCLUDED.amount_minor,
                     currency = EXCLUDED.currency, exponent = EXCLUDED.exponent, period = EXCLUDED.period,
                     starts_on_day = EXCLUDED.starts_on_day, updated_at = EXCLUDED.updated_at,
                     convert_foreign = EXCLUDED.convert_foreign
                 RETURNING (xmax = 0) AS created
             ), event AS (
                 INSERT INTO outbox (id, user_id, event_type, payload, created_at)
                 VALUES ($9, $10, $11, $12::text::jsonb, $13)
             )
             SELECT created FROM upserted",
        )
        .bind(record.user_id)
        .bind(&record.category)
        .bind(record.amount.minor())
        .bind(record.amount.currency().code())
        .bind(i16::from(record.amount.currency().exponent()))
        .bind(&record.period)
        .bind(i16::from(record.starts_on_day))
        .bind(record.updated_at)
        .bind(event.id)
        .bind(event.user_id)
        .bind(event.event_type.as_str())
        .bind(event.payload.as_str())
        .bind(event.created_at)
        .bind(record.convert)
        .fetch_one(&self.pool)
        .await?;
        Ok(created)
    }

    async fn budgets(&self, user_id: Uuid) -> Result<Vec<BudgetRecord>, RepoError> {
        let rows = sqlx::query(
            "SELECT user_id, category, amount_minor, currency, period, starts_on_day, created_at, updated_at,
                    convert_foreign
             FROM budgets WHERE user_id = $1 ORDER BY category",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(budget).collect()
    }

    async fn delete_budget(
        &self,
        user_id: Uuid,
        category: &str,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError> {
        let sql = cached_sql!(format!(
            "WITH changed AS (
                 DELETE FROM budgets WHERE user_id = $1 AND category = $2 RETURNING 1
             ) {}",
            event_if_changed(3)
        ));
        let query = sqlx::query(sql).bind(user_id).bind(category);
        let changed = bind_event(query, event).fetch_optional(&self.pool).await?;
        Ok(changed.is_some())
    }

    async fn spent(
        &self,
        user_id: Uuid,
        category: Option<&str>,
        from: Date,
        to: Date,
    ) -> Result<Vec<Spent>, RepoError> {
        let rows = sqlx::query(
            "SELECT currency, SUM(amount_minor)::bigint AS total, COUNT(*) AS count FROM expenses
             WHERE user_id = $1 AND ($2::text IS NULL OR category = $2) AND spent_on BETWEEN $3 AND $4
             GROUP BY currency ORDER BY currency",
        )
        .bind(user_id)
        .bind(category)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Spent {
                    currency: row.try_get::<&str, _>(0)?.trim().to_owned(),
                    total_minor: row.try_get(1)?,
                    count: row.try_get(2)?,
                })
            })
            .collect()
    }
}
