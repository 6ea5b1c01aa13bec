//! The Ed25519 keys that sign access tokens, and the JWKS that publishes them.
//!
//! One key signs; every key in the set verifies and is published at `/.well-known/jwks.json`,
//! so a key can be rotated without downtime: publish the next key (listed in
//! `JWT_PUBLISHED_KEY_FILES`), then make it the signing key while the old one stays published,
//! then drop the old one once the last token it signed has expired (15 minutes). Each key's
//! `kid` is its RFC 7638 thumbprint, so it is stable and needs no bookkeeping.
//!
//! On the embedded default the signing key is generated once into the data directory with mode
//! 0600. In production it comes from a file mounted from AWS Secrets Manager.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use expense_kit::auth::{AccessClaims, AuthRejection, decode_access_token};
use expense_kit::clock::Clock;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm, OctetKeyPairParameters,
    OctetKeyPairType, PublicKeyUse, ThumbprintHash,
};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};

/// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32-byte key follows it.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// File name of the generated key inside `<data dir>/keys/`.
pub const GENERATED_KEY_FILE: &str = "jwt-signing-key.pem";

/// Why keys could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read key file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write key file {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{0} is not a PEM file")]
    NotPem(String),
    #[error("{0} holds no Ed25519 key (expected a PKCS#8 `PRIVATE KEY` or a `PUBLIC KEY` PEM)")]
    NotEd25519(String),
    #[error("{0} must be a private key: it signs tokens")]
    PublicOnly(String),
}

/// The signing key and every published verification key.
pub struct SigningKeys {
    signing_kid: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
    jwks: JwkSet,
}

impl SigningKeys {
    /// Loads the signing key from `signing_file`, or, when it is `None`, from (or generated into)
    /// `<data_dir>/keys/`, plus every extra published key.
    pub fn load(
        signing_file: Option<&Path>,
        published_files: &[PathBuf],
        data_dir: &Path,
    ) -> Result<Self, KeyError> {
        let signing_pem = match signing_file {
            Some(path) => read(path)?,
            None => read_or_generate(&data_dir.join("keys").join(GENERATED_KEY_FILE))?,
        };
        let published = published_files
            .iter()
            .map(|path| read(path))
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_pems(&signing_pem, &published)
    }

    /// Builds the set from PEM texts.
    pub fn from_pems(signing_pem: &str, published: &[String]) -> Result<Self, KeyError> {
        let signing = parse_key(signing_pem, "the signing key")?;
        let Some(pkcs8) = signing.pkcs8 else {
            return Err(KeyError::PublicOnly("the signing key".to_owned()));
        };
        let mut keys = vec![signing.public];
        for (index, pem) in published.iter().enumerate() {
            let key = parse_key(pem, &format!("published key #{}", index + 1))?;
            if !keys.contains(&key.public) {
                keys.push(key.public);
            }
        }
        let jwks = JwkSet {
            keys: keys.iter().map(jwk).collect(),
        };
        let decoding = jwks
            .keys
            .iter()
            .map(|jwk| {
                let kid = jwk.common.key_id.clone().expect("we set a kid");
                (kid, DecodingKey::from_jwk(jwk).expect("our JWKs are valid"))
            })
            .collect();
        Ok(Self {
            signing_kid: jwks.keys[0].common.key_id.clone().expect("we set a kid"),
            encoding: EncodingKey::from_ed_der(&pkcs8),
            decoding,
            jwks,
        })
    }

    /// Signs `claims` with the signing key, naming it in the `kid` header.
    pub fn sign(&self, claims: &AccessClaims) -> String {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.signing_kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .expect("signing with a parsed Ed25519 key works")
    }

