//! `expense notifications` and `expense webhooks` through the real binary against a real server:
//! preferences, an alert arriving, marking read, and webhook registration, test and delivery log.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{Server, User};

async fn server() -> Server {
    Server::start_with(|settings| {
        settings.notifications.webhook_allow_private_networks = true;
        settings.notifications.webhook_retry_base_ms = 50;
        settings.notifications.webhook_max_attempts = 2;
    })
    .await
}

/// An HTTP receiver on loopback answering every request with `status`; counts requests.
async fn receiver(status: u16) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                // Headers, then as many body bytes as Content-Length says.
                loop {
                    let read = socket.read(&mut buffer).await.unwrap_or(0);
                    if read == 0 {
                        return;
                    }
                    request.extend_from_slice(&buffer[..read]);
                    let text = String::from_utf8_lossy(&request).to_lowercase();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length: usize = text
                            .lines()
                            .find_map(|line| line.strip_prefix("content-length:"))
                            .and_then(|value| value.trim().parse().ok())
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                seen.fetch_add(1, Ordering::SeqCst);
                let answer =
                    format!("HTTP/1.1 {status} Whatever\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    (url, count)
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_alerts_and_marking_read() {
    let server = server().await;
    let ada = User::signed_in(&server, "ada").await;

    let settings = ada
        .run(&["notifications", "settings", "--json"], None)
        .await
        .json();
    assert_eq!(settings["thresholds"], serde_json::json!([80, 90, 100]));
    assert_eq!(settings["budget_alerts"], true);
    assert_eq!(settings["monthly_summary"], false);
    assert!(settings["email"].as_str().unwrap().starts_with("ada-"));

    let changed = ada
        .run(
            &[
                "notifications",
                "settings",
                "--thresholds",
                "50,100",
                "--monthly-summary",
                "on",
                "--json",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(changed["thresholds"], serde_json::json!([50, 100]));
    assert_eq!(changed["monthly_summary"], true);
    let refused = ada
        .run(&["notifications", "settings", "--thresholds", "0"], None)
        .await;
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("between 1 and 1000"),
        "{}",
        refused.stderr
    );
    let wrong = ada
        .run(&["notifications", "settings", "--budget-alerts", "maybe"], None)
        .await;
    assert_eq!(wrong.code, 2, "{}", wrong.stderr);

    ada.run(&["budget", "set", "food", "100"], None).await.ok();
    ada.run(&["add", "60", "food", "--date", "today"], None)
        .await
        .ok();
    let deadline = Instant::now() + Duration::from_secs(15);
    let listed = loop {
        let listed = ada
            .run(&["notifications", "ls", "--unread", "--json"], None)
            .await
            .json();
        if !listed.as_array().unwrap().is_empty() || Instant::now() > deadline {
            break listed;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let items = listed.as_array().unwrap();
    assert_eq!(items.len(), 1, "{listed}");
    assert_eq!(items[0]["kind"], "budget_alert");
    assert_eq!(items[0]["title"], "50 % of your food budget is spent");
    assert_eq!(items[0]["read_at"], serde_json::Value::Null);

    let table = ada.run(&["notifications", "ls", "--format", "tsv"], None).await;
    assert!(table.ok().contains("50 % of your food budget is spent"));

    let usage = ada.run(&["notifications", "read"], None).await;
    assert_eq!(usage.code, 2, "an id or --all is required: {}", usage.stderr);
    let marked = ada.run(&["notifications", "read", "--all"], None).await;
    marked.ok();
    assert!(
        marked.stderr.contains("Marked 1 notification read"),
        "{}",
        marked.stderr
    );
    let unread = ada
        .run(&["notifications", "ls", "--unread", "--json"], None)
        .await
        .json();
    assert_eq!(unread, serde_json::json!([]));
    let missing = ada
        .run(
            &["notifications", "read", "0191f8a8-0000-7000-8000-000000000000"],
            None,
        )
        .await;
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("No notification with that id"),
        "{}",
        missing.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_add_test_log_and_remove() {
    let server = server().await;
    let ada = User::signed_in(&server, "ada").await;
    let (good, good_count) = receiver(204).await;
    let (bad, bad_count) = receiver(500).await;

    let added = ada.run(&["webhooks", "add", &good, "--json"], None).await;
    let created = added.json();
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    assert!(added.stderr.contains("cannot be shown again"));
    let id = created["id"].as_str().unwrap().to_owned();
    let listed = ada.run(&["webhooks", "ls", "--json"], None).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(listed[0].get("secret").is_none(), "the secret is shown once");

    let tested = ada.run(&["webhooks", "test", &id], None).await;
    tested.ok();
    assert!(tested.stderr.contains("Delivered (204)"), "{}", tested.stderr);
    assert_eq!(good_count.load(Ordering::SeqCst), 1);
    let log = ada
        .run(&["webhooks", "deliveries", &id, "--json"], None)
        .await
        .json();
    assert_eq!(log[0]["event"], "webhook.test");
    assert_eq!(log[0]["status"], "delivered");
    assert_eq!(log[0]["last_status"], 204);

    let failing = ada.run(&["webhooks", "add", &bad, "--json"], None).await.json();
    let failing_id = failing["id"].as_str().unwrap().to_owned();
    let refused = ada.run(&["webhooks", "test", &failing_id], None).await;
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("the receiver answered 500"),
        "{}",
        refused.stderr
    );
    assert!(bad_count.load(Ordering::SeqCst) >= 1);

    let invalid = ada.run(&["webhooks", "add", "ftp://example.com/x"], None).await;
    assert_ne!(invalid.code, 0);
    assert!(invalid.stderr.contains("https://"), "{}", invalid.stderr);

    ada.run(&["webhooks", "rm", &id], None).await.ok();
    let gone = ada.run(&["webhooks", "rm", &id], None).await;
    assert_eq!(gone.code, 1);
    let listed = ada.run(&["webhooks", "ls", "--json"], None).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}
