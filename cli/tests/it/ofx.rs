//! `expense import FILE.ofx|FILE.qfx`: bank files written by ofxtools (PyPI) in both OFX versions
//! (`ofx/make_ofx.py`), recognised by their content; debits stored as expenses, credits as
//! refunds, each in the file's currency; a re-import, or a later download that overlaps, stores
//! nothing twice; a bad entry is reported by line while the others are stored; a malformed file
//! is refused whole.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::helpers::{Run, Server, User, run_tool, test_python};

/// Writes the files with ofxtools into `dir`.
fn make_files(dir: &Path) {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/ofx/make_ofx.py");
    run_tool(
        &test_python(),
        &[script.to_str().unwrap(), dir.to_str().unwrap()],
        None,
    );
}

/// Every stored expense as (day, amount, currency, merchant, note), oldest first.
async fn stored(user: &User) -> Vec<(String, String, String, String, String)> {
    let all = user
        .run(
            &[
                "ls",
                "--all",
                "--json",
                "spent_on,amount,currency,merchant,note,tags,category",
            ],
            None,
        )
        .await
        .json();
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let mut rows: Vec<_> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["category"], "uncategorized");
            let tags = e["tags"].as_array().unwrap();
            assert!(
                tags.len() == 1 && tags[0].as_str().unwrap().starts_with("ofx-"),
                "{e}"
            );
            (
                text(&e["spent_on"]),
                text(&e["amount"]),
                text(&e["currency"]),
                text(&e["merchant"]),
                text(&e["note"]),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn row(
    day: &str,
    amount: &str,
    currency: &str,
    merchant: &str,
    note: &str,
) -> (String, String, String, String, String) {
    (
        day.into(),
        amount.into(),
        currency.into(),
        merchant.into(),
        note.into(),
    )
}

async fn import(user: &User, file: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["import", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    user.run(&args, None).await
}

#[tokio::test(flavor = "multi_thread")]
async fn bank_files_of_both_versions_are_imported_once() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "ofx").await;
    let dir = user.home.path().join("bank");
    make_files(&dir);

    // OFX 1.0.2 (SGML): a dry run stores nothing.
    let checking = dir.join("checking-v1.ofx");
    let dry = import(&user, &checking, &["--dry-run"]).await;
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stderr.contains("4 of 4 rows would be imported"),
        "{}",
        dry.stderr
    );
    assert!(stored(&user).await.is_empty());

    let first = import(&user, &checking, &[]).await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.contains("Imported 4 of 4 rows"), "{}", first.stderr);
    let checking_rows = vec![
        row("2026-11-02", "12.50", "EUR", "LIDL BERLIN", "weekly shop"),
        row("2026-11-03", "23.90", "EUR", "Müller & Söhne", "lunch <team>"),
        row(
            "2026-11-04",
            "-3.00",
            "EUR",
            "LIDL BERLIN",
            "refund: bottle deposit",
        ),
        row("2026-11-05", "1100.00", "EUR", "Landlord", "November rent"),
    ];
    assert_eq!(stored(&user).await, checking_rows);

    // The same file again, and a later download overlapping it: only the new entry is stored.
    let again = import(&user, &checking, &[]).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("4 were already imported"),
        "{}",
        again.stderr
    );
    let overlap = import(&user, &dir.join("overlap-v1.ofx"), &[]).await;
    assert_eq!(overlap.code, 0, "{}", overlap.stderr);
    assert!(
        overlap
            .stderr
            .contains("Imported 2 of 2 rows (1 were already imported"),
        "{}",
        overlap.stderr
    );
    let mut expected = checking_rows.clone();
    expected.push(row("2026-11-20", "45.00", "EUR", "DB Fernverkehr", "train"));
    assert_eq!(stored(&user).await, expected);

    // OFX 2.2.0 (XML), a card in JPY with one KWD entry and one of zero, under a .qfx name.
    let card = dir.join("card-v2.qfx");
    let imported = import(&user, &card, &[]).await;
    assert_eq!(
        imported.code, 1,
        "a bad entry makes the exit code 1: {}",
        imported.stderr
    );
    let reported: Vec<&str> = imported
        .stderr
        .lines()
        .filter(|l| l.starts_with("! line"))
        .collect();
    assert_eq!(reported.len(), 1, "{}", imported.stderr);
    assert!(
        reported[0].contains("FITID CC-5: TRNAMT \"0\" is zero"),
        "{reported:?}"
    );
    assert!(
        imported.stderr.contains("Imported 4 of 5 rows"),
        "{}",
        imported.stderr
    );
    expected.extend([
        row("2026-11-06", "1200", "JPY", "JR EAST", "Shinkansen"),
        row("2026-11-07", "350", "JPY", "LAWSON", ""),
        row("2026-11-08", "-200", "JPY", "LAWSON", "return"),
        row("2026-11-09", "0.125", "KWD", "Kuwait Airways", "seat"),
    ]);
    expected.sort();
    assert_eq!(stored(&user).await, expected);
    let again = import(&user, &card, &[]).await;
    assert!(
        again
            .stderr
            .contains("Imported 4 of 5 rows (4 were already imported"),
        "{}",
        again.stderr
    );
    assert_eq!(stored(&user).await.len(), expected.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_bank_file_is_refused_whole() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "ofx-bad").await;
    let dir = user.home.path().join("bank");
    make_files(&dir);
    let whole = std::fs::read_to_string(dir.join("card-v2.qfx")).unwrap();
    let cut = dir.join("cut.qfx");
    std::fs::write(&cut, &whole[..whole.find("<FITID>CC-3").unwrap()]).unwrap();
    let refused = import(&user, &cut, &[]).await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("cannot read"), "{}", refused.stderr);
    assert!(refused.stderr.contains("cut short"), "{}", refused.stderr);
    assert!(
        stored(&user).await.is_empty(),
        "nothing of a malformed file is stored"
    );
}
