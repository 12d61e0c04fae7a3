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
//!
//! `configurations` files (kustomize's `TransformerConfig`: `namePrefix`, `nameSuffix`,
//! `namespace`, `commonLabels`, `labels`, `templateLabels`, `commonAnnotations`,
//! `nameReference`, `varReference`, `images`, `replicas`) are read strictly into the same
//! [`CrdConfig`]; [`with_extra`] merges the extra specs with the defaults as kustomize does.

use gitops_core::yaml::{Limits, Profile, Value, parse_values};

use crate::fieldspecs::FieldSpec;
use crate::kustomization::FieldSpecArg;
use crate::loader::Loader;

/// How deep `$ref` chains are followed.
const MAX_REF_DEPTH: usize = 32;

/// A name-reference rule learnt from a CRD or a `configurations` file: objects of
/// `group`/`version`/`kind` are referred to from `referrer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CrdNameRef {
    /// Group of the referral.
    pub group: String,
    /// Kind of the referral.
    pub kind: String,
    /// Version of the referral.
    pub version: String,
    /// The referring field.
    pub referrer: FieldSpecArg,
}

/// The field specs learnt from `crds` and `configurations` files, on top of kustomize's
/// defaults (kustomize's `TransformerConfig` minus the defaults; `varReference` lives in
/// [`crate::vars::Acc`]).
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
    /// Extra `nameSuffix` specs.
    pub suffix: Vec<FieldSpecArg>,
    /// Extra `namespace` specs.
    pub namespace: Vec<FieldSpecArg>,
    /// Extra `templateLabels` specs (`labels` entries with `includeTemplates`).
    pub template_labels: Vec<FieldSpecArg>,
    /// The `labels` specs (added to every `labels` entry; none by default).
    pub any_labels: Vec<FieldSpecArg>,
    /// Extra `images` specs.
    pub images: Vec<FieldSpecArg>,
    /// Extra `replicas` specs.
    pub replicas: Vec<FieldSpecArg>,
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
        other.suffix.into_iter().for_each(|f| push_unique(&mut self.suffix, f));
        other.namespace.into_iter().for_each(|f| push_unique(&mut self.namespace, f));
        other.template_labels.into_iter().for_each(|f| push_unique(&mut self.template_labels, f));
        other.any_labels.into_iter().for_each(|f| push_unique(&mut self.any_labels, f));
        other.images.into_iter().for_each(|f| push_unique(&mut self.images, f));
        other.replicas.into_iter().for_each(|f| push_unique(&mut self.replicas, f));
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
                    group: String::new(),
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

/// Whether `existing` and `incoming` are one field spec to kustomize (`effectivelyEquals`:
/// same path, and `incoming`'s GVK selects `existing`'s).
fn same_spec(existing: &FieldSpec<'_>, incoming: &FieldSpecArg) -> bool {
    existing.path == incoming.path
        && (incoming.group.is_empty() || incoming.group == existing.group)
        && (incoming.version.is_empty() || incoming.version == existing.version)
        && (incoming.kind.is_empty() || incoming.kind == existing.kind)
}

/// kustomize's `FsSlice.MergeOne` against the defaults and the specs so far: a spec
/// already there is dropped, one that differs only in `create` is a conflict.
fn merge_spec(
    defaults: &[FieldSpec<'_>],
    extra: &mut Vec<FieldSpecArg>,
    incoming: FieldSpecArg,
    what: &str,
) -> Result<(), String> {
    let found = defaults
        .iter()
        .copied()
        .chain(borrow(extra))
        .find(|e| same_spec(e, &incoming))
        .map(|e| e.create);
    match found {
        Some(create) if create != incoming.create => {
            Err(format!("failed to merge {what} fieldSpec: conflicting fieldspecs"))
        }
        Some(_) => Ok(()),
        None => {
            extra.push(incoming);
            Ok(())
        }
    }
}

/// Decode a list of `types.FieldSpec`.
fn field_spec_list(v: &Value, field: &str) -> Result<Vec<FieldSpecArg>, String> {
    let items = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Seq(s) => s,
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field {field} of type types.FsSlice",
                crate::kustomization::go_type(other)
            ));
        }
    };
    let mut out = Vec::new();
    for item in items {
        out.push(field_spec(item)?);
    }
    Ok(out)
}

/// Decode one `types.FieldSpec` (strictly: unknown fields are errors).
fn field_spec(item: &Value) -> Result<FieldSpecArg, String> {
    use crate::replacement::{object, string};
    let mut s = FieldSpecArg::default();
    let fields = ["group", "version", "kind", "path", "create"];
    object(item, "types.FieldSpec", &fields, true, |n, x| {
        match n {
            "group" => s.group = string(x, "FieldSpec.group")?,
            "version" => s.version = string(x, "FieldSpec.version")?,
            "kind" => s.kind = string(x, "FieldSpec.kind")?,
            "path" => s.path = string(x, "FieldSpec.path")?,
            _ => {
                s.create = match x {
                    Value::Null => false,
                    Value::Bool(b) => *b,
                    other => {
                        return Err(format!(
                            "json: cannot unmarshal {} into Go struct field FieldSpec.create of type bool",
                            crate::kustomization::go_type(other)
                        ));
                    }
                }
            }
        }
        Ok(())
    })?;
    Ok(s)
}

