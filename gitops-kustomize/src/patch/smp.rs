//! Strategic merge patch as kustomize applies it (`api/filters/patchstrategicmerge` →
//! kyaml `merge2` + `walk`, list increase direction "prepend").
//!
//! Maps merge key by key; a `null` deletes; lists whose schema says `merge` are merged by
//! their keys (the patch's elements first, then the resource's others, as kyaml orders
//! them); every other list is replaced. `$patch: delete|replace|merge` work on maps and
//! lists; `$setElementOrder`, `$retainKeys`, `$deleteFromPrimitiveList` are not directives
//! to kyaml (they are merged like other fields).

use gitops_core::resource::scalar_text;
use gitops_core::yaml::{Mapping, Value};

use crate::openapi::{Def, Field, Schema};

const MAX_DEPTH: usize = 200;
const DIRECTIVE: &str = "$patch";

/// The schema at one place of the walk.
#[derive(Clone, Copy, Default)]
struct Sch<'a> {
    /// The definition of a map (or of a list's elements).
    def: Option<&'a Def>,
    /// The list field, when this is a property.
    list: Option<&'a Field>,
    /// Whether any schema is known here (kyaml falls back to apiVersion/kind when not).
    present: bool,
}

/// The outcome of merging one field.
enum Out {
    /// Remove the field (or element).
    Clear,
    /// The new value; `true` when it is the resource's own node, merged in place.
    Set(Value, bool),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Directive {
    Merge,
    Replace,
    Delete,
}

fn is_null(v: &Option<Value>) -> bool {
    matches!(v, None | Some(Value::Null))
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Map(_) => "MappingNode",
        Value::Seq(_) => "SequenceNode",
        _ => "ScalarNode",
    }
}

/// Apply `patch` to `obj`. `Ok(None)`: the patch deletes the object (`$patch: delete`).
pub fn merge(schema: &Schema, obj: Value, patch: Value) -> Result<Option<Value>, String> {
    let m = Merger { schema };
    match m.walk(Some(obj), Some(patch), Sch::default(), 0)? {
        Out::Clear => Ok(None),
        Out::Set(Value::Null, _) => Ok(None),
        Out::Set(v, _) => Ok(Some(v)),
    }
}

struct Merger<'s> {
    schema: &'s Schema,
}

/// Read and remove a map's `$patch` directive. Unknown values are an error.
fn map_directive(origin: &mut Value) -> Result<Directive, String> {
    let Some(m) = origin.as_map_mut() else { return Ok(Directive::Merge) };
    let Some(v) = m.get(DIRECTIVE) else { return Ok(Directive::Merge) };
    let d = match scalar_text(v).as_str() {
        "delete" => Directive::Delete,
        "replace" => Directive::Replace,
        "merge" => Directive::Merge,
        other => return Err(format!("unknown patch strategy '{other}'")),
    };
    m.shift_remove(DIRECTIVE);
    Ok(d)
}

/// Read and remove a list's `{$patch: …}` element.
fn seq_directive(origin: &mut Value) -> Result<Directive, String> {
    let Some(items) = origin.as_seq_mut() else { return Ok(Directive::Merge) };
    let Some(el) = items.iter().find(|e| e.get(DIRECTIVE).is_some()) else {
        return Ok(Directive::Merge);
    };
    if el.as_map().map_or(0, |m| m.len()) > 1 {
        return Ok(Directive::Merge);
    }
    let text = el.get(DIRECTIVE).map(scalar_text).unwrap_or_default();
    let d = match text.as_str() {
        "delete" => Directive::Delete,
        "replace" => Directive::Replace,
        "merge" => Directive::Merge,
        other => return Err(format!("unknown patch strategy '{other}'")),
    };
    let keys = [DIRECTIVE.to_owned()];
    let taken = std::mem::take(items);
    *items = element_setter(taken, None, &keys, &[text]);
    Ok(d)
}

