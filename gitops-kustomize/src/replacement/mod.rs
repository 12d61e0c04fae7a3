//! The `replacements` field: copy a value from one resource's field into fields of other
//! resources (kustomize's `ReplacementTransformer`, `api/filters/replacement`).
//!
//! Entries are decoded strictly from the kustomization (unknown fields are errors); a
//! `{path: file}` entry names a file holding one replacement or a list of them, read
//! through the load restrictor before the transformers run.

mod path;
mod selector;

use gitops_core::resource::{ResId, Resource, ResourceList};
use gitops_core::yaml::{Limits, Profile, Value, parse_values, resolve_scalar};

use crate::kustomization::Kustomization;
use crate::loader::Loader;
use path::{Create, Step};
use selector::Compiled;

pub(crate) use path::{get as get_at, lookup as lookup_path, split as split_path, text_of};

/// `group`, `version`, `kind`, `name`, `namespace`, `labelSelector`, `annotationSelector`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SelectorArg {
    /// API group (a regular expression for targets).
    pub group: String,
    /// Version.
    pub version: String,
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// Kubernetes selector expression over annotations.
    pub annotation_selector: String,
    /// Kubernetes selector expression over labels.
    pub label_selector: String,
}

/// `options` of a source or target.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldOptions {
    /// Split (source) or split and join (target) the scalar at this text.
    pub delimiter: String,
    /// Which part of the split to take or replace.
    pub index: i64,
    /// Create missing target fields.
    pub create: bool,
}

/// `source`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceArg {
    /// Which resource (exact match; every part optional).
    pub id: SelectorArg,
    /// Field path (default `metadata.name`).
    pub field_path: String,
    /// Options.
    pub options: Option<FieldOptions>,
}

/// One `targets` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TargetArg {
    /// Resources to include (`None`: an error when the replacement runs).
    pub select: Option<SelectorArg>,
    /// Resources to leave out.
    pub reject: Vec<SelectorArg>,
    /// Field paths (default `metadata.name`).
    pub field_paths: Vec<String>,
    /// Options.
    pub options: Option<FieldOptions>,
}

/// One replacement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replacement {
    /// Where the value comes from.
    pub source: Option<SourceArg>,
    /// Where it goes (`None` when absent or empty).
    pub targets: Option<Vec<TargetArg>>,
    /// A literal value instead of a source.
    pub source_value: Option<String>,
}

/// A `replacements` entry: inline, or a file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplacementEntry {
    /// Written in the kustomization.
    Inline(Box<Replacement>),
    /// `path:` a file holding one replacement or a list.
    Path(String),
}

type R<T> = Result<T, String>;

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Uint(_) | Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// Decode an object as `encoding/json` does (case-insensitive names, exact match first);
/// `strict`: unknown fields are errors.
pub(crate) fn object(
    v: &Value,
    ty: &str,
    fields: &[&'static str],
    strict: bool,
    mut f: impl FnMut(&'static str, &Value) -> R<()>,
) -> R<()> {
    let m = match v {
        Value::Null => return Ok(()),
        Value::Map(m) => m,
        _ => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type {ty}",
                go_type(v)
            ));
        }
    };
    for (k, x) in m {
        let name = fields
            .iter()
            .find(|f| **f == k.as_str())
            .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(k)));
        match name {
            Some(name) => f(name, x)?,
            None if strict => return Err(format!("json: unknown field \"{k}\"")),
            None => {}
        }
    }
    Ok(())
}

pub(crate) fn string(v: &Value, field: &str) -> R<String> {
    match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        _ => Err(format!(
            "json: cannot unmarshal {} into Go struct field {field} of type string",
            go_type(v)
        )),
    }
}

fn seq<'a>(v: &'a Value, field: &str, elem: &str) -> R<&'a [Value]> {
    match v {
        Value::Null => Ok(&[]),
        Value::Seq(s) => Ok(s),
        _ => Err(format!(
            "json: cannot unmarshal {} into Go struct field {field} of type []{elem}",
            go_type(v)
        )),
    }
}

