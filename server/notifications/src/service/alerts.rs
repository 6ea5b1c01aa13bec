//! Budget alerts: after each change to a user's expenses or budgets, every budget's spending in
//! the period containing today is compared with the user's thresholds; crossing one fires one
//! alert per threshold and period (the highest, when several are crossed at once), and falling
//! back under a threshold re-arms it. A budget in a home currency (`convert`) counts expenses in
//! other currencies too, converted with the copy of the user's rates.

use expense_api::conversion::{ExactSum, RateBook, format_exact};
use expense_api::expenses::TOTAL_BUDGET;
use expense_api::notifications::NotificationKind;
use expense_api::periods::monthly_period;
use num_bigint::BigInt;
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
            let spent = if budget.convert {
                self.converted_spending(&budget, category, (start, end)).await?
            } else {
                BigInt::from(
                    self.store
                        .spent(user_id, category, budget.amount.currency().code(), start, end)
                        .await?,
                )
            };
            let percent =
                i64::try_from(&spent * 100 / BigInt::from(budget.amount.minor().max(1))).unwrap_or(i64::MAX);
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

    /// A converting budget's spending in the period: every expense of the category (or all),
    /// converted into the budget's currency with the user's rates as the expenses service does
    /// (`expense_api::conversion`). An expense no rate converts is not counted; the budget list
    /// names it, and a rate recorded later counts it at the next evaluation.
    async fn converted_spending(
        &self,
        budget: &BudgetCopy,
        category: Option<&str>,
        (start, end): (Date, Date),
    ) -> Result<BigInt, NotifyError> {
        let target = budget.amount.currency();
        let days = self
            .store
            .spent_by_day(budget.user_id, category, start, end)
            .await?;
        let book = if days.iter().any(|day| day.total.currency() != target) {
            RateBook::new(self.store.rates_for_period(budget.user_id, start, end).await?)
        } else {
            RateBook::default()
        };
        let mut sum = ExactSum::default();
        let mut unconverted = 0;
        for day in &days {
            let currency = day.total.currency();
            let path = if currency == target {
                None
            } else {
                match book.path(currency, target, day.spent_on) {
                    Some(path) => Some(path),
                    None => {
                        unconverted += day.count;
                        continue;
                    }
                }
            };
            sum.add(
                day.total.minor(),
                currency.exponent(),
                path.as_ref(),
                target.exponent(),
            );
        }
        if unconverted > 0 {
            tracing::info!(user_id = %budget.user_id, budget = %budget.category, unconverted, "expenses without a rate are not counted in a converting budget");
        }
        Ok(sum.rounded())
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
    spent: BigInt,
    percent: i64,
    (start, end): (Date, Date),
    now: OffsetDateTime,
) -> NotificationRecord {
    let currency = budget.amount.currency();
    let spent = format_exact(&spent, currency.exponent());
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
            "You have spent {spent} {currency} of your {} {name} budget for {start} to {end} ({percent} %).",
            budget.amount
        ),
        data: json!({
            "budget": budget.category,
            "threshold": threshold,
            "percent_used": percent,
            "spent": spent,
            "amount": budget.amount.amount(),
            "currency": currency.code(),
            "period_start": start.to_string(),
            "period_end": end.to_string(),
        }),
        created_at: now,
        read_at: None,
    }
}
