//! Integration tests of the receipts service: the whole flow through the embedded S3-compatible
//! store and through moto, refusals of tampered uploads (with the stored object left intact),
//! isolation between users, and clean-up after deleted expenses and abandoned uploads; and the
//! repository conformance suite (`repository`), which runs every case on both stores.

mod flow;
mod helpers;
mod isolation;
mod moto;
mod repository;
mod tampering;
