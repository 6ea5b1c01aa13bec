//! Stored expenses written as their wire form ([`expense_api::expenses::Expense`]) straight
//! from the records, without building an `Expense` (and copying every string of it) first:
//! a page of 50 is the service's busiest answer. The output is the same JSON, byte for byte;
//! a test holds the two together.

use serde::ser::{Serialize, SerializeStruct, Serializer};
use time::OffsetDateTime;

use crate::repository::ExpenseRecord;

/// An expense record as `Expense` serialises.
pub struct WireExpense<'a>(pub &'a ExpenseRecord);

impl Serialize for WireExpense<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let record = self.0;
        let fields = &record.fields;
        let mut expense =
            serializer.serialize_struct("Expense", 11 + usize::from(record.recurring_id.is_some()))?;
        expense.serialize_field("id", &record.id)?;
        expense.serialize_field("amount", &fields.money.amount())?;
        expense.serialize_field("currency", fields.money.currency().code())?;
        expense.serialize_field("category", &fields.category)?;
        expense.serialize_field("note", &fields.note)?;
        expense.serialize_field("merchant", &fields.merchant)?;
        expense.serialize_field("spent_on", &Day(fields.spent_on))?;
        expense.serialize_field("tags", &fields.tags)?;
        expense.serialize_field("created_at", &Rfc3339(record.created_at))?;
        expense.serialize_field("updated_at", &Rfc3339(record.updated_at))?;
        expense.serialize_field("version", &record.version)?;
        match &record.recurring_id {
            Some(id) => expense.serialize_field("recurring_id", id)?,
            None => expense.skip_field("recurring_id")?,
        }
        expense.end()
    }
}

/// A day as `YYYY-MM-DD`, written without an intermediate string.
struct Day(time::Date);

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let date = self.0;
        serializer.collect_str(&format_args!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        ))
    }
}

/// A timestamp as `Expense` writes it (`time::serde::rfc3339`).
struct Rfc3339(OffsetDateTime);

impl Serialize for Rfc3339 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        time::serde::rfc3339::serialize(&self.0, serializer)
    }
}

#[cfg(test)]
mod tests {
    use expense_api::money::{Currency, Money};
    use proptest::prelude::*;
    use time::Date;

    use super::*;
    use crate::domain::ExpenseFields;

    fn record(
        minor: i64,
        code: &str,
        note: Option<String>,
        day: i32,
        micros: i64,
        tags: Vec<String>,
    ) -> ExpenseRecord {
        let currency: Currency = code.parse().unwrap();
        ExpenseRecord {
            id: uuid::Uuid::now_v7(),
            user_id: uuid::Uuid::now_v7(),
            fields: ExpenseFields {
                money: Money::from_minor(minor, currency).unwrap(),
                category: "groceries".into(),
                note: note.clone(),
                merchant: note.map(|n| format!("{n}!")),
                spent_on: Date::from_julian_day(day).unwrap(),
                tags,
            },
            created_at: expense_kit::clock::from_micros(micros),
            updated_at: expense_kit::clock::from_micros(micros + 1),
            version: 3,
            recurring_id: (micros % 2 == 0).then(uuid::Uuid::now_v7),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        /// Whatever the record holds, the shortcut writes what `Expense` writes.
        #[test]
        fn the_wire_form_is_the_expense(
            minor in -1_000_000_000i64..1_000_000_000,
            code in prop::sample::select(vec!["EUR", "JPY", "KWD", "USD"]),
            note in proptest::option::of("\\PC{0,40}"),
            day in 2_400_000i32..2_600_000,
            micros in 0i64..4_000_000_000_000_000,
            tags in proptest::collection::vec("[a-z\"\\\\]{1,8}", 0..4),
        ) {
            let record = record(minor, code, note, day, micros, tags);
            prop_assert_eq!(
                serde_json::to_string(&WireExpense(&record)).unwrap(),
                serde_json::to_string(&record.to_api()).unwrap()
            );
        }
    }
}
