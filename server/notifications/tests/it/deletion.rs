//! A deleted account, on both backends: `account.deleted` erases everything the service holds of
//! the user, a redelivery of it is harmless, and an event about the user that arrives later (an
//! `expense.created` still in flight) brings nothing back. Another user's data stays.

use expense_api::events::{ACCOUNT_DELETED, EXPENSE_CREATED};
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{BACKENDS, TestApp};

#[tokio::test]
async fn a_deleted_account_is_erased_and_late_events_bring_nothing_back() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let bob = app.user("bob").await;
        let day = app.today();
        for caller in [&ada, &bob] {
            app.budget(caller, "food", "10.00", 1).await;
            app.spend(caller, "food", "9.50", day).await;
        }
        app.settle().await;
        let store = app.service.store();
        for caller in [&ada, &bob] {
            assert!(
                !store
                    .notifications(caller.id, false, None, 10)
                    .await
                    .unwrap()
                    .is_empty()
            );
        }
        let created = app
            .published()
            .into_iter()
            .find(|event| event.kind == EXPENSE_CREATED && event.user_id == ada.id)
            .expect("Ada's expense.created");

        let gone = app
            .request(&ada, Method::DELETE, "/v1/me")
            .json(&json!({ "password": "correct horse battery staple" }))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), StatusCode::ACCEPTED, "{backend:?}");
        app.settle().await;
        let deletion = app
            .published()
            .into_iter()
            .find(|event| event.kind == ACCOUNT_DELETED)
            .expect("account.deleted");
        assert_eq!(deletion.user_id, ada.id);

        // The expense event again, as a late publication (a new id), and the deletion redelivered.
        let late = expense_kit::events::Event {
            id: Uuid::now_v7(),
            ..created
        };
        app.service.handle_event(&late).await.unwrap();
        app.service.handle_event(&deletion).await.unwrap();

        let (from, to) = (day - time::Duration::days(40), day + time::Duration::days(40));
        assert!(
            store.month_totals(ada.id, from, to).await.unwrap().is_empty(),
            "{backend:?}"
        );
        assert!(store.budgets(ada.id).await.unwrap().is_empty(), "{backend:?}");
        assert!(store.settings(ada.id).await.unwrap().is_none(), "{backend:?}");
        assert!(
            store
                .notifications(ada.id, false, None, 10)
                .await
                .unwrap()
                .is_empty(),
            "{backend:?}"
        );
        // Bob's copies, settings and notification are untouched.
        assert_eq!(
            store.month_totals(bob.id, from, to).await.unwrap().len(),
            1,
            "{backend:?}"
        );
        assert_eq!(store.budgets(bob.id).await.unwrap().len(), 1, "{backend:?}");
        assert!(store.settings(bob.id).await.unwrap().is_some(), "{backend:?}");
        assert!(
            !store
                .notifications(bob.id, false, None, 10)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
