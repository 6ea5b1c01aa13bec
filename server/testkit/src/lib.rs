//! Test support shared by the test suites and `cargo xtask`: real dependencies, started for the
//! run and stopped after it.
//!
//! - [`postgres::EphemeralPostgres`] starts a throwaway Postgres server on loopback;
//! - [`fresh_postgres_database`] gives each test its own empty database on the server that
//!   `cargo xtask test` started (its URL in [`TEST_POSTGRES_URL_VAR`]), or on one this test
//!   process starts itself when run by plain `cargo test`. It fails loudly when neither works:
//!   no test that needs Postgres is ever skipped;
//! - [`Backend`], [`BACKENDS`] and [`database`] name the backends every service suite runs on
//!   and give a test a database of its own on either;
//! - [`free_port`] finds a loopback port for a server a test starts.

pub mod backend;
pub mod moto;
pub mod postgres;

pub use backend::{BACKENDS, Backend, database};

use std::net::TcpListener;
use std::sync::OnceLock;

use sqlx::Connection;

/// Environment variable holding the admin URL of the test Postgres server.
pub const TEST_POSTGRES_URL_VAR: &str = "EXPENSE_TEST_POSTGRES_URL";

static OWN_SERVER: OnceLock<postgres::EphemeralPostgres> = OnceLock::new();

/// The admin URL of the test server: the one `cargo xtask test` started, or one started now for
/// this process (stopped by a watchdog when the process exits).
pub fn postgres_admin_url() -> String {
    if let Ok(url) = std::env::var(TEST_POSTGRES_URL_VAR) {
        return url;
    }
    OWN_SERVER
        .get_or_init(|| {
            postgres::EphemeralPostgres::start_with_watchdog().unwrap_or_else(|error| {
                panic!(
                    "this test needs Postgres and none could be started: {error:#}\n\
                     Run the suite with `cargo xtask test`, which installs and starts it."
                )
            })
        })
        .admin_url()
}

/// A URL to a new, empty database on the test server.
pub async fn fresh_postgres_database() -> String {
    let admin = postgres_admin_url();
    let name = format!("test_{}", uuid::Uuid::now_v7().simple());
    let mut connection = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|error| panic!("cannot connect to the test Postgres at {admin}: {error}"));
    let statement = format!("CREATE DATABASE \"{name}\"");
    sqlx::query(sqlx::AssertSqlSafe(statement))
        .execute(&mut connection)
        .await
        .unwrap_or_else(|error| panic!("cannot create test database {name}: {error}"));
    let _ = connection.close().await;
    postgres::with_database(&admin, &name)
}

/// A TCP port on 127.0.0.1 that is free now. Nothing holds it afterwards: the caller binds it (or
/// hands it to the server it starts) soon after.
pub fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}
