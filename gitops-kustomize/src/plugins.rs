//! Builtin plugin configs listed under `generators:` and `transformers:`.
//!
//! Each entry is an inline YAML document or a file/directory read like a `resources`
//! entry; every object it yields is the config of one builtin plugin (`apiVersion:
//! builtin`). A config is decoded leniently (unknown fields ignored, as
//! `sigs.k8s.io/yaml.Unmarshal` does) and handed to the same code the kustomization fields
//! use, with the config's own `fieldSpecs`. Non-builtin plugins are disabled, as in
//! `kustomize build` without `--enable-alpha-plugins`.

use gitops_core::resource::{Resource, ResourceList};
use gitops_core::yaml::{Mapping, Value};
use indexmap::IndexMap;

use crate::fieldspecs::FieldSpec;
use crate::kustomization::{FieldSpecArg, ImageArg, Kustomization, ReplicaArg};
use crate::loader::Loader;
use crate::transform;

type R<T> = Result<T, String>;

/// The builtin generators.
const GENERATORS: &[&str] = &["ConfigMapGenerator", "SecretGenerator", "IAMPolicyGenerator"];

/// The builtin transformers this build implements.
const TRANSFORMERS: &[&str] = &[
    "AnnotationsTransformer",
    "HashTransformer",
    "ValueAddTransformer",
    "ImageTagTransformer",
    "LabelTransformer",
    "NamespaceTransformer",
    "PatchJson6902Transformer",
    "PatchStrategicMergeTransformer",
    "PatchTransformer",
    "PrefixSuffixTransformer",
    "PrefixTransformer",
    "SuffixTransformer",
    "ReplacementTransformer",
    "ReplicaCountTransformer",
];

/// Builtin plugins kustomize has but this build does not implement.
const NOT_IMPLEMENTED: &[&str] = &["HelmChartInflationGenerator"];

/// The resource id as kustomize prints it in plugin errors.
fn org_id(r: &Resource) -> String {
    r.id().to_string()
}

/// Check that `r` is a builtin plugin of the wanted sort; return its kind.
fn plugin_kind(r: &Resource, generator: bool) -> R<&str> {
    let kind = r.kind();
    if !(r.group().is_empty() && r.version() == "builtin") {
        return Err(format!("external plugins disabled; unable to load external plugin '{kind}'"));
    }
    let (is_gen, is_tr) = (GENERATORS.contains(&kind), TRANSFORMERS.contains(&kind));
    if NOT_IMPLEMENTED.contains(&kind) {
        return Err(format!("builtin plugin {kind} is not supported yet"));
    }
    if !is_gen && !is_tr {
        return Err(format!("unable to load builtin {}", r.id().gvk));
    }
    match (generator, is_gen) {
        (true, false) => Err(format!("plugin {} not a generator", org_id(r))),
        (false, true) => Err(format!("plugin {} not a transformer", org_id(r))),
        _ => Ok(kind),
    }
}

fn str_of(v: Option<&Value>, field: &str) -> R<String> {
    match v {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!(
            "json: cannot unmarshal {} into Go struct field {field} of type string",
            crate::kustomization::go_type(other)
        )),
    }
}

fn bool_of(v: Option<&Value>, field: &str) -> R<bool> {
    match v {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(format!(
            "json: cannot unmarshal {} into Go struct field {field} of type bool",
            crate::kustomization::go_type(other)
        )),
    }
}

fn string_map(v: Option<&Value>, field: &str) -> R<IndexMap<String, String>> {
    let mut out = IndexMap::new();
    match v {
        None | Some(Value::Null) => {}
        Some(Value::Map(m)) => {
            for (k, x) in m {
                out.insert(k.clone(), str_of(Some(x), field)?);
            }
        }
        Some(other) => {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field {field} of type map[string]string",
                crate::kustomization::go_type(other)
            ));
        }
    }
    Ok(out)
}

