//! `cargo xtask deploy --env <env> [--tag TAG | --rollback]`: one release of the manifests onto
//! the environment's EKS cluster, with the AWS SDK and plain HTTPS instead of the AWS CLI and
//! kubectl (docs/deploying.md, "Order of a deploy").
//!
//! 1. Reads the Terraform outputs (`target/provision/<env>/outputs.json`): cluster name, region,
//!    everything the manifests' placeholders stand for; the account id from STS.
//! 2. Cluster access ([`cluster_access`]): endpoint and CA from `aws-sdk-eks` DescribeCluster, a
//!    bearer token as `aws eks get-token` makes it ([`super::eks`]).
//! 3. Renders the release ([`super::manifests`]): the overlay with the outputs and the tag.
//! 4. Reads the release history back from the cluster: the namespace's annotations
//!    `expense-tracker/deployed-tag` and `expense-tracker/previous-tag`, and the tag the first
//!    Deployment runs. Rollback needs no local state: it deploys `previous-tag`.
//! 5. Server-side applies ([`super::kube`]) everything that is not a workload of the image
//!    (namespaces, accounts, RBAC, ConfigMaps, policies, Services, HPAs, PDBs, Ingresses, the log
//!    shipper), every object labelled a member of the release's ApplySet ([`super::prune`]), whose
//!    parent is widened, right after the namespaces, to the kinds and namespaces of the last
//!    release and this one; then records the release on the namespace under a field manager of
//!    its own (`expense-xtask-release`), so applying the manifests never removes those
//!    annotations.
//! 6. Runs the migrate Job of this tag (a finished one of the same name is deleted first) and
//!    waits for it to complete; a rollback skips it (migrations are backward compatible and are
//!    never undone). A failed Job stops the deploy with the old pods still serving.
//! 7. Applies the Deployments and CronJobs and waits for every Deployment's rollout as `kubectl
//!    rollout status` judges it (observedGeneration, updatedReplicas, old replicas gone,
//!    availableReplicas), printing each change; on timeout it fails naming each Deployment that
//!    is stuck and where.
//!
//! 8. Prunes ([`super::prune`]): deletes the members of the ApplySet this release no longer
//!    holds (or, for an object others own too, gives up deploy's fields of it), keeping
//!    namespaces and the ConfigMaps a ReplicaSet still references, then narrows the parent to
//!    this release. Only after every rollout finished: a failed deploy removes nothing.
//!
//! 9. Waits for the load balancer the Ingress got (its `status.loadBalancer` DNS name) and, when
//!    Terraform manages the DNS zone (output `route53_zone_id`), points the public host name at
//!    it (Route 53 CNAME, UPSERT), so the smoke test that follows reaches the new ALB; without a
//!    zone it prints the record to create.
//!
//! The waits poll; the timeouts are flags. The apply half is tested against
//! `kube_double::RecordingKubeApi`, the AWS half against moto.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use super::eks::{self, Cluster, TokenSource};
use super::kube::{FIELD_MANAGER, KubeApi, ObjectRef, Stage, apply_rank};
use super::manifests::{IMAGE_NAME, Renderer, containers, image_repository, image_tag};
use super::outputs::Outputs;
use super::prune::{ApplySet, Pruned, Scope};
use crate::infra::aws::{AwsTarget, block_on};
use crate::infra::{ENDPOINT_URL_VAR, Environment, resolve_endpoint};
use crate::project::step;

/// The namespace annotation naming the tag of the last deploy.
pub const DEPLOYED_TAG_ANNOTATION: &str = "expense-tracker/deployed-tag";

/// The namespace annotation naming the tag a rollback returns to.
pub const PREVIOUS_TAG_ANNOTATION: &str = "expense-tracker/previous-tag";

/// The field manager of the release annotations (not [`FIELD_MANAGER`]: an apply of the
/// manifests would remove fields it owns that the manifests lack).
pub const RELEASE_FIELD_MANAGER: &str = "expense-xtask-release";

#[derive(Debug, clap::Args)]
pub struct DeployArgs {
    /// The environment to deploy (`k8s/overlays/<env>`, `target/provision/<env>/outputs.json`).
    #[arg(long, value_enum)]
    pub env: Environment,
    /// The image tag to deploy, as pushed by `cargo xtask images` [default: the git commit of
    /// HEAD].
    #[arg(long, conflicts_with = "rollback")]
    pub tag: Option<String>,
    /// Deploy again the tag that ran before the current one (the namespace annotation
    /// `expense-tracker/previous-tag`), without running migrations.
    #[arg(long)]
    pub rollback: bool,
    /// Send the AWS calls (STS, EKS) to this endpoint, a moto server, with test credentials
    /// [default: $AWS_ENDPOINT_URL; unset = AWS].
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The Terraform outputs to read [default: target/provision/<env>/outputs.json].
    #[arg(long, value_name = "FILE")]
    pub outputs: Option<PathBuf>,
    /// How long the migrate Job may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 900)]
    pub migrate_timeout: u64,
    /// How long the Deployments may take to roll out, all together.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub rollout_timeout: u64,
}

/// What to deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// This tag, with its migrations.
    Deploy { tag: String },
    /// The previous tag recorded on the namespace, without migrations.
    Rollback,
}

/// How the waits poll and how long they may take.
#[derive(Debug, Clone)]
pub struct Settings {
    pub poll_interval: Duration,
    pub migrate_timeout: Duration,
    pub rollout_timeout: Duration,
}

/// What a deploy did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The tag now deployed.
    pub tag: String,
    /// The tag a rollback would return to.
    pub previous: Option<String>,
    /// Every applied object (`deployment expense/auth`), in apply order.
    pub applied: Vec<String>,
    /// Every progress line printed while waiting.
    pub progress: Vec<String>,
    /// What the release no longer holds, and what became of it.
    pub pruned: Pruned,
}

impl Report {
    fn progress(&mut self, line: String) {
        eprintln!("    {line}");
        self.progress.push(line);
    }
}

