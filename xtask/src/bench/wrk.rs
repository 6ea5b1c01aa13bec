//! The cross-check: every HTTP figure is measured a second time, right after ours, by `wrk`
//! (the Debian package, installed with apt-get when missing), so a reader can see that our load
//! generator and an independent one agree within the machine's noise.
//!
//! wrk runs with two threads (one when there is one connection) and the same connection count,
//! sending the same requests as ours from a generated Lua script: each thread walks the list of
//! every connection's requests (so every account's token and every create body is used), and its
//! `done` hook prints the figures on one line for us to read. wrk has no warm-up: it runs right
//! after our own figure, on a server already warm. Its CPU is measured as a child process's.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use super::load::{Latency, Outcome, Plan, Requests};
use super::usage::{Client, Watch};
use crate::os_packages;

/// The Debian package, and the program it installs.
pub const PACKAGE: &str = "wrk";
/// The line of figures the script's `done` hook prints.
const MARKER: &str = "XTASK-WRK";

/// Installs wrk with apt-get unless it is on the PATH.
pub fn ensure_installed() -> anyhow::Result<()> {
    os_packages::ensure(PACKAGE, || os_packages::on_path("wrk"))
        .context("wrk is needed for the cross-check (or run with --no-wrk)")
}

/// What `wrk -v` says of itself (`wrk 4.1.0 [epoll]`), if it runs.
pub fn version() -> Option<String> {
    // It prints its version and usage, and exits with status 1.
    let output = Command::new("wrk").arg("-v").output().ok()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let line = text.lines().find(|line| line.starts_with("wrk "))?;
    Some(line.split(" Copyright").next().unwrap_or(line).trim().to_owned())
}

/// Runs wrk with `requests` against `address` for `plan`'s duration, measuring `watch`.
pub async fn run(
    address: SocketAddr,
    plan: Plan,
    requests: &Requests,
    watch: Watch,
    work_dir: &Path,
) -> anyhow::Result<Outcome> {
    let threads = plan.connections.clamp(1, 2);
    let script_file = work_dir.join(format!("wrk-c{}.lua", plan.connections));
    std::fs::write(
        &script_file,
        script(&address.to_string(), requests, plan.connections, threads),
    )?;
    let probe = watch.with_client(Client::Children).begin().await;
    let output = tokio::process::Command::new("wrk")
        .args(["-t", &threads.to_string()])
        .args(["-c", &plan.connections.to_string()])
        .args(["-d", &format!("{}s", plan.duration.as_secs().max(1))])
        .args(["--timeout", "30s", "-s"])
        .arg(&script_file)
        .arg(format!("http://{address}/"))
        .kill_on_drop(true)
        .output()
        .await
        .context("cannot run wrk")?;
    let usage = probe.end().await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "wrk failed ({}):\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let figures = Figures::read(&stdout).with_context(|| format!("no figures in wrk's output:\n{stdout}"))?;
    Ok(figures.outcome(usage))
}

/// What wrk's `done` hook reports.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Figures {
    duration_us: f64,
    requests: u64,
    /// Answers with a status of 400 or more.
    status_errors: u64,
    /// Connect, read, write and timeout errors.
    socket_errors: u64,
    p50_us: f64,
    p99_us: f64,
}

impl Figures {
    fn read(stdout: &str) -> Option<Self> {
        let line = stdout.lines().find_map(|line| line.strip_prefix(MARKER))?;
        let numbers: Vec<f64> = line
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let [
            duration_us,
            requests,
            status,
            connect,
            read,
            write,
            timeout,
            p50_us,
            p99_us,
        ] = numbers[..]
        else {
            return None;
        };
        Some(Self {
            duration_us,
            requests: requests as u64,
            status_errors: status as u64,
            socket_errors: (connect + read + write + timeout) as u64,
            p50_us,
            p99_us,
        })
    }

