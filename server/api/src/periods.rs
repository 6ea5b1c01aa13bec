//! Budget periods, shared by the services that report on budgets (expenses) and alert on them
//! (notifications). A monthly budget starting on day `d` (1 to 28, say a payday) runs from day
//! `d` of one month to the day before day `d` of the next.

use time::{Date, Month};

/// The first and last day of the period of a monthly budget starting on `starts_on_day` that
/// contains `today`.
pub fn monthly_period(today: Date, starts_on_day: u8) -> (Date, Date) {
    let start = if today.day() >= starts_on_day {
        on_day(today.year(), today.month(), starts_on_day)
    } else {
        let (year, month) = previous_month(today.year(), today.month());
        on_day(year, month, starts_on_day)
    };
    let (year, month) = next_month(start.year(), start.month());
    let next_start = on_day(year, month, starts_on_day);
    (
        start,
        next_start
            .previous_day()
            .expect("dates after 1900 have a previous day"),
    )
}

fn on_day(year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(year, month, day).expect("days 1 to 28 exist in every month")
}

fn previous_month(year: i32, month: Month) -> (i32, Month) {
    match month {
        Month::January => (year - 1, Month::December),
        other => (year, other.previous()),
    }
}

fn next_month(year: i32, month: Month) -> (i32, Month) {
    match month {
        Month::December => (year + 1, Month::January),
        other => (year, other.next()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn calendar_months() {
        assert_eq!(
            monthly_period(date!(2026 - 11 - 26), 1),
            (date!(2026 - 11 - 01), date!(2026 - 11 - 30))
        );
        assert_eq!(
            monthly_period(date!(2026 - 02 - 01), 1),
            (date!(2026 - 02 - 01), date!(2026 - 02 - 28))
        );
        assert_eq!(
            monthly_period(date!(2028 - 02 - 29), 1),
            (date!(2028 - 02 - 01), date!(2028 - 02 - 29))
        );
    }

    #[test]
    fn payday_aligned_periods() {
        // Paid on the 25th: the 24th still belongs to the previous period.
        assert_eq!(
            monthly_period(date!(2026 - 11 - 24), 25),
            (date!(2026 - 10 - 25), date!(2026 - 11 - 24))
        );
        assert_eq!(
            monthly_period(date!(2026 - 11 - 25), 25),
            (date!(2026 - 11 - 25), date!(2026 - 12 - 24))
        );
        // Across a year boundary, both ways.
        assert_eq!(
            monthly_period(date!(2027 - 01 - 10), 15),
            (date!(2026 - 12 - 15), date!(2027 - 01 - 14))
        );
        assert_eq!(
            monthly_period(date!(2026 - 12 - 20), 15),
            (date!(2026 - 12 - 15), date!(2027 - 01 - 14))
        );
    }

    /// Every start day from 25 to 28 across the short February of 2027 and the long one of
    /// 2028: the period holding the last day of February and the one holding 1 March.
    #[test]
    fn payday_periods_across_february() {
        for day in 25u8..=28 {
            let start = |y, m| Date::from_calendar_date(y, m, day).unwrap();
            let before = |y, m| start(y, m).previous_day().unwrap();
            for (year, last_of_february) in [(2027, date!(2027 - 02 - 28)), (2028, date!(2028 - 02 - 29))] {
                let expected_for_last = if last_of_february.day() >= day {
                    (start(year, Month::February), before(year, Month::March))
                } else {
                    (start(year, Month::January), before(year, Month::February))
                };
                assert_eq!(
                    monthly_period(last_of_february, day),
                    expected_for_last,
                    "day {day}, {year}"
                );
                let first_of_march = last_of_february.next_day().unwrap();
                assert_eq!(
                    monthly_period(first_of_march, day),
                    (start(year, Month::February), before(year, Month::March)),
                    "day {day}, {year}"
                );
            }
        }
        // Spelled out once: paid on the 28th, 28 February 2027 opens a period to 27 March, and
        // 27 February closes the one from 28 January.
        assert_eq!(
            monthly_period(date!(2027 - 02 - 27), 28),
            (date!(2027 - 01 - 28), date!(2027 - 02 - 27))
        );
        assert_eq!(
            monthly_period(date!(2027 - 02 - 28), 28),
            (date!(2027 - 02 - 28), date!(2027 - 03 - 27))
        );
    }

    /// The last day of a month, and 31 December into 1 January, for calendar months.
    #[test]
    fn month_ends_and_the_new_year() {
        assert_eq!(
            monthly_period(date!(2026 - 12 - 31), 1),
            (date!(2026 - 12 - 01), date!(2026 - 12 - 31))
        );
        assert_eq!(
            monthly_period(date!(2027 - 01 - 01), 1),
            (date!(2027 - 01 - 01), date!(2027 - 01 - 31))
        );
        assert_eq!(
            monthly_period(date!(2026 - 04 - 30), 1),
            (date!(2026 - 04 - 01), date!(2026 - 04 - 30))
        );
        assert_eq!(
            monthly_period(date!(2027 - 01 - 01), 25),
            (date!(2026 - 12 - 25), date!(2027 - 01 - 24))
        );
    }
}
