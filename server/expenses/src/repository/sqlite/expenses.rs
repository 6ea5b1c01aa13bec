//! Expenses on SQLite: creates (with their stored answer under an `Idempotency-Key`), reads,
//! versioned changes and deletes, the filtered list, categories and summaries.

use async_trait::async_trait;
use expense_kit::clock::{from_micros, to_micros};
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params, params_from_iter};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{SqliteExpenseStore, corrupt, insert_events, tags_json, uuid};
use crate::domain::{ExpenseFields, format_date, parse_date, search_text};
use crate::repository::{
    BudgetMove, Currencies, DaySummaryRow, ExpenseFilter, ExpenseRecord, ExpenseRepository, GroupBy, Insert,
    ListCursor, OutboxEvent, RepoError, StoredResponse, SummaryRow, amount_bounds,
};

const EXPENSE_COLUMNS: &str = "id, user_id, amount_minor, currency, category, note, merchant, spent_on, tags, created_at, updated_at, version, recurring_id";

/// A row of [`EXPENSE_COLUMNS`], by position.
fn expense(row: &Row<'_>, currencies: &mut Currencies) -> Result<ExpenseRecord, RepoError> {
    let currency = row.get_ref(3)?.as_str().map_err(corrupt)?;
    let tags = row.get_ref(8)?.as_str().map_err(corrupt)?;
    Ok(ExpenseRecord {
        id: uuid(row, 0)?,
        user_id: uuid(row, 1)?,
        fields: ExpenseFields {
            money: currencies.money(row.get(2)?, currency)?,
            category: row.get(4)?,
            note: row.get(5)?,
            merchant: row.get(6)?,
            spent_on: parse_date(row.get_ref(7)?.as_str().map_err(corrupt)?).map_err(corrupt)?,
            tags: serde_json::from_str(tags).map_err(corrupt)?,
        },
        created_at: from_micros(row.get(9)?),
        updated_at: from_micros(row.get(10)?),
        version: row.get(11)?,
        recurring_id: match row.get_ref(12)? {
            rusqlite::types::ValueRef::Null => None,
            _ => Some(uuid(row, 12)?),
        },
    })
}

fn stored_response(row: &Row<'_>) -> Result<StoredResponse, RepoError> {
    Ok(StoredResponse {
        key: row.get(0)?,
        request_hash: row.get(1)?,
        status: u16::try_from(row.get::<_, i64>(2)?).map_err(corrupt)?,
        body: row.get(3)?,
        stored_at: from_micros(row.get(4)?),
    })
}

const STORED_RESPONSE: &str =
    "SELECT key, request_hash, status, response_body, created_at FROM idempotency_keys
                               WHERE user_id = ?1 AND key = ?2";

fn read_stored_response(
    connection: &Connection,
    user_id: Uuid,
    key: &str,
) -> Result<Option<StoredResponse>, RepoError> {
    let mut statement = connection.prepare_cached(STORED_RESPONSE)?;
    let mut rows = statement.query(params![&user_id.as_bytes()[..], key])?;
    rows.next()?.map(stored_response).transpose()
}

