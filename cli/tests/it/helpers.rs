//! The harness: a real `expense-server all` (SQLite in a temporary directory) and a sandboxed
//! `expense` command. Both sides agree on the day: the server's clock runs on from
//! [`NOON_OF_TODAY`] (unless a test steers it elsewhere), and every run of the CLI is given the
//! server's current date in `EXPENSE_TODAY` (the variable of `--today`).

use std::path::{Path, PathBuf};
use std::process::Output;

use expense_kit::clock::Clock;
use expense_server::{Role, Settings};
use tokio::io::AsyncWriteExt;

pub const PASSWORD: &str = "correct horse battery staple";

/// Noon UTC of the day server and CLI believe it is, unless a test says otherwise (Thursday
/// 2026-11-26): where the server's clock starts.
pub const NOON_OF_TODAY: time::OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);

/// A running server.
pub struct Server {
    pub url: String,
    /// The server's clock; the CLI's "today" follows it.
    pub clock: Clock,
    _data: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(configure: impl FnOnce(&mut Settings)) -> Self {
        let data = tempfile::tempdir().unwrap();
        let mut settings = Settings {
            clock: Clock::starting_at(NOON_OF_TODAY),
            ..Settings::for_tests(data.path())
        };
        configure(&mut settings);
        let app = expense_server::build(&settings, Role::All)
            .await
            .expect("server builds");
        let url = format!("http://{}", app.local_addr());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        Self {
            url,
            clock: settings.clock,
            _data: data,
            _stop: stop,
        }
    }
}

/// A sandboxed user of the CLI: its own HOME and config directory.
pub struct User {
    pub home: tempfile::TempDir,
    pub api_url: String,
    pub extra_env: Vec<(String, String)>,
    /// The server's clock, whose date each run is given as today.
    pub clock: Clock,
}

/// What one run of `expense` did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.ok()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl User {
    pub fn new(server: &Server) -> Self {
        Self {
            home: tempfile::tempdir().unwrap(),
            api_url: server.url.clone(),
            extra_env: Vec::new(),
            clock: server.clock.clone(),
        }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.home.path().join("config")
    }

    pub fn credentials_file(&self) -> PathBuf {
        self.config_dir().join("credentials.json")
    }

    /// Runs `expense ARGS` with `stdin`, piped (not a terminal).
    pub async fn run(&self, args: &[&str], stdin: Option<&str>) -> Run {
        self.run_measured(args, stdin).await.0
    }

    /// Runs `expense ARGS` with these variables set as well, and no input.
    pub async fn run_with(&self, args: &[&str], variables: &[(&str, &str)]) -> Run {
        let mut command = self.command(args);
        command.envs(variables.iter().copied());
        command.stdin(std::process::Stdio::null());
        Run::from(command.output().await.expect("the expense binary runs"))
    }

    /// The whole environment of a run: the sandbox, the server, its "today", then `extra_env`.
    pub fn environment(&self) -> Vec<(String, String)> {
        let mut variables = vec![
            ("PATH".to_owned(), std::env::var("PATH").unwrap_or_default()),
            ("HOME".to_owned(), self.home.path().display().to_string()),
            (
                "XDG_CONFIG_HOME".to_owned(),
                self.home.path().join("xdg").display().to_string(),
            ),
            (
                "EXPENSE_CONFIG_DIR".to_owned(),
                self.config_dir().display().to_string(),
            ),
            ("EXPENSE_API_URL".to_owned(), self.api_url.clone()),
            // The server's "today", so relative dates are the same on both sides and every run.
            ("EXPENSE_TODAY".to_owned(), self.clock.today().to_string()),
        ];
        variables.extend(self.extra_env.iter().cloned());
        variables
    }

    /// `expense ARGS` in the sandbox, with a cleared environment and piped output.
    fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_expense"));
        command
            .args(args)
            .env_clear()
            .envs(self.environment())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        command
    }

    /// Like [`User::run`], also returning the process's peak resident memory in KiB (its
    /// `VmHWM`, polled every few milliseconds while it runs).
    pub async fn run_measured(&self, args: &[&str], stdin: Option<&str>) -> (Run, u64) {
        let mut command = self.command(args);
        command.stdin(std::process::Stdio::piped());
        let mut child = command.spawn().expect("the expense binary runs");
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).await.unwrap();
        }
        drop(input);
        let status_file = format!("/proc/{}/status", child.id().expect("running"));
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let watcher = {
            let peak = std::sync::Arc::clone(&peak);
            tokio::spawn(async move {
                while let Ok(status) = tokio::fs::read_to_string(&status_file).await {
                    if let Some(kib) = status
                        .lines()
                        .find_map(|line| line.strip_prefix("VmHWM:"))
                        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                    {
                        peak.fetch_max(kib, std::sync::atomic::Ordering::SeqCst);
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
            })
        };
        let output = child.wait_with_output().await.unwrap();
        watcher.abort();
        (Run::from(output), peak.load(std::sync::atomic::Ordering::SeqCst))
    }

    /// A signed-in user whose default currency is EUR.
    pub async fn signed_in(server: &Server, name: &str) -> Self {
        let user = Self::new(server);
        user.register(name).await;
        user.run(&["config", "set", "default_currency", "EUR"], None)
            .await
            .ok();
        user
    }

    /// `expense register` for a fresh account; returns its e-mail.
    pub async fn register(&self, name: &str) -> String {
        let email = format!("{name}-{}@example.com", uuid::Uuid::now_v7().simple());
        let run = self
            .run(
                &["register", "--email", &email, "--password-stdin"],
                Some(PASSWORD),
            )
            .await;
        run.ok();
        email
    }
}

/// The permission bits of `path`.
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The Python of the project's tools venv (`EXPENSE_TEST_PYTHON`, set by `cargo xtask test`, else
/// the venv under `target/tools` when it exists), else `python3` from PATH.
pub fn test_python() -> PathBuf {
    PathBuf::from(expense_testkit::moto::test_python())
}

/// A program installed beside [`test_python`] (`bean-check`), else the one on PATH.
pub fn venv_program(name: &str) -> PathBuf {
    let python = test_python();
    match python.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        Some(dir) if dir.join(name).exists() => dir.join(name),
        _ => PathBuf::from(name),
    }
}

/// Runs a third-party tool and returns its output; fails loudly, naming the tool, when it is
/// missing or refuses.
#[track_caller]
pub fn run_tool(program: &Path, args: &[&str], input: Option<&str>) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} ({e}): `cargo xtask test` installs it (hledger from the OS packages, \
                 the Python tools into target/tools/venv)",
                program.display()
            )
        });
    let mut stdin = child.stdin.take().unwrap();
    if let Some(text) = input {
        stdin.write_all(text.as_bytes()).unwrap();
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "{} {args:?} refused: {stderr}\n{stdout}",
        program.display()
    );
    stdout
}