pub fn run(args: &DeployArgs) -> anyhow::Result<()> {
    let outputs_path = args
        .outputs
        .clone()
        .unwrap_or_else(|| Outputs::default_path(args.env));
    let outputs = Outputs::read(&outputs_path, args.env)?;
    let target = AwsTarget {
        region: outputs.string("region")?,
        endpoint_url: resolve_endpoint(args.endpoint_url.as_deref(), std::env::var(ENDPOINT_URL_VAR).ok()),
    };
    let mode = if args.rollback {
        Mode::Rollback
    } else {
        Mode::Deploy {
            tag: match &args.tag {
                Some(tag) => tag.clone(),
                None => super::git_head()?,
            },
        }
    };
    let settings = Settings {
        poll_interval: Duration::from_secs(2),
        migrate_timeout: Duration::from_secs(args.migrate_timeout),
        rollout_timeout: Duration::from_secs(args.rollout_timeout),
    };
    let what = match &mode {
        Mode::Deploy { tag } => format!("Deploying {tag} to {}", args.env),
        Mode::Rollback => format!("Rolling {} back to its previous tag", args.env),
    };
    step(&what);
    let cluster_name = outputs.string("cluster_name")?;
    let report = block_on(async {
        let account_id = target.account_id().await?;
        let (cluster, tokens) = cluster_access(&target, &cluster_name).await?;
        eprintln!("    cluster {}: {}", cluster.name, cluster.endpoint);
        let kube = KubeApi::new(&cluster.endpoint, &cluster.ca_pem()?, tokens)?;
        let renderer = Renderer::new(
            args.env,
            &account_id,
            outputs,
            &Renderer::default_work_dir(args.env),
        );
        let report = deploy(&kube, &renderer, &mode, &settings).await?;
        let load_balancer = wait_for_load_balancer(&kube, &renderer.namespace(), &settings).await?;
        let hostname = renderer_hostname(&renderer)?;
        match renderer.outputs().optional_string("route53_zone_id") {
            Some(zone) => {
                publish_hostname(&target.route53().await, &zone, &hostname, &load_balancer).await?;
                eprintln!("    {hostname}: CNAME {load_balancer} (Route 53 zone {zone})");
            }
            None => eprintln!(
                "    the ALB is {load_balancer}: point {hostname} at it (CNAME) at your DNS provider"
            ),
        }
        anyhow::Ok(report)
    })?;
    eprintln!(
        "\n{} is now on {} ({} objects applied). Roll back with `cargo xtask deploy --env {} --rollback`{}.",
        args.env,
        report.tag,
        report.applied.len(),
        args.env,
        match &report.previous {
            Some(previous) => format!(" (to {previous})"),
            None => " once there is an earlier release".to_owned(),
        }
    );
    Ok(())
}

/// The public host name of the release (Terraform output `hostname`).
fn renderer_hostname(renderer: &Renderer) -> anyhow::Result<String> {
    renderer.outputs().string("hostname")
}

/// The main Ingress of the application, whose status carries the ALB's DNS name.
pub const MAIN_INGRESS: &str = "expense";

/// Waits until the main Ingress has a load balancer address (Auto Mode creates the ALB within a
/// few minutes of the first apply) and returns its DNS name.
pub async fn wait_for_load_balancer(
    kube: &KubeApi,
    namespace: &str,
    settings: &Settings,
) -> anyhow::Result<String> {
    let ingress = ObjectRef::new("networking.k8s.io/v1", "Ingress", Some(namespace), MAIN_INGRESS)?;
    let started = Instant::now();
    let mut said = false;
    loop {
        let live = kube
            .get(&ingress)
            .await?
            .with_context(|| format!("{ingress} does not exist after the apply"))?;
        if let Some(hostname) = live["status"]["loadBalancer"]["ingress"][0]["hostname"].as_str() {
            eprintln!(
                "    {ingress}: load balancer {hostname} ({:.0?})",
                started.elapsed()
            );
            return Ok(hostname.to_owned());
        }
        if !said {
            eprintln!("    {ingress}: waiting for its load balancer");
            said = true;
        }
        if started.elapsed() > settings.rollout_timeout {
            bail!(
                "{ingress} got no load balancer within {:?}: `kubectl -n {namespace} describe ingress \
                 {MAIN_INGRESS}` shows the events of EKS Auto Mode's load balancing (subnet tags, \
                 certificate, IngressClass)",
                settings.rollout_timeout
            );
        }
        tokio::time::sleep(settings.poll_interval).await;
    }
}

