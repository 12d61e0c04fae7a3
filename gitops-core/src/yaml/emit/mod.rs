//! Emitting: [`Value`] → text exactly as go-yaml v2 prints it.
//!
//! `kustomize build` prints each resource as: kyaml decodes it, `encoding/json` marshals
//! it, and `sigs.k8s.io/yaml.JSONToYAML` reads that JSON with go-yaml v2 and marshals the
//! result with go-yaml v2. Helm's `toYaml` uses the same v2 printer.
//!
//! * [`emit`] is v2's `Marshal` of one value: keys in v2's natural order, 2-space
//!   indentation, block sequences at their key's column, `{}`/`[]` for empty collections,
//!   and v2's choice of scalar style (plain, single- or double-quoted, literal block) with
//!   folding at column 80.
//! * [`json_roundtrip`] is the trip through JSON in between: floats become the numbers
//!   `encoding/json` writes and v2 reads back (`1.0` → `1`), NaN and infinities fail.
//! * [`to_kustomize_yaml`] is both, one resource as `kustomize build` prints it;
//!   [`emit_stream`] joins documents with `---` as `kustomize build` does.

mod float;
mod implicit;
mod sort;
mod unicode_tables;
mod writer;

use super::{Error, Mapping, Value};
use std::borrow::Cow;

/// One document, exactly as go-yaml v2 `Marshal` prints the value.
///
/// Fails only when collections nest deeper than 1,000 levels.
///
/// ```
/// use gitops_core::yaml::{emit, Mapping, Value};
/// let mut m = Mapping::new();
/// m.insert("b".into(), Value::from(vec![Value::from("yes"), Value::Int(1)]));
/// m.insert("a".into(), Value::from("x: y"));
/// assert_eq!(emit(&Value::Map(m)).unwrap(), "a: 'x: y'\nb:\n- \"yes\"\n- 1\n");
/// ```
pub fn emit(value: &Value) -> Result<String, Error> {
    let mut out = String::new();
    emit_into(value, &mut out)?;
    Ok(out)
}

/// Append one document to `out` (same text as [`emit`], without a fresh allocation).
pub fn emit_into(value: &Value, out: &mut String) -> Result<(), Error> {
    writer::Emitter::new(out, false).document(value)
}

/// Documents joined by `---` lines as `kustomize build` prints them: no leading `---`,
/// every document ends with a newline, and no documents give an empty string.
///
/// ```
/// use gitops_core::yaml::{emit_stream, Value};
/// let docs = [Value::from("a"), Value::Int(2)];
/// assert_eq!(emit_stream(&docs).unwrap(), "a\n---\n2\n");
/// assert_eq!(emit_stream(&[]).unwrap(), "");
/// ```
pub fn emit_stream(values: &[Value]) -> Result<String, Error> {
    let mut out = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        emit_into(v, &mut out)?;
    }
    Ok(out)
}

/// What a value becomes on its way from kyaml through `encoding/json` and back into
/// go-yaml v2 (before v2 prints it).
///
/// Floats are written as `encoding/json` writes them and read back by v2's resolver, so
/// integral floats become integers (`1.0` → `Int(1)`, `1e19` → `Uint`), others stay
/// floats; NaN and infinities fail as `json: unsupported value: NaN`. Strings come back
/// unchanged except for what v2's reader does to the raw characters `encoding/json` leaves
/// unescaped: DEL, C1 controls and U+FFFE/U+FFFF fail (`control characters are not
/// allowed`), and NEL (U+0085) is a line break inside the JSON string, folded like one.
///
/// ```
/// use gitops_core::yaml::{json_roundtrip, Value};
/// assert_eq!(json_roundtrip(&Value::Float(1.0)).unwrap(), Value::Int(1));
/// assert_eq!(json_roundtrip(&Value::Float(0.5)).unwrap(), Value::Float(0.5));
/// assert!(json_roundtrip(&Value::Float(f64::NAN)).is_err());
/// ```
pub fn json_roundtrip(value: &Value) -> Result<Value, Error> {
    roundtrip(value, 0)
}

fn roundtrip(value: &Value, depth: usize) -> Result<Value, Error> {
    if depth > writer::MAX_DEPTH {
        return Err(Error::Emit {
            message: format!("nesting depth exceeds the limit of {}", writer::MAX_DEPTH),
        });
    }
    Ok(match value {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Int(i) => Value::Int(*i),
        Value::Uint(u) => match i64::try_from(*u) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Uint(*u),
        },
        Value::Float(f) => json_float_value(*f)?,
        Value::String(s) => Value::String(roundtrip_string(s)?.into_owned()),
        Value::Seq(items) => {
            Value::Seq(items.iter().map(|v| roundtrip(v, depth + 1)).collect::<Result<_, _>>()?)
        }
        Value::Map(m) => {
            let mut out = Mapping::with_capacity(m.len());
            for (k, v) in m {
                roundtrip_key_check(k)?;
                out.insert(k.clone(), roundtrip(v, depth + 1)?);
            }
            Value::Map(out)
        }
    })
}

