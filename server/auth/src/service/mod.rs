//! The auth service's business rules: registration, sign-in, session rotation, token checks,
//! personal access tokens and administration; [`password_change`] holds the account owner's
//! password change and [`account_deletion`] the deletion of the account. Talks to storage only
//! through [`AuthStore`].

mod account_deletion;
mod password_change;

use std::net::IpAddr;
use std::sync::Arc;

use expense_api::auth::{
    CreateTokenRequest, CreatedToken, PersonalAccessToken, Role, TokenInfo, TokenKind, TokenResponse, User,
};
use expense_api::{FieldError, Page};
use expense_kit::auth::{AUDIENCE, AccessClaims, AuthRejection, ISSUER, Principal};
use expense_kit::clock::Clock;
use expense_kit::events::EventBus;
use time::OffsetDateTime;
use tokio::sync::Notify;
use uuid::Uuid;

use crate::config::AuthConfig;
use crate::domain::{Email, Password};
use crate::error::AuthError;
use crate::keys::SigningKeys;
use crate::rate_limit::LoginLimiter;
use crate::repository::{
    AuthStore, NewPersonalAccessToken, NewRefreshToken, PersonalAccessTokenRecord, RepoError, Rotation,
    USERS_EMAIL_KEY, UserRecord,
};
use crate::{password, tokens};

/// Default lifetime of a personal access token, in days.
pub const DEFAULT_TOKEN_DAYS: u32 = 90;
/// Longest lifetime of a personal access token, in days.
pub const MAX_TOKEN_DAYS: u32 = 366;
/// Uses of a personal access token closer together than this are not recorded again.
const TOUCH_INTERVAL: time::Duration = time::Duration::minutes(1);

/// The auth service.
pub struct AuthService {
    store: Arc<dyn AuthStore>,
    keys: Arc<SigningKeys>,
    limiter: LoginLimiter,
    access_ttl: std::time::Duration,
    refresh_ttl: time::Duration,
    clock: Clock,
    /// Wakes the outbox relay after a change that wrote an event.
    outbox_wake: Arc<Notify>,
}

impl AuthService {
    /// The service over `store`, signing with `keys`, reading the time from `clock`.
    pub fn new(store: Arc<dyn AuthStore>, keys: Arc<SigningKeys>, config: &AuthConfig, clock: Clock) -> Self {
        Self {
            store,
            keys,
            limiter: LoginLimiter::new(
                config.login_attempts_per_account,
                config.login_attempts_per_address,
            ),
            access_ttl: config.access_token_ttl(),
            refresh_ttl: config.refresh_token_ttl(),
            clock,
            outbox_wake: Arc::new(Notify::new()),
        }
    }

    /// The relay of the service's outbox (`account.deleted`), publishing to `bus` and polling
    /// every `poll_interval` for what another replica left.
    pub fn relay(&self, bus: Arc<dyn EventBus>, poll_interval: std::time::Duration) -> crate::outbox::Relay {
        crate::outbox::Relay {
            store: Arc::clone(&self.store),
            bus,
            wake: Arc::clone(&self.outbox_wake),
            poll_interval,
            clock: self.clock.clone(),
        }
    }

    pub fn keys(&self) -> &SigningKeys {
        &self.keys
    }

    pub fn limiter(&self) -> &LoginLimiter {
        &self.limiter
    }

    /// Creates an account with the `user` role.
    pub async fn register(&self, email: &str, password: String) -> Result<User, AuthError> {
        let (email, password) = parse_credentials(email, password)?;
        let record = self.insert_account(email, password, Role::User).await?;
        tracing::info!(user_id = %record.id, "account registered");
        Ok(user_view(&record))
    }

    /// Creates an admin account, or promotes an existing account (whose password is kept).
    pub async fn create_admin(&self, email: &str, password: String) -> Result<User, AuthError> {
        let (email, password) = parse_credentials(email, password)?;
        if let Some(existing) = self.store.user_by_email(email.as_str()).await? {
            self.store.set_user_role(existing.id, Role::Admin).await?;
            tracing::info!(user_id = %existing.id, "account promoted to admin");
            return Ok(user_view(&UserRecord {
                role: Role::Admin,
                ..existing
            }));
        }
        let record = self.insert_account(email, password, Role::Admin).await?;
        tracing::info!(user_id = %record.id, "admin account created");
        Ok(user_view(&record))
    }

