//! Getting `expense-server` from a commit onto EKS: the image, the manifests and the workflow
//! that ships them (docs/deploying.md). Nothing here touches `infra/terraform`: that is `infra`,
//! whose outputs file is all this reads of it.
//!
//! Reading order: [`checks`] (the offline checks `cargo xtask test` runs on the delivery files),
//! [`images`] (`cargo xtask images`: build and push), then `cargo xtask deploy`: [`outputs`]
//! (what Terraform made), [`manifests`] (the release rendered with kustomize), [`eks`] (cluster
//! endpoint, CA and bearer token through the AWS SDK), [`kube`] (server-side apply over HTTPS),
//! [`deploy`] (order, migration, rollout wait, rollback), [`prune`] (what a release owns, and
//! removing what the next one no longer holds). `kube_double` is the recording
//! Kubernetes API the deploy tests run against; [`netpol`] says what a rendered release's
//! NetworkPolicies let through, [`workflow`] what the delivery workflow must hold.

use std::process::Command;

use anyhow::Context;

use crate::project::{output, root};

pub mod checks;
pub mod deploy;
pub mod eks;
pub mod images;
pub mod kube;
#[cfg(test)]
mod kube_double;
pub mod manifests;
pub mod netpol;
pub mod outputs;
pub mod prune;
pub mod workflow;

/// The git commit of HEAD: the default image tag.
pub fn git_head() -> anyhow::Result<String> {
    let sha = output(
        Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(root()),
        "git rev-parse HEAD",
    )
    .context("no --tag given and the git commit is unknown")?;
    Ok(String::from_utf8_lossy(&sha).trim().to_owned())
}
