//! `expense receipt upload|ls|download|open|rm`, and the upload behind `expense add --receipt`.
//!
//! The bytes go straight between this machine and S3 through presigned URLs; the services only
//! see metadata. Files are streamed (hashed in one pass, sent in another, downloads hashed as
//! they are written), so a receipt is never held in memory, and a download is kept only if its
//! SHA-256 matches. Progress bars show on a terminal only.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use expense_api::receipts::{
    CreatedReceipt, NewReceipt, RECEIPT_CONTENT_TYPES, Receipt, ReceiptDetails, ReceiptList,
};
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use crate::cli::OutputOnly;
use crate::client::request_body;
use crate::context::Context;
use crate::error::{CliError, ErrorKind, Result};
use crate::output::{Column, Data, OutputArgs, column, number};
use crate::session::Authorized;

#[derive(Debug, Subcommand)]
pub enum ReceiptCommand {
    /// Attach a photo or PDF to an expense.
    Upload(UploadArgs),
    /// The receipts of an expense.
    #[command(alias = "list")]
    Ls {
        expense_id: Uuid,
        #[command(flatten)]
        output: OutputOnly,
    },
    /// Download a receipt (its checksum is verified).
    Download {
        receipt_id: Uuid,
        /// Where to write it (default: receipt-<id>.<ext> here).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Download a receipt to a temporary file and open it in the system viewer.
    Open { receipt_id: Uuid },
    /// Delete a receipt.
    Rm { receipt_id: Uuid },
}

#[derive(Debug, Args)]
pub struct UploadArgs {
    pub expense_id: Uuid,
    /// A JPEG, PNG, WebP, HEIC or PDF file.
    pub file: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn columns() -> Vec<Column> {
    vec![
        column("id", "ID"),
        column("content_type", "Type"),
        number("size", "Bytes"),
        column("status", "Status"),
        column("created_at", "Added"),
    ]
}

pub async fn run(context: &mut Context, command: ReceiptCommand) -> Result<()> {
    match command {
        ReceiptCommand::Upload(args) => {
            let receipt = upload(context, args.expense_id, &args.file).await?;
            context.render(&args.output, &Data::item_of(columns(), &receipt))
        }
        ReceiptCommand::Ls { expense_id, output } => {
            let list: ReceiptList = context
                .authorized()?
                .json(Method::GET, &format!("/v1/expenses/{expense_id}/receipts"), None)
                .await?;
            context.render(&output.output, &Data::list_of(columns(), &list.items))
        }
        ReceiptCommand::Download { receipt_id, output } => {
            let path = download(context, receipt_id, output).await?;
            context.success(&format!("Saved {}", path.display()));
            Ok(())
        }
        ReceiptCommand::Open { receipt_id } => {
            let directory = std::env::temp_dir().join("expense-receipts");
            std::fs::create_dir_all(&directory)?;
            let path = download(context, receipt_id, Some(directory)).await?;
            open_in_viewer(&path)?;
            context.success(&format!("Opened {}", path.display()));
            Ok(())
        }
        ReceiptCommand::Rm { receipt_id } => {
            context
                .authorized()?
                .execute(Method::DELETE, &format!("/v1/receipts/{receipt_id}"), None)
                .await?;
            context.success(&format!("Deleted receipt {receipt_id}"));
            Ok(())
        }
    }
}

/// Uploads `file` as a receipt of `expense_id` and confirms it.
pub async fn upload(context: &mut Context, expense_id: Uuid, file: &Path) -> Result<Receipt> {
    let content_type = detect_content_type(file)?;
    let size = std::fs::metadata(file)
        .map_err(|e| CliError::new(ErrorKind::Usage, format!("cannot read {}: {e}", file.display())))?
        .len();
    if size == 0 {
        return Err(CliError::usage(format!("{} is empty", file.display())));
    }
    let sha256 = hash_file(file)?;
    let body = request_body(&NewReceipt {
        content_type: content_type.to_owned(),
        size,
        sha256,
    });
    let path = format!("/v1/expenses/{expense_id}/receipts");
    let show_progress = context.terminal.stderr_is_tty;
    let mut authorized = context.authorized()?;
    // An upload URL works five minutes; if it expired before the upload started (a slow
    // connection, a sleeping laptop), one fresh URL is worth a retry.
    let mut attempts = 0;
    let created = loop {
        attempts += 1;
        let created: CreatedReceipt = authorized.json(Method::POST, &path, Some(&body)).await?;
        match put_file(&created, file, size, show_progress).await {
            Ok(()) => break created,
            Err(error) if error.kind == ErrorKind::Network || attempts > 1 => return Err(error),
            Err(error) if error.message.contains("expired") => {
                let _ = authorized
                    .execute(
                        Method::DELETE,
                        &format!("/v1/receipts/{}", created.receipt.id),
                        None,
                    )
                    .await;
            }
            Err(error) => return Err(error),
        }
    };
    complete(&mut authorized, &created).await
}

async fn complete(authorized: &mut Authorized<'_>, created: &CreatedReceipt) -> Result<Receipt> {
    authorized
        .json(
            Method::POST,
            &format!("/v1/receipts/{}/complete", created.receipt.id),
            None,
        )
        .await
}

/// PUTs the file to the presigned URL, streaming it with the signed headers.
async fn put_file(created: &CreatedReceipt, file: &Path, size: u64, show_progress: bool) -> Result<()> {
    let progress = progress_bar(size, show_progress);
    let reader = tokio::fs::File::open(file).await?;
    let bar = progress.clone();
    let stream = tokio_util::io::ReaderStream::with_capacity(reader, 64 * 1024).inspect(move |chunk| {
        if let Ok(chunk) = chunk {
            bar.inc(chunk.len() as u64);
        }
    });
    let mut request = reqwest::Client::new()
        .request(Method::PUT, &created.upload.url)
        .body(reqwest::Body::wrap_stream(stream));
    for (name, value) in &created.upload.headers {
        request = request.header(name, value);
    }
    // A streamed body has no length of its own: the signed one is sent.
    request = request.header("content-length", size.to_string());
    let response = request
        .send()
        .await
        .map_err(|e| CliError::new(ErrorKind::Network, format!("the upload to storage failed: {e}")))?;
    progress.finish_and_clear();
    if response.status().is_success() {
        return Ok(());
    }
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let reason = text
        .split("<Message>")
        .nth(1)
        .and_then(|rest| rest.split("</Message>").next())
        .unwrap_or("no details");
    Err(CliError::new(
        ErrorKind::Server,
        format!("storage refused the upload ({status}): {reason}"),
    ))
}

/// Downloads a receipt into `output` (a file, or a directory for the default name), verifying
/// its SHA-256 while writing; a mismatch removes the file.
async fn download(context: &mut Context, receipt_id: Uuid, output: Option<PathBuf>) -> Result<PathBuf> {
    let details: ReceiptDetails = context
        .authorized()?
        .json(Method::GET, &format!("/v1/receipts/{receipt_id}"), None)
        .await?;
    let Some(link) = details.download else {
        return Err(CliError::other("this receipt was never uploaded completely")
            .with_hint("upload it again with `expense receipt upload`"));
    };
    let default_name = format!(
        "receipt-{receipt_id}.{}",
        extension(&details.receipt.content_type)
    );
    let path = match output {
        Some(path) if path.is_dir() => path.join(default_name),
        Some(path) => path,
        None => PathBuf::from(default_name),
    };
    let response = reqwest::get(&link.url)
        .await
        .map_err(|e| CliError::new(ErrorKind::Network, format!("the download failed: {e}")))?;
    if response.status() != StatusCode::OK {
        return Err(CliError::new(
            ErrorKind::Server,
            format!("storage answered {}", response.status()),
        ));
    }
    let progress = progress_bar(details.receipt.size, context.terminal.stderr_is_tty);
    let partial = path.with_extension("part");
    let mut file = tokio::fs::File::create(&partial).await?;
    let mut hash = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk =
            chunk.map_err(|e| CliError::new(ErrorKind::Network, format!("the download was cut: {e}")))?;
        hash.update(&chunk);
        file.write_all(&chunk).await?;
        progress.inc(chunk.len() as u64);
    }
    file.flush().await?;
    drop(file);
    progress.finish_and_clear();
    if hex(hash.finish().as_ref()) != details.receipt.sha256 {
        let _ = std::fs::remove_file(&partial);
        return Err(CliError::other(
            "the downloaded file does not match the receipt's SHA-256; nothing was saved",
        ));
    }
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

fn progress_bar(size: u64, visible: bool) -> indicatif::ProgressBar {
    if !visible {
        return indicatif::ProgressBar::hidden();
    }
    indicatif::ProgressBar::new(size).with_style(
        indicatif::ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes}  {bytes_per_sec}  eta {eta}")
            .expect("valid template"),
    )
}

/// The SHA-256 of a file, read in chunks.
fn hash_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hash = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(hex(hash.finish().as_ref()));
        }
        hash.update(&buffer[..read]);
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The media type, from the file's first bytes (its extension only breaks ties).
pub fn detect_content_type(path: &Path) -> Result<&'static str> {
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut file| file.read(&mut head))
        .map_err(|e| CliError::new(ErrorKind::Usage, format!("cannot read {}: {e}", path.display())))?;
    let head = &head[..read];
    let detected = if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.starts_with(b"%PDF") {
        Some("application/pdf")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else if head.len() >= 12
        && &head[4..8] == b"ftyp"
        && matches!(&head[8..12], b"heic" | b"heix" | b"mif1" | b"msf1")
    {
        Some("image/heic")
    } else {
        None
    };
    detected.ok_or_else(|| {
        CliError::usage(format!("{} is not a receipt this tracker keeps", path.display()))
            .with_hint(format!("accepted: {}", RECEIPT_CONTENT_TYPES.join(", ")))
    })
}

