//! The receipts service: receipt metadata and presigned S3 uploads and downloads. A receipt's
//! bytes never pass through a service: the client puts them straight into S3 (or the embedded
//! S3-compatible store) with a URL whose signature binds type, length and checksum.
//!
//! Reading order: [`repository`] (metadata storage, one store for Postgres and SQLite),
//! [`storage`] (S3 through `aws-sdk-s3`), [`ownership`] (asks the expenses service), [`service`]
//! (the rules), [`http`].
//! [`embedded`] is the S3-compatible store that `all` runs on embedded defaults.

pub mod embedded;
pub mod error;
pub mod http;
pub mod ownership;
pub mod repository;
pub mod service;
pub mod storage;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use expense_kit::ServicePart;
use expense_kit::auth::SharedAuthenticator;
use expense_kit::clock::Clock;
use expense_kit::config::DatabaseConfig;
use expense_kit::db::{DatabaseCheck, DbPool, MigrationFile, ServiceMigrations, SqlDb};
use expense_kit::events::{Event, EventHandler, HandleError};
use url::Url;

pub use service::ReceiptService;

use crate::http::ReceiptsState;
use crate::ownership::ExpensesClient;
use crate::repository::ReceiptRepository;
use crate::repository::store::SqlReceiptStore;
use crate::storage::{ObjectStore, StoreSettings};

pub const SERVICE: &str = "receipts";

pub static MIGRATIONS: ServiceMigrations = ServiceMigrations {
    postgres: &[
        MigrationFile {
            version: 1,
            description: "receipts",
            sql: include_str!("../migrations/postgres/0001_receipts.sql"),
        },
        MigrationFile {
            version: 2,
            description: "deleted users",
            sql: include_str!("../migrations/postgres/0002_deleted_users.sql"),
        },
    ],
    sqlite: &[
        MigrationFile {
            version: 1,
            description: "receipts",
            sql: include_str!("../migrations/sqlite/0001_receipts.sql"),
        },
        MigrationFile {
            version: 2,
            description: "deleted users",
            sql: include_str!("../migrations/sqlite/0002_deleted_users.sql"),
        },
    ],
};

/// Settings of the receipts service.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Receipts service")]
pub struct ReceiptsConfig {
    /// The receipts bucket.
    #[arg(long, env = "S3_BUCKET", default_value = "expense-receipts")]
    pub s3_bucket: String,

    /// S3 endpoint. Unset: AWS S3 itself (credentials from the default chain: IRSA on EKS) —
    /// or, with the embedded store, this process.
    #[arg(long, env = "S3_ENDPOINT")]
    pub s3_endpoint: Option<Url>,

    /// Run the embedded S3-compatible store in this process (over `<data dir>/objects`).
    /// Default: on for `all`, off for the `receipts` role.
    #[arg(long, env = "S3_EMBEDDED", action = clap::ArgAction::Set)]
    pub s3_embedded: Option<bool>,

    /// KMS key for server-side encryption of new receipts (AWS); unset: the bucket's default.
    #[arg(long, env = "S3_SSE_KMS_KEY_ID")]
    pub s3_sse_kms_key_id: Option<String>,

    /// Largest receipt accepted, in bytes.
    #[arg(long, env = "RECEIPT_MAX_BYTES", default_value_t = 10 * 1024 * 1024)]
    pub receipt_max_bytes: u64,

    /// Base URL of the expenses service, asked whether an expense is the caller's. Unset in
    /// `all`: this process.
    #[arg(long, env = "EXPENSES_URL")]
    pub expenses_url: Option<Url>,
}

impl Default for ReceiptsConfig {
    fn default() -> Self {
        Self {
            s3_bucket: "expense-receipts".to_owned(),
            s3_endpoint: None,
            s3_embedded: None,
            s3_sse_kms_key_id: None,
            receipt_max_bytes: 10 * 1024 * 1024,
            expenses_url: None,
        }
    }
}

/// The store for a pool of either backend.
pub fn store(pool: &DbPool) -> Arc<dyn ReceiptRepository> {
    Arc::new(SqlReceiptStore::new(SqlDb::of(pool)))
}

/// A receipts service ready to mount.
pub struct Receipts {
    pub service: Arc<ReceiptService>,
    pool: DbPool,
    embedded: Option<axum::Router>,
}

/// What the receipts service takes from the process it runs in.
pub struct Surroundings<'a> {
    /// The data directory (SQLite files, the embedded store's objects and keys).
    pub data_dir: &'a Path,
    /// This process's address: the default of the URLs left unset.
    pub own_url: &'a Url,
    /// Whether the embedded store is the default (`expense-server all`).
    pub embedded_by_default: bool,
    /// Fixed S3 credentials instead of the default chain (tests against moto).
    pub static_credentials: Option<(String, String)>,
    /// Where the service reads the time.
    pub clock: Clock,
}

