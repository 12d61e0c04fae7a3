//! The resource model: Kubernetes objects as [`Value`] trees with cached identities.
//!
//! | item | what |
//! |---|---|
//! | [`Resource`] | one object, with its [`ResId`] cached |
//! | [`ResourceList`] | an ordered list with an id → index map (linear, never O(n²)) |
//! | [`Gvk`] / [`ResId`] | kustomize's identities |
//! | [`ObjectRef`] | Flux's inventory reference (`<namespace>_<name>_<group>_<kind>`) |
//! | [`is_cluster_scoped`] | kustomize's built-in scope table |
//! | [`LegacyOrder`] | kustomize's legacy output order |
//!
//! ```
//! use gitops_core::resource::{Resource, ResourceList};
//! use gitops_core::yaml::{Mapping, Value};
//! let mut meta = Mapping::new();
//! meta.insert("name".into(), "web".into());
//! let mut obj = Mapping::new();
//! obj.insert("apiVersion".into(), "v1".into());
//! obj.insert("kind".into(), "Service".into());
//! obj.insert("metadata".into(), Value::Map(meta));
//! let mut list = ResourceList::new();
//! list.push(Resource::new(Value::Map(obj))).unwrap();
//! assert_eq!(list.iter().next().unwrap().name(), "web");
//! ```

mod id;
mod list;
mod scope;

pub use id::{Gvk, ObjectRef, ObjectRefError, ResId, split_api_version};
pub use list::{DuplicateIdError, LegacyOrder, ResourceList};
pub use scope::{CLUSTER_SCOPED, is_cluster_scoped};

use crate::yaml::{Mapping, Value};

/// One Kubernetes object. The object stays a [`Value`]; its [`ResId`] is computed once and
/// refreshed after every [`edit`](Resource::edit).
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    obj: Value,
    id: ResId,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    v.get_path(path).and_then(Value::as_str).unwrap_or("")
}

fn compute_id(obj: &Value) -> ResId {
    ResId::new(
        Gvk::from_api_version(str_at(obj, &["apiVersion"]), str_at(obj, &["kind"])),
        str_at(obj, &["metadata", "name"]),
        str_at(obj, &["metadata", "namespace"]),
    )
}

impl Resource {
    /// Wrap an object.
    pub fn new(obj: Value) -> Resource {
        let id = compute_id(&obj);
        Resource { obj, id }
    }

    /// The object.
    pub fn value(&self) -> &Value {
        &self.obj
    }

    /// Take the object out.
    pub fn into_value(self) -> Value {
        self.obj
    }

    /// Change the object; the identity is recomputed afterwards.
    pub fn edit<R>(&mut self, f: impl FnOnce(&mut Value) -> R) -> R {
        let r = f(&mut self.obj);
        self.id = compute_id(&self.obj);
        r
    }

    /// The cached identity.
    pub fn id(&self) -> &ResId {
        &self.id
    }

    /// The GVK.
    pub fn gvk(&self) -> &Gvk {
        &self.id.gvk
    }

    /// `apiVersion` (empty when missing).
    pub fn api_version(&self) -> &str {
        str_at(&self.obj, &["apiVersion"])
    }

    /// `kind` (empty when missing).
    pub fn kind(&self) -> &str {
        &self.id.gvk.kind
    }

    /// API group (empty for core).
    pub fn group(&self) -> &str {
        &self.id.gvk.group
    }

    /// API version without the group.
    pub fn version(&self) -> &str {
        &self.id.gvk.version
    }

    /// `metadata.name` (empty when missing).
    pub fn name(&self) -> &str {
        &self.id.name
    }

    /// `metadata.namespace` (empty when missing).
    pub fn namespace(&self) -> &str {
        &self.id.namespace
    }

    /// `metadata.labels`, when present and a mapping.
    pub fn labels(&self) -> Option<&Mapping> {
        self.obj.get_path(&["metadata", "labels"]).and_then(Value::as_map)
    }

    /// `metadata.annotations`, when present and a mapping.
    pub fn annotations(&self) -> Option<&Mapping> {
        self.obj.get_path(&["metadata", "annotations"]).and_then(Value::as_map)
    }

    /// One annotation's string value.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations().and_then(|m| m.get(key)).and_then(Value::as_str)
    }

    /// One label's string value.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels().and_then(|m| m.get(key)).and_then(Value::as_str)
    }

    /// The Flux reference of this object.
    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef {
            group: self.group().to_owned(),
            version: Some(self.version().to_owned()),
            kind: self.kind().to_owned(),
            namespace: self.namespace().to_owned(),
            name: self.name().to_owned(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Build an object from `(apiVersion, kind, name, namespace)`.
    pub(crate) fn obj(av: &str, kind: &str, name: &str, ns: &str) -> Value {
        let mut meta = Mapping::new();
        if !name.is_empty() {
            meta.insert("name".into(), name.into());
        }
        if !ns.is_empty() {
            meta.insert("namespace".into(), ns.into());
        }
        let mut m = Mapping::new();
        if !av.is_empty() {
            m.insert("apiVersion".into(), av.into());
        }
        if !kind.is_empty() {
            m.insert("kind".into(), kind.into());
        }
        m.insert("metadata".into(), Value::Map(meta));
        Value::Map(m)
    }

    #[test]
    fn accessors_table() {
        let cases = [
            (("apps/v1", "Deployment", "web", "prod"), ("apps", "v1", "apps/v1")),
            (("v1", "Service", "svc", ""), ("", "v1", "v1")),
            (("", "", "", ""), ("", "", "")),
        ];
        for ((av, k, n, ns), (g, v, av2)) in cases {
            let r = Resource::new(obj(av, k, n, ns));
            assert_eq!((r.group(), r.version(), r.api_version()), (g, v, av2));
            assert_eq!((r.kind(), r.name(), r.namespace()), (k, n, ns));
        }
    }

    #[test]
    fn edit_refreshes_id() {
        let mut r = Resource::new(obj("v1", "ConfigMap", "a", ""));
        r.edit(|v| {
            if let Some(m) = v.get_mut("metadata").and_then(Value::as_map_mut) {
                m.insert("name".into(), "b".into());
            }
        });
        assert_eq!(r.name(), "b");
        assert_eq!(r.id().name, "b");
    }

    #[test]
    fn labels_and_annotations() {
        let mut v = obj("v1", "ConfigMap", "a", "");
        let mut labels = Mapping::new();
        labels.insert("app".into(), "web".into());
        if let Some(m) = v.get_mut("metadata").and_then(Value::as_map_mut) {
            m.insert("labels".into(), Value::Map(labels));
        }
        let r = Resource::new(v);
        assert_eq!(r.label("app"), Some("web"));
        assert_eq!(r.label("x"), None);
        assert_eq!(r.annotation("x"), None);
        assert_eq!(r.object_ref().inventory_id(), "_a__ConfigMap");
    }
}
