//! The load of `cargo xtask chaos`: a few concurrent clients creating and reading through the
//! front door as one signed-in user, each behaving as the `expense` CLI does
//! (cli/src/client.rs), so the figures say what a user of the CLI would have seen.
//!
//! Like the CLI, a client repeats a request when the server is briefly away (502/503/504/429,
//! or the request could not be sent or timed out), waiting `Retry-After` (at most 10 s) or
//! 250 ms, 500 ms, 1 s, 2 s, five tries in all, and only when repeating is safe: reads, and
//! creates of expenses, which carry an `Idempotency-Key` of their own. Receipt creates carry no
//! key (the API has none for them), so like the CLI it never repeats them.
//!
//! Every try is recorded as a raw answer ([`Attempt`], classified by [`AnswerClass`]) and every
//! operation as an end result ([`Operation`]); nothing here judges them (see `report`).

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use expense_api::auth::{LoginRequest, RegisterRequest, TokenResponse, User};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

/// Tries per request, the first included (the CLI's `RETRY_ATTEMPTS`).
const RETRY_ATTEMPTS: u32 = 5;

/// What every receipt create declares. Nothing is uploaded: the receipt stays pending (the
/// sweeper removes it after an hour), which is all the fault needs; the service checks only that
/// the checksum is 64 hexadecimal digits.
const RECEIPT_SIZE: u64 = 68;
const RECEIPT_SHA256: &str = "0b1d6b8f3a5c2e4d6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6";

/// What the clients do, in turn; each client starts at another place in the cycle, so at any
/// moment every kind is being asked. Three creates, two lists, three reads, two receipts.
const PLAN: [RequestKind; 10] = [
    RequestKind::CreateExpense,
    RequestKind::ListExpenses,
    RequestKind::GetExpense,
    RequestKind::CreateReceipt,
    RequestKind::CreateExpense,
    RequestKind::GetExpense,
    RequestKind::ListExpenses,
    RequestKind::CreateExpense,
    RequestKind::GetExpense,
    RequestKind::CreateReceipt,
];

/// A kind of request of the load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// `POST /v1/expenses` with an `Idempotency-Key`.
    CreateExpense,
    /// `GET /v1/expenses?limit=20`.
    ListExpenses,
    /// `GET /v1/expenses/{id}` of an expense this client saw created.
    GetExpense,
    /// `POST /v1/expenses/{id}/receipts` (no key: never repeated).
    CreateReceipt,
    /// The prober's `GET` of the route under fault, every 100 ms, never repeated.
    Probe,
}

impl RequestKind {
    pub const LOAD: [RequestKind; 4] = [
        RequestKind::CreateExpense,
        RequestKind::ListExpenses,
        RequestKind::GetExpense,
        RequestKind::CreateReceipt,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RequestKind::CreateExpense => "create expense",
            RequestKind::ListExpenses => "list expenses",
            RequestKind::GetExpense => "get expense",
            RequestKind::CreateReceipt => "create receipt",
            RequestKind::Probe => "probe",
        }
    }
}

/// What a raw answer was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerClass {
    /// 2xx.
    Success,
    /// 503 problem+json with `Retry-After`: the documented "not now".
    Unavailable,
    /// 503 without `Retry-After`.
    UnavailableWithoutRetryAfter,
    /// The front door's 502 because the role refused the connection (it was not listening):
    /// what the ALB answers when a target is gone; on EKS another replica would have taken it.
    AlbRefused,
    /// The front door's 502 because the role's connection broke after it was accepted: a
    /// request cut mid-way.
    AlbBroken,
    /// Any other 5xx.
    ServerError,
    /// A 4xx: none is expected of this load.
    ClientError,
    /// The connection broke or the answer was cut short.
    Reset,
    /// No complete answer within the attempt timeout: a hang.
    Timeout,
}

impl AnswerClass {
    /// Classifies an HTTP answer.
    pub fn of_status(status: u16, retry_after: bool, content_type: &str, body: &str) -> Self {
        let from_front_door = content_type.starts_with("text/plain") && body.contains("did not answer");
        match status {
            200..=299 => AnswerClass::Success,
            502 if from_front_door && body.to_ascii_lowercase().contains("refused") => {
                AnswerClass::AlbRefused
            }
            502 if from_front_door => AnswerClass::AlbBroken,
            503 if retry_after => AnswerClass::Unavailable,
            503 => AnswerClass::UnavailableWithoutRetryAfter,
            500..=599 => AnswerClass::ServerError,
            _ => AnswerClass::ClientError,
        }
    }

