//! `expense rules` through the real binary and server: rules added in order and listed in every
//! output format, tested against a statement line, giving `expense add` and `expense import` the
//! category left out, applied to existing expenses (dry run, then for real) and removed; bad
//! input exits 2 (usage) or 1 with the server's reason.

use crate::helpers::{Server, User};

#[tokio::test(flavor = "multi_thread")]
async fn rules_from_add_to_apply() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "rules").await;
    let groceries = user
        .run(
            &[
                "rules",
                "add",
                "--merchant",
                "lidl",
                "--category",
                "groceries",
                "--tag",
                "food",
                "--json",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(groceries["position"], 1);
    let travel = user
        .run(
            &[
                "rules",
                "add",
                "--merchant",
                "LIDL Berlin",
                "--amount-max",
                "50",
                "--category",
                "travel",
                "--position",
                "1",
                "--json",
                "position,category,amount_max",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(
        travel,
        serde_json::json!({ "position": 1, "category": "travel", "amount_max": "50" })
    );

    // Piped: tab-separated, one rule a line, in the order they are tried.
    let listed = user.run(&["rules", "ls"], None).await;
    let lines: Vec<Vec<&str>> = listed
        .ok()
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    assert_eq!(lines.len(), 2, "{}", listed.stdout);
    assert_eq!(&lines[0][..2], ["1", "LIDL Berlin"]);
    assert_eq!(lines[0][5], "travel");
    assert_eq!(&lines[1][..2], ["2", "lidl"]);
    assert_eq!(lines[1][6], "food");
    let jq = user.run(&["rules", "ls", "--jq", ".[].category"], None).await;
    assert_eq!(jq.ok().lines().collect::<Vec<_>>(), ["travel", "groceries"]);

    let tested = user
        .run(
            &["rules", "test", "LIDL BERLIN 1234", "--amount", "12.50", "--json"],
            None,
        )
        .await
        .json();
    assert_eq!(
        (&tested["position"], &tested["category"]),
        (&1.into(), &"travel".into())
    );
    let over_the_bound = user
        .run(
            &[
                "rules",
                "test",
                "LIDL BERLIN 1234",
                "--amount",
                "80",
                "--json",
                "category,tags",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(
        over_the_bound,
        serde_json::json!({ "category": "groceries", "tags": ["food"] })
    );
    let nothing = user
        .run(&["rules", "test", "IKEA", "--json", "matched"], None)
        .await;
    assert_eq!(nothing.json(), serde_json::json!({ "matched": false }));
    assert!(nothing.stderr.contains("No rule matches"), "{}", nothing.stderr);

    // `expense add` without a category: the rules give it, or the server says why not.
    let added = user
        .run(
            &[
                "add",
                "3.20",
                "--merchant",
                "Lidl Hamburg",
                "--json",
                "category,tags",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(
        added,
        serde_json::json!({ "category": "groceries", "tags": ["food"] })
    );
    let refused = user.run(&["add", "9.99", "--merchant", "IKEA"], None).await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("category"), "{}", refused.stderr);
    assert!(refused.stderr.contains("give a category"), "{}", refused.stderr);

    // `expense import` without a category column: each row by the rules, or refused by line.
    let file = user.home.path().join("bank.csv");
    std::fs::write(
        &file,
        "Date,Amount,Payee\n2026-11-20,40.00,LIDL BERLIN 77\n2026-11-21,15.00,IKEA Spandau\n2026-11-22,7.00,Lidl\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let dry = user.run(&["import", path, "--dry-run"], None).await;
    assert!(dry.stderr.contains("3 rows have no category"), "{}", dry.stderr);
    let imported = user.run(&["import", path], None).await;
    assert_eq!(imported.code, 1, "the IKEA row is refused: {}", imported.stderr);
    assert!(
        imported.stderr.contains("! line 3: category"),
        "{}",
        imported.stderr
    );
    assert!(
        imported.stderr.contains("Imported 2 of 3 rows"),
        "{}",
        imported.stderr
    );
    let stored = user
        .run(
            &["ls", "--period", "2026-11", "--json", "merchant,category"],
            None,
        )
        .await
        .json();
    let stored = stored.as_array().unwrap();
    assert!(stored.contains(&serde_json::json!({ "merchant": "LIDL BERLIN 77", "category": "travel" })));
    assert!(stored.contains(&serde_json::json!({ "merchant": "Lidl", "category": "groceries" })));

    // Applying to existing expenses: a dry run reports, then the same changes are made.
    user.run(
        &[
            "add",
            "60",
            "uncategorized",
            "--merchant",
            "LIDL BERLIN 1",
            "--date",
            "2026-11-10",
        ],
        None,
    )
    .await
    .ok();
    user.run(
        &[
            "add",
            "5",
            "uncategorized",
            "--merchant",
            "Kiosk",
            "--date",
            "2026-11-11",
        ],
        None,
    )
    .await
    .ok();
    let dry = user
        .run(
            &["rules", "apply", "--dry-run", "--category", "uncategorized"],
            None,
        )
        .await;
    let changes: Vec<Vec<&str>> = dry.ok().lines().map(|line| line.split('\t').collect()).collect();
    assert_eq!(changes.len(), 1, "{}", dry.stdout);
    assert_eq!(
        &changes[0][..8],
        [
            "2026-11-10",
            "60.00",
            "EUR",
            "LIDL BERLIN 1",
            "",
            "uncategorized",
            "groceries",
            "food"
        ]
    );
    assert!(
        dry.stderr.contains("Dry run: 1 of 2 expenses would change"),
        "{}",
        dry.stderr
    );
    let unchanged = user
        .run(&["ls", "--category", "uncategorized", "--json", "merchant"], None)
        .await
        .json();
    assert_eq!(unchanged.as_array().unwrap().len(), 2);
    let applied = user
        .run(
            &[
                "rules",
                "apply",
                "--category",
                "uncategorized",
                "--json",
                "expense_id,to_category",
            ],
            None,
        )
        .await;
    assert_eq!(applied.json().as_array().unwrap().len(), 1);
    assert!(
        applied.stderr.contains("Changed 1 of 2 expenses"),
        "{}",
        applied.stderr
    );
    let left = user
        .run(&["ls", "--category", "uncategorized", "--json", "merchant"], None)
        .await
        .json();
    assert_eq!(left, serde_json::json!([{ "merchant": "Kiosk" }]));

    let id = travel_id(&user).await;
    user.run(&["rules", "rm", &id], None).await.ok();
    let after = user
        .run(&["rules", "ls", "--json", "position,category"], None)
        .await
        .json();
    assert_eq!(
        after,
        serde_json::json!([{ "position": 1, "category": "groceries" }])
    );
    let gone = user.run(&["rules", "rm", &id], None).await;
    assert_eq!(gone.code, 1, "{}", gone.stderr);
}

async fn travel_id(user: &User) -> String {
    let rules = user
        .run(&["rules", "ls", "--json", "id,category"], None)
        .await
        .json();
    rules
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["category"] == "travel")
        .map(|rule| rule["id"].as_str().unwrap().to_owned())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_rules_say_what_to_fix() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "bad-rules").await;
    let neither = user.run(&["rules", "add", "--category", "x"], None).await;
    assert_eq!(neither.code, 2, "a usage error: {}", neither.stderr);
    assert!(neither.stderr.contains("--merchant"), "{}", neither.stderr);

    let not_a_pattern = user
        .run(
            &[
                "rules",
                "add",
                "--note-matches",
                "card (payment",
                "--category",
                "x",
            ],
            None,
        )
        .await;
    assert_eq!(not_a_pattern.code, 1, "{}", not_a_pattern.stderr);
    assert!(
        not_a_pattern.stderr.contains("note_matches"),
        "{}",
        not_a_pattern.stderr
    );
    assert!(
        not_a_pattern.stderr.contains("unclosed group"),
        "{}",
        not_a_pattern.stderr
    );

    let costly = user
        .run(
            &[
                "rules",
                "add",
                "--note-matches",
                r"(\w{50}){50}",
                "--category",
                "x",
            ],
            None,
        )
        .await;
    assert_eq!(costly.code, 1, "{}", costly.stderr);
    assert!(costly.stderr.contains("too costly"), "{}", costly.stderr);

    let position = user
        .run(
            &[
                "rules",
                "add",
                "--merchant",
                "x",
                "--category",
                "x",
                "--position",
                "0",
            ],
            None,
        )
        .await;
    assert_eq!(position.code, 2, "{}", position.stderr);

    let untestable = user.run(&["rules", "test"], None).await;
    assert_eq!(untestable.code, 2, "{}", untestable.stderr);
    assert!(
        user.run(&["rules", "ls", "--json"], None)
            .await
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
}
