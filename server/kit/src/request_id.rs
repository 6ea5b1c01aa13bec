//! `X-Request-Id`: taken from the caller when it is sane, made (UUIDv7) otherwise, echoed on the
//! response, and available to the code handling the request.
//!
//! The id is kept in a task-local for the duration of the request, so problem bodies and outgoing
//! service-to-service calls can carry it without threading it through every function.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use uuid::Uuid;

/// The header name, lower-case as HTTP/2 wants it.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest caller-supplied id we keep; longer ones are replaced.
const MAX_LEN: usize = 128;

tokio::task_local! {
    static CURRENT: String;
}

/// The id of the request being handled on this task, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// The request id as a request extension, for extractors and the trace span.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Middleware: accept or make the id, expose it, echo it.
pub async fn propagate(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|value| is_acceptable(value))
        .map(str::to_owned)
        .unwrap_or_else(|| Uuid::now_v7().to_string());
    if let Ok(value) = HeaderValue::from_str(&id) {
        request.headers_mut().insert(X_REQUEST_ID.clone(), value);
    }
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = CURRENT.scope(id.clone(), next.run(request)).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID.clone(), value);
    }
    response
}

/// Caller ids are kept only when short and made of visible ASCII without spaces, so they are
/// safe to log and to echo.
fn is_acceptable(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= MAX_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
}

#[cfg(test)]
mod tests {
    use super::is_acceptable;

    #[test]
    fn only_short_visible_ids_are_kept() {
        assert!(is_acceptable("abc-123_X.y"));
        assert!(!is_acceptable(""));
        assert!(!is_acceptable("has space"));
        assert!(!is_acceptable("quote\"d"));
        assert!(!is_acceptable(&"x".repeat(129)));
    }
}
