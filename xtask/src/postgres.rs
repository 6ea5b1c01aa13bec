//! Postgres for the test suite: the server binaries are installed through the OS package
//! manager when absent, then a throwaway server is started (and stopped when we exit, however
//! we exit).

use anyhow::Context;
use expense_testkit::postgres::{EphemeralPostgres, find_bin_dir};

use crate::os_packages;

/// Makes sure `initdb` and `pg_ctl` exist, installing the `postgresql` package if needed.
pub fn ensure_installed() -> anyhow::Result<()> {
    os_packages::ensure("postgresql", || find_bin_dir().is_some())
}

/// Starts the throwaway server for a test run.
pub fn start_for_tests() -> anyhow::Result<EphemeralPostgres> {
    ensure_installed()?;
    let server = EphemeralPostgres::start_with_watchdog().context("cannot start the test Postgres")?;
    eprintln!(
        "    Postgres listening on 127.0.0.1:{} (data in {})",
        server.port(),
        server.data_dir().display()
    );
    Ok(server)
}
