//! Memory of the split topology: each role (auth, expenses, receipts, notifications) as its own
//! `expense-server <role>` process on the benchmark's Postgres (a database of its own, migrated
//! once by `expense-server migrate`), with the environment `cargo xtask up --split` gives it
//! (`split::role_env`), except for events: `EVENTS=local` (each role's in-process bus) instead of
//! SNS and SQS on moto, which would add a Python server and its memory to the machine for
//! nothing this figure needs. There is no front door: the load goes straight to each role's port.
//!
//! Per role: idle (VmRSS right after its first successful `/readyz`), after the set-up (eight
//! accounts signed up and in through auth, 1,000 expenses each written into the expenses table),
//! loaded (the most seen during a short load on that role alone) and VmHWM at the end. Only
//! memory is reported: the loads exist to exercise each role, not to rate it.

use std::net::SocketAddr;
use std::process::Command;
use std::time::Duration;

use anyhow::Context;
use sqlx::PgPool;
use uuid::Uuid;

use super::dataset::new_expense_json;
use super::http::Connection;
use super::load::{self, Expect, Plan, Requests};
use super::phases::{Database, Run};
use super::report::Memory;
use super::service::{Account, sign_up};
use super::usage::Watch;
use super::wire::RequestSpec;
use super::{CONNECTIONS, fill, procfs};
use crate::process::{ServerProcess, free_port};
use crate::project::output;
use crate::split::ROLES;

/// The split topology's database, next to the benchmark's.
const DATABASE: &str = "expense_split";
/// Accounts signed up through the auth role for the loads.
const ACCOUNTS: usize = 8;
/// Expenses written for each account, so list pages are full.
const EXPENSES_PER_ACCOUNT: u64 = 1_000;
/// The longest a role's load lasts (the run's figure duration when shorter).
const LOAD: Duration = Duration::from_secs(5);

/// One running role.
struct Role {
    name: &'static str,
    address: SocketAddr,
    server: ServerProcess,
    idle_kib: u64,
}

