//! `expense account export FILE.zip`: everything the signed-in account owns, in one zip file the
//! user keeps.
//!
//! The archive holds one JSON file per kind of data, each as the server answered it (so fields
//! this CLI does not know yet are kept), every uploaded receipt as its file, and `manifest.json`,
//! which says what is inside, with counts and the export's time. The layout is in `docs/cli.md`.
//!
//! It is written as the data arrives, never held whole in memory: the expenses page by page,
//! each receipt chunk by chunk from its presigned URL (its SHA-256 checked on the way). Everything
//! goes to a temporary file beside FILE, renamed into place only once complete, so an export that
//! fails or is interrupted leaves no half-written file; an existing FILE is replaced only with
//! `--force`. The progress bar is drawn on a terminal only.
//!
//! Not exported: webhook signing secrets (the server shows them only at creation), passwords and
//! tokens.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use expense_api::Page;
use expense_api::notifications::WebhookList;
use expense_api::page::MAX_PAGE_SIZE;
use expense_api::receipts::{Receipt, ReceiptDetails, ReceiptStatus};
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::commands::budget::encode;
use crate::commands::receipt::{extension, hex};
use crate::context::Context;
use crate::error::{CliError, ErrorKind, Result};
use crate::output::{Column, Data, OutputArgs, column, number};
use crate::session::{self, Authorized};

/// The manifest's `format`; its `version` changes whenever a file's shape does.
pub const FORMAT: &str = "expense-account-export";
pub const FORMAT_VERSION: u32 = 1;

/// What the archive leaves out, as the manifest says it.
const NOT_INCLUDED: [&str; 2] = [
    "webhook signing secrets: the server shows them only when a webhook is added",
    "the password and every token",
];

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The zip file to write, such as expense-export.zip.
    #[arg(value_name = "FILE.zip")]
    pub file: PathBuf,

    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// One file (or, for the receipts, one folder) of the archive, as the manifest lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The path inside the archive.
    pub file: String,
    /// What it holds: `expenses`, `budgets`, `receipt files`, …
    pub contents: &'static str,
    /// How many records (or receipt files) it holds.
    pub count: u64,
    /// For the receipt files, their bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
}

/// `manifest.json`.
#[derive(Debug, Serialize)]
struct Manifest<'a> {
    format: &'static str,
    version: u32,
    #[serde(with = "time::serde::rfc3339")]
    exported_at: OffsetDateTime,
    /// The API the data came from.
    server: &'a str,
    account: &'a Account,
    files: &'a [Entry],
    not_included: &'a [&'static str],
}

/// Who the export is of.
#[derive(Debug, Deserialize, Serialize)]
struct Account {
    id: Uuid,
    email: String,
}

/// The answer of the list endpoints that return everything at once (`{"items": [...]}`).
#[derive(Deserialize)]
struct Items {
    items: Vec<Value>,
}

fn columns() -> Vec<Column> {
    vec![
        column("file", "File"),
        column("contents", "Contents"),
        number("count", "Count"),
        number("bytes", "Bytes"),
    ]
}

pub async fn run(context: &mut Context, args: ExportArgs) -> Result<()> {
    refuse_to_replace(&args.file, args.force)?;
    let server = context.api.base().as_str().trim_end_matches('/').to_owned();
    let show_progress = context.terminal.stderr_is_tty;
    let mut authorized = context.authorized()?;
    let export = export(&mut authorized, &args.file, args.force, &server, show_progress);
    // Interrupting drops the export, whose temporary file removes itself.
    let files = tokio::select! {
        files = export => files?,
        _ = tokio::signal::ctrl_c() => {
            return Err(CliError::new(ErrorKind::Cancelled, "export interrupted; nothing was written"));
        }
    };
    drop(authorized);
    let count = |contents: &str| {
        files
            .iter()
            .find(|e| e.contents == contents)
            .map_or(0, |e| e.count)
    };
    context.success(&format!(
        "Exported {} expenses and {} receipt files to {}",
        count("expenses"),
        count("receipt files"),
        args.file.display()
    ));
    context.render(&args.output, &Data::list_of(columns(), &files))
}

/// Refuses an existing FILE without `--force`, and a directory always.
fn refuse_to_replace(target: &Path, force: bool) -> Result<()> {
    if target.is_dir() {
        return Err(CliError::usage(format!(
            "{} is a directory; name the zip file to write",
            target.display()
        )));
    }
    if !force && target.exists() {
        return Err(CliError::usage(format!("{} already exists", target.display()))
            .with_hint("pass --force to replace it, or name another file"));
    }
    Ok(())
}

