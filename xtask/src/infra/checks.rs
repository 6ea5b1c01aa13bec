//! The offline checks of `infra/terraform/` that `cargo xtask test` runs: the code is formatted,
//! every module and env validates on its own (`terraform validate`, providers from the mirror,
//! no backend), and checkov finds no failed check (accepted findings are skipped inline, next to
//! their resource, with the reason). Nothing here talks to AWS or moto.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};

use super::terraform::Terraform;
use crate::project::{root, run_checked};
use crate::tools::Tools;

fn terraform_root() -> PathBuf {
    root().join("infra/terraform")
}

/// Every Terraform configuration to validate: `modules/*` and `envs/*`, sorted.
pub fn configurations() -> anyhow::Result<Vec<PathBuf>> {
    let mut all = Vec::new();
    for kind in ["modules", "envs"] {
        let folder = terraform_root().join(kind);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&folder)
            .with_context(|| format!("cannot list {}", folder.display()))?
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.join("versions.tf").exists() || path.join("main.tf").exists())
            .collect();
        found.sort();
        all.extend(found);
    }
    Ok(all)
}

/// `terraform fmt -check -recursive`, the operator documents against the Terraform names
/// ([`super::consistency`]), then `init -backend=false` and `validate` everywhere.
pub fn fmt_and_validate() -> anyhow::Result<()> {
    let work = root().join("target/terraform/validate");
    let fmt = Terraform::new(&terraform_root(), &work.join("fmt"), None)?;
    fmt.run(&["fmt", "-check", "-recursive", "-diff"])
        .context("Terraform files are not formatted: run `terraform fmt -recursive infra/terraform`")?;
    let documents = super::consistency::check_documents()?;
    if !documents.is_empty() {
        bail!(
            "the operator documents and the Terraform code disagree:\n  {}",
            documents.join("\n  ")
        );
    }
    eprintln!("    the operator documents name only Terraform variables and outputs that exist");

    // Each validate mostly waits for the aws provider to load its schema (~4 s): two at a time
    // (or as many as there are cores, up to four) keeps the stage short.
    let queue = std::sync::Mutex::new(configurations()?.into_iter());
    let failures = std::sync::Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let Some(configuration) = queue.lock().expect("not poisoned").next() else {
                        return;
                    };
                    if let Err(error) = validate(&configuration, &work) {
                        failures.lock().expect("not poisoned").push(format!("{error:#}"));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().expect("not poisoned");
    if !failures.is_empty() {
        bail!("terraform validate failed:\n{}", failures.join("\n\n"));
    }
    Ok(())
}

/// `init -backend=false` and `validate` of one configuration, output in a log file.
fn validate(configuration: &Path, work: &Path) -> anyhow::Result<()> {
    let name = relative(configuration);
    let key = name.replace(['/', '\\'], "_");
    let terraform = Terraform::new(
        configuration,
        &work.join(&key),
        Some(work.join(format!("{key}.log"))),
    )?
    .quiet();
    let started = Instant::now();
    let validated = terraform
        .run(&["init", "-backend=false", "-input=false"])
        .and_then(|()| terraform.run(&["validate"]));
    match validated {
        Ok(()) => {
            eprintln!("    {name}: valid ({:.1?})", started.elapsed());
            Ok(())
        }
        Err(error) => {
            eprintln!("    {name}: INVALID");
            Err(error.context(name))
        }
    }
}

/// checkov's Terraform checks on `infra/terraform`: no failed check.
pub fn checkov(tools: &Tools) -> anyhow::Result<()> {
    run_checked(
        tools.checkov().args([
            "--directory",
            "infra/terraform",
            "--framework",
            "terraform",
            "--compact",
            "--quiet",
        ]),
        "checkov on infra/terraform (fix the findings above, or skip one inline with \
         `#checkov:skip=CKV_...:<reason>` next to its resource)",
    )
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_and_env_is_found_for_validation() {
        let found: Vec<String> = configurations()
            .unwrap()
            .iter()
            .map(|path| relative(path))
            .collect();
        for expected in [
            "infra/terraform/modules/vpc",
            "infra/terraform/modules/eks",
            "infra/terraform/envs/dev",
            "infra/terraform/envs/prod",
        ] {
            assert!(found.iter().any(|f| f == expected), "{expected} in {found:?}");
        }
    }
}
