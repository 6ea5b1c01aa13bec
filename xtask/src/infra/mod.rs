//! The AWS estate from xtask: `bootstrap` (the Terraform state backend, through the AWS SDK),
//! `provision` (Terraform for one environment), and the checks `cargo xtask test` runs on
//! `infra/terraform/` (fmt, validate, checkov, and the whole dev env applied to moto).
//!
//! Reading order: [`aws`] (who we talk to and where), [`terraform`] (running the Terraform CLI
//! offline-capable and without writing into the repository), [`bootstrap`], [`provision`], then
//! the test stages [`checks`] and [`moto_proof`] (with [`least_privilege`], the applied IAM
//! policies evaluated against the matrix of what each identity may and may never do);
//! [`consistency`] holds the tests that the
//! operator documents and the Terraform code name the same things. Nothing here deploys to Kubernetes or builds
//! images: that is `delivery`.

pub mod aws;
pub mod bootstrap;
pub mod checks;
pub mod consistency;
pub mod least_privilege;
pub mod moto_proof;
pub mod provision;
pub mod terraform;

use std::fmt;
use std::path::PathBuf;

use anyhow::Context;

use crate::project::root;

/// The environment variable that points every AWS call at another endpoint (moto), as the AWS
/// CLI and SDKs read it. `--endpoint-url` wins over it.
pub const ENDPOINT_URL_VAR: &str = "AWS_ENDPOINT_URL";

/// The region of the state backend when neither `--region` nor the environment names one: the
/// default region of the Terraform envs.
pub const DEFAULT_REGION: &str = "eu-west-1";

/// One Terraform environment: the one configuration in `infra/terraform/envs` applied with the
/// environment's variable file (`envs/<env>.tfvars`), on its own state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Environment {
    Dev,
    Prod,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Dev => "dev",
            Environment::Prod => "prod",
        }
    }
}

/// `infra/terraform/envs`: the configuration every environment applies.
pub fn envs_dir() -> PathBuf {
    root().join("infra/terraform/envs")
}

impl Environment {
    /// The environment's variable file, relative to [`envs_dir`] (where Terraform runs).
    pub fn var_file(self) -> String {
        format!("{self}.tfvars")
    }

    /// The value `envs/<env>.tfvars` sets for `name` (a string's quotes removed), else the
    /// variable's default in `envs/variables.tf`.
    pub fn setting(self, name: &str) -> anyhow::Result<String> {
        let var_file = envs_dir().join(self.var_file());
        let text = std::fs::read_to_string(&var_file)
            .with_context(|| format!("cannot read {}", var_file.display()))?;
        if let Some(value) = tfvars_value(&text, name) {
            return Ok(value);
        }
        let variables = std::fs::read_to_string(envs_dir().join("variables.tf"))?;
        variable_default(&variables, name).with_context(|| {
            format!(
                "envs/{} sets no {name}, and envs/variables.tf gives it no default",
                self.var_file()
            )
        })
    }
}

/// The value of `name = value` in a `.tfvars` text, a string's quotes removed.
fn tfvars_value(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (left, right) = line.split_once('=')?;
        (left.trim() == name).then(|| unquote(right))
    })
}

/// The default of `variable "name"` in a `variables.tf`, a string's quotes removed.
pub fn variable_default(variables_tf: &str, name: &str) -> Option<String> {
    let block = variables_tf.split(&format!("variable \"{name}\"")).nth(1)?;
    let block = block.split("\nvariable \"").next()?;
    let line = block
        .lines()
        .find(|line| line.trim_start().starts_with("default"))?;
    Some(unquote(line.split_once('=')?.1))
}

fn unquote(value: &str) -> String {
    value.trim().trim_matches('"').to_owned()
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The names of an environment's Terraform state backend, as `bootstrap` creates them and
/// `provision` uses them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backend {
    /// `expense-tfstate-<account id>-<env>`: S3 names are global, the account id makes it ours.
    pub bucket: String,
    /// `expense-tflocks-<env>`, hash key `LockID` (string).
    pub lock_table: String,
    /// `<env>/terraform.tfstate`.
    pub state_key: String,
    /// Where the bucket and the table live.
    pub region: String,
}