const ID_FIELDS: [&str; 5] = ["group", "version", "kind", "name", "namespace"];

fn selector(v: &Value, strict: bool, extra: bool) -> R<SelectorArg> {
    let mut s = SelectorArg::default();
    let mut fields: Vec<&'static str> = ID_FIELDS.to_vec();
    if extra {
        fields.extend(["annotationSelector", "labelSelector"]);
    }
    object(v, "types.Selector", &fields, strict, |n, x| {
        let t = string(x, &format!("Selector.{n}"))?;
        match n {
            "group" => s.group = t,
            "version" => s.version = t,
            "kind" => s.kind = t,
            "name" => s.name = t,
            "namespace" => s.namespace = t,
            "annotationSelector" => s.annotation_selector = t,
            _ => s.label_selector = t,
        }
        Ok(())
    })?;
    Ok(s)
}

fn options(v: &Value, strict: bool) -> R<Option<FieldOptions>> {
    if v.is_null() {
        return Ok(None);
    }
    let mut o = FieldOptions::default();
    let fields = ["delimiter", "index", "encoding", "create"];
    object(v, "types.FieldOptions", &fields, strict, |n, x| {
        match (n, x) {
            (_, Value::Null) => {}
            ("delimiter", _) => o.delimiter = string(x, "FieldOptions.delimiter")?,
            ("encoding", _) => drop(string(x, "FieldOptions.encoding")?),
            ("index", Value::Int(i)) => o.index = *i,
            ("create", Value::Bool(b)) => o.create = *b,
            (n, x) => {
                return Err(format!(
                    "json: cannot unmarshal {} into Go struct field FieldOptions.{n} of type {}",
                    go_type(x),
                    if n == "index" { "int" } else { "bool" }
                ));
            }
        }
        Ok(())
    })?;
    Ok(Some(o))
}

fn source(v: &Value, strict: bool) -> R<SourceArg> {
    let mut s = SourceArg::default();
    let fields = ["group", "version", "kind", "name", "namespace", "fieldPath", "options"];
    object(v, "types.SourceSelector", &fields, strict, |n, x| {
        match n {
            "fieldPath" => s.field_path = string(x, "SourceSelector.fieldPath")?,
            "options" => s.options = options(x, strict)?,
            _ => {
                let t = string(x, &format!("SourceSelector.{n}"))?;
                match n {
                    "group" => s.id.group = t,
                    "version" => s.id.version = t,
                    "kind" => s.id.kind = t,
                    "name" => s.id.name = t,
                    _ => s.id.namespace = t,
                }
            }
        }
        Ok(())
    })?;
    Ok(s)
}

fn target(v: &Value, strict: bool) -> R<TargetArg> {
    let mut t = TargetArg::default();
    let fields = ["select", "reject", "fieldPaths", "options"];
    object(v, "types.TargetSelector", &fields, strict, |n, x| {
        match n {
            "select" => {
                t.select = if x.is_null() { None } else { Some(selector(x, strict, true)?) }
            }
            "reject" => {
                t.reject = seq(x, "TargetSelector.reject", "*types.Selector")?
                    .iter()
                    .map(|r| selector(r, strict, true))
                    .collect::<R<_>>()?
            }
            "fieldPaths" => {
                t.field_paths = seq(x, "TargetSelector.fieldPaths", "string")?
                    .iter()
                    .map(|p| string(p, "TargetSelector.fieldPaths"))
                    .collect::<R<_>>()?
            }
            _ => t.options = options(x, strict)?,
        }
        Ok(())
    })?;
    Ok(t)
}

