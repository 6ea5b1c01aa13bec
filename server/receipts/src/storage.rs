//! Receipt objects in S3, through `aws-sdk-s3`: the same code path on AWS, on the embedded
//! S3-compatible store and against moto; only the endpoint and credentials differ.
//!
//! Uploads and downloads never pass through the service: it presigns a `PUT` whose signature
//! binds the content type, the length and the SHA-256 checksum (so the store refuses any other
//! body), and a `GET`, both valid five minutes from the time the service's clock gives (the
//! signature's date). S3 judges that date by its own clock, so a service whose clock is steered
//! far from the real time (a test) gets URLs that S3 calls expired, as it should.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_s3::Client;
use aws_sdk_s3::config::{Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation};
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::types::{ChecksumMode, ServerSideEncryption};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;
use tokio::sync::OnceCell;

/// How long presigned URLs work.
pub const URL_LIFETIME: Duration = Duration::from_secs(300);

/// Where and how objects are stored.
#[derive(Debug, Clone)]
pub struct StoreSettings {
    pub bucket: String,
    pub region: String,
    /// `None` for AWS itself.
    pub endpoint: Option<String>,
    /// `None` for the default AWS credential chain (IRSA on EKS); keys only for the embedded
    /// store and tests.
    pub credentials: Option<(String, String)>,
    /// SSE-KMS key for new objects (AWS); `None` for the bucket default.
    pub kms_key_id: Option<String>,
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[error("object storage: {0}")]
pub struct StorageError(pub String);

fn storage_error(error: impl ProvideErrorMetadata + std::error::Error) -> StorageError {
    StorageError(format!(
        "{} ({})",
        DisplayErrorContext(&error),
        error.code().unwrap_or("no code")
    ))
}

/// What S3 reports of a stored object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub size: u64,
    /// Base64 SHA-256, when the store reports it.
    pub sha256: Option<String>,
}

/// A presigned request.
#[derive(Debug, Clone)]
pub struct Presigned {
    pub url: String,
    pub headers: BTreeMap<String, String>,
    pub expires_at: OffsetDateTime,
}

/// The receipts bucket.
///
/// The SDK client is built on first use, not at start: a receipts role that has served no receipt
/// yet has not paid for the SDK's configuration, credential chain and HTTP client (about 1.5 MiB
/// of resident memory, see docs/benchmarks.md).
#[derive(Clone)]
pub struct ObjectStore {
    client: Arc<OnceCell<Client>>,
    settings: Arc<StoreSettings>,
}

impl ObjectStore {
    pub fn new(settings: StoreSettings) -> Self {
        Self {
            client: Arc::new(OnceCell::new()),
            settings: Arc::new(settings),
        }
    }

    /// The SDK client, built by the first caller.
    async fn client(&self) -> &Client {
        self.client.get_or_init(|| build_client(&self.settings)).await
    }

    pub fn bucket(&self) -> &str {
        &self.settings.bucket
    }

