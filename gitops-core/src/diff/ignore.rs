//! Drift-ignore rules: Kustomization `spec.ignore[]` (`{paths, target}`), as fluxcd/pkg
//! `ssa/jsondiff` matches them.

use super::Error;
use super::pointer;
use crate::resource::Resource;
use crate::yaml::{Mapping, Value};
use regex::Regex;

/// A target selector. `group`, `version`, `kind`, `name` and `namespace` are regular
/// expressions anchored as `^(?:re)$`; empty matches anything. `label_selector` and
/// `annotation_selector` use Kubernetes selector syntax (`a=b,c!=d,e in (f,g),!h`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// API group regex.
    pub group: String,
    /// API version regex (without the group).
    pub version: String,
    /// Kind regex.
    pub kind: String,
    /// Name regex.
    pub name: String,
    /// Namespace regex.
    pub namespace: String,
    /// Label selector expression.
    pub label_selector: String,
    /// Annotation selector expression.
    pub annotation_selector: String,
}

/// One compiled ignore rule: the JSON pointers to drop from both sides of a comparison
/// for objects the target selects (no target: every object). A path `""` ignores the
/// whole object.
#[derive(Debug, Clone)]
pub struct IgnoreRule {
    paths: Vec<String>,
    tokens: Vec<Vec<String>>,
    target: Option<Compiled>,
}

#[derive(Debug, Clone)]
struct Compiled {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Option<Vec<Requirement>>,
    annotations: Option<Vec<Requirement>>,
}

impl IgnoreRule {
    /// Compile a rule. Fails on a path that is not a JSON pointer, a regex that does not
    /// compile or a selector expression that does not parse.
    ///
    /// ```
    /// use gitops_core::diff::{IgnoreRule, Selector};
    /// let sel = Selector { kind: "Deploy.*".into(), ..Selector::default() };
    /// let rule = IgnoreRule::new(vec!["/spec/replicas".into()], Some(sel)).unwrap();
    /// assert_eq!(rule.paths(), ["/spec/replicas"]);
    /// assert!(IgnoreRule::new(vec!["spec".into()], None).is_err());
    /// ```
    pub fn new(paths: Vec<String>, target: Option<Selector>) -> Result<IgnoreRule, Error> {
        let tokens = paths
            .iter()
            .map(|p| pointer::parse(p).ok_or_else(|| Error::Pointer { pointer: p.clone() }))
            .collect::<Result<Vec<_>, _>>()?;
        let target = target.map(|s| compile(&s)).transpose()?;
        Ok(IgnoreRule { paths, tokens, target })
    }

    /// Read Kustomization `spec.ignore` (a sequence of `{paths, target}`); a missing or
    /// null field gives no rules.
    pub fn from_spec(ignore: Option<&Value>) -> Result<Vec<IgnoreRule>, Error> {
        let items = match ignore {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Seq(items)) => items,
            Some(other) => {
                return Err(Error::Spec {
                    message: format!("ignore: expected a list, got {}", other.kind_name()),
                });
            }
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let paths = match item.get("paths") {
                    Some(Value::Seq(ps)) => ps
                        .iter()
                        .map(|p| {
                            p.as_str().map(str::to_owned).ok_or_else(|| Error::Spec {
                                message: format!("ignore[{i}].paths: expected strings"),
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                    _ => {
                        return Err(Error::Spec {
                            message: format!("ignore[{i}].paths: required list missing"),
                        });
                    }
                };
                let target = match item.get("target") {
                    None | Some(Value::Null) => None,
                    Some(Value::Map(t)) => {
                        let f = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                        Some(Selector {
                            group: f("group"),
                            version: f("version"),
                            kind: f("kind"),
                            name: f("name"),
                            namespace: f("namespace"),
                            label_selector: f("labelSelector"),
                            annotation_selector: f("annotationSelector"),
                        })
                    }
                    Some(_) => {
                        return Err(Error::Spec {
                            message: format!("ignore[{i}].target: expected a mapping"),
                        });
                    }
                };
                IgnoreRule::new(paths, target)
            })
            .collect()
    }

    /// The rule's JSON pointers as given.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    pub(crate) fn tokens(&self) -> &[Vec<String>] {
        &self.tokens
    }

    /// Whether the rule applies to `res`.
    pub fn matches(&self, res: &Resource) -> bool {
        let Some(t) = &self.target else {
            return true;
        };
        let re = |r: &Option<Regex>, s: &str| r.as_ref().is_none_or(|r| r.is_match(s));
        let empty = Mapping::new();
        re(&t.namespace, res.namespace())
            && re(&t.name, res.name())
            && re(&t.group, res.group())
            && re(&t.version, res.version())
            && re(&t.kind, res.kind())
            && t.labels
                .as_ref()
                .is_none_or(|reqs| matches_all(reqs, res.labels().unwrap_or(&empty)))
            && t.annotations
                .as_ref()
                .is_none_or(|reqs| matches_all(reqs, res.annotations().unwrap_or(&empty)))
    }
}

fn compile(s: &Selector) -> Result<Compiled, Error> {
    let re = |field: &'static str, pattern: &str| -> Result<Option<Regex>, Error> {
        if pattern.is_empty() {
            return Ok(None);
        }
        Regex::new(&format!("^(?:{pattern})$")).map(Some).map_err(|e| Error::Selector {
            field,
            input: pattern.to_owned(),
            message: e.to_string(),
        })
    };
    let sel = |field: &'static str, text: &str| -> Result<Option<Vec<Requirement>>, Error> {
        if text.is_empty() {
            return Ok(None);
        }
        parse_selector(text).map(Some).map_err(|message| Error::Selector {
            field,
            input: text.to_owned(),
            message,
        })
    };
    Ok(Compiled {
        group: re("group", &s.group)?,
        version: re("version", &s.version)?,
        kind: re("kind", &s.kind)?,
        name: re("name", &s.name)?,
        namespace: re("namespace", &s.namespace)?,
        labels: sel("labelSelector", &s.label_selector)?,
        annotations: sel("annotationSelector", &s.annotation_selector)?,
    })
}

