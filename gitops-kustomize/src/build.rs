//! The build pipeline: accumulate resources, run the transformers in kustomize's order,
//! drop local-config objects, sort.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gitops_core::resource::{LegacyOrder, Resource, ResourceList, SourceText, scalar_text};
use gitops_core::yaml::{Limits, Node, NodeKind, Profile, Value, parse_values};

use crate::error::Error;
use crate::kustomization::Kustomization;
use crate::loader::{LoadError, Loader};
use crate::transform;
use crate::{Options, Reorder};

/// A builtin transformer: its kustomization field and the function that runs it.
type Transformer = (&'static str, fn(&Kustomization, &mut ResourceList) -> Result<(), String>);

/// The builtin transformers, in kustomize's fixed order (`kusttarget_configplugin.go`):
/// patches (`patch::run`, called just before this list, as it needs the loader) →
/// namespace → prefix → suffix → labels → annotations → replicas → images → replacements.
pub const TRANSFORMERS: &[Transformer] = &[
    ("namespace", transform::namespace::run),
    ("namePrefix", transform::name::prefix),
    ("nameSuffix", transform::name::suffix),
    ("labels", transform::labels::labels),
    ("commonAnnotations", transform::labels::annotations),
    ("replicas", transform::replicas::run),
    ("images", transform::images::run),
    ("replacements", crate::replacement::run),
];

/// How deep kustomization roots (bases and components) may nest.
const MAX_DEPTH: usize = 64;

const LOCAL_CONFIG: &str = "config.kubernetes.io/local-config";

fn root_err(dir: &Path) -> impl Fn(LoadError) -> Error + '_ {
    move |e| Error::Root { dir: dir.to_path_buf(), message: e.to_string() }
}

/// The value node of `key` in a mapping node (first match).
fn node_field<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.kind {
        NodeKind::Mapping { entries, .. } => {
            entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v)
        }
        _ => None,
    }
}

/// Bring an object read from a file to what kyaml holds: annotation values are the scalar
/// texts as written (kustomize reads and rewrites annotations as strings), and a name that
/// is not a string keeps its source text.
fn from_source(node: Option<&Node>, mut obj: Value) -> Resource {
    let meta = node.and_then(|n| node_field(n, "metadata"));
    let name_node = meta.and_then(|m| node_field(m, "name"));
    let raw_name = match obj.get_path(&["metadata", "name"]) {
        Some(Value::Bool(_) | Value::Int(_) | Value::Uint(_) | Value::Float(_)) => {
            name_node.and_then(Node::as_str).map(str::to_owned)
        }
        _ => None,
    };
    let ann_node = meta.and_then(|m| node_field(m, "annotations"));
    if let Some(Value::Map(anns)) = obj.get_mut("metadata").and_then(|m| m.get_mut("annotations")) {
        for (key, value) in anns.iter_mut() {
            if matches!(value, Value::String(_)) {
                continue;
            }
            let raw = ann_node.and_then(|n| node_field(n, key)).and_then(Node::as_str);
            *value = Value::String(match (raw, &*value) {
                (Some(text), Value::Bool(_) | Value::Int(_) | Value::Uint(_) | Value::Float(_))
                | (Some(text), Value::Null) => text.to_owned(),
                _ => scalar_text(value),
            });
        }
    }
    Resource::with_raw_name(obj, raw_name)
}

