//! `crds:`: OpenAPI definition files that teach the transformers about custom kinds.
//!
//! Each file maps type names to `{Schema, Dependencies}`. A definition whose properties
//! include `kind`, `apiVersion` and `metadata` is a kind (named by the last `.`-separated
//! part of its type name); its properties (followed through `$ref`s that name other
//! definitions) carry string extensions:
//!
//! | extension | adds a field spec for |
//! |---|---|
//! | `x-kubernetes-annotation` | `commonAnnotations` |
//! | `x-kubernetes-label-selector` | `commonLabels` |
//! | `x-kubernetes-identity` | `namePrefix` |
//! | `x-kubernetes-object-ref-api-version` + `-kind` (+ `-name-key`) | name references |
//!
//! Nothing is emitted; the specs join the kustomization's transformer config and, like a
//! base's `configurations`, flow up to the kustomizations that include it.

use gitops_core::yaml::{Limits, Profile, Value, parse_values};

use crate::fieldspecs::FieldSpec;
use crate::kustomization::FieldSpecArg;
use crate::loader::Loader;

/// How deep `$ref` chains are followed.
const MAX_REF_DEPTH: usize = 32;

/// A name-reference rule learnt from a CRD: objects of `kind`/`version` are referred to
/// from `referrer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CrdNameRef {
    /// Kind of the referral.
    pub kind: String,
    /// Version of the referral.
    pub version: String,
    /// The referring field.
    pub referrer: FieldSpecArg,
}

/// The field specs learnt from `crds` files.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct CrdConfig {
    /// Extra `commonLabels` specs.
    pub labels: Vec<FieldSpecArg>,
    /// Extra `commonAnnotations` specs.
    pub annotations: Vec<FieldSpecArg>,
    /// Extra `namePrefix` specs.
    pub prefix: Vec<FieldSpecArg>,
    /// Extra name-reference rules.
    pub name_refs: Vec<CrdNameRef>,
}

fn push_unique(v: &mut Vec<FieldSpecArg>, fs: FieldSpecArg) {
    if !v.iter().any(|o| {
        o.group == fs.group && o.version == fs.version && o.kind == fs.kind && o.path == fs.path
    }) {
        v.push(fs);
    }
}

impl CrdConfig {
    /// Merge another config in (duplicates dropped).
    pub(crate) fn merge(&mut self, other: CrdConfig) {
        other.labels.into_iter().for_each(|f| push_unique(&mut self.labels, f));
        other.annotations.into_iter().for_each(|f| push_unique(&mut self.annotations, f));
        other.prefix.into_iter().for_each(|f| push_unique(&mut self.prefix, f));
        for r in other.name_refs {
            if !self.name_refs.contains(&r) {
                self.name_refs.push(r);
            }
        }
    }

    /// Load and merge the `crds` files of one kustomization.
    pub(crate) fn load(&mut self, ldr: &Loader<'_>, paths: &[String]) -> Result<(), String> {
        for path in paths {
            let bytes = ldr.load(path).map_err(|e| e.to_string())?;
            let text = String::from_utf8(bytes).map_err(|_| format!("{path}: not valid UTF-8"))?;
            let doc = parse_values(&text, Profile::ApiServer, &Limits::default())
                .map_err(|e| format!("unable to parse open API definition from '{path}': {e}"))?
                .into_iter()
                .next()
                .unwrap_or_default();
            let defs = match &doc {
                Value::Map(m) => m,
                Value::Null => continue,
                other => {
                    return Err(format!(
                        "unable to parse open API definition from '{path}': json: cannot unmarshal {} into Go value of type accumulator.nameToApiMap",
                        crate::kustomization::go_type(other)
                    ));
                }
            };
            for (name, def) in defs {
                let props = properties(defs, name);
                let Some(props) = props else { continue };
                if !["kind", "apiVersion", "metadata"].iter().all(|k| props.get(*k).is_some()) {
                    continue;
                }
                let kind = name.rsplit('.').next().unwrap_or(name).to_owned();
                let _ = def;
                self.walk(defs, &kind, name, &mut Vec::new(), 0);
            }
        }
        Ok(())
    }

    fn walk(
        &mut self,
        defs: &gitops_core::yaml::Mapping,
        kind: &str,
        type_name: &str,
        path: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > MAX_REF_DEPTH {
            return;
        }
        let Some(props) = properties(defs, type_name) else { return };
        for (prop, schema) in props {
            path.push(prop.clone());
            let spec = |extra: Option<&str>| {
                let mut p = path.join("/");
                if let Some(e) = extra {
                    p.push('/');
                    p.push_str(e);
                }
                FieldSpecArg { kind: kind.to_owned(), path: p, ..Default::default() }
            };
            if ext(schema, "x-kubernetes-annotation").is_some() {
                push_unique(&mut self.annotations, spec(None));
            }
            if ext(schema, "x-kubernetes-label-selector").is_some() {
                push_unique(&mut self.labels, spec(None));
            }
            if ext(schema, "x-kubernetes-identity").is_some() {
                push_unique(&mut self.prefix, spec(None));
            }
            if let (Some(version), Some(rkind)) = (
                ext(schema, "x-kubernetes-object-ref-api-version"),
                ext(schema, "x-kubernetes-object-ref-kind"),
            ) {
                let key = ext(schema, "x-kubernetes-object-ref-name-key").unwrap_or("name");
                let r = CrdNameRef {
                    kind: rkind.to_owned(),
                    version: version.to_owned(),
                    referrer: spec(Some(key)),
                };
                if !self.name_refs.contains(&r) {
                    self.name_refs.push(r);
                }
            }
            if let Some(Value::String(r)) = lookup(schema, "$ref") {
                self.walk(defs, kind, &r.clone(), path, depth + 1);
            }
            path.pop();
        }
    }
}

/// A key matched as `encoding/json` matches struct fields (exact first, then any case).
fn lookup<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let m = v.as_map()?;
    m.get(key).or_else(|| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, x)| x))
}

/// The `Schema.properties` of a definition.
fn properties<'a>(
    defs: &'a gitops_core::yaml::Mapping,
    name: &str,
) -> Option<&'a gitops_core::yaml::Mapping> {
    let def = defs.get(name)?;
    lookup(lookup(def, "Schema")?, "properties")?.as_map()
}

/// A string extension of a schema (keys compared case-insensitively, as go-openapi does).
fn ext<'a>(schema: &'a Value, key: &str) -> Option<&'a str> {
    let m = schema.as_map()?;
    m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).and_then(|(_, v)| v.as_str())
}

/// Borrow owned specs as field specs.
pub(crate) fn borrow(specs: &[FieldSpecArg]) -> impl Iterator<Item = FieldSpec<'_>> {
    specs.iter().map(|f| FieldSpec {
        group: &f.group,
        version: &f.version,
        kind: &f.kind,
        path: &f.path,
        create: f.create,
    })
}
