//! The rules about categorisation rules, as methods of [`ExpenseService`]: add one (checked whole,
//! its note pattern for validity and cost), list them in order, remove one, test which rule an
//! expense would get, and apply the rules to expenses already recorded.
//!
//! Applying changes an expense as an edit does (a new version and an `expense.updated` event);
//! an expense edited by someone else meanwhile is skipped, not overwritten, and a second run
//! changes nothing the first changed.

use expense_api::FieldError;
use expense_api::rules::{
    ApplyRules, MAX_RULES, NewRule, Rule, RuleChange, RuleList, RuleMatch, RuleTest, RulesApplied,
};
use uuid::Uuid;

use super::condition::{Candidate, Condition, MerchantText, NotePattern, parse_bound};
use super::{RuleRecord, first_match};
use crate::domain::{Errors, MAX_TAGS, format_date, parse_category, parse_tags};
use crate::error::ExpenseError;
use crate::events;
use crate::repository::{ExpenseFilter, ExpenseRecord, ListCursor};
use crate::service::ExpenseService;

/// Expenses read per page while applying rules.
const APPLY_PAGE: u32 = 500;

impl ExpenseService {
    /// Adds a rule at its position (default: last).
    pub async fn add_rule(&self, user_id: Uuid, input: &NewRule) -> Result<Rule, ExpenseError> {
        let record = validate(user_id, input, self.clock().now()).map_err(ExpenseError::Validation)?;
        match self
            .store()
            .insert_rule(&record, input.position, MAX_RULES)
            .await?
        {
            Some(stored) => Ok(stored.to_api()),
            None => Err(ExpenseError::TooManyRules(MAX_RULES)),
        }
    }

    /// The caller's rules, in the order they are tried.
    pub async fn list_rules(&self, user_id: Uuid) -> Result<RuleList, ExpenseError> {
        let rules = self.store().rules(user_id).await?;
        Ok(RuleList {
            items: rules.iter().map(RuleRecord::to_api).collect(),
        })
    }

    /// Removes a rule; the rules after it move up one.
    pub async fn delete_rule(&self, user_id: Uuid, id: Uuid) -> Result<(), ExpenseError> {
        if !self.store().delete_rule(user_id, id).await? {
            return Err(ExpenseError::NotFound("rule"));
        }
        Ok(())
    }

    /// Which rule an expense with these fields would get, and what it would set.
    pub async fn test_rules(&self, user_id: Uuid, input: &RuleTest) -> Result<RuleMatch, ExpenseError> {
        let amount = input
            .amount
            .as_ref()
            .map(|amount| parse_bound(&amount.0))
            .transpose()
            .map_err(|message| ExpenseError::invalid("amount", message))?;
        let candidate = Candidate {
            merchant: trimmed(input.merchant.as_deref()),
            note: trimmed(input.note.as_deref()),
            amount: amount.map(i128::from),
        };
        let rules = self.store().rules(user_id).await?;
        Ok(match first_match(&rules, &candidate) {
            Some(rule) => RuleMatch {
                matched: true,
                position: Some(rule.position),
                rule_id: Some(rule.id),
                category: Some(rule.category.clone()),
                tags: rule.tags.clone(),
            },
            None => RuleMatch {
                matched: false,
                position: None,
                rule_id: None,
                category: None,
                tags: Vec::new(),
            },
        })
    }