/// `fieldSpecs` (`None` when absent or null).
fn field_specs(cfg: &Value) -> R<Option<Vec<FieldSpecArg>>> {
    let items = match cfg.get("fieldSpecs") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Seq(s)) => s,
        Some(other) => {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field fieldSpecs of type []types.FieldSpec",
                crate::kustomization::go_type(other)
            ));
        }
    };
    items
        .iter()
        .map(|f| {
            Ok(FieldSpecArg {
                group: str_of(f.get("group"), "FieldSpec.group")?,
                version: str_of(f.get("version"), "FieldSpec.version")?,
                kind: str_of(f.get("kind"), "FieldSpec.kind")?,
                path: str_of(f.get("path"), "FieldSpec.path")?,
                create: bool_of(f.get("create"), "FieldSpec.create")?,
            })
        })
        .collect::<R<Vec<_>>>()
        .map(Some)
}

fn borrow_specs(specs: &[FieldSpecArg]) -> Vec<FieldSpec<'_>> {
    specs
        .iter()
        .map(|f| FieldSpec {
            group: &f.group,
            version: &f.version,
            kind: &f.kind,
            path: &f.path,
            create: f.create,
        })
        .collect()
}

/// A copy of `cfg` holding only `keys`.
fn only(cfg: &Value, keys: &[&str]) -> Value {
    let mut m = Mapping::new();
    for k in keys {
        if let Some(v) = cfg.get(k) {
            m.insert((*k).to_owned(), v.clone());
        }
    }
    Value::Map(m)
}

/// Run the generator configs in order, adding their objects to `list`. With origins
/// tracked (`origin`: the kustomization file's origin path), each generated object is
/// marked as configured in the config's file (or the kustomization, for inline configs)
/// by that config.
pub(crate) fn run_generators(
    configs: &ResourceList,
    ldr: &Loader<'_>,
    list: &mut ResourceList,
    origin: Option<&str>,
) -> R<()> {
    for r in configs.iter() {
        let kind = plugin_kind(r, true)?;
        let cfg = r.value();
        if kind == "IAMPolicyGenerator" {
            let before = origin.map(|_| crate::metadata::snapshot(list));
            for obj in iam_policy_objects(cfg)? {
                crate::generate::absorb(list, obj, "")?;
            }
            if let (Some(o), Some(before)) = (origin, before) {
                let configured_in = crate::metadata::file_origin(r).unwrap_or_else(|| o.to_owned());
                let by = crate::metadata::ConfiguredBy {
                    api_version: r.api_version(),
                    kind: r.kind(),
                    name: r.name(),
                    namespace: r.namespace(),
                };
                crate::metadata::set_generator_origins(list, &before, &configured_in, Some(&by))?;
            }
            continue;
        }
        let secret = kind == "SecretGenerator";
        let mut keys =
            vec!["namespace", "name", "behavior", "literals", "files", "envs", "env", "options"];
        if secret {
            keys.push("type");
        }
        let args_v = Value::Seq(vec![only(cfg, &keys)]);
        let mut args = crate::generate::decode_args(&args_v, "plugin", secret)
            .map_err(|e| format!("plugin {} fails configuration: {e}", org_id(r)))?;
        for a in &mut args {
            if a.name.is_empty() {
                a.name = r.name().to_owned();
            }
            if a.namespace.is_empty() {
                a.namespace = r.namespace().to_owned();
            }
        }
        let mut k = Kustomization::default();
        if secret {
            k.secret_generator = args;
        } else {
            k.config_map_generator = args;
        }
        let before = origin.map(|_| crate::metadata::snapshot(list));
        crate::generate::run(&k, ldr, list)?;
        if let (Some(o), Some(before)) = (origin, before) {
            let configured_in = crate::metadata::file_origin(r).unwrap_or_else(|| o.to_owned());
            let by = crate::metadata::ConfiguredBy {
                api_version: r.api_version(),
                kind: r.kind(),
                name: r.name(),
                namespace: r.namespace(),
            };
            crate::metadata::set_generator_origins(list, &before, &configured_in, Some(&by))?;
        }
    }
    Ok(())
}

