//! Patch targets: kustomize's `Selector` (anchored regexes on group, version, kind, name,
//! namespace) and Kubernetes label/annotation selectors.

use gitops_core::resource::Resource;
use gitops_core::yaml::{Mapping, Value};
use regex::Regex;

/// A compiled `target:`.
#[derive(Debug, Clone)]
pub struct Selector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Vec<Requirement>,
    annotations: Vec<Requirement>,
}

fn anchored(field: &str, v: &Value) -> Result<Option<Regex>, String> {
    let text = match v.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field Selector.{field} of type string",
                other.kind_name()
            ));
        }
    };
    if text.is_empty() {
        return Ok(None);
    }
    Regex::new(&format!("^(?:{text})$")).map(Some).map_err(|e| {
        format!("error parsing regexp: {}", e.to_string().lines().last().unwrap_or(""))
    })
}

impl Selector {
    /// Compile a `target:` mapping.
    pub fn new(v: &Value) -> Result<Selector, String> {
        if !matches!(v, Value::Map(_)) {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field Patch.target of type types.Selector",
                v.kind_name()
            ));
        }
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("");
        Ok(Selector {
            group: anchored("group", v)?,
            version: anchored("version", v)?,
            kind: anchored("kind", v)?,
            name: anchored("name", v)?,
            namespace: anchored("namespace", v)?,
            labels: parse_selector(text("labelSelector"))?,
            annotations: parse_selector(text("annotationSelector"))?,
        })
    }

    /// Whether `r` is selected (kustomize's `resWrangler.Select`): name and namespace may
    /// match the original or the current id.
    pub fn matches(&self, r: &Resource) -> bool {
        let is = |re: &Option<Regex>, s: &str| re.as_ref().is_none_or(|re| re.is_match(s));
        let org = r.org_id();
        let cur = r.id();
        if !is(&self.namespace, org.effective_namespace())
            && !is(&self.namespace, cur.effective_namespace())
        {
            return false;
        }
        if !is(&self.name, &org.name) && !is(&self.name, &cur.name) {
            return false;
        }
        let g = r.gvk();
        if !is(&self.group, &g.group) || !is(&self.version, &g.version) || !is(&self.kind, &g.kind)
        {
            return false;
        }
        let empty = Mapping::new();
        matches_all(&self.labels, r.labels().unwrap_or(&empty))
            && matches_all(&self.annotations, r.annotations().unwrap_or(&empty))
    }
}

/// One requirement of a label selector.
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
    let get = |k: &str| labels.get(k).map(gitops_core::resource::scalar_text);
    reqs.iter().all(|r| match r {
        Requirement::Eq(k, v) => get(k).as_deref() == Some(v.as_str()),
        Requirement::Ne(k, v) => get(k).as_deref() != Some(v.as_str()),
        Requirement::In(k, vs) => get(k).is_some_and(|x| vs.contains(&x)),
        Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.contains(&x)),
        Requirement::Exists(k) => get(k).is_some(),
        Requirement::NotExists(k) => get(k).is_none(),
    })
}

fn valid_key(k: &str) -> bool {
    let name = k.rsplit_once('/').map_or(k, |(_, n)| n);
    !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
}

fn valid_value(v: &str) -> bool {
    v.is_empty()
        || (v.len() <= 63
            && v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            && v.starts_with(|c: char| c.is_ascii_alphanumeric())
            && v.ends_with(|c: char| c.is_ascii_alphanumeric()))
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
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// Parse a Kubernetes label selector (`a=b,c!=d,e in (f,g),h notin (i),j,!k`).
fn parse_selector(s: &str) -> Result<Vec<Requirement>, String> {
    let mut out = Vec::new();
    if s.trim().is_empty() {
        return Ok(out);
    }
    let bad = |why: &str| format!("unable to parse requirement: {why}: '{s}'");
    for part in split_top(s) {
        let p = part.trim();
        let req = if let Some(k) = p.strip_prefix('!') {
            let k = k.trim();
            if !valid_key(k) {
                return Err(bad("invalid label key"));
            }
            Requirement::NotExists(k.to_owned())
        } else if let Some((k, v)) = p.split_once("!=") {
            Requirement::Ne(k.trim().to_owned(), v.trim().to_owned())
        } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
            Requirement::Eq(k.trim().to_owned(), v.trim().to_owned())
        } else if let Some((k, rest)) = set_op(p, " notin ") {
            Requirement::NotIn(k, set_values(rest).ok_or_else(|| bad("bad set"))?)
        } else if let Some((k, rest)) = set_op(p, " in ") {
            Requirement::In(k, set_values(rest).ok_or_else(|| bad("bad set"))?)
        } else {
            if p.contains(char::is_whitespace) || p.contains(['(', ')']) {
                return Err(bad("invalid requirement"));
            }
            Requirement::Exists(p.to_owned())
        };
        let (key, vals): (&str, Vec<&str>) = match &req {
            Requirement::Eq(k, v) | Requirement::Ne(k, v) => (k, vec![v.as_str()]),
            Requirement::In(k, vs) | Requirement::NotIn(k, vs) => {
                (k, vs.iter().map(String::as_str).collect())
            }
            Requirement::Exists(k) | Requirement::NotExists(k) => (k, vec![]),
        };
        if !valid_key(key) {
            return Err(bad("invalid label key"));
        }
        if vals.iter().any(|v| !valid_value(v)) {
            return Err(bad("invalid label value"));
        }
        out.push(req);
    }
    Ok(out)
}

fn set_op(p: &str, op: &str) -> Option<(String, String)> {
    let (k, rest) = p.split_once(op)?;
    Some((k.trim().to_owned(), rest.trim().to_owned()))
}

fn set_values(rest: String) -> Option<Vec<String>> {
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    Some(inner.split(',').map(|v| v.trim().to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_selectors() {
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
            let reqs = parse_selector(sel).unwrap();
            assert_eq!(matches_all(&reqs, &labels), *want, "{sel}");
        }
        assert!(parse_selector("a b").is_err());
        assert!(parse_selector("in (x").is_err());
    }
}
