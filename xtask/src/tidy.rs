//! Tidy checks, as ordinary tests so `cargo test` is the whole gate: every Rust file says why it
//! exists, no trailing whitespace, no leftover debugging, the docs the README promises exist, no
//! document points outside the repository, and every control of docs/security.md names a test
//! that exists or says it is not shown.

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

/// Every Markdown document of the repository (not `target/`, not installed packages).
fn markdown_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if !["target", "node_modules", ".git", ".terraform"]
                    .contains(&name.to_string_lossy().as_ref())
                {
                    walk(&path, files);
                }
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root(), &mut files);
    files.sort();
    files
}

/// Top-level directories whose absolute paths exist only on the machine a document was written
/// on (spelled as names, so this file names no such path itself).
const MACHINE_DIRS: &[&str] = &["work", "home", "root", "tmp"];

/// A reader has only the repository: no document may point at a file outside it, by an absolute
/// path of the machine it was written on or by a relative link that leaves the repository or
/// leads nowhere.
#[test]
fn no_document_names_a_path_outside_the_repository() {
    let mut problems = Vec::new();
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let place = |number: usize| {
            format!(
                "{}:{}",
                file.strip_prefix(root()).unwrap_or(&file).display(),
                number + 1
            )
        };
        for (number, line) in text.lines().enumerate() {
            for dir in MACHINE_DIRS {
                let machine = format!("/{dir}/");
                let mut rest = line;
                while let Some(at) = rest.find(&machine) {
                    // A path, not the end of a longer one (a directory of that name inside the
                    // repository, or a URL).
                    let before = rest[..at].chars().last();
                    if before
                        .is_none_or(|c| c == ' ' || c == '`' || c == '(' || c == '"' || c == '\'' || c == '=')
                    {
                        problems.push(format!(
                            "{}: names {machine}…, a path outside the repository",
                            place(number)
                        ));
                    }
                    rest = &rest[at + machine.len()..];
                }
            }
            let mut rest = line;
            while let Some(at) = rest.find("](") {
                let target = &rest[at + 2..];
                let end = target.find(')').unwrap_or(target.len());
                let link = target[..end].split('#').next().unwrap_or_default();
                rest = &target[end..];
                if link.is_empty() || link.contains("://") || link.starts_with("mailto:") {
                    continue;
                }
                let resolved = file.parent().unwrap().join(link);
                let inside = std::fs::canonicalize(&resolved)
                    .ok()
                    .is_some_and(|path| path.starts_with(std::fs::canonicalize(root()).unwrap()));
                if !inside {
                    problems.push(format!(
                        "{}: the link ({link}) leads outside the repository or to nothing",
                        place(number)
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The `fn` names of every Rust file.
fn function_names() -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    for path in rust_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for piece in text.split("fn ").skip(1) {
            let name: String = piece
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
        }
    }
    names
}

/// docs/security.md's table of controls: every row's "Shown by" names a test that exists (a
/// backticked test name is a function of the workspace, a backticked path a file), or says the
/// control is not shown.
#[test]
fn every_control_is_shown_by_a_test_that_exists_or_says_it_is_not() {
    let security = std::fs::read_to_string(root().join("docs/security.md")).unwrap();
    let table = security
        .split("## Controls and what they defend")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("docs/security.md has its table of controls");
    let functions = function_names();
    let mut problems = Vec::new();
    let rows: Vec<&str> = table
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| Control"))
        .collect();
    assert!(rows.len() >= 12, "{} rows", rows.len());
    for row in rows {
        let shown_by = row.trim_end_matches('|').rsplit(" | ").next().unwrap_or_default();
        let control: String = row.chars().skip(2).take(50).collect();
        let mut named_tests = 0;
        for (index, piece) in shown_by.split('`').enumerate() {
            if index % 2 == 0 {
                continue;
            }
            let looks_like_a_test = piece.matches('_').count() >= 2
                && piece
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if looks_like_a_test {
                if functions.contains(piece) {
                    named_tests += 1;
                } else {
                    problems.push(format!("{control}…: `{piece}` is no function of the workspace"));
                }
            } else if piece.contains('/')
                && piece
                    .rsplit('.')
                    .next()
                    .is_some_and(|e| ["rs", "md", "yaml", "mjs", "toml"].contains(&e))
                && !root().join(piece).exists()
            {
                problems.push(format!("{control}…: `{piece}` does not exist"));
            }
        }
        let says_not_shown = shown_by.to_ascii_lowercase().contains("not shown");
        let names_a_stage = shown_by.contains("stage");
        if named_tests == 0 && !says_not_shown && !names_a_stage {
            problems.push(format!(
                "{control}…: names no test or stage, and does not say it is not shown"
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The codemap of docs/ARCHITECTURE.md, crate by crate: the directory a `### \`dir\`` heading
/// names, and the text under it up to the next heading.
fn codemap_sections() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).expect("docs/ARCHITECTURE.md");
    let codemap = text
        .split_once("\n## Codemap\n")
        .expect("docs/ARCHITECTURE.md has a `## Codemap` section")
        .1;
    let codemap = codemap.split("\n## ").next().unwrap_or_default();
    let mut sections = Vec::new();
    for block in codemap.split("\n### ").skip(1) {
        let (heading, body) = block.split_once('\n').unwrap_or((block, ""));
        if let Some(dir) = heading.strip_prefix('`').and_then(|rest| rest.split('`').next()) {
            sections.push((dir.to_owned(), body.to_owned()));
        }
    }
    sections
}

/// The crate's top-level modules: `src/*.rs` and `src/*/` except the crate roots.
fn top_level_modules(dir: &Path) -> std::collections::BTreeSet<String> {
    let mut modules = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir.join("src")).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if path.is_dir() || (path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main") {
            modules.insert(name);
        }
    }
    modules
}

/// Names the codemap presents as modules of a crate: the first column of a module table, the
/// steps of a reading order (`a` → `b`), and the `Supporting:` lists.
fn modules_named_in(section: &str) -> std::collections::BTreeSet<String> {
    let mut named = std::collections::BTreeSet::new();
    let mut take = |token: &str| {
        let token = token.trim().trim_matches('`');
        if token.contains(' ') {
            return; // a command line or a phrase, not a module
        }
        let name = token.split(['/', ':', '(']).next().unwrap_or_default();
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            named.insert(name.to_owned());
        }
    };
    let flat = section.replace('\n', " ");
    for line in section.lines() {
        if let Some(cells) = line.strip_prefix("| `") {
            for token in cells.split('|').next().unwrap_or_default().split(',') {
                take(token);
            }
        }
    }
    // Reading orders (`a` → `b` → `c`): the name right after each arrow, and the one that starts
    // the chain (right after the sentence's colon or full stop, or at the start of the section).
    let steps: Vec<&str> = section.split('→').collect();
    for (index, step) in steps.iter().enumerate() {
        if index > 0
            && let Some(after) = step.trim_start().strip_prefix('`')
        {
            take(after.split('`').next().unwrap_or_default());
        }
        if index + 1 < steps.len() {
            let start = [": ", ". ", ":\n", ".\n", "\n\n"]
                .iter()
                .filter_map(|mark| step.rfind(mark).map(|at| at + mark.len()))
                .max()
                .unwrap_or(0);
            if let Some(first) = step[start..].trim_start().strip_prefix('`') {
                take(first.split('`').next().unwrap_or_default());
            }
        }
    }
    for (_, rest) in flat
        .match_indices("Supporting: ")
        .map(|(i, _)| flat.split_at(i + "Supporting: ".len()))
    {
        let list = rest.split(['.', ';']).next().unwrap_or_default();
        for piece in list.split(", ") {
            if let Some(name) = piece.trim().strip_prefix('`') {
                take(name.split('`').next().unwrap_or_default());
            }
        }
    }
    named
}

#[test]
fn the_codemap_names_every_crate_and_module_and_nothing_else() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let list = manifest
        .split_once("members = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .expect("Cargo.toml lists the workspace members")
        .0;
    let members: std::collections::BTreeSet<String> =
        list.split('"').skip(1).step_by(2).map(str::to_owned).collect();
    let sections = codemap_sections();
    let mapped: std::collections::BTreeSet<String> = sections
        .iter()
        .map(|(dir, _)| dir.clone())
        .filter(|dir| members.contains(dir))
        .collect();
    let mut problems: Vec<String> = members
        .difference(&mapped)
        .map(|crate_dir| format!("crate `{crate_dir}` has no `### \\`{crate_dir}\\`` section in the codemap"))
        .collect();
    for (dir, body) in &sections {
        if !members.contains(dir) {
            if body.contains("crate `") || root().join(dir).join("Cargo.toml").exists() {
                problems.push(format!(
                    "the codemap has a section for `{dir}`, which is not a workspace crate"
                ));
            }
            continue;
        }
        let modules = top_level_modules(&root().join(dir));
        for module in &modules {
            let mentioned = [
                format!("`{module}`"),
                format!("`{module}/"),
                format!("`{module}::"),
                format!("`{module} "),
            ]
            .iter()
            .any(|form| body.contains(form.as_str()));
            if !mentioned {
                problems.push(format!(
                    "`{dir}/src/{module}` is not in the codemap's `{dir}` section"
                ));
            }
        }
        let mut anywhere = Vec::new();
        collect(&root().join(dir).join("src"), &mut anywhere);
        let anywhere: std::collections::BTreeSet<String> = anywhere
            .iter()
            .flat_map(|file| file.strip_prefix(root().join(dir).join("src")).ok())
            .flat_map(|relative| {
                relative
                    .iter()
                    .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_owned())
            })
            .collect();
        for named in modules_named_in(body) {
            if !anywhere.contains(&named) {
                problems.push(format!(
                    "the codemap's `{dir}` section names a module `{named}` that `{dir}/src` does not have at any depth"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "docs/ARCHITECTURE.md's codemap is out of date:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_codemap_check_reads_tables_orders_and_lists() {
    let section = "| `config` | x |\n| `client`, `secret` | y |\n\n`domain` (valid `Email`) → `repository` (traits) → `service`\n(thin). Supporting: `keys` (Ed25519), `error` (one enum).";
    let named: Vec<String> = modules_named_in(section).into_iter().collect();
    assert_eq!(
        named,
        [
            "client",
            "config",
            "domain",
            "error",
            "keys",
            "repository",
            "secret",
            "service"
        ]
    );
}
