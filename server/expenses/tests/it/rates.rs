//! Exchange rates and totals in one currency, on both stores and a steered clock: each day's
//! expenses use that day's rate (or the latest earlier one, never a later one), through EUR when
//! needed, summed exactly and rounded once; a missing rate is a 422 naming the currency and day;
//! the ECB's file is imported whole or not at all.

use expense_api::Page;
use expense_api::expenses::{Budget, BudgetList, MissingRate, Summary};
use expense_api::rates::{EcbImport, Rate};
use expense_kit::clock::Clock;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::macros::datetime;

use crate::helpers::{BACKENDS, Backend, Caller, TestApp, expense, fields, problem};

/// `PUT /v1/rates/{from}/{to}/{on}` with `rate`.
async fn put_rate(app: &TestApp, caller: &Caller, pair_and_day: &str, rate: &str) -> reqwest::Response {
    app.request(caller, Method::PUT, &format!("/v1/rates/{pair_and_day}"))
        .json(&json!({ "rate": rate }))
        .send()
        .await
        .unwrap()
}

/// Records a rate, which must be new.
async fn record_rate(app: &TestApp, caller: &Caller, pair_and_day: &str, rate: &str) {
    let response = put_rate(app, caller, pair_and_day, rate).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "{}",
        response.text().await.unwrap()
    );
}

async fn spend(app: &TestApp, caller: &Caller, amount: &str, currency: &str, day: &str, category: &str) {
    app.create(
        caller,
        expense(json!({ "amount": amount, "currency": currency, "spent_on": day, "category": category })),
    )
    .await;
}

async fn summary(app: &TestApp, caller: &Caller, query: &str) -> Summary {
    let response = app.get(caller, &format!("/v1/summary?{query}")).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    response.json().await.unwrap()
}

/// Each group's key and converted total, then the period's.
fn converted(summary: &Summary) -> (Vec<(String, String)>, String) {
    let groups = summary
        .groups
        .iter()
        .map(|group| (group.key.clone(), group.converted.clone().expect("converted")))
        .collect();
    (
        groups,
        summary.conversion.as_ref().expect("a conversion").total.clone(),
    )
}

