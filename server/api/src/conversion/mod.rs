//! Exact conversions between currencies with exchange rates, shared by the expenses service (a
//! summary or a budget in one currency) and the notifications service (alerts of a budget in a
//! home currency), so that both count the same expense the same way.
//!
//! A [`Rate`] is an exact decimal (its own module, `rate`).
//!
//! The rules (also in `docs/money.md`): a day's expenses use the rate of that day, or else the
//! latest earlier one, never a later one. A rate between two currencies serves both ways (one
//! divides by it). Between two currencies other than the euro the conversion may also go through
//! it, with two rates (a cross rate, as the ECB's reference rates are all against the euro); of a
//! direct rate and a cross rate, the one whose older rate is closer to the day wins, and a tie
//! goes to the direct rate. Every converted amount is an exact fraction; a total adds them
//! exactly and rounds once, at the end, half away from zero to the target's minor unit.
//!
//! Nothing here reads a store or a clock: the services hand in the rates and the days.

mod rate;

use std::collections::HashMap;

use num_bigint::{BigInt, Sign};
use time::Date;

pub use self::rate::Rate;
use crate::money::Currency;
use crate::rates::{AppliedRate, RateLeg};

/// One stored rate: one `from` was worth `rate` `to` on `on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredRate {
    pub from: Currency,
    pub to: Currency,
    pub on: Date,
    pub rate: Rate,
}

/// `YYYY-MM-DD`.
fn day_text(day: Date) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), u8::from(day.month()), day.day())
}

/// The currency cross rates go through: the one the ECB's reference rates are against.
pub fn euro() -> Currency {
    "EUR".parse().expect("EUR is a currency")
}

/// A user's rates, looked up by pair and day.
#[derive(Debug, Default)]
pub struct RateBook {
    /// Each pair's rates as stored, oldest day first.
    by_pair: HashMap<(Currency, Currency), Vec<(Date, Rate)>>,
}

impl RateBook {
    /// A book of stored rates: each one `from` was worth `rate` `to` on `on`.
    pub fn new(rates: impl IntoIterator<Item = StoredRate>) -> Self {
        let mut by_pair: HashMap<(Currency, Currency), Vec<(Date, Rate)>> = HashMap::new();
        for stored in rates {
            by_pair
                .entry((stored.from, stored.to))
                .or_default()
                .push((stored.on, stored.rate));
        }
        for days in by_pair.values_mut() {
            days.sort_by_key(|(on, _)| *on);
        }
        Self { by_pair }
    }

    /// The rate stored for `from` → `to` on `day`, or else the latest before it.
    fn latest(&self, from: Currency, to: Currency, day: Date) -> Option<(Date, Rate)> {
        let days = self.by_pair.get(&(from, to))?;
        let after = days.partition_point(|(on, _)| *on <= day);
        after.checked_sub(1).map(|index| days[index])
    }

    /// The rate between two currencies closest to `day` (not after it), stored either way; of
    /// two on the same day, the one stored in the direction of travel.
    fn leg(&self, from: Currency, to: Currency, day: Date) -> Option<Leg> {
        let forward = self.latest(from, to, day).map(|(on, rate)| Leg {
            from,
            to,
            on,
            rate,
            inverted: false,
        });
        let backward = self.latest(to, from, day).map(|(on, rate)| Leg {
            from: to,
            to: from,
            on,
            rate,
            inverted: true,
        });
        match (forward, backward) {
            (Some(forward), Some(backward)) => Some(if backward.on > forward.on {
                backward
            } else {
                forward
            }),
            (forward, backward) => forward.or(backward),
        }
    }

    /// How one day's amounts in `from` become amounts in `to` (different currencies); `None`
    /// when no rate on or before `day` allows it.
    pub fn path(&self, from: Currency, to: Currency, day: Date) -> Option<Path> {
        let direct = self.leg(from, to, day).map(|leg| Path { legs: vec![leg] });
        let euro = euro();
        let cross = if from != euro && to != euro {
            self.leg(from, euro, day)
                .zip(self.leg(euro, to, day))
                .map(|(first, second)| Path {
                    legs: vec![first, second],
                })
        } else {
            None
        };
        match (direct, cross) {
            (Some(direct), Some(cross)) => Some(if cross.as_of() > direct.as_of() {
                cross
            } else {
                direct
            }),
            (direct, cross) => direct.or(cross),
        }
    }
}

