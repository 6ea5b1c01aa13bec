//! `expense webhooks add|ls|rm|test|deliveries`: signed HTTPS callbacks for scripts, fired with
//! every notification. `test` waits for the test delivery's first attempt and says how it went.

use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use expense_api::notifications::{
    CreatedWebhook, Delivery, DeliveryList, DeliveryStatus, NewWebhook, QueuedDelivery, WebhookList,
};
use reqwest::Method;
use uuid::Uuid;

use crate::cli::OutputOnly;
use crate::client::request_body;
use crate::context::Context;
use crate::error::{CliError, ErrorKind, Result};
use crate::output::{Column, Data, OutputArgs, column, number};

#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// Register an https:// URL; its signing secret is printed once.
    Add(AddArgs),
    /// Your webhooks (never their secrets).
    #[command(alias = "list")]
    Ls(OutputOnly),
    /// Remove a webhook and its delivery log.
    Rm {
        /// The webhook's id, from `expense webhooks ls`.
        id: Uuid,
    },
    /// Send a test delivery and wait for its first attempt.
    Test {
        id: Uuid,
        /// Return once queued, without waiting.
        #[arg(long)]
        no_wait: bool,
    },
    /// A webhook's recent deliveries, newest first.
    Deliveries {
        id: Uuid,
        #[command(flatten)]
        output: OutputOnly,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Where deliveries are POSTed, such as https://example.com/hooks/expense.
    pub url: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn columns() -> Vec<Column> {
    vec![
        column("id", "ID"),
        column("url", "URL"),
        column("created_at", "Created"),
    ]
}

fn delivery_columns() -> Vec<Column> {
    vec![
        column("id", "ID"),
        column("created_at", "When"),
        column("event", "Event"),
        column("status", "Status"),
        number("attempts", "Tries"),
        number("last_status", "HTTP"),
        column("last_error", "Error"),
    ]
}

pub async fn run(context: &mut Context, command: WebhooksCommand) -> Result<()> {
    match command {
        WebhooksCommand::Add(args) => {
            let body = request_body(&NewWebhook { url: args.url });
            let created: CreatedWebhook = context
                .authorized()?
                .json(Method::POST, "/v1/webhooks", Some(&body))
                .await?;
            let mut shown = columns();
            shown.insert(2, column("secret", "Secret"));
            context.render(&args.output, &Data::item_of(shown, &created))?;
            context.warn("copy the secret now: it cannot be shown again (it verifies X-Expense-Signature)");
            Ok(())
        }
        WebhooksCommand::Ls(args) => {
            let list: WebhookList = context
                .authorized()?
                .json(Method::GET, "/v1/webhooks", None)
                .await?;
            context.render(&args.output, &Data::list_of(columns(), &list.items))
        }
        WebhooksCommand::Rm { id } => {
            context
                .authorized()?
                .execute(Method::DELETE, &format!("/v1/webhooks/{id}"), None)
                .await?;
            context.success(&format!("Removed webhook {id}"));
            Ok(())
        }
        WebhooksCommand::Test { id, no_wait } => {
            let queued: QueuedDelivery = context
                .authorized()?
                .json(Method::POST, &format!("/v1/webhooks/{id}/test"), None)
                .await?;
            if no_wait {
                context.success(&format!("Queued test delivery {}", queued.id));
                return Ok(());
            }
            let delivery = first_attempt(context, id, queued.id).await?;
            match delivery.status {
                DeliveryStatus::Delivered => {
                    let status = delivery
                        .last_status
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default();
                    context.success(&format!("Delivered{status}"));
                    Ok(())
                }
                status => Err(CliError::new(
                    ErrorKind::Other,
                    format!(
                        "test delivery not accepted: {}",
                        delivery.last_error.unwrap_or_else(|| "no answer".to_owned())
                    ),
                )
                .with_hint(match status {
                    DeliveryStatus::Pending => format!(
                        "it is retried with backoff; follow it with `expense webhooks deliveries {id}`"
                    ),
                    _ => "check that the URL accepts a JSON POST and answers 2xx".to_owned(),
                })),
            }
        }
        WebhooksCommand::Deliveries { id, output } => {
            let list: DeliveryList = context
                .authorized()?
                .json(Method::GET, &format!("/v1/webhooks/{id}/deliveries"), None)
                .await?;
            context.render(&output.output, &Data::list_of(delivery_columns(), &list.items))
        }
    }
}

/// Polls the log until the delivery was attempted once (at most 20 s: a receiver gets 10).
async fn first_attempt(context: &Context, webhook: Uuid, delivery: Uuid) -> Result<Delivery> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let list: DeliveryList = context
            .authorized()?
            .json(Method::GET, &format!("/v1/webhooks/{webhook}/deliveries"), None)
            .await?;
        if let Some(found) = list
            .items
            .into_iter()
            .find(|d| d.id == delivery && d.attempts > 0)
        {
            return Ok(found);
        }
        if Instant::now() > deadline {
            return Err(CliError::other("the test delivery was not attempted within 20 s")
                .with_hint(format!("follow it with `expense webhooks deliveries {webhook}`")));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
