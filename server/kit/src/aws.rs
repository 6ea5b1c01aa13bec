//! The one place AWS SDK configuration is built: region, credentials (the default chain, which
//! is IRSA on EKS; static keys only for local stores and tests) and, for a local AWS API such as
//! moto, an endpoint.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sqs::config::Credentials;

use crate::config::AwsConfig;

/// Shared SDK configuration for the AWS clients of a process.
pub async fn sdk_config(config: &AwsConfig, static_credentials: Option<(&str, &str)>) -> SdkConfig {
    let mut loader =
        aws_config::defaults(BehaviorVersion::latest()).region(Region::new(config.aws_region.clone()));
    if let Some(endpoint) = &config.aws_endpoint_url {
        loader = loader.endpoint_url(endpoint.as_str().trim_end_matches('/'));
    }
    if let Some((key, secret)) = static_credentials {
        loader = loader.credentials_provider(Credentials::new(key, secret, None, None, "expense-static"));
    }
    loader.load().await
}
