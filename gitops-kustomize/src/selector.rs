//! The selector pieces kustomize shares between patch targets and replacement
//! selections: regular expressions anchored as `^(?:…)$`, and Kubernetes label /
//! annotation selector expressions (`a=b,c!=d,e in (f,g),h notin (i),j,!k`).

use gitops_core::resource::scalar_text;
use gitops_core::yaml::Mapping;
use regex::Regex;

/// Compile `text` anchored at both ends; `None` for an empty pattern (matches anything).
/// The error reads as Go's: `error parsing regexp: …`.
pub(crate) fn anchored(text: &str) -> Result<Option<Regex>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    compile(&format!("^(?:{text})$")).map(Some)
}

/// Compile a pattern from user input with Go's RE2 meaning (see [`re2_to_rust`]).
pub(crate) fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(&re2_to_rust(pattern)).map_err(|e| {
        format!("error parsing regexp: {}", e.to_string().lines().last().unwrap_or(""))
    })
}

/// Rewrite an RE2 pattern so the `regex` crate reads it as Go does: RE2's Perl classes
/// `\d \w \s` (and their negations) and `\b \B` are ASCII-only, the crate's are
/// Unicode-aware. POSIX classes (`[[:alpha:]]`) are ASCII in both; everything else is
/// copied as written.
pub(crate) fn re2_to_rust(pattern: &str) -> String {
    const DIGIT: &str = "0-9";
    const WORD: &str = "0-9A-Za-z_";
    const SPACE: &str = "\\t\\n\\x0C\\r ";
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    // Inside a bracket class: `[` seen, and whether a class item has been read yet (a `]`
    // right after `[` or `[^` is a literal).
    let mut in_class = false;
    let mut class_start = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    break;
                };
                if e == 'Q' && !in_class {
                    // `\Q…\E` (RE2; not in the regex crate): the text between, literally.
                    let mut literal = String::new();
                    while let Some(q) = chars.next() {
                        if q == '\\' && chars.peek() == Some(&'E') {
                            chars.next();
                            break;
                        }
                        literal.push(q);
                    }
                    out.push_str(&regex::escape(&literal));
                    continue;
                }
                let class = match e {
                    'd' | 'D' => Some(DIGIT),
                    'w' | 'W' => Some(WORD),
                    's' | 'S' => Some(SPACE),
                    _ => None,
                };
                match (class, in_class) {
                    (Some(set), false) => {
                        let neg = if e.is_ascii_uppercase() { "^" } else { "" };
                        out.push_str(&format!("[{neg}{set}]"));
                    }
                    (Some(set), true) if e.is_ascii_lowercase() => out.push_str(set),
                    _ if !in_class && (e == 'b' || e == 'B') => {
                        out.push_str(&format!("(?-u:\\{e})"));
                    }
                    _ => {
                        out.push('\\');
                        out.push(e);
                    }
                }
                class_start = false;
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
            }
            '[' if chars.peek() == Some(&':') => {
                // A POSIX class inside a bracket class: copy through `:]`.
                out.push('[');
                let mut prev = '[';
                for p in chars.by_ref() {
                    out.push(p);
                    if prev == ':' && p == ']' {
                        break;
                    }
                    prev = p;
                }
                class_start = false;
            }
            ']' if in_class && !class_start => {
                in_class = false;
                out.push(']');
            }
            '[' if in_class => {
                // A literal `[` in a class: the regex crate would read a nested class.
                out.push_str("\\[");
                class_start = false;
            }
            _ => {
                out.push(c);
                class_start = false;
            }
        }
    }
    out
}

/// Whether an optional compiled pattern accepts `s`.
pub(crate) fn accepts(re: &Option<Regex>, s: &str) -> bool {
    re.as_ref().is_none_or(|re| re.is_match(s))
}

