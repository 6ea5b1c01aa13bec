//! The verdicts of `cargo xtask chaos`: each scenario's raw answers, end results and rows judged
//! against the guarantees, a table per scenario on stderr and the whole report as JSON.
//!
//! The guarantees (docs/reliability.md):
//!
//! 1. every create the client saw acknowledged is in the database;
//! 2. no duplicates: no key made two rows, and a retried create was answered its one row's id;
//! 3. while the dependency is away the services answer 503 with `Retry-After`; no other 5xx, no
//!    4xx, no broken connection from a live process, no try left hanging past the timeout. The
//!    front door's 502 for a process that is not listening is counted apart (it is what the ALB
//!    answers; on EKS another replica would take the request), and so are the requests a SIGKILL
//!    cut, which no process can drain;
//! 4. every kind of request the fault affects succeeds again within 5 s of the dependency's
//!    return;
//! 5. (SIGTERM) every request in flight at the signal gets a complete answer, and the process
//!    exits 0 within `SHUTDOWN_GRACE_SECS`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::load::{AnswerClass, Attempt, Operation, RequestKind};
use super::scenario::{Fault, LoadShape, Outcome, SHUTDOWN_GRACE_SECS, Timeline};
use super::verify::DatabaseFigures;

/// The longest a kind of request may take to succeed again after the dependency is back.
pub const RECOVERY_LIMIT_MS: f64 = 5000.0;

/// Findings kept in the report (all are counted).
const FINDINGS_KEPT: usize = 20;

/// The whole run.
#[derive(Debug, Serialize)]
pub struct Report {
    pub machine: Machine,
    pub load: LoadShape,
    pub scenarios: Vec<ScenarioReport>,
    pub ok: bool,
    pub total_ms: u128,
}

/// Where the figures were measured.
#[derive(Debug, Serialize)]
pub struct Machine {
    pub cpus: usize,
    /// `/proc/loadavg` when the run started.
    pub load_average: String,
}

impl Machine {
    pub fn here() -> Self {
        Self {
            cpus: std::thread::available_parallelism().map_or(0, usize::from),
            load_average: std::fs::read_to_string("/proc/loadavg")
                .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
                .unwrap_or_default(),
        }
    }
}

/// One scenario, judged.
#[derive(Debug, Serialize)]
pub struct ScenarioReport {
    pub name: &'static str,
    pub title: &'static str,
    pub timeline: Timeline,
    /// The four kinds of the load, then the prober.
    pub kinds: Vec<KindFigures>,
    /// The tries the fault caught mid-way (sent to what the fault hit, in flight at the fault).
    pub in_flight_at_fault: BTreeMap<AnswerClass, usize>,
    pub database: DatabaseFigures,
    pub guarantees: Vec<Guarantee>,
    /// The first findings (raw answers that break guarantee 3 or 5).
    pub findings: Vec<Attempt>,
    pub findings_total: usize,
    pub ok: bool,
}

/// The figures of one kind of request.
#[derive(Debug, Serialize)]
pub struct KindFigures {
    pub kind: RequestKind,
    /// End results: requests, those that succeeded in the end, those that failed in the end.
    pub ops: usize,
    pub ok: usize,
    pub failed: usize,
    /// Requests that needed more than one try.
    pub retried: usize,
    /// Raw answers (tries), by class.
    pub tries: usize,
    pub raw: BTreeMap<AnswerClass, usize>,
    /// The failed end results, by the class of their last try.
    pub failed_by: BTreeMap<AnswerClass, usize>,
    /// The longest request, retries included, and the longest single try.
    pub max_request_ms: f64,
    pub max_try_ms: f64,
    /// From the dependency's return to the first success of this kind (`None`: none after it).
    pub ok_after_back_ms: Option<f64>,
    /// Whether the fault affects this kind (guarantee 4 applies).
    pub affected: bool,
}

