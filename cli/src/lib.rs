//! The `expense` command-line client.
//!
//! Reading order: [`cli`] (the command tree), [`commands`] (one module per command, each a thin
//! `run` over the pieces below), [`context`] (what every command gets: the terminal, the
//! configuration, the server, output streams), [`output`] (how data is printed), [`session`]
//! and [`credentials`] (who the caller is and where tokens live), [`client`] (HTTP and error
//! mapping), [`error`] (error kinds and exit codes).
//!
//! Commands never print directly: they hand data to the output layer and messages to the
//! context, so every command behaves the same on a terminal and in a pipe.

pub mod cli;
pub mod client;
pub mod commands;
pub mod config;
pub mod context;
pub mod credentials;
pub mod dates;
pub mod error;
pub mod help;
pub mod journal;
pub mod ofx;
pub mod output;
pub mod pager;
pub mod session;
pub mod terminal;

pub use cli::Cli;
pub use error::{CliError, ErrorKind};
