//! The split topology: every role as its own `expense-server` process on its own port, wired as
//! on EKS, for `cargo xtask up --split` and the smoke gate of `cargo xtask test`.
//!
//! - Postgres (given by the caller), migrated once by `expense-server migrate` first, as the k8s
//!   migrate Job does; the roles start with `MIGRATE_ON_START=false`.
//! - Events over SNS → SQS on a local moto ([`events`]): `EVENTS=sns` in every role.
//! - `auth`, `expenses`, `receipts` (serving the embedded S3-compatible store, `S3_EMBEDDED=true`)
//!   and `notifications`, each with its own data directory, reaching each other through
//!   `AUTH_URL` and `EXPENSES_URL` directly, as through the cluster's Services.
//! - In front, the ALB stand-in ([`front_door`]) with the routes of `k8s/base/ingress.yaml`.
//!
//! Each role's environment is built from nothing (`env_clear`), as a pod's is, and kept, so a
//! role can be started again as the kubelet would ([`Topology::restart_role`], for
//! `cargo xtask chaos`). Everything started here is stopped by its pid when the [`Topology`] is
//! stopped or dropped.

pub mod events;
pub mod front_door;
pub mod ingress;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::Context;
use expense_testkit::moto::MotoServer;
use expense_testkit::postgres::EphemeralPostgres;
use sqlx::Connection;

use crate::process::ServerProcess;
use crate::process::free_port;
use crate::project::{cargo, root, run_checked, step};
use crate::{postgres, tools};
use events::EventWiring;
use front_door::{Backends, FrontDoor};
use ingress::RouteTable;

/// The roles, in start order; each is also the name of its Kubernetes Service.
pub const ROLES: [&str; 4] = ["auth", "expenses", "receipts", "notifications"];

/// The moto credentials, passed to the roles as the default AWS chain reads them.
const AWS_KEY: &str = crate::infra::aws::MOTO_ACCESS_KEY;
const AWS_SECRET: &str = crate::infra::aws::MOTO_SECRET_KEY;

/// Environment variables passed from ours to every role, when set.
const PASSED_THROUGH: &[&str] = &["PATH", "RUST_BACKTRACE", "RUST_LOG", "EXPENSE_LOG"];

/// Where and how to start the topology.
#[derive(Debug, Clone)]
pub struct Options {
    /// The front door's port; 0 for a free one.
    pub front_door_port: u16,
    /// The roles' ports, in [`ROLES`] order; `None` for free ones.
    pub role_ports: Option<[u16; 4]>,
    /// A Postgres database for every service's schema.
    pub database_url: String,
    /// The Python with moto installed.
    pub python: PathBuf,
    /// The folder holding `expense-server`.
    pub binaries: PathBuf,
    /// Where the roles' logs go (`<role>.log`).
    pub log_dir: PathBuf,
    /// `EXPENSE_LOG_FORMAT` of the roles.
    pub log_format: String,
}

/// The running topology.
pub struct Topology {
    front_door: FrontDoor,
    roles: Vec<ServerProcess>,
    /// How each role was started, in [`ROLES`] order, to start it again ([`Topology::restart_role`]).
    launches: Vec<RoleLaunch>,
    moto: MotoServer,
    _data: tempfile::TempDir,
}

/// How one role is started: its program, environment, URL and log file.
struct RoleLaunch {
    role: &'static str,
    program: PathBuf,
    env: Vec<(String, String)>,
    url: String,
    log: PathBuf,
    /// How many times it was started.
    starts: u32,
}

/// The addresses of the roles, by role.
#[derive(Debug, Clone)]
struct RoleUrls {
    addresses: HashMap<String, SocketAddr>,
}

impl RoleUrls {
    fn url(&self, role: &str) -> String {
        format!("http://{}", self.addresses[role])
    }
}

impl Topology {
    /// Starts moto and the event wiring, migrates, starts every role and waits until each is
    /// ready, then opens the front door.
    pub async fn start(options: &Options) -> anyhow::Result<Self> {
        let routes = read_ingress()?;
        std::fs::create_dir_all(&options.log_dir)?;
        let data = tempfile::Builder::new().prefix("expense-split-").tempdir()?;
        let urls = role_urls(options.role_ports)?;
        let moto = MotoServer::start_with_python(&options.python.to_string_lossy())
            .context("cannot start moto for the events")?;
        let wiring = events::create(&moto.endpoint(), "expense-local").await?;
        migrate(options, data.path())?;
        let launches: Vec<RoleLaunch> = ROLES
            .iter()
            .map(|role| RoleLaunch {
                role,
                program: options.binaries.join("expense-server"),
                env: role_env(role, &urls, &wiring, &moto.endpoint(), options, data.path()),
                url: urls.url(role),
                log: options.log_dir.join(format!("{role}.log")),
                starts: 1,
            })
            .collect();
        let roles = start_roles(&launches).await?;
        let front_address: SocketAddr = format!("127.0.0.1:{}", options.front_door_port).parse()?;
        let front_door = FrontDoor::start(front_address, Backends::new(routes, urls.addresses)?).await?;
        Ok(Self {
            front_door,
            roles,
            launches,
            moto,
            _data: data,
        })
    }

