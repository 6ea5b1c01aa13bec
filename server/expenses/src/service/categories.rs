//! Categories: the ones in use, and moving a category's expenses (and budget) to a new name or
//! into another category.

use expense_api::expenses::{Category, CategoryChange};
use uuid::Uuid;

use super::ExpenseService;
use crate::domain::parse_category;
use crate::error::ExpenseError;
use crate::events;
use crate::repository::BudgetMove;

impl ExpenseService {
    /// Categories in use, with counts.
    pub async fn categories(&self, user_id: Uuid) -> Result<Vec<Category>, ExpenseError> {
        let rows = self.store.categories(user_id).await?;
        Ok(rows
            .into_iter()
            .map(|(name, count)| Category { name, count })
            .collect())
    }

    /// Renames a category (refused if the new name is in use) or merges it into another.
    pub async fn move_category(
        &self,
        user_id: Uuid,
        from: &str,
        to: &str,
        merge: bool,
    ) -> Result<CategoryChange, ExpenseError> {
        let from = parse_category(from).map_err(|_| ExpenseError::NotFound("category"))?;
        let target_field = if merge { "into" } else { "name" };
        let to = parse_category(to).map_err(|message| ExpenseError::invalid(target_field, message))?;
        if from == to {
            return Err(ExpenseError::invalid(
                target_field,
                "must differ from the category itself",
            ));
        }
        if !self.store.category_exists(user_id, &from).await? {
            return Err(ExpenseError::NotFound("category"));
        }
        if !merge && self.store.category_exists(user_id, &to).await? {
            return Err(ExpenseError::CategoryInUse(to));
        }
        let now = self.clock.now();
        let event = events::category_moved(user_id, merge, &from, &to, now);
        let budgets = if merge {
            BudgetMove::Merge
        } else {
            BudgetMove::Rename
        };
        let moved = self
            .store
            .move_category(user_id, &from, &to, budgets, &event, now)
            .await?;
        self.outbox_wake.notify_one();
        Ok(CategoryChange { from, to, moved })
    }
}
