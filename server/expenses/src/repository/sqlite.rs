//! The expenses store on SQLite (the embedded default: `expenses.sqlite3` in the data directory).
//! Dates are `YYYY-MM-DD` text, timestamps microseconds, tags a JSON array; see the migration.
//!
//! Every write goes through the database's one writing connection ([`SqliteWriter`]), which
//! commits concurrent writes together; reads use the pool of readers, which WAL never makes
//! wait. A write is a job that owns its data (it runs on the writer's task): the row, its outbox
//! event and, for a create with an `Idempotency-Key`, the stored answer, in the job's savepoint
//! of the shared transaction. Rows are decoded by position.

use async_trait::async_trait;
use expense_kit::clock::{from_micros, to_micros};
use expense_kit::db::SqliteWriter;
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{
    BudgetMove, BudgetRecord, BudgetRepository, Currencies, ExpenseFilter, ExpenseRecord, ExpenseRepository,
    GroupBy, Insert, ListCursor, OutboxEvent, OutboxRepository, RepoError, Spent, StoredResponse, SummaryRow,
    amount_bounds, stored_money,
};
use crate::domain::{ExpenseFields, format_date, parse_date, search_text};

/// Expenses storage in SQLite.
#[derive(Debug, Clone)]
pub struct SqliteExpenseStore {
    readers: SqlitePool,
    writer: SqliteWriter,
}

impl SqliteExpenseStore {
    /// The store reading through `readers` and writing through `writer`, both on one database.
    pub fn new(readers: SqlitePool, writer: SqliteWriter) -> Self {
        Self { readers, writer }
    }
}

const EXPENSE_COLUMNS: &str = "id, user_id, amount_minor, currency, category, note, merchant, spent_on, tags, created_at, updated_at, version";

fn corrupt(error: impl std::fmt::Display) -> RepoError {
    RepoError::Corrupt(error.to_string())
}

/// A row of [`EXPENSE_COLUMNS`], by position.
fn expense(row: &SqliteRow, currencies: &mut Currencies) -> Result<ExpenseRecord, RepoError> {
    let currency: &str = row.try_get(3)?;
    let tags: &str = row.try_get(8)?;
    Ok(ExpenseRecord {
        id: row.try_get(0)?,
        user_id: row.try_get(1)?,
        fields: ExpenseFields {
            money: currencies.money(row.try_get(2)?, currency)?,
            category: row.try_get(4)?,
            note: row.try_get(5)?,
            merchant: row.try_get(6)?,
            spent_on: parse_date(row.try_get(7)?).map_err(corrupt)?,
            tags: serde_json::from_str(tags).map_err(corrupt)?,
        },
        created_at: from_micros(row.try_get(9)?),
        updated_at: from_micros(row.try_get(10)?),
        version: row.try_get(11)?,
    })
}

fn tags_json(tags: &[String]) -> String {
    serde_json::to_string(tags).expect("strings serialise")
}

/// Inserts `events` on the writer's connection.
async fn insert_events(connection: &mut SqliteConnection, events: &[OutboxEvent]) -> Result<(), RepoError> {
    if events.is_empty() {
        return Ok(());
    }
    let mut query =
        QueryBuilder::<Sqlite>::new("INSERT INTO outbox (id, user_id, event_type, payload, created_at) ");
    query.push_values(events, |mut row, event| {
        row.push_bind(event.id)
            .push_bind(event.user_id)
            .push_bind(event.event_type.as_str())
            .push_bind(event.payload.as_str())
            .push_bind(to_micros(event.created_at));
    });
    query.build().execute(connection).await?;
    Ok(())
}

fn stored_response(row: &SqliteRow) -> Result<StoredResponse, RepoError> {
    Ok(StoredResponse {
        key: row.try_get(0)?,
        request_hash: row.try_get(1)?,
        status: u16::try_from(row.try_get::<i64, _>(2)?).map_err(corrupt)?,
        body: row.try_get(3)?,
        stored_at: from_micros(row.try_get(4)?),
    })
}

