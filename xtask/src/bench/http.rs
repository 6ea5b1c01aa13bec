//! One bare HTTP/1.1 keep-alive connection (hyper's client connection, no pool, no TLS), for
//! setting servers up, for checking the load generator's reading of an answer against hyper's
//! ([`load::check`](super::load::check)), and for the generator of earlier runs
//! ([`hyper_load`](super::hyper_load)).
//!
//! The load generator itself does not use it: it costs several times the CPU per request of the
//! minimal client in [`wire`](super::wire), CPU taken from the servers it measures.

use std::net::SocketAddr;

use anyhow::Context;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// A request as the load generator sends it.
pub type BenchRequest = Request<Full<Bytes>>;

/// Whether `GET path` on `address` answers 2xx, on a connection of its own: how `bench` waits
/// for a server it started.
pub async fn answers(address: SocketAddr, path: &str) -> bool {
    match Connection::open(address).await {
        Ok(mut connection) => connection
            .get(path, None)
            .await
            .is_ok_and(|(status, _)| status.is_success()),
        Err(_) => false,
    }
}

/// An open connection to one server.
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

impl Connection {
    pub async fn open(address: SocketAddr) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(address)
            .await
            .with_context(|| format!("cannot connect to {address}"))?;
        stream.set_nodelay(true)?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            // The connection ends when the sender is dropped or the server closes it.
            let _ = connection.await;
        });
        Ok(Self {
            sender,
            host: address.to_string(),
        })
    }

    /// Sends `request` and reads the whole answer.
    pub async fn send(&mut self, request: BenchRequest) -> anyhow::Result<(StatusCode, Bytes)> {
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        Ok((status, body))
    }

    pub async fn get(&mut self, path: &str, token: Option<&str>) -> anyhow::Result<(StatusCode, Bytes)> {
        let request = request(&self.host, Method::GET, path, token, Bytes::new());
        self.send(request).await
    }

    pub async fn post_json(
        &mut self,
        path: &str,
        token: Option<&str>,
        body: &serde_json::Value,
    ) -> anyhow::Result<(StatusCode, Bytes)> {
        let request = request(
            &self.host,
            Method::POST,
            path,
            token,
            serde_json::to_vec(body)?.into(),
        );
        self.send(request).await
    }

    /// The `Host` header this connection sends.
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// A request with a JSON body (when not empty) and an `Authorization` header (when a token is
/// given, sent as is: include `Bearer ` where the server wants it).
pub fn request(
    host: &str,
    method: Method,
    path: &str,
    authorization: Option<&str>,
    body: Bytes,
) -> BenchRequest {
    let mut builder = Request::builder().method(method).uri(path).header(HOST, host);
    if !body.is_empty() {
        builder = builder.header(CONTENT_TYPE, "application/json");
    }
    if let Some(authorization) = authorization {
        builder = builder.header(AUTHORIZATION, authorization);
    }
    builder.body(Full::new(body)).expect("a valid request")
}
