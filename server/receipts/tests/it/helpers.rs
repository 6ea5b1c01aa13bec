//! The harness: auth, expenses and receipts in one application on a free port, as
//! `expense-server all` runs them, with the embedded S3-compatible store (or moto).

use std::sync::Arc;
use std::time::Duration;

use expense_api::receipts::{CreatedReceipt, NewReceipt};
use expense_expenses::{Expenses, ExpensesConfig};
use expense_kit::Application;
use expense_kit::auth::RemoteAuthenticator;
use expense_kit::clock::Clock;
use expense_kit::config::ServerConfig;
use expense_kit::events::LocalBus;
use expense_receipts::{Receipts, ReceiptsConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub use expense_testkit::{BACKENDS, Backend, database};

/// Where objects go.
pub enum Objects {
    Embedded,
    Moto { endpoint: String },
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub data: tempfile::TempDir,
    pub service: Arc<expense_receipts::ReceiptService>,
    /// The clock every service reads. It starts at the real time, because the S3 store (embedded
    /// or moto) judges presigned URLs by the real time, as AWS does; tests move it forward.
    pub clock: Clock,
    _stop: tokio::sync::oneshot::Sender<()>,
}

#[derive(Clone)]
pub struct Caller {
    pub token: String,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, Objects::Embedded, ReceiptsConfig::default()).await
    }

    pub async fn spawn_with(backend: Backend, objects: Objects, mut receipts_config: ReceiptsConfig) -> Self {
        let data = tempfile::tempdir().unwrap();
        let database = database(backend).await;
        let server = ServerConfig::for_tests(data.path());
        let listener = Application::bind(server.bind_addr).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let own_url: url::Url = base.parse().unwrap();
        let clock = Clock::starting_at(time::OffsetDateTime::now_utc());
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
        let authenticator = Arc::new(RemoteAuthenticator::new(&own_url, Duration::ZERO, clock.clone()));
        let bus = LocalBus::default();
        let (embedded, credentials) = match objects {
            Objects::Embedded => (true, None),
            Objects::Moto { endpoint } => {
                receipts_config.s3_endpoint = Some(endpoint.parse().unwrap());
                (false, Some(("testing".to_owned(), "testing".to_owned())))
            }
        };
        receipts_config.s3_embedded = Some(embedded);
        let receipts = Receipts::open(
            &receipts_config,
            &expense_kit::config::AwsConfig::default(),
            &database,
            expense_receipts::Surroundings {
                data_dir: data.path(),
                own_url: &own_url,
                embedded_by_default: embedded,
                static_credentials: credentials,
                clock: clock.clone(),
            },
        )
        .await
        .unwrap();
        if !embedded {
            receipts.service.objects().ensure_bucket().await.unwrap();
        }
        let service = Arc::clone(&receipts.service);
        tokio::spawn(expense_kit::events::consume_local(
            bus.clone(),
            Arc::new(expense_receipts::Consumer(Arc::clone(&service))),
            "receipts",
        ));
        let parts = vec![
            expense_auth::part(auth, auth_pool, 0, Arc::new(bus.clone())),
            expenses.part(
                &ExpensesConfig {
                    outbox_poll_ms: 50,
                    ..Default::default()
                },
                authenticator.clone(),
                Arc::new(bus.clone()),
            ),
            receipts.part(authenticator),
        ];
        let app = Application::new(listener, &server, "test", parts).unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        let app = Self {
            base,
            client: reqwest::Client::new(),
            data,
            service,
            clock,
            _stop: stop,
        };
        app.wait_for_bucket().await;
        app
    }

    async fn wait_for_bucket(&self) {
        let mut last = None;
        for _ in 0..100 {
            match self.service.objects().ensure_bucket().await {
                Ok(()) => return,
                Err(error) => last = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the bucket never appeared: {last:?}");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn user(&self, name: &str) -> Caller {
        let email = format!("{name}-{}@example.com", uuid::Uuid::now_v7().simple());
        let password = "correct horse battery staple";
        let body = json!({ "email": email, "password": password });
        let registered = self
            .client
            .post(self.url("/v1/auth/register"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(registered.status(), StatusCode::CREATED);
        let session: Value = self
            .client
            .post(self.url("/v1/auth/login"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Caller {
            token: session["access_token"].as_str().unwrap().to_owned(),
        }
    }

    pub fn request(&self, caller: &Caller, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(&caller.token)
    }

    /// Creates an expense of `caller` and returns its id.
    pub async fn expense(&self, caller: &Caller) -> String {
        let body =
            json!({ "amount": "12.50", "currency": "EUR", "category": "food", "spent_on": "2026-11-02" });
        let created: Value = self
            .request(caller, reqwest::Method::POST, "/v1/expenses")
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        created["id"].as_str().unwrap().to_owned()
    }

    /// Starts a receipt upload for `content`.
    pub async fn start_upload(
        &self,
        caller: &Caller,
        expense_id: &str,
        content_type: &str,
        content: &[u8],
    ) -> reqwest::Response {
        let body = NewReceipt {
            content_type: content_type.to_owned(),
            size: content.len() as u64,
            sha256: sha256_hex(content),
        };
        self.request(
            caller,
            reqwest::Method::POST,
            &format!("/v1/expenses/{expense_id}/receipts"),
        )
        .json(&body)
        .send()
        .await
        .unwrap()
    }

    pub async fn created(&self, caller: &Caller, expense_id: &str, content: &[u8]) -> CreatedReceipt {
        let response = self
            .start_upload(caller, expense_id, "application/pdf", content)
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{}",
            response.text().await.unwrap()
        );
        response.json().await.unwrap()
    }

    /// The embedded store's generated credentials.
    pub fn embedded_credentials(&self) -> (String, String) {
        let text = std::fs::read_to_string(self.data.path().join("s3-credentials.json")).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        (
            value["access_key_id"].as_str().unwrap().to_owned(),
            value["secret_access_key"].as_str().unwrap().to_owned(),
        )
    }
}

/// PUTs `body` to a presigned URL with the given headers (all but content-length).
pub async fn put(
    url: &str,
    headers: &std::collections::BTreeMap<String, String>,
    body: Vec<u8>,
) -> reqwest::Response {
    let mut request = reqwest::Client::new().put(url).body(body);
    for (name, value) in headers {
        if name != "content-length" {
            request = request.header(name, value);
        }
    }
    request.send().await.unwrap()
}

pub fn sha256_hex(content: &[u8]) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, content)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
