//! Deleting an account erases it everywhere, on SQLite and on Postgres, through `expense-server
//! all` (events on the in-process bus): after `DELETE /v1/me`, no row of the user remains in any
//! table of any service, no object under the user's prefix remains in the receipts store, no event
//! about the user waits in an outbox, another user's data is untouched, and the e-mail address
//! registers again as a fresh, empty account.
//!
//! The tables are not listed here: they are read from each service's schema (every table with a
//! `user_id` column, and `users`), so a table added without its place in the service's erasure
//! keeps rows of the deleted user and fails this test. The one exception is each service's
//! `deleted_users`, the tombstone that holds the id alone (docs/security.md, "Deleting an
//! account"), which must hold exactly that.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use expense_kit::clock::Clock;
use expense_kit::db::{DbPool, Sql, SqlDb};
use expense_server::{Role, Settings};
use expense_testkit::{BACKENDS, Backend};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

const PASSWORD: &str = "correct horse battery staple";
/// Every service with storage.
const SERVICES: [&str; 4] = ["auth", "expenses", "receipts", "notifications"];
/// The tombstone table: the deleted user's id and a time, nothing else.
const TOMBSTONES: &str = "deleted_users";
/// A receipt's bytes and their SHA-256.
const RECEIPT: &[u8] = b"abc";
const RECEIPT_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

/// Every table with a user column, per service: `(service, table, column)`.
const TABLES_WITH_USERS: Sql = Sql::each(
    "SELECT table_name::text AS name, column_name::text AS col FROM information_schema.columns
     WHERE table_schema = current_schema()
       AND (column_name = 'user_id' OR (table_name = 'users' AND column_name = 'id'))
     ORDER BY 1",
    "SELECT m.name AS name, p.name AS col FROM sqlite_master m JOIN pragma_table_info(m.name) p
     WHERE m.type = 'table' AND (p.name = 'user_id' OR (m.name = 'users' AND p.name = 'id'))
     ORDER BY 1",
);

struct Server {
    base: String,
    client: reqwest::Client,
    settings: Settings,
    _data: tempfile::TempDir,
}

struct Account {
    id: Uuid,
    email: String,
    token: String,
}

