//! `cargo xtask test`: the whole test suite, as CI runs it.
//!
//! 1. `cargo fmt --check`; Terraform and kubectl are the versions `xtask/tools/versions.env`
//!    states;
//! 2. the project's Python tools (moto, checkov, ...) in `target/tools/venv` and Node tools (the
//!    IAM policy evaluator, newman) in `target/tools/npm`, installed once from hash-locked lists;
//! 3. a throwaway Postgres server (installed first if absent) whose URL the tests find in
//!    `EXPENSE_TEST_POSTGRES_URL`;
//! 4. `cargo test --workspace --locked` (unit, integration, conformance, CLI and tidy tests),
//!    with `EXPENSE_TEST_PYTHON` naming the venv's Python so tests start the project's moto;
//!    then the date-sensitive suites (CLI, expenses, notifications) again under `faketime`, the
//!    clock moved to the last minute of the current month (`moved_clock`);
//!    then `cargo xtask smoke` against `expense-server all` and against the split topology on
//!    that Postgres and a fresh moto (`smoke::gate`; alone: `cargo xtask smoke --local`);
//! 5. Terraform: `fmt -check` and `validate` of every module and env, offline;
//! 6. the generated API tests: schemathesis against `expense-server all` (`api_fuzz`); then
//!    checkov on `infra/terraform`; then the Postman collection checked fresh and run by newman
//!    against `expense-server all`, with the curl flows of docs/api/README.md (`postman`, with
//!    the npm tools installed into `target/tools/npm` by `npm`);
//! 7. the dev env applied to moto through `bootstrap` and `provision`, its IAM policies evaluated
//!    against the least-privilege matrix (`infra::least_privilege`), re-planned with no changes,
//!    destroyed to nothing;
//! 8. delivery files: kustomize overlays rendered and schema-checked, checkov on them, hadolint,
//!    actionlint, the rules of the GitHub files (`delivery::workflow`);
//! 9. `cargo deny check licenses bans sources` (deny.toml), with the pinned cargo-deny installed
//!    into `target/tools/cargo` once;
//! 10. `cargo clippy --workspace --all-targets --locked -- -D warnings`;
//!
//! `--terraform-only` runs 1 (the tool versions), 2, 5, checkov and 7: the stages a change under
//! `infra/terraform` or `xtask/src/infra` needs.
//!
//! Then everything started is stopped, pass or fail. Each stage prints its name, verdict and
//! duration. A failed stage does not stop the run: the stages that do not need it still run (the
//! Rust tests need Postgres; the Terraform and delivery checks need the tools), and the run fails
//! at the end, naming every failed stage.

use std::time::{Duration, Instant};

use expense_testkit::TEST_POSTGRES_URL_VAR;
use expense_testkit::moto::TEST_PYTHON_VAR;

use crate::project::{cargo, run_checked, step};
use crate::{
    api_fuzz, delivery, deny, infra, moved_clock, npm, os_packages, postgres, postman, smoke, tools,
};

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Skip `cargo clippy` (quicker local runs; CI never skips it).
    #[arg(long)]
    pub no_lint: bool,
    /// Skip applying the dev env to moto, the slowest stage (quicker local runs; CI never
    /// skips it).
    #[arg(long)]
    pub no_moto: bool,
    /// Run only the Terraform stages (fmt and validate, checkov, the moto proof) and the tools
    /// they need (quicker local runs after a change to `infra/`; CI never does).
    #[arg(long, conflicts_with = "filter")]
    pub terraform_only: bool,
    /// Only run tests whose name contains this (passed to `cargo test`).
    pub filter: Option<String>,
}

/// The stages run so far, with their durations and failures.
#[derive(Default)]
struct Stages {
    done: Vec<(&'static str, Duration, bool)>,
}

impl Stages {
    /// Runs one stage: prints its name, then its verdict and duration. A failure is printed and
    /// recorded, and the run goes on with the stages that do not depend on this one.
    fn run<T>(&mut self, name: &'static str, stage: impl FnOnce() -> anyhow::Result<T>) -> Option<T> {
        step(name);
        let started = Instant::now();
        let result = stage();
        let elapsed = started.elapsed();
        let passed = result.is_ok();
        match &result {
            Ok(_) => eprintln!("<== {name}: done in {elapsed:.1?}"),
            Err(error) => eprintln!("<== {name}: FAILED in {elapsed:.1?}\n{error:#}"),
        }
        self.done.push((name, elapsed, passed));
        result.ok()
    }

