//! The expenses service's rules. Talks to storage only through [`ExpenseStore`]; every operation
//! is scoped to the calling user, so another user's data is indistinguishable from none.

use std::sync::Arc;

use aws_lc_rs::digest;
use expense_api::expenses::{
    BatchResponse, Budget, BudgetInput, Category, CategoryChange, CurrencyTotal, Expense, ExpensePatch,
    NewExpense, Summary, SummaryGroup, TOTAL_BUDGET,
};
use expense_api::money::{Money, format_minor, parse_scaled};
use expense_api::page::MAX_PAGE_SIZE;
use expense_api::{FieldError, Page};
use expense_kit::clock::Clock;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::budget::monthly_period;
use crate::domain::{self, Errors, format_date, parse_category, parse_date};
use crate::error::ExpenseError;
use crate::events;
use crate::repository::{
    BudgetMove, BudgetRecord, ExpenseFilter, ExpenseRecord, ExpenseStore, FILTER_SCALE, GroupBy, Insert,
    ListCursor, StoredResponse,
};

/// Most items in one batch.
pub const MAX_BATCH: usize = 1000;
/// Default page size of the expense list.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// How long idempotency keys are remembered.
pub const IDEMPOTENCY_RETENTION: time::Duration = time::Duration::hours(24);
/// How long published outbox events are kept (for operators tracing a delivery) before they are
/// deleted; unpublished ones are never deleted.
pub const PUBLISHED_EVENT_RETENTION: time::Duration = time::Duration::days(7);

/// A create's answer: fresh, or replayed from an idempotency key.
#[derive(Debug, Clone)]
pub struct CreateResponse {
    pub status: u16,
    pub body: Vec<u8>,
    pub replayed: bool,
    /// The id of the one expense a fresh single create made (for `Location`); a replay's is in
    /// its body.
    pub created_id: Option<Uuid>,
}

/// The raw query parameters of the expense list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only these categories (repeat the parameter for several).
    #[serde(default)]
    pub category: Vec<String>,
    /// From this day (inclusive), `YYYY-MM-DD`.
    #[param(format = Date)]
    pub from: Option<String>,
    /// Up to this day (inclusive), `YYYY-MM-DD`.
    #[param(format = Date)]
    pub to: Option<String>,
    /// At least this amount (decimal, in each expense's own currency).
    pub min: Option<String>,
    /// At most this amount.
    pub max: Option<String>,
    /// Only this currency.
    #[param(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    /// Only expenses with this tag.
    pub tag: Option<String>,
    /// Text to find in the note or merchant, case-insensitively.
    pub q: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The raw query parameters of the summary.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// `category` (default), `month` or `day`.
    #[param(pattern = "^(category|month|day)$")]
    pub group_by: Option<String>,
    /// First day (default: the first of the current month, UTC).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Last day (default: the last of the current month, UTC).
    #[param(format = Date)]
    pub to: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct CursorKey(String, Uuid);

/// The expenses service.
pub struct ExpenseService {
    store: Arc<dyn ExpenseStore>,
    outbox_wake: Arc<Notify>,
    clock: Clock,
}

impl ExpenseService {
    /// The service over `store`, waking the outbox relay through `outbox_wake` after each change
    /// and reading the time (record stamps, today's budget period) from `clock`.
    pub fn new(store: Arc<dyn ExpenseStore>, outbox_wake: Arc<Notify>, clock: Clock) -> Self {
        Self {
            store,
            outbox_wake,
            clock,
        }
    }