const STORED_RESPONSE: &str = "SELECT key, request_hash, status, response_body, created_at FROM idempotency_keys
                               WHERE user_id = ?1 AND key = ?2";

/// One expense and its event, in one call to the connection: the common create.
const INSERT_ONE: &str = "
    INSERT INTO expenses (id, user_id, amount_minor, currency, exponent, category, note, merchant, search_text,
                          spent_on, tags, created_at, updated_at, version)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14);
    INSERT INTO outbox (id, user_id, event_type, payload, created_at) VALUES (?15, ?2, ?16, ?17, ?18);";

/// Inserts `records` and `events` on the writer's connection.
async fn insert_records(
    connection: &mut SqliteConnection,
    records: &[ExpenseRecord],
    events: &[OutboxEvent],
) -> Result<(), RepoError> {
    if let ([record], [event]) = (records, events) {
        let fields = &record.fields;
        sqlx::query(INSERT_ONE)
            .bind(record.id)
            .bind(record.user_id)
            .bind(fields.money.minor())
            .bind(fields.money.currency().code())
            .bind(i64::from(fields.money.currency().exponent()))
            .bind(fields.category.as_str())
            .bind(fields.note.as_deref())
            .bind(fields.merchant.as_deref())
            .bind(search_text(fields.note.as_deref(), fields.merchant.as_deref()))
            .bind(format_date(fields.spent_on))
            .bind(tags_json(&fields.tags))
            .bind(to_micros(record.created_at))
            .bind(to_micros(record.updated_at))
            .bind(record.version)
            .bind(event.id)
            .bind(event.event_type.as_str())
            .bind(event.payload.as_str())
            .bind(to_micros(event.created_at))
            .execute(&mut *connection)
            .await?;
        return Ok(());
    }
    // 14 parameters a row: 1,000 rows stay under SQLite's limit of 32,766 a statement.
    for chunk in records.chunks(1000) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO expenses (id, user_id, amount_minor, currency, exponent, category, note, merchant,
                                   search_text, spent_on, tags, created_at, updated_at, version) ",
        );
        query.push_values(chunk, |mut row, record| {
            let fields = &record.fields;
            row.push_bind(record.id)
                .push_bind(record.user_id)
                .push_bind(fields.money.minor())
                .push_bind(fields.money.currency().code())
                .push_bind(i64::from(fields.money.currency().exponent()))
                .push_bind(fields.category.as_str())
                .push_bind(fields.note.as_deref())
                .push_bind(fields.merchant.as_deref())
                .push_bind(search_text(fields.note.as_deref(), fields.merchant.as_deref()))
                .push_bind(format_date(fields.spent_on))
                .push_bind(tags_json(&fields.tags))
                .push_bind(to_micros(record.created_at))
                .push_bind(to_micros(record.updated_at))
                .push_bind(record.version);
        });
        query.build().execute(&mut *connection).await?;
    }
    for chunk in events.chunks(1000) {
        insert_events(connection, chunk).await?;
    }
    Ok(())
}

#[async_trait]
impl ExpenseRepository for SqliteExpenseStore {
    async fn stored_response(&self, user_id: Uuid, key: &str) -> Result<Option<StoredResponse>, RepoError> {
        let row = sqlx::query(STORED_RESPONSE)
            .bind(user_id)
            .bind(key)
            .fetch_optional(&self.readers)
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
        let records = records.to_vec();
        let events = events.to_vec();
        let response = response.cloned();
        self.writer
            .write(move |connection: &mut SqliteConnection| {
                Box::pin(async move {
                    if let Some(response) = &response {
                        let claimed = sqlx::query(
                            "INSERT INTO idempotency_keys (user_id, key, request_hash, status, response_body,
                                                           created_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (user_id, key) DO NOTHING",
                        )
                        .bind(user_id)
                        .bind(response.key.as_str())
                        .bind(response.request_hash.as_slice())
                        .bind(i64::from(response.status))
                        .bind(response.body.as_slice())
                        .bind(to_micros(response.stored_at))
                        .execute(&mut *connection)
                        .await?;
                        if claimed.rows_affected() == 0 {
                            let existing = sqlx::query(STORED_RESPONSE)
                                .bind(user_id)
                                .bind(response.key.as_str())
                                .fetch_optional(&mut *connection)
                                .await?;
                            return existing
                                .as_ref()
                                .map(stored_response)
                                .transpose()?
                                .map(Insert::KeyTaken)
                                .ok_or_else(|| RepoError::Corrupt("idempotency key vanished".into()));
                        }
                    }
                    insert_records(connection, &records, &events).await?;
                    Ok(Insert::Inserted)
                })
            })
            .await
    }

