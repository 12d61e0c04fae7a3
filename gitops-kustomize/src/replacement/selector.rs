//! Resource selectors of replacement targets: kustomize's `Selector` with anchored
//! regular expressions on group, version, kind, name and namespace, and Kubernetes
//! label / annotation selector expressions.

use gitops_core::resource::{ResId, Resource, scalar_text};
use gitops_core::yaml::Mapping;
use regex::Regex;

use super::SelectorArg;

/// A compiled selector.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Vec<Requirement>,
    annotations: Vec<Requirement>,
    /// No group, version, kind, name or namespace given.
    pub(crate) id_empty: bool,
    /// Neither label nor annotation selector given.
    pub(crate) sel_empty: bool,
}

fn anchored(p: &str) -> Result<Option<Regex>, String> {
    if p.is_empty() {
        return Ok(None);
    }
    Regex::new(&format!("^(?:{p})$")).map(Some).map_err(|e| {
        format!(
            "error creating target selector: error parsing regexp: {}",
            e.to_string().lines().last().unwrap_or("")
        )
    })
}

impl Compiled {
    /// Compile a selector.
    pub(crate) fn new(s: &SelectorArg) -> Result<Compiled, String> {
        Ok(Compiled {
            group: anchored(&s.group)?,
            version: anchored(&s.version)?,
            kind: anchored(&s.kind)?,
            name: anchored(&s.name)?,
            namespace: anchored(&s.namespace)?,
            labels: parse(&s.label_selector)?,
            annotations: parse(&s.annotation_selector)?,
            id_empty: [&s.group, &s.version, &s.kind, &s.name, &s.namespace]
                .iter()
                .all(|x| x.is_empty()),
            sel_empty: s.label_selector.is_empty() && s.annotation_selector.is_empty(),
        })
    }

    /// Whether the id matches the group/version/kind/name/namespace expressions.
    pub(crate) fn selects_id(&self, id: &ResId) -> bool {
        let is = |re: &Option<Regex>, s: &str| re.as_ref().is_none_or(|re| re.is_match(s));
        is(&self.group, &id.gvk.group)
            && is(&self.version, &id.gvk.version)
            && is(&self.kind, &id.gvk.kind)
            && is(&self.name, &id.name)
            && is(&self.namespace, &id.namespace)
    }

    /// Whether the resource's labels and annotations match.
    pub(crate) fn selects_meta(&self, r: &Resource) -> bool {
        let empty = Mapping::new();
        matches_all(&self.labels, r.labels().unwrap_or(&empty))
            && matches_all(&self.annotations, r.annotations().unwrap_or(&empty))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    Eq(String, String),
    Ne(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

fn matches_all(reqs: &[Requirement], labels: &Mapping) -> bool {
    let get = |k: &str| labels.get(k).map(scalar_text);
    reqs.iter().all(|r| match r {
        Requirement::Eq(k, v) => get(k).as_deref() == Some(v.as_str()),
        Requirement::Ne(k, v) => get(k).as_deref() != Some(v.as_str()),
        Requirement::In(k, vs) => get(k).is_some_and(|x| vs.contains(&x)),
        Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.contains(&x)),
        Requirement::Exists(k) => get(k).is_some(),
        Requirement::NotExists(k) => get(k).is_none(),
    })
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

fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn set_values(rest: &str) -> Option<Vec<String>> {
    let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(inner.split(',').map(|v| v.trim().to_owned()).collect())
}

/// Parse a Kubernetes selector expression (`a=b,c!=d,e in (f,g),h notin (i),j,!k`).
fn parse(s: &str) -> Result<Vec<Requirement>, String> {
    let mut out = Vec::new();
    if s.trim().is_empty() {
        return Ok(out);
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
    Ok(out)
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
            ("", true),
        ];
        for (sel, want) in cases {
            let reqs = parse(sel).unwrap();
            assert_eq!(matches_all(&reqs, &labels), *want, "{sel}");
        }
        for bad in ["app in web", "a b", "-x=1"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
