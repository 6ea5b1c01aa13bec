//! `expense import FILE.csv|FILE.ofx`: many expenses at once, safely re-runnable.
//!
//! A file whose content is OFX (either version, whatever its name) is read by [`crate::ofx`]
//! instead of step 1: each bank transaction is one entry, and entries whose `ofx-…` tag (made
//! from the account and the bank's `FITID`) an expense in the file's date range already carries
//! are left out before step 3, so a bank download that overlaps an earlier one stores nothing
//! twice, however long ago the earlier one was imported.
//!
//! 1. The header is recognised (`date`/`spent_on`, `amount`, `currency`, `category`, `note`,
//!    `merchant`, `tags`, and common synonyms), or mapped with `--map field=Header`.
//! 2. Every row is checked here first (day, amount in its currency, category), so bad rows are
//!    reported with their line number without a round trip; `--dry-run` stops there.
//! 3. Good rows go out in batches (`POST /v1/expenses/batch`), several at once. Each batch's
//!    `Idempotency-Key` is derived from its rows and position, so running the same file again
//!    stores nothing twice (the server replays its first answers). Rows the server still refuses
//!    are reported and the rest of their batch is sent again under a derived key.
//! 4. A progress bar shows on a terminal only; a summary ends the run. Any bad row makes the exit
//!    code 1, after every good row was stored.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use aws_lc_rs::digest;
use clap::Args;
use expense_api::Problem;
use expense_api::money::{Currency, Money};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use crate::client::{Api, problem_error};
use crate::commands::expenses::currency;
use crate::context::Context;
use crate::dates;
use crate::error::{CliError, ErrorKind, Result};
use crate::ofx;

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

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file (its first line is the header), or an OFX/QFX bank file (recognised by its
    /// content).
    pub file: PathBuf,
    /// Which column holds a field when the header is not recognised: `--map date=Datum,amount=Betrag`.
    #[arg(long, value_delimiter = ',', value_name = "FIELD=HEADER")]
    pub map: Vec<String>,
    /// Check every row and report, store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Currency of rows without one (default: the profile's `default_currency`).
    #[arg(long)]
    pub currency: Option<String>,
    /// Rows per request (1 to 1,000).
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub batch_size: u32,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=16))]
    pub concurrency: u32,
    /// OFX files: the category of every entry (bank files carry none).
    #[arg(long, default_value = OFX_CATEGORY, value_name = "CATEGORY")]
    pub category: String,
}

/// The category of OFX entries unless `--category` says otherwise.
pub const OFX_CATEGORY: &str = "uncategorized";

/// A row that passed the local checks.
#[derive(Debug, Clone)]
struct GoodRow {
    line: u64,
    body: Value,
}

/// A refused row.
#[derive(Debug, Clone)]
struct BadRow {
    line: u64,
    reason: String,
}

/// What happened to one batch.
#[derive(Debug, Default)]
struct BatchOutcome {
    stored: usize,
    replayed: usize,
    refused: Vec<BadRow>,
}

