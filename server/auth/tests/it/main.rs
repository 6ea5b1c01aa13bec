//! Integration tests of the auth service, against a real SQLite file and a real Postgres server.
//!
//! Reading order: `helpers` (the harness: `TestApp::spawn` runs the production HTTP stack on a
//! free port), `repository` (one conformance suite, both stores), `api` (the HTTP contract),
//! `password` (the owner's password change), `deletion` (the owner deletes the account), `tokens` (personal access tokens and administration), `verification` (how other services
//! verify tokens, key rotation), `hostile_tokens` (forged tokens refused by every verifier).

mod api;
mod deletion;
mod helpers;
mod hostile_tokens;
mod password;
mod repository;
mod tokens;
mod verification;
