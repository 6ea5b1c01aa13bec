//! `cargo xtask`: the project's automation, in Rust instead of shell scripts.
//!
//! - `up`: build and run the whole platform locally on embedded defaults;
//! - `up --split`: every role as its own process behind a local stand-in for the ALB;
//! - `test`: the whole test suite, with every real dependency it needs started and stopped;
//! - `smoke`: the end-to-end check of a deployment through its public API;
//! - `chaos`: faults under load against the split topology, measured (docs/reliability.md);
//! - `codegen` / `completions`: regenerate the committed generated files (the Postman collection
//!   with the npm tools of `npm`, see `postman`);
//! - `bootstrap` / `provision`: the Terraform state backend through the AWS SDK, then Terraform
//!   for one environment (docs/operations.md).
//! - `images` / `deploy`: the image built and pushed to ECR, then the manifests rolled out to
//!   an environment's EKS cluster, or rolled back (docs/deploying.md).
//! - `deny`: licences, bans and sources of the dependency tree (cargo-deny, deny.toml).
//! - `postman`: the Postman collection checked fresh and run by newman, and the curl flows of
//!   docs/api/README.md, against `expense-server all` (a stage of `test`).
//! - `lock-tools`: rewrite the hash-locked lists of the Python and Node tools the gate installs.
//!
//! Each command lives in its own module; `main` only dispatches.

mod api_fuzz;
mod bench;
mod chaos;
mod codegen;
mod delivery;
mod deny;
mod infra;
mod moved_clock;
mod npm;
mod os_packages;
mod postgres;
mod postman;
mod process;
mod project;
mod smoke;
mod split;
mod test;
#[cfg(test)]
mod tidy;
mod tools;
mod up;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "Build, run and test the expense tracker.")]
struct Xtask {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build and run `expense-server all` on 127.0.0.1 with embedded defaults.
    Up(up::UpArgs),
    /// Run the whole test suite (what CI runs), starting Postgres for it.
    Test(test::TestArgs),
    /// Run the generated API tests (schemathesis), from a new random seed unless one is given.
    ApiFuzz(ApiFuzzArgs),
    /// Regenerate every committed generated file (OpenAPI document, event schemas, shell
    /// completions, man pages, Postman collection).
    Codegen,
    /// Regenerate the shell completions under `completions/`.
    Completions,
    /// Create the Terraform state bucket and lock table of an environment (idempotent).
    Bootstrap(infra::bootstrap::BootstrapArgs),
    /// Run Terraform for an environment: init, plan, apply, capture the outputs.
    Provision(infra::provision::ProvisionArgs),
    /// Build the image and push it to ECR (`--dry-run` prints the commands).
    Images(delivery::images::ImagesArgs),
    /// Roll the manifests out to an environment's EKS cluster, or back (`--rollback`).
    Deploy(delivery::deploy::DeployArgs),
    /// Check a deployment end to end through its API (what CI runs after every deploy).
    Smoke(smoke::SmokeArgs),
    /// Benchmark the service against raw Postgres and PocketBase (docs/benchmarks.md).
    Bench(bench::BenchArgs),
    /// Faults under load against the split topology, measured (docs/reliability.md).
    Chaos(chaos::ChaosArgs),
    /// Check the dependency tree's licences, bans and sources with cargo-deny (deny.toml).
    Deny,
    /// Check the Postman collection fresh, run its flows with newman and the curl flows of
    /// docs/api/README.md against a fresh `expense-server all` (a stage of `test`).
    Postman,
    /// Rewrite xtask/tools/requirements.txt and package-lock.json from the pinned tool lists.
    LockTools,
}

#[derive(Debug, clap::Args)]
struct ApiFuzzArgs {
    /// Repeat a run: the seed schemathesis printed (the test command always uses
    /// `api_fuzz::GATE_SEED`).
    #[arg(long)]
    seed: Option<u128>,
}

fn main() -> anyhow::Result<()> {
    match Xtask::parse().command {
        Command::Up(args) => up::run(&args),
        Command::Test(args) => test::run(&args),
        Command::ApiFuzz(args) => tools::ensure().and_then(|tools| api_fuzz::run(&tools, args.seed)),
        Command::Codegen => codegen::all(),
        Command::Completions => codegen::completions(),
        Command::Bootstrap(args) => infra::bootstrap::run(&args),
        Command::Provision(args) => infra::provision::run(&args),
        Command::Images(args) => delivery::images::run(&args),
        Command::Deploy(args) => delivery::deploy::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Chaos(args) => chaos::run(&args),
        Command::Smoke(args) => smoke::run(&args),
        Command::Deny => deny::run(),
        Command::Postman => npm::ensure().and_then(|tools| postman::gate(&tools)),
        Command::LockTools => tools::lock(),
    }
}
