//! Expenses on Postgres: creates (with their stored answer under an `Idempotency-Key`), reads,
//! versioned changes and deletes, the filtered list, categories and summaries.

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder, Row};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{PgExpenseStore, bind_event, event_if_changed};
use crate::domain::{ExpenseFields, search_text};
use crate::repository::{
    BudgetMove, Currencies, DaySummaryRow, ExpenseFilter, ExpenseRecord, ExpenseRepository, GroupBy, Insert,
    ListCursor, OutboxEvent, RepoError, StoredResponse, SummaryRow, amount_bounds,
};

const EXPENSE_COLUMNS: &str = "id, user_id, amount_minor, currency, category, note, merchant, spent_on, tags, created_at, updated_at, version, recurring_id";

/// A row of [`EXPENSE_COLUMNS`], by position.
fn expense(row: &PgRow, currencies: &mut Currencies) -> Result<ExpenseRecord, RepoError> {
    let currency: &str = row.try_get(3)?;
    Ok(ExpenseRecord {
        id: row.try_get(0)?,
        user_id: row.try_get(1)?,
        fields: ExpenseFields {
            money: currencies.money(row.try_get(2)?, currency)?,
            category: row.try_get(4)?,
            note: row.try_get(5)?,
            merchant: row.try_get(6)?,
            spent_on: row.try_get(7)?,
            tags: row.try_get(8)?,
        },
        created_at: row.try_get(9)?,
        updated_at: row.try_get(10)?,
        version: row.try_get(11)?,
        recurring_id: row.try_get(12)?,
    })
}

fn stored_response(row: &PgRow) -> Result<StoredResponse, RepoError> {
    Ok(StoredResponse {
        key: row.try_get(0)?,
        request_hash: row.try_get(1)?,
        status: u16::try_from(row.try_get::<i16, _>(2)?).map_err(|e| RepoError::Corrupt(e.to_string()))?,
        body: row.try_get(3)?,
        stored_at: row.try_get(4)?,
    })
}

/// Expenses, their events and, when `$15` (the key) is not null, the stored answer of user `$25`,
/// in one statement. With a key already taken (a retry, or a concurrent request with the same key,
/// whose commit `ON CONFLICT` waits for), nothing is written and the statement answers `false`.
const INSERT_EXPENSES: &str = "
    WITH stored AS (
        INSERT INTO idempotency_keys (user_id, key, request_hash, status, response_body, created_at)
        SELECT $25, $15, $16, $17, $18, $19 WHERE $15::text IS NOT NULL
        ON CONFLICT (user_id, key) DO NOTHING
        RETURNING 1
    ), go AS (
        SELECT $15::text IS NULL OR EXISTS (SELECT 1 FROM stored) AS go
    ), new_expenses AS (
        INSERT INTO expenses (id, user_id, amount_minor, currency, exponent, category, note, merchant,
                              search_text, spent_on, tags, created_at, updated_at, version)
        SELECT u.id, u.user_id, u.amount_minor, u.currency, u.exponent, u.category, u.note, u.merchant,
               u.search_text, u.spent_on, ARRAY(SELECT jsonb_array_elements_text(u.tags)),
               u.created_at, u.updated_at, u.version
        FROM UNNEST($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::smallint[], $6::text[], $7::text[],
                    $8::text[], $9::text[], $10::date[], $11::jsonb[], $12::timestamptz[], $13::timestamptz[],
                    $14::bigint[])
             AS u(id, user_id, amount_minor, currency, exponent, category, note, merchant, search_text,
                  spent_on, tags, created_at, updated_at, version)
        WHERE (SELECT go FROM go)
    ), new_events AS (
        INSERT INTO outbox (id, user_id, event_type, payload, created_at)
        SELECT e.id, e.user_id, e.event_type, e.payload::jsonb, e.created_at
        FROM UNNEST($20::uuid[], $21::uuid[], $22::text[], $23::text[], $24::timestamptz[])
             AS e(id, user_id, event_type, payload, created_at)
        WHERE (SELECT go FROM go)
    )
    SELECT go FROM go";

