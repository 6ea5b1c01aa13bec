//! The harness: auth, expenses and notifications in one application on a free loopback port, as
//! `expense-server all` runs them (events on the in-process bus), or with events through SNS and
//! SQS on moto. It records every published event and counts the ones the notifications consumer
//! finished, so a test can wait until the consumer has caught up ([`TestApp::settle`]).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use expense_api::expenses::Expense;
use expense_api::notifications::{Notification, NotificationSettings};
use expense_api::{Page, Problem};
use expense_expenses::{Expenses, ExpensesConfig};
use expense_kit::Application;
use expense_kit::auth::RemoteAuthenticator;
use expense_kit::clock::Clock;
use expense_kit::config::{DatabaseConfig, ServerConfig};
use expense_kit::events::aws::{SnsBus, SqsConsumer};
use expense_kit::events::{Event, EventBus, EventHandler, HandleError, LocalBus};
use expense_notifications::mail::Mailer;
use expense_notifications::{Notifications, NotificationsConfig};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

pub use expense_testkit::{BACKENDS, Backend, database};

/// Events through SNS → SQS (moto) instead of the in-process bus.
pub struct AwsEvents {
    pub sdk: aws_config::SdkConfig,
    pub topic_arn: String,
    pub queue_url: String,
    pub dead_letter_url: String,
}

/// When the services believe it is, unless a test says otherwise: a Thursday late in November,
/// away from any month's edge. Tests of the edges set their own time.
pub const START: time::OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);

/// What to change from the defaults.
pub struct Setup {
    pub backend: Backend,
    /// Where every service reads the time; by default it runs on from [`START`].
    pub clock: Clock,
    pub config: NotificationsConfig,
    /// Default: `.eml` files under `<data dir>/outbox/`.
    pub mailer: Option<Arc<dyn Mailer>>,
    pub aws: Option<AwsEvents>,
}

impl Setup {
    pub fn new(backend: Backend) -> Self {
        Self {
            backend,
            clock: Clock::starting_at(START),
            config: test_config(),
            mailer: None,
            aws: None,
        }
    }
}

