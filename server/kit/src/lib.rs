//! Shared server plumbing for every service of the expense tracker.
//!
//! A service crate brings its routes, business rules and storage; everything a production HTTP
//! service needs around them lives here, once, so that every service behaves the same way:
//!
//! - [`config`]: the typed settings read from the environment (and listed by `--help`);
//! - [`telemetry`]: JSON logs through `tracing`, with the request id on every line;
//! - [`problem`] and [`json`]: every error answered as RFC 9457 problem+json, from one place;
//! - [`request_id`], [`metrics`], [`health`]: cross-cutting middleware and operational endpoints;
//! - [`db`]: connection pools for Postgres (one schema per service) or SQLite, and migrations;
//! - [`auth`]: access-token verification against the auth service's JWKS, as an extractor;
//! - [`service_calls`]: the HTTP client one service calls another with; [`caller_address`]: the
//!   IP address of whoever calls us, behind trusted proxies;
//! - [`secrets`]: values from AWS Secrets Manager; [`redacted`]: a wrapper that never prints them;
//! - [`app`]: assembling services into one router, binding, serving and draining on shutdown.
//!
//! The kit must not know any service's business rules or tables.

pub mod app;
pub mod auth;
pub mod aws;
pub mod caller_address;
pub mod clock;
pub mod config;
pub mod cursor;
pub mod db;
pub mod error_docs;
pub mod events;
pub mod extract;
pub mod health;
pub mod json;
pub mod metrics;
pub mod problem;
pub mod redacted;
pub mod request_headers;
pub mod request_id;
pub mod secrets;
pub mod service_calls;
pub mod shutdown;
pub mod telemetry;

pub use app::{Application, ServicePart};
pub use json::Json;
pub use problem::ProblemResponse;
