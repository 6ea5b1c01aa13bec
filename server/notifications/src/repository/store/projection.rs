//! The copies of expenses and budgets, built from events (rates: `super::rates`), and the sums
//! the alert and summary rules read from them.

use expense_kit::db::{Sql, SqlDb, SqlRow, SqlTx};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::repository::{
    BudgetCopy, DaySpent, MonthTotal, ProjectionChange, RepoError, corrupt, stored_money,
};

const MARK_PROCESSED: Sql =
    Sql::same("INSERT INTO processed_events (event_id, processed_at) VALUES ($1, $2) ON CONFLICT DO NOTHING");
/// Applied only if newer than the copy kept, and never to a tombstone.
const UPSERT_EXPENSE: Sql = Sql::same(
    "INSERT INTO expense_copies (id, user_id, amount_minor, currency, category, spent_on, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency,
         category = excluded.category, spent_on = excluded.spent_on, version = excluded.version
     WHERE expense_copies.version < excluded.version AND NOT expense_copies.deleted",
);
/// A tombstone, so that a late, older event cannot bring the expense back.
const DELETE_EXPENSE: Sql = Sql::each(
    "INSERT INTO expense_copies (id, user_id, amount_minor, currency, category, spent_on, version, deleted)
     VALUES ($1, $2, 0, '', '', '1970-01-01', $3, true)
     ON CONFLICT (id) DO UPDATE SET deleted = true, version = GREATEST(expense_copies.version, excluded.version)",
    "INSERT INTO expense_copies (id, user_id, amount_minor, currency, category, spent_on, version, deleted)
     VALUES ($1, $2, 0, '', '', '1970-01-01', $3, 1)
     ON CONFLICT (id) DO UPDATE SET deleted = 1, version = MAX(expense_copies.version, excluded.version)",
);
const UPSERT_BUDGET: Sql = Sql::same(
    "INSERT INTO budget_copies (user_id, category, amount_minor, currency, exponent, starts_on_day, convert_foreign)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (user_id, category) DO UPDATE SET amount_minor = excluded.amount_minor,
         currency = excluded.currency, exponent = excluded.exponent, starts_on_day = excluded.starts_on_day,
         convert_foreign = excluded.convert_foreign",
);
const DELETE_BUDGET: Sql = Sql::same("DELETE FROM budget_copies WHERE user_id = $1 AND category = $2");
const MOVE_EXPENSES: Sql =
    Sql::same("UPDATE expense_copies SET category = $3 WHERE user_id = $1 AND category = $2");
/// A merge: the budget of the category merged away goes if the target has one.
const DROP_MERGED_BUDGET: Sql = Sql::same(
    "DELETE FROM budget_copies WHERE user_id = $1 AND category = $2
       AND EXISTS (SELECT 1 FROM budget_copies WHERE user_id = $1 AND category = $3)",
);
const RENAME_BUDGET: Sql = Sql::same(
    "UPDATE budget_copies SET category = $3 WHERE user_id = $1 AND category = $2
       AND NOT EXISTS (SELECT 1 FROM budget_copies WHERE user_id = $1 AND category = $3)",
);

const BUDGETS: Sql = Sql::same(
    "SELECT user_id, category, amount_minor, currency, exponent, starts_on_day, convert_foreign
     FROM budget_copies WHERE user_id = $1 ORDER BY category",
);
const SPENT: Sql = Sql::each(
    "SELECT SUM(amount_minor)::bigint AS total FROM expense_copies
     WHERE user_id = $1 AND NOT deleted AND currency = $2 AND ($3::text IS NULL OR category = $3)
       AND spent_on BETWEEN $4 AND $5",
    "SELECT SUM(amount_minor) AS total FROM expense_copies
     WHERE user_id = $1 AND NOT deleted AND currency = $2 AND ($3 IS NULL OR category = $3)
       AND spent_on BETWEEN $4 AND $5",
);
const SPENT_BY_DAY: Sql = Sql::each(
    "SELECT currency, spent_on, SUM(amount_minor)::bigint AS total, COUNT(*) AS count FROM expense_copies
     WHERE user_id = $1 AND NOT deleted AND ($2::text IS NULL OR category = $2) AND spent_on BETWEEN $3 AND $4
     GROUP BY currency, spent_on ORDER BY currency, spent_on",
    "SELECT currency, spent_on, SUM(amount_minor) AS total, COUNT(*) AS count FROM expense_copies
     WHERE user_id = $1 AND NOT deleted AND ($2 IS NULL OR category = $2) AND spent_on BETWEEN $3 AND $4
     GROUP BY currency, spent_on ORDER BY currency, spent_on",
);
const MONTH_TOTALS: Sql = Sql::each(
    "SELECT category, currency, SUM(amount_minor)::bigint AS total, COUNT(*) AS count FROM expense_copies
     WHERE user_id = $1 AND NOT deleted AND spent_on BETWEEN $2 AND $3
     GROUP BY category, currency ORDER BY category, currency",
    "SELECT category, currency, SUM(amount_minor) AS total, COUNT(*) AS count FROM expense_copies
     WHERE user_id = $1 AND NOT deleted AND spent_on BETWEEN $2 AND $3
     GROUP BY category, currency ORDER BY category, currency",
);

