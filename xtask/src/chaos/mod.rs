//! `cargo xtask chaos`: faults under load, measured (docs/reliability.md). Not part of
//! `cargo xtask test`: it takes minutes of both cores and its figures are for reading.
//!
//! It starts the split topology (every role its own process on one throwaway Postgres, events
//! through SNS/SQS on moto, behind the ALB stand-in), then runs one scenario per fault, each with
//! a fresh user: a bounded load of creates and reads through the front door, the fault injected
//! at a fixed time, the rows read back from Postgres, the guarantees judged. A table per
//! scenario goes to stderr, the report as JSON to stdout with `--json`, every raw answer to
//! `target/chaos/<scenario>.attempts.json`; the exit code is non-zero when a guarantee broke.
//!
//! Reading order: [`load`] (the clients, which behave as the CLI), [`scenario`] (the faults),
//! [`verify`] (the database against what clients were told), [`report`] (the verdicts). It
//! reuses `split` to start the roles and restart one, and never changes the server.

mod load;
mod report;
mod scenario;
mod verify;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::project::{cargo, root, run_checked, step};
use crate::split::{self, Topology};
use crate::{postgres, tools};
use report::{Machine, Report};
use scenario::{Fault, LoadShape, Platform};

#[derive(Debug, clap::Args)]
pub struct ChaosArgs {
    /// Print the JSON report on stdout.
    #[arg(long)]
    pub json: bool,
    /// Concurrent clients (8 to 16 is the intended range).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub clients: u16,
    /// Seconds of load per scenario.
    #[arg(long, default_value_t = 20)]
    pub duration_secs: u64,
    /// When the fault comes, in seconds after the load started.
    #[arg(long, default_value_t = 5)]
    pub fault_at_secs: u64,
    /// Each client's pause between two requests, in milliseconds.
    #[arg(long, default_value_t = 20)]
    pub think_ms: u64,
    /// How long one try may take before it counts as a hang, in seconds.
    #[arg(long, default_value_t = 10)]
    pub timeout_secs: u64,
    /// Run only these scenarios (repeatable); all three by default.
    #[arg(long, value_enum)]
    pub only: Vec<Fault>,
}

pub fn run(args: &ChaosArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.fault_at_secs < args.duration_secs,
        "--fault-at-secs must come before the end of the load (--duration-secs)"
    );
    let started = Instant::now();
    step("Building expense-server");
    run_checked(
        cargo().args(["build", "--locked", "--quiet", "-p", "expense-server"]),
        "cargo build -p expense-server",
    )?;
    postgres::ensure_installed()?;
    let tools = tools::ensure()?;
    let faults: Vec<Fault> = if args.only.is_empty() {
        Fault::ALL.to_vec()
    } else {
        Fault::ALL
            .into_iter()
            .filter(|fault| args.only.contains(fault))
            .collect()
    };
    let shape = LoadShape {
        clients: usize::from(args.clients),
        duration_secs: args.duration_secs,
        fault_at_secs: args.fault_at_secs,
        think_ms: args.think_ms,
        timeout_secs: args.timeout_secs,
    };
    let machine = Machine::here();
    step("Starting Postgres, moto and the split topology");
    let database = Arc::new(postgres::start_for_tests()?);
    // Two workers: the clients, the prober and the front door must not wait on one another.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let scenarios = runtime.block_on(run_scenarios(
        &faults,
        &shape,
        Arc::clone(&database),
        tools.python(),
    ))?;
    drop(runtime);
    drop(database);
    let report = Report {
        machine,
        load: shape,
        ok: scenarios.iter().all(|s| s.ok),
        scenarios,
        total_ms: started.elapsed().as_millis(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    let broken: Vec<String> = report
        .scenarios
        .iter()
        .flat_map(|s| {
            s.guarantees
                .iter()
                .filter(|g| !g.ok)
                .map(move |g| format!("{}: {}", s.name, g.name))
        })
        .collect();
    eprintln!(
        "\n{} scenario(s) in {:.1} s on {} CPUs (load average {} at the start); logs in {}",
        report.scenarios.len(),
        report.total_ms as f64 / 1000.0,
        report.machine.cpus,
        report.machine.load_average,
        log_dir().strip_prefix(root()).unwrap_or(&log_dir()).display()
    );
    if !broken.is_empty() {
        bail!("broken guarantees:\n  {}", broken.join("\n  "));
    }
    eprintln!("Every guarantee held.");
    Ok(())
}

async fn run_scenarios(
    faults: &[Fault],
    shape: &LoadShape,
    postgres: Arc<expense_testkit::postgres::EphemeralPostgres>,
    python: PathBuf,
) -> anyhow::Result<Vec<report::ScenarioReport>> {
    let options = split::Options {
        front_door_port: 0,
        role_ports: None,
        database_url: split::create_database(&postgres.admin_url(), "expense").await?,
        python,
        binaries: root().join("target/debug"),
        log_dir: log_dir(),
        log_format: "json".to_owned(),
    };
    let topology = Topology::start(&options)
        .await
        .context("cannot start the split topology")?;
    eprintln!("The split topology is ready behind {}", topology.url());
    let mut platform = Platform {
        topology,
        postgres,
        database_url: options.database_url.clone(),
    };
    let mut reports = Vec::new();
    let mut failure = None;
    for fault in faults {
        step(&format!(
            "{}: {} clients for {} s, the fault at {} s",
            fault.title(),
            shape.clients,
            shape.duration_secs,
            shape.fault_at_secs
        ));
        match scenario::run(*fault, &mut platform, shape).await {
            Ok(outcome) => {
                save_attempts(fault.name(), &outcome);
                let judged = report::judge(*fault, outcome);
                eprint!("{}", report::table(&judged));
                reports.push(judged);
            }
            Err(error) => {
                failure = Some(error.context(format!("scenario {} could not run", fault.name())));
                break;
            }
        }
    }
    platform.topology.stop();
    match failure {
        Some(error) => Err(error),
        None => Ok(reports),
    }
}

/// Every raw answer of a scenario, for a closer look than the table gives.
fn save_attempts(name: &str, outcome: &scenario::Outcome) {
    let file = root().join(format!("target/chaos/{name}.attempts.json"));
    let all = serde_json::json!({
        "timeline": outcome.timeline,
        "attempts": outcome.attempts,
        "probes": outcome.probes,
        "ops": outcome.ops,
    });
    if let Err(error) = std::fs::write(&file, all.to_string()) {
        eprintln!("warning: cannot write {}: {error}", file.display());
    }
}

fn log_dir() -> PathBuf {
    root().join("target/chaos/logs")
}
