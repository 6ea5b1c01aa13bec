//! Typed configuration shared by every role, read from environment variables.
//!
//! Each setting is a `clap` argument with an `env` name and a default, so that
//! `expense-server --help` lists every variable with its default and the same parsing runs in
//! production, in `cargo xtask up` and in tests (which build these structs directly).
//! Service-specific settings live in the service crates, in the same style.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use crate::redacted::Redacted;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One JSON object per line, for CloudWatch and other collectors.
    Json,
    /// Human-readable lines, for a terminal.
    Pretty,
}

/// Listener, limits and logging: what every role needs.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Server")]
pub struct ServerConfig {
    /// Address and port to listen on. Use 0.0.0.0:8080 in a container.
    #[arg(long, env = "EXPENSE_BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind_addr: SocketAddr,

    /// Directory for the embedded defaults (SQLite files, generated keys, receipts, outbox mail).
    /// Created with mode 0700 when missing.
    #[arg(long, env = "EXPENSE_DATA_DIR", value_name = "DIR", default_value_t = default_data_dir_display())]
    pub data_dir: String,

    /// Log filter, in `tracing` EnvFilter syntax (for example `info,expense_auth=debug`).
    #[arg(long, env = "EXPENSE_LOG", default_value = "info")]
    pub log: String,

    /// Log line format.
    #[arg(long, env = "EXPENSE_LOG_FORMAT", value_enum, default_value = "json")]
    pub log_format: LogFormat,

    /// Seconds a request may take before it is answered with 503 and `Retry-After`.
    #[arg(long, env = "REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Largest request body accepted, in bytes; larger bodies get 413.
    #[arg(long, env = "BODY_LIMIT_BYTES", default_value_t = 1024 * 1024)]
    pub body_limit_bytes: usize,

    /// Seconds to let in-flight requests finish after SIGTERM or SIGINT before exiting anyway.
    #[arg(long, env = "SHUTDOWN_GRACE_SECS", default_value_t = 25)]
    pub shutdown_grace_secs: u64,

    /// Number of reverse proxies (such as the ALB) in front of the service whose
    /// `X-Forwarded-For` entries are trusted when finding the client's address. 0 trusts none.
    #[arg(long, env = "TRUSTED_PROXY_HOPS", default_value_t = 0)]
    pub trusted_proxy_hops: usize,

    /// Base URL of an OTLP/HTTP collector (such as the ADOT collector or Jaeger): traces are
    /// exported to `<URL>/v1/traces` when set, and not made at all when unset.
    #[arg(long, env = "OTEL_EXPORTER_OTLP_ENDPOINT", value_name = "URL")]
    pub otel_exporter_otlp_endpoint: Option<url::Url>,

    /// `http/protobuf` or `http/json`.
    #[arg(
        long,
        env = "OTEL_EXPORTER_OTLP_PROTOCOL",
        value_enum,
        default_value = "http/protobuf"
    )]
    pub otel_exporter_otlp_protocol: OtlpProtocol,

    /// The `service.name` of exported traces (default: `expense-<role>`).
    #[arg(long, env = "OTEL_SERVICE_NAME", value_name = "NAME")]
    pub otel_service_name: Option<String>,
}

/// How traces are encoded for the collector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OtlpProtocol {
    #[value(name = "http/protobuf")]
    HttpProtobuf,
    #[value(name = "http/json")]
    HttpJson,
}

impl ServerConfig {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_secs)
    }

    /// The data directory with `~` and the XDG default resolved.
    pub fn data_dir(&self) -> PathBuf {
        resolve_data_dir(&self.data_dir)
    }

    /// Settings for tests and tools: loopback on a free port, the given data directory, small
    /// timeouts, pretty logs.
    pub fn for_tests(data_dir: &std::path::Path) -> Self {
        Self {
            bind_addr: "127.0.0.1:0".parse().expect("valid address"),
            data_dir: data_dir.display().to_string(),
            log: "warn".to_owned(),
            log_format: LogFormat::Pretty,
            request_timeout_secs: 10,
            body_limit_bytes: 1024 * 1024,
            shutdown_grace_secs: 5,
            trusted_proxy_hops: 0,
            otel_exporter_otlp_endpoint: None,
            otel_exporter_otlp_protocol: OtlpProtocol::HttpProtobuf,
            otel_service_name: None,
        }
    }
}

/// Which database a service uses.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Database")]
pub struct DatabaseConfig {
    /// `postgres://…` for Postgres, where each service keeps its tables in its own schema; unset
    /// (or `sqlite:`) for one SQLite file per service in the data directory; `sqlite://DIR` for
    /// SQLite files in DIR. Credentials may be left out when DATABASE_SECRET_ARN is set.
    #[arg(long, env = "DATABASE_URL", value_parser = parse_redacted, hide_env_values = true)]
    pub database_url: Option<Redacted<String>>,

    /// Largest number of pooled connections per service.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 16)]
    pub database_max_connections: u32,

    /// Apply pending migrations when a role starts. Turn off where a `migrate` job runs first.
    #[arg(long, env = "MIGRATE_ON_START", default_value_t = true, action = clap::ArgAction::Set)]
    pub migrate_on_start: bool,