    /// The one base URL of the API: the front door's.
    pub fn url(&self) -> String {
        self.front_door.url()
    }

    pub fn roles(&self) -> &[ServerProcess] {
        &self.roles
    }

    /// The running process of `role`, to signal it or see whether it exited.
    pub fn role_mut(&mut self, role: &str) -> Option<&mut ServerProcess> {
        self.roles.iter_mut().find(|process| process.name() == role)
    }

    /// Starts `role` again with the environment it first had, as Kubernetes restarts a container
    /// that exited or was killed, and waits until it is ready. The old process is stopped first
    /// if it still runs; the new one logs to `<role>.<n>.log` (n = 2, 3, …), so the old log stays.
    pub async fn restart_role(&mut self, role: &str) -> anyhow::Result<()> {
        let index = ROLES
            .iter()
            .position(|known| *known == role)
            .with_context(|| format!("no role {role}"))?;
        let launch = &mut self.launches[index];
        launch.starts += 1;
        let log = launch.log.with_extension(format!("{}.log", launch.starts));
        let mut command = launch.command();
        self.roles[index].stop();
        self.roles[index] = ServerProcess::spawn(launch.role, &launch.url, &mut command, &log)?;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        self.roles[index].wait_until_ready(&client).await
    }

    pub fn moto_endpoint(&self) -> String {
        self.moto.endpoint()
    }

    /// The first role that has exited, with its status.
    pub fn exited_role(&mut self) -> Option<(String, String)> {
        self.roles.iter_mut().find_map(|role| match role.exited() {
            Ok(Some(status)) => Some((role.name().to_owned(), status.to_string())),
            _ => None,
        })
    }

    /// Stops the front door, the roles (last started first), then moto.
    pub fn stop(self) {
        let Self {
            front_door,
            mut roles,
            launches: _,
            moto,
            _data,
        } = self;
        drop(front_door);
        while let Some(mut role) = roles.pop() {
            role.stop();
        }
        drop(moto);
    }
}

impl RoleLaunch {
    /// `expense-server <role>` with the role's environment and nothing else.
    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command
            .arg(self.role)
            .env_clear()
            .envs(self.env.iter().map(|(name, value)| (name, value)));
        command
    }
}

