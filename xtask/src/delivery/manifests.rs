//! The manifests of one release: the environment's overlay rendered by kustomize with every
//! placeholder filled in from the Terraform outputs and the image tag set, as JSON values ready
//! to apply.
//!
//! Git holds placeholders of the right shape (docs/deploying.md, "Placeholders and how deploy
//! fills them in"). Filling them happens in kustomize wherever a generated name depends on the
//! content: the ConfigMaps are hash-suffixed, so their values must go in through
//! `configMapGenerator` (`behavior: merge`) for the hash, and so the pods, to change with them.
//! The image tag goes in through `images:`, the equivalent of `kustomize edit set image` on a
//! copy, rather than by editing rendered text. So [`Renderer::render`]:
//!
//! 1. renders the overlay as committed, to learn the image names, ServiceAccounts, Ingresses and
//!    generated ConfigMaps there are to fill;
//! 2. writes a kustomization of its own (`target/deploy/<env>/kustomization.yaml`) with the
//!    overlay as its one resource, `images:` (ECR repository and tag), `configMapGenerator`
//!    merges (Terraform outputs) and patches (IRSA role ARNs, host names, ACM certificate, the
//!    NetworkPolicies' subnets, the NodeClass's role, subnets and cluster, the migrate Job
//!    renamed per tag, since a Job's pod template is immutable);
//! 3. renders that, replaces the placeholder account id `000000000000` with the real one, and
//!    refuses the result if any placeholder is left or any container of ours lacks the tag.
//!
//! It never writes under `k8s/`, and it contacts no cluster.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde::Deserialize;
use serde_json::{Value, json};

use super::outputs::Outputs;
use crate::infra::Environment;
use crate::project::{output, root};

/// The account id the committed manifests hold in ARNs and registry host names.
pub const PLACEHOLDER_ACCOUNT: &str = "000000000000";

/// Text that must not survive into applied manifests: each marks a value deploy fills in.
pub const PLACEHOLDERS: &[&str] = &[
    PLACEHOLDER_ACCOUNT,
    "placeholder",
    "example.com",
    "set-by-deploy",
    "-ENV-",
    // The documentation ranges (RFC 5737) the committed NetworkPolicies hold where each
    // environment's subnets go.
    "192.0.2.",
    "198.51.100.",
];

/// The NetworkPolicy whose `ipBlock`s admit the ALB (the public subnets) to the servers.
pub const ALB_POLICY: &str = "allow-alb-and-scrapers-to-servers";

/// The NetworkPolicy whose `ipBlock`s let the roles reach Postgres (the private subnets).
pub const POSTGRES_POLICY: &str = "allow-postgres-egress";

/// The Auto Mode NodeClass of k8s/cluster.
pub const NODE_CLASS: &str = "expense";

/// The last path segment of our image's repository.
pub const IMAGE_NAME: &str = "expense-server";

/// The committed name of the migrate Job, renamed per release.
pub const MIGRATE_JOB: &str = "migrate";

/// The annotation that carries a ServiceAccount's IRSA role.
const ROLE_ARN_ANNOTATION: &str = "eks.amazonaws.com/role-arn";

/// The annotation that names an Ingress's ACM certificate.
const CERTIFICATE_ANNOTATION: &str = "alb.ingress.kubernetes.io/certificate-arn";

/// Renders releases of one environment.
#[derive(Debug, Clone)]
pub struct Renderer {
    env: Environment,
    account_id: String,
    outputs: Outputs,
    /// Where the generated kustomization goes; must be inside the workspace (kustomize refuses
    /// absolute paths to a base, so it refers to the overlay by a relative one).
    work_dir: PathBuf,
}

impl Renderer {
    pub fn new(env: Environment, account_id: &str, outputs: Outputs, work_dir: &Path) -> Self {
        Self {
            env,
            account_id: account_id.to_owned(),
            outputs,
            work_dir: work_dir.to_owned(),
        }
    }

    /// `target/deploy/<env>`.
    pub fn default_work_dir(env: Environment) -> PathBuf {
        root().join("target/deploy").join(env.as_str())
    }

    /// The overlay as committed.
    fn overlay(&self) -> PathBuf {
        root().join("k8s/overlays").join(self.env.as_str())
    }