/// Decode one replacement (`strict`: unknown fields are errors, as in a kustomization).
fn replacement(v: &Value, strict: bool, with_path: bool) -> R<(Replacement, String)> {
    let mut r = Replacement::default();
    let mut path = String::new();
    let mut fields = vec!["source", "targets", "sourceValue"];
    if with_path {
        fields.push("path");
    }
    object(v, "types.Replacement", &fields, strict, |n, x| {
        match n {
            "source" => r.source = if x.is_null() { None } else { Some(source(x, strict)?) },
            "targets" => {
                let ts: Vec<TargetArg> = seq(x, "Replacement.targets", "*types.TargetSelector")?
                    .iter()
                    .map(|t| target(t, strict))
                    .collect::<R<_>>()?;
                r.targets = if ts.is_empty() { None } else { Some(ts) };
            }
            "sourceValue" => {
                r.source_value =
                    if x.is_null() { None } else { Some(string(x, "Replacement.sourceValue")?) }
            }
            _ => path = string(x, "ReplacementField.path")?,
        }
        Ok(())
    })?;
    Ok((r, path))
}

/// Decode the `replacements` field of a kustomization.
pub(crate) fn parse_entries(v: &Value) -> R<Vec<ReplacementEntry>> {
    let items = seq(v, "Kustomization.replacements", "types.ReplacementField")?;
    let mut out = Vec::new();
    for item in items {
        let (r, path) = replacement(item, true, true)?;
        if path.is_empty() {
            out.push(ReplacementEntry::Inline(Box::new(r)));
        } else {
            if r.source.is_some() || r.targets.is_some() {
                return Err("cannot specify both path and inline replacement".into());
            }
            out.push(ReplacementEntry::Path(path));
        }
    }
    Ok(out)
}

/// Read the files named by `path:` entries (through the loader and its restrictor).
pub(crate) fn load_files(k: &mut Kustomization, ldr: &Loader<'_>) -> R<()> {
    if !k.replacements.iter().any(|e| matches!(e, ReplacementEntry::Path(_))) {
        return Ok(());
    }
    let mut out = Vec::new();
    for e in std::mem::take(&mut k.replacements) {
        let file = match e {
            ReplacementEntry::Path(p) => p,
            inline => {
                out.push(inline);
                continue;
            }
        };
        let bytes = ldr.load(&file).map_err(|e| e.to_string())?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{file}: not valid UTF-8"))?;
        let docs = parse_values(&text, Profile::ApiServer, &Limits::default())
            .map_err(|e| format!("{file}: {e}"))?;
        match docs.first().unwrap_or(&Value::Null) {
            Value::Seq(items) => {
                for item in items {
                    out.push(ReplacementEntry::Inline(Box::new(
                        replacement(item, false, false)?.0,
                    )));
                }
            }
            m @ Value::Map(_) => {
                out.push(ReplacementEntry::Inline(Box::new(replacement(m, false, false)?.0)))
            }
            other => {
                let kind = match other {
                    Value::String(_) => "string",
                    Value::Bool(_) => "bool",
                    Value::Null => "invalid",
                    _ => "float64",
                };
                return Err(format!(
                    "unsupported replacement type encountered within replacement path: {kind}"
                ));
            }
        }
    }
    k.replacements = out;
    Ok(())
}

/// A value to copy: untagged when it comes from `sourceValue` (read by its form where it
/// lands in a fresh field).
#[derive(Debug, Clone)]
struct Src {
    value: Value,
    untagged: bool,
}

/// Give `text` the tag `like` has (kyaml keeps a scalar's tag when only its text changes).
fn retag(text: &str, like: &Value) -> R<Value> {
    let tag = match like {
        Value::String(_) => return Ok(Value::String(text.to_owned())),
        Value::Int(_) | Value::Uint(_) => "!!int",
        Value::Float(_) => "!!float",
        Value::Bool(_) => "!!bool",
        Value::Null => "!!null",
        Value::Seq(_) | Value::Map(_) => "",
    };
    resolve_scalar(tag, text).map_err(|e| format!("yaml: {e}"))
}

fn ids(r: &Resource) -> Vec<ResId> {
    let mut out = vec![r.id().clone()];
    out.extend(r.prev_ids());
    out
}

fn id_string(s: &SelectorArg) -> String {
    let or = |s: &str, d: &'static str| if s.is_empty() { d.to_owned() } else { s.to_owned() };
    format!(
        "{}.{}.{}/{}.{}",
        or(&s.kind, "[noKind]"),
        or(&s.version, "[noVer]"),
        or(&s.group, "[noGrp]"),
        or(&s.name, "[noName]"),
        or(&s.namespace, "[noNs]")
    )
}