    fn outcome(self, usage: super::usage::Usage) -> Outcome {
        let successes = self.requests.saturating_sub(self.status_errors);
        let errors = self.status_errors + self.socket_errors;
        Outcome {
            requests: successes,
            errors,
            first_error: (errors > 0).then(|| {
                format!(
                    "wrk: {} answers with status >= 400, {} socket errors",
                    self.status_errors, self.socket_errors
                )
            }),
            per_second: successes as f64 / (self.duration_us / 1e6).max(1e-9),
            latency: Latency {
                p50_ms: self.p50_us / 1000.0,
                p99_ms: self.p99_us / 1000.0,
            },
            usage,
        }
    }
}

/// The Lua script: every connection's requests, as raw HTTP, walked in turn by each thread from
/// its own starting point.
fn script(host: &str, requests: &Requests, connections: usize, threads: usize) -> String {
    let mut lua =
        String::from("-- Written by `cargo xtask bench` (xtask/src/bench/wrk.rs).\nlocal requests = {\n");
    for connection in 0..connections {
        for request in requests.of_connection(connection) {
            let _ = writeln!(lua, "  {},", lua_string(&request.to_bytes(host)));
        }
    }
    let _ = write!(
        lua,
        r#"}}
local count = #requests
local started = 0

function setup(thread)
  thread:set("number", started)
  started = started + 1
end

function init(args)
  position = (number * math.floor(count / {threads})) % count
end

function request()
  position = position % count + 1
  return requests[position]
end

function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format("{MARKER} %d %d %d %d %d %d %d %d %d\n", summary.duration, summary.requests,
    errors.status, errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"#
    );
    lua
}

/// `bytes` as a Lua string literal (escapes, so CR LF survive: long brackets would turn them into LF).
fn lua_string(bytes: &[u8]) -> String {
    let mut literal = String::with_capacity(bytes.len() + 16);
    literal.push('"');
    for &byte in bytes {
        match byte {
            b'"' => literal.push_str("\\\""),
            b'\\' => literal.push_str("\\\\"),
            b'\r' => literal.push_str("\\r"),
            b'\n' => literal.push_str("\\n"),
            0x20..=0x7e => literal.push(char::from(byte)),
            _ => {
                let _ = write!(literal, "\\{byte:03}");
            }
        }
    }
    literal.push('"');
    literal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::wire::RequestSpec;

    #[test]
    fn lua_strings_keep_every_byte() {
        assert_eq!(
            lua_string(b"GET / HTTP/1.1\r\nX: \"a\\b\"\r\n\r\n\x01\xc3\xa9"),
            r#""GET / HTTP/1.1\r\nX: \"a\\b\"\r\n\r\n\001\195\169""#
        );
    }

    #[test]
    fn the_script_holds_every_connection_s_requests() {
        let requests = Requests::new(2, |connection, sequence| {
            RequestSpec::post_json(
                "/v1/expenses",
                Some("Bearer t"),
                format!("{{\"n\":{connection}{sequence}}}"),
            )
        });
        let lua = script("127.0.0.1:1", &requests, 3, 2);
        assert_eq!(lua.matches("POST /v1/expenses HTTP/1.1").count(), 6);
        assert!(lua.contains(r#"{\"n\":21}"#));
        assert!(lua.contains("math.floor(count / 2)"));
    }

    #[test]
    fn reads_the_done_hook_s_line() {
        let stdout = "Running 3s test @ http://127.0.0.1:1/\n  2 threads and 8 connections\n\
                      XTASK-WRK 3001234 9000 10 0 1 0 2 812 2950\nRequests/sec: 2998.8\n";
        let figures = Figures::read(stdout).unwrap();
        assert_eq!(figures.requests, 9000);
        assert_eq!(figures.socket_errors, 3);
        let outcome = figures.outcome(Default::default());
        assert_eq!(outcome.requests, 8990);
        assert_eq!(outcome.errors, 13);
        assert!((outcome.per_second - 8990.0 / 3.001234).abs() < 1e-6);
        assert_eq!(outcome.latency.p99_ms, 2.95);
        assert_eq!(Figures::read("Requests/sec: 1\n"), None);
    }
}
