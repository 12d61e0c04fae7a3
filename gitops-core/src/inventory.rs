//! Flux's inventory of a Kustomization (`status.inventory`), the stale set and the rules
//! that keep an object out of garbage collection.
//!
//! | item | what |
//! |---|---|
//! | [`Inventory`] / [`InventoryEntry`] | `entries[] = {id, v}`: the Flux `ObjMetadata` id and the version only |
//! | [`Owner`] | the Kustomization that owns objects: its owner labels and inventory key |
//! | [`stale`] | entries of an old inventory whose id is missing from the new one, in apply order |
//! | [`prune_decision`] | whether a stale live object is deleted or skipped, as Flux's `DeleteAll` decides |
//! | [`any_in_metadata`] | Flux's `AnyInMetadata`: a label or annotation equal (case-insensitive) to a value |
//!
//! Behaviour follows kustomize-controller `internal/inventory/inventory.go` and
//! `kustomization_controller.go deleteObjects`, fluxcd/pkg `ssa/manager_delete.go` (see
//! `docs/flux.md`, `## inventory`).
//!
//! ```
//! use gitops_core::inventory::{stale, Inventory, InventoryEntry};
//! let old = Inventory::from_entries([("default_web_apps_Deployment", "v1"), ("_web__Namespace", "v1")]);
//! let new = Inventory::from_entries([("_web__Namespace", "v1")]);
//! let gone = stale(&old, &new);
//! assert_eq!(gone.len(), 1);
//! assert_eq!(gone[0].to_string(), "Deployment/default/web");
//! assert_eq!(gone[0].version.as_deref(), Some("v1"));
//! ```

use std::collections::BTreeSet;

use crate::resource::{ObjectRef, ObjectRefError, Resource};
use crate::yaml::{Mapping, Value};

/// Label set on every applied object: the owning Kustomization's name.
pub const OWNER_NAME_LABEL: &str = "kustomize.toolkit.fluxcd.io/name";
/// Label set on every applied object: the owning Kustomization's namespace.
pub const OWNER_NAMESPACE_LABEL: &str = "kustomize.toolkit.fluxcd.io/namespace";
/// `kustomize.toolkit.fluxcd.io/prune: disabled` keeps an object out of garbage collection.
pub const PRUNE_KEY: &str = "kustomize.toolkit.fluxcd.io/prune";
/// `kustomize.toolkit.fluxcd.io/reconcile: disabled`: neither applied nor pruned.
pub const RECONCILE_KEY: &str = "kustomize.toolkit.fluxcd.io/reconcile";
/// `kustomize.toolkit.fluxcd.io/ssa: Override|Merge|IfNotPresent|Ignore`.
pub const SSA_KEY: &str = "kustomize.toolkit.fluxcd.io/ssa";
/// `kustomize.toolkit.fluxcd.io/force: enabled`: recreate on an immutable-field change.
pub const FORCE_KEY: &str = "kustomize.toolkit.fluxcd.io/force";

/// The metadata pairs that keep a live object from being deleted
/// (`deleteObjects` in kustomize-controller): `prune: disabled`, `reconcile: disabled`,
/// `ssa: Ignore`.
pub const PRUNE_EXCLUSIONS: &[(&str, &str)] =
    &[(PRUNE_KEY, "disabled"), (RECONCILE_KEY, "disabled"), (SSA_KEY, "Ignore")];

/// One inventory entry, as `status.inventory.entries[]` stores it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InventoryEntry {
    /// `<namespace>_<name>_<group>_<kind>` (Flux's `ObjMetadata.String()`).
    pub id: String,
    /// The API version only (`v1`, `v2`), without the group.
    pub v: String,
}

impl InventoryEntry {
    /// The entry of an object reference (a missing version gives an empty `v`).
    pub fn from_ref(r: &ObjectRef) -> InventoryEntry {
        InventoryEntry { id: r.inventory_id(), v: r.version.clone().unwrap_or_default() }
    }

    /// Parse the id back into a reference carrying this entry's version.
    pub fn object_ref(&self) -> Result<ObjectRef, ObjectRefError> {
        let mut r = ObjectRef::parse_inventory_id(&self.id)?;
        r.version = Some(self.v.clone());
        Ok(r)
    }
}

/// A Kustomization's inventory: the objects it applied, in change-set order (stage order,
/// then Flux's sort inside each stage), including `unchanged` and `skipped` objects.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inventory {
    /// The entries, in the order Flux records them.
    pub entries: Vec<InventoryEntry>,
}

/// An inventory document that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The document is not a mapping with an `entries` sequence of `{id, v}` mappings.
    #[error("invalid inventory: {0}")]
    Shape(String),
    /// An entry id is not a Flux object id.
    #[error("invalid inventory entry {index}")]
    Id {
        /// The entry's position.
        index: usize,
        /// Why the id does not parse.
        #[source]
        source: ObjectRefError,
    },
}

