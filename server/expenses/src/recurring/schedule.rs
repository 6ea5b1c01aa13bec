//! The calendar of a recurring schedule: which days it falls on, and the validation that builds a
//! schedule from a request. Pure functions of dates; the clock's "today" is passed in.
//!
//! `on` is the ISO weekday (1 = Monday … 7 = Sunday) of a weekly schedule and the day of the month
//! (1 to 31) of a monthly or yearly one; a yearly schedule keeps the month of its first day. A day
//! a month lacks falls on that month's last day: "the 31st" is 30 April, 28 February, and 29
//! February in a leap year.

use expense_api::expenses::NewExpense;
use expense_api::recurring::NewRecurring;
use time::{Date, Duration};

use crate::domain::{self, Errors, ExpenseFields, format_date, parse_date};

/// Most occurrences recorded for one schedule in one pass of the materialiser; a longer catch-up
/// continues in the next pass (which follows at once).
pub const MAX_OCCURRENCES_PER_PASS: usize = 500;

/// How far back `from` may lie: a new schedule records its past days at once, so this bounds that
/// work (a daily schedule records at most 367 expenses on creation).
pub const MAX_BACKFILL: Duration = Duration::days(366);

/// How often a schedule repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Day,
    Week,
    Month,
    Year,
}

impl Every {
    pub fn as_str(self) -> &'static str {
        match self {
            Every::Day => "day",
            Every::Week => "week",
            Every::Month => "month",
            Every::Year => "year",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "day" => Ok(Every::Day),
            "week" => Ok(Every::Week),
            "month" => Ok(Every::Month),
            "year" => Ok(Every::Year),
            other => Err(format!("must be day, week, month or year, not {other:?}")),
        }
    }
}

/// When a schedule falls: valid once built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub every: Every,
    /// Weekday (1..=7) for `Week`, day of the month (1..=31) for `Month` and `Year`, `None` for
    /// `Day`.
    pub on: Option<u8>,
    /// The first day it may fall on (and, for `Year`, its month).
    pub starts_on: Date,
    /// The last day it may fall on, if it ends.
    pub ends_on: Option<Date>,
}

impl Rule {
    /// Whether the schedule falls on `date` (ignoring `starts_on` and `ends_on`).
    fn falls_on(&self, date: Date) -> bool {
        let on = self.on.unwrap_or(1);
        let day_of_month = || date.day() == on.min(date.month().length(date.year()));
        match self.every {
            Every::Day => true,
            Every::Week => date.weekday().number_from_monday() == on,
            Every::Month => day_of_month(),
            Every::Year => date.month() == self.starts_on.month() && day_of_month(),
        }
    }

    /// The days it falls on after `after` and up to `through` (inclusive), at most `limit` of
    /// them, and the last day considered: `through`, or the day of the last occurrence returned
    /// when the limit cut the list short.
    pub fn occurrences(&self, after: Date, through: Date, limit: usize) -> (Vec<Date>, Date) {
        let mut days = Vec::new();
        let Some(first) = after.next_day() else {
            return (days, through);
        };
        let mut day = first.max(self.starts_on);
        let last = self.ends_on.map_or(through, |end| end.min(through));
        while day <= last {
            if self.falls_on(day) {
                days.push(day);
                if days.len() == limit {
                    return (days, day);
                }
            }
            let Some(next) = day.next_day() else { break };
            day = next;
        }
        (days, through.max(after))
    }

    /// The first day it falls on after `after`, if it has not ended by then.
    pub fn next_after(&self, after: Date) -> Option<Date> {
        // Every rule falls at least once in any 366 days (a yearly 29th of February falls on the
        // 28th in other years), so looking a little further than a year is enough.
        let through = after.checked_add(Duration::days(400))?;
        self.occurrences(after, through, 1).0.first().copied()
    }
}

/// A schedule validated from a request: the expense it records (dated its first day) and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSchedule {
    pub template: ExpenseFields,
    pub rule: Rule,
}

/// Validates a new schedule, collecting every bad field; `today` is the default `from`.
pub fn validate(input: &NewRecurring, today: Date) -> Result<ValidSchedule, Vec<expense_api::FieldError>> {
    let mut errors = Errors::new("");
    let every = errors.check("every", Every::parse(input.every.trim()));
    let earliest = today.checked_sub(MAX_BACKFILL).unwrap_or(today);
    let starts_on = match &input.from {
        Some(from) => errors.check(
            "from",
            parse_date(from.trim()).and_then(|from| {
                if from < earliest {
                    Err(format!(
                        "must be at most a year ago (on or after {}); record older expenses with a batch or `expense import`",
                        format_date(earliest)
                    ))
                } else {
                    Ok(from)
                }
            }),
        ),
        None => Some(today),
    };
    let ends_on = match &input.until {
        Some(until) => errors.check("until", parse_date(until.trim())).map(Some),
        None => Some(None),
    };
    if let (Some(from), Some(Some(until))) = (starts_on, ends_on)
        && until < from
    {
        errors.add(
            "until",
            format!(
                "{} is before `from` ({}); give an `until` on or after the first day",
                format_date(until),
                format_date(from)
            ),
        );
    }
    let on = match (every, starts_on) {
        (Some(every), Some(from)) => errors.check("on", check_on(every, input.on, from)),
        _ => None,
    };
    let template = domain::new_expense(
        &NewExpense {
            amount: input.amount.clone(),
            currency: input.currency.clone(),
            category: Some(input.category.clone()),
            note: input.note.clone(),
            merchant: input.merchant.clone(),
            spent_on: format_date(starts_on.unwrap_or(today)),
            tags: input.tags.clone(),
        },
        &mut errors,
        &[],
    );
    match (template, every, on, starts_on, ends_on) {
        (Some(template), Some(every), Some(on), Some(starts_on), Some(ends_on)) if errors.list.is_empty() => {
            Ok(ValidSchedule {
                template,
                rule: Rule {
                    every,
                    on,
                    starts_on,
                    ends_on,
                },
            })
        }
        _ => Err(errors.list),
    }
}

