//! `expense budget set|ls|rm`: monthly budgets, with how much of the current period is spent.

use clap::{Args, Subcommand};
use expense_api::expenses::{Budget, BudgetInput, BudgetList, DecimalString};
use reqwest::Method;

use crate::cli::OutputOnly;
use crate::client::request_body;
use crate::commands::expenses::currency;
use crate::context::Context;
use crate::error::Result;
use crate::output::{Column, Data, OutputArgs, column, gauge, number};

#[derive(Debug, Subcommand)]
pub enum BudgetCommand {
    /// Set the monthly budget of a category, or of all spending (`total`).
    Set(SetArgs),
    /// Budgets with this period's spending.
    #[command(alias = "list")]
    Ls(OutputOnly),
    /// Remove a budget.
    Rm {
        /// A category, or `total`.
        category: String,
    },
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// A category, or `total`.
    pub category: String,
    /// The monthly amount, such as 400.
    pub amount: String,
    /// ISO 4217 currency (default: the profile's `default_currency`).
    #[arg(long)]
    pub currency: Option<String>,
    /// The day each period starts (1 to 28): your payday, say.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=28))]
    pub starts_on_day: u8,
    /// Count expenses in other currencies too, converted with the rate of their day (a budget in
    /// your home currency; record rates with `expense rates import` or `expense rates set`).
    #[arg(long)]
    pub convert: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn columns() -> Vec<Column> {
    vec![
        column("category", "Budget"),
        number("amount", "Amount"),
        column("currency", "Cur"),
        column("convert", "Converts"),
        number("spent", "Spent"),
        number("remaining", "Left"),
        number("percent_used", "Used %"),
        gauge("percent_used"),
        column("period_start", "From"),
        column("period_end", "To"),
    ]
}

pub async fn run(context: &mut Context, command: BudgetCommand) -> Result<()> {
    match command {
        BudgetCommand::Set(args) => {
            let body = request_body(&BudgetInput {
                amount: DecimalString(args.amount),
                currency: currency(context, args.currency.as_deref())?,
                period: "monthly".to_owned(),
                starts_on_day: args.starts_on_day,
                convert: args.convert,
            });
            let path = format!("/v1/budgets/{}", encode(&args.category));
            let budget: Budget = context
                .authorized()?
                .json(Method::PUT, &path, Some(&body))
                .await?;
            context.render(&args.output, &Data::item_of(columns(), &budget))?;
            warn_unconverted(context, std::slice::from_ref(&budget));
            Ok(())
        }
        BudgetCommand::Ls(args) => {
            let list: BudgetList = context
                .authorized()?
                .json(Method::GET, "/v1/budgets", None)
                .await?;
            context.render(&args.output, &Data::list_of(columns(), &list.items))?;
            warn_unconverted(context, &list.items);
            Ok(())
        }
        BudgetCommand::Rm { category } => {
            context
                .authorized()?
                .execute(
                    Method::DELETE,
                    &format!("/v1/budgets/{}", encode(&category)),
                    None,
                )
                .await?;
            context.success(&format!("Removed the budget of {category}"));
            Ok(())
        }
    }
}

/// Says on stderr which expenses a converting budget could not count, and the command that
/// records the rate that would count them.
fn warn_unconverted(context: &mut Context, budgets: &[Budget]) {
    for budget in budgets.iter().filter(|b| b.convert) {
        for gap in &budget.missing_rates {
            context.warn(&format!(
                "The {category} budget does not count {currency} expenses from {day} on: no rate converts {currency} into {target} on or before that day; `expense rates set {currency} {target} RATE --date {day}`",
                category = budget.category,
                currency = gap.currency,
                day = gap.first_day,
                target = budget.currency,
            ));
        }
    }
}

/// A path segment, percent-encoded.
pub fn encode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
