//! `configMapGenerator`, `secretGenerator` and `generatorOptions`, the merge/replace
//! behaviors against resources from bases, and the name hash suffix.
//!
//! | step | where |
//! |---|---|
//! | sources (`envs`, `literals`, `files`) | [`kv`] |
//! | the generated object | [`make`] |
//! | `behavior: create\|merge\|replace` | [`absorb`] |
//! | the hash suffix (top level, once) | [`hash_suffixes`], [`hash`] |
//!
//! A generated object asks for a hash suffix with kustomize's internal annotation
//! [`NEEDS_HASH`] (`enabled`), as kustomize does; the annotation is removed with the other
//! build annotations when the build ends.

pub(crate) mod hash;
pub(crate) mod kv;

use gitops_core::resource::{ResId, Resource, ResourceList, scalar_text};
use gitops_core::yaml::{Limits, Mapping, Profile, Value, json_roundtrip, parse_values};
use indexmap::IndexMap;

use crate::kustomization::{Kustomization, boolean, object, seq, string, string_map, strings};
use crate::loader::Loader;

/// kustomize's internal annotation that marks an object for the hash suffix.
pub const NEEDS_HASH: &str = "internal.config.kubernetes.io/needsHashSuffix";

/// `generatorOptions`, or one generator's `options`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GeneratorOptions {
    /// Labels added to the generated object.
    pub labels: IndexMap<String, String>,
    /// Annotations added to the generated object.
    pub annotations: IndexMap<String, String>,
    /// No hash suffix.
    pub disable_name_suffix_hash: bool,
    /// Add `immutable: true`.
    pub immutable: bool,
}

/// One `configMapGenerator` or `secretGenerator` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GeneratorArgs {
    /// `name` (required).
    pub name: String,
    /// `namespace`.
    pub namespace: String,
    /// `behavior`: `create` (default), `merge` or `replace`.
    pub behavior: String,
    /// `literals`: `key=value`.
    pub literals: Vec<String>,
    /// `files`: `path` or `key=path`.
    pub files: Vec<String>,
    /// `envs`, with the deprecated `env` appended.
    pub envs: Vec<String>,
    /// `options`.
    pub options: Option<GeneratorOptions>,
    /// Secrets only: `type` (empty: `Opaque`).
    pub secret_type: String,
}

type R<T> = Result<T, String>;

fn decode_options_into(v: &Value, t: &str, o: &mut GeneratorOptions) -> R<()> {
    object(
        v,
        "types.GeneratorOptions",
        &["labels", "annotations", "disableNameSuffixHash", "immutable"],
        |n, x| {
            let t = format!("{t}.{n}");
            match n {
                "labels" => string_map(x, &t, &mut o.labels),
                "annotations" => string_map(x, &t, &mut o.annotations),
                "disableNameSuffixHash" => {
                    o.disable_name_suffix_hash = boolean(x, &t)?;
                    Ok(())
                }
                _ => {
                    o.immutable = boolean(x, &t)?;
                    Ok(())
                }
            }
        },
    )
}

/// Decode `generatorOptions` (a repeated field merges into the earlier value; `null`
/// clears it, as `encoding/json` does with a pointer).
pub(crate) fn decode_options(v: &Value, t: &str, into: &mut Option<GeneratorOptions>) -> R<()> {
    if v.is_null() {
        *into = None;
        return Ok(());
    }
    decode_options_into(v, t, into.get_or_insert_with(GeneratorOptions::default))
}

