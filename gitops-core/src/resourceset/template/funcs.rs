//! The function table: slim-sprig's hermetic text functions that ResourceSets use,
//! flux-operator's additions (`slugify`, `toYaml`, `mustToYaml`, `inputs`), and
//! text/template's builtins. Each entry declares Go's parameter types so that argument
//! checking gives text/template's errors.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::value::{MAX_DEPTH, V, go_json_float};
use sha2::{Digest, Sha256};

/// A Go parameter type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum P {
    /// `interface{}` (and builtins' `reflect.Value`).
    Any,
    /// `string`.
    Str,
    /// `int`.
    Int,
    /// `bool`.
    Bool,
    /// `map[string]interface{}`.
    Map,
}

impl P {
    pub(crate) fn go_name(self) -> &'static str {
        match self {
            P::Any => "interface {}",
            P::Str => "string",
            P::Int => "int",
            P::Bool => "bool",
            P::Map => "map[string]interface {}",
        }
    }
}

/// A function's signature and body.
pub(crate) struct Func {
    pub fixed: &'static [P],
    pub variadic: Option<P>,
    pub call: fn(&Ctx, Vec<V>) -> Result<V, String>,
}

/// What functions can see.
pub(crate) struct Ctx {
    pub inputs: V,
}

macro_rules! f {
    ($fixed:expr, $var:expr, $call:expr) => {
        Some(Func { fixed: $fixed, variadic: $var, call: $call })
    };
}

use P::{Any as A, Bool as B, Int as I, Map as M, Str as S};

