//! Where xtask's AWS calls go: AWS itself (credentials from the usual chain) or, with an
//! endpoint URL, a moto server (fixed test credentials, path-style S3). Everything that builds
//! an SDK client gets its configuration here, so the two cases cannot drift apart.

use std::future::Future;

use anyhow::Context;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_s3::config::Credentials;
use aws_sdk_s3::error::DisplayErrorContext;

/// The credentials moto accepts (it checks none); also what the Terraform envs use with
/// `moto = true`.
pub const MOTO_ACCESS_KEY: &str = "testing";
pub const MOTO_SECRET_KEY: &str = "testing";

/// The AWS API to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsTarget {
    /// Region of the calls (the state backend's region).
    pub region: String,
    /// A moto server's URL, or `None` for AWS.
    pub endpoint_url: Option<String>,
}

impl AwsTarget {
    /// Whether the calls go to moto rather than AWS.
    pub fn is_moto(&self) -> bool {
        self.endpoint_url.is_some()
    }

    /// The SDK configuration shared by every client.
    pub async fn sdk_config(&self) -> SdkConfig {
        let mut loader =
            aws_config::defaults(BehaviorVersion::latest()).region(Region::new(self.region.clone()));
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url).credentials_provider(Credentials::new(
                MOTO_ACCESS_KEY,
                MOTO_SECRET_KEY,
                None,
                None,
                "moto",
            ));
        }
        loader.load().await
    }

    /// An S3 client; path-style addressing against moto (no per-bucket host names there).
    pub async fn s3(&self) -> aws_sdk_s3::Client {
        let config = aws_sdk_s3::config::Builder::from(&self.sdk_config().await)
            .force_path_style(self.is_moto())
            .build();
        aws_sdk_s3::Client::from_conf(config)
    }

    pub async fn dynamodb(&self) -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::new(&self.sdk_config().await)
    }

    pub async fn route53(&self) -> aws_sdk_route53::Client {
        aws_sdk_route53::Client::new(&self.sdk_config().await)
    }

    /// The account the credentials belong to (moto answers 123456789012).
    pub async fn account_id(&self) -> anyhow::Result<String> {
        let sts = aws_sdk_sts::Client::new(&self.sdk_config().await);
        let identity = sts
            .get_caller_identity()
            .send()
            .await
            .map_err(aws_error)
            .context("STS GetCallerIdentity failed: are AWS credentials configured?")?;
        identity
            .account()
            .map(str::to_owned)
            .context("STS GetCallerIdentity returned no account")
    }
}

/// An SDK error with its whole chain of causes (the SDK's own `Display` says only "service
/// error").
pub fn aws_error(error: impl std::error::Error) -> anyhow::Error {
    anyhow::anyhow!("{}", DisplayErrorContext(error))
}

/// Runs `future` to completion on a runtime of its own; xtask is synchronous everywhere else.
pub fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime starts")
        .block_on(future)
}