/// The IAMPolicyGenerator: for `cloud: gke`, a ServiceAccount bound to a Google service
/// account. As in kustomize, the names are written into YAML text unquoted and read back,
/// so they take YAML's typing.
fn iam_policy_objects(cfg: &Value) -> R<Vec<Value>> {
    let part = |field: &str, key: &str, go_field: &str| -> R<String> {
        match cfg.get(field) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(m @ Value::Map(_)) => str_of(m.get(key), go_field),
            Some(other) => Err(format!(
                "json: cannot unmarshal {} into Go struct field IAMPolicyGeneratorArgs.{field} of type types.{}",
                crate::kustomization::go_type(other),
                if field == "serviceAccount" { "ServiceAccount" } else { "KubernetesService" }
            )),
        }
    };
    let cloud = str_of(cfg.get("cloud"), "IAMPolicyGeneratorArgs.cloud")?;
    let k8s_name = part("kubernetesService", "name", "KubernetesService.kubernetesService.name")?;
    let k8s_ns =
        part("kubernetesService", "namespace", "KubernetesService.kubernetesService.namespace")?;
    let gsa = part("serviceAccount", "name", "ServiceAccount.serviceAccount.name")?;
    let project = part("serviceAccount", "projectId", "ServiceAccount.serviceAccount.projectId")?;
    if cloud != "gke" {
        return Err(format!("cloud provider {cloud} not supported yet"));
    }
    let mut text = format!(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    iam.gke.io/gcp-service-account: {gsa}@{project}.iam.gserviceaccount.com\n  name: {k8s_name}\n"
    );
    if !k8s_ns.is_empty() {
        text.push_str(&format!("\n  namespace: {k8s_ns}"));
    }
    let objs = crate::build::objects_from_text("IAMPolicyGenerator", &text)?;
    Ok(objs.into_iter().map(Resource::into_value).collect())
}

/// One `targets` entry of a ValueAddTransformer.
struct ValueAddTarget {
    selector: Option<crate::patch::target::Selector>,
    field_path: String,
    file_path_position: i64,
}

fn value_add_targets(v: Option<&Value>) -> R<Vec<ValueAddTarget>> {
    let items = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Seq(s)) => s,
        Some(other) => {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field .targets of type []builtins.Target",
                crate::kustomization::go_type(other)
            ));
        }
    };
    let mut out = Vec::new();
    for t in items {
        let selector = match t.get("selector") {
            None | Some(Value::Null) => None,
            Some(s) => Some(crate::patch::target::Selector::new(s)?),
        };
        let file_path_position = match t.get("filePathPosition") {
            None | Some(Value::Null) => 0,
            Some(Value::Int(i)) => *i,
            Some(other) => {
                return Err(format!(
                    "json: cannot unmarshal {} into Go struct field Target.targets.filePathPosition of type int",
                    crate::kustomization::go_type(other)
                ));
            }
        };
        out.push(ValueAddTarget {
            selector,
            field_path: str_of(t.get("fieldPath"), "Target.targets.fieldPath")?,
            file_path_position,
        });
    }
    Ok(out)
}

/// kyaml's `filesys.InsertPathPart`: `part` inserted as the `pos`-th `/`-separated part of
/// `path` (a leading `/` does not count).
fn insert_path_part(path: &str, pos: usize, part: &str) -> String {
    if part.is_empty() {
        return path.to_owned();
    }
    let mut parts: Vec<&str> = if path.is_empty() { Vec::new() } else { path.split('/').collect() };
    let mut pos = pos.min(parts.len());
    if parts.first() == Some(&"") && pos < parts.len() {
        pos += 1;
    }
    parts.insert(pos, part);
    // Go's `filepath.Join`: cleaned, absolute when the first part is empty.
    match parts.split_first() {
        Some((&"", rest)) => format!("/{}", crate::metadata::join("", &rest.join("/"))),
        _ => crate::metadata::join("", &parts.join("/")),
    }
}

