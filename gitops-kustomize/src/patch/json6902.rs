//! JSON patch (RFC 6902) as kustomize applies it (evanphx/json-patch v4): `add`, `remove`,
//! `replace`, `move`, `copy`, `test`, with v4's leniencies (negative indices, `replace`
//! of a missing object key adds it, the first path segment is never looked up).

use gitops_core::yaml::Value;

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    op: String,
    path: Option<String>,
    from: Option<String>,
    value: Option<Value>,
}

/// Decode a patch (a JSON/YAML list of operation objects).
pub fn decode(v: &Value) -> Result<Vec<Op>, String> {
    let Value::Seq(items) = v else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    items
        .iter()
        .map(|it| {
            let Value::Map(m) = it else {
                return Err(format!(
                    "json: cannot unmarshal {} into Go value of type jsonpatch.Operation",
                    it.kind_name()
                ));
            };
            let s = |k: &str| m.get(k).and_then(|v| v.as_str().map(str::to_owned));
            Ok(Op {
                op: s("op").unwrap_or_else(|| "unknown".into()),
                path: s("path"),
                from: s("from"),
                value: m.get("value").cloned(),
            })
        })
        .collect()
}

fn unescape(k: &str) -> String {
    k.replace("~1", "/").replace("~0", "~")
}

/// Follow the path to the container of its last segment (v4's `findObject`).
fn find<'a>(doc: &'a mut Value, path: &str) -> Option<(&'a mut Value, String)> {
    let split: Vec<&str> = path.split('/').collect();
    if split.len() < 2 {
        return None;
    }
    let last = split.last().copied().unwrap_or("");
    let mut cur = doc;
    for part in split.get(1..split.len() - 1).unwrap_or(&[]) {
        let key = unescape(part);
        cur = match cur {
            Value::Map(m) => m.get_mut(&key)?,
            Value::Seq(s) => {
                let i = index(&key, s.len(), false).ok()?;
                s.get_mut(i)?
            }
            _ => return None,
        };
        if !matches!(cur, Value::Map(_) | Value::Seq(_)) {
            return None;
        }
    }
    Some((cur, unescape(last)))
}

/// An array index; negative counts from the end. `insert`: `len` is valid.
fn index(key: &str, len: usize, insert: bool) -> Result<usize, String> {
    let i: i64 = key.parse().map_err(|_| format!("value was not a proper array index: '{key}'"))?;
    let size = if insert { len as i64 + 1 } else { len as i64 };
    let bad = || format!("Unable to access invalid index: {i}");
    if i >= size {
        return Err(bad());
    }
    let j = if i < 0 {
        if i < -size {
            return Err(bad());
        }
        i + size
    } else {
        i
    };
    usize::try_from(j).map_err(|_| bad())
}

fn get(con: &Value, key: &str) -> Result<Option<Value>, String> {
    match con {
        Value::Map(m) => Ok(m.get(key).cloned()),
        Value::Seq(s) => Ok(s.get(index(key, s.len(), false)?).cloned()),
        _ => Ok(None),
    }
}

fn add(con: &mut Value, key: &str, val: Value) -> Result<(), String> {
    match con {
        Value::Map(m) => {
            m.insert(key.to_owned(), val);
            Ok(())
        }
        Value::Seq(s) => {
            if key == "-" {
                s.push(val);
            } else {
                let i = index(key, s.len(), true)?;
                s.insert(i, val);
            }
            Ok(())
        }
        _ => Err("not a container".into()),
    }
}

fn remove(con: &mut Value, key: &str) -> Result<Value, String> {
    match con {
        Value::Map(m) => m
            .shift_remove(key)
            .ok_or_else(|| format!("Unable to remove nonexistent key: {key}: missing value")),
        Value::Seq(s) => {
            let i = index(key, s.len(), false)?;
            Ok(s.remove(i))
        }
        _ => Err("not a container".into()),
    }
}

fn path_of(op: &Op, field: &str) -> Result<String, String> {
    let p = if field == "from" { &op.from } else { &op.path };
    p.clone().ok_or_else(|| format!("operation missing {field} field: missing value"))
}

