//! One scenario of `cargo xtask chaos`: a fresh user, the load and the prober started, the
//! fault injected at a fixed time, the load run to its end, then the database read.
//!
//! The faults, and when the dependency counts as back (the start of the recovery clock):
//!
//! - `postgres`: `pg_ctl restart -m fast` of the one Postgres every role uses (it ends every
//!   session, then starts again); back when a new connection is accepted again, as seen by a
//!   connection attempt every 50 ms.
//! - `receipts`: SIGKILL to the receipts process, which cannot drain; started again at once with
//!   the same environment, as the kubelet restarts a container; back when its `/readyz` answers.
//! - `expenses`: SIGTERM to the expenses process, as Kubernetes sends after the preStop sleep;
//!   it must drain and exit 0 within its grace period; then started again; back when ready.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use expense_testkit::postgres::EphemeralPostgres;
use reqwest::Method;
use serde::Serialize;
use sqlx::Connection;
use uuid::Uuid;

use super::load::{self, Attempt, Client, Operation};
use super::verify::{self, DatabaseFigures};
use crate::split::Topology;

/// `SHUTDOWN_GRACE_SECS` of the roles: the server's default (server/kit/src/config.rs), which
/// the split topology keeps.
pub const SHUTDOWN_GRACE_SECS: u64 = 25;

/// How long the prober waits for one answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// The faults, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// (a) Postgres restarted.
    Postgres,
    /// (b) The receipts process killed (SIGKILL) and started again.
    Receipts,
    /// (c) The expenses process stopped (SIGTERM) mid-load and started again.
    Expenses,
}

impl Fault {
    pub const ALL: [Fault; 3] = [Fault::Postgres, Fault::Receipts, Fault::Expenses];

    pub fn name(self) -> &'static str {
        match self {
            Fault::Postgres => "postgres-restart",
            Fault::Receipts => "receipts-sigkill",
            Fault::Expenses => "expenses-sigterm",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Fault::Postgres => "(a) Postgres restarted (pg_ctl restart -m fast)",
            Fault::Receipts => "(b) receipts process killed (SIGKILL) and started again",
            Fault::Expenses => "(c) expenses process stopped (SIGTERM), drained and started again",
        }
    }

    /// What the recovery clock starts at.
    pub fn back_means(self) -> &'static str {
        match self {
            Fault::Postgres => "Postgres accepts connections again",
            Fault::Receipts => "the receipts process is ready",
            Fault::Expenses => "the expenses process is ready",
        }
    }

    /// The prober's path: a read that needs what the fault takes away.
    fn probe_path(self, seed: Uuid) -> String {
        match self {
            Fault::Postgres | Fault::Expenses => "/v1/expenses?limit=1".to_owned(),
            Fault::Receipts => format!("/v1/expenses/{seed}/receipts"),
        }
    }
}

/// How the load is shaped.
#[derive(Debug, Clone, Serialize)]
pub struct LoadShape {
    pub clients: usize,
    pub duration_secs: u64,
    pub fault_at_secs: u64,
    pub think_ms: u64,
    pub timeout_secs: u64,
}

/// What happened to the dependency, in milliseconds since the load started.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timeline {
    /// When the fault was injected.
    pub fault_ms: f64,
    /// When the dependency was seen gone (a refused connection; the process exited).
    pub down_ms: Option<f64>,
    /// When the dependency was back: the start of the recovery clock.
    pub back_ms: Option<f64>,
    /// How the process under fault exited, for the two process faults.
    pub exit: Option<Exit>,
    /// What happened, in order, for the table.
    pub events: Vec<(f64, String)>,
}

/// How a signalled process ended.
#[derive(Debug, Clone, Serialize)]
pub struct Exit {
    pub signal: String,
    /// `exit status: 0`, `signal: 9 (SIGKILL)`, or `still running` when it did not exit.
    pub status: String,
    pub code: Option<i32>,
    /// From the signal to the exit.
    pub after_ms: f64,
}

/// What one scenario produced, before judging.
pub struct Outcome {
    pub timeline: Timeline,
    pub attempts: Vec<Attempt>,
    pub ops: Vec<Operation>,
    pub probes: Vec<Attempt>,
    pub database: DatabaseFigures,
}

/// What the scenarios act on.
pub struct Platform {
    pub topology: Topology,
    pub postgres: Arc<EphemeralPostgres>,
    /// The database of every service's schema, as the roles use it.
    pub database_url: String,
}

/// Runs `fault` under the load.
pub async fn run(fault: Fault, platform: &mut Platform, shape: &LoadShape) -> anyhow::Result<Outcome> {
    let base_url = platform.topology.url();
    let (user, token) = load::sign_up(&base_url)
        .await
        .context("cannot sign up the load's user")?;
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let seed = seed_expense(&base_url, &token, &today).await?;
    let started = Instant::now();
    let timeout = Duration::from_secs(shape.timeout_secs);
    let clients = Arc::new(Client::new(&base_url, &token, started, timeout, true)?);
    let prober = Arc::new(Client::new(&base_url, &token, started, PROBE_TIMEOUT, false)?);
    let deadline = started + Duration::from_secs(shape.duration_secs);
    let think = Duration::from_millis(shape.think_ms);
    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..shape.clients {
        tasks.spawn(load::client_loop(
            Arc::clone(&clients),
            index,
            deadline,
            think,
            today.clone(),
        ));
    }
    tasks.spawn(load::probe_loop(
        Arc::clone(&prober),
        fault.probe_path(seed),
        deadline,
    ));
    tokio::time::sleep_until((started + Duration::from_secs(shape.fault_at_secs)).into()).await;
    let clock = || started.elapsed().as_secs_f64() * 1000.0;
    let timeline = match fault {
        Fault::Postgres => restart_postgres(platform, &clock).await?,
        Fault::Receipts => kill_and_restart(platform, "receipts", "KILL", &clock).await?,
        Fault::Expenses => kill_and_restart(platform, "expenses", "TERM", &clock).await?,
    };
    while let Some(joined) = tasks.join_next().await {
        joined.context("a client of the load panicked")?;
    }
    let ops = clients.recorder.ops();
    let rows = verify::read(&platform.database_url, user).await?;
    Ok(Outcome {
        timeline,
        attempts: clients.recorder.attempts(),
        database: verify::check(&ops, &rows),
        ops,
        probes: prober.recorder.attempts(),
    })
}

