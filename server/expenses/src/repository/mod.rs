//! Storage of expenses, budgets, idempotency keys and the outbox, behind traits (recurring
//! schedules, exchange rates and categorisation rules have theirs in `recurring`, `rates` and
//! `rules`, implemented by the same stores).
//!
//! Every method that changes an expense or a budget also writes its outbox event, in the same
//! transaction: a change is never committed without its event, nor an event without its change.
//! Every read and write is scoped to one user. [`postgres`] and [`sqlite`] implement the traits
//! side by side; `tests/it/repository.rs` runs one conformance suite against both.

pub mod postgres;
pub mod sqlite;

use async_trait::async_trait;
use expense_api::expenses::Expense;
use expense_api::money::{Currency, Money, format_minor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{ExpenseFields, format_date};
use crate::rates::RateRepository;
use crate::recurring::RecurringRepository;
use crate::rules::RuleRepository;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

/// A stored expense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub fields: ExpenseFields,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub version: i64,
    /// The recurring schedule that recorded it, if one did.
    pub recurring_id: Option<Uuid>,
}

impl ExpenseRecord {
    /// The wire form.
    pub fn to_api(&self) -> Expense {
        Expense {
            id: self.id,
            amount: self.fields.money.amount(),
            currency: self.fields.money.currency().code().to_owned(),
            category: self.fields.category.clone(),
            note: self.fields.note.clone(),
            merchant: self.fields.merchant.clone(),
            spent_on: format_date(self.fields.spent_on),
            tags: self.fields.tags.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            version: self.version,
            recurring_id: self.recurring_id,
        }
    }
}

/// Rebuilds money read from a row, refusing what could not have been written.
pub(crate) fn stored_money(minor: i64, currency: &str) -> Result<Money, RepoError> {
    Money::from_code(minor, currency).map_err(RepoError::Corrupt)
}

/// Currencies read from a page of rows: a page is nearly always in one or two currencies, so
/// each code is parsed once per page, not once per row.
#[derive(Default)]
pub(crate) struct Currencies {
    seen: Vec<(String, Currency)>,
}

impl Currencies {
    /// Money of `minor` units in the currency coded `code`, refusing what could not have been
    /// written.
    pub(crate) fn money(&mut self, minor: i64, code: &str) -> Result<Money, RepoError> {
        let code = code.trim();
        let currency = match self.seen.iter().find(|(seen, _)| seen == code) {
            Some((_, currency)) => *currency,
            None => {
                let currency: Currency = code.parse().map_err(RepoError::Corrupt)?;
                self.seen.push((code.to_owned(), currency));
                currency
            }
        };
        Money::from_minor(minor, currency).map_err(RepoError::Corrupt)
    }
}

/// An event to write into the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEvent {
    pub id: Uuid,
    pub user_id: Uuid,
    pub event_type: String,
    /// The payload, as JSON text (written as it is; parsed only by the relay).
    pub payload: String,
    pub created_at: OffsetDateTime,
}

/// A response stored under an idempotency key, replayed byte for byte on a retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub key: String,
    /// SHA-256 of what was asked (method, path, body), to tell a retry from a different request.
    pub request_hash: Vec<u8>,
    pub status: u16,
    pub body: Vec<u8>,
    /// When the response was first given (by the service's clock): retention counts from here.
    pub stored_at: OffsetDateTime,
}

/// Result of inserting expenses under an optional idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Insert {
    /// Stored (and the response recorded under the key, if any).
    Inserted,
    /// The key was already used (by a concurrent request); its response, nothing stored.
    KeyTaken(StoredResponse),
}

/// Filters of the expense list, already validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpenseFilter {
    /// Any of these categories (none: all).
    pub categories: Vec<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Smallest amount, in units of 10⁻⁴ of any currency's major unit (see [`amount_bounds`]).
    pub min_scaled: Option<i64>,
    /// Largest amount, same units.
    pub max_scaled: Option<i64>,
    pub currency: Option<String>,
    pub tag: Option<String>,
    /// Lower-cased text to find in note or merchant.
    pub text: Option<String>,
}

/// Scale of [`ExpenseFilter::min_scaled`] and `max_scaled`: four decimals, the largest exponent.
pub const FILTER_SCALE: u8 = 4;

/// For a bound in 10⁻⁴ units, the equivalent bound in minor units of each exponent 0 to 4, so
/// one filter works across currencies: `min` rounds up, `max` down.
pub fn amount_bounds(scaled: i64, is_min: bool) -> [(i16, i64); 5] {
    std::array::from_fn(|exponent| {
        let divisor = 10i64.pow(u32::from(FILTER_SCALE) - exponent as u32);
        let bound = if is_min {
            scaled.div_euclid(divisor) + i64::from(scaled.rem_euclid(divisor) != 0)
        } else {
            scaled.div_euclid(divisor)
        };
        (exponent as i16, bound)
    })
}