    /// The objects of release `tag`, in manifest order.
    pub fn render(&self, tag: &str) -> anyhow::Result<Vec<Value>> {
        validate_tag(tag)?;
        let committed = parse_yaml_stream(&kustomize(&self.overlay())?)?;
        let kustomization = self.kustomization(&committed, tag)?;
        std::fs::create_dir_all(&self.work_dir)?;
        let file = self.work_dir.join("kustomization.yaml");
        let header = "# Written by `cargo xtask deploy` for one release; regenerated on every deploy.\n";
        std::fs::write(
            &file,
            format!("{header}{}", serde_norway::to_string(&kustomization)?),
        )
        .with_context(|| format!("cannot write {}", file.display()))?;
        let rendered = kustomize(&self.work_dir)?.replace(PLACEHOLDER_ACCOUNT, &self.account_id);
        let leftovers = leftover_placeholders(&rendered);
        if !leftovers.is_empty() {
            bail!(
                "the manifests still hold placeholders after filling in the Terraform outputs \
                 (see {}):\n  {}",
                file.display(),
                leftovers.join("\n  ")
            );
        }
        let objects = parse_yaml_stream(&rendered)?;
        let repository = self.outputs.string("ecr_repository_url")?;
        check_images(&objects, &format!("{repository}:{tag}"))?;
        Ok(objects)
    }

    /// The release's kustomization, from the committed render and the outputs.
    fn kustomization(&self, committed: &[Value], tag: &str) -> anyhow::Result<Value> {
        let outputs = &self.outputs;
        let repository = outputs.string("ecr_repository_url")?;
        let region = outputs.string("region")?;

        let image_names: BTreeSet<String> = committed
            .iter()
            .flat_map(containers)
            .filter_map(|container| container["image"].as_str())
            .filter_map(|image| {
                let repository = image_repository(image);
                (repository.rsplit('/').next() == Some(IMAGE_NAME)).then(|| repository.to_owned())
            })
            .collect();
        if image_names.is_empty() {
            bail!(
                "no container in {} runs the {IMAGE_NAME} image",
                self.overlay().display()
            );
        }
        let images: Vec<Value> = image_names
            .iter()
            .map(|name| json!({ "name": name, "newName": repository, "newTag": tag }))
            .collect();

        let mut generators = vec![json!({
            "name": "expense-config",
            "namespace": self.namespace(),
            "behavior": "merge",
            "literals": [
                format!("AWS_REGION={region}"),
                format!("DATABASE_URL={}", outputs.string("database_url")?),
                format!("DATABASE_SECRET_ARN={}", outputs.string("rds_master_secret_arn")?),
                format!("JWT_SIGNING_KEY_SECRET_ARN={}", outputs.string("jwt_secret_arn")?),
                format!("S3_BUCKET={}", outputs.string("receipts_bucket")?),
                format!("SNS_TOPIC_ARN={}", outputs.string("sns_topic_arn")?),
                format!("MAIL_FROM={}", outputs.string("mail_from")?),
            ],
        })];
        // Each consuming role reads its own queue from its own `<role>-events` ConfigMap. A
        // queue Terraform made with no ConfigMap to carry it is refused: that role would run
        // consuming nothing while its queue fills up (and a ConfigMap with no queue keeps its
        // placeholders, which the check below refuses).
        let dead_letter_queues = outputs.string_map("sqs_dlq_urls").unwrap_or_default();
        for (role, queue) in outputs.string_map("sqs_queue_urls")? {
            let name = format!("{role}-events");
            let Some(config_map) = find_generated_config_map(committed, &name) else {
                bail!(
                    "Terraform gives the {role} role an event queue (output sqs_queue_urls), but {} \
                     has no ConfigMap {name} to carry its SQS_QUEUE_URL",
                    self.overlay().display()
                );
            };
            let mut literals = vec![format!("SQS_QUEUE_URL={queue}")];
            if let Some(dead_letters) = dead_letter_queues.get(&role) {
                literals.push(format!("SQS_DLQ_URL={dead_letters}"));
            }
            generators.push(json!({
                "name": name,
                "namespace": config_map["metadata"]["namespace"],
                "behavior": "merge",
                "literals": literals,
            }));
        }
        if let Some(config_map) = find_generated_config_map(committed, "fluent-bit-env") {
            generators.push(json!({
                "name": "fluent-bit-env",
                "namespace": config_map["metadata"]["namespace"],
                "behavior": "merge",
                "literals": [
                    format!("AWS_REGION={region}"),
                    format!("LOG_GROUP_NAME={}", outputs.string("services_log_group")?),
                ],
            }));
        }

        let mut patches = Vec::new();
        let role_arns = outputs.string_map("irsa_role_arns")?;
        for account in committed
            .iter()
            .filter(|object| object["kind"] == "ServiceAccount")
        {
            let name = account["metadata"]["name"].as_str().unwrap_or_default();
            if let Some(arn) = role_arns.get(name) {
                patches.push(json!({
                    "target": { "kind": "ServiceAccount", "name": name },
                    "patch": json_patch(&[("add", format!("/metadata/annotations/{}", escape_pointer(ROLE_ARN_ANNOTATION)), json!(arn))], account, "annotations")?,
                }));
            }
        }
        let hostname = outputs.string("hostname")?;
        let certificate = outputs.optional_string("certificate_arn");
        for ingress in committed.iter().filter(|object| object["kind"] == "Ingress") {
            let mut operations = Vec::new();
            for (index, rule) in ingress["spec"]["rules"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                if rule.get("host").is_some() {
                    operations.push(("replace", format!("/spec/rules/{index}/host"), json!(hostname)));
                }
            }
            for (index, tls) in ingress["spec"]["tls"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                for (host, _) in tls["hosts"].as_array().into_iter().flatten().enumerate() {
                    operations.push((
                        "replace",
                        format!("/spec/tls/{index}/hosts/{host}"),
                        json!(hostname),
                    ));
                }
            }
            if ingress["metadata"]["annotations"]
                .get(CERTIFICATE_ANNOTATION)
                .is_some()
            {
                let certificate = certificate
                    .clone()
                    .context("the Ingress needs the Terraform output `certificate_arn`")?;
                operations.push((
                    "replace",
                    format!("/metadata/annotations/{}", escape_pointer(CERTIFICATE_ANNOTATION)),
                    json!(certificate),
                ));
            }
            if !operations.is_empty() {
                patches.push(json!({
                    "target": { "kind": "Ingress", "name": ingress["metadata"]["name"] },
                    "patch": json_patch(&operations, ingress, "")?,
                }));
            }
        }
        patches.extend(self.network_policy_patches(committed)?);
        if let Some(patch) = self.node_class_patch(committed)? {
            patches.push(patch);
        }
        if committed
            .iter()
            .any(|object| object["kind"] == "Job" && object["metadata"]["name"] == MIGRATE_JOB)
        {
            patches.push(json!({
                "target": { "kind": "Job", "name": MIGRATE_JOB },
                "patch": json_patch(&[("replace", "/metadata/name".to_owned(), json!(migrate_job_name(tag)))], &Value::Null, "")?,
            }));
        }

        Ok(json!({
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": [self.relative_overlay()?],
            "images": images,
            "configMapGenerator": generators,
            "patches": patches,
        }))
    }