impl Run<'_> {
    /// Starts the four roles, sets them up, loads each in turn and records their memory.
    pub async fn split_roles(&mut self, database: &Database<'_>) -> anyhow::Result<()> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {DATABASE}")))
            .execute(&database.pool)
            .await?;
        let url = expense_testkit::postgres::with_database(&database.server.admin_url(), DATABASE);
        let data = self.work_dir.join("split");
        migrate(self.binaries, &url, &data)?;
        let addresses: Vec<SocketAddr> = ROLES
            .iter()
            .map(|_| Ok(SocketAddr::from(([127, 0, 0, 1], free_port()?))))
            .collect::<anyhow::Result<_>>()?;
        let address_of =
            |role: &str| addresses[ROLES.iter().position(|known| *known == role).expect("a role")];
        let mut servers = Vec::new();
        for (role, address) in ROLES.iter().zip(&addresses) {
            let mut command = Command::new(self.binaries.join("expense-server"));
            command.arg(role).env_clear().envs(role_env(
                role,
                *address,
                &url,
                &data,
                address_of("auth"),
                address_of("expenses"),
            ));
            let log = self.logs.join(format!("split-{role}.log"));
            servers.push(ServerProcess::spawn(
                &format!("expense-server {role}"),
                &format!("http://{address}"),
                &mut command,
                &log,
            )?);
        }
        let mut roles = Vec::new();
        for ((name, address), mut server) in ROLES.iter().zip(&addresses).zip(servers) {
            server
                .wait_until("/readyz", || super::http::answers(*address, "/readyz"))
                .await?;
            let idle_kib = procfs::rss_kib(server.pid());
            roles.push(Role {
                name,
                address: *address,
                server,
                idle_kib,
            });
        }

        eprintln!("    split roles: signing up {ACCOUNTS} accounts through the auth role");
        let mut connection = Connection::open(address_of("auth")).await?;
        let mut accounts = Vec::new();
        for index in 0..ACCOUNTS {
            let email = format!("bench-split-{}-{index}@example.com", std::process::id());
            accounts.push(sign_up(&mut connection, &email).await?);
        }
        let pool = PgPool::connect(&url).await?;
        let ids: Vec<Uuid> = accounts.iter().map(|account| account.id).collect();
        eprint!(
            "    the split roles' expenses table: filling {} rows of {ACCOUNTS} users ",
            EXPENSES_PER_ACCOUNT * ACCOUNTS as u64
        );
        fill::postgres(
            &pool,
            "expenses.expenses",
            &ids,
            EXPENSES_PER_ACCOUNT * ACCOUNTS as u64,
        )
        .await?;
        let mut expense_ids = Vec::new();
        for id in &ids {
            let expense: Uuid =
                sqlx::query_scalar("SELECT id FROM expenses.expenses WHERE user_id = $1 LIMIT 1")
                    .bind(id)
                    .fetch_one(&pool)
                    .await?;
            expense_ids.push(expense);
        }
        pool.close().await;

        let plan = Plan {
            connections: CONNECTIONS[2],
            warmup: self.scale.warmup,
            duration: self.scale.duration.min(LOAD),
        };
        // Every role keeps running until all are measured: the others' loads call auth and
        // expenses.
        let set_up: Vec<u64> = roles
            .iter()
            .map(|role| procfs::rss_kib(role.server.pid()))
            .collect();
        for (role, set_up_kib) in roles.iter().zip(set_up) {
            let watch = Watch {
                app: Some(role.server.pid()),
                ..Watch::default()
            };
            let mut loaded_kib = 0;
            let mut loads = Vec::new();
            for (what, requests, expect) in workloads(role.name, &accounts, &expense_ids) {
                let check = load::check(role.address, &requests, expect)
                    .await
                    .with_context(|| format!("the {} role's load", role.name))?;
                self.report.checks.push(format!("{} role: {check}", role.name));
                let outcome = load::run(role.address, plan, &requests, watch.clone()).await?;
                loaded_kib = loaded_kib.max(outcome.usage.app_rss_kib);
                let mut line = format!(
                    "{what}, {} conns: {:.0} req/s, {} errors",
                    plan.connections, outcome.per_second, outcome.errors
                );
                if let Some(error) = &outcome.first_error {
                    line.push_str(&format!(" (first: {error})"));
                }
                eprintln!("    {} role: {line}", role.name);
                loads.push(line);
            }
            self.report.memory.push(Memory {
                server: format!("split role {}", role.name),
                idle_kib: role.idle_kib,
                set_up_kib: Some(set_up_kib),
                loaded_kib,
                peak_kib: Some(procfs::peak_rss_kib(role.server.pid())),
                measure: "VmRSS",
                note: Some(loads.join("; ")),
            });
        }
        for mut role in roles.into_iter().rev() {
            role.server.stop();
        }
        Ok(())
    }
}

/// What each role is loaded with: the requests it serves most.
fn workloads(
    role: &str,
    accounts: &[Account],
    expense_ids: &[Uuid],
) -> Vec<(&'static str, Requests, Expect)> {
    let tokens: Vec<String> = accounts
        .iter()
        .map(|account| account.authorization.clone())
        .collect();
    let token = move |connection: usize| tokens[connection % tokens.len()].clone();
    match role {
        "auth" => vec![(
            "GET /v1/me",
            Requests::new(1, move |connection, _| {
                RequestSpec::get("/v1/me", Some(&token(connection)))
            }),
            Expect::Json,
        )],
        "expenses" => {
            let list_token = token.clone();
            vec![
                (
                    "GET /v1/expenses?limit=50",
                    Requests::new(1, move |connection, _| {
                        RequestSpec::get("/v1/expenses?limit=50", Some(&list_token(connection)))
                    }),
                    Expect::Page,
                ),
                (
                    "POST /v1/expenses",
                    Requests::new(32, move |connection, sequence| {
                        let body = new_expense_json(sequence * 64 + connection as u64);
                        RequestSpec::post_json("/v1/expenses", Some(&token(connection)), body)
                    }),
                    Expect::Created,
                ),
            ]
        }
        "receipts" => {
            let expense_ids = expense_ids.to_vec();
            vec![(
                "GET /v1/expenses/{id}/receipts",
                Requests::new(1, move |connection, _| {
                    let expense = expense_ids[connection % expense_ids.len()];
                    RequestSpec::get(
                        format!("/v1/expenses/{expense}/receipts"),
                        Some(&token(connection)),
                    )
                }),
                Expect::Json,
            )]
        }
        _ => vec![(
            "GET /v1/notifications",
            Requests::new(1, move |connection, _| {
                RequestSpec::get("/v1/notifications?limit=50", Some(&token(connection)))
            }),
            Expect::Json,
        )],
    }
}

