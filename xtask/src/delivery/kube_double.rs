//! `RecordingKubeApi`: a **test double** of the Kubernetes API server, for the apply half of
//! `deploy`. This machine has no Kubernetes API server (no kind, no k3s, no Docker), and moto
//! answers DescribeCluster with an invented endpoint and random bytes as the CA, so the deploy's
//! HTTPS calls go to this double instead.
//!
//! It is honest about the transport: it serves HTTPS on 127.0.0.1 with a server certificate
//! signed by a CA generated for the test (rcgen), and the deploy's client gets that CA exactly as
//! it gets the cluster CA from DescribeCluster, as its only trusted root. What it imitates:
//!
//! - server-side apply (`PATCH`, `application/apply-patch+yaml`, `fieldManager` required): the
//!   body must name the object of the path, a namespaced object needs its Namespace to exist
//!   (so a wrong apply order fails as on a real server), maps are merged, lists replaced, and a
//!   label or annotation a manager stops sending is removed while other managers' stay; each
//!   applying manager gets a `metadata.managedFields` entry naming the top-level fields it sent,
//!   dropped when it applies a bare object (name and namespace only);
//! - `GET` of a collection (`…/configmaps`), with an equality `labelSelector`: a `…List` whose
//!   items, as on a real server, carry no `apiVersion` or `kind`;
//! - `GET` of an Ingress: no address on the first read, then [`LOAD_BALANCER_HOSTNAME`], as the
//!   load balancer controller fills `status.loadBalancer` once the ALB exists;
//! - `GET` of Deployments with a status that progresses over the polls after each apply (spec
//!   not yet observed, an old replica terminating, the new one not yet available, rolled out),
//!   or never becomes available ([`RecordingKubeApi::never_available`]); of Jobs that run, then
//!   complete, or fail ([`RecordingKubeApi::fail_jobs`]); of anything else as applied;
//! - the Deployment controller, as far as pruning can tell: a Deployment whose pod template
//!   changed gets the `deployment.kubernetes.io/revision` annotation and a status, both under the
//!   manager `kube-controller-manager` (as an annotation writer and a status subresource writer),
//!   and a ReplicaSet `<name>-<revision>` with that template, owned by it; the newest eleven are
//!   kept (the current one and `revisionHistoryLimit` 10);
//! - `DELETE`, which also deletes what the object owns (`ownerReferences`), and 404 with a
//!   `Status` body for what is not there; 401 without a bearer token;
//! - the namespaces `default` and `kube-system` exist from the start, as on any cluster; tests
//!   add objects others made with [`RecordingKubeApi::insert`].
//!
//! It records every request (method, path, query, content type, authorization, body, and the
//! answer) for the tests to assert on. It is not a Kubernetes: no controllers, no validation of
//! object schemas (the delivery checks do that), no field-level ownership beyond annotations.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// The DNS name the double's "load balancer controller" gives every Ingress, from its second read
/// on.
pub const LOAD_BALANCER_HOSTNAME: &str = "k8s-expense-0123456789-1234567890.eu-central-1.elb.amazonaws.com";

/// One request the double received, and what it answered.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub content_type: Option<String>,
    pub authorization: Option<String>,
    /// The body, parsed as YAML (JSON is YAML).
    pub body: Option<Value>,
    pub status: u16,
    /// The answer's JSON.
    pub response: Option<Value>,
}

#[derive(Default)]
struct State {
    objects: HashMap<String, Value>,
    /// (path, `labels` or `annotations`, key) → the field manager that set it.
    metadata_owners: HashMap<(String, &'static str, String), String>,
    /// GETs since the last apply of a Deployment or Job, by path.
    polls: HashMap<String, u64>,
    never_available: BTreeSet<String>,
    fail_jobs: bool,
    requests: Vec<Recorded>,
}

/// A recording Kubernetes API test double on 127.0.0.1 over TLS; stopped when dropped.
pub struct RecordingKubeApi {
    url: String,
    ca_pem: String,
    state: Arc<Mutex<State>>,
    server: JoinHandle<()>,
}

impl RecordingKubeApi {
    /// Generates a CA and a server certificate for 127.0.0.1, and starts serving on a free port.
    pub async fn start() -> Self {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "recording-kube-api-ca");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let server_key = rcgen::KeyPair::generate().unwrap();
        let server_params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
        let server_cert = server_params.signed_by(&server_key, &issuer).unwrap();

