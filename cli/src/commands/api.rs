//! `expense api [METHOD] PATH`: a raw, authenticated call, like `gh api`, for whatever the
//! commands do not cover. It goes through the same client as every command: the stored session
//! (refreshed when the server refuses its token) or `EXPENSE_TOKEN`, the same retries for
//! requests that are safe to repeat, and `--jq` from the output layer.
//!
//! Fields: `-f key=value` is a string; `-F key=value` is typed (`true`, `false`, `null` and
//! integers become JSON values, `@FILE` the file's text, `@-` standard input); `key[sub]=v`
//! nests and `key[]=v` appends to a list. Fields form the JSON body, or the query string for
//! `GET`, `HEAD` and `DELETE` and whenever `--input` gives the body. Money stays a string:
//! `-F amount=12.50` is `"12.50"`.
//!
//! The answer's body is printed (JSON pretty-printed, or filtered by `--jq`); an error answer is
//! printed too, and the exit code says it failed (1, or 4 when the credentials were refused).

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::Args;
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value};

use crate::client::Body;
use crate::context::Context;
use crate::error::{CliError, ErrorKind, Result};

#[derive(Debug, Args)]
pub struct ApiArgs {
    /// The method and the path (`GET /v1/me`), or only the path: then GET, or POST when fields
    /// or --input give a body.
    #[arg(required = true, num_args = 1..=2, value_names = ["METHOD", "PATH"])]
    pub target: Vec<String>,
    /// A typed field: true, false, null and integers become JSON values, @FILE the file's text.
    #[arg(short = 'F', long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
    /// A string field.
    #[arg(short = 'f', long = "raw-field", value_name = "KEY=VALUE")]
    pub raw_fields: Vec<String>,
    /// The request body from a file (`-` for standard input); fields then go to the query.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// An extra request header (repeatable): `-H 'If-Match: 3'`.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// Print the status line and the response headers before the body.
    #[arg(short = 'i', long)]
    pub include: bool,
    /// Filter the JSON answer with a jq expression (strings printed raw).
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,
}

pub async fn run(context: &mut Context, args: ApiArgs) -> Result<()> {
    let (method, path) = match args.target.as_slice() {
        [method, path] => (
            method
                .to_uppercase()
                .parse::<Method>()
                .map_err(|_| CliError::usage(format!("{method:?} is not an HTTP method")))?,
            path.clone(),
        ),
        [path] => {
            let has_body = args.input.is_some() || !args.fields.is_empty() || !args.raw_fields.is_empty();
            (if has_body { Method::POST } else { Method::GET }, path.clone())
        }
        _ => return Err(CliError::usage("give METHOD PATH, or PATH")),
    };
    if !path.starts_with('/') {
        return Err(CliError::usage(format!(
            "the path {path:?} must start with /, such as /v1/me"
        )));
    }
    let mut fields = Map::new();
    for raw in &args.raw_fields {
        let (key, value) = split_pair(raw, '=', "-f")?;
        insert(&mut fields, key, Value::String(value.to_owned()))?;
    }
    for typed in &args.fields {
        let (key, value) = split_pair(typed, '=', "-F")?;
        insert(&mut fields, key, typed_value(value)?)?;
    }
    let mut headers = Vec::new();
    for header in &args.headers {
        let (name, value) = split_pair(header, ':', "-H")?;
        headers.push((name.trim(), value.trim().to_owned()));
    }
    let input = match &args.input {
        Some(file) => Some(read_input(file)?),
        None => None,
    };
    let fields_in_query = input.is_some() || matches!(method, Method::GET | Method::HEAD | Method::DELETE);
    let mut target = path.clone();
    if fields_in_query && !fields.is_empty() {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in &fields {
            match value {
                Value::String(text) => query.append_pair(key, text),
                other => query.append_pair(key, &other.to_string()),
            };
        }
        target.push(if target.contains('?') { '&' } else { '?' });
        target.push_str(&query.finish());
    }
    let json_body = Value::Object(fields);
    let body = match &input {
        Some(bytes) => Some(Body::Raw(bytes)),
        None if !fields_in_query && !json_body.as_object().is_some_and(Map::is_empty) => {
            Some(Body::Json(&json_body))
        }
        None => None,
    };
    let response = if context.credentials()?.is_some() {
        context
            .authorized()?
            .send_body(method.clone(), &target, body, &headers)
            .await?
    } else {
        context
            .api
            .send_body(method.clone(), &target, body, None, &headers)
            .await?
    };
    let status = response.status();
    if args.include {
        writeln!(context.out, "HTTP/1.1 {status}")?;
        for (name, value) in response.headers() {
            writeln!(context.out, "{name}: {}", value.to_str().unwrap_or("(binary)"))?;
        }
        writeln!(context.out)?;
    }
    let bytes = response
        .bytes()
        .await
        .map_err(|e| CliError::new(ErrorKind::Network, format!("the answer could not be read: {e}")))?;
    let parsed: Option<Value> = serde_json::from_slice(&bytes).ok();
    match (&parsed, &args.jq) {
        (Some(value), Some(expression)) if status.is_success() => {
            for line in crate::output::jq::run(expression, value)? {
                writeln!(context.out, "{line}")?;
            }
        }
        (Some(value), _) => {
            serde_json::to_writer_pretty(&mut context.out, value)?;
            writeln!(context.out)?;
        }
        (None, Some(_)) if !bytes.is_empty() && status.is_success() => {
            return Err(CliError::other("--jq: the answer is not JSON"));
        }
        (None, _) => context.out.write_all(&bytes)?,
    }
    context.out.flush()?;
    if status.is_success() {
        return Ok(());
    }
    let detail = parsed
        .as_ref()
        .and_then(|v| v["detail"].as_str())
        .map(|d| format!(": {d}"))
        .unwrap_or_default();
    let kind = if status == StatusCode::UNAUTHORIZED {
        ErrorKind::Auth
    } else {
        ErrorKind::Server
    };
    let error = CliError::new(kind, format!("HTTP {}{detail}", status.as_u16()));
    Err(if kind == ErrorKind::Auth {
        error.with_hint("run `expense login`, or set EXPENSE_TOKEN")
    } else {
        error
    })
}

