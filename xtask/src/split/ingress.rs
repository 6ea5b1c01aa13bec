//! The ALB's path routing, read from `k8s/base/ingress.yaml`, so the local front door of
//! `cargo xtask up --split` routes exactly as the load balancer on EKS does and cannot drift
//! from it.
//!
//! The AWS Load Balancer Controller turns the Ingresses of one IngressGroup into listener rules:
//! Ingresses by `alb.ingress.kubernetes.io/group.order` (smaller first), and inside one Ingress
//! its `Exact` paths, then its `Prefix` paths (longest first), then its `ImplementationSpecific`
//! paths as written, which are ALB path patterns (`*` any characters, `/` included; `?` one).
//! The first rule that matches wins; no match is the listener's default answer, a 404.
//!
//! Only Ingress documents are read, and only their paths and backend Services: anything else in
//! a path it does not understand (another pathType, a backend that is no Service) is an error,
//! never a silent guess.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use serde::Deserialize;

/// How a rule's path matches a request path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PathKind {
    /// The whole path, as written.
    Exact,
    /// The path or anything under it, element by element (`/v1/auth` matches `/v1/auth/login`,
    /// not `/v1/authors`).
    Prefix,
    /// An ALB path pattern over the whole path.
    ImplementationSpecific,
}

/// One listener rule: a path and the Kubernetes Service that answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The Ingress the rule comes from.
    pub ingress: String,
    /// Its IngressGroup order.
    pub group_order: i64,
    pub path: String,
    pub kind: PathKind,
    /// The backend Service's name (`auth`, `expenses`, ...), which is also the role's name.
    pub service: String,
}

impl Route {
    /// Whether this rule matches a request path (no query string).
    pub fn matches(&self, request_path: &str) -> bool {
        match self.kind {
            PathKind::Exact => request_path == self.path,
            PathKind::Prefix => {
                let prefix = self.path.trim_end_matches('/');
                prefix.is_empty()
                    || request_path == prefix
                    || request_path
                        .strip_prefix(prefix)
                        .is_some_and(|rest| rest.starts_with('/'))
            }
            PathKind::ImplementationSpecific => pattern_matches(&self.path, request_path),
        }
    }
}

/// The rules in the order the ALB evaluates them.
#[derive(Debug, Clone)]
pub struct RouteTable {
    routes: Vec<Route>,
}

impl RouteTable {
    /// Reads every Ingress of a manifest file and orders its rules as the ALB does.
    pub fn parse(yaml: &str) -> anyhow::Result<Self> {
        let mut routes = Vec::new();
        for (index, document) in serde_norway::Deserializer::from_str(yaml).enumerate() {
            let value = serde_norway::Value::deserialize(document)
                .with_context(|| format!("YAML document {} of the ingress file", index + 1))?;
            if value.get("kind").and_then(serde_norway::Value::as_str) != Some("Ingress") {
                continue;
            }
            let ingress: Ingress = serde_norway::from_value(value)
                .with_context(|| format!("YAML document {} is not an Ingress as expected", index + 1))?;
            routes.extend(ingress.routes()?);
        }
        if routes.is_empty() {
            bail!("the ingress file has no paths");
        }
        // A stable sort: ImplementationSpecific paths keep their written order.
        routes.sort_by(|a, b| {
            (a.group_order, &a.ingress, a.kind)
                .cmp(&(b.group_order, &b.ingress, b.kind))
                .then_with(|| match a.kind {
                    PathKind::Prefix => b.path.len().cmp(&a.path.len()),
                    _ => std::cmp::Ordering::Equal,
                })
        });
        Ok(Self { routes })
    }

