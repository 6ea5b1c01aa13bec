//! Connection pools and migrations for the two storage backends.
//!
//! Postgres (production): one database, one schema per service, selected with `search_path`, so
//! each service owns its tables and its migration history. Connections are checked with a round
//! trip only after a second of idleness (sqlx also checks each one as it comes back to the pool,
//! and drops it if that fails), not before every use. SQLite (embedded default): one file per
//! service in the data directory, in WAL mode; a service on its hot path uses the file through
//! [`SqliteEngine`] (a writer thread fed by a queue, a few reader threads), the others through
//! sqlx's pool. Which backend is used follows `DATABASE_URL`.
//!
//! Migrations are compiled into the binary (no files are needed at run time) and applied with
//! sqlx's migrator, which takes an advisory lock on Postgres so concurrent starts are safe.
//!
//! Postgres credentials may come from a [`DbCredentialSource`] (the RDS-managed secret in Secrets
//! Manager) instead of `DATABASE_URL`. Rotating that secret changes the password under a running
//! pool: connections already open keep working, new ones are refused. So a watcher opens one
//! fresh connection every `DATABASE_CREDENTIALS_CHECK_SECS`; when the database refuses the
//! password, it reads the secret again and gives the pool the new credentials.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlSafeStr, SqlitePool};

use crate::config::DatabaseConfig;
use crate::health::ReadinessCheck;
use crate::redacted::Redacted;

mod sql;
mod sqlite_engine;

pub use sql::{Backend, Column, Query, Sql, SqlDb, SqlRow, SqlTx, Value};
pub use sqlite_engine::{SqliteEngine, is_busy as is_sqlite_busy};

/// A pooled Postgres connection idle for longer than this is checked with a round trip before it
/// is lent again (a database restart or a network blip shows there, not in a request).
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(1);

/// A database user and password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbCredentials {
    pub username: String,
    pub password: Redacted<String>,
}

/// Where Postgres credentials come from when they are not in `DATABASE_URL`.
#[async_trait]
pub trait DbCredentialSource: Send + Sync + std::fmt::Debug + 'static {
    /// The credentials to use now (read afresh on every call).
    async fn credentials(&self) -> Result<DbCredentials, String>;
    /// What it is, for logs (never the credentials).
    fn describe(&self) -> String;
}

/// One migration file, embedded with `include_str!`.
#[derive(Debug, Clone, Copy)]
pub struct MigrationFile {
    pub version: i64,
    pub description: &'static str,
    pub sql: &'static str,
}

/// A service's migrations for both backends.
#[derive(Debug, Clone, Copy)]
pub struct ServiceMigrations {
    pub postgres: &'static [MigrationFile],
    pub sqlite: &'static [MigrationFile],
}

/// A pool on one of the two backends.
#[derive(Debug, Clone)]
pub enum DbPool {
    Postgres(PgPool),
    Sqlite(SqliteDb),
}

/// A SQLite database: sqlx's pool, and the engine of threads for the hot path.
#[derive(Debug, Clone)]
pub struct SqliteDb {
    /// sqlx connections: migrations, and the services whose stores use sqlx (they write with
    /// `BEGIN IMMEDIATE`).
    pub pool: SqlitePool,
    /// The writer and reader threads, opened at first use: the expenses service's store.
    pub engine: SqliteEngine,
}

/// Why a database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL is not a postgres:// or sqlite: URL")]
    UnsupportedUrl,
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot read the database credentials: {0}")]
    Credentials(String),
}

impl DbPool {
    /// Opens the pool for `service` (its schema on Postgres, its file on SQLite).
    pub async fn connect(
        config: &DatabaseConfig,
        data_dir: &Path,
        service: &'static str,
    ) -> Result<Self, DbError> {
        let url = config.database_url.as_ref().map(|url| url.expose().as_str());
        match url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let mut options = PgConnectOptions::from_str(url)?
                    .options([("search_path", service)])
                    .application_name(&format!("expense-{service}"));
                if let Some(source) = &config.credentials {
                    options = with_credentials(options, &fetch(source.as_ref()).await?);
                }
                ensure_schema(options.clone(), service).await?;
                let pool = PgPoolOptions::new()
                    .max_connections(config.database_max_connections)
                    .acquire_timeout(Duration::from_secs(5))
                    // Not a round trip before every use (a third of a request's round trips):
                    // only connections idle for a while are checked. A connection that broke
                    // while in use fails its query, and sqlx's check when it comes back to the
                    // pool drops it.
                    .test_before_acquire(false)
                    .before_acquire(|connection, meta| {
                        Box::pin(async move {
                            if meta.idle_for >= CHECK_AFTER_IDLE {
                                use sqlx::Connection;
                                connection.ping().await?;
                            }
                            Ok(true)
                        })
                    })
                    .connect_with(options)
                    .await?;
                if let Some(source) = &config.credentials {
                    let every = Duration::from_secs(config.database_credentials_check_secs.max(1));
                    tokio::spawn(watch_credentials(
                        pool.clone(),
                        Arc::clone(source),
                        every,
                        service,
                    ));
                }
                Ok(Self::Postgres(pool))
            }
            None => Self::connect_sqlite(data_dir, service, config).await,
            Some(url) if url.starts_with("sqlite:") => {
                let dir = url.trim_start_matches("sqlite:").trim_start_matches("//");
                let dir = if dir.is_empty() { data_dir } else { Path::new(dir) };
                Self::connect_sqlite(dir, service, config).await
            }
            Some(_) => Err(DbError::UnsupportedUrl),
        }
    }

    async fn connect_sqlite(
        dir: &Path,
        service: &'static str,
        config: &DatabaseConfig,
    ) -> Result<Self, DbError> {
        create_private_dir(dir)?;
        // WAL with `synchronous = NORMAL`: a commit is appended to the log without waiting for
        // the disk; the log is synced at checkpoints. A power cut can lose the last commits
        // (never corrupt the file); a crash of the process alone loses nothing.
        let options = SqliteConnectOptions::new()
            .filename(dir.join(format!("{service}.sqlite3")))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let file = dir.join(format!("{service}.sqlite3"));
        let readers = sqlite_readers(config.database_max_connections);
        let pool = SqlitePoolOptions::new()
            // A file cannot drop a connection: no round trip (a thread hand-off here) to check.
            .test_before_acquire(false)
            .max_connections(readers)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        let engine = SqliteEngine::new(file, readers as usize);
        Ok(Self::Sqlite(SqliteDb { pool, engine }))
    }

    /// Applies every pending migration of the service.
    pub async fn migrate(&self, migrations: &ServiceMigrations) -> Result<(), DbError> {
        match self {
            Self::Postgres(pool) => migrator(migrations.postgres).run(pool).await?,
            Self::Sqlite(db) => migrator(migrations.sqlite).run(&db.pool).await?,
        }
        Ok(())
    }

    /// A round trip to the database.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        match self {
            Self::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
            Self::Sqlite(db) => sqlx::query("SELECT 1").execute(&db.pool).await.map(drop),
        }
    }

    /// Closes every connection, waiting for those in use.
    pub async fn close(&self) {
        match self {
            Self::Postgres(pool) => pool.close().await,
            Self::Sqlite(db) => db.pool.close().await,
        }
    }

    /// `"postgres"` or `"sqlite"`, for logs.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Postgres(_) => "postgres",
            Self::Sqlite(_) => "sqlite",
        }
    }
}

