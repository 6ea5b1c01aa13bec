//! The smoke test's bookkeeping: each step's verdict and latency, one line per step on stderr as
//! it happens, and the JSON report CI keeps (`--json`). Knows nothing of HTTP.

use std::time::Duration;

use serde::Serialize;

/// One step's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepOutcome {
    pub name: String,
    pub ok: bool,
    /// Wall time of the step, in milliseconds.
    pub ms: u64,
    /// Why it failed; `null` when it passed.
    pub error: Option<String>,
}

/// The whole run, as printed by `--json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub base_url: String,
    /// Every step passed (and there was at least one).
    pub ok: bool,
    pub steps: Vec<StepOutcome>,
    pub total_ms: u64,
}

impl Report {
    pub fn new(base_url: &str) -> Self {
        Self {
            base_url: base_url.to_owned(),
            ok: false,
            steps: Vec::new(),
            total_ms: 0,
        }
    }

    /// Records a step's outcome and returns it (for its stderr line).
    pub fn record(&mut self, name: &str, elapsed: Duration, result: &anyhow::Result<()>) -> &StepOutcome {
        self.steps.push(StepOutcome {
            name: name.to_owned(),
            ok: result.is_ok(),
            ms: millis(elapsed),
            error: result.as_ref().err().map(|error| format!("{error:#}")),
        });
        self.ok = self.steps.iter().all(|step| step.ok);
        self.steps.last().expect("just pushed")
    }

    /// Whether a step has failed so far.
    pub fn has_failed(&self) -> bool {
        self.steps.iter().any(|step| !step.ok)
    }

    /// Closes the report with the run's wall time.
    pub fn finish(&mut self, elapsed: Duration) {
        self.total_ms = millis(elapsed);
        self.ok = !self.steps.is_empty() && !self.has_failed();
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report serialises")
    }

    /// The closing line: the verdict, the failed steps, the wall time.
    pub fn summary_line(&self) -> String {
        if self.ok {
            format!(
                "smoke test passed: {} steps in {} ms",
                self.steps.len(),
                self.total_ms
            )
        } else {
            let failed: Vec<&str> = self
                .steps
                .iter()
                .filter(|step| !step.ok)
                .map(|step| step.name.as_str())
                .collect();
            format!(
                "smoke test FAILED in {} ms: {}",
                self.total_ms,
                if failed.is_empty() {
                    "no step ran".to_owned()
                } else {
                    failed.join(", ")
                }
            )
        }
    }
}

impl StepOutcome {
    /// `✓ name ... 12 ms`, or `✗ name ... 12 ms: why`.
    pub fn line(&self) -> String {
        let mark = if self.ok { '✓' } else { '✗' };
        let mut line = format!("  {mark} {:<38} {:>6} ms", self.name, self.ms);
        if let Some(error) = &self.error {
            line.push_str(": ");
            line.push_str(error);
        }
        line
    }
}

fn millis(elapsed: Duration) -> u64 {
    u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_ok_only_when_every_step_passed() {
        let mut report = Report::new("http://127.0.0.1:8080");
        report.record("register", Duration::from_millis(12), &Ok(()));
        report.finish(Duration::from_millis(20));
        assert!(report.ok);
        assert_eq!(report.summary_line(), "smoke test passed: 1 steps in 20 ms");

        report.record("sign in", Duration::from_millis(3), &Err(anyhow::anyhow!("401")));
        report.record("sign out", Duration::from_millis(1), &Ok(()));
        report.finish(Duration::from_millis(30));
        assert!(!report.ok);
        assert!(report.has_failed());
        assert_eq!(report.summary_line(), "smoke test FAILED in 30 ms: sign in");
    }

    #[test]
    fn an_empty_report_is_not_ok() {
        let mut report = Report::new("http://x");
        report.finish(Duration::ZERO);
        assert!(!report.ok);
        assert_eq!(report.summary_line(), "smoke test FAILED in 0 ms: no step ran");
    }

    #[test]
    fn the_json_report_has_the_documented_shape() {
        let mut report = Report::new("https://api.example.com");
        report.record("register", Duration::from_micros(12_900), &Ok(()));
        let error = anyhow::anyhow!("403 Forbidden").context("storage refused the upload");
        report.record("upload receipt", Duration::from_millis(7), &Err(error));
        report.finish(Duration::from_millis(25));
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "base_url": "https://api.example.com",
                "ok": false,
                "steps": [
                    {"name": "register", "ok": true, "ms": 12, "error": null},
                    {"name": "upload receipt", "ok": false, "ms": 7,
                     "error": "storage refused the upload: 403 Forbidden"}
                ],
                "total_ms": 25
            })
        );
    }

    #[test]
    fn step_lines_carry_the_mark_the_latency_and_the_error() {
        let ok = StepOutcome {
            name: "sign in".to_owned(),
            ok: true,
            ms: 42,
            error: None,
        };
        assert!(ok.line().starts_with("  ✓ sign in "));
        assert!(ok.line().ends_with("    42 ms"));
        let failed = StepOutcome {
            ok: false,
            error: Some("boom".to_owned()),
            ..ok
        };
        assert!(failed.line().starts_with("  ✗ sign in "));
        assert!(failed.line().ends_with("    42 ms: boom"));
    }
}