/// Decode a `configMapGenerator` (or, with `secret`, `secretGenerator`) list.
pub(crate) fn decode_args(v: &Value, t: &str, secret: bool) -> R<Vec<GeneratorArgs>> {
    let (ty, fields): (&str, &[&'static str]) = if secret {
        (
            "types.SecretArgs",
            &[
                "namespace",
                "name",
                "behavior",
                "literals",
                "files",
                "envs",
                "env",
                "options",
                "type",
            ],
        )
    } else {
        (
            "types.ConfigMapArgs",
            &["namespace", "name", "behavior", "literals", "files", "envs", "env", "options"],
        )
    };
    seq(v, t, ty)?
        .iter()
        .map(|item| {
            let mut a = GeneratorArgs::default();
            let mut env = String::new();
            object(item, ty, fields, |n, x| {
                let t = format!("{t}.{n}");
                match n {
                    "namespace" => a.namespace = string(x, &t)?,
                    "name" => a.name = string(x, &t)?,
                    "behavior" => a.behavior = string(x, &t)?,
                    "literals" => a.literals = strings(x, &t)?,
                    "files" => a.files = strings(x, &t)?,
                    "envs" => a.envs = strings(x, &t)?,
                    "env" => env = string(x, &t)?,
                    "type" => a.secret_type = string(x, &t)?,
                    _ => decode_options(x, &t, &mut a.options)?,
                }
                Ok(())
            })?;
            if !env.is_empty() {
                a.envs.push(env);
            }
            Ok(a)
        })
        .collect()
}

/// kustomize's `MergeGlobalOptionsIntoLocal`: the generator's own labels and annotations
/// win; the flags are or-ed.
fn merge_options(
    local: Option<&GeneratorOptions>,
    global: Option<&GeneratorOptions>,
) -> Option<GeneratorOptions> {
    let Some(global) = global else { return local.cloned() };
    let mut o = local.cloned().unwrap_or_default();
    for (k, v) in &global.labels {
        o.labels.entry(k.clone()).or_insert_with(|| v.clone());
    }
    for (k, v) in &global.annotations {
        o.annotations.entry(k.clone()).or_insert_with(|| v.clone());
    }
    o.disable_name_suffix_hash |= global.disable_name_suffix_hash;
    o.immutable |= global.immutable;
    Some(o)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub(crate) fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// kyaml's `encodeBase64`: base64 cut into 70-character lines, each followed by a newline,
/// once the text is 70 characters or longer.
pub(crate) fn base64_wrapped(data: &[u8]) -> String {
    const LINE: usize = 70;
    let enc = base64(data);
    if enc.len() < LINE {
        return enc;
    }
    let mut out = String::with_capacity(enc.len() + enc.len() / LINE + 1);
    for chunk in enc.as_bytes().chunks(LINE) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        out.push('\n');
    }
    out
}

fn str_map(m: &IndexMap<String, String>) -> Value {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    Value::Map(keys.into_iter().map(|k| (k.clone(), Value::String(m[k].clone()))).collect())
}

/// The kind of generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    ConfigMap,
    Secret,
}

/// Build the object one generator entry describes (options already merged); it carries
/// [`NEEDS_HASH`] unless the hash is disabled.
pub(crate) fn make(ldr: &Loader<'_>, kind: Kind, a: &GeneratorArgs) -> R<Value> {
    if a.name.is_empty() {
        return Err("a configmap must have a name".into());
    }
    let pairs = kv::load(ldr, &a.envs, &a.literals, &a.files)
        .map_err(|e| format!("loading KV pairs: {e}"))?;
    let mut data: IndexMap<String, Vec<u8>> = IndexMap::with_capacity(pairs.len());
    for (k, v) in pairs {
        if data.contains_key(&k) {
            return Err(format!("configmap {} illegally repeats the key `{k}`", a.name));
        }
        data.insert(k, v);
    }
    data.sort_keys();
    let mut meta = Mapping::new();
    meta.insert("name".into(), Value::String(a.name.clone()));
    if !a.namespace.is_empty() {
        meta.insert("namespace".into(), Value::String(a.namespace.clone()));
    }
    let opts = a.options.as_ref();
    if let Some(o) = opts.filter(|o| !o.labels.is_empty()) {
        meta.insert("labels".into(), str_map(&o.labels));
    }
    let mut anns = opts.map(|o| o.annotations.clone()).unwrap_or_default();
    if !opts.is_some_and(|o| o.disable_name_suffix_hash) {
        anns.insert(NEEDS_HASH.into(), "enabled".into());
    }
    if !anns.is_empty() {
        meta.insert("annotations".into(), str_map(&anns));
    }
    let mut obj = Mapping::new();
    obj.insert("apiVersion".into(), "v1".into());
    obj.insert("kind".into(), if kind == Kind::Secret { "Secret" } else { "ConfigMap" }.into());
    obj.insert("metadata".into(), Value::Map(meta));
    match kind {
        Kind::Secret => {
            let t = if a.secret_type.is_empty() { "Opaque" } else { &a.secret_type };
            obj.insert("type".into(), Value::String(t.to_owned()));
            let m: Mapping =
                data.iter().map(|(k, v)| (k.clone(), Value::String(base64_wrapped(v)))).collect();
            obj.insert("data".into(), Value::Map(m));
        }
        Kind::ConfigMap => {
            let (mut text, mut bin) = (Mapping::new(), Mapping::new());
            for (k, v) in data {
                match String::from_utf8(v) {
                    Ok(s) => text.insert(k, Value::String(s)),
                    Err(e) => bin.insert(k, Value::String(base64_wrapped(e.as_bytes()))),
                };
            }
            if !text.is_empty() {
                obj.insert("data".into(), Value::Map(text));
            }
            if !bin.is_empty() {
                obj.insert("binaryData".into(), Value::Map(bin));
            }
        }
    }
    if opts.is_some_and(|o| o.immutable) {
        obj.insert("immutable".into(), Value::Bool(true));
    }
    Ok(Value::Map(obj))
}

