//! The few Kubernetes API calls `deploy` makes, over HTTPS with reqwest: server-side apply, get
//! and delete of single objects, and lists by label (to find what a release owns). No client
//! library and no kubectl: the API is plain REST, and a deploy needs five verbs.
//!
//! - The HTTPS client trusts only the CA it is given (the cluster CA from DescribeCluster, or
//!   the test double's), never the system roots, and sends the EKS bearer token on every call.
//! - Objects are applied with **server-side apply**: `PATCH` with
//!   `Content-Type: application/apply-patch+yaml`, `fieldManager`, `force=true`. The body is the
//!   object as JSON, which is YAML. The API server merges it field by field and remembers which
//!   manager owns which field, so a field dropped from the manifests is removed on the next
//!   apply, and fields others own (the HPA's replica count) are left alone.
//! - Kinds are mapped to their REST paths by [`RESOURCE_TYPES`], not by API discovery: every kind
//!   the manifests use is listed with its place in the apply order. An object of another kind is
//!   refused rather than guessed at.

use std::fmt;
use std::time::Duration;

use anyhow::{Context, bail};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::eks::TokenSource;

/// The field manager of everything `deploy` applies from the manifests.
pub const FIELD_MANAGER: &str = "expense-xtask";

/// When an object is applied in a deploy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Namespaces, accounts, RBAC, configuration, policies, Services, Ingresses, the log
    /// shipper: applied first, in the order of [`RESOURCE_TYPES`].
    Foundation,
    /// The migrate Job: must complete before any workload of the new image rolls.
    Migration,
    /// Deployments and CronJobs of the new image.
    Workload,
}

/// A kind of object the manifests may contain.
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceType {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// The REST resource name (`deployments`).
    pub plural: &'static str,
    pub namespaced: bool,
    pub stage: Stage,
}

const fn resource(
    api_version: &'static str,
    kind: &'static str,
    plural: &'static str,
    namespaced: bool,
    stage: Stage,
) -> ResourceType {
    ResourceType {
        api_version,
        kind,
        plural,
        namespaced,
        stage,
    }
}

/// Every kind `deploy` applies, in apply order: what others refer to comes before them
/// (namespaces before what lives in them, accounts and roles before bindings, ConfigMaps before
/// the pods that read them, the migrate Job before the Deployments).
pub const RESOURCE_TYPES: &[ResourceType] = &[
    resource("v1", "Namespace", "namespaces", false, Stage::Foundation),
    // EKS Auto Mode's own kinds (k8s/cluster): nodes and the IngressClass's parameters.
    resource(
        "eks.amazonaws.com/v1",
        "NodeClass",
        "nodeclasses",
        false,
        Stage::Foundation,
    ),
    resource(
        "karpenter.sh/v1",
        "NodePool",
        "nodepools",
        false,
        Stage::Foundation,
    ),
    resource(
        "eks.amazonaws.com/v1",
        "IngressClassParams",
        "ingressclassparams",
        false,
        Stage::Foundation,
    ),
    resource(
        "networking.k8s.io/v1",
        "IngressClass",
        "ingressclasses",
        false,
        Stage::Foundation,
    ),
    resource("v1", "ServiceAccount", "serviceaccounts", true, Stage::Foundation),
    resource(
        "rbac.authorization.k8s.io/v1",
        "ClusterRole",
        "clusterroles",
        false,
        Stage::Foundation,
    ),
    resource(
        "rbac.authorization.k8s.io/v1",
        "Role",
        "roles",
        true,
        Stage::Foundation,
    ),
    resource(
        "rbac.authorization.k8s.io/v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        false,
        Stage::Foundation,
    ),
    resource(
        "rbac.authorization.k8s.io/v1",
        "RoleBinding",
        "rolebindings",
        true,
        Stage::Foundation,
    ),
    resource("v1", "ConfigMap", "configmaps", true, Stage::Foundation),
    resource("v1", "Secret", "secrets", true, Stage::Foundation),
    resource(
        "networking.k8s.io/v1",
        "NetworkPolicy",
        "networkpolicies",
        true,
        Stage::Foundation,
    ),
    resource("v1", "Service", "services", true, Stage::Foundation),
    resource(
        "policy/v1",
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        true,
        Stage::Foundation,
    ),
    resource(
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        true,
        Stage::Foundation,
    ),
    resource(
        "networking.k8s.io/v1",
        "Ingress",
        "ingresses",
        true,
        Stage::Foundation,
    ),
    resource("apps/v1", "DaemonSet", "daemonsets", true, Stage::Foundation),
    resource("batch/v1", "Job", "jobs", true, Stage::Migration),
    resource("apps/v1", "Deployment", "deployments", true, Stage::Workload),
    resource("batch/v1", "CronJob", "cronjobs", true, Stage::Workload),
];