/// Points `hostname` at `load_balancer` in the Route 53 zone `zone` (CNAME, 60 s, UPSERT) and
/// waits until Route 53 reports the change in sync.
pub async fn publish_hostname(
    route53: &aws_sdk_route53::Client,
    zone: &str,
    hostname: &str,
    load_balancer: &str,
) -> anyhow::Result<()> {
    use aws_sdk_route53::types::{
        Change, ChangeAction, ChangeBatch, ChangeStatus, ResourceRecord, ResourceRecordSet, RrType,
    };
    let record = ResourceRecordSet::builder()
        .name(hostname)
        .r#type(RrType::Cname)
        .ttl(60)
        .resource_records(ResourceRecord::builder().value(load_balancer).build()?)
        .build()?;
    let changed = route53
        .change_resource_record_sets()
        .hosted_zone_id(zone)
        .change_batch(
            ChangeBatch::builder()
                .comment("cargo xtask deploy: the public host name of the ALB")
                .changes(
                    Change::builder()
                        .action(ChangeAction::Upsert)
                        .resource_record_set(record)
                        .build()?,
                )
                .build()?,
        )
        .send()
        .await
        .map_err(crate::infra::aws::aws_error)
        .with_context(|| format!("cannot point {hostname} at {load_balancer} in Route 53 zone {zone}"))?;
    let mut info = changed.change_info().cloned();
    let started = Instant::now();
    while let Some(change) = info.as_ref().filter(|c| c.status() != &ChangeStatus::Insync) {
        if started.elapsed() > Duration::from_secs(300) {
            bail!("the Route 53 change for {hostname} is not in sync after 5 minutes");
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
        info = route53
            .get_change()
            .id(change.id())
            .send()
            .await
            .map_err(crate::infra::aws::aws_error)?
            .change_info()
            .cloned();
    }
    Ok(())
}

/// The cluster's endpoint and CA (DescribeCluster) and a source of bearer tokens for it, from
/// the credentials of `target`.
pub async fn cluster_access(
    target: &AwsTarget,
    cluster_name: &str,
) -> anyhow::Result<(Cluster, TokenSource)> {
    let config = target.sdk_config().await;
    let cluster = eks::describe_cluster(&aws_sdk_eks::Client::new(&config), cluster_name).await?;
    let tokens = TokenSource::new(&config, &target.region, cluster_name)?;
    Ok((cluster, tokens))
}

/// One deploy (or rollback) through `kube`, of the release `renderer` makes.
pub async fn deploy(
    kube: &KubeApi,
    renderer: &Renderer,
    mode: &Mode,
    settings: &Settings,
) -> anyhow::Result<Report> {
    deploy_edited(kube, renderer, mode, settings, |_| {}).await
}

/// [`deploy`] of the rendered release after `edit` changed it (tests remove objects this way, as
/// a commit that deletes them from `k8s/` would).
pub async fn deploy_edited(
    kube: &KubeApi,
    renderer: &Renderer,
    mode: &Mode,
    settings: &Settings,
    edit: impl FnOnce(&mut Vec<Value>),
) -> anyhow::Result<Report> {
    let namespace = renderer.namespace();
    let namespace_ref = ObjectRef::new("v1", "Namespace", None, &namespace)?;
    let annotations = kube
        .get(&namespace_ref)
        .await?
        .map(|found| found["metadata"]["annotations"].clone())
        .unwrap_or(Value::Null);
    let recorded = |name: &str| annotations[name].as_str().map(str::to_owned);
    let tag = match mode {
        Mode::Deploy { tag } => tag.clone(),
        Mode::Rollback => recorded(PREVIOUS_TAG_ANNOTATION).with_context(|| {
            format!(
                "nothing to roll back to: namespace {namespace} records no previous tag \
                 ({PREVIOUS_TAG_ANNOTATION}); deploy a known tag with --tag instead"
            )
        })?,
    };

    let applyset = ApplySet::new(&namespace);
    let mut rendered = renderer.render(&tag)?;
    edit(&mut rendered);
    let mut objects = Vec::new();
    for object in rendered {
        objects.push((ObjectRef::of(&object)?, applyset.label(&object)));
    }
    objects.sort_by_key(|(reference, _)| apply_rank(reference.resource));
    let scope = Scope::of(&objects, &namespace);

    let running = running_tag(kube, &objects).await?;
    let previous = [
        running,
        recorded(DEPLOYED_TAG_ANNOTATION),
        recorded(PREVIOUS_TAG_ANNOTATION),
    ]
    .into_iter()
    .flatten()
    .find(|candidate| *candidate != tag);
    let mut report = Report {
        tag: tag.clone(),
        previous: previous.clone(),
        ..Report::default()
    };
    eprintln!(
        "    release {tag}; previous: {}",
        previous.as_deref().unwrap_or("none")
    );

    let is_namespace = |r: &ObjectRef| r.resource.kind == "Namespace";
    for (reference, object) in objects.iter().filter(|(r, _)| is_namespace(r)) {
        apply(kube, reference, object, &mut report).await?;
    }
    // Before any other member exists, the parent covers where the last release and this one put
    // objects, so a deploy that stops half way still prunes everything next time.
    let recorded_scope = applyset.recorded(kube).await?;
    let widened = recorded_scope.union(&scope);
    applyset.record(kube, &widened).await?;
    for (reference, object) in objects
        .iter()
        .filter(|(r, _)| r.resource.stage == Stage::Foundation && !is_namespace(r))
    {
        apply(kube, reference, object, &mut report).await?;
    }
    record_release(kube, &namespace, &tag, previous.as_deref()).await?;

    let jobs = objects
        .iter()
        .filter(|(r, _)| r.resource.stage == Stage::Migration);
    match mode {
        Mode::Deploy { .. } => {
            for (reference, object) in jobs {
                run_job(kube, reference, object, settings, &mut report).await?;
            }
        }
        Mode::Rollback => {
            for (reference, _) in jobs {
                eprintln!("    {reference}: skipped (a rollback does not migrate)");
            }
        }
    }

    let workloads: Vec<&(ObjectRef, Value)> = objects
        .iter()
        .filter(|(r, _)| r.resource.stage == Stage::Workload)
        .collect();
    for (reference, object) in &workloads {
        apply(kube, reference, object, &mut report).await?;
    }
    let deployments: Vec<ObjectRef> = workloads
        .iter()
        .filter(|(r, _)| r.resource.kind == "Deployment")
        .map(|(r, _)| r.clone())
        .collect();
    wait_for_rollouts(kube, &deployments, settings, &mut report).await?;

    report.pruned = applyset.prune(kube, &widened, &objects).await?;
    applyset.record(kube, &scope).await?;
    for line in &report.pruned.deleted {
        eprintln!("    {line}: deleted (no longer in the release)");
    }
    for line in report.pruned.released.iter().chain(&report.pruned.kept) {
        eprintln!("    {line}");
    }
    Ok(report)
}

async fn apply(
    kube: &KubeApi,
    reference: &ObjectRef,
    object: &Value,
    report: &mut Report,
) -> anyhow::Result<()> {
    kube.apply(object, FIELD_MANAGER).await?;
    eprintln!("    {reference}: applied");
    report.applied.push(reference.to_string());
    Ok(())
}

/// The tag the first Deployment of ours runs now, if it exists.
async fn running_tag(kube: &KubeApi, objects: &[(ObjectRef, Value)]) -> anyhow::Result<Option<String>> {
    let Some((deployment, _)) = objects.iter().find(|(r, _)| r.resource.kind == "Deployment") else {
        return Ok(None);
    };
    let Some(live) = kube.get(deployment).await? else {
        return Ok(None);
    };
    Ok(containers(&live)
        .into_iter()
        .filter_map(|container| container["image"].as_str())
        .find(|image| image_repository(image).rsplit('/').next() == Some(IMAGE_NAME))
        .and_then(image_tag)
        .map(str::to_owned))
}

/// Records `tag` (and the one before it) on the namespace.
async fn record_release(
    kube: &KubeApi,
    namespace: &str,
    tag: &str,
    previous: Option<&str>,
) -> anyhow::Result<()> {
    let mut annotations = json!({ DEPLOYED_TAG_ANNOTATION: tag });
    if let Some(previous) = previous {
        annotations[PREVIOUS_TAG_ANNOTATION] = previous.into();
    }
    let release = json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": { "name": namespace, "annotations": annotations },
    });
    kube.apply(&release, RELEASE_FIELD_MANAGER)
        .await
        .context("cannot record the release on the namespace")?;
    Ok(())
}

/// Where a Job stands.
#[derive(Debug, PartialEq, Eq)]
enum JobState {
    Running(String),
    Complete,
    Failed(String),
}

fn job_state(job: &Value) -> JobState {
    let status = &job["status"];
    for condition in status["conditions"].as_array().into_iter().flatten() {
        if condition["status"] != "True" {
            continue;
        }
        match condition["type"].as_str() {
            Some("Complete") => return JobState::Complete,
            Some("Failed") => {
                return JobState::Failed(format!(
                    "{}: {}",
                    condition["reason"].as_str().unwrap_or("Failed"),
                    condition["message"].as_str().unwrap_or("no message")
                ));
            }
            _ => {}
        }
    }
    let count = |field: &str| status[field].as_u64().unwrap_or(0);
    JobState::Running(format!(
        "{} active, {} succeeded, {} failed",
        count("active"),
        count("succeeded"),
        count("failed")
    ))
}

