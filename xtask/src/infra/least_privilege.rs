//! The least-privilege proof: the IAM policies Terraform applied, evaluated by a real IAM policy
//! evaluator against the matrix `infra/terraform/least-privilege.yaml`, so "every role has least
//! privilege" is a test result instead of a claim.
//!
//! The moto stage of `cargo xtask test` hands this the state of the dev env it applied (`terraform
//! show -json`: every value as the provider read it back from moto after creating it; the second
//! plan then shows moto still holds exactly that). From it come, per identity of the matrix, the
//! role, its inline and attached policies and its permissions boundary, and the resource policies
//! of what it acts on (KMS key policies, bucket and queue policies, …). An application identity is
//! named by its workload in `k8s/`: its role is the IRSA role of the ServiceAccount the workload
//! runs as, so the proof covers what the pod really gets.
//!
//! Every line of the matrix becomes one request to `xtask/least_privilege/evaluate.mjs`, which runs
//! `@cloud-copilot/iam-simulate` (installed by [`crate::npm::ensure`]): an `allowed` line
//! must be allowed with the context given; a `denied` line must be refused, without `when` in
//! every context (the evaluator's discovery mode looks for any that would allow it), with `when`
//! in that context; a pattern (`iam:*`) is every action it matches. An action the evaluator does
//! not know is a failure, never a pass. Every IRSA role of the state must be some identity's, and
//! each identity needs at least [`MIN_DENIALS`] denials.
//!
//! The stage also proves the proof has teeth: with `"Action": "*"` on `"*"` added to one identity
//! at a time, the matrix must fail for that identity, naming it, an action and a resource.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail, ensure};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::project::{output, root};

/// The matrix, relative to the root.
pub const MATRIX: &str = "infra/terraform/least-privilege.yaml";

/// The evaluator script, relative to the root.
const EVALUATOR: &str = "xtask/least_privilege/evaluate.mjs";

/// The fewest things each identity must be shown unable to do.
pub const MIN_DENIALS: usize = 10;

/// The IRSA roles of the `iam` module, by ServiceAccount: `<prefix>"<sa>"]`.
const IRSA_ROLE_PREFIX: &str = "module.iam.aws_iam_role.this[";

#[derive(Debug, Deserialize)]
struct Matrix {
    resources: BTreeMap<String, String>,
    identities: BTreeMap<String, Identity>,
}

#[derive(Debug, Deserialize)]
struct Identity {
    /// `Kind/name` of a workload in `k8s/`, whose ServiceAccount's IRSA role this is.
    workload: Option<String>,
    /// The state address of the role, for identities that are not workloads.
    role: Option<String>,
    #[serde(default)]
    allowed: Vec<String>,
    #[serde(default)]
    denied: Vec<String>,
}

/// One line of the matrix, filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    action: String,
    resource: String,
    /// The `when` context (besides the defaults every request has).
    context: BTreeMap<String, String>,
}

/// What a successful evaluation covered.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub identities: usize,
    pub allowed: usize,
    pub denied: usize,
    /// Requests evaluated, patterns expanded.
    pub evaluated: usize,
}

/// A role as the evaluator needs it: its ARN, its identity policies by name, its boundary.
struct RolePolicies {
    arn: String,
    policies: Vec<(String, Value)>,
    boundary: Option<Value>,
}

/// The applied state, indexed for what the proof needs.
struct Estate<'a> {
    resources: Vec<&'a Value>,
    outputs: &'a Value,
    account: String,
    region: String,
}

