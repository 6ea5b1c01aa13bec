//! The rules of exchange rates, as methods of [`ExpenseService`]: record one, delete one, list
//! them, import the ECB's file, and convert a summary's totals into one currency.
//!
//! A conversion either converts every expense of the period or answers which rates are missing:
//! it never guesses a rate, uses one from after an expense's day, or leaves an expense out.

use std::collections::{BTreeMap, HashMap};

use expense_api::Page;
use expense_api::money::Currency;
use expense_api::rates::{Conversion, EcbImport, RateInput, RateQuery};
use num_bigint::BigInt;
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::{RateCursor, RateFilter, RateRecord, ecb};
use crate::domain::{Errors, format_date, parse_currency, parse_date};
use crate::error::{ExpenseError, MissingRate};
use crate::events;
use crate::repository::{DaySummaryRow, RepoError};
use crate::service::ExpenseService;
use expense_api::conversion::Rate;
use expense_api::conversion::{self, ExactSum, Path, RateBook};

/// Default page size of the rate list.
pub const DEFAULT_RATE_PAGE: u32 = 50;

#[derive(Serialize, Deserialize)]
struct RateCursorKey(String, String, String);

/// A summary's totals in one currency: each group's (by key, in the rows' order) and the whole
/// period's, with the rates used.
pub(crate) struct ConvertedTotals {
    pub groups: Vec<(String, String)>,
    pub conversion: Conversion,
    /// The period's total in minor units of the target.
    pub total_minor: BigInt,
    /// The currencies and days no stored rate converts (only [`ExpenseService::convert_what_can_be`]
    /// answers any).
    pub missing: Vec<MissingRate>,
    /// How many expenses those are.
    pub unconverted: i64,
}

impl ExpenseService {
    /// Records what one `from` was worth in `to` on `on`, replacing the rate of that pair and
    /// day; `true` when there was none.
    pub async fn put_rate(
        &self,
        user_id: Uuid,
        (from, to, on): (&str, &str, &str),
        input: &RateInput,
    ) -> Result<(expense_api::rates::Rate, bool), ExpenseError> {
        let mut errors = Errors::new("");
        let from = errors.check("from", parse_currency(from));
        let to = errors.check("to", parse_currency(to));
        let on = errors.check("on", parse_date(on));
        let rate = errors.check("rate", Rate::parse(&input.rate.0));
        if from.is_some() && from == to {
            errors.add("to", "must differ from `from`: a currency is always worth itself");
        }
        let (Some(from), Some(to), Some(on), Some(rate)) = (from, to, on, rate) else {
            return Err(ExpenseError::Validation(errors.list));
        };
        if !errors.list.is_empty() {
            return Err(ExpenseError::Validation(errors.list));
        }
        let record = RateRecord {
            user_id,
            from,
            to,
            on,
            rate,
            recorded_at: self.clock().now(),
        };
        let records = std::slice::from_ref(&record);
        let replaced = self
            .store()
            .put_rates(
                user_id,
                records,
                &events::rates_recorded(user_id, records, record.recorded_at),
            )
            .await?;
        self.wake_outbox();
        Ok((record.to_api(), replaced == 0))
    }

    /// Deletes the rate of a pair and day.
    pub async fn delete_rate(
        &self,
        user_id: Uuid,
        (from, to, on): (&str, &str, &str),
    ) -> Result<(), ExpenseError> {
        let not_found = |_| ExpenseError::NotFound("rate");
        let from = parse_currency(from).map_err(not_found)?;
        let to = parse_currency(to).map_err(not_found)?;
        let on = parse_date(on).map_err(not_found)?;
        let event = events::rate_deleted(user_id, (from, to, on), self.clock().now());
        if !self.store().delete_rate(user_id, from, to, on, &event).await? {
            return Err(ExpenseError::NotFound("rate"));
        }
        self.wake_outbox();
        Ok(())
    }

