//! The proof, on every test run, that the dev environment applies: with no AWS account here, it
//! runs the real `bootstrap` and `provision` code against a fresh moto server on loopback.
//!
//! 1. bootstrap creates the backend; a second bootstrap changes nothing;
//! 2. a Route 53 zone for the test host names, so the certificate's DNS validation runs too;
//! 3. provision dev: init on the moto backend, plan, apply; the state is in the bucket and the
//!    outputs `deploy` reads are captured;
//!    then what was applied is checked against what the delivery needs: the release rendered
//!    from these outputs admits the ALB's subnets and reaches the database's subnets (as
//!    Terraform recorded them), the deploy role trusts exactly this repository's environment on
//!    its branch, and every other role carries the permissions boundary; the IAM policies as
//!    applied are evaluated against the least-privilege matrix ([`super::least_privilege`]);
//!    and a fresh `provision --outputs-only` (what a rollback job runs) reads the same outputs;
//! 4. a second plan has no changes (`-detailed-exitcode` 0): everything declared exists, no drift;
//! 5. destroy leaves no resource in the state and no bucket or table but the backend's.
//!
//! Terraform's output goes to `target/moto-proof/dev/terraform.log`; a failure shows its tail.
//! moto is stopped however this ends (it holds all state in memory, so nothing outlives it).

use anyhow::{Context, bail, ensure};
use expense_testkit::moto::MotoServer;

use serde_json::Value;

use super::aws::{AwsTarget, aws_error, block_on};
use super::bootstrap::bootstrap;
use super::provision::{DEPLOY_OUTPUTS, Stack, provision};
use super::{Backend, DEFAULT_REGION, Environment};
use crate::delivery::manifests::Renderer;
use crate::delivery::netpol::{self, Cidr};
use crate::delivery::outputs::Outputs;
use crate::project::root;
use crate::tools::Tools;

/// The zone and names the test applies with (`.test` is reserved: never a real domain).
const ZONE: &str = "dev.expense.test";

/// The repository the test's deploy role trusts.
const GITHUB_REPOSITORY: &str = "example-org/expense-tracker";

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
        ("github_repository", GITHUB_REPOSITORY.to_owned()),
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
    let state_json = stack.terraform().capture(&["show", "-json"])?;
    std::fs::write(work_dir.join("state.json"), &state_json)?;
    let state: Value =
        serde_json::from_slice(&state_json).context("terraform show -json did not print JSON")?;
    let resources = state_resources(&state);
    check_network_policies(&resources, &outputs)?;
    check_ci_identity(&resources)?;
    let started = std::time::Instant::now();
    let summary = super::least_privilege::check(&state, crate::npm::ensure()?.dir())?;
    eprintln!(
        "    least privilege: {} identities, {} allowed and {} denied lines ({} requests with patterns expanded) hold, and each identity widened to `*` fails them ({:.1?})",
        summary.identities,
        summary.allowed,
        summary.denied,
        summary.evaluated,
        started.elapsed()
    );
    check_outputs_only(env, &target, &backend, &vars, &work_dir, &outputs)?;

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

/// Every resource of a `terraform show -json` state, in any module.
fn state_resources(state: &Value) -> Vec<&Value> {
    fn walk<'a>(module: &'a Value, into: &mut Vec<&'a Value>) {
        into.extend(module["resources"].as_array().into_iter().flatten());
        for child in module["child_modules"].as_array().into_iter().flatten() {
            walk(child, into);
        }
    }
    let mut all = Vec::new();
    walk(&state["values"]["root_module"], &mut all);
    all
}

fn of_type<'a>(resources: &[&'a Value], address_prefix: &str) -> Vec<&'a Value> {
    resources
        .iter()
        .copied()
        .filter(|r| {
            r["address"]
                .as_str()
                .is_some_and(|a| a.starts_with(address_prefix))
        })
        .collect()
}

