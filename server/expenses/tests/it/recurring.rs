//! Recurring schedules on both stores, on a steered clock: each occurrence becomes one ordinary
//! expense (carrying the schedule's id) exactly once — after downtime, with replicas racing, never
//! for a paused schedule's days — and the calendar rules hold at months' ends.

use std::sync::Arc;

use expense_api::Page;
use expense_api::expenses::{Expense, Summary};
use expense_api::recurring::{Recurring, RecurringList};
use expense_expenses::Expenses;
use expense_kit::clock::Clock;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::helpers::{BACKENDS, Backend, Caller, TestApp, fields, problem};

/// A schedule body with some fields replaced.
fn schedule(overrides: Value) -> Value {
    let mut body = json!({
        "amount": "950.00",
        "currency": "EUR",
        "category": "rent",
        "every": "month",
    });
    for (key, value) in overrides.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

async fn create(app: &TestApp, caller: &Caller, body: Value) -> Recurring {
    let response = app.post(caller, "/v1/recurring", &body).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "{}",
        response.text().await.unwrap()
    );
    response.json().await.unwrap()
}

/// The days of the caller's expenses recorded by `schedule`, oldest first.
async fn days_of(app: &TestApp, caller: &Caller, schedule: &Recurring) -> Vec<String> {
    let page: Page<Expense> = app
        .get(caller, "/v1/expenses?limit=200")
        .await
        .json()
        .await
        .unwrap();
    let mut days: Vec<String> = page
        .items
        .into_iter()
        .filter(|e| e.recurring_id == Some(schedule.id))
        .map(|e| e.spent_on)
        .collect();
    days.sort();
    days
}

async fn app_at(backend: Backend, at: OffsetDateTime) -> TestApp {
    TestApp::spawn_with_clock(backend, Clock::frozen(at)).await
}

async fn action(app: &TestApp, caller: &Caller, id: uuid::Uuid, verb: &str) -> Recurring {
    let response = app
        .request(caller, Method::POST, &format!("/v1/recurring/{id}/{verb}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn three_months_of_a_monthly_schedule_give_three_expenses() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-11-26 12:00 UTC)).await;
        let ada = app.user("ada").await;
        let rent = create(
            &app,
            &ada,
            schedule(json!({ "on": 1, "from": "2026-12-01", "note": "flat" })),
        )
        .await;
        assert_eq!(
            (rent.on, rent.next_on.as_deref()),
            (Some(1), Some("2026-12-01")),
            "{backend:?}"
        );
        assert_eq!(app.service.materialise_due().await.unwrap(), 0);
        assert!(days_of(&app, &ada, &rent).await.is_empty());

        app.clock.set(datetime!(2027-02-15 08:00 UTC));
        let ada = app.sign_in(&ada.email).await;
        assert_eq!(app.service.materialise_due().await.unwrap(), 3, "{backend:?}");
        assert_eq!(
            app.service.materialise_due().await.unwrap(),
            0,
            "a second run records nothing"
        );
        assert_eq!(
            days_of(&app, &ada, &rent).await,
            ["2026-12-01", "2027-01-01", "2027-02-01"],
            "{backend:?}"
        );

        // Occurrences are ordinary expenses: the summary counts them.
        let summary: Summary = app
            .get(&ada, "/v1/summary?from=2026-12-01&to=2027-02-28")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(summary.count, 3);
        assert_eq!(summary.totals[0].amount, "2850.00");
        let listed: RecurringList = app.get(&ada, "/v1/recurring").await.json().await.unwrap();
        assert_eq!(listed.items.len(), 1);
        assert_eq!(listed.items[0].next_on.as_deref(), Some("2027-03-01"));
    }
}

#[tokio::test]
async fn occurrences_publish_their_events_and_count_in_budgets() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-11-26 12:00 UTC)).await;
        let mut events = app.bus.subscribe();
        let ada = app.user("ada").await;
        let budget = app
            .request(&ada, Method::PUT, "/v1/budgets/rent")
            .json(&json!({ "amount": "1000", "currency": "EUR" }))
            .send()
            .await
            .unwrap();
        assert_eq!(budget.status(), StatusCode::CREATED);
        let rent = create(&app, &ada, schedule(json!({ "from": "2026-11-01" }))).await;
        // Created with a first day in the past, it records that day at once.
        assert_eq!(days_of(&app, &ada, &rent).await, ["2026-11-01"], "{backend:?}");
        let event = loop {
            let event = tokio::time::timeout(std::time::Duration::from_secs(10), events.recv())
                .await
                .expect("an event within 10 s")
                .unwrap();
            if event.kind == "expense.created" {
                break event;
            }
        };
        assert_eq!(event.data["expense"]["recurring_id"], rent.id.to_string());
        assert_eq!(event.data["expense"]["spent_on"], "2026-11-01");
        let budgets: Value = app.get(&ada, "/v1/budgets").await.json().await.unwrap();
        assert_eq!(budgets["items"][0]["spent"], "950.00", "{backend:?}");
    }
}

