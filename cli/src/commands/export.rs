//! `expense export`: every matching expense, streamed page by page, in a format `expense import`
//! reads back.

use clap::{Args, ValueEnum};

use crate::commands::expenses::{FilterArgs, each_page};
use crate::context::Context;
use crate::error::Result;
use crate::output::{Column, Format, ListStream, OutputArgs, column};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Ndjson,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
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
    let options = OutputArgs {
        format: Some(match args.format {
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Json => Format::Json,
            ExportFormat::Ndjson => Format::Ndjson,
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
