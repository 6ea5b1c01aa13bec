//! Logs and traces, set up in one place.
//!
//! Logs: production writes one JSON object per line with the fields of every enclosing span, so
//! the `request_id` of the request span appears on every line a request causes. `pretty` is for
//! people at a terminal.
//!
//! Traces: when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, the same `tracing` spans are exported as
//! OpenTelemetry spans over OTLP/HTTP, and the W3C trace context (`traceparent`) is taken from
//! every incoming request ([`extract_parent`]) and put on every service-to-service call
//! ([`inject_context`]), so one user action is one trace across services. Export uses our own
//! `reqwest` client (one HTTP and TLS stack in the binary); the SDK's batch processor runs on
//! its own thread, so each export is handed to the tokio runtime that was current at setup.
//!
//! Setup is idempotent: tests build many apps in one process and the first subscriber stays.

use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_http::{Bytes, HeaderExtractor, HeaderInjector, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::{LogFormat, OtlpProtocol, ServerConfig};

/// Keeps the trace exporter alive; flushes the spans still buffered when dropped (at exit).
#[must_use = "dropping the guard stops trace export"]
pub struct TelemetryGuard {
    provider: Option<SdkTracerProvider>,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(error) = provider.shutdown()
        {
            eprintln!("trace export did not shut down cleanly: {error}");
        }
    }
}

/// Installs logging to stderr and, when configured, trace export for `service` (such as
/// `expense-receipts`, unless `OTEL_SERVICE_NAME` says otherwise). Must run inside a tokio
/// runtime when traces are exported.
pub fn init(config: &ServerConfig, service: &str) -> TelemetryGuard {
    let provider = config.otel_exporter_otlp_endpoint.as_ref().and_then(|endpoint| {
        let name = config.otel_service_name.as_deref().unwrap_or(service);
        match tracer_provider(endpoint, config.otel_exporter_otlp_protocol, name) {
            Ok(provider) => Some(provider),
            Err(error) => {
                eprintln!("traces will not be exported: {error}");
                None
            }
        }
    });
    // Traces keep every info span of our code whatever EXPENSE_LOG says: quieter logs must not
    // cut traces short.
    let traces = provider.as_ref().map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("expense-server"))
            .with_filter(EnvFilter::new(
                "warn,expense=info,expense_kit=info,tower_http=info",
            ))
            .boxed()
    });
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = match config.log_format {
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(true)
            .with_writer(std::io::stderr)
            .boxed(),
        LogFormat::Pretty => tracing_subscriber::fmt::layer()
            .compact()
            .with_writer(std::io::stderr)
            .boxed(),
    }
    .with_filter(filter);
    // A second call (another app in the same test process) keeps the first subscriber.
    drop(tracing_subscriber::registry().with(logs).with(traces).try_init());
    TelemetryGuard { provider }
}

fn tracer_provider(
    endpoint: &url::Url,
    protocol: OtlpProtocol,
    service: &str,
) -> Result<SdkTracerProvider, String> {
    let runtime =
        tokio::runtime::Handle::try_current().map_err(|_| "trace export needs a tokio runtime".to_owned())?;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let protocol = match protocol {
        OtlpProtocol::HttpProtobuf => Protocol::HttpBinary,
        OtlpProtocol::HttpJson => Protocol::HttpJson,
    };
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_http_client(OtlpClient { client, runtime })
        .with_protocol(protocol)
        .with_endpoint(format!("{}/v1/traces", endpoint.as_str().trim_end_matches('/')))
        .build()
        .map_err(|e| e.to_string())?;
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(service.to_owned())
        .build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}

/// Sends OTLP requests with our `reqwest` client on the tokio runtime (the SDK calls from its
/// own thread, outside any runtime).
#[derive(Debug)]
struct OtlpClient {
    client: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

#[async_trait::async_trait]
impl HttpClient for OtlpClient {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let client = self.client.clone();
        let task = self.runtime.spawn(async move {
            let (parts, body) = request.into_parts();
            let response = client
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .send()
                .await?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            let mut answer = Response::new(body);
            *answer.status_mut() = status;
            *answer.headers_mut() = headers;
            Ok::<_, HttpError>(answer)
        });
        task.await?
    }
}

/// Makes `span` a child of the trace context the caller sent (`traceparent`), if any.
pub fn extract_parent(span: &tracing::Span, headers: &axum::http::HeaderMap) {
    let parent = TraceContextPropagator::new().extract(&HeaderExtractor(headers));
    // Without trace export there is no OpenTelemetry layer and nothing to attach to.
    let _ = span.set_parent(parent);
}

/// The current span's trace context as headers (`traceparent`, `tracestate`), for an outgoing
/// service-to-service call.
pub fn inject_context(headers: &mut axum::http::HeaderMap) {
    let context = tracing::Span::current().context();
    TraceContextPropagator::new().inject_context(&context, &mut HeaderInjector(headers));
}
