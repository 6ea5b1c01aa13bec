//! The European Central Bank's reference-rate CSV (`eurofxref-hist.csv`, and the one-day
//! `eurofxref.csv`): a `Date` column, then one column per currency giving what one euro was
//! worth in it that day.
//!
//! The format as the ECB writes it: a header `Date,USD,JPY,…,` whose trailing comma makes an
//! empty last column; one line per business day, newest first; `N/A` where a currency had no
//! rate that day (before it was quoted, after it was replaced by the euro). Days are
//! `YYYY-MM-DD` in the history file and `14 June 2024` in the one-day file; cells may be padded
//! with spaces. A column whose code is no currency this tracker records (the Cypriot pound, the
//! Slovak koruna) is skipped and named in the answer. Anything else that does not fit is an
//! error naming its line, and then nothing is recorded: a file is imported whole or not at all.

use std::collections::HashMap;

use expense_api::FieldError;
use expense_api::money::Currency;
use time::Date;
use time::macros::format_description;

use crate::domain::parse_date;
use expense_api::conversion::Rate;

/// Most line errors one answer lists; a file with more is probably not an ECB file at all.
const MAX_ERRORS: usize = 20;

/// What a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcbFile {
    /// One euro was worth `rate` of the currency on the day.
    pub rates: Vec<(Date, Currency, Rate)>,
    /// Days with at least one rate, and the first and last of them.
    pub days: u64,
    pub first_day: Option<Date>,
    pub last_day: Option<Date>,
    /// Currencies with at least one rate, by code.
    pub currencies: Vec<Currency>,
    /// Codes of the columns skipped (see the module doc), in the file's order.
    pub skipped_columns: Vec<String>,
}

/// A header column.
enum Column {
    Rates(Currency),
    Skipped,
    /// The empty column after the ECB's trailing comma.
    Empty,
}

/// Errors by line, at most [`MAX_ERRORS`] of them (then the count of the rest).
struct LineErrors {
    list: Vec<FieldError>,
    more: usize,
}

impl LineErrors {
    fn add(&mut self, line: usize, message: impl Into<String>) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(FieldError::new(format!("line {line}"), message));
        } else {
            self.more += 1;
        }
    }
}

/// Reads a file; the errors name their lines (`line 3`).
pub fn parse(text: &str) -> Result<EcbFile, Vec<FieldError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(index, line)| (index + 1, line.strip_suffix('\r').unwrap_or(line)))
        .filter(|(_, line)| !line.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(vec![FieldError::new(
            "line 1",
            "the file is empty; expected the ECB's header `Date,USD,JPY,…`",
        )]);
    };
    let mut errors = LineErrors {
        list: Vec::new(),
        more: 0,
    };
    let columns = header_columns(header_line, header, &mut errors);
    if !errors.list.is_empty() {
        // The lines cannot be read against a header that is wrong.
        return Err(errors.list);
    }
    let mut file = EcbFile {
        rates: Vec::new(),
        days: 0,
        first_day: None,
        last_day: None,
        currencies: Vec::new(),
        skipped_columns: Vec::new(),
    };
    let mut seen_days: HashMap<Date, usize> = HashMap::new();
    let mut quoted = vec![false; columns.len()];
    let mut any_line = false;
    for (line_number, line) in lines {
        any_line = true;
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let wanted = columns
            .iter()
            .rposition(|column| !matches!(column, Column::Empty))
            .map_or(1, |last| last + 2);
        if cells.len() < wanted || cells.len() > columns.len() + 1 {
            errors.add(
                line_number,
                format!(
                    "has {} cells; the header has {} (a date and a cell per currency)",
                    cells.len(),
                    columns.len() + 1
                ),
            );
            continue;
        }
        let day = match parse_day(cells[0]) {
            Some(day) => day,
            None => {
                errors.add(
                    line_number,
                    format!("{:?} is not a day such as 2026-03-02 or 2 March 2026", cells[0]),
                );
                continue;
            }
        };
        if let Some(first) = seen_days.insert(day, line_number) {
            errors.add(
                line_number,
                format!("{day} is on line {first} already; a day has one line"),
            );
            continue;
        }
        let mut rates_of_day = 0;
        for (index, (column, cell)) in columns.iter().zip(&cells[1..]).enumerate() {
            match column {
                Column::Rates(currency) => {
                    if cell.eq_ignore_ascii_case("N/A") {
                        continue;
                    }
                    if cell.is_empty() {
                        errors.add(
                            line_number,
                            format!("{currency} is empty; the ECB writes N/A for a day without a rate"),
                        );
                        continue;
                    }
                    match Rate::parse(cell) {
                        Ok(rate) => {
                            file.rates.push((day, *currency, rate));
                            quoted[index] = true;
                            rates_of_day += 1;
                        }
                        Err(message) => errors.add(
                            line_number,
                            format!("{currency} {cell:?} {message} (or N/A for no rate that day)"),
                        ),
                    }
                }
                Column::Empty if !cell.is_empty() => errors.add(
                    line_number,
                    format!(
                        "cell {} ({cell:?}) is under an empty header; give its column a currency code",
                        index + 2
                    ),
                ),
                Column::Empty | Column::Skipped => {}
            }
        }
        if rates_of_day > 0 {
            file.days += 1;
            file.first_day = Some(file.first_day.map_or(day, |first| first.min(day)));
            file.last_day = Some(file.last_day.map_or(day, |last| last.max(day)));
        }
    }
    if !any_line && errors.list.is_empty() {
        errors.add(header_line, "the header has no line of rates under it");
    }
    if !errors.list.is_empty() {
        if errors.more > 0 {
            errors.list.push(FieldError::new(
                "file",
                format!("{} more lines are wrong; fix the ones above first", errors.more),
            ));
        }
        return Err(errors.list);
    }
    for (column, quoted) in columns.iter().zip(quoted) {
        match column {
            Column::Rates(currency) if quoted => file.currencies.push(*currency),
            _ => {}
        }
    }
    file.currencies.sort_by_key(|currency| currency.code());
    file.skipped_columns = header
        .split(',')
        .skip(1)
        .map(str::trim)
        .zip(&columns)
        .filter(|(_, column)| matches!(column, Column::Skipped))
        .map(|(code, _)| code.to_owned())
        .collect();
    Ok(file)
}

