//! The apply plan of one Kustomization: Flux's apply stages and sort, what happens to each
//! object (`created`, `configured`, `unchanged`, `skipped`), the new inventory and the
//! prune plan (`deleted`, `skipped`), and [`apply_plan`] to carry it out on a [`Cluster`].
//!
//! | item | what |
//! |---|---|
//! | [`Stage`], [`stage_of`] | Flux's `ApplyAllStaged` stages: definitions, classes, custom kinds, the rest |
//! | [`ORDER_FIRST`], [`ORDER_LAST`], [`kind_rank`], [`compare_refs`], [`sort_for_apply`] | Flux's sort inside a stage (`ssa/sort.go`) |
//! | [`Action`], [`ChangeSetEntry`], [`ChangeSet`] | Flux's change set and its log lines (`Deployment/web/podinfo configured`) |
//! | [`Options`], [`plan`], [`Plan`], [`Step`] | the whole plan of one Kustomization against a live [`Cluster`] |
//! | [`apply_plan`] | apply, prune, write the inventory |
//!
//! Behaviour follows fluxcd/pkg `ssa/manager_apply.go`, `ssa/manager_delete.go`,
//! `ssa/sort.go`, `ssa/utils/is.go`, `ssa/changeset.go` and kustomize-controller's
//! `apply`/`prune` (see `docs/flux.md`, `## plan`).
//!
//! ```
//! use gitops_core::cluster::{Cluster, LiveDir};
//! use gitops_core::inventory::Owner;
//! use gitops_core::plan::{apply_plan, plan, Options};
//! use gitops_core::resource::Resource;
//! use gitops_core::yaml::{parse_values, Limits, Profile};
//! let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\n  namespace: web\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n";
//! let desired: Vec<Resource> = parse_values(text, Profile::ApiServer, &Limits::default())
//!     .unwrap().into_iter().map(Resource::new).collect();
//! let dir = std::env::temp_dir().join(format!("gitops-doc-plan-{}", std::process::id()));
//! let mut live = LiveDir::open(&dir).unwrap();
//! let owner = Owner::new("apps", "flux-system");
//! let options = Options { owner: Some(owner.clone()), ..Options::default() };
//! let previous = live.read_inventory(&owner).unwrap();
//! let p = plan(&desired, &live, previous.as_ref(), &options).unwrap();
//! assert_eq!(p.change_set().to_string(), "Namespace/web created\nDeployment/web/podinfo created");
//! apply_plan(&mut live, &p).unwrap();
//! let again = plan(&desired, &live, live.read_inventory(&owner).unwrap().as_ref(), &options).unwrap();
//! assert_eq!(again.change_set().to_string(), "Namespace/web unchanged\nDeployment/web/podinfo unchanged");
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

use std::cmp::Ordering;
use std::fmt;

use crate::cluster::{self, Cluster};
use crate::diff;
use crate::inventory::{
    FORCE_KEY, Inventory, Owner, PruneDecision, RECONCILE_KEY, SSA_KEY, any_in_metadata,
    prune_decision, stale,
};
use crate::resource::{ObjectRef, Resource};
use crate::yaml::{Mapping, Value, emit, json_roundtrip};

