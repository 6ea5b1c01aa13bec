//! The calendar's edges, with the services' clock steered onto them: the last second of a month
//! and of a year, 29 February of a leap year, and payday budgets across a short February. What
//! "the current period" and "this month" mean comes from the service's clock alone.

use expense_api::expenses::{Budget, BudgetList, Summary};
use expense_kit::clock::Clock;
use reqwest::{Method, StatusCode};
use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;

use crate::helpers::{BACKENDS, Caller, TestApp, expense};

/// A user signed in at the clock's current time (tokens live 15 minutes by that clock).
async fn user_at(app: &TestApp, at: OffsetDateTime) -> Caller {
    app.clock.set(at);
    app.user("ada").await
}

async fn spend(app: &TestApp, caller: &Caller, category: &str, amount: &str, day: &str) {
    app.create(
        caller,
        expense(json!({ "category": category, "amount": amount, "spent_on": day })),
    )
    .await;
}

async fn put_budget(
    app: &TestApp,
    caller: &Caller,
    category: &str,
    amount: &str,
    starts_on_day: u8,
) -> Budget {
    let response = app
        .request(caller, Method::PUT, &format!("/v1/budgets/{category}"))
        .json(&json!({ "amount": amount, "currency": "EUR", "starts_on_day": starts_on_day }))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
    response.json().await.unwrap()
}

/// `(category, period_start, period_end, spent)` of every budget.
async fn budgets(app: &TestApp, caller: &Caller) -> Vec<(String, String, String, String)> {
    let list: BudgetList = app.get(caller, "/v1/budgets").await.json().await.unwrap();
    list.items
        .into_iter()
        .map(|b| (b.category, b.period_start, b.period_end, b.spent))
        .collect()
}

fn row(category: &str, start: &str, end: &str, spent: &str) -> (String, String, String, String) {
    (category.into(), start.into(), end.into(), spent.into())
}

#[tokio::test]
async fn the_last_second_of_a_year_and_the_first_of_the_next() {
    for backend in BACKENDS {
        let app = TestApp::spawn_with_clock(backend, Clock::frozen(datetime!(2026-12-31 23:59:59 UTC))).await;
        let ada = user_at(&app, datetime!(2026-12-31 23:59:59 UTC)).await;
        put_budget(&app, &ada, "food", "100", 1).await;
        spend(&app, &ada, "food", "40.00", "2026-12-31").await;
        spend(&app, &ada, "food", "10.00", "2027-01-01").await;

        assert_eq!(
            budgets(&app, &ada).await,
            [row("food", "2026-12-01", "2026-12-31", "40.00")],
            "{backend:?}: 31 December is still December's period"
        );
        let summary: Summary = app.get(&ada, "/v1/summary").await.json().await.unwrap();
        assert_eq!(
            (summary.from.as_str(), summary.to.as_str()),
            ("2026-12-01", "2026-12-31")
        );
        assert_eq!(summary.count, 1);

        app.clock.advance(time::Duration::seconds(1));
        assert_eq!(
            budgets(&app, &ada).await,
            [row("food", "2027-01-01", "2027-01-31", "10.00")],
            "{backend:?}: one second later it is January's"
        );
        let summary: Summary = app.get(&ada, "/v1/summary").await.json().await.unwrap();
        assert_eq!(
            (summary.from.as_str(), summary.to.as_str()),
            ("2027-01-01", "2027-01-31")
        );
    }
}

#[tokio::test]
async fn the_last_day_of_a_thirty_day_month() {
    let app = TestApp::spawn_with_clock(
        crate::helpers::Backend::Sqlite,
        Clock::frozen(datetime!(2027-04-30 23:59:59.999999 UTC)),
    )
    .await;
    let ada = app.user("ada").await;
    put_budget(&app, &ada, "total", "500", 1).await;
    spend(&app, &ada, "rent", "300.00", "2027-04-30").await;
    spend(&app, &ada, "rent", "200.00", "2027-05-01").await;
    assert_eq!(
        budgets(&app, &ada).await,
        [row("total", "2027-04-01", "2027-04-30", "300.00")]
    );
    app.clock.advance(time::Duration::microseconds(1));
    assert_eq!(
        budgets(&app, &ada).await,
        [row("total", "2027-05-01", "2027-05-31", "200.00")]
    );
}

#[tokio::test]
async fn the_twenty_ninth_of_february() {
    for backend in BACKENDS {
        let app = TestApp::spawn_with_clock(backend, Clock::frozen(datetime!(2028-02-29 12:00 UTC))).await;
        let ada = app.user("ada").await;
        put_budget(&app, &ada, "food", "100", 1).await;
        let rent = put_budget(&app, &ada, "rent", "900", 28).await;
        assert_eq!(
            (rent.period_start.as_str(), rent.period_end.as_str()),
            ("2028-02-28", "2028-03-27")
        );
        spend(&app, &ada, "food", "29.00", "2028-02-29").await;
        spend(&app, &ada, "rent", "900.00", "2028-02-29").await;
        assert_eq!(
            budgets(&app, &ada).await,
            [
                row("food", "2028-02-01", "2028-02-29", "29.00"),
                row("rent", "2028-02-28", "2028-03-27", "900.00"),
            ],
            "{backend:?}"
        );
        let leap_day = app.get(&ada, "/v1/expenses?from=2028-02-29&to=2028-02-29").await;
        assert_eq!(leap_day.status(), StatusCode::OK);
    }
}

/// Paid on the 25th to the 28th: in February 2027 (28 days) the period holding the 28th starts
/// on that day for every start day up to 28, and 1 March stays in it.
#[tokio::test]
async fn payday_budgets_across_a_short_february() {
    for backend in BACKENDS {
        let app = TestApp::spawn_with_clock(backend, Clock::frozen(datetime!(2027-02-27 08:00 UTC))).await;
        let ada = app.user("ada").await;
        for day in 25u8..=28 {
            put_budget(&app, &ada, &format!("payday-{day}"), "100", day).await;
        }
        spend(&app, &ada, "payday-28", "20.00", "2027-02-27").await;
        spend(&app, &ada, "payday-28", "30.00", "2027-02-28").await;
        assert_eq!(
            budgets(&app, &ada).await,
            [
                row("payday-25", "2027-02-25", "2027-03-24", "0.00"),
                row("payday-26", "2027-02-26", "2027-03-25", "0.00"),
                row("payday-27", "2027-02-27", "2027-03-26", "0.00"),
                row("payday-28", "2027-01-28", "2027-02-27", "20.00"),
            ],
            "{backend:?}: on the 27th a budget paid on the 28th is still in January's period"
        );
        let ada = user_at(&app, datetime!(2027-03-01 00:00 UTC)).await;
        for day in 25u8..=28 {
            put_budget(&app, &ada, &format!("payday-{day}"), "100", day).await;
        }
        spend(&app, &ada, "payday-28", "30.00", "2027-02-28").await;
        spend(&app, &ada, "payday-28", "5.00", "2027-03-01").await;
        assert_eq!(
            budgets(&app, &ada).await,
            [
                row("payday-25", "2027-02-25", "2027-03-24", "0.00"),
                row("payday-26", "2027-02-26", "2027-03-25", "0.00"),
                row("payday-27", "2027-02-27", "2027-03-26", "0.00"),
                row("payday-28", "2027-02-28", "2027-03-27", "35.00"),
            ],
            "{backend:?}: 1 March is in the period that started on 28 February"
        );
    }
}