pub(crate) fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/heic" => "heic",
        _ => "pdf",
    }
}

fn open_in_viewer(path: &Path) -> Result<()> {
    #[cfg(target_os = "macos")]
    let mut command = std::process::Command::new("open");
    #[cfg(target_os = "windows")]
    let mut command = {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    };
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let mut command = std::process::Command::new("xdg-open");
    command.arg(path).spawn().map(drop).map_err(|e| {
        CliError::other(format!("cannot start the system viewer: {e}"))
            .with_hint(format!("the file is at {}", path.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_come_from_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        assert_eq!(
            detect_content_type(&write("a.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0])).unwrap(),
            "image/jpeg"
        );
        assert_eq!(
            detect_content_type(&write("b.bin", b"\x89PNG\r\n\x1a\n....")).unwrap(),
            "image/png"
        );
        assert_eq!(
            detect_content_type(&write("c", b"%PDF-1.7\n")).unwrap(),
            "application/pdf"
        );
        assert_eq!(
            detect_content_type(&write("d", b"RIFF\0\0\0\0WEBPVP8 ")).unwrap(),
            "image/webp"
        );
        assert_eq!(
            detect_content_type(&write("e", b"\0\0\0\x18ftypheic\0\0")).unwrap(),
            "image/heic"
        );
        let refused = detect_content_type(&write("f.pdf", b"MZ\x90\0 not a pdf")).unwrap_err();
        assert_eq!(refused.exit_code(), 2);
    }
}
