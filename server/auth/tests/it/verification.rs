//! How the other services verify tokens: the kit's `RemoteAuthenticator` against a running auth
//! service, including key rotation without downtime and revocation within the cache time.

use std::time::Duration;

use expense_api::auth::CreatedToken;
use expense_auth::AuthConfig;
use expense_auth::keys::generate_pem;
use expense_kit::auth::{AuthRejection, Authenticator, RemoteAuthenticator, TokenKind};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Backend, Storage, TestApp, email};

fn verifier(app: &TestApp, cache: Duration) -> RemoteAuthenticator {
    RemoteAuthenticator::new(&app.base.parse().unwrap(), cache, app.clock.clone())
        .with_min_refetch_interval(Duration::ZERO)
}

#[tokio::test]
async fn other_services_accept_valid_tokens_and_learn_of_revocations() {
    let (app, _storage) = TestApp::spawn(Backend::Sqlite).await;
    let session = app.signed_in(&email("remote")).await;
    let remote = verifier(&app, Duration::ZERO);
    let principal = remote.authenticate(&session.access_token).await.unwrap();
    assert_eq!(principal.kind, TokenKind::Access);
    assert_eq!(remote.authenticate("garbage").await, Err(AuthRejection::Invalid));

    let created: CreatedToken = app
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
    let cached = verifier(&app, Duration::from_secs(1));
    assert_eq!(
        cached.authenticate(&created.secret).await.unwrap().kind,
        TokenKind::PersonalAccessToken
    );
    let revoked = app
        .client
        .delete(app.url(&format!("/v1/auth/tokens/{}", created.token.id)))
        .bearer_auth(&session.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    // Within the cache time the old verdict may stand; after it, the token is refused.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        cached.authenticate(&created.secret).await,
        Err(AuthRejection::Revoked)
    );
    assert_eq!(
        remote.authenticate(&created.secret).await,
        Err(AuthRejection::Revoked)
    );
    app.stop().await;
}

#[tokio::test]
async fn keys_rotate_without_downtime() {
    let storage = Storage::new(Backend::Postgres).await;
    let keys = storage.data_dir.path().join("rotation");
    std::fs::create_dir_all(&keys).unwrap();
    let old_key = keys.join("old.pem");
    let new_key = keys.join("new.pem");
    std::fs::write(&old_key, generate_pem()).unwrap();
    std::fs::write(&new_key, generate_pem()).unwrap();
    let address = email("rotate");

    // Before: the old key signs. A verifier caches the JWKS holding only the old key.
    let before = TestApp::spawn_on(
        &storage,
        AuthConfig {
            jwt_private_key_file: Some(old_key.clone()),
            ..AuthConfig::default()
        },
    )
    .await;
    let old_session = before.signed_in(&address).await;
    let remote = verifier(&before, Duration::ZERO);
    remote.authenticate(&old_session.access_token).await.unwrap();
    let port = before.port();
    before.stop().await;

    // After, on the same address: the new key signs and the old one stays published.
    let after = TestApp::spawn_at(
        &storage,
        AuthConfig {
            jwt_private_key_file: Some(new_key.clone()),
            jwt_published_key_files: vec![old_key],
            ..AuthConfig::default()
        },
        port,
    )
    .await;
    let new_session: expense_api::auth::TokenResponse = after
        .login(&address, crate::helpers::PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        after.get("/v1/me", &old_session.access_token).await.status(),
        StatusCode::OK,
        "old tokens still verify"
    );
    assert_eq!(
        after.get("/v1/me", &new_session.access_token).await.status(),
        StatusCode::OK
    );
    // The verifier that has only seen the old key refetches the JWKS on the new kid.
    remote.authenticate(&new_session.access_token).await.unwrap();
    remote.authenticate(&old_session.access_token).await.unwrap();
    let jwks: serde_json::Value = after
        .client
        .get(after.url("/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    after.stop().await;

    // Later: the old key is dropped; its tokens stop verifying, the new ones keep working.
    let later = TestApp::spawn_on(
        &storage,
        AuthConfig {
            jwt_private_key_file: Some(new_key),
            ..AuthConfig::default()
        },
    )
    .await;
    assert_eq!(
        later.get("/v1/me", &old_session.access_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        later.get("/v1/me", &new_session.access_token).await.status(),
        StatusCode::OK
    );
    later.stop().await;
}
