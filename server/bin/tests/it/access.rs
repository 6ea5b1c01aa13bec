//! The access-control matrix: every operation of the committed OpenAPI document, called against
//! `expense-server all` by each kind of caller that must not get in, answers as documented.
//!
//! The matrix below names every operation (`METHOD /path/template`) with who may use it. A route
//! added to the document without a row here, or a row whose route is gone, fails
//! `the_matrix_names_every_documented_operation`; a row that contradicts the document's own
//! description (security, documented 401/403/404) fails it too. Then, with real resources of user
//! A (an expense, a budget, a receipt, a notification from a budget alert, a webhook, a personal
//! access token), every non-public operation is called:
//!
//! - anonymously, with an expired access token, with a revoked personal access token, and with
//!   the tokens of a disabled account (on its own resources): 401 problem+json;
//! - by another user B: 404 for A's resources (never 403, never A's data), B's own data for
//!   routes about the caller, and 403 for the admin routes (documented: they hold no user data).
//!
//! Public operations are called anonymously and with every bad token, and work all the same.
//! Every answer is checked not to contain A's ids, e-mail, note or amount, and A's resources
//! are checked intact afterwards. Last, every operation that takes a `cursor` refuses crafted
//! ones with 422 naming `cursor`.

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use expense_api::auth::{CreatedToken, TokenResponse, User};
use expense_kit::auth::{AUDIENCE, AccessClaims, ISSUER, Role as TokenRole};
use expense_kit::clock::Clock;
use expense_kit::config::DatabaseConfig;
use expense_server::{Role, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// A resource of user A that a route's `{id}` (or `{name}`, `{category}`) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resource {
    Expense,
    Receipt,
    Notification,
    Webhook,
    Token,
    /// A recurring schedule.
    Recurring,
    /// An exchange rate: its pair and day (`USD/EUR/2026-11-26`) name it.
    Rate,
    /// A categorisation rule.
    Rule,
    /// A category with expenses and a budget.
    Category,
    /// The account itself (admin routes).
    Account,
}

/// Who may use an operation, and so what everyone else gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// No token needed (registration, sign-in, keys): the same answer with or without one.
    Public,
    /// About the caller only (lists, settings, creation): another user gets their own data.
    Own,
    /// One resource of its owner: another user gets 404, as for an id that does not exist.
    Owned(Resource),
    /// Administrators only: another (non-admin) user gets 403. These routes hold no user data
    /// of the caller's, so a 403 reveals nothing (docs/security.md, "Access control").
    Admin(Option<Resource>),
    /// The caller's own account, guarded by its password and open to an interactive session only
    /// (a personal access token gets 403): another user, giving a password that is not theirs,
    /// gets 422 and changes nothing, of anyone.
    OwnAccount,
}

use Access::{Admin, Own, OwnAccount, Owned, Public};