/// The keyset position after which the next page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListCursor {
    pub spent_on: Date,
    pub id: Uuid,
}

/// How a summary groups expenses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Category,
    Month,
    Day,
}

/// One row of a summary: a group's total in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    pub key: String,
    pub currency: String,
    pub exponent: u8,
    pub total_minor: i64,
    pub count: i64,
}

impl SummaryRow {
    pub fn amount(&self) -> String {
        format_minor(self.total_minor, self.exponent)
    }
}

/// One row of a summary to convert: a group's total in one currency on one day (each day's
/// expenses are converted with that day's rate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySummaryRow {
    pub key: String,
    pub currency: String,
    pub exponent: u8,
    pub spent_on: Date,
    pub total_minor: i64,
    pub count: i64,
}

/// A stored budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetRecord {
    pub user_id: Uuid,
    /// A category, or `total`.
    pub category: String,
    pub amount: Money,
    pub period: String,
    pub starts_on_day: u8,
    /// Whether expenses in other currencies count, converted.
    pub convert: bool,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// Spending of a period in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spent {
    pub currency: String,
    pub total_minor: i64,
    pub count: i64,
}

/// What happens to budgets when a category's expenses move to another category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetMove {
    /// The source's budget (if any) becomes the target's.
    Rename,
    /// The target keeps its budget if it has one (the source's is dropped); otherwise as Rename.
    Merge,
}

