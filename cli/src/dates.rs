//! Days as people type them: `today`, `yesterday`, `3 days ago`, `monday`, `2026-11-02`; and
//! periods: `this month`, `last month`, `2026-10`, `last 30 days`, `this year`, ….
//!
//! Every function here takes "today" as an argument: the command's context holds it, which is the
//! local date unless `--today DATE` (or `EXPENSE_TODAY`) names another, for back-filling a past
//! day or replaying a script. The local UTC offset can only be read safely while the process has
//! one thread, so `main` calls [`init`] first.

use std::sync::OnceLock;

use time::{Date, Duration, Month, OffsetDateTime, UtcOffset, Weekday};

use crate::error::{CliError, Result};

static LOCAL_OFFSET: OnceLock<UtcOffset> = OnceLock::new();

/// Reads the local UTC offset. Call before any thread is started.
pub fn init() {
    let _ = LOCAL_OFFSET.set(UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC));
}

/// The local date by the system clock (UTC when [`init`] was not called).
pub fn local_today() -> Date {
    let offset = LOCAL_OFFSET.get().copied().unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset).date()
}

/// `--today`'s parser: a `YYYY-MM-DD` date.
pub fn parse_today(text: &str) -> std::result::Result<Date, String> {
    iso_date(text).ok_or_else(|| format!("`{text}` is not a date: give YYYY-MM-DD, such as 2026-11-02"))
}

