//! The deprecated `vars` field: `$(NAME)` in the `varReference` fields is replaced by a
//! field of a named resource, after every other step of the top-level build.
//!
//! As in kustomize: each kustomization level tags the resource its vars point at (after
//! its own transformers, by current or previous id), the var sets of bases merge (a name
//! defined twice is an error), and at the very end every var's value is read from its
//! tagged resource and substituted with kustomize's `$(` expansion (`$$` escapes a `$`,
//! undefined names stay as written, a whole-field `$(NAME)` takes the value's type).

mod varreference;

use std::collections::BTreeMap;

use gitops_core::resource::{Gvk, ResId, Resource, ResourceList};
use gitops_core::yaml::{Limits, Profile, Value, parse_values};

use crate::fieldspecs::FieldSpec;
use crate::replacement::{lookup_path, object, split_path, string};
use crate::transform::{self, Create};

/// One `vars` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Var {
    /// The name used as `$(name)`.
    pub name: String,
    /// `objref.apiVersion`.
    pub api_version: String,
    /// `objref.group`.
    pub group: String,
    /// `objref.version`.
    pub version: String,
    /// `objref.kind`.
    pub kind: String,
    /// `objref.name`.
    pub obj_name: String,
    /// `objref.namespace`.
    pub namespace: String,
    /// `fieldref.fieldPath` (default `metadata.name`).
    pub field_path: String,
}

type R<T> = Result<T, String>;

impl Var {
    /// The object reference's GVK (`apiVersion` wins over `group`/`version`).
    fn gvk(&self) -> Gvk {
        let (mut group, mut version) = (self.group.clone(), self.version.clone());
        if !self.api_version.is_empty() {
            let parts: Vec<&str> = self.api_version.split('/').collect();
            match parts.as_slice() {
                [g, v] => {
                    group = (*g).to_owned();
                    version = (*v).to_owned();
                }
                [v] => version = (*v).to_owned(),
                _ => {}
            }
        }
        Gvk { group, version, kind: self.kind.clone() }
    }

    fn field_path(&self) -> &str {
        if self.field_path.is_empty() { "metadata.name" } else { &self.field_path }
    }

    /// kustomize's `%v` of a defaulted var.
    fn display(&self) -> String {
        format!("{{{} {} {{{}}}}}", self.name, self.gvk(), self.field_path())
    }
}

/// Decode the `vars` field of a kustomization.
pub(crate) fn parse(v: &Value) -> R<Vec<Var>> {
    let items = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Seq(s) => s,
        _ => return Err("json: cannot unmarshal into Go struct field Kustomization.vars".into()),
    };
    let mut out = Vec::new();
    for item in items {
        let mut var = Var::default();
        object(item, "types.Var", &["name", "objref", "fieldref"], true, |n, x| {
            match n {
                "name" => var.name = string(x, "Var.name")?,
                "objref" => {
                    let fields = ["apiVersion", "group", "version", "kind", "name", "namespace"];
                    object(x, "types.Target", &fields, true, |n, y| {
                        let s = string(y, &format!("Target.{n}"))?;
                        match n {
                            "apiVersion" => var.api_version = s,
                            "group" => var.group = s,
                            "version" => var.version = s,
                            "kind" => var.kind = s,
                            "name" => var.obj_name = s,
                            _ => var.namespace = s,
                        }
                        Ok(())
                    })?
                }
                _ => object(x, "types.FieldSelector", &["fieldPath"], true, |_, y| {
                    var.field_path = string(y, "FieldSelector.fieldPath")?;
                    Ok(())
                })?,
            }
            Ok(())
        })?;
        out.push(var);
    }
    Ok(out)
}

/// An owned field spec (from a `configurations` file).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct OwnedSpec {
    group: String,
    version: String,
    kind: String,
    path: String,
}

/// What a kustomization level hands to the level above: its var set and the extra
/// `varReference` field specs of its `configurations`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Acc {
    vars: BTreeMap<String, Var>,
    var_refs: Vec<OwnedSpec>,
}

impl Acc {
    /// Merge a base's set (kustomize's `MergeAccumulator`).
    pub(crate) fn merge(&mut self, other: Acc) -> R<()> {
        for (name, v) in other.vars {
            if self.vars.contains_key(&name) {
                return Err(format!("var '{name}' already encountered"));
            }
            self.vars.insert(name, v);
        }
        for s in other.var_refs {
            if !self.var_refs.contains(&s) {
                self.var_refs.push(s);
            }
        }
        Ok(())
    }

