//! The offline checks of the delivery files, run by `cargo xtask test` (no cluster and no
//! Docker engine needed):
//!
//! - every overlay in [`OVERLAYS`] builds with `kubectl kustomize`, into
//!   `target/delivery/rendered/<env>/all.yaml`;
//! - every rendered object is valid for the Kubernetes version docs/deploying.md targets
//!   (`kubernetes-validate --strict`: unknown fields are errors);
//! - checkov's Kubernetes checks pass on the rendered manifests (accepted findings carry a
//!   `checkov.io/skip<n>` annotation with the reason);
//! - `hadolint Dockerfile` and `actionlint` on every workflow are clean.
//!
//! Every check runs even when an earlier one failed, and the failures are listed together.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::project::{output, root};
use crate::tools::Tools;

/// The Kubernetes version the manifests must be valid for (docs/deploying.md, "Cluster
/// prerequisites").
pub const KUBERNETES_VERSION: &str = "1.33.0";

/// The kustomizations that are deployed; each includes `k8s/base` and `k8s/logging`.
pub const OVERLAYS: &[&str] = &["k8s/overlays/dev", "k8s/overlays/prod"];

pub fn run(tools: &Tools) -> anyhow::Result<()> {
    let rendered_root = root().join("target/delivery/rendered");
    if rendered_root.exists() {
        std::fs::remove_dir_all(&rendered_root)?;
    }
    let mut failures = Vec::new();
    let mut rendered_dirs = Vec::new();
    for overlay in OVERLAYS {
        match render(overlay, &rendered_root) {
            Ok(file) => {
                rendered_dirs.push(file.parent().expect("a file has a folder").to_owned());
                check(
                    &mut failures,
                    &format!("kubernetes-validate {overlay}"),
                    tools.command("kubernetes-validate").args([
                        "--strict",
                        "--kubernetes-version",
                        KUBERNETES_VERSION,
                        "--quiet",
                    ]),
                    &[file.as_path()],
                );
            }
            Err(error) => failures.push(format!("{error:#}")),
        }
    }
    if !rendered_dirs.is_empty() {
        let mut checkov = tools.checkov();
        for dir in &rendered_dirs {
            checkov.arg("--directory").arg(dir);
        }
        checkov.args(["--framework", "kubernetes", "--compact", "--quiet"]);
        check(
            &mut failures,
            "checkov (kubernetes) on the rendered manifests",
            &mut checkov,
            &[],
        );
    }
    check(
        &mut failures,
        "hadolint Dockerfile",
        &mut tools.command("hadolint"),
        &[Path::new("Dockerfile")],
    );
    let workflows = workflows()?;
    let workflow_paths: Vec<&Path> = workflows.iter().map(PathBuf::as_path).collect();
    check(
        &mut failures,
        "actionlint .github/workflows",
        &mut tools.command("actionlint"),
        &workflow_paths,
    );
    if !failures.is_empty() {
        bail!("delivery checks failed:\n  {}", failures.join("\n  "));
    }
    Ok(())
}

/// `kubectl kustomize OVERLAY` into `<rendered_root>/<env>/all.yaml`; returns the file.
fn render(overlay: &str, rendered_root: &Path) -> anyhow::Result<PathBuf> {
    let started = Instant::now();
    let yaml = output(
        Command::new("kubectl")
            .args(["kustomize", overlay])
            .current_dir(root()),
        &format!("kubectl kustomize {overlay}"),
    )?;
    let env = Path::new(overlay).file_name().context("an overlay is a folder")?;
    let dir = rendered_root.join(env);
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("all.yaml");
    std::fs::write(&file, &yaml)?;
    eprintln!(
        "    kubectl kustomize {overlay}: {} objects ({:.1?})",
        count_objects(&String::from_utf8_lossy(&yaml)),
        started.elapsed()
    );
    Ok(file)
}

/// The number of top-level objects in a rendered multi-document YAML stream.
fn count_objects(yaml: &str) -> usize {
    yaml.lines().filter(|line| line.starts_with("kind: ")).count()
}

/// `.github/workflows/*.yml` and `*.yaml`, sorted, relative to the root.
fn workflows() -> anyhow::Result<Vec<PathBuf>> {
    let dir = root().join(".github/workflows");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "yml" || extension == "yaml")
        })
        .map(|path| path.strip_prefix(root()).unwrap_or(&path).to_owned())
        .collect();
    found.sort();
    Ok(found)
}

/// Runs `command` with `files` (output shown), recording a failure instead of stopping.
fn check(failures: &mut Vec<String>, what: &str, command: &mut Command, files: &[&Path]) {
    let started = Instant::now();
    let status = command.args(files).current_dir(root()).status();
    let verdict = match status {
        Ok(status) if status.success() => "ok".to_owned(),
        Ok(status) => {
            failures.push(format!("{what}: failed ({status}); see its output above"));
            "FAILED".to_owned()
        }
        Err(error) => {
            failures.push(format!("{what}: cannot run it: {error}"));
            "NOT RUN".to_owned()
        }
    };
    eprintln!("    {what}: {verdict} ({:.1?})", started.elapsed());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_overlay_includes_the_application_and_the_log_shipper() {
        for overlay in OVERLAYS {
            let kustomization =
                std::fs::read_to_string(root().join(overlay).join("kustomization.yaml")).unwrap();
            for part in ["../../base", "../../logging"] {
                assert!(
                    kustomization.contains(part),
                    "{overlay} does not include {part}: render it separately in delivery::checks"
                );
            }
        }
    }

    #[test]
    fn the_validated_kubernetes_version_is_the_one_the_docs_promise() {
        let deploying = std::fs::read_to_string(root().join("docs/deploying.md")).unwrap();
        let words = deploying.split_whitespace().collect::<Vec<_>>().join(" ");
        let minor = KUBERNETES_VERSION.trim_end_matches(".0");
        assert!(
            words.contains(&format!("validate against Kubernetes {minor}")),
            "docs/deploying.md should say the manifests validate against Kubernetes {minor}"
        );
    }

    #[test]
    fn objects_are_counted_by_their_top_level_kind() {
        let yaml = "apiVersion: v1\nkind: Namespace\n---\napiVersion: v1\nkind: ConfigMap\n\
                    data:\n  kind: not-an-object\n";
        assert_eq!(count_objects(yaml), 2);
    }
}
