//! Keyset pagination is stable under concurrent writes: paging through 5,000 expenses while
//! others are inserted and deleted never skips or repeats an expense that stayed put.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use expense_api::Page;
use expense_api::expenses::Expense;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{BACKENDS, TestApp, expense};

#[tokio::test]
async fn paging_while_inserting_and_deleting_skips_and_repeats_nothing() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        // 5,000 expenses over ~6 months, many sharing a day (so the id breaks ties).
        let mut stable: HashSet<Uuid> = HashSet::new();
        let mut doomed: Vec<Uuid> = Vec::new();
        for batch in 0..5 {
            let items: Vec<Value> = (0..1000)
                .map(|n| {
                    let day = (batch * 1000 + n) % 180;
                    let date = time::macros::date!(2026 - 05 - 01) + time::Duration::days(day);
                    expense(json!({ "spent_on": date.to_string(), "amount": format!("{}.00", n + 1) }))
                })
                .collect();
            let stored: expense_api::expenses::BatchResponse = app
                .post(&ada, "/v1/expenses/batch", &json!({ "items": items }))
                .await
                .json()
                .await
                .unwrap();
            for (index, item) in stored.items.into_iter().enumerate() {
                // Every seventh expense will be deleted while we page.
                if index % 7 == 0 {
                    doomed.push(item.id)
                } else {
                    stable.insert(item.id);
                }
            }
        }

        // A writer inserts (on days spread over the whole range) and deletes while we page.
        let writes = Arc::new(AtomicUsize::new(0));
        let writer = {
            let writes = Arc::clone(&writes);
            let client = app.client.clone();
            let base = app.base.clone();
            let token = ada.token.clone();
            tokio::spawn(async move {
                let mut inserted = 0;
                for (n, id) in doomed.into_iter().enumerate() {
                    let delete = client
                        .delete(format!("{base}/v1/expenses/{id}"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(delete.status(), 204);
                    writes.fetch_add(1, Ordering::SeqCst);
                    if n % 3 == 0 {
                        let date =
                            time::macros::date!(2026 - 05 - 01) + time::Duration::days((n % 180) as i64);
                        let created = client
                            .post(format!("{base}/v1/expenses"))
                            .bearer_auth(&token)
                            .json(&expense(json!({ "spent_on": date.to_string() })))
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(created.status(), 201);
                        inserted += 1;
                    }
                }
                inserted
            })
        };

        let mut seen: HashSet<Uuid> = HashSet::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        let mut writes_at_first_page = None;
        loop {
            // Paced, so the writer's changes land between our pages.
            tokio::time::sleep(Duration::from_millis(20)).await;
            writes_at_first_page.get_or_insert(writes.load(Ordering::SeqCst));
            let path = match &cursor {
                Some(cursor) => format!("/v1/expenses?limit=97&cursor={cursor}"),
                None => "/v1/expenses?limit=97".to_owned(),
            };
            let page: Page<Expense> = app
                .request(&ada, Method::GET, &path)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            pages += 1;
            for item in &page.items {
                assert!(seen.insert(item.id), "{backend:?}: {} appeared twice", item.id);
            }
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let writes_at_last_page = writes.load(Ordering::SeqCst);
        let inserted = writer.await.unwrap();
        assert!(
            writes_at_last_page > writes_at_first_page.unwrap_or_default(),
            "{backend:?}: the writer changed nothing while we paged"
        );
        let missing: Vec<&Uuid> = stable.iter().filter(|id| !seen.contains(id)).collect();
        assert!(
            missing.is_empty(),
            "{backend:?}: {} stable expenses were skipped",
            missing.len()
        );
        assert!(pages > 40, "{pages} pages");
        assert!(inserted > 0);
    }
}
