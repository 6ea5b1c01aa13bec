//! The outbox relay: publishes committed events to the event bus, at least once, in order of
//! their ids per claim.
//!
//! It wakes when the service commits a change (and every poll interval, for events other
//! replicas or a crashed relay left), claims a batch for a lease, publishes it, and marks it
//! published. A crash between publishing and marking republishes: consumers are idempotent.

use std::sync::Arc;
use std::time::Duration;

use expense_kit::clock::Clock;
use expense_kit::events::{Event, EventBus};
use tokio::sync::Notify;

use crate::repository::ExpenseStore;

/// Events claimed per round.
const BATCH: u32 = 100;
/// How long a claim keeps other relays away.
const LEASE: time::Duration = time::Duration::seconds(30);

/// Publishes the outbox.
pub struct Relay {
    pub store: Arc<dyn ExpenseStore>,
    pub bus: Arc<dyn EventBus>,
    pub wake: Arc<Notify>,
    pub poll_interval: Duration,
    /// Claims are leased until a time by this clock.
    pub clock: Clock,
}

impl Relay {
    /// Runs until the process ends.
    pub async fn run(self) {
        loop {
            match self.drain().await {
                Ok(0) => {}
                Ok(published) => tracing::debug!(published, "outbox events published"),
                Err(error) => tracing::warn!(%error, "outbox relay failed; retrying"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.poll_interval) => {}
            }
        }
    }

    /// Publishes until nothing is pending; returns how many events went out.
    pub async fn drain(&self) -> anyhow::Result<usize> {
        let mut published = 0;
        loop {
            let claimed = self.store.claim_events(BATCH, self.clock.now(), LEASE).await?;
            if claimed.is_empty() {
                return Ok(published);
            }
            let events: Vec<Event> = claimed
                .iter()
                .map(|row| Event {
                    id: row.id,
                    kind: row.event_type.clone(),
                    occurred_at: row.created_at,
                    user_id: row.user_id,
                    data: row.payload.clone(),
                })
                .collect();
            self.bus.publish(&events).await?;
            let ids: Vec<_> = claimed.iter().map(|row| row.id).collect();
            self.store.mark_published(&ids, self.clock.now()).await?;
            published += ids.len();
        }
    }
}