        let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
        let tls = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![server_cert.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(tls));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("https://{}", listener.local_addr().unwrap());
        // The namespaces every cluster has before anything is applied.
        let mut initial = State::default();
        for namespace in ["default", "kube-system"] {
            initial.objects.insert(
                format!("/api/v1/namespaces/{namespace}"),
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}),
            );
        }
        let state = Arc::new(Mutex::new(initial));
        let shared = state.clone();
        let server = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let state = shared.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let service = service_fn(move |request| handle(state.clone(), request));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        Self {
            url,
            ca_pem: ca_cert.pem(),
            state,
            server,
        }
    }

    /// `https://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The PEM of the CA that signed the server's certificate.
    pub fn ca_pem(&self) -> &[u8] {
        self.ca_pem.as_bytes()
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The object stored at `path`, as applied.
    pub fn object(&self, path: &str) -> Option<Value> {
        self.state.lock().unwrap().objects.get(path).cloned()
    }

    /// Deployment `name` never gets an available replica.
    pub fn never_available(&self, name: &str) {
        self.state.lock().unwrap().never_available.insert(name.to_owned());
    }

    /// Every Job fails once it has run.
    pub fn fail_jobs(&self) {
        self.state.lock().unwrap().fail_jobs = true;
    }

    /// Stores `object` at `path` as if someone else had made it (no request is recorded).
    pub fn insert(&self, path: &str, object: Value) {
        self.state.lock().unwrap().objects.insert(path.to_owned(), object);
    }

    /// The paths of every stored object, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.state.lock().unwrap().objects.keys().cloned().collect();
        paths.sort();
        paths
    }
}

impl Drop for RecordingKubeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn handle(
    state: Arc<Mutex<State>>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let query: BTreeMap<String, String> = request
        .uri()
        .query()
        .map(|query| {
            reqwest::Url::parse(&format!("https://double/?{query}"))
                .map(|url| url.query_pairs().into_owned().collect())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type");
    let authorization = header("authorization");
    let bytes = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let body = if bytes.is_empty() {
        None
    } else {
        std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| serde_norway::Deserializer::from_str(text).next())
            .and_then(|document| Value::deserialize(document).ok())
    };

    let mut state = state.lock().unwrap();
    let (status, response) = if authorization
        .as_deref()
        .is_none_or(|value| !value.starts_with("Bearer "))
    {
        (
            StatusCode::UNAUTHORIZED,
            status_body(401, "Unauthorized", "no bearer token"),
        )
    } else {
        match method.as_str() {
            "PATCH" => state.apply(&path, &query, content_type.as_deref(), body.as_ref()),
            "GET" => match collection(&path) {
                Some(kind) => state.list(&path, &kind, query.get("labelSelector").map(String::as_str)),
                None => state.get(&path),
            },
            "DELETE" => state.delete(&path),
            _ => (
                StatusCode::METHOD_NOT_ALLOWED,
                status_body(405, "MethodNotAllowed", "not supported by the double"),
            ),
        }
    };
    state.requests.push(Recorded {
        method,
        path,
        query,
        content_type,
        authorization,
        body,
        status: status.as_u16(),
        response: Some(response.clone()),
    });
    let answer = Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(response.to_string())))
        .expect("a valid response");
    Ok(answer)
}

fn status_body(code: u16, reason: &str, message: &str) -> Value {
    json!({ "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": code, "reason": reason, "message": message })
}

fn not_found(path: &str) -> (StatusCode, Value) {
    (
        StatusCode::NOT_FOUND,
        status_body(404, "NotFound", &format!("{path} not found")),
    )
}

