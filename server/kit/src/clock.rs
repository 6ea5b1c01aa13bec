//! The current time, at the precision both databases store (microseconds), so a value written
//! and read back compares equal.

use time::OffsetDateTime;

/// Now, in UTC, truncated to whole microseconds.
pub fn now() -> OffsetDateTime {
    truncate(OffsetDateTime::now_utc())
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
    use super::*;

    #[test]
    fn micros_round_trip() {
        let at = now();
        assert_eq!(from_micros(to_micros(at)), at);
        assert_eq!(at.nanosecond() % 1_000, 0);
    }
}
