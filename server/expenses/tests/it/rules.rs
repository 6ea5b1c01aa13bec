//! Categorisation rules on both stores: explicit order with the first match winning, amount
//! bounds, patterns refused for being invalid or too costly, expenses created and imported without
//! a category, applying rules to existing expenses (dry run and for real), and isolation between
//! users.

use expense_api::Page;
use expense_api::expenses::{BatchResponse, Expense};
use expense_api::rules::{Rule, RuleList, RuleMatch, RulesApplied};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{BACKENDS, Caller, TestApp, expense, fields, problem};

async fn add_rule(app: &TestApp, caller: &Caller, body: Value) -> Rule {
    let response = app.post(caller, "/v1/rules", &body).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "{}",
        response.text().await.unwrap()
    );
    response.json().await.unwrap()
}

async fn rules(app: &TestApp, caller: &Caller) -> Vec<Rule> {
    let list: RuleList = app.get(caller, "/v1/rules").await.json().await.unwrap();
    list.items
}

/// `(position, category)` of the caller's rules, in order.
async fn order(app: &TestApp, caller: &Caller) -> Vec<(u32, String)> {
    rules(app, caller)
        .await
        .into_iter()
        .map(|rule| (rule.position, rule.category))
        .collect()
}

async fn test(app: &TestApp, caller: &Caller, body: Value) -> RuleMatch {
    let response = app.post(caller, "/v1/rules/test", &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// An expense body without a category.
fn uncategorised(overrides: Value) -> Value {
    let mut body = expense(overrides);
    body.as_object_mut().unwrap().remove("category");
    body
}

async fn apply(app: &TestApp, caller: &Caller, body: Value) -> RulesApplied {
    let response = app.post(caller, "/v1/rules/apply", &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn all_expenses(app: &TestApp, caller: &Caller) -> Vec<Expense> {
    let page: Page<Expense> = app
        .get(caller, "/v1/expenses?limit=200")
        .await
        .json()
        .await
        .unwrap();
    page.items
}

#[tokio::test]
async fn the_first_rule_in_order_wins_and_positions_stay_dense() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        add_rule(&app, &ada, json!({ "merchant": "lidl", "category": "groceries" })).await;
        add_rule(&app, &ada, json!({ "merchant": "rewe", "category": "groceries" })).await;
        // A narrower rule put first takes LIDL BERLIN from the broader one.
        let berlin = add_rule(
            &app,
            &ada,
            json!({ "merchant": "LIDL berlin", "category": "Travel", "tags": ["Berlin"], "position": 1 }),
        )
        .await;
        assert_eq!((berlin.position, berlin.category.as_str()), (1, "travel"));
        assert_eq!(
            order(&app, &ada).await,
            [
                (1, "travel".into()),
                (2, "groceries".into()),
                (3, "groceries".into())
            ]
        );
        let matched = test(&app, &ada, json!({ "merchant": "LIDL BERLIN 1234" })).await;
        assert_eq!(
            (matched.matched, matched.position, matched.category.as_deref()),
            (true, Some(1), Some("travel"))
        );
        assert_eq!(matched.tags, ["berlin"]);
        let created = app
            .create(
                &ada,
                uncategorised(json!({ "merchant": "LIDL BERLIN 1234", "tags": ["card"] })),
            )
            .await;
        assert_eq!(created.category, "travel");
        assert_eq!(created.tags, ["card", "berlin"]);
        // A position past the end is the end; position 0 is refused with its reason.
        let last = add_rule(
            &app,
            &ada,
            json!({ "merchant": "aldi", "category": "groceries", "position": 99 }),
        )
        .await;
        assert_eq!(last.position, 4);
        let zero = app
            .post(
                &ada,
                "/v1/rules",
                &json!({ "merchant": "x", "category": "y", "position": 0 }),
            )
            .await;
        assert_eq!(
            fields(&problem(zero, StatusCode::UNPROCESSABLE_ENTITY).await),
            ["position"]
        );
        let beyond = app
            .post(
                &ada,
                "/v1/rules",
                &json!({ "merchant": "x", "category": "y", "position": 2_147_483_648_u64 }),
            )
            .await;
        assert!(beyond.status().is_client_error(), "{}", beyond.status());
        let too_far = app
            .post(
                &ada,
                "/v1/rules",
                &json!({ "merchant": "x", "category": "y", "position": 201 }),
            )
            .await;
        assert_eq!(
            fields(&problem(too_far, StatusCode::UNPROCESSABLE_ENTITY).await),
            ["position"]
        );
        // Removing the first moves the others up, and the broader rule now wins.
        let removed = app
            .request(&ada, Method::DELETE, &format!("/v1/rules/{}", berlin.id))
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            order(&app, &ada).await,
            [
                (1, "groceries".into()),
                (2, "groceries".into()),
                (3, "groceries".into())
            ]
        );
        let matched = test(&app, &ada, json!({ "merchant": "LIDL BERLIN 1234" })).await;
        assert_eq!(
            (matched.position, matched.category.as_deref()),
            (Some(1), Some("groceries"))
        );
        let again = app
            .request(&ada, Method::DELETE, &format!("/v1/rules/{}", berlin.id))
            .send()
            .await
            .unwrap();
        problem(again, StatusCode::NOT_FOUND).await;
        let nothing = test(&app, &ada, json!({ "merchant": "IKEA" })).await;
        assert_eq!((nothing.matched, nothing.category), (false, None));
    }
}

#[tokio::test]
async fn rules_added_at_once_at_the_same_place_get_distinct_positions() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        add_rule(&app, &ada, json!({ "merchant": "first", "category": "a" })).await;
        let mut adds = tokio::task::JoinSet::new();
        for n in 0..8 {
            let request = app
                .request(&ada, Method::POST, "/v1/rules")
                .json(&json!({ "merchant": format!("m{n}"), "category": "b", "position": 1 }));
            adds.spawn(async move { request.send().await.unwrap().status() });
        }
        while let Some(status) = adds.join_next().await {
            assert_eq!(status.unwrap(), StatusCode::CREATED);
        }
        let positions: Vec<u32> = order(&app, &ada).await.into_iter().map(|(p, _)| p).collect();
        assert_eq!(positions, (1..=9).collect::<Vec<u32>>());
        assert_eq!(order(&app, &ada).await.last().unwrap().1, "a");
    }
}

