//! The HTTP client for the API: JSON in, JSON out, and every error answer turned into a
//! [`CliError`] that says what the server said and what to do next.

use std::time::Duration;

use expense_api::{Problem, ProblemType};
use reqwest::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{CliError, ErrorKind, Result};

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
        let url = self
            .base
            .join(path)
            .map_err(|e| CliError::other(format!("bad path {path}: {e}")))?;
        let mut request = self
            .http
            .request(method, url)
            .header("accept", "application/json");
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        request.send().await.map_err(|error| self.network_error(&error))
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
