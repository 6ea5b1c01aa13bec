//! Signed webhooks for scripts: each delivery is a JSON POST signed as the Standard Webhooks
//! specification says (<https://www.standardwebhooks.com>), so any receiver can check it with a
//! ready-made library: `webhook-id` (the delivery's id, the same on every retry),
//! `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256>` of
//! `"{id}.{timestamp}.{body}"`, keyed with the base64-decoded part of the `whsec_…` secret.
//! For one more release the older headers go along too (`X-Expense-Signature: sha256=<hex
//! HMAC-SHA256(secret, "{timestamp}.{body}")>`, `X-Expense-Timestamp`, …), keyed with the secret
//! text as it is shown.
//! Failed deliveries are retried with exponential backoff and recorded in a delivery log.
//!
//! Webhook URLs must be `https://`. Unless `WEBHOOK_ALLOW_PRIVATE_NETWORKS` is set (local use,
//! tests), a host that is or resolves to an address that is not globally routable
//! ([`crate::routable`]: loopback, private, shared, link-local, multicast, documentation,
//! benchmarking, NAT64, and each of these written as an IPv4-mapped or -compatible IPv6 address)
//! is refused: at registration when the URL holds an address, and at every delivery. The
//! delivery check sits in the HTTP client's resolver, so the address checked is the address
//! connected to (no window for a DNS answer that changes between check and connect).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use expense_api::notifications::{
    DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, STANDARD_ID_HEADER, STANDARD_SIGNATURE_HEADER,
    STANDARD_TIMESTAMP_HEADER, TIMESTAMP_HEADER,
};
use expense_kit::clock::Clock;
use tokio::sync::Notify;
use url::Url;

use crate::repository::{Attempt, DueDelivery, NotificationStore};
use crate::routable;

/// Prefix of webhook secrets.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret: `whsec_` and 32 random bytes in standard base64, the form Standard
/// Webhooks libraries take.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    aws_lc_rs::rand::fill(&mut bytes).expect("the system random source works");
    format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

/// The HMAC key of a secret, as Standard Webhooks defines it: the bytes its base64 part decodes
/// to. Secrets made before Standard Webhooks signing are in the URL-safe alphabet without padding
/// and decode as such; text that decodes neither way (never made by us) is used as it is.
fn standard_key(secret: &str) -> Vec<u8> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    STANDARD
        .decode(encoded)
        .or_else(|_| URL_SAFE_NO_PAD.decode(encoded))
        .unwrap_or_else(|_| encoded.as_bytes().to_vec())
}

/// The `webhook-signature` value: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
pub fn standard_signature(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, &standard_key(secret));
    let tag = hmac::sign(&key, format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(tag.as_ref()))
}

/// The older `X-Expense-Signature` value (sent for one more release): `sha256=<hex>` of
/// `"{timestamp}.{body}"` keyed with the secret's text.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    let tag = hmac::sign(&key, format!("{timestamp}.{body}").as_bytes());
    format!(
        "sha256={}",
        tag.as_ref()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// Checks a URL a user wants to register; the error says what is wrong.
pub fn check_url(text: &str, allow_private: bool) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("is not a URL: {e}"))?;
    let loopback_http = url.scheme() == "http" && allow_private;
    if url.scheme() != "https" && !loopback_http {
        return Err("must be an https:// URL".to_owned());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain credentials".to_owned());
    }
    if url.host_str().is_none() {
        return Err("must have a host".to_owned());
    }
    if !allow_private
        && let Some(address) = literal_address(&url)
        && !routable::is_global(address)
    {
        return Err(format!(
            "points at {address}, which is not a public internet address: webhooks are delivered \
             only to hosts on the public internet"
        ));
    }
    if text.len() > 2000 {
        return Err("must be at most 2000 characters".to_owned());
    }
    Ok(url)
}

/// The address a URL's host is written as, if it is one (`127.1`, `[::ffff:7f00:1]` …, all
/// normalised by the URL parser).
fn literal_address(url: &Url) -> Option<IpAddr> {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    }
}

/// Delivery settings.
#[derive(Debug, Clone)]
pub struct DeliveryPolicy {
    /// Delay before the second attempt; doubled each time, at most an hour.
    pub retry_base: Duration,
    pub max_attempts: u32,
    pub allow_private_networks: bool,
}

/// Sends due deliveries, until the process ends.
pub struct Deliverer {
    pub store: Arc<dyn NotificationStore>,
    pub policy: DeliveryPolicy,
    pub wake: Arc<Notify>,
    client: reqwest::Client,
    /// Due times, retry times and signature timestamps are by this clock.
    clock: Clock,
}

