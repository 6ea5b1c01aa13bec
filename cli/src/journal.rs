//! Plain-text accounting journals: `expense export --format ledger|beancount`.
//!
//! One transaction per expense, in date order (then by id, so a re-export of the same expenses
//! is byte-for-byte the same): the category becomes an `Expenses:<Category>` account, the money
//! comes from one funding account (`Assets:Cash` unless told otherwise), the currency is the
//! commodity with exactly its ISO 4217 decimals, a refund is a negative posting, the merchant is
//! the payee, the note the narration, the tags tags, and the expense id metadata.
//!
//! Amounts are copied as the API's decimal strings: nothing here does arithmetic on money, so
//! nothing can round. The funding posting is left without an amount; both hledger and beancount
//! make it balance the transaction exactly.
//!
//! This module only writes text; it does not talk to the server. Account names are made from
//! category names by [`category_account`], which both dialects accept (the stricter beancount
//! rules decide): words of letters and digits, each capitalised, joined with `-`.

use std::collections::BTreeSet;
use std::io::{self, Write};

/// The funding account when neither `--account` nor the profile names one.
pub const DEFAULT_FUNDING_ACCOUNT: &str = "Assets:Cash";

/// The top-level accounts beancount knows (and so the only ones allowed).
const ROOTS: [&str; 5] = ["Assets", "Liabilities", "Equity", "Income", "Expenses"];

/// Which journal syntax to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// hledger's journal format, which ledger also reads.
    Ledger,
    /// Beancount's syntax (checked with `bean-check`).
    Beancount,
}

/// One expense, as a journal needs it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Entry {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub spent_on: String,
    /// The API's decimal string, with exactly the currency's decimals; negative for a refund.
    pub amount: String,
    pub currency: String,
    pub category: String,
    pub merchant: Option<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Checks a funding account name: `Root:Component…`, the root one of Assets, Liabilities,
/// Equity, Income, Expenses, each component starting with a capital letter or a digit and made
/// of letters, digits and `-`. The error says what is wrong.
pub fn check_account(name: &str) -> Result<(), String> {
    let mut components = name.split(':');
    let root = components.next().unwrap_or_default();
    if !ROOTS.contains(&root) {
        return Err(format!(
            "{name:?} must start with one of {} (such as Assets:Cash)",
            ROOTS.join(", ")
        ));
    }
    for component in components.clone() {
        let mut chars = component.chars();
        let valid_start = chars
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if !valid_start || !chars.all(|c| c.is_alphanumeric() || c == '-') {
            return Err(format!(
                "{name:?}: each part after the first must start with a capital letter or a digit \
                 and hold only letters, digits and '-' (such as Assets:Bank-Account)"
            ));
        }
    }
    if components.count() == 0 {
        return Err(format!("{name:?} needs at least two parts, such as {root}:Cash"));
    }
    Ok(())
}

/// The expense account of a category: `Expenses:` and the category's words (runs of letters and
/// digits), each capitalised, joined with `-`: `eating out` → `Expenses:Eating-Out`. Categories
/// that differ only in punctuation share an account. A category without letters or digits, or
/// whose first word starts with a letter that has no capital (such as `食費`), gets an `X-`
/// prefix, since account parts must start with a capital or a digit.
pub fn category_account(category: &str) -> String {
    let words: Vec<String> = category
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().expect("not empty");
            first.to_uppercase().chain(chars).collect()
        })
        .collect();
    let mut component = words.join("-");
    let starts_well = component
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    if !starts_well {
        component = if component.is_empty() {
            "X".to_owned()
        } else {
            format!("X-{component}")
        };
    }
    format!("Expenses:{component}")
}

