//! User B cannot create, read, list, complete or delete a receipt on user A's expense: 404.

use expense_api::receipts::ReceiptStatus;
use reqwest::{Method, StatusCode};

use crate::helpers::{BACKENDS, TestApp, put};

#[tokio::test]
async fn another_user_gets_404_on_every_receipt_route() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let bob = app.user("bob").await;
        let expense = app.expense(&ada).await;
        let created = app.created(&ada, &expense, b"ada's receipt").await;
        let path = format!("/v1/receipts/{}", created.receipt.id);

        let create = app
            .start_upload(&bob, &expense, "application/pdf", b"bob's")
            .await;
        assert_eq!(
            create.status(),
            StatusCode::NOT_FOUND,
            "{backend:?}: create on another's expense"
        );
        let list = app
            .request(&bob, Method::GET, &format!("/v1/expenses/{expense}/receipts"))
            .send()
            .await
            .unwrap();
        assert_eq!(list.status(), StatusCode::NOT_FOUND);
        for (method, route) in [
            (Method::GET, path.clone()),
            (Method::POST, format!("{path}/complete")),
            (Method::DELETE, path.clone()),
        ] {
            let response = app.request(&bob, method.clone(), &route).send().await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::NOT_FOUND,
                "{backend:?}: {method} {route}"
            );
        }

        // Ada's receipt is untouched and still works.
        assert_eq!(
            put(
                &created.upload.url,
                &created.upload.headers,
                b"ada's receipt".to_vec()
            )
            .await
            .status(),
            StatusCode::OK
        );
        let done: expense_api::receipts::Receipt = app
            .request(&ada, Method::POST, &format!("{path}/complete"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(done.status, ReceiptStatus::Uploaded);
        let anonymous = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    }
}
