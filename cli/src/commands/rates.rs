//! `expense rates set|ls|rm|import`: exchange rates, per user, for totals in one currency
//! (`expense summary --in EUR`); the conversion rules are in `docs/money.md`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use expense_api::Page;
use expense_api::expenses::DecimalString;
use expense_api::rates::{EcbImport, Rate, RateInput};
use reqwest::Method;

use crate::client::{Body, read_json, request_body};
use crate::commands::budget::encode;
use crate::context::Context;
use crate::dates;
use crate::error::{CliError, ErrorKind, Result};
use crate::output::{Column, Data, ListStream, OutputArgs, column, number};

#[derive(Debug, Subcommand)]
pub enum RatesCommand {
    /// Record what one FROM was worth in TO on a day: `expense rates set USD EUR 0.9245`.
    Set(SetArgs),
    /// Your rates, newest day first.
    #[command(alias = "list")]
    Ls(ListArgs),
    /// Delete the rate of a pair and day.
    Rm(RemoveArgs),
    /// Import the European Central Bank's reference rates (eurofxref-hist.csv), all against EUR.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The currency one unit of which is priced, such as USD.
    pub from: String,
    /// The currency of the price, such as EUR.
    pub to: String,
    /// What one FROM was worth in TO, such as 0.9245 (at most 12 decimals).
    pub rate: String,
    /// The day of the rate (default: today): YYYY-MM-DD, yesterday, …
    #[arg(long, value_name = "DATE", default_value = "today")]
    pub date: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only rates with this currency on either side.
    #[arg(long)]
    pub currency: Option<String>,
    /// Only rates of days in this period: "this month", 2026-10, "last 30 days", …
    #[arg(long)]
    pub period: Option<String>,
    /// How many rates to show.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub limit: u32,
    /// Every matching rate, page after page (printed as they arrive).
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// As recorded, such as USD.
    pub from: String,
    /// As recorded, such as EUR.
    pub to: String,
    /// The day of the rate (default: today).
    #[arg(long, value_name = "DATE", default_value = "today")]
    pub date: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file as the ECB publishes it: eurofxref-hist.csv (every day since 1999) or
    /// eurofxref.csv (the latest day), unzipped.
    pub file: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn columns() -> Vec<Column> {
    vec![
        column("on", "Day"),
        column("from", "From"),
        column("to", "To"),
        number("rate", "Rate"),
    ]
}

fn import_columns() -> Vec<Column> {
    vec![
        number("recorded", "Recorded"),
        number("replaced", "Replaced"),
        number("days", "Days"),
        column("first_day", "First day"),
        column("last_day", "Last day"),
        column("currencies", "Currencies"),
        column("skipped_columns", "Skipped"),
    ]
}

/// A currency as the API spells it: `usd` is `USD`.
fn code(text: &str) -> String {
    text.trim().to_uppercase()
}

/// `/v1/rates/FROM/TO/DAY`, each part percent-encoded.
fn rate_path(context: &Context, from: &str, to: &str, date: &str) -> Result<String> {
    let day = dates::format(dates::parse_day(date, context.today)?);
    Ok(format!(
        "/v1/rates/{}/{}/{}",
        encode(&code(from)),
        encode(&code(to)),
        encode(&day)
    ))
}

pub async fn run(context: &mut Context, command: RatesCommand) -> Result<()> {
    match command {
        RatesCommand::Set(args) => {
            let path = rate_path(context, &args.from, &args.to, &args.date)?;
            let body = request_body(&RateInput {
                rate: DecimalString(args.rate.trim().to_owned()),
            });
            let rate: Rate = context
                .authorized()?
                .json(Method::PUT, &path, Some(&body))
                .await?;
            context.render(&args.output, &Data::item_of(columns(), &rate))
        }
        RatesCommand::Ls(args) => list(context, args).await,
        RatesCommand::Rm(args) => {
            let path = rate_path(context, &args.from, &args.to, &args.date)?;
            context.authorized()?.execute(Method::DELETE, &path, None).await?;
            context.success(&format!(
                "Removed the {} → {} rate of {}",
                code(&args.from),
                code(&args.to),
                dates::format(dates::parse_day(&args.date, context.today)?)
            ));
            Ok(())
        }
        RatesCommand::Import(args) => import(context, args).await,
    }
}

/// `/v1/rates?…` for the filters, a page size and a cursor.
fn list_path(query: &[(&str, String)], limit: u32, cursor: Option<&str>) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in query {
        pairs.append_pair(name, value);
    }
    pairs.append_pair("limit", &limit.to_string());
    if let Some(cursor) = cursor {
        pairs.append_pair("cursor", cursor);
    }
    format!("/v1/rates?{}", pairs.finish())
}

async fn list(context: &mut Context, args: ListArgs) -> Result<()> {
    let mut query = Vec::new();
    if let Some(currency) = &args.currency {
        query.push(("currency", code(currency)));
    }
    if let Some(period) = &args.period {
        let (from, to) = dates::parse_period(period, context.today)?;
        query.push(("from", dates::format(from)));
        query.push(("to", dates::format(to)));
    }
    if !args.all {
        let page: Page<Rate> = context
            .authorized()?
            .json(Method::GET, &list_path(&query, args.limit, None), None)
            .await?;
        return context.render(&args.output, &Data::list_of(columns(), &page.items));
    }
    let mut out = std::mem::replace(&mut context.out, Box::new(std::io::sink()));
    let terminal = context.terminal.clone();
    let result = async {
        let mut stream = ListStream::start(&mut out, &terminal, &args.output, columns())?;
        let mut authorized = context.authorized()?;
        let mut cursor: Option<String> = None;
        loop {
            let path = list_path(&query, 200, cursor.as_deref());
            let page: Page<serde_json::Value> = authorized.json(Method::GET, &path, None).await?;
            stream.page(page.items)?;
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        stream.finish()
    }
    .await;
    context.out = out;
    result
}

async fn import(context: &mut Context, args: ImportArgs) -> Result<()> {
    let file = std::fs::read(&args.file).map_err(|error| {
        CliError::usage(format!("cannot read {}: {error}", args.file.display()))
            .with_hint("give the CSV file itself: unzip eurofxref-hist.zip first")
    })?;
    let response = context
        .authorized()?
        .send_body(
            Method::POST,
            "/v1/rates/ecb",
            Some(Body::Raw(&file)),
            &[("content-type", "text/csv".to_owned())],
        )
        .await?;
    let imported: EcbImport = read_json(response).await.map_err(|error| {
        // The server's refusal names the file's lines; say which file they are of.
        if error.kind == ErrorKind::Other && error.hint.is_none() {
            error.with_hint(format!(
                "the line numbers are those of {}; nothing was recorded",
                args.file.display()
            ))
        } else {
            error
        }
    })?;
    context.render(&args.output, &Data::item_of(import_columns(), &imported))
}
