//! The auth service's outbox relay: publishes the events committed with account changes (today
//! only `account.deleted`), at least once.
//!
//! The event is written in the transaction that deletes the account, so a process that dies right
//! after the commit loses nothing: the next relay (of this replica after a restart, or another's)
//! publishes it. The relay claims rows for a lease, publishes them and then deletes them; a crash
//! between publishing and deleting publishes again after the lease, which consumers tolerate
//! (they erase idempotently). Deletions are rare, so unlike the expenses relay this one does not
//! gather changes into batches: a deletion wakes it at once, and it polls for what a crashed
//! replica left.

use std::sync::Arc;
use std::time::Duration;

use expense_kit::clock::Clock;
use expense_kit::events::{Event, EventBus};
use tokio::sync::Notify;

use crate::repository::{AuthStore, OutboxRecord, RepoError};

/// Events claimed per round.
const BATCH: u32 = 100;
/// How long a claim keeps other relays away.
const LEASE: time::Duration = time::Duration::seconds(30);

/// Publishes the auth outbox.
pub struct Relay {
    pub store: Arc<dyn AuthStore>,
    pub bus: Arc<dyn EventBus>,
    /// Notified after each change that wrote an event.
    pub wake: Arc<Notify>,
    pub poll_interval: Duration,
    /// Claims are leased until a time by this clock.
    pub clock: Clock,
}

/// Why a pass stopped.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error(transparent)]
    Store(#[from] RepoError),
    #[error(transparent)]
    Publish(#[from] expense_kit::events::PublishError),
}

impl Relay {
    /// Runs until the process ends.
    pub async fn run(self) {
        loop {
            match self.drain().await {
                Ok(0) => {}
                Ok(published) => tracing::info!(published, "auth events published"),
                Err(error) => tracing::warn!(%error, "auth outbox relay failed; retrying"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.poll_interval) => {}
            }
        }
    }

    /// Publishes everything pending; answers how many events went out.
    pub async fn drain(&self) -> Result<usize, RelayError> {
        let mut total = 0;
        loop {
            let now = self.clock.now();
            let claimed = self.store.claim_events(BATCH, now, now + LEASE).await?;
            if claimed.is_empty() {
                return Ok(total);
            }
            let ids: Vec<_> = claimed.iter().map(|event| event.id).collect();
            let events: Vec<Event> = claimed.into_iter().map(to_event).collect();
            self.bus.publish(&events).await?;
            self.store.forget_events(&ids).await?;
            total += ids.len();
        }
    }
}

/// The bus's form of an outbox row.
fn to_event(row: OutboxRecord) -> Event {
    let data = serde_json::from_str(&row.payload).unwrap_or_else(|error| {
        tracing::error!(event_id = %row.id, %error, "an outbox payload is not JSON; published as text");
        serde_json::Value::String(row.payload.clone())
    });
    Event {
        id: row.id,
        kind: row.event_type,
        occurred_at: row.created_at,
        user_id: row.user_id,
        data,
    }
}
