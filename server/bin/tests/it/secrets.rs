//! Secrets from AWS Secrets Manager (on moto), as on EKS: the auth role reads its database
//! credentials and JWT keys at start, and keeps working after the database password is rotated
//! under it. The Postgres server here demands passwords (scram-sha-256), so a wrong one fails.

use std::process::Stdio;
use std::time::{Duration, Instant};

use aws_sdk_secretsmanager::config::Credentials;
use expense_testkit::free_port;
use expense_testkit::moto::MotoServer;
use expense_testkit::postgres::EphemeralPostgres;
use serde_json::{Value, json};
use sqlx::Connection;

const DB_USER: &str = "expense_app";

async fn admin(pg: &EphemeralPostgres, sql: &str) {
    let mut connection = sqlx::PgConnection::connect(&pg.admin_url()).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut connection)
        .await
        .unwrap();
    connection.close().await.unwrap();
}

async fn secrets_client(moto: &MotoServer) -> aws_sdk_secretsmanager::Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(moto.endpoint())
        .credentials_provider(Credentials::new("testing", "testing", None, None, "test"))
        .load()
        .await;
    aws_sdk_secretsmanager::Client::new(&config)
}

/// Registers a fresh account; the status code.
async fn register(base: &str) -> u16 {
    let email = format!("rotation-{}@example.com", uuid_like());
    reqwest::Client::new()
        .post(format!("{base}/v1/auth/register"))
        .json(&json!({ "email": email, "password": "correct horse battery staple" }))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

fn uuid_like() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_auth_role_reads_its_secrets_and_survives_a_password_rotation() {
    let pg = EphemeralPostgres::start_with_password("admin-secret").expect("Postgres must start");
    admin(
        &pg,
        &format!("CREATE ROLE {DB_USER} LOGIN PASSWORD 'first-password'"),
    )
    .await;
    admin(&pg, &format!("CREATE DATABASE expense OWNER {DB_USER}")).await;
    let moto = MotoServer::start().expect("moto must run (run the suite with `cargo xtask test`)");
    let secrets = secrets_client(&moto).await;
    let rds_secret = |password: &str| {
        json!({ "engine": "postgres", "username": DB_USER, "password": password }).to_string()
    };
    let database_arn = secrets
        .create_secret()
        .name("expense/database")
        .secret_string(rds_secret("first-password"))
        .send()
        .await
        .unwrap()
        .arn
        .unwrap();
    let (current, next) = (
        expense_auth::keys::generate_pem(),
        expense_auth::keys::generate_pem(),
    );
    let jwt_arn = secrets
        .create_secret()
        .name("expense/jwt")
        .secret_string(&current)
        .send()
        .await
        .unwrap()
        .arn
        .unwrap();
    secrets
        .put_secret_value()
        .secret_id(&jwt_arn)
        .secret_string(&next)
        .version_stages("AWSPENDING")
        .send()
        .await
        .unwrap();

    let data = tempfile::tempdir().unwrap();
    let port = free_port().expect("a free loopback port");
    let base = format!("http://127.0.0.1:{port}");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_expense-server"))
        .arg("auth")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("EXPENSE_BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("EXPENSE_DATA_DIR", data.path())
        .env("EXPENSE_LOG", "warn")
        .env(
            "DATABASE_URL",
            format!("postgres://127.0.0.1:{}/expense", pg.port()),
        )
        .env("DATABASE_SECRET_ARN", &database_arn)
        .env("DATABASE_CREDENTIALS_CHECK_SECS", "1")
        .env("JWT_SIGNING_KEY_SECRET_ARN", &jwt_arn)
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while reqwest::get(format!("{base}/readyz"))
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
        != 200
    {
        assert!(Instant::now() < deadline, "the auth role never became ready");
        assert!(child.try_wait().unwrap().is_none(), "the auth role exited");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(register(&base).await, 201, "the credentials from the secret work");

    // The JWKS publishes the current key and the pending one; tokens are signed with the current.
    let jwks: Value = reqwest::get(format!("{base}/.well-known/jwks.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    let current_kid = expense_auth::keys::SigningKeys::from_pems(&current, &[])
        .unwrap()
        .signing_kid()
        .to_owned();
    let next_kid = expense_auth::keys::SigningKeys::from_pems(&next, &[])
        .unwrap()
        .signing_kid()
        .to_owned();
    assert_eq!(kids, [current_kid.as_str(), next_kid.as_str()]);

    // Rotation: the database gets a new password and the secret with it; open sessions end.
    admin(&pg, &format!("ALTER ROLE {DB_USER} PASSWORD 'second-password'")).await;
    secrets
        .put_secret_value()
        .secret_id(&database_arn)
        .secret_string(rds_secret("second-password"))
        .send()
        .await
        .unwrap();
    admin(
        &pg,
        &format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{DB_USER}'"),
    )
    .await;

    let rotated = Instant::now();
    let mut seen = Vec::new();
    let recovered = loop {
        let status = register(&base).await;
        seen.push(status);
        if status == 201 {
            break rotated.elapsed();
        }
        assert!(
            rotated.elapsed() < Duration::from_secs(20),
            "not recovered after 20 s: {seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        seen.iter().all(|status| matches!(status, 201 | 503)),
        "while refused, the answer is 503 (retry), never a 500: {seen:?}"
    );
    assert!(
        recovered < Duration::from_secs(5),
        "recovered after {recovered:?}"
    );
    eprintln!("recovered {recovered:?} after the rotation; answers meanwhile: {seen:?}");
    child.kill().await.unwrap();
}
