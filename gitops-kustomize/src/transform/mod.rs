//! The builtin transformers and the field-spec engine they share.
//!
//! Each transformer is a function `(&Kustomization, &mut ResourceList) -> Result<(), String>`;
//! their order is the one list `TRANSFORMERS` in `build.rs`.

pub(crate) mod images;
pub(crate) mod labels;
pub(crate) mod name;
pub(crate) mod nameref;
pub(crate) mod namespace;
pub(crate) mod replicas;
pub(crate) mod retype;

use gitops_core::resource::{Resource, split_api_version};
use gitops_core::yaml::{Mapping, Value};

use crate::fieldspecs::FieldSpec;

/// What to create at the end of a path when it is missing (`None`: never create there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Create {
    /// Do not create the last field.
    Nothing,
    /// Create a scalar (the setter then fills it).
    Scalar,
    /// Create a mapping.
    Map,
}

/// Whether the field spec selects this resource (kustomize's `isMatchGVK`).
pub(crate) fn matches(fs: &FieldSpec<'_>, obj: &Value) -> bool {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let (group, version) =
        split_api_version(obj.get("apiVersion").and_then(Value::as_str).unwrap_or(""));
    (fs.kind.is_empty() || fs.kind == kind)
        && (fs.group.is_empty() || fs.group == group)
        && (fs.version.is_empty() || fs.version == version)
}

/// Whether the field spec selects a resource of this GVK (what [`matches`] reads from the
/// object; a resource's cached [`Gvk`](gitops_core::resource::Gvk) holds the same parts).
pub(crate) fn matches_gvk(fs: &FieldSpec<'_>, gvk: &gitops_core::resource::Gvk) -> bool {
    gvk.is_selected_by(fs.group, fs.version, fs.kind)
}

/// Apply `set` at the field spec's path in `obj` (when the spec selects it).
pub(crate) fn apply(
    fs: &FieldSpec<'_>,
    obj: &mut Value,
    create: Create,
    set: &mut dyn FnMut(&mut Value) -> Result<(), String>,
) -> Result<(), String> {
    if !matches(fs, obj) {
        return Ok(());
    }
    apply_selected(fs, obj, create, set)
}

/// [`apply`] for a spec already known to select the object (see [`matches_gvk`]).
pub(crate) fn apply_selected(
    fs: &FieldSpec<'_>,
    obj: &mut Value,
    create: Create,
    set: &mut dyn FnMut(&mut Value) -> Result<(), String>,
) -> Result<(), String> {
    with_path(fs.path, |path| walk(obj, path, fs.create, create, set))
        .map_err(|e| format!("considering field '{}': {e}", fs.path))
}

/// Call `f` with the parts of `path` as [`split_path`] cuts them, without allocating for
/// the common paths (no `\/`, at most 16 parts).
fn with_path<R>(path: &str, f: impl FnOnce(&[&str]) -> R) -> R {
    const MAX: usize = 16;
    if !path.contains('\\') {
        let body = match path.strip_prefix('/') {
            Some(rest) => rest,
            None => path,
        };
        let mut buf: [&str; MAX] = [""; MAX];
        let mut n = 0usize;
        let mut fits = true;
        for part in body.split('/') {
            match buf.get_mut(n) {
                Some(slot) => *slot = part,
                None => {
                    fits = false;
                    break;
                }
            }
            n += 1;
        }
        if fits && let Some(parts) = buf.get(..n) {
            return f(parts);
        }
    }
    let owned = split_path(path);
    let parts: Vec<&str> = owned.iter().map(String::as_str).collect();
    f(&parts)
}

/// kyaml's `PathSplitter`: split at `/`, a leading `/` ignored, `\/` kept as a `/` inside
/// a field name.
pub(crate) fn split_path(path: &str) -> Vec<String> {
    let mut parts = path.split('/').peekable();
    if path.contains('/') && path.starts_with('/') {
        parts.next();
    }
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        match out.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push('/');
                last.push_str(p);
            }
            _ => out.push(p.to_owned()),
        }
    }
    out
}

fn walk(
    node: &mut Value,
    path: &[&str],
    create_ok: bool,
    create: Create,
    set: &mut dyn FnMut(&mut Value) -> Result<(), String>,
) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return set(node);
    };
    match node {
        Value::Null => Ok(()),
        Value::Seq(items) => {
            items.iter_mut().try_for_each(|item| walk(item, path, create_ok, create, set))
        }
        Value::Map(m) => {
            let (name, is_seq) = match first.strip_suffix("[]") {
                Some(n) => (n, true),
                None => (*first, false),
            };
            if name.is_empty() {
                return Err("cannot set or create an empty field name".into());
            }
            let lookup_only = !create_ok || create == Create::Nothing || is_seq;
            let field = if lookup_only {
                match m.get_mut(name) {
                    Some(f) => f,
                    None => return Ok(()),
                }
            } else {
                let f = m.entry(name.to_owned()).or_insert(Value::Null);
                // A missing or null field takes the kind being created.
                if f.is_null() && (!rest.is_empty() || create == Create::Map) {
                    *f = Value::Map(Mapping::new());
                }
                f
            };
            walk(field, rest, create_ok, create, set)
        }
        _ => Err("expected sequence or mapping node".into()),
    }
}

