//! Drift detection offline: desired against live, as Flux's `ssa` package judges it
//! (`manager_diff.go`, `jsondiff/unstructured.go`, `jsondiff/mask.go`, `sanitize.go`).
//!
//! | item | what |
//! |---|---|
//! | [`compare`] | structured changes ([`Change`]: JSON pointer, before = live, after = desired); empty = in sync |
//! | [`unified`] | a unified text diff of the live object against the object after apply |
//! | [`unified_text`] | the line diff itself (Myers, linear space), for any two texts |
//! | [`mask_secret`] | a Secret with every `data`/`stringData` value replaced by `***` |
//! | [`IgnoreRule`] / [`Selector`] | Kustomization `spec.ignore[]` drift-ignore rules |
//!
//! # How drift is decided without an API server
//!
//! Flux compares the live object with the result of a server-side *dry-run apply* of the
//! desired object. That result is the live object with the desired fields applied on top,
//! so a field only the live object has (set by a controller, a webhook, a default) shows
//! up on both sides and is never drift; a field the desired object sets is drift when
//! live disagrees. Offline we build the same picture from the two objects alone:
//!
//! 1. both sides are [normalised](crate::normalize) (and HPA metrics fixed as in
//!    [`dry_run`](crate::normalize::dry_run));
//! 2. the paths of every [`IgnoreRule`] whose target selects the desired object are
//!    removed from both sides; a rule with the path `""` ignores the object entirely;
//! 3. `metadata` counts only for `labels` and `annotations`, and only for the keys the
//!    desired object sets (Flux keeps `add`/`replace` operations of the metadata patch,
//!    drops `remove`); `status` and every other `metadata` field (`managedFields`,
//!    `resourceVersion`, `uid`, `generation`, `creationTimestamp`, `ownerReferences`,
//!    `finalizers`, ...) are ignored;
//! 4. everything else is compared field by field *as the desired object sets it*:
//!    * a mapping: each key the desired object sets is compared; keys only live has are
//!      not drift;
//!    * `null`, `{}` and `[]` (recursively) set nothing: absent in live is not drift;
//!    * a sequence whose items are all mappings carrying a common, unique merge key
//!      (`name`, else `containerPort`, `port`, `mountPath`, `devicePath`, `ip`) is an
//!      associative list, as server-side apply treats `containers`, `env`, `volumes`,
//!      `ports`: items are matched by key, unmatched desired items are additions, items
//!      only live has are not drift (an injected sidecar is not drift);
//!    * other sequences of equal length are compared item by item; of different lengths
//!      they are replaced whole (one change at the sequence's path);
//!    * scalars compare by value (`1` equals `1.0`).
//!
//! What this cannot know offline: which live-only fields the field manager owns (a
//! field removed from Git is removed by Flux's apply but is not reported here), and
//! server-side defaulting or canonical forms (`cpu: 0.5` vs `500m`).
//!
//! Changes come out in a fixed order: label changes, annotation changes, then the rest
//! depth first with mapping keys in byte order and sequence items in desired order.
//! Paths index sequences by the live item (modified) or the desired item (added).
//! Secrets (core `Secret`) are masked in every output, with Flux's markers: `***` for a
//! value on one side or equal on both, `*** (before)` / `*** (after)` for a changed value.
//!
//! ```
//! use gitops_core::diff::{compare, Options};
//! use gitops_core::resource::Resource;
//! use gitops_core::yaml::{parse_values, Limits, Profile};
//! let parse = |t: &str| Resource::new(parse_values(t, Profile::ApiServer, &Limits::default()).unwrap().remove(0));
//! let desired = parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n");
//! let live = parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, uid: x}\nspec: {replicas: 2, paused: false}\nstatus: {}\n");
//! let changes = compare(&desired, &live, &Options::default());
//! assert_eq!(changes.len(), 1);
//! assert_eq!(changes[0].path, "/spec/replicas");
//! ```

