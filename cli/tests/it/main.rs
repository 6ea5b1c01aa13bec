//! End-to-end tests of the `expense` binary against a real server on a random port.
//!
//! Each test runs the built binary in an isolated HOME and config directory with a cleared
//! environment, the way a user's shell or a CI script would.

mod account;
mod account_export;
mod completions;
mod expenses;
mod helpers;
mod import;
mod ledger;
mod notifications;
mod ofx;
mod output;
mod rates;
mod receipts;
mod recurring;
mod retries;
mod rules;
mod tables;
mod terminal;
mod tracing;