    /// The two shared NetworkPolicies get the environment's subnets: the ALB's public subnets
    /// (`public_subnet_cidrs`) in the ingress rule of [`ALB_POLICY`], the private subnets where
    /// RDS lives (`private_subnet_cidrs`) in the egress rule of [`POSTGRES_POLICY`], one `ipBlock`
    /// per subnet in place of the committed documentation range; other peers stay.
    fn network_policy_patches(&self, committed: &[Value]) -> anyhow::Result<Vec<Value>> {
        let mut patches = Vec::new();
        for (name, direction, peers_field, output) in [
            (ALB_POLICY, "ingress", "from", "public_subnet_cidrs"),
            (POSTGRES_POLICY, "egress", "to", "private_subnet_cidrs"),
        ] {
            let policy = committed
                .iter()
                .find(|o| o["kind"] == "NetworkPolicy" && o["metadata"]["name"] == name)
                .with_context(|| {
                    format!(
                        "no NetworkPolicy {name} in the overlay: k8s/base/networkpolicies.yaml must keep it"
                    )
                })?;
            let cidrs = self.outputs.string_list(output)?;
            let mut operations = Vec::new();
            for (index, rule) in policy["spec"][direction]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let peers = rule[peers_field].as_array().cloned().unwrap_or_default();
                if !peers.iter().any(|peer| peer.get("ipBlock").is_some()) {
                    continue;
                }
                let mut replaced: Vec<Value> = cidrs
                    .iter()
                    .map(|cidr| json!({ "ipBlock": { "cidr": cidr } }))
                    .collect();
                replaced.extend(peers.into_iter().filter(|peer| peer.get("ipBlock").is_none()));
                operations.push((
                    "replace",
                    format!("/spec/{direction}/{index}/{peers_field}"),
                    Value::Array(replaced),
                ));
            }
            if operations.is_empty() {
                bail!("NetworkPolicy {name} has no ipBlock rule to put the subnets of `{output}` in");
            }
            patches.push(json!({
                "target": { "kind": "NetworkPolicy", "name": name },
                "patch": json_patch(&operations, policy, "")?,
            }));
        }
        Ok(patches)
    }

    /// The Auto Mode NodeClass gets the node role EKS made an access entry for
    /// (`node_role_name`), the private subnets (`private_subnet_ids`) and the cluster's name,
    /// which tags the cluster security group.
    fn node_class_patch(&self, committed: &[Value]) -> anyhow::Result<Option<Value>> {
        let Some(node_class) = committed
            .iter()
            .find(|o| o["kind"] == "NodeClass" && o["metadata"]["name"] == NODE_CLASS)
        else {
            return Ok(None);
        };
        let subnets: Vec<Value> = self
            .outputs
            .string_list("private_subnet_ids")?
            .into_iter()
            .map(|id| json!({ "id": id }))
            .collect();
        let cluster = self.outputs.string("cluster_name")?;
        let operations = vec![
            (
                "replace",
                "/spec/role".to_owned(),
                json!(self.outputs.string("node_role_name")?),
            ),
            (
                "replace",
                "/spec/subnetSelectorTerms".to_owned(),
                Value::Array(subnets),
            ),
            (
                "replace",
                "/spec/securityGroupSelectorTerms".to_owned(),
                json!([{ "tags": { "aws:eks:cluster-name": cluster } }]),
            ),
        ];
        Ok(Some(json!({
            "target": { "kind": "NodeClass", "name": NODE_CLASS },
            "patch": json_patch(&operations, node_class, "")?,
        })))
    }

    /// The Terraform outputs the release is rendered from.
    pub fn outputs(&self) -> &Outputs {
        &self.outputs
    }

    /// The namespace of the application (Terraform output `namespace`, else `expense`).
    pub fn namespace(&self) -> String {
        self.outputs
            .optional_string("namespace")
            .unwrap_or_else(|| "expense".to_owned())
    }

    /// The overlay as a path relative to the work folder.
    fn relative_overlay(&self) -> anyhow::Result<String> {
        let inside = self.work_dir.strip_prefix(root()).with_context(|| {
            format!(
                "the deploy work folder {} must be inside the workspace {}",
                self.work_dir.display(),
                root().display()
            )
        })?;
        let up = "../".repeat(inside.components().count());
        Ok(format!("{up}k8s/overlays/{}", self.env))
    }
}