/// One requirement of a Kubernetes selector.
#[derive(Debug, Clone, PartialEq)]
enum Requirement {
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Gt(String, i64),
    Lt(String, i64),
}

fn matches_all(reqs: &[Requirement], set: &Mapping) -> bool {
    let get = |k: &str| {
        set.get(k).map(|v| match v {
            Value::String(s) => s.clone(),
            other => crate::resource::scalar_text(other),
        })
    };
    reqs.iter().all(|r| match r {
        Requirement::Exists(k) => set.contains_key(k.as_str()),
        Requirement::NotExists(k) => !set.contains_key(k.as_str()),
        Requirement::In(k, vs) => get(k).is_some_and(|v| vs.contains(&v)),
        Requirement::NotIn(k, vs) => get(k).is_none_or(|v| !vs.contains(&v)),
        Requirement::Gt(k, n) => get(k).and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v > *n),
        Requirement::Lt(k, n) => get(k).and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v < *n),
    })
}

/// Split on commas outside parentheses.
fn split_top(text: &str) -> Result<Vec<&str>, String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err("unexpected ')'".to_owned());
                }
            }
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err("missing ')'".to_owned());
    }
    parts.push(&text[start..]);
    Ok(parts)
}

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 316
        && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

fn parse_selector(text: &str) -> Result<Vec<Requirement>, String> {
    let mut reqs = Vec::new();
    for part in split_top(text)? {
        let p = part.trim();
        if p.is_empty() {
            return Err(format!("found '', expected: identifier in {text:?}"));
        }
        let key_err = |k: &str| format!("invalid label key {k:?}");
        if let Some(k) = p.strip_prefix('!') {
            let k = k.trim();
            if !valid_key(k) {
                return Err(key_err(k));
            }
            reqs.push(Requirement::NotExists(k.to_owned()));
            continue;
        }
        let set_op = |word: &str| -> Option<(usize, usize)> {
            let pat = format!(" {word} ");
            p.find(&pat).map(|i| (i, i + pat.len())).or_else(|| {
                let pat = format!(" {word}(");
                p.find(&pat).map(|i| (i, i + pat.len() - 1))
            })
        };
        let set =
            set_op("notin").map(|ij| (ij, false)).or_else(|| set_op("in").map(|ij| (ij, true)));
        if let Some(((i, j), is_in)) = set {
            let k = p[..i].trim();
            if !valid_key(k) {
                return Err(key_err(k));
            }
            let rest = p[j..].trim();
            let inner = rest
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .ok_or_else(|| format!("expected '(' and ')' around values in {p:?}"))?;
            let values: Vec<String> = inner.split(',').map(|v| v.trim().to_owned()).collect();
            reqs.push(if is_in {
                Requirement::In(k.to_owned(), values)
            } else {
                Requirement::NotIn(k.to_owned(), values)
            });
            continue;
        }
        let ops: [(&str, u8); 5] = [("!=", 0), ("==", 1), ("=", 1), (">", 2), ("<", 3)];
        let found = ops
            .iter()
            .filter_map(|(op, kind)| p.find(op).map(|i| (i, *op, *kind)))
            .min_by_key(|(i, op, _)| (*i, usize::MAX - op.len()));
        match found {
            None => {
                if !valid_key(p) {
                    return Err(key_err(p));
                }
                reqs.push(Requirement::Exists(p.to_owned()));
            }
            Some((i, op, kind)) => {
                let k = p[..i].trim();
                let v = p[i + op.len()..].trim();
                if !valid_key(k) {
                    return Err(key_err(k));
                }
                match kind {
                    0 => reqs.push(Requirement::NotIn(k.to_owned(), vec![v.to_owned()])),
                    1 => reqs.push(Requirement::In(k.to_owned(), vec![v.to_owned()])),
                    _ => {
                        let n: i64 = v.parse().map_err(|_| {
                            format!("for 'gt', 'lt' operators, the value must be an integer: {v:?}")
                        })?;
                        reqs.push(if kind == 2 {
                            Requirement::Gt(k.to_owned(), n)
                        } else {
                            Requirement::Lt(k.to_owned(), n)
                        });
                    }
                }
            }
        }
    }
    Ok(reqs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, Profile, parse_values};

    fn res(text: &str) -> Resource {
        Resource::new(parse_values(text, Profile::ApiServer, &Limits::default()).unwrap().remove(0))
    }

    #[test]
    fn selector_table() {
        let dep = res(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-1\n  namespace: prod\n  labels:\n    app: web\n    tier: \"3\"\n  annotations:\n    team: a\n",
        );
        let cm = res("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n");
        let sel = |f: &dyn Fn(&mut Selector)| {
            let mut s = Selector::default();
            f(&mut s);
            IgnoreRule::new(vec![], Some(s)).unwrap()
        };
        let cases: Vec<(IgnoreRule, bool, bool)> = vec![
            (IgnoreRule::new(vec![], None).unwrap(), true, true),
            (sel(&|s| s.kind = "Deployment".into()), true, false),
            // anchored: a prefix does not match
            (sel(&|s| s.kind = "Deploy".into()), false, false),
            (sel(&|s| s.kind = "Deploy.*".into()), true, false),
            (sel(&|s| s.kind = "ConfigMap|Deployment".into()), true, true),
            (sel(&|s| s.group = "apps".into()), true, false),
            // an empty group cannot be selected with a pattern that needs a character
            (sel(&|s| s.group = ".+".into()), true, false),
            (sel(&|s| s.version = "v1".into()), true, true),
            (sel(&|s| s.name = "web".into()), false, true),
            (sel(&|s| s.name = "web.*".into()), true, true),
            (sel(&|s| s.namespace = "prod".into()), true, false),
            (sel(&|s| s.label_selector = "app=web".into()), true, false),
            (sel(&|s| s.label_selector = "app==web,tier in (2,3)".into()), true, false),
            (sel(&|s| s.label_selector = "app!=web".into()), false, true),
            (sel(&|s| s.label_selector = "!app".into()), false, true),
            (sel(&|s| s.label_selector = "app".into()), true, false),
            (sel(&|s| s.label_selector = "tier notin (3)".into()), false, true),
            (sel(&|s| s.label_selector = "tier>2".into()), true, false),
            (sel(&|s| s.label_selector = "tier<3".into()), false, false),
            (sel(&|s| s.annotation_selector = "team=a".into()), true, false),
        ];
        for (i, (rule, on_dep, on_cm)) in cases.iter().enumerate() {
            assert_eq!(rule.matches(&dep), *on_dep, "case {i} deployment");
            assert_eq!(rule.matches(&cm), *on_cm, "case {i} configmap");
        }
    }

    #[test]
    fn rule_errors_table() {
        let bad_re = Selector { kind: "(".into(), ..Selector::default() };
        let bad_sel = Selector { label_selector: "a in (b".into(), ..Selector::default() };
        let bad_key = Selector { label_selector: "a b=c".into(), ..Selector::default() };
        let cases: Vec<(Vec<String>, Option<Selector>, &str)> = vec![
            (vec!["spec".into()], None, "invalid JSON pointer \"spec\""),
            (vec!["/a~2".into()], None, "invalid JSON pointer \"/a~2\""),
            (vec![], Some(bad_re), "failed to create ignore rule selector: kind \"(\":"),
            (
                vec![],
                Some(bad_sel),
                "failed to create ignore rule selector: labelSelector \"a in (b\": missing ')'",
            ),
            (vec![], Some(bad_key), "invalid label key"),
        ];
        for (paths, sel, want) in cases {
            let err = IgnoreRule::new(paths, sel).unwrap_err().to_string();
            assert!(err.contains(want), "{err} !~ {want}");
        }
    }

    #[test]
    fn from_spec_table() {
        let spec = parse_values(
            "- paths: [\"/spec/replicas\"]\n  target:\n    kind: Deployment\n- paths: [\"\"]\n",
            Profile::ApiServer,
            &Limits::default(),
        )
        .unwrap()
        .remove(0);
        let rules = IgnoreRule::from_spec(Some(&spec)).unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].paths(), ["/spec/replicas"]);
        assert!(rules[1].target.is_none());
        assert!(IgnoreRule::from_spec(None).unwrap().is_empty());
        assert!(IgnoreRule::from_spec(Some(&Value::from("x"))).is_err());
        let no_paths = parse_values("- target: {}\n", Profile::ApiServer, &Limits::default())
            .unwrap()
            .remove(0);
        assert!(
            IgnoreRule::from_spec(Some(&no_paths))
                .unwrap_err()
                .to_string()
                .contains("ignore[0].paths")
        );
    }
}
