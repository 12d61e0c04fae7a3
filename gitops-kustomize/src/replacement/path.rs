//! kyaml's dotted field paths: the splitter, the read-only lookup (`PathGetter`) and the
//! matcher that finds or creates targets (`PathMatcher`).

use gitops_core::resource::scalar_text;
use gitops_core::yaml::{Limits, Mapping, Profile, Value, parse_values, resolve_scalar};
use regex::Regex;

/// Deepest path walked (bounded recursion).
const MAX_DEPTH: usize = 256;

/// kyaml's `SmarterPathSplitter(path, ".")`: split at dots, `\.` keeps a dot in a name,
/// `[a.b]` brackets a name with dots (brackets without `=` are dropped), `[k=v.w]` stays
/// one list selector.
pub(crate) fn split(path: &str) -> Vec<String> {
    let mut parts: Vec<&str> = path.split('.').collect();
    if parts.len() > 1 && parts.first() == Some(&"") {
        parts.remove(0);
    }
    let mut plain: Vec<String> = Vec::new();
    for p in parts {
        match plain.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push('.');
                last.push_str(p);
            }
            _ => plain.push(p.to_owned()),
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < plain.len() {
        let elem = &plain[i];
        if elem.starts_with('[') && !elem.ends_with(']') {
            let mut joined = elem.clone();
            while i + 1 < plain.len() {
                i += 1;
                joined.push('.');
                joined.push_str(&plain[i]);
                if plain[i].ends_with(']') {
                    break;
                }
            }
            if joined.contains('=') {
                out.push(joined);
            } else {
                out.push(joined.trim_matches(|c| c == '[' || c == ']').to_owned());
            }
        } else {
            out.push(elem.clone());
        }
        i += 1;
    }
    out
}

fn is_list_index(p: &str) -> bool {
    p.starts_with('[') && p.ends_with(']')
}

/// Go's `strconv.Atoi` followed by `>= 0`.
fn idx_number(p: &str) -> Option<usize> {
    let digits = p.strip_prefix('+').unwrap_or(p);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn split_index(p: &str) -> Result<(String, String), String> {
    let inner = p.strip_prefix('[').unwrap_or(p);
    let inner = inner.strip_suffix(']').unwrap_or(inner);
    match inner.split_once('=') {
        Some((k, v)) => Ok((k.to_owned(), v.to_owned())),
        None => {
            Err("list path element must contain fieldName=fieldValue for element to match".into())
        }
    }
}

/// kyaml's name for a node kind in "wrong node kind" errors.
fn node_kind(v: &Value) -> &'static str {
    match v {
        Value::Seq(_) => "SequenceNode",
        Value::Map(_) => "MappingNode",
        _ => "ScalarNode",
    }
}

fn wrong_kind(want: &str, v: &Value) -> String {
    format!("wrong node kind: expected {want} but got {}", node_kind(v))
}

/// The text of a scalar as kyaml holds it.
pub(crate) fn text_of(v: &Value) -> String {
    scalar_text(v)
}

/// One step of a resolved path.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    Key(String),
    Idx(usize),
}

/// kyaml's `Lookup` (`PathGetter` without create): the steps to the node at `parts`, or
/// `None` when something on the way is missing or null.
pub(crate) fn lookup(root: &Value, parts: &[String]) -> Result<Option<Vec<Step>>, String> {
    let mut steps = Vec::new();
    let mut cur = root;
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if cur.is_null() {
            return Ok(None);
        }
        let digits = part.strip_prefix('-').unwrap_or(part);
        let is_num = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        let (step, next) = if is_num {
            if part.starts_with('-') {
                return Err(format!("array index {part} cannot be negative"));
            }
            let Value::Seq(items) = cur else { return Err(wrong_kind("SequenceNode", cur)) };
            let Some(i) = part.parse::<usize>().ok().filter(|i| *i < items.len()) else {
                return Ok(None);
            };
            (Step::Idx(i), &items[i])
        } else if part == "-" {
            let Value::Seq(items) = cur else { return Err(wrong_kind("SequenceNode", cur)) };
            match items.len().checked_sub(1) {
                Some(i) => (Step::Idx(i), &items[i]),
                None => return Ok(None),
            }
        } else if part == "*" {
            return Err("wildcard is not supported in PathGetter".into());
        } else if is_list_index(part) {
            let (key, value) = split_index(part)?;
            let Value::Seq(items) = cur else { return Err(wrong_kind("SequenceNode", cur)) };
            let found = items.iter().position(|item| {
                if key.is_empty() {
                    !matches!(item, Value::Map(_) | Value::Seq(_)) && text_of(item) == value
                } else {
                    match item.get(&key) {
                        Some(f @ (Value::String(_) | Value::Int(_) | Value::Uint(_))) => {
                            text_of(f) == value
                        }
                        Some(f @ (Value::Bool(_) | Value::Float(_))) => text_of(f) == value,
                        _ => false,
                    }
                }
            });
            match found {
                Some(i) => (Step::Idx(i), &items[i]),
                None => return Ok(None),
            }
        } else {
            let Value::Map(m) = cur else { return Err(wrong_kind("MappingNode", cur)) };
            match m.get(part) {
                Some(v) => (Step::Key(part.to_owned()), v),
                None => return Ok(None),
            }
        };
        steps.push(step);
        cur = next;
    }
    Ok(Some(steps))
}