#[tokio::test]
async fn amount_bounds_are_inclusive_and_checked() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let small = add_rule(
            &app,
            &ada,
            json!({ "merchant": "amazon", "amount_max": "20.00", "category": "books" }),
        )
        .await;
        assert_eq!(small.amount_max.as_deref(), Some("20"));
        add_rule(
            &app,
            &ada,
            json!({ "merchant": "amazon", "amount_min": "20.01", "amount_max": "5000", "category": "electronics" }),
        )
        .await;
        let category = |amount: &'static str, currency: &'static str| {
            let (app, ada) = (&app, &ada);
            async move {
                app.create(
                    ada,
                    uncategorised(json!({ "merchant": "Amazon EU", "amount": amount, "currency": currency })),
                )
                .await
                .category
            }
        };
        assert_eq!(category("20.00", "EUR").await, "books");
        assert_eq!(category("20.01", "EUR").await, "electronics");
        assert_eq!(category("5000.00", "EUR").await, "electronics");
        assert_eq!(category("21", "JPY").await, "electronics");
        assert_eq!(category("-3.00", "EUR").await, "books");
        let too_much = app
            .post(
                &ada,
                "/v1/expenses",
                &uncategorised(json!({ "merchant": "Amazon", "amount": "5000.01" })),
            )
            .await;
        let refused = problem(too_much, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(fields(&refused), ["category"]);
        assert!(
            refused.errors[0]
                .message
                .contains("none of your 2 categorisation rules")
        );
        let tested = test(&app, &ada, json!({ "merchant": "amazon", "amount": "20.5" })).await;
        assert_eq!(tested.category.as_deref(), Some("electronics"));
        // Exact: an amount between the two rules' bounds falls between them.
        let between = test(&app, &ada, json!({ "merchant": "amazon", "amount": "20.005" })).await;
        assert!(!between.matched);
        let without_amount = test(&app, &ada, json!({ "merchant": "amazon" })).await;
        assert!(!without_amount.matched);
        let backwards = app
            .post(
                &ada,
                "/v1/rules",
                &json!({ "merchant": "x", "amount_min": "10", "amount_max": "9.99", "category": "y" }),
            )
            .await;
        assert_eq!(
            fields(&problem(backwards, StatusCode::UNPROCESSABLE_ENTITY).await),
            ["amount_max"]
        );
        let bad = app
            .post(
                &ada,
                "/v1/rules",
                &json!({ "merchant": "x", "amount_min": "1.23456", "category": "y" }),
            )
            .await;
        assert_eq!(
            fields(&problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await),
            ["amount_min"]
        );
    }
}

