//! Recurring schedules on SQLite, beside the expenses store (`repository::sqlite`), whose engine,
//! row helpers and expense and event inserts it shares. Recording occurrences is one job for the
//! database's one writer: it reads the schedule, records each occurrence not yet recorded with its
//! expense and event, and moves the schedule on, in one transaction.

use async_trait::async_trait;
use expense_kit::clock::{from_micros, to_micros};
use rusqlite::{Connection, OptionalExtension, Row, params};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{Occurrence, RecurringRepository, ScheduleRecord, stored_rule};
use crate::domain::{ExpenseFields, format_date, parse_date};
use crate::repository::sqlite::{
    SqliteExpenseStore, corrupt, insert_events, insert_records, tags_json, uuid,
};
use crate::repository::{RepoError, stored_money};

const SCHEDULE_COLUMNS: &str =
    "id, user_id, amount_minor, currency, category, note, merchant, tags, every, on_day,
     starts_on, ends_on, paused, done_through, created_at, updated_at";

fn date(row: &Row<'_>, index: usize) -> Result<Date, RepoError> {
    parse_date(row.get_ref(index)?.as_str().map_err(corrupt)?).map_err(corrupt)
}

/// A row of [`SCHEDULE_COLUMNS`], by position.
fn schedule(row: &Row<'_>) -> Result<ScheduleRecord, RepoError> {
    let starts_on = date(row, 10)?;
    let ends_on = match row.get_ref(11)? {
        rusqlite::types::ValueRef::Null => None,
        _ => Some(date(row, 11)?),
    };
    Ok(ScheduleRecord {
        id: uuid(row, 0)?,
        user_id: uuid(row, 1)?,
        template: ExpenseFields {
            money: stored_money(row.get(2)?, row.get_ref(3)?.as_str().map_err(corrupt)?)?,
            category: row.get(4)?,
            note: row.get(5)?,
            merchant: row.get(6)?,
            spent_on: starts_on,
            tags: serde_json::from_str(row.get_ref(7)?.as_str().map_err(corrupt)?).map_err(corrupt)?,
        },
        rule: stored_rule(
            row.get_ref(8)?.as_str().map_err(corrupt)?,
            row.get(9)?,
            starts_on,
            ends_on,
        )?,
        paused: row.get(12)?,
        done_through: date(row, 13)?,
        created_at: from_micros(row.get(14)?),
        updated_at: from_micros(row.get(15)?),
    })
}

fn read_schedule(
    connection: &Connection,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<ScheduleRecord>, RepoError> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {SCHEDULE_COLUMNS} FROM recurring_schedules WHERE user_id = ?1 AND id = ?2"
    ))?;
    let mut rows = statement.query(params![&user_id.as_bytes()[..], &id.as_bytes()[..]])?;
    rows.next()?.map(schedule).transpose()
}

fn read_schedules(
    connection: &Connection,
    sql: &str,
    parameters: impl rusqlite::Params,
) -> Result<Vec<ScheduleRecord>, RepoError> {
    let mut statement = connection.prepare_cached(sql)?;
    let mut rows = statement.query(parameters)?;
    let mut schedules = Vec::new();
    while let Some(row) = rows.next()? {
        schedules.push(schedule(row)?);
    }
    Ok(schedules)
}

#[async_trait]
impl RecurringRepository for SqliteExpenseStore {
    async fn insert_schedule(&self, record: &ScheduleRecord) -> Result<(), RepoError> {
        let record = record.clone();
        self.engine
            .write(move |connection| {
                let template = &record.template;
                connection
                    .prepare_cached(
                        "INSERT INTO recurring_schedules (id, user_id, amount_minor, currency, exponent, category,
                             note, merchant, tags, every, on_day, starts_on, ends_on, paused, done_through,
                             created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                    )?
                    .execute(params![
                        &record.id.as_bytes()[..],
                        &record.user_id.as_bytes()[..],
                        template.money.minor(),
                        template.money.currency().code(),
                        i64::from(template.money.currency().exponent()),
                        template.category,
                        template.note,
                        template.merchant,
                        tags_json(&template.tags),
                        record.rule.every.as_str(),
                        record.rule.on,
                        format_date(record.rule.starts_on),
                        record.rule.ends_on.map(format_date),
                        record.paused,
                        format_date(record.done_through),
                        to_micros(record.created_at),
                        to_micros(record.updated_at),
                    ])?;
                Ok(())
            })
            .await
    }

    async fn schedules(&self, user_id: Uuid) -> Result<Vec<ScheduleRecord>, RepoError> {
        self.engine
            .read(move |connection| {
                read_schedules(
                    connection,
                    &format!(
                        "SELECT {SCHEDULE_COLUMNS} FROM recurring_schedules WHERE user_id = ?1 ORDER BY id"
                    ),
                    params![&user_id.as_bytes()[..]],
                )
            })
            .await
    }

