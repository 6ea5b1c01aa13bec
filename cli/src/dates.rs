//! Days as people type them: `today`, `yesterday`, `3 days ago`, `monday`, `2026-11-02`; and
//! periods: `this month`, `last month`, `2026-10`, `last 30 days`, `this year`, ….
//!
//! "Today" is the local date. The local UTC offset can only be read safely while the process has
//! one thread, so `main` calls [`init`] first. `EXPENSE_TODAY=YYYY-MM-DD` fixes today (tests use
//! it; so can anyone replaying a script).

use std::sync::OnceLock;

use time::{Date, Duration, Month, OffsetDateTime, UtcOffset, Weekday};

use crate::error::{CliError, Result};

static TODAY: OnceLock<Date> = OnceLock::new();

/// Reads the local date. Call before any thread is started.
pub fn init() {
    let today = std::env::var("EXPENSE_TODAY")
        .ok()
        .and_then(|text| iso_date(&text))
        .unwrap_or_else(|| {
            let offset = UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC);
            OffsetDateTime::now_utc().to_offset(offset).date()
        });
    let _ = TODAY.set(today);
}

/// The local date.
pub fn today() -> Date {
    *TODAY.get_or_init(|| OffsetDateTime::now_utc().date())
}

/// A `YYYY-MM-DD` date.
pub fn iso_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).ok()
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// A day: `today`, `yesterday`, `N days ago`, a weekday (its most recent occurrence, today
/// included) or `YYYY-MM-DD`.
pub fn parse_day(text: &str, today: Date) -> Result<Date> {
    let lower = text.trim().to_lowercase();
    let day = match lower.as_str() {
        "today" => Some(today),
        "yesterday" => today.previous_day(),
        other => {
            if let Some(days) = other
                .strip_suffix(" days ago")
                .or_else(|| other.strip_suffix(" day ago"))
            {
                days.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|d| (0..=36_500).contains(d))
                    .map(|d| today - Duration::days(d))
            } else if let Some(weekday) = weekday(other) {
                let back =
                    (7 + today.weekday().number_days_from_monday() - weekday.number_days_from_monday()) % 7;
                Some(today - Duration::days(i64::from(back)))
            } else {
                iso_date(other)
            }
        }
    };
    day.ok_or_else(|| {
        CliError::usage(format!("{text:?} is not a day"))
            .with_hint("use today, yesterday, \"3 days ago\", a weekday such as monday, or YYYY-MM-DD")
    })
}

fn weekday(text: &str) -> Option<Weekday> {
    Some(match text {
        "monday" | "mon" => Weekday::Monday,
        "tuesday" | "tue" => Weekday::Tuesday,
        "wednesday" | "wed" => Weekday::Wednesday,
        "thursday" | "thu" => Weekday::Thursday,
        "friday" | "fri" => Weekday::Friday,
        "saturday" | "sat" => Weekday::Saturday,
        "sunday" | "sun" => Weekday::Sunday,
        _ => return None,
    })
}

