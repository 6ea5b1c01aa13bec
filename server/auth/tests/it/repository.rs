//! The repository conformance suite: every case runs against SQLite and Postgres.

use std::sync::Arc;

use expense_api::auth::Role;
use expense_auth::repository::{
    AuthStore, NewPersonalAccessToken, NewRefreshToken, RepoError, Rotation, USERS_EMAIL_KEY, UserRecord,
};
use expense_kit::db::DbPool;
use time::Duration;
use uuid::Uuid;

use crate::helpers::{BACKENDS, Backend, START, Storage};

/// The time records here are stamped with: the stores take time as a parameter and read no clock.
const NOW: time::OffsetDateTime = START;

/// Runs `case` once per backend on a fresh, migrated store.
async fn each_store<F, Fut>(case: F)
where
    F: Fn(Arc<dyn AuthStore>, Backend) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in BACKENDS {
        let storage = Storage::new(backend).await;
        let pool = DbPool::connect(&storage.database, storage.data_dir.path(), expense_auth::SERVICE)
            .await
            .expect("connects");
        pool.migrate(&expense_auth::MIGRATIONS).await.expect("migrates");
        // Migrating twice is a no-op.
        pool.migrate(&expense_auth::MIGRATIONS)
            .await
            .expect("migrates again");
        case(expense_auth::store(&pool), backend).await;
        pool.close().await;
    }
}

fn user(email: &str) -> UserRecord {
    UserRecord {
        id: Uuid::now_v7(),
        email: email.to_owned(),
        password_hash: "$argon2id$placeholder".to_owned(),
        role: Role::User,
        disabled_at: None,
        created_at: NOW,
        session_generation: 0,
    }
}

fn refresh_token(user_id: Uuid, family_id: Uuid) -> NewRefreshToken {
    let now = NOW;
    NewRefreshToken {
        id: Uuid::now_v7(),
        family_id,
        user_id,
        token_hash: Uuid::now_v7().as_bytes().repeat(2),
        created_at: now,
        expires_at: now + Duration::days(30),
    }
}