mod ignore;
pub mod pointer;
mod unified;

pub use ignore::{IgnoreRule, Selector};
pub use unified::unified_text;

use crate::normalize;
use crate::resource::Resource;
use crate::yaml::{Mapping, Value};

/// Errors building drift options.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An ignore path that is not an RFC 6901 JSON pointer.
    #[error("invalid JSON pointer {pointer:?} in ignore rule")]
    Pointer {
        /// The path as given.
        pointer: String,
    },
    /// A selector field that does not compile.
    #[error("failed to create ignore rule selector: {field} {input:?}: {message}")]
    Selector {
        /// `group`, `version`, `kind`, `name`, `namespace`, `labelSelector` or `annotationSelector`.
        field: &'static str,
        /// The expression.
        input: String,
        /// What is wrong with it.
        message: String,
    },
    /// A malformed `spec.ignore` entry.
    #[error("invalid spec.ignore: {message}")]
    Spec {
        /// What is wrong, with the entry index.
        message: String,
    },
}

/// Options of a comparison.
#[derive(Debug, Clone)]
pub struct Options {
    /// Drift-ignore rules (Kustomization `spec.ignore`).
    pub ignore: Vec<IgnoreRule>,
    /// Lines of context around each hunk of [`unified`] (default 3).
    pub context: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { ignore: Vec::new(), context: 3 }
    }
}

/// One drifted field.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// RFC 6901 JSON pointer of the field.
    pub path: String,
    /// The live value (`None`: live does not have it).
    pub before: Option<Value>,
    /// The desired value (`None`: the field goes away).
    pub after: Option<Value>,
}

/// Mask markers (fluxcd/pkg `ssa/sanitize.go`, `jsondiff/mask.go`).
pub const MASK: &str = "***";
/// The marker of a changed Secret value on the live side.
pub const MASK_BEFORE: &str = "*** (before)";
/// The marker of a changed Secret value on the desired side.
pub const MASK_AFTER: &str = "*** (after)";

/// Whether `res` is a core Secret (the only kind whose values are masked).
fn is_secret(res: &Resource) -> bool {
    res.kind() == "Secret" && res.group().is_empty()
}

/// A copy of a Secret with every `data` and `stringData` value replaced by `***`; other
/// objects are returned unchanged.
///
/// ```
/// use gitops_core::diff::mask_secret;
/// use gitops_core::resource::Resource;
/// use gitops_core::yaml::{parse_values, emit, Limits, Profile};
/// let s = parse_values("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: c2VjcmV0}\n", Profile::ApiServer, &Limits::default()).unwrap().remove(0);
/// let masked = mask_secret(&Resource::new(s));
/// assert_eq!(masked.value().get_path(&["data", "k"]).and_then(|v| v.as_str()), Some("***"));
/// ```
pub fn mask_secret(res: &Resource) -> Resource {
    let mut out = res.clone();
    if is_secret(res) {
        out.edit(|v| {
            for field in ["data", "stringData"] {
                if let Some(Value::Map(m)) = v.get_mut(field) {
                    for val in m.values_mut() {
                        *val = Value::from(MASK);
                    }
                }
            }
        });
    }
    out
}

/// The two sides prepared for comparison; `None` when an ignore rule drops the object.
fn prepare(desired: &Resource, live: &Resource, options: &Options) -> Option<(Resource, Resource)> {
    let mut d = desired.clone();
    let mut l = live.clone();
    for r in [&mut d, &mut l] {
        normalize::normalize(r);
        normalize::dry_run(r);
    }
    let selector_obj = d.clone();
    strip_ignored(&selector_obj, &mut [&mut d, &mut l], options)?;
    Some((d, l))
}

