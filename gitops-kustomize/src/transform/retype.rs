//! kyaml's re-typing of rewritten scalars.
//!
//! kyaml's `SetScalar` (prefix and suffix, image names) and `FieldSetter{StringValue}`
//! (name references) write the new text as a scalar node with no tag that keeps the old
//! node's style. `RNode.MarshalJSON` then reads the object again as go-yaml v3 reads an
//! untagged scalar of that style: over a *plain* scalar a text such as `true`, `10`, `1e3`
//! or `null` becomes a bool, a number or null (`namePrefix: tr` on `name: ue` prints
//! `name: true`); over a quoted or block scalar it stays a string.
//!
//! The writers here write a string, and record the (rare) texts that would read as
//! something else; [`Retypes::settle`] then finds where each one landed and, when kyaml's
//! node there is plain, gives it the typed value. The node's style is read back from the
//! resource's source document ([`Resource::source`]) only then, so the common path pays
//! for one scalar-typing check per write.

use gitops_core::resource::{Resource, SourceText};
use gitops_core::yaml::{Limits, Profile, ScalarStyle, Value, parse_values, resolve_scalar};

use crate::reader::scalar_at;

/// How deep [`path_of`] looks for a written scalar.
const MAX_DEPTH: usize = 256;

/// Scalars written by kyaml-style setters that may need re-typing.
#[derive(Debug, Default)]
pub(crate) struct Retypes {
    pending: Vec<Pending>,
}

#[derive(Debug)]
struct Pending {
    /// Where the scalar was written (an address, compared, never read through).
    at: usize,
    /// The old scalar: its text and whether it was a string.
    old: String,
    old_was_string: bool,
    /// The new text and what a plain scalar of that text reads as.
    text: String,
    typed: Value,
}

/// What `settle` did at one place.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Retyped {
    /// The path of the scalar (mapping keys, sequence indexes).
    pub(crate) path: Vec<String>,
    /// Its text.
    pub(crate) text: String,
}

impl Retypes {
    /// Write `text` over the scalar `node`, whose text was `old`, as a string; remember it
    /// when a plain scalar of that text reads as something else.
    pub(crate) fn set(&mut self, node: &mut Value, old: &str, text: String) {
        let old_was_string = matches!(node, Value::String(_));
        let typed = match resolve_scalar_if_typed(&text) {
            Ok(v @ (Value::Null | Value::Bool(_) | Value::Int(_) | Value::Uint(_))) => Some(v),
            // kustomize fails to print an infinity or NaN as JSON; keep the text.
            Ok(Value::Float(f)) if f.is_finite() => Some(Value::Float(f)),
            _ => None,
        };
        if let Some(typed) = typed {
            self.pending.push(Pending {
                at: std::ptr::from_ref::<Value>(node).addr(),
                old: old.to_owned(),
                old_was_string,
                text: text.clone(),
                typed,
            });
        }
        *node = Value::String(text);
    }

    /// Whether nothing needs settling.
    pub(crate) fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Give each recorded scalar of `obj` (the object of a resource read from `source`)
    /// its typed value where kyaml's node was plain; what was re-typed, in order.
    pub(crate) fn settle(self, source: Option<&SourceText>, obj: &mut Value) -> Vec<Retyped> {
        let mut out = Vec::new();
        for p in self.pending {
            let mut path = Vec::new();
            if !path_of(obj, p.at, &mut path, 0) {
                continue;
            }
            let parts: Vec<&str> = path.iter().map(String::as_str).collect();
            let Some(node) = get_mut(obj, &parts) else { continue };
            // The place must still hold what was written there.
            if node.as_str() != Some(p.text.as_str()) {
                continue;
            }
            if !p.old_was_string || plain_string(source, &parts, &p.old) {
                *node = p.typed;
                out.push(Retyped { path, text: p.text });
            }
        }
        out
    }
}

/// What go-yaml v3 reads an untagged plain `text` as, when that is not a string. Most
/// names start with a letter that begins no keyword, and are strings at once.
fn resolve_scalar_if_typed(text: &str) -> Result<Value, String> {
    match text.as_bytes().first() {
        Some(b) if b.is_ascii_alphabetic() && !b"tTfFnN".contains(b) => {
            Ok(Value::String(String::new()))
        }
        _ => resolve_scalar("", text),
    }
}

/// Whether the string `old` at `path` was a plain scalar in kyaml's node. With a source
/// document: the scalar there is plain and `old` was made from it (the same text, or it
/// with prefixes and suffixes: renames keep the node's style). Without one (a generated
/// object): plain unless YAML 1.1 or 1.2 would read `old` as something else (kyaml
/// quotes those when it writes them).
fn plain_string(source: Option<&SourceText>, path: &[&str], old: &str) -> bool {
    let Some(source) = source else {
        let reads_as_string = |profile| {
            parse_values(old, profile, &Limits::default())
                .is_ok_and(|v| matches!(v.as_slice(), [Value::String(s)] if s == old))
        };
        return reads_as_string(Profile::Kyaml) && reads_as_string(Profile::ApiServer);
    };
    let index = source.item().map(|i| i.to_string());
    let mut full: Vec<&str> = match &index {
        Some(i) => vec!["items", i.as_str()],
        None => Vec::new(),
    };
    full.extend_from_slice(path);
    match scalar_at(source.as_str(), &full) {
        Some((ScalarStyle::Plain, text)) => !text.is_empty() && old.contains(text.as_str()),
        _ => false,
    }
}

