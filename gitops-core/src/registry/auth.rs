//! `WWW-Authenticate` challenges, `Link` headers, and the small encoders the auth flow
//! needs (base64 for Basic, percent-encoding for the token request).

use std::collections::BTreeMap;

/// One challenge of a `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// The scheme, lowercased (`bearer`, `basic`).
    pub scheme: String,
    /// The parameters, names lowercased (`realm`, `service`, `scope`).
    pub params: BTreeMap<String, String>,
}

/// Parses a `WWW-Authenticate` value into its challenges (RFC 9110 §11.6.1:
/// `scheme param=value, param="quoted", other-scheme ...`). Unparseable parts are skipped.
///
/// ```
/// use gitops_core::registry::parse_challenges;
/// let c = parse_challenges(r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#);
/// assert_eq!(c[0].scheme, "bearer");
/// assert_eq!(c[0].params["service"], "registry.docker.io");
/// ```
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    let chars: Vec<char> = header.chars().collect();
    let mut i = 0;
    let is_token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~/".contains(c);
    let skip_ws = |i: &mut usize| {
        while chars.get(*i).is_some_and(|c| *c == ' ' || *c == '\t' || *c == ',') {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        let start = i;
        while chars.get(i).is_some_and(|c| is_token(*c)) {
            i += 1;
        }
        if i == start {
            if i >= chars.len() {
                break;
            }
            i += 1; // garbage character: skip it
            continue;
        }
        let word: String = chars.get(start..i).unwrap_or_default().iter().collect();
        // Optional whitespace, then `=` makes this a parameter of the current challenge.
        let mut j = i;
        while chars.get(j).is_some_and(|c| *c == ' ' || *c == '\t') {
            j += 1;
        }
        if chars.get(j) == Some(&'=') && !out.is_empty() {
            i = j + 1;
            while chars.get(i).is_some_and(|c| *c == ' ' || *c == '\t') {
                i += 1;
            }
            let mut value = String::new();
            if chars.get(i) == Some(&'"') {
                i += 1;
                while let Some(&c) = chars.get(i) {
                    i += 1;
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(&next) = chars.get(i) {
                                value.push(next);
                                i += 1;
                            }
                        }
                        _ => value.push(c),
                    }
                }
            } else {
                while chars.get(i).is_some_and(|c| *c != ',' && *c != ' ' && *c != '\t') {
                    if let Some(&c) = chars.get(i) {
                        value.push(c);
                    }
                    i += 1;
                }
            }
            if let Some(last) = out.last_mut() {
                last.params.insert(word.to_ascii_lowercase(), value);
            }
        } else {
            out.push(Challenge { scheme: word.to_ascii_lowercase(), params: BTreeMap::new() });
            i = j;
            // A token68 (`Basic abc==`) right after the scheme: skip it.
            let after = j;
            while chars.get(i).is_some_and(|c| is_token(*c) || *c == '=') {
                i += 1;
            }
            let token68: String = chars.get(after..i).unwrap_or_default().iter().collect();
            let mut k = i;
            while chars.get(k).is_some_and(|c| *c == ' ' || *c == '\t') {
                k += 1;
            }
            let ends = chars.get(k).is_none_or(|c| *c == ',');
            let shape = !token68.is_empty() && !token68.trim_end_matches('=').contains('=');
            if !(ends && shape) {
                i = after; // it was a parameter name after all
            }
        }
    }
    out
}

/// The target of the first `rel="next"` link among `Link` header values.
///
/// ```
/// use gitops_core::registry::next_link;
/// assert_eq!(next_link(["</v2/a/tags/list?n=2&last=b>; rel=\"next\""]), Some("/v2/a/tags/list?n=2&last=b".to_string()));
/// ```
pub fn next_link<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<String> {
    for value in values {
        let mut rest = value;
        while let Some(open) = rest.find('<') {
            let after = rest.get(open + 1..).unwrap_or_default();
            let close = after.find('>')?;
            let target = after.get(..close).unwrap_or_default().trim();
            let params_all = after.get(close + 1..).unwrap_or_default();
            let params = params_all.split('<').next().unwrap_or_default();
            let is_next = params.split(';').any(|p| {
                let Some((k, v)) = p.split_once('=') else { return false };
                k.trim().eq_ignore_ascii_case("rel")
                    && v.trim()
                        .trim_end_matches(',')
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
            });
            if is_next {
                return Some(target.to_string());
            }
            rest = params_all;
        }
    }
    None
}

/// Resolves a `Link` target against the URL of the page that carried it: absolute
/// (`http://…`), scheme-relative (`//host/…`), absolute-path (`/v2/…`), query-only
/// (`?…`) or path-relative.
pub(crate) fn resolve_link(current: &str, link: &str) -> String {
    let lower = link.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return link.to_string();
    }
    let (scheme, rest) = current.split_once("://").unwrap_or(("http", current));
    if let Some(net) = link.strip_prefix("//") {
        return format!("{scheme}://{net}");
    }
    let path_start = rest.find('/').unwrap_or(rest.len());
    let authority = rest.get(..path_start).unwrap_or_default();
    let path_query = rest.get(path_start..).unwrap_or_default();
    let path = path_query.split(['?', '#']).next().unwrap_or_default();
    if link.starts_with('/') {
        format!("{scheme}://{authority}{link}")
    } else if link.starts_with('?') {
        format!("{scheme}://{authority}{path}{link}")
    } else {
        let dir = path.rfind('/').map_or("/", |i| path.get(..=i).unwrap_or("/"));
        format!("{scheme}://{authority}{dir}{link}")
    }
}

