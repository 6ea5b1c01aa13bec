//! The output layer through the real binary: TSV when piped, tables on a terminal, JSON, jq,
//! CSV, NDJSON.

use crate::helpers::{Server, User};

#[tokio::test(flavor = "multi_thread")]
async fn piped_output_is_tab_separated_and_a_terminal_gets_a_table() {
    let server = Server::start().await;
    let mut user = User::new(&server);
    let email = user.register("out").await;
    user.run(&["token", "create", "first"], None).await.ok();
    user.run(&["token", "create", "second"], None).await.ok();

    let piped = user.run(&["token", "ls"], None).await;
    let lines: Vec<Vec<&str>> = piped.ok().lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 2, "no header when piped: {}", piped.stdout);
    assert_eq!(lines[0][1], "second", "newest first");
    assert_eq!(lines[0].len(), 6, "every column, tab-separated");
    assert!(!piped.stdout.contains('\u{1b}'), "no colour codes when piped");

    let whoami = user.run(&["whoami"], None).await;
    assert!(
        whoami.ok().lines().any(|l| l == format!("email\t{email}")),
        "{}",
        whoami.stdout
    );

    user.extra_env.push(("EXPENSE_FORCE_TTY".into(), "1".into()));
    let table = user.run(&["token", "ls"], None).await;
    let header = table.ok().lines().next().unwrap();
    assert!(
        header.contains("Name") && header.contains("Expires"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains(" UTC"),
        "timestamps shortened for people: {}",
        table.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn machine_formats() {
    let server = Server::start().await;
    let user = User::new(&server);
    user.register("fmt").await;
    user.run(&["token", "create", "ci"], None).await.ok();

    let json = user.run(&["token", "ls", "--json", "name"], None).await.json();
    assert_eq!(json, serde_json::json!([{ "name": "ci" }]));
    let jq = user.run(&["token", "ls", "--jq", ".[0].name"], None).await;
    assert_eq!(jq.ok(), "ci\n");
    let csv = user.run(&["token", "ls", "--format", "csv"], None).await;
    assert!(
        csv.ok()
            .starts_with("id,name,created_at,expires_at,last_used_at,revoked_at\n"),
        "{}",
        csv.stdout
    );
    let ndjson = user.run(&["token", "ls", "--format", "ndjson"], None).await;
    let record: serde_json::Value = serde_json::from_str(ndjson.ok().lines().next().unwrap()).unwrap();
    assert_eq!(record["name"], "ci");

    let unknown = user.run(&["token", "ls", "--json", "colour"], None).await;
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("available fields"), "{}", unknown.stderr);
    let bad_jq = user.run(&["token", "ls", "--jq", ".[[["], None).await;
    assert_eq!(bad_jq.code, 2);
}