/// The ValueAddTransformer: write `value` (default: the kustomization directory's name)
/// at each target's field path, creating maps on the way; `metadata/namespace` runs the
/// namespace transformer instead.
fn value_add(cfg: &Value, ldr: &Loader<'_>, list: &mut ResourceList) -> R<()> {
    let mut value = str_of(cfg.get("value"), "value")?.trim().to_owned();
    if value.is_empty() {
        value = ldr.root().file_name().and_then(|n| n.to_str()).unwrap_or("/").to_owned();
    }
    let mut targets = value_add_targets(cfg.get("targets"))?;
    let file = str_of(cfg.get("targetFilePath"), "targetFilePath")?;
    if !file.is_empty() {
        let bytes = ldr.load(&file).map_err(|e| e.to_string())?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{file}: not valid UTF-8"))?;
        let doc = gitops_core::yaml::parse_values(
            &text,
            gitops_core::yaml::Profile::ApiServer,
            &gitops_core::yaml::Limits::default(),
        )
        .map_err(|e| e.to_string())?
        .into_iter()
        .next()
        .unwrap_or_default();
        targets.extend(value_add_targets(doc.get("targets"))?);
    }
    if targets.is_empty() {
        return Err(format!("{CONFIG_ERR}must specify at least one target"));
    }
    for t in &targets {
        if t.field_path.is_empty() {
            return Err(format!("{CONFIG_ERR}fieldPath cannot be empty"));
        }
        if t.file_path_position < 0 {
            return Err(format!(
                "{CONFIG_ERR}value of FilePathPosition ({}) cannot be negative",
                t.file_path_position
            ));
        }
    }
    for t in &targets {
        if t.field_path == "metadata/namespace" {
            let settings = transform::namespace::Settings {
                ns: &value,
                specs: &[],
                unset_only: false,
                subjects: transform::namespace::Subjects::DefaultOnly,
            };
            let mut selected = ResourceList::new();
            let mut rest = Vec::new();
            for r in list.iter() {
                if t.selector.as_ref().is_none_or(|s| s.matches(r)) {
                    selected.push(r.clone()).map_err(|e| e.to_string())?;
                    rest.push(true);
                } else {
                    rest.push(false);
                }
            }
            transform::namespace::run_with(&settings, &mut selected)?;
            let mut done = selected.into_vec().into_iter();
            let mut i = 0;
            list.update(|r| -> R<()> {
                if rest.get(i).copied().unwrap_or(false)
                    && let Some(n) = done.next()
                {
                    *r = n;
                }
                i += 1;
                Ok(())
            })?;
            continue;
        }
        let fields = crate::transform::split_path(&t.field_path);
        list.update(|r| -> R<()> {
            if !t.selector.as_ref().is_none_or(|s| s.matches(r)) {
                return Ok(());
            }
            let mut result = Ok(());
            r.edit(|obj| {
                let mut node = obj;
                for f in &fields {
                    if node.is_null() {
                        *node = Value::Map(Mapping::new());
                    }
                    let kind = node.kind_name();
                    let Some(m) = node.as_map_mut() else {
                        result =
                            Err(format!("wrong node kind: expected MappingNode but got {kind}"));
                        return;
                    };
                    node = m.entry(f.clone()).or_insert(Value::Null);
                }
                let old = match &*node {
                    Value::Map(_) | Value::Seq(_) => {
                        result = Err(format!(
                            "wrong node kind: expected ScalarNode but got {}",
                            node.kind_name()
                        ));
                        return;
                    }
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => gitops_core::resource::scalar_text(other),
                };
                let new = match usize::try_from(t.file_path_position) {
                    Ok(p) if p > 0 => insert_path_part(&old, p - 1, &value),
                    _ => value.clone(),
                };
                *node = Value::String(new);
            });
            result
        })?;
    }
    Ok(())
}

