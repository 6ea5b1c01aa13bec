//! The event plumbing of the split topology on a local AWS API (moto), as
//! `infra/terraform/modules/messaging` makes it on AWS: one SNS topic the expenses and auth roles
//! publish to, and per consuming role (notifications, receipts, expenses: the last for
//! `account.deleted`) one SQS queue subscribed with raw message
//! delivery and its dead-letter queue (after 5 receives). Processes cannot share the in-process
//! bus, so this is what carries events between them.

use anyhow::Context;
use aws_sdk_sqs::types::QueueAttributeName;

use crate::infra::aws::{AwsTarget, aws_error};

/// The region of every local resource.
pub const REGION: &str = "us-east-1";

/// The roles that consume events, each from its own queue.
pub const CONSUMERS: [&str; 3] = ["notifications", "receipts", "expenses"];

/// One consuming role's queue and dead-letter queue.
#[derive(Debug, Clone)]
pub struct Queue {
    pub role: &'static str,
    pub url: String,
    pub dead_letter_url: String,
}

/// The topic and the queues.
#[derive(Debug, Clone)]
pub struct EventWiring {
    pub topic_arn: String,
    pub queues: Vec<Queue>,
}

impl EventWiring {
    /// The queue of `role`, if it consumes events.
    pub fn queue(&self, role: &str) -> Option<&Queue> {
        self.queues.iter().find(|queue| queue.role == role)
    }
}

/// Creates the topic, the queues and the subscriptions on the moto at `endpoint`, with names
/// prefixed by `prefix` (`expense-local`).
pub async fn create(endpoint: &str, prefix: &str) -> anyhow::Result<EventWiring> {
    let target = AwsTarget {
        region: REGION.to_owned(),
        endpoint_url: Some(endpoint.to_owned()),
    };
    let sdk = target.sdk_config().await;
    let sns = aws_sdk_sns::Client::new(&sdk);
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let topic_arn = sns
        .create_topic()
        .name(format!("{prefix}-events"))
        .send()
        .await
        .map_err(aws_error)
        .context("SNS CreateTopic")?
        .topic_arn
        .context("CreateTopic answered no ARN")?;
    let mut queues = Vec::new();
    for role in CONSUMERS {
        let queue = create_queue(&sqs, &format!("{prefix}-{role}"), role).await?;
        let queue_arn = queue_arn(&sqs, &queue.url).await?;
        sns.subscribe()
            .topic_arn(&topic_arn)
            .protocol("sqs")
            .endpoint(queue_arn)
            .attributes("RawMessageDelivery", "true")
            .send()
            .await
            .map_err(aws_error)
            .with_context(|| format!("SNS Subscribe of the {role} queue"))?;
        queues.push(queue);
    }
    Ok(EventWiring { topic_arn, queues })
}

/// A queue and its dead-letter queue (after 5 receives), with the visibility timeout of
/// `infra/`.
async fn create_queue(sqs: &aws_sdk_sqs::Client, name: &str, role: &'static str) -> anyhow::Result<Queue> {
    let dead_letter_url = sqs
        .create_queue()
        .queue_name(format!("{name}-dlq"))
        .send()
        .await
        .map_err(aws_error)
        .with_context(|| format!("SQS CreateQueue {name}-dlq"))?
        .queue_url
        .context("CreateQueue answered no URL")?;
    let dead_letter_arn = queue_arn(sqs, &dead_letter_url).await?;
    let redrive = serde_json::json!({ "deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": "5" });
    let url = sqs
        .create_queue()
        .queue_name(name)
        .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string())
        .attributes(QueueAttributeName::VisibilityTimeout, "30")
        .send()
        .await
        .map_err(aws_error)
        .with_context(|| format!("SQS CreateQueue {name}"))?
        .queue_url
        .context("CreateQueue answered no URL")?;
    Ok(Queue {
        role,
        url,
        dead_letter_url,
    })
}

async fn queue_arn(sqs: &aws_sdk_sqs::Client, url: &str) -> anyhow::Result<String> {
    let attributes = sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(aws_error)
        .with_context(|| format!("SQS GetQueueAttributes {url}"))?
        .attributes
        .unwrap_or_default();
    attributes
        .get(&QueueAttributeName::QueueArn)
        .cloned()
        .with_context(|| format!("no ARN for queue {url}"))
}
