//! The claims of an access token: what the auth service signs and every service verifies.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{AuthRejection, Role};
use crate::clock::Clock;

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
    /// The account's session generation when the token was issued; a password change moves the
    /// account to the next one, and the auth service refuses tokens of earlier generations.
    /// Tokens from before this claim existed read as generation 0.
    #[serde(default, rename = "sgen")]
    pub session_generation: i32,
}

/// The checks the JWT library applies: EdDSA only, our issuer and audience, the claims present.
/// Expiry is checked by [`decode_access_token`] against the service's clock, not by the library
/// (which would read the wall clock).
fn validation() -> Validation {
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.validate_exp = false;
    validation.leeway = LEEWAY_SECS;
    validation
}

/// Verifies `token`'s signature with `key` and its claims, including that it has not expired by
/// `clock` (with [`LEEWAY_SECS`] of tolerance for skew between services).
pub fn decode_access_token(
    token: &str,
    key: &DecodingKey,
    clock: &Clock,
) -> Result<AccessClaims, AuthRejection> {
    let claims = jsonwebtoken::decode::<AccessClaims>(token, key, &validation())
        .map(|data| data.claims)
        .map_err(|error| match error.kind() {
            ErrorKind::ExpiredSignature => AuthRejection::Expired,
            _ => AuthRejection::Invalid,
        })?;
    let leeway = i64::try_from(LEEWAY_SECS).expect("a small leeway");
    if claims.exp.saturating_add(leeway) < clock.now().unix_timestamp() {
        return Err(AuthRejection::Expired);
    }
    Ok(claims)
}