/// The path an object should be applied at, derived independently of the deploy code: `v1`
/// kinds under `/api/v1`, others under `/apis/<group>/<version>`; the plural is the lower-case
/// kind with English plural rules (all the kinds the manifests use follow them).
fn expected_path(object: &Value) -> Option<String> {
    let api_version = object["apiVersion"].as_str()?;
    let kind = object["kind"].as_str()?.to_ascii_lowercase();
    let name = object["metadata"]["name"].as_str()?;
    let plural = if kind.ends_with("params") {
        kind.clone()
    } else if let Some(stem) = kind.strip_suffix('y') {
        format!("{stem}ies")
    } else if kind.ends_with('s') {
        format!("{kind}es")
    } else {
        format!("{kind}s")
    };
    let prefix = if api_version == "v1" {
        "/api/v1".to_owned()
    } else {
        format!("/apis/{api_version}")
    };
    let cluster_scoped = [
        "namespace",
        "clusterrole",
        "clusterrolebinding",
        "ingressclass",
        "ingressclassparams",
        "nodeclass",
        "nodepool",
    ]
    .contains(&kind.as_str());
    Some(match object["metadata"]["namespace"].as_str() {
        Some(namespace) if !cluster_scoped => format!("{prefix}/namespaces/{namespace}/{plural}/{name}"),
        _ => format!("{prefix}/{plural}/{name}"),
    })
}

/// The kind a collection path lists (`…/namespaces/expense/configmaps` → `configmaps`), or
/// `None` for the path of one object.
fn collection(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let rest = match parts.first() {
        Some(&"api") => parts.get(2..)?,
        Some(&"apis") => parts.get(3..)?,
        _ => return None,
    };
    match rest {
        ["namespaces", _, plural] | [plural] => Some((*plural).to_owned()),
        _ => None,
    }
}

