//! What the smoke test does, step by step, against one base URL: a throwaway account, an
//! expense, a receipt through presigned storage URLs, the summary, and the event that removes a
//! deleted expense's receipts; then everything it made is deleted again.
//!
//! The checks run in order and stop at the first failure, since each needs the ones before it.
//! The clean-up runs after them whatever happened, from what is still known to exist (a receipt
//! deleted by a check is no longer there to clean). The API has no way for users to delete their
//! own account, so the throwaway account stays, signed out (docs/operations.md, "Smoke test").

use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use expense_api::auth::{LoginRequest, RefreshRequest, RegisterRequest, TokenResponse, User};
use expense_api::expenses::{DecimalString, Expense, NewExpense, Summary};
use expense_api::page::Page;
use expense_api::receipts::{CreatedReceipt, NewReceipt, ReceiptDetails, ReceiptStatus};
use reqwest::{Method, StatusCode};
use uuid::Uuid;

use super::api::{Api, describe};
use super::report::Report;

/// The expense the smoke test records.
const AMOUNT: &str = "12.34";
const CURRENCY: &str = "EUR";
const CATEGORY: &str = "smoke-test";

/// The receipt it uploads: a 1×1 PNG.
const RECEIPT_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05,
    0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
    0x60, 0x82,
];
const RECEIPT_CONTENT_TYPE: &str = "image/png";

/// How long the receipts service may take to act on `expense.deleted`.
const EVENT_DEADLINE: Duration = Duration::from_secs(30);

/// The checks, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Register,
    SignIn,
    AddExpense,
    ListExpenses,
    CreateReceipt,
    UploadReceipt,
    CompleteReceipt,
    DownloadReceipt,
    ReadSummary,
    DeleteReceipt,
    StartPendingReceipt,
    DeleteExpense,
    ReceiptsFollowDeletedExpense,
}

pub const CHECKS: [Check; 13] = [
    Check::Register,
    Check::SignIn,
    Check::AddExpense,
    Check::ListExpenses,
    Check::CreateReceipt,
    Check::UploadReceipt,
    Check::CompleteReceipt,
    Check::DownloadReceipt,
    Check::ReadSummary,
    Check::DeleteReceipt,
    Check::StartPendingReceipt,
    Check::DeleteExpense,
    Check::ReceiptsFollowDeletedExpense,
];

impl Check {
    pub fn name(self) -> &'static str {
        match self {
            Check::Register => "register a throwaway user",
            Check::SignIn => "sign in",
            Check::AddExpense => "add an expense",
            Check::ListExpenses => "list expenses (and find it)",
            Check::CreateReceipt => "create a receipt",
            Check::UploadReceipt => "upload it (presigned PUT)",
            Check::CompleteReceipt => "complete the upload",
            Check::DownloadReceipt => "download it (presigned GET, SHA-256)",
            Check::ReadSummary => "read the summary",
            Check::DeleteReceipt => "delete the receipt",
            Check::StartPendingReceipt => "start a second receipt (pending)",
            Check::DeleteExpense => "delete the expense",
            Check::ReceiptsFollowDeletedExpense => "receipts drop it (expense.deleted)",
        }
    }
}

/// What the run made that still exists, to clean up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Made {
    pub refresh_token: Option<String>,
    pub expense: Option<Uuid>,
    pub receipts: Vec<Uuid>,
}

/// One clean-up step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cleanup {
    DeleteReceipt(Uuid),
    DeleteExpense(Uuid),
    SignOut,
}

impl Cleanup {
    pub fn name(&self) -> String {
        match self {
            Cleanup::DeleteReceipt(id) => format!("clean up: delete receipt {id}"),
            Cleanup::DeleteExpense(id) => format!("clean up: delete expense {id}"),
            Cleanup::SignOut => "sign out".to_owned(),
        }
    }
}

/// The clean-up of what is left: receipts, then the expense, then the session.
pub fn cleanup_plan(made: &Made) -> Vec<Cleanup> {
    let mut plan: Vec<Cleanup> = made
        .receipts
        .iter()
        .copied()
        .map(Cleanup::DeleteReceipt)
        .collect();
    plan.extend(made.expense.map(Cleanup::DeleteExpense));
    if made.refresh_token.is_some() {
        plan.push(Cleanup::SignOut);
    }
    plan
}

/// A run in progress.
pub struct Scenario {
    api: Api,
    report: Report,
    email: String,
    password: String,
    today: String,
    made: Made,
    /// The receipt that goes the whole way: created, uploaded, downloaded.
    receipt: Option<CreatedReceipt>,
}

