//! The rates part of the conformance suite, on SQLite and Postgres: what `RateRepository` and the
//! day rows of a summary promise, tested against the trait.

use std::sync::Arc;

use expense_api::conversion::Rate;
use expense_api::money::Currency;
use expense_expenses::events;
use expense_expenses::rates::{RateCursor, RateFilter, RateRecord};
use expense_expenses::repository::{ExpenseStore, GroupBy, OutboxEvent};
use time::Date;
use time::macros::date;
use uuid::Uuid;

use crate::helpers::START;
use crate::repository::{each_store, insert, record};

fn currency(code: &str) -> Currency {
    code.parse().unwrap()
}

fn rate(user_id: Uuid, from: &str, to: &str, on: Date, value: &str) -> RateRecord {
    RateRecord {
        user_id,
        from: currency(from),
        to: currency(to),
        on,
        rate: Rate::parse(value).unwrap(),
        recorded_at: START,
    }
}

/// The events of recording `rates`.
fn recorded(user_id: Uuid, rates: &[RateRecord]) -> Vec<OutboxEvent> {
    events::rates_recorded(user_id, rates, START)
}

/// Rates as `day FROM>TO rate`.
fn shown(rates: &[RateRecord]) -> Vec<String> {
    rates
        .iter()
        .map(|r| format!("{} {}>{} {}", r.on, r.from, r.to, r.rate))
        .collect()
}

async fn period(
    store: &Arc<dyn ExpenseStore>,
    user: Uuid,
    codes: &[&str],
    from: Date,
    to: Date,
) -> Vec<String> {
    let currencies: Vec<Currency> = codes.iter().map(|c| currency(c)).collect();
    let mut rates = store.rates_for_period(user, &currencies, from, to).await.unwrap();
    rates.sort_by_key(|r| (r.from.code(), r.to.code(), r.on));
    shown(&rates)
}

