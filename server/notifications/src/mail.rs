//! E-mail: multipart (plain text + HTML) messages, sent through SES in production
//! (`MAILER=ses`) or written as `.eml` files under `<data dir>/outbox/` locally (`MAILER=file`).
//!
//! Every message has a key (its `Message-ID` and, for the file mailer, its file name). A mailer
//! that can tell whether a key went out ([`Mailer::was_sent`]) lets the monthly summary settle a
//! run that died while sending; SES cannot tell, so there such a summary is reported as
//! unconfirmed rather than sent twice (see `docs/notifications.md`).

use std::path::PathBuf;

use async_trait::async_trait;
use aws_sdk_sesv2::primitives::Blob;
use aws_sdk_sesv2::types::{Destination, EmailContent, RawMessage};
use lettre::message::{Mailbox, MultiPart, header};

/// One e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Unique per message and stable across retries: `summary-<user>-<month>`, `alert-<id>`.
    pub key: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot send e-mail: {0}")]
pub struct MailError(pub String);

/// Sends e-mail.
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;

    /// Whether a message with this key went out: `None` when the mailer cannot know.
    async fn was_sent(&self, key: &str) -> Option<bool> {
        let _ = key;
        None
    }
}

/// The MIME bytes of `mail` from `from`.
pub fn render(from: &str, mail: &Mail) -> Result<Vec<u8>, MailError> {
    let bad = |what: &str| MailError(format!("{what} is not a valid address"));
    let message = lettre::Message::builder()
        .from(from.parse::<Mailbox>().map_err(|_| bad("MAIL_FROM"))?)
        .to(mail.to.parse::<Mailbox>().map_err(|_| bad("the recipient"))?)
        .subject(&mail.subject)
        .message_id(Some(format!("<{}@expense-tracker>", mail.key)))
        .header(header::MIME_VERSION_1_0)
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|e| MailError(e.to_string()))?;
    Ok(message.formatted())
}

/// Writes each message to `<dir>/<key>.eml` (through a temporary file, renamed into place).
pub struct FileMailer {
    pub dir: PathBuf,
    pub from: String,
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let bytes = render(&self.from, mail)?;
        let io = |e: std::io::Error| MailError(e.to_string());
        tokio::fs::create_dir_all(&self.dir).await.map_err(io)?;
        let name = file_name(&mail.key);
        let temporary = self.dir.join(format!(".{name}.tmp"));
        tokio::fs::write(&temporary, bytes).await.map_err(io)?;
        tokio::fs::rename(&temporary, self.dir.join(format!("{name}.eml")))
            .await
            .map_err(io)
    }

    async fn was_sent(&self, key: &str) -> Option<bool> {
        tokio::fs::try_exists(self.dir.join(format!("{}.eml", file_name(key))))
            .await
            .ok()
    }
}

fn file_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Sends through Amazon SES v2 (the same MIME bytes, as a raw message).
pub struct SesMailer {
    pub client: aws_sdk_sesv2::Client,
    pub from: String,
}

#[async_trait]
impl Mailer for SesMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let bytes = render(&self.from, mail)?;
        let raw = RawMessage::builder()
            .data(Blob::new(bytes))
            .build()
            .map_err(|e| MailError(e.to_string()))?;
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&mail.to).build())
            .content(EmailContent::builder().raw(raw).build())
            .send()
            .await
            .map(drop)
            .map_err(|e| MailError(aws_sdk_sesv2::error::DisplayErrorContext(&e).to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_multipart_with_a_stable_id() {
        let mail = Mail {
            key: "summary-1-2026-10".into(),
            to: "ada@example.com".into(),
            subject: "Your October".into(),
            text: "plain".into(),
            html: "<p>rich</p>".into(),
        };
        let text =
            String::from_utf8(render("Expense Tracker <no-reply@example.com>", &mail).unwrap()).unwrap();
        assert!(
            text.contains("Message-ID: <summary-1-2026-10@expense-tracker>"),
            "{text}"
        );
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("text/plain") && text.contains("text/html"));
        assert!(render("not an address", &mail).is_err());
    }
}