    async fn expense(&self, user_id: Uuid, id: Uuid) -> Result<Option<ExpenseRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {EXPENSE_COLUMNS} FROM expenses WHERE user_id = ?1 AND id = ?2"
        ));
        let row = sqlx::query(sql)
            .bind(user_id)
            .bind(id)
            .fetch_optional(&self.readers)
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
        let record = record.clone();
        let event = event.clone();
        self.writer
            .write(move |connection: &mut SqliteConnection| {
                Box::pin(async move {
                    let fields = &record.fields;
                    let updated = sqlx::query(
                        "UPDATE expenses SET amount_minor = ?4, currency = ?5, exponent = ?6, category = ?7,
                                note = ?8, merchant = ?9, search_text = ?10, spent_on = ?11, tags = ?12,
                                updated_at = ?13, version = ?14
                         WHERE user_id = ?1 AND id = ?2 AND version = ?3",
                    )
                    .bind(record.user_id)
                    .bind(record.id)
                    .bind(expected_version)
                    .bind(fields.money.minor())
                    .bind(fields.money.currency().code())
                    .bind(i64::from(fields.money.currency().exponent()))
                    .bind(fields.category.as_str())
                    .bind(fields.note.as_deref())
                    .bind(fields.merchant.as_deref())
                    .bind(search_text(fields.note.as_deref(), fields.merchant.as_deref()))
                    .bind(format_date(fields.spent_on))
                    .bind(tags_json(&fields.tags))
                    .bind(to_micros(record.updated_at))
                    .bind(record.version)
                    .execute(&mut *connection)
                    .await?;
                    if updated.rows_affected() != 1 {
                        return Ok(false);
                    }
                    insert_events(connection, std::slice::from_ref(&event)).await?;
                    Ok(true)
                })
            })
            .await
    }

    async fn delete_expense(
        &self,
        user_id: Uuid,
        id: Uuid,
        expected_version: i64,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError> {
        let event = event.clone();
        self.writer
            .write(move |connection: &mut SqliteConnection| {
                Box::pin(async move {
                    let deleted =
                        sqlx::query("DELETE FROM expenses WHERE user_id = ?1 AND id = ?2 AND version = ?3")
                            .bind(user_id)
                            .bind(id)
                            .bind(expected_version)
                            .execute(&mut *connection)
                            .await?;
                    if deleted.rows_affected() != 1 {
                        return Ok(false);
                    }
                    insert_events(connection, std::slice::from_ref(&event)).await?;
                    Ok(true)
                })
            })
            .await
    }

    async fn list_expenses(
        &self,
        user_id: Uuid,
        filter: &ExpenseFilter,
        after: Option<ListCursor>,
        limit: u32,
    ) -> Result<Vec<ExpenseRecord>, RepoError> {
        let mut query =
            QueryBuilder::<Sqlite>::new(format!("SELECT {EXPENSE_COLUMNS} FROM expenses WHERE user_id = "));
        query.push_bind(user_id);
        if !filter.categories.is_empty() {
            query
                .push(" AND category IN (SELECT value FROM json_each(")
                .push_bind(serde_json::to_string(&filter.categories).expect("strings serialise"))
                .push("))");
        }
        if let Some(from) = filter.from {
            query.push(" AND spent_on >= ").push_bind(format_date(from));
        }
        if let Some(to) = filter.to {
            query.push(" AND spent_on <= ").push_bind(format_date(to));
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
                    .push_bind(i64::from(exponent))
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
            query
                .push(" AND EXISTS (SELECT 1 FROM json_each(expenses.tags) WHERE json_each.value = ")
                .push_bind(tag.clone())
                .push(")");
        }
        if let Some(text) = &filter.text {
            query
                .push(" AND instr(search_text, ")
                .push_bind(text.clone())
                .push(") > 0");
        }
        if let Some(cursor) = after {
            query
                .push(" AND (spent_on, id) < (")
                .push_bind(format_date(cursor.spent_on))
                .push(", ")
                .push_bind(cursor.id)
                .push(")");
        }
        query
            .push(" ORDER BY spent_on DESC, id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows = query.build().fetch_all(&self.readers).await?;
        let mut currencies = Currencies::default();
        rows.iter().map(|row| expense(row, &mut currencies)).collect()
    }

    async fn categories(&self, user_id: Uuid) -> Result<Vec<(String, i64)>, RepoError> {
        let rows = sqlx::query(
            "SELECT category, COUNT(*) AS count FROM expenses WHERE user_id = ?1 GROUP BY category ORDER BY category",
        )
        .bind(user_id)
        .fetch_all(&self.readers)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect()
    }

    async fn category_exists(&self, user_id: Uuid, category: &str) -> Result<bool, RepoError> {
        let exists: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM expenses WHERE user_id = ?1 AND category = ?2)
                 OR EXISTS (SELECT 1 FROM budgets WHERE user_id = ?1 AND category = ?2)",
        )
        .bind(user_id)
        .bind(category)
        .fetch_one(&self.readers)
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
        let (from, to, event) = (from.to_owned(), to.to_owned(), event.clone());
        self.writer
            .write(move |connection: &mut SqliteConnection| {
                Box::pin(async move {
                    let moved = sqlx::query(
                        "UPDATE expenses SET category = ?3, version = version + 1, updated_at = ?4
                         WHERE user_id = ?1 AND category = ?2",
                    )
                    .bind(user_id)
                    .bind(from.as_str())
                    .bind(to.as_str())
                    .bind(to_micros(at))
                    .execute(&mut *connection)
                    .await?
                    .rows_affected();
                    if budgets == BudgetMove::Merge {
                        sqlx::query(
                            "DELETE FROM budgets WHERE user_id = ?1 AND category = ?2
                               AND EXISTS (SELECT 1 FROM budgets WHERE user_id = ?1 AND category = ?3)",
                        )
                        .bind(user_id)
                        .bind(from.as_str())
                        .bind(to.as_str())
                        .execute(&mut *connection)
                        .await?;
                    }
                    sqlx::query(
                        "UPDATE budgets SET category = ?3, updated_at = ?4 WHERE user_id = ?1 AND category = ?2",
                    )
                    .bind(user_id)
                    .bind(from.as_str())
                    .bind(to.as_str())
                    .bind(to_micros(at))
                    .execute(&mut *connection)
                    .await?;
                    insert_events(connection, std::slice::from_ref(&event)).await?;
                    Ok(i64::try_from(moved).unwrap_or(i64::MAX))
                })
            })
            .await
    }

    async fn summary(
        &self,
        user_id: Uuid,
        group_by: GroupBy,
        from: Date,
        to: Date,
    ) -> Result<Vec<SummaryRow>, RepoError> {
        let key = match group_by {
            GroupBy::Category => "category",
            GroupBy::Month => "substr(spent_on, 1, 7)",
            GroupBy::Day => "spent_on",
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {key} AS key, currency, exponent, SUM(amount_minor) AS total, COUNT(*) AS count
             FROM expenses WHERE user_id = ?1 AND spent_on BETWEEN ?2 AND ?3
             GROUP BY 1, currency, exponent ORDER BY 1, currency"
        ));
        let rows = sqlx::query(sql)
            .bind(user_id)
            .bind(format_date(from))
            .bind(format_date(to))
            .fetch_all(&self.readers)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(SummaryRow {
                    key: row.try_get(0)?,
                    currency: row.try_get(1)?,
                    exponent: u8::try_from(row.try_get::<i64, _>(2)?).map_err(corrupt)?,
                    total_minor: row.try_get(3)?,
                    count: row.try_get(4)?,
                })
            })
            .collect()
    }

    async fn forget_stored_responses(&self, before: OffsetDateTime) -> Result<u64, RepoError> {
        self.writer
            .write(move |connection: &mut SqliteConnection| {
                Box::pin(async move {
                    let result = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < ?1")
                        .bind(to_micros(before))
                        .execute(connection)
                        .await?;
                    Ok(result.rows_affected())
                })
            })
            .await
    }
}

