//! The resource model: Kubernetes objects as [`Value`] trees with cached identities.
//!
//! | item | what |
//! |---|---|
//! | [`Resource`] | one object, with its [`ResId`] cached |
//! | [`SourceText`] | the YAML document an object was read from |
//! | [`ResourceList`] | an ordered list with an id → index map (linear, never O(n²)) |
//! | [`Gvk`] / [`ResId`] | kustomize's identities |
//! | [`ObjectRef`] | Flux's inventory reference (`<namespace>_<name>_<group>_<kind>`) |
//! | [`is_cluster_scoped`] | kustomize's built-in scope table |
//! | [`LegacyOrder`] | kustomize's legacy output order |
//! | [`FxBuildHasher`] | a fast hasher for internal id and name maps |
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

mod hash;
mod id;
mod list;
mod scope;

pub use hash::{FxBuildHasher, FxHashMap, FxHashSet, FxHasher};

pub use id::{Gvk, ObjectRef, ObjectRefError, ResId, split_api_version};
pub use list::{DEFAULT_ORDER_FIRST, DuplicateIdError, LegacyOrder, ResourceList};
pub use scope::{CLUSTER_SCOPED, is_cluster_scoped};

use std::ops::Range;
use std::sync::Arc;

use crate::yaml::{Mapping, Value};

/// One Kubernetes object. The object stays a [`Value`]; its [`ResId`] is computed once and
/// refreshed after every [`edit`](Resource::edit).
///
/// A resource also carries its rename history (kustomize's internal build annotations
/// `previousNames` / `previousNamespaces` / `previousKinds` / `prefixes` / `suffixes`), which
/// the name-reference fix-up reads; it is never part of the object.
#[derive(Debug, Clone)]
pub struct Resource {
    obj: Value,
    id: ResId,
    /// The source text of a `metadata.name` that is not a string (`name: 0x10`, or a
    /// renamed name that reads as `null`), used as the name while the field holds that
    /// scalar.
    raw_name: Option<String>,
    history: History,
    /// Bumped whenever the id changes (lets a list skip re-indexing when no id moved).
    id_gen: u64,
    /// The YAML document the object was read from, if it was read from text.
    source: Option<SourceText>,
}

/// The YAML text of the document an object was read from: a slice of the file's text,
/// which resources read from one file share. kyaml keeps every scalar's style, and some
/// of its edits depend on it (a renamed *plain* name is re-typed: `namePrefix: tr` on
/// `name: ue` gives `name: true`); the style is read back from here when that matters.
///
/// ```
/// use std::sync::Arc;
/// use gitops_core::resource::SourceText;
/// let file: Arc<str> = Arc::from("a: 1\n---\nb: 2\n");
/// assert_eq!(SourceText::new(file, 9..14).as_str(), "b: 2\n");
/// ```
#[derive(Debug, Clone)]
pub struct SourceText {
    text: Arc<str>,
    range: Range<usize>,
    item: Option<usize>,
}

impl SourceText {
    /// The document at byte `range` of `text` (an empty text when the range is not one).
    pub fn new(text: Arc<str>, range: Range<usize>) -> SourceText {
        SourceText { text, range, item: None }
    }

    /// The same document, for the object that is entry `index` of its `items` (a `*List`).
    pub fn list_item(self, index: usize) -> SourceText {
        SourceText { item: Some(index), ..self }
    }

    /// The document's text.
    pub fn as_str(&self) -> &str {
        self.text.get(self.range.clone()).unwrap_or("")
    }

    /// For an object read from a `*List`, its index in the document's `items`.
    pub fn item(&self) -> Option<usize> {
        self.item
    }
}

impl PartialEq for Resource {
    fn eq(&self, other: &Resource) -> bool {
        self.obj == other.obj
            && self.id == other.id
            && self.raw_name == other.raw_name
            && self.history == other.history
    }
}

/// A previous identity: name, effective namespace and kind (group and version are the
/// current ones, as kustomize records them).
#[derive(Debug, Clone, PartialEq, Default)]
struct PrevId {
    name: String,
    namespace: String,
    kind: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct History {
    prev: Vec<PrevId>,
    /// Names of the `vars` that point at this resource (kustomize's `refVarNames`).
    ref_vars: Vec<String>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
}

/// A fresh identity generation: unique in the process, so two resources never share one
/// unless one is a clone of the other.
fn next_gen() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    v.get_path(path).and_then(Value::as_str).unwrap_or("")
}

/// The text kyaml reads from a scalar that was resolved to a non-string value (no source
/// text at hand: the canonical form). Collections and null give `""`.
pub fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Uint(u) => u.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Null | Value::Seq(_) | Value::Map(_) => String::new(),
    }
}

