//! Learns a user's e-mail address from the auth service (`GET /v1/me` with the user's own
//! token), the first time the user talks to this service. E-mail goes only to addresses learned
//! this way: the notifications service never trusts an address from an event or a request body.

use expense_api::auth::User;
use expense_kit::service_calls::{service_client, with_request_id};
use url::Url;

#[derive(Clone)]
pub struct AuthDirectory {
    client: reqwest::Client,
    me: Url,
}

impl AuthDirectory {
    pub fn new(auth_url: &Url) -> Self {
        Self {
            client: service_client(),
            me: auth_url.join("/v1/me").expect("valid path"),
        }
    }

    /// The caller's address; `None` when the auth service cannot tell (it is asked again later).
    pub async fn email(&self, bearer: &str) -> Option<String> {
        let response = with_request_id(self.client.get(self.me.clone()))
            .bearer_auth(bearer)
            .send()
            .await
            .ok()?;
        if !response.status().is_success() {
            return None;
        }
        response.json::<User>().await.ok().map(|user| user.email)
    }
}
