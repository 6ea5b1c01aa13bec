//! Signed webhooks, received by a real HTTP server on loopback: signatures verify with the secret
//! shown at creation, failures are retried with backoff and logged, and each user's events go to
//! that user's webhooks only.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_lc_rs::hmac;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use expense_api::notifications::{
    CreatedWebhook, DELIVERY_HEADER, DeliveryList, DeliveryStatus, EVENT_HEADER, SIGNATURE_HEADER,
    TIMESTAMP_HEADER, WebhookList,
};
use expense_api::periods::monthly_period;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{BACKENDS, Backend, Caller, Setup, TestApp, problem, test_config};

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: String,
}

/// A webhook receiver on loopback answering with `script` (then 204) and recording every request.
struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(script: Vec<u16>) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.into_iter()));
        let log = Arc::clone(&received);
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let log = Arc::clone(&log);
                let script = Arc::clone(&script);
                async move {
                    log.lock().unwrap().push(Received { headers, body });
                    let status = script.lock().unwrap().next().unwrap_or(204);
                    AxumStatus::from_u16(status).unwrap()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "only {} of {count} deliveries arrived",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Checks a delivery as a receiver would: the signature over `"{timestamp}.{body}"` with the
/// secret, and a timestamp within five minutes of `now` (the receiver's clock).
fn verify(secret: &str, request: &Received, now: time::OffsetDateTime) {
    let header = |name: &str| request.headers[name].to_str().unwrap().to_owned();
    let timestamp = header(TIMESTAMP_HEADER);
    let age = now.unix_timestamp() - timestamp.parse::<i64>().unwrap();
    assert!((0..300).contains(&age), "stale timestamp: {age} s");
    let signature = header(SIGNATURE_HEADER);
    let hex = signature.strip_prefix("sha256=").expect("sha256= prefix");
    let tag: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    hmac::verify(&key, format!("{timestamp}.{}", request.body).as_bytes(), &tag)
        .expect("the signature verifies");
    let wrong = hmac::Key::new(hmac::HMAC_SHA256, b"whsec_wrong");
    assert!(hmac::verify(&wrong, format!("{timestamp}.{}", request.body).as_bytes(), &tag).is_err());
}

async fn register(app: &TestApp, caller: &Caller, url: &str) -> CreatedWebhook {
    let response = app
        .send(caller, Method::POST, "/v1/webhooks", &json!({ "url": url }))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "{}",
        response.text().await.unwrap()
    );
    response.json().await.unwrap()
}

async fn deliveries(app: &TestApp, caller: &Caller, webhook: &CreatedWebhook) -> DeliveryList {
    let response = app
        .get(caller, &format!("/v1/webhooks/{}/deliveries", webhook.webhook.id))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn alerts_are_delivered_signed_and_retried_until_accepted() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        // The receiver fails twice (a 500, then a 503) before accepting.
        let receiver = Receiver::start(vec![500, 503]).await;
        let webhook = register(&app, &ada, &receiver.url).await;
        assert!(webhook.secret.starts_with("whsec_"));

        app.budget(&ada, "food", "100.00", 1).await;
        let started = Instant::now();
        app.spend(&ada, "food", "85.00", monthly_period(app.today(), 1).0)
            .await;
        let received = receiver.wait_for(3).await;
        let took = started.elapsed();

        let ids: Vec<&str> = received
            .iter()
            .map(|r| r.headers[DELIVERY_HEADER].to_str().unwrap())
            .collect();
        assert!(
            ids.iter().all(|id| *id == ids[0]),
            "{backend:?}: retries carry the same delivery id"
        );
        for request in &received {
            verify(&webhook.secret, request, app.clock.now());
            assert_eq!(request.headers[EVENT_HEADER], "budget_alert");
            assert_eq!(request.headers["content-type"], "application/json");
        }
        let payload: Value = serde_json::from_str(&received[0].body).unwrap();
        assert_eq!(payload["type"], "budget_alert");
        assert_eq!(payload["notification"]["data"]["threshold"], 80);
        assert_eq!(payload["notification"]["data"]["spent"], "85.00");
        // Backoff: 50 ms then 100 ms at least between the three attempts.
        assert!(
            took >= Duration::from_millis(150),
            "{backend:?}: retried after {took:?}"
        );

        let deadline = Instant::now() + Duration::from_secs(10);
        let log = loop {
            let log = deliveries(&app, &ada, &webhook).await;
            if log
                .items
                .first()
                .is_some_and(|d| d.status == DeliveryStatus::Delivered)
                || Instant::now() > deadline
            {
                break log;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(log.items.len(), 1, "{backend:?}");
        let delivery = &log.items[0];
        assert_eq!(delivery.status, DeliveryStatus::Delivered, "{backend:?}");
        assert_eq!(delivery.attempts, 3);
        assert_eq!(delivery.last_status, Some(204));
        assert!(delivery.delivered_at.is_some());
        assert_eq!(delivery.id.to_string(), ids[0]);
    }
}

#[tokio::test]
async fn a_receiver_that_keeps_failing_is_given_up_and_logged() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ada = app.user("ada").await;
    let receiver = Receiver::start(vec![500; 10]).await;
    let webhook = register(&app, &ada, &receiver.url).await;
    let tested = app
        .request(
            &ada,
            Method::POST,
            &format!("/v1/webhooks/{}/test", webhook.webhook.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(tested.status(), StatusCode::ACCEPTED);

    let attempts = test_config().webhook_max_attempts as usize;
    receiver.wait_for(attempts).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), attempts, "no attempt after the last");
    let log = deliveries(&app, &ada, &webhook).await;
    let delivery = &log.items[0];
    assert_eq!(delivery.event, "webhook.test");
    assert_eq!(delivery.status, DeliveryStatus::Failed);
    assert_eq!(delivery.attempts as usize, attempts);
    assert_eq!(delivery.last_status, Some(500));
    assert_eq!(delivery.last_error.as_deref(), Some("the receiver answered 500"));
    verify(&webhook.secret, &receiver.received()[0], app.clock.now());
}