/// One stored rate used in a conversion: `from`, `to` and `rate` as stored; `inverted` when the
/// conversion runs from `to` to `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg {
    pub from: Currency,
    pub to: Currency,
    pub on: Date,
    pub rate: Rate,
    pub inverted: bool,
}

/// The rates that convert one currency into another: one (direct) or two (through the euro).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub legs: Vec<Leg>,
}

impl Path {
    /// The day of its oldest rate: how far from the expenses' day it had to look.
    fn as_of(&self) -> Date {
        self.legs
            .iter()
            .map(|leg| leg.on)
            .min()
            .expect("a path has a leg")
    }

    /// What one unit of the source is worth in the target: numerator and denominator.
    fn factor(&self) -> (BigInt, BigInt) {
        let mut numerator = BigInt::from(1);
        let mut denominator = BigInt::from(1);
        for leg in &self.legs {
            let mantissa = BigInt::from(leg.rate.mantissa());
            let power = power_of_ten(leg.rate.scale());
            if leg.inverted {
                numerator *= power;
                denominator *= mantissa;
            } else {
                numerator *= mantissa;
                denominator *= power;
            }
        }
        (numerator, denominator)
    }

    /// The wire form, for the expenses in `currency` of `day`.
    pub fn to_api(&self, currency: Currency, day: Date) -> AppliedRate {
        AppliedRate {
            currency: currency.code().to_owned(),
            spent_on: day_text(day),
            legs: self
                .legs
                .iter()
                .map(|leg| RateLeg {
                    from: leg.from.code().to_owned(),
                    to: leg.to.code().to_owned(),
                    on: day_text(leg.on),
                    rate: leg.rate.to_string(),
                    inverted: leg.inverted,
                })
                .collect(),
        }
    }
}

fn power_of_ten(exponent: u8) -> BigInt {
    BigInt::from(10).pow(u32::from(exponent))
}

/// An exact sum of converted amounts, in minor units of the target: a fraction until
/// [`ExactSum::rounded`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactSum {
    numerator: BigInt,
    /// Positive; only as large as the rates added so far need.
    denominator: BigInt,
}

impl Default for ExactSum {
    fn default() -> Self {
        Self {
            numerator: BigInt::from(0),
            denominator: BigInt::from(1),
        }
    }
}

impl ExactSum {
    /// Adds `minor` units of a currency with `exponent` decimals, converted along `path` (none:
    /// it is the target) into the target, whose minor unit has `target_exponent` decimals.
    pub fn add(&mut self, minor: i64, exponent: u8, path: Option<&Path>, target_exponent: u8) {
        let (factor_numerator, factor_denominator) = match path {
            Some(path) => path.factor(),
            None => (BigInt::from(1), BigInt::from(1)),
        };
        let numerator = BigInt::from(minor) * factor_numerator * power_of_ten(target_exponent);
        let denominator = factor_denominator * power_of_ten(exponent);
        self.add_fraction(numerator, denominator);
    }

    /// `self + numerator / denominator` over the least common denominator.
    fn add_fraction(&mut self, numerator: BigInt, denominator: BigInt) {
        let common = gcd(&self.denominator, &denominator);
        let missing = &denominator / &common;
        self.numerator = &self.numerator * &missing + numerator * (&self.denominator / &common);
        self.denominator *= missing;
    }

    /// The sum in whole minor units, rounded half away from zero.
    pub fn rounded(&self) -> BigInt {
        let quotient = &self.numerator / &self.denominator;
        let remainder = &self.numerator % &self.denominator;
        if remainder.magnitude() * 2u32 >= *self.denominator.magnitude() {
            match self.numerator.sign() {
                Sign::Minus => quotient - 1,
                _ => quotient + 1,
            }
        } else {
            quotient
        }
    }
}

/// The greatest common divisor of a positive `large` and a positive `small`: one division of the
/// large one, then Euclid on numbers no larger than `small`.
fn gcd(large: &BigInt, small: &BigInt) -> BigInt {
    let (mut a, mut b) = (small.clone(), large % small);
    while b.sign() != Sign::NoSign {
        let remainder = &a % &b;
        a = b;
        b = remainder;
    }
    a
}