    /// Verifies a token signed by any published key, unexpired by `clock`.
    pub fn verify(&self, token: &str, clock: &Clock) -> Result<AccessClaims, AuthRejection> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthRejection::Invalid)?;
        let key = header
            .kid
            .and_then(|kid| self.decoding.get(&kid))
            .ok_or(AuthRejection::Invalid)?;
        decode_access_token(token, key, clock)
    }

    /// The published keys.
    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
    }

    /// The `kid` of the signing key.
    pub fn signing_kid(&self) -> &str {
        &self.signing_kid
    }
}

/// A new Ed25519 private key as PKCS#8 PEM.
pub fn generate_pem() -> String {
    let document = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).expect("key generation works");
    pem::encode(&pem::Pem::new("PRIVATE KEY", document.as_ref().to_vec()))
}

struct ParsedKey {
    pkcs8: Option<Vec<u8>>,
    public: [u8; 32],
}

fn parse_key(text: &str, what: &str) -> Result<ParsedKey, KeyError> {
    let block = pem::parse(text).map_err(|_| KeyError::NotPem(what.to_owned()))?;
    match block.tag() {
        "PRIVATE KEY" => {
            let pair = Ed25519KeyPair::from_pkcs8(block.contents())
                .map_err(|_| KeyError::NotEd25519(what.to_owned()))?;
            let public = pair
                .public_key()
                .as_ref()
                .try_into()
                .map_err(|_| KeyError::NotEd25519(what.to_owned()))?;
            Ok(ParsedKey {
                pkcs8: Some(block.contents().to_vec()),
                public,
            })
        }
        "PUBLIC KEY" => {
            let der = block.contents();
            let public = der
                .strip_prefix(&ED25519_SPKI_PREFIX)
                .and_then(|raw| <[u8; 32]>::try_from(raw).ok())
                .ok_or_else(|| KeyError::NotEd25519(what.to_owned()))?;
            Ok(ParsedKey { pkcs8: None, public })
        }
        _ => Err(KeyError::NotEd25519(what.to_owned())),
    }
}

fn jwk(public: &[u8; 32]) -> Jwk {
    let mut jwk = Jwk {
        common: CommonParameters {
            public_key_use: Some(PublicKeyUse::Signature),
            key_algorithm: Some(KeyAlgorithm::EdDSA),
            ..CommonParameters::default()
        },
        algorithm: AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
            key_type: OctetKeyPairType::OctetKeyPair,
            curve: EllipticCurve::Ed25519,
            x: URL_SAFE_NO_PAD.encode(public),
        }),
    };
    jwk.common.key_id = Some(
        jwk.thumbprint(ThumbprintHash::SHA256)
            .expect("Ed25519 JWKs have thumbprints"),
    );
    jwk
}

fn read(path: &Path) -> Result<String, KeyError> {
    std::fs::read_to_string(path).map_err(|source| KeyError::Read {
        path: path.to_owned(),
        source,
    })
}