/// `on` checked against `every`, or its default from the first day.
fn check_on(every: Every, on: Option<u8>, from: Date) -> Result<Option<u8>, String> {
    match (every, on) {
        (Every::Day, None) => Ok(None),
        (Every::Day, Some(_)) => Err("has no meaning for `every: day`; leave it out".to_owned()),
        (Every::Week, None) => Ok(Some(from.weekday().number_from_monday())),
        (Every::Week, Some(day @ 1..=7)) => Ok(Some(day)),
        (Every::Week, Some(day)) => Err(format!(
            "{day} is not a weekday: for `every: week`, give 1 (Monday) to 7 (Sunday)"
        )),
        (Every::Month | Every::Year, None) => Ok(Some(from.day())),
        (Every::Month | Every::Year, Some(day @ 1..=31)) => Ok(Some(day)),
        (Every::Month | Every::Year, Some(day)) => Err(format!(
            "{day} is not a day of the month: give 1 to 31 (a month without that day uses its last day)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn rule(every: Every, on: Option<u8>, starts_on: Date, ends_on: Option<Date>) -> Rule {
        Rule {
            every,
            on,
            starts_on,
            ends_on,
        }
    }

    fn days(rule: &Rule, after: Date, through: Date) -> Vec<String> {
        rule.occurrences(after, through, 1000)
            .0
            .into_iter()
            .map(format_date)
            .collect()
    }

    #[test]
    fn the_31st_falls_on_the_last_day_of_shorter_months() {
        let monthly = rule(Every::Month, Some(31), date!(2028 - 01 - 31), None);
        assert_eq!(
            days(&monthly, date!(2027 - 12 - 31), date!(2028 - 05 - 31)),
            [
                "2028-01-31",
                "2028-02-29",
                "2028-03-31",
                "2028-04-30",
                "2028-05-31"
            ]
        );
        let next_year = days(&monthly, date!(2029 - 01 - 31), date!(2029 - 03 - 01));
        assert_eq!(next_year, ["2029-02-28"]);
        let the_30th = rule(Every::Month, Some(30), date!(2027 - 01 - 01), None);
        assert_eq!(
            days(&the_30th, date!(2027 - 01 - 31), date!(2027 - 03 - 31)),
            ["2027-02-28", "2027-03-30"]
        );
    }

    #[test]
    fn yearly_on_29_february_falls_on_the_28th_in_other_years() {
        let yearly = rule(Every::Year, Some(29), date!(2028 - 02 - 29), None);
        assert_eq!(
            days(&yearly, date!(2028 - 01 - 01), date!(2032 - 12 - 31)),
            [
                "2028-02-29",
                "2029-02-28",
                "2030-02-28",
                "2031-02-28",
                "2032-02-29"
            ]
        );
    }

    #[test]
    fn weeks_fall_on_their_weekday_and_days_every_day() {
        // 2026-11-26 is a Thursday; 1 is Monday.
        let weekly = rule(Every::Week, Some(1), date!(2026 - 11 - 26), None);
        assert_eq!(
            days(&weekly, date!(2026 - 11 - 20), date!(2026 - 12 - 14)),
            ["2026-11-30", "2026-12-07", "2026-12-14"]
        );
        let daily = rule(
            Every::Day,
            None,
            date!(2026 - 12 - 30),
            Some(date!(2027 - 01 - 01)),
        );
        assert_eq!(
            days(&daily, date!(2026 - 12 - 01), date!(2027 - 01 - 05)),
            ["2026-12-30", "2026-12-31", "2027-01-01"]
        );
    }

    #[test]
    fn a_limit_stops_at_the_last_day_returned() {
        let daily = rule(Every::Day, None, date!(2026 - 01 - 01), None);
        let (got, considered) = daily.occurrences(date!(2025 - 12 - 31), date!(2026 - 12 - 31), 3);
        assert_eq!(got.len(), 3);
        assert_eq!(considered, date!(2026 - 01 - 03));
        let (none, considered) = daily.occurrences(date!(2026 - 12 - 31), date!(2026 - 12 - 31), 3);
        assert!(none.is_empty());
        assert_eq!(considered, date!(2026 - 12 - 31));
    }

    #[test]
    fn next_after_respects_the_end() {
        let monthly = rule(
            Every::Month,
            Some(15),
            date!(2026 - 01 - 01),
            Some(date!(2026 - 03 - 15)),
        );
        assert_eq!(
            monthly.next_after(date!(2026 - 02 - 15)),
            Some(date!(2026 - 03 - 15))
        );
        assert_eq!(monthly.next_after(date!(2026 - 03 - 15)), None);
    }

    #[test]
    fn on_defaults_to_the_first_day_and_is_checked_against_every() {
        let thursday = date!(2026 - 11 - 26);
        assert_eq!(check_on(Every::Week, None, thursday), Ok(Some(4)));
        assert_eq!(check_on(Every::Month, None, thursday), Ok(Some(26)));
        assert_eq!(check_on(Every::Day, None, thursday), Ok(None));
        assert!(
            check_on(Every::Week, Some(8), thursday)
                .unwrap_err()
                .contains("1 (Monday) to 7")
        );
        assert!(
            check_on(Every::Month, Some(32), thursday)
                .unwrap_err()
                .contains("1 to 31")
        );
        assert!(check_on(Every::Month, Some(0), thursday).is_err());
        assert!(check_on(Every::Day, Some(1), thursday).is_err());
    }
}
