//! One store for both backends: the statements a store runs, written once, run on Postgres or on
//! SQLite through sqlx.
//!
//! Without this, a service keeps a Postgres store and a SQLite store that repeat each other line
//! for line (the binds, the transaction steps, the mapping of rows to records, the error
//! handling) and differ only in a few SQL words and in how a timestamp is stored, so a fix had to
//! be made twice. Here a store writes each statement once, as a [`Sql`] (one text for both, or
//! one per backend where the dialects differ), binds plain Rust values, and reads columns by
//! name; the backend-specific part is this module:
//!
//! - Timestamps: `timestamptz` on Postgres, microseconds since the epoch (`INTEGER`) on SQLite
//!   (readable, sortable, exact). [`Value`] and [`Column`] convert an `OffsetDateTime` on the
//!   way in and out, so a store never does.
//! - Placeholders: `$1`, `$2`… on both (sqlx's SQLite driver reads `$N` as the N-th argument).
//! - Writing transactions: Postgres `BEGIN`; SQLite `BEGIN IMMEDIATE`, which takes the write lock
//!   at the start instead of failing on upgrade later.
//!
//! Other types are stored the same way on both (a UUID is `uuid` on Postgres and a 16-byte
//! `BLOB` on SQLite, a date is `date` and `TEXT` in ISO form, JSON is `jsonb` and `TEXT`), which
//! sqlx's own encoders already do. Only the types listed here can be bound or read, so a value
//! can never be stored in a shape the other backend would not read back.
//!
//! The hot path of the expenses service does not use this: it runs on [`super::SqliteEngine`]
//! and a Postgres statement tuned for one round trip.

use std::borrow::Cow;

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query as SqlxQuery;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{AssertSqlSafe, PgPool, Postgres, Row, Sqlite, SqlitePool, Transaction};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::DbPool;
use crate::clock::{from_micros, to_micros};

/// A statement: one text for both backends, or one per backend where the dialects differ.
#[derive(Debug, Clone)]
pub struct Sql {
    postgres: Cow<'static, str>,
    sqlite: Cow<'static, str>,
}

impl Sql {
    /// A statement both backends understand as written.
    pub const fn same(text: &'static str) -> Self {
        Self {
            postgres: Cow::Borrowed(text),
            sqlite: Cow::Borrowed(text),
        }
    }

    /// A statement written for each backend.
    pub const fn each(postgres: &'static str, sqlite: &'static str) -> Self {
        Self {
            postgres: Cow::Borrowed(postgres),
            sqlite: Cow::Borrowed(sqlite),
        }
    }

    /// A statement built at run time from fixed pieces (such as a list of columns). Never from
    /// input: values are bound, not formatted in.
    pub fn built(text: String) -> Self {
        Self {
            postgres: Cow::Owned(text.clone()),
            sqlite: Cow::Owned(text),
        }
    }

    /// The text each backend runs.
    pub fn text(&self, backend: Backend) -> &str {
        match backend {
            Backend::Postgres => &self.postgres,
            Backend::Sqlite => &self.sqlite,
        }
    }
}

/// Which backend a [`SqlDb`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// A service's database through sqlx, on either backend. Cheap to clone.
#[derive(Debug, Clone)]
pub enum SqlDb {
    Postgres(PgPool),
    Sqlite(SqlitePool),
}