/// One guarantee's verdict.
#[derive(Debug, Serialize)]
pub struct Guarantee {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// Which role serves a kind behind the front door.
fn role_of(kind: RequestKind, fault: Fault) -> &'static str {
    match kind {
        RequestKind::CreateReceipt => "receipts",
        RequestKind::Probe if fault == Fault::Receipts => "receipts",
        _ => "expenses",
    }
}

/// Whether a try went to what the fault hits.
fn hit_by(fault: Fault, kind: RequestKind) -> bool {
    match fault {
        Fault::Postgres => true,
        Fault::Receipts => role_of(kind, fault) == "receipts",
        Fault::Expenses => role_of(kind, fault) == "expenses",
    }
}

/// The kinds whose recovery is measured: every kind that needs what the fault takes away
/// (receipt creates ask the expenses service whether the expense is the caller's).
fn affected(fault: Fault, kind: RequestKind) -> bool {
    match fault {
        Fault::Postgres | Fault::Expenses => true,
        Fault::Receipts => matches!(kind, RequestKind::CreateReceipt | RequestKind::Probe),
    }
}

fn in_flight(attempt: &Attempt, at_ms: f64) -> bool {
    attempt.started_ms <= at_ms && attempt.ended_ms >= at_ms
}

/// Whether a raw answer breaks guarantee 3, unless it is a request a SIGKILL cut.
fn is_finding(fault: Fault, timeline: &Timeline, attempt: &Attempt) -> bool {
    match attempt.class {
        AnswerClass::Success | AnswerClass::Unavailable | AnswerClass::AlbRefused => false,
        AnswerClass::AlbBroken | AnswerClass::Reset => !cut_by_kill(fault, timeline, attempt),
        AnswerClass::UnavailableWithoutRetryAfter
        | AnswerClass::ServerError
        | AnswerClass::ClientError
        | AnswerClass::Timeout => true,
    }
}

/// A try to the killed process that it had taken before it died.
fn cut_by_kill(fault: Fault, timeline: &Timeline, attempt: &Attempt) -> bool {
    let died_ms = timeline.down_ms.unwrap_or(timeline.fault_ms);
    fault == Fault::Receipts
        && hit_by(fault, attempt.kind)
        && matches!(attempt.class, AnswerClass::AlbBroken | AnswerClass::Reset)
        && attempt.started_ms <= died_ms
        && attempt.ended_ms >= timeline.fault_ms
}

fn kind_figures(
    fault: Fault,
    kind: RequestKind,
    attempts: &[Attempt],
    ops: &[Operation],
    back_ms: Option<f64>,
) -> KindFigures {
    let tries: Vec<&Attempt> = attempts.iter().filter(|a| a.kind == kind).collect();
    let ops: Vec<&Operation> = ops.iter().filter(|op| op.kind == kind).collect();
    let mut raw = BTreeMap::new();
    for attempt in &tries {
        *raw.entry(attempt.class).or_insert(0) += 1;
    }
    let mut failed_by = BTreeMap::new();
    for op in ops.iter().filter(|op| !op.ok()) {
        *failed_by.entry(op.class).or_insert(0) += 1;
    }
    let ok_after_back_ms = back_ms.and_then(|back| {
        tries
            .iter()
            .filter(|a| a.class == AnswerClass::Success && a.ended_ms >= back)
            .map(|a| a.ended_ms - back)
            .min_by(f64::total_cmp)
    });
    let ok = ops.iter().filter(|op| op.ok()).count();
    KindFigures {
        kind,
        ops: ops.len(),
        ok,
        failed: ops.len() - ok,
        retried: ops.iter().filter(|op| op.attempts > 1).count(),
        tries: tries.len(),
        raw,
        failed_by,
        max_request_ms: ops
            .iter()
            .map(|op| op.ended_ms - op.started_ms)
            .fold(0.0, f64::max),
        max_try_ms: tries
            .iter()
            .map(|a| a.ended_ms - a.started_ms)
            .fold(0.0, f64::max),
        ok_after_back_ms,
        affected: affected(fault, kind),
    }
}

