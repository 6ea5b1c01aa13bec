//! Recurring schedules on Postgres, beside the expenses store (`repository::postgres`), in the same
//! schema. Recording occurrences is one statement: it locks the schedule's row (so replicas
//! recording the same schedule take turns, and the later one finds the days done), claims each
//! occurrence after `done_through` by its (schedule, day) key, and writes the claimed ones'
//! expenses and events and the schedule's new `done_through` together.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{Occurrence, RecurringRepository, ScheduleRecord, stored_rule};
use crate::domain::{ExpenseFields, search_text};
use crate::repository::postgres::PgExpenseStore;
use crate::repository::{RepoError, stored_money};

const SCHEDULE_COLUMNS: &str =
    "id, user_id, amount_minor, currency, category, note, merchant, tags, every, on_day,
     starts_on, ends_on, paused, done_through, created_at, updated_at";

/// A row of [`SCHEDULE_COLUMNS`], by position.
fn schedule(row: &PgRow) -> Result<ScheduleRecord, RepoError> {
    let starts_on: Date = row.try_get(10)?;
    let every: &str = row.try_get(8)?;
    let on: Option<i16> = row.try_get(9)?;
    Ok(ScheduleRecord {
        id: row.try_get(0)?,
        user_id: row.try_get(1)?,
        template: ExpenseFields {
            money: stored_money(row.try_get(2)?, row.try_get(3)?)?,
            category: row.try_get(4)?,
            note: row.try_get(5)?,
            merchant: row.try_get(6)?,
            spent_on: starts_on,
            tags: row.try_get(7)?,
        },
        rule: stored_rule(every, on.map(i64::from), starts_on, row.try_get(11)?)?,
        paused: row.try_get(12)?,
        done_through: row.try_get(13)?,
        created_at: row.try_get(14)?,
        updated_at: row.try_get(15)?,
    })
}

/// Occurrences of schedule `$1` (user `$2`) on days `$3` as expenses `$4`, with the template's
/// columns `$5`… and events `$14`…, then `done_through` moved to `$18`: see the module doc.
const RECORD_OCCURRENCES: &str = "
    WITH schedule AS (
        SELECT done_through FROM recurring_schedules
        WHERE id = $1 AND user_id = $2 AND NOT paused
        FOR UPDATE
    ), claimed AS (
        INSERT INTO recurring_occurrences (schedule_id, occurs_on, expense_id)
        SELECT $1, o.occurs_on, o.expense_id
        FROM UNNEST($3::date[], $4::uuid[]) AS o(occurs_on, expense_id), schedule
        WHERE o.occurs_on > schedule.done_through
        ON CONFLICT (schedule_id, occurs_on) DO NOTHING
        RETURNING occurs_on, expense_id
    ), new_expenses AS (
        INSERT INTO expenses (id, user_id, amount_minor, currency, exponent, category, note, merchant,
                              search_text, spent_on, tags, created_at, updated_at, version, recurring_id)
        SELECT claimed.expense_id, $2, $5, $6, $7, $8, $9, $10, $11, claimed.occurs_on, $12, $13, $13, 1, $1
        FROM claimed
    ), new_events AS (
        INSERT INTO outbox (id, user_id, event_type, payload, created_at)
        SELECT e.id, $2, $14, e.payload::jsonb, $13
        FROM UNNEST($15::uuid[], $16::uuid[], $17::text[]) AS e(id, expense_id, payload)
        JOIN claimed ON claimed.expense_id = e.expense_id
    ), moved AS (
        UPDATE recurring_schedules SET done_through = GREATEST(recurring_schedules.done_through, $18)
        FROM schedule WHERE recurring_schedules.id = $1
    )
    SELECT count(*) FROM claimed";