    async fn insert_account(
        &self,
        email: Email,
        password: Password,
        role: Role,
    ) -> Result<UserRecord, AuthError> {
        let record = UserRecord {
            id: Uuid::now_v7(),
            email: email.as_str().to_owned(),
            password_hash: password::hash(password.expose().to_owned()).await?,
            role,
            disabled_at: None,
            created_at: self.clock.now(),
            session_generation: 0,
        };
        match self.store.insert_user(&record).await {
            Ok(()) => Ok(record),
            Err(RepoError::Conflict(constraint)) if constraint == USERS_EMAIL_KEY => {
                Err(AuthError::EmailTaken)
            }
            Err(other) => Err(other.into()),
        }
    }

    /// Signs in: checks the limits, then the password, then starts a new session family.
    pub async fn login(
        &self,
        email: &str,
        password: String,
        client: IpAddr,
    ) -> Result<TokenResponse, AuthError> {
        // An address that is not an e-mail cannot match an account; it still counts against the
        // client's limit so malformed guesses are not free.
        let account_key = Email::parse(email)
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default();
        if let Err(wait) = self.limiter.check(&account_key, client) {
            tracing::warn!(%client, "login rate limited");
            return Err(AuthError::RateLimited {
                retry_after_secs: wait.as_secs_f64().ceil() as u64,
            });
        }
        let record = match Email::parse(email) {
            Ok(email) => self.store.user_by_email(email.as_str()).await?,
            Err(_) => None,
        };
        let stored_hash = record.as_ref().map(|r| r.password_hash.clone());
        if !password::verify(password, stored_hash).await? {
            return Err(AuthError::InvalidCredentials);
        }
        let record = record.ok_or(AuthError::InvalidCredentials)?;
        if record.disabled_at.is_some() {
            return Err(AuthError::AccountDisabled);
        }
        let now = self.clock.now();
        let (refresh_token, new) = self.new_refresh_token(record.id, Uuid::now_v7(), now);
        self.store.insert_refresh_token(&new).await?;
        tracing::info!(user_id = %record.id, family = %new.family_id, "signed in");
        Ok(self.session(&record, refresh_token, now))
    }