/// Remove the ignored paths of every rule selecting `selector_obj` from `targets`;
/// `None` when a rule ignores the whole object.
fn strip_ignored(
    selector_obj: &Resource,
    targets: &mut [&mut Resource],
    options: &Options,
) -> Option<()> {
    for rule in options.ignore.iter().filter(|r| r.matches(selector_obj)) {
        for tokens in rule.tokens() {
            if tokens.is_empty() {
                return None;
            }
            for t in targets.iter_mut() {
                t.edit(|v| pointer::remove(v, tokens));
            }
        }
    }
    Some(())
}

/// The drifted fields of `live` against `desired` (see the module docs for the rules).
/// Empty means in sync. Secret values are masked.
pub fn compare(desired: &Resource, live: &Resource, options: &Options) -> Vec<Change> {
    let Some((d, l)) = prepare(desired, live, options) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for field in ["labels", "annotations"] {
        let dv = d.value().get_path(&["metadata", field]);
        let lv = l.value().get_path(&["metadata", field]);
        if let Some(Value::Map(dm)) = dv {
            let empty = Value::Map(Mapping::new());
            let lv = match lv {
                None | Some(Value::Null) => &empty,
                Some(v) => v,
            };
            let base = format!("/metadata/{field}");
            walk(&base, &Value::Map(dm.clone()), lv, &mut out, 0);
        }
    }
    if let (Value::Map(dm), Value::Map(lm)) = (d.value(), l.value()) {
        let strip = |m: &Mapping| -> Mapping {
            m.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "metadata" | "status"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        walk("", &Value::Map(strip(dm)), &Value::Map(strip(lm)), &mut out, 0);
    }
    if is_secret(&d) {
        mask_changes(&mut out);
    }
    out
}

/// Depth bound of the walk (objects deeper than this compare as whole values).
const MAX_DEPTH: usize = 256;

/// Whether a desired value sets nothing (null, or collections of nothing). Iterative:
/// no recursion on input depth.
fn sets_nothing(v: &Value) -> bool {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Null => {}
            Value::Map(m) => stack.extend(m.values()),
            Value::Seq(s) if s.is_empty() => {}
            _ => return false,
        }
    }
    true
}

/// Semantic equality: numbers by value, collections element-wise, maps ignoring order.
/// Iterative: no recursion on input depth.
fn equal(a: &Value, b: &Value) -> bool {
    let mut stack = vec![(a, b)];
    while let Some(pair) = stack.pop() {
        let same = match pair {
            (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => {
                (*x as f64) == *y
            }
            (Value::Uint(x), Value::Float(y)) | (Value::Float(y), Value::Uint(x)) => {
                (*x as f64) == *y
            }
            (Value::Int(x), Value::Uint(y)) | (Value::Uint(y), Value::Int(x)) => {
                u64::try_from(*x).is_ok_and(|x| x == *y)
            }
            (Value::Seq(x), Value::Seq(y)) => {
                stack.extend(x.iter().zip(y));
                x.len() == y.len()
            }
            (Value::Map(x), Value::Map(y)) => {
                for (k, v) in x {
                    match y.get(k) {
                        Some(w) => stack.push((v, w)),
                        None => return false,
                    }
                }
                x.len() == y.len()
            }
            (Value::Seq(_) | Value::Map(_), _) | (_, Value::Seq(_) | Value::Map(_)) => false,
            (a, b) => a == b,
        };
        if !same {
            return false;
        }
    }
    true
}

const MERGE_KEYS: [&str; 6] = ["name", "containerPort", "port", "mountPath", "devicePath", "ip"];

/// The merge key of an associative list: the first candidate every item of both lists
/// carries as a scalar, unique within each list.
fn merge_key(d: &[Value], l: &[Value]) -> Option<&'static str> {
    if d.is_empty() {
        return None;
    }
    MERGE_KEYS.into_iter().find(|k| {
        [d, l].iter().all(|list| {
            let mut seen: Vec<&Value> = Vec::with_capacity(list.len());
            list.iter().all(|item| match item.get(k) {
                Some(v @ (Value::String(_) | Value::Int(_) | Value::Uint(_))) => {
                    let fresh = !seen.contains(&v);
                    seen.push(v);
                    fresh
                }
                _ => false,
            })
        })
    })
}

