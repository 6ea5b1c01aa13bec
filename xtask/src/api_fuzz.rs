//! The generated API tests of `cargo xtask test`: schemathesis, run against the committed OpenAPI
//! document (`docs/api/openapi.json`), sends a few thousand generated requests to every operation
//! of a throwaway `expense-server all` as a signed-in user, and checks that no answer is a 5xx,
//! that every answer matches the document (status code, content type, headers, body schema) and
//! that every 4xx is a problem+json saying what was wrong (`xtask/api_fuzz/hooks.py`).
//!
//! What runs and how much is in `xtask/api_fuzz/schemathesis.toml`; this module only prepares:
//! it builds nothing when the binary is already there (the test stage built it), starts the server
//! on a free port with a fresh data directory and its production settings (no private webhook
//! targets), signs a user in, seeds what some operations need to get past 404 (a budget overspent,
//! hence a notification, and a webhook), runs schemathesis, stops the server by its pid and
//! summarises the findings. Reports go under `target/api-fuzz/`.
//!
//! The user is an administrator (`expense-server create-admin`), so that the admin routes are
//! tested past their 403 too. Every other route behaves the same for any role, and an admin cannot
//! disable their own account, so no generated request can lock the run out (a plain user could be
//! disabled by an admin request made with its own id from `GET /v1/me`). That non-admins get 403
//! is the access-control tests' subject.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::process::{ServerProcess, expense_server_binary, free_port};
use crate::project::{root, step};
use crate::tools::Tools;

/// Fewer requests than this means the configuration no longer tests enough: the stage fails.
const MIN_REQUESTS: usize = 2_000;

/// Long enough that the access token outlives any run.
const ACCESS_TOKEN_TTL_SECS: &str = "7200";

/// The environment variable through which the configuration gets the bearer token.
const TOKEN_VAR: &str = "EXPENSE_API_FUZZ_TOKEN";

/// The signed-in administrator.
const EMAIL: &str = "api-fuzz@example.com";
const PASSWORD: &str = "generated API tests";

/// Where the reports and the server's log go.
fn output_dir() -> PathBuf {
    root().join("target/api-fuzz")
}

/// The seed of the test command's run: the gate sends the same requests every time, so a CI run
/// fails only on a change of ours. `cargo xtask api-fuzz` alone draws a new seed each run (it
/// prints it; `--seed` repeats a run) to explore further.
pub const GATE_SEED: u128 = 20_261_126;

/// Runs the stage with schemathesis from `tools`, from `seed` or a random one.
pub fn run(tools: &Tools, seed: Option<u128>) -> anyhow::Result<()> {
    let binary = expense_server_binary()?;
    let output = output_dir();
    std::fs::create_dir_all(&output)?;
    let data = tempfile::Builder::new().prefix("expense-api-fuzz-").tempdir()?;
    create_admin(&binary, data.path())?;
    let address = format!("127.0.0.1:{}", free_port()?);
    let mut server = ServerProcess::spawn(
        "expense-server all",
        &format!("http://{address}"),
        server_command(&binary, data.path())
            .arg("all")
            .env("EXPENSE_BIND_ADDR", &address),
        &output.join("server.log"),
    )?;
    eprintln!("expense-server all (pid {}) at {}", server.pid(), server.url());
    let result = crate::infra::aws::block_on(prepare(&mut server))
        .and_then(|token| run_schemathesis(tools, server.url(), &token, &output, seed));
    server.stop();
    let summary = result?;
    eprintln!("{}", summary.describe(&output));
    summary.verdict()
}

