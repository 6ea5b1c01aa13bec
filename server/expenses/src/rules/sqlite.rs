//! Rules on SQLite, beside the expenses store (`repository::sqlite`), whose engine and row helpers
//! it shares. Adding and removing a rule renumber the rules after it in one job for the database's
//! one writer, so the count, the renumbering and the change cannot interleave with another's.
//! Renumbering goes through negative positions, because `rules_one_per_position` is checked row
//! by row.

use async_trait::async_trait;
use expense_kit::clock::{from_micros, to_micros};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::{RuleRecord, RuleRepository, StoredRule};
use crate::repository::RepoError;
use crate::repository::sqlite::{SqliteExpenseStore, corrupt, tags_json, uuid};

const RULE_COLUMNS: &str =
    "id, user_id, position, merchant, note_pattern, amount_min, amount_max, category, tags, created_at";

/// A row of [`RULE_COLUMNS`], by position.
fn rule(row: &Row<'_>) -> Result<RuleRecord, RepoError> {
    StoredRule {
        id: uuid(row, 0)?,
        user_id: uuid(row, 1)?,
        position: row.get(2)?,
        merchant: row.get(3)?,
        note_pattern: row.get(4)?,
        amount_min: row.get(5)?,
        amount_max: row.get(6)?,
        category: row.get(7)?,
        tags: serde_json::from_str(row.get_ref(8)?.as_str().map_err(corrupt)?).map_err(corrupt)?,
        created_at: from_micros(row.get(9)?),
    }
    .decode()
}

/// Moves the user's rules from `from` on by `by` (±1), through negative positions.
fn shift(connection: &Connection, user: &[u8], from: i64, by: i64) -> Result<(), RepoError> {
    connection
        .prepare_cached("UPDATE rules SET position = -(position + ?3) WHERE user_id = ?1 AND position >= ?2")?
        .execute(params![user, from, by])?;
    connection
        .prepare_cached("UPDATE rules SET position = -position WHERE user_id = ?1 AND position < 0")?
        .execute(params![user])?;
    Ok(())
}

#[async_trait]
impl RuleRepository for SqliteExpenseStore {
    async fn insert_rule(
        &self,
        record: &RuleRecord,
        position: Option<u32>,
        max_rules: usize,
    ) -> Result<Option<RuleRecord>, RepoError> {
        let record = record.clone();
        self.engine
            .write(move |connection| {
                let user = &record.user_id.as_bytes()[..];
                let count: i64 = connection
                    .prepare_cached("SELECT COUNT(*) FROM rules WHERE user_id = ?1")?
                    .query_row([user], |row| row.get(0))?;
                if count >= max_rules as i64 {
                    return Ok(None);
                }
                let last = count + 1;
                let at = position.map_or(last, i64::from).clamp(1, last);
                if at < last {
                    shift(connection, user, at, 1)?;
                }
                let condition = &record.condition;
                connection
                    .prepare_cached(&format!(
                        "INSERT INTO rules ({RULE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                    ))?
                    .execute(params![
                        &record.id.as_bytes()[..],
                        user,
                        at,
                        condition.merchant.as_ref().map(|m| m.as_str()),
                        condition.note.as_ref().map(|n| n.as_str()),
                        condition.amount_min,
                        condition.amount_max,
                        record.category,
                        tags_json(&record.tags),
                        to_micros(record.created_at),
                    ])?;
                Ok(Some(RuleRecord {
                    position: u32::try_from(at).map_err(corrupt)?,
                    ..record
                }))
            })
            .await
    }

    async fn rules(&self, user_id: Uuid) -> Result<Vec<RuleRecord>, RepoError> {
        self.engine
            .read(move |connection| {
                let mut statement = connection.prepare_cached(&format!(
                    "SELECT {RULE_COLUMNS} FROM rules WHERE user_id = ?1 ORDER BY position"
                ))?;
                let mut rows = statement.query([&user_id.as_bytes()[..]])?;
                let mut rules = Vec::new();
                while let Some(row) = rows.next()? {
                    rules.push(rule(row)?);
                }
                Ok(rules)
            })
            .await
    }

    async fn delete_rule(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError> {
        self.engine
            .write(move |connection| {
                let user = &user_id.as_bytes()[..];
                let position: Option<i64> = connection
                    .prepare_cached("DELETE FROM rules WHERE user_id = ?1 AND id = ?2 RETURNING position")?
                    .query_row(params![user, &id.as_bytes()[..]], |row| row.get(0))
                    .optional()?;
                let Some(position) = position else {
                    return Ok(false);
                };
                shift(connection, user, position + 1, -1)?;
                Ok(true)
            })
            .await
    }
}
