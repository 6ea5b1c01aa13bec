//! Programs the test suite needs from the operating system's packages (the Postgres server,
//! `faketime`), installed with `apt-get` when they are missing, so a fresh machine needs no
//! set-up by hand.

use std::process::Command;

use anyhow::{Context, bail};

use crate::project::step;

/// Installs the Debian package `package` unless `present()` already holds, and checks that it
/// holds afterwards.
pub fn ensure(package: &str, present: impl Fn() -> bool) -> anyhow::Result<()> {
    if present() {
        return Ok(());
    }
    step(&format!("Installing the {package} package with apt-get"));
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
            .with_context(|| format!("cannot run apt-get; install the `{package}` package by hand"))?;
        if !status.success() {
            bail!("apt-get {} failed", args.join(" "));
        }
        Ok(())
    };
    apt(&["update", "-q"])?;
    apt(&["install", "-y", "-q", "--no-install-recommends", package])?;
    if !present() {
        bail!("installed the {package} package, but what it should provide is still missing");
    }
    Ok(())
}

/// Whether `program` is on the PATH.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}