impl CrdConfig {
    /// Add a `configurations` file (kustomize's `TransformerConfig` read strictly); its
    /// `varReference` is only checked here.
    pub(crate) fn add_configuration(&mut self, text: &str) -> Result<(), String> {
        use crate::fieldspecs as d;
        use crate::replacement::object;
        let docs = parse_values(text, Profile::ApiServer, &Limits::default())
            .map_err(|e| e.to_string())?;
        let doc = docs.first().cloned().unwrap_or_default();
        let fields = [
            "namePrefix",
            "nameSuffix",
            "namespace",
            "commonLabels",
            "labels",
            "templateLabels",
            "commonAnnotations",
            "nameReference",
            "varReference",
            "images",
            "replicas",
        ];
        let common_labels: Vec<FieldSpec<'static>> = d::common_labels().collect();
        object(&doc, "builtinconfig.TransformerConfig", &fields, true, |name, v| {
            if name == "nameReference" {
                return self.add_name_refs(v);
            }
            let specs = field_spec_list(v, &format!("TransformerConfig.{name}"))?;
            let (defaults, extra, what): (&[FieldSpec<'_>], _, _) = match name {
                "namePrefix" => (d::NAME_PREFIX_SUFFIX, &mut self.prefix, "NamePrefix"),
                "nameSuffix" => (d::NAME_PREFIX_SUFFIX, &mut self.suffix, "NameSuffix"),
                "namespace" => (d::NAMESPACE, &mut self.namespace, "NameSpace"),
                "commonLabels" => (&common_labels, &mut self.labels, "CommonLabels"),
                "labels" => (&[], &mut self.any_labels, "Labels"),
                "templateLabels" => {
                    (d::METADATA_LABELS, &mut self.template_labels, "TemplateLabels")
                }
                "commonAnnotations" => {
                    (d::COMMON_ANNOTATIONS, &mut self.annotations, "CommonAnnotations")
                }
                "images" => (d::IMAGES, &mut self.images, "Images"),
                "replicas" => (d::REPLICAS, &mut self.replicas, "Replicas"),
                _ => return Ok(()),
            };
            specs.into_iter().try_for_each(|s| merge_spec(defaults, extra, s, what))
        })?;
        Ok(())
    }

    /// The `nameReference` list of a `configurations` file: referrers of a GVK that the
    /// defaults already name join that rule (duplicates dropped).
    fn add_name_refs(&mut self, v: &Value) -> Result<(), String> {
        use crate::replacement::{object, string};
        let items = match v {
            Value::Null => return Ok(()),
            Value::Seq(s) => s,
            other => {
                return Err(format!(
                    "json: cannot unmarshal {} into Go struct field TransformerConfig.nameReference of type builtinconfig.nbrSlice",
                    crate::kustomization::go_type(other)
                ));
            }
        };
        for item in items {
            let (mut group, mut version, mut kind) = (String::new(), String::new(), String::new());
            let mut referrers = Vec::new();
            let fields = ["group", "version", "kind", "fieldSpecs"];
            object(item, "builtinconfig.NameBackReferences", &fields, true, |n, x| {
                match n {
                    "group" => group = string(x, "NameBackReferences.group")?,
                    "version" => version = string(x, "NameBackReferences.version")?,
                    "kind" => kind = string(x, "NameBackReferences.kind")?,
                    _ => referrers = field_spec_list(x, "NameBackReferences.fieldSpecs")?,
                }
                Ok(())
            })?;
            let defaults: Vec<FieldSpec<'static>> = crate::fieldspecs::NAME_REFERENCE
                .iter()
                .filter(|b| b.group == group && b.version == version && b.kind == kind)
                .flat_map(|b| b.referrers.iter().copied())
                .collect();
            for referrer in referrers {
                let mut same: Vec<FieldSpecArg> = self
                    .name_refs
                    .iter()
                    .filter(|r| r.group == group && r.version == version && r.kind == kind)
                    .map(|r| r.referrer.clone())
                    .collect();
                let before = same.len();
                merge_spec(&defaults, &mut same, referrer, "NameReference")?;
                if let Some(referrer) = same.pop().filter(|_| same.len() == before) {
                    self.name_refs.push(CrdNameRef {
                        group: group.clone(),
                        kind: kind.clone(),
                        version: version.clone(),
                        referrer,
                    });
                }
            }
        }
        Ok(())
    }
}

/// kyaml's `orderFirst` kinds (field specs sort by kind in this order first): the same
/// list as the legacy resource order.
const ORDER_FIRST: &[&str] = gitops_core::resource::DEFAULT_ORDER_FIRST;

/// kyaml's `orderLast` kinds.
const ORDER_LAST: &[&str] = &["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

/// kyaml's `Gvk.IsLessThan` as a sort key: kind rank, then `group_version_kind` with
/// `~G`/`~V`/`~K` standing in for empty parts.
fn sort_key(fs: &FieldSpec<'_>) -> (i64, String) {
    let rank = match ORDER_FIRST.iter().position(|k| *k == fs.kind) {
        Some(i) => i as i64 - ORDER_FIRST.len() as i64,
        None => ORDER_LAST.iter().position(|k| *k == fs.kind).map_or(0, |i| i as i64 + 1),
    };
    let or = |s: &str, d: &str| if s.is_empty() { d.to_owned() } else { s.to_owned() };
    let text = [or(fs.group, "~G"), or(fs.version, "~V"), or(fs.kind, "~K")].join("_");
    (rank, text)
}

/// Whether `existing` and `incoming` are one field spec to kustomize (borrowed form of
/// [`same_spec`]).
fn same_borrowed(existing: &FieldSpec<'_>, incoming: &FieldSpec<'_>) -> bool {
    existing.path == incoming.path
        && (incoming.group.is_empty() || incoming.group == existing.group)
        && (incoming.version.is_empty() || incoming.version == existing.version)
        && (incoming.kind.is_empty() || incoming.kind == existing.kind)
}

/// The field specs a kustomization level ends up with, given kustomize's defaults and
/// the extra specs of its `configurations`/`crds` (borrowed as is when there are none).
///
/// kustomize merges the extra specs into the defaults, sorts the result by GVK, and merges
/// that into its accumulator's (empty) config again: a spec whose GVK selects an earlier
/// one at the same path is dropped in each round. So a custom spec for one kind at
/// `metadata/name` makes the default any-kind `metadata/name` spec disappear. The specs
/// kept are returned in their original order (defaults first).
pub(crate) fn with_extra<'a: 'b, 'b>(
    defaults: &'b [FieldSpec<'a>],
    extra: &'a [FieldSpecArg],
) -> std::borrow::Cow<'b, [FieldSpec<'a>]> {
    if extra.is_empty() {
        return std::borrow::Cow::Borrowed(defaults);
    }
    let mut round1: Vec<FieldSpec<'a>> = defaults.to_vec();
    for x in borrow(extra) {
        if !round1.iter().any(|e| same_borrowed(e, &x)) {
            round1.push(x);
        }
    }
    let mut order: Vec<usize> = (0..round1.len()).collect();
    order.sort_by_cached_key(|i| round1.get(*i).map(sort_key));
    let mut kept: Vec<usize> = Vec::new();
    for i in order {
        let Some(x) = round1.get(i) else { continue };
        if !kept.iter().filter_map(|k| round1.get(*k)).any(|e| same_borrowed(e, x)) {
            kept.push(i);
        }
    }
    kept.sort_unstable();
    std::borrow::Cow::Owned(kept.into_iter().filter_map(|i| round1.get(i).copied()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(kind: &str, path: &str) -> FieldSpecArg {
        FieldSpecArg { kind: kind.into(), path: path.into(), ..Default::default() }
    }

    /// Extra specs and the `(kind, path)` pairs kept.
    type Case = (Vec<FieldSpecArg>, Vec<(&'static str, &'static str)>);

    #[test]
    fn with_extra_table() {
        let any_name =
            [FieldSpec { group: "", version: "", kind: "", path: "metadata/name", create: false }];
        // (extra specs, the (kind, path) pairs kept)
        let cases: Vec<Case> = vec![
            (vec![], vec![("", "metadata/name")]),
            // a kind-specific spec at the same path sorts first and drops the any-kind one
            (vec![arg("Widget", "metadata/name")], vec![("Widget", "metadata/name")]),
            // orderLast kinds sort after the any-kind spec: both kept
            (
                vec![arg("MutatingWebhookConfiguration", "metadata/name")],
                vec![("", "metadata/name"), ("MutatingWebhookConfiguration", "metadata/name")],
            ),
            // another path: both kept; an any-kind duplicate: dropped
            (
                vec![arg("Widget", "spec/n"), arg("", "metadata/name")],
                vec![("", "metadata/name"), ("Widget", "spec/n")],
            ),
        ];
        for (extra, want) in cases {
            let got: Vec<(String, String)> = with_extra(&any_name, &extra)
                .iter()
                .map(|f| (f.kind.to_owned(), f.path.to_owned()))
                .collect();
            let want: Vec<(String, String)> =
                want.iter().map(|(k, p)| ((*k).to_owned(), (*p).to_owned())).collect();
            assert_eq!(got, want, "{extra:?}");
        }
    }

    #[test]
    fn configuration_errors() {
        let cases = [
            ("nameprefixes: []\n", "json: unknown field \"nameprefixes\""),
            (
                "commonLabels:\n- path: metadata/labels\n  create: false\n",
                "failed to merge CommonLabels fieldSpec: conflicting fieldspecs",
            ),
            ("images:\n- path: a\n  bogus: 1\n", "json: unknown field \"bogus\""),
        ];
        for (text, want) in cases {
            let err = CrdConfig::default().add_configuration(text).unwrap_err();
            assert_eq!(err, want, "{text}");
        }
    }
}
