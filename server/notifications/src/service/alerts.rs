//! Budget alerts: after each change to a user's expenses or budgets, every budget's spending in
//! the period containing today is compared with the user's thresholds; crossing one fires one
//! alert per threshold and period (the highest, when several are crossed at once), and falling
//! back under a threshold re-arms it.

use expense_api::expenses::TOTAL_BUDGET;
use expense_api::money::format_minor;
use expense_api::notifications::NotificationKind;
use expense_api::periods::monthly_period;
use serde_json::json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::NotificationService;
use crate::error::NotifyError;
use crate::mail::Mail;
use crate::render;
use crate::repository::{BudgetCopy, NotificationRecord, SettingsRecord};

impl NotificationService {
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
                .spent(user_id, category, budget.amount.currency().code(), start, end)
                .await?;
            let percent = i64::try_from(i128::from(spent) * 100 / i128::from(budget.amount.minor().max(1)))
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
        let bodies = render::alert_mail(&notification.body);
        let mail = Mail {
            key: format!("alert-{}", notification.id),
            to: to.clone(),
            subject: notification.title.clone(),
            text: bodies.text,
            html: bodies.html,
        };
        if let Err(error) = self.mailer.send(&mail).await {
            tracing::warn!(%error, notification = %notification.id, "alert e-mail not sent; it stays in the app");
        }
    }
}

fn alert(
    budget: &BudgetCopy,
    threshold: u16,
    spent: i64,
    percent: i64,
    (start, end): (Date, Date),
    now: OffsetDateTime,
) -> NotificationRecord {
    let currency = budget.amount.currency();
    let money = |minor: i64| format!("{} {currency}", format_minor(minor, currency.exponent()));
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
            budget.amount
        ),
        data: json!({
            "budget": budget.category,
            "threshold": threshold,
            "percent_used": percent,
            "spent": format_minor(spent, currency.exponent()),
            "amount": budget.amount.amount(),
            "currency": currency.code(),
            "period_start": start.to_string(),
            "period_end": end.to_string(),
        }),
        created_at: now,
        read_at: None,
    }
}
