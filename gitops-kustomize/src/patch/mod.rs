//! The `patches` transformer (with the deprecated `patchesStrategicMerge` and
//! `patchesJson6902` folded into it, as kustomize's fix-up does): each entry is a
//! strategic merge patch or a JSON 6902 patch, told apart by its content, applied to the
//! resource it names or to every resource its `target` selects.
//!
//! Patches run first among a kustomization's transformers.

pub(crate) mod json6902;
pub(crate) mod smp;
pub(crate) mod target;

use gitops_core::resource::{Resource, ResourceList};
use gitops_core::yaml::{Limits, Profile, Value, parse_values};

use crate::kustomization::Kustomization;
use crate::loader::Loader;
use crate::openapi::Schema;
use target::Selector;

/// One entry of `patches` after the fix-up.
struct Entry {
    path: String,
    patch: String,
    target: Option<Value>,
    allow_name_change: bool,
    allow_kind_change: bool,
}

fn str_field(v: &Value, key: &str, ty: &str) -> Result<String, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(o) => Err(format!(
            "json: cannot unmarshal {} into Go struct field {ty}.{key} of type string",
            o.kind_name()
        )),
    }
}

fn entry(v: &Value) -> Result<Entry, String> {
    if !matches!(v, Value::Map(_)) {
        return Err(format!(
            "json: cannot unmarshal {} into Go struct field Kustomization.patches of type types.Patch",
            v.kind_name()
        ));
    }
    let opt =
        |k: &str| v.get("options").and_then(|o| o.get(k)).and_then(Value::as_bool).unwrap_or(false);
    Ok(Entry {
        path: str_field(v, "path", "Patch")?,
        patch: str_field(v, "patch", "Patch")?,
        target: v.get("target").filter(|t| !t.is_null()).cloned(),
        allow_name_change: opt("allowNameChange"),
        allow_kind_change: opt("allowKindChange"),
    })
}

/// The schema for this kustomization: the builtin one, or `openapi: {path: …}`.
fn schema_for(k: &Kustomization, ldr: &Loader<'_>) -> Result<Option<Schema>, String> {
    let Some((_, v)) = k.patch_fields.iter().find(|(f, _)| *f == "openapi") else {
        return Ok(None);
    };
    let path = str_field(v, "path", "OpenAPI").unwrap_or_default();
    let version = str_field(v, "version", "OpenAPI").unwrap_or_default();
    match (path.is_empty(), version.is_empty()) {
        (false, false) => Err("builtin version and file path cannot both be specified".into()),
        (true, true) => Ok(None),
        (true, false) if version == "v1.21.2" => Ok(None),
        (true, false) => Err(format!("the specified OpenAPI version is not built in: {version}")),
        (false, true) => {
            let bytes = ldr.load(&path).map_err(|e| e.to_string())?;
            let text = String::from_utf8(bytes).map_err(|_| format!("{path}: not valid UTF-8"))?;
            let docs = parse_values(&text, Profile::ApiServer, &Limits::default())
                .map_err(|e| format!("{path}: {e}"))?;
            let doc = docs.into_iter().next().unwrap_or_default();
            Schema::from_swagger(&doc).map(Some)
        }
    }
}

/// The entries of `patches`.
fn entries(k: &Kustomization, ldr: &Loader<'_>) -> Result<Vec<Entry>, String> {
    let field = |name: &str| -> Vec<Value> {
        k.patch_fields
            .iter()
            .filter(|(f, _)| *f == name)
            .flat_map(|(_, v)| v.as_seq().cloned().unwrap_or_default())
            .collect()
    };
    let mut out = Vec::new();
    let _ = ldr;
    for v in field("patches") {
        out.push(entry(&v)?);
    }
    Ok(out)
}

/// A kustomization's patch transformers, configured (files loaded, patches parsed):
/// `patchesStrategicMerge` and `patches` run first, `patchesJson6902` after the
/// annotations transformer, as in kustomize.
#[derive(Default)]
pub(crate) struct Prepared {
    schema: Option<Schema>,
    psm: Vec<Value>,
    patches: Vec<(Entry, String, Parsed)>,
    json: Vec<(Selector, Vec<json6902::Op>)>,
}