/// Writes `entries` as a journal: a header, the commodities and accounts used, then one
/// transaction per entry in date order. Sorts `entries` in place.
pub fn write(out: &mut dyn Write, dialect: Dialect, funding: &str, entries: &mut [Entry]) -> io::Result<()> {
    entries.sort_by(|a, b| (&a.spent_on, &a.id).cmp(&(&b.spent_on, &b.id)));
    let commodities: BTreeSet<(&str, usize)> = entries
        .iter()
        .map(|e| (e.currency.as_str(), decimals(&e.amount)))
        .collect();
    let mut accounts: BTreeSet<String> = entries.iter().map(|e| category_account(&e.category)).collect();
    accounts.insert(funding.to_owned());
    match dialect {
        Dialect::Ledger => {
            writeln!(out, "; Expenses exported by `expense export --format ledger`.")?;
            writeln!(
                out,
                "; Read it with hledger (`hledger -f FILE bal`) or ledger. `expense-id` is the expense's id."
            )?;
            writeln!(out)?;
            for (currency, decimals) in &commodities {
                writeln!(out, "commodity {currency}")?;
                // hledger wants a decimal point in a format, which ledger refuses for a
                // currency without decimals; both infer none from the amounts.
                if *decimals > 0 {
                    writeln!(out, "    format {} {currency}", sample(*decimals))?;
                }
            }
            for account in &accounts {
                writeln!(out, "account {account}")?;
            }
            for entry in entries.iter() {
                writeln!(out)?;
                write_ledger_transaction(out, funding, entry)?;
            }
        }
        Dialect::Beancount => {
            writeln!(out, "; Expenses exported by `expense export --format beancount`.")?;
            writeln!(
                out,
                "; Check it with `bean-check FILE`. `expense-id` is the expense's id."
            )?;
            if let Some(first) = entries.first() {
                writeln!(out)?;
                let opened = &first.spent_on;
                for (currency, _) in &commodities {
                    writeln!(out, "{opened} commodity {currency}")?;
                }
                for account in &accounts {
                    writeln!(out, "{opened} open {account}")?;
                }
            }
            for entry in entries.iter() {
                writeln!(out)?;
                write_beancount_transaction(out, funding, entry)?;
            }
        }
    }
    Ok(())
}

/// Digits after the decimal point of an API amount (its currency's exponent).
fn decimals(amount: &str) -> usize {
    amount.split_once('.').map_or(0, |(_, fraction)| fraction.len())
}

/// `1000.00`, `1000.000`: the sample amount of a `format` line.
fn sample(decimals: usize) -> String {
    format!("1000.{}", "0".repeat(decimals))
}

/// Free text on one line: control characters become spaces, runs of spaces one space.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The description of a ledger transaction: `Merchant | note` (hledger's payee and note), or
/// whichever of the two exists. A `;` would start a comment, so it becomes `,`; a `|` in the
/// merchant would move the payee's end, so it becomes `/`; a leading `(`, `*` or `!` would read
/// as a code or status.
fn ledger_description(entry: &Entry) -> String {
    let clean = |text: &str| one_line(text).replace(';', ",");
    let merchant = entry
        .merchant
        .as_deref()
        .map(|m| clean(m).replace('|', "/"))
        .filter(|m| !m.is_empty());
    let note = entry.note.as_deref().map(clean).filter(|n| !n.is_empty());
    let description = match (merchant, note) {
        (Some(merchant), Some(note)) => format!("{merchant} | {note}"),
        (Some(merchant), None) => merchant,
        (None, Some(note)) => note,
        (None, None) => String::new(),
    };
    let trimmed = description.trim_start_matches(['*', '!', ' ']);
    match trimmed.strip_prefix('(') {
        Some(rest) => format!("[{rest}"),
        None => trimmed.to_owned(),
    }
}

/// A tag name hledger reads back whole: no spaces, commas or colons.
fn ledger_tag(tag: &str) -> String {
    tag.chars()
        .map(|c| {
            if c.is_whitespace() || c == ',' || c == ':' {
                '-'
            } else {
                c
            }
        })
        .collect()
}

fn write_ledger_transaction(out: &mut dyn Write, funding: &str, entry: &Entry) -> io::Result<()> {
    let description = ledger_description(entry);
    if description.is_empty() {
        writeln!(out, "{} *", entry.spent_on)?;
    } else {
        writeln!(out, "{} * {description}", entry.spent_on)?;
    }
    writeln!(out, "    ; expense-id: {}", entry.id)?;
    if !entry.tags.is_empty() {
        let tags: Vec<String> = entry.tags.iter().map(|t| format!("{}:", ledger_tag(t))).collect();
        writeln!(out, "    ; {}", tags.join(", "))?;
    }
    writeln!(
        out,
        "    {}  {} {}",
        category_account(&entry.category),
        entry.amount,
        entry.currency
    )?;
    writeln!(out, "    {funding}")
}

