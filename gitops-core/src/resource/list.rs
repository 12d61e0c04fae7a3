//! [`ResourceList`]: resources in order, with an id → index map.

use super::{FxHashMap, Gvk, ResId, Resource};
use std::cmp::Ordering;

/// Two resources with the same [`ResId`] in one list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("may not add resource with an already registered id: {id}")]
pub struct DuplicateIdError {
    /// The id that is present twice.
    pub id: Box<ResId>,
}

impl From<DuplicateIdError> for String {
    fn from(e: DuplicateIdError) -> String {
        e.to_string()
    }
}

/// An ordered list of resources. Input order is kept; lookups by id are O(1).
#[derive(Debug, Clone, Default)]
pub struct ResourceList {
    items: Vec<Resource>,
    index: FxHashMap<ResId, usize>,
}

impl ResourceList {
    /// An empty list.
    pub fn new() -> ResourceList {
        ResourceList::default()
    }

    /// Number of resources.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The resources in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Resource> {
        self.items.iter()
    }

    /// The resources as a slice.
    pub fn as_slice(&self) -> &[Resource] {
        &self.items
    }

    /// The resource with this id.
    pub fn get(&self, id: &ResId) -> Option<&Resource> {
        self.index.get(id).and_then(|&i| self.items.get(i))
    }

    /// The position of the resource with this id.
    pub fn position(&self, id: &ResId) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Append one resource; an id already present is an error and the list is unchanged.
    pub fn push(&mut self, r: Resource) -> Result<(), DuplicateIdError> {
        if self.index.contains_key(r.id()) {
            return Err(DuplicateIdError { id: Box::new(r.id().clone()) });
        }
        self.index.insert(r.id().clone(), self.items.len());
        self.items.push(r);
        Ok(())
    }

    /// Append every resource of `other`, in order.
    pub fn append(&mut self, other: ResourceList) -> Result<(), DuplicateIdError> {
        other.items.into_iter().try_for_each(|r| self.push(r))
    }

    /// Change resources in place. The id map is rebuilt afterwards; two resources that now
    /// share an id give a [`DuplicateIdError`] (converted into `E`).
    pub fn update<E: From<DuplicateIdError>>(
        &mut self,
        mut f: impl FnMut(&mut Resource) -> Result<(), E>,
    ) -> Result<(), E> {
        let before: Vec<u64> = self.items.iter().map(Resource::id_generation).collect();
        let res = self.items.iter_mut().try_for_each(&mut f);
        // Generations are unique per identity change, so equal ones mean no id moved.
        let same = self.items.iter().map(Resource::id_generation).eq(before.iter().copied());
        let re = if same { Ok(()) } else { self.reindex() };
        res?;
        re.map_err(E::from)
    }

    /// Keep only the resources for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Resource) -> bool) {
        self.items.retain(keep);
        // Ids were unique before and removal cannot create duplicates.
        let _ = self.reindex();
    }

    fn reindex(&mut self) -> Result<(), DuplicateIdError> {
        self.index.clear();
        self.index.reserve(self.items.len());
        let mut dup = None;
        for (i, r) in self.items.iter().enumerate() {
            if self.index.insert(r.id().clone(), i).is_some() && dup.is_none() {
                dup = Some(r.id().clone());
            }
        }
        match dup {
            Some(id) => Err(DuplicateIdError { id: Box::new(id) }),
            None => Ok(()),
        }
    }

    /// Sort in kustomize's legacy order.
    pub fn sort_legacy(&mut self, order: &LegacyOrder) {
        let mut keyed: Vec<(i64, String, Resource)> = std::mem::take(&mut self.items)
            .into_iter()
            .map(|r| (order.rank(r.kind()), r.id().legacy_sort_key(), r))
            .collect();
        keyed.sort_by(|a, b| {
            let (ga, gb) = (a.2.gvk(), b.2.gvk());
            if ga != gb { gvk_cmp(a.0, ga, b.0, gb) } else { a.1.cmp(&b.1) }
        });
        self.items = keyed.into_iter().map(|k| k.2).collect();
        let _ = self.reindex();
    }

    /// Take the resources out.
    pub fn into_vec(self) -> Vec<Resource> {
        self.items
    }
}

impl<'a> IntoIterator for &'a ResourceList {
    type Item = &'a Resource;
    type IntoIter = std::slice::Iter<'a, Resource>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

fn legacy_gvk_string(g: &Gvk) -> String {
    let or = |s: &str, d: &'static str| if s.is_empty() { d.to_owned() } else { s.to_owned() };
    format!("{}_{}_{}", or(&g.group, "~G"), or(&g.version, "~V"), or(&g.kind, "~K"))
}

fn gvk_cmp(ra: i64, a: &Gvk, rb: i64, b: &Gvk) -> Ordering {
    if ra != rb {
        return ra.cmp(&rb);
    }
    let (sa, sb) = (legacy_gvk_string(a), legacy_gvk_string(b));
    // kustomize's quirk: two Namespace kinds, one with an empty group, compare reversed.
    if a.kind == "Namespace" && b.kind == "Namespace" && (a.group.is_empty() || b.group.is_empty())
    {
        sb.cmp(&sa)
    } else {
        sa.cmp(&sb)
    }
}

/// The kind lists of kustomize's legacy sort (`sortOptions.legacySortOptions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyOrder {
    /// Kinds placed first, in this order.
    pub order_first: Vec<String>,
    /// Kinds placed last, in this order.
    pub order_last: Vec<String>,
}