/// Split one resource file into objects: empty documents skipped, `*List` items appended
/// after the file's other documents.
///
/// Each object keeps the text of its document ([`Resource::source`]; for an item of a
/// `*List`, with its index).
pub(crate) fn objects_from_text(file: &str, text: &str) -> Result<Vec<Resource>, String> {
    let (normalised, ranged) = crate::reader::read_ranged(file, text).map_err(|e| e.to_string())?;
    let shared: Arc<str> = Arc::from(normalised.as_ref());
    let (docs, values): (Vec<_>, Vec<_>) =
        ranged.into_iter().map(|(doc, value, range)| (doc, (value, range))).unzip();
    let mut queue: VecDeque<(Option<&Node>, Value, Option<SourceText>)> = docs
        .iter()
        .zip(values)
        .map(|(doc, (value, range))| {
            let source = SourceText::new(Arc::clone(&shared), range);
            (doc.as_ref().and_then(|d| d.root.as_ref()), value, Some(source))
        })
        .collect();
    let mut out = Vec::new();
    while let Some((node, doc, source)) = queue.pop_front() {
        let m = match &doc {
            Value::Null => continue,
            Value::Map(m) if m.is_empty() => continue,
            Value::Map(m) => m,
            other => return Err(format!("expected a mapping, got a {}", other.kind_name())),
        };
        let kind = m.get("kind").and_then(Value::as_str).unwrap_or("").to_owned();
        if let (true, Some(items)) = (kind.ends_with("List"), m.get("items")) {
            let item_nodes = match node.and_then(|n| node_field(n, "items")).map(|n| &n.kind) {
                Some(NodeKind::Sequence { items, .. }) => items.as_slice(),
                _ => &[],
            };
            match items {
                Value::Seq(items) => queue.extend(items.iter().enumerate().map(|(i, v)| {
                    // Items of a top-level `*List` keep the document (nested lists do not).
                    let item_source = source
                        .as_ref()
                        .filter(|s| s.item().is_none())
                        .map(|s| s.clone().list_item(i));
                    (item_nodes.get(i), v.clone(), item_source)
                })),
                Value::Null => {}
                _ => return Err(format!("{kind}: items is not a list")),
            }
            continue;
        }
        if kind.is_empty() {
            return Err("missing kind in object".into());
        }
        let mut r = from_source(node, doc);
        if let Some(source) = source {
            r = r.with_source(source);
        }
        if r.name().is_empty() {
            return Err(format!("missing metadata.name in object of kind {kind}"));
        }
        out.push(r);
    }
    Ok(out)
}

/// Read and decode the kustomization file of a root.
fn load_kustomization(ldr: &Loader<'_>) -> Result<(Kustomization, PathBuf), Error> {
    let (file, bytes) = ldr.kustomization_file().map_err(root_err(ldr.root()))?;
    let kerr = |message: String| Error::Kustomization { file: file.clone(), message };
    let text = String::from_utf8(bytes).map_err(|_| kerr("not valid UTF-8".into()))?;
    let docs = parse_values(&text, Profile::ApiServer, &Limits::default())
        .map_err(|e| kerr(format!("invalid Kustomization: {e}")))?;
    let k = Kustomization::from_value(docs.first().unwrap_or(&Value::Null)).map_err(kerr)?;
    Ok((k, file))
}

