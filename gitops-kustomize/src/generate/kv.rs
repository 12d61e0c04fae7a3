//! Key/value sources of a generator (kustomize's `api/kv`): `envs`, `literals` and
//! `files`, loaded in that order.

use crate::loader::Loader;

/// One loaded pair. The value is raw bytes: file contents need not be UTF-8.
pub(crate) type Pair = (String, Vec<u8>);

/// kustomize's `bufio.Scanner` gives up on a line this long (its maximum token size);
/// the scan error is ignored, so the rest of the file is silently dropped.
const MAX_LINE: usize = 64 * 1024;

const BOM: &str = "\u{feff}";

/// Split a literal source `key=value` at the first `=`; a value wrapped in matching single
/// or double quotes loses them.
pub(crate) fn parse_literal(source: &str) -> Result<Pair, String> {
    match source.split_once('=') {
        Some((key, value)) if !key.is_empty() => {
            Ok((key.to_owned(), remove_quotes(value).as_bytes().to_vec()))
        }
        _ => Err(format!("invalid literal source {source}, expected key=value")),
    }
}

fn remove_quotes(s: &str) -> &str {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) if b.len() >= 2 && f == l && (f == b'"' || f == b'\'') => {
            s.get(1..s.len() - 1).unwrap_or(s)
        }
        _ => s,
    }
}

/// Go's `path.Base`.
fn go_base(p: &str) -> &str {
    if p.is_empty() {
        return ".";
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => trimmed.get(i + 1..).unwrap_or(trimmed),
        None => trimmed,
    }
}

/// Split a file source `key=path` (or `path`, keyed by its base name).
pub(crate) fn parse_file_source(source: &str) -> Result<(String, String), String> {
    let n = source.matches('=').count();
    match source.split_once('=') {
        None => Ok((go_base(source).to_owned(), source.to_owned())),
        Some(_) if n > 1 => Err(format!("source {source:?} key name or file path contains '='")),
        Some(("", path)) => {
            Err(format!("missing key name for file path {path:?} in source {source:?}"))
        }
        Some((key, "")) => {
            Err(format!("missing file path for key name {key:?} in source {source:?}"))
        }
        Some((key, path)) => Ok((key.to_owned(), path.to_owned())),
    }
}

/// Parse an env file: lines split at `\n` (a final `\r` dropped), left-trimmed, empty and
/// `#` lines skipped, `KEY=VALUE` split at the first `=`, a line without `=` giving `""`,
/// a UTF-8 byte order mark dropped from the first line. A line that is not UTF-8 is an
/// error; an empty key is skipped.
pub(crate) fn parse_env(content: &[u8]) -> Result<Vec<Pair>, String> {
    let mut out = Vec::new();
    let mut rest = content;
    let mut first = true;
    while !rest.is_empty() {
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (rest.get(..i).unwrap_or(&[]), rest.get(i + 1..).unwrap_or(&[])),
            None => (rest, &[][..]),
        };
        if line.len() >= MAX_LINE {
            break;
        }
        rest = next;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let text = std::str::from_utf8(line).map_err(|_| {
            let bytes: Vec<String> = line.iter().map(u8::to_string).collect();
            format!(
                "line [{}] has invalid utf8 bytes : {}",
                bytes.join(" "),
                String::from_utf8_lossy(line)
            )
        })?;
        let text = if first { text.strip_prefix(BOM).unwrap_or(text) } else { text };
        first = false;
        let text = text.trim_start();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let (key, value) = text.split_once('=').unwrap_or((text, ""));
        if key.is_empty() {
            continue;
        }
        out.push((key.to_owned(), value.as_bytes().to_vec()));
    }
    Ok(out)
}

/// Load every source of one generator, in kustomize's order: env files, literals, files.
pub(crate) fn load(
    ldr: &Loader<'_>,
    envs: &[String],
    literals: &[String],
    files: &[String],
) -> Result<Vec<Pair>, String> {
    let mut all = Vec::new();
    for p in envs {
        let content = ldr.load(p).map_err(|e| format!("env source files: {envs:?}: {e}"))?;
        all.extend(parse_env(&content).map_err(|e| format!("env source files: {envs:?}: {e}"))?);
    }
    for l in literals {
        all.push(parse_literal(l).map_err(|e| format!("literal sources {literals:?}: {e}"))?);
    }
    for f in files {
        let err = |e: String| format!("file sources: {files:?}: {e}");
        let (key, path) = parse_file_source(f).map_err(err)?;
        let content = ldr.load(&path).map_err(|e| err(e.to_string()))?;
        all.push((key, content));
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_table() {
        type Case = (&'static str, Result<(&'static str, &'static str), ()>);
        let cases: &[Case] = &[
            ("a=b", Ok(("a", "b"))),
            ("a=b=c", Ok(("a", "b=c"))),
            ("a=", Ok(("a", ""))),
            ("a=\"x y\"", Ok(("a", "x y"))),
            ("a='x'", Ok(("a", "x"))),
            ("a='x\"", Ok(("a", "'x\""))),
            ("a=\"", Ok(("a", "\""))),
            ("a=''", Ok(("a", ""))),
            ("=b", Err(())),
            ("ab", Err(())),
        ];
        for (src, want) in cases {
            let got = parse_literal(src);
            match want {
                Ok((k, v)) => {
                    let (gk, gv) = got.unwrap();
                    assert_eq!((gk.as_str(), gv.as_slice()), (*k, v.as_bytes()), "{src}");
                }
                Err(()) => assert!(got.is_err(), "{src}"),
            }
        }
    }

    #[test]
    fn file_source_table() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("./path/myfile", Some(("myfile", "./path/myfile"))),
            ("new.ini=old", Some(("new.ini", "old"))),
            ("dir/", Some(("dir", "dir/"))),
            ("a==b", None),
            ("=b", None),
            ("a=", None),
        ];
        for (src, want) in cases {
            let got = parse_file_source(src).ok();
            let got = got.as_ref().map(|(k, p)| (k.as_str(), p.as_str()));
            assert_eq!(got, *want, "{src}");
        }
    }

    #[test]
    fn env_table() {
        type Case = (&'static [u8], &'static [(&'static str, &'static str)]);
        let cases: &[Case] = &[
            (b"A=1\nB=2\n", &[("A", "1"), ("B", "2")]),
            (
                b"\xef\xbb\xbfA=1\r\n  # c\n\nB\n =x\n C = y \n",
                &[("A", "1"), ("B", ""), ("C ", " y ")],
            ),
            (b"A=1\n\xef\xbb\xbfB=2", &[("A", "1"), ("\u{feff}B", "2")]),
            (b"A=b=c\r", &[("A", "b=c")]),
        ];
        for (input, want) in cases {
            let got = parse_env(input).unwrap();
            let got: Vec<(&str, &[u8])> =
                got.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
            let want: Vec<(&str, &[u8])> = want.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
            assert_eq!(got, want);
        }
        assert!(parse_env(b"A=\xff\n").is_err());
        let long = format!("A={}\nB=2\n", "x".repeat(MAX_LINE));
        assert!(parse_env(long.as_bytes()).unwrap().is_empty());
    }
}