/// Applies the Job (after deleting a finished one of the same name) and waits for it.
async fn run_job(
    kube: &KubeApi,
    reference: &ObjectRef,
    object: &Value,
    settings: &Settings,
    report: &mut Report,
) -> anyhow::Result<()> {
    if let Some(existing) = kube.get(reference).await? {
        if let JobState::Running(state) = job_state(&existing) {
            bail!(
                "{reference} from an earlier deploy of this tag is still running ({state}): wait for \
                 it, or delete it, then deploy again"
            );
        }
        kube.delete(reference).await?;
        report.progress(format!(
            "{reference}: deleted the finished Job of an earlier deploy"
        ));
        let deadline = Instant::now() + Duration::from_secs(120);
        while kube.get(reference).await?.is_some() {
            if Instant::now() > deadline {
                bail!("{reference} was not deleted within 2 minutes");
            }
            tokio::time::sleep(settings.poll_interval).await;
        }
    }
    apply(kube, reference, object, report).await?;
    let started = Instant::now();
    let mut last = String::new();
    loop {
        let job = kube
            .get(reference)
            .await?
            .with_context(|| format!("{reference} disappeared while running"))?;
        match job_state(&job) {
            JobState::Complete => {
                report.progress(format!("{reference}: complete ({:.0?})", started.elapsed()));
                return Ok(());
            }
            JobState::Failed(why) => bail!(
                "{reference} failed ({why}); the old pods keep serving. Its logs: `kubectl -n {} logs \
                 job/{}` or CloudWatch",
                reference.namespace.as_deref().unwrap_or_default(),
                reference.name
            ),
            JobState::Running(state) => {
                if state != last {
                    report.progress(format!("{reference}: {state}"));
                    last = state;
                }
            }
        }
        if started.elapsed() > settings.migrate_timeout {
            bail!(
                "{reference} did not complete within {:?} ({last}); the old pods keep serving",
                settings.migrate_timeout
            );
        }
        tokio::time::sleep(settings.poll_interval).await;
    }
}

/// Where a Deployment's rollout stands, judged as `kubectl rollout status` does.
#[derive(Debug, PartialEq, Eq)]
enum Rollout {
    Waiting(String),
    Done,
    Failed(String),
}

fn rollout_state(deployment: &Value) -> Rollout {
    let count = |value: &Value| value.as_u64().unwrap_or(0);
    let generation = count(&deployment["metadata"]["generation"]);
    let status = &deployment["status"];
    if count(&status["observedGeneration"]) < generation {
        return Rollout::Waiting("waiting for the new spec to be observed".to_owned());
    }
    for condition in status["conditions"].as_array().into_iter().flatten() {
        if condition["type"] == "Progressing" && condition["reason"] == "ProgressDeadlineExceeded" {
            return Rollout::Failed(format!(
                "exceeded its progress deadline: {}",
                condition["message"].as_str().unwrap_or_default()
            ));
        }
    }
    let updated = count(&status["updatedReplicas"]);
    let replicas = count(&status["replicas"]);
    let available = count(&status["availableReplicas"]);
    if let Some(wanted) = deployment["spec"]["replicas"].as_u64()
        && updated < wanted
    {
        return Rollout::Waiting(format!("{updated} of {wanted} new replicas updated"));
    }
    if replicas > updated {
        return Rollout::Waiting(format!("{} old replicas pending termination", replicas - updated));
    }
    if available < updated {
        return Rollout::Waiting(format!("{available} of {updated} updated replicas are available"));
    }
    Rollout::Done
}

