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