/// Kinds applied first, in this order, whatever their group (fluxcd/pkg `ssa/sort.go`
/// `ReconcileOrder.First`).
pub const ORDER_FIRST: &[&str] = &[
    "CustomResourceDefinition",
    "Namespace",
    "ClusterRole",
    "ClusterClass",
    "RuntimeClass",
    "PriorityClass",
    "StorageClass",
    "VolumeSnapshotClass",
    "IngressClass",
    "GatewayClass",
    "ClusterRoleBinding",
    "ResourceQuota",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "ConfigMap",
    "Secret",
    "Service",
    "LimitRange",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// Kinds applied last, in this order (`ReconcileOrder.Last`).
pub const ORDER_LAST: &[&str] = &["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

/// The rank of a kind in Flux's sort: `ORDER_FIRST[i]` ranks `i - len(ORDER_FIRST)`,
/// `ORDER_LAST[i]` ranks `1 + i`, every other kind `0`. Kinds compare case-sensitively.
pub fn kind_rank(kind: &str) -> i64 {
    let first = ORDER_FIRST.len() as i64;
    if let Some(i) = ORDER_FIRST.iter().position(|k| *k == kind) {
        i as i64 - first
    } else if let Some(i) = ORDER_LAST.iter().position(|k| *k == kind) {
        1 + i as i64
    } else {
        0
    }
}

/// Flux's order of two objects inside a stage: kind rank, then group, then kind, then
/// namespace, then name (byte order). The version is not part of the key.
pub fn compare_refs(a: &ObjectRef, b: &ObjectRef) -> Ordering {
    kind_rank(&a.kind)
        .cmp(&kind_rank(&b.kind))
        .then_with(|| a.group.cmp(&b.group))
        .then_with(|| a.kind.cmp(&b.kind))
        .then_with(|| a.namespace.cmp(&b.namespace))
        .then_with(|| a.name.cmp(&b.name))
}

/// Sort objects as Flux's `ApplyAll` does inside one stage (stable for equal keys).
///
/// ```
/// use gitops_core::plan::sort_for_apply;
/// use gitops_core::resource::Resource;
/// use gitops_core::yaml::{parse_values, Limits, Profile};
/// let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n";
/// let mut objs: Vec<Resource> = parse_values(text, Profile::ApiServer, &Limits::default())
///     .unwrap().into_iter().map(Resource::new).collect();
/// sort_for_apply(&mut objs);
/// let kinds: Vec<&str> = objs.iter().map(|r| r.kind()).collect();
/// assert_eq!(kinds, ["Namespace", "Service", "Deployment"]);
/// ```
pub fn sort_for_apply(objects: &mut [Resource]) {
    objects.sort_by_cached_key(|r| SortKey::of(&r.object_ref()));
}

/// An owned form of [`compare_refs`]'s key, for cached sorting.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct SortKey(i64, String, String, String, String);

impl SortKey {
    fn of(r: &ObjectRef) -> SortKey {
        SortKey(
            kind_rank(&r.kind),
            r.group.clone(),
            r.kind.clone(),
            r.namespace.clone(),
            r.name.clone(),
        )
    }
}

/// A group and kind, to name the kinds of the custom stage.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct GroupKind {
    /// API group; empty for the core group.
    pub group: String,
    /// Kind.
    pub kind: String,
}

/// Flux's apply stages, in the order they run (`ssa.ResourceManager.ApplyAllStaged`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// CustomResourceDefinitions (`apiextensions.k8s.io/*`), Namespaces (`v1`) and
    /// ClusterRoles (`rbac.authorization.k8s.io/*`); kinds compared ignoring case. Flux
    /// waits for them to be ready before the next stage.
    Definitions,
    /// Any kind ending in `Class` (StorageClass, IngressClass, GatewayClass, ...).
    Classes,
    /// The group/kinds of [`Options::custom_stage_kinds`] (kustomize-controller's
    /// `--custom-stage-kinds`).
    Custom,
    /// Everything else.
    Rest,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Definitions => "definitions",
            Stage::Classes => "classes",
            Stage::Custom => "custom",
            Stage::Rest => "rest",
        })
    }
}

/// The stage of an object, with no custom-stage kinds.
///
/// ```
/// use gitops_core::plan::{stage_of, Stage};
/// use gitops_core::resource::Resource;
/// use gitops_core::yaml::{parse_values, Limits, Profile};
/// let r = |t: &str| Resource::new(parse_values(t, Profile::ApiServer, &Limits::default()).unwrap().remove(0));
/// assert_eq!(stage_of(&r("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")), Stage::Definitions);
/// assert_eq!(stage_of(&r("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: a}\n")), Stage::Classes);
/// assert_eq!(stage_of(&r("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n")), Stage::Rest);
/// ```
pub fn stage_of(res: &Resource) -> Stage {
    stage_with(res, &[])
}