impl<'s> Merger<'s> {
    fn by_meta(&self, sources: [Option<&Value>; 2]) -> Option<&'s Def> {
        for v in sources.into_iter().flatten() {
            let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
            let av = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
            if kind.is_empty() || av.is_empty() {
                continue;
            }
            if let Some(d) = self.schema.resource(av, kind) {
                return Some(d);
            }
        }
        None
    }

    fn child(&self, def: Option<&'s Def>, key: &str) -> Sch<'s> {
        match def.and_then(|d| self.schema.field(d, key)) {
            Some(f) => Sch { def: self.schema.def(f), list: Some(f), present: true },
            None => Sch::default(),
        }
    }

    fn walk(
        &self,
        dest: Option<Value>,
        origin: Option<Value>,
        sch: Sch<'s>,
        depth: usize,
    ) -> Result<Out, String> {
        if depth > MAX_DEPTH {
            return Err("strategic merge patch nested too deeply".into());
        }
        let lead = [&dest, &origin].into_iter().flatten().find(|v| !v.is_null());
        let kind = lead.map(kind_name);
        for v in [&dest, &origin].into_iter().flatten() {
            if let (Some(k), false) = (kind, v.is_null())
                && kind_name(v) != k
            {
                return Err(format!("wrong node kind: expected {k} but got {}", kind_name(v)));
            }
        }
        match kind {
            Some("SequenceNode") => self.walk_seq(dest, origin, sch, depth),
            Some("ScalarNode") => Ok(match origin {
                Some(Value::Null) => Out::Clear,
                Some(v) => Out::Set(v, false),
                None => match dest {
                    Some(v) => Out::Set(v, true),
                    None => Out::Clear,
                },
            }),
            _ => self.walk_map(dest, origin, sch, depth),
        }
    }

    fn walk_map(
        &self,
        dest: Option<Value>,
        mut origin: Option<Value>,
        sch: Sch<'s>,
        depth: usize,
    ) -> Result<Out, String> {
        let (mut dest, identity) = if is_null(&dest) {
            let ps = match &mut origin {
                Some(o) => map_directive(o).unwrap_or(Directive::Merge),
                None => Directive::Merge,
            };
            if ps == Directive::Delete {
                return Ok(Out::Clear);
            }
            match origin.clone() {
                None => {
                    return Ok(match dest {
                        Some(Value::Null) => Out::Set(Value::Null, true),
                        _ => Out::Clear,
                    });
                }
                Some(Value::Null) => return Ok(Out::Clear),
                Some(o) => (o, false),
            }
        } else if matches!(origin, Some(Value::Null)) {
            return Ok(Out::Clear);
        } else {
            let ps = match &mut origin {
                Some(o) => map_directive(o)?,
                None => Directive::Merge,
            };
            match (ps, dest) {
                (Directive::Delete, _) => return Ok(Out::Clear),
                (Directive::Replace, _) => (origin.clone().unwrap_or_default(), false),
                (Directive::Merge, d) => (d.unwrap_or_default(), true),
            }
        };
        let def = if sch.present {
            sch.def
        } else {
            self.by_meta([Some(&dest), origin.as_ref()]).or(sch.def)
        };
        let mut keys: Vec<String> =
            dest.as_map().into_iter().flat_map(|m| m.keys().cloned()).collect();
        if let Some(Value::Map(o)) = &origin {
            keys.extend(o.keys().cloned());
        }
        keys.sort();
        keys.dedup();
        let Value::Map(dm) = &mut dest else { return Ok(Out::Set(dest, identity)) };
        let mut om = match origin {
            Some(Value::Map(m)) => m,
            _ => Mapping::new(),
        };
        for key in keys {
            let d = dm.get_mut(&key).map(std::mem::take);
            let o = om.get_mut(&key).map(std::mem::take);
            match self.walk(d, o, self.child(def, &key), depth + 1)? {
                Out::Clear => {
                    dm.shift_remove(&key);
                }
                Out::Set(v, _) => {
                    dm.insert(key, v);
                }
            }
        }
        Ok(Out::Set(dest, identity))
    }

    fn walk_seq(
        &self,
        dest: Option<Value>,
        mut origin: Option<Value>,
        sch: Sch<'s>,
        depth: usize,
    ) -> Result<Out, String> {
        let list = sch.list.filter(|f| f.is_merge());
        let Some(list) = list else {
            return Ok(match origin {
                Some(Value::Null) => Out::Clear,
                Some(v) => Out::Set(v, false),
                None => match dest {
                    Some(v) => Out::Set(v, true),
                    None => Out::Clear,
                },
            });
        };
        let dest = if is_null(&dest) {
            origin.clone().unwrap_or_default()
        } else if matches!(origin, Some(Value::Null)) {
            return Ok(Out::Clear);
        } else {
            let ps = match &mut origin {
                Some(o) => seq_directive(o)?,
                None => Directive::Merge,
            };
            match ps {
                Directive::Delete => return Ok(Out::Clear),
                Directive::Replace => origin.clone().unwrap_or_default(),
                Directive::Merge => dest.unwrap_or_default(),
            }
        };
        let Value::Seq(dest) = dest else { return Ok(Out::Clear) };
        let origin = match origin {
            Some(Value::Seq(o)) => Some(o),
            _ => None,
        };
        let elem = Sch { def: sch.def, list: None, present: true };
        let keys = &list.keys;
        // The key tuples: the patch's elements first (prepend), then the resource's.
        let mut values: Vec<Vec<String>> = Vec::new();
        let primitive = keys.is_empty();
        for src in [origin.as_ref(), Some(&dest)].into_iter().flatten() {
            for el in src {
                let tuple: Vec<String> = if primitive {
                    vec![scalar_text(el)]
                } else {
                    keys.iter().map(|k| el.get(k).map(text_of).unwrap_or_default()).collect()
                };
                if (!primitive && tuple.is_empty()) || values.contains(&tuple) {
                    continue;
                }
                values.push(tuple);
            }
        }
        let keys: Vec<String> = if primitive { vec![String::new()] } else { keys.clone() };
        let merged = self.set_elements(values, &keys, dest, origin, elem, depth)?;
        Ok(Out::Set(Value::Seq(merged), false))
    }

    fn set_elements(
        &self,
        mut values: Vec<Vec<String>>,
        keys: &[String],
        mut dest: Vec<Value>,
        origin: Option<Vec<Value>>,
        elem: Sch<'s>,
        depth: usize,
    ) -> Result<Vec<Value>, String> {
        let mut items: Vec<Value> = Vec::new();
        if keys.len() > 1 {
            merge_values(&mut values);
        }
        let mut valid_keys: Vec<String> = Vec::new();
        for tuple in values.clone() {
            if tuple.is_empty() {
                continue;
            }
            let (vk, vv) = validate_keys(&values, &tuple, keys);
            let (k2, v2) = validate_keys(std::slice::from_ref(&vv), &vv, &vk);
            let di = find_element(&dest, &k2, &v2);
            let d = di.and_then(|i| dest.get(i)).cloned();
            let o = origin
                .as_ref()
                .and_then(|o| find_element(o, &k2, &v2).and_then(|i| o.get(i)))
                .cloned();
            let out = self.walk(d, o, elem, depth + 1)?;
            valid_keys = vk.clone();
            let mut val = match out {
                Out::Set(v, ident) => {
                    if ident && let Some(slot) = di.and_then(|i| dest.get_mut(i)) {
                        *slot = v.clone();
                    }
                    Some((v, ident))
                }
                Out::Clear => None,
            };
            let mut exit = false;
            for (i, key) in vk.iter().enumerate() {
                let gone = match &val {
                    None => true,
                    Some((Value::Null, _)) => true,
                    Some((Value::Map(m), _)) => m.is_empty(),
                    _ => false,
                };
                if gone {
                    dest = element_setter(dest, None, &vk, &vv);
                    exit = true;
                } else if let Some((Value::Map(m), ident)) = &mut val {
                    let want = vv.get(i).cloned().unwrap_or_default();
                    if !m.contains_key(key) && !want.is_empty() {
                        m.insert(key.clone(), Value::String(want.clone()));
                        if *ident && let Some(Value::Map(dm)) = di.and_then(|i| dest.get_mut(i)) {
                            dm.insert(key.clone(), Value::String(want));
                        }
                    }
                }
            }
            if exit {
                continue;
            }
            if let Some((v, _)) = val {
                items = element_setter(items, Some(v), &vk, &vv);
            }
        }
        if !values.is_empty() {
            items = append_list(items, dest, &valid_keys);
        }
        Ok(items)
    }
}