/// Set `key: value` in a mapping node (a null node becomes a mapping).
pub(crate) fn set_entry(node: &mut Value, key: &str, value: &str) -> Result<(), String> {
    if node.is_null() {
        *node = Value::Map(Mapping::new());
    }
    match node.as_map_mut() {
        Some(m) => {
            m.insert(key.to_owned(), Value::from(value));
            Ok(())
        }
        None => Err(format!("wrong node kind: expected MappingNode but got {}", node.kind_name())),
    }
}

/// The resource's `apiVersion` and `kind` as a kustomize GVK would hold them.
pub(crate) fn is_kind(r: &Resource, group: &str, kind: &str) -> bool {
    r.kind() == kind && (group.is_empty() || r.group() == group)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use gitops_core::yaml::Value;

    /// A tiny JSON-ish builder for test trees: uses serde_json then converts.
    pub(crate) fn v(json: &str) -> Value {
        fn conv(j: serde_json::Value) -> Value {
            match j {
                serde_json::Value::Null => Value::Null,
                serde_json::Value::Bool(b) => Value::Bool(b),
                serde_json::Value::Number(n) => {
                    n.as_i64().map(Value::Int).unwrap_or(Value::Float(n.as_f64().unwrap_or(0.0)))
                }
                serde_json::Value::String(s) => Value::String(s),
                serde_json::Value::Array(a) => Value::Seq(a.into_iter().map(conv).collect()),
                serde_json::Value::Object(o) => {
                    Value::Map(o.into_iter().map(|(k, x)| (k, conv(x))).collect())
                }
            }
        }
        conv(serde_json::from_str(json).expect("test json"))
    }

    #[test]
    fn apply_table() {
        let spec = |path, create| FieldSpec { group: "", version: "", kind: "", path, create };
        let cases = [
            // create a nested mapping path
            (
                r#"{"kind":"X"}"#,
                spec("spec/selector/matchLabels", true),
                Create::Map,
                r#"{"kind":"X","spec":{"selector":{"matchLabels":{"k":"v"}}}}"#,
            ),
            // no create: missing path untouched
            (r#"{"kind":"X"}"#, spec("spec/selector", false), Create::Map, r#"{"kind":"X"}"#),
            // lists walk every element; a missing list is never created
            (
                r#"{"kind":"X","l":[{"m":{}},{"n":1}]}"#,
                spec("l[]/m", true),
                Create::Map,
                r#"{"kind":"X","l":[{"m":{"k":"v"}},{"n":1,"m":{"k":"v"}}]}"#,
            ),
            (r#"{"kind":"X"}"#, spec("l[]/m", true), Create::Map, r#"{"kind":"X"}"#),
            // a null field becomes a mapping
            (
                r#"{"kind":"X","m":null}"#,
                spec("m", true),
                Create::Map,
                r#"{"kind":"X","m":{"k":"v"}}"#,
            ),
        ];
        for (input, fs, create, want) in cases {
            let mut obj = v(input);
            apply(&fs, &mut obj, create, &mut |n| set_entry(n, "k", "v")).unwrap();
            assert_eq!(obj, v(want), "{input} {}", fs.path);
        }
    }

    #[test]
    fn apply_errors() {
        let fs = FieldSpec { group: "", version: "", kind: "", path: "spec/x", create: true };
        let mut obj = v(r#"{"spec":"str"}"#);
        let err = apply(&fs, &mut obj, Create::Map, &mut |n| set_entry(n, "k", "v")).unwrap_err();
        assert_eq!(err, "considering field 'spec/x': expected sequence or mapping node");
    }

    #[test]
    fn gvk_selection() {
        let fs =
            FieldSpec { group: "apps", version: "", kind: "Deployment", path: "a", create: true };
        for (obj, want) in [
            (r#"{"apiVersion":"apps/v1","kind":"Deployment"}"#, true),
            (r#"{"apiVersion":"extensions/v1beta1","kind":"Deployment"}"#, false),
            (r#"{"apiVersion":"apps/v1","kind":"StatefulSet"}"#, false),
        ] {
            assert_eq!(matches(&fs, &v(obj)), want, "{obj}");
        }
    }
}

#[cfg(test)]
mod path_tests {
    #[test]
    fn split_path_table() {
        let cases: [(&str, &[&str]); 4] = [
            ("a/b", &["a", "b"]),
            ("/a/b", &["a", "b"]),
            (r"metadata/annotations/x.io\/y", &["metadata", "annotations", "x.io/y"]),
            ("a", &["a"]),
        ];
        for (path, want) in cases {
            assert_eq!(super::split_path(path), want, "{path}");
            super::with_path(path, |parts| assert_eq!(parts, want, "{path}"));
        }
        let long = "a/".repeat(20) + "z";
        super::with_path(&long, |parts| assert_eq!(parts.len(), 21));
        for path in ["/", "", "a//b", "/a"] {
            super::with_path(path, |parts| assert_eq!(parts, super::split_path(path), "{path}"));
        }
    }
}
