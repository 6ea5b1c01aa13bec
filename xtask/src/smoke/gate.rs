//! The smoke stage of `cargo xtask test` (and `cargo xtask smoke --local`): the smoke test
//! passes against `expense-server all` on its embedded defaults AND against the split topology
//! (every role its own process on Postgres, events through SNS/SQS on moto, behind the ALB
//! stand-in), each started here on free ports and stopped afterwards, pass or fail.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use super::{Report, check, log_dir};
use crate::process::{ServerProcess, free_port};
use crate::project::{cargo, root, run_checked};
use crate::split::{self, Topology};
use crate::{postgres, tools};

/// Runs the stage against the Postgres server at `postgres_admin_url`, with moto from `python`.
pub fn run(python: &Path, postgres_admin_url: &str) -> anyhow::Result<()> {
    run_checked(
        cargo().args(["build", "--locked", "--quiet", "-p", "expense-server"]),
        "cargo build -p expense-server",
    )?;
    std::fs::create_dir_all(log_dir())?;
    let started = Instant::now();
    let result = crate::infra::aws::block_on(async {
        let all = smoke_all().await;
        let split = smoke_split(python, postgres_admin_url).await;
        let mut failures = Vec::new();
        for (name, outcome) in [("expense-server all", all), ("the split topology", split)] {
            match outcome {
                Ok(report) if report.ok => {}
                Ok(report) => failures.push(format!("against {name}: {}", report.summary_line())),
                Err(error) => failures.push(format!("against {name}: {error:#}")),
            }
        }
        if !failures.is_empty() {
            bail!(
                "{}\n(the servers' logs are in {})",
                failures.join("\n"),
                log_dir().display()
            );
        }
        Ok(())
    });
    eprintln!(
        "\nBoth topologies started, smoke-tested and stopped in {} ms",
        started.elapsed().as_millis()
    );
    result
}

/// `cargo xtask smoke --local`: the stage alone, with the tools and a Postgres of its own.
pub fn run_local() -> anyhow::Result<()> {
    let tools = tools::ensure()?;
    let database = postgres::start_for_tests()?;
    let result = run(&tools.python(), &database.admin_url());
    database.stop()?;
    result
}

/// `expense-server all` on a free port with a fresh data directory, as `cargo xtask up` runs it.
async fn smoke_all() -> anyhow::Result<Report> {
    let started = Instant::now();
    let data = tempfile::Builder::new().prefix("expense-smoke-all-").tempdir()?;
    let address = format!("127.0.0.1:{}", free_port()?);
    let url = format!("http://{address}");
    let mut command = Command::new(root().join("target/debug/expense-server"));
    command
        .arg("all")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("EXPENSE_BIND_ADDR", &address)
        .env("EXPENSE_DATA_DIR", data.path())
        .env("EXPENSE_LOG_FORMAT", "json");
    let mut server = ServerProcess::spawn(
        "expense-server all",
        &url,
        &mut command,
        &log_dir().join("all.log"),
    )?;
    server.wait_until_ready(&reqwest::Client::new()).await?;
    eprintln!(
        "\nexpense-server all is ready at {url} (pid {}) after {} ms",
        server.pid(),
        started.elapsed().as_millis()
    );
    let report = check(&url).await;
    server.stop();
    Ok(report)
}

/// The split topology on a fresh database of the test server and a fresh moto.
async fn smoke_split(python: &Path, postgres_admin_url: &str) -> anyhow::Result<Report> {
    let started = Instant::now();
    let name = format!("smoke_split_{}", uuid::Uuid::now_v7().simple());
    let options = split::Options {
        front_door_port: 0,
        role_ports: None,
        database_url: split::create_database(postgres_admin_url, &name).await?,
        python: python.to_owned(),
        binaries: root().join("target/debug"),
        log_dir: log_dir().join("split"),
        log_format: "json".to_owned(),
    };
    let topology = Topology::start(&options)
        .await
        .context("cannot start the split topology")?;
    let roles: Vec<String> = topology
        .roles()
        .iter()
        .map(|role| format!("{} {} (pid {})", role.name(), role.url(), role.pid()))
        .collect();
    eprintln!(
        "\nThe split topology is ready behind {} after {} ms: {}",
        topology.url(),
        started.elapsed().as_millis(),
        roles.join(", ")
    );
    let report = check(&topology.url()).await;
    topology.stop();
    Ok(report)
}
