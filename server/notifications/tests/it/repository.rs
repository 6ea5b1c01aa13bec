//! The repository conformance suite: every case runs against SQLite and Postgres, on the store
//! alone (no service, no clock: the store takes every time as a parameter).

use std::collections::HashSet;
use std::sync::Arc;

use expense_api::conversion::{Rate, StoredRate};
use expense_api::money::Money;
use expense_api::notifications::{DeliveryStatus, NotificationKind};
use expense_kit::db::{DbPool, Sql, SqlDb};
use expense_notifications::repository::{
    Attempt, BudgetCopy, DaySpent, ExpenseCopy, MonthTotal, NewDelivery, NotificationRecord,
    NotificationStore, ProjectionChange, RepoError, SettingsRecord, SummaryState, WebhookRecord,
};
use serde_json::json;
use time::macros::date;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{BACKENDS, Backend, START, database};

/// The time records here are stamped with.
const NOW: OffsetDateTime = START;

/// A store on a fresh, migrated database of one backend, with raw access to check what is
/// stored.
struct Subject {
    store: Arc<dyn NotificationStore>,
    db: SqlDb,
    backend: Backend,
}

/// Runs `case` once per backend on a fresh, migrated store.
async fn each_store<F, Fut>(case: F)
where
    F: Fn(Subject) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in BACKENDS {
        // Shown with a failing case's output: which backend it failed on.
        eprintln!("on {backend:?}");
        let data = tempfile::tempdir().expect("temporary directory");
        let pool = DbPool::connect(
            &database(backend).await,
            data.path(),
            expense_notifications::SERVICE,
        )
        .await
        .expect("connects");
        pool.migrate(&expense_notifications::MIGRATIONS)
            .await
            .expect("migrates");
        case(Subject {
            store: expense_notifications::store(&pool),
            db: SqlDb::of(&pool),
            backend,
        })
        .await;
        pool.close().await;
    }
}

fn eur(minor: i64) -> Money {
    Money::from_code(minor, "EUR").unwrap()
}

fn expense(user_id: Uuid, minor: i64, category: &str, spent_on: Date) -> ExpenseCopy {
    ExpenseCopy {
        id: Uuid::now_v7(),
        user_id,
        amount: eur(minor),
        category: category.to_owned(),
        spent_on,
        version: 1,
    }
}

fn budget(user_id: Uuid, category: &str, minor: i64) -> BudgetCopy {
    BudgetCopy {
        user_id,
        category: category.to_owned(),
        amount: eur(minor),
        starts_on_day: 1,
        convert: false,
    }
}

/// Applies each change as a new event.
async fn apply(store: &dyn NotificationStore, changes: Vec<ProjectionChange>) {
    let events: Vec<(Uuid, ProjectionChange)> = changes
        .into_iter()
        .map(|change| (Uuid::now_v7(), change))
        .collect();
    let applied = store.apply_events(&events, NOW).await.unwrap();
    assert!(applied.iter().all(|new| *new), "fresh event ids are all new");
}

fn notification(user_id: Uuid, kind: NotificationKind, data: serde_json::Value) -> NotificationRecord {
    NotificationRecord {
        id: Uuid::now_v7(),
        user_id,
        kind,
        title: "Food: 80 % of the budget".to_owned(),
        body: "You have spent 80,00 EUR of 100,00 EUR.".to_owned(),
        data,
        created_at: NOW,
        read_at: None,
    }
}

fn webhook(user_id: Uuid) -> WebhookRecord {
    WebhookRecord {
        id: Uuid::now_v7(),
        user_id,
        url: "https://hooks.example.com/expenses".to_owned(),
        secret: format!("whsec_{}", Uuid::now_v7().simple()),
        created_at: NOW,
    }
}

/// A delivery due at `due` (it is created then).
fn delivery(webhook: &WebhookRecord, due: OffsetDateTime) -> NewDelivery {
    NewDelivery {
        id: Uuid::now_v7(),
        webhook_id: webhook.id,
        user_id: webhook.user_id,
        event: "budget_alert".to_owned(),
        payload: format!("{{\"webhook\":\"{}\"}}", webhook.id),
        created_at: due,
    }
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> Uuid) -> Vec<Uuid> {
    items.iter().map(id).collect()
}

#[tokio::test]
async fn an_event_is_applied_once_however_often_it_arrives() {
    each_store(|Subject { store, .. }| async move {
        let user = Uuid::now_v7();
        let lunch = expense(user, 1_250, "food", date!(2026 - 11 - 10));
        let event = Uuid::now_v7();
        let change = ProjectionChange::UpsertExpense(lunch.clone());
        assert!(store.apply_event(event, &change, NOW).await.unwrap());
        let spent = || store.spent(user, None, "EUR", date!(2026 - 11 - 01), date!(2026 - 11 - 30));
        assert_eq!(spent().await.unwrap(), 1_250);

        // The same event again, even carrying a different change, changes nothing.
        let bigger = ExpenseCopy {
            amount: eur(9_999),
            version: 2,
            ..lunch.clone()
        };
        let redelivered = ProjectionChange::UpsertExpense(bigger);
        assert!(!store.apply_event(event, &redelivered, NOW).await.unwrap());
        assert_eq!(spent().await.unwrap(), 1_250);

        // In a batch: each event's answer in order, a duplicate within the batch included.
        let dinner = expense(user, 3_000, "food", date!(2026 - 11 - 11));
        let fresh = Uuid::now_v7();
        let applied = store
            .apply_events(
                &[
                    (event, redelivered.clone()),
                    (fresh, ProjectionChange::UpsertExpense(dinner.clone())),
                    (fresh, ProjectionChange::UpsertExpense(dinner)),
                    (Uuid::now_v7(), ProjectionChange::Nothing),
                ],
                NOW,
            )
            .await
            .unwrap();
        assert_eq!(applied, [false, true, false, true]);
        assert_eq!(spent().await.unwrap(), 4_250);
    })
    .await;
}