pub async fn run(context: &mut Context, args: ImportArgs) -> Result<()> {
    let default_currency = match (
        &args.currency,
        context.profile().and_then(|p| p.default_currency.clone()),
    ) {
        (None, None) => None,
        (flag, _) => Some(currency(context, flag.as_deref())?),
    };
    let is_ofx = file_is_ofx(&args.file)?;
    let (mut good, mut bad) = if is_ofx {
        read_ofx(&args)?
    } else {
        read_rows(&args, default_currency.as_deref())?
    };
    let total = good.len() + bad.len();
    if args.dry_run {
        report(context, &mut bad);
        context.success(&format!(
            "Dry run: {} of {total} rows would be imported; nothing was stored",
            good.len()
        ));
        return if bad.is_empty() {
            Ok(())
        } else {
            Err(refused(bad.len()))
        };
    }

    let progress = if context.terminal.stderr_is_tty {
        indicatif::ProgressBar::new(total as u64).with_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} rows  {per_sec}  eta {eta}")
                .expect("valid template"),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    progress.inc(bad.len() as u64);
    let mut replayed = 0;
    if is_ofx {
        let before = good.len();
        good = without_imported(context, good).await?;
        replayed = before - good.len();
        progress.inc(replayed as u64);
    }
    let mut authorized = context.authorized()?;
    let mut token = authorized.bearer().await?;
    let batches: Vec<Vec<GoodRow>> = good
        .chunks(args.batch_size as usize)
        .map(<[GoodRow]>::to_vec)
        .collect();
    let mut pending: Vec<(usize, Vec<GoodRow>)> = batches.into_iter().enumerate().collect();
    let mut stored = 0;
    // At most one refresh: a second refusal of a fresh token is not a token problem.
    let mut refreshed = false;
    while !pending.is_empty() {
        let semaphore = Arc::new(Semaphore::new(args.concurrency as usize));
        let mut tasks = tokio::task::JoinSet::new();
        for (index, rows) in pending.drain(..) {
            let api = context.api.clone();
            let token = token.clone();
            let semaphore = Arc::clone(&semaphore);
            tasks.spawn(async move {
                let _permit = semaphore.acquire_owned().await.expect("never closed");
                let outcome = send_batch(&api, &token, index, &rows).await;
                (index, rows, outcome)
            });
        }
        let mut unauthorized = Vec::new();
        let mut failure = None;
        while let Some(joined) = tasks.join_next().await {
            let (index, rows, outcome) =
                joined.map_err(|e| CliError::other(format!("an import task failed: {e}")))?;
            match outcome {
                Ok(outcome) => {
                    progress.inc(rows.len() as u64);
                    stored += outcome.stored;
                    replayed += outcome.replayed;
                    bad.extend(outcome.refused);
                }
                Err(error) if error.kind == ErrorKind::Auth && !refreshed => unauthorized.push((index, rows)),
                Err(error) => failure = failure.or(Some(error)),
            }
        }
        if let Some(error) = failure {
            progress.abandon();
            report(context, &mut bad);
            return Err(error.with_hint(format!(
                "{stored} rows were stored before this; run the same import again: stored rows are not stored twice"
            )));
        }
        if !unauthorized.is_empty() {
            token = authorized.refreshed_bearer().await?;
            refreshed = true;
            pending = unauthorized;
        }
    }
    progress.finish_and_clear();
    report(context, &mut bad);
    let mut summary = format!("Imported {} of {total} rows", stored + replayed);
    if replayed > 0 {
        summary.push_str(&format!(" ({replayed} were already imported by an earlier run)"));
    }
    if !bad.is_empty() {
        summary.push_str(&format!("; {} rows refused", bad.len()));
    }
    context.success(&summary);
    if bad.is_empty() {
        Ok(())
    } else {
        Err(refused(bad.len()))
    }
}

fn refused(count: usize) -> CliError {
    CliError::new(
        ErrorKind::Other,
        format!("{count} rows were refused (listed above)"),
    )
    .with_hint("fix them and run the import again: rows already stored are not stored twice")
}

/// Prints bad rows, by line.
fn report(context: &mut Context, bad: &mut [BadRow]) {
    bad.sort_by_key(|row| row.line);
    for row in bad.iter() {
        context.warn(&format!("line {}: {}", row.line, row.reason));
    }
}

/// Whether the file holds OFX (by its first bytes, not its name).
fn file_is_ofx(path: &std::path::Path) -> Result<bool> {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .and_then(|file| file.take(4096).read_to_end(&mut head))
        .map_err(|e| CliError::new(ErrorKind::Usage, format!("cannot open {}: {e}", path.display())))?;
    Ok(ofx::looks_like_ofx(&head))
}