    /// Read the `varReference` field specs of a `configurations` file (the other fields
    /// are read, and the file checked, by [`crate::crds::CrdConfig::add_configuration`]).
    pub(crate) fn add_configuration(&mut self, text: &str) -> R<()> {
        let docs = parse_values(text, Profile::ApiServer, &Limits::default())
            .map_err(|e| e.to_string())?;
        let Some(Value::Map(m)) = docs.first() else { return Ok(()) };
        for (key, value) in m {
            if !key.eq_ignore_ascii_case("varReference") {
                continue;
            }
            for spec in value.as_seq().map(Vec::as_slice).unwrap_or(&[]) {
                let mut s = OwnedSpec::default();
                let fields = ["group", "version", "kind", "path", "create"];
                object(spec, "types.FieldSpec", &fields, false, |n, x| {
                    match n {
                        "group" => s.group = string(x, "FieldSpec.group")?,
                        "version" => s.version = string(x, "FieldSpec.version")?,
                        "kind" => s.kind = string(x, "FieldSpec.kind")?,
                        "path" => s.path = string(x, "FieldSpec.path")?,
                        _ => {}
                    }
                    Ok(())
                })?;
                if !self.var_refs.contains(&s) {
                    self.var_refs.push(s);
                }
            }
        }
        Ok(())
    }

    /// kustomize's `MergeVars`: tag the resource each var points at, then add the vars.
    pub(crate) fn merge_vars(&mut self, incoming: &[Var], list: &mut ResourceList) -> R<()> {
        for v in incoming {
            let target = ResId::new(v.gvk(), v.obj_name.clone(), v.namespace.clone());
            let with_ns = !v.namespace.is_empty() || target.is_cluster_scoped();
            let hits = |r: &Resource| {
                r.prev_ids().chain(std::iter::once(r.id().clone())).any(|id| {
                    id.gvk == target.gvk
                        && id.name == target.name
                        && (!with_ns || id.effective_namespace() == target.effective_namespace())
                })
            };
            let n = list.iter().filter(|r| hits(r)).count();
            if n > 1 {
                return Err(format!(
                    "found {n} resId matches for var {} (unable to disambiguate)",
                    v.display()
                ));
            }
            if n == 1 {
                list.update(|r| -> R<()> {
                    if hits(r) {
                        r.add_ref_var_name(&v.name);
                    }
                    Ok(())
                })?;
            }
        }
        for v in incoming {
            if self.vars.contains_key(&v.name) {
                return Err(format!("var '{}' already encountered", v.name));
            }
            self.vars.insert(v.name.clone(), v.clone());
        }
        Ok(())
    }

    /// kustomize's `ResolveVars`, run once at the end of the top-level build.
    pub(crate) fn resolve(&self, list: &mut ResourceList) -> R<()> {
        let mut values: BTreeMap<String, Value> = BTreeMap::new();
        for v in self.vars.values() {
            let res =
                list.iter().find(|r| r.ref_var_names().contains(&v.name)).ok_or_else(|| {
                    format!(
                        "var '{}' cannot be mapped to a field in the set of known resources",
                        v.display()
                    )
                })?;
            let not_found = || {
                format!(
                    "field specified in var '{}' not found in corresponding resource",
                    v.display()
                )
            };
            let parts = slice_index(split_path(v.field_path()));
            let steps = lookup_path(res.value(), &parts).map_err(|_| not_found())?;
            let value = steps
                .and_then(|s| crate::replacement::get_at(res.value(), &s).cloned())
                .ok_or_else(not_found)?;
            // A null field reads as its (empty) text.
            let value = if value.is_null() { Value::String(String::new()) } else { value };
            values.insert(v.name.clone(), value);
        }
        if values.is_empty() {
            return Ok(());
        }
        let specs: Vec<FieldSpec<'_>> = varreference::VAR_REFERENCE
            .iter()
            .copied()
            .chain(self.var_refs.iter().map(|s| FieldSpec {
                group: &s.group,
                version: &s.version,
                kind: &s.kind,
                path: &s.path,
                create: false,
            }))
            .collect();
        list.update(|r| -> R<()> {
            let id = r.id().to_string();
            r.edit(|obj| {
                for fs in &specs {
                    transform::apply(fs, obj, Create::Nothing, &mut |node| {
                        substitute(node, &values)
                    })
                    .map_err(|e| format!("{e} of object {id}"))?;
                }
                Ok(())
            })
        })
    }
}