/// Inserts `records` on the writer's connection.
pub(crate) fn insert_records(connection: &Connection, records: &[ExpenseRecord]) -> Result<(), RepoError> {
    let mut statement = connection.prepare_cached(
        "INSERT INTO expenses (id, user_id, amount_minor, currency, exponent, category, note, merchant, search_text,
                               spent_on, tags, created_at, updated_at, version, recurring_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    for record in records {
        let fields = &record.fields;
        statement.execute(params![
            &record.id.as_bytes()[..],
            &record.user_id.as_bytes()[..],
            fields.money.minor(),
            fields.money.currency().code(),
            i64::from(fields.money.currency().exponent()),
            fields.category,
            fields.note,
            fields.merchant,
            search_text(fields.note.as_deref(), fields.merchant.as_deref()),
            format_date(fields.spent_on),
            tags_json(&fields.tags),
            to_micros(record.created_at),
            to_micros(record.updated_at),
            record.version,
            record.recurring_id.as_ref().map(|id| &id.as_bytes()[..]),
        ])?;
    }
    Ok(())
}

/// The list query for `filter` after `after`, and its parameters.
fn list_query(
    user_id: Uuid,
    filter: &ExpenseFilter,
    after: Option<ListCursor>,
    limit: u32,
) -> (String, Vec<Value>) {
    let mut sql = format!("SELECT {EXPENSE_COLUMNS} FROM expenses WHERE user_id = ?1");
    let mut values: Vec<Value> = vec![Value::Blob(user_id.as_bytes().to_vec())];
    let mut bind = |sql: &mut String, value: Value| {
        values.push(value);
        sql.push_str(&format!("?{}", values.len()));
    };
    if !filter.categories.is_empty() {
        sql.push_str(" AND category IN (SELECT value FROM json_each(");
        bind(
            &mut sql,
            Value::Text(serde_json::to_string(&filter.categories).expect("strings serialise")),
        );
        sql.push_str("))");
    }
    if let Some(from) = filter.from {
        sql.push_str(" AND spent_on >= ");
        bind(&mut sql, Value::Text(format_date(from)));
    }
    if let Some(to) = filter.to {
        sql.push_str(" AND spent_on <= ");
        bind(&mut sql, Value::Text(format_date(to)));
    }
    for (bound, is_min) in [(filter.min_scaled, true), (filter.max_scaled, false)] {
        let Some(bound) = bound else { continue };
        sql.push_str(" AND (");
        for (index, (exponent, minor)) in amount_bounds(bound, is_min).into_iter().enumerate() {
            if index > 0 {
                sql.push_str(" OR ");
            }
            sql.push_str("(exponent = ");
            bind(&mut sql, Value::Integer(i64::from(exponent)));
            sql.push_str(if is_min {
                " AND amount_minor >= "
            } else {
                " AND amount_minor <= "
            });
            bind(&mut sql, Value::Integer(minor));
            sql.push(')');
        }
        sql.push(')');
    }
    if let Some(currency) = &filter.currency {
        sql.push_str(" AND currency = ");
        bind(&mut sql, Value::Text(currency.clone()));
    }
    if let Some(tag) = &filter.tag {
        sql.push_str(" AND EXISTS (SELECT 1 FROM json_each(expenses.tags) WHERE json_each.value = ");
        bind(&mut sql, Value::Text(tag.clone()));
        sql.push(')');
    }
    if let Some(text) = &filter.text {
        sql.push_str(" AND instr(search_text, ");
        bind(&mut sql, Value::Text(text.clone()));
        sql.push_str(") > 0");
    }
    if let Some(cursor) = after {
        sql.push_str(" AND (spent_on, id) < (");
        bind(&mut sql, Value::Text(format_date(cursor.spent_on)));
        sql.push_str(", ");
        bind(&mut sql, Value::Blob(cursor.id.as_bytes().to_vec()));
        sql.push(')');
    }
    sql.push_str(" ORDER BY spent_on DESC, id DESC LIMIT ");
    bind(&mut sql, Value::Integer(i64::from(limit)));
    (sql, values)
}

#[async_trait]
impl ExpenseRepository for SqliteExpenseStore {
    async fn stored_response(&self, user_id: Uuid, key: &str) -> Result<Option<StoredResponse>, RepoError> {
        let key = key.to_owned();
        self.engine
            .read(move |connection| read_stored_response(connection, user_id, &key))
            .await
    }

    async fn insert_expenses(
        &self,
        user_id: Uuid,
        records: &[ExpenseRecord],
        events: &[OutboxEvent],
        response: Option<&StoredResponse>,
    ) -> Result<Insert, RepoError> {
        let (records, events, response) = (records.to_vec(), events.to_vec(), response.cloned());
        self.engine
            .write(move |connection| {
                if let Some(response) = &response {
                    let claimed = connection
                        .prepare_cached(
                            "INSERT INTO idempotency_keys (user_id, key, request_hash, status, response_body,
                                                           created_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (user_id, key) DO NOTHING",
                        )?
                        .execute(params![
                            &user_id.as_bytes()[..],
                            response.key,
                            response.request_hash,
                            i64::from(response.status),
                            response.body,
                            to_micros(response.stored_at),
                        ])?;
                    if claimed == 0 {
                        return read_stored_response(connection, user_id, &response.key)?
                            .map(Insert::KeyTaken)
                            .ok_or_else(|| RepoError::Corrupt("idempotency key vanished".into()));
                    }
                }
                insert_records(connection, &records)?;
                insert_events(connection, &events)?;
                Ok(Insert::Inserted)
            })
            .await
    }

    async fn expense(&self, user_id: Uuid, id: Uuid) -> Result<Option<ExpenseRecord>, RepoError> {
        self.engine
            .read(move |connection| {
                let mut statement = connection.prepare_cached(&format!(
                    "SELECT {EXPENSE_COLUMNS} FROM expenses WHERE user_id = ?1 AND id = ?2"
                ))?;
                let mut rows = statement.query(params![&user_id.as_bytes()[..], &id.as_bytes()[..]])?;
                rows.next()?
                    .map(|row| expense(row, &mut Currencies::default()))
                    .transpose()
            })
            .await
    }

    async fn update_expense(
        &self,
        record: &ExpenseRecord,
        expected_version: i64,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError> {
        let (record, event) = (record.clone(), event.clone());
        self.engine
            .write(move |connection| {
                let fields = &record.fields;
                let updated = connection
                    .prepare_cached(
                        "UPDATE expenses SET amount_minor = ?4, currency = ?5, exponent = ?6, category = ?7,
                                note = ?8, merchant = ?9, search_text = ?10, spent_on = ?11, tags = ?12,
                                updated_at = ?13, version = ?14
                         WHERE user_id = ?1 AND id = ?2 AND version = ?3",
                    )?
                    .execute(params![
                        &record.user_id.as_bytes()[..],
                        &record.id.as_bytes()[..],
                        expected_version,
                        fields.money.minor(),
                        fields.money.currency().code(),
                        i64::from(fields.money.currency().exponent()),
                        fields.category,
                        fields.note,
                        fields.merchant,
                        search_text(fields.note.as_deref(), fields.merchant.as_deref()),
                        format_date(fields.spent_on),
                        tags_json(&fields.tags),
                        to_micros(record.updated_at),
                        record.version,
                    ])?;
                if updated != 1 {
                    return Ok(false);
                }
                insert_events(connection, std::slice::from_ref(&event))?;
                Ok(true)
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
        self.engine
            .write(move |connection| {
                let deleted = connection
                    .prepare_cached("DELETE FROM expenses WHERE user_id = ?1 AND id = ?2 AND version = ?3")?
                    .execute(params![
                        &user_id.as_bytes()[..],
                        &id.as_bytes()[..],
                        expected_version
                    ])?;
                if deleted != 1 {
                    return Ok(false);
                }
                insert_events(connection, std::slice::from_ref(&event))?;
                Ok(true)
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
        let (sql, values) = list_query(user_id, filter, after, limit);
        self.engine
            .read(move |connection| {
                let mut statement = connection.prepare_cached(&sql)?;
                let mut rows = statement.query(params_from_iter(values))?;
                let mut currencies = Currencies::default();
                let mut records = Vec::with_capacity(limit as usize);
                while let Some(row) = rows.next()? {
                    records.push(expense(row, &mut currencies)?);
                }
                Ok(records)
            })
            .await
    }

    async fn categories(&self, user_id: Uuid) -> Result<Vec<(String, i64)>, RepoError> {
        self.engine
            .read(move |connection| {
                let mut statement = connection.prepare_cached(
                    "SELECT category, COUNT(*) FROM expenses WHERE user_id = ?1 GROUP BY category ORDER BY category",
                )?;
                let rows = statement.query_map(params![&user_id.as_bytes()[..]], |row| Ok((row.get(0)?, row.get(1)?)))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await
    }

    async fn category_exists(&self, user_id: Uuid, category: &str) -> Result<bool, RepoError> {
        let category = category.to_owned();
        self.engine
            .read(move |connection| {
                Ok(connection
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM expenses WHERE user_id = ?1 AND category = ?2)
                             OR EXISTS (SELECT 1 FROM budgets WHERE user_id = ?1 AND category = ?2)",
                    )?
                    .query_row(params![&user_id.as_bytes()[..], category], |row| row.get(0))?)
            })
            .await
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
        self.engine
            .write(move |connection| {
                let user = &user_id.as_bytes()[..];
                let moved = connection.execute(
                    "UPDATE expenses SET category = ?3, version = version + 1, updated_at = ?4
                     WHERE user_id = ?1 AND category = ?2",
                    params![user, from, to, to_micros(at)],
                )?;
                if budgets == BudgetMove::Merge {
                    connection.execute(
                        "DELETE FROM budgets WHERE user_id = ?1 AND category = ?2
                           AND EXISTS (SELECT 1 FROM budgets WHERE user_id = ?1 AND category = ?3)",
                        params![user, from, to],
                    )?;
                }
                connection.execute(
                    "UPDATE budgets SET category = ?3, updated_at = ?4 WHERE user_id = ?1 AND category = ?2",
                    params![user, from, to, to_micros(at)],
                )?;
                insert_events(connection, std::slice::from_ref(&event))?;
                Ok(i64::try_from(moved).unwrap_or(i64::MAX))
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
        let key = summary_key(group_by);
        let sql = format!(
            "SELECT {key} AS key, currency, exponent, SUM(amount_minor), COUNT(*)
             FROM expenses WHERE user_id = ?1 AND spent_on BETWEEN ?2 AND ?3
             GROUP BY 1, currency, exponent ORDER BY 1, currency"
        );
        self.engine
            .read(move |connection| {
                let mut statement = connection.prepare_cached(&sql)?;
                let mut rows = statement.query(params![
                    &user_id.as_bytes()[..],
                    format_date(from),
                    format_date(to)
                ])?;
                let mut summary = Vec::new();
                while let Some(row) = rows.next()? {
                    summary.push(SummaryRow {
                        key: row.get(0)?,
                        currency: row.get(1)?,
                        exponent: u8::try_from(row.get::<_, i64>(2)?).map_err(corrupt)?,
                        total_minor: row.get(3)?,
                        count: row.get(4)?,
                    });
                }
                Ok(summary)
            })
            .await
    }

    async fn summary_by_day(
        &self,
        user_id: Uuid,
        group_by: GroupBy,
        from: Date,
        to: Date,
    ) -> Result<Vec<DaySummaryRow>, RepoError> {
        let sql = format!(
            "SELECT {} AS key, currency, exponent, spent_on, SUM(amount_minor), COUNT(*)
             FROM expenses WHERE user_id = ?1 AND spent_on BETWEEN ?2 AND ?3
             GROUP BY 1, currency, exponent, spent_on ORDER BY 1, currency, spent_on",
            summary_key(group_by)
        );
        self.engine
            .read(move |connection| {
                let mut statement = connection.prepare_cached(&sql)?;
                let mut rows = statement.query(params![
                    &user_id.as_bytes()[..],
                    format_date(from),
                    format_date(to)
                ])?;
                let mut summary = Vec::new();
                while let Some(row) = rows.next()? {
                    summary.push(DaySummaryRow {
                        key: row.get(0)?,
                        currency: row.get(1)?,
                        exponent: u8::try_from(row.get::<_, i64>(2)?).map_err(corrupt)?,
                        spent_on: parse_date(row.get_ref(3)?.as_str().map_err(corrupt)?).map_err(corrupt)?,
                        total_minor: row.get(4)?,
                        count: row.get(5)?,
                    });
                }
                Ok(summary)
            })
            .await
    }

    async fn forget_stored_responses(&self, before: OffsetDateTime) -> Result<u64, RepoError> {
        self.engine
            .write(move |connection| {
                let forgotten = connection.execute(
                    "DELETE FROM idempotency_keys WHERE created_at < ?1",
                    [to_micros(before)],
                )?;
                Ok(forgotten as u64)
            })
            .await
    }
}

/// The SQL of a summary's group key.
fn summary_key(group_by: GroupBy) -> &'static str {
    match group_by {
        GroupBy::Category => "category",
        GroupBy::Month => "substr(spent_on, 1, 7)",
        GroupBy::Day => "spent_on",
    }
}
