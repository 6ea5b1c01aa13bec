//! The load generator: N keep-alive connections, each sending its next request as soon as the
//! previous answer has been read (a closed loop), for a warm-up and then a measured window.
//!
//! Every answer completed inside the window counts: a 2xx adds its latency, anything else (or a
//! broken connection, which is reopened) counts as an error. Throughput is the number of 2xx
//! answers divided by the window's length.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::time::Instant;

use super::http::{BenchRequest, Connection};
use super::usage::{Usage, Watch};

/// How long one request may take before it counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds request number `sequence` of connection `connection`. Gets the `Host` header value.
pub type MakeRequest = Arc<dyn Fn(&str, usize, u64) -> BenchRequest + Send + Sync>;

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

#[derive(Default)]
struct ConnectionResult {
    latencies_us: Vec<u32>,
    errors: u64,
    first_error: Option<String>,
}

/// Runs `make` against `address` with `plan`, measuring `watch` during the window.
pub async fn run(
    address: SocketAddr,
    plan: Plan,
    make: MakeRequest,
    watch: Watch,
) -> anyhow::Result<Outcome> {
    let start = Instant::now() + plan.warmup;
    let end = start + plan.duration;
    let tasks: Vec<_> = (0..plan.connections)
        .map(|index| tokio::spawn(connection_loop(address, index, Arc::clone(&make), start, end)))
        .collect();
    tokio::time::sleep_until(start).await;
    let probe = watch.begin().await;
    tokio::time::sleep_until(end).await;
    let usage = probe.end().await;
    let mut all = ConnectionResult::default();
    for task in tasks {
        let result = task.await.context("a load connection panicked")??;
        all.latencies_us.extend(result.latencies_us);
        all.errors += result.errors;
        all.first_error = all.first_error.or(result.first_error);
    }
    let requests = all.latencies_us.len() as u64;
    Ok(Outcome {
        requests,
        errors: all.errors,
        first_error: all.first_error,
        per_second: requests as f64 / plan.duration.as_secs_f64(),
        latency: percentiles(&mut all.latencies_us),
        usage,
    })
}

async fn connection_loop(
    address: SocketAddr,
    index: usize,
    make: MakeRequest,
    start: Instant,
    end: Instant,
) -> anyhow::Result<ConnectionResult> {
    let mut result = ConnectionResult::default();
    let mut connection = Connection::open(address).await?;
    let mut sequence = 0u64;
    loop {
        let request = make(connection.host(), index, sequence);
        sequence += 1;
        let sent = Instant::now();
        if sent >= end {
            return Ok(result);
        }
        let answer = match tokio::time::timeout(REQUEST_TIMEOUT, connection.send(request)).await {
            Ok(answer) => answer,
            Err(_) => Err(anyhow::anyhow!("no answer within {REQUEST_TIMEOUT:?}")),
        };
        let done = Instant::now();
        let counted = done >= start && done <= end;
        match answer {
            Ok((status, _)) if status.is_success() => {
                if counted {
                    let micros = done.duration_since(sent).as_micros();
                    result
                        .latencies_us
                        .push(u32::try_from(micros).unwrap_or(u32::MAX));
                }
            }
            Ok((status, body)) => {
                if counted {
                    result.errors += 1;
                }
                result.first_error.get_or_insert_with(|| {
                    format!(
                        "{status}: {}",
                        String::from_utf8_lossy(&body[..body.len().min(300)])
                    )
                });
            }
            Err(error) => {
                if counted {
                    result.errors += 1;
                }
                result.first_error.get_or_insert_with(|| format!("{error:#}"));
                connection = Connection::open(address).await?;
            }
        }
    }
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
    use super::percentiles;

    #[test]
    fn nearest_rank_percentiles() {
        let mut latencies: Vec<u32> = (1..=100).map(|ms| ms * 1000).collect();
        let latency = percentiles(&mut latencies);
        assert_eq!(latency.p50_ms, 50.0);
        assert_eq!(latency.p99_ms, 99.0);
        assert_eq!(percentiles(&mut []).p50_ms, 0.0);
    }
}