/// Minor units as a decimal string with `exponent` decimals: `(-5, 2)` → `"-0.05"`.
pub fn format_exact(value: &BigInt, exponent: u8) -> String {
    let sign = if value.sign() == Sign::Minus { "-" } else { "" };
    let digits = value.magnitude().to_string();
    let exponent = usize::from(exponent);
    if exponent == 0 {
        return format!("{sign}{digits}");
    }
    let digits = format!("{digits:0>width$}", width = exponent + 1);
    let (whole, fraction) = digits.split_at(digits.len() - exponent);
    format!("{sign}{whole}.{fraction}")
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn currency(code: &str) -> Currency {
        code.parse().unwrap()
    }

    fn record(from: &str, to: &str, on: Date, rate: &str) -> StoredRate {
        StoredRate {
            from: currency(from),
            to: currency(to),
            on,
            rate: Rate::parse(rate).unwrap(),
        }
    }

    /// The legs of the path, as `FROM>TO@day=rate` with `/` for an inverted leg.
    fn path(book: &RateBook, from: &str, to: &str, day: Date) -> Option<String> {
        let path = book.path(currency(from), currency(to), day)?;
        Some(
            path.legs
                .iter()
                .map(|leg| {
                    format!(
                        "{}{}>{}@{}={}",
                        if leg.inverted { "/" } else { "" },
                        leg.from,
                        leg.to,
                        leg.on,
                        leg.rate
                    )
                })
                .collect::<Vec<_>>()
                .join(" "),
        )
    }

    #[test]
    fn a_day_uses_its_own_rate_or_the_latest_earlier_never_a_later_one() {
        let book = RateBook::new([
            record("USD", "EUR", date!(2026 - 03 - 02), "0.92"),
            record("USD", "EUR", date!(2026 - 03 - 05), "0.95"),
        ]);
        let day = |d| path(&book, "USD", "EUR", d);
        assert_eq!(day(date!(2026 - 03 - 01)), None);
        assert_eq!(day(date!(2026 - 03 - 02)).unwrap(), "USD>EUR@2026-03-02=0.92");
        assert_eq!(day(date!(2026 - 03 - 04)).unwrap(), "USD>EUR@2026-03-02=0.92");
        assert_eq!(day(date!(2026 - 03 - 05)).unwrap(), "USD>EUR@2026-03-05=0.95");
        // The other way round, the same rates divide.
        assert_eq!(
            path(&book, "EUR", "USD", date!(2026 - 03 - 04)).unwrap(),
            "/USD>EUR@2026-03-02=0.92"
        );
    }

    #[test]
    fn other_currencies_go_through_the_euro_unless_a_direct_rate_is_as_recent() {
        let mut records = vec![
            record("EUR", "USD", date!(2026 - 03 - 02), "1.08"),
            record("EUR", "GBP", date!(2026 - 03 - 03), "0.85"),
        ];
        let book = RateBook::new(records.clone());
        assert_eq!(
            path(&book, "USD", "GBP", date!(2026 - 03 - 03)).unwrap(),
            "/EUR>USD@2026-03-02=1.08 EUR>GBP@2026-03-03=0.85"
        );
        // A cross rate needs both legs by the day.
        assert_eq!(path(&book, "USD", "GBP", date!(2026 - 03 - 02)), None);
        // An older direct rate loses to a cross rate whose older leg is more recent…
        records.push(record("GBP", "USD", date!(2026 - 03 - 01), "1.25"));
        let book = RateBook::new(records.clone());
        assert_eq!(
            path(&book, "USD", "GBP", date!(2026 - 03 - 03)).unwrap(),
            "/EUR>USD@2026-03-02=1.08 EUR>GBP@2026-03-03=0.85"
        );
        assert_eq!(
            path(&book, "USD", "GBP", date!(2026 - 03 - 01)).unwrap(),
            "/GBP>USD@2026-03-01=1.25"
        );
        // …and wins a tie.
        records.push(record("USD", "GBP", date!(2026 - 03 - 02), "0.8"));
        let book = RateBook::new(records.clone());
        assert_eq!(
            path(&book, "USD", "GBP", date!(2026 - 03 - 03)).unwrap(),
            "USD>GBP@2026-03-02=0.8"
        );
    }

    fn sum(parts: &[(i64, u8, Option<&Path>)], target_exponent: u8) -> String {
        let mut total = ExactSum::default();
        for (minor, exponent, path) in parts {
            total.add(*minor, *exponent, *path, target_exponent);
        }
        format_exact(&total.rounded(), target_exponent)
    }

    #[test]
    fn sums_are_exact_and_rounded_once_half_away_from_zero() {
        let day = date!(2026 - 03 - 02);
        let book = RateBook::new([record("EUR", "USD", day, "1.08")]);
        let usd_to_eur = book.path(currency("USD"), currency("EUR"), day).unwrap();
        // A cent is 0.009259… EUR, which alone rounds to 0.01; a hundred cents rounded one by
        // one would make 1.00, but their exact sum is 0.925925… and rounds once, to 0.93.
        let cents: Vec<_> = (0..100).map(|_| (1, 2, Some(&usd_to_eur))).collect();
        assert_eq!(sum(&cents, 2), "0.93");
        assert_eq!(sum(&[(100, 2, Some(&usd_to_eur))], 2), "0.93");
        // Exactly half a cent rounds away from zero, both ways.
        let half = RateBook::new([record("EUR", "USD", day, "2")]);
        let half = half.path(currency("USD"), currency("EUR"), day).unwrap();
        assert_eq!(sum(&[(1, 2, Some(&half))], 2), "0.01");
        assert_eq!(sum(&[(-1, 2, Some(&half))], 2), "-0.01");
        assert_eq!(sum(&[(1, 2, Some(&half)), (-2, 2, None)], 2), "-0.02");
        // Into a currency without decimals and one with three.
        let yen = RateBook::new([record("EUR", "JPY", day, "157.125")]);
        let to_yen = yen.path(currency("EUR"), currency("JPY"), day).unwrap();
        assert_eq!(sum(&[(1250, 2, Some(&to_yen))], 0), "1964");
        assert_eq!(sum(&[(-1250, 2, Some(&to_yen))], 0), "-1964");
        let dinar = RateBook::new([record("EUR", "KWD", day, "0.3333")]);
        let to_dinar = dinar.path(currency("EUR"), currency("KWD"), day).unwrap();
        assert_eq!(sum(&[(1, 2, Some(&to_dinar))], 3), "0.003");
        assert_eq!(sum(&[], 2), "0.00");
    }

    #[test]
    fn many_different_rates_add_exactly() {
        // A year of daily dollar rates, each day's a different divisor, and 10.00 USD a day.
        let first = date!(2026 - 01 - 01);
        let divisors: Vec<i64> = (0..365).map(|offset| 10_500 + 7 * offset).collect();
        let records: Vec<_> = divisors
            .iter()
            .zip(0..)
            .map(|(divisor, offset)| {
                let day = first + time::Duration::days(offset);
                record(
                    "EUR",
                    "USD",
                    day,
                    &format!("{}.{:04}", divisor / 10_000, divisor % 10_000),
                )
            })
            .collect();
        let book = RateBook::new(records.clone());
        let mut total = ExactSum::default();
        for offset in 0..365 {
            let day = first + time::Duration::days(offset);
            let path = book.path(currency("USD"), currency("EUR"), day).unwrap();
            total.add(1000, 2, Some(&path), 2);
        }
        // The same sum the naive way: 1000 × 10000 / divisor cents a day, over the product of
        // every divisor, then rounded half up (it is positive).
        let product: BigInt = divisors.iter().map(|d| BigInt::from(*d)).product();
        let numerator: BigInt = divisors
            .iter()
            .map(|d| BigInt::from(1000 * 10_000) * (&product / BigInt::from(*d)))
            .sum();
        let expected = (numerator * 2 + &product) / (product * 2);
        assert_eq!(total.rounded(), expected);
        assert_eq!(format_exact(&expected, 2), "3112.30");
        assert_eq!(format_exact(&BigInt::from(-5), 2), "-0.05");
        assert_eq!(format_exact(&BigInt::from(123_456), 3), "123.456");
    }
}
