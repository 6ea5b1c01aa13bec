//! What every command works with: the terminal, the configuration and chosen profile, the
//! server, the credential store and the output streams.

use std::io::Write;

use crate::cli::GlobalArgs;
use crate::client::Api;
use crate::config::{ConfigFile, DEFAULT_PROFILE, Paths, Profile, Target};
use crate::credentials::{CredentialStore, StoreKind};
use crate::error::{CliError, Result};
use crate::output::{Data, OutputArgs, render};
use crate::session::{Authorized, Credentials};
use crate::terminal::Terminal;

/// The environment of one command.
pub struct Context {
    pub terminal: Terminal,
    pub paths: Paths,
    pub config: ConfigFile,
    pub profile_name: String,
    pub target: Target,
    pub api: Api,
    pub store: CredentialStore,
    pub out: Box<dyn Write>,
    pub err: Box<dyn Write>,
    /// The date relative dates count from: `--today`, else the local date.
    pub today: time::Date,
}

impl Context {
    /// Reads the configuration and resolves the server for this invocation; data goes to `out`
    /// (stdout, or the pager's input).
    pub fn new(global: &GlobalArgs, terminal: Terminal, out: Box<dyn Write>) -> Result<Self> {
        let paths = Paths::from_env()?;
        let config = ConfigFile::load(&paths)?;
        let profile_name = global
            .profile
            .clone()
            .or_else(|| config.active_profile.clone())
            .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
        let target = Target::resolve(
            global.api_url.as_deref(),
            config.profiles.get(&profile_name),
            global.insecure,
        )?;
        let api = Api::new(target.url.clone())?;
        Ok(Self {
            terminal,
            store: CredentialStore::new(&paths),
            paths,
            config,
            profile_name,
            target,
            api,
            out,
            err: Box::new(std::io::stderr()),
            today: global.today.unwrap_or_else(crate::dates::local_today),
        })
    }

    pub fn profile(&self) -> Option<&Profile> {
        self.config.profiles.get(&self.profile_name)
    }

    /// Changes the active profile and saves the configuration.
    pub fn update_profile(&mut self, change: impl FnOnce(&mut Profile)) -> Result<()> {
        change(self.config.profiles.entry(self.profile_name.clone()).or_default());
        self.config.save(&self.paths)
    }

    /// The credentials for this invocation, if any.
    pub fn credentials(&self) -> Result<Option<Credentials>> {
        if let Some(token) = std::env::var("EXPENSE_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty())
        {
            return Ok(Some(Credentials::Environment(token.trim().to_owned())));
        }
        let key = self.target.credential_key();
        // The profile says where `expense login` put the session; a failure there is reported.
        if let Some(kind) = self.profile().and_then(|p| p.credential_store) {
            return Ok(self.store.load(kind, &key)?.map(|session| Credentials::Stored {
                kind,
                key,
                session,
            }));
        }
        // Otherwise look in both places; an unavailable keyring just means "not there".
        if let Some(session) = self.store.load(StoreKind::File, &key)? {
            return Ok(Some(Credentials::Stored {
                kind: StoreKind::File,
                key,
                session,
            }));
        }
        if let Ok(Some(session)) = self.store.load(StoreKind::Keyring, &key) {
            return Ok(Some(Credentials::Stored {
                kind: StoreKind::Keyring,
                key,
                session,
            }));
        }
        Ok(None)
    }

    /// Requests as the signed-in user; exit code 4 if nobody is signed in.
    pub fn authorized(&self) -> Result<Authorized<'_>> {
        let credentials = self.credentials()?.ok_or_else(|| {
            CliError::not_signed_in().with_hint(format!(
                "run `expense login` to sign in to {} (or set EXPENSE_TOKEN)",
                self.target.credential_key()
            ))
        })?;
        Ok(Authorized {
            api: &self.api,
            store: &self.store,
            paths: &self.paths,
            credentials,
        })
    }

    /// Prints data through the output layer.
    pub fn render(&mut self, options: &OutputArgs, data: &Data) -> Result<()> {
        render(&mut self.out, &self.terminal, options, data)
    }

    /// Prints text to stdout as is (tokens, completion scripts).
    pub fn print_raw(&mut self, text: &str) -> Result<()> {
        self.out.write_all(text.as_bytes())?;
        Ok(())
    }

    /// A one-line success message on stderr.
    pub fn success(&mut self, message: &str) {
        let mark = self.terminal.green("✓");
        let _ = writeln!(self.err, "{mark} {message}");
    }

    /// A one-line warning on stderr.
    pub fn warn(&mut self, message: &str) {
        let mark = self.terminal.yellow("!");
        let _ = writeln!(self.err, "{mark} {message}");
    }
}