#[tokio::test]
async fn rates_are_replaced_listed_in_pages_and_deleted() {
    each_store(|store, backend| async move {
        let ada = Uuid::now_v7();
        let bob = Uuid::now_v7();
        let first = [
            rate(ada, "EUR", "USD", date!(2026 - 11 - 02), "1.0800"),
            rate(ada, "EUR", "JPY", date!(2026 - 11 - 02), "160.00"),
            rate(ada, "USD", "GBP", date!(2026 - 11 - 01), "0.79"),
        ];
        // The rates and their events are written together: one event per request here.
        assert_eq!(
            store
                .put_rates(ada, &first, &recorded(ada, &first))
                .await
                .unwrap(),
            0,
            "{backend:?}"
        );
        assert_eq!(store.pending_events().await.unwrap(), 1, "{backend:?}");
        let bobs = [rate(bob, "EUR", "USD", date!(2026 - 11 - 02), "2")];
        assert_eq!(
            store.put_rates(bob, &bobs, &recorded(bob, &bobs)).await.unwrap(),
            0
        );
        let again = [
            rate(ada, "EUR", "USD", date!(2026 - 11 - 02), "1.0812"),
            rate(ada, "EUR", "USD", date!(2026 - 11 - 03), "1.09"),
        ];
        assert_eq!(
            store
                .put_rates(ada, &again, &recorded(ada, &again))
                .await
                .unwrap(),
            1,
            "one replaced: {backend:?}"
        );

        let all = store
            .list_rates(ada, &RateFilter::default(), None, 10)
            .await
            .unwrap();
        assert_eq!(
            shown(&all),
            [
                "2026-11-03 EUR>USD 1.09",
                "2026-11-02 EUR>JPY 160.00",
                "2026-11-02 EUR>USD 1.0812",
                "2026-11-01 USD>GBP 0.79",
            ],
            "{backend:?}"
        );
        let after = RateCursor {
            on: date!(2026 - 11 - 02),
            from: currency("EUR"),
            to: currency("JPY"),
        };
        let rest = store
            .list_rates(ada, &RateFilter::default(), Some(after), 10)
            .await
            .unwrap();
        assert_eq!(
            shown(&rest),
            ["2026-11-02 EUR>USD 1.0812", "2026-11-01 USD>GBP 0.79"]
        );
        let usd_in_a_window = RateFilter {
            currency: Some(currency("USD")),
            from: Some(date!(2026 - 11 - 01)),
            to: Some(date!(2026 - 11 - 02)),
        };
        let filtered = store.list_rates(ada, &usd_in_a_window, None, 10).await.unwrap();
        assert_eq!(
            shown(&filtered),
            ["2026-11-02 EUR>USD 1.0812", "2026-11-01 USD>GBP 0.79"]
        );

        let pending = store.pending_events().await.unwrap();
        let deleted = || {
            events::rate_deleted(
                ada,
                (currency("EUR"), currency("USD"), date!(2026 - 11 - 03)),
                START,
            )
        };
        assert!(
            store
                .delete_rate(
                    ada,
                    currency("EUR"),
                    currency("USD"),
                    date!(2026 - 11 - 03),
                    &deleted()
                )
                .await
                .unwrap()
        );
        assert!(
            !store
                .delete_rate(
                    ada,
                    currency("EUR"),
                    currency("USD"),
                    date!(2026 - 11 - 03),
                    &deleted()
                )
                .await
                .unwrap()
        );
        assert_eq!(
            store.pending_events().await.unwrap(),
            pending + 1,
            "{backend:?}: an event for the deletion, none for deleting nothing"
        );
        assert_eq!(
            store
                .list_rates(bob, &RateFilter::default(), None, 10)
                .await
                .unwrap()
                .len(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_period_gets_its_rates_and_each_pairs_latest_before_it() {
    each_store(|store, backend| async move {
        let ada = Uuid::now_v7();
        let bob = Uuid::now_v7();
        let adas = [
            rate(ada, "EUR", "USD", date!(2026 - 10 - 01), "1.01"),
            rate(ada, "EUR", "USD", date!(2026 - 10 - 30), "1.02"),
            rate(ada, "EUR", "USD", date!(2026 - 11 - 05), "1.03"),
            rate(ada, "EUR", "USD", date!(2026 - 12 - 01), "1.04"),
            rate(ada, "USD", "EUR", date!(2026 - 11 - 01), "0.9"),
            rate(ada, "EUR", "GBP", date!(2026 - 11 - 30), "0.8"),
            rate(ada, "EUR", "CHF", date!(2026 - 11 - 10), "0.95"),
        ];
        store.put_rates(ada, &adas, &recorded(ada, &adas)).await.unwrap();
        let bobs = [rate(bob, "EUR", "USD", date!(2026 - 11 - 10), "7")];
        store.put_rates(bob, &bobs, &recorded(bob, &bobs)).await.unwrap();
        assert_eq!(
            period(
                &store,
                ada,
                &["EUR", "USD", "GBP"],
                date!(2026 - 11 - 01),
                date!(2026 - 11 - 30)
            )
            .await,
            [
                // The latest before the period, not the older ones; nothing after it; no CHF.
                "2026-11-30 EUR>GBP 0.8",
                "2026-10-30 EUR>USD 1.02",
                "2026-11-05 EUR>USD 1.03",
                // A rate on the first day is the pair's own.
                "2026-11-01 USD>EUR 0.9",
            ],
            "{backend:?}"
        );
        assert!(
            period(
                &store,
                ada,
                &["EUR", "USD"],
                date!(2026 - 09 - 01),
                date!(2026 - 09 - 30)
            )
            .await
            .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn day_rows_total_each_group_currency_and_day() {
    each_store(|store, backend| async move {
        let ada = Uuid::now_v7();
        insert(
            &store,
            &[
                record(ada, "10.50", "EUR", "food", date!(2026 - 11 - 01)),
                record(ada, "2.25", "EUR", "food", date!(2026 - 11 - 01)),
                record(ada, "3.00", "USD", "food", date!(2026 - 11 - 01)),
                record(ada, "4.00", "USD", "food", date!(2026 - 11 - 02)),
                record(ada, "1000", "JPY", "travel", date!(2026 - 11 - 02)),
                record(ada, "9.00", "EUR", "food", date!(2026 - 12 - 01)),
            ],
        )
        .await;
        let rows = store
            .summary_by_day(
                ada,
                GroupBy::Category,
                date!(2026 - 11 - 01),
                date!(2026 - 11 - 30),
            )
            .await
            .unwrap();
        let shown: Vec<String> = rows
            .iter()
            .map(|r| {
                format!(
                    "{} {} {} {}/{} x{}",
                    r.key, r.currency, r.spent_on, r.total_minor, r.exponent, r.count
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                "food EUR 2026-11-01 1275/2 x2",
                "food USD 2026-11-01 300/2 x1",
                "food USD 2026-11-02 400/2 x1",
                "travel JPY 2026-11-02 1000/0 x1",
            ],
            "{backend:?}"
        );
        let by_month = store
            .summary_by_day(ada, GroupBy::Month, date!(2026 - 11 - 01), date!(2026 - 12 - 31))
            .await
            .unwrap();
        let keys: Vec<&str> = by_month.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["2026-11", "2026-11", "2026-11", "2026-11", "2026-12"]);
    })
    .await;
}