fn push(out: &mut Vec<Change>, path: &str, before: Option<&Value>, after: Option<&Value>) {
    out.push(Change { path: path.to_owned(), before: before.cloned(), after: after.cloned() });
}

/// Compare what `d` sets against `l`, appending changes at `path`.
fn walk(path: &str, d: &Value, l: &Value, out: &mut Vec<Change>, depth: usize) {
    if depth > MAX_DEPTH {
        if !equal(d, l) {
            push(out, path, Some(l), Some(d));
        }
        return;
    }
    match (d, l) {
        (Value::Null, _) => {}
        (Value::Map(dm), Value::Map(lm)) => {
            let mut keys: Vec<&String> = dm.keys().collect();
            keys.sort();
            for k in keys {
                let Some(dv) = dm.get(k.as_str()) else { continue };
                let p = pointer::join(path, k);
                match lm.get(k.as_str()) {
                    None | Some(Value::Null) if sets_nothing(dv) => {}
                    None => push(out, &p, None, Some(dv)),
                    Some(lv) => walk(&p, dv, lv, out, depth + 1),
                }
            }
        }
        (Value::Seq(ds), Value::Seq(ls)) => {
            if let Some(key) = merge_key(ds, ls) {
                for (di, dv) in ds.iter().enumerate() {
                    let kv = dv.get(key);
                    match ls.iter().position(|lv| lv.get(key) == kv) {
                        Some(li) => walk(&format!("{path}/{li}"), dv, &ls[li], out, depth + 1),
                        None => push(out, &format!("{path}/{di}"), None, Some(dv)),
                    }
                }
            } else if ds.len() == ls.len() {
                for (i, (dv, lv)) in ds.iter().zip(ls).enumerate() {
                    if dv.is_null() {
                        if !lv.is_null() {
                            push(out, &format!("{path}/{i}"), Some(lv), Some(dv));
                        }
                    } else {
                        walk(&format!("{path}/{i}"), dv, lv, out, depth + 1);
                    }
                }
            } else if !(ds.is_empty() && ls.is_empty()) {
                push(out, path, Some(l), Some(d));
            }
        }
        (Value::Map(_) | Value::Seq(_), Value::Null) if sets_nothing(d) => {}
        _ => {
            if !equal(d, l) {
                push(out, path, Some(l), Some(d));
            }
        }
    }
}

/// Flux's `MaskSecretPatchData` over our changes.
fn mask_changes(changes: &mut [Change]) {
    for c in changes.iter_mut() {
        let (old_mask, new_mask) = if c.before.is_some() && c.after.is_some() {
            (MASK_BEFORE, MASK_AFTER)
        } else {
            (MASK, MASK)
        };
        if c.path == "/data" || c.path == "/stringData" {
            mask_maps(c.before.as_mut(), c.after.as_mut());
        } else if c.path.starts_with("/data/") || c.path.starts_with("/stringData/") {
            if let Some(b) = c.before.as_mut() {
                *b = Value::from(old_mask);
            }
            if let Some(a) = c.after.as_mut() {
                *a = Value::from(new_mask);
            }
        } else if c.path.is_empty() {
            // A whole-object replacement carries the data maps too.
            let (mut b, mut a) = (c.before.take(), c.after.take());
            mask_maps(
                b.as_mut().and_then(|v| v.get_mut("data")),
                a.as_mut().and_then(|v| v.get_mut("data")),
            );
            c.before = b;
            c.after = a;
        }
    }
}