/// Judges one scenario.
pub fn judge(fault: Fault, outcome: Outcome) -> ScenarioReport {
    let Outcome {
        timeline,
        attempts,
        ops,
        probes,
        database,
    } = outcome;
    let every_try: Vec<Attempt> = attempts.iter().chain(&probes).cloned().collect();
    let mut kinds: Vec<KindFigures> = RequestKind::LOAD
        .iter()
        .map(|kind| kind_figures(fault, *kind, &attempts, &ops, timeline.back_ms))
        .collect();
    let probe_ops: Vec<Operation> = Vec::new();
    let mut probe = kind_figures(fault, RequestKind::Probe, &probes, &probe_ops, timeline.back_ms);
    probe.ops = probe.tries;
    probe.ok = probe.raw.get(&AnswerClass::Success).copied().unwrap_or(0);
    probe.failed = probe.tries - probe.ok;
    kinds.push(probe);

    let mut in_flight_at_fault = BTreeMap::new();
    for attempt in every_try
        .iter()
        .filter(|a| hit_by(fault, a.kind) && in_flight(a, timeline.fault_ms))
    {
        *in_flight_at_fault.entry(attempt.class).or_insert(0) += 1;
    }
    let findings: Vec<Attempt> = every_try
        .iter()
        .filter(|a| is_finding(fault, &timeline, a))
        .cloned()
        .collect();
    let count = |class| every_try.iter().filter(|a| a.class == class).count();
    let cut_by_kill = every_try
        .iter()
        .filter(|a| cut_by_kill(fault, &timeline, a))
        .count();

    let mut guarantees = vec![
        Guarantee {
            name: "every acknowledged create is in the database",
            ok: database.persisted(),
            detail: format!(
                "{} of {} acknowledged expenses and {} of {} acknowledged receipts found in Postgres{}",
                database.expenses_found,
                database.expenses_acknowledged,
                database.receipts_found,
                database.receipts_acknowledged,
                missing(&database)
            ),
        },
        Guarantee {
            name: "no duplicates from retried creates",
            ok: database.no_duplicates(),
            detail: format!(
                "{} rows for {} keys; {} keys with more than one row; {} of {} retried creates answered another id",
                database.expense_rows,
                database.expense_keys,
                database.duplicate_keys.len(),
                database.answered_another_id.len(),
                database.retried_acknowledged
            ),
        },
        Guarantee {
            name: "errors are 503 with Retry-After, nothing else",
            ok: findings.is_empty(),
            detail: format!(
                "{} × 503 with Retry-After; apart: {} × ALB 502 (process not listening), {} cut by SIGKILL; \
                 findings: {} (503 without Retry-After {}, other 5xx {}, 4xx {}, broken {}, hangs {})",
                count(AnswerClass::Unavailable),
                count(AnswerClass::AlbRefused),
                cut_by_kill,
                findings.len(),
                count(AnswerClass::UnavailableWithoutRetryAfter),
                count(AnswerClass::ServerError),
                count(AnswerClass::ClientError),
                findings
                    .iter()
                    .filter(|a| matches!(a.class, AnswerClass::AlbBroken | AnswerClass::Reset))
                    .count(),
                count(AnswerClass::Timeout),
            ),
        },
        recovery(fault, &kinds),
    ];
    if fault == Fault::Expenses {
        guarantees.push(drain(&timeline, &every_try));
    }
    let ok = guarantees.iter().all(|g| g.ok);
    ScenarioReport {
        name: fault.name(),
        title: fault.title(),
        timeline,
        kinds,
        in_flight_at_fault,
        database,
        guarantees,
        findings_total: findings.len(),
        findings: findings.into_iter().take(FINDINGS_KEPT).collect(),
        ok,
    }
}

fn missing(database: &DatabaseFigures) -> String {
    let ids: Vec<String> = database
        .expenses_missing
        .iter()
        .chain(&database.receipts_missing)
        .take(5)
        .map(ToString::to_string)
        .collect();
    if ids.is_empty() {
        String::new()
    } else {
        format!("; missing: {}", ids.join(", "))
    }
}