/// Look a function up by name.
pub(crate) fn lookup(name: &str) -> Option<Func> {
    match name {
        "inputs" => f!(&[], None, |c, _| Ok(c.inputs.clone())),
        "toYaml" => f!(&[A], None, |_, a| Ok(V::str(to_yaml(arg(&a, 0)).unwrap_or_default()))),
        "mustToYaml" => f!(&[A], None, |_, a| to_yaml(arg(&a, 0)).map(V::str)),
        "slugify" => f!(&[S], None, |_, a| Ok(V::str(slugify(&s(&a, 0))))),
        // strings
        "upper" => f!(&[S], None, |_, a| Ok(V::str(s(&a, 0).to_uppercase()))),
        "lower" => f!(&[S], None, |_, a| Ok(V::str(s(&a, 0).to_lowercase()))),
        "title" => f!(&[S], None, |_, a| Ok(V::str(title(&s(&a, 0))))),
        "trim" => f!(&[S], None, |_, a| Ok(V::str(s(&a, 0).trim()))),
        "trimAll" | "trimall" => f!(&[S, S], None, |_, a| {
            let cut = s(&a, 0);
            Ok(V::str(s(&a, 1).trim_matches(|c| cut.contains(c))))
        }),
        "trimPrefix" => f!(&[S, S], None, |_, a| {
            let (p, x) = (s(&a, 0), s(&a, 1));
            Ok(V::str(x.strip_prefix(p.as_ref()).unwrap_or(&x)))
        }),
        "trimSuffix" => f!(&[S, S], None, |_, a| {
            let (p, x) = (s(&a, 0), s(&a, 1));
            Ok(V::str(x.strip_suffix(p.as_ref()).unwrap_or(&x)))
        }),
        "contains" => f!(&[S, S], None, |_, a| Ok(V::Bool(s(&a, 1).contains(s(&a, 0).as_ref())))),
        "hasPrefix" => {
            f!(&[S, S], None, |_, a| Ok(V::Bool(s(&a, 1).starts_with(s(&a, 0).as_ref()))))
        }
        "hasSuffix" => f!(&[S, S], None, |_, a| Ok(V::Bool(s(&a, 1).ends_with(s(&a, 0).as_ref())))),
        "repeat" => f!(&[I, S], None, |_, a| {
            let n = i(&a, 0);
            let x = s(&a, 1);
            if n < 0 {
                return Err("strings: negative Repeat count".into());
            }
            let total = (n as u128).saturating_mul(x.len() as u128);
            if total > super::MAX_OUTPUT as u128 {
                return Err("strings: Repeat output length overflow".into());
            }
            Ok(V::str(x.repeat(n as usize)))
        }),
        "substr" => f!(&[I, I, S], None, |_, a| substr(i(&a, 0), i(&a, 1), &s(&a, 2))),
        "trunc" => f!(&[I, S], None, |_, a| Ok(V::str(trunc(i(&a, 0), &s(&a, 1))))),
        "indent" => f!(&[I, S], None, |_, a| Ok(V::str(indent(i(&a, 0), &s(&a, 1))?))),
        "nindent" => {
            f!(&[I, S], None, |_, a| Ok(V::str(format!("\n{}", indent(i(&a, 0), &s(&a, 1))?))))
        }
        "replace" => {
            f!(&[S, S, S], None, |_, a| Ok(V::str(go_replace(&s(&a, 2), &s(&a, 0), &s(&a, 1)))))
        }
        "plural" => {
            f!(&[S, S, I], None, |_, a| Ok(if i(&a, 2) == 1 { a[0].clone() } else { a[1].clone() }))
        }
        "quote" => f!(&[], Some(A), |_, a| {
            let mut out = Vec::new();
            for v in a.iter().filter(|v| !matches!(v, V::Nil)) {
                out.push(go_quote(&v.sprint()?));
            }
            Ok(V::str(out.join(" ")))
        }),
        "squote" => f!(&[], Some(A), |_, a| {
            let mut out = Vec::new();
            for v in a.iter().filter(|v| !matches!(v, V::Nil)) {
                out.push(format!("'{}'", v.sprint()?));
            }
            Ok(V::str(out.join(" ")))
        }),
        "cat" => f!(&[], Some(A), |_, a| {
            let mut out = Vec::new();
            for v in a.iter().filter(|v| !matches!(v, V::Nil)) {
                out.push(v.sprint()?);
            }
            Ok(V::str(out.join(" ")))
        }),
        "toString" => f!(&[A], None, |_, a| Ok(V::str(arg(&a, 0).sprint()?))),
        "b64enc" => f!(&[S], None, |_, a| Ok(V::str(b64enc(s(&a, 0).as_bytes())))),
        "b64dec" => f!(&[S], None, |_, a| Ok(V::str(b64dec(&s(&a, 0))))),
        "sha256sum" => f!(&[S], None, |_, a| {
            let d = Sha256::digest(s(&a, 0).as_bytes());
            Ok(V::str(d.iter().map(|b| format!("{b:02x}")).collect::<String>()))
        }),
        "adler32sum" => f!(&[S], None, |_, a| Ok(V::str(adler32(s(&a, 0).as_bytes()).to_string()))),
        "atoi" => f!(&[S], None, |_, a| Ok(V::Int(s(&a, 0).parse::<i64>().unwrap_or(0)))),
        "splitList" => {
            f!(&[S, S], None, |_, a| Ok(V::Strs(Rc::new(go_split(&s(&a, 1), &s(&a, 0))))))
        }
        "split" => f!(&[S, S], None, |_, a| {
            let parts = go_split(&s(&a, 1), &s(&a, 0));
            Ok(V::StrMap(Rc::new(
                parts.into_iter().enumerate().map(|(i, p)| (format!("_{i}"), p)).collect(),
            )))
        }),
        "join" => f!(&[S, A], None, |_, a| Ok(V::str(strslice(arg(&a, 1))?.join(&s(&a, 0))))),
        "toStrings" => f!(&[A], None, |_, a| Ok(V::Strs(Rc::new(strslice(arg(&a, 0))?)))),
        "sortAlpha" => f!(&[A], None, |_, a| {
            let v = arg(&a, 0);
            let mut l = if v.elements().is_some() { strslice(v)? } else { vec![v.sprint()?] };
            l.sort();
            Ok(V::Strs(Rc::new(l)))
        }),
        // defaults / flow
        "default" => f!(&[A], Some(A), |_, a| {
            let given = a.get(1);
            Ok(match given {
                Some(g) if !empty(g) => g.clone(),
                _ => arg(&a, 0).clone(),
            })
        }),
        "empty" => f!(&[A], None, |_, a| Ok(V::Bool(empty(arg(&a, 0))))),
        "coalesce" => {
            f!(&[], Some(A), |_, a| Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(V::Nil)))
        }
        "all" => f!(&[], Some(A), |_, a| Ok(V::Bool(a.iter().all(|v| !empty(v))))),
        "any" => f!(&[], Some(A), |_, a| Ok(V::Bool(a.iter().any(|v| !empty(v))))),
        "ternary" => f!(&[A, A, B], None, |_, a| {
            Ok(if matches!(a.get(2), Some(V::Bool(true))) {
                arg(&a, 0).clone()
            } else {
                arg(&a, 1).clone()
            })
        }),
        "toJson" => f!(&[A], None, |_, a| Ok(V::str(to_json(arg(&a, 0), 0).unwrap_or_default()))),
        "mustToJson" => f!(&[A], None, |_, a| to_json(arg(&a, 0), 0).map(V::str)),
        "fail" => f!(&[S], None, |_, a| Err(s(&a, 0).to_string())),
        "kindOf" => f!(&[A], None, |_, a| Ok(V::str(arg(&a, 0).kind_name()))),
        "typeOf" => f!(&[A], None, |_, a| Ok(V::str(arg(&a, 0).type_name()))),
        "kindIs" => f!(&[S, A], None, |_, a| Ok(V::Bool(*s(&a, 0) == *arg(&a, 1).kind_name()))),
        "typeIs" => f!(&[S, A], None, |_, a| Ok(V::Bool(*s(&a, 0) == *arg(&a, 1).type_name()))),
        "deepEqual" => f!(&[A, A], None, |_, a| Ok(V::Bool(arg(&a, 0).deep_eq(arg(&a, 1))))),
        // numbers
        "int" => f!(&[A], None, |_, a| Ok(V::Int(to_i64(arg(&a, 0))))),
        "int64" => f!(&[A], None, |_, a| Ok(V::I64(to_i64(arg(&a, 0))))),
        "float64" => f!(&[A], None, |_, a| Ok(V::Float(to_f64(arg(&a, 0))))),
        "add1" => f!(&[A], None, |_, a| Ok(V::I64(to_i64(arg(&a, 0)).wrapping_add(1)))),
        "add" => f!(&[], Some(A), |_, a| Ok(V::I64(
            a.iter().fold(0i64, |x, y| x.wrapping_add(to_i64(y)))
        ))),
        "sub" => f!(&[A, A], None, |_, a| Ok(V::I64(
            to_i64(arg(&a, 0)).wrapping_sub(to_i64(arg(&a, 1)))
        ))),
        "mul" => f!(&[A], Some(A), |_, a| Ok(V::I64(
            a.iter().fold(1i64, |x, y| x.wrapping_mul(to_i64(y)))
        ))),
        "div" => f!(&[A, A], None, |_, a| {
            let d = to_i64(arg(&a, 1));
            if d == 0 {
                return Err("runtime error: integer divide by zero".into());
            }
            Ok(V::I64(to_i64(arg(&a, 0)).wrapping_div(d)))
        }),
        "mod" => f!(&[A, A], None, |_, a| {
            let d = to_i64(arg(&a, 1));
            if d == 0 {
                return Err("runtime error: integer divide by zero".into());
            }
            Ok(V::I64(to_i64(arg(&a, 0)).wrapping_rem(d)))
        }),
        "max" | "biggest" => {
            f!(&[A], Some(A), |_, a| Ok(V::I64(a.iter().map(to_i64).max().unwrap_or(0))))
        }
        "min" => f!(&[A], Some(A), |_, a| Ok(V::I64(a.iter().map(to_i64).min().unwrap_or(0)))),
        "until" => f!(&[I], None, |_, a| {
            let n = i(&a, 0);
            if n.unsigned_abs() > super::MAX_ITERATIONS as u64 {
                return Err(format!("until {n}: too many elements"));
            }
            let v: Vec<i64> = if n >= 0 { (0..n).collect() } else { (n + 1..=0).rev().collect() };
            Ok(V::Ints(Rc::new(v)))
        }),
        // lists
        "list" | "tuple" => f!(&[], Some(A), |_, a| Ok(V::List(Rc::new(a)))),
        "first" => f!(&[A], None, |_, a| list_op(arg(&a, 0), "find first", |l| l
            .first()
            .cloned()
            .unwrap_or(V::Nil))),
        "last" => f!(&[A], None, |_, a| list_op(arg(&a, 0), "find last", |l| l
            .last()
            .cloned()
            .unwrap_or(V::Nil))),
        "rest" => f!(&[A], None, |_, a| list_op(arg(&a, 0), "find rest", |l| {
            if l.is_empty() { V::Nil } else { V::List(Rc::new(l[1..].to_vec())) }
        })),
        "initial" => f!(&[A], None, |_, a| list_op(arg(&a, 0), "find initial", |l| {
            if l.is_empty() { V::Nil } else { V::List(Rc::new(l[..l.len() - 1].to_vec())) }
        })),
        "reverse" => f!(&[A], None, |_, a| list_op(arg(&a, 0), "find reverse", |l| {
            V::List(Rc::new(l.iter().rev().cloned().collect()))
        })),
        "append" | "push" => f!(&[A, A], None, |_, a| {
            let v = arg(&a, 1).clone();
            list_op(arg(&a, 0), "push", move |l| {
                let mut l = l.to_vec();
                l.push(v);
                V::List(Rc::new(l))
            })
            .map_err(|e| e.replace("find push", "push"))
        }),
        "prepend" => f!(&[A, A], None, |_, a| {
            let v = arg(&a, 1).clone();
            list_op(arg(&a, 0), "prepend", move |l| {
                let mut out = vec![v];
                out.extend(l.iter().cloned());
                V::List(Rc::new(out))
            })
            .map_err(|e| e.replace("find prepend", "prepend"))
        }),
        "concat" => f!(&[], Some(A), |_, a| {
            let mut out = Vec::new();
            for l in &a {
                match l.elements() {
                    Some(e) => out.extend(e),
                    None => return Err(format!("Cannot concat type {} as list", l.kind_name())),
                }
            }
            Ok(if out.is_empty() && a.is_empty() { V::Nil } else { V::List(Rc::new(out)) })
        }),
        "has" => f!(&[A, A], None, |_, a| {
            let hay = arg(&a, 1);
            if matches!(hay, V::Nil) {
                return Ok(V::Bool(false));
            }
            match hay.elements() {
                Some(l) => Ok(V::Bool(l.iter().any(|x| x.deep_eq(arg(&a, 0))))),
                None => Err(format!("Cannot find has on type {}", hay.kind_name())),
            }
        }),
        "without" => f!(&[A], Some(A), |_, a| {
            let omit: Vec<V> = a.iter().skip(1).cloned().collect();
            list_op(arg(&a, 0), "find without", move |l| {
                V::List(Rc::new(
                    l.iter().filter(|x| !omit.iter().any(|o| o.deep_eq(x))).cloned().collect(),
                ))
            })
        }),
        "uniq" => f!(&[A], None, |_, a| list_op(arg(&a, 0), "find uniq", |l| {
            let mut out: Vec<V> = Vec::new();
            for x in l {
                if !out.iter().any(|o| o.deep_eq(x)) {
                    out.push(x.clone());
                }
            }
            V::List(Rc::new(out))
        })),
        "compact" => f!(&[A], None, |_, a| list_op(arg(&a, 0), "compact", |l| {
            V::List(Rc::new(l.iter().filter(|x| !empty(x)).cloned().collect()))
        })),
        // dicts
        "dict" => f!(&[], Some(A), |_, a| {
            let mut m = BTreeMap::new();
            let mut it = a.into_iter();
            while let Some(k) = it.next() {
                let key = k.sprint()?;
                m.insert(key, it.next().unwrap_or_else(|| V::str("")));
            }
            Ok(V::map(m))
        }),
        "get" => f!(&[M, S], None, |_, a| Ok(match arg(&a, 0) {
            V::Map(m) => m.borrow().get(s(&a, 1).as_ref()).cloned().unwrap_or_else(|| V::str("")),
            _ => V::str(""),
        })),
        "hasKey" => f!(&[M, S], None, |_, a| Ok(V::Bool(match arg(&a, 0) {
            V::Map(m) => m.borrow().contains_key(s(&a, 1).as_ref()),
            _ => false,
        }))),
        "set" => f!(&[M, S, A], None, |_, a| match arg(&a, 0) {
            V::Map(m) => {
                m.borrow_mut().insert(s(&a, 1).to_string(), arg(&a, 2).clone());
                Ok(V::Map(m.clone()))
            }
            _ => Err("assignment to entry in nil map".into()),
        }),
        "unset" => f!(&[M, S], None, |_, a| match arg(&a, 0) {
            V::Map(m) => {
                m.borrow_mut().remove(s(&a, 1).as_ref());
                Ok(V::Map(m.clone()))
            }
            other => Ok(other.clone()),
        }),
        "keys" => f!(&[], Some(M), |_, a| {
            // Go's map order is random; sorted here (templates that print keys
            // unsorted are not deterministic under flux-operator either).
            let mut k = Vec::new();
            for d in &a {
                if let V::Map(m) = d {
                    k.extend(m.borrow().keys().cloned());
                }
            }
            k.sort();
            Ok(V::Strs(Rc::new(k)))
        }),
        "pick" => f!(&[M], Some(S), |_, a| {
            let mut out = BTreeMap::new();
            if let V::Map(m) = arg(&a, 0) {
                for k in a.iter().skip(1) {
                    if let V::Str(k) = k
                        && let Some(v) = m.borrow().get(k.as_ref())
                    {
                        out.insert(k.to_string(), v.clone());
                    }
                }
            }
            Ok(V::map(out))
        }),
        "omit" => f!(&[M], Some(S), |_, a| {
            let mut out = BTreeMap::new();
            if let V::Map(m) = arg(&a, 0) {
                for (k, v) in m.borrow().iter() {
                    if !a.iter().skip(1).any(|x| matches!(x, V::Str(s) if s.as_ref() == k)) {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            Ok(V::map(out))
        }),
        _ => None,
    }
}

/// The builtins that take `reflect.Value`s (handled by the executor: `and`, `or`), plus
/// the others, looked up after the function table as text/template does.
pub(crate) fn builtin(name: &str) -> Option<Func> {
    match name {
        "not" => f!(&[A], None, |_, a| Ok(V::Bool(!arg(&a, 0).truth()))),
        "len" => f!(&[A], None, |_, a| match arg(&a, 0) {
            V::Nil => Err("reflect: call of reflect.Value.Type on zero Value".into()),
            v => v
                .len()
                .map(|n| V::Int(n as i64))
                .ok_or_else(|| format!("len of type {}", v.type_name())),
        }),
        "index" => f!(&[A], Some(A), |_, a| index(a)),
        "print" => f!(&[], Some(A), |_, a| Ok(V::str(sprint(&a, false)?))),
        "println" => f!(&[], Some(A), |_, a| Ok(V::str(sprint(&a, true)?))),
        "printf" => {
            f!(&[S], Some(A), |_, a| Ok(V::str(super::printf::sprintf(&s(&a, 0), &a[1..])?)))
        }
        "eq" => f!(&[A], Some(A), |_, a| eq(&a)),
        "ne" => f!(&[A, A], None, |_, a| Ok(V::Bool(!eq(&a)?.truth()))),
        "lt" => f!(&[A, A], None, |_, a| Ok(V::Bool(lt(arg(&a, 0), arg(&a, 1))?))),
        "le" => {
            f!(&[A, A], None, |_, a| Ok(V::Bool(lt(arg(&a, 0), arg(&a, 1))? || eq(&a)?.truth())))
        }
        "gt" => {
            f!(&[A, A], None, |_, a| Ok(V::Bool(!(lt(arg(&a, 0), arg(&a, 1))? || eq(&a)?.truth()))))
        }
        "ge" => f!(&[A, A], None, |_, a| Ok(V::Bool(!lt(arg(&a, 0), arg(&a, 1))?))),
        // `and`/`or` are evaluated lazily by the executor; the entry gives their arity.
        "and" | "or" => f!(&[A], Some(A), |_, a| Ok(arg(&a, 0).clone())),
        _ => None,
    }
}

/// Whether `name` is callable.
pub(crate) fn exists(name: &str) -> bool {
    lookup(name).is_some() || builtin(name).is_some()
}

const NIL: &V = &V::Nil;

fn arg(a: &[V], i: usize) -> &V {
    a.get(i).unwrap_or(NIL)
}

fn s(a: &[V], i: usize) -> Rc<str> {
    match a.get(i) {
        Some(V::Str(s)) => s.clone(),
        _ => Rc::from(""),
    }
}

fn i(a: &[V], i: usize) -> i64 {
    match a.get(i) {
        Some(V::Int(n) | V::I64(n)) => *n,
        _ => 0,
    }
}

fn list_op(v: &V, what: &str, f: impl FnOnce(&[V]) -> V) -> Result<V, String> {
    match v.elements() {
        Some(l) => Ok(f(&l)),
        None if matches!(v, V::Nil) => {
            Err("runtime error: invalid memory address or nil pointer dereference".into())
        }
        None => Err(format!("Cannot {what} on type {}", v.kind_name())),
    }
}

/// sprig's `empty`.
pub(crate) fn empty(v: &V) -> bool {
    !v.truth()
}

/// sprig's `strslice`.
fn strslice(v: &V) -> Result<Vec<String>, String> {
    match v {
        V::Strs(l) => Ok(l.as_ref().clone()),
        V::List(l) => l.iter().filter(|x| !matches!(x, V::Nil)).map(V::sprint).collect(),
        V::Ints(l) => Ok(l.iter().map(|i| i.to_string()).collect()),
        V::Nil => Ok(Vec::new()),
        other => Ok(vec![other.sprint()?]),
    }
}

/// sprig's `toInt64`.
pub(crate) fn to_i64(v: &V) -> i64 {
    match v {
        V::Str(s) => s.parse::<i64>().unwrap_or(0),
        V::Int(i) | V::I64(i) => *i,
        V::Float(f) => {
            if f.is_nan() {
                i64::MIN
            } else {
                *f as i64
            }
        }
        V::Bool(b) => *b as i64,
        _ => 0,
    }
}

fn to_f64(v: &V) -> f64 {
    match v {
        V::Str(s) => go_parse_float(s).unwrap_or(0.0),
        V::Int(i) | V::I64(i) => *i as f64,
        V::Float(f) => *f,
        V::Bool(b) => *b as i64 as f64,
        _ => 0.0,
    }
}

fn go_parse_float(s: &str) -> Option<f64> {
    match s {
        "Inf" | "+Inf" | "inf" | "+inf" | "Infinity" | "+Infinity" => Some(f64::INFINITY),
        "-Inf" | "-inf" | "-Infinity" => Some(f64::NEG_INFINITY),
        "NaN" | "nan" => Some(f64::NAN),
        _ if s.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) => s.parse().ok(),
        _ => None,
    }
}

fn substr(start: i64, end: i64, s: &str) -> Result<V, String> {
    let b = s.as_bytes();
    let len = b.len() as i64;
    let (lo, hi) = if start < 0 {
        (0, end)
    } else if end < 0 || end > len {
        (start, len)
    } else {
        (start, end)
    };
    if lo < 0 || hi < lo || hi > len {
        return Err(format!("runtime error: slice bounds out of range [{lo}:{hi}]"));
    }
    Ok(V::str(String::from_utf8_lossy(&b[lo as usize..hi as usize]).as_ref()))
}

fn trunc(c: i64, s: &str) -> String {
    let b = s.as_bytes();
    let len = b.len() as i64;
    if c < 0 && len + c > 0 {
        return String::from_utf8_lossy(&b[(len + c) as usize..]).into_owned();
    }
    if c >= 0 && len > c {
        return String::from_utf8_lossy(&b[..c as usize]).into_owned();
    }
    s.to_owned()
}

fn indent(n: i64, s: &str) -> Result<String, String> {
    if n < 0 {
        return Err("strings: negative Repeat count".into());
    }
    let lines = s.matches('\n').count() as u128 + 1;
    if (n as u128).saturating_mul(lines) > super::MAX_OUTPUT as u128 {
        return Err("strings: Repeat output length overflow".into());
    }
    let pad = " ".repeat(n as usize);
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

/// `strings.Replace(s, old, new, -1)` (an empty `old` inserts between runes).
fn go_replace(s: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        let mut out = String::from(new);
        for c in s.chars() {
            out.push(c);
            out.push_str(new);
        }
        return out;
    }
    s.replace(old, new)
}

/// `strings.Split(s, sep)` (an empty `sep` splits into runes).
fn go_split(s: &str, sep: &str) -> Vec<String> {
    if sep.is_empty() {
        return s.chars().map(String::from).collect();
    }
    s.split(sep).map(str::to_owned).collect()
}

/// `strings.Title`.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_sep = true;
    for c in s.chars() {
        if prev_sep {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_sep =
            if c.is_ascii() { !(c.is_ascii_alphanumeric() || c == '_') } else { c.is_whitespace() };
    }
    out
}

/// `strconv.Quote` (`%q` of a string).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            '\u{fffd}' => out.push_str("\\ufffd"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of `unicode.IsPrint`: graphic characters and U+0020.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    // Format characters, private use, surrogates, noncharacters are not printable.
    !(matches!(u, 0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xE000..=0xF8FF | 0xFFFE | 0xFFFF | 0xF0000..=0x10FFFF | 0xE0001..=0xE007F))
}

