//! The notifications service: budget alerts, monthly summaries, the in-app list, e-mail and
//! signed webhooks.
//!
//! It learns about expenses and budgets only from events (the in-process bus in `all`, its SQS
//! queue on AWS) and keeps its own copy of what it needs, so it never reads another service's
//! data. Reading order: [`repository`] (storage, Postgres and SQLite), [`service`] (the rules),
//! [`http`]. Supporting: [`mail`] (SES or `.eml` files), [`webhooks`] (signing and delivery),
//! [`routable`] (which addresses a webhook may reach),
//! [`identity`] (e-mail addresses from the auth service), [`error`].

pub mod error;
pub mod http;
pub mod identity;
pub mod mail;
pub mod render;
pub mod repository;
pub mod routable;
pub mod service;
pub mod webhooks;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use expense_kit::ServicePart;
use expense_kit::auth::SharedAuthenticator;
use expense_kit::clock::Clock;
use expense_kit::config::{AwsConfig, DatabaseConfig};
use expense_kit::db::{DatabaseCheck, DbPool, MigrationFile, ServiceMigrations, SqlDb};
use tokio::sync::Notify;
use url::Url;

pub use service::NotificationService;

use crate::http::NotificationsState;
use crate::identity::AuthDirectory;
use crate::mail::{FileMailer, Mailer, SesMailer};
use crate::repository::NotificationStore;
use crate::repository::store::SqlNotificationStore;
use crate::webhooks::{Deliverer, DeliveryPolicy};

pub const SERVICE: &str = "notifications";

pub static MIGRATIONS: ServiceMigrations = ServiceMigrations {
    postgres: &[
        MigrationFile {
            version: 1,
            description: "notifications",
            sql: include_str!("../migrations/postgres/0001_notifications.sql"),
        },
        MigrationFile {
            version: 2,
            description: "deleted users",
            sql: include_str!("../migrations/postgres/0002_deleted_users.sql"),
        },
        MigrationFile {
            version: 3,
            description: "rate copies",
            sql: include_str!("../migrations/postgres/0003_rate_copies.sql"),
        },
    ],
    sqlite: &[
        MigrationFile {
            version: 1,
            description: "notifications",
            sql: include_str!("../migrations/sqlite/0001_notifications.sql"),
        },
        MigrationFile {
            version: 2,
            description: "deleted users",
            sql: include_str!("../migrations/sqlite/0002_deleted_users.sql"),
        },
        MigrationFile {
            version: 3,
            description: "rate copies",
            sql: include_str!("../migrations/sqlite/0003_rate_copies.sql"),
        },
    ],
};

/// How e-mail leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MailerKind {
    /// `.eml` files in `<data dir>/outbox/`.
    File,
    /// Amazon SES.
    Ses,
}

/// Settings of the notifications service.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Notifications service")]
pub struct NotificationsConfig {
    /// `file` (`.eml` files under `<data dir>/outbox/`) or `ses`.
    #[arg(long, env = "MAILER", value_enum, default_value = "file")]
    pub mailer: MailerKind,

    /// Sender of every e-mail (with SES, a verified identity).
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Expense Tracker <no-reply@expense.localhost>"
    )]
    pub mail_from: String,

    /// Milliseconds before a failed webhook delivery is retried; doubled each time (at most an hour).
    #[arg(long, env = "WEBHOOK_RETRY_BASE_MS", default_value_t = 30_000)]
    pub webhook_retry_base_ms: u64,

    /// Attempts before a webhook delivery is given up.
    #[arg(long, env = "WEBHOOK_MAX_ATTEMPTS", default_value_t = 8)]
    pub webhook_max_attempts: u32,

    /// Allow webhooks to plain-http, loopback and private addresses (local use and tests only).
    #[arg(long, env = "WEBHOOK_ALLOW_PRIVATE_NETWORKS", default_value_t = false, action = clap::ArgAction::Set)]
    pub webhook_allow_private_networks: bool,
}

impl Default for NotificationsConfig {
    fn default() -> Self {
        Self {
            mailer: MailerKind::File,
            mail_from: "Expense Tracker <no-reply@expense.localhost>".to_owned(),
            webhook_retry_base_ms: 30_000,
            webhook_max_attempts: 8,
            webhook_allow_private_networks: false,
        }
    }
}

/// The store for a pool of either backend.
pub fn store(pool: &DbPool) -> Arc<dyn NotificationStore> {
    Arc::new(SqlNotificationStore::new(SqlDb::of(pool)))
}

/// The mailer the configuration asks for.
pub async fn mailer(config: &NotificationsConfig, aws: &AwsConfig, data_dir: &Path) -> Arc<dyn Mailer> {
    match config.mailer {
        MailerKind::File => Arc::new(FileMailer {
            dir: data_dir.join("outbox"),
            from: config.mail_from.clone(),
        }),
        MailerKind::Ses => {
            let sdk = expense_kit::aws::sdk_config(aws, None).await;
            Arc::new(SesMailer {
                client: aws_sdk_sesv2::Client::new(&sdk),
                from: config.mail_from.clone(),
            })
        }
    }
}

/// An opened notifications service.
pub struct Notifications {
    pub service: Arc<NotificationService>,
    pool: DbPool,
    deliverer: Deliverer,
}

impl Notifications {
    /// Opens the database (migrating it if configured) and builds the service with `mailer`,
    /// reading the time from `clock`.
    pub async fn open(
        config: &NotificationsConfig,
        database: &DatabaseConfig,
        data_dir: &Path,
        auth_url: &Url,
        mailer: Arc<dyn Mailer>,
        clock: Clock,
    ) -> anyhow::Result<Self> {
        let pool = DbPool::connect(database, data_dir, SERVICE).await?;
        if database.migrate_on_start {
            pool.migrate(&MIGRATIONS).await?;
        }
        let store = store(&pool);
        let wake = Arc::new(Notify::new());
        let policy = DeliveryPolicy {
            retry_base: Duration::from_millis(config.webhook_retry_base_ms.max(10)),
            max_attempts: config.webhook_max_attempts.max(1),
            allow_private_networks: config.webhook_allow_private_networks,
        };
        let service = Arc::new(NotificationService::new(
            Arc::clone(&store),
            mailer,
            AuthDirectory::new(auth_url),
            Arc::clone(&wake),
            config.webhook_allow_private_networks,
            clock.clone(),
        ));
        let deliverer = Deliverer::new(store, policy, wake, clock);
        tracing::info!(backend = pool.backend(), "notifications service ready");
        Ok(Self {
            service,
            pool,
            deliverer,
        })
    }

    /// Starts webhook delivery and the erasing again of recently deleted accounts, and returns
    /// the service's part of an application. Events are fed by the caller (the in-process bus or
    /// an SQS consumer) to [`service::Consumer`].
    pub fn part(self, authenticator: SharedAuthenticator) -> ServicePart {
        tokio::spawn(self.deliverer.run());
        let sweeper = Arc::clone(&self.service);
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(Duration::from_secs(300));
            loop {
                interval.tick().await;
                if let Err(error) = sweeper.erase_recently_deleted().await {
                    tracing::warn!(%error, "cannot erase recently deleted accounts again");
                }
            }
        });
        ServicePart {
            name: SERVICE,
            router: http::router(NotificationsState {
                service: self.service,
                authenticator,
            }),
            readiness: vec![Arc::new(DatabaseCheck {
                name: "notifications-database",
                pool: self.pool,
            })],
            raw_routes: None,
        }
    }
}