/// Apply the operations to `doc` in order.
pub fn apply(doc: &mut Value, ops: &[Op]) -> Result<(), String> {
    for op in ops {
        let value = op.value.clone().unwrap_or(Value::Null);
        match op.op.as_str() {
            "add" => {
                let path = path_of(op, "path")?;
                let (con, key) = find(doc, &path).ok_or_else(|| {
                    format!("add operation does not apply: doc is missing path: \"{path}\": missing value")
                })?;
                add(con, &key, value)
                    .map_err(|e| format!("error in add for path: '{path}': {e}"))?;
            }
            "remove" => {
                let path = path_of(op, "path")?;
                let (con, key) = find(doc, &path).ok_or_else(|| {
                    format!("remove operation does not apply: doc is missing path: \"{path}\": missing value")
                })?;
                remove(con, &key)
                    .map_err(|e| format!("error in remove for path: '{path}': {e}"))?;
            }
            "replace" => {
                let path = path_of(op, "path")?;
                if path.is_empty() {
                    if !matches!(value, Value::Map(_) | Value::Seq(_)) {
                        return Err("replace operation value must be object or array".into());
                    }
                    *doc = value;
                    continue;
                }
                let (con, key) = find(doc, &path).ok_or_else(|| {
                    format!("replace operation does not apply: doc is missing path: {path}: missing value")
                })?;
                match con {
                    Value::Map(m) => {
                        m.insert(key, value);
                    }
                    Value::Seq(s) => {
                        let i = index(&key, s.len(), false).map_err(|_| {
                            format!("replace operation does not apply: doc is missing key: {path}: missing value")
                        })?;
                        if let Some(slot) = s.get_mut(i) {
                            *slot = value;
                        }
                    }
                    _ => return Err(format!("replace operation does not apply: {path}")),
                }
            }
            "move" | "copy" => {
                let from = path_of(op, "from")?;
                let (con, key) = find(doc, &from).ok_or_else(|| {
                    format!("{} operation does not apply: doc is missing from path: {from}: missing value", op.op)
                })?;
                let val = if op.op == "move" {
                    remove(con, &key)
                        .map_err(|e| format!("error in move for path: '{key}': {e}"))?
                } else {
                    get(con, &key)
                        .map_err(|e| format!("error in copy for from: '{from}': {e}"))?
                        .unwrap_or(Value::Null)
                };
                let path = path_of(op, "path")?;
                let (con, key) = find(doc, &path).ok_or_else(|| {
                    format!("{} operation does not apply: doc is missing destination path: {path}: missing value", op.op)
                })?;
                add(con, &key, val)
                    .map_err(|e| format!("error in {} for path: '{path}': {e}", op.op))?;
            }
            "test" => {
                let path = path_of(op, "path")?;
                let got = if path.is_empty() {
                    Some(doc.clone())
                } else {
                    let (con, key) = find(doc, &path).ok_or_else(|| {
                        format!(
                            "test operation does not apply: is missing path: {path}: missing value"
                        )
                    })?;
                    get(con, &key).map_err(|e| format!("error in test for path: '{path}': {e}"))?
                };
                let ok = match (&got, &op.value) {
                    (None, None) | (None, Some(Value::Null)) => true,
                    (Some(g), Some(w)) => json_eq(g, w),
                    _ => false,
                };
                if !ok {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(())
}

/// Equality of JSON values (numbers compared by value, maps ignoring order).
fn json_eq(a: &Value, b: &Value) -> bool {
    let num = |v: &Value| match v {
        Value::Int(i) => Some(*i as f64),
        Value::Uint(u) => Some(*u as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    };
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| json_eq(v, w))
        }
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gitops_core::yaml::{Limits, Profile, parse_values};

    fn v(s: &str) -> Value {
        parse_values(s, Profile::ApiServer, &Limits::default()).unwrap().remove(0)
    }

    #[test]
    fn ops() {
        let cases: &[(&str, &str, Result<&str, ()>)] = &[
            ("{a: [1, 2]}", "[{op: add, path: /a/1, value: 9}]", Ok("{a: [1, 9, 2]}")),
            ("{a: [1, 2]}", "[{op: add, path: /a/-, value: 9}]", Ok("{a: [1, 2, 9]}")),
            ("{a: [1, 2]}", "[{op: add, path: /a/3, value: 9}]", Err(())),
            ("{a: [1, 2]}", "[{op: remove, path: /a/-1}]", Ok("{a: [1]}")),
            ("{a: 1}", "[{op: replace, path: /b, value: 2}]", Ok("{a: 1, b: 2}")),
            ("{a: 1}", "[{op: remove, path: /b}]", Err(())),
            ("{a: {b: 1}}", "[{op: move, from: /a/b, path: /c}]", Ok("{a: {}, c: 1}")),
            ("{a: {b: 1}}", "[{op: copy, from: /a, path: /c}]", Ok("{a: {b: 1}, c: {b: 1}}")),
            ("{a: 1}", "[{op: test, path: /a, value: 1.0}]", Ok("{a: 1}")),
            ("{a: 1}", "[{op: test, path: /a, value: 2}]", Err(())),
            (
                "{'a/b': 1, 'c~d': 2}",
                "[{op: remove, path: /a~1b}, {op: remove, path: /c~0d}]",
                Ok("{}"),
            ),
            ("{a: 1}", "[{op: frob, path: /a}]", Err(())),
            ("{a: {b: 1}}", "[{op: add, path: /x/y, value: 1}]", Err(())),
        ];
        for (doc, patch, want) in cases {
            let mut d = v(doc);
            let res = decode(&v(patch)).and_then(|ops| apply(&mut d, &ops));
            match want {
                Ok(w) => {
                    assert!(res.is_ok(), "{doc} {patch}: {res:?}");
                    assert!(json_eq(&d, &v(w)), "{doc} {patch}: {d:?}");
                }
                Err(()) => assert!(res.is_err(), "{doc} {patch}"),
            }
        }
    }
}