pub(super) async fn apply_events(
    db: &SqlDb,
    events: &[(Uuid, ProjectionChange)],
    at: OffsetDateTime,
) -> Result<Vec<bool>, RepoError> {
    let mut transaction = db.begin().await?;
    let mut applied = Vec::with_capacity(events.len());
    for (event_id, change) in events {
        let first = transaction
            .query(&MARK_PROCESSED)
            .bind(*event_id)
            .bind(at)
            .execute()
            .await?
            == 1;
        if first {
            match change {
                ProjectionChange::EraseUser { user_id } => {
                    super::erasure::erase_user(&mut transaction, *user_id, at).await?;
                }
                // A late event about a deleted account must not bring its data back.
                change => match change.user_id() {
                    Some(user_id) if super::erasure::is_deleted(&mut transaction, user_id).await? => {}
                    _ => apply(&mut transaction, change).await?,
                },
            }
        }
        applied.push(first);
    }
    transaction.commit().await?;
    Ok(applied)
}

async fn apply(transaction: &mut SqlTx, change: &ProjectionChange) -> Result<(), RepoError> {
    match change {
        ProjectionChange::UpsertExpense(copy) => {
            transaction
                .query(&UPSERT_EXPENSE)
                .bind(copy.id)
                .bind(copy.user_id)
                .bind(copy.amount.minor())
                .bind(copy.amount.currency().code())
                .bind(&copy.category)
                .bind(copy.spent_on)
                .bind(copy.version)
                .execute()
                .await?;
        }
        ProjectionChange::DeleteExpense { user_id, id, version } => {
            transaction
                .query(&DELETE_EXPENSE)
                .bind(*id)
                .bind(*user_id)
                .bind(*version)
                .execute()
                .await?;
        }
        ProjectionChange::UpsertBudget(budget) => {
            transaction
                .query(&UPSERT_BUDGET)
                .bind(budget.user_id)
                .bind(&budget.category)
                .bind(budget.amount.minor())
                .bind(budget.amount.currency().code())
                .bind(i16::from(budget.amount.currency().exponent()))
                .bind(i16::from(budget.starts_on_day))
                .bind(budget.convert)
                .execute()
                .await?;
        }
        ProjectionChange::DeleteBudget { user_id, category } => {
            transaction
                .query(&DELETE_BUDGET)
                .bind(*user_id)
                .bind(category)
                .execute()
                .await?;
        }
        ProjectionChange::MoveCategory {
            user_id,
            from,
            to,
            merge,
        } => {
            // The expenses move; on a merge, `from`'s budget is dropped if `to` has one; then
            // `from`'s budget (if still there) becomes `to`'s unless `to` has one.
            let merged = if *merge { Some(&DROP_MERGED_BUDGET) } else { None };
            for statement in [Some(&MOVE_EXPENSES), merged, Some(&RENAME_BUDGET)]
                .into_iter()
                .flatten()
            {
                transaction
                    .query(statement)
                    .bind(*user_id)
                    .bind(from)
                    .bind(to)
                    .execute()
                    .await?;
            }
        }
        ProjectionChange::PutRates { user_id, rates, at } => {
            super::rates::put_rates(transaction, *user_id, rates, *at).await?;
        }
        ProjectionChange::DeleteRate {
            user_id,
            from,
            to,
            on,
            at,
        } => {
            super::rates::delete_rate(transaction, *user_id, (*from, *to, *on), *at).await?;
        }
        ProjectionChange::EraseUser { .. } | ProjectionChange::Nothing => {}
    }
    Ok(())
}

fn budget(row: &SqlRow) -> Result<BudgetCopy, RepoError> {
    Ok(BudgetCopy {
        user_id: row.get("user_id")?,
        category: row.get("category")?,
        amount: stored_money(row.get("amount_minor")?, &row.get::<String>("currency")?)?,
        starts_on_day: u8::try_from(row.get::<i16>("starts_on_day")?).map_err(corrupt)?,
        convert: row.get("convert_foreign")?,
    })
}

pub(super) async fn budgets(db: &SqlDb, user_id: Uuid) -> Result<Vec<BudgetCopy>, RepoError> {
    let rows = db.query(&BUDGETS).bind(user_id).fetch_all().await?;
    rows.iter().map(budget).collect()
}

pub(super) async fn spent(
    db: &SqlDb,
    user_id: Uuid,
    category: Option<&str>,
    currency: &str,
    from: Date,
    to: Date,
) -> Result<i64, RepoError> {
    let row = db
        .query(&SPENT)
        .bind(user_id)
        .bind(currency)
        .bind(category)
        .bind(from)
        .bind(to)
        .fetch_one()
        .await?;
    Ok(row.get::<Option<i64>>("total")?.unwrap_or(0))
}

pub(super) async fn spent_by_day(
    db: &SqlDb,
    user_id: Uuid,
    category: Option<&str>,
    from: Date,
    to: Date,
) -> Result<Vec<DaySpent>, RepoError> {
    let rows = db
        .query(&SPENT_BY_DAY)
        .bind(user_id)
        .bind(category)
        .bind(from)
        .bind(to)
        .fetch_all()
        .await?;
    rows.iter()
        .map(|row| {
            Ok(DaySpent {
                spent_on: row.get("spent_on")?,
                total: stored_money(row.get("total")?, &row.get::<String>("currency")?)?,
                count: row.get("count")?,
            })
        })
        .collect()
}

pub(super) async fn month_totals(
    db: &SqlDb,
    user_id: Uuid,
    from: Date,
    to: Date,
) -> Result<Vec<MonthTotal>, RepoError> {
    let rows = db
        .query(&MONTH_TOTALS)
        .bind(user_id)
        .bind(from)
        .bind(to)
        .fetch_all()
        .await?;
    rows.iter()
        .map(|row| {
            Ok(MonthTotal {
                category: row.get("category")?,
                total: stored_money(row.get("total")?, &row.get::<String>("currency")?)?,
                count: row.get("count")?,
            })
        })
        .collect()
}
