//! After each scenario of `cargo xtask chaos`: what the clients were told, held against what is
//! in Postgres, read directly (schemas `expenses` and `receipts`), not through the API under test.
//!
//! Every create of the load carries its own `Idempotency-Key` and writes that key into the
//! expense's note, so each row says which create made it: a key with two rows is a duplicate, an
//! acknowledged id with no row is a lost write, and a retried create must have been answered the
//! id of the one row its key made.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use serde::Serialize;
use sqlx::{Connection, Row};
use uuid::Uuid;

use super::load::{Operation, RequestKind, note_of};

/// What the database holds for one scenario's user, against what the clients were told.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DatabaseFigures {
    /// Expense creates answered 2xx (after retries).
    pub expenses_acknowledged: usize,
    /// Of those, the ids found in `expenses.expenses`.
    pub expenses_found: usize,
    /// Acknowledged ids with no row: lost writes.
    pub expenses_missing: Vec<Uuid>,
    /// The user's rows made by the load, and the distinct keys they carry.
    pub expense_rows: usize,
    pub expense_keys: usize,
    /// Keys with more than one row: duplicates.
    pub duplicate_keys: Vec<String>,
    /// Acknowledged creates answered with another id than the row their key made.
    pub answered_another_id: Vec<String>,
    /// Acknowledged creates that needed more than one try (the retried creates).
    pub retried_acknowledged: usize,
    /// Rows whose create the client saw fail in the end (it may be repeated with its key).
    pub recorded_though_failed: usize,
    /// Receipt creates answered 2xx.
    pub receipts_acknowledged: usize,
    pub receipts_found: usize,
    pub receipts_missing: Vec<Uuid>,
    /// The user's receipt rows.
    pub receipt_rows: usize,
    /// `expense.created` events and the rest of the user's outbox, and how many were not yet
    /// published when this was read.
    pub outbox_events: i64,
    pub outbox_unpublished: i64,
}

impl DatabaseFigures {
    pub fn persisted(&self) -> bool {
        self.expenses_missing.is_empty() && self.receipts_missing.is_empty()
    }

    pub fn no_duplicates(&self) -> bool {
        self.duplicate_keys.is_empty() && self.answered_another_id.is_empty()
    }
}

/// The rows of one user.
#[derive(Debug, Default)]
pub struct Rows {
    /// `(id, note)` of each expense.
    pub expenses: Vec<(Uuid, Option<String>)>,
    pub receipts: Vec<Uuid>,
    pub outbox_events: i64,
    pub outbox_unpublished: i64,
}

/// Reads the rows of `user` from the database at `database_url`.
pub async fn read(database_url: &str, user: Uuid) -> anyhow::Result<Rows> {
    let mut connection = sqlx::PgConnection::connect(database_url)
        .await
        .context("cannot connect to Postgres to check the rows")?;
    let expenses = sqlx::query("SELECT id, note FROM expenses.expenses WHERE user_id = $1")
        .bind(user)
        .fetch_all(&mut connection)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("note")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let receipts = sqlx::query("SELECT id FROM receipts.receipts WHERE user_id = $1")
        .bind(user)
        .fetch_all(&mut connection)
        .await?
        .iter()
        .map(|row| row.try_get("id"))
        .collect::<Result<Vec<Uuid>, _>>()?;
    let outbox = sqlx::query(
        "SELECT count(*) AS events, count(*) FILTER (WHERE published_at IS NULL) AS unpublished
         FROM expenses.outbox WHERE user_id = $1",
    )
    .bind(user)
    .fetch_one(&mut connection)
    .await?;
    let rows = Rows {
        expenses,
        receipts,
        outbox_events: outbox.try_get("events")?,
        outbox_unpublished: outbox.try_get("unpublished")?,
    };
    let _ = connection.close().await;
    Ok(rows)
}

