//! The typed kustomization file.
//!
//! kustomize decodes it with `sigs.k8s.io/yaml` (YAML 1.1) and then `encoding/json` with
//! unknown fields disallowed: field names match case-insensitively (an exact match wins),
//! a later duplicate replaces an earlier one (maps merge), `null` leaves the default, and a
//! value of the wrong type is an error. Every field of `api/types/kustomization.go` is
//! recognised; the ones this build does not implement yet are kept as raw values and give
//! a "not supported yet" error when non-empty.

use gitops_core::yaml::{Mapping, Value};
use indexmap::IndexMap;

/// The JSON names of every field of kustomize's `Kustomization` type.
pub const FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "openapi",
    "namePrefix",
    "nameSuffix",
    "namespace",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "patchesStrategicMerge",
    "patchesJson6902",
    "patches",
    "images",
    "imageTags",
    "replacements",
    "replicas",
    "vars",
    "sortOptions",
    "resources",
    "components",
    "crds",
    "bases",
    "configMapGenerator",
    "secretGenerator",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "generatorOptions",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
];

/// A field spec from a kustomization (`labels[].fields`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSpecArg {
    /// API group selector.
    pub group: String,
    /// Version selector.
    pub version: String,
    /// Kind selector.
    pub kind: String,
    /// `/`-separated path; `[]` after a name walks a list.
    pub path: String,
    /// Create missing fields.
    pub create: bool,
}

/// One `labels` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelArg {
    /// The labels.
    pub pairs: IndexMap<String, String>,
    /// Also set selectors and templates (the `commonLabels` field specs).
    pub include_selectors: bool,
    /// Also set pod-template labels.
    pub include_templates: bool,
    /// Extra field specs.
    pub fields: Vec<FieldSpecArg>,
}

/// One `images` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageArg {
    /// Image name to match (without tag or digest).
    pub name: String,
    /// Replacement name.
    pub new_name: String,
    /// Replacement tag.
    pub new_tag: String,
    /// Replacement digest.
    pub digest: String,
    /// Text appended to the tag.
    pub tag_suffix: String,
}

/// One `replicas` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplicaArg {
    /// Resource name.
    pub name: String,
    /// Replica count.
    pub count: i64,
}

/// `sortOptions`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SortOptions {
    /// `legacy` or `fifo` (empty when not given).
    pub order: String,
    /// `legacySortOptions`: `(orderFirst, orderLast)`.
    pub legacy: Option<(Vec<String>, Vec<String>)>,
}

/// A decoded kustomization file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Kustomization {
    /// `apiVersion` (defaulted).
    pub api_version: String,
    /// `kind` (defaulted to `Kustomization`).
    pub kind: String,
    /// `resources`, with the deprecated `bases` appended.
    pub resources: Vec<String>,
    /// `components`: directories of `kind: Component` kustomizations.
    pub components: Vec<String>,
    /// `generators`: builtin generator configs (inline documents or files).
    pub generators: Vec<String>,
    /// `transformers`: builtin transformer configs (inline documents or files).
    pub transformers: Vec<String>,
    /// `validators`: builtin transformer configs run as validators (they must not change
    /// anything but the `validated-by` label).
    pub validators: Vec<String>,
    /// `crds`: OpenAPI definition files.
    pub crds: Vec<String>,
    /// The field specs learnt from `crds` here and in the bases (filled by the build).
    pub(crate) crd: crate::crds::CrdConfig,
    /// `buildMetadata` (only the top-level kustomization's counts).
    pub build_metadata: Vec<String>,
    /// `namespace`.
    pub namespace: String,
    /// `namePrefix`.
    pub name_prefix: String,
    /// `nameSuffix`.
    pub name_suffix: String,
    /// `commonLabels` (deprecated; applied with the selector field specs).
    pub common_labels: IndexMap<String, String>,
    /// `labels`.
    pub labels: Vec<LabelArg>,
    /// `commonAnnotations`.
    pub common_annotations: IndexMap<String, String>,
    /// `images`, with the deprecated `imageTags` appended.
    pub images: Vec<ImageArg>,
    /// `replicas`.
    pub replicas: Vec<ReplicaArg>,
    /// `sortOptions`.
    pub sort_options: Option<SortOptions>,
    /// `configMapGenerator`.
    pub config_map_generator: Vec<crate::generate::GeneratorArgs>,
    /// `secretGenerator`.
    pub secret_generator: Vec<crate::generate::GeneratorArgs>,
    /// `generatorOptions`.
    pub generator_options: Option<crate::generate::GeneratorOptions>,
    /// `replacements` (file entries are read before the transformers run).
    pub replacements: Vec<crate::replacement::ReplacementEntry>,
    /// `vars` (deprecated).
    pub vars: Vec<crate::vars::Var>,
    /// `configurations`: transformer-config files (kustomize's `TransformerConfig`: extra
    /// field specs for every builtin transformer, name references and var references).
    pub configurations: Vec<String>,
    /// Fields present that this build does not implement, with their raw values.
    pub unsupported: Vec<(&'static str, Value)>,
    /// The raw `patches`, `patchesJson6902`, `patchesStrategicMerge` and `openapi` fields
    /// (decoded by the patch transformer, which needs the loader).
    pub patch_fields: Vec<(&'static str, Value)>,
}

type R<T> = Result<T, String>;

pub(crate) fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Uint(_) | Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

pub(crate) fn type_err(v: &Value, field: &str, want: &str) -> String {
    format!("json: cannot unmarshal {} into Go struct field {field} of type {want}", go_type(v))
}

pub(crate) fn string(v: &Value, field: &str) -> R<String> {
    match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        _ => Err(type_err(v, field, "string")),
    }
}