fn budget(row: &SqliteRow) -> Result<BudgetRecord, RepoError> {
    let currency: &str = row.try_get(3)?;
    Ok(BudgetRecord {
        user_id: row.try_get(0)?,
        category: row.try_get(1)?,
        amount: stored_money(row.try_get(2)?, currency)?,
        period: row.try_get(4)?,
        starts_on_day: u8::try_from(row.try_get::<i64, _>(5)?).map_err(corrupt)?,
        created_at: from_micros(row.try_get(6)?),
        updated_at: from_micros(row.try_get(7)?),
    })
}

#[async_trait]
impl BudgetRepository for SqliteExpenseStore {
    async fn put_budget(&self, record: &BudgetRecord, event: &OutboxEvent) -> Result<bool, RepoError> {
        let (record, event) = (record.clone(), event.clone());
        self.writer
            .write(move |connection: &mut SqliteConnection| {
                Box::pin(async move {
                    let existed: bool = sqlx::query_scalar(
                        "SELECT EXISTS (SELECT 1 FROM budgets WHERE user_id = ?1 AND category = ?2)",
                    )
                    .bind(record.user_id)
                    .bind(record.category.as_str())
                    .fetch_one(&mut *connection)
                    .await?;
                    sqlx::query(
                        "INSERT INTO budgets (user_id, category, amount_minor, currency, exponent, period,
                                              starts_on_day, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
                         ON CONFLICT (user_id, category) DO UPDATE SET amount_minor = excluded.amount_minor,
                             currency = excluded.currency, exponent = excluded.exponent, period = excluded.period,
                             starts_on_day = excluded.starts_on_day, updated_at = excluded.updated_at",
                    )
                    .bind(record.user_id)
                    .bind(record.category.as_str())
                    .bind(record.amount.minor())
                    .bind(record.amount.currency().code())
                    .bind(i64::from(record.amount.currency().exponent()))
                    .bind(record.period.as_str())
                    .bind(i64::from(record.starts_on_day))
                    .bind(to_micros(record.updated_at))
                    .execute(&mut *connection)
                    .await?;
                    insert_events(connection, std::slice::from_ref(&event)).await?;
                    Ok(!existed)
                })
            })
            .await
    }

