//! Entry point: parse the command line, set up logging, run the role.

use std::io::Read;
use std::process::ExitCode;

use clap::Parser;
use expense_server::{Cli, Command, Role, Settings};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = cli.settings();
    let _telemetry = expense_kit::telemetry::init(&settings.server, cli.command.service_name());
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
    let settings = match command {
        Command::Openapi | Command::EventSchemas { .. } => settings,
        _ => settings.with_secrets().await?,
    };
    match command {
        Command::All => serve(settings, Role::All).await,
        Command::Auth => serve(settings, Role::Auth).await,
        Command::Expenses => serve(settings, Role::Expenses).await,
        Command::Receipts => serve(settings, Role::Receipts).await,
        Command::Notifications => serve(settings, Role::Notifications).await,
        Command::MonthlySummary {
            month,
            resend_unconfirmed,
        } => {
            let run =
                expense_server::monthly_summary(&settings, month.as_deref(), resend_unconfirmed).await?;
            println!("{}", serde_json::to_string(&run)?);
            anyhow::ensure!(
                run.failed.is_empty(),
                "{} summaries were refused by the mailer; run again to retry them",
                run.failed.len()
            );
            Ok(())
        }
        Command::Migrate => expense_server::migrate(&settings).await,
        Command::CreateAdmin { email } => create_admin(settings, &email).await,
        Command::EventSchemas { out } => {
            std::fs::create_dir_all(&out)?;
            for (name, schema) in expense_api::events::json_schemas() {
                std::fs::write(
                    out.join(name),
                    format!("{}\n", serde_json::to_string_pretty(&schema)?),
                )?;
            }
            Ok(())
        }
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
    let (service, pool) = expense_auth::open(
        &settings.auth,
        &settings.database,
        &data_dir,
        settings.clock.clone(),
    )
    .await?;
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
