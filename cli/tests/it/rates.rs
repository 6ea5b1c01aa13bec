//! `expense rates` and `expense summary --in` through the real binary and server: rates set,
//! listed in every output format and removed; the ECB's file imported, or refused with its lines;
//! totals in one currency with the rates they used; a missing rate exits 1 naming the currency
//! and day.

use crate::helpers::{Server, User};

/// A few days of the ECB's history file, as published: `N/A` cells, a currency the euro
/// replaced (CYP), the trailing comma.
const ECB_FILE: &str = "Date,USD,JPY,CYP,GBP,\n\
    2026-11-20,1.0800,160.00,N/A,0.8000,\n\
    2026-11-19,1.1000,N/A,N/A,0.8100,\n\
    2026-11-18,1.0500,158.50,N/A,N/A,\n";

/// Stdout's lines, split at tabs.
fn rows(stdout: &str) -> Vec<Vec<String>> {
    stdout
        .lines()
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn rates_are_set_listed_imported_and_removed() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "rates").await;

    // Lower-case codes are the same currencies; the day defaults to today (2026-11-26).
    let set = user
        .run(&["rates", "set", "usd", "eur", "0.9245", "--json"], None)
        .await
        .json();
    assert_eq!(
        set,
        serde_json::json!({ "from": "USD", "to": "EUR", "on": "2026-11-26", "rate": "0.9245" })
    );
    user.run(
        &["rates", "set", "CHF", "EUR", "1.07", "--date", "2026-11-02"],
        None,
    )
    .await
    .ok();

    let file = user.home.path().join("eurofxref-hist.csv");
    std::fs::write(&file, ECB_FILE).unwrap();
    let path = file.to_str().unwrap();
    // Piped, a single item prints `key<TAB>value` lines.
    let imported = user.run(&["rates", "import", path], None).await;
    assert_eq!(
        rows(imported.ok()),
        [
            ["recorded", "7"],
            ["replaced", "0"],
            ["days", "3"],
            ["first_day", "2026-11-18"],
            ["last_day", "2026-11-20"],
            ["currencies", "GBP,JPY,USD"],
            ["skipped_columns", "CYP"],
        ]
    );
    let again = user
        .run(&["rates", "import", path, "--json", "recorded,replaced"], None)
        .await
        .json();
    assert_eq!(again, serde_json::json!({ "recorded": 7, "replaced": 7 }));

    // Piped: newest day first, one rate a line.
    let listed = user.run(&["rates", "ls", "--limit", "3"], None).await;
    assert_eq!(
        rows(listed.ok()),
        [
            ["2026-11-26", "USD", "EUR", "0.9245"],
            ["2026-11-20", "EUR", "GBP", "0.8000"],
            ["2026-11-20", "EUR", "JPY", "160.00"],
        ]
    );
    let yen = user
        .run(&["rates", "ls", "--currency", "jpy", "--jq", ".[].rate"], None)
        .await;
    assert_eq!(yen.ok(), "160.00\n158.50\n");
    let csv = user
        .run(
            &[
                "rates",
                "ls",
                "--all",
                "--period",
                "2026-11-19",
                "--format",
                "csv",
            ],
            None,
        )
        .await;
    assert_eq!(
        csv.ok(),
        "on,from,to,rate\n2026-11-19,EUR,GBP,0.8100\n2026-11-19,EUR,USD,1.1000\n"
    );

    let removed = user
        .run(&["rates", "rm", "CHF", "EUR", "--date", "2026-11-02"], None)
        .await;
    assert!(
        removed
            .stderr
            .contains("Removed the CHF → EUR rate of 2026-11-02"),
        "{}",
        removed.stderr
    );
    let gone = user
        .run(&["rates", "rm", "CHF", "EUR", "--date", "2026-11-02"], None)
        .await;
    assert_eq!(gone.code, 1, "{}", gone.stderr);
    assert_eq!(
        user.run(&["rates", "ls", "--all", "--json"], None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        8
    );

    // A refused file names its lines and says which file they are of; nothing is recorded.
    let broken = user.home.path().join("broken.csv");
    std::fs::write(
        &broken,
        "Date,USD,\n2026-11-25,1.0800,\n2026-11-24,1.O9,\n24/11/2026,1.07,\n",
    )
    .unwrap();
    let refused = user
        .run(&["rates", "import", broken.to_str().unwrap()], None)
        .await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("line 3: USD \"1.O9\""),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("line 4: \"24/11/2026\""),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("broken.csv"), "{}", refused.stderr);
    let latest = user
        .run(&["rates", "ls", "--limit", "1", "--jq", ".[].on"], None)
        .await;
    assert_eq!(
        latest.ok(),
        "2026-11-26\n",
        "nothing of the broken file was recorded"
    );
    let missing = user.run(&["rates", "import", "no-such-file.csv"], None).await;
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    let bad_rate = user.run(&["rates", "set", "USD", "EUR", "1,5"], None).await;
    assert_eq!(bad_rate.code, 1, "{}", bad_rate.stderr);
    assert!(bad_rate.stderr.contains("rate"), "{}", bad_rate.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_summary_in_one_currency_and_the_rates_it_used() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "travel").await;
    for (amount, currency, date, category) in [
        ("108.00", "USD", "2026-11-20", "hotel"),
        ("317", "JPY", "2026-11-19", "food"),
        ("12.00", "EUR", "2026-11-19", "food"),
    ] {
        user.run(
            &["add", amount, category, "--currency", currency, "--date", date],
            None,
        )
        .await
        .ok();
    }
    // The yen's last rate before the 19th is the 18th's (the 19th is N/A).
    let file = user.home.path().join("eurofxref-hist.csv");
    std::fs::write(&file, ECB_FILE).unwrap();
    user.run(&["rates", "import", file.to_str().unwrap()], None)
        .await
        .ok();

    let summary = user.run(&["summary", "--in", "eur"], None).await;
    assert_eq!(
        rows(summary.ok()),
        [
            ["food", "14.00", "EUR", "2", "12.00 EUR, 317 JPY"],
            ["hotel", "100.00", "EUR", "1", "108.00 USD"],
            ["total", "114.00", "EUR", "3", "12.00 EUR, 317 JPY, 108.00 USD"],
        ]
    );
    let json = user
        .run(
            &["summary", "--in", "EUR", "--by", "day", "--json", "group,amount"],
            None,
        )
        .await
        .json();
    assert_eq!(
        json,
        serde_json::json!([
            { "group": "2026-11-19", "amount": "14.00" },
            { "group": "2026-11-20", "amount": "100.00" },
            { "group": "total", "amount": "114.00" },
        ])
    );
    let used = user.run(&["summary", "--in", "EUR", "--rates"], None).await;
    assert_eq!(
        rows(used.ok()),
        [
            [
                "JPY",
                "2026-11-19",
                "EUR",
                "JPY→EUR ÷ 158.50 (EUR→JPY of 2026-11-18)"
            ],
            [
                "USD",
                "2026-11-20",
                "EUR",
                "USD→EUR ÷ 1.0800 (EUR→USD of 2026-11-20)"
            ],
        ]
    );
    // In pounds, euros need a rate too, and the others go through the euro.
    let in_pounds = user
        .run(&["summary", "--in", "GBP", "--rates", "--jq", ".[].used"], None)
        .await;
    assert_eq!(
        in_pounds.ok(),
        "EUR→GBP × 0.8100 (EUR→GBP of 2026-11-19)\n\
         JPY→EUR ÷ 158.50 (EUR→JPY of 2026-11-18), then EUR→GBP × 0.8100 (EUR→GBP of 2026-11-19)\n\
         USD→EUR ÷ 1.0800 (EUR→USD of 2026-11-20), then EUR→GBP × 0.8000 (EUR→GBP of 2026-11-20)\n"
    );

    // A day before any yen rate: the summary is refused, naming the currency and the day.
    user.run(
        &["add", "500", "food", "--currency", "JPY", "--date", "2026-11-17"],
        None,
    )
    .await
    .ok();
    let refused = user.run(&["summary", "--in", "EUR"], None).await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("no rate converts JPY into EUR on or before 2026-11-17"),
        "{}",
        refused.stderr
    );
    assert!(refused.stdout.is_empty(), "no partial totals: {}", refused.stdout);
    let usage = user.run(&["summary", "--rates"], None).await;
    assert_eq!(usage.code, 2, "--rates needs --in: {}", usage.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_budget_in_a_home_currency_counts_converted_and_warns_of_missing_rates() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "home").await;
    for (amount, currency, date) in [("108.00", "USD", "2026-11-20"), ("12.00", "EUR", "2026-11-19")] {
        user.run(
            &["add", amount, "travel", "--currency", currency, "--date", date],
            None,
        )
        .await
        .ok();
    }
    // No rate yet: the dollars are not counted, and stderr says which rate would count them.
    let set = user
        .run(
            &["budget", "set", "travel", "200", "--currency", "EUR", "--convert"],
            None,
        )
        .await;
    // One item, piped: a field per line.
    let fields: Vec<(String, String)> = rows(set.ok())
        .into_iter()
        .map(|row| (row[0].clone(), row[1].clone()))
        .collect();
    for field in [
        ("convert", "true"),
        ("spent", "12.00"),
        ("remaining", "188.00"),
        ("percent_used", "6"),
    ] {
        assert!(
            fields.contains(&(field.0.to_owned(), field.1.to_owned())),
            "{field:?} in {fields:?}"
        );
    }
    assert!(
        set.stderr.contains(
            "does not count USD expenses from 2026-11-20 on: no rate converts USD into EUR on or before that day; `expense rates set USD EUR RATE --date 2026-11-20`"
        ),
        "{}",
        set.stderr
    );

    // With the ECB's rates, 108 USD on the 20th is 100 EUR: 112 of 200 spent.
    let file = user.home.path().join("eurofxref-hist.csv");
    std::fs::write(&file, ECB_FILE).unwrap();
    user.run(&["rates", "import", file.to_str().unwrap()], None)
        .await
        .ok();
    let listed = user
        .run(
            &[
                "budget",
                "ls",
                "--json",
                "category,convert,spent,percent_used,missing_rates",
            ],
            None,
        )
        .await;
    assert_eq!(
        listed.json(),
        serde_json::json!([{
            "category": "travel", "convert": true, "spent": "112.00", "percent_used": 56,
            "missing_rates": []
        }])
    );
    assert!(!listed.stderr.contains("does not count"), "{}", listed.stderr);
}