/// kustomize's `%#v` of a `resid.ResId`, used in its merge errors.
fn go_resid(id: &ResId) -> String {
    format!(
        "resid.ResId{{Gvk:resid.Gvk{{Group:{:?}, Version:{:?}, Kind:{:?}, isClusterScoped:{}}}, Name:{:?}, Namespace:{:?}}}",
        id.gvk.group,
        id.gvk.version,
        id.gvk.kind,
        id.is_cluster_scoped(),
        id.name,
        id.namespace
    )
}

/// kustomize's `ResId.Equals`: same group, version, kind, name and effective namespace.
fn id_equals(a: &ResId, b: &ResId) -> bool {
    a.gvk == b.gvk && a.name == b.name && a.effective_namespace() == b.effective_namespace()
}

/// The annotations kustomize keeps for itself during a build (`resource.BuildAnnotations`);
/// they never reach the output.
pub const BUILD_ANNOTATIONS: &[&str] = &[
    "internal.config.kubernetes.io/previousKinds",
    "internal.config.kubernetes.io/previousNames",
    "internal.config.kubernetes.io/prefixes",
    "internal.config.kubernetes.io/suffixes",
    "internal.config.kubernetes.io/previousNamespaces",
    "internal.config.kubernetes.io/allowNameChange",
    "internal.config.kubernetes.io/allowKindChange",
    "internal.config.kubernetes.io/refBy",
    "internal.config.kubernetes.io/generatorBehavior",
    NEEDS_HASH,
    "internal.config.kubernetes.io/path",
    "internal.config.kubernetes.io/index",
    "internal.config.kubernetes.io/seqindent",
    "internal.config.kubernetes.io/id",
    "internal.config.kubernetes.io/annotations-migration-resource-id",
    "config.kubernetes.io/path",
    "config.kubernetes.io/index",
    "config.k8s.io/id",
    "kustomize.config.k8s.io/helm-generated",
];

fn string_entries(obj: &Value, field: &str) -> IndexMap<String, String> {
    match obj.get_path(&["metadata", field]) {
        Some(Value::Map(m)) => m.iter().map(|(k, v)| (k.clone(), scalar_text(v))).collect(),
        _ => IndexMap::new(),
    }
}

fn data_entries(obj: &Value, field: &str) -> IndexMap<String, String> {
    match obj.get(field) {
        Some(Value::Map(m)) => m.iter().map(|(k, v)| (k.clone(), scalar_text(v))).collect(),
        _ => IndexMap::new(),
    }
}

fn set_meta_map(obj: &mut Value, field: &str, m: &IndexMap<String, String>) {
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_map_mut) else { return };
    meta.shift_remove(field);
    if !m.is_empty() {
        meta.insert(field.into(), str_map(m));
    }
}

fn set_data_map(obj: &mut Value, field: &str, m: &IndexMap<String, String>) {
    let Some(map) = obj.as_map_mut() else { return };
    map.shift_remove(field);
    if !m.is_empty() {
        map.insert(field.into(), str_map(m));
    }
}

