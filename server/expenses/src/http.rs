//! HTTP routes of the expenses service. Handlers only extract, call [`ExpenseService`] and map the
//! result; the caller comes from the kit's token verifier, so every handler is scoped to them.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use expense_api::expenses::{
    BatchRequest, BatchResponse, Budget, BudgetInput, BudgetList, CategoryChange, CategoryList, Expense,
    ExpensePatch, ListQuery, MergeCategory, NewExpense, RenameCategory, Summary, SummaryQuery,
};
use expense_api::{Page, Problem};
use expense_kit::Json;
use expense_kit::auth::{CurrentUser, SharedAuthenticator};
use expense_kit::error_docs::NotSignedIn;
use expense_kit::extract::{Path, Query};
use expense_kit::request_headers::{IdempotencyKey, IfMatch};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::ExpenseError;
use crate::service::{CreateResponse, ExpenseService};
use crate::wire::WireExpense;

/// Shared state of the expenses routes.
#[derive(Clone)]
pub struct ExpensesState {
    pub service: Arc<ExpenseService>,
    pub authenticator: SharedAuthenticator,
}

impl FromRef<ExpensesState> for SharedAuthenticator {
    fn from_ref(state: &ExpensesState) -> Self {
        Arc::clone(&state.authenticator)
    }
}

/// The routes, with their OpenAPI description.
pub fn router(state: ExpensesState) -> OpenApiRouter {
    routes().with_state(state)
}

/// The service's OpenAPI description, without running it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().into_openapi()
}

fn routes() -> OpenApiRouter<ExpensesState> {
    OpenApiRouter::new()
        .routes(routes!(create_expense, list_expenses))
        .routes(routes!(create_batch))
        .routes(routes!(get_expense, update_expense, delete_expense))
        .routes(routes!(list_categories))
        .routes(routes!(rename_category))
        .routes(routes!(merge_category))
        .routes(routes!(summary))
        .routes(routes!(list_budgets))
        .routes(routes!(put_budget, delete_budget))
        .merge(crate::recurring::http::routes())
        .merge(crate::rates::http::routes())
        .merge(crate::rules::http::routes())
}

fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).expect("digits are a valid header")
}

/// A created (or replayed) response, byte for byte.
fn created(response: CreateResponse, location: Option<String>) -> Response {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(response.status).unwrap_or(StatusCode::CREATED))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(location) = location {
        builder = builder.header(header::LOCATION, location);
    }
    if response.replayed {
        builder = builder.header("idempotent-replayed", "true");
    }
    builder.body(Body::from(response.body)).expect("a valid response")
}

