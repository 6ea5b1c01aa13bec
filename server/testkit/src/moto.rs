//! A local AWS API (moto) on a free loopback port, for the AWS code paths of the services and
//! xtask. moto keeps its state in memory: every server starts empty.
//!
//! The Python that runs it is `EXPENSE_TEST_PYTHON` (set by `cargo xtask test` to the project's
//! venv under `target/`, where it installs moto from PyPI), else that venv when it exists, else
//! `python3` from PATH. moto
//! verifies no S3 signature: use it for AWS call paths, never as proof that tampering is refused.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// Environment variable naming the Python interpreter that has moto installed.
pub const TEST_PYTHON_VAR: &str = "EXPENSE_TEST_PYTHON";

/// The Python the tests run tools with: `EXPENSE_TEST_PYTHON`, else the venv `cargo xtask test`
/// installs under `target/tools` when it is there (so a plain `cargo test` after one gate run
/// finds the same tools), else `python3` from PATH.
pub fn test_python() -> String {
    if let Ok(python) = std::env::var(TEST_PYTHON_VAR) {
        return python;
    }
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tools/venv/bin/python");
    if venv.exists() {
        return venv.display().to_string();
    }
    "python3".to_owned()
}

/// A running moto server, stopped (by its pid) when dropped.
pub struct MotoServer {
    child: Child,
    port: u16,
}

impl MotoServer {
    /// Starts moto with AWS-managed IAM policies loaded and instant ACM validation.
    pub fn start() -> anyhow::Result<Self> {
        Self::start_with_python(&test_python())
    }

    /// Like [`MotoServer::start`], with moto from the given Python interpreter (for callers that
    /// know the venv, such as `cargo xtask test`, which cannot set its own environment).
    pub fn start_with_python(python: &str) -> anyhow::Result<Self> {
        let port = crate::free_port()?;
        let child = Command::new(python)
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .env("MOTO_ACM_VALIDATION_WAIT", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot run {python} -m moto.server (run the suite with `cargo xtask test`, which installs moto)"))?;
        let mut server = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = server.child.try_wait()? {
                bail!("moto exited at start ({status}); is moto[server] installed for {python}?");
            }
            if Instant::now() > deadline {
                bail!("moto did not listen on 127.0.0.1:{port} within 60 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(server)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The endpoint URL every AWS client points at.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