impl Server {
    async fn start(backend: Backend) -> Self {
        let data = tempfile::tempdir().unwrap();
        let settings = Settings {
            database: expense_testkit::database(backend).await,
            expenses: expense_expenses::ExpensesConfig {
                outbox_poll_ms: 50,
                ..Default::default()
            },
            // Real time: the receipts store judges presigned URLs by it.
            clock: Clock::system(),
            ..Settings::for_tests(data.path())
        };
        let app = expense_server::build(&settings, Role::All).await.unwrap();
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        Self {
            base,
            client: reqwest::Client::new(),
            settings,
            _data: data,
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn ok(&self, method: Method, path: &str, token: &str, body: Value) -> Value {
        let body = (!body.is_null()).then_some(body);
        let (status, answer) = self.call(method.clone(), path, Some(token), body).await;
        assert!(status.is_success(), "{method} {path}: {status} {answer}");
        answer
    }

    async fn sign_up(&self, email: &str) -> Account {
        let (status, user) = self
            .call(
                Method::POST,
                "/v1/auth/register",
                None,
                Some(json!({ "email": email, "password": PASSWORD })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        let (status, session) = self
            .call(
                Method::POST,
                "/v1/auth/login",
                None,
                Some(json!({ "email": email, "password": PASSWORD })),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        Account {
            id: user["id"].as_str().unwrap().parse().unwrap(),
            email: email.to_owned(),
            token: session["access_token"].as_str().unwrap().to_owned(),
        }
    }

    /// Something of the account in every service: a webhook, a budget and an expense that
    /// crosses it (an alert, its notification and delivery), settings, a recurring schedule that
    /// recorded expenses, a rate, an uploaded receipt and a pending one, a personal access token.
    async fn fill(&self, account: &Account) {
        let token = account.token.as_str();
        let today = Clock::system().today();
        let day = |date: time::Date| {
            format!(
                "{:04}-{:02}-{:02}",
                date.year(),
                u8::from(date.month()),
                date.day()
            )
        };
        self.ok(
            Method::POST,
            "/v1/webhooks",
            token,
            json!({ "url": "https://hooks.example.com/h" }),
        )
        .await;
        self.ok(
            Method::PUT,
            "/v1/notifications/settings",
            token,
            json!({ "monthly_summary": true }),
        )
        .await;
        // Reading the settings is how the service learns the address to mail.
        self.ok(Method::GET, "/v1/notifications/settings", token, Value::Null)
            .await;
        self.ok(
            Method::PUT,
            "/v1/budgets/food",
            token,
            json!({ "amount": "10", "currency": "EUR" }),
        )
        .await;
        // Before the expense: the notifications service's copy of the rate is made before the
        // alert the expense fires, which the set-up waits for.
        self.ok(
            Method::PUT,
            &format!("/v1/rates/USD/EUR/{}", day(today)),
            token,
            json!({ "rate": "0.9" }),
        )
        .await;
        let expense: Value = self
            .client
            .post(format!("{}/v1/expenses", self.base))
            .bearer_auth(token)
            .header("idempotency-key", Uuid::now_v7().to_string())
            .json(&json!({ "amount": "9.50", "currency": "EUR", "category": "food", "spent_on": day(today) }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        self.ok(
            Method::POST,
            "/v1/recurring",
            token,
            json!({
                "amount": "1.00", "currency": "EUR", "category": "rent", "every": "day",
                "from": day(today - time::Duration::days(2)),
            }),
        )
        .await;
        self.ok(
            Method::POST,
            "/v1/rules",
            token,
            json!({ "merchant": "lidl", "category": "groceries" }),
        )
        .await;
        self.ok(Method::POST, "/v1/auth/tokens", token, json!({ "name": "ci" }))
            .await;
        let expense = expense["id"].as_str().unwrap();
        let receipts = format!("/v1/expenses/{expense}/receipts");
        let created = self
            .ok(
                Method::POST,
                &receipts,
                token,
                json!({ "content_type": "image/png", "size": RECEIPT.len(), "sha256": RECEIPT_SHA256 }),
            )
            .await;
        let mut upload = self.client.put(created["upload"]["url"].as_str().unwrap());
        for (name, value) in created["upload"]["headers"].as_object().unwrap() {
            if name != "content-length" {
                upload = upload.header(name, value.as_str().unwrap());
            }
        }
        let uploaded = upload.body(RECEIPT.to_vec()).send().await.unwrap();
        assert!(
            uploaded.status().is_success(),
            "{}",
            uploaded.text().await.unwrap()
        );
        let receipt = created["receipt"]["id"].as_str().unwrap();
        self.ok(
            Method::POST,
            &format!("/v1/receipts/{receipt}/complete"),
            token,
            Value::Null,
        )
        .await;
        // A second receipt left pending.
        self.ok(
            Method::POST,
            &receipts,
            token,
            json!({ "content_type": "image/png", "size": 1, "sha256": "cd".repeat(32) }),
        )
        .await;
        // The budget alert arrives through the expenses outbox and the notifications consumer.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let list = self
                .ok(Method::GET, "/v1/notifications", token, Value::Null)
                .await;
            if !list["items"].as_array().unwrap().is_empty() {
                break;
            }
            assert!(Instant::now() < deadline, "no budget alert arrived");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Rows of `user` in every table with a user column, by `service.table`.
    async fn rows_of(&self, user: Uuid) -> BTreeMap<String, i64> {
        let mut rows = BTreeMap::new();
        for service in SERVICES {
            let pool = DbPool::connect(&self.settings.database, &self.settings.server.data_dir(), service)
                .await
                .unwrap();
            let db = SqlDb::of(&pool);
            let tables = db.query(&TABLES_WITH_USERS).fetch_all().await.unwrap();
            assert!(!tables.is_empty(), "{service}: no table with a user column found");
            for table in tables {
                let (name, column): (String, String) =
                    (table.get("name").unwrap(), table.get("col").unwrap());
                let count = Sql::built(format!("SELECT COUNT(*) AS n FROM {name} WHERE {column} = $1"));
                let count: i64 = db
                    .query(&count)
                    .bind(user)
                    .fetch_one()
                    .await
                    .unwrap()
                    .get("n")
                    .unwrap();
                rows.insert(format!("{service}.{name}"), count);
            }
            pool.close().await;
        }
        rows
    }

    /// Files of the embedded receipts store (an object each) whose key names the user.
    fn objects_of(&self, user: Uuid) -> Vec<String> {
        let mut found = Vec::new();
        walk(
            &self.settings.server.data_dir().join("objects"),
            &user.to_string(),
            &mut found,
        );
        found
    }
}

fn walk(dir: &Path, needle: &str, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            // Folders are not objects: the store may leave an emptied one behind.
            walk(&path, needle, found);
        } else if path.to_string_lossy().contains(needle) {
            found.push(path.display().to_string());
        }
    }
}

/// The rows left of `user`, tombstones aside.
fn left(rows: &BTreeMap<String, i64>) -> BTreeMap<&str, i64> {
    rows.iter()
        .filter(|(table, count)| !table.ends_with(&format!(".{TOMBSTONES}")) && **count > 0)
        .map(|(table, count)| (table.as_str(), *count))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_account_leaves_nothing_in_any_service_and_its_address_registers_again() {
    for backend in BACKENDS {
        let server = Server::start(backend).await;
        let ada = server
            .sign_up(&format!("ada-{}@example.com", Uuid::now_v7().simple()))
            .await;
        let bob = server
            .sign_up(&format!("bob-{}@example.com", Uuid::now_v7().simple()))
            .await;
        server.fill(&ada).await;
        server.fill(&bob).await;
        // This month's summary, as the CronJob sends it (to both: they asked for it).
        let today = Clock::system().today();
        let month = format!("{:04}-{:02}", today.year(), u8::from(today.month()));
        let run = expense_server::monthly_summary(&server.settings, Some(&month), false)
            .await
            .unwrap();
        assert!(run.mailed >= 2, "{backend:?}: {run:?}");
        let before = server.rows_of(ada.id).await;
        let bob_before = server.rows_of(bob.id).await;
        // Every table with a user column had something of Ada's (so the check below means
        // something), except the tombstones and the outboxes, whose rows come and go.
        for (table, count) in &before {
            if !table.ends_with(TOMBSTONES) && !table.ends_with(".outbox") {
                assert!(
                    *count > 0,
                    "{backend:?}: Ada has nothing in {table}, so its erasure is not tested"
                );
            }
        }
        assert!(
            !server.objects_of(ada.id).is_empty(),
            "{backend:?}: Ada's receipt is stored"
        );

        let (status, answer) = server
            .call(
                Method::DELETE,
                "/v1/me",
                Some(&ada.token),
                Some(json!({ "password": PASSWORD })),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{backend:?}: {answer}");

        let deadline = Instant::now() + Duration::from_secs(30);
        let after = loop {
            let after = server.rows_of(ada.id).await;
            // Each service's tables are counted one query at a time, so wait for the tombstones
            // too: rows and tombstone change in one transaction, but may be read either side of it.
            let tombstoned = ["expenses", "receipts", "notifications"]
                .iter()
                .all(|service| after.get(&format!("{service}.{TOMBSTONES}")) == Some(&1));
            if left(&after).is_empty() && server.objects_of(ada.id).is_empty() && tombstoned {
                break after;
            }
            assert!(
                Instant::now() < deadline,
                "{backend:?}: rows of the deleted account remain: {:?}; objects: {:?}",
                left(&after),
                server.objects_of(ada.id)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        for service in ["expenses", "receipts", "notifications"] {
            assert_eq!(
                after.get(&format!("{service}.{TOMBSTONES}")),
                Some(&1),
                "{backend:?}: {service} keeps the tombstone"
            );
        }
        // No event about Ada is left to publish (the outboxes are among the tables above).
        assert_eq!(after["auth.outbox"], 0);
        assert_eq!(after["expenses.outbox"], 0);

        // Bob's data is untouched, and his receipt is still stored.
        let bob_after = server.rows_of(bob.id).await;
        for (table, count) in &bob_before {
            if !table.ends_with(".outbox") {
                assert_eq!(bob_after[table], *count, "{backend:?}: Bob's rows in {table}");
            }
        }
        assert!(
            !server.objects_of(bob.id).is_empty(),
            "{backend:?}: Bob's receipt"
        );
        server.ok(Method::GET, "/v1/me", &bob.token, Value::Null).await;

        // The old token is refused; the address registers again, and the new account is empty.
        let (status, _) = server
            .call(Method::GET, "/v1/expenses", Some(&ada.token), None)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend:?}");
        let again = server.sign_up(&ada.email).await;
        assert_ne!(again.id, ada.id);
        for list in [
            "/v1/expenses",
            "/v1/budgets",
            "/v1/recurring",
            "/v1/rates",
            "/v1/notifications",
            "/v1/webhooks",
            "/v1/auth/tokens",
        ] {
            let answer = server.ok(Method::GET, list, &again.token, Value::Null).await;
            assert_eq!(
                answer["items"],
                json!([]),
                "{backend:?}: {list} of the new account"
            );
        }
        let summary = server
            .ok(Method::GET, "/v1/summary", &again.token, Value::Null)
            .await;
        assert!(!summary.to_string().contains("food"), "{backend:?}: {summary}");
    }
}
