//! Scalar resolution as go-yaml's `resolve` does it: implicit typing of plain scalars and
//! the checks explicit tags impose. Both go-yaml v2 and v3 share the number grammar (Go's
//! `strconv.ParseInt` with base 0 after removing `_`, then a YAML-style float pattern);
//! they differ in the boolean table (v2 takes YAML 1.1's `yes`/`no`/`on`/`off`/`y`/`n`).

use super::time::{Timestamp, parse_timestamp};

/// What a scalar resolved to, before the profile decides how to present timestamps.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// A string: the scalar's text as written.
    Str,
    Timestamp(Timestamp),
    /// The bytes of a `!!binary` scalar (Go turns them into a `string` of those bytes).
    Binary(Vec<u8>),
}

/// The short tags go-yaml knows.
pub(crate) const STR: &str = "!!str";
pub(crate) const NULL: &str = "!!null";
pub(crate) const BOOL: &str = "!!bool";
pub(crate) const INT: &str = "!!int";
pub(crate) const FLOAT: &str = "!!float";
pub(crate) const TIMESTAMP: &str = "!!timestamp";
pub(crate) const BINARY: &str = "!!binary";
pub(crate) const MERGE: &str = "!!merge";

const LONG_PREFIX: &str = "tag:yaml.org,2002:";

/// `tag:yaml.org,2002:int` → `!!int`; other tags unchanged.
pub(crate) fn short_tag(tag: &str) -> std::borrow::Cow<'_, str> {
    match tag.strip_prefix(LONG_PREFIX) {
        Some(rest) => std::borrow::Cow::Owned(format!("!!{rest}")),
        None => std::borrow::Cow::Borrowed(tag),
    }
}

/// Which boolean words a reader takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bools {
    /// `true`/`True`/`TRUE`, `false`/`False`/`FALSE` only (go-yaml v3).
    Core,
    /// Also `y`, `yes`, `on`, `n`, `no`, `off` in their three casings (go-yaml v2).
    Yaml11,
}

