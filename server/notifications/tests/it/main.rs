//! Integration tests of the notifications service, against a real SQLite file, a real Postgres
//! and, for the AWS path, a local moto server.
//!
//! Reading order: `helpers` (auth, expenses and notifications in one application, events on the
//! in-process bus or through SNS/SQS), `repository` (the store's conformance suite, every case on
//! both backends), `alerts` (budget alert rules), `calendar` (alerts and summaries on the calendar's edges, on a
//! steered clock), `summaries` (the monthly
//! summary's exactly-once), `webhooks` (signatures, retries, isolation), `schemas` (the event
//! JSON Schemas), `deletion` (a deleted account erased, and late events about it ignored), `ssrf` (webhooks reach no address that is not public) and `aws_path` (SNS → SQS → consumer → SES, dead-letter queue).

mod alerts;
mod aws_path;
mod calendar;
mod deletion;
mod helpers;
mod repository;
mod schemas;
mod ssrf;
mod summaries;
mod webhooks;
