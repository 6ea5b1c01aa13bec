//! The user's webhook endpoints: registration (public HTTPS addresses only, at most ten), removal,
//! test deliveries and the delivery log. Delivering is [`crate::webhooks`].

use serde_json::json;
use uuid::Uuid;

use super::NotificationService;
use crate::error::NotifyError;
use crate::repository::{NewDelivery, WebhookRecord};
use crate::webhooks;

impl NotificationService {
    pub async fn add_webhook(
        &self,
        user_id: Uuid,
        url: &str,
    ) -> Result<(WebhookRecord, String), NotifyError> {
        let url = webhooks::check_url(url, self.allow_private_webhooks)
            .map_err(|message| NotifyError::invalid("url", message))?;
        if self.store.webhooks(user_id).await?.len() >= 10 {
            return Err(NotifyError::invalid(
                "url",
                "at most 10 webhooks per account; remove one first",
            ));
        }
        let secret = webhooks::new_secret();
        let record = WebhookRecord {
            id: Uuid::now_v7(),
            user_id,
            url: url.to_string(),
            secret: secret.clone(),
            created_at: self.clock.now(),
        };
        self.store.insert_webhook(&record).await?;
        Ok((record, secret))
    }

    pub async fn webhooks(&self, user_id: Uuid) -> Result<Vec<WebhookRecord>, NotifyError> {
        Ok(self.store.webhooks(user_id).await?)
    }

    pub async fn remove_webhook(&self, user_id: Uuid, id: Uuid) -> Result<(), NotifyError> {
        if self.store.delete_webhook(user_id, id).await? {
            Ok(())
        } else {
            Err(NotifyError::NotFound("webhook"))
        }
    }

    /// Queues a test delivery to one webhook.
    pub async fn test_webhook(&self, user_id: Uuid, id: Uuid) -> Result<Uuid, NotifyError> {
        let webhook = self
            .store
            .webhook(user_id, id)
            .await?
            .ok_or(NotifyError::NotFound("webhook"))?;
        let now = self.clock.now();
        let delivery = NewDelivery {
            id: Uuid::now_v7(),
            webhook_id: webhook.id,
            user_id,
            event: "webhook.test".to_owned(),
            payload: json!({ "type": "webhook.test", "webhook_id": webhook.id, "sent_at": now.to_string() })
                .to_string(),
            created_at: now,
        };
        self.store
            .insert_deliveries(std::slice::from_ref(&delivery))
            .await?;
        self.deliveries_wake.notify_one();
        Ok(delivery.id)
    }

    pub async fn deliveries(
        &self,
        user_id: Uuid,
        id: Uuid,
    ) -> Result<Vec<expense_api::notifications::Delivery>, NotifyError> {
        self.store
            .webhook(user_id, id)
            .await?
            .ok_or(NotifyError::NotFound("webhook"))?;
        Ok(self
            .store
            .deliveries(user_id, id, 100)
            .await?
            .iter()
            .map(|d| d.to_api())
            .collect())
    }
}