#[tokio::test]
async fn a_user_never_receives_another_users_events() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let bob = app.user("bob").await;
        let ada_receiver = Receiver::start(vec![]).await;
        let bob_receiver = Receiver::start(vec![]).await;
        let ada_hook = register(&app, &ada, &ada_receiver.url).await;
        let bob_hook = register(&app, &bob, &bob_receiver.url).await;

        app.budget(&ada, "food", "100.00", 1).await;
        app.spend(&ada, "food", "95.00", monthly_period(app.today(), 1).0)
            .await;
        app.settle().await;
        let received = ada_receiver.wait_for(1).await;
        let payload: Value = serde_json::from_str(&received[0].body).unwrap();
        assert_eq!(payload["notification"]["data"]["threshold"], 90);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(bob_receiver.received().is_empty(), "{backend:?}");
        assert!(app.notifications(&bob).await.is_empty());

        // Bob cannot see, test, read the log of or delete Ada's webhook.
        let listed: WebhookList = app.get(&bob, "/v1/webhooks").await.json().await.unwrap();
        assert_eq!(listed.items.len(), 1);
        assert_eq!(listed.items[0].id, bob_hook.webhook.id);
        let id = ada_hook.webhook.id;
        for (method, path) in [
            (Method::POST, format!("/v1/webhooks/{id}/test")),
            (Method::GET, format!("/v1/webhooks/{id}/deliveries")),
            (Method::DELETE, format!("/v1/webhooks/{id}")),
        ] {
            let refused = app.request(&bob, method.clone(), &path).send().await.unwrap();
            problem(refused, StatusCode::NOT_FOUND).await;
        }
        let ada_list: WebhookList = app.get(&ada, "/v1/webhooks").await.json().await.unwrap();
        assert_eq!(ada_list.items.len(), 1, "{backend:?}: still there");
        // The listing never shows the secret again.
        let raw = app.get(&ada, "/v1/webhooks").await.text().await.unwrap();
        assert!(!raw.contains(&ada_hook.secret));

        let removed = app
            .request(&ada, Method::DELETE, &format!("/v1/webhooks/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), StatusCode::NO_CONTENT);
        let gone = app
            .request(&ada, Method::DELETE, &format!("/v1/webhooks/{id}"))
            .send()
            .await
            .unwrap();
        problem(gone, StatusCode::NOT_FOUND).await;
    }
}

