//! The committed completion scripts under `completions/` and man pages under `docs/man/` match
//! the CLI.

use std::path::PathBuf;

/// The committed file for each shell.
const FILES: [(&str, &str); 3] = [
    ("bash", "expense.bash"),
    ("zsh", "_expense"),
    ("fish", "expense.fish"),
];

#[tokio::test]
async fn committed_completions_are_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../completions");
    for (shell, file) in FILES {
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_expense"))
            .args(["completions", shell])
            .output()
            .await
            .unwrap();
        assert!(output.status.success());
        let committed = std::fs::read(dir.join(file)).unwrap_or_default();
        assert!(
            committed == output.stdout,
            "completions/{file} is stale: run `cargo xtask completions` and commit the result"
        );
    }
}

#[tokio::test]
async fn committed_man_pages_are_current() {
    let committed_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/man");
    let fresh = tempfile::tempdir().unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_expense"))
        .arg("man-pages")
        .arg(fresh.path())
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let names = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    let stale = "docs/man/ is stale: run `cargo xtask codegen` and commit the result";
    let fresh_names = names(fresh.path());
    assert_eq!(names(&committed_dir), fresh_names, "{stale}");
    for name in &fresh_names {
        assert!(
            std::fs::read(committed_dir.join(name)).unwrap()
                == std::fs::read(fresh.path().join(name)).unwrap(),
            "docs/man/{name}: {stale}"
        );
    }
    for page in [
        "expense.1",
        "expense-export.1",
        "expense-budget-set.1",
        "expense-dates.7",
        "expense-exit-codes.7",
    ] {
        assert!(
            fresh_names.iter().any(|n| n == page),
            "{page} missing from {fresh_names:?}"
        );
    }
    let export = std::fs::read_to_string(fresh.path().join("expense-export.1")).unwrap();
    assert!(
        export.contains("hledger"),
        "the man page carries the examples: {export}"
    );
}
