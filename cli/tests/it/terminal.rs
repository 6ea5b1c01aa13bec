//! The CLI as a terminal program: the pager (terminal only, `--no-pager`, `EXPENSE_PAGER` then
//! `PAGER`), `--color`, help topics and examples, a closed pipe, and `expense api`.

use crate::helpers::{Server, User};

#[tokio::test(flavor = "multi_thread")]
async fn long_output_on_a_terminal_goes_through_the_pager_and_never_when_piped() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "pager").await;
    user.run(&["add", "12.50", "groceries"], None).await.ok();
    let pager = [("EXPENSE_FORCE_TTY", "1"), ("EXPENSE_PAGER", "sed s/^/paged:/")];

    let paged = user.run_with(&["ls"], &pager).await;
    assert_eq!(paged.code, 0, "{}", paged.stderr);
    assert!(
        paged.stdout.lines().all(|l| l.starts_with("paged:")),
        "{}",
        paged.stdout
    );
    assert!(paged.stdout.contains("groceries"), "{}", paged.stdout);

    let direct = user.run_with(&["ls", "--no-pager"], &pager).await;
    assert!(
        !direct.stdout.contains("paged:") && direct.stdout.contains("groceries"),
        "{}",
        direct.stdout
    );
    let piped = user
        .run_with(&["ls"], &[("EXPENSE_PAGER", "sed s/^/paged:/")])
        .await;
    assert!(
        !piped.stdout.contains("paged:"),
        "never when piped: {}",
        piped.stdout
    );

    let fallback = user
        .run_with(
            &["ls"],
            &[("EXPENSE_FORCE_TTY", "1"), ("PAGER", "sed s/^/pager:/")],
        )
        .await;
    assert!(fallback.stdout.starts_with("pager:"), "{}", fallback.stdout);
    let off = user
        .run_with(
            &["ls"],
            &[
                ("EXPENSE_FORCE_TTY", "1"),
                ("EXPENSE_PAGER", ""),
                ("PAGER", "sed s/^/pager:/"),
            ],
        )
        .await;
    assert!(
        !off.stdout.contains("pager:"),
        "an empty EXPENSE_PAGER turns it off: {}",
        off.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn color_follows_the_flag_over_the_environment() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "color").await;
    user.run(&["add", "12.50", "groceries"], None).await.ok();
    let escape = '\u{1b}';
    let always = user
        .run_with(
            &["ls", "--format", "table", "--color", "always"],
            &[("NO_COLOR", "1")],
        )
        .await;
    assert!(
        always.stdout.contains(escape),
        "--color always wins over NO_COLOR: {}",
        always.stdout
    );
    let never = user
        .run_with(
            &["ls", "--format", "table", "--color", "never"],
            &[("CLICOLOR_FORCE", "1")],
        )
        .await;
    assert!(!never.stdout.contains(escape), "{}", never.stdout);
    let auto = user
        .run_with(&["ls", "--format", "table"], &[("CLICOLOR_FORCE", "1")])
        .await;
    assert!(auto.stdout.contains(escape), "{}", auto.stdout);
    let bad = user.run(&["ls", "--color", "sometimes"], None).await;
    assert_eq!(bad.code, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn help_has_topics_and_every_command_ends_with_examples() {
    let server = Server::start().await;
    let user = User::new(&server);
    let dates = user.run(&["help", "dates"], None).await;
    assert!(dates.ok().contains("3 days ago"), "{}", dates.stdout);
    for topic in ["periods", "formats", "exit-codes", "environment"] {
        assert!(
            user.run(&["help", topic], None).await.ok().contains("Examples:"),
            "{topic}"
        );
    }
    let budget = user.run(&["help", "budget", "set"], None).await;
    assert!(budget.ok().contains("--starts-on-day"), "{}", budget.stdout);
    let unknown = user.run(&["help", "nonsense"], None).await;
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    let add = user.run(&["add", "--help"], None).await;
    let text = add.ok().trim_end();
    let last = text.lines().last().unwrap();
    assert!(
        text.contains("Examples:") && last.trim_start().starts_with("expense add"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_pipe_is_success() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "pipe").await;
    user.run(&["add", "1", "x"], None).await.ok();
    for args in [
        &["ls"][..],
        &["export", "--format", "ledger"],
        &["ls", "--json"],
        &["export"],
    ] {
        // The reader is gone before anything is written: every write meets a closed pipe.
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_expense"))
            .args(args)
            .env_clear()
            .envs(user.environment())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().await.unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn api_calls_any_endpoint_signed_in() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "api").await;
    let me = user.run(&["api", "/v1/me", "--jq", ".email"], None).await;
    assert!(me.ok().contains("@example.com"), "{}", me.stdout);

    let created = user
        .run(
            &[
                "api",
                "POST",
                "/v1/expenses",
                "-f",
                "amount=12.50",
                "-f",
                "currency=EUR",
                "-f",
                "category=food",
                "-f",
                "spent_on=2026-11-02",
                "-f",
                "tags[]=a",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(
        (created["amount"].as_str(), created["tags"][0].as_str()),
        (Some("12.50"), Some("a"))
    );
    let id = created["id"].as_str().unwrap();

    let patch = user.home.path().join("patch.json");
    std::fs::write(&patch, r#"{"note": "from a file"}"#).unwrap();
    let patched = user
        .run(
            &[
                "api",
                "PATCH",
                &format!("/v1/expenses/{id}"),
                "--input",
                patch.to_str().unwrap(),
                "-H",
                "If-Match: 1",
            ],
            None,
        )
        .await
        .json();
    assert_eq!(patched["note"], "from a file");

    let listed = user
        .run(
            &[
                "api",
                "GET",
                "/v1/expenses",
                "-F",
                "limit=1",
                "--jq",
                ".items | length",
            ],
            None,
        )
        .await;
    assert_eq!(listed.ok().trim(), "1");

    let missing = user
        .run(
            &["api", "/v1/expenses/0195f0c2-8d1e-7a3b-9c4d-5e6f7a8b9c0d", "-i"],
            None,
        )
        .await;
    assert_eq!(missing.code, 1, "{}", missing.stderr);
    assert!(missing.stdout.starts_with("HTTP/1.1 404"), "{}", missing.stdout);
    assert!(
        missing.stdout.contains("\"status\": 404"),
        "the problem is printed: {}",
        missing.stdout
    );
    assert!(missing.stderr.contains("HTTP 404"), "{}", missing.stderr);

    let anonymous = User::new(&server);
    let refused = anonymous.run(&["api", "/v1/me"], None).await;
    assert_eq!(refused.code, 4, "{}", refused.stderr);
}
