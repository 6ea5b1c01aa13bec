//! Wire types of the expenses service: expenses, categories, summaries, budgets.
//!
//! Amounts travel as decimal strings with a currency (`{"amount": "12.50", "currency": "EUR"}`);
//! a JSON number for an amount is refused, because JSON numbers are floats to most clients.
//! Dates are `YYYY-MM-DD` strings, validated by the service so that every bad field of a request
//! is reported at once.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// A decimal amount as a JSON string, such as `"12.50"` or `"-3"` (a refund).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(value_type = String, example = "12.50", pattern = r"^-?[0-9]+(\.[0-9]+)?$")]
pub struct DecimalString(pub String);

impl<'de> Deserialize<'de> for DecimalString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DecimalVisitor;
        impl Visitor<'_> for DecimalVisitor {
            type Value = DecimalString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal string such as \"12.50\"")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(DecimalString(value.to_owned()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Err(E::custom(
                    "must be a decimal string such as \"12.50\", not a JSON number",
                ))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Err(E::custom(
                    "must be a decimal string such as \"12.50\", not a JSON number",
                ))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Err(E::custom(
                    "must be a decimal string such as \"12.50\", not a JSON number",
                ))
            }
        }
        deserializer.deserialize_any(DecimalVisitor)
    }
}

/// `POST /v1/expenses` and each item of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExpense {
    /// Decimal string; at most as many decimals as the currency has. Negative for a refund.
    pub amount: DecimalString,
    /// ISO 4217 code, such as `EUR`.
    #[schema(pattern = "^[A-Z]{3}$", example = "EUR")]
    pub currency: String,
    /// 1 to 64 characters; stored trimmed and lower-cased. Leave it out to have the first of
    /// your categorisation rules that matches give it (`/v1/rules`); when none matches, the
    /// expense is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, example = "groceries")]
    pub category: Option<String>,
    /// Up to 1,000 characters.
    #[serde(default)]
    pub note: Option<String>,
    /// Up to 200 characters.
    #[serde(default)]
    pub merchant: Option<String>,
    /// The day of the expense, `YYYY-MM-DD`.
    #[schema(format = Date, example = "2026-11-02")]
    pub spent_on: String,
    /// Up to 20 tags of 1 to 32 characters; stored lower-cased, without duplicates.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// `PATCH /v1/expenses/{id}`: only the fields present change; `null` clears `note` or `merchant`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpensePatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<DecimalString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1)]
    pub category: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub note: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub merchant: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub spent_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

/// Tells a field given as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// An expense.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Expense {
    pub id: Uuid,
    /// Decimal string with exactly the currency's decimals.
    #[schema(example = "12.50")]
    pub amount: String,
    pub currency: String,
    pub category: String,
    pub note: Option<String>,
    pub merchant: Option<String>,
    #[schema(format = Date, example = "2026-11-02")]
    pub spent_on: String,
    pub tags: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
    /// Increases with every change; send it back as `If-Match` to avoid lost updates.
    pub version: i64,
    /// The recurring schedule that made this expense (see `/v1/recurring`); absent for an
    /// expense recorded by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_id: Option<Uuid>,
}

/// `POST /v1/expenses/batch`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// 1 to 1,000 expenses, stored all or none.
    pub items: Vec<NewExpense>,
}

/// Answer to a batch: the stored expenses, in request order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BatchResponse {
    pub items: Vec<Expense>,
}

/// A category with how many expenses use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Category {
    pub name: String,
    pub count: i64,
}

/// `GET /v1/categories`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<Category>,
}

/// `POST /v1/categories/{name}/rename`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameCategory {
    /// The new name; must not be in use (merge into it instead).
    pub name: String,
}

/// `POST /v1/categories/{name}/merge`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeCategory {
    /// The category that receives every expense of `{name}`.
    pub into: String,
}

/// Answer to rename and merge.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CategoryChange {
    pub from: String,
    pub to: String,
    /// How many expenses moved.
    pub moved: i64,
}

/// A total in one currency. Different currencies are never added together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CurrencyTotal {
    pub currency: String,
    #[schema(example = "120.50")]
    pub amount: String,
    pub count: i64,
}

/// One group of a summary: a category, a month (`2026-11`) or a day (`2026-11-02`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SummaryGroup {
    pub key: String,
    pub totals: Vec<CurrencyTotal>,
    pub count: i64,
    /// With `in`: the group's total in that currency, its exact sum rounded once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "120.50")]
    pub converted: Option<String>,
}