/// Runs the smoke test against `base_url`, printing a line per step on stderr.
pub async fn run(base_url: &str) -> Report {
    let started = Instant::now();
    let mut scenario = match Scenario::new(base_url) {
        Ok(scenario) => scenario,
        Err(error) => {
            let mut report = Report::new(base_url);
            eprintln!(
                "{}",
                report.record("start", started.elapsed(), &Err(error)).line()
            );
            report.finish(started.elapsed());
            return report;
        }
    };
    for check in CHECKS {
        let step_started = Instant::now();
        let result = scenario.check(check).await;
        eprintln!(
            "{}",
            scenario
                .report
                .record(check.name(), step_started.elapsed(), &result)
                .line()
        );
        if result.is_err() {
            break;
        }
    }
    for cleanup in cleanup_plan(&scenario.made) {
        let step_started = Instant::now();
        let result = scenario.clean(&cleanup).await;
        eprintln!(
            "{}",
            scenario
                .report
                .record(&cleanup.name(), step_started.elapsed(), &result)
                .line()
        );
    }
    scenario.report.finish(started.elapsed());
    scenario.report
}

impl Scenario {
    fn new(base_url: &str) -> anyhow::Result<Self> {
        let mut secret = [0u8; 18];
        aws_lc_rs::rand::fill(&mut secret).map_err(|_| anyhow::anyhow!("no randomness"))?;
        Ok(Self {
            api: Api::new(base_url)?,
            report: Report::new(base_url),
            email: format!("smoke-{}@smoke.expense.invalid", Uuid::now_v7().simple()),
            password: format!("smoke-{}", hex(&secret)),
            today: time::OffsetDateTime::now_utc().date().to_string(),
            made: Made::default(),
            receipt: None,
        })
    }

    async fn check(&mut self, check: Check) -> anyhow::Result<()> {
        match check {
            Check::Register => self.register().await,
            Check::SignIn => self.sign_in().await,
            Check::AddExpense => self.add_expense().await,
            Check::ListExpenses => self.list_expenses().await,
            Check::CreateReceipt => self.create_receipt().await,
            Check::UploadReceipt => self.upload_receipt().await,
            Check::CompleteReceipt => self.complete_receipt().await,
            Check::DownloadReceipt => self.download_receipt().await,
            Check::ReadSummary => self.read_summary().await,
            Check::DeleteReceipt => {
                let id = self.receipt()?.receipt.id;
                self.delete_receipt(id).await
            }
            Check::StartPendingReceipt => self.start_receipt().await.map(|_| ()),
            Check::DeleteExpense => self.delete_expense().await,
            Check::ReceiptsFollowDeletedExpense => self.receipts_follow_deleted_expense().await,
        }
    }

    async fn clean(&mut self, cleanup: &Cleanup) -> anyhow::Result<()> {
        match cleanup {
            Cleanup::DeleteReceipt(id) => self.delete_receipt(*id).await,
            Cleanup::DeleteExpense(_) => self.delete_expense().await,
            Cleanup::SignOut => self.sign_out().await,
        }
    }

    async fn register(&mut self) -> anyhow::Result<()> {
        let body = RegisterRequest {
            email: self.email.clone(),
            password: self.password.clone(),
        };
        let user: User = self
            .api
            .json(
                "POST /v1/auth/register",
                self.api.post("/v1/auth/register", &body),
                StatusCode::CREATED,
            )
            .await?;
        ensure!(
            user.email == self.email,
            "registered as {}, not {}",
            user.email,
            self.email
        );
        Ok(())
    }

    async fn sign_in(&mut self) -> anyhow::Result<()> {
        let body = LoginRequest {
            email: self.email.clone(),
            password: self.password.clone(),
        };
        let session: TokenResponse = self
            .api
            .json(
                "POST /v1/auth/login",
                self.api.post("/v1/auth/login", &body),
                StatusCode::OK,
            )
            .await?;
        self.made.refresh_token = Some(session.refresh_token);
        self.api.access_token = Some(session.access_token);
        Ok(())
    }

    async fn add_expense(&mut self) -> anyhow::Result<()> {
        let body = NewExpense {
            amount: DecimalString(AMOUNT.to_owned()),
            currency: CURRENCY.to_owned(),
            category: Some(CATEGORY.to_owned()),
            note: Some("cargo xtask smoke".to_owned()),
            merchant: None,
            spent_on: self.today.clone(),
            tags: vec!["smoke".to_owned()],
        };
        let request = self
            .api
            .post("/v1/expenses", &body)
            .header("idempotency-key", Uuid::now_v7().to_string());
        let expense: Expense = self
            .api
            .json("POST /v1/expenses", request, StatusCode::CREATED)
            .await?;
        self.made.expense = Some(expense.id);
        ensure!(
            expense.amount == AMOUNT && expense.currency == CURRENCY,
            "recorded {} {}, not {AMOUNT} {CURRENCY}",
            expense.amount,
            expense.currency
        );
        Ok(())
    }