impl Deliverer {
    pub fn new(
        store: Arc<dyn NotificationStore>,
        policy: DeliveryPolicy,
        wake: Arc<Notify>,
        clock: Clock,
    ) -> Self {
        let mut client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("expense-webhooks/", env!("CARGO_PKG_VERSION")));
        if !policy.allow_private_networks {
            client = client.dns_resolver(Arc::new(PublicOnly));
        }
        let client = client.build().expect("the TLS backend initialises");
        Self {
            store,
            policy,
            wake,
            client,
            clock,
        }
    }

    pub async fn run(self) {
        let tick = self.policy.retry_base.min(Duration::from_secs(1));
        loop {
            if let Err(error) = self.deliver_due().await {
                tracing::warn!(%error, "webhook deliveries failed to run");
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(tick) => {}
            }
        }
    }

    /// Attempts every delivery due now; returns how many were attempted.
    pub async fn deliver_due(&self) -> Result<usize, crate::repository::RepoError> {
        let due = self
            .store
            .claim_deliveries(self.clock.now(), time::Duration::seconds(60), 20)
            .await?;
        for delivery in &due {
            let attempt = self.attempt(delivery).await;
            self.store
                .record_attempt(delivery.id, &attempt, self.clock.now())
                .await?;
        }
        Ok(due.len())
    }

    async fn attempt(&self, delivery: &DueDelivery) -> Attempt {
        let outcome = self.send(delivery).await;
        let attempts = delivery.attempts + 1;
        match outcome {
            Ok(status) if (200..300).contains(&status) => Attempt::Delivered { status },
            failure => {
                let (status, error) = match failure {
                    Ok(status) => (Some(status), format!("the receiver answered {status}")),
                    Err(error) => (None, error),
                };
                if attempts >= self.policy.max_attempts {
                    Attempt::Failed { status, error }
                } else {
                    let delay = self
                        .policy
                        .retry_base
                        .saturating_mul(2u32.saturating_pow(attempts - 1))
                        .min(Duration::from_secs(3600));
                    let next =
                        self.clock.now() + time::Duration::try_from(delay).unwrap_or(time::Duration::HOUR);
                    Attempt::Retry { status, error, next }
                }
            }
        }
    }

    async fn send(&self, delivery: &DueDelivery) -> Result<u16, String> {
        let url = Url::parse(&delivery.url).map_err(|e| e.to_string())?;
        if !self.policy.allow_private_networks {
            // Addresses written in the URL skip the resolver.
            if let Some(address) = literal_address(&url).filter(|address| !routable::is_global(*address)) {
                return Err(format!("{address} is not a public internet address; refused"));
            }
        }
        let timestamp = self.clock.now().unix_timestamp();
        let id = delivery.id.to_string();
        let response = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header(STANDARD_ID_HEADER, &id)
            .header(STANDARD_TIMESTAMP_HEADER, timestamp.to_string())
            .header(
                STANDARD_SIGNATURE_HEADER,
                standard_signature(&delivery.secret, &id, timestamp, &delivery.payload),
            )
            .header(
                SIGNATURE_HEADER,
                signature(&delivery.secret, timestamp, &delivery.payload),
            )
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(EVENT_HEADER, &delivery.event)
            .header(DELIVERY_HEADER, id)
            .body(delivery.payload.clone())
            .send()
            .await
            .map_err(|e| format!("the request failed: {}", error_chain(&e)))?;
        Ok(response.status().as_u16())
    }
}

/// The error and its causes, which say what actually went wrong (refused, timed out, …).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Resolves names like the system does and refuses answers inside private networks.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(address) = addresses
                .iter()
                .find(|address| !routable::is_global(address.ip()))
            {
                return Err(format!(
                    "{host} resolves to {}, which is not a public internet address; refused",
                    address.ip()
                )
                .into());
            }
            let addresses: reqwest::dns::Addrs = Box::new(addresses.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_of_timestamp_and_body() {
        // Computed independently: printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        let signed = signature("whsec_test", 1_700_000_000, "{\"a\":1}");
        assert_eq!(
            signed,
            "sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
        assert_ne!(signed, signature("whsec_other", 1_700_000_000, "{\"a\":1}"));
        assert_ne!(signed, signature("whsec_test", 1_700_000_001, "{\"a\":1}"));
    }

    #[test]
    fn standard_signatures_follow_the_specification() {
        // The example of the Standard Webhooks specification's reference implementations.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            standard_signature(secret, id, 1_614_265_330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert!(new_secret().starts_with(SECRET_PREFIX));
        assert_eq!(standard_key(&new_secret()).len(), 32);
        // A secret of the URL-safe form made before this release keeps its 32 bytes.
        let old = format!("{SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode([0xfb_u8; 32]));
        assert_eq!(standard_key(&old), vec![0xfb_u8; 32]);
    }

    #[test]
    fn urls_must_be_https_without_credentials() {
        assert!(check_url("https://hooks.example.com/x", false).is_ok());
        assert!(check_url("http://hooks.example.com/x", false).is_err());
        assert!(
            check_url("http://127.0.0.1:9/x", true).is_ok(),
            "local use and tests"
        );
        assert!(check_url("https://user:pw@example.com", false).is_err());
        assert!(check_url("not a url", false).is_err());
    }

    /// Registration refuses an address that is not public, however it is written; names are
    /// checked at delivery, when they are resolved.
    #[test]
    fn registration_refuses_literal_addresses_that_are_not_public() {
        for url in [
            "https://[::ffff:169.254.169.254]/",
            "https://[::ffff:10.0.0.1]/hook",
            "https://[::ffff:127.0.0.1]:8443/",
            "https://[::ffff:7f00:1]/",
            "https://[64:ff9b::a9fe:a9fe]/",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://198.18.0.1/",
            "https://224.0.0.1/",
            "https://127.1/",
            "https://2130706433/",
            "https://0x7f.0.0.1/",
            "https://[::1]/",
            "https://[fd00::1]/",
        ] {
            let refused = check_url(url, false).unwrap_err();
            assert!(
                refused.contains("not a public internet address"),
                "{url}: {refused}"
            );
            assert!(check_url(url, true).is_ok(), "{url} is allowed for local use");
        }
        assert!(check_url("https://93.184.216.34/hook", false).is_ok());
        assert!(check_url("https://[2606:4700:4700::1111]/", false).is_ok());
        assert!(check_url("https://hooks.example.com/", false).is_ok());
    }
}
