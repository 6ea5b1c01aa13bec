//! The harness: the auth and expenses services in one application on a free loopback port,
//! exactly as `expense-server all` wires them (expenses verifies tokens against auth over HTTP),
//! on a chosen backend, with typed request helpers.

use std::sync::Arc;
use std::time::Duration;

use expense_api::Problem;
use expense_api::expenses::Expense;
use expense_expenses::{ExpenseService, Expenses, ExpensesConfig};
use expense_kit::Application;
use expense_kit::auth::RemoteAuthenticator;
use expense_kit::clock::Clock;
use expense_kit::config::{DatabaseConfig, ServerConfig};
use expense_kit::events::LocalBus;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

pub use expense_testkit::{BACKENDS, Backend, database};

/// When the services believe it is, unless a test says otherwise: a Thursday late in November,
/// away from any month's edge.
pub const START: time::OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);

/// The password of every test user.
const PASSWORD: &str = "correct horse battery staple";

/// A running application.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub bus: LocalBus,
    /// The clock both services read; tests move it.
    pub clock: Clock,
    /// The expenses service behind the routes (tests run its materialiser once with it).
    pub service: Arc<ExpenseService>,
    /// Its database, for a second replica on the same data.
    pub database: DatabaseConfig,
    pub data: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// A signed-in user of a [`TestApp`].
#[derive(Clone)]
pub struct Caller {
    pub token: String,
    pub email: String,
}

impl TestApp {
    /// An application whose clock runs on from [`START`].
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with_clock(backend, Clock::starting_at(START)).await
    }

    /// An application whose services read `clock`.
    pub async fn spawn_with_clock(backend: Backend, clock: Clock) -> Self {
        Self::spawn_with(
            backend,
            clock,
            ExpensesConfig {
                outbox_poll_ms: 50,
                ..Default::default()
            },
        )
        .await
    }

    /// An application whose services read `clock`, the expenses service configured by `config`.
    pub async fn spawn_with(backend: Backend, clock: Clock, config: ExpensesConfig) -> Self {
        let data = tempfile::tempdir().unwrap();
        let database = database(backend).await;
        let server = ServerConfig::for_tests(data.path());
        let listener = Application::bind(server.bind_addr).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (auth, auth_pool) = expense_auth::open(
            &expense_auth::AuthConfig::default(),
            &database,
            data.path(),
            clock.clone(),
        )
        .await
        .unwrap();
        let expenses = Expenses::open(&database, data.path(), clock.clone())
            .await
            .unwrap();
        let service = Arc::clone(&expenses.service);
        let authenticator = Arc::new(RemoteAuthenticator::new(
            &base.parse().unwrap(),
            Duration::ZERO,
            clock.clone(),
        ));
        let bus = LocalBus::default();
        let parts = vec![
            expense_auth::part(auth, auth_pool, 0, Arc::new(bus.clone())),
            expenses.part(&config, authenticator, Arc::new(bus.clone())),
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
            clock,
            service,
            database,
            data,
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

    /// Registers and signs in a new user.
    pub async fn user(&self, name: &str) -> Caller {
        let email = format!("{name}-{}@example.com", uuid::Uuid::now_v7().simple());
        let registered = self
            .client
            .post(self.url("/v1/auth/register"))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(registered.status(), StatusCode::CREATED);
        self.sign_in(&email).await
    }

    /// Signs a registered user in (again: after the clock moved past their token's expiry).
    pub async fn sign_in(&self, email: &str) -> Caller {
        let password = PASSWORD;
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
        Caller {
            token: session["access_token"].as_str().unwrap().to_owned(),
            email: email.to_owned(),
        }
    }

    pub fn request(&self, caller: &Caller, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(&caller.token)
    }

    pub async fn get(&self, caller: &Caller, path: &str) -> Response {
        self.request(caller, reqwest::Method::GET, path)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, caller: &Caller, path: &str, body: &Value) -> Response {
        self.request(caller, reqwest::Method::POST, path)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Creates an expense and returns it.
    pub async fn create(&self, caller: &Caller, body: Value) -> Expense {
        let response = self.post(caller, "/v1/expenses", &body).await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{}",
            response.text().await.unwrap()
        );
        response.json().await.unwrap()
    }
}

/// A valid expense body with some fields replaced.
pub fn expense(overrides: Value) -> Value {
    let mut body = json!({
        "amount": "12.50",
        "currency": "EUR",
        "category": "groceries",
        "spent_on": "2026-11-02",
    });
    for (key, value) in overrides.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

/// Reads a problem+json answer, checking its media type and status.
pub async fn problem(response: Response, status: StatusCode) -> Problem {
    assert_eq!(response.status(), status, "unexpected status");
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let problem: Problem = response.json().await.unwrap();
    assert!(!problem.detail.is_empty());
    problem
}

/// The fields named by a 422.
pub fn fields(problem: &Problem) -> Vec<&str> {
    problem.errors.iter().map(|e| e.field.as_str()).collect()
}
