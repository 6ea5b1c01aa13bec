//! The two halves of a run. Each figure is measured right next to its reference, so that a
//! machine whose load changes during the run (a neighbour's build on a shared machine) changes
//! both alike and the ratio holds:
//!
//! 1. Postgres: raw pgbench and the service on Postgres side by side on one server, alternating
//!    run by run (pgbench page, service list, at 1, 8 and 32 connections; then INSERT and
//!    create), then COPY and `expense import`; then the split roles' memory ([`roles`](super::roles));
//!    then Postgres is stopped.
//! 2. SQLite: PocketBase and the service on SQLite, alternating the same way.
//!
//! Every HTTP figure is measured by our load generator, then at once by wrk (the cross-check),
//! then by the hyper-based generator of earlier runs when asked (`--hyper`). Before a workload's
//! first figure, one of its answers is checked ([`load::check`]). Lists run before creates, so the
//! creates do not change the pages. The server not being measured sits idle.

use std::future::Future;
use std::path::{Path, PathBuf};

use anyhow::bail;
use expense_testkit::postgres::EphemeralPostgres;
use sqlx::PgPool;
use uuid::Uuid;

use super::load::{self, Expect, Outcome, Requests};
use super::pgbench::{self, Pgbench, Script};
use super::pocketbase::{self, PocketBase};
use super::report::{Backend, Generator, Memory, Report, Workload};
use super::service::{self, Account, Service, Store};
use super::usage::{Client, Watch};
use super::{CONNECTIONS, Scale, fill, hyper_load, procfs, wrk};
use crate::process::ServerProcess;

/// The most CPU other processes may take (in % of the machine) during a figure before it is
/// measured again: the machine may be shared, and a busy neighbour skews every figure.
const QUIET_PERCENT: f64 = 10.0;
/// How many times a disturbed figure is measured before the least disturbed one is kept.
const ATTEMPTS: usize = 3;

/// What both halves need.
pub struct Run<'a> {
    pub scale: Scale,
    /// Which generators measure each HTTP figure besides ours.
    pub generators: Generators,
    pub binaries: &'a Path,
    pub logs: PathBuf,
    pub work_dir: &'a Path,
    pub report: &'a mut Report,
}

/// The generators that measure each HTTP figure after ours.
#[derive(Debug, Clone, Copy)]
pub struct Generators {
    pub wrk: bool,
    pub hyper: bool,
}

/// One HTTP figure: a workload on a backend at a connection count.
struct Figure<'a> {
    workload: Workload,
    backend: Backend,
    connections: usize,
    address: std::net::SocketAddr,
    requests: &'a Requests,
    watch: &'a Watch,
}

/// A Postgres server with the benchmark database.
pub struct Database<'a> {
    pub server: &'a EphemeralPostgres,
    pub name: &'a str,
    pub url: String,
    pub pool: PgPool,
    pub postmaster: u32,
}

/// The most memory seen while loaded: the HTTP server's RSS and Postgres's Pss, KiB.
#[derive(Default)]
struct Loaded {
    app_kib: u64,
    database_kib: u64,
}

impl Loaded {
    fn see(&mut self, outcome: &Outcome) {
        self.app_kib = self.app_kib.max(outcome.usage.app_rss_kib);
        self.database_kib = self.database_kib.max(outcome.usage.database_pss_kib);
    }
}