/// `expense-server migrate` once, as the migrate Job does before the roles roll out.
fn migrate(binaries: &std::path::Path, url: &str, data: &std::path::Path) -> anyhow::Result<()> {
    let mut command = Command::new(binaries.join("expense-server"));
    command
        .arg("migrate")
        .env_clear()
        .envs(std::env::var("PATH").map(|path| ("PATH", path)))
        .env("DATABASE_URL", url)
        .env("EXPENSE_DATA_DIR", data.join("migrate"))
        .env("EXPENSE_LOG", "warn");
    output(&mut command, "expense-server migrate").map(|_| ())
}

/// A role's whole environment: `split::role_env`'s, with local events and the benchmark's
/// allowances (sign-in rate limits out of the way, tokens that outlive the run).
fn role_env(
    role: &str,
    address: SocketAddr,
    url: &str,
    data: &std::path::Path,
    auth: SocketAddr,
    expenses: SocketAddr,
) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = std::env::var("PATH")
        .map(|path| vec![("PATH".to_owned(), path)])
        .unwrap_or_default();
    let mut set = |name: &str, value: String| env.push((name.to_owned(), value));
    set("EXPENSE_BIND_ADDR", address.to_string());
    set("EXPENSE_DATA_DIR", data.join(role).display().to_string());
    set("EXPENSE_LOG", "warn".to_owned());
    set("EXPENSE_LOG_FORMAT", "json".to_owned());
    set("DATABASE_URL", url.to_owned());
    set("MIGRATE_ON_START", "false".to_owned());
    set("TRUSTED_PROXY_HOPS", "1".to_owned());
    set("AUTH_URL", format!("http://{auth}"));
    set("EXPENSES_URL", format!("http://{expenses}"));
    set("EVENTS", "local".to_owned());
    set("MAILER", "file".to_owned());
    set("LOGIN_ATTEMPTS_PER_ACCOUNT", "1000000".to_owned());
    set("LOGIN_ATTEMPTS_PER_ADDRESS", "1000000".to_owned());
    set("ACCESS_TOKEN_TTL_SECS", "86400".to_owned());
    if role == "receipts" {
        set("S3_EMBEDDED", "true".to_owned());
    }
    env
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn roles_get_local_events_and_each_other_s_addresses() {
        let address = |port| SocketAddr::from(([127, 0, 0, 1], port));
        let env: HashMap<String, String> = role_env(
            "receipts",
            address(9003),
            "postgres://x",
            std::path::Path::new("bench-data"),
            address(9001),
            address(9002),
        )
        .into_iter()
        .collect();
        assert_eq!(env["EVENTS"], "local");
        assert_eq!(env["S3_EMBEDDED"], "true");
        assert_eq!(env["AUTH_URL"], "http://127.0.0.1:9001");
        assert_eq!(env["EXPENSES_URL"], "http://127.0.0.1:9002");
        assert_eq!(env["EXPENSE_BIND_ADDR"], "127.0.0.1:9003");
        assert!(!env.contains_key("AWS_ENDPOINT_URL"));
    }

    #[test]
    fn every_role_has_a_load() {
        let accounts = vec![Account {
            id: Uuid::nil(),
            authorization: "Bearer t".to_owned(),
        }];
        for role in ROLES {
            let loads = workloads(role, &accounts, &[Uuid::nil()]);
            assert!(!loads.is_empty(), "{role}");
            for (_, requests, _) in loads {
                assert_eq!((requests.make)(3, 0).authorization.as_deref(), Some("Bearer t"));
            }
        }
    }
}
