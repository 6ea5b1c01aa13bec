//! The raw baseline: what Postgres itself does on this machine, measured with `pgbench`
//! (`--protocol=prepared`, TCP to 127.0.0.1) on a copy of the service's own table and indexes,
//! in the same run as the service so the ratios compare like with like.
//!
//! The copy lives in schema `bench_raw`, created by running the service's migration file there.
//! Users are `md5(u)::uuid` for `u` in `0..users`, so the scripts can name one without a lookup.
//! Workloads: a single-row `INSERT` of a random user's expense; one keyset page of 50 of a random
//! user from a random day; `COPY` of a CSV into the indexed table.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use expense_testkit::postgres::EphemeralPostgres;
use sqlx::PgPool;
use sqlx::postgres::PgPoolCopyExt;
use uuid::Uuid;

use super::dataset::{COPY_COLUMNS, DAYS, FIRST_DAY_SQL, copy_csv};
use super::load::{Outcome, percentiles};
use super::usage::Watch;
use super::{Scale, fill};
use crate::project::root;

/// Schema of the raw copy of the service's tables.
pub const SCHEMA: &str = "bench_raw";

/// Creates `bench_raw` with the service's migration and fills its expenses table.
pub async fn prepare(pool: &PgPool, scale: &Scale) -> anyhow::Result<()> {
    let migration_file = root().join("server/expenses/migrations/postgres/0001_expenses.sql");
    let migration = std::fs::read_to_string(&migration_file)
        .with_context(|| format!("cannot read {}", migration_file.display()))?;
    let script =
        format!("CREATE SCHEMA {SCHEMA}; SET search_path TO {SCHEMA}; {migration}; RESET search_path;");
    sqlx::raw_sql(sqlx::AssertSqlSafe(script)).execute(pool).await?;
    let users: Vec<Uuid> =
        sqlx::query_scalar("SELECT md5(u::text)::uuid FROM generate_series(0, $1 - 1) AS u ORDER BY u")
            .bind(scale.users as i64)
            .fetch_all(pool)
            .await?;
    fill::postgres(pool, &format!("{SCHEMA}.expenses"), &users, scale.rows).await
}

/// A pgbench workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Insert,
    Page,
}

impl Script {
    fn name(self) -> &'static str {
        match self {
            Script::Insert => "insert",
            Script::Page => "page",
        }
    }

    fn text(self, users: u64) -> String {
        let last_user = users - 1;
        match self {
            Script::Insert => format!(
                "\\set u random(0, {last_user})\n\
                 \\set d random(0, {last_day})\n\
                 \\set a random(100, 20000)\n\
                 INSERT INTO {SCHEMA}.expenses (id, user_id, amount_minor, currency, exponent, category, note, \
                 merchant, search_text, spent_on, tags, created_at, updated_at, version) \
                 VALUES (gen_random_uuid(), md5(:u::text)::uuid, :a::bigint, 'EUR', 2, 'groceries', NULL, NULL, '', \
                 DATE '{FIRST_DAY_SQL}' + :d::int, '{{}}', now(), now(), 1);\n",
                last_day = DAYS - 1,
            ),
            // Start at least 100 days in, so every page is full (a user has a row every ~0.7 days).
            Script::Page => format!(
                "\\set u random(0, {last_user})\n\
                 \\set d random(100, {last_day})\n\
                 SELECT id, user_id, amount_minor, currency, category, note, merchant, spent_on, tags, \
                 created_at, updated_at, version FROM {SCHEMA}.expenses \
                 WHERE user_id = md5(:u::text)::uuid \
                 AND (spent_on, id) < (DATE '{FIRST_DAY_SQL}' + :d::int, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid) \
                 ORDER BY spent_on DESC, id DESC LIMIT 50;\n",
                last_day = DAYS - 1,
            ),
        }
    }
}

/// Where and how to run pgbench.
pub struct Pgbench<'a> {
    pub postgres: &'a EphemeralPostgres,
    pub database: &'a str,
    pub work_dir: &'a Path,
    pub watch: Watch,
}

