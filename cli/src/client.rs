//! The HTTP client for the API: JSON in, JSON out, and every error answer turned into a
//! [`CliError`] that says what the server said and what to do next.
//!
//! Requests that are safe to repeat are retried with backoff when the server is briefly away
//! (connection refused or reset, timeouts, 502/503/504, 429): reads, `PUT` and `DELETE`, and
//! `POST` only when it carries an `Idempotency-Key` (creates and imports), which makes a repeat
//! return the first answer instead of creating twice. A `Retry-After` from the server sets the
//! wait. Other `POST`s (sign-in, token refresh) are never repeated: a refresh token works once.
//!
//! Every request of one command carries the same W3C trace id (`traceparent`), so when the
//! services export traces, one command (`expense receipt upload`: create, complete) is one trace
//! across every service it reached.

use std::time::Duration;

use expense_api::{Problem, ProblemType};
use reqwest::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{CliError, ErrorKind, Result};

/// A request body: JSON made by the CLI, or bytes as given (`expense api --input`).
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    Json(&'a serde_json::Value),
    /// Sent as they are, as `application/json` unless a `Content-Type` header says otherwise.
    Raw(&'a [u8]),
}

/// The JSON body of a request built from one of `expense_api`'s request types, so that the CLI
/// sends exactly the fields the server reads (and a misspelt field does not compile).
pub fn request_body<T: serde::Serialize>(request: &T) -> serde_json::Value {
    serde_json::to_value(request).expect("the API's request types serialise to JSON")
}

/// A client bound to one server.
#[derive(Debug, Clone)]
pub struct Api {
    http: reqwest::Client,
    base: Url,
}

impl Api {
    pub fn new(base: Url) -> Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("expense-cli/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CliError::other(format!("cannot set up HTTPS: {e}")))?;
        Ok(Self { http, base })
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// Sends a request; network failures become [`ErrorKind::Network`] errors.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        bearer: Option<&str>,
    ) -> Result<Response> {
        self.send_with(method, path, body, bearer, &[]).await
    }

    /// [`Api::send`] with extra headers.
    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        bearer: Option<&str>,
        headers: &[(&str, String)],
    ) -> Result<Response> {
        self.send_body(method, path, body.map(Body::Json), bearer, headers)
            .await
    }

    /// [`Api::send_with`] with any [`Body`].
    pub async fn send_body(
        &self,
        method: Method,
        path: &str,
        body: Option<Body<'_>>,
        bearer: Option<&str>,
        headers: &[(&str, String)],
    ) -> Result<Response> {
        let url = self
            .base
            .join(path)
            .map_err(|e| CliError::other(format!("bad path {path}: {e}")))?;
        let repeatable = method != Method::POST
            || headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("idempotency-key"));
        let mut attempt = 1;
        loop {
            let outcome = self
                .send_once(method.clone(), url.clone(), body, bearer, headers)
                .await;
            let wait = match &outcome {
                Ok(response) if RETRIED_STATUSES.contains(&response.status()) => Some(retry_after(response)),
                Ok(_) => None,
                Err(error) if error.is_connect() || error.is_timeout() || error.is_request() => Some(None),
                Err(_) => None,
            };
            match wait {
                Some(server_wait) if repeatable && attempt < RETRY_ATTEMPTS => {
                    tokio::time::sleep(server_wait.unwrap_or_else(|| backoff(attempt))).await;
                    attempt += 1;
                }
                _ => return outcome.map_err(|error| self.network_error(&error)),
            }
        }
    }

    async fn send_once(
        &self,
        method: Method,
        url: Url,
        body: Option<Body<'_>>,
        bearer: Option<&str>,
        headers: &[(&str, String)],
    ) -> std::result::Result<Response, reqwest::Error> {
        let mut request = self
            .http
            .request(method, url)
            .header("accept", "application/json");
        match body {
            Some(Body::Json(value)) => request = request.json(value),
            Some(Body::Raw(bytes)) => {
                if !headers
                    .iter()
                    .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
                {
                    request = request.header("content-type", "application/json");
                }
                request = request.body(bytes.to_vec());
            }
            None => {}
        }
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        request = request.header("traceparent", traceparent());
        request.send().await
    }

    fn network_error(&self, error: &reqwest::Error) -> CliError {
        let what = if error.is_timeout() {
            "timed out"
        } else if error.is_connect() {
            "could not connect"
        } else {
            "failed"
        };
        CliError::new(ErrorKind::Network, format!("the request to {} {what}", self.base)).with_hint(
            "check the server URL (`expense auth status`); locally, start the platform with `cargo xtask up`",
        )
    }
}

