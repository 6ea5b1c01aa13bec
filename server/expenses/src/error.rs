//! The expenses service's errors and, in one place, what each looks like on the wire.

use axum::response::{IntoResponse, Response};
use expense_api::{FieldError, ProblemType};
use expense_kit::ProblemResponse;
use time::Date;

use crate::domain::format_date;
use crate::repository::RepoError;

/// Everything an expenses operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ExpenseError {
    /// 422: the listed fields are not acceptable.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// 404: nothing of this kind with that id for this caller (whether or not it exists for
    /// someone else).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 412: `If-Match` named another version, or the expense changed while we worked.
    #[error("version mismatch")]
    VersionMismatch { current: i64 },
    /// 422: the idempotency key was used for a different request.
    #[error("idempotency key reused")]
    KeyReused,
    /// 409: a rename onto a category that is in use.
    #[error("category in use")]
    CategoryInUse(String),
    /// 409: the caller has as many recurring schedules as there may be.
    #[error("too many recurring schedules")]
    TooManySchedules(usize),
    /// 409: the caller has as many categorisation rules as there may be.
    #[error("too many rules")]
    TooManyRules(usize),
    /// 422: a summary in one currency needs rates the caller has not recorded; one entry per
    /// currency, naming its first day without a rate.
    #[error("missing exchange rates")]
    MissingRates {
        target: String,
        missing: Vec<MissingRate>,
    },
    /// 422: an imported rates file is not in the expected format; the errors name its lines.
    #[error("rates file refused")]
    RatesFileRefused(Vec<FieldError>),
    #[error(transparent)]
    Store(#[from] RepoError),
}

/// Expenses in `currency` that no recorded rate converts: on `days` days, the first `first_day`.
/// One rate dated `first_day` or earlier converts them all (a day uses the latest rate on or
/// before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingRate {
    pub currency: String,
    pub first_day: Date,
    pub days: usize,
}

impl ExpenseError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }
}

impl From<ExpenseError> for ProblemResponse {
    fn from(error: ExpenseError) -> Self {
        match error {
            ExpenseError::Validation(errors) => ProblemResponse::validation(errors),
            ExpenseError::NotFound(what) => ProblemResponse::not_found(what),
            ExpenseError::VersionMismatch { current } => ProblemResponse::new(
                ProblemType::PreconditionFailed,
                format!(
                    "The expense changed since you read it (it is now version {current}); fetch it again and retry."
                ),
            ),
            ExpenseError::KeyReused => ProblemResponse::invalid_field(
                "Idempotency-Key",
                "was already used for a different request; use a new key for a new request",
            ),
            ExpenseError::CategoryInUse(name) => ProblemResponse::new(
                ProblemType::Conflict,
                format!("Category {name:?} is already in use; merge into it instead of renaming."),
            ),
            ExpenseError::TooManySchedules(max) => ProblemResponse::new(
                ProblemType::Conflict,
                format!("You have {max} recurring schedules, the most there can be; delete one first."),
            ),
            ExpenseError::TooManyRules(max) => ProblemResponse::new(
                ProblemType::Conflict,
                format!(
                    "You have {max} categorisation rules, the most there can be; remove one first (`expense rules rm ID`)."
                ),
            ),
            ExpenseError::MissingRates { target, missing } => {
                let errors: Vec<FieldError> = missing
                    .iter()
                    .map(|gap| {
                        let day = format_date(gap.first_day);
                        let days = match gap.days {
                            1 => String::new(),
                            n => format!(", the first of {n} days with {} expenses and no rate", gap.currency),
                        };
                        FieldError::new(
                            "in",
                            format!(
                                "no rate converts {currency} into {target} on or before {day}{days}; record one dated {day} or earlier: `expense rates set {currency} {target} RATE --date {day}`",
                                currency = gap.currency,
                            ),
                        )
                    })
                    .collect();
                let first = &missing[0];
                let mut problem = ProblemResponse::validation(errors);
                problem.problem.detail = format!(
                    "Cannot total in {target}: there are {} expenses on {} and no rate from {} into {target} on or before that day{}. No expense is left out or converted with a guess: record the rates (`expense rates set`, PUT /v1/rates/{{from}}/{{to}}/{{day}}) or import the ECB's reference rates (`expense rates import eurofxref-hist.csv`), then ask again.",
                    first.currency,
                    format_date(first.first_day),
                    first.currency,
                    match missing.len() {
                        1 => String::new(),
                        2 => " (and 1 more currency, listed in `errors`)".to_owned(),
                        n => format!(" (and {} more currencies, listed in `errors`)", n - 1),
                    },
                );
                if target != "EUR" {
                    problem.problem.detail.push_str(&format!(
                        " Rates to and from EUR serve too: a currency goes through EUR into {target} (so one EUR→{target} rate may be all that is missing)."
                    ));
                }
                problem
            }
            ExpenseError::RatesFileRefused(errors) => {
                let lines = errors.len();
                let mut problem = ProblemResponse::validation(errors);
                problem.problem.detail = format!(
                    "The file is not the ECB's reference-rate CSV as expected ({lines} {} in `errors`, by line), so no rate was recorded; fix the lines and import the whole file again.",
                    if lines == 1 { "problem" } else { "problems" }
                );
                problem
            }
            ExpenseError::Store(RepoError::Sqlite(error)) if expense_kit::db::is_sqlite_busy(&error) => {
                tracing::warn!(error = %error, "expense storage busy");
                ProblemResponse::retry_after(
                    ProblemType::Unavailable,
                    "The expense store is busy; retry shortly.",
                    1,
                )
            }
            ExpenseError::Store(RepoError::Database(error)) if expense_kit::db::is_unavailable(&error) => {
                tracing::warn!(error = %error, "expense storage unavailable");
                ProblemResponse::retry_after(
                    ProblemType::Unavailable,
                    "The expense store is not answering; retry shortly.",
                    2,
                )
            }
            ExpenseError::Store(error) => {
                tracing::error!(error = %error, "expense storage failed");
                ProblemResponse::internal()
            }
        }
    }
}

impl IntoResponse for ExpenseError {
    fn into_response(self) -> Response {
        ProblemResponse::from(self).into_response()
    }
}