/// kustomize's `CopyMergeMetaDataFieldsFrom(old)` on the generated object `new`: labels and
/// ordinary annotations merged (the generator's win), build annotations taken from `old`
/// (the hash only if both ask for it), name and namespace from `old`.
fn copy_merge_meta(new: &mut Value, old: &Resource) {
    let old_obj = old.value();
    let mut labels = string_entries(old_obj, "labels");
    labels.extend(string_entries(new, "labels"));
    let new_anns = string_entries(new, "annotations");
    let old_anns = string_entries(old_obj, "annotations");
    let mut anns: IndexMap<String, String> = old_anns
        .iter()
        .chain(new_anns.iter())
        .filter(|(k, _)| !BUILD_ANNOTATIONS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in &old_anns {
        if BUILD_ANNOTATIONS.contains(&k.as_str()) && (k != NEEDS_HASH || new_anns.contains_key(k))
        {
            anns.insert(k.clone(), v.clone());
        }
    }
    set_meta_map(new, "labels", &labels);
    set_meta_map(new, "annotations", &anns);
    if let Some(meta) = new.get_mut("metadata").and_then(Value::as_map_mut) {
        meta.insert("name".into(), Value::String(old.name().to_owned()));
        meta.shift_remove("namespace");
        if !old.namespace().is_empty() {
            meta.insert("namespace".into(), Value::String(old.namespace().to_owned()));
        }
    }
}

/// Remove the origin annotation (and the annotations map, if that leaves it empty).
fn drop_origin(obj: &mut Value) {
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_map_mut) else { return };
    let now_empty = match meta.get_mut("annotations").and_then(Value::as_map_mut) {
        Some(a) => a.shift_remove(crate::metadata::ORIGIN).is_some() && a.is_empty(),
        None => false,
    };
    if now_empty {
        meta.shift_remove("annotations");
    }
}

/// kustomize's `appendReplaceOrMerge`: add the generated object, or merge it into / let it
/// replace the one resource whose current or previous id is its id.
pub(crate) fn absorb(list: &mut ResourceList, mut obj: Value, behavior: &str) -> R<()> {
    let res = Resource::new(obj.clone());
    let id = res.id().clone();
    let matches: Vec<usize> = list
        .iter()
        .enumerate()
        .filter(|(_, r)| id_equals(r.id(), &id) || r.prev_ids().any(|p| id_equals(&p, &id)))
        .map(|(i, _)| i)
        .collect();
    let behavior = match behavior {
        "create" | "merge" | "replace" => behavior,
        _ => "unspecified",
    };
    match matches.as_slice() {
        [] => match behavior {
            "merge" | "replace" => {
                Err(format!("id {} does not exist; cannot merge or replace", go_resid(&id)))
            }
            _ => {
                check_keys(res.value())?;
                list.push(res).map_err(|e| e.to_string())
            }
        },
        [index] => {
            let Some(old) = list.as_slice().get(*index).cloned() else {
                return Err("id lookup failure".into());
            };
            match behavior {
                "replace" => {
                    copy_merge_meta(&mut obj, &old);
                    // The replacement is a new object: it gets this generator's origin.
                    drop_origin(&mut obj);
                }
                "merge" => {
                    copy_merge_meta(&mut obj, &old);
                    for field in ["data", "binaryData"] {
                        let mut merged = data_entries(old.value(), field);
                        merged.extend(data_entries(&obj, field));
                        merged.sort_keys();
                        set_data_map(&mut obj, field, &merged);
                    }
                }
                _ => {
                    return Err(format!(
                        "id {} exists; can not use behavior: '{behavior}', behavior must be merge or replace",
                        go_resid(&id)
                    ));
                }
            }
            check_keys(&obj)?;
            let mut merged = old;
            merged.edit(|o| *o = obj);
            let mut i = 0;
            list.update(|r| -> R<()> {
                if i == *index {
                    *r = merged.clone();
                }
                i += 1;
                Ok(())
            })
        }
        _ => {
            let ids: Vec<String> = matches
                .iter()
                .filter_map(|&i| list.as_slice().get(i))
                .map(|r| r.id().to_string())
                .collect();
            Err(format!(
                "found multiple objects [{}] that could accept merge of {}",
                ids.join(" "),
                id
            ))
        }
    }
}

