//! HTTP routes of the notifications service. Handlers extract, call the service, map the result;
//! each first records the caller's e-mail address if it is not known yet.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use expense_api::notifications::{
    CreatedWebhook, DeliveryList, MarkedRead, NewWebhook, Notification, NotificationSettings, QueuedDelivery,
    SettingsUpdate, Webhook, WebhookList,
};
use expense_api::page::MAX_PAGE_SIZE;
use expense_api::{Page, Problem};
use expense_kit::Json;
use expense_kit::auth::{BearerToken, CurrentUser, SharedAuthenticator};
use expense_kit::error_docs::NotSignedIn;
use expense_kit::extract::{Path, Query};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::NotifyError;
use crate::repository::WebhookRecord;
use crate::service::NotificationService;

#[derive(Clone)]
pub struct NotificationsState {
    pub service: Arc<NotificationService>,
    pub authenticator: SharedAuthenticator,
}

impl FromRef<NotificationsState> for SharedAuthenticator {
    fn from_ref(state: &NotificationsState) -> Self {
        Arc::clone(&state.authenticator)
    }
}

pub fn router(state: NotificationsState) -> OpenApiRouter {
    routes().with_state(state)
}

pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}

fn routes() -> OpenApiRouter<NotificationsState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(mark_read))
        .routes(routes!(mark_all_read))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(add_webhook, list_webhooks))
        .routes(routes!(remove_webhook))
        .routes(routes!(test_webhook))
        .routes(routes!(webhook_deliveries))
}

fn webhook_view(record: &WebhookRecord) -> Webhook {
    Webhook {
        id: record.id,
        url: record.url.clone(),
        created_at: record.created_at,
    }
}

/// List parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only unread notifications.
    #[serde(default)]
    pub unread: bool,
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/v1/notifications", tag = "notifications", security(("bearer" = [])), params(ListQuery),
    responses(
        (status = 200, description = "One page", body = Page<Notification>),
        NotSignedIn,
        (status = 422, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_notifications(
    State(state): State<NotificationsState>,
    CurrentUser(caller): CurrentUser,
    Extension(BearerToken(token)): Extension<BearerToken>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<Notification>>, NotifyError> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        return Err(NotifyError::invalid(
            "limit",
            format!("must be between 1 and {MAX_PAGE_SIZE}"),
        ));
    }
    state.service.learn_email(caller.user_id, &token).await?;
    state
        .service
        .list(caller.user_id, query.unread, query.cursor.as_deref(), limit)
        .await
        .map(Json)
}

/// Mark one notification read.
#[utoipa::path(post, path = "/v1/notifications/{id}/read", tag = "notifications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Notification id")),
    responses(
        (status = 204, description = "Read"),
        NotSignedIn,
        (status = 404, description = "No such notification of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn mark_read(
    State(state): State<NotificationsState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, NotifyError> {
    state.service.mark_read(caller.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark every notification read.
#[utoipa::path(post, path = "/v1/notifications/read-all", tag = "notifications", security(("bearer" = [])),
    responses(
        (status = 200, description = "How many were unread", body = MarkedRead),
        NotSignedIn,
    ))]
async fn mark_all_read(
    State(state): State<NotificationsState>,
    CurrentUser(caller): CurrentUser,
) -> Result<Json<MarkedRead>, NotifyError> {
    let marked = state.service.mark_all_read(caller.user_id).await?;
    Ok(Json(MarkedRead { marked }))
}

/// The caller's notification preferences.
#[utoipa::path(get, path = "/v1/notifications/settings", tag = "notifications", security(("bearer" = [])),
    responses(
        (status = 200, description = "Preferences", body = NotificationSettings),
        NotSignedIn,
    ))]
async fn get_settings(
    State(state): State<NotificationsState>,
    CurrentUser(caller): CurrentUser,
    Extension(BearerToken(token)): Extension<BearerToken>,
) -> Result<Json<NotificationSettings>, NotifyError> {
    state.service.learn_email(caller.user_id, &token).await?;
    state.service.settings(caller.user_id).await.map(Json)
}

/// Change preferences; only the fields given change.
#[utoipa::path(put, path = "/v1/notifications/settings", tag = "notifications", security(("bearer" = [])), request_body = SettingsUpdate,
    responses(
        (status = 200, description = "The new preferences", body = NotificationSettings),
        NotSignedIn,
        (status = 422, description = "Bad thresholds", body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_settings(
    State(state): State<NotificationsState>,
    CurrentUser(caller): CurrentUser,
    Extension(BearerToken(token)): Extension<BearerToken>,
    Json(update): Json<SettingsUpdate>,
) -> Result<Json<NotificationSettings>, NotifyError> {
    state.service.learn_email(caller.user_id, &token).await?;
    state
        .service
        .update_settings(caller.user_id, update)
        .await
        .map(Json)
}

/// Register a webhook; its signing secret is shown this once.
#[utoipa::path(post, path = "/v1/webhooks", tag = "webhooks", security(("bearer" = [])), request_body = NewWebhook,
    responses(
        (status = 201, description = "Registered", body = CreatedWebhook),
        NotSignedIn,
        (status = 422, description = "Not an https URL, or too many webhooks", body = Problem, content_type = "application/problem+json"),
    ))]
async fn add_webhook(
    State(state): State<NotificationsState>,
    CurrentUser(caller): CurrentUser,
    Json(input): Json<NewWebhook>,
) -> Result<impl IntoResponse, NotifyError> {
    let (record, secret) = state.service.add_webhook(caller.user_id, &input.url).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhook {
            webhook: webhook_view(&record),
            secret,
        }),
    ))
}

/// The caller's webhooks.
#[utoipa::path(get, path = "/v1/webhooks", tag = "webhooks", security(("bearer" = [])),
    responses(
        (status = 200, description = "Webhooks (never their secrets)", body = WebhookList),
        NotSignedIn,
    ))]
async fn list_webhooks(
    State(state): State<NotificationsState>,
    CurrentUser(caller): CurrentUser,
) -> Result<Json<WebhookList>, NotifyError> {
    let items = state
        .service
        .webhooks(caller.user_id)
        .await?
        .iter()
        .map(webhook_view)
        .collect();
    Ok(Json(WebhookList { items }))
}

/// Remove a webhook and its delivery log.
#[utoipa::path(delete, path = "/v1/webhooks/{id}", tag = "webhooks", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Removed"),
        NotSignedIn,
        (status = 404, description = "No such webhook of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn remove_webhook(
    State(state): State<NotificationsState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, NotifyError> {
    state.service.remove_webhook(caller.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Send a test delivery to a webhook.
#[utoipa::path(post, path = "/v1/webhooks/{id}/test", tag = "webhooks", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 202, description = "Queued; see the delivery log", body = QueuedDelivery),
        NotSignedIn,
        (status = 404, description = "No such webhook of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn test_webhook(
    State(state): State<NotificationsState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<impl IntoResponse, NotifyError> {
    let id = state.service.test_webhook(caller.user_id, id).await?;
    Ok((StatusCode::ACCEPTED, Json(QueuedDelivery { id })))
}

/// A webhook's delivery log, newest first.
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", tag = "webhooks", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "The last 100 deliveries", body = DeliveryList),
        NotSignedIn,
        (status = 404, description = "No such webhook of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn webhook_deliveries(
    State(state): State<NotificationsState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<DeliveryList>, NotifyError> {
    let items = state.service.deliveries(caller.user_id, id).await?;
    Ok(Json(DeliveryList { items }))
}
