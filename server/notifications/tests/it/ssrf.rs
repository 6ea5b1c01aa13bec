//! Webhooks cannot reach the machine's or the cluster's insides: real listeners on loopback,
//! addressed through every disguise a URL allows (IPv4-mapped and -compatible IPv6, shorthand,
//! decimal and hexadecimal IPv4, `0.0.0.0`, NAT64, a name that resolves to loopback), receive no
//! connection from the deliverer. The same deliverer with private networks allowed does connect,
//! so the listeners would see it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use expense_api::notifications::DeliveryStatus;
use expense_kit::clock::Clock;
use expense_kit::db::DbPool;
use expense_notifications::repository::{NewDelivery, NotificationStore, WebhookRecord};
use expense_notifications::webhooks::{Deliverer, DeliveryPolicy};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::helpers::{Backend, START, database};

/// A TCP listener counting the connections it accepts (then dropping them).
async fn counting_listener(address: &str) -> Option<(SocketAddr, Arc<AtomicUsize>)> {
    let listener = tokio::net::TcpListener::bind(address).await.ok()?;
    let local = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    Some((local, count))
}

/// A store with one webhook per URL and one due delivery each; returns the webhook ids.
async fn store_with_webhooks(
    urls: &[String],
) -> (Arc<dyn NotificationStore>, Vec<Uuid>, Uuid, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let pool = DbPool::connect(
        &database(Backend::Sqlite).await,
        data.path(),
        expense_notifications::SERVICE,
    )
    .await
    .unwrap();
    pool.migrate(&expense_notifications::MIGRATIONS).await.unwrap();
    let store = expense_notifications::store(&pool);
    let user_id = Uuid::now_v7();
    let mut ids = Vec::new();
    for url in urls {
        // Straight into the store: registration would refuse these; delivery must too.
        let webhook = WebhookRecord {
            id: Uuid::now_v7(),
            user_id,
            url: url.clone(),
            secret: "whsec_test".into(),
            created_at: START,
        };
        store.insert_webhook(&webhook).await.unwrap();
        store
            .insert_deliveries(&[NewDelivery {
                id: Uuid::now_v7(),
                webhook_id: webhook.id,
                user_id,
                event: "webhook.test".into(),
                payload: "{}".into(),
                created_at: START,
            }])
            .await
            .unwrap();
        ids.push(webhook.id);
    }
    (store, ids, user_id, data)
}

fn deliverer(store: Arc<dyn NotificationStore>, allow_private_networks: bool) -> Deliverer {
    Deliverer::new(
        store,
        DeliveryPolicy {
            retry_base: Duration::from_secs(3600),
            max_attempts: 1,
            allow_private_networks,
        },
        Arc::new(Notify::new()),
        Clock::frozen(START),
    )
}

#[tokio::test]
async fn no_disguise_reaches_a_listener_on_loopback() {
    let (v4, v4_count) = counting_listener("127.0.0.1:0").await.unwrap();
    let port = v4.port();
    let mut urls: Vec<String> = [
        format!("https://[::ffff:127.0.0.1]:{port}/"),
        format!("https://[::ffff:7f00:1]:{port}/"),
        format!("https://[::127.0.0.1]:{port}/"),
        format!("https://[64:ff9b::7f00:1]:{port}/"),
        format!("https://127.1:{port}/"),
        format!("https://2130706433:{port}/"),
        format!("https://0x7f000001:{port}/"),
        format!("https://0.0.0.0:{port}/"),
        format!("https://localhost:{port}/"),
        format!("https://127.0.0.1:{port}/"),
    ]
    .to_vec();
    let v6 = counting_listener("[::1]:0").await;
    if let Some((v6, _)) = &v6 {
        urls.push(format!("https://[::1]:{}/", v6.port()));
        urls.push(format!("https://[0:0:0:0:0:0:0:1]:{}/", v6.port()));
    }
    let (store, webhooks, user_id, _data) = store_with_webhooks(&urls).await;

    let attempted = deliverer(Arc::clone(&store), false).deliver_due().await.unwrap();
    assert_eq!(attempted, urls.len());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(v4_count.load(Ordering::SeqCst), 0, "a disguise reached 127.0.0.1");
    if let Some((_, v6_count)) = &v6 {
        assert_eq!(v6_count.load(Ordering::SeqCst), 0, "a disguise reached ::1");
    }
    for (url, webhook) in urls.iter().zip(&webhooks) {
        let delivery = &store.deliveries(user_id, *webhook, 10).await.unwrap()[0].to_api();
        assert_eq!(delivery.status, DeliveryStatus::Failed, "{url}");
        let error = delivery.last_error.as_deref().unwrap_or_default();
        assert!(
            error.contains("not a public internet address"),
            "{url}: refused for the wrong reason: {error}"
        );
    }
}

/// The control: allowed to, the same deliverer reaches the listener through the mapped form, so
/// the test above would see a connection if the check let one through.
#[tokio::test]
async fn with_private_networks_allowed_the_listener_is_reached() {
    let (v4, count) = counting_listener("127.0.0.1:0").await.unwrap();
    let urls = [
        format!("https://[::ffff:127.0.0.1]:{}/", v4.port()),
        format!("https://127.1:{}/", v4.port()),
    ];
    let (store, _, _, _data) = store_with_webhooks(&urls).await;
    deliverer(store, true).deliver_due().await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while count.load(Ordering::SeqCst) < urls.len() {
        assert!(
            std::time::Instant::now() < deadline,
            "the listener was never reached"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
