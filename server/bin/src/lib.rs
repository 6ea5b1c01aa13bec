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

use anyhow::Context;
use expense_kit::auth::{RemoteAuthenticator, SharedAuthenticator};
use expense_kit::clock::Clock;
use expense_kit::config::EventsMode;
use expense_kit::config::{AuthClientConfig, AwsConfig, DatabaseConfig, EventsConfig, ServerConfig};
use expense_kit::events::aws::{SnsBus, SqsConsumer};
use expense_kit::events::{EventBus, EventHandler, LocalBus, consume_local};
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
    pub aws: AwsConfig,
    pub events: EventsConfig,
    pub notifications: expense_notifications::NotificationsConfig,
    /// Where every service of the process reads the time: the system clock, except in tests,
    /// which steer it (never read from the environment).
    pub clock: Clock,
}

impl Settings {
    /// Settings for tests: every role on the embedded defaults over `data`, on a free port, with
    /// no token-status cache (so a revocation is seen at once).
    pub fn for_tests(data: &std::path::Path) -> Settings {
        Settings {
            server: ServerConfig::for_tests(data),
            database: DatabaseConfig::embedded(),
            auth_client: AuthClientConfig {
                auth_url: None,
                token_status_cache_secs: 0,
            },
            auth: expense_auth::AuthConfig::default(),
            expenses: expense_expenses::ExpensesConfig::default(),
            receipts: expense_receipts::ReceiptsConfig::default(),
            aws: AwsConfig::default(),
            events: EventsConfig::default(),
            notifications: expense_notifications::NotificationsConfig::default(),
            clock: Clock::system(),
        }
    }

    /// These settings with the secrets they name read from Secrets Manager: the database
    /// credentials (`DATABASE_SECRET_ARN`, also re-read by the pool after a rotation) and the
    /// JWT keys (`JWT_SIGNING_KEY_SECRET_ARN`).
    pub async fn with_secrets(&self) -> anyhow::Result<Settings> {
        let mut settings = self.clone();
        if settings.database.database_secret_arn.is_none()
            && settings.auth.jwt_signing_key_secret_arn.is_none()
        {
            return Ok(settings);
        }
        let client = expense_kit::secrets::SecretsClient::new(&settings.aws).await;
        if let Some(arn) = &settings.database.database_secret_arn {
            settings.database.credentials = Some(Arc::new(expense_kit::secrets::DatabaseSecret {
                client: client.clone(),
                arn: arn.clone(),
            }));
        }
        if let Some(arn) = &settings.auth.jwt_signing_key_secret_arn {
            let signing = client.current(arn).await?;
            let mut published = Vec::new();
            for stage in [expense_kit::secrets::PENDING, expense_kit::secrets::PREVIOUS] {
                published.extend(client.read(arn, stage).await?);
            }
            tracing::info!(
                arn,
                published = published.len(),
                "JWT keys read from Secrets Manager"
            );
            settings.auth.secret_keys = Some(expense_auth::config::SecretKeys { signing, published });
        }
        Ok(settings)
    }
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
    /// The notifications service alone.
    Notifications,
}

impl Role {
    fn title(self) -> &'static str {
        match self {
            Role::All => "Expense tracker API",
            Role::Auth => "Expense tracker API: auth",
            Role::Expenses => "Expense tracker API: expenses",
            Role::Receipts => "Expense tracker API: receipts",
            Role::Notifications => "Expense tracker API: notifications",
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
    let events = Events::new(&settings.events, &settings.aws).await?;
    if matches!(role, Role::All | Role::Auth) {
        let (service, pool) = expense_auth::open(
            &settings.auth,
            &settings.database,
            &data_dir,
            settings.clock.clone(),
        )
        .await?;
        parts.push(expense_auth::part(
            service,
            pool,
            settings.server.trusted_proxy_hops,
            events.publisher()?,
        ));
    }
    // Every service but auth verifies tokens through one shared verifier (one JWKS and
    // token-status cache per process), against AUTH_URL or, inside `all`, this process.
    let authenticator: SharedAuthenticator =
        remote_authenticator(&settings.auth_client, &own_url, &settings.clock);
    if matches!(role, Role::All | Role::Expenses) {
        let expenses =
            expense_expenses::Expenses::open(&settings.database, &data_dir, settings.clock.clone()).await?;
        events.consume(
            Arc::new(expense_expenses::Consumer(Arc::clone(&expenses.service))),
            "expenses",
        );
        parts.push(expenses.part(
            &settings.expenses,
            Arc::clone(&authenticator),
            events.publisher()?,
        ));
    }
    if matches!(role, Role::All | Role::Receipts) {
        let receipts = expense_receipts::Receipts::open(
            &settings.receipts,
            &settings.aws,
            &settings.database,
            expense_receipts::Surroundings {
                data_dir: &data_dir,
                own_url: &own_url,
                embedded_by_default: role == Role::All,
                static_credentials: None,
                clock: settings.clock.clone(),
            },
        )
        .await?;
        events.consume(
            Arc::new(expense_receipts::Consumer(Arc::clone(&receipts.service))),
            "receipts",
        );
        parts.push(receipts.part(Arc::clone(&authenticator)));
    }
    if matches!(role, Role::All | Role::Notifications) {
        let notifications = open_notifications(settings, &data_dir, &own_url).await?;
        let consumer = expense_notifications::service::Consumer(Arc::clone(&notifications.service));
        events.consume(Arc::new(consumer), "notifications");
        parts.push(notifications.part(Arc::clone(&authenticator)));
    }
    let application = Application::new(listener, &settings.server, role.title(), parts)?;
    tracing::info!(url = %own_url, role = ?role, data_dir = %data_dir.display(), "listening");
    Ok(application)
}

async fn open_notifications(
    settings: &Settings,
    data_dir: &std::path::Path,
    own_url: &Url,
) -> anyhow::Result<expense_notifications::Notifications> {
    let mailer = expense_notifications::mailer(&settings.notifications, &settings.aws, data_dir).await;
    let auth_url = settings
        .auth_client
        .auth_url
        .clone()
        .unwrap_or_else(|| own_url.clone());
    expense_notifications::Notifications::open(
        &settings.notifications,
        &settings.database,
        data_dir,
        &auth_url,
        mailer,
        settings.clock.clone(),
    )
    .await
}

/// How this process's services exchange events: the in-process bus, or SNS out and this role's
/// SQS queue in.
struct Events {
    config: EventsConfig,
    local: LocalBus,
    sdk: Option<aws_config::SdkConfig>,
}

impl Events {
    async fn new(config: &EventsConfig, aws: &AwsConfig) -> anyhow::Result<Self> {
        let sdk = match config.events {
            EventsMode::Local => None,
            EventsMode::Sns => Some(expense_kit::aws::sdk_config(aws, None).await),
        };
        Ok(Self {
            config: config.clone(),
            local: LocalBus::default(),
            sdk,
        })
    }