pub(crate) fn boolean(v: &Value, field: &str) -> R<bool> {
    match v {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        _ => Err(type_err(v, field, "bool")),
    }
}

pub(crate) fn seq<'a>(v: &'a Value, field: &str, elem: &str) -> R<&'a [Value]> {
    match v {
        Value::Null => Ok(&[]),
        Value::Seq(s) => Ok(s),
        _ => Err(type_err(v, field, &format!("[]{elem}"))),
    }
}

pub(crate) fn strings(v: &Value, field: &str) -> R<Vec<String>> {
    seq(v, field, "string")?.iter().map(|x| string(x, field)).collect()
}

pub(crate) fn string_map(v: &Value, field: &str, into: &mut IndexMap<String, String>) -> R<()> {
    match v {
        Value::Null => Ok(()),
        Value::Map(m) => {
            for (k, x) in m {
                into.insert(k.clone(), string(x, field)?);
            }
            Ok(())
        }
        _ => Err(type_err(v, field, "map[string]string")),
    }
}

/// Decode an object with a fixed set of fields, calling `f(name, value)` for each field
/// (names matched as `encoding/json` does), in input order.
pub(crate) fn object(
    v: &Value,
    ty: &str,
    fields: &[&'static str],
    mut f: impl FnMut(&'static str, &Value) -> R<()>,
) -> R<()> {
    let m: &Mapping = match v {
        Value::Null => return Ok(()),
        Value::Map(m) => m,
        _ => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type {ty}",
                go_type(v)
            ));
        }
    };
    for (k, x) in m {
        let name = fields
            .iter()
            .find(|f| **f == k.as_str())
            .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(k)))
            .ok_or_else(|| format!("json: unknown field \"{k}\""))?;
        f(name, x)?;
    }
    Ok(())
}

fn field_spec(v: &Value) -> R<FieldSpecArg> {
    let mut fs = FieldSpecArg::default();
    object(v, "types.FieldSpec", &["group", "version", "kind", "path", "create"], |n, x| {
        let t = format!("FieldSpec.{n}");
        match n {
            "group" => fs.group = string(x, &t)?,
            "version" => fs.version = string(x, &t)?,
            "kind" => fs.kind = string(x, &t)?,
            "path" => fs.path = string(x, &t)?,
            _ => fs.create = boolean(x, &t)?,
        }
        Ok(())
    })?;
    Ok(fs)
}

fn label(v: &Value) -> R<LabelArg> {
    let mut l = LabelArg::default();
    object(
        v,
        "types.Label",
        &["pairs", "includeSelectors", "includeTemplates", "fields"],
        |n, x| {
            let t = format!("Label.{n}");
            match n {
                "pairs" => string_map(x, &t, &mut l.pairs)?,
                "includeSelectors" => l.include_selectors = boolean(x, &t)?,
                "includeTemplates" => l.include_templates = boolean(x, &t)?,
                _ => {
                    l.fields =
                        seq(x, &t, "types.FieldSpec")?.iter().map(field_spec).collect::<R<_>>()?
                }
            }
            Ok(())
        },
    )?;
    Ok(l)
}

fn image(v: &Value) -> R<ImageArg> {
    let mut i = ImageArg::default();
    object(v, "types.Image", &["name", "newName", "newTag", "digest", "tagSuffix"], |n, x| {
        let s = string(x, &format!("Image.{n}"))?;
        match n {
            "name" => i.name = s,
            "newName" => i.new_name = s,
            "newTag" => i.new_tag = s,
            "digest" => i.digest = s,
            _ => i.tag_suffix = s,
        }
        Ok(())
    })?;
    Ok(i)
}