/// The release rendered from the applied outputs admits the ALB where the VPC put the public
/// (ELB-tagged) subnets and reaches Postgres where the DB subnet group is.
fn check_network_policies(resources: &[&Value], outputs: &std::path::Path) -> anyhow::Result<()> {
    let subnets = of_type(resources, "module.vpc.aws_subnet.");
    let cidr_of = |subnet: &Value| Cidr::parse(subnet["values"]["cidr_block"].as_str().unwrap_or_default());
    let alb_subnets: Vec<Cidr> = subnets
        .iter()
        .filter(|s| s["values"]["tags"]["kubernetes.io/role/elb"] == "1")
        .map(|s| cidr_of(s))
        .collect::<anyhow::Result<_>>()?;
    let group = of_type(resources, "module.rds.aws_db_subnet_group.this");
    let group_ids: Vec<&str> =
        group.first().context("no DB subnet group in the state")?["values"]["subnet_ids"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
    let database_subnets: Vec<Cidr> = subnets
        .iter()
        .filter(|s| {
            s["values"]["id"]
                .as_str()
                .is_some_and(|id| group_ids.contains(&id))
        })
        .map(|s| cidr_of(s))
        .collect::<anyhow::Result<_>>()?;
    ensure!(
        alb_subnets.len() == 3 && database_subnets.len() == 3,
        "expected three ALB and three database subnets in the state, found {alb_subnets:?} and {database_subnets:?}"
    );
    let render_dir = root().join("target/moto-proof/dev/release");
    std::fs::create_dir_all(&render_dir)?;
    let objects = Renderer::new(
        Environment::Dev,
        "123456789012",
        Outputs::read(outputs, Environment::Dev)?,
        &render_dir,
    )
    .render("moto-proof")?;
    let problems = netpol::check_environment(&objects, &alb_subnets, &database_subnets)?;
    ensure!(
        problems.is_empty(),
        "the NetworkPolicies rendered from the applied outputs do not fit the applied VPC:\n  {}",
        problems.join("\n  ")
    );
    eprintln!(
        "    NetworkPolicies: the ALB subnets {} and the database subnets {} fit",
        alb_subnets
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        database_subnets
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// The deploy role trusts exactly this repository's environment dev on main, through the
/// GitHub OIDC provider; every other role of the environment carries the permissions boundary.
fn check_ci_identity(resources: &[&Value]) -> anyhow::Result<()> {
    let provider = of_type(resources, "module.ci.aws_iam_openid_connect_provider.github")
        .first()
        .copied()
        .context("no GitHub OIDC provider in the state")?;
    ensure!(
        provider["values"]["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("token.actions.githubusercontent.com")),
        "the GitHub OIDC provider has url {}",
        provider["values"]["url"]
    );
    let deploy = of_type(resources, "module.ci.aws_iam_role.deploy")
        .first()
        .copied()
        .context("no deploy role in the state")?;
    let trust: Value = serde_json::from_str(deploy["values"]["assume_role_policy"].as_str().unwrap_or("{}"))?;
    let statements = trust["Statement"].as_array().cloned().unwrap_or_default();
    ensure!(
        statements.len() == 1,
        "the deploy role's trust has {} statements, not 1",
        statements.len()
    );
    let statement = &statements[0];
    let as_list = |value: &Value| -> Vec<String> {
        match value {
            Value::String(one) => vec![one.clone()],
            Value::Array(many) => many
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    let expected_sub = format!("repo:{GITHUB_REPOSITORY}:environment:dev:ref:refs/heads/main");
    ensure!(
        statement["Effect"] == "Allow"
            && as_list(&statement["Action"]) == ["sts:AssumeRoleWithWebIdentity"]
            && as_list(&statement["Principal"]["Federated"])
                == [provider["values"]["arn"].as_str().unwrap_or_default()]
            && as_list(&statement["Condition"]["StringEquals"]["token.actions.githubusercontent.com:aud"])
                == ["sts.amazonaws.com"]
            && as_list(&statement["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"])
                == [expected_sub.clone()]
            && statement["Condition"].as_object().is_some_and(|c| c.len() == 1),
        "the deploy role must trust only {expected_sub} (audience sts.amazonaws.com) through the GitHub provider: {trust}"
    );
    let boundary = of_type(resources, "module.ci.aws_iam_policy.boundary")
        .first()
        .copied()
        .context("no permissions boundary in the state")?["values"]["arn"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let roles: Vec<&Value> = resources
        .iter()
        .copied()
        .filter(|r| r["type"] == "aws_iam_role" && r["mode"] == "managed")
        .collect();
    let unbounded: Vec<&str> = roles
        .iter()
        .filter(|r| r["address"] != "module.ci.aws_iam_role.deploy")
        .filter(|r| r["values"]["permissions_boundary"].as_str() != Some(boundary.as_str()))
        .filter_map(|r| r["address"].as_str())
        .collect();
    ensure!(
        unbounded.is_empty(),
        "roles without the permissions boundary {boundary}: {unbounded:?}"
    );
    eprintln!(
        "    deploy role trusts {expected_sub} only; {} other roles carry the boundary",
        roles.len() - 1
    );
    Ok(())
}

/// What the rollback workflow runs, `provision --outputs-only` from a fresh working folder,
/// reads the outputs the apply wrote, planning and changing nothing.
fn check_outputs_only(
    env: Environment,
    target: &AwsTarget,
    backend: &Backend,
    vars: &[(String, String)],
    work_dir: &std::path::Path,
    applied: &std::path::Path,
) -> anyhow::Result<()> {
    let fresh = work_dir.join("outputs-only");
    let stack = Stack::init(
        env,
        target.clone(),
        backend.clone(),
        vars,
        &fresh,
        Some(fresh.join("terraform.log")),
    )?;
    let read: Value = serde_json::from_slice(&std::fs::read(stack.capture_outputs()?)?)?;
    let written: Value = serde_json::from_slice(&std::fs::read(applied)?)?;
    ensure!(
        read == written,
        "provision --outputs-only read other outputs than the apply wrote"
    );
    eprintln!("    provision --outputs-only (the rollback job) reads the applied outputs");
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
