//! Wire types of categorisation rules (`/v1/rules`): rules that give an expense recorded without a
//! category its category (and tags).
//!
//! A rule matches an expense when every condition it has holds: `merchant` is found in the
//! expense's merchant (case-insensitive), `note_matches` (a regular expression, case-insensitive,
//! unanchored) finds a match in its note, and its amount lies within `amount_min` and
//! `amount_max` (inclusive, compared as decimal numbers whatever the currency). A rule has
//! `merchant`, `note_matches` or both. Rules are kept in an explicit order, by `position` (1 is
//! first); the first rule that matches wins. The rules are in `docs/rules.md`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::expenses::DecimalString;

/// Most rules one user may have.
pub const MAX_RULES: usize = 200;
// `NewRule::position` documents this maximum as a literal.
const _: () = assert!(MAX_RULES == 200);
/// Longest `note_matches` pattern, in characters.
pub const MAX_PATTERN_CHARS: usize = 200;
/// Longest `merchant` text of a rule, in characters.
pub const MAX_RULE_MERCHANT_CHARS: usize = 200;

/// `POST /v1/rules`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    /// Text found in the expense's merchant, ignoring case: `"lidl"` matches `LIDL BERLIN 1234`.
    #[serde(default)]
    #[schema(example = "lidl")]
    pub merchant: Option<String>,
    /// A regular expression (Rust `regex` syntax, up to 200 characters) that finds a match in the
    /// expense's note, ignoring case; `^` and `$` anchor it. Patterns too costly to run are refused.
    #[serde(default)]
    #[schema(example = "^card payment .*supermarket")]
    pub note_matches: Option<String>,
    /// The smallest amount it matches (inclusive), up to 4 decimals, in the expense's currency.
    #[serde(default)]
    pub amount_min: Option<DecimalString>,
    /// The largest amount it matches (inclusive), up to 4 decimals, in the expense's currency.
    #[serde(default)]
    pub amount_max: Option<DecimalString>,
    /// The category it gives: 1 to 64 characters, stored trimmed and lower-cased.
    #[schema(min_length = 1, example = "groceries")]
    pub category: String,
    /// Tags it adds to the expense's own (up to 20 in all).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where it goes in the order (1 is checked first); the rules from there on move one down.
    /// Default, or past the end: last. At most [`MAX_RULES`].
    #[serde(default)]
    #[schema(minimum = 1, maximum = 200, example = 1)]
    pub position: Option<u32>,
}

/// A rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rule {
    pub id: Uuid,
    /// Its place in the order: 1 is checked first, and the first rule that matches wins.
    pub position: u32,
    pub merchant: Option<String>,
    pub note_matches: Option<String>,
    /// Decimal string, as few decimals as it needs.
    #[schema(example = "10")]
    pub amount_min: Option<String>,
    pub amount_max: Option<String>,
    pub category: String,
    pub tags: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

/// `GET /v1/rules`: every rule of the caller, in order (a user has at most [`MAX_RULES`], so one
/// answer holds them all).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RuleList {
    pub items: Vec<Rule>,
}

/// `POST /v1/rules/test`: an expense, as far as rules look at it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleTest {
    #[serde(default)]
    #[schema(example = "LIDL BERLIN 1234")]
    pub merchant: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Without it, rules with amount bounds do not match.
    #[serde(default)]
    pub amount: Option<DecimalString>,
}

/// Which rule matches, and what it sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RuleMatch {
    pub matched: bool,
    /// The position and id of the first rule that matches; null when none does.
    pub position: Option<u32>,
    pub rule_id: Option<Uuid>,
    /// The category it gives; null when no rule matches (an expense without a category would be
    /// refused).
    pub category: Option<String>,
    /// The tags it adds.
    pub tags: Vec<String>,
}

/// `POST /v1/rules/apply`: give existing expenses the category (and tags) of the first rule that
/// matches each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyRules {
    /// Only report what would change; change nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Only expenses now in this category (such as `uncategorized`); default: every expense.
    #[serde(default)]
    pub category: Option<String>,
}

/// One expense that a rule changes (or, in a dry run, would change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RuleChange {
    pub expense_id: Uuid,
    #[schema(format = Date)]
    pub spent_on: String,
    pub amount: String,
    pub currency: String,
    pub merchant: Option<String>,
    pub note: Option<String>,
    /// The rule that matched.
    pub position: u32,
    pub rule_id: Uuid,
    pub from_category: String,
    pub to_category: String,
    /// Tags the rule adds that the expense did not have.
    pub added_tags: Vec<String>,
}

/// What `POST /v1/rules/apply` changed, or would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RulesApplied {
    pub dry_run: bool,
    /// Expenses looked at.
    pub examined: u64,
    /// Expenses changed (in a dry run: that would be).
    pub changed: u64,
    /// Expenses left as they were although a rule matches: changed by someone else meanwhile, or
    /// with too many tags to add the rule's. Applying again takes the first kind.
    pub skipped: u64,
    /// Every change, newest expense first.
    pub changes: Vec<RuleChange>,
}
