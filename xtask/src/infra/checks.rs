//! The offline checks of `infra/terraform/` that `cargo xtask test` runs: the code is formatted,
//! every module and the envs' configuration validate on their own (`terraform validate`, providers from the mirror,
//! no backend), and checkov finds no failed check (accepted findings are skipped inline, next to
//! their resource, with the reason). Nothing here talks to AWS or moto.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};

use super::Environment;
use super::terraform::Terraform;
use crate::project::root;
use crate::tools::Tools;

fn terraform_root() -> PathBuf {
    root().join("infra/terraform")
}

/// Every Terraform configuration to validate: `modules/*`, sorted, then `envs` (the one
/// configuration of every environment).
pub fn configurations() -> anyhow::Result<Vec<PathBuf>> {
    let folder = terraform_root().join("modules");
    let mut all: Vec<PathBuf> = std::fs::read_dir(&folder)
        .with_context(|| format!("cannot list {}", folder.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.join("versions.tf").exists() || path.join("main.tf").exists())
        .collect();
    all.sort();
    all.push(super::envs_dir());
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

/// checkov's Terraform checks on `infra/terraform`, once per environment with its variable file
/// (so the modules are judged with the values each environment gives them, as applied): no
/// failed check. Prints, per environment, how many passed, failed and were skipped, and the
/// skipped ones by check (each skip is an inline `#checkov:skip=<check>:<reason>` next to its
/// resource; docs/security.md lists them).
pub fn checkov(tools: &Tools) -> anyhow::Result<()> {
    let mut failures = Vec::new();
    for env in [Environment::Dev, Environment::Prod] {
        let var_file = format!("infra/terraform/envs/{}", env.var_file());
        let ran = tools
            .checkov()
            .args([
                "--directory",
                "infra/terraform",
                "--var-file",
                &var_file,
                "--framework",
                "terraform",
                "--output",
                "json",
            ])
            .output()
            .context("cannot run checkov")?;
        // checkov exits 1 when a check fails; its JSON report is on stdout either way.
        let text = ran.stdout;
        if text.is_empty() {
            bail!(
                "checkov on infra/terraform with {var_file} printed no report ({}):\n{}",
                ran.status,
                String::from_utf8_lossy(&ran.stderr)
            );
        }
        let report = summarise_checkov(&text)?;
        eprintln!("    {env}: {}", report.line);
        failures.extend(
            report
                .failures
                .into_iter()
                .map(|failure| format!("{env}: {failure}")),
        );
    }
    if !failures.is_empty() {
        bail!(
            "checkov on infra/terraform: {} failed check(s) (fix them, or skip one inline with \
             `#checkov:skip=CKV_...:<reason>` next to its resource):\n  {}",
            failures.len(),
            failures.join("\n  ")
        );
    }
    Ok(())
}

/// What a checkov JSON report says: a summary line and one line per failed check.
pub struct CheckovReport {
    pub line: String,
    pub failures: Vec<String>,
}

/// Reads checkov's `--output json` (one report, or a list of them).
pub fn summarise_checkov(json: &[u8]) -> anyhow::Result<CheckovReport> {
    let parsed: serde_json::Value = serde_json::from_slice(json).context("checkov printed no JSON report")?;
    let reports = match parsed {
        serde_json::Value::Array(many) => many,
        one => vec![one],
    };
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut by_check = std::collections::BTreeMap::<String, usize>::new();
    let mut failures = Vec::new();
    for report in &reports {
        let count = |key: &str| report["summary"][key].as_u64().unwrap_or(0);
        passed += count("passed");
        failed += count("failed");
        skipped += count("skipped");
        for check in report["results"]["skipped_checks"]
            .as_array()
            .into_iter()
            .flatten()
        {
            *by_check
                .entry(check["check_id"].as_str().unwrap_or("?").to_owned())
                .or_default() += 1;
        }
        for check in report["results"]["failed_checks"]
            .as_array()
            .into_iter()
            .flatten()
        {
            failures.push(format!(
                "{} {} ({}:{}): {}",
                check["check_id"].as_str().unwrap_or("?"),
                check["resource"].as_str().unwrap_or("?"),
                check["file_path"].as_str().unwrap_or("?"),
                check["file_line_range"][0],
                check["check_name"].as_str().unwrap_or("")
            ));
        }
    }
    let skips: Vec<String> = by_check.iter().map(|(id, n)| format!("{id} x{n}")).collect();
    Ok(CheckovReport {
        line: format!(
            "checkov: {passed} passed, {failed} failed, {skipped} skipped ({})",
            skips.join(", ")
        ),
        failures,
    })
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check ids of every inline checkov skip: `#checkov:skip=<id>:` in Terraform,
    /// `checkov.io/skip<n>: <id>=` in the Kubernetes manifests.
    fn skipped_checks() -> std::collections::BTreeSet<String> {
        fn walk(dir: &Path, into: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, into);
                } else if path.extension().is_some_and(|e| e == "tf" || e == "yaml") {
                    into.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(&root().join("infra/terraform"), &mut files);
        walk(&root().join("k8s"), &mut files);
        let mut ids = std::collections::BTreeSet::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for line in text.lines() {
                let id = if let Some(rest) = line.split("checkov:skip=").nth(1) {
                    rest.split(':').next()
                } else if line.trim_start().starts_with("checkov.io/skip") {
                    line.split_once(':')
                        .and_then(|(_, rest)| rest.trim().split('=').next())
                } else {
                    None
                };
                ids.extend(id.map(|id| id.trim().to_owned()));
            }
        }
        ids
    }

    #[test]
    fn every_checkov_skip_is_listed_in_the_security_review() {
        let security = std::fs::read_to_string(root().join("docs/security.md")).unwrap();
        let section = security
            .split("## What checkov skips, and why")
            .nth(1)
            .expect("docs/security.md explains checkov's skips");
        let ids = skipped_checks();
        assert!(ids.len() >= 20, "{ids:?}");
        let missing: Vec<&String> = ids
            .iter()
            .filter(|id| !section.contains(&format!("`{id}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "checks skipped inline but not explained in docs/security.md: {missing:?}"
        );
    }

    #[test]
    fn a_checkov_report_is_summed_and_its_failures_named() {
        let report = br#"[{"check_type": "terraform",
            "summary": {"passed": 3, "failed": 1, "skipped": 2},
            "results": {"skipped_checks": [{"check_id": "CKV_AWS_356"}, {"check_id": "CKV_AWS_356"}],
                        "failed_checks": [{"check_id": "CKV_AWS_18", "resource": "aws_s3_bucket.x",
                                           "file_path": "/modules/s3/main.tf", "file_line_range": [4, 9],
                                           "check_name": "Ensure access logging"}]}}]"#;
        let summary = summarise_checkov(report).unwrap();
        assert_eq!(
            summary.line,
            "checkov: 3 passed, 1 failed, 2 skipped (CKV_AWS_356 x2)"
        );
        assert_eq!(
            summary.failures,
            ["CKV_AWS_18 aws_s3_bucket.x (/modules/s3/main.tf:4): Ensure access logging"]
        );
    }

    #[test]
    fn every_module_and_the_envs_are_found_for_validation() {
        let found: Vec<String> = configurations()
            .unwrap()
            .iter()
            .map(|path| relative(path))
            .collect();
        for expected in [
            "infra/terraform/modules/vpc",
            "infra/terraform/modules/eks",
            "infra/terraform/modules/ci",
            "infra/terraform/envs",
        ] {
            assert!(found.iter().any(|f| f == expected), "{expected} in {found:?}");
        }
    }
}
