//! The everyday commands through the real binary: add, ls, show, edit, rm, summary, budget,
//! categories, export.

use crate::helpers::{Server, User};

#[tokio::test(flavor = "multi_thread")]
async fn add_list_show_edit_and_remove() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "daily").await;

    let added = user
        .run(
            &[
                "add",
                "12.50",
                "Groceries",
                "--note",
                "weekly shop",
                "--tag",
                "food",
                "--json",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(
        (added["amount"].as_str(), added["currency"].as_str()),
        (Some("12.50"), Some("EUR"))
    );
    assert_eq!(
        (added["category"].as_str(), added["spent_on"].as_str()),
        (Some("groceries"), Some("2026-11-26"))
    );
    let id = added["id"].as_str().unwrap().to_owned();
    user.run(&["add", "-3", "groceries", "--date", "yesterday"], None)
        .await
        .ok();
    user.run(
        &["add", "1200", "travel", "--currency", "JPY", "--date", "monday"],
        None,
    )
    .await
    .ok();
    user.run(
        &[
            "add",
            "45.90",
            "dining",
            "--date",
            "3 days ago",
            "--merchant",
            "Trattoria",
        ],
        None,
    )
    .await
    .ok();

    let listed = user
        .run(&["ls", "--json", "spent_on,amount,currency"], None)
        .await
        .json();
    let listed: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["spent_on"].as_str().unwrap(),
                e["amount"].as_str().unwrap(),
                e["currency"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        listed[..2],
        ["2026-11-26 12.50 EUR", "2026-11-25 -3.00 EUR"],
        "newest first; relative dates resolved"
    );
    // Two expenses on Monday the 23rd, ordered between themselves by id.
    let mut monday = listed[2..].to_vec();
    monday.sort();
    assert_eq!(monday, ["2026-11-23 1200 JPY", "2026-11-23 45.90 EUR"]);
    let filtered = user
        .run(
            &[
                "ls",
                "--category",
                "groceries",
                "--min",
                "0",
                "--jq",
                ".[].amount",
            ],
            None,
        )
        .await;
    assert_eq!(filtered.ok(), "12.50\n");
    let searched = user
        .run(&["ls", "--search", "TRATT", "--jq", ".[].category"], None)
        .await;
    assert_eq!(searched.ok(), "dining\n");
    let period = user
        .run(&["ls", "--period", "last month", "--json"], None)
        .await
        .json();
    assert_eq!(period, serde_json::json!([]));
    let limited = user.run(&["ls", "--limit", "1"], None).await;
    assert_eq!(limited.ok().lines().count(), 1);

    let shown = user
        .run(&["show", &id, "--json", "note,tags,version"], None)
        .await
        .json();
    assert_eq!(
        shown,
        serde_json::json!({ "note": "weekly shop", "tags": ["food"], "version": 1 })
    );
    let edited = user
        .run(&["edit", &id, "--amount", "13", "--note", "", "--json"], None)
        .await
        .json();
    assert_eq!(
        (
            edited["amount"].as_str(),
            edited["note"].is_null(),
            edited["version"].as_i64()
        ),
        (Some("13.00"), true, Some(2))
    );
    let nothing = user.run(&["edit", &id], None).await;
    assert_eq!(nothing.code, 2);
    let refused = user.run(&["edit", &id, "--currency", "JPY"], None).await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("JPY has no minor unit"),
        "{}",
        refused.stderr
    );

    let no_yes = user.run(&["rm", &id], None).await;
    assert_eq!(no_yes.code, 2, "not a terminal and no --yes");
    assert!(no_yes.stderr.contains("--yes"));
    user.run(&["rm", &id, "--yes"], None).await.ok();
    let gone = user.run(&["show", &id], None).await;
    assert_eq!(gone.code, 1);
    assert!(gone.stderr.contains("No expense with that id"), "{}", gone.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_before_or_by_the_server() {
    let server = Server::start().await;
    let user = User::new(&server);
    user.register("bad").await;
    let no_currency = user.run(&["add", "5", "food"], None).await;
    assert_eq!(no_currency.code, 2);
    assert!(
        no_currency.stderr.contains("default_currency"),
        "{}",
        no_currency.stderr
    );
    let bad_day = user
        .run(
            &["add", "5", "food", "--currency", "EUR", "--date", "someday"],
            None,
        )
        .await;
    assert_eq!(bad_day.code, 2);
    let bad_amount = user
        .run(&["add", "5.555", "food", "--currency", "EUR"], None)
        .await;
    assert_eq!(bad_amount.code, 1);
    assert!(
        bad_amount.stderr.contains("EUR has 2 decimals"),
        "{}",
        bad_amount.stderr
    );
    let bad_period = user.run(&["ls", "--period", "whenever"], None).await;
    assert_eq!(bad_period.code, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn summaries_budgets_and_categories() {
    let server = Server::start().await;
    let mut user = User::signed_in(&server, "plan").await;
    user.run(&["add", "40", "groceries", "--date", "2026-11-02"], None)
        .await
        .ok();
    user.run(&["add", "-5", "groceries", "--date", "2026-11-03"], None)
        .await
        .ok();
    user.run(&["add", "20", "snacks", "--date", "2026-11-04"], None)
        .await
        .ok();
    user.run(
        &[
            "add",
            "1000",
            "travel",
            "--currency",
            "JPY",
            "--date",
            "2026-11-05",
        ],
        None,
    )
    .await
    .ok();

    let summary = user.run(&["summary", "--format", "tsv"], None).await;
    let lines: Vec<&str> = summary.ok().lines().collect();
    assert_eq!(
        lines,
        [
            "groceries\t35.00\tEUR\t2",
            "snacks\t20.00\tEUR\t1",
            "travel\t1000\tJPY\t1",
            "total\t55.00\tEUR\t3",
            "total\t1000\tJPY\t1"
        ]
    );
    let by_month = user
        .run(&["summary", "--by", "month", "--period", "2026", "--json"], None)
        .await
        .json();
    assert_eq!(by_month[0]["group"], "2026-11");

    user.run(&["budget", "set", "groceries", "50"], None).await.ok();
    user.run(&["budget", "set", "total", "100", "--starts-on-day", "25"], None)
        .await
        .ok();
    let budgets = user
        .run(&["budget", "ls", "--json", "category,spent,percent_used"], None)
        .await
        .json();
    assert_eq!(
        budgets[0],
        serde_json::json!({ "category": "groceries", "spent": "35.00", "percent_used": 70 })
    );

    user.run(&["categories", "rename", "snacks", "treats"], None)
        .await
        .ok();
    user.run(&["categories", "merge", "treats", "groceries"], None)
        .await
        .ok();
    let categories = user.run(&["categories", "--json"], None).await.json();
    assert_eq!(
        categories,
        serde_json::json!([{ "name": "groceries", "count": 3 }, { "name": "travel", "count": 1 }])
    );

    user.extra_env.push(("EXPENSE_FORCE_TTY".into(), "1".into()));
    let drawn = user.run(&["summary"], None).await;
    assert!(drawn.ok().contains('█'), "bars on a terminal: {}", drawn.stdout);
    let gauges = user.run(&["budget", "ls"], None).await;
    assert!(gauges.ok().contains('█'));
}

#[tokio::test(flavor = "multi_thread")]
async fn export_streams_every_page_in_each_format() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "export").await;
    let file = user.home.path().join("many.csv");
    let mut csv = String::from("date,amount,category,note\n");
    for n in 0..450 {
        csv.push_str(&format!(
            "2026-10-{:02},{}.{:02},food,\"row, {n}\"\n",
            n % 28 + 1,
            n + 1,
            n % 100
        ));
    }
    std::fs::write(&file, csv).unwrap();
    user.run(&["import", file.to_str().unwrap()], None).await.ok();

    let exported = user.run(&["export"], None).await;
    let lines: Vec<&str> = exported.ok().lines().collect();
    assert_eq!(
        lines[0],
        "spent_on,amount,currency,category,note,merchant,tags,id"
    );
    assert_eq!(lines.len(), 451, "every page (200 per page) and the header");
    let ndjson = user
        .run(&["export", "--format", "ndjson", "--category", "food"], None)
        .await;
    assert_eq!(ndjson.ok().lines().count(), 450);
    let json: serde_json::Value = user.run(&["export", "--format", "json"], None).await.json();
    assert_eq!(json.as_array().unwrap().len(), 450);
    let all = user.run(&["ls", "--all", "--json", "id"], None).await.json();
    assert_eq!(all.as_array().unwrap().len(), 450);

    // An export imports back into another account, row for row.
    let export_file = user.home.path().join("export.csv");
    std::fs::write(&export_file, exported.stdout.as_bytes()).unwrap();
    let other = User::signed_in(&server, "other").await;
    let imported = other.run(&["import", export_file.to_str().unwrap()], None).await;
    imported.ok();
    assert!(
        imported.stderr.contains("Imported 450 of 450 rows"),
        "{}",
        imported.stderr
    );
}