/// ReplicaSets, which deploy only reads (to learn which ConfigMaps a rollback may still need);
/// never in a manifest, so not in [`RESOURCE_TYPES`].
pub const REPLICA_SETS: ResourceType =
    resource("apps/v1", "ReplicaSet", "replicasets", true, Stage::Workload);

impl ResourceType {
    /// The API group (`apps`; empty for the core group `v1`).
    pub fn group(&self) -> &'static str {
        self.api_version.rsplit_once('/').map_or("", |(group, _)| group)
    }

    /// `Kind.group` as ApplySets name kinds (`Deployment.apps`; `ConfigMap` for the core group).
    pub fn group_kind(&self) -> String {
        match self.group() {
            "" => self.kind.to_owned(),
            group => format!("{}.{group}", self.kind),
        }
    }

    /// The REST path of the collection, in `namespace` for a namespaced kind.
    pub fn collection_path(&self, namespace: Option<&str>) -> String {
        let group_version = if self.api_version.contains('/') {
            format!("/apis/{}", self.api_version)
        } else {
            format!("/api/{}", self.api_version)
        };
        match namespace.filter(|_| self.namespaced) {
            Some(namespace) => format!("{group_version}/namespaces/{namespace}/{}", self.plural),
            None => format!("{group_version}/{}", self.plural),
        }
    }
}

/// The position of `resource` in [`RESOURCE_TYPES`]: the apply order.
pub fn apply_rank(resource: &ResourceType) -> usize {
    RESOURCE_TYPES
        .iter()
        .position(|known| known == resource)
        .expect("every ResourceType comes from RESOURCE_TYPES")
}

/// One object on the API server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    pub resource: &'static ResourceType,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    /// The reference of a manifest; fails for a kind not in [`RESOURCE_TYPES`] or a namespaced
    /// object without a namespace.
    pub fn of(object: &Value) -> anyhow::Result<Self> {
        let api_version = object["apiVersion"].as_str().unwrap_or_default();
        let kind = object["kind"].as_str().unwrap_or_default();
        let name = object["metadata"]["name"]
            .as_str()
            .with_context(|| format!("a {kind} without metadata.name"))?;
        let resource = RESOURCE_TYPES
            .iter()
            .find(|known| known.api_version == api_version && known.kind == kind)
            .with_context(|| {
                format!(
                    "{kind} {name} ({api_version}): deploy does not know this kind; add it to \
                     RESOURCE_TYPES in xtask/src/delivery/kube.rs with its place in the apply order"
                )
            })?;
        let namespace = object["metadata"]["namespace"].as_str().map(str::to_owned);
        if resource.namespaced && namespace.is_none() {
            bail!("{kind} {name} has no namespace (the overlays set one on every object)");
        }
        Ok(Self {
            resource,
            namespace: if resource.namespaced { namespace } else { None },
            name: name.to_owned(),
        })
    }

    /// A reference by parts, for objects read back (the namespace of a release, a Deployment).
    pub fn new(api_version: &str, kind: &str, namespace: Option<&str>, name: &str) -> anyhow::Result<Self> {
        let mut metadata = serde_json::json!({ "name": name });
        if let Some(namespace) = namespace {
            metadata["namespace"] = namespace.into();
        }
        Self::of(&serde_json::json!({ "apiVersion": api_version, "kind": kind, "metadata": metadata }))
    }

    /// The object's REST path, e.g. `/apis/apps/v1/namespaces/expense/deployments/auth`.
    pub fn path(&self) -> String {
        format!(
            "{}/{}",
            self.resource.collection_path(self.namespace.as_deref()),
            self.name
        )
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.resource.kind.to_ascii_lowercase();
        match &self.namespace {
            Some(namespace) => write!(f, "{kind} {namespace}/{}", self.name),
            None => write!(f, "{kind} {}", self.name),
        }
    }
}

