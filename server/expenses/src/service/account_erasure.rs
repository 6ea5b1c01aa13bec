//! Erasing a deleted account: on its `account.deleted` event, every row of the user goes, in one
//! transaction with a tombstone (the list of tables is `repository::ERASE_USER`).
//!
//! Other services verify tokens with a cached verdict (`TOKEN_STATUS_CACHE_SECS`, at most 60 s),
//! so a request of the deleted user may still be accepted here for that long after the erasure
//! and write a row. The tombstone is there for that: the hourly housekeeping erases again every
//! account deleted in the last [`ERASE_AGAIN_WITHIN`], so such a row lives an hour at most.
//! Redelivered events erase again, which is harmless.

use uuid::Uuid;

use super::ExpenseService;
use crate::error::ExpenseError;

/// How far back the housekeeping erases deleted accounts again: longer than the longest token
/// verdict cache plus one housekeeping interval (an hour), so every account is erased again at
/// least once after no request of it can be accepted any more.
pub const ERASE_AGAIN_WITHIN: time::Duration = time::Duration::hours(2);

impl ExpenseService {
    /// Erases everything of the user (its `account.deleted` event). Safe to repeat.
    pub async fn erase_account(&self, user_id: Uuid) -> Result<(), ExpenseError> {
        self.store.erase_user(user_id, self.clock.now()).await?;
        tracing::info!(%user_id, "deleted account erased");
        Ok(())
    }

    /// Erases again the accounts deleted within [`ERASE_AGAIN_WITHIN`]; answers how many.
    pub async fn erase_recently_deleted(&self) -> Result<usize, ExpenseError> {
        let now = self.clock.now();
        let users = self.store.deleted_users_since(now - ERASE_AGAIN_WITHIN).await?;
        for user_id in &users {
            self.store.erase_user(*user_id, now).await?;
        }
        Ok(users.len())
    }
}