/// kyaml's `convertSliceIndex`: `ports[0]` → `ports`, `0`.
fn slice_index(parts: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for p in parts {
        let split = p
            .strip_suffix(']')
            .and_then(|s| s.rsplit_once('['))
            .filter(|(_, d)| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        match split {
            Some((head, idx)) => {
                if !head.is_empty() {
                    out.push(head.to_owned());
                }
                out.push(idx.to_owned());
            }
            None => out.push(p),
        }
    }
    out
}

/// The replacement of `$(name)`: a primitive value, or `None` (left as written).
fn lookup<'a>(values: &'a BTreeMap<String, Value>, name: &str) -> Option<&'a Value> {
    values.get(name).filter(|v| !matches!(v, Value::Map(_) | Value::Seq(_)))
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_owned(),
        other => crate::replacement::text_of(other),
    }
}

/// kustomize's `DoReplacements`: expand `$(NAME)` in `input`; an input that is exactly one
/// reference takes the referenced value itself.
pub(crate) fn expand(input: &str, values: &BTreeMap<String, Value>) -> Value {
    let bytes = input.as_bytes();
    let mut out = String::new();
    let mut checkpoint = 0;
    let mut cursor = 0;
    while cursor < bytes.len() {
        if bytes[cursor] == b'$' && cursor + 1 < bytes.len() {
            out.push_str(&input[checkpoint..cursor]);
            let rest = &input[cursor + 1..];
            let advance = match rest.as_bytes()[0] {
                b'$' => {
                    out.push('$');
                    1
                }
                b'(' => match rest[1..].find(')') {
                    Some(end) => {
                        let name = &rest[1..end + 1];
                        match lookup(values, name) {
                            Some(v) if input.len() == name.len() + 3 => return v.clone(),
                            Some(v) => out.push_str(&text(v)),
                            None if input.len() == name.len() + 3 => {
                                return Value::String(input.to_owned());
                            }
                            None => {
                                out.push_str("$(");
                                out.push_str(name);
                                out.push(')');
                            }
                        }
                        end + 2
                    }
                    None => {
                        out.push_str("$(");
                        1
                    }
                },
                _ => {
                    // `$x`: both kept; the cursor moves past the `$` and the next byte.
                    let ch_len = rest.chars().next().map_or(1, char::len_utf8);
                    out.push('$');
                    out.push_str(&rest[..ch_len]);
                    ch_len
                }
            };
            cursor += advance;
            checkpoint = cursor + 1;
        }
        cursor += 1;
    }
    if checkpoint < input.len() {
        out.push_str(&input[checkpoint..]);
    }
    Value::String(out)
}

fn substitute(node: &mut Value, values: &BTreeMap<String, Value>) -> R<()> {
    match node {
        Value::Null => Ok(()),
        Value::String(s) => {
            *node = expand(s, values);
            Ok(())
        }
        Value::Map(m) => {
            for v in m.values_mut() {
                if let Value::String(s) = v {
                    *v = expand(s, values);
                }
            }
            Ok(())
        }
        Value::Seq(items) => {
            for item in items.iter_mut() {
                match item {
                    Value::String(s) => *item = expand(s, values),
                    _ => return Err("invalid value type expect a string".into()),
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_table() {
        let mut values = BTreeMap::new();
        values.insert("A".to_owned(), Value::from("svc"));
        values.insert("N".to_owned(), Value::Int(80));
        let cases: &[(&str, Value)] = &[
            ("$(A)", Value::from("svc")),
            ("$(N)", Value::Int(80)),
            ("x-$(N)", Value::from("x-80")),
            ("$$(A)", Value::from("$(A)")),
            ("$$$(A)", Value::from("$svc")),
            ("$(A)$(A)", Value::from("svcsvc")),
            ("$", Value::from("$")),
            ("a$b", Value::from("a$b")),
            ("$(", Value::from("$(")),
            ("$(A", Value::from("$(A")),
            ("$(B) $(A)", Value::from("$(B) svc")),
            ("$(B)", Value::from("$(B)")),
        ];
        for (input, want) in cases {
            assert_eq!(&expand(input, &values), want, "{input}");
        }
    }

    #[test]
    fn slice_index_table() {
        let got = slice_index(vec!["spec".into(), "ports[0]".into(), "port".into()]);
        assert_eq!(got, ["spec", "ports", "0", "port"]);
    }
}