fn no_entry() -> Entry {
    Entry {
        path: String::new(),
        patch: String::new(),
        target: None,
        allow_name_change: false,
        allow_kind_change: false,
    }
}

/// Configure the patch transformers of `k`.
pub(crate) fn prepare(k: &Kustomization, ldr: &Loader<'_>) -> Result<Prepared, String> {
    let mut p = Prepared::default();
    if k.patch_fields.is_empty() {
        return Ok(p);
    }
    p.schema = schema_for(k, ldr)?;
    let field = |name: &str| -> Vec<Value> {
        k.patch_fields
            .iter()
            .filter(|(f, _)| *f == name)
            .flat_map(|(_, v)| v.as_seq().cloned().unwrap_or_default())
            .collect()
    };
    let psm_entries = field("patchesStrategicMerge");
    let psm_paths: Vec<&str> = psm_entries.iter().filter_map(Value::as_str).collect();
    let psm_paths = psm_paths.join(" ");
    for v in psm_entries {
        let Value::String(s) = v else {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field Kustomization.patchesStrategicMerge of type types.PatchStrategicMerge",
                v.kind_name()
            ));
        };
        let inline = match parse_patch(&s, "") {
            Ok(Parsed::Smp(docs)) if !docs.is_empty() => Some(docs),
            _ => None,
        };
        let docs = match inline {
            Some(d) => d,
            None => {
                let bytes = ldr.load(&s).map_err(|e| e.to_string())?;
                let text = String::from_utf8(bytes).map_err(|_| format!("{s}: not valid UTF-8"))?;
                match parse_patch(&text, &s)? {
                    Parsed::Smp(d) => d,
                    Parsed::Json(_) => return Err(format!("{s}: not a strategic merge patch")),
                }
            }
        };
        p.psm.extend(docs);
    }
    if !psm_paths.is_empty() && p.psm.is_empty() {
        // Every file held only comments or nothing at all.
        return Err(format!("patch appears to be empty; files=[{psm_paths}], Patch="));
    }
    for e in entries(k, ldr)? {
        let (text, source) = load_entry(&e, ldr)?;
        let parsed = parse_patch(&text, &source)?;
        p.patches.push((e, source, parsed));
    }
    for v in field("patchesJson6902") {
        let e = entry(&v)?;
        let Some(t) = &e.target else { return Err("must specify the target name".into()) };
        if t.get("name").and_then(Value::as_str).unwrap_or("").is_empty() {
            return Err("must specify the target name".into());
        }
        let sel = Selector::new(t)?;
        let text = match (e.path.is_empty(), e.patch.is_empty()) {
            (true, true) => return Err("empty file path and empty jsonOp".into()),
            (false, false) => return Err("must specify a file path or jsonOp, not both".into()),
            (true, false) => e.patch.clone(),
            (false, true) => {
                let bytes = ldr.load(&e.path).map_err(|err| err.to_string())?;
                String::from_utf8(bytes).map_err(|_| format!("{}: not valid UTF-8", e.path))?
            }
        };
        let v = parse_values(&text, Profile::ApiServer, &Limits::default())
            .map_err(|e| e.to_string())?
            .into_iter()
            .next()
            .unwrap_or_default();
        let ops = json6902::decode(&v)?;
        if ops.is_empty() {
            return Err(format!("patch appears to be empty; file={}, JsonOp={}", e.path, e.patch));
        }
        p.json.push((sel, ops));
    }
    Ok(p)
}

impl Prepared {
    fn schema(&self) -> &Schema {
        self.schema.as_ref().unwrap_or_else(|| Schema::builtin())
    }

    /// `patchesStrategicMerge`, then `patches`.
    pub(crate) fn run_early(&self, list: &mut ResourceList) -> Result<(), String> {
        // The builtin schema is built on first use: not at all without patches.
        if self.psm.is_empty() && self.patches.is_empty() {
            return Ok(());
        }
        let schema = self.schema();
        for p in &self.psm {
            let pid = Resource::new(p.clone()).id().clone();
            let selected = unique_target(list, &pid).map_err(|e| {
                e.replace("no resource matches strategic merge patch", "no resource matches")
            })?;
            let pkind = p.get("kind").cloned().unwrap_or_default();
            apply_smp(list, &selected, schema, &no_entry(), |r| retarget(p, r, &pkind))?;
        }
        for (e, source, parsed) in &self.patches {
            apply_entry(e, source, parsed, schema, list)?;
        }
        Ok(())
    }

