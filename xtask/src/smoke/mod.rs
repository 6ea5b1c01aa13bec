//! `cargo xtask smoke`: the end-to-end check CI runs after every deploy, through the public API
//! of one base URL as any client sees it (docs/operations.md, "Smoke test").
//!
//! Reading order: [`scenario`] (the steps), [`api`] (the HTTP client), [`report`] (verdicts,
//! latencies, the JSON report), [`gate`] (the gate stage: the smoke test against
//! `expense-server all` and against the split topology, both started here). The smoke test
//! itself starts nothing and needs nothing but the URL.

mod api;
pub mod gate;
mod report;
mod scenario;

use std::path::PathBuf;

use anyhow::bail;

pub use report::Report;

#[derive(Debug, clap::Args)]
pub struct SmokeArgs {
    /// The API to check, such as https://api.expense.example.com or http://127.0.0.1:8080.
    #[arg(long, required_unless_present = "local", conflicts_with = "local")]
    pub base_url: Option<String>,
    /// Print the JSON report on stdout.
    #[arg(long, conflicts_with = "local")]
    pub json: bool,
    /// Start `expense-server all` and the split topology on this machine and check both: the
    /// smoke stage of `cargo xtask test`, alone (with a Postgres of its own).
    #[arg(long)]
    pub local: bool,
}

pub fn run(args: &SmokeArgs) -> anyhow::Result<()> {
    let Some(base_url) = &args.base_url else {
        return gate::run_local();
    };
    let report = crate::infra::aws::block_on(check(base_url));
    if args.json {
        println!("{}", report.to_json());
    }
    if !report.ok {
        bail!("{}", report.summary_line());
    }
    Ok(())
}

/// Runs the smoke test against `base_url`, with its lines on stderr, and returns the report.
pub async fn check(base_url: &str) -> Report {
    eprintln!("Smoke test of {base_url}");
    let report = scenario::run(base_url).await;
    eprintln!("{}", report.summary_line());
    report
}

/// Where the gate keeps the servers' logs.
fn log_dir() -> PathBuf {
    crate::project::root().join("target/smoke/logs")
}
