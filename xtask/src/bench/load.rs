//! The load generator: N keep-alive connections, each on its own thread with a blocking socket
//! ([`wire`](super::wire)), sending its next request as soon as the previous answer has been
//! read (a closed loop), for a warm-up and then a measured window.
//!
//! Every answer completed inside the window counts: a 2xx adds its latency, anything else (or a
//! broken connection, which is reopened) counts as an error. Throughput is the number of 2xx
//! answers divided by the window's length. The requests are built as bytes before the warm-up,
//! so the window spends the generator's CPU on writing, reading and framing only; that CPU is
//! measured on the generator's own threads ([`Client::Threads`]).
//!
//! [`check`] sends one request of a workload before its figures are measured, and fails the run
//! unless the answer is what the workload expects, read whole.

use std::net::SocketAddr;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::http;
use super::procfs;
use super::usage::{Client, Usage, Watch};
use super::wire::{self, RequestSpec};

/// How long one request may take before it counts as an error.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// A load thread's stack: it holds a few frames and a read buffer on the heap.
const THREAD_STACK: usize = 256 * 1024;

/// What a workload sends: request `sequence` of connection `connection`. Connection `c` sends
/// requests `0..cycle` over and over, built once before the run.
#[derive(Clone)]
pub struct Requests {
    pub cycle: u64,
    pub make: Arc<dyn Fn(usize, u64) -> RequestSpec + Send + Sync>,
}

impl Requests {
    pub fn new(cycle: u64, make: impl Fn(usize, u64) -> RequestSpec + Send + Sync + 'static) -> Self {
        Self {
            cycle: cycle.max(1),
            make: Arc::new(make),
        }
    }

    /// The requests connection `connection` sends, in order.
    pub fn of_connection(&self, connection: usize) -> Vec<RequestSpec> {
        (0..self.cycle)
            .map(|sequence| (self.make)(connection, sequence))
            .collect()
    }
}

/// How long and how wide one run is.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub connections: usize,
    pub warmup: Duration,
    pub duration: Duration,
}

/// Latency percentiles of the successful requests, in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Latency {
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// The outcome of one run.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub requests: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    /// Successful requests (or rows) per second.
    pub per_second: f64,
    pub latency: Latency,
    pub usage: Usage,
}

impl Outcome {
    /// A bulk load's outcome: `rows` stored in `seconds`, with no latency figures.
    pub fn bulk(rows: u64, seconds: f64, usage: Usage) -> Self {
        Self {
            requests: rows,
            errors: 0,
            first_error: None,
            per_second: rows as f64 / seconds,
            latency: Latency::default(),
            usage,
        }
    }
}

/// What one connection saw inside the window.
#[derive(Default)]
pub struct ConnectionResult {
    pub latencies_us: Vec<u32>,
    pub errors: u64,
    pub first_error: Option<String>,
}

impl ConnectionResult {
    /// Adds up the connections' results into an outcome over `duration`.
    pub fn outcome(results: Vec<ConnectionResult>, duration: Duration, usage: Usage) -> Outcome {
        let mut all = ConnectionResult::default();
        for result in results {
            all.latencies_us.extend(result.latencies_us);
            all.errors += result.errors;
            all.first_error = all.first_error.or(result.first_error);
        }
        let requests = all.latencies_us.len() as u64;
        Outcome {
            requests,
            errors: all.errors,
            first_error: all.first_error,
            per_second: requests as f64 / duration.as_secs_f64(),
            latency: percentiles(&mut all.latencies_us),
            usage,
        }
    }
}