fn recovery(fault: Fault, kinds: &[KindFigures]) -> Guarantee {
    let mut parts = Vec::new();
    let mut ok = true;
    for figures in kinds.iter().filter(|f| f.affected) {
        match figures.ok_after_back_ms {
            Some(ms) => {
                ok &= ms <= RECOVERY_LIMIT_MS;
                parts.push(format!("{} {:.0} ms", figures.kind.label(), ms));
            }
            None => {
                ok = false;
                parts.push(format!("{} never", figures.kind.label()));
            }
        }
    }
    Guarantee {
        name: "recovers by itself within 5 s",
        ok,
        detail: format!("first success after {}: {}", fault.back_means(), parts.join(", ")),
    }
}

fn drain(timeline: &Timeline, every_try: &[Attempt]) -> Guarantee {
    let in_flight: Vec<&Attempt> = every_try
        .iter()
        .filter(|a| hit_by(Fault::Expenses, a.kind) && in_flight(a, timeline.fault_ms))
        .collect();
    let cut = in_flight
        .iter()
        .filter(|a| {
            matches!(
                a.class,
                AnswerClass::AlbBroken | AnswerClass::Reset | AnswerClass::Timeout
            )
        })
        .count();
    let refused = in_flight
        .iter()
        .filter(|a| a.class == AnswerClass::AlbRefused)
        .count();
    let (exit_ok, exit) = match &timeline.exit {
        Some(exit) => (
            exit.code == Some(0) && exit.after_ms <= (SHUTDOWN_GRACE_SECS * 1000) as f64,
            format!("{} {:.0} ms after SIGTERM", exit.status, exit.after_ms),
        ),
        None => (false, "no exit seen".to_owned()),
    };
    Guarantee {
        name: "SIGTERM drains in-flight requests, exits 0 within the grace period",
        ok: cut == 0 && exit_ok,
        detail: format!(
            "{} tries in flight at SIGTERM: {} answered by the process, {} not yet connected (ALB 502), {} cut; \
             {exit} (grace {SHUTDOWN_GRACE_SECS} s)",
            in_flight.len(),
            in_flight.len() - cut - refused,
            refused,
            cut
        ),
    }
}

