//! The values a template computes with, modelled on the Go types flux-operator's
//! templates see: inputs decoded by apimachinery's JSON (`int64`, `float64`, `string`,
//! `bool`, `[]interface {}`, `map[string]interface {}`), plus what the functions return
//! (`int` from `len`/`int`, `[]string` from `splitList`, ...). Printing follows `fmt`'s
//! `%v`; maps iterate and print in sorted key order as Go's do.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::yaml::{Mapping, Value};

/// Printing and conversions stop this deep (Go would overflow its stack on a cycle made
/// with `set`; we stop with an error instead).
pub(crate) const MAX_DEPTH: usize = 200;

/// A shared, mutable Go map (`set`/`unset` change it in place, as in Go).
pub(crate) type MapRef = Rc<RefCell<BTreeMap<String, V>>>;

/// A template value.
#[derive(Debug, Clone)]
pub(crate) enum V {
    /// Go's untyped nil / an absent value.
    Nil,
    /// `bool`.
    Bool(bool),
    /// `int` (literals, `len`, `int`, `atoi`).
    Int(i64),
    /// `int64` (JSON integers, `add`, `int64`).
    I64(i64),
    /// `float64`.
    Float(f64),
    /// `string`.
    Str(Rc<str>),
    /// `[]interface {}`.
    List(Rc<Vec<V>>),
    /// `[]string`.
    Strs(Rc<Vec<String>>),
    /// `[]int` (`until`).
    Ints(Rc<Vec<i64>>),
    /// `map[string]interface {}`.
    Map(MapRef),
    /// `map[string]string` (`split`).
    StrMap(Rc<BTreeMap<String, String>>),
}

impl V {
    pub(crate) fn str(s: impl Into<Rc<str>>) -> V {
        V::Str(s.into())
    }

    pub(crate) fn map(m: BTreeMap<String, V>) -> V {
        V::Map(Rc::new(RefCell::new(m)))
    }