/// A JSON 6902 patch as kustomize takes it inline. For `add` below `metadata.<map>` of an object
/// that lacks that map, the map is created first.
fn json_patch(operations: &[(&str, String, Value)], object: &Value, map: &str) -> anyhow::Result<String> {
    let mut patch = Vec::new();
    if !map.is_empty() && object["metadata"].get(map).is_none() {
        patch.push(json!({ "op": "add", "path": format!("/metadata/{map}"), "value": {} }));
    }
    for (op, path, value) in operations {
        patch.push(json!({ "op": op, "path": path, "value": value }));
    }
    Ok(serde_json::to_string(&patch)?)
}

/// `~` and `/` escaped for a JSON pointer (RFC 6901).
fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The rendered ConfigMap a `configMapGenerator` named `name` made (`<name>-<hash>`).
fn find_generated_config_map<'a>(objects: &'a [Value], name: &str) -> Option<&'a Value> {
    objects.iter().find(|object| {
        object["kind"] == "ConfigMap"
            && object["metadata"]["name"].as_str().is_some_and(|rendered| {
                rendered == name
                    || rendered
                        .strip_prefix(name)
                        .and_then(|rest| rest.strip_prefix('-'))
                        .is_some_and(|hash| {
                            hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_alphanumeric())
                        })
            })
    })
}

/// `kubectl kustomize DIR`, offline.
fn kustomize(dir: &Path) -> anyhow::Result<String> {
    let yaml = output(
        Command::new("kubectl")
            .arg("kustomize")
            .arg(dir)
            .current_dir(root()),
        &format!("kubectl kustomize {}", dir.display()),
    )?;
    String::from_utf8(yaml).context("kubectl kustomize printed something other than UTF-8")
}

/// The documents of a YAML stream as JSON values (empty documents skipped).
pub fn parse_yaml_stream(text: &str) -> anyhow::Result<Vec<Value>> {
    let mut objects = Vec::new();
    for (index, document) in serde_norway::Deserializer::from_str(text).enumerate() {
        let value = Value::deserialize(document)
            .with_context(|| format!("YAML document {} is not valid", index + 1))?;
        if !value.is_null() {
            objects.push(value);
        }
    }
    Ok(objects)
}

/// Every placeholder in `rendered`, with the line it is on.
fn leftover_placeholders(rendered: &str) -> Vec<String> {
    rendered
        .lines()
        .filter(|line| PLACEHOLDERS.iter().any(|placeholder| line.contains(placeholder)))
        .map(|line| line.trim().to_owned())
        .collect()
}