/// `encoding/json`'s text for `f`, read back by v2.
fn json_float_value(f: f64) -> Result<Value, Error> {
    let Some(text) = float::json_float_text(f) else {
        let shown = if f.is_nan() {
            "NaN"
        } else if f > 0.0 {
            "+Inf"
        } else {
            "-Inf"
        };
        return Err(Error::Emit { message: format!("json: unsupported value: {shown}") });
    };
    Ok(resolve_json_number(&text, f))
}

/// v2's reading of a JSON number `encoding/json` wrote for `f`.
fn resolve_json_number(text: &str, f: f64) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return Value::Int(i);
    }
    if let Ok(u) = text.parse::<u64>() {
        return Value::Uint(u);
    }
    Value::Float(text.parse::<f64>().unwrap_or(f))
}

/// Longest key, in characters of its JSON text between the quotes, that v2's scanner still
/// takes as a simple key (`{"…":`): its lookahead for `:` spans at most 1024 characters.
const MAX_JSON_KEY_CHARS: usize = 1022;

/// A mapping key must stay on one line and within v2's simple-key lookahead, or the JSON
/// text does not parse back; otherwise it comes back unchanged (the characters that
/// would change a string, NEL, fail in a key).
fn roundtrip_key_check(k: &str) -> Result<(), Error> {
    let key_error = || Error::Emit { message: "yaml: did not find expected ',' or '}'".into() };
    if k.contains('\u{85}') {
        return Err(key_error());
    }
    // Characters of encoding/json's escaped form.
    let escaped: usize = k
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => 6,
            c if (c as u32) < 0x20 => 6,
            _ => 1,
        })
        .sum();
    if escaped > MAX_JSON_KEY_CHARS {
        return Err(key_error());
    }
    roundtrip_string(k).map(|_| ())
}

/// What v2's reader makes of a string `encoding/json` wrote (see [`json_roundtrip`]).
fn roundtrip_string(s: &str) -> Result<Cow<'_, str>, Error> {
    let plain_ascii = s.bytes().all(|b| b < 0x7f);
    if plain_ascii {
        return Ok(Cow::Borrowed(s));
    }
    if s.chars()
        .any(|c| matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}'))
    {
        return Err(Error::Emit { message: "yaml: control characters are not allowed".into() });
    }
    if !s.contains('\u{85}') {
        return Ok(Cow::Borrowed(s));
    }
    // Raw NEL is a line break inside the double-quoted JSON string: the spaces before a
    // run of breaks are dropped, those after are skipped, one break folds to a space and
    // n > 1 breaks to n-1 newlines.
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        // Find the maximal run of spaces and NELs at the start (char-wise).
        let mut end = 0;
        let mut nels = 0usize;
        let mut after_last_nel = 0;
        for (i, c) in rest.char_indices() {
            match c {
                ' ' => end = i + 1,
                '\u{85}' => {
                    nels += 1;
                    end = i + c.len_utf8();
                    after_last_nel = end;
                }
                _ => break,
            }
        }
        if end == 0 {
            // Copy up to the next space or NEL.
            let next = rest.find([' ', '\u{85}']).unwrap_or(rest.len());
            out.push_str(&rest[..next]);
            rest = &rest[next..];
            continue;
        }
        let run = &rest[..end];
        rest = &rest[end..];
        if nels == 0 {
            out.push_str(run);
            continue;
        }
        if nels == 1 {
            out.push(' ');
        } else {
            out.extend(std::iter::repeat_n('\n', nels - 1));
        }
        // A document marker right at the start of a line ends the scalar with an error.
        if after_last_nel == end
            && (rest.starts_with("---") || rest.starts_with("..."))
            && rest[3..].starts_with([' ', '\u{85}'])
        {
            return Err(Error::Emit {
                message: "yaml: found unexpected document indicator".into(),
            });
        }
    }
    Ok(Cow::Owned(out))
}

/// One resource exactly as `kustomize build` prints it: the value (as kyaml decoded it)
/// goes through Go's `encoding/json` and back through go-yaml v2 before it is emitted.
///
/// ```
/// use gitops_core::yaml::{to_kustomize_yaml, Mapping, Value};
/// let mut m = Mapping::new();
/// m.insert("replicas".into(), Value::Float(3.0));
/// m.insert("ratio".into(), Value::Float(1000000.5));
/// assert_eq!(to_kustomize_yaml(&Value::Map(m)).unwrap(), "ratio: 1.0000005e+06\nreplicas: 3\n");
/// ```
pub fn to_kustomize_yaml(value: &Value) -> Result<String, Error> {
    let mut out = String::new();
    writer::Emitter::new(&mut out, true).document(value)?;
    Ok(out)
}

#[cfg(test)]
mod tests;
