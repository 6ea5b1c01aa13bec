//! The results: one row per workload, backend, connection count and load generator, with ratios
//! to the reference measured in the same run (raw pgbench for the service on Postgres, PocketBase
//! for the service on SQLite, each measured by the same generator) and the targets of issue 4;
//! how far our generator's figures are from wrk's; the servers' memory (the all-in-one process
//! and each split role); what run produced them (commit, machine); printed as a table and
//! written to `target/bench/expenses.json`.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::load::Outcome;
use super::provenance::{Commit, Machine};

/// Where a figure was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// Postgres itself, through pgbench or COPY.
    PostgresRaw,
    ServicePostgres,
    ServiceSqlite,
    PocketBase,
}

impl Backend {
    pub fn label(self) -> &'static str {
        match self {
            Backend::PostgresRaw => "postgres raw",
            Backend::ServicePostgres => "service/postgres",
            Backend::ServiceSqlite => "service/sqlite",
            Backend::PocketBase => "pocketbase",
        }
    }

    /// What this backend's figures are compared with.
    fn reference(self) -> Option<Backend> {
        match self {
            Backend::ServicePostgres => Some(Backend::PostgresRaw),
            Backend::ServiceSqlite => Some(Backend::PocketBase),
            Backend::PostgresRaw | Backend::PocketBase => None,
        }
    }
}

/// Who sent the load (or the rows) of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Generator {
    /// pgbench, for the raw Postgres figures.
    Pgbench,
    /// COPY through the benchmark's own Postgres connection.
    Copy,
    /// `expense import`.
    Cli,
    /// The benchmark's load generator (`load`, on `wire`): the figures the targets are judged on.
    Xtask,
    /// wrk, the cross-check.
    Wrk,
    /// The hyper-based generator of earlier runs (`--hyper`).
    Hyper,
}

impl Generator {
    fn label(self) -> &'static str {
        match self {
            Generator::Pgbench => "pgbench",
            Generator::Copy => "copy",
            Generator::Cli => "CLI",
            Generator::Xtask => "xtask",
            Generator::Wrk => "wrk",
            Generator::Hyper => "hyper",
        }
    }

    /// Whether the targets are judged on this generator's figures.
    fn judged(self) -> bool {
        matches!(self, Generator::Xtask | Generator::Cli)
    }
}

/// What was measured. Raw Postgres's equivalents are a single-row INSERT, a keyset page and COPY.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Workload {
    List,
    Create,
    Import,
}

impl Workload {
    fn label(self, backend: Backend) -> &'static str {
        match (self, backend) {
            (Workload::Create, Backend::PostgresRaw) => "INSERT (pgbench)",
            (Workload::List, Backend::PostgresRaw) => "page (pgbench)",
            (Workload::Import, Backend::PostgresRaw) => "COPY",
            (Workload::Create, _) => "create",
            (Workload::List, _) => "list 50",
            (Workload::Import, _) => "import",
        }
    }
}

/// One figure.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub workload: Workload,
    pub backend: Backend,
    pub generator: Generator,
    pub label: String,
    /// Concurrent connections (pgbench clients); none for COPY and import.
    pub connections: Option<usize>,
    /// Requests per second (rows per second for COPY and import); none when not measured.
    pub throughput: Option<f64>,
    pub unit: &'static str,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub requests: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    /// Server CPU per request: the HTTP server's process (expense-server, PocketBase).
    pub app_cpu_us_per_request: Option<f64>,
    /// Server CPU per request: every Postgres process.
    pub database_cpu_us_per_request: Option<f64>,
    /// CPU per request of the load generator (its own threads, or the pgbench, wrk or CLI
    /// process), which shares the cores.
    pub load_generator_cpu_us_per_request: Option<f64>,
    /// CPU per request of the rest of the benchmark process (sampling memory, reading counters).
    pub harness_cpu_us_per_request: Option<f64>,
    /// Transactions Postgres committed per request (read-only ones too), approximately.
    pub database_commits_per_request: Option<f64>,
    /// WAL flushes to disk per request, approximately.
    pub wal_syncs_per_request: Option<f64>,
    /// CPU used by processes that are not part of the benchmark, as a percentage of the machine
    /// over the window: above a few percent, the figure is disturbed.
    pub other_load_percent: Option<f64>,
    /// Throughput divided by the reference's (see `reference`).
    pub ratio: Option<f64>,
    pub reference: Option<String>,
    /// Throughput divided by wrk's for the same workload, backend and connections (on the
    /// xtask and hyper generators' rows): 1.0 when both generators see the same service.
    pub versus_wrk: Option<f64>,
    /// The least ratio issue 4 asks for, and whether it was reached.
    pub target: Option<f64>,
    pub target_met: Option<bool>,
    pub note: Option<String>,
}