    async fn list_expenses(&mut self) -> anyhow::Result<()> {
        let id = self.expense()?;
        let path = format!("/v1/expenses?from={0}&to={0}&limit=200", self.today);
        let page: Page<Expense> = self
            .api
            .json(
                "GET /v1/expenses",
                self.api.request(Method::GET, &path),
                StatusCode::OK,
            )
            .await?;
        ensure!(
            page.items.iter().any(|expense| expense.id == id),
            "the new expense {id} is not in the list ({} items)",
            page.items.len()
        );
        Ok(())
    }

    /// `POST /v1/expenses/{id}/receipts` for the PNG; remembers the receipt for the clean-up.
    async fn start_receipt(&mut self) -> anyhow::Result<CreatedReceipt> {
        let expense = self.expense()?;
        let body = NewReceipt {
            content_type: RECEIPT_CONTENT_TYPE.to_owned(),
            size: RECEIPT_PNG.len() as u64,
            sha256: sha256_hex(RECEIPT_PNG),
        };
        let path = format!("/v1/expenses/{expense}/receipts");
        let created: CreatedReceipt = self
            .api
            .json(
                "POST /v1/expenses/{id}/receipts",
                self.api.post(&path, &body),
                StatusCode::CREATED,
            )
            .await?;
        self.made.receipts.push(created.receipt.id);
        ensure!(
            created.receipt.status == ReceiptStatus::Pending,
            "a new receipt is {:?}, not pending",
            created.receipt.status
        );
        Ok(created)
    }

    async fn create_receipt(&mut self) -> anyhow::Result<()> {
        let created = self.start_receipt().await?;
        ensure!(
            created.upload.method.eq_ignore_ascii_case("PUT"),
            "upload method {}, not PUT",
            created.upload.method
        );
        self.receipt = Some(created);
        Ok(())
    }

    /// The file to the presigned URL, with exactly the headers the API listed.
    async fn upload_receipt(&mut self) -> anyhow::Result<()> {
        let upload = &self.receipt()?.upload;
        let mut request = self.api.http().put(&upload.url).body(RECEIPT_PNG);
        for (name, value) in &upload.headers {
            if !name.eq_ignore_ascii_case("content-length") {
                request = request.header(name, value);
            }
        }
        let response = request
            .send()
            .await
            .context("storage did not answer the upload")?;
        if !response.status().is_success() {
            bail!("storage refused the upload: {}", describe(response).await);
        }
        Ok(())
    }

    async fn complete_receipt(&mut self) -> anyhow::Result<()> {
        let id = self.receipt()?.receipt.id;
        let path = format!("/v1/receipts/{id}/complete");
        let receipt: expense_api::receipts::Receipt = self
            .api
            .json(
                "POST /v1/receipts/{id}/complete",
                self.api.request(Method::POST, &path),
                StatusCode::OK,
            )
            .await?;
        ensure!(
            receipt.status == ReceiptStatus::Uploaded,
            "the completed receipt is {:?}",
            receipt.status
        );
        Ok(())
    }

    /// The download link, then the bytes through it, compared by SHA-256.
    async fn download_receipt(&mut self) -> anyhow::Result<()> {
        let id = self.receipt()?.receipt.id;
        let details: ReceiptDetails = self
            .api
            .json(
                "GET /v1/receipts/{id}",
                self.api.request(Method::GET, &format!("/v1/receipts/{id}")),
                StatusCode::OK,
            )
            .await?;
        let link = details
            .download
            .context("an uploaded receipt has no download link")?;
        let response = self
            .api
            .http()
            .get(&link.url)
            .send()
            .await
            .context("storage did not answer the download")?;
        if !response.status().is_success() {
            bail!("storage refused the download: {}", describe(response).await);
        }
        let bytes = response.bytes().await.context("the download broke off")?;
        let expected = sha256_hex(RECEIPT_PNG);
        let got = sha256_hex(&bytes);
        ensure!(
            got == expected,
            "downloaded {} bytes with SHA-256 {got}, uploaded {} with {expected}",
            bytes.len(),
            RECEIPT_PNG.len()
        );
        ensure!(
            details.receipt.sha256 == expected,
            "the receipt records SHA-256 {}",
            details.receipt.sha256
        );
        Ok(())
    }