fn source_string(s: &SourceArg) -> String {
    let mut out = id_string(&s.id);
    if !s.field_path.is_empty() {
        out.push(':');
        out.push_str(&s.field_path);
    }
    if let Some(o) = s.options.as_ref().filter(|o| !o.delimiter.is_empty() || o.create) {
        out.push_str(&format!(":{}({}), create={}", o.delimiter, o.index, o.create));
    }
    out
}

/// kyaml's `IsSelectedBy` for a source: exact parts, namespaces compared as effective ones.
fn source_selects(sel: &SelectorArg, id: &ResId) -> bool {
    let sel_id = ResId::new(
        gitops_core::resource::Gvk {
            group: sel.group.clone(),
            version: sel.version.clone(),
            kind: sel.kind.clone(),
        },
        sel.name.clone(),
        sel.namespace.clone(),
    );
    (sel.name.is_empty() || sel.name == id.name)
        && (sel.namespace.is_empty() || sel_id.effective_namespace() == id.effective_namespace())
        && id.gvk.is_selected_by(&sel.group, &sel.version, &sel.kind)
}

fn get_value(list: &ResourceList, r: &Replacement) -> R<Src> {
    if r.source_value.is_some() && r.source.is_some() {
        return Err("value and resource selectors are mutually exclusive".into());
    }
    if let Some(v) = &r.source_value {
        return Ok(Src { value: Value::String(v.clone()), untagged: true });
    }
    let Some(src) = &r.source else {
        return Err("replacements must specify a source and at least one target".into());
    };
    let mut found: Option<&Resource> = None;
    for res in list.iter() {
        if ids(res).iter().any(|id| source_selects(&src.id, id)) {
            if found.is_some() {
                return Err(format!("multiple matches for selector {}", source_string(src)));
            }
            found = Some(res);
        }
    }
    let Some(res) = found else {
        return Err(format!("nothing selected by {}", source_string(src)));
    };
    let fp = if src.field_path.is_empty() { "metadata.name" } else { &src.field_path };
    let steps = path::lookup(res.value(), &path::split(fp))
        .map_err(|e| format!("error looking up replacement source: {e}"))?;
    let value = steps.as_ref().and_then(|s| path::get(res.value(), s));
    let value = match value {
        None | Some(Value::Null) => None,
        Some(Value::Map(m)) if m.is_empty() => None,
        Some(Value::Seq(s)) if s.is_empty() => None,
        Some(v) => Some(v),
    };
    let Some(value) = value else {
        return Err(format!(
            "fieldPath `{fp}` is missing for replacement source {}",
            id_string(&src.id)
        ));
    };
    let value = match &src.options {
        Some(o) if !o.delimiter.is_empty() => {
            if matches!(value, Value::Map(_) | Value::Seq(_)) {
                return Err("delimiter option can only be used with scalar nodes".into());
            }
            let text = text_of(value);
            let parts: Vec<&str> = text.split(o.delimiter.as_str()).collect();
            let piece = usize::try_from(o.index).ok().and_then(|i| parts.get(i));
            let Some(piece) = piece else {
                return Err(format!("options.index {} is out of bounds for value {text}", o.index));
            };
            retag(piece, value)?
        }
        _ => value.clone(),
    };
    Ok(Src { value, untagged: false })
}