/// kustomize's `accumulateResources`: each entry is a file of objects or a kustomization
/// directory built on its own and appended.
#[allow(clippy::too_many_arguments)]
fn accumulate_resources(
    ldr: &Loader<'_>,
    file: &Path,
    field: &'static str,
    entries: &[String],
    list: &mut ResourceList,
    acc: &mut crate::vars::Acc,
    crd: &mut crate::crds::CrdConfig,
    depth: usize,
) -> Result<(), Error> {
    let entry_err = |entry: &str, message: String| Error::Entry {
        file: file.to_path_buf(),
        field,
        entry: entry.to_owned(),
        message,
    };
    for entry in entries {
        match ldr.load(entry) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes)
                    .map_err(|_| entry_err(entry, "not valid UTF-8".into()))?;
                for mut r in objects_from_text(entry, &text).map_err(|e| entry_err(entry, e))? {
                    if let Some(o) = &ldr.origin {
                        crate::metadata::set_file_origin(&mut r, &crate::metadata::join(o, entry));
                    }
                    list.push(r).map_err(|e| entry_err(entry, e.to_string()))?;
                }
            }
            Err(_) if crate::remote::is_remote(entry) => {
                let Some(resolver) = ldr.remote.clone() else {
                    return Err(entry_err(entry, crate::remote::unsupported(entry)));
                };
                let local = resolver.resolve(entry).map_err(|e| entry_err(entry, e))?;
                match ldr.load_absolute(&local) {
                    Ok(bytes) => {
                        let text = String::from_utf8(bytes)
                            .map_err(|_| entry_err(entry, "not valid UTF-8".into()))?;
                        for r in objects_from_text(entry, &text).map_err(|e| entry_err(entry, e))? {
                            list.push(r).map_err(|e| entry_err(entry, e.to_string()))?;
                        }
                    }
                    Err(_) => {
                        let child = ldr
                            .remote_child(&local)
                            .map_err(|e| entry_err(entry, e.to_string()))?;
                        let (sub, sub_k, _, sub_acc) = build_root(&child, depth + 1)?;
                        if sub_k.kind == "Component" {
                            return Err(entry_err(
                                entry,
                                format!("expected kind != 'Component' for path '{entry}'"),
                            ));
                        }
                        list.append(sub).map_err(|e| entry_err(entry, e.to_string()))?;
                        acc.merge(sub_acc).map_err(|e| entry_err(entry, e))?;
                        crd.merge(sub_k.crd);
                    }
                }
            }
            Err(file_err) => {
                let is_base = matches!(file_err, LoadError::NotAFile(_))
                    || Path::new(entry).is_absolute() && ldr.is_dir(entry.trim_start_matches('/'))
                    || ldr.is_dir(entry);
                if !is_base && !Path::new(entry).is_absolute() {
                    return Err(entry_err(entry, file_err.to_string()));
                }
                let child = ldr.child(entry).map_err(|e| entry_err(entry, e.to_string()))?;
                // A base that cannot be opened (no kustomization file) is this entry's fault.
                let (sub, sub_k, _, sub_acc) =
                    build_root(&child, depth + 1).map_err(|e| match e {
                        Error::Root { .. } => entry_err(entry, e.to_string()),
                        e => e,
                    })?;
                if sub_k.kind == "Component" {
                    return Err(entry_err(
                        entry,
                        format!(
                            "expected kind != 'Component' for path '{}'",
                            child.root().display()
                        ),
                    ));
                }
                list.append(sub).map_err(|e| entry_err(entry, e.to_string()))?;
                acc.merge(sub_acc).map_err(|e| entry_err(entry, e))?;
                crd.merge(sub_k.crd);
            }
        }
    }
    Ok(())
}

/// The plugin configs of `generators:` / `transformers:`: inline documents first, then
/// the objects of the file and directory entries.
fn plugin_configs(
    ldr: &Loader<'_>,
    file: &Path,
    field: &'static str,
    entries: &[String],
    depth: usize,
) -> Result<ResourceList, Error> {
    let mut configs = ResourceList::new();
    let mut paths = Vec::new();
    for entry in entries {
        match objects_from_text(field, entry) {
            Ok(objs) => {
                for r in objs {
                    configs.push(r).map_err(|e| Error::Entry {
                        file: file.to_path_buf(),
                        field,
                        entry: entry.clone(),
                        message: e.to_string(),
                    })?;
                }
            }
            Err(_) => paths.push(entry.clone()),
        }
    }
    let mut acc = crate::vars::Acc::default();
    let mut crd = crate::crds::CrdConfig::default();
    accumulate_resources(ldr, file, field, &paths, &mut configs, &mut acc, &mut crd, depth)?;
    Ok(configs)
}

/// Build one kustomization root fully (its own transformers included).
fn build_root(
    ldr: &Loader<'_>,
    depth: usize,
) -> Result<(ResourceList, Kustomization, PathBuf, crate::vars::Acc), Error> {
    let (mut k, file) = load_kustomization(ldr)?;
    let mut list = ResourceList::new();
    let mut acc = crate::vars::Acc::default();
    accumulate(ldr, &mut k, &file, &mut list, &mut acc, depth)?;
    Ok((list, k, file, acc))
}

