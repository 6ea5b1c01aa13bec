//! The account owner deletes the account. The auth service removes the account, its refresh
//! tokens and personal access tokens, and writes `account.deleted` into its outbox, all in one
//! transaction: from the commit on, every token of the account is refused here (the account is
//! gone), and the other services erase what they hold of the user when the relay's event reaches
//! them (docs/security.md, "Deleting an account"). The e-mail address is free again at once.

use std::net::IpAddr;

use expense_api::auth::{DeleteAccountRequest, TokenKind};
use expense_api::events::{ACCOUNT_DELETED, AccountDeletedEvent};
use expense_kit::auth::Principal;
use uuid::Uuid;

use super::AuthService;
use crate::error::AuthError;
use crate::password;
use crate::repository::OutboxRecord;

impl AuthService {
    /// Checks the password (an attempt counted like a sign-in), then deletes the account and
    /// records its `account.deleted` event in the same transaction.
    pub async fn delete_account(
        &self,
        principal: &Principal,
        request: DeleteAccountRequest,
        client: IpAddr,
    ) -> Result<(), AuthError> {
        // A leaked personal access token must not be enough to destroy the account.
        if principal.kind != TokenKind::Access {
            return Err(AuthError::NeedsSession);
        }
        let user = self.active_user(principal.user_id).await?;
        if let Err(wait) = self.limiter.check(&user.email, client) {
            tracing::warn!(%client, user_id = %user.id, "account deletion rate limited");
            return Err(AuthError::RateLimited {
                retry_after_secs: wait.as_secs_f64().ceil() as u64,
            });
        }
        if !password::verify(request.password, Some(user.password_hash.clone())).await? {
            return Err(AuthError::invalid(
                "password",
                "is not the account's password; give the password you sign in with",
            ));
        }
        let event = OutboxRecord {
            id: Uuid::now_v7(),
            user_id: user.id,
            event_type: ACCOUNT_DELETED.to_owned(),
            payload: serde_json::to_string(&AccountDeletedEvent {}).expect("a payload serialises"),
            created_at: self.clock.now(),
        };
        if !self.store.delete_account(user.id, &event).await? {
            return Err(AuthError::NotFound("account"));
        }
        self.outbox_wake.notify_one();
        tracing::info!(user_id = %user.id, event_id = %event.id, "account deleted; the other services erase its data");
        Ok(())
    }
}
