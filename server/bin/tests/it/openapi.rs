//! The committed OpenAPI document matches the code, and the running server serves it.

use std::path::PathBuf;

use expense_server::{Role, Settings};

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/api/openapi.json")
}

#[test]
fn committed_document_is_current() {
    let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
    assert!(
        committed == expense_server::openapi_json(),
        "docs/api/openapi.json is stale: run `cargo xtask codegen` and commit the result"
    );
}

#[tokio::test]
async fn the_served_document_is_the_committed_one() {
    let data = tempfile::tempdir().unwrap();
    let settings = Settings::for_tests(data.path());
    let app = expense_server::build(&settings, Role::All).await.unwrap();
    let url = format!("http://{}/openapi.json", app.local_addr());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let served: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    let committed: serde_json::Value = serde_json::from_str(&expense_server::openapi_json()).unwrap();
    assert_eq!(served, committed);
    assert_eq!(served["openapi"], "3.1.0");
    for path in [
        "/v1/auth/register",
        "/v1/auth/login",
        "/v1/auth/refresh",
        "/v1/auth/logout",
        "/v1/me",
        "/.well-known/jwks.json",
    ] {
        assert!(served["paths"][path].is_object(), "{path} is documented");
    }
}
