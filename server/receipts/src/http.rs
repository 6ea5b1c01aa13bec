//! HTTP routes of the receipts service. Handlers only extract, call [`ReceiptService`] and map
//! the result.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use expense_api::Problem;
use expense_api::receipts::{CreatedReceipt, NewReceipt, Receipt, ReceiptDetails, ReceiptList};
use expense_kit::Json;
use expense_kit::auth::{BearerToken, CurrentUser, SharedAuthenticator};
use expense_kit::error_docs::NotSignedIn;
use expense_kit::extract::Path;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::ReceiptError;
use crate::service::ReceiptService;

#[derive(Clone)]
pub struct ReceiptsState {
    pub service: Arc<ReceiptService>,
    pub authenticator: SharedAuthenticator,
}

impl FromRef<ReceiptsState> for SharedAuthenticator {
    fn from_ref(state: &ReceiptsState) -> Self {
        Arc::clone(&state.authenticator)
    }
}

pub fn router(state: ReceiptsState) -> OpenApiRouter {
    routes().with_state(state)
}

/// The service's OpenAPI description, without running it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}

fn routes() -> OpenApiRouter<ReceiptsState> {
    OpenApiRouter::new()
        .routes(routes!(create_receipt, list_receipts))
        .routes(routes!(complete_receipt))
        .routes(routes!(get_receipt, delete_receipt))
}

/// Start a receipt upload: answers a presigned `PUT` (valid 5 minutes) bound to this content
/// type, size and SHA-256. Upload the file there, then call `/complete`.
#[utoipa::path(post, path = "/v1/expenses/{id}/receipts", tag = "receipts", security(("bearer" = [])), request_body = NewReceipt,
    params(("id" = Uuid, Path, description = "Expense id")),
    responses(
        (status = 201, description = "Pending receipt and its upload instructions", body = CreatedReceipt),
        NotSignedIn,
        (status = 404, description = "No such expense of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the receipt size limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused content type or bad checksum", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Storage or the expenses service did not answer", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_receipt(
    State(state): State<ReceiptsState>,
    CurrentUser(caller): CurrentUser,
    Extension(BearerToken(token)): Extension<BearerToken>,
    Path(expense_id): Path<Uuid>,
    Json(input): Json<NewReceipt>,
) -> Result<impl IntoResponse, ReceiptError> {
    let created = state
        .service
        .create(caller.user_id, expense_id, &token, input)
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// The receipts of one of the caller's expenses.
#[utoipa::path(get, path = "/v1/expenses/{id}/receipts", tag = "receipts", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Expense id")),
    responses(
        (status = 200, description = "Receipts, oldest first", body = ReceiptList),
        NotSignedIn,
        (status = 404, description = "No such expense of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_receipts(
    State(state): State<ReceiptsState>,
    CurrentUser(caller): CurrentUser,
    Extension(BearerToken(token)): Extension<BearerToken>,
    Path(expense_id): Path<Uuid>,
) -> Result<Json<ReceiptList>, ReceiptError> {
    let items = state.service.list(caller.user_id, expense_id, &token).await?;
    Ok(Json(ReceiptList { items }))
}

/// Confirm an upload: the object must be stored with the declared size and checksum.
#[utoipa::path(post, path = "/v1/receipts/{id}/complete", tag = "receipts", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Receipt id")),
    responses(
        (status = 200, description = "Uploaded", body = Receipt),
        NotSignedIn,
        (status = 404, description = "No such receipt of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing uploaded, or not what was declared", body = Problem, content_type = "application/problem+json"),
    ))]
async fn complete_receipt(
    State(state): State<ReceiptsState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Receipt>, ReceiptError> {
    state.service.complete(caller.user_id, id).await.map(Json)
}

/// A receipt, with a presigned download URL (valid 5 minutes) once uploaded.
#[utoipa::path(get, path = "/v1/receipts/{id}", tag = "receipts", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Receipt id")),
    responses(
        (status = 200, description = "The receipt", body = ReceiptDetails),
        NotSignedIn,
        (status = 404, description = "No such receipt of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_receipt(
    State(state): State<ReceiptsState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<ReceiptDetails>, ReceiptError> {
    state.service.get(caller.user_id, id).await.map(Json)
}

/// Delete a receipt: its object and its record.
#[utoipa::path(delete, path = "/v1/receipts/{id}", tag = "receipts", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Receipt id")),
    responses(
        (status = 204, description = "Deleted"),
        NotSignedIn,
        (status = 404, description = "No such receipt of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_receipt(
    State(state): State<ReceiptsState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ReceiptError> {
    state.service.delete(caller.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