/// kustomize's default `orderFirst`.
pub const DEFAULT_ORDER_FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// kustomize's default `orderLast`.
pub const DEFAULT_ORDER_LAST: &[&str] =
    &["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

impl Default for LegacyOrder {
    fn default() -> Self {
        LegacyOrder {
            order_first: DEFAULT_ORDER_FIRST.iter().map(|s| (*s).to_owned()).collect(),
            order_last: DEFAULT_ORDER_LAST.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

impl LegacyOrder {
    /// The rank of a kind: `-len(first)+i` for `first[i]`, `1+i` for `last[i]`, else 0.
    /// A kind in both lists takes its `last` rank (kustomize fills the map in that order).
    pub fn rank(&self, kind: &str) -> i64 {
        if let Some(i) = self.order_last.iter().position(|k| k == kind) {
            return 1 + i as i64;
        }
        // A kind listed twice keeps its last position, like a Go map overwritten in order.
        if let Some(i) = self.order_first.iter().rposition(|k| k == kind) {
            return i as i64 - self.order_first.len() as i64;
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::obj;
    use super::*;

    fn list(items: &[(&str, &str, &str, &str)]) -> ResourceList {
        let mut l = ResourceList::new();
        for (av, k, n, ns) in items {
            l.push(Resource::new(obj(av, k, n, ns))).unwrap();
        }
        l
    }

    fn names(l: &ResourceList) -> Vec<String> {
        l.iter().map(|r| format!("{}/{}/{}", r.kind(), r.namespace(), r.name())).collect()
    }

    #[test]
    fn push_rejects_duplicates() {
        let mut l = list(&[("v1", "ConfigMap", "a", "")]);
        let err = l.push(Resource::new(obj("v1", "ConfigMap", "a", "default"))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "may not add resource with an already registered id: ConfigMap.v1.[noGrp]/a.default"
        );
        assert_eq!(l.len(), 1);
        l.push(Resource::new(obj("v1", "ConfigMap", "a", "other"))).unwrap();
        assert_eq!(l.len(), 2);
    }

    #[test]
    fn update_detects_conflicts() {
        let mut l = list(&[("v1", "ConfigMap", "a", "x"), ("v1", "ConfigMap", "a", "y")]);
        let r: Result<(), DuplicateIdError> = l.update(|r| {
            r.edit(|v| {
                if let Some(m) = v.get_mut("metadata").and_then(|m| m.as_map_mut()) {
                    m.insert("namespace".into(), "z".into());
                }
            });
            Ok(())
        });
        assert!(r.is_err());
    }

    #[test]
    fn legacy_sort_table() {
        type Case<'a> = (&'a [(&'a str, &'a str, &'a str, &'a str)], &'a [&'a str]);
        let cases: &[Case<'_>] = &[
            (
                &[
                    ("apps/v1", "Deployment", "d", "ns"),
                    ("v1", "Service", "s", "ns"),
                    ("v1", "Namespace", "ns", ""),
                    ("example.com/v1", "Widget", "w", ""),
                    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "v", ""),
                    ("v1", "ConfigMap", "c", "ns"),
                ],
                &[
                    "Namespace//ns",
                    "ConfigMap/ns/c",
                    "Service/ns/s",
                    "Deployment/ns/d",
                    "Widget//w",
                    "ValidatingWebhookConfiguration//v",
                ],
            ),
            (
                // same GVK: namespace first (empty sorts last), then name
                &[
                    ("v1", "ConfigMap", "b", ""),
                    ("v1", "ConfigMap", "b", "a"),
                    ("v1", "ConfigMap", "a", "b"),
                    ("v1", "ConfigMap", "a", ""),
                ],
                &["ConfigMap/a/b", "ConfigMap/b/a", "ConfigMap//a", "ConfigMap//b"],
            ),
            (
                // unlisted kinds: group_version_kind byte order, ~G for the core group
                &[
                    ("v1", "Pod", "p", ""),
                    ("batch/v1", "Job", "j", ""),
                    ("apps/v1", "DaemonSet", "d", ""),
                ],
                &["DaemonSet//d", "Job//j", "Pod//p"],
            ),
            (
                // the Namespace quirk: reversed when one group is empty
                &[("v1", "Namespace", "a", ""), ("example.com/v1", "Namespace", "b", "")],
                &["Namespace//a", "Namespace//b"],
            ),
        ];
        for (input, want) in cases {
            let mut l = list(input);
            l.sort_legacy(&LegacyOrder::default());
            assert_eq!(names(&l), *want);
            // index stays valid after the sort
            for (i, r) in l.iter().enumerate() {
                assert_eq!(l.position(r.id()), Some(i));
            }
        }
    }

    #[test]
    fn rank_table() {
        let o = LegacyOrder::default();
        for (k, want) in [
            ("Namespace", -22),
            ("PodDisruptionBudget", -1),
            ("Pod", 0),
            ("MutatingWebhookConfiguration", 1),
            ("ValidatingWebhookConfiguration", 2),
        ] {
            assert_eq!(o.rank(k), want, "{k}");
        }
    }

    #[test]
    fn retain_keeps_index() {
        let mut l = list(&[("v1", "A", "a", ""), ("v1", "B", "b", ""), ("v1", "C", "c", "")]);
        l.retain(|r| r.kind() != "B");
        assert_eq!(names(&l), ["A//a", "C//c"]);
        let c = l.iter().nth(1).unwrap().id().clone();
        assert_eq!(l.position(&c), Some(1));
    }
}