/// The prober's expense (its note is not a load key, so the checks leave it out).
async fn seed_expense(base_url: &str, token: &str, today: &str) -> anyhow::Result<Uuid> {
    let setup = Client::new(base_url, token, Instant::now(), Duration::from_secs(30), true)?;
    let mut body = load::new_expense("probe", today);
    body["note"] = "chaos-probe".into();
    let (op, _) = setup
        .call(
            load::RequestKind::CreateExpense,
            Method::POST,
            "/v1/expenses",
            Some(&body),
            Some(&Uuid::now_v7().to_string()),
        )
        .await;
    op.created
        .filter(|_| op.ok())
        .with_context(|| format!("cannot create the prober's expense ({:?})", op.class))
}

/// `pg_ctl restart -m fast`, watched by a connection attempt every 50 ms.
async fn restart_postgres(platform: &Platform, clock: &impl Fn() -> f64) -> anyhow::Result<Timeline> {
    let mut timeline = Timeline {
        fault_ms: clock(),
        ..Timeline::default()
    };
    timeline
        .events
        .push((timeline.fault_ms, "pg_ctl restart -m fast".to_owned()));
    let admin_url = platform.postgres.admin_url();
    let postgres = Arc::clone(&platform.postgres);
    let restart = tokio::task::spawn_blocking(move || postgres.restart());
    let mut restarted_ms = None;
    let watch_until = Instant::now() + Duration::from_secs(60);
    while Instant::now() < watch_until {
        let attempt = sqlx::PgConnection::connect(&admin_url);
        let accepted = match tokio::time::timeout(Duration::from_secs(1), attempt).await {
            Ok(Ok(connection)) => {
                let _ = connection.close().await;
                true
            }
            _ => false,
        };
        let now = clock();
        if !accepted && timeline.down_ms.is_none() {
            timeline.down_ms = Some(now);
            timeline
                .events
                .push((now, "Postgres refuses connections".to_owned()));
        }
        if accepted && timeline.down_ms.is_some() && timeline.back_ms.is_none() {
            timeline.back_ms = Some(now);
            timeline
                .events
                .push((now, "Postgres accepts connections again".to_owned()));
        }
        if restart.is_finished() && restarted_ms.is_none() {
            restarted_ms = Some(now);
        }
        let seen_through = timeline.back_ms.is_some() && restarted_ms.is_some();
        let too_quick_to_see = timeline.down_ms.is_none() && restarted_ms.is_some_and(|at| now - at > 1000.0);
        if seen_through || too_quick_to_see {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    restart.await.context("the restart task panicked")??;
    if timeline.back_ms.is_none() {
        let at = restarted_ms.unwrap_or_else(clock);
        timeline.back_ms = Some(at);
        timeline.events.push((
            at,
            "pg_ctl restart returned (no refused connection was seen)".to_owned(),
        ));
    }
    Ok(timeline)
}

/// Signals a role, waits for it to exit, starts it again and waits until it is ready.
async fn kill_and_restart(
    platform: &mut Platform,
    role: &str,
    signal: &str,
    clock: &impl Fn() -> f64,
) -> anyhow::Result<Timeline> {
    let process = platform
        .topology
        .role_mut(role)
        .with_context(|| format!("no {role} process"))?;
    let pid = process.pid();
    // Taken before the signal, so every request the signal can reach started before it.
    let mut timeline = Timeline {
        fault_ms: clock(),
        ..Timeline::default()
    };
    process.signal(signal)?;
    timeline
        .events
        .push((timeline.fault_ms, format!("SIG{signal} to {role} (pid {pid})")));
    let give_up = Instant::now() + Duration::from_secs(SHUTDOWN_GRACE_SECS + 5);
    let status = loop {
        if let Some(status) = process.exited()? {
            break Some(status);
        }
        if Instant::now() > give_up {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let now = clock();
    timeline.exit = Some(Exit {
        signal: format!("SIG{signal}"),
        status: status.map_or_else(|| "still running".to_owned(), |s| s.to_string()),
        code: status.and_then(|s| s.code()),
        after_ms: now - timeline.fault_ms,
    });
    if status.is_some() {
        timeline.down_ms = Some(now);
        let status = status.map(|s| s.to_string()).unwrap_or_default();
        timeline.events.push((now, format!("{role} exited ({status})")));
    }
    platform.topology.restart_role(role).await?;
    let now = clock();
    timeline.back_ms = Some(now);
    let pid = platform.topology.role_mut(role).map_or(0, |p| p.pid());
    timeline
        .events
        .push((now, format!("{role} started again (pid {pid}) and ready")));
    Ok(timeline)
}
