//! The expenses service's rules. Talks to storage only through [`ExpenseStore`]; every operation
//! is scoped to the calling user, so another user's data is indistinguishable from none.
//!
//! One [`ExpenseService`], its rules split by what they are about, in reading order:
//! [`expenses`] (create, with idempotency keys; read, update and delete with versions),
//! [`list`] (filters and keyset pages), [`categories`] (rename and merge), [`summary`] (totals
//! per group and currency), [`budgets`] (budgets and their current period's spending),
//! [`account_erasure`] (a deleted account's data, on its event). This
//! module holds the service itself and the housekeeping every part shares. The rules of recurring
//! schedules are methods of the same service, in `crate::recurring::service`.

mod account_erasure;
mod budgets;
mod categories;
mod expenses;
mod list;
mod summary;

use std::sync::Arc;

use expense_kit::clock::Clock;
use tokio::sync::Notify;

use crate::error::ExpenseError;
use crate::repository::ExpenseStore;

pub use account_erasure::ERASE_AGAIN_WITHIN;
pub use expense_api::expenses::{ListQuery, SummaryQuery};
pub use expenses::{CreateResponse, MAX_BATCH};
pub use list::DEFAULT_PAGE_SIZE;

/// How long idempotency keys are remembered.
pub const IDEMPOTENCY_RETENTION: time::Duration = time::Duration::hours(24);
/// How long published outbox events are kept (for operators tracing a delivery) before they are
/// deleted; unpublished ones are never deleted.
pub const PUBLISHED_EVENT_RETENTION: time::Duration = time::Duration::days(7);

/// The expenses service.
pub struct ExpenseService {
    store: Arc<dyn ExpenseStore>,
    outbox_wake: Arc<Notify>,
    clock: Clock,
}

impl ExpenseService {
    /// The service over `store`, waking the outbox relay through `outbox_wake` after each change
    /// and reading the time (record stamps, today's budget period) from `clock`.
    pub fn new(store: Arc<dyn ExpenseStore>, outbox_wake: Arc<Notify>, clock: Clock) -> Self {
        Self {
            store,
            outbox_wake,
            clock,
        }
    }

    /// The clock the service reads.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn store(&self) -> &Arc<dyn ExpenseStore> {
        &self.store
    }

    /// Wakes the outbox relay after a change that wrote events.
    pub(crate) fn wake_outbox(&self) {
        self.outbox_wake.notify_one();
    }

    /// Forgets idempotency keys older than [`IDEMPOTENCY_RETENTION`] and outbox events
    /// published longer than [`PUBLISHED_EVENT_RETENTION`] ago; returns how many of each.
    pub async fn forget_old(&self) -> Result<(u64, u64), ExpenseError> {
        let now = self.clock.now();
        let keys = self
            .store
            .forget_stored_responses(now - IDEMPOTENCY_RETENTION)
            .await?;
        let events = self
            .store
            .forget_published(now - PUBLISHED_EVENT_RETENTION)
            .await?;
        Ok((keys, events))
    }
}
