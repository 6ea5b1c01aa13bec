//! The two storage backends every service's behaviour is checked on, and a fresh database on
//! each, so the services' test suites name them the same way and need no copy of their own.

use expense_kit::config::DatabaseConfig;

/// A storage backend a service runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Every backend, in the order the suites run them.
pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

/// A database of its own for one test: the embedded SQLite file (in the data directory the test
/// chooses), or a new, empty database on the test Postgres server
/// ([`crate::fresh_postgres_database`]).
pub async fn database(backend: Backend) -> DatabaseConfig {
    match backend {
        Backend::Sqlite => DatabaseConfig::embedded(),
        Backend::Postgres => DatabaseConfig::postgres(crate::fresh_postgres_database().await),
    }
}