    /// Gives every expense (or every expense in `category`) the category and tags of the first
    /// rule that matches it, or with `dry_run` only says what that would change.
    pub async fn apply_rules(&self, user_id: Uuid, input: &ApplyRules) -> Result<RulesApplied, ExpenseError> {
        let categories = match input.category.as_deref() {
            Some(category) => {
                vec![parse_category(category).map_err(|m| ExpenseError::invalid("category", m))?]
            }
            None => Vec::new(),
        };
        let rules = self.store().rules(user_id).await?;
        let filter = ExpenseFilter {
            categories,
            ..ExpenseFilter::default()
        };
        let mut examined = 0;
        let mut skipped = 0;
        let mut planned: Vec<(ExpenseRecord, RuleChange)> = Vec::new();
        let mut after: Option<ListCursor> = None;
        loop {
            let page = self
                .store()
                .list_expenses(user_id, &filter, after, APPLY_PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(ListCursor {
                spent_on: last.fields.spent_on,
                id: last.id,
            });
            let full = page.len() == APPLY_PAGE as usize;
            for record in page {
                examined += 1;
                let fields = &record.fields;
                let candidate =
                    Candidate::of(fields.merchant.as_deref(), fields.note.as_deref(), fields.money);
                let Some(rule) = first_match(&rules, &candidate) else {
                    continue;
                };
                let added_tags: Vec<String> = rule
                    .tags
                    .iter()
                    .filter(|tag| !fields.tags.contains(tag))
                    .cloned()
                    .collect();
                if rule.category == fields.category && added_tags.is_empty() {
                    continue;
                }
                if fields.tags.len() + added_tags.len() > MAX_TAGS {
                    skipped += 1;
                    continue;
                }
                let change = RuleChange {
                    expense_id: record.id,
                    spent_on: format_date(fields.spent_on),
                    amount: fields.money.amount(),
                    currency: fields.money.currency().code().to_owned(),
                    merchant: fields.merchant.clone(),
                    note: fields.note.clone(),
                    position: rule.position,
                    rule_id: rule.id,
                    from_category: fields.category.clone(),
                    to_category: rule.category.clone(),
                    added_tags,
                };
                planned.push((record, change));
            }
            if !full {
                break;
            }
        }
        let mut changes = Vec::with_capacity(planned.len());
        if input.dry_run {
            changes.extend(planned.into_iter().map(|(_, change)| change));
        } else {
            for (current, change) in planned {
                let mut fields = current.fields.clone();
                fields.category = change.to_category.clone();
                fields.tags.extend(change.added_tags.iter().cloned());
                let updated = ExpenseRecord {
                    fields,
                    updated_at: self.clock().now(),
                    version: current.version + 1,
                    ..current.clone()
                };
                let event = events::expense_updated(&current, &updated);
                if self
                    .store()
                    .update_expense(&updated, current.version, &event)
                    .await?
                {
                    changes.push(change);
                } else {
                    skipped += 1;
                }
            }
            if !changes.is_empty() {
                self.wake_outbox();
                tracing::info!(%user_id, changed = changes.len(), skipped, "categorisation rules applied");
            }
        }
        Ok(RulesApplied {
            dry_run: input.dry_run,
            examined,
            changed: changes.len() as u64,
            skipped,
            changes,
        })
    }
}

/// Text as an expense would store it: trimmed, empty meaning none.
fn trimmed(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

/// Checks a new rule whole: every bad field is reported at once.
fn validate(
    user_id: Uuid,
    input: &NewRule,
    now: time::OffsetDateTime,
) -> Result<RuleRecord, Vec<FieldError>> {
    let mut errors = Errors::new("");
    let merchant = input
        .merchant
        .as_deref()
        .map(|text| errors.check("merchant", MerchantText::parse(text)));
    let note = input
        .note_matches
        .as_deref()
        .map(|pattern| errors.check("note_matches", NotePattern::parse(pattern)));
    if merchant.is_none() && note.is_none() {
        errors.add(
            "merchant",
            "a rule needs `merchant`, `note_matches` or both: what it finds in an expense's merchant or note",
        );
    }
    let bound =
        |field: &str, value: &Option<expense_api::expenses::DecimalString>, errors: &mut Errors<'_>| {
            value
                .as_ref()
                .map(|amount| errors.check(field, parse_bound(&amount.0)))
        };
    let amount_min = bound("amount_min", &input.amount_min, &mut errors);
    let amount_max = bound("amount_max", &input.amount_max, &mut errors);
    if let (Some(Some(min)), Some(Some(max))) = (amount_min, amount_max)
        && min > max
    {
        errors.add("amount_max", "must not be less than `amount_min`");
    }
    let category = errors.check("category", parse_category(&input.category));
    let tags = errors.check("tags", parse_tags(&input.tags));
    match input.position {
        Some(0) => errors.add(
            "position",
            "positions start at 1 (checked first); leave it out to add the rule last",
        ),
        Some(position) if usize::try_from(position).unwrap_or(usize::MAX) > MAX_RULES => errors.add(
            "position",
            format!("must be at most {MAX_RULES} (the most rules an account has); leave it out to add the rule last"),
        ),
        _ => {}
    }
    let (Some(category), Some(tags)) = (category, tags) else {
        return Err(errors.list);
    };
    if !errors.list.is_empty() {
        return Err(errors.list);
    }
    Ok(RuleRecord {
        id: Uuid::now_v7(),
        user_id,
        position: input.position.unwrap_or(0),
        condition: Condition {
            merchant: merchant.flatten(),
            note: note.flatten(),
            amount_min: amount_min.flatten(),
            amount_max: amount_max.flatten(),
        },
        category,
        tags,
        created_at: now,
    })
}