/// Runs `requests` against `address` with `plan`, measuring `watch` (and the generator's own
/// threads as the client) during the window.
pub async fn run(
    address: SocketAddr,
    plan: Plan,
    requests: &Requests,
    watch: Watch,
) -> anyhow::Result<Outcome> {
    let host = address.to_string();
    let prepared: Vec<Vec<Vec<u8>>> = (0..plan.connections)
        .map(|connection| {
            requests
                .of_connection(connection)
                .iter()
                .map(|request| request.to_bytes(&host))
                .collect()
        })
        .collect();
    let start = Instant::now() + plan.warmup;
    let end = start + plan.duration;
    let (thread_ids, mut started) = tokio::sync::mpsc::unbounded_channel();
    // A thread's CPU can only be read while it lives: each waits here, once done, until the
    // window's usage has been read.
    let measured = Arc::new(Barrier::new(plan.connections + 1));
    let mut threads = Vec::new();
    for (index, requests) in prepared.into_iter().enumerate() {
        let thread_ids = thread_ids.clone();
        let measured = WaitOnDrop(Arc::clone(&measured));
        let thread = std::thread::Builder::new()
            .name(format!("load-{index}"))
            .stack_size(THREAD_STACK)
            .spawn(move || {
                let _measured = measured;
                // Sent, then dropped at once: the channel closes when every thread has started.
                let _ = thread_ids.send(procfs::thread_id());
                drop(thread_ids);
                connection_loop(address, &requests, start, end)
            })
            .context("cannot start a load thread")?;
        threads.push(thread);
    }
    drop(thread_ids);
    let mut ids = Vec::new();
    while let Some(id) = started.recv().await {
        ids.push(id);
    }
    tokio::time::sleep_until(start.into()).await;
    let probe = watch.with_client(Client::Threads(Arc::new(ids))).begin().await;
    tokio::time::sleep_until(end.into()).await;
    let usage = probe.end().await;
    let results = tokio::task::spawn_blocking(move || {
        measured.wait();
        threads
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .map_err(|_| anyhow::anyhow!("a load thread panicked"))?
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })
    .await??;
    Ok(ConnectionResult::outcome(results, plan.duration, usage))
}

/// Waits on the barrier when dropped, however the thread ends.
struct WaitOnDrop(Arc<Barrier>);

impl Drop for WaitOnDrop {
    fn drop(&mut self) {
        self.0.wait();
    }
}

fn connection_loop(
    address: SocketAddr,
    requests: &[Vec<u8>],
    start: Instant,
    end: Instant,
) -> anyhow::Result<ConnectionResult> {
    let mut result = ConnectionResult::default();
    let mut connection = wire::Connection::open(address, REQUEST_TIMEOUT)?;
    for request in requests.iter().cycle() {
        let sent = Instant::now();
        if sent >= end {
            break;
        }
        let answer = connection.exchange(request);
        let done = Instant::now();
        let counted = done >= start && done <= end;
        let reopen = match answer {
            Ok(answer) if answer.is_success() => {
                if counted {
                    let micros = done.duration_since(sent).as_micros();
                    result
                        .latencies_us
                        .push(u32::try_from(micros).unwrap_or(u32::MAX));
                }
                answer.close
            }
            Ok(answer) => {
                if counted {
                    result.errors += 1;
                }
                if result.first_error.is_none() {
                    let body = connection.last_body().unwrap_or_default();
                    result.first_error = Some(format!(
                        "{}: {}",
                        answer.status,
                        String::from_utf8_lossy(&body[..body.len().min(300)])
                    ));
                }
                answer.close
            }
            Err(error) => {
                if counted {
                    result.errors += 1;
                }
                result.first_error.get_or_insert_with(|| format!("{error:#}"));
                true
            }
        };
        if reopen {
            connection = wire::Connection::open(address, REQUEST_TIMEOUT)?;
        }
    }
    Ok(result)
}

/// What a workload's answers must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A page: a JSON object whose `items` array is not empty. The same request through hyper
    /// must read the same bytes.
    Page,
    /// A created record: a JSON object with an `id`.
    Created,
    /// Any JSON.
    Json,
}

