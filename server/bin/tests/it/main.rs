//! Tests of the `expense-server` binary as operators and Kubernetes use it: its roles, its one-shot
//! jobs, its signals, its help, and the committed API document; and the access-control matrix of
//! every documented operation (`access`).

mod access;
mod binary;
mod openapi;
mod secrets;