    fn publisher(&self) -> anyhow::Result<Arc<dyn EventBus>> {
        match (&self.config.events, &self.sdk) {
            (EventsMode::Sns, Some(sdk)) => {
                let topic = self
                    .config
                    .sns_topic_arn
                    .clone()
                    .context("EVENTS=sns needs SNS_TOPIC_ARN")?;
                Ok(Arc::new(SnsBus::new(sdk, topic)))
            }
            _ => Ok(Arc::new(self.local.clone())),
        }
    }

    /// Feeds `handler` from the in-process bus, or from SQS_QUEUE_URL with EVENTS=sns (where each
    /// role that consumes has its own queue subscribed to the topic).
    fn consume(&self, handler: Arc<dyn EventHandler>, consumer: &'static str) {
        match (&self.config.events, &self.sdk, &self.config.sqs_queue_url) {
            (EventsMode::Sns, Some(sdk), Some(queue)) => {
                let sqs = SqsConsumer::new(sdk, queue.clone(), self.config.sqs_dlq_url.clone());
                tokio::spawn(sqs.run(handler, consumer));
            }
            (EventsMode::Sns, _, None) => {
                tracing::warn!(
                    consumer,
                    "EVENTS=sns without SQS_QUEUE_URL: this role consumes no events"
                );
            }
            _ => {
                tokio::spawn(consume_local(self.local.clone(), handler, consumer));
            }
        }
    }
}

/// Sends last month's summary (or `month`'s, `YYYY-MM`) to every subscriber, then returns: the
/// monthly-summary CronJob. Safe to run twice; see [`expense_notifications::service::SummaryRun`].
pub async fn monthly_summary(
    settings: &Settings,
    month: Option<&str>,
    resend_unconfirmed: bool,
) -> anyhow::Result<expense_notifications::service::SummaryRun> {
    let data_dir = settings.server.data_dir();
    let own_url: Url = "http://127.0.0.1/".parse()?;
    let notifications = open_notifications(settings, &data_dir, &own_url).await?;
    let (year, month) = match month {
        Some(text) => {
            let (year, number) = text.split_once('-').context("--month is YYYY-MM")?;
            let number: u8 = number.parse().context("--month is YYYY-MM")?;
            (
                year.parse().context("--month is YYYY-MM")?,
                time::Month::try_from(number).context("--month is YYYY-MM")?,
            )
        }
        None => notifications.service.month_to_summarise(),
    };
    let run = notifications
        .service
        .send_monthly_summaries(year, month, resend_unconfirmed)
        .await?;
    tracing::info!(
        month = %run.month,
        mailed = run.mailed,
        already_sent = run.already_sent,
        unconfirmed = run.unconfirmed.len(),
        failed = run.failed.len(),
        "monthly summaries done"
    );
    Ok(run)
}

/// The token verifier for services other than auth: the configured auth URL, or this process.
/// One per process, so every service in it shares one JWKS and token-status cache.
pub fn remote_authenticator(config: &AuthClientConfig, own_url: &Url, clock: &Clock) -> SharedAuthenticator {
    let auth_url = config.auth_url.clone().unwrap_or_else(|| own_url.clone());
    Arc::new(RemoteAuthenticator::new(
        &auth_url,
        Duration::from_secs(config.token_status_cache_secs),
        clock.clone(),
    ))
}

/// Every service's name and migrations.
const MIGRATIONS: [(&str, &expense_kit::db::ServiceMigrations); 4] = [
    (expense_auth::SERVICE, &expense_auth::MIGRATIONS),
    (expense_expenses::SERVICE, &expense_expenses::MIGRATIONS),
    (expense_receipts::SERVICE, &expense_receipts::MIGRATIONS),
    (expense_notifications::SERVICE, &expense_notifications::MIGRATIONS),
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
            expense_notifications::http::openapi(),
        ],
    );
    let mut json = serde_json::to_string_pretty(&document).expect("the document serialises");
    json.push('\n');
    json
}
