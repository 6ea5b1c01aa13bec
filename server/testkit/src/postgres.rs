//! A throwaway Postgres server: `initdb` into a temporary directory, `pg_ctl start` on a free
//! loopback port with its socket inside that directory, `pg_ctl stop` when done.
//!
//! Postgres refuses to run as root, and CI runs as root: the server then runs as the `postgres`
//! user (through `runuser`), owning its data directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

/// Server settings for tests: durability off (the data is thrown away), room for many pools.
const TEST_SETTINGS: &[&str] = &[
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=500",
    "shared_buffers=128MB",
];

/// A running throwaway server.
pub struct EphemeralPostgres {
    directory: Option<tempfile::TempDir>,
    data_dir: PathBuf,
    bin_dir: PathBuf,
    port: u16,
    run_as_postgres: bool,
    /// The superuser's password when TCP logins need one.
    password: Option<String>,
}

impl EphemeralPostgres {
    /// Starts a server with test settings.
    pub fn start() -> anyhow::Result<Self> {
        Self::start_with(TEST_SETTINGS)
    }

    /// Starts a server with the given `name=value` settings.
    pub fn start_with(settings: &[&str]) -> anyhow::Result<Self> {
        Self::start_inner(settings, None)
    }

    /// Starts a server with test settings where logins over TCP need a password
    /// (`scram-sha-256`), `password` for the `postgres` superuser: for tests of credential
    /// handling, which a `trust` server cannot fail.
    pub fn start_with_password(password: &str) -> anyhow::Result<Self> {
        Self::start_inner(TEST_SETTINGS, Some(password))
    }