/// kustomize's `accumulateTarget`: resources, configurations, generators, components,
/// transformers and vars of one root, added to (and applied to) `list`. A component
/// runs this on its parent's list.
fn accumulate(
    ldr: &Loader<'_>,
    k: &mut Kustomization,
    file: &Path,
    list: &mut ResourceList,
    acc: &mut crate::vars::Acc,
    depth: usize,
) -> Result<(), Error> {
    let file = file.to_path_buf();
    if depth > MAX_DEPTH {
        return Err(Error::Kustomization {
            file,
            message: "kustomization roots nested too deeply (a cycle?)".into(),
        });
    }
    let kerr = |message: String| Error::Kustomization { file: file.clone(), message };
    if let Some((field, _)) = k.unsupported.first() {
        if matches!(*field, "helmCharts" | "helmChartInflationGenerator") {
            return Err(kerr("helm charts are not supported yet (see the Helm issue)".into()));
        }
        return Err(Error::Unsupported { file: file.clone(), field: (*field).to_owned() });
    }
    accumulate_resources(ldr, &file, "resources", &k.resources, list, acc, &mut k.crd, depth)?;
    for conf in &k.configurations {
        let text = ldr
            .load(conf)
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|_| "not valid UTF-8".to_owned()))
            .and_then(|t| k.crd.add_configuration(&t).and_then(|()| acc.add_configuration(&t)));
        if let Err(message) = text {
            return Err(kerr(format!("configurations entry '{conf}': {message}")));
        }
    }
    let crds = k.crds.clone();
    k.crd.load(ldr, &crds).map_err(|e| kerr(format!("loading CRDs {crds:?}: {e}")))?;
    crate::replacement::load_files(k, ldr).map_err(|message| Error::Transform {
        file: file.clone(),
        transformer: "replacements",
        message,
    })?;
    let before = match &ldr.origin {
        Some(_) => crate::metadata::snapshot(list),
        None => Vec::new(),
    };
    crate::generate::run(k, ldr, list).map_err(|message| Error::Transform {
        file: file.clone(),
        transformer: "generators",
        message,
    })?;
    if let Some(o) = &ldr.origin {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("kustomization.yaml");
        crate::metadata::set_generator_origins(
            list,
            &before,
            &crate::metadata::join(o, name),
            None,
        )
        .map_err(kerr)?;
    }
    if !k.generators.is_empty() {
        let configs = plugin_configs(ldr, &file, "generators", &k.generators, depth)?;
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("kustomization.yaml");
        let origin = ldr.origin.as_deref().map(|o| crate::metadata::join(o, name));
        crate::plugins::run_generators(&configs, ldr, list, origin.as_deref()).map_err(
            |message| Error::Transform { file: file.clone(), transformer: "generators", message },
        )?;
    }
    for entry in &k.components {
        let comp_err = |message: String| Error::Entry {
            file: file.clone(),
            field: "components",
            entry: entry.clone(),
            message,
        };
        let child = if crate::remote::is_remote(entry) && !ldr.is_dir(entry) {
            let Some(resolver) = ldr.remote.clone() else {
                return Err(comp_err(crate::remote::unsupported(entry)));
            };
            let local = resolver.resolve(entry).map_err(comp_err)?;
            ldr.remote_child(&local).map_err(|e| comp_err(e.to_string()))?
        } else {
            ldr.child(entry).map_err(|e| comp_err(e.to_string()))?
        };
        let (mut sub_k, sub_file) = load_kustomization(&child)?;
        if sub_k.kind != "Component" {
            return Err(comp_err(format!(
                "expected kind 'Component' for path '{}' but got '{}'",
                child.root().display(),
                sub_k.kind
            )));
        }
        sub_k.crd = k.crd.clone();
        accumulate(&child, &mut sub_k, &sub_file, list, acc, depth + 1)?;
        k.crd = sub_k.crd;
    }
    let patch_err =
        |message| Error::Transform { file: file.clone(), transformer: "patches", message };
    let patches = crate::patch::prepare(k, ldr).map_err(patch_err)?;
    patches.run_early(list).map_err(patch_err)?;
    let kust_name = file.file_name().and_then(|n| n.to_str()).unwrap_or("kustomization.yaml");
    let configured_in = ldr.origin.as_deref().map(|o| crate::metadata::join(o, kust_name));
    // kustomize's transformer annotations: after each configured builtin transformer.
    let record = |list: &mut ResourceList, field: &'static str| -> Result<(), Error> {
        let Some(configured_in) = &configured_in else { return Ok(()) };
        for kind in builtin_transformers_of(k, field) {
            let by = crate::metadata::ConfiguredBy {
                api_version: "builtin",
                kind,
                name: "",
                namespace: "",
            };
            crate::metadata::add_transformation(list, configured_in, &by).map_err(|message| {
                Error::Transform { file: file.clone(), transformer: field, message }
            })?;
        }
        Ok(())
    };
    record(list, "patches")?;
    for (name, run) in TRANSFORMERS {
        run(k, list).map_err(|message| Error::Transform {
            file: file.clone(),
            transformer: name,
            message,
        })?;
        record(list, name)?;
        if *name == "commonAnnotations" {
            patches.run_json6902(list).map_err(patch_err)?;
            record(list, "patchesJson6902")?;
        }
    }
    if !k.transformers.is_empty() {
        let configs = plugin_configs(ldr, &file, "transformers", &k.transformers, depth)?;
        crate::plugins::run_transformers(&configs, ldr, list, configured_in.as_deref()).map_err(
            |message| Error::Transform { file: file.clone(), transformer: "transformers", message },
        )?;
    }
    if !k.validators.is_empty() {
        let configs = plugin_configs(ldr, &file, "validators", &k.validators, depth)?;
        crate::plugins::run_validators(&configs, ldr, list).map_err(|message| {
            Error::Transform { file: file.clone(), transformer: "validators", message }
        })?;
    }
    acc.merge_vars(&k.vars, list).map_err(|message| Error::Transform {
        file: file.clone(),
        transformer: "vars",
        message,
    })?;
    Ok(())
}