/// Follow resolved steps.
pub(crate) fn get<'a>(root: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(root, |cur, s| match (s, cur) {
        (Step::Key(k), Value::Map(m)) => m.get(k),
        (Step::Idx(i), Value::Seq(items)) => items.get(*i),
        _ => None,
    })
}

/// Follow resolved steps, mutably.
pub(crate) fn get_mut<'a>(root: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps.iter().try_fold(root, |cur, s| match (s, cur) {
        (Step::Key(k), Value::Map(m)) => m.get_mut(k),
        (Step::Idx(i), Value::Seq(items)) => items.get_mut(*i),
        _ => None,
    })
}

/// What a missing node is created as (`None`: never create).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Create {
    /// A scalar (untagged: the text copied in is read by its form).
    Scalar,
    /// A sequence.
    Seq,
    /// A mapping.
    Map,
}

impl Create {
    /// The kind of `v` (what kyaml creates for a value of that kind).
    pub(crate) fn like(v: &Value) -> Create {
        match v {
            Value::Seq(_) => Create::Seq,
            Value::Map(_) => Create::Map,
            _ => Create::Scalar,
        }
    }
}

/// kyaml's `getPathPartKind`.
fn part_kind(next: Option<&String>, default: Create) -> Create {
    match next {
        None => default,
        Some(n) if n.is_empty() => default,
        Some(n) if is_list_index(n) || idx_number(n).is_some() => Create::Seq,
        Some(_) => Create::Map,
    }
}

/// A fresh node of `kind`; the flag says it is an untagged scalar.
fn fresh(kind: Create) -> (Value, bool) {
    match kind {
        Create::Scalar => (Value::Null, true),
        Create::Seq => (Value::Seq(Vec::new()), false),
        Create::Map => (Value::Map(Mapping::new()), false),
    }
}

/// The callback run on every match: the node and whether it is a just-created untagged
/// scalar.
pub(crate) type Visit<'a> = dyn FnMut(&mut Value, bool) -> Result<(), String> + 'a;

/// kyaml's `PathMatcher` with `Create`: call `visit` on every node `parts` selects,
/// creating missing fields (and `[k=v]` elements, and the element one past the end of a
/// list) when `create` is set. Returns how many nodes matched.
pub(crate) fn find(
    node: &mut Value,
    parts: &[String],
    create: Option<Create>,
    visit: &mut Visit<'_>,
) -> Result<usize, String> {
    walk(node, parts, create, false, visit, 0)
}

