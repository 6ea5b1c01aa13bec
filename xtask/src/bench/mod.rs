//! `cargo xtask bench`: issue 4's benchmark. Measures, in one run on this machine, raw Postgres
//! (pgbench), the service on Postgres and on SQLite, and PocketBase as the peer, and reports each
//! figure as a ratio to its same-run reference (see `docs/benchmarks.md`).
//!
//! Reading order: [`phases`] (what runs, in order), [`dataset`] (the rows every store gets),
//! [`fill`] (loading them), [`pgbench`] (the raw baseline), [`service`] and [`pocketbase`] (the
//! servers under test), [`roles`] (the split roles' memory), [`load`] (the load generator, on
//! [`wire`], its minimal HTTP/1.1 client), [`wrk`] (the cross-check), [`hyper_load`] (the
//! generator of earlier runs, on [`http`], which also sets the servers up), [`usage`] and
//! [`procfs`] (CPU and memory), [`report`]
//! (ratios, targets, table, JSON) and [`provenance`] (the commit and machine measured, and
//! `--record`).
//!
//! Every server started here is a [`crate::process::ServerProcess`], stopped by its pid when it
//! drops: on success, on error and on Ctrl-C.

mod dataset;
mod fill;
mod http;
mod hyper_load;
mod load;
mod pgbench;
mod phases;
mod pocketbase;
mod procfs;
mod provenance;
mod report;
mod roles;
mod service;
mod usage;
mod wire;
mod wrk;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use expense_testkit::postgres::{EphemeralPostgres, with_database};
use sqlx::PgPool;

use self::load::Plan;
use self::phases::{Database, Generators, Run};
use self::provenance::{Commit, Machine};
use self::report::Report;
use crate::project::{cargo, root, run_checked, step};

/// Postgres settings for the benchmark (docs/benchmarks.md): durable commits, production-like
/// memory. Not the test settings, which turn durability off.
const POSTGRES_SETTINGS: &[&str] = &[
    "shared_buffers=512MB",
    "effective_cache_size=4GB",
    "work_mem=16MB",
    "maintenance_work_mem=256MB",
    "wal_buffers=16MB",
    "max_wal_size=4GB",
    "checkpoint_completion_target=0.9",
    "random_page_cost=1.1",
    "synchronous_commit=on",
    "max_parallel_workers=2",
    "max_parallel_workers_per_gather=1",
    "max_connections=200",
];

/// The database the service and the raw baseline share (in different schemas).
const DATABASE: &str = "expense_bench";
/// Connection counts of every HTTP and pgbench workload.
const CONNECTIONS: [usize; 3] = [1, 8, 32];

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Seconds each figure is measured for (default 15, or 3 with --quick).
    #[arg(long, value_name = "SECS")]
    pub duration: Option<u64>,
    /// A quick check of the benchmark: 3-second figures over 100,000 rows of 100 users.
    #[arg(long)]
    pub quick: bool,
    /// Use the binaries already in target/ instead of building them first.
    #[arg(long)]
    pub no_build: bool,
    /// Measure debug builds: only to check the benchmark itself, the figures mean nothing.
    #[arg(long)]
    pub debug: bool,
    /// Also copy the run's JSON to docs/benchmarks/<date>-<commit>.json, to be committed with the
    /// docs that quote it.
    #[arg(long)]
    pub record: bool,
    /// Skip the cross-check of every HTTP figure with wrk.
    #[arg(long)]
    pub no_wrk: bool,
    /// Also measure every HTTP figure with the hyper-based load generator of earlier runs, to
    /// compare load generators.
    #[arg(long)]
    pub hyper: bool,
    /// Run only these parts (comma-separated): postgres (raw Postgres and the service on it),
    /// split (the split roles' memory), sqlite (PocketBase and the service on SQLite).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "PARTS")]
    pub only: Vec<Part>,
}

/// A part of the run (`--only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    Postgres,
    Split,
    Sqlite,
}

impl BenchArgs {
    fn runs(&self, part: Part) -> bool {
        self.only.is_empty() || self.only.contains(&part)
    }
}

/// How big a run is.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Rows filled before the list tests.
    pub rows: u64,
    /// Users those rows are spread over.
    pub users: u64,
    /// Rows of the COPY and import figures.
    pub bulk_rows: u64,
    pub warmup: Duration,
    pub duration: Duration,
}