impl Receipts {
    /// Opens the database, the object store (starting the embedded one when asked to) and builds
    /// the service.
    pub async fn open(
        config: &ReceiptsConfig,
        aws: &expense_kit::config::AwsConfig,
        database: &DatabaseConfig,
        surroundings: Surroundings<'_>,
    ) -> anyhow::Result<Self> {
        let Surroundings {
            data_dir,
            own_url,
            embedded_by_default,
            static_credentials,
            clock,
        } = surroundings;
        let pool = DbPool::connect(database, data_dir, SERVICE).await?;
        if database.migrate_on_start {
            pool.migrate(&MIGRATIONS).await?;
        }
        let embedded_store = config.s3_embedded.unwrap_or(embedded_by_default);
        let (settings, embedded) = if embedded_store {
            let credentials = embedded::EmbeddedCredentials::load_or_generate(data_dir)?;
            let service = embedded::service(&data_dir.join("objects"), &config.s3_bucket, &credentials)?;
            let endpoint = config.s3_endpoint.clone().unwrap_or_else(|| own_url.clone());
            let settings = StoreSettings {
                bucket: config.s3_bucket.clone(),
                region: aws.aws_region.clone(),
                endpoint: Some(endpoint.as_str().trim_end_matches('/').to_owned()),
                credentials: Some((credentials.access_key_id, credentials.secret_access_key)),
                kms_key_id: None,
            };
            (settings, Some(embedded::routes(&config.s3_bucket, service)))
        } else {
            let settings = StoreSettings {
                bucket: config.s3_bucket.clone(),
                region: aws.aws_region.clone(),
                endpoint: config
                    .s3_endpoint
                    .as_ref()
                    .or(aws.aws_endpoint_url.as_ref())
                    .map(|u| u.as_str().trim_end_matches('/').to_owned()),
                credentials: static_credentials,
                kms_key_id: config.s3_sse_kms_key_id.clone(),
            };
            (settings, None)
        };
        let objects = ObjectStore::new(settings);
        let expenses = ExpensesClient::new(config.expenses_url.clone().unwrap_or_else(|| own_url.clone()));
        let service = Arc::new(ReceiptService::new(
            store(&pool),
            objects,
            expenses,
            config.receipt_max_bytes,
            clock,
        ));
        tracing::info!(backend = pool.backend(), embedded_store, bucket = %config.s3_bucket, "receipts service ready");
        Ok(Self {
            service,
            pool,
            embedded,
        })
    }

    /// Starts the pending-receipt sweeper and returns the service's part of an application.
    /// Events are fed by the caller to [`Consumer`].
    pub fn part(self, authenticator: SharedAuthenticator) -> ServicePart {
        let sweeper = Arc::clone(&self.service);
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(Duration::from_secs(300));
            loop {
                interval.tick().await;
                match sweeper.sweep_pending().await {
                    Ok(0) => {}
                    Ok(swept) => tracing::info!(swept, "abandoned pending receipts removed"),
                    Err(error) => tracing::warn!(%error, "cannot sweep pending receipts"),
                }
                match sweeper.erase_recently_deleted().await {
                    Ok(0) => {}
                    Ok(accounts) => tracing::debug!(accounts, "recently deleted accounts erased again"),
                    Err(error) => tracing::warn!(%error, "cannot erase recently deleted accounts again"),
                }
            }
        });
        ServicePart {
            name: SERVICE,
            router: http::router(ReceiptsState {
                service: self.service,
                authenticator,
            }),
            readiness: vec![Arc::new(DatabaseCheck {
                name: "receipts-database",
                pool: self.pool,
            })],
            raw_routes: self.embedded,
        }
    }
}

/// Removes the receipts of deleted expenses (`expense.deleted`) and of deleted accounts
/// (`account.deleted`: rows and every object under the user's prefix). Idempotent, so redelivered
/// events do no harm; fed by the in-process bus or the service's SQS queue.
pub struct Consumer(pub Arc<ReceiptService>);

#[async_trait::async_trait]
impl EventHandler for Consumer {
    async fn handle(&self, event: &Event) -> Result<(), HandleError> {
        if event.kind == expense_api::events::ACCOUNT_DELETED {
            return self
                .0
                .erase_account(event.user_id)
                .await
                .map_err(|error| HandleError(error.to_string()));
        }
        if event.kind != expense_api::events::EXPENSE_DELETED {
            return Ok(());
        }
        let Ok(payload) = serde_json::from_value::<expense_api::events::ExpenseEvent>(event.data.clone())
        else {
            tracing::error!(event_id = %event.id, "expense.deleted without a readable expense; skipped");
            return Ok(());
        };
        let removed = self
            .0
            .forget_expense(event.user_id, payload.expense.id)
            .await
            .map_err(|error| HandleError(error.to_string()))?;
        if removed > 0 {
            tracing::info!(expense_id = %payload.expense.id, removed, "receipts of a deleted expense removed");
        }
        Ok(())
    }
}
