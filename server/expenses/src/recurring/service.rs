//! The rules of recurring schedules, as methods of [`ExpenseService`] (their expenses are its
//! expenses): create, list, pause, resume, delete, and the materialiser that records every
//! occurrence due by today (by the service's clock).
//!
//! A new schedule records its days from `from` through today at once, and the materialiser
//! catches up whatever days passed while no replica ran. Pausing first records the days before
//! today that were still due (they were running days), then stops; resuming skips every day up to
//! yesterday, so the paused days are never back-filled, and today is a running day again.

use expense_api::recurring::{MAX_SCHEDULES, NewRecurring, Recurring};
use time::Date;
use uuid::Uuid;

use super::schedule::{self, MAX_OCCURRENCES_PER_PASS};
use super::{Occurrence, ScheduleRecord};
use crate::domain::ExpenseFields;
use crate::error::ExpenseError;
use crate::events;
use crate::repository::ExpenseRecord;
use crate::service::ExpenseService;

/// Schedules read per query of the materialiser.
const DUE_BATCH: u32 = 100;
/// Most batches of schedules one run of the materialiser works through.
const MAX_BATCHES_PER_RUN: usize = 1000;

impl ExpenseService {
    /// Creates a schedule, and records its occurrences from its first day through today.
    pub async fn create_recurring(
        &self,
        user_id: Uuid,
        input: NewRecurring,
    ) -> Result<Recurring, ExpenseError> {
        let today = self.clock().today();
        let valid = schedule::validate(&input, today).map_err(ExpenseError::Validation)?;
        if self.store().schedules(user_id).await?.len() >= MAX_SCHEDULES {
            return Err(ExpenseError::TooManySchedules(MAX_SCHEDULES));
        }
        let now = self.clock().now();
        let record = ScheduleRecord {
            id: Uuid::now_v7(),
            user_id,
            template: valid.template,
            paused: false,
            done_through: valid
                .rule
                .starts_on
                .previous_day()
                .unwrap_or(valid.rule.starts_on),
            rule: valid.rule,
            created_at: now,
            updated_at: now,
        };
        self.store().insert_schedule(&record).await?;
        tracing::info!(%user_id, schedule = %record.id, every = record.rule.every.as_str(), "recurring schedule created");
        let record = self.catch_up(record, today).await?;
        Ok(record.to_api())
    }

    /// The caller's schedules, oldest first.
    pub async fn list_recurring(&self, user_id: Uuid) -> Result<Vec<Recurring>, ExpenseError> {
        let schedules = self.store().schedules(user_id).await?;
        Ok(schedules.iter().map(ScheduleRecord::to_api).collect())
    }

    /// One schedule of the caller.
    pub async fn get_recurring(&self, user_id: Uuid, id: Uuid) -> Result<Recurring, ExpenseError> {
        Ok(self.schedule(user_id, id).await?.to_api())
    }

    async fn schedule(&self, user_id: Uuid, id: Uuid) -> Result<ScheduleRecord, ExpenseError> {
        self.store()
            .schedule(user_id, id)
            .await?
            .ok_or(ExpenseError::NotFound("recurring schedule"))
    }

    /// Pauses a schedule after recording what was due before today; pausing a paused schedule
    /// changes nothing.
    pub async fn pause_recurring(&self, user_id: Uuid, id: Uuid) -> Result<Recurring, ExpenseError> {
        let current = self.schedule(user_id, id).await?;
        if !current.paused
            && let Some(yesterday) = self.clock().today().previous_day()
        {
            self.catch_up(current, yesterday).await?;
        }
        let paused = self
            .store()
            .pause_schedule(user_id, id, self.clock().now())
            .await?
            .ok_or(ExpenseError::NotFound("recurring schedule"))?;
        Ok(paused.to_api())
    }

    /// Resumes a paused schedule from today: the days it was paused record nothing. Resuming a
    /// running schedule changes nothing.
    pub async fn resume_recurring(&self, user_id: Uuid, id: Uuid) -> Result<Recurring, ExpenseError> {
        let today = self.clock().today();
        let skip_through = today.previous_day().unwrap_or(today);
        let resumed = self
            .store()
            .resume_schedule(user_id, id, skip_through, self.clock().now())
            .await?
            .ok_or(ExpenseError::NotFound("recurring schedule"))?;
        Ok(self.catch_up(resumed, today).await?.to_api())
    }

    /// Deletes a schedule; the expenses it recorded stay.
    pub async fn delete_recurring(&self, user_id: Uuid, id: Uuid) -> Result<(), ExpenseError> {
        if !self.store().delete_schedule(user_id, id).await? {
            return Err(ExpenseError::NotFound("recurring schedule"));
        }
        Ok(())
    }

    /// Records every occurrence due by today, of every user's running schedules; answers how many
    /// expenses it recorded. Safe to run on several replicas at once: each occurrence is recorded
    /// once. The materialiser task calls it periodically; tests call it directly.
    pub async fn materialise_due(&self) -> Result<u64, ExpenseError> {
        let today = self.clock().today();
        let mut recorded = 0;
        // Each pass moves every schedule it reads forward, so this ends; the bound only keeps one
        // call from running unboundedly long (the next call goes on).
        for _ in 0..MAX_BATCHES_PER_RUN {
            let due = self.store().due_schedules(today, DUE_BATCH).await?;
            if due.is_empty() {
                break;
            }
            for schedule in due {
                recorded += self.record_pass(&schedule, today).await?;
            }
        }
        Ok(recorded)
    }

    /// Records the schedule's occurrences through `through`, in passes of at most
    /// [`MAX_OCCURRENCES_PER_PASS`]; answers the schedule as stored afterwards.
    async fn catch_up(
        &self,
        mut schedule: ScheduleRecord,
        through: Date,
    ) -> Result<ScheduleRecord, ExpenseError> {
        while !schedule.paused && schedule.done_through < through {
            self.record_pass(&schedule, through).await?;
            match self.store().schedule(schedule.user_id, schedule.id).await? {
                Some(now) if now.done_through > schedule.done_through || now.paused => schedule = now,
                Some(now) => return Ok(now),
                None => return Err(ExpenseError::NotFound("recurring schedule")),
            }
        }
        Ok(schedule)
    }

    /// One pass: the next occurrences after the schedule's `done_through` up to `through`.
    async fn record_pass(&self, schedule: &ScheduleRecord, through: Date) -> Result<u64, ExpenseError> {
        let (days, considered) =
            schedule
                .rule
                .occurrences(schedule.done_through, through, MAX_OCCURRENCES_PER_PASS);
        let now = self.clock().now();
        let occurrences: Vec<Occurrence> = days
            .into_iter()
            .map(|day| {
                let expense = ExpenseRecord {
                    id: Uuid::now_v7(),
                    user_id: schedule.user_id,
                    fields: ExpenseFields {
                        spent_on: day,
                        ..schedule.template.clone()
                    },
                    created_at: now,
                    updated_at: now,
                    version: 1,
                    recurring_id: Some(schedule.id),
                };
                let event = events::expense_created(&expense);
                Occurrence { expense, event }
            })
            .collect();
        let recorded = self
            .store()
            .record_occurrences(schedule, &occurrences, considered)
            .await?;
        if recorded > 0 {
            self.wake_outbox();
            tracing::info!(user_id = %schedule.user_id, schedule = %schedule.id, recorded, "recurring expenses recorded");
        }
        Ok(recorded)
    }
}