fn compute_id(obj: &Value, raw_name: Option<&str>) -> ResId {
    let name = match obj.get_path(&["metadata", "name"]) {
        Some(Value::String(s)) => s.clone(),
        Some(v @ (Value::Bool(_) | Value::Int(_) | Value::Uint(_) | Value::Float(_))) => {
            raw_name.map(str::to_owned).unwrap_or_else(|| scalar_text(v))
        }
        Some(Value::Null) => raw_name.map(str::to_owned).unwrap_or_default(),
        _ => String::new(),
    };
    ResId::new(
        Gvk::from_api_version(str_at(obj, &["apiVersion"]), str_at(obj, &["kind"])),
        name,
        str_at(obj, &["metadata", "namespace"]),
    )
}

impl Resource {
    /// Wrap an object.
    pub fn new(obj: Value) -> Resource {
        Resource::with_raw_name(obj, None)
    }

    /// Wrap an object whose `metadata.name` is a non-string scalar written as `raw_name` in
    /// its source (kustomize keeps that text as the name: `name: 0x10` is named `0x10`).
    pub fn with_raw_name(obj: Value, raw_name: Option<String>) -> Resource {
        let id = compute_id(&obj, raw_name.as_deref());
        Resource {
            obj,
            id,
            raw_name,
            history: History::default(),
            id_gen: next_gen(),
            source: None,
        }
    }

    /// The same resource, remembering the YAML document it was read from.
    pub fn with_source(mut self, source: SourceText) -> Resource {
        self.source = Some(source);
        self
    }

    /// The YAML document the object was read from, if it was read from text.
    pub fn source(&self) -> Option<&SourceText> {
        self.source.as_ref()
    }

    /// Set the text that names the resource while `metadata.name` holds a non-string
    /// scalar (see [`with_raw_name`](Resource::with_raw_name)), and refresh the id.
    pub fn set_raw_name(&mut self, raw_name: Option<String>) {
        if self.raw_name == raw_name {
            return;
        }
        self.raw_name = raw_name;
        self.refresh_id();
    }

    /// Record the current identity as a previous one (kustomize's `StorePreviousId`): every
    /// transformer that changes a name or namespace calls it first.
    pub fn store_previous_id(&mut self) {
        let id = &self.id;
        self.history.prev.push(PrevId {
            name: id.name.clone(),
            namespace: id.effective_namespace().to_owned(),
            kind: id.gvk.kind.clone(),
        });
    }