/// The header's columns after `Date`.
fn header_columns(line_number: usize, header: &str, errors: &mut LineErrors) -> Vec<Column> {
    let mut cells = header.split(',').map(str::trim);
    let first = cells.next().unwrap_or_default();
    if !first.eq_ignore_ascii_case("date") {
        errors.add(
            line_number,
            format!(
                "the first column is {first:?}; the ECB's reference-rate file starts with `Date`, then a column per currency"
            ),
        );
    }
    let codes: Vec<&str> = cells.collect();
    let last_named = codes.iter().rposition(|code| !code.is_empty());
    let mut columns = Vec::with_capacity(codes.len());
    for (index, code) in codes.iter().enumerate() {
        let position = index + 2;
        let column = if code.is_empty() {
            if last_named.is_some_and(|last| index < last) {
                errors.add(line_number, format!("column {position} has no currency code"));
            }
            Column::Empty
        } else if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            errors.add(
                line_number,
                format!("column {position} is {code:?}, not a currency code such as USD"),
            );
            Column::Skipped
        } else if *code == "EUR" {
            errors.add(
                line_number,
                format!(
                    "column {position} is EUR; the file's rates are against EUR, so it has no EUR column"
                ),
            );
            Column::Skipped
        } else if codes[..index].contains(code) {
            errors.add(line_number, format!("column {position} repeats {code}"));
            Column::Skipped
        } else {
            match code.parse::<Currency>() {
                Ok(currency) => Column::Rates(currency),
                Err(_) => Column::Skipped,
            }
        };
        columns.push(column);
    }
    if last_named.is_none() {
        errors.add(line_number, "the header names no currency after `Date`");
    }
    columns
}