/// A Kubernetes API server, reached over HTTPS with a bearer token.
#[derive(Debug)]
pub struct KubeApi {
    /// `https://host[:port]`, no trailing slash.
    base: String,
    http: reqwest::Client,
    tokens: TokenSource,
}

impl KubeApi {
    /// A client of the API at `endpoint` that trusts only the certificates in `ca_pem`.
    pub fn new(endpoint: &str, ca_pem: &[u8], tokens: TokenSource) -> anyhow::Result<Self> {
        if !endpoint.starts_with("https://") {
            bail!("the Kubernetes API endpoint must be https://, got {endpoint}");
        }
        let roots = reqwest::Certificate::from_pem_bundle(ca_pem)
            .context("the cluster CA is not a PEM certificate")?;
        if roots.is_empty() {
            bail!("the cluster CA holds no certificate");
        }
        let http = reqwest::Client::builder()
            .tls_certs_only(roots)
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .context("cannot build the HTTPS client")?;
        Ok(Self {
            base: endpoint.trim_end_matches('/').to_owned(),
            http,
            tokens,
        })
    }

    /// Sends one request; `Ok(None)` for 404, the JSON answer otherwise, a readable error for
    /// any other failure.
    async fn send(
        &self,
        method: Method,
        object: &ObjectRef,
        query: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
    ) -> anyhow::Result<Option<Value>> {
        self.send_to(method, &object.path(), &object.to_string(), query, body)
            .await
    }