/// Expenses, with their idempotency keys.
#[async_trait]
pub trait ExpenseRepository: Send + Sync {
    /// The response stored under `key` for this user, if any.
    async fn stored_response(&self, user_id: Uuid, key: &str) -> Result<Option<StoredResponse>, RepoError>;
    /// Inserts all `records` and `events` in one transaction, recording `response` under its key.
    async fn insert_expenses(
        &self,
        user_id: Uuid,
        records: &[ExpenseRecord],
        events: &[OutboxEvent],
        response: Option<&StoredResponse>,
    ) -> Result<Insert, RepoError>;
    async fn expense(&self, user_id: Uuid, id: Uuid) -> Result<Option<ExpenseRecord>, RepoError>;
    /// Replaces the expense if it is still at `expected_version`; `false` otherwise.
    async fn update_expense(
        &self,
        record: &ExpenseRecord,
        expected_version: i64,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError>;
    /// Deletes the expense if it is still at `expected_version`; `false` otherwise.
    async fn delete_expense(
        &self,
        user_id: Uuid,
        id: Uuid,
        expected_version: i64,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError>;
    /// Newest first (`spent_on` then id, both descending), after `after`, at most `limit`.
    async fn list_expenses(
        &self,
        user_id: Uuid,
        filter: &ExpenseFilter,
        after: Option<ListCursor>,
        limit: u32,
    ) -> Result<Vec<ExpenseRecord>, RepoError>;
    /// Categories in use, with counts, by name.
    async fn categories(&self, user_id: Uuid) -> Result<Vec<(String, i64)>, RepoError>;
    /// Whether the category has expenses or a budget.
    async fn category_exists(&self, user_id: Uuid, category: &str) -> Result<bool, RepoError>;
    /// Moves every expense of `from` to `to` (bumping versions), moves budgets per `budgets`,
    /// writes `event`; returns how many expenses moved.
    async fn move_category(
        &self,
        user_id: Uuid,
        from: &str,
        to: &str,
        budgets: BudgetMove,
        event: &OutboxEvent,
        at: OffsetDateTime,
    ) -> Result<i64, RepoError>;
    /// Totals per group and currency between two days (inclusive), ordered by key then currency.
    async fn summary(
        &self,
        user_id: Uuid,
        group_by: GroupBy,
        from: Date,
        to: Date,
    ) -> Result<Vec<SummaryRow>, RepoError>;
    /// Totals per group, currency and day between two days (inclusive), ordered by key, then
    /// currency, then day.
    async fn summary_by_day(
        &self,
        user_id: Uuid,
        group_by: GroupBy,
        from: Date,
        to: Date,
    ) -> Result<Vec<DaySummaryRow>, RepoError>;
    /// Forgets idempotency keys stored before `before`; returns how many.
    async fn forget_stored_responses(&self, before: OffsetDateTime) -> Result<u64, RepoError>;
}

/// Budgets.
#[async_trait]
pub trait BudgetRepository: Send + Sync {
    /// Creates or replaces; `true` when created.
    async fn put_budget(&self, budget: &BudgetRecord, event: &OutboxEvent) -> Result<bool, RepoError>;
    async fn budgets(&self, user_id: Uuid) -> Result<Vec<BudgetRecord>, RepoError>;
    /// `false` if there was none.
    async fn delete_budget(
        &self,
        user_id: Uuid,
        category: &str,
        event: &OutboxEvent,
    ) -> Result<bool, RepoError>;
    /// Spending per currency between two days (inclusive), in one category or all (`None`).
    async fn spent(
        &self,
        user_id: Uuid,
        category: Option<&str>,
        from: Date,
        to: Date,
    ) -> Result<Vec<Spent>, RepoError>;
}

/// The outbox, for the relay.
#[async_trait]
pub trait OutboxRepository: Send + Sync {
    /// In one statement: marks the events `published` (the relay's previous batch, published
    /// since it claimed them) as published `now`, and claims up to `limit` other unpublished
    /// events (oldest first) until `now + lease`, so concurrent relays do not publish the same
    /// event at the same time; a crashed relay's claim expires. With nothing to claim, it only
    /// marks.
    async fn settle_and_claim(
        &self,
        published: &[Uuid],
        limit: u32,
        now: OffsetDateTime,
        lease: time::Duration,
    ) -> Result<Vec<OutboxEvent>, RepoError>;
    /// Gives up the claim on events that could not be published, so the next pass takes them.
    async fn release_claims(&self, ids: &[Uuid]) -> Result<(), RepoError>;
    /// How many events are not yet published (a gauge for operators).
    async fn pending_events(&self) -> Result<i64, RepoError>;
    /// Forgets events published before `before`; returns how many.
    async fn forget_published(&self, before: OffsetDateTime) -> Result<u64, RepoError>;
}

/// What erasing an account deletes: every row of the user (`$1`), in every table of this
/// service, children before parents. **The one place a new table keyed by user is added**; the
/// test `account_deletion` of `expense-server` fails for a table with a `user_id` column that
/// keeps rows of a deleted user. Both stores run these statements as written (SQLite reads `$1`
/// as the first parameter), in one transaction with the tombstone.
pub(crate) const ERASE_USER: &[&str] = &[
    "DELETE FROM recurring_occurrences
     WHERE schedule_id IN (SELECT id FROM recurring_schedules WHERE user_id = $1)",
    "DELETE FROM recurring_schedules WHERE user_id = $1",
    "DELETE FROM expenses WHERE user_id = $1",
    "DELETE FROM budgets WHERE user_id = $1",
    "DELETE FROM rates WHERE user_id = $1",
    "DELETE FROM rules WHERE user_id = $1",
    "DELETE FROM idempotency_keys WHERE user_id = $1",
    // Published or not: events about an erased account must not go out any more.
    "DELETE FROM outbox WHERE user_id = $1",
];

/// Erasing deleted accounts.
#[async_trait]
pub trait UserErasure: Send + Sync {
    /// In one transaction: runs [`ERASE_USER`] for the user and records the tombstone (deleted at
    /// `at`; an earlier tombstone is kept). Safe to repeat.
    async fn erase_user(&self, user_id: Uuid, at: OffsetDateTime) -> Result<(), RepoError>;
    /// The users whose tombstone is dated `since` or later.
    async fn deleted_users_since(&self, since: OffsetDateTime) -> Result<Vec<Uuid>, RepoError>;
}

/// Everything the expenses service stores.
pub trait ExpenseStore:
    ExpenseRepository
    + BudgetRepository
    + OutboxRepository
    + RecurringRepository
    + RateRepository
    + RuleRepository
    + UserErasure
{
}

impl<T> ExpenseStore for T where
    T: ExpenseRepository
        + BudgetRepository
        + OutboxRepository
        + RecurringRepository
        + RateRepository
        + RuleRepository
        + UserErasure
{
}

#[cfg(test)]
mod tests {
    use super::amount_bounds;

    #[test]
    fn bounds_convert_per_exponent() {
        // 12.5 in any currency.
        let min = amount_bounds(125_000, true);
        assert_eq!(min, [(0, 13), (1, 125), (2, 1250), (3, 12500), (4, 125_000)]);
        let max = amount_bounds(125_000, false);
        assert_eq!(max[0], (0, 12));
        // -0.5: a refund bound rounds toward the right side too.
        assert_eq!(amount_bounds(-5_000, true)[0], (0, 0));
        assert_eq!(amount_bounds(-5_000, false)[0], (0, -1));
    }
}
