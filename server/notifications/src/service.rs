//! The notifications service's rules: keeping a copy of expenses and budgets from events,
//! budget alerts (one per threshold per budget period, re-armed when spending falls back under a
//! threshold), preferences, the in-app list, webhooks and the monthly summary.

use std::sync::Arc;

use expense_api::events::{
    BUDGET_DELETED, BUDGET_UPDATED, BudgetDeletedEvent, BudgetUpdatedEvent, CATEGORY_MERGED,
    CATEGORY_RENAMED, CategoryMovedEvent, EXPENSE_CREATED, EXPENSE_DELETED, EXPENSE_UPDATED, ExpenseEvent,
    ExpenseUpdatedEvent,
};
use expense_api::expenses::{Expense, TOTAL_BUDGET};
use expense_api::money::{Currency, Money, format_minor};
use expense_api::notifications::{NotificationKind, NotificationSettings, SettingsUpdate};
use expense_api::periods::monthly_period;
use expense_api::{FieldError, Page};
use expense_kit::clock::Clock;
use expense_kit::events::{Event, EventHandler, HandleError};
use serde_json::json;
use time::{Date, Month, OffsetDateTime};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::error::NotifyError;
use crate::identity::AuthDirectory;
use crate::mail::{Mail, Mailer};
use crate::repository::{
    BudgetCopy, ExpenseCopy, NewDelivery, NotificationRecord, NotificationStore, ProjectionChange,
    SettingsRecord, WebhookRecord,
};
use crate::webhooks;

/// Thresholds of users who never chose any.
pub const DEFAULT_THRESHOLDS: [u16; 3] = [80, 90, 100];

pub struct NotificationService {
    store: Arc<dyn NotificationStore>,
    mailer: Arc<dyn Mailer>,
    directory: AuthDirectory,
    deliveries_wake: Arc<Notify>,
    allow_private_webhooks: bool,
    clock: Clock,
}

impl NotificationService {
    /// The service over `store`, mailing through `mailer`, learning addresses from `directory`,
    /// waking webhook delivery through `deliveries_wake`; the time (today's budget periods, stamps)
    /// comes from `clock`.
    pub fn new(
        store: Arc<dyn NotificationStore>,
        mailer: Arc<dyn Mailer>,
        directory: AuthDirectory,
        deliveries_wake: Arc<Notify>,
        allow_private_webhooks: bool,
        clock: Clock,
    ) -> Self {
        Self {
            store,
            mailer,
            directory,
            deliveries_wake,
            allow_private_webhooks,
            clock,
        }
    }

