//! What the GitHub files (`.github/workflows/*.yml`, `.github/actions/*/action.yml`,
//! `.github/dependabot.yml`) must hold for a delivery to be safe and to work on AWS, checked as
//! tests because actionlint only judges the syntax:
//!
//! - **only tested commits are delivered**: `deliver.yml` starts on the completion of the `ci`
//!   workflow for a push to main and runs only when that run succeeded; it checks out, builds and
//!   tags exactly the commit that run tested (`workflow_run.head_sha`, never `github.sha`);
//! - every job that deploys (`cargo xtask deploy --env E`) runs on the runner inside E's VPC,
//!   `codebuild-expense-E-gha-runner-<run id>-<attempt>`, the CodeBuild project
//!   `infra/terraform/modules/runner` names (the EKS API endpoints are private);
//! - every job that assumes an AWS role declares the GitHub environment of the commands it runs
//!   (the deploy role of E trusts only jobs of environment E, `infra/terraform/modules/ci`), and
//!   exactly those jobs may request an OIDC token (`id-token: write` on the job, never on the
//!   workflow);
//! - prod runs only the image dev ran: the image job hands on `<repository>@<digest>`, a job of
//!   environment prod copies exactly that with `cargo xtask images --env prod --promote-from`
//!   after dev has passed, and prod deploys only after that copy; nothing builds for prod;
//! - a failed smoke test rolls its environment back, and a rollback can be started by hand
//!   (`rollback.yml`: reads the outputs, never applies Terraform);
//! - every job that runs the test command, Terraform or kustomize installs Rust, Terraform and
//!   kubectl through `.github/actions/toolchain`, which reads the versions from
//!   `xtask/tools/versions.env`; no workflow names a version of its own;
//! - every `uses:` of another repository is pinned by a full 40-hex commit SHA with its tag in a
//!   comment, and Dependabot keeps cargo, the actions, the base images, the Terraform providers
//!   and the locked tools current.
//!
//! It reads the files as data; it runs nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::project::root;

/// The environments the workflow delivers to, in order.
const ENVIRONMENTS: &[&str] = &["dev", "prod"];

/// The composite action every job installs its toolchain with.
pub const TOOLCHAIN_ACTION: &str = "./.github/actions/toolchain";

/// The expression naming the commit a `workflow_run` delivery is about.
const HEAD_SHA: &str = "${{ github.event.workflow_run.head_sha }}";

/// The `runs-on` label that selects environment `env`'s in-VPC runner for one job.
pub fn runner_label(env: &str) -> String {
    format!("codebuild-expense-{env}-gha-runner-${{{{ github.run_id }}}}-${{{{ github.run_attempt }}}}")
}

/// A file under the workspace root, parsed as YAML.
pub fn read_yaml(relative: &str) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(root().join(relative))?;
    Ok(serde_norway::from_str(&text)?)
}

/// The delivery workflow, parsed.
#[cfg(test)]
pub fn read_deliver() -> anyhow::Result<Value> {
    read_yaml(".github/workflows/deliver.yml")
}

/// `.github/workflows/*.yml` and `.github/actions/*/action.yml`, sorted, relative to the root.
pub fn github_files() -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root().join(".github/workflows"))?.flatten() {
        let path = entry.path();
        if path
            .extension()
            .is_some_and(|extension| extension == "yml" || extension == "yaml")
        {
            found.push(path);
        }
    }
    if let Ok(actions) = std::fs::read_dir(root().join(".github/actions")) {
        for entry in actions.flatten() {
            for name in ["action.yml", "action.yaml"] {
                let path = entry.path().join(name);
                if path.exists() {
                    found.push(path);
                }
            }
        }
    }
    let mut relative: Vec<PathBuf> = found
        .into_iter()
        .map(|path| path.strip_prefix(root()).unwrap_or(&path).to_owned())
        .collect();
    relative.sort();
    Ok(relative)
}

/// The `run:` lines of a job's steps.
fn commands(job: &Value) -> Vec<String> {
    steps(job)
        .filter_map(|step| step["run"].as_str().map(str::to_owned))
        .collect()
}