/// Writes the archive to a temporary file and renames it to `target`; answers what is inside.
async fn export(
    authorized: &mut Authorized<'_>,
    target: &Path,
    force: bool,
    server: &str,
    show_progress: bool,
) -> Result<Vec<Entry>> {
    // The CLI's one reading of the wall clock is `session::now`, to the second.
    let exported_at = OffsetDateTime::from_unix_timestamp(session::now())
        .map_err(|e| CliError::other(format!("the system clock is out of range: {e}")))?;
    let (partial, file) = PartialFile::create(target)?;
    let mut archive = Archive::new(file, target, exported_at);
    let progress = Progress::new(show_progress);

    progress.step("profile");
    let profile: Value = authorized.json(Method::GET, "/v1/me", None).await?;
    let account: Account = serde_json::from_value(profile.clone())
        .map_err(|e| CliError::other(format!("the server sent an unreadable profile: {e}")))?;
    archive.json("profile.json", "profile", 1, &profile)?;

    progress.step("expenses");
    let mut expense_ids = Vec::new();
    let mut expenses = archive.array("expenses.json", "expenses")?;
    each_page(authorized, "/v1/expenses", |items| {
        for item in items {
            expense_ids.push(id_of(&item, "expense")?);
            expenses.push(&item)?;
        }
        progress.step(&format!("expenses: {}", expenses.count));
        Ok(())
    })
    .await?;
    expenses.finish()?;

    for (file, contents, path) in [
        ("budgets.json", "budgets", "/v1/budgets"),
        ("recurring.json", "recurring schedules", "/v1/recurring"),
        ("categories.json", "categories", "/v1/categories"),
        (
            "rules.json",
            "categorisation rules, in the order they are tried",
            "/v1/rules",
        ),
    ] {
        progress.step(contents);
        let list: Items = authorized.json(Method::GET, path, None).await?;
        archive.json(file, contents, list.items.len() as u64, &list.items)?;
    }
    for (file, contents, path) in [
        ("rates.json", "exchange rates", "/v1/rates"),
        ("notifications.json", "notifications", "/v1/notifications"),
    ] {
        progress.step(contents);
        let mut writer = archive.array(file, contents)?;
        each_page(authorized, path, |items| {
            items.iter().try_for_each(|item| writer.push(item))
        })
        .await?;
        writer.finish()?;
    }
    progress.step("notification settings");
    let settings: Value = authorized
        .json(Method::GET, "/v1/notifications/settings", None)
        .await?;
    archive.json(
        "notification-settings.json",
        "notification settings",
        1,
        &settings,
    )?;
    progress.step("webhooks");
    // Read through the typed list, which has no field for a secret: none can slip through.
    let webhooks: WebhookList = authorized.json(Method::GET, "/v1/webhooks", None).await?;
    archive.json(
        "webhooks.json",
        "webhooks",
        webhooks.items.len() as u64,
        &webhooks.items,
    )?;

    let mut receipts = Vec::new();
    for (done, expense_id) in expense_ids.iter().enumerate() {
        progress.step(&format!(
            "receipts: expense {} of {}",
            done + 1,
            expense_ids.len()
        ));
        let list: Items = authorized
            .json(Method::GET, &format!("/v1/expenses/{expense_id}/receipts"), None)
            .await?;
        for mut item in list.items {
            let receipt: Receipt = serde_json::from_value(item.clone())
                .map_err(|e| CliError::other(format!("the server sent an unreadable receipt: {e}")))?;
            let file = (receipt.status == ReceiptStatus::Uploaded).then(|| receipt_path(&receipt));
            if let Some(object) = item.as_object_mut() {
                object.insert("file".to_owned(), file.clone().map_or(Value::Null, Value::String));
            }
            receipts.push((receipt, file, item));
        }
    }
    let listed: Vec<&Value> = receipts.iter().map(|(_, _, item)| item).collect();
    archive.json("receipts.json", "receipts", listed.len() as u64, &listed)?;

    let downloads = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| CliError::other(format!("cannot set up HTTPS: {e}")))?;
    let to_copy: Vec<(&Receipt, &String)> = receipts
        .iter()
        .filter_map(|(receipt, file, _)| Some((receipt, file.as_ref()?)))
        .collect();
    progress.bytes(to_copy.iter().map(|(receipt, _)| receipt.size).sum());
    let (mut files, mut bytes) = (0, 0);
    for &(receipt, file) in &to_copy {
        progress.message(&format!("receipt {} of {}", files + 1, to_copy.len()));
        copy_receipt(authorized, &downloads, &mut archive, receipt, file, &progress).await?;
        files += 1;
        bytes += receipt.size;
    }
    archive.entries.push(Entry {
        file: "receipts/".to_owned(),
        contents: "receipt files",
        count: files,
        bytes: Some(bytes),
    });

    let entries = archive.entries.clone();
    let manifest = Manifest {
        format: FORMAT,
        version: FORMAT_VERSION,
        exported_at,
        server,
        account: &account,
        files: &entries,
        not_included: &NOT_INCLUDED,
    };
    archive.start("manifest.json", true)?;
    archive.write_json(&manifest)?;
    let file = archive.finish()?;
    file.sync_all()?;
    drop(file);
    partial.persist(target, force)?;
    Ok(entries)
}

