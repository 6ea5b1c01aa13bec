//! The claims of an access token: what the auth service signs and every service verifies.

use jsonwebtoken::{Algorithm, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Role;

/// `iss` of every access token.
pub const ISSUER: &str = "expense-auth";
/// `aud` of every access token.
pub const AUDIENCE: &str = "expense";
/// Clock skew tolerated between services, in seconds.
pub const LEEWAY_SECS: u64 = 30;

/// Claims of an access token (a JWT signed with Ed25519).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// The user id.
    pub sub: Uuid,
    pub iat: i64,
    pub exp: i64,
    /// Unique id of this token.
    pub jti: Uuid,
    pub role: Role,
}

/// The checks every verifier applies: EdDSA only, our issuer and audience, not expired.
pub fn validation() -> Validation {
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.leeway = LEEWAY_SECS;
    validation
}