impl SqlDb {
    /// The sqlx pool of `pool`.
    pub fn of(pool: &DbPool) -> Self {
        match pool {
            DbPool::Postgres(pool) => Self::Postgres(pool.clone()),
            DbPool::Sqlite(db) => Self::Sqlite(db.pool.clone()),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Postgres(_) => Backend::Postgres,
            Self::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// A statement run on a pooled connection, outside any transaction.
    pub fn query(&self, sql: &Sql) -> Query<'_> {
        Query::new(Target::Pool(self), sql)
    }

    /// Begins a transaction that will write (see the module's note on SQLite).
    pub async fn begin(&self) -> Result<SqlTx, sqlx::Error> {
        Ok(match self {
            Self::Postgres(pool) => SqlTx::Postgres(pool.begin().await?),
            Self::Sqlite(pool) => SqlTx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
        })
    }
}

/// An open transaction; dropped without [`SqlTx::commit`], it rolls back.
#[derive(Debug)]
pub enum SqlTx {
    Postgres(Transaction<'static, Postgres>),
    Sqlite(Transaction<'static, Sqlite>),
}

impl SqlTx {
    /// A statement run inside the transaction.
    pub fn query(&mut self, sql: &Sql) -> Query<'_> {
        Query::new(Target::Transaction(self), sql)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Postgres(_) => Backend::Postgres,
            Self::Sqlite(_) => Backend::Sqlite,
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Self::Postgres(transaction) => transaction.commit().await,
            Self::Sqlite(transaction) => transaction.commit().await,
        }
    }
}

enum Target<'a> {
    Pool(&'a SqlDb),
    Transaction(&'a mut SqlTx),
}

impl Target<'_> {
    fn backend(&self) -> Backend {
        match self {
            Self::Pool(db) => db.backend(),
            Self::Transaction(transaction) => transaction.backend(),
        }
    }
}

enum Statement {
    Postgres(SqlxQuery<'static, Postgres, PgArguments>),
    Sqlite(SqlxQuery<'static, Sqlite, SqliteArguments>),
}

/// A statement with its arguments, bound to where it runs.
pub struct Query<'a> {
    target: Target<'a>,
    statement: Statement,
}

/// Runs the sqlx call `$call` on whichever backend and connection the query is bound to, and
/// maps rows (if any) with `$rows`.
macro_rules! run {
    ($query:expr, $call:ident, $rows:expr) => {{
        let Query { target, statement } = $query;
        match (target, statement) {
            (Target::Pool(SqlDb::Postgres(pool)), Statement::Postgres(q)) => q.$call(pool).await.map($rows),
            (Target::Pool(SqlDb::Sqlite(pool)), Statement::Sqlite(q)) => q.$call(pool).await.map($rows),
            (Target::Transaction(SqlTx::Postgres(tx)), Statement::Postgres(q)) => {
                q.$call(&mut **tx).await.map($rows)
            }
            (Target::Transaction(SqlTx::Sqlite(tx)), Statement::Sqlite(q)) => {
                q.$call(&mut **tx).await.map($rows)
            }
            _ => unreachable!("a statement is prepared for the backend it runs on"),
        }
    }};
}

impl<'a> Query<'a> {
    fn new(target: Target<'a>, sql: &Sql) -> Self {
        let backend = target.backend();
        let text = match backend {
            Backend::Postgres => sql.postgres.clone(),
            Backend::Sqlite => sql.sqlite.clone(),
        };
        let statement = match backend {
            Backend::Postgres => Statement::Postgres(sqlx::query(AssertSqlSafe(text))),
            Backend::Sqlite => Statement::Sqlite(sqlx::query(AssertSqlSafe(text))),
        };
        Self { target, statement }
    }

    /// Adds the next argument (`$1`, then `$2`…).
    pub fn bind(mut self, value: impl Value) -> Self {
        self.statement = match self.statement {
            Statement::Postgres(query) => Statement::Postgres(value.bind_postgres(query)),
            Statement::Sqlite(query) => Statement::Sqlite(value.bind_sqlite(query)),
        };
        self
    }

    /// Runs it; answers how many rows it changed.
    pub async fn execute(self) -> Result<u64, sqlx::Error> {
        run!(self, execute, |done| done.rows_affected())
    }

    /// Runs it; answers the first row, if any.
    pub async fn fetch_optional(self) -> Result<Option<SqlRow>, sqlx::Error> {
        run!(self, fetch_optional, |row| row.map(SqlRow::from))
    }

    /// Runs it; answers the one row it must return.
    pub async fn fetch_one(self) -> Result<SqlRow, sqlx::Error> {
        run!(self, fetch_one, SqlRow::from)
    }

