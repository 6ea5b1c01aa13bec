//! Hostile tokens are refused by every verifier: the auth service's own keys (`keys::verify`), its
//! request authentication (`AuthService::authenticate`, behind every auth route), and the kit's
//! `RemoteAuthenticator` that every other service uses. Arbitrary text, `alg: none`, HS256 signed
//! with the public key, unknown or missing key ids, expired tokens, tampered payloads with the
//! original signature, single-character changes, wrong issuer or audience, malformed claims:
//! each is refused, and valid tokens still pass (so the refusals are not vacuous).

use std::sync::Arc;
use std::time::Duration;

use aws_lc_rs::hmac;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use expense_api::auth::User;
use expense_auth::AuthService;
use expense_kit::auth::{AuthRejection, Authenticator, RemoteAuthenticator};
use expense_kit::clock::Clock;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRunner};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Backend, TestApp, email};

/// Hostile input (docs/security.md): cases a property. XorShift, because the default ChaCha
/// generator is several times slower in unoptimised test builds.
fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_algorithm: RngAlgorithm::XorShift,
        ..Config::default()
    }
}

/// What a forger knows: the account, the server's key (to make valid tokens to tamper with) and
/// everything public about it.
struct Forge {
    user: Uuid,
    other_user: Uuid,
    pkcs8: Vec<u8>,
    kid: String,
    public_raw: Vec<u8>,
    public_pem: String,
    jwk_json: String,
    valid: String,
    clock: Clock,
}

fn segment(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

impl Forge {
    /// Now by the services' clock, in seconds.
    fn now(&self) -> i64 {
        self.clock.now().unix_timestamp()
    }

    fn header(&self) -> Value {
        json!({ "alg": "EdDSA", "typ": "JWT", "kid": self.kid })
    }

    fn claims(&self) -> Value {
        json!({
            "iss": "expense-auth", "aud": "expense", "sub": self.user, "iat": self.now(), "exp": self.now() + 900,
            "jti": Uuid::now_v7(), "role": "user",
        })
    }

    /// `header.claims` signed with Ed25519 under `pkcs8`.
    fn ed25519(pkcs8: &[u8], header: &Value, claims: &Value) -> String {
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8).unwrap();
        let input = format!("{}.{}", segment(header), segment(claims));
        let signature = URL_SAFE_NO_PAD.encode(pair.sign(input.as_bytes()).as_ref());
        format!("{input}.{signature}")
    }

    /// Signed with the server's own key.
    fn signed(&self, header: &Value, claims: &Value) -> String {
        Self::ed25519(&self.pkcs8, header, claims)
    }

    fn hs256(secret: &[u8], header: &Value, claims: &Value) -> String {
        let input = format!("{}.{}", segment(header), segment(claims));
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, secret), input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    }
}

/// The kinds of forgery; each makes a token from random choices.
#[derive(Debug, Clone)]
enum Attack {
    AlgNone {
        alg: &'static str,
        keep_signature: bool,
    },
    Hs256WithPublicKey {
        secret: usize,
        alg: &'static str,
    },
    UnknownKey {
        claim_our_kid: bool,
    },
    NoKid,
    Expired {
        seconds_ago: i64,
    },
    Tampered {
        field: &'static str,
    },
    ChangedCharacter {
        position: proptest::sample::Index,
        replacement: char,
    },
    WrongIssuerOrAudience {
        issuer: bool,
        value: String,
    },
    MalformedClaim {
        field: &'static str,
        value: Value,
    },
    Segments {
        count: usize,
    },
}

fn attacks() -> impl Strategy<Value = Attack> {
    prop_oneof![
        (
            prop::sample::select(vec!["none", "None", "NONE", "nOnE"]),
            any::<bool>()
        )
            .prop_map(|(alg, keep_signature)| Attack::AlgNone { alg, keep_signature }),
        (0usize..4, prop::sample::select(vec!["HS256", "HS384", "HS512"]))
            .prop_map(|(secret, alg)| Attack::Hs256WithPublicKey { secret, alg }),
        any::<bool>().prop_map(|claim_our_kid| Attack::UnknownKey { claim_our_kid }),
        Just(Attack::NoKid),
        prop_oneof![31i64..120, 120i64..1_000_000_000]
            .prop_map(|seconds_ago| Attack::Expired { seconds_ago }),
        prop::sample::select(vec!["sub", "role", "exp", "jti", "iss"])
            .prop_map(|field| Attack::Tampered { field }),
        (
            any::<proptest::sample::Index>(),
            prop::sample::select(vec!['A', 'B', 'a', 'z', '0', '9', '-', '_', '.', '=', ' '])
        )
            .prop_map(|(position, replacement)| Attack::ChangedCharacter {
                position,
                replacement
            }),
        (any::<bool>(), "[a-z-]{0,16}")
            .prop_map(|(issuer, value)| Attack::WrongIssuerOrAudience { issuer, value }),
        (
            prop::sample::select(vec!["sub", "exp", "role", "iss", "aud"]),
            prop_oneof![
                Just(Value::Null),
                Just(json!("root")),
                Just(json!(1e30)),
                Just(json!(-1)),
                Just(json!("never")),
                Just(json!([])),
                Just(json!({ "$ne": null })),
                Just(json!("' OR 1=1 --")),
            ],
        )
            .prop_map(|(field, value)| Attack::MalformedClaim { field, value }),
        prop_oneof![Just(1usize), Just(2), Just(4), Just(5)].prop_map(|count| Attack::Segments { count }),
    ]
}