/// The text kyaml compares for a key's value.
fn text_of(v: &Value) -> String {
    scalar_text(v)
}

/// kyaml's `mergeValues`: tuples that agree where both are set are unified.
fn merge_values(values: &mut [Vec<String>]) {
    for i in 0..values.len() {
        let v1 = values.get(i).cloned().unwrap_or_default();
        for j in 0..values.len() {
            let v2 = values.get(j).cloned().unwrap_or_default();
            if let Some(m) = match_tuple(&v1, &v2) {
                if let Some(x) = values.get_mut(i) {
                    *x = m.clone();
                }
                if let Some(x) = values.get_mut(j) {
                    *x = m;
                }
            }
        }
    }
}

fn match_tuple(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() != b.len() {
        return None;
    }
    let mut common = false;
    let mut res = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        if x == y {
            common = true;
            res.push(x.clone());
            continue;
        }
        if !x.is_empty() && !y.is_empty() {
            return None;
        }
        res.push(if x.is_empty() { y.clone() } else { x.clone() });
    }
    common.then_some(res)
}

/// kyaml's `validateKeys`: keep the keys that some tuple sets.
fn validate_keys(
    all: &[Vec<String>],
    values: &[String],
    keys: &[String],
) -> (Vec<String>, Vec<String>) {
    let mut set = vec![false; keys.len()];
    for t in all {
        for (i, v) in t.iter().enumerate() {
            if !v.is_empty()
                && let Some(s) = set.get_mut(i)
            {
                *s = true;
            }
        }
    }
    if !set.iter().any(|b| *b) {
        return (keys.to_vec(), values.to_vec());
    }
    let vk = keys.iter().zip(&set).filter(|(_, s)| **s).map(|(k, _)| k.clone()).collect();
    let vv = values
        .iter()
        .enumerate()
        .filter(|(i, v)| !v.is_empty() || set.get(*i).copied().unwrap_or(false))
        .map(|(_, v)| v.clone())
        .collect();
    (vk, vv)
}

