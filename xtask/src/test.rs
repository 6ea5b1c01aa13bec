//! `cargo xtask test`: the whole test suite, as CI runs it.
//!
//! 1. `cargo fmt --check`;
//! 2. a throwaway Postgres server (installed first if absent) whose URL the tests find in
//!    `EXPENSE_TEST_POSTGRES_URL`;
//! 3. `cargo test --workspace --locked` (unit, integration, conformance, CLI and tidy tests);
//! 4. `cargo clippy --workspace --all-targets --locked -- -D warnings`;
//!
//! then everything started is stopped, pass or fail.

use std::time::Instant;

use expense_testkit::TEST_POSTGRES_URL_VAR;

use crate::postgres;
use crate::project::{cargo, run_checked, step};

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Skip `cargo clippy` (quicker local runs; CI never skips it).
    #[arg(long)]
    pub no_lint: bool,
    /// Only run tests whose name contains this (passed to `cargo test`).
    pub filter: Option<String>,
}

pub fn run(args: &TestArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    step("Formatting (cargo fmt --check)");
    run_checked(
        cargo().args(["fmt", "--all", "--check"]),
        "cargo fmt --check (run `cargo fmt --all`)",
    )?;

    step("Starting Postgres");
    let database = postgres::start_for_tests()?;

    step("Tests (cargo test --workspace)");
    let mut test = cargo();
    test.args(["test", "--workspace", "--locked", "--no-fail-fast"])
        .env(TEST_POSTGRES_URL_VAR, database.admin_url())
        .env("RUST_BACKTRACE", "1");
    if let Some(filter) = &args.filter {
        test.args(["--", filter]);
    }
    let tested = run_checked(&mut test, "cargo test");
    step("Stopping Postgres");
    database.stop()?;
    tested?;

    if !args.no_lint {
        step("Lints (cargo clippy -D warnings)");
        run_checked(
            cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ]),
            "cargo clippy",
        )?;
    }
    eprintln!("\nAll checks passed in {:.0?}.", started.elapsed());
    Ok(())
}
