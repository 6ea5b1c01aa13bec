//! The notifications store on SQLite (the embedded default: `notifications.sqlite3`).
//! Timestamps are microseconds, dates `YYYY-MM-DD` text, booleans 0/1; see the migration.

use async_trait::async_trait;
use expense_kit::clock::{from_micros, to_micros};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{
    Attempt, BudgetCopy, DeliveryRecord, DueDelivery, MonthTotal, NewDelivery, NotificationRecord,
    NotificationStore, ProjectionChange, RepoError, SettingsRecord, SummaryState, WebhookRecord, corrupt,
    kind_from_db, kind_to_db, status_from_db, stored_money, thresholds_from_db, thresholds_to_db,
};

#[derive(Debug, Clone)]
pub struct SqliteNotificationStore {
    pool: SqlitePool,
}

impl SqliteNotificationStore {
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }
}

fn day(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn optional_time(row: &SqliteRow, column: &str) -> Result<Option<OffsetDateTime>, RepoError> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(from_micros))
}

async fn apply(connection: &mut SqliteConnection, change: &ProjectionChange) -> Result<(), RepoError> {
    match change {
        ProjectionChange::UpsertExpense(copy) => {
            sqlx::query(
                "INSERT INTO expense_copies (id, user_id, amount_minor, currency, category, spent_on, version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency,
                     category = excluded.category, spent_on = excluded.spent_on, version = excluded.version
                 WHERE expense_copies.version < excluded.version AND NOT expense_copies.deleted",
            )
            .bind(copy.id)
            .bind(copy.user_id)
            .bind(copy.amount.minor())
            .bind(copy.amount.currency().code())
            .bind(&copy.category)
            .bind(day(copy.spent_on))
            .bind(copy.version)
            .execute(&mut *connection)
            .await?;
        }
        ProjectionChange::DeleteExpense { user_id, id, version } => {
            sqlx::query(
                "INSERT INTO expense_copies (id, user_id, amount_minor, currency, category, spent_on, version, deleted)
                 VALUES (?1, ?2, 0, '', '', '1970-01-01', ?3, 1)
                 ON CONFLICT (id) DO UPDATE SET deleted = 1, version = MAX(expense_copies.version, excluded.version)",
            )
            .bind(id)
            .bind(user_id)
            .bind(version)
            .execute(&mut *connection)
            .await?;
        }
        ProjectionChange::UpsertBudget(budget) => {
            sqlx::query(
                "INSERT INTO budget_copies (user_id, category, amount_minor, currency, exponent, starts_on_day)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (user_id, category) DO UPDATE SET amount_minor = excluded.amount_minor,
                     currency = excluded.currency, exponent = excluded.exponent, starts_on_day = excluded.starts_on_day",
            )
            .bind(budget.user_id)
            .bind(&budget.category)
            .bind(budget.amount.minor())
            .bind(budget.amount.currency().code())
            .bind(i64::from(budget.amount.currency().exponent()))
            .bind(i64::from(budget.starts_on_day))
            .execute(&mut *connection)
            .await?;
        }
        ProjectionChange::DeleteBudget { user_id, category } => {
            sqlx::query("DELETE FROM budget_copies WHERE user_id = ?1 AND category = ?2")
                .bind(user_id)
                .bind(category)
                .execute(&mut *connection)
                .await?;
        }
        ProjectionChange::MoveCategory {
            user_id,
            from,
            to,
            merge,
        } => {
            sqlx::query("UPDATE expense_copies SET category = ?3 WHERE user_id = ?1 AND category = ?2")
                .bind(user_id)
                .bind(from)
                .bind(to)
                .execute(&mut *connection)
                .await?;
            if *merge {
                sqlx::query(
                    "DELETE FROM budget_copies WHERE user_id = ?1 AND category = ?2
                       AND EXISTS (SELECT 1 FROM budget_copies WHERE user_id = ?1 AND category = ?3)",
                )
                .bind(user_id)
                .bind(from)
                .bind(to)
                .execute(&mut *connection)
                .await?;
            }
            sqlx::query(
                "UPDATE budget_copies SET category = ?3 WHERE user_id = ?1 AND category = ?2
                   AND NOT EXISTS (SELECT 1 FROM budget_copies WHERE user_id = ?1 AND category = ?3)",
            )
            .bind(user_id)
            .bind(from)
            .bind(to)
            .execute(&mut *connection)
            .await?;
        }
        ProjectionChange::Nothing => {}
    }
    Ok(())
}