/// Fails unless every container of ours runs exactly `image`.
fn check_images(objects: &[Value], image: &str) -> anyhow::Result<()> {
    for object in objects {
        for container in containers(object) {
            let Some(found) = container["image"].as_str() else {
                continue;
            };
            if image_repository(found).rsplit('/').next() == Some(IMAGE_NAME) && found != image {
                bail!(
                    "{} {}: container {} runs {found}, not {image}",
                    object["kind"],
                    object["metadata"]["name"],
                    container["name"]
                );
            }
        }
    }
    Ok(())
}

/// The containers and init containers of a workload's pod template (Deployment, DaemonSet, Job,
/// CronJob); none for other kinds.
pub fn containers(object: &Value) -> Vec<&Value> {
    let pod = match object["kind"].as_str() {
        Some("Deployment" | "DaemonSet" | "StatefulSet" | "Job") => &object["spec"]["template"]["spec"],
        Some("CronJob") => &object["spec"]["jobTemplate"]["spec"]["template"]["spec"],
        _ => return Vec::new(),
    };
    ["initContainers", "containers"]
        .iter()
        .flat_map(|list| pod[list].as_array().into_iter().flatten())
        .collect()
}

/// An image reference without its tag or digest.
pub fn image_repository(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    match without_digest.rfind(':') {
        Some(colon) if colon > without_digest.rfind('/').unwrap_or(0) => &without_digest[..colon],
        _ => without_digest,
    }
}

/// The tag of an image reference, if it has one.
pub fn image_tag(image: &str) -> Option<&str> {
    let repository = image_repository(image);
    let rest = image.split('@').next().unwrap_or(image);
    rest.strip_prefix(repository)?.strip_prefix(':')
}

/// A Docker tag: 1–128 of `[A-Za-z0-9_.-]`, not starting with `.` or `-`.
pub fn validate_tag(tag: &str) -> anyhow::Result<()> {
    let valid = !tag.is_empty()
        && tag.len() <= 128
        && !tag.starts_with(['.', '-'])
        && tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    if !valid {
        bail!("{tag:?} is not a valid image tag (1-128 of A-Z a-z 0-9 _ . -, not starting with . or -)");
    }
    Ok(())
}