/// Records in `object`'s `managedFields` that `manager` applied `body`: the top-level fields it
/// sent; a bare body (name and namespace only) drops the manager's entry, as the server does
/// once a manager owns no field.
fn record_manager(object: &mut Value, manager: &str, body: &Value) {
    let mut fields = serde_json::Map::new();
    for key in body.as_object().into_iter().flat_map(|b| b.keys()) {
        if key != "apiVersion" && key != "kind" {
            fields.insert(format!("f:{key}"), json!({}));
        }
    }
    let bare = fields.len() == 1
        && body["metadata"]
            .as_object()
            .is_some_and(|metadata| metadata.keys().all(|k| k == "name" || k == "namespace"));
    let entries = object["metadata"]["managedFields"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut entries: Vec<Value> = entries
        .into_iter()
        .filter(|entry| !(entry["manager"] == manager && entry["operation"] == "Apply"))
        .collect();
    if !bare {
        entries.push(json!({
            "manager": manager, "operation": "Apply", "apiVersion": body["apiVersion"],
            "fieldsType": "FieldsV1", "fieldsV1": fields,
        }));
    }
    object["metadata"]["managedFields"] = entries.into();
}

/// Whether `object`'s labels match an equality selector `k=v[,k=v]` (`None`: everything).
fn selected(object: &Value, selector: Option<&str>) -> bool {
    selector
        .unwrap_or_default()
        .split(',')
        .filter(|term| !term.is_empty())
        .all(|term| match term.split_once('=') {
            Some((key, value)) => object["metadata"]["labels"][key].as_str() == Some(value),
            None => object["metadata"]["labels"].get(term).is_some(),
        })
}

/// Merges `patch` into `base`: maps key by key, everything else replaced.
fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(base), Value::Object(patch)) => {
            for (key, value) in patch {
                merge(base.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (base, patch) => *base = patch.clone(),
    }
}

impl State {
    fn apply(
        &mut self,
        path: &str,
        query: &BTreeMap<String, String>,
        content_type: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        if content_type != Some("application/apply-patch+yaml") {
            return (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                status_body(
                    415,
                    "UnsupportedMediaType",
                    "this double only does server-side apply",
                ),
            );
        }
        let Some(manager) = query.get("fieldManager") else {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                status_body(422, "Invalid", "fieldManager is required for apply requests"),
            );
        };
        let Some(body) = body else {
            return (
                StatusCode::BAD_REQUEST,
                status_body(400, "BadRequest", "no YAML body"),
            );
        };
        if expected_path(body).as_deref() != Some(path) {
            return (
                StatusCode::BAD_REQUEST,
                status_body(
                    400,
                    "BadRequest",
                    &format!("the body does not name the object at {path}"),
                ),
            );
        }
        if let Some(namespace) = path
            .split("/namespaces/")
            .nth(1)
            .and_then(|rest| rest.split_once('/'))
            .map(|(namespace, _)| namespace)
            && !self
                .objects
                .contains_key(&format!("/api/v1/namespaces/{namespace}"))
        {
            return not_found(&format!("namespaces \"{namespace}\""));
        }

        let existing = self.objects.get(path).cloned();
        let created = existing.is_none();
        let mut object = existing.clone().unwrap_or(Value::Null);
        merge(&mut object, body);
        for section in ["labels", "annotations"] {
            let sent: BTreeSet<String> = body["metadata"][section]
                .as_object()
                .map(|values| values.keys().cloned().collect())
                .unwrap_or_default();
            let dropped: Vec<String> = self
                .metadata_owners
                .iter()
                .filter(|((owner_path, owner_section, key), owner)| {
                    owner_path == path
                        && *owner_section == section
                        && *owner == manager
                        && !sent.contains(key)
                })
                .map(|((_, _, key), _)| key.clone())
                .collect();
            for key in dropped {
                self.metadata_owners
                    .remove(&(path.to_owned(), section, key.clone()));
                if let Some(values) = object["metadata"][section].as_object_mut() {
                    values.remove(&key);
                }
            }
            for key in sent {
                self.metadata_owners
                    .insert((path.to_owned(), section, key), manager.clone());
            }
        }
        record_manager(&mut object, manager, body);

        let kind = body["kind"].as_str().unwrap_or_default();
        if kind == "Deployment" || kind == "Job" {
            let generation = existing
                .as_ref()
                .and_then(|old| old["metadata"]["generation"].as_u64())
                .unwrap_or(0);
            let spec_changed = existing.as_ref().is_none_or(|old| old["spec"] != object["spec"]);
            if spec_changed {
                object["metadata"]["generation"] = json!(generation + 1);
                self.polls.insert(path.to_owned(), 0);
                if kind == "Deployment" {
                    self.roll_out(path, &mut object, generation + 1);
                }
            }
            if kind == "Deployment" && object["spec"].get("replicas").is_none() {
                object["spec"]["replicas"] = json!(1);
            }
        }
        self.objects.insert(path.to_owned(), object.clone());
        let status = if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        (status, object)
    }

    fn list(&self, path: &str, plural: &str, selector: Option<&str>) -> (StatusCode, Value) {
        let prefix = format!("{path}/");
        let mut paths: Vec<&String> = self
            .objects
            .keys()
            .filter(|p| p.strip_prefix(&prefix).is_some_and(|name| !name.contains('/')))
            .collect();
        paths.sort();
        let mut kind = String::new();
        let items: Vec<Value> = paths
            .into_iter()
            .map(|p| self.objects[p].clone())
            .filter(|object| selected(object, selector))
            .map(|mut object| {
                if let Some(fields) = object.as_object_mut() {
                    kind = fields
                        .remove("kind")
                        .and_then(|k| k.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    fields.remove("apiVersion");
                }
                object
            })
            .collect();
        let kind = if kind.is_empty() { plural.to_owned() } else { kind };
        (
            StatusCode::OK,
            json!({ "kind": format!("{kind}List"), "apiVersion": "v1", "metadata": {}, "items": items }),
        )
    }

    /// Deletes the object at `path` and, as the garbage collector would, what it owns.
    fn delete(&mut self, path: &str) -> (StatusCode, Value) {
        let Some(deleted) = self.objects.remove(path) else {
            return not_found(path);
        };
        let namespace = deleted["metadata"]["namespace"].clone();
        let owned: Vec<String> = self
            .objects
            .iter()
            .filter(|(_, object)| {
                object["metadata"]["namespace"] == namespace
                    && object["metadata"]["ownerReferences"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|owner| {
                            owner["kind"] == deleted["kind"] && owner["name"] == deleted["metadata"]["name"]
                        })
            })
            .map(|(path, _)| path.clone())
            .collect();
        for path in owned {
            self.objects.remove(&path);
        }
        (StatusCode::OK, json!({ "kind": "Status", "status": "Success" }))
    }

    /// The Deployment controller's part of a new pod template: the revision annotation and a
    /// status under its own manager, and a ReplicaSet of the template; old ReplicaSets beyond the
    /// history limit go.
    fn roll_out(&mut self, path: &str, deployment: &mut Value, revision: u64) {
        deployment["metadata"]["annotations"]["deployment.kubernetes.io/revision"] =
            revision.to_string().into();
        let mut entries = deployment["metadata"]["managedFields"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        entries.retain(|entry| entry["manager"] != "kube-controller-manager");
        entries.push(json!({
            "manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:metadata": {"f:annotations": {"f:deployment.kubernetes.io/revision": {}}}},
        }));
        entries.push(json!({
            "manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
            "subresource": "status", "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {}},
        }));
        deployment["metadata"]["managedFields"] = entries.into();

        let name = deployment["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let namespace = deployment["metadata"]["namespace"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let collection = path
            .replace("/deployments/", "/replicasets/")
            .trim_end_matches(&format!("/{name}"))
            .to_owned();
        let template = deployment["spec"]["template"].clone();
        self.objects.insert(
            format!("{collection}/{name}-{revision}"),
            json!({
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {
                    "name": format!("{name}-{revision}"), "namespace": namespace,
                    "labels": template["metadata"]["labels"],
                    "annotations": {"deployment.kubernetes.io/revision": revision.to_string()},
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "controller": true}],
                },
                "spec": {"template": template},
            }),
        );
        let history = deployment["spec"]["revisionHistoryLimit"].as_u64().unwrap_or(10);
        let mut revisions: Vec<(u64, String)> = self
            .objects
            .iter()
            .filter(|(_, object)| {
                object["kind"] == "ReplicaSet"
                    && object["metadata"]["namespace"] == namespace.as_str()
                    && object["metadata"]["ownerReferences"][0]["name"] == name.as_str()
            })
            .map(|(path, object)| {
                let revision = object["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                    .as_str()
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(0);
                (revision, path.clone())
            })
            .collect();
        revisions.sort();
        let excess = revisions.len().saturating_sub(history as usize + 1);
        for (_, path) in revisions.into_iter().take(excess) {
            self.objects.remove(&path);
        }
    }

    fn get(&mut self, path: &str) -> (StatusCode, Value) {
        let Some(mut object) = self.objects.get(path).cloned() else {
            return not_found(path);
        };
        let polls = self.polls.entry(path.to_owned()).or_insert(0);
        let poll = *polls;
        *polls += 1;
        match object["kind"].as_str() {
            Some("Deployment") => {
                let generation = object["metadata"]["generation"].as_u64().unwrap_or(1);
                let stuck = self
                    .never_available
                    .contains(object["metadata"]["name"].as_str().unwrap_or_default());
                object["status"] = match (poll, stuck) {
                    (0, _) => json!({
                        "observedGeneration": generation - 1, "replicas": 1, "availableReplicas": 1
                    }),
                    (1, false) => json!({
                        "observedGeneration": generation, "replicas": 2, "updatedReplicas": 1,
                        "availableReplicas": 1
                    }),
                    (2, false) | (_, true) => json!({
                        "observedGeneration": generation, "replicas": 1, "updatedReplicas": 1,
                        "availableReplicas": 0
                    }),
                    _ => json!({
                        "observedGeneration": generation, "replicas": 1, "updatedReplicas": 1,
                        "readyReplicas": 1, "availableReplicas": 1
                    }),
                };
            }
            // The load balancer controller: the first read finds no address yet, later ones the
            // ALB's DNS name.
            Some("Ingress") if poll > 0 => {
                object["status"] = json!({
                    "loadBalancer": { "ingress": [{ "hostname": LOAD_BALANCER_HOSTNAME }] }
                });
            }
            Some("Job") => {
                object["status"] = match (poll, self.fail_jobs) {
                    (0, _) => json!({ "active": 1 }),
                    (_, false) => json!({
                        "succeeded": 1,
                        "conditions": [{ "type": "Complete", "status": "True" }]
                    }),
                    (_, true) => json!({
                        "failed": 3,
                        "conditions": [{
                            "type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                            "message": "Job has reached the specified backoff limit"
                        }]
                    }),
                };
            }
            _ => {}
        }
        (StatusCode::OK, object)
    }
}