fn steps(job: &Value) -> impl Iterator<Item = &Value> {
    job["steps"].as_array().into_iter().flatten()
}

/// The environment named by `--env X` in a command, if any.
fn env_of(command: &str) -> Option<&str> {
    let mut words = command.split_whitespace();
    while let Some(word) = words.next() {
        if word == "--env" {
            return words.next();
        }
    }
    None
}

fn environment_name(job: &Value) -> Option<&str> {
    job["environment"]
        .as_str()
        .or_else(|| job["environment"]["name"].as_str())
}

fn needs(job: &Value) -> BTreeSet<String> {
    match &job["needs"] {
        Value::String(one) => [one.clone()].into(),
        Value::Array(many) => many
            .iter()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// Whether job `later` (transitively) needs job `earlier`.
fn runs_after(jobs: &serde_json::Map<String, Value>, later: &str, earlier: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut queue: Vec<String> = needs(&jobs[later]).into_iter().collect();
    while let Some(job) = queue.pop() {
        if job == earlier {
            return true;
        }
        if seen.insert(job.clone()) && jobs.contains_key(&job) {
            queue.extend(needs(&jobs[&job]));
        }
    }
    false
}

/// The workflow's triggers (`on:`; a YAML 1.1 reader would make the key `true`).
fn triggers(workflow: &Value) -> &Value {
    if workflow.get("on").is_some() {
        &workflow["on"]
    } else {
        &workflow["true"]
    }
}

fn assumes_aws_role(job: &Value) -> bool {
    steps(job).any(|step| {
        step["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("aws-actions/configure-aws-credentials"))
    })
}

fn uses_toolchain(job: &Value, with_delivery_tools: bool) -> bool {
    steps(job).any(|step| {
        step["uses"].as_str() == Some(TOOLCHAIN_ACTION)
            && (!with_delivery_tools || step["with"]["delivery-tools"] == "true")
    })
}

/// Every way one workflow breaks the rules every workflow keeps (runners, GitHub environments,
/// OIDC permissions, tool versions); empty when it keeps them.
pub fn problems(workflow: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(jobs) = workflow["jobs"].as_object() else {
        return vec!["the workflow has no jobs".to_owned()];
    };
    if workflow["permissions"].get("id-token").is_some() || workflow["permissions"] == "write-all" {
        problems.push(
            "the workflow grants id-token to every job: grant `id-token: write` only on the jobs that assume \
             an AWS role"
                .to_owned(),
        );
    }
    for (name, job) in jobs {
        let runs = commands(job);
        let uses_aws = assumes_aws_role(job);
        let envs: BTreeSet<&str> = runs
            .iter()
            .filter(|run| run.contains("cargo xtask"))
            .filter_map(|run| env_of(run))
            .collect();
        if uses_aws {
            match (environment_name(job), envs.iter().next()) {
                (None, _) => problems.push(format!(
                    "job {name} assumes an AWS role without a GitHub environment: no deploy role trusts it"
                )),
                (Some(declared), Some(used)) if envs.len() > 1 || declared != *used => problems.push(format!(
                    "job {name} runs commands for {envs:?} in GitHub environment {declared}: the deploy role of an \
                     environment trusts only jobs of that environment"
                )),
                _ => {}
            }
        }
        let id_token = &job["permissions"]["id-token"];
        if uses_aws && id_token != "write" {
            problems.push(format!(
                "job {name} assumes an AWS role but may not request an OIDC token: give it `permissions: \
                 id-token: write`"
            ));
        }
        if !uses_aws && (!id_token.is_null() || job["permissions"] == "write-all") {
            problems.push(format!(
                "job {name} assumes no AWS role but may request an OIDC token: drop its id-token permission"
            ));
        }
        let needs_delivery_tools = runs.iter().any(|run| {
            run.contains(".ci/run")
                || run.contains("cargo xtask test")
                || run.contains("cargo xtask provision")
                || run.contains("cargo xtask deploy")
        });
        if needs_delivery_tools && !uses_toolchain(job, true) {
            problems.push(format!(
                "job {name} runs Terraform or kustomize without installing them: use {TOOLCHAIN_ACTION} with \
                 `delivery-tools: \"true\"` (the versions of xtask/tools/versions.env)"
            ));
        }
        if runs
            .iter()
            .any(|run| run.contains("cargo ") || run.contains(".ci/run"))
            && !uses_toolchain(job, false)
        {
            problems.push(format!(
                "job {name} runs cargo without {TOOLCHAIN_ACTION}: the Rust version would be the runner's"
            ));
        }
        for step in steps(job) {
            let uses = step["uses"].as_str().unwrap_or_default();
            if [
                "hashicorp/setup-terraform",
                "azure/setup-kubectl",
                "actions-rust-lang/setup-rust-toolchain",
                "dtolnay/rust-toolchain",
            ]
            .iter()
            .any(|action| uses.starts_with(action))
            {
                problems.push(format!(
                    "job {name} installs a tool with {uses} itself: use {TOOLCHAIN_ACTION}, which takes the \
                     version from xtask/tools/versions.env"
                ));
            }
        }
        for run in &runs {
            if run.contains("cargo xtask deploy") {
                let env = env_of(run).unwrap_or("?");
                let expected = runner_label(env);
                if job["runs-on"].as_str() != Some(expected.as_str()) {
                    problems.push(format!(
                        "job {name} deploys to {env} on {}, which cannot reach the private EKS endpoint: \
                         use runs-on: {expected}",
                        job["runs-on"]
                    ));
                }
            }
            if run.contains("cargo xtask images")
                && env_of(run) == Some("prod")
                && !run.contains("--promote-from")
            {
                problems.push(format!(
                    "job {name} builds an image for prod: prod runs only the image dev ran (--promote-from)"
                ));
            }
        }
    }
    let env_block = workflow["env"].to_string();
    for variable in ["TERRAFORM_VERSION", "KUBECTL_VERSION", "RUST_TOOLCHAIN"] {
        if env_block.contains(variable) {
            problems.push(format!(
                "the workflow sets {variable} itself: the version is xtask/tools/versions.env's"
            ));
        }
    }
    problems
}

/// Every way `deliver.yml` breaks the delivery rules of the module doc (besides [`problems`]).
pub fn delivery_problems(workflow: &Value) -> Vec<String> {
    let mut problems = problems(workflow);
    let Some(jobs) = workflow["jobs"].as_object() else {
        return problems;
    };

    // Only a commit whose ci run passed, and exactly that commit.
    let on = triggers(workflow);
    let trigger_names: Vec<&str> = on
        .as_object()
        .map(|map| map.keys().map(String::as_str).collect())
        .unwrap_or_default();
    if trigger_names != ["workflow_run"] {
        problems.push(format!(
            "the delivery starts on {trigger_names:?}: it must start only on the completion of the ci workflow \
             (workflow_run), so that only tested commits are delivered"
        ));
    }
    let run = &on["workflow_run"];
    let ci_name = read_yaml(".github/workflows/ci.yml")
        .ok()
        .and_then(|ci| ci["name"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "ci".to_owned());
    if run["workflows"] != serde_json::json!([ci_name]) || run["types"] != serde_json::json!(["completed"]) {
        problems.push(format!(
            "the delivery must start on `workflow_run: workflows: [{ci_name}], types: [completed]`"
        ));
    }
    if run["branches"] != serde_json::json!(["main"]) {
        problems.push("the delivery must start only on ci runs of branch main".to_owned());
    }
    let gated = |job: &Value| {
        let condition = job["if"].as_str().unwrap_or_default();
        [
            "github.event.workflow_run.conclusion == 'success'",
            "github.event.workflow_run.event == 'push'",
        ]
        .iter()
        .all(|needed| condition.contains(needed))
            && !condition.contains("always()")
    };
    for (name, job) in jobs {
        let before: Vec<&String> = jobs
            .keys()
            .filter(|other| runs_after(jobs, name, other))
            .collect();
        let waits_for_gate = before.iter().any(|other| gated(&jobs[other.as_str()]));
        let condition = job["if"].as_str().unwrap_or_default();
        if !gated(job)
            && (!waits_for_gate || condition.contains("always()") || condition.contains("cancelled()"))
        {
            problems.push(format!(
                "job {name} may run when the ci run failed: it needs `if:` on \
                 github.event.workflow_run.conclusion == 'success' and event == 'push', or a job that has it"
            ));
        }
        for step in steps(job) {
            if step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout"))
                && step["with"]["ref"].as_str() != Some(HEAD_SHA)
            {
                problems.push(format!(
                    "job {name} checks out something else than the commit ci tested: `ref: {HEAD_SHA}`"
                ));
            }
        }
    }
    if workflow.to_string().contains("github.sha") {
        problems.push(
            "the delivery uses github.sha, which for workflow_run is the newest commit of main, not the tested \
             one: use github.event.workflow_run.head_sha"
                .to_owned(),
        );
    }
    if workflow["env"]["IMAGE_TAG"].as_str() != Some(HEAD_SHA) {
        problems.push(format!("IMAGE_TAG must be the tested commit, {HEAD_SHA}"));
    }

    // The promotion chain: image -> dev -> promote -> prod.
    let image_job = jobs.iter().find(|(_, job)| {
        commands(job)
            .iter()
            .any(|run| run.contains("cargo xtask images") && env_of(run) == Some("dev"))
    });
    let promote_job = jobs.iter().find(|(_, job)| {
        commands(job)
            .iter()
            .any(|run| run.contains("cargo xtask images") && run.contains("--promote-from"))
    });
    let deploy_job = |env: &str| {
        jobs.iter()
            .find(|(_, job)| {
                commands(job)
                    .iter()
                    .any(|run| run.contains("cargo xtask deploy") && env_of(run) == Some(env))
            })
            .map(|(name, _)| name.clone())
    };
    for env in ENVIRONMENTS {
        if deploy_job(env).is_none() {
            problems.push(format!("no job deploys to {env}"));
        }
    }
    match (image_job, promote_job, deploy_job("dev"), deploy_job("prod")) {
        (Some((image, image_body)), Some((promote, promote_body)), Some(dev), Some(prod)) => {
            if image_body["outputs"]["image"]
                .as_str()
                .is_none_or(|o| !o.contains("outputs.image"))
            {
                problems.push(format!(
                    "job {image} must hand on the pushed image as output `image` (<repository>@<digest>)"
                ));
            }
            let source_from_image = steps(promote_body).any(|step| {
                step["run"].as_str().is_some_and(|r| r.contains("--promote-from"))
                    && step.to_string().contains(&format!("needs.{image}.outputs.image"))
            });
            if !source_from_image {
                problems.push(format!(
                    "job {promote} must promote exactly needs.{image}.outputs.image, the digest dev ran"
                ));
            }
            if environment_name(promote_body) != Some("prod") {
                problems.push(format!(
                    "job {promote} must run in GitHub environment prod (its approval is the promotion)"
                ));
            }
            if !runs_after(jobs, promote, &dev) {
                problems.push(format!("job {promote} must run after {dev} has passed"));
            }
            if !runs_after(jobs, &prod, promote) {
                problems.push(format!(
                    "job {prod} must run after {promote}: the image must be in prod's registry"
                ));
            }
        }
        (image, promote, _, _) => {
            if image.is_none() {
                problems.push("no job builds and pushes the image for dev".to_owned());
            }
            if promote.is_none() {
                problems.push(
                    "no job promotes the image dev ran into prod's registry (cargo xtask images --env prod \
                     --promote-from)"
                        .to_owned(),
                );
            }
        }
    }
    for env in ENVIRONMENTS {
        let rolls_back = jobs.values().any(|job| {
            commands(job).iter().any(|run| {
                run.contains("cargo xtask deploy") && run.contains("--rollback") && env_of(run) == Some(env)
            })
        });
        if !rolls_back {
            problems.push(format!("no step rolls {env} back when its smoke test fails"));
        }
    }
    problems
}

/// Every way `rollback.yml` breaks its rules (besides [`problems`]): started by hand only, one
/// job per environment that rolls back (or deploys a given tag) after reading the outputs, and
/// never applies Terraform.
pub fn rollback_problems(workflow: &Value) -> Vec<String> {
    let mut problems = problems(workflow);
    let on = triggers(workflow);
    if on
        .as_object()
        .is_none_or(|map| map.keys().ne(["workflow_dispatch"].iter()))
    {
        problems.push("the rollback workflow must start only by hand (workflow_dispatch)".to_owned());
    }
    let jobs = workflow["jobs"].as_object().cloned().unwrap_or_default();
    for env in ENVIRONMENTS {
        let job = jobs.values().find(|job| {
            commands(job).iter().any(|run| {
                run.contains("cargo xtask deploy") && run.contains("--rollback") && env_of(run) == Some(*env)
            })
        });
        let Some(job) = job else {
            problems.push(format!("the rollback workflow has no job that rolls {env} back"));
            continue;
        };
        let runs = commands(job);
        if !runs.iter().any(|run| {
            run.contains("cargo xtask provision")
                && run.contains("--outputs-only")
                && env_of(run) == Some(*env)
        }) {
            problems.push(format!(
                "the rollback of {env} must read the outputs first (cargo xtask provision --env {env} --outputs-only)"
            ));
        }
        if runs
            .iter()
            .any(|run| run.contains("cargo xtask provision") && !run.contains("--outputs-only"))
        {
            problems.push(format!(
                "the rollback of {env} applies Terraform: a rollback only reads outputs"
            ));
        }
    }
    problems
}

/// Every `uses:` of `text` (a workflow or action file) that is not pinned by a full commit SHA
/// with its tag in a comment; local actions (`./…`) need no pin.
pub fn pinning_problems(file: &Path, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let Some(reference) = trimmed.strip_prefix("uses:") else {
            continue;
        };
        let (reference, comment) = match reference.split_once('#') {
            Some((reference, comment)) => (reference.trim(), Some(comment.trim())),
            None => (reference.trim(), None),
        };
        let reference = reference.trim_matches(|c| c == '"' || c == '\'');
        let place = format!("{}:{}", file.display(), number + 1);
        if reference.starts_with("./") {
            continue;
        }
        if let Some(image) = reference.strip_prefix("docker://") {
            if !image.contains("@sha256:") {
                problems.push(format!("{place}: {reference} is not pinned by digest"));
            }
            continue;
        }
        let Some((_, version)) = reference.rsplit_once('@') else {
            problems.push(format!("{place}: {reference} names no version"));
            continue;
        };
        if version.len() != 40
            || !version
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            problems.push(format!(
                "{place}: {reference} is not pinned by a full 40-hex commit SHA (a tag or branch can be moved)"
            ));
        } else if comment
            .is_none_or(|c| !c.starts_with('v') || !c[1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            problems.push(format!(
                "{place}: {reference} has no `# vX.Y.Z` comment naming the tag the SHA is"
            ));
        }
    }
    problems
}

/// The ecosystems and folders Dependabot must watch: cargo, the actions (workflows and the
/// composite action), the base images (Dockerfile and the log shipper's manifest), every Terraform
/// configuration with a lock file, and the locked Python and Node tools.
pub fn dependabot_problems(config: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if config["version"] != 2 {
        problems.push("dependabot.yml must be `version: 2`".to_owned());
    }
    let updates = config["updates"].as_array().cloned().unwrap_or_default();
    let covered = |ecosystem: &str, folder: &str| {
        updates.iter().any(|update| {
            update["package-ecosystem"] == ecosystem && {
                let mut dirs: Vec<String> = update["directories"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|d| d.as_str().map(str::to_owned))
                    .collect();
                dirs.extend(update["directory"].as_str().map(str::to_owned));
                dirs.iter().any(|dir| directory_matches(dir, folder))
            }
        })
    };
    let mut wanted = vec![
        ("cargo", "/".to_owned()),
        ("github-actions", "/".to_owned()),
        ("github-actions", "/.github/actions/toolchain".to_owned()),
        ("docker", "/".to_owned()),
        ("docker", "/k8s/logging".to_owned()),
        ("pip", "/xtask/tools".to_owned()),
        ("npm", "/xtask/npm".to_owned()),
    ];
    // Every Terraform configuration with a committed lock file: the envs, and any module.
    let terraform = root().join("infra/terraform");
    let mut configurations = vec![terraform.join("envs")];
    if let Ok(entries) = std::fs::read_dir(terraform.join("modules")) {
        configurations.extend(entries.flatten().map(|entry| entry.path()));
    }
    for configuration in configurations {
        if configuration.join(".terraform.lock.hcl").exists()
            && let Ok(relative) = configuration.strip_prefix(root())
        {
            wanted.push(("terraform", format!("/{}", relative.display())));
        }
    }
    for (ecosystem, folder) in wanted {
        if !covered(ecosystem, &folder) {
            problems.push(format!("Dependabot does not watch {ecosystem} in {folder}"));
        }
        for update in &updates {
            if update["package-ecosystem"] == ecosystem && update["schedule"]["interval"].is_null() {
                problems.push(format!("the {ecosystem} updates have no schedule"));
            }
        }
    }
    problems
}

/// Whether a Dependabot `directory` entry (which may end in `/*`) names `folder`.
fn directory_matches(entry: &str, folder: &str) -> bool {
    let entry = entry.trim_end_matches('/');
    let folder = folder.trim_end_matches('/');
    match entry.strip_suffix("/*") {
        Some(parent) => folder
            .rsplit_once('/')
            .is_some_and(|(folder_parent, _)| folder_parent == parent),
        None => entry == folder || (entry.is_empty() && folder.is_empty()),
    }
}

/// Every problem of every GitHub file, each prefixed with its file; what `cargo xtask test`
/// reports.
pub fn all_problems() -> anyhow::Result<Vec<String>> {
    let mut all = Vec::new();
    for file in github_files()? {
        let text = std::fs::read_to_string(root().join(&file))?;
        all.extend(pinning_problems(&file, &text));
        if !file.starts_with(".github/workflows") {
            continue;
        }
        let workflow: Value = serde_norway::from_str(&text)?;
        let found = match file.file_name().and_then(|n| n.to_str()) {
            Some("deliver.yml") => delivery_problems(&workflow),
            Some("rollback.yml") => rollback_problems(&workflow),
            _ => problems(&workflow),
        };
        all.extend(found.into_iter().map(|p| format!("{}: {p}", file.display())));
    }
    if !root().join(".github/workflows/rollback.yml").exists() {
        all.push("no .github/workflows/rollback.yml: a rollback cannot be started by hand".to_owned());
    }
    match read_yaml(".github/dependabot.yml") {
        Ok(config) => all.extend(
            dependabot_problems(&config)
                .into_iter()
                .map(|p| format!(".github/dependabot.yml: {p}")),
        ),
        Err(error) => all.push(format!(".github/dependabot.yml: {error}")),
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(relative: &str) -> Value {
        read_yaml(relative).unwrap()
    }

    #[test]
    fn the_github_files_keep_every_rule() {
        let problems = all_problems().unwrap();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn the_runner_label_names_the_project_terraform_creates() {
        let runner = std::fs::read_to_string(root().join("infra/terraform/modules/runner/main.tf")).unwrap();
        assert!(
            runner.contains("project_name = \"${var.name}-gha-runner\""),
            "modules/runner must name its CodeBuild project <name>-gha-runner"
        );
        for env in ["dev", "prod"] {
            let main = std::fs::read_to_string(root().join("infra/terraform/envs/main.tf")).unwrap();
            assert!(main.contains("name          = \"expense-${local.env}\""), "{env}");
            assert!(runner_label(env).starts_with(&format!("codebuild-expense-{env}-gha-runner-")));
        }
    }

    fn has(found: &[String], start: &str) -> bool {
        found.iter().any(|p| p.starts_with(start))
    }

    #[test]
    fn a_deploy_from_a_hosted_runner_and_an_unpromoted_prod_are_caught() {
        // deliver.yml as it was before the in-VPC runner and the promotion.
        let mut workflow = read_deliver().unwrap();
        let jobs = workflow["jobs"].as_object_mut().unwrap();
        jobs["dev"]["runs-on"] = "ubuntu-24.04".into();
        jobs.remove("promote");
        jobs["prod"]["needs"] = "dev".into();
        jobs["image"]["outputs"] = Value::Null;
        let found = delivery_problems(&workflow);
        assert!(
            has(&found, "job dev deploys to dev on \"ubuntu-24.04\""),
            "{found:#?}"
        );
        assert!(has(&found, "no job promotes the image dev ran"), "{found:#?}");

        let mut workflow = read_deliver().unwrap();
        workflow["jobs"]["prod"]["environment"] = Value::Null;
        let found = delivery_problems(&workflow);
        assert!(
            has(
                &found,
                "job prod assumes an AWS role without a GitHub environment"
            ),
            "{found:#?}"
        );
    }

    #[test]
    fn a_delivery_that_does_not_wait_for_a_green_ci_run_of_the_same_commit_is_caught() {
        assert!(delivery_problems(&read_deliver().unwrap()).is_empty());

        // deliver.yml as it was: on every push, whatever ci said.
        let mut workflow = read_deliver().unwrap();
        workflow["on"] = serde_json::json!({"push": {"branches": ["main"]}, "workflow_dispatch": null});
        assert!(has(
            &delivery_problems(&workflow),
            "the delivery starts on [\"push\", \"workflow_dispatch\"]"
        ));

        let mut workflow = read_deliver().unwrap();
        workflow["jobs"]["image"]["if"] = Value::Null;
        let found = delivery_problems(&workflow);
        for job in ["image", "dev", "promote", "prod"] {
            assert!(
                has(&found, &format!("job {job} may run when the ci run failed")),
                "{found:#?}"
            );
        }

        let mut workflow = read_deliver().unwrap();
        workflow["jobs"]["image"]["if"] = "always()".into();
        assert!(has(
            &delivery_problems(&workflow),
            "job image may run when the ci run failed"
        ));

        let mut workflow = read_deliver().unwrap();
        workflow["jobs"]["dev"]["steps"][0]["with"] = Value::Null;
        assert!(has(
            &delivery_problems(&workflow),
            "job dev checks out something else"
        ));

        let mut workflow = read_deliver().unwrap();
        workflow["env"]["IMAGE_TAG"] = "${{ github.sha }}".into();
        let found = delivery_problems(&workflow);
        assert!(has(&found, "the delivery uses github.sha"), "{found:#?}");
        assert!(has(&found, "IMAGE_TAG must be the tested commit"), "{found:#?}");
    }

    #[test]
    fn id_token_is_granted_only_to_the_jobs_that_assume_a_role() {
        let mut workflow = read_deliver().unwrap();
        workflow["permissions"]["id-token"] = "write".into();
        assert!(has(
            &problems(&workflow),
            "the workflow grants id-token to every job"
        ));

        let mut workflow = read_deliver().unwrap();
        workflow["jobs"]["dev"]["permissions"] = serde_json::json!({"contents": "read"});
        assert!(has(
            &problems(&workflow),
            "job dev assumes an AWS role but may not request"
        ));

        let mut ci = read(".github/workflows/ci.yml");
        ci["jobs"]["lint"]["permissions"] = serde_json::json!({"id-token": "write"});
        assert!(has(
            &problems(&ci),
            "job lint assumes no AWS role but may request"
        ));
    }

    #[test]
    fn every_job_that_needs_terraform_or_kubectl_installs_the_pinned_versions() {
        let mut ci = read(".github/workflows/ci.yml");
        let steps = ci["jobs"]["test"]["steps"].as_array_mut().unwrap();
        steps.retain(|step| step["uses"].as_str() != Some(TOOLCHAIN_ACTION));
        let found = problems(&ci);
        assert!(
            has(
                &found,
                "job test runs Terraform or kustomize without installing them"
            ),
            "{found:#?}"
        );
        assert!(has(&found, "job test runs cargo without"), "{found:#?}");

        let mut deliver = read_deliver().unwrap();
        deliver["env"]["TERRAFORM_VERSION"] = "1.11.4".into();
        deliver["jobs"]["dev"]["steps"][1]["uses"] =
            "hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd".into();
        let found = problems(&deliver);
        assert!(
            has(&found, "the workflow sets TERRAFORM_VERSION itself"),
            "{found:#?}"
        );
        assert!(
            has(&found, "job dev installs a tool with hashicorp/setup-terraform"),
            "{found:#?}"
        );

        // The composite action installs exactly what the versions file states.
        let action = read(".github/actions/toolchain/action.yml");
        let text = action.to_string();
        for name in ["RUST_TOOLCHAIN", "TERRAFORM_VERSION", "KUBECTL_VERSION"] {
            assert!(
                text.contains(&format!("steps.versions.outputs.{name}")),
                "the toolchain action does not install {name}"
            );
        }
        assert!(text.contains("xtask/tools/versions.env"));
    }

    #[test]
    fn a_rollback_can_be_started_by_hand_and_never_applies_terraform() {
        let rollback = read(".github/workflows/rollback.yml");
        assert!(
            rollback_problems(&rollback).is_empty(),
            "{:#?}",
            rollback_problems(&rollback)
        );
        let mut applies = rollback.clone();
        applies["jobs"]["dev"]["steps"][3]["run"] = "cargo xtask provision --env dev".into();
        let found = rollback_problems(&applies);
        assert!(
            has(&found, "the rollback of dev must read the outputs first"),
            "{found:#?}"
        );
        assert!(has(&found, "the rollback of dev applies Terraform"), "{found:#?}");

        let deploying = std::fs::read_to_string(root().join("docs/deploying.md")).unwrap();
        assert!(deploying.contains(".github/workflows/rollback.yml"));
    }

    #[test]
    fn every_uses_is_pinned_by_a_full_commit_sha_with_its_tag() {
        let files = github_files().unwrap();
        assert!(files.len() >= 4, "{files:?}");
        let mut pinned = 0;
        for file in &files {
            let text = std::fs::read_to_string(root().join(file)).unwrap();
            let problems = pinning_problems(file, &text);
            assert!(problems.is_empty(), "{problems:#?}");
            pinned += text
                .lines()
                .filter(|l| l.contains("uses:") && !l.contains("./"))
                .count();
        }
        assert!(
            pinned >= 10,
            "only {pinned} pinned uses found: is the scan reading the files?"
        );

        let file = Path::new("x.yml");
        let check = |line: &str| pinning_problems(file, line);
        assert!(check("      - uses: actions/checkout@v5").len() == 1);
        assert!(check("      - uses: dtolnay/rust-toolchain@master").len() == 1);
        assert!(
            check("    uses: actions/checkout@fbc6f39").len() == 1,
            "a short SHA"
        );
        assert!(
            check("  - uses: actions/checkout@fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09").len() == 1,
            "no tag comment"
        );
        assert!(
            check("  - uses: actions/checkout@fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09 # v5.1.0").is_empty()
        );
        assert!(check("  - uses: ./.github/actions/toolchain").is_empty());
        assert!(check("  - uses: docker://alpine:3.20").len() == 1);
    }

    #[test]
    fn dependabot_watches_every_ecosystem_and_folder() {
        let config = read(".github/dependabot.yml");
        assert!(
            dependabot_problems(&config).is_empty(),
            "{:#?}",
            dependabot_problems(&config)
        );
        let mut without_terraform = config.clone();
        without_terraform["updates"]
            .as_array_mut()
            .unwrap()
            .retain(|update| update["package-ecosystem"] != "terraform");
        let found = dependabot_problems(&without_terraform);
        assert!(
            has(
                &found,
                "Dependabot does not watch terraform in /infra/terraform/envs"
            ),
            "{found:#?}"
        );
        assert!(directory_matches(
            "/infra/terraform/modules/*",
            "/infra/terraform/modules/iam"
        ));
        assert!(!directory_matches(
            "/infra/terraform/modules/*",
            "/infra/terraform/envs"
        ));
        assert!(directory_matches("/", "/"));
    }
}
