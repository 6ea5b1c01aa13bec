//! Budget alerts on the in-process bus: each threshold once per period, duplicates and edits
//! ignored, re-armed by refunds, periods aligned on the budget's start day, preferences obeyed.

use expense_api::notifications::{NotificationKind, NotificationSettings};
use expense_api::periods::monthly_period;
use expense_kit::events::EventBus;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{BACKENDS, Backend, TestApp, problem};

/// The first day of the app's current period of a budget starting on the 1st.
fn period_start(app: &TestApp) -> time::Date {
    monthly_period(app.today(), 1).0
}

#[tokio::test]
async fn each_threshold_alerts_once_per_period() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let day = period_start(&app);
        app.budget(&ada, "food", "100.00", 1).await;

        app.spend(&ada, "food", "50.00", day).await;
        app.settle().await;
        assert!(
            app.alerts(&ada).await.is_empty(),
            "{backend:?}: 50 % is under every threshold"
        );

        let lunch = app.spend(&ada, "food", "35.00", day).await;
        app.settle().await;
        assert_eq!(app.alerts(&ada).await, [("food".to_owned(), 80)], "{backend:?}");

        // Editing the same expense twice, staying between 80 and 90 %, alerts nothing more.
        let lunch = app.change_amount(&ada, &lunch, "36.00").await;
        app.change_amount(&ada, &lunch, "37.00").await;
        app.settle().await;
        assert_eq!(app.alerts(&ada).await.len(), 1, "{backend:?}");

        app.spend(&ada, "food", "6.00", day).await;
        app.spend(&ada, "food", "7.10", day).await;
        app.settle().await;
        assert_eq!(
            app.alerts(&ada).await,
            [
                ("food".to_owned(), 80),
                ("food".to_owned(), 90),
                ("food".to_owned(), 100)
            ],
            "{backend:?}"
        );
        let newest = &app.notifications(&ada).await[0];
        assert_eq!(newest.title, "Your food budget is used up (100 %)");
        assert_eq!(newest.data["spent"], "100.10");
        assert_eq!(newest.data["period_start"], day.to_string());

        // Other categories and currencies do not count against the food budget.
        app.spend(&ada, "travel", "500.00", day).await;
        app.settle().await;
        assert_eq!(app.alerts(&ada).await.len(), 3, "{backend:?}");

        // Every alert was also mailed, once.
        assert_eq!(app.mails("alert-").len(), 3, "{backend:?}");
    }
}

#[tokio::test]
async fn redelivered_events_change_nothing() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let day = period_start(&app);
        app.budget(&ada, "food", "100.00", 1).await;
        app.spend(&ada, "food", "45.00", day).await;
        app.settle().await;

        // Everything published so far arrives twice more: counted twice, 45 € would be 90 %.
        let events = app.published();
        assert_eq!(events.len(), 2);
        app.bus.publish(&events).await.unwrap();
        app.bus.publish(&events).await.unwrap();
        app.settle().await;
        assert!(app.alerts(&ada).await.is_empty(), "{backend:?}");

        app.spend(&ada, "food", "40.00", day).await;
        app.settle().await;
        assert_eq!(app.alerts(&ada).await, [("food".to_owned(), 80)], "{backend:?}");
        app.bus.publish(&app.published()).await.unwrap();
        app.settle().await;
        assert_eq!(app.alerts(&ada).await.len(), 1, "{backend:?}");
    }
}