    /// The clock the service reads.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn store(&self) -> &Arc<dyn ExpenseStore> {
        &self.store
    }

    /// Wakes the outbox relay after a change that wrote events.
    pub(crate) fn wake_outbox(&self) {
        self.outbox_wake.notify_one();
    }

    /// Creates one expense.
    pub async fn create(
        &self,
        user_id: Uuid,
        input: NewExpense,
        key: Option<&str>,
    ) -> Result<CreateResponse, ExpenseError> {
        // The request's digest only matters with a key: it tells a retry from a reuse.
        let hash = key.map(|_| request_hash("POST /v1/expenses", &input));
        if let Some(replay) = self.replay(user_id, key, hash.as_deref()).await? {
            return Ok(replay);
        }
        let mut errors = Errors::new("");
        let fields = domain::new_expense(&input, &mut errors);
        let fields = fields
            .filter(|_| errors.list.is_empty())
            .ok_or(ExpenseError::Validation(errors.list))?;
        let record = new_record(user_id, fields, self.clock.now());
        let body = serde_json::to_vec(&record.to_api()).expect("expenses serialise");
        let event = events::expense_created_from_json(&record, &body);
        let id = record.id;
        let mut response = self.insert(user_id, &[record], &[event], key, hash, body).await?;
        if !response.replayed {
            response.created_id = Some(id);
        }
        Ok(response)
    }

    /// Creates up to [`MAX_BATCH`] expenses, all or none.
    pub async fn create_batch(
        &self,
        user_id: Uuid,
        items: Vec<NewExpense>,
        key: Option<&str>,
    ) -> Result<CreateResponse, ExpenseError> {
        let hash = key.map(|_| request_hash("POST /v1/expenses/batch", &items));
        if let Some(replay) = self.replay(user_id, key, hash.as_deref()).await? {
            return Ok(replay);
        }
        if items.is_empty() || items.len() > MAX_BATCH {
            return Err(ExpenseError::invalid(
                "items",
                format!("must hold 1 to {MAX_BATCH} expenses"),
            ));
        }
        let mut all_errors = Vec::new();
        let mut records = Vec::with_capacity(items.len());
        let now = self.clock.now();
        for (index, item) in items.iter().enumerate() {
            let prefix = format!("items[{index}].");
            let mut errors = Errors::new(&prefix);
            match domain::new_expense(item, &mut errors) {
                Some(fields) if errors.list.is_empty() => records.push(new_record(user_id, fields, now)),
                _ => all_errors.extend(errors.list),
            }
        }
        if !all_errors.is_empty() {
            return Err(ExpenseError::Validation(all_errors));
        }
        let events: Vec<_> = records.iter().map(events::expense_created).collect();
        let response = BatchResponse {
            items: records.iter().map(ExpenseRecord::to_api).collect(),
        };
        let body = serde_json::to_vec(&response).expect("batches serialise");
        self.insert(user_id, &records, &events, key, hash, body).await
    }

    async fn replay(
        &self,
        user_id: Uuid,
        key: Option<&str>,
        hash: Option<&[u8]>,
    ) -> Result<Option<CreateResponse>, ExpenseError> {
        let (Some(key), Some(hash)) = (key, hash) else {
            return Ok(None);
        };
        match self.store.stored_response(user_id, key).await? {
            Some(stored) => replayed(stored, hash).map(Some),
            None => Ok(None),
        }
    }

    async fn insert(
        &self,
        user_id: Uuid,
        records: &[ExpenseRecord],
        events: &[crate::repository::OutboxEvent],
        key: Option<&str>,
        hash: Option<Vec<u8>>,
        body: Vec<u8>,
    ) -> Result<CreateResponse, ExpenseError> {
        let stored = key.zip(hash).map(|(key, hash)| StoredResponse {
            key: key.to_owned(),
            request_hash: hash,
            status: 201,
            body: body.clone(),
            stored_at: self.clock.now(),
        });
        match self
            .store
            .insert_expenses(user_id, records, events, stored.as_ref())
            .await?
        {
            Insert::Inserted => {
                self.outbox_wake.notify_one();
                tracing::info!(%user_id, count = records.len(), "expenses created");
                Ok(CreateResponse {
                    status: 201,
                    body,
                    replayed: false,
                    created_id: None,
                })
            }
            Insert::KeyTaken(existing) => {
                let hash = stored.map(|stored| stored.request_hash).unwrap_or_default();
                replayed(existing, &hash)
            }
        }
    }

    /// One expense of the caller.
    pub async fn get(&self, user_id: Uuid, id: Uuid) -> Result<Expense, ExpenseError> {
        Ok(self.record(user_id, id).await?.to_api())
    }

    async fn record(&self, user_id: Uuid, id: Uuid) -> Result<ExpenseRecord, ExpenseError> {
        self.store
            .expense(user_id, id)
            .await?
            .ok_or(ExpenseError::NotFound("expense"))
    }

    /// Applies a patch, if the expense is still at `if_match` (when given).
    pub async fn update(
        &self,
        user_id: Uuid,
        id: Uuid,
        patch: ExpensePatch,
        if_match: Option<i64>,
    ) -> Result<Expense, ExpenseError> {
        let current = self.record(user_id, id).await?;
        if let Some(expected) = if_match
            && expected != current.version
        {
            return Err(ExpenseError::VersionMismatch {
                current: current.version,
            });
        }
        let mut errors = Errors::new("");
        let fields = domain::patched(&current.fields, &patch, &mut errors);
        let fields = fields
            .filter(|_| errors.list.is_empty())
            .ok_or(ExpenseError::Validation(errors.list))?;
        let updated = ExpenseRecord {
            fields,
            updated_at: self.clock.now(),
            version: current.version + 1,
            ..current.clone()
        };
        let event = events::expense_updated(&current, &updated);
        if !self
            .store
            .update_expense(&updated, current.version, &event)
            .await?
        {
            let now = self.record(user_id, id).await?;
            return Err(ExpenseError::VersionMismatch { current: now.version });
        }
        self.outbox_wake.notify_one();
        Ok(updated.to_api())
    }

    /// Deletes an expense, if it is still at `if_match` (when given).
    pub async fn delete(&self, user_id: Uuid, id: Uuid, if_match: Option<i64>) -> Result<(), ExpenseError> {
        let current = self.record(user_id, id).await?;
        if let Some(expected) = if_match
            && expected != current.version
        {
            return Err(ExpenseError::VersionMismatch {
                current: current.version,
            });
        }
        let event = events::expense_deleted(&current, self.clock.now());
        if !self
            .store
            .delete_expense(user_id, id, current.version, &event)
            .await?
        {
            return match self.store.expense(user_id, id).await? {
                Some(now) => Err(ExpenseError::VersionMismatch { current: now.version }),
                None => Err(ExpenseError::NotFound("expense")),
            };
        }
        self.outbox_wake.notify_one();
        Ok(())
    }

    /// One page of the caller's expenses, as records (written out by [`crate::wire`]).
    pub async fn list(&self, user_id: Uuid, query: &ListQuery) -> Result<Page<ExpenseRecord>, ExpenseError> {
        let (filter, after, limit) = parse_list_query(query)?;
        let mut records = self
            .store
            .list_expenses(user_id, &filter, after, limit + 1)
            .await?;
        let more = records.len() > limit as usize;
        records.truncate(limit as usize);
        let next_cursor = match (more, records.last()) {
            (true, Some(last)) => Some(expense_kit::cursor::encode(&CursorKey(
                format_date(last.fields.spent_on),
                last.id,
            ))),
            _ => None,
        };
        Ok(Page {
            items: records,
            next_cursor,
        })
    }

    /// Categories in use, with counts.
    pub async fn categories(&self, user_id: Uuid) -> Result<Vec<Category>, ExpenseError> {
        let rows = self.store.categories(user_id).await?;
        Ok(rows
            .into_iter()
            .map(|(name, count)| Category { name, count })
            .collect())
    }

    /// Renames a category (refused if the new name is in use) or merges it into another.
    pub async fn move_category(
        &self,
        user_id: Uuid,
        from: &str,
        to: &str,
        merge: bool,
    ) -> Result<CategoryChange, ExpenseError> {
        let from = parse_category(from).map_err(|_| ExpenseError::NotFound("category"))?;
        let target_field = if merge { "into" } else { "name" };
        let to = parse_category(to).map_err(|message| ExpenseError::invalid(target_field, message))?;
        if from == to {
            return Err(ExpenseError::invalid(
                target_field,
                "must differ from the category itself",
            ));
        }
        if !self.store.category_exists(user_id, &from).await? {
            return Err(ExpenseError::NotFound("category"));
        }
        if !merge && self.store.category_exists(user_id, &to).await? {
            return Err(ExpenseError::CategoryInUse(to));
        }
        let now = self.clock.now();
        let event = events::category_moved(user_id, merge, &from, &to, now);
        let budgets = if merge {
            BudgetMove::Merge
        } else {
            BudgetMove::Rename
        };
        let moved = self
            .store
            .move_category(user_id, &from, &to, budgets, &event, now)
            .await?;
        self.outbox_wake.notify_one();
        Ok(CategoryChange { from, to, moved })
    }

    /// Totals per group and currency over a period (by default, the current calendar month).
    pub async fn summary(&self, user_id: Uuid, query: &SummaryQuery) -> Result<Summary, ExpenseError> {
        let mut errors = Errors::new("");
        let group_by = match query.group_by.as_deref().unwrap_or("category") {
            "category" => Some(GroupBy::Category),
            "month" => Some(GroupBy::Month),
            "day" => Some(GroupBy::Day),
            _ => {
                errors.add("group_by", "must be category, month or day");
                None
            }
        };
        let (month_start, month_end) = monthly_period(self.clock.today(), 1);
        let from = match &query.from {
            Some(from) => errors.check("from", parse_date(from)),
            None => Some(month_start),
        };
        let to = match &query.to {
            Some(to) => errors.check("to", parse_date(to)),
            None => Some(month_end),
        };
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            errors.add("to", "must not be before `from`");
        }
        let (Some(group_by), Some(from), Some(to)) = (group_by, from, to) else {
            return Err(ExpenseError::Validation(errors.list));
        };
        if !errors.list.is_empty() {
            return Err(ExpenseError::Validation(errors.list));
        }
        let rows = self.store.summary(user_id, group_by, from, to).await?;
        let mut groups: Vec<SummaryGroup> = Vec::new();
        let mut totals: Vec<(String, u8, i64, i64)> = Vec::new();
        for row in &rows {
            let total = CurrencyTotal {
                currency: row.currency.clone(),
                amount: row.amount(),
                count: row.count,
            };
            match groups.last_mut() {
                Some(group) if group.key == row.key => {
                    group.count += row.count;
                    group.totals.push(total);
                }
                _ => groups.push(SummaryGroup {
                    key: row.key.clone(),
                    totals: vec![total],
                    count: row.count,
                }),
            }
            match totals.iter_mut().find(|(currency, ..)| *currency == row.currency) {
                Some((_, _, sum, count)) => {
                    *sum += row.total_minor;
                    *count += row.count;
                }
                None => totals.push((row.currency.clone(), row.exponent, row.total_minor, row.count)),
            }
        }
        totals.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Summary {
            group_by: query.group_by.clone().unwrap_or_else(|| "category".to_owned()),
            from: format_date(from),
            to: format_date(to),
            count: groups.iter().map(|g| g.count).sum(),
            groups,
            totals: totals
                .into_iter()
                .map(|(currency, exponent, sum, count)| CurrencyTotal {
                    currency,
                    amount: format_minor(sum, exponent),
                    count,
                })
                .collect(),
        })
    }

    /// Creates or replaces a budget; `true` when created.
    pub async fn put_budget(
        &self,
        user_id: Uuid,
        category: &str,
        input: BudgetInput,
    ) -> Result<(Budget, bool), ExpenseError> {
        let mut errors = Errors::new("");
        let category = if category == TOTAL_BUDGET {
            Some(TOTAL_BUDGET.to_owned())
        } else {
            errors.check("category", parse_category(category))
        };
        let currency = errors.check("currency", domain::parse_currency(&input.currency));
        let amount = currency.and_then(|c| {
            errors.check(
                "amount",
                Money::parse(&input.amount.0, c).and_then(|m| {
                    if m.minor() > 0 {
                        Ok(m)
                    } else {
                        Err("must be positive".to_owned())
                    }
                }),
            )
        });
        if input.period != "monthly" {
            errors.add("period", "only `monthly` budgets exist");
        }
        if !(1..=28).contains(&input.starts_on_day) {
            errors.add("starts_on_day", "must be between 1 and 28");
        }
        let (Some(category), Some(amount)) = (category, amount) else {
            return Err(ExpenseError::Validation(errors.list));
        };
        if !errors.list.is_empty() {
            return Err(ExpenseError::Validation(errors.list));
        }
        let now = self.clock.now();
        let record = BudgetRecord {
            user_id,
            category,
            amount,
            period: input.period,
            starts_on_day: input.starts_on_day,
            created_at: now,
            updated_at: now,
        };
        let created = self
            .store
            .put_budget(&record, &events::budget_updated(&record))
            .await?;
        self.outbox_wake.notify_one();
        Ok((self.budget_view(&record, self.clock.today()).await?, created))
    }

    /// Every budget of the caller with its current period's spending.
    pub async fn budgets(&self, user_id: Uuid) -> Result<Vec<Budget>, ExpenseError> {
        let today = self.clock.today();
        let mut views = Vec::new();
        for record in self.store.budgets(user_id).await? {
            views.push(self.budget_view(&record, today).await?);
        }
        Ok(views)
    }

    pub async fn delete_budget(&self, user_id: Uuid, category: &str) -> Result<(), ExpenseError> {
        let category = if category == TOTAL_BUDGET {
            TOTAL_BUDGET.to_owned()
        } else {
            parse_category(category).map_err(|_| ExpenseError::NotFound("budget"))?
        };
        if !self
            .store
            .delete_budget(
                user_id,
                &category,
                &events::budget_deleted(user_id, &category, self.clock.now()),
            )
            .await?
        {
            return Err(ExpenseError::NotFound("budget"));
        }
        self.outbox_wake.notify_one();
        Ok(())
    }

    async fn budget_view(&self, record: &BudgetRecord, today: Date) -> Result<Budget, ExpenseError> {
        let (start, end) = monthly_period(today, record.starts_on_day);
        let category = (record.category != TOTAL_BUDGET).then_some(record.category.as_str());
        let spending = self.store.spent(record.user_id, category, start, end).await?;
        let currency = record.amount.currency();
        let spent = spending
            .iter()
            .find(|s| s.currency == currency.code())
            .map_or(0, |s| s.total_minor);
        let other_currency_count = spending
            .iter()
            .filter(|s| s.currency != currency.code())
            .map(|s| s.count)
            .sum();
        let budget = record.amount.minor();
        Ok(Budget {
            category: record.category.clone(),
            amount: record.amount.amount(),
            currency: currency.code().to_owned(),
            period: record.period.clone(),
            starts_on_day: record.starts_on_day,
            period_start: format_date(start),
            period_end: format_date(end),
            spent: format_minor(spent, currency.exponent()),
            remaining: format_minor(budget - spent, currency.exponent()),
            percent_used: i64::try_from(i128::from(spent) * 100 / i128::from(budget)).unwrap_or(i64::MAX),
            other_currency_count,
            updated_at: record.updated_at,
        })
    }

    /// Forgets idempotency keys older than [`IDEMPOTENCY_RETENTION`] and outbox events
    /// published longer than [`PUBLISHED_EVENT_RETENTION`] ago; returns how many of each.
    pub async fn forget_old(&self) -> Result<(u64, u64), ExpenseError> {
        let now = self.clock.now();
        let keys = self
            .store
            .forget_stored_responses(now - IDEMPOTENCY_RETENTION)
            .await?;
        let events = self
            .store
            .forget_published(now - PUBLISHED_EVENT_RETENTION)
            .await?;
        Ok((keys, events))
    }
}