    fn start_inner(settings: &[&str], password: Option<&str>) -> anyhow::Result<Self> {
        let bin_dir = find_bin_dir().context("no Postgres server binaries (initdb, pg_ctl) found")?;
        let run_as_postgres = is_root();
        let directory = tempfile::Builder::new().prefix("expense-pg-").tempdir()?;
        let data_dir = directory.path().join("data");
        std::fs::create_dir(&data_dir)?;
        if run_as_postgres {
            chown_to_postgres(directory.path())?;
        }
        let port = crate::free_port()?;
        let password_file = directory.path().join("password");
        if let Some(password) = password {
            std::fs::write(&password_file, password)?;
            if run_as_postgres {
                chown_to_postgres(&password_file)?;
            }
        }
        let server = Self {
            directory: Some(directory),
            data_dir,
            bin_dir,
            port,
            run_as_postgres,
            password: password.map(str::to_owned),
        };
        let pwfile = format!("--pwfile={}", path_str(&password_file)?);
        let mut initdb = vec!["-D", path_str(&server.data_dir)?, "-U", "postgres"];
        if server.password.is_some() {
            initdb.extend(["--auth-local=trust", "--auth-host=scram-sha-256", pwfile.as_str()]);
        } else {
            initdb.push("--auth=trust");
        }
        initdb.extend(["-E", "UTF8", "--locale=C", "--no-sync"]);
        server.run("initdb", &initdb)?;
        let mut options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1",
            path_str(&server.data_dir)?
        );
        for setting in settings {
            options.push_str(" -c ");
            options.push_str(setting);
        }
        let log = server.data_dir.join("server.log");
        server
            .run(
                "pg_ctl",
                &[
                    "start",
                    "-D",
                    path_str(&server.data_dir)?,
                    "-o",
                    &options,
                    "-l",
                    path_str(&log)?,
                    "-w",
                    "-t",
                    "60",
                ],
            )
            .with_context(|| {
                format!(
                    "pg_ctl start failed; server log:\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })?;
        Ok(server)
    }

    /// Starts a server that a watchdog process stops when this process exits, however it exits.
    /// For test binaries, whose statics are never dropped.
    pub fn start_with_watchdog() -> anyhow::Result<Self> {
        let server = Self::start()?;
        let stop = server.command_line(
            "pg_ctl",
            &["stop", "-D", path_str(&server.data_dir)?, "-m", "immediate"],
        );
        let directory = server
            .directory
            .as_ref()
            .map(|d| d.path().display().to_string())
            .unwrap_or_default();
        let script = format!(
            "while kill -0 {parent} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf '{directory}'",
            parent = std::process::id(),
        );
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start the Postgres watchdog")?;
        Ok(server)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// URL of the `postgres` database as the `postgres` superuser.
    pub fn admin_url(&self) -> String {
        match &self.password {
            Some(password) => format!("postgres://postgres:{password}@127.0.0.1:{}/postgres", self.port),
            None => format!("postgres://postgres@127.0.0.1:{}/postgres", self.port),
        }
    }

    /// Path of a server binary such as `pgbench` or `psql` next to `initdb`, or the one on PATH.
    pub fn binary(&self, name: &str) -> PathBuf {
        let beside = self.bin_dir.join(name);
        if beside.exists() {
            beside
        } else {
            PathBuf::from(name)
        }
    }

    /// Stops the server (fast shutdown) and removes its files.
    pub fn stop(mut self) -> anyhow::Result<()> {
        self.stop_inner()
    }

    /// Restarts the server in place (for fault tests), keeping its data, port and settings.
    /// The new server logs to the same file: without `-l` it would inherit pg_ctl's output pipe
    /// and hold it open, and reading pg_ctl's output would never end.
    pub fn restart(&self) -> anyhow::Result<()> {
        let log = self.data_dir.join("server.log");
        self.run(
            "pg_ctl",
            &[
                "restart",
                "-D",
                path_str(&self.data_dir)?,
                "-l",
                path_str(&log)?,
                "-m",
                "fast",
                "-w",
                "-t",
                "60",
            ],
        )
    }

    fn stop_inner(&mut self) -> anyhow::Result<()> {
        let Some(directory) = self.directory.take() else {
            return Ok(());
        };
        let result = self.run(
            "pg_ctl",
            &["stop", "-D", path_str(&self.data_dir)?, "-m", "fast", "-w"],
        );
        drop(directory);
        result
    }

    fn command_line(&self, program: &str, args: &[&str]) -> String {
        let binary = self.bin_dir.join(program).display().to_string();
        let quoted: Vec<String> = std::iter::once(binary)
            .chain(args.iter().map(|a| (*a).to_owned()))
            .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
            .collect();
        if self.run_as_postgres {
            format!("runuser -u postgres -- {}", quoted.join(" "))
        } else {
            quoted.join(" ")
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> anyhow::Result<()> {
        let binary = self.bin_dir.join(program);
        let mut command = if self.run_as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&binary);
            command
        } else {
            Command::new(&binary)
        };
        let output = command
            .args(args)
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("cannot run {}", binary.display()))?;
        if !output.status.success() {
            bail!(
                "{program} {} failed ({}):\n{}{}",
                args.join(" "),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }
}

impl Drop for EphemeralPostgres {
    fn drop(&mut self) {
        if let Err(error) = self.stop_inner() {
            eprintln!("warning: could not stop the test Postgres: {error:#}");
        }
    }
}

/// `admin_url` with its database name replaced by `database`.
pub fn with_database(admin_url: &str, database: &str) -> String {
    match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{database}"),
        None => format!("{admin_url}/{database}"),
    }
}

/// The directory holding `initdb` and `pg_ctl`: `pg_config --bindir`, else the newest
/// `/usr/lib/postgresql/*/bin`.
pub fn find_bin_dir() -> Option<PathBuf> {
    let has_server = |dir: &Path| dir.join("initdb").exists() && dir.join("pg_ctl").exists();
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output()
        && output.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if has_server(&dir) {
            return Some(dir);
        }
    }
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
        .filter(|dir| has_server(dir))
        .collect();
    candidates.sort_by_key(|dir| {
        dir.parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    });
    candidates.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn chown_to_postgres(path: &Path) -> anyhow::Result<()> {
    let status = Command::new("chown")
        .args(["-R", "postgres:postgres"])
        .arg(path)
        .status()
        .context("cannot run chown")?;
    if !status.success() {
        bail!(
            "chown -R postgres {} failed (is there a `postgres` user?)",
            path.display()
        );
    }
    Ok(())
}

fn path_str(path: &Path) -> anyhow::Result<&str> {
    path.to_str().context("non-UTF-8 temporary path")
}
