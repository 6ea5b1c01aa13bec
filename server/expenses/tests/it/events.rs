//! Every change to an expense or budget is published once, through the outbox, with its payload.

use std::time::Duration;

use expense_kit::events::Event;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{BACKENDS, TestApp, expense};

async fn next(receiver: &mut tokio::sync::broadcast::Receiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(10), receiver.recv())
        .await
        .expect("an event within 10 s")
        .expect("the bus is open")
}

#[tokio::test]
async fn changes_are_published_through_the_outbox() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let mut events = app.bus.subscribe();
        let ada = app.user("ada").await;
        let created = app.create(&ada, expense(json!({ "note": "first" }))).await;
        let event = next(&mut events).await;
        assert_eq!(event.kind, "expense.created", "{backend:?}");
        assert_eq!(event.data["expense"]["id"], created.id.to_string());
        assert_eq!(event.data["expense"]["amount"], "12.50");
        let ada_id = event.user_id;

        let patched = app
            .request(&ada, Method::PATCH, &format!("/v1/expenses/{}", created.id))
            .json(&json!({ "amount": "20.00" }))
            .send()
            .await
            .unwrap();
        assert_eq!(patched.status(), 200);
        let event = next(&mut events).await;
        assert_eq!(event.kind, "expense.updated");
        assert_eq!(
            (
                event.data["previous"]["amount"].as_str(),
                event.data["expense"]["amount"].as_str()
            ),
            (Some("12.50"), Some("20.00"))
        );

        let budget = app
            .request(&ada, Method::PUT, "/v1/budgets/groceries")
            .json(&json!({ "amount": "100", "currency": "EUR" }))
            .send()
            .await
            .unwrap();
        assert_eq!(budget.status(), 201);
        let event = next(&mut events).await;
        assert_eq!(event.kind, "budget.updated");
        assert_eq!(event.data["budget"]["amount"], "100.00");

        let deleted = app
            .request(&ada, Method::DELETE, &format!("/v1/expenses/{}", created.id))
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 204);
        let event = next(&mut events).await;
        assert_eq!(event.kind, "expense.deleted");
        assert_eq!(event.user_id, ada_id);

        // A refused change publishes nothing.
        let refused = app
            .post(&ada, "/v1/expenses", &expense(json!({ "amount": "x" })))
            .await;
        assert_eq!(refused.status(), 422);
        assert!(
            tokio::time::timeout(Duration::from_millis(300), events.recv())
                .await
                .is_err(),
            "no event for a refused change"
        );
    }
}