fn new_record(user_id: Uuid, fields: domain::ExpenseFields, now: OffsetDateTime) -> ExpenseRecord {
    ExpenseRecord {
        id: Uuid::now_v7(),
        user_id,
        fields,
        created_at: now,
        updated_at: now,
        version: 1,
        recurring_id: None,
    }
}

fn replayed(stored: StoredResponse, hash: &[u8]) -> Result<CreateResponse, ExpenseError> {
    if stored.request_hash != hash {
        return Err(ExpenseError::KeyReused);
    }
    Ok(CreateResponse {
        status: stored.status,
        body: stored.body,
        replayed: true,
        created_id: None,
    })
}

/// What a request asked for, independent of JSON whitespace and field order.
fn request_hash<T: Serialize>(operation: &str, request: &T) -> Vec<u8> {
    let mut context = digest::Context::new(&digest::SHA256);
    context.update(operation.as_bytes());
    context.update(b"\n");
    context.update(&serde_json::to_vec(request).expect("requests serialise"));
    context.finish().as_ref().to_vec()
}

fn parse_list_query(query: &ListQuery) -> Result<(ExpenseFilter, Option<ListCursor>, u32), ExpenseError> {
    let mut errors = Errors::new("");
    let mut categories = Vec::new();
    for category in &query.category {
        if let Some(category) = errors.check("category", parse_category(category)) {
            categories.push(category);
        }
    }
    let from = query
        .from
        .as_deref()
        .and_then(|d| errors.check("from", parse_date(d)));
    let to = query
        .to
        .as_deref()
        .and_then(|d| errors.check("to", parse_date(d)));
    let amount = |field: &str, text: &Option<String>, errors: &mut Errors<'_>| -> Option<i64> {
        let text = text.as_deref()?;
        errors.check(
            field,
            parse_scaled(text, FILTER_SCALE).map_err(|e| format!("{e} (at most {FILTER_SCALE} decimals)")),
        )
    };
    let min_scaled = amount("min", &query.min, &mut errors);
    let max_scaled = amount("max", &query.max, &mut errors);
    let currency = query
        .currency
        .as_deref()
        .and_then(|c| errors.check("currency", domain::parse_currency(c)))
        .map(|c| c.code().to_owned());
    let tag = query
        .tag
        .as_deref()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty());
    let text = query
        .q
        .as_deref()
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        errors.add("q", "must be at most 200 characters");
    }
    let limit = match query.limit {
        None => DEFAULT_PAGE_SIZE,
        Some(limit) if (1..=MAX_PAGE_SIZE).contains(&limit) => limit,
        Some(_) => {
            errors.add("limit", format!("must be between 1 and {MAX_PAGE_SIZE}"));
            DEFAULT_PAGE_SIZE
        }
    };
    let after = match &query.cursor {
        Some(cursor) => match expense_kit::cursor::decode::<CursorKey>(cursor) {
            Ok(CursorKey(day, id)) => match parse_date(&day) {
                Ok(spent_on) => Some(ListCursor { spent_on, id }),
                Err(_) => {
                    errors
                        .list
                        .push(FieldError::new("cursor", "not a cursor this API made"));
                    None
                }
            },
            Err(problem) => {
                errors.list.extend(problem.problem.errors.clone());
                None
            }
        },
        None => None,
    };
    if !errors.list.is_empty() {
        return Err(ExpenseError::Validation(errors.list));
    }
    let filter = ExpenseFilter {
        categories,
        from,
        to,
        min_scaled,
        max_scaled,
        currency,
        tag,
        text,
    };
    Ok((filter, after, limit))
}
