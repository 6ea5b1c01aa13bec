//! The date-sensitive suites run a second time with the machine's clock moved to the last minute
//! of the current month, under `faketime` (libfaketime), so that a leftover read of the wall
//! clock, the kind of time bomb that broke CI on 1 December, fails CI before the calendar gets
//! there. The suites take about a minute, so the run crosses midnight into the next month.
//!
//! Only the test processes (and what they start: servers, the CLI, moto) run under faketime:
//! it is cargo's runner for the test binaries, so cargo and rustc keep the real time and rebuild
//! nothing. The monotonic clock is left alone, so timeouts and sleeps behave.

use std::process::Command;

use time::{Date, OffsetDateTime, Time};

use crate::os_packages;
use crate::project::{cargo, output, run_checked};

/// The suites whose rules depend on the date: the CLI's (relative dates, summaries, budgets,
/// alerts through the binary), the expenses service's (periods, summaries) and the notifications
/// service's (alerts, monthly summaries, webhook retries).
pub const SUITES: [&str; 3] = ["expense", "expense-expenses", "expense-notifications"];

/// The moment the suites start at: 23:59:00 UTC on the last day of `now`'s month.
pub fn last_minute_of_the_month(now: OffsetDateTime) -> OffsetDateTime {
    let last_day = now.month().length(now.year());
    let date =
        Date::from_calendar_date(now.year(), now.month(), last_day).expect("a month's last day exists");
    date.with_time(Time::from_hms(23, 59, 0).expect("a valid time"))
        .assume_utc()
}

/// libfaketime's start-and-run specification for `at` (`@YYYY-MM-DD hh:mm:ss`).
fn faketime_spec(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("@[year]-[month]-[day] [hour]:[minute]:[second]");
    at.format(&format).expect("the format fits every date")
}

/// Runs [`SUITES`] with the clock at the last minute of this month, with `env` for the tests.
pub fn run(env: &[(&str, String)]) -> anyhow::Result<()> {
    os_packages::ensure("faketime", || os_packages::on_path("faketime"))?;
    let start = last_minute_of_the_month(OffsetDateTime::now_utc());
    let spec = faketime_spec(start);
    eprintln!("    the clock starts at {spec} UTC and runs on into the next month");
    let host = host_triple()?;
    let runner = format!("target.{host}.runner=[\"faketime\", \"-f\", \"{spec}\"]");
    let mut test = cargo();
    test.args(["test", "--locked", "--no-fail-fast", "--config", &runner]);
    for suite in SUITES {
        test.args(["--package", suite]);
    }
    test.env("TZ", "UTC")
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("RUST_BACKTRACE", "1");
    for (name, value) in env {
        test.env(name, value);
    }
    run_checked(&mut test, "cargo test under faketime")
}

/// The target the test binaries are built for (this machine's).
fn host_triple() -> anyhow::Result<String> {
    let verbose = output(Command::new("rustc").arg("-vV"), "rustc -vV")?;
    String::from_utf8_lossy(&verbose)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("`rustc -vV` named no host"))
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_last_minute_of_short_long_and_leap_months() {
        for (now, expected) in [
            (datetime!(2026-12-07 17:10 UTC), datetime!(2026-12-31 23:59 UTC)),
            (datetime!(2027-02-01 00:00 UTC), datetime!(2027-02-28 23:59 UTC)),
            (
                datetime!(2028-02-29 23:59:30 UTC),
                datetime!(2028-02-29 23:59 UTC),
            ),
            (datetime!(2027-04-15 08:00 UTC), datetime!(2027-04-30 23:59 UTC)),
        ] {
            assert_eq!(last_minute_of_the_month(now), expected, "{now}");
        }
        assert_eq!(
            faketime_spec(datetime!(2026-12-31 23:59 UTC)),
            "@2026-12-31 23:59:00"
        );
    }
}
