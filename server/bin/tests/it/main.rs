//! Tests of the `expense-server` binary as operators and Kubernetes use it: its roles, its one-shot
//! jobs, its signals, its help, and the committed API document; the access-control matrix of
//! every documented operation (`access`); and the erasure of a deleted account in every service
//! (`account_deletion`).

mod access;
mod account_deletion;
mod binary;
mod openapi;
mod secrets;
