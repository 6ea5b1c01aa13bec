//! The auth service: accounts, sessions, personal access tokens, the JWKS, administration.
//!
//! Reading order: [`domain`] (valid values), [`repository`] (storage traits and their Postgres
//! and SQLite implementations), [`service`] (the rules), [`http`] (thin handlers). Supporting
//! modules: [`keys`] (Ed25519 signing keys and the JWKS), [`tokens`] (opaque secrets),
//! [`password`] (argon2id), [`rate_limit`] (login limits), [`outbox`] (the relay that publishes
//! `account.deleted`), [`error`] (errors → problem+json).
//!
//! The auth service is the only one that signs tokens or knows passwords. Other services never
//! call its storage: they verify tokens with the kit's `RemoteAuthenticator`.

pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod keys;
pub mod outbox;
pub mod password;
pub mod rate_limit;
pub mod repository;
pub mod service;
pub mod tokens;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use expense_kit::ServicePart;
use expense_kit::clock::Clock;
use expense_kit::config::DatabaseConfig;
use expense_kit::db::{DatabaseCheck, DbPool, MigrationFile, ServiceMigrations, SqlDb};
use expense_kit::events::EventBus;

pub use config::AuthConfig;
pub use service::AuthService;

use crate::http::{AuthState, LocalAuthenticator};
use crate::keys::SigningKeys;
use crate::repository::AuthStore;
use crate::repository::store::SqlAuthStore;

/// Name of the service: its Postgres schema and its SQLite file.
pub const SERVICE: &str = "auth";

/// The service's migrations, compiled in.
pub static MIGRATIONS: ServiceMigrations = ServiceMigrations {
    postgres: &[
        MigrationFile {
            version: 1,
            description: "accounts",
            sql: include_str!("../migrations/postgres/0001_accounts.sql"),
        },
        MigrationFile {
            version: 2,
            description: "session generation",
            sql: include_str!("../migrations/postgres/0002_session_generation.sql"),
        },
        MigrationFile {
            version: 3,
            description: "outbox",
            sql: include_str!("../migrations/postgres/0003_outbox.sql"),
        },
    ],
    sqlite: &[
        MigrationFile {
            version: 1,
            description: "accounts",
            sql: include_str!("../migrations/sqlite/0001_accounts.sql"),
        },
        MigrationFile {
            version: 2,
            description: "session generation",
            sql: include_str!("../migrations/sqlite/0002_session_generation.sql"),
        },
        MigrationFile {
            version: 3,
            description: "outbox",
            sql: include_str!("../migrations/sqlite/0003_outbox.sql"),
        },
    ],
};

/// The store for a pool of either backend.
pub fn store(pool: &DbPool) -> Arc<dyn AuthStore> {
    Arc::new(SqlAuthStore::new(SqlDb::of(pool)))
}

/// Opens the database (migrating it if configured), loads the keys and builds the service, which
/// reads the time from `clock`.
pub async fn open(
    config: &AuthConfig,
    database: &DatabaseConfig,
    data_dir: &Path,
    clock: Clock,
) -> anyhow::Result<(Arc<AuthService>, DbPool)> {
    let pool = DbPool::connect(database, data_dir, SERVICE).await?;
    if database.migrate_on_start {
        pool.migrate(&MIGRATIONS).await?;
    }
    let keys = match &config.secret_keys {
        Some(secret) => {
            let published: Vec<String> = secret.published.iter().map(|pem| pem.expose().clone()).collect();
            SigningKeys::from_pems(secret.signing.expose(), &published)?
        }
        None => SigningKeys::load(
            config.jwt_private_key_file.as_deref(),
            &config.jwt_published_key_files,
            data_dir,
        )?,
    };
    tracing::info!(
        backend = pool.backend(),
        kid = keys.signing_kid(),
        "auth service ready"
    );
    let service = Arc::new(AuthService::new(store(&pool), Arc::new(keys), config, clock));
    Ok((service, pool))
}

/// How often the outbox relay looks for events a crashed replica left (a deletion wakes it at
/// once).
const OUTBOX_POLL: Duration = Duration::from_secs(1);

/// The service's part of an application, the relay publishing its outbox to `bus`, and a
/// background task bounding the rate limiter's memory.
pub fn part(
    service: Arc<AuthService>,
    pool: DbPool,
    trusted_proxy_hops: usize,
    bus: Arc<dyn EventBus>,
) -> ServicePart {
    tokio::spawn(service.relay(bus, OUTBOX_POLL).run());
    let sweeper = Arc::clone(&service);
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(60));
        loop {
            interval.tick().await;
            sweeper.limiter().forget_idle();
        }
    });
    let state = AuthState {
        authenticator: Arc::new(LocalAuthenticator(Arc::clone(&service))),
        service,
        trusted_proxy_hops,
    };
    ServicePart {
        name: SERVICE,
        router: http::router(state),
        readiness: vec![Arc::new(DatabaseCheck {
            name: "auth-database",
            pool,
        })],
        raw_routes: None,
    }
}
