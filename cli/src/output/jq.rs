//! `--jq`: jq expressions evaluated in-process with jaq, so scripts need no `jq` binary.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;
use serde_json::Value;

use crate::error::{CliError, Result};

/// Runs `expression` on `input`; each output becomes one line (strings raw, like `jq -r`).
pub fn run(expression: &str, input: &Value) -> Result<Vec<String>> {
    let invalid = |detail: String| {
        CliError::usage(format!("invalid --jq expression {expression:?}: {detail}"))
            .with_hint("the syntax is jq's, for example `.[].email` or `map(.id)`")
    };
    let program = File {
        code: expression,
        path: (),
    };
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
    let funs = jaq_core::funs().chain(jaq_std::funs()).chain(jaq_json::funs());
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let modules = loader
        .load(&arena, program)
        .map_err(|errors| invalid(format!("{} parse error(s)", errors.len())))?;
    let filter = Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errors| {
            invalid(format!(
                "{} compile error(s), such as an unknown function",
                errors.len()
            ))
        })?;
    let input = jaq_json::read::parse_single(input.to_string().as_bytes())
        .map_err(|e| CliError::other(format!("cannot hand the JSON to jq: {e}")))?;
    let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
    let mut lines = Vec::new();
    for output in filter.id.run((ctx, input)).map(unwrap_valr) {
        match output {
            Ok(Val::TStr(text)) => lines.push(jaq_json::bstr(&**text).to_string()),
            Ok(other) => lines.push(other.to_string()),
            Err(error) => return Err(CliError::other(format!("--jq failed: {error}"))),
        }
    }
    Ok(lines)
}