/// A plugin's error as kustomize words it: configuration errors as `plugin <id> fails
/// configuration: …`.
fn plugin_error(r: &Resource, kind: &str, e: &str) -> String {
    match e.strip_prefix(CONFIG_ERR) {
        Some(rest) => format!("plugin {} fails configuration: {rest}", org_id(r)),
        None => format!("plugin {} ({kind}): {e}", org_id(r)),
    }
}

/// Marks an error found while configuring a plugin (see [`plugin_error`]).
const CONFIG_ERR: &str = "\u{0}config: ";

/// The label a validator may add.
const VALIDATED_BY: &str = "validated-by";

/// A resource's object without the `validated-by` label (an emptied `labels` dropped).
fn without_validated_by(r: &Resource) -> Value {
    let mut v = r.value().clone();
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_map_mut)
        && let Some(labels) = meta.get_mut("labels").and_then(Value::as_map_mut)
        && labels.shift_remove(VALIDATED_BY).is_some()
        && labels.is_empty()
    {
        meta.shift_remove("labels");
    }
    v
}

/// Run the validator configs (builtin transformers) on `list`: each may add the
/// `validated-by` label and must change nothing else.
pub(crate) fn run_validators(
    configs: &ResourceList,
    ldr: &Loader<'_>,
    list: &mut ResourceList,
) -> R<()> {
    for r in configs.iter() {
        let kind = plugin_kind(r, false)?;
        let before: Vec<(String, Value, Vec<_>)> = list
            .iter()
            .map(|x| (x.id().to_string(), x.value().clone(), x.prev_ids().collect()))
            .collect();
        run_transformer(kind, r, ldr, list).map_err(|e| plugin_error(r, kind, &e))?;
        let after: Vec<(String, Value, Vec<_>)> = list
            .iter()
            .map(|x| (x.id().to_string(), without_validated_by(x), x.prev_ids().collect()))
            .collect();
        if before.len() != after.len() {
            return Err(format!(
                "validator shouldn't modify the resource map: expected {} resources, found {}",
                before.len(),
                after.len()
            ));
        }
        for ((id, old, old_prev), (_, new, new_prev)) in before.iter().zip(&after) {
            if old != new || old_prev != new_prev {
                return Err(format!(
                    "validator shouldn't modify the resource map: nodes unequal: {id}"
                ));
            }
        }
    }
    Ok(())
}

/// Run the transformer configs in order on `list`.
pub(crate) fn run_transformers(
    configs: &ResourceList,
    ldr: &Loader<'_>,
    list: &mut ResourceList,
    origin: Option<&str>,
) -> R<()> {
    for r in configs.iter() {
        let kind = plugin_kind(r, false)?;
        run_transformer(kind, r, ldr, list).map_err(|e| plugin_error(r, kind, &e))?;
        if let Some(o) = origin {
            // With origins tracked, an inline config's origin is the kustomization file.
            let configured_in = crate::metadata::file_origin(r).unwrap_or_else(|| o.to_owned());
            let by = crate::metadata::ConfiguredBy {
                api_version: r.api_version(),
                kind: r.kind(),
                name: r.name(),
                namespace: r.namespace(),
            };
            crate::metadata::add_transformation(list, &configured_in, &by)?;
        }
    }
    Ok(())
}

fn require_specs(cfg: &Value) -> R<Vec<FieldSpecArg>> {
    field_specs(cfg)?.ok_or_else(|| "fieldSpecs is not expected to be nil".to_owned())
}

