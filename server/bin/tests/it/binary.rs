//! The built binary: help, migrate, create-admin, monthly-summary, and draining on SIGTERM.

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn server() -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_expense-server"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    command
}

#[tokio::test]
async fn help_lists_every_variable_with_its_default() {
    let output = server().arg("--help").output().await.unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for variable in [
        "EXPENSE_BIND_ADDR",
        "EXPENSE_DATA_DIR",
        "EXPENSE_LOG",
        "EXPENSE_LOG_FORMAT",
        "REQUEST_TIMEOUT_SECS",
        "BODY_LIMIT_BYTES",
        "SHUTDOWN_GRACE_SECS",
        "TRUSTED_PROXY_HOPS",
        "DATABASE_URL",
        "DATABASE_MAX_CONNECTIONS",
        "MIGRATE_ON_START",
        "AUTH_URL",
        "TOKEN_STATUS_CACHE_SECS",
        "JWT_PRIVATE_KEY_FILE",
        "JWT_PUBLISHED_KEY_FILES",
        "ACCESS_TOKEN_TTL_SECS",
        "REFRESH_TOKEN_TTL_DAYS",
        "LOGIN_ATTEMPTS_PER_ACCOUNT",
        "LOGIN_ATTEMPTS_PER_ADDRESS",
        "OUTBOX_POLL_MS",
        "S3_BUCKET",
        "S3_ENDPOINT",
        "S3_EMBEDDED",
        "AWS_REGION",
        "S3_SSE_KMS_KEY_ID",
        "RECEIPT_MAX_BYTES",
        "EXPENSES_URL",
        "AWS_ENDPOINT_URL",
        "EVENTS",
        "SNS_TOPIC_ARN",
        "SQS_QUEUE_URL",
        "SQS_DLQ_URL",
        "MAILER",
        "MAIL_FROM",
        "WEBHOOK_RETRY_BASE_MS",
        "WEBHOOK_MAX_ATTEMPTS",
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS",
        "DATABASE_SECRET_ARN",
        "DATABASE_CREDENTIALS_CHECK_SECS",
        "JWT_SIGNING_KEY_SECRET_ARN",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_SERVICE_NAME",
    ] {
        assert!(
            help.contains(&format!("[env: {variable}")),
            "{variable} missing from --help"
        );
    }
    assert!(help.contains("[default: 127.0.0.1:8080]"));
}

#[tokio::test]
async fn migrate_then_create_admin_on_postgres() {
    let url = expense_testkit::fresh_postgres_database().await;
    let data = tempfile::tempdir().unwrap();
    let status = server()
        .args(["migrate"])
        .env("DATABASE_URL", &url)
        .env("EXPENSE_DATA_DIR", data.path())
        .env("EXPENSE_LOG", "warn")
        .status()
        .await
        .unwrap();
    assert!(status.success());

    let mut child = server()
        .args(["create-admin", "--email", "Root@Example.com"])
        .env("DATABASE_URL", &url)
        .env("EXPENSE_DATA_DIR", data.path())
        .env("MIGRATE_ON_START", "false")
        .env("EXPENSE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery staple\n")
        .await
        .unwrap();
    let output = child.wait_with_output().await.unwrap();
    assert!(output.status.success());
    let admin: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(admin["email"], "root@example.com");
    assert_eq!(admin["role"], "admin");

    let short = server()
        .args(["create-admin", "--email", "x@example.com"])
        .env("DATABASE_URL", &url)
        .env("EXPENSE_DATA_DIR", data.path())
        .env("EXPENSE_LOG", "off")
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("password: must be at least 12 characters"));
}

/// Starts `expense-server all` on a free port and returns it with its base URL.
async fn start_all(data: &std::path::Path) -> (tokio::process::Child, String) {
    let mut child = server()
        .arg("all")
        .env("EXPENSE_BIND_ADDR", "127.0.0.1:0")
        .env("EXPENSE_DATA_DIR", data)
        .env("EXPENSE_LOG_FORMAT", "json")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(Instant::now() < deadline, "the server did not report its address");
        let line = lines.next_line().await.unwrap().expect("the server is running");
        let Ok(record) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if record["message"] == "listening" {
            let url = record["url"].as_str().unwrap().trim_end_matches('/').to_owned();
            // Keep draining stderr so the server never blocks on a full pipe.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return (child, url);
        }
    }
}

#[tokio::test]
async fn sigterm_drains_in_flight_requests_and_exits_zero() {
    let data = tempfile::tempdir().unwrap();
    let (mut child, url) = start_all(data.path()).await;
    let client = reqwest::Client::new();
    let register = client
        .post(format!("{url}/v1/auth/register"))
        .json(&serde_json::json!({ "email": "drain@example.com", "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(register.status(), 201);

    // Twenty sign-ins cost ~20 argon2 hashes: in flight for a good while on two cores.
    let in_flight: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            let url = url.clone();
            tokio::spawn(async move {
                client
                    .post(format!("{url}/v1/auth/login"))
                    .json(&serde_json::json!({ "email": "drain@example.com", "password": "correct horse battery" }))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let pid = child.id().unwrap().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );

    let mut completed = 0;
    for request in in_flight {
        match request.await.unwrap() {
            // Answered: served to the end (the limiter may say 429 to some of twenty).
            Ok(status) => {
                assert!(status == 200 || status == 429, "{status}");
                completed += 1;
            }
            // Not yet sent when the listener closed: refused before any work, never cut midway.
            Err(error) => assert!(error.is_connect(), "a request was cut: {error}"),
        }
    }
    assert!(completed > 0, "some requests were in flight at SIGTERM");
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0), "exit 0 after draining");
}

#[tokio::test]
async fn monthly_summary_reports_what_it_did_and_refuses_a_bad_month() {
    let data = tempfile::tempdir().unwrap();
    let run = |month: &str| {
        server()
            .env("EXPENSE_DATA_DIR", data.path())
            .env("EXPENSE_LOG", "warn")
            .args(["monthly-summary", "--month", month])
            .output()
    };
    let done = run("2026-10").await.unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let report: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!(
        report,
        serde_json::json!({ "month": "2026-10", "mailed": 0, "already_sent": 0, "unconfirmed": [], "failed": [] })
    );
    let refused = run("2026-13").await.unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--month is YYYY-MM"));
}