impl Scale {
    fn of(args: &BenchArgs) -> Self {
        let (rows, users, bulk_rows, warmup, default_secs) = if args.quick {
            (100_000, 100, 10_000, Duration::from_millis(500), 3)
        } else {
            (1_000_000, 1_000, 100_000, Duration::from_secs(1), 15)
        };
        Self {
            rows,
            users,
            bulk_rows,
            warmup,
            duration: Duration::from_secs(args.duration.unwrap_or(default_secs).max(1)),
        }
    }

    fn plan(&self, connections: usize) -> Plan {
        Plan {
            connections,
            warmup: self.warmup,
            duration: self.duration,
        }
    }
}

pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    if cfg!(debug_assertions) && !args.debug {
        return run_optimised(args);
    }
    raise_priority();
    let scale = Scale::of(args);
    let profile = if args.debug { "debug" } else { "release" };
    if !args.no_build {
        let before = Commit::current();
        step(&format!(
            "Building expense-server and the expense CLI ({profile})"
        ));
        let mut build = cargo();
        build.args(["build", "--locked", "-p", "expense-server", "-p", "expense"]);
        if !args.debug {
            build.arg("--release");
        }
        run_checked(&mut build, "cargo build")?;
        unchanged_since(&before, args)?;
    }
    let binaries = root().join("target").join(profile);
    if !binaries.join("expense-server").exists() {
        bail!(
            "{} is missing: build it or drop --no-build",
            binaries.join("expense-server").display()
        );
    }
    let date = now();
    let commit = Commit::current();
    if args.record && args.debug {
        bail!("--record keeps figures to quote; debug builds' figures mean nothing");
    }
    crate::postgres::ensure_installed()?;
    let pocketbase_binary = if args.runs(Part::Sqlite) {
        Some(pocketbase::ensure_installed()?)
    } else {
        None
    };
    let wrk_version = if args.no_wrk {
        None
    } else {
        wrk::ensure_installed()?;
        Some(wrk::version().unwrap_or_else(|| "wrk ?".to_owned()))
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut report = Report {
        date: date.clone(),
        command: command_line(args),
        commit: commit.clone(),
        machine: Machine::current(pocketbase::VERSION, wrk_version),
        note: "The load generator and the servers share this machine's cores; compare ratios, \
               not absolute figures, across machines."
            .to_owned(),
        duration_secs: scale.duration.as_secs_f64(),
        warmup_secs: scale.warmup.as_secs_f64(),
        rows_filled: scale.rows,
        users: scale.users,
        ..Report::default()
    };
    runtime.block_on(async {
        tokio::select! {
            result = bench(args, &scale, &binaries, pocketbase_binary.as_deref(), &mut report) => result,
            _ = tokio::signal::ctrl_c() => bail!("interrupted; stopping everything that was started"),
        }
    })?;
    report.compare();
    let json = root().join("target/bench/expenses.json");
    report.write_json(&json)?;
    println!("\n{}", report.table());
    println!("Written to {}", json.display());
    if args.record {
        let recorded = provenance::record(&json, &date, &commit)?;
        println!(
            "Recorded as {} (commit it with the docs that quote it)",
            recorded.strip_prefix(root()).unwrap_or(&recorded).display()
        );
    }
    Ok(())
}

