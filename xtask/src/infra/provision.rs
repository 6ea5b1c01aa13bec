//! `cargo xtask provision --env <env> [--plan-only | --outputs-only]`: Terraform for one
//! environment (the configuration in `infra/terraform/envs` with the variable file
//! `envs/<env>.tfvars`), on the backend `bootstrap` created.
//!
//! 1. finds the account (STS) and so the backend's names, and checks they exist;
//! 2. writes the backend config to `target/provision/<env>/backend.s3.tfbackend`;
//! 3. `terraform init` (data in `target/provision/<env>/tf-data`, never in the repository);
//! 4. `terraform plan -var-file=<env>.tfvars` into a plan file, with `-detailed-exitcode` to know whether anything
//!    changes (`--plan-only` stops here);
//! 5. `terraform apply` of exactly that plan, when it changes something;
//! 6. `terraform output -json` into `target/provision/<env>/outputs.json`, which `deploy` reads.
//!
//! `--outputs-only` does 1–3 and 6: it changes nothing and plans nothing, for a job that only
//! deploys (the rollback workflow) and needs what the last apply recorded.
//!
//! With an endpoint URL (moto), the backend config and the env get the test settings: the env's
//! `moto = true` and `aws_endpoint` variables (docs/operations.md lists what they switch off).
//! The [`Stack`] type is also what the moto proof in `cargo xtask test` drives.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::aws::{AwsTarget, MOTO_ACCESS_KEY, MOTO_SECRET_KEY, aws_error, block_on};
use super::terraform::{Terraform, hcl_string};
use super::{Backend, ENDPOINT_URL_VAR, Environment, envs_dir, resolve_endpoint, resolve_region};
use crate::project::{root, step};

/// The outputs `deploy`, `images` and the operator read from `outputs.json` (docs/operations.md,
/// "Deploy"); the moto proof checks each has a value.
pub const DEPLOY_OUTPUTS: &[&str] = &[
    "cluster_name",
    "region",
    "ecr_repository_url",
    "namespace",
    "auth_role_arn",
    "expenses_role_arn",
    "receipts_role_arn",
    "notifications_role_arn",
    "migrate_role_arn",
    "monthly_summary_role_arn",
    "fluent_bit_role_arn",
    "irsa_role_arns",
    "database_url",
    "rds_master_secret_arn",
    "jwt_secret_arn",
    "receipts_bucket",
    "sns_topic_arn",
    "sqs_queue_urls",
    "sqs_dlq_urls",
    "mail_from",
    "vpc_id",
    "vpc_cidr",
    "public_subnet_cidrs",
    "private_subnet_cidrs",
    "private_subnet_ids",
    "node_role_name",
    "kubernetes_version",
    "eks_addons",
    "deploy_role_arn",
    "deploy_role_trusted_subjects",
    "permissions_boundary_arn",
    "runner_project_name",
    "ecr_repository_arn",
    "certificate_arn",
    "hostname",
    "services_log_group",
    "receipts_pending_tag",
];

/// How long a Terraform run waits for a lock another run holds.
const LOCK_TIMEOUT: &str = "-lock-timeout=120s";

#[derive(Debug, clap::Args)]
pub struct ProvisionArgs {
    /// The environment to provision (`infra/terraform/envs` with `envs/<env>.tfvars`).
    #[arg(long, value_enum)]
    pub env: Environment,
    /// Run init and plan only: change nothing.
    #[arg(long, conflicts_with = "outputs_only")]
    pub plan_only: bool,
    /// Run init and write the outputs of the current state only: no plan, change nothing.
    #[arg(long)]
    pub outputs_only: bool,
    /// Send every AWS call to this endpoint (a moto server) with test credentials, and set the
    /// env's `moto` and `aws_endpoint` variables [default: $AWS_ENDPOINT_URL; unset = AWS].
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Region of the state backend, as given to bootstrap [default: $AWS_REGION,
    /// $AWS_DEFAULT_REGION, eu-west-1].
    #[arg(long)]
    pub region: Option<String>,
    /// Set a Terraform variable, repeatable (e.g. `--var hostname=api.dev.example.com`); it wins
    /// over the value in `infra/terraform/envs/<env>.tfvars`.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("expected NAME=VALUE, got {text:?}")),
    }
}