impl Backend {
    /// The backend of `env` in account `account_id` (twelve digits).
    pub fn new(account_id: &str, env: Environment, region: &str) -> anyhow::Result<Self> {
        if account_id.len() != 12 || !account_id.bytes().all(|b| b.is_ascii_digit()) {
            anyhow::bail!("not an AWS account id (twelve digits): {account_id:?}");
        }
        Ok(Self {
            bucket: format!("expense-tfstate-{account_id}-{env}"),
            lock_table: format!("expense-tflocks-{env}"),
            state_key: format!("{env}/terraform.tfstate"),
            region: region.to_owned(),
        })
    }
}

/// The endpoint to use: the flag, else `AWS_ENDPOINT_URL`, else none (AWS itself). An empty
/// value counts as none.
pub fn resolve_endpoint(flag: Option<&str>, from_env: Option<String>) -> Option<String> {
    flag.map(str::to_owned)
        .or(from_env)
        .map(|url| url.trim_end_matches('/').to_owned())
        .filter(|url| !url.is_empty())
}

/// The backend's region: the flag, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else
/// [`DEFAULT_REGION`].
pub fn resolve_region(flag: Option<&str>) -> String {
    flag.map(str::to_owned)
        .or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .filter(|region| !region.is_empty())
        .unwrap_or_else(|| DEFAULT_REGION.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_names_follow_the_convention_the_envs_document() {
        let backend = Backend::new("123456789012", Environment::Dev, "eu-west-1").unwrap();
        assert_eq!(backend.bucket, "expense-tfstate-123456789012-dev");
        assert_eq!(backend.lock_table, "expense-tflocks-dev");
        assert_eq!(backend.state_key, "dev/terraform.tfstate");

        let prod = Backend::new("210987654321", Environment::Prod, "us-east-1").unwrap();
        assert_eq!(prod.bucket, "expense-tfstate-210987654321-prod");
        assert_eq!(prod.lock_table, "expense-tflocks-prod");
    }

    #[test]
    fn settings_come_from_the_variable_file_then_the_variable_default() {
        let tfvars =
            "# dev\nenv = \"dev\"\n\ndb_instance_class        = \"db.t4g.small\"\nlog_retention_days = 30\n";
        assert_eq!(
            tfvars_value(tfvars, "db_instance_class").as_deref(),
            Some("db.t4g.small")
        );
        assert_eq!(tfvars_value(tfvars, "log_retention_days").as_deref(), Some("30"));
        assert_eq!(tfvars_value(tfvars, "db_instance"), None);
        let variables = "variable \"kubernetes_version\" {\n  type        = string\n  default     = \"1.35\"\n}\n\nvariable \"hostname\" {\n  type = string\n}\n";
        assert_eq!(
            variable_default(variables, "kubernetes_version").as_deref(),
            Some("1.35")
        );
        assert_eq!(variable_default(variables, "hostname"), None);

        assert_eq!(Environment::Dev.setting("env").unwrap(), "dev");
        assert_eq!(Environment::Prod.setting("env").unwrap(), "prod");
        assert_eq!(
            Environment::Prod.setting("ecr_repository_name").unwrap(),
            "expense-prod/expense-server"
        );
        assert_eq!(Environment::Dev.setting("github_branch").unwrap(), "main");
        assert!(Environment::Dev.setting("hostname").is_err());
    }

    #[test]
    fn a_malformed_account_id_is_refused() {
        for bad in ["", "12345678901", "1234567890123", "12345678901a"] {
            assert!(
                Backend::new(bad, Environment::Dev, "eu-west-1").is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_endpoint_flag_wins_over_the_environment_and_empty_means_aws() {
        let from_env = || Some("http://127.0.0.1:5000/".to_owned());
        assert_eq!(
            resolve_endpoint(Some("http://127.0.0.1:6000"), from_env()).as_deref(),
            Some("http://127.0.0.1:6000")
        );
        assert_eq!(
            resolve_endpoint(None, from_env()).as_deref(),
            Some("http://127.0.0.1:5000")
        );
        assert_eq!(resolve_endpoint(None, Some(String::new())), None);
        assert_eq!(resolve_endpoint(None, None), None);
    }
}
