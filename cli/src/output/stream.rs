//! Lists printed page by page as they arrive (`expense ls --all`, `expense export`), so a large
//! export starts at once and never holds every record in memory. Formats that need every record
//! before printing (the terminal table, `--jq`) buffer instead.

use std::io::Write;

use serde_json::Value;

use super::render::tsv_line;
use super::{Column, Data, Format, OutputArgs, cell_text, render};
use crate::error::{CliError, Result};
use crate::terminal::Terminal;

enum Mode {
    Tsv,
    Csv,
    Ndjson,
    JsonArray {
        fields: Option<Vec<String>>,
        first: bool,
    },
    Buffered(Vec<Value>),
}

/// A list being printed.
pub struct ListStream<'a> {
    out: &'a mut dyn Write,
    terminal: &'a Terminal,
    options: &'a OutputArgs,
    columns: Vec<Column>,
    mode: Mode,
}

impl<'a> ListStream<'a> {
    /// Starts a list (writing a header or opening bracket where the format has one).
    pub fn start(
        out: &'a mut dyn Write,
        terminal: &'a Terminal,
        options: &'a OutputArgs,
        columns: Vec<Column>,
    ) -> Result<Self> {
        let fields = options.json.as_deref().filter(|f| !f.is_empty()).map(|f| {
            f.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        });
        let mode = if options.jq.is_some() {
            Mode::Buffered(Vec::new())
        } else if options.json.is_some() {
            Mode::JsonArray { fields, first: true }
        } else {
            match options.format.unwrap_or(if terminal.stdout_is_tty {
                Format::Table
            } else {
                Format::Tsv
            }) {
                Format::Table => Mode::Buffered(Vec::new()),
                Format::Tsv => Mode::Tsv,
                Format::Csv => Mode::Csv,
                Format::Ndjson => Mode::Ndjson,
                Format::Json => Mode::JsonArray {
                    fields: None,
                    first: true,
                },
            }
        };
        let mut stream = Self {
            out,
            terminal,
            options,
            columns,
            mode,
        };
        match &stream.mode {
            Mode::Csv => {
                let header: Vec<&str> = stream
                    .columns
                    .iter()
                    .filter(|c| c.is_data())
                    .map(|c| c.key)
                    .collect();
                stream.write_csv_row(header.iter().map(|h| (*h).to_owned()).collect())?;
            }
            Mode::JsonArray { .. } => stream.out.write_all(b"[")?,
            _ => {}
        }
        Ok(stream)
    }

    /// Prints one page of records.
    pub fn page(&mut self, records: Vec<Value>) -> Result<()> {
        let columns = self.columns.clone();
        match &mut self.mode {
            Mode::Buffered(all) => all.extend(records),
            Mode::Tsv => {
                for record in Data::list(columns.clone(), records).records {
                    writeln!(self.out, "{}", tsv_line(&columns, &record))?;
                }
            }
            Mode::Ndjson => {
                for record in records {
                    writeln!(self.out, "{record}")?;
                }
            }
            Mode::Csv => {
                for record in Data::list(columns.clone(), records).records {
                    let cells = columns
                        .iter()
                        .filter(|c| c.is_data())
                        .map(|c| cell_text(record.get(c.key)))
                        .collect();
                    self.write_csv_row(cells)?;
                }
            }
            Mode::JsonArray { fields, first } => {
                let picked = Data::list(columns, records).to_json(fields.as_deref())?;
                for item in picked.as_array().into_iter().flatten() {
                    if !*first {
                        self.out.write_all(b",")?;
                    }
                    *first = false;
                    write!(self.out, "\n  {item}")?;
                }
            }
        }
        self.out.flush()?;
        Ok(())
    }

    /// Ends the list.
    pub fn finish(self) -> Result<()> {
        match self.mode {
            Mode::Buffered(all) => render(
                self.out,
                self.terminal,
                self.options,
                &Data::list(self.columns, all),
            ),
            Mode::JsonArray { first, .. } => {
                self.out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn write_csv_row(&mut self, cells: Vec<String>) -> Result<()> {
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(&mut *self.out);
        writer.write_record(cells).map_err(CliError::from)?;
        writer.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::column;
    use serde_json::json;

    fn streamed(options: OutputArgs, tty: bool) -> String {
        let mut out = Vec::new();
        let terminal = Terminal::for_tests(tty);
        let columns = vec![column("id", "ID"), column("name", "Name")];
        let mut stream = ListStream::start(&mut out, &terminal, &options, columns).unwrap();
        stream
            .page(vec![json!({"id": 1, "name": "a"}), json!({"id": 2, "name": "b"})])
            .unwrap();
        stream.page(vec![json!({"id": 3, "name": "c,d"})]).unwrap();
        stream.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn pages_stream_in_every_machine_format() {
        assert_eq!(streamed(OutputArgs::default(), false), "1\ta\n2\tb\n3\tc,d\n");
        let csv = OutputArgs {
            format: Some(Format::Csv),
            ..OutputArgs::default()
        };
        assert_eq!(streamed(csv, false), "id,name\n1,a\n2,b\n3,\"c,d\"\n");
        let json: Value = serde_json::from_str(&streamed(
            OutputArgs {
                json: Some(String::new()),
                ..OutputArgs::default()
            },
            false,
        ))
        .unwrap();
        assert_eq!(json.as_array().unwrap().len(), 3);
        let fields: Value = serde_json::from_str(&streamed(
            OutputArgs {
                json: Some("id".into()),
                ..OutputArgs::default()
            },
            false,
        ))
        .unwrap();
        assert_eq!(fields, json!([{"id": 1}, {"id": 2}, {"id": 3}]));
        let ndjson = OutputArgs {
            format: Some(Format::Ndjson),
            ..OutputArgs::default()
        };
        assert_eq!(streamed(ndjson, false).lines().count(), 3);
        let jq = OutputArgs {
            jq: Some("map(.id) | add".into()),
            ..OutputArgs::default()
        };
        assert_eq!(streamed(jq, false), "6\n");
        assert!(streamed(OutputArgs::default(), true).contains("Name"));
    }
}
