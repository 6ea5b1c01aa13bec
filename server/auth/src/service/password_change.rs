//! The account owner changes the password. A change means the old password may be known to
//! someone else, so it ends every session: in the transaction that stores the new hash, each
//! refresh token is revoked and the account's session generation goes up, so each access token
//! issued before (which carries the old generation) is refused. The caller
//! gets a new session in the answer, so the device that made the change stays signed in.
//! Personal access tokens are separate credentials (scripts, CI) and keep working unless the
//! owner asks for them to be revoked too.

use std::net::IpAddr;

use expense_api::FieldError;
use expense_api::auth::{ChangePasswordRequest, TokenKind, TokenResponse};
use expense_kit::auth::Principal;
use uuid::Uuid;

use super::AuthService;
use crate::domain::Password;
use crate::error::AuthError;
use crate::password;
use crate::repository::UserRecord;

impl AuthService {
    /// Checks the current password (an attempt counted like a sign-in, so this cannot be used to
    /// guess it faster), stores the new one, ends every session and answers a new one.
    pub async fn change_password(
        &self,
        principal: &Principal,
        request: ChangePasswordRequest,
        client: IpAddr,
    ) -> Result<TokenResponse, AuthError> {
        // A leaked personal access token must not be enough to take the account over.
        if principal.kind != TokenKind::Access {
            return Err(AuthError::NeedsSession);
        }
        // A new password that breaks the rules is refused before anything is checked or counted.
        let new_password = Password::parse(request.new_password)
            .map_err(|message| AuthError::invalid("new_password", message))?;
        let user = self.active_user(principal.user_id).await?;
        if let Err(wait) = self.limiter.check(&user.email, client) {
            tracing::warn!(%client, user_id = %user.id, "password change rate limited");
            return Err(AuthError::RateLimited {
                retry_after_secs: wait.as_secs_f64().ceil() as u64,
            });
        }
        if !password::verify(request.current_password.clone(), Some(user.password_hash.clone())).await? {
            return Err(AuthError::invalid(
                "current_password",
                "is not the account's password; give the password you sign in with now",
            ));
        }
        if new_password.expose() == request.current_password {
            return Err(AuthError::Validation(vec![FieldError::new(
                "new_password",
                "is the current password; choose a different one",
            )]));
        }
        let hash = password::hash(new_password.expose().to_owned()).await?;
        let now = self.clock.now();
        let Some(session_generation) = self
            .store
            .change_password(user.id, &hash, now, request.revoke_tokens)
            .await?
        else {
            return Err(AuthError::NotFound("account"));
        };
        let user = UserRecord {
            session_generation,
            ..user
        };
        let (refresh_token, new) = self.new_refresh_token(user.id, Uuid::now_v7(), now);
        self.store.insert_refresh_token(&new).await?;
        tracing::info!(user_id = %user.id, revoked_tokens = request.revoke_tokens, "password changed; every earlier session ended");
        Ok(self.session(&user, refresh_token, now))
    }
}