/// The builtin transformers kustomize configures for one kustomization field (one per
/// entry for the list-valued ones), by plugin kind, in the order they run.
fn builtin_transformers_of(k: &Kustomization, field: &str) -> Vec<&'static str> {
    let patch_count = |name: &str| -> usize {
        k.patch_fields
            .iter()
            .filter(|(f, _)| *f == name)
            .map(|(_, v)| v.as_seq().map_or(0, Vec::len))
            .sum()
    };
    let n = |count: usize, kind: &'static str| vec![kind; count];
    match field {
        "patches" => {
            let mut out = n(
                usize::from(patch_count("patchesStrategicMerge") > 0),
                "PatchStrategicMergeTransformer",
            );
            out.extend(n(patch_count("patches"), "PatchTransformer"));
            out
        }
        "namespace" => n(usize::from(!k.namespace.is_empty()), "NamespaceTransformer"),
        "namePrefix" => n(usize::from(!k.name_prefix.is_empty()), "PrefixTransformer"),
        "nameSuffix" => n(usize::from(!k.name_suffix.is_empty()), "SuffixTransformer"),
        "labels" if k.labels.is_empty() && k.common_labels.is_empty() => Vec::new(),
        "labels" => n(k.labels.len() + 1, "LabelTransformer"),
        "commonAnnotations" => {
            n(usize::from(!k.common_annotations.is_empty()), "AnnotationsTransformer")
        }
        "patchesJson6902" => n(patch_count("patchesJson6902"), "PatchJson6902Transformer"),
        "replicas" => n(k.replicas.len(), "ReplicaCountTransformer"),
        "images" => n(k.images.len(), "ImageTagTransformer"),
        "replacements" => n(usize::from(!k.replacements.is_empty()), "ReplacementTransformer"),
        _ => Vec::new(),
    }
}

/// kustomize's final `RemoveBuildAnnotations`: the annotations are read as strings and
/// written back, so every value becomes a string, keys are sorted, and an empty, null or
/// non-mapping `annotations` field disappears.
fn normalise_annotations(obj: &mut Value) {
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_map_mut) else { return };
    let Some(old) = meta.shift_remove("annotations") else { return };
    let mut anns: Vec<(String, Value)> = match old {
        Value::Map(m) => m
            .into_iter()
            .filter(|(k, _)| !crate::generate::BUILD_ANNOTATIONS.contains(&k.as_str()))
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s,
                    other => scalar_text(&other),
                };
                (k, Value::String(text))
            })
            .collect(),
        _ => return,
    };
    if anns.is_empty() {
        return;
    }
    anns.sort_by(|a, b| a.0.cmp(&b.0));
    meta.insert("annotations".into(), Value::Map(anns.into_iter().collect()));
}

