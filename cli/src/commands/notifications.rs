//! `expense notifications ls|read|settings`: budget alerts and monthly summaries in the app, and
//! what the user wants to be told.

use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use expense_api::Page;
use expense_api::notifications::{MarkedRead, Notification, NotificationSettings, SettingsUpdate};
use reqwest::Method;
use uuid::Uuid;

use crate::client::request_body;
use crate::context::Context;
use crate::error::Result;
use crate::output::{Column, Data, OutputArgs, column};

#[derive(Debug, Subcommand)]
pub enum NotificationsCommand {
    /// Your notifications, newest first.
    #[command(alias = "list")]
    Ls(ListArgs),
    /// Mark one notification read, or all of them.
    Read(ReadArgs),
    /// Show what you are told about; with flags, change it.
    Settings(SettingsArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only unread notifications.
    #[arg(long)]
    pub unread: bool,
    /// At most this many (1 to 200).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub limit: u32,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["id", "all"])))]
pub struct ReadArgs {
    /// The notification's id, from `expense notifications ls`.
    pub id: Option<Uuid>,
    /// Every unread notification.
    #[arg(long)]
    pub all: bool,
}

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

impl Switch {
    fn is_on(self) -> bool {
        self == Self::On
    }
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Alerts when spending crosses a budget threshold.
    #[arg(long, value_enum, value_name = "on|off")]
    pub budget_alerts: Option<Switch>,
    /// Last month's summary by e-mail on the 1st.
    #[arg(long, value_enum, value_name = "on|off")]
    pub monthly_summary: Option<Switch>,
    /// Percentages of a budget that alert, such as 80,90,100.
    #[arg(long, value_delimiter = ',', value_name = "PERCENTS", num_args = 1..)]
    pub thresholds: Option<Vec<u16>>,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn columns() -> Vec<Column> {
    vec![
        column("id", "ID"),
        column("created_at", "When"),
        column("kind", "Kind"),
        column("title", "Title"),
        column("read_at", "Read"),
    ]
}

fn settings_columns() -> Vec<Column> {
    vec![
        column("budget_alerts", "Budget alerts"),
        column("thresholds", "Thresholds %"),
        column("monthly_summary", "Monthly summary"),
        column("email", "E-mail"),
    ]
}

pub async fn run(context: &mut Context, command: NotificationsCommand) -> Result<()> {
    match command {
        NotificationsCommand::Ls(args) => {
            let path = format!("/v1/notifications?limit={}&unread={}", args.limit, args.unread);
            let page: Page<Notification> = context.authorized()?.json(Method::GET, &path, None).await?;
            context.render(&args.output, &Data::list_of(columns(), &page.items))
        }
        NotificationsCommand::Read(args) => {
            let mut authorized = context.authorized()?;
            match args.id {
                Some(id) => {
                    authorized
                        .execute(Method::POST, &format!("/v1/notifications/{id}/read"), None)
                        .await?;
                    context.success("Marked read");
                }
                None => {
                    let marked: MarkedRead = authorized
                        .json(Method::POST, "/v1/notifications/read-all", None)
                        .await?;
                    let plural = if marked.marked == 1 { "" } else { "s" };
                    context.success(&format!("Marked {} notification{plural} read", marked.marked));
                }
            }
            Ok(())
        }
        NotificationsCommand::Settings(args) => {
            let change = SettingsUpdate {
                budget_alerts: args.budget_alerts.map(Switch::is_on),
                monthly_summary: args.monthly_summary.map(Switch::is_on),
                thresholds: args.thresholds,
            };
            let unchanged = change.budget_alerts.is_none()
                && change.monthly_summary.is_none()
                && change.thresholds.is_none();
            let mut authorized = context.authorized()?;
            let settings: NotificationSettings = if unchanged {
                authorized
                    .json(Method::GET, "/v1/notifications/settings", None)
                    .await?
            } else {
                let body = request_body(&change);
                authorized
                    .json(Method::PUT, "/v1/notifications/settings", Some(&body))
                    .await?
            };
            context.render(&args.output, &Data::item_of(settings_columns(), &settings))
        }
    }
}
