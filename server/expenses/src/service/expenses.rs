//! Recording, reading, changing and deleting single expenses and batches. A create with an
//! `Idempotency-Key` stores its answer with the expenses, so a retry replays it byte for byte and
//! the same key with another request is refused; changes and deletes check the version. An
//! expense created without a category takes it from the caller's categorisation rules
//! (`crate::rules`), read only when some expense of the request lacks one.

use aws_lc_rs::digest;
use expense_api::expenses::{BatchResponse, Expense, ExpensePatch, NewExpense};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::ExpenseService;
use crate::domain::{self, Errors};
use crate::error::ExpenseError;
use crate::events;
use crate::repository::{ExpenseRecord, Insert, StoredResponse};
use crate::rules::RuleRecord;

/// Most items in one batch.
pub const MAX_BATCH: usize = 1000;

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

impl ExpenseService {
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
        let rules = self.rules_for(std::slice::from_ref(&input), user_id).await?;
        let mut errors = Errors::new("");
        let fields = domain::new_expense(&input, &mut errors, &rules);
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
        let rules = self.rules_for(&items, user_id).await?;
        let mut all_errors = Vec::new();
        let mut records = Vec::with_capacity(items.len());
        let now = self.clock.now();
        for (index, item) in items.iter().enumerate() {
            let prefix = format!("items[{index}].");
            let mut errors = Errors::new(&prefix);
            match domain::new_expense(item, &mut errors, &rules) {
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

    /// The caller's categorisation rules when one of `items` has no category (only then are they
    /// read).
    async fn rules_for(&self, items: &[NewExpense], user_id: Uuid) -> Result<Vec<RuleRecord>, ExpenseError> {
        if items.iter().all(|item| item.category.is_some()) {
            return Ok(Vec::new());
        }
        Ok(self.store.rules(user_id).await?)
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
