//! `expense export`: every matching expense, streamed page by page, in a format `expense import`
//! reads back (CSV, JSON, NDJSON), or as a plain-text accounting journal (`ledger` for hledger and
//! ledger, `beancount`), written in date order once every page has arrived (see [`journal`]).

use std::io::Write;

use clap::{Args, ValueEnum};

use crate::commands::expenses::{FilterArgs, each_page};
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::journal::{self, DEFAULT_FUNDING_ACCOUNT, Dialect, Entry};
use crate::output::{Column, Format, ListStream, OutputArgs, column};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CSV with a header row; `expense import` reads it back.
    Csv,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// An hledger/ledger journal.
    Ledger,
    /// A beancount file.
    Beancount,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Ledger and beancount: the account the money came from [default: the profile's
    /// `funding_account`, else Assets:Cash].
    #[arg(long, value_name = "ACCOUNT")]
    pub account: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// Every field, named as `expense import` recognises them.
fn columns() -> Vec<Column> {
    vec![
        column("spent_on", "Date"),
        column("amount", "Amount"),
        column("currency", "Currency"),
        column("category", "Category"),
        column("note", "Note"),
        column("merchant", "Merchant"),
        column("tags", "Tags"),
        column("id", "ID"),
    ]
}

pub async fn run(context: &mut Context, args: ExportArgs) -> Result<()> {
    let query = args.filters.query(context.today)?;
    let dialect = match args.format {
        ExportFormat::Ledger => Some(Dialect::Ledger),
        ExportFormat::Beancount => Some(Dialect::Beancount),
        _ => None,
    };
    if let Some(dialect) = dialect {
        let funding = args
            .account
            .clone()
            .or_else(|| context.profile().and_then(|p| p.funding_account.clone()))
            .unwrap_or_else(|| DEFAULT_FUNDING_ACCOUNT.to_owned());
        journal::check_account(&funding).map_err(|problem| {
            CliError::usage(format!("funding account {problem}"))
                .with_hint("pass --account Assets:Cash, or `expense config set funding_account Assets:Bank`")
        })?;
        let mut entries: Vec<Entry> = Vec::new();
        each_page(context, &query, |items| {
            for item in items {
                entries.push(
                    serde_json::from_value(item).map_err(|e| {
                        CliError::other(format!("the server sent an unreadable expense: {e}"))
                    })?,
                );
            }
            Ok(())
        })
        .await?;
        journal::write(&mut context.out, dialect, &funding, &mut entries)?;
        context.out.flush()?;
        return Ok(());
    }
    if args.account.is_some() {
        return Err(CliError::usage(
            "--account applies to --format ledger and beancount",
        ));
    }
    let options = OutputArgs {
        format: Some(match args.format {
            ExportFormat::Json => Format::Json,
            ExportFormat::Ndjson => Format::Ndjson,
            _ => Format::Csv,
        }),
        ..OutputArgs::default()
    };
    let mut out = std::mem::replace(&mut context.out, Box::new(std::io::sink()));
    let terminal = context.terminal.clone();
    let result = async {
        let mut stream = ListStream::start(&mut out, &terminal, &options, columns())?;
        each_page(context, &query, |items| stream.page(items)).await?;
        stream.finish()
    }
    .await;
    context.out = out;
    result
}