pub fn run(args: &ProvisionArgs) -> anyhow::Result<()> {
    check_no_folder_of_its_own(&envs_dir(), args.env)?;
    let target = AwsTarget {
        region: resolve_region(args.region.as_deref()),
        endpoint_url: resolve_endpoint(args.endpoint_url.as_deref(), std::env::var(ENDPOINT_URL_VAR).ok()),
    };
    let place = match &target.endpoint_url {
        Some(url) => format!("moto at {url}"),
        None => "AWS".to_owned(),
    };
    step(&format!("Provisioning {} ({place})", args.env));
    let account_id = block_on(target.account_id())?;
    let backend = Backend::new(&account_id, args.env, &target.region)?;
    block_on(check_backend_exists(&target, &backend, args.env))?;
    let stack = Stack::init(
        args.env,
        target,
        backend,
        &args.vars,
        &default_work_dir(args.env),
        None,
    )?;
    if args.outputs_only {
        let outputs = stack.capture_outputs()?;
        eprintln!(
            "\nOutputs of the current state in {} (nothing planned or applied).",
            outputs.strip_prefix(root()).unwrap_or(&outputs).display()
        );
        return Ok(());
    }
    let outcome = provision(&stack, args.plan_only)?;
    match (&outcome.outputs, outcome.changed) {
        (None, true) => eprintln!("\nPlan only: the changes above were not applied."),
        (None, false) => eprintln!("\nPlan only: no changes."),
        (Some(outputs), changed) => eprintln!(
            "\n{} Outputs in {}.",
            if changed {
                "Applied."
            } else {
                "No changes: nothing to apply."
            },
            outputs.strip_prefix(root()).unwrap_or(outputs).display()
        ),
    }
    Ok(())
}

/// Fails while `envs/<env>/terraform.tfvars` is left from when each environment was a folder of
/// its own: Terraform would no longer read it, so its values (the host name, the repository, ...)
/// would be missing from the plan.
pub fn check_no_folder_of_its_own(envs_dir: &Path, env: Environment) -> anyhow::Result<()> {
    let old = envs_dir.join(env.as_str()).join("terraform.tfvars");
    if old.exists() {
        bail!(
            "{} is no longer read: both environments are the configuration in {} now; move its \
             lines to the end of {} and delete the folder {}",
            old.display(),
            envs_dir.display(),
            envs_dir.join(env.var_file()).display(),
            envs_dir.join(env.as_str()).display()
        );
    }
    Ok(())
}

/// Fails with the command to run when `bootstrap` has not created the backend yet.
async fn check_backend_exists(target: &AwsTarget, backend: &Backend, env: Environment) -> anyhow::Result<()> {
    let hint = format!("run `cargo xtask bootstrap --env {env}` first");
    if let Err(error) = target
        .s3()
        .await
        .head_bucket()
        .bucket(&backend.bucket)
        .send()
        .await
    {
        if error.as_service_error().is_some_and(|e| e.is_not_found()) {
            bail!("the state bucket {} does not exist: {hint}", backend.bucket);
        }
        return Err(aws_error(error)).context(format!("cannot read bucket {}", backend.bucket));
    }
    let described = target
        .dynamodb()
        .await
        .describe_table()
        .table_name(&backend.lock_table)
        .send()
        .await;
    if let Err(error) = described {
        if error
            .as_service_error()
            .is_some_and(|e| e.is_resource_not_found_exception())
        {
            bail!("the lock table {} does not exist: {hint}", backend.lock_table);
        }
        return Err(aws_error(error)).context(format!("cannot read table {}", backend.lock_table));
    }
    Ok(())
}

/// `target/provision/<env>`: backend config, Terraform data, plan and outputs of `provision`.
pub fn default_work_dir(env: Environment) -> PathBuf {
    root().join("target/provision").join(env.as_str())
}

/// The S3 backend's settings for `backend`; against moto also its endpoints, test credentials
/// and the checks moto cannot answer switched off.
pub fn backend_config(backend: &Backend, endpoint: Option<&str>) -> String {
    let mut lines = vec![
        ("bucket", hcl_string(&backend.bucket)),
        ("key", hcl_string(&backend.state_key)),
        ("region", hcl_string(&backend.region)),
        ("dynamodb_table", hcl_string(&backend.lock_table)),
        ("encrypt", "true".to_owned()),
    ];
    if let Some(endpoint) = endpoint {
        let endpoint = hcl_string(endpoint);
        lines.extend([
            ("use_path_style", "true".to_owned()),
            ("skip_credentials_validation", "true".to_owned()),
            ("skip_requesting_account_id", "true".to_owned()),
            ("skip_metadata_api_check", "true".to_owned()),
            ("skip_region_validation", "true".to_owned()),
            ("access_key", hcl_string(MOTO_ACCESS_KEY)),
            ("secret_key", hcl_string(MOTO_SECRET_KEY)),
            (
                "endpoints",
                format!("{{\n  s3       = {endpoint}\n  dynamodb = {endpoint}\n  sts      = {endpoint}\n}}"),
            ),
        ]);
    }
    let width = lines.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    let mut text =
        String::from("# Written by cargo xtask provision from the names bootstrap created. Do not edit.\n");
    for (name, value) in lines {
        text.push_str(&format!("{name:width$} = {value}\n"));
    }
    text
}