#[tokio::test]
async fn users_round_trip_and_emails_are_unique() {
    each_store(|store, backend| async move {
        let ada = user("ada@example.com");
        store.insert_user(&ada).await.unwrap();
        assert_eq!(
            store.user_by_email("ada@example.com").await.unwrap(),
            Some(ada.clone()),
            "{backend:?}"
        );
        assert_eq!(store.user_by_id(ada.id).await.unwrap(), Some(ada.clone()));
        assert_eq!(store.user_by_email("nobody@example.com").await.unwrap(), None);
        assert_eq!(store.user_by_id(Uuid::now_v7()).await.unwrap(), None);
        match store.insert_user(&user("ada@example.com")).await {
            Err(RepoError::Conflict(name)) => assert_eq!(name, USERS_EMAIL_KEY, "{backend:?}"),
            other => panic!("{backend:?}: expected a conflict, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn users_list_in_creation_order_by_pages() {
    each_store(|store, _| async move {
        let mut ids = Vec::new();
        for n in 0..5 {
            let record = user(&format!("u{n}@example.com"));
            ids.push(record.id);
            store.insert_user(&record).await.unwrap();
        }
        let first = store.list_users(None, 2).await.unwrap();
        assert_eq!(first.iter().map(|u| u.id).collect::<Vec<_>>(), ids[..2]);
        let rest = store.list_users(Some(ids[1]), 10).await.unwrap();
        assert_eq!(rest.iter().map(|u| u.id).collect::<Vec<_>>(), ids[2..]);
    })
    .await;
}

#[tokio::test]
async fn users_can_be_disabled_and_promoted() {
    each_store(|store, _| async move {
        let ada = user("ada@example.com");
        store.insert_user(&ada).await.unwrap();
        let at = NOW;
        assert!(store.set_user_disabled(ada.id, Some(at)).await.unwrap());
        assert_eq!(
            store.user_by_id(ada.id).await.unwrap().unwrap().disabled_at,
            Some(at)
        );
        assert!(store.set_user_disabled(ada.id, None).await.unwrap());
        assert_eq!(store.user_by_id(ada.id).await.unwrap().unwrap().disabled_at, None);
        assert!(store.set_user_role(ada.id, Role::Admin).await.unwrap());
        assert_eq!(store.user_by_id(ada.id).await.unwrap().unwrap().role, Role::Admin);
        assert!(!store.set_user_disabled(Uuid::now_v7(), Some(at)).await.unwrap());
        assert!(!store.set_user_role(Uuid::now_v7(), Role::Admin).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn refresh_tokens_rotate_once() {
    each_store(|store, backend| async move {
        let ada = user("ada@example.com");
        store.insert_user(&ada).await.unwrap();
        let family = Uuid::now_v7();
        let first = refresh_token(ada.id, family);
        store.insert_refresh_token(&first).await.unwrap();
        let found = store
            .refresh_token_by_hash(&first.token_hash)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (found.id, found.family_id, found.user_id),
            (first.id, family, ada.id)
        );
        assert_eq!((found.used_at, found.revoked_at), (None, None));

        let second = refresh_token(ada.id, family);
        let at = NOW;
        assert_eq!(
            store.rotate_refresh_token(first.id, &second, at).await.unwrap(),
            Rotation::Rotated
        );
        assert_eq!(
            store
                .refresh_token_by_hash(&first.token_hash)
                .await
                .unwrap()
                .unwrap()
                .used_at,
            Some(at)
        );
        assert!(
            store
                .refresh_token_by_hash(&second.token_hash)
                .await
                .unwrap()
                .is_some()
        );

        let third = refresh_token(ada.id, family);
        assert_eq!(
            store.rotate_refresh_token(first.id, &third, at).await.unwrap(),
            Rotation::AlreadySpent,
            "{backend:?}"
        );
        assert!(
            store
                .refresh_token_by_hash(&third.token_hash)
                .await
                .unwrap()
                .is_none(),
            "nothing stored on a lost rotation"
        );
    })
    .await;
}

#[tokio::test]
async fn concurrent_rotations_of_one_token_have_one_winner() {
    each_store(|store, backend| async move {
        let ada = user("ada@example.com");
        store.insert_user(&ada).await.unwrap();
        let family = Uuid::now_v7();
        let first = refresh_token(ada.id, family);
        store.insert_refresh_token(&first).await.unwrap();
        let attempts = (0..8).map(|_| {
            let store = Arc::clone(&store);
            let next = refresh_token(ada.id, family);
            tokio::spawn(async move { store.rotate_refresh_token(first.id, &next, NOW).await.unwrap() })
        });
        let mut winners = 0;
        for attempt in attempts {
            if attempt.await.unwrap() == Rotation::Rotated {
                winners += 1;
            }
        }
        assert_eq!(winners, 1, "{backend:?}");
    })
    .await;
}

#[tokio::test]
async fn families_and_accounts_can_be_revoked() {
    each_store(|store, _| async move {
        let ada = user("ada@example.com");
        store.insert_user(&ada).await.unwrap();
        let family = Uuid::now_v7();
        let other_family = Uuid::now_v7();
        let a = refresh_token(ada.id, family);
        let b = refresh_token(ada.id, family);
        let c = refresh_token(ada.id, other_family);
        for token in [&a, &b, &c] {
            store.insert_refresh_token(token).await.unwrap();
        }
        let at = NOW;
        assert_eq!(store.revoke_refresh_family(family, at).await.unwrap(), 2);
        assert_eq!(
            store.revoke_refresh_family(family, at).await.unwrap(),
            0,
            "already revoked"
        );
        assert_eq!(
            store
                .refresh_token_by_hash(&a.token_hash)
                .await
                .unwrap()
                .unwrap()
                .revoked_at,
            Some(at)
        );
        assert_eq!(
            store
                .refresh_token_by_hash(&c.token_hash)
                .await
                .unwrap()
                .unwrap()
                .revoked_at,
            None
        );
        assert_eq!(store.revoke_user_refresh_tokens(ada.id, at).await.unwrap(), 1);
        let spent = refresh_token(ada.id, other_family);
        assert_eq!(
            store.rotate_refresh_token(c.id, &spent, at).await.unwrap(),
            Rotation::AlreadySpent
        );
    })
    .await;
}

#[tokio::test]
async fn personal_access_tokens_are_scoped_to_their_owner() {
    each_store(|store, backend| async move {
        let ada = user("ada@example.com");
        let bob = user("bob@example.com");
        store.insert_user(&ada).await.unwrap();
        store.insert_user(&bob).await.unwrap();
        let now = NOW;
        let token = |name: &str, owner: Uuid| NewPersonalAccessToken {
            id: Uuid::now_v7(),
            user_id: owner,
            name: name.to_owned(),
            token_hash: Uuid::now_v7().as_bytes().to_vec(),
            created_at: now,
            expires_at: now + Duration::days(90),
        };
        let ci = token("ci", ada.id);
        let laptop = token("laptop", ada.id);
        let bobs = token("bob's", bob.id);
        for t in [&ci, &laptop, &bobs] {
            store.insert_personal_access_token(t).await.unwrap();
        }
        let listed = store.list_personal_access_tokens(ada.id).await.unwrap();
        assert_eq!(
            listed.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["laptop", "ci"],
            "{backend:?}"
        );
        let found = store
            .personal_access_token_by_hash(&ci.token_hash)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (found.id, found.expires_at, found.last_used_at),
            (ci.id, ci.expires_at, None)
        );

        assert!(
            !store
                .revoke_personal_access_token(bob.id, ci.id, now)
                .await
                .unwrap(),
            "not bob's to revoke"
        );
        assert!(
            store
                .revoke_personal_access_token(ada.id, ci.id, now)
                .await
                .unwrap()
        );
        assert!(
            !store
                .revoke_personal_access_token(ada.id, ci.id, now)
                .await
                .unwrap(),
            "already revoked"
        );
        assert_eq!(
            store
                .personal_access_token_by_hash(&ci.token_hash)
                .await
                .unwrap()
                .unwrap()
                .revoked_at,
            Some(now)
        );

        store.touch_personal_access_token(laptop.id, now).await.unwrap();
        assert_eq!(
            store
                .personal_access_token_by_hash(&laptop.token_hash)
                .await
                .unwrap()
                .unwrap()
                .last_used_at,
            Some(now)
        );
    })
    .await;
}

#[tokio::test]
async fn a_password_change_ends_the_account_s_sessions_and_nobody_else_s() {
    each_store(|store, backend| async move {
        let ada = user("ada@example.com");
        let bob = user("bob@example.com");
        store.insert_user(&ada).await.unwrap();
        store.insert_user(&bob).await.unwrap();
        let adas = refresh_token(ada.id, Uuid::now_v7());
        let bobs = refresh_token(bob.id, Uuid::now_v7());
        store.insert_refresh_token(&adas).await.unwrap();
        store.insert_refresh_token(&bobs).await.unwrap();
        let pat = |owner: Uuid| NewPersonalAccessToken {
            id: Uuid::now_v7(),
            user_id: owner,
            name: "ci".to_owned(),
            token_hash: Uuid::now_v7().as_bytes().to_vec(),
            created_at: NOW,
            expires_at: NOW + Duration::days(90),
        };
        let (ada_pat, bob_pat) = (pat(ada.id), pat(bob.id));
        store.insert_personal_access_token(&ada_pat).await.unwrap();
        store.insert_personal_access_token(&bob_pat).await.unwrap();
        let at = NOW + Duration::minutes(5);

        // Without revoking tokens: the hash and generation change, sessions end, the PAT stays.
        assert_eq!(
            store
                .change_password(ada.id, "$argon2id$new", at, false)
                .await
                .unwrap(),
            Some(1),
            "{backend:?}"
        );
        let changed = store.user_by_id(ada.id).await.unwrap().unwrap();
        assert_eq!(
            (changed.password_hash.as_str(), changed.session_generation),
            ("$argon2id$new", 1)
        );
        let ended = store
            .refresh_token_by_hash(&adas.token_hash)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ended.revoked_at, Some(at));
        let kept = store
            .personal_access_token_by_hash(&ada_pat.token_hash)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kept.revoked_at, None);

        // With revoking tokens: the next generation, and the PAT ends too.
        assert_eq!(
            store
                .change_password(ada.id, "$argon2id$newer", at, true)
                .await
                .unwrap(),
            Some(2)
        );
        let revoked = store
            .personal_access_token_by_hash(&ada_pat.token_hash)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(revoked.revoked_at, Some(at));

        // Bob is untouched.
        let bob_now = store.user_by_id(bob.id).await.unwrap().unwrap();
        assert_eq!(
            (bob_now.password_hash, bob_now.session_generation),
            (bob.password_hash, 0)
        );
        let bob_session = store
            .refresh_token_by_hash(&bobs.token_hash)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(bob_session.revoked_at, None);
        let bob_token = store
            .personal_access_token_by_hash(&bob_pat.token_hash)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(bob_token.revoked_at, None);

        // No such account: nothing changes.
        assert_eq!(
            store
                .change_password(Uuid::now_v7(), "$argon2id$x", at, true)
                .await
                .unwrap(),
            None
        );
    })
    .await;
}
