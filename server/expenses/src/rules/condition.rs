//! What a rule matches: text in the merchant, a pattern in the note, amount bounds. Each is valid
//! once built, and the note pattern is also affordable: compiled by the `regex` crate (matching in
//! time linear in the note, whatever the pattern) with a cap on its length and on the size of its
//! compiled program, so a pattern such as `(\w{50}){50}` is refused when it is written rather than
//! costing memory and time on every expense recorded after it.

use expense_api::money::{Money, parse_scaled};
use expense_api::rules::{MAX_PATTERN_CHARS, MAX_RULE_MERCHANT_CHARS};
use regex::{Regex, RegexBuilder};

/// The most memory one compiled note pattern may take (its program, and each of its lazy DFA's
/// caches). `lidl|aldi|rewe` takes a few KiB; Unicode classes repeated many times take megabytes.
pub const PATTERN_SIZE_LIMIT_BYTES: usize = 256 * 1024;
/// Decimals of amount bounds: the most any currency has.
pub const BOUND_SCALE: u8 = 4;

/// Text found in an expense's merchant, ignoring case.
#[derive(Debug, Clone)]
pub struct MerchantText {
    text: String,
    lowercase: String,
}

impl MerchantText {
    /// Trimmed, 1 to 200 characters without control characters.
    pub fn parse(input: &str) -> Result<Self, String> {
        let text = input.trim();
        if text.is_empty() {
            return Err("must not be empty: leave it out to match any merchant".to_owned());
        }
        if text.chars().count() > MAX_RULE_MERCHANT_CHARS {
            return Err(format!("must be at most {MAX_RULE_MERCHANT_CHARS} characters"));
        }
        if text.chars().any(char::is_control) {
            return Err("must not contain control characters".to_owned());
        }
        Ok(Self {
            text: text.to_owned(),
            lowercase: text.to_lowercase(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn is_in(&self, merchant: &str) -> bool {
        merchant.to_lowercase().contains(&self.lowercase)
    }
}

/// A regular expression found in an expense's note, ignoring case.
#[derive(Debug, Clone)]
pub struct NotePattern {
    regex: Regex,
}

impl NotePattern {
    /// Compiles `pattern`, refusing one that is empty, longer than 200 characters, not a regular
    /// expression, or larger once compiled than [`PATTERN_SIZE_LIMIT_BYTES`]; the error says which
    /// and what to do.
    pub fn parse(pattern: &str) -> Result<Self, String> {
        if pattern.trim().is_empty() {
            return Err("must not be empty: leave it out to match any note".to_owned());
        }
        let length = pattern.chars().count();
        if length > MAX_PATTERN_CHARS {
            return Err(format!(
                "is {length} characters long; a pattern has at most {MAX_PATTERN_CHARS}"
            ));
        }
        let regex = RegexBuilder::new(pattern)
            .case_insensitive(true)
            .size_limit(PATTERN_SIZE_LIMIT_BYTES)
            .dfa_size_limit(PATTERN_SIZE_LIMIT_BYTES)
            .build()
            .map_err(|error| match error {
                regex::Error::CompiledTooBig(limit) => format!(
                    "is too costly to match: compiled, it takes more than {} KiB; use fewer or smaller repetitions (such as `{{50}}` of `\\w`), or plain text",
                    limit / 1024
                ),
                regex::Error::Syntax(message) => {
                    let reason = message
                        .lines()
                        .rev()
                        .find_map(|line| line.strip_prefix("error: "))
                        .unwrap_or("not understood");
                    format!(
                        "is not a regular expression ({reason}); write one in Rust regex syntax, such as \"^card payment .*rewe\", and escape special characters with \\"
                    )
                }
                other => format!("cannot be used: {other}"),
            })?;
        Ok(Self { regex })
    }

    pub fn as_str(&self) -> &str {
        self.regex.as_str()
    }

    fn is_in(&self, note: &str) -> bool {
        self.regex.is_match(note)
    }
}

/// An amount bound in units of 10⁻⁴: a decimal with up to four decimals, in whatever currency the
/// expense is in.
pub fn parse_bound(text: &str) -> Result<i64, String> {
    parse_scaled(text.trim(), BOUND_SCALE).map_err(|error| {
        format!("{error}: give a decimal such as \"10\" or \"49.99\" (at most {BOUND_SCALE} decimals)")
    })
}

/// A bound written back with as few decimals as it needs: `100000` is `"10"`, `499900` `"49.99"`.
pub fn format_bound(scaled: i64) -> String {
    let text = expense_api::money::format_minor(scaled, BOUND_SCALE);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// An amount in units of 10⁻⁴ of its currency's major unit, to compare with bounds.
fn scaled(money: Money) -> i128 {
    let exponent = u32::from(money.currency().exponent());
    i128::from(money.minor()) * 10i128.pow(u32::from(BOUND_SCALE).saturating_sub(exponent))
}

/// The conditions of a rule: every one it has must hold.
#[derive(Debug, Clone)]
pub struct Condition {
    pub merchant: Option<MerchantText>,
    pub note: Option<NotePattern>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
}

/// An expense as far as rules look at it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub merchant: Option<&'a str>,
    pub note: Option<&'a str>,
    /// In units of 10⁻⁴ (see [`Candidate::amount`]); none: rules with bounds do not match.
    pub amount: Option<i128>,
}

impl<'a> Candidate<'a> {
    /// The candidate for an expense's fields.
    pub fn of(merchant: Option<&'a str>, note: Option<&'a str>, money: Money) -> Self {
        Self {
            merchant,
            note,
            amount: Some(scaled(money)),
        }
    }
}

impl Condition {
    /// Whether `candidate` meets every condition. A rule without a condition on a field does not
    /// look at it; one with a condition on a field the expense lacks does not match.
    pub fn matches(&self, candidate: &Candidate<'_>) -> bool {
        if let Some(merchant) = &self.merchant
            && !candidate.merchant.is_some_and(|text| merchant.is_in(text))
        {
            return false;
        }
        if let Some(note) = &self.note
            && !candidate.note.is_some_and(|text| note.is_in(text))
        {
            return false;
        }
        if self.amount_min.is_some() || self.amount_max.is_some() {
            let Some(amount) = candidate.amount else {
                return false;
            };
            if self.amount_min.is_some_and(|min| amount < i128::from(min))
                || self.amount_max.is_some_and(|max| amount > i128::from(max))
            {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use expense_api::money::Currency;

    use super::*;

    fn money(amount: &str, code: &str) -> Money {
        Money::parse(amount, code.parse::<Currency>().unwrap()).unwrap()
    }

    fn condition(
        merchant: Option<&str>,
        note: Option<&str>,
        min: Option<&str>,
        max: Option<&str>,
    ) -> Condition {
        Condition {
            merchant: merchant.map(|m| MerchantText::parse(m).unwrap()),
            note: note.map(|n| NotePattern::parse(n).unwrap()),
            amount_min: min.map(|b| parse_bound(b).unwrap()),
            amount_max: max.map(|b| parse_bound(b).unwrap()),
        }
    }

    #[test]
    fn merchant_text_is_found_ignoring_case() {
        let lidl = condition(Some(" Lidl "), None, None, None);
        let candidate = |merchant| Candidate::of(merchant, None, money("3.00", "EUR"));
        assert!(lidl.matches(&candidate(Some("LIDL BERLIN 1234"))));
        assert!(lidl.matches(&candidate(Some("bei lidl"))));
        assert!(!lidl.matches(&candidate(Some("LID L"))));
        assert!(!lidl.matches(&candidate(None)));
    }

    #[test]
    fn note_patterns_are_unanchored_and_ignore_case_unless_anchored() {
        let card = condition(None, Some("^card .*rewe"), None, None);
        let candidate = |note| Candidate::of(None, note, money("3.00", "EUR"));
        assert!(card.matches(&candidate(Some("CARD payment REWE 0815"))));
        assert!(!card.matches(&candidate(Some("refund: card payment rewe"))));
        assert!(!card.matches(&candidate(None)));
    }

    #[test]
    fn amount_bounds_are_inclusive_and_exact_across_exponents() {
        let between = condition(Some("x"), None, Some("10"), Some("49.99"));
        let candidate = |amount, code| Candidate::of(Some("x"), None, money(amount, code));
        assert!(between.matches(&candidate("10.00", "EUR")));
        assert!(between.matches(&candidate("49.99", "EUR")));
        assert!(!between.matches(&candidate("50.00", "EUR")));
        assert!(!between.matches(&candidate("9.999", "KWD")));
        assert!(between.matches(&candidate("49", "JPY")));
        assert!(!between.matches(&candidate("-20.00", "EUR")));
        let no_amount = Candidate {
            merchant: Some("x"),
            note: None,
            amount: None,
        };
        assert!(!between.matches(&no_amount));
        assert!(condition(Some("x"), None, None, None).matches(&no_amount));
    }

    #[test]
    fn bounds_print_with_the_decimals_they_need() {
        for text in ["10", "49.99", "0.5", "-3", "0.0001"] {
            assert_eq!(format_bound(parse_bound(text).unwrap()), text);
        }
        assert_eq!(format_bound(parse_bound("10.50").unwrap()), "10.5");
        assert!(parse_bound("1.23456").unwrap_err().contains("at most 4 decimals"));
        assert!(parse_bound("ten").is_err());
    }

    #[test]
    fn bad_and_costly_patterns_are_refused_with_the_reason() {
        let syntax = NotePattern::parse("(unclosed").unwrap_err();
        assert!(syntax.contains("not a regular expression"), "{syntax}");
        assert!(syntax.contains("unclosed group"), "{syntax}");
        let costly = NotePattern::parse(r"(\w{50}){50}").unwrap_err();
        assert!(costly.contains("too costly"), "{costly}");
        let long = NotePattern::parse(&"a".repeat(MAX_PATTERN_CHARS + 1)).unwrap_err();
        assert!(long.contains("at most 200"), "{long}");
        assert!(NotePattern::parse("  ").is_err());
        assert!(NotePattern::parse(r"lidl|aldi|rewe|edeka|\bnetto\b").is_ok());
    }

    #[test]
    fn a_pathological_backtracking_pattern_matches_in_linear_time() {
        // Exponential in a backtracking engine; linear here.
        let pattern = NotePattern::parse("^(a+)+$").unwrap();
        let note = format!("{}!", "a".repeat(10_000));
        let started = std::time::Instant::now();
        assert!(!pattern.is_in(&note));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