/// Mask two maps of Secret values against each other: a key with different values on
/// both sides gets `*** (before)` / `*** (after)`, every other value `***`. Values that
/// are not maps are masked whole.
fn mask_maps(before: Option<&mut Value>, after: Option<&mut Value>) {
    let bm = before.as_deref().and_then(Value::as_map).cloned().unwrap_or_default();
    let am = after.as_deref().and_then(Value::as_map).cloned().unwrap_or_default();
    let side = |v: Option<&mut Value>, own: &Mapping, other: &Mapping, changed: &str| {
        let Some(v) = v else { return };
        match v {
            Value::Map(m) => {
                for (k, val) in m.iter_mut() {
                    let differs = other.get(k).is_some_and(|o| Some(o) != own.get(k));
                    *val = Value::from(if differs { changed } else { MASK });
                }
            }
            Value::Null => {}
            other_kind => *other_kind = Value::from(MASK),
        }
    };
    side(before, &bm, &am, MASK_BEFORE);
    side(after, &am, &bm, MASK_AFTER);
}

/// The object as the apply would leave it: `live` with every field `desired` sets
/// applied on top, by the same rules as [`compare`] (associative lists merged by key,
/// sequences of another length replaced).
fn merge(d: &Value, l: &Value, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return d.clone();
    }
    match (d, l) {
        (Value::Null, _) => l.clone(),
        (Value::Map(dm), Value::Map(lm)) => {
            let mut out = lm.clone();
            for (k, dv) in dm {
                match lm.get(k) {
                    None | Some(Value::Null) if sets_nothing(dv) => {}
                    None => {
                        out.insert(k.clone(), dv.clone());
                    }
                    Some(lv) => {
                        out.insert(k.clone(), merge(dv, lv, depth + 1));
                    }
                }
            }
            Value::Map(out)
        }
        (Value::Seq(ds), Value::Seq(ls)) => {
            if let Some(key) = merge_key(ds, ls) {
                let mut out: Vec<Value> = ls.clone();
                for dv in ds {
                    let kv = dv.get(key);
                    match ls.iter().position(|lv| lv.get(key) == kv) {
                        Some(li) => {
                            if let Some(slot) = out.get_mut(li) {
                                *slot = merge(dv, &ls[li], depth + 1);
                            }
                        }
                        None => out.push(dv.clone()),
                    }
                }
                Value::Seq(out)
            } else if ds.len() == ls.len() {
                Value::Seq(
                    ds.iter()
                        .zip(ls)
                        .map(
                            |(dv, lv)| {
                                if dv.is_null() { dv.clone() } else { merge(dv, lv, depth + 1) }
                            },
                        )
                        .collect(),
                )
            } else {
                d.clone()
            }
        }
        (Value::Map(_) | Value::Seq(_), Value::Null) if sets_nothing(d) => l.clone(),
        _ => {
            if equal(d, l) {
                l.clone()
            } else {
                d.clone()
            }
        }
    }
}

/// Server-set metadata dropped from both sides of the text diff.
const SERVER_METADATA: [&str; 9] = [
    "managedFields",
    "resourceVersion",
    "uid",
    "generation",
    "creationTimestamp",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "ownerReferences",
];

fn clean_for_text(v: &mut Value) {
    if let Value::Map(m) = v {
        m.shift_remove("status");
        if let Some(Value::Map(meta)) = m.get_mut("metadata") {
            for k in SERVER_METADATA {
                meta.shift_remove(k);
            }
        }
    }
}

/// The object's subject as Flux prints it: `Kind/namespace/name`, or `Kind/name` for an
/// object without a namespace.
pub fn subject(res: &Resource) -> String {
    if res.namespace().is_empty() {
        format!("{}/{}", res.kind(), res.name())
    } else {
        format!("{}/{}/{}", res.kind(), res.namespace(), res.name())
    }
}

