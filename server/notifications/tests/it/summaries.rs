//! The monthly summary: only to users who opted in, once per user and month across repeated
//! runs, after a run killed between sending and recording, and after the mailer refused.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use expense_api::notifications::NotificationKind;
use expense_notifications::Notifications;
use expense_notifications::mail::{FileMailer, Mail, MailError, Mailer};
use serde_json::json;
use time::Month;
use time::macros::date;

use crate::helpers::{BACKENDS, Backend, Caller, TestApp};

/// Ada (opted in) and Bob (not) with October spending; returns Ada.
async fn october(app: &TestApp) -> Caller {
    let ada = app.user("ada").await;
    let bob = app.user("bob").await;
    let on = app.put_settings(&ada, json!({ "monthly_summary": true })).await;
    assert!(on.status().is_success());
    app.budget(&ada, "groceries", "300.00", 1).await;
    for caller in [&ada, &bob] {
        app.spend(caller, "groceries", "42.50", date!(2026 - 10 - 03))
            .await;
        app.spend(caller, "groceries", "7.25", date!(2026 - 10 - 30))
            .await;
        app.spend(caller, "rent", "900.00", date!(2026 - 10 - 01)).await;
        app.spend(caller, "rent", "900.00", date!(2026 - 11 - 01)).await;
    }
    app.settle().await;
    ada
}

/// A second process on the same database and data directory, as a repeated CronJob run is.
async fn another_run(
    app: &TestApp,
    mailer: Arc<dyn Mailer>,
) -> Arc<expense_notifications::NotificationService> {
    let auth_url: url::Url = app.base.parse().unwrap();
    Notifications::open(
        &app.config,
        &app.database,
        app.data.path(),
        &auth_url,
        mailer,
        app.clock.clone(),
    )
    .await
    .unwrap()
    .service
}

fn file_mailer(app: &TestApp) -> FileMailer {
    FileMailer {
        dir: app.outbox(),
        from: app.config.mail_from.clone(),
    }
}

#[tokio::test]
async fn two_runs_send_one_summary_per_subscriber() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = october(&app).await;

        let first = app
            .service
            .send_monthly_summaries(2026, Month::October, false)
            .await
            .unwrap();
        assert_eq!(
            (first.month.as_str(), first.mailed, first.already_sent),
            ("2026-10", 1, 0),
            "{backend:?}"
        );
        let second = app
            .service
            .send_monthly_summaries(2026, Month::October, false)
            .await
            .unwrap();
        assert_eq!((second.mailed, second.already_sent), (0, 1), "{backend:?}");

        let mails = app.mails("summary-");
        assert_eq!(
            mails,
            [format!("summary-{}-2026-10.eml", ada.id)],
            "{backend:?}: only Ada opted in"
        );
        let message = std::fs::read_to_string(app.outbox().join(&mails[0])).unwrap();
        assert!(message.contains(&format!("To: {}", ada.email)), "{message}");
        assert!(message.contains("Subject: Your spending in 2026-10"));
        assert!(message.contains("multipart/alternative"));
        assert!(message.contains("text/plain") && message.contains("text/html"));

        let summaries: Vec<_> = app
            .notifications(&ada)
            .await
            .into_iter()
            .filter(|n| n.kind == NotificationKind::MonthlySummary)
            .collect();
        assert_eq!(summaries.len(), 1, "{backend:?}");
        let body = &summaries[0].body;
        assert!(body.contains("groceries") && body.contains("49.75 EUR"), "{body}");
        assert!(body.contains("rent") && body.contains("900.00 EUR"), "{body}");
        assert!(
            !body.contains("1800.00"),
            "November's rent is not October's: {body}"
        );
        assert!(body.contains("groceries: 49.75 EUR of 300.00 EUR"), "{body}");
        assert!(body.contains("Total:\n  949.75 EUR"), "{body}");
        assert_eq!(summaries[0].data["month"], "2026-10");
    }
}

/// Sends through the wrapped mailer, then never returns: a process killed right after the
/// message went out.
struct DiesAfterSending<M>(M);

#[async_trait]
impl<M: Mailer> Mailer for DiesAfterSending<M> {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        self.0.send(mail).await?;
        std::future::pending().await
    }
}