/// Memory of one server process.
#[derive(Debug, Clone, Serialize)]
pub struct Memory {
    pub server: String,
    /// After start-up, before any load, KiB.
    pub idle_kib: u64,
    /// After the set-up: accounts signed up and in (argon2), data filled, KiB.
    pub set_up_kib: Option<u64>,
    /// The most seen during the measured windows, KiB.
    pub loaded_kib: u64,
    /// VmHWM at the end (includes set-up, such as password hashing), KiB; none for Postgres.
    pub peak_kib: Option<u64>,
    pub measure: &'static str,
    /// How it was loaded, for the split roles.
    pub note: Option<String>,
}

/// Everything one run measured.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// When the run started, RFC 3339, UTC.
    pub date: String,
    pub command: String,
    /// The commit measured, and whether the work tree differed from it.
    pub commit: Commit,
    pub machine: Machine,
    pub note: String,
    pub duration_secs: f64,
    pub warmup_secs: f64,
    pub rows_filled: u64,
    pub users: u64,
    /// What each workload's first answer was checked to be, before its figures.
    pub checks: Vec<String>,
    pub rows: Vec<Row>,
    pub memory: Vec<Memory>,
}

impl Report {
    /// Adds a measured figure.
    pub fn add(
        &mut self,
        workload: Workload,
        backend: Backend,
        generator: Generator,
        connections: Option<usize>,
        outcome: &Outcome,
    ) {
        let count_per_request = |count: f64| (outcome.requests > 0).then(|| count / outcome.requests as f64);
        let per_request = |seconds: f64| count_per_request(seconds * 1e6);
        let timed = outcome.latency.p50_ms > 0.0;
        let uses_app = backend != Backend::PostgresRaw;
        let uses_database = matches!(backend, Backend::PostgresRaw | Backend::ServicePostgres);
        let row = Row {
            workload,
            backend,
            generator,
            label: workload.label(backend).to_owned(),
            connections,
            throughput: Some(outcome.per_second),
            unit: if workload == Workload::Import {
                "rows/s"
            } else {
                "req/s"
            },
            p50_ms: timed.then_some(outcome.latency.p50_ms),
            p99_ms: timed.then_some(outcome.latency.p99_ms),
            requests: outcome.requests,
            errors: outcome.errors,
            first_error: outcome.first_error.clone(),
            app_cpu_us_per_request: uses_app
                .then(|| per_request(outcome.usage.app_cpu_seconds))
                .flatten(),
            database_cpu_us_per_request: uses_database
                .then(|| per_request(outcome.usage.database_cpu_seconds))
                .flatten(),
            load_generator_cpu_us_per_request: per_request(outcome.usage.load_generator_cpu_seconds),
            harness_cpu_us_per_request: per_request(outcome.usage.harness_cpu_seconds),
            database_commits_per_request: uses_database
                .then(|| count_per_request(outcome.usage.database_commits))
                .flatten(),
            wal_syncs_per_request: uses_database
                .then(|| count_per_request(outcome.usage.wal_syncs))
                .flatten(),
            other_load_percent: (outcome.usage.wall_seconds > 0.0).then(|| outcome.usage.other_percent()),
            ratio: None,
            reference: None,
            versus_wrk: None,
            target: None,
            target_met: None,
            note: None,
        };
        if outcome.errors > 0 {
            eprintln!(
                "    warning: {} errors; the first: {}",
                outcome.errors,
                outcome.first_error.as_deref().unwrap_or("?")
            );
        }
        eprintln!("    {}", row_line(&row));
        self.rows.push(row);
    }

