//! `expense completions SHELL`: the completion script for a shell. The generated scripts are
//! committed under `completions/` (`cargo xtask completions`), and a test fails when stale.

use clap::Args;
use clap_complete::Shell;

use crate::error::Result;

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(&script(args.shell))?;
    Ok(())
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut crate::help::command(), "expense", &mut buffer);
    buffer
}
