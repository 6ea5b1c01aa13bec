//! The expenses store on Postgres (the `expenses` schema, selected by the pool's `search_path`).
//!
//! Every change is one statement, so one round trip and no `BEGIN`/`COMMIT`: data-modifying
//! CTEs write the row, its outbox event and (for creates with an `Idempotency-Key`) the stored
//! answer together, atomically. Only moving a category, which touches budgets twice, runs a
//! transaction. Rows are decoded by position.
//!
//! One store, its trait implementations split by what they store: [`expenses`] (expenses,
//! categories, summaries, idempotency keys), [`budgets`], [`outbox`] (the relay's claims),
//! [`erasure`] (a deleted account's rows). This
//! module holds the store and the statement pieces every part shares: the event written after a
//! single-row change, and SQL templates built once per process.

use sqlx::{PgPool, Postgres};

use super::OutboxEvent;

/// SQL built once per process from a template (parameters renumbered).
macro_rules! cached_sql {
    ($build:expr) => {{
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        sqlx::AssertSqlSafe(SQL.get_or_init(|| $build).as_str())
    }};
}

mod budgets;
mod erasure;
mod expenses;
mod outbox;

/// Expenses storage in Postgres.
#[derive(Debug, Clone)]
pub struct PgExpenseStore {
    pub(crate) pool: PgPool,
}

impl PgExpenseStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// The event `$E` (id), `$E+1` (user), `$E+2` (type), `$E+3` (payload), `$E+4` (time) of a
/// change, inserted when the CTE `changed` has a row: what follows every single-row change.
/// Ends the statement, answering a row when the change happened.
const EVENT_IF_CHANGED: &str = "
    INSERT INTO outbox (id, user_id, event_type, payload, created_at)
    SELECT $EID, $EUSER, $ETYPE, $EPAYLOAD::jsonb, $EAT WHERE EXISTS (SELECT 1 FROM changed)
    RETURNING 1";

/// [`EVENT_IF_CHANGED`] with its parameters numbered from `first`.
fn event_if_changed(first: usize) -> String {
    EVENT_IF_CHANGED
        .replace("$EID", &format!("${}::uuid", first))
        .replace("$EUSER", &format!("${}::uuid", first + 1))
        .replace("$ETYPE", &format!("${}::text", first + 2))
        .replace("$EPAYLOAD", &format!("${}::text", first + 3))
        .replace("$EAT", &format!("${}::timestamptz", first + 4))
}

/// Binds an event's five columns, in [`EVENT_IF_CHANGED`]'s order.
fn bind_event<'q>(
    query: sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>,
    event: &'q OutboxEvent,
) -> sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(event.id)
        .bind(event.user_id)
        .bind(event.event_type.as_str())
        .bind(event.payload.as_str())
        .bind(event.created_at)
}