/// Holds the end results of the load against the rows.
pub fn check(ops: &[Operation], rows: &Rows) -> DatabaseFigures {
    let mut by_note: HashMap<&str, Vec<Uuid>> = HashMap::new();
    for (id, note) in &rows.expenses {
        if let Some(note) = note.as_deref().filter(|note| note.starts_with("chaos ")) {
            by_note.entry(note).or_default().push(*id);
        }
    }
    let mut figures = DatabaseFigures {
        expense_rows: by_note.values().map(Vec::len).sum(),
        expense_keys: by_note.len(),
        receipt_rows: rows.receipts.len(),
        outbox_events: rows.outbox_events,
        outbox_unpublished: rows.outbox_unpublished,
        ..DatabaseFigures::default()
    };
    let mut duplicates: Vec<String> = by_note
        .iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(note, _)| note.trim_start_matches("chaos ").to_owned())
        .collect();
    duplicates.sort();
    figures.duplicate_keys = duplicates;
    let expense_ids: HashSet<Uuid> = rows.expenses.iter().map(|(id, _)| *id).collect();
    for op in ops.iter().filter(|op| op.kind == RequestKind::CreateExpense) {
        let Some(key) = &op.key else { continue };
        let made = by_note.get(note_of(key).as_str());
        match op.created.filter(|_| op.ok()) {
            Some(id) => {
                figures.expenses_acknowledged += 1;
                if op.attempts > 1 {
                    figures.retried_acknowledged += 1;
                }
                if expense_ids.contains(&id) {
                    figures.expenses_found += 1;
                } else {
                    figures.expenses_missing.push(id);
                }
                if made.is_some_and(|ids| !ids.contains(&id)) {
                    figures.answered_another_id.push(key.clone());
                }
            }
            None => {
                if made.is_some() {
                    figures.recorded_though_failed += 1;
                }
            }
        }
    }
    let receipt_ids: HashSet<Uuid> = rows.receipts.iter().copied().collect();
    for op in ops
        .iter()
        .filter(|op| op.kind == RequestKind::CreateReceipt && op.ok())
    {
        let Some(id) = op.created else { continue };
        figures.receipts_acknowledged += 1;
        if receipt_ids.contains(&id) {
            figures.receipts_found += 1;
        } else {
            figures.receipts_missing.push(id);
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chaos::load::AnswerClass;

    fn create(key: &str, created: Option<Uuid>, class: AnswerClass, attempts: u32) -> Operation {
        Operation {
            kind: RequestKind::CreateExpense,
            op: 1,
            key: Some(key.to_owned()),
            started_ms: 0.0,
            ended_ms: 1.0,
            attempts,
            class,
            created,
        }
    }

    #[test]
    fn every_acknowledged_create_must_have_its_one_row() {
        let (a, b, c, d) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let ops = vec![
            create("k1", Some(a), AnswerClass::Success, 1),
            create("k2", Some(b), AnswerClass::Success, 3),
            create("k3", None, AnswerClass::Unavailable, 5),
            create("k4", Some(d), AnswerClass::Success, 1),
        ];
        let rows = Rows {
            expenses: vec![
                (a, Some(note_of("k1"))),
                (b, Some(note_of("k2"))),
                (c, Some(note_of("k3"))),
                (Uuid::now_v7(), Some("not ours".to_owned())),
            ],
            ..Rows::default()
        };
        let figures = check(&ops, &rows);
        assert_eq!(figures.expenses_acknowledged, 3);
        assert_eq!(figures.expenses_found, 2);
        assert_eq!(figures.expenses_missing, vec![d]);
        assert_eq!(figures.retried_acknowledged, 1);
        assert_eq!(figures.recorded_though_failed, 1);
        assert_eq!(figures.expense_rows, 3);
        assert!(!figures.persisted());
        assert!(figures.no_duplicates());
    }

    #[test]
    fn a_key_with_two_rows_or_another_id_is_a_duplicate() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let ops = vec![create("k1", Some(a), AnswerClass::Success, 2)];
        let rows = Rows {
            expenses: vec![(a, Some(note_of("k1"))), (b, Some(note_of("k1")))],
            ..Rows::default()
        };
        let figures = check(&ops, &rows);
        assert_eq!(figures.duplicate_keys, vec!["k1".to_owned()]);
        assert!(!figures.no_duplicates());
        let rows = Rows {
            expenses: vec![(b, Some(note_of("k1"))), (a, Some("other".to_owned()))],
            ..Rows::default()
        };
        assert_eq!(check(&ops, &rows).answered_another_id, vec!["k1".to_owned()]);
    }
}