impl Inventory {
    /// An empty inventory.
    pub fn new() -> Inventory {
        Inventory::default()
    }

    /// Build from `(id, v)` pairs, in the given order.
    pub fn from_entries<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Inventory {
        Inventory {
            entries: pairs
                .into_iter()
                .map(|(id, v)| InventoryEntry { id: id.to_owned(), v: v.to_owned() })
                .collect(),
        }
    }

    /// Build from object references, in the given order.
    pub fn from_refs<'a>(refs: impl IntoIterator<Item = &'a ObjectRef>) -> Inventory {
        Inventory { entries: refs.into_iter().map(InventoryEntry::from_ref).collect() }
    }

    /// Whether an entry with this id (version ignored) is present.
    pub fn contains_id(&self, id: &str) -> bool {
        self.entries.iter().any(|e| e.id == id)
    }

    /// Every entry as a reference (with its version); the first bad id is an error.
    pub fn refs(&self) -> Result<Vec<ObjectRef>, Error> {
        self.entries
            .iter()
            .enumerate()
            .map(|(index, e)| e.object_ref().map_err(|source| Error::Id { index, source }))
            .collect()
    }

    /// Append entries whose id is not present yet (kustomize-controller's `inventory.Merge`,
    /// used to keep objects whose deletion failed).
    pub fn merge<'a>(&mut self, refs: impl IntoIterator<Item = &'a ObjectRef>) {
        for r in refs {
            let e = InventoryEntry::from_ref(r);
            if !self.contains_id(&e.id) {
                self.entries.push(e);
            }
        }
    }

    /// The inventory as the value Flux stores in `status.inventory`:
    /// `{entries: [{id, v}, ...]}`.
    pub fn to_value(&self) -> Value {
        let entries = self
            .entries
            .iter()
            .map(|e| {
                let mut m = Mapping::new();
                m.insert("id".into(), e.id.clone().into());
                m.insert("v".into(), e.v.clone().into());
                Value::Map(m)
            })
            .collect::<Vec<_>>();
        let mut m = Mapping::new();
        m.insert("entries".into(), Value::Seq(entries));
        Value::Map(m)
    }

    /// Read the shape written by [`to_value`](Inventory::to_value); `entries` may be
    /// missing or null (an empty inventory). Ids are checked.
    pub fn from_value(v: &Value) -> Result<Inventory, Error> {
        let map = v.as_map().ok_or_else(|| Error::Shape(format!("a {}", v.kind_name())))?;
        let entries = match map.get("entries") {
            None | Some(Value::Null) => return Ok(Inventory::new()),
            Some(Value::Seq(s)) => s,
            Some(other) => {
                return Err(Error::Shape(format!("entries is a {}", other.kind_name())));
            }
        };
        let mut inv = Inventory::new();
        for (i, e) in entries.iter().enumerate() {
            let field = |k: &str| {
                e.get(k)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| Error::Shape(format!("entry {i} has no string `{k}`")))
            };
            inv.entries.push(InventoryEntry { id: field("id")?, v: field("v")? });
        }
        inv.refs()?;
        Ok(inv)
    }
}

/// The Kustomization owning a set of objects.
///
/// ```
/// use gitops_core::inventory::Owner;
/// let o = Owner::new("apps", "flux-system");
/// assert_eq!(o.to_string(), "flux-system/apps");
/// assert_eq!(o.labels()[0], ("kustomize.toolkit.fluxcd.io/name", "apps"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Owner {
    /// The Kustomization's name.
    pub name: String,
    /// The Kustomization's namespace.
    pub namespace: String,
}

impl Owner {
    /// An owner from name and namespace.
    pub fn new(name: impl Into<String>, namespace: impl Into<String>) -> Owner {
        Owner { name: name.into(), namespace: namespace.into() }
    }

