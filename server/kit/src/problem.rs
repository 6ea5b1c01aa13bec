//! Problem+json responses (RFC 9457): the single place where errors become HTTP.
//!
//! Service error enums convert into [`ProblemResponse`]; the [`normalize_errors`] middleware
//! turns the bare error responses that routing and tower layers produce (404, 405, 413, timeouts)
//! into the same shape, so no client ever sees an error body of another kind.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use expense_api::problem::PROBLEM_CONTENT_TYPE;
use expense_api::{FieldError, Problem, ProblemType};

use crate::request_id;

/// A problem body plus the headers that go with it (`Retry-After`, `WWW-Authenticate`, …).
#[derive(Debug, Clone)]
pub struct ProblemResponse {
    /// Boxed: errors travel through `Result`s, which should stay small.
    pub problem: Box<Problem>,
    pub headers: HeaderMap,
}

impl ProblemResponse {
    pub fn new(kind: ProblemType, detail: impl Into<String>) -> Self {
        Self {
            problem: Box::new(Problem::new(kind, detail)),
            headers: HeaderMap::new(),
        }
    }

    /// 422 listing every offending field.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self {
            problem: Box::new(Problem::validation(errors)),
            headers: HeaderMap::new(),
        }
    }

    /// 422 for a single field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, message)])
    }

    /// 401 with an RFC 6750 `WWW-Authenticate` challenge.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        let detail = detail.into();
        let challenge = format!(
            "Bearer realm=\"expense\", error=\"invalid_token\", error_description=\"{}\"",
            detail.replace(['"', '\\'], "'")
        );
        Self::new(ProblemType::Unauthorized, detail).with_header(header::WWW_AUTHENTICATE, &challenge)
    }

    /// 404 that never says whether the thing exists for someone else.
    pub fn not_found(what: &str) -> Self {
        Self::new(ProblemType::NotFound, format!("No {what} with that id."))
    }

    /// 429 or 503 with `Retry-After` in whole seconds (at least 1).
    pub fn retry_after(kind: ProblemType, detail: impl Into<String>, seconds: u64) -> Self {
        Self::new(kind, detail).with_header(header::RETRY_AFTER, &seconds.max(1).to_string())
    }

    /// A 500 that shows no internals; the caller logs the cause.
    pub fn internal() -> Self {
        Self::new(
            ProblemType::Internal,
            "An unexpected error occurred. It has been logged; quote the request id if you report it.",
        )
    }

    pub fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.insert(name, value);
        }
        self
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for ProblemResponse {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut problem = self.problem;
        if problem.request_id.is_none() {
            problem.request_id = request_id::current();
        }
        let body = serde_json::to_vec(&problem).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        );
        response.headers_mut().extend(self.headers);
        response
    }
}

/// Rewrites error responses that are not problem+json (from routing, body limits, timeouts and
/// other layers) into problem+json, keeping their status and headers.
pub async fn normalize_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_problem(response.headers()) {
        return response;
    }
    let (parts, _body) = response.into_parts();
    let problem = match status {
        StatusCode::NOT_FOUND => ProblemResponse::new(
            ProblemType::NotFound,
            format!("There is no route {path}. The API is described at /openapi.json."),
        ),
        StatusCode::METHOD_NOT_ALLOWED => ProblemResponse::new(
            ProblemType::MethodNotAllowed,
            format!("{method} is not allowed on {path}; the Allow header lists the methods that are."),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ProblemResponse::new(
            ProblemType::PayloadTooLarge,
            "The request body is larger than this service accepts; send less per request.",
        ),
        StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => {
            ProblemResponse::retry_after(
                ProblemType::Unavailable,
                "The service could not answer in time. Retry shortly.",
                1,
            )
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ProblemResponse::new(
            ProblemType::UnsupportedMediaType,
            "Send the body as JSON with `Content-Type: application/json`.",
        ),
        other if other.is_server_error() => ProblemResponse::internal(),
        other => {
            let mut generic = ProblemResponse::new(
                ProblemType::MalformedRequest,
                other.canonical_reason().unwrap_or("The request was refused."),
            );
            generic.problem.status = other.as_u16();
            generic
        }
    };
    let mut rebuilt = problem.into_response();
    *rebuilt.status_mut() = status;
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rebuilt.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rebuilt
}

fn is_problem(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_CONTENT_TYPE))
}

/// The body of a panic response; the panic itself is logged by the layer.
pub fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    ProblemResponse::internal().into_response()
}
