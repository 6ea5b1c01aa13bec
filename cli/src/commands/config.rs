//! `expense config get|set|ls`: the active profile's settings.

use clap::Subcommand;
use serde_json::json;

use crate::cli::OutputOnly;
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::output::{Data, column};

/// Settings a user may change.
const KEYS: [&str; 3] = ["api_url", "default_currency", "funding_account"];

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print one setting of the active profile.
    Get { key: String },
    /// Change one setting of the active profile: api_url, default_currency, funding_account.
    Set { key: String, value: String },
    /// Every setting of the active profile.
    #[command(alias = "list")]
    Ls(OutputOnly),
}

pub async fn run(context: &mut Context, command: ConfigCommand) -> Result<()> {
    match command {
        ConfigCommand::Get { key } => {
            check(&key)?;
            let value = value(context, &key).unwrap_or_default();
            context.print_raw(&format!("{value}\n"))
        }
        ConfigCommand::Set { key, value } => {
            check(&key)?;
            let value = match key.as_str() {
                "default_currency" => {
                    let code = value.trim().to_uppercase();
                    code.parse::<expense_api::money::Currency>()
                        .map_err(CliError::usage)?;
                    code
                }
                "funding_account" => {
                    crate::journal::check_account(value.trim())
                        .map_err(|problem| CliError::usage(format!("funding account {problem}")))?;
                    value.trim().to_owned()
                }
                _ => {
                    url::Url::parse(&value)
                        .map_err(|e| CliError::usage(format!("{value:?} is not a URL: {e}")))?;
                    value
                }
            };
            let shown = value.clone();
            context.update_profile(|profile| match key.as_str() {
                "default_currency" => profile.default_currency = Some(value),
                "funding_account" => profile.funding_account = Some(value),
                _ => profile.api_url = Some(value),
            })?;
            context.success(&format!(
                "{key} = {shown} (profile {})",
                context.profile_name.clone()
            ));
            Ok(())
        }
        ConfigCommand::Ls(args) => {
            let record = json!({
                "profile": context.profile_name,
                "api_url": value(context, "api_url"),
                "default_currency": value(context, "default_currency"),
                "funding_account": value(context, "funding_account"),
            });
            let columns = vec![
                column("profile", "Profile"),
                column("api_url", "API URL"),
                column("default_currency", "Default currency"),
                column("funding_account", "Funding account"),
            ];
            context.render(&args.output, &Data::item(columns, record))
        }
    }
}

fn check(key: &str) -> Result<()> {
    if KEYS.contains(&key) {
        Ok(())
    } else {
        Err(CliError::usage(format!("unknown setting {key:?}"))
            .with_hint(format!("settings: {}", KEYS.join(", "))))
    }
}

fn value(context: &Context, key: &str) -> Option<String> {
    let profile = context.profile()?;
    match key {
        "default_currency" => profile.default_currency.clone(),
        "funding_account" => profile.funding_account.clone(),
        _ => profile.api_url.clone(),
    }
}