/// A `YYYY-MM-DD` date, years 0000 to 9999 (no sign: `-0001-10-01` is not a day anyone types,
/// and would not print back as itself).
pub fn iso_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok()
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
                    .and_then(|d| today.checked_sub(Duration::days(d)))
            } else if let Some(weekday) = weekday(other) {
                let back =
                    (7 + today.weekday().number_days_from_monday() - weekday.number_days_from_monday()) % 7;
                today.checked_sub(Duration::days(i64::from(back)))
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

/// The value of `text` if it is exactly `count` ASCII digits (no sign, no spaces).
fn digits(text: &str, count: usize) -> Option<i32> {
    if text.len() == count && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
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
    // Checked arithmetic throughout: near the ends of the calendar (`EXPENSE_TODAY=9999-12-31`)
    // a period that does not exist is refused, not a panic.
    let days_after = |day: Date, days: i64| day.checked_add(Duration::days(days));
    let monday = days_after(today, -i64::from(today.weekday().number_days_from_monday()));
    let period = match lower.as_str() {
        "today" => Some((today, today)),
        "yesterday" => today.previous_day().map(|d| (d, d)),
        "this week" => monday.and_then(|monday| Some((monday, days_after(monday, 6)?))),
        "last week" => monday.and_then(|monday| Some((days_after(monday, -7)?, days_after(monday, -1)?))),
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
                    .and_then(|d| Some((days_after(today, 1 - d)?, today)))
            } else if let Some(year) = digits(other, 4) {
                year_of(year)
            } else if let Some((year, month)) = other.split_once('-').filter(|(_, m)| m.len() == 2) {
                // `YYYY-MM`: exactly four and two digits, so `+026-01` or `26-0001` are no months.
                match (
                    digits(year, 4),
                    digits(month, 2).and_then(|m| Month::try_from(u8::try_from(m).ok()?).ok()),
                ) {
                    (Some(year), Some(month)) => month_of(year, month),
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

    use proptest::prelude::*;

    /// Hostile input (docs/security.md): 3,000 cases a property. XorShift, because the default
    /// ChaCha generator is several times slower in unoptimised test builds.
    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 3_000,
            rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
            ..ProptestConfig::default()
        }
    }

    /// Any day the `time` crate can hold, from -9999-01-01 to 9999-12-31.
    fn any_day() -> impl Strategy<Value = Date> {
        (Date::MIN.to_julian_day()..=Date::MAX.to_julian_day())
            .prop_map(|day| Date::from_julian_day(day).expect("in range"))
    }

    /// A day people are likely to call today.
    fn plausible_today() -> impl Strategy<Value = Date> {
        (date!(1900 - 01 - 01).to_julian_day()..=date!(2200 - 12 - 31).to_julian_day())
            .prop_map(|day| Date::from_julian_day(day).expect("in range"))
    }

    /// Words people type, and things they should not: what the parsers are made of.
    fn date_like() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            Just("today".to_owned()),
            Just("yesterday".to_owned()),
            Just("last".to_owned()),
            Just("this".to_owned()),
            Just("days".to_owned()),
            Just("day ago".to_owned()),
            Just("days ago".to_owned()),
            Just("week".to_owned()),
            Just("month".to_owned()),
            Just("year".to_owned()),
            Just("monday".to_owned()),
            Just("-".to_owned()),
            Just("+".to_owned()),
            Just(" ".to_owned()),
            Just("\u{0663}".to_owned()),
            Just("9223372036854775808".to_owned()),
            (0u32..100_000).prop_map(|n| n.to_string()),
            (0u32..100).prop_map(|n| format!("{n:02}")),
            proptest::collection::vec(any::<char>(), 0..6).prop_map(String::from_iter),
        ];
        proptest::collection::vec(word, 0..6).prop_map(|words| words.concat())
    }

    proptest! {
        #![proptest_config(config())]

        /// Anything typed, on any day the calendar holds: an answer, never a panic; and the
        /// answer is a real range, first day first.
        #[test]
        fn anything_typed_is_answered_without_panicking(text in date_like(), today in any_day()) {
            let _ = parse_day(&text, today);
            if let Ok((first, last)) = parse_period(&text, today) {
                prop_assert!(first <= last, "{:?}: {} > {}", text, first, last);
            }
            let _ = iso_date(&text);
        }

        /// Every relative word at the very ends of the calendar: refused or answered, no panic.
        #[test]
        fn the_ends_of_the_calendar_do_not_panic(
            today in prop_oneof![
                (0i32..400).prop_map(|n| Date::MIN + time::Duration::days(i64::from(n))),
                (0i32..400).prop_map(|n| Date::MAX - time::Duration::days(i64::from(n))),
            ],
            text in proptest::sample::select(vec![
                "today", "yesterday", "36500 days ago", "sunday", "monday", "this week", "last week",
                "this month", "last month", "this year", "last year", "last 36500 days", "9999", "0000",
                "9999-12", "0000-01",
            ]),
        ) {
            let _ = parse_day(text, today);
            let _ = parse_period(text, today);
        }

        /// `YYYY-MM-DD` is accepted exactly when that day exists, and prints back the same.
        #[test]
        fn a_calendar_date_parses_exactly_when_it_exists(
            year in 0i32..=9999,
            month in 0u8..=13,
            day in 0u8..=32,
        ) {
            let text = format!("{year:04}-{month:02}-{day:02}");
            let exists = Month::try_from(month)
                .ok()
                .and_then(|month| Date::from_calendar_date(year, month, day).ok());
            prop_assert_eq!(iso_date(&text), exists);
            prop_assert_eq!(parse_day(&text, THURSDAY).ok(), exists);
            prop_assert_eq!(parse_period(&text, THURSDAY).ok(), exists.map(|d| (d, d)));
            if let Some(date) = exists {
                prop_assert_eq!(format(date), text);
            }
        }

        /// Whatever `iso_date` accepts is a day that prints and re-reads as itself.
        #[test]
        fn accepted_dates_round_trip(text in "[-+ 0-9]{0,3}[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3} ?") {
            if let Some(date) = iso_date(&text) {
                prop_assert_eq!(iso_date(&format(date)), Some(date));
            }
        }

        /// `N days ago` and `last N days` count back from today, up to 100 years; beyond, or
        /// negative, refused.
        #[test]
        fn relative_days_count_back(n in -10i64..40_000, today in plausible_today()) {
            let ago = parse_day(&format!("{n} days ago"), today).ok();
            let expected = (0..=36_500).contains(&n).then(|| today - time::Duration::days(n));
            prop_assert_eq!(ago, expected);
            let last = parse_period(&format!("last {n} days"), today).ok();
            let expected = (1..=36_500)
                .contains(&n)
                .then(|| (today - time::Duration::days(n - 1), today));
            prop_assert_eq!(last, expected);
        }

        /// A weekday is its most recent occurrence, today included.
        #[test]
        fn a_weekday_is_its_last_occurrence(today in plausible_today(), back in 0i64..7) {
            let wanted = (today - time::Duration::days(back)).weekday();
            let name = wanted.to_string().to_lowercase();
            let day = parse_day(&name, today).unwrap();
            prop_assert_eq!(day.weekday(), wanted);
            prop_assert!(day <= today && today - day < time::Duration::days(7));
            prop_assert_eq!(parse_day(&name[..3], today).unwrap(), day);
        }

        /// The periods named after today hold today; the `last` ones end the day before them.
        #[test]
        fn periods_hold_today_and_follow_each_other(today in plausible_today()) {
            let period = |text: &str| parse_period(text, today).unwrap();
            for (this, last) in [
                ("this week", "last week"),
                ("this month", "last month"),
                ("this year", "last year"),
            ] {
                let (first, end) = period(this);
                prop_assert!(first <= today && today <= end, "{} {}", this, today);
                prop_assert_eq!(period(last).1.next_day(), Some(first), "{} {}", last, today);
            }
            prop_assert_eq!(period("today"), (today, today));
        }

        /// `YYYY` and `YYYY-MM` cover the whole year or month; anything not exactly four and two
        /// digits is no year or month.
        #[test]
        fn years_and_months_are_whole(year in 1000i32..=9999, month in 1u8..=12, sign in "[+-]") {
            let month_name = Month::try_from(month).unwrap();
            let (first, last) = parse_period(&format!("{year}-{month:02}"), THURSDAY).unwrap();
            prop_assert_eq!((first.year(), first.month(), first.day()), (year, month_name, 1));
            prop_assert_eq!(last.day(), month_name.length(year));
            let (first, last) = parse_period(&year.to_string(), THURSDAY).unwrap();
            prop_assert_eq!((first.year(), first.ordinal()), (year, 1));
            prop_assert_eq!((last.year(), last.month(), last.day()), (year, Month::December, 31));
            let signed = format!("{sign}{:03}", year % 1000);
            let squashed = format!("{}-{month:04}", year % 100);
            prop_assert!(parse_period(&signed, THURSDAY).is_err(), "{:?}", signed);
            prop_assert!(parse_period(&squashed, THURSDAY).is_err(), "{:?}", squashed);
        }
    }
}
