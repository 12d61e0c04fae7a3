//! Identities: kustomize's [`Gvk`] / [`ResId`] and Flux's [`ObjectRef`] (inventory ids).

use std::fmt;
use std::hash::{Hash, Hasher};

/// Group, version and kind of a resource, as kustomize splits `apiVersion`.
///
/// ```
/// use gitops_core::resource::Gvk;
/// let g = Gvk::from_api_version("apps/v1", "Deployment");
/// assert_eq!((g.group.as_str(), g.version.as_str()), ("apps", "v1"));
/// assert_eq!(g.api_version(), "apps/v1");
/// assert_eq!(g.to_string(), "Deployment.v1.apps");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Gvk {
    /// API group; empty for the core group.
    pub group: String,
    /// API version.
    pub version: String,
    /// Kind.
    pub kind: String,
}

impl Gvk {
    /// Split `apiVersion` at its first `/` (no slash: core group, the whole text is the version).
    pub fn from_api_version(api_version: &str, kind: &str) -> Gvk {
        let (group, version) = split_api_version(api_version);
        Gvk { group: group.to_owned(), version: version.to_owned(), kind: kind.to_owned() }
    }

    /// `group/version`, or just `version` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// Whether kustomize's schema says this kind is cluster-scoped.
    pub fn is_cluster_scoped(&self) -> bool {
        // Kinds first (most kinds are in no entry and differ in length), then
        // `group/version` without building the string.
        let av_eq = |entry: &str| {
            if self.group.is_empty() {
                entry == self.version
            } else {
                entry.len() == self.group.len() + 1 + self.version.len()
                    && entry.strip_prefix(self.group.as_str()).and_then(|r| r.strip_prefix('/'))
                        == Some(self.version.as_str())
            }
        };
        crate::resource::CLUSTER_SCOPED.iter().any(|(av, kind)| *kind == self.kind && av_eq(av))
    }

    /// kustomize's selector rule: every non-empty part of `selector` must be equal.
    pub fn is_selected_by(&self, group: &str, version: &str, kind: &str) -> bool {
        (group.is_empty() || group == self.group)
            && (version.is_empty() || version == self.version)
            && (kind.is_empty() || kind == self.kind)
    }
}

/// `group, version` of an `apiVersion` string.
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

impl fmt::Display for Gvk {
    /// kustomize's `Kind.version.group` with `[noKind]`, `[noVer]`, `[noGrp]` for empty parts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let or = |s: &str, d: &'static str| if s.is_empty() { d.to_owned() } else { s.to_owned() };
        write!(
            f,
            "{}.{}.{}",
            or(&self.kind, "[noKind]"),
            or(&self.version, "[noVer]"),
            or(&self.group, "[noGrp]")
        )
    }
}

