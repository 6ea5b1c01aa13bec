//! Wire types of the expense tracker's HTTP API, shared by the services and the `expense` CLI.
//!
//! This crate is the API boundary: every type here is serialised on the wire, so a change is a
//! change to the public API. It does no I/O and knows nothing about HTTP frameworks, databases or
//! terminals; it only describes JSON shapes (with `serde`) and documents them (with `utoipa`).
//!
//! Request types reject unknown fields so that a typo in a client is an error, not a silent no-op.
//!
//! Two modules hold rules rather than shapes, because two services must apply them identically:
//! [`periods`] (a budget's period) and [`conversion`] (an amount in another currency with the
//! user's rates). Both are pure functions of their inputs.

pub mod auth;
pub mod conversion;
pub mod events;
pub mod expenses;
pub mod money;
pub mod notifications;
pub mod page;
pub mod periods;
pub mod problem;
pub mod rates;
pub mod receipts;
pub mod recurring;
pub mod rules;

pub use page::Page;
pub use problem::{FieldError, Problem, ProblemType};
