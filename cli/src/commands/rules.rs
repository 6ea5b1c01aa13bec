//! `expense rules add|ls|rm|test|apply`: categorisation rules, which give an expense recorded (or
//! imported) without a category the category of the first rule that matches it (see
//! `docs/rules.md`).

use clap::{Args, Subcommand};
use expense_api::expenses::DecimalString;
use expense_api::rules::{ApplyRules, NewRule, Rule, RuleList, RuleMatch, RuleTest, RulesApplied};
use reqwest::Method;
use uuid::Uuid;

use crate::cli::OutputOnly;
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::output::{Column, Data, OutputArgs, column, number};

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Add a rule: `expense rules add --merchant lidl --category groceries`.
    Add(AddArgs),
    /// Your rules, in the order they are tried (the first that matches wins).
    #[command(alias = "list")]
    Ls(OutputOnly),
    /// Remove a rule; the rules after it move up one.
    Rm {
        /// The rule's id (from `expense rules ls`).
        id: Uuid,
    },
    /// Which rule an expense would get: `expense rules test "LIDL BERLIN 1234"`.
    Test(TestArgs),
    /// Give existing expenses the category of the first rule that matches each.
    Apply(ApplyArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Text found in the expense's merchant, ignoring case ("lidl" matches "LIDL BERLIN 1234").
    #[arg(long, value_name = "TEXT", required_unless_present = "note_matches")]
    pub merchant: Option<String>,
    /// A regular expression found in the expense's note, ignoring case ("^card payment .*rewe").
    #[arg(long, value_name = "PATTERN")]
    pub note_matches: Option<String>,
    /// Only amounts of at least this much (inclusive), in the expense's own currency.
    #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
    pub amount_min: Option<String>,
    /// Only amounts of at most this much (inclusive), in the expense's own currency.
    #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
    pub amount_max: Option<String>,
    /// The category the rule gives.
    #[arg(long, value_name = "NAME")]
    pub category: String,
    /// A tag the rule adds (repeat for several).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Where the rule goes: 1 is tried first; the rules from there on move one down (default:
    /// last).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub position: Option<u32>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// The merchant, as a bank statement writes it.
    pub merchant: Option<String>,
    /// The note.
    #[arg(long)]
    pub note: Option<String>,
    /// The amount (without it, rules with amount bounds do not match).
    #[arg(long, allow_negative_numbers = true)]
    pub amount: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Only show what would change; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Only expenses now in this category, such as uncategorized (default: every expense).
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn columns() -> Vec<Column> {
    vec![
        number("position", "#"),
        column("merchant", "Merchant"),
        column("note_matches", "Note matches"),
        number("amount_min", "Min"),
        number("amount_max", "Max"),
        column("category", "Category"),
        column("tags", "Tags"),
        column("id", "ID"),
    ]
}

fn match_columns() -> Vec<Column> {
    vec![
        column("matched", "Matched"),
        number("position", "#"),
        column("category", "Category"),
        column("tags", "Tags"),
        column("rule_id", "Rule"),
    ]
}

fn change_columns() -> Vec<Column> {
    vec![
        column("spent_on", "Date"),
        number("amount", "Amount"),
        column("currency", "Cur"),
        column("merchant", "Merchant"),
        column("note", "Note"),
        column("from_category", "From"),
        column("to_category", "To"),
        column("added_tags", "Added tags"),
        number("position", "Rule #"),
        column("expense_id", "ID"),
    ]
}

/// Text the user typed, trimmed (the server checks it and names what is wrong).
fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_owned())
}

pub async fn run(context: &mut Context, command: RulesCommand) -> Result<()> {
    match command {
        RulesCommand::Add(args) => {
            let body = NewRule {
                merchant: args.merchant,
                note_matches: args.note_matches,
                amount_min: trimmed(args.amount_min).map(DecimalString),
                amount_max: trimmed(args.amount_max).map(DecimalString),
                category: args.category,
                tags: args.tags,
                position: args.position,
            };
            let body = serde_json::to_value(&body)
                .map_err(|e| CliError::other(format!("cannot write a rule: {e}")))?;
            let rule: Rule = context
                .authorized()?
                .json(Method::POST, "/v1/rules", Some(&body))
                .await?;
            context.render(&args.output, &Data::item_of(columns(), &rule))
        }
        RulesCommand::Ls(args) => {
            let list: RuleList = context.authorized()?.json(Method::GET, "/v1/rules", None).await?;
            context.render(&args.output, &Data::list_of(columns(), &list.items))
        }
        RulesCommand::Rm { id } => {
            context
                .authorized()?
                .execute(Method::DELETE, &format!("/v1/rules/{id}"), None)
                .await?;
            context.success(&format!(
                "Removed rule {id}; the rules after it moved up one, and the expenses it categorised stay as they are"
            ));
            Ok(())
        }
        RulesCommand::Test(args) => test(context, args).await,
        RulesCommand::Apply(args) => apply(context, args).await,
    }
}

async fn test(context: &mut Context, args: TestArgs) -> Result<()> {
    if args.merchant.is_none() && args.note.is_none() {
        return Err(CliError::usage("nothing to test")
            .with_hint("give a merchant (`expense rules test \"LIDL BERLIN 1234\"`), a --note, or both"));
    }
    let body = RuleTest {
        merchant: args.merchant,
        note: args.note,
        amount: trimmed(args.amount).map(DecimalString),
    };
    let body =
        serde_json::to_value(&body).map_err(|e| CliError::other(format!("cannot write a test: {e}")))?;
    let matched: RuleMatch = context
        .authorized()?
        .json(Method::POST, "/v1/rules/test", Some(&body))
        .await?;
    context.render(&args.output, &Data::item_of(match_columns(), &matched))?;
    if !matched.matched {
        context.warn(
            "No rule matches: an expense like this without a category would be refused. Give it a category, or add a rule (`expense rules add`)",
        );
    }
    Ok(())
}

async fn apply(context: &mut Context, args: ApplyArgs) -> Result<()> {
    let body = ApplyRules {
        dry_run: args.dry_run,
        category: args.category,
    };
    let body =
        serde_json::to_value(&body).map_err(|e| CliError::other(format!("cannot write a request: {e}")))?;
    let applied: RulesApplied = context
        .authorized()?
        .json(Method::POST, "/v1/rules/apply", Some(&body))
        .await?;
    context.render(&args.output, &Data::list_of(change_columns(), &applied.changes))?;
    let mut summary = if applied.dry_run {
        format!(
            "Dry run: {} of {} expenses would change; nothing was changed",
            applied.changed, applied.examined
        )
    } else {
        format!("Changed {} of {} expenses", applied.changed, applied.examined)
    };
    if applied.skipped > 0 {
        summary.push_str(&format!(
            " ({} left as they were: changed by someone else meanwhile, or too many tags to add the rule's; run it again to retry the first kind)",
            applied.skipped
        ));
    }
    context.success(&summary);
    Ok(())
}