    fn failed(&self) -> Vec<&'static str> {
        self.done
            .iter()
            .filter(|(_, _, passed)| !passed)
            .map(|(name, _, _)| *name)
            .collect()
    }

    fn print_summary(&self) {
        eprintln!("\nStages:");
        for (name, elapsed, passed) in &self.done {
            let verdict = if *passed { "ok" } else { "FAILED" };
            eprintln!("  {:>9}  {verdict:<6}  {name}", format!("{elapsed:.1?}"));
        }
    }
}

pub fn run(args: &TestArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut stages = Stages::default();
    run_stages(args, &mut stages);
    stages.print_summary();
    let failed = stages.failed();
    if !failed.is_empty() {
        anyhow::bail!(
            "{} stage(s) failed (details above): {}",
            failed.len(),
            failed.join("; ")
        );
    }
    eprintln!("\nAll checks passed in {:.0?}.", started.elapsed());
    Ok(())
}

fn run_stages(args: &TestArgs, stages: &mut Stages) {
    let everything = !args.terraform_only;
    if everything {
        stages.run("Formatting (cargo fmt --check)", || {
            run_checked(
                cargo().args(["fmt", "--all", "--check"]),
                "cargo fmt --check (run `cargo fmt --all`)",
            )
        });
    }

    stages.run(
        "Tool versions (Terraform, kubectl as xtask/tools/versions.env states)",
        tools::check_versions,
    );

    let tools = stages.run(
        "Tools from hash-locked lists (target/tools: Python venv, Node packages)",
        || {
            let python = tools::ensure()?;
            crate::npm::ensure()?;
            Ok(python)
        },
    );

    if everything && let Some(database) = stages.run("Starting Postgres", postgres::start_for_tests) {
        stages.run("Tests (cargo test --workspace)", || {
            // The CLI's tables are checked on a real terminal, its ledger export by hledger and
            // ledger.
            os_packages::ensure("tmux", || os_packages::on_path("tmux"))?;
            os_packages::ensure("hledger", || os_packages::on_path("hledger"))?;
            os_packages::ensure("ledger", || os_packages::on_path("ledger"))?;
            let mut test = cargo();
            test.args(["test", "--workspace", "--locked", "--no-fail-fast"])
                .env(TEST_POSTGRES_URL_VAR, database.admin_url())
                .env("RUST_BACKTRACE", "1");
            if let Some(tools) = &tools {
                test.env(TEST_PYTHON_VAR, tools.python());
            }
            if let Some(filter) = &args.filter {
                test.args(["--", filter]);
            }
            run_checked(&mut test, "cargo test")
        });
        if args.filter.is_none() {
            stages.run(
                "Date-sensitive suites again, the clock at this month's last minute (faketime)",
                || {
                    let mut env = vec![(TEST_POSTGRES_URL_VAR, database.admin_url())];
                    if let Some(tools) = &tools {
                        env.push((TEST_PYTHON_VAR, tools.python().display().to_string()));
                    }
                    moved_clock::run(&env)
                },
            );
        }
        if let Some(tools) = &tools {
            stages.run("Smoke: expense-server all, then the split topology", || {
                smoke::gate::run(&tools.python(), &database.admin_url())
            });
        }
        stages.run("Stopping Postgres", || database.stop());
    }

    stages.run(
        "Terraform: fmt -check and validate (every module and the envs)",
        infra::checks::fmt_and_validate,
    );
    if let Some(tools) = &tools {
        if everything {
            stages.run("Generated API tests (schemathesis)", || {
                api_fuzz::run(tools, Some(api_fuzz::GATE_SEED))
            });
        }
        stages.run("Terraform: checkov", || infra::checks::checkov(tools));
    }
    if everything {
        stages.run(
            "Postman: collection fresh, newman and the curl flows against expense-server all",
            || postman::gate(&npm::ensure()?),
        );
    }
    if let Some(tools) = &tools {
        if args.no_moto {
            eprintln!("\n(skipping the moto proof: --no-moto)");
        } else {
            stages.run(
                "Terraform against moto: bootstrap, provision dev, re-plan, destroy",
                || infra::moto_proof::run(tools),
            );
        }
        if everything {
            stages.run(
                "Delivery: kustomize + kubernetes-validate, checkov, hadolint, actionlint",
                || delivery::checks::run(tools),
            );
        }
    }
    if !everything {
        return;
    }

    stages.run("Dependencies: cargo deny check licenses bans sources", deny::run);

    if !args.no_lint {
        stages.run("Lints (cargo clippy -D warnings)", || {
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
            )
        });
    }
}
