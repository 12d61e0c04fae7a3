//! The Kubernetes OpenAPI data a strategic merge patch needs: for each type, which lists
//! merge by key (`x-kubernetes-patch-strategy: merge`) and on which keys
//! (`x-kubernetes-list-map-keys`, else `x-kubernetes-patch-merge-key`).
//!
//! The builtin table is kustomize's embedded Kubernetes v1.21.2 schema, pruned by
//! `scripts/gen-openapi-table.py` to what a merge can reach (`data/k8s-smp-v1.21.2.txt`),
//! parsed once on first use. A kustomization's `openapi: {path: …}` replaces it with a
//! schema read from a swagger file ([`Schema::from_swagger`]).
//!
//! ```
//! use gitops_kustomize::openapi::Schema;
//! let s = Schema::builtin();
//! let pod = s.resource("apps/v1", "Deployment").unwrap();
//! let spec = s.field(pod, "spec").unwrap();
//! let tmpl = s.field(s.def(spec).unwrap(), "template").unwrap();
//! let pod_spec = s.field(s.def(tmpl).unwrap(), "spec").unwrap();
//! let containers = s.field(s.def(pod_spec).unwrap(), "containers").unwrap();
//! assert!(containers.is_merge());
//! assert_eq!(containers.keys, ["name"]);
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

use gitops_core::yaml::Value;

/// The builtin table (see `data/README.md`).
const BUILTIN: &str = include_str!("../../data/k8s-smp-v1.21.2.txt");

/// Index of a definition in a [`Schema`].
pub type DefId = usize;

/// One property of a definition.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Field {
    /// The definition of the value (of the items, for a list), if it matters to a merge.
    pub target: Option<DefId>,
    /// `x-kubernetes-patch-strategy` of a list (`merge`, `merge,retainKeys`, …).
    pub strategy: String,
    /// The merge keys of a list.
    pub keys: Vec<String>,
}

impl Field {
    /// Whether a list here merges element by element (the strategy includes `merge`).
    pub fn is_merge(&self) -> bool {
        self.strategy.split(',').any(|s| s == "merge")
    }
}

/// A definition: its properties (`*` holds `additionalProperties`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Def {
    fields: HashMap<String, Field>,
}

/// A schema: definitions plus the resource types (apiVersion, kind) that use them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    defs: Vec<Def>,
    resources: HashMap<(String, String), DefId>,
}

