//! `expense import FILE.csv|FILE.ofx`: many expenses at once, safely re-runnable. The stages are
//! modules: `rows` reads and checks CSV rows, `bank` reads OFX and leaves out what an earlier
//! download imported, `upload` sends batches; this module runs them and reports.
//!
//! A file whose content is OFX (either version, whatever its name) is read by [`crate::ofx`]
//! instead of step 1: each bank transaction is one entry, and entries whose `ofx-…` tag (made
//! from the account and the bank's `FITID`) an expense in the file's date range already carries
//! are left out before step 3, so a bank download that overlaps an earlier one stores nothing
//! twice, however long ago the earlier one was imported.
//!
//! 1. The header is recognised (`date`/`spent_on`, `amount`, `currency`, `category`, `note`,
//!    `merchant`, `tags`, and common synonyms), or mapped with `--map field=Header`.
//! 2. Every row is checked here first (day, amount in its currency), so bad rows are reported
//!    with their line number without a round trip; `--dry-run` stops there. A row without a
//!    category (or a file without that column) is sent without one: the server gives it the
//!    category of the first of the user's rules that matches (`expense rules`), or refuses that
//!    row, which is then reported by line like any other.
//! 3. Good rows go out in batches (`POST /v1/expenses/batch`), several at once. Each batch's
//!    `Idempotency-Key` is derived from its rows and position, so running the same file again
//!    stores nothing twice (the server replays its first answers). Rows the server still refuses
//!    are reported and the rest of their batch is sent again under a derived key.
//! 4. A progress bar shows on a terminal only; a summary ends the run. Any bad row makes the exit
//!    code 1, after every good row was stored.

mod bank;
mod rows;
mod upload;

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use expense_api::expenses::NewExpense;
use tokio::sync::Semaphore;

use self::bank::{file_is_ofx, read_ofx, without_imported};
use self::rows::read_rows;
use self::upload::send_batch;
use crate::commands::expenses::currency;
use crate::context::Context;
use crate::error::{CliError, ErrorKind, Result};

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
pub(super) struct GoodRow {
    pub(super) line: u64,
    pub(super) body: NewExpense,
}

/// A refused row.
#[derive(Debug, Clone)]
pub(super) struct BadRow {
    pub(super) line: u64,
    pub(super) reason: String,
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
        let uncategorised = good.iter().filter(|row| row.body.category.is_none()).count();
        if uncategorised > 0 {
            context.warn(&format!(
                "{uncategorised} rows have no category: on import, the first of your rules that matches gives one (check with `expense rules test`), and a row no rule matches is refused"
            ));
        }
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