impl<'a> Estate<'a> {
    fn new(state: &'a Value) -> anyhow::Result<Self> {
        fn walk<'a>(module: &'a Value, into: &mut Vec<&'a Value>) {
            into.extend(module["resources"].as_array().into_iter().flatten());
            for child in module["child_modules"].as_array().into_iter().flatten() {
                walk(child, into);
            }
        }
        let mut resources = Vec::new();
        walk(&state["values"]["root_module"], &mut resources);
        let account = resources
            .iter()
            .find(|r| r["type"] == "aws_caller_identity")
            .and_then(|r| r["values"]["account_id"].as_str())
            .context("the state has no aws_caller_identity: which account is this?")?
            .to_owned();
        let region = state["values"]["outputs"]["region"]["value"]
            .as_str()
            .or_else(|| {
                resources
                    .iter()
                    .find(|r| r["type"] == "aws_region")
                    .and_then(|r| r["values"]["name"].as_str())
            })
            .context("the state names no region")?
            .to_owned();
        Ok(Self {
            resources,
            outputs: &state["values"]["outputs"],
            account,
            region,
        })
    }

    fn at(&self, address: &str) -> Option<&'a Value> {
        self.resources
            .iter()
            .copied()
            .find(|r| r["address"] == address && r["mode"] == "managed")
    }

    fn of_type(&self, kind: &str) -> impl Iterator<Item = &'a Value> + '_ {
        let kind = kind.to_owned();
        self.resources
            .iter()
            .copied()
            .filter(move |r| r["type"] == kind.as_str() && r["mode"] == "managed")
    }

    /// `<address> <attribute path>` or `output <name>`.
    fn resolve(&self, spec: &str) -> anyhow::Result<String> {
        let (address, path) = spec
            .split_once(' ')
            .with_context(|| format!("{MATRIX}: `{spec}` is not `<address> <attribute>`"))?;
        let value = if address == "output" {
            &self.outputs[path]["value"]
        } else {
            let mut value = &self
                .at(address)
                .with_context(|| format!("{MATRIX}: no resource {address} in the state"))?["values"];
            for part in path.split('.') {
                value = match part.parse::<usize>() {
                    Ok(index) => &value[index],
                    Err(_) => &value[part],
                };
            }
            value
        };
        value
            .as_str()
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .with_context(|| format!("{MATRIX}: `{spec}` has no string value in the state"))
    }

    /// The policy document of the `aws_iam_policy` with this ARN.
    fn managed_policy(&self, arn: &str) -> anyhow::Result<Value> {
        let policy = self
            .of_type("aws_iam_policy")
            .find(|p| p["values"]["arn"] == arn)
            .with_context(|| {
                format!(
                    "the policy {arn} is not in the state (an AWS-managed policy cannot be evaluated here)"
                )
            })?;
        parse_document(&policy["values"]["policy"])
    }

    /// (name, document) of every identity policy of the role at `address`, and its boundary.
    fn role_policies(&self, address: &str) -> anyhow::Result<RolePolicies> {
        let role = self
            .at(address)
            .with_context(|| format!("no role {address} in the state"))?;
        let name = role["values"]["name"].as_str().unwrap_or_default().to_owned();
        let arn = role["values"]["arn"].as_str().unwrap_or_default().to_owned();
        let mut policies = Vec::new();
        for inline in self
            .of_type("aws_iam_role_policy")
            .filter(|p| p["values"]["role"] == name.as_str())
        {
            let policy_name = inline["values"]["name"].as_str().unwrap_or("inline");
            policies.push((
                format!("{name}/{policy_name}"),
                parse_document(&inline["values"]["policy"])?,
            ));
        }
        for attachment in self
            .of_type("aws_iam_role_policy_attachment")
            .filter(|p| p["values"]["role"] == name.as_str())
        {
            let policy_arn = attachment["values"]["policy_arn"].as_str().unwrap_or_default();
            policies.push((policy_arn.to_owned(), self.managed_policy(policy_arn)?));
        }
        ensure!(!policies.is_empty(), "the role {name} has no policy in the state");
        let boundary = match role["values"]["permissions_boundary"].as_str() {
            Some(boundary) if !boundary.is_empty() => Some(self.managed_policy(boundary)?),
            _ => None,
        };
        Ok(RolePolicies {
            arn,
            policies,
            boundary,
        })
    }

    /// Every resource policy of the state, by the ARN it governs (a bucket's governs its objects
    /// too).
    fn resource_policies(&self) -> anyhow::Result<Vec<(String, Value)>> {
        let mut found = Vec::new();
        let mut add = |arn: &str, policy: &Value| -> anyhow::Result<()> {
            if policy.as_str().is_some_and(|p| !p.trim().is_empty()) {
                found.push((arn.to_owned(), parse_document(policy)?));
            }
            Ok(())
        };
        for key in self.of_type("aws_kms_key") {
            add(
                key["values"]["arn"].as_str().unwrap_or_default(),
                &key["values"]["policy"],
            )?;
        }
        for policy in self.of_type("aws_s3_bucket_policy") {
            let bucket = policy["values"]["bucket"].as_str().unwrap_or_default();
            add(&format!("arn:aws:s3:::{bucket}"), &policy["values"]["policy"])?;
        }
        for policy in self.of_type("aws_sqs_queue_policy") {
            let url = &policy["values"]["queue_url"];
            if let Some(queue) = self.of_type("aws_sqs_queue").find(|q| q["values"]["url"] == *url) {
                add(
                    queue["values"]["arn"].as_str().unwrap_or_default(),
                    &policy["values"]["policy"],
                )?;
            }
        }
        // A topic's policy is its aws_sns_topic_policy when it has one (the topic's own `policy`
        // attribute then still shows what it was created with).
        for policy in self.of_type("aws_sns_topic_policy") {
            add(
                policy["values"]["arn"].as_str().unwrap_or_default(),
                &policy["values"]["policy"],
            )?;
        }
        for topic in self.of_type("aws_sns_topic") {
            let arn = &topic["values"]["arn"];
            if !self
                .of_type("aws_sns_topic_policy")
                .any(|p| p["values"]["arn"] == *arn)
            {
                add(arn.as_str().unwrap_or_default(), &topic["values"]["policy"])?;
            }
        }
        for secret in self.of_type("aws_secretsmanager_secret") {
            add(
                secret["values"]["arn"].as_str().unwrap_or_default(),
                &secret["values"]["policy"],
            )?;
        }
        for policy in self.of_type("aws_ecr_repository_policy") {
            let name = &policy["values"]["repository"];
            if let Some(repository) = self
                .of_type("aws_ecr_repository")
                .find(|r| r["values"]["name"] == *name)
            {
                add(
                    repository["values"]["arn"].as_str().unwrap_or_default(),
                    &policy["values"]["policy"],
                )?;
            }
        }
        Ok(found)
    }
}