    /// The clock the service reads.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn store(&self) -> &Arc<dyn NotificationStore> {
        &self.store
    }

    /// Applies an event (once, by its id) and re-evaluates the user's budget alerts (always:
    /// a redelivery after a crash between the two steps must still alert).
    pub async fn handle_event(&self, event: &Event) -> Result<(), NotifyError> {
        self.handle_events(std::slice::from_ref(event)).await
    }

    /// [`NotificationService::handle_event`] for several events: their changes in one
    /// transaction, then each concerned user's alerts once.
    pub async fn handle_events(&self, events: &[Event]) -> Result<(), NotifyError> {
        let changes: Vec<(Uuid, ProjectionChange)> = events
            .iter()
            .map(|event| {
                let change = projection_change(event).unwrap_or_else(|reason| {
                    tracing::error!(event_id = %event.id, kind = %event.kind, %reason, "unreadable event payload; skipped");
                    ProjectionChange::Nothing
                });
                (event.id, change)
            })
            .collect();
        let now = self.clock.now();
        self.store.apply_events(&changes, now).await?;
        let mut users: Vec<Uuid> = events
            .iter()
            .zip(&changes)
            .filter(|(_, (_, change))| *change != ProjectionChange::Nothing)
            .map(|(event, _)| event.user_id)
            .collect();
        users.sort_unstable();
        users.dedup();
        for user_id in users {
            self.evaluate_alerts(user_id, now.date()).await?;
        }
        Ok(())
    }

    /// Fires (and re-arms) the user's budget alerts for the periods containing `today`.
    pub async fn evaluate_alerts(&self, user_id: Uuid, today: Date) -> Result<(), NotifyError> {
        // Most users have no budget: then there is nothing to read further.
        let budgets = self.store.budgets(user_id).await?;
        if budgets.is_empty() {
            return Ok(());
        }
        let settings = self.settings_record(user_id).await?;
        if !settings.budget_alerts {
            return Ok(());
        }
        for budget in budgets {
            let (start, end) = monthly_period(today, budget.starts_on_day);
            let category = (budget.category != TOTAL_BUDGET).then_some(budget.category.as_str());
            let spent = self
                .store
                .spent(user_id, category, &budget.currency, start, end)
                .await?;
            let percent = i64::try_from(i128::from(spent) * 100 / i128::from(budget.amount_minor.max(1)))
                .unwrap_or(i64::MAX);
            self.store
                .rearm_alerts(user_id, &budget.category, start, percent)
                .await?;
            // Crossing several thresholds at once (one large expense) sends one alert, for the
            // highest; the lower ones are marked crossed without a message.
            let crossed: Vec<u16> = settings
                .thresholds
                .iter()
                .copied()
                .filter(|t| percent >= i64::from(*t))
                .collect();
            let Some((&highest, lower)) = crossed.split_last() else {
                continue;
            };
            for threshold in lower {
                self.store
                    .mark_alert(user_id, &budget.category, start, *threshold, self.clock.now())
                    .await?;
            }
            let notification = alert(&budget, highest, spent, percent, (start, end), self.clock.now());
            let deliveries = self
                .deliveries_for(user_id, "budget_alert", &notification)
                .await?;
            if self
                .store
                .fire_alert(&budget.category, start, highest, &notification, &deliveries)
                .await?
            {
                tracing::info!(%user_id, budget = %budget.category, threshold = highest, "budget alert");
                if !deliveries.is_empty() {
                    self.deliveries_wake.notify_one();
                }
                self.mail_notification(&settings, &notification).await;
            }
        }
        Ok(())
    }

    async fn mail_notification(&self, settings: &SettingsRecord, notification: &NotificationRecord) {
        let Some(to) = &settings.email else { return };
        let mail = Mail {
            key: format!("alert-{}", notification.id),
            to: to.clone(),
            subject: notification.title.clone(),
            text: format!("{}\n\n— Expense Tracker", notification.body),
            html: format!("<p>{}</p><p>— Expense Tracker</p>", escape(&notification.body)),
        };
        if let Err(error) = self.mailer.send(&mail).await {
            tracing::warn!(%error, notification = %notification.id, "alert e-mail not sent; it stays in the app");
        }
    }

    async fn deliveries_for(
        &self,
        user_id: Uuid,
        event: &str,
        notification: &NotificationRecord,
    ) -> Result<Vec<NewDelivery>, NotifyError> {
        let payload = json!({ "type": event, "notification": notification.to_api() }).to_string();
        let webhooks = self.store.webhooks(user_id).await?;
        Ok(webhooks
            .into_iter()
            .map(|webhook| NewDelivery {
                id: Uuid::now_v7(),
                webhook_id: webhook.id,
                user_id,
                event: event.to_owned(),
                payload: payload.clone(),
                created_at: self.clock.now(),
            })
            .collect())
    }

    async fn settings_record(&self, user_id: Uuid) -> Result<SettingsRecord, NotifyError> {
        Ok(self
            .store
            .settings(user_id)
            .await?
            .unwrap_or_else(|| default_settings(user_id, self.clock.now())))
    }

    /// Records the caller's e-mail address the first time it is missing.
    pub async fn learn_email(&self, user_id: Uuid, bearer: &str) -> Result<(), NotifyError> {
        let settings = self.settings_record(user_id).await?;
        if settings.email.is_some() {
            return Ok(());
        }
        if let Some(email) = self.directory.email(bearer).await {
            self.store
                .put_settings(&SettingsRecord {
                    email: Some(email),
                    updated_at: self.clock.now(),
                    ..settings
                })
                .await?;
        }
        Ok(())
    }

    pub async fn settings(&self, user_id: Uuid) -> Result<NotificationSettings, NotifyError> {
        Ok(settings_view(&self.settings_record(user_id).await?))
    }

    pub async fn update_settings(
        &self,
        user_id: Uuid,
        update: SettingsUpdate,
    ) -> Result<NotificationSettings, NotifyError> {
        let mut settings = self.settings_record(user_id).await?;
        if let Some(thresholds) = update.thresholds {
            settings.thresholds = check_thresholds(&thresholds)?;
        }
        if let Some(on) = update.budget_alerts {
            settings.budget_alerts = on;
        }
        if let Some(on) = update.monthly_summary {
            settings.monthly_summary = on;
        }
        settings.updated_at = self.clock.now();
        self.store.put_settings(&settings).await?;
        Ok(settings_view(&settings))
    }

    pub async fn list(
        &self,
        user_id: Uuid,
        unread_only: bool,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<expense_api::notifications::Notification>, NotifyError> {
        let before = match cursor {
            Some(cursor) => Some(
                expense_kit::cursor::decode::<Uuid>(cursor)
                    .map_err(|p| NotifyError::Validation(p.problem.errors.clone()))?,
            ),
            None => None,
        };
        let mut records = self
            .store
            .notifications(user_id, unread_only, before, limit + 1)
            .await?;
        let more = records.len() > limit as usize;
        records.truncate(limit as usize);
        let next_cursor = match (more, records.last()) {
            (true, Some(last)) => Some(expense_kit::cursor::encode(&last.id)),
            _ => None,
        };
        Ok(Page {
            items: records.iter().map(NotificationRecord::to_api).collect(),
            next_cursor,
        })
    }

    pub async fn mark_read(&self, user_id: Uuid, id: Uuid) -> Result<(), NotifyError> {
        if self.store.mark_read(user_id, id, self.clock.now()).await? {
            Ok(())
        } else {
            Err(NotifyError::NotFound("notification"))
        }
    }

    pub async fn mark_all_read(&self, user_id: Uuid) -> Result<u64, NotifyError> {
        Ok(self.store.mark_all_read(user_id, self.clock.now()).await?)
    }

    pub async fn add_webhook(
        &self,
        user_id: Uuid,
        url: &str,
    ) -> Result<(WebhookRecord, String), NotifyError> {
        let url = webhooks::check_url(url, self.allow_private_webhooks)
            .map_err(|message| NotifyError::invalid("url", message))?;
        if self.store.webhooks(user_id).await?.len() >= 10 {
            return Err(NotifyError::invalid(
                "url",
                "at most 10 webhooks per account; remove one first",
            ));
        }
        let secret = webhooks::new_secret();
        let record = WebhookRecord {
            id: Uuid::now_v7(),
            user_id,
            url: url.to_string(),
            secret: secret.clone(),
            created_at: self.clock.now(),
        };
        self.store.insert_webhook(&record).await?;
        Ok((record, secret))
    }

    pub async fn webhooks(&self, user_id: Uuid) -> Result<Vec<WebhookRecord>, NotifyError> {
        Ok(self.store.webhooks(user_id).await?)
    }

    pub async fn remove_webhook(&self, user_id: Uuid, id: Uuid) -> Result<(), NotifyError> {
        if self.store.delete_webhook(user_id, id).await? {
            Ok(())
        } else {
            Err(NotifyError::NotFound("webhook"))
        }
    }

    /// Queues a test delivery to one webhook.
    pub async fn test_webhook(&self, user_id: Uuid, id: Uuid) -> Result<Uuid, NotifyError> {
        let webhook = self
            .store
            .webhook(user_id, id)
            .await?
            .ok_or(NotifyError::NotFound("webhook"))?;
        let now = self.clock.now();
        let delivery = NewDelivery {
            id: Uuid::now_v7(),
            webhook_id: webhook.id,
            user_id,
            event: "webhook.test".to_owned(),
            payload: json!({ "type": "webhook.test", "webhook_id": webhook.id, "sent_at": now.to_string() })
                .to_string(),
            created_at: now,
        };
        self.store
            .insert_deliveries(std::slice::from_ref(&delivery))
            .await?;
        self.deliveries_wake.notify_one();
        Ok(delivery.id)
    }

    pub async fn deliveries(
        &self,
        user_id: Uuid,
        id: Uuid,
    ) -> Result<Vec<expense_api::notifications::Delivery>, NotifyError> {
        self.store
            .webhook(user_id, id)
            .await?
            .ok_or(NotifyError::NotFound("webhook"))?;
        Ok(self
            .store
            .deliveries(user_id, id, 100)
            .await?
            .iter()
            .map(|d| d.to_api())
            .collect())
    }

    /// The month a summary run started now covers: the one before the current month (UTC) by the
    /// service's clock. A run at 23:59:59 on 31 January covers December; one a second later,
    /// January.
    pub fn month_to_summarise(&self) -> (i32, Month) {
        previous_month(self.clock.now())
    }

    /// Sends the summary of `month` to every subscriber, once per user and month.
    ///
    /// Each summary is recorded (with its in-app notification and webhook deliveries) first, then
    /// its e-mail is claimed, handed to the mailer and marked mailed. A second run skips what is
    /// mailed. A run that died between the hand-over and the mark leaves a claim: the next run
    /// asks the mailer whether the message went out and settles it; a mailer that cannot tell
    /// (SES) leaves it unconfirmed rather than risk a second e-mail, unless `resend_unconfirmed`.
    pub async fn send_monthly_summaries(
        &self,
        year: i32,
        month: Month,
        resend_unconfirmed: bool,
    ) -> Result<SummaryRun, NotifyError> {
        let label = format!("{year:04}-{:02}", u8::from(month));
        let first = Date::from_calendar_date(year, month, 1)
            .map_err(|e| NotifyError::invalid("month", e.to_string()))?;
        let last = Date::from_calendar_date(year, month, month.length(year))
            .map_err(|e| NotifyError::invalid("month", e.to_string()))?;
        let mut run = SummaryRun {
            month: label.clone(),
            ..SummaryRun::default()
        };
        for subscriber in self.store.summary_subscribers().await? {
            let user_id = subscriber.user_id;
            let Some(to) = subscriber.email.clone() else {
                continue;
            };
            let state = match self.store.summary(user_id, &label).await? {
                Some(state) => state,
                None => {
                    let notification = self.summary_notification(user_id, &label, first, last).await?;
                    let deliveries = self
                        .deliveries_for(user_id, "monthly_summary", &notification)
                        .await?;
                    if self
                        .store
                        .create_summary(&label, &notification, &deliveries)
                        .await?
                        && !deliveries.is_empty()
                    {
                        self.deliveries_wake.notify_one();
                    }
                    self.store
                        .summary(user_id, &label)
                        .await?
                        .ok_or(NotifyError::NotFound("summary"))?
                }
            };
            let key = format!("summary-{user_id}-{label}");
            if state.mailed_at.is_some() {
                run.already_sent += 1;
                continue;
            }
            if state.sending_since.is_some() {
                match self.mailer.was_sent(&key).await {
                    Some(true) => {
                        self.store
                            .mark_summary_mailed(user_id, &label, self.clock.now())
                            .await?;
                        tracing::info!(%user_id, month = %label, "summary of an interrupted run had gone out; recorded");
                        run.already_sent += 1;
                        continue;
                    }
                    Some(false) => {}
                    None if resend_unconfirmed => {}
                    None => {
                        tracing::warn!(%user_id, month = %label, "summary of an interrupted run is unconfirmed; not resent");
                        run.unconfirmed.push(user_id);
                        continue;
                    }
                }
            } else if !self
                .store
                .claim_summary_mail(user_id, &label, self.clock.now())
                .await?
            {
                run.already_sent += 1;
                continue;
            }
            let notification = self
                .store
                .notification(user_id, state.notification_id)
                .await?
                .ok_or(NotifyError::NotFound("notification"))?;
            let mail = Mail {
                key,
                to,
                subject: notification.title.clone(),
                text: notification.body.clone(),
                html: notification.data["html"].as_str().unwrap_or_default().to_owned(),
            };
            match self.mailer.send(&mail).await {
                Ok(()) => {
                    self.store
                        .mark_summary_mailed(user_id, &label, self.clock.now())
                        .await?;
                    run.mailed += 1;
                }
                Err(error) => {
                    self.store.release_summary_mail(user_id, &label).await?;
                    tracing::error!(%user_id, month = %label, %error, "summary e-mail refused; the next run retries it");
                    run.failed.push(user_id);
                }
            }
        }
        Ok(run)
    }

    async fn summary_notification(
        &self,
        user_id: Uuid,
        label: &str,
        first: Date,
        last: Date,
    ) -> Result<NotificationRecord, NotifyError> {
        let totals = self.store.month_totals(user_id, first, last).await?;
        let budgets = self.store.budgets(user_id).await?;
        let amount = |minor: i64, currency: &str| {
            let exponent = currency.parse::<Currency>().map(Currency::exponent).unwrap_or(2);
            format!("{} {currency}", format_minor(minor, exponent))
        };
        let mut text = format!("Your spending in {label}\n\n");
        let mut html = format!(
            "<h1>Your spending in {label}</h1><table><tr><th>Category</th><th>Amount</th><th>Expenses</th></tr>"
        );
        let mut per_currency: Vec<(String, i64)> = Vec::new();
        for total in &totals {
            text.push_str(&format!(
                "  {:<24} {:>16}  ({} expenses)\n",
                total.category,
                amount(total.total_minor, &total.currency),
                total.count
            ));
            html.push_str(&format!(
                "<tr><td>{}</td><td style=\"text-align:right\">{}</td><td>{}</td></tr>",
                escape(&total.category),
                amount(total.total_minor, &total.currency),
                total.count
            ));
            match per_currency.iter_mut().find(|(c, _)| *c == total.currency) {
                Some((_, sum)) => *sum += total.total_minor,
                None => per_currency.push((total.currency.clone(), total.total_minor)),
            }
        }
        if totals.is_empty() {
            text.push_str("  No expenses.\n");
        }
        html.push_str("</table>");
        text.push_str("\nTotal:\n");
        for (currency, sum) in &per_currency {
            text.push_str(&format!("  {}\n", amount(*sum, currency)));
            html.push_str(&format!("<p><b>Total: {}</b></p>", amount(*sum, currency)));
        }
        if !budgets.is_empty() {
            text.push_str("\nBudgets:\n");
            html.push_str("<h2>Budgets</h2><ul>");
            for budget in &budgets {
                let spent: i64 = totals
                    .iter()
                    .filter(|t| {
                        t.currency == budget.currency
                            && (budget.category == TOTAL_BUDGET || t.category == budget.category)
                    })
                    .map(|t| t.total_minor)
                    .sum();
                let line = format!(
                    "{}: {} of {}",
                    budget.category,
                    amount(spent, &budget.currency),
                    amount(budget.amount_minor, &budget.currency)
                );
                text.push_str(&format!("  {line}\n"));
                html.push_str(&format!("<li>{}</li>", escape(&line)));
            }
            html.push_str("</ul>");
        }
        Ok(NotificationRecord {
            id: Uuid::now_v7(),
            user_id,
            kind: NotificationKind::MonthlySummary,
            title: format!("Your spending in {label}"),
            body: text,
            data: json!({ "month": label, "html": html, "totals": totals.iter().map(|t| json!({
                "category": t.category, "currency": t.currency, "amount": amount(t.total_minor, &t.currency), "count": t.count,
            })).collect::<Vec<_>>() }),
            created_at: self.clock.now(),
            read_at: None,
        })
    }
}

