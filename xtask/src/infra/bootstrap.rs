//! `cargo xtask bootstrap --env <env>`: the one piece of the estate Terraform cannot create for
//! itself, its own state backend. Through the AWS SDK, it makes sure that
//!
//! - the state bucket `expense-tfstate-<account id>-<env>` exists, versioned (every state ever
//!   written can be restored), encrypted by default (SSE-S3), with all public access blocked and
//!   (on AWS; moto serves plain HTTP only) a policy refusing plain-HTTP access;
//! - the lock table `expense-tflocks-<env>` exists, hash key `LockID` (string), pay per request,
//!   with deletion protection.
//!
//! It is idempotent: each property is read first and only what is missing is changed, and a run
//! that changes nothing says so. It never deletes or weakens anything it finds.

use anyhow::{Context, bail};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, TableStatus,
};
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::types::{
    BucketLocationConstraint, BucketVersioningStatus, CreateBucketConfiguration,
    PublicAccessBlockConfiguration, ServerSideEncryption, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule, VersioningConfiguration,
};

use super::aws::{AwsTarget, aws_error, block_on};
use super::{Backend, ENDPOINT_URL_VAR, Environment, resolve_endpoint, resolve_region};
use crate::project::step;

/// The hash key Terraform's S3 backend writes its locks under.
const LOCK_KEY: &str = "LockID";

/// The `Sid` of the bucket policy statement that refuses plain HTTP.
const TLS_ONLY_SID: &str = "DenyInsecureTransport";

#[derive(Debug, clap::Args)]
pub struct BootstrapArgs {
    /// The environment whose state backend to create.
    #[arg(long, value_enum)]
    pub env: Environment,
    /// Send every AWS call to this endpoint (a moto server) with test credentials
    /// [default: $AWS_ENDPOINT_URL; unset = AWS].
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Region of the bucket and the table [default: $AWS_REGION, $AWS_DEFAULT_REGION, eu-west-1].
    #[arg(long)]
    pub region: Option<String>,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub backend: Backend,
    /// One line per change made, in order; empty when everything was already in place.
    pub changes: Vec<String>,
}

impl Report {
    /// The closing line: what changed, or that nothing had to.
    pub fn summary(&self) -> String {
        let Backend {
            bucket, lock_table, ..
        } = &self.backend;
        if self.changes.is_empty() {
            format!(
                "Nothing to change: state bucket {bucket} and lock table {lock_table} already \
                 exist as required."
            )
        } else {
            let n = self.changes.len();
            let plural = if n == 1 { "" } else { "s" };
            format!(
                "Made {n} change{plural} ({}). State bucket {bucket}, lock table {lock_table}.",
                self.changes.join("; ")
            )
        }
    }
}

pub fn run(args: &BootstrapArgs) -> anyhow::Result<()> {
    let target = AwsTarget {
        region: resolve_region(args.region.as_deref()),
        endpoint_url: resolve_endpoint(args.endpoint_url.as_deref(), std::env::var(ENDPOINT_URL_VAR).ok()),
    };
    let place = match &target.endpoint_url {
        Some(url) => format!("moto at {url}"),
        None => format!("AWS, {}", target.region),
    };
    step(&format!(
        "Bootstrapping the Terraform state backend of {} ({place})",
        args.env
    ));
    let report = block_on(bootstrap(&target, args.env))?;
    eprintln!("{}", report.summary());
    Ok(())
}

/// Creates what is missing of `env`'s backend and reports what it did.
pub async fn bootstrap(target: &AwsTarget, env: Environment) -> anyhow::Result<Report> {
    let account_id = target.account_id().await?;
    let backend = Backend::new(&account_id, env, &target.region)?;
    eprintln!("    account {account_id}, region {}", backend.region);
    let mut changes = Vec::new();
    ensure_bucket(&target.s3().await, &backend, !target.is_moto(), &mut changes).await?;
    ensure_lock_table(&target.dynamodb().await, &backend, &mut changes).await?;
    Ok(Report { backend, changes })
}

/// Prints a finding and, when it is a change, records it.
fn record(changes: &mut Vec<String>, change: String) {
    eprintln!("    changed: {change}");
    changes.push(change);
}

fn unchanged(what: &str) {
    eprintln!("    ok: {what}");
}

