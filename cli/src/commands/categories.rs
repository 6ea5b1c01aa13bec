//! `expense categories [ls|rename|merge]`.

use clap::Subcommand;
use expense_api::expenses::{CategoryChange, CategoryList, MergeCategory, RenameCategory};
use reqwest::Method;

use crate::cli::OutputOnly;
use crate::client::request_body;
use crate::commands::budget::encode;
use crate::context::Context;
use crate::error::Result;
use crate::output::{Data, column, number};

#[derive(Debug, Subcommand)]
pub enum CategoriesCommand {
    /// Categories in use, with how many expenses each has (the default).
    #[command(alias = "list")]
    Ls(OutputOnly),
    /// Rename a category; its expenses and budget follow.
    Rename { from: String, to: String },
    /// Move every expense of one category into another.
    Merge { from: String, into: String },
}

pub async fn run(
    context: &mut Context,
    command: Option<CategoriesCommand>,
    default_output: OutputOnly,
) -> Result<()> {
    match command.unwrap_or(CategoriesCommand::Ls(default_output)) {
        CategoriesCommand::Ls(args) => {
            let list: CategoryList = context
                .authorized()?
                .json(Method::GET, "/v1/categories", None)
                .await?;
            let columns = vec![column("name", "Category"), number("count", "Expenses")];
            context.render(&args.output, &Data::list_of(columns, &list.items))
        }
        CategoriesCommand::Rename { from, to } => {
            let path = format!("/v1/categories/{}/rename", encode(&from));
            let body = request_body(&RenameCategory { name: to });
            let change: CategoryChange = context
                .authorized()?
                .json(Method::POST, &path, Some(&body))
                .await?;
            context.success(&format!(
                "Renamed {} to {} ({} expenses)",
                change.from, change.to, change.moved
            ));
            Ok(())
        }
        CategoriesCommand::Merge { from, into } => {
            let path = format!("/v1/categories/{}/merge", encode(&from));
            let body = request_body(&MergeCategory { into });
            let change: CategoryChange = context
                .authorized()?
                .json(Method::POST, &path, Some(&body))
                .await?;
            context.success(&format!(
                "Merged {} into {} ({} expenses)",
                change.from, change.to, change.moved
            ));
            Ok(())
        }
    }
}