impl Run<'_> {
    /// Raw Postgres and the service on Postgres.
    pub async fn postgres(&mut self, database: &Database<'_>) -> anyhow::Result<()> {
        eprint!(
            "    raw copy of the table: filling {} rows of {} users ",
            self.scale.rows, self.scale.users
        );
        pgbench::prepare(&database.pool, &self.scale).await?;
        let store = Store::Postgres(database.url.clone());
        let mut service =
            Service::start(self.binaries, &store, &self.logs.join("service-postgres.log")).await?;
        let idle_kib = procfs::rss_kib(service.server.pid());
        let database_idle_kib = procfs::tree_pss_kib(database.postmaster);
        let accounts = service.accounts(CONNECTIONS[2] + 1).await?;
        let (load_accounts, import_accounts) = accounts.split_at(CONNECTIONS[2]);
        let users = fill_users(load_accounts, self.scale.users);
        eprint!(
            "    the service's table: filling {} rows of {} users ",
            self.scale.rows, self.scale.users
        );
        fill::postgres(&database.pool, "expenses.expenses", &users, self.scale.rows).await?;
        let set_up_kib = procfs::rss_kib(service.server.pid());

        let pgbench = Pgbench {
            postgres: database.server,
            database: database.name,
            work_dir: self.work_dir,
            watch: Watch {
                app: None,
                database: Some(database.postmaster),
                statistics: Some(database.pool.clone()),
                client: Client::Children,
            },
        };
        let watch = Watch {
            app: Some(service.server.pid()),
            ..pgbench.watch.clone()
        };
        let pairs = [
            (
                Workload::List,
                Script::Page,
                service::list_workload(load_accounts),
                Expect::Page,
            ),
            (
                Workload::Create,
                Script::Insert,
                service::create_workload(load_accounts),
                Expect::Created,
            ),
        ];
        let mut loaded = Loaded::default();
        for (workload, script, requests, expect) in pairs {
            self.check(Backend::ServicePostgres, service.address, &requests, expect)
                .await?;
            for connections in CONNECTIONS {
                let (users, duration) = (self.scale.users, self.scale.duration);
                let raw = quietest(|| pgbench.run(script, connections, users, duration)).await?;
                loaded.see(&raw);
                self.report.add(
                    workload,
                    Backend::PostgresRaw,
                    Generator::Pgbench,
                    Some(connections),
                    &raw,
                );
                let figure = Figure {
                    workload,
                    backend: Backend::ServicePostgres,
                    connections,
                    address: service.address,
                    requests: &requests,
                    watch: &watch,
                };
                self.http_figures(&figure, &mut loaded).await?;
            }
        }
        let copy_watch = pgbench.watch.with_client(Client::ThisProcess);
        let copied = pgbench::copy(&database.pool, self.scale.bulk_rows, copy_watch).await?;
        self.report.add(
            Workload::Import,
            Backend::PostgresRaw,
            Generator::Copy,
            None,
            &copied,
        );
        self.import(&service, &import_accounts[0], database, watch)
            .await?;

        self.report.memory.push(memory(
            "expense-server on postgres",
            &service.server,
            idle_kib,
            set_up_kib,
            loaded.app_kib,
        ));
        self.report.memory.push(Memory {
            server: "postgres, all processes".to_owned(),
            idle_kib: database_idle_kib,
            set_up_kib: None,
            loaded_kib: loaded.database_kib,
            peak_kib: None,
            measure: "Pss",
            note: None,
        });
        service.server.stop();
        Ok(())
    }

    /// Checks one answer of `requests` from `address` and notes what was checked.
    async fn check(
        &mut self,
        backend: Backend,
        address: std::net::SocketAddr,
        requests: &Requests,
        expect: Expect,
    ) -> anyhow::Result<()> {
        let checked = load::check(address, requests, expect).await?;
        let line = format!("{}: {checked}", backend.label());
        eprintln!("    checked {line}");
        self.report.checks.push(line);
        Ok(())
    }

    /// Measures `figure` with our generator, then with each other generator asked for.
    async fn http_figures(&mut self, figure: &Figure<'_>, loaded: &mut Loaded) -> anyhow::Result<()> {
        let plan = self.scale.plan(figure.connections);
        let (address, requests, watch) = (figure.address, figure.requests, figure.watch);
        let mut measured = vec![(
            Generator::Xtask,
            quietest(|| load::run(address, plan, requests, watch.clone())).await?,
        )];
        self.add(figure, Generator::Xtask, &measured[0].1);
        if self.generators.wrk {
            let work_dir = self.work_dir;
            let outcome = quietest(|| wrk::run(address, plan, requests, watch.clone(), work_dir)).await?;
            self.add(figure, Generator::Wrk, &outcome);
            measured.push((Generator::Wrk, outcome));
        }
        if self.generators.hyper {
            let outcome = quietest(|| hyper_load::run(address, plan, requests, watch.clone())).await?;
            self.add(figure, Generator::Hyper, &outcome);
            measured.push((Generator::Hyper, outcome));
        }
        for (_, outcome) in &measured {
            loaded.see(outcome);
        }
        Ok(())
    }

    fn add(&mut self, figure: &Figure<'_>, generator: Generator, outcome: &Outcome) {
        self.report.add(
            figure.workload,
            figure.backend,
            generator,
            Some(figure.connections),
            outcome,
        );
    }

    async fn import(
        &mut self,
        service: &Service,
        account: &Account,
        database: &Database<'_>,
        watch: Watch,
    ) -> anyhow::Result<()> {
        if !service::import_available(self.binaries) {
            let why = "expense import not available";
            self.report
                .not_measured(Workload::Import, Backend::ServicePostgres, Generator::Cli, why);
            return Ok(());
        }
        eprintln!("    expense import of {} rows", self.scale.bulk_rows);
        let rows = self.scale.bulk_rows;
        let outcome = service::import(
            self.binaries,
            service.address,
            account,
            rows,
            self.work_dir,
            watch,
        )
        .await?;
        let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM expenses.expenses WHERE user_id = $1")
            .bind(account.id)
            .fetch_one(&database.pool)
            .await?;
        if u64::try_from(stored).unwrap_or(0) != rows {
            bail!("expense import reported success but stored {stored} rows of {rows}");
        }
        self.report.add(
            Workload::Import,
            Backend::ServicePostgres,
            Generator::Cli,
            None,
            &outcome,
        );
        Ok(())
    }

    /// The service on its embedded SQLite, and PocketBase.
    pub async fn sqlite(&mut self, pocketbase_binary: &Path) -> anyhow::Result<()> {
        let mut service = Service::start(
            self.binaries,
            &Store::Sqlite,
            &self.logs.join("service-sqlite.log"),
        )
        .await?;
        let service_idle_kib = procfs::rss_kib(service.server.pid());
        let accounts = service.accounts(CONNECTIONS[2]).await?;
        eprint!(
            "    the service's SQLite: filling {} rows of {} users ",
            self.scale.rows, self.scale.users
        );
        fill::service_sqlite(
            &service.sqlite_file(),
            &fill_users(&accounts, self.scale.users),
            self.scale.rows,
        )
        .await?;
        let service_set_up_kib = procfs::rss_kib(service.server.pid());

        let mut peer = PocketBase::start(pocketbase_binary, &self.logs.join("pocketbase.log")).await?;
        let peer_idle_kib = procfs::rss_kib(peer.server.pid());
        eprint!(
            "    PocketBase: filling {} rows of {} users ",
            self.scale.rows, self.scale.users
        );
        fill::pocketbase(&peer.data_file(), self.scale.users, self.scale.rows).await?;
        let peer_set_up_kib = procfs::rss_kib(peer.server.pid());

        let service_watch = Watch {
            app: Some(service.server.pid()),
            ..Watch::default()
        };
        let peer_watch = Watch {
            app: Some(peer.server.pid()),
            ..Watch::default()
        };
        let pairs = [
            (
                Workload::List,
                pocketbase::list_workload(),
                service::list_workload(&accounts),
                Expect::Page,
            ),
            (
                Workload::Create,
                pocketbase::create_workload(),
                service::create_workload(&accounts),
                Expect::Created,
            ),
        ];
        let (mut service_loaded, mut peer_loaded) = (Loaded::default(), Loaded::default());
        for (workload, peer_requests, service_requests, expect) in pairs {
            self.check(Backend::PocketBase, peer.address, &peer_requests, expect)
                .await?;
            self.check(Backend::ServiceSqlite, service.address, &service_requests, expect)
                .await?;
            for connections in CONNECTIONS {
                let theirs = Figure {
                    workload,
                    backend: Backend::PocketBase,
                    connections,
                    address: peer.address,
                    requests: &peer_requests,
                    watch: &peer_watch,
                };
                self.http_figures(&theirs, &mut peer_loaded).await?;
                let ours = Figure {
                    workload,
                    backend: Backend::ServiceSqlite,
                    connections,
                    address: service.address,
                    requests: &service_requests,
                    watch: &service_watch,
                };
                self.http_figures(&ours, &mut service_loaded).await?;
            }
        }

        self.report.memory.push(memory(
            "expense-server on sqlite",
            &service.server,
            service_idle_kib,
            service_set_up_kib,
            service_loaded.app_kib,
        ));
        self.report.memory.push(memory(
            "pocketbase",
            &peer.server,
            peer_idle_kib,
            peer_set_up_kib,
            peer_loaded.app_kib,
        ));
        service.server.stop();
        peer.server.stop();
        Ok(())
    }
}

