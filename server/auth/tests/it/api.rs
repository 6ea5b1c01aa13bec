//! The auth HTTP contract, on both backends: sign-up, sign-in, session rotation, refusals.

use std::num::NonZeroU32;

use expense_api::auth::{TokenResponse, User};
use expense_auth::AuthConfig;
use expense_auth::keys::{SigningKeys, generate_pem};
use expense_kit::auth::{AUDIENCE, AccessClaims, ISSUER, Role};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{BACKENDS, PASSWORD, Storage, TestApp, email, problem};

#[tokio::test]
async fn sign_up_sign_in_and_who_am_i() {
    for backend in BACKENDS {
        let (app, _storage) = TestApp::spawn(backend).await;
        let address = email("ada");
        let response = app
            .register(&format!("  {}  ", address.to_uppercase()), PASSWORD)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{backend:?}");
        let created: User = response.json().await.unwrap();
        assert_eq!(created.email, address, "e-mail stored normalised");
        assert_eq!(created.role, Role::User);

        let response = app.login(&address.to_uppercase(), PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let session: TokenResponse = response.json().await.unwrap();
        assert_eq!(session.token_type, "Bearer");
        assert_eq!(session.expires_in, 900);

        let header = jsonwebtoken::decode_header(&session.access_token).unwrap();
        assert_eq!(header.alg, jsonwebtoken::Algorithm::EdDSA);
        let kid = header.kid.expect("kid in the header");
        let jwks: serde_json::Value = app
            .client
            .get(app.url("/.well-known/jwks.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(jwks["keys"][0]["kid"], kid);
        assert_eq!(jwks["keys"][0]["crv"], "Ed25519");

        let me: User = app
            .get("/v1/me", &session.access_token)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me, created);
        app.stop().await;
    }
}

#[tokio::test]
async fn registration_refuses_bad_input_and_duplicates() {
    for backend in BACKENDS {
        let (app, _storage) = TestApp::spawn(backend).await;
        let bad = problem(
            app.register("not-an-email", "short").await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        let fields: Vec<&str> = bad.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "password"], "{backend:?}");
        assert!(bad.errors[1].message.contains("at least 12 characters"));

        let address = email("dup");
        assert_eq!(
            app.register(&address, PASSWORD).await.status(),
            StatusCode::CREATED
        );
        let duplicate = problem(
            app.register(&address.to_uppercase(), PASSWORD).await,
            StatusCode::CONFLICT,
        )
        .await;
        assert!(duplicate.detail.contains("already exists"));
        app.stop().await;
    }
}

#[tokio::test]
async fn wrong_credentials_are_refused_alike() {
    for backend in BACKENDS {
        let (app, _storage) = TestApp::spawn(backend).await;
        let address = email("eve");
        assert_eq!(
            app.register(&address, PASSWORD).await.status(),
            StatusCode::CREATED
        );
        let wrong_password = app.login(&address, "not the password at all").await;
        assert!(
            wrong_password.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .starts_with("Bearer")
        );
        let wrong_password = problem(wrong_password, StatusCode::UNAUTHORIZED).await;
        let unknown = problem(
            app.login(&email("nobody"), PASSWORD).await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
        assert_eq!(
            wrong_password.detail, unknown.detail,
            "{backend:?}: no hint whether the account exists"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    for backend in BACKENDS {
        let (app, _storage) = TestApp::spawn(backend).await;
        let address = email("rot");
        let first = app.signed_in(&address).await;
        let other_device: TokenResponse = app.login(&address, PASSWORD).await.json().await.unwrap();

        let response = app.refresh(&first.refresh_token).await;
        assert_eq!(response.status(), StatusCode::OK, "{backend:?}");
        let second: TokenResponse = response.json().await.unwrap();
        assert_ne!(second.refresh_token, first.refresh_token);
        assert_eq!(
            app.get("/v1/me", &second.access_token).await.status(),
            StatusCode::OK
        );

        // Presenting the already-used token again: refused, and the whole family is revoked,
        // including the token that was legitimately rotated to.
        let reuse = problem(app.refresh(&first.refresh_token).await, StatusCode::UNAUTHORIZED).await;
        assert!(reuse.detail.contains("sign in again"));
        problem(app.refresh(&second.refresh_token).await, StatusCode::UNAUTHORIZED).await;

        // Another session (another family) of the same account is untouched.
        assert_eq!(
            app.refresh(&other_device.refresh_token).await.status(),
            StatusCode::OK
        );
        problem(
            app.refresh("exp_rt_not-a-real-token").await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
        app.stop().await;
    }
}

#[tokio::test]
async fn logout_ends_the_session() {
    for backend in BACKENDS {
        let (app, _storage) = TestApp::spawn(backend).await;
        let address = email("bye");
        let session = app.signed_in(&address).await;
        let second_device: TokenResponse = app.login(&address, PASSWORD).await.json().await.unwrap();
        let response = app
            .post_json(
                "/v1/auth/logout",
                &json!({ "refresh_token": session.refresh_token }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{backend:?}");
        problem(
            app.refresh(&session.refresh_token).await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
        assert_eq!(
            app.refresh(&second_device.refresh_token).await.status(),
            StatusCode::OK,
            "other sessions survive"
        );
        let unknown = app
            .post_json("/v1/auth/logout", &json!({ "refresh_token": "exp_rt_unknown" }))
            .await;
        assert_eq!(
            unknown.status(),
            StatusCode::NO_CONTENT,
            "logout does not reveal whether a token exists"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn expired_tampered_foreign_and_malformed_tokens_get_401() {
    for backend in BACKENDS {
        let (app, storage) = TestApp::spawn(backend).await;
        let session = app.signed_in(&email("tok")).await;
        let user: User = app
            .get("/v1/me", &session.access_token)
            .await
            .json()
            .await
            .unwrap();
        let now = storage.clock.now().unix_timestamp();
        let claims = |exp: i64| AccessClaims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: user.id,
            iat: exp - 900,
            exp,
            jti: Uuid::now_v7(),
            role: Role::User,
            session_generation: 0,
        };
        let server_keys =
            SigningKeys::from_pems(&std::fs::read_to_string(storage.key_file()).unwrap(), &[]).unwrap();

        let expired = server_keys.sign(&claims(now - 3600));
        let refused = problem(app.get("/v1/me", &expired).await, StatusCode::UNAUTHORIZED).await;
        assert!(refused.detail.contains("expired"), "{backend:?}: {refused:?}");

        let foreign_keys = SigningKeys::from_pems(&generate_pem(), &[]).unwrap();
        let unknown_kid = foreign_keys.sign(&claims(now + 600));
        problem(app.get("/v1/me", &unknown_kid).await, StatusCode::UNAUTHORIZED).await;

        let (head, rest) = session.access_token.split_once('.').unwrap();
        let forged_payload = base64_url(&serde_json::to_vec(&json!({"iss": ISSUER, "aud": AUDIENCE, "sub": user.id, "iat": now, "exp": now + 600, "jti": Uuid::now_v7(), "role": "admin"})).unwrap());
        let signature = rest.split_once('.').unwrap().1;
        let tampered = format!("{head}.{forged_payload}.{signature}");
        problem(app.get("/v1/me", &tampered).await, StatusCode::UNAUTHORIZED).await;

        let no_header = app.client.get(app.url("/v1/me")).send().await.unwrap();
        let missing = problem(no_header, StatusCode::UNAUTHORIZED).await;
        assert!(missing.detail.contains("Authorization: Bearer"));
        let basic = app
            .client
            .get(app.url("/v1/me"))
            .header("authorization", "Basic YTpi")
            .send()
            .await
            .unwrap();
        problem(basic, StatusCode::UNAUTHORIZED).await;
        problem(app.get("/v1/me", "garbage").await, StatusCode::UNAUTHORIZED).await;
        app.stop().await;
    }
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[tokio::test]
async fn login_is_rate_limited_per_account_with_retry_after() {
    for backend in BACKENDS {
        let storage = Storage::new(backend).await;
        let config = AuthConfig {
            login_attempts_per_account: NonZeroU32::new(3).unwrap(),
            ..AuthConfig::default()
        };
        let app = TestApp::spawn_on(&storage, config).await;
        let address = email("rl");
        assert_eq!(
            app.register(&address, PASSWORD).await.status(),
            StatusCode::CREATED
        );
        for _ in 0..3 {
            assert_eq!(
                app.login(&address, "wrong password guess").await.status(),
                StatusCode::UNAUTHORIZED
            );
        }
        let limited = app.login(&address, PASSWORD).await;
        let retry_after: u64 = limited.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry_after), "{retry_after}");
        let limited = problem(limited, StatusCode::TOO_MANY_REQUESTS).await;
        assert!(limited.detail.contains("retry in"), "{backend:?}");
        // Another account from the same address is not held back by this account's limit.
        let other = email("rl-other");
        assert_eq!(app.register(&other, PASSWORD).await.status(), StatusCode::CREATED);
        assert_eq!(app.login(&other, PASSWORD).await.status(), StatusCode::OK);
        app.stop().await;
    }
}

#[tokio::test]
async fn login_is_rate_limited_per_client_address() {
    let storage = Storage::new(crate::helpers::Backend::Sqlite).await;
    let config = AuthConfig {
        login_attempts_per_address: NonZeroU32::new(4).unwrap(),
        ..AuthConfig::default()
    };
    let app = TestApp::spawn_on(&storage, config).await;
    for n in 0..4 {
        assert_eq!(
            app.login(&email(&format!("spray{n}")), PASSWORD).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = app.login(&email("spray-last"), PASSWORD).await;
    assert!(limited.headers().contains_key("retry-after"));
    problem(limited, StatusCode::TOO_MANY_REQUESTS).await;
    app.stop().await;
}

#[tokio::test]
async fn bad_bodies_get_problems_that_say_what_was_wrong() {
    let (app, _storage) = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let post = |body: &'static str, content_type: &'static str| {
        app.client
            .post(app.url("/v1/auth/register"))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let malformed = problem(
        post("{\"email\": ", "application/json").await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(malformed.detail.contains("not valid JSON"), "{malformed:?}");

    let wrong_type = problem(
        post("email=a", "application/x-www-form-urlencoded")
            .await
            .unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    assert!(wrong_type.detail.contains("application/json"));
    let no_type = app
        .client
        .post(app.url("/v1/auth/register"))
        .body("{}")
        .send()
        .await
        .unwrap();
    problem(no_type, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;

    let unknown = problem(
        post(
            r#"{"email":"a@example.com","password":"correct horse battery","role":"admin"}"#,
            "application/json",
        )
        .await
        .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        unknown.errors[0].message.contains("unknown field `role`"),
        "{unknown:?}"
    );

    let oversized = format!(
        r#"{{"email":"a@example.com","password":"{}"}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    let too_large = app
        .client
        .post(app.url("/v1/auth/register"))
        .header("content-type", "application/json")
        .body(oversized)
        .send()
        .await
        .unwrap();
    let too_large = problem(too_large, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert!(too_large.detail.contains("larger than"));

    let wrong_method = app.client.delete(app.url("/v1/auth/login")).send().await.unwrap();
    problem(wrong_method, StatusCode::METHOD_NOT_ALLOWED).await;
    let no_route = app.client.get(app.url("/v1/nothing-here")).send().await.unwrap();
    problem(no_route, StatusCode::NOT_FOUND).await;
    app.stop().await;
}

#[tokio::test]
async fn request_ids_are_taken_or_made_and_echoed() {
    let (app, _storage) = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let given = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "trace-me-42");

    let made = app.client.get(app.url("/healthz")).send().await.unwrap();
    let id = made.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(Uuid::parse_str(&id).unwrap().get_version_num(), 7);

    let hostile = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "a".repeat(500))
        .send()
        .await
        .unwrap();
    assert_eq!(
        hostile.headers()["x-request-id"].len(),
        36,
        "an oversized id is replaced"
    );

    let failing = app
        .client
        .get(app.url("/v1/me"))
        .header("x-request-id", "quote-me")
        .send()
        .await
        .unwrap();
    assert_eq!(failing.headers()["x-request-id"], "quote-me");
    let body = problem(failing, StatusCode::UNAUTHORIZED).await;
    assert_eq!(
        body.request_id.as_deref(),
        Some("quote-me"),
        "problems carry the request id"
    );
    app.stop().await;
}

#[tokio::test]
async fn operational_endpoints_answer() {
    for backend in BACKENDS {
        let (app, _storage) = TestApp::spawn(backend).await;
        // `/health` is the original specification's name for `/healthz`: the same answer.
        for path in ["/healthz", "/health"] {
            let alive = app.client.get(app.url(path)).send().await.unwrap();
            assert_eq!(alive.status(), StatusCode::OK, "{path}");
            let body: serde_json::Value = alive.json().await.unwrap();
            assert_eq!(body, serde_json::json!({ "status": "ok" }), "{path}");
        }
        let ready: serde_json::Value = app
            .client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(ready["checks"]["auth-database"], "ok", "{backend:?}");
        let _ = app.get("/v1/me", "garbage").await;
        let metrics = app
            .client
            .get(app.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            metrics.lines().any(|l| l.starts_with("http_requests_total")
                && l.contains("route=\"/v1/me\"")
                && l.contains("status=\"401\"")),
            "metrics are labelled by route template:\n{metrics}"
        );
        assert!(
            !metrics.contains("route=\"/v1/nothing"),
            "raw paths never become labels"
        );
        let openapi: serde_json::Value = app
            .client
            .get(app.url("/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(openapi["openapi"], "3.1.0");
        assert!(openapi["paths"]["/v1/auth/login"]["post"].is_object());
        app.stop().await;
    }
}
