//! Entry point: parse, run, map the outcome to an exit status. A closed pipe (`expense ls |
//! head`) is success, not an error: it is recognised by its I/O error kind (see `error`).

use std::io::Write;
use std::process::ExitCode;

use clap::FromArgMatches;
use expense_cli::terminal::{ColorChoice, Terminal};
use expense_cli::{Cli, CliError, ErrorKind};

fn main() -> ExitCode {
    // Before any thread exists: reading the local UTC offset is only sound then.
    expense_cli::dates::init();
    let cli = parse();
    let color = cli.global.color;
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return report(&CliError::other(format!("cannot start: {error}")), color),
    };
    match runtime.block_on(expense_cli::commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind == ErrorKind::ClosedPipe => ExitCode::SUCCESS,
        Err(error) => report(&error, color),
    }
}

/// The command line, parsed against the command tree with its examples (`help`).
fn parse() -> Cli {
    let matches = expense_cli::help::command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

fn report(error: &CliError, color: ColorChoice) -> ExitCode {
    let terminal = Terminal::detect_with(color);
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{} {}", terminal.red("error:"), error.message);
    if let Some(hint) = &error.hint {
        let _ = writeln!(stderr, "{} {hint}", terminal.yellow("hint:"));
    }
    ExitCode::from(error.exit_code())
}