/// Waits until every Deployment has rolled out, printing each change of state; fails on timeout
/// naming every Deployment still waiting, and what for.
async fn wait_for_rollouts(
    kube: &KubeApi,
    deployments: &[ObjectRef],
    settings: &Settings,
    report: &mut Report,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut waiting: Vec<(&ObjectRef, String)> = deployments.iter().map(|d| (d, String::new())).collect();
    while !waiting.is_empty() {
        let mut still = Vec::new();
        for (deployment, last) in waiting {
            let live = kube
                .get(deployment)
                .await?
                .with_context(|| format!("{deployment} disappeared during its rollout"))?;
            match rollout_state(&live) {
                Rollout::Done => {
                    report.progress(format!("{deployment}: rolled out ({:.0?})", started.elapsed()))
                }
                Rollout::Failed(why) => bail!("{deployment} {why}"),
                Rollout::Waiting(state) => {
                    if state != last {
                        report.progress(format!("{deployment}: {state}"));
                    }
                    still.push((deployment, state));
                }
            }
        }
        waiting = still;
        if waiting.is_empty() {
            break;
        }
        if started.elapsed() > settings.rollout_timeout {
            let stuck: Vec<String> = waiting
                .iter()
                .map(|(deployment, state)| format!("{deployment}: {state}"))
                .collect();
            bail!(
                "the rollout did not finish within {:?}; still waiting for:\n  {}\n(`kubectl -n <ns> \
                 describe deployment <name>` and the pods' events say why)",
                settings.rollout_timeout,
                stuck.join("\n  ")
            );
        }
        tokio::time::sleep(settings.poll_interval).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use aws_sdk_eks::types::VpcConfigRequest;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use expense_testkit::moto::MotoServer;

    use super::*;
    use crate::delivery::kube_double::{Recorded, RecordingKubeApi};
    use crate::delivery::manifests::tests::{dev_outputs, work_dir};
    use crate::delivery::prune::{GROUP_KINDS_ANNOTATION, NAMESPACES_ANNOTATION, PARENT_NAME, PART_OF_LABEL};
    use crate::infra::aws::aws_error;

    const TAG_A: &str = "3f9c2e1d0a4b5c6d7e8f";
    const TAG_B: &str = "b7e1c0ffee42";

    fn settings(rollout_timeout: Duration) -> Settings {
        Settings {
            poll_interval: Duration::from_millis(20),
            migrate_timeout: Duration::from_secs(10),
            rollout_timeout,
        }
    }

    /// The error of deploying `TAG_A` to dev through `api`, which must make it fail.
    async fn failed_deploy(api: &RecordingKubeApi, rollout_timeout: Duration) -> String {
        let kube = kube_for(api).await;
        let work = work_dir();
        let renderer = Renderer::new(Environment::Dev, "123456789012", dev_outputs(), work.path());
        deploy(&kube, &renderer, &deploy_mode(TAG_A), &settings(rollout_timeout))
            .await
            .unwrap_err()
            .to_string()
    }

    /// A client of `api` with tokens signed by fixed test credentials (no AWS call).
    async fn kube_for(api: &RecordingKubeApi) -> KubeApi {
        let target = AwsTarget {
            region: "eu-central-1".to_owned(),
            endpoint_url: Some("http://127.0.0.1:9".to_owned()),
        };
        let tokens = TokenSource::new(&target.sdk_config().await, "eu-central-1", "expense-dev").unwrap();
        KubeApi::new(api.url(), api.ca_pem(), tokens).unwrap()
    }

    fn deploy_mode(tag: &str) -> Mode {
        Mode::Deploy { tag: tag.to_owned() }
    }

    /// The applies of the manifests (not the release annotations), as (kind, name) and request.
    fn manifest_applies(requests: &[Recorded]) -> Vec<(String, String, &Recorded)> {
        requests
            .iter()
            .filter(|r| {
                r.method == "PATCH" && r.query.get("fieldManager").map(String::as_str) == Some(FIELD_MANAGER)
            })
            .map(|r| {
                let body = r.body.as_ref().expect("an apply has a body");
                (
                    body["kind"].as_str().unwrap().to_owned(),
                    body["metadata"]["name"].as_str().unwrap().to_owned(),
                    r,
                )
            })
            .collect()
    }

    #[tokio::test]
    async fn deploy_applies_the_dev_release_in_order_migrates_first_and_waits_for_every_rollout() {
        // The AWS half against moto: the cluster, the account, the token's credentials.
        let moto = MotoServer::start().expect("moto starts (run the suite with `cargo xtask test`)");
        let target = AwsTarget {
            region: "eu-central-1".to_owned(),
            endpoint_url: Some(moto.endpoint()),
        };
        aws_sdk_eks::Client::new(&target.sdk_config().await)
            .create_cluster()
            .name("expense-dev")
            .role_arn("arn:aws:iam::123456789012:role/expense-dev-cluster")
            .resources_vpc_config(VpcConfigRequest::builder().subnet_ids("subnet-0a").build())
            .send()
            .await
            .map_err(aws_error)
            .unwrap();
        let account_id = target.account_id().await.unwrap();
        let (cluster, tokens) = cluster_access(&target, "expense-dev").await.unwrap();
        assert!(
            cluster.endpoint.ends_with(".eu-central-1.eks.amazonaws.com"),
            "{}",
            cluster.endpoint
        );

        // moto's endpoint and CA are invented: the Kubernetes half goes to the recording double,
        // over TLS with the double's CA as the only trusted root.
        let api = RecordingKubeApi::start().await;
        let kube = KubeApi::new(api.url(), api.ca_pem(), tokens).unwrap();
        let work = work_dir();
        let renderer = Renderer::new(Environment::Dev, &account_id, dev_outputs(), work.path());
        let report = deploy(
            &kube,
            &renderer,
            &deploy_mode(TAG_A),
            &settings(Duration::from_secs(10)),
        )
        .await
        .unwrap();
        assert_eq!(report.tag, TAG_A);
        assert_eq!(report.previous, None, "a first deploy has nothing to return to");

        let requests = api.requests();
        let applies = manifest_applies(&requests);
        let rendered = renderer.render(TAG_A).unwrap();
        let applyset = ApplySet::new("expense");
        for request in &requests {
            let expected = request.status < 300 || (request.status == 404 && request.method == "GET");
            assert!(
                expected,
                "{} {} answered {}",
                request.method, request.path, request.status
            );
        }

        // Every rendered object applied exactly once, with server-side apply.
        let mut applied: Vec<(String, String)> =
            applies.iter().map(|(k, n, _)| (k.clone(), n.clone())).collect();
        let mut expected: Vec<(String, String)> = rendered
            .iter()
            .map(|o| {
                (
                    o["kind"].as_str().unwrap().to_owned(),
                    o["metadata"]["name"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(applies.len(), rendered.len(), "one apply per object");
        applied.sort();
        expected.sort();
        assert_eq!(applied, expected);
        for (kind, name, request) in &applies {
            assert_eq!(
                request.content_type.as_deref(),
                Some("application/apply-patch+yaml"),
                "{kind} {name}"
            );
            assert_eq!(request.query.get("force").map(String::as_str), Some("true"));
            let sent = request.body.as_ref().unwrap();
            assert_eq!(
                sent["metadata"]["labels"][PART_OF_LABEL],
                applyset.id.as_str(),
                "{kind} {name} is labelled a member of the release"
            );
            assert!(
                rendered.iter().any(|object| applyset.label(object) == *sent),
                "{kind} {name} is sent as rendered"
            );
        }

        // In dependency order: the kinds never go back in this order.
        const ORDER: &[&str] = &[
            "Namespace",
            "NodeClass",
            "NodePool",
            "IngressClassParams",
            "IngressClass",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "ConfigMap",
            "NetworkPolicy",
            "Service",
            "PodDisruptionBudget",
            "HorizontalPodAutoscaler",
            "Ingress",
            "DaemonSet",
            "Job",
            "Deployment",
            "CronJob",
        ];
        let positions: Vec<usize> = applies
            .iter()
            .map(|(kind, _, _)| {
                ORDER
                    .iter()
                    .position(|k| k == kind)
                    .unwrap_or_else(|| panic!("{kind}"))
            })
            .collect();
        assert!(positions.is_sorted(), "{applied:?}");

        // The migrate Job of this tag completed before the first Deployment was applied.
        let job_path = "/apis/batch/v1/namespaces/expense/jobs/migrate-3f9c2e1d0a4b";
        let job_done = requests
            .iter()
            .position(|r| {
                r.method == "GET"
                    && r.path == job_path
                    && r.response
                        .as_ref()
                        .is_some_and(|job| job_state(job) == JobState::Complete)
            })
            .expect("deploy waited for the Job to complete");
        let first_deployment = requests
            .iter()
            .position(|r| r.method == "PATCH" && r.path.contains("/deployments/"))
            .unwrap();
        assert!(job_done < first_deployment);

        // The tag is on every container of every Deployment, Job and CronJob sent.
        let image = format!("{account_id}.dkr.ecr.eu-central-1.amazonaws.com/expense-server:{TAG_A}");
        let mut workloads = 0;
        for (kind, name, request) in &applies {
            if ["Deployment", "Job", "CronJob"].contains(&kind.as_str()) {
                workloads += 1;
                let body = request.body.as_ref().unwrap();
                let images: Vec<&Value> = containers(body).iter().map(|c| &c["image"]).collect();
                assert!(!images.is_empty(), "{kind} {name}");
                assert!(images.iter().all(|i| **i == image), "{kind} {name}: {images:?}");
            }
        }
        assert_eq!(workloads, 6);

        // Every request carried an EKS token for this cluster.
        for request in &requests {
            let token = request
                .authorization
                .as_deref()
                .and_then(|value| value.strip_prefix("Bearer "))
                .expect("a bearer token");
            let url = URL_SAFE_NO_PAD
                .decode(token.strip_prefix(eks::TOKEN_PREFIX).expect("an EKS token"))
                .unwrap();
            let url = reqwest::Url::parse(std::str::from_utf8(&url).unwrap()).unwrap();
            let params: BTreeMap<_, _> = url.query_pairs().into_owned().collect();
            assert_eq!(url.host_str(), Some("sts.eu-central-1.amazonaws.com"));
            assert_eq!(params["Action"], "GetCallerIdentity");
            assert_eq!(params["X-Amz-SignedHeaders"], "host;x-k8s-aws-id");
            assert_eq!(params["X-Amz-Expires"], "60");
        }

        // The rollout wait saw each Deployment progress, then finish.
        for name in ["auth", "expenses", "receipts", "notifications"] {
            let lines: Vec<&String> = report
                .progress
                .iter()
                .filter(|line| line.starts_with(&format!("deployment expense/{name}: ")))
                .collect();
            assert!(lines.len() >= 3, "{name}: {lines:?}");
            assert!(lines.last().unwrap().contains("rolled out"), "{name}: {lines:?}");
            assert!(
                lines
                    .iter()
                    .any(|line| line.contains("updated replicas are available")),
                "{name}: {lines:?}"
            );
        }

        // The release is recorded on the namespace for the next deploy and for rollback.
        let namespace = api.object("/api/v1/namespaces/expense").unwrap();
        assert_eq!(
            namespace["metadata"]["annotations"][DEPLOYED_TAG_ANNOTATION],
            TAG_A
        );
        assert!(
            namespace["metadata"]["annotations"]
                .get(PREVIOUS_TAG_ANNOTATION)
                .is_none()
        );
        assert_eq!(
            namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"], "restricted",
            "the manifests' fields and the release's live side by side"
        );
    }

    #[tokio::test]
    async fn the_host_name_is_pointed_at_the_load_balancer_the_ingress_got() {
        let api = RecordingKubeApi::start().await;
        let kube = kube_for(&api).await;
        let work = work_dir();
        let renderer = Renderer::new(Environment::Dev, "123456789012", dev_outputs(), work.path());
        let fast = settings(Duration::from_secs(10));
        deploy(&kube, &renderer, &deploy_mode(TAG_A), &fast)
            .await
            .unwrap();
        let load_balancer = wait_for_load_balancer(&kube, "expense", &fast).await.unwrap();
        assert_eq!(
            load_balancer,
            crate::delivery::kube_double::LOAD_BALANCER_HOSTNAME
        );

        let moto = MotoServer::start().expect("moto starts (run the suite with `cargo xtask test`)");
        let target = AwsTarget {
            region: "eu-central-1".to_owned(),
            endpoint_url: Some(moto.endpoint()),
        };
        let route53 = target.route53().await;
        let zone = route53
            .create_hosted_zone()
            .name("dev.expense.test")
            .caller_reference("deploy-test")
            .send()
            .await
            .map_err(aws_error)
            .unwrap()
            .hosted_zone()
            .unwrap()
            .id()
            .trim_start_matches("/hostedzone/")
            .to_owned();
        for _ in 0..2 {
            // A second deploy finds the record and leaves one.
            publish_hostname(&route53, &zone, "api.dev.expense.test", &load_balancer)
                .await
                .unwrap();
        }
        let records = route53
            .list_resource_record_sets()
            .hosted_zone_id(&zone)
            .send()
            .await
            .map_err(aws_error)
            .unwrap();
        let cnames: Vec<_> = records
            .resource_record_sets()
            .iter()
            .filter(|r| r.r#type().as_str() == "CNAME")
            .collect();
        assert_eq!(cnames.len(), 1, "{cnames:?}");
        assert_eq!(cnames[0].name().trim_end_matches('.'), "api.dev.expense.test");
        assert_eq!(cnames[0].resource_records()[0].value(), load_balancer);
    }

    #[tokio::test]
    async fn a_deployment_that_never_becomes_available_fails_the_deploy_naming_it() {
        let api = RecordingKubeApi::start().await;
        api.never_available("receipts");
        let error = failed_deploy(&api, Duration::from_secs(3)).await;
        assert!(
            error.contains("deployment expense/receipts: 0 of 1 updated replicas are available"),
            "{error}"
        );
        assert!(!error.contains("expense/auth"), "auth rolled out: {error}");
    }

    #[tokio::test]
    async fn a_failed_migration_stops_the_deploy_before_any_deployment() {
        let api = RecordingKubeApi::start().await;
        api.fail_jobs();
        let error = failed_deploy(&api, Duration::from_secs(5)).await;
        assert!(
            error.contains("job expense/migrate-3f9c2e1d0a4b failed"),
            "{error}"
        );
        assert!(error.contains("BackoffLimitExceeded"), "{error}");
        let requests = api.requests();
        assert!(
            !manifest_applies(&requests)
                .iter()
                .any(|(kind, _, _)| kind == "Deployment" || kind == "CronJob"),
            "no workload of the new image was applied"
        );
    }

    #[tokio::test]
    async fn rollback_returns_to_the_previous_tag_read_back_from_the_cluster() {
        let api = RecordingKubeApi::start().await;
        let kube = kube_for(&api).await;
        let work = work_dir();
        let renderer = Renderer::new(Environment::Dev, "123456789012", dev_outputs(), work.path());
        let fast = settings(Duration::from_secs(10));

        let nothing = deploy(&kube, &renderer, &Mode::Rollback, &fast)
            .await
            .unwrap_err();
        assert!(
            nothing.to_string().contains("nothing to roll back to"),
            "{nothing}"
        );

        deploy(&kube, &renderer, &deploy_mode(TAG_A), &fast)
            .await
            .unwrap();
        let second = deploy(&kube, &renderer, &deploy_mode(TAG_B), &fast)
            .await
            .unwrap();
        assert_eq!(second.previous.as_deref(), Some(TAG_A));
        let before_rollback = api.requests().len();

        let rollback = deploy(&kube, &renderer, &Mode::Rollback, &fast).await.unwrap();
        assert_eq!(rollback.tag, TAG_A);
        assert_eq!(rollback.previous.as_deref(), Some(TAG_B));
        let requests = api.requests();
        let applies = manifest_applies(&requests[before_rollback..]);
        assert!(
            !applies.iter().any(|(kind, _, _)| kind == "Job"),
            "a rollback does not migrate"
        );
        let image = format!("123456789012.dkr.ecr.eu-central-1.amazonaws.com/expense-server:{TAG_A}");
        for name in ["auth", "expenses", "receipts", "notifications"] {
            let live = api
                .object(&format!("/apis/apps/v1/namespaces/expense/deployments/{name}"))
                .unwrap();
            assert_eq!(containers(&live)[0]["image"], image.as_str(), "{name}");
        }
        assert!(
            rollback
                .progress
                .iter()
                .filter(|line| line.contains("rolled out"))
                .count()
                == 4,
            "{:?}",
            rollback.progress
        );
        let namespace = api.object("/api/v1/namespaces/expense").unwrap();
        assert_eq!(
            namespace["metadata"]["annotations"][DEPLOYED_TAG_ANNOTATION],
            TAG_A
        );
        assert_eq!(
            namespace["metadata"]["annotations"][PREVIOUS_TAG_ANNOTATION],
            TAG_B
        );
    }

    /// The stored paths of `api` whose object is of one of `kinds` (all kinds when empty).
    fn stored(api: &RecordingKubeApi, kinds: &[&str]) -> Vec<String> {
        api.paths()
            .into_iter()
            .filter(|path| {
                let object = api.object(path).unwrap();
                kinds.is_empty() || kinds.contains(&object["kind"].as_str().unwrap_or_default())
            })
            .collect()
    }

    fn the_parent(api: &RecordingKubeApi) -> Value {
        api.object(&format!("/api/v1/namespaces/expense/configmaps/{PARENT_NAME}"))
            .expect("the ApplySet parent exists")
    }

    #[tokio::test]
    async fn a_deploy_deletes_what_the_release_no_longer_holds_and_leaves_everything_else_alone() {
        let api = RecordingKubeApi::start().await;
        // Objects others made, of the same kinds and in the same namespaces: no membership
        // label, or another set's.
        let theirs = [
            (
                "/api/v1/namespaces/expense/configmaps/someone-elses",
                json!({"apiVersion": "v1", "kind": "ConfigMap",
                       "metadata": {"name": "someone-elses", "namespace": "expense"}, "data": {"k": "v"}}),
            ),
            (
                "/apis/policy/v1/namespaces/expense/poddisruptionbudgets/not-ours",
                json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                       "metadata": {"name": "not-ours", "namespace": "expense",
                                    "labels": {PART_OF_LABEL: "applyset-someone-else-v1"}}}),
            ),
            (
                "/apis/apps/v1/namespaces/logging/daemonsets/node-exporter",
                json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
                       "metadata": {"name": "node-exporter", "namespace": "logging"}}),
            ),
            (
                "/apis/rbac.authorization.k8s.io/v1/clusterroles/eks-owned",
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                       "metadata": {"name": "eks-owned"}}),
            ),
        ];
        for (path, object) in &theirs {
            api.insert(path, object.clone());
        }
        let kube = kube_for(&api).await;
        let work = work_dir();
        let renderer = Renderer::new(Environment::Dev, "123456789012", dev_outputs(), work.path());
        let fast = settings(Duration::from_secs(10));

        let first = deploy(&kube, &renderer, &deploy_mode(TAG_A), &fast)
            .await
            .unwrap();
        assert_eq!(first.pruned, Pruned::default(), "a first deploy prunes nothing");
        let parent = the_parent(&api);
        let kinds = parent["metadata"]["annotations"][GROUP_KINDS_ANNOTATION]
            .as_str()
            .unwrap();
        assert!(
            kinds.contains("PodDisruptionBudget.policy") && kinds.contains("DaemonSet.apps"),
            "{kinds}"
        );
        assert_eq!(
            parent["metadata"]["annotations"][NAMESPACES_ANNOTATION],
            "kube-system,logging"
        );
        let before = stored(&api, &[]);
        let before_objects: BTreeMap<String, Value> = before
            .iter()
            .map(|path| (path.clone(), api.object(path).unwrap()))
            .collect();

        // A commit deletes the PodDisruptionBudgets (a whole kind), one NetworkPolicy and
        // everything of k8s/logging (objects in another namespace, cluster-wide RBAC, and the
        // namespace itself).
        let removed = |object: &Value| {
            object["kind"] == "PodDisruptionBudget"
                || object["metadata"]["name"] == "allow-dns-egress"
                || object["metadata"]["namespace"] == "logging"
                || object["metadata"]["name"] == "logging"
                || object["metadata"]["name"] == "expense-fluent-bit-read"
        };
        let mut expected: BTreeSet<String> = renderer
            .render(TAG_B)
            .unwrap()
            .iter()
            .filter(|object| removed(object) && object["kind"] != "Namespace")
            .map(|object| ObjectRef::of(object).unwrap().to_string())
            .collect();
        assert!(
            expected.contains("clusterrole expense-fluent-bit-read"),
            "{expected:?}"
        );
        // The first release's migrate Job (each release has its own) is not in the second.
        expected.insert("job expense/migrate-3f9c2e1d0a4b".to_owned());
        assert!(expected.len() >= 8, "{expected:?}");
        let second = deploy_edited(&kube, &renderer, &deploy_mode(TAG_B), &fast, |objects| {
            objects.retain(|object| !removed(object))
        })
        .await
        .unwrap();

        let deleted: BTreeSet<String> = second.pruned.deleted.iter().cloned().collect();
        assert_eq!(
            deleted, expected,
            "exactly what the release no longer holds is deleted"
        );
        assert!(second.pruned.released.is_empty(), "{:?}", second.pruned.released);
        assert!(
            second
                .pruned
                .kept
                .iter()
                .any(|line| line.starts_with("namespace logging:")),
            "a namespace is never deleted: {:?}",
            second.pruned.kept
        );
        assert!(api.object("/api/v1/namespaces/logging").is_some());
        let gone: BTreeSet<String> = before
            .iter()
            .filter(|path| api.object(path).is_none())
            .map(|path| {
                let object = &before_objects[path];
                ObjectRef::of(object)
                    .map(|reference| reference.to_string())
                    .unwrap_or_else(|_| path.clone())
            })
            .collect();
        assert_eq!(
            gone, expected,
            "deleted from the cluster: exactly the removed objects"
        );
        for (path, object) in &theirs {
            assert_eq!(
                api.object(path).as_ref(),
                Some(object),
                "{path} is someone else's: left alone"
            );
        }
        let kinds = the_parent(&api)["metadata"]["annotations"][GROUP_KINDS_ANNOTATION]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            !kinds.contains("PodDisruptionBudget"),
            "narrowed to this release: {kinds}"
        );
        assert_eq!(
            the_parent(&api)["metadata"]["annotations"][NAMESPACES_ANNOTATION],
            "kube-system"
        );

        // Nothing is left to prune: a third deploy of the same release deletes nothing.
        let third = deploy_edited(&kube, &renderer, &deploy_mode(TAG_B), &fast, |objects| {
            objects.retain(|object| !removed(object))
        })
        .await
        .unwrap();
        assert!(third.pruned.deleted.is_empty(), "{:?}", third.pruned.deleted);
    }

    #[tokio::test]
    async fn an_object_someone_else_owns_too_is_released_not_deleted() {
        let api = RecordingKubeApi::start().await;
        // EKS owns the VPC CNI's ConfigMap; deploy sets one key of it (k8s/cluster).
        let cni = "/api/v1/namespaces/kube-system/configmaps/amazon-vpc-cni";
        api.insert(
            cni,
            json!({"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": "amazon-vpc-cni", "namespace": "kube-system",
                                "managedFields": [{"manager": "eks", "operation": "Update",
                                                   "fieldsV1": {"f:data": {"f:minimum-ip-target": {}}}}]},
                   "data": {"minimum-ip-target": "3"}}),
        );
        let kube = kube_for(&api).await;
        let work = work_dir();
        let renderer = Renderer::new(Environment::Dev, "123456789012", dev_outputs(), work.path());
        let fast = settings(Duration::from_secs(10));
        deploy(&kube, &renderer, &deploy_mode(TAG_A), &fast)
            .await
            .unwrap();
        let applied = api.object(cni).unwrap();
        assert_eq!(applied["data"]["enable-network-policy-controller"], "true");
        assert!(applied["metadata"]["labels"].get(PART_OF_LABEL).is_some());

        let second = deploy_edited(&kube, &renderer, &deploy_mode(TAG_B), &fast, |objects| {
            objects.retain(|object| object["metadata"]["name"] != "amazon-vpc-cni")
        })
        .await
        .unwrap();
        assert_eq!(
            second.pruned.deleted,
            ["job expense/migrate-3f9c2e1d0a4b"],
            "only the first release's migrate Job is deleted"
        );
        assert_eq!(second.pruned.released.len(), 1, "{:?}", second.pruned.released);
        assert!(
            second.pruned.released[0]
                .starts_with("configmap kube-system/amazon-vpc-cni (also managed by eks)"),
            "{:?}",
            second.pruned.released
        );
        let left = api.object(cni).expect("the ConfigMap stays with EKS");
        assert_eq!(left["data"]["minimum-ip-target"], "3", "EKS's data is untouched");
        assert!(
            left["metadata"]["labels"].get(PART_OF_LABEL).is_none(),
            "no longer a member: {left}"
        );
        let managers: Vec<&str> = left["metadata"]["managedFields"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|entry| entry["manager"].as_str())
            .collect();
        assert_eq!(managers, ["eks"], "deploy gave up every field it owned");
    }

    #[tokio::test]
    async fn a_configmap_a_replicaset_still_references_is_kept_until_the_replicaset_goes() {
        let api = RecordingKubeApi::start().await;
        let kube = kube_for(&api).await;
        let work = work_dir();
        let fast = settings(Duration::from_secs(10));
        let with_database = |host: &str| {
            let mut json = crate::delivery::manifests::tests::dev_outputs_json();
            json["database_url"]["value"] = format!("postgres://{host}:5432/expense?sslmode=require").into();
            Renderer::new(
                Environment::Dev,
                "123456789012",
                Outputs::parse(&json.to_string(), std::path::Path::new("outputs.json")).unwrap(),
                work.path(),
            )
        };
        let configs = |api: &RecordingKubeApi| -> Vec<String> {
            stored(api, &["ConfigMap"])
                .into_iter()
                .filter(|path| path.contains("/configmaps/expense-config-"))
                .collect()
        };

        deploy(&kube, &with_database("db-one"), &deploy_mode(TAG_A), &fast)
            .await
            .unwrap();
        let first = configs(&api);
        assert_eq!(first.len(), 1);
        // The configuration changes: a new hash-named ConfigMap, and new ReplicaSets beside
        // the old ones, which a `rollout undo` returns to with the old ConfigMap.
        let second = deploy(&kube, &with_database("db-two"), &deploy_mode(TAG_B), &fast)
            .await
            .unwrap();
        assert_eq!(configs(&api).len(), 2);
        assert_eq!(second.pruned.deleted, ["job expense/migrate-3f9c2e1d0a4b"]);
        let old = first[0].rsplit('/').next().unwrap();
        assert!(
            second.pruned.kept.iter().any(|line| line.starts_with(&format!(
                "configmap expense/{old}: a ReplicaSet still references it"
            ))),
            "{:?}",
            second.pruned.kept
        );

        // Once the Deployments keep no history, the old ReplicaSets go, and their ConfigMaps with
        // the next deploy.
        let third = deploy_edited(
            &kube,
            &with_database("db-three"),
            &deploy_mode(TAG_A),
            &fast,
            |objects| {
                for object in objects.iter_mut().filter(|o| o["kind"] == "Deployment") {
                    object["spec"]["revisionHistoryLimit"] = 0.into();
                }
            },
        )
        .await
        .unwrap();
        assert_eq!(configs(&api).len(), 1, "{:?}", configs(&api));
        assert_eq!(
            third
                .pruned
                .deleted
                .iter()
                .filter(|line| line.starts_with("configmap expense/expense-config-"))
                .count(),
            2,
            "{:?}",
            third.pruned.deleted
        );
    }

    #[tokio::test]
    async fn a_failed_deploy_prunes_nothing() {
        let api = RecordingKubeApi::start().await;
        let kube = kube_for(&api).await;
        let work = work_dir();
        let renderer = Renderer::new(Environment::Dev, "123456789012", dev_outputs(), work.path());
        deploy(
            &kube,
            &renderer,
            &deploy_mode(TAG_A),
            &settings(Duration::from_secs(10)),
        )
        .await
        .unwrap();
        api.fail_jobs();
        let pdb = "/apis/policy/v1/namespaces/expense/poddisruptionbudgets/auth";
        assert!(api.object(pdb).is_some());
        deploy_edited(
            &kube,
            &renderer,
            &deploy_mode(TAG_B),
            &settings(Duration::from_secs(5)),
            |objects| objects.retain(|object| object["kind"] != "PodDisruptionBudget"),
        )
        .await
        .unwrap_err();
        assert!(
            api.object(pdb).is_some(),
            "the migration failed: nothing is pruned"
        );
        let kinds = the_parent(&api)["metadata"]["annotations"][GROUP_KINDS_ANNOTATION]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            kinds.contains("PodDisruptionBudget.policy"),
            "the next deploy still looks for them: {kinds}"
        );
    }

    #[test]
    fn rollout_states_follow_kubectl_rollout_status() {
        let state = |generation: u64, status: Value| {
            rollout_state(&json!({
                "metadata": {"generation": generation}, "spec": {"replicas": 2}, "status": status
            }))
        };
        assert_eq!(
            state(3, json!({"observedGeneration": 2})),
            Rollout::Waiting("waiting for the new spec to be observed".to_owned())
        );
        assert_eq!(
            state(
                3,
                json!({"observedGeneration": 3, "replicas": 3, "updatedReplicas": 1})
            ),
            Rollout::Waiting("1 of 2 new replicas updated".to_owned())
        );
        assert_eq!(
            state(
                3,
                json!({"observedGeneration": 3, "replicas": 3, "updatedReplicas": 2})
            ),
            Rollout::Waiting("1 old replicas pending termination".to_owned())
        );
        assert_eq!(
            state(
                3,
                json!({"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 1})
            ),
            Rollout::Waiting("1 of 2 updated replicas are available".to_owned())
        );
        assert_eq!(
            state(
                3,
                json!({"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 2})
            ),
            Rollout::Done
        );
        assert!(matches!(
            state(
                3,
                json!({"observedGeneration": 3, "conditions": [
                    {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}
                ]})
            ),
            Rollout::Failed(_)
        ));
    }
}