fn run_transformer(kind: &str, r: &Resource, ldr: &Loader<'_>, list: &mut ResourceList) -> R<()> {
    let cfg = r.value();
    match kind {
        "NamespaceTransformer" => {
            let specs = field_specs(cfg)?.unwrap_or_default();
            let specs = borrow_specs(&specs);
            let subjects = match str_of(
                cfg.get("setRoleBindingSubjects"),
                "setRoleBindingSubjects",
            )?
            .as_str()
            {
                "" | "defaultOnly" => transform::namespace::Subjects::DefaultOnly,
                "allServiceAccounts" => transform::namespace::Subjects::AllServiceAccounts,
                "none" => transform::namespace::Subjects::None,
                other => {
                    return Err(format!(
                        "invalid value \"{other}\" for setRoleBindingSubjects: must be one of \"defaultOnly\", \"none\" or \"allServiceAccounts\""
                    ));
                }
            };
            let settings = transform::namespace::Settings {
                ns: r.namespace(),
                specs: &specs,
                unset_only: bool_of(cfg.get("unsetOnly"), "unsetOnly")?,
                subjects,
            };
            transform::namespace::run_with(&settings, list)
        }
        "PrefixTransformer" | "SuffixTransformer" | "PrefixSuffixTransformer" => {
            let prefix = str_of(cfg.get("prefix"), "prefix")?;
            let suffix = str_of(cfg.get("suffix"), "suffix")?;
            let specs = require_specs(cfg)?;
            let specs = borrow_specs(&specs);
            if kind != "SuffixTransformer" {
                transform::name::rename_with(list, &prefix, "", &specs)?;
            }
            if kind != "PrefixTransformer" {
                transform::name::rename_with(list, "", &suffix, &specs)?;
            }
            Ok(())
        }
        "LabelTransformer" | "AnnotationsTransformer" => {
            let key = if kind == "LabelTransformer" { "labels" } else { "annotations" };
            let pairs = string_map(cfg.get(key), key)?;
            let specs = field_specs(cfg)?.unwrap_or_default();
            transform::labels::set_all(list, &pairs, &borrow_specs(&specs))
        }
        "ReplicaCountTransformer" => {
            let rep = cfg.get("replica");
            let count = match rep.and_then(|x| x.get("count")) {
                None | Some(Value::Null) => 0,
                Some(Value::Int(i)) => *i,
                Some(other) => {
                    return Err(format!(
                        "json: cannot unmarshal {} into Go struct field Replica.replica.count of type int64",
                        crate::kustomization::go_type(other)
                    ));
                }
            };
            let arg = ReplicaArg {
                name: str_of(rep.and_then(|x| x.get("name")), "Replica.name")?,
                count,
            };
            let specs = field_specs(cfg)?.unwrap_or_default();
            transform::replicas::run_one(&arg, &borrow_specs(&specs), list)
        }
        "ImageTagTransformer" => {
            let it = cfg.get("imageTag");
            let s = |k: &str| str_of(it.and_then(|x| x.get(k)), &format!("Image.{k}"));
            let arg = ImageArg {
                name: s("name")?,
                new_name: s("newName")?,
                new_tag: s("newTag")?,
                digest: s("digest")?,
                tag_suffix: s("tagSuffix")?,
            };
            let specs = field_specs(cfg)?.unwrap_or_default();
            transform::images::run_one(&arg, &borrow_specs(&specs), list)
        }
        "HashTransformer" => crate::generate::hash_suffixes(list),
        "ValueAddTransformer" => value_add(cfg, ldr, list),
        "PatchTransformer" => {
            let entry = only(cfg, &["path", "patch", "target", "options"]);
            let path = str_of(cfg.get("path"), "path")?;
            let patch = str_of(cfg.get("patch"), "patch")?;
            match (path.is_empty(), patch.is_empty()) {
                (true, true) => return Err("must specify one of patch and path in".into()),
                (false, false) => return Err("patch and path can't be set at the same time".into()),
                _ => {}
            }
            run_patches(("patches", Value::Seq(vec![entry])), ldr, list)
        }
        "PatchStrategicMergeTransformer" => {
            let mut entries: Vec<Value> = match cfg.get("paths") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Seq(s)) => s.clone(),
                Some(_) => return Err("paths: expected a list of strings".into()),
            };
            let patches = str_of(cfg.get("patches"), "patches")?;
            if entries.is_empty() && patches.is_empty() {
                return Err("empty file path and empty patch content".into());
            }
            if !patches.is_empty() {
                entries.push(Value::String(patches));
            }
            run_patches(("patchesStrategicMerge", Value::Seq(entries)), ldr, list)
        }
        "PatchJson6902Transformer" => {
            let mut entry = only(cfg, &["target", "path"]);
            if let (Some(op), Some(m)) = (cfg.get("jsonOp"), entry.as_map_mut()) {
                m.insert("patch".into(), op.clone());
            }
            run_patches(("patchesJson6902", Value::Seq(vec![entry])), ldr, list)
        }
        "ReplacementTransformer" => {
            let entries = match cfg.get("replacements") {
                None | Some(Value::Null) => Vec::new(),
                Some(v) => crate::replacement::parse_entries(v)?,
            };
            let mut k = Kustomization { replacements: entries, ..Default::default() };
            crate::replacement::load_files(&mut k, ldr)?;
            crate::replacement::run(&k, list)
        }
        other => Err(format!("unable to load builtin {other}")),
    }
}