/// Record an expense. A retry with the same `Idempotency-Key` answers the first response and
/// records nothing new. Without `category`, the first of the caller's rules (`/v1/rules`) that
/// matches gives it (and its tags); when none matches, the expense is refused.
#[utoipa::path(post, path = "/v1/expenses", tag = "expenses", security(("bearer" = [])), request_body = NewExpense,
    params(IdempotencyKey),
    responses(
        (status = 201, description = "Recorded (or replayed)", body = Expense),
        NotSignedIn,
        (status = 422, description = "Invalid fields (a missing `category` when none of the caller's rules matches), or a key reused for another request", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_expense(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    IdempotencyKey(key): IdempotencyKey,
    Json(input): Json<NewExpense>,
) -> Result<Response, ExpenseError> {
    let response = state
        .service
        .create(caller.user_id, input, key.as_deref())
        .await?;
    // A fresh create knows its id; only a replay reads it back from the stored answer.
    let id = response.created_id.or_else(|| {
        serde_json::from_slice::<Expense>(&response.body)
            .ok()
            .map(|expense| expense.id)
    });
    let location = id.map(|id| format!("/v1/expenses/{id}"));
    Ok(created(response, location))
}

/// Record up to 1,000 expenses at once: all are validated first and stored in one transaction,
/// or none is.
#[utoipa::path(post, path = "/v1/expenses/batch", tag = "expenses", security(("bearer" = [])), request_body = BatchRequest,
    params(IdempotencyKey),
    responses(
        (status = 201, description = "All recorded (or replayed)", body = BatchResponse),
        NotSignedIn,
        (status = 422, description = "Every bad field of every item, as items[i].field; nothing stored", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_batch(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    IdempotencyKey(key): IdempotencyKey,
    Json(request): Json<BatchRequest>,
) -> Result<Response, ExpenseError> {
    let response = state
        .service
        .create_batch(caller.user_id, request.items, key.as_deref())
        .await?;
    Ok(created(response, None))
}

/// The caller's expenses, newest first (by day, then id), one page at a time.
#[utoipa::path(get, path = "/v1/expenses", tag = "expenses", security(("bearer" = [])), params(ListQuery),
    responses(
        (status = 200, description = "One page", body = Page<Expense>),
        NotSignedIn,
        (status = 422, description = "A bad filter, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_expenses(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, ExpenseError> {
    let page = state.service.list(caller.user_id, &query).await?;
    let wire = Page {
        items: page.items.iter().map(WireExpense).collect::<Vec<_>>(),
        next_cursor: page.next_cursor,
    };
    Ok(Json(wire).into_response())
}

/// One expense; its `ETag` is its version.
#[utoipa::path(get, path = "/v1/expenses/{id}", tag = "expenses", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Expense id")),
    responses(
        (status = 200, description = "The expense", body = Expense),
        NotSignedIn,
        (status = 404, description = "No such expense of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_expense(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ExpenseError> {
    let expense = state.service.get(caller.user_id, id).await?;
    Ok(([(header::ETAG, etag(expense.version))], Json(expense)).into_response())
}

/// Change some fields. Send `If-Match` with the version you read to refuse lost updates.
#[utoipa::path(patch, path = "/v1/expenses/{id}", tag = "expenses", security(("bearer" = [])), request_body = ExpensePatch,
    params(
        ("id" = Uuid, Path, description = "Expense id"),
        IfMatch,
    ),
    responses(
        (status = 200, description = "Changed", body = Expense),
        NotSignedIn,
        (status = 404, description = "No such expense of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The expense changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or an `If-Match` that is not an ETag", body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_expense(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
    IfMatch(version): IfMatch,
    Json(patch): Json<ExpensePatch>,
) -> Result<Response, ExpenseError> {
    let expense = state.service.update(caller.user_id, id, patch, version).await?;
    Ok(([(header::ETAG, etag(expense.version))], Json(expense)).into_response())
}

/// Delete an expense (with `If-Match`, only if unchanged).
#[utoipa::path(delete, path = "/v1/expenses/{id}", tag = "expenses", security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Expense id"),
        IfMatch,
    ),
    responses(
        (status = 204, description = "Deleted"),
        NotSignedIn,
        (status = 404, description = "No such expense of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The expense changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`If-Match` is not an ETag such as \"3\"", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_expense(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, ExpenseError> {
    state.service.delete(caller.user_id, id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's categories, with how many expenses each has.
#[utoipa::path(get, path = "/v1/categories", tag = "categories", security(("bearer" = [])),
    responses(
        (status = 200, description = "Categories by name", body = CategoryList),
        NotSignedIn,
    ))]
async fn list_categories(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
) -> Result<Json<CategoryList>, ExpenseError> {
    let items = state.service.categories(caller.user_id).await?;
    Ok(Json(CategoryList { items }))
}

/// Rename a category (its expenses and budget move); refused if the new name is in use.
#[utoipa::path(post, path = "/v1/categories/{name}/rename", tag = "categories", security(("bearer" = [])), request_body = RenameCategory,
    params(("name" = String, Path, description = "Category name")),
    responses(
        (status = 200, description = "Renamed", body = CategoryChange),
        NotSignedIn,
        (status = 404, description = "No such category of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The new name is in use: merge instead", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid new name", body = Problem, content_type = "application/problem+json"),
    ))]
async fn rename_category(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(name): Path<String>,
    Json(request): Json<RenameCategory>,
) -> Result<Json<CategoryChange>, ExpenseError> {
    state
        .service
        .move_category(caller.user_id, &name, &request.name, false)
        .await
        .map(Json)
}

/// Merge a category into another: every expense moves; the target keeps its budget if it has one.
#[utoipa::path(post, path = "/v1/categories/{name}/merge", tag = "categories", security(("bearer" = [])), request_body = MergeCategory,
    params(("name" = String, Path, description = "Category name")),
    responses(
        (status = 200, description = "Merged", body = CategoryChange),
        NotSignedIn,
        (status = 404, description = "No such category of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid target", body = Problem, content_type = "application/problem+json"),
    ))]
async fn merge_category(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(name): Path<String>,
    Json(request): Json<MergeCategory>,
) -> Result<Json<CategoryChange>, ExpenseError> {
    state
        .service
        .move_category(caller.user_id, &name, &request.into, true)
        .await
        .map(Json)
}

/// Totals per category, month or day, per currency (different currencies are never added). With
/// `in`, also every group's total in that currency, each expense converted with the caller's rate
/// of its day (or the latest earlier one, through EUR when needed), summed exactly and rounded
/// once per total; the answer lists the rates used.
#[utoipa::path(get, path = "/v1/summary", tag = "summary", security(("bearer" = [])), params(SummaryQuery),
    responses(
        (status = 200, description = "The summary", body = Summary),
        NotSignedIn,
        (status = 422, description = "Bad grouping, period or currency, or (with `in`) a currency without a rate on or before a day of its expenses: `errors` names each such currency and its first day", body = Problem, content_type = "application/problem+json"),
    ))]
async fn summary(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Query(query): Query<SummaryQuery>,
) -> Result<Json<Summary>, ExpenseError> {
    state.service.summary(caller.user_id, &query).await.map(Json)
}

/// The caller's budgets, with spending in each one's current period.
#[utoipa::path(get, path = "/v1/budgets", tag = "budgets", security(("bearer" = [])),
    responses(
        (status = 200, description = "Budgets by category", body = BudgetList),
        NotSignedIn,
    ))]
async fn list_budgets(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
) -> Result<Json<BudgetList>, ExpenseError> {
    let items = state.service.budgets(caller.user_id).await?;
    Ok(Json(BudgetList { items }))
}

/// Set the budget of a category, or of all spending (`total`).
#[utoipa::path(put, path = "/v1/budgets/{category}", tag = "budgets", security(("bearer" = [])), request_body = BudgetInput,
    params(("category" = String, Path, description = "A category, or `total`")),
    responses(
        (status = 200, description = "Replaced", body = Budget),
        (status = 201, description = "Created", body = Budget),
        NotSignedIn,
        (status = 422, description = "Invalid budget", body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_budget(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(category): Path<String>,
    Json(input): Json<BudgetInput>,
) -> Result<Response, ExpenseError> {
    let (budget, created) = state.service.put_budget(caller.user_id, &category, input).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(budget)).into_response())
}

/// Remove a budget.
#[utoipa::path(delete, path = "/v1/budgets/{category}", tag = "budgets", security(("bearer" = [])),
    params(("category" = String, Path, description = "A category, or `total`")),
    responses(
        (status = 204, description = "Removed"),
        NotSignedIn,
        (status = 404, description = "No such budget of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_budget(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(category): Path<String>,
) -> Result<StatusCode, ExpenseError> {
    state.service.delete_budget(caller.user_id, &category).await?;
    Ok(StatusCode::NO_CONTENT)
}