/// Starts every role, then waits until each answers `/readyz`.
async fn start_roles(launches: &[RoleLaunch]) -> anyhow::Result<Vec<ServerProcess>> {
    let mut roles = Vec::new();
    for launch in launches {
        let mut command = launch.command();
        roles.push(ServerProcess::spawn(
            launch.role,
            &launch.url,
            &mut command,
            &launch.log,
        )?);
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()?;
    for role in &mut roles {
        role.wait_until_ready(&client).await?;
    }
    Ok(roles)
}

/// The ALB's rules, from the committed Ingress.
pub fn read_ingress() -> anyhow::Result<RouteTable> {
    let file = root().join("k8s/base/ingress.yaml");
    let yaml = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
    RouteTable::parse(&yaml).with_context(|| format!("cannot read the routes of {}", file.display()))
}

fn role_urls(ports: Option<[u16; 4]>) -> anyhow::Result<RoleUrls> {
    let mut addresses = HashMap::new();
    for (index, role) in ROLES.iter().enumerate() {
        let port = match ports {
            Some(ports) => ports[index],
            None => free_port()?,
        };
        addresses.insert((*role).to_owned(), SocketAddr::from(([127, 0, 0, 1], port)));
    }
    Ok(RoleUrls { addresses })
}

/// `expense-server migrate` once, as the migrate Job does before the roles roll out.
fn migrate(options: &Options, data: &Path) -> anyhow::Result<()> {
    let dir = data.join("migrate");
    let mut command = Command::new(options.binaries.join("expense-server"));
    command
        .arg("migrate")
        .env_clear()
        .envs(passed_through())
        .env("DATABASE_URL", &options.database_url)
        .env("EXPENSE_DATA_DIR", &dir)
        .env("EXPENSE_LOG", "warn");
    crate::project::output(&mut command, "expense-server migrate").map(|_| ())
}

/// One role's whole environment, as its pod would have it (k8s/base/config.env and the role's
/// own settings), pointed at the local Postgres, moto and the other roles' ports.
fn role_env(
    role: &str,
    urls: &RoleUrls,
    wiring: &EventWiring,
    moto: &str,
    options: &Options,
    data: &Path,
) -> Vec<(String, String)> {
    let mut env = passed_through();
    let mut set = |name: &str, value: String| env.push((name.to_owned(), value));
    set("EXPENSE_BIND_ADDR", urls.addresses[role].to_string());
    set("EXPENSE_DATA_DIR", data.join(role).display().to_string());
    set("EXPENSE_LOG_FORMAT", options.log_format.clone());
    set("DATABASE_URL", options.database_url.clone());
    set("MIGRATE_ON_START", "false".to_owned());
    set("TRUSTED_PROXY_HOPS", "1".to_owned());
    set("AUTH_URL", urls.url("auth"));
    set("EXPENSES_URL", urls.url("expenses"));
    set("EVENTS", "sns".to_owned());
    set("AWS_ENDPOINT_URL", moto.to_owned());
    set("AWS_REGION", events::REGION.to_owned());
    set("AWS_ACCESS_KEY_ID", AWS_KEY.to_owned());
    set("AWS_SECRET_ACCESS_KEY", AWS_SECRET.to_owned());
    set("MAILER", "file".to_owned());
    match role {
        // Expenses publishes its changes, auth `account.deleted`.
        "expenses" | "auth" => set("SNS_TOPIC_ARN", wiring.topic_arn.clone()),
        "receipts" => set("S3_EMBEDDED", "true".to_owned()),
        _ => {}
    }
    if let Some(queue) = wiring.queue(role) {
        set("SQS_QUEUE_URL", queue.url.clone());
        set("SQS_DLQ_URL", queue.dead_letter_url.clone());
    }
    env
}

fn passed_through() -> Vec<(String, String)> {
    PASSED_THROUGH
        .iter()
        .filter_map(|name| std::env::var(name).ok().map(|value| ((*name).to_owned(), value)))
        .collect()
}

/// Creates an empty database on the server at `admin_url` and returns its URL.
pub async fn create_database(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let mut connection = sqlx::PgConnection::connect(admin_url)
        .await
        .with_context(|| format!("cannot connect to Postgres at {admin_url}"))?;
    let statement = format!("CREATE DATABASE \"{name}\"");
    sqlx::query(sqlx::AssertSqlSafe(statement))
        .execute(&mut connection)
        .await
        .with_context(|| format!("cannot create database {name}"))?;
    let _ = connection.close().await;
    Ok(expense_testkit::postgres::with_database(admin_url, name))
}

/// `cargo xtask up --split`: builds, starts Postgres, the topology with the front door on `port`
/// and the roles on the next four ports, prints where everything is, and stops it all on Ctrl-C
/// (or when a role exits).
pub fn up(port: u16) -> anyhow::Result<()> {
    crate::infra::aws::block_on(up_until_stopped(port))
}

async fn up_until_stopped(port: u16) -> anyhow::Result<()> {
    // First of all, so that a Ctrl-C during the start is kept for later rather than killing
    // xtask with its roles still running.
    let mut stop = StopSignals::install()?;
    step("Building expense-server and the expense CLI");
    run_checked(
        cargo().args(["build", "--locked", "-p", "expense-server", "-p", "expense"]),
        "cargo build",
    )?;
    postgres::ensure_installed()?;
    let tools = tools::ensure()?;
    step("Starting Postgres, moto and the roles");
    let database = EphemeralPostgres::start_with_watchdog().context("cannot start Postgres")?;
    let binaries = root().join("target/debug");
    let started = async {
        let options = Options {
            front_door_port: port,
            role_ports: Some([1, 2, 3, 4].map(|offset| port.saturating_add(offset))),
            database_url: create_database(&database.admin_url(), "expense").await?,
            python: tools.python(),
            binaries: binaries.clone(),
            log_dir: root().join("target/split/logs"),
            log_format: std::env::var("EXPENSE_LOG_FORMAT").unwrap_or_else(|_| "pretty".to_owned()),
        };
        Topology::start(&options).await
    };
    let result = match started.await {
        Ok(mut topology) => {
            print_topology(&topology, &database, &binaries);
            let outcome = stop.wait(&mut topology).await;
            eprintln!("\nStopping the front door, the roles, moto and Postgres ...");
            topology.stop();
            outcome
        }
        Err(error) => Err(error),
    };
    database.stop()?;
    result
}

fn print_topology(topology: &Topology, database: &EphemeralPostgres, binaries: &Path) {
    let postgres_pid = std::fs::read_to_string(database.data_dir().join("postmaster.pid"))
        .ok()
        .and_then(|text| text.lines().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
    eprintln!(
        "\nThe split topology is up (Ctrl-C stops everything):\n\n  \
         {:<14} {:<24} routes of k8s/base/ingress.yaml (the local stand-in for the ALB)",
        "front door",
        topology.url()
    );
    for role in topology.roles() {
        eprintln!(
            "  {:<14} {:<24} pid {:<8} log {}",
            role.name(),
            role.url(),
            role.pid(),
            role.log().strip_prefix(root()).unwrap_or(role.log()).display()
        );
    }
    eprintln!(
        "  {:<14} {:<24} pid {postgres_pid:<8} database expense\n  {:<14} {:<24} SNS topic, SQS queues and DLQs\n\n\
         In another terminal:\n\n    \
         export PATH=\"{}:$PATH\" EXPENSE_API_URL={}\n    \
         expense register\n    \
         cargo xtask smoke --base-url {}\n",
        "postgres",
        format!("127.0.0.1:{}", database.port()),
        "moto",
        topology.moto_endpoint(),
        binaries.display(),
        topology.url(),
        topology.url(),
    );
}

/// Ctrl-C and SIGTERM, caught from the start of `up --split` on.
struct StopSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn install() -> anyhow::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// Waits for Ctrl-C or SIGTERM (a clean stop), or for a role to exit (an error).
    async fn wait(&mut self, topology: &mut Topology) -> anyhow::Result<()> {
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        loop {
            tokio::select! {
                _ = self.interrupt.recv() => return Ok(()),
                _ = self.terminate.recv() => return Ok(()),
                _ = tick.tick() => {
                    if let Some((role, status)) = topology.exited_role() {
                        anyhow::bail!("the {role} role exited ({status}); see target/split/logs/{role}.log");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use events::Queue;

    fn env_of(role: &str) -> HashMap<String, String> {
        let urls = role_urls(Some([9001, 9002, 9003, 9004])).unwrap();
        let wiring = EventWiring {
            topic_arn: "arn:aws:sns:us-east-1:123456789012:expense-local-events".to_owned(),
            queues: events::CONSUMERS
                .iter()
                .map(|role| Queue {
                    role,
                    url: format!("http://moto/q/{role}"),
                    dead_letter_url: format!("http://moto/q/{role}-dlq"),
                })
                .collect(),
        };
        let options = Options {
            front_door_port: 9000,
            role_ports: None,
            database_url: "postgres://postgres@127.0.0.1:5432/expense".to_owned(),
            python: PathBuf::from("python3"),
            binaries: PathBuf::from("target/debug"),
            log_dir: PathBuf::from("target/split/logs"),
            log_format: "json".to_owned(),
        };
        role_env(
            role,
            &urls,
            &wiring,
            "http://127.0.0.1:5000",
            &options,
            Path::new("/data"),
        )
        .into_iter()
        .collect()
    }

    #[test]
    fn every_role_gets_its_own_port_and_data_and_the_shared_wiring() {
        for (role, port) in ROLES.iter().zip(9001..) {
            let env = env_of(role);
            assert_eq!(env["EXPENSE_BIND_ADDR"], format!("127.0.0.1:{port}"));
            assert_eq!(env["EXPENSE_DATA_DIR"], format!("/data/{role}"));
            assert_eq!(env["AUTH_URL"], "http://127.0.0.1:9001");
            assert_eq!(env["EXPENSES_URL"], "http://127.0.0.1:9002");
            assert_eq!(env["MIGRATE_ON_START"], "false");
            assert_eq!(env["EVENTS"], "sns");
            assert_eq!(env["AWS_ENDPOINT_URL"], "http://127.0.0.1:5000");
            assert_eq!(env["AWS_ACCESS_KEY_ID"], "testing");
            assert_eq!(env["AWS_SECRET_ACCESS_KEY"], "testing");
            assert_eq!(env["TRUSTED_PROXY_HOPS"], "1");
        }
    }

    #[test]
    fn expenses_and_auth_publish_and_the_consumers_read_their_own_queues() {
        for role in ["expenses", "auth"] {
            assert!(env_of(role)["SNS_TOPIC_ARN"].ends_with(":expense-local-events"));
        }
        for role in ["receipts", "notifications", "expenses"] {
            let env = env_of(role);
            assert_eq!(env["SQS_QUEUE_URL"], format!("http://moto/q/{role}"));
            assert_eq!(env["SQS_DLQ_URL"], format!("http://moto/q/{role}-dlq"));
        }
        for role in ["receipts", "notifications"] {
            assert!(!env_of(role).contains_key("SNS_TOPIC_ARN"));
        }
        assert_eq!(env_of("receipts")["S3_EMBEDDED"], "true");
        assert!(!env_of("auth").contains_key("SQS_QUEUE_URL"));
    }

    #[test]
    fn the_ingress_routes_only_to_roles_the_topology_runs() {
        let routes = read_ingress().unwrap();
        for service in routes.services() {
            assert!(ROLES.contains(&service), "{service}");
        }
    }
}
