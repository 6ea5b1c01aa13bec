//! The account owner deletes the account, on both backends: the password is checked again, only
//! an interactive session may do it, every token of the account stops working, the e-mail address
//! is free again, and `account.deleted` is published — also when the process died right after the
//! deleting transaction, before its relay ran.

use std::time::Duration;

use expense_api::auth::{CreatedToken, DeleteAccountRequest, TokenResponse};
use expense_api::events::ACCOUNT_DELETED;
use expense_kit::auth::{Principal, Role};
use expense_kit::events::Event;
use reqwest::{Response, StatusCode};
use serde_json::json;

use crate::helpers::{BACKENDS, PASSWORD, Storage, TestApp, email, problem};

async fn delete(app: &TestApp, bearer: &str, password: &str) -> Response {
    app.client
        .delete(app.url("/v1/me"))
        .bearer_auth(bearer)
        .json(&json!({ "password": password }))
        .send()
        .await
        .unwrap()
}

async fn next_event(events: &mut tokio::sync::broadcast::Receiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("an event within 10 s")
        .expect("the bus is open")
}

#[tokio::test]
async fn deleting_the_account_ends_every_credential_and_publishes_account_deleted() {
    for backend in BACKENDS {
        let (app, storage) = TestApp::spawn(backend).await;
        let mut events = storage.bus.subscribe();
        let address = email("leaving");
        let session = app.signed_in(&address).await;
        let other = app.signed_in(&email("staying")).await;
        let pat: CreatedToken = app
            .client
            .post(app.url("/v1/auth/tokens"))
            .bearer_auth(&session.access_token)
            .json(&json!({ "name": "ci" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let me: serde_json::Value = app
            .get("/v1/me", &session.access_token)
            .await
            .json()
            .await
            .unwrap();

        let refused = problem(delete(&app, &pat.secret, PASSWORD).await, StatusCode::FORBIDDEN).await;
        assert!(
            refused.detail.contains("expense login"),
            "{backend:?}: {}",
            refused.detail
        );
        let wrong = problem(
            delete(&app, &session.access_token, "not the password at all").await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(wrong.errors[0].field, "password", "{backend:?}");
        assert_eq!(
            app.get("/v1/me", &session.access_token).await.status(),
            StatusCode::OK,
            "{backend:?}: a refused deletion deletes nothing"
        );

        let deleted = delete(&app, &session.access_token, PASSWORD).await;
        assert_eq!(deleted.status(), StatusCode::ACCEPTED, "{backend:?}");
        let event = next_event(&mut events).await;
        assert_eq!(event.kind, ACCOUNT_DELETED);
        assert_eq!(event.user_id.to_string(), me["id"].as_str().unwrap());
        assert_eq!(event.data, json!({}));

        for token in [&session.access_token, &pat.secret] {
            problem(app.get("/v1/me", token).await, StatusCode::UNAUTHORIZED).await;
        }
        problem(
            app.refresh(&session.refresh_token).await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
        problem(app.login(&address, PASSWORD).await, StatusCode::UNAUTHORIZED).await;
        assert_eq!(
            app.get("/v1/me", &other.access_token).await.status(),
            StatusCode::OK,
            "{backend:?}: another account is untouched"
        );

        // The address is free again, for a new account with a new id.
        let again = app.signed_in(&address).await;
        let new_me: serde_json::Value = app.get("/v1/me", &again.access_token).await.json().await.unwrap();
        assert_ne!(new_me["id"], me["id"], "{backend:?}");
        let tokens: serde_json::Value = app
            .get("/v1/auth/tokens", &again.access_token)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            tokens["items"],
            json!([]),
            "{backend:?}: no token of the old account"
        );
    }
}

#[tokio::test]
async fn account_deleted_is_published_after_a_crash_between_commit_and_relay() {
    for backend in BACKENDS {
        let storage = Storage::new(backend).await;
        let address = email("crash");
        let user_id = {
            let app = TestApp::spawn_on(&storage, Default::default()).await;
            let session: TokenResponse = app.signed_in(&address).await;
            let me: serde_json::Value = app
                .get("/v1/me", &session.access_token)
                .await
                .json()
                .await
                .unwrap();
            app.stop().await;
            me["id"].as_str().unwrap().parse().unwrap()
        };
        // A process with no relay running deletes the account, then "dies".
        {
            let (service, pool) = expense_auth::open(
                &Default::default(),
                &storage.database,
                storage.data_dir.path(),
                storage.clock.clone(),
            )
            .await
            .unwrap();
            let principal = Principal {
                user_id,
                role: Role::User,
                kind: expense_api::auth::TokenKind::Access,
            };
            service
                .delete_account(
                    &principal,
                    DeleteAccountRequest {
                        password: PASSWORD.to_owned(),
                    },
                    "127.0.0.1".parse().unwrap(),
                )
                .await
                .unwrap();
            pool.close().await;
        }
        // The next process's relay publishes the event, once.
        let (service, _pool) = expense_auth::open(
            &Default::default(),
            &storage.database,
            storage.data_dir.path(),
            storage.clock.clone(),
        )
        .await
        .unwrap();
        let mut events = storage.bus.subscribe();
        let relay = service.relay(std::sync::Arc::new(storage.bus.clone()), Duration::from_secs(1));
        assert_eq!(relay.drain().await.unwrap(), 1, "{backend:?}");
        let event = next_event(&mut events).await;
        assert_eq!((event.kind.as_str(), event.user_id), (ACCOUNT_DELETED, user_id));
        assert_eq!(
            relay.drain().await.unwrap(),
            0,
            "{backend:?}: published once, then forgotten"
        );
    }
}
