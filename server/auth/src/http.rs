//! HTTP routes of the auth service. Handlers only extract, call [`AuthService`] and map the
//! result; every rule lives in the service.

use std::net::SocketAddr;
use std::sync::Arc;

use async_trait::async_trait;
use axum::extract::{ConnectInfo, FromRef, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use expense_api::auth::{
    ChangePasswordRequest, CreateTokenRequest, CreatedToken, DeleteAccountRequest, LoginRequest,
    PersonalAccessToken, RefreshRequest, RegisterRequest, TokenInfo, TokenResponse, User,
};
use expense_api::page::MAX_PAGE_SIZE;
use expense_api::{FieldError, Page, Problem};
use expense_kit::Json;
use expense_kit::auth::{
    AdminUser, AuthRejection, Authenticator, BearerToken, CurrentUser, Principal, SharedAuthenticator,
};
use expense_kit::caller_address::caller_address;
use expense_kit::error_docs::{NotAdmin, NotSignedIn};
use expense_kit::extract::{Path, Query};
use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::AuthError;
use crate::service::AuthService;

/// Shared state of the auth routes.
#[derive(Clone)]
pub struct AuthState {
    pub service: Arc<AuthService>,
    pub authenticator: SharedAuthenticator,
    pub trusted_proxy_hops: usize,
}

impl FromRef<AuthState> for SharedAuthenticator {
    fn from_ref(state: &AuthState) -> Self {
        Arc::clone(&state.authenticator)
    }
}

/// The auth service checks tokens against its own keys and database.
pub struct LocalAuthenticator(pub Arc<AuthService>);

#[async_trait]
impl Authenticator for LocalAuthenticator {
    async fn authenticate(&self, token: &str) -> Result<Principal, AuthRejection> {
        match self.0.authenticate(token).await {
            Ok((principal, _)) => Ok(principal),
            Err(AuthError::Unauthenticated(rejection)) => Err(rejection),
            Err(AuthError::Store(error)) => {
                tracing::warn!(%error, "token check failed on storage");
                Err(AuthRejection::Unavailable)
            }
            Err(_) => Err(AuthRejection::Invalid),
        }
    }
}

/// The routes, with their OpenAPI description.
pub fn router(state: AuthState) -> OpenApiRouter {
    routes().with_state(state)
}

/// The service's OpenAPI description, without running it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}

fn routes() -> OpenApiRouter<AuthState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(introspect))
        .routes(routes!(me, delete_account))
        .routes(routes!(change_password))
        .routes(routes!(jwks))
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(list_users))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
}

/// Headers for answers that carry credentials: never cached anywhere.
fn no_store() -> [(header::HeaderName, &'static str); 2] {
    [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")]
}

/// Create an account.
#[utoipa::path(post, path = "/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created", body = User),
        (status = 409, description = "E-mail already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid e-mail or password", body = Problem, content_type = "application/problem+json"),
    ))]
async fn register(
    State(state): State<AuthState>,
    Json(request): Json<RegisterRequest>,
) -> Result<impl IntoResponse, AuthError> {
    let user = state.service.register(&request.email, request.password).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, "/v1/me")], Json(user)))
}

/// Sign in with e-mail and password.
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong e-mail or password, or account disabled", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ))]
async fn login(
    State(state): State<AuthState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(request): Json<LoginRequest>,
) -> Result<impl IntoResponse, AuthError> {
    let client = caller_address(peer, &headers, state.trusted_proxy_hops);
    let session = state
        .service
        .login(&request.email, request.password, client)
        .await?;
    Ok((no_store(), Json(session)))
}

/// Exchange a refresh token for a new pair; the old refresh token stops working.
#[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 200, description = "New session tokens", body = TokenResponse),
        (status = 401, description = "Unknown, expired, used or revoked refresh token", body = Problem, content_type = "application/problem+json"),
    ))]
async fn refresh(
    State(state): State<AuthState>,
    Json(request): Json<RefreshRequest>,
) -> Result<impl IntoResponse, AuthError> {
    let session = state.service.refresh(&request.refresh_token).await?;
    Ok((no_store(), Json(session)))
}

/// End the session a refresh token belongs to.
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out (also for unknown tokens)"),
    ))]
async fn logout(
    State(state): State<AuthState>,
    Json(request): Json<RefreshRequest>,
) -> Result<StatusCode, AuthError> {
    state.service.logout(&request.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the auth service knows of the bearer token. Other services call this (and cache the
/// answer) to learn of revoked tokens and disabled accounts.
#[utoipa::path(get, path = "/v1/auth/introspect", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, description = "The token is valid", body = TokenInfo),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = Problem, content_type = "application/problem+json"),
    ))]
async fn introspect(
    State(state): State<AuthState>,
    CurrentUser(_caller): CurrentUser,
    axum::Extension(BearerToken(token)): axum::Extension<BearerToken>,
) -> Result<Json<TokenInfo>, AuthError> {
    state.service.introspect(&token).await.map(Json)
}

/// The signed-in account.
#[utoipa::path(get, path = "/v1/me", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's account", body = User),
        NotSignedIn,
    ))]
async fn me(
    State(state): State<AuthState>,
    CurrentUser(principal): CurrentUser,
) -> Result<Json<User>, AuthError> {
    state.service.me(&principal).await.map(Json)
}

/// Change the password: every session ends (the answer is a new one for the caller), and with
/// `revoke_tokens` every personal access token too.
#[utoipa::path(post, path = "/v1/me/password", tag = "auth", security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Changed; a new session for the caller (every other one has ended)", body = TokenResponse),
        NotSignedIn,
        (status = 403, description = "Called with a personal access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong current password, or a new password that breaks the rules", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ))]
