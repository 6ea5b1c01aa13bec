//! `expense recurring add|ls|pause|resume|rm`: schedules that record an expense every day, week,
//! month or year, on the server's calendar (see `docs/recurring.md`).

use clap::{Args, Subcommand, ValueEnum};
use expense_api::expenses::DecimalString;
use expense_api::recurring::{NewRecurring, Recurring, RecurringList};
use reqwest::Method;
use uuid::Uuid;

use crate::cli::OutputOnly;
use crate::client::request_body;
use crate::commands::expenses::currency;
use crate::context::Context;
use crate::dates;
use crate::error::{CliError, Result};
use crate::output::{Column, Data, OutputArgs, column, number};

#[derive(Debug, Subcommand)]
pub enum RecurringCommand {
    /// Record an expense on a schedule: `expense recurring add 950 rent --every month --on 1`.
    Add(Box<AddArgs>),
    /// Your schedules, with the next day each records.
    #[command(alias = "list")]
    Ls(OutputOnly),
    /// Stop recording until resumed.
    Pause(IdArgs),
    /// Record again from today; the days it was paused stay unrecorded.
    Resume(IdArgs),
    /// Delete a schedule; the expenses it recorded stay.
    Rm {
        /// The schedule's id (from `expense recurring ls`).
        id: Uuid,
    },
}

/// How often a schedule repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Every {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The amount of each expense, such as 950; negative for a refund.
    #[arg(allow_negative_numbers = true)]
    pub amount: String,
    /// The category, such as rent.
    pub category: String,
    /// How often: day, week, month or year.
    #[arg(long, value_enum)]
    pub every: Every,
    /// Which day: a weekday for `--every week` (monday … sunday, or 1 … 7), a day of the month
    /// (1 … 31) for month and year; a month without that day uses its last day. Default: the day
    /// of --from.
    #[arg(long, value_name = "DAY")]
    pub on: Option<String>,
    /// The first day it may record (default: the server's today): YYYY-MM-DD, tomorrow, …
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// The last day it may record (inclusive).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// A note on every expense.
    #[arg(long)]
    pub note: Option<String>,
    /// Where the money goes.
    #[arg(long)]
    pub merchant: Option<String>,
    /// A tag (repeat for several).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// ISO 4217 currency (default: the profile's `default_currency`).
    #[arg(long)]
    pub currency: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// The schedule's id (from `expense recurring ls`).
    pub id: Uuid,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn columns() -> Vec<Column> {
    vec![
        column("id", "ID"),
        number("amount", "Amount"),
        column("currency", "Cur"),
        column("category", "Category"),
        column("every", "Every"),
        column("on", "On"),
        column("next_on", "Next"),
        column("from", "From"),
        column("until", "Until"),
        column("paused", "Paused"),
        column("note", "Note"),
    ]
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// `--on` as the API's number: a weekday name (or its first three letters) for weekly schedules,
/// else digits (the server checks the range and answers what is wrong).
fn on_day(every: Every, text: &str) -> Result<u8> {
    let text = text.trim().to_lowercase();
    if let Ok(number) = text.parse::<u8>() {
        return Ok(number);
    }
    let weekday = WEEKDAYS
        .iter()
        .position(|name| text.len() >= 3 && name.starts_with(&text));
    match (every, weekday) {
        (Every::Week, Some(index)) => Ok(index as u8 + 1),
        (Every::Week, None) => Err(CliError::usage(format!("--on {text:?} is not a weekday"))
            .with_hint("give monday … sunday (or mon … sun, or 1 … 7)")),
        _ => Err(
            CliError::usage(format!("--on {text:?} is not a day of the month"))
                .with_hint("give a number from 1 to 31; a month without that day uses its last day"),
        ),
    }
}

pub async fn run(context: &mut Context, command: RecurringCommand) -> Result<()> {
    match command {
        RecurringCommand::Add(args) => add(context, *args).await,
        RecurringCommand::Ls(args) => {
            let list: RecurringList = context
                .authorized()?
                .json(Method::GET, "/v1/recurring", None)
                .await?;
            context.render(&args.output, &Data::list_of(columns(), &list.items))
        }
        RecurringCommand::Pause(args) => change(context, args, "pause").await,
        RecurringCommand::Resume(args) => change(context, args, "resume").await,
        RecurringCommand::Rm { id } => {
            context
                .authorized()?
                .execute(Method::DELETE, &format!("/v1/recurring/{id}"), None)
                .await?;
            context.success(&format!("Removed schedule {id}; the expenses it recorded stay"));
            Ok(())
        }
    }
}

async fn add(context: &mut Context, args: AddArgs) -> Result<()> {
    let every = args
        .every
        .to_possible_value()
        .map(|value| value.get_name().to_owned())
        .unwrap_or_default();
    let on = args.on.as_deref().map(|on| on_day(args.every, on)).transpose()?;
    let day = |text: &Option<String>| -> Result<Option<String>> {
        text.as_deref()
            .map(|text| dates::parse_day(text, context.today).map(dates::format))
            .transpose()
    };
    let body = request_body(&NewRecurring {
        amount: DecimalString(args.amount),
        currency: currency(context, args.currency.as_deref())?,
        category: args.category,
        note: args.note,
        merchant: args.merchant,
        tags: args.tags,
        every,
        on,
        from: day(&args.from)?,
        until: day(&args.until)?,
    });
    let created: Recurring = context
        .authorized()?
        .json(Method::POST, "/v1/recurring", Some(&body))
        .await?;
    context.render(&args.output, &Data::item_of(columns(), &created))
}

async fn change(context: &mut Context, args: IdArgs, verb: &str) -> Result<()> {
    let changed: Recurring = context
        .authorized()?
        .json(Method::POST, &format!("/v1/recurring/{}/{verb}", args.id), None)
        .await?;
    context.render(&args.output, &Data::item_of(columns(), &changed))
}