/// `GET /v1/summary`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Summary {
    pub group_by: String,
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    pub groups: Vec<SummaryGroup>,
    /// Totals of the whole period, per currency.
    pub totals: Vec<CurrencyTotal>,
    pub count: i64,
    /// With `in`: the totals in that currency and the rates used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion: Option<crate::rates::Conversion>,
}

/// `PUT /v1/budgets/{category}` (`total` for all categories).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetInput {
    /// Positive decimal string.
    pub amount: DecimalString,
    #[schema(pattern = "^[A-Z]{3}$", example = "EUR")]
    pub currency: String,
    /// Only `monthly` for now.
    #[serde(default = "monthly")]
    #[schema(pattern = "^monthly$", default = "monthly")]
    pub period: String,
    /// The day each period starts on, 1 to 28 (a payday). Default 1.
    #[serde(default = "first_day")]
    #[schema(minimum = 1, maximum = 28, default = 1)]
    pub starts_on_day: u8,
    /// Count expenses in other currencies too, converted into the budget's currency with the
    /// rate of their day (as `GET /v1/summary?in=` does; docs/money.md). Default `false`: only
    /// expenses in the budget's currency count.
    #[serde(default)]
    pub convert: bool,
}

fn monthly() -> String {
    "monthly".to_owned()
}

fn first_day() -> u8 {
    1
}

/// A budget and how much of its current period is spent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Budget {
    /// A category, or `total` for all spending.
    pub category: String,
    pub amount: String,
    pub currency: String,
    pub period: String,
    pub starts_on_day: u8,
    /// First day of the current period.
    #[schema(format = Date)]
    pub period_start: String,
    /// Last day of the current period.
    #[schema(format = Date)]
    pub period_end: String,
    /// Whether expenses in other currencies count, converted into the budget's currency.
    pub convert: bool,
    /// Spent in the budget's currency in the current period (refunds subtract); with `convert`,
    /// also the other currencies' expenses converted with their day's rate, summed exactly and
    /// rounded once.
    pub spent: String,
    /// `amount - spent`; negative when over budget.
    pub remaining: String,
    /// Whole percent of the budget spent (may exceed 100).
    pub percent_used: i64,
    /// Expenses of the period that are not counted: in other currencies (without `convert`), or
    /// without a rate that converts them (with `convert`; see `missing_rates`).
    pub other_currency_count: i64,
    /// With `convert`: the rates that would count the expenses left out, by currency and first
    /// day (empty when every expense is counted).
    pub missing_rates: Vec<MissingRate>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

/// Expenses in `currency` from `first_day` on (on `days` different days) that no stored rate
/// converts: one rate dated `first_day` or earlier would convert them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MissingRate {
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(format = Date)]
    pub first_day: String,
    pub days: u64,
}

/// `GET /v1/budgets`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BudgetList {
    pub items: Vec<Budget>,
}

/// The category name that means "all spending" in budgets.
pub const TOTAL_BUDGET: &str = "total";

/// The raw query parameters of the expense list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only these categories (repeat the parameter for several).
    #[serde(default)]
    pub category: Vec<String>,
    /// From this day (inclusive), `YYYY-MM-DD`.
    #[param(format = Date)]
    pub from: Option<String>,
    /// Up to this day (inclusive), `YYYY-MM-DD`.
    #[param(format = Date)]
    pub to: Option<String>,
    /// At least this amount (decimal, in each expense's own currency).
    pub min: Option<String>,
    /// At most this amount.
    pub max: Option<String>,
    /// Only this currency.
    #[param(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    /// Only expenses with this tag.
    pub tag: Option<String>,
    /// Text to find in the note or merchant, case-insensitively.
    pub q: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The raw query parameters of the summary.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// `category` (default), `month` or `day`.
    #[param(pattern = "^(category|month|day)$")]
    pub group_by: Option<String>,
    /// First day (default: the first of the current month, UTC).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Last day (default: the last of the current month, UTC).
    #[param(format = Date)]
    pub to: Option<String>,
    /// Also total every group in this currency, converting each expense with the rate of its
    /// day (or the latest earlier one); 422 naming the currency and day when a rate is missing.
    #[serde(rename = "in")]
    #[param(rename = "in", pattern = "^[A-Z]{3}$")]
    pub in_currency: Option<String>,
}