/// The stage of an object, `custom` naming the kinds of [`Stage::Custom`].
pub fn stage_with(res: &Resource, custom: &[GroupKind]) -> Stage {
    let kind = res.kind().to_ascii_lowercase();
    let av = res.api_version();
    let definition = (kind == "customresourcedefinition"
        && av.starts_with("apiextensions.k8s.io/"))
        || (kind == "namespace" && av == "v1")
        || (kind == "clusterrole" && av.starts_with("rbac.authorization.k8s.io/"));
    if definition {
        Stage::Definitions
    } else if res.kind().ends_with("Class") {
        Stage::Classes
    } else if custom.iter().any(|gk| gk.group == res.group() && gk.kind == res.kind()) {
        Stage::Custom
    } else {
        Stage::Rest
    }
}

/// What was (or will be) done to an object; prints as Flux's lower-case action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The object did not exist.
    Created,
    /// The object existed and differed.
    Configured,
    /// The object existed and did not differ.
    Unchanged,
    /// The object was garbage collected (or was already gone).
    Deleted,
    /// The object was left alone (`ssa: Ignore`, `reconcile: disabled`, `ssa: IfNotPresent`
    /// on an existing object, or a prune exclusion).
    Skipped,
}

impl Action {
    /// Flux's name of the action.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Configured => "configured",
            Action::Unchanged => "unchanged",
            Action::Deleted => "deleted",
            Action::Skipped => "skipped",
        }
    }

    /// Whether Flux reports the action as a change (`created`, `configured`, `deleted`).
    pub fn is_change(self) -> bool {
        matches!(self, Action::Created | Action::Configured | Action::Deleted)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change-set entry: the object, what was done, and Flux's subject
/// (`Kind/namespace/name`, or `Kind/name` for cluster-scoped objects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSetEntry {
    /// The object (its version is the entry's `GroupVersion`).
    pub id: ObjectRef,
    /// What was done.
    pub action: Action,
    /// `Kind/namespace/name` or `Kind/name`.
    pub subject: String,
}

impl ChangeSetEntry {
    /// An entry; the subject is computed from `id`.
    pub fn new(id: ObjectRef, action: Action) -> ChangeSetEntry {
        let subject = id.to_string();
        ChangeSetEntry { id, action, subject }
    }
}

impl fmt::Display for ChangeSetEntry {
    /// Flux's log line: `<subject> <action>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.subject, self.action)
    }
}

/// A sequence of entries in Flux's order; prints one entry per line (no final newline),
/// as `ChangeSet.String()`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangeSet {
    /// The entries.
    pub entries: Vec<ChangeSetEntry>,
}

impl ChangeSet {
    /// The lines of entries that are changes (`created`, `configured`, `deleted`): the
    /// text of Flux's apply and garbage-collection events.
    pub fn changes(&self) -> String {
        let lines: Vec<String> =
            self.entries.iter().filter(|e| e.action.is_change()).map(|e| e.to_string()).collect();
        lines.join("\n")
    }

    /// Whether any entry is a change.
    pub fn has_changes(&self) -> bool {
        self.entries.iter().any(|e| e.action.is_change())
    }

    /// The inventory Flux records from this change set: every entry, in order.
    pub fn to_inventory(&self) -> Inventory {
        Inventory::from_refs(self.entries.iter().map(|e| &e.id))
    }
}