    /// The CLI repeats these answers (when the request is repeatable).
    fn retried_status(status: u16) -> bool {
        matches!(status, 429 | 502 | 503 | 504)
    }
}

/// One try of one request: a raw answer.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    pub kind: RequestKind,
    pub op: u64,
    pub attempt: u32,
    /// Since the scenario started.
    pub started_ms: f64,
    pub ended_ms: f64,
    pub status: Option<u16>,
    pub retry_after: Option<String>,
    pub class: AnswerClass,
    /// The problem's detail, the front door's text or the transport error, for findings.
    pub detail: String,
}

/// One request with its retries: an end result.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    pub kind: RequestKind,
    pub op: u64,
    pub key: Option<String>,
    pub started_ms: f64,
    pub ended_ms: f64,
    pub attempts: u32,
    /// The class of the last try.
    pub class: AnswerClass,
    /// The id the server answered for a create.
    pub created: Option<Uuid>,
}

impl Operation {
    pub fn ok(&self) -> bool {
        self.class == AnswerClass::Success
    }
}

/// Everything the clients saw.
#[derive(Debug, Default)]
pub struct Recorder {
    attempts: Mutex<Vec<Attempt>>,
    ops: Mutex<Vec<Operation>>,
}

impl Recorder {
    pub fn attempts(&self) -> Vec<Attempt> {
        self.attempts.lock().expect("recorder lock").clone()
    }

    pub fn ops(&self) -> Vec<Operation> {
        self.ops.lock().expect("recorder lock").clone()
    }
}

/// A signed-in user's client of the API, as the CLI sends requests.
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    token: String,
    started: Instant,
    next_op: AtomicU64,
    retries: bool,
    pub recorder: Recorder,
}

impl Client {
    /// A client whose times count from `started`; `retries` false for the prober.
    pub fn new(
        base_url: &str,
        token: &str,
        started: Instant,
        timeout: Duration,
        retries: bool,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            http: http_client(timeout)?,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            started,
            next_op: AtomicU64::new(1),
            retries,
            recorder: Recorder::default(),
        })
    }

    fn now_ms(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1000.0
    }

    /// One request, repeated as the CLI would; records every try and the end result, and
    /// answers the end result with the body of a success.
    pub async fn call(
        &self,
        kind: RequestKind,
        method: Method,
        path: &str,
        body: Option<&Value>,
        key: Option<&str>,
    ) -> (Operation, Option<Value>) {
        let op = self.next_op.fetch_add(1, Ordering::Relaxed);
        let repeatable = self.retries && (method != Method::POST || key.is_some());
        let started_ms = self.now_ms();
        let mut attempt = 1;
        loop {
            let (record, value, retry) = self.attempt(kind, op, attempt, &method, path, body, key).await;
            let class = record.class;
            self.recorder.attempts.lock().expect("recorder lock").push(record);
            match retry {
                Some(wait) if repeatable && attempt < RETRY_ATTEMPTS => {
                    tokio::time::sleep(wait.unwrap_or_else(|| backoff(attempt))).await;
                    attempt += 1;
                }
                _ => {
                    let created = match kind {
                        RequestKind::CreateExpense => created_id(value.as_ref(), &["id"]),
                        RequestKind::CreateReceipt => created_id(value.as_ref(), &["receipt", "id"]),
                        _ => None,
                    };
                    let result = Operation {
                        kind,
                        op,
                        key: key.map(str::to_owned),
                        started_ms,
                        ended_ms: self.now_ms(),
                        attempts: attempt,
                        class,
                        created,
                    };
                    self.recorder
                        .ops
                        .lock()
                        .expect("recorder lock")
                        .push(result.clone());
                    return (result, value.filter(|_| class == AnswerClass::Success));
                }
            }
        }
    }

    /// One try. The third value is `Some` when the CLI would repeat it (with the server's wait,
    /// if it named one).
    #[allow(clippy::too_many_arguments)]
    async fn attempt(
        &self,
        kind: RequestKind,
        op: u64,
        attempt: u32,
        method: &Method,
        path: &str,
        body: Option<&Value>,
        key: Option<&str>,
    ) -> (Attempt, Option<Value>, Option<Option<Duration>>) {
        let started_ms = self.now_ms();
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base_url))
            .bearer_auth(&self.token)
            .header("accept", "application/json");
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let record = |class, status, retry_after, detail: String| Attempt {
            kind,
            op,
            attempt,
            started_ms,
            ended_ms: self.now_ms(),
            status,
            retry_after,
            class,
            detail,
        };
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => {
                let class = if error.is_timeout() {
                    AnswerClass::Timeout
                } else {
                    AnswerClass::Reset
                };
                // The CLI repeats what could not be sent or timed out.
                let retried = error.is_connect() || error.is_timeout() || error.is_request();
                let detail = format!("{error:#}");
                return (record(class, None, None, detail), None, retried.then_some(None));
            }
        };
        let status = response.status();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let retry_after = header("retry-after");
        let content_type = header("content-type").unwrap_or_default();
        let bytes = match response.bytes().await {
            Ok(bytes) => bytes,
            Err(error) => {
                // The CLI reads the body after `send` returned: a cut body is not repeated.
                let class = if error.is_timeout() {
                    AnswerClass::Timeout
                } else {
                    AnswerClass::Reset
                };
                let detail = format!("{status}, then the body broke off: {error:#}");
                return (
                    record(class, Some(status.as_u16()), retry_after, detail),
                    None,
                    None,
                );
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let class = AnswerClass::of_status(status.as_u16(), retry_after.is_some(), &content_type, &text);
        let value: Option<Value> = serde_json::from_slice(&bytes).ok();
        let detail = if class == AnswerClass::Success {
            String::new()
        } else {
            value
                .as_ref()
                .and_then(|v| v.get("detail"))
                .and_then(Value::as_str)
                .map_or_else(|| text.trim().chars().take(200).collect(), str::to_owned)
        };
        let retry = AnswerClass::retried_status(status.as_u16()).then(|| server_wait(retry_after.as_deref()));
        (
            record(class, Some(status.as_u16()), retry_after, detail),
            value,
            retry,
        )
    }
}

