//! Integration tests of the expenses service, against a real SQLite file and a real Postgres.
//!
//! Reading order: `helpers` (auth + expenses on a free port, as `expense-server all` runs them),
//! `repository` and `rate_store` (the conformance suite, both stores), `api` (the HTTP contract: validation,
//! idempotency, versions, batches), `isolation` (another user gets 404 everywhere),
//! `pagination` (stable pages under concurrent writes), `hostile` (crafted cursors and limits never
//! reach SQL), `budgets`, `events`, `recurring` (schedules on a steered clock, racing replicas),
//! `rates` (exchange rates, the ECB's file, summaries in one currency on a steered clock) and
//! `rules` (categorisation rules: order, bounds, costly patterns, expenses without a category).

mod api;
mod budgets;
mod calendar;
mod events;
mod helpers;
mod hostile;
mod isolation;
mod pagination;
mod rate_store;
mod rates;
mod recurring;
mod repository;
mod rules;