impl fmt::Display for ChangeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Settings of [`plan`], mirroring the Kustomization spec.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Kustomization: its owner labels are set on every object, only objects carrying
    /// them are pruned, and its inventory is written by [`apply_plan`]. `None`: no labels,
    /// no owner check, no inventory written.
    pub owner: Option<Owner>,
    /// `spec.prune`: garbage-collect stale objects (default `true`).
    pub prune: bool,
    /// `spec.force`: recreate objects whose immutable fields changed (default `false`).
    pub force: bool,
    /// Kinds applied in their own stage after the classes.
    pub custom_stage_kinds: Vec<GroupKind>,
    /// Drift comparison settings (`spec.ignore` rules).
    pub diff: diff::Options,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            owner: None,
            prune: true,
            force: false,
            custom_stage_kinds: Vec::new(),
            diff: diff::Options::default(),
        }
    }
}

/// One object to apply, in apply order.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Its stage.
    pub stage: Stage,
    /// The desired object, owner labels set.
    pub object: Resource,
    /// The planned change-set entry.
    pub entry: ChangeSetEntry,
    /// Delete the live object first (an immutable field changed and force is on).
    pub recreate: bool,
}

/// The plan of one Kustomization.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The Kustomization ([`Options::owner`]).
    pub owner: Option<Owner>,
    /// The objects to apply, stage by stage, in Flux's order.
    pub apply: Vec<Step>,
    /// The stale objects, in deletion order (the reverse of apply order): `deleted` or
    /// `skipped`. Empty when pruning is off.
    pub prune: Vec<ChangeSetEntry>,
    /// The inventory after the apply: every apply entry (including unchanged and skipped).
    pub inventory: Inventory,
}

impl Plan {
    /// The apply entries followed by the prune entries.
    pub fn change_set(&self) -> ChangeSet {
        ChangeSet {
            entries: self
                .apply
                .iter()
                .map(|s| s.entry.clone())
                .chain(self.prune.iter().cloned())
                .collect(),
        }
    }
}

/// Why a plan or its application failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading the live state failed.
    #[error("reading the live state failed")]
    Cluster(#[from] cluster::Error),
    /// A desired object lacks apiVersion, kind or metadata.name.
    #[error("object {index}: failed to decode Kubernetes apiVersion, kind and name")]
    NotAnObject {
        /// Its position in the desired list.
        index: usize,
    },
    /// The previous inventory holds an id that does not parse.
    #[error("previous inventory is invalid")]
    Inventory(#[from] crate::inventory::Error),
    /// An immutable field changed and neither `force` nor `kustomize.toolkit.fluxcd.io/force:
    /// enabled` allows recreating the object.
    #[error(
        "{subject} dry-run failed (Invalid): {kind} \"{name}\" is invalid: {field}: field is immutable"
    )]
    Immutable {
        /// `Kind/namespace/name`.
        subject: String,
        /// `Kind.group` as the API server names it (`Deployment.apps`, `Service`).
        kind: String,
        /// The object's name.
        name: String,
        /// The field path (`spec.selector`).
        field: &'static str,
    },
    /// Applying one object failed; earlier objects are applied, the inventory is not written.
    #[error("{subject} apply failed")]
    Apply {
        /// `Kind/namespace/name`.
        subject: String,
        /// The cause.
        #[source]
        source: cluster::Error,
    },
    /// Deleting stale objects failed; the objects not deleted stay in the written inventory.
    #[error("delete failed, errors: {errors}")]
    Prune {
        /// Flux's concatenation: `<subject> delete failed: <error>;` per failure.
        errors: String,
    },
}

/// Metadata that keeps an object from being applied (Flux's apply `ExclusionSelector`).
const APPLY_EXCLUSIONS: &[(&str, &str)] = &[(RECONCILE_KEY, "disabled"), (SSA_KEY, "Ignore")];
/// Metadata that keeps an existing object from being patched.
const IF_NOT_PRESENT: &[(&str, &str)] = &[(SSA_KEY, "IfNotPresent")];
/// Metadata that allows recreating an object on an immutable-field change.
const FORCE: &[(&str, &str)] = &[(FORCE_KEY, "enabled")];