/// Raises this process's priority (nice -10) while it has no thread and no child yet, so every
/// thread and process the benchmark starts inherits it, and a neighbour's build on a shared
/// machine takes less from the figures. Needs root (CAP_SYS_NICE); without it the benchmark runs
/// at normal priority and says so.
fn raise_priority() {
    let raised = std::process::Command::new("renice")
        .args(["-n", "-10", "-p", &std::process::id().to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !raised {
        eprintln!(
            "note: cannot raise the benchmark's priority (renice needs root); neighbours will disturb it more"
        );
    }
}

/// The load generator shares the cores with the servers, so an unoptimised one would skew every
/// figure: `cargo xtask` (a debug build) builds xtask in release with the servers and runs the
/// benchmark from `target/release/xtask`.
/// A run is recorded under the commit it finds after the build: refuses to record when the work
/// tree changed while the binaries were built (they may hold neither the old nor the new state).
fn unchanged_since(before: &Commit, args: &BenchArgs) -> anyhow::Result<()> {
    let after = Commit::current();
    if args.record && !after.same_state(before) {
        bail!(
            "the work tree changed while the binaries were built (commit {} then {}, {} then {} changed files): \
             the recording would name a state the binaries may not hold; run again on a still tree",
            before.short(),
            after.short(),
            before.changes.len(),
            after.changes.len()
        );
    }
    Ok(())
}

fn run_optimised(args: &BenchArgs) -> anyhow::Result<()> {
    if !args.no_build {
        let before = Commit::current();
        step("Building expense-server, the expense CLI and the benchmark itself (release)");
        run_checked(
            cargo().args([
                "build",
                "--release",
                "--locked",
                "-p",
                "expense-server",
                "-p",
                "expense",
                "-p",
                "xtask",
            ]),
            "cargo build --release",
        )?;
        unchanged_since(&before, args)?;
    }
    let xtask = root().join("target/release/xtask");
    if !xtask.exists() {
        bail!("{} is missing: build it or drop --no-build", xtask.display());
    }
    let mut command = std::process::Command::new(xtask);
    command.args(["bench", "--no-build"]);
    command.args(forwarded(args));
    run_checked(&mut command, "target/release/xtask bench")
}

/// The options that say what to measure, as the release build is given them.
fn forwarded(args: &BenchArgs) -> Vec<String> {
    let mut forwarded = Vec::new();
    if args.quick {
        forwarded.push("--quick".to_owned());
    }
    if let Some(duration) = args.duration {
        forwarded.push(format!("--duration={duration}"));
    }
    for (set, flag) in [
        (args.record, "--record"),
        (args.no_wrk, "--no-wrk"),
        (args.hyper, "--hyper"),
    ] {
        if set {
            forwarded.push(flag.to_owned());
        }
    }
    if !args.only.is_empty() {
        let parts: Vec<&str> = args
            .only
            .iter()
            .map(|part| match part {
                Part::Postgres => "postgres",
                Part::Split => "split",
                Part::Sqlite => "sqlite",
            })
            .collect();
        forwarded.push(format!("--only={}", parts.join(",")));
    }
    forwarded
}

async fn bench(
    args: &BenchArgs,
    scale: &Scale,
    binaries: &Path,
    pocketbase_binary: Option<&Path>,
    report: &mut Report,
) -> anyhow::Result<()> {
    let work_dir = tempfile::Builder::new().prefix("expense-bench-").tempdir()?;
    let logs = root().join("target/bench/logs");
    std::fs::create_dir_all(&logs)?;
    let mut run = Run {
        scale: *scale,
        generators: Generators {
            wrk: !args.no_wrk,
            hyper: args.hyper,
        },
        binaries,
        logs,
        work_dir: work_dir.path(),
        report,
    };
    if args.runs(Part::Postgres) || args.runs(Part::Split) {
        on_postgres(args, &mut run).await?;
    }
    if let Some(pocketbase_binary) = pocketbase_binary {
        step("PocketBase and the service on SQLite, run by run");
        run.sqlite(pocketbase_binary).await?;
    }
    Ok(())
}

/// The parts that need Postgres: raw and service figures, and the split roles' memory.
async fn on_postgres(args: &BenchArgs, run: &mut Run<'_>) -> anyhow::Result<()> {
    step("Starting Postgres with the benchmark settings");
    let postgres = EphemeralPostgres::start_with(POSTGRES_SETTINGS).context("cannot start Postgres")?;
    let admin = PgPool::connect(&postgres.admin_url()).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {DATABASE}")))
        .execute(&admin)
        .await?;
    admin.close().await;
    let url = with_database(&postgres.admin_url(), DATABASE);
    let database = Database {
        server: &postgres,
        name: DATABASE,
        pool: PgPool::connect(&url).await?,
        url,
        postmaster: postmaster_pid(postgres.data_dir())?,
    };
    if args.runs(Part::Postgres) {
        step("Raw Postgres (pgbench) and the service on Postgres, run by run");
        run.postgres(&database).await?;
    }
    if args.runs(Part::Split) {
        step("The split roles' memory, each role its own process on Postgres");
        run.split_roles(&database).await?;
    }
    database.pool.close().await;
    step("Stopping Postgres");
    postgres.stop()?;
    Ok(())
}

/// The postmaster's pid: the first line of `postmaster.pid` in its data directory.
fn postmaster_pid(data_dir: &Path) -> anyhow::Result<u32> {
    let file = data_dir.join("postmaster.pid");
    let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
    text.lines()
        .next()
        .and_then(|line| line.trim().parse().ok())
        .context("postmaster.pid without a pid")
}

/// Now, RFC 3339 in UTC to the second.
fn now() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        now.date(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

fn command_line(args: &BenchArgs) -> String {
    let mut command = String::from("cargo xtask bench");
    for option in forwarded(args) {
        command.push(' ');
        command.push_str(&option);
    }
    if args.debug {
        command.push_str(" --debug");
    }
    command
}