/// Runs `attempt` until other processes took at most [`QUIET_PERCENT`] of the machine during
/// it, at most [`ATTEMPTS`] times, and keeps the least disturbed outcome.
async fn quietest<F, Fut>(mut attempt: F) -> anyhow::Result<Outcome>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<Outcome>>,
{
    let mut best: Option<Outcome> = None;
    for number in 1..=ATTEMPTS {
        let outcome = attempt().await?;
        let other = outcome.usage.other_percent();
        if other <= QUIET_PERCENT {
            return Ok(outcome);
        }
        let next = if number < ATTEMPTS {
            "measuring again"
        } else {
            "keeping the least disturbed run"
        };
        eprintln!("    (other processes took {other:.0} % of the machine during that run; {next})");
        if best
            .as_ref()
            .is_none_or(|best| other < best.usage.other_percent())
        {
            best = Some(outcome);
        }
    }
    Ok(best.expect("at least one attempt"))
}

fn memory(name: &str, server: &ServerProcess, idle_kib: u64, set_up_kib: u64, loaded_kib: u64) -> Memory {
    Memory {
        server: name.to_owned(),
        idle_kib,
        set_up_kib: Some(set_up_kib),
        loaded_kib,
        peak_kib: Some(procfs::peak_rss_kib(server.pid())),
        measure: "VmRSS",
        note: None,
    }
}

/// The signed-in accounts' ids, then made-up ids up to `users` in all.
fn fill_users(accounts: &[Account], users: u64) -> Vec<Uuid> {
    let made_up =
        (accounts.len() as u64..users).map(|index| Uuid::from_u128((0xbe9c_u128 << 112) | u128::from(index)));
    accounts.iter().map(|account| account.id).chain(made_up).collect()
}