/// Plan one Kustomization: stage and sort `desired`, compare each object with its live
/// state in `live`, build the new inventory, and (with [`Options::prune`]) plan the
/// deletion of the objects of `previous` that are no longer desired.
///
/// `kustomize.config.k8s.io` Kustomization objects are dropped, as Flux does.
pub fn plan(
    desired: &[Resource],
    live: &dyn Cluster,
    previous: Option<&Inventory>,
    options: &Options,
) -> Result<Plan, Error> {
    if let Some(prev) = previous {
        prev.refs()?;
    }
    let mut staged = Vec::with_capacity(desired.len());
    for (index, res) in desired.iter().enumerate() {
        if res.group() == "kustomize.config.k8s.io"
            && res.kind().eq_ignore_ascii_case("kustomization")
        {
            continue;
        }
        if res.api_version().is_empty() || res.kind().is_empty() || res.name().is_empty() {
            return Err(Error::NotAnObject { index });
        }
        let mut object = res.clone();
        if let Some(owner) = &options.owner {
            owner.set_labels(&mut object);
        }
        crate::normalize::normalize(&mut object);
        let stage = stage_with(&object, &options.custom_stage_kinds);
        staged.push((stage, SortKey::of(&object.object_ref()), object));
    }
    staged.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));

    let mut apply = Vec::with_capacity(staged.len());
    for (stage, _, object) in staged {
        let id = object.object_ref();
        let existing = live.get(&id)?;
        let (action, recreate) = decide(&object, existing.as_ref(), options)?;
        apply.push(Step { stage, entry: ChangeSetEntry::new(id, action), object, recreate });
    }
    let inventory = Inventory::from_refs(apply.iter().map(|s| &s.entry.id));

    let mut prune = Vec::new();
    if let (true, Some(prev)) = (options.prune, previous) {
        for id in stale(prev, &inventory).into_iter().rev() {
            let live_obj = live.get(&id)?;
            let action = match prune_decision(live_obj.as_ref(), options.owner.as_ref()) {
                PruneDecision::Gone | PruneDecision::Delete => Action::Deleted,
                PruneDecision::Skip => Action::Skipped,
            };
            prune.push(ChangeSetEntry::new(id, action));
        }
    }
    Ok(Plan { owner: options.owner.clone(), apply, prune, inventory })
}

/// The action for one object and whether it must be recreated.
fn decide(
    desired: &Resource,
    existing: Option<&Resource>,
    options: &Options,
) -> Result<(Action, bool), Error> {
    let excluded = any_in_metadata(desired, APPLY_EXCLUSIONS)
        || existing.is_some_and(|e| any_in_metadata(e, APPLY_EXCLUSIONS));
    if excluded || (existing.is_some() && any_in_metadata(desired, IF_NOT_PRESENT)) {
        return Ok((Action::Skipped, false));
    }
    let Some(existing) = existing else { return Ok((Action::Created, false)) };
    if let Some(field) = immutable_change(desired, existing) {
        let forced =
            options.force || any_in_metadata(desired, FORCE) || any_in_metadata(existing, FORCE);
        if forced {
            // Flux deletes the object and dry-runs again: the result has no
            // resourceVersion, so the entry reads `created`.
            return Ok((Action::Created, true));
        }
        let kind = if desired.group().is_empty() {
            desired.kind().to_owned()
        } else {
            format!("{}.{}", desired.kind(), desired.group())
        };
        return Err(Error::Immutable {
            subject: desired.object_ref().to_string(),
            kind,
            name: desired.name().to_owned(),
            field,
        });
    }
    if drifted(desired, existing, &options.diff) {
        Ok((Action::Configured, false))
    } else {
        Ok((Action::Unchanged, false))
    }
}