/// A beancount string literal.
fn quoted(text: &str) -> String {
    format!(
        "\"{}\"",
        one_line(text).replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// A tag beancount reads: letters, digits and `-_/.`; anything else becomes `-`.
fn beancount_tag(tag: &str) -> String {
    tag.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_/.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn write_beancount_transaction(out: &mut dyn Write, funding: &str, entry: &Entry) -> io::Result<()> {
    let merchant = entry.merchant.as_deref().filter(|m| !one_line(m).is_empty());
    let note = entry.note.as_deref().filter(|n| !one_line(n).is_empty());
    let strings = match (merchant, note) {
        (Some(merchant), note) => format!("{} {}", quoted(merchant), quoted(note.unwrap_or(""))),
        (None, note) => quoted(note.unwrap_or("")),
    };
    let mut line = format!("{} * {strings}", entry.spent_on);
    for tag in &entry.tags {
        line.push_str(&format!(" #{}", beancount_tag(tag)));
    }
    writeln!(out, "{line}")?;
    writeln!(out, "  expense-id: {}", quoted(&entry.id))?;
    writeln!(
        out,
        "  {}  {} {}",
        category_account(&entry.category),
        entry.amount,
        entry.currency
    )?;
    writeln!(out, "  {funding}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(day: &str, amount: &str, currency: &str, category: &str) -> Entry {
        Entry {
            id: format!("id-{day}-{amount}"),
            spent_on: day.to_owned(),
            amount: amount.to_owned(),
            currency: currency.to_owned(),
            category: category.to_owned(),
            merchant: None,
            note: None,
            tags: Vec::new(),
        }
    }

    #[test]
    fn categories_become_accounts_both_dialects_accept() {
        for (category, account) in [
            ("groceries", "Expenses:Groceries"),
            ("eating out", "Expenses:Eating-Out"),
            ("eating-out", "Expenses:Eating-Out"),
            ("café/bar", "Expenses:Café-Bar"),
            ("2fa keys", "Expenses:2fa-Keys"),
            ("a:b", "Expenses:A-B"),
            ("!!!", "Expenses:X"),
            ("食費", "Expenses:X-食費"),
        ] {
            assert_eq!(category_account(category), account, "{category}");
            assert!(check_account(&category_account(category)).is_ok(), "{category}");
        }
    }

    #[test]
    fn funding_accounts_are_checked() {
        for good in ["Assets:Cash", "Liabilities:Visa", "Assets:Bank-Account:2026"] {
            assert!(check_account(good).is_ok(), "{good}");
        }
        for bad in [
            "Cash",
            "Assets",
            "Assets:cash",
            "Assets:Bank Account",
            "Wallet:Cash",
            "Assets::Cash",
        ] {
            assert!(check_account(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ledger_transactions_carry_payee_note_tags_and_id() {
        let mut entries = vec![
            Entry {
                merchant: Some("Lidl | Berlin".into()),
                note: Some("weekly; shop\nand more".into()),
                tags: vec!["food".into(), "a:b".into()],
                ..entry("2026-11-02", "12.50", "EUR", "groceries")
            },
            entry("2026-11-01", "-3", "JPY", "eating out"),
        ];
        let mut out = Vec::new();
        write(&mut out, Dialect::Ledger, "Assets:Cash", &mut entries).unwrap();
        let text = String::from_utf8(out).unwrap();
        let expected = "\
commodity EUR
    format 1000.00 EUR
commodity JPY
account Assets:Cash
account Expenses:Eating-Out
account Expenses:Groceries

2026-11-01 *
    ; expense-id: id-2026-11-01--3
    Expenses:Eating-Out  -3 JPY
    Assets:Cash

2026-11-02 * Lidl / Berlin | weekly, shop and more
    ; expense-id: id-2026-11-02-12.50
    ; food:, a-b:
    Expenses:Groceries  12.50 EUR
    Assets:Cash
";
        assert!(text.ends_with(expected), "{text}");
    }

    #[test]
    fn beancount_transactions_quote_and_open_accounts() {
        let mut entries = vec![Entry {
            merchant: Some("Bäcker \"Korn\"".into()),
            tags: vec!["café".into()],
            ..entry("2026-11-02", "0.500", "KWD", "bread")
        }];
        let mut out = Vec::new();
        write(&mut out, Dialect::Beancount, "Liabilities:Visa", &mut entries).unwrap();
        let text = String::from_utf8(out).unwrap();
        let expected = "\
2026-11-02 commodity KWD
2026-11-02 open Expenses:Bread
2026-11-02 open Liabilities:Visa

2026-11-02 * \"Bäcker \\\"Korn\\\"\" \"\" #caf-
  expense-id: \"id-2026-11-02-0.500\"
  Expenses:Bread  0.500 KWD
  Liabilities:Visa
";
        assert!(text.ends_with(expected), "{text}");
    }

    #[test]
    fn no_expenses_is_an_empty_journal() {
        for dialect in [Dialect::Ledger, Dialect::Beancount] {
            let mut out = Vec::new();
            write(&mut out, dialect, DEFAULT_FUNDING_ACCOUNT, &mut []).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(
                text.lines()
                    .all(|l| l.is_empty() || l.starts_with(';') || l.starts_with("account"))
            );
        }
    }
}