#[tokio::test]
async fn expense_copies_keep_the_newest_version_and_their_tombstones() {
    each_store(|Subject { store, .. }| async move {
        let user = Uuid::now_v7();
        let day = date!(2026 - 11 - 10);
        let spent = || store.spent(user, Some("food"), "EUR", day, day);
        let v2 = ExpenseCopy {
            version: 2,
            ..expense(user, 2_000, "food", day)
        };
        let v1 = ExpenseCopy {
            amount: eur(1_000),
            version: 1,
            ..v2.clone()
        };
        apply(&*store, vec![ProjectionChange::UpsertExpense(v2.clone())]).await;
        apply(&*store, vec![ProjectionChange::UpsertExpense(v1)]).await;
        assert_eq!(spent().await.unwrap(), 2_000, "a late, older version is ignored");

        apply(
            &*store,
            vec![ProjectionChange::DeleteExpense {
                user_id: user,
                id: v2.id,
                version: 3,
            }],
        )
        .await;
        assert_eq!(spent().await.unwrap(), 0);
        let v4 = ExpenseCopy {
            version: 4,
            ..v2.clone()
        };
        apply(&*store, vec![ProjectionChange::UpsertExpense(v4)]).await;
        assert_eq!(spent().await.unwrap(), 0, "a deleted expense stays deleted");

        // A deletion that arrives before the expense leaves a tombstone the expense cannot pass.
        let early = expense(user, 500, "food", day);
        apply(
            &*store,
            vec![
                ProjectionChange::DeleteExpense {
                    user_id: user,
                    id: early.id,
                    version: 2,
                },
                ProjectionChange::UpsertExpense(early),
            ],
        )
        .await;
        assert_eq!(spent().await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn sums_count_the_days_between_their_bounds_per_category_and_currency() {
    each_store(|Subject { store, .. }| async move {
        let user = Uuid::now_v7();
        let (first, last) = (date!(2026 - 02 - 01), date!(2026 - 02 - 28));
        let yen = ExpenseCopy {
            amount: Money::from_code(1_200, "JPY").unwrap(),
            ..expense(user, 0, "food", date!(2026 - 02 - 14))
        };
        apply(
            &*store,
            vec![
                ProjectionChange::UpsertExpense(expense(user, 100, "food", first)),
                ProjectionChange::UpsertExpense(expense(user, 200, "food", last)),
                ProjectionChange::UpsertExpense(expense(user, 400, "travel", date!(2026 - 02 - 10))),
                ProjectionChange::UpsertExpense(yen),
                // Either side of the month, and another user's.
                ProjectionChange::UpsertExpense(expense(user, 10_000, "food", date!(2026 - 01 - 31))),
                ProjectionChange::UpsertExpense(expense(user, 10_000, "food", date!(2026 - 03 - 01))),
                ProjectionChange::UpsertExpense(expense(Uuid::now_v7(), 10_000, "food", first)),
            ],
        )
        .await;
        assert_eq!(
            store.spent(user, Some("food"), "EUR", first, last).await.unwrap(),
            300
        );
        assert_eq!(store.spent(user, None, "EUR", first, last).await.unwrap(), 700);
        assert_eq!(store.spent(user, None, "JPY", first, last).await.unwrap(), 1_200);
        assert_eq!(
            store.spent(user, Some("rent"), "EUR", first, last).await.unwrap(),
            0
        );
        assert_eq!(store.spent(user, None, "EUR", last, first).await.unwrap(), 0);

        let totals = store.month_totals(user, first, last).await.unwrap();
        let total = |category: &str, total: Money, count: i64| MonthTotal {
            category: category.to_owned(),
            total,
            count,
        };
        assert_eq!(
            totals,
            [
                total("food", eur(300), 2),
                total("food", Money::from_code(1_200, "JPY").unwrap(), 1),
                total("travel", eur(400), 1),
            ]
        );
        assert_eq!(store.month_totals(Uuid::now_v7(), first, last).await.unwrap(), []);
    })
    .await;
}

#[tokio::test]
async fn budget_copies_follow_upserts_deletions_renames_and_merges() {
    each_store(|Subject { store, .. }| async move {
        let user = Uuid::now_v7();
        let day = date!(2026 - 11 - 10);
        let payday = BudgetCopy {
            starts_on_day: 25,
            amount: Money::from_code(50_000, "JPY").unwrap(),
            ..budget(user, "total", 0)
        };
        apply(
            &*store,
            vec![
                ProjectionChange::UpsertBudget(budget(user, "food", 10_000)),
                ProjectionChange::UpsertBudget(budget(user, "food", 20_000)),
                ProjectionChange::UpsertBudget(budget(user, "travel", 5_000)),
                ProjectionChange::UpsertBudget(payday.clone()),
            ],
        )
        .await;
        assert_eq!(
            store.budgets(user).await.unwrap(),
            [
                budget(user, "food", 20_000),
                payday.clone(),
                budget(user, "travel", 5_000)
            ],
            "in category order, the last amount kept"
        );

        apply(
            &*store,
            vec![ProjectionChange::DeleteBudget {
                user_id: user,
                category: "total".to_owned(),
            }],
        )
        .await;
        let categories = || async { categories_of(&store.budgets(user).await.unwrap()) };
        assert_eq!(categories().await, ["food", "travel"]);

        // A rename moves the expenses and the budget.
        apply(
            &*store,
            vec![ProjectionChange::UpsertExpense(expense(user, 700, "food", day))],
        )
        .await;
        apply(
            &*store,
            vec![ProjectionChange::MoveCategory {
                user_id: user,
                from: "food".to_owned(),
                to: "groceries".to_owned(),
                merge: false,
            }],
        )
        .await;
        assert_eq!(categories().await, ["groceries", "travel"]);
        assert_eq!(
            store
                .spent(user, Some("groceries"), "EUR", day, day)
                .await
                .unwrap(),
            700
        );
        assert_eq!(store.spent(user, Some("food"), "EUR", day, day).await.unwrap(), 0);

        // A merge into a category with a budget keeps the target's budget only.
        apply(
            &*store,
            vec![ProjectionChange::MoveCategory {
                user_id: user,
                from: "groceries".to_owned(),
                to: "travel".to_owned(),
                merge: true,
            }],
        )
        .await;
        assert_eq!(
            store.budgets(user).await.unwrap(),
            [budget(user, "travel", 5_000)]
        );
        assert_eq!(
            store.spent(user, Some("travel"), "EUR", day, day).await.unwrap(),
            700
        );
    })
    .await;
}

fn categories_of(budgets: &[BudgetCopy]) -> Vec<String> {
    budgets.iter().map(|budget| budget.category.clone()).collect()
}

#[tokio::test]
async fn settings_round_trip_and_only_reachable_subscribers_get_summaries() {
    each_store(|Subject { store, .. }| async move {
        let settings = |email: Option<&str>, monthly_summary: bool| SettingsRecord {
            user_id: Uuid::now_v7(),
            email: email.map(str::to_owned),
            budget_alerts: true,
            monthly_summary,
            thresholds: vec![50, 80, 100, 1000],
            updated_at: NOW,
        };
        let ada = settings(Some("ada@example.com"), true);
        assert_eq!(store.settings(ada.user_id).await.unwrap(), None);
        store.put_settings(&ada).await.unwrap();
        assert_eq!(store.settings(ada.user_id).await.unwrap(), Some(ada.clone()));

        let changed = SettingsRecord {
            budget_alerts: false,
            thresholds: vec![90],
            updated_at: NOW + Duration::minutes(5),
            ..ada.clone()
        };
        store.put_settings(&changed).await.unwrap();
        assert_eq!(store.settings(ada.user_id).await.unwrap(), Some(changed.clone()));

        let grace = settings(Some("grace@example.com"), true);
        let no_address = settings(None, true);
        let opted_out = settings(Some("linus@example.com"), false);
        for record in [&grace, &no_address, &opted_out] {
            store.put_settings(record).await.unwrap();
        }
        let mut expected = vec![changed, grace];
        expected.sort_by_key(|record| record.user_id);
        assert_eq!(store.summary_subscribers().await.unwrap(), expected);
    })
    .await;
}

#[tokio::test]
async fn an_alert_fires_once_per_threshold_and_period_until_re_armed() {
    each_store(|Subject { store, .. }| async move {
        let user = Uuid::now_v7();
        let hook = webhook(user);
        store.insert_webhook(&hook).await.unwrap();
        let period = date!(2026 - 11 - 01);
        let first = notification(user, NotificationKind::BudgetAlert, json!({"threshold": 80}));
        let deliveries = [delivery(&hook, NOW)];
        assert!(
            store
                .fire_alert("food", period, 80, &first, &deliveries)
                .await
                .unwrap()
        );
        assert_eq!(
            store.notification(user, first.id).await.unwrap(),
            Some(first.clone())
        );
        assert_eq!(
            ids(&store.deliveries(user, hook.id, 10).await.unwrap(), |d| d.id),
            [deliveries[0].id]
        );

        // Crossed again in the same period: nothing is stored.
        let again = notification(user, NotificationKind::BudgetAlert, json!({"threshold": 80}));
        let more = [delivery(&hook, NOW)];
        assert!(!store.fire_alert("food", period, 80, &again, &more).await.unwrap());
        assert_eq!(store.notification(user, again.id).await.unwrap(), None);
        assert_eq!(store.deliveries(user, hook.id, 10).await.unwrap().len(), 1);

        // Other thresholds, categories and periods are their own.
        assert!(store.mark_alert(user, "food", period, 50, NOW).await.unwrap());
        assert!(!store.mark_alert(user, "food", period, 50, NOW).await.unwrap());
        assert!(store.mark_alert(user, "travel", period, 80, NOW).await.unwrap());
        assert!(
            store
                .mark_alert(user, "food", date!(2026 - 12 - 01), 80, NOW)
                .await
                .unwrap()
        );
        assert!(
            store
                .mark_alert(Uuid::now_v7(), "food", period, 80, NOW)
                .await
                .unwrap()
        );

        // Spending back at 60 % re-arms 80 but not 50, in this period and category only.
        assert_eq!(store.rearm_alerts(user, "food", period, 60).await.unwrap(), 1);
        assert!(!store.mark_alert(user, "food", period, 50, NOW).await.unwrap());
        assert!(!store.mark_alert(user, "travel", period, 80, NOW).await.unwrap());
        assert!(
            !store
                .mark_alert(user, "food", date!(2026 - 12 - 01), 80, NOW)
                .await
                .unwrap()
        );
        assert!(store.fire_alert("food", period, 80, &again, &more).await.unwrap());
        assert_eq!(store.deliveries(user, hook.id, 10).await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn an_alert_whose_notification_cannot_be_stored_leaves_no_marker() {
    each_store(|Subject { store, .. }| async move {
        let user = Uuid::now_v7();
        let period = date!(2026 - 11 - 01);
        let stored = notification(user, NotificationKind::BudgetAlert, json!({}));
        assert!(store.fire_alert("food", period, 50, &stored, &[]).await.unwrap());
        // The same notification id again: its insert fails, so the transaction rolls back.
        let failed = store.fire_alert("food", period, 80, &stored, &[]).await;
        assert!(matches!(failed, Err(RepoError::Database(_))), "{failed:?}");
        assert!(
            store.mark_alert(user, "food", period, 80, NOW).await.unwrap(),
            "the 80 % marker was not kept"
        );
        let failed = store.create_summary("2026-10", &stored, &[]).await;
        assert!(matches!(failed, Err(RepoError::Database(_))), "{failed:?}");
        assert_eq!(store.summary(user, "2026-10").await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn the_inbox_pages_newest_first_filters_unread_and_marks_read_once() {
    each_store(|Subject { store, .. }| async move {
        let user = Uuid::now_v7();
        let mut stored = Vec::new();
        for n in 0..4 {
            let record = notification(user, NotificationKind::BudgetAlert, json!({ "n": n }));
            let period = date!(2026 - 11 - 01);
            assert!(
                store
                    .fire_alert("food", period, 10 + n, &record, &[])
                    .await
                    .unwrap()
            );
            stored.push(record);
        }
        let newest_first: Vec<Uuid> = stored.iter().rev().map(|record| record.id).collect();
        let page = store.notifications(user, false, None, 3).await.unwrap();
        assert_eq!(ids(&page, |n| n.id), newest_first[..3]);
        assert_eq!(page[0], stored[3]);
        let rest = store
            .notifications(user, false, Some(page[2].id), 3)
            .await
            .unwrap();
        assert_eq!(ids(&rest, |n| n.id), newest_first[3..]);

        let first_read = NOW + Duration::minutes(1);
        assert!(store.mark_read(user, stored[1].id, first_read).await.unwrap());
        assert!(
            store
                .mark_read(user, stored[1].id, first_read + Duration::hours(1))
                .await
                .unwrap()
        );
        let read = store.notification(user, stored[1].id).await.unwrap().unwrap();
        assert_eq!(read.read_at, Some(first_read), "the first reading is kept");
        assert!(!store.mark_read(user, Uuid::now_v7(), NOW).await.unwrap());

        let unread = store.notifications(user, true, None, 10).await.unwrap();
        assert_eq!(ids(&unread, |n| n.id), [stored[3].id, stored[2].id, stored[0].id]);
        let all_read = NOW + Duration::minutes(2);
        assert_eq!(store.mark_all_read(user, all_read).await.unwrap(), 3);
        assert_eq!(store.mark_all_read(user, all_read).await.unwrap(), 0);
        assert_eq!(store.notifications(user, true, None, 10).await.unwrap(), []);
        let everything = store.notifications(user, false, None, 10).await.unwrap();
        assert_eq!(everything.len(), 4);
        assert!(everything.iter().all(|n| n.read_at.is_some()));
        assert_eq!(
            store
                .notification(user, stored[1].id)
                .await
                .unwrap()
                .unwrap()
                .read_at,
            Some(first_read)
        );
    })
    .await;
}

#[tokio::test]
async fn a_months_summary_is_stored_once_and_mailed_by_one_claim() {
    each_store(|Subject { store, .. }| async move {
        let user = Uuid::now_v7();
        let month = "2026-10";
        assert_eq!(store.summary(user, month).await.unwrap(), None);
        let hook = webhook(user);
        store.insert_webhook(&hook).await.unwrap();
        let summary = notification(
            user,
            NotificationKind::MonthlySummary,
            json!({"month": month, "totals": [{"category": "food", "total": "12.50", "currency": "EUR"}]}),
        );
        let deliveries = [delivery(&hook, NOW)];
        assert!(store.create_summary(month, &summary, &deliveries).await.unwrap());
        let duplicate = notification(user, NotificationKind::MonthlySummary, json!({}));
        assert!(!store.create_summary(month, &duplicate, &[]).await.unwrap());
        assert_eq!(store.notification(user, duplicate.id).await.unwrap(), None);
        assert_eq!(
            store.notification(user, summary.id).await.unwrap(),
            Some(summary.clone())
        );
        assert_eq!(store.deliveries(user, hook.id, 10).await.unwrap().len(), 1);
        let state = |sending_since, mailed_at| SummaryState {
            notification_id: summary.id,
            sending_since,
            mailed_at,
        };
        assert_eq!(store.summary(user, month).await.unwrap(), Some(state(None, None)));

        let claimed_at = NOW + Duration::seconds(1);
        assert!(store.claim_summary_mail(user, month, claimed_at).await.unwrap());
        assert!(!store.claim_summary_mail(user, month, claimed_at).await.unwrap());
        assert_eq!(
            store.summary(user, month).await.unwrap(),
            Some(state(Some(claimed_at), None))
        );
        store.release_summary_mail(user, month).await.unwrap();
        assert_eq!(store.summary(user, month).await.unwrap(), Some(state(None, None)));

        let mailed_at = NOW + Duration::seconds(3);
        assert!(store.claim_summary_mail(user, month, claimed_at).await.unwrap());
        store.mark_summary_mailed(user, month, mailed_at).await.unwrap();
        store.release_summary_mail(user, month).await.unwrap();
        assert_eq!(
            store.summary(user, month).await.unwrap(),
            Some(state(Some(claimed_at), Some(mailed_at))),
            "a mailed summary's claim is not given back"
        );
        assert!(!store.claim_summary_mail(user, month, mailed_at).await.unwrap());
        // Another month, another user: their own.
        assert_eq!(store.summary(user, "2026-09").await.unwrap(), None);
        assert!(
            !store
                .claim_summary_mail(Uuid::now_v7(), month, NOW)
                .await
                .unwrap()
        );
    })
    .await;
}

#[tokio::test]
async fn webhooks_round_trip_and_take_their_deliveries_when_deleted() {
    each_store(|Subject { store, .. }| async move {
        let user = Uuid::now_v7();
        let (first, second) = (webhook(user), webhook(user));
        store.insert_webhook(&second).await.unwrap();
        store.insert_webhook(&first).await.unwrap();
        assert_eq!(
            store.webhooks(user).await.unwrap(),
            [first.clone(), second.clone()],
            "in id order"
        );
        assert_eq!(store.webhook(user, first.id).await.unwrap(), Some(first.clone()));
        assert_eq!(store.webhook(user, Uuid::now_v7()).await.unwrap(), None);

        store
            .insert_deliveries(&[
                delivery(&first, NOW),
                delivery(&first, NOW),
                delivery(&second, NOW),
            ])
            .await
            .unwrap();
        assert!(store.delete_webhook(user, first.id).await.unwrap());
        assert!(!store.delete_webhook(user, first.id).await.unwrap());
        assert_eq!(store.webhooks(user).await.unwrap(), std::slice::from_ref(&second));
        assert_eq!(store.deliveries(user, first.id, 10).await.unwrap(), []);
        let due = store
            .claim_deliveries(NOW, Duration::minutes(1), 10)
            .await
            .unwrap();
        assert_eq!(
            ids(&due, |d| d.id),
            ids(&store.deliveries(user, second.id, 10).await.unwrap(), |d| d.id),
            "only the remaining webhook's delivery is left to send"
        );
        assert_eq!(due.len(), 1);
        assert_eq!(
            (due[0].url.as_str(), due[0].secret.as_str()),
            (second.url.as_str(), second.secret.as_str())
        );
    })
    .await;
}

#[tokio::test]
async fn due_deliveries_are_claimed_earliest_first_under_a_lease() {
    each_store(|Subject { store, .. }| async move {
        let hook = webhook(Uuid::now_v7());
        store.insert_webhook(&hook).await.unwrap();
        // Inserted out of order; one not due yet.
        let at = |seconds| NOW + Duration::seconds(seconds);
        let (second, first, third, later) = (
            delivery(&hook, at(-20)),
            delivery(&hook, at(-30)),
            delivery(&hook, at(-10)),
            delivery(&hook, at(600)),
        );
        store
            .insert_deliveries(&[second.clone(), first.clone(), third.clone(), later.clone()])
            .await
            .unwrap();
        let lease = Duration::seconds(60);
        let claimed = store.claim_deliveries(NOW, lease, 2).await.unwrap();
        assert_eq!(ids(&claimed, |d| d.id), [first.id, second.id]);
        assert_eq!(claimed[0].event, first.event);
        assert_eq!(claimed[0].payload, first.payload);
        assert_eq!(claimed[0].attempts, 0);
        assert_eq!(claimed[0].url, hook.url);
        assert_eq!(claimed[0].secret, hook.secret);

        // Leased ones are not handed out again until the lease runs out.
        let next = store.claim_deliveries(at(5), lease, 10).await.unwrap();
        assert_eq!(ids(&next, |d| d.id), [third.id]);
        assert_eq!(store.claim_deliveries(at(30), lease, 10).await.unwrap(), []);
        let expired = store.claim_deliveries(at(61), lease, 10).await.unwrap();
        assert_eq!(ids(&expired, |d| d.id), [first.id, second.id]);

        // Attempts: delivered is done; a retry waits for its time; failed is done.
        store
            .record_attempt(first.id, &Attempt::Delivered { status: 204 }, at(62))
            .await
            .unwrap();
        let retry_at = at(300);
        store
            .record_attempt(
                second.id,
                &Attempt::Retry {
                    status: Some(503),
                    error: "the receiver answered 503".to_owned(),
                    next: retry_at,
                },
                at(62),
            )
            .await
            .unwrap();
        store
            .record_attempt(
                third.id,
                &Attempt::Failed {
                    status: None,
                    error: "connection refused".to_owned(),
                },
                at(62),
            )
            .await
            .unwrap();
        assert_eq!(store.claim_deliveries(at(299), lease, 10).await.unwrap(), []);
        let retried = store.claim_deliveries(retry_at, lease, 10).await.unwrap();
        assert_eq!(ids(&retried, |d| d.id), [second.id]);
        assert_eq!(retried[0].attempts, 1);

        let log = store.deliveries(hook.user_id, hook.id, 10).await.unwrap();
        assert_eq!(
            ids(&log, |d| d.id),
            [later.id, third.id, first.id, second.id],
            "newest id first"
        );
        let entry = |id: Uuid| log.iter().find(|d| d.id == id).unwrap().clone();
        let delivered = entry(first.id);
        assert_eq!(delivered.status, DeliveryStatus::Delivered);
        assert_eq!((delivered.attempts, delivered.last_status), (1, Some(204)));
        assert_eq!(
            (delivered.last_error, delivered.delivered_at),
            (None, Some(at(62)))
        );
        assert_eq!(delivered.created_at, at(-30));
        let pending = entry(second.id);
        assert_eq!(pending.status, DeliveryStatus::Pending);
        assert_eq!((pending.last_status, pending.delivered_at), (Some(503), None));
        assert_eq!(pending.last_error.as_deref(), Some("the receiver answered 503"));
        let failed = entry(third.id);
        assert_eq!(
            (failed.status, failed.attempts, failed.last_status),
            (DeliveryStatus::Failed, 1, None)
        );
        assert_eq!(failed.last_error.as_deref(), Some("connection refused"));
        let waiting = entry(later.id);
        assert_eq!((waiting.status, waiting.attempts), (DeliveryStatus::Pending, 0));
        assert_eq!(store.deliveries(hook.user_id, hook.id, 1).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn concurrent_claims_never_hand_out_a_delivery_twice() {
    each_store(|Subject { store, .. }| async move {
        let hook = webhook(Uuid::now_v7());
        store.insert_webhook(&hook).await.unwrap();
        let deliveries: Vec<NewDelivery> = (0..40)
            .map(|n| delivery(&hook, NOW - Duration::seconds(n)))
            .collect();
        store.insert_deliveries(&deliveries).await.unwrap();
        let claimers: Vec<_> = (0..8)
            .map(|_| {
                let store = Arc::clone(&store);
                tokio::spawn(async move { store.claim_deliveries(NOW, Duration::minutes(1), 7).await })
            })
            .collect();
        let mut seen = HashSet::new();
        for claimer in claimers {
            for due in claimer.await.unwrap().unwrap() {
                assert!(seen.insert(due.id), "{} handed out twice", due.id);
            }
        }
        let expected: HashSet<Uuid> = deliveries.iter().map(|d| d.id).collect();
        // Eight claims of seven cover all forty, whichever claim took which.
        assert_eq!(seen, expected);
    })
    .await;
}

#[tokio::test]
async fn one_users_records_are_invisible_and_untouchable_to_another() {
    each_store(|Subject { store, .. }| async move {
        let (ada, eve) = (Uuid::now_v7(), Uuid::now_v7());
        let day = date!(2026 - 11 - 10);
        apply(
            &*store,
            vec![
                ProjectionChange::UpsertExpense(expense(ada, 900, "food", day)),
                ProjectionChange::UpsertBudget(budget(ada, "food", 1_000)),
                // Eve moves and deletes her "food": Ada's stays.
                ProjectionChange::MoveCategory {
                    user_id: eve,
                    from: "food".to_owned(),
                    to: "groceries".to_owned(),
                    merge: false,
                },
                ProjectionChange::DeleteBudget {
                    user_id: eve,
                    category: "food".to_owned(),
                },
            ],
        )
        .await;
        assert_eq!(store.budgets(ada).await.unwrap(), [budget(ada, "food", 1_000)]);
        assert_eq!(
            store.spent(ada, Some("food"), "EUR", day, day).await.unwrap(),
            900
        );
        assert_eq!(store.budgets(eve).await.unwrap(), []);
        assert_eq!(store.spent(eve, None, "EUR", day, day).await.unwrap(), 0);
        assert_eq!(store.month_totals(eve, day, day).await.unwrap(), []);

        let hook = webhook(ada);
        store.insert_webhook(&hook).await.unwrap();
        let alert = notification(ada, NotificationKind::BudgetAlert, json!({}));
        assert!(
            store
                .fire_alert("food", day, 80, &alert, &[delivery(&hook, NOW)])
                .await
                .unwrap()
        );
        assert_eq!(store.notifications(eve, false, None, 10).await.unwrap(), []);
        assert_eq!(store.notification(eve, alert.id).await.unwrap(), None);
        assert!(!store.mark_read(eve, alert.id, NOW).await.unwrap());
        assert_eq!(store.mark_all_read(eve, NOW).await.unwrap(), 0);
        assert_eq!(
            store.notification(ada, alert.id).await.unwrap().unwrap().read_at,
            None
        );
        assert_eq!(store.webhooks(eve).await.unwrap(), []);
        assert_eq!(store.webhook(eve, hook.id).await.unwrap(), None);
        assert_eq!(store.deliveries(eve, hook.id, 10).await.unwrap(), []);
        assert!(!store.delete_webhook(eve, hook.id).await.unwrap());
        assert_eq!(store.webhooks(ada).await.unwrap(), std::slice::from_ref(&hook));
        assert_eq!(store.deliveries(ada, hook.id, 10).await.unwrap().len(), 1);
        assert_eq!(store.rearm_alerts(eve, "food", day, 0).await.unwrap(), 0);
        assert!(!store.mark_alert(ada, "food", day, 80, NOW).await.unwrap());
    })
    .await;
}

/// Days are stored as ISO text on SQLite (`YYYY-MM-DD`, as the SQLite store always wrote them)
/// and as `date` on Postgres; JSON as compact text on SQLite and `jsonb` on Postgres. Rows in
/// those forms, written by hand here, are read and summed as the store's own.
#[tokio::test]
async fn days_and_json_are_stored_in_each_backends_established_form() {
    each_store(|Subject { store, db, backend }| async move {
        let user = Uuid::now_v7();
        let day = date!(2026 - 03 - 05);
        apply(&*store, vec![ProjectionChange::UpsertExpense(expense(user, 100, "food", day))]).await;
        let stored = db
            .query(&Sql::same("SELECT CAST(spent_on AS TEXT) AS day FROM expense_copies WHERE user_id = $1"))
            .bind(user)
            .fetch_one()
            .await
            .unwrap();
        assert_eq!(stored.get::<String>("day").unwrap(), "2026-03-05");

        const INSERT_EXPENSE_BY_HAND: Sql = Sql::each(
            "INSERT INTO expense_copies (id, user_id, amount_minor, currency, category, spent_on, version)
             VALUES ($1, $2, 250, 'EUR', 'food', $3::date, 1)",
            "INSERT INTO expense_copies (id, user_id, amount_minor, currency, category, spent_on, version)
             VALUES ($1, $2, 250, 'EUR', 'food', $3, 1)",
        );
        db.query(&INSERT_EXPENSE_BY_HAND)
            .bind(Uuid::now_v7())
            .bind(user)
            .bind("2026-03-31")
            .execute()
            .await
            .unwrap();
        let march = (date!(2026 - 03 - 01), date!(2026 - 03 - 31));
        assert_eq!(store.spent(user, Some("food"), "EUR", march.0, march.1).await.unwrap(), 350);
        assert_eq!(store.spent(user, Some("food"), "EUR", day, date!(2026 - 03 - 30)).await.unwrap(), 100);

        let data = json!({"category": "café", "percent": 80, "spent": {"minor": 8000, "currency": "EUR"}, "ok": true});
        let alert = notification(user, NotificationKind::BudgetAlert, data.clone());
        assert!(store.fire_alert("food", day, 80, &alert, &[]).await.unwrap());
        if backend == Backend::Sqlite {
            let stored_data = db
                .query(&Sql::same("SELECT data FROM notifications WHERE id = $1"))
                .bind(alert.id)
                .fetch_one()
                .await
                .unwrap();
            assert_eq!(stored_data.get::<String>("data").unwrap(), data.to_string());
            let day_types = db
                .query(&Sql::same("SELECT DISTINCT typeof(spent_on) AS day_type FROM expense_copies"))
                .fetch_all()
                .await
                .unwrap();
            let day_types: Vec<String> = day_types.iter().map(|row| row.get("day_type").unwrap()).collect();
            assert_eq!(day_types, ["text"]);
        }

        const INSERT_NOTIFICATION_BY_HAND: Sql = Sql::each(
            "INSERT INTO notifications (id, user_id, kind, title, body, data, created_at)
             VALUES ($1, $2, 'monthly_summary', 'October', '', $3::jsonb, $4)",
            "INSERT INTO notifications (id, user_id, kind, title, body, data, created_at)
             VALUES ($1, $2, 'monthly_summary', 'October', '', $3, $4)",
        );
        let by_hand = Uuid::now_v7();
        db.query(&INSERT_NOTIFICATION_BY_HAND)
            .bind(by_hand)
            .bind(user)
            .bind(data.to_string())
            .bind(NOW)
            .execute()
            .await
            .unwrap();
        let read = store.notification(user, by_hand).await.unwrap().unwrap();
        assert_eq!((read.kind, read.data, read.created_at), (NotificationKind::MonthlySummary, data.clone(), NOW));
        assert_eq!(store.notification(user, alert.id).await.unwrap().unwrap().data, data);
    })
    .await;
}

fn stored_rate(from: &str, to: &str, on: Date, rate: &str) -> StoredRate {
    StoredRate {
        from: from.parse().unwrap(),
        to: to.parse().unwrap(),
        on,
        rate: Rate::parse(rate).unwrap(),
    }
}

/// The rates a conversion of the period may use, as `FROM>TO@day=rate`, sorted.
async fn rates_of(store: &dyn NotificationStore, user: Uuid, from: Date, to: Date) -> Vec<String> {
    let mut rates: Vec<String> = store
        .rates_for_period(user, from, to)
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{}>{}@{}={}", r.from, r.to, r.on, r.rate))
        .collect();
    rates.sort();
    rates
}

#[tokio::test]
async fn rate_copies_keep_the_newest_change_of_each_pair_and_day() {
    each_store(|Subject { store, .. }| async move {
        let user = Uuid::now_v7();
        let later = NOW + Duration::minutes(1);
        let put = |rates: Vec<StoredRate>, at: OffsetDateTime| ProjectionChange::PutRates {
            user_id: user,
            rates,
            at,
        };
        apply(
            &*store,
            vec![
                put(
                    vec![
                        stored_rate("EUR", "USD", date!(2026 - 10 - 30), "1.1"),
                        stored_rate("EUR", "USD", date!(2026 - 10 - 31), "1.2"),
                        stored_rate("EUR", "USD", date!(2026 - 11 - 05), "1.3"),
                        stored_rate("EUR", "USD", date!(2026 - 12 - 01), "1.4"),
                        stored_rate("EUR", "GBP", date!(2026 - 11 - 02), "0.85"),
                    ],
                    NOW,
                ),
                // A replacement, then an older change arriving late: the newer one stays.
                put(
                    vec![stored_rate("EUR", "GBP", date!(2026 - 11 - 02), "0.86")],
                    later,
                ),
                put(vec![stored_rate("EUR", "GBP", date!(2026 - 11 - 02), "0.5")], NOW),
            ],
        )
        .await;
        // November: its rates and, per pair, the latest before it; never December's.
        let (first, last) = (date!(2026 - 11 - 01), date!(2026 - 11 - 30));
        assert_eq!(
            rates_of(&*store, user, first, last).await,
            [
                "EUR>GBP@2026-11-02=0.86",
                "EUR>USD@2026-10-31=1.2",
                "EUR>USD@2026-11-05=1.3"
            ]
        );

        // A deletion is a tombstone: the latest earlier rate takes over, and a late, older
        // put does not bring the deleted one back; a newer one does.
        let delete = |on: Date, at: OffsetDateTime| ProjectionChange::DeleteRate {
            user_id: user,
            from: "EUR".parse().unwrap(),
            to: "USD".parse().unwrap(),
            on,
            at,
        };
        apply(
            &*store,
            vec![
                delete(date!(2026 - 10 - 31), later),
                put(vec![stored_rate("EUR", "USD", date!(2026 - 10 - 31), "9")], NOW),
            ],
        )
        .await;
        assert_eq!(
            rates_of(&*store, user, first, last).await,
            [
                "EUR>GBP@2026-11-02=0.86",
                "EUR>USD@2026-10-30=1.1",
                "EUR>USD@2026-11-05=1.3"
            ]
        );
        apply(
            &*store,
            vec![put(
                vec![stored_rate("EUR", "USD", date!(2026 - 10 - 31), "1.25")],
                later + Duration::minutes(1),
            )],
        )
        .await;
        assert!(
            rates_of(&*store, user, first, last)
                .await
                .contains(&"EUR>USD@2026-10-31=1.25".to_owned())
        );
        assert!(rates_of(&*store, Uuid::now_v7(), first, last).await.is_empty());

        // Spending per currency and day, the rates' other half of a conversion.
        let dollars = ExpenseCopy {
            amount: Money::from_code(1_000, "USD").unwrap(),
            ..expense(user, 0, "travel", date!(2026 - 11 - 03))
        };
        apply(
            &*store,
            vec![
                ProjectionChange::UpsertExpense(dollars.clone()),
                ProjectionChange::UpsertExpense(ExpenseCopy {
                    id: Uuid::now_v7(),
                    ..dollars
                }),
                ProjectionChange::UpsertExpense(expense(user, 500, "travel", date!(2026 - 11 - 03))),
                ProjectionChange::UpsertExpense(expense(user, 700, "food", date!(2026 - 11 - 04))),
            ],
        )
        .await;
        let travel = store
            .spent_by_day(user, Some("travel"), first, last)
            .await
            .unwrap();
        assert_eq!(
            travel,
            [
                DaySpent {
                    spent_on: date!(2026 - 11 - 03),
                    total: eur(500),
                    count: 1
                },
                DaySpent {
                    spent_on: date!(2026 - 11 - 03),
                    total: Money::from_code(2_000, "USD").unwrap(),
                    count: 2
                },
            ]
        );
        assert_eq!(
            store.spent_by_day(user, None, first, last).await.unwrap().len(),
            3
        );

        // A deleted account's rates go with it.
        store.erase_user(user, NOW).await.unwrap();
        assert!(
            rates_of(&*store, user, date!(2026 - 01 - 01), last)
                .await
                .is_empty()
        );
    })
    .await;
}