/// How kustomize identifies a resource: GVK, name and namespace.
///
/// Equality and hashing follow kustomize's `ResId.Equals`: the namespace is compared as
/// the *effective* namespace (cluster-scoped kinds have none; an empty namespace equals
/// `default`).
///
/// ```
/// use gitops_core::resource::{Gvk, ResId};
/// let a = ResId::new(Gvk::from_api_version("v1", "ConfigMap"), "cm", "");
/// let b = ResId::new(Gvk::from_api_version("v1", "ConfigMap"), "cm", "default");
/// assert_eq!(a, b);
/// assert_eq!(a.to_string(), "ConfigMap.v1.[noGrp]/cm.[noNs]");
/// ```
#[derive(Debug, Clone, Default)]
pub struct ResId {
    /// Group, version, kind.
    pub gvk: Gvk,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace` as written (may be empty).
    pub namespace: String,
    cluster_scoped: bool,
}

impl ResId {
    /// Build an id; the scope is looked up once here.
    pub fn new(gvk: Gvk, name: impl Into<String>, namespace: impl Into<String>) -> ResId {
        let cluster_scoped = gvk.is_cluster_scoped();
        ResId { gvk, name: name.into(), namespace: namespace.into(), cluster_scoped }
    }

    /// Whether the kind is cluster-scoped.
    pub fn is_cluster_scoped(&self) -> bool {
        self.cluster_scoped
    }

    /// The namespace kustomize compares: a marker for cluster-scoped kinds, `default` for
    /// empty.
    pub fn effective_namespace(&self) -> &str {
        if self.cluster_scoped {
            "_non_namespaceable_"
        } else if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    /// The key of kustomize's legacy sort for resources of the same GVK.
    pub fn legacy_sort_key(&self) -> String {
        let ns = if self.namespace.is_empty() { "~X" } else { &self.namespace };
        let name = if self.name.is_empty() { "~N" } else { &self.name };
        format!("{}|{}|{}", self.gvk, ns, name)
    }
}

impl PartialEq for ResId {
    fn eq(&self, other: &ResId) -> bool {
        self.gvk == other.gvk
            && self.name == other.name
            && self.effective_namespace() == other.effective_namespace()
    }
}

impl Eq for ResId {}

impl Hash for ResId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.gvk.hash(state);
        self.name.hash(state);
        self.effective_namespace().hash(state);
    }
}

impl fmt::Display for ResId {
    /// kustomize's `Kind.version.group/name.namespace` with `[noName]` / `[noNs]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.name.is_empty() { "[noName]" } else { &self.name };
        let ns = if self.namespace.is_empty() { "[noNs]" } else { &self.namespace };
        write!(f, "{}/{}.{}", self.gvk, name, ns)
    }
}

/// A reference to a cluster object as Flux's inventory records it.
///
/// ```
/// use gitops_core::resource::ObjectRef;
/// let r = ObjectRef::parse_inventory_id("default_podinfo__Service").unwrap();
/// assert_eq!((r.kind.as_str(), r.name.as_str(), r.group.as_str()), ("Service", "podinfo", ""));
/// assert_eq!(r.inventory_id(), "default_podinfo__Service");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    /// API group; empty for the core group.
    pub group: String,
    /// API version, when known (inventory ids do not carry it).
    pub version: Option<String>,
    /// Kind.
    pub kind: String,
    /// Namespace; empty for cluster-scoped objects.
    pub namespace: String,
    /// Name.
    pub name: String,
}

/// An inventory id that cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectRefError {
    /// Fewer than four `_`-separated fields.
    #[error("unable to parse stored object metadata: {0}")]
    Malformed(String),
    /// The name field still holds a `_`.
    #[error("too many fields within: {0}")]
    TooManyFields(String),
}

fn is_rbac(group: &str, kind: &str) -> bool {
    group == "rbac.authorization.k8s.io"
        && matches!(kind, "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding")
}

impl ObjectRef {
    /// `<namespace>_<name>_<group>_<kind>`, with `:` in RBAC names written as `__`.
    pub fn inventory_id(&self) -> String {
        let name = if is_rbac(&self.group, &self.kind) {
            self.name.replace(':', "__")
        } else {
            self.name.clone()
        };
        format!("{}_{}_{}_{}", self.namespace, name, self.group, self.kind)
    }