/// A parsed label or annotation selector; empty selects everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LabelSelector(Vec<Requirement>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    Eq(String, String),
    Ne(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

impl LabelSelector {
    /// Parse a selector expression, with the Kubernetes key and value rules.
    pub(crate) fn parse(s: &str) -> Result<LabelSelector, String> {
        let mut out = Vec::new();
        if s.trim().is_empty() {
            return Ok(LabelSelector(out));
        }
        let bad = |why: &str| format!("unable to parse requirement: {why}: '{s}'");
        for part in split_top(s) {
            let p = part.trim();
            let words: Vec<&str> = p.split_whitespace().collect();
            let req = if let Some(k) = p.strip_prefix('!') {
                Requirement::NotExists(k.trim().to_owned())
            } else if let Some((k, v)) = p.split_once("!=") {
                Requirement::Ne(k.trim().to_owned(), v.trim().to_owned())
            } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
                Requirement::Eq(k.trim().to_owned(), v.trim().to_owned())
            } else if words.len() >= 2 && (words[1] == "in" || words[1] == "notin") {
                let rest = p.split_once(words[1]).map(|x| x.1).unwrap_or("");
                let vals = set_values(rest).ok_or_else(|| bad("expected '('"))?;
                if words[1] == "in" {
                    Requirement::In(words[0].to_owned(), vals)
                } else {
                    Requirement::NotIn(words[0].to_owned(), vals)
                }
            } else if words.len() == 1 && !p.contains(['(', ')']) {
                Requirement::Exists(p.to_owned())
            } else {
                return Err(bad("invalid requirement"));
            };
            let (key, vals): (&str, Vec<&str>) = match &req {
                Requirement::Eq(k, v) | Requirement::Ne(k, v) => (k, vec![v.as_str()]),
                Requirement::In(k, vs) | Requirement::NotIn(k, vs) => {
                    (k, vs.iter().map(String::as_str).collect())
                }
                Requirement::Exists(k) | Requirement::NotExists(k) => (k, vec![]),
            };
            if !key_ok(key) {
                return Err(bad("invalid label key"));
            }
            if vals.iter().any(|v| !value_ok(v)) {
                return Err(bad("invalid label value"));
            }
            out.push(req);
        }
        Ok(LabelSelector(out))
    }

    /// Whether `labels` satisfies every requirement.
    pub(crate) fn matches(&self, labels: Option<&Mapping>) -> bool {
        let get = |k: &str| labels.and_then(|l| l.get(k)).map(scalar_text);
        self.0.iter().all(|r| match r {
            Requirement::Eq(k, v) => get(k).as_deref() == Some(v.as_str()),
            Requirement::Ne(k, v) => get(k).as_deref() != Some(v.as_str()),
            Requirement::In(k, vs) => get(k).is_some_and(|x| vs.contains(&x)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.contains(&x)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::NotExists(k) => get(k).is_none(),
        })
    }
}

fn name_ok(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 63
        && n.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && n.starts_with(|c: char| c.is_ascii_alphanumeric())
        && n.ends_with(|c: char| c.is_ascii_alphanumeric())
}

fn key_ok(k: &str) -> bool {
    match k.rsplit_once('/') {
        Some((prefix, name)) => !prefix.is_empty() && prefix.len() <= 253 && name_ok(name),
        None => name_ok(k),
    }
}

fn value_ok(v: &str) -> bool {
    v.is_empty() || name_ok(v)
}

/// Split at top-level commas (not inside parentheses).
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s.get(start..).unwrap_or(""));
    out
}

fn set_values(rest: &str) -> Option<Vec<String>> {
    let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(inner.split(',').map(|v| v.trim().to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gitops_core::yaml::Value;

    #[test]
    fn label_selector_table() {
        let mut labels = Mapping::new();
        labels.insert("app".into(), Value::from("web"));
        labels.insert("tier".into(), Value::from("front"));
        let cases: &[(&str, bool)] = &[
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("app in (web, db)", true),
            ("app notin (web)", false),
            ("tier", true),
            ("!tier", false),
            ("!missing", true),
            ("app=web,tier=back", false),
            ("missing!=x", true),
            ("", true),
        ];
        for (sel, want) in cases {
            let s = LabelSelector::parse(sel).unwrap();
            assert_eq!(s.matches(Some(&labels)), *want, "{sel}");
        }
        for bad in ["app in web", "a b", "-x=1", "in (x"] {
            assert!(LabelSelector::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn anchored_table() {
        let re = anchored("web|db").unwrap();
        assert!(accepts(&re, "web") && accepts(&re, "db") && !accepts(&re, "webx"));
        assert!(accepts(&anchored("").unwrap(), "anything"));
        assert!(anchored("(").unwrap_err().starts_with("error parsing regexp: "));
    }

    #[test]
    fn re2_classes_are_ascii() {
        // (pattern, text, RE2 matches)
        let cases = [
            (r"\d+", "123", true),
            (r"\d+", "١٢٣", false),
            (r"\w+", "abc_9", true),
            (r"\w+", "héllo", false),
            (r"\W", "é", true),
            (r"\D", "٣", true),
            (r"\s", "\u{a0}", false),
            (r"\s", "\t", true),
            (r"\S", "\u{2003}", true),
            (r"[\d\w]+", "ab12", true),
            (r"[\d]+", "٣", false),
            (r"[^\d]", "٣", true),
            (r"[[:alpha:]]+", "abc", true),
            (r"[[:alpha:]]+", "é", false),
            (r"[]a]+", "]a", true),
            (r"[^]a]", "b", true),
            (r"x\bé", "xé", true),
            (r"\Q\d\E", r"\d", true),
            (r"a.c", "aéc", true),
        ];
        for (pattern, text, want) in cases {
            let re = anchored(pattern).unwrap().unwrap();
            assert_eq!(re.is_match(text), want, "{pattern} on {text:?} ({})", re2_to_rust(pattern));
        }
    }
}
