//! What kustomize-controller does to a build's output before applying it (flux.md §0
//! steps 9–13): post-build substitution, flattening `List`s, dropping objects without
//! identity and kustomize's own `Kustomization` objects, owner labels, `commonMetadata`.

use crate::flux::Kustomization;
use crate::resource::Resource;
use crate::yaml::{Mapping, Value};

/// The owner label naming the Kustomization.
pub const OWNER_NAME_LABEL: &str = "kustomize.toolkit.fluxcd.io/name";
/// The owner label naming the Kustomization's namespace.
pub const OWNER_NAMESPACE_LABEL: &str = "kustomize.toolkit.fluxcd.io/namespace";

/// How deep `List`s may nest.
const MAX_LIST_DEPTH: usize = 16;

/// Post-build one Kustomization's output: substitution (when `spec.postBuild` is set;
/// `lookup(kind, namespace, name)` finds `substituteFrom` objects), then `List`s flattened,
/// objects without `apiVersion`, `kind` or `metadata.name` and `kustomize.config.k8s.io`
/// objects dropped, owner labels set, and `commonMetadata` labels and annotations set
/// (overriding existing keys). Without `spec.decryption`, a Secret still carrying SOPS
/// metadata is an error (with decryption configured it passes through encrypted: nothing
/// is decrypted offline). Errors carry Flux's message.
///
/// ```
/// use gitops_core::flux::{FluxObject, parse};
/// use gitops_core::render::post_build;
/// use gitops_core::resource::Resource;
/// use gitops_core::yaml::{Limits, Profile, parse_values};
/// let v = |t: &str| parse_values(t, Profile::ApiServer, &Limits::default()).unwrap().remove(0);
/// let ks = Resource::new(v("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n\
///     metadata: {name: apps, namespace: flux-system}\n\
///     spec: {interval: 1m, prune: true, sourceRef: {kind: GitRepository, name: x}, commonMetadata: {labels: {env: dev}}}\n"));
/// let Some(FluxObject::Kustomization(ks)) = parse(&ks).unwrap() else { panic!() };
/// let cm = Resource::new(v("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {env: x}}\n"));
/// let out = post_build(vec![cm], &ks, &|_, _, _| None, true).unwrap();
/// assert_eq!(out[0].label("env"), Some("dev"));
/// assert_eq!(out[0].label("kustomize.toolkit.fluxcd.io/namespace"), Some("flux-system"));
/// ```
pub fn post_build(
    objects: Vec<Resource>,
    ks: &Kustomization,
    lookup: &dyn Fn(&str, &str, &str) -> Option<Resource>,
    strict: bool,
) -> Result<Vec<Resource>, String> {
    let namespace =
        if ks.metadata.namespace.is_empty() { "default" } else { &ks.metadata.namespace };
    let objects = match &ks.spec.post_build {
        Some(pb) => substitute(objects, pb, namespace, lookup, strict)?,
        None => objects,
    };
    let mut flat = Vec::with_capacity(objects.len());
    for r in objects {
        flatten(r.into_value(), 0, &mut flat)?;
    }
    let mut out = Vec::with_capacity(flat.len());
    for v in flat {
        let r = Resource::new(v);
        if r.api_version().is_empty() || r.kind().is_empty() || r.name().is_empty() {
            continue;
        }
        if r.group() == "kustomize.config.k8s.io" && r.kind() == "Kustomization" {
            continue;
        }
        out.push(r);
    }
    if ks.spec.decryption.is_none()
        && let Some(r) = out.iter().find(|r| is_sops_encrypted(r))
    {
        return Err(format!(
            "{} is SOPS encrypted, configuring decryption is required for this secret to be reconciled",
            subject(r)
        ));
    }
    let common = ks.spec.common_metadata.as_ref();
    for r in &mut out {
        r.edit(|v| {
            set_meta(v, "labels", OWNER_NAME_LABEL, &ks.metadata.name);
            set_meta(v, "labels", OWNER_NAMESPACE_LABEL, namespace);
            if let Some(c) = common {
                for (k, val) in &c.labels {
                    set_meta(v, "labels", k, val);
                }
                for (k, val) in &c.annotations {
                    set_meta(v, "annotations", k, val);
                }
            }
        });
    }
    Ok(out)
}

