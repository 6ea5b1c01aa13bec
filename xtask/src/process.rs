//! The server processes xtask starts (`expense-server` for `up --split`, the smoke gate, the
//! generated API tests, the Postman gate, `chaos` and `bench`; PocketBase for `bench`), and the
//! free loopback port each is given: one wrapper for all of them.
//!
//! A server runs with its output in a log file, is polled until it answers, and is stopped by its
//! own pid (SIGTERM, so it drains, then SIGKILL after a grace period) when stopped or dropped,
//! whatever happened. Each runs in its own process group, so a Ctrl-C in the terminal reaches
//! xtask only, which then stops everything in order. Nothing but the pids started here is ever
//! signalled. What "answers" means is the caller's: `/readyz` through reqwest for the split
//! topology and the gates, the benchmark's own HTTP client for `bench`.

use std::fs::File;
use std::future::Future;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::project::{cargo, root, run_checked};

/// How long a server may take to drain after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// How long a server may take to answer after it was started.
const START_DEADLINE: Duration = Duration::from_secs(60);

/// How many lines of the log an error shows.
const LOG_TAIL_LINES: usize = 30;

/// `target/debug/expense-server`, built first when it is not there (for the gates that start it
/// alone; `smoke::gate` and `split` always build, to test the current code).
pub fn expense_server_binary() -> anyhow::Result<PathBuf> {
    let binary = root().join("target/debug/expense-server");
    if !binary.exists() {
        run_checked(
            cargo().args(["build", "--locked", "--quiet", "-p", "expense-server"]),
            "cargo build -p expense-server",
        )?;
    }
    Ok(binary)
}

/// A free TCP port on 127.0.0.1 (free now; the caller binds it soon after).
pub use expense_testkit::free_port;

/// A running server process.
pub struct ServerProcess {
    name: String,
    url: String,
    child: Option<Child>,
    log: PathBuf,
}

impl ServerProcess {
    /// Starts `command` (serving at `url`) in its own process group, with stdout and stderr in
    /// `log`.
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

    /// The pid, 0 once stopped.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    pub fn log(&self) -> &Path {
        &self.log
    }

    /// Waits until `GET /readyz` answers 200 (an `expense-server`).
    pub async fn wait_until_ready(&mut self, client: &reqwest::Client) -> anyhow::Result<()> {
        let readyz = format!("{}/readyz", self.url);
        self.wait_until(&readyz, || async {
            client
                .get(&readyz)
                .send()
                .await
                .is_ok_and(|response| response.status().is_success())
        })
        .await
    }

    /// Polls `answers` every 100 ms until it says yes, failing early (with the log) if the
    /// process exits, and after [`START_DEADLINE`]. `what` names what is polled, for the error.
    pub async fn wait_until<F, A>(&mut self, what: &str, mut answers: F) -> anyhow::Result<()>
    where
        F: FnMut() -> A,
        A: Future<Output = bool>,
    {
        let deadline = Instant::now() + START_DEADLINE;
        loop {
            if let Some(status) = self.exited()? {
                bail!(
                    "{} exited ({status}) while starting:\n{}",
                    self.name,
                    self.log_tail()
                );
            }
            if answers().await {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "{} was not ready at {what} within {START_DEADLINE:?}:\n{}",
                    self.name,
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The exit status, if the process has exited.
    pub fn exited(&mut self) -> anyhow::Result<Option<ExitStatus>> {
        match self.child.as_mut() {
            Some(child) => Ok(child.try_wait()?),
            None => Ok(None),
        }
    }

    /// The last lines of the log, for error messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n")
    }

    /// Sends `signal` (`TERM`, `KILL`, …) to this process alone and returns at once; for fault
    /// tests (`cargo xtask chaos`), which then watch [`ServerProcess::exited`].
    pub fn signal(&self, signal: &str) -> anyhow::Result<()> {
        let Some(child) = self.child.as_ref() else {
            bail!("{} is not running", self.name);
        };
        let status = kill(signal, child.id())?;
        if !status.success() {
            bail!("kill -{signal} {} failed ({status})", child.id());
        }
        Ok(())
    }

    /// SIGTERM, then SIGKILL if it has not exited within the grace period; waits for it, so no
    /// zombie is left. A process that cannot be stopped is reported, not returned as an error:
    /// stopping is what runs on every way out.
    pub fn stop(&mut self) {
        if let Some(child) = self.child.take()
            && let Err(error) = stop_child(&self.name, child)
        {
            eprintln!("warning: could not stop {}: {error:#}", self.name);
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

fn kill(signal: &str, pid: u32) -> anyhow::Result<ExitStatus> {
    Command::new("kill")
        .args([format!("-{signal}"), pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("cannot run kill")
}

/// Stops `child` the way Kubernetes does: SIGTERM, then SIGKILL after [`STOP_GRACE`].
fn stop_child(name: &str, mut child: Child) -> anyhow::Result<()> {
    if child.try_wait()?.is_some() {
        return Ok(());
    }
    kill("TERM", child.id())?;
    let deadline = Instant::now() + STOP_GRACE;
    while Instant::now() < deadline {
        if child.try_wait()?.is_some() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("    {name} ignored SIGTERM for {STOP_GRACE:?}; killing it");
    child.kill()?;
    child.wait()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_free_port_can_be_bound_on_loopback() {
        let port = free_port().unwrap();
        assert_ne!(port, 0);
        std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    }

    #[test]
    fn a_server_that_exits_while_starting_fails_with_its_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("server.log");
        let mut server = ServerProcess::spawn(
            "failing",
            "http://127.0.0.1:9",
            Command::new("sh").args(["-c", "echo cannot bind the port; exit 3"]),
            &log,
        )
        .unwrap();
        let error = runtime()
            .block_on(server.wait_until("nothing", || async { false }))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "failing exited (exit status: 3) while starting:\ncannot bind the port"
        );
    }

    #[test]
    fn a_server_is_ready_once_it_answers_and_stopped_by_sigterm() {
        let dir = tempfile::tempdir().unwrap();
        let mut server = ServerProcess::spawn(
            "sleeper",
            "http://127.0.0.1:9",
            Command::new("sleep").arg("30"),
            &dir.path().join("sleeper.log"),
        )
        .unwrap();
        let mut polls = 0;
        runtime()
            .block_on(server.wait_until("the third poll", || {
                polls += 1;
                std::future::ready(polls == 3)
            }))
            .unwrap();
        assert_eq!(polls, 3);
        let pid = server.pid();
        assert!(Path::new(&format!("/proc/{pid}")).exists());
        let started = Instant::now();
        server.stop();
        assert!(started.elapsed() < STOP_GRACE, "sleep stops on SIGTERM");
        assert_eq!(server.pid(), 0);
        assert!(!Path::new(&format!("/proc/{pid}")).exists(), "reaped");
        assert!(server.signal("TERM").is_err(), "a stopped server takes no signal");
    }
}