#[tokio::test]
async fn catch_up_after_downtime_records_every_missed_day() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-12-30 12:00 UTC)).await;
        let ada = app.user("ada").await;
        let coffee = create(
            &app,
            &ada,
            schedule(json!({ "every": "day", "amount": "3.20", "category": "coffee" })),
        )
        .await;
        assert_eq!(days_of(&app, &ada, &coffee).await, ["2026-12-30"]);
        // Down for a week, across the new year.
        app.clock.advance(Duration::days(7));
        let ada = app.sign_in(&ada.email).await;
        assert_eq!(app.service.materialise_due().await.unwrap(), 7, "{backend:?}");
        let days = days_of(&app, &ada, &coffee).await;
        assert_eq!(days.len(), 8);
        assert_eq!((days[1].as_str(), days[7].as_str()), ("2026-12-31", "2027-01-06"));
    }
}

#[tokio::test]
async fn racing_replicas_record_each_occurrence_once() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-11-26 12:00 UTC)).await;
        // A second replica of the expenses service on the same database.
        let replica = Expenses::open(&app.database, app.data.path(), app.clock.clone())
            .await
            .unwrap();
        let ada = app.user("ada").await;
        let bob = app.user("bob").await;
        let daily = create(
            &app,
            &ada,
            schedule(json!({ "every": "day", "category": "lunch" })),
        )
        .await;
        let weekly = create(
            &app,
            &bob,
            schedule(json!({ "every": "week", "category": "cleaning" })),
        )
        .await;
        app.clock.advance(Duration::days(90));
        let (ada, bob) = (app.sign_in(&ada.email).await, app.sign_in(&bob.email).await);
        let (first, second) = (Arc::clone(&app.service), Arc::clone(&replica.service));
        let runs = [
            tokio::spawn(async move { first.materialise_due().await.unwrap() }),
            tokio::spawn(async move { second.materialise_due().await.unwrap() }),
            tokio::spawn({
                let service = Arc::clone(&app.service);
                async move { service.materialise_due().await.unwrap() }
            }),
            tokio::spawn({
                let service = Arc::clone(&replica.service);
                async move { service.materialise_due().await.unwrap() }
            }),
        ];
        let mut recorded = 0;
        for run in runs {
            recorded += run.await.unwrap();
        }
        assert_eq!(
            recorded,
            90 + 12,
            "{backend:?}: each occurrence recorded by exactly one run"
        );
        let ada_days = days_of(&app, &ada, &daily).await;
        let mut unique = ada_days.clone();
        unique.dedup();
        assert_eq!((ada_days.len(), unique.len()), (91, 91), "{backend:?}");
        assert_eq!(days_of(&app, &bob, &weekly).await.len(), 13, "{backend:?}");
    }
}

#[tokio::test]
async fn a_paused_schedule_records_nothing_and_resume_does_not_back_fill() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-11-26 12:00 UTC)).await;
        let ada = app.user("ada").await;
        let rent = create(&app, &ada, schedule(json!({ "on": 1, "from": "2026-12-01" }))).await;
        let paused = action(&app, &ada, rent.id, "pause").await;
        assert!(paused.paused);
        assert_eq!(paused.next_on, None);
        assert!(
            action(&app, &ada, rent.id, "pause").await.paused,
            "pausing twice is harmless"
        );

        app.clock.set(datetime!(2027-01-15 12:00 UTC));
        let ada = app.sign_in(&ada.email).await;
        assert_eq!(app.service.materialise_due().await.unwrap(), 0, "{backend:?}");
        let resumed = action(&app, &ada, rent.id, "resume").await;
        assert!(!resumed.paused);
        assert_eq!(resumed.next_on.as_deref(), Some("2027-02-01"), "{backend:?}");
        assert!(
            days_of(&app, &ada, &rent).await.is_empty(),
            "1 December and 1 January stay unrecorded"
        );

        app.clock.set(datetime!(2027-02-01 00:00 UTC));
        let ada = app.sign_in(&ada.email).await;
        assert_eq!(app.service.materialise_due().await.unwrap(), 1);
        assert_eq!(days_of(&app, &ada, &rent).await, ["2027-02-01"], "{backend:?}");
    }
}