/// `Kind/namespace/name` (or `Kind/name`), Flux's change-set subject.
fn subject(r: &Resource) -> String {
    if r.namespace().is_empty() {
        format!("{}/{}", r.kind(), r.name())
    } else {
        format!("{}/{}/{}", r.kind(), r.namespace(), r.name())
    }
}

/// A core Secret that still carries SOPS metadata and is not opted out with
/// `kustomize.toolkit.fluxcd.io/decrypt: disabled` (label or annotation, any case).
fn is_sops_encrypted(r: &Resource) -> bool {
    const KEY: &str = "kustomize.toolkit.fluxcd.io/decrypt";
    let disabled = |v: Option<&str>| v.is_some_and(|v| v.eq_ignore_ascii_case("disabled"));
    r.kind() == "Secret"
        && r.api_version() == "v1"
        && r.value().get("sops").is_some_and(|s| !s.is_null())
        && !disabled(r.annotation(KEY))
        && !disabled(r.label(KEY))
}

fn flatten(v: Value, depth: usize, out: &mut Vec<Value>) -> Result<(), String> {
    let is_list = v.get("kind").and_then(Value::as_str).is_some_and(|k| k.ends_with("List"))
        && v.get("items").is_some_and(|i| matches!(i, Value::Seq(_)));
    if !is_list {
        out.push(v);
        return Ok(());
    }
    if depth >= MAX_LIST_DEPTH {
        return Err(format!("Lists nested deeper than {MAX_LIST_DEPTH} levels"));
    }
    if let Value::Map(mut m) = v
        && let Some(Value::Seq(items)) = m.shift_remove("items")
    {
        for item in items {
            flatten(item, depth + 1, out)?;
        }
    }
    Ok(())
}

fn set_meta(v: &mut Value, field: &str, key: &str, val: &str) {
    let Some(obj) = v.as_map_mut() else { return };
    let meta = obj.entry("metadata".to_owned()).or_insert_with(|| Value::Map(Mapping::new()));
    if !matches!(meta, Value::Map(_)) {
        *meta = Value::Map(Mapping::new());
    }
    let Some(meta) = meta.as_map_mut() else { return };
    let m = meta.entry(field.to_owned()).or_insert_with(|| Value::Map(Mapping::new()));
    if !matches!(m, Value::Map(_)) {
        *m = Value::Map(Mapping::new());
    }
    if let Some(m) = m.as_map_mut() {
        m.insert(key.to_owned(), Value::String(val.to_owned()));
    }
}

/// Post-build substitution through `crate::substitute`.
fn substitute(
    objects: Vec<Resource>,
    pb: &crate::flux::PostBuild,
    namespace: &str,
    lookup: &dyn Fn(&str, &str, &str) -> Option<Resource>,
    strict: bool,
) -> Result<Vec<Resource>, String> {
    use crate::substitute::{self as s, Strategy, SubstituteFrom};
    let from: Vec<SubstituteFrom> = pb
        .substitute_from
        .iter()
        .map(|r| SubstituteFrom {
            kind: r.kind.clone(),
            name: r.name.clone(),
            optional: r.optional,
        })
        .collect();
    let vars =
        s::collect_vars(&pb.substitute, &from, namespace, lookup).map_err(|e| e.to_string())?;
    let options = s::Options {
        strict,
        strategy: if pb.substitute_strategy == "Always" {
            Strategy::Always
        } else {
            Strategy::WithVariables
        },
    };
    objects
        .iter()
        .map(|r| s::substitute_resource(r, &vars, &options).map_err(|e| e.to_string()))
        .collect()
}
