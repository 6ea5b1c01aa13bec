//! The repository conformance suite: every case runs against SQLite and Postgres.

use std::sync::Arc;

use expense_api::money::{Currency, Money};
use expense_expenses::domain::ExpenseFields;
use expense_expenses::repository::{
    BudgetMove, BudgetRecord, ExpenseFilter, ExpenseRecord, ExpenseStore, GroupBy, Insert, ListCursor,
    OutboxEvent, StoredResponse,
};
use expense_kit::db::DbPool;
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

use crate::helpers::{BACKENDS, Backend, START, database};

/// The time every record here is stamped with: the stores take time as a parameter and read no
/// clock of their own.
const NOW: time::OffsetDateTime = START;

/// A fresh, migrated store on `backend`.
async fn open(backend: Backend) -> (Arc<dyn ExpenseStore>, DbPool, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let config = database(backend).await;
    let pool = DbPool::connect(&config, data.path(), expense_expenses::SERVICE)
        .await
        .unwrap();
    pool.migrate(&expense_expenses::MIGRATIONS).await.unwrap();
    pool.migrate(&expense_expenses::MIGRATIONS).await.unwrap();
    (expense_expenses::store(&pool), pool, data)
}

/// Runs `case` once per backend on a fresh store.
pub async fn each_store<F, Fut>(case: F)
where
    F: Fn(Arc<dyn ExpenseStore>, Backend) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in BACKENDS {
        let (store, pool, _data) = open(backend).await;
        case(store, backend).await;
        pool.close().await;
    }
}

fn money(amount: &str, code: &str) -> Money {
    Money::parse(amount, code.parse::<Currency>().unwrap()).unwrap()
}

pub fn record(user_id: Uuid, amount: &str, code: &str, category: &str, spent_on: Date) -> ExpenseRecord {
    let now = NOW;
    ExpenseRecord {
        id: Uuid::now_v7(),
        user_id,
        fields: ExpenseFields {
            money: money(amount, code),
            category: category.to_owned(),
            note: Some(format!("Note about {category}")),
            merchant: Some("Corner Shop".to_owned()),
            spent_on,
            tags: vec!["home".to_owned(), "weekly".to_owned()],
        },
        created_at: now,
        updated_at: now,
        version: 1,
        recurring_id: None,
    }
}

fn event(user_id: Uuid, kind: &str) -> OutboxEvent {
    OutboxEvent {
        id: Uuid::now_v7(),
        user_id,
        event_type: kind.to_owned(),
        payload: serde_json::json!({ "kind": kind }).to_string(),
        created_at: NOW,
    }
}

pub async fn insert(store: &Arc<dyn ExpenseStore>, records: &[ExpenseRecord]) {
    let user = records[0].user_id;
    let events: Vec<_> = records.iter().map(|_| event(user, "expense.created")).collect();
    assert_eq!(
        store.insert_expenses(user, records, &events, None).await.unwrap(),
        Insert::Inserted
    );
}

