//! `cargo xtask up`: the platform on this machine, on embedded defaults (SQLite, a generated
//! signing key, everything under the data directory), in one process. With `--split`, every role
//! as its own process instead, wired as on EKS (see [`crate::split`]).

use std::process::Command;

use anyhow::Context;

use crate::project::{cargo, root, run_checked, step};

#[derive(Debug, clap::Args)]
pub struct UpArgs {
    /// Port on 127.0.0.1 (with --split: the front door's; the roles take the next four).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Data directory (default: $XDG_DATA_HOME/expense).
    #[arg(long, conflicts_with = "split")]
    pub data_dir: Option<std::path::PathBuf>,
    /// Every role as its own process on its own port, on a throwaway Postgres, with events
    /// through SNS/SQS on moto, behind a local stand-in for the ALB.
    #[arg(long)]
    pub split: bool,
}

pub fn run(args: &UpArgs) -> anyhow::Result<()> {
    if args.split {
        return crate::split::up(args.port);
    }
    step("Building expense-server and the expense CLI");
    run_checked(
        cargo().args(["build", "--locked", "-p", "expense-server", "-p", "expense"]),
        "cargo build",
    )?;
    let bin = root().join("target").join("debug");
    let url = format!("http://127.0.0.1:{}", args.port);
    let mut server = Command::new(bin.join("expense-server"));
    server
        .arg("all")
        .env("EXPENSE_BIND_ADDR", format!("127.0.0.1:{}", args.port))
        .env_remove("DATABASE_URL")
        .env(
            "EXPENSE_LOG_FORMAT",
            std::env::var("EXPENSE_LOG_FORMAT").unwrap_or_else(|_| "pretty".to_owned()),
        );
    if let Some(dir) = &args.data_dir {
        server.env("EXPENSE_DATA_DIR", dir);
    }
    eprintln!(
        "\nThe expense tracker is starting at {url}  (Ctrl-C stops it)\n\n\
         In another terminal, put the CLI on your PATH and sign up:\n\n    \
         export PATH=\"{}:$PATH\"\n    \
         expense register\n    \
         expense whoami\n",
        bin.display()
    );
    let status = server.status().context("cannot start expense-server")?;
    // Ctrl-C reaches the server too; it drains and exits 0.
    if !status.success() {
        anyhow::bail!("expense-server exited with {status}");
    }
    Ok(())
}
