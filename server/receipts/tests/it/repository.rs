//! The repository conformance suite: every case runs against SQLite and Postgres, each on a fresh,
//! migrated database, through the trait the service uses.

use std::sync::Arc;

use expense_api::receipts::ReceiptStatus;
use expense_kit::db::{DbPool, Sql, SqlDb};
use expense_receipts::repository::{ReceiptRecord, ReceiptRepository, RepoError};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{BACKENDS, Backend, database};

/// When the records here were made: the stores take time as a parameter and read no clock. It
/// has microseconds (the clock's precision), so a round trip must keep every digit.
const NOW: OffsetDateTime = time::macros::datetime!(2026-11-26 12:00:00.123456 UTC);

/// Runs `case` once per backend on a fresh, migrated store; the case also gets the database, to
/// edit rows by hand.
async fn each_store<F, Fut>(case: F)
where
    F: Fn(Arc<dyn ReceiptRepository>, SqlDb, Backend) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in BACKENDS {
        let data_dir = tempfile::tempdir().expect("temporary directory");
        let pool = DbPool::connect(
            &database(backend).await,
            data_dir.path(),
            expense_receipts::SERVICE,
        )
        .await
        .expect("connects");
        pool.migrate(&expense_receipts::MIGRATIONS)
            .await
            .expect("migrates");
        // Migrating twice is a no-op.
        pool.migrate(&expense_receipts::MIGRATIONS)
            .await
            .expect("migrates again");
        case(expense_receipts::store(&pool), SqlDb::of(&pool), backend).await;
        pool.close().await;
    }
}

/// A pending receipt of `user_id` on `expense_id`, as the service makes one.
fn pending(user_id: Uuid, expense_id: Uuid) -> ReceiptRecord {
    let id = Uuid::now_v7();
    ReceiptRecord {
        id,
        user_id,
        expense_id,
        object_key: format!("users/{user_id}/receipts/{id}"),
        content_type: "application/pdf".to_owned(),
        size: 48_213,
        sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_owned(),
        status: ReceiptStatus::Pending,
        created_at: NOW,
        uploaded_at: None,
    }
}

/// Whether `error` is the database refusing a second row with the same primary key.
fn is_unique_violation(error: &RepoError) -> bool {
    matches!(error, RepoError::Database(sqlx::Error::Database(db)) if db.is_unique_violation())
}

/// Whether `error` is the database refusing a value its schema forbids.
fn is_check_violation(error: &RepoError) -> bool {
    matches!(error, RepoError::Database(sqlx::Error::Database(db)) if db.is_check_violation())
}

/// Hand edits past the schema's checks, as a bug in an older release or an operator could make.
const UNKNOWN_STATUS: Sql = Sql::same("UPDATE receipts SET status = 'lost' WHERE id = $1");
const NEGATIVE_SIZE: Sql = Sql::same("UPDATE receipts SET size = -1 WHERE id = $1");

/// Runs `edit` on receipt `id` with the schema's checks off.
async fn corrupt(db: &SqlDb, edit: &Sql, id: Uuid) {
    const CHECKS_OFF: Sql = Sql::each(
        "ALTER TABLE receipts DROP CONSTRAINT IF EXISTS receipts_status_check,
                              DROP CONSTRAINT IF EXISTS receipts_size_check",
        "PRAGMA ignore_check_constraints = ON",
    );
    const CHECKS_ON: Sql = Sql::each("SELECT 1", "PRAGMA ignore_check_constraints = OFF");
    // One transaction: on SQLite the pragma holds for its connection only.
    let mut transaction = db.begin().await.expect("begins");
    transaction
        .query(&CHECKS_OFF)
        .execute()
        .await
        .expect("checks off");
    let changed = transaction.query(edit).bind(id).execute().await.expect("edits");
    assert_eq!(changed, 1, "the receipt to corrupt exists");
    transaction.query(&CHECKS_ON).execute().await.expect("checks on");
    transaction.commit().await.expect("commits");
}

#[tokio::test]
async fn receipts_round_trip_exactly() {
    each_store(|store, _, backend| async move {
        let user = Uuid::now_v7();
        let expense = Uuid::now_v7();
        let waiting = pending(user, expense);
        let uploaded = ReceiptRecord {
            content_type: "image/jpeg".to_owned(),
            size: u64::try_from(i64::MAX).unwrap(),
            status: ReceiptStatus::Uploaded,
            uploaded_at: Some(NOW + Duration::microseconds(1)),
            ..pending(user, expense)
        };
        store.insert_receipt(&waiting).await.unwrap();
        store.insert_receipt(&uploaded).await.unwrap();
        assert_eq!(
            store.receipt(user, waiting.id).await.unwrap(),
            Some(waiting.clone()),
            "{backend:?}"
        );
        assert_eq!(
            store.receipt(user, uploaded.id).await.unwrap(),
            Some(uploaded.clone()),
            "{backend:?}"
        );
        assert_eq!(
            store.receipt(user, Uuid::now_v7()).await.unwrap(),
            None,
            "{backend:?}: no such receipt"
        );
    })
    .await;
}