/// Every documented operation. Keep it in the document's terms: `METHOD /path/template`.
const MATRIX: &[(&str, Access)] = &[
    ("GET /.well-known/jwks.json", Public),
    ("POST /v1/auth/register", Public),
    ("POST /v1/auth/login", Public),
    ("POST /v1/auth/refresh", Public),
    ("POST /v1/auth/logout", Public),
    ("GET /v1/auth/introspect", Own),
    ("GET /v1/me", Own),
    ("DELETE /v1/me", OwnAccount),
    ("POST /v1/me/password", OwnAccount),
    ("GET /v1/auth/tokens", Own),
    ("POST /v1/auth/tokens", Own),
    ("DELETE /v1/auth/tokens/{id}", Owned(Resource::Token)),
    ("GET /v1/admin/users", Admin(None)),
    (
        "POST /v1/admin/users/{id}/disable",
        Admin(Some(Resource::Account)),
    ),
    ("POST /v1/admin/users/{id}/enable", Admin(Some(Resource::Account))),
    ("GET /v1/expenses", Own),
    ("POST /v1/expenses", Own),
    ("POST /v1/expenses/batch", Own),
    ("GET /v1/expenses/{id}", Owned(Resource::Expense)),
    ("PATCH /v1/expenses/{id}", Owned(Resource::Expense)),
    ("DELETE /v1/expenses/{id}", Owned(Resource::Expense)),
    ("GET /v1/expenses/{id}/receipts", Owned(Resource::Expense)),
    ("POST /v1/expenses/{id}/receipts", Owned(Resource::Expense)),
    ("GET /v1/receipts/{id}", Owned(Resource::Receipt)),
    ("DELETE /v1/receipts/{id}", Owned(Resource::Receipt)),
    ("POST /v1/receipts/{id}/complete", Owned(Resource::Receipt)),
    ("GET /v1/categories", Own),
    ("POST /v1/categories/{name}/rename", Owned(Resource::Category)),
    ("POST /v1/categories/{name}/merge", Owned(Resource::Category)),
    ("GET /v1/summary", Own),
    ("GET /v1/budgets", Own),
    // Setting a budget of the same name makes the caller's own budget.
    ("PUT /v1/budgets/{category}", Own),
    ("DELETE /v1/budgets/{category}", Owned(Resource::Category)),
    ("GET /v1/recurring", Own),
    ("POST /v1/recurring", Own),
    ("GET /v1/recurring/{id}", Owned(Resource::Recurring)),
    ("DELETE /v1/recurring/{id}", Owned(Resource::Recurring)),
    ("POST /v1/recurring/{id}/pause", Owned(Resource::Recurring)),
    ("POST /v1/recurring/{id}/resume", Owned(Resource::Recurring)),
    ("GET /v1/rates", Own),
    // Setting a rate of the same pair and day makes the caller's own rate.
    ("PUT /v1/rates/{from}/{to}/{on}", Own),
    ("DELETE /v1/rates/{from}/{to}/{on}", Owned(Resource::Rate)),
    ("POST /v1/rates/ecb", Own),
    ("GET /v1/rules", Own),
    ("POST /v1/rules", Own),
    ("DELETE /v1/rules/{id}", Owned(Resource::Rule)),
    // Tests against, and applies, the caller's own rules to the caller's own expenses.
    ("POST /v1/rules/test", Own),
    ("POST /v1/rules/apply", Own),
    ("GET /v1/notifications", Own),
    ("POST /v1/notifications/read-all", Own),
    ("GET /v1/notifications/settings", Own),
    ("PUT /v1/notifications/settings", Own),
    ("POST /v1/notifications/{id}/read", Owned(Resource::Notification)),
    ("GET /v1/webhooks", Own),
    ("POST /v1/webhooks", Own),
    ("DELETE /v1/webhooks/{id}", Owned(Resource::Webhook)),
    ("GET /v1/webhooks/{id}/deliveries", Owned(Resource::Webhook)),
    ("POST /v1/webhooks/{id}/test", Owned(Resource::Webhook)),
];

const PASSWORD: &str = "correct horse battery staple";
/// A's expense: an amount and a note no one else uses, looked for in every answer to others.
const SECRET_AMOUNT: &str = "95.17";
const SECRET_NOTE: &str = "ada's private note";
/// A's exchange rate, looked for likewise.
const SECRET_RATE: &str = "0.917351";
/// The merchant text of A's categorisation rule, looked for likewise.
const SECRET_MERCHANT: &str = "ada's secret shop";

fn committed_document() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/api/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `METHOD /path` → the operation object, for every operation of the document.
fn operations(document: &Value) -> Vec<(String, Value)> {
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                operations.push((format!("{} {path}", method.to_uppercase()), operation.clone()));
            }
        }
    }
    operations
}

fn access_of(route: &str) -> Access {
    MATRIX
        .iter()
        .find(|(key, _)| *key == route)
        .map(|(_, access)| *access)
        .unwrap_or_else(|| panic!("{route} has no row in the access matrix"))
}

#[test]
fn the_matrix_names_every_documented_operation() {
    let document = committed_document();
    let documented: BTreeSet<String> = operations(&document).into_iter().map(|(key, _)| key).collect();
    let rows: BTreeSet<String> = MATRIX.iter().map(|(key, _)| (*key).to_owned()).collect();
    assert_eq!(rows.len(), MATRIX.len(), "a route has two rows");
    let missing: Vec<_> = documented.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&documented).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "documented operations without a row in the access matrix: {missing:?}; \
         rows for operations the document no longer has: {stale:?}"
    );
    for (route, operation) in operations(&document) {
        let secured = operation["security"].is_array();
        let documents = |status: &str| operation["responses"][status].is_object();
        match access_of(&route) {
            Public => assert!(
                !secured,
                "{route} is public in the matrix but needs a token in the document"
            ),
            access => {
                assert!(
                    secured,
                    "{route} needs a token in the matrix but not in the document"
                );
                assert!(documents("401"), "{route} does not document its 401");
                assert!(
                    !documents("403")
                        || matches!(access, Admin(_) | OwnAccount)
                        || route == "POST /v1/auth/tokens"
                );
                if access == OwnAccount {
                    assert!(documents("422"), "{route} does not document its 422");
                }
                match access {
                    Owned(_) => assert!(documents("404"), "{route} does not document its 404"),
                    Admin(_) => assert!(documents("403"), "{route} does not document its 403"),
                    _ => {}
                }
            }
        }
    }
}