#[tokio::test]
async fn pausing_after_downtime_keeps_the_days_before_the_pause() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-11-26 12:00 UTC)).await;
        let ada = app.user("ada").await;
        let daily = create(&app, &ada, schedule(json!({ "every": "day" }))).await;
        // No materialiser ran for three days; the pause on the fourth records them, not the fourth.
        app.clock.advance(Duration::days(3));
        let ada = app.sign_in(&ada.email).await;
        action(&app, &ada, daily.id, "pause").await;
        assert_eq!(
            days_of(&app, &ada, &daily).await,
            ["2026-11-26", "2026-11-27", "2026-11-28"],
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn the_31st_falls_on_the_last_day_of_february_and_april() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2028-01-31 09:00 UTC)).await;
        let ada = app.user("ada").await;
        let salary = create(
            &app,
            &ada,
            schedule(json!({ "on": 31, "amount": "-3000", "category": "salary" })),
        )
        .await;
        assert_eq!(salary.next_on.as_deref(), Some("2028-02-29"), "{backend:?}");
        app.clock.set(datetime!(2028-04-30 00:00 UTC));
        let ada = app.sign_in(&ada.email).await;
        assert_eq!(app.service.materialise_due().await.unwrap(), 3);
        assert_eq!(
            days_of(&app, &ada, &salary).await,
            ["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"],
            "{backend:?}"
        );
        // 2027 is no leap year: February's occurrence of the 30th is the 28th.
        let app = app_at(backend, datetime!(2027-01-30 09:00 UTC)).await;
        let ada = app.user("ada").await;
        let the_30th = create(&app, &ada, schedule(json!({}))).await;
        app.clock.set(datetime!(2027-03-30 09:00 UTC));
        let ada = app.sign_in(&ada.email).await;
        app.service.materialise_due().await.unwrap();
        assert_eq!(
            days_of(&app, &ada, &the_30th).await,
            ["2027-01-30", "2027-02-28", "2027-03-30"],
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn until_ends_the_schedule() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-11-26 12:00 UTC)).await;
        let ada = app.user("ada").await;
        let gym = create(
            &app,
            &ada,
            schedule(json!({ "every": "week", "on": 1, "until": "2026-12-14", "category": "gym" })),
        )
        .await;
        app.clock.advance(Duration::days(60));
        let ada = app.sign_in(&ada.email).await;
        app.service.materialise_due().await.unwrap();
        assert_eq!(
            days_of(&app, &ada, &gym).await,
            ["2026-11-30", "2026-12-07", "2026-12-14"],
            "{backend:?}"
        );
        let now: Recurring = app
            .get(&ada, &format!("/v1/recurring/{}", gym.id))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(now.next_on, None, "an ended schedule has no next day");
    }
}

#[tokio::test]
async fn bad_schedules_get_422_naming_the_field_and_the_fix() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-11-26 12:00 UTC)).await;
        let ada = app.user("ada").await;
        let cases = [
            (
                json!({ "every": "fortnight" }),
                "every",
                "must be day, week, month or year",
            ),
            (
                json!({ "every": "week", "on": 8 }),
                "on",
                "1 (Monday) to 7 (Sunday)",
            ),
            (json!({ "every": "month", "on": 32 }), "on", "1 to 31"),
            (json!({ "every": "month", "on": 0 }), "on", "1 to 31"),
            (json!({ "every": "day", "on": 3 }), "on", "leave it out"),
            (
                json!({ "from": "2026-12-01", "until": "2026-11-30" }),
                "until",
                "before `from` (2026-12-01)",
            ),
            (json!({ "from": "2026-02-30" }), "from", "YYYY-MM-DD"),
            (
                json!({ "from": "2025-11-24" }),
                "from",
                "at most a year ago (on or after 2025-11-25)",
            ),
            (json!({ "amount": "1.234" }), "amount", ""),
        ];
        for (overrides, field, message) in cases {
            let response = app
                .post(&ada, "/v1/recurring", &schedule(overrides.clone()))
                .await;
            let problem = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(fields(&problem), [field], "{backend:?} {overrides}");
            assert!(
                problem.errors[0].message.contains(message),
                "{overrides}: {:?}",
                problem.errors[0].message
            );
        }
        let listed: RecurringList = app.get(&ada, "/v1/recurring").await.json().await.unwrap();
        assert!(listed.items.is_empty(), "nothing stored");
    }
}

