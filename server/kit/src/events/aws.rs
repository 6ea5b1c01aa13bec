//! Events on AWS: the outbox relay publishes to an SNS topic; each consuming service reads its
//! own SQS queue subscribed to the topic (raw delivery, or the SNS envelope: both are read).
//!
//! The consumer long-polls, hands each event to its handler and deletes, in one batch, the
//! messages handled. A message whose handling failed is left to reappear after the visibility
//! timeout (and reaches the dead-letter queue after the queue's maximum receives). A message that
//! cannot be read as an event never will be: it goes to the dead-letter queue at once (when one is
//! configured) and is logged, so it never loops.

use std::sync::Arc;

use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_sns::types::{MessageAttributeValue, PublishBatchRequestEntry};
use aws_sdk_sqs::types::DeleteMessageBatchRequestEntry;

use super::{Event, EventBus, EventHandler, PublishError};

/// Publishes events to an SNS topic.
pub struct SnsBus {
    client: aws_sdk_sns::Client,
    topic_arn: String,
}

impl SnsBus {
    pub fn new(config: &SdkConfig, topic_arn: String) -> Self {
        Self {
            client: aws_sdk_sns::Client::new(config),
            topic_arn,
        }
    }
}

#[async_trait]
impl EventBus for SnsBus {
    async fn publish(&self, events: &[Event]) -> Result<(), PublishError> {
        for chunk in events.chunks(10) {
            let mut entries = Vec::with_capacity(chunk.len());
            for event in chunk {
                let body = serde_json::to_string(event).map_err(|e| PublishError(e.to_string()))?;
                let kind = MessageAttributeValue::builder()
                    .data_type("String")
                    .string_value(&event.kind)
                    .build()
                    .map_err(|e| PublishError(e.to_string()))?;
                entries.push(
                    PublishBatchRequestEntry::builder()
                        .id(event.id.simple().to_string())
                        .message(body)
                        .message_attributes("type", kind)
                        .build()
                        .map_err(|e| PublishError(e.to_string()))?,
                );
            }
            let answer = self
                .client
                .publish_batch()
                .topic_arn(&self.topic_arn)
                .set_publish_batch_request_entries(Some(entries))
                .send()
                .await
                .map_err(|e| PublishError(aws_sdk_sns::error::DisplayErrorContext(&e).to_string()))?;
            if !answer.failed().is_empty() {
                return Err(PublishError(format!(
                    "{} events were refused by SNS",
                    answer.failed().len()
                )));
            }
        }
        Ok(())
    }
}

/// Reads events from an SQS queue.
pub struct SqsConsumer {
    client: aws_sdk_sqs::Client,
    queue_url: String,
    dead_letter_url: Option<String>,
    /// Seconds a long poll waits for messages (at most 20).
    pub wait_seconds: i32,
    /// Seconds a received message stays invisible to other consumers.
    pub visibility_seconds: i32,
}

/// What one receive round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub handled: usize,
    pub failed: usize,
    pub dead_lettered: usize,
}

impl SqsConsumer {
    pub fn new(config: &SdkConfig, queue_url: String, dead_letter_url: Option<String>) -> Self {
        Self {
            client: aws_sdk_sqs::Client::new(config),
            queue_url,
            dead_letter_url,
            wait_seconds: 20,
            visibility_seconds: 30,
        }
    }

    /// Consumes until the process ends.
    pub async fn run(self, handler: Arc<dyn EventHandler>, consumer: &'static str) {
        loop {
            match self.receive_once(handler.as_ref()).await {
                Ok(round) if round.failed > 0 || round.dead_lettered > 0 => {
                    tracing::warn!(consumer, ?round, "some messages were not handled");
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(consumer, %error, "cannot receive from SQS; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
            }
        }
    }

    /// One long poll: receive up to ten messages, handle them, delete the handled ones.
    pub async fn receive_once(&self, handler: &dyn EventHandler) -> Result<Round, String> {
        let received = self
            .client
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(self.wait_seconds)
            .visibility_timeout(self.visibility_seconds)
            .send()
            .await
            .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(&e).to_string())?;
        let mut round = Round::default();
        let mut done = Vec::new();
        // The readable messages go to the handler together first; only if that fails, one by one.
        let readable: Vec<(Event, &str)> = received
            .messages()
            .iter()
            .filter_map(|message| Some((parse(message.body()?)?, message.receipt_handle()?)))
            .collect();
        let together = readable.len() > 1 && {
            let events: Vec<Event> = readable.iter().map(|(event, _)| event.clone()).collect();
            handler.handle_batch(&events).await.is_ok()
        };
        for message in received.messages() {
            let body = message.body().unwrap_or_default();
            let Some(receipt) = message.receipt_handle() else {
                continue;
            };
            let handled = if together {
                parse(body).map(|_| Ok(()))
            } else {
                match parse(body) {
                    // Only what the warning names is kept, not the whole event.
                    Some(event) => Some(
                        handler
                            .handle(&event)
                            .await
                            .map_err(|error| (event.id.to_string(), event.kind.to_string(), error)),
                    ),
                    None => None,
                }
            };
            match handled {
                Some(outcome) => match outcome {
                    Ok(()) => {
                        round.handled += 1;
                        done.push(receipt.to_owned());
                    }
                    Err((event_id, kind, error)) => {
                        round.failed += 1;
                        tracing::warn!(%event_id, %kind, %error, "event left for redelivery");
                    }
                },
                None => {
                    round.dead_lettered += 1;
                    tracing::error!(message_id = message.message_id().unwrap_or("?"), body = %truncate(body), "unreadable message");
                    if let Some(dead_letter_url) = &self.dead_letter_url {
                        self.client
                            .send_message()
                            .queue_url(dead_letter_url)
                            .message_body(body)
                            .send()
                            .await
                            .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(&e).to_string())?;
                        done.push(receipt.to_owned());
                    }
                }
            }
        }
        if !done.is_empty() {
            let entries: Vec<_> = done
                .iter()
                .enumerate()
                .filter_map(|(index, receipt)| {
                    DeleteMessageBatchRequestEntry::builder()
                        .id(index.to_string())
                        .receipt_handle(receipt)
                        .build()
                        .ok()
                })
                .collect();
            self.client
                .delete_message_batch()
                .queue_url(&self.queue_url)
                .set_entries(Some(entries))
                .send()
                .await
                .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(&e).to_string())?;
        }
        Ok(round)
    }
}

/// An event from a raw SNS delivery or from the SNS envelope (`{"Type":"Notification","Message":…}`).
fn parse(body: &str) -> Option<Event> {
    if let Ok(event) = serde_json::from_str::<Event>(body) {
        return Some(event);
    }
    let envelope: serde_json::Value = serde_json::from_str(body).ok()?;
    serde_json::from_str(envelope.get("Message")?.as_str()?).ok()
}

fn truncate(body: &str) -> String {
    body.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn raw_and_enveloped_events_are_read_and_garbage_is_not() {
        let raw = r#"{"id":"01a2194d-3eb0-7218-ac95-b8fd0da76dad","type":"expense.created","occurred_at":"2026-11-26T19:20:22Z","user_id":"01a2193c-c352-7641-8580-74bf2f70f76f","data":{}}"#;
        assert_eq!(parse(raw).unwrap().kind, "expense.created");
        let enveloped = serde_json::json!({ "Type": "Notification", "Message": raw }).to_string();
        assert_eq!(parse(&enveloped).unwrap().kind, "expense.created");
        assert!(parse("not json").is_none());
        assert!(parse(r#"{"Type":"Notification","Message":"{}"}"#).is_none());
    }
}
