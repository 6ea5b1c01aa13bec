//! The smoke test's HTTP client: the API under one base URL, as any client sees it, with each
//! unexpected answer turned into an error that says what was asked, what came back (the
//! problem's detail) and the request id to look for in the logs. Presigned storage URLs are
//! called as they are given, outside the base URL.

use std::time::Duration;

use anyhow::{Context, bail};
use expense_api::problem::Problem;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The API of one deployment.
pub struct Api {
    http: reqwest::Client,
    base_url: String,
    /// The access token of the signed-in session, sent as `Authorization: Bearer`.
    pub access_token: Option<String>,
}

impl Api {
    pub fn new(base_url: &str) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("expense-smoke/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("cannot build the HTTP client")?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            access_token: None,
        })
    }

    /// The underlying client, for presigned storage URLs.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// A request to `path` under the base URL, with the bearer token once signed in.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.http.request(method, format!("{}{path}", self.base_url));
        match &self.access_token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// Sends `request` (described as `what`), expects `expected` and decodes the JSON answer.
    pub async fn json<T: DeserializeOwned>(
        &self,
        what: &str,
        request: reqwest::RequestBuilder,
        expected: StatusCode,
    ) -> anyhow::Result<T> {
        let response = self.expect(what, request, expected).await?;
        let body = response
            .bytes()
            .await
            .with_context(|| format!("{what}: the answer broke off"))?;
        serde_json::from_slice(&body).with_context(|| {
            format!(
                "{what}: the answer is not the documented JSON: {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            )
        })
    }

    /// Sends `request`, failing unless it answers `expected`.
    pub async fn expect(
        &self,
        what: &str,
        request: reqwest::RequestBuilder,
        expected: StatusCode,
    ) -> anyhow::Result<reqwest::Response> {
        let response = request
            .send()
            .await
            .with_context(|| format!("{what}: no answer"))?;
        if response.status() != expected {
            bail!("{what}: expected {expected}, got {}", describe(response).await);
        }
        Ok(response)
    }

    /// `POST path` with a JSON body.
    pub fn post<B: Serialize>(&self, path: &str, body: &B) -> reqwest::RequestBuilder {
        self.request(Method::POST, path).json(body)
    }
}

/// An unexpected answer in one line: status, the problem's detail, the request id.
pub async fn describe(response: reqwest::Response) -> String {
    let status = response.status();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body = response.bytes().await.unwrap_or_default();
    let detail = match serde_json::from_slice::<Problem>(&body) {
        Ok(problem) => format!("{}: {}", problem.title, problem.detail),
        Err(_) => {
            let text = String::from_utf8_lossy(&body[..body.len().min(300)]);
            text.trim().to_owned()
        }
    };
    let mut description = status.to_string();
    if !detail.is_empty() {
        description.push_str(&format!(" ({detail})"));
    }
    if let Some(id) = request_id {
        description.push_str(&format!(" [request id {id}]"));
    }
    description
}
