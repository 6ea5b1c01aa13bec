//! `expense token create|ls|revoke`: personal access tokens for scripts and CI.

use clap::{Args, Subcommand};
use expense_api::auth::{CreateTokenRequest, CreatedToken, PersonalAccessToken};
use reqwest::Method;
use serde::Deserialize;
use uuid::Uuid;

use crate::cli::OutputOnly;
use crate::client::request_body;
use crate::context::Context;
use crate::error::Result;
use crate::output::{Column, Data, OutputArgs, column};

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; its secret is printed once. Needs a signed-in session (not a token).
    Create(CreateArgs),
    /// List your tokens (never their secrets).
    #[command(alias = "list")]
    Ls(OutputOnly),
    /// Revoke a token; it stops working everywhere within a minute.
    Revoke {
        /// The token's id, from `expense token ls`.
        id: Uuid,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// A name to recognise the token by, such as "ci".
    pub name: String,
    /// Lifetime in days (1 to 366).
    #[arg(long, default_value_t = 90)]
    pub expires_in_days: u32,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Deserialize)]
struct TokenList {
    items: Vec<PersonalAccessToken>,
}

fn columns() -> Vec<Column> {
    vec![
        column("id", "ID"),
        column("name", "Name"),
        column("created_at", "Created"),
        column("expires_at", "Expires"),
        column("last_used_at", "Last used"),
        column("revoked_at", "Revoked"),
    ]
}

pub async fn run(context: &mut Context, command: TokenCommand) -> Result<()> {
    match command {
        TokenCommand::Create(args) => {
            let body = request_body(&CreateTokenRequest {
                name: args.name,
                expires_in_days: Some(args.expires_in_days),
            });
            let created: CreatedToken = context
                .authorized()?
                .json(Method::POST, "/v1/auth/tokens", Some(&body))
                .await?;
            let mut shown = columns();
            shown.insert(2, column("secret", "Secret"));
            context.render(&args.output, &Data::item_of(shown, &created))?;
            context.warn("copy the secret now: it cannot be shown again");
            Ok(())
        }
        TokenCommand::Ls(args) => {
            let list: TokenList = context
                .authorized()?
                .json(Method::GET, "/v1/auth/tokens", None)
                .await?;
            context.render(&args.output, &Data::list_of(columns(), &list.items))
        }
        TokenCommand::Revoke { id } => {
            context
                .authorized()?
                .execute(Method::DELETE, &format!("/v1/auth/tokens/{id}"), None)
                .await?;
            context.success(&format!("Revoked token {id}"));
            Ok(())
        }
    }
}
