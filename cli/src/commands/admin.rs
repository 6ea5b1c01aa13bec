//! `expense admin users ls|disable|enable` (admins only).

use clap::{Args, Subcommand};
use expense_api::Page;
use expense_api::auth::User;
use reqwest::Method;
use uuid::Uuid;

use crate::commands::account::user_columns;
use crate::context::Context;
use crate::error::Result;
use crate::output::{Data, OutputArgs};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Manage accounts.
    #[command(subcommand)]
    Users(UsersCommand),
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List accounts in creation order.
    #[command(alias = "list")]
    Ls(ListArgs),
    /// Disable an account: its sessions end and its tokens stop working.
    Disable { id: Uuid },
    /// Re-enable a disabled account.
    Enable { id: Uuid },
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Accounts per page.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub limit: u32,
    /// Follow every page.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn run(context: &mut Context, command: AdminCommand) -> Result<()> {
    let AdminCommand::Users(command) = command;
    match command {
        UsersCommand::Ls(args) => {
            let mut users: Vec<User> = Vec::new();
            let mut cursor: Option<String> = None;
            let mut authorized = context.authorized()?;
            loop {
                let mut path = format!("/v1/admin/users?limit={}", args.limit);
                if let Some(cursor) = &cursor {
                    path.push_str(&format!("&cursor={cursor}"));
                }
                let page: Page<User> = authorized.json(Method::GET, &path, None).await?;
                users.extend(page.items);
                cursor = page.next_cursor;
                if !args.all || cursor.is_none() {
                    break;
                }
            }
            context.render(&args.output, &Data::list_of(user_columns(), &users))
        }
        UsersCommand::Disable { id } => {
            let user: User = context
                .authorized()?
                .json(Method::POST, &format!("/v1/admin/users/{id}/disable"), None)
                .await?;
            context.success(&format!("Disabled {}", user.email));
            Ok(())
        }
        UsersCommand::Enable { id } => {
            let user: User = context
                .authorized()?
                .json(Method::POST, &format!("/v1/admin/users/{id}/enable"), None)
                .await?;
            context.success(&format!("Enabled {}", user.email));
            Ok(())
        }
    }
}