    /// Adds a figure that could not be measured, saying why.
    pub fn not_measured(&mut self, workload: Workload, backend: Backend, generator: Generator, why: &str) {
        eprintln!(
            "    {} on {}: not measured: {why}",
            workload.label(backend),
            backend.label()
        );
        self.rows.push(Row {
            workload,
            backend,
            generator,
            label: workload.label(backend).to_owned(),
            connections: None,
            throughput: None,
            unit: if workload == Workload::Import {
                "rows/s"
            } else {
                "req/s"
            },
            p50_ms: None,
            p99_ms: None,
            requests: 0,
            errors: 0,
            first_error: None,
            app_cpu_us_per_request: None,
            database_cpu_us_per_request: None,
            load_generator_cpu_us_per_request: None,
            harness_cpu_us_per_request: None,
            database_commits_per_request: None,
            wal_syncs_per_request: None,
            other_load_percent: None,
            ratio: None,
            reference: None,
            versus_wrk: None,
            target: None,
            target_met: None,
            note: Some(format!("not measured: {why}")),
        });
    }

    /// Orders the rows (backend, workload, connections, generator) and computes every ratio,
    /// target verdict and comparison with wrk.
    pub fn compare(&mut self) {
        self.rows.sort_by_key(|row| {
            (
                row.backend as u8,
                row.workload as u8,
                row.connections.unwrap_or(usize::MAX),
                row.generator,
            )
        });
        let references = self.rows.clone();
        for row in &mut self.rows {
            let same_figure = |candidate: &&Row, backend: Backend| {
                candidate.backend == backend
                    && candidate.workload == row.workload
                    && candidate.connections == row.connections
            };
            if matches!(row.generator, Generator::Xtask | Generator::Hyper)
                && let Some(wrk) = references.iter().find(|candidate| {
                    same_figure(candidate, row.backend) && candidate.generator == Generator::Wrk
                })
                && let (Some(ours), Some(theirs)) = (row.throughput, wrk.throughput.filter(|t| *t > 0.0))
            {
                row.versus_wrk = Some(ours / theirs);
            }
            let Some(reference_backend) = row.backend.reference() else {
                continue;
            };
            // Raw Postgres has one generator (pgbench, COPY); PocketBase is measured by each.
            let reference = references.iter().find(|candidate| {
                same_figure(candidate, reference_backend)
                    && (reference_backend == Backend::PostgresRaw || candidate.generator == row.generator)
            });
            if let (Some(reference), Some(throughput)) = (reference, row.throughput)
                && let Some(base) = reference.throughput.filter(|t| *t > 0.0)
            {
                row.ratio = Some(throughput / base);
                row.reference = Some(format!(
                    "{} {} ({})",
                    reference.backend.label(),
                    reference.label,
                    reference.generator.label()
                ));
            }
            if row.generator.judged() {
                row.target = target(row.workload, row.backend, row.connections);
                row.target_met = row.target.zip(row.ratio).map(|(target, ratio)| ratio >= target);
            }
        }
    }