    async fn budgets(&self, user_id: Uuid) -> Result<Vec<BudgetRecord>, RepoError> {
        let rows = sqlx::query(
            "SELECT user_id, category, amount_minor, currency, period, starts_on_day, created_at, updated_at
             FROM budgets WHERE user_id = ?1 ORDER BY category",
        )
        .bind(user_id)
        .fetch_all(&self.readers)
        .await?;
        rows.iter().map(budget).collect()
    }

    async fn delete_budget(
        &self,
        user_id: Uuid,
        category: &str,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError> {
        let (category, event) = (category.to_owned(), event.clone());
        self.writer
            .write(move |connection: &mut SqliteConnection| {
                Box::pin(async move {
                    let deleted = sqlx::query("DELETE FROM budgets WHERE user_id = ?1 AND category = ?2")
                        .bind(user_id)
                        .bind(category.as_str())
                        .execute(&mut *connection)
                        .await?;
                    if deleted.rows_affected() != 1 {
                        return Ok(false);
                    }
                    insert_events(connection, std::slice::from_ref(&event)).await?;
                    Ok(true)
                })
            })
            .await
    }

    async fn spent(
        &self,
        user_id: Uuid,
        category: Option<&str>,
        from: Date,
        to: Date,
    ) -> Result<Vec<Spent>, RepoError> {
        let rows = sqlx::query(
            "SELECT currency, SUM(amount_minor) AS total, COUNT(*) AS count FROM expenses
             WHERE user_id = ?1 AND (?2 IS NULL OR category = ?2) AND spent_on BETWEEN ?3 AND ?4
             GROUP BY currency ORDER BY currency",
        )
        .bind(user_id)
        .bind(category)
        .bind(format_date(from))
        .bind(format_date(to))
        .fetch_all(&self.readers)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Spent {
                    currency: row.try_get(0)?,
                    total_minor: row.try_get(1)?,
                    count: row.try_get(2)?,
                })
            })
            .collect()
    }
}

