//! Wire types of exchange rates (`/v1/rates`) and of the conversions a summary makes with them
//! (`GET /v1/summary?in=EUR`).
//!
//! A rate says what one unit of `from` was worth in `to` on one day: `{"from": "USD", "to":
//! "EUR", "on": "2026-03-02", "rate": "0.9245"}`. Rates are exact decimal strings, never JSON
//! numbers, and belong to the user who recorded them. The conversion rules (which rate a day
//! uses, cross rates through EUR, the one rounding) are in `docs/money.md`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::expenses::DecimalString;

/// Most decimals a rate may have.
pub const MAX_RATE_DECIMALS: u8 = 12;

/// A recorded rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rate {
    /// The currency one unit of which the rate prices.
    #[schema(example = "USD")]
    pub from: String,
    /// The currency the rate is in.
    #[schema(example = "EUR")]
    pub to: String,
    /// The day the rate is for, `YYYY-MM-DD`.
    #[schema(format = Date, example = "2026-03-02")]
    pub on: String,
    /// What one `from` was worth in `to` that day, as written when it was recorded.
    #[schema(example = "0.9245")]
    pub rate: String,
}

/// `PUT /v1/rates/{from}/{to}/{on}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateInput {
    /// A positive decimal string with at most 12 decimals, such as `"0.9245"`.
    pub rate: DecimalString,
}

/// What `POST /v1/rates/ecb` recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EcbImport {
    /// Rates recorded (new or replacing one of the same pair and day).
    pub recorded: u64,
    /// Of those, how many replaced a rate recorded before.
    pub replaced: u64,
    /// Days of the file with at least one rate.
    pub days: u64,
    /// The first and last of those days, `YYYY-MM-DD` (none for a file without rates).
    #[schema(format = Date)]
    pub first_day: Option<String>,
    #[schema(format = Date)]
    pub last_day: Option<String>,
    /// The currencies whose rates against EUR were recorded, alphabetically.
    pub currencies: Vec<String>,
    /// Columns not recorded, because their code is no currency this tracker records amounts in
    /// (such as the Cypriot pound, replaced by the euro in 2008).
    pub skipped_columns: Vec<String>,
}

/// How one currency's expenses of one day were converted: the stored rates used, in order.
/// One leg is a direct rate; two legs go through EUR (a cross rate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AppliedRate {
    /// The expenses' currency.
    #[schema(example = "USD")]
    pub currency: String,
    /// The expenses' day.
    #[schema(format = Date)]
    pub spent_on: String,
    pub legs: Vec<RateLeg>,
}

/// One stored rate used in a conversion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RateLeg {
    /// The rate as it is stored: one `from` is worth `rate` `to` on `on`.
    pub from: String,
    pub to: String,
    /// The rate's day: the expenses' day, or the latest earlier day with a rate.
    #[schema(format = Date)]
    pub on: String,
    pub rate: String,
    /// Whether the conversion went from `to` to `from`, dividing by the rate.
    pub inverted: bool,
}

/// The part of a summary in one currency (`GET /v1/summary?in=…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Conversion {
    /// The currency every amount was converted into.
    #[schema(example = "EUR")]
    pub currency: String,
    /// The period's total in it: the exact sum of every converted expense, rounded once, half
    /// away from zero, to the currency's minor unit (so it may differ from the sum of the
    /// rounded group totals by a minor unit or two).
    #[schema(example = "1234.56")]
    pub total: String,
    /// Every rate used, by currency and day.
    pub rates: Vec<AppliedRate>,
}

/// The raw query parameters of the rate list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RateQuery {
    /// Only rates with this currency on either side.
    #[param(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    /// From this day (inclusive), `YYYY-MM-DD`.
    #[param(format = Date)]
    pub from: Option<String>,
    /// Up to this day (inclusive), `YYYY-MM-DD`.
    #[param(format = Date)]
    pub to: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
