//! What a release owns, and removing what a new release no longer holds, so that an object
//! deleted from `k8s/` leaves the cluster with the next deploy, and nothing else ever does.
//!
//! Ownership follows Kubernetes' ApplySet convention (KEP-3659), as `kubectl apply --prune
//! --applyset` records it:
//!
//! - the **parent** is the ConfigMap [`PARENT_NAME`] in the release's namespace, labelled
//!   `applyset.kubernetes.io/id: applyset-<base64url(sha256(<name>.<namespace>.ConfigMap.))>-v1`,
//!   with the annotations `applyset.kubernetes.io/tooling` ([`TOOLING`]),
//!   `…/contains-group-kinds` (every kind the set may hold, `Deployment.apps,Service,…`) and
//!   `…/additional-namespaces` (the namespaces besides its own);
//! - every object deploy applies carries the label `applyset.kubernetes.io/part-of: <that id>`.
//!
//! A deploy first widens the parent to the kinds and namespaces of both the last release and this
//! one (so an interrupted deploy still knows where to look), applies, and only after every
//! rollout has finished prunes: it lists, per recorded kind and namespace, the objects carrying
//! the label, and for each that the new release does not hold:
//!
//! - **deletes** it, when deploy's field managers are the only ones that own anything of it
//!   outside `metadata` (controllers that only write status or scale subresources, or only
//!   annotate, as the Deployment controller does with its revision, do not count);
//! - **releases** it instead, when another manager owns fields of it too (the EKS-owned
//!   ConfigMap `kube-system/amazon-vpc-cni`, where deploy sets one key): deploy applies an empty
//!   object under its field manager, so the server removes exactly the fields only deploy owned,
//!   its label included, and the object stays with its other owner;
//! - **keeps** a Namespace (deleting one deletes everything in it, including what others put
//!   there; remove it by hand), and a ConfigMap that a ReplicaSet still references (the ReplicaSet
//!   a `kubectl rollout undo` returns to needs it; it goes with the ReplicaSet, once the Deployment's
//!   history drops it).
//!
//! Objects without the label are never listed, so never touched, whoever made them. Then the
//! parent is narrowed to this release's kinds and namespaces. A failed deploy prunes nothing.

use std::collections::BTreeSet;

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::deploy::RELEASE_FIELD_MANAGER;
use super::kube::{FIELD_MANAGER, KubeApi, ObjectRef, REPLICA_SETS, RESOURCE_TYPES, ResourceType};

/// The ConfigMap that records the release's ApplySet.
pub const PARENT_NAME: &str = "expense-applyset";

/// The label that makes an object a member of the set.
pub const PART_OF_LABEL: &str = "applyset.kubernetes.io/part-of";

/// The parent's label holding the set's id.
pub const ID_LABEL: &str = "applyset.kubernetes.io/id";

/// The parent's annotation naming the tool that manages the set.
pub const TOOLING_ANNOTATION: &str = "applyset.kubernetes.io/tooling";

/// The parent's annotation listing the kinds the set may hold.
pub const GROUP_KINDS_ANNOTATION: &str = "applyset.kubernetes.io/contains-group-kinds";

/// The parent's annotation listing the namespaces, besides its own, the set may reach into.
pub const NAMESPACES_ANNOTATION: &str = "applyset.kubernetes.io/additional-namespaces";

/// What [`TOOLING_ANNOTATION`] says: a set another tool manages is refused, and kubectl refuses
/// this one.
pub const TOOLING: &str = "expense-xtask/v1";

/// The id of the ApplySet whose parent is `<kind>.<group>` `namespace/name`, as kubectl computes it.
pub fn applyset_id(name: &str, namespace: &str, kind: &str, group: &str) -> String {
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("{name}.{namespace}.{kind}.{group}").as_bytes(),
    );
    format!("applyset-{}-v1", URL_SAFE_NO_PAD.encode(digest.as_ref()))
}

/// One release's ApplySet.
#[derive(Debug, Clone)]
pub struct ApplySet {
    /// The parent's namespace (the release's).
    pub namespace: String,
    pub id: String,
}

/// The kinds and namespaces a set records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// `Kind.group` of each kind.
    pub group_kinds: BTreeSet<String>,
    /// Every namespace the set reaches into, the parent's own included.
    pub namespaces: BTreeSet<String>,
}

