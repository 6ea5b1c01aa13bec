//! Budgets on SQLite: an upsert that says whether it created, and each period's spending per
//! currency.

use async_trait::async_trait;
use expense_kit::clock::{from_micros, to_micros};
use rusqlite::{Row, params};
use time::Date;
use uuid::Uuid;

use super::{SqliteExpenseStore, corrupt, insert_events, uuid};
use crate::domain::format_date;
use crate::repository::{BudgetRecord, BudgetRepository, OutboxEvent, RepoError, Spent, stored_money};

fn budget(row: &Row<'_>) -> Result<BudgetRecord, RepoError> {
    let currency = row.get_ref(3)?.as_str().map_err(corrupt)?;
    Ok(BudgetRecord {
        user_id: uuid(row, 0)?,
        category: row.get(1)?,
        amount: stored_money(row.get(2)?, currency)?,
        period: row.get(4)?,
        starts_on_day: u8::try_from(row.get::<_, i64>(5)?).map_err(corrupt)?,
        created_at: from_micros(row.get(6)?),
        updated_at: from_micros(row.get(7)?),
        convert: row.get(8)?,
    })
}

#[async_trait]
impl BudgetRepository for SqliteExpenseStore {
    async fn put_budget(&self, record: &BudgetRecord, event: &OutboxEvent) -> Result<bool, RepoError> {
        let (record, event) = (record.clone(), event.clone());
        self.engine
            .write(move |connection| {
                let user = &record.user_id.as_bytes()[..];
                let existed: bool = connection.query_row(
                    "SELECT EXISTS (SELECT 1 FROM budgets WHERE user_id = ?1 AND category = ?2)",
                    params![user, record.category],
                    |row| row.get(0),
                )?;
                connection.execute(
                    "INSERT INTO budgets (user_id, category, amount_minor, currency, exponent, period,
                                          starts_on_day, created_at, updated_at, convert_foreign)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)
                     ON CONFLICT (user_id, category) DO UPDATE SET amount_minor = excluded.amount_minor,
                         currency = excluded.currency, exponent = excluded.exponent, period = excluded.period,
                         starts_on_day = excluded.starts_on_day, updated_at = excluded.updated_at,
                         convert_foreign = excluded.convert_foreign",
                    params![
                        user,
                        record.category,
                        record.amount.minor(),
                        record.amount.currency().code(),
                        i64::from(record.amount.currency().exponent()),
                        record.period,
                        i64::from(record.starts_on_day),
                        to_micros(record.updated_at),
                        record.convert,
                    ],
                )?;
                insert_events(connection, std::slice::from_ref(&event))?;
                Ok(!existed)
            })
            .await
    }

    async fn budgets(&self, user_id: Uuid) -> Result<Vec<BudgetRecord>, RepoError> {
        self.engine
            .read(move |connection| {
                let mut statement = connection.prepare_cached(
                    "SELECT user_id, category, amount_minor, currency, period, starts_on_day, created_at, updated_at,
                            convert_foreign
                     FROM budgets WHERE user_id = ?1 ORDER BY category",
                )?;
                let mut rows = statement.query(params![&user_id.as_bytes()[..]])?;
                let mut budgets = Vec::new();
                while let Some(row) = rows.next()? {
                    budgets.push(budget(row)?);
                }
                Ok(budgets)
            })
            .await
    }

    async fn delete_budget(
        &self,
        user_id: Uuid,
        category: &str,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError> {
        let (category, event) = (category.to_owned(), event.clone());
        self.engine
            .write(move |connection| {
                let deleted = connection.execute(
                    "DELETE FROM budgets WHERE user_id = ?1 AND category = ?2",
                    params![&user_id.as_bytes()[..], category],
                )?;
                if deleted != 1 {
                    return Ok(false);
                }
                insert_events(connection, std::slice::from_ref(&event))?;
                Ok(true)
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
        let category = category.map(str::to_owned);
        self.engine
            .read(move |connection| {
                let mut statement = connection.prepare_cached(
                    "SELECT currency, SUM(amount_minor), COUNT(*) FROM expenses
                     WHERE user_id = ?1 AND (?2 IS NULL OR category = ?2) AND spent_on BETWEEN ?3 AND ?4
                     GROUP BY currency ORDER BY currency",
                )?;
                let rows = statement.query_map(
                    params![
                        &user_id.as_bytes()[..],
                        category,
                        format_date(from),
                        format_date(to)
                    ],
                    |row| {
                        Ok(Spent {
                            currency: row.get(0)?,
                            total_minor: row.get(1)?,
                            count: row.get(2)?,
                        })
                    },
                )?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await
    }
}
