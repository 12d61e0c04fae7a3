//! The selector pieces kustomize shares between patch targets and replacement
//! selections: regular expressions anchored as `^(?:…)$`, and Kubernetes label /
//! annotation selector expressions (`a=b,c!=d,e in (f,g),h notin (i),j,!k`).

use gitops_core::goregex;
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

/// Compile a pattern from user input with Go's RE2 meaning ([`gitops_core::goregex`]).
/// The error reads as Go's: `error parsing regexp: …`.
pub(crate) fn compile(pattern: &str) -> Result<Regex, String> {
    goregex::compile(pattern).map_err(|e| {
        format!("error parsing regexp: {}", e.to_string().lines().last().unwrap_or(""))
    })
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
        // Go's meaning (ASCII `\d`, see gitops_core::goregex), whole-string match.
        let re = anchored(r"v\d+").unwrap();
        assert!(accepts(&re, "v12") && !accepts(&re, "v١٢") && !accepts(&re, "xv12"));
        assert_eq!(compile("a{").map(|re| re.is_match("a{")), Ok(true));
    }
}
