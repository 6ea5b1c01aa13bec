//! The outbox relay: publishes committed events to the event bus, at least once, in order of
//! their ids per claim.
//!
//! A change wakes it; it then waits a moment ([`Relay::gather`]) so that the changes of that
//! moment go out together, claims them for a lease, publishes them, and marks them published in
//! the same statement that claims the next batch. After a batch that was not full it gathers
//! again before that statement, rather than claiming the one or two changes that arrived while
//! it published: so a steady stream of single creates costs the database one statement per
//! gathering, not one per create. It also wakes
//! every poll interval, for events that other replicas or a crashed relay left. When marking
//! fails (the database restarted), the relay keeps the ids and marks them on its next pass; a
//! crash between publishing and marking republishes after the lease: consumers deduplicate by
//! event id.

use std::sync::Arc;
use std::time::Duration;

use expense_kit::clock::Clock;
use expense_kit::events::{Event, EventBus};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::repository::{ExpenseStore, OutboxEvent};

/// Events claimed per round.
const BATCH: u32 = 500;
/// How long a claim keeps other relays away.
const LEASE: time::Duration = time::Duration::seconds(30);

/// Publishes the outbox.
pub struct Relay {
    pub store: Arc<dyn ExpenseStore>,
    pub bus: Arc<dyn EventBus>,
    pub wake: Arc<Notify>,
    pub poll_interval: Duration,
    /// How long a wake-up waits for more changes before publishing.
    pub gather: Duration,
    /// Claims are leased until a time by this clock.
    pub clock: Clock,
}

impl Relay {
    /// Runs until the process ends.
    pub async fn run(self) {
        let mut unsettled = Vec::new();
        loop {
            match self.drain(&mut unsettled).await {
                Ok(0) => {}
                Ok(published) => tracing::debug!(published, "outbox events published"),
                Err(error) => tracing::warn!(%error, "outbox relay failed; retrying"),
            }
            // Published events wait to be marked with the next claim: a gathering away, not a poll.
            let idle = if unsettled.is_empty() {
                self.poll_interval
            } else {
                self.gather
            };
            tokio::select! {
                () = self.wake.notified() => tokio::time::sleep(self.gather).await,
                () = tokio::time::sleep(idle) => {}
            }
        }
    }

    /// Publishes what is pending, batch after full batch, and stops after a batch that was not
    /// full; returns how many events went out. `unsettled` holds the events published but not yet
    /// marked, across passes: the next pass marks them (also when this one failed).
    pub async fn drain(&self, unsettled: &mut Vec<Uuid>) -> anyhow::Result<usize> {
        let mut total = 0;
        loop {
            let claimed = self
                .store
                .settle_and_claim(unsettled, BATCH, self.clock.now(), LEASE)
                .await?;
            unsettled.clear();
            if claimed.is_empty() {
                return Ok(total);
            }
            let full = claimed.len() >= BATCH as usize;
            let ids: Vec<Uuid> = claimed.iter().map(|row| row.id).collect();
            let events: Vec<Event> = claimed.into_iter().map(to_event).collect();
            if let Err(error) = self.bus.publish(&events).await {
                // Let the next pass (or another replica) take them now, not after the lease.
                if let Err(release) = self.store.release_claims(&ids).await {
                    tracing::warn!(error = %release, "cannot release the outbox claim; it expires by itself");
                }
                return Err(error.into());
            }
            total += ids.len();
            *unsettled = ids;
            if !full {
                return Ok(total);
            }
        }
    }
}

/// The bus's form of an outbox row.
fn to_event(row: OutboxEvent) -> Event {
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
