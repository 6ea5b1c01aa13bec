//! The embedded S3-compatible store: what `expense-server all` uses instead of AWS S3, so the
//! receipt flow (presign, upload straight to the store, verify, download) is the same as in
//! production. `s3s` speaks the S3 protocol and verifies SigV4 signatures (presigned query
//! signatures included); `s3s-fs` keeps objects in a folder of the data directory.
//!
//! One flaw of `s3s-fs` 0.14.1 is fixed here: it writes a body over the object before comparing
//! its checksum, so a refused upload (400 BadDigest) would still replace the object. [`SafeFs`]
//! lets `s3s-fs` write and verify under a private staging key, and moves the object into place
//! only once it was accepted: a refused upload leaves the old object intact, or no object.
//!
//! The store's credentials are generated once into the data directory (mode 0600).

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use s3s::dto::{
    CreateBucketInput, CreateBucketOutput, DeleteObjectInput, DeleteObjectOutput, GetObjectInput,
    GetObjectOutput, HeadBucketInput, HeadBucketOutput, HeadObjectInput, HeadObjectOutput,
    ListObjectsV2Input, ListObjectsV2Output, PutObjectInput, PutObjectOutput,
};
use s3s::service::{S3Service, S3ServiceBuilder};
use s3s::{S3, S3Request, S3Response, S3Result, s3_error};
use serde::{Deserialize, Serialize};

/// Prefix of staging keys, inside the bucket; never a receipt key (those start with `users/`).
const STAGING: &str = ".staging/";

/// `s3s-fs` with uploads that only replace an object once accepted.
pub struct SafeFs {
    inner: s3s_fs::FileSystem,
    root: PathBuf,
}

impl SafeFs {
    pub fn new(root: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(root)?;
        let inner = s3s_fs::FileSystem::new(root).map_err(|e| std::io::Error::other(format!("{e:?}")))?;
        Ok(Self {
            inner,
            root: root.to_owned(),
        })
    }

    /// The files `s3s-fs` 0.14.1 keeps for an object: the object under `<root>/<bucket>/<key>`,
    /// and its metadata and internal info (checksums, ETag) beside the buckets.
    fn files(&self, bucket: &str, key: &str) -> [PathBuf; 3] {
        let encode = |s: &str| URL_SAFE_NO_PAD.encode(s);
        [
            self.root.join(bucket).join(key),
            self.root.join(format!(
                ".bucket-{}.object-{}.metadata.json",
                encode(bucket),
                encode(key)
            )),
            self.root.join(format!(
                ".bucket-{}.object-{}.internal.json",
                encode(bucket),
                encode(key)
            )),
        ]
    }

    async fn discard(&self, bucket: &str, key: &str) {
        for file in self.files(bucket, key) {
            let _ = tokio::fs::remove_file(file).await;
        }
    }
}

#[async_trait]
impl S3 for SafeFs {
    async fn create_bucket(
        &self,
        req: S3Request<CreateBucketInput>,
    ) -> S3Result<S3Response<CreateBucketOutput>> {
        self.inner.create_bucket(req).await
    }

    async fn head_bucket(&self, req: S3Request<HeadBucketInput>) -> S3Result<S3Response<HeadBucketOutput>> {
        self.inner.head_bucket(req).await
    }

    async fn list_objects_v2(
        &self,
        req: S3Request<ListObjectsV2Input>,
    ) -> S3Result<S3Response<ListObjectsV2Output>> {
        self.inner.list_objects_v2(req).await
    }

    async fn get_object(&self, req: S3Request<GetObjectInput>) -> S3Result<S3Response<GetObjectOutput>> {
        self.inner.get_object(req).await
    }

    async fn head_object(&self, req: S3Request<HeadObjectInput>) -> S3Result<S3Response<HeadObjectOutput>> {
        self.inner.head_object(req).await
    }

    async fn delete_object(
        &self,
        req: S3Request<DeleteObjectInput>,
    ) -> S3Result<S3Response<DeleteObjectOutput>> {
        self.inner.delete_object(req).await
    }

