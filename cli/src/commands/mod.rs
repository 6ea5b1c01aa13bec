//! One module per command. Each has its arguments and a thin `run` that uses the context.

pub mod account;
pub mod admin;
pub mod auth;
pub mod budget;
pub mod categories;
pub mod completions;
pub mod config;
pub mod expenses;
pub mod export;
pub mod import;
pub mod notifications;
pub mod receipt;
pub mod summary;
pub mod token;
pub mod webhooks;
pub mod whoami;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::error::Result;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    if let Command::Completions(args) = &cli.command {
        return completions::run(args);
    }
    let mut context = Context::new(&cli.global)?;
    match cli.command {
        Command::Register(args) => account::register(&mut context, args).await,
        Command::Login(args) => account::login(&mut context, args).await,
        Command::Logout => account::logout(&mut context).await,
        Command::Whoami(args) => whoami::run(&mut context, &args.output).await,
        Command::Auth(command) => auth::run(&mut context, command).await,
        Command::Token(command) => token::run(&mut context, command).await,
        Command::Admin(command) => admin::run(&mut context, command).await,
        Command::Config(command) => config::run(&mut context, command).await,
        Command::Add(args) => expenses::add(&mut context, args).await,
        Command::Ls(args) => expenses::list(&mut context, args).await,
        Command::Show(args) => expenses::show(&mut context, args).await,
        Command::Edit(args) => expenses::edit(&mut context, args).await,
        Command::Rm(args) => expenses::remove(&mut context, args).await,
        Command::Summary(args) => summary::run(&mut context, args).await,
        Command::Budget(command) => budget::run(&mut context, command).await,
        Command::Categories { command, output } => categories::run(&mut context, command, output).await,
        Command::Import(args) => import::run(&mut context, args).await,
        Command::Export(args) => export::run(&mut context, args).await,
        Command::Receipt(command) => receipt::run(&mut context, command).await,
        Command::Notifications(command) => notifications::run(&mut context, command).await,
        Command::Webhooks(command) => webhooks::run(&mut context, command).await,
        Command::Completions(_) => unreachable!("handled above"),
    }
}
