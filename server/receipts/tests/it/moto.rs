//! The same flow with real `aws-sdk-s3` calls against a local AWS API (moto): what runs against
//! AWS S3 in production. moto checks no signatures, so this proves the call paths, not the
//! refusals (those are proved against the embedded store).

use expense_api::receipts::{Receipt, ReceiptDetails, ReceiptStatus};
use expense_receipts::ReceiptsConfig;
use reqwest::{Method, StatusCode};

use crate::helpers::{Backend, Objects, TestApp, put, sha256_hex};

#[tokio::test]
async fn the_receipt_flow_runs_against_moto() {
    let moto = expense_testkit::moto::MotoServer::start().expect("moto starts");
    let config = ReceiptsConfig {
        s3_bucket: "expense-receipts-moto".into(),
        ..ReceiptsConfig::default()
    };
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        Objects::Moto {
            endpoint: moto.endpoint(),
        },
        config,
    )
    .await;
    let ada = app.user("ada").await;
    let expense = app.expense(&ada).await;
    let content = b"\x89PNG a receipt photo".to_vec();
    let response = app.start_upload(&ada, &expense, "image/png", &content).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: expense_api::receipts::CreatedReceipt = response.json().await.unwrap();
    assert!(
        created.upload.url.starts_with(&moto.endpoint()),
        "presigned for the configured endpoint"
    );

    assert_eq!(
        put(&created.upload.url, &created.upload.headers, content.clone())
            .await
            .status(),
        StatusCode::OK
    );
    let path = format!("/v1/receipts/{}", created.receipt.id);
    let completed: Receipt = app
        .request(&ada, Method::POST, &format!("{path}/complete"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(completed.status, ReceiptStatus::Uploaded);
    let details: ReceiptDetails = app
        .request(&ada, Method::GET, &path)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bytes = reqwest::get(details.download.unwrap().url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(sha256_hex(&bytes), sha256_hex(&content));
    assert_eq!(
        app.request(&ada, Method::DELETE, &path)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    let key = created
        .upload
        .url
        .split("/expense-receipts-moto/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        app.service.objects().head(&key).await.unwrap().is_none(),
        "deleted from S3"
    );
}