    /// Exchanges a refresh token for a new pair. A token used twice revokes its whole family:
    /// one of the two holders is not the user.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenResponse, AuthError> {
        let now = self.clock.now();
        let stored = self
            .store
            .refresh_token_by_hash(&tokens::digest(refresh_token))
            .await?
            .ok_or(AuthError::InvalidRefreshToken)?;
        if stored.used_at.is_some() && stored.revoked_at.is_none() {
            let revoked = self.store.revoke_refresh_family(stored.family_id, now).await?;
            tracing::warn!(user_id = %stored.user_id, family = %stored.family_id, revoked, "refresh token reused; family revoked");
            return Err(AuthError::InvalidRefreshToken);
        }
        if stored.revoked_at.is_some() || stored.expires_at <= now {
            return Err(AuthError::InvalidRefreshToken);
        }
        let user = self
            .store
            .user_by_id(stored.user_id)
            .await?
            .filter(|user| user.disabled_at.is_none())
            .ok_or(AuthError::InvalidRefreshToken)?;
        let (refresh_token, new) = self.new_refresh_token(user.id, stored.family_id, now);
        match self.store.rotate_refresh_token(stored.id, &new, now).await? {
            Rotation::Rotated => Ok(self.session(&user, refresh_token, now)),
            Rotation::AlreadySpent => {
                // Lost a race with another use of the same token: that is reuse too.
                self.store.revoke_refresh_family(stored.family_id, now).await?;
                tracing::warn!(user_id = %user.id, family = %stored.family_id, "concurrent refresh token reuse; family revoked");
                Err(AuthError::InvalidRefreshToken)
            }
        }
    }

    /// Ends the session the refresh token belongs to. Unknown tokens are accepted silently, so
    /// logout cannot be used to probe tokens.
    pub async fn logout(&self, refresh_token: &str) -> Result<(), AuthError> {
        if let Some(stored) = self
            .store
            .refresh_token_by_hash(&tokens::digest(refresh_token))
            .await?
        {
            self.store
                .revoke_refresh_family(stored.family_id, self.clock.now())
                .await?;
            tracing::info!(user_id = %stored.user_id, family = %stored.family_id, "signed out");
        }
        Ok(())
    }

    /// Checks a bearer token against the keys and the database: who it is and until when.
    pub async fn authenticate(&self, token: &str) -> Result<(Principal, OffsetDateTime), AuthError> {
        let now = self.clock.now();
        if token.starts_with(tokens::PERSONAL_ACCESS_TOKEN_PREFIX) {
            let stored = self
                .store
                .personal_access_token_by_hash(&tokens::digest(token))
                .await?
                .ok_or(AuthRejection::Invalid)?;
            if stored.revoked_at.is_some() {
                return Err(AuthRejection::Revoked.into());
            }
            if stored.expires_at <= now {
                return Err(AuthRejection::Expired.into());
            }
            let user = self.active_user(stored.user_id).await?;
            if stored.last_used_at.is_none_or(|at| now - at > TOUCH_INTERVAL) {
                self.store.touch_personal_access_token(stored.id, now).await?;
            }
            let principal = Principal {
                user_id: user.id,
                role: user.role,
                kind: TokenKind::PersonalAccessToken,
            };
            return Ok((principal, stored.expires_at));
        }
        let claims = self.keys.verify(token, &self.clock)?;
        let user = self.active_user(claims.sub).await?;
        // A password change ended every session begun before it.
        if claims.session_generation < user.session_generation {
            return Err(AuthRejection::Revoked.into());
        }
        let expires_at =
            OffsetDateTime::from_unix_timestamp(claims.exp).map_err(|_| AuthRejection::Invalid)?;
        let principal = Principal {
            user_id: user.id,
            role: user.role,
            kind: TokenKind::Access,
        };
        Ok((principal, expires_at))
    }

    /// What `/v1/auth/introspect` answers.
    pub async fn introspect(&self, token: &str) -> Result<TokenInfo, AuthError> {
        let (principal, expires_at) = self.authenticate(token).await?;
        Ok(TokenInfo {
            user_id: principal.user_id,
            role: principal.role,
            kind: principal.kind,
            expires_at,
        })
    }

    async fn active_user(&self, id: Uuid) -> Result<UserRecord, AuthError> {
        match self.store.user_by_id(id).await? {
            Some(user) if user.disabled_at.is_none() => Ok(user),
            Some(_) => Err(AuthRejection::Revoked.into()),
            None => Err(AuthRejection::Invalid.into()),
        }
    }

    /// The caller's account.
    pub async fn me(&self, principal: &Principal) -> Result<User, AuthError> {
        let user = self.active_user(principal.user_id).await?;
        Ok(user_view(&user))
    }

    /// Creates a personal access token; only from an interactive session, so a leaked token
    /// cannot mint more tokens that outlive its revocation.
    pub async fn create_token(
        &self,
        principal: &Principal,
        request: CreateTokenRequest,
    ) -> Result<CreatedToken, AuthError> {
        if principal.kind != TokenKind::Access {
            return Err(AuthError::NeedsSession);
        }
        let mut errors = Vec::new();
        let name = request.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            errors.push(FieldError::new("name", "must be 1 to 100 characters"));
        }
        let days = request.expires_in_days.unwrap_or(DEFAULT_TOKEN_DAYS);
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            errors.push(FieldError::new(
                "expires_in_days",
                format!("must be between 1 and {MAX_TOKEN_DAYS}"),
            ));
        }
        if !errors.is_empty() {
            return Err(AuthError::Validation(errors));
        }
        let now = self.clock.now();
        let secret = tokens::new_secret(tokens::PERSONAL_ACCESS_TOKEN_PREFIX);
        let new = NewPersonalAccessToken {
            id: Uuid::now_v7(),
            user_id: principal.user_id,
            name,
            token_hash: tokens::digest(&secret),
            created_at: now,
            expires_at: now + time::Duration::days(i64::from(days)),
        };
        self.store.insert_personal_access_token(&new).await?;
        tracing::info!(user_id = %principal.user_id, token_id = %new.id, "personal access token created");
        Ok(CreatedToken {
            token: PersonalAccessToken {
                id: new.id,
                name: new.name,
                created_at: new.created_at,
                expires_at: new.expires_at,
                last_used_at: None,
                revoked_at: None,
            },
            secret,
        })
    }

    pub async fn list_tokens(&self, principal: &Principal) -> Result<Vec<PersonalAccessToken>, AuthError> {
        let records = self.store.list_personal_access_tokens(principal.user_id).await?;
        Ok(records.iter().map(token_view).collect())
    }

    pub async fn revoke_token(&self, principal: &Principal, id: Uuid) -> Result<(), AuthError> {
        if self
            .store
            .revoke_personal_access_token(principal.user_id, id, self.clock.now())
            .await?
        {
            tracing::info!(user_id = %principal.user_id, token_id = %id, "personal access token revoked");
            Ok(())
        } else {
            Err(AuthError::NotFound("token"))
        }
    }

    /// Accounts in creation order, one page at a time.
    pub async fn list_users(&self, after: Option<Uuid>, limit: u32) -> Result<Page<User>, AuthError> {
        let mut records = self.store.list_users(after, limit + 1).await?;
        let more = records.len() > limit as usize;
        records.truncate(limit as usize);
        let next_cursor = match (more, records.last()) {
            (true, Some(last)) => Some(expense_kit::cursor::encode(&last.id)),
            _ => None,
        };
        Ok(Page {
            items: records.iter().map(user_view).collect(),
            next_cursor,
        })
    }

    /// Disables or re-enables an account. Disabling ends its sessions at once; its access and
    /// personal access tokens stop working at the auth service at once and at the other services
    /// within the token-status cache time.
    pub async fn set_disabled(&self, admin: &Principal, id: Uuid, disabled: bool) -> Result<User, AuthError> {
        if disabled && admin.user_id == id {
            return Err(AuthError::invalid(
                "id",
                "administrators cannot disable their own account",
            ));
        }
        let now = self.clock.now();
        let at = disabled.then_some(now);
        if !self.store.set_user_disabled(id, at).await? {
            return Err(AuthError::NotFound("user"));
        }
        if disabled {
            self.store.revoke_user_refresh_tokens(id, now).await?;
        }
        tracing::info!(admin = %admin.user_id, user_id = %id, disabled, "account status changed");
        let user = self
            .store
            .user_by_id(id)
            .await?
            .ok_or(AuthError::NotFound("user"))?;
        Ok(user_view(&user))
    }

    fn new_refresh_token(
        &self,
        user_id: Uuid,
        family_id: Uuid,
        now: OffsetDateTime,
    ) -> (String, NewRefreshToken) {
        let secret = tokens::new_secret(tokens::REFRESH_TOKEN_PREFIX);
        let record = NewRefreshToken {
            id: Uuid::now_v7(),
            family_id,
            user_id,
            token_hash: tokens::digest(&secret),
            created_at: now,
            expires_at: now + self.refresh_ttl,
        };
        (secret, record)
    }

    fn session(&self, user: &UserRecord, refresh_token: String, now: OffsetDateTime) -> TokenResponse {
        let issued = now.unix_timestamp();
        let claims = AccessClaims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: user.id,
            iat: issued,
            exp: issued + i64::try_from(self.access_ttl.as_secs()).unwrap_or(i64::MAX / 2),
            jti: Uuid::now_v7(),
            role: user.role,
            session_generation: user.session_generation,
        };
        TokenResponse {
            access_token: self.keys.sign(&claims),
            refresh_token,
            token_type: "Bearer".to_owned(),
            expires_in: self.access_ttl.as_secs(),
        }
    }
}

fn parse_credentials(email: &str, password: String) -> Result<(Email, Password), AuthError> {
    match (Email::parse(email), Password::parse(password)) {
        (Ok(email), Ok(password)) => Ok((email, password)),
        (email, password) => {
            let mut errors = Vec::new();
            if let Err(message) = email {
                errors.push(FieldError::new("email", message));
            }
            if let Err(message) = password {
                errors.push(FieldError::new("password", message));
            }
            Err(AuthError::Validation(errors))
        }
    }
}

fn user_view(record: &UserRecord) -> User {
    User {
        id: record.id,
        email: record.email.clone(),
        role: record.role,
        disabled_at: record.disabled_at,
        created_at: record.created_at,
    }
}

fn token_view(record: &PersonalAccessTokenRecord) -> PersonalAccessToken {
    PersonalAccessToken {
        id: record.id,
        name: record.name.clone(),
        created_at: record.created_at,
        expires_at: record.expires_at,
        last_used_at: record.last_used_at,
        revoked_at: record.revoked_at,
    }
}
