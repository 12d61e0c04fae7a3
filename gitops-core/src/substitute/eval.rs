//! Evaluation of parsed templates: the operator functions of `fluxcd/pkg/envsubst`
//! (`funcs.go`, `template.go`) and its glob (`path/match.go`, Go's `path.Match` with `*`
//! and `?` also matching `/`).
//!
//! Values are handled as bytes, as Go strings are: lengths and substrings count bytes.

use super::Error;
use super::parse::{Func, Node};

/// Expand `nodes`; `lookup` gives a variable's value, or `None` when it is missing in
/// strict mode (non-strict lookups give `Some("")` for missing variables).
pub(crate) fn eval(
    nodes: &[Node],
    lookup: &dyn Fn(&str) -> Option<String>,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    for n in nodes {
        eval_node(n, lookup, out)?;
    }
    Ok(())
}

fn eval_node(
    node: &Node,
    lookup: &dyn Fn(&str) -> Option<String>,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    match node {
        Node::Text(t) => out.extend_from_slice(t.as_bytes()),
        Node::Func(f) => eval_func(f, lookup, out)?,
    }
    Ok(())
}

fn is_default_op(name: &str) -> bool {
    matches!(name, "-" | "+" | "=" | "?" | ":-" | ":+" | ":=" | ":?")
}

fn eval_func(
    f: &Func,
    lookup: &dyn Fn(&str) -> Option<String>,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    // Arguments first (their errors come first), then the variable.
    let mut args: Vec<Vec<u8>> = Vec::with_capacity(f.args.len());
    for a in &f.args {
        let mut buf = Vec::new();
        eval_node(a, lookup, &mut buf)?;
        args.push(buf);
    }
    let value = match lookup(&f.param) {
        Some(v) => v.into_bytes(),
        None if is_default_op(&f.name) => Vec::new(),
        None => return Err(Error::NotSet { name: f.param.clone() }),
    };
    let s = value.as_slice();
    let result: Vec<u8> = match f.name.as_str() {
        "," => first_mapped(s, Case::Lower),
        ",," => mapped(s, Case::Lower),
        "^" => first_mapped(s, Case::Upper),
        "^^" => mapped(s, Case::Upper),
        "#" if args.is_empty() => s.len().to_string().into_bytes(),
        "#" => trim_prefix(s, &args, Longest::No),
        "##" => trim_prefix(s, &args, Longest::Yes),
        "%" => trim_suffix(s, &args, Longest::No),
        "%%" => trim_suffix(s, &args, Longest::Yes),
        ":" => substr(s, &args),
        "/#" => replace_prefix(s, &args),
        "/%" => replace_suffix(s, &args),
        "/" => replace(s, &args, Some(1)),
        "//" => replace(s, &args, None),
        _ => to_default(s, &args),
    };
    out.extend_from_slice(&result);
    Ok(())
}

fn to_default(s: &[u8], args: &[Vec<u8>]) -> Vec<u8> {
    if s.is_empty() && !args.is_empty() {
        return args.concat();
    }
    s.to_vec()
}