    /// Runs it; answers every row.
    pub async fn fetch_all(self) -> Result<Vec<SqlRow>, sqlx::Error> {
        run!(self, fetch_all, |rows| rows
            .into_iter()
            .map(SqlRow::from)
            .collect())
    }
}

/// A row from either backend, read by column name.
#[derive(Debug)]
pub enum SqlRow {
    Postgres(PgRow),
    Sqlite(SqliteRow),
}

impl From<PgRow> for SqlRow {
    fn from(row: PgRow) -> Self {
        Self::Postgres(row)
    }
}

impl From<SqliteRow> for SqlRow {
    fn from(row: SqliteRow) -> Self {
        Self::Sqlite(row)
    }
}

impl SqlRow {
    /// The value of `column`.
    pub fn get<T: Column>(&self, column: &str) -> Result<T, sqlx::Error> {
        match self {
            Self::Postgres(row) => T::read_postgres(row, column),
            Self::Sqlite(row) => T::read_sqlite(row, column),
        }
    }
}

/// A Rust value a statement can bind, stored so that both backends read it back the same.
pub trait Value {
    fn bind_postgres(
        self,
        query: SqlxQuery<'static, Postgres, PgArguments>,
    ) -> SqlxQuery<'static, Postgres, PgArguments>;
    fn bind_sqlite(
        self,
        query: SqlxQuery<'static, Sqlite, SqliteArguments>,
    ) -> SqlxQuery<'static, Sqlite, SqliteArguments>;
}

/// A Rust value a column can be read as.
pub trait Column: Sized {
    fn read_postgres(row: &PgRow, column: &str) -> Result<Self, sqlx::Error>;
    fn read_sqlite(row: &SqliteRow, column: &str) -> Result<Self, sqlx::Error>;
}

/// Types that sqlx stores alike on both backends: bound as they are.
macro_rules! bind_as_is {
    ($($ty:ty),*) => {$(
        impl Value for $ty {
            fn bind_postgres(
                self,
                query: SqlxQuery<'static, Postgres, PgArguments>,
            ) -> SqlxQuery<'static, Postgres, PgArguments> {
                query.bind(self)
            }
            fn bind_sqlite(
                self,
                query: SqlxQuery<'static, Sqlite, SqliteArguments>,
            ) -> SqlxQuery<'static, Sqlite, SqliteArguments> {
                query.bind(self)
            }
        }
    )*};
}

/// Types that sqlx stores alike on both backends: read as they are.
macro_rules! read_as_is {
    ($($ty:ty),*) => {$(
        impl Column for $ty {
            fn read_postgres(row: &PgRow, column: &str) -> Result<Self, sqlx::Error> {
                row.try_get(column)
            }
            fn read_sqlite(row: &SqliteRow, column: &str) -> Result<Self, sqlx::Error> {
                row.try_get(column)
            }
        }
    )*};
}

bind_as_is!(
    Uuid,
    Option<Uuid>,
    String,
    Option<String>,
    i64,
    Option<i64>,
    i32,
    Option<i32>,
    i16,
    Option<i16>,
    bool,
    Option<bool>,
    Vec<u8>,
    Option<Vec<u8>>,
    Date,
    Option<Date>,
    serde_json::Value,
    Option<serde_json::Value>,
    &str,
    Option<&str>,
    &String,
    &[u8],
    &serde_json::Value
);

read_as_is!(
    Uuid,
    Option<Uuid>,
    String,
    Option<String>,
    i64,
    Option<i64>,
    i32,
    Option<i32>,
    i16,
    Option<i16>,
    bool,
    Option<bool>,
    Vec<u8>,
    Option<Vec<u8>>,
    Date,
    Option<Date>,
    serde_json::Value,
    Option<serde_json::Value>
);

/// `timestamptz` on Postgres; microseconds since the epoch on SQLite.
impl Value for OffsetDateTime {
    fn bind_postgres(
        self,
        query: SqlxQuery<'static, Postgres, PgArguments>,
    ) -> SqlxQuery<'static, Postgres, PgArguments> {
        query.bind(self)
    }
    fn bind_sqlite(
        self,
        query: SqlxQuery<'static, Sqlite, SqliteArguments>,
    ) -> SqlxQuery<'static, Sqlite, SqliteArguments> {
        query.bind(to_micros(self))
    }
}

impl Value for Option<OffsetDateTime> {
    fn bind_postgres(
        self,
        query: SqlxQuery<'static, Postgres, PgArguments>,
    ) -> SqlxQuery<'static, Postgres, PgArguments> {
        query.bind(self)
    }
    fn bind_sqlite(
        self,
        query: SqlxQuery<'static, Sqlite, SqliteArguments>,
    ) -> SqlxQuery<'static, Sqlite, SqliteArguments> {
        query.bind(self.map(to_micros))
    }
}

impl Column for OffsetDateTime {
    fn read_postgres(row: &PgRow, column: &str) -> Result<Self, sqlx::Error> {
        row.try_get(column)
    }
    fn read_sqlite(row: &SqliteRow, column: &str) -> Result<Self, sqlx::Error> {
        row.try_get(column).map(from_micros)
    }
}

impl Column for Option<OffsetDateTime> {
    fn read_postgres(row: &PgRow, column: &str) -> Result<Self, sqlx::Error> {
        row.try_get(column)
    }
    fn read_sqlite(row: &SqliteRow, column: &str) -> Result<Self, sqlx::Error> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(from_micros))
    }
}