/// The scenario as a table, for stderr.
pub fn table(report: &ScenarioReport) -> String {
    let mut out = format!("\n{}  [{}]\n", report.title, report.name);
    for (at, event) in &report.timeline.events {
        out.push_str(&format!("  {:>8.3} s  {event}\n", at / 1000.0));
    }
    out.push_str(&format!(
        "\n  {:<15} {:>5} {:>5} {:>5} {:>7} {:>6} │ {:>5} {:>6} {:>7} {:>4} {:>5} {:>4} {:>5} {:>4} │ {:>7} {:>7} {:>9}\n",
        "kind",
        "reqs",
        "ok",
        "fail",
        "retried",
        "tries",
        "2xx",
        "503+RA",
        "ALB 502",
        "cut",
        "5xx",
        "4xx",
        "reset",
        "hang",
        "max req",
        "max try",
        "ok after"
    ));
    for figures in &report.kinds {
        let raw = |class| figures.raw.get(&class).copied().unwrap_or(0);
        let after = match (figures.ok_after_back_ms, figures.affected) {
            (Some(ms), true) => format!("{ms:.0} ms"),
            (None, true) => "never".to_owned(),
            (_, false) => "-".to_owned(),
        };
        out.push_str(&format!(
            "  {:<15} {:>5} {:>5} {:>5} {:>7} {:>6} │ {:>5} {:>6} {:>7} {:>4} {:>5} {:>4} {:>5} {:>4} │ {:>5.0}ms {:>5.0}ms {:>9}\n",
            figures.kind.label(),
            figures.ops,
            figures.ok,
            figures.failed,
            figures.retried,
            figures.tries,
            raw(AnswerClass::Success),
            raw(AnswerClass::Unavailable),
            raw(AnswerClass::AlbRefused),
            raw(AnswerClass::AlbBroken),
            raw(AnswerClass::ServerError) + raw(AnswerClass::UnavailableWithoutRetryAfter),
            raw(AnswerClass::ClientError),
            raw(AnswerClass::Reset),
            raw(AnswerClass::Timeout),
            figures.max_request_ms,
            figures.max_try_ms,
            after
        ));
    }
    for figures in report
        .kinds
        .iter()
        .filter(|f| f.kind != RequestKind::Probe && f.failed > 0)
    {
        let by: Vec<String> = figures
            .failed_by
            .iter()
            .map(|(class, n)| format!("{n} × {}", class_label(*class)))
            .collect();
        out.push_str(&format!(
            "  {} failed in the end (what the CLI would have reported): {}\n",
            figures.kind.label(),
            by.join(", ")
        ));
    }
    let flight: Vec<String> = report
        .in_flight_at_fault
        .iter()
        .map(|(class, n)| format!("{n} × {}", class_label(*class)))
        .collect();
    out.push_str(&format!(
        "  in flight at the fault: {}\n",
        if flight.is_empty() {
            "none".to_owned()
        } else {
            flight.join(", ")
        }
    ));
    let db = &report.database;
    out.push_str(&format!(
        "  database: {} expense rows from the load ({} recorded though the client saw the create fail), \
         {} receipt rows; outbox {} events, {} not yet published\n",
        db.expense_rows, db.recorded_though_failed, db.receipt_rows, db.outbox_events, db.outbox_unpublished
    ));
    for guarantee in &report.guarantees {
        let mark = if guarantee.ok { "✓" } else { "✗" };
        out.push_str(&format!("  {mark} {}: {}\n", guarantee.name, guarantee.detail));
    }
    for finding in &report.findings {
        out.push_str(&format!(
            "    finding at {:.3} s, {} try {} ({:.0} ms): {} {}\n",
            finding.started_ms / 1000.0,
            finding.kind.label(),
            finding.attempt,
            finding.ended_ms - finding.started_ms,
            finding
                .status
                .map_or_else(|| class_label(finding.class).to_owned(), |s| s.to_string()),
            finding.detail
        ));
    }
    if report.findings_total > report.findings.len() {
        out.push_str(&format!(
            "    … and {} more findings (all in the JSON report's counts)\n",
            report.findings_total - report.findings.len()
        ));
    }
    out
}

