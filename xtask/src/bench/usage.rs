//! Resource use of the servers over one measured window: CPU seconds of the application server,
//! of Postgres, of the client (the load generator's own threads, or pgbench, wrk or the CLI), of
//! the rest of the benchmark (the harness: this sampler, the set-up pools), and the most memory
//! seen while loaded.
//!
//! The client is measured on its own so that the `gen` column compares load generators and
//! nothing else: the harness's sampling is the same whichever client runs, and is reported
//! apart. Memory is sampled during the window: the HTTP server's RSS every 200 ms, Postgres's Pss
//! one second in and then every five seconds (reading `smaps_rollup` of every backend walks its
//! page tables, shared buffers included: 25–55 ms of CPU per reading with 75 processes, so
//! sampled every 200 ms, as before issue 14, it took 13–27 % of a core from the servers). CPU is read at both ends, and so are Postgres's own counters of committed transactions and WAL syncs (which
//! its backends publish up to a second late, so over a window of several seconds they are close,
//! not exact).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::PgPool;

use super::procfs;

/// The processes to watch. `app` is the HTTP server (expense-server, PocketBase), `database` the
/// Postgres postmaster, `statistics` a pool on the benchmark database to read its counters,
/// `client` who sends the load.
#[derive(Debug, Clone, Default)]
pub struct Watch {
    pub app: Option<u32>,
    pub database: Option<u32>,
    pub statistics: Option<PgPool>,
    pub client: Client,
}

/// Whose CPU counts as the client's.
#[derive(Debug, Clone, Default)]
pub enum Client {
    /// Child processes run during the window and waited for before it ends (pgbench, wrk, the
    /// CLI): their CPU shows in this process's reaped-children time.
    #[default]
    Children,
    /// Threads of this process, by kernel thread id: a load generator's own threads.
    Threads(Arc<Vec<u32>>),
    /// This process as a whole (COPY, sent through the benchmark's own pool).
    ThisProcess,
}

impl Watch {
    /// The same watch with `client` as the client.
    pub fn with_client(&self, client: Client) -> Self {
        Self {
            client,
            ..self.clone()
        }
    }
}

/// What the watched processes used during a window.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub app_cpu_seconds: f64,
    pub database_cpu_seconds: f64,
    /// The client's CPU (see [`Client`]).
    pub load_generator_cpu_seconds: f64,
    /// The rest of this process's CPU: sampling, statistics queries, runtime threads.
    pub harness_cpu_seconds: f64,
    /// Highest VmRSS of the app seen during the window, KiB.
    pub app_rss_kib: u64,
    /// Highest total Pss of Postgres seen during the window, KiB.
    pub database_pss_kib: u64,
    /// Transactions Postgres committed in the benchmark database (read-only ones too).
    pub database_commits: f64,
    /// Times Postgres flushed its WAL to disk (`pg_stat_wal.wal_sync`).
    pub wal_syncs: f64,
    /// CPU seconds the machine spent in other user-space processes (another user's build, say),
    /// which makes the window's figures suspect. Kernel threads are not counted: they mostly work
    /// for the benchmark's own disk and network traffic.
    pub other_cpu_seconds: f64,
    /// The window's length.
    pub wall_seconds: f64,
}

/// A window being measured.
pub struct Probe {
    watch: Watch,
    start: Usage,
    started: Instant,
    /// Busy CPU seconds of the machine outside kernel threads, at the start.
    machine_busy: f64,
    memory: Arc<Mutex<(u64, u64)>>,
    sampler: tokio::task::JoinHandle<()>,
}

