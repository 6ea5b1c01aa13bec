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
}