#[tokio::test]
async fn schedules_are_private_and_deleting_keeps_the_expenses() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-11-26 12:00 UTC)).await;
        let ada = app.user("ada").await;
        let eve = app.user("eve").await;
        let rent = create(&app, &ada, schedule(json!({}))).await;
        let path = format!("/v1/recurring/{}", rent.id);
        for (method, path) in [
            (Method::GET, path.clone()),
            (Method::POST, format!("{path}/pause")),
            (Method::POST, format!("{path}/resume")),
            (Method::DELETE, path.clone()),
        ] {
            let response = app.request(&eve, method, &path).send().await.unwrap();
            problem(response, StatusCode::NOT_FOUND).await;
        }
        let eves: RecurringList = app.get(&eve, "/v1/recurring").await.json().await.unwrap();
        assert!(eves.items.is_empty(), "{backend:?}");

        let deleted = app.request(&ada, Method::DELETE, &path).send().await.unwrap();
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        problem(app.get(&ada, &path).await, StatusCode::NOT_FOUND).await;
        assert_eq!(
            days_of(&app, &ada, &rent).await,
            ["2026-11-26"],
            "its expenses stay"
        );
        app.clock.advance(Duration::days(40));
        let ada = app.sign_in(&ada.email).await;
        assert_eq!(app.service.materialise_due().await.unwrap(), 0);
        assert_eq!(days_of(&app, &ada, &rent).await, ["2026-11-26"], "{backend:?}");
    }
}

/// The key on (schedule, day) alone refuses a second expense for an occurrence: here the
/// schedule's `done_through` is left behind the day on purpose, as a replica that read the
/// schedule before another recorded the day would find it.
#[tokio::test]
async fn the_store_records_an_occurrence_once_even_when_asked_twice() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-11-26 12:00 UTC)).await;
        let ada = app.user("ada").await;
        let rent = create(&app, &ada, schedule(json!({ "from": "2026-12-01", "on": 1 }))).await;
        let me: Value = app.get(&ada, "/v1/me").await.json().await.unwrap();
        let user_id: uuid::Uuid = me["id"].as_str().unwrap().parse().unwrap();
        let store = app.service.store();
        let schedule = store.schedule(user_id, rent.id).await.unwrap().unwrap();
        let occurrence = |id: uuid::Uuid| {
            let expense = expense_expenses::repository::ExpenseRecord {
                id,
                user_id,
                fields: expense_expenses::domain::ExpenseFields {
                    spent_on: time::macros::date!(2026 - 12 - 01),
                    ..schedule.template.clone()
                },
                created_at: app.clock.now(),
                updated_at: app.clock.now(),
                version: 1,
                recurring_id: Some(schedule.id),
            };
            let event = expense_expenses::events::expense_created(&expense);
            expense_expenses::recurring::Occurrence { expense, event }
        };
        let behind = schedule.done_through;
        let first = store
            .record_occurrences(&schedule, &[occurrence(uuid::Uuid::now_v7())], behind)
            .await
            .unwrap();
        let second = store
            .record_occurrences(&schedule, &[occurrence(uuid::Uuid::now_v7())], behind)
            .await
            .unwrap();
        assert_eq!((first, second), (1, 0), "{backend:?}");
        let ada = app.sign_in(&ada.email).await;
        assert_eq!(days_of(&app, &ada, &rent).await, ["2026-12-01"], "{backend:?}");
    }
}

#[tokio::test]
async fn a_user_has_at_most_200_schedules() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-11-26 12:00 UTC)).await;
        let ada = app.user("ada").await;
        for _ in 0..expense_api::recurring::MAX_SCHEDULES {
            create(&app, &ada, schedule(json!({ "from": "2027-01-01" }))).await;
        }
        let refused = app.post(&ada, "/v1/recurring", &schedule(json!({}))).await;
        let problem = problem(refused, StatusCode::CONFLICT).await;
        assert!(
            problem.detail.contains("delete one first"),
            "{backend:?}: {}",
            problem.detail
        );
        let bob = app.user("bob").await;
        create(&app, &bob, schedule(json!({}))).await;
    }
}

/// The materialiser runs by itself in the expenses role, on its interval, with the clock's date.
#[tokio::test]
async fn the_materialiser_runs_on_its_interval() {
    for backend in BACKENDS {
        let config = expense_expenses::ExpensesConfig {
            outbox_poll_ms: 50,
            recurring_interval_secs: 1,
            ..Default::default()
        };
        let clock = Clock::frozen(datetime!(2026-11-26 12:00 UTC));
        let app = TestApp::spawn_with(backend, clock, config).await;
        let ada = app.user("ada").await;
        let daily = create(&app, &ada, schedule(json!({ "every": "day" }))).await;
        app.clock.advance(Duration::days(2));
        let ada = app.sign_in(&ada.email).await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let days = days_of(&app, &ada, &daily).await;
            if days.len() == 3 {
                assert_eq!(days, ["2026-11-26", "2026-11-27", "2026-11-28"], "{backend:?}");
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{backend:?}: no run recorded the two days ({days:?})"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}
