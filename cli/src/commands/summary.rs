//! `expense summary`: totals per category, month or day, per currency, with bars; with `--in`,
//! also in one currency, converted by the server with your rates (`expense rates`), and with
//! `--rates` the rates it used instead.

use clap::{Args, ValueEnum};
use expense_api::expenses::{CurrencyTotal, Summary};
use expense_api::rates::Conversion;
use reqwest::Method;
use serde_json::json;

use crate::commands::budget::encode;
use crate::context::Context;
use crate::dates;
use crate::error::Result;
use crate::output::{Data, OutputArgs, bar, column, number};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupBy {
    Category,
    Month,
    Day,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// How to group.
    #[arg(long, value_enum, default_value = "category")]
    pub by: GroupBy,
    /// The period: "this month" (default), "last month", 2026-10, "last 30 days", "this year", …
    #[arg(long, default_value = "this month")]
    pub period: String,
    /// Total in this currency: each expense converted with your rate of its day, or the
    /// latest earlier one (see `expense rates`).
    #[arg(long = "in", value_name = "CURRENCY")]
    pub in_currency: Option<String>,
    /// With --in: list the rates used, per currency and day, instead of the totals.
    #[arg(long, requires = "in_currency")]
    pub rates: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn run(context: &mut Context, args: SummaryArgs) -> Result<()> {
    let (from, to) = dates::parse_period(&args.period, context.today)?;
    let by = match args.by {
        GroupBy::Category => "category",
        GroupBy::Month => "month",
        GroupBy::Day => "day",
    };
    let mut path = format!(
        "/v1/summary?group_by={by}&from={}&to={}",
        dates::format(from),
        dates::format(to)
    );
    if let Some(currency) = &args.in_currency {
        path.push_str("&in=");
        path.push_str(&encode(&currency.trim().to_uppercase()));
    }
    let summary: Summary = context.authorized()?.json(Method::GET, &path, None).await?;
    if let Some(conversion) = &summary.conversion {
        return if args.rates {
            render_rates(context, &args.output, conversion)
        } else {
            render_converted(context, &args, &summary, conversion)
        };
    }
    // One row per group and currency, then one `total` row per currency ("total" is never a
    // category, month or day). Amounts of different currencies are never added.
    let mut rows = Vec::new();
    for group in &summary.groups {
        for total in &group.totals {
            rows.push(json!({ "group": group.key, "currency": total.currency, "amount": total.amount, "count": total.count }));
        }
    }
    for total in &summary.totals {
        rows.push(json!({ "group": "total", "currency": total.currency, "amount": total.amount, "count": total.count }));
    }
    let columns = vec![
        column("group", group_header(args.by)),
        number("amount", "Amount"),
        column("currency", "Cur"),
        number("count", "Count"),
        bar("amount", "currency"),
    ];
    let totals = summary.totals.len();
    context.render(&args.output, &Data::list(columns, rows).with_totals(totals))
}

fn group_header(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Category => "Category",
        GroupBy::Month => "Month",
        GroupBy::Day => "Day",
    }
}

/// Amounts per currency as text: `10.00 USD, 3.00 EUR`.
fn amounts(totals: &[CurrencyTotal]) -> String {
    totals
        .iter()
        .map(|total| format!("{} {}", total.amount, total.currency))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One row per group in the one currency, with what it was converted from, then the total.
fn render_converted(
    context: &mut Context,
    args: &SummaryArgs,
    summary: &Summary,
    conversion: &Conversion,
) -> Result<()> {
    let mut rows: Vec<_> = summary
        .groups
        .iter()
        .map(|group| {
            json!({
                "group": group.key,
                "amount": group.converted,
                "currency": conversion.currency,
                "count": group.count,
                "converted_from": amounts(&group.totals),
            })
        })
        .collect();
    rows.push(json!({
        "group": "total",
        "amount": conversion.total,
        "currency": conversion.currency,
        "count": summary.count,
        "converted_from": amounts(&summary.totals),
    }));
    let columns = vec![
        column("group", group_header(args.by)),
        number("amount", "Amount"),
        column("currency", "Cur"),
        number("count", "Count"),
        column("converted_from", "Converted from"),
        bar("amount", "currency"),
    ];
    context.render(&args.output, &Data::list(columns, rows).with_totals(1))
}

/// One row per currency and day: the stored rates that converted it.
fn render_rates(context: &mut Context, output: &OutputArgs, conversion: &Conversion) -> Result<()> {
    let rows: Vec<_> = conversion
        .rates
        .iter()
        .map(|applied| {
            let used: Vec<String> = applied
                .legs
                .iter()
                .map(|leg| {
                    let (from, to) = if leg.inverted {
                        (&leg.to, &leg.from)
                    } else {
                        (&leg.from, &leg.to)
                    };
                    let operation = if leg.inverted { "÷" } else { "×" };
                    format!(
                        "{from}→{to} {operation} {} ({}→{} of {})",
                        leg.rate, leg.from, leg.to, leg.on
                    )
                })
                .collect();
            json!({
                "currency": applied.currency,
                "spent_on": applied.spent_on,
                "into": conversion.currency,
                "used": used.join(", then "),
                "legs": applied.legs,
            })
        })
        .collect();
    let columns = vec![
        column("currency", "Cur"),
        column("spent_on", "Day"),
        column("into", "Into"),
        column("used", "Rates used"),
    ];
    context.render(output, &Data::list(columns, rows))
}