/// The CLI's backoff: 250 ms, 500 ms, 1 s, 2 s.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250 * 2u64.pow(attempt.saturating_sub(1).min(4)))
}

/// The server's `Retry-After` in seconds, at most 10 s, as the CLI reads it.
fn server_wait(retry_after: Option<&str>) -> Option<Duration> {
    let seconds: u64 = retry_after?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds.min(10)))
}

fn created_id(value: Option<&Value>, path: &[&str]) -> Option<Uuid> {
    let mut value = value?;
    for name in path {
        value = value.get(name)?;
    }
    value.as_str()?.parse().ok()
}

fn http_client(timeout: Duration) -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(timeout)
        .user_agent(concat!("expense-chaos/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("cannot build the HTTP client")
}

/// A new throwaway user, signed in: its id and access token.
pub async fn sign_up(base_url: &str) -> anyhow::Result<(Uuid, String)> {
    let http = http_client(Duration::from_secs(30))?;
    let email = format!("chaos-{}@chaos.expense.invalid", Uuid::now_v7().simple());
    let password = format!("chaos-{}", Uuid::new_v4().simple());
    let register = RegisterRequest {
        email: email.clone(),
        password: password.clone(),
    };
    let response = http
        .post(format!("{base_url}/v1/auth/register"))
        .json(&register)
        .send()
        .await?;
    anyhow::ensure!(
        response.status() == StatusCode::CREATED,
        "register: {}",
        describe(response).await
    );
    let user: User = response.json().await?;
    let response = http
        .post(format!("{base_url}/v1/auth/login"))
        .json(&LoginRequest { email, password })
        .send()
        .await?;
    anyhow::ensure!(
        response.status() == StatusCode::OK,
        "login: {}",
        describe(response).await
    );
    let session: TokenResponse = response.json().await?;
    Ok((user.id, session.access_token))
}

/// An unexpected answer in one line: its status and the start of its body.
async fn describe(response: reqwest::Response) -> String {
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    format!("{status} {}", text.chars().take(300).collect::<String>())
}

/// The body of an expense create whose note carries its key, so rows can be told apart.
pub fn new_expense(key: &str, today: &str) -> Value {
    json!({
        "amount": "12.34",
        "currency": "EUR",
        "category": "chaos",
        "note": note_of(key),
        "spent_on": today,
    })
}

/// The note of the expense created with `key`.
pub fn note_of(key: &str) -> String {
    format!("chaos {key}")
}

fn new_receipt() -> Value {
    json!({
        "content_type": "image/png",
        "size": RECEIPT_SIZE,
        "sha256": RECEIPT_SHA256,
    })
}

/// One client of the load: runs its share of [`PLAN`] until `deadline`, pausing `think`
/// between requests.
pub async fn client_loop(
    client: Arc<Client>,
    index: usize,
    deadline: Instant,
    think: Duration,
    today: String,
) {
    let mut mine: Vec<Uuid> = Vec::new();
    let mut step = index * 3;
    while Instant::now() < deadline {
        let mut kind = PLAN[step % PLAN.len()];
        if mine.is_empty() && matches!(kind, RequestKind::GetExpense | RequestKind::CreateReceipt) {
            kind = RequestKind::CreateExpense;
        }
        let pick = |mine: &[Uuid]| mine[(step * 7) % mine.len()];
        match kind {
            RequestKind::CreateExpense => {
                let key = Uuid::now_v7().to_string();
                let body = new_expense(&key, &today);
                let (op, _) = client
                    .call(kind, Method::POST, "/v1/expenses", Some(&body), Some(&key))
                    .await;
                mine.extend(op.created);
            }
            RequestKind::ListExpenses => {
                client
                    .call(kind, Method::GET, "/v1/expenses?limit=20", None, None)
                    .await;
            }
            RequestKind::GetExpense => {
                let path = format!("/v1/expenses/{}", pick(&mine));
                client.call(kind, Method::GET, &path, None, None).await;
            }
            RequestKind::CreateReceipt => {
                let path = format!("/v1/expenses/{}/receipts", pick(&mine));
                client
                    .call(kind, Method::POST, &path, Some(&new_receipt()), None)
                    .await;
            }
            RequestKind::Probe => {}
        }
        step += 1;
        tokio::time::sleep(think).await;
    }
}

/// The prober: `GET path` every 100 ms until `deadline`, never repeated, each try recorded.
pub async fn probe_loop(client: Arc<Client>, path: String, deadline: Instant) {
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while Instant::now() < deadline {
        tick.tick().await;
        client
            .call(RequestKind::Probe, Method::GET, &path, None, None)
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_classified_as_the_guarantees_need() {
        let problem = "application/problem+json";
        assert_eq!(
            AnswerClass::of_status(201, false, "application/json", "{}"),
            AnswerClass::Success
        );
        assert_eq!(
            AnswerClass::of_status(503, true, problem, "{}"),
            AnswerClass::Unavailable
        );
        assert_eq!(
            AnswerClass::of_status(503, false, problem, "{}"),
            AnswerClass::UnavailableWithoutRetryAfter
        );
        let refused = "the role at 127.0.0.1:1 did not answer: Connection refused (os error 111)\n";
        assert_eq!(
            AnswerClass::of_status(502, false, "text/plain; charset=utf-8", refused),
            AnswerClass::AlbRefused
        );
        let broken = "the role at 127.0.0.1:1 did not answer: connection closed before message completed\n";
        assert_eq!(
            AnswerClass::of_status(502, false, "text/plain; charset=utf-8", broken),
            AnswerClass::AlbBroken
        );
        assert_eq!(
            AnswerClass::of_status(502, false, problem, "{}"),
            AnswerClass::ServerError
        );
        assert_eq!(
            AnswerClass::of_status(500, false, problem, "{}"),
            AnswerClass::ServerError
        );
        assert_eq!(
            AnswerClass::of_status(404, false, problem, "{}"),
            AnswerClass::ClientError
        );
    }

    #[test]
    fn waits_are_the_clis() {
        assert_eq!(backoff(1), Duration::from_millis(250));
        assert_eq!(backoff(4), Duration::from_secs(2));
        assert_eq!(server_wait(Some("2")), Some(Duration::from_secs(2)));
        assert_eq!(server_wait(Some("60")), Some(Duration::from_secs(10)));
        assert_eq!(server_wait(Some("soon")), None);
        assert!(
            AnswerClass::retried_status(503)
                && AnswerClass::retried_status(502)
                && !AnswerClass::retried_status(500)
        );
    }

    #[test]
    fn the_plan_mixes_creates_reads_and_receipts() {
        let count = |kind| PLAN.iter().filter(|k| **k == kind).count();
        assert_eq!(count(RequestKind::CreateExpense), 3);
        assert_eq!(count(RequestKind::ListExpenses), 2);
        assert_eq!(count(RequestKind::GetExpense), 3);
        assert_eq!(count(RequestKind::CreateReceipt), 2);
    }

    #[test]
    fn created_ids_are_read_from_the_answer() {
        let id = Uuid::now_v7();
        let expense = json!({ "id": id.to_string() });
        assert_eq!(created_id(Some(&expense), &["id"]), Some(id));
        let receipt = json!({ "receipt": { "id": id.to_string() } });
        assert_eq!(created_id(Some(&receipt), &["receipt", "id"]), Some(id));
        assert_eq!(created_id(None, &["id"]), None);
    }
}