#[tokio::test]
async fn a_receipt_id_is_stored_once() {
    each_store(|store, _, backend| async move {
        let user = Uuid::now_v7();
        let first = pending(user, Uuid::now_v7());
        store.insert_receipt(&first).await.unwrap();
        let second = ReceiptRecord {
            id: first.id,
            ..pending(Uuid::now_v7(), Uuid::now_v7())
        };
        match store.insert_receipt(&second).await {
            Err(error) => assert!(
                is_unique_violation(&error),
                "{backend:?}: expected a unique violation, got {error:?}"
            ),
            Ok(()) => panic!("{backend:?}: a second receipt with the same id was stored"),
        }
        assert_eq!(
            store.receipt(user, first.id).await.unwrap(),
            Some(first.clone()),
            "{backend:?}: the first one is untouched"
        );
        assert_eq!(store.receipt(second.user_id, first.id).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn the_schema_refuses_an_empty_receipt() {
    each_store(|store, _, backend| async move {
        let empty = ReceiptRecord {
            size: 0,
            ..pending(Uuid::now_v7(), Uuid::now_v7())
        };
        match store.insert_receipt(&empty).await {
            Err(error) => assert!(
                is_check_violation(&error),
                "{backend:?}: expected a check violation, got {error:?}"
            ),
            Ok(()) => panic!("{backend:?}: a receipt of 0 bytes was stored"),
        }
        assert_eq!(store.receipt(empty.user_id, empty.id).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn an_expenses_receipts_come_in_id_order_and_only_that_expenses() {
    each_store(|store, _, backend| async move {
        let user = Uuid::now_v7();
        let expense = Uuid::now_v7();
        let mut ours: Vec<ReceiptRecord> = (0..3).map(|_| pending(user, expense)).collect();
        ours.sort_by_key(|receipt| receipt.id);
        // Stored out of order, so only the statement's ORDER BY can put them back in order.
        for index in [1, 2, 0] {
            store.insert_receipt(&ours[index]).await.unwrap();
        }
        let other_expense = pending(user, Uuid::now_v7());
        store.insert_receipt(&other_expense).await.unwrap();

        assert_eq!(
            store.expense_receipts(user, expense).await.unwrap(),
            ours,
            "{backend:?}"
        );
        assert_eq!(
            store
                .expense_receipts(user, other_expense.expense_id)
                .await
                .unwrap(),
            vec![other_expense.clone()]
        );
        assert!(
            store
                .expense_receipts(user, Uuid::now_v7())
                .await
                .unwrap()
                .is_empty(),
            "{backend:?}: an expense without receipts"
        );
    })
    .await;
}

#[tokio::test]
async fn mark_uploaded_moves_a_pending_receipt_once() {
    each_store(|store, _, backend| async move {
        let user = Uuid::now_v7();
        let receipt = pending(user, Uuid::now_v7());
        let untouched = pending(user, receipt.expense_id);
        store.insert_receipt(&receipt).await.unwrap();
        store.insert_receipt(&untouched).await.unwrap();
        let at = NOW + Duration::minutes(2);

        assert!(
            store.mark_uploaded(user, receipt.id, at).await.unwrap(),
            "{backend:?}"
        );
        let expected = ReceiptRecord {
            status: ReceiptStatus::Uploaded,
            uploaded_at: Some(at),
            ..receipt.clone()
        };
        assert_eq!(
            store.receipt(user, receipt.id).await.unwrap(),
            Some(expected.clone()),
            "{backend:?}"
        );
        assert_eq!(
            store.receipt(user, untouched.id).await.unwrap(),
            Some(untouched.clone()),
            "{backend:?}: only that receipt"
        );

        assert!(
            !store
                .mark_uploaded(user, receipt.id, at + Duration::hours(1))
                .await
                .unwrap(),
            "{backend:?}: already uploaded"
        );
        assert_eq!(
            store.receipt(user, receipt.id).await.unwrap(),
            Some(expected),
            "{backend:?}: the first upload time stays"
        );
        assert!(
            !store.mark_uploaded(user, Uuid::now_v7(), at).await.unwrap(),
            "{backend:?}: no such receipt"
        );
    })
    .await;
}

#[tokio::test]
async fn delete_receipt_removes_that_receipt_once() {
    each_store(|store, _, backend| async move {
        let user = Uuid::now_v7();
        let doomed = pending(user, Uuid::now_v7());
        let kept = pending(user, doomed.expense_id);
        store.insert_receipt(&doomed).await.unwrap();
        store.insert_receipt(&kept).await.unwrap();

        assert!(
            store.delete_receipt(user, doomed.id).await.unwrap(),
            "{backend:?}"
        );
        assert_eq!(store.receipt(user, doomed.id).await.unwrap(), None, "{backend:?}");
        assert_eq!(
            store.expense_receipts(user, doomed.expense_id).await.unwrap(),
            vec![kept.clone()],
            "{backend:?}"
        );
        assert!(
            !store.delete_receipt(user, doomed.id).await.unwrap(),
            "{backend:?}: already deleted"
        );
        assert!(
            !store.delete_receipt(user, Uuid::now_v7()).await.unwrap(),
            "{backend:?}: no such receipt"
        );
    })
    .await;
}

#[tokio::test]
async fn stale_pending_lists_every_users_old_pending_receipts_oldest_first() {
    each_store(|store, _, backend| async move {
        let ada = Uuid::now_v7();
        let bob = Uuid::now_v7();
        let at = |offset: Duration| NOW + offset;
        // Made before `oldest`, so id order and creation order disagree.
        let older = ReceiptRecord {
            created_at: at(-Duration::hours(2)),
            ..pending(bob, Uuid::now_v7())
        };
        let oldest = ReceiptRecord {
            created_at: at(-Duration::hours(3)),
            ..pending(ada, Uuid::now_v7())
        };
        let uploaded = ReceiptRecord {
            created_at: at(-Duration::hours(4)),
            ..pending(ada, Uuid::now_v7())
        };
        let on_the_cutoff = pending(bob, Uuid::now_v7());
        let recent = ReceiptRecord {
            created_at: at(Duration::minutes(30)),
            ..pending(ada, Uuid::now_v7())
        };
        for receipt in [&older, &recent, &oldest, &uploaded, &on_the_cutoff] {
            store.insert_receipt(receipt).await.unwrap();
        }
        assert!(
            store
                .mark_uploaded(ada, uploaded.id, at(-Duration::hours(1)))
                .await
                .unwrap()
        );

        assert_eq!(
            store.stale_pending(NOW, 10).await.unwrap(),
            [oldest.clone(), older.clone()],
            "{backend:?}: pending, created before the cutoff (not on it), any user, oldest first"
        );
        assert_eq!(
            store.stale_pending(NOW, 1).await.unwrap(),
            vec![oldest.clone()],
            "{backend:?}: at most the limit"
        );
        assert!(
            store.stale_pending(NOW, 0).await.unwrap().is_empty(),
            "{backend:?}"
        );
        assert_eq!(
            store
                .stale_pending(at(Duration::hours(1)), 10)
                .await
                .unwrap()
                .iter()
                .map(|receipt| receipt.id)
                .collect::<Vec<_>>(),
            [oldest.id, older.id, on_the_cutoff.id, recent.id],
            "{backend:?}: a later cutoff"
        );
    })
    .await;
}

#[tokio::test]
async fn another_users_receipts_are_out_of_reach() {
    each_store(|store, _, backend| async move {
        let ada = Uuid::now_v7();
        let mallory = Uuid::now_v7();
        let adas = pending(ada, Uuid::now_v7());
        store.insert_receipt(&adas).await.unwrap();
        // Mallory's own receipt on the same expense id: she sees it, and only it.
        let mallorys = pending(mallory, adas.expense_id);
        store.insert_receipt(&mallorys).await.unwrap();

        assert_eq!(
            store.receipt(mallory, adas.id).await.unwrap(),
            None,
            "{backend:?}"
        );
        assert_eq!(
            store.expense_receipts(mallory, adas.expense_id).await.unwrap(),
            vec![mallorys.clone()],
            "{backend:?}"
        );
        assert!(
            !store.mark_uploaded(mallory, adas.id, NOW).await.unwrap(),
            "{backend:?}: not hers to complete"
        );
        assert!(
            !store.delete_receipt(mallory, adas.id).await.unwrap(),
            "{backend:?}: not hers to delete"
        );

        assert_eq!(
            store.receipt(ada, adas.id).await.unwrap(),
            Some(adas.clone()),
            "{backend:?}: still pending, still there"
        );
        assert_eq!(
            store.expense_receipts(ada, adas.expense_id).await.unwrap(),
            vec![adas.clone()],
            "{backend:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn corrupt_rows_are_reported_not_guessed() {
    each_store(|store, db, backend| async move {
        let user = Uuid::now_v7();
        let unknown_status = pending(user, Uuid::now_v7());
        let negative_size = pending(user, Uuid::now_v7());
        store.insert_receipt(&unknown_status).await.unwrap();
        store.insert_receipt(&negative_size).await.unwrap();
        corrupt(&db, &UNKNOWN_STATUS, unknown_status.id).await;
        corrupt(&db, &NEGATIVE_SIZE, negative_size.id).await;

        match store.receipt(user, unknown_status.id).await {
            Err(RepoError::Corrupt(message)) => assert!(message.contains("lost"), "{message}"),
            other => panic!("{backend:?}: expected a corrupt row, got {other:?}"),
        }
        match store.receipt(user, negative_size.id).await {
            Err(RepoError::Corrupt(_)) => {}
            other => panic!("{backend:?}: expected a corrupt row, got {other:?}"),
        }
        for receipt in [&unknown_status, &negative_size] {
            match store.expense_receipts(user, receipt.expense_id).await {
                Err(RepoError::Corrupt(_)) => {}
                other => panic!("{backend:?}: expected a corrupt row, got {other:?}"),
            }
        }
        // The receipt of negative size is still pending, so the sweeper reads it too.
        match store.stale_pending(NOW + Duration::hours(1), 10).await {
            Err(RepoError::Corrupt(_)) => {}
            other => panic!("{backend:?}: expected a corrupt row, got {other:?}"),
        }
    })
    .await;
}