#[tokio::test]
async fn invalid_and_costly_patterns_are_refused_naming_the_field() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let refused = |body: Value| {
            let (app, ada) = (&app, &ada);
            async move {
                let response = app.post(ada, "/v1/rules", &body).await;
                problem(response, StatusCode::UNPROCESSABLE_ENTITY).await
            }
        };
        let syntax = refused(json!({ "note_matches": "card (payment", "category": "x" })).await;
        assert_eq!(fields(&syntax), ["note_matches"]);
        assert!(syntax.errors[0].message.contains("not a regular expression"));
        // Short to write, megabytes to compile: refused by the size limit, not run.
        let costly = refused(json!({ "note_matches": r"(\w{50}){50}", "category": "x" })).await;
        assert_eq!(fields(&costly), ["note_matches"]);
        assert!(
            costly.errors[0].message.contains("too costly"),
            "{}",
            costly.errors[0].message
        );
        let long = refused(json!({ "note_matches": "a".repeat(201), "category": "x" })).await;
        assert!(long.errors[0].message.contains("at most 200"));
        let nothing = refused(json!({ "category": "x", "tags": ["two words"] })).await;
        assert_eq!(fields(&nothing), ["merchant", "tags"]);
        let unknown = app
            .post(
                &ada,
                "/v1/rules",
                &json!({ "merchant": "x", "category": "y", "colour": "red" }),
            )
            .await;
        assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(rules(&app, &ada).await.is_empty());
        // A pattern that backtracking engines take exponential time on is fine here.
        add_rule(&app, &ada, json!({ "note_matches": "^(a+)+$", "category": "a" })).await;
        let note = format!("{}!", "a".repeat(5000));
        let tested = test(&app, &ada, json!({ "note": note })).await;
        assert!(!tested.matched);
        let created = app.create(&ada, uncategorised(json!({ "note": "aaaa" }))).await;
        assert_eq!(created.category, "a");
    }
}

#[tokio::test]
async fn an_expense_without_a_category_needs_a_rule_that_matches() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let no_rules = app
            .post(
                &ada,
                "/v1/expenses",
                &uncategorised(json!({ "merchant": "LIDL" })),
            )
            .await;
        let refused = problem(no_rules, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(fields(&refused), ["category"]);
        assert!(refused.errors[0].message.contains("no categorisation rules"));
        assert!(refused.errors[0].message.contains("give a category"));
        add_rule(
            &app,
            &ada,
            json!({ "note_matches": r"card payment \d+", "merchant": "lidl", "category": "groceries" }),
        )
        .await;
        // Both conditions must hold.
        let merchant_only = app
            .post(
                &ada,
                "/v1/expenses",
                &uncategorised(json!({ "merchant": "LIDL", "note": "cash" })),
            )
            .await;
        problem(merchant_only, StatusCode::UNPROCESSABLE_ENTITY).await;
        let matched = app
            .create(
                &ada,
                uncategorised(json!({ "merchant": "LIDL", "note": "Card Payment 0815" })),
            )
            .await;
        assert_eq!(matched.category, "groceries");
        // A category given wins over every rule.
        let given = app
            .create(
                &ada,
                expense(json!({ "category": "gifts", "merchant": "LIDL", "note": "card payment 1" })),
            )
            .await;
        assert_eq!(given.category, "gifts");
        assert_eq!(all_expenses(&app, &ada).await.len(), 2);
        // Every other bad field is still reported with the missing category.
        let both = app
            .post(
                &ada,
                "/v1/expenses",
                &uncategorised(json!({ "spent_on": "2026-02-30" })),
            )
            .await;
        assert_eq!(
            fields(&problem(both, StatusCode::UNPROCESSABLE_ENTITY).await),
            ["spent_on", "category"]
        );
    }
}

