//! Routes of recurring schedules under `/v1/recurring`, merged into the expenses service's
//! routes. Handlers only extract, call the service and map the result.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use expense_api::Problem;
use expense_api::recurring::{NewRecurring, Recurring, RecurringList};
use expense_kit::Json;
use expense_kit::auth::CurrentUser;
use expense_kit::error_docs::NotSignedIn;
use expense_kit::extract::Path;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::ExpenseError;
use crate::http::ExpensesState;

/// The routes, with their OpenAPI description.
pub fn routes() -> OpenApiRouter<ExpensesState> {
    OpenApiRouter::new()
        .routes(routes!(create_recurring, list_recurring))
        .routes(routes!(get_recurring, delete_recurring))
        .routes(routes!(pause_recurring))
        .routes(routes!(resume_recurring))
}

/// Create a schedule that records an expense every day, week, month or year. The days from
/// `from` through today are recorded at once; later ones on their day.
#[utoipa::path(post, path = "/v1/recurring", tag = "recurring", security(("bearer" = [])), request_body = NewRecurring,
    responses(
        (status = 201, description = "Created", body = Recurring),
        NotSignedIn,
        (status = 409, description = "The caller has 200 schedules already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields: an unknown `every`, an `on` out of range, an `until` before `from`, or an invalid expense", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_recurring(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Json(input): Json<NewRecurring>,
) -> Result<Response, ExpenseError> {
    let created = state.service.create_recurring(caller.user_id, input).await?;
    let location = format!("/v1/recurring/{}", created.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(created)).into_response())
}

/// The caller's schedules, oldest first.
#[utoipa::path(get, path = "/v1/recurring", tag = "recurring", security(("bearer" = [])),
    responses(
        (status = 200, description = "Every schedule of the caller", body = RecurringList),
        NotSignedIn,
    ))]
async fn list_recurring(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
) -> Result<Json<RecurringList>, ExpenseError> {
    let items = state.service.list_recurring(caller.user_id).await?;
    Ok(Json(RecurringList { items }))
}

/// One schedule.
#[utoipa::path(get, path = "/v1/recurring/{id}", tag = "recurring", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The schedule's id")),
    responses(
        (status = 200, description = "The schedule", body = Recurring),
        NotSignedIn,
        (status = 404, description = "No such schedule of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_recurring(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Recurring>, ExpenseError> {
    state.service.get_recurring(caller.user_id, id).await.map(Json)
}

/// Delete a schedule. The expenses it recorded stay.
#[utoipa::path(delete, path = "/v1/recurring/{id}", tag = "recurring", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The schedule's id")),
    responses(
        (status = 204, description = "Deleted"),
        NotSignedIn,
        (status = 404, description = "No such schedule of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_recurring(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ExpenseError> {
    state.service.delete_recurring(caller.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pause a schedule: it records nothing until resumed. Pausing a paused schedule changes nothing.
#[utoipa::path(post, path = "/v1/recurring/{id}/pause", tag = "recurring", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The schedule's id")),
    responses(
        (status = 200, description = "Paused", body = Recurring),
        NotSignedIn,
        (status = 404, description = "No such schedule of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn pause_recurring(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Recurring>, ExpenseError> {
    state.service.pause_recurring(caller.user_id, id).await.map(Json)
}

/// Resume a paused schedule from today. The days it was paused are not recorded afterwards.
#[utoipa::path(post, path = "/v1/recurring/{id}/resume", tag = "recurring", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The schedule's id")),
    responses(
        (status = 200, description = "Running", body = Recurring),
        NotSignedIn,
        (status = 404, description = "No such schedule of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn resume_recurring(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Recurring>, ExpenseError> {
    state.service.resume_recurring(caller.user_id, id).await.map(Json)
}
