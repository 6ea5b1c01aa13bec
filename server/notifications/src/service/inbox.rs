//! The in-app list of notifications: newest first, by keyset cursor; read and unread.

use expense_api::Page;
use uuid::Uuid;

use super::NotificationService;
use crate::error::NotifyError;
use crate::repository::NotificationRecord;

impl NotificationService {
    pub async fn list(
        &self,
        user_id: Uuid,
        unread_only: bool,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<expense_api::notifications::Notification>, NotifyError> {
        let before = match cursor {
            Some(cursor) => Some(
                expense_kit::cursor::decode::<Uuid>(cursor)
                    .map_err(|p| NotifyError::Validation(p.problem.errors.clone()))?,
            ),
            None => None,
        };
        let mut records = self
            .store
            .notifications(user_id, unread_only, before, limit + 1)
            .await?;
        let more = records.len() > limit as usize;
        records.truncate(limit as usize);
        let next_cursor = match (more, records.last()) {
            (true, Some(last)) => Some(expense_kit::cursor::encode(&last.id)),
            _ => None,
        };
        Ok(Page {
            items: records.iter().map(NotificationRecord::to_api).collect(),
            next_cursor,
        })
    }

    pub async fn mark_read(&self, user_id: Uuid, id: Uuid) -> Result<(), NotifyError> {
        if self.store.mark_read(user_id, id, self.clock.now()).await? {
            Ok(())
        } else {
            Err(NotifyError::NotFound("notification"))
        }
    }

    pub async fn mark_all_read(&self, user_id: Uuid) -> Result<u64, NotifyError> {
        Ok(self.store.mark_all_read(user_id, self.clock.now()).await?)
    }
}