/// Tries per request, the first included.
const RETRY_ATTEMPTS: u32 = 5;

/// Answers that mean "not now" rather than "no".
const RETRIED_STATUSES: [StatusCode; 4] = [
    StatusCode::TOO_MANY_REQUESTS,
    StatusCode::BAD_GATEWAY,
    StatusCode::SERVICE_UNAVAILABLE,
    StatusCode::GATEWAY_TIMEOUT,
];

/// 250 ms, 500 ms, 1 s, 2 s: about 4 s in all before giving up.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250 * 2u64.pow(attempt.saturating_sub(1).min(4)))
}

/// The server's `Retry-After` in seconds, at most 10 s.
fn retry_after(response: &Response) -> Option<Duration> {
    let seconds: u64 = response
        .headers()
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds.min(10)))
}

/// This command's trace id: random, one per process.
fn trace_id() -> &'static str {
    static TRACE_ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TRACE_ID.get_or_init(|| uuid::Uuid::new_v4().simple().to_string())
}

/// A `traceparent` header value: this command's trace, a new span id per request, sampled.
pub fn traceparent() -> String {
    let span = uuid::Uuid::new_v4().simple().to_string();
    format!("00-{}-{}-01", trace_id(), &span[..16])
}

/// Reads a successful JSON answer, or turns an error answer into a [`CliError`].
pub async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T> {
    let response = check(response).await?;
    response.json().await.map_err(|e| {
        CliError::new(
            ErrorKind::Server,
            format!("the server's answer could not be read: {e}"),
        )
    })
}

/// Passes a successful answer through, or turns an error answer into a [`CliError`].
pub async fn check(response: Response) -> Result<Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.unwrap_or_default();
    let problem: Option<Problem> = serde_json::from_str(&text).ok();
    Err(problem_error(status, problem, retry_after))
}

/// The CLI error for an error answer.
pub fn problem_error(status: StatusCode, problem: Option<Problem>, retry_after: Option<String>) -> CliError {
    let Some(problem) = problem else {
        return CliError::new(
            ErrorKind::Server,
            format!("the server answered {status} without details"),
        );
    };
    let mut message = problem.detail.clone();
    for field in &problem.errors {
        if problem.errors.len() > 1 || !problem.detail.contains(&field.message) {
            message.push_str(&format!("\n  {}: {}", field.field, field.message));
        }
    }
    let kind = match problem.problem_type() {
        Some(ProblemType::Unauthorized) => ErrorKind::Auth,
        Some(ProblemType::NotFound) => ErrorKind::NotFound,
        Some(ProblemType::Validation | ProblemType::MalformedRequest | ProblemType::Conflict) => {
            ErrorKind::Other
        }
        _ if status.is_server_error() => ErrorKind::Server,
        _ => ErrorKind::Other,
    };
    let mut error = CliError::new(kind, message);
    if kind == ErrorKind::Auth {
        error = error.with_hint("run `expense login`");
    } else if let Some(seconds) = retry_after {
        error = error.with_hint(format!("retry in {seconds} s"));
    } else if status.is_server_error()
        && let Some(id) = problem.request_id
    {
        error = error.with_hint(format!("quote request id {id} when reporting this"));
    }
    error
}