/// The path to the value at address `at` in `v`, into `path`; whether it was found.
fn path_of(v: &Value, at: usize, path: &mut Vec<String>, depth: usize) -> bool {
    if std::ptr::from_ref::<Value>(v).addr() == at {
        return true;
    }
    if depth >= MAX_DEPTH {
        return false;
    }
    match v {
        Value::Map(m) => m.iter().any(|(k, child)| {
            path.push(k.clone());
            let found = path_of(child, at, path, depth + 1);
            if !found {
                path.pop();
            }
            found
        }),
        Value::Seq(items) => items.iter().enumerate().any(|(i, child)| {
            path.push(i.to_string());
            let found = path_of(child, at, path, depth + 1);
            if !found {
                path.pop();
            }
            found
        }),
        _ => false,
    }
}

fn get_mut<'v>(mut v: &'v mut Value, path: &[&str]) -> Option<&'v mut Value> {
    for part in path {
        v = match v {
            Value::Map(m) => m.get_mut(*part)?,
            Value::Seq(items) => items.get_mut(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Re-type what the writers of one resource recorded, and keep its raw name in step: a
/// `metadata.name` that became a bool, a number or null is named by its text.
pub(crate) fn settle_resource(r: &mut Resource, retypes: Retypes) {
    if retypes.is_empty() {
        return;
    }
    let source = r.source().cloned();
    let done = r.edit(|obj| retypes.settle(source.as_ref(), obj));
    if let Some(name) = done.into_iter().find(|d| d.path == ["metadata", "name"]) {
        r.set_raw_name(Some(name.text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn obj(name: Value) -> Value {
        let mut meta = gitops_core::yaml::Mapping::new();
        meta.insert("name".into(), name);
        let mut m = gitops_core::yaml::Mapping::new();
        m.insert("metadata".into(), Value::Map(meta));
        Value::Map(m)
    }

    #[test]
    fn settle_table() {
        // (source of metadata.name, old value, new text, result)
        let cases = [
            (Some("metadata:\n  name: ue\n"), Value::from("ue"), "true", Value::Bool(true)),
            (Some("metadata:\n  name: 'ue'\n"), Value::from("ue"), "true", Value::from("true")),
            (Some("metadata:\n  name: \"1\"\n"), Value::from("1"), "10", Value::from("10")),
            (Some("metadata:\n  name: e3\n"), Value::from("e3"), "1e3", Value::Float(1000.0)),
            (Some("metadata:\n  name: ll\n"), Value::from("ll"), "null", Value::Null),
            (Some("metadata:\n  name: x10\n"), Value::from("x10"), "0x10", Value::Int(16)),
            (Some("metadata:\n  name: nf\n"), Value::from("nf"), ".inf", Value::from(".inf")),
            (Some("metadata:\n  name: 2\n"), Value::Int(2), "20", Value::Int(20)),
            // Renamed before (the source holds what the name was made from).
            (Some("metadata:\n  name: u\n"), Value::from("ue"), "true", Value::Bool(true)),
            // Changed by something else since it was read: kept a string.
            (Some("metadata:\n  name: a\n"), Value::from("ue"), "true", Value::from("true")),
            // Generated (no source): plain unless it reads as something else.
            (None, Value::from("ue"), "true", Value::Bool(true)),
            (None, Value::from("yes"), "1", Value::from("1")),
            // Texts that read as strings are never recorded.
            (Some("metadata:\n  name: ue\n"), Value::from("ue"), "trx", Value::from("trx")),
        ];
        for (source, old, text, want) in cases {
            let mut o = obj(old.clone());
            let mut retypes = Retypes::default();
            let old_text = gitops_core::resource::scalar_text(&old);
            if let Some(n) = o.get_mut("metadata").and_then(|m| m.get_mut("name")) {
                retypes.set(n, &old_text, text.to_owned());
            }
            let src = source.map(|s| SourceText::new(Arc::from(s), 0..s.len()));
            retypes.settle(src.as_ref(), &mut o);
            assert_eq!(o.get_path(&["metadata", "name"]), Some(&want), "{source:?} {text}");
        }
    }

    #[test]
    fn settles_inside_sequences_and_list_items() {
        // Two references in a list, one plain and one quoted, both renamed to `true`.
        let text = "spec:\n  refs:\n  - name: ue\n  - name: \"ue\"\n";
        let doc = gitops_core::yaml::parse_values(text, Profile::Kyaml, &Limits::default());
        let mut o = doc.ok().and_then(|mut d| d.pop()).unwrap_or_default();
        let mut retypes = Retypes::default();
        if let Some(Value::Seq(refs)) = o.get_mut("spec").and_then(|s| s.get_mut("refs")) {
            for r in refs.iter_mut() {
                if let Some(n) = r.get_mut("name") {
                    retypes.set(n, "ue", "true".into());
                }
            }
        }
        let src = SourceText::new(Arc::from(text), 0..text.len());
        let done = retypes.settle(Some(&src), &mut o);
        let refs =
            o.get_path(&["spec", "refs"]).and_then(Value::as_seq).map_or(&[][..], Vec::as_slice);
        let names: Vec<_> = refs.iter().map(|r| r.get("name").cloned()).collect();
        assert_eq!(names, [Some(Value::Bool(true)), Some(Value::from("true"))]);
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].path, ["spec", "refs", "0", "name"]);

        // The same object as item 1 of a `*List` document.
        let list = "kind: List\nitems:\n- {}\n- metadata:\n    name: ue\n";
        let src = SourceText::new(Arc::from(list), 0..list.len()).list_item(1);
        let mut o = obj(Value::from("ue"));
        let mut retypes = Retypes::default();
        if let Some(n) = o.get_mut("metadata").and_then(|m| m.get_mut("name")) {
            retypes.set(n, "ue", "true".into());
        }
        retypes.settle(Some(&src), &mut o);
        assert_eq!(o.get_path(&["metadata", "name"]), Some(&Value::Bool(true)));
    }
}
