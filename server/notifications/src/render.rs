//! What a notification's e-mail says, rendered from the templates under
//! `server/notifications/templates/` (built into the binary) by minijinja. Every value put into an
//! `.html` template is escaped by the engine, so a category called `<b>Rent</b>` is text in every
//! message; nothing here escapes by hand. Amounts arrive as [`Money`], written with their own
//! currency's decimals.

use std::sync::LazyLock;

use expense_api::money::Money;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut templates = Environment::new();
    templates.add_filter("ljust", |text: String, width: usize| format!("{text:<width$}"));
    templates.add_filter("rjust", |text: String, width: usize| format!("{text:>width$}"));
    for (name, source) in [
        ("alert.txt", include_str!("../templates/alert.txt")),
        ("alert.html", include_str!("../templates/alert.html")),
        ("summary.txt", include_str!("../templates/summary.txt")),
        ("summary.html", include_str!("../templates/summary.html")),
    ] {
        templates
            .add_template(name, source)
            .unwrap_or_else(|error| panic!("template {name} does not parse: {error}"));
    }
    templates
});

/// An e-mail's two bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bodies {
    pub text: String,
    pub html: String,
}

fn render(name: &str, values: Value) -> String {
    // The templates are ours and checked by the tests below; a failure is a bug, not input.
    TEMPLATES
        .get_template(name)
        .and_then(|template| template.render(values))
        .unwrap_or_else(|error| panic!("template {name} failed to render: {error}"))
}

/// The e-mail of a budget alert: its in-app text, signed.
pub fn alert_mail(body: &str) -> Bodies {
    Bodies {
        text: render("alert.txt", context! { body }),
        html: render("alert.html", context! { body }),
    }
}

/// One category's line of a monthly summary.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryRow {
    pub category: String,
    pub amount: String,
    pub count: i64,
}

/// One budget's line of a monthly summary.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetLine {
    pub category: String,
    pub spent: String,
    pub amount: String,
}

/// What a monthly summary shows: spending per category, the total per currency, each budget.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub month: String,
    pub rows: Vec<SummaryRow>,
    pub totals: Vec<Money>,
    pub budgets: Vec<BudgetLine>,
}

impl Summary {
    pub fn bodies(&self) -> Bodies {
        let totals: Vec<String> = self.totals.iter().map(Money::to_string).collect();
        let values = context! {
            month => &self.month,
            rows => Value::from(Serde(&self.rows)),
            totals => totals,
            budgets => Value::from(Serde(&self.budgets)),
        };
        Bodies {
            text: render("summary.txt", values.clone()),
            html: render("summary.html", values),
        }
    }
}

#[cfg(test)]
mod tests {
    use expense_api::money::Currency;

    use super::*;

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, "EUR".parse::<Currency>().unwrap()).unwrap()
    }

    #[test]
    fn html_escapes_every_value_and_text_keeps_it() {
        let mail = alert_mail("You spent <b>all</b> & more on \"Rent\"");
        assert_eq!(
            mail.html,
            "<p>You spent &lt;b&gt;all&lt;&#x2f;b&gt; &amp; more on &quot;Rent&quot;</p><p>— Expense Tracker</p>"
        );
        assert_eq!(
            mail.text,
            "You spent <b>all</b> & more on \"Rent\"\n\n— Expense Tracker"
        );
    }

    #[test]
    fn a_summary_lines_up_its_amounts_and_escapes_categories() {
        let summary = Summary {
            month: "2026-11".to_owned(),
            rows: vec![
                SummaryRow {
                    category: "<script>".to_owned(),
                    amount: eur(1250).to_string(),
                    count: 2,
                },
                SummaryRow {
                    category: "food".to_owned(),
                    amount: eur(-300).to_string(),
                    count: 1,
                },
            ],
            totals: vec![eur(950)],
            budgets: vec![BudgetLine {
                category: "food".to_owned(),
                spent: eur(-300).to_string(),
                amount: eur(20000).to_string(),
            }],
        };
        let bodies = summary.bodies();
        assert_eq!(
            bodies.text,
            "Your spending in 2026-11\n\n  <script>                        12.50 EUR  (2 expenses)\n  food                            -3.00 EUR  (1 expenses)\n\nTotal:\n  9.50 EUR\n\nBudgets:\n  food: -3.00 EUR of 200.00 EUR\n"
        );
        assert!(bodies.html.contains("<td>&lt;script&gt;</td>"), "{}", bodies.html);
        assert!(!bodies.html.contains("<script>"));
        assert!(bodies.html.contains("<p><b>Total: 9.50 EUR</b></p>"));
        assert!(
            bodies
                .html
                .ends_with("<li>food: -3.00 EUR of 200.00 EUR</li></ul>"),
            "{}",
            bodies.html
        );
    }

    #[test]
    fn an_empty_month_says_so() {
        let bodies = Summary {
            month: "2026-02".to_owned(),
            ..Summary::default()
        }
        .bodies();
        assert_eq!(
            bodies.text,
            "Your spending in 2026-02\n\n  No expenses.\n\nTotal:\n"
        );
        assert!(!bodies.html.contains("Budgets"));
    }
}