    /// ARN of a Secrets Manager secret holding the Postgres user and password
    /// (`{"username", "password"}`, as RDS manages it); read at start and again when refused.
    #[arg(long, env = "DATABASE_SECRET_ARN", value_name = "ARN")]
    pub database_secret_arn: Option<String>,

    /// With DATABASE_SECRET_ARN: seconds between checks that the database still accepts the
    /// credentials (after a rotation it refuses them, and the secret is read again).
    #[arg(long, env = "DATABASE_CREDENTIALS_CHECK_SECS", default_value_t = 15)]
    pub database_credentials_check_secs: u64,

    /// Where the credentials come from when set (filled from DATABASE_SECRET_ARN at start).
    #[arg(skip)]
    pub credentials: Option<std::sync::Arc<dyn crate::db::DbCredentialSource>>,
}

impl DatabaseConfig {
    /// SQLite in the data directory, migrations on start: what tests and `all` use by default.
    pub fn embedded() -> Self {
        Self {
            database_url: None,
            database_max_connections: 8,
            migrate_on_start: true,
            database_secret_arn: None,
            database_credentials_check_secs: 15,
            credentials: None,
        }
    }

    /// Postgres at `url`.
    pub fn postgres(url: impl Into<String>) -> Self {
        Self {
            database_url: Some(Redacted::new(url.into())),
            database_max_connections: 8,
            migrate_on_start: true,
            database_secret_arn: None,
            database_credentials_check_secs: 15,
            credentials: None,
        }
    }
}

/// How a service reaches the auth service to verify tokens.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Service-to-service")]
pub struct AuthClientConfig {
    /// Base URL of the auth service (JWKS and token introspection). Unset in `all`: the
    /// process's own address.
    #[arg(long, env = "AUTH_URL")]
    pub auth_url: Option<Url>,

    /// Seconds a token's status (revoked, account disabled) is cached by the other services.
    /// A revoked token stops working everywhere within this time; at most 60.
    #[arg(long, env = "TOKEN_STATUS_CACHE_SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(0..=60))]
    pub token_status_cache_secs: u64,
}

/// Where AWS is (every role that calls an AWS API).
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "AWS")]
pub struct AwsConfig {
    /// AWS region of the platform's resources.
    #[arg(long, env = "AWS_REGION", default_value = "us-east-1")]
    pub aws_region: String,

    /// Endpoint of every AWS API, for a local AWS API such as moto; unset in production.
    #[arg(long, env = "AWS_ENDPOINT_URL")]
    pub aws_endpoint_url: Option<Url>,
}

impl Default for AwsConfig {
    fn default() -> Self {
        Self {
            aws_region: "us-east-1".to_owned(),
            aws_endpoint_url: None,
        }
    }
}

/// How events travel between services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EventsMode {
    /// In-process (one process: `all`).
    Local,
    /// An SNS topic, with an SQS queue per consuming service.
    Sns,
}

/// Event transport settings.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Events")]
pub struct EventsConfig {
    /// `local` (in-process; only within one process) or `sns` (SNS topic → SQS queues).
    #[arg(long, env = "EVENTS", value_enum, default_value = "local")]
    pub events: EventsMode,

    /// The topic the outbox relay publishes to (EVENTS=sns).
    #[arg(long, env = "SNS_TOPIC_ARN")]
    pub sns_topic_arn: Option<String>,

    /// The queue this role consumes (EVENTS=sns), subscribed to the topic.
    #[arg(long, env = "SQS_QUEUE_URL")]
    pub sqs_queue_url: Option<String>,

    /// Its dead-letter queue: a message that cannot be read goes there at once (otherwise after
    /// the queue's maximum receives).
    #[arg(long, env = "SQS_DLQ_URL")]
    pub sqs_dlq_url: Option<String>,
}

impl Default for EventsConfig {
    fn default() -> Self {
        Self {
            events: EventsMode::Local,
            sns_topic_arn: None,
            sqs_queue_url: None,
            sqs_dlq_url: None,
        }
    }
}

fn parse_redacted(value: &str) -> Result<Redacted<String>, String> {
    Ok(Redacted::new(value.to_owned()))
}

fn default_data_dir_display() -> String {
    "$XDG_DATA_HOME/expense".to_owned()
}

/// Resolves the `$XDG_DATA_HOME/expense` placeholder and a leading `~/`.
pub fn resolve_data_dir(configured: &str) -> PathBuf {
    if configured == default_data_dir_display() {
        return dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from(".local/share"))
            .join("expense");
    }
    if let Some(rest) = configured.strip_prefix("~/")
        && let Some(home) = dirs::home_dir()
    {
        return home.join(rest);
    }
    PathBuf::from(configured)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_data_dir_is_under_the_xdg_data_home() {
        let dir = resolve_data_dir("$XDG_DATA_HOME/expense");
        assert!(dir.ends_with("expense"), "{dir:?}");
        assert_eq!(resolve_data_dir("/srv/x"), PathBuf::from("/srv/x"));
    }
}
