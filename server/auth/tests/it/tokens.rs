//! Personal access tokens and administration, on both backends.

use expense_api::Page;
use expense_api::auth::{CreatedToken, PersonalAccessToken, Role, TokenInfo, TokenKind, User};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{BACKENDS, PASSWORD, TestApp, email, problem};

async fn create_token(app: &TestApp, bearer: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url("/v1/auth/tokens"))
        .bearer_auth(bearer)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn personal_access_tokens_work_until_revoked() {
    for backend in BACKENDS {
        let (app, _storage) = TestApp::spawn(backend).await;
        let session = app.signed_in(&email("pat")).await;

        let response = create_token(
            &app,
            &session.access_token,
            json!({ "name": "ci", "expires_in_days": 30 }),
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{backend:?}");
        let created: CreatedToken = response.json().await.unwrap();
        assert!(created.secret.starts_with("exp_pat_"));
        let lifetime = created.token.expires_at - created.token.created_at;
        assert_eq!(lifetime.whole_days(), 30);

        let me: User = app.get("/v1/me", &created.secret).await.json().await.unwrap();
        let info: TokenInfo = app
            .get("/v1/auth/introspect", &created.secret)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!((info.user_id, info.kind), (me.id, TokenKind::PersonalAccessToken));

        let listed: Value = app
            .get("/v1/auth/tokens", &session.access_token)
            .await
            .json()
            .await
            .unwrap();
        let listed: Vec<PersonalAccessToken> = serde_json::from_value(listed["items"].clone()).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].name, "ci");
        assert!(listed[0].last_used_at.is_some(), "use is recorded");
        assert!(
            !serde_json::to_string(&listed).unwrap().contains("exp_pat_"),
            "secrets are never listed"
        );

        // A token cannot mint tokens: a leaked one must not outlive its revocation.
        problem(
            create_token(&app, &created.secret, json!({ "name": "more" })).await,
            StatusCode::FORBIDDEN,
        )
        .await;

        let revoke = app
            .client
            .delete(app.url(&format!("/v1/auth/tokens/{}", created.token.id)))
            .bearer_auth(&session.access_token)
            .send()
            .await
            .unwrap();
        assert_eq!(revoke.status(), StatusCode::NO_CONTENT);
        let refused = problem(app.get("/v1/me", &created.secret).await, StatusCode::UNAUTHORIZED).await;
        assert!(refused.detail.contains("revoked"), "{refused:?}");
        app.stop().await;
    }
}

#[tokio::test]
async fn token_requests_are_validated_and_scoped() {
    let (app, _storage) = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let ada = app.signed_in(&email("ada")).await;
    let bob = app.signed_in(&email("bob")).await;
    let bad = problem(
        create_token(
            &app,
            &ada.access_token,
            json!({ "name": " ", "expires_in_days": 400 }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        bad.errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        ["name", "expires_in_days"]
    );

    let created: CreatedToken = create_token(&app, &ada.access_token, json!({ "name": "laptop" }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (created.token.expires_at - created.token.created_at).whole_days(),
        90,
        "default lifetime"
    );
    // Bob can neither see nor revoke Ada's token: 404, as if it did not exist.
    let listed: Value = app
        .get("/v1/auth/tokens", &bob.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"], json!([]));
    let revoke = app
        .client
        .delete(app.url(&format!("/v1/auth/tokens/{}", created.token.id)))
        .bearer_auth(&bob.access_token)
        .send()
        .await
        .unwrap();
    problem(revoke, StatusCode::NOT_FOUND).await;
    let not_an_id = app
        .client
        .delete(app.url("/v1/auth/tokens/not-a-uuid"))
        .bearer_auth(&ada.access_token)
        .send()
        .await
        .unwrap();
    problem(not_an_id, StatusCode::NOT_FOUND).await;
    assert_eq!(app.get("/v1/me", &created.secret).await.status(), StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn admins_list_and_disable_accounts() {
    for backend in BACKENDS {
        let (app, _storage) = TestApp::spawn(backend).await;
        let admin_email = email("admin");
        let admin_user = app
            .service
            .create_admin(&admin_email, PASSWORD.to_owned())
            .await
            .unwrap();
        assert_eq!(admin_user.role, Role::Admin);
        let admin: expense_api::auth::TokenResponse =
            app.login(&admin_email, PASSWORD).await.json().await.unwrap();

        let victim_email = email("victim");
        let victim = app.signed_in(&victim_email).await;
        let victim_pat: CreatedToken = create_token(&app, &victim.access_token, json!({ "name": "script" }))
            .await
            .json()
            .await
            .unwrap();
        let victim_user: User = app
            .get("/v1/me", &victim.access_token)
            .await
            .json()
            .await
            .unwrap();

        // Not an admin: 403 (admin routes are not per-user data, so existence is no secret).
        problem(
            app.get("/v1/admin/users", &victim.access_token).await,
            StatusCode::FORBIDDEN,
        )
        .await;

        let page: Page<User> = app
            .get("/v1/admin/users?limit=1", &admin.access_token)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1, "{backend:?}");
        let cursor = page.next_cursor.expect("a second page");
        let rest: Page<User> = app
            .get(&format!("/v1/admin/users?cursor={cursor}"), &admin.access_token)
            .await
            .json()
            .await
            .unwrap();
        assert!(rest.items.iter().any(|u| u.id == victim_user.id));
        problem(
            app.get("/v1/admin/users?limit=0", &admin.access_token).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        problem(
            app.get("/v1/admin/users?cursor=forged", &admin.access_token)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        problem(
            app.get("/v1/admin/users?bogus=1", &admin.access_token).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;

        let disable = |id: uuid::Uuid, action: &'static str| {
            app.client
                .post(app.url(&format!("/v1/admin/users/{id}/{action}")))
                .bearer_auth(&admin.access_token)
                .send()
        };
        let disabled: User = disable(victim_user.id, "disable")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(disabled.disabled_at.is_some());
        // Every kind of credential of a disabled account stops working at once here.
        problem(
            app.get("/v1/me", &victim.access_token).await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
        problem(
            app.get("/v1/me", &victim_pat.secret).await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
        problem(app.refresh(&victim.refresh_token).await, StatusCode::UNAUTHORIZED).await;
        let login = problem(app.login(&victim_email, PASSWORD).await, StatusCode::UNAUTHORIZED).await;
        assert!(login.detail.contains("disabled"));

        problem(
            disable(admin_user.id, "disable").await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        problem(
            disable(uuid::Uuid::now_v7(), "disable").await.unwrap(),
            StatusCode::NOT_FOUND,
        )
        .await;

        let enabled: User = disable(victim_user.id, "enable")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(enabled.disabled_at.is_none());
        assert_eq!(
            app.get("/v1/me", &victim_pat.secret).await.status(),
            StatusCode::OK,
            "tokens work again"
        );
        assert_eq!(app.login(&victim_email, PASSWORD).await.status(), StatusCode::OK);
        app.stop().await;
    }
}
