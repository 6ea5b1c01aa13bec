//! Budgets: spending in the current (payday-aligned) period, per currency, with refunds.

use expense_api::expenses::{Budget, BudgetList};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{BACKENDS, TestApp, expense, fields, problem};

fn put(
    app: &TestApp,
    caller: &crate::helpers::Caller,
    category: &str,
    body: Value,
) -> reqwest::RequestBuilder {
    app.request(caller, Method::PUT, &format!("/v1/budgets/{category}"))
        .json(&body)
}

#[tokio::test]
async fn budgets_report_spending_of_the_current_period() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let today = app.today();
        let (start, end) = expense_expenses::budget::monthly_period(today, 1);
        let day = |date: time::Date| expense_expenses::domain::format_date(date);
        app.create(
            &ada,
            expense(json!({ "category": "food", "amount": "40.00", "spent_on": day(start) })),
        )
        .await;
        app.create(
            &ada,
            expense(json!({ "category": "food", "amount": "-5.00", "spent_on": day(end) })),
        )
        .await;
        app.create(
            &ada,
            expense(json!({ "category": "food", "amount": "9", "currency": "USD", "spent_on": day(start) })),
        )
        .await;
        app.create(
            &ada,
            expense(json!({ "category": "travel", "amount": "15.00", "spent_on": day(start) })),
        )
        .await;
        let before = start.previous_day().unwrap();
        app.create(
            &ada,
            expense(json!({ "category": "food", "amount": "99.00", "spent_on": day(before) })),
        )
        .await;

        let created = put(&app, &ada, "food", json!({ "amount": "50", "currency": "EUR" }))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED, "{backend:?}");
        let food: Budget = created.json().await.unwrap();
        assert_eq!(
            (food.spent.as_str(), food.remaining.as_str(), food.percent_used),
            ("35.00", "15.00", 70)
        );
        assert_eq!(
            food.other_currency_count, 1,
            "the USD expense is not added to EUR"
        );
        assert_eq!(
            (food.period_start.clone(), food.period_end.clone()),
            (day(start), day(end))
        );

        let replaced = put(
            &app,
            &ada,
            "food",
            json!({ "amount": "30.00", "currency": "EUR" }),
        )
        .send()
        .await
        .unwrap();
        assert_eq!(replaced.status(), StatusCode::OK);
        let total = put(&app, &ada, "total", json!({ "amount": "40", "currency": "EUR" }))
            .send()
            .await
            .unwrap();
        assert_eq!(total.status(), StatusCode::CREATED);

        let list: BudgetList = app.get(&ada, "/v1/budgets").await.json().await.unwrap();
        let rows: Vec<(&str, &str, &str, i64)> = list
            .items
            .iter()
            .map(|b| {
                (
                    b.category.as_str(),
                    b.spent.as_str(),
                    b.remaining.as_str(),
                    b.percent_used,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [("food", "35.00", "-5.00", 116), ("total", "50.00", "-10.00", 125)],
            "{backend:?}"
        );

        let deleted = app
            .request(&ada, Method::DELETE, "/v1/budgets/food")
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        let list: BudgetList = app.get(&ada, "/v1/budgets").await.json().await.unwrap();
        assert_eq!(list.items.len(), 1);
    }
}

#[tokio::test]
async fn payday_aligned_budgets_and_bad_budgets() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let ada = app.user("ada").await;
    let payday: Budget = put(
        &app,
        &ada,
        "rent",
        json!({ "amount": "900", "currency": "EUR", "starts_on_day": 25 }),
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let today = app.today();
    let (start, end) = expense_expenses::budget::monthly_period(today, 25);
    assert_eq!(start.day(), 25);
    assert_eq!(payday.period_start, expense_expenses::domain::format_date(start));
    assert_eq!(payday.period_end, expense_expenses::domain::format_date(end));

    let refused = put(
        &app,
        &ada,
        "rent",
        json!({ "amount": "-1", "currency": "EUR", "period": "weekly", "starts_on_day": 31 }),
    )
    .send()
    .await
    .unwrap();
    let refused = problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(fields(&refused), ["amount", "period", "starts_on_day"]);
    let refused = put(&app, &ada, "rent", json!({ "amount": 900, "currency": "EUR" }))
        .send()
        .await
        .unwrap();
    problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    problem(
        app.request(&ada, Method::DELETE, "/v1/budgets/none")
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
}
