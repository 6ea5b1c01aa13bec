//! The local stand-in for the ALB: one port in front of the split roles, routing each request by
//! path to the role the Ingress names (see [`super::ingress`]), so the CLI and `cargo xtask smoke`
//! use one base URL, as they do against EKS.
//!
//! Like the ALB it forwards the request as it came (method, path, query, `Host`, body streamed),
//! adds `X-Forwarded-For`/`-Proto`/`-Port` (the roles run with `TRUSTED_PROXY_HOPS=1`), answers
//! 404 where no rule matches and 502 when the role does not answer. It is no load balancer: one
//! process per role, a new connection per request, no TLS, no health checks.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use super::ingress::RouteTable;

type Body = BoxBody<Bytes, hyper::Error>;

/// Headers that describe one connection, not the message: never forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// Where each Service of the Ingress runs locally.
#[derive(Debug, Clone)]
pub struct Backends {
    routes: RouteTable,
    addresses: HashMap<String, SocketAddr>,
}

impl Backends {
    /// Fails unless every Service the Ingress names has an address.
    pub fn new(routes: RouteTable, addresses: HashMap<String, SocketAddr>) -> anyhow::Result<Self> {
        for service in routes.services() {
            anyhow::ensure!(
                addresses.contains_key(service),
                "the Ingress routes to Service {service}, which the split topology does not run"
            );
        }
        Ok(Self { routes, addresses })
    }

    fn backend_for(&self, path: &str) -> Option<SocketAddr> {
        let service = self.routes.service_for(path)?;
        self.addresses.get(service).copied()
    }
}

/// The running front door; stopped when dropped.
pub struct FrontDoor {
    address: SocketAddr,
    accept_loop: JoinHandle<()>,
}

impl FrontDoor {
    /// Binds `address` (port 0 for a free one) and starts serving.
    pub async fn start(address: SocketAddr, backends: Backends) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(address)
            .await
            .with_context(|| format!("the front door cannot listen on {address}"))?;
        let address = listener.local_addr()?;
        let backends = Arc::new(backends);
        let accept_loop = tokio::spawn(accept(listener, backends));
        Ok(Self { address, accept_loop })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for FrontDoor {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

async fn accept(listener: TcpListener, backends: Arc<Backends>) {
    let own_port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            continue;
        };
        let backends = Arc::clone(&backends);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                forward(Arc::clone(&backends), request, peer, own_port)
            });
            // A client that goes away mid-request is no error of ours.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Routes one request and relays the role's answer, or answers 404/502 itself.
async fn forward(
    backends: Arc<Backends>,
    mut request: Request<Incoming>,
    peer: SocketAddr,
    own_port: u16,
) -> Result<Response<Body>, hyper::Error> {
    let Some(backend) = backends.backend_for(request.uri().path()) else {
        return Ok(plain(
            StatusCode::NOT_FOUND,
            "no listener rule matches this path\n",
        ));
    };
    add_forwarding_headers(request.headers_mut(), peer, own_port);
    match send(backend, request).await {
        Ok(response) => {
            let (mut parts, body) = response.into_parts();
            remove_hop_by_hop(&mut parts.headers);
            Ok(Response::from_parts(parts, body.boxed()))
        }
        Err(error) => Ok(plain(
            StatusCode::BAD_GATEWAY,
            &format!("the role at {backend} did not answer: {error:#}\n"),
        )),
    }
}

async fn send(backend: SocketAddr, request: Request<Incoming>) -> anyhow::Result<Response<Incoming>> {
    let stream = TcpStream::connect(backend).await?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender.send_request(request).await?)
}

/// What the ALB adds: the client's address appended to `X-Forwarded-For`, the scheme and port.
fn add_forwarding_headers(headers: &mut hyper::HeaderMap, peer: SocketAddr, own_port: u16) {
    remove_hop_by_hop(headers);
    let forwarded_for = match headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        Some(earlier) => format!("{earlier}, {}", peer.ip()),
        None => peer.ip().to_string(),
    };
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    set("x-forwarded-for", forwarded_for);
    set("x-forwarded-proto", "http".to_owned());
    set("x-forwarded-port", own_port.to_string());
}

/// Removes the hop-by-hop headers, and any header the `Connection` header names.
fn remove_hop_by_hop(headers: &mut hyper::HeaderMap) {
    let named: Vec<String> = headers
        .get_all(hyper::header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect();
    for name in HOP_BY_HOP.iter().copied().chain(named.iter().map(String::as_str)) {
        headers.remove(name);
    }
}

fn plain(status: StatusCode, text: &str) -> Response<Body> {
    let body = Full::new(Bytes::from(text.to_owned()))
        .map_err(|never| match never {})
        .boxed();
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarding_headers_append_the_client_and_drop_connection_headers() {
        let mut headers = hyper::HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.7"));
        headers.insert("connection", HeaderValue::from_static("keep-alive, x-private"));
        headers.insert("x-private", HeaderValue::from_static("secret"));
        headers.insert("authorization", HeaderValue::from_static("Bearer t"));
        add_forwarding_headers(&mut headers, "127.0.0.1:5000".parse().unwrap(), 8080);
        assert_eq!(headers["x-forwarded-for"], "203.0.113.7, 127.0.0.1");
        assert_eq!(headers["x-forwarded-proto"], "http");
        assert_eq!(headers["x-forwarded-port"], "8080");
        assert_eq!(headers["authorization"], "Bearer t");
        assert!(!headers.contains_key("connection"));
        assert!(!headers.contains_key("x-private"));
    }

    #[test]
    fn every_service_of_the_ingress_needs_an_address() {
        let yaml = "kind: Ingress\nmetadata: {name: a}\nspec:\n  rules:\n    - http:\n        paths:\n          \
                    - {path: /a, pathType: Prefix, backend: {service: {name: auth}}}\n";
        let routes = RouteTable::parse(yaml).unwrap();
        assert!(Backends::new(routes.clone(), HashMap::new()).is_err());
        let addresses = HashMap::from([("auth".to_owned(), "127.0.0.1:1".parse().unwrap())]);
        let backends = Backends::new(routes, addresses).unwrap();
        assert_eq!(backends.backend_for("/a/b"), Some("127.0.0.1:1".parse().unwrap()));
        assert_eq!(backends.backend_for("/b"), None);
    }
}