/// kyaml's `setFieldValue`.
fn set_field(opts: Option<&FieldOptions>, target: &mut Value, created: bool, src: &Src) -> R<()> {
    let mut text = text_of(&src.value);
    let mut value = src.value.clone();
    if let Some(o) = opts.filter(|o| !o.delimiter.is_empty()) {
        if matches!(target, Value::Map(_) | Value::Seq(_)) {
            return Err("delimiter option can only be used with scalar nodes".into());
        }
        let current = text_of(target);
        let mut parts: Vec<String> =
            current.split(o.delimiter.as_str()).map(str::to_owned).collect();
        match usize::try_from(o.index) {
            Err(_) => parts.insert(0, text.clone()),
            Ok(i) if i >= parts.len() => parts.push(text.clone()),
            Ok(i) => {
                if let Some(p) = parts.get_mut(i) {
                    *p = text.clone();
                }
            }
        }
        text = parts.join(&o.delimiter);
        if !matches!(value, Value::Map(_) | Value::Seq(_)) {
            value = if src.untagged { Value::String(text.clone()) } else { retag(&text, &value)? };
        }
    }
    if !matches!(target, Value::Map(_) | Value::Seq(_)) {
        *target = if created { resolve_scalar("", &text)? } else { retag(&text, target)? };
    } else {
        *target = if src.untagged { resolve_scalar("", &text)? } else { value };
    }
    Ok(())
}

fn retrieval_err(fp: &str, create: bool) -> String {
    if create {
        format!("unable to find or create field {fp:?} in replacement target")
    } else {
        format!("unable to find field {fp:?} in replacement target")
    }
}