/// A policy document held as a JSON string in the state.
fn parse_document(policy: &Value) -> anyhow::Result<Value> {
    let text = policy.as_str().context("a policy that is not a JSON string")?;
    serde_json::from_str(text).with_context(|| format!("a policy that is not JSON: {text}"))
}

/// The ServiceAccount the workload `Kind/name` of `k8s/` runs as.
fn service_account_of(workload: &str) -> anyhow::Result<String> {
    let (kind, name) = workload
        .split_once('/')
        .with_context(|| format!("{MATRIX}: workload `{workload}` is not `Kind/name`"))?;
    for dir in ["k8s/base", "k8s/logging"] {
        let mut files: Vec<_> = std::fs::read_dir(root().join(dir))?
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file)?;
            for object in crate::delivery::manifests::parse_yaml_stream(&text)? {
                if object["kind"] != kind || object["metadata"]["name"] != name {
                    continue;
                }
                let pod = if kind == "CronJob" {
                    &object["spec"]["jobTemplate"]["spec"]["template"]["spec"]
                } else {
                    &object["spec"]["template"]["spec"]
                };
                return Ok(pod["serviceAccountName"].as_str().unwrap_or("default").to_owned());
            }
        }
    }
    bail!("{MATRIX}: no {kind} {name} in k8s/base or k8s/logging")
}

/// `ACTION RESOURCE [when K=V ...]`, with `{name}`s filled in from `values`.
fn parse_line(text: &str, values: &BTreeMap<String, String>) -> anyhow::Result<Line> {
    let filled = fill(text, values)?;
    let mut words = filled.split_whitespace();
    let (Some(action), Some(resource)) = (words.next(), words.next()) else {
        bail!("{MATRIX}: `{text}` is not `ACTION RESOURCE [when KEY=VALUE ...]`");
    };
    let mut context = BTreeMap::new();
    match words.next() {
        None => {}
        Some("when") => {
            for pair in words {
                let (key, value) = pair
                    .split_once('=')
                    .with_context(|| format!("{MATRIX}: `{pair}` in `{text}` is not KEY=VALUE"))?;
                context.insert(key.to_owned(), value.to_owned());
            }
            ensure!(
                !context.is_empty(),
                "{MATRIX}: `{text}` has `when` and nothing after it"
            );
        }
        Some(other) => bail!("{MATRIX}: `{text}`: expected `when`, found `{other}`"),
    }
    Ok(Line {
        action: action.to_owned(),
        resource: resource.to_owned(),
        context,
    })
}

