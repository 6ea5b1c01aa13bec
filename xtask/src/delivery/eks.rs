//! Access to an EKS cluster's Kubernetes API without kubectl, kubeconfig or the AWS CLI: the API
//! endpoint and the cluster CA from `aws-sdk-eks` DescribeCluster, and a bearer token made exactly
//! as `aws eks get-token` makes it.
//!
//! The token is `k8s-aws-v1.` followed by the base64url (unpadded) encoding of a presigned STS
//! `GetCallerIdentity` URL: SigV4 query signing, 60 s expiry, with the header `x-k8s-aws-id:
//! <cluster>` among the signed headers, so a token for one cluster is refused by another. The EKS
//! authenticator calls that URL to learn who we are; no call to STS is made here. The SDKs have no
//! presigner for that operation (awslabs/aws-sdk-rust#980: get-token is a CLI customisation), so
//! the URL is signed with `aws-sigv4`, with credentials from the default chain (or moto's test
//! credentials). The EKS authenticator accepts a token for 15 minutes; [`TokenSource`] makes a new
//! one after 10, as kubectl's exec plugin does when the CLI's expiry (14 minutes) nears.
//!
//! Nothing here talks to the Kubernetes API: that is `kube`.

use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, bail};
use aws_config::SdkConfig;
use aws_sdk_sts::config::{Credentials, ProvideCredentials, SharedCredentialsProvider};
use aws_sigv4::http_request::{SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign};
use aws_sigv4::sign::v4::SigningParams;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use tokio::sync::Mutex;

use crate::infra::aws::aws_error;

/// What every EKS bearer token starts with.
pub const TOKEN_PREFIX: &str = "k8s-aws-v1.";

/// The signed header that binds a token to one cluster.
pub const CLUSTER_ID_HEADER: &str = "x-k8s-aws-id";

/// The presigned URL's `X-Amz-Expires`, as `aws eks get-token` sets it.
pub const PRESIGN_EXPIRY: Duration = Duration::from_secs(60);

/// How long a token is used before a new one is made (EKS accepts one for 15 minutes).
const TOKEN_REUSE: Duration = Duration::from_secs(10 * 60);

/// A cluster as DescribeCluster reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub name: String,
    /// The Kubernetes API's URL, `https://<id>.<zone>.<region>.eks.amazonaws.com`.
    pub endpoint: String,
    /// `certificateAuthority.data`: the base64 of the cluster CA's PEM.
    pub certificate_authority_data: String,
}

impl Cluster {
    /// The cluster CA as PEM, the only root the deploy's HTTPS client trusts.
    pub fn ca_pem(&self) -> anyhow::Result<Vec<u8>> {
        let pem = STANDARD
            .decode(self.certificate_authority_data.trim())
            .with_context(|| format!("the CA data of cluster {} is not base64", self.name))?;
        if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
            bail!(
                "the CA data of cluster {} is not a PEM certificate (moto answers random bytes: a deploy \
                 needs a real cluster)",
                self.name
            );
        }
        Ok(pem)
    }
}

/// DescribeCluster of `name`: endpoint and CA, failing clearly when the cluster is missing or not
/// active yet.
pub async fn describe_cluster(eks: &aws_sdk_eks::Client, name: &str) -> anyhow::Result<Cluster> {
    let described = match eks.describe_cluster().name(name).send().await {
        Ok(described) => described,
        Err(error) => {
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception())
            {
                bail!(
                    "EKS cluster {name} does not exist in this account and region: \
                     run `cargo xtask provision` for the environment first"
                );
            }
            return Err(aws_error(error)).context(format!("EKS DescribeCluster {name} failed"));
        }
    };
    let cluster = described
        .cluster()
        .with_context(|| format!("DescribeCluster {name} returned no cluster"))?;
    if let Some(status) = cluster.status()
        && status.as_str() != "ACTIVE"
    {
        bail!(
            "EKS cluster {name} is {}, not ACTIVE: wait for it",
            status.as_str()
        );
    }
    let endpoint = cluster
        .endpoint()
        .filter(|endpoint| !endpoint.is_empty())
        .with_context(|| format!("cluster {name} has no API endpoint yet"))?;
    let certificate_authority_data = cluster
        .certificate_authority()
        .and_then(|ca| ca.data())
        .with_context(|| format!("cluster {name} has no certificate authority data"))?;
    Ok(Cluster {
        name: name.to_owned(),
        endpoint: endpoint.trim_end_matches('/').to_owned(),
        certificate_authority_data: certificate_authority_data.to_owned(),
    })
}

/// The STS host EKS tokens are presigned for: the regional endpoint, as `aws eks get-token` uses.
pub fn sts_host(region: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("sts.{region}.{suffix}")
}

