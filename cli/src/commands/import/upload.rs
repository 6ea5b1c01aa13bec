//! Sending checked rows in batches (`POST /v1/expenses/batch`). Each batch's `Idempotency-Key` is
//! derived from its rows and position, so running the same file again stores nothing twice; rows
//! the server still refuses are reported and the rest of their batch is sent again under a
//! derived key.

use std::collections::BTreeMap;

use aws_lc_rs::digest;
use expense_api::Problem;
use expense_api::expenses::BatchRequest;
use reqwest::{Method, StatusCode};

use super::{BadRow, GoodRow};
use crate::client::{Api, problem_error};
use crate::error::{CliError, Result};

/// What happened to one batch.
#[derive(Debug, Default)]
pub(super) struct BatchOutcome {
    pub(super) stored: usize,
    pub(super) replayed: usize,
    pub(super) refused: Vec<BadRow>,
}

/// The idempotency key of a batch: its position and its rows' content.
fn batch_key(index: usize, rows: &[GoodRow], retry: &str) -> String {
    let mut context = digest::Context::new(&digest::SHA256);
    context.update(format!("expense-import-v1\n{index}\n{retry}\n").as_bytes());
    for row in rows {
        // The row as sorted JSON: the same key for the same row, whatever the struct's order.
        let canonical = serde_json::to_value(&row.body).expect("an expense is JSON");
        context.update(canonical.to_string().as_bytes());
        context.update(b"\n");
    }
    let hash = context.finish();
    format!(
        "import-{}",
        hash.as_ref()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// Sends one batch; rows the server refuses are taken out and the rest sent again.
pub(super) async fn send_batch(
    api: &Api,
    token: &str,
    index: usize,
    rows: &[GoodRow],
) -> Result<BatchOutcome> {
    let mut outcome = BatchOutcome::default();
    let mut rows = rows.to_vec();
    let mut retry = String::new();
    loop {
        if rows.is_empty() {
            return Ok(outcome);
        }
        let batch = BatchRequest {
            items: rows.iter().map(|row| row.body.clone()).collect(),
        };
        let body = serde_json::to_value(&batch)
            .map_err(|e| CliError::other(format!("cannot write a batch: {e}")))?;
        let key = batch_key(index, &rows, &retry);
        let response = api
            .send_with(
                Method::POST,
                "/v1/expenses/batch",
                Some(&body),
                Some(token),
                &[("idempotency-key", key)],
            )
            .await?;
        let status = response.status();
        if status.is_success() {
            if response.headers().contains_key("idempotent-replayed") {
                outcome.replayed += rows.len();
            } else {
                outcome.stored += rows.len();
            }
            return Ok(outcome);
        }
        let text = response.text().await.unwrap_or_default();
        let problem: Option<Problem> = serde_json::from_str(&text).ok();
        let refused_items = match (&problem, status) {
            (Some(problem), StatusCode::UNPROCESSABLE_ENTITY) => item_errors(problem),
            _ => BTreeMap::new(),
        };
        if refused_items.is_empty() {
            return Err(problem_error(status, problem, None));
        }
        for (item, reasons) in &refused_items {
            if let Some(row) = rows.get(*item) {
                outcome.refused.push(BadRow {
                    line: row.line,
                    reason: reasons.join("; "),
                });
            }
        }
        retry = format!(
            "{retry}-{}",
            refused_items
                .keys()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(".")
        );
        rows = rows
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !refused_items.contains_key(i))
            .map(|(_, row)| row)
            .collect();
    }
}

/// `items[3].amount: …` errors, by item.
fn item_errors(problem: &Problem) -> BTreeMap<usize, Vec<String>> {
    let mut items: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for error in &problem.errors {
        let Some(rest) = error.field.strip_prefix("items[") else {
            continue;
        };
        let Some((index, field)) = rest.split_once("]") else {
            continue;
        };
        let Ok(index) = index.parse() else { continue };
        items
            .entry(index)
            .or_default()
            .push(format!("{}: {}", field.trim_start_matches('.'), error.message));
    }
    items
}

#[cfg(test)]
mod tests {
    use expense_api::expenses::{DecimalString, NewExpense};

    use super::*;

    #[test]
    fn batch_keys_depend_on_position_and_content() {
        let row = |amount: &str| GoodRow {
            line: 2,
            body: NewExpense {
                amount: DecimalString(amount.to_owned()),
                currency: "EUR".to_owned(),
                category: Some("food".to_owned()),
                note: None,
                merchant: None,
                spent_on: "2026-11-02".to_owned(),
                tags: Vec::new(),
            },
        };
        let rows = vec![row("1.00")];
        assert_eq!(batch_key(0, &rows, ""), batch_key(0, &rows, ""));
        assert_ne!(batch_key(0, &rows, ""), batch_key(1, &rows, ""));
        assert_ne!(batch_key(0, &rows, ""), batch_key(0, &rows, "-3"));
        let other = vec![row("2.00")];
        assert_ne!(batch_key(0, &rows, ""), batch_key(0, &other, ""));
    }
}