/// Build `dir` as `kustomize build` does.
pub fn build(
    fs: &dyn crate::FileSystem,
    dir: &Path,
    options: &Options,
) -> Result<ResourceList, Error> {
    let mut ldr = Loader::new(fs, dir, options.load_restrictor).map_err(root_err(dir))?;
    ldr.remote = options.remote.clone();
    let (top, _) = load_kustomization(&ldr)?;
    let wants = |opt: &str| top.build_metadata.iter().any(|m| m == opt);
    if wants("originAnnotations") || wants("transformerAnnotations") {
        ldr.origin = Some(String::new());
    }
    let (mut list, k, file, acc) = build_root(&ldr, 0)?;
    crate::generate::hash_suffixes(&mut list).map_err(|message| Error::Transform {
        file: file.clone(),
        transformer: "hash",
        message,
    })?;
    transform::nameref::run(&mut list, &k.crd.name_refs).map_err(|message| Error::Transform {
        file: file.clone(),
        transformer: "nameReference",
        message,
    })?;
    acc.resolve(&mut list).map_err(|message| Error::Transform {
        file: file.clone(),
        transformer: "vars",
        message,
    })?;
    list.retain(|r| r.annotation(LOCAL_CONFIG) != Some("true"));
    if ldr.origin.is_some() {
        for (option, key) in [
            ("originAnnotations", crate::metadata::ORIGIN),
            ("transformerAnnotations", crate::metadata::TRANSFORMATIONS),
        ] {
            if !wants(option) {
                crate::metadata::remove_annotation(&mut list, key)
                    .map_err(|message| Error::Kustomization { file: file.clone(), message })?;
            }
        }
    }
    // Unless both origin and transformer annotations are kept, kustomize rewrites every
    // resource's annotations at the end, so their keys are written plain.
    let rewritten = !(wants("originAnnotations") && wants("transformerAnnotations"));
    list.update(|r| -> Result<(), String> {
        if rewritten {
            let keys = r.annotations().map(|a| a.keys().cloned().collect::<Vec<_>>());
            for key in keys.unwrap_or_default() {
                if let Some(kind) = crate::metadata::retyped_key(&key) {
                    let msg = crate::metadata::retyped_key_error("annotation", &key, kind);
                    return Err(format!("{}: {msg}", r.id()));
                }
            }
        }
        r.edit(normalise_annotations);
        Ok(())
    })
    .map_err(|message| Error::Kustomization { file: file.clone(), message })?;
    let order = match &k.sort_options {
        Some(so) => {
            let bad = |message: String| Error::Kustomization { file: file.clone(), message };
            match so.order.as_str() {
                "legacy" => Some(match &so.legacy {
                    Some((first, last)) => {
                        LegacyOrder { order_first: first.clone(), order_last: last.clone() }
                    }
                    None => LegacyOrder::default(),
                }),
                "fifo" if so.legacy.is_some() => {
                    return Err(bad("the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'".into()));
                }
                "fifo" => None,
                _ => {
                    return Err(bad(
                        "the field 'sortOptions.order' must be one of [fifo, legacy]".into()
                    ));
                }
            }
        }
        None => match options.reorder {
            Reorder::Legacy => Some(LegacyOrder::default()),
            Reorder::None => None,
        },
    };
    if let Some(order) = order {
        list.sort_legacy(&order);
    }
    if wants("managedByLabel") {
        crate::metadata::add_managed_by(&mut list)
            .map_err(|message| Error::Kustomization { file: file.clone(), message })?;
    }
    Ok(list)
}

/// Print resources as `kustomize build` does: each as kustomize's YAML, joined by `---`.
pub fn to_yaml(list: &ResourceList) -> Result<String, Error> {
    let mut out = String::new();
    for (i, r) in list.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        let text = gitops_core::yaml::to_kustomize_yaml(r.value())
            .map_err(|e| Error::Output { resource: r.id().to_string(), message: e.to_string() })?;
        out.push_str(&text);
    }
    Ok(out)
}
