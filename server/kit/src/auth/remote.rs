//! Token verification for services other than auth.
//!
//! Access tokens (JWTs) are verified locally with the public keys from the auth service's
//! `/.well-known/jwks.json`, cached and refetched when a token names an unknown `kid` (at most
//! once every few seconds, so forged key ids cannot make us hammer the auth service). Whether a
//! token was revoked or its account disabled is asked of `/v1/auth/introspect` and cached for
//! `TOKEN_STATUS_CACHE_SECS`, which bounds how long a revoked token keeps working here.
//! Personal access tokens are opaque, so only introspection can answer for them.
//!
//! When the auth service cannot be reached, a locally verified JWT is still accepted (its
//! signature and expiry are proof enough for 15 minutes) while a personal access token is
//! refused with 503: availability for sessions, no blind trust in long-lived secrets.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use aws_lc_rs::digest;
use expense_api::auth::{PERSONAL_ACCESS_TOKEN_PREFIX, TokenInfo, TokenKind};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, decode_header};
use url::Url;

use super::{AccessClaims, AuthRejection, Authenticator, Principal, decode_access_token};
use crate::clock::Clock;
use crate::service_calls::{service_client, with_request_id};

/// Shortest time between two JWKS fetches caused by unknown key ids.
const MIN_REFETCH_INTERVAL: Duration = Duration::from_secs(5);
/// Most token statuses kept; the cache is cleared of expired entries, then emptied, past it.
const MAX_CACHED_STATUSES: usize = 100_000;

/// Verifies tokens against a remote auth service.
pub struct RemoteAuthenticator {
    client: reqwest::Client,
    jwks_url: Url,
    introspect_url: Url,
    status_ttl: Duration,
    keys: RwLock<KeyCache>,
    refetch: tokio::sync::Mutex<()>,
    min_refetch_interval: Duration,
    statuses: Mutex<HashMap<[u8; 32], CachedStatus>>,
    clock: Clock,
}

#[derive(Default)]
struct KeyCache {
    keys: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
}

#[derive(Clone, Copy)]
struct CachedStatus {
    outcome: Result<Principal, AuthRejection>,
    until: Instant,
}

impl RemoteAuthenticator {
    /// An authenticator asking the auth service at `auth_url`, caching token statuses for
    /// `status_ttl`, judging expiry by `clock`.
    pub fn new(auth_url: &Url, status_ttl: Duration, clock: Clock) -> Self {
        Self {
            client: service_client(),
            jwks_url: auth_url.join("/.well-known/jwks.json").expect("valid path"),
            introspect_url: auth_url.join("/v1/auth/introspect").expect("valid path"),
            status_ttl,
            keys: RwLock::default(),
            refetch: tokio::sync::Mutex::new(()),
            min_refetch_interval: MIN_REFETCH_INTERVAL,
            statuses: Mutex::default(),
            clock,
        }
    }

    /// Changes the shortest time between two JWKS fetches (tests use zero).
    pub fn with_min_refetch_interval(mut self, interval: Duration) -> Self {
        self.min_refetch_interval = interval;
        self
    }

    async fn verify_jwt(&self, token: &str) -> Result<AccessClaims, AuthRejection> {
        let header = decode_header(token).map_err(|_| AuthRejection::Invalid)?;
        let kid = header.kid.ok_or(AuthRejection::Invalid)?;
        let key = self.key(&kid).await?;
        decode_access_token(token, &key, &self.clock)
    }

    async fn key(&self, kid: &str) -> Result<DecodingKey, AuthRejection> {
        if let Some(key) = self.cached_key(kid) {
            return Ok(key);
        }
        let _guard = self.refetch.lock().await;
        // Another request may have refreshed the keys while we waited.
        if let Some(key) = self.cached_key(kid) {
            return Ok(key);
        }
        let recently = self
            .keys
            .read()
            .expect("key cache lock")
            .fetched_at
            .is_some_and(|at| at.elapsed() < self.min_refetch_interval);
        if recently {
            return Err(AuthRejection::Invalid);
        }
        let fetched = self.fetch_keys().await;
        let mut cache = self.keys.write().expect("key cache lock");
        cache.fetched_at = Some(Instant::now());
        match fetched {
            Ok(keys) => cache.keys = keys,
            Err(error) => {
                tracing::warn!(%error, url = %self.jwks_url, "cannot fetch the JWKS");
                if cache.keys.is_empty() {
                    return Err(AuthRejection::Unavailable);
                }
            }
        }
        cache.keys.get(kid).cloned().ok_or(AuthRejection::Invalid)
    }