impl Schema {
    /// kustomize's builtin schema (Kubernetes v1.21.2), parsed once.
    pub fn builtin() -> &'static Schema {
        static S: OnceLock<Schema> = OnceLock::new();
        S.get_or_init(|| Schema::from_table(BUILTIN))
    }

    /// Parse the compact table format written by `scripts/gen-openapi-table.py`. Lines that
    /// do not fit are skipped.
    pub fn from_table(text: &str) -> Schema {
        let mut names: HashMap<&str, DefId> = HashMap::new();
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("D ") {
                let n = names.len();
                names.entry(name).or_insert(n);
            }
        }
        let mut s = Schema { defs: vec![Def::default(); names.len()], ..Schema::default() };
        let mut cur: Option<DefId> = None;
        fn opt(t: &str) -> Option<&str> {
            if t == "-" { None } else { Some(t) }
        }
        for line in text.lines() {
            let parts: Vec<&str> = line.split(' ').collect();
            match parts.as_slice() {
                ["D", name] => cur = names.get(name).copied(),
                ["F", field, target, strategy, keys] => {
                    let Some(d) = cur.and_then(|c| s.defs.get_mut(c)) else { continue };
                    d.fields.insert(
                        (*field).to_owned(),
                        Field {
                            target: opt(target).and_then(|t| names.get(t).copied()),
                            strategy: opt(strategy).unwrap_or("").to_owned(),
                            keys: opt(keys)
                                .map(|k| k.split(',').map(str::to_owned).collect())
                                .unwrap_or_default(),
                        },
                    );
                }
                ["R", api_version, kind, def] => {
                    if let Some(&d) = names.get(def) {
                        s.resources.insert(((*api_version).to_owned(), (*kind).to_owned()), d);
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// Read a swagger (OpenAPI v2) document's `definitions`, as kustomize does for
    /// `openapi: {path: …}`: resource types from `x-kubernetes-group-version-kind`, list
    /// strategies and keys from the `x-kubernetes-*` extensions.
    pub fn from_swagger(doc: &Value) -> Result<Schema, String> {
        let defs = doc
            .get("definitions")
            .and_then(Value::as_map)
            .ok_or_else(|| "no definitions in the OpenAPI schema".to_owned())?;
        let names: HashMap<&str, DefId> =
            defs.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let ref_of = |v: &Value| -> Option<DefId> {
            let r = v.get("$ref").and_then(Value::as_str)?;
            names.get(r.rsplit('/').next().unwrap_or(r)).copied()
        };
        let field_of = |v: &Value| -> Field {
            if v.get("type").and_then(Value::as_str) == Some("array") {
                let keys = match v.get("x-kubernetes-list-map-keys").and_then(Value::as_seq) {
                    Some(ks) => ks.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                    None => v
                        .get("x-kubernetes-patch-merge-key")
                        .and_then(Value::as_str)
                        .map(|k| vec![k.to_owned()])
                        .unwrap_or_default(),
                };
                Field {
                    target: v.get("items").and_then(ref_of),
                    strategy: v
                        .get("x-kubernetes-patch-strategy")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    keys,
                }
            } else {
                Field { target: ref_of(v), ..Field::default() }
            }
        };
        let mut s = Schema::default();
        for (name, d) in defs {
            let mut def = Def::default();
            if let Some(props) = d.get("properties").and_then(Value::as_map) {
                for (k, v) in props {
                    def.fields.insert(k.clone(), field_of(v));
                }
            }
            if let Some(ap @ Value::Map(_)) = d.get("additionalProperties") {
                def.fields.insert("*".to_owned(), field_of(ap));
            }
            let id = s.defs.len();
            s.defs.push(def);
            for g in d
                .get("x-kubernetes-group-version-kind")
                .and_then(Value::as_seq)
                .into_iter()
                .flatten()
            {
                let part = |k: &str| g.get(k).and_then(Value::as_str).unwrap_or("");
                let av = if part("group").is_empty() {
                    part("version").to_owned()
                } else {
                    format!("{}/{}", part("group"), part("version"))
                };
                s.resources.insert((av, part("kind").to_owned()), id);
            }
            let _ = name;
        }
        Ok(s)
    }

    /// The definition of a resource type.
    pub fn resource(&self, api_version: &str, kind: &str) -> Option<&Def> {
        let id = self.resources.get(&(api_version.to_owned(), kind.to_owned()))?;
        self.defs.get(*id)
    }

    /// A definition by id.
    pub fn def(&self, field: &Field) -> Option<&Def> {
        field.target.and_then(|t| self.defs.get(t))
    }

    /// A property of a definition (falling back to `additionalProperties`).
    pub fn field<'a>(&self, def: &'a Def, name: &str) -> Option<&'a Field> {
        def.fields.get(name).or_else(|| def.fields.get("*"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::type_complexity)]
    fn builtin_lists() {
        let s = Schema::builtin();
        let path = |av: &str, kind: &str, path: &[&str]| -> Option<Field> {
            let mut def = s.resource(av, kind)?;
            let mut last = None;
            for p in path {
                let f = s.field(def, p)?;
                last = Some(f.clone());
                if let Some(d) = s.def(f) {
                    def = d;
                }
            }
            last
        };
        let cases: &[(&str, &str, &[&str], &str, &[&str])] = &[
            (
                "apps/v1",
                "Deployment",
                &["spec", "template", "spec", "containers"],
                "merge",
                &["name"],
            ),
            (
                "v1",
                "Pod",
                &["spec", "containers", "ports"],
                "merge",
                &["containerPort", "protocol"],
            ),
            ("v1", "Pod", &["spec", "volumes"], "merge,retainKeys", &["name"]),
            ("v1", "Pod", &["spec", "containers", "volumeMounts"], "merge", &["mountPath"]),
            ("v1", "Service", &["spec", "ports"], "merge", &["port", "protocol"]),
            ("v1", "ConfigMap", &["metadata", "finalizers"], "merge", &[]),
        ];
        for (av, kind, p, strategy, keys) in cases {
            let f = path(av, kind, p).unwrap_or_default();
            assert_eq!(f.strategy, *strategy, "{kind} {p:?}");
            assert_eq!(f.keys, *keys, "{kind} {p:?}");
        }
        assert!(path("v1", "Pod", &["spec", "tolerations"]).is_none());
        assert!(s.resource("example.com/v1", "Foo").is_none());
    }
}