/// Webhooks to loopback allowed, retries fast.
pub fn test_config() -> NotificationsConfig {
    NotificationsConfig {
        webhook_allow_private_networks: true,
        webhook_retry_base_ms: 50,
        webhook_max_attempts: 4,
        ..NotificationsConfig::default()
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub bus: LocalBus,
    pub data: tempfile::TempDir,
    pub database: DatabaseConfig,
    pub config: NotificationsConfig,
    pub service: Arc<expense_notifications::NotificationService>,
    /// The clock every service of the app reads; tests move it.
    pub clock: Clock,
    published: Arc<Mutex<Vec<Event>>>,
    handled: Arc<AtomicUsize>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// A signed-in user.
#[derive(Clone)]
pub struct Caller {
    pub token: String,
    pub id: Uuid,
    pub email: String,
}

/// Counts the events the wrapped handler finished.
struct Counting {
    inner: Arc<dyn EventHandler>,
    handled: Arc<AtomicUsize>,
}

#[async_trait]
impl EventHandler for Counting {
    async fn handle(&self, event: &Event) -> Result<(), HandleError> {
        let outcome = self.inner.handle(event).await;
        if outcome.is_ok() {
            self.handled.fetch_add(1, Ordering::SeqCst);
        }
        outcome
    }
}

/// Publishes to the real bus and records what it published.
struct Recording {
    inner: Arc<dyn EventBus>,
    published: Arc<Mutex<Vec<Event>>>,
}

#[async_trait]
impl EventBus for Recording {
    async fn publish(&self, events: &[Event]) -> Result<(), expense_kit::events::PublishError> {
        self.inner.publish(events).await?;
        self.published.lock().unwrap().extend_from_slice(events);
        Ok(())
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(Setup::new(backend)).await
    }

    pub async fn spawn_with(setup: Setup) -> Self {
        let data = tempfile::tempdir().unwrap();
        let database = database(setup.backend).await;
        let server = ServerConfig::for_tests(data.path());
        let listener = Application::bind(server.bind_addr).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let own_url: url::Url = base.parse().unwrap();
        let (auth, auth_pool) = expense_auth::open(
            &expense_auth::AuthConfig::default(),
            &database,
            data.path(),
            setup.clock.clone(),
        )
        .await
        .unwrap();
        let expenses = Expenses::open(&database, data.path(), setup.clock.clone())
            .await
            .unwrap();
        let authenticator = Arc::new(RemoteAuthenticator::new(
            &own_url,
            Duration::ZERO,
            setup.clock.clone(),
        ));
        let mailer = match setup.mailer {
            Some(mailer) => mailer,
            None => {
                expense_notifications::mailer(
                    &setup.config,
                    &expense_kit::config::AwsConfig::default(),
                    data.path(),
                )
                .await
            }
        };
        let notifications = Notifications::open(
            &setup.config,
            &database,
            data.path(),
            &own_url,
            mailer,
            setup.clock.clone(),
        )
        .await
        .unwrap();
        let service = Arc::clone(&notifications.service);
        let handled = Arc::new(AtomicUsize::new(0));
        let handler: Arc<dyn EventHandler> = Arc::new(Counting {
            inner: Arc::new(expense_notifications::service::Consumer(Arc::clone(&service))),
            handled: Arc::clone(&handled),
        });
        let bus = LocalBus::default();
        let publisher: Arc<dyn EventBus> = match &setup.aws {
            Some(aws) => {
                let sqs =
                    SqsConsumer::new(&aws.sdk, aws.queue_url.clone(), Some(aws.dead_letter_url.clone()));
                tokio::spawn(sqs.run(handler, "notifications"));
                Arc::new(SnsBus::new(&aws.sdk, aws.topic_arn.clone()))
            }
            None => {
                tokio::spawn(expense_kit::events::consume_local(
                    bus.clone(),
                    handler,
                    "notifications",
                ));
                Arc::new(bus.clone())
            }
        };
        let published = Arc::new(Mutex::new(Vec::new()));
        let recording = Arc::new(Recording {
            inner: publisher,
            published: Arc::clone(&published),
        });
        let parts = vec![
            expense_auth::part(auth, auth_pool, 0, recording.clone()),
            expenses.part(
                &ExpensesConfig {
                    outbox_poll_ms: 50,
                    ..Default::default()
                },
                authenticator.clone(),
                recording,
            ),
            notifications.part(authenticator),
        ];
        let app = Application::new(listener, &server, "test", parts).unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        Self {
            base,
            client: reqwest::Client::new(),
            bus,
            data,
            database,
            config: setup.config,
            service,
            clock: setup.clock,
            published,
            handled,
            _stop: stop,
        }
    }

    /// Today, as the services see it.
    pub fn today(&self) -> time::Date {
        self.clock.today()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn outbox(&self) -> PathBuf {
        self.data.path().join("outbox")
    }

    /// Every event published so far.
    pub fn published(&self) -> Vec<Event> {
        self.published.lock().unwrap().clone()
    }

    /// Waits until every event written so far was published and handled: the relay polls the
    /// outbox every 50 ms, so nothing new for 300 ms with all handled means caught up.
    pub async fn settle(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut stable_since = Instant::now();
        let mut last = usize::MAX;
        loop {
            let published = self.published.lock().unwrap().len();
            let handled = self.handled.load(Ordering::SeqCst);
            if published != last || handled < published {
                last = published;
                stable_since = Instant::now();
            } else if stable_since.elapsed() >= Duration::from_millis(300) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the consumer did not catch up: {handled} of {published} events handled"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until at least `count` events were handled (events on SQS may be redelivered).
    pub async fn wait_handled(&self, count: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.handled.load(Ordering::SeqCst) < count {
            assert!(
                Instant::now() < deadline,
                "only {} events handled",
                self.handled.load(Ordering::SeqCst)
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Registers and signs in a new user, then opens their notification settings once (which is
    /// how the service learns where to send e-mail).
    pub async fn user(&self, name: &str) -> Caller {
        let email = format!("{name}-{}@example.com", Uuid::now_v7().simple());
        let password = "correct horse battery staple";
        let registered = self
            .client
            .post(self.url("/v1/auth/register"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(registered.status(), StatusCode::CREATED);
        let user: Value = registered.json().await.unwrap();
        let session: Value = self
            .client
            .post(self.url("/v1/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let caller = Caller {
            token: session["access_token"].as_str().unwrap().to_owned(),
            id: user["id"].as_str().unwrap().parse().unwrap(),
            email,
        };
        let settings: NotificationSettings = self
            .get(&caller, "/v1/notifications/settings")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(settings.email.as_deref(), Some(caller.email.as_str()));
        caller
    }

    pub fn request(&self, caller: &Caller, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(&caller.token)
    }

    pub async fn get(&self, caller: &Caller, path: &str) -> Response {
        self.request(caller, Method::GET, path).send().await.unwrap()
    }

    pub async fn send(&self, caller: &Caller, method: Method, path: &str, body: &Value) -> Response {
        self.request(caller, method, path)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Creates an expense (EUR unless said otherwise).
    pub async fn spend(
        &self,
        caller: &Caller,
        category: &str,
        amount: &str,
        spent_on: time::Date,
    ) -> Expense {
        let body = json!({
            "amount": amount,
            "currency": "EUR",
            "category": category,
            "spent_on": spent_on.to_string(),
        });
        let response = self.send(caller, Method::POST, "/v1/expenses", &body).await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{}",
            response.text().await.unwrap()
        );
        response.json().await.unwrap()
    }

    /// Changes an expense's amount.
    pub async fn change_amount(&self, caller: &Caller, expense: &Expense, amount: &str) -> Expense {
        let response = self
            .request(caller, Method::PATCH, &format!("/v1/expenses/{}", expense.id))
            .header("if-match", format!("\"{}\"", expense.version))
            .json(&json!({ "amount": amount }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{}",
            response.text().await.unwrap()
        );
        response.json().await.unwrap()
    }

    /// Creates or replaces a EUR budget.
    pub async fn budget(&self, caller: &Caller, category: &str, amount: &str, starts_on_day: u8) {
        let body = json!({ "amount": amount, "currency": "EUR", "starts_on_day": starts_on_day });
        let response = self
            .send(caller, Method::PUT, &format!("/v1/budgets/{category}"), &body)
            .await;
        assert!(
            response.status().is_success(),
            "{}",
            response.text().await.unwrap()
        );
    }

    pub async fn put_settings(&self, caller: &Caller, body: Value) -> Response {
        self.send(caller, Method::PUT, "/v1/notifications/settings", &body)
            .await
    }

    /// The caller's notifications, newest first (one page of up to 200).
    pub async fn notifications(&self, caller: &Caller) -> Vec<Notification> {
        let response = self.get(caller, "/v1/notifications?limit=200").await;
        assert_eq!(response.status(), StatusCode::OK);
        let page: Page<Notification> = response.json().await.unwrap();
        page.items
    }

    /// The caller's budget alerts, oldest first, as (budget, threshold) pairs.
    pub async fn alerts(&self, caller: &Caller) -> Vec<(String, u64)> {
        let mut alerts: Vec<(String, u64)> = self
            .notifications(caller)
            .await
            .iter()
            .filter(|n| n.kind == expense_api::notifications::NotificationKind::BudgetAlert)
            .map(|n| {
                (
                    n.data["budget"].as_str().unwrap().to_owned(),
                    n.data["threshold"].as_u64().unwrap(),
                )
            })
            .collect();
        alerts.reverse();
        alerts
    }

    /// Names of the `.eml` files in the outbox starting with `prefix`.
    pub fn mails(&self, prefix: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.outbox()) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(prefix) && name.ends_with(".eml"))
            .collect();
        names.sort();
        names
    }
}

/// Reads a problem+json answer, checking its status.
pub async fn problem(response: Response, status: StatusCode) -> Problem {
    assert_eq!(response.status(), status, "unexpected status");
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    response.json().await.unwrap()
}
