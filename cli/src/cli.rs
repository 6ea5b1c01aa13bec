//! The command tree. Each command's arguments live in its module under `commands/`.

use clap::{Args, Parser, Subcommand};

use crate::commands::{
    account, admin, api, auth, budget, categories, completions, config, expenses, export, import,
    notifications, rates, receipt, recurring, rules, summary, token, webhooks,
};
use crate::output::OutputArgs;
use crate::terminal::ColorChoice;

const AFTER_HELP: &str = "\
Help topics (`expense help TOPIC`, or man expense-TOPIC):
  dates        how to write a day          periods      how to write a range of days
  formats      the output, and choosing it exit-codes   what the exit status means
  environment  the variables the CLI reads

Exit codes: 0 success, 1 error, 2 usage error, 4 not signed in (`expense help exit-codes`).";

/// Track your expenses from the terminal.
#[derive(Debug, Parser)]
#[command(
    name = "expense",
    version,
    propagate_version = true,
    after_help = AFTER_HELP,
    max_term_width = 100,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Server to talk to [env: EXPENSE_API_URL] [default: the profile's, else http://127.0.0.1:8080]
    #[arg(long, global = true, value_name = "URL")]
    pub api_url: Option<String>,

    /// Profile to use.
    #[arg(long, global = true, env = "EXPENSE_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,

    /// Allow plain http:// to a host that is not this machine.
    #[arg(long, global = true)]
    pub insecure: bool,

    /// Count relative dates (`yesterday`, `monday`, `last month`) and `add`'s default date from
    /// DATE instead of today's local date: for back-filling a past day or replaying a script.
    /// The server's own "today" (current budget periods) is not changed.
    #[arg(long, global = true, env = "EXPENSE_TODAY", value_name = "YYYY-MM-DD", value_parser = crate::dates::parse_today)]
    pub today: Option<time::Date>,

    /// When to colour the output: auto (terminals, unless NO_COLOR), always or never.
    #[arg(long, global = true, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or
    /// `less -FRX`).
    #[arg(long, global = true)]
    pub no_pager: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Record an expense: `expense add 12.50 groceries --note "weekly shop"` (without a category,
    /// your rules give it: `expense add 3.20 --merchant "LIDL BERLIN"`).
    Add(expenses::AddArgs),
    /// List expenses, newest first, with filters.
    #[command(alias = "list")]
    Ls(expenses::ListArgs),
    /// Show one expense.
    Show(expenses::ShowArgs),
    /// Change an expense (refused if it changed meanwhile).
    Edit(expenses::EditArgs),
    /// Delete expenses (asks first on a terminal).
    Rm(expenses::RemoveArgs),
    /// Totals per category, month or day, per currency (or all in one: --in EUR), with bars.
    Summary(summary::SummaryArgs),
    /// Monthly budgets.
    #[command(subcommand)]
    Budget(budget::BudgetCommand),
    /// Expenses recorded on a schedule (rent, subscriptions): add, ls, pause, resume, rm.
    #[command(subcommand)]
    Recurring(recurring::RecurringCommand),
    /// Exchange rates for totals in one currency (`summary --in EUR`): set, ls, rm, import.
    #[command(subcommand, alias = "rate")]
    Rates(rates::RatesCommand),
    /// Categorisation rules: the category of expenses added or imported without one (add, ls, rm,
    /// test, apply).
    #[command(subcommand, alias = "rule")]
    Rules(rules::RulesCommand),
    /// Categories: list (default), rename, merge.
    Categories {
        #[command(subcommand)]
        command: Option<categories::CategoriesCommand>,
        #[command(flatten)]
        output: OutputOnly,
    },
    /// Import expenses from a CSV or OFX bank file (safe to run again).
    Import(import::ImportArgs),
    /// Export every matching expense as CSV, JSON, NDJSON, or an hledger or beancount journal.
    Export(export::ExportArgs),
    /// Receipts: upload, ls, download, open, rm.
    #[command(subcommand)]
    Receipt(receipt::ReceiptCommand),
    /// Budget alerts and monthly summaries: ls, read, settings.
    #[command(subcommand, alias = "notification")]
    Notifications(notifications::NotificationsCommand),
    /// Signed HTTPS callbacks for your scripts: add, ls, rm, test, deliveries.
    #[command(subcommand, alias = "webhook")]
    Webhooks(webhooks::WebhooksCommand),
    /// Create an account and sign in.
    Register(account::RegisterArgs),
    /// Sign in.
    Login(account::LoginArgs),
    /// Sign out: end the session on the server and forget its tokens here.
    Logout,
    /// Your account: change the password, export everything it owns.
    #[command(subcommand)]
    Account(account::AccountCommand),
    /// Show the signed-in account.
    Whoami(OutputOnly),
    /// Sign-in status and tokens.
    #[command(subcommand)]
    Auth(auth::AuthCommand),
    /// Personal access tokens for scripts and CI.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Administration (admins only).
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Settings of the active profile (default currency, server).
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
    /// Call the API directly, signed in: `expense api GET /v1/me`.
    Api(api::ApiArgs),
    /// Help on a topic (dates, periods, formats, exit-codes, environment) or a command.
    Help(crate::help::HelpArgs),
    /// Write the man pages into a directory (`cargo xtask codegen` keeps docs/man/ current).
    #[command(hide = true)]
    ManPages {
        /// Where to write them.
        dir: std::path::PathBuf,
    },
}

/// Commands that take only output options.
#[derive(Debug, Clone, Args)]
pub struct OutputOnly {
    #[command(flatten)]
    pub output: OutputArgs,
}
