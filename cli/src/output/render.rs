//! Turning [`Data`] into bytes on stdout, in the form the options and the terminal call for.

use std::io::Write;

use comfy_table::{ContentArrangement, Table, presets};
use serde_json::{Map, Value};

use super::{Column, ColumnKind, Data, Format, OutputArgs, Shape, cell_text, jq};
use crate::error::{CliError, Result};
use crate::terminal::Terminal;

/// Writes `data` to `out` as `options` and `terminal` call for.
pub fn render(out: &mut dyn Write, terminal: &Terminal, options: &OutputArgs, data: &Data) -> Result<()> {
    let fields = options
        .json
        .as_deref()
        .filter(|f| !f.is_empty())
        .map(parse_fields);
    if let Some(expression) = &options.jq {
        let value = data.to_json(fields.as_deref())?;
        for line in jq::run(expression, &value)? {
            writeln!(out, "{line}")?;
        }
        return Ok(());
    }
    if options.json.is_some() {
        return write_json(out, &data.to_json(fields.as_deref())?);
    }
    let format = options.format.unwrap_or(if terminal.stdout_is_tty {
        Format::Table
    } else {
        Format::Tsv
    });
    match format {
        Format::Json => write_json(out, &data.to_json(None)?),
        Format::Ndjson => {
            for record in &data.records {
                writeln!(out, "{}", Value::Object(record.clone()))?;
            }
            Ok(())
        }
        Format::Csv => write_csv(out, data),
        Format::Tsv => write_tsv(out, data),
        Format::Table => write_table(out, terminal, data),
    }
}

fn parse_fields(fields: &str) -> Vec<String> {
    fields
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect()
}

fn write_json(out: &mut dyn Write, value: &Value) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// TSV cells keep everything; tabs, newlines and backslashes are escaped so one record stays one
/// line.
fn tsv_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '\t' => escaped.push_str("\\t"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// One TSV line of a list record.
pub(super) fn tsv_line(columns: &[Column], record: &Map<String, Value>) -> String {
    let cells: Vec<String> = columns
        .iter()
        .filter(|c| c.is_data())
        .map(|c| tsv_escape(&cell_text(record.get(c.key))))
        .collect();
    cells.join("\t")
}

fn write_tsv(out: &mut dyn Write, data: &Data) -> Result<()> {
    match data.shape {
        Shape::List => {
            for record in &data.records {
                writeln!(out, "{}", tsv_line(&data.columns, record))?;
            }
        }
        Shape::Item => {
            for column in data.columns.iter().filter(|c| c.is_data()) {
                writeln!(
                    out,
                    "{}\t{}",
                    column.key,
                    tsv_escape(&cell_text(data.records[0].get(column.key)))
                )?;
            }
        }
    }
    Ok(())
}

fn write_csv(out: &mut dyn Write, data: &Data) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let csv_error = CliError::from;
    let columns: Vec<&Column> = data.columns.iter().filter(|c| c.is_data()).collect();
    writer
        .write_record(columns.iter().map(|c| c.key))
        .map_err(csv_error)?;
    for record in &data.records {
        writer
            .write_record(columns.iter().map(|c| cell_text(record.get(c.key))))
            .map_err(csv_error)?;
    }
    writer.flush()?;
    Ok(())
}

