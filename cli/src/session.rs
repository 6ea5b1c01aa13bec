//! The caller's credentials for this invocation, and authenticated requests.
//!
//! `EXPENSE_TOKEN` (a personal access token or an access token) wins over everything and is
//! used as is. Otherwise the stored session of the chosen server is used, and its access token
//! is refreshed transparently: before it expires, and once more if the server refuses it.
//! Refreshes take a file lock and re-read the store first, because refresh tokens work once: two
//! `expense` processes refreshing the same session at once would otherwise look like token theft
//! to the server, which would end the session.

use expense_api::auth::RefreshRequest;
use reqwest::{Method, Response, StatusCode};
use serde_json::Value;

use crate::client::{Api, Body, check, read_json, request_body};
use crate::config::Paths;
use crate::credentials::{CredentialStore, Session, StoreKind};
use crate::error::{CliError, ErrorKind, Result};

/// Refresh when the access token has less than this many seconds left.
const REFRESH_MARGIN_SECS: i64 = 60;

/// Where this invocation's token comes from.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// `EXPENSE_TOKEN`.
    Environment(String),
    /// A session stored by `expense login`.
    Stored {
        kind: StoreKind,
        key: String,
        session: Session,
    },
}

impl Credentials {
    /// A description for `expense auth status`.
    pub fn source(&self, store: &CredentialStore) -> String {
        match self {
            Credentials::Environment(_) => "EXPENSE_TOKEN environment variable".to_owned(),
            Credentials::Stored {
                kind: StoreKind::Keyring,
                ..
            } => "OS keyring".to_owned(),
            Credentials::Stored {
                kind: StoreKind::File,
                ..
            } => format!("file {}", store.file_path().display()),
        }
    }
}

/// Sends requests as the signed-in user.
pub struct Authorized<'a> {
    pub api: &'a Api,
    pub store: &'a CredentialStore,
    pub paths: &'a Paths,
    pub credentials: Credentials,
}

impl Authorized<'_> {
    /// A token to send now, refreshed first if it is about to expire.
    pub async fn bearer(&mut self) -> Result<String> {
        match &self.credentials {
            Credentials::Environment(token) => Ok(token.clone()),
            Credentials::Stored { session, .. } => {
                if session.access_expires_at - now() > REFRESH_MARGIN_SECS {
                    Ok(session.access_token.clone())
                } else {
                    self.refresh().await
                }
            }
        }
    }

    /// Sends a request, refreshing and retrying once if the server refuses the token.
    pub async fn send(&mut self, method: Method, path: &str, body: Option<&Value>) -> Result<Response> {
        self.send_with(method, path, body, &[]).await
    }

    /// [`Authorized::send`] with extra headers (`Idempotency-Key`, `If-Match`).
    pub async fn send_with(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, String)],
    ) -> Result<Response> {
        let token = self.bearer().await?;
        let response = self
            .api
            .send_with(method.clone(), path, body, Some(&token), headers)
            .await?;
        if response.status() != StatusCode::UNAUTHORIZED
            || matches!(self.credentials, Credentials::Environment(_))
        {
            return Ok(response);
        }
        let token = self.refresh().await?;
        self.api
            .send_with(method, path, body, Some(&token), headers)
            .await
    }

    /// [`Authorized::send_with`] with any [`Body`] (`expense api`).
    pub async fn send_body(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Body<'_>>,
        headers: &[(&str, String)],
    ) -> Result<Response> {
        let token = self.bearer().await?;
        let response = self
            .api
            .send_body(method.clone(), path, body, Some(&token), headers)
            .await?;
        if response.status() != StatusCode::UNAUTHORIZED
            || matches!(self.credentials, Credentials::Environment(_))
        {
            return Ok(response);
        }
        let token = self.refresh().await?;
        self.api
            .send_body(method, path, body, Some(&token), headers)
            .await
    }

    /// A fresh token after the server refused one obtained from [`Authorized::bearer`].
    pub async fn refreshed_bearer(&mut self) -> Result<String> {
        match self.credentials {
            Credentials::Environment(_) => self.bearer().await,
            Credentials::Stored { .. } => self.refresh().await,
        }
    }

    /// Sends a request with extra headers and reads its JSON answer.
    pub async fn json_with<T: serde::de::DeserializeOwned>(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, String)],
    ) -> Result<T> {
        let response = self.send_with(method, path, body, headers).await?;
        read_json(response).await.map_err(|error| self.explain(error))
    }

    /// Sends a request and reads its JSON answer.
    pub async fn json<T: serde::de::DeserializeOwned>(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T> {
        let response = self.send(method, path, body).await?;
        read_json(response).await.map_err(|error| self.explain(error))
    }

    /// Sends a request whose answer has no body of interest.
    pub async fn execute(&mut self, method: Method, path: &str, body: Option<&Value>) -> Result<()> {
        let response = self.send(method, path, body).await?;
        check(response)
            .await
            .map(drop)
            .map_err(|error| self.explain(error))
    }

    fn explain(&self, error: CliError) -> CliError {
        if error.kind == ErrorKind::Auth && matches!(self.credentials, Credentials::Environment(_)) {
            return error.with_hint(
                "the token in EXPENSE_TOKEN was refused; create a new one with `expense token create`",
            );
        }
        error
    }

    /// Exchanges the refresh token, under the lock, and stores the new session.
    async fn refresh(&mut self) -> Result<String> {
        let Credentials::Stored { kind, key, session } = &self.credentials else {
            return Err(CliError::not_signed_in());
        };
        let (kind, key, stale) = (*kind, key.clone(), session.clone());
        let lock = lock_file(self.paths)?;
        // Another process may have refreshed while we waited for the lock.
        if let Some(current) = self.store.load(kind, &key)?
            && current.access_token != stale.access_token
            && current.access_expires_at - now() > REFRESH_MARGIN_SECS
        {
            let token = current.access_token.clone();
            self.credentials = Credentials::Stored {
                kind,
                key,
                session: current,
            };
            drop(lock);
            return Ok(token);
        }
        let body = request_body(&RefreshRequest {
            refresh_token: stale.refresh_token.clone(),
        });
        let response = self
            .api
            .send(Method::POST, "/v1/auth/refresh", Some(&body), None)
            .await?;
        if response.status() == StatusCode::UNAUTHORIZED {
            return Err(CliError::new(ErrorKind::Auth, "your session has ended")
                .with_hint("run `expense login` to sign in again"));
        }
        let tokens: expense_api::auth::TokenResponse = read_json(response).await?;
        let fresh = Session {
            email: stale.email,
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
            access_expires_at: now() + i64::try_from(tokens.expires_in).unwrap_or(900),
        };
        self.store.save(&key, &fresh, kind == StoreKind::File)?;
        let token = fresh.access_token.clone();
        self.credentials = Credentials::Stored {
            kind,
            key,
            session: fresh,
        };
        drop(lock);
        Ok(token)
    }
}

fn lock_file(paths: &Paths) -> Result<std::fs::File> {
    std::fs::create_dir_all(&paths.config_dir)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(paths.refresh_lock())?;
    file.lock()?;
    Ok(file)
}

/// Unix seconds now.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