/// The presigned STS GetCallerIdentity URL for `cluster`, signed with `credentials` at `time`.
pub fn presigned_get_caller_identity(
    credentials: Credentials,
    region: &str,
    cluster: &str,
    time: SystemTime,
) -> anyhow::Result<String> {
    let url = format!(
        "https://{}/?Action=GetCallerIdentity&Version=2011-06-15",
        sts_host(region)
    );
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(PRESIGN_EXPIRY);
    let identity = credentials.into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("sts")
        .time(time)
        .settings(settings)
        .build()
        .context("cannot build the SigV4 signing parameters")?
        .into();
    let signable = SignableRequest::new(
        "GET",
        url.as_str(),
        [(CLUSTER_ID_HEADER, cluster)].into_iter(),
        SignableBody::Bytes(&[]),
    )
    .context("cannot prepare the STS request for signing")?;
    let (instructions, _signature) = sign(signable, &params)
        .context("cannot sign the STS request")?
        .into_parts();
    let mut request = hyper::Request::builder()
        .method("GET")
        .uri(&url)
        .body(())
        .context("the STS URL is valid")?;
    instructions.apply_to_request_http1x(&mut request);
    Ok(request.uri().to_string())
}

/// The bearer token for `cluster`: [`TOKEN_PREFIX`] + base64url(presigned URL), unpadded.
pub fn token(
    credentials: Credentials,
    region: &str,
    cluster: &str,
    time: SystemTime,
) -> anyhow::Result<String> {
    let url = presigned_get_caller_identity(credentials, region, cluster, time)?;
    Ok(format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(url)))
}

/// Bearer tokens for one cluster, made from the default credential chain and reused for
/// [`TOKEN_REUSE`].
#[derive(Debug)]
pub struct TokenSource {
    credentials: SharedCredentialsProvider,
    region: String,
    cluster: String,
    current: Mutex<Option<(String, Instant)>>,
}

impl TokenSource {
    /// Tokens for `cluster` in `region`, signed with the credentials of `config`.
    pub fn new(config: &SdkConfig, region: &str, cluster: &str) -> anyhow::Result<Self> {
        let credentials = config
            .credentials_provider()
            .context("no AWS credentials provider: configure AWS credentials")?;
        Ok(Self {
            credentials,
            region: region.to_owned(),
            cluster: cluster.to_owned(),
            current: Mutex::new(None),
        })
    }

    /// A token that EKS accepts for at least a few more minutes.
    pub async fn token(&self) -> anyhow::Result<String> {
        let mut current = self.current.lock().await;
        if let Some((token, made)) = current.as_ref()
            && made.elapsed() < TOKEN_REUSE
        {
            return Ok(token.clone());
        }
        let credentials = self
            .credentials
            .provide_credentials()
            .await
            .map_err(aws_error)
            .context("cannot load AWS credentials for the EKS token")?;
        let token = token(credentials, &self.region, &self.cluster, SystemTime::now())?;
        *current = Some((token.clone(), Instant::now()));
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::process::Command;

    use aws_sdk_eks::types::VpcConfigRequest;
    use expense_testkit::moto::MotoServer;

    use super::*;
    use crate::infra::aws::AwsTarget;

    /// Decodes a token back to its URL's host and query parameters.
    fn decode(token: &str) -> (String, BTreeMap<String, String>) {
        let encoded = token
            .strip_prefix(TOKEN_PREFIX)
            .expect("the token has the EKS prefix");
        assert!(!encoded.contains('='), "the token is unpadded: {encoded}");
        let url = String::from_utf8(URL_SAFE_NO_PAD.decode(encoded).expect("base64url")).unwrap();
        let url = reqwest::Url::parse(&url).expect("the token holds a URL");
        assert_eq!(url.scheme(), "https");
        assert_eq!(url.path(), "/");
        let params = url.query_pairs().into_owned().collect();
        (url.host_str().unwrap().to_owned(), params)
    }

    fn credentials(session_token: Option<&str>) -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            session_token.map(str::to_owned),
            None,
            "test",
        )
    }

    #[test]
    fn the_token_is_a_presigned_get_caller_identity_url_bound_to_the_cluster() {
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        let token = token(
            credentials(Some("session/token+x=")),
            "eu-west-1",
            "expense-dev",
            time,
        )
        .unwrap();
        let (host, params) = decode(&token);
        assert_eq!(host, "sts.eu-west-1.amazonaws.com");
        assert_eq!(params["Action"], "GetCallerIdentity");
        assert_eq!(params["Version"], "2011-06-15");
        assert_eq!(params["X-Amz-Algorithm"], "AWS4-HMAC-SHA256");
        assert_eq!(params["X-Amz-Expires"], "60");
        assert_eq!(params["X-Amz-SignedHeaders"], "host;x-k8s-aws-id");
        assert_eq!(params["X-Amz-Date"], "20261118T110640Z");
        assert_eq!(
            params["X-Amz-Credential"],
            "AKIDEXAMPLE/20261118/eu-west-1/sts/aws4_request"
        );
        assert_eq!(params["X-Amz-Security-Token"], "session/token+x=");
        let signature = &params["X-Amz-Signature"];
        assert_eq!(signature.len(), 64);
        assert!(signature.bytes().all(|b| b.is_ascii_hexdigit()), "{signature}");

        let other_cluster = super::token(
            credentials(Some("session/token+x=")),
            "eu-west-1",
            "expense-prod",
            time,
        );
        let (_, other) = decode(&other_cluster.unwrap());
        assert_ne!(
            other["X-Amz-Signature"], params["X-Amz-Signature"],
            "the cluster name is signed"
        );
    }

    /// The reference implementation: botocore presigning as `aws eks get-token` does it
    /// (awscli/customizations/eks/get_token.py), at the X-Amz-Date it chose.
    const BOTOCORE_GET_TOKEN: &str = r#"
