//! Long output on a terminal goes through a pager, as `git` and `gh` do: `EXPENSE_PAGER`, else
//! `PAGER`, else `less -FRX` (which quits at once when everything fits on one screen, keeps
//! colour and leaves the text on the screen). Never when stdout is not a terminal, never with
//! `--no-pager`, and not when the chosen pager is empty or `cat`.
//!
//! Only commands that print and are done page (lists, items, help); commands that ask questions
//! or draw progress bars do not, since the pager would own the terminal meanwhile. The command
//! is run by `sh -c`, so `EXPENSE_PAGER="less -S"` works; quitting the pager early closes the
//! pipe, which is success (see `error`).

use std::io::{self, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

use crate::terminal::Terminal;

/// The pager when neither variable names one.
pub const DEFAULT_PAGER: &str = "less -FRX";

/// The pager command to use, if any: `EXPENSE_PAGER`, `PAGER`, then [`DEFAULT_PAGER`] when
/// `less` is installed.
pub fn choose(terminal: &Terminal, no_pager: bool) -> Option<String> {
    if no_pager || !terminal.stdout_is_tty {
        return None;
    }
    let chosen = std::env::var("EXPENSE_PAGER")
        .ok()
        .or_else(|| std::env::var("PAGER").ok());
    match chosen {
        Some(command) => Some(command).filter(|c| !c.trim().is_empty() && c.trim() != "cat"),
        None => crate::terminal::on_path("less").then(|| DEFAULT_PAGER.to_owned()),
    }
}

/// A running pager reading what we write.
pub struct Pager {
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Pager {
    /// Starts `command` through `sh -c`. For a bare `less`, `LESS=FRX` is set unless `LESS` is,
    /// and `LESSCHARSET=utf-8` unless that is (what we print is UTF-8 whatever the locale says;
    /// without it, less in a C locale shows the bars as `<E2><96><8B>`).
    pub fn start(command: &str) -> io::Result<Self> {
        let mut shell = Command::new("sh");
        shell.args(["-c", command]).stdin(Stdio::piped());
        if std::env::var_os("LESS").is_none() {
            shell.env("LESS", "FRX");
        }
        if std::env::var_os("LESSCHARSET").is_none() {
            shell.env("LESSCHARSET", "utf-8");
        }
        let mut child = shell.spawn()?;
        let stdin = child.stdin.take();
        Ok(Self { child, stdin })
    }

    /// Where output goes: the pager's input.
    pub fn writer(&mut self) -> io::Result<ChildStdin> {
        self.stdin
            .take()
            .ok_or_else(|| io::Error::other("the pager's input was taken"))
    }

    /// Waits until the reader quits (after its input was closed).
    pub fn wait(mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// Output that may go through a pager: a writer for the command and what to wait for after.
pub fn output(terminal: &Terminal, no_pager: bool) -> (Box<dyn Write>, Option<Pager>) {
    if let Some(command) = choose(terminal, no_pager)
        && let Ok(mut pager) = Pager::start(&command)
        && let Ok(writer) = pager.writer()
    {
        return (Box::new(writer), Some(pager));
    }
    (Box::new(io::stdout()), None)
}