#[tokio::test]
async fn imported_rows_without_a_category_are_categorised_or_refused_by_item() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        add_rule(
            &app,
            &ada,
            json!({ "merchant": "spotify", "category": "subscriptions", "tags": ["music"] }),
        )
        .await;
        let batch = json!({ "items": [
            uncategorised(json!({ "merchant": "SPOTIFY P1234" })),
            uncategorised(json!({ "merchant": "Unknown shop" })),
            expense(json!({ "merchant": "Unknown shop" })),
        ]});
        let refused = app.post(&ada, "/v1/expenses/batch", &batch).await;
        let refused = problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(fields(&refused), ["items[1].category"]);
        assert!(all_expenses(&app, &ada).await.is_empty());
        let batch = json!({ "items": [
            uncategorised(json!({ "merchant": "SPOTIFY P1234" })),
            expense(json!({ "merchant": "Unknown shop" })),
        ]});
        let stored = app.post(&ada, "/v1/expenses/batch", &batch).await;
        assert_eq!(stored.status(), StatusCode::CREATED);
        let stored: BatchResponse = stored.json().await.unwrap();
        let categories: Vec<(&str, &[String])> = stored
            .items
            .iter()
            .map(|e| (e.category.as_str(), e.tags.as_slice()))
            .collect();
        assert_eq!(
            categories,
            [
                ("subscriptions", &["music".to_owned()][..]),
                ("groceries", &[][..])
            ]
        );
    }
}

#[tokio::test]
async fn applying_rules_reports_a_dry_run_then_changes_exactly_that() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let lidl = app
            .create(
                &ada,
                expense(json!({ "category": "uncategorized", "merchant": "LIDL 1" })),
            )
            .await;
        let rewe = app
            .create(
                &ada,
                expense(json!({ "category": "uncategorized", "merchant": "REWE", "spent_on": "2026-11-03" })),
            )
            .await;
        let ikea = app
            .create(
                &ada,
                expense(json!({ "category": "uncategorized", "merchant": "IKEA" })),
            )
            .await;
        let tagged_already = app
            .create(
                &ada,
                expense(json!({ "category": "groceries", "merchant": "Lidl", "tags": ["food"] })),
            )
            .await;
        let manual = app
            .create(&ada, expense(json!({ "category": "gifts", "merchant": "Rewe" })))
            .await;
        add_rule(
            &app,
            &ada,
            json!({ "merchant": "lidl", "category": "groceries", "tags": ["food"] }),
        )
        .await;
        let rewe_rule = add_rule(&app, &ada, json!({ "merchant": "rewe", "category": "groceries" })).await;

        let dry = apply(
            &app,
            &ada,
            json!({ "dry_run": true, "category": "Uncategorized" }),
        )
        .await;
        assert!(dry.dry_run);
        assert_eq!((dry.examined, dry.changed, dry.skipped), (3, 2, 0));
        let report: Vec<_> = dry
            .changes
            .iter()
            .map(|c| {
                (
                    c.expense_id,
                    c.position,
                    c.from_category.as_str(),
                    c.to_category.as_str(),
                    c.added_tags.clone(),
                )
            })
            .collect();
        assert_eq!(
            report,
            [
                (rewe.id, 2, "uncategorized", "groceries", vec![]),
                (lidl.id, 1, "uncategorized", "groceries", vec!["food".to_owned()]),
            ]
        );
        assert_eq!(dry.changes[0].rule_id, rewe_rule.id);
        // Nothing changed.
        let unchanged = all_expenses(&app, &ada).await;
        assert!(unchanged.iter().all(|e| e.version == 1));

        let everything = apply(&app, &ada, json!({ "dry_run": true })).await;
        assert_eq!(
            (everything.examined, everything.changed),
            (5, 3),
            "the manual gift too"
        );
        assert!(everything.changes.iter().any(|c| c.expense_id == manual.id));

        let applied = apply(&app, &ada, json!({ "category": "uncategorized" })).await;
        assert!(!applied.dry_run);
        assert_eq!(applied.changes, dry.changes);
        let after: std::collections::HashMap<_, _> = all_expenses(&app, &ada)
            .await
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        assert_eq!(
            (after[&lidl.id].category.as_str(), after[&lidl.id].version),
            ("groceries", 2)
        );
        assert_eq!(after[&lidl.id].tags, ["food"]);
        assert_eq!(
            (after[&rewe.id].category.as_str(), after[&rewe.id].version),
            ("groceries", 2)
        );
        assert_eq!(
            (after[&ikea.id].category.as_str(), after[&ikea.id].version),
            ("uncategorized", 1)
        );
        assert_eq!(after[&tagged_already.id].version, 1);
        assert_eq!(
            (after[&manual.id].category.as_str(), after[&manual.id].version),
            ("gifts", 1)
        );
        // A second run finds nothing left to change.
        let again = apply(&app, &ada, json!({ "category": "uncategorized" })).await;
        assert_eq!((again.examined, again.changed), (1, 0));
        let bad = app
            .post(&ada, "/v1/rules/apply", &json!({ "category": "total" }))
            .await;
        assert_eq!(
            fields(&problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await),
            ["category"]
        );
    }
}

