//! Postgres for the test suite: the server binaries are installed through the OS package
//! manager when absent, then a throwaway server is started (and stopped when we exit, however
//! we exit).

use std::process::Command;

use anyhow::{Context, bail};
use expense_testkit::postgres::{EphemeralPostgres, find_bin_dir};

use crate::project::step;

/// Makes sure `initdb` and `pg_ctl` exist, installing the `postgresql` package if needed.
pub fn ensure_installed() -> anyhow::Result<()> {
    if find_bin_dir().is_some() {
        return Ok(());
    }
    step("Installing the Postgres server package (postgresql) with apt-get");
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false);
    let apt = |args: &[&str]| -> anyhow::Result<()> {
        let mut command = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        let status = command
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("cannot run apt-get; install the Postgres 15+ server package by hand")?;
        if !status.success() {
            bail!("apt-get {} failed", args.join(" "));
        }
        Ok(())
    };
    apt(&["update", "-q"])?;
    apt(&["install", "-y", "-q", "--no-install-recommends", "postgresql"])?;
    if find_bin_dir().is_none() {
        bail!("installed postgresql but still found no initdb/pg_ctl");
    }
    Ok(())
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
