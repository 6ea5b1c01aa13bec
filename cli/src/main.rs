//! Entry point: parse, run, map the outcome to an exit status. A closed pipe (`expense ls |
//! head`) is success, not an error.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use expense_cli::terminal::Terminal;
use expense_cli::{Cli, CliError};

fn main() -> ExitCode {
    // Before any thread exists: reading the local UTC offset is only sound then.
    expense_cli::dates::init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return report(&CliError::other(format!("cannot start: {error}"))),
    };
    match runtime.block_on(expense_cli::commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.message.contains("Broken pipe") => ExitCode::SUCCESS,
        Err(error) => report(&error),
    }
}

fn report(error: &CliError) -> ExitCode {
    let terminal = Terminal::detect();
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{} {}", terminal.red("error:"), error.message);
    if let Some(hint) = &error.hint {
        let _ = writeln!(stderr, "{} {hint}", terminal.yellow("hint:"));
    }
    ExitCode::from(error.exit_code())
}
