//! The expense list: its query parameters, checked all at once, and keyset pages whose cursor
//! is the last item's `(day, id)`.

use expense_api::expenses::ListQuery;
use expense_api::money::parse_scaled;
use expense_api::{FieldError, Page};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ExpenseService;
use crate::domain::{self, Errors, format_date, parse_category, parse_date};
use crate::error::ExpenseError;
use crate::repository::{ExpenseFilter, ExpenseRecord, FILTER_SCALE, ListCursor};

/// Default page size of the expense list.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

#[derive(Serialize, Deserialize)]
struct CursorKey(String, Uuid);

impl ExpenseService {
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
    let limit = errors.page_limit(query.limit, DEFAULT_PAGE_SIZE);
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