#[tokio::test]
async fn late_events_do_not_undo_newer_ones() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ada = app.user("ada").await;
    let day = period_start(&app);
    app.budget(&ada, "food", "100.00", 1).await;
    let lunch = app.spend(&ada, "food", "10.00", day).await;
    app.change_amount(&ada, &lunch, "85.00").await;
    app.settle().await;
    assert_eq!(app.alerts(&ada).await.len(), 1);

    // The creation (version 1, 10 €) arriving again after the update (version 2) is ignored even
    // under a new event id: the copy keeps the newest version.
    let mut created = app
        .published()
        .into_iter()
        .find(|e| e.kind == "expense.created")
        .unwrap();
    created.id = uuid::Uuid::now_v7();
    app.bus.publish(&[created]).await.unwrap();
    app.settle().await;
    app.spend(&ada, "food", "6.00", day).await;
    app.settle().await;
    assert_eq!(
        app.alerts(&ada).await,
        [("food".to_owned(), 80), ("food".to_owned(), 90)],
        "85 + 6 = 91 %: the stale 10 € did not replace the 85 €"
    );
}

#[tokio::test]
async fn a_refund_re_arms_a_threshold() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let day = period_start(&app);
        app.budget(&ada, "food", "100.00", 1).await;
        app.spend(&ada, "food", "85.00", day).await;
        app.settle().await;
        assert_eq!(app.alerts(&ada).await.len(), 1, "{backend:?}");

        // A refund brings spending to 75 %: the 80 % alert is re-armed, and crossing it again alerts again.
        app.spend(&ada, "food", "-10.00", day).await;
        app.settle().await;
        assert_eq!(app.alerts(&ada).await.len(), 1, "{backend:?}");
        let snack = app.spend(&ada, "food", "6.00", day).await;
        app.settle().await;
        assert_eq!(
            app.alerts(&ada).await,
            [("food".to_owned(), 80), ("food".to_owned(), 80)],
            "{backend:?}"
        );

        // Deleting an expense re-arms too.
        let deleted = app
            .request(&ada, Method::DELETE, &format!("/v1/expenses/{}", snack.id))
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        app.spend(&ada, "food", "5.50", day).await;
        app.settle().await;
        assert_eq!(app.alerts(&ada).await.len(), 3, "{backend:?}");
    }
}

#[tokio::test]
async fn periods_follow_the_budgets_start_day() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        // A budget running from the 25th (payday) to the 24th of the next month.
        let (start, end) = monthly_period(app.today(), 25);
        app.budget(&ada, "total", "1000.00", 25).await;

        // Spending the day before the period started belongs to the previous period.
        app.spend(&ada, "rent", "950.00", start.previous_day().unwrap())
            .await;
        app.settle().await;
        assert!(app.alerts(&ada).await.is_empty(), "{backend:?}");

        app.spend(&ada, "rent", "800.00", start).await;
        app.settle().await;
        assert_eq!(app.alerts(&ada).await, [("total".to_owned(), 80)], "{backend:?}");
        let alert = &app.notifications(&ada).await[0];
        assert_eq!(alert.data["period_start"], start.to_string());
        assert_eq!(alert.data["period_end"], end.to_string());
        assert_eq!(alert.data["spent"], "800.00");

        // The period's last day counts: 800 + 20 + 80 = 90 %.
        app.spend(&ada, "food", "20.00", end).await;
        app.spend(&ada, "food", "80.00", end).await;
        app.settle().await;
        assert_eq!(app.alerts(&ada).await.len(), 2, "{backend:?}");
        assert_eq!(app.notifications(&ada).await[0].data["spent"], "900.00");
    }
}

#[tokio::test]
async fn one_expense_crossing_several_thresholds_alerts_once() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ada = app.user("ada").await;
    app.budget(&ada, "food", "100.00", 1).await;
    app.spend(&ada, "food", "250.00", period_start(&app)).await;
    app.settle().await;
    assert_eq!(app.alerts(&ada).await, [("food".to_owned(), 100)]);
    assert_eq!(app.notifications(&ada).await[0].data["percent_used"], 250);
    // The lower thresholds count as crossed: a smaller follow-up alerts nothing.
    app.spend(&ada, "food", "1.00", period_start(&app)).await;
    app.settle().await;
    assert_eq!(app.alerts(&ada).await.len(), 1);
}

