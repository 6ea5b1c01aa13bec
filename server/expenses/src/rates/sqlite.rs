//! Rates on SQLite, beside the expenses store (`repository::sqlite`), whose engine and row
//! helpers it shares. Recording many rates (a whole ECB file) is one job for the database's one
//! writer, in one transaction with its events, so a file is stored whole or not at all.

use async_trait::async_trait;
use expense_api::money::Currency;
use expense_kit::clock::{from_micros, to_micros};
use rusqlite::types::Value;
use rusqlite::{Row, params, params_from_iter};
use time::Date;
use uuid::Uuid;

use super::{RateCursor, RateFilter, RateRecord, RateRepository, stored_rate};
use crate::domain::{format_date, parse_date};
use crate::repository::sqlite::{SqliteExpenseStore, corrupt, insert_events, uuid};
use crate::repository::{OutboxEvent, RepoError};

const RATE_COLUMNS: &str =
    "user_id, from_currency, to_currency, rate_on, rate_mantissa, rate_scale, recorded_at";

/// A row of [`RATE_COLUMNS`], by position.
fn rate(row: &Row<'_>) -> Result<RateRecord, RepoError> {
    stored_rate(
        uuid(row, 0)?,
        (
            row.get_ref(1)?.as_str().map_err(corrupt)?,
            row.get_ref(2)?.as_str().map_err(corrupt)?,
        ),
        parse_date(row.get_ref(3)?.as_str().map_err(corrupt)?).map_err(corrupt)?,
        (row.get(4)?, row.get(5)?),
        from_micros(row.get(6)?),
    )
}

/// Runs a read of rates with `values` bound in order.
fn read_rates(
    connection: &rusqlite::Connection,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<RateRecord>, RepoError> {
    let mut statement = connection.prepare_cached(sql)?;
    let mut rows = statement.query(params_from_iter(values))?;
    let mut rates = Vec::new();
    while let Some(row) = rows.next()? {
        rates.push(rate(row)?);
    }
    Ok(rates)
}

#[async_trait]
impl RateRepository for SqliteExpenseStore {
    async fn put_rates(
        &self,
        user_id: Uuid,
        rates: &[RateRecord],
        events: &[OutboxEvent],
    ) -> Result<u64, RepoError> {
        debug_assert!(rates.iter().all(|r| r.user_id == user_id));
        let rates = rates.to_vec();
        let events = events.to_vec();
        self.engine
            .write(move |connection| {
                let user = &user_id.as_bytes()[..];
                let count = |connection: &rusqlite::Connection| -> Result<u64, RepoError> {
                    let count: i64 = connection
                        .prepare_cached("SELECT COUNT(*) FROM rates WHERE user_id = ?1")?
                        .query_row([user], |row| row.get(0))?;
                    Ok(count as u64)
                };
                let before = count(connection)?;
                let mut statement = connection.prepare_cached(
                    "INSERT INTO rates (user_id, from_currency, to_currency, rate_on, rate_mantissa, rate_scale,
                                        recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (user_id, from_currency, to_currency, rate_on) DO UPDATE
                         SET rate_mantissa = excluded.rate_mantissa, rate_scale = excluded.rate_scale,
                             recorded_at = excluded.recorded_at",
                )?;
                for rate in &rates {
                    statement.execute(params![
                        user,
                        rate.from.code(),
                        rate.to.code(),
                        format_date(rate.on),
                        rate.rate.mantissa(),
                        i64::from(rate.rate.scale()),
                        to_micros(rate.recorded_at),
                    ])?;
                }
                drop(statement);
                insert_events(connection, &events)?;
                let added = count(connection)? - before;
                Ok(rates.len() as u64 - added)
            })
            .await
    }

    async fn delete_rate(
        &self,
        user_id: Uuid,
        from: Currency,
        to: Currency,
        on: Date,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError> {
        let event = event.clone();
        self.engine
            .write(move |connection| {
                let deleted = connection.execute(
                    "DELETE FROM rates WHERE user_id = ?1 AND from_currency = ?2 AND to_currency = ?3 AND rate_on = ?4",
                    params![&user_id.as_bytes()[..], from.code(), to.code(), format_date(on)],
                )?;
                if deleted == 1 {
                    insert_events(connection, std::slice::from_ref(&event))?;
                }
                Ok(deleted == 1)
            })
            .await
    }

    async fn list_rates(
        &self,
        user_id: Uuid,
        filter: &RateFilter,
        after: Option<RateCursor>,
        limit: u32,
    ) -> Result<Vec<RateRecord>, RepoError> {
        let mut sql = format!("SELECT {RATE_COLUMNS} FROM rates WHERE user_id = ?1");
        let mut values: Vec<Value> = vec![Value::Blob(user_id.as_bytes().to_vec())];
        let mut bind = |sql: &mut String, value: Value| {
            values.push(value);
            sql.push_str(&format!("?{}", values.len()));
        };
        if let Some(currency) = filter.currency {
            sql.push_str(" AND ");
            bind(&mut sql, Value::Text(currency.code().to_owned()));
            sql.push_str(" IN (from_currency, to_currency)");
        }
        if let Some(from) = filter.from {
            sql.push_str(" AND rate_on >= ");
            bind(&mut sql, Value::Text(format_date(from)));
        }
        if let Some(to) = filter.to {
            sql.push_str(" AND rate_on <= ");
            bind(&mut sql, Value::Text(format_date(to)));
        }
        if let Some(cursor) = after {
            sql.push_str(" AND (rate_on < ");
            bind(&mut sql, Value::Text(format_date(cursor.on)));
            sql.push_str(" OR (rate_on = ");
            bind(&mut sql, Value::Text(format_date(cursor.on)));
            sql.push_str(" AND (from_currency, to_currency) > (");
            bind(&mut sql, Value::Text(cursor.from.code().to_owned()));
            sql.push_str(", ");
            bind(&mut sql, Value::Text(cursor.to.code().to_owned()));
            sql.push_str(")))");
        }
        sql.push_str(" ORDER BY rate_on DESC, from_currency, to_currency LIMIT ");
        bind(&mut sql, Value::Integer(i64::from(limit)));
        self.engine
            .read(move |connection| read_rates(connection, &sql, values))
            .await
    }

    async fn rates_for_period(
        &self,
        user_id: Uuid,
        currencies: &[Currency],
        from: Date,
        to: Date,
    ) -> Result<Vec<RateRecord>, RepoError> {
        let codes: Vec<&str> = currencies.iter().map(|c| c.code()).collect();
        let values = vec![
            Value::Blob(user_id.as_bytes().to_vec()),
            Value::Text(serde_json::to_string(&codes).expect("strings serialise")),
            Value::Text(format_date(from)),
            Value::Text(format_date(to)),
        ];
        let sql = format!(
            "SELECT {RATE_COLUMNS} FROM rates AS r
             WHERE user_id = ?1 AND from_currency IN (SELECT value FROM json_each(?2))
               AND to_currency IN (SELECT value FROM json_each(?2)) AND rate_on <= ?4
               AND rate_on >= COALESCE(
                   (SELECT max(earlier.rate_on) FROM rates AS earlier
                    WHERE earlier.user_id = ?1 AND earlier.from_currency = r.from_currency
                      AND earlier.to_currency = r.to_currency AND earlier.rate_on <= ?3),
                   ?3)"
        );
        self.engine
            .read(move |connection| read_rates(connection, &sql, values))
            .await
    }
}