impl Scope {
    /// The kinds and namespaces of `objects`, plus the parent's namespace.
    pub fn of(objects: &[(ObjectRef, Value)], parent_namespace: &str) -> Self {
        let mut scope = Self::default();
        scope.namespaces.insert(parent_namespace.to_owned());
        for (reference, _) in objects {
            scope.group_kinds.insert(reference.resource.group_kind());
            scope.namespaces.extend(reference.namespace.clone());
        }
        scope
    }

    /// Both scopes together.
    pub fn union(&self, other: &Self) -> Self {
        Self {
            group_kinds: self.group_kinds.union(&other.group_kinds).cloned().collect(),
            namespaces: self.namespaces.union(&other.namespaces).cloned().collect(),
        }
    }
}

/// What a prune did, one line per object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pruned {
    /// `deleted configmap expense/old`.
    pub deleted: Vec<String>,
    /// Objects others own too: deploy's fields removed, the object left.
    pub released: Vec<String>,
    /// Objects left in place, and why.
    pub kept: Vec<String>,
}

impl ApplySet {
    /// The set of the release in `namespace`.
    pub fn new(namespace: &str) -> Self {
        Self {
            namespace: namespace.to_owned(),
            id: applyset_id(PARENT_NAME, namespace, "ConfigMap", ""),
        }
    }

    /// The parent ConfigMap's reference.
    pub fn parent_ref(&self) -> ObjectRef {
        ObjectRef::new("v1", "ConfigMap", Some(&self.namespace), PARENT_NAME).expect("a ConfigMap is known")
    }

    /// `object` with the membership label.
    pub fn label(&self, object: &Value) -> Value {
        let mut object = object.clone();
        object["metadata"]["labels"][PART_OF_LABEL] = self.id.clone().into();
        object
    }

    /// The label selector of the members.
    pub fn selector(&self) -> String {
        format!("{PART_OF_LABEL}={}", self.id)
    }