/// The first immutable field (as the API server validates it) that both objects set to
/// different values.
fn immutable_change(desired: &Resource, live: &Resource) -> Option<&'static str> {
    const SELECTOR: (&str, &[&str]) = ("spec.selector", &["spec", "selector"]);
    let fields: &[(&'static str, &[&str])] = match (desired.group(), desired.kind()) {
        ("apps", "Deployment" | "ReplicaSet" | "DaemonSet") => &[SELECTOR],
        ("apps", "StatefulSet") => &[
            SELECTOR,
            ("spec.serviceName", &["spec", "serviceName"]),
            ("spec.volumeClaimTemplates", &["spec", "volumeClaimTemplates"]),
            ("spec.podManagementPolicy", &["spec", "podManagementPolicy"]),
        ],
        ("batch", "Job") => &[SELECTOR, ("spec.template", &["spec", "template"])],
        ("", "Service") => &[("spec.clusterIP", &["spec", "clusterIP"])],
        ("", "ConfigMap" | "Secret")
            if live.value().get("immutable").and_then(Value::as_bool) == Some(true) =>
        {
            &[("data", &["data"]), ("binaryData", &["binaryData"])]
        }
        _ => &[],
    };
    fields.iter().find_map(|(name, path)| {
        match (desired.value().get_path(path), live.value().get_path(path)) {
            (Some(a), Some(b)) if a != b => Some(*name),
            _ => None,
        }
    })
}

/// Whether the live object differs from the desired one: [`diff::compare`] finds a
/// drifted field (Flux's `hasDrifted`, with the `spec.ignore` rules), or — for an object
/// no ignore rule selects — the live object holds fields the desired one no longer sets
/// (removed from Git: Flux's apply removes them, as the field manager owns them).
fn drifted(desired: &Resource, live: &Resource, options: &diff::Options) -> bool {
    if !diff::compare(desired, live, options).is_empty() {
        return true;
    }
    if options.ignore.iter().any(|rule| rule.matches(desired)) {
        return false;
    }
    match (comparable(desired.value()), comparable(live.value())) {
        (Some(a), Some(b)) => a != b,
        _ => true,
    }
}

/// The text compared by [`drifted`]: the object without `status` and with only non-empty
/// labels and annotations left in `metadata`, through JSON and the go-yaml v2 printer (keys
/// sorted, numbers canonical).
fn comparable(v: &Value) -> Option<String> {
    let mut obj = v.as_map()?.clone();
    obj.shift_remove("status");
    let mut meta = Mapping::new();
    for key in ["labels", "annotations"] {
        let m = v.get_path(&["metadata", key]);
        if let Some(Value::Map(m)) = m
            && !m.is_empty()
        {
            meta.insert(key.to_owned(), Value::Map(m.clone()));
        }
    }
    obj.insert("metadata".to_owned(), Value::Map(meta));
    emit(&json_roundtrip(&Value::Map(obj)).ok()?).ok()
}

