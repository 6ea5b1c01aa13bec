//! Recurring expenses: schedules that record an ordinary expense on each of their days.
//!
//! Reading order: [`schedule`] (which days a schedule falls on; validation), this module's
//! [`RecurringRepository`] (storage, with [`postgres`] and [`sqlite`] side by side), [`service`]
//! (the rules: create, pause, resume, delete, and the materialiser that records what is due),
//! [`http`] (thin handlers under `/v1/recurring`).
//!
//! An occurrence becomes an expense exactly once: the stores key recorded occurrences by
//! (schedule, day), and record an occurrence, its expense and the expense's outbox event in one
//! transaction, so replicas running the materialiser at the same time cannot duplicate one. The
//! expense is built and validated as a create's is and carries the schedule's id
//! (`recurring_id`), so budgets, summaries and alerts see it like any other. The rules are in
//! `docs/recurring.md`.

pub mod http;
pub mod postgres;
pub mod schedule;
pub mod service;
pub mod sqlite;

use async_trait::async_trait;
use expense_api::recurring::Recurring;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{ExpenseFields, format_date};
use crate::repository::{ExpenseRecord, OutboxEvent, RepoError};
use schedule::{Every, Rule};

/// A stored schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    /// The expense each occurrence records (its `spent_on` is the schedule's first day; an
    /// occurrence's is its own day).
    pub template: ExpenseFields,
    pub rule: Rule,
    pub paused: bool,
    /// Every day up to this one has been considered: its occurrence recorded, or skipped while
    /// paused.
    pub done_through: Date,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl ScheduleRecord {
    /// The wire form.
    pub fn to_api(&self) -> Recurring {
        let next_on = if self.paused {
            None
        } else {
            self.rule.next_after(self.done_through)
        };
        Recurring {
            id: self.id,
            amount: self.template.money.amount(),
            currency: self.template.money.currency().code().to_owned(),
            category: self.template.category.clone(),
            note: self.template.note.clone(),
            merchant: self.template.merchant.clone(),
            tags: self.template.tags.clone(),
            every: self.rule.every.as_str().to_owned(),
            on: self.rule.on,
            from: format_date(self.rule.starts_on),
            until: self.rule.ends_on.map(format_date),
            paused: self.paused,
            next_on: next_on.map(format_date),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// One occurrence to record: the expense and its `expense.created` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub expense: ExpenseRecord,
    pub event: OutboxEvent,
}

/// Recurring schedules and their occurrences. Every method but [`due_schedules`] and
/// [`record_occurrences`] (the materialiser's) is scoped to one user.
///
/// [`due_schedules`]: RecurringRepository::due_schedules
/// [`record_occurrences`]: RecurringRepository::record_occurrences
#[async_trait]
pub trait RecurringRepository: Send + Sync {
    async fn insert_schedule(&self, schedule: &ScheduleRecord) -> Result<(), RepoError>;
    /// The user's schedules, oldest first.
    async fn schedules(&self, user_id: Uuid) -> Result<Vec<ScheduleRecord>, RepoError>;
    async fn schedule(&self, user_id: Uuid, id: Uuid) -> Result<Option<ScheduleRecord>, RepoError>;
    /// Pauses a schedule (nothing changes if it is paused already).
    async fn pause_schedule(
        &self,
        user_id: Uuid,
        id: Uuid,
        at: OffsetDateTime,
    ) -> Result<Option<ScheduleRecord>, RepoError>;
    /// Resumes a paused schedule, skipping every day up to `skip_through` (the days it was paused:
    /// a resume never back-fills them); nothing changes if it is running.
    async fn resume_schedule(
        &self,
        user_id: Uuid,
        id: Uuid,
        skip_through: Date,
        at: OffsetDateTime,
    ) -> Result<Option<ScheduleRecord>, RepoError>;
    /// Deletes a schedule and its record of occurrences (their expenses stay); `false` if there was
    /// none.
    async fn delete_schedule(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError>;
    /// Running schedules of any user with days before `today` (inclusive) not yet considered,
    /// at most `limit`.
    async fn due_schedules(&self, today: Date, limit: u32) -> Result<Vec<ScheduleRecord>, RepoError>;
    /// In one transaction: records each occurrence after the schedule's `done_through` not yet
    /// recorded (its expense and event with it), then moves `done_through` forward to `through`.
    /// Does nothing for a paused or deleted schedule. Answers how many expenses were recorded;
    /// occurrences another replica recorded first are skipped, not duplicated.
    async fn record_occurrences(
        &self,
        schedule: &ScheduleRecord,
        occurrences: &[Occurrence],
        through: Date,
    ) -> Result<u64, RepoError>;
}

/// A schedule's rule from its stored columns.
pub(crate) fn stored_rule(
    every: &str,
    on: Option<i64>,
    starts_on: Date,
    ends_on: Option<Date>,
) -> Result<Rule, RepoError> {
    let every = Every::parse(every).map_err(RepoError::Corrupt)?;
    let on = on
        .map(|on| u8::try_from(on).map_err(|e| RepoError::Corrupt(e.to_string())))
        .transpose()?;
    Ok(Rule {
        every,
        on,
        starts_on,
        ends_on,
    })
}
