//! The npm tools the test command runs (openapi-to-postmanv2, which writes the Postman
//! collection, and newman, which runs it; `@cloud-copilot/iam-simulate`, the IAM policy evaluator
//! of the least-privilege check), installed by the project itself from the npm registry with
//! `npm ci --ignore-scripts` into `target/tools/npm`, at the versions and hashes
//! `xtask/npm/package-lock.json` pins (`cargo xtask lock-tools` rewrites it). Never globally, never
//! by hand.
//!
//! Installing costs nothing once done: the folder keeps a copy of the lock file it was installed
//! from, and `npm ci` runs again only when the committed lock differs (or the install is broken).
//! This module only installs and locates; it runs no check. From the machine it needs `node`
//! and `npm`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::project::{root, run_checked, step};

/// The copy of the lock file the installation was made from.
const STAMP: &str = "expense-installed-lock.json";

/// An installed `node_modules`.
#[derive(Debug, Clone)]
pub struct NpmTools {
    dir: PathBuf,
}

impl NpmTools {
    /// The folder holding `node_modules/`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `node_modules`, for `NODE_PATH`.
    pub fn node_modules(&self) -> PathBuf {
        self.dir.join("node_modules")
    }

    /// A command running one of the packages' executables (`newman`), from the workspace root.
    pub fn command(&self, executable: &str) -> Command {
        let mut command = Command::new(self.node_modules().join(".bin").join(executable));
        command.current_dir(root());
        command
    }

    /// `node SCRIPT` with the packages on `NODE_PATH`.
    pub fn node(&self, script: &Path) -> Command {
        let mut command = Command::new("node");
        command
            .arg(script)
            .env("NODE_PATH", self.node_modules())
            .current_dir(root());
        command
    }
}

/// Where the tools are installed.
pub fn dir() -> PathBuf {
    root().join("target/tools/npm")
}

/// The committed package list and lock.
fn sources() -> PathBuf {
    root().join("xtask/npm")
}

/// `npm ci` exactly as the lock says: no install scripts, no audit or funding requests.
pub fn ci_args() -> [&'static str; 5] {
    [
        "ci",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]
}

/// Whether `dir` must be (re)installed for the lock text `lock`.
fn needs_install(dir: &Path, lock: &str) -> bool {
    let stamp = std::fs::read_to_string(dir.join(STAMP)).unwrap_or_default();
    stamp != lock || !dir.join("node_modules/.bin/newman").exists()
}

/// The tools, installed first if missing or installed from another lock.
pub fn ensure() -> anyhow::Result<NpmTools> {
    let dir = dir();
    let lock = std::fs::read_to_string(sources().join("package-lock.json"))
        .context("xtask/npm/package-lock.json is missing")?;
    if needs_install(&dir, &lock) {
        step(&format!(
            "Installing the npm tools into {} (npm ci; once, about a minute)",
            dir.strip_prefix(root()).unwrap_or(&dir).display()
        ));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir)?;
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(sources().join(file), dir.join(file))?;
        }
        run_checked(
            Command::new("npm").args(ci_args()).current_dir(&dir),
            "npm ci (install Node.js and npm)",
        )?;
        // Written last: an interrupted install is redone on the next run.
        std::fs::write(dir.join(STAMP), &lock)?;
    }
    Ok(NpmTools { dir })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_package_is_pinned_and_locked() {
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(sources().join("package.json")).unwrap()).unwrap();
        let lock: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(sources().join("package-lock.json")).unwrap())
                .unwrap();
        for (name, version) in manifest["dependencies"].as_object().unwrap() {
            let version = version.as_str().unwrap();
            assert!(
                version.chars().all(|c| c.is_ascii_digit() || c == '.'),
                "{name} must be pinned to an exact version, not {version}"
            );
            assert_eq!(
                lock["packages"][format!("node_modules/{name}")]["version"].as_str(),
                Some(version),
                "package-lock.json is not the lock of package.json for {name}: run `npm install --package-lock-only` in xtask/npm"
            );
        }
    }

    #[test]
    fn an_installation_is_redone_only_when_the_lock_changes() {
        let dir = tempfile::tempdir().unwrap();
        assert!(needs_install(dir.path(), "lock"));
        std::fs::create_dir_all(dir.path().join("node_modules/.bin")).unwrap();
        std::fs::write(dir.path().join("node_modules/.bin/newman"), "").unwrap();
        std::fs::write(dir.path().join(STAMP), "lock").unwrap();
        assert!(!needs_install(dir.path(), "lock"));
        assert!(needs_install(dir.path(), "other lock"));
    }
}
