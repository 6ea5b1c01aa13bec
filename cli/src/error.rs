//! The CLI's errors: a few kinds, each with a stable exit code and a suggested next step.
//!
//! | kind | exit code |
//! |---|---|
//! | usage (bad flags, missing input) | 2 |
//! | not signed in / token refused | 4 |
//! | stdout closed by its reader (`expense ls \| head -1`) | 0: not an error |
//! | everything else | 1 |
//!
//! A closed pipe is told by its `io::ErrorKind::BrokenPipe`, never by an error message's text.

use std::fmt;

/// What went wrong, from the user's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command was used wrongly.
    Usage,
    /// Not signed in, or the credentials were refused.
    Auth,
    /// The thing asked for does not exist.
    NotFound,
    /// The server refused the request or failed.
    Server,
    /// The server could not be reached.
    Network,
    /// The user declined a confirmation.
    Cancelled,
    /// Anything else (local files, the keyring, …).
    Other,
    /// Whoever read stdout stopped reading (`expense ls | head -1`): success, silently.
    ClosedPipe,
}

/// An error with a message and, where we know one, a hint for what to do next.
#[derive(Debug, Clone)]
pub struct CliError {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

impl CliError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            hint: None,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }

    pub fn other(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Other, message)
    }

    /// Not signed in (exit code 4), with the standard hint.
    pub fn not_signed_in() -> Self {
        Self::new(ErrorKind::Auth, "not signed in")
            .with_hint("run `expense login` (or `expense register` for a new account)")
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::Usage => 2,
            ErrorKind::Auth => 4,
            ErrorKind::ClosedPipe => 0,
            _ => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            return Self::new(ErrorKind::ClosedPipe, error.to_string());
        }
        Self::other(error.to_string())
    }
}

impl From<serde_json::Error> for CliError {
    /// A write that failed underneath keeps its I/O kind (a closed pipe stays a closed pipe).
    fn from(error: serde_json::Error) -> Self {
        match error.io_error_kind() {
            Some(kind) => std::io::Error::new(kind, error.to_string()).into(),
            None => Self::other(error.to_string()),
        }
    }
}

impl From<csv::Error> for CliError {
    /// A write that failed underneath keeps its I/O kind (a closed pipe stays a closed pipe).
    fn from(error: csv::Error) -> Self {
        if error.is_io_error() {
            return std::io::Error::from(error).into();
        }
        Self::other(error.to_string())
    }
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;