/// Where a receipt's file goes in the archive: `receipts/EXPENSE_ID/RECEIPT_ID.pdf`.
fn receipt_path(receipt: &Receipt) -> String {
    format!(
        "receipts/{}/{}.{}",
        receipt.expense_id,
        receipt.id,
        extension(&receipt.content_type)
    )
}

/// Streams one receipt from its presigned URL into the archive, checking its SHA-256.
async fn copy_receipt(
    authorized: &mut Authorized<'_>,
    downloads: &reqwest::Client,
    archive: &mut Archive,
    receipt: &Receipt,
    file: &str,
    progress: &Progress,
) -> Result<()> {
    let details: ReceiptDetails = authorized
        .json(Method::GET, &format!("/v1/receipts/{}", receipt.id), None)
        .await?;
    let link = details.download.ok_or_else(|| {
        CliError::other(format!(
            "receipt {} has no download link although it was uploaded",
            receipt.id
        ))
    })?;
    let response = downloads.get(&link.url).send().await.map_err(|e| {
        CliError::new(
            ErrorKind::Network,
            format!("the download of receipt {} failed: {e}", receipt.id),
        )
    })?;
    if response.status() != StatusCode::OK {
        return Err(CliError::new(
            ErrorKind::Server,
            format!(
                "storage answered {} for receipt {}",
                response.status(),
                receipt.id
            ),
        ));
    }
    // Photos are compressed already; PDFs often gain from deflate.
    archive.start(file, receipt.content_type == "application/pdf")?;
    let mut hash = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            CliError::new(
                ErrorKind::Network,
                format!("the download of receipt {} was cut: {e}", receipt.id),
            )
        })?;
        hash.update(&chunk);
        archive.write(&chunk)?;
        progress.advance(chunk.len() as u64);
    }
    if hex(hash.finish().as_ref()) != receipt.sha256 {
        return Err(CliError::other(format!(
            "receipt {} as downloaded does not match its SHA-256; nothing was written",
            receipt.id
        )));
    }
    Ok(())
}

/// The `id` of a record the server sent.
fn id_of(item: &Value, what: &str) -> Result<Uuid> {
    item.get("id")
        .and_then(Value::as_str)
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or_else(|| CliError::other(format!("the server sent an {what} without an id")))
}

/// Fetches every page of a paginated list (`?limit=&cursor=`), handing each to `page`.
async fn each_page(
    authorized: &mut Authorized<'_>,
    path: &str,
    mut page: impl FnMut(Vec<Value>) -> Result<()>,
) -> Result<()> {
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{path}?limit={MAX_PAGE_SIZE}");
        if let Some(cursor) = &cursor {
            url.push_str("&cursor=");
            url.push_str(&encode(cursor));
        }
        let fetched: Page<Value> = authorized.json(Method::GET, &url, None).await?;
        page(fetched.items)?;
        match fetched.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(()),
        }
    }
}

/// The temporary file an export is written to, beside its target and readable by its owner only;
/// removed when dropped unless [`PartialFile::persist`] moved it into place.
struct PartialFile {
    path: PathBuf,
    persisted: bool,
}

