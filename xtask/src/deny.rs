//! `cargo xtask deny`, and the test stage of the same name: `cargo deny check licenses bans
//! sources` against `deny.toml`, with the project's own pinned cargo-deny (see `tools`).
//!
//! The advisories check is deliberately absent here: its database is fetched from the network,
//! which these machines cannot reach, so only the GitHub workflow runs it (docs/security.md).

use crate::project::{root, run_checked};
use crate::tools;

/// The checks the test command runs; every one works offline.
pub const CHECKS: [&str; 3] = ["licenses", "bans", "sources"];

/// Installs cargo-deny if needed, then checks the workspace's dependency tree.
pub fn run() -> anyhow::Result<()> {
    let cargo_deny = tools::ensure_cargo_deny()?;
    run_checked(
        std::process::Command::new(cargo_deny)
            .current_dir(root())
            .args(["--locked", "check"])
            .args(CHECKS),
        "cargo deny check licenses bans sources (see deny.toml)",
    )
}