/// Stores a notification with its webhook deliveries and commits the transaction that made it
/// due (an alert's or a summary's marker).
async fn commit_notification(
    mut transaction: sqlx::Transaction<'_, sqlx::Sqlite>,
    notification: &NotificationRecord,
    deliveries: &[NewDelivery],
) -> Result<bool, RepoError> {
    insert_notification(&mut transaction, notification).await?;
    insert_deliveries(&mut transaction, deliveries).await?;
    transaction.commit().await?;
    Ok(true)
}

async fn insert_notification(
    connection: &mut SqliteConnection,
    record: &NotificationRecord,
) -> Result<(), RepoError> {
    sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, title, body, data, created_at, read_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(record.id)
    .bind(record.user_id)
    .bind(kind_to_db(record.kind))
    .bind(&record.title)
    .bind(&record.body)
    .bind(record.data.to_string())
    .bind(to_micros(record.created_at))
    .bind(record.read_at.map(to_micros))
    .execute(connection)
    .await?;
    Ok(())
}

async fn insert_deliveries(
    connection: &mut SqliteConnection,
    deliveries: &[NewDelivery],
) -> Result<(), RepoError> {
    for delivery in deliveries {
        sqlx::query(
            "INSERT INTO webhook_deliveries (id, webhook_id, user_id, event, payload, status, attempts, next_attempt_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?6)",
        )
        .bind(delivery.id)
        .bind(delivery.webhook_id)
        .bind(delivery.user_id)
        .bind(&delivery.event)
        .bind(&delivery.payload)
        .bind(to_micros(delivery.created_at))
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

fn settings(row: &SqliteRow) -> Result<SettingsRecord, RepoError> {
    Ok(SettingsRecord {
        user_id: row.try_get("user_id")?,
        email: row.try_get("email")?,
        budget_alerts: row.try_get("budget_alerts")?,
        monthly_summary: row.try_get("monthly_summary")?,
        thresholds: thresholds_from_db(row.try_get("thresholds")?)?,
        updated_at: from_micros(row.try_get("updated_at")?),
    })
}

fn notification(row: &SqliteRow) -> Result<NotificationRecord, RepoError> {
    let data: String = row.try_get("data")?;
    Ok(NotificationRecord {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        kind: kind_from_db(row.try_get("kind")?)?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        data: serde_json::from_str(&data).map_err(corrupt)?,
        created_at: from_micros(row.try_get("created_at")?),
        read_at: optional_time(row, "read_at")?,
    })
}

fn webhook(row: &SqliteRow) -> Result<WebhookRecord, RepoError> {
    Ok(WebhookRecord {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        url: row.try_get("url")?,
        secret: row.try_get("secret")?,
        created_at: from_micros(row.try_get("created_at")?),
    })
}

const SETTINGS_COLUMNS: &str = "user_id, email, budget_alerts, monthly_summary, thresholds, updated_at";
const NOTIFICATION_COLUMNS: &str = "id, user_id, kind, title, body, data, created_at, read_at";

#[async_trait]
impl NotificationStore for SqliteNotificationStore {
    async fn apply_events(
        &self,
        events: &[(Uuid, ProjectionChange)],
        at: OffsetDateTime,
    ) -> Result<Vec<bool>, RepoError> {
        let mut transaction = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut applied = Vec::with_capacity(events.len());
        for (event_id, change) in events {
            let first = sqlx::query(
                "INSERT INTO processed_events (event_id, processed_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )
            .bind(event_id)
            .bind(to_micros(at))
            .execute(&mut *transaction)
            .await?
            .rows_affected()
                == 1;
            if first {
                apply(&mut transaction, change).await?;
            }
            applied.push(first);
        }
        transaction.commit().await?;
        Ok(applied)
    }

    async fn budgets(&self, user_id: Uuid) -> Result<Vec<BudgetCopy>, RepoError> {
        let rows = sqlx::query(
            "SELECT user_id, category, amount_minor, currency, exponent, starts_on_day FROM budget_copies
             WHERE user_id = ?1 ORDER BY category",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(BudgetCopy {
                    user_id: row.try_get("user_id")?,
                    category: row.try_get("category")?,
                    amount: stored_money(row.try_get("amount_minor")?, row.try_get("currency")?)?,
                    starts_on_day: u8::try_from(row.try_get::<i64, _>("starts_on_day")?).map_err(corrupt)?,
                })
            })
            .collect()
    }

    async fn spent(
        &self,
        user_id: Uuid,
        category: Option<&str>,
        currency: &str,
        from: Date,
        to: Date,
    ) -> Result<i64, RepoError> {
        let total: Option<i64> = sqlx::query_scalar(
            "SELECT SUM(amount_minor) FROM expense_copies
             WHERE user_id = ?1 AND NOT deleted AND currency = ?2 AND (?3 IS NULL OR category = ?3)
               AND spent_on BETWEEN ?4 AND ?5",
        )
        .bind(user_id)
        .bind(currency)
        .bind(category)
        .bind(day(from))
        .bind(day(to))
        .fetch_one(&self.pool)
        .await?;
        Ok(total.unwrap_or(0))
    }

    async fn month_totals(&self, user_id: Uuid, from: Date, to: Date) -> Result<Vec<MonthTotal>, RepoError> {
        let rows = sqlx::query(
            "SELECT category, currency, SUM(amount_minor) AS total, COUNT(*) AS count FROM expense_copies
             WHERE user_id = ?1 AND NOT deleted AND spent_on BETWEEN ?2 AND ?3
             GROUP BY category, currency ORDER BY category, currency",
        )
        .bind(user_id)
        .bind(day(from))
        .bind(day(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(MonthTotal {
                    category: row.try_get("category")?,
                    total: stored_money(row.try_get("total")?, row.try_get("currency")?)?,
                    count: row.try_get("count")?,
                })
            })
            .collect()
    }

    async fn settings(&self, user_id: Uuid) -> Result<Option<SettingsRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {SETTINGS_COLUMNS} FROM settings WHERE user_id = ?1"
        ));
        let row = sqlx::query(sql).bind(user_id).fetch_optional(&self.pool).await?;
        row.as_ref().map(settings).transpose()
    }

    async fn put_settings(&self, record: &SettingsRecord) -> Result<(), RepoError> {
        sqlx::query(
            "INSERT INTO settings (user_id, email, budget_alerts, monthly_summary, thresholds, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, budget_alerts = excluded.budget_alerts,
                 monthly_summary = excluded.monthly_summary, thresholds = excluded.thresholds, updated_at = excluded.updated_at",
        )
        .bind(record.user_id)
        .bind(&record.email)
        .bind(record.budget_alerts)
        .bind(record.monthly_summary)
        .bind(thresholds_to_db(&record.thresholds))
        .bind(to_micros(record.updated_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn summary_subscribers(&self) -> Result<Vec<SettingsRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {SETTINGS_COLUMNS} FROM settings WHERE monthly_summary AND email IS NOT NULL ORDER BY user_id"
        ));
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.iter().map(settings).collect()
    }

    async fn fire_alert(
        &self,
        category: &str,
        period_start: Date,
        threshold: u16,
        notification: &NotificationRecord,
        deliveries: &[NewDelivery],
    ) -> Result<bool, RepoError> {
        let mut transaction = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let first = sqlx::query(
            "INSERT INTO alerts_fired (user_id, category, period_start, threshold, fired_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO NOTHING",
        )
        .bind(notification.user_id)
        .bind(category)
        .bind(day(period_start))
        .bind(i64::from(threshold))
        .bind(to_micros(notification.created_at))
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        if !first {
            return Ok(false);
        }
        commit_notification(transaction, notification, deliveries).await
    }

    async fn mark_alert(
        &self,
        user_id: Uuid,
        category: &str,
        period_start: Date,
        threshold: u16,
        at: OffsetDateTime,
    ) -> Result<bool, RepoError> {
        let result = sqlx::query(
            "INSERT INTO alerts_fired (user_id, category, period_start, threshold, fired_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(category)
        .bind(day(period_start))
        .bind(i64::from(threshold))
        .bind(to_micros(at))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn rearm_alerts(
        &self,
        user_id: Uuid,
        category: &str,
        period_start: Date,
        percent: i64,
    ) -> Result<u64, RepoError> {
        let result = sqlx::query(
            "DELETE FROM alerts_fired WHERE user_id = ?1 AND category = ?2 AND period_start = ?3 AND threshold > ?4",
        )
        .bind(user_id)
        .bind(category)
        .bind(day(period_start))
        .bind(percent)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    async fn notifications(
        &self,
        user_id: Uuid,
        unread_only: bool,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<NotificationRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications
             WHERE user_id = ?1 AND (?2 = 0 OR read_at IS NULL) AND (?3 IS NULL OR id < ?3)
             ORDER BY id DESC LIMIT ?4"
        ));
        let rows = sqlx::query(sql)
            .bind(user_id)
            .bind(unread_only)
            .bind(before)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(notification).collect()
    }

    async fn mark_read(&self, user_id: Uuid, id: Uuid, at: OffsetDateTime) -> Result<bool, RepoError> {
        let result = sqlx::query(
            "UPDATE notifications SET read_at = COALESCE(read_at, ?3) WHERE user_id = ?1 AND id = ?2",
        )
        .bind(user_id)
        .bind(id)
        .bind(to_micros(at))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn mark_all_read(&self, user_id: Uuid, at: OffsetDateTime) -> Result<u64, RepoError> {
        let result =
            sqlx::query("UPDATE notifications SET read_at = ?2 WHERE user_id = ?1 AND read_at IS NULL")
                .bind(user_id)
                .bind(to_micros(at))
                .execute(&self.pool)
                .await?;
        Ok(result.rows_affected())
    }

    async fn summary(&self, user_id: Uuid, month: &str) -> Result<Option<SummaryState>, RepoError> {
        let row = sqlx::query(
            "SELECT notification_id, sending_since, mailed_at FROM monthly_summaries WHERE user_id = ?1 AND month = ?2",
        )
        .bind(user_id)
        .bind(month)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(SummaryState {
                notification_id: row.try_get("notification_id")?,
                sending_since: optional_time(&row, "sending_since")?,
                mailed_at: optional_time(&row, "mailed_at")?,
            })
        })
        .transpose()
    }

    async fn create_summary(
        &self,
        month: &str,
        notification: &NotificationRecord,
        deliveries: &[NewDelivery],
    ) -> Result<bool, RepoError> {
        let mut transaction = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let first = sqlx::query(
            "INSERT INTO monthly_summaries (user_id, month, notification_id, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
        )
        .bind(notification.user_id)
        .bind(month)
        .bind(notification.id)
        .bind(to_micros(notification.created_at))
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        if !first {
            return Ok(false);
        }
        commit_notification(transaction, notification, deliveries).await
    }

    async fn claim_summary_mail(
        &self,
        user_id: Uuid,
        month: &str,
        at: OffsetDateTime,
    ) -> Result<bool, RepoError> {
        let claimed = sqlx::query(
            "UPDATE monthly_summaries SET sending_since = ?3
             WHERE user_id = ?1 AND month = ?2 AND sending_since IS NULL AND mailed_at IS NULL",
        )
        .bind(user_id)
        .bind(month)
        .bind(to_micros(at))
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(claimed == 1)
    }

    async fn release_summary_mail(&self, user_id: Uuid, month: &str) -> Result<(), RepoError> {
        sqlx::query("UPDATE monthly_summaries SET sending_since = NULL WHERE user_id = ?1 AND month = ?2 AND mailed_at IS NULL")
            .bind(user_id)
            .bind(month)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn mark_summary_mailed(
        &self,
        user_id: Uuid,
        month: &str,
        at: OffsetDateTime,
    ) -> Result<(), RepoError> {
        sqlx::query("UPDATE monthly_summaries SET mailed_at = ?3 WHERE user_id = ?1 AND month = ?2")
            .bind(user_id)
            .bind(month)
            .bind(to_micros(at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn notification(&self, user_id: Uuid, id: Uuid) -> Result<Option<NotificationRecord>, RepoError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE user_id = ?1 AND id = ?2"
        ));
        let row = sqlx::query(sql)
            .bind(user_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(notification).transpose()
    }

    async fn insert_webhook(&self, record: &WebhookRecord) -> Result<(), RepoError> {
        sqlx::query(
            "INSERT INTO webhooks (id, user_id, url, secret, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(record.id)
        .bind(record.user_id)
        .bind(&record.url)
        .bind(&record.secret)
        .bind(to_micros(record.created_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn webhooks(&self, user_id: Uuid) -> Result<Vec<WebhookRecord>, RepoError> {
        let rows = sqlx::query(
            "SELECT id, user_id, url, secret, created_at FROM webhooks WHERE user_id = ?1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(webhook).collect()
    }

    async fn webhook(&self, user_id: Uuid, id: Uuid) -> Result<Option<WebhookRecord>, RepoError> {
        let row = sqlx::query(
            "SELECT id, user_id, url, secret, created_at FROM webhooks WHERE user_id = ?1 AND id = ?2",
        )
        .bind(user_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(webhook).transpose()
    }

    async fn delete_webhook(&self, user_id: Uuid, id: Uuid) -> Result<bool, RepoError> {
        let mut transaction = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM webhook_deliveries WHERE user_id = ?1 AND webhook_id = ?2")
            .bind(user_id)
            .bind(id)
            .execute(&mut *transaction)
            .await?;
        let deleted = sqlx::query("DELETE FROM webhooks WHERE user_id = ?1 AND id = ?2")
            .bind(user_id)
            .bind(id)
            .execute(&mut *transaction)
            .await?
            .rows_affected()
            == 1;
        transaction.commit().await?;
        Ok(deleted)
    }

    async fn insert_deliveries(&self, deliveries: &[NewDelivery]) -> Result<(), RepoError> {
        let mut connection = self.pool.acquire().await?;
        insert_deliveries(&mut connection, deliveries).await
    }

    async fn claim_deliveries(
        &self,
        now: OffsetDateTime,
        lease: time::Duration,
        limit: u32,
    ) -> Result<Vec<DueDelivery>, RepoError> {
        let mut transaction = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let rows = sqlx::query(
            "SELECT d.id, d.event, d.payload, d.attempts, w.url, w.secret
             FROM webhook_deliveries AS d JOIN webhooks AS w ON w.id = d.webhook_id
             WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 AND (d.claimed_until IS NULL OR d.claimed_until < ?1)
             ORDER BY d.next_attempt_at LIMIT ?2",
        )
        .bind(to_micros(now))
        .bind(i64::from(limit))
        .fetch_all(&mut *transaction)
        .await?;
        let due = rows
            .iter()
            .map(|row| {
                Ok(DueDelivery {
                    id: row.try_get("id")?,
                    event: row.try_get("event")?,
                    payload: row.try_get("payload")?,
                    attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).map_err(corrupt)?,
                    url: row.try_get("url")?,
                    secret: row.try_get("secret")?,
                })
            })
            .collect::<Result<Vec<_>, RepoError>>()?;
        for delivery in &due {
            sqlx::query("UPDATE webhook_deliveries SET claimed_until = ?2 WHERE id = ?1")
                .bind(delivery.id)
                .bind(to_micros(now + lease))
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(due)
    }

    async fn record_attempt(&self, id: Uuid, attempt: &Attempt, at: OffsetDateTime) -> Result<(), RepoError> {
        let (status, next, delivered_at, last_status, last_error) = match attempt {
            Attempt::Delivered { status } => ("delivered", at, Some(at), Some(i64::from(*status)), None),
            Attempt::Retry { status, error, next } => (
                "pending",
                *next,
                None,
                status.map(i64::from),
                Some(error.as_str()),
            ),
            Attempt::Failed { status, error } => {
                ("failed", at, None, status.map(i64::from), Some(error.as_str()))
            }
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET status = ?2, attempts = attempts + 1, next_attempt_at = ?3, claimed_until = NULL,
                 delivered_at = ?4, last_status = ?5, last_error = ?6
             WHERE id = ?1",
        )
        .bind(id)
        .bind(status)
        .bind(to_micros(next))
        .bind(delivered_at.map(to_micros))
        .bind(last_status)
        .bind(last_error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn deliveries(
        &self,
        user_id: Uuid,
        webhook_id: Uuid,
        limit: u32,
    ) -> Result<Vec<DeliveryRecord>, RepoError> {
        let rows = sqlx::query(
            "SELECT id, event, status, attempts, last_status, last_error, created_at, delivered_at FROM webhook_deliveries
             WHERE user_id = ?1 AND webhook_id = ?2 ORDER BY id DESC LIMIT ?3",
        )
        .bind(user_id)
        .bind(webhook_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DeliveryRecord {
                    id: row.try_get("id")?,
                    event: row.try_get("event")?,
                    status: status_from_db(row.try_get("status")?)?,
                    attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).map_err(corrupt)?,
                    last_status: row
                        .try_get::<Option<i64>, _>("last_status")?
                        .and_then(|s| u16::try_from(s).ok()),
                    last_error: row.try_get("last_error")?,
                    created_at: from_micros(row.try_get("created_at")?),
                    delivered_at: optional_time(row, "delivered_at")?,
                })
            })
            .collect()
    }
}