/// Run one patch field through the kustomization patch code.
fn run_patches(field: (&'static str, Value), ldr: &Loader<'_>, list: &mut ResourceList) -> R<()> {
    let k = Kustomization { patch_fields: vec![field], ..Default::default() };
    let prepared = crate::patch::prepare(&k, ldr)?;
    prepared.run_early(list)?;
    prepared.run_json6902(list)
}

#[cfg(test)]
mod tests {
    use crate::{MemFs, Options, build, to_yaml};
    use std::path::Path;

    const SA: &str = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n";

    fn run(validator: &str, extra: &str) -> Result<String, String> {
        let mut fs = MemFs::new();
        fs.add_file("/app/sa.yaml", SA);
        let k = format!(
            "{extra}resources:\n- sa.yaml\nvalidators:\n- |-\n  apiVersion: builtin\n  metadata:\n    name: v\n    namespace: ops\n{validator}"
        );
        fs.add_file("/app/kustomization.yaml", k);
        build(&fs, Path::new("/app"), &Options::default())
            .map_err(|e| e.to_string())
            .and_then(|l| to_yaml(&l).map_err(|e| e.to_string()))
    }

    #[test]
    fn validators_table() {
        let label = |k: &str| {
            format!(
                "  kind: LabelTransformer\n  labels:\n    {k}: x\n  fieldSpecs:\n  - path: metadata/labels\n    create: true\n"
            )
        };
        let ns = "  kind: NamespaceTransformer\n  fieldSpecs:\n  - path: metadata/namespace\n    create: true\n";
        let cases: [(String, &str, Result<&str, &str>); 4] = [
            // the validated-by label is the one change allowed, and it stays
            (
                label("validated-by"),
                "",
                Ok(
                    "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  labels:\n    validated-by: x\n  name: runner\n",
                ),
            ),
            (label("team"), "", Err("validator shouldn't modify the resource map: nodes unequal")),
            // an unchanged namespace still records a previous id: a change to kustomize
            (ns.to_owned(), "namespace: ops\n", Err("validator shouldn't modify the resource map")),
            ("  kind: ConfigMapGenerator\n".to_owned(), "", Err("not a transformer")),
        ];
        for (validator, extra, want) in cases {
            let got = run(&validator, extra);
            match (want, &got) {
                (Ok(w), Ok(g)) => assert_eq!(g, w, "{validator}"),
                (Err(w), Err(g)) => assert!(g.contains(w), "{validator}: {g}"),
                _ => panic!("{validator}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn insert_path_part_table() {
        let cases = [
            ("", 0, "v", "v"),
            ("/a/b", 0, "v", "/v/a/b"),
            ("/a/b", 1, "v", "/a/v/b"),
            ("a/b", 9, "v", "a/b/v"),
            ("a//b/", 1, "v", "a/v/b"),
            ("a/b", 1, "", "a/b"),
        ];
        for (path, pos, part, want) in cases {
            assert_eq!(super::insert_path_part(path, pos, part), want, "{path} {pos}");
        }
    }
}