async fn change_password(
    State(state): State<AuthState>,
    CurrentUser(principal): CurrentUser,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(request): Json<ChangePasswordRequest>,
) -> Result<impl IntoResponse, AuthError> {
    let client = caller_address(peer, &headers, state.trusted_proxy_hops);
    let session = state.service.change_password(&principal, request, client).await?;
    Ok((no_store(), Json(session)))
}

/// Delete the account and everything it owns, in every service. The account, its sessions and
/// its tokens are gone when this answers; the other services erase the rest shortly after, when
/// the `account.deleted` event reaches them (hence 202).
#[utoipa::path(delete, path = "/v1/me", tag = "auth", security(("bearer" = [])), request_body = DeleteAccountRequest,
    responses(
        (status = 202, description = "Deleted; every token of the account stops working now, and the other services erase its data shortly"),
        NotSignedIn,
        (status = 403, description = "Called with a personal access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_account(
    State(state): State<AuthState>,
    CurrentUser(principal): CurrentUser,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(request): Json<DeleteAccountRequest>,
) -> Result<StatusCode, AuthError> {
    let client = caller_address(peer, &headers, state.trusted_proxy_hops);
    state.service.delete_account(&principal, request, client).await?;
    Ok(StatusCode::ACCEPTED)
}

/// The public keys that verify access tokens (RFC 7517).
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "auth",
    responses((status = 200, description = "The JSON Web Key Set", body = Object)))]
async fn jwks(State(state): State<AuthState>) -> impl IntoResponse {
    let set: &JwkSet = state.service.keys().jwks();
    ([(header::CACHE_CONTROL, "public, max-age=60")], Json(set.clone()))
}

/// Create a personal access token (needs an interactive session).
#[utoipa::path(post, path = "/v1/auth/tokens", tag = "tokens", security(("bearer" = [])), request_body = CreateTokenRequest,
    responses(
        (status = 201, description = "Created; the secret is shown this once", body = CreatedToken),
        NotSignedIn,
        (status = 403, description = "Called with a personal access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or lifetime", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_token(
    State(state): State<AuthState>,
    CurrentUser(principal): CurrentUser,
    Json(request): Json<CreateTokenRequest>,
) -> Result<impl IntoResponse, AuthError> {
    let created = state.service.create_token(&principal, request).await?;
    Ok((StatusCode::CREATED, no_store(), Json(created)))
}

/// The caller's personal access tokens, newest first.
#[utoipa::path(get, path = "/v1/auth/tokens", tag = "tokens", security(("bearer" = [])),
    responses(
        (status = 200, description = "Token metadata, never secrets", body = TokenList),
        NotSignedIn,
    ))]
async fn list_tokens(
    State(state): State<AuthState>,
    CurrentUser(principal): CurrentUser,
) -> Result<Json<TokenList>, AuthError> {
    let items = state.service.list_tokens(&principal).await?;
    Ok(Json(TokenList { items }))
}

/// The list of a caller's tokens.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<PersonalAccessToken>,
}

/// Revoke one of the caller's personal access tokens.
#[utoipa::path(delete, path = "/v1/auth/tokens/{id}", tag = "tokens", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        NotSignedIn,
        (status = 404, description = "No such live token of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn revoke_token(
    State(state): State<AuthState>,
    CurrentUser(principal): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AuthError> {
    state.service.revoke_token(&principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Paging parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    fn limit(&self) -> Result<u32, AuthError> {
        match self.limit {
            None => Ok(50),
            Some(limit) if (1..=MAX_PAGE_SIZE).contains(&limit) => Ok(limit),
            Some(_) => Err(AuthError::Validation(vec![FieldError::new(
                "limit",
                format!("must be between 1 and {MAX_PAGE_SIZE}"),
            )])),
        }
    }
}

/// Every account, in creation order (admins only).
#[utoipa::path(get, path = "/v1/admin/users", tag = "admin", security(("bearer" = [])), params(PageQuery),
    responses(
        (status = 200, description = "One page of accounts", body = Page<User>),
        NotSignedIn,
        NotAdmin,
        (status = 422, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_users(
    State(state): State<AuthState>,
    AdminUser(_admin): AdminUser,
    Query(query): Query<PageQuery>,
) -> Result<Json<Page<User>>, axum::response::Response> {
    let limit = query.limit().map_err(IntoResponse::into_response)?;
    let after = match &query.cursor {
        Some(cursor) => {
            Some(expense_kit::cursor::decode::<Uuid>(cursor).map_err(IntoResponse::into_response)?)
        }
        None => None,
    };
    state
        .service
        .list_users(after, limit)
        .await
        .map(Json)
        .map_err(IntoResponse::into_response)
}

/// Disable an account: its sessions end and its tokens stop working (admins only).
#[utoipa::path(post, path = "/v1/admin/users/{id}/disable", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Account id")),
    responses(
        (status = 200, description = "Disabled", body = User),
        NotSignedIn,
        NotAdmin,
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Admins cannot disable themselves", body = Problem, content_type = "application/problem+json"),
    ))]
async fn disable_user(
    State(state): State<AuthState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<Uuid>,
) -> Result<Json<User>, AuthError> {
    state.service.set_disabled(&admin, id, true).await.map(Json)
}

/// Re-enable a disabled account (admins only).
#[utoipa::path(post, path = "/v1/admin/users/{id}/enable", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Account id")),
    responses(
        (status = 200, description = "Enabled", body = User),
        NotSignedIn,
        NotAdmin,
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    ))]
async fn enable_user(
    State(state): State<AuthState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<Uuid>,
) -> Result<Json<User>, AuthError> {
    state.service.set_disabled(&admin, id, false).await.map(Json)
}
