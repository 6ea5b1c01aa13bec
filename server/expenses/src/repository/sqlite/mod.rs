//! The expenses store on SQLite (the embedded default: `expenses.sqlite3` in the data directory).
//! Dates are `YYYY-MM-DD` text, timestamps microseconds, tags a JSON array; see the migration.
//!
//! Every operation is one unit of work handed to the kit's [`SqliteEngine`]: reads to a reader
//! thread, changes to the one writer thread, which commits concurrent changes together. A unit
//! runs all its statements and decodes all its rows on that thread, so a request wakes a thread
//! once, not once per statement or row. A change owns its data (it runs on the writer's thread)
//! and writes the row, its outbox event and, for a create with an `Idempotency-Key`, the stored
//! answer in one transaction. Rows are decoded by position; statements are prepared once per
//! connection.
//!
//! One store, its trait implementations split by what they store: [`expenses`] (expenses,
//! categories, summaries, idempotency keys), [`budgets`], [`outbox`] (the relay's claims),
//! [`erasure`] (a deleted account's rows). This
//! module holds the store and the row helpers every part (and the recurring schedules' store)
//! shares.

mod budgets;
mod erasure;
mod expenses;
mod outbox;

use expense_kit::clock::to_micros;
use expense_kit::db::SqliteEngine;
use rusqlite::{Connection, Row, params};
use uuid::Uuid;

use super::{OutboxEvent, RepoError};

pub(crate) use expenses::insert_records;

/// Expenses storage in SQLite.
#[derive(Debug, Clone)]
pub struct SqliteExpenseStore {
    pub(crate) engine: SqliteEngine,
}

impl SqliteExpenseStore {
    /// The store on the database that `engine` serves.
    pub fn new(engine: SqliteEngine) -> Self {
        Self { engine }
    }
}

pub(crate) fn corrupt(error: impl std::fmt::Display) -> RepoError {
    RepoError::Corrupt(error.to_string())
}

/// A UUID stored as its 16 bytes.
pub(crate) fn uuid(row: &Row<'_>, index: usize) -> Result<Uuid, RepoError> {
    let bytes = row.get_ref(index)?.as_blob().map_err(corrupt)?;
    Uuid::from_slice(bytes).map_err(corrupt)
}

pub(crate) fn tags_json(tags: &[String]) -> String {
    serde_json::to_string(tags).expect("strings serialise")
}

const INSERT_EVENT: &str =
    "INSERT INTO outbox (id, user_id, event_type, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";

/// Inserts `events` on the writer's connection.
pub(crate) fn insert_events(connection: &Connection, events: &[OutboxEvent]) -> Result<(), RepoError> {
    let mut statement = connection.prepare_cached(INSERT_EVENT)?;
    for event in events {
        statement.execute(params![
            &event.id.as_bytes()[..],
            &event.user_id.as_bytes()[..],
            event.event_type,
            event.payload,
            to_micros(event.created_at),
        ])?;
    }
    Ok(())
}