    /// The owner labels Flux sets on every applied object.
    pub fn labels(&self) -> [(&'static str, &str); 2] {
        [(OWNER_NAME_LABEL, self.name.as_str()), (OWNER_NAMESPACE_LABEL, self.namespace.as_str())]
    }

    /// Whether an object carries both owner labels with exactly these values (Flux's
    /// `Inclusions` label selector).
    pub fn owns(&self, res: &Resource) -> bool {
        self.labels().iter().all(|(k, v)| res.label(k) == Some(*v))
    }

    /// Set the owner labels on an object (existing values are overridden).
    pub fn set_labels(&self, res: &mut Resource) {
        res.edit(|v| {
            let Some(obj) = v.as_map_mut() else { return };
            let meta =
                obj.entry("metadata".to_owned()).or_insert_with(|| Value::Map(Mapping::new()));
            if !matches!(meta, Value::Map(_)) {
                *meta = Value::Map(Mapping::new());
            }
            let Some(meta) = meta.as_map_mut() else { return };
            let labels =
                meta.entry("labels".to_owned()).or_insert_with(|| Value::Map(Mapping::new()));
            if !matches!(labels, Value::Map(_)) {
                *labels = Value::Map(Mapping::new());
            }
            if let Some(labels) = labels.as_map_mut() {
                for (k, val) in self.labels() {
                    labels.insert(k.to_owned(), val.into());
                }
            }
        });
    }
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// Flux's `AnyInMetadata`: some `(key, value)` pair is a label or an annotation whose value
/// is non-empty and equal to `value` ignoring case.
///
/// ```
/// use gitops_core::inventory::{any_in_metadata, PRUNE_EXCLUSIONS};
/// use gitops_core::resource::Resource;
/// use gitops_core::yaml::{parse_values, Limits, Profile};
/// let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    kustomize.toolkit.fluxcd.io/prune: Disabled\n";
/// let v = parse_values(text, Profile::ApiServer, &Limits::default()).unwrap();
/// let r = Resource::new(v[0].clone());
/// assert!(any_in_metadata(&r, PRUNE_EXCLUSIONS));
/// ```
pub fn any_in_metadata(res: &Resource, pairs: &[(&str, &str)]) -> bool {
    let matches = |found: Option<&str>, want: &str| {
        found.is_some_and(|f| !f.is_empty() && f.eq_ignore_ascii_case(want))
    };
    pairs.iter().any(|(k, want)| matches(res.label(k), want) || matches(res.annotation(k), want))
}

/// The references of `old`'s entries whose id (version ignored) is absent from `new`,
/// each with the old entry's version, sorted in apply order (kustomize-controller's
/// `inventory.Diff`). Entries whose id does not parse are left out; use
/// [`Inventory::refs`] to reject them.
pub fn stale(old: &Inventory, new: &Inventory) -> Vec<ObjectRef> {
    let keep: BTreeSet<&str> = new.entries.iter().map(|e| e.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    let mut out: Vec<ObjectRef> = old
        .entries
        .iter()
        .filter(|e| !keep.contains(e.id.as_str()) && seen.insert(e.id.as_str()))
        .filter_map(|e| e.object_ref().ok())
        .collect();
    out.sort_by(crate::plan::compare_refs);
    out
}

/// What garbage collection does with one stale object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PruneDecision {
    /// Not in the cluster any more: reported `deleted` without a request.
    Gone,
    /// Deleted.
    Delete,
    /// Kept and reported `skipped`: it lacks the owner labels, or it carries
    /// `prune: disabled`, `reconcile: disabled` or `ssa: Ignore`.
    Skip,
}

/// Flux's `Delete` decision for a stale object, from its live state: missing → gone; not
/// carrying both owner labels of `owner` (when given) → skip; matching
/// [`PRUNE_EXCLUSIONS`] → skip; else delete.
pub fn prune_decision(live: Option<&Resource>, owner: Option<&Owner>) -> PruneDecision {
    let Some(live) = live else { return PruneDecision::Gone };
    if owner.is_some_and(|o| !o.owns(live)) || any_in_metadata(live, PRUNE_EXCLUSIONS) {
        PruneDecision::Skip
    } else {
        PruneDecision::Delete
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, Profile, parse_values};

    fn res(text: &str) -> Resource {
        let v = parse_values(text, Profile::ApiServer, &Limits::default()).unwrap();
        Resource::new(v[0].clone())
    }

    fn cm(meta_extra: &str) -> Resource {
        res(&format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n{meta_extra}"
        ))
    }

    type Pairs = &'static [(&'static str, &'static str)];

    #[test]
    fn stale_table() {
        // (old, new, expected stale subjects with versions)
        let cases: &[(Pairs, Pairs, Pairs)] = &[
            (&[], &[], &[]),
            (&[("x_a__ConfigMap", "v1")], &[("x_a__ConfigMap", "v1")], &[]),
            // version is ignored when comparing ids, the old version is kept
            (&[("x_a_apps_Deployment", "v1beta1")], &[("x_a_apps_Deployment", "v1")], &[]),
            (
                &[
                    ("x_a_apps_Deployment", "v1"),
                    ("_x__Namespace", "v1"),
                    ("x_s__Secret", "v1"),
                    ("_c.example.com_apiextensions.k8s.io_CustomResourceDefinition", "v1"),
                ],
                &[("x_s__Secret", "v1")],
                &[
                    ("CustomResourceDefinition/c.example.com", "v1"),
                    ("Namespace/x", "v1"),
                    ("Deployment/x/a", "v1"),
                ],
            ),
            // a bad id is left out, a duplicate counted once
            (
                &[("bad", "v1"), ("x_b__Service", "v1"), ("x_b__Service", "v1")],
                &[],
                &[("Service/x/b", "v1")],
            ),
        ];
        for (old, new, want) in cases {
            let got = stale(
                &Inventory::from_entries(old.iter().copied()),
                &Inventory::from_entries(new.iter().copied()),
            );
            let got: Vec<(String, String)> = got
                .iter()
                .map(|r| (r.to_string(), r.version.clone().unwrap_or_default()))
                .collect();
            let want: Vec<(String, String)> =
                want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
            assert_eq!(got, want, "{old:?} - {new:?}");
        }
    }

    #[test]
    fn any_in_metadata_table() {
        let cases = [
            ("  labels:\n    kustomize.toolkit.fluxcd.io/prune: disabled\n", true),
            ("  annotations:\n    kustomize.toolkit.fluxcd.io/prune: DISABLED\n", true),
            ("  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: ignore\n", true),
            ("  annotations:\n    kustomize.toolkit.fluxcd.io/reconcile: Disabled\n", true),
            ("  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: IfNotPresent\n", false),
            ("  annotations:\n    kustomize.toolkit.fluxcd.io/prune: \"\"\n", false),
            ("  annotations:\n    kustomize.toolkit.fluxcd.io/prune: enabled\n", false),
            ("  annotations:\n    prune: disabled\n", false),
            ("", false),
        ];
        for (meta, want) in cases {
            assert_eq!(any_in_metadata(&cm(meta), PRUNE_EXCLUSIONS), want, "{meta}");
        }
    }

    #[test]
    fn prune_decision_table() {
        let owner = Owner::new("apps", "flux-system");
        let owned = "  labels:\n    kustomize.toolkit.fluxcd.io/name: apps\n    kustomize.toolkit.fluxcd.io/namespace: flux-system\n";
        let cases = [
            (None, Some(&owner), PruneDecision::Gone),
            (Some(cm(owned)), Some(&owner), PruneDecision::Delete),
            (Some(cm("")), Some(&owner), PruneDecision::Skip),
            (Some(cm("")), None, PruneDecision::Delete),
            (
                Some(cm("  labels:\n    kustomize.toolkit.fluxcd.io/name: apps\n")),
                Some(&owner),
                PruneDecision::Skip,
            ),
            (
                Some(cm(&format!(
                    "{owned}  annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled\n"
                ))),
                Some(&owner),
                PruneDecision::Skip,
            ),
            (
                Some(cm(&format!(
                    "{owned}  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: Ignore\n"
                ))),
                Some(&owner),
                PruneDecision::Skip,
            ),
            // IfNotPresent objects are still pruned
            (
                Some(cm(&format!(
                    "{owned}  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: IfNotPresent\n"
                ))),
                Some(&owner),
                PruneDecision::Delete,
            ),
        ];
        for (live, owner, want) in cases {
            assert_eq!(prune_decision(live.as_ref(), owner), want, "{live:?}");
        }
    }

    #[test]
    fn value_round_trip_and_errors() {
        let inv = Inventory::from_entries([("x_a__ConfigMap", "v1"), ("_n__Namespace", "v1")]);
        assert_eq!(Inventory::from_value(&inv.to_value()).unwrap(), inv);
        let parse = |t: &str| {
            Inventory::from_value(
                &parse_values(t, Profile::ApiServer, &Limits::default()).unwrap()[0],
            )
        };
        assert_eq!(parse("entries: null\n").unwrap(), Inventory::new());
        let cases = [
            ("- a\n", "invalid inventory: a sequence"),
            ("entries: 3\n", "invalid inventory: entries is a int"),
            ("entries:\n- id: a\n", "invalid inventory: entry 0 has no string `v`"),
            ("entries:\n- id: nope\n  v: v1\n", "invalid inventory entry 0"),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text).unwrap_err().to_string(), want, "{text}");
        }
    }

    #[test]
    fn merge_and_owner_labels() {
        let mut inv = Inventory::from_entries([("x_a__ConfigMap", "v1")]);
        let a = ObjectRef::parse_inventory_id("x_a__ConfigMap").unwrap();
        let b = ObjectRef::parse_inventory_id("x_b__ConfigMap").unwrap();
        inv.merge([&a, &b]);
        assert_eq!(inv.entries.len(), 2);
        assert_eq!(inv.entries[1].id, "x_b__ConfigMap");

        let owner = Owner::new("apps", "flux-system");
        let mut r = cm("  labels:\n    kustomize.toolkit.fluxcd.io/name: other\n");
        assert!(!owner.owns(&r));
        owner.set_labels(&mut r);
        assert!(owner.owns(&r));
        let mut bare = res("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        owner.set_labels(&mut bare);
        assert_eq!(bare.label(OWNER_NAMESPACE_LABEL), Some("flux-system"));
    }
}
