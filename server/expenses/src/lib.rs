//! The expenses service: expenses, categories, summaries and budgets, with an outbox of events.
//!
//! Reading order: [`domain`] (valid values, validation), [`repository`] (storage traits, Postgres
//! and SQLite side by side), [`service`] (the rules), [`http`] (thin handlers). Supporting:
//! [`budget`] (payday-aligned periods), [`events`] (event payloads), [`outbox`] (the relay),
//! [`recurring`] (recurring schedules and the materialiser that records their expenses),
//! [`rates`] (exchange rates per user, the ECB's file, summaries converted into one currency),
//! [`rules`] (categorisation rules: the category of an expense recorded without one),
//! [`wire`] (records written as the API's `Expense`), [`error`] (errors → problem+json).
//! [`Consumer`] takes the one event this service consumes, `account.deleted`.
//!
//! Tokens are verified with the kit's verifier against the auth service; this crate never
//! sees passwords or token secrets.

pub mod budget;
pub mod domain;
pub mod error;
pub mod events;
pub mod http;
pub mod outbox;
pub mod rates;
pub mod recurring;
pub mod repository;
pub mod rules;
pub mod service;
pub mod wire;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use expense_kit::ServicePart;
use expense_kit::auth::SharedAuthenticator;
use expense_kit::clock::Clock;
use expense_kit::config::DatabaseConfig;
use expense_kit::db::{DatabaseCheck, DbPool, MigrationFile, ServiceMigrations};
use expense_kit::events::{Event, EventBus, EventHandler, HandleError};
use tokio::sync::Notify;

pub use service::ExpenseService;

use crate::http::ExpensesState;
use crate::repository::ExpenseStore;
use crate::repository::postgres::PgExpenseStore;
use crate::repository::sqlite::SqliteExpenseStore;

/// Name of the service: its Postgres schema and its SQLite file.
pub const SERVICE: &str = "expenses";

/// The service's migrations, compiled in.
pub static MIGRATIONS: ServiceMigrations = ServiceMigrations {
    postgres: &[
        MigrationFile {
            version: 1,
            description: "expenses",
            sql: include_str!("../migrations/postgres/0001_expenses.sql"),
        },
        MigrationFile {
            version: 2,
            description: "recurring",
            sql: include_str!("../migrations/postgres/0002_recurring.sql"),
        },
        MigrationFile {
            version: 3,
            description: "rates",
            sql: include_str!("../migrations/postgres/0003_rates.sql"),
        },
        MigrationFile {
            version: 4,
            description: "rules",
            sql: include_str!("../migrations/postgres/0004_rules.sql"),
        },
        MigrationFile {
            version: 5,
            description: "deleted users",
            sql: include_str!("../migrations/postgres/0005_deleted_users.sql"),
        },
        MigrationFile {
            version: 6,
            description: "budget conversion",
            sql: include_str!("../migrations/postgres/0006_budget_conversion.sql"),
        },
    ],
    sqlite: &[
        MigrationFile {
            version: 1,
            description: "expenses",
            sql: include_str!("../migrations/sqlite/0001_expenses.sql"),
        },
        MigrationFile {
            version: 2,
            description: "recurring",
            sql: include_str!("../migrations/sqlite/0002_recurring.sql"),
        },
        MigrationFile {
            version: 3,
            description: "rates",
            sql: include_str!("../migrations/sqlite/0003_rates.sql"),
        },
        MigrationFile {
            version: 4,
            description: "rules",
            sql: include_str!("../migrations/sqlite/0004_rules.sql"),
        },
        MigrationFile {
            version: 5,
            description: "deleted users",
            sql: include_str!("../migrations/sqlite/0005_deleted_users.sql"),
        },
        MigrationFile {
            version: 6,
            description: "budget conversion",
            sql: include_str!("../migrations/sqlite/0006_budget_conversion.sql"),
        },
    ],
};

/// Settings of the expenses service.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Expenses service")]
pub struct ExpensesConfig {
    /// Milliseconds between outbox polls (the relay also wakes on every change).
    #[arg(long, env = "OUTBOX_POLL_MS", default_value_t = 1000)]
    pub outbox_poll_ms: u64,

    /// Milliseconds a change waits for others before the relay publishes them together: the
    /// most an event waits for the outbox under load, and what makes the outbox cost a few
    /// database statements per hundred changes instead of two per change.
    #[arg(long, env = "OUTBOX_GATHER_MS", default_value_t = 20)]
    pub outbox_gather_ms: u64,

