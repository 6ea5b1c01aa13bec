//! The committed completion scripts under `completions/` match the CLI.

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
