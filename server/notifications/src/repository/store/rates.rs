//! The copy of each user's exchange rates, from `rates.recorded` and `rate.deleted`: what a budget
//! in a home currency converts its foreign expenses with. One row per pair and day, as the
//! expenses service keeps them; a deleted rate stays as a tombstone, and a change applies only
//! if it is not older than the one kept (events may arrive out of order).

use expense_api::conversion::{Rate, StoredRate};
use expense_api::money::Currency;
use expense_kit::db::{Sql, SqlDb, SqlRow, SqlTx};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::repository::{RepoError, corrupt};

const PUT_RATE: Sql = Sql::same(
    "INSERT INTO rate_copies (user_id, from_currency, to_currency, rate_on, rate_mantissa, rate_scale, changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (user_id, from_currency, to_currency, rate_on) DO UPDATE
         SET rate_mantissa = excluded.rate_mantissa, rate_scale = excluded.rate_scale,
             changed_at = excluded.changed_at, deleted = excluded.deleted
     WHERE rate_copies.changed_at <= excluded.changed_at",
);
/// A tombstone (its rate is never read).
const DELETE_RATE: Sql = Sql::each(
    "INSERT INTO rate_copies (user_id, from_currency, to_currency, rate_on, rate_mantissa, rate_scale, changed_at, deleted)
     VALUES ($1, $2, $3, $4, 0, 0, $5, true)
     ON CONFLICT (user_id, from_currency, to_currency, rate_on) DO UPDATE
         SET changed_at = excluded.changed_at, deleted = true
     WHERE rate_copies.changed_at <= excluded.changed_at",
    "INSERT INTO rate_copies (user_id, from_currency, to_currency, rate_on, rate_mantissa, rate_scale, changed_at, deleted)
     VALUES ($1, $2, $3, $4, 0, 0, $5, 1)
     ON CONFLICT (user_id, from_currency, to_currency, rate_on) DO UPDATE
         SET changed_at = excluded.changed_at, deleted = 1
     WHERE rate_copies.changed_at <= excluded.changed_at",
);
/// The period's rates and, per pair, the latest before it.
const RATES_FOR_PERIOD: Sql = Sql::same(
    "SELECT from_currency, to_currency, rate_on, rate_mantissa, rate_scale FROM rate_copies AS r
     WHERE user_id = $1 AND NOT deleted AND rate_on <= $3
       AND rate_on >= COALESCE(
           (SELECT max(earlier.rate_on) FROM rate_copies AS earlier
            WHERE earlier.user_id = $1 AND earlier.from_currency = r.from_currency
              AND earlier.to_currency = r.to_currency AND NOT earlier.deleted AND earlier.rate_on <= $2),
           $2)",
);

pub(super) async fn put_rates(
    transaction: &mut SqlTx,
    user_id: Uuid,
    rates: &[StoredRate],
    at: OffsetDateTime,
) -> Result<(), RepoError> {
    for rate in rates {
        transaction
            .query(&PUT_RATE)
            .bind(user_id)
            .bind(rate.from.code())
            .bind(rate.to.code())
            .bind(rate.on)
            .bind(rate.rate.mantissa())
            .bind(i16::from(rate.rate.scale()))
            .bind(at)
            .execute()
            .await?;
    }
    Ok(())
}

pub(super) async fn delete_rate(
    transaction: &mut SqlTx,
    user_id: Uuid,
    (from, to, on): (Currency, Currency, Date),
    at: OffsetDateTime,
) -> Result<(), RepoError> {
    transaction
        .query(&DELETE_RATE)
        .bind(user_id)
        .bind(from.code())
        .bind(to.code())
        .bind(on)
        .bind(at)
        .execute()
        .await?;
    Ok(())
}

fn stored_rate(row: &SqlRow) -> Result<StoredRate, RepoError> {
    let currency =
        |column: &str| -> Result<Currency, RepoError> { row.get::<String>(column)?.parse().map_err(corrupt) };
    let scale = u8::try_from(row.get::<i16>("rate_scale")?).map_err(corrupt)?;
    Ok(StoredRate {
        from: currency("from_currency")?,
        to: currency("to_currency")?,
        on: row.get("rate_on")?,
        rate: Rate::from_parts(row.get("rate_mantissa")?, scale).map_err(corrupt)?,
    })
}

pub(super) async fn rates_for_period(
    db: &SqlDb,
    user_id: Uuid,
    from: Date,
    to: Date,
) -> Result<Vec<StoredRate>, RepoError> {
    let rows = db
        .query(&RATES_FOR_PERIOD)
        .bind(user_id)
        .bind(from)
        .bind(to)
        .fetch_all()
        .await?;
    rows.iter().map(stored_rate).collect()
}