impl Pgbench<'_> {
    /// Runs `script` with `clients` clients for `duration`.
    pub async fn run(
        &self,
        script: Script,
        clients: usize,
        users: u64,
        duration: Duration,
    ) -> anyhow::Result<Outcome> {
        let script_file = self.work_dir.join(format!("{}.sql", script.name()));
        std::fs::write(&script_file, script.text(users))?;
        let log_prefix = self.work_dir.join(format!("{}-c{clients}", script.name()));
        let probe = self.watch.begin().await;
        let output = tokio::process::Command::new(self.postgres.binary("pgbench"))
            .args([
                "--no-vacuum",
                "--protocol=prepared",
                "--log",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
            ])
            .arg(format!("--port={}", self.postgres.port()))
            .arg(format!("--client={clients}"))
            .arg(format!("--jobs={}", clients.min(2)))
            .arg(format!("--time={}", duration.as_secs().max(1)))
            .arg(format!("--file={}", script_file.display()))
            .arg(format!("--log-prefix={}", log_prefix.display()))
            .arg(self.database)
            .current_dir(self.work_dir)
            .kill_on_drop(true)
            .output()
            .await
            .context("cannot run pgbench")?;
        // The backends exit after pgbench disconnects; give the postmaster time to reap them, so
        // their CPU shows in its children's total.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let usage = probe.end().await;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            bail!(
                "pgbench failed ({}):\n{stdout}{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let per_second = tps(&stdout).with_context(|| format!("no tps in pgbench's output:\n{stdout}"))?;
        let (mut latencies, failed) = read_logs(&log_prefix)?;
        Ok(Outcome {
            requests: latencies.len() as u64,
            errors: failed,
            first_error: None,
            per_second,
            latency: percentiles(&mut latencies),
            usage,
        })
    }
}

/// `COPY`s `rows` rows of one user into the raw table; rows per second and the database's usage.
pub async fn copy(pool: &PgPool, rows: u64, watch: Watch) -> anyhow::Result<Outcome> {
    let csv = copy_csv(rows, Uuid::now_v7());
    let probe = watch.begin().await;
    let started = Instant::now();
    let statement = format!("COPY {SCHEMA}.expenses ({COPY_COLUMNS}) FROM STDIN (FORMAT csv)");
    let mut copy = pool.copy_in_raw(&statement).await?;
    for chunk in csv.as_bytes().chunks(1 << 20) {
        copy.send(chunk).await?;
    }
    let copied = copy.finish().await?;
    let seconds = started.elapsed().as_secs_f64();
    let usage = probe.end().await;
    if copied != rows {
        bail!("COPY stored {copied} rows of {rows}");
    }
    Ok(Outcome::bulk(rows, seconds, usage))
}

/// The `tps = …` figure of pgbench's report.
fn tps(report: &str) -> Option<f64> {
    report
        .lines()
        .find_map(|line| line.trim().strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
}

/// Latencies (µs) and failed-transaction count from pgbench's per-transaction logs
/// (`client transaction latency_us script epoch epoch_us`), which it then deletes.
fn read_logs(prefix: &Path) -> anyhow::Result<(Vec<u32>, u64)> {
    let directory = prefix.parent().context("log prefix has a parent")?;
    let stem = prefix
        .file_name()
        .and_then(|n| n.to_str())
        .context("UTF-8 log prefix")?;
    let files: Vec<PathBuf> = std::fs::read_dir(directory)?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|name| name.starts_with(&format!("{stem}.")))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failed = 0;
    for file in files {
        for line in std::fs::read_to_string(&file)?.lines() {
            match line.split_whitespace().nth(2) {
                Some("failed" | "skipped") => failed += 1,
                Some(value) => latencies.push(value.parse().unwrap_or(u32::MAX)),
                None => {}
            }
        }
        std::fs::remove_file(&file)?;
    }
    Ok((latencies, failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pgbench_tps() {
        let report = "number of failed transactions: 0 (0.000%)\n\
                      latency average = 0.280 ms\n\
                      initial connection time = 2.1 ms\n\
                      tps = 3581.123456 (without initial connection time)\n";
        assert_eq!(tps(report), Some(3581.123456));
        assert_eq!(tps("nothing"), None);
    }

    #[test]
    fn scripts_name_the_raw_schema() {
        assert!(Script::Insert.text(1000).contains("random(0, 999)"));
        assert!(Script::Page.text(1000).contains("FROM bench_raw.expenses"));
    }
}