    /// `patchesJson6902` (after the annotations transformer).
    pub(crate) fn run_json6902(&self, list: &mut ResourceList) -> Result<(), String> {
        for (sel, ops) in &self.json {
            let selected: Vec<bool> = list.iter().map(|r| sel.matches(r)).collect();
            let mut i = 0;
            list.update(|r| -> Result<(), String> {
                let hit = selected.get(i).copied().unwrap_or(false);
                i += 1;
                if hit {
                    r.edit(|v| json6902::apply(v, ops))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }
}

fn retarget(p: &Value, r: &Resource, pkind: &Value) -> Value {
    let mut copy = p.clone();
    if let Value::Map(m) = &mut copy {
        m.insert("apiVersion".into(), Value::String(r.api_version().to_owned()));
        m.insert("kind".into(), pkind.clone());
    }
    copy
}

fn unique_target(
    list: &ResourceList,
    pid: &gitops_core::resource::ResId,
) -> Result<Vec<bool>, String> {
    let selected: Vec<bool> =
        list.iter().map(|r| r.id() == pid || r.prev_ids().any(|id| &id == pid)).collect();
    match selected.iter().filter(|b| **b).count() {
        1 => Ok(selected),
        0 => Err(format!(
            "no resource matches strategic merge patch \"{pid}\": no matches for Id {pid}; failed to find unique target for patch {pid}"
        )),
        _ => Err(format!(
            "multiple matches for Id {pid}; failed to find unique target for patch {pid}"
        )),
    }
}

enum Parsed {
    Smp(Vec<Value>),
    Json(Vec<json6902::Op>),
}

fn parse_patch(text: &str, source: &str) -> Result<Parsed, String> {
    let limits = Limits::default();
    let docs = parse_values(text, Profile::Kyaml, &limits);
    let smp: Result<Vec<Value>, String> = match docs {
        Ok(docs) => {
            let mut out = Vec::new();
            let mut bad = false;
            for d in docs {
                match d {
                    Value::Null => {}
                    Value::Map(m) if m.is_empty() => {}
                    Value::Map(m) => {
                        let name = m.get("metadata").and_then(|x| x.get("name"));
                        if m.get("kind").and_then(Value::as_str).unwrap_or("").is_empty()
                            || name.is_none_or(Value::is_null)
                        {
                            bad = true;
                        }
                        out.push(Value::Map(m))
                    }
                    _ => bad = true,
                }
            }
            if bad { Err("not a mapping".into()) } else { Ok(out) }
        }
        Err(e) => Err(e.to_string()),
    };
    let json = parse_values(text, Profile::ApiServer, &limits)
        .map_err(|e| e.to_string())
        .and_then(|d| d.into_iter().next().ok_or_else(|| "empty json patch operations".to_owned()))
        .and_then(|v| json6902::decode(&v));
    match (smp, json) {
        (Ok(s), Ok(j)) if !s.is_empty() && !j.is_empty() => {
            Err(format!("illegally qualifies as both an SM and JSON patch: {source}"))
        }
        (Ok(s), _) if !s.is_empty() => Ok(Parsed::Smp(s)),
        (_, Ok(j)) => Ok(Parsed::Json(j)),
        (Ok(s), Err(_)) => Ok(Parsed::Smp(s)),
        (Err(_), Err(_)) => Err(format!("unable to parse SM or JSON patch from {source}")),
    }
}

fn load_entry(e: &Entry, ldr: &Loader<'_>) -> Result<(String, String), String> {
    let patch = e.patch.trim();
    Ok(match (patch.is_empty(), e.path.is_empty()) {
        (true, true) => return Err("must specify one of patch and path".into()),
        (false, false) => return Err("patch and path can't be set at the same time".into()),
        (false, true) => (patch.to_owned(), format!("[patch: {patch:?}]")),
        (true, false) => {
            let bytes = ldr.load(&e.path).map_err(|err| {
                format!("failed to get the patch file from path({}): {err}", e.path)
            })?;
            let text =
                String::from_utf8(bytes).map_err(|_| format!("{}: not valid UTF-8", e.path))?;
            (text, format!("[path: {:?}]", e.path))
        }
    })
}

fn apply_entry(
    e: &Entry,
    source: &str,
    parsed: &Parsed,
    schema: &Schema,
    list: &mut ResourceList,
) -> Result<(), String> {
    let selector = e.target.as_ref().map(Selector::new).transpose()?;
    match parsed {
        Parsed::Json(ops) => {
            let Some(sel) = selector else {
                return Err(format!("must specify a target for JSON patch {source}"));
            };
            let selected: Vec<bool> = list.iter().map(|r| sel.matches(r)).collect();
            let mut i = 0;
            list.update(|r| -> Result<(), String> {
                let hit = selected.get(i).copied().unwrap_or(false);
                i += 1;
                if hit {
                    r.store_previous_id();
                    r.edit(|v| json6902::apply(v, ops))?;
                }
                Ok(())
            })
        }
        Parsed::Smp(patches) => {
            if let Some(sel) = selector {
                if patches.len() > 1 {
                    return Err(format!(
                        "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field: {source}"
                    ));
                }
                let Some(p) = patches.first() else { return Ok(()) };
                let selected: Vec<bool> = list.iter().map(|r| sel.matches(r)).collect();
                let pkind = p.get("kind").cloned().unwrap_or(Value::String(String::new()));
                apply_smp(list, &selected, schema, e, |r| retarget(p, r, &pkind))
            } else {
                for p in patches {
                    let pid = Resource::new(p.clone()).id().clone();
                    let selected = unique_target(list, &pid)?;
                    apply_smp(list, &selected, schema, e, |_| p.clone())?;
                }
                Ok(())
            }
        }
    }
}

/// Merge a patch into every selected resource; resources the patch deletes are dropped.
fn apply_smp(
    list: &mut ResourceList,
    selected: &[bool],
    schema: &Schema,
    e: &Entry,
    patch_for: impl Fn(&Resource) -> Value,
) -> Result<(), String> {
    let mut deleted = vec![false; selected.len()];
    let mut i = 0;
    list.update(|r| -> Result<(), String> {
        let idx = i;
        i += 1;
        if !selected.get(idx).copied().unwrap_or(false) {
            return Ok(());
        }
        let patch = patch_for(r);
        let (name, ns, kind) = (r.name().to_owned(), r.namespace().to_owned(), r.kind().to_owned());
        if e.allow_name_change || e.allow_kind_change {
            r.store_previous_id();
        }
        // The object is replaced by the merge result (or the resource dropped).
        let obj = r.take_value();
        match smp::merge(schema, obj, patch)? {
            None => {
                if let Some(d) = deleted.get_mut(idx) {
                    *d = true;
                }
            }
            Some(merged) => r.edit(|v| {
                *v = merged;
                let Value::Map(m) = v else { return };
                if !e.allow_kind_change {
                    m.insert("kind".into(), Value::String(kind));
                }
                let meta = m
                    .entry("metadata".to_owned())
                    .or_insert_with(|| Value::Map(Default::default()));
                if let Value::Map(meta) = meta {
                    if !e.allow_name_change {
                        if name.is_empty() {
                            meta.shift_remove("name");
                        } else {
                            meta.insert("name".into(), Value::String(name));
                        }
                    }
                    if ns.is_empty() {
                        meta.shift_remove("namespace");
                    } else {
                        meta.insert("namespace".into(), Value::String(ns));
                    }
                }
            }),
        }
        Ok(())
    })?;
    if deleted.iter().any(|d| *d) {
        let mut j = 0;
        list.retain(|_| {
            let keep = !deleted.get(j).copied().unwrap_or(false);
            j += 1;
            keep
        });
    }
    Ok(())
}
