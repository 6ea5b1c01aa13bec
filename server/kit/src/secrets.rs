//! Secrets from AWS Secrets Manager: the database credentials (the RDS-managed secret) and the
//! JWT signing keys, read by the service itself through its IRSA role, so no secret is ever
//! written into a manifest, an environment variable or a file.
//!
//! Secrets Manager's version stages carry rotations: `AWSCURRENT` is the value in use,
//! `AWSPENDING` the next one (during a rotation) and `AWSPREVIOUS` the one before. The database
//! pool re-reads its secret when the database refuses the password it has ([`crate::db`]).

use async_trait::async_trait;
use aws_sdk_secretsmanager::error::DisplayErrorContext;
use serde::Deserialize;

use crate::config::AwsConfig;
use crate::db::{DbCredentialSource, DbCredentials};
use crate::redacted::Redacted;

pub const CURRENT: &str = "AWSCURRENT";
pub const PENDING: &str = "AWSPENDING";
pub const PREVIOUS: &str = "AWSPREVIOUS";

/// Reading a secret failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot read secret {arn} ({stage}): {reason}")]
pub struct SecretError {
    pub arn: String,
    pub stage: String,
    pub reason: String,
}

/// A Secrets Manager client.
#[derive(Debug, Clone)]
pub struct SecretsClient {
    client: aws_sdk_secretsmanager::Client,
}

impl SecretsClient {
    /// A client with the process's AWS configuration (the default credential chain).
    pub async fn new(aws: &AwsConfig) -> Self {
        Self {
            client: aws_sdk_secretsmanager::Client::new(&crate::aws::sdk_config(aws, None).await),
        }
    }

    /// The secret string at `stage`; `None` when no version has that stage.
    pub async fn read(&self, arn: &str, stage: &str) -> Result<Option<Redacted<String>>, SecretError> {
        let error = |reason: String| SecretError {
            arn: arn.to_owned(),
            stage: stage.to_owned(),
            reason,
        };
        match self
            .client
            .get_secret_value()
            .secret_id(arn)
            .version_stage(stage)
            .send()
            .await
        {
            Ok(output) => output
                .secret_string
                .map(|value| Some(Redacted::new(value)))
                .ok_or_else(|| error("the secret has no string value".to_owned())),
            Err(failure) => {
                let missing_stage = failure
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception())
                    && stage != CURRENT;
                if missing_stage {
                    Ok(None)
                } else {
                    Err(error(DisplayErrorContext(&failure).to_string()))
                }
            }
        }
    }

    /// The current value; an error when there is none.
    pub async fn current(&self, arn: &str) -> Result<Redacted<String>, SecretError> {
        self.read(arn, CURRENT).await?.ok_or_else(|| SecretError {
            arn: arn.to_owned(),
            stage: CURRENT.to_owned(),
            reason: "no current version".to_owned(),
        })
    }
}

/// The database user and password from a secret in the RDS-managed format:
/// `{"username": "…", "password": "…", …}` (other fields are ignored).
#[derive(Debug, Clone)]
pub struct DatabaseSecret {
    pub client: SecretsClient,
    pub arn: String,
}

#[derive(Deserialize)]
struct RdsSecret {
    username: String,
    password: String,
}

#[async_trait]
impl DbCredentialSource for DatabaseSecret {
    async fn credentials(&self) -> Result<DbCredentials, String> {
        let value = self.client.current(&self.arn).await.map_err(|e| e.to_string())?;
        let secret: RdsSecret = serde_json::from_str(value.expose()).map_err(|e| {
            format!(
                "secret {} is not {{\"username\", \"password\"}} JSON: {e}",
                self.arn
            )
        })?;
        Ok(DbCredentials {
            username: secret.username,
            password: Redacted::new(secret.password),
        })
    }

    fn describe(&self) -> String {
        format!("secret {}", self.arn)
    }
}
