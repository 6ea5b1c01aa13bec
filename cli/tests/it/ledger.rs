//! `expense export --format ledger|beancount`, judged by the tools people use: hledger and
//! ledger (the Debian packages) and beancount (`bean-check` and its loader, from PyPI) read the files with no
//! error, and their balance per account and currency equals the server's `/v1/summary` for the
//! same period, to the minor unit, in JPY (no decimals), EUR (two) and KWD (three).

use std::collections::BTreeMap;
use std::path::Path;

use expense_api::money::{Currency, Money};
use serde_json::Value;

use crate::helpers::{Server, User, run_tool, test_python, venv_program};

/// (amount, currency, category, merchant, note, tags, day): refunds, three exponents, a category
/// with a space, free text with the characters journals care about.
const EXPENSES: [(&str, &str, &str, &str, &str, &str, &str); 10] = [
    (
        "12.50",
        "EUR",
        "groceries",
        "Lidl",
        "weekly shop",
        "food",
        "2026-11-02",
    ),
    (
        "-3.00",
        "EUR",
        "groceries",
        "Lidl",
        "bottle deposit",
        "",
        "2026-11-03",
    ),
    (
        "23.90",
        "EUR",
        "eating out",
        "Café \"Zum Löwen\"",
        "team; lunch | meeting: q4",
        "team",
        "2026-11-04",
    ),
    ("0.01", "EUR", "eating out", "", "", "", "2026-11-05"),
    ("1200", "JPY", "travel", "JR East", "", "", "2026-11-06"),
    ("-200", "JPY", "travel", "JR East", "refund", "", "2026-11-07"),
    ("350", "JPY", "groceries", "(Lawson)", "", "", "2026-11-08"),
    ("0.125", "KWD", "groceries", "", "dates", "", "2026-11-09"),
    ("150.500", "KWD", "rent", "Landlord", "", "home", "2026-11-10"),
    (
        "99.99",
        "EUR",
        "groceries",
        "Lidl",
        "last month: not in the period",
        "",
        "2026-10-31",
    ),
];

/// The expense accounts of the categories above (docs/cli.md: words capitalised, joined by `-`).
fn account(category: &str) -> &'static str {
    match category {
        "groceries" => "Expenses:Groceries",
        "eating out" => "Expenses:Eating-Out",
        "travel" => "Expenses:Travel",
        "rent" => "Expenses:Rent",
        other => panic!("no account for {other}"),
    }
}

/// Minor units of a decimal string with `places` decimals, in `currency`'s exponent.
fn minor(mantissa: i64, places: u32, currency: &str) -> i64 {
    let exponent = u32::from(currency.parse::<Currency>().unwrap().exponent());
    assert!(
        places <= exponent,
        "{mantissa}e-{places} {currency} has more decimals than the currency"
    );
    mantissa * 10_i64.pow(exponent - places)
}

/// `/v1/summary` by category for November 2026, as (account, currency) → minor units.
async fn summary(user: &User) -> BTreeMap<(String, String), i64> {
    let rows = user
        .run(&["summary", "--period", "2026-11", "--json"], None)
        .await
        .json();
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|row| row["group"] != "total")
        .map(|row| {
            let currency = row["currency"].as_str().unwrap().to_owned();
            let money = Money::parse(row["amount"].as_str().unwrap(), currency.parse().unwrap()).unwrap();
            (
                (account(row["group"].as_str().unwrap()).to_owned(), currency),
                money.minor(),
            )
        })
        .collect()
}

/// `hledger bal Expenses` of a journal as (account, currency) → minor units, read from its JSON
/// output (exact decimal mantissas, no floats).
fn hledger_balances(journal: &Path) -> BTreeMap<(String, String), i64> {
    let hledger = Path::new("hledger");
    let report: Value = serde_json::from_str(&run_tool(
        hledger,
        &[
            "-f",
            journal.to_str().unwrap(),
            "bal",
            "^Expenses:",
            "--flat",
            "-O",
            "json",
        ],
        None,
    ))
    .unwrap();
    let mut balances = BTreeMap::new();
    for row in report[0].as_array().unwrap() {
        let account = row[0].as_str().unwrap().to_owned();
        for amount in row[3].as_array().unwrap() {
            let currency = amount["acommodity"].as_str().unwrap().to_owned();
            let quantity = &amount["aquantity"];
            let value = minor(
                quantity["decimalMantissa"].as_i64().unwrap(),
                u32::try_from(quantity["decimalPlaces"].as_i64().unwrap()).unwrap(),
                &currency,
            );
            if value != 0 {
                balances.insert((account.clone(), currency), value);
            }
        }
    }
    balances
}

/// Beancount's own loader sums the postings of the expense accounts, in Decimal.
const BEANCOUNT_BALANCES: &str = r#"
import json, sys
from collections import defaultdict
from beancount import loader
from beancount.core import data
entries, errors, options = loader.load_file(sys.argv[1])
if errors:
    sys.exit("beancount found errors: %r" % (errors,))
sums = defaultdict(lambda: 0)
for entry in entries:
    if isinstance(entry, data.Transaction):
        for posting in entry.postings:
            if posting.account.startswith("Expenses:"):
                sums[posting.account + " " + posting.units.currency] += posting.units.number
