//! The test harness: a real auth service on a free loopback port, on a chosen backend, with typed
//! request helpers so tests read as specifications.

use std::path::PathBuf;
use std::sync::Arc;

use expense_api::Problem;
use expense_api::auth::TokenResponse;
use expense_auth::{AuthConfig, AuthService};
use expense_kit::Application;
use expense_kit::clock::Clock;
use expense_kit::config::{DatabaseConfig, ServerConfig};
use expense_kit::events::LocalBus;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

pub use expense_testkit::{BACKENDS, Backend};

pub const PASSWORD: &str = "correct horse battery staple";

/// When the service believes it is, unless a test says otherwise.
pub const START: time::OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);

/// Where a test app keeps its state, so it can be restarted on the same data (and the same
/// time).
pub struct Storage {
    pub data_dir: tempfile::TempDir,
    pub database: DatabaseConfig,
    /// The service's clock, running on from [`START`]; tests move it.
    pub clock: Clock,
    /// Where the service's outbox relay publishes (`account.deleted`).
    pub bus: LocalBus,
}

impl Storage {
    pub async fn new(backend: Backend) -> Self {
        Self {
            data_dir: tempfile::tempdir().expect("temporary directory"),
            database: expense_testkit::database(backend).await,
            clock: Clock::starting_at(START),
            bus: LocalBus::default(),
        }
    }

    pub fn key_file(&self) -> PathBuf {
        self.data_dir
            .path()
            .join("keys")
            .join(expense_auth::keys::GENERATED_KEY_FILE)
    }
}

/// A running auth service.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub service: Arc<AuthService>,
    /// The service's clock (its storage's).
    pub clock: Clock,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<()>>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> (Self, Storage) {
        let storage = Storage::new(backend).await;
        let app = Self::spawn_on(&storage, AuthConfig::default()).await;
        (app, storage)
    }

    /// Starts the service on existing storage with the given settings.
    pub async fn spawn_on(storage: &Storage, config: AuthConfig) -> Self {
        Self::spawn_at(storage, config, 0).await
    }

    /// Like [`TestApp::spawn_on`], on a given port (0 for any), to restart a service in place.
    pub async fn spawn_at(storage: &Storage, config: AuthConfig, port: u16) -> Self {
        let mut server = ServerConfig::for_tests(storage.data_dir.path());
        server.bind_addr.set_port(port);
        let (service, pool) = expense_auth::open(
            &config,
            &storage.database,
            storage.data_dir.path(),
            storage.clock.clone(),
        )
        .await
        .expect("the auth service opens");
        let part = expense_auth::part(Arc::clone(&service), pool, 0, Arc::new(storage.bus.clone()));
        let listener = Application::bind(server.bind_addr).await.expect("bind");
        let app = Application::new(listener, &server, "auth under test", vec![part]).expect("app builds");
        let base = format!("http://{}", app.local_addr());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let done = tokio::spawn(async move {
            app.run_until_stopped(async {
                let _ = stopped.await;
            })
            .await
            .expect("serves");
        });
        Self {
            base,
            client: reqwest::Client::new(),
            service,
            clock: storage.clock.clone(),
            stop: Some(stop),
            done: Some(done),
        }
    }

    /// Stops the service and waits until it has drained.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            done.await.expect("the server task ends cleanly");
        }
    }

    pub fn port(&self) -> u16 {
        self.base
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("base URL has a port")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn register(&self, email: &str, password: &str) -> Response {
        self.post_json(
            "/v1/auth/register",
            &json!({ "email": email, "password": password }),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post_json("/v1/auth/login", &json!({ "email": email, "password": password }))
            .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.post_json("/v1/auth/refresh", &json!({ "refresh_token": refresh_token }))
            .await
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    /// Registers `email` and signs in.
    pub async fn signed_in(&self, email: &str) -> TokenResponse {
        assert_eq!(self.register(email, PASSWORD).await.status(), StatusCode::CREATED);
        let response = self.login(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("token response")
    }
}

/// Reads a problem+json answer, checking its media type and status.
pub async fn problem(response: Response, status: StatusCode) -> Problem {
    assert_eq!(response.status(), status, "unexpected status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let problem: Problem = response.json().await.expect("a problem body");
    assert_eq!(problem.status, status.as_u16());
    assert!(!problem.detail.is_empty(), "every problem says what was wrong");
    problem
}

/// A unique e-mail address for one test.
pub fn email(name: &str) -> String {
    format!("{name}-{}@example.com", uuid::Uuid::now_v7().simple())
}