#[tokio::test]
async fn expenses_round_trip_and_are_scoped_to_their_owner() {
    each_store(|store, backend| async move {
        let ada = Uuid::now_v7();
        let bob = Uuid::now_v7();
        let expense = record(ada, "-3.990", "KWD", "refunds", date!(2026 - 11 - 02));
        insert(&store, std::slice::from_ref(&expense)).await;
        assert_eq!(
            store.expense(ada, expense.id).await.unwrap(),
            Some(expense.clone()),
            "{backend:?}"
        );
        assert_eq!(
            store.expense(bob, expense.id).await.unwrap(),
            None,
            "another user's expense is invisible"
        );
        assert!(
            store
                .list_expenses(bob, &ExpenseFilter::default(), None, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(store.categories(bob).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn updates_and_deletes_check_the_version() {
    each_store(|store, backend| async move {
        let ada = Uuid::now_v7();
        let original = record(ada, "10", "EUR", "food", date!(2026 - 11 - 02));
        insert(&store, std::slice::from_ref(&original)).await;
        let mut changed = original.clone();
        changed.fields.money = money("11.00", "EUR");
        changed.fields.note = None;
        changed.fields.tags = vec![];
        changed.version = 2;
        changed.updated_at = NOW;
        assert!(
            !store
                .update_expense(&changed, 7, &event(ada, "expense.updated"))
                .await
                .unwrap(),
            "stale version"
        );
        assert!(
            store
                .update_expense(&changed, 1, &event(ada, "expense.updated"))
                .await
                .unwrap()
        );
        assert_eq!(
            store.expense(ada, original.id).await.unwrap(),
            Some(changed.clone()),
            "{backend:?}"
        );
        assert!(
            !store
                .update_expense(&changed, 1, &event(ada, "expense.updated"))
                .await
                .unwrap(),
            "lost update refused"
        );
        assert!(
            !store
                .delete_expense(ada, original.id, 1, &event(ada, "expense.deleted"))
                .await
                .unwrap()
        );
        assert!(
            !store
                .delete_expense(Uuid::now_v7(), original.id, 2, &event(ada, "expense.deleted"))
                .await
                .unwrap()
        );
        assert!(
            store
                .delete_expense(ada, original.id, 2, &event(ada, "expense.deleted"))
                .await
                .unwrap()
        );
        assert_eq!(store.expense(ada, original.id).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn lists_are_ordered_paged_and_filtered() {
    each_store(|store, backend| async move {
        let ada = Uuid::now_v7();
        let records = vec![
            record(ada, "5.00", "EUR", "food", date!(2026 - 11 - 01)),
            record(ada, "1200", "JPY", "travel", date!(2026 - 11 - 03)),
            record(ada, "20.00", "EUR", "food", date!(2026 - 11 - 03)),
            record(ada, "-2.000", "KWD", "refunds", date!(2026 - 10 - 15)),
            record(ada, "12.345", "KWD", "travel", date!(2026 - 11 - 02)),
        ];
        insert(&store, &records).await;
        let all = store
            .list_expenses(ada, &ExpenseFilter::default(), None, 50)
            .await
            .unwrap();
        let order: Vec<(Date, Uuid)> = all.iter().map(|r| (r.fields.spent_on, r.id)).collect();
        let mut expected = order.clone();
        expected.sort_by(|a, b| b.cmp(a));
        assert_eq!(
            order, expected,
            "{backend:?}: newest day first, then id descending"
        );

        // Pages of two, following the keyset, give the same sequence.
        let mut paged = Vec::new();
        let mut after: Option<ListCursor> = None;
        loop {
            let page = store
                .list_expenses(ada, &ExpenseFilter::default(), after, 2)
                .await
                .unwrap();
            if page.is_empty() {
                break;
            }
            after = page.last().map(|r| ListCursor {
                spent_on: r.fields.spent_on,
                id: r.id,
            });
            paged.extend(page.into_iter().map(|r| r.id));
        }
        assert_eq!(paged, all.iter().map(|r| r.id).collect::<Vec<_>>());

        let count = |filter: ExpenseFilter| {
            let store = Arc::clone(&store);
            async move { store.list_expenses(ada, &filter, None, 50).await.unwrap().len() }
        };
        assert_eq!(
            count(ExpenseFilter {
                categories: vec!["food".into(), "refunds".into()],
                ..Default::default()
            })
            .await,
            3
        );
        assert_eq!(
            count(ExpenseFilter {
                from: Some(date!(2026 - 11 - 02)),
                ..Default::default()
            })
            .await,
            3
        );
        assert_eq!(
            count(ExpenseFilter {
                to: Some(date!(2026 - 11 - 01)),
                ..Default::default()
            })
            .await,
            2
        );
        assert_eq!(
            count(ExpenseFilter {
                currency: Some("KWD".into()),
                ..Default::default()
            })
            .await,
            2
        );
        assert_eq!(
            count(ExpenseFilter {
                tag: Some("weekly".into()),
                ..Default::default()
            })
            .await,
            5
        );
        assert_eq!(
            count(ExpenseFilter {
                tag: Some("nope".into()),
                ..Default::default()
            })
            .await,
            0
        );
        assert_eq!(
            count(ExpenseFilter {
                text: Some("about trav".into()),
                ..Default::default()
            })
            .await,
            2
        );
        assert_eq!(
            count(ExpenseFilter {
                text: Some("corner".into()),
                ..Default::default()
            })
            .await,
            5
        );
        // Amount bounds apply in each expense's own currency: 12.5 ≤ amount ≤ 1200.
        let bounded = ExpenseFilter {
            min_scaled: Some(125_000),
            max_scaled: Some(12_000_000),
            ..Default::default()
        };
        let found = store.list_expenses(ada, &bounded, None, 50).await.unwrap();
        let mut amounts: Vec<String> = found.iter().map(|r| r.fields.money.to_string()).collect();
        amounts.sort();
        assert_eq!(amounts, ["1200 JPY", "20.00 EUR"], "{backend:?}");
        let refunds = ExpenseFilter {
            max_scaled: Some(0),
            ..Default::default()
        };
        assert_eq!(count(refunds).await, 1);
    })
    .await;
}

#[tokio::test]
async fn categories_are_counted_renamed_and_merged() {
    each_store(|store, backend| async move {
        let ada = Uuid::now_v7();
        insert(
            &store,
            &[
                record(ada, "1", "EUR", "food", date!(2026 - 11 - 01)),
                record(ada, "2", "EUR", "food", date!(2026 - 11 - 01)),
                record(ada, "3", "EUR", "snacks", date!(2026 - 11 - 01)),
            ],
        )
        .await;
        assert_eq!(
            store.categories(ada).await.unwrap(),
            [("food".to_owned(), 2), ("snacks".to_owned(), 1)]
        );
        assert!(store.category_exists(ada, "snacks").await.unwrap());
        assert!(!store.category_exists(ada, "travel").await.unwrap());
        let at = NOW;
        let budget = |category: &str, amount: &str| BudgetRecord {
            user_id: ada,
            category: category.to_owned(),
            amount: money(amount, "EUR"),
            period: "monthly".into(),
            starts_on_day: 1,
            convert: false,
            created_at: at,
            updated_at: at,
        };
        store
            .put_budget(&budget("snacks", "10"), &event(ada, "budget.updated"))
            .await
            .unwrap();
        store
            .put_budget(&budget("food", "300"), &event(ada, "budget.updated"))
            .await
            .unwrap();

        let moved = store
            .move_category(
                ada,
                "snacks",
                "treats",
                BudgetMove::Rename,
                &event(ada, "category.renamed"),
                at,
            )
            .await
            .unwrap();
        assert_eq!(moved, 1);
        let categories: Vec<String> = store
            .budgets(ada)
            .await
            .unwrap()
            .into_iter()
            .map(|b| b.category)
            .collect();
        assert_eq!(
            categories,
            ["food", "treats"],
            "{backend:?}: the budget moved with the category"
        );

        let moved = store
            .move_category(
                ada,
                "treats",
                "food",
                BudgetMove::Merge,
                &event(ada, "category.merged"),
                at,
            )
            .await
            .unwrap();
        assert_eq!(moved, 1);
        assert_eq!(store.categories(ada).await.unwrap(), [("food".to_owned(), 3)]);
        let budgets = store.budgets(ada).await.unwrap();
        assert_eq!(budgets.len(), 1, "the target kept its own budget");
        assert_eq!(budgets[0].amount, money("300", "EUR"));
        let food = store
            .list_expenses(ada, &ExpenseFilter::default(), None, 10)
            .await
            .unwrap();
        assert!(
            food.iter().any(|r| r.version == 3),
            "moved expenses get new versions"
        );
    })
    .await;
}

#[tokio::test]
async fn summaries_total_per_group_and_currency() {
    each_store(|store, backend| async move {
        let ada = Uuid::now_v7();
        insert(
            &store,
            &[
                record(ada, "10.50", "EUR", "food", date!(2026 - 11 - 01)),
                record(ada, "2.25", "EUR", "food", date!(2026 - 11 - 20)),
                record(ada, "1000", "JPY", "food", date!(2026 - 11 - 20)),
                record(ada, "-1.000", "KWD", "travel", date!(2026 - 10 - 31)),
            ],
        )
        .await;
        let by_category = store
            .summary(
                ada,
                GroupBy::Category,
                date!(2026 - 11 - 01),
                date!(2026 - 11 - 30),
            )
            .await
            .unwrap();
        let rows: Vec<(String, String, String, i64)> = by_category
            .iter()
            .map(|r| (r.key.clone(), r.currency.clone(), r.amount(), r.count))
            .collect();
        assert_eq!(
            rows,
            [
                ("food".into(), "EUR".into(), "12.75".into(), 2),
                ("food".into(), "JPY".into(), "1000".into(), 1)
            ],
            "{backend:?}"
        );
        let by_month = store
            .summary(ada, GroupBy::Month, date!(2026 - 10 - 01), date!(2026 - 11 - 30))
            .await
            .unwrap();
        let keys: Vec<&str> = by_month.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["2026-10", "2026-11", "2026-11"]);
        assert_eq!(by_month[0].amount(), "-1.000");
        let by_day = store
            .summary(ada, GroupBy::Day, date!(2026 - 11 - 20), date!(2026 - 11 - 20))
            .await
            .unwrap();
        assert_eq!(
            by_day.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
            ["2026-11-20", "2026-11-20"]
        );
    })
    .await;
}

#[tokio::test]
async fn budgets_are_created_replaced_measured_and_deleted() {
    each_store(|store, backend| async move {
        let ada = Uuid::now_v7();
        let at = NOW;
        let mut budget = BudgetRecord {
            user_id: ada,
            category: "total".into(),
            amount: money("500", "EUR"),
            period: "monthly".into(),
            starts_on_day: 25,
            convert: false,
            created_at: at,
            updated_at: at,
        };
        assert!(
            store
                .put_budget(&budget, &event(ada, "budget.updated"))
                .await
                .unwrap(),
            "{backend:?}: created"
        );
        budget.amount = money("600", "EUR");
        budget.convert = true;
        assert!(
            !store
                .put_budget(&budget, &event(ada, "budget.updated"))
                .await
                .unwrap(),
            "replaced"
        );
        let stored = &store.budgets(ada).await.unwrap()[0];
        assert_eq!((&stored.amount, stored.convert), (&money("600", "EUR"), true));
        assert!(store.budgets(Uuid::now_v7()).await.unwrap().is_empty());

        insert(
            &store,
            &[
                record(ada, "40", "EUR", "food", date!(2026 - 11 - 25)),
                record(ada, "-5", "EUR", "food", date!(2026 - 12 - 01)),
                record(ada, "7", "USD", "food", date!(2026 - 12 - 02)),
                record(ada, "99", "EUR", "food", date!(2026 - 11 - 24)),
            ],
        )
        .await;
        let spent = store
            .spent(ada, None, date!(2026 - 11 - 25), date!(2026 - 12 - 24))
            .await
            .unwrap();
        let spent: Vec<(String, i64, i64)> = spent
            .into_iter()
            .map(|s| (s.currency, s.total_minor, s.count))
            .collect();
        assert_eq!(spent, [("EUR".into(), 3500, 2), ("USD".into(), 700, 1)]);
        assert!(
            store
                .spent(ada, Some("travel"), date!(2026 - 11 - 25), date!(2026 - 12 - 24))
                .await
                .unwrap()
                .is_empty()
        );

        assert!(
            store
                .delete_budget(ada, "total", &event(ada, "budget.deleted"))
                .await
                .unwrap()
        );
        assert!(
            !store
                .delete_budget(ada, "total", &event(ada, "budget.deleted"))
                .await
                .unwrap()
        );
    })
    .await;
}

#[tokio::test]
async fn idempotency_keys_store_one_response() {
    each_store(|store, backend| async move {
        let ada = Uuid::now_v7();
        let response = StoredResponse {
            key: "k-1".into(),
            request_hash: vec![1; 32],
            status: 201,
            body: b"{\"id\":1}".to_vec(),
            stored_at: NOW,
        };
        let first = [record(ada, "1", "EUR", "food", date!(2026 - 11 - 01))];
        let inserted = store
            .insert_expenses(ada, &first, &[event(ada, "expense.created")], Some(&response))
            .await
            .unwrap();
        assert_eq!(inserted, Insert::Inserted);
        assert_eq!(
            store.stored_response(ada, "k-1").await.unwrap(),
            Some(response.clone())
        );
        assert_eq!(
            store.stored_response(Uuid::now_v7(), "k-1").await.unwrap(),
            None,
            "keys are per user"
        );

        let retry = [record(ada, "1", "EUR", "food", date!(2026 - 11 - 01))];
        let again = StoredResponse {
            body: b"other".to_vec(),
            ..response.clone()
        };
        let outcome = store
            .insert_expenses(ada, &retry, &[event(ada, "expense.created")], Some(&again))
            .await
            .unwrap();
        assert_eq!(
            outcome,
            Insert::KeyTaken(response),
            "{backend:?}: the first response wins"
        );
        assert_eq!(
            store
                .list_expenses(ada, &ExpenseFilter::default(), None, 10)
                .await
                .unwrap()
                .len(),
            1,
            "nothing stored twice"
        );

        assert_eq!(
            store
                .forget_stored_responses(NOW - Duration::hours(1))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            store
                .forget_stored_responses(NOW + Duration::hours(1))
                .await
                .unwrap(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn the_outbox_is_claimed_once_and_published_in_order() {
    each_store(|store, backend| async move {
        let ada = Uuid::now_v7();
        let records: Vec<_> = (0..5)
            .map(|n| record(ada, &format!("{}", n + 1), "EUR", "food", date!(2026 - 11 - 01)))
            .collect();
        insert(&store, &records).await;
        assert_eq!(store.pending_events().await.unwrap(), 5);
        let now = NOW;
        let lease = Duration::seconds(30);
        let first = store.settle_and_claim(&[], 3, now, lease).await.unwrap();
        assert_eq!(first.len(), 3, "{backend:?}");
        assert!(first.windows(2).all(|w| w[0].id < w[1].id), "oldest first");
        let second = store.settle_and_claim(&[], 10, now, lease).await.unwrap();
        assert_eq!(second.len(), 2, "claimed events are not handed out twice");
        // The first relay published its batch: marking it claims nothing more (all is claimed).
        let ids = |events: &[OutboxEvent]| events.iter().map(|e| e.id).collect::<Vec<_>>();
        let after_first = store
            .settle_and_claim(&ids(&first), 10, now, lease)
            .await
            .unwrap();
        assert!(after_first.is_empty(), "{backend:?}");
        assert_eq!(
            store.pending_events().await.unwrap(),
            2,
            "{backend:?}: the first batch is published"
        );
        // The second claim "crashed": after its lease, its events come back.
        let later = now + Duration::seconds(31);
        let retried = store.settle_and_claim(&[], 10, later, lease).await.unwrap();
        assert_eq!(ids(&retried), ids(&second));
        // Released claims come back at once, without waiting for the lease.
        store.release_claims(&ids(&retried)).await.unwrap();
        let again = store.settle_and_claim(&[], 10, later, lease).await.unwrap();
        assert_eq!(ids(&again), ids(&second), "{backend:?}");
        assert!(
            store
                .settle_and_claim(&ids(&again), 10, later, lease)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.pending_events().await.unwrap(), 0);
        let payload: serde_json::Value = serde_json::from_str(&first[0].payload).unwrap();
        assert_eq!(payload["kind"], "expense.created");

        // Published events are forgotten after their retention; unpublished ones never are.
        insert(
            &store,
            &records[..1]
                .iter()
                .map(|r| ExpenseRecord {
                    id: Uuid::now_v7(),
                    ..r.clone()
                })
                .collect::<Vec<_>>(),
        )
        .await;
        assert_eq!(
            store.forget_published(now).await.unwrap(),
            0,
            "published at `now`, not before"
        );
        assert_eq!(
            store
                .forget_published(later + Duration::seconds(1))
                .await
                .unwrap(),
            5,
            "{backend:?}"
        );
        assert_eq!(
            store.pending_events().await.unwrap(),
            1,
            "the unpublished event stays"
        );
    })
    .await;
}

/// Amounts with 0, 2 and 3 decimals: parse → store → read → format is the identity, and the stored
/// minor units are exact, on both backends.
#[test]
fn money_round_trips_through_both_stores() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for backend in BACKENDS {
        let (store, _pool, _data) = runtime.block_on(open(backend));
        let user = Uuid::now_v7();
        let strategy = (
            prop_oneof![Just("JPY"), Just("EUR"), Just("KWD")],
            -1_000_000_000_000i64..=1_000_000_000_000i64,
        )
            .prop_filter("non-zero", |(_, minor)| *minor != 0);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(48));
        runner
            .run(&strategy, |(code, minor)| {
                let currency: Currency = code.parse().unwrap();
                let text = Money::from_minor(minor, currency).unwrap().amount();
                let parsed = Money::parse(&text, currency).unwrap();
                prop_assert_eq!(parsed.minor(), minor);
                let mut stored = record(user, "1", code, "prop", date!(2026 - 11 - 01));
                stored.fields.money = parsed;
                let id = stored.id;
                let read = runtime.block_on(async {
                    store.insert_expenses(user, &[stored], &[], None).await.unwrap();
                    store.expense(user, id).await.unwrap().unwrap()
                });
                prop_assert_eq!(read.fields.money, parsed);
                prop_assert_eq!(read.to_api().amount, text);
                Ok(())
            })
            .unwrap_or_else(|failure| panic!("{backend:?}: {failure}"));
    }
}