fn fill(text: &str, values: &BTreeMap<String, String>) -> anyhow::Result<String> {
    let mut filled = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .with_context(|| format!("{MATRIX}: unclosed `{{` in `{text}`"))?;
        let name = &rest[start + 1..start + end];
        let value = values
            .get(name)
            .with_context(|| format!("{MATRIX}: `{{{name}}}` in `{text}` is not a name under `resources`"))?;
        filled.push_str(&rest[..start]);
        filled.push_str(value);
        rest = &rest[start + end + 1..];
    }
    filled.push_str(rest);
    Ok(filled)
}

/// One request to the evaluator, and what the matrix expects of it.
struct Request {
    identity: String,
    role_name: String,
    expect_allowed: bool,
    line: Line,
}

/// Evaluates the matrix against `state` with the evaluator in `node_tools`. With `widened`, every
/// identity's policies get an extra `Allow * on *` and only its denials without a pattern are
/// asked (the teeth test: each identity must then fail). Returns what was covered and every
/// failure, each naming identity, action and resource.
fn evaluate(
    matrix: &str,
    state: &Value,
    node_tools: &Path,
    widened: bool,
) -> anyhow::Result<(Summary, Vec<String>)> {
    let matrix: Matrix =
        serde_norway::from_str(matrix).with_context(|| format!("{MATRIX} is not a valid matrix"))?;
    let estate = Estate::new(state)?;
    let mut values = BTreeMap::from([
        ("account".to_owned(), estate.account.clone()),
        ("region".to_owned(), estate.region.clone()),
    ]);
    for (name, spec) in &matrix.resources {
        values.insert(name.clone(), estate.resolve(spec)?);
    }

    let mut problems = Vec::new();
    let mut policies = serde_json::Map::new();
    let resource_policies = estate.resource_policies()?;
    for (index, (_, document)) in resource_policies.iter().enumerate() {
        policies.insert(format!("resource-policy-{index}"), document.clone());
    }
    let mut requests = Vec::new();
    let mut wire = Vec::new();
    let mut covered_roles = BTreeSet::new();
    let mut summary = Summary::default();
    for (identity, rows) in &matrix.identities {
        let address = match (&rows.workload, &rows.role) {
            (Some(workload), None) => format!("{IRSA_ROLE_PREFIX}\"{}\"]", service_account_of(workload)?),
            (None, Some(role)) => role.clone(),
            _ => bail!("{MATRIX}: identity {identity} needs exactly one of `workload` and `role`"),
        };
        covered_roles.insert(address.clone());
        let RolePolicies {
            arn,
            policies: identity_policies,
            boundary,
        } = estate.role_policies(&address)?;
        let role_name = arn.rsplit('/').next().unwrap_or_default().to_owned();
        let mut names = Vec::new();
        for (name, document) in identity_policies {
            policies.insert(name.clone(), document);
            names.push(name);
        }
        if widened {
            let name = format!("{role_name}/widened");
            policies.insert(
                name.clone(),
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
            );
            names.push(name);
        }
        let boundary_name = boundary.map(|document| {
            let name = format!("{role_name}/boundary");
            policies.insert(name.clone(), document);
            name
        });
        if rows.denied.len() < MIN_DENIALS {
            problems.push(format!(
                "{identity}: {} denials in {MATRIX}; at least {MIN_DENIALS} are needed",
                rows.denied.len()
            ));
        }
        if rows.allowed.is_empty() {
            problems.push(format!("{identity}: nothing under `allowed` in {MATRIX}"));
        }
        summary.identities += 1;
        for (expect_allowed, lines) in [(true, &rows.allowed), (false, &rows.denied)] {
            if widened && expect_allowed {
                continue;
            }
            for text in lines {
                let line = parse_line(text, &values)?;
                if widened && line.action.contains('*') {
                    continue;
                }
                let mut context = json!({
                    "aws:SecureTransport": "true",
                    "aws:RequestedRegion": estate.region,
                    "aws:PrincipalAccount": estate.account,
                    "aws:PrincipalArn": arn,
                });
                for (key, value) in &line.context {
                    context[key] = value.clone().into();
                }
                let resource_policy = if line.resource == "*" {
                    None
                } else {
                    resource_policies
                        .iter()
                        .position(|(governed, _)| {
                            line.resource == *governed
                                || (governed.starts_with("arn:aws:s3:::")
                                    && line.resource.starts_with(&format!("{governed}/")))
                        })
                        .map(|index| format!("resource-policy-{index}"))
                };
                let mode = if expect_allowed || !line.context.is_empty() {
                    "Strict"
                } else {
                    "Discovery"
                };
                wire.push(json!({
                    "id": requests.len(),
                    "principal": arn,
                    "action": line.action,
                    "resource": line.resource,
                    "context": context,
                    "mode": mode,
                    "identity": names,
                    "boundary": boundary_name,
                    "resourcePolicy": resource_policy,
                }));
                if expect_allowed {
                    summary.allowed += 1;
                } else {
                    summary.denied += 1;
                }
                requests.push(Request {
                    identity: identity.clone(),
                    role_name: role_name.clone(),
                    expect_allowed,
                    line,
                });
            }
        }
    }
    for irsa in estate
        .resources
        .iter()
        .filter_map(|r| r["address"].as_str())
        .filter(|address| address.starts_with(IRSA_ROLE_PREFIX))
    {
        if !covered_roles.contains(irsa) {
            problems.push(format!(
                "{irsa} is no identity's role in {MATRIX}: add its workload with what it may and may never do"
            ));
        }
    }

    let work = root().join("target/least-privilege");
    std::fs::create_dir_all(&work)?;
    let input = tempfile::Builder::new()
        .prefix("requests-")
        .suffix(".json")
        .tempfile_in(&work)?;
    std::fs::write(
        input.path(),
        serde_json::to_vec(&json!({ "account": estate.account, "policies": policies, "requests": wire }))?,
    )?;
    let printed = output(
        Command::new("node")
            .arg(root().join(EVALUATOR))
            .arg(input.path())
            .env("EXPENSE_NODE_TOOLS", node_tools),
        "node xtask/least_privilege/evaluate.mjs (install Node.js 20 or newer)",
    )?;
    let verdicts: Vec<Value> = serde_json::from_slice(&printed).context("the evaluator printed no JSON")?;
    ensure!(
        verdicts.len() == requests.len(),
        "the evaluator answered {} of {} requests",
        verdicts.len(),
        requests.len()
    );
    for (request, verdict) in requests.iter().zip(&verdicts) {
        let line = &request.line;
        let when = if line.context.is_empty() {
            String::new()
        } else {
            let pairs: Vec<String> = line.context.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!(" when {}", pairs.join(" "))
        };
        for result in verdict["results"].as_array().into_iter().flatten() {
            summary.evaluated += 1;
            let action = result["action"].as_str().unwrap_or(&line.action);
            let outcome = result["result"].as_str().unwrap_or("Error");
            let who = format!("{} (role {})", request.identity, request.role_name);
            if outcome == "Error" {
                problems.push(format!(
                    "{who}: cannot evaluate {action} on {}{when}: {}",
                    line.resource,
                    result["error"].as_str().unwrap_or("unknown error")
                ));
            } else if request.expect_allowed && outcome != "Allowed" {
                problems.push(format!(
                    "{who} must be allowed {action} on {}{when}, but is {outcome}",
                    line.resource
                ));
            } else if !request.expect_allowed && outcome == "Allowed" {
                problems.push(format!(
                    "{who} may {action} on {}{when}: it must never be allowed ({MATRIX})",
                    line.resource
                ));
            }
        }
    }
    Ok((summary, problems))
}

