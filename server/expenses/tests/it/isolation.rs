//! No user can read, change or learn of another user's expenses, categories, summaries or
//! budgets: every route answers as if the data did not exist (404 or empty), never 403.

use expense_api::Page;
use expense_api::expenses::{Expense, Summary};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{BACKENDS, TestApp, expense, problem};

#[tokio::test]
async fn another_user_gets_404_on_every_route_for_my_data() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let bob = app.user("bob").await;
        let mine = app
            .create(&ada, expense(json!({ "category": "secret", "note": "private" })))
            .await;
        let put = app
            .request(&ada, Method::PUT, "/v1/budgets/secret")
            .json(&json!({ "amount": "100", "currency": "EUR" }))
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), StatusCode::CREATED);
        let path = format!("/v1/expenses/{}", mine.id);

        // Bob cannot read, change or delete Ada's expense: 404, as for an id that does not exist.
        let read = problem(app.get(&bob, &path).await, StatusCode::NOT_FOUND).await;
        let missing = problem(
            app.get(&bob, &format!("/v1/expenses/{}", uuid::Uuid::now_v7()))
                .await,
            StatusCode::NOT_FOUND,
        )
        .await;
        assert_eq!(
            read.detail, missing.detail,
            "{backend:?}: indistinguishable from a missing id"
        );
        let patch = app
            .request(&bob, Method::PATCH, &path)
            .json(&json!({ "amount": "0.01" }))
            .send()
            .await
            .unwrap();
        problem(patch, StatusCode::NOT_FOUND).await;
        let patch_if = app
            .request(&bob, Method::PATCH, &path)
            .header("if-match", "\"1\"")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        problem(patch_if, StatusCode::NOT_FOUND).await;
        problem(
            app.request(&bob, Method::DELETE, &path).send().await.unwrap(),
            StatusCode::NOT_FOUND,
        )
        .await;

        // Lists, categories, summaries and budgets show Bob nothing of Ada's.
        let list: Page<Expense> = app
            .get(&bob, "/v1/expenses?category=secret")
            .await
            .json()
            .await
            .unwrap();
        assert!(list.items.is_empty());
        let categories: Value = app.get(&bob, "/v1/categories").await.json().await.unwrap();
        assert_eq!(categories["items"], json!([]));
        let summary: Summary = app
            .get(&bob, "/v1/summary?from=2026-01-01&to=2026-12-31")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!((summary.count, summary.groups.len()), (0, 0));
        let budgets: Value = app.get(&bob, "/v1/budgets").await.json().await.unwrap();
        assert_eq!(budgets["items"], json!([]));

        // Category and budget operations on Ada's names act on Bob's (empty) data only.
        let rename = app
            .post(
                &bob,
                "/v1/categories/secret/rename",
                &json!({ "name": "mine-now" }),
            )
            .await;
        problem(rename, StatusCode::NOT_FOUND).await;
        let merge = app
            .post(
                &bob,
                "/v1/categories/secret/merge",
                &json!({ "into": "mine-now" }),
            )
            .await;
        problem(merge, StatusCode::NOT_FOUND).await;
        problem(
            app.request(&bob, Method::DELETE, "/v1/budgets/secret")
                .send()
                .await
                .unwrap(),
            StatusCode::NOT_FOUND,
        )
        .await;
        // Bob setting a budget of the same name creates his own; Ada's is untouched.
        let bobs = app
            .request(&bob, Method::PUT, "/v1/budgets/secret")
            .json(&json!({ "amount": "1", "currency": "EUR" }))
            .send()
            .await
            .unwrap();
        assert_eq!(bobs.status(), StatusCode::CREATED);
        // An idempotency key Ada used means nothing for Bob.
        let replay = app
            .request(&bob, Method::POST, "/v1/expenses")
            .header("idempotency-key", "shared")
            .json(&expense(json!({})))
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), StatusCode::CREATED);

        // Ada still has everything, unchanged.
        let still: Expense = app.get(&ada, &path).await.json().await.unwrap();
        assert_eq!(still, mine);
        let budgets: Value = app.get(&ada, "/v1/budgets").await.json().await.unwrap();
        assert_eq!(budgets["items"][0]["amount"], "100.00");
    }
}

#[tokio::test]
async fn every_route_needs_a_valid_token() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let id = uuid::Uuid::now_v7();
    for (method, path) in [
        (Method::GET, "/v1/expenses".to_owned()),
        (Method::POST, "/v1/expenses".to_owned()),
        (Method::POST, "/v1/expenses/batch".to_owned()),
        (Method::GET, format!("/v1/expenses/{id}")),
        (Method::PATCH, format!("/v1/expenses/{id}")),
        (Method::DELETE, format!("/v1/expenses/{id}")),
        (Method::GET, "/v1/categories".to_owned()),
        (Method::POST, "/v1/categories/food/rename".to_owned()),
        (Method::POST, "/v1/categories/food/merge".to_owned()),
        (Method::GET, "/v1/summary".to_owned()),
        (Method::GET, "/v1/budgets".to_owned()),
        (Method::PUT, "/v1/budgets/total".to_owned()),
        (Method::DELETE, "/v1/budgets/total".to_owned()),
    ] {
        let anonymous = app
            .client
            .request(method.clone(), app.url(&path))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        problem(anonymous, StatusCode::UNAUTHORIZED).await;
        let forged = app
            .client
            .request(method.clone(), app.url(&path))
            .bearer_auth("eyJhbGciOiJFZERTQSJ9.e30.AA")
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
    }
}
