//! A deleted account's rows: every table of this service keyed by user, emptied of the user in
//! one transaction with the tombstone. [`ERASE_USER`] is the one list of those tables: a new table
//! keyed by user is added there (the test `account_deletion` of `expense-server` fails for a
//! table with a `user_id` column that keeps rows of a deleted user).

use expense_kit::db::{Sql, SqlDb, SqlTx};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::repository::RepoError;

/// Children before parents.
const ERASE_USER: [Sql; 9] = [
    Sql::same("DELETE FROM webhook_deliveries WHERE user_id = $1"),
    Sql::same("DELETE FROM webhooks WHERE user_id = $1"),
    Sql::same("DELETE FROM monthly_summaries WHERE user_id = $1"),
    Sql::same("DELETE FROM notifications WHERE user_id = $1"),
    Sql::same("DELETE FROM alerts_fired WHERE user_id = $1"),
    Sql::same("DELETE FROM settings WHERE user_id = $1"),
    Sql::same("DELETE FROM budget_copies WHERE user_id = $1"),
    Sql::same("DELETE FROM rate_copies WHERE user_id = $1"),
    Sql::same("DELETE FROM expense_copies WHERE user_id = $1"),
];
const INSERT_TOMBSTONE: Sql =
    Sql::same("INSERT INTO deleted_users (user_id, deleted_at) VALUES ($1, $2) ON CONFLICT DO NOTHING");
const IS_DELETED: Sql = Sql::same("SELECT user_id FROM deleted_users WHERE user_id = $1");
const DELETED_USERS_SINCE: Sql =
    Sql::same("SELECT user_id FROM deleted_users WHERE deleted_at >= $1 ORDER BY user_id");

/// Deletes every row of the user and records the tombstone, inside `transaction`.
pub(super) async fn erase_user(
    transaction: &mut SqlTx,
    user_id: Uuid,
    at: OffsetDateTime,
) -> Result<(), RepoError> {
    for statement in &ERASE_USER {
        transaction.query(statement).bind(user_id).execute().await?;
    }
    transaction
        .query(&INSERT_TOMBSTONE)
        .bind(user_id)
        .bind(at)
        .execute()
        .await?;
    Ok(())
}

/// Whether the user's account was deleted.
pub(super) async fn is_deleted(transaction: &mut SqlTx, user_id: Uuid) -> Result<bool, RepoError> {
    Ok(transaction
        .query(&IS_DELETED)
        .bind(user_id)
        .fetch_optional()
        .await?
        .is_some())
}

pub(super) async fn deleted_users_since(db: &SqlDb, since: OffsetDateTime) -> Result<Vec<Uuid>, RepoError> {
    let rows = db.query(&DELETED_USERS_SINCE).bind(since).fetch_all().await?;
    rows.iter().map(|row| Ok(row.get("user_id")?)).collect()
}