    /// The whole report as text.
    pub fn table(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "Expense tracker benchmark, {}, of commit {}{} ({})",
            self.date,
            self.commit.short(),
            if self.commit.dirty {
                " with uncommitted changes"
            } else {
                ""
            },
            self.machine.summary()
        );
        let _ = writeln!(text, "{}", self.note);
        let _ = writeln!(
            text,
            "{:.0} s per figure; lists over {} expenses of {} users.\n",
            self.duration_secs, self.rows_filled, self.users
        );
        let _ = writeln!(text, "{}", header());
        let _ = writeln!(text, "{}", "-".repeat(header().len()));
        for row in &self.rows {
            let _ = writeln!(text, "{}", row_line(row));
        }
        let _ = writeln!(
            text,
            "\nclient: who sent the load: xtask = the benchmark's load generator (targets are judged on its \
             rows), wrk = the cross-check, hyper = the generator of earlier runs, pgbench, copy, CLI.\n\
             ratio: to raw Postgres (pgbench INSERT / keyset page / COPY) for service/postgres rows, to \
             PocketBase measured by the same client for service/sqlite rows. /wrk: throughput divided by \
             wrk's on the same figure.\ntargets: create >= 65 % and list >= 60 % of raw at 32 \
             connections; import >= 40 % of COPY; on SQLite >= 2.5x PocketBase's creates and >= 5x its list \
             pages.\nCPU columns are microseconds of CPU per request: app = the HTTP server process, db = all \
             Postgres processes, gen = the client (the generator's own threads, or the pgbench, wrk or CLI \
             process). tx/rq and wal/rq: \
             transactions Postgres committed and WAL flushes to disk, per request (approximate). other%: \
             CPU taken by processes outside the benchmark, in % of the machine; high values mean a \
             disturbed figure.\n"
        );
        let _ = writeln!(
            text,
            "{:<44} {:>10} {:>12} {:>12} {:>12}  load",
            "memory", "idle", "after set-up", "loaded (max)", "peak (HWM)"
        );
        for memory in &self.memory {
            let _ = writeln!(
                text,
                "{:<44} {:>10} {:>12} {:>12} {:>12}  {}",
                format!("{} ({})", memory.server, memory.measure),
                mib(memory.idle_kib),
                memory.set_up_kib.map_or_else(|| "-".to_owned(), mib),
                mib(memory.loaded_kib),
                memory.peak_kib.map_or_else(|| "-".to_owned(), mib),
                memory.note.as_deref().unwrap_or("the measured windows"),
            );
        }
        let _ = writeln!(
            text,
            "idle: just started and answering its health check; after set-up: accounts signed up and in \
             (argon2), data filled; loaded: the most seen during the load named; peak: VmHWM at the end."
        );
        if !self.checks.is_empty() {
            let _ = writeln!(
                text,
                "\nchecked before measuring (one answer read by the load generator):"
            );
            for check in &self.checks {
                let _ = writeln!(text, "  {check}");
            }
        }
        text
    }

    /// Writes the report as JSON.
    pub fn write_json(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(self)? + "\n")?;
        Ok(())
    }
}

/// The least ratio issue 4 asks of a figure.
fn target(workload: Workload, backend: Backend, connections: Option<usize>) -> Option<f64> {
    match (backend, workload, connections) {
        (Backend::ServicePostgres, Workload::Create, Some(32)) => Some(0.65),
        (Backend::ServicePostgres, Workload::List, Some(32)) => Some(0.60),
        (Backend::ServicePostgres, Workload::Import, _) => Some(0.40),
        (Backend::ServiceSqlite, Workload::Create, _) => Some(2.5),
        (Backend::ServiceSqlite, Workload::List, _) => Some(5.0),
        _ => None,
    }
}

fn header() -> String {
    format!(
        "{:<17} {:<17} {:>5} {:<7} {:>16} {:>8} {:>8} {:>8} {:>13} {:>5} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6}",
        "workload",
        "backend",
        "conns",
        "client",
        "throughput",
        "p50 ms",
        "p99 ms",
        "ratio",
        "target",
        "/wrk",
        "app µs",
        "db µs",
        "gen µs",
        "tx/rq",
        "wal/rq",
        "other%",
        "errors"
    )
}