/// Sends request 0 of connection 0 of `requests` once with the load generator's client and
/// checks the answer against `expect`; returns a line saying what was checked.
pub async fn check(address: SocketAddr, requests: &Requests, expect: Expect) -> anyhow::Result<String> {
    let request = (requests.make)(0, 0);
    let bytes = request.to_bytes(&address.to_string());
    let (answer, body) = tokio::task::spawn_blocking(move || {
        let mut connection = wire::Connection::open(address, REQUEST_TIMEOUT)?;
        let answer = connection.exchange(&bytes)?;
        anyhow::Ok((answer, connection.last_body()?))
    })
    .await??;
    let shown = || String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
    if !answer.is_success() {
        bail!(
            "{} {} answered {}: {}",
            request.method,
            request.path,
            answer.status,
            shown()
        );
    }
    let json: serde_json::Value = serde_json::from_slice(&body).with_context(|| {
        format!(
            "{} {}: the body is not whole JSON: {}",
            request.method,
            request.path,
            shown()
        )
    })?;
    let what = match expect {
        Expect::Page => {
            let items = json["items"].as_array().map_or(0, Vec::len);
            if items == 0 {
                bail!(
                    "{} {}: a page without items: {}",
                    request.method,
                    request.path,
                    shown()
                );
            }
            let mut connection = http::Connection::open(address).await?;
            let (status, hyper_body) = connection
                .get(&request.path, request.authorization.as_deref())
                .await?;
            if status.as_u16() != answer.status || hyper_body.as_ref() != body.as_slice() {
                bail!(
                    "{} {}: hyper read {status} and {} bytes, the load generator {} and {} bytes",
                    request.method,
                    request.path,
                    hyper_body.len(),
                    answer.status,
                    body.len()
                );
            }
            format!("{items} items, the same {} bytes as hyper read", body.len())
        }
        Expect::Created => {
            if json["id"].is_null() {
                bail!(
                    "{} {}: no id in the answer: {}",
                    request.method,
                    request.path,
                    shown()
                );
            }
            format!("a record with an id, {} bytes", body.len())
        }
        Expect::Json => format!("JSON, {} bytes", body.len()),
    };
    let framing = match answer.framing {
        wire::Framing::Length(_) => "Content-Length",
        wire::Framing::Chunked => "chunked",
        wire::Framing::UntilClose => "read until close",
    };
    Ok(format!(
        "{} {}: {} ({framing}), {what}",
        request.method, request.path, answer.status
    ))
}

/// p50 and p99 (nearest rank) of `latencies_us`, in milliseconds.
pub fn percentiles(latencies_us: &mut [u32]) -> Latency {
    if latencies_us.is_empty() {
        return Latency::default();
    }
    latencies_us.sort_unstable();
    let rank = |fraction: f64| {
        let index = ((latencies_us.len() as f64 * fraction).ceil() as usize).clamp(1, latencies_us.len());
        f64::from(latencies_us[index - 1]) / 1000.0
    };
    Latency {
        p50_ms: rank(0.50),
        p99_ms: rank(0.99),
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    use super::*;

    /// A server answering `GET /ok` with 200 and anything else with 500, keep-alive.
    fn server() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut writer = stream;
                    loop {
                        let mut first = String::new();
                        if reader.read_line(&mut first).unwrap_or(0) == 0 {
                            return;
                        }
                        let mut line = String::new();
                        while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                            line.clear();
                        }
                        let answer: &[u8] = if first.starts_with("GET /ok ") {
                            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                        } else {
                            b"HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\noops"
                        };
                        if writer.write_all(answer).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        address
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn counts_successes_and_errors_inside_the_window() {
        let plan = Plan {
            connections: 2,
            warmup: Duration::from_millis(100),
            duration: Duration::from_millis(400),
        };
        let requests = Requests::new(2, |_, sequence| {
            RequestSpec::get(if sequence == 0 { "/ok" } else { "/fail" }, None)
        });
        let outcome = run(server(), plan, &requests, Watch::default()).await.unwrap();
        assert!(outcome.requests > 10, "{outcome:?}");
        // Each connection alternates, so successes and errors differ by at most one each.
        assert!(outcome.requests.abs_diff(outcome.errors) <= 2, "{outcome:?}");
        assert_eq!(outcome.first_error.as_deref(), Some("500: oops"));
        assert!((outcome.per_second - outcome.requests as f64 / 0.4).abs() < 1e-6);
        assert!(outcome.usage.load_generator_cpu_seconds > 0.0, "{outcome:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn checks_refuse_what_the_workload_does_not_expect() {
        let address = server();
        let failing = Requests::new(1, |_, _| RequestSpec::get("/fail", None));
        let error = check(address, &failing, Expect::Json).await.unwrap_err();
        assert!(format!("{error:#}").contains("answered 500"), "{error:#}");
        let not_json = Requests::new(1, |_, _| RequestSpec::get("/ok", None));
        let error = check(address, &not_json, Expect::Json).await.unwrap_err();
        assert!(format!("{error:#}").contains("not whole JSON"), "{error:#}");
    }

    #[test]
    fn nearest_rank_percentiles() {
        let mut latencies: Vec<u32> = (1..=100).map(|ms| ms * 1000).collect();
        let latency = percentiles(&mut latencies);
        assert_eq!(latency.p50_ms, 50.0);
        assert_eq!(latency.p99_ms, 99.0);
        assert_eq!(percentiles(&mut []).p50_ms, 0.0);
    }
}