/// Standard base64 with padding.
pub(crate) fn base64(data: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                let idx = ((n >> (18 - 6 * k)) & 63) as usize;
                out.push(char::from(TABLE.get(idx).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (padding optional, no whitespace inside); `None` if invalid.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    // A single leftover character (6 bits) cannot end a base64 text.
    if bits >= 6 { None } else { Some(out) }
}

/// Percent-encodes a query value (everything but RFC 3986 unreserved characters).
pub(crate) fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(c: &Challenge) -> Vec<(&str, &str)> {
        c.params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn challenges() {
        let c = parse_challenges(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].scheme, "bearer");
        assert_eq!(
            params(&c[0]),
            [
                ("realm", "https://auth.docker.io/token"),
                ("scope", "repository:library/nginx:pull"),
                ("service", "registry.docker.io")
            ]
        );
        let c = parse_challenges(r#"Basic realm="gitops-test""#);
        assert_eq!(
            (c[0].scheme.as_str(), params(&c[0])),
            ("basic", vec![("realm", "gitops-test")])
        );
        // Two challenges, unquoted values, spaces around '=', escapes, odd case.
        let c = parse_challenges(
            r#"Basic realm="a \"b\"", BEARER Realm = http://h/t , service=reg,scope="repository:x:pull,push""#,
        );
        assert_eq!(c.len(), 2);
        assert_eq!(params(&c[0]), [("realm", "a \"b\"")]);
        assert_eq!(c[1].scheme, "bearer");
        assert_eq!(
            params(&c[1]),
            [("realm", "http://h/t"), ("scope", "repository:x:pull,push"), ("service", "reg")]
        );
        // token68 and garbage do not panic.
        let c = parse_challenges("Negotiate abc==, Bearer realm=\"x");
        assert_eq!(
            c.iter().map(|c| c.scheme.as_str()).collect::<Vec<_>>(),
            ["negotiate", "bearer"]
        );
        assert_eq!(params(&c[1]), [("realm", "x")]);
        assert!(parse_challenges("").is_empty());
        assert!(parse_challenges("=== ,,, \"").is_empty());
    }

    #[test]
    fn links() {
        let cases: &[(&[&str], Option<&str>)] = &[
            (&["</v2/a/tags/list?n=2&last=b>; rel=\"next\""], Some("/v2/a/tags/list?n=2&last=b")),
            (
                &["<http://h:5000/v2/a/tags/list?last=b>; rel=next"],
                Some("http://h:5000/v2/a/tags/list?last=b"),
            ),
            (&["</p>; rel=\"prev\", </n>; rel=\"next\""], Some("/n")),
            (&["</p>; rel=\"prev\"", "</n>; title=x; rel=\"first next\""], Some("/n")),
            (&["</p>; rel=\"prev\""], None),
            (&["garbage", "<unclosed; rel=next"], None),
            (&[], None),
        ];
        for (values, want) in cases {
            assert_eq!(next_link(values.iter().copied()).as_deref(), *want, "{values:?}");
        }
    }

    #[test]
    fn link_resolution() {
        let cur = "http://127.0.0.1:5000/v2/a/b/tags/list?n=2";
        let cases = [
            ("/v2/a/b/tags/list?n=2&last=x", "http://127.0.0.1:5000/v2/a/b/tags/list?n=2&last=x"),
            ("http://other:1/v2/x", "http://other:1/v2/x"),
            ("HTTPS://other/v2/x", "HTTPS://other/v2/x"),
            ("//other:2/v2/x", "http://other:2/v2/x"),
            ("?last=x", "http://127.0.0.1:5000/v2/a/b/tags/list?last=x"),
            ("list?last=x", "http://127.0.0.1:5000/v2/a/b/tags/list?last=x"),
        ];
        for (link, want) in cases {
            assert_eq!(resolve_link(cur, link), want, "{link}");
        }
    }

    #[test]
    fn encoders() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("bob:s3cret", "Ym9iOnMzY3JldA=="),
        ];
        for (input, want) in cases {
            assert_eq!(base64(input.as_bytes()), want);
            assert_eq!(base64_decode(want).as_deref(), Some(input.as_bytes()), "{want}");
        }
        assert_eq!(base64_decode("Zm9v\n"), None);
        assert_eq!(base64_decode("Zm9vY"), None);
        assert_eq!(base64_decode("Zm8").as_deref(), Some(&b"fo"[..]));
        assert_eq!(query_escape("repository:a/b:pull"), "repository%3Aa%2Fb%3Apull");
        assert_eq!(query_escape("reg.io-x_~ y"), "reg.io-x_~%20y");
    }
}
