//! The monthly summary: once per user and month, recorded before it is mailed, so that a second
//! or concurrent run sends nothing twice.

use expense_api::expenses::TOTAL_BUDGET;
use expense_api::money::Money;
use expense_api::notifications::NotificationKind;
use serde_json::json;
use time::{Date, Month, OffsetDateTime};
use uuid::Uuid;

use super::NotificationService;
use crate::error::NotifyError;
use crate::mail::Mail;
use crate::render::{BudgetLine, Summary, SummaryRow};
use crate::repository::NotificationRecord;

impl NotificationService {
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
        let mut summary = Summary {
            month: label.to_owned(),
            ..Summary::default()
        };
        for total in &totals {
            summary.rows.push(SummaryRow {
                category: total.category.clone(),
                amount: total.total.to_string(),
                count: total.count,
            });
            let sum = match summary
                .totals
                .iter_mut()
                .find(|sum| sum.currency() == total.total.currency())
            {
                Some(sum) => sum,
                None => {
                    summary
                        .totals
                        .push(Money::from_minor(0, total.total.currency()).map_err(too_large)?);
                    summary.totals.last_mut().expect("just pushed")
                }
            };
            *sum = Money::from_minor(sum.minor() + total.total.minor(), sum.currency()).map_err(too_large)?;
        }
        for budget in &budgets {
            let currency = budget.amount.currency();
            let spent: i64 = totals
                .iter()
                .filter(|t| {
                    t.total.currency() == currency
                        && (budget.category == TOTAL_BUDGET || t.category == budget.category)
                })
                .map(|t| t.total.minor())
                .sum();
            summary.budgets.push(BudgetLine {
                category: budget.category.clone(),
                spent: Money::from_minor(spent, currency).map_err(too_large)?.to_string(),
                amount: budget.amount.to_string(),
            });
        }
        let bodies = summary.bodies();
        Ok(NotificationRecord {
            id: Uuid::now_v7(),
            user_id,
            kind: NotificationKind::MonthlySummary,
            title: format!("Your spending in {label}"),
            body: bodies.text,
            data: json!({ "month": label, "html": bodies.html, "totals": totals.iter().map(|t| json!({
                "category": t.category, "currency": t.total.currency().code(), "amount": t.total.to_string(), "count": t.count,
            })).collect::<Vec<_>>() }),
            created_at: self.clock.now(),
            read_at: None,
        })
    }
}

/// A month's sum beyond what an amount may hold (ten billion euros) cannot be shown exactly.
fn too_large(reason: String) -> NotifyError {
    NotifyError::Unavailable(format!("a monthly total {reason}"))
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