/// Carry out a plan on a cluster, as kustomize-controller does: apply the `created` and
/// `configured` objects in order (deleting first those to recreate), delete the stale
/// objects planned `deleted`, then write the new inventory (with the objects whose deletion
/// failed merged back in). Returns the change set.
///
/// An apply error stops at once: no pruning, no inventory written.
pub fn apply_plan(cluster: &mut dyn Cluster, plan: &Plan) -> Result<ChangeSet, Error> {
    let mut out = ChangeSet::default();
    for step in &plan.apply {
        if matches!(step.entry.action, Action::Created | Action::Configured) {
            let subject = || step.entry.subject.clone();
            if step.recreate {
                cluster
                    .delete(&step.entry.id, false)
                    .map_err(|source| Error::Apply { subject: subject(), source })?;
            }
            cluster
                .apply(&step.object, false)
                .map_err(|source| Error::Apply { subject: subject(), source })?;
        }
        out.entries.push(step.entry.clone());
    }
    let mut inventory = plan.inventory.clone();
    let mut errors = String::new();
    for entry in &plan.prune {
        if entry.action == Action::Deleted
            && let Err(e) = cluster.delete(&entry.id, false)
        {
            errors.push_str(&format!("{} delete failed: {e};", entry.subject));
            inventory.merge([&entry.id]);
            continue;
        }
        out.entries.push(entry.clone());
    }
    if let Some(owner) = &plan.owner {
        cluster.write_inventory(owner, &inventory, false)?;
    }
    if !errors.is_empty() {
        return Err(Error::Prune { errors });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, Profile, parse_values};

    fn res(av: &str, kind: &str, ns: &str, name: &str) -> Resource {
        let ns_line = if ns.is_empty() { String::new() } else { format!("  namespace: {ns}\n") };
        let text = format!("apiVersion: {av}\nkind: {kind}\nmetadata:\n  name: {name}\n{ns_line}");
        Resource::new(
            parse_values(&text, Profile::ApiServer, &Limits::default()).unwrap().remove(0),
        )
    }

    #[test]
    fn kind_rank_table() {
        let cases = [
            ("CustomResourceDefinition", -23),
            ("Namespace", -22),
            ("ClusterRole", -21),
            ("PodDisruptionBudget", -1),
            ("Ingress", 0),
            ("HelmRelease", 0),
            ("namespace", 0),
            ("MutatingWebhookConfiguration", 1),
            ("ValidatingWebhookConfiguration", 2),
        ];
        for (kind, want) in cases {
            assert_eq!(kind_rank(kind), want, "{kind}");
        }
    }

    #[test]
    fn stage_table() {
        let custom = [GroupKind { group: "example.com".into(), kind: "Widget".into() }];
        let cases = [
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition", Stage::Definitions),
            ("apiextensions.k8s.io/v1beta1", "customresourcedefinition", Stage::Definitions),
            ("example.com/v1", "CustomResourceDefinition", Stage::Rest),
            ("v1", "Namespace", Stage::Definitions),
            ("v1", "NAMESPACE", Stage::Definitions),
            ("example.com/v1", "Namespace", Stage::Rest),
            ("rbac.authorization.k8s.io/v1", "ClusterRole", Stage::Definitions),
            ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", Stage::Rest),
            ("rbac.authorization.k8s.io/v1", "Role", Stage::Rest),
            ("storage.k8s.io/v1", "StorageClass", Stage::Classes),
            ("gateway.networking.k8s.io/v1", "GatewayClass", Stage::Classes),
            ("cluster.x-k8s.io/v1beta1", "ClusterClass", Stage::Classes),
            ("example.com/v1", "Class", Stage::Classes),
            ("example.com/v1", "Subclass", Stage::Rest),
            ("example.com/v1", "Widget", Stage::Custom),
            ("other.com/v1", "Widget", Stage::Rest),
            ("apps/v1", "Deployment", Stage::Rest),
        ];
        for (av, kind, want) in cases {
            assert_eq!(stage_with(&res(av, kind, "", "x"), &custom), want, "{av} {kind}");
        }
    }

    /// Shuffled input, Flux's order out (modelled on fluxcd/pkg `ssa/sort_test.go`).
    #[test]
    fn sort_table() {
        let input = [
            ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "", "v"),
            ("apps/v1", "Deployment", "b", "web"),
            ("v1", "Service", "a", "web"),
            ("example.com/v1", "Widget", "a", "w"),
            ("apps/v1", "Deployment", "a", "web"),
            ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "", "m"),
            ("v1", "ConfigMap", "a", "z"),
            ("v1", "ConfigMap", "a", "b"),
            ("networking.k8s.io/v1", "Ingress", "a", "web"),
            ("v1", "Namespace", "", "b"),
            ("v1", "Namespace", "", "a"),
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "w.example.com"),
            ("rbac.authorization.k8s.io/v1", "ClusterRole", "", "r"),
            ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "", "r"),
            ("storage.k8s.io/v1", "StorageClass", "", "s"),
            ("v1", "ServiceAccount", "a", "sa"),
            ("apps/v1", "StatefulSet", "a", "db"),
            ("policy/v1", "PodDisruptionBudget", "a", "web"),
            ("autoscaling/v2", "HorizontalPodAutoscaler", "a", "web"),
            ("v1", "Secret", "a", "s"),
        ];
        let mut objs: Vec<Resource> =
            input.iter().map(|(av, k, ns, n)| res(av, k, ns, n)).collect();
        sort_for_apply(&mut objs);
        let got: Vec<String> = objs.iter().map(|r| r.object_ref().to_string()).collect();
        let want = [
            "CustomResourceDefinition/w.example.com",
            "Namespace/a",
            "Namespace/b",
            "ClusterRole/r",
            "StorageClass/s",
            "ClusterRoleBinding/r",
            "ServiceAccount/a/sa",
            "ConfigMap/a/b",
            "ConfigMap/a/z",
            "Secret/a/s",
            "Service/a/web",
            "Deployment/a/web",
            "Deployment/b/web",
            "StatefulSet/a/db",
            "PodDisruptionBudget/a/web",
            // rank 0: by group, then kind
            "HorizontalPodAutoscaler/a/web",
            "Widget/a/w",
            "Ingress/a/web",
            "MutatingWebhookConfiguration/m",
            "ValidatingWebhookConfiguration/v",
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn same_kind_different_groups_sort_by_group() {
        let mut objs = vec![
            res("b.example.com/v1", "Thing", "", "x"),
            res("a.example.com/v1", "Thing", "", "x"),
            res("a.example.com/v1", "Other", "", "x"),
        ];
        sort_for_apply(&mut objs);
        let got: Vec<(String, String)> =
            objs.iter().map(|r| (r.group().to_owned(), r.kind().to_owned())).collect();
        assert_eq!(
            got,
            [
                ("a.example.com".to_owned(), "Other".to_owned()),
                ("a.example.com".to_owned(), "Thing".to_owned()),
                ("b.example.com".to_owned(), "Thing".to_owned()),
            ]
        );
    }

    #[test]
    fn change_set_display() {
        let e = |id: &str, v: &str, a| {
            let mut r = ObjectRef::parse_inventory_id(id).unwrap();
            r.version = Some(v.into());
            ChangeSetEntry::new(r, a)
        };
        let cs = ChangeSet {
            entries: vec![
                e("_web__Namespace", "v1", Action::Unchanged),
                e("web_podinfo_apps_Deployment", "v1", Action::Configured),
                e("web_cfg__ConfigMap", "v1", Action::Skipped),
                e("web_old__Service", "v1", Action::Deleted),
                e("web_new__Service", "v1", Action::Created),
            ],
        };
        assert_eq!(
            cs.to_string(),
            "Namespace/web unchanged\nDeployment/web/podinfo configured\nConfigMap/web/cfg skipped\nService/web/old deleted\nService/web/new created"
        );
        assert_eq!(
            cs.changes(),
            "Deployment/web/podinfo configured\nService/web/old deleted\nService/web/new created"
        );
        assert!(cs.has_changes());
        assert_eq!(cs.to_inventory().entries[1].id, "web_podinfo_apps_Deployment");
        assert_eq!(cs.to_inventory().entries[1].v, "v1");
        assert_eq!(ChangeSet::default().to_string(), "");
    }

    #[test]
    fn comparable_ignores_status_and_server_metadata() {
        let p =
            |t: &str| parse_values(t, Profile::ApiServer, &Limits::default()).unwrap().remove(0);
        let a = p("kind: A\nmetadata:\n  name: a\n  labels: {}\nspec: {x: 1}\n");
        let b = p(
            "kind: A\nspec: {x: 1}\nmetadata:\n  name: a\n  uid: u\n  finalizers: [f]\nstatus: {ok: true}\n",
        );
        assert_eq!(comparable(&a), comparable(&b));
        let c = p("kind: A\nmetadata:\n  name: a\n  annotations: {k: v}\nspec: {x: 1}\n");
        assert_ne!(comparable(&a), comparable(&c));
        let d = p("kind: A\nmetadata:\n  name: a\nspec: {x: \"1\"}\n");
        assert_ne!(comparable(&a), comparable(&d));
    }
}
