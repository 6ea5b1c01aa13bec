//! Connection pools and migrations for the two storage backends.
//!
//! Postgres (production): one database, one schema per service, selected with `search_path`, so
//! each service owns its tables and its migration history. SQLite (embedded default): one file
//! per service in the data directory, in WAL mode. Which one is used follows `DATABASE_URL`.
//!
//! Migrations are compiled into the binary (no files are needed at run time) and applied with
//! sqlx's migrator, which takes an advisory lock on Postgres so concurrent starts are safe.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlSafeStr, SqlitePool};

use crate::config::DatabaseConfig;
use crate::health::ReadinessCheck;

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
    Sqlite(SqlitePool),
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
                let options = PgConnectOptions::from_str(url)?
                    .options([("search_path", service)])
                    .application_name(&format!("expense-{service}"));
                ensure_schema(options.clone(), service).await?;
                let pool = PgPoolOptions::new()
                    .max_connections(config.database_max_connections)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(options)
                    .await?;
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
        let options = SqliteConnectOptions::new()
            .filename(dir.join(format!("{service}.sqlite3")))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(config.database_max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Self::Sqlite(pool))
    }

    /// Applies every pending migration of the service.
    pub async fn migrate(&self, migrations: &ServiceMigrations) -> Result<(), DbError> {
        match self {
            Self::Postgres(pool) => migrator(migrations.postgres).run(pool).await?,
            Self::Sqlite(pool) => migrator(migrations.sqlite).run(pool).await?,
        }
        Ok(())
    }

    /// A round trip to the database.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        match self {
            Self::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
            Self::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
        }
    }

    /// Closes every connection, waiting for those in use.
    pub async fn close(&self) {
        match self {
            Self::Postgres(pool) => pool.close().await,
            Self::Sqlite(pool) => pool.close().await,
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
        // Postgres: admin shutdown, cannot connect now, too many connections; SQLite: busy, locked.
        matches!(code.as_ref(), "57P01" | "57P03" | "53300" | "5" | "6")
    }))
}
