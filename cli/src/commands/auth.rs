//! `expense auth status` and `expense auth token`.

use clap::Subcommand;
use expense_api::auth::User;
use reqwest::Method;
use serde_json::json;

use crate::cli::OutputOnly;
use crate::context::Context;
use crate::error::{CliError, ErrorKind, Result};
use crate::output::{Data, column};
use crate::session::Credentials;

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Which account, which server, where the token comes from, and whether it still works.
    Status(OutputOnly),
    /// Print an access token for the signed-in account (refreshed if needed), for scripts:
    /// `curl -H "Authorization: Bearer $(expense auth token)" …`.
    Token,
}

pub async fn run(context: &mut Context, command: AuthCommand) -> Result<()> {
    match command {
        AuthCommand::Status(args) => status(context, args).await,
        AuthCommand::Token => {
            let token = context.authorized()?.bearer().await?;
            context.print_raw(&format!("{token}\n"))
        }
    }
}

async fn status(context: &mut Context, args: OutputOnly) -> Result<()> {
    let server = context.target.credential_key();
    let Some(credentials) = context.credentials()? else {
        return Err(
            CliError::new(ErrorKind::Auth, format!("not signed in to {server}"))
                .with_hint("run `expense login`, or set EXPENSE_TOKEN"),
        );
    };
    let source = credentials.source(&context.store);
    let stored_email = match &credentials {
        Credentials::Stored { session, .. } => Some(session.email.clone()),
        Credentials::Environment(_) => None,
    };
    let mut authorized = context.authorized()?;
    let checked: Result<User> = authorized.json(Method::GET, "/v1/me", None).await;
    let (email, valid, problem) = match checked {
        Ok(user) => (Some(user.email), true, None),
        Err(error) if error.kind == ErrorKind::Auth => (stored_email, false, Some(error)),
        Err(error) => return Err(error),
    };
    let record = json!({
        "server": server,
        "server_source": context.target.source.describe(),
        "profile": context.profile_name,
        "email": email,
        "token_source": source,
        "token_valid": valid,
    });
    let columns = vec![
        column("server", "Server"),
        column("server_source", "Server from"),
        column("profile", "Profile"),
        column("email", "Account"),
        column("token_source", "Token from"),
        column("token_valid", "Token valid"),
    ];
    context.render(&args.output, &Data::item(columns, record))?;
    match problem {
        Some(error) => Err(error),
        None => Ok(()),
    }
}