fn b64enc(b: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(b.len().div_ceil(3) * 4);
    for chunk in b.chunks(3) {
        let n = chunk.len();
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= n {
                out.push(T[((v >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b64dec(s: &str) -> String {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let clean: Vec<u8> = s.bytes().filter(|b| *b != b'\r' && *b != b'\n').collect();
    if let Some(bad) = clean.iter().position(|b| val(*b).is_none() && *b != b'=') {
        return format!("illegal base64 data at input byte {bad}");
    }
    let mut out = Vec::new();
    for (ci, chunk) in clean.chunks(4).enumerate() {
        let pad = chunk.iter().rev().take_while(|b| **b == b'=').count();
        let body = &chunk[..chunk.len() - pad];
        if chunk.len() < 4 || pad > 2 || body.len() < 2 {
            return format!("illegal base64 data at input byte {}", ci * 4 + body.len());
        }
        let mut v = 0u32;
        for (k, b) in body.iter().enumerate() {
            match val(*b) {
                Some(x) => v |= x << (18 - 6 * k),
                None => return format!("illegal base64 data at input byte {}", ci * 4 + k),
            }
        }
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..body.len() - 1]);
        if pad > 0 && (ci + 1) * 4 < clean.len() {
            return format!("illegal base64 data at input byte {}", (ci + 1) * 4);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `hash/adler32.Checksum`.
pub fn adler32(b: &[u8]) -> u32 {
    let (mut a, mut s) = (1u32, 0u32);
    for chunk in b.chunks(5552) {
        for x in chunk {
            a += u32::from(*x);
            s += a;
        }
        a %= 65521;
        s %= 65521;
    }
    (s << 16) | a
}

/// gosimple/slug `Make` with flux-operator's settings (max 63, smart truncate). Non-ASCII
/// letters are not transliterated (unidecode's table is not included): they become `-`.
pub(crate) fn slugify(s: &str) -> String {
    let mut t = String::new();
    for c in s.trim().chars() {
        match c {
            '"' | '\'' | '\u{2019}' => {}
            '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' => t.push('-'),
            '&' => t.push_str("and"),
            '@' => t.push_str("at"),
            c => t.push(c),
        }
    }
    let lower = t.to_lowercase();
    let mut out = String::new();
    for c in lower.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let out = out.trim_matches(['-', '_']).to_owned();
    if out.len() <= 63 {
        return out;
    }
    let b = out.as_bytes();
    for i in (0..=63).rev() {
        if b[i] == b'-' {
            return out[..i].to_owned();
        }
    }
    out[..63].to_owned()
}

/// flux-operator's `toYaml` (sigs.k8s.io/yaml `Marshal`: JSON, then go-yaml v2).
fn to_yaml(v: &V) -> Result<String, String> {
    let value = v.to_value(0)?;
    let value = crate::yaml::json_roundtrip(&value).map_err(|e| e.to_string())?;
    crate::yaml::emit(&value).map_err(|e| e.to_string())
}

/// `encoding/json.Marshal` (HTML-escaped, keys sorted).
fn to_json(v: &V, depth: usize) -> Result<String, String> {
    if depth > MAX_DEPTH {
        return Err("json: unsupported value: nesting too deep".into());
    }
    Ok(match v {
        V::Nil => "null".into(),
        V::Bool(b) => b.to_string(),
        V::Int(i) | V::I64(i) => i.to_string(),
        V::Float(f) => {
            if !f.is_finite() {
                return Err(format!("json: unsupported value: {}", super::value::go_float_g(*f)));
            }
            go_json_float(*f)
        }
        V::Str(s) => json_str(s),
        V::List(_) | V::Strs(_) | V::Ints(_) => {
            let parts: Result<Vec<String>, String> =
                v.elements().unwrap_or_default().iter().map(|e| to_json(e, depth + 1)).collect();
            format!("[{}]", parts?.join(","))
        }
        V::Map(m) => {
            let mut parts = Vec::new();
            for (k, x) in m.borrow().iter() {
                parts.push(format!("{}:{}", json_str(k), to_json(x, depth + 1)?));
            }
            format!("{{{}}}", parts.join(","))
        }
        V::StrMap(m) => {
            let parts: Vec<String> =
                m.iter().map(|(k, x)| format!("{}:{}", json_str(k), json_str(x))).collect();
            format!("{{{}}}", parts.join(","))
        }
    })
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `fmt.Sprint` / `fmt.Sprintln`.
fn sprint(a: &[V], ln: bool) -> Result<String, String> {
    let mut out = String::new();
    for (k, v) in a.iter().enumerate() {
        if k > 0 {
            let is_str = |v: &V| matches!(v, V::Str(_));
            if ln || (!is_str(v) && !is_str(&a[k - 1])) {
                out.push(' ');
            }
        }
        v.fmt_v(&mut out, 0)?;
    }
    if ln {
        out.push('\n');
    }
    Ok(out)
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
    Other,
}

fn basic_kind(v: &V) -> Kind {
    match v {
        V::Nil => Kind::Invalid,
        V::Bool(_) => Kind::Bool,
        V::Int(_) | V::I64(_) => Kind::Int,
        V::Float(_) => Kind::Float,
        V::Str(_) => Kind::Str,
        _ => Kind::Other,
    }
}

/// text/template's `eq`.
fn eq(a: &[V]) -> Result<V, String> {
    let a1 = arg(a, 0);
    if a.len() < 2 {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(a1);
    for b in &a[1..] {
        let k2 = basic_kind(b);
        let truth = if k1 != k2 {
            if k1 != Kind::Invalid && k2 != Kind::Invalid {
                return Err(format!(
                    "incompatible types for comparison: {} and {}",
                    a1.type_name(),
                    b.type_name()
                ));
            }
            false
        } else {
            match (a1, b) {
                (V::Bool(x), V::Bool(y)) => x == y,
                (V::Int(x) | V::I64(x), V::Int(y) | V::I64(y)) => x == y,
                (V::Float(x), V::Float(y)) => x == y,
                (V::Str(x), V::Str(y)) => x == y,
                (V::Nil, V::Nil) => true,
                _ => {
                    return Err(format!(
                        "non-comparable type {}: {}",
                        b.sprint().unwrap_or_default(),
                        b.type_name()
                    ));
                }
            }
        };
        if truth {
            return Ok(V::Bool(true));
        }
    }
    Ok(V::Bool(false))
}

/// text/template's `lt`.
fn lt(a: &V, b: &V) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if matches!(k1, Kind::Invalid | Kind::Other | Kind::Bool) {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return Err(format!(
            "incompatible types for comparison: {} and {}",
            a.type_name(),
            b.type_name()
        ));
    }
    Ok(match (a, b) {
        (V::Int(x) | V::I64(x), V::Int(y) | V::I64(y)) => x < y,
        (V::Float(x), V::Float(y)) => x < y,
        (V::Str(x), V::Str(y)) => x < y,
        _ => return Err("invalid type for comparison".into()),
    })
}

/// text/template's `index`.
fn index(a: Vec<V>) -> Result<V, String> {
    let mut item = arg(&a, 0).clone();
    if matches!(item, V::Nil) {
        return Err("index of untyped nil".into());
    }
    for ix in a.iter().skip(1) {
        item = match &item {
            V::List(_) | V::Strs(_) | V::Ints(_) | V::Str(_) => {
                let len = item.len().unwrap_or(0) as i64;
                let x = match ix {
                    V::Int(n) | V::I64(n) => *n,
                    V::Nil => return Err("cannot index slice/array with nil".into()),
                    other => {
                        return Err(format!(
                            "cannot index slice/array with type {}",
                            other.type_name()
                        ));
                    }
                };
                if x < 0 || x >= len {
                    return Err(format!("index out of range: {x}"));
                }
                match &item {
                    V::Str(s) => V::Int(i64::from(s.as_bytes()[x as usize])),
                    _ => item.elements().unwrap_or_default().swap_remove(x as usize),
                }
            }
            V::Map(m) => match ix {
                V::Str(k) => m.borrow().get(k.as_ref()).cloned().unwrap_or(V::Nil),
                V::Nil => return Err("value is nil; should be of type string".into()),
                other => {
                    return Err(format!("value has type {}; should be string", other.type_name()));
                }
            },
            V::StrMap(m) => match ix {
                V::Str(k) => V::str(m.get(k.as_ref()).cloned().unwrap_or_default()),
                V::Nil => return Err("value is nil; should be of type string".into()),
                other => {
                    return Err(format!("value has type {}; should be string", other.type_name()));
                }
            },
            V::Nil => return Err("index of nil pointer".into()),
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}