/// The variable arguments of every plan and destroy: the environment's variable file, then
/// against moto the test switches, then `extra` (Terraform lets a later one win).
pub fn variable_args(env: Environment, endpoint: Option<&str>, extra: &[(String, String)]) -> Vec<String> {
    let mut vars = Vec::new();
    if let Some(endpoint) = endpoint {
        vars.push(("moto".to_owned(), "true".to_owned()));
        vars.push(("aws_endpoint".to_owned(), endpoint.to_owned()));
    }
    vars.extend(extra.iter().cloned());
    let mut args = vec![format!("-var-file={}", env.var_file())];
    for (name, value) in vars {
        args.push("-var".to_owned());
        args.push(format!("{name}={value}"));
    }
    args
}

/// One environment's Terraform, initialised on its backend.
#[derive(Debug)]
pub struct Stack {
    work_dir: PathBuf,
    /// [`variable_args`].
    variable_args: Vec<String>,
    terraform: Terraform,
}

/// What [`provision`] did.
#[derive(Debug)]
pub struct Outcome {
    /// Whether the plan had changes (applied unless plan-only).
    pub changed: bool,
    /// The outputs file, when applied (or nothing needed applying).
    pub outputs: Option<PathBuf>,
}

impl Stack {
    /// Writes the backend config into `work_dir` and runs `terraform init` in `envs` for `env`. With
    /// `log`, Terraform's output goes to that file instead of the terminal.
    pub fn init(
        env: Environment,
        target: AwsTarget,
        backend: Backend,
        extra_vars: &[(String, String)],
        work_dir: &Path,
        log: Option<PathBuf>,
    ) -> anyhow::Result<Self> {
        std::fs::create_dir_all(work_dir)?;
        let endpoint = target.endpoint_url.as_deref();
        let backend_file = work_dir.join("backend.s3.tfbackend");
        std::fs::write(&backend_file, backend_config(&backend, endpoint))?;
        let terraform = Terraform::new(&envs_dir(), &work_dir.join("tf-data"), log)?;
        // -reconfigure: the backend file is complete each time, and may point elsewhere than
        // the last run (AWS or moto).
        terraform.run(&[
            "init".to_owned(),
            "-input=false".to_owned(),
            "-reconfigure".to_owned(),
            format!("-backend-config={}", backend_file.display()),
        ])?;
        Ok(Self {
            work_dir: work_dir.to_owned(),
            variable_args: variable_args(env, endpoint, extra_vars),
            terraform,
        })
    }

    pub fn terraform(&self) -> &Terraform {
        &self.terraform
    }

    fn plan_file(&self) -> PathBuf {
        self.work_dir.join("tfplan")
    }

    fn with_vars(&self, args: &[&str]) -> Vec<String> {
        let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        all.extend(self.variable_args.iter().cloned());
        all
    }

    /// `terraform plan`, saved for [`Stack::apply_saved_plan`] when `save`; returns whether it
    /// changes anything.
    pub fn plan(&self, save: bool) -> anyhow::Result<bool> {
        let out = format!("-out={}", self.plan_file().display());
        let mut args = vec!["plan", "-input=false", "-detailed-exitcode", LOCK_TIMEOUT];
        if save {
            args.push(&out);
        }
        let code = self.terraform.run_accepting(&self.with_vars(&args), &[0, 2])?;
        for line in self
            .terraform
            .last_run_lines(|line| line.starts_with("Plan:") || line.starts_with("No changes."))
        {
            eprintln!("    {line}");
        }
        Ok(code == 2)
    }

    /// The resource lines (`  # ... will be created`) of the last plan, when logging to a file.
    pub fn planned_changes(&self) -> Vec<String> {
        self.terraform.last_run_lines(|line| line.starts_with("  # "))
    }

    /// `terraform apply` of the plan [`Stack::plan`] saved: exactly what was shown.
    pub fn apply_saved_plan(&self) -> anyhow::Result<()> {
        self.terraform.run(&[
            "apply".to_owned(),
            "-input=false".to_owned(),
            LOCK_TIMEOUT.to_owned(),
            self.plan_file().display().to_string(),
        ])
    }

    /// `terraform output -json` into `outputs.json` in the work folder; returns its path.
    pub fn capture_outputs(&self) -> anyhow::Result<PathBuf> {
        let json = self.terraform.capture(&["output", "-json"])?;
        let outputs: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&json).context("terraform output -json did not print a JSON object")?;
        if outputs.is_empty() {
            bail!("terraform output -json printed no outputs: is the state empty?");
        }
        let path = self.work_dir.join("outputs.json");
        std::fs::write(&path, serde_json::to_vec_pretty(&outputs)?)?;
        eprintln!(
            "    {} outputs written to {}",
            outputs.len(),
            path.strip_prefix(root()).unwrap_or(&path).display()
        );
        Ok(path)
    }

    /// `terraform destroy` of everything in the state.
    pub fn destroy(&self) -> anyhow::Result<()> {
        let args = self.with_vars(&["destroy", "-auto-approve", "-input=false", LOCK_TIMEOUT]);
        self.terraform.run(&args)
    }

    /// The resource addresses in the state.
    pub fn resources(&self) -> anyhow::Result<Vec<String>> {
        let list = self.terraform.capture(&["state", "list"])?;
        Ok(String::from_utf8_lossy(&list)
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(str::to_owned)
            .collect())
    }
}