impl Forge {
    fn forge(&self, attack: &Attack) -> String {
        let header = self.header();
        let claims = self.claims();
        match attack {
            Attack::AlgNone { alg, keep_signature } => {
                let header = json!({ "alg": alg, "typ": "JWT", "kid": self.kid });
                let signature = if *keep_signature {
                    self.valid.rsplit('.').next().unwrap()
                } else {
                    ""
                };
                format!("{}.{}.{signature}", segment(&header), segment(&claims))
            }
            Attack::Hs256WithPublicKey { secret, alg } => {
                let header = json!({ "alg": alg, "typ": "JWT", "kid": self.kid });
                let secrets: [&[u8]; 4] = [
                    &self.public_raw,
                    self.public_pem.as_bytes(),
                    self.jwk_json.as_bytes(),
                    self.kid.as_bytes(),
                ];
                Forge::hs256(secrets[*secret], &header, &claims)
            }
            Attack::UnknownKey { claim_our_kid } => {
                let other = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
                let kid = if *claim_our_kid {
                    self.kid.clone()
                } else {
                    URL_SAFE_NO_PAD.encode(
                        Ed25519KeyPair::from_pkcs8(other.as_ref())
                            .unwrap()
                            .public_key()
                            .as_ref(),
                    )
                };
                let header = json!({ "alg": "EdDSA", "typ": "JWT", "kid": kid });
                Forge::ed25519(other.as_ref(), &header, &claims)
            }
            Attack::NoKid => self.signed(&json!({ "alg": "EdDSA", "typ": "JWT" }), &claims),
            Attack::Expired { seconds_ago } => {
                let mut claims = claims;
                claims["exp"] = json!(self.now() - seconds_ago);
                claims["iat"] = json!(self.now() - seconds_ago - 900);
                self.signed(&header, &claims)
            }
            Attack::Tampered { field } => {
                let (signed_header, _) = self.valid.split_once('.').unwrap();
                let signature = self.valid.rsplit('.').next().unwrap();
                let mut claims: Value = serde_json::from_slice(
                    &URL_SAFE_NO_PAD
                        .decode(self.valid.split('.').nth(1).unwrap())
                        .unwrap(),
                )
                .unwrap();
                claims[*field] = match *field {
                    "sub" => json!(self.other_user),
                    "role" => json!("admin"),
                    "exp" => json!(self.now() + 365 * 86_400),
                    "jti" => json!(Uuid::now_v7()),
                    _ => json!("expense-auth "),
                };
                format!("{signed_header}.{}.{signature}", segment(&claims))
            }
            Attack::ChangedCharacter {
                position,
                replacement,
            } => {
                let mut characters: Vec<char> = self.valid.chars().collect();
                let at = position.index(characters.len());
                if characters[at] == *replacement {
                    characters.remove(at);
                } else {
                    characters[at] = *replacement;
                }
                characters.into_iter().collect()
            }
            Attack::WrongIssuerOrAudience { issuer, value } => {
                let mut claims = claims;
                claims[if *issuer { "iss" } else { "aud" }] = json!(value);
                self.signed(&header, &claims)
            }
            Attack::MalformedClaim { field, value } => {
                let mut claims = claims;
                claims[*field] = value.clone();
                self.signed(&header, &claims)
            }
            Attack::Segments { count } => {
                let parts: Vec<&str> = self.valid.split('.').collect();
                (0..*count).map(|i| parts[i % 3]).collect::<Vec<_>>().join(".")
            }
        }
    }
}

/// The three verifiers, as a forged token meets them.
struct Verifiers {
    service: Arc<AuthService>,
    remote: RemoteAuthenticator,
    clock: Clock,
}

