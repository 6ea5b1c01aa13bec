//! What `.github/workflows/deliver.yml` must hold for a delivery to work on AWS, checked as a
//! test because actionlint only judges the syntax:
//!
//! - every job that deploys (`cargo xtask deploy --env E`) runs on the runner inside E's VPC,
//!   `codebuild-expense-E-gha-runner-<run id>-<attempt>`, the CodeBuild project
//!   `infra/terraform/modules/runner` names (the EKS API endpoints are private);
//! - every job that assumes an AWS role declares the GitHub environment of the commands it runs
//!   (the deploy role of E trusts only jobs of environment E, `infra/terraform/modules/ci`), and
//!   the workflow may request OIDC tokens;
//! - prod runs only the image dev ran: the image job hands on `<repository>@<digest>`, a job of
//!   environment prod copies exactly that with `cargo xtask images --env prod --promote-from`
//!   after dev has passed, and prod deploys only after that copy; nothing builds for prod.
//!
//! It reads the workflow as data; it runs nothing.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::project::root;

/// The environments the workflow delivers to, in order.
const ENVIRONMENTS: &[&str] = &["dev", "prod"];

/// The `runs-on` label that selects environment `env`'s in-VPC runner for one job.
pub fn runner_label(env: &str) -> String {
    format!("codebuild-expense-{env}-gha-runner-${{{{ github.run_id }}}}-${{{{ github.run_attempt }}}}")
}

/// The workflow file, parsed.
pub fn read_deliver() -> anyhow::Result<Value> {
    let path = root().join(".github/workflows/deliver.yml");
    let text = std::fs::read_to_string(&path)?;
    Ok(serde_norway::from_str(&text)?)
}

/// The `run:` lines of a job's steps, joined.
fn commands(job: &Value) -> Vec<String> {
    job["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|step| step["run"].as_str().map(str::to_owned))
        .collect()
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

/// Every way `workflow` breaks the rules in the module doc; empty when it keeps them.
pub fn problems(workflow: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(jobs) = workflow["jobs"].as_object() else {
        return vec!["the workflow has no jobs".to_owned()];
    };
    if workflow["permissions"]["id-token"] != "write" {
        problems.push("the workflow must grant `permissions: id-token: write` (GitHub OIDC)".to_owned());
    }
    for (name, job) in jobs {
        let runs = commands(job);
        let uses_aws = job["steps"].as_array().into_iter().flatten().any(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("aws-actions/configure-aws-credentials"))
        });
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
            let source_from_image = promote_body["steps"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|step| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delivery_workflow_deploys_from_inside_the_vpc_and_promotes_by_digest() {
        let problems = problems(&read_deliver().unwrap());
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
            let main =
                std::fs::read_to_string(root().join(format!("infra/terraform/envs/{env}/main.tf"))).unwrap();
            assert!(main.contains("name          = \"expense-${local.env}\""), "{env}");
            assert!(runner_label(env).starts_with(&format!("codebuild-expense-{env}-gha-runner-")));
        }
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
        let found = problems(&workflow);
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("job dev deploys to dev on \"ubuntu-24.04\"")),
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("no job promotes the image dev ran")),
            "{found:#?}"
        );

        let mut workflow = read_deliver().unwrap();
        workflow["jobs"]["prod"]["environment"] = Value::Null;
        let found = problems(&workflow);
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("job prod assumes an AWS role without a GitHub environment")),
            "{found:#?}"
        );
    }
}