/// Runs a summary with a mailer that dies after sending, and kills the run once `sent` says so.
async fn killed_run(app: &TestApp, mailer: Arc<dyn Mailer>, sent: impl Fn() -> bool) {
    let dying = another_run(app, mailer).await;
    let run = tokio::spawn(async move { dying.send_monthly_summaries(2026, Month::October, false).await });
    for _ in 0..200 {
        if sent() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(sent(), "the dying run never sent");
    run.abort();
    assert!(run.await.unwrap_err().is_cancelled());
}

#[tokio::test]
async fn a_run_killed_between_sending_and_recording_is_not_repeated() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = october(&app).await;
        killed_run(&app, Arc::new(DiesAfterSending(file_mailer(&app))), || {
            !app.mails("summary-").is_empty()
        })
        .await;

        // The next run finds the claim, asks the mailer, which knows the message went out.
        let next = app
            .service
            .send_monthly_summaries(2026, Month::October, false)
            .await
            .unwrap();
        assert_eq!((next.mailed, next.already_sent), (0, 1), "{backend:?}");
        assert!(next.unconfirmed.is_empty());
        let again = app
            .service
            .send_monthly_summaries(2026, Month::October, false)
            .await
            .unwrap();
        assert_eq!((again.mailed, again.already_sent), (0, 1), "{backend:?}");
        assert_eq!(app.mails("summary-").len(), 1, "{backend:?}");
        let summaries = app
            .notifications(&ada)
            .await
            .into_iter()
            .filter(|n| n.kind == NotificationKind::MonthlySummary)
            .count();
        assert_eq!(summaries, 1, "{backend:?}");
    }
}

/// Counts what it sends and, like SES, cannot say afterwards whether a message went out.
#[derive(Clone, Default)]
struct Counting(Arc<Mutex<Vec<Mail>>>);

#[async_trait]
impl Mailer for Counting {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        self.0.lock().unwrap().push(mail.clone());
        Ok(())
    }
}

#[tokio::test]
async fn with_a_mailer_that_cannot_tell_an_interrupted_summary_is_reported_not_resent() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ada = october(&app).await;
    let sent = Counting::default();
    let log = Arc::clone(&sent.0);
    killed_run(&app, Arc::new(DiesAfterSending(sent.clone())), move || {
        !log.lock().unwrap().is_empty()
    })
    .await;

    let next = another_run(&app, Arc::new(sent.clone())).await;
    let run = next
        .send_monthly_summaries(2026, Month::October, false)
        .await
        .unwrap();
    assert_eq!((run.mailed, run.already_sent), (0, 0));
    assert_eq!(run.unconfirmed, [ada.id]);
    assert_eq!(sent.0.lock().unwrap().len(), 1, "not sent a second time");

    // An operator who checked that it did not arrive sends it on purpose; after that it is done.
    let resent = next
        .send_monthly_summaries(2026, Month::October, true)
        .await
        .unwrap();
    assert_eq!(resent.mailed, 1);
    assert_eq!(sent.0.lock().unwrap().len(), 2);
    let done = next
        .send_monthly_summaries(2026, Month::October, true)
        .await
        .unwrap();
    assert_eq!((done.mailed, done.already_sent), (0, 1));
    assert_eq!(
        sent.0.lock().unwrap()[1].key,
        format!("summary-{}-2026-10", ada.id)
    );
}

/// Refuses every message, as SES does when throttling or when the sender is not verified.
struct Refusing;

#[async_trait]
impl Mailer for Refusing {
    async fn send(&self, _mail: &Mail) -> Result<(), MailError> {
        Err(MailError(
            "MessageRejected: Email address is not verified".to_owned(),
        ))
    }
}

#[tokio::test]
async fn a_refused_summary_is_sent_by_the_next_run() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = october(&app).await;
        let refusing = another_run(&app, Arc::new(Refusing)).await;
        let failed = refusing
            .send_monthly_summaries(2026, Month::October, false)
            .await
            .unwrap();
        assert_eq!(failed.failed, [ada.id], "{backend:?}");
        assert_eq!(failed.mailed, 0);
        assert!(app.mails("summary-").is_empty());

        let next = app
            .service
            .send_monthly_summaries(2026, Month::October, false)
            .await
            .unwrap();
        assert_eq!((next.mailed, next.already_sent), (1, 0), "{backend:?}");
        assert_eq!(app.mails("summary-").len(), 1);
        let summaries = app
            .notifications(&ada)
            .await
            .into_iter()
            .filter(|n| n.kind == NotificationKind::MonthlySummary)
            .count();
        assert_eq!(summaries, 1, "{backend:?}: the in-app summary was made once");
    }
}

#[tokio::test]
async fn opting_out_stops_the_summary() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ada = october(&app).await;
    app.put_settings(&ada, json!({ "monthly_summary": false })).await;
    let run = app
        .service
        .send_monthly_summaries(2026, Month::October, false)
        .await
        .unwrap();
    assert_eq!((run.mailed, run.already_sent), (0, 0));
    assert!(app.mails("summary-").is_empty());
}
