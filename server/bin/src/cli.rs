//! Command-line interface of `expense-server`: the roles, and every setting as a flag with its
//! environment variable and default (`expense-server --help`).

use clap::{Parser, Subcommand};
use expense_kit::config::{AuthClientConfig, AwsConfig, DatabaseConfig, EventsConfig, ServerConfig};

use crate::Settings;

/// The expense tracker's server: run one role of the platform.
///
/// Every setting can be given as an environment variable (shown with each flag) or a flag
/// before the role. With no settings at all, `expense-server all` runs the whole platform on
/// embedded defaults under the data directory.
#[derive(Debug, Parser)]
#[command(
    name = "expense-server",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub server: ServerConfig,
    #[command(flatten)]
    pub database: DatabaseConfig,
    #[command(flatten)]
    pub auth_client: AuthClientConfig,
    #[command(flatten)]
    pub auth: expense_auth::AuthConfig,
    #[command(flatten)]
    pub expenses: expense_expenses::ExpensesConfig,
    #[command(flatten)]
    pub receipts: expense_receipts::ReceiptsConfig,
    #[command(flatten)]
    pub aws: AwsConfig,
    #[command(flatten)]
    pub events: EventsConfig,
    #[command(flatten)]
    pub notifications: expense_notifications::NotificationsConfig,
    #[command(subcommand)]
    pub command: Command,
}

/// Roles and one-shot jobs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every service in one process on one port (the local default).
    All,
    /// The auth service: accounts, sessions, tokens, JWKS.
    Auth,
    /// The expenses service: expenses, categories, summaries, budgets.
    Expenses,
    /// The receipts service: presigned uploads and downloads of receipts.
    Receipts,
    /// The notifications service: budget alerts, in-app list, e-mail, webhooks.
    Notifications,
    /// Send last month's summary to every subscriber, then exit (a CronJob; safe to repeat).
    MonthlySummary {
        /// Another month than the last one, `YYYY-MM`.
        #[arg(long)]
        month: Option<String>,
        /// Also send the summaries an interrupted run may or may not have sent (SES cannot say).
        #[arg(long)]
        resend_unconfirmed: bool,
    },
    /// Write the JSON Schema of every event type into a directory (`docs/events/`), then exit.
    EventSchemas {
        /// Where the `<type>.schema.json` files go.
        #[arg(long, default_value = "docs/events")]
        out: std::path::PathBuf,
    },
    /// Apply every service's database migrations, then exit.
    Migrate,
    /// Create an admin account, or promote an existing one. Reads the password from stdin.
    CreateAdmin {
        /// E-mail address of the admin.
        #[arg(long)]
        email: String,
    },
    /// Print the merged OpenAPI document.
    Openapi,
}

impl Cli {
    /// The settings these arguments give, on the system clock.
    pub fn settings(&self) -> Settings {
        Settings {
            server: self.server.clone(),
            database: self.database.clone(),
            auth_client: self.auth_client.clone(),
            auth: self.auth.clone(),
            expenses: self.expenses.clone(),
            receipts: self.receipts.clone(),
            aws: self.aws.clone(),
            events: self.events.clone(),
            notifications: self.notifications.clone(),
            clock: expense_kit::clock::Clock::system(),
        }
    }
}

impl Command {
    /// The `service.name` of this process's traces.
    pub fn service_name(&self) -> &'static str {
        match self {
            Command::All => "expense-all",
            Command::Auth => "expense-auth",
            Command::Expenses => "expense-expenses",
            Command::Receipts => "expense-receipts",
            Command::Notifications => "expense-notifications",
            Command::MonthlySummary { .. } => "expense-monthly-summary",
            Command::Migrate => "expense-migrate",
            Command::CreateAdmin { .. } => "expense-create-admin",
            Command::EventSchemas { .. } | Command::Openapi => "expense-server",
        }
    }
}