fn split_pair<'a>(text: &'a str, separator: char, flag: &str) -> Result<(&'a str, &'a str)> {
    text.split_once(separator)
        .filter(|(key, _)| !key.trim().is_empty())
        .ok_or_else(|| CliError::usage(format!("{flag} {text:?} is not KEY{separator}VALUE")))
}

/// A `-F` value: JSON literals and integers typed, `@FILE` read, anything else a string.
fn typed_value(text: &str) -> Result<Value> {
    Ok(match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ if text.parse::<i64>().is_ok() => Value::from(text.parse::<i64>().expect("checked")),
        _ => match text.strip_prefix('@') {
            Some(file) => {
                let bytes = read_input(&PathBuf::from(file))?;
                Value::String(
                    String::from_utf8(bytes)
                        .map_err(|_| CliError::usage(format!("-F {text}: the file is not UTF-8 text")))?,
                )
            }
            None => Value::String(text.to_owned()),
        },
    })
}

/// A file's bytes, `-` for standard input.
fn read_input(file: &PathBuf) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if file.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(file)
            .map_err(|e| CliError::usage(format!("cannot read {}: {e}", file.display())))?;
    }
    Ok(bytes)
}

/// Puts `value` at `key` (`a`, `a[b]`, `a[]`, `a[b][]`…) in `fields`.
fn insert(fields: &mut Map<String, Value>, key: &str, value: Value) -> Result<()> {
    let bad = || CliError::usage(format!("field name {key:?}: write name, name[key] or name[]"));
    let (head, rest) = match key.find('[') {
        Some(at) => (&key[..at], &key[at..]),
        None => (key, ""),
    };
    let mut segments = Vec::new();
    let mut rest = rest;
    while !rest.is_empty() {
        let close = rest.find(']').filter(|_| rest.starts_with('[')).ok_or_else(bad)?;
        segments.push(&rest[1..close]);
        rest = &rest[close + 1..];
    }
    let mut slot = fields.entry(head.trim().to_owned()).or_insert(Value::Null);
    for segment in segments {
        if segment.is_empty() {
            if slot.is_null() {
                *slot = Value::Array(Vec::new());
            }
            let list = slot.as_array_mut().ok_or_else(bad)?;
            list.push(Value::Null);
            slot = list.last_mut().expect("just pushed");
        } else {
            if slot.is_null() {
                *slot = Value::Object(Map::new());
            }
            slot = slot
                .as_object_mut()
                .ok_or_else(bad)?
                .entry(segment.to_owned())
                .or_insert(Value::Null);
        }
    }
    *slot = value;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_nest_and_type() {
        let mut fields = Map::new();
        insert(&mut fields, "amount", typed_value("12.50").unwrap()).unwrap();
        insert(&mut fields, "tags[]", Value::String("food".into())).unwrap();
        insert(&mut fields, "tags[]", Value::String("home".into())).unwrap();
        insert(&mut fields, "limit", typed_value("5").unwrap()).unwrap();
        insert(
            &mut fields,
            "settings[monthly_summary]",
            typed_value("true").unwrap(),
        )
        .unwrap();
        assert_eq!(
            Value::Object(fields),
            json!({"amount": "12.50", "tags": ["food", "home"], "limit": 5, "settings": {"monthly_summary": true}})
        );
        assert!(insert(&mut Map::new(), "a[b", Value::Null).is_err());
        assert!(split_pair("novalue", '=', "-f").is_err());
    }
}
