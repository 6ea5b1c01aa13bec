//! Exchange rates, per user, and totals converted into one currency with them.
//!
//! Reading order: `expense_api::conversion` (an exact rate: integer mantissa and decimals, never
//! a float; which stored rate converts a day's expenses; exact sums rounded once: shared with the
//! notifications service, which alerts on budgets in a home currency), [`ecb`] (the European
//! Central Bank's reference-rate CSV, read whole or refused with the lines that are wrong), this
//! module's [`RateRepository`] (storage, with [`postgres`] and
//! [`sqlite`] beside the expense stores), [`service`] (the rules: record, list, delete, import,
//! convert a summary), [`http`] (thin handlers under `/v1/rates`).
//!
//! A rate is what one unit of `from` was worth in `to` on one day; a user has at most one per
//! pair and day, and recording another replaces it. Rates never change an expense: a summary
//! asked for `in=EUR` converts its totals when asked, with the rates stored then. The rules are in
//! `docs/money.md`, "Totals in one currency".

pub mod ecb;
pub mod http;
pub mod postgres;
pub mod service;
pub mod sqlite;

use async_trait::async_trait;
use expense_api::money::Currency;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::format_date;
use crate::repository::{OutboxEvent, RepoError};
use expense_api::conversion::{Rate, StoredRate};

/// A stored rate: one `from` was worth `rate` `to` on `on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateRecord {
    pub user_id: Uuid,
    pub from: Currency,
    pub to: Currency,
    pub on: Date,
    pub rate: Rate,
    /// When it was recorded (by the service's clock).
    pub recorded_at: OffsetDateTime,
}

impl RateRecord {
    /// What a conversion needs of it.
    pub fn stored(&self) -> StoredRate {
        StoredRate {
            from: self.from,
            to: self.to,
            on: self.on,
            rate: self.rate,
        }
    }

    /// The wire form.
    pub fn to_api(&self) -> expense_api::rates::Rate {
        expense_api::rates::Rate {
            from: self.from.code().to_owned(),
            to: self.to.code().to_owned(),
            on: format_date(self.on),
            rate: self.rate.to_string(),
        }
    }
}

/// Filters of the rate list, already validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateFilter {
    /// Rates with this currency on either side.
    pub currency: Option<Currency>,
    /// Days from (inclusive).
    pub from: Option<Date>,
    /// Days up to (inclusive).
    pub to: Option<Date>,
}

/// The keyset position after which the next page of rates starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateCursor {
    pub on: Date,
    pub from: Currency,
    pub to: Currency,
}

/// Rates. Every read and write is scoped to one user.
#[async_trait]
pub trait RateRepository: Send + Sync {
    /// Records `rates` of `user_id` (no two of the same pair and day) and `events` in one
    /// transaction, each rate replacing the rate of its pair and day if there was one; answers
    /// how many replaced one.
    async fn put_rates(
        &self,
        user_id: Uuid,
        rates: &[RateRecord],
        events: &[OutboxEvent],
    ) -> Result<u64, RepoError>;
    /// Deletes the rate of a pair and day, with `event`; `false` (and no event) if there was none.
    async fn delete_rate(
        &self,
        user_id: Uuid,
        from: Currency,
        to: Currency,
        on: Date,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError>;
    /// Newest day first, then by `from` and `to` code; after `after`, at most `limit`.
    async fn list_rates(
        &self,
        user_id: Uuid,
        filter: &RateFilter,
        after: Option<RateCursor>,
        limit: u32,
    ) -> Result<Vec<RateRecord>, RepoError>;
    /// Every rate between two of `currencies` dated `from` to `to` (inclusive) and, for each such
    /// pair, the latest dated before `from`: every rate a conversion of that period may use.
    async fn rates_for_period(
        &self,
        user_id: Uuid,
        currencies: &[Currency],
        from: Date,
        to: Date,
    ) -> Result<Vec<RateRecord>, RepoError>;
}

/// Rebuilds a rate read from a row, refusing what could not have been written.
pub(crate) fn stored_rate(
    user_id: Uuid,
    (from, to): (&str, &str),
    on: Date,
    (mantissa, scale): (i64, i64),
    recorded_at: OffsetDateTime,
) -> Result<RateRecord, RepoError> {
    let currency = |code: &str| code.trim().parse::<Currency>().map_err(RepoError::Corrupt);
    let scale = u8::try_from(scale).map_err(|e| RepoError::Corrupt(e.to_string()))?;
    Ok(RateRecord {
        user_id,
        from: currency(from)?,
        to: currency(to)?,
        on,
        rate: Rate::from_parts(mantissa, scale).map_err(RepoError::Corrupt)?,
        recorded_at,
    })
}
