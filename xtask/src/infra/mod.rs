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

/// The environment variable that points every AWS call at another endpoint (moto), as the AWS
/// CLI and SDKs read it. `--endpoint-url` wins over it.
pub const ENDPOINT_URL_VAR: &str = "AWS_ENDPOINT_URL";

/// The region of the state backend when neither `--region` nor the environment names one: the
/// default region of the Terraform envs.
pub const DEFAULT_REGION: &str = "eu-west-1";

/// One Terraform environment: a root under `infra/terraform/envs/<env>` with its own state.
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