    /// Creates the bucket if it does not exist (the embedded store and tests; on AWS Terraform
    /// makes it).
    pub async fn ensure_bucket(&self) -> Result<(), StorageError> {
        if self
            .client()
            .await
            .head_bucket()
            .bucket(&self.settings.bucket)
            .send()
            .await
            .is_ok()
        {
            return Ok(());
        }
        match self
            .client()
            .await
            .create_bucket()
            .bucket(&self.settings.bucket)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error)
                if matches!(
                    error.code(),
                    Some("BucketAlreadyOwnedByYou" | "BucketAlreadyExists")
                ) =>
            {
                Ok(())
            }
            Err(error) => Err(storage_error(error.into_service_error())),
        }
    }

    /// A `PUT` for exactly this content type, length and SHA-256 (hex), signed at `now`.
    pub async fn presign_put(
        &self,
        key: &str,
        content_type: &str,
        size: u64,
        sha256_hex: &str,
        now: OffsetDateTime,
    ) -> Result<Presigned, StorageError> {
        let checksum = hex_to_base64(sha256_hex).ok_or_else(|| StorageError("bad checksum".into()))?;
        let mut request = self
            .client()
            .await
            .put_object()
            .bucket(&self.settings.bucket)
            .key(key)
            .content_type(content_type)
            .content_length(i64::try_from(size).unwrap_or(i64::MAX))
            .checksum_sha256(checksum);
        if let Some(kms_key) = &self.settings.kms_key_id {
            request = request
                .server_side_encryption(ServerSideEncryption::AwsKms)
                .ssekms_key_id(kms_key);
        }
        let presigned = request
            .presigned(presigning(now)?)
            .await
            .map_err(|e| StorageError(e.to_string()))?;
        Ok(Presigned {
            url: presigned.uri().to_owned(),
            headers: presigned
                .headers()
                .map(|(k, v)| (k.to_lowercase(), v.to_owned()))
                .collect(),
            expires_at: now + URL_LIFETIME,
        })
    }

    /// A `GET` of the object, signed at `now`.
    pub async fn presign_get(&self, key: &str, now: OffsetDateTime) -> Result<Presigned, StorageError> {
        let presigned = self
            .client()
            .await
            .get_object()
            .bucket(&self.settings.bucket)
            .key(key)
            .presigned(presigning(now)?)
            .await
            .map_err(|e| StorageError(e.to_string()))?;
        Ok(Presigned {
            url: presigned.uri().to_owned(),
            headers: presigned
                .headers()
                .map(|(k, v)| (k.to_lowercase(), v.to_owned()))
                .collect(),
            expires_at: now + URL_LIFETIME,
        })
    }

    /// The object's size and checksum; `None` when there is no such object.
    pub async fn head(&self, key: &str) -> Result<Option<StoredObject>, StorageError> {
        let result = self
            .client()
            .await
            .head_object()
            .bucket(&self.settings.bucket)
            .key(key)
            .checksum_mode(ChecksumMode::Enabled)
            .send()
            .await;
        match result {
            Ok(head) => Ok(Some(StoredObject {
                size: u64::try_from(head.content_length().unwrap_or(0)).unwrap_or(0),
                sha256: head
                    .checksum_sha256()
                    .map(|c| c.split('-').next().unwrap_or(c).to_owned()),
            })),
            Err(error) => {
                let service = error.into_service_error();
                if service.is_not_found() {
                    Ok(None)
                } else {
                    Err(storage_error(service))
                }
            }
        }
    }

    /// The SHA-256 (base64) of the object's bytes, computed by reading it; for stores that do
    /// not report checksums on `HEAD`.
    pub async fn hash_content(&self, key: &str) -> Result<String, StorageError> {
        let object = self
            .client()
            .await
            .get_object()
            .bucket(&self.settings.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| storage_error(e.into_service_error()))?;
        let mut body = object.body;
        let mut context = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
        while let Some(chunk) = body.try_next().await.map_err(|e| StorageError(e.to_string()))? {
            context.update(&chunk);
        }
        Ok(STANDARD.encode(context.finish()))
    }

    /// Deletes the object; deleting a missing object is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.client()
            .await
            .delete_object()
            .bucket(&self.settings.bucket)
            .key(key)
            .send()
            .await
            .map(drop)
            .map_err(|e| storage_error(e.into_service_error()))
    }
}

impl ObjectStore {
    /// Deletes every object whose key starts with `prefix`, a listed page at a time; answers how
    /// many. One `DeleteObject` per key: the batch call needs a `Content-MD5` that not every
    /// S3-compatible store takes, and an account holds few receipts.
    pub async fn delete_under(&self, prefix: &str) -> Result<usize, StorageError> {
        let mut deleted = 0;
        loop {
            let listed = self
                .client()
                .await
                .list_objects_v2()
                .bucket(&self.settings.bucket)
                .prefix(prefix)
                .send()
                .await
                .map_err(|e| storage_error(e.into_service_error()))?;
            let keys: Vec<String> = listed
                .contents()
                .iter()
                .filter_map(|object| object.key().map(str::to_owned))
                .collect();
            if keys.is_empty() {
                return Ok(deleted);
            }
            for key in &keys {
                self.delete(key).await?;
            }
            deleted += keys.len();
        }
    }
}

/// Presigned URLs dated `now`, valid for [`URL_LIFETIME`].
fn presigning(now: OffsetDateTime) -> Result<PresigningConfig, StorageError> {
    PresigningConfig::builder()
        .start_time(now.into())
        .expires_in(URL_LIFETIME)
        .build()
        .map_err(|e| StorageError(e.to_string()))
}

/// The SDK client for `settings`: the default chain's credentials and region unless given.
async fn build_client(settings: &StoreSettings) -> Client {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(Region::new(settings.region.clone()));
    if let Some((key, secret)) = &settings.credentials {
        loader = loader.credentials_provider(Credentials::new(key, secret, None, None, "expense-static"));
    }
    let shared = loader.load().await;
    let mut config = aws_sdk_s3::config::Builder::from(&shared)
        // Checksums only where we ask for them: the presigned PUT carries exactly ours.
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
    if let Some(endpoint) = &settings.endpoint {
        config = config.endpoint_url(endpoint).force_path_style(true);
    }
    Client::from_conf(config.build())
}

/// `"ab…"` (64 hex digits) → base64 of the 32 bytes, as S3 wants checksums.
pub fn hex_to_base64(hex: &str) -> Option<String> {
    if hex.len() != 64 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..32)
        .map(|i| u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok())
        .collect();
    bytes.map(|b| STANDARD.encode(b))
}

#[cfg(test)]
mod tests {
    #[test]
    fn checksums_convert_from_hex() {
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            super::hex_to_base64(empty).as_deref(),
            Some("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        );
        assert_eq!(super::hex_to_base64("zz"), None);
    }
}