impl Verifiers {
    /// Every verifier's answer: the keys', the auth service's and a remote service's.
    async fn verdicts(&self, token: &str) -> [Result<Uuid, AuthRejection>; 3] {
        let local = self
            .service
            .keys()
            .verify(token, &self.clock)
            .map(|claims| claims.sub);
        let service = self
            .service
            .authenticate(token)
            .await
            .map(|(principal, _)| principal.user_id)
            .map_err(|_| AuthRejection::Invalid);
        let remote = self
            .remote
            .authenticate(token)
            .await
            .map(|principal| principal.user_id);
        [local, service, remote]
    }
}

async fn setup() -> (TestApp, crate::helpers::Storage, Arc<Forge>, Arc<Verifiers>) {
    let (app, storage) = TestApp::spawn(Backend::Sqlite).await;
    let session = app.signed_in(&email("forged")).await;
    let other = app.signed_in(&email("victim")).await;
    let me = |token: String| {
        let app = &app;
        async move { app.get("/v1/me", &token).await.json::<User>().await.unwrap().id }
    };
    let user = me(session.access_token.clone()).await;
    let other_user = me(other.access_token.clone()).await;
    let pem = std::fs::read_to_string(storage.key_file()).unwrap();
    let pkcs8 = pem::parse(pem).unwrap().contents().to_vec();
    let public_raw = Ed25519KeyPair::from_pkcs8(&pkcs8)
        .unwrap()
        .public_key()
        .as_ref()
        .to_vec();
    let mut spki = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    spki.extend_from_slice(&public_raw);
    let jwks = app.service.keys().jwks();
    let forge = Arc::new(Forge {
        user,
        other_user,
        kid: app.service.keys().signing_kid().to_owned(),
        public_pem: pem::encode(&pem::Pem::new("PUBLIC KEY", spki)),
        jwk_json: serde_json::to_string(&jwks.keys[0]).unwrap(),
        public_raw,
        pkcs8,
        valid: session.access_token,
        clock: storage.clock.clone(),
    });
    let verifiers = Arc::new(Verifiers {
        service: Arc::clone(&app.service),
        remote: RemoteAuthenticator::new(&app.base.parse().unwrap(), Duration::ZERO, storage.clock.clone()),
        clock: storage.clock.clone(),
    });
    (app, storage, forge, verifiers)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_tokens_are_refused_by_every_verifier() {
    let (app, _storage, forge, verifiers) = setup().await;

    // Controls: the real token, and a token freshly signed with the real key, pass everywhere.
    for token in [
        forge.valid.clone(),
        forge.signed(&forge.header(), &forge.claims()),
    ] {
        for verdict in verifiers.verdicts(&token).await {
            assert_eq!(verdict, Ok(forge.user));
        }
    }
    // A valid signature over an account that does not exist: the keys vouch only for the
    // signature; the service and every remote service refuse it.
    let mut nobody = forge.claims();
    nobody["sub"] = json!(Uuid::now_v7());
    let [local, service, remote] = verifiers.verdicts(&forge.signed(&forge.header(), &nobody)).await;
    assert!(local.is_ok() && service.is_err() && remote.is_err());

    let handle = tokio::runtime::Handle::current();
    let outcome = tokio::task::spawn_blocking(move || {
        let mut runner = TestRunner::new(config(1_500));
        runner.run(&attacks(), |attack| {
            let token = forge.forge(&attack);
            let verdicts = handle.block_on(verifiers.verdicts(&token));
            for (verifier, verdict) in ["keys", "service", "remote"].iter().zip(&verdicts) {
                prop_assert!(verdict.is_err(), "{} accepted {:?}: {}", verifier, attack, token);
            }
            if let Attack::Expired { .. } = attack {
                prop_assert_eq!(&verdicts[0], &Err(AuthRejection::Expired));
                prop_assert_eq!(&verdicts[2], &Err(AuthRejection::Expired));
            }
            Ok(())
        })
    })
    .await
    .unwrap();
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arbitrary_text_is_never_a_token() {
    let (app, _storage, forge, verifiers) = setup().await;
    let valid = forge.valid.clone();
    let handle = tokio::runtime::Handle::current();
    let text = prop_oneof![
        proptest::collection::vec(any::<char>(), 0..600).prop_map(String::from_iter),
        "[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,80}\\.[A-Za-z0-9_-]{0,90}",
        "exp_pat_[A-Za-z0-9_-]{0,50}",
        "exp_rt_[A-Za-z0-9_-]{0,50}",
    ];
    let outcome = tokio::task::spawn_blocking(move || {
        TestRunner::new(config(1_500)).run(&text, |token| {
            prop_assume!(token != valid);
            let verdicts = handle.block_on(verifiers.verdicts(&token));
            prop_assert!(verdicts.iter().all(Result::is_err), "{:?}: {:?}", token, verdicts);
            Ok(())
        })
    })
    .await
    .unwrap();
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    app.stop().await;
}
