//! Rules on Postgres, beside the expenses store (`repository::postgres`), in the same schema.
//!
//! Adding and removing a rule renumber the rules after it, so each runs in a transaction that
//! first takes a per-user advisory lock: two adds at once for one user queue up instead of both
//! counting the same rules (and both taking the last free place). Renumbering goes through
//! negative positions, because `rules_one_per_position` is checked row by row.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;

use super::{RuleRecord, RuleRepository, StoredRule};
use crate::repository::RepoError;
use crate::repository::postgres::PgExpenseStore;

const RULE_COLUMNS: &str =
    "id, user_id, position, merchant, note_pattern, amount_min, amount_max, category, tags, created_at";

/// A row of [`RULE_COLUMNS`], by position.
fn rule(row: &PgRow) -> Result<RuleRecord, RepoError> {
    StoredRule {
        id: row.try_get(0)?,
        user_id: row.try_get(1)?,
        position: i64::from(row.try_get::<i32, _>(2)?),
        merchant: row.try_get(3)?,
        note_pattern: row.try_get(4)?,
        amount_min: row.try_get(5)?,
        amount_max: row.try_get(6)?,
        category: row.try_get(7)?,
        tags: row.try_get(8)?,
        created_at: row.try_get(9)?,
    }
    .decode()
}

/// Takes the user's rule lock until the transaction ends.
async fn lock_rules(transaction: &mut sqlx::PgConnection, user_id: Uuid) -> Result<(), RepoError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('expenses.rules ' || $1::text, 0))")
        .bind(user_id)
        .execute(transaction)
        .await?;
    Ok(())
}

/// Moves the user's rules from `from` on by `by` (±1), through negative positions.
async fn shift(
    transaction: &mut sqlx::PgConnection,
    user_id: Uuid,
    from: i32,
    by: i32,
) -> Result<(), RepoError> {
    sqlx::query("UPDATE rules SET position = -(position + $3) WHERE user_id = $1 AND position >= $2")
        .bind(user_id)
        .bind(from)
        .bind(by)
        .execute(&mut *transaction)
        .await?;
    sqlx::query("UPDATE rules SET position = -position WHERE user_id = $1 AND position < 0")
        .bind(user_id)
        .execute(&mut *transaction)
        .await?;
    Ok(())
}

#[async_trait]
impl RuleRepository for PgExpenseStore {
    async fn insert_rule(
        &self,
        record: &RuleRecord,
        position: Option<u32>,
        max_rules: usize,
    ) -> Result<Option<RuleRecord>, RepoError> {
        let mut transaction = self.pool.begin().await?;
        lock_rules(&mut transaction, record.user_id).await?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rules WHERE user_id = $1")
            .bind(record.user_id)
            .fetch_one(&mut *transaction)
            .await?;
        if count >= max_rules as i64 {
            return Ok(None);
        }
        let last = i32::try_from(count + 1).unwrap_or(i32::MAX);
        let at = position
            .map_or(last, |position| i32::try_from(position).unwrap_or(i32::MAX))
            .clamp(1, last);
        if at < last {
            shift(&mut transaction, record.user_id, at, 1).await?;
        }
        let condition = &record.condition;
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO rules ({RULE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             RETURNING {RULE_COLUMNS}"
        ));
        let row = sqlx::query(sql)
            .bind(record.id)
            .bind(record.user_id)
            .bind(at)
            .bind(condition.merchant.as_ref().map(|m| m.as_str()))
            .bind(condition.note.as_ref().map(|n| n.as_str()))
            .bind(condition.amount_min)
            .bind(condition.amount_max)
            .bind(&record.category)
            .bind(&record.tags)
            .bind(record.created_at)
            .fetch_one(&mut *transaction)
            .await?;
        let stored = rule(&row)?;
        transaction.commit().await?;
        Ok(Some(stored))
    }

    async fn rules(&self, user_id: Uuid) -> Result<Vec<RuleRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {RULE_COLUMNS} FROM rules WHERE user_id = $1 ORDER BY position"
        ));
        let rows = sqlx::query(sql).bind(user_id).fetch_all(&self.pool).await?;
        rows.iter().map(rule).collect()
    }

    async fn delete_rule(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError> {
        let mut transaction = self.pool.begin().await?;
        lock_rules(&mut transaction, user_id).await?;
        let position: Option<i32> =
            sqlx::query_scalar("DELETE FROM rules WHERE user_id = $1 AND id = $2 RETURNING position")
                .bind(user_id)
                .bind(id)
                .fetch_optional(&mut *transaction)
                .await?;
        let Some(position) = position else {
            return Ok(false);
        };
        shift(&mut transaction, user_id, position + 1, -1).await?;
        transaction.commit().await?;
        Ok(true)
    }
}
