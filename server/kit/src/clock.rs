//! The time, as every service reads it: a [`Clock`] handed to each service when it is built.
//!
//! No business rule reads the wall clock directly. Budget periods, alert thresholds, the monthly
//! summary's month, token and presigned-URL expiry, retention and retry times all ask the clock
//! the service was given: the system clock in production, a steered one in tests, so a test can
//! stand on the last second of a year or on 29 February whatever the calendar says. (Intervals
//! measured with `Instant`, such as timeouts, poll periods, rate limits and cache lifetimes, are
//! durations rather than dates and stay on the monotonic clock.)
//!
//! The time is given at the precision both databases store (microseconds), so a value written
//! and read back compares equal.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use time::{Date, Duration, OffsetDateTime};

/// Where a service reads the current time. Cheap to clone; clones share one steered time.
#[derive(Clone, Default)]
pub struct Clock {
    source: Source,
}

#[derive(Clone, Default)]
enum Source {
    /// The operating system's clock.
    #[default]
    System,
    /// A time set by a test: frozen, or running at the system clock's pace from a chosen start.
    Steered(Arc<Mutex<Steered>>),
}

#[derive(Clone, Copy)]
enum Steered {
    /// Always this instant, until set or advanced.
    Frozen(OffsetDateTime),
    /// The system time plus this offset: time passes, from a chosen start.
    Offset(Duration),
}

impl Clock {
    /// The operating system's clock: what every service uses in production.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock standing still at `at` until [`Clock::set`] or [`Clock::advance`] moves it.
    pub fn frozen(at: OffsetDateTime) -> Self {
        Self::steered(Steered::Frozen(truncate(at)))
    }

    /// A clock that reads `at` now and then runs at the pace of the system clock.
    pub fn starting_at(at: OffsetDateTime) -> Self {
        Self::steered(Steered::Offset(at - OffsetDateTime::now_utc()))
    }

    fn steered(steered: Steered) -> Self {
        Self {
            source: Source::Steered(Arc::new(Mutex::new(steered))),
        }
    }

    /// Now, in UTC, truncated to whole microseconds.
    pub fn now(&self) -> OffsetDateTime {
        match &self.source {
            Source::System => truncate(OffsetDateTime::now_utc()),
            Source::Steered(steered) => match *steered.lock().unwrap_or_else(PoisonError::into_inner) {
                Steered::Frozen(at) => at,
                Steered::Offset(offset) => truncate(OffsetDateTime::now_utc() + offset),
            },
        }
    }

    /// Today's date in UTC, the calendar every date rule uses.
    pub fn today(&self) -> Date {
        self.now().date()
    }

    /// Moves a steered clock to `at` (a frozen clock stays frozen there; a running one runs on
    /// from there).
    ///
    /// # Panics
    ///
    /// On the system clock, which nothing may move.
    pub fn set(&self, at: OffsetDateTime) {
        let mut steered = self.steered_state();
        *steered = match *steered {
            Steered::Frozen(_) => Steered::Frozen(truncate(at)),
            Steered::Offset(_) => Steered::Offset(at - OffsetDateTime::now_utc()),
        };
    }

    /// Moves a steered clock forward by `by` (backward when negative).
    ///
    /// # Panics
    ///
    /// On the system clock, which nothing may move.
    pub fn advance(&self, by: Duration) {
        let mut steered = self.steered_state();
        *steered = match *steered {
            Steered::Frozen(at) => Steered::Frozen(truncate(at + by)),
            Steered::Offset(offset) => Steered::Offset(offset + by),
        };
    }

    fn steered_state(&self) -> std::sync::MutexGuard<'_, Steered> {
        match &self.source {
            Source::System => panic!("the system clock cannot be steered; build a Clock::frozen"),
            Source::Steered(steered) => steered.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::System => f.write_str("Clock::System"),
            Source::Steered(_) => write!(f, "Clock::Steered({})", self.now()),
        }
    }
}

/// `at` truncated to whole microseconds.
pub fn truncate(at: OffsetDateTime) -> OffsetDateTime {
    let nanos = at.nanosecond();
    at.replace_nanosecond(nanos - nanos % 1_000)
        .expect("a smaller nanosecond is valid")
}

/// Microseconds since the Unix epoch, as SQLite stores timestamps.
pub fn to_micros(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000).expect("dates within ±292,000 years")
}

/// The inverse of [`to_micros`].
pub fn from_micros(micros: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .expect("stored timestamps are in range")
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn micros_round_trip() {
        let at = Clock::system().now();
        assert_eq!(from_micros(to_micros(at)), at);
        assert_eq!(at.nanosecond() % 1_000, 0);
    }

    #[test]
    fn a_frozen_clock_moves_only_when_told() {
        let clock = Clock::frozen(datetime!(2026-12-31 23:59:59.9999999 UTC));
        assert_eq!(clock.now(), datetime!(2026-12-31 23:59:59.999999 UTC));
        let shared = clock.clone();
        shared.advance(Duration::microseconds(1));
        assert_eq!(clock.now(), datetime!(2027-01-01 00:00 UTC));
        assert_eq!(clock.today(), time::macros::date!(2027 - 01 - 01));
        clock.set(datetime!(2028-02-29 12:00 UTC));
        assert_eq!(shared.today(), time::macros::date!(2028 - 02 - 29));
    }

    #[test]
    fn a_running_clock_starts_where_told_and_keeps_going() {
        let clock = Clock::starting_at(datetime!(2027-03-28 01:30 UTC));
        let first = clock.now();
        assert!(first >= datetime!(2027-03-28 01:30 UTC));
        assert!(first < datetime!(2027-03-28 01:31 UTC));
        clock.advance(Duration::days(1));
        assert_eq!(clock.today(), time::macros::date!(2027 - 03 - 29));
        assert!(clock.now() >= first);
    }

    #[test]
    #[should_panic(expected = "cannot be steered")]
    fn the_system_clock_cannot_be_steered() {
        Clock::system().advance(Duration::SECOND);
    }
}
