//! OFX bank files: one row per bank transaction, and leaving out what an earlier download of the
//! same account already imported (by the `ofx-…` tag made from the account and the bank's `FITID`).

use std::collections::HashMap;

use super::{BadRow, GoodRow, ImportArgs};
use crate::context::Context;
use crate::error::{CliError, ErrorKind, Result};
use crate::ofx;

/// Whether the file holds OFX (by its first bytes, not its name).
pub(super) fn file_is_ofx(path: &std::path::Path) -> Result<bool> {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .and_then(|file| file.take(4096).read_to_end(&mut head))
        .map_err(|e| CliError::new(ErrorKind::Usage, format!("cannot open {}: {e}", path.display())))?;
    Ok(ofx::looks_like_ofx(&head))
}

/// Reads an OFX file: one row per bank transaction (its line is its `<STMTTRN>`'s), checked as
/// CSV rows are. A file that cannot be read as OFX at all is a usage error (exit code 2).
pub(super) fn read_ofx(args: &ImportArgs) -> Result<(Vec<GoodRow>, Vec<BadRow>)> {
    let name = args.file.display();
    let bytes = std::fs::read(&args.file)
        .map_err(|e| CliError::new(ErrorKind::Usage, format!("cannot open {name}: {e}")))?;
    let statements = ofx::parse(&bytes).map_err(|reason| {
        CliError::usage(format!("cannot read {name} as OFX: {reason}"))
            .with_hint("ask the bank for the file again; an OFX file is read whole or not at all")
    })?;
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for statement in &statements {
        for transaction in &statement.transactions {
            let line = transaction.line;
            let label = transaction
                .fitid
                .as_deref()
                .map(|fitid| format!("FITID {fitid}: "))
                .unwrap_or_default();
            match transaction.to_expense(statement, &args.category) {
                Ok(body) => {
                    let tag = body.tags.first().cloned().unwrap_or_default();
                    if let Some(first) = seen.insert(tag, line) {
                        bad.push(BadRow {
                            line,
                            reason: format!("{label}the same transaction as line {first}; imported once"),
                        });
                    } else {
                        good.push(GoodRow { line, body });
                    }
                }
                Err(reason) => bad.push(BadRow {
                    line,
                    reason: format!("{label}{reason}"),
                }),
            }
        }
    }
    Ok((good, bad))
}

/// The rows whose `ofx-…` tag no expense in their date range carries yet.
pub(super) async fn without_imported(context: &Context, rows: Vec<GoodRow>) -> Result<Vec<GoodRow>> {
    let days = rows.iter().map(|row| row.body.spent_on.as_str());
    let (Some(from), Some(to)) = (days.clone().min(), days.max()) else {
        return Ok(rows);
    };
    let query = [("from", from.to_owned()), ("to", to.to_owned())];
    let mut imported = std::collections::HashSet::new();
    crate::commands::expenses::each_page(context, &query, |items| {
        for item in items {
            for tag in item["tags"].as_array().into_iter().flatten() {
                if let Some(tag) = tag.as_str().filter(|t| t.starts_with("ofx-")) {
                    imported.insert(tag.to_owned());
                }
            }
        }
        Ok(())
    })
    .await?;
    Ok(rows
        .into_iter()
        .filter(|row| !row.body.tags.first().is_some_and(|tag| imported.contains(tag)))
        .collect())
}