    #[cfg(test)]
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The Service answering `request_path`, or `None` (the ALB's default 404).
    pub fn service_for(&self, request_path: &str) -> Option<&str> {
        self.routes
            .iter()
            .find(|route| route.matches(request_path))
            .map(|route| route.service.as_str())
    }

    /// Every Service named, once, in rule order.
    pub fn services(&self) -> Vec<&str> {
        let mut services: Vec<&str> = Vec::new();
        for route in &self.routes {
            if !services.contains(&route.service.as_str()) {
                services.push(&route.service);
            }
        }
        services
    }
}

/// The part of an Ingress the ALB's path routing depends on.
#[derive(Debug, Deserialize)]
struct Ingress {
    metadata: Metadata,
    spec: IngressSpec,
}

#[derive(Debug, Deserialize)]
struct Metadata {
    name: String,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct IngressSpec {
    #[serde(default)]
    rules: Vec<IngressRule>,
}

#[derive(Debug, Deserialize)]
struct IngressRule {
    http: Option<HttpRule>,
}

#[derive(Debug, Deserialize)]
struct HttpRule {
    paths: Vec<HttpPath>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HttpPath {
    path: String,
    path_type: String,
    backend: Backend,
}

#[derive(Debug, Deserialize)]
struct Backend {
    service: Option<ServiceBackend>,
}

#[derive(Debug, Deserialize)]
struct ServiceBackend {
    name: String,
}

impl Ingress {
    fn routes(self) -> anyhow::Result<Vec<Route>> {
        let name = self.metadata.name;
        let group_order = match self
            .metadata
            .annotations
            .get("alb.ingress.kubernetes.io/group.order")
        {
            Some(order) => order
                .parse::<i64>()
                .with_context(|| format!("Ingress {name}: group.order {order} is not a number"))?,
            None => 0,
        };
        let mut routes = Vec::new();
        for path in self
            .spec
            .rules
            .into_iter()
            .filter_map(|rule| rule.http)
            .flat_map(|http| http.paths)
        {
            let kind =
                path_kind(&path.path_type).with_context(|| format!("Ingress {name}, path {}", path.path))?;
            let service = path
                .backend
                .service
                .with_context(|| format!("Ingress {name}, path {}: the backend is no Service", path.path))?;
            if !path.path.starts_with('/') {
                bail!("Ingress {name}: path {} does not start with /", path.path);
            }
            routes.push(Route {
                ingress: name.clone(),
                group_order,
                path: path.path,
                kind,
                service: service.name,
            });
        }
        Ok(routes)
    }
}

fn path_kind(value: &str) -> anyhow::Result<PathKind> {
    match value {
        "Exact" => Ok(PathKind::Exact),
        "Prefix" => Ok(PathKind::Prefix),
        "ImplementationSpecific" => Ok(PathKind::ImplementationSpecific),
        other => bail!("unknown pathType {other}"),
    }
}

/// An ALB path pattern against a whole path: `*` is any run of characters (`/` included), `?`
/// exactly one, everything else itself (case-sensitive).
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.as_bytes();
    let path = path.as_bytes();
    let (mut p, mut s) = (0, 0);
    // Where the last `*` was, and how much of the path it has swallowed so far.
    let mut star: Option<(usize, usize)> = None;
    while s < path.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == path[s]) {
            p += 1;
            s += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, s));
            p += 1;
        } else if let Some((star_p, star_s)) = star {
            p = star_p + 1;
            s = star_s + 1;
            star = Some((star_p, star_s + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> RouteTable {
        let file = crate::project::root().join("k8s/base/ingress.yaml");
        RouteTable::parse(&std::fs::read_to_string(file).unwrap()).unwrap()
    }

    /// One `check(path, service)` per case, against the committed ingress file.
    fn check(path: &str, expected: Option<&str>) {
        assert_eq!(table().service_for(path), expected, "{path}");
    }

    #[test]
    fn the_committed_ingress_routes_every_api_path_to_its_service() {
        check("/v1/auth/login", Some("auth"));
        check("/v1/auth", Some("auth"));
        check("/.well-known/jwks.json", Some("auth"));
        check("/v1/me", Some("auth"));
        check("/v1/admin/users", Some("auth"));
        check("/v1/expenses", Some("expenses"));
        check(
            "/v1/expenses/0190a8c0-0000-7000-8000-000000000000",
            Some("expenses"),
        );
        check("/v1/expenses/batch", Some("expenses"));
        check("/v1/summary", Some("expenses"));
        check("/v1/budgets/groceries", Some("expenses"));
        check("/v1/categories/food/rename", Some("expenses"));
        check("/v1/receipts/abc/complete", Some("receipts"));
        check("/v1/notifications/settings", Some("notifications"));
        check("/v1/webhooks/abc/deliveries", Some("notifications"));
    }

    #[test]
    fn receipts_under_an_expense_go_to_receipts_before_the_expenses_prefix() {
        check(
            "/v1/expenses/0190a8c0-0000-7000-8000-000000000000/receipts",
            Some("receipts"),
        );
        check("/v1/expenses/abc/receipts/def", Some("receipts"));
        check("/v1/expenses/abc/receiptsx", Some("expenses"));
        let table = table();
        let first = &table.routes()[0];
        assert_eq!(first.ingress, "expense-receipts-of-expense");
        assert_eq!(first.group_order, 10);
    }

    #[test]
    fn paths_the_alb_does_not_route_have_no_service() {
        check("/healthz", None);
        check("/metrics", None);
        check("/openapi.json", None);
        check("/v1/authors", None);
        check("/", None);
    }

    #[test]
    fn every_role_is_behind_the_ingress() {
        let table = table();
        let mut services = table.services();
        services.sort_unstable();
        assert_eq!(services, ["auth", "expenses", "notifications", "receipts"]);
    }

    #[test]
    fn rules_are_ordered_by_group_then_exact_prefix_longest_first_then_patterns() {
        let yaml = r#"
kind: Ingress
metadata:
  name: main
  annotations:
    alb.ingress.kubernetes.io/group.order: "20"
spec:
  rules:
    - http:
        paths:
          - path: /a/*/c
            pathType: ImplementationSpecific
            backend:
              service:
                port:
                  name: http
                name: three
          - path: /a
            pathType: Prefix
            backend:
              service: {name: one, port: {name: http}}
          - path: /a/b
            pathType: Prefix
            backend:
              service:
                name: two # the longer prefix
                port:
                  number: 80
          - path: /x
            pathType: Exact
            backend:
              service:
                name: zero
---
# a comment-only document
---
kind: Service
metadata:
  name: not-routing
---
kind: Ingress
metadata:
  labels:
    app: x
  name: early
  annotations:
    alb.ingress.kubernetes.io/group.order: '5'
spec:
  rules:
    - http:
        paths:
          - path: /z
            pathType: Prefix
            backend:
              service:
                name: first
"#;
        let table = RouteTable::parse(yaml).unwrap();
        let order: Vec<(&str, &str)> = table
            .routes()
            .iter()
            .map(|r| (r.path.as_str(), r.service.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("/z", "first"),
                ("/x", "zero"),
                ("/a/b", "two"),
                ("/a", "one"),
                ("/a/*/c", "three")
            ]
        );
        assert_eq!(table.service_for("/a/b/c"), Some("two"));
        assert_eq!(table.service_for("/a/q/c"), Some("one"));
        assert_eq!(table.service_for("/x/y"), None);
    }

    #[test]
    fn a_path_without_a_type_or_service_is_an_error() {
        let ingress = |path: &str| {
            format!(
                "kind: Ingress\nmetadata:\n  name: a\nspec:\n  rules:\n    - http:\n        paths:\n{path}"
            )
        };
        let good = "          - path: /a\n            pathType: Prefix\n            backend:\n              service:\n                name: s\n";
        assert!(RouteTable::parse(&ingress(good)).is_ok());
        let no_type =
            "          - path: /a\n            backend:\n              service:\n                name: s\n";
        assert!(RouteTable::parse(&ingress(no_type)).is_err());
        let no_service = "          - path: /a\n            pathType: Prefix\n            backend:\n              resource:\n                name: s\n";
        assert!(RouteTable::parse(&ingress(no_service)).is_err());
        let odd_type = good.replace("Prefix", "Regex");
        assert!(RouteTable::parse(&ingress(&odd_type)).is_err());
        assert!(RouteTable::parse("kind: Service\nmetadata:\n  name: a\n").is_err());
    }

    #[test]
    fn alb_path_patterns() {
        assert!(pattern_matches(
            "/v1/expenses/*/receipts",
            "/v1/expenses/1/receipts"
        ));
        assert!(pattern_matches(
            "/v1/expenses/*/receipts",
            "/v1/expenses/1/2/receipts"
        ));
        assert!(!pattern_matches(
            "/v1/expenses/*/receipts",
            "/v1/expenses/1/receipts/2"
        ));
        assert!(pattern_matches(
            "/v1/expenses/*/receipts/*",
            "/v1/expenses/1/receipts/2"
        ));
        assert!(pattern_matches("/a?c", "/abc"));
        assert!(!pattern_matches("/a?c", "/ac"));
        assert!(pattern_matches("*", ""));
        assert!(!pattern_matches("/A", "/a"));
    }
}