    async fn schedule(&self, user_id: Uuid, id: Uuid) -> Result<Option<ScheduleRecord>, RepoError> {
        self.engine
            .read(move |connection| read_schedule(connection, user_id, id))
            .await
    }

    async fn pause_schedule(
        &self,
        user_id: Uuid,
        id: Uuid,
        at: OffsetDateTime,
    ) -> Result<Option<ScheduleRecord>, RepoError> {
        self.engine
            .write(move |connection| {
                connection
                    .prepare_cached(
                        "UPDATE recurring_schedules SET paused = 1, updated_at = ?3
                         WHERE user_id = ?1 AND id = ?2 AND paused = 0",
                    )?
                    .execute(params![
                        &user_id.as_bytes()[..],
                        &id.as_bytes()[..],
                        to_micros(at)
                    ])?;
                read_schedule(connection, user_id, id)
            })
            .await
    }

    async fn resume_schedule(
        &self,
        user_id: Uuid,
        id: Uuid,
        skip_through: Date,
        at: OffsetDateTime,
    ) -> Result<Option<ScheduleRecord>, RepoError> {
        self.engine
            .write(move |connection| {
                connection
                    .prepare_cached(
                        "UPDATE recurring_schedules SET paused = 0, updated_at = ?4,
                                done_through = max(done_through, ?3)
                         WHERE user_id = ?1 AND id = ?2 AND paused = 1",
                    )?
                    .execute(params![
                        &user_id.as_bytes()[..],
                        &id.as_bytes()[..],
                        format_date(skip_through),
                        to_micros(at)
                    ])?;
                read_schedule(connection, user_id, id)
            })
            .await
    }

    async fn delete_schedule(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError> {
        self.engine
            .write(move |connection| {
                let deleted = connection
                    .prepare_cached("DELETE FROM recurring_schedules WHERE user_id = ?1 AND id = ?2")?
                    .execute(params![&user_id.as_bytes()[..], &id.as_bytes()[..]])?;
                Ok(deleted == 1)
            })
            .await
    }

    async fn due_schedules(&self, today: Date, limit: u32) -> Result<Vec<ScheduleRecord>, RepoError> {
        self.engine
            .read(move |connection| {
                read_schedules(
                    connection,
                    &format!(
                        "SELECT {SCHEDULE_COLUMNS} FROM recurring_schedules
                         WHERE paused = 0 AND done_through < ?1 AND (ends_on IS NULL OR done_through < ends_on)
                         ORDER BY done_through, id LIMIT ?2"
                    ),
                    params![format_date(today), i64::from(limit)],
                )
            })
            .await
    }

    async fn record_occurrences(
        &self,
        schedule: &ScheduleRecord,
        occurrences: &[Occurrence],
        through: Date,
    ) -> Result<u64, RepoError> {
        let (user_id, id, occurrences) = (schedule.user_id, schedule.id, occurrences.to_vec());
        self.engine
            .write(move |connection| {
                let done_through: Option<String> = connection
                    .prepare_cached(
                        "SELECT done_through FROM recurring_schedules WHERE user_id = ?1 AND id = ?2 AND paused = 0",
                    )?
                    .query_row(params![&user_id.as_bytes()[..], &id.as_bytes()[..]], |row| row.get(0))
                    .optional()?;
                let Some(done_through) = done_through else {
                    return Ok(0);
                };
                let done_through = parse_date(&done_through).map_err(corrupt)?;
                let mut recorded = 0;
                for occurrence in &occurrences {
                    let day = occurrence.expense.fields.spent_on;
                    if day <= done_through {
                        continue;
                    }
                    let claimed = connection
                        .prepare_cached(
                            "INSERT INTO recurring_occurrences (schedule_id, occurs_on, expense_id) VALUES (?1, ?2, ?3)
                             ON CONFLICT (schedule_id, occurs_on) DO NOTHING",
                        )?
                        .execute(params![
                            &id.as_bytes()[..],
                            format_date(day),
                            &occurrence.expense.id.as_bytes()[..]
                        ])?;
                    if claimed == 1 {
                        insert_records(connection, std::slice::from_ref(&occurrence.expense))?;
                        insert_events(connection, std::slice::from_ref(&occurrence.event))?;
                        recorded += 1;
                    }
                }
                connection
                    .prepare_cached(
                        "UPDATE recurring_schedules SET done_through = max(done_through, ?2) WHERE id = ?1",
                    )?
                    .execute(params![&id.as_bytes()[..], format_date(through)])?;
                Ok(recorded)
            })
            .await
    }
}