    /// The previous identities, oldest first (without the current one). Group and version
    /// are the current ones.
    pub fn prev_ids(&self) -> impl Iterator<Item = ResId> + '_ {
        self.history.prev.iter().map(|p| {
            ResId::new(
                Gvk {
                    group: self.id.gvk.group.clone(),
                    version: self.id.gvk.version.clone(),
                    kind: p.kind.clone(),
                },
                p.name.clone(),
                p.namespace.clone(),
            )
        })
    }

    /// Record that the var `name` reads its value from this resource.
    pub fn add_ref_var_name(&mut self, name: &str) {
        self.history.ref_vars.push(name.to_owned());
    }

    /// The vars that read their value from this resource.
    pub fn ref_var_names(&self) -> &[String] {
        &self.history.ref_vars
    }

    /// Whether the resource has been renamed or moved.
    pub fn has_prev_ids(&self) -> bool {
        !self.history.prev.is_empty()
    }

    /// The original identity: the oldest previous one, else the current one.
    pub fn org_id(&self) -> ResId {
        self.prev_ids().next().unwrap_or_else(|| self.id.clone())
    }

    /// Record a name prefix applied at one kustomization level (empty: nothing recorded).
    pub fn add_name_prefix(&mut self, prefix: &str) {
        if !prefix.is_empty() {
            self.history.prefixes.extend(prefix.split(',').map(str::to_owned));
        }
    }

    /// Record a name suffix applied at one kustomization level (empty: nothing recorded).
    pub fn add_name_suffix(&mut self, suffix: &str) {
        if !suffix.is_empty() {
            self.history.suffixes.extend(suffix.split(',').map(str::to_owned));
        }
    }

    /// The prefixes applied so far, innermost first.
    pub fn name_prefixes(&self) -> &[String] {
        &self.history.prefixes
    }

    /// The suffixes applied so far, innermost first.
    pub fn name_suffixes(&self) -> &[String] {
        &self.history.suffixes
    }

    /// kustomize's `PrefixesSuffixesEquals`: the shorter prefix (suffix) list is the tail of
    /// the longer one; with `allow_empty`, an empty list on either side matches anything.
    pub fn prefixes_suffixes_equal(&self, other: &Resource, allow_empty: bool) -> bool {
        let same = |a: &[String], b: &[String]| {
            (allow_empty && (a.is_empty() || b.is_empty())) || same_ending(a, b)
        };
        same(self.name_prefixes(), other.name_prefixes())
            && same(self.name_suffixes(), other.name_suffixes())
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
        self.refresh_id();
        r
    }

    /// Recompute the id after an edit, allocating only when a part of it changed.
    fn refresh_id(&mut self) {
        let obj = &self.obj;
        let name_same = match obj.get_path(&["metadata", "name"]) {
            Some(Value::String(s)) => *s == self.id.name,
            Some(Value::Bool(_) | Value::Int(_) | Value::Uint(_) | Value::Float(_)) => false,
            _ => self.id.name.is_empty(),
        };
        let (group, version) = split_api_version(str_at(obj, &["apiVersion"]));
        let gvk = &self.id.gvk;
        if name_same
            && gvk.group == group
            && gvk.version == version
            && gvk.kind == str_at(obj, &["kind"])
            && self.id.namespace == str_at(obj, &["metadata", "namespace"])
        {
            return;
        }
        let id = compute_id(obj, self.raw_name.as_deref());
        if id.name != self.id.name
            || id.namespace != self.id.namespace
            || id.gvk != self.id.gvk
            || id.is_cluster_scoped() != self.id.is_cluster_scoped()
        {
            self.id_gen = next_gen();
        }
        self.id = id;
    }

    /// Move the object out, leaving [`Value::Null`] in its place; the cached id is kept
    /// as it was until the next [`edit`](Resource::edit) (which is how a changed object
    /// is put back). Saves a copy when a whole new object is computed from the old one.
    ///
    /// ```
    /// use gitops_core::resource::Resource;
    /// use gitops_core::yaml::{Mapping, Value};
    /// let mut meta = Mapping::new();
    /// meta.insert("name".into(), "web".into());
    /// let mut obj = Mapping::new();
    /// obj.insert("kind".into(), "Service".into());
    /// obj.insert("metadata".into(), Value::Map(meta));
    /// let mut r = Resource::new(Value::Map(obj));
    /// let obj = r.take_value();
    /// assert_eq!(r.name(), "web");
    /// r.edit(|v| *v = obj);
    /// assert_eq!(r.kind(), "Service");
    /// ```
    pub fn take_value(&mut self) -> Value {
        std::mem::take(&mut self.obj)
    }

    /// A copy without the object (it holds [`Value::Null`]): the id, the raw name and the
    /// rename history only, for passes that look at other resources' identities while
    /// they edit the list.
    pub fn clone_identity(&self) -> Resource {
        Resource {
            obj: Value::Null,
            id: self.id.clone(),
            raw_name: self.raw_name.clone(),
            history: self.history.clone(),
            id_gen: self.id_gen,
            source: None,
        }
    }

    /// A process-wide unique number given at creation and at every id change: a resource
    /// (or a clone of it) with the same generation as before has the same id.
    pub fn id_generation(&self) -> u64 {
        self.id_gen
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

/// Whether the shorter list equals the end of the longer one; an empty list matches only
/// an empty list.
fn same_ending(a: &[String], b: &[String]) -> bool {
    if a.is_empty() || b.is_empty() {
        return a.len() == b.len();
    }
    a.iter().rev().zip(b.iter().rev()).all(|(x, y)| x == y)
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

#[cfg(test)]
mod history_tests {
    use super::tests::obj;
    use super::*;

    #[test]
    fn same_ending_table() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let cases: [(&[&str], &[&str], bool); 7] = [
            (&["", "a", "b"], &["a", "b"], true),
            (&["a", "b", ""], &["b", ""], true),
            (&["a", "b"], &["b"], true),
            (&[], &[], true),
            (&["a", "b"], &["b", "a"], false),
            (&["a", "b"], &[], false),
            (&["a", "b"], &[""], false),
        ];
        for (a, b, want) in cases {
            assert_eq!(same_ending(&s(a), &s(b)), want, "{a:?} {b:?}");
        }
    }

    #[test]
    fn previous_ids_and_org_id() {
        let mut r = Resource::new(obj("v1", "ConfigMap", "cm", ""));
        assert_eq!(r.org_id(), *r.id());
        r.store_previous_id();
        r.add_name_prefix("p-");
        r.edit(|v| {
            if let Some(m) = v.get_mut("metadata").and_then(Value::as_map_mut) {
                m.insert("name".into(), "p-cm".into());
            }
        });
        let prev: Vec<ResId> = r.prev_ids().collect();
        assert_eq!(prev.len(), 1);
        assert_eq!((prev[0].name.as_str(), prev[0].namespace.as_str()), ("cm", "default"));
        assert_eq!(r.org_id().name, "cm");
        assert_eq!(r.name_prefixes(), ["p-".to_owned()]);
        let other = Resource::new(obj("v1", "Secret", "s", ""));
        assert!(r.prefixes_suffixes_equal(&other, true));
        assert!(!r.prefixes_suffixes_equal(&other, false));
    }

    #[test]
    fn raw_name_is_the_id() {
        let mut v = obj("v1", "ConfigMap", "", "");
        if let Some(m) = v.get_mut("metadata").and_then(Value::as_map_mut) {
            m.insert("name".into(), Value::Int(16));
        }
        assert_eq!(Resource::new(v.clone()).name(), "16");
        assert_eq!(Resource::with_raw_name(v, Some("0x10".into())).name(), "0x10");
    }
}
