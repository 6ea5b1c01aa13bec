//! Rates on Postgres, beside the expenses store (`repository::postgres`), in the same schema.
//! Recording many rates (a whole ECB file) is one statement over arrays, with its events, so a
//! file is stored whole or not at all.

use async_trait::async_trait;
use expense_api::money::Currency;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder, Row};
use time::Date;
use uuid::Uuid;

use super::{RateCursor, RateFilter, RateRecord, RateRepository, stored_rate};
use crate::repository::postgres::PgExpenseStore;
use crate::repository::{OutboxEvent, RepoError};

const RATE_COLUMNS: &str =
    "user_id, from_currency, to_currency, rate_on, rate_mantissa, rate_scale, recorded_at";

/// A row of [`RATE_COLUMNS`], by position.
fn rate(row: &PgRow) -> Result<RateRecord, RepoError> {
    stored_rate(
        row.try_get(0)?,
        (row.try_get(1)?, row.try_get(2)?),
        row.try_get(3)?,
        (row.try_get(4)?, i64::from(row.try_get::<i16, _>(5)?)),
        row.try_get(6)?,
    )
}

fn rates(rows: &[PgRow]) -> Result<Vec<RateRecord>, RepoError> {
    rows.iter().map(rate).collect()
}

#[async_trait]
impl RateRepository for PgExpenseStore {
    async fn put_rates(
        &self,
        user_id: Uuid,
        rates: &[RateRecord],
        events: &[OutboxEvent],
    ) -> Result<u64, RepoError> {
        debug_assert!(rates.iter().all(|r| r.user_id == user_id));
        let replaced: i64 = sqlx::query_scalar(
            "WITH upserted AS (
                 INSERT INTO rates (user_id, from_currency, to_currency, rate_on, rate_mantissa, rate_scale,
                                    recorded_at)
                 SELECT $1, r.from_currency, r.to_currency, r.rate_on, r.rate_mantissa, r.rate_scale, r.recorded_at
                 FROM UNNEST($2::text[], $3::text[], $4::date[], $5::bigint[], $6::smallint[], $7::timestamptz[])
                      AS r(from_currency, to_currency, rate_on, rate_mantissa, rate_scale, recorded_at)
                 ON CONFLICT (user_id, from_currency, to_currency, rate_on) DO UPDATE
                     SET rate_mantissa = EXCLUDED.rate_mantissa, rate_scale = EXCLUDED.rate_scale,
                         recorded_at = EXCLUDED.recorded_at
                 RETURNING (xmax <> 0) AS replaced
             ), events AS (
                 INSERT INTO outbox (id, user_id, event_type, payload, created_at)
                 SELECT e.id, $1, e.event_type, e.payload::jsonb, e.created_at
                 FROM UNNEST($8::uuid[], $9::text[], $10::text[], $11::timestamptz[])
                      AS e(id, event_type, payload, created_at)
             )
             SELECT COUNT(*) FILTER (WHERE replaced) FROM upserted",
        )
        .bind(user_id)
        .bind(rates.iter().map(|r| r.from.code()).collect::<Vec<_>>())
        .bind(rates.iter().map(|r| r.to.code()).collect::<Vec<_>>())
        .bind(rates.iter().map(|r| r.on).collect::<Vec<_>>())
        .bind(rates.iter().map(|r| r.rate.mantissa()).collect::<Vec<_>>())
        .bind(
            rates
                .iter()
                .map(|r| i16::from(r.rate.scale()))
                .collect::<Vec<_>>(),
        )
        .bind(rates.iter().map(|r| r.recorded_at).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.id).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.payload.as_str()).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.created_at).collect::<Vec<_>>())
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(replaced).unwrap_or_default())
    }

    async fn delete_rate(
        &self,
        user_id: Uuid,
        from: Currency,
        to: Currency,
        on: Date,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError> {
        // The event only when a rate was deleted: a row answers that it was.
        let deleted = sqlx::query(
            "WITH changed AS (
                 DELETE FROM rates
                 WHERE user_id = $1 AND from_currency = $2 AND to_currency = $3 AND rate_on = $4
                 RETURNING 1
             )
             INSERT INTO outbox (id, user_id, event_type, payload, created_at)
             SELECT $5, $1, $6, $7::text::jsonb, $8 WHERE EXISTS (SELECT 1 FROM changed)
             RETURNING 1",
        )
        .bind(user_id)
        .bind(from.code())
        .bind(to.code())
        .bind(on)
        .bind(event.id)
        .bind(event.event_type.as_str())
        .bind(event.payload.as_str())
        .bind(event.created_at)
        .fetch_optional(&self.pool)
        .await?;
        Ok(deleted.is_some())
    }

    async fn list_rates(
        &self,
        user_id: Uuid,
        filter: &RateFilter,
        after: Option<RateCursor>,
        limit: u32,
    ) -> Result<Vec<RateRecord>, RepoError> {
        let mut query =
            QueryBuilder::<Postgres>::new(format!("SELECT {RATE_COLUMNS} FROM rates WHERE user_id = "));
        query.push_bind(user_id);
        if let Some(currency) = filter.currency {
            query
                .push(" AND (from_currency = ")
                .push_bind(currency.code())
                .push(" OR to_currency = ")
                .push_bind(currency.code())
                .push(")");
        }
        if let Some(from) = filter.from {
            query.push(" AND rate_on >= ").push_bind(from);
        }
        if let Some(to) = filter.to {
            query.push(" AND rate_on <= ").push_bind(to);
        }
        if let Some(cursor) = after {
            query
                .push(" AND (rate_on < ")
                .push_bind(cursor.on)
                .push(" OR (rate_on = ")
                .push_bind(cursor.on)
                .push(" AND (from_currency, to_currency) > (")
                .push_bind(cursor.from.code())
                .push("::bpchar, ")
                .push_bind(cursor.to.code())
                .push("::bpchar)))");
        }
        query
            .push(" ORDER BY rate_on DESC, from_currency, to_currency LIMIT ")
            .push_bind(i64::from(limit));
        let rows = query.build().fetch_all(&self.pool).await?;
        rates(&rows)
    }

    async fn rates_for_period(
        &self,
        user_id: Uuid,
        currencies: &[Currency],
        from: Date,
        to: Date,
    ) -> Result<Vec<RateRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {RATE_COLUMNS} FROM rates AS r
             WHERE user_id = $1 AND from_currency = ANY($2::text[]) AND to_currency = ANY($2::text[])
               AND rate_on <= $4
               AND rate_on >= COALESCE(
                   (SELECT max(earlier.rate_on) FROM rates AS earlier
                    WHERE earlier.user_id = $1 AND earlier.from_currency = r.from_currency
                      AND earlier.to_currency = r.to_currency AND earlier.rate_on <= $3),
                   $3)"
        ));
        let rows = sqlx::query(sql)
            .bind(user_id)
            .bind(currencies.iter().map(|c| c.code()).collect::<Vec<_>>())
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        rates(&rows)
    }
}