    /// [`Self::send`] to any path of the API; `object` names what is there in errors.
    async fn send_to(
        &self,
        method: Method,
        path: &str,
        object: &str,
        query: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
    ) -> anyhow::Result<Option<Value>> {
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.base))
            .with_context(|| format!("{object}: not a valid URL under {}", self.base))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut request = self
            .http
            .request(method.clone(), url)
            .bearer_auth(self.tokens.token().await?)
            .header("Accept", "application/json");
        if let Some((content_type, bytes)) = body {
            request = request.header("Content-Type", content_type).body(bytes);
        }
        let response = request.send().await.with_context(|| {
            format!(
                "{method} {object}: cannot reach the Kubernetes API at {}",
                self.base
            )
        })?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            let message = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|status| status["message"].as_str().map(str::to_owned))
                .unwrap_or(text);
            let hint = match status {
                StatusCode::UNAUTHORIZED => {
                    " (the cluster refused the token: are these AWS credentials granted access to \
                     the cluster, e.g. through eks_admin_principal_arns?)"
                }
                StatusCode::FORBIDDEN => " (the identity lacks a Kubernetes permission)",
                _ => "",
            };
            bail!("{method} {object}: {status}: {message}{hint}");
        }
        let value = serde_json::from_str(&text)
            .with_context(|| format!("{method} {object}: the answer is not JSON: {text}"))?;
        Ok(Some(value))
    }

    /// Server-side apply of `object` as `field_manager`, taking over conflicting fields
    /// (`force=true`); returns the object as the server now holds it.
    pub async fn apply(&self, object: &Value, field_manager: &str) -> anyhow::Result<Value> {
        let reference = ObjectRef::of(object)?;
        let body = serde_json::to_vec(object)?;
        self.send(
            Method::PATCH,
            &reference,
            &[("fieldManager", field_manager), ("force", "true")],
            Some(("application/apply-patch+yaml", body)),
        )
        .await?
        .with_context(|| format!("apply {reference}: the API answered 404 (is its namespace there?)"))
    }

    /// The object, or `None` when it does not exist.
    pub async fn get(&self, object: &ObjectRef) -> anyhow::Result<Option<Value>> {
        self.send(Method::GET, object, &[], None).await
    }

    /// The objects of `resource` (in `namespace`, for a namespaced kind) whose labels match
    /// `label_selector` (`key=value[,key=value]`), each with its `apiVersion` and `kind` (which a
    /// list's items lack on the wire).
    pub async fn list(
        &self,
        resource: &ResourceType,
        namespace: Option<&str>,
        label_selector: &str,
    ) -> anyhow::Result<Vec<Value>> {
        let path = resource.collection_path(namespace);
        let what = match namespace {
            Some(namespace) => format!("{} in {namespace}", resource.plural),
            None => resource.plural.to_owned(),
        };
        let mut query = vec![("limit", "500")];
        if !label_selector.is_empty() {
            query.push(("labelSelector", label_selector));
        }
        let Some(list) = self.send_to(Method::GET, &path, &what, &query, None).await? else {
            // The kind is not served (an Auto Mode kind on a cluster without it): nothing to find.
            return Ok(Vec::new());
        };
        if list["metadata"]["continue"]
            .as_str()
            .is_some_and(|c| !c.is_empty())
        {
            bail!("list {what}: more than 500 objects match {label_selector}; not supported");
        }
        Ok(list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|item| {
                let mut item = item.clone();
                item["apiVersion"] = resource.api_version.into();
                item["kind"] = resource.kind.into();
                item
            })
            .collect())
    }

    /// Deletes the object and what it owns (in the background); `false` when it did not exist.
    pub async fn delete(&self, object: &ObjectRef) -> anyhow::Result<bool> {
        let deleted = self
            .send(
                Method::DELETE,
                object,
                &[("propagationPolicy", "Background")],
                None,
            )
            .await?;
        Ok(deleted.is_some())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn paths_follow_the_core_and_group_api_layout() {
        let deployment = ObjectRef::of(&json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "auth", "namespace": "expense"}
        }))
        .unwrap();
        assert_eq!(
            deployment.path(),
            "/apis/apps/v1/namespaces/expense/deployments/auth"
        );
        assert_eq!(deployment.to_string(), "deployment expense/auth");

        let namespace = ObjectRef::new("v1", "Namespace", None, "expense").unwrap();
        assert_eq!(namespace.path(), "/api/v1/namespaces/expense");

        let binding = ObjectRef::of(&json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": {"name": "fluent-bit", "namespace": "ignored"}
        }))
        .unwrap();
        assert_eq!(
            binding.path(),
            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/fluent-bit"
        );
    }

    #[test]
    fn unknown_kinds_and_namespaceless_objects_are_refused() {
        let unknown = ObjectRef::of(&json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "db", "namespace": "expense"}
        }))
        .unwrap_err()
        .to_string();
        assert!(unknown.contains("RESOURCE_TYPES"), "{unknown}");
        assert!(
            ObjectRef::of(&json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}))
                .is_err()
        );
    }

    #[test]
    fn the_apply_order_puts_what_is_referred_to_first() {
        let rank = |kind: &str| {
            apply_rank(
                RESOURCE_TYPES
                    .iter()
                    .find(|resource| resource.kind == kind)
                    .unwrap(),
            )
        };
        assert!(rank("Namespace") < rank("ServiceAccount"));
        assert!(rank("ClusterRole") < rank("ClusterRoleBinding"));
        assert!(rank("ConfigMap") < rank("Job"));
        assert!(rank("Job") < rank("Deployment"));
        let stages: Vec<Stage> = RESOURCE_TYPES.iter().map(|resource| resource.stage).collect();
        assert!(stages.is_sorted(), "stages follow the apply order");
    }
}