/// Go's `strconv.Atoi`: optional sign, decimal digits, no spaces, within `int` (64 bit).
fn atoi(b: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(b).ok()?;
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

fn substr(s: &[u8], args: &[Vec<u8>]) -> Vec<u8> {
    let Some(first) = args.first() else { return s.to_vec() };
    let Some(mut pos) = atoi(first) else { return s.to_vec() };
    let len = i64::try_from(s.len()).unwrap_or(i64::MAX);
    if pos < 0 {
        pos = (len + pos).max(0);
    }
    let slice = |from: i64, to: i64| -> Vec<u8> {
        let from = usize::try_from(from).unwrap_or(0);
        let to = usize::try_from(to).unwrap_or(0);
        s.get(from..to).map(<[u8]>::to_vec).unwrap_or_default()
    };
    let Some(second) = args.get(1) else {
        return if pos < len { slice(pos, len) } else { Vec::new() };
    };
    let Some(length) = atoi(second) else { return s.to_vec() };
    if length < 0 {
        let end = len.saturating_add(length);
        if end < pos {
            return Vec::new();
        }
        return slice(pos, end);
    }
    if pos.saturating_add(length) >= len {
        return if pos < len { slice(pos, len) } else { Vec::new() };
    }
    slice(pos, pos + length)
}

/// Byte offsets where an empty pattern matches in Go's `strings.Replace`: the start and
/// after each UTF-8 sequence (an invalid byte counts as one).
fn boundaries(s: &[u8]) -> Vec<usize> {
    let mut out = vec![0];
    let mut i = 0;
    while i < s.len() {
        i += utf8_width(&s[i..]);
        out.push(i);
    }
    out
}

/// Go's `strings.Replace(s, old, new, n)` (`None`: all).
fn go_replace(s: &[u8], old: &[u8], new: &[u8], n: Option<usize>) -> Vec<u8> {
    let limit = n.unwrap_or(usize::MAX);
    let mut out = Vec::with_capacity(s.len());
    if old.is_empty() {
        let mut last = 0;
        for b in boundaries(s).into_iter().take(limit) {
            out.extend_from_slice(&s[last..b]);
            out.extend_from_slice(new);
            last = b;
        }
        out.extend_from_slice(&s[last..]);
        return out;
    }
    let mut i = 0;
    let mut done = 0;
    while done < limit {
        let Some(at) = find(&s[i..], old) else { break };
        out.extend_from_slice(&s[i..i + at]);
        out.extend_from_slice(new);
        i += at + old.len();
        done += 1;
    }
    out.extend_from_slice(&s[i..]);
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn replace(s: &[u8], args: &[Vec<u8>], n: Option<usize>) -> Vec<u8> {
    match args {
        [] => s.to_vec(),
        [old] => go_replace(s, old, b"", n),
        [old, new, ..] => go_replace(s, old, new, n),
    }
}

fn replace_prefix(s: &[u8], args: &[Vec<u8>]) -> Vec<u8> {
    match args {
        [old, new] if s.starts_with(old) => go_replace(s, old, new, Some(1)),
        _ => s.to_vec(),
    }
}

fn replace_suffix(s: &[u8], args: &[Vec<u8>]) -> Vec<u8> {
    match args {
        [old, new] if s.ends_with(old) => {
            let mut out = s[..s.len() - old.len()].to_vec();
            out.extend_from_slice(new);
            out
        }
        _ => s.to_vec(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Longest {
    No,
    Yes,
}

fn trim_prefix(s: &[u8], args: &[Vec<u8>], longest: Longest) -> Vec<u8> {
    match args.first() {
        Some(p) => trim(s, p, longest),
        None => s.to_vec(),
    }
}

fn trim_suffix(s: &[u8], args: &[Vec<u8>], longest: Longest) -> Vec<u8> {
    let Some(p) = args.first() else { return s.to_vec() };
    let r = reverse(s);
    let rp = reverse(p);
    reverse(&trim(&r, &rp, longest))
}

/// Reverse by characters (invalid UTF-8 becomes U+FFFD, as Go's `[]rune` conversion).
fn reverse(s: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(s).chars().rev().collect::<String>().into_bytes()
}

/// Remove the shortest or longest non-empty prefix of `s` matching the glob `pattern`;
/// a malformed pattern leaves `s` unchanged.
fn trim(s: &[u8], pattern: &[u8], longest: Longest) -> Vec<u8> {
    let mut cut = 0;
    for end in (1..=s.len()).rev() {
        match glob_match(pattern, &s[..end]) {
            Err(()) => return s.to_vec(),
            Ok(true) => {
                cut = end;
                if longest == Longest::Yes {
                    break;
                }
            }
            Ok(false) => {}
        }
    }
    s[cut..].to_vec()
}

#[derive(Clone, Copy)]
enum Case {
    Upper,
    Lower,
}

/// Go's `unicode.ToUpper`/`ToLower` on one rune (simple case mapping).
fn map_char(c: char, case: Case) -> char {
    let mut it: Box<dyn Iterator<Item = char>> = match case {
        Case::Upper => Box::new(c.to_uppercase()),
        Case::Lower => Box::new(c.to_lowercase()),
    };
    match (it.next(), it.next()) {
        (Some(m), None) => m,
        // Full mappings with several characters have a one-character simple mapping in
        // only a few cases; the rest keep the character.
        _ => match (c, case) {
            ('\u{0130}', Case::Lower) => 'i',
            _ => c,
        },
    }
}

fn mapped(s: &[u8], case: Case) -> Vec<u8> {
    String::from_utf8_lossy(s).chars().map(|c| map_char(c, case)).collect::<String>().into_bytes()
}

fn first_mapped(s: &[u8], case: Case) -> Vec<u8> {
    if s.is_empty() {
        return Vec::new();
    }
    let w = utf8_width(s);
    let first = String::from_utf8_lossy(&s[..w]).chars().next().unwrap_or('\u{FFFD}');
    let mut out = map_char(first, case).to_string().into_bytes();
    out.extend_from_slice(&s[w..]);
    out
}

/// Width of the UTF-8 sequence at the start of `s` (1 for an invalid byte, 0 if empty).
fn utf8_width(s: &[u8]) -> usize {
    let Some(&b) = s.first() else { return 0 };
    let w = match b {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return 1,
    };
    match s.get(..w) {
        Some(seq) if std::str::from_utf8(seq).is_ok() => w,
        _ => 1,
    }
}

/// Decode one character from the start of `s`: (char, width); invalid → (U+FFFD, 1).
fn decode(s: &[u8]) -> (char, usize) {
    let w = utf8_width(s);
    match s.get(..w).and_then(|seq| std::str::from_utf8(seq).ok()) {
        Some(t) => (t.chars().next().unwrap_or('\u{FFFD}'), w),
        None => ('\u{FFFD}', 1),
    }
}

/// Go's `path.Match` as envsubst forked it: `*` matches any run of bytes (including `/`),
/// `?` any one character, `[...]` classes with ranges and `^` negation, `\` escapes.
/// `Err(())` is `ErrBadPattern`.
pub(crate) fn glob_match(mut pattern: &[u8], mut name: &[u8]) -> Result<bool, ()> {
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(true);
        }
        let (t, ok, err) = match_chunk(chunk, name);
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if err {
            return Err(());
        }
        if star {
            for i in 0..name.len() {
                let (t, ok, err) = match_chunk(chunk, &name[i + 1..]);
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                if err {
                    return Err(());
                }
            }
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let Some((b'*', rest)) = pattern.split_first() {
        pattern = rest;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Whether `chunk` matches the start of `s`: (rest, ok, bad pattern).
fn match_chunk<'s>(mut chunk: &[u8], mut s: &'s [u8]) -> (&'s [u8], bool, bool) {
    const FAIL: (&[u8], bool, bool) = (&[], false, false);
    const BAD: (&[u8], bool, bool) = (&[], false, true);
    while let Some(&c) = chunk.first() {
        if s.is_empty() {
            return FAIL;
        }
        match c {
            b'[' => {
                let (r, n) = decode(s);
                s = &s[n..];
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if chunk.first() == Some(&b']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let Some((lo, rest)) = get_esc(chunk) else { return BAD };
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let Some((h, rest)) = get_esc(&chunk[1..]) else { return BAD };
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    return FAIL;
                }
            }
            b'?' => {
                let (_, n) = decode(s);
                s = &s[n..];
                chunk = &chunk[1..];
            }
            _ => {
                let lit = if c == b'\\' {
                    chunk = &chunk[1..];
                    match chunk.first() {
                        Some(&l) => l,
                        None => return BAD,
                    }
                } else {
                    c
                };
                if s.first() != Some(&lit) {
                    return FAIL;
                }
                s = &s[1..];
                chunk = &chunk[1..];
            }
        }
    }
    (s, true, false)
}

/// One possibly escaped character of a class; `None` is a bad pattern.
fn get_esc(chunk: &[u8]) -> Option<(char, &[u8])> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return None,
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return None;
            }
        }
        _ => {}
    }
    let (r, n) = decode(chunk);
    if r == '\u{FFFD}' && n == 1 {
        return None;
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return None;
    }
    Some((r, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_table() {
        let cases: &[(&str, &str, Result<bool, ()>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "a/b/c", Ok(true)),
            ("*/", "a/b/", Ok(true)),
            ("a*c", "a/b/c", Ok(true)),
            ("a?c", "a/c", Ok(true)),
            ("a[b-d]e", "ace", Ok(true)),
            ("a[^b-d]e", "ace", Ok(false)),
            ("a[^b-d]e", "aze", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "axb", Ok(false)),
            ("[", "a", Err(())),
            ("a[", "ab", Err(())),
            ("[]a]", "]", Err(())),
            ("*x", "xxx", Ok(true)),
            ("a*b*c", "axxbyyc", Ok(true)),
            ("a*b*c", "axxbyy", Ok(false)),
            ("", "", Ok(true)),
            ("", "a", Ok(false)),
        ];
        for (p, n, want) in cases {
            assert_eq!(glob_match(p.as_bytes(), n.as_bytes()), *want, "{p} vs {n}");
        }
    }

    #[test]
    fn go_replace_empty_pattern() {
        assert_eq!(go_replace(b"ab", b"", b"-", None), b"-a-b-");
        assert_eq!(go_replace("é".as_bytes(), b"", b"-", None), "-é-".as_bytes());
        assert_eq!(go_replace(b"ab", b"", b"-", Some(1)), b"-ab");
        assert_eq!(go_replace(b"aaa", b"a", b"b", Some(2)), b"bba");
    }
}
