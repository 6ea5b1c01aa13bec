//! The output layer: commands hand it data, it decides how the data looks.
//!
//! - on a terminal: an aligned table (lists) or `key  value` lines (single items), sized to the
//!   terminal, colour only where `NO_COLOR` is unset;
//! - piped: tab-separated values, no header, never truncated or coloured, one record per line, so
//!   `cut`, `sort` and `awk` work; single items print `key<TAB>value` lines;
//! - `--json [FIELDS]`: the API's JSON (all fields, or only the named ones), pretty-printed;
//!   `--jq EXPR` filters that JSON in-process (strings print raw, as `jq -r` does);
//! - `--format csv|tsv|json|ndjson`: CSV has a header row; TSV is the piped form; NDJSON is one
//!   object per line.

pub mod jq;
mod render;
mod stream;

use clap::ValueEnum;
use serde_json::{Map, Value};

pub use render::render;
pub use stream::ListStream;

use crate::error::{CliError, Result};

/// Output options, flattened into every command that prints data.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Print JSON; with FIELDS (comma-separated), only those fields.
    #[arg(long, value_name = "FIELDS", num_args = 0..=1, default_missing_value = "")]
    pub json: Option<String>,

    /// Filter the JSON output with a jq expression, such as `.[].email`.
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,

    /// Output format (default: a table on a terminal, TSV when piped).
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<Format>,
}

/// An explicit output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The aligned table shown on a terminal.
    Table,
    /// Tab-separated values, no header.
    Tsv,
    /// Comma-separated values with a header row.
    Csv,
    /// Pretty-printed JSON.
    Json,
    /// One JSON object per line.
    Ndjson,
}

/// A column of the table and TSV forms: which field, under which header, drawn how.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub header: &'static str,
    pub kind: ColumnKind,
}

/// How a column is drawn in the terminal table (machine formats print the field as is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    /// Right-aligned (amounts, counts).
    Number,
    /// A bar proportional to the decimal field `of`, scaled against the largest value among
    /// records with the same `per` field (bars of different currencies are never compared).
    /// Only in the terminal table; absent from every machine format.
    Bar {
        of: &'static str,
        per: &'static str,
    },
    /// A bar showing the whole-percent field `of` against 100 % (over 100 % fills it and is
    /// marked). Only in the terminal table.
    Gauge {
        of: &'static str,
    },
}

pub const fn column(key: &'static str, header: &'static str) -> Column {
    Column {
        key,
        header,
        kind: ColumnKind::Text,
    }
}

pub const fn number(key: &'static str, header: &'static str) -> Column {
    Column {
        key,
        header,
        kind: ColumnKind::Number,
    }
}

pub const fn bar(of: &'static str, per: &'static str) -> Column {
    Column {
        key: "",
        header: "",
        kind: ColumnKind::Bar { of, per },
    }
}

pub const fn gauge(of: &'static str) -> Column {
    Column {
        key: "",
        header: "",
        kind: ColumnKind::Gauge { of },
    }
}

impl Column {
    /// Whether machine formats include this column.
    pub fn is_data(&self) -> bool {
        !matches!(self.kind, ColumnKind::Bar { .. } | ColumnKind::Gauge { .. })
    }
}

/// Whether the data is a list or one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    List,
    Item,
}

/// What a command prints: JSON records (as the API gives them) and the columns to show.
#[derive(Debug, Clone)]
pub struct Data {
    pub shape: Shape,
    pub columns: Vec<Column>,
    pub records: Vec<Map<String, Value>>,
    /// How many of the last records are totals: drawn without bars and not scaling them.
    pub totals: usize,
}

impl Data {
    /// A list of records.
    pub fn list(columns: Vec<Column>, records: Vec<Value>) -> Self {
        Self {
            shape: Shape::List,
            columns,
            records: records.into_iter().map(into_object).collect(),
            totals: 0,
        }
    }

    /// Marks the last `count` records as totals.
    pub fn with_totals(mut self, count: usize) -> Self {
        self.totals = count.min(self.records.len());
        self
    }

    /// One record.
    pub fn item(columns: Vec<Column>, record: Value) -> Self {
        Self {
            shape: Shape::Item,
            columns,
            records: vec![into_object(record)],
            totals: 0,
        }
    }

    /// Serialises `value` (a struct from `expense_api`) and wraps it as one record.
    pub fn item_of<T: serde::Serialize>(columns: Vec<Column>, value: &T) -> Self {
        Self::item(columns, serde_json::to_value(value).expect("API types serialise"))
    }

    /// Serialises each value and wraps them as a list.
    pub fn list_of<T: serde::Serialize>(columns: Vec<Column>, values: &[T]) -> Self {
        Self::list(
            columns,
            values
                .iter()
                .map(|v| serde_json::to_value(v).expect("API types serialise"))
                .collect(),
        )
    }

    /// The JSON form, keeping only `fields` when given.
    pub fn to_json(&self, fields: Option<&[String]>) -> Result<Value> {
        let pick = |record: &Map<String, Value>| -> Result<Value> {
            let Some(fields) = fields else {
                return Ok(Value::Object(record.clone()));
            };
            let mut picked = Map::new();
            for field in fields {
                match record.get(field) {
                    Some(value) => {
                        picked.insert(field.clone(), value.clone());
                    }
                    None if self.known_field(field) => {
                        picked.insert(field.clone(), Value::Null);
                    }
                    None => {
                        return Err(
                            CliError::usage(format!("unknown JSON field {field:?}")).with_hint(format!(
                                "available fields: {}",
                                self.available_fields().join(", ")
                            )),
                        );
                    }
                }
            }
            Ok(Value::Object(picked))
        };
        match self.shape {
            Shape::Item => pick(&self.records[0]),
            Shape::List => Ok(Value::Array(
                self.records.iter().map(pick).collect::<Result<_>>()?,
            )),
        }
    }

    fn known_field(&self, field: &str) -> bool {
        self.columns.iter().any(|c| c.is_data() && c.key == field)
            || self.records.iter().any(|r| r.contains_key(field))
    }

    /// Every field name a record has, for `--json` hints.
    pub fn available_fields(&self) -> Vec<String> {
        let mut fields: Vec<String> = self
            .columns
            .iter()
            .filter(|c| c.is_data())
            .map(|c| c.key.to_owned())
            .collect();
        for record in &self.records {
            for key in record.keys() {
                if !fields.contains(key) {
                    fields.push(key.clone());
                }
            }
        }
        fields
    }
}

fn into_object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => {
            let mut map = Map::new();
            map.insert("value".to_owned(), other);
            map
        }
    }
}

/// A cell's text: strings as they are, `null` as empty, arrays joined with commas.
pub fn cell_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| cell_text(Some(item)))
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => other.to_string(),
    }
}
