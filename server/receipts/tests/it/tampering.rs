//! The embedded store refuses every upload that does not match its presigned URL exactly, and a
//! refused upload never changes the stored object (or leaves one behind). Uploads are presigned
//! here with the store's own credentials, as the service would, to try each kind of tampering on
//! a key that already holds a receipt.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use aws_sdk_s3::config::{Credentials, Region};
use aws_sdk_s3::presigning::PresigningConfig;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp, put};

const ORIGINAL: &[u8] = b"%PDF original receipt, 40 bytes long....";

async fn client(app: &TestApp, secret: Option<&str>) -> aws_sdk_s3::Client {
    let (key, real_secret) = app.embedded_credentials();
    let credentials = Credentials::new(key, secret.unwrap_or(&real_secret), None, None, "test");
    let config = aws_sdk_s3::config::Builder::new()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials)
        .endpoint_url(&app.base)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

struct Upload {
    url: String,
    headers: BTreeMap<String, String>,
}

async fn presign(
    client: &aws_sdk_s3::Client,
    key: &str,
    content_type: &str,
    content: &[u8],
    config: PresigningConfig,
) -> Upload {
    let checksum = STANDARD.encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, content));
    let presigned = client
        .put_object()
        .bucket("expense-receipts")
        .key(key)
        .content_type(content_type)
        .content_length(content.len() as i64)
        .checksum_sha256(checksum)
        .presigned(config)
        .await
        .unwrap();
    Upload {
        url: presigned.uri().to_owned(),
        headers: presigned
            .headers()
            .map(|(k, v)| (k.to_lowercase(), v.to_owned()))
            .collect(),
    }
}

fn five_minutes() -> PresigningConfig {
    PresigningConfig::expires_in(Duration::from_secs(300)).unwrap()
}

async fn stored(client: &aws_sdk_s3::Client, key: &str) -> Option<Vec<u8>> {
    let object = client
        .get_object()
        .bucket("expense-receipts")
        .key(key)
        .send()
        .await
        .ok()?;
    Some(object.body.collect().await.unwrap().into_bytes().to_vec())
}

#[tokio::test]
async fn tampered_uploads_are_refused_and_leave_the_object_intact() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ada = app.user("ada").await;
    let expense = app.expense(&ada).await;
    let created = app.created(&ada, &expense, ORIGINAL).await;
    assert_eq!(
        put(&created.upload.url, &created.upload.headers, ORIGINAL.to_vec())
            .await
            .status(),
        StatusCode::OK
    );
    let key = created
        .upload
        .url
        .split("/expense-receipts/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let s3 = client(&app, None).await;
    assert_eq!(stored(&s3, &key).await.as_deref(), Some(ORIGINAL));

    let replacement: Vec<u8> = b"%PDF forged receipt,   40 bytes long....".to_vec();
    assert_eq!(replacement.len(), ORIGINAL.len());
    let mut cases: Vec<(&str, StatusCode, reqwest::Response)> = Vec::new();

    // A tampered signature.
    let upload = presign(&s3, &key, "application/pdf", &replacement, five_minutes()).await;
    let tampered = {
        let (head, signature) = upload.url.rsplit_once("X-Amz-Signature=").unwrap();
        let flipped = if signature.starts_with('0') { "1" } else { "0" };
        format!("{head}X-Amz-Signature={flipped}{}", &signature[1..])
    };
    cases.push((
        "tampered signature",
        StatusCode::FORBIDDEN,
        put(&tampered, &upload.headers, replacement.clone()).await,
    ));

    // The URL used for another key.
    let elsewhere = upload.url.replacen(&key, &format!("{key}-other"), 1);
    cases.push((
        "another key",
        StatusCode::FORBIDDEN,
        put(&elsewhere, &upload.headers, replacement.clone()).await,
    ));

    // An expired URL.
    let expired_config = PresigningConfig::builder()
        .start_time(SystemTime::now() - Duration::from_secs(3600))
        .expires_in(Duration::from_secs(60))
        .build()
        .unwrap();
    let expired = presign(&s3, &key, "application/pdf", &replacement, expired_config).await;
    cases.push((
        "expired URL",
        StatusCode::FORBIDDEN,
        put(&expired.url, &expired.headers, replacement.clone()).await,
    ));

    // Another content type than the one signed.
    let mut png = upload.headers.clone();
    png.insert("content-type".into(), "image/png".into());
    cases.push((
        "other content type",
        StatusCode::FORBIDDEN,
        put(&upload.url, &png, replacement.clone()).await,
    ));

    // Another length than the one signed.
    let shorter = replacement[..replacement.len() - 1].to_vec();
    cases.push((
        "other length",
        StatusCode::FORBIDDEN,
        put(&upload.url, &upload.headers, shorter).await,
    ));

    // The same length, other bytes: the checksum does not match.
    let mut other_bytes = replacement.clone();
    other_bytes[5] ^= 0x20;
    cases.push((
        "other body (checksum mismatch)",
        StatusCode::BAD_REQUEST,
        put(&upload.url, &upload.headers, other_bytes.clone()).await,
    ));

    // A URL signed with a wrong secret.
    let forged_client = client(&app, Some("not-the-secret")).await;
    let forged = presign(
        &forged_client,
        &key,
        "application/pdf",
        &replacement,
        five_minutes(),
    )
    .await;
    cases.push((
        "wrong secret",
        StatusCode::FORBIDDEN,
        put(&forged.url, &forged.headers, replacement.clone()).await,
    ));

    // Anonymous: no signature at all.
    let anonymous = reqwest::Client::new()
        .put(upload.url.split('?').next().unwrap())
        .header("content-type", "application/pdf")
        .body(replacement.clone())
        .send()
        .await
        .unwrap();
    cases.push(("anonymous", StatusCode::FORBIDDEN, anonymous));

    for (name, status, response) in cases {
        let code = response.status();
        let body = response.text().await.unwrap();
        assert_eq!(code, status, "{name}: {body}");
        assert_eq!(
            stored(&s3, &key).await.as_deref(),
            Some(ORIGINAL),
            "{name} changed the stored object"
        );
    }
    assert_eq!(stored(&s3, &format!("{key}-other")).await, None);

    // A refused upload to a new key leaves no object behind.
    let fresh = format!("{key}-fresh");
    let upload = presign(&s3, &fresh, "application/pdf", &replacement, five_minutes()).await;
    let refused = put(&upload.url, &upload.headers, other_bytes).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        stored(&s3, &fresh).await,
        None,
        "no object after a refused upload"
    );
    // And the honest upload of the same URL works.
    assert_eq!(
        put(&upload.url, &upload.headers, replacement.clone())
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(stored(&s3, &fresh).await.as_deref(), Some(replacement.as_slice()));
}