/// `UPDATE outbox SET <column> = <value> WHERE id IN (<ids>)` (SQLite has no arrays to bind).
fn update_outbox(column: &'static str, value: Option<i64>, ids: &[Uuid]) -> QueryBuilder<Sqlite> {
    let mut query = QueryBuilder::<Sqlite>::new(format!("UPDATE outbox SET {column} = "));
    query.push_bind(value).push(" WHERE id IN (");
    let mut separated = query.separated(", ");
    for id in ids {
        separated.push_bind(*id);
    }
    query.push(")");
    query
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
            .writer
            .write(move |connection: &mut SqliteConnection| {
                Box::pin(async move {
                    for chunk in published.chunks(1000) {
                        update_outbox("published_at", Some(to_micros(now)), chunk)
                            .build()
                            .execute(&mut *connection)
                            .await?;
                    }
                    let rows = sqlx::query(
                        "UPDATE outbox SET claimed_until = ?2
                         WHERE id IN (SELECT id FROM outbox
                                      WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?1)
                                      ORDER BY id LIMIT ?3)
                         RETURNING id, user_id, event_type, payload, created_at",
                    )
                    .bind(to_micros(now))
                    .bind(to_micros(now + lease))
                    .bind(i64::from(limit))
                    .fetch_all(&mut *connection)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(OutboxEvent {
                                id: row.try_get(0)?,
                                user_id: row.try_get(1)?,
                                event_type: row.try_get(2)?,
                                payload: row.try_get(3)?,
                                created_at: from_micros(row.try_get(4)?),
                            })
                        })
                        .collect::<Result<Vec<_>, RepoError>>()
                })
            })
            .await?;
        events.sort_by_key(|event| event.id);
        Ok(events)
    }

    async fn release_claims(&self, ids: &[Uuid]) -> Result<(), RepoError> {
        let ids = ids.to_vec();
        self.writer
            .write(move |connection: &mut SqliteConnection| {
                Box::pin(async move {
                    for chunk in ids.chunks(1000) {
                        update_outbox("claimed_until", None, chunk)
                            .build()
                            .execute(&mut *connection)
                            .await?;
                    }
                    Ok(())
                })
            })
            .await
    }

    async fn pending_events(&self) -> Result<i64, RepoError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")
                .fetch_one(&self.readers)
                .await?,
        )
    }

    async fn forget_published(&self, before: OffsetDateTime) -> Result<u64, RepoError> {
        self.writer
            .write(move |connection: &mut SqliteConnection| {
                Box::pin(async move {
                    let result = sqlx::query("DELETE FROM outbox WHERE published_at < ?1")
                        .bind(to_micros(before))
                        .execute(connection)
                        .await?;
                    Ok(result.rows_affected())
                })
            })
            .await
    }
}