    /// Parse an inventory id (the version is unknown: `None`).
    pub fn parse_inventory_id(id: &str) -> Result<ObjectRef, ObjectRefError> {
        let bad = || ObjectRefError::Malformed(id.to_owned());
        let (namespace, rest) = id.split_once('_').ok_or_else(bad)?;
        let (rest, kind) = rest.rsplit_once('_').ok_or_else(bad)?;
        let (name, group) = rest.rsplit_once('_').ok_or_else(bad)?;
        let name = if is_rbac(group, kind) { name.replace("__", ":") } else { name.to_owned() };
        if name.contains('_') {
            return Err(ObjectRefError::TooManyFields(rest.to_owned()));
        }
        Ok(ObjectRef {
            group: group.to_owned(),
            version: None,
            kind: kind.to_owned(),
            namespace: namespace.to_owned(),
            name,
        })
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gvk_scope_agrees_with_the_table() {
        let mut cases: Vec<(String, String, bool)> = crate::resource::CLUSTER_SCOPED
            .iter()
            .map(|(av, k)| (av.to_string(), k.to_string(), true))
            .collect();
        for (av, k) in [
            ("v1", "Service"),
            ("apps/v1", "Deployment"),
            ("rbac.authorization.k8s.io", "ClusterRole"),
            ("rbac.authorization.k8s.io/v1/x", "ClusterRole"),
            ("x/rbac.authorization.k8s.io/v1", "ClusterRole"),
            ("v1/", "Namespace"),
            ("", "Namespace"),
            ("example.com/v1", "ClusterThing"),
        ] {
            cases.push((av.into(), k.into(), false));
        }
        for (av, k, want) in cases {
            let gvk = Gvk::from_api_version(&av, &k);
            assert_eq!(gvk.is_cluster_scoped(), want, "{av} {k}");
            assert_eq!(crate::resource::is_cluster_scoped(&av, &k), want, "{av} {k}");
        }
    }

    #[test]
    fn split_api_version_table() {
        for (av, g, v) in
            [("v1", "", "v1"), ("apps/v1", "apps", "v1"), ("", "", ""), ("a/b/c", "a", "b/c")]
        {
            assert_eq!(split_api_version(av), (g, v), "{av}");
        }
    }

    #[test]
    fn gvk_display_table() {
        let cases = [
            (("", "v1", "Service"), "Service.v1.[noGrp]"),
            (("apps", "v1", "Deployment"), "Deployment.v1.apps"),
            (("", "", ""), "[noKind].[noVer].[noGrp]"),
        ];
        for ((g, v, k), want) in cases {
            let gvk = Gvk { group: g.into(), version: v.into(), kind: k.into() };
            assert_eq!(gvk.to_string(), want);
        }
    }

    #[test]
    fn resid_equality_table() {
        let cm = Gvk::from_api_version("v1", "ConfigMap");
        let ns = Gvk::from_api_version("v1", "Namespace");
        let cases = [
            (ResId::new(cm.clone(), "a", ""), ResId::new(cm.clone(), "a", "default"), true),
            (ResId::new(cm.clone(), "a", "x"), ResId::new(cm.clone(), "a", "y"), false),
            (ResId::new(cm.clone(), "a", "x"), ResId::new(cm.clone(), "b", "x"), false),
            (ResId::new(ns.clone(), "a", "x"), ResId::new(ns.clone(), "a", "y"), true),
        ];
        for (a, b, want) in cases {
            assert_eq!(a == b, want, "{a} vs {b}");
        }
    }

    #[test]
    fn inventory_id_table() {
        let cases = [
            (
                "",
                "apiextensions.k8s.io",
                "CustomResourceDefinition",
                "mycrd.example.com",
                "_mycrd.example.com_apiextensions.k8s.io_CustomResourceDefinition",
            ),
            ("default", "", "Service", "podinfo", "default_podinfo__Service"),
            (
                "",
                "rbac.authorization.k8s.io",
                "ClusterRole",
                "system:admin",
                "_system__admin_rbac.authorization.k8s.io_ClusterRole",
            ),
            ("apps", "apps", "Deployment", "web", "apps_web_apps_Deployment"),
        ];
        for (ns, g, k, n, id) in cases {
            let r = ObjectRef {
                group: g.into(),
                version: None,
                kind: k.into(),
                namespace: ns.into(),
                name: n.into(),
            };
            assert_eq!(r.inventory_id(), id);
            assert_eq!(ObjectRef::parse_inventory_id(id).as_ref(), Ok(&r));
        }
    }

    #[test]
    fn inventory_id_errors() {
        let cases = [
            ("nounderscore", "unable to parse stored object metadata: nounderscore"),
            ("a_b", "unable to parse stored object metadata: a_b"),
            ("ns_a_b_g_K", "too many fields within: a_b_g"),
        ];
        for (id, want) in cases {
            assert_eq!(ObjectRef::parse_inventory_id(id).unwrap_err().to_string(), want);
        }
    }
}