/// kustomize hands each generator its arguments as YAML made from JSON (and reads them
/// back): go-yaml v2 refuses the raw DEL, C1 and U+FFFE/U+FFFF characters JSON leaves in,
/// and folds a NEL like a line break.
fn marshal_roundtrip(kind: Kind, a: &mut GeneratorArgs) -> R<()> {
    let name = if kind == Kind::Secret { "SecretGenerator" } else { "ConfigMapGenerator" };
    let fix = |s: &mut String| -> R<()> {
        if s.is_ascii() && !s.contains('\u{7f}') {
            return Ok(());
        }
        match json_roundtrip(&Value::String(std::mem::take(s))) {
            Ok(Value::String(t)) => {
                *s = t;
                Ok(())
            }
            _ => Err(format!("builtin {name} marshal: yaml: control characters are not allowed")),
        }
    };
    for s in [&mut a.name, &mut a.namespace, &mut a.behavior, &mut a.secret_type] {
        fix(s)?;
    }
    for s in a.literals.iter_mut().chain(a.files.iter_mut()).chain(a.envs.iter_mut()) {
        fix(s)?;
    }
    if let Some(o) = &mut a.options {
        for m in [&mut o.labels, &mut o.annotations] {
            let old = std::mem::take(m);
            for (mut k, mut v) in old {
                fix(&mut k)?;
                fix(&mut v)?;
                m.insert(k, v);
            }
        }
    }
    Ok(())
}

/// Whether kyaml reads `key`, written as a plain scalar, as something other than that
/// string (`true`, `null`, `123`, `1.5`, a date). kustomize writes generated map keys
/// untagged, so such a key makes its final JSON conversion fail.
fn key_not_a_string(key: &str) -> bool {
    let plain = !key.is_empty()
        && !key.starts_with(' ')
        && !key.ends_with(' ')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || ".+-_:~ ".contains(c));
    if !plain {
        return false;
    }
    match parse_values(key, Profile::Kyaml, &Limits::default()).ok().as_deref() {
        Some([Value::String(s)]) => s != key,
        Some([_]) => true,
        _ => false,
    }
}

/// Fail as kustomize's output does when a generated map has a key that is not a string.
fn check_keys(obj: &Value) -> R<()> {
    let maps = [
        obj.get("data"),
        obj.get("binaryData"),
        obj.get_path(&["metadata", "labels"]),
        obj.get_path(&["metadata", "annotations"]),
    ];
    for m in maps.into_iter().flatten().filter_map(Value::as_map) {
        if let Some(k) = m.keys().find(|k| key_not_a_string(k)) {
            return Err(format!(
                "key {k:?} is not read back as a string: json: unsupported type: map[interface {{}}]interface {{}}"
            ));
        }
    }
    Ok(())
}

/// Run the `configMapGenerator` and `secretGenerator` entries of one kustomization, in
/// that order, adding (or merging) their objects into `list`.
pub(crate) fn run(k: &Kustomization, ldr: &Loader<'_>, list: &mut ResourceList) -> R<()> {
    let global = k.generator_options.as_ref();
    let mut all: Vec<(Kind, GeneratorArgs)> = k
        .config_map_generator
        .iter()
        .map(|a| (Kind::ConfigMap, a))
        .chain(k.secret_generator.iter().map(|a| (Kind::Secret, a)))
        .map(|(kind, a)| {
            let mut args = a.clone();
            args.options = merge_options(a.options.as_ref(), global);
            (kind, args)
        })
        .collect();
    for (kind, args) in &mut all {
        marshal_roundtrip(*kind, args)?;
    }
    for (kind, args) in all {
        let obj = make(ldr, kind, &args)?;
        absorb(list, obj, &args.behavior)
            .map_err(|e| format!("merging from generator {}: {e}", args.name))?;
    }
    Ok(())
}

