//! Entry point: parse the command line, set up logging, run the role.

use std::io::Read;
use std::process::ExitCode;

use clap::Parser;
use expense_server::{Cli, Command, Role, Settings};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = cli.settings();
    expense_kit::telemetry::init(&settings.server.log, settings.server.log_format);
    match run(cli.command, settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %format!("{error:#}"), "exiting on error");
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::All => serve(settings, Role::All).await,
        Command::Auth => serve(settings, Role::Auth).await,
        Command::Expenses => serve(settings, Role::Expenses).await,
        Command::Receipts => serve(settings, Role::Receipts).await,
        Command::Migrate => expense_server::migrate(&settings).await,
        Command::CreateAdmin { email } => create_admin(settings, &email).await,
        Command::Openapi => {
            print!("{}", expense_server::openapi_json());
            Ok(())
        }
    }
}

async fn serve(settings: Settings, role: Role) -> anyhow::Result<()> {
    let application = expense_server::build(&settings, role).await?;
    application
        .run_until_stopped(expense_kit::shutdown::signal())
        .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn create_admin(settings: Settings, email: &str) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let data_dir = settings.server.data_dir();
    let (service, pool) = expense_auth::open(&settings.auth, &settings.database, &data_dir).await?;
    let user = service
        .create_admin(email, password)
        .await
        .map_err(|error| match error {
            expense_auth::error::AuthError::Validation(errors) => anyhow::anyhow!(
                "{}",
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            other => anyhow::Error::new(other),
        })?;
    println!("{}", serde_json::to_string(&user)?);
    pool.close().await;
    Ok(())
}