/// Reads an OFX file: one row per bank transaction (its line is its `<STMTTRN>`'s), checked as
/// CSV rows are. A file that cannot be read as OFX at all is a usage error (exit code 2).
fn read_ofx(args: &ImportArgs) -> Result<(Vec<GoodRow>, Vec<BadRow>)> {
    let name = args.file.display();
    let bytes = std::fs::read(&args.file)
        .map_err(|e| CliError::new(ErrorKind::Usage, format!("cannot open {name}: {e}")))?;
    let statements = ofx::parse(&bytes).map_err(|reason| {
        CliError::usage(format!("cannot read {name} as OFX: {reason}"))
            .with_hint("ask the bank for the file again; an OFX file is read whole or not at all")
    })?;
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for statement in &statements {
        for transaction in &statement.transactions {
            let line = transaction.line;
            let label = transaction
                .fitid
                .as_deref()
                .map(|fitid| format!("FITID {fitid}: "))
                .unwrap_or_default();
            match transaction.to_expense(statement, &args.category) {
                Ok(body) => {
                    let tag = body["tags"][0].as_str().unwrap_or_default().to_owned();
                    if let Some(first) = seen.insert(tag, line) {
                        bad.push(BadRow {
                            line,
                            reason: format!("{label}the same transaction as line {first}; imported once"),
                        });
                    } else {
                        good.push(GoodRow { line, body });
                    }
                }
                Err(reason) => bad.push(BadRow {
                    line,
                    reason: format!("{label}{reason}"),
                }),
            }
        }
    }
    Ok((good, bad))
}

/// The rows whose `ofx-…` tag no expense in their date range carries yet.
async fn without_imported(context: &Context, rows: Vec<GoodRow>) -> Result<Vec<GoodRow>> {
    let days = rows.iter().filter_map(|row| row.body["spent_on"].as_str());
    let (Some(from), Some(to)) = (days.clone().min(), days.max()) else {
        return Ok(rows);
    };
    let query = [("from", from.to_owned()), ("to", to.to_owned())];
    let mut imported = std::collections::HashSet::new();
    crate::commands::expenses::each_page(context, &query, |items| {
        for item in items {
            for tag in item["tags"].as_array().into_iter().flatten() {
                if let Some(tag) = tag.as_str().filter(|t| t.starts_with("ofx-")) {
                    imported.insert(tag.to_owned());
                }
            }
        }
        Ok(())
    })
    .await?;
    Ok(rows
        .into_iter()
        .filter(|row| !imported.contains(row.body["tags"][0].as_str().unwrap_or_default()))
        .collect())
}

/// Reads the file: the rows that pass the local checks, and those that do not.
fn read_rows(args: &ImportArgs, default_currency: Option<&str>) -> Result<(Vec<GoodRow>, Vec<BadRow>)> {
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
    let missing: Vec<&str> = ["date", "amount", "category"]
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
) -> std::result::Result<Value, String> {
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
    let category = field("category");
    if category.is_empty() {
        return Err("category: empty".to_owned());
    }
    let optional = |name: &str| Some(field(name)).filter(|v| !v.is_empty());
    let tags: Vec<String> = field("tags")
        .split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(json!({
        "amount": money.amount(),
        "currency": currency.code(),
        "category": category,
        "note": optional("note"),
        "merchant": optional("merchant"),
        "spent_on": dates::format(spent_on),
        "tags": tags,
    }))
}