import botocore.session
session = botocore.session.get_session()
client = session.create_client("sts", region_name="eu-west-1",
    aws_access_key_id="AKIDEXAMPLE",
    aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
def retrieve(params, context, **kwargs):
    if "x-k8s-aws-id" in params:
        context["x-k8s-aws-id"] = params.pop("x-k8s-aws-id")
def inject(request, **kwargs):
    if "x-k8s-aws-id" in request.context:
        request.headers["x-k8s-aws-id"] = request.context["x-k8s-aws-id"]
client.meta.events.register("provide-client-params.sts.GetCallerIdentity", retrieve)
client.meta.events.register("before-sign.sts.GetCallerIdentity", inject)
print(client.generate_presigned_url("get_caller_identity",
    Params={"x-k8s-aws-id": "expense-dev"}, ExpiresIn=60, HttpMethod="GET"))
"#;

    #[test]
    fn the_signature_is_the_one_botocore_makes_for_aws_eks_get_token() {
        let python = expense_testkit::moto::test_python();
        let output = Command::new(&python)
            .args(["-c", BOTOCORE_GET_TOKEN])
            .env("AWS_STS_REGIONAL_ENDPOINTS", "regional")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .output()
            .expect("python with botocore runs (it comes with moto)");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let reference_url = String::from_utf8(output.stdout).unwrap();
        let (reference_host, reference) = decode(&format!(
            "{TOKEN_PREFIX}{}",
            URL_SAFE_NO_PAD.encode(reference_url.trim())
        ));
        let date = time::PrimitiveDateTime::parse(
            &reference["X-Amz-Date"],
            time::macros::format_description!("[year][month][day]T[hour][minute][second]Z"),
        )
        .unwrap()
        .assume_utc();
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(date.unix_timestamp() as u64);

        let ours = token(credentials(None), "eu-west-1", "expense-dev", at).unwrap();
        let (host, params) = decode(&ours);
        assert_eq!(host, reference_host);
        assert_eq!(params, reference, "same parameters and signature as botocore");
    }

    #[tokio::test]
    async fn describe_cluster_reads_the_endpoint_and_ca_that_moto_reports() {
        let moto = MotoServer::start().expect("moto starts (run the suite with `cargo xtask test`)");
        let target = AwsTarget {
            region: "eu-west-1".to_owned(),
            endpoint_url: Some(moto.endpoint()),
        };
        let eks = aws_sdk_eks::Client::new(&target.sdk_config().await);
        let created = eks
            .create_cluster()
            .name("expense-dev")
            .role_arn("arn:aws:iam::123456789012:role/expense-dev-cluster")
            .resources_vpc_config(
                VpcConfigRequest::builder()
                    .subnet_ids("subnet-0a")
                    .subnet_ids("subnet-0b")
                    .build(),
            )
            .send()
            .await
            .map_err(aws_error)
            .unwrap();
        let created = created.cluster().unwrap();

        let cluster = describe_cluster(&eks, "expense-dev").await.unwrap();
        assert_eq!(cluster.name, "expense-dev");
        assert_eq!(
            cluster.endpoint,
            created.endpoint().unwrap().trim_end_matches('/')
        );
        assert!(cluster.endpoint.starts_with("https://"), "{}", cluster.endpoint);
        assert_eq!(
            cluster.certificate_authority_data,
            created.certificate_authority().unwrap().data().unwrap()
        );
        // moto's CA is random bytes, never a certificate: the client refuses to trust it.
        let refused = cluster.ca_pem().unwrap_err().to_string();
        assert!(refused.contains("expense-dev"), "{refused}");

        let missing = describe_cluster(&eks, "expense-nope")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            missing.contains("expense-nope") && missing.contains("cargo xtask provision"),
            "{missing}"
        );

        // The token comes from the same credential chain the SDK uses (moto's test keys here).
        let tokens = TokenSource::new(&target.sdk_config().await, "eu-west-1", "expense-dev").unwrap();
        let first = tokens.token().await.unwrap();
        let (_, params) = decode(&first);
        assert!(params["X-Amz-Credential"].starts_with("testing/"), "{params:?}");
        assert_eq!(tokens.token().await.unwrap(), first, "a fresh token is reused");
    }

    #[test]
    fn a_pem_ca_is_decoded_from_its_base64() {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let cluster = Cluster {
            name: "c".to_owned(),
            endpoint: "https://example.invalid".to_owned(),
            certificate_authority_data: STANDARD.encode(pem),
        };
        assert_eq!(cluster.ca_pem().unwrap(), pem.as_bytes());
    }
}
