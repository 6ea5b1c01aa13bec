//! `cargo xtask`: the project's automation, in Rust instead of shell scripts.
//!
//! - `up`: build and run the whole platform locally on embedded defaults;
//! - `test`: the whole test suite, with every real dependency it needs started and stopped;
//! - `codegen` / `completions`: regenerate the committed generated files;
//! - `bootstrap` / `provision`: the Terraform state backend through the AWS SDK, then Terraform
//!   for one environment (docs/operations.md).
//!
//! Each command lives in its own module; `main` only dispatches.

mod codegen;
mod delivery;
mod infra;
mod postgres;
mod project;
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
    /// Regenerate every committed generated file (OpenAPI document, shell completions).
    Codegen,
    /// Regenerate the shell completions under `completions/`.
    Completions,
    /// Create the Terraform state bucket and lock table of an environment (idempotent).
    Bootstrap(infra::bootstrap::BootstrapArgs),
    /// Run Terraform for an environment: init, plan, apply, capture the outputs.
    Provision(infra::provision::ProvisionArgs),
}

fn main() -> anyhow::Result<()> {
    match Xtask::parse().command {
        Command::Up(args) => up::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Codegen => codegen::all(),
        Command::Completions => codegen::completions(),
        Command::Bootstrap(args) => infra::bootstrap::run(&args),
        Command::Provision(args) => infra::provision::run(&args),
    }
}