/// A unified diff (3 lines of context by default) of the live object against the object
/// as the apply would leave it, both printed as YAML by our emitter, with headers
/// `--- live/<subject>` and `+++ desired/<subject>`. Server-set metadata and `status`
/// are left out, ignored paths are removed, fields only live has appear on both sides
/// (so they never show as changes), and Secret values are masked (`***`, or
/// `*** (before)` / `*** (after)` for a changed value). No live object: every line is an
/// addition. In sync (or ignored): the empty string.
///
/// ```
/// use gitops_core::diff::{unified, Options};
/// use gitops_core::resource::Resource;
/// use gitops_core::yaml::{parse_values, Limits, Profile};
/// let parse = |t: &str| Resource::new(parse_values(t, Profile::ApiServer, &Limits::default()).unwrap().remove(0));
/// let desired = parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\ndata: {k: new}\n");
/// let live = parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\ndata: {k: old}\n");
/// let text = unified(&desired, Some(&live), &Options::default());
/// assert!(text.starts_with("--- live/ConfigMap/x/a\n+++ desired/ConfigMap/x/a\n@@ -1,"));
/// assert!(text.contains("\n-  k: old\n+  k: new\n"));
/// ```
pub fn unified(desired: &Resource, live: Option<&Resource>, options: &Options) -> String {
    let subj = subject(desired);
    let old_name = format!("live/{subj}");
    let new_name = format!("desired/{subj}");
    let (before, after) = match live {
        Some(live) => {
            let Some((d, l)) = prepare(desired, live, options) else {
                return String::new();
            };
            let mut merged = merge(d.value(), l.value(), 0);
            // Metadata other than labels and annotations is the live one's.
            if let (Value::Map(mm), Some(lmeta)) = (&mut merged, l.value().get("metadata")) {
                let mut meta = lmeta.clone();
                for field in ["labels", "annotations"] {
                    if let Some(v) = merged_meta(d.value(), l.value(), field)
                        && let Value::Map(m) = &mut meta
                    {
                        m.insert(field.to_owned(), v);
                    }
                }
                mm.insert("metadata".to_owned(), meta);
            }
            let mut before = l.into_value();
            clean_for_text(&mut before);
            clean_for_text(&mut merged);
            if is_secret(desired) {
                let (mut b, mut a) = (before, merged);
                for field in ["data", "stringData"] {
                    let mut bv = b.get(field).cloned();
                    let mut av = a.get(field).cloned();
                    mask_sanitize(bv.as_mut(), av.as_mut());
                    if let (Value::Map(m), Some(v)) = (&mut b, bv) {
                        m.insert(field.to_owned(), v);
                    }
                    if let (Value::Map(m), Some(v)) = (&mut a, av) {
                        m.insert(field.to_owned(), v);
                    }
                }
                (b, a)
            } else {
                (before, merged)
            }
        }
        None => {
            let mut d = desired.clone();
            normalize::normalize(&mut d);
            if strip_ignored(&d.clone(), &mut [&mut d], options).is_none() {
                return String::new();
            }
            let d = if is_secret(&d) { mask_secret(&d) } else { d };
            let mut v = d.into_value();
            clean_for_text(&mut v);
            return unified_text("", &emit_text(&v), "/dev/null", &new_name, options.context);
        }
    };
    unified_text(&emit_text(&before), &emit_text(&after), &old_name, &new_name, options.context)
}

/// Labels or annotations after apply: live's, with the desired keys set.
fn merged_meta(d: &Value, l: &Value, field: &str) -> Option<Value> {
    let dv = d.get_path(&["metadata", field])?.as_map()?;
    let mut out =
        l.get_path(&["metadata", field]).and_then(Value::as_map).cloned().unwrap_or_default();
    for (k, v) in dv {
        out.insert(k.clone(), v.clone());
    }
    Some(Value::Map(out))
}

/// `SanitizeUnstructuredData` on two `data` maps: equal values and one-sided keys get
/// `***`, changed values `*** (before)` / `*** (after)`.
fn mask_sanitize(before: Option<&mut Value>, after: Option<&mut Value>) {
    mask_maps(before, after);
}

fn emit_text(v: &Value) -> String {
    crate::yaml::emit(v).unwrap_or_else(|e| format!("# {e}\n"))
}

#[cfg(test)]
mod tests;