#[async_trait]
impl ExpenseRepository for PgExpenseStore {
    async fn stored_response(&self, user_id: Uuid, key: &str) -> Result<Option<StoredResponse>, RepoError> {
        let row = sqlx::query(
            "SELECT key, request_hash, status, response_body, created_at FROM idempotency_keys
             WHERE user_id = $1 AND key = $2",
        )
        .bind(user_id)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(stored_response).transpose()
    }

    async fn insert_expenses(
        &self,
        user_id: Uuid,
        records: &[ExpenseRecord],
        events: &[OutboxEvent],
        response: Option<&StoredResponse>,
    ) -> Result<Insert, RepoError> {
        debug_assert!(records.iter().all(|r| r.user_id == user_id));
        let inserted: bool = sqlx::query_scalar(INSERT_EXPENSES)
            .bind(records.iter().map(|r| r.id).collect::<Vec<_>>())
            .bind(records.iter().map(|r| r.user_id).collect::<Vec<_>>())
            .bind(records.iter().map(|r| r.fields.money.minor()).collect::<Vec<_>>())
            .bind(
                records
                    .iter()
                    .map(|r| r.fields.money.currency().code())
                    .collect::<Vec<_>>(),
            )
            .bind(
                records
                    .iter()
                    .map(|r| i16::from(r.fields.money.currency().exponent()))
                    .collect::<Vec<_>>(),
            )
            .bind(
                records
                    .iter()
                    .map(|r| r.fields.category.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(
                records
                    .iter()
                    .map(|r| r.fields.note.as_deref())
                    .collect::<Vec<_>>(),
            )
            .bind(
                records
                    .iter()
                    .map(|r| r.fields.merchant.as_deref())
                    .collect::<Vec<_>>(),
            )
            .bind(
                records
                    .iter()
                    .map(|r| search_text(r.fields.note.as_deref(), r.fields.merchant.as_deref()))
                    .collect::<Vec<_>>(),
            )
            .bind(records.iter().map(|r| r.fields.spent_on).collect::<Vec<_>>())
            .bind(
                records
                    .iter()
                    .map(|r| serde_json::json!(r.fields.tags))
                    .collect::<Vec<_>>(),
            )
            .bind(records.iter().map(|r| r.created_at).collect::<Vec<_>>())
            .bind(records.iter().map(|r| r.updated_at).collect::<Vec<_>>())
            .bind(records.iter().map(|r| r.version).collect::<Vec<_>>())
            .bind(response.map(|r| r.key.as_str()))
            .bind(response.map(|r| r.request_hash.as_slice()))
            .bind(response.map(|r| i16::try_from(r.status).unwrap_or(i16::MAX)))
            .bind(response.map(|r| r.body.as_slice()))
            .bind(response.map(|r| r.stored_at))
            .bind(events.iter().map(|e| e.id).collect::<Vec<_>>())
            .bind(events.iter().map(|e| e.user_id).collect::<Vec<_>>())
            .bind(events.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>())
            .bind(events.iter().map(|e| e.payload.as_str()).collect::<Vec<_>>())
            .bind(events.iter().map(|e| e.created_at).collect::<Vec<_>>())
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        if inserted {
            return Ok(Insert::Inserted);
        }
        let key = response.map(|r| r.key.as_str()).unwrap_or_default();
        self.stored_response(user_id, key)
            .await?
            .map(Insert::KeyTaken)
            .ok_or_else(|| RepoError::Corrupt("idempotency key vanished".into()))
    }

    async fn expense(&self, user_id: Uuid, id: Uuid) -> Result<Option<ExpenseRecord>, RepoError> {
        let sql = cached_sql!(format!(
            "SELECT {EXPENSE_COLUMNS} FROM expenses WHERE user_id = $1 AND id = $2"
        ));
        let row = sqlx::query(sql)
            .bind(user_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref()
            .map(|row| expense(row, &mut Currencies::default()))
            .transpose()
    }

    async fn update_expense(
        &self,
        record: &ExpenseRecord,
        expected_version: i64,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError> {
        let fields = &record.fields;
        let sql = cached_sql!(format!(
            "WITH changed AS (
                 UPDATE expenses SET amount_minor = $4, currency = $5, exponent = $6, category = $7, note = $8,
                        merchant = $9, search_text = $10, spent_on = $11, tags = $12, updated_at = $13,
                        version = $14
                 WHERE user_id = $1 AND id = $2 AND version = $3
                 RETURNING 1
             ) {}",
            event_if_changed(15)
        ));
        let query = sqlx::query(sql)
            .bind(record.user_id)
            .bind(record.id)
            .bind(expected_version)
            .bind(fields.money.minor())
            .bind(fields.money.currency().code())
            .bind(i16::from(fields.money.currency().exponent()))
            .bind(&fields.category)
            .bind(&fields.note)
            .bind(&fields.merchant)
            .bind(search_text(fields.note.as_deref(), fields.merchant.as_deref()))
            .bind(fields.spent_on)
            .bind(&fields.tags)
            .bind(record.updated_at)
            .bind(record.version);
        let changed = bind_event(query, event).fetch_optional(&self.pool).await?;
        Ok(changed.is_some())
    }

    async fn delete_expense(
        &self,
        user_id: Uuid,
        id: Uuid,
        expected_version: i64,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError> {
        let sql = cached_sql!(format!(
            "WITH changed AS (
                 DELETE FROM expenses WHERE user_id = $1 AND id = $2 AND version = $3 RETURNING 1
             ) {}",
            event_if_changed(4)
        ));
        let query = sqlx::query(sql).bind(user_id).bind(id).bind(expected_version);
        let changed = bind_event(query, event).fetch_optional(&self.pool).await?;
        Ok(changed.is_some())
    }

    async fn list_expenses(
        &self,
        user_id: Uuid,
        filter: &ExpenseFilter,
        after: Option<ListCursor>,
        limit: u32,
    ) -> Result<Vec<ExpenseRecord>, RepoError> {
        let mut query =
            QueryBuilder::<Postgres>::new(format!("SELECT {EXPENSE_COLUMNS} FROM expenses WHERE user_id = "));
        query.push_bind(user_id);
        if !filter.categories.is_empty() {
            query
                .push(" AND category = ANY(")
                .push_bind(filter.categories.clone())
                .push(")");
        }
        if let Some(from) = filter.from {
            query.push(" AND spent_on >= ").push_bind(from);
        }
        if let Some(to) = filter.to {
            query.push(" AND spent_on <= ").push_bind(to);
        }
        for (bound, is_min) in [(filter.min_scaled, true), (filter.max_scaled, false)] {
            let Some(bound) = bound else { continue };
            query.push(" AND (");
            for (index, (exponent, minor)) in amount_bounds(bound, is_min).into_iter().enumerate() {
                if index > 0 {
                    query.push(" OR ");
                }
                query
                    .push("(exponent = ")
                    .push_bind(exponent)
                    .push(if is_min {
                        " AND amount_minor >= "
                    } else {
                        " AND amount_minor <= "
                    })
                    .push_bind(minor)
                    .push(")");
            }
            query.push(")");
        }
        if let Some(currency) = &filter.currency {
            query.push(" AND currency = ").push_bind(currency.clone());
        }
        if let Some(tag) = &filter.tag {
            query.push(" AND ").push_bind(tag.clone()).push(" = ANY(tags)");
        }
        if let Some(text) = &filter.text {
            query
                .push(" AND strpos(search_text, ")
                .push_bind(text.clone())
                .push(") > 0");
        }
        if let Some(cursor) = after {
            query
                .push(" AND (spent_on, id) < (")
                .push_bind(cursor.spent_on)
                .push(", ")
                .push_bind(cursor.id)
                .push(")");
        }
        query
            .push(" ORDER BY spent_on DESC, id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows = query.build().fetch_all(&self.pool).await?;
        let mut currencies = Currencies::default();
        rows.iter().map(|row| expense(row, &mut currencies)).collect()
    }

    async fn categories(&self, user_id: Uuid) -> Result<Vec<(String, i64)>, RepoError> {
        let rows = sqlx::query(
            "SELECT category, COUNT(*) AS count FROM expenses WHERE user_id = $1 GROUP BY category ORDER BY category",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect()
    }

    async fn category_exists(&self, user_id: Uuid, category: &str) -> Result<bool, RepoError> {
        let exists: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM expenses WHERE user_id = $1 AND category = $2)
                 OR EXISTS (SELECT 1 FROM budgets WHERE user_id = $1 AND category = $2)",
        )
        .bind(user_id)
        .bind(category)
        .fetch_one(&self.pool)
        .await?;
        Ok(exists)
    }

    async fn move_category(
        &self,
        user_id: Uuid,
        from: &str,
        to: &str,
        budgets: BudgetMove,
        event: &OutboxEvent,
        at: OffsetDateTime,
    ) -> Result<i64, RepoError> {
        let mut transaction = self.pool.begin().await?;
        let moved = sqlx::query(
            "UPDATE expenses SET category = $3, version = version + 1, updated_at = $4
             WHERE user_id = $1 AND category = $2",
        )
        .bind(user_id)
        .bind(from)
        .bind(to)
        .bind(at)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if budgets == BudgetMove::Merge {
            sqlx::query(
                "DELETE FROM budgets WHERE user_id = $1 AND category = $2
                   AND EXISTS (SELECT 1 FROM budgets WHERE user_id = $1 AND category = $3)",
            )
            .bind(user_id)
            .bind(from)
            .bind(to)
            .execute(&mut *transaction)
            .await?;
        }
        sqlx::query("UPDATE budgets SET category = $3, updated_at = $4 WHERE user_id = $1 AND category = $2")
            .bind(user_id)
            .bind(from)
            .bind(to)
            .bind(at)
            .execute(&mut *transaction)
            .await?;
        let query = sqlx::query(
            "INSERT INTO outbox (id, user_id, event_type, payload, created_at)
             VALUES ($1, $2, $3, $4::text::jsonb, $5)",
        );
        bind_event(query, event).execute(&mut *transaction).await?;
        transaction.commit().await?;
        Ok(i64::try_from(moved).unwrap_or(i64::MAX))
    }

    async fn summary(
        &self,
        user_id: Uuid,
        group_by: GroupBy,
        from: Date,
        to: Date,
    ) -> Result<Vec<SummaryRow>, RepoError> {
        let key = summary_key(group_by);
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {key} AS key, currency, exponent, SUM(amount_minor)::bigint AS total, COUNT(*) AS count
             FROM expenses WHERE user_id = $1 AND spent_on BETWEEN $2 AND $3
             GROUP BY 1, currency, exponent ORDER BY 1, currency"
        ));
        let rows = sqlx::query(sql)
            .bind(user_id)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(SummaryRow {
                    key: row.try_get(0)?,
                    currency: row.try_get::<&str, _>(1)?.trim().to_owned(),
                    exponent: u8::try_from(row.try_get::<i16, _>(2)?)
                        .map_err(|e| RepoError::Corrupt(e.to_string()))?,
                    total_minor: row.try_get(3)?,
                    count: row.try_get(4)?,
                })
            })
            .collect()
    }

    async fn summary_by_day(
        &self,
        user_id: Uuid,
        group_by: GroupBy,
        from: Date,
        to: Date,
    ) -> Result<Vec<DaySummaryRow>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} AS key, currency, exponent, spent_on, SUM(amount_minor)::bigint AS total,
                    COUNT(*) AS count
             FROM expenses WHERE user_id = $1 AND spent_on BETWEEN $2 AND $3
             GROUP BY 1, currency, exponent, spent_on ORDER BY 1, currency, spent_on",
            summary_key(group_by)
        ));
        let rows = sqlx::query(sql)
            .bind(user_id)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(DaySummaryRow {
                    key: row.try_get(0)?,
                    currency: row.try_get::<&str, _>(1)?.trim().to_owned(),
                    exponent: u8::try_from(row.try_get::<i16, _>(2)?)
                        .map_err(|e| RepoError::Corrupt(e.to_string()))?,
                    spent_on: row.try_get(3)?,
                    total_minor: row.try_get(4)?,
                    count: row.try_get(5)?,
                })
            })
            .collect()
    }

    async fn forget_stored_responses(&self, before: OffsetDateTime) -> Result<u64, RepoError> {
        let result = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }
}

/// The SQL of a summary's group key.
fn summary_key(group_by: GroupBy) -> &'static str {
    match group_by {
        GroupBy::Category => "category",
        GroupBy::Month => "to_char(spent_on, 'YYYY-MM')",
        GroupBy::Day => "to_char(spent_on, 'YYYY-MM-DD')",
    }
}
