//! `expense add|ls|show|edit|rm`: the everyday commands.

use std::io::IsTerminal;

use clap::Args;
use expense_api::Page;
use expense_api::expenses::{DecimalString, Expense, ExpensePatch, NewExpense};
use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;

use crate::client::request_body;
use crate::context::Context;
use crate::dates;
use crate::error::{CliError, ErrorKind, Result};
use crate::output::{Column, Data, ListStream, OutputArgs, column, number};

/// Columns of an expense in lists.
pub fn list_columns() -> Vec<Column> {
    vec![
        column("spent_on", "Date"),
        number("amount", "Amount"),
        column("currency", "Cur"),
        column("category", "Category"),
        column("merchant", "Merchant"),
        column("note", "Note"),
        column("tags", "Tags"),
        column("id", "ID"),
    ]
}

/// Columns of one expense.
fn item_columns() -> Vec<Column> {
    let mut columns = list_columns();
    columns.extend([
        column("version", "Version"),
        column("created_at", "Created"),
        column("updated_at", "Updated"),
    ]);
    columns
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The amount, such as 12.50; negative for a refund.
    #[arg(allow_negative_numbers = true)]
    pub amount: String,
    /// The category, such as groceries. Leave it out to have the first of your rules that
    /// matches give it (`expense rules`); when none matches, the expense is refused.
    pub category: Option<String>,
    /// A note.
    #[arg(long)]
    pub note: Option<String>,
    /// Where the money went.
    #[arg(long)]
    pub merchant: Option<String>,
    /// A tag (repeat for several).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// The day: today (default), yesterday, "3 days ago", monday, or YYYY-MM-DD.
    #[arg(long, default_value = "today")]
    pub date: String,
    /// ISO 4217 currency (default: the profile's `default_currency`).
    #[arg(long)]
    pub currency: Option<String>,
    /// Attach a receipt (JPEG, PNG, WebP, HEIC or PDF) right after recording the expense.
    #[arg(long, value_name = "FILE")]
    pub receipt: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The currency from the flag or the profile.
pub fn currency(context: &Context, flag: Option<&str>) -> Result<String> {
    flag.map(str::to_owned)
        .or_else(|| context.profile().and_then(|p| p.default_currency.clone()))
        .map(|c| c.trim().to_uppercase())
        .ok_or_else(|| {
            CliError::usage("no currency given")
                .with_hint("pass --currency EUR, or set a default: `expense config set default_currency EUR`")
        })
}

pub async fn add(context: &mut Context, args: AddArgs) -> Result<()> {
    let spent_on = dates::parse_day(&args.date, context.today)?;
    if let Some(file) = &args.receipt {
        // Refuse an unusable file before recording anything.
        crate::commands::receipt::detect_content_type(file)?;
    }
    let body = request_body(&NewExpense {
        amount: DecimalString(args.amount.clone()),
        currency: currency(context, args.currency.as_deref())?,
        category: args.category.clone(),
        note: args.note.clone(),
        merchant: args.merchant.clone(),
        spent_on: dates::format(spent_on),
        tags: args.tags.clone(),
    });
    // One key per invocation: a retried request can never record the expense twice.
    let key = Uuid::now_v7().to_string();
    let created: Expense = context
        .authorized()?
        .json_with(
            Method::POST,
            "/v1/expenses",
            Some(&body),
            &[("idempotency-key", key)],
        )
        .await?;
    context.render(&args.output, &Data::item_of(item_columns(), &created))?;
    if let Some(file) = &args.receipt {
        let receipt = crate::commands::receipt::upload(context, created.id, file)
            .await
            .map_err(|error| {
                let hint = format!(
                    "the expense was recorded; attach the receipt with `expense receipt upload {} FILE`",
                    created.id
                );
                error.with_hint(hint)
            })?;
        context.success(&format!(
            "Attached receipt {} ({} bytes)",
            receipt.id, receipt.size
        ));
    }
    Ok(())
}

/// Filters shared by `ls` and `export`.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Only this category (repeat for several).
    #[arg(long = "category", value_name = "CATEGORY")]
    pub categories: Vec<String>,
    /// From this day (inclusive): YYYY-MM-DD, yesterday, "3 days ago", …
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this day (inclusive).
    #[arg(long)]
    pub to: Option<String>,
    /// A period: "this month", "last month", 2026-10, "last 30 days", "this year", …
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// At least this amount (in each expense's own currency).
    #[arg(long, allow_negative_numbers = true)]
    pub min: Option<String>,
    /// At most this amount.
    #[arg(long, allow_negative_numbers = true)]
    pub max: Option<String>,
    /// Only this currency.
    #[arg(long)]
    pub currency: Option<String>,
    /// Only expenses with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Text to find in notes and merchants (case-insensitive).
    #[arg(long)]
    pub search: Option<String>,
}