/// The idempotency key of a batch: its position and its rows' content.
fn batch_key(index: usize, rows: &[GoodRow], retry: &str) -> String {
    let mut context = digest::Context::new(&digest::SHA256);
    context.update(format!("expense-import-v1\n{index}\n{retry}\n").as_bytes());
    for row in rows {
        context.update(row.body.to_string().as_bytes());
        context.update(b"\n");
    }
    let hash = context.finish();
    format!(
        "import-{}",
        hash.as_ref()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// Sends one batch; rows the server refuses are taken out and the rest sent again.
async fn send_batch(api: &Api, token: &str, index: usize, rows: &[GoodRow]) -> Result<BatchOutcome> {
    let mut outcome = BatchOutcome::default();
    let mut rows = rows.to_vec();
    let mut retry = String::new();
    loop {
        if rows.is_empty() {
            return Ok(outcome);
        }
        let body = json!({ "items": rows.iter().map(|row| row.body.clone()).collect::<Vec<_>>() });
        let key = batch_key(index, &rows, &retry);
        let response = api
            .send_with(
                Method::POST,
                "/v1/expenses/batch",
                Some(&body),
                Some(token),
                &[("idempotency-key", key)],
            )
            .await?;
        let status = response.status();
        if status.is_success() {
            if response.headers().contains_key("idempotent-replayed") {
                outcome.replayed += rows.len();
            } else {
                outcome.stored += rows.len();
            }
            return Ok(outcome);
        }
        let text = response.text().await.unwrap_or_default();
        let problem: Option<Problem> = serde_json::from_str(&text).ok();
        let refused_items = match (&problem, status) {
            (Some(problem), StatusCode::UNPROCESSABLE_ENTITY) => item_errors(problem),
            _ => BTreeMap::new(),
        };
        if refused_items.is_empty() {
            return Err(problem_error(status, problem, None));
        }
        for (item, reasons) in &refused_items {
            if let Some(row) = rows.get(*item) {
                outcome.refused.push(BadRow {
                    line: row.line,
                    reason: reasons.join("; "),
                });
            }
        }
        retry = format!(
            "{retry}-{}",
            refused_items
                .keys()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(".")
        );
        rows = rows
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !refused_items.contains_key(i))
            .map(|(_, row)| row)
            .collect();
    }
}

/// `items[3].amount: …` errors, by item.
fn item_errors(problem: &Problem) -> BTreeMap<usize, Vec<String>> {
    let mut items: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for error in &problem.errors {
        let Some(rest) = error.field.strip_prefix("items[") else {
            continue;
        };
        let Some((index, field)) = rest.split_once("]") else {
            continue;
        };
        let Ok(index) = index.parse() else { continue };
        items
            .entry(index)
            .or_default()
            .push(format!("{}: {}", field.trim_start_matches('.'), error.message));
    }
    items
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
        assert!(missing.message.contains("date, amount, category"));
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
        assert_eq!(
            (ok["amount"].as_str(), ok["currency"].as_str()),
            (Some("12.50"), Some("EUR"))
        );
        let no_currency = row([
            ("date", "2026-11-02"),
            ("amount", "12"),
            ("currency", ""),
            ("category", "food"),
        ]);
        assert!(check_row(&no_currency, None).unwrap_err().starts_with("currency"));
        assert_eq!(check_row(&no_currency, Some("JPY")).unwrap()["currency"], "JPY");
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
    }

    #[test]
    fn batch_keys_depend_on_position_and_content() {
        let rows = vec![GoodRow {
            line: 2,
            body: json!({ "amount": "1.00" }),
        }];
        assert_eq!(batch_key(0, &rows, ""), batch_key(0, &rows, ""));
        assert_ne!(batch_key(0, &rows, ""), batch_key(1, &rows, ""));
        assert_ne!(batch_key(0, &rows, ""), batch_key(0, &rows, "-3"));
        let other = vec![GoodRow {
            line: 2,
            body: json!({ "amount": "2.00" }),
        }];
        assert_ne!(batch_key(0, &rows, ""), batch_key(0, &other, ""));
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
            let currency: Currency = row.body["currency"].as_str().unwrap().parse().unwrap();
            let amount = row.body["amount"].as_str().unwrap();
            let money = Money::parse(amount, currency).unwrap();
            prop_assert!(money.minor() != 0);
            prop_assert_eq!(money.amount(), amount);
            let day = row.body["spent_on"].as_str().unwrap();
            let canonical = dates::iso_date(day).map(dates::format);
            prop_assert_eq!(canonical.as_deref(), Some(day));
            prop_assert!(!row.body["category"].as_str().unwrap().is_empty());
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
                let expected = json!({
                    "amount": Money::parse(amount, currency).unwrap().amount(),
                    "currency": currency.code(),
                    "category": category,
                    "note": optional(note),
                    "merchant": optional(merchant),
                    "spent_on": date,
                    "tags": tags.split(',').filter(|t| !t.is_empty()).collect::<Vec<_>>(),
                });
                prop_assert_eq!(&row.body, &expected);
            }
            prop_assert!(good.windows(2).all(|pair| pair[0].line < pair[1].line));
        }
    }
}