    /// Go's type name, as `%T` and template errors print it.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            V::Nil => "<nil>",
            V::Bool(_) => "bool",
            V::Int(_) => "int",
            V::I64(_) => "int64",
            V::Float(_) => "float64",
            V::Str(_) => "string",
            V::List(_) => "[]interface {}",
            V::Strs(_) => "[]string",
            V::Ints(_) => "[]int",
            V::Map(_) => "map[string]interface {}",
            V::StrMap(_) => "map[string]string",
        }
    }

    /// reflect's Kind name (sprig's error texts print it).
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            V::Nil => "invalid",
            V::Bool(_) => "bool",
            V::Int(_) => "int",
            V::I64(_) => "int64",
            V::Float(_) => "float64",
            V::Str(_) => "string",
            V::List(_) | V::Strs(_) | V::Ints(_) => "slice",
            V::Map(_) | V::StrMap(_) => "map",
        }
    }

    /// text/template's `isTrue`.
    pub(crate) fn truth(&self) -> bool {
        match self {
            V::Nil => false,
            V::Bool(b) => *b,
            V::Int(i) | V::I64(i) => *i != 0,
            V::Float(f) => *f != 0.0,
            V::Str(s) => !s.is_empty(),
            V::List(l) => !l.is_empty(),
            V::Strs(l) => !l.is_empty(),
            V::Ints(l) => !l.is_empty(),
            V::Map(m) => !m.borrow().is_empty(),
            V::StrMap(m) => !m.is_empty(),
        }
    }

    /// The elements of a slice value, as template values.
    pub(crate) fn elements(&self) -> Option<Vec<V>> {
        match self {
            V::List(l) => Some(l.as_ref().clone()),
            V::Strs(l) => Some(l.iter().map(|s| V::str(s.as_str())).collect()),
            V::Ints(l) => Some(l.iter().map(|i| V::Int(*i)).collect()),
            _ => None,
        }
    }

    /// Length as `len` sees it.
    pub(crate) fn len(&self) -> Option<usize> {
        match self {
            V::Str(s) => Some(s.len()),
            V::List(l) => Some(l.len()),
            V::Strs(l) => Some(l.len()),
            V::Ints(l) => Some(l.len()),
            V::Map(m) => Some(m.borrow().len()),
            V::StrMap(m) => Some(m.len()),
            _ => None,
        }
    }

    /// From a decoded input value (JSON data model).
    pub(crate) fn from_value(v: &Value) -> V {
        match v {
            Value::Null => V::Nil,
            Value::Bool(b) => V::Bool(*b),
            Value::Int(i) => V::I64(*i),
            // apimachinery's JSON decoder keeps integers that fit int64, else float64.
            Value::Uint(u) => V::Float(*u as f64),
            Value::Float(f) => V::Float(*f),
            Value::String(s) => V::str(s.as_str()),
            Value::Seq(s) => V::List(Rc::new(s.iter().map(V::from_value).collect())),
            Value::Map(m) => V::map(m.iter().map(|(k, v)| (k.clone(), V::from_value(v))).collect()),
        }
    }

    /// To the JSON data model (what `encoding/json` would marshal), maps in key order.
    pub(crate) fn to_value(&self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err("value nests too deeply".into());
        }
        Ok(match self {
            V::Nil => Value::Null,
            V::Bool(b) => Value::Bool(*b),
            V::Int(i) | V::I64(i) => Value::Int(*i),
            V::Float(f) => Value::Float(*f),
            V::Str(s) => Value::String(s.to_string()),
            V::Strs(l) => Value::Seq(l.iter().map(|s| Value::String(s.clone())).collect()),
            V::Ints(l) => Value::Seq(l.iter().map(|i| Value::Int(*i)).collect()),
            V::List(l) => {
                Value::Seq(l.iter().map(|e| e.to_value(depth + 1)).collect::<Result<_, _>>()?)
            }
            V::Map(m) => {
                let mut out = Mapping::new();
                for (k, v) in m.borrow().iter() {
                    out.insert(k.clone(), v.to_value(depth + 1)?);
                }
                Value::Map(out)
            }
            V::StrMap(m) => {
                Value::Map(m.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
            }
        })
    }

    /// `fmt.Sprint(v)` (`%v`), as text/template prints a value inside a container.
    pub(crate) fn fmt_v(&self, out: &mut String, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("value nests too deeply".into());
        }
        match self {
            V::Nil => out.push_str("<nil>"),
            V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            V::Int(i) | V::I64(i) => out.push_str(&i.to_string()),
            V::Float(f) => out.push_str(&go_float_g(*f)),
            V::Str(s) => out.push_str(s),
            V::List(_) | V::Strs(_) | V::Ints(_) => {
                out.push('[');
                for (i, e) in self.elements().unwrap_or_default().iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    e.fmt_v(out, depth + 1)?;
                }
                out.push(']');
            }
            V::Map(m) => {
                out.push_str("map[");
                for (i, (k, v)) in m.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.fmt_v(out, depth + 1)?;
                }
                out.push(']');
            }
            V::StrMap(m) => {
                out.push_str("map[");
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    out.push_str(v);
                }
                out.push(']');
            }
        }
        Ok(())
    }

    /// `fmt.Sprintf("%v", v)` as a new string.
    pub(crate) fn sprint(&self) -> Result<String, String> {
        let mut s = String::new();
        self.fmt_v(&mut s, 0)?;
        Ok(s)
    }

    /// reflect.DeepEqual for the values we model.
    pub(crate) fn deep_eq(&self, other: &V) -> bool {
        match (self, other) {
            (V::Nil, V::Nil) => true,
            (V::Bool(a), V::Bool(b)) => a == b,
            (V::Int(a), V::Int(b)) | (V::I64(a), V::I64(b)) => a == b,
            (V::Float(a), V::Float(b)) => a == b,
            (V::Str(a), V::Str(b)) => a == b,
            (V::List(a), V::List(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.deep_eq(y))
            }
            (V::Strs(a), V::Strs(b)) => a == b,
            (V::Ints(a), V::Ints(b)) => a == b,
            (V::Map(a), V::Map(b)) => {
                if Rc::ptr_eq(a, b) {
                    return true;
                }
                let (a, b) = (a.borrow(), b.borrow());
                a.len() == b.len()
                    && a.iter().zip(b.iter()).all(|((ka, va), (kb, vb))| ka == kb && va.deep_eq(vb))
            }
            (V::StrMap(a), V::StrMap(b)) => a == b,
            _ => false,
        }
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` with fmt's `%v` exponent form (`1e+06`).
pub(crate) fn go_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let (neg, digits, exp) = shortest_digits(f);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        push_e(&mut out, &digits, exp);
    } else {
        push_f(&mut out, &digits, exp);
    }
    out
}

/// The `d.ddde±XX` form (`%v` switches to it when the exponent is < -4 or >= 6).
fn push_e(out: &mut String, digits: &str, exp: i32) {
    let mut chars = digits.chars();
    if let Some(first) = chars.next() {
        out.push(first);
    }
    let rest: String = chars.collect();
    if !rest.is_empty() {
        out.push('.');
        out.push_str(&rest);
    }
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
}

fn push_f(out: &mut String, digits: &str, exp: i32) {
    // value = 0.d1d2d3... * 10^(exp+1)
    let point = exp + 1;
    if point <= 0 {
        out.push_str("0.");
        for _ in 0..(-point) {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        let p = point as usize;
        if digits.len() <= p {
            out.push_str(digits);
            for _ in digits.len()..p {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..p]);
            out.push('.');
            out.push_str(&digits[p..]);
        }
    }
}

/// Sign, shortest round-trip decimal digits, and the decimal exponent of the first digit.
pub(crate) fn shortest_digits(f: f64) -> (bool, String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (f.is_sign_negative(), digits, exp)
}

/// `encoding/json`'s float format (`'f'` unless the exponent is < -6 or >= 21, then `'e'`
/// with a trimmed exponent).
pub(crate) fn go_json_float(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let (neg, digits, exp) = shortest_digits(f);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-6..21).contains(&exp) {
        let mut e = String::new();
        push_e(&mut e, &digits, exp);
        // e-07 → e-7
        if let Some(i) = e.find("e-0") {
            e.replace_range(i..i + 3, "e-");
        }
        out.push_str(&e);
    } else {
        push_f(&mut out, &digits, exp);
    }
    out
}