    /// Seconds between runs of the materialiser, which records the recurring expenses due by
    /// today (the date from the service's clock); it also runs once at start. Every replica may
    /// run it: an occurrence is recorded once whoever records it.
    #[arg(long, env = "RECURRING_INTERVAL_SECS", default_value_t = 300)]
    pub recurring_interval_secs: u64,
}

impl Default for ExpensesConfig {
    fn default() -> Self {
        Self {
            outbox_poll_ms: 1000,
            outbox_gather_ms: 20,
            recurring_interval_secs: 300,
        }
    }
}

/// The store for a pool of either backend.
pub fn store(pool: &DbPool) -> Arc<dyn ExpenseStore> {
    match pool {
        DbPool::Postgres(pool) => Arc::new(PgExpenseStore::new(pool.clone())),
        DbPool::Sqlite(db) => Arc::new(SqliteExpenseStore::new(db.engine.clone())),
    }
}

/// A running expenses service: its routes and the handles its background tasks use.
pub struct Expenses {
    pub service: Arc<ExpenseService>,
    pub pool: DbPool,
    wake: Arc<Notify>,
}

impl Expenses {
    /// Opens the database (migrating it if configured) and builds the service, which reads the
    /// time from `clock`.
    pub async fn open(database: &DatabaseConfig, data_dir: &Path, clock: Clock) -> anyhow::Result<Self> {
        let pool = DbPool::connect(database, data_dir, SERVICE).await?;
        if database.migrate_on_start {
            pool.migrate(&MIGRATIONS).await?;
        }
        let wake = Arc::new(Notify::new());
        let service = Arc::new(ExpenseService::new(store(&pool), Arc::clone(&wake), clock));
        tracing::info!(backend = pool.backend(), "expenses service ready");
        Ok(Self { service, pool, wake })
    }

    /// Starts the outbox relay, the recurring expenses' materialiser and the hourly sweep of old idempotency keys and published events,
    /// and returns the service's part of an application.
    pub fn part(
        self,
        config: &ExpensesConfig,
        authenticator: SharedAuthenticator,
        bus: Arc<dyn EventBus>,
    ) -> ServicePart {
        let relay = outbox::Relay {
            store: Arc::clone(self.service.store()),
            bus,
            wake: Arc::clone(&self.wake),
            poll_interval: Duration::from_millis(config.outbox_poll_ms.max(10)),
            gather: Duration::from_millis(config.outbox_gather_ms),
            clock: self.service.clock().clone(),
        };
        tokio::spawn(relay.run());
        let sweeper = Arc::clone(&self.service);
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(Duration::from_secs(3600));
            loop {
                interval.tick().await;
                match sweeper.forget_old().await {
                    Ok((0, 0)) => {}
                    Ok((keys, events)) => {
                        tracing::info!(
                            keys,
                            events,
                            "old idempotency keys and published events forgotten"
                        );
                    }
                    Err(error) => tracing::warn!(%error, "cannot forget old idempotency keys and events"),
                }
                match sweeper.erase_recently_deleted().await {
                    Ok(0) => {}
                    Ok(accounts) => tracing::info!(accounts, "recently deleted accounts erased again"),
                    Err(error) => tracing::warn!(%error, "cannot erase recently deleted accounts again"),
                }
            }
        });
        tokio::spawn(recurring_materialiser(
            Arc::clone(&self.service),
            Duration::from_secs(config.recurring_interval_secs.max(1)),
        ));
        ServicePart {
            name: SERVICE,
            router: http::router(ExpensesState {
                service: self.service,
                authenticator,
            }),
            readiness: vec![Arc::new(DatabaseCheck {
                name: "expenses-database",
                pool: self.pool,
            })],
            raw_routes: None,
        }
    }
}

/// Records the recurring expenses due by today every `interval`, starting at once.
async fn recurring_materialiser(service: Arc<ExpenseService>, interval: Duration) {
    let mut interval = tokio::time::interval(interval);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match service.materialise_due().await {
            Ok(0) => {}
            Ok(recorded) => tracing::info!(recorded, "recurring expenses recorded"),
            Err(error) => tracing::warn!(%error, "cannot record recurring expenses; the next run retries"),
        }
    }
}

/// Erases a deleted account's data (`account.deleted`); every other event is not for this
/// service. Idempotent, so redelivered events do no harm; fed by the in-process bus or the
/// service's SQS queue.
pub struct Consumer(pub Arc<ExpenseService>);

#[async_trait::async_trait]
impl EventHandler for Consumer {
    async fn handle(&self, event: &Event) -> Result<(), HandleError> {
        if event.kind != expense_api::events::ACCOUNT_DELETED {
            return Ok(());
        }
        self.0
            .erase_account(event.user_id)
            .await
            .map_err(|error| HandleError(error.to_string()))
    }
}
