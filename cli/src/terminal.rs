//! What we know about the terminal: which streams are TTYs, whether colour is wanted, how wide
//! it is. `EXPENSE_FORCE_TTY=1` makes stdout count as a terminal (tests use it to see tables,
//! without colour). Colour follows `--color`: `always` and `never` say it all; `auto` (the
//! default) means colour on terminals, where `CLICOLOR_FORCE=1` turns it on even when stdout is
//! not a terminal, and `NO_COLOR` (or `TERM=dumb`) turns it off, whatever else is set. The flag
//! wins over the variables, as the `NO_COLOR` convention asks.

use std::io::IsTerminal;

use console::Style;

/// `--color`: when to colour the output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped.
    #[default]
    Auto,
    /// Always, also when piped and whatever the environment says.
    Always,
    /// Never.
    Never,
}

/// Terminal facts, read once at start.
#[derive(Debug, Clone)]
pub struct Terminal {
    pub stdout_is_tty: bool,
    pub stderr_is_tty: bool,
    pub stdin_is_tty: bool,
    /// Colour on stdout.
    pub color: bool,
    /// Colour on stderr (messages, warnings, errors).
    pub color_err: bool,
    pub width: u16,
}

impl Terminal {
    /// The terminal with colour as `--color auto` decides it.
    pub fn detect() -> Self {
        Self::detect_with(ColorChoice::Auto)
    }

    /// The terminal with colour as `choice` decides it.
    pub fn detect_with(choice: ColorChoice) -> Self {
        let forced = std::env::var_os("EXPENSE_FORCE_TTY").is_some_and(|v| v != "0" && !v.is_empty());
        let stdout_is_tty = forced || std::io::stdout().is_terminal();
        let stderr_is_tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
            || std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let force_color = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0" && !v.is_empty());
        let width = console::Term::stdout()
            .size_checked()
            .map(|(_, columns)| columns)
            .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
            .unwrap_or(100);
        let (color, color_err) = match choice {
            ColorChoice::Always => (true, true),
            ColorChoice::Never => (false, false),
            ColorChoice::Auto => (
                !no_color && (force_color || (stdout_is_tty && !forced)),
                !no_color && stderr_is_tty,
            ),
        };
        Self {
            stdout_is_tty,
            stderr_is_tty,
            stdin_is_tty: std::io::stdin().is_terminal(),
            color,
            color_err,
            width,
        }
    }

    /// A fixed terminal for unit tests.
    pub fn for_tests(tty: bool) -> Self {
        Self {
            stdout_is_tty: tty,
            stderr_is_tty: tty,
            stdin_is_tty: false,
            color: false,
            color_err: false,
            width: 100,
        }
    }

    /// Whether prompts can be shown (stdin and stderr are terminals).
    pub fn can_prompt(&self) -> bool {
        self.stdin_is_tty && self.stderr_is_tty
    }

    pub fn bold(&self, text: &str) -> String {
        self.styled(Style::new().bold(), text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.styled(Style::new().dim(), text)
    }

    /// For stderr: success marks.
    pub fn green(&self, text: &str) -> String {
        self.styled_err(Style::new().green(), text)
    }

    /// For stderr: warnings.
    pub fn yellow(&self, text: &str) -> String {
        self.styled_err(Style::new().yellow(), text)
    }

    /// For stderr: errors.
    pub fn red(&self, text: &str) -> String {
        self.styled_err(Style::new().red().bold(), text)
    }

    fn styled_err(&self, style: Style, text: &str) -> String {
        if self.color_err {
            style.force_styling(true).apply_to(text).to_string()
        } else {
            text.to_owned()
        }
    }

    fn styled(&self, style: Style, text: &str) -> String {
        // Nothing to show, nothing to style: a lone escape pair would keep the table from
        // trimming the spaces before it.
        if self.color && !text.is_empty() {
            style.force_styling(true).apply_to(text).to_string()
        } else {
            text.to_owned()
        }
    }
}

/// Whether `program` is on the PATH.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}
