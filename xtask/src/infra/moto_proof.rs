//! The proof, on every test run, that the dev environment applies: with no AWS account here, it
//! runs the real `bootstrap` and `provision` code against a fresh moto server on loopback.
//!
//! 1. bootstrap creates the backend; a second bootstrap changes nothing;
//! 2. a Route 53 zone for the test host names, so the certificate's DNS validation runs too;
//! 3. provision dev: init on the moto backend, plan, apply; the state is in the bucket and the
//!    outputs `deploy` reads are captured;
//! 4. a second plan has no changes (`-detailed-exitcode` 0): everything declared exists, no drift;
//! 5. destroy leaves no resource in the state and no bucket or table but the backend's.
//!
//! Terraform's output goes to `target/moto-proof/dev/terraform.log`; a failure shows its tail.
//! moto is stopped however this ends (it holds all state in memory, so nothing outlives it).

use anyhow::{Context, bail, ensure};
use expense_testkit::moto::MotoServer;

use super::aws::{AwsTarget, aws_error, block_on};
use super::bootstrap::bootstrap;
use super::provision::{DEPLOY_OUTPUTS, Stack, provision};
use super::{Backend, DEFAULT_REGION, Environment};
use crate::project::root;
use crate::tools::Tools;

/// The zone and names the test applies with (`.test` is reserved: never a real domain).
const ZONE: &str = "dev.expense.test";

pub fn run(tools: &Tools) -> anyhow::Result<()> {
    let python = tools.python().display().to_string();
    let moto = MotoServer::start_with_python(&python).context("cannot start moto")?;
    let target = AwsTarget {
        region: DEFAULT_REGION.to_owned(),
        endpoint_url: Some(moto.endpoint()),
    };
    eprintln!("    moto listening on {}", moto.endpoint());
    let env = Environment::Dev;

    eprintln!("--> bootstrap --env {env}");
    let first = block_on(bootstrap(&target, env))?;
    ensure!(
        !first.changes.is_empty(),
        "the first bootstrap on an empty moto changed nothing"
    );
    eprintln!("--> bootstrap --env {env} again: must change nothing");
    let second = block_on(bootstrap(&target, env))?;
    ensure!(
        second.changes.is_empty(),
        "a second bootstrap must change nothing, but it did: {:?}",
        second.changes
    );
    eprintln!("    {}", second.summary());
    let backend = second.backend;

    let zone_id = block_on(create_zone(&target))?;
    let vars: Vec<(String, String)> = [
        ("hostname", format!("api.{ZONE}")),
        ("mail_from", format!("no-reply@{ZONE}")),
        ("route53_zone_id", zone_id),
        // An explicit ALB, so the ALB alarms are created too (none exists without a cluster).
        (
            "alb_arn_suffixes",
            r#"["app/expense-dev/0123456789abcdef"]"#.to_owned(),
        ),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();

    let work_dir = root().join("target/moto-proof").join(env.as_str());
    if work_dir.exists() {
        std::fs::remove_dir_all(&work_dir)?;
    }
    eprintln!("--> provision --env {env} (log: target/moto-proof/dev/terraform.log)");
    let stack = Stack::init(
        env,
        target.clone(),
        backend.clone(),
        &vars,
        &work_dir,
        Some(work_dir.join("terraform.log")),
    )?;
    let outcome = provision(&stack, false)?;
    ensure!(outcome.changed, "the first plan on an empty moto had no changes");
    let outputs = outcome.outputs.expect("applied, so outputs were captured");
    check_outputs(&outputs)?;
    let addresses = stack.resources()?;
    let data_sources = addresses
        .iter()
        .filter(|address| address.split('.').any(|part| part == "data"))
        .count();
    eprintln!(
        "    {} resources (and {data_sources} data sources) in the state",
        addresses.len() - data_sources
    );
    block_on(check_state_object(&target, &backend))?;

    eprintln!("--> second plan: must have no changes");
    if stack.plan(false)? {
        bail!(
            "the second plan after apply has changes (drift under moto, or a resource that was \
             not created); the whole plan is in {}:\n{}",
            stack
                .terraform()
                .log()
                .map(|l| l.display().to_string())
                .unwrap_or_default(),
            stack.planned_changes().join("\n")
        );
    }

    eprintln!("--> destroy");
    stack.destroy()?;
    let left = stack.resources()?;
    ensure!(left.is_empty(), "destroy left resources in the state: {left:?}");
    block_on(check_nothing_left(&target, &backend))?;
    drop(moto);
    Ok(())
}

/// A public hosted zone for [`ZONE`]; returns its bare id (without `/hostedzone/`).
async fn create_zone(target: &AwsTarget) -> anyhow::Result<String> {
    let created = target
        .route53()
        .await
        .create_hosted_zone()
        .name(ZONE)
        .caller_reference(uuid::Uuid::now_v7().to_string())
        .send()
        .await
        .map_err(aws_error)
        .context("cannot create the test's hosted zone")?;
    let id = created
        .hosted_zone()
        .map(|zone| zone.id().trim_start_matches("/hostedzone/").to_owned())
        .context("CreateHostedZone returned no zone")?;
    Ok(id)
}

/// Every output `deploy` reads is in the captured file, with a value.
fn check_outputs(path: &std::path::Path) -> anyhow::Result<()> {
    let outputs: serde_json::Value = serde_json::from_slice(&std::fs::read(path)?)?;
    let missing: Vec<&str> = DEPLOY_OUTPUTS
        .iter()
        .copied()
        .filter(|name| outputs[*name]["value"].is_null())
        .collect();
    ensure!(
        missing.is_empty(),
        "outputs deploy needs are missing or null in {}: {missing:?}",
        path.display()
    );
    Ok(())
}

/// The state was written to the backend bucket (not to a local file).
async fn check_state_object(target: &AwsTarget, backend: &Backend) -> anyhow::Result<()> {
    target
        .s3()
        .await
        .head_object()
        .bucket(&backend.bucket)
        .key(&backend.state_key)
        .send()
        .await
        .map_err(aws_error)
        .with_context(|| format!("no state object s3://{}/{}", backend.bucket, backend.state_key))?;
    Ok(())
}

/// After destroy, the only bucket and table left are the backend's own.
async fn check_nothing_left(target: &AwsTarget, backend: &Backend) -> anyhow::Result<()> {
    let buckets = target.s3().await.list_buckets().send().await.map_err(aws_error)?;
    let other_buckets: Vec<&str> = buckets
        .buckets()
        .iter()
        .filter_map(|bucket| bucket.name())
        .filter(|name| *name != backend.bucket)
        .collect();
    let tables = target
        .dynamodb()
        .await
        .list_tables()
        .send()
        .await
        .map_err(aws_error)?;
    let other_tables: Vec<&String> = tables
        .table_names()
        .iter()
        .filter(|name| **name != backend.lock_table)
        .collect();
    ensure!(
        other_buckets.is_empty() && other_tables.is_empty(),
        "destroy left buckets {other_buckets:?} and tables {other_tables:?}"
    );
    eprintln!("    nothing left but the backend ({})", backend.bucket);
    Ok(())
}
