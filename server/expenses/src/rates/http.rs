//! Routes of exchange rates under `/v1/rates`, merged into the expenses service's routes.
//! Handlers only extract, call the service and map the result.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use expense_api::rates::{EcbImport, Rate, RateInput};
use expense_api::{Page, Problem};
use expense_kit::Json;
use expense_kit::auth::CurrentUser;
use expense_kit::error_docs::NotSignedIn;
use expense_kit::extract::{Path, Query};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ExpenseError;
use crate::http::ExpensesState;
use expense_api::rates::RateQuery;

/// The largest ECB file accepted: the whole history since 1999 is about 2 MiB and grows by
/// about 300 bytes a business day, which the service's usual body limit (1 MiB) is too small for.
pub const ECB_FILE_LIMIT_BYTES: usize = 16 * 1024 * 1024;

/// The routes, with their OpenAPI description.
pub fn routes() -> OpenApiRouter<ExpensesState> {
    OpenApiRouter::new()
        .routes(routes!(list_rates))
        .routes(routes!(put_rate, delete_rate))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_ecb))
                .layer(DefaultBodyLimit::max(ECB_FILE_LIMIT_BYTES)),
        )
}

/// The caller's rates, newest day first (then by `from` and `to`), one page at a time.
#[utoipa::path(get, path = "/v1/rates", tag = "rates", security(("bearer" = [])), params(RateQuery),
    responses(
        (status = 200, description = "One page", body = Page<Rate>),
        NotSignedIn,
        (status = 422, description = "A bad filter, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_rates(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Query(query): Query<RateQuery>,
) -> Result<Json<Page<Rate>>, ExpenseError> {
    state.service.list_rates(caller.user_id, &query).await.map(Json)
}

/// Record what one `from` was worth in `to` on a day, replacing the rate of that pair and day.
/// A summary `in` either currency uses it both ways.
#[utoipa::path(put, path = "/v1/rates/{from}/{to}/{on}", tag = "rates", security(("bearer" = [])), request_body = RateInput,
    params(
        ("from" = String, Path, description = "The currency one unit of which is priced, such as `USD`"),
        ("to" = String, Path, description = "The currency of the price, such as `EUR`"),
        ("on" = String, Path, description = "The day, `YYYY-MM-DD`"),
    ),
    responses(
        (status = 200, description = "Replaced the rate of that pair and day", body = Rate),
        (status = 201, description = "Recorded", body = Rate),
        NotSignedIn,
        (status = 422, description = "A currency, day or rate that is not valid, or the same currency twice", body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_rate(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path((from, to, on)): Path<(String, String, String)>,
    Json(input): Json<RateInput>,
) -> Result<Response, ExpenseError> {
    let (rate, created) = state
        .service
        .put_rate(caller.user_id, (&from, &to, &on), &input)
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(rate)).into_response())
}

/// Remove the rate of a pair and day.
#[utoipa::path(delete, path = "/v1/rates/{from}/{to}/{on}", tag = "rates", security(("bearer" = [])),
    params(
        ("from" = String, Path, description = "As recorded, such as `USD`"),
        ("to" = String, Path, description = "As recorded, such as `EUR`"),
        ("on" = String, Path, description = "The day, `YYYY-MM-DD`"),
    ),
    responses(
        (status = 204, description = "Removed"),
        NotSignedIn,
        (status = 404, description = "The caller has no rate of that pair and day", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_rate(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    Path((from, to, on)): Path<(String, String, String)>,
) -> Result<StatusCode, ExpenseError> {
    state
        .service
        .delete_rate(caller.user_id, (&from, &to, &on))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Import the European Central Bank's reference rates: the CSV file `eurofxref-hist.csv` (or the
/// one-day `eurofxref.csv`) as published, up to 16 MiB. Every rate is recorded as from EUR,
/// replacing rates of the same pair and day; `N/A` cells are days without a rate. A file with a
/// wrong line records nothing, and the answer names every such line.
#[utoipa::path(post, path = "/v1/rates/ecb", tag = "rates", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv", description = "The ECB's CSV file, as published"),
    responses(
        (status = 200, description = "Recorded", body = EcbImport),
        NotSignedIn,
        (status = 413, description = "Larger than 16 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not the ECB's format: `errors` names each wrong line (`line 3`); nothing recorded", body = Problem, content_type = "application/problem+json"),
    ))]
async fn import_ecb(
    State(state): State<ExpensesState>,
    CurrentUser(caller): CurrentUser,
    file: Bytes,
) -> Result<Json<EcbImport>, ExpenseError> {
    state.service.import_ecb(caller.user_id, &file).await.map(Json)
}
