//! Every table the CLI draws, as a person sees it: with colour on (bold headers, dim labels),
//! the visible text must be exactly the colourless table's, so no column moves. Checked through
//! the binary with colour forced (`EXPENSE_FORCE_TTY` and `CLICOLOR_FORCE`), and once on a real
//! terminal: `expense` inside tmux, 200 columns wide, read back with `capture-pane`.

use std::time::{Duration, Instant};

use crate::helpers::{Run, Server, User};

/// A forced terminal 160 columns wide.
const FORCED_TERMINAL: [(&str, &str); 2] = [("EXPENSE_FORCE_TTY", "1"), ("COLUMNS", "160")];

/// Runs `args` on a forced terminal, with and without colour.
pub async fn coloured_and_plain(user: &User, args: &[&str]) -> (Run, Run) {
    let mut coloured = FORCED_TERMINAL.to_vec();
    coloured.push(("CLICOLOR_FORCE", "1"));
    (
        user.run_with(args, &coloured).await,
        user.run_with(args, &FORCED_TERMINAL).await,
    )
}

/// Asserts that the coloured table shows exactly the plain one.
#[track_caller]
pub fn same_columns(args: &[&str], coloured: &Run, plain: &Run) {
    let coloured_text = coloured.ok();
    let plain_text = plain.ok();
    assert!(
        coloured_text.contains("\u{1b}["),
        "`expense {}` drew no colour:\n{coloured_text}",
        args.join(" ")
    );
    assert!(!plain_text.contains('\u{1b}'), "{plain_text}");
    assert_eq!(
        console::strip_ansi_codes(coloured_text),
        plain_text,
        "`expense {}`: colour moved the columns",
        args.join(" ")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn colour_moves_no_column_of_any_table() {
    let server = Server::start_with(|settings| {
        settings.notifications.webhook_allow_private_networks = true;
    })
    .await;
    let user = User::signed_in(&server, "tables").await;
    for args in [
        [
            "add",
            "12.50",
            "groceries",
            "--note",
            "weekly shop",
            "--merchant",
            "Lidl",
        ]
        .as_slice(),
        &["add", "1200", "travel", "--currency", "JPY", "--date", "monday"],
        &["add", "-3", "groceries", "--date", "yesterday"],
        &["budget", "set", "groceries", "10"],
        &["token", "create", "ci"],
        &["webhooks", "add", "http://127.0.0.1:9/hook"],
    ] {
        user.run(args, None).await.ok();
    }
    let id = user.run(&["ls", "--limit", "1", "--jq", ".[0].id"], None).await;
    let id = id.ok().trim().to_owned();
    // The budget alert (the groceries budget is over 100 %) arrives through the event bus.
    let deadline = Instant::now() + Duration::from_secs(15);
    while user
        .run(&["notifications", "ls", "--jq", "length"], None)
        .await
        .ok()
        .trim()
        == "0"
    {
        assert!(Instant::now() < deadline, "no budget alert arrived");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    for args in [
        vec!["ls"],
        vec!["show", &id],
        vec!["summary"],
        vec!["summary", "--by", "month", "--period", "2026"],
        vec!["budget", "ls"],
        vec!["categories"],
        vec!["token", "ls"],
        vec!["webhooks", "ls"],
        vec!["notifications", "ls"],
        vec!["whoami"],
        vec!["auth", "status"],
    ] {
        let (coloured, plain) = coloured_and_plain(&user, &args).await;
        same_columns(&args, &coloured, &plain);
    }
}

/// `expense ls` and `expense budget ls` in tmux, a real terminal with colour, 200 columns: what the
/// screen shows is the plain table, line for line.
#[tokio::test(flavor = "multi_thread")]
async fn tables_on_a_real_terminal_line_up() {
    let server = Server::start().await;
    let user = User::signed_in(&server, "tmux").await;
    user.run(&["add", "12.50", "groceries", "--merchant", "Lidl"], None)
        .await
        .ok();
    user.run(&["add", "1200", "travel", "--currency", "JPY"], None)
        .await
        .ok();
    user.run(&["budget", "set", "groceries", "400"], None).await.ok();

    for args in [["ls"].as_slice(), &["budget", "ls"]] {
        let screen = Tmux::run(&user, args).await;
        let plain = user
            .run_with(args, &[("EXPENSE_FORCE_TTY", "1"), ("COLUMNS", "200")])
            .await;
        let expected: Vec<&str> = plain.ok().lines().collect();
        assert!(
            screen.colour,
            "the terminal got no colour: is the CLI seeing a terminal?"
        );
        assert_eq!(
            screen.lines[..expected.len()],
            expected[..],
            "`expense {}` on a 200-column terminal",
            args.join(" ")
        );
    }
}

/// One run of the CLI in a private tmux server.
struct Tmux {
    /// The visible screen, trailing blank lines dropped.
    lines: Vec<String>,
    /// Whether the output carried colour (seen with `capture-pane -e`).
    colour: bool,
}

impl Tmux {
    async fn run(user: &User, args: &[&str]) -> Self {
        let socket = format!("expense-test-{}", uuid::Uuid::now_v7().simple());
        let mut environment = user.environment();
        environment.push(("TERM".to_owned(), "xterm-256color".to_owned()));
        let exported: Vec<String> = environment
            .iter()
            .map(|(name, value)| format!("{name}='{value}'"))
            .collect();
        let command = format!(
            "env -i {} '{}' {}; echo __done__; sleep 600",
            exported.join(" "),
            env!("CARGO_BIN_EXE_expense"),
            args.iter()
                .map(|arg| format!("'{arg}'"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let tmux = |arguments: &[&str]| {
            let output = std::process::Command::new("tmux")
                .args(["-L", &socket, "-f", "/dev/null"])
                .args(arguments)
                .output()
                .expect("tmux runs (the test command installs it)");
            assert!(
                output.status.success(),
                "tmux {arguments:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            String::from_utf8_lossy(&output.stdout).into_owned()
        };
        tmux(&["new-session", "-d", "-x", "200", "-y", "50", &command]);
        let deadline = Instant::now() + Duration::from_secs(20);
        let screen = loop {
            let screen = tmux(&["capture-pane", "-p", "-e"]);
            if screen.contains("__done__") {
                break screen;
            }
            assert!(Instant::now() < deadline, "the CLI did not finish:\n{screen}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let _ = std::process::Command::new("tmux")
            .args(["-L", &socket, "kill-server"])
            .status();
        let colour = screen.contains("\u{1b}[");
        let visible = console::strip_ansi_codes(&screen).into_owned();
        let lines = visible
            .lines()
            .take_while(|line| !line.starts_with("__done__"))
            .map(|line| line.trim_end().to_owned())
            .collect();
        Self { lines, colour }
    }
}