pub fn class_label(class: AnswerClass) -> &'static str {
    match class {
        AnswerClass::Success => "2xx",
        AnswerClass::Unavailable => "503 with Retry-After",
        AnswerClass::UnavailableWithoutRetryAfter => "503 without Retry-After",
        AnswerClass::AlbRefused => "ALB 502 (process not listening)",
        AnswerClass::AlbBroken => "ALB 502 (connection broke)",
        AnswerClass::ServerError => "other 5xx",
        AnswerClass::ClientError => "4xx",
        AnswerClass::Reset => "broken connection",
        AnswerClass::Timeout => "hang (timeout)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chaos::scenario::Exit;

    fn attempt(kind: RequestKind, class: AnswerClass, started_ms: f64, ended_ms: f64) -> Attempt {
        Attempt {
            kind,
            op: 1,
            attempt: 1,
            started_ms,
            ended_ms,
            status: None,
            retry_after: None,
            class,
            detail: String::new(),
        }
    }

    fn timeline(fault_ms: f64, down_ms: f64, back_ms: f64) -> Timeline {
        Timeline {
            fault_ms,
            down_ms: Some(down_ms),
            back_ms: Some(back_ms),
            exit: Some(Exit {
                signal: "SIGTERM".to_owned(),
                status: "exit status: 0".to_owned(),
                code: Some(0),
                after_ms: 40.0,
            }),
            events: Vec::new(),
        }
    }

    /// The load's tries, and a prober that succeeded once, long after any return.
    fn outcome(attempts: Vec<Attempt>, timeline: Timeline) -> Outcome {
        Outcome {
            timeline,
            attempts,
            ops: Vec::new(),
            probes: vec![attempt(RequestKind::Probe, AnswerClass::Success, 2050.0, 2060.0)],
            database: DatabaseFigures::default(),
        }
    }

    fn guarantee<'a>(report: &'a ScenarioReport, name: &str) -> &'a Guarantee {
        report
            .guarantees
            .iter()
            .find(|g| g.name.starts_with(name))
            .unwrap()
    }

    #[test]
    fn a_sigkill_may_cut_what_the_killed_process_had_taken_and_nothing_else() {
        let attempts = vec![
            attempt(RequestKind::CreateReceipt, AnswerClass::AlbBroken, 990.0, 1001.0),
            attempt(
                RequestKind::CreateReceipt,
                AnswerClass::AlbRefused,
                1010.0,
                1011.0,
            ),
            attempt(RequestKind::CreateReceipt, AnswerClass::Success, 2500.0, 2510.0),
            attempt(RequestKind::ListExpenses, AnswerClass::Reset, 995.0, 1005.0),
        ];
        let report = judge(
            Fault::Receipts,
            outcome(attempts, timeline(1000.0, 1002.0, 2000.0)),
        );
        assert_eq!(
            report.findings_total, 1,
            "the expenses read was not the killed process's"
        );
        assert_eq!(report.findings[0].kind, RequestKind::ListExpenses);
        assert!(guarantee(&report, "recovers").ok);
        assert!(!report.ok);
    }

    #[test]
    fn recovery_is_measured_from_the_return_and_limited_to_five_seconds() {
        let mut attempts: Vec<Attempt> = RequestKind::LOAD
            .iter()
            .map(|kind| attempt(*kind, AnswerClass::Success, 2000.0, 2100.0))
            .collect();
        attempts.push(attempt(
            RequestKind::CreateExpense,
            AnswerClass::Unavailable,
            1500.0,
            1600.0,
        ));
        let report = judge(
            Fault::Postgres,
            outcome(attempts.clone(), timeline(1000.0, 1100.0, 2000.0)),
        );
        assert!(guarantee(&report, "recovers").ok, "{report:#?}");
        assert!(guarantee(&report, "errors are 503").ok);
        let late = judge(
            Fault::Postgres,
            outcome(attempts, timeline(1000.0, 1100.0, -4000.0)),
        );
        assert!(!guarantee(&late, "recovers").ok);
    }

    #[test]
    fn a_request_cut_at_sigterm_breaks_the_drain_and_a_refused_one_does_not() {
        let refused = vec![
            attempt(RequestKind::GetExpense, AnswerClass::Success, 900.0, 1100.0),
            attempt(RequestKind::GetExpense, AnswerClass::AlbRefused, 999.0, 1001.0),
            attempt(RequestKind::GetExpense, AnswerClass::Success, 3000.0, 3001.0),
            attempt(RequestKind::ListExpenses, AnswerClass::Success, 3000.0, 3001.0),
            attempt(RequestKind::CreateExpense, AnswerClass::Success, 3000.0, 3001.0),
            attempt(RequestKind::CreateReceipt, AnswerClass::Success, 3000.0, 3001.0),
        ];
        let report = judge(
            Fault::Expenses,
            outcome(refused.clone(), timeline(1000.0, 1040.0, 2000.0)),
        );
        assert!(guarantee(&report, "SIGTERM").ok, "{report:#?}");
        assert!(report.ok);
        let mut cut = refused;
        cut.push(attempt(
            RequestKind::ListExpenses,
            AnswerClass::AlbBroken,
            990.0,
            1010.0,
        ));
        let report = judge(Fault::Expenses, outcome(cut, timeline(1000.0, 1040.0, 2000.0)));
        assert!(!guarantee(&report, "SIGTERM").ok);
        assert!(table(&report).contains("✗ SIGTERM"));
    }
}
