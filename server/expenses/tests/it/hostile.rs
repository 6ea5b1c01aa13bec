//! A cursor crafted by hand never reaches SQL unchecked: SQL inside valid-looking base64 JSON,
//! wrong types and shapes, other spellings of a real cursor, days that do not exist, huge inputs,
//! and bad limits are all answered 422 problem+json naming the parameter, on both stores, with
//! nobody's data shown, and every expense is still there afterwards.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use expense_api::Page;
use expense_api::expenses::Expense;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{BACKENDS, Caller, TestApp, expense, fields, problem};

/// Every expense of `caller`, page by page, as id → (amount, day).
async fn everything(app: &TestApp, caller: &Caller) -> BTreeMap<String, (String, String)> {
    let mut all = BTreeMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(cursor) => list_path(&[("limit", "3"), ("cursor", cursor)]),
            None => list_path(&[("limit", "3")]),
        };
        let page: Page<Expense> = app.get(caller, &path).await.json().await.unwrap();
        for item in page.items {
            all.insert(item.id.to_string(), (item.amount, item.spent_on));
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return all,
        }
    }
}

fn b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

/// `/v1/expenses?name=value&…`, every value percent-encoded byte by byte.
fn list_path(parameters: &[(&str, &str)]) -> String {
    let query: Vec<String> = parameters
        .iter()
        .map(|(name, value)| {
            let encoded: String = value.bytes().map(|byte| format!("%{byte:02X}")).collect();
            format!("{name}={encoded}")
        })
        .collect();
    format!("/v1/expenses?{}", query.join("&"))
}

#[tokio::test]
async fn crafted_cursors_and_limits_are_refused_before_sql() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let bob = app.user("bob").await;
        for (caller, amount) in [(&ada, "12.50"), (&bob, "7.00")] {
            let items: Vec<Value> = (1..=7)
                .map(|day| expense(json!({ "amount": amount, "spent_on": format!("2026-11-0{day}") })))
                .collect();
            let stored = app
                .post(caller, "/v1/expenses/batch", &json!({ "items": items }))
                .await;
            assert_eq!(stored.status(), StatusCode::CREATED);
        }
        let adas_before = everything(&app, &ada).await;
        let bobs_before = everything(&app, &bob).await;
        assert_eq!((adas_before.len(), bobs_before.len()), (7, 7));

        let first: Page<Expense> = app.get(&ada, "/v1/expenses?limit=2").await.json().await.unwrap();
        let real = first.next_cursor.expect("a second page");
        let real_json = String::from_utf8(URL_SAFE_NO_PAD.decode(&real).unwrap()).unwrap();
        let last = first.items[1].id;
        let bobs_id = bobs_before.keys().next().unwrap().clone();
        let (real_day, real_id): (String, uuid::Uuid) = serde_json::from_str(&real_json).unwrap();
        let undashed = serde_json::to_string(&(&real_day, real_id.simple().to_string())).unwrap();
        let crafted: Vec<(&str, String)> = vec![
            (
                "SQL in the day",
                b64(&format!(r#"["2026-11-02' OR '1'='1","{last}"]"#)),
            ),
            (
                "SQL statement in the day",
                b64(&format!(r#"["2026-11-02'); DELETE FROM expenses; --","{last}"]"#)),
            ),
            (
                "SQL in the id",
                b64(r#"["2026-11-02","'; DROP TABLE expenses; --"]"#),
            ),
            ("a number for the day", b64(&format!(r#"[20261102,"{last}"]"#))),
            ("a number for the id", b64(r#"["2026-11-02",42]"#)),
            ("too short", b64(r#"["2026-11-02"]"#)),
            ("too long", b64(&format!(r#"["2026-11-02","{last}","extra"]"#))),
            (
                "an object",
                b64(&format!(r#"{{"spent_on":"2026-11-02","id":"{last}"}}"#)),
            ),
            ("null", b64("null")),
            ("an empty array", b64("[]")),
            ("a string", b64(r#""2026-11-02""#)),
            (
                "nested arrays",
                b64(&format!("{}{}", "[".repeat(200), "]".repeat(200))),
            ),
            (
                "a day that does not exist",
                b64(&format!(r#"["2026-02-30","{last}"]"#)),
            ),
            ("a day out of range", b64(&format!(r#"["9999-12-31","{last}"]"#))),
            ("a day before 1900", b64(&format!(r#"["1899-12-31","{last}"]"#))),
            (
                "a day in another format",
                b64(&format!(r#"["2026-11-2","{last}"]"#)),
            ),
            ("the real cursor, spaced", b64(&real_json.replace(',', " , "))),
            ("the real cursor, id without dashes", b64(&undashed)),
            (
                "the real cursor, escaped",
                b64(&real_json.replacen('2', "\\u0032", 1)),
            ),
            ("the real cursor, padded", format!("{real}==")),
            ("the real cursor, standard alphabet", STANDARD.encode(&real_json)),
            ("the real cursor, cut", real[..real.len() - 3].to_owned()),
            ("the real cursor and more", format!("{real}{real}")),
            ("SQL, not base64", "' OR 1=1 --".to_owned()),
            ("a NUL byte", "\0".to_owned()),
            ("unicode", "ｃｕｒｓｏｒ".to_owned()),
            ("long base64 garbage", b64(&"x".repeat(3000))),
        ];
        for (what, cursor) in &crafted {
            for caller in [&ada, &bob] {
                let response = app.get(caller, &list_path(&[("cursor", cursor)])).await;
                assert_eq!(
                    response.status(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{backend:?}, {what}"
                );
                let refused = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
                assert_eq!(fields(&refused), ["cursor"], "{backend:?}, {what}: {refused:?}");
            }
        }
        // Bad limits, alone and with the real cursor.
        for limit in [
            "-1",
            "0",
            "201",
            "4294967296",
            "99999999999999999999",
            "1e3",
            "1.5",
            "' OR 1=1",
        ] {
            for cursor in [None, Some(real.as_str())] {
                let path = match cursor {
                    Some(cursor) => list_path(&[("limit", limit), ("cursor", cursor)]),
                    None => list_path(&[("limit", limit)]),
                };
                let refused = problem(app.get(&ada, &path).await, StatusCode::UNPROCESSABLE_ENTITY).await;
                assert!(
                    fields(&refused).contains(&"limit"),
                    "{backend:?}, limit={limit:?}: {refused:?}"
                );
                let text = serde_json::to_string(&refused).unwrap();
                assert!(adas_before.keys().all(|id| !text.contains(id.as_str())));
            }
        }

        // A well-formed cursor naming another user's expense is only a position in the caller's
        // own list: it shows the caller's expenses, nothing of the other user's.
        let positional = b64(&serde_json::to_string(&("2026-11-05", &bobs_id)).unwrap());
        let page: Page<Expense> = app
            .get(&ada, &list_path(&[("cursor", &positional)]))
            .await
            .json()
            .await
            .unwrap();
        assert!(!page.items.is_empty());
        assert!(
            page.items
                .iter()
                .all(|item| adas_before.contains_key(&item.id.to_string()))
        );

        // The real cursor still works, and everything is where it was.
        let second = app
            .get(&ada, &list_path(&[("limit", "2"), ("cursor", &real)]))
            .await;
        assert_eq!(second.status(), StatusCode::OK);
        assert_eq!(everything(&app, &ada).await, adas_before, "{backend:?}");
        assert_eq!(everything(&app, &bob).await, bobs_before, "{backend:?}");
    }
}