    /// One page of the caller's rates, newest day first.
    pub async fn list_rates(
        &self,
        user_id: Uuid,
        query: &RateQuery,
    ) -> Result<Page<expense_api::rates::Rate>, ExpenseError> {
        let (filter, after, limit) = parse_rate_query(query)?;
        let mut records = self
            .store()
            .list_rates(user_id, &filter, after, limit + 1)
            .await?;
        let more = records.len() > limit as usize;
        records.truncate(limit as usize);
        let next_cursor = match (more, records.last()) {
            (true, Some(last)) => Some(expense_kit::cursor::encode(&RateCursorKey(
                format_date(last.on),
                last.from.code().to_owned(),
                last.to.code().to_owned(),
            ))),
            _ => None,
        };
        Ok(Page {
            items: records.iter().map(RateRecord::to_api).collect(),
            next_cursor,
        })
    }

    /// Records every rate of the ECB's reference-rate CSV `file` (each against EUR), all or
    /// none: a file with a wrong line records nothing.
    pub async fn import_ecb(&self, user_id: Uuid, file: &[u8]) -> Result<EcbImport, ExpenseError> {
        let text = std::str::from_utf8(file).map_err(|error| {
            ExpenseError::RatesFileRefused(vec![expense_api::FieldError::new(
                "file",
                format!(
                    "is not UTF-8 text (byte {} is not): send the CSV file as the ECB publishes it",
                    error.valid_up_to()
                ),
            )])
        })?;
        let parsed = ecb::parse(text).map_err(ExpenseError::RatesFileRefused)?;
        let euro = conversion::euro();
        let now = self.clock().now();
        let records: Vec<RateRecord> = parsed
            .rates
            .iter()
            .map(|(on, currency, rate)| RateRecord {
                user_id,
                from: euro,
                to: *currency,
                on: *on,
                rate: *rate,
                recorded_at: now,
            })
            .collect();
        let replaced = if records.is_empty() {
            0
        } else {
            let events = events::rates_recorded(user_id, &records, now);
            let replaced = self.store().put_rates(user_id, &records, &events).await?;
            self.wake_outbox();
            replaced
        };
        tracing::info!(%user_id, rates = records.len(), replaced, "ECB reference rates imported");
        Ok(EcbImport {
            recorded: records.len() as u64,
            replaced,
            days: parsed.days,
            first_day: parsed.first_day.map(format_date),
            last_day: parsed.last_day.map(format_date),
            currencies: parsed.currencies.iter().map(|c| c.code().to_owned()).collect(),
            skipped_columns: parsed.skipped_columns,
        })
    }

    /// Converts a summary's rows (ordered by key) into `target`: each day's amounts with that
    /// day's rate (see [`conversion`]), every group's and the period's total summed exactly and
    /// rounded once. Fails naming every currency without a rate on or before some day.
    pub(crate) async fn convert_totals(
        &self,
        user_id: Uuid,
        target: Currency,
        rows: &[DaySummaryRow],
        period: (Date, Date),
    ) -> Result<ConvertedTotals, ExpenseError> {
        let converted = self.convert_what_can_be(user_id, target, rows, period).await?;
        if !converted.missing.is_empty() {
            return Err(ExpenseError::MissingRates {
                target: target.code().to_owned(),
                missing: converted.missing,
            });
        }
        Ok(converted)
    }

