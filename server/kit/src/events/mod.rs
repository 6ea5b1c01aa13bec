//! Domain events and the bus they travel on.
//!
//! Services never publish directly from a request: they write events into their own outbox table
//! in the same transaction as the change, and a relay publishes them to an [`EventBus`]. So an
//! event is published if and only if its change was committed, at least once. Consumers must be
//! idempotent by [`Event::id`].
//!
//! [`LocalBus`] is the embedded default (one process); production uses SNS → SQS ([`aws`]).
//! Consumers implement [`EventHandler`] and are driven by [`consume_local`] or
//! [`aws::SqsConsumer`].

pub mod aws;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tokio::sync::broadcast;
use uuid::Uuid;

/// One event, as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unique and stable across redeliveries: the key for idempotent consumers.
    pub id: Uuid,
    /// Such as `expense.created`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    /// Whose data changed; consumers must never act on another user's data.
    pub user_id: Uuid,
    /// The type-specific payload (documented under `docs/events/`).
    pub data: serde_json::Value,
}

/// Publishing failed; the relay retries later.
#[derive(Debug, thiserror::Error)]
#[error("cannot publish events: {0}")]
pub struct PublishError(pub String);

/// Where events are published.
#[async_trait]
pub trait EventBus: Send + Sync + 'static {
    async fn publish(&self, events: &[Event]) -> Result<(), PublishError>;
}

/// The in-process bus: a broadcast channel. Subscribers that fall behind by more than its
/// capacity miss events (and log it); the outbox keeps every event for replay.
#[derive(Debug, Clone)]
pub struct LocalBus {
    sender: broadcast::Sender<Event>,
}

impl LocalBus {
    pub fn new(capacity: usize) -> Self {
        Self {
            sender: broadcast::channel(capacity).0,
        }
    }

    /// A new subscription, receiving events published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}

impl Default for LocalBus {
    fn default() -> Self {
        Self::new(4096)
    }
}

#[async_trait]
impl EventBus for LocalBus {
    async fn publish(&self, events: &[Event]) -> Result<(), PublishError> {
        for event in events {
            // No subscriber is not an error: nobody is interested yet.
            let _ = self.sender.send(event.clone());
        }
        Ok(())
    }
}

/// Handling failed for a reason that may pass (a database hiccup): the event is redelivered.
#[derive(Debug, thiserror::Error)]
#[error("cannot handle the event now: {0}")]
pub struct HandleError(pub String);

/// A consumer of events. It must be idempotent by event id: every event may arrive more than
/// once. Events it has no interest in are simply `Ok`.
#[async_trait]
pub trait EventHandler: Send + Sync + 'static {
    async fn handle(&self, event: &Event) -> Result<(), HandleError>;

    /// Handles several events at once, as if one by one in order: a handler that can do a batch
    /// in one transaction overrides this. An error means the batch may be partly done; the
    /// caller then hands the events over one by one.
    async fn handle_batch(&self, events: &[Event]) -> Result<(), HandleError> {
        for event in events {
            self.handle(event).await?;
        }
        Ok(())
    }
}

/// Most events handed to a handler at once.
const MAX_HANDLED_TOGETHER: usize = 256;

/// Feeds every event of the in-process bus to `handler`: together, what has arrived by the
/// time the handler is free ([`EventHandler::handle_batch`]); when a batch fails, one by one,
/// retrying a failed event a few times (with backoff) before logging and moving on. Runs until
/// the bus closes.
pub async fn consume_local(bus: LocalBus, handler: Arc<dyn EventHandler>, consumer: &'static str) {
    let mut events = bus.subscribe();
    let mut batch = Vec::with_capacity(MAX_HANDLED_TOGETHER);
    loop {
        match events.recv().await {
            Ok(event) => batch.push(event),
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(consumer, missed, "fell behind the in-process event bus");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
        // Whatever else has arrived meanwhile goes with it (the outbox publishes in batches).
        while batch.len() < MAX_HANDLED_TOGETHER {
            match events.try_recv() {
                Ok(event) => batch.push(event),
                Err(broadcast::error::TryRecvError::Lagged(missed)) => {
                    tracing::warn!(consumer, missed, "fell behind the in-process event bus");
                }
                Err(_) => break,
            }
        }
        if batch.len() > 1 && handler.handle_batch(&batch).await.is_ok() {
            batch.clear();
            continue;
        }
        for event in batch.drain(..) {
            handle_with_retries(handler.as_ref(), &event, consumer).await;
        }
    }
}

/// Handles one event, retrying a few times with backoff before logging and moving on.
async fn handle_with_retries(handler: &dyn EventHandler, event: &Event, consumer: &'static str) {
    for attempt in 1..=5u32 {
        match handler.handle(event).await {
            Ok(()) => return,
            Err(error) if attempt == 5 => {
                tracing::error!(consumer, event_id = %event.id, kind = %event.kind, %error, "giving up on an event");
            }
            Err(error) => {
                tracing::warn!(consumer, event_id = %event.id, %error, attempt, "retrying an event");
                tokio::time::sleep(Duration::from_millis(100 * 2u64.pow(attempt))).await;
            }
        }
    }
}
