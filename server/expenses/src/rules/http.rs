//! Routes of categorisation rules under `/v1/rules`, merged into the expenses service's routes.
//! Handlers only extract, call the service and map the result.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use expense_api::Problem;
use expense_api::rules::{ApplyRules, NewRule, Rule, RuleList, RuleMatch, RuleTest, RulesApplied};
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
        .routes(routes!(create_rule, list_rules))
        .routes(routes!(delete_rule))
        .routes(routes!(test_rules))
        .routes(routes!(apply_rules))
}

/// Add a rule that gives expenses recorded without a category a category (and tags): at
/// `position` (1 is tried first; the rules from there on move one down), or last. It matches an
/// expense when `merchant` is found in its merchant (ignoring case), `note_matches` finds a match
/// in its note (a regular expression, ignoring case) and its amount lies within the bounds; every
/// condition it has must hold.
#[utoipa::path(post, path = "/v1/rules", tag = "rules", security(("bearer" = [])), request_body = NewRule,
    responses(
        (status = 201, description = "Added", body = Rule),
        NotSignedIn,
        (status = 409, description = "The caller has 200 rules already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named: neither `merchant` nor `note_matches`, a `note_matches` that is no regular expression or too costly to match, bounds out of order, a bad category or tag", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_rule(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Json(input): Json<NewRule>,
) -> Result<Response, ExpenseError> {
    let created = state.service.add_rule(caller.user_id, &input).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// The caller's rules, in the order they are tried.
#[utoipa::path(get, path = "/v1/rules", tag = "rules", security(("bearer" = [])),
    responses(
        (status = 200, description = "Every rule of the caller, by position", body = RuleList),
        NotSignedIn,
    ))]
async fn list_rules(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
) -> Result<Json<RuleList>, ExpenseError> {
    state.service.list_rules(caller.user_id).await.map(Json)
}

/// Remove a rule; the rules after it move up one. Expenses it categorised stay as they are.
#[utoipa::path(delete, path = "/v1/rules/{id}", tag = "rules", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The rule's id")),
    responses(
        (status = 204, description = "Removed"),
        NotSignedIn,
        (status = 404, description = "No such rule of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_rule(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ExpenseError> {
    state.service.delete_rule(caller.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which rule an expense with this merchant, note and amount would get, and what it would set.
/// Records nothing.
#[utoipa::path(post, path = "/v1/rules/test", tag = "rules", security(("bearer" = [])), request_body = RuleTest,
    responses(
        (status = 200, description = "The first rule that matches, or `matched: false`", body = RuleMatch),
        NotSignedIn,
        (status = 422, description = "An amount that is not a decimal", body = Problem, content_type = "application/problem+json"),
    ))]
async fn test_rules(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Json(input): Json<RuleTest>,
) -> Result<Json<RuleMatch>, ExpenseError> {
    state.service.test_rules(caller.user_id, &input).await.map(Json)
}

/// Give existing expenses (all, or those in `category`) the category and tags of the first rule
/// that matches each. Each change is an edit: a new version and an `expense.updated` event. With
/// `dry_run`, only the report of what would change.
#[utoipa::path(post, path = "/v1/rules/apply", tag = "rules", security(("bearer" = [])), request_body = ApplyRules,
    responses(
        (status = 200, description = "What changed (or would change)", body = RulesApplied),
        NotSignedIn,
        (status = 422, description = "An invalid category", body = Problem, content_type = "application/problem+json"),
    ))]
async fn apply_rules(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Json(input): Json<ApplyRules>,
) -> Result<Json<RulesApplied>, ExpenseError> {
    state.service.apply_rules(caller.user_id, &input).await.map(Json)
}