/// The proof, on the state the moto stage applied: the matrix holds, and widening any identity
/// to `*` on `*` breaks it for that identity.
pub fn check(state: &Value, node_tools: &Path) -> anyhow::Result<Summary> {
    let text =
        std::fs::read_to_string(root().join(MATRIX)).with_context(|| format!("cannot read {MATRIX}"))?;
    let (summary, problems) = evaluate(&text, state, node_tools, false)?;
    if !problems.is_empty() {
        bail!(
            "the applied IAM policies break the least-privilege matrix ({MATRIX}):\n  {}",
            problems.join("\n  ")
        );
    }
    let matrix: Matrix = serde_norway::from_str(&text)?;
    let (_, widened) = evaluate(&text, state, node_tools, true)?;
    for identity in matrix.identities.keys() {
        let named = widened
            .iter()
            .filter(|p| {
                p.starts_with(&format!("{identity} (role ")) && p.contains("it must never be allowed")
            })
            .count();
        ensure!(
            named > 0,
            "{identity} widened to `*` on `*` still passes the matrix: its denials do not test anything"
        );
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_action_resource_and_an_optional_context() {
        let values = BTreeMap::from([
            ("bucket".to_owned(), "arn:aws:s3:::b".to_owned()),
            ("region".to_owned(), "eu-west-1".to_owned()),
        ]);
        assert_eq!(
            parse_line(
                "s3:ListBucket {bucket} when s3:prefix=users/ kms:ViaService=s3.{region}.amazonaws.com",
                &values
            )
            .unwrap(),
            Line {
                action: "s3:ListBucket".to_owned(),
                resource: "arn:aws:s3:::b".to_owned(),
                context: BTreeMap::from([
                    (
                        "kms:ViaService".to_owned(),
                        "s3.eu-west-1.amazonaws.com".to_owned()
                    ),
                    ("s3:prefix".to_owned(), "users/".to_owned()),
                ]),
            }
        );
        assert!(parse_line("s3:GetObject {nothing}", &values).is_err());
        assert!(parse_line("s3:GetObject", &values).is_err());
        assert!(parse_line("s3:GetObject * if x=y", &values).is_err());
        assert!(parse_line("s3:GetObject * when", &values).is_err());
    }

    /// The Node tools, installed once for the tests of this binary.
    fn node_tools() -> std::path::PathBuf {
        static ONCE: std::sync::Mutex<Option<std::path::PathBuf>> = std::sync::Mutex::new(None);
        let mut installed = ONCE.lock().unwrap();
        installed
            .get_or_insert_with(|| {
                crate::npm::ensure()
                    .map(|tools| tools.dir().to_owned())
                    .expect("npm ci of xtask/npm")
            })
            .clone()
    }

    /// A state as `terraform show -json` prints it: one role whose inline policy lets it read
    /// `users/*` of a bucket, whose objects a bucket policy refuses without TLS.
    fn fixture_state(object_resource: &str) -> Value {
        let policy = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": object_resource},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::receipts-b",
             "Condition": {"StringLike": {"s3:prefix": "users/*"}}}
        ]});
        let bucket_policy = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": ["arn:aws:s3:::receipts-b", "arn:aws:s3:::receipts-b/*"],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        ]});
        let resource = |address: &str, kind: &str, values: Value| json!({"address": address, "mode": "managed", "type": kind, "values": values});
        json!({"values": {
            "outputs": {"region": {"value": "eu-west-1"}},
            "root_module": {"resources": [
                {"address": "data.aws_caller_identity.current", "mode": "data", "type": "aws_caller_identity",
                 "values": {"account_id": "123456789012"}},
                resource("aws_iam_role.receipts", "aws_iam_role",
                         json!({"name": "r", "arn": "arn:aws:iam::123456789012:role/r"})),
                resource("aws_iam_role_policy.receipts", "aws_iam_role_policy",
                         json!({"role": "r", "name": "least-privilege", "policy": policy.to_string()})),
                resource("aws_s3_bucket.receipts", "aws_s3_bucket",
                         json!({"arn": "arn:aws:s3:::receipts-b", "bucket": "receipts-b"})),
                resource("aws_s3_bucket_policy.receipts", "aws_s3_bucket_policy",
                         json!({"bucket": "receipts-b", "policy": bucket_policy.to_string()})),
            ]}
        }})
    }

    const FIXTURE_MATRIX: &str = "
resources:
  bucket: aws_s3_bucket.receipts arn
identities:
  receipts:
    role: aws_iam_role.receipts
    allowed:
      - s3:GetObject {bucket}/users/u1/r1
      - s3:ListBucket {bucket} when s3:prefix=users/u1/
    denied:
      - s3:GetObject {bucket}/other/x
      - s3:PutObject {bucket}/config.json
      - s3:GetObject {bucket}/users/u1/r1 when aws:SecureTransport=false
      - s3:ListBucket {bucket} when s3:prefix=other/
      - s3:DeleteBucket {bucket}
      - s3:DeleteObject {bucket}/users/u1/r1
      - s3:PutBucketPolicy {bucket}
      - sqs:ReceiveMessage arn:aws:sqs:{region}:{account}:other-queue
      - kms:Decrypt arn:aws:kms:{region}:{account}:key/00000000-0000-0000-0000-000000000000
      - iam:* *
";

    #[test]
    fn a_policy_that_widens_a_role_fails_naming_the_role_the_action_and_the_resource() {
        let tools = node_tools();
        let (summary, problems) = evaluate(
            FIXTURE_MATRIX,
            &fixture_state("arn:aws:s3:::receipts-b/users/*"),
            &tools,
            false,
        )
        .unwrap();
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!((summary.identities, summary.allowed, summary.denied), (1, 2, 10));
        assert!(
            summary.evaluated > 100,
            "iam:* is every IAM action: {}",
            summary.evaluated
        );

        // The receipts role may now read and write the whole bucket.
        let (_, problems) = evaluate(
            FIXTURE_MATRIX,
            &fixture_state("arn:aws:s3:::receipts-b/*"),
            &tools,
            false,
        )
        .unwrap();
        assert_eq!(
            problems,
            [
                "receipts (role r) may s3:GetObject on arn:aws:s3:::receipts-b/other/x: it must never be allowed \
                 (infra/terraform/least-privilege.yaml)",
                "receipts (role r) may s3:PutObject on arn:aws:s3:::receipts-b/config.json: it must never be \
                 allowed (infra/terraform/least-privilege.yaml)",
            ]
        );

        // `*` on `*` fails every denial (without a pattern) the bucket policy does not hold.
        let (_, problems) = evaluate(
            FIXTURE_MATRIX,
            &fixture_state("arn:aws:s3:::receipts-b/users/*"),
            &tools,
            true,
        )
        .unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("receipts (role r) may s3:DeleteBucket on arn:aws:s3:::receipts-b")),
            "{problems:#?}"
        );
        assert!(
            !problems.iter().any(|p| p.contains("aws:SecureTransport=false")),
            "the bucket policy still refuses plain HTTP: {problems:#?}"
        );
    }

    #[test]
    fn an_action_the_evaluator_does_not_know_fails_rather_than_passes() {
        let matrix = FIXTURE_MATRIX.replace("s3:DeleteBucket", "s3:DeleteBuckett");
        let (_, problems) = evaluate(
            &matrix,
            &fixture_state("arn:aws:s3:::receipts-b/users/*"),
            &node_tools(),
            false,
        )
        .unwrap();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with(
                "receipts (role r): cannot evaluate s3:DeleteBuckett on arn:aws:s3:::receipts-b"
            ),
            "{problems:#?}"
        );
    }

    #[test]
    fn the_matrix_names_every_identity_the_issue_lists_with_enough_denials() {
        let matrix: Matrix =
            serde_norway::from_str(&std::fs::read_to_string(root().join(MATRIX)).unwrap()).unwrap();
        for identity in [
            "auth",
            "expenses",
            "receipts",
            "notifications",
            "migrate",
            "monthly-summary",
            "deployer",
            "fluent-bit",
        ] {
            let rows = matrix
                .identities
                .get(identity)
                .unwrap_or_else(|| panic!("{identity} is not in {MATRIX}"));
            assert!(rows.denied.len() >= MIN_DENIALS, "{identity}");
            assert!(!rows.allowed.is_empty(), "{identity}");
            if let Some(workload) = &rows.workload {
                service_account_of(workload).unwrap();
            }
        }
        // Every workload runs as its own ServiceAccount, so it gets its own role.
        assert_eq!(
            service_account_of("CronJob/monthly-summary").unwrap(),
            "monthly-summary"
        );
    }
}