    /// Like [`Self::convert_totals`], but the rows no stored rate converts are left out of the
    /// sums and answered in `missing` and `unconverted`: for a budget, which shows what it counts
    /// and what it could not.
    pub(crate) async fn convert_what_can_be(
        &self,
        user_id: Uuid,
        target: Currency,
        rows: &[DaySummaryRow],
        (from, to): (Date, Date),
    ) -> Result<ConvertedTotals, ExpenseError> {
        let mut currencies: HashMap<&str, Currency> = HashMap::new();
        for row in rows {
            if !currencies.contains_key(row.currency.as_str()) {
                let currency = row
                    .currency
                    .parse::<Currency>()
                    .map_err(|e| ExpenseError::Store(RepoError::Corrupt(e)))?;
                currencies.insert(row.currency.as_str(), currency);
            }
        }
        let foreign = currencies.values().any(|currency| *currency != target);
        let book = if foreign {
            let mut involved: Vec<Currency> = currencies.values().copied().collect();
            involved.extend([target, conversion::euro()]);
            involved.sort_by_key(|currency| currency.code());
            involved.dedup();
            RateBook::new(
                self.store()
                    .rates_for_period(user_id, &involved, from, to)
                    .await?
                    .iter()
                    .map(RateRecord::stored),
            )
        } else {
            RateBook::default()
        };
        // The path of each foreign currency and day, in order, so the answer lists them sorted.
        let mut paths: BTreeMap<(&str, Date), Option<Path>> = BTreeMap::new();
        for row in rows {
            let currency = currencies[row.currency.as_str()];
            if currency != target {
                paths
                    .entry((currency.code(), row.spent_on))
                    .or_insert_with(|| book.path(currency, target, row.spent_on));
            }
        }
        let mut missing: Vec<MissingRate> = Vec::new();
        for ((code, day), path) in &paths {
            if path.is_some() {
                continue;
            }
            match missing.last_mut() {
                Some(last) if last.currency == *code => last.days += 1,
                _ => missing.push(MissingRate {
                    currency: (*code).to_owned(),
                    first_day: *day,
                    days: 1,
                }),
            }
        }
        let exponent = target.exponent();
        let mut groups: Vec<(String, ExactSum)> = Vec::new();
        let mut total = ExactSum::default();
        let mut unconverted = 0;
        for row in rows {
            let currency = currencies[row.currency.as_str()];
            let path = match paths.get(&(currency.code(), row.spent_on)) {
                None => None,
                Some(Some(path)) => Some(path),
                Some(None) => {
                    unconverted += row.count;
                    continue;
                }
            };
            if groups.last().is_none_or(|(key, _)| *key != row.key) {
                groups.push((row.key.clone(), ExactSum::default()));
            }
            let (_, sum) = groups.last_mut().expect("pushed above");
            sum.add(row.total_minor, row.exponent, path, exponent);
            total.add(row.total_minor, row.exponent, path, exponent);
        }
        let rates = paths
            .iter()
            .filter_map(|((code, day), path)| {
                let path = path.as_ref()?;
                Some(path.to_api(currencies[code], *day))
            })
            .collect();
        Ok(ConvertedTotals {
            groups: groups
                .into_iter()
                .map(|(key, sum)| (key, conversion::format_exact(&sum.rounded(), exponent)))
                .collect(),
            conversion: Conversion {
                currency: target.code().to_owned(),
                total: conversion::format_exact(&total.rounded(), exponent),
                rates,
            },
            total_minor: total.rounded(),
            missing,
            unconverted,
        })
    }
}

fn parse_rate_query(query: &RateQuery) -> Result<(RateFilter, Option<RateCursor>, u32), ExpenseError> {
    let mut errors = Errors::new("");
    let currency = query
        .currency
        .as_deref()
        .and_then(|c| errors.check("currency", parse_currency(c)));
    let from = query
        .from
        .as_deref()
        .and_then(|d| errors.check("from", parse_date(d)));
    let to = query
        .to
        .as_deref()
        .and_then(|d| errors.check("to", parse_date(d)));
    errors.in_order(from, to);
    let limit = errors.page_limit(query.limit, DEFAULT_RATE_PAGE);
    let after = match &query.cursor {
        Some(cursor) => match expense_kit::cursor::decode::<RateCursorKey>(cursor) {
            Ok(RateCursorKey(day, from, to)) => match (parse_date(&day), from.parse(), to.parse()) {
                (Ok(on), Ok(from), Ok(to)) => Some(RateCursor { on, from, to }),
                _ => {
                    errors.add("cursor", "not a cursor this API made");
                    None
                }
            },
            Err(problem) => {
                errors.list.extend(problem.problem.errors.clone());
                None
            }
        },
        None => None,
    };
    if !errors.list.is_empty() {
        return Err(ExpenseError::Validation(errors.list));
    }
    Ok((RateFilter { currency, from, to }, after, limit))
}
