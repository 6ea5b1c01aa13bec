//! Assembling services into one HTTP application, binding it and serving it until shutdown.
//!
//! A role (`auth`, `all`, …) hands [`Application::new`] one [`ServicePart`] per service it runs.
//! The application adds what every service shares: `/healthz`, `/readyz`, `/metrics`,
//! `/openapi.json`, and the middleware stack (outermost first): request id, trace span,
//! metrics, panic catcher, error normalisation to problem+json, request timeout, body limit.
//! `main` and the tests both go through here, so tests exercise the production stack.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::StatusCode;
use axum::middleware::from_fn;
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::config::ServerConfig;
use crate::health::{Health, ReadinessCheck};
use crate::request_id::RequestId;
use crate::{metrics, problem, request_id};

/// What one service contributes to an application.
pub struct ServicePart {
    /// The service's name, for logs.
    pub name: &'static str,
    /// Its routes with their OpenAPI description, state already applied.
    pub router: OpenApiRouter,
    /// The dependencies it needs to be ready.
    pub readiness: Vec<Arc<dyn ReadinessCheck>>,
    /// Routes served outside the middleware stack and the OpenAPI document, with their paths
    /// intact: the embedded S3-compatible store, whose clients expect S3's own errors and sign
    /// the path.
    pub raw_routes: Option<Router>,
}

/// A bound, ready-to-serve application.
pub struct Application {
    listener: TcpListener,
    router: Router,
    health: Health,
    grace: Duration,
    address: SocketAddr,
}

impl Application {
    /// Binds the listener. Separate from [`Application::new`] because `all` must know its own
    /// address (services call each other through it) before the services are built.
    pub async fn bind(address: SocketAddr) -> std::io::Result<TcpListener> {
        TcpListener::bind(address).await
    }

    /// Builds the application from its services.
    pub fn new(
        listener: TcpListener,
        config: &ServerConfig,
        title: &str,
        mut parts: Vec<ServicePart>,
    ) -> std::io::Result<Self> {
        let address = listener.local_addr()?;
        // Install the recorder before the first request, so no count is lost.
        metrics::handle();
        let raw: Vec<Router> = parts
            .iter_mut()
            .filter_map(|part| part.raw_routes.take())
            .collect();
        let (api, document, checks) = merge(parts);
        let document_json: Arc<str> = serde_json::to_string_pretty(&finish_document(document, title))
            .expect("the OpenAPI document serialises")
            .into();
        let health = Health::new(checks);
        let router = api
            .route(
                "/openapi.json",
                get(move || {
                    let body = Arc::clone(&document_json);
                    async move { ([("content-type", "application/json")], body.to_string()) }
                }),
            )
            .route("/metrics", get(|| async { metrics::render() }))
            .merge(health.routes())
            .fallback(|| async { StatusCode::NOT_FOUND.into_response() })
            .layer(
                ServiceBuilder::new()
                    .layer(from_fn(request_id::propagate))
                    .layer(
                        TraceLayer::new_for_http()
                            .make_span_with(request_span)
                            .on_request(())
                            .on_response(DefaultOnResponse::new().level(Level::INFO)),
                    )
                    .layer(from_fn(metrics::track))
                    .layer(CatchPanicLayer::custom(problem::panic_response))
                    .layer(from_fn(problem::normalize_errors))
                    .layer(TimeoutLayer::with_status_code(
                        StatusCode::SERVICE_UNAVAILABLE,
                        config.request_timeout(),
                    ))
                    .layer(DefaultBodyLimit::max(config.body_limit_bytes)),
            );
        // Added after the layers, so the middleware does not wrap them.
        let router = raw.into_iter().fold(router, Router::merge);
        Ok(Self {
            listener,
            router,
            health,
            grace: config.shutdown_grace(),
            address,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// Serves until `shutdown` resolves, then stops accepting, reports not-ready, lets in-flight
    /// requests finish for up to the grace period, and returns.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let health = self.health.clone();
        let (draining_tx, draining_rx) = tokio::sync::oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            health.start_draining();
            let _ = draining_tx.send(());
        };
        let server = axum::serve(
            self.listener,
            self.router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(signal);
        let grace = self.grace;
        let deadline = async move {
            if draining_rx.await.is_err() {
                std::future::pending::<()>().await;
            }
            tokio::time::sleep(grace).await;
        };
        tokio::select! {
            result = server => result,
            () = deadline => {
                tracing::warn!(grace_secs = grace.as_secs(), "requests still running after the grace period; exiting");
                Ok(())
            }
        }
    }
}

/// The merged OpenAPI document of some services' documents, as served at `/openapi.json`.
pub fn api_document(title: &str, documents: Vec<OpenApi>) -> OpenApi {
    let mut merged = OpenApi::default();
    for document in documents {
        merged.merge(document);
    }
    finish_document(merged, title)
}

fn merge(parts: Vec<ServicePart>) -> (Router, OpenApi, Vec<Arc<dyn ReadinessCheck>>) {
    let mut api = OpenApiRouter::new();
    let mut checks = Vec::new();
    for part in parts {
        tracing::debug!(service = part.name, "mounting service");
        api = api.merge(part.router);
        checks.extend(part.readiness);
    }
    let (router, document) = api.split_for_parts();
    (router, document, checks)
}

fn finish_document(mut document: OpenApi, title: &str) -> OpenApi {
    document.info = InfoBuilder::new()
        .title(title)
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "The expense tracker's HTTP API. Errors are RFC 9457 problem+json; money is a decimal \
             string with an ISO 4217 currency; lists use cursor pagination.",
        ))
        .build();
    document
        .components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An access token (JWT) from /v1/auth/login, or a personal access token.",
                    ))
                    .build(),
            ),
        );
    crate::json::document_rejections(&mut document);
    document
}

fn request_span(request: &Request) -> tracing::Span {
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.as_str())
        .unwrap_or("-");
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
        .unwrap_or("unmatched");
    let span = tracing::info_span!(
        "request",
        request_id,
        method = %request.method(),
        route,
        // Read by the OpenTelemetry layer when traces are exported.
        otel.name = format!("{} {route}", request.method()),
        otel.kind = "server",
        http.response.status_code = tracing::field::Empty,
    );
    crate::telemetry::extract_parent(&span, request.headers());
    span
}
