//! Categorisation rules: an expense recorded without a category gets the category (and tags) of
//! the first of its user's rules that matches it.
//!
//! Reading order: [`condition`] (what a rule matches: merchant text, a note pattern that is both
//! valid and affordable, amount bounds), this module's [`RuleRecord`], [`first_match`] and
//! [`RuleRepository`] (storage, with [`postgres`] and [`sqlite`] beside the expense stores),
//! [`service`] (the rules about rules: add, list, remove, test, apply to existing expenses),
//! [`http`] (thin handlers under `/v1/rules`). Creating an expense consults the rules in
//! `domain::new_expense`, which is where a missing category is refused when none matches.
//!
//! A user's rules have positions 1, 2, 3 … without gaps: adding one at a position moves the rules
//! from there on down, removing one moves those after it up, in one transaction, so the order a
//! user sees is the order rules are tried in. The rules are in `docs/rules.md`.

pub mod condition;
pub mod http;
pub mod postgres;
pub mod service;
pub mod sqlite;

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::repository::RepoError;
use condition::{Candidate, Condition, MerchantText, NotePattern, format_bound};

/// A stored rule.
#[derive(Debug, Clone)]
pub struct RuleRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    /// 1 is tried first.
    pub position: u32,
    pub condition: Condition,
    pub category: String,
    pub tags: Vec<String>,
    pub created_at: OffsetDateTime,
}

impl RuleRecord {
    /// The wire form.
    pub fn to_api(&self) -> expense_api::rules::Rule {
        expense_api::rules::Rule {
            id: self.id,
            position: self.position,
            merchant: self.condition.merchant.as_ref().map(|m| m.as_str().to_owned()),
            note_matches: self.condition.note.as_ref().map(|n| n.as_str().to_owned()),
            amount_min: self.condition.amount_min.map(format_bound),
            amount_max: self.condition.amount_max.map(format_bound),
            category: self.category.clone(),
            tags: self.tags.clone(),
            created_at: self.created_at,
        }
    }
}

/// The first rule of `rules` (in position order) that matches `candidate`.
pub fn first_match<'r>(rules: &'r [RuleRecord], candidate: &Candidate<'_>) -> Option<&'r RuleRecord> {
    debug_assert!(rules.windows(2).all(|pair| pair[0].position < pair[1].position));
    rules.iter().find(|rule| rule.condition.matches(candidate))
}

/// Categorisation rules. Every method is scoped to one user.
#[async_trait]
pub trait RuleRepository: Send + Sync {
    /// In one transaction: unless the user has `max_rules` already (then `None`), puts `rule` at
    /// `position` (clamped to the end; none: the end), moving the rules from there on one down,
    /// and answers it with the position it got.
    async fn insert_rule(
        &self,
        rule: &RuleRecord,
        position: Option<u32>,
        max_rules: usize,
    ) -> Result<Option<RuleRecord>, RepoError>;
    /// The user's rules, by position.
    async fn rules(&self, user_id: Uuid) -> Result<Vec<RuleRecord>, RepoError>;
    /// In one transaction: deletes a rule and moves the rules after it one up; `false` if there
    /// was none.
    async fn delete_rule(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError>;
}

/// The columns of a rule as both stores keep them, before decoding.
pub(crate) struct StoredRule {
    pub id: Uuid,
    pub user_id: Uuid,
    pub position: i64,
    pub merchant: Option<String>,
    pub note_pattern: Option<String>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub category: String,
    pub tags: Vec<String>,
    pub created_at: OffsetDateTime,
}

impl StoredRule {
    /// The rule, refusing what could not have been written (a pattern is compiled again here, with
    /// the limits it was checked against).
    pub(crate) fn decode(self) -> Result<RuleRecord, RepoError> {
        let corrupt =
            |field: &str, message: String| RepoError::Corrupt(format!("rule {}: {field} {message}", self.id));
        let merchant = self
            .merchant
            .as_deref()
            .map(MerchantText::parse)
            .transpose()
            .map_err(|m| corrupt("merchant", m))?;
        let note = self
            .note_pattern
            .as_deref()
            .map(NotePattern::parse)
            .transpose()
            .map_err(|m| corrupt("note pattern", m))?;
        let position = u32::try_from(self.position).map_err(|e| corrupt("position", e.to_string()))?;
        Ok(RuleRecord {
            id: self.id,
            user_id: self.user_id,
            position,
            condition: Condition {
                merchant,
                note,
                amount_min: self.amount_min,
                amount_max: self.amount_max,
            },
            category: self.category,
            tags: self.tags,
            created_at: self.created_at,
        })
    }
}
