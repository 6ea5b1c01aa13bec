//! The load generator the benchmark used before issue 14, kept to show what it costs
//! (`cargo xtask bench --hyper`): the same closed loop as [`load`](super::load), but each
//! connection a hyper client connection driven by its own task on a two-thread tokio runtime,
//! and each request a `hyper::Request` built anew.
//!
//! The runtime is its own, so its threads (and only they) are measured as the client. Nothing in
//! the benchmark's figures depends on it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use http_body_util::Full;
use hyper::Method;
use hyper::body::Bytes;
use tokio::time::Instant;

use super::http::{BenchRequest, Connection, request};
use super::load::{ConnectionResult, Outcome, Plan, REQUEST_TIMEOUT, Requests};
use super::procfs;
use super::usage::{Client, Watch};
use super::wire::RequestSpec;

/// Runs `requests` against `address` with `plan`, measuring `watch` during the window.
pub async fn run(
    address: SocketAddr,
    plan: Plan,
    requests: &Requests,
    watch: Watch,
) -> anyhow::Result<Outcome> {
    let thread_ids = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&thread_ids);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("hyper-load")
        .on_thread_start(move || recorded.lock().expect("thread ids").push(procfs::thread_id()))
        .enable_all()
        .build()?;
    let start = Instant::now() + plan.warmup;
    let end = start + plan.duration;
    let tasks: Vec<_> = (0..plan.connections)
        .map(|index| runtime.spawn(connection_loop(address, index, requests.clone(), start, end)))
        .collect();
    tokio::time::sleep_until(start).await;
    let ids = thread_ids.lock().expect("thread ids").clone();
    let probe = watch.with_client(Client::Threads(Arc::new(ids))).begin().await;
    tokio::time::sleep_until(end).await;
    let usage = probe.end().await;
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.context("a load connection panicked")??);
    }
    runtime.shutdown_background();
    Ok(ConnectionResult::outcome(results, plan.duration, usage))
}

fn hyper_request(host: &str, spec: &RequestSpec) -> BenchRequest {
    let method = if spec.method == "POST" {
        Method::POST
    } else {
        Method::GET
    };
    let body = spec.body.clone().map_or_else(Bytes::new, Bytes::from);
    request(host, method, &spec.path, spec.authorization.as_deref(), body)
}

async fn connection_loop(
    address: SocketAddr,
    index: usize,
    requests: Requests,
    start: Instant,
    end: Instant,
) -> anyhow::Result<ConnectionResult> {
    let mut result = ConnectionResult::default();
    let mut connection = Connection::open(address).await?;
    let mut sequence = 0u64;
    loop {
        let spec = (requests.make)(index, sequence % requests.cycle);
        let request: hyper::Request<Full<Bytes>> = hyper_request(connection.host(), &spec);
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