/// Reads the key at `path`, generating it (directory 0700, file 0600) on first start.
fn read_or_generate(path: &Path) -> Result<String, KeyError> {
    if path.exists() {
        return read(path);
    }
    let write_error = |source| KeyError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().expect("the key path has a directory");
    expense_kit::db::create_private_dir(dir)
        .map_err(|e| write_error(std::io::Error::other(e.to_string())))?;
    let pem = generate_pem();
    // Write a private temporary file and rename it, so a crash never leaves half a key and two
    // processes starting at once agree on one key (the first rename wins; the other re-reads).
    let temporary = dir.join(format!(".{GENERATED_KEY_FILE}.{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&temporary).map_err(write_error)?;
    file.write_all(pem.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(write_error)?;
    if path.exists() {
        let _ = std::fs::remove_file(&temporary);
        return read(path);
    }
    std::fs::rename(&temporary, path).map_err(write_error)?;
    tracing::info!(path = %path.display(), "generated a new token signing key");
    Ok(pem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use expense_kit::auth::{AUDIENCE, ISSUER, Role};
    use uuid::Uuid;

    /// Made with `openssl genpkey -algorithm ed25519`: PKCS#8 v1, as operators will produce.
    const OPENSSL_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIPgn4vWD6/brDjU5zWGNPLXxo5PLF51exFaL3JjRAOGR\n-----END PRIVATE KEY-----\n";
    const OPENSSL_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEALrYhUsARmFDgla6LGR0QJxzFavkQ4svA34I74XFm/Yw=\n-----END PUBLIC KEY-----\n";

    /// The clock every test here reads: a minute before a new year.
    fn clock() -> Clock {
        Clock::frozen(time::macros::datetime!(2026-12-31 23:59 UTC))
    }

    fn claims() -> AccessClaims {
        let now = clock().now().unix_timestamp();
        AccessClaims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: Uuid::now_v7(),
            iat: now,
            exp: now + 900,
            jti: Uuid::now_v7(),
            role: Role::User,
            session_generation: 0,
        }
    }

    #[test]
    fn openssl_keys_load_and_the_public_half_matches() {
        let from_private = SigningKeys::from_pems(OPENSSL_PRIVATE, &[]).unwrap();
        let generated = generate_pem();
        let with_public = SigningKeys::from_pems(&generated, &[OPENSSL_PUBLIC.to_owned()]).unwrap();
        assert_eq!(with_public.jwks().keys.len(), 2);
        assert_eq!(with_public.jwks().keys[1], from_private.jwks().keys[0]);
        assert!(SigningKeys::from_pems(OPENSSL_PUBLIC, &[]).is_err());
    }

    #[test]
    fn a_retired_key_still_verifies_after_rotation() {
        let old = generate_pem();
        let new = generate_pem();
        let before = SigningKeys::from_pems(&old, &[]).unwrap();
        let token = before.sign(&claims());
        let after = SigningKeys::from_pems(&new, std::slice::from_ref(&old)).unwrap();
        assert_ne!(before.signing_kid(), after.signing_kid());
        assert!(after.verify(&token, &clock()).is_ok());
        assert!(after.verify(&after.sign(&claims()), &clock()).is_ok());
        let dropped = SigningKeys::from_pems(&new, &[]).unwrap();
        assert_eq!(dropped.verify(&token, &clock()), Err(AuthRejection::Invalid));
    }

    #[test]
    fn expired_and_tampered_tokens_are_refused() {
        let keys = SigningKeys::from_pems(&generate_pem(), &[]).unwrap();
        let mut old = claims();
        old.exp -= 3600;
        assert_eq!(
            keys.verify(&keys.sign(&old), &clock()),
            Err(AuthRejection::Expired)
        );
        let token = keys.sign(&claims());
        let mut tampered = token.clone().into_bytes();
        let middle = token.find('.').unwrap() + 3;
        tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            keys.verify(&String::from_utf8(tampered).unwrap(), &clock()),
            Err(AuthRejection::Invalid)
        );
    }

    /// Expiry is judged by the service's clock, not the wall clock: a token lives until its `exp`
    /// plus the leeway, across a year's end, whatever today's date is.
    #[test]
    fn expiry_follows_the_services_clock() {
        let keys = SigningKeys::from_pems(&generate_pem(), &[]).unwrap();
        let clock = clock();
        let token = keys.sign(&claims());
        assert!(keys.verify(&token, &clock).is_ok());
        clock.advance(time::Duration::seconds(900 + 30));
        assert_eq!(clock.today(), time::macros::date!(2027 - 01 - 01));
        assert!(keys.verify(&token, &clock).is_ok(), "within the leeway");
        clock.advance(time::Duration::seconds(1));
        assert_eq!(keys.verify(&token, &clock), Err(AuthRejection::Expired));
    }

    #[test]
    fn generated_key_files_are_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = SigningKeys::load(None, &[], dir.path()).unwrap();
        let second = SigningKeys::load(None, &[], dir.path()).unwrap();
        assert_eq!(first.signing_kid(), second.signing_kid());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("keys").join(GENERATED_KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