/// Reading connections of a SQLite database: no more than `configured`, and no more than the
/// machine can run at once (each has its own thread and page cache).
fn sqlite_readers(configured: u32) -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    configured.clamp(1, u32::try_from(cores.max(2)).unwrap_or(2))
}

fn migrator(files: &'static [MigrationFile]) -> Migrator {
    let migrations = files
        .iter()
        .map(|file| {
            Migration::new(
                file.version,
                Cow::Borrowed(file.description),
                MigrationType::Simple,
                file.sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

async fn fetch(source: &dyn DbCredentialSource) -> Result<DbCredentials, DbError> {
    source.credentials().await.map_err(DbError::Credentials)
}

fn with_credentials(options: PgConnectOptions, credentials: &DbCredentials) -> PgConnectOptions {
    options
        .username(&credentials.username)
        .password(credentials.password.expose())
}

/// Whether Postgres refused the user or password (`28P01` invalid password, `28000` invalid
/// authorization).
pub fn is_refused_login(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.code().is_some_and(|code| matches!(code.as_ref(), "28P01" | "28000")))
}

/// Probes a fresh connection every `every`; when the login is refused, reads the credentials
/// again and hands them to the pool. Ends when the pool is closed.
async fn watch_credentials(
    pool: PgPool,
    source: Arc<dyn DbCredentialSource>,
    every: Duration,
    service: &'static str,
) {
    use sqlx::Connection;
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if pool.is_closed() {
            return;
        }
        let options = pool.connect_options();
        let refused = match sqlx::PgConnection::connect_with(&options).await {
            Ok(connection) => {
                let _ = connection.close().await;
                false
            }
            Err(error) => is_refused_login(&error),
        };
        if !refused {
            continue;
        }
        match source.credentials().await {
            Ok(credentials) => {
                pool.set_connect_options(with_credentials((*options).clone(), &credentials));
                tracing::warn!(service, source = %source.describe(), "database refused the login; credentials read again");
            }
            Err(error) => {
                tracing::error!(service, source = %source.describe(), %error, "database refused the login and the credentials cannot be read");
            }
        }
    }
}

/// Creates the service's schema before the pool's `search_path` points at it.
async fn ensure_schema(options: PgConnectOptions, schema: &'static str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut connection = sqlx::PgConnection::connect_with(&options).await?;
    // `schema` is a compile-time service name, never user input.
    let statement = format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"");
    sqlx::query(sqlx::AssertSqlSafe(statement))
        .execute(&mut connection)
        .await?;
    connection.close().await
}

/// Creates `dir` (and parents) with mode 0700 where it does not exist yet.
pub fn create_private_dir(dir: &Path) -> Result<(), DbError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| DbError::DataDir {
        path: dir.to_owned(),
        source,
    })
}

/// Readiness: the service's database answers a query.
pub struct DatabaseCheck {
    /// Shown in `/readyz`, such as `auth-database`.
    pub name: &'static str,
    pub pool: DbPool,
}

#[async_trait]
impl ReadinessCheck for DatabaseCheck {
    fn name(&self) -> &'static str {
        self.name
    }

    async fn check(&self) -> Result<(), String> {
        self.pool.ping().await.map_err(|e| e.to_string())
    }
}

/// Whether `error` means the database is unreachable or overloaded (answer 503 and let the caller
/// retry) rather than a bug (answer 500).
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_)
    ) || matches!(error, sqlx::Error::Database(db) if db.code().is_some_and(|code| {
        // Postgres: admin shutdown, cannot connect now, too many connections, login refused (a
        // rotated password, until the pool reads the secret again); SQLite: busy, locked.
        matches!(code.as_ref(), "57P01" | "57P03" | "53300" | "28P01" | "28000" | "5" | "6")
    }))
}