async fn ensure_bucket(
    s3: &aws_sdk_s3::Client,
    backend: &Backend,
    tls_only_policy_applies: bool,
    changes: &mut Vec<String>,
) -> anyhow::Result<()> {
    let bucket = backend.bucket.as_str();
    match s3.head_bucket().bucket(bucket).send().await {
        Ok(_) => unchanged(&format!("bucket {bucket} exists")),
        Err(error) if error.as_service_error().is_some_and(|e| e.is_not_found()) => {
            let mut create = s3.create_bucket().bucket(bucket);
            // us-east-1 is the one region that refuses an explicit location constraint.
            if backend.region != "us-east-1" {
                create = create.create_bucket_configuration(
                    CreateBucketConfiguration::builder()
                        .location_constraint(BucketLocationConstraint::from(backend.region.as_str()))
                        .build(),
                );
            }
            create
                .send()
                .await
                .map_err(aws_error)
                .with_context(|| format!("cannot create bucket {bucket}"))?;
            record(changes, format!("created bucket {bucket}"));
        }
        Err(error) => {
            return Err(aws_error(error))
                .with_context(|| format!("cannot read bucket {bucket} (does another account own it?)"));
        }
    }

    let versioned = match s3.get_bucket_versioning().bucket(bucket).send().await {
        Ok(output) => output.status() == Some(&BucketVersioningStatus::Enabled),
        // moto 5.2 names the answer's root element `GetBucketVersioningResponse` instead of
        // `VersioningConfiguration`, which the SDK refuses to parse: read the status from the
        // successful answer's body itself.
        Err(error) => match unparsed_success_body(&error) {
            Some(body) => body.contains("<Status>Enabled</Status>"),
            None => return Err(aws_error(error)),
        },
    };
    if versioned {
        unchanged("versioning enabled");
    } else {
        s3.put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(
                VersioningConfiguration::builder()
                    .status(BucketVersioningStatus::Enabled)
                    .build(),
            )
            .send()
            .await
            .map_err(aws_error)?;
        record(changes, "enabled versioning".to_owned());
    }

    let encrypted = match s3.get_bucket_encryption().bucket(bucket).send().await {
        Ok(output) => output
            .server_side_encryption_configuration()
            .is_some_and(|configuration| {
                configuration
                    .rules()
                    .iter()
                    .any(|rule| rule.apply_server_side_encryption_by_default().is_some())
            }),
        Err(error) if error.code() == Some("ServerSideEncryptionConfigurationNotFoundError") => false,
        Err(error) => return Err(aws_error(error)),
    };
    if encrypted {
        unchanged("default encryption on");
    } else {
        let rule = ServerSideEncryptionRule::builder()
            .apply_server_side_encryption_by_default(
                ServerSideEncryptionByDefault::builder()
                    .sse_algorithm(ServerSideEncryption::Aes256)
                    .build()?,
            )
            .build();
        s3.put_bucket_encryption()
            .bucket(bucket)
            .server_side_encryption_configuration(
                ServerSideEncryptionConfiguration::builder().rules(rule).build()?,
            )
            .send()
            .await
            .map_err(aws_error)?;
        record(changes, "turned on default encryption (SSE-S3)".to_owned());
    }

    let blocked = match s3.get_public_access_block().bucket(bucket).send().await {
        Ok(output) => output.public_access_block_configuration().is_some_and(|c| {
            [
                c.block_public_acls(),
                c.ignore_public_acls(),
                c.block_public_policy(),
                c.restrict_public_buckets(),
            ]
            .iter()
            .all(|flag| *flag == Some(true))
        }),
        Err(error) if error.code() == Some("NoSuchPublicAccessBlockConfiguration") => false,
        Err(error) => return Err(aws_error(error)),
    };
    if blocked {
        unchanged("public access blocked");
    } else {
        s3.put_public_access_block()
            .bucket(bucket)
            .public_access_block_configuration(
                PublicAccessBlockConfiguration::builder()
                    .block_public_acls(true)
                    .ignore_public_acls(true)
                    .block_public_policy(true)
                    .restrict_public_buckets(true)
                    .build(),
            )
            .send()
            .await
            .map_err(aws_error)?;
        record(changes, "blocked all public access".to_owned());
    }

    if tls_only_policy_applies {
        ensure_tls_only_policy(s3, bucket, changes).await?;
    } else {
        // moto serves plain HTTP and enforces bucket policies: the policy would lock everyone
        // out, Terraform included.
        eprintln!("    skipped: the TLS-only policy (moto serves plain HTTP)");
    }
    Ok(())
}

async fn ensure_tls_only_policy(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    changes: &mut Vec<String>,
) -> anyhow::Result<()> {
    let existing = match s3.get_bucket_policy().bucket(bucket).send().await {
        Ok(output) => output.policy().map(str::to_owned),
        Err(error) if error.code() == Some("NoSuchBucketPolicy") => None,
        Err(error) => return Err(aws_error(error)),
    };
    if let Some(policy) = existing {
        if policy.contains(TLS_ONLY_SID) {
            unchanged("policy refuses plain HTTP");
        } else {
            // Someone wrote their own policy: replacing it could lock them out, merging is for
            // a human.
            eprintln!(
                "    left alone: the bucket has its own policy, without a `{TLS_ONLY_SID}` \
                 statement; add one by hand"
            );
        }
    } else {
        s3.put_bucket_policy()
            .bucket(bucket)
            .policy(tls_only_policy(bucket))
            .send()
            .await
            .map_err(aws_error)?;
        record(changes, "set the TLS-only bucket policy".to_owned());
    }
    Ok(())
}