    async fn put_object(&self, mut req: S3Request<PutObjectInput>) -> S3Result<S3Response<PutObjectOutput>> {
        let bucket = req.input.bucket.clone();
        let key = req.input.key.clone();
        if key.starts_with(STAGING) {
            return Err(s3_error!(AccessDenied, "reserved key"));
        }
        let staging = format!("{STAGING}{}", uuid::Uuid::now_v7());
        req.input.key = staging.clone();
        let result = self.inner.put_object(req).await;
        if result.is_err() {
            // Refused (bad checksum, short body, …): the staged bytes go, the object stays.
            self.discard(&bucket, &staging).await;
            return result;
        }
        let [object, metadata, info] = self.files(&bucket, &key);
        let [staged_object, staged_metadata, staged_info] = self.files(&bucket, &staging);
        if let Some(parent) = object.parent() {
            tokio::fs::create_dir_all(parent)
                .await
                .map_err(|e| s3_error!(InternalError, "{e}"))?;
        }
        for (from, to) in [(staged_metadata, metadata), (staged_info, info)] {
            if from.exists() {
                tokio::fs::rename(&from, &to)
                    .await
                    .map_err(|e| s3_error!(InternalError, "{e}"))?;
            }
        }
        tokio::fs::rename(&staged_object, &object)
            .await
            .map_err(|e| s3_error!(InternalError, "{e}"))?;
        result
    }
}

/// The store's generated credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EmbeddedCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl EmbeddedCredentials {
    /// Reads `<dir>/s3-credentials.json`, generating it (0600) on first use.
    pub fn load_or_generate(dir: &Path) -> std::io::Result<Self> {
        let path = dir.join("s3-credentials.json");
        if let Ok(text) = std::fs::read_to_string(&path) {
            return serde_json::from_str(&text).map_err(std::io::Error::other);
        }
        let random = |bytes: usize| {
            let mut buffer = vec![0u8; bytes];
            aws_lc_rs::rand::fill(&mut buffer).expect("the system random source works");
            buffer
        };
        let credentials = Self {
            access_key_id: format!(
                "EXP{}",
                URL_SAFE_NO_PAD
                    .encode(random(12))
                    .to_uppercase()
                    .replace(['-', '_'], "X")
            ),
            secret_access_key: URL_SAFE_NO_PAD.encode(random(30)),
        };
        std::fs::create_dir_all(dir)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        use std::io::Write;
        let mut file = options.open(&path)?;
        file.write_all(
            serde_json::to_string(&credentials)
                .map_err(std::io::Error::other)?
                .as_bytes(),
        )?;
        Ok(credentials)
    }
}

/// The S3 protocol service over `<data dir>/objects`.
pub fn service(
    objects: &Path,
    bucket: &str,
    credentials: &EmbeddedCredentials,
) -> std::io::Result<S3Service> {
    let fs = SafeFs::new(objects)?;
    // The store holds one bucket, made here on the file system: nothing needs to call the store
    // at start (which would build an S3 client that an idle role does not need).
    if !s3s::path::check_bucket_name(bucket) {
        return Err(std::io::Error::other(format!(
            "S3_BUCKET {bucket:?} is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)"
        )));
    }
    std::fs::create_dir_all(objects.join(bucket))?;
    let mut builder = S3ServiceBuilder::new(fs);
    builder.set_auth(s3s::auth::SimpleAuth::from_single(
        credentials.access_key_id.clone(),
        credentials.secret_access_key.clone(),
    ));
    Ok(builder.build())
}

/// Routes serving the bucket at `/{bucket}`, `/{bucket}/` (how the AWS SDK addresses bucket
/// operations) and `/{bucket}/{key…}`, with paths left intact (the path is part of the signature). They bypass the API's middleware: S3 clients expect S3's XML
/// errors, not problem+json.
pub fn routes(bucket: &str, service: S3Service) -> axum::Router {
    axum::Router::new()
        .route(&format!("/{bucket}"), any(serve))
        .route(&format!("/{bucket}/"), any(serve))
        .route(&format!("/{bucket}/{{*key}}"), any(serve))
        .with_state(service)
}

async fn serve(State(service): State<S3Service>, request: Request) -> Response {
    let request = request.map(s3s::Body::http_body_unsync);
    match service.call(request).await {
        Ok(response) => response.map(Body::new),
        Err(error) => {
            tracing::error!(?error, "the embedded S3 store failed");
            (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_exists_once_the_store_is_built_and_a_bad_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = EmbeddedCredentials::load_or_generate(dir.path()).unwrap();
        let objects = dir.path().join("objects");
        service(&objects, "expense-receipts", &credentials).unwrap();
        assert!(objects.join("expense-receipts").is_dir());
        // Built again over the same folder (a restart): the bucket and its objects stay.
        std::fs::write(objects.join("expense-receipts").join("kept"), b"x").unwrap();
        service(&objects, "expense-receipts", &credentials).unwrap();
        assert!(objects.join("expense-receipts").join("kept").is_file());

        for bad in ["../escape", "Upper", "a", "has space"] {
            let Err(error) = service(&objects, bad, &credentials) else {
                panic!("{bad}: accepted");
            };
            assert!(error.to_string().contains("S3_BUCKET"), "{bad}: {error}");
            assert!(!objects.join(bad).exists(), "{bad}");
        }
    }
}
