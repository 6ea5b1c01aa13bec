//! What a release's NetworkPolicies let through, computed from the rendered objects the way the
//! Kubernetes NetworkPolicy rules say: a packet to (or from) a pod passes when the pod is selected
//! by no policy of that direction, or when some policy selecting it has a rule whose peers and
//! ports admit the packet. Policies add up; `except` blocks and named ports are honoured as the
//! API defines them (a named port never matches a number here).
//!
//! It exists so that tests can ask the questions that matter for a deployment, per environment
//! and against that environment's Terraform outputs: does the ALB in the public subnets reach
//! every server on 8080, does every role reach Postgres in the private subnets, and does nothing
//! else get in. It only reads rendered objects; it applies nothing and knows no cluster.

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;

use anyhow::{Context, bail};
use serde_json::Value;

/// An IPv4 CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: u32,
    prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n`; the address must be the block's first one, as the API requires.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let (address, prefix) = text
            .split_once('/')
            .with_context(|| format!("{text:?} is not a CIDR block (a.b.c.d/n)"))?;
        let address: Ipv4Addr = address
            .parse()
            .with_context(|| format!("{text:?}: {address:?} is not an IPv4 address"))?;
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|prefix| *prefix <= 32)
            .with_context(|| format!("{text:?}: the prefix must be 0 to 32"))?;
        let network = u32::from(address);
        if network & !Self::mask(prefix) != 0 {
            bail!("{text:?} has host bits set: the block starts at another address");
        }
        Ok(Self { network, prefix })
    }

    fn mask(prefix: u8) -> u32 {
        if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) }
    }

    pub fn contains(&self, address: Ipv4Addr) -> bool {
        u32::from(address) & Self::mask(self.prefix) == self.network
    }

    /// The `n`-th address of the block (`cidrhost` in Terraform), for picking a host inside it.
    pub fn host(&self, n: u32) -> Ipv4Addr {
        Ipv4Addr::from(self.network.wrapping_add(n))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.network), self.prefix)
    }
}

/// Which way a packet goes, seen from the selected pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// To the pod, from `from` peers.
    Ingress,
    /// From the pod, to `to` peers.
    Egress,
}

impl Direction {
    fn policy_type(self) -> &'static str {
        match self {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        }
    }

    fn rules_field(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    fn peers_field(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }
}

/// Whether a TCP packet between the pod (namespace `namespace`, labels `labels`) and `address`
/// on `port` passes the NetworkPolicies among `objects`. The peer is an address outside the
/// cluster's pods (the ALB, RDS): only `ipBlock` peers and empty peer lists can admit it.
pub fn allows(
    objects: &[Value],
    namespace: &str,
    labels: &BTreeMap<String, String>,
    direction: Direction,
    address: Ipv4Addr,
    port: u16,
) -> anyhow::Result<bool> {
    let mut selected = false;
    for policy in objects
        .iter()
        .filter(|object| object["kind"] == "NetworkPolicy" && object["metadata"]["namespace"] == namespace)
    {
        let spec = &policy["spec"];
        if !selector_matches(&spec["podSelector"], labels)? || !has_type(spec, direction) {
            continue;
        }
        selected = true;
        for rule in spec[direction.rules_field()].as_array().into_iter().flatten() {
            if peers_admit(&rule[direction.peers_field()], address)? && ports_admit(&rule["ports"], port) {
                return Ok(true);
            }
        }
    }
    Ok(!selected)
}

/// The policy types of a policy, defaulted as the API does: Ingress always, Egress when the
/// policy has egress rules.
fn has_type(spec: &Value, direction: Direction) -> bool {
    match spec["policyTypes"].as_array() {
        Some(types) => types.iter().any(|t| t == direction.policy_type()),
        None => direction == Direction::Ingress || spec.get("egress").is_some(),
    }
}

fn peers_admit(peers: &Value, address: Ipv4Addr) -> anyhow::Result<bool> {
    let Some(peers) = peers.as_array() else {
        // No peer list: every source or destination.
        return Ok(true);
    };
    if peers.is_empty() {
        return Ok(true);
    }
    for peer in peers {
        let block = &peer["ipBlock"];
        if block.is_null() {
            continue;
        }
        let cidr = Cidr::parse(block["cidr"].as_str().unwrap_or_default())?;
        if !cidr.contains(address) {
            continue;
        }
        let mut excepted = false;
        for except in block["except"].as_array().into_iter().flatten() {
            if Cidr::parse(except.as_str().unwrap_or_default())?.contains(address) {
                excepted = true;
            }
        }
        if !excepted {
            return Ok(true);
        }
    }
    Ok(false)
}

fn ports_admit(ports: &Value, port: u16) -> bool {
    let Some(ports) = ports.as_array() else {
        return true;
    };
    ports.is_empty()
        || ports.iter().any(|entry| {
            let protocol = entry["protocol"].as_str().unwrap_or("TCP");
            let Some(first) = entry["port"].as_u64() else {
                // No port: every port of the protocol. A named port never equals a number.
                return protocol == "TCP" && entry.get("port").is_none();
            };
            let last = entry["endPort"].as_u64().unwrap_or(first);
            protocol == "TCP" && (first..=last).contains(&u64::from(port))
        })
}

/// A label selector (`matchLabels`, `matchExpressions`) against a pod's labels.
fn selector_matches(selector: &Value, labels: &BTreeMap<String, String>) -> anyhow::Result<bool> {
    for (key, value) in selector["matchLabels"].as_object().into_iter().flatten() {
        if labels.get(key).map(String::as_str) != value.as_str() {
            return Ok(false);
        }
    }
    for expression in selector["matchExpressions"].as_array().into_iter().flatten() {
        let key = expression["key"].as_str().unwrap_or_default();
        let values: Vec<&str> = expression["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let label = labels.get(key).map(String::as_str);
        let holds = match expression["operator"].as_str() {
            Some("In") => label.is_some_and(|l| values.contains(&l)),
            Some("NotIn") => !label.is_some_and(|l| values.contains(&l)),
            Some("Exists") => label.is_some(),
            Some("DoesNotExist") => label.is_none(),
            other => bail!("unknown selector operator {other:?} in {expression}"),
        };
        if !holds {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The labels of the pods of `kind`/`name` in `objects` (a workload's pod template).
pub fn pod_labels(objects: &[Value], kind: &str, name: &str) -> anyhow::Result<BTreeMap<String, String>> {
    let workload = objects
        .iter()
        .find(|object| {
            object["kind"] == kind
                && object["metadata"]["name"]
                    .as_str()
                    .is_some_and(|found| found == name || found.starts_with(&format!("{name}-")))
        })
        .with_context(|| format!("no {kind} {name} in the rendered release"))?;
    let template = match kind {
        "CronJob" => &workload["spec"]["jobTemplate"]["spec"]["template"],
        _ => &workload["spec"]["template"],
    };
    Ok(template["metadata"]["labels"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
        .collect())
}

/// Every way the release's policies fail an environment whose ALB lives in `alb_subnets` and
/// whose database lives in `database_subnets`: a server the ALB cannot reach on 8080 (traffic
/// and health checks), a role that cannot reach Postgres on 5432, or a server that admits the
/// private subnets (where other pods live) on 8080 without a policy saying so. Empty = sound.
pub fn check_environment(
    objects: &[Value],
    alb_subnets: &[Cidr],
    database_subnets: &[Cidr],
) -> anyhow::Result<Vec<String>> {
    const SERVERS: &[&str] = &["auth", "expenses", "receipts", "notifications"];
    const ONLY_THROUGH_THE_ALB: &[&str] = &["receipts", "notifications"];
    let mut problems = Vec::new();
    let mut workloads: Vec<(&str, &str)> = SERVERS.iter().map(|name| ("Deployment", *name)).collect();
    workloads.push(("Job", "migrate"));
    workloads.push(("CronJob", "monthly-summary"));
    for (kind, name) in workloads {
        let labels = pod_labels(objects, kind, name)?;
        if SERVERS.contains(&name) {
            for subnet in alb_subnets {
                let alb = subnet.host(10);
                if !allows(objects, "expense", &labels, Direction::Ingress, alb, 8080)? {
                    problems.push(format!(
                        "{name} refuses the ALB at {alb} (subnet {subnet}) on 8080: no traffic, no health check"
                    ));
                }
            }
        }
        if ONLY_THROUGH_THE_ALB.contains(&name) {
            for subnet in database_subnets {
                let pod = subnet.host(77);
                if allows(objects, "expense", &labels, Direction::Ingress, pod, 8080)? {
                    problems.push(format!(
                        "{name} admits {pod} (private subnet {subnet}) on 8080: it must be reached through the ALB only"
                    ));
                }
            }
        }
        for subnet in database_subnets {
            let database = subnet.host(20);
            if !allows(objects, "expense", &labels, Direction::Egress, database, 5432)? {
                problems.push(format!(
                    "{kind} {name} cannot reach Postgres at {database} (subnet {subnet}) on 5432"
                ));
            }
        }
        for subnet in alb_subnets {
            let elsewhere = subnet.host(30);
            if allows(objects, "expense", &labels, Direction::Egress, elsewhere, 5432)? {
                problems.push(format!(
                    "{kind} {name} may reach {elsewhere} (public subnet {subnet}) on 5432, where no database lives"
                ));
            }
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::delivery::manifests::Renderer;
    use crate::delivery::manifests::tests::{dev_outputs, outputs_for, work_dir};
    use crate::infra::Environment;

    fn cidrs(texts: &[&str]) -> Vec<Cidr> {
        texts.iter().map(|text| Cidr::parse(text).unwrap()).collect()
    }

    #[test]
    fn cidr_blocks_parse_and_contain_their_addresses() {
        let block = Cidr::parse("10.20.192.0/22").unwrap();
        assert!(block.contains("10.20.195.255".parse().unwrap()));
        assert!(!block.contains("10.20.196.0".parse().unwrap()));
        assert_eq!(block.host(10), "10.20.192.10".parse::<Ipv4Addr>().unwrap());
        assert_eq!(block.to_string(), "10.20.192.0/22");
        assert!(
            Cidr::parse("0.0.0.0/0")
                .unwrap()
                .contains("203.0.113.9".parse().unwrap())
        );
        for bad in ["10.20.192.1/22", "10.20.0.0", "10.20.0.0/33", "x/8"] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn policies_add_up_and_except_blocks_and_ports_are_honoured() {
        let policies = vec![
            json!({"kind": "NetworkPolicy", "metadata": {"namespace": "n", "name": "deny"},
                   "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}),
            json!({"kind": "NetworkPolicy", "metadata": {"namespace": "n", "name": "web"},
                   "spec": {"podSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]},
                            "policyTypes": ["Ingress"],
                            "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.9.0/24"]}}],
                                         "ports": [{"protocol": "TCP", "port": 8080}]}]}}),
        ];
        let web: BTreeMap<String, String> = [("app".to_owned(), "web".to_owned())].into();
        let other: BTreeMap<String, String> = [("app".to_owned(), "db".to_owned())].into();
        let allow = |labels: &BTreeMap<String, String>, direction, address: &str, port| {
            allows(&policies, "n", labels, direction, address.parse().unwrap(), port).unwrap()
        };
        assert!(allow(&web, Direction::Ingress, "10.0.1.1", 8080));
        assert!(!allow(&web, Direction::Ingress, "10.0.9.1", 8080), "except");
        assert!(!allow(&web, Direction::Ingress, "10.0.1.1", 8081), "port");
        assert!(
            !allow(&other, Direction::Ingress, "10.0.1.1", 8080),
            "not selected by web"
        );
        assert!(
            !allow(&web, Direction::Egress, "10.0.1.1", 443),
            "default deny egress"
        );
        assert!(
            allows(
                &policies,
                "elsewhere",
                &web,
                Direction::Egress,
                "10.0.1.1".parse().unwrap(),
                443
            )
            .unwrap(),
            "no policy selects pods of another namespace"
        );
    }

    #[test]
    fn the_dev_release_admits_its_alb_and_reaches_its_database() {
        let work = work_dir();
        let objects = Renderer::new(Environment::Dev, "123456789012", dev_outputs(), work.path())
            .render("abc")
            .unwrap();
        let problems = check_environment(
            &objects,
            &cidrs(&["10.20.192.0/22", "10.20.196.0/22", "10.20.200.0/22"]),
            &cidrs(&["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"]),
        )
        .unwrap();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn the_prod_release_admits_its_alb_and_reaches_its_database() {
        let work = work_dir();
        let outputs = outputs_for(
            "10.30",
            &["10.30.192.0/22", "10.30.196.0/22", "10.30.200.0/22"],
            &["10.30.0.0/19", "10.30.32.0/19", "10.30.64.0/19"],
        );
        let objects = Renderer::new(Environment::Prod, "123456789012", outputs, work.path())
            .render("abc")
            .unwrap();
        let problems = check_environment(
            &objects,
            &cidrs(&["10.30.192.0/22", "10.30.196.0/22", "10.30.200.0/22"]),
            &cidrs(&["10.30.0.0/19", "10.30.32.0/19", "10.30.64.0/19"]),
        )
        .unwrap();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn a_release_rendered_for_another_vpc_is_caught() {
        // dev's policies judged against prod's subnets: the ALB and Postgres are elsewhere.
        let work = work_dir();
        let objects = Renderer::new(Environment::Dev, "123456789012", dev_outputs(), work.path())
            .render("abc")
            .unwrap();
        let problems =
            check_environment(&objects, &cidrs(&["10.30.192.0/22"]), &cidrs(&["10.30.0.0/19"])).unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("auth refuses the ALB at 10.30.192.10")),
            "{problems:#?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("Job migrate cannot reach Postgres at 10.30.0.20")),
            "{problems:#?}"
        );
    }
}