fn replica(v: &Value) -> R<ReplicaArg> {
    let mut r = ReplicaArg::default();
    object(v, "types.Replica", &["name", "count"], |n, x| {
        match n {
            "name" => r.name = string(x, "Replica.name")?,
            _ => {
                r.count = match x {
                    Value::Null => 0,
                    Value::Int(i) => *i,
                    _ => return Err(type_err(x, "Replica.count", "int64")),
                }
            }
        }
        Ok(())
    })?;
    Ok(r)
}

fn sort_options(v: &Value) -> R<SortOptions> {
    let mut s = SortOptions::default();
    object(v, "types.SortOptions", &["order", "legacySortOptions"], |n, x| {
        match n {
            "order" => s.order = string(x, "SortOptions.order")?,
            _ => {
                if x.is_null() {
                    s.legacy = None;
                    return Ok(());
                }
                let (mut first, mut last) = (Vec::new(), Vec::new());
                object(x, "types.LegacySortOptions", &["orderFirst", "orderLast"], |n, y| {
                    let l = strings(y, &format!("LegacySortOptions.{n}"))?;
                    if n == "orderFirst" {
                        first = l;
                    } else {
                        last = l;
                    }
                    Ok(())
                })?;
                s.legacy = Some((first, last));
            }
        }
        Ok(())
    })?;
    Ok(s)
}

fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Seq(s) => s.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