/// Plans `stack` and, unless `plan_only`, applies the plan and captures the outputs.
pub fn provision(stack: &Stack, plan_only: bool) -> anyhow::Result<Outcome> {
    let changed = stack.plan(!plan_only)?;
    if plan_only {
        return Ok(Outcome {
            changed,
            outputs: None,
        });
    }
    if changed {
        stack.apply_saved_plan()?;
    }
    let outputs = stack.capture_outputs()?;
    Ok(Outcome {
        changed,
        outputs: Some(outputs),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend() -> Backend {
        Backend::new("123456789012", Environment::Dev, "eu-west-1").unwrap()
    }

    #[test]
    fn the_aws_backend_config_names_bucket_key_region_and_lock_table() {
        assert_eq!(
            backend_config(&backend(), None),
            "# Written by cargo xtask provision from the names bootstrap created. Do not edit.\n\
             bucket         = \"expense-tfstate-123456789012-dev\"\n\
             key            = \"dev/terraform.tfstate\"\n\
             region         = \"eu-west-1\"\n\
             dynamodb_table = \"expense-tflocks-dev\"\n\
             encrypt        = true\n"
        );
    }

    #[test]
    fn the_moto_backend_config_adds_endpoints_and_test_credentials() {
        let config = backend_config(&backend(), Some("http://127.0.0.1:5055"));
        for line in [
            "bucket                      = \"expense-tfstate-123456789012-dev\"\n",
            "dynamodb_table              = \"expense-tflocks-dev\"\n",
            "use_path_style              = true\n",
            "skip_credentials_validation = true\n",
            "skip_requesting_account_id  = true\n",
            "access_key                  = \"testing\"\n",
            "secret_key                  = \"testing\"\n",
            "endpoints                   = {\n  s3       = \"http://127.0.0.1:5055\"\n  \
             dynamodb = \"http://127.0.0.1:5055\"\n  sts      = \"http://127.0.0.1:5055\"\n}\n",
        ] {
            assert!(config.contains(line), "{line:?} missing from:\n{config}");
        }
    }

    #[test]
    fn runs_get_the_env_variable_file_then_the_moto_switches_then_the_given_variables() {
        let extra = vec![("hostname".to_owned(), "api.dev.expense.test".to_owned())];
        assert_eq!(
            variable_args(Environment::Dev, Some("http://127.0.0.1:5055"), &extra),
            [
                "-var-file=dev.tfvars",
                "-var",
                "moto=true",
                "-var",
                "aws_endpoint=http://127.0.0.1:5055",
                "-var",
                "hostname=api.dev.expense.test"
            ]
        );
        assert_eq!(
            variable_args(Environment::Prod, None, &extra),
            ["-var-file=prod.tfvars", "-var", "hostname=api.dev.expense.test"]
        );
        assert!(envs_dir().join(Environment::Prod.var_file()).is_file());
    }

    #[test]
    fn a_terraform_tfvars_left_in_an_environment_folder_stops_provision() {
        check_no_folder_of_its_own(&envs_dir(), Environment::Dev).unwrap();
        let envs = tempfile::tempdir().unwrap();
        check_no_folder_of_its_own(envs.path(), Environment::Prod).unwrap();
        std::fs::create_dir(envs.path().join("prod")).unwrap();
        std::fs::write(envs.path().join("prod/terraform.tfvars"), "hostname = \"x\"\n").unwrap();
        let error = check_no_folder_of_its_own(envs.path(), Environment::Prod).unwrap_err();
        let folder = envs.path().display();
        assert_eq!(
            error.to_string(),
            format!(
                "{folder}/prod/terraform.tfvars is no longer read: both environments are the \
                 configuration in {folder} now; move its lines to the end of {folder}/prod.tfvars \
                 and delete the folder {folder}/prod"
            )
        );
        check_no_folder_of_its_own(envs.path(), Environment::Dev).unwrap();
    }

    #[test]
    fn variables_on_the_command_line_are_name_equals_value() {
        assert_eq!(
            parse_var("alb_arn_suffixes=[\"app/x/1\"]").unwrap(),
            ("alb_arn_suffixes".to_owned(), "[\"app/x/1\"]".to_owned())
        );
        assert!(parse_var("no-equals-sign").is_err());
        assert!(parse_var("=value").is_err());
    }
}
