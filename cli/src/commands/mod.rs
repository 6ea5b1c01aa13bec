//! One module per command. Each has its arguments and a thin `run` that uses the context.

pub mod account;
pub mod admin;
pub mod api;
pub mod auth;
pub mod budget;
pub mod categories;
pub mod completions;
pub mod config;
pub mod expenses;
pub mod export;
pub mod import;
pub mod notifications;
pub mod rates;
pub mod receipt;
pub mod recurring;
pub mod rules;
pub mod summary;
pub mod token;
pub mod webhooks;
pub mod whoami;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::error::Result;
use crate::terminal::Terminal;

/// Whether a command's output goes through the pager on a terminal: those that print and are
/// done. Not those that ask, draw progress bars or wait (the pager would own the terminal).
fn pages(command: &Command) -> bool {
    use self::{
        budget::BudgetCommand as B, notifications::NotificationsCommand as N, token::TokenCommand as T,
    };
    match command {
        Command::Ls(_)
        | Command::Show(_)
        | Command::Summary(_)
        | Command::Categories { command: None, .. }
        | Command::Export(_)
        | Command::Whoami(_)
        | Command::Admin(_)
        | Command::Api(_)
        | Command::Help(_) => true,
        Command::Budget(command) => matches!(command, B::Ls(_)),
        Command::Recurring(command) => matches!(command, recurring::RecurringCommand::Ls(_)),
        Command::Rates(command) => matches!(command, rates::RatesCommand::Ls(_)),
        Command::Rules(command) => matches!(command, rules::RulesCommand::Ls(_)),
        Command::Notifications(command) => matches!(command, N::Ls(_)),
        Command::Token(command) => matches!(command, T::Ls(_)),
        Command::Webhooks(command) => matches!(
            command,
            webhooks::WebhooksCommand::Ls(_) | webhooks::WebhooksCommand::Deliveries { .. }
        ),
        Command::Receipt(command) => matches!(command, receipt::ReceiptCommand::Ls { .. }),
        _ => false,
    }
}

/// Runs the parsed command line; a pager started for it is waited for before the outcome is
/// reported.
pub async fn run(cli: Cli) -> Result<()> {
    let terminal = Terminal::detect_with(cli.global.color);
    let (out, pager) = if pages(&cli.command) {
        crate::pager::output(&terminal, cli.global.no_pager)
    } else {
        (Box::new(std::io::stdout()) as Box<dyn std::io::Write>, None)
    };
    let outcome = run_with(cli, terminal, out).await;
    if let Some(pager) = pager {
        pager.wait();
    }
    outcome
}

async fn run_with(cli: Cli, terminal: Terminal, mut out: Box<dyn std::io::Write>) -> Result<()> {
    match &cli.command {
        Command::Completions(args) => return completions::run(args),
        Command::Help(args) => {
            let outcome = crate::help::run(args, &mut out);
            out.flush()?;
            return outcome;
        }
        Command::ManPages { dir } => return Ok(crate::help::write_man_pages(dir)?),
        _ => {}
    }
    let mut context = Context::new(&cli.global, terminal, out)?;
    let outcome = dispatch(&mut context, cli).await;
    // Whatever is buffered reaches the pager (or the terminal) before the pager is waited for.
    let flushed = context.out.flush();
    drop(context);
    outcome.and(flushed.map_err(Into::into))
}

async fn dispatch(context: &mut Context, cli: Cli) -> Result<()> {
    match cli.command {
        Command::Api(args) => api::run(context, args).await,
        Command::Register(args) => account::register(context, args).await,
        Command::Login(args) => account::login(context, args).await,
        Command::Logout => account::logout(context).await,
        Command::Account(command) => account::run(context, command).await,
        Command::Whoami(args) => whoami::run(context, &args.output).await,
        Command::Auth(command) => auth::run(context, command).await,
        Command::Token(command) => token::run(context, command).await,
        Command::Admin(command) => admin::run(context, command).await,
        Command::Config(command) => config::run(context, command).await,
        Command::Add(args) => expenses::add(context, args).await,
        Command::Ls(args) => expenses::list(context, args).await,
        Command::Show(args) => expenses::show(context, args).await,
        Command::Edit(args) => expenses::edit(context, args).await,
        Command::Rm(args) => expenses::remove(context, args).await,
        Command::Summary(args) => summary::run(context, args).await,
        Command::Budget(command) => budget::run(context, command).await,
        Command::Recurring(command) => recurring::run(context, command).await,
        Command::Rates(command) => rates::run(context, command).await,
        Command::Rules(command) => rules::run(context, command).await,
        Command::Categories { command, output } => categories::run(context, command, output).await,
        Command::Import(args) => import::run(context, args).await,
        Command::Export(args) => export::run(context, args).await,
        Command::Receipt(command) => receipt::run(context, command).await,
        Command::Notifications(command) => notifications::run(context, command).await,
        Command::Webhooks(command) => webhooks::run(context, command).await,
        Command::Completions(_) | Command::Help(_) | Command::ManPages { .. } => {
            unreachable!("handled above")
        }
    }
}
