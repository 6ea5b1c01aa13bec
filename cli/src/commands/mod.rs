//! One module per command. Each has its arguments and a thin `run` that uses the context.

pub mod account;
pub mod admin;
pub mod auth;
pub mod completions;
pub mod token;
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
        Command::Completions(_) => unreachable!("handled above"),
    }
}