#[async_trait]
impl RecurringRepository for PgExpenseStore {
    async fn insert_schedule(&self, record: &ScheduleRecord) -> Result<(), RepoError> {
        let template = &record.template;
        sqlx::query(
            "INSERT INTO recurring_schedules (id, user_id, amount_minor, currency, exponent, category, note,
                 merchant, tags, every, on_day, starts_on, ends_on, paused, done_through, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(record.id)
        .bind(record.user_id)
        .bind(template.money.minor())
        .bind(template.money.currency().code())
        .bind(i16::from(template.money.currency().exponent()))
        .bind(&template.category)
        .bind(&template.note)
        .bind(&template.merchant)
        .bind(&template.tags)
        .bind(record.rule.every.as_str())
        .bind(record.rule.on.map(i16::from))
        .bind(record.rule.starts_on)
        .bind(record.rule.ends_on)
        .bind(record.paused)
        .bind(record.done_through)
        .bind(record.created_at)
        .bind(record.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn schedules(&self, user_id: Uuid) -> Result<Vec<ScheduleRecord>, RepoError> {
        let sql =
            format!("SELECT {SCHEDULE_COLUMNS} FROM recurring_schedules WHERE user_id = $1 ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(schedule).collect()
    }

    async fn schedule(&self, user_id: Uuid, id: Uuid) -> Result<Option<ScheduleRecord>, RepoError> {
        let sql =
            format!("SELECT {SCHEDULE_COLUMNS} FROM recurring_schedules WHERE user_id = $1 AND id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(schedule).transpose()
    }

    async fn pause_schedule(
        &self,
        user_id: Uuid,
        id: Uuid,
        at: OffsetDateTime,
    ) -> Result<Option<ScheduleRecord>, RepoError> {
        sqlx::query(
            "UPDATE recurring_schedules SET paused = true, updated_at = $3
             WHERE user_id = $1 AND id = $2 AND NOT paused",
        )
        .bind(user_id)
        .bind(id)
        .bind(at)
        .execute(&self.pool)
        .await?;
        self.schedule(user_id, id).await
    }

    async fn resume_schedule(
        &self,
        user_id: Uuid,
        id: Uuid,
        skip_through: Date,
        at: OffsetDateTime,
    ) -> Result<Option<ScheduleRecord>, RepoError> {
        sqlx::query(
            "UPDATE recurring_schedules
             SET paused = false, updated_at = $4, done_through = GREATEST(done_through, $3)
             WHERE user_id = $1 AND id = $2 AND paused",
        )
        .bind(user_id)
        .bind(id)
        .bind(skip_through)
        .bind(at)
        .execute(&self.pool)
        .await?;
        self.schedule(user_id, id).await
    }

    async fn delete_schedule(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError> {
        let deleted = sqlx::query("DELETE FROM recurring_schedules WHERE user_id = $1 AND id = $2")
            .bind(user_id)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(deleted.rows_affected() == 1)
    }

    async fn due_schedules(&self, today: Date, limit: u32) -> Result<Vec<ScheduleRecord>, RepoError> {
        let sql = format!(
            "SELECT {SCHEDULE_COLUMNS} FROM recurring_schedules
             WHERE NOT paused AND done_through < $1 AND (ends_on IS NULL OR done_through < ends_on)
             ORDER BY done_through, id LIMIT $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(today)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(schedule).collect()
    }

    async fn record_occurrences(
        &self,
        schedule: &ScheduleRecord,
        occurrences: &[Occurrence],
        through: Date,
    ) -> Result<u64, RepoError> {
        let template = &schedule.template;
        let created_at = occurrences
            .first()
            .map_or(schedule.updated_at, |o| o.expense.created_at);
        let recorded: i64 = sqlx::query_scalar(RECORD_OCCURRENCES)
            .bind(schedule.id)
            .bind(schedule.user_id)
            .bind(
                occurrences
                    .iter()
                    .map(|o| o.expense.fields.spent_on)
                    .collect::<Vec<_>>(),
            )
            .bind(occurrences.iter().map(|o| o.expense.id).collect::<Vec<_>>())
            .bind(template.money.minor())
            .bind(template.money.currency().code())
            .bind(i16::from(template.money.currency().exponent()))
            .bind(&template.category)
            .bind(&template.note)
            .bind(&template.merchant)
            .bind(search_text(
                template.note.as_deref(),
                template.merchant.as_deref(),
            ))
            .bind(&template.tags)
            .bind(created_at)
            .bind(expense_api::events::EXPENSE_CREATED)
            .bind(occurrences.iter().map(|o| o.event.id).collect::<Vec<_>>())
            .bind(occurrences.iter().map(|o| o.expense.id).collect::<Vec<_>>())
            .bind(
                occurrences
                    .iter()
                    .map(|o| o.event.payload.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(through)
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(recorded).unwrap_or_default())
    }
}