fn walk(
    node: &mut Value,
    parts: &[String],
    create: Option<Create>,
    created: bool,
    visit: &mut Visit<'_>,
    depth: usize,
) -> Result<usize, String> {
    if depth > MAX_DEPTH {
        return Err("field path too deep".into());
    }
    let Some((first, rest)) = parts.split_first() else {
        visit(node, created)?;
        return Ok(1);
    };
    if let Some(idx) = idx_number(first) {
        let items = match node {
            Value::Seq(items) => items,
            Value::Null => return Ok(0),
            other => return Err(wrong_kind("SequenceNode", other)),
        };
        let mut new = false;
        if let (true, Some(kind)) = (items.len() == idx, create) {
            let (v, untagged) = fresh(part_kind(rest.first(), kind));
            items.push(v);
            new = untagged;
        }
        let len = items.len();
        let Some(elem) = items.get_mut(idx) else {
            return Err(format!("index {idx} specified but only {len} elements found"));
        };
        return walk(elem, rest, create, new, visit, depth + 1);
    }
    if is_list_index(first) {
        let (key, pattern) = split_index(first)?;
        let re = compiled(&pattern)?;
        let items = match node {
            Value::Seq(items) => items,
            Value::Null => return Ok(0),
            other => return Err(wrong_kind("SequenceNode", other)),
        };
        let mut total = 0;
        for _round in 0..2 {
            for item in items.iter_mut() {
                if key.is_empty() {
                    if re.is_match(text_of(item).trim()) {
                        visit(item, false)?;
                        total += 1;
                    }
                    continue;
                }
                let hit = match item.get(&key) {
                    None | Some(Value::Null) => false,
                    Some(f @ (Value::Map(_) | Value::Seq(_))) => re.is_match(&format!("{f:?}")),
                    Some(f) => re.is_match(text_of(f).trim()),
                };
                if hit {
                    total += walk(item, rest, create, false, visit, depth + 1)?;
                }
            }
            if total > 0 || create.is_none() || _round == 1 {
                return Ok(total);
            }
            // Create the element and match again.
            let value = resolve_scalar("", &pattern).unwrap_or(Value::String(pattern.clone()));
            if key.is_empty() {
                items.push(value);
            } else {
                let mut m = Mapping::new();
                m.insert(key.clone(), value);
                items.push(Value::Map(m));
            }
        }
        return Ok(total);
    }
    if first == "*" {
        let items = match node {
            Value::Seq(items) => items,
            Value::Null => return Ok(0),
            other => return Err(wrong_kind("SequenceNode", other)),
        };
        let mut total = 0;
        for item in items.iter_mut() {
            total += walk(item, rest, create, false, visit, depth + 1)?;
        }
        return Ok(total);
    }
    // A field.
    if node.is_null() {
        if create.is_none() {
            return Ok(0);
        }
        *node = Value::Map(Mapping::new());
    }
    let Value::Map(m) = node else { return Err(wrong_kind("MappingNode", node)) };
    let mut new = false;
    if !m.contains_key(first.as_str()) {
        let Some(kind) = create else { return Ok(0) };
        let (v, untagged) = fresh(part_kind(rest.first(), kind));
        m.insert(first.clone(), v);
        new = untagged;
    }
    let Some(field) = m.get_mut(first.as_str()) else { return Ok(0) };
    if !rest.is_empty() && !matches!(field, Value::Map(_) | Value::Seq(_)) {
        // A scalar on the way: kyaml reads its text as YAML and walks that copy (what is
        // written there is lost).
        if field.is_null() {
            return Ok(0);
        }
        let mut parsed = parse_scalar_doc(&text_of(field))?;
        return walk(&mut parsed, rest, create, false, visit, depth + 1);
    }
    walk(field, rest, create, new, visit, depth + 1)
}

thread_local! {
    /// Compiled `[k=v]` patterns (the same few are matched against every resource).
    static PATTERNS: std::cell::RefCell<std::collections::HashMap<String, Regex>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Compile a `[k=v]` pattern (unanchored, as kyaml matches it), cached per thread.
fn compiled(pattern: &str) -> Result<Regex, String> {
    if let Some(re) = PATTERNS.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(re);
    }
    let re = crate::selector::compile(pattern)?;
    PATTERNS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 256 {
            c.clear();
        }
        c.insert(pattern.to_owned(), re.clone());
    });
    Ok(re)
}

/// Read a scalar's text as one YAML document (kyaml's `yaml.Unmarshal` into a node).
pub(crate) fn parse_scalar_doc(text: &str) -> Result<Value, String> {
    let docs = parse_values(text, Profile::Kyaml, &Limits::default()).map_err(|e| e.to_string())?;
    Ok(docs.into_iter().next().unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_table() {
        let cases: &[(&str, &[&str])] = &[
            ("a.b.c", &["a", "b", "c"]),
            ("a.[name=x].b", &["a", "[name=x]", "b"]),
            ("a.[name=x.y].b", &["a", "[name=x.y]", "b"]),
            ("metadata.annotations.[a.b/c]", &["metadata", "annotations", "a.b/c"]),
            (r"data.config\.json.x", &["data", "config.json", "x"]),
            ("a.0.b", &["a", "0", "b"]),
            (".a", &["a"]),
        ];
        for (path, want) in cases {
            assert_eq!(split(path), *want, "{path}");
        }
    }
}
