//! Settings of the auth service, read from the environment (see `docs/configuration.md`).

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use expense_kit::redacted::Redacted;

/// Auth service settings.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Auth service")]
pub struct AuthConfig {
    /// PKCS#8 PEM file of the Ed25519 key that signs access tokens. Unset: generated once into
    /// `<data dir>/keys/jwt-signing-key.pem` with mode 0600.
    #[arg(long, env = "JWT_PRIVATE_KEY_FILE", value_name = "FILE")]
    pub jwt_private_key_file: Option<PathBuf>,

    /// Comma-separated PEM files (private or public Ed25519 keys) that are published in the JWKS
    /// beside the signing key: the next key before a rotation, the previous one after it.
    #[arg(
        long,
        env = "JWT_PUBLISHED_KEY_FILES",
        value_name = "FILES",
        value_delimiter = ','
    )]
    pub jwt_published_key_files: Vec<PathBuf>,

    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "ACCESS_TOKEN_TTL_SECS", default_value_t = 900)]
    pub access_token_ttl_secs: u64,

    /// Lifetime of a refresh token (and so of an idle session), in days.
    #[arg(long, env = "REFRESH_TOKEN_TTL_DAYS", default_value_t = 30)]
    pub refresh_token_ttl_days: u64,

    /// Login attempts allowed per minute for one e-mail address (per process).
    #[arg(long, env = "LOGIN_ATTEMPTS_PER_ACCOUNT", default_value_t = NonZeroU32::new(10).expect("non-zero"))]
    pub login_attempts_per_account: NonZeroU32,

    /// Login attempts allowed per minute from one client address (per process).
    #[arg(long, env = "LOGIN_ATTEMPTS_PER_ADDRESS", default_value_t = NonZeroU32::new(60).expect("non-zero"))]
    pub login_attempts_per_address: NonZeroU32,

    /// ARN of a Secrets Manager secret whose value is the signing key's PKCS#8 PEM (AWSCURRENT);
    /// its AWSPENDING and AWSPREVIOUS versions, when present, are published in the JWKS. Replaces
    /// JWT_PRIVATE_KEY_FILE and JWT_PUBLISHED_KEY_FILES.
    #[arg(long, env = "JWT_SIGNING_KEY_SECRET_ARN", value_name = "ARN")]
    pub jwt_signing_key_secret_arn: Option<String>,

    /// The keys read from JWT_SIGNING_KEY_SECRET_ARN at start.
    #[arg(skip)]
    pub secret_keys: Option<SecretKeys>,
}

/// Signing and published keys (PEM) read from a secret.
#[derive(Debug, Clone)]
pub struct SecretKeys {
    pub signing: Redacted<String>,
    pub published: Vec<Redacted<String>>,
}

impl AuthConfig {
    pub fn access_token_ttl(&self) -> Duration {
        Duration::from_secs(self.access_token_ttl_secs)
    }

    pub fn refresh_token_ttl(&self) -> time::Duration {
        time::Duration::days(i64::try_from(self.refresh_token_ttl_days).unwrap_or(i64::MAX / 86_400))
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            jwt_private_key_file: None,
            jwt_published_key_files: Vec::new(),
            access_token_ttl_secs: 900,
            refresh_token_ttl_days: 30,
            login_attempts_per_account: NonZeroU32::new(10).expect("non-zero"),
            login_attempts_per_address: NonZeroU32::new(60).expect("non-zero"),
            jwt_signing_key_secret_arn: None,
            secret_keys: None,
        }
    }
}
