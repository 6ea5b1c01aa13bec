//! CSV files: the header recognised (or mapped with `--map`), then every row checked here, so a
//! bad row is reported with its line number without a round trip.

use std::collections::HashMap;

use expense_api::expenses::{DecimalString, NewExpense};
use expense_api::money::{Currency, Money};

use super::{BadRow, GoodRow, ImportArgs};
use crate::dates;
use crate::error::{CliError, ErrorKind, Result};

/// The fields an import understands, with the header names recognised for each.
const FIELDS: [(&str, &[&str]); 7] = [
    (
        "date",
        &[
            "date",
            "spenton",
            "day",
            "transactiondate",
            "bookingdate",
            "valuedate",
        ],
    ),
    ("amount", &["amount", "sum", "value", "total", "price"]),
    ("currency", &["currency", "ccy", "cur"]),
    ("category", &["category", "cat", "type"]),
    ("note", &["note", "notes", "description", "memo", "details"]),
    ("merchant", &["merchant", "payee", "shop", "vendor", "store"]),
    ("tags", &["tags", "tag", "labels"]),
];

/// Reads the file: the rows that pass the local checks, and those that do not.
pub(super) fn read_rows(
    args: &ImportArgs,
    default_currency: Option<&str>,
) -> Result<(Vec<GoodRow>, Vec<BadRow>)> {
    let file = std::fs::File::open(&args.file).map_err(|e| {
        CliError::new(
            ErrorKind::Usage,
            format!("cannot open {}: {e}", args.file.display()),
        )
    })?;
    parse_rows(
        file,
        &args.file.display().to_string(),
        &args.map,
        default_currency,
    )
}

