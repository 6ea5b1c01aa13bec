//! Regenerating committed generated files. Tests fail when these are stale, so the fix for such
//! a failure is always `cargo xtask codegen` and a commit.

use crate::project::{cargo, output, root, run_checked, step};

/// Shell → file under `completions/`.
const COMPLETIONS: [(&str, &str); 3] = [
    ("bash", "expense.bash"),
    ("zsh", "_expense"),
    ("fish", "expense.fish"),
];

pub fn all() -> anyhow::Result<()> {
    openapi()?;
    event_schemas()?;
    completions()?;
    man_pages()?;
    crate::postman::write(&crate::npm::ensure()?)
}

/// `docs/man/*` from `expense man-pages DIR`, replacing what was there.
pub fn man_pages() -> anyhow::Result<()> {
    step("Regenerating docs/man/");
    run_checked(
        cargo().args(["build", "--locked", "-q", "-p", "expense"]),
        "cargo build",
    )?;
    let directory = root().join("docs/man");
    if directory.exists() {
        std::fs::remove_dir_all(&directory)?;
    }
    run_checked(
        std::process::Command::new(root().join("target/debug/expense"))
            .arg("man-pages")
            .arg(&directory),
        "expense man-pages",
    )
}

/// `docs/events/*.schema.json` from `expense-server event-schemas`.
pub fn event_schemas() -> anyhow::Result<()> {
    step("Regenerating docs/events/*.schema.json");
    run_checked(
        cargo().args(["build", "--locked", "-q", "-p", "expense-server"]),
        "cargo build",
    )?;
    run_checked(
        std::process::Command::new(root().join("target/debug/expense-server"))
            .args(["event-schemas", "--out"])
            .arg(root().join("docs/events")),
        "expense-server event-schemas",
    )
}

/// `docs/api/openapi.json` from `expense-server openapi`.
pub fn openapi() -> anyhow::Result<()> {
    step("Regenerating docs/api/openapi.json");
    run_checked(
        cargo().args(["build", "--locked", "-q", "-p", "expense-server"]),
        "cargo build",
    )?;
    let document = output(
        std::process::Command::new(root().join("target/debug/expense-server")).arg("openapi"),
        "expense-server openapi",
    )?;
    std::fs::write(root().join("docs/api/openapi.json"), document)?;
    Ok(())
}

/// `completions/*` from `expense completions SHELL`.
pub fn completions() -> anyhow::Result<()> {
    step("Regenerating completions/");
    run_checked(
        cargo().args(["build", "--locked", "-q", "-p", "expense"]),
        "cargo build",
    )?;
    let directory = root().join("completions");
    std::fs::create_dir_all(&directory)?;
    for (shell, file) in COMPLETIONS {
        let script = output(
            std::process::Command::new(root().join("target/debug/expense")).args(["completions", shell]),
            "expense completions",
        )?;
        std::fs::write(directory.join(file), script)?;
    }
    Ok(())
}