fn row_line(row: &Row) -> String {
    let number =
        |value: Option<f64>, places: usize| value.map_or_else(|| "-".to_owned(), |v| format!("{v:.places$}"));
    let throughput = row
        .throughput
        .map_or_else(|| "-".to_owned(), |t| format!("{} {}", thousands(t), row.unit));
    let ratio = row.ratio.map_or_else(
        || "-".to_owned(),
        |ratio| {
            if row.backend == Backend::ServiceSqlite {
                format!("{ratio:.2}x")
            } else {
                format!("{:.0} %", ratio * 100.0)
            }
        },
    );
    let target = row.target.map_or_else(String::new, |target| {
        let goal = if row.backend == Backend::ServiceSqlite {
            format!(">={target}x")
        } else {
            format!(">={:.0} %", target * 100.0)
        };
        match row.target_met {
            Some(true) => format!("{goal} met"),
            Some(false) => format!("{goal} MISS"),
            None => goal,
        }
    });
    let mut line = format!(
        "{:<17} {:<17} {:>5} {:<7} {:>16} {:>8} {:>8} {:>8} {:>13} {:>5} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6}",
        row.label,
        row.backend.label(),
        row.connections.map_or_else(|| "-".to_owned(), |c| c.to_string()),
        row.generator.label(),
        throughput,
        number(row.p50_ms, 2),
        number(row.p99_ms, 2),
        ratio,
        target,
        number(row.versus_wrk, 2),
        number(row.app_cpu_us_per_request, 0),
        number(row.database_cpu_us_per_request, 0),
        number(row.load_generator_cpu_us_per_request, 0),
        number(row.database_commits_per_request, 2),
        number(row.wal_syncs_per_request, 2),
        number(row.other_load_percent, 0),
        row.errors,
    );
    if let Some(note) = &row.note {
        line.push_str("  ");
        line.push_str(note);
    }
    line
}

fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value);
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::load::Latency;
    use crate::bench::usage::Usage;

    fn outcome(per_second: f64) -> Outcome {
        Outcome {
            requests: 1000,
            errors: 0,
            first_error: None,
            per_second,
            latency: Latency {
                p50_ms: 1.0,
                p99_ms: 2.0,
            },
            usage: Usage {
                app_cpu_seconds: 0.2,
                ..Usage::default()
            },
        }
    }

    #[test]
    fn ratios_compare_with_the_same_run_s_reference() {
        let mut report = Report::default();
        report.add(
            Workload::Create,
            Backend::PostgresRaw,
            Generator::Pgbench,
            Some(32),
            &outcome(1000.0),
        );
        report.add(
            Workload::Create,
            Backend::ServicePostgres,
            Generator::Wrk,
            Some(32),
            &outcome(750.0),
        );
        report.add(
            Workload::Create,
            Backend::ServicePostgres,
            Generator::Xtask,
            Some(32),
            &outcome(700.0),
        );
        report.add(
            Workload::List,
            Backend::PocketBase,
            Generator::Xtask,
            Some(8),
            &outcome(100.0),
        );
        report.add(
            Workload::List,
            Backend::PocketBase,
            Generator::Wrk,
            Some(8),
            &outcome(50.0),
        );
        report.add(
            Workload::List,
            Backend::ServiceSqlite,
            Generator::Xtask,
            Some(8),
            &outcome(400.0),
        );
        report.add(
            Workload::List,
            Backend::ServiceSqlite,
            Generator::Wrk,
            Some(8),
            &outcome(400.0),
        );
        report.not_measured(
            Workload::Import,
            Backend::ServicePostgres,
            Generator::Cli,
            "no CLI",
        );
        report.compare();
        let [raw, ours, wrk, ..] = &report.rows[..] else {
            panic!("rows missing");
        };
        assert_eq!(
            (raw.generator, ours.generator, wrk.generator),
            (Generator::Pgbench, Generator::Xtask, Generator::Wrk)
        );
        assert_eq!(ours.ratio, Some(0.7));
        assert_eq!(ours.target_met, Some(true));
        assert_eq!(ours.versus_wrk, Some(700.0 / 750.0));
        assert_eq!(ours.app_cpu_us_per_request, Some(200.0));
        // wrk's rows get a ratio to compare, but no verdict.
        assert_eq!(wrk.ratio, Some(0.75));
        assert_eq!(wrk.target, None);
        // On SQLite each client's figure is compared with PocketBase measured by the same client.
        let sqlite: Vec<&Row> = report
            .rows
            .iter()
            .filter(|row| row.backend == Backend::ServiceSqlite)
            .collect();
        assert_eq!(sqlite[0].ratio, Some(4.0));
        assert_eq!(sqlite[0].target_met, Some(false));
        assert_eq!(sqlite[1].ratio, Some(8.0));
        assert!(report.table().contains("not measured: no CLI"));
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(999.0), "999");
    }
}