print(json.dumps({key: str(value) for key, value in sums.items() if value != 0}))
"#;

fn beancount_balances(file: &Path) -> BTreeMap<(String, String), i64> {
    let sums: BTreeMap<String, String> = serde_json::from_str(&run_tool(
        &test_python(),
        &["-c", BEANCOUNT_BALANCES, file.to_str().unwrap()],
        None,
    ))
    .unwrap();
    sums.into_iter()
        .map(|(key, amount)| {
            let (account, currency) = key.split_once(' ').unwrap();
            let money = Money::parse(&amount, currency.parse().unwrap())
                .unwrap_or_else(|e| panic!("{amount} {currency}: {e}"));
            ((account.to_owned(), currency.to_owned()), money.minor())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn hledger_and_beancount_read_the_export_and_agree_with_the_summary() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "ledger").await;
    for (amount, currency, category, merchant, note, tags, day) in EXPENSES {
        let mut args = vec!["add", amount, category, "--currency", currency, "--date", day];
        for (flag, value) in [("--merchant", merchant), ("--note", note), ("--tag", tags)] {
            if !value.is_empty() {
                args.extend([flag, value]);
            }
        }
        user.run(&args, None).await.ok();
    }
    let expected = summary(&user).await;
    assert_eq!(expected.len(), 6, "{expected:?}");

    let export = |format: &'static str, extra: &'static [&'static str]| {
        let user = &user;
        async move {
            let mut args = vec!["export", "--format", format, "--period", "2026-11"];
            args.extend_from_slice(extra);
            user.run(&args, None).await.ok().to_owned()
        }
    };
    let journal_text = export("ledger", &[]).await;
    assert_eq!(
        journal_text,
        export("ledger", &[]).await,
        "a re-export is the same"
    );
    assert!(
        journal_text.contains("commodity KWD\n    format 1000.000 KWD"),
        "{journal_text}"
    );
    assert!(
        journal_text.contains("    Expenses:Groceries  -3.00 EUR\n    Assets:Cash\n"),
        "a refund is negative"
    );
    assert!(journal_text.contains("* Lidl | weekly shop\n"), "{journal_text}");
    assert!(journal_text.contains("; food:\n"), "{journal_text}");
    let journal = user.home.path().join("expenses.journal");
    std::fs::write(&journal, &journal_text).unwrap();
    run_tool(
        Path::new("hledger"),
        &[
            "-f",
            journal.to_str().unwrap(),
            "check",
            "accounts",
            "commodities",
        ],
        None,
    );
    assert_eq!(
        hledger_balances(&journal),
        expected,
        "hledger bal = /v1/summary\n{journal_text}"
    );
    let ledger = run_tool(
        Path::new("ledger"),
        &["-f", journal.to_str().unwrap(), "bal", "^Expenses:"],
        None,
    );
    assert!(
        ledger.contains("150.500 KWD") && ledger.contains("1350 JPY"),
        "ledger reads it too: {ledger}"
    );
    let ids = run_tool(
        Path::new("hledger"),
        &["-f", journal.to_str().unwrap(), "tags", "expense-id", "--values"],
        None,
    );
    assert_eq!(
        ids.lines().count(),
        9,
        "each transaction carries its expense id: {ids}"
    );

    let beancount_text = export("beancount", &["--account", "Liabilities:Visa"]).await;
    let file = user.home.path().join("expenses.beancount");
    std::fs::write(&file, &beancount_text).unwrap();
    let checked = run_tool(&venv_program("bean-check"), &[file.to_str().unwrap()], None);
    assert_eq!(checked.trim(), "", "bean-check reports nothing");
    assert!(beancount_text.contains("  Liabilities:Visa\n"));
    assert_eq!(
        beancount_balances(&file),
        expected,
        "beancount = /v1/summary\n{beancount_text}"
    );

    // The profile's funding account, and a bad one refused before anything is fetched.
    user.run(
        &["config", "set", "funding_account", "Assets:Bank:Checking"],
        None,
    )
    .await
    .ok();
    assert!(export("ledger", &[]).await.contains("    Assets:Bank:Checking\n"));
    let refused = user
        .run(&["export", "--format", "ledger", "--account", "cash"], None)
        .await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("Assets"), "{}", refused.stderr);
}

/// The README's one line: the export piped straight into hledger.
#[tokio::test(flavor = "multi_thread")]
async fn the_readme_line_reads_the_export_with_hledger() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "readme").await;
    user.run(&["add", "12.50", "groceries"], None).await.ok();
    user.run(&["add", "1200", "travel", "--currency", "JPY"], None)
        .await
        .ok();
    let bin = Path::new(env!("CARGO_BIN_EXE_expense")).parent().unwrap();
    let output = tokio::process::Command::new("sh")
        .args(["-c", "expense export --format ledger | hledger -f - bal"])
        .env_clear()
        .envs(user.environment())
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()),
        )
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("12.50 EUR  Expenses:Groceries"), "{stdout}");
    assert!(stdout.contains("1200 JPY  Expenses:Travel"), "{stdout}");
}