fn keyword(s: &str, bools: Bools) -> Option<(&'static str, Scalar)> {
    let r = match s {
        "true" | "True" | "TRUE" => (BOOL, Scalar::Bool(true)),
        "false" | "False" | "FALSE" => (BOOL, Scalar::Bool(false)),
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" if bools == Bools::Yaml11 => {
            (BOOL, Scalar::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" if bools == Bools::Yaml11 => {
            (BOOL, Scalar::Bool(false))
        }
        "" | "~" | "null" | "Null" | "NULL" => (NULL, Scalar::Null),
        ".nan" | ".NaN" | ".NAN" => (FLOAT, Scalar::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            (FLOAT, Scalar::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => (FLOAT, Scalar::Float(f64::NEG_INFINITY)),
        "<<" => (MERGE, Scalar::Str),
        _ => return None,
    };
    Some(r)
}

/// The tags whose content go-yaml resolves (any other tag keeps the text as a string).
fn resolvable(tag: &str) -> bool {
    matches!(tag, "" | STR | BOOL | INT | FLOAT | NULL | TIMESTAMP)
}

/// Resolve `text` under the short tag `tag` (`""` for an untagged plain scalar).
///
/// Returns the tag the text resolved to and its value, or the message go-yaml gives when
/// the text does not fit the explicit tag.
pub(crate) fn resolve_text(
    tag: &str,
    text: &str,
    bools: Bools,
) -> Result<(&'static str, Scalar), String> {
    if !resolvable(tag) {
        if tag == BINARY {
            return decode_base64(text)
                .map(|b| (BINARY, Scalar::Binary(b)))
                .ok_or_else(|| "!!binary value contains invalid base64 data".to_owned());
        }
        return Ok((STR, Scalar::Str));
    }
    let (rtag, out) = implicit(tag, text, bools);
    if tag.is_empty() || tag == rtag || tag == STR {
        return Ok((rtag, out));
    }
    if let (FLOAT, INT, Scalar::Int(i)) = (tag, rtag, &out) {
        return Ok((FLOAT, Scalar::Float(*i as f64)));
    }
    Err(format!("cannot decode {rtag} `{text}` as a {tag}"))
}

/// What the first byte says a plain scalar may be (go-yaml's resolve table): `N` null
/// (empty), `S` signed number, `D` digit, `M` keyword, `.` float or keyword, `0` a string
/// whatever follows.
fn hint(text: &str) -> u8 {
    match text.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    }
}

/// Whether an untagged plain scalar is a string whatever the rest of its text: its first
/// byte rules out every other type (most keys and values of Kubernetes objects).
///
/// A text of more than five bytes that starts with an ASCII letter is one too: the only
/// words such a text could resolve as (`false`, `null`, `yes`, `off`, ...) are at most
/// five bytes long, and nothing else starts with a letter.
pub(crate) fn plain_is_str_at_once(text: &str) -> bool {
    let h = hint(text);
    h == 0
        || (h == b'M'
            && text.len() > 5
            && text.as_bytes().first().is_some_and(u8::is_ascii_alphabetic))
}

fn implicit(tag: &str, text: &str, bools: Bools) -> (&'static str, Scalar) {
    let hint = hint(text);
    if hint == 0 || tag == STR {
        return (STR, Scalar::Str);
    }
    if let Some(r) = keyword(text, bools) {
        return r;
    }
    match hint {
        b'.' => {
            if let Some(f) = go_parse_float(text) {
                return (FLOAT, Scalar::Float(f));
            }
        }
        b'D' | b'S' => {
            if let Some(t) =
                (tag.is_empty() || tag == TIMESTAMP).then(|| parse_timestamp(text)).flatten()
            {
                return (TIMESTAMP, Scalar::Timestamp(t));
            }
            let plain: std::borrow::Cow<'_, str> =
                if text.contains('_') { text.replace('_', "").into() } else { text.into() };
            if let Some(i) = go_parse_int(&plain) {
                return (INT, Scalar::Int(i));
            }
            if let Some(u) = go_parse_uint(&plain) {
                return (INT, Scalar::Uint(u));
            }
            if let Some(f) = yaml_style_float(&plain).then(|| go_parse_float(&plain)).flatten() {
                return (FLOAT, Scalar::Float(f));
            }
            // go-yaml's explicit 0b/-0b/0o/-0o fallbacks accept nothing ParseInt/ParseUint with
            // base 0 have not already accepted, so there is nothing more to try.
        }
        _ => {}
    }
    (STR, Scalar::Str)
}

/// Go's `strconv.ParseUint(s, 0, 64)` on text without underscores.
fn go_parse_uint(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let (radix, digits) = match b {
        [b'0', b'x' | b'X', ..] => (16, &s[2..]),
        [b'0', b'b' | b'B', ..] => (2, &s[2..]),
        [b'0', b'o' | b'O', ..] => (8, &s[2..]),
        [b'0', _, ..] => (8, &s[1..]),
        _ => (10, s),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// Go's `strconv.ParseInt(s, 0, 64)` on text without underscores.
fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest.starts_with(['+', '-']) {
        return None;
    }
    let u = go_parse_uint(rest)?;
    if neg {
        if u <= i64::MAX as u64 + 1 { Some((u as i128).wrapping_neg() as i64) } else { None }
    } else {
        i64::try_from(u).ok()
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal text: `None` where Go reports an error
/// (syntax, or overflow to ±Inf). Go's special words (`inf`, `nan`, hex floats, `_`) are
/// not reachable from go-yaml's callers except through the `.`-hint path, where text begins
/// with `.` and so cannot be one of them.
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let ok = !s.is_empty()
        && b.iter().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !ok {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    f.is_finite().then_some(f)
}

/// `encoding/base64.StdEncoding.DecodeString`: padded standard alphabet; `\r` and `\n`
/// are ignored.
pub(crate) fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let data: Vec<u8> = s.bytes().filter(|c| !matches!(c, b'\r' | b'\n')).collect();
    if !data.len().is_multiple_of(4) {
        return None;
    }
    let pad = data.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 {
        return None;
    }
    let body = data.get(..data.len() - pad)?;
    let mut vals = Vec::with_capacity(body.len());
    for &c in body {
        vals.push(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        });
    }
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for chunk in vals.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut n = 0u32;
        for (i, v) in chunk.iter().enumerate() {
            n |= u32::from(*v) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        // Trailing bits past the last whole byte are ignored (Go's non-strict default).
        out.extend_from_slice(bytes.get(1..chunk.len())?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_and_floats() {
        let cases: &[(&str, Scalar)] = &[
            ("0755", Scalar::Int(493)),
            ("0o755", Scalar::Int(493)),
            ("0x1F", Scalar::Int(31)),
            ("0b1010", Scalar::Int(10)),
            ("1_000", Scalar::Int(1000)),
            ("+1", Scalar::Int(1)),
            ("-0x10", Scalar::Int(-16)),
            ("09", Scalar::Float(9.0)),
            ("9223372036854775807", Scalar::Int(i64::MAX)),
            ("-9223372036854775808", Scalar::Int(i64::MIN)),
            ("9223372036854775808", Scalar::Uint(1 << 63)),
            ("18446744073709551616", Scalar::Float(18446744073709551616.0)),
            ("1.5", Scalar::Float(1.5)),
            ("1.", Scalar::Float(1.0)),
            (".5", Scalar::Float(0.5)),
            ("-.5", Scalar::Float(-0.5)),
            ("1e3", Scalar::Float(1000.0)),
            ("1e400", Scalar::Str),
            (".1e400", Scalar::Str),
            ("0x", Scalar::Str),
            ("1:20", Scalar::Str),
            ("+", Scalar::Str),
            ("1__0", Scalar::Int(10)),
            ("_1", Scalar::Str),
            ("~", Scalar::Null),
            ("", Scalar::Null),
        ];
        for (text, want) in cases {
            for b in [Bools::Core, Bools::Yaml11] {
                assert_eq!(&resolve_text("", text, b).map(|r| r.1), &Ok(want.clone()), "{text}");
            }
        }
    }

    #[test]
    fn bools_by_profile() {
        for (text, core, y11) in [
            ("yes", None, Some(true)),
            ("On", None, Some(true)),
            ("n", None, Some(false)),
            ("OFF", None, Some(false)),
            ("True", Some(true), Some(true)),
            ("FALSE", Some(false), Some(false)),
            ("tRUE", None, None),
        ] {
            let get = |b| match resolve_text("", text, b) {
                Ok((_, Scalar::Bool(v))) => Some(v),
                _ => None,
            };
            assert_eq!(get(Bools::Core), core, "{text}");
            assert_eq!(get(Bools::Yaml11), y11, "{text}");
        }
    }

    #[test]
    fn explicit_tags() {
        let ok = |t, s| resolve_text(t, s, Bools::Core).map(|r| r.1);
        assert_eq!(ok(STR, "123"), Ok(Scalar::Str));
        assert_eq!(ok(INT, "12"), Ok(Scalar::Int(12)));
        assert_eq!(ok(FLOAT, "12"), Ok(Scalar::Float(12.0)));
        assert_eq!(ok(NULL, ""), Ok(Scalar::Null));
        assert_eq!(ok(BINARY, "aGk="), Ok(Scalar::Binary(b"hi".to_vec())));
        assert_eq!(ok("!Ref", "foo"), Ok(Scalar::Str));
        assert!(ok(INT, "abc").is_err());
        assert!(ok(BOOL, "yes").is_err());
        assert!(ok(BINARY, "a b").is_err());
        assert_eq!(resolve_text(BOOL, "yes", Bools::Yaml11).map(|r| r.1), Ok(Scalar::Bool(true)));
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("aGVs\nbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64(""), Some(vec![]));
        assert_eq!(decode_base64("aGVsbG8"), None);
        assert_eq!(decode_base64("a==="), None);
        assert_eq!(decode_base64("aG=k"), None);
    }
}
