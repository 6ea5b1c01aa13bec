//! Tracing across services: the auth, expenses and receipts roles run as separate applications
//! (each on its own port, calling each other over HTTP as on EKS) exporting traces over OTLP/HTTP
//! to a receiver in this test; one `expense receipt upload` must come out as one trace that
//! holds the receipts requests and the expenses request receipts made on their behalf.
//!
//! The three applications share this test process and so one trace exporter (one
//! `service.name`); spans are told apart by their routes.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use expense_kit::config::{OtlpProtocol, ServerConfig};
use expense_server::{Role, Settings};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, User};

/// Every span the receiver got: (trace id, span id, parent span id, name).
type Spans = Arc<Mutex<Vec<(String, String, String, String)>>>;

async fn otlp_receiver() -> (url::Url, Spans) {
    let spans: Spans = Arc::default();
    let store = Arc::clone(&spans);
    let app = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post(move |body: axum::body::Bytes| {
            let store = Arc::clone(&store);
            async move {
                let request: Value = serde_json::from_slice(&body).unwrap_or_default();
                let mut store = store.lock().unwrap();
                for resource in request["resourceSpans"].as_array().into_iter().flatten() {
                    for scope in resource["scopeSpans"].as_array().into_iter().flatten() {
                        for span in scope["spans"].as_array().into_iter().flatten() {
                            let text = |key: &str| span[key].as_str().unwrap_or_default().to_owned();
                            store.push((
                                text("traceId"),
                                text("spanId"),
                                text("parentSpanId"),
                                text("name"),
                            ));
                        }
                    }
                }
                axum::Json(json!({}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap())
        .parse()
        .unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, spans)
}

/// Starts one role on a free port with its own data directory; its base URL.
async fn role(role: Role, data: &std::path::Path, configure: impl FnOnce(&mut Settings)) -> String {
    let mut settings = Settings::for_tests(data);
    configure(&mut settings);
    let app = expense_server::build(&settings, role)
        .await
        .expect("the role starts");
    let url = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    url
}

#[tokio::test(flavor = "multi_thread")]
async fn one_receipt_upload_is_one_trace_across_receipts_and_expenses() {
    let (collector, spans) = otlp_receiver().await;
    let dirs = [(); 3].map(|()| tempfile::tempdir().unwrap());
    let telemetry = {
        let mut config = ServerConfig::for_tests(dirs[0].path());
        config.otel_exporter_otlp_endpoint = Some(collector);
        config.otel_exporter_otlp_protocol = OtlpProtocol::HttpJson;
        expense_kit::telemetry::init(&config, "expense-test")
    };
    let auth = role(Role::Auth, dirs[0].path(), |_| {}).await;
    let auth_url: url::Url = auth.parse().unwrap();
    let expenses = role(Role::Expenses, dirs[1].path(), |s| {
        s.auth_client.auth_url = Some(auth_url.clone())
    })
    .await;
    let receipts = role(Role::Receipts, dirs[2].path(), |s| {
        s.auth_client.auth_url = Some(auth_url.clone());
        s.receipts.expenses_url = Some(expenses.parse().unwrap());
        s.receipts.s3_embedded = Some(true);
    })
    .await;

    let client = reqwest::Client::new();
    let email = format!("trace-{}@example.com", uuid::Uuid::now_v7().simple());
    let credentials = json!({ "email": email, "password": PASSWORD });
    client
        .post(format!("{auth}/v1/auth/register"))
        .json(&credentials)
        .send()
        .await
        .unwrap();
    let session: Value = client
        .post(format!("{auth}/v1/auth/login"))
        .json(&credentials)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["access_token"].as_str().unwrap().to_owned();
    let expense: Value = client
        .post(format!("{expenses}/v1/expenses"))
        .bearer_auth(&token)
        .json(&json!({ "amount": "9.90", "currency": "EUR", "category": "dining", "spent_on": "2026-11-20" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expense_id = expense["id"].as_str().unwrap().to_owned();

    let user = User {
        home: tempfile::tempdir().unwrap(),
        api_url: receipts.clone(),
        extra_env: vec![("EXPENSE_TOKEN".to_owned(), token)],
        // The roles run on the system clock (`Settings::for_tests`).
        clock: expense_kit::clock::Clock::system(),
    };
    let file = user.home.path().join("receipt.pdf");
    std::fs::write(&file, b"%PDF-1.7\nnot much of a receipt\n").unwrap();
    user.run(&["receipt", "upload", &expense_id, file.to_str().unwrap()], None)
        .await
        .ok();

    let deadline = Instant::now() + Duration::from_secs(20);
    let (trace, names) = loop {
        let collected = spans.lock().unwrap().clone();
        let create = collected
            .iter()
            .find(|s| s.3 == "POST /v1/expenses/{id}/receipts");
        if let Some((trace, ..)) = create {
            let in_trace: Vec<_> = collected.iter().filter(|s| &s.0 == trace).cloned().collect();
            let names: Vec<String> = in_trace.iter().map(|s| s.3.clone()).collect();
            let complete = names.iter().any(|n| n == "POST /v1/receipts/{id}/complete");
            let lookup = names.iter().any(|n| n == "GET /v1/expenses/{id}");
            if complete && lookup {
                break (in_trace, names);
            }
        }
        assert!(
            Instant::now() < deadline,
            "no complete trace arrived; spans: {collected:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // The expenses request is a child of a span of the receipts request, in the same trace.
    let ids: Vec<&str> = trace.iter().map(|s| s.1.as_str()).collect();
    let lookup = trace.iter().find(|s| s.3 == "GET /v1/expenses/{id}").unwrap();
    assert!(
        ids.contains(&lookup.2.as_str()),
        "the expenses span's parent is in the trace: {trace:?}"
    );
    // The receipts requests are children of the CLI's context (not roots of their own traces).
    for root in trace.iter().filter(|s| s.3.starts_with("POST /v1/")) {
        assert!(
            !root.2.is_empty() && !ids.contains(&root.2.as_str()),
            "{root:?} continues the CLI's trace"
        );
    }
    eprintln!("one trace {}: {names:?}", trace[0].0);
    drop(telemetry);
}
