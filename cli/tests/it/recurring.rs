//! `expense recurring` through the real binary and server: a schedule records its days at once,
//! lists in every output format, pauses, resumes and goes; bad input exits 2 (usage) or 1 with
//! the server's reason.

use crate::helpers::{Server, User};

#[tokio::test(flavor = "multi_thread")]
async fn recurring_schedules_from_add_to_rm() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "rent").await;
    // Today is Thursday 2026-11-26: a monthly schedule from 1 October records 1 October and
    // 1 November at once.
    let created = user
        .run(
            &[
                "recurring",
                "add",
                "950",
                "rent",
                "--every",
                "month",
                "--on",
                "1",
                "--from",
                "2026-10-01",
                "--note",
                "flat",
                "--merchant",
                "Landlord",
                "--tag",
                "home",
                "--json",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(created["every"], "month");
    assert_eq!(created["on"], 1);
    assert_eq!(created["next_on"], "2026-12-01");
    let id = created["id"].as_str().unwrap().to_owned();

    let recorded = user
        .run(
            &[
                "ls",
                "--category",
                "rent",
                "--json",
                "spent_on,amount,recurring_id,tags",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(
        recorded,
        serde_json::json!([
            { "spent_on": "2026-11-01", "amount": "950.00", "recurring_id": id, "tags": ["home"] },
            { "spent_on": "2026-10-01", "amount": "950.00", "recurring_id": id, "tags": ["home"] },
        ])
    );

    user.run(
        &[
            "recurring",
            "add",
            "4.99",
            "music",
            "--every",
            "week",
            "--on",
            "mon",
        ],
        None,
    )
    .await
    .ok();
    // Piped: tab-separated, one schedule a line, oldest first.
    let listed = user.run(&["recurring", "ls"], None).await;
    let lines: Vec<Vec<&str>> = listed
        .ok()
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    assert_eq!(lines.len(), 2, "{}", listed.stdout);
    assert_eq!(
        &lines[0][..7],
        [id.as_str(), "950.00", "EUR", "rent", "month", "1", "2026-12-01"]
    );
    assert_eq!(&lines[1][3..7], ["music", "week", "1", "2026-11-30"]);
    let jq = user
        .run(
            &[
                "recurring",
                "ls",
                "--jq",
                ".[] | select(.every == \"week\") | .category",
            ],
            None,
        )
        .await;
    assert_eq!(jq.ok().trim(), "music");

    let paused = user
        .run(&["recurring", "pause", &id, "--json"], None)
        .await
        .json();
    assert_eq!(
        (paused["paused"].as_bool(), &paused["next_on"]),
        (Some(true), &serde_json::Value::Null)
    );
    let resumed = user
        .run(&["recurring", "resume", &id, "--json", "paused,next_on"], None)
        .await
        .json();
    assert_eq!(
        resumed,
        serde_json::json!({ "paused": false, "next_on": "2026-12-01" })
    );

    user.run(&["recurring", "rm", &id], None).await.ok();
    let after = user
        .run(&["recurring", "ls", "--json", "category"], None)
        .await
        .json();
    assert_eq!(after, serde_json::json!([{ "category": "music" }]));
    let kept = user
        .run(&["ls", "--category", "rent", "--json", "spent_on"], None)
        .await
        .json();
    assert_eq!(kept.as_array().unwrap().len(), 2, "the recorded expenses stay");
    let gone = user.run(&["recurring", "pause", &id], None).await;
    assert_eq!(gone.code, 1, "{}", gone.stderr);
    assert!(
        gone.stderr.contains("No recurring schedule with that id"),
        "{}",
        gone.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_schedules_say_what_to_fix() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "bad").await;
    let unknown = user
        .run(&["recurring", "add", "5", "x", "--every", "fortnight"], None)
        .await;
    assert_eq!(unknown.code, 2, "a usage error: {}", unknown.stderr);
    assert!(unknown.stderr.contains("fortnight"));

    let not_a_weekday = user
        .run(
            &["recurring", "add", "5", "x", "--every", "week", "--on", "someday"],
            None,
        )
        .await;
    assert_eq!(not_a_weekday.code, 2, "{}", not_a_weekday.stderr);
    assert!(
        not_a_weekday.stderr.contains("monday"),
        "{}",
        not_a_weekday.stderr
    );

    let out_of_range = user
        .run(
            &["recurring", "add", "5", "x", "--every", "month", "--on", "32"],
            None,
        )
        .await;
    assert_eq!(out_of_range.code, 1, "{}", out_of_range.stderr);
    assert!(out_of_range.stderr.contains("1 to 31"), "{}", out_of_range.stderr);

    let backwards = user
        .run(
            &[
                "recurring",
                "add",
                "5",
                "x",
                "--every",
                "day",
                "--from",
                "2026-12-10",
                "--until",
                "2026-12-01",
            ],
            None,
        )
        .await;
    assert_eq!(backwards.code, 1, "{}", backwards.stderr);
    assert!(backwards.stderr.contains("until"), "{}", backwards.stderr);
    assert!(
        user.run(&["recurring", "ls", "--json"], None)
            .await
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
}
