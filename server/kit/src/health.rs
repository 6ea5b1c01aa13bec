//! `GET /healthz` (the process is alive; `GET /health` answers the same, the name the original
//! specification uses) and `GET /readyz` (its dependencies answer and it is not draining).
//! Kubernetes restarts on the first and routes traffic on the second.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};

/// Time a single readiness check may take before it counts as failed.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// A dependency the service cannot work without, such as its database.
#[async_trait]
pub trait ReadinessCheck: Send + Sync {
    /// Short name shown in the `/readyz` body.
    fn name(&self) -> &'static str;
    /// `Ok` when the dependency answers.
    async fn check(&self) -> Result<(), String>;
}

/// The health state of one process.
#[derive(Clone, Default)]
pub struct Health {
    checks: Vec<Arc<dyn ReadinessCheck>>,
    draining: Arc<AtomicBool>,
}

impl Health {
    pub fn new(checks: Vec<Arc<dyn ReadinessCheck>>) -> Self {
        Self {
            checks,
            draining: Arc::default(),
        }
    }

    /// From now on `/readyz` answers 503, so load balancers stop sending new requests.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn routes(&self) -> Router {
        let health = self.clone();
        let alive = || async { axum::Json(json!({ "status": "ok" })) };
        Router::new()
            .route("/healthz", get(alive))
            // The name the original specification uses; the same answer.
            .route("/health", get(alive))
            .route("/readyz", get(move || async move { health.readiness().await }))
    }

    async fn readiness(&self) -> Response {
        let mut results = Map::new();
        let mut ready = !self.draining.load(Ordering::SeqCst);
        if !ready {
            results.insert("shutdown".into(), Value::from("draining"));
        }
        let outcomes = futures_join(self.checks.iter().map(|check| {
            let check = Arc::clone(check);
            async move {
                let outcome = match tokio::time::timeout(CHECK_TIMEOUT, check.check()).await {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(reason)) => Err(reason),
                    Err(_) => Err(format!("no answer within {} s", CHECK_TIMEOUT.as_secs())),
                };
                (check.name(), outcome)
            }
        }))
        .await;
        for (name, outcome) in outcomes {
            match outcome {
                Ok(()) => {
                    results.insert(name.into(), Value::from("ok"));
                }
                Err(reason) => {
                    tracing::warn!(check = name, %reason, "readiness check failed");
                    ready = false;
                    results.insert(name.into(), Value::from(reason));
                }
            }
        }
        if ready {
            return axum::Json(json!({ "status": "ready", "checks": results })).into_response();
        }
        // Not ready: a problem+json (so the error middleware keeps it) that also lists each check.
        let failing: Vec<String> = results
            .iter()
            .filter(|(_, v)| v.as_str() != Some("ok"))
            .map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or_default()))
            .collect();
        let kind = expense_api::ProblemType::Unavailable;
        let body = json!({
            "type": kind.urn(),
            "title": kind.title(),
            "status": 503,
            "detail": format!("Not ready: {}.", failing.join("; ")),
            "checks": results,
        });
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [
                ("content-type", expense_api::problem::PROBLEM_CONTENT_TYPE),
                ("retry-after", "5"),
            ],
            body.to_string(),
        )
            .into_response()
    }
}

async fn futures_join<F, T>(futures: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        if let Ok(value) = handle.await {
            out.push(value);
        }
    }
    out
}