/// The rates used, as `CUR day: FROM>TO@on=rate` (`/` before an inverted leg), legs joined.
fn rates_used(summary: &Summary) -> Vec<String> {
    summary
        .conversion
        .as_ref()
        .expect("a conversion")
        .rates
        .iter()
        .map(|applied| {
            let legs: Vec<String> = applied
                .legs
                .iter()
                .map(|leg| {
                    format!(
                        "{}{}>{}@{}={}",
                        if leg.inverted { "/" } else { "" },
                        leg.from,
                        leg.to,
                        leg.on,
                        leg.rate
                    )
                })
                .collect();
            format!("{} {}: {}", applied.currency, applied.spent_on, legs.join(" "))
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(key, amount)| ((*key).to_owned(), (*amount).to_owned()))
        .collect()
}

async fn import(app: &TestApp, caller: &Caller, file: impl Into<reqwest::Body>) -> reqwest::Response {
    app.request(caller, Method::POST, "/v1/rates/ecb")
        .header("content-type", "text/csv")
        .body(file)
        .send()
        .await
        .unwrap()
}

async fn rate_list(app: &TestApp, caller: &Caller, query: &str) -> Page<Rate> {
    let response = app.get(caller, &format!("/v1/rates?{query}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn each_day_converts_with_its_own_rate_across_a_day_boundary() {
    for backend in BACKENDS {
        // A second before midnight at the end of November: "this month" is still November.
        let clock = Clock::frozen(datetime!(2026-11-30 23:59:59 UTC));
        let app = TestApp::spawn_with_clock(backend, clock.clone()).await;
        let ada = app.user("ada").await;
        spend(&app, &ada, "10.00", "USD", "2026-11-29", "food").await;
        spend(&app, &ada, "10.00", "USD", "2026-11-30", "food").await;
        spend(&app, &ada, "10.00", "USD", "2026-12-01", "food").await;
        spend(&app, &ada, "10.00", "USD", "2026-12-02", "food").await;
        spend(&app, &ada, "3.00", "EUR", "2026-11-30", "food").await;
        record_rate(&app, &ada, "EUR/USD/2026-11-29", "1.25").await;
        record_rate(&app, &ada, "EUR/USD/2026-11-30", "1.6").await;
        record_rate(&app, &ada, "EUR/USD/2026-12-01", "2").await;
        // Later than every expense: never used.
        record_rate(&app, &ada, "EUR/USD/2026-12-03", "4").await;

        let november = summary(&app, &ada, "group_by=day&in=EUR").await;
        assert_eq!(november.from, "2026-11-01", "{backend:?}");
        assert_eq!(
            converted(&november),
            (
                pairs(&[("2026-11-29", "8.00"), ("2026-11-30", "9.25")]),
                "17.25".to_owned()
            ),
            "{backend:?}"
        );
        // The groups keep their totals per currency beside the converted one.
        let totals: Vec<_> = november.groups[1]
            .totals
            .iter()
            .map(|t| format!("{} {}", t.amount, t.currency))
            .collect();
        assert_eq!(totals, ["3.00 EUR", "10.00 USD"]);
        assert_eq!(
            rates_used(&november),
            [
                "USD 2026-11-29: /EUR>USD@2026-11-29=1.25",
                "USD 2026-11-30: /EUR>USD@2026-11-30=1.6",
            ]
        );

        // One second later it is December: its first day uses its own rate, the second the
        // latest earlier one (the 1st's), not the later one of the 3rd.
        clock.set(datetime!(2026-12-01 00:00:00 UTC));
        let december = summary(&app, &ada, "group_by=day&in=EUR").await;
        assert_eq!(december.from, "2026-12-01");
        assert_eq!(
            converted(&december),
            (
                pairs(&[("2026-12-01", "5.00"), ("2026-12-02", "5.00")]),
                "10.00".to_owned()
            ),
            "{backend:?}"
        );
        assert_eq!(
            rates_used(&december),
            [
                "USD 2026-12-01: /EUR>USD@2026-12-01=2",
                "USD 2026-12-02: /EUR>USD@2026-12-01=2",
            ]
        );
        // Without `in`, nothing is converted and nothing is said about conversions.
        let plain: Value = app
            .get(&ada, "/v1/summary?group_by=day")
            .await
            .json()
            .await
            .unwrap();
        assert!(plain.get("conversion").is_none());
        assert!(plain["groups"][0].get("converted").is_none());
    }
}

#[tokio::test]
async fn other_currencies_convert_through_the_euro_and_the_closest_rate_wins() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        spend(&app, &ada, "108.00", "USD", "2026-11-03", "travel").await;
        spend(&app, &ada, "1000", "JPY", "2026-11-03", "travel").await;
        spend(&app, &ada, "20.00", "GBP", "2026-11-03", "food").await;
        record_rate(&app, &ada, "EUR/USD/2026-11-02", "1.08").await;
        record_rate(&app, &ada, "EUR/JPY/2026-11-03", "160").await;
        // Without the euro's rate into pounds, the refusal says that one rate would do.
        let refused = problem(
            app.get(&ada, "/v1/summary?from=2026-11-01&to=2026-11-30&in=GBP")
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(fields(&refused), ["in", "in"], "{backend:?}");
        assert!(
            refused
                .detail
                .ends_with("(so one EUR→GBP rate may be all that is missing)."),
            "{}",
            refused.detail
        );
        record_rate(&app, &ada, "EUR/GBP/2026-11-03", "0.8").await;
        // A direct rate older than both euro legs' older one loses to the cross rate.
        record_rate(&app, &ada, "USD/GBP/2026-11-01", "0.5").await;

        let in_pounds = summary(&app, &ada, "from=2026-11-01&to=2026-11-30&in=GBP").await;
        // 108 USD = 100 EUR = 80 GBP; 1000 JPY = 6.25 EUR = 5 GBP; food is in pounds already.
        assert_eq!(
            converted(&in_pounds),
            (
                pairs(&[("food", "20.00"), ("travel", "85.00")]),
                "105.00".to_owned()
            ),
            "{backend:?}"
        );
        assert_eq!(
            rates_used(&in_pounds),
            [
                "JPY 2026-11-03: /EUR>JPY@2026-11-03=160 EUR>GBP@2026-11-03=0.8",
                "USD 2026-11-03: /EUR>USD@2026-11-02=1.08 EUR>GBP@2026-11-03=0.8",
            ]
        );
        // A direct rate as recent as the cross rate's older leg wins.
        record_rate(&app, &ada, "USD/GBP/2026-11-02", "0.75").await;
        let in_pounds = summary(&app, &ada, "from=2026-11-01&to=2026-11-30&in=GBP").await;
        assert_eq!(
            converted(&in_pounds).1,
            "106.00",
            "108 USD at 0.75 is 81 GBP: {backend:?}"
        );
        assert!(rates_used(&in_pounds).contains(&"USD 2026-11-03: USD>GBP@2026-11-02=0.75".to_owned()));
        // Into yen (no decimals): 108 USD = 100 EUR = 16000 JPY; 20 GBP = 25 EUR = 4000 JPY.
        let in_yen = summary(&app, &ada, "from=2026-11-01&to=2026-11-30&in=JPY").await;
        assert_eq!(
            converted(&in_yen),
            (
                pairs(&[("food", "4000"), ("travel", "17000")]),
                "21000".to_owned()
            ),
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn a_missing_rate_is_a_422_naming_the_currency_and_its_first_day() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        spend(&app, &ada, "10.00", "USD", "2026-11-10", "food").await;
        spend(&app, &ada, "10.00", "USD", "2026-11-12", "food").await;
        spend(&app, &ada, "10.00", "USD", "2026-11-14", "food").await;
        spend(&app, &ada, "5.00", "CHF", "2026-11-20", "food").await;
        spend(&app, &ada, "7.00", "EUR", "2026-11-21", "food").await;
        // Only in euros, no rate is needed at all.
        let euros = summary(&app, &ada, "from=2026-11-21&to=2026-11-21&in=EUR").await;
        assert_eq!(converted(&euros).1, "7.00", "{backend:?}");
        assert!(rates_used(&euros).is_empty());
        // Without any rate, every currency is named with its first day and how many lack one.
        let refused = problem(
            app.get(&ada, "/v1/summary?from=2026-11-01&to=2026-11-30&in=EUR")
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            refused.errors[1].message,
            "no rate converts USD into EUR on or before 2026-11-10, the first of 3 days with USD expenses and no rate; record one dated 2026-11-10 or earlier: `expense rates set USD EUR RATE --date 2026-11-10`",
            "{backend:?}"
        );
        // A rate after the 10th does not serve the 10th, and CHF still has none.
        record_rate(&app, &ada, "USD/EUR/2026-11-11", "0.9").await;
        let refused = problem(
            app.get(&ada, "/v1/summary?from=2026-11-01&to=2026-11-30&in=EUR")
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(fields(&refused), ["in", "in"], "{backend:?}");
        assert!(
            refused.detail.starts_with("Cannot total in EUR: there are CHF expenses on 2026-11-20 and no rate from CHF into EUR on or before that day (and 1 more currency, listed in `errors`)."),
            "{}",
            refused.detail
        );
        assert_eq!(
            refused.errors[0].message,
            "no rate converts CHF into EUR on or before 2026-11-20; record one dated 2026-11-20 or earlier: `expense rates set CHF EUR RATE --date 2026-11-20`"
        );
        assert_eq!(
            refused.errors[1].message,
            "no rate converts USD into EUR on or before 2026-11-10; record one dated 2026-11-10 or earlier: `expense rates set USD EUR RATE --date 2026-11-10`"
        );
        // One rate dated the first day serves every later day too.
        record_rate(&app, &ada, "USD/EUR/2026-11-10", "0.8").await;
        record_rate(&app, &ada, "CHF/EUR/2026-11-01", "1.1").await;
        let whole = summary(&app, &ada, "from=2026-11-01&to=2026-11-30&in=EUR").await;
        // 8.00 + 9.00 + 9.00 USD days, 5.50 for CHF, 7.00 EUR: every expense is in.
        assert_eq!(converted(&whole).1, "38.50", "{backend:?}");
        assert_eq!(whole.count, 5);
        let refused = problem(
            app.get(&ada, "/v1/summary?in=eur").await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(fields(&refused), ["in"]);
    }
}

#[tokio::test]
async fn totals_are_exact_and_rounded_once_per_group() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        record_rate(&app, &ada, "EUR/USD/2026-11-01", "3").await;
        // Three cents are 0.0033… EUR each: rounded one by one they would vanish.
        for day in ["2026-11-02", "2026-11-03", "2026-11-04"] {
            spend(&app, &ada, "0.01", "USD", day, "tips").await;
        }
        // Half a cent (0.01 CAD at 2 CAD a euro) rounds away from zero, both ways.
        record_rate(&app, &ada, "EUR/CAD/2026-11-01", "2").await;
        spend(&app, &ada, "0.01", "CAD", "2026-11-05", "up").await;
        spend(&app, &ada, "-0.01", "CAD", "2026-11-05", "down").await;
        let result = summary(&app, &ada, "from=2026-11-01&to=2026-11-30&in=EUR").await;
        assert_eq!(
            converted(&result),
            (
                pairs(&[("down", "-0.01"), ("tips", "0.01"), ("up", "0.01")]),
                // 0.01 exactly (the three tips) + 0.005 - 0.005: the total is rounded on its
                // own, not added up from the rounded groups.
                "0.01".to_owned()
            ),
            "{backend:?}"
        );
        // Into a currency with three decimals: 0.03 USD is 0.01 EUR, at 0.3075 KWD a euro.
        record_rate(&app, &ada, "EUR/KWD/2026-11-01", "0.3075").await;
        let dinars = summary(&app, &ada, "from=2026-11-02&to=2026-11-04&in=KWD").await;
        assert_eq!(
            converted(&dinars).1,
            "0.003",
            "0.003075 rounds to 0.003: {backend:?}"
        );
    }
}

#[tokio::test]
async fn rates_are_recorded_replaced_listed_and_deleted_per_user() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let bob = app.user("bob").await;
        record_rate(&app, &ada, "USD/EUR/2026-11-02", "0.9245").await;
        let replaced = put_rate(&app, &ada, "USD/EUR/2026-11-02", "0.9250").await;
        assert_eq!(replaced.status(), StatusCode::OK, "{backend:?}");
        let rate: Rate = replaced.json().await.unwrap();
        assert_eq!(
            (
                rate.from.as_str(),
                rate.to.as_str(),
                rate.on.as_str(),
                rate.rate.as_str()
            ),
            ("USD", "EUR", "2026-11-02", "0.9250")
        );
        record_rate(&app, &ada, "GBP/EUR/2026-11-02", "1.17").await;
        record_rate(&app, &ada, "EUR/JPY/2026-11-03", "160.5").await;
        record_rate(&app, &ada, "USD/EUR/2026-11-01", "0.93").await;

        let listed = |page: &Page<Rate>| -> Vec<String> {
            page.items
                .iter()
                .map(|r| format!("{} {}>{} {}", r.on, r.from, r.to, r.rate))
                .collect()
        };
        let first = rate_list(&app, &ada, "limit=2").await;
        assert_eq!(
            listed(&first),
            ["2026-11-03 EUR>JPY 160.5", "2026-11-02 GBP>EUR 1.17"],
            "{backend:?}"
        );
        let cursor = first.next_cursor.expect("a second page");
        let second = rate_list(&app, &ada, &format!("limit=2&cursor={cursor}")).await;
        assert_eq!(
            listed(&second),
            ["2026-11-02 USD>EUR 0.9250", "2026-11-01 USD>EUR 0.93"]
        );
        assert!(second.next_cursor.is_none());
        let usd = rate_list(&app, &ada, "currency=USD&from=2026-11-02&to=2026-11-30").await;
        assert_eq!(listed(&usd), ["2026-11-02 USD>EUR 0.9250"]);
        assert!(rate_list(&app, &bob, "").await.items.is_empty());

        let refused = problem(
            put_rate(&app, &ada, "usd/USD/2026-02-30", "1,5").await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(fields(&refused), ["from", "on", "rate"], "{backend:?}");
        for (path, rate, field) in [
            ("USD/USD/2026-11-02", "1", "to"),
            ("USD/EUR/2026-11-02", "0", "rate"),
            ("USD/EUR/2026-11-02", "-0.9", "rate"),
            ("USD/XAU/2026-11-02", "0.9", "to"),
        ] {
            let refused = problem(
                put_rate(&app, &ada, path, rate).await,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
            assert_eq!(fields(&refused), [field], "{path} {rate}");
        }
        let number = app
            .request(&ada, Method::PUT, "/v1/rates/USD/EUR/2026-11-02")
            .json(&json!({ "rate": 0.92 }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            number.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "a JSON number is refused"
        );
        let bad_query = problem(
            app.get(&ada, "/v1/rates?currency=usd&limit=500&cursor=nonsense")
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(fields(&bad_query), ["currency", "limit", "cursor"]);

        let delete = |caller: &Caller, path: &str| {
            app.request(caller, Method::DELETE, &format!("/v1/rates/{path}"))
                .send()
        };
        assert_eq!(
            delete(&bob, "USD/EUR/2026-11-02").await.unwrap().status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            delete(&ada, "USD/EUR/2026-11-02").await.unwrap().status(),
            StatusCode::NO_CONTENT
        );
        problem(
            delete(&ada, "USD/EUR/2026-11-02").await.unwrap(),
            StatusCode::NOT_FOUND,
        )
        .await;
        assert_eq!(rate_list(&app, &ada, "").await.items.len(), 3);
    }
}

/// A few days of the ECB's history file, as it publishes it: newest first, `N/A` cells, a
/// currency the euro replaced (CYP) and the trailing comma.
const ECB_FILE: &str = "Date,USD,JPY,CYP,GBP,\n\
    2026-11-04,1.0800,160.00,N/A,0.8000,\n\
    2026-11-03,1.1000,N/A,N/A,0.8100,\n\
    2026-11-02,1.0500,158.50,N/A,N/A,\n";

#[tokio::test]
async fn the_ecb_file_is_imported_whole_or_not_at_all() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let response = import(&app, &ada, ECB_FILE).await;
        assert_eq!(response.status(), StatusCode::OK, "{backend:?}");
        let imported: EcbImport = response.json().await.unwrap();
        assert_eq!(
            imported,
            EcbImport {
                recorded: 7,
                replaced: 0,
                days: 3,
                first_day: Some("2026-11-02".into()),
                last_day: Some("2026-11-04".into()),
                currencies: vec!["GBP".into(), "JPY".into(), "USD".into()],
                skipped_columns: vec!["CYP".into()],
            }
        );
        let jpy = rate_list(&app, &ada, "currency=JPY").await;
        let listed: Vec<_> = jpy
            .items
            .iter()
            .map(|r| format!("{} {}>{} {}", r.on, r.from, r.to, r.rate))
            .collect();
        assert_eq!(listed, ["2026-11-04 EUR>JPY 160.00", "2026-11-02 EUR>JPY 158.50"]);
        // The N/A of the 3rd means the 2nd's yen rate serves it.
        spend(&app, &ada, "317", "JPY", "2026-11-03", "food").await;
        let euros = summary(&app, &ada, "from=2026-11-03&to=2026-11-03&in=EUR").await;
        assert_eq!(converted(&euros).1, "2.00", "{backend:?}");
        // Again: the same rates replace themselves.
        let again: EcbImport = import(&app, &ada, ECB_FILE).await.json().await.unwrap();
        assert_eq!((again.recorded, again.replaced), (7, 7));

        // A file with wrong lines records nothing and names every line.
        let bob = app.user("bob").await;
        let broken = "Date,USD,GBP,\n\
            2026-11-04,1.08,0.80,\n\
            2026-11-03,1.1O,0.81,\n\
            11/02/2026,1.05,N/A,\n\
            2026-11-01,1.05\n";
        let refused = problem(import(&app, &bob, broken).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(fields(&refused), ["line 3", "line 4", "line 5"], "{backend:?}");
        assert!(
            refused.errors[0]
                .message
                .starts_with("USD \"1.1O\" must be a positive decimal")
        );
        assert!(
            refused.detail.contains("no rate was recorded"),
            "{}",
            refused.detail
        );
        assert!(rate_list(&app, &bob, "").await.items.is_empty());
        let not_text = problem(
            import(&app, &bob, vec![0x44, 0x61, 0xff, 0xfe]).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(fields(&not_text), ["file"]);
        let not_ecb = problem(
            import(&app, &bob, "date;amount\n2026-11-01;3\n").await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(fields(&not_ecb), ["line 1", "line 1"]);
    }
}

#[tokio::test]
async fn the_whole_ecb_history_fits_though_it_is_larger_than_other_bodies() {
    // The body limit is the HTTP layer's, the same on both stores: SQLite only.
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ada = app.user("ada").await;
    // About 1.5 MiB: more than the 1 MiB every other route accepts.
    let codes = [
        "USD", "JPY", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
    ];
    let mut file = format!("Date,{},\n", codes.join(","));
    let mut day = time::macros::date!(2026 - 11 - 01);
    while file.len() < 1_500_000 {
        file.push_str(&day.to_string());
        for index in 0..codes.len() {
            file.push_str(&format!(",{}.{:08}", index + 1, day.to_julian_day()));
        }
        file.push_str(",\n");
        day = day.previous_day().unwrap();
    }
    let response = import(&app, &ada, file).await;
    assert_eq!(response.status(), StatusCode::OK);
    let imported: EcbImport = response.json().await.unwrap();
    assert_eq!(imported.recorded, imported.days * 10);
    assert!(imported.days > 10_000);
}

/// `PUT /v1/budgets/{category}`; answers the budget.
async fn set_budget(app: &TestApp, caller: &Caller, category: &str, body: Value) -> Budget {
    let response = app
        .request(caller, Method::PUT, &format!("/v1/budgets/{category}"))
        .json(&body)
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

fn budget_named<'a>(list: &'a BudgetList, category: &str) -> &'a Budget {
    list.items
        .iter()
        .find(|b| b.category == category)
        .expect("the budget is listed")
}

#[tokio::test]
async fn a_budget_in_a_home_currency_counts_foreign_expenses_converted_by_their_day() {
    for backend in BACKENDS {
        // The last second of November: the budget's period is November.
        let clock = Clock::frozen(datetime!(2026-11-30 23:59:59 UTC));
        let app = TestApp::spawn_with_clock(backend, clock.clone()).await;
        let ada = app.user("ada").await;
        spend(&app, &ada, "10.00", "EUR", "2026-11-02", "travel").await;
        spend(&app, &ada, "10.00", "USD", "2026-11-29", "travel").await;
        spend(&app, &ada, "10.00", "USD", "2026-11-30", "travel").await;
        spend(&app, &ada, "8.00", "GBP", "2026-11-30", "travel").await;
        spend(&app, &ada, "99.00", "USD", "2026-11-30", "food").await;
        // December's expense is in the next period.
        spend(&app, &ada, "50.00", "USD", "2026-12-01", "travel").await;
        record_rate(&app, &ada, "EUR/USD/2026-11-29", "1.25").await;
        record_rate(&app, &ada, "EUR/USD/2026-11-30", "1.6").await;
        record_rate(&app, &ada, "EUR/USD/2026-12-01", "2").await;

        // Without `convert`, a EUR budget counts EUR only and says how many it left out.
        let plain = set_budget(
            &app,
            &ada,
            "travel",
            json!({ "amount": "100", "currency": "EUR" }),
        )
        .await;
        assert_eq!(
            (plain.convert, plain.spent.as_str(), plain.other_currency_count),
            (false, "10.00", 3),
            "{backend:?}"
        );
        assert!(plain.missing_rates.is_empty());

        // With it: 10 EUR + 10/1.25 + 10/1.6 = 24.25 EUR; the pounds have no rate yet, so they
        // are not counted, and the budget says which rate would count them.
        let converting = set_budget(
            &app,
            &ada,
            "travel",
            json!({ "amount": "100", "currency": "EUR", "convert": true }),
        )
        .await;
        assert_eq!(
            (
                converting.convert,
                converting.spent.as_str(),
                converting.remaining.as_str(),
                converting.percent_used,
                converting.other_currency_count
            ),
            (true, "24.25", "75.75", 24, 1),
            "{backend:?}"
        );
        assert_eq!(
            converting.missing_rates,
            [MissingRate {
                currency: "GBP".to_owned(),
                first_day: "2026-11-30".to_owned(),
                days: 1
            }]
        );

        // A EUR→GBP rate counts the pounds: 8 / 0.8 = 10 EUR. A total budget in EUR sees the
        // food too: 99 / 1.6 = 61.875, so 24.25 + 10 + 61.875 = 96.125, rounded once: 96.13.
        record_rate(&app, &ada, "EUR/GBP/2026-11-01", "0.8").await;
        set_budget(
            &app,
            &ada,
            "total",
            json!({ "amount": "100.00", "currency": "EUR", "convert": true }),
        )
        .await;
        let list: BudgetList = app.get(&ada, "/v1/budgets").await.json().await.unwrap();
        let travel = budget_named(&list, "travel");
        assert_eq!(
            (travel.spent.as_str(), travel.other_currency_count),
            ("34.25", 0),
            "{backend:?}"
        );
        assert!(travel.missing_rates.is_empty());
        let total = budget_named(&list, "total");
        assert_eq!(
            (total.spent.as_str(), total.remaining.as_str(), total.percent_used),
            ("96.13", "3.87", 96),
            "{backend:?}"
        );

        // A second later it is December: only December's 50 USD, at December 1st's rate.
        clock.set(datetime!(2026-12-01 00:00:00 UTC));
        let list: BudgetList = app.get(&ada, "/v1/budgets").await.json().await.unwrap();
        let travel = budget_named(&list, "travel");
        assert_eq!(
            (travel.period_start.as_str(), travel.spent.as_str()),
            ("2026-12-01", "25.00"),
            "{backend:?}"
        );

        // Set back to not converting, the budget counts EUR only again.
        let plain = set_budget(
            &app,
            &ada,
            "travel",
            json!({ "amount": "100", "currency": "EUR" }),
        )
        .await;
        assert_eq!(
            (plain.convert, plain.spent.as_str(), plain.other_currency_count),
            (false, "0.00", 1)
        );
    }
}