/// Serialise structured data back into its scalar the way kustomize does: JSON (keys
/// sorted, indented when the original was) or YAML.
fn serialize_structured(v: &Value, original: &str) -> R<String> {
    let first = original.trim().chars().next();
    if matches!(first, Some('{' | '[')) {
        let j = to_json(v);
        let pretty = original.contains('\n') && original.contains("  ");
        let s = if pretty { serde_json::to_string_pretty(&j) } else { serde_json::to_string(&j) }
            .map_err(|e| e.to_string())?;
        return Ok(s
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029"));
    }
    let mut out = String::new();
    if block_yaml(v, 0, &mut out, 0).is_none() {
        // Multi-line scalars inside: go-yaml's own layout (keys sorted).
        out = gitops_core::yaml::emit(v).map_err(|e| e.to_string())?;
    }
    Ok(out.trim().to_owned())
}

/// One scalar as go-yaml prints it on a line (`None` when it needs several lines).
fn scalar_line(v: &Value) -> Option<String> {
    let text = gitops_core::yaml::emit(v).ok()?;
    let line = text.strip_suffix('\n').unwrap_or(&text);
    (!line.contains('\n')).then(|| line.to_owned())
}

/// kyaml's block YAML (keys in their order, list items at their key's indentation).
fn block_yaml(v: &Value, indent: usize, out: &mut String, depth: usize) -> Option<()> {
    if depth > 200 {
        return None;
    }
    let pad = " ".repeat(indent);
    match v {
        Value::Map(m) if !m.is_empty() => {
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 || !out.ends_with("- ") {
                    out.push_str(&pad);
                }
                out.push_str(&scalar_line(&Value::String(k.clone()))?);
                out.push(':');
                match x {
                    Value::Map(c) if !c.is_empty() => {
                        out.push('\n');
                        block_yaml(x, indent + 2, out, depth + 1)?;
                    }
                    Value::Seq(c) if !c.is_empty() => {
                        out.push('\n');
                        block_yaml(x, indent, out, depth + 1)?;
                    }
                    _ => {
                        out.push(' ');
                        out.push_str(&scalar_line(x)?);
                        out.push('\n');
                    }
                }
            }
        }
        Value::Seq(items) if !items.is_empty() => {
            for x in items {
                out.push_str(&pad);
                out.push_str("- ");
                match x {
                    Value::Map(c) if !c.is_empty() => block_yaml(x, indent + 2, out, depth + 1)?,
                    Value::Seq(c) if !c.is_empty() => {
                        out.push('\n');
                        block_yaml(x, indent + 2, out, depth + 1)?;
                    }
                    _ => {
                        out.push_str(&scalar_line(x)?);
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push_str(&scalar_line(other)?);
            out.push('\n');
        }
    }
    Some(())
}

fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Uint(u) => serde_json::Value::from(*u),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Seq(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = serde_json::Map::new();
            for k in keys {
                if let Some(x) = m.get(k) {
                    out.insert(k.clone(), to_json(x));
                }
            }
            serde_json::Value::Object(out)
        }
    }
}

/// kustomize's `setValueInStructuredData`: a scalar on the path whose text is YAML or JSON
/// is edited inside. `Ok(false)` when the path does not go through such a scalar.
fn set_structured(obj: &mut Value, fp: &str, create: Option<Create>, src: &Src) -> R<bool> {
    let parts = path::split(fp);
    if parts.len() < 2 {
        return Ok(false);
    }
    let mut found: Option<(Vec<Step>, usize, Value, String)> = None;
    for i in 1..parts.len() {
        let Ok(Some(steps)) = path::lookup(obj, &parts[..i]) else { continue };
        let Some(node) = path::get(obj, &steps) else { continue };
        if matches!(node, Value::Map(_) | Value::Seq(_) | Value::Null) {
            continue;
        }
        let text = text_of(node);
        if let Ok(parsed) = path::parse_scalar_doc(&text) {
            found = Some((steps, i, parsed, text));
            break;
        }
    }
    let Some((steps, i, mut parsed, text)) = found else { return Ok(false) };
    if text.trim().is_empty() {
        return Ok(false);
    }
    let rest = parts.get(i..).unwrap_or(&[]);
    let mut set = |t: &mut Value, created: bool| -> R<()> {
        let text = text_of(&src.value);
        *t = if matches!(t, Value::Map(_) | Value::Seq(_)) {
            if src.untagged { resolve_scalar("", &text)? } else { src.value.clone() }
        } else if created {
            resolve_scalar("", &text)?
        } else {
            retag(&text, t)?
        };
        Ok(())
    };
    match path::find(&mut parsed, rest, create, &mut set) {
        Ok(n) if n > 0 => {}
        _ => return Ok(false),
    }
    let out = serialize_structured(&parsed, &text)?;
    if let Some(field) = path::get_mut(obj, &steps) {
        *field = retag(&out, field)?;
    }
    Ok(true)
}

fn copy_to_target(obj: &mut Value, src: &Src, t: &TargetArg, paths: &[String]) -> R<()> {
    let opts = t.options.as_ref();
    let create = opts.filter(|o| o.create).map(|_| Create::like(&src.value));
    for fp in paths {
        if set_structured(obj, fp, create, src)? {
            continue;
        }
        let mut set = |node: &mut Value, created: bool| set_field(opts, node, created, src);
        match path::find(obj, &path::split(fp), create, &mut set) {
            Err(e) if e.starts_with("delimiter option") || e.starts_with("yaml:") => {
                return Err(e);
            }
            Err(e) => return Err(format!("{}: {e}", retrieval_err(fp, create.is_some()))),
            Ok(0) => return Err(retrieval_err(fp, create.is_some())),
            Ok(_) => {}
        }
    }
    Ok(())
}

fn apply_targets(list: &mut ResourceList, src: &Src, targets: &[TargetArg]) -> R<()> {
    for t in targets {
        let Some(select) = &t.select else {
            return Err("target must specify resources to select".into());
        };
        let sel = Compiled::new(select)?;
        let rejects: Vec<Compiled> = t.reject.iter().map(Compiled::new).collect::<R<_>>()?;
        let default_paths = ["metadata.name".to_owned()];
        let paths: &[String] =
            if t.field_paths.is_empty() { &default_paths } else { &t.field_paths };
        list.update(|r| -> R<()> {
            if !sel.selects_meta(r) {
                return Ok(());
            }
            if rejects.iter().any(|x| !x.sel_empty && x.selects_meta(r)) {
                return Ok(());
            }
            let ids = ids(r);
            if rejects.iter().any(|x| !x.id_empty && ids.iter().any(|id| x.selects_id(id))) {
                return Ok(());
            }
            if !ids.iter().any(|id| sel.selects_id(id)) {
                return Ok(());
            }
            r.edit(|obj| copy_to_target(obj, src, t, paths))
        })?;
    }
    Ok(())
}

/// Run the kustomization's replacements, in order.
pub(crate) fn run(k: &Kustomization, list: &mut ResourceList) -> R<()> {
    for e in &k.replacements {
        let ReplacementEntry::Inline(r) = e else {
            return Err("replacement file not loaded".into());
        };
        if (r.source_value.is_none() && r.source.is_none()) || r.targets.is_none() {
            return Err("replacements must specify a source and at least one target".into());
        }
        let src = get_value(list, r)?;
        apply_targets(list, &src, r.targets.as_deref().unwrap_or(&[]))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retag_table() {
        let cases: &[(&str, Value, Result<Value, ()>)] = &[
            ("8080", Value::from("x"), Ok(Value::from("8080"))),
            ("8080", Value::Int(1), Ok(Value::Int(8080))),
            ("abc", Value::Int(1), Err(())),
            ("true", Value::Bool(false), Ok(Value::Bool(true))),
            ("x", Value::Null, Err(())),
            ("2", Value::Float(1.5), Ok(Value::Float(2.0))),
        ];
        for (text, like, want) in cases {
            assert_eq!(retag(text, like).map_err(drop), *want, "{text} {like:?}");
        }
    }

    fn src(v: Value) -> Src {
        Src { value: v, untagged: false }
    }

    #[test]
    fn set_field_delimiter_table() {
        let opts = |index| FieldOptions { delimiter: ".".into(), index, create: false };
        let cases: &[(i64, &str)] = &[
            (0, "new.b.c"),
            (2, "a.b.new"),
            (3, "a.b.c.new"),
            (9, "a.b.c.new"),
            (-1, "new.a.b.c"),
        ];
        for (index, want) in cases {
            let mut target = Value::from("a.b.c");
            set_field(Some(&opts(*index)), &mut target, false, &src(Value::from("new"))).unwrap();
            assert_eq!(target, Value::from(*want), "index {index}");
        }
        let mut map = Value::Map(Default::default());
        let err = set_field(Some(&opts(0)), &mut map, false, &src(Value::from("x"))).unwrap_err();
        assert_eq!(err, "delimiter option can only be used with scalar nodes");
    }

    #[test]
    fn created_fields_read_by_form() {
        let mut t = Value::Null;
        set_field(None, &mut t, true, &src(Value::from("8080"))).unwrap();
        assert_eq!(t, Value::Int(8080));
        let mut t = Value::from("old");
        set_field(None, &mut t, false, &src(Value::Int(5))).unwrap();
        assert_eq!(t, Value::from("5"));
    }

    #[test]
    fn decode_errors() {
        let bad = Value::Seq(vec![Value::Map(
            [("source".to_owned(), Value::Map([("bogus".to_owned(), Value::Int(1))].into()))]
                .into(),
        )]);
        assert_eq!(parse_entries(&bad).unwrap_err(), "json: unknown field \"bogus\"");
        let both = Value::Seq(vec![Value::Map(
            [
                ("path".to_owned(), Value::from("r.yaml")),
                ("source".to_owned(), Value::Map([("kind".to_owned(), Value::from("X"))].into())),
            ]
            .into(),
        )]);
        assert_eq!(
            parse_entries(&both).unwrap_err(),
            "cannot specify both path and inline replacement"
        );
    }

    #[test]
    fn build_with_memfs() {
        use crate::{MemFs, Options, build, to_yaml};
        use std::path::Path;
        let mut fs = MemFs::new();
        fs.add_file(
            "/app/kustomization.yaml",
            "resources:\n- r.yaml\nnamePrefix: p-\nreplacements:\n- path: repl.yaml\n",
        );
        fs.add_file(
            "/app/r.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: v\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n",
        );
        fs.add_file(
            "/app/repl.yaml",
            "source:\n  kind: Service\ntargets:\n- select:\n    name: cm\n  fieldPaths: [data.k]\n",
        );
        let list = build(&fs, Path::new("/app"), &Options::default()).unwrap();
        let out = to_yaml(&list).unwrap();
        assert!(out.contains("  k: p-svc\n"), "{out}");
    }
}