fn default_settings(user_id: Uuid, now: OffsetDateTime) -> SettingsRecord {
    SettingsRecord {
        user_id,
        email: None,
        budget_alerts: true,
        monthly_summary: false,
        thresholds: DEFAULT_THRESHOLDS.to_vec(),
        updated_at: now,
    }
}

fn settings_view(record: &SettingsRecord) -> NotificationSettings {
    NotificationSettings {
        budget_alerts: record.budget_alerts,
        monthly_summary: record.monthly_summary,
        thresholds: record.thresholds.clone(),
        email: record.email.clone(),
    }
}

fn check_thresholds(input: &[u16]) -> Result<Vec<u16>, NotifyError> {
    let mut thresholds = input.to_vec();
    thresholds.sort_unstable();
    thresholds.dedup();
    if thresholds.is_empty() || thresholds.len() > 10 || thresholds.iter().any(|t| !(1..=1000).contains(t)) {
        return Err(NotifyError::Validation(vec![FieldError::new(
            "thresholds",
            "give 1 to 10 percentages between 1 and 1000, such as [80, 90, 100]",
        )]));
    }
    Ok(thresholds)
}

fn alert(
    budget: &BudgetCopy,
    threshold: u16,
    spent: i64,
    percent: i64,
    (start, end): (Date, Date),
    now: OffsetDateTime,
) -> NotificationRecord {
    let money = |minor: i64| format!("{} {}", format_minor(minor, budget.exponent), budget.currency);
    let name = if budget.category == TOTAL_BUDGET {
        "total".to_owned()
    } else {
        budget.category.clone()
    };
    let title = if threshold >= 100 {
        format!("Your {name} budget is used up ({percent} %)")
    } else {
        format!("{threshold} % of your {name} budget is spent")
    };
    NotificationRecord {
        id: Uuid::now_v7(),
        user_id: budget.user_id,
        kind: NotificationKind::BudgetAlert,
        title,
        body: format!(
            "You have spent {} of your {} {name} budget for {start} to {end} ({percent} %).",
            money(spent),
            money(budget.amount_minor)
        ),
        data: json!({
            "budget": budget.category,
            "threshold": threshold,
            "percent_used": percent,
            "spent": format_minor(spent, budget.exponent),
            "amount": format_minor(budget.amount_minor, budget.exponent),
            "currency": budget.currency,
            "period_start": start.to_string(),
            "period_end": end.to_string(),
        }),
        created_at: now,
        read_at: None,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The copy change an event asks for.
fn projection_change(event: &Event) -> Result<ProjectionChange, String> {
    let data = event.data.clone();
    let copy = |expense: &Expense| -> Result<ExpenseCopy, String> {
        let currency: Currency = expense.currency.parse()?;
        Ok(ExpenseCopy {
            id: expense.id,
            user_id: event.user_id,
            amount_minor: Money::parse(&expense.amount, currency)?.minor(),
            currency: expense.currency.clone(),
            category: expense.category.clone(),
            spent_on: Date::parse(
                &expense.spent_on,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map_err(|e| e.to_string())?,
            version: expense.version,
        })
    };
    let read = |e: serde_json::Error| e.to_string();
    Ok(match event.kind.as_str() {
        EXPENSE_CREATED => ProjectionChange::UpsertExpense(copy(
            &serde_json::from_value::<ExpenseEvent>(data)
                .map_err(read)?
                .expense,
        )?),
        EXPENSE_UPDATED => ProjectionChange::UpsertExpense(copy(
            &serde_json::from_value::<ExpenseUpdatedEvent>(data)
                .map_err(read)?
                .expense,
        )?),
        EXPENSE_DELETED => {
            let expense = serde_json::from_value::<ExpenseEvent>(data)
                .map_err(read)?
                .expense;
            ProjectionChange::DeleteExpense {
                user_id: event.user_id,
                id: expense.id,
                version: expense.version,
            }
        }
        BUDGET_UPDATED => {
            let budget = serde_json::from_value::<BudgetUpdatedEvent>(data)
                .map_err(read)?
                .budget;
            let currency: Currency = budget.currency.parse()?;
            ProjectionChange::UpsertBudget(BudgetCopy {
                user_id: event.user_id,
                category: budget.category,
                amount_minor: Money::parse(&budget.amount, currency)?.minor(),
                currency: budget.currency,
                exponent: currency.exponent(),
                starts_on_day: budget.starts_on_day,
            })
        }
        BUDGET_DELETED => ProjectionChange::DeleteBudget {
            user_id: event.user_id,
            category: serde_json::from_value::<BudgetDeletedEvent>(data)
                .map_err(read)?
                .category,
        },
        CATEGORY_RENAMED | CATEGORY_MERGED => {
            let moved = serde_json::from_value::<CategoryMovedEvent>(data).map_err(read)?;
            ProjectionChange::MoveCategory {
                user_id: event.user_id,
                from: moved.from,
                to: moved.to,
                merge: event.kind == CATEGORY_MERGED,
            }
        }
        _ => ProjectionChange::Nothing,
    })
}

/// Feeds events to the service.
pub struct Consumer(pub Arc<NotificationService>);

#[async_trait::async_trait]
impl EventHandler for Consumer {
    async fn handle(&self, event: &Event) -> Result<(), HandleError> {
        self.0
            .handle_event(event)
            .await
            .map_err(|error| HandleError(error.to_string()))
    }

    async fn handle_batch(&self, events: &[Event]) -> Result<(), HandleError> {
        self.0
            .handle_events(events)
            .await
            .map_err(|error| HandleError(error.to_string()))
    }
}

/// What one run of the monthly summary did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SummaryRun {
    /// `YYYY-MM`.
    pub month: String,
    /// E-mails sent by this run.
    pub mailed: usize,
    /// Subscribers whose summary went out before (an earlier or concurrent run).
    pub already_sent: usize,
    /// Users whose e-mail a crashed run may or may not have sent (the mailer cannot tell).
    pub unconfirmed: Vec<Uuid>,
    /// Users whose e-mail the mailer refused this time (retried by the next run).
    pub failed: Vec<Uuid>,
}

/// The month before the one `now` is in.
pub fn previous_month(now: OffsetDateTime) -> (i32, Month) {
    match now.month() {
        Month::January => (now.year() - 1, Month::December),
        month => (now.year(), month.previous()),
    }
}
