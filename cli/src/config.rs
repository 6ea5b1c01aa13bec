//! The CLI's configuration: profiles in `config.toml` under the config directory
//! (`EXPENSE_CONFIG_DIR`, default `$XDG_CONFIG_HOME/expense`), and which server to talk to.
//!
//! The server is chosen in this order: `--api-url`, `EXPENSE_API_URL`, the active profile's
//! `api_url`, then `http://127.0.0.1:8080` (what `cargo xtask up` serves). Plain `http://` is
//! refused for any host that is not loopback unless `--insecure` is given: tokens and passwords
//! must not cross a network in clear text by accident.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::credentials::StoreKind;
use crate::error::{CliError, ErrorKind, Result};

/// Where `cargo xtask up` serves the platform.
pub const DEFAULT_API_URL: &str = "http://127.0.0.1:8080";
/// The profile used when none is chosen.
pub const DEFAULT_PROFILE: &str = "default";

/// Files under the config directory.
#[derive(Debug, Clone)]
pub struct Paths {
    pub config_dir: PathBuf,
}

impl Paths {
    pub fn from_env() -> Result<Self> {
        let config_dir = match std::env::var_os("EXPENSE_CONFIG_DIR").filter(|v| !v.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => dirs::config_dir()
                .ok_or_else(|| CliError::other("cannot find a config directory; set EXPENSE_CONFIG_DIR"))?
                .join("expense"),
        };
        Ok(Self { config_dir })
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    pub fn credentials_file(&self) -> PathBuf {
        self.config_dir.join("credentials.json")
    }

    pub fn refresh_lock(&self) -> PathBuf {
        self.config_dir.join("refresh.lock")
    }
}

/// `config.toml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profile used when `--profile` and `EXPENSE_PROFILE` are not given.
    pub active_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One profile: a server and the account signed in to it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub api_url: Option<String>,
    pub email: Option<String>,
    /// Where the session's tokens are kept.
    pub credential_store: Option<StoreKind>,
    /// Currency of `expense add` and `expense budget set` when `--currency` is not given.
    pub default_currency: Option<String>,
    /// The account the money comes from in ledger and beancount exports (`Assets:Cash` if unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding_account: Option<String>,
}

impl ConfigFile {
    /// Reads the file; a missing file is an empty configuration.
    pub fn load(paths: &Paths) -> Result<Self> {
        let path = paths.config_file();
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                CliError::other(format!("cannot read {}: {e}", path.display()))
                    .with_hint("fix or remove the file")
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(CliError::other(format!("cannot read {}: {e}", path.display()))),
        }
    }

    pub fn save(&self, paths: &Paths) -> Result<()> {
        let text = toml::to_string_pretty(self).map_err(|e| CliError::other(e.to_string()))?;
        write_private(&paths.config_file(), text.as_bytes())
    }
}

/// Where the server URL came from, for `expense auth status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlSource {
    Flag,
    Environment,
    Profile,
    Default,
}

impl UrlSource {
    pub fn describe(self) -> &'static str {
        match self {
            UrlSource::Flag => "--api-url",
            UrlSource::Environment => "EXPENSE_API_URL",
            UrlSource::Profile => "profile",
            UrlSource::Default => "default",
        }
    }
}

/// The server this invocation talks to.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: Url,
    pub source: UrlSource,
}

impl Target {
    /// Picks the server as described in the module docs and checks its scheme.
    pub fn resolve(flag: Option<&str>, profile: Option<&Profile>, insecure: bool) -> Result<Self> {
        let environment = std::env::var("EXPENSE_API_URL").ok().filter(|v| !v.is_empty());
        let (text, source) = if let Some(flag) = flag {
            (flag.to_owned(), UrlSource::Flag)
        } else if let Some(env) = environment {
            (env, UrlSource::Environment)
        } else if let Some(url) = profile.and_then(|p| p.api_url.clone()) {
            (url, UrlSource::Profile)
        } else {
            (DEFAULT_API_URL.to_owned(), UrlSource::Default)
        };
        let url = Url::parse(&text).map_err(|e| {
            CliError::usage(format!("{text:?} (from {}) is not a URL: {e}", source.describe()))
                .with_hint("give the server's base URL, such as https://expense.example.com")
        })?;
        check_scheme(&url, insecure)?;
        Ok(Self { url, source })
    }

    /// The key credentials are stored under: one session per server.
    pub fn credential_key(&self) -> String {
        self.url.as_str().trim_end_matches('/').to_owned()
    }
}

fn check_scheme(url: &Url, insecure: bool) -> Result<()> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if insecure || is_loopback(url) => Ok(()),
        "http" => Err(CliError::new(
            ErrorKind::Usage,
            format!(
                "refusing plain http:// to {}: passwords and tokens would cross the network unencrypted",
                url.host_str().unwrap_or("?")
            ),
        )
        .with_hint("use https://, or pass --insecure if you really mean it")),
        other => Err(CliError::usage(format!(
            "unsupported URL scheme {other:?}; use https://"
        ))),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Writes `bytes` to `path` as a 0600 file in a 0700 directory, through a temporary file renamed
/// into place, so readers never see half a file and nobody else can read it.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().ok_or_else(|| CliError::other("bad config path"))?;
    let fail = |e: std::io::Error| CliError::other(format!("cannot write {}: {e}", path.display()));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(fail)?;
    let temporary = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&temporary).map_err(fail)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(fail)?;
    std::fs::rename(&temporary, path).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
            "https://example.com",
        ] {
            assert!(check_scheme(&Url::parse(ok).unwrap(), false).is_ok(), "{ok}");
        }
        let refused = check_scheme(&Url::parse("http://expense.example.com").unwrap(), false).unwrap_err();
        assert_eq!(refused.exit_code(), 2);
        assert!(check_scheme(&Url::parse("http://expense.example.com").unwrap(), true).is_ok());
        assert!(check_scheme(&Url::parse("ftp://x").unwrap(), true).is_err());
    }

    #[test]
    fn private_files_are_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("secret.json");
        write_private(&path, b"{}").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
            assert_eq!(
                std::fs::metadata(path.parent().unwrap())
                    .unwrap()
                    .permissions()
                    .mode()
                    & 0o777,
                0o700
            );
        }
    }
}