#[tokio::test]
async fn thresholds_and_switches_are_per_user() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let bob = app.user("bob").await;
        let day = period_start(&app);

        let changed = app
            .put_settings(&ada, json!({ "thresholds": [100, 50, 50] }))
            .await;
        assert_eq!(changed.status(), StatusCode::OK);
        let settings: NotificationSettings = changed.json().await.unwrap();
        assert_eq!(settings.thresholds, [50, 100], "sorted, duplicates dropped");
        assert!(
            settings.budget_alerts && !settings.monthly_summary,
            "defaults kept"
        );
        let off = app.put_settings(&bob, json!({ "budget_alerts": false })).await;
        assert_eq!(off.status(), StatusCode::OK);

        for caller in [&ada, &bob] {
            app.budget(caller, "food", "100.00", 1).await;
            app.spend(caller, "food", "60.00", day).await;
        }
        app.settle().await;
        assert_eq!(app.alerts(&ada).await, [("food".to_owned(), 50)], "{backend:?}");
        assert!(
            app.notifications(&bob).await.is_empty(),
            "{backend:?}: bob switched alerts off"
        );
    }
}

#[tokio::test]
async fn bad_settings_are_refused_with_the_reason() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ada = app.user("ada").await;
    for body in [
        json!({ "thresholds": [] }),
        json!({ "thresholds": [0] }),
        json!({ "thresholds": [1001] }),
        json!({ "thresholds": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }),
    ] {
        let refused = problem(
            app.put_settings(&ada, body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(refused.errors[0].field, "thresholds", "{body}");
        assert!(refused.errors[0].message.contains("between 1 and 1000"), "{body}");
    }
    let unknown = app.put_settings(&ada, json!({ "threshold": [80] })).await;
    assert!(unknown.status().is_client_error());
    let text = unknown.text().await.unwrap();
    assert!(text.contains("threshold"), "{text}");
    let wrong_type = app.put_settings(&ada, json!({ "budget_alerts": "yes" })).await;
    assert!(wrong_type.status().is_client_error());
    // Nothing changed.
    let settings: NotificationSettings = app
        .get(&ada, "/v1/notifications/settings")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings.thresholds, [80, 90, 100]);
}