/// A period: `today`, `yesterday`, `this week`, `last week` (weeks start on Monday), `this
/// month`, `last month`, `this year`, `last year`, `last N days` (today included), `YYYY`,
/// `YYYY-MM` or `YYYY-MM-DD`. Returns the first and last day.
pub fn parse_period(text: &str, today: Date) -> Result<(Date, Date)> {
    let lower = text.trim().to_lowercase();
    let month_of = |year: i32, month: Month| -> Option<(Date, Date)> {
        let first = Date::from_calendar_date(year, month, 1).ok()?;
        let last = Date::from_calendar_date(year, month, month.length(year)).ok()?;
        Some((first, last))
    };
    let year_of = |year: i32| -> Option<(Date, Date)> {
        Some((
            Date::from_calendar_date(year, Month::January, 1).ok()?,
            Date::from_calendar_date(year, Month::December, 31).ok()?,
        ))
    };
    let monday = today - Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let period = match lower.as_str() {
        "today" => Some((today, today)),
        "yesterday" => today.previous_day().map(|d| (d, d)),
        "this week" => Some((monday, monday + Duration::days(6))),
        "last week" => Some((monday - Duration::days(7), monday - Duration::days(1))),
        "this month" => month_of(today.year(), today.month()),
        "last month" => {
            let (year, month) = if today.month() == Month::January {
                (today.year() - 1, Month::December)
            } else {
                (today.year(), today.month().previous())
            };
            month_of(year, month)
        }
        "this year" => year_of(today.year()),
        "last year" => year_of(today.year() - 1),
        other => {
            if let Some(days) = other
                .strip_prefix("last ")
                .and_then(|rest| rest.strip_suffix(" days"))
            {
                days.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|d| (1..=36_500).contains(d))
                    .map(|d| (today - Duration::days(d - 1), today))
            } else if other.len() == 4 {
                other.parse().ok().and_then(year_of)
            } else if other.len() == 7 {
                let (year, month) = other.split_once('-').unwrap_or_default();
                match (
                    year.parse::<i32>(),
                    month.parse::<u8>().ok().and_then(|m| Month::try_from(m).ok()),
                ) {
                    (Ok(year), Some(month)) => month_of(year, month),
                    _ => None,
                }
            } else {
                iso_date(other).map(|d| (d, d))
            }
        }
    };
    period.ok_or_else(|| {
        CliError::usage(format!("{text:?} is not a period")).with_hint(
            "use \"this month\", \"last month\", 2026-10, \"last 30 days\", \"this year\", 2026 or a date",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const THURSDAY: Date = date!(2026 - 11 - 26);

    #[test]
    fn days() {
        let day = |text| parse_day(text, THURSDAY).unwrap();
        assert_eq!(day("today"), THURSDAY);
        assert_eq!(day("Yesterday"), date!(2026 - 11 - 25));
        assert_eq!(day("3 days ago"), date!(2026 - 11 - 23));
        assert_eq!(day("monday"), date!(2026 - 11 - 23));
        assert_eq!(
            day("thursday"),
            THURSDAY,
            "today counts as the most recent thursday"
        );
        assert_eq!(day("friday"), date!(2026 - 11 - 20));
        assert_eq!(day("2026-11-02"), date!(2026 - 11 - 02));
        assert_eq!(parse_day("someday", THURSDAY).unwrap_err().exit_code(), 2);
        assert!(parse_day("2026-02-30", THURSDAY).is_err());
    }

    #[test]
    fn periods() {
        let period = |text| parse_period(text, THURSDAY).unwrap();
        assert_eq!(
            period("this month"),
            (date!(2026 - 11 - 01), date!(2026 - 11 - 30))
        );
        assert_eq!(
            period("last month"),
            (date!(2026 - 10 - 01), date!(2026 - 10 - 31))
        );
        assert_eq!(
            parse_period("last month", date!(2027 - 01 - 15)).unwrap(),
            (date!(2026 - 12 - 01), date!(2026 - 12 - 31))
        );
        assert_eq!(period("2026-02"), (date!(2026 - 02 - 01), date!(2026 - 02 - 28)));
        assert_eq!(period("last 30 days"), (date!(2026 - 10 - 28), THURSDAY));
        assert_eq!(
            period("this week"),
            (date!(2026 - 11 - 23), date!(2026 - 11 - 29))
        );
        assert_eq!(
            period("last week"),
            (date!(2026 - 11 - 16), date!(2026 - 11 - 22))
        );
        assert_eq!(period("2025"), (date!(2025 - 01 - 01), date!(2025 - 12 - 31)));
        assert_eq!(period("today"), (THURSDAY, THURSDAY));
        assert!(parse_period("2026-13", THURSDAY).is_err());
        assert!(parse_period("soon", THURSDAY).is_err());
    }
}
