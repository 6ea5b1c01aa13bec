//! The account owner's password change, on both backends: every session ends, the caller gets a
//! new one, personal access tokens stay unless asked, and a refused change changes nothing.

use expense_api::auth::{CreatedToken, TokenResponse};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{BACKENDS, PASSWORD, TestApp, email, problem};

const NEW_PASSWORD: &str = "a much longer new passphrase";

async fn change(app: &TestApp, bearer: &str, body: Value) -> Response {
    app.client
        .post(app.url("/v1/me/password"))
        .bearer_auth(bearer)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn personal_access_token(app: &TestApp, session: &TokenResponse) -> String {
    let response = app
        .client
        .post(app.url("/v1/auth/tokens"))
        .bearer_auth(&session.access_token)
        .json(&json!({ "name": "ci" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<CreatedToken>().await.unwrap().secret
}

#[tokio::test]
async fn a_password_change_ends_every_session_and_answers_a_new_one() {
    for backend in BACKENDS {
        let (app, _storage) = TestApp::spawn(backend).await;
        let address = email("change");
        let here = app.signed_in(&address).await;
        let elsewhere: TokenResponse = app.login(&address, PASSWORD).await.json().await.unwrap();
        let pat = personal_access_token(&app, &here).await;

        let response = change(
            &app,
            &here.access_token,
            json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "{backend:?}");
        assert_eq!(response.headers()["cache-control"], "no-store");
        let fresh: TokenResponse = response.json().await.unwrap();

        for old in [&here, &elsewhere] {
            assert_eq!(
                app.get("/v1/me", &old.access_token).await.status(),
                StatusCode::UNAUTHORIZED,
                "{backend:?}: an access token from before the change"
            );
            assert_eq!(
                app.refresh(&old.refresh_token).await.status(),
                StatusCode::UNAUTHORIZED,
                "{backend:?}: a refresh token from before the change"
            );
        }
        assert_eq!(
            app.get("/v1/me", &fresh.access_token).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            app.get("/v1/me", &pat).await.status(),
            StatusCode::OK,
            "PATs stay"
        );
        let renewed: TokenResponse = app.refresh(&fresh.refresh_token).await.json().await.unwrap();
        assert_eq!(
            app.get("/v1/me", &renewed.access_token).await.status(),
            StatusCode::OK
        );

        assert_eq!(
            app.login(&address, PASSWORD).await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(app.login(&address, NEW_PASSWORD).await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn revoke_tokens_ends_the_personal_access_tokens_too() {
    for backend in BACKENDS {
        let (app, _storage) = TestApp::spawn(backend).await;
        let session = app.signed_in(&email("revoke")).await;
        let pat = personal_access_token(&app, &session).await;
        let response = change(
            &app,
            &session.access_token,
            json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD, "revoke_tokens": true }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "{backend:?}");
        assert_eq!(app.get("/v1/me", &pat).await.status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn a_refused_change_says_why_and_changes_nothing() {
    for backend in BACKENDS {
        let (app, _storage) = TestApp::spawn(backend).await;
        let address = email("refused");
        let session = app.signed_in(&address).await;
        let pat = personal_access_token(&app, &session).await;

        let cases = [
            (
                json!({ "current_password": "not the password at all", "new_password": NEW_PASSWORD }),
                "current_password",
            ),
            (
                json!({ "current_password": PASSWORD, "new_password": "short" }),
                "new_password",
            ),
            (
                json!({ "current_password": PASSWORD, "new_password": PASSWORD }),
                "new_password",
            ),
        ];
        for (body, field) in cases {
            let refused = problem(
                change(&app, &session.access_token, body).await,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
            assert_eq!(refused.errors.len(), 1, "{backend:?}: {refused:?}");
            assert_eq!(refused.errors[0].field, field, "{backend:?}");
        }
        let unknown_field = change(
            &app,
            &session.access_token,
            json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD, "revoke": true }),
        )
        .await;
        assert!(unknown_field.status().is_client_error());

        // A personal access token alone cannot change the password.
        let with_pat = change(
            &app,
            &pat,
            json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD }),
        )
        .await;
        problem(with_pat, StatusCode::FORBIDDEN).await;
        let anonymous = app
            .client
            .post(app.url("/v1/me/password"))
            .json(&json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

        // Nothing changed: the session and the password still work.
        assert_eq!(
            app.get("/v1/me", &session.access_token).await.status(),
            StatusCode::OK
        );
        assert_eq!(app.login(&address, PASSWORD).await.status(), StatusCode::OK);
    }
}