/// A signed-in user and the resources they own.
#[derive(Debug, Clone, Default)]
struct Owner {
    id: String,
    email: String,
    access_token: String,
    expense: String,
    receipt: String,
    notification: String,
    webhook: String,
    token: String,
    recurring: String,
    /// The rate's pair and day, as its path names them.
    rate: String,
    rule: String,
    category: String,
}

impl Owner {
    fn id_of(&self, resource: Resource) -> &str {
        match resource {
            Resource::Expense => &self.expense,
            Resource::Receipt => &self.receipt,
            Resource::Notification => &self.notification,
            Resource::Webhook => &self.webhook,
            Resource::Token => &self.token,
            Resource::Recurring => &self.recurring,
            Resource::Rate => &self.rate,
            Resource::Rule => &self.rule,
            Resource::Category => &self.category,
            Resource::Account => &self.id,
        }
    }

    /// What no one else may ever see of this owner.
    fn fingerprints(&self) -> Vec<String> {
        let mut prints = vec![
            self.id.clone(),
            self.email.clone(),
            self.expense.clone(),
            self.receipt.clone(),
            self.notification.clone(),
            self.webhook.clone(),
            self.token.clone(),
            self.recurring.clone(),
            self.rule.clone(),
            SECRET_NOTE.to_owned(),
            SECRET_MERCHANT.to_owned(),
            SECRET_AMOUNT.to_owned(),
            SECRET_RATE.to_owned(),
        ];
        prints.retain(|print| !print.is_empty());
        prints
    }
}

/// A running `expense-server all` and an HTTP client.
struct Server {
    base: String,
    client: reqwest::Client,
    /// The server's clock: it runs on from a fixed day, so "today" never depends on the calendar.
    clock: Clock,
    _data: tempfile::TempDir,
}

/// One answer: status, media type and body.
struct Answer {
    status: StatusCode,
    content_type: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

impl Server {
    async fn start() -> Self {
        let data = tempfile::tempdir().unwrap();
        let settings = Settings {
            expenses: expense_expenses::ExpensesConfig {
                outbox_poll_ms: 50,
                ..Default::default()
            },
            clock: Clock::starting_at(time::macros::datetime!(2026-11-26 12:00 UTC)),
            ..Settings::for_tests(data.path())
        };
        let app = expense_server::build(&settings, Role::All).await.unwrap();
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        Self {
            base,
            client: reqwest::Client::new(),
            clock: settings.clock,
            _data: data,
        }
    }

    fn data_dir(&self) -> &std::path::Path {
        self._data.path()
    }