/// The body of an answer the service gave with success but the SDK could not parse.
fn unparsed_success_body<E>(error: &SdkError<E, HttpResponse>) -> Option<String> {
    let SdkError::ServiceError(_) = error else {
        return None;
    };
    let response = error.raw_response()?;
    if !response.status().is_success() {
        return None;
    }
    let bytes = response.body().bytes()?;
    Some(String::from_utf8_lossy(bytes).into_owned())
}

/// A bucket policy refusing every request made without TLS. (A bucket that already has another
/// policy is left alone: merging policies is for a human.)
fn tls_only_policy(bucket: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": TLS_ONLY_SID,
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }],
    })
    .to_string()
}

async fn ensure_lock_table(
    dynamodb: &aws_sdk_dynamodb::Client,
    backend: &Backend,
    changes: &mut Vec<String>,
) -> anyhow::Result<()> {
    let table = backend.lock_table.as_str();
    match dynamodb.describe_table().table_name(table).send().await {
        Ok(output) => {
            let key_schema = output.table().map(|t| t.key_schema()).unwrap_or_default();
            let right_key = key_schema.len() == 1
                && key_schema[0].attribute_name() == LOCK_KEY
                && key_schema[0].key_type() == &KeyType::Hash;
            if !right_key {
                bail!(
                    "table {table} exists but its key is not the hash key {LOCK_KEY} Terraform \
                     needs; rename or delete it by hand"
                );
            }
            unchanged(&format!("lock table {table} exists, hash key {LOCK_KEY}"));
        }
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            dynamodb
                .create_table()
                .table_name(table)
                .attribute_definitions(
                    AttributeDefinition::builder()
                        .attribute_name(LOCK_KEY)
                        .attribute_type(ScalarAttributeType::S)
                        .build()?,
                )
                .key_schema(
                    KeySchemaElement::builder()
                        .attribute_name(LOCK_KEY)
                        .key_type(KeyType::Hash)
                        .build()?,
                )
                .billing_mode(BillingMode::PayPerRequest)
                .deletion_protection_enabled(true)
                .send()
                .await
                .map_err(aws_error)
                .with_context(|| format!("cannot create table {table}"))?;
            wait_until_active(dynamodb, table).await?;
            record(changes, format!("created lock table {table}"));
        }
        Err(error) => return Err(aws_error(error)).context(format!("cannot read table {table}")),
    }
    Ok(())
}

async fn wait_until_active(dynamodb: &aws_sdk_dynamodb::Client, table: &str) -> anyhow::Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let output = dynamodb
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(aws_error)?;
        if output.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            bail!("table {table} did not become ACTIVE within 2 minutes");
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend() -> Backend {
        Backend::new("123456789012", Environment::Dev, "eu-west-1").unwrap()
    }

    #[test]
    fn a_run_that_changed_nothing_says_so() {
        let report = Report {
            backend: backend(),
            changes: vec![],
        };
        assert_eq!(
            report.summary(),
            "Nothing to change: state bucket expense-tfstate-123456789012-dev and lock table \
             expense-tflocks-dev already exist as required."
        );
    }

    #[test]
    fn a_run_that_changed_things_lists_them() {
        let report = Report {
            backend: backend(),
            changes: vec![
                "created bucket expense-tfstate-123456789012-dev".to_owned(),
                "enabled versioning".to_owned(),
            ],
        };
        assert_eq!(
            report.summary(),
            "Made 2 changes (created bucket expense-tfstate-123456789012-dev; enabled \
             versioning). State bucket expense-tfstate-123456789012-dev, lock table \
             expense-tflocks-dev."
        );
    }

    #[test]
    fn the_bucket_policy_refuses_plain_http_on_the_bucket_and_its_objects() {
        let policy: serde_json::Value =
            serde_json::from_str(&tls_only_policy("expense-tfstate-123456789012-dev")).unwrap();
        let statement = &policy["Statement"][0];
        assert_eq!(statement["Sid"], TLS_ONLY_SID);
        assert_eq!(statement["Effect"], "Deny");
        assert_eq!(statement["Condition"]["Bool"]["aws:SecureTransport"], "false");
        assert_eq!(
            statement["Resource"],
            serde_json::json!([
                "arn:aws:s3:::expense-tfstate-123456789012-dev",
                "arn:aws:s3:::expense-tfstate-123456789012-dev/*"
            ])
        );
    }
}