    /// The scope the live parent records (empty when there is none yet); fails when another tool
    /// manages a set of this name.
    pub async fn recorded(&self, kube: &KubeApi) -> anyhow::Result<Scope> {
        let Some(parent) = kube.get(&self.parent_ref()).await? else {
            return Ok(Scope::default());
        };
        let annotations = &parent["metadata"]["annotations"];
        match annotations[TOOLING_ANNOTATION].as_str() {
            Some(TOOLING) | None => {}
            Some(other) => bail!(
                "{} is the ApplySet parent of {other}, not of {TOOLING}: deploy will not prune a set \
                 another tool manages",
                self.parent_ref()
            ),
        }
        let split = |key: &str| -> BTreeSet<String> {
            annotations[key]
                .as_str()
                .unwrap_or_default()
                .split(',')
                .filter(|part| !part.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut namespaces = split(NAMESPACES_ANNOTATION);
        namespaces.insert(self.namespace.clone());
        Ok(Scope {
            group_kinds: split(GROUP_KINDS_ANNOTATION),
            namespaces,
        })
    }

    /// Records `scope` on the parent (server-side apply under the release's own field manager,
    /// as the release annotations on the namespace).
    pub async fn record(&self, kube: &KubeApi, scope: &Scope) -> anyhow::Result<()> {
        let additional: Vec<&str> = scope
            .namespaces
            .iter()
            .map(String::as_str)
            .filter(|namespace| *namespace != self.namespace)
            .collect();
        let group_kinds: Vec<&str> = scope.group_kinds.iter().map(String::as_str).collect();
        let parent = json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": PARENT_NAME,
                "namespace": self.namespace,
                "labels": { ID_LABEL: self.id },
                "annotations": {
                    TOOLING_ANNOTATION: TOOLING,
                    GROUP_KINDS_ANNOTATION: group_kinds.join(","),
                    NAMESPACES_ANNOTATION: additional.join(","),
                },
            },
        });
        kube.apply(&parent, RELEASE_FIELD_MANAGER)
            .await
            .with_context(|| format!("cannot record the release's ApplySet on {}", self.parent_ref()))?;
        Ok(())
    }

    /// Deletes (or releases) every member in `scope` that `current` does not hold, as the module
    /// doc says.
    pub async fn prune(
        &self,
        kube: &KubeApi,
        scope: &Scope,
        current: &[(ObjectRef, Value)],
    ) -> anyhow::Result<Pruned> {
        let holds = |reference: &ObjectRef| current.iter().any(|(held, _)| held == reference);
        let mut pruned = Pruned::default();
        let mut referenced: Option<BTreeSet<(String, String)>> = None;
        for group_kind in &scope.group_kinds {
            let Some(resource) = RESOURCE_TYPES.iter().find(|r| r.group_kind() == *group_kind) else {
                pruned.kept.push(format!(
                    "objects of kind {group_kind}: deploy does not know this kind, so it does not look for them"
                ));
                continue;
            };
            let namespaces: Vec<Option<&str>> = if resource.namespaced {
                scope.namespaces.iter().map(|n| Some(n.as_str())).collect()
            } else {
                vec![None]
            };
            for namespace in namespaces {
                for live in kube.list(resource, namespace, &self.selector()).await? {
                    let reference = ObjectRef::of(&live)?;
                    if holds(&reference) {
                        continue;
                    }
                    if resource.kind == "Namespace" {
                        pruned.kept.push(format!(
                            "{reference}: no longer in the release, but a namespace is never deleted by \
                             deploy (it would take everything in it); delete it by hand"
                        ));
                        continue;
                    }
                    if resource.kind == "ConfigMap" {
                        if referenced.is_none() {
                            referenced = Some(configmaps_in_use(kube, &scope.namespaces).await?);
                        }
                        let key = (
                            reference.namespace.clone().unwrap_or_default(),
                            reference.name.clone(),
                        );
                        if referenced.as_ref().is_some_and(|r| r.contains(&key)) {
                            pruned.kept.push(format!(
                                "{reference}: a ReplicaSet still references it (a rollback may need it)"
                            ));
                            continue;
                        }
                    }
                    let others = other_owners(&live);
                    if others.is_empty() {
                        kube.delete(&reference).await?;
                        pruned.deleted.push(reference.to_string());
                    } else {
                        release(kube, resource, &reference).await?;
                        pruned.released.push(format!(
                            "{reference} (also managed by {}): deploy's fields removed, the object left",
                            others.join(", ")
                        ));
                    }
                }
            }
        }
        Ok(pruned)
    }
}

/// The field managers other than deploy's that own fields of `live` outside `metadata`, in its
/// main resource (not a status or scale subresource). An entry whose fields are not shown counts
/// as owning something.
pub fn other_owners(live: &Value) -> Vec<String> {
    let mut others: Vec<String> = live["metadata"]["managedFields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|entry| {
            let manager = entry["manager"].as_str().unwrap_or_default();
            manager != FIELD_MANAGER
                && manager != RELEASE_FIELD_MANAGER
                && entry["subresource"].as_str().is_none_or(str::is_empty)
                && entry["fieldsV1"]
                    .as_object()
                    .is_none_or(|fields| fields.keys().any(|field| field != "f:metadata"))
        })
        .filter_map(|entry| entry["manager"].as_str().map(str::to_owned))
        .collect();
    others.sort();
    others.dedup();
    others
}

/// Gives up deploy's fields of an object others own too: an apply of the bare object under
/// deploy's field manager, after which the server removes what only deploy owned.
async fn release(kube: &KubeApi, resource: &ResourceType, reference: &ObjectRef) -> anyhow::Result<()> {
    let mut metadata = json!({ "name": reference.name });
    if let Some(namespace) = &reference.namespace {
        metadata["namespace"] = namespace.clone().into();
    }
    let bare = json!({ "apiVersion": resource.api_version, "kind": resource.kind, "metadata": metadata });
    kube.apply(&bare, FIELD_MANAGER)
        .await
        .with_context(|| format!("cannot give up deploy's fields of {reference}"))?;
    Ok(())
}

