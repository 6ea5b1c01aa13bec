//! Wire types of recurring expenses (`/v1/recurring`): a schedule that records an ordinary
//! expense on each of its days.
//!
//! A schedule repeats every `day`, `week`, `month` or `year`. `on` picks the day: the ISO weekday
//! for `week` (1 = Monday … 7 = Sunday), the day of the month (1 to 31) for `month` and `year`
//! (a `year` schedule keeps the month of `from`); `day` takes no `on`. A day of the month that a
//! month lacks (the 31st in April, the 30th in February) falls on that month's last day. The rules
//! are in `docs/recurring.md`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::expenses::DecimalString;

/// The periods a schedule can repeat with, as the API spells them.
pub const EVERY: [&str; 4] = ["day", "week", "month", "year"];

/// `POST /v1/recurring`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRecurring {
    /// Decimal string; at most as many decimals as the currency has. Negative for a refund.
    pub amount: DecimalString,
    /// ISO 4217 code, such as `EUR`.
    #[schema(pattern = "^[A-Z]{3}$", example = "EUR")]
    pub currency: String,
    /// 1 to 64 characters; stored trimmed and lower-cased.
    #[schema(min_length = 1, example = "rent")]
    pub category: String,
    /// Up to 1,000 characters, copied onto every expense.
    #[serde(default)]
    pub note: Option<String>,
    /// Up to 200 characters, copied onto every expense.
    #[serde(default)]
    pub merchant: Option<String>,
    /// Up to 20 tags, copied onto every expense.
    #[serde(default)]
    pub tags: Vec<String>,
    /// `day`, `week`, `month` or `year`.
    #[schema(pattern = "^(day|week|month|year)$", example = "month")]
    pub every: String,
    /// For `week`, the ISO weekday (1 = Monday … 7 = Sunday); for `month` and `year`, the day of
    /// the month (1 to 31; a month without that day uses its last day). Default: the weekday or
    /// day of `from`. Not allowed for `day`.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 31, example = 1)]
    pub on: Option<u8>,
    /// First day the schedule may fall on, `YYYY-MM-DD` (default: today, by the service's clock).
    /// Occurrences between `from` and today are recorded at once.
    #[serde(default)]
    #[schema(format = Date, example = "2026-12-01")]
    pub from: Option<String>,
    /// Last day the schedule may fall on (inclusive), `YYYY-MM-DD`; none: no end.
    #[serde(default)]
    #[schema(format = Date)]
    pub until: Option<String>,
}

/// A recurring schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Recurring {
    pub id: Uuid,
    /// Decimal string with exactly the currency's decimals.
    #[schema(example = "950.00")]
    pub amount: String,
    pub currency: String,
    pub category: String,
    pub note: Option<String>,
    pub merchant: Option<String>,
    pub tags: Vec<String>,
    /// `day`, `week`, `month` or `year`.
    pub every: String,
    /// The weekday (`week`, 1 = Monday) or day of the month (`month`, `year`); null for `day`.
    pub on: Option<u8>,
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub until: Option<String>,
    /// A paused schedule records nothing; resuming does not record the days it was paused.
    pub paused: bool,
    /// The next day an expense will be recorded on; null when the schedule has ended (or is
    /// paused).
    #[schema(format = Date)]
    pub next_on: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

/// `GET /v1/recurring`: every schedule of the caller, oldest first (a user has at most
/// [`MAX_SCHEDULES`], so one answer holds them all).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecurringList {
    pub items: Vec<Recurring>,
}

/// Most schedules one user may have.
pub const MAX_SCHEDULES: usize = 200;