impl FilterArgs {
    /// The query string of `GET /v1/expenses` (without limit and cursor), with relative dates
    /// counted from `today`.
    pub fn query(&self, today: time::Date) -> Result<Vec<(&'static str, String)>> {
        let mut query = Vec::new();
        for category in &self.categories {
            query.push(("category", category.clone()));
        }
        if let Some(period) = &self.period {
            let (from, to) = dates::parse_period(period, today)?;
            query.push(("from", dates::format(from)));
            query.push(("to", dates::format(to)));
        }
        if let Some(from) = &self.from {
            query.push(("from", dates::format(dates::parse_day(from, today)?)));
        }
        if let Some(to) = &self.to {
            query.push(("to", dates::format(dates::parse_day(to, today)?)));
        }
        for (name, value) in [
            ("min", &self.min),
            ("max", &self.max),
            ("tag", &self.tag),
            ("q", &self.search),
        ] {
            if let Some(value) = value {
                query.push((name, value.clone()));
            }
        }
        if let Some(currency) = &self.currency {
            query.push(("currency", currency.trim().to_uppercase()));
        }
        Ok(query)
    }
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// How many expenses to show.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub limit: u32,
    /// Every matching expense, page after page (printed as they arrive).
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Builds `/v1/expenses?…` from query pairs.
pub fn list_path(query: &[(&'static str, String)], limit: u32, cursor: Option<&str>) -> String {
    let mut url = url::Url::parse("http://x/v1/expenses").expect("valid");
    {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in query {
            pairs.append_pair(name, value);
        }
        pairs.append_pair("limit", &limit.to_string());
        if let Some(cursor) = cursor {
            pairs.append_pair("cursor", cursor);
        }
    }
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

/// Fetches every page of `query`, handing each to `page`.
pub async fn each_page(
    context: &Context,
    query: &[(&'static str, String)],
    mut page: impl FnMut(Vec<Value>) -> Result<()>,
) -> Result<()> {
    let mut authorized = context.authorized()?;
    let mut cursor: Option<String> = None;
    loop {
        let path = list_path(query, 200, cursor.as_deref());
        let fetched: Page<Value> = authorized.json(Method::GET, &path, None).await?;
        page(fetched.items)?;
        match fetched.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(()),
        }
    }
}

pub async fn list(context: &mut Context, args: ListArgs) -> Result<()> {
    let query = args.filters.query(context.today)?;
    if !args.all {
        let path = list_path(&query, args.limit, None);
        let page: Page<Value> = context.authorized()?.json(Method::GET, &path, None).await?;
        return context.render(&args.output, &Data::list(list_columns(), page.items));
    }
    let mut out = std::mem::replace(&mut context.out, Box::new(std::io::sink()));
    let terminal = context.terminal.clone();
    let result = async {
        let mut stream = ListStream::start(&mut out, &terminal, &args.output, list_columns())?;
        each_page(context, &query, |items| stream.page(items)).await?;
        stream.finish()
    }
    .await;
    context.out = out;
    result
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    pub id: Uuid,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn show(context: &mut Context, args: ShowArgs) -> Result<()> {
    let expense: Expense = context
        .authorized()?
        .json(Method::GET, &format!("/v1/expenses/{}", args.id), None)
        .await?;
    context.render(&args.output, &Data::item_of(item_columns(), &expense))
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub id: Uuid,
    /// New amount.
    #[arg(long, allow_negative_numbers = true)]
    pub amount: Option<String>,
    /// New currency (the amount is read again in it).
    #[arg(long)]
    pub currency: Option<String>,
    /// New category.
    #[arg(long)]
    pub category: Option<String>,
    /// New note ("" removes it).
    #[arg(long)]
    pub note: Option<String>,
    /// New merchant ("" removes it).
    #[arg(long)]
    pub merchant: Option<String>,
    /// New day.
    #[arg(long)]
    pub date: Option<String>,
    /// Replace the tags (repeat for several).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Remove every tag.
    #[arg(long, conflicts_with = "tags")]
    pub clear_tags: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn edit(context: &mut Context, args: EditArgs) -> Result<()> {
    // An empty --note or --merchant clears it (`null`).
    let text = |value: &String| (!value.is_empty()).then(|| value.clone());
    let patch = ExpensePatch {
        amount: args.amount.clone().map(DecimalString),
        currency: args.currency.as_ref().map(|c| c.trim().to_uppercase()),
        category: args.category.clone(),
        note: args.note.as_ref().map(text),
        merchant: args.merchant.as_ref().map(text),
        spent_on: match &args.date {
            Some(date) => Some(dates::format(dates::parse_day(date, context.today)?)),
            None => None,
        },
        tags: (!args.tags.is_empty() || args.clear_tags).then(|| args.tags.clone()),
    };
    if patch == ExpensePatch::default() {
        return Err(CliError::usage("nothing to change")
            .with_hint("give at least one of --amount, --category, --note, …"));
    }
    let path = format!("/v1/expenses/{}", args.id);
    let mut authorized = context.authorized()?;
    let current: Expense = authorized.json(Method::GET, &path, None).await?;
    let version = format!("\"{}\"", current.version);
    let updated: Result<Expense> = authorized
        .json_with(
            Method::PATCH,
            &path,
            Some(&request_body(&patch)),
            &[("if-match", version)],
        )
        .await;
    let updated = updated.map_err(|error| {
        if error.message.contains("changed since you read it") {
            CliError::new(ErrorKind::Other, error.message)
                .with_hint("someone changed it meanwhile; run the command again")
        } else {
            error
        }
    })?;
    context.render(&args.output, &Data::item_of(item_columns(), &updated))
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The expenses to delete.
    #[arg(required = true)]
    pub ids: Vec<Uuid>,
    /// Do not ask (required when not on a terminal).
    #[arg(long, short)]
    pub yes: bool,
}

pub async fn remove(context: &mut Context, args: RemoveArgs) -> Result<()> {
    if !args.yes {
        if !(context.terminal.can_prompt() && std::io::stdin().is_terminal()) {
            return Err(CliError::usage(
                "refusing to delete without --yes when not on a terminal",
            ));
        }
        let question = match args.ids.len() {
            1 => format!("Delete expense {}?", args.ids[0]),
            n => format!("Delete {n} expenses?"),
        };
        let confirmed = dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()
            .map_err(|e| CliError::new(ErrorKind::Cancelled, format!("prompt cancelled: {e}")))?;
        if !confirmed {
            return Err(CliError::new(ErrorKind::Cancelled, "nothing deleted"));
        }
    }
    let mut authorized = context.authorized()?;
    let mut deleted = 0;
    for id in &args.ids {
        authorized
            .execute(Method::DELETE, &format!("/v1/expenses/{id}"), None)
            .await?;
        deleted += 1;
    }
    context.success(&format!(
        "Deleted {deleted} expense{}",
        if deleted == 1 { "" } else { "s" }
    ));
    Ok(())
}
