//! The whole flow through the embedded S3-compatible store, on both metadata backends.

use expense_api::receipts::{Receipt, ReceiptDetails, ReceiptList, ReceiptStatus};
use reqwest::{Method, StatusCode};

use crate::helpers::{BACKENDS, Backend, TestApp, put, sha256_hex};

#[tokio::test]
async fn upload_complete_download_delete() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let expense = app.expense(&ada).await;
        let content = b"%PDF-1.7 a receipt for groceries".to_vec();
        let created = app.created(&ada, &expense, &content).await;
        assert_eq!(created.receipt.status, ReceiptStatus::Pending);
        assert_eq!(created.upload.method, "PUT");
        let signed = created
            .upload
            .url
            .split("X-Amz-SignedHeaders=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        assert_eq!(
            signed, "content-length%3Bcontent-type%3Bhost%3Bx-amz-checksum-sha256",
            "type, length and checksum are bound"
        );
        let path = format!("/v1/receipts/{}", created.receipt.id);
        assert!(created.upload.url.contains("/users/"), "a server-made key");

        // Completing before uploading is refused.
        let early = app
            .request(&ada, Method::POST, &format!("{path}/complete"))
            .send()
            .await
            .unwrap();
        assert_eq!(early.status(), StatusCode::CONFLICT, "{backend:?}");

        let uploaded = put(&created.upload.url, &created.upload.headers, content.clone()).await;
        assert_eq!(
            uploaded.status(),
            StatusCode::OK,
            "{}",
            uploaded.text().await.unwrap()
        );
        let completed: Receipt = app
            .request(&ada, Method::POST, &format!("{path}/complete"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(completed.status, ReceiptStatus::Uploaded);
        assert!(completed.uploaded_at.is_some());

        let details: ReceiptDetails = app
            .request(&ada, Method::GET, &path)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let download = details.download.expect("a download link once uploaded");
        let fetched = reqwest::get(&download.url).await.unwrap();
        assert_eq!(fetched.status(), StatusCode::OK);
        let bytes = fetched.bytes().await.unwrap();
        assert_eq!(
            sha256_hex(&bytes),
            details.receipt.sha256,
            "the download matches the checksum"
        );

        let listed: ReceiptList = app
            .request(&ada, Method::GET, &format!("/v1/expenses/{expense}/receipts"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed.items.len(), 1);

        let deleted = app.request(&ada, Method::DELETE, &path).send().await.unwrap();
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            reqwest::get(&download.url).await.unwrap().status(),
            StatusCode::NOT_FOUND,
            "the object is gone"
        );
        assert_eq!(
            app.request(&ada, Method::GET, &path)
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn refused_types_and_sizes_are_refused_before_any_upload() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ada = app.user("ada").await;
    let expense = app.expense(&ada).await;
    let exe = app
        .start_upload(&ada, &expense, "application/x-msdownload", b"MZ")
        .await;
    assert_eq!(exe.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: expense_api::Problem = exe.json().await.unwrap();
    assert_eq!(problem.errors[0].field, "content_type");
    let body = serde_json::json!({ "content_type": "image/png", "size": 11 * 1024 * 1024, "sha256": sha256_hex(b"x") });
    let large = app
        .request(&ada, Method::POST, &format!("/v1/expenses/{expense}/receipts"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = serde_json::json!({ "content_type": "image/png", "size": 10, "sha256": "abc" });
    let checksum = app
        .request(&ada, Method::POST, &format!("/v1/expenses/{expense}/receipts"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(checksum.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn deleting_the_expense_removes_its_receipts_and_abandoned_uploads_are_swept() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let ada = app.user("ada").await;
    let expense = app.expense(&ada).await;
    let created = app.created(&ada, &expense, b"receipt").await;
    assert_eq!(
        put(&created.upload.url, &created.upload.headers, b"receipt".to_vec())
            .await
            .status(),
        StatusCode::OK
    );
    app.request(
        &ada,
        Method::POST,
        &format!("/v1/receipts/{}/complete", created.receipt.id),
    )
    .send()
    .await
    .unwrap();
    let object_url = created.upload.url.split('?').next().unwrap().to_owned();

    let deleted = app
        .request(&ada, Method::DELETE, &format!("/v1/expenses/{expense}"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let path = format!("/v1/receipts/{}", created.receipt.id);
    let mut gone = false;
    for _ in 0..100 {
        if app
            .request(&ada, Method::GET, &path)
            .send()
            .await
            .unwrap()
            .status()
            == StatusCode::NOT_FOUND
        {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(gone, "the expense.deleted event removed the receipt");
    assert!(
        app.service
            .objects()
            .head(&object_key(&object_url))
            .await
            .unwrap()
            .is_none(),
        "and its object"
    );

    // A receipt never completed is swept with whatever was uploaded, after an hour.
    let other = app.expense(&ada).await;
    let pending = app.created(&ada, &other, b"abandoned").await;
    assert_eq!(
        put(
            &pending.upload.url,
            &pending.upload.headers,
            b"abandoned".to_vec()
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.service.sweep_pending().await.unwrap(),
        0,
        "not yet an hour old"
    );
    app.clock.advance(time::Duration::minutes(61));
    assert_eq!(app.service.sweep_pending().await.unwrap(), 1);
    let key = object_key(pending.upload.url.split('?').next().unwrap());
    assert!(app.service.objects().head(&key).await.unwrap().is_none());
}

/// `users/…/receipts/…` from an object URL.
fn object_key(url: &str) -> String {
    url.split("/expense-receipts/").nth(1).unwrap().to_owned()
}