impl Kustomization {
    /// Decode a kustomization from the value the API-server profile gives, then apply
    /// kustomize's fix-ups (`bases` → `resources`, `imageTags` → `images`, defaulted
    /// `apiVersion`/`kind`) and checks (empty file, kind and apiVersion).
    pub fn from_value(v: &Value) -> Result<Kustomization, String> {
        let mut k = Kustomization::default();
        let mut bases = Vec::new();
        let mut image_tags = Vec::new();
        let mut non_empty = false;
        if !matches!(v, Value::Map(_) | Value::Null) {
            return Err(format!(
                "invalid Kustomization: json: cannot unmarshal {} into Go value of type types.Kustomization",
                go_type(v)
            ));
        }
        object(v, "types.Kustomization", FIELDS, |n, x| {
            let t = format!("Kustomization.{n}");
            if !matches!(n, "apiVersion" | "kind") && !x.is_null() {
                non_empty = true;
            }
            match n {
                "apiVersion" => k.api_version = string(x, &t)?,
                "kind" => k.kind = string(x, &t)?,
                "metadata" => object(
                    x,
                    "types.ObjectMeta",
                    &["name", "namespace", "labels", "annotations"],
                    |n, y| {
                        let t = format!("ObjectMeta.{n}");
                        match n {
                            "name" | "namespace" => string(y, &t).map(drop),
                            _ => string_map(y, &t, &mut IndexMap::new()),
                        }
                    },
                )?,
                "namePrefix" => k.name_prefix = string(x, &t)?,
                "nameSuffix" => k.name_suffix = string(x, &t)?,
                "namespace" => k.namespace = string(x, &t)?,
                "commonLabels" => string_map(x, &t, &mut k.common_labels)?,
                "commonAnnotations" => string_map(x, &t, &mut k.common_annotations)?,
                "labels" => {
                    k.labels = seq(x, &t, "types.Label")?.iter().map(label).collect::<R<_>>()?
                }
                "images" => {
                    k.images = seq(x, &t, "types.Image")?.iter().map(image).collect::<R<_>>()?
                }
                "imageTags" => {
                    image_tags = seq(x, &t, "types.Image")?.iter().map(image).collect::<R<_>>()?
                }
                "replicas" => {
                    k.replicas =
                        seq(x, &t, "types.Replica")?.iter().map(replica).collect::<R<_>>()?
                }
                "sortOptions" => {
                    k.sort_options = if x.is_null() { None } else { Some(sort_options(x)?) }
                }
                "resources" => k.resources = strings(x, &t)?,
                "bases" => bases = strings(x, &t)?,
                "components" => k.components = strings(x, &t)?,
                "buildMetadata" => k.build_metadata = strings(x, &t)?,
                "crds" => k.crds = strings(x, &t)?,
                "helmGlobals" => {}
                "generators" => k.generators = strings(x, &t)?,
                "transformers" => k.transformers = strings(x, &t)?,
                "validators" => k.validators = strings(x, &t)?,
                "generatorOptions" => {
                    crate::generate::decode_options(x, &t, &mut k.generator_options)?
                }
                "configMapGenerator" => {
                    k.config_map_generator = crate::generate::decode_args(x, &t, false)?
                }
                "secretGenerator" => {
                    k.secret_generator = crate::generate::decode_args(x, &t, true)?
                }
                "patches" | "patchesJson6902" | "patchesStrategicMerge" | "openapi" => {
                    k.patch_fields.push((n, x.clone()))
                }
                "replacements" => k.replacements = crate::replacement::parse_entries(x)?,
                "vars" => k.vars = crate::vars::parse(x)?,
                "configurations" => k.configurations = strings(x, &t)?,
                other => {
                    k.unsupported.retain(|(f, _)| *f != other);
                    if !is_empty_value(x) {
                        k.unsupported.push((other, x.clone()));
                    }
                }
            }
            Ok(())
        })
        .map_err(|e| format!("invalid Kustomization: {e}"))?;
        k.resources.extend(bases);
        k.images.extend(image_tags);
        if k.kind.is_empty() {
            k.kind = "Kustomization".into();
        }
        if k.api_version.is_empty() {
            k.api_version = if k.kind == "Component" {
                "kustomize.config.k8s.io/v1alpha1".into()
            } else {
                "kustomize.config.k8s.io/v1beta1".into()
            };
        }
        if !non_empty {
            return Err("kustomization.yaml is empty".into());
        }
        if k.kind != "Kustomization" && k.kind != "Component" {
            return Err("kind should be Kustomization or Component".into());
        }
        let required = if k.kind == "Component" {
            "kustomize.config.k8s.io/v1alpha1"
        } else {
            "kustomize.config.k8s.io/v1beta1"
        };
        if k.api_version != required {
            return Err(format!("apiVersion for {} should be {required}", k.kind));
        }
        Ok(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: Vec<(&str, Value)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    fn strs(v: &[&str]) -> Value {
        Value::Seq(v.iter().map(|s| Value::from(*s)).collect())
    }

    #[test]
    fn decode_ok_table() {
        let k = Kustomization::from_value(&map(vec![
            ("resources", strs(&["a.yaml"])),
            ("bases", strs(&["../base"])),
            ("NAMEPREFIX", "p-".into()),
            ("commonLabels", map(vec![("app", "web".into())])),
            ("commonlabels", map(vec![("tier", "fe".into())])),
            (
                "images",
                Value::Seq(vec![map(vec![("name", "nginx".into()), ("newTag", "1".into())])]),
            ),
            (
                "replicas",
                Value::Seq(vec![map(vec![("name", "web".into()), ("count", Value::Int(3))])]),
            ),
            ("patches", Value::Seq(vec![])),
        ]))
        .unwrap();
        assert_eq!(k.resources, ["a.yaml", "../base"]);
        assert_eq!(k.name_prefix, "p-");
        assert_eq!(k.common_labels.len(), 2, "maps merge across case-variant keys");
        assert_eq!(k.images[0].new_tag, "1");
        assert_eq!(k.replicas[0].count, 3);
        assert!(k.unsupported.is_empty());
        assert_eq!(k.kind, "Kustomization");
        assert_eq!(k.api_version, "kustomize.config.k8s.io/v1beta1");
    }

    #[test]
    fn decode_errors_table() {
        let cases: Vec<(Value, &str)> = vec![
            (
                map(vec![("foo", Value::Int(1))]),
                "invalid Kustomization: json: unknown field \"foo\"",
            ),
            (
                map(vec![("namePrefix", Value::Int(1))]),
                "invalid Kustomization: json: cannot unmarshal number into Go struct field Kustomization.namePrefix of type string",
            ),
            (
                map(vec![("commonLabels", map(vec![("a", Value::Int(1))]))]),
                "invalid Kustomization: json: cannot unmarshal number into Go struct field Kustomization.commonLabels of type string",
            ),
            (
                map(vec![("images", Value::Seq(vec![map(vec![("nam", "x".into())])]))]),
                "invalid Kustomization: json: unknown field \"nam\"",
            ),
            (map(vec![("kind", "Kustomization".into())]), "kustomization.yaml is empty"),
            (
                map(vec![("kind", "Foo".into()), ("resources", strs(&[]))]),
                "kind should be Kustomization or Component",
            ),
            (
                map(vec![("apiVersion", "v1".into()), ("resources", strs(&[]))]),
                "apiVersion for Kustomization should be kustomize.config.k8s.io/v1beta1",
            ),
        ];
        for (v, want) in cases {
            assert_eq!(Kustomization::from_value(&v).unwrap_err(), want);
        }
    }

    #[test]
    fn unsupported_fields_recorded() {
        let k = Kustomization::from_value(&map(vec![
            ("helmCharts", Value::Seq(vec![map(vec![("name", "x".into())])])),
            ("helmGlobals", map(vec![("chartHome", "c".into())])),
            ("components", strs(&["c"])),
        ]))
        .unwrap();
        assert_eq!(k.unsupported.len(), 1);
        assert_eq!(k.unsupported[0].0, "helmCharts");
        assert_eq!(k.components, ["c"]);
    }
}