    fn cached_key(&self, kid: &str) -> Option<DecodingKey> {
        self.keys.read().expect("key cache lock").keys.get(kid).cloned()
    }

    async fn fetch_keys(&self) -> Result<HashMap<String, DecodingKey>, reqwest::Error> {
        let set: JwkSet = with_request_id(self.client.get(self.jwks_url.clone()))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(set
            .keys
            .iter()
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                DecodingKey::from_jwk(jwk).ok().map(|key| (kid, key))
            })
            .collect())
    }

    /// A fresh cached verdict on the token with this hash, if any.
    fn cached(&self, hash: &[u8; 32]) -> Option<Result<Principal, AuthRejection>> {
        let statuses = self.statuses.lock().expect("status cache lock");
        statuses
            .get(hash)
            .filter(|cached| cached.until > Instant::now())
            .map(|cached| cached.outcome)
    }

    /// Remembers a verdict until `until` (never beyond the configured cache time).
    fn remember(
        &self,
        hash: [u8; 32],
        outcome: Result<Principal, AuthRejection>,
        token_expires_in: Option<Duration>,
    ) {
        let ttl = token_expires_in.map_or(self.status_ttl, |left| left.min(self.status_ttl));
        if ttl.is_zero() {
            return;
        }
        let mut statuses = self.statuses.lock().expect("status cache lock");
        if statuses.len() >= MAX_CACHED_STATUSES {
            let now = Instant::now();
            statuses.retain(|_, status| status.until > now);
            if statuses.len() >= MAX_CACHED_STATUSES {
                statuses.clear();
            }
        }
        statuses.insert(
            hash,
            CachedStatus {
                outcome,
                until: Instant::now() + ttl,
            },
        );
    }

    /// Asks the auth service. `Err` means it could not be asked; `Ok` carries its verdict and,
    /// for a valid token, how long the token has left.
    async fn introspect(
        &self,
        token: &str,
    ) -> Result<(Result<Principal, AuthRejection>, Option<Duration>), AuthRejection> {
        let response = with_request_id(self.client.get(self.introspect_url.clone()))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|error| {
                tracing::warn!(%error, "cannot reach the auth service for introspection");
                AuthRejection::Unavailable
            })?;
        match response.status() {
            status if status.is_success() => {
                let info: TokenInfo = response.json().await.map_err(|error| {
                    tracing::warn!(%error, "unreadable introspection answer");
                    AuthRejection::Unavailable
                })?;
                let left = (info.expires_at - self.clock.now())
                    .try_into()
                    .unwrap_or(Duration::ZERO);
                let principal = Principal {
                    user_id: info.user_id,
                    role: info.role,
                    kind: info.kind,
                };
                Ok((Ok(principal), Some(left)))
            }
            reqwest::StatusCode::UNAUTHORIZED => Ok((Err(AuthRejection::Revoked), None)),
            status => {
                tracing::warn!(%status, "unexpected introspection status");
                Err(AuthRejection::Unavailable)
            }
        }
    }
}

#[async_trait]
impl Authenticator for RemoteAuthenticator {
    /// A token seen recently is answered from the cache (no signature check, no call): the cached
    /// verdict never outlives the token itself nor `TOKEN_STATUS_CACHE_SECS`.
    async fn authenticate(&self, token: &str) -> Result<Principal, AuthRejection> {
        let hash = token_hash(token);
        if let Some(verdict) = self.cached(&hash) {
            return verdict;
        }
        if token.starts_with(PERSONAL_ACCESS_TOKEN_PREFIX) {
            let (verdict, left) = self.introspect(token).await?;
            self.remember(hash, verdict, left);
            return verdict;
        }
        let claims = self.verify_jwt(token).await?;
        let local = Principal {
            user_id: claims.sub,
            role: claims.role,
            kind: TokenKind::Access,
        };
        match self.introspect(token).await {
            Ok((Ok(remote), left)) if remote.user_id == local.user_id => {
                self.remember(hash, Ok(remote), left);
                Ok(remote)
            }
            Ok((Ok(_), _)) => Err(AuthRejection::Invalid),
            Ok((Err(rejection), _)) => {
                self.remember(hash, Err(rejection), None);
                Err(rejection)
            }
            // The signature is valid and the token unexpired: serve rather than fail closed.
            Err(_) => Ok(local),
        }
    }
}

fn token_hash(token: &str) -> [u8; 32] {
    let digest = digest::digest(&digest::SHA256, token.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}