/// Reads CSV text (`name` is its file, for messages): the header, then every row checked.
fn parse_rows(
    input: impl std::io::Read,
    name: &str,
    map: &[String],
    default_currency: Option<&str>,
) -> Result<(Vec<GoodRow>, Vec<BadRow>)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| CliError::usage(format!("cannot read the header of {name}: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect();
    let columns = map_columns(&headers, map)?;
    if !columns.contains_key("currency") && default_currency.is_none() {
        return Err(
            CliError::usage("the file has no currency column and no default currency is set")
                .with_hint("pass --currency EUR, or `expense config set default_currency EUR`"),
        );
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                bad.push(BadRow {
                    line,
                    reason: format!("not readable as CSV: {error}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |name: &str| {
            columns
                .get(name)
                .and_then(|&index| record.get(index))
                .unwrap_or("")
                .to_owned()
        };
        match check_row(&field, default_currency) {
            Ok(body) => good.push(GoodRow { line, body }),
            Err(reason) => bad.push(BadRow { line, reason }),
        }
    }
    Ok((good, bad))
}

/// Field name → column index, from `--map` first, then the recognised header names.
fn map_columns(headers: &[String], map: &[String]) -> Result<HashMap<&'static str, usize>> {
    let normalise = |text: &str| {
        text.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase()
    };
    let mut columns = HashMap::new();
    for pair in map {
        let (field, header) = pair
            .split_once('=')
            .ok_or_else(|| CliError::usage(format!("--map {pair:?} is not FIELD=HEADER")))?;
        let field = FIELDS
            .iter()
            .map(|(name, _)| *name)
            .find(|name| *name == field.trim())
            .ok_or_else(|| {
                CliError::usage(format!("--map: unknown field {field:?}")).with_hint(field_list())
            })?;
        let index = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(header.trim()))
            .ok_or_else(|| {
                CliError::usage(format!(
                    "--map: no column named {header:?}; the header has: {}",
                    headers.join(", ")
                ))
            })?;
        columns.insert(field, index);
    }
    for (field, names) in FIELDS {
        if columns.contains_key(field) {
            continue;
        }
        if let Some(index) = headers
            .iter()
            .position(|h| names.contains(&normalise(h).as_str()))
        {
            columns.insert(field, index);
        }
    }
    // No category column is fine: the server gives each row its rules' category.
    let missing: Vec<&str> = ["date", "amount"]
        .into_iter()
        .filter(|f| !columns.contains_key(f))
        .collect();
    if !missing.is_empty() {
        return Err(CliError::usage(format!(
            "cannot tell which column holds {}; the header has: {}",
            missing.join(", "),
            headers.join(", ")
        ))
        .with_hint(format!(
            "name them with --map, such as --map {}=YourHeader",
            missing[0]
        )));
    }
    Ok(columns)
}

fn field_list() -> String {
    format!(
        "fields: {}",
        FIELDS
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The local checks of one row; the request body, or why not.
fn check_row(
    field: &dyn Fn(&str) -> String,
    default_currency: Option<&str>,
) -> std::result::Result<NewExpense, String> {
    let date = field("date");
    let spent_on = dates::iso_date(&date)
        .ok_or_else(|| format!("date: {date:?} is not a date in the form YYYY-MM-DD"))?;
    let code = Some(field("currency").to_uppercase())
        .filter(|c| !c.is_empty())
        .or(default_currency.map(str::to_owned));
    let code = code.ok_or("currency: empty, and no default currency")?;
    let currency: Currency = code.parse().map_err(|e| format!("currency: {e}"))?;
    let amount = field("amount");
    let money = Money::parse(&amount, currency).map_err(|e| format!("amount: {e}"))?;
    if money.minor() == 0 {
        return Err("amount: must not be zero".to_owned());
    }
    let optional = |name: &str| Some(field(name)).filter(|v| !v.is_empty());
    let tags: Vec<String> = field("tags")
        .split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(NewExpense {
        amount: DecimalString(money.amount()),
        currency: currency.code().to_owned(),
        // Empty: the first of the user's rules that matches gives it (the server refuses the row
        // when none does).
        category: optional("category"),
        note: optional("note"),
        merchant: optional("merchant"),
        spent_on: dates::format(spent_on),
        tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn headers_are_recognised_or_mapped() {
        let columns = map_columns(
            &headers(&["Date", "Amount", "Currency", "Category", "Description", "Payee"]),
            &[],
        )
        .unwrap();
        assert_eq!((columns["date"], columns["note"], columns["merchant"]), (0, 4, 5));
        let columns = map_columns(&headers(&["spent_on", "amount", "category"]), &[]).unwrap();
        assert_eq!(columns["date"], 0);
        let german = headers(&["Datum", "Betrag", "Kategorie"]);
        let missing = map_columns(&german, &[]).unwrap_err();
        assert_eq!(missing.exit_code(), 2);
        assert!(missing.message.contains("date, amount"));
        let mapped = map_columns(
            &german,
            &[
                "date=Datum".into(),
                "amount=betrag".into(),
                "category=Kategorie".into(),
            ],
        )
        .unwrap();
        assert_eq!((mapped["date"], mapped["amount"], mapped["category"]), (0, 1, 2));
        assert!(map_columns(&german, &["colour=Datum".into()]).is_err());
    }

    #[test]
    fn rows_are_checked_locally() {
        let row = |values: [(&'static str, &'static str); 4]| {
            move |name: &str| {
                values
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
                    .unwrap_or_default()
            }
        };
        let ok = check_row(
            &row([
                ("date", "2026-11-02"),
                ("amount", "12.5"),
                ("currency", "eur"),
                ("category", "food"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!((ok.amount.0.as_str(), ok.currency.as_str()), ("12.50", "EUR"));
        let no_currency = row([
            ("date", "2026-11-02"),
            ("amount", "12"),
            ("currency", ""),
            ("category", "food"),
        ]);
        assert!(check_row(&no_currency, None).unwrap_err().starts_with("currency"));
        assert_eq!(check_row(&no_currency, Some("JPY")).unwrap().currency, "JPY");
        let bad_amount = row([
            ("date", "2026-11-02"),
            ("amount", "1.234"),
            ("currency", "EUR"),
            ("category", "food"),
        ]);
        assert!(check_row(&bad_amount, None).unwrap_err().starts_with("amount"));
        let bad_date = row([
            ("date", "02/11/2026"),
            ("amount", "1"),
            ("currency", "EUR"),
            ("category", "food"),
        ]);
        assert!(check_row(&bad_date, None).unwrap_err().starts_with("date"));
        let no_category = row([
            ("date", "2026-11-02"),
            ("amount", "3.20"),
            ("currency", "EUR"),
            ("category", ""),
        ]);
        assert_eq!(check_row(&no_category, None).unwrap().category, None);
    }

    use proptest::prelude::*;

    /// Hostile input (docs/security.md): 2,000 files a property. XorShift, because the default
    /// ChaCha generator is several times slower in unoptimised test builds.
    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 2_000,
            rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
            ..ProptestConfig::default()
        }
    }

    const HEADER: &str = "date,amount,currency,category,note,merchant,tags\n";

    /// Every row the local checks let through is one the server can read.
    fn assert_good_rows_are_valid(good: &[GoodRow]) -> std::result::Result<(), TestCaseError> {
        for row in good {
            let currency: Currency = row.body.currency.parse().unwrap();
            let amount = row.body.amount.0.as_str();
            let money = Money::parse(amount, currency).unwrap();
            prop_assert!(money.minor() != 0);
            prop_assert_eq!(money.amount(), amount);
            let day = row.body.spent_on.as_str();
            let canonical = dates::iso_date(day).map(dates::format);
            prop_assert_eq!(canonical.as_deref(), Some(day));
            prop_assert!(
                row.body
                    .category
                    .as_ref()
                    .is_none_or(|category| !category.is_empty())
            );
        }
        Ok(())
    }

    /// Any text of up to `max` characters: every Unicode scalar value, controls included.
    fn text(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(any::<char>(), 0..=max).prop_map(String::from_iter)
    }

    /// Text of up to `max` characters from `alphabet` (cheaper to generate than a regex).
    fn from_alphabet(alphabet: &'static str, max: usize) -> impl Strategy<Value = String> {
        let characters: Vec<char> = alphabet.chars().collect();
        proptest::collection::vec(proptest::sample::select(characters), 0..=max).prop_map(String::from_iter)
    }

    /// A field as bank exports and attackers write them.
    fn hostile_field() -> impl Strategy<Value = String> {
        prop_oneof![
            text(16),
            from_alphabet("-+0123456789.,eE ", 12),
            from_alphabet("0123456789-", 10),
            Just("=cmd|' /C calc'!A0".to_owned()),
            Just("\"".to_owned()),
            Just("EUR".to_owned()),
            Just("2026-11-02".to_owned()),
            Just("99999999999999999999".to_owned()),
        ]
    }

    /// A row that must go through: a day that exists, a non-zero amount in its currency, a
    /// category, and free text with the characters CSV must quote (trimmed, as the reader trims).
    fn valid_row() -> impl Strategy<Value = [String; 7]> {
        let free_text = || from_alphabet("abcXYZ019 é€,;\"'\n", 20).prop_map(|text| text.trim().to_owned());
        (
            (0i64..=109_572).prop_map(|day| {
                dates::format(time::macros::date!(1900 - 01 - 01) + time::Duration::days(day))
            }),
            proptest::sample::select(vec!["EUR", "JPY", "KWD", "usd"]),
            (
                1i64..=expense_api::money::MAX_MINOR_UNITS,
                any::<bool>(),
                0usize..3,
            ),
            free_text().prop_filter("a category", |c| !c.is_empty()),
            free_text(),
            free_text(),
            proptest::collection::vec(
                from_alphabet("abc123-", 8).prop_filter("a tag", |t| !t.is_empty()),
                0..4,
            ),
        )
            .prop_map(
                |(date, code, (minor, refund, zeros), category, note, merchant, tags)| {
                    let exponent = code.to_uppercase().parse::<Currency>().unwrap().exponent();
                    let amount =
                        expense_api::money::format_minor(if refund { -minor } else { minor }, exponent);
                    let amount = match amount.strip_prefix('-') {
                        Some(magnitude) => format!("-{}{magnitude}", "0".repeat(zeros)),
                        None => format!("{}{amount}", "0".repeat(zeros)),
                    };
                    [
                        date,
                        amount,
                        code.to_owned(),
                        category,
                        note,
                        merchant,
                        tags.join(","),
                    ]
                },
            )
    }

    fn parse(bytes: &[u8]) -> Result<(Vec<GoodRow>, Vec<BadRow>)> {
        parse_rows(bytes, "test.csv", &[], None)
    }

    proptest! {
        #![proptest_config(config())]

        /// Arbitrary bytes, after a recognised header or not: an answer, never a panic, and
        /// nothing invalid let through.
        #[test]
        fn arbitrary_bytes_are_answered_without_panicking(
            bytes in proptest::collection::vec(any::<u8>(), 0..2048),
            with_header in any::<bool>(),
        ) {
            let mut input = if with_header { HEADER.as_bytes().to_vec() } else { Vec::new() };
            input.extend_from_slice(&bytes);
            if let Ok((good, _)) = parse(&input) {
                assert_good_rows_are_valid(&good)?;
            }
        }

        /// Arbitrary rows of hostile fields, of any width: each row is stored or refused (or
        /// skipped when empty), and only valid ones are stored.
        #[test]
        fn hostile_rows_are_refused_or_valid(
            rows in proptest::collection::vec(proptest::collection::vec(hostile_field(), 0..9), 0..12),
        ) {
            let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(HEADER.as_bytes().to_vec());
            for row in &rows {
                writer.write_record(row).unwrap();
            }
            let input = writer.into_inner().unwrap();
            let (good, bad) = parse(&input).unwrap();
            prop_assert!(good.len() + bad.len() <= rows.len());
            assert_good_rows_are_valid(&good)?;
        }

        /// Valid rows written by a CSV writer come back as exactly the expenses they describe,
        /// with amounts in their canonical form, in order.
        #[test]
        fn valid_rows_round_trip(
            rows in proptest::collection::vec(valid_row(), 1..12),
            bom in any::<bool>(),
        ) {
            let mut input = if bom { "\u{feff}".as_bytes().to_vec() } else { Vec::new() };
            input.extend_from_slice(HEADER.as_bytes());
            let mut writer = csv::Writer::from_writer(input);
            for row in &rows {
                writer.write_record(row).unwrap();
            }
            let (good, bad) = parse(&writer.into_inner().unwrap()).unwrap();
            prop_assert!(bad.is_empty(), "{:?}", bad);
            prop_assert_eq!(good.len(), rows.len());
            for (row, [date, amount, code, category, note, merchant, tags]) in good.iter().zip(&rows) {
                let currency: Currency = code.to_uppercase().parse().unwrap();
                let optional = |text: &String| Some(text.clone()).filter(|t| !t.is_empty());
                let expected = NewExpense {
                    amount: DecimalString(Money::parse(amount, currency).unwrap().amount()),
                    currency: currency.code().to_owned(),
                    category: Some(category.clone()),
                    note: optional(note),
                    merchant: optional(merchant),
                    spent_on: date.clone(),
                    tags: tags.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
                };
                prop_assert_eq!(&row.body, &expected);
            }
            prop_assert!(good.windows(2).all(|pair| pair[0].line < pair[1].line));
        }
    }
}