/// kustomize's HashTransformer: every ConfigMap or Secret marked with [`NEEDS_HASH`]
/// `enabled` gets `-<hash>` appended to its name (the old name is kept as a previous id for
/// the name-reference fix-up).
pub(crate) fn hash_suffixes(list: &mut ResourceList) -> R<()> {
    list.update(|r| -> R<()> {
        if r.annotation(NEEDS_HASH) != Some("enabled") {
            return Ok(());
        }
        let Some(h) = hash::suffix(r.value()) else { return Ok(()) };
        r.store_previous_id();
        let name = format!("{}-{h}", r.name());
        r.edit(|obj| {
            if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_map_mut) {
                meta.insert("name".into(), Value::String(name));
            }
        });
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_table() {
        let cases: &[(&[u8], &str)] = &[
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"\xff\xfd", "//0="),
            (b"FOO=bar\nBAR=baz\n", "Rk9PPWJhcgpCQVI9YmF6Cg=="),
        ];
        for (input, want) in cases {
            assert_eq!(base64(input), *want);
        }
    }

    #[test]
    fn wrapping_at_70() {
        // 51 bytes → 68 characters: one line, no newline. 52 bytes → 72: two lines.
        assert!(!base64_wrapped(&[0u8; 51]).contains('\n'));
        let w = base64_wrapped(&[0u8; 52]);
        assert_eq!(w.lines().map(str::len).collect::<Vec<_>>(), vec![70, 2]);
        assert!(w.ends_with('\n'));
        // Exactly 70 characters (an odd 52.5 bytes cannot be; 70 = 4 * 17.5 → use 3*... )
        let hellos: Vec<u8> = b"\xffhello".repeat(30);
        let w = base64_wrapped(&hellos);
        assert!(w.starts_with("/2hlbGxv"));
        assert_eq!(w.lines().count(), 4);
    }

    fn build_text(files: &[(&str, &[u8])], dir: &str) -> Result<String, String> {
        let mut fs = crate::MemFs::new();
        for (p, c) in files {
            fs.add_file(p, c.to_vec());
        }
        crate::build(&fs, std::path::Path::new(dir), &crate::Options::default())
            .and_then(|l| crate::to_yaml(&l))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn end_to_end_table() {
        let dep = b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      volumes:\n      - name: v\n        configMap:\n          name: cm\n";
        type Case<'a> = (&'a [(&'a str, &'a [u8])], &'a str, Result<&'a [&'a str], &'a str>);
        let cases: &[Case<'_>] = &[
            // As kustomize 5.8.1 names it (checked with the real binary).
            (
                &[("/a/kustomization.yaml", b"configMapGenerator:\n- name: bob\n  literals:\n  - foo=bar\n")],
                "/a",
                Ok(&["name: bob-798k5k7g9f"]),
            ),
            // The reference in the Deployment follows the hashed, prefixed name.
            (
                &[
                    ("/a/kustomization.yaml", b"namePrefix: p-\nresources:\n- d.yaml\nconfigMapGenerator:\n- name: cm\n  literals:\n  - foo=bar\n"),
                    ("/a/d.yaml", dep),
                ],
                "/a",
                Ok(&["name: p-cm-", "          name: p-cm-"]),
            ),
            // Merge across base and overlay: both keys, one object.
            (
                &[
                    ("/b/kustomization.yaml", b"configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n"),
                    ("/o/kustomization.yaml", b"resources:\n- ../b\nconfigMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - b=2\n"),
                ],
                "/o",
                Ok(&["  a: \"1\"\n  b: \"2\"\n"]),
            ),
            (
                &[("/a/kustomization.yaml", b"configMapGenerator:\n- name: cm\n  behavior: merge\n")],
                "/a",
                Err("does not exist; cannot merge or replace"),
            ),
            (
                &[("/a/kustomization.yaml", b"configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n  - a=2\n")],
                "/a",
                Err("illegally repeats the key `a`"),
            ),
            (
                &[("/a/kustomization.yaml", b"secretGenerator:\n- name: s\n  files:\n  - b.bin\n"), ("/a/b.bin", b"\xff\xfd")],
                "/a",
                Ok(&["  b.bin: //0=\n", "type: Opaque"]),
            ),
        ];
        for (files, dir, want) in cases {
            let got = build_text(files, dir);
            match want {
                Ok(parts) => {
                    let text = got.unwrap();
                    for p in *parts {
                        assert!(text.contains(p), "{p:?} not in\n{text}");
                    }
                    assert!(!text.contains("internal.config"), "{text}");
                }
                Err(e) => assert!(got.unwrap_err().contains(e)),
            }
        }
    }

    #[test]
    fn options_merge() {
        let mut local = GeneratorOptions::default();
        local.labels.insert("a".into(), "local".into());
        let mut global = GeneratorOptions { disable_name_suffix_hash: true, ..Default::default() };
        global.labels.insert("a".into(), "global".into());
        global.labels.insert("b".into(), "global".into());
        let m = merge_options(Some(&local), Some(&global)).unwrap();
        assert_eq!(m.labels["a"], "local");
        assert_eq!(m.labels["b"], "global");
        assert!(m.disable_name_suffix_hash);
        assert_eq!(merge_options(None, None), None);
        assert_eq!(merge_options(Some(&local), None), Some(local));
    }
}