/// `migrate-<first 12 characters of the tag>`, as a valid object name.
pub fn migrate_job_name(tag: &str) -> String {
    let cleaned: String = tag
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(12)
        .collect();
    let cleaned = cleaned.trim_matches('-');
    if cleaned.is_empty() {
        MIGRATE_JOB.to_owned()
    } else {
        format!("{MIGRATE_JOB}-{cleaned}")
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// Terraform outputs as `provision` would write them for dev in moto's account.
    pub fn dev_outputs() -> Outputs {
        Outputs::parse(&dev_outputs_json().to_string(), Path::new("outputs.json")).unwrap()
    }

    /// [`dev_outputs`] for a VPC `prefix`.0.0/16 with these public and private subnets.
    pub fn outputs_for(prefix: &str, public: &[&str], private: &[&str]) -> Outputs {
        let mut json = dev_outputs_json();
        json["vpc_cidr"]["value"] = json!(format!("{prefix}.0.0/16"));
        json["public_subnet_cidrs"]["value"] = json!(public);
        json["private_subnet_cidrs"]["value"] = json!(private);
        Outputs::parse(&json.to_string(), Path::new("outputs.json")).unwrap()
    }

    /// [`dev_outputs`] as the JSON of `terraform output -json`.
    pub fn dev_outputs_json() -> Value {
        let string = |value: &str| json!({ "sensitive": false, "type": "string", "value": value });
        let map = |value: Value| json!({ "sensitive": false, "type": ["map", "string"], "value": value });
        let list = |value: Value| json!({ "sensitive": false, "type": ["list", "string"], "value": value });
        let account = "123456789012";
        json!({
            "cluster_name": string("expense-dev"),
            "region": string("eu-central-1"),
            "account_id": string(account),
            "namespace": string("expense"),
            "ecr_repository_url": string(&format!("{account}.dkr.ecr.eu-central-1.amazonaws.com/expense-server")),
            "database_url": string("postgres://expense-dev.abc.eu-central-1.rds.amazonaws.com:5432/expense?sslmode=require"),
            "rds_master_secret_arn": string(&format!("arn:aws:secretsmanager:eu-central-1:{account}:secret:rds!db-1")),
            "jwt_secret_arn": string(&format!("arn:aws:secretsmanager:eu-central-1:{account}:secret:expense/dev/jwt-signing-key-AbCd")),
            "receipts_bucket": string(&format!("expense-dev-receipts-{account}")),
            "sns_topic_arn": string(&format!("arn:aws:sns:eu-central-1:{account}:expense-dev-events")),
            "sqs_queue_urls": map(json!({
                "notifications": format!("https://sqs.eu-central-1.amazonaws.com/{account}/expense-dev-notifications"),
                "receipts": format!("https://sqs.eu-central-1.amazonaws.com/{account}/expense-dev-receipts"),
                "expenses": format!("https://sqs.eu-central-1.amazonaws.com/{account}/expense-dev-expenses"),
            })),
            "sqs_dlq_urls": map(json!({
                "notifications": format!("https://sqs.eu-central-1.amazonaws.com/{account}/expense-dev-notifications-dlq"),
                "receipts": format!("https://sqs.eu-central-1.amazonaws.com/{account}/expense-dev-receipts-dlq"),
                "expenses": format!("https://sqs.eu-central-1.amazonaws.com/{account}/expense-dev-expenses-dlq"),
            })),
            "mail_from": string("no-reply@dev.expense.test"),
            "irsa_role_arns": map(json!({
                "auth": format!("arn:aws:iam::{account}:role/expense-dev-auth"),
                "expenses": format!("arn:aws:iam::{account}:role/expense-dev-expenses"),
                "receipts": format!("arn:aws:iam::{account}:role/expense-dev-receipts"),
                "notifications": format!("arn:aws:iam::{account}:role/expense-dev-notifications"),
                "migrate": format!("arn:aws:iam::{account}:role/expense-dev-migrate"),
                "monthly-summary": format!("arn:aws:iam::{account}:role/expense-dev-monthly-summary"),
                "fluent-bit": format!("arn:aws:iam::{account}:role/expense-dev-fluent-bit"),
            })),
            "certificate_arn": string(&format!("arn:aws:acm:eu-central-1:{account}:certificate/1234")),
            "hostname": string("api.dev.expense.test"),
            "services_log_group": string("/expense/dev/services"),
            // The carving of infra/terraform/modules/vpc for 10.20.0.0/16 over three zones.
            "vpc_cidr": string("10.20.0.0/16"),
            "public_subnet_cidrs": list(json!(["10.20.192.0/22", "10.20.196.0/22", "10.20.200.0/22"])),
            "private_subnet_cidrs": list(json!(["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"])),
            "private_subnet_ids": list(json!(["subnet-0a1", "subnet-0b2", "subnet-0c3"])),
            "node_role_name": string("expense-dev-eks-node"),
        })
    }

    /// A work folder inside the workspace (kustomize needs a relative path to the overlay).
    pub fn work_dir() -> tempfile::TempDir {
        let parent = root().join("target/deploy-tests");
        std::fs::create_dir_all(&parent).unwrap();
        tempfile::tempdir_in(parent).unwrap()
    }

    fn find<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
        objects
            .iter()
            .find(|object| object["kind"] == kind && object["metadata"]["name"] == name)
            .unwrap_or_else(|| panic!("no {kind} {name}"))
    }

    #[test]
    fn the_dev_release_has_every_placeholder_filled_and_the_tag_on_every_container() {
        let work = work_dir();
        let renderer = Renderer::new(Environment::Dev, "123456789012", dev_outputs(), work.path());
        let objects = renderer.render("3f9c2e1d0a4b5c6d").unwrap();

        let image = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/expense-server:3f9c2e1d0a4b5c6d";
        let workloads: Vec<&Value> = objects
            .iter()
            .filter(|object| ["Deployment", "Job", "CronJob"].contains(&object["kind"].as_str().unwrap()))
            .collect();
        assert_eq!(
            workloads.len(),
            6,
            "four Deployments, the migrate Job, the CronJob"
        );
        for workload in workloads {
            for container in containers(workload) {
                assert_eq!(container["image"], image, "{}", workload["metadata"]["name"]);
            }
        }
        find(&objects, "Job", "migrate-3f9c2e1d0a4b");
        assert_eq!(
            find(&objects, "ServiceAccount", "fluent-bit")["metadata"]["annotations"][ROLE_ARN_ANNOTATION],
            "arn:aws:iam::123456789012:role/expense-dev-fluent-bit"
        );
        let ingress = find(&objects, "Ingress", "expense");
        assert_eq!(ingress["spec"]["rules"][0]["host"], "api.dev.expense.test");
        assert_eq!(ingress["spec"]["tls"][0]["hosts"][0], "api.dev.expense.test");
        assert_eq!(
            ingress["metadata"]["annotations"][CERTIFICATE_ANNOTATION],
            "arn:aws:acm:eu-central-1:123456789012:certificate/1234"
        );
        let config = objects
            .iter()
            .find(|object| {
                object["kind"] == "ConfigMap"
                    && object["metadata"]["name"]
                        .as_str()
                        .unwrap()
                        .starts_with("expense-config-")
            })
            .unwrap();
        assert_eq!(config["data"]["AWS_REGION"], "eu-central-1");
        let node_class = find(&objects, "NodeClass", NODE_CLASS);
        assert_eq!(node_class["spec"]["role"], "expense-dev-eks-node");
        assert_eq!(
            node_class["spec"]["subnetSelectorTerms"],
            json!([{"id": "subnet-0a1"}, {"id": "subnet-0b2"}, {"id": "subnet-0c3"}])
        );
        assert_eq!(
            node_class["spec"]["securityGroupSelectorTerms"][0]["tags"]["aws:eks:cluster-name"],
            "expense-dev"
        );
        let alb = find(&objects, "NetworkPolicy", ALB_POLICY);
        let peers: Vec<&Value> = alb["spec"]["ingress"][0]["from"]
            .as_array()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(peers[0]["ipBlock"]["cidr"], "10.20.192.0/22");
        assert_eq!(peers[2]["ipBlock"]["cidr"], "10.20.200.0/22");
        assert!(
            peers[3].get("namespaceSelector").is_some(),
            "the scrapers stay admitted"
        );
        let postgres = find(&objects, "NetworkPolicy", POSTGRES_POLICY);
        assert_eq!(
            postgres["spec"]["egress"][0]["to"],
            json!([{"ipBlock": {"cidr": "10.20.0.0/19"}}, {"ipBlock": {"cidr": "10.20.32.0/19"}}, {"ipBlock": {"cidr": "10.20.64.0/19"}}])
        );
        assert_eq!(config["data"]["S3_BUCKET"], "expense-dev-receipts-123456789012");
        let text = serde_json::to_string(&objects).unwrap();
        for placeholder in PLACEHOLDERS {
            assert!(!text.contains(placeholder), "{placeholder} left");
        }
        let written = std::fs::read_to_string(work.path().join("kustomization.yaml")).unwrap();
        assert!(written.contains("../../../k8s/overlays/dev"), "{written}");
    }

    /// The data of the ConfigMap a Deployment's container reads through `envFrom` whose name
    /// starts with `prefix` (a generated one, hash-suffixed).
    fn env_from<'a>(objects: &'a [Value], deployment: &str, prefix: &str) -> &'a Value {
        let name =
            find(objects, "Deployment", deployment)["spec"]["template"]["spec"]["containers"][0]["envFrom"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|source| source["configMapRef"]["name"].as_str())
                .find(|name| name.starts_with(prefix))
                .unwrap_or_else(|| panic!("{deployment} reads no ConfigMap {prefix}*"));
        &find(objects, "ConfigMap", name)["data"]
    }

    #[test]
    fn every_consuming_role_reads_its_own_queue_and_the_publishers_the_topic() {
        for env in [Environment::Dev, Environment::Prod] {
            let work = work_dir();
            let objects = Renderer::new(env, "123456789012", dev_outputs(), work.path())
                .render("abc")
                .unwrap();
            let sqs = "https://sqs.eu-central-1.amazonaws.com/123456789012";
            // expenses consumes account.deleted, which auth publishes.
            for role in ["notifications", "receipts", "expenses"] {
                let data = env_from(&objects, role, &format!("{role}-events-"));
                assert_eq!(
                    data["SQS_QUEUE_URL"],
                    format!("{sqs}/expense-dev-{role}"),
                    "{env}"
                );
                assert_eq!(
                    data["SQS_DLQ_URL"],
                    format!("{sqs}/expense-dev-{role}-dlq"),
                    "{env}"
                );
            }
            for role in ["auth", "expenses"] {
                let config = env_from(&objects, role, "expense-config-");
                assert_eq!(config["EVENTS"], "sns", "{env} {role}");
                assert_eq!(
                    config["SNS_TOPIC_ARN"], "arn:aws:sns:eu-central-1:123456789012:expense-dev-events",
                    "{env} {role}"
                );
                assert!(
                    config.get("SQS_QUEUE_URL").is_none(),
                    "never in the shared ConfigMap"
                );
            }
        }
    }

    #[test]
    fn a_queue_with_no_config_map_to_carry_it_is_refused() {
        let mut json = dev_outputs_json();
        json["sqs_queue_urls"]["value"]["auth"] =
            json!("https://sqs.eu-central-1.amazonaws.com/123456789012/expense-dev-auth");
        let outputs = Outputs::parse(&json.to_string(), Path::new("outputs.json")).unwrap();
        let work = work_dir();
        let error = Renderer::new(Environment::Dev, "123456789012", outputs, work.path())
            .render("abc")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("auth role") && error.contains("auth-events"),
            "{error}"
        );
    }

    #[test]
    fn the_prod_release_renders_with_nothing_left_to_fill() {
        let work = work_dir();
        let objects = Renderer::new(Environment::Prod, "123456789012", dev_outputs(), work.path())
            .render("b7e1c0ffee42")
            .unwrap();
        find(&objects, "Job", "migrate-b7e1c0ffee42");
        assert_eq!(
            objects
                .iter()
                .filter(|object| object["kind"] == "Deployment")
                .count(),
            4
        );
    }

    #[test]
    fn the_hash_of_a_config_map_follows_its_filled_in_values() {
        let work = work_dir();
        let name_of = |outputs: Outputs| {
            let objects = Renderer::new(Environment::Dev, "123456789012", outputs, work.path())
                .render("abc")
                .unwrap();
            objects
                .iter()
                .filter(|object| object["kind"] == "ConfigMap")
                .filter_map(|object| object["metadata"]["name"].as_str().map(str::to_owned))
                .find(|name| name.starts_with("expense-config-"))
                .unwrap()
        };
        let mut changed = dev_outputs_json();
        changed["mail_from"]["value"] = json!("no-reply@other.expense.test");
        let changed = Outputs::parse(&changed.to_string(), Path::new("outputs.json")).unwrap();
        assert_ne!(
            name_of(dev_outputs()),
            name_of(changed),
            "pods roll when a value changes"
        );
    }

    #[test]
    fn the_committed_overlays_hold_no_real_subnet_and_deploy_refuses_them_unfilled() {
        // As committed, the policies admit documentation ranges only, which the placeholder
        // check refuses: an environment's subnets can only come from its outputs.
        for env in ["dev", "prod"] {
            let committed = kustomize(&root().join("k8s/overlays").join(env)).unwrap();
            assert!(committed.contains("cidr: 192.0.2.0/24"), "{env}");
            assert!(committed.contains("cidr: 198.51.100.0/24"), "{env}");
            assert!(!leftover_placeholders(&committed).is_empty());
        }
        let mut json = dev_outputs_json();
        json["public_subnet_cidrs"]["value"] = json!([]);
        let outputs = Outputs::parse(&json.to_string(), Path::new("outputs.json")).unwrap();
        let work = work_dir();
        let error = Renderer::new(Environment::Dev, "123456789012", outputs, work.path())
            .render("abc")
            .unwrap_err()
            .to_string();
        assert!(error.contains("public_subnet_cidrs"), "{error}");
    }

    #[test]
    fn a_missing_output_is_named() {
        let work = work_dir();
        let outputs = Outputs::parse(r#"{"region": {"value": "eu-west-1"}}"#, Path::new("o.json")).unwrap();
        let error = Renderer::new(Environment::Dev, "123456789012", outputs, work.path())
            .render("abc")
            .unwrap_err()
            .to_string();
        assert!(error.contains("ecr_repository_url"), "{error}");
    }

    #[test]
    fn tags_images_and_job_names() {
        assert!(validate_tag("3f9c2e1d").is_ok());
        for bad in ["", "-x", ".x", "a b", "a/b", &"a".repeat(129)] {
            assert!(validate_tag(bad).is_err(), "{bad:?}");
        }
        assert_eq!(migrate_job_name("3F9C2E1D0A4B5C6D"), "migrate-3f9c2e1d0a4b");
        assert_eq!(migrate_job_name("v1.2_3"), "migrate-v1-2-3");
        assert_eq!(migrate_job_name("..."), "migrate");
        assert_eq!(
            image_repository("host:5000/a/expense-server:v1"),
            "host:5000/a/expense-server"
        );
        assert_eq!(
            image_repository("host:5000/expense-server"),
            "host:5000/expense-server"
        );
        assert_eq!(image_tag("host:5000/expense-server:v1"), Some("v1"));
        assert_eq!(image_tag("r/expense-server:v1@sha256:ab"), Some("v1"));
        assert_eq!(image_tag("host:5000/expense-server"), None);
    }

    #[test]
    fn yaml_streams_become_one_value_per_document() {
        let objects = parse_yaml_stream("a: 1\n---\n---\nb: [x]\n").unwrap();
        assert_eq!(objects, vec![json!({"a": 1}), json!({"b": ["x"]})]);
    }
}
