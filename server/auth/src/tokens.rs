//! Opaque secrets: refresh tokens and personal access tokens.
//!
//! A secret is a fixed prefix (so people and secret scanners can tell what it is) followed by
//! 32 random bytes in base64url. Only its SHA-256 digest is stored; 256 bits of randomness need
//! no slow hash.

use aws_lc_rs::{digest, rand};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
pub use expense_api::auth::PERSONAL_ACCESS_TOKEN_PREFIX;

/// Prefix of refresh tokens.
pub const REFRESH_TOKEN_PREFIX: &str = "exp_rt_";

/// A new random secret with `prefix`.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes).expect("the system random source works");
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The digest stored for `secret`.
pub fn digest(secret: &str) -> Vec<u8> {
    digest::digest(&digest::SHA256, secret.as_bytes())
        .as_ref()
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_unique_and_hashed() {
        let a = new_secret(REFRESH_TOKEN_PREFIX);
        let b = new_secret(REFRESH_TOKEN_PREFIX);
        assert!(a.starts_with("exp_rt_") && a.len() == 7 + 43);
        assert_ne!(a, b);
        assert_eq!(digest(&a).len(), 32);
        assert_eq!(digest(&a), digest(&a));
    }
}