    async fn read_summary(&mut self) -> anyhow::Result<()> {
        let path = format!("/v1/summary?group_by=category&from={0}&to={0}", self.today);
        let summary: Summary = self
            .api
            .json(
                "GET /v1/summary",
                self.api.request(Method::GET, &path),
                StatusCode::OK,
            )
            .await?;
        let group = summary
            .groups
            .iter()
            .find(|group| group.key == CATEGORY)
            .with_context(|| format!("no {CATEGORY} group in the summary"))?;
        ensure!(
            group
                .totals
                .iter()
                .any(|total| total.currency == CURRENCY && total.amount == AMOUNT),
            "the {CATEGORY} totals are {:?}, not {AMOUNT} {CURRENCY}",
            group.totals
        );
        Ok(())
    }

    async fn delete_receipt(&mut self, id: Uuid) -> anyhow::Result<()> {
        let request = self.api.request(Method::DELETE, &format!("/v1/receipts/{id}"));
        self.api
            .expect("DELETE /v1/receipts/{id}", request, StatusCode::NO_CONTENT)
            .await?;
        self.made.receipts.retain(|receipt| *receipt != id);
        Ok(())
    }

    async fn delete_expense(&mut self) -> anyhow::Result<()> {
        let id = self.expense()?;
        let request = self.api.request(Method::DELETE, &format!("/v1/expenses/{id}"));
        self.api
            .expect("DELETE /v1/expenses/{id}", request, StatusCode::NO_CONTENT)
            .await?;
        self.made.expense = None;
        Ok(())
    }

    /// The receipts left on the deleted expense disappear once its `expense.deleted` event
    /// reached the receipts service (the in-process bus, or SNS → SQS).
    async fn receipts_follow_deleted_expense(&mut self) -> anyhow::Result<()> {
        let deadline = Instant::now() + EVENT_DEADLINE;
        while let Some(&id) = self.made.receipts.first() {
            let response = self
                .api
                .request(Method::GET, &format!("/v1/receipts/{id}"))
                .send()
                .await
                .context("GET /v1/receipts/{id}: no answer")?;
            match response.status() {
                StatusCode::NOT_FOUND => {
                    self.made.receipts.remove(0);
                }
                StatusCode::OK if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                StatusCode::OK => {
                    bail!("receipt {id} still exists {EVENT_DEADLINE:?} after its expense was deleted")
                }
                _ => bail!("GET /v1/receipts/{{id}}: {}", describe(response).await),
            }
        }
        Ok(())
    }

    /// Ends the session, then checks that its refresh token no longer works.
    async fn sign_out(&mut self) -> anyhow::Result<()> {
        let body = RefreshRequest {
            refresh_token: self.made.refresh_token.clone().context("not signed in")?,
        };
        self.api
            .expect(
                "POST /v1/auth/logout",
                self.api.post("/v1/auth/logout", &body),
                StatusCode::NO_CONTENT,
            )
            .await?;
        self.made.refresh_token = None;
        self.api
            .expect(
                "POST /v1/auth/refresh after signing out",
                self.api.post("/v1/auth/refresh", &body),
                StatusCode::UNAUTHORIZED,
            )
            .await?;
        Ok(())
    }

    fn expense(&self) -> anyhow::Result<Uuid> {
        self.made.expense.context("no expense was made")
    }

    fn receipt(&self) -> anyhow::Result<&CreatedReceipt> {
        self.receipt.as_ref().context("no receipt was made")
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes).as_ref())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clean_up_removes_receipts_then_the_expense_then_signs_out() {
        let receipt = Uuid::now_v7();
        let expense = Uuid::now_v7();
        let made = Made {
            refresh_token: Some("r".to_owned()),
            expense: Some(expense),
            receipts: vec![receipt],
        };
        assert_eq!(
            cleanup_plan(&made),
            [
                Cleanup::DeleteReceipt(receipt),
                Cleanup::DeleteExpense(expense),
                Cleanup::SignOut
            ]
        );
    }

    #[test]
    fn a_run_that_cleaned_as_it_went_only_signs_out_and_one_that_never_signed_in_does_nothing() {
        let signed_in = Made {
            refresh_token: Some("r".to_owned()),
            ..Made::default()
        };
        assert_eq!(cleanup_plan(&signed_in), [Cleanup::SignOut]);
        assert_eq!(cleanup_plan(&Made::default()), []);
    }

    #[test]
    fn check_names_are_unique_and_the_order_is_the_documented_one() {
        let names: Vec<&str> = CHECKS.iter().map(|check| check.name()).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        assert_eq!(CHECKS[0], Check::Register);
        assert_eq!(CHECKS[CHECKS.len() - 1], Check::ReceiptsFollowDeletedExpense);
    }

    #[test]
    fn the_receipt_is_a_png_and_its_digest_is_lowercase_hex() {
        assert!(RECEIPT_PNG.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