/// (namespace, name) of every ConfigMap a ReplicaSet in `namespaces` references, through
/// `envFrom`, `env[].valueFrom` or a volume.
async fn configmaps_in_use(
    kube: &KubeApi,
    namespaces: &BTreeSet<String>,
) -> anyhow::Result<BTreeSet<(String, String)>> {
    let mut used = BTreeSet::new();
    for namespace in namespaces {
        for replica_set in kube.list(&REPLICA_SETS, Some(namespace), "").await? {
            for name in configmap_references(&replica_set["spec"]["template"]["spec"]) {
                used.insert((namespace.clone(), name));
            }
        }
    }
    Ok(used)
}

/// The ConfigMaps a pod spec refers to.
pub fn configmap_references(pod: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let containers = ["initContainers", "containers"]
        .iter()
        .flat_map(|key| pod[key].as_array().into_iter().flatten());
    for container in containers {
        for source in container["envFrom"].as_array().into_iter().flatten() {
            names.extend(source["configMapRef"]["name"].as_str().map(str::to_owned));
        }
        for variable in container["env"].as_array().into_iter().flatten() {
            names.extend(
                variable["valueFrom"]["configMapKeyRef"]["name"]
                    .as_str()
                    .map(str::to_owned),
            );
        }
    }
    for volume in pod["volumes"].as_array().into_iter().flatten() {
        names.extend(volume["configMap"]["name"].as_str().map(str::to_owned));
        for source in volume["projected"]["sources"].as_array().into_iter().flatten() {
            names.extend(source["configMap"]["name"].as_str().map(str::to_owned));
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_the_one_kubectl_computes() {
        // kubectl's own test: Secret my-set in namespace test.
        assert_eq!(
            applyset_id("my-set", "test", "Secret", ""),
            "applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1"
        );
        let set = ApplySet::new("expense");
        assert_eq!(set.id, applyset_id(PARENT_NAME, "expense", "ConfigMap", ""));
        assert!(set.id.len() <= 63, "a label value: {}", set.id);
    }

    #[test]
    fn kinds_are_named_kind_dot_group() {
        let find = |kind: &str| RESOURCE_TYPES.iter().find(|r| r.kind == kind).unwrap();
        assert_eq!(find("Deployment").group_kind(), "Deployment.apps");
        assert_eq!(find("ConfigMap").group_kind(), "ConfigMap");
        assert_eq!(find("NodePool").group_kind(), "NodePool.karpenter.sh");
        assert_eq!(
            find("ClusterRole").group_kind(),
            "ClusterRole.rbac.authorization.k8s.io"
        );
    }

    #[test]
    fn status_scale_and_annotation_writers_are_not_owners_but_other_appliers_are() {
        let live = json!({"metadata": {"managedFields": [
            {"manager": FIELD_MANAGER, "operation": "Apply", "fieldsV1": {"f:spec": {}}},
            {"manager": "kube-controller-manager", "operation": "Update",
             "fieldsV1": {"f:metadata": {"f:annotations": {}}}},
            {"manager": "kube-controller-manager", "operation": "Update", "subresource": "status",
             "fieldsV1": {"f:status": {}}},
            {"manager": "horizontal-pod-autoscaler", "operation": "Update", "subresource": "scale",
             "fieldsV1": {"f:spec": {"f:replicas": {}}}},
        ]}});
        assert!(other_owners(&live).is_empty());

        let shared = json!({"metadata": {"managedFields": [
            {"manager": FIELD_MANAGER, "operation": "Apply", "fieldsV1": {"f:data": {}}},
            {"manager": "eks", "operation": "Update", "fieldsV1": {"f:data": {}}},
            {"manager": "someone", "operation": "Apply"},
        ]}});
        assert_eq!(other_owners(&shared), ["eks", "someone"]);
    }

    #[test]
    fn configmaps_are_found_wherever_a_pod_refers_to_them() {
        let pod = json!({
            "initContainers": [{"envFrom": [{"configMapRef": {"name": "a"}}]}],
            "containers": [{
                "envFrom": [{"configMapRef": {"name": "b"}}, {"secretRef": {"name": "s"}}],
                "env": [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "c", "key": "k"}}}]
            }],
            "volumes": [
                {"name": "v", "configMap": {"name": "d"}},
                {"name": "p", "projected": {"sources": [{"configMap": {"name": "e"}}]}}
            ]
        });
        assert_eq!(
            configmap_references(&pod).into_iter().collect::<Vec<_>>(),
            ["a", "b", "c", "d", "e"]
        );
    }
}
