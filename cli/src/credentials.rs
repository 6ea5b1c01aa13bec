//! Where session tokens live: the OS keyring when one answers, else a 0600 file.
//!
//! The keyring is asked with a timeout (a locked keyring could otherwise hang a script). On a
//! headless machine the keyring crate fails fast with "no default store"; then the tokens go to
//! `credentials.json` in the config directory, written privately, and the user is told so in one
//! line. `--insecure-storage` picks the file directly. `EXPENSE_TOKEN` bypasses both (see
//! `session.rs`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::{Paths, write_private};
use crate::error::{CliError, Result};

/// How long a keyring operation may take before we give up on the keyring.
const KEYRING_TIMEOUT: Duration = Duration::from_secs(3);
/// Keyring service name of our entries.
const KEYRING_SERVICE: &str = "expense-cli";

/// Where a session is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    Keyring,
    File,
}

/// A signed-in session's tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub email: String,
    pub access_token: String,
    pub refresh_token: String,
    /// Unix seconds at which the access token expires.
    pub access_expires_at: i64,
}

/// The outcome of saving a session.
#[derive(Debug)]
pub struct Saved {
    pub kind: StoreKind,
    /// Set when the keyring was wanted but the file was used: why.
    pub fallback_reason: Option<String>,
}

/// Reads and writes sessions.
#[derive(Debug, Clone)]
pub struct CredentialStore {
    file: PathBuf,
}

impl CredentialStore {
    pub fn new(paths: &Paths) -> Self {
        Self {
            file: paths.credentials_file(),
        }
    }

    pub fn file_path(&self) -> &std::path::Path {
        &self.file
    }

    /// Saves `session` under `key`, in the keyring unless `use_file` or the keyring is unavailable.
    pub fn save(&self, key: &str, session: &Session, use_file: bool) -> Result<Saved> {
        if !use_file {
            let text = serde_json::to_string(session).expect("sessions serialise");
            let entry_key = key.to_owned();
            match with_keyring(move || keyring::Entry::new(KEYRING_SERVICE, &entry_key)?.set_password(&text))
            {
                Ok(()) => {
                    // A session that moved to the keyring must not linger in the file.
                    let _ = self.delete_file_entry(key);
                    return Ok(Saved {
                        kind: StoreKind::Keyring,
                        fallback_reason: None,
                    });
                }
                Err(reason) => {
                    self.save_file_entry(key, session)?;
                    return Ok(Saved {
                        kind: StoreKind::File,
                        fallback_reason: Some(reason),
                    });
                }
            }
        }
        self.save_file_entry(key, session)?;
        Ok(Saved {
            kind: StoreKind::File,
            fallback_reason: None,
        })
    }

    /// The session under `key` in store `kind`, if any.
    pub fn load(&self, kind: StoreKind, key: &str) -> Result<Option<Session>> {
        match kind {
            StoreKind::File => Ok(self.read_file()?.remove(key)),
            StoreKind::Keyring => {
                let entry_key = key.to_owned();
                let found = with_keyring(move || {
                    match keyring::Entry::new(KEYRING_SERVICE, &entry_key)?.get_password() {
                        Ok(text) => Ok(Some(text)),
                        Err(keyring::Error::NoEntry) => Ok(None),
                        Err(other) => Err(other),
                    }
                })
                .map_err(|reason| {
                    CliError::other(format!("cannot read the session from the OS keyring: {reason}"))
                        .with_hint(
                            "unlock the keyring, or sign in again with `expense login --insecure-storage`",
                        )
                })?;
                Ok(found.and_then(|text| serde_json::from_str(&text).ok()))
            }
        }
    }

    /// Removes the session under `key` from store `kind`.
    pub fn delete(&self, kind: StoreKind, key: &str) -> Result<()> {
        match kind {
            StoreKind::File => self.delete_file_entry(key),
            StoreKind::Keyring => {
                let entry_key = key.to_owned();
                with_keyring(move || {
                    match keyring::Entry::new(KEYRING_SERVICE, &entry_key)?.delete_credential() {
                        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                        Err(other) => Err(other),
                    }
                })
                .map_err(|reason| {
                    CliError::other(format!("cannot remove the session from the OS keyring: {reason}"))
                })
            }
        }
    }

    fn read_file(&self) -> Result<BTreeMap<String, Session>> {
        let text = match std::fs::read_to_string(&self.file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => {
                return Err(CliError::other(format!(
                    "cannot read {}: {e}",
                    self.file.display()
                )));
            }
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&self.file)?.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(CliError::other(format!(
                    "{} is readable by other users (mode {:o}); refusing to use it",
                    self.file.display(),
                    mode & 0o777
                ))
                .with_hint(format!(
                    "run `chmod 600 {}`, then sign in again",
                    self.file.display()
                )));
            }
        }
        serde_json::from_str(&text).map_err(|e| {
            CliError::other(format!("cannot read {}: {e}", self.file.display()))
                .with_hint("remove it and sign in again")
        })
    }

    fn save_file_entry(&self, key: &str, session: &Session) -> Result<()> {
        let mut sessions = self.read_file().unwrap_or_default();
        sessions.insert(key.to_owned(), session.clone());
        write_private(
            &self.file,
            &serde_json::to_vec_pretty(&sessions).expect("sessions serialise"),
        )
    }

    fn delete_file_entry(&self, key: &str) -> Result<()> {
        let mut sessions = self.read_file()?;
        if sessions.remove(key).is_some() {
            write_private(
                &self.file,
                &serde_json::to_vec_pretty(&sessions).expect("sessions serialise"),
            )?;
        }
        Ok(())
    }
}

/// Runs a keyring operation on a thread and waits at most [`KEYRING_TIMEOUT`]. `Err` says why the
/// keyring could not be used.
fn with_keyring<T, F>(operation: F) -> std::result::Result<T, String>
where
    T: Send + 'static,
    F: FnOnce() -> keyring::Result<T> + Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(operation());
    });
    match receiver.recv_timeout(KEYRING_TIMEOUT) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(keyring::Error::NoDefaultStore)) => Err("no OS keyring is available".to_owned()),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err(format!(
            "the OS keyring did not answer within {} s",
            KEYRING_TIMEOUT.as_secs()
        )),
    }
}
