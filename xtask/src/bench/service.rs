//! The service under test: `expense-server all` on Postgres or on its embedded SQLite, with real
//! accounts and access tokens, and the `expense import` CLI command.
//!
//! Accounts are registered and signed in through the API (argon2 makes that slow on purpose, so
//! only the accounts the load connections use are real); the other users of the fill exist only
//! as `user_id`s of their expenses, which is all the expenses service knows of any user.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use serde_json::json;
use uuid::Uuid;

use super::dataset::{import_csv, new_expense_json};
use super::http::Connection;
use super::load::{Outcome, Requests};
use super::usage::Watch;
use super::wire::RequestSpec;
use crate::process::{ServerProcess, free_port};

/// The password of every benchmark account.
const PASSWORD: &str = "benchmark password 1234";

/// Where the service keeps its data.
#[derive(Debug, Clone)]
pub enum Store {
    /// A Postgres database, by URL.
    Postgres(String),
    /// The embedded default: SQLite files in the data directory.
    Sqlite,
}

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: Uuid,
    pub authorization: String,
}

/// A running `expense-server all`.
pub struct Service {
    pub server: ServerProcess,
    pub address: SocketAddr,
    data_dir: tempfile::TempDir,
}

impl Service {
    /// Starts the server on `store` and waits until it is ready.
    pub async fn start(binaries: &Path, store: &Store, log: &Path) -> anyhow::Result<Self> {
        let data_dir = tempfile::Builder::new().prefix("expense-bench-data-").tempdir()?;
        let address: SocketAddr = format!("127.0.0.1:{}", free_port()?).parse()?;
        let mut command = Command::new(binaries.join("expense-server"));
        command
            .arg("all")
            .env("EXPENSE_BIND_ADDR", address.to_string())
            .env("EXPENSE_DATA_DIR", data_dir.path())
            .env("EXPENSE_LOG", "warn")
            .env("LOGIN_ATTEMPTS_PER_ACCOUNT", "1000000")
            .env("LOGIN_ATTEMPTS_PER_ADDRESS", "1000000")
            .env("DATABASE_MAX_CONNECTIONS", "32")
            // Tokens must outlive a long run; the default is 15 minutes.
            .env("ACCESS_TOKEN_TTL_SECS", "86400")
            .env_remove("AUTH_URL");
        match store {
            Store::Postgres(url) => command.env("DATABASE_URL", url),
            Store::Sqlite => command.env_remove("DATABASE_URL"),
        };
        let mut server =
            ServerProcess::spawn("expense-server", &format!("http://{address}"), &mut command, log)?;
        server
            .wait_until("/readyz", || super::http::answers(address, "/readyz"))
            .await?;
        Ok(Self {
            server,
            address,
            data_dir,
        })
    }

    /// The expenses service's SQLite file (when running on SQLite).
    pub fn sqlite_file(&self) -> PathBuf {
        self.data_dir.path().join("expenses.sqlite3")
    }

    /// Registers and signs in `count` accounts, four at a time.
    pub async fn accounts(&self, count: usize) -> anyhow::Result<Vec<Account>> {
        let run = std::process::id();
        let mut tasks = Vec::new();
        for worker in 0..4 {
            let address = self.address;
            tasks.push(tokio::spawn(async move {
                let mut connection = Connection::open(address).await?;
                let mut accounts = Vec::new();
                for index in (worker..count).step_by(4) {
                    let email = format!("bench-{run}-{index}@example.com");
                    accounts.push((index, sign_up(&mut connection, &email).await?));
                }
                anyhow::Ok(accounts)
            }));
        }
        let mut accounts = Vec::new();
        for task in tasks {
            accounts.extend(task.await??);
        }
        accounts.sort_by_key(|(index, _)| *index);
        Ok(accounts.into_iter().map(|(_, account)| account).collect())
    }
}

/// Registers `email` and signs it in.
pub async fn sign_up(connection: &mut Connection, email: &str) -> anyhow::Result<Account> {
    let credentials = json!({ "email": email, "password": PASSWORD });
    let (status, body) = connection
        .post_json("/v1/auth/register", None, &credentials)
        .await?;
    if status.as_u16() != 201 {
        bail!("register answered {status}: {}", String::from_utf8_lossy(&body));
    }
    let user: serde_json::Value = serde_json::from_slice(&body)?;
    let id: Uuid = user["id"]
        .as_str()
        .context("register answer without id")?
        .parse()?;
    let (status, body) = connection.post_json("/v1/auth/login", None, &credentials).await?;
    if !status.is_success() {
        bail!("login answered {status}: {}", String::from_utf8_lossy(&body));
    }
    let session: serde_json::Value = serde_json::from_slice(&body)?;
    let token = session["access_token"]
        .as_str()
        .context("login answer without access_token")?;
    Ok(Account {
        id,
        authorization: format!("Bearer {token}"),
    })
}

/// Distinct create bodies each connection cycles through.
const CREATE_CYCLE: u64 = 32;

/// `POST /v1/expenses`, connection `i` signed in as account `i % accounts`; amount, category and
/// day vary with each request.
pub fn create_workload(accounts: &[Account]) -> Requests {
    let authorizations: Vec<String> = accounts.iter().map(|a| a.authorization.clone()).collect();
    Requests::new(CREATE_CYCLE, move |connection, sequence| {
        let authorization = &authorizations[connection % authorizations.len()];
        let body = new_expense_json(sequence * 64 + connection as u64);
        RequestSpec::post_json("/v1/expenses", Some(authorization), body)
    })
}

/// `GET /v1/expenses?limit=50` (the newest page), connection `i` as account `i % accounts`.
pub fn list_workload(accounts: &[Account]) -> Requests {
    let authorizations: Vec<String> = accounts.iter().map(|a| a.authorization.clone()).collect();
    Requests::new(1, move |connection, _| {
        let authorization = &authorizations[connection % authorizations.len()];
        RequestSpec::get("/v1/expenses?limit=50", Some(authorization))
    })
}

/// Whether this build of the CLI has `expense import`.
pub fn import_available(binaries: &Path) -> bool {
    Command::new(binaries.join("expense"))
        .args(["import", "--help"])
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Runs `expense import` of `rows` rows as `account`; rows per second.
pub async fn import(
    binaries: &Path,
    address: SocketAddr,
    account: &Account,
    rows: u64,
    work_dir: &Path,
    watch: Watch,
) -> anyhow::Result<Outcome> {
    let file = work_dir.join("import.csv");
    std::fs::write(&file, import_csv(rows))?;
    let config_dir = tempfile::Builder::new().prefix("expense-bench-cli-").tempdir()?;
    let token = account.authorization.trim_start_matches("Bearer ");
    let probe = watch.begin().await;
    let started = Instant::now();
    let output = tokio::process::Command::new(binaries.join("expense"))
        .arg("import")
        .arg(&file)
        .env("EXPENSE_API_URL", format!("http://{address}"))
        .env("EXPENSE_TOKEN", token)
        .env("EXPENSE_CONFIG_DIR", config_dir.path())
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .context("cannot run expense import")?;
    let seconds = started.elapsed().as_secs_f64();
    let usage = probe.end().await;
    if !output.status.success() {
        bail!(
            "expense import failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(Outcome::bulk(rows, seconds, usage))
}
