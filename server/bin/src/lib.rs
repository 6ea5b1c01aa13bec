//! `expense-server`: one binary, one role per subcommand (DESIGN.md §3).
//!
//! `all` runs every service in one process on one port with embedded defaults; each service
//! role runs one service, as one Deployment on EKS; `migrate` and `create-admin` are one-shot
//! jobs. Services reach each other over HTTP through their base URLs, also inside `all`, where the
//! URLs default to the process's own address. This crate only wires services together: it holds
//! no business rules.

pub mod cli;

use std::sync::Arc;
use std::time::Duration;

use expense_kit::auth::{RemoteAuthenticator, SharedAuthenticator};
use expense_kit::config::{AuthClientConfig, DatabaseConfig, ServerConfig};
use expense_kit::events::LocalBus;
use expense_kit::{Application, ServicePart};
use url::Url;

pub use cli::{Cli, Command};

/// Every setting of every role.
#[derive(Debug, Clone)]
pub struct Settings {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth_client: AuthClientConfig,
    pub auth: expense_auth::AuthConfig,
    pub expenses: expense_expenses::ExpensesConfig,
    pub receipts: expense_receipts::ReceiptsConfig,
}

/// Which services a process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Every service on one port.
    All,
    /// The auth service alone.
    Auth,
    /// The expenses service alone.
    Expenses,
    /// The receipts service alone.
    Receipts,
}

impl Role {
    fn title(self) -> &'static str {
        match self {
            Role::All => "Expense tracker API",
            Role::Auth => "Expense tracker API: auth",
            Role::Expenses => "Expense tracker API: expenses",
            Role::Receipts => "Expense tracker API: receipts",
        }
    }
}

/// Binds the listener and builds the application for `role`.
pub async fn build(settings: &Settings, role: Role) -> anyhow::Result<Application> {
    let listener = Application::bind(settings.server.bind_addr).await?;
    let address = listener.local_addr()?;
    let data_dir = settings.server.data_dir();
    let own_url: Url = format!("http://{address}").parse()?;
    let mut parts: Vec<ServicePart> = Vec::new();
    if matches!(role, Role::All | Role::Auth) {
        let (service, pool) = expense_auth::open(&settings.auth, &settings.database, &data_dir).await?;
        parts.push(expense_auth::part(
            service,
            pool,
            settings.server.trusted_proxy_hops,
        ));
    }
    // Every service but auth verifies tokens through one shared verifier (one JWKS and
    // token-status cache per process), against AUTH_URL or, inside `all`, this process.
    let authenticator: SharedAuthenticator = remote_authenticator(&settings.auth_client, &own_url);
    let bus = LocalBus::default();
    if matches!(role, Role::All | Role::Expenses) {
        let expenses = expense_expenses::Expenses::open(&settings.database, &data_dir).await?;
        parts.push(expenses.part(
            &settings.expenses,
            Arc::clone(&authenticator),
            Arc::new(bus.clone()),
        ));
    }
    if matches!(role, Role::All | Role::Receipts) {
        let embedded_by_default = role == Role::All;
        let receipts = expense_receipts::Receipts::open(
            &settings.receipts,
            &settings.database,
            &data_dir,
            &own_url,
            embedded_by_default,
            None,
        )
        .await?;
        // Inside `all` the receipts service hears expense deletions on the in-process bus.
        let events = (role == Role::All).then(|| bus.clone());
        parts.push(receipts.part(Arc::clone(&authenticator), events));
    }
    let application = Application::new(listener, &settings.server, role.title(), parts)?;
    tracing::info!(url = %own_url, role = ?role, data_dir = %data_dir.display(), "listening");
    Ok(application)
}

/// The token verifier for services other than auth: the configured auth URL, or this process.
/// One per process, so every service in it shares one JWKS and token-status cache.
pub fn remote_authenticator(config: &AuthClientConfig, own_url: &Url) -> SharedAuthenticator {
    let auth_url = config.auth_url.clone().unwrap_or_else(|| own_url.clone());
    Arc::new(RemoteAuthenticator::new(
        &auth_url,
        Duration::from_secs(config.token_status_cache_secs),
    ))
}

/// Every service's name and migrations.
const MIGRATIONS: [(&str, &expense_kit::db::ServiceMigrations); 3] = [
    (expense_auth::SERVICE, &expense_auth::MIGRATIONS),
    (expense_expenses::SERVICE, &expense_expenses::MIGRATIONS),
    (expense_receipts::SERVICE, &expense_receipts::MIGRATIONS),
];

/// Applies every service's migrations, then returns.
pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let data_dir = settings.server.data_dir();
    for (service, migrations) in MIGRATIONS {
        let pool = expense_kit::db::DbPool::connect(&settings.database, &data_dir, service).await?;
        pool.migrate(migrations).await?;
        tracing::info!(service, backend = pool.backend(), "migrated");
        pool.close().await;
    }
    Ok(())
}

/// The merged OpenAPI document of `all`, as committed in `docs/api/openapi.json`.
pub fn openapi_json() -> String {
    let document = expense_kit::app::api_document(
        Role::All.title(),
        vec![
            expense_auth::http::openapi(),
            expense_expenses::http::openapi(),
            expense_receipts::http::openapi(),
        ],
    );
    let mut json = serde_json::to_string_pretty(&document).expect("the document serialises");
    json.push('\n');
    json
}
