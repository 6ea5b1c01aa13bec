//! Log subscriber setup, in one place.
//!
//! Production writes one JSON object per line with the fields of every enclosing span, so the
//! `request_id` of the request span appears on every line a request causes. `pretty` is for
//! people at a terminal. Setup is idempotent: tests build many apps in one process.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::LogFormat;

/// Installs the global subscriber writing to stderr. Does nothing if one is already installed.
pub fn init(filter: &str, format: LogFormat) {
    init_with_writer(filter, format, std::io::stderr);
}

/// Installs the global subscriber with an injected sink (tests capture log lines this way).
pub fn init_with_writer<W>(filter: &str, format: LogFormat, writer: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    let result = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(true)
            .try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
    // A second call (another app in the same test process) keeps the first subscriber.
    drop(result);
}
