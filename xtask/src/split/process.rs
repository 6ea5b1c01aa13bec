//! The `expense-server` processes xtask starts (`up --split`, the smoke gate, the generated API
//! tests, `chaos`): output in a
//! log file, polled until `/readyz` answers, stopped by their own pid (SIGTERM, so they drain,
//! then SIGKILL after a grace period) when stopped or dropped, whatever happened.
//!
//! Each process runs in its own process group, so a Ctrl-C in the terminal reaches xtask only,
//! which then stops everything in order. Nothing but the pids started here is ever signalled.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// How long a role may take to drain after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// How long a role may take to become ready.
const START_DEADLINE: Duration = Duration::from_secs(60);

/// A running server process.
pub struct ServerProcess {
    name: String,
    url: String,
    child: Option<Child>,
    log: PathBuf,
}

impl ServerProcess {
    /// Starts `command` (serving at `url`) with stdout and stderr in `log`.
    pub fn spawn(name: &str, url: &str, command: &mut Command, log: &Path) -> anyhow::Result<Self> {
        let file = File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        let child = command
            .stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file)
            .process_group(0)
            .spawn()
            .with_context(|| format!("cannot start {name}"))?;
        Ok(Self {
            name: name.to_owned(),
            url: url.to_owned(),
            child: Some(child),
            log: log.to_owned(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    pub fn log(&self) -> &Path {
        &self.log
    }

    /// Waits until `GET /readyz` answers 200, failing early (with the log) if the process exits.
    pub async fn wait_until_ready(&mut self, client: &reqwest::Client) -> anyhow::Result<()> {
        let deadline = Instant::now() + START_DEADLINE;
        let readyz = format!("{}/readyz", self.url);
        loop {
            if let Some(status) = self.exited()? {
                bail!(
                    "{} exited ({status}) while starting:\n{}",
                    self.name,
                    self.log_tail()
                );
            }
            if let Ok(response) = client.get(&readyz).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "{} was not ready at {readyz} within {START_DEADLINE:?}:\n{}",
                    self.name,
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The exit status, if the process has exited.
    pub fn exited(&mut self) -> anyhow::Result<Option<std::process::ExitStatus>> {
        match self.child.as_mut() {
            Some(child) => Ok(child.try_wait()?),
            None => Ok(None),
        }
    }

    /// The last lines of the log, for error messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Sends `signal` (`TERM`, `KILL`, …) to this process alone and returns at once; for fault
    /// tests (`cargo xtask chaos`), which then watch [`ServerProcess::exited`].
    pub fn signal(&self, signal: &str) -> anyhow::Result<()> {
        let Some(child) = self.child.as_ref() else {
            bail!("{} is not running", self.name);
        };
        let status = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .context("cannot run kill")?;
        if !status.success() {
            bail!("kill -{signal} {} failed ({status})", child.id());
        }
        Ok(())
    }

    /// SIGTERM, then SIGKILL if it has not exited within the grace period; waits for it.
    pub fn stop(&mut self) {
        if let Some(child) = self.child.take() {
            crate::project::stop_child(child, STOP_GRACE);
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}