#[tokio::test]
async fn the_list_pages_and_marks_read() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let bob = app.user("bob").await;
        app.put_settings(&ada, json!({ "thresholds": [10, 20, 30, 40, 50] }))
            .await;
        app.budget(&ada, "food", "100.00", 1).await;
        for _ in 0..5 {
            app.spend(&ada, "food", "10.00", period_start(&app)).await;
            app.settle().await;
        }
        assert_eq!(app.alerts(&ada).await.len(), 5, "{backend:?}");

        let mut seen = Vec::new();
        let mut path = "/v1/notifications?limit=2".to_owned();
        loop {
            let page: expense_api::Page<expense_api::notifications::Notification> =
                app.get(&ada, &path).await.json().await.unwrap();
            assert!(page.items.len() <= 2);
            seen.extend(page.items.iter().map(|n| n.data["threshold"].as_u64().unwrap()));
            match page.next_cursor {
                Some(cursor) => path = format!("/v1/notifications?limit=2&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(seen, [50, 40, 30, 20, 10], "{backend:?}: newest first, each once");

        let newest = app.notifications(&ada).await[0].id;
        // Bob cannot mark Ada's notification.
        let foreign = app
            .request(&bob, Method::POST, &format!("/v1/notifications/{newest}/read"))
            .send()
            .await
            .unwrap();
        problem(foreign, StatusCode::NOT_FOUND).await;
        let read = app
            .request(&ada, Method::POST, &format!("/v1/notifications/{newest}/read"))
            .send()
            .await
            .unwrap();
        assert_eq!(read.status(), StatusCode::NO_CONTENT);
        let unread: expense_api::Page<expense_api::notifications::Notification> = app
            .get(&ada, "/v1/notifications?unread=true")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(unread.items.len(), 4);
        assert!(
            unread
                .items
                .iter()
                .all(|n| n.read_at.is_none() && n.kind == NotificationKind::BudgetAlert)
        );

        let all = app
            .request(&ada, Method::POST, "/v1/notifications/read-all")
            .send()
            .await
            .unwrap();
        assert_eq!(all.json::<serde_json::Value>().await.unwrap()["marked"], 4);
        let unread: expense_api::Page<expense_api::notifications::Notification> = app
            .get(&ada, "/v1/notifications?unread=true")
            .await
            .json()
            .await
            .unwrap();
        assert!(unread.items.is_empty());

        let bad = app.get(&ada, "/v1/notifications?cursor=garbage").await;
        assert_eq!(
            problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await.errors[0].field,
            "cursor"
        );
    }
}

/// `PUT /v1/rates/{pair_and_day}` (`EUR/USD/2026-11-02`) or, with `None`, `DELETE`.
async fn rate(app: &TestApp, ada: &crate::helpers::Caller, pair_and_day: &str, rate: Option<&str>) {
    let path = format!("/v1/rates/{pair_and_day}");
    let response = match rate {
        Some(rate) => app.send(ada, Method::PUT, &path, &json!({ "rate": rate })).await,
        None => app.request(ada, Method::DELETE, &path).send().await.unwrap(),
    };
    assert!(
        response.status().is_success(),
        "{}",
        response.text().await.unwrap()
    );
}

#[tokio::test]
async fn a_budget_in_a_home_currency_alerts_on_foreign_expenses_converted() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let day = period_start(&app);
        let body = json!({ "amount": "100.00", "currency": "EUR", "convert": true });
        let response = app.send(&ada, Method::PUT, "/v1/budgets/travel", &body).await;
        assert!(response.status().is_success());

        // 50 EUR and 80 USD with no rate yet: the dollars are not counted (50 %).
        app.spend(&ada, "travel", "50.00", day).await;
        let dollars = json!({
            "amount": "80.00", "currency": "USD", "category": "travel", "spent_on": day.to_string(),
        });
        let created = app.send(&ada, Method::POST, "/v1/expenses", &dollars).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        app.settle().await;
        assert!(app.alerts(&ada).await.is_empty(), "{backend:?}");

        // A rate from before the period counts them: 80 / 2 = 40 EUR, 90 % in all. One alert,
        // the highest crossed, with the converted total.
        let before = day.previous_day().unwrap();
        rate(&app, &ada, &format!("EUR/USD/{before}"), Some("2")).await;
        app.settle().await;
        assert_eq!(app.alerts(&ada).await, [("travel".to_owned(), 90)], "{backend:?}");
        let newest = &app.notifications(&ada).await[0];
        assert_eq!(newest.data["spent"], "90.00", "{backend:?}");

        // A rate of the day itself is closer and wins: 80 / 0.8 = 100 EUR, 150 % in all.
        rate(&app, &ada, &format!("EUR/USD/{day}"), Some("0.8")).await;
        app.settle().await;
        assert_eq!(
            app.alerts(&ada).await,
            [("travel".to_owned(), 90), ("travel".to_owned(), 100)],
            "{backend:?}"
        );
        assert_eq!(app.notifications(&ada).await[0].data["spent"], "150.00");

        // Deleting it falls back to the older rate: 90 % again, so 100 % re-arms and fires
        // again when the day's rate comes back.
        rate(&app, &ada, &format!("EUR/USD/{day}"), None).await;
        app.settle().await;
        rate(&app, &ada, &format!("EUR/USD/{day}"), Some("0.8")).await;
        app.settle().await;
        assert_eq!(
            app.alerts(&ada).await,
            [
                ("travel".to_owned(), 90),
                ("travel".to_owned(), 100),
                ("travel".to_owned(), 100)
            ],
            "{backend:?}"
        );
    }
}