#[tokio::test]
async fn rules_are_their_owners_alone() {
    for backend in BACKENDS {
        let app = TestApp::spawn(backend).await;
        let ada = app.user("ada").await;
        let bob = app.user("bob").await;
        let rule = add_rule(&app, &ada, json!({ "merchant": "lidl", "category": "groceries" })).await;
        app.create(
            &bob,
            expense(json!({ "category": "uncategorized", "merchant": "LIDL" })),
        )
        .await;
        assert!(rules(&app, &bob).await.is_empty());
        assert!(!test(&app, &bob, json!({ "merchant": "LIDL" })).await.matched);
        let refused = app
            .post(
                &bob,
                "/v1/expenses",
                &uncategorised(json!({ "merchant": "LIDL" })),
            )
            .await;
        problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        let delete = app
            .request(&bob, Method::DELETE, &format!("/v1/rules/{}", rule.id))
            .send()
            .await
            .unwrap();
        problem(delete, StatusCode::NOT_FOUND).await;
        // Bob's first rule is his first: positions are per user.
        let bobs = add_rule(&app, &bob, json!({ "merchant": "aldi", "category": "food" })).await;
        assert_eq!(bobs.position, 1);
        // Ada's apply touches only Ada's expenses.
        let applied = apply(&app, &ada, json!({})).await;
        assert_eq!((applied.examined, applied.changed), (0, 0));
        assert_eq!(all_expenses(&app, &bob).await[0].category, "uncategorized");
        assert_eq!(rules(&app, &ada).await.len(), 1);
    }
}

/// The store's part of the contract, on both stores: positions clamp and stay dense, and the cap
/// is counted inside the insert.
#[tokio::test]
async fn the_stores_keep_positions_dense_and_count_the_cap() {
    use expense_expenses::rules::RuleRecord;
    use expense_expenses::rules::condition::{Condition, MerchantText};

    crate::repository::each_store(|store, _backend| async move {
        let ada = uuid::Uuid::now_v7();
        let rule = |merchant: &str| RuleRecord {
            id: uuid::Uuid::now_v7(),
            user_id: ada,
            position: 0,
            condition: Condition {
                merchant: Some(MerchantText::parse(merchant).unwrap()),
                note: None,
                amount_min: None,
                amount_max: None,
            },
            category: "x".into(),
            tags: vec!["t".into()],
            created_at: crate::helpers::START,
        };
        let merchants = |rules: Vec<RuleRecord>| -> Vec<(u32, String)> {
            rules
                .iter()
                .map(|r| {
                    (
                        r.position,
                        r.condition.merchant.as_ref().unwrap().as_str().to_owned(),
                    )
                })
                .collect()
        };
        let a = store.insert_rule(&rule("a"), None, 3).await.unwrap().unwrap();
        assert_eq!(a.position, 1);
        let c = store.insert_rule(&rule("c"), Some(7), 3).await.unwrap().unwrap();
        assert_eq!(c.position, 2);
        store.insert_rule(&rule("b"), Some(2), 3).await.unwrap().unwrap();
        assert!(store.insert_rule(&rule("d"), None, 3).await.unwrap().is_none());
        let stored = store.rules(ada).await.unwrap();
        assert_eq!(stored[0].tags, ["t"]);
        assert_eq!(
            merchants(stored),
            [(1, "a".into()), (2, "b".into()), (3, "c".into())]
        );
        assert!(store.delete_rule(ada, a.id).await.unwrap());
        assert!(!store.delete_rule(ada, a.id).await.unwrap());
        assert!(!store.delete_rule(uuid::Uuid::now_v7(), c.id).await.unwrap());
        assert_eq!(
            merchants(store.rules(ada).await.unwrap()),
            [(1, "b".into()), (2, "c".into())]
        );
    })
    .await;
}
