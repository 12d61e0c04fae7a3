//! JSON pointers (RFC 6901): building, parsing and removing.

use crate::yaml::Value;

/// Escape one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> String {
    if !token.contains(['~', '/']) {
        return token.to_owned();
    }
    token.replace('~', "~0").replace('/', "~1")
}

/// `base` + `/` + the escaped token.
pub(crate) fn join(base: &str, token: &str) -> String {
    let mut s = String::with_capacity(base.len() + token.len() + 1);
    s.push_str(base);
    s.push('/');
    s.push_str(&escape(token));
    s
}

/// Split a pointer into unescaped tokens; `None` when it is not a pointer (non-empty and
/// not starting with `/`, or a `~` not followed by `0`/`1`). `""` is the whole document.
pub fn parse(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').map(unescape).collect()
}

fn unescape(token: &str) -> Option<String> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Remove the value at `tokens` (a missing path is not an error; the root cannot be
/// removed, callers handle it). A sequence index must be a decimal number in range.
pub(crate) fn remove(root: &mut Value, tokens: &[String]) {
    let Some((last, parents)) = tokens.split_last() else {
        return;
    };
    let mut cur = root;
    for t in parents {
        let next = match cur {
            Value::Map(m) => m.get_mut(t.as_str()),
            Value::Seq(s) => index(t).and_then(|i| s.get_mut(i)),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    match cur {
        Value::Map(m) => {
            m.shift_remove(last.as_str());
        }
        Value::Seq(s) => {
            if let Some(i) = index(last).filter(|i| *i < s.len()) {
                s.remove(i);
            }
        }
        _ => {}
    }
}

fn index(token: &str) -> Option<usize> {
    if token.is_empty() || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    if !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_and_parse_table() {
        let cases =
            [("a/b", "a~1b"), ("m~n", "m~0n"), ("~/", "~0~1"), ("plain", "plain"), ("", "")];
        for (raw, esc) in cases {
            assert_eq!(escape(raw), esc);
            assert_eq!(parse(&format!("/{esc}")), Some(vec![raw.to_owned()]));
        }
        assert_eq!(parse(""), Some(vec![]));
        assert_eq!(parse("/"), Some(vec![String::new()]));
        assert_eq!(parse("a/b"), None);
        assert_eq!(parse("/a~2"), None);
        assert_eq!(parse("/a~"), None);
        assert_eq!(
            parse("/metadata/annotations/example.com~1x"),
            Some(vec!["metadata".into(), "annotations".into(), "example.com/x".into()])
        );
    }

    #[test]
    fn remove_table() {
        use crate::yaml::{Limits, Profile, parse_values};
        let doc = "a:\n  b: 1\n  c: [x, w, z]\n";
        let cases: [(&str, &str); 6] = [
            ("/a/b", "a:\n  c:\n  - x\n  - w\n  - z\n"),
            ("/a/c/1", "a:\n  b: 1\n  c:\n  - x\n  - z\n"),
            ("/a/c/3", "a:\n  b: 1\n  c:\n  - x\n  - w\n  - z\n"),
            ("/a/c/01", "a:\n  b: 1\n  c:\n  - x\n  - w\n  - z\n"),
            ("/nope/x", "a:\n  b: 1\n  c:\n  - x\n  - w\n  - z\n"),
            ("/a", "{}\n"),
        ];
        for (p, want) in cases {
            let mut v =
                parse_values(doc, Profile::ApiServer, &Limits::default()).unwrap().remove(0);
            remove(&mut v, &parse(p).unwrap());
            assert_eq!(crate::yaml::emit(&v).unwrap(), want, "{p}");
        }
    }
}