impl PartialFile {
    fn create(target: &Path) -> Result<(Self, File)> {
        let name = target
            .file_name()
            .ok_or_else(|| CliError::usage(format!("{} names no file", target.display())))?;
        let path = target.with_file_name(format!(".{}.{}.part", name.to_string_lossy(), std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).read(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options
            .open(&path)
            .map_err(|e| CliError::other(format!("cannot create {}: {e}", path.display())))?;
        Ok((
            Self {
                path,
                persisted: false,
            },
            file,
        ))
    }

    /// Moves the finished file to `target`, which must still not exist without `force`.
    fn persist(mut self, target: &Path, force: bool) -> Result<()> {
        refuse_to_replace(target, force)?;
        std::fs::rename(&self.path, target)
            .map_err(|e| CliError::other(format!("cannot write {}: {e}", target.display())))?;
        self.persisted = true;
        Ok(())
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.persisted {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The zip being written, and the entries of the manifest so far.
struct Archive {
    zip: ZipWriter<File>,
    /// The target's name, for error messages.
    target: String,
    /// Every file's modification time: the export's.
    modified: zip::DateTime,
    entries: Vec<Entry>,
}

impl Archive {
    fn new(file: File, target: &Path, exported_at: OffsetDateTime) -> Self {
        let modified = zip::DateTime::from_date_and_time(
            exported_at.year().clamp(1980, 2107) as u16,
            exported_at.month() as u8,
            exported_at.day(),
            exported_at.hour(),
            exported_at.minute(),
            exported_at.second(),
        )
        .unwrap_or_default();
        Self {
            zip: ZipWriter::new(file),
            target: target.display().to_string(),
            modified,
            entries: Vec::new(),
        }
    }

    fn fail(&self, error: impl std::fmt::Display) -> CliError {
        CliError::other(format!("cannot write {}: {error}", self.target))
    }

    /// Starts the next file of the archive.
    fn start(&mut self, name: &str, deflate: bool) -> Result<()> {
        let method = if deflate {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(self.modified)
            .unix_permissions(0o600);
        self.zip.start_file(name, options).map_err(|e| self.fail(e))
    }

    /// Appends bytes to the file started last.
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.zip.write_all(bytes).map_err(|e| self.fail(e))
    }

    /// Appends `value` as indented JSON and a newline to the file started last.
    fn write_json(&mut self, value: &impl Serialize) -> Result<()> {
        serde_json::to_writer_pretty(&mut self.zip, value).map_err(|e| self.fail(e))?;
        self.write(b"\n")
    }

    /// A whole JSON file of `count` records.
    fn json(&mut self, file: &str, contents: &'static str, count: u64, value: &impl Serialize) -> Result<()> {
        self.start(file, true)?;
        self.write_json(value)?;
        self.entries.push(Entry {
            file: file.to_owned(),
            contents,
            count,
            bytes: None,
        });
        Ok(())
    }

    /// A JSON array file written item by item as the items arrive.
    fn array(&mut self, file: &str, contents: &'static str) -> Result<ArrayFile<'_>> {
        self.start(file, true)?;
        self.write(b"[")?;
        Ok(ArrayFile {
            archive: self,
            file: file.to_owned(),
            contents,
            count: 0,
        })
    }

    /// Writes the zip's directory and hands back the file.
    fn finish(self) -> Result<File> {
        let target = self.target;
        self.zip
            .finish()
            .map_err(|e| CliError::other(format!("cannot write {target}: {e}")))
    }
}

/// A JSON array being written into the archive: one record per line, so that the file is easy
/// to read, grep and diff.
struct ArrayFile<'a> {
    archive: &'a mut Archive,
    file: String,
    contents: &'static str,
    count: u64,
}

impl ArrayFile<'_> {
    fn push(&mut self, item: &Value) -> Result<()> {
        self.archive.write(if self.count == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut self.archive.zip, item).map_err(|e| self.archive.fail(e))?;
        self.count += 1;
        Ok(())
    }

    fn finish(self) -> Result<()> {
        self.archive
            .write(if self.count == 0 { b"]\n" } else { b"\n]\n" })?;
        self.archive.entries.push(Entry {
            file: self.file,
            contents: self.contents,
            count: self.count,
            bytes: None,
        });
        Ok(())
    }
}

/// What the export is doing, on a terminal: a spinner naming the part being fetched, then a bar
/// of the receipts' bytes. Hidden when stderr is not a terminal.
struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    fn new(visible: bool) -> Self {
        if !visible {
            return Self {
                bar: indicatif::ProgressBar::hidden(),
            };
        }
        let bar = indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template("{spinner} exporting {msg}").expect("valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Self { bar }
    }

    /// Names the part being fetched.
    fn step(&self, message: &str) {
        self.bar.set_message(message.to_owned());
    }

    /// Switches to a bar of `total` bytes of receipts.
    fn bytes(&self, total: u64) {
        self.bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes}  {bytes_per_sec}  eta {eta}  {msg}",
            )
            .expect("valid template"),
        );
        self.bar.set_length(total);
        self.bar.set_position(0);
    }

    fn message(&self, message: &str) {
        self.bar.set_message(message.to_owned());
    }

    fn advance(&self, bytes: u64) {
        self.bar.inc(bytes);
    }
}

impl Drop for Progress {
    /// Clears the bar whatever the outcome, so that an error is not printed after a stale bar.
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