/// `2026-03-02`, or the one-day file's `2 March 2026`.
fn parse_day(text: &str) -> Option<Date> {
    parse_date(text).ok().or_else(|| {
        Date::parse(
            text,
            format_description!("[day padding:none] [month repr:long] [year]"),
        )
        .ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HISTORY: &str = "Date,USD,JPY,CYP,GBP,\n\
        2024-06-14,1.0686,168.04,N/A,0.84375,\n\
        2024-06-13,1.0794,169.51,N/A,N/A,\n";

    fn messages(text: &str) -> Vec<String> {
        parse(text)
            .unwrap_err()
            .into_iter()
            .map(|error| format!("{}: {}", error.field, error.message))
            .collect()
    }

    #[test]
    fn the_history_file_gives_a_rate_per_day_and_currency_skipping_na() {
        let file = parse(HISTORY).unwrap();
        let codes: Vec<_> = file.currencies.iter().map(|c| c.code()).collect();
        assert_eq!(codes, ["GBP", "JPY", "USD"]);
        assert_eq!(file.skipped_columns, ["CYP"]);
        assert_eq!(file.rates.len(), 5);
        assert_eq!(file.days, 2);
        assert_eq!(file.first_day, Some(time::macros::date!(2024 - 06 - 13)));
        assert_eq!(file.last_day, Some(time::macros::date!(2024 - 06 - 14)));
        let (day, currency, rate) = file.rates[0];
        assert_eq!(
            (day.to_string(), currency.code(), rate.to_string()),
            ("2024-06-14".into(), "USD", "1.0686".into())
        );
    }

    #[test]
    fn the_one_day_file_with_spaces_and_long_dates_reads_too() {
        let file = parse("Date, USD, JPY, \r\n14 June 2024, 1.0686, 168.04, \r\n").unwrap();
        assert_eq!(file.rates.len(), 2);
        assert_eq!(file.first_day, Some(time::macros::date!(2024 - 06 - 14)));
    }

    #[test]
    fn a_bom_and_lines_without_the_trailing_comma_are_fine() {
        let file = parse("\u{feff}Date,USD,\n2024-06-14,1.0686\n").unwrap();
        assert_eq!(file.rates.len(), 1);
    }

    #[test]
    fn malformed_lines_are_named_by_number() {
        let text = "Date,USD,JPY,\n\
            2024-06-14,1.0686,168.04,\n\
            2024/06/13,1.0794,169.51,\n\
            2024-06-12,1.07x,169.51,\n\
            2024-06-11,1.0794\n\
            2024-06-14,1.0,2.0,\n\
            2024-06-10,-1.2,0,\n\
            2024-06-09,,1.0,\n";
        assert_eq!(
            messages(text),
            [
                "line 3: \"2024/06/13\" is not a day such as 2026-03-02 or 2 March 2026",
                "line 4: USD \"1.07x\" must be a positive decimal such as \"0.9245\" or \"157.3\" (or N/A for no rate that day)",
                "line 5: has 2 cells; the header has 4 (a date and a cell per currency)",
                "line 6: 2024-06-14 is on line 2 already; a day has one line",
                "line 7: USD \"-1.2\" must be more than zero: one unit of a currency is worth something (or N/A for no rate that day)",
                "line 7: JPY \"0\" must be more than zero: one unit of a currency is worth something (or N/A for no rate that day)",
                "line 8: USD is empty; the ECB writes N/A for a day without a rate",
            ]
        );
    }

    #[test]
    fn a_file_that_is_not_the_ecbs_is_refused_at_its_header() {
        assert_eq!(
            messages("Day,USD\n2024-06-14,1.0\n"),
            [
                "line 1: the first column is \"Day\"; the ECB's reference-rate file starts with `Date`, then a column per currency"
            ]
        );
        assert_eq!(
            messages("Date,usd,EUR,USD,USD\n"),
            [
                "line 1: column 2 is \"usd\", not a currency code such as USD",
                "line 1: column 3 is EUR; the file's rates are against EUR, so it has no EUR column",
                "line 1: column 5 repeats USD",
            ]
        );
        assert_eq!(
            messages(""),
            ["line 1: the file is empty; expected the ECB's header `Date,USD,JPY,…`"]
        );
        assert_eq!(
            messages("Date,USD,\n"),
            ["line 1: the header has no line of rates under it"]
        );
        assert_eq!(
            messages("\n\nDate,USD,\n2024-06-14,1.0,7\n"),
            ["line 4: cell 3 (\"7\") is under an empty header; give its column a currency code"]
        );
    }

    #[test]
    fn a_hopeless_file_lists_twenty_lines_and_counts_the_rest() {
        let mut text = String::from("Date,USD\n");
        for day in 1..=25 {
            text.push_str(&format!("2024-01-{day:02},x\n"));
        }
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors.len(), 21);
        assert_eq!(
            errors[20].message,
            "5 more lines are wrong; fix the ones above first"
        );
    }
}
