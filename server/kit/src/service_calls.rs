//! The HTTP client services use to call each other, as they do on EKS (also inside `all`).
//!
//! Short timeouts, so a slow dependency turns into a quick 503 rather than a hung request, and the
//! caller's request id and trace context forwarded, so one id follows a request across services
//! in the logs and one trace spans every service it touched.

use std::time::Duration;

use crate::request_id;

/// A client for service-to-service calls.
pub fn service_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .pool_idle_timeout(Duration::from_secs(60))
        .user_agent(concat!("expense-server/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the TLS backend initialises")
}

/// Adds the current request's id and trace context (`traceparent`) to an outgoing request.
pub fn with_request_id(builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    let mut headers = reqwest::header::HeaderMap::new();
    crate::telemetry::inject_context(&mut headers);
    let builder = builder.headers(headers);
    match request_id::current() {
        Some(id) => builder.header(request_id::X_REQUEST_ID.as_str(), id),
        None => builder,
    }
}