/// `expense-server` with the settings of the run: production defaults, a fresh data directory,
/// JSON logs, access tokens that outlive the run, no webhooks to private addresses.
fn server_command(binary: &Path, data_dir: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("EXPENSE_DATA_DIR", data_dir)
        .env("EXPENSE_LOG_FORMAT", "json")
        .env("EXPENSE_LOG", "warn")
        .env("ACCESS_TOKEN_TTL_SECS", ACCESS_TOKEN_TTL_SECS)
        .env("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "false");
    command
}

/// The administrator the run signs in as, created in the data directory before the server starts.
fn create_admin(binary: &Path, data_dir: &Path) -> anyhow::Result<()> {
    let mut child = server_command(binary, data_dir)
        .args(["create-admin", "--email", EMAIL])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .context("cannot run expense-server create-admin")?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(PASSWORD.as_bytes())?;
    drop(stdin);
    let status = child.wait()?;
    if !status.success() {
        bail!("expense-server create-admin failed ({status})");
    }
    Ok(())
}

/// Waits for the server, signs the administrator in and seeds data; returns the access token.
async fn prepare(server: &mut ServerProcess) -> anyhow::Result<String> {
    let client = reqwest::Client::new();
    server.wait_until_ready(&client).await?;
    let url = server.url().to_owned();
    let credentials = json!({"email": EMAIL, "password": PASSWORD});
    let session = call(
        &client,
        "POST",
        &format!("{url}/v1/auth/login"),
        None,
        &credentials,
    )
    .await?;
    let token = session["access_token"]
        .as_str()
        .context("login answered no access_token")?
        .to_owned();
    let today = time::OffsetDateTime::now_utc().date();
    let today = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    // A budget overspent at once: its alert is a notification to mark read.
    let seeds = [
        (
            "PUT",
            "/v1/budgets/groceries",
            json!({"amount": "10", "currency": "EUR"}),
        ),
        (
            "POST",
            "/v1/expenses",
            json!({"amount": "12.50", "currency": "EUR", "category": "groceries", "spent_on": today}),
        ),
        (
            "POST",
            "/v1/webhooks",
            json!({"url": "https://example.com/expense-hook"}),
        ),
    ];
    for (method, path, body) in seeds {
        call(&client, method, &format!("{url}{path}"), Some(&token), &body).await?;
    }
    Ok(token)
}

/// One JSON call that must succeed; returns the answer's body.
async fn call(
    client: &reqwest::Client,
    method: &str,
    url: &str,
    token: Option<&str>,
    body: &Value,
) -> anyhow::Result<Value> {
    let method = reqwest::Method::from_bytes(method.as_bytes())?;
    let mut request = client.request(method.clone(), url).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.with_context(|| format!("{method} {url}"))?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        bail!("{method} {url} answered {status}: {text}");
    }
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Runs schemathesis with the committed configuration and hooks; summarises its events report.
fn run_schemathesis(
    tools: &Tools,
    url: &str,
    token: &str,
    output: &Path,
    seed: Option<u128>,
) -> anyhow::Result<Summary> {
    step(&format!("schemathesis against {url}"));
    let events = output.join("events.ndjson");
    let _ = std::fs::remove_file(&events);
    let started = Instant::now();
    let mut command = tools.command("st");
    command
        // Its cache (`.schemathesis/`) goes under target/, not into the working tree.
        .current_dir(output)
        .arg("--config-file")
        .arg(root().join("xtask/api_fuzz/schemathesis.toml"))
        .arg("run")
        .arg(root().join("docs/api/openapi.json"))
        .args(["--url", url, "--report", "junit,ndjson"])
        .arg("--report-junit-path")
        .arg(output.join("junit.xml"))
        .arg("--report-ndjson-path")
        .arg(&events)
        .env(TOKEN_VAR, token)
        .env("SCHEMATHESIS_HOOKS", root().join("xtask/api_fuzz/hooks.py"));
    if let Some(seed) = seed {
        command.arg("--seed").arg(seed.to_string());
    }
    let status = command
        .status()
        .context("cannot start schemathesis (`st`) from the tools venv")?;
    let elapsed = started.elapsed();
    let text = std::fs::read_to_string(&events)
        .with_context(|| format!("schemathesis wrote no events report ({status})"))?;
    let document = std::fs::read_to_string(root().join("docs/api/openapi.json"))?;
    let mut summary = Summary::from_events(&text, &operations(&serde_json::from_str(&document)?))?;
    summary.elapsed = elapsed;
    summary.passed = status.success();
    Ok(summary)
}

/// Every operation of an OpenAPI document, as schemathesis labels them (`POST /v1/expenses`).
fn operations(document: &Value) -> BTreeSet<String> {
    let mut labels = BTreeSet::new();
    let Some(paths) = document["paths"].as_object() else {
        return labels;
    };
    for (path, item) in paths {
        for method in ["get", "put", "post", "delete", "patch"] {
            if item.get(method).is_some() {
                labels.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    labels
}

/// What a run did and found.
#[derive(Debug, Default)]
struct Summary {
    /// Requests sent, per operation under test.
    requests: BTreeMap<String, usize>,
    /// Responses per status code.
    statuses: BTreeMap<u16, usize>,
    /// How many operations the document describes.
    operations: usize,
    /// Documented operations that got no request.
    untested: Vec<String>,
    /// `operation: check: message`, once each.
    failures: BTreeSet<String>,
    elapsed: Duration,
    /// Whether schemathesis itself passed.
    passed: bool,
}

impl Summary {
    /// Reads schemathesis' NDJSON events: every finished scenario holds its requests, their
    /// responses and the verdict of every check.
    fn from_events(events: &str, operations: &BTreeSet<String>) -> anyhow::Result<Self> {
        let mut summary = Self::default();
        for line in events.lines().filter(|line| !line.trim().is_empty()) {
            let event: Value = serde_json::from_str(line).context("an unreadable schemathesis event")?;
            let Some(scenario) = event.get("ScenarioFinished") else {
                continue;
            };
            let recorder = &scenario["recorder"];
            let label = recorder["label"].as_str().unwrap_or("?").to_owned();
            if let Some(interactions) = recorder["interactions"].as_object() {
                *summary.requests.entry(label.clone()).or_default() += interactions.len();
                for interaction in interactions.values() {
                    if let Some(status) = interaction["response"]["status_code"].as_u64() {
                        let status = u16::try_from(status).unwrap_or(0);
                        *summary.statuses.entry(status).or_default() += 1;
                    }
                }
            }
            for check in recorder["checks"]
                .as_object()
                .into_iter()
                .flat_map(|checks| checks.values())
                .filter_map(Value::as_array)
                .flatten()
                .filter(|check| check["status"] == "failure")
            {
                let failure = &check["failure_info"]["failure"];
                let message = failure["message"].as_str().unwrap_or_default();
                summary.failures.insert(format!(
                    "{}: {} ({}): {}",
                    failure["operation"].as_str().unwrap_or(&label),
                    failure["title"].as_str().unwrap_or("?"),
                    check["name"].as_str().unwrap_or("?"),
                    message.lines().next().unwrap_or_default()
                ));
            }
        }
        summary.operations = operations.len();
        summary.untested = operations
            .iter()
            .filter(|operation| !summary.requests.contains_key(*operation))
            .cloned()
            .collect();
        Ok(summary)
    }

    fn total(&self) -> usize {
        self.requests.values().sum()
    }

    fn describe(&self, output: &Path) -> String {
        let statuses: Vec<String> = self
            .statuses
            .iter()
            .map(|(status, count)| format!("{status}: {count}"))
            .collect();
        format!(
            "\nschemathesis: {} requests, {} of {} operations called, in {:.0?} (responses {}); reports in {}",
            self.total(),
            self.operations - self.untested.len(),
            self.operations,
            self.elapsed,
            statuses.join(", "),
            output.strip_prefix(root()).unwrap_or(output).display()
        )
    }

    /// Fails with every finding, or if the run tested too little.
    fn verdict(&self) -> anyhow::Result<()> {
        let mut problems: Vec<String> = self.failures.iter().cloned().collect();
        if !self.untested.is_empty() {
            problems.push(format!("operations never called: {}", self.untested.join(", ")));
        }
        if self.total() < MIN_REQUESTS {
            problems.push(format!(
                "only {} requests (at least {MIN_REQUESTS} expected): raise generation.max-examples",
                self.total()
            ));
        }
        if problems.is_empty() && !self.passed {
            problems.push("schemathesis failed (its output is above)".to_owned());
        }
        if problems.is_empty() {
            return Ok(());
        }
        bail!(
            "the generated API tests found {} problem(s):\n  - {}",
            problems.len(),
            problems.join("\n  - ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_summarised_from_its_events() {
        let events = [
            r#"{"Initialize":{"seed":1}}"#,
            r#"{"ScenarioFinished":{"recorder":{"label":"GET /v1/me","interactions":{"a":{"response":{"status_code":200}},"b":{"response":{"status_code":401}}},"checks":{"a":[{"name":"not_a_server_error","status":"success"}]}}}}"#,
            r#"{"ScenarioFinished":{"recorder":{"label":"POST /v1/expenses","interactions":{"c":{"response":{"status_code":500}}},"checks":{"c":[{"name":"not_a_server_error","status":"failure","failure_info":{"failure":{"title":"Server error","message":"500\nmore"}}}]}}}}"#,
        ]
        .join("\n");
        let operations: BTreeSet<String> = ["GET /v1/me", "POST /v1/expenses", "DELETE /v1/expenses/{id}"]
            .map(str::to_owned)
            .into();
        let summary = Summary::from_events(&events, &operations).unwrap();
        assert_eq!(summary.total(), 3);
        assert_eq!(summary.statuses[&500], 1);
        assert_eq!(summary.untested, ["DELETE /v1/expenses/{id}"]);
        assert_eq!(
            summary.failures.iter().next().unwrap(),
            "POST /v1/expenses: Server error (not_a_server_error): 500"
        );
        let verdict = summary.verdict().unwrap_err().to_string();
        assert!(
            verdict.contains("operations never called: DELETE /v1/expenses/{id}"),
            "{verdict}"
        );
        assert!(verdict.contains("only 3 requests"), "{verdict}");
    }

    #[test]
    fn operations_are_labelled_as_schemathesis_labels_them() {
        let document = json!({"paths": {"/v1/expenses": {"get": {}, "post": {}, "parameters": []}}});
        let labels: Vec<String> = operations(&document).into_iter().collect();
        assert_eq!(labels, ["GET /v1/expenses", "POST /v1/expenses"]);
    }
}
