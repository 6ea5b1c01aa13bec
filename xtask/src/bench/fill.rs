//! Filling the stores with the [`dataset`](super::dataset) before the list tests, straight into
//! their tables with one generating SQL statement per 100,000 rows (a million rows through the
//! HTTP APIs would take minutes and measure nothing we report).
//!
//! Postgres: `INSERT … SELECT … FROM generate_series`, then `VACUUM ANALYZE` and `CHECKPOINT`, as
//! a long-running database would be. SQLite (the service's file, and PocketBase's `data.db`): a
//! recursive CTE, each chunk its own transaction, then a WAL checkpoint. Rows match each store's
//! own columns and encodings (UUID BLOBs and microseconds for the service, text ids and
//! timestamps for PocketBase).

use std::io::Write as _;
use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, PgPool, SqliteConnection};
use uuid::Uuid;

use super::dataset::{CATEGORIES, DAYS, FIRST_DAY_SQL};

const CHUNK: u64 = 100_000;

/// Fills `table` (schema-qualified, with the service's columns) with `rows` rows spread over
/// `users`.
pub async fn postgres(pool: &PgPool, table: &str, users: &[Uuid], rows: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let statement = format!(
        "INSERT INTO {table} (id, user_id, amount_minor, currency, exponent, category, note, merchant,
                              search_text, spent_on, tags, created_at, updated_at, version)
         SELECT gen_random_uuid(), ($1::uuid[])[1 + n % $2], 100 + (n * 7919) % 20000, 'EUR', 2,
                ($3::text[])[1 + n % $4], NULL,
                CASE WHEN n % 2 = 0 THEN 'Shop ' || (n % 50) END,
                CASE WHEN n % 2 = 0 THEN 'shop ' || (n % 50) ELSE '' END,
                DATE '{FIRST_DAY_SQL}' + ((n * 31) % {DAYS})::int, '{{}}', now(), now(), 1
         FROM generate_series($5::bigint, $6::bigint - 1) AS n"
    );
    let mut offset = 0;
    while offset < rows {
        let end = (offset + CHUNK).min(rows);
        sqlx::query(sqlx::AssertSqlSafe(statement.as_str()))
            .bind(users)
            .bind(users.len() as i64)
            .bind(CATEGORIES.as_slice())
            .bind(CATEGORIES.len() as i64)
            .bind(offset as i64)
            .bind(end as i64)
            .execute(pool)
            .await?;
        offset = end;
        progress();
    }
    // Two statements: in one query string they would share a transaction, which VACUUM refuses.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("VACUUM ANALYZE {table}")))
        .execute(pool)
        .await?;
    sqlx::raw_sql("CHECKPOINT").execute(pool).await?;
    done(rows, started.elapsed());
    Ok(())
}

/// Fills the expenses service's SQLite file with `rows` rows spread over `users`.
pub async fn service_sqlite(file: &Path, users: &[Uuid], rows: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut connection = open_sqlite(file).await?;
    sqlx::query("CREATE TEMP TABLE bench_users (idx INTEGER PRIMARY KEY, id BLOB NOT NULL)")
        .execute(&mut connection)
        .await?;
    for (index, user) in users.iter().enumerate() {
        sqlx::query("INSERT INTO bench_users (idx, id) VALUES (?1, ?2)")
            .bind(index as i64)
            .bind(user)
            .execute(&mut connection)
            .await?;
    }
    let now_micros = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1000;
    let statement = format!(
        "WITH RECURSIVE g(n) AS (SELECT ?1 UNION ALL SELECT n + 1 FROM g WHERE n + 1 < ?2)
         INSERT INTO expenses (id, user_id, amount_minor, currency, exponent, category, note, merchant,
                               search_text, spent_on, tags, created_at, updated_at, version)
         SELECT randomblob(16), u.id, 100 + (n * 7919) % 20000, 'EUR', 2, {category}, NULL,
                CASE WHEN n % 2 = 0 THEN 'Shop ' || (n % 50) END,
                CASE WHEN n % 2 = 0 THEN 'shop ' || (n % 50) ELSE '' END,
                date('{FIRST_DAY_SQL}', '+' || ((n * 31) % {DAYS}) || ' days'), '[]', ?3, ?3, 1
         FROM g JOIN bench_users u ON u.idx = g.n % ?4",
        category = category_case(),
    );
    fill_sqlite_chunks(&mut connection, &statement, rows, |query| {
        query
            .bind(i64::try_from(now_micros).unwrap_or(0))
            .bind(users.len() as i64)
    })
    .await?;
    connection.close().await?;
    done(rows, started.elapsed());
    Ok(())
}

/// Fills PocketBase's `expenses` collection (in its `data.db`) with `rows` rows spread over
/// `owners` owners named by [`pocketbase_owner`].
pub async fn pocketbase(file: &Path, owners: u64, rows: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut connection = open_sqlite(file).await?;
    let statement = format!(
        "WITH RECURSIVE g(n) AS (SELECT ?1 UNION ALL SELECT n + 1 FROM g WHERE n + 1 < ?2)
         INSERT INTO expenses (id, owner, amount, currency, category, note, merchant, spent_on, created, updated)
         SELECT 'f' || lower(hex(randomblob(7))), 'user' || printf('%011d', n % ?3),
                (100 + (n * 7919) % 20000) / 100.0, 'EUR', {category}, '',
                CASE WHEN n % 2 = 0 THEN 'Shop ' || (n % 50) ELSE '' END,
                date('{FIRST_DAY_SQL}', '+' || ((n * 31) % {DAYS}) || ' days') || ' 00:00:00.000Z',
                strftime('%Y-%m-%d %H:%M:%fZ', 'now'), strftime('%Y-%m-%d %H:%M:%fZ', 'now')
         FROM g",
        category = category_case(),
    );
    fill_sqlite_chunks(&mut connection, &statement, rows, |query| {
        query.bind(owners as i64)
    })
    .await?;
    connection.close().await?;
    done(rows, started.elapsed());
    Ok(())
}

/// The PocketBase owner id of user `index` (15 characters, like PocketBase's own ids).
pub fn pocketbase_owner(index: u64) -> String {
    format!("user{index:011}")
}

type SqliteQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>;

async fn fill_sqlite_chunks(
    connection: &mut SqliteConnection,
    statement: &str,
    rows: u64,
    bind_rest: impl for<'q> Fn(SqliteQuery<'q>) -> SqliteQuery<'q>,
) -> anyhow::Result<()> {
    let mut offset = 0;
    while offset < rows {
        let end = (offset + CHUNK).min(rows);
        let query = sqlx::query(sqlx::AssertSqlSafe(statement))
            .bind(offset as i64)
            .bind(end as i64);
        bind_rest(query).execute(&mut *connection).await?;
        offset = end;
        progress();
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *connection)
        .await?;
    Ok(())
}

async fn open_sqlite(file: &Path) -> anyhow::Result<SqliteConnection> {
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(file)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(30));
    Ok(SqliteConnection::connect_with(&options).await?)
}

/// `CASE n % 6 WHEN 0 THEN 'groceries' … END`.
fn category_case() -> String {
    let arms: String = CATEGORIES
        .iter()
        .enumerate()
        .map(|(index, name)| format!(" WHEN {index} THEN '{name}'"))
        .collect();
    format!("CASE n % {}{arms} END", CATEGORIES.len())
}

fn progress() {
    eprint!(".");
    let _ = std::io::stderr().flush();
}

fn done(rows: u64, elapsed: Duration) {
    eprintln!(" {rows} rows in {:.1} s", elapsed.as_secs_f64());
}