    async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Answer {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        match body {
            // A text body goes as it is: the ECB import takes a CSV file.
            Some(Value::String(text)) => {
                request = request.header("content-type", "text/csv").body(text.clone());
            }
            Some(body) => request = request.json(body),
            None => {}
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Answer {
            status,
            content_type,
            body: response.text().await.unwrap(),
        }
    }

    /// A call that must succeed; its JSON body.
    async fn ok(&self, method: Method, path: &str, token: Option<&str>, body: Value) -> Value {
        let body = (!body.is_null()).then_some(body);
        let answer = self.call(method.clone(), path, token, body.as_ref()).await;
        assert!(
            answer.status.is_success(),
            "{method} {path}: {} {}",
            answer.status,
            answer.body
        );
        answer.json()
    }

    async fn register(&self, name: &str) -> (String, TokenResponse) {
        let email = format!("{name}-{}@example.com", Uuid::now_v7().simple());
        self.ok(
            Method::POST,
            "/v1/auth/register",
            None,
            json!({ "email": email, "password": PASSWORD }),
        )
        .await;
        let session = self.login(&email).await;
        (email, session)
    }

    async fn login(&self, email: &str) -> TokenResponse {
        let session = self
            .ok(
                Method::POST,
                "/v1/auth/login",
                None,
                json!({ "email": email, "password": PASSWORD }),
            )
            .await;
        serde_json::from_value(session).unwrap()
    }

    /// A user with one of each resource; `alert` waits for a budget alert to make a notification.
    async fn owner(&self, name: &str, alert: bool) -> Owner {
        let (email, session) = self.register(name).await;
        let token = session.access_token.as_str();
        let me: User =
            serde_json::from_value(self.ok(Method::GET, "/v1/me", Some(token), Value::Null).await).unwrap();
        let category = format!("{name}-secret-category");
        let today = self.clock.today();
        let day = format!(
            "{:04}-{:02}-{:02}",
            today.year(),
            u8::from(today.month()),
            today.day()
        );
        self.ok(
            Method::PUT,
            &format!("/v1/budgets/{category}"),
            Some(token),
            json!({ "amount": "100", "currency": "EUR" }),
        )
        .await;
        let expense = self
            .ok(
                Method::POST,
                "/v1/expenses",
                Some(token),
                json!({
                    "amount": SECRET_AMOUNT, "currency": "EUR", "category": category,
                    "note": SECRET_NOTE, "spent_on": day,
                }),
            )
            .await;
        let expense = expense["id"].as_str().unwrap().to_owned();
        let receipt = self
            .ok(
                Method::POST,
                &format!("/v1/expenses/{expense}/receipts"),
                Some(token),
                json!({ "content_type": "image/png", "size": 10, "sha256": "ab".repeat(32) }),
            )
            .await;
        let notification = if alert {
            // 95.17 of 100 EUR crosses the 80 and 90 % thresholds.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            loop {
                let list = self
                    .ok(Method::GET, "/v1/notifications", Some(token), Value::Null)
                    .await;
                if let Some(id) = list["items"][0]["id"].as_str() {
                    break id.to_owned();
                }
                assert!(std::time::Instant::now() < deadline, "no budget alert arrived");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        } else {
            String::new()
        };
        // After the alert, so no delivery is attempted; a loopback address is refused anyway.
        let webhook = self
            .ok(
                Method::POST,
                "/v1/webhooks",
                Some(token),
                json!({ "url": "https://hooks.example.com/hook" }),
            )
            .await;
        let created: CreatedToken = serde_json::from_value(
            self.ok(
                Method::POST,
                "/v1/auth/tokens",
                Some(token),
                json!({ "name": "scripts" }),
            )
            .await,
        )
        .unwrap();
        // Its first day far ahead, so it records nothing that could move the budget's alerts.
        let recurring = self
            .ok(
                Method::POST,
                "/v1/recurring",
                Some(token),
                json!({
                    "amount": "12.00", "currency": "EUR", "category": "rent", "note": SECRET_NOTE,
                    "every": "month", "from": "2199-01-01",
                }),
            )
            .await;
        let rate = format!("USD/EUR/{day}");
        self.ok(
            Method::PUT,
            &format!("/v1/rates/{rate}"),
            Some(token),
            json!({ "rate": SECRET_RATE }),
        )
        .await;
        // It matches nothing Ada has, so applying her rules (in the matrix: a dry run) changes nothing.
        let rule = self
            .ok(
                Method::POST,
                "/v1/rules",
                Some(token),
                json!({ "merchant": SECRET_MERCHANT, "category": "secret" }),
            )
            .await;
        Owner {
            id: me.id.to_string(),
            email,
            access_token: session.access_token,
            expense,
            receipt: receipt["receipt"]["id"].as_str().unwrap().to_owned(),
            notification,
            webhook: webhook["id"].as_str().unwrap().to_owned(),
            token: created.token.id.to_string(),
            recurring: recurring["id"].as_str().unwrap().to_owned(),
            rate,
            rule: rule["id"].as_str().unwrap().to_owned(),
            category,
        }
    }
}

/// The request for `route` on `owner`'s resources: path and body.
fn request_for(route: &str, owner: &Owner) -> (Method, String, Option<Value>) {
    let (method, template) = route.split_once(' ').unwrap();
    let mut path = template.to_owned();
    for name in ["{name}", "{category}"] {
        path = path.replace(name, &owner.category);
    }
    path = path.replace("{from}/{to}/{on}", &owner.rate);
    let resource = match access_of(route) {
        Owned(resource) | Admin(Some(resource)) => Some(resource),
        _ => None,
    };
    if let Some(resource) = resource {
        let id = owner.id_of(resource);
        // A resource this owner does not have (the disabled user has no notification): any id.
        let id = if id.is_empty() {
            Uuid::now_v7().to_string()
        } else {
            id.to_owned()
        };
        path = path.replace("{id}", &id);
    }
    let expense =
        json!({ "amount": "3.00", "currency": "EUR", "category": "misc", "spent_on": "2026-11-02" });
    let body = match route {
        "POST /v1/auth/tokens" => Some(json!({ "name": "matrix" })),
        "PUT /v1/budgets/{category}" => Some(json!({ "amount": "50", "currency": "EUR" })),
        "POST /v1/categories/{name}/rename" => Some(json!({ "name": "renamed" })),
        "POST /v1/categories/{name}/merge" => Some(json!({ "into": "elsewhere" })),
        "POST /v1/expenses" => Some(expense),
        "POST /v1/expenses/batch" => Some(json!({ "items": [expense] })),
        "PATCH /v1/expenses/{id}" => Some(json!({ "note": "changed", "amount": "0.01" })),
        "POST /v1/expenses/{id}/receipts" => {
            Some(json!({ "content_type": "image/png", "size": 10, "sha256": "cd".repeat(32) }))
        }
        "PUT /v1/notifications/settings" => Some(json!({ "monthly_summary": true })),
        "POST /v1/webhooks" => Some(json!({ "url": "https://hooks.example.com/other" })),
        "PUT /v1/rates/{from}/{to}/{on}" => Some(json!({ "rate": "1.5" })),
        // Never the caller's password: these must change nothing.
        "DELETE /v1/me" => Some(json!({ "password": "not the password of anyone" })),
        "POST /v1/me/password" => Some(json!({
            "current_password": "not the password of anyone",
            "new_password": "a new password long enough",
        })),
        "POST /v1/rates/ecb" => Some(Value::String("Date,USD,\n2026-11-02,1.0800,\n".to_owned())),
        "POST /v1/rules" => Some(json!({ "merchant": "lidl", "category": "groceries" })),
        "POST /v1/rules/test" => Some(json!({ "merchant": SECRET_MERCHANT })),
        "POST /v1/rules/apply" => Some(json!({ "dry_run": true })),
        "POST /v1/recurring" => Some(
            json!({ "amount": "1.00", "currency": "EUR", "category": "misc", "every": "day", "from": "2199-01-01" }),
        ),
        _ => None,
    };
    (method.parse().unwrap(), path, body)
}

/// Nothing of `owner` in an answer to someone else.
fn assert_nothing_of(owner: &Owner, answer: &Answer, what: &str) {
    for print in owner.fingerprints() {
        assert!(
            !answer.body.contains(&print),
            "{what}: the answer shows {print:?}: {}",
            answer.body
        );
    }
}

fn assert_problem(answer: &Answer, status: StatusCode, what: &str) {
    assert_eq!(answer.status, status, "{what}: {}", answer.body);
    assert_eq!(answer.content_type, "application/problem+json", "{what}");
    assert_eq!(answer.json()["status"], status.as_u16(), "{what}");
}

/// A token of `user` that expired an hour ago, signed with the server's own key.
fn expired_token(server: &Server, user: &str) -> String {
    let keys = expense_auth::keys::SigningKeys::load(None, &[], server.data_dir()).unwrap();
    let now = server.clock.now().unix_timestamp();
    keys.sign(&AccessClaims {
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        sub: user.parse().unwrap(),
        iat: now - 4500,
        exp: now - 3600,
        jti: Uuid::now_v7(),
        role: TokenRole::User,
        session_generation: 0,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_answers_each_kind_of_caller_as_documented() {
    let server = Server::start().await;
    let ada = server.owner("ada", true).await;
    let (_, bob) = server.register("bob").await;
    let dora = server.owner("dora", false).await;

    // An admin, made as `expense-server create-admin` makes one, disables Dora.
    let admin_email = format!("root-{}@example.com", Uuid::now_v7().simple());
    let settings_database = DatabaseConfig::embedded();
    let (auth, pool) = expense_auth::open(
        &expense_auth::AuthConfig::default(),
        &settings_database,
        server.data_dir(),
        server.clock.clone(),
    )
    .await
    .unwrap();
    auth.create_admin(&admin_email, PASSWORD.to_owned())
        .await
        .unwrap();
    pool.close().await;
    let admin = server.login(&admin_email).await.access_token;
    let dora_pat: CreatedToken = serde_json::from_value(
        server
            .ok(
                Method::POST,
                "/v1/auth/tokens",
                Some(&dora.access_token),
                json!({ "name": "ci" }),
            )
            .await,
    )
    .unwrap();
    server
        .ok(
            Method::POST,
            &format!("/v1/admin/users/{}/disable", dora.id),
            Some(&admin),
            Value::Null,
        )
        .await;

    // Ada's revoked personal access token, and her expired access token.
    let revoked: CreatedToken = serde_json::from_value(
        server
            .ok(
                Method::POST,
                "/v1/auth/tokens",
                Some(&ada.access_token),
                json!({ "name": "old" }),
            )
            .await,
    )
    .unwrap();
    server
        .ok(
            Method::DELETE,
            &format!("/v1/auth/tokens/{}", revoked.token.id),
            Some(&ada.access_token),
            Value::Null,
        )
        .await;
    let expired = expired_token(&server, &ada.id);

    // The callers that must not get in, each on the resources it names, and what the 401 says.
    let outsiders: [(&str, Option<&str>, &Owner, &str); 5] = [
        ("anonymous", None, &ada, "needs a signed-in caller"),
        ("an expired access token", Some(&expired), &ada, "expired"),
        (
            "a revoked personal access token",
            Some(&revoked.secret),
            &ada,
            "revoked",
        ),
        (
            "a disabled account's access token",
            Some(&dora.access_token),
            &dora,
            "disabled",
        ),
        (
            "a disabled account's personal access token",
            Some(&dora_pat.secret),
            &dora,
            "disabled",
        ),
    ];
    let document = committed_document();
    let mut checked = 0;
    for (route, _) in operations(&document) {
        let access = access_of(&route);
        if access == Public {
            for (who, token, _, _) in &outsiders {
                let (method, path, body) = public_request(&server, &route, &ada).await;
                let answer = server.call(method, &path, *token, body.as_ref()).await;
                assert!(
                    answer.status.is_success(),
                    "{route} as {who}: public, but {} {}",
                    answer.status,
                    answer.body
                );
                checked += 1;
            }
            continue;
        }
        for (who, token, owner, reason) in &outsiders {
            let (method, path, body) = request_for(&route, owner);
            let answer = server.call(method, &path, *token, body.as_ref()).await;
            let what = format!("{route} as {who}");
            assert_problem(&answer, StatusCode::UNAUTHORIZED, &what);
            let detail = answer.json()["detail"].as_str().unwrap_or_default().to_owned();
            assert!(detail.contains(reason), "{what}: {detail}");
            assert_nothing_of(&ada, &answer, &what);
            checked += 1;
        }
    }

    // Bob, signed in, on Ada's resources: first everything about Ada's resources, then the
    // routes about the caller (which make Bob's own data, such as a budget of the same name, that
    // would otherwise be what the later calls find).
    let mut routes: Vec<(String, Access)> = operations(&document)
        .into_iter()
        .map(|(route, _)| {
            let access = access_of(&route);
            (route, access)
        })
        .filter(|(_, access)| *access != Public)
        .collect();
    routes.sort_by_key(|(_, access)| *access == Own);
    for (route, access) in routes {
        let (method, path, body) = request_for(&route, &ada);
        let answer = server
            .call(method, &path, Some(&bob.access_token), body.as_ref())
            .await;
        let what = format!("{route} as another user");
        match access {
            Owned(_) => assert_problem(&answer, StatusCode::NOT_FOUND, &what),
            Admin(_) => assert_problem(&answer, StatusCode::FORBIDDEN, &what),
            OwnAccount => assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, &what),
            Own => assert!(
                answer.status.is_success(),
                "{what}: {} {}",
                answer.status,
                answer.body
            ),
            Public => unreachable!(),
        }
        assert_nothing_of(&ada, &answer, &what);
        checked += 1;
    }
    assert!(checked >= MATRIX.len() * 6 - 5, "{checked} calls");

    // Ada's resources are all still there, unchanged, and hers.
    let token = Some(ada.access_token.as_str());
    let expense = server
        .ok(
            Method::GET,
            &format!("/v1/expenses/{}", ada.expense),
            token,
            Value::Null,
        )
        .await;
    assert_eq!(
        (expense["amount"].as_str(), expense["note"].as_str()),
        (Some(SECRET_AMOUNT), Some(SECRET_NOTE))
    );
    assert_eq!(expense["category"], ada.category.as_str());
    server
        .ok(
            Method::GET,
            &format!("/v1/receipts/{}", ada.receipt),
            token,
            Value::Null,
        )
        .await;
    let budgets = server.ok(Method::GET, "/v1/budgets", token, Value::Null).await;
    assert_eq!(budgets["items"][0]["category"], ada.category.as_str());
    assert_eq!(budgets["items"][0]["amount"], "100.00");
    let notifications = server
        .ok(Method::GET, "/v1/notifications", token, Value::Null)
        .await;
    let notification = notifications["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == ada.notification.as_str())
        .expect("Ada's notification");
    assert!(notification["read_at"].is_null(), "nobody else marked it read");
    let rates = server.ok(Method::GET, "/v1/rates", token, Value::Null).await;
    assert_eq!(
        rates["items"][0]["rate"], SECRET_RATE,
        "nobody else replaced Ada's rate"
    );
    let rules = server.ok(Method::GET, "/v1/rules", token, Value::Null).await;
    assert_eq!(
        (
            rules["items"][0]["id"].as_str(),
            rules["items"][0]["merchant"].as_str()
        ),
        (Some(ada.rule.as_str()), Some(SECRET_MERCHANT)),
        "nobody else removed or reordered Ada's rule"
    );
    let webhooks = server.ok(Method::GET, "/v1/webhooks", token, Value::Null).await;
    assert_eq!(webhooks["items"][0]["id"], ada.webhook.as_str());
    let tokens = server
        .ok(Method::GET, "/v1/auth/tokens", token, Value::Null)
        .await;
    assert!(
        tokens["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == ada.token.as_str())
    );

    // Every operation that pages refuses crafted cursors before they reach SQL.
    let crafted = [
        URL_SAFE_NO_PAD.encode(format!(r#"["2026-11-02' OR '1'='1","{}"]"#, ada.expense)),
        URL_SAFE_NO_PAD.encode(r#""'; DROP TABLE users; --""#),
        URL_SAFE_NO_PAD.encode(format!(r#""{}""#, ada.expense.replace('-', ""))),
        URL_SAFE_NO_PAD.encode(format!(r#" "{}" "#, ada.expense)),
        "' OR 1=1 --".to_owned(),
    ];
    for (route, operation) in operations(&document) {
        let pages = operation["parameters"]
            .as_array()
            .is_some_and(|parameters| parameters.iter().any(|p| p["name"] == "cursor"));
        if !pages {
            continue;
        }
        let caller = if matches!(access_of(&route), Admin(_)) {
            &admin
        } else {
            &ada.access_token
        };
        let (method, path) = route.split_once(' ').unwrap();
        for cursor in &crafted {
            let encoded: String = cursor.bytes().map(|b| format!("%{b:02X}")).collect();
            let answer = server
                .call(
                    method.parse().unwrap(),
                    &format!("{path}?cursor={encoded}"),
                    Some(caller),
                    None,
                )
                .await;
            let what = format!("{route} with cursor {cursor:?}");
            assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, &what);
            assert_eq!(answer.json()["errors"][0]["field"], "cursor", "{what}");
        }
    }
}

/// A request a public operation must answer with success, fresh each time (a new account, a new
/// refresh token).
async fn public_request(server: &Server, route: &str, ada: &Owner) -> (Method, String, Option<Value>) {
    let (method, path) = route.split_once(' ').unwrap();
    let body = match route {
        "POST /v1/auth/register" => Some(json!({
            "email": format!("new-{}@example.com", Uuid::now_v7().simple()),
            "password": PASSWORD,
        })),
        "POST /v1/auth/login" => Some(json!({ "email": ada.email, "password": PASSWORD })),
        "POST /v1/auth/refresh" | "POST /v1/auth/logout" => {
            let (_, session) = server.register("public").await;
            Some(json!({ "refresh_token": session.refresh_token }))
        }
        "GET /.well-known/jwks.json" => None,
        other => panic!("{other} is public in the matrix: say here how to call it"),
    };
    (method.parse().unwrap(), path.to_owned(), body)
}