fn write_table(out: &mut dyn Write, terminal: &Terminal, data: &Data) -> Result<()> {
    if data.shape == Shape::List && data.records.is_empty() {
        writeln!(out, "No results.")?;
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(terminal.width);
    match data.shape {
        Shape::List => {
            table.set_header(data.columns.iter().map(|c| terminal.bold(c.header)));
            let bars = bar_widths(data);
            for (index, record) in data.records.iter().enumerate() {
                table.add_row(data.columns.iter().map(|c| match c.kind {
                    ColumnKind::Bar { .. } => draw_bar(bars[index]),
                    ColumnKind::Gauge { of } => draw_gauge(&cell_text(record.get(of))),
                    _ => for_people(cell_text(record.get(c.key))),
                }));
            }
            for (position, column) in data.columns.iter().enumerate() {
                if column.kind == ColumnKind::Number
                    && let Some(table_column) = table.column_mut(position)
                {
                    table_column.set_cell_alignment(comfy_table::CellAlignment::Right);
                }
            }
        }
        Shape::Item => {
            for column in data.columns.iter().filter(|c| c.is_data()) {
                table.add_row(vec![
                    terminal.dim(column.header),
                    for_people(cell_text(data.records[0].get(column.key))),
                ]);
            }
        }
    }
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Widest bar, in eighths of a character cell.
const BAR_EIGHTHS: i64 = 24 * 8;

/// Each record's bar length in eighths of a cell, scaled within its group (`per`). Integer
/// arithmetic on the decimal strings: no float ever touches an amount, even for drawing.
fn bar_widths(data: &Data) -> Vec<i64> {
    let Some((of, per)) = data.columns.iter().find_map(|c| match c.kind {
        ColumnKind::Bar { of, per } => Some((of, per)),
        _ => None,
    }) else {
        return vec![0; data.records.len()];
    };
    let value = |record: &Map<String, Value>| {
        expense_api::money::parse_scaled(&cell_text(record.get(of)), 4)
            .unwrap_or(0)
            .max(0)
    };
    let group = |record: &Map<String, Value>| cell_text(record.get(per));
    let scaled = data.records.len() - data.totals;
    let body = &data.records[..scaled];
    data.records
        .iter()
        .enumerate()
        .map(|(index, record)| {
            if index >= scaled {
                return 0;
            }
            let largest = body
                .iter()
                .filter(|other| group(other) == group(record))
                .map(value)
                .max()
                .unwrap_or(0);
            if largest == 0 {
                0
            } else {
                i64::try_from(i128::from(value(record)) * i128::from(BAR_EIGHTHS) / i128::from(largest))
                    .unwrap_or(0)
            }
        })
        .collect()
}

/// A percent as a bar against 100 %; over budget fills the bar and adds a mark.
fn draw_gauge(percent: &str) -> String {
    let percent: i64 = percent.parse().unwrap_or(0);
    let bar = draw_bar(percent.clamp(0, 100) * BAR_EIGHTHS / 100);
    if percent > 100 { format!("{bar} !") } else { bar }
}

fn draw_bar(eighths: i64) -> String {
    const PARTIAL: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let full = usize::try_from(eighths / 8).unwrap_or(0);
    let rest = usize::try_from(eighths % 8).unwrap_or(0);
    format!("{}{}", "█".repeat(full), PARTIAL[rest])
}

/// On a terminal, timestamps read better to the minute: `2026-11-26 19:08 UTC`. Machine
/// formats keep the full RFC 3339 value.
pub(super) fn for_people(text: String) -> String {
    use time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(&text, &Rfc3339) {
        Ok(at) => {
            let at = at.to_offset(time::UtcOffset::UTC);
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                at.year(),
                u8::from(at.month()),
                at.day(),
                at.hour(),
                at.minute()
            )
        }
        Err(_) => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::column;
    use serde_json::json;

    fn data() -> Data {
        Data::list(
            vec![column("email", "EMAIL"), column("note", "NOTE")],
            vec![
                json!({"email": "ada@example.com", "note": "tab\there", "id": 1}),
                json!({"email": "bob@example.com", "note": null, "id": 2}),
            ],
        )
    }

    fn rendered(options: OutputArgs, tty: bool) -> String {
        let mut out = Vec::new();
        let terminal = Terminal::for_tests(tty);
        render(&mut out, &terminal, &options, &data()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn piped_output_is_tsv_without_header_and_escaped() {
        assert_eq!(
            rendered(OutputArgs::default(), false),
            "ada@example.com\ttab\\there\nbob@example.com\t\n"
        );
    }

    #[test]
    fn terminal_output_is_an_aligned_table() {
        let table = rendered(OutputArgs::default(), true);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].contains("EMAIL") && lines[0].contains("NOTE"), "{table}");
        assert!(lines[1].contains("ada@example.com"));
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn json_fields_select_and_unknown_fields_are_usage_errors() {
        let options = OutputArgs {
            json: Some("id,email".into()),
            ..OutputArgs::default()
        };
        let value: Value = serde_json::from_str(&rendered(options, false)).unwrap();
        assert_eq!(
            value,
            json!([{"id": 1, "email": "ada@example.com"}, {"id": 2, "email": "bob@example.com"}])
        );
        let mut out = Vec::new();
        let options = OutputArgs {
            json: Some("nope".into()),
            ..OutputArgs::default()
        };
        let error = render(&mut out, &Terminal::for_tests(false), &options, &data()).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(error.hint.unwrap().contains("email, note, id"));
    }

    #[test]
    fn jq_filters_and_prints_strings_raw() {
        let options = OutputArgs {
            jq: Some(".[] | .email".into()),
            ..OutputArgs::default()
        };
        assert_eq!(rendered(options, true), "ada@example.com\nbob@example.com\n");
        let options = OutputArgs {
            jq: Some("map(.id)".into()),
            ..OutputArgs::default()
        };
        assert_eq!(rendered(options, false), "[1,2]\n");
    }

    #[test]
    fn terminal_timestamps_are_shortened_but_machine_formats_keep_them() {
        assert_eq!(
            for_people("2026-11-26T19:08:59.418868Z".into()),
            "2026-11-26 19:08 UTC"
        );
        assert_eq!(for_people("groceries".into()), "groceries");
    }

    #[test]
    fn csv_and_ndjson() {
        let options = OutputArgs {
            format: Some(Format::Csv),
            ..OutputArgs::default()
        };
        assert_eq!(
            rendered(options, true),
            "email,note\nada@example.com,tab\there\nbob@example.com,\n"
        );
        let options = OutputArgs {
            format: Some(Format::Ndjson),
            ..OutputArgs::default()
        };
        let lines = rendered(options, true);
        assert_eq!(lines.lines().count(), 2);
        assert_eq!(
            serde_json::from_str::<Value>(lines.lines().next().unwrap()).unwrap()["id"],
            1
        );
    }

    /// A table rendered on a colour terminal of `width` columns, and the same without colour.
    fn in_colour_and_plain(data: &Data, width: u16) -> (String, String) {
        let draw = |color: bool| {
            let terminal = Terminal {
                color,
                width,
                ..Terminal::for_tests(true)
            };
            let mut out = Vec::new();
            render(&mut out, &terminal, &OutputArgs::default(), data).unwrap();
            String::from_utf8(out).unwrap()
        };
        (draw(true), draw(false))
    }

    /// Bold headers and dim labels are measured by what shows: with the escape codes taken out,
    /// the coloured table is the plain one, character for character, at any width.
    #[test]
    fn colour_does_not_move_the_columns() {
        use crate::output::{bar, gauge, number};
        let list = Data::list(
            vec![
                column("category", "Category"),
                number("amount", "Amount"),
                column("currency", "Currency"),
                bar("amount", "currency"),
                gauge("percent"),
            ],
            vec![
                json!({"category": "groceries", "amount": "1234.50", "currency": "EUR", "percent": 70}),
                json!({"category": "rent", "amount": "900.00", "currency": "EUR", "percent": 130}),
                json!({"category": "a very long category name that has to wrap somewhere", "amount": "1.00", "currency": "JPY", "percent": 5}),
            ],
        );
        let item = Data::item(
            vec![column("email", "Email"), column("role", "Role")],
            json!({"email": "ada@example.com", "role": "admin"}),
        );
        for data in [&list, &item] {
            for width in [200, 100, 60, 40] {
                let (coloured, plain) = in_colour_and_plain(data, width);
                assert!(coloured.contains('\u{1b}'), "colour is on:\n{coloured}");
                assert_eq!(
                    console::strip_ansi_codes(&coloured),
                    plain,
                    "at {width} columns:\n{coloured}"
                );
            }
        }
    }
}
