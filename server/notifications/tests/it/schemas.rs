//! The event JSON Schemas under `docs/events/`: current with the types they are generated from,
//! and satisfied by every event the services really publish (one of each type, produced through
//! the API).

use std::path::PathBuf;

use expense_api::events::EVENT_TYPES;
use expense_api::periods::monthly_period;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp};

fn docs_events() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/events")
}

fn committed(kind: &str) -> Value {
    let path = docs_events().join(format!("{kind}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .expect("a valid JSON Schema")
}

#[test]
fn committed_schemas_are_current() {
    let generated = expense_api::events::json_schemas();
    assert_eq!(generated.len(), EVENT_TYPES.len());
    for (name, schema) in generated {
        let kind = name.trim_end_matches(".schema.json");
        assert!(
            committed(kind) == schema,
            "docs/events/{name} is stale: run `cargo xtask codegen` and commit the result"
        );
    }
    let files = std::fs::read_dir(docs_events())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".schema.json")
        })
        .count();
    assert_eq!(files, EVENT_TYPES.len(), "a schema file without an event type");
}

#[test]
fn schemas_refuse_what_consumers_could_not_read() {
    let schema = validator(&committed("budget.deleted"));
    let good = json!({
        "id": "01a2194d-3eb0-7218-ac95-b8fd0da76dad",
        "type": "budget.deleted",
        "occurred_at": "2026-11-26T19:20:22.448750Z",
        "user_id": "01a2193c-c352-7641-8580-74bf2f70f76f",
        "data": { "category": "food" },
    });
    assert!(schema.is_valid(&good));
    for (field, bad) in [
        ("type", json!("expense.created")),
        ("id", json!("not-a-uuid")),
        ("occurred_at", json!("yesterday")),
        ("data", json!({ "category": 7 })),
        ("data", json!({ "category": "food", "extra": true })),
    ] {
        let mut event = good.clone();
        event[field] = bad.clone();
        assert!(!schema.is_valid(&event), "{field} = {bad} should be refused");
    }
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("user_id");
    assert!(!schema.is_valid(&missing));
}

#[tokio::test]
async fn every_published_event_satisfies_its_schema() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ada = app.user("ada").await;
    let day = monthly_period(app.today(), 1).0;
    app.budget(&ada, "snacks", "50.00", 1).await;
    app.budget(&ada, "treats", "20.00", 1).await;
    let converting = app
        .send(
            &ada,
            Method::PUT,
            "/v1/budgets/total",
            &json!({ "amount": "500", "currency": "EUR", "convert": true }),
        )
        .await;
    assert!(converting.status().is_success());
    for method in [Method::PUT, Method::DELETE] {
        let rate = app
            .send(
                &ada,
                method,
                "/v1/rates/EUR/USD/2026-11-02",
                &json!({ "rate": "1.0812" }),
            )
            .await;
        assert!(rate.status().is_success(), "{}", rate.text().await.unwrap());
    }
    let crisps = app.spend(&ada, "snacks", "2.50", day).await;
    let crisps = app.change_amount(&ada, &crisps, "3.00").await;
    let deleted = app
        .request(&ada, Method::DELETE, &format!("/v1/expenses/{}", crisps.id))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    app.spend(&ada, "snacks", "1.00", day).await;
    let renamed = app
        .send(
            &ada,
            Method::POST,
            "/v1/categories/snacks/rename",
            &json!({ "name": "nibbles" }),
        )
        .await;
    assert!(renamed.status().is_success(), "{}", renamed.text().await.unwrap());
    let merged = app
        .send(
            &ada,
            Method::POST,
            "/v1/categories/nibbles/merge",
            &json!({ "into": "treats" }),
        )
        .await;
    assert!(merged.status().is_success(), "{}", merged.text().await.unwrap());
    let dropped = app
        .request(&ada, Method::DELETE, "/v1/budgets/treats")
        .send()
        .await
        .unwrap();
    assert_eq!(dropped.status(), StatusCode::NO_CONTENT);
    let leaving = app.user("leaving").await;
    let gone = app
        .request(&leaving, Method::DELETE, "/v1/me")
        .json(&json!({ "password": "correct horse battery staple" }))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::ACCEPTED);
    app.settle().await;

    let events = app.published();
    for kind in EVENT_TYPES {
        let schema = validator(&committed(kind));
        let of_kind: Vec<&expense_kit::events::Event> = events.iter().filter(|e| e.kind == kind).collect();
        assert!(!of_kind.is_empty(), "no {kind} event was published");
        for event in of_kind {
            let json = serde_json::to_value(event).unwrap();
            let errors: Vec<String> = schema
                .iter_errors(&json)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{kind} does not match its schema: {errors:?}\n{json:#}"
            );
        }
    }
}