#[tokio::test]
async fn bad_webhook_urls_are_refused_with_the_reason() {
    let app = TestApp::spawn_with(Setup {
        config: expense_notifications::NotificationsConfig {
            webhook_allow_private_networks: false,
            ..test_config()
        },
        ..Setup::new(Backend::Sqlite)
    })
    .await;
    let ada = app.user("ada").await;
    for (url, reason) in [
        ("http://hooks.example.com/x", "https://"),
        ("ftp://hooks.example.com/x", "https://"),
        ("https://user:secret@hooks.example.com/x", "credentials"),
        ("hooks.example.com", "not a URL"),
    ] {
        let response = app
            .send(&ada, Method::POST, "/v1/webhooks", &json!({ "url": url }))
            .await;
        let refused = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused.errors[0].field, "url");
        assert!(
            refused.errors[0].message.contains(reason),
            "{url}: {}",
            refused.errors[0].message
        );
    }
    let unknown = app
        .send(
            &ada,
            Method::POST,
            "/v1/webhooks",
            &json!({ "url": "https://a.example", "secret": "x" }),
        )
        .await;
    assert!(unknown.status().is_client_error());

    // An address inside the network is refused when it is registered, however it is written.
    for url in [
        "https://127.0.0.1:9/hook",
        "https://[::ffff:127.0.0.1]:9/hook",
        "https://100.64.0.1/hook",
    ] {
        let response = app
            .send(&ada, Method::POST, "/v1/webhooks", &json!({ "url": url }))
            .await;
        let refused = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused.errors[0].field, "url");
        assert!(
            refused.errors[0]
                .message
                .contains("not a public internet address"),
            "{url}: {}",
            refused.errors[0].message
        );
    }

    // A name is accepted as a URL, but one that resolves inside the network is never called.
    for url in ["https://localhost:9/hook"] {
        let webhook = register(&app, &ada, url).await;
        let tested = app
            .request(
                &ada,
                Method::POST,
                &format!("/v1/webhooks/{}/test", webhook.webhook.id),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(tested.status(), StatusCode::ACCEPTED);
        let deadline = Instant::now() + Duration::from_secs(10);
        let delivery = loop {
            let log = deliveries(&app, &ada, &webhook).await;
            if let Some(delivery) = log.items.first().filter(|d| d.attempts > 0) {
                break delivery.clone();
            }
            assert!(Instant::now() < deadline, "{url}: never attempted");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let error = delivery.last_error.unwrap_or_default();
        assert!(
            error.contains("not a public internet address; refused"),
            "{url}: {error}"
        );
        assert_eq!(delivery.last_status, None);
    }

    // At most ten per account.
    for n in 1..10 {
        register(&app, &ada, &format!("https://hooks.example.com/{n}")).await;
    }
    let eleventh = app
        .send(
            &ada,
            Method::POST,
            "/v1/webhooks",
            &json!({ "url": "https://hooks.example.com/11" }),
        )
        .await;
    let refused = problem(eleventh, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(refused.errors[0].message.contains("at most 10"));
}

/// Verifies deliveries with the Standard Webhooks reference library (PyPI `standardwebhooks`,
/// installed by `cargo xtask test` into the project's venv): for each case, `ok` and the payload's
/// `type`, or `refused` and the library's reason.
const REFERENCE_VERIFIER: &str = r#"
import json, sys
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
verdicts = []
for case in json.load(sys.stdin):
    try:
        payload = Webhook(case["secret"]).verify(case["body"], case["headers"])
        verdicts.append({"verdict": "ok", "type": payload["type"]})
    except WebhookVerificationError as error:
        verdicts.append({"verdict": "refused", "reason": str(error)})
print(json.dumps(verdicts))
"#;

/// Runs [`REFERENCE_VERIFIER`] with the test Python (the venv's under `cargo xtask test`).
fn reference_verdicts(cases: &Value) -> Vec<Value> {
    let python = expense_testkit::moto::test_python();
    let mut child = std::process::Command::new(&python)
        .args(["-c", REFERENCE_VERIFIER])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(cases.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the Standard Webhooks library did not run with {python} (run the suite with `cargo xtask test`, \
         which installs it): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// What the reference library sees of a delivery: the body and the headers as received.
fn case(secret: &str, request: &Received, body: &str) -> Value {
    let headers: serde_json::Map<String, Value> = request
        .headers
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), json!(value.to_str().unwrap())))
        .collect();
    json!({ "secret": secret, "body": body, "headers": headers })
}

#[tokio::test]
async fn the_standard_webhooks_reference_library_verifies_real_deliveries() {
    // The library judges timestamps by the real time, so the services run on it too.
    let real_now = time::OffsetDateTime::now_utc();
    let app = TestApp::spawn_with(Setup {
        clock: expense_kit::clock::Clock::starting_at(real_now),
        ..Setup::new(Backend::Sqlite)
    })
    .await;
    let ada = app.user("ada").await;
    let receiver = Receiver::start(Vec::new()).await;
    let webhook = register(&app, &ada, &receiver.url).await;
    let test_delivery = || async {
        let tested = app
            .request(
                &ada,
                Method::POST,
                &format!("/v1/webhooks/{}/test", webhook.webhook.id),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(tested.status(), StatusCode::ACCEPTED);
    };
    test_delivery().await;
    let fresh = receiver.wait_for(1).await[0].clone();
    // A delivery signed ten minutes ago, as a replay of an old capture would be.
    app.clock
        .set(time::OffsetDateTime::now_utc() - time::Duration::minutes(10));
    test_delivery().await;
    let old = receiver.wait_for(2).await[1].clone();

    assert!(
        fresh.headers["webhook-signature"]
            .to_str()
            .unwrap()
            .starts_with("v1,")
    );
    assert_eq!(fresh.headers["webhook-id"], fresh.headers[DELIVERY_HEADER]);
    let tampered = fresh.body.replace("webhook.test", "budget_alert");
    assert_ne!(tampered, fresh.body);
    let cases = json!([
        case(&webhook.secret, &fresh, &fresh.body),
        case(&webhook.secret, &fresh, &tampered),
        case("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &fresh, &fresh.body),
        case(&webhook.secret, &old, &old.body),
    ]);
    let verdicts = reference_verdicts(&cases);
    assert_eq!(verdicts[0], json!({"verdict": "ok", "type": "webhook.test"}));
    assert_eq!(
        verdicts[1],
        json!({"verdict": "refused", "reason": "No matching signature found"}),
        "a tampered body"
    );
    assert_eq!(
        verdicts[2],
        json!({"verdict": "refused", "reason": "No matching signature found"}),
        "another secret"
    );
    assert_eq!(
        verdicts[3],
        json!({"verdict": "refused", "reason": "Message timestamp too old"}),
        "a delivery signed ten minutes ago"
    );
}
