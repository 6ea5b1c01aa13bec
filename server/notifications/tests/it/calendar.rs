//! Alerts and summaries on the calendar's edges, with every service's clock steered there: the
//! year's last second, a payday budget across a short February, 29 February, and a monthly
//! summary run just before and just after midnight UTC at a month's end.

use expense_api::notifications::NotificationKind;
use expense_kit::clock::Clock;
use serde_json::json;
use time::Month;
use time::macros::{date, datetime};

use crate::helpers::{BACKENDS, Setup, TestApp};

async fn app_at(backend: crate::helpers::Backend, at: time::OffsetDateTime) -> TestApp {
    TestApp::spawn_with(Setup {
        clock: Clock::frozen(at),
        ..Setup::new(backend)
    })
    .await
}

/// `(threshold, period_start, period_end)` of the caller's alerts, oldest first.
async fn alert_periods(app: &TestApp, caller: &crate::helpers::Caller) -> Vec<(u64, String, String)> {
    let mut alerts: Vec<_> = app
        .notifications(caller)
        .await
        .into_iter()
        .filter(|n| n.kind == NotificationKind::BudgetAlert)
        .map(|n| {
            (
                n.data["threshold"].as_u64().unwrap(),
                n.data["period_start"].as_str().unwrap().to_owned(),
                n.data["period_end"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    alerts.reverse();
    alerts
}

fn period(threshold: u64, start: &str, end: &str) -> (u64, String, String) {
    (threshold, start.to_owned(), end.to_owned())
}

/// An alert fired at 23:59:59 on 31 December belongs to December; one second later the new
/// year's period starts empty, and the same threshold alerts again for it.
#[tokio::test]
async fn alerts_re_arm_when_the_year_turns() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2026-12-31 23:59:59 UTC)).await;
        let ada = app.user("ada").await;
        app.budget(&ada, "food", "100.00", 1).await;
        app.spend(&ada, "food", "85.00", date!(2026 - 12 - 31)).await;
        app.settle().await;
        assert_eq!(
            alert_periods(&app, &ada).await,
            [period(80, "2026-12-01", "2026-12-31")],
            "{backend:?}"
        );

        app.clock.advance(time::Duration::seconds(1));
        assert_eq!(app.today(), date!(2027 - 01 - 01));
        // December's spending does not count in January.
        app.spend(&ada, "food", "50.00", date!(2026 - 12 - 30)).await;
        app.settle().await;
        assert_eq!(alert_periods(&app, &ada).await.len(), 1, "{backend:?}");
        app.spend(&ada, "food", "81.00", date!(2027 - 01 - 01)).await;
        app.settle().await;
        assert_eq!(
            alert_periods(&app, &ada).await,
            [
                period(80, "2026-12-01", "2026-12-31"),
                period(80, "2027-01-01", "2027-01-31"),
            ],
            "{backend:?}"
        );
    }
}

/// Paid on the 28th: on 27 February 2027 the period is 28 January to 27 February; on the 28th a
/// new one starts, and 1 March belongs to it.
#[tokio::test]
async fn a_payday_budget_across_a_short_february() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2027-02-27 23:59:59 UTC)).await;
        let ada = app.user("ada").await;
        app.budget(&ada, "rent", "1000.00", 28).await;
        app.spend(&ada, "rent", "900.00", date!(2027 - 02 - 27)).await;
        app.settle().await;
        assert_eq!(
            alert_periods(&app, &ada).await,
            [period(90, "2027-01-28", "2027-02-27")],
            "{backend:?}"
        );

        app.clock.advance(time::Duration::seconds(1));
        assert_eq!(app.today(), date!(2027 - 02 - 28));
        app.spend(&ada, "rent", "500.00", date!(2027 - 02 - 28)).await;
        app.spend(&ada, "rent", "300.00", date!(2027 - 03 - 01)).await;
        app.settle().await;
        assert_eq!(
            alert_periods(&app, &ada).await,
            [
                period(90, "2027-01-28", "2027-02-27"),
                period(80, "2027-02-28", "2027-03-27"),
            ],
            "{backend:?}"
        );
    }
}

/// 29 February 2028 is the last day of a calendar-month budget's period.
#[tokio::test]
async fn the_twenty_ninth_of_february_closes_the_period() {
    let app = app_at(crate::helpers::Backend::Sqlite, datetime!(2028-02-29 23:00 UTC)).await;
    let ada = app.user("ada").await;
    app.budget(&ada, "food", "100.00", 1).await;
    app.spend(&ada, "food", "100.00", date!(2028 - 02 - 29)).await;
    app.settle().await;
    assert_eq!(
        alert_periods(&app, &ada).await,
        [period(100, "2028-02-01", "2028-02-29")]
    );
}

/// The CronJob's run at 23:59:59 on 31 January summarises December; a run one second later, at
/// midnight UTC on 1 February, summarises January, with 31 January's spending in it.
#[tokio::test]
async fn a_summary_run_either_side_of_midnight_at_a_months_end() {
    for backend in BACKENDS {
        let app = app_at(backend, datetime!(2027-01-31 23:59:59 UTC)).await;
        let ada = app.user("ada").await;
        let on = app.put_settings(&ada, json!({ "monthly_summary": true })).await;
        assert!(on.status().is_success());
        app.spend(&ada, "food", "12.00", date!(2026 - 12 - 31)).await;
        app.spend(&ada, "food", "31.00", date!(2027 - 01 - 31)).await;
        app.settle().await;

        assert_eq!(app.service.month_to_summarise(), (2026, Month::December));
        let (year, month) = app.service.month_to_summarise();
        let before = app
            .service
            .send_monthly_summaries(year, month, false)
            .await
            .unwrap();
        assert_eq!(
            (before.month.as_str(), before.mailed),
            ("2026-12", 1),
            "{backend:?}"
        );

        app.clock.advance(time::Duration::seconds(1));
        assert_eq!(app.service.month_to_summarise(), (2027, Month::January));
        let (year, month) = app.service.month_to_summarise();
        let after = app
            .service
            .send_monthly_summaries(year, month, false)
            .await
            .unwrap();
        assert_eq!(
            (after.month.as_str(), after.mailed),
            ("2027-01", 1),
            "{backend:?}"
        );

        let mut bodies: Vec<(String, String)> = app
            .notifications(&ada)
            .await
            .into_iter()
            .filter(|n| n.kind == NotificationKind::MonthlySummary)
            .map(|n| (n.data["month"].as_str().unwrap().to_owned(), n.body))
            .collect();
        bodies.sort();
        assert_eq!(bodies.len(), 2, "{backend:?}");
        assert!(
            bodies[0].1.contains("12.00 EUR") && !bodies[0].1.contains("31.00"),
            "{}",
            bodies[0].1
        );
        assert!(
            bodies[1].1.contains("31.00 EUR") && !bodies[1].1.contains("12.00"),
            "{}",
            bodies[1].1
        );
        assert_eq!(
            app.mails("summary-"),
            [
                format!("summary-{}-2026-12.eml", ada.id),
                format!("summary-{}-2027-01.eml", ada.id),
            ]
        );
    }
}
