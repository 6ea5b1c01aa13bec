//! Tidy checks, as ordinary tests so `cargo test` is the whole gate: every Rust file says why it
//! exists, no trailing whitespace, no leftover debugging, the docs the README promises exist.

use std::path::{Path, PathBuf};

use crate::project::root;

fn rust_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for top in ["cli", "server", "xtask"] {
        collect(&root().join(top), &mut files);
    }
    files
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let missing: Vec<String> = rust_files()
        .into_iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|path| path.strip_prefix(root()).unwrap_or(&path).display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a `//!` module doc saying why they exist: {missing:#?}"
    );
}

#[test]
fn no_trailing_whitespace_or_debug_leftovers() {
    let mut problems = Vec::new();
    for path in rust_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (number, line) in text.lines().enumerate() {
            let place = format!(
                "{}:{}",
                path.strip_prefix(root()).unwrap_or(&path).display(),
                number + 1
            );
            if line.ends_with(' ') || line.ends_with('\t') {
                problems.push(format!("{place}: trailing whitespace"));
            }
            // The needles are split so this file does not match itself.
            if line.contains(concat!("dbg", "!(")) || line.contains(concat!("#[", "ignore")) {
                problems.push(format!("{place}: a debug macro or an ignored test"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Files that may read the wall clock: the kit's clock (the one place services get the time
/// from), and the CLI's local date and token-refresh timing (a client, not a business rule).
const WALL_CLOCK_READERS: [&str; 3] = [
    "server/kit/src/clock.rs",
    "cli/src/dates.rs",
    "cli/src/session.rs",
];

/// Where `line` reads the wall clock: a Rust call, or SQL that asks the database for the time.
fn wall_clock_read(line: &str) -> Option<&'static str> {
    // The needles are split so this file does not match itself.
    let rust = [concat!("now", "_utc("), concat!("SystemTime", "::now(")];
    let sql = [
        concat!("CURRENT", "_DATE"),
        concat!("CURRENT", "_TIMESTAMP"),
        concat!("LOCAL", "TIMESTAMP"),
        concat!("'no", "w'"),
    ];
    if let Some(needle) = rust.into_iter().chain(sql).find(|needle| line.contains(needle)) {
        return Some(needle);
    }
    // SQL's `now()`, not a method (`clock.now()`), a path (`Instant::now()`) or a definition.
    let sql_now = concat!("now", "()");
    line.match_indices(sql_now)
        .any(|(at, _)| {
            let before = line[..at].chars().next_back();
            matches!(before, Some(' ' | '(' | ',')) && !line[..at].trim_end().ends_with("fn")
        })
        .then_some(sql_now)
}

/// No business rule reads the wall clock: services get the time from the `Clock` they are
/// handed, and SQL takes it as a parameter (docs/ARCHITECTURE.md, "Time").
#[test]
fn no_business_rule_reads_the_wall_clock() {
    let mut files: Vec<PathBuf> = Vec::new();
    collect(&root().join("cli/src"), &mut files);
    for service in std::fs::read_dir(root().join("server")).unwrap().flatten() {
        if service.file_name() == "testkit" {
            continue;
        }
        collect(&service.path().join("src"), &mut files);
        let mut sql = Vec::new();
        collect_with_extension(&service.path().join("migrations"), "sql", &mut sql);
        files.extend(sql);
    }
    let mut found = Vec::new();
    for path in files {
        let relative = path.strip_prefix(root()).unwrap_or(&path).display().to_string();
        if WALL_CLOCK_READERS.contains(&relative.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        // Unit tests inside a source file may build their own times.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in code.lines().enumerate() {
            if let Some(needle) = wall_clock_read(line) {
                found.push(format!("{relative}:{}: `{needle}`", number + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "read the time from the service's `Clock` (or bind it into the SQL) instead: {found:#?}"
    );
}

#[test]
fn the_wall_clock_check_sees_what_it_must() {
    for line in [
        concat!("let today = OffsetDateTime::now", "_utc().date();"),
        concat!("VALUES ($1, $2, no", "w()) ON CONFLICT"),
        concat!("WHERE spent_on >= CURRENT", "_DATE"),
        concat!("created_at INTEGER NOT NULL DEFAULT (strftime('%s', 'no", "w'))"),
        concat!("let at = std::time::SystemTime", "::now();"),
    ] {
        assert!(wall_clock_read(line).is_some(), "{line}");
    }
    for line in [
        "let now = self.clock.now();",
        "let started = Instant::now();",
        "pub fn now(&self) -> OffsetDateTime {",
        "id: Uuid::now_v7(),",
    ] {
        assert_eq!(wall_clock_read(line), None, "{line}");
    }
}

fn collect_with_extension(dir: &Path, extension: &str, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_with_extension(&path, extension, files);
        } else if path.extension().is_some_and(|e| e == extension) {
            files.push(path);
        }
    }
}

#[test]
fn the_documents_the_readme_points_to_exist() {
    for document in [
        "README.md",
        "docs/ARCHITECTURE.md",
        "docs/configuration.md",
        "docs/cli.md",
        "docs/api/openapi.json",
        "docs/api/problems.md",
        ".ci/run",
    ] {
        assert!(root().join(document).exists(), "{document} is missing");
    }
}

#[test]
fn ci_runs_exactly_the_readme_test_command() {
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == "exec cargo xtask test"),
        ".ci/run must run `cargo xtask test`"
    );
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("cargo xtask up") && readme.contains("cargo xtask test"));
}

/// The first `cargo xtask up` on a fresh clone compiles for minutes: cargo's progress must show
/// from the first second, so the alias never silences it.
#[test]
fn the_xtask_alias_shows_cargos_progress() {
    let config = std::fs::read_to_string(root().join(".cargo/config.toml")).unwrap();
    let alias = config
        .lines()
        .find(|line| line.trim_start().starts_with("xtask ="))
        .expect("an `xtask` alias in .cargo/config.toml");
    assert!(
        alias.contains("run --package xtask") && !alias.contains("--quiet") && !alias.contains(" -q"),
        "the alias must run xtask without silencing cargo: {alias}"
    );
}

#[test]
fn every_environment_variable_is_documented() {
    let configuration = std::fs::read_to_string(root().join("docs/configuration.md")).unwrap();
    let mut missing = Vec::new();
    for path in rust_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for piece in text.split("env = \"").skip(1) {
            let name = piece.split('"').next().unwrap_or_default();
            if !configuration.contains(&format!("`{name}`")) && !missing.contains(&name.to_owned()) {
                missing.push(name.to_owned());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "variables missing from docs/configuration.md: {missing:?}"
    );
}
