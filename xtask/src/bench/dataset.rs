//! The synthetic expenses every backend gets: the same amounts, categories and days (two years,
//! newest first in lists), so each figure measures the same work.
//!
//! Row `n` of a fill belongs to user `n % users`, is spent on day `n * 31 % 730` after
//! [`FIRST_DAY`], costs `100 + n * 7919 % 20000` minor units of EUR, and has a merchant on every
//! other row. Created expenses vary the same way with their sequence number.

use std::fmt::Write as _;

use time::{Date, Duration, Month};
use uuid::Uuid;

/// The first day of the two years the expenses are spread over.
pub const FIRST_DAY: (i32, Month, u8) = (2024, Month::December, 1);
/// How many days the expenses are spread over.
pub const DAYS: i64 = 730;
/// The categories used, in rotation.
pub const CATEGORIES: [&str; 6] = ["groceries", "rent", "transport", "eating out", "health", "fun"];

/// `FIRST_DAY` as SQL text, for the fill statements.
pub const FIRST_DAY_SQL: &str = "2024-12-01";

/// Day `offset` (taken modulo [`DAYS`]) of the range.
pub fn day(offset: u64) -> Date {
    let (year, month, day) = FIRST_DAY;
    let first = Date::from_calendar_date(year, month, day).expect("a valid date");
    first + Duration::days(i64::try_from(offset).unwrap_or(0) % DAYS)
}

/// The amount of created expense `sequence`, as a decimal string with two places.
pub fn amount(sequence: u64) -> String {
    format!("{}.{:02}", 1 + sequence % 150, (sequence * 37) % 100)
}

/// The category of created expense `sequence`.
pub fn category(sequence: u64) -> &'static str {
    CATEGORIES[(sequence % CATEGORIES.len() as u64) as usize]
}

/// The `POST /v1/expenses` body of created expense `sequence`.
pub fn new_expense_json(sequence: u64) -> String {
    format!(
        r#"{{"amount":"{}","currency":"EUR","category":"{}","spent_on":"{}"}}"#,
        amount(sequence),
        category(sequence),
        day(sequence * 31),
    )
}

/// The PocketBase record body of created expense `sequence` of `owner`.
pub fn pocketbase_record_json(owner: &str, sequence: u64) -> String {
    format!(
        r#"{{"owner":"{owner}","amount":{},"currency":"EUR","category":"{}","spent_on":"{}"}}"#,
        amount(sequence),
        category(sequence),
        day(sequence * 31),
    )
}

/// `rows` rows in the CSV format of `expense import`
/// (`date,amount,currency,category,note,merchant`), with its header.
pub fn import_csv(rows: u64) -> String {
    let mut csv = String::from("date,amount,currency,category,note,merchant\n");
    for n in 0..rows {
        let merchant = if n % 2 == 0 {
            format!("Shop {}", n % 50)
        } else {
            String::new()
        };
        let _ = writeln!(
            csv,
            "{},{},EUR,{},,{merchant}",
            day(n * 31),
            amount(n),
            category(n)
        );
    }
    csv
}

/// The same rows as [`import_csv`], as a full row of the expenses table in `COPY … (FORMAT csv)`
/// form, for the columns [`COPY_COLUMNS`], all belonging to `user_id`.
pub fn copy_csv(rows: u64, user_id: Uuid) -> String {
    let now = "2026-11-26 12:00:00+00";
    let mut csv = String::new();
    for n in 0..rows {
        // An empty unquoted CSV field is NULL; search_text is never NULL, so quote it.
        let (merchant, search_text) = if n % 2 == 0 {
            (format!("Shop {}", n % 50), format!("shop {}", n % 50))
        } else {
            (String::new(), "\"\"".to_owned())
        };
        let minor = amount(n).replace('.', "");
        let _ = writeln!(
            csv,
            "{},{user_id},{minor},EUR,2,{},,{merchant},{search_text},{},{{}},{now},{now},1",
            Uuid::now_v7(),
            category(n),
            day(n * 31),
        );
    }
    csv
}

/// The columns of [`copy_csv`].
pub const COPY_COLUMNS: &str = "id, user_id, amount_minor, currency, exponent, category, note, merchant, \
                                search_text, spent_on, tags, created_at, updated_at, version";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_vary_and_stay_in_range() {
        assert_eq!(day(0).to_string(), FIRST_DAY_SQL);
        assert_eq!(day(730), day(0));
        assert_eq!(amount(0), "1.00");
        assert_eq!(amount(1), "2.37");
        assert!(new_expense_json(3).contains(r#""category":"eating out""#));
        let csv = import_csv(2);
        assert_eq!(csv.lines().count(), 3);
        assert_eq!(csv.lines().nth(1), Some("2024-12-01,1.00,EUR,groceries,,Shop 0"));
        let copy = copy_csv(2, Uuid::nil());
        assert!(
            copy.lines()
                .nth(1)
                .unwrap()
                .contains(",237,EUR,2,rent,,,\"\",2025-01-01,{},")
        );
    }
}
