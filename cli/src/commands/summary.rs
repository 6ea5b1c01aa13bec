//! `expense summary`: totals per category, month or day, per currency, with bars.

use clap::{Args, ValueEnum};
use expense_api::expenses::Summary;
use reqwest::Method;
use serde_json::json;

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
    let path = format!(
        "/v1/summary?group_by={by}&from={}&to={}",
        dates::format(from),
        dates::format(to)
    );
    let summary: Summary = context.authorized()?.json(Method::GET, &path, None).await?;
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
    let header = match args.by {
        GroupBy::Category => "Category",
        GroupBy::Month => "Month",
        GroupBy::Day => "Day",
    };
    let columns = vec![
        column("group", header),
        number("amount", "Amount"),
        column("currency", "Cur"),
        number("count", "Count"),
        bar("amount", "currency"),
    ];
    let totals = summary.totals.len();
    context.render(&args.output, &Data::list(columns, rows).with_totals(totals))
}
