//! Turning [`Data`] into bytes on stdout, in the form the options and the terminal call for.

use std::io::Write;

use comfy_table::{ContentArrangement, Table, presets};
use serde_json::Value;

use super::{Data, Format, OutputArgs, Shape, cell_text, jq};
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
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| CliError::other(e.to_string()))?;
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

fn write_tsv(out: &mut dyn Write, data: &Data) -> Result<()> {
    match data.shape {
        Shape::List => {
            for record in &data.records {
                let cells: Vec<String> = data
                    .columns
                    .iter()
                    .map(|c| tsv_escape(&cell_text(record.get(c.key))))
                    .collect();
                writeln!(out, "{}", cells.join("\t"))?;
            }
        }
        Shape::Item => {
            for column in &data.columns {
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
    let csv_error = |e: csv::Error| CliError::other(e.to_string());
    writer
        .write_record(data.columns.iter().map(|c| c.key))
        .map_err(csv_error)?;
    for record in &data.records {
        writer
            .write_record(data.columns.iter().map(|c| cell_text(record.get(c.key))))
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
            for record in &data.records {
                table.add_row(
                    data.columns
                        .iter()
                        .map(|c| for_people(cell_text(record.get(c.key)))),
                );
            }
        }
        Shape::Item => {
            for column in &data.columns {
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

/// On a terminal, timestamps read better to the minute: `2026-11-26 19:08 UTC`. Machine
/// formats keep the full RFC 3339 value.
fn for_people(text: String) -> String {
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
}
