//! `expense import`: bad rows reported by line while good rows are stored, re-runs that store
//! nothing twice, and dry runs that store nothing.

use crate::helpers::{Server, User};

const FILE: &str = "\
Date,Amount,Currency,Category,Description,Payee,Tags
2026-11-01,12.50,EUR,groceries,weekly shop,Lidl,\"food,home\"
2026-11-02,1.234,EUR,groceries,three decimals,,
2026-11-31,5.00,EUR,groceries,no such day,,
2026-11-03,1200,JPY,travel,train,JR East,
,,,,,,
2026-11-04,9.99,XYZ,books,unknown currency,,
2026-11-05,-4.00,EUR,groceries,refund,Lidl,
";

fn count(run: &crate::helpers::Run) -> usize {
    run.json().as_array().unwrap().len()
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_rows_are_reported_by_line_and_good_rows_stored_once() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "import").await;
    let file = user.home.path().join("bank.csv");
    std::fs::write(&file, FILE).unwrap();
    let path = file.to_str().unwrap();

    let dry = user.run(&["import", path, "--dry-run"], None).await;
    assert_eq!(dry.code, 1, "bad rows make the exit code 1: {}", dry.stderr);
    assert!(
        dry.stderr.contains("3 of 6 rows would be imported"),
        "{}",
        dry.stderr
    );
    assert_eq!(
        count(&user.run(&["ls", "--json"], None).await),
        0,
        "a dry run stores nothing"
    );

    let first = user.run(&["import", path], None).await;
    assert_eq!(first.code, 1, "{}", first.stderr);
    let reported: Vec<&str> = first.stderr.lines().filter(|l| l.starts_with("! line")).collect();
    assert_eq!(reported.len(), 3, "{}", first.stderr);
    assert!(reported[0].starts_with("! line 3: amount"), "{reported:?}");
    assert!(reported[1].starts_with("! line 4: date"));
    assert!(reported[2].starts_with("! line 7: currency"));
    assert!(first.stderr.contains("Imported 3 of 6 rows"), "{}", first.stderr);
    let stored = user
        .run(&["ls", "--json", "amount,merchant,tags,note"], None)
        .await
        .json();
    assert_eq!(stored.as_array().unwrap().len(), 3);
    assert!(
        stored
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["tags"] == serde_json::json!(["food", "home"]))
    );

    let again = user.run(&["import", path], None).await;
    assert_eq!(again.code, 1);
    assert!(
        again.stderr.contains("3 were already imported"),
        "{}",
        again.stderr
    );
    assert_eq!(
        count(&user.run(&["ls", "--json"], None).await),
        3,
        "nothing stored twice"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn headers_are_mapped_and_rows_refused_by_the_server_are_reported() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "mapped").await;
    let file = user.home.path().join("german.csv");
    let long_category = "x".repeat(80);
    std::fs::write(
        &file,
        format!("Datum;Betrag;Kategorie\n2026-11-01;3.50;kaffee\n2026-11-02;4.00;{long_category}\n")
            .replace(';', ","),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let unmapped = user.run(&["import", path], None).await;
    assert_eq!(unmapped.code, 2, "{}", unmapped.stderr);
    assert!(unmapped.stderr.contains("--map"), "{}", unmapped.stderr);

    let mapped = user
        .run(
            &[
                "import",
                path,
                "--map",
                "date=Datum,amount=Betrag,category=Kategorie",
                "--batch-size",
                "10",
            ],
            None,
        )
        .await;
    // The 80-character category passes the local checks; the server refuses it, and the rest of
    // its batch is stored anyway.
    assert_eq!(mapped.code, 1, "{}", mapped.stderr);
    assert!(mapped.stderr.contains("line 3: category"), "{}", mapped.stderr);
    assert_eq!(count(&user.run(&["ls", "--json"], None).await), 1);
    let again = user
        .run(
            &[
                "import",
                path,
                "--map",
                "date=Datum,amount=Betrag,category=Kategorie",
                "--batch-size",
                "10",
            ],
            None,
        )
        .await;
    assert_eq!(again.code, 1);
    assert_eq!(
        count(&user.run(&["ls", "--json"], None).await),
        1,
        "the retried remainder is not stored twice"
    );
}