impl Watch {
    /// Starts measuring now.
    pub async fn begin(&self) -> Probe {
        let memory = Arc::new(Mutex::new((0, 0)));
        let sampled = Arc::clone(&memory);
        let (app, database) = (self.app, self.database);
        let sampler = tokio::spawn(async move {
            for tick in 0u64.. {
                let rss = app.map_or(0, procfs::rss_kib);
                // One second in, then every five: loaded by then, and cheap enough.
                let pss = match database {
                    Some(postmaster) if tick % 25 == 5 => procfs::tree_pss_kib(postmaster),
                    _ => 0,
                };
                {
                    let mut maxima = sampled.lock().expect("memory samples");
                    maxima.0 = maxima.0.max(rss);
                    maxima.1 = maxima.1.max(pss);
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        let start = self.counters().await;
        Probe {
            watch: self.clone(),
            start,
            started: Instant::now(),
            machine_busy: procfs::machine_busy_seconds() - procfs::kernel_threads_cpu_seconds(),
            memory,
            sampler,
        }
    }

    async fn counters(&self) -> Usage {
        let (database_commits, wal_syncs) = match &self.statistics {
            Some(pool) => sqlx::query_as::<_, (f64, f64)>(
                "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::float8,
                        (SELECT wal_sync FROM pg_stat_wal)::float8",
            )
            .fetch_one(pool)
            .await
            .unwrap_or_default(),
            None => (0.0, 0.0),
        };
        let me = std::process::id();
        let this_process = procfs::cpu_seconds(me);
        let children = procfs::reaped_children_cpu_seconds(me);
        let (client, harness) = match &self.client {
            Client::Children => (children, this_process),
            Client::Threads(threads) => {
                let generator: f64 = threads.iter().copied().map(procfs::thread_cpu_seconds).sum();
                (generator, this_process - generator + children)
            }
            Client::ThisProcess => (this_process + children, 0.0),
        };
        Usage {
            app_cpu_seconds: self.app.map_or(0.0, procfs::cpu_seconds),
            database_cpu_seconds: self.database.map_or(0.0, procfs::tree_cpu_seconds),
            load_generator_cpu_seconds: client,
            harness_cpu_seconds: harness,
            database_commits,
            wal_syncs,
            ..Usage::default()
        }
    }
}

impl Usage {
    /// CPU that processes outside the benchmark took, in % of the whole machine.
    pub fn other_percent(&self) -> f64 {
        if self.wall_seconds <= 0.0 {
            return 0.0;
        }
        let cpus = std::thread::available_parallelism().map_or(1, usize::from) as f64;
        100.0 * self.other_cpu_seconds / (self.wall_seconds * cpus)
    }
}

impl Probe {
    /// Stops measuring and returns what was used since [`Watch::begin`].
    pub async fn end(self) -> Usage {
        let machine_busy =
            procfs::machine_busy_seconds() - procfs::kernel_threads_cpu_seconds() - self.machine_busy;
        let wall_seconds = self.started.elapsed().as_secs_f64();
        let end = self.watch.counters().await;
        self.sampler.abort();
        let (app_rss_kib, database_pss_kib) = *self.memory.lock().expect("memory samples");
        let app_cpu_seconds = end.app_cpu_seconds - self.start.app_cpu_seconds;
        let database_cpu_seconds = end.database_cpu_seconds - self.start.database_cpu_seconds;
        let load_generator_cpu_seconds =
            end.load_generator_cpu_seconds - self.start.load_generator_cpu_seconds;
        // The process's total counts in ticks, its threads to the nanosecond: never below zero.
        let harness_cpu_seconds = (end.harness_cpu_seconds - self.start.harness_cpu_seconds).max(0.0);
        let ours = app_cpu_seconds + database_cpu_seconds + load_generator_cpu_seconds + harness_cpu_seconds;
        Usage {
            app_cpu_seconds,
            database_cpu_seconds,
            load_generator_cpu_seconds,
            harness_cpu_seconds,
            other_cpu_seconds: (machine_busy - ours).max(0.0),
            wall_seconds,
            app_rss_kib,
            database_pss_kib,
            database_commits: end.database_commits - self.start.database_commits,
            wal_syncs: end.wal_syncs - self.start.wal_syncs,
        }
    }
}