/// kyaml's field matcher: the field exists and (for a non-empty wanted value) has that text.
fn field_matches(el: &Value, key: &str, want: &str) -> bool {
    if key.is_empty() {
        return !matches!(el, Value::Map(_) | Value::Seq(_)) && scalar_text(el) == want;
    }
    match el.get(key) {
        Some(v) => want.is_empty() || text_of(v) == want,
        None => false,
    }
}

/// kyaml's `ElementMatcher`: the first element matching every key.
fn find_element(list: &[Value], keys: &[String], values: &[String]) -> Option<usize> {
    if keys.first().is_none_or(|k| k.is_empty()) {
        let want = values.first().map(String::as_str).unwrap_or("");
        return list.iter().position(|e| {
            let t = match e {
                Value::Map(_) | Value::Seq(_) => String::new(),
                other => scalar_text(other),
            };
            t == want
        });
    }
    // kyaml's `MatchField` compares the text exactly, even an empty one.
    list.iter().position(|e| {
        e.as_map().is_some()
            && keys.iter().enumerate().all(|(i, k)| {
                e.get(k)
                    .is_some_and(|v| text_of(v) == values.get(i).map(String::as_str).unwrap_or(""))
            })
    })
}

/// kyaml's `ElementSetter`: drop null and empty-map elements, replace (or with `None`
/// remove) every element matching the keys, append when none matched.
fn element_setter(
    list: Vec<Value>,
    element: Option<Value>,
    keys: &[String],
    values: &[String],
) -> Vec<Value> {
    let default_keys = [String::new()];
    let keys = if keys.is_empty() { &default_keys[..] } else { keys };
    let mapping_setter = keys.first().is_some_and(|k| !k.is_empty())
        && values.first().is_some_and(|v| !v.is_empty());
    let mut out = Vec::with_capacity(list.len() + 1);
    let mut found_any = false;
    for el in list {
        match &el {
            Value::Null => continue,
            Value::Map(m) if m.is_empty() => continue,
            _ => {}
        }
        if !matches!(el, Value::Map(_)) && mapping_setter {
            out.push(el);
            continue;
        }
        let mut found = true;
        let mut last = false;
        for (j, key) in keys.iter().enumerate() {
            if let Some(want) = values.get(j) {
                last = if key.is_empty() {
                    !matches!(el, Value::Map(_) | Value::Seq(_)) && scalar_text(&el) == *want
                } else {
                    matches!(el, Value::Map(_)) && field_matches(&el, key, want)
                };
            }
            if !last {
                found = false;
                break;
            }
        }
        if !found {
            if !values.is_empty() {
                out.push(el);
            }
            continue;
        }
        found_any = true;
        if let Some(e) = &element {
            out.push(e.clone());
        }
    }
    match element {
        None | Some(Value::Null) => out,
        Some(e) => {
            if !found_any {
                out.push(e);
            }
            out
        }
    }
}

/// kyaml's `appendListNode(items, dest)`: put the resource's elements into the merged list.
fn append_list(mut dst: Vec<Value>, src: Vec<Value>, keys: &[String]) -> Vec<Value> {
    for el in src {
        if keys.first().is_none_or(|k| k.is_empty()) {
            let t = match &el {
                Value::Map(_) | Value::Seq(_) => String::new(),
                other => scalar_text(other),
            };
            dst = element_setter(dst, Some(el), &[String::new()], &[t]);
            continue;
        }
        let mut v = Vec::new();
        for key in keys {
            match el.get(key) {
                Some(x) => v.push(text_of(x)),
                None => dst.push(el.clone()),
            }
        }
        if keys.len() > 1 {
            dst = element_setter(dst, None, keys, &v);
        }
        dst = element_setter(dst, Some(el), keys, &v);
    }
    dst
}
