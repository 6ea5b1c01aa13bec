//! Asks the expenses service whether an expense is the caller's, over HTTP as on EKS (also inside
//! `all`), with the caller's own token: the expenses service answers 404 for anyone else's
//! expense, so no extra credential or trust is needed between the two services.

use expense_kit::service_calls::{service_client, with_request_id};
use url::Url;
use uuid::Uuid;

/// The expenses service's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    Mine,
    /// Not the caller's, or no such expense: the same answer.
    NotFound,
    /// The caller's token was refused.
    Unauthorized,
}

/// Could not ask.
#[derive(Debug, thiserror::Error)]
#[error("the expenses service could not be asked: {0}")]
pub struct Unavailable(pub String);

/// The expenses service as seen from receipts.
#[derive(Clone)]
pub struct ExpensesClient {
    client: reqwest::Client,
    base: Url,
}

impl ExpensesClient {
    pub fn new(base: Url) -> Self {
        Self {
            client: service_client(),
            base,
        }
    }

    pub async fn ownership(&self, expense_id: Uuid, bearer: &str) -> Result<Ownership, Unavailable> {
        let url = self
            .base
            .join(&format!("/v1/expenses/{expense_id}"))
            .map_err(|e| Unavailable(e.to_string()))?;
        let response = with_request_id(self.client.get(url))
            .bearer_auth(bearer)
            .send()
            .await
            .map_err(|e| Unavailable(e.to_string()))?;
        match response.status().as_u16() {
            200 => Ok(Ownership::Mine),
            404 => Ok(Ownership::NotFound),
            401 => Ok(Ownership::Unauthorized),
            other => Err(Unavailable(format!("it answered {other}"))),
        }
    }
}
