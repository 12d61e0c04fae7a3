//! Flux Operator ResourceSets (`fluxcd.controlplane.io/v1`): combine the input sets
//! (inline `spec.inputs` and `inputsFrom` providers, `Flatten` or `Permute`), render
//! `spec.resources` (each item JSON→YAML, then templated) and `spec.resourcesTemplate`
//! (one multi-document template) for every input set, drop objects annotated
//! `fluxcd.controlplane.io/reconcile: disabled`, and deduplicate, as flux-operator does.
//!
//! | item | what |
//! |---|---|
//! | [`ResourceSet`] | a ResourceSet parsed from a [`Resource`], with its inline inputs |
//! | [`ProvidedInputs`] | inputs of `ResourceSetInputProvider`s, given by the caller or read from `Static` providers |
//! | [`combine_inputs`] | the input sets a ResourceSet renders with, in flux-operator's order |
//! | [`render`] | the objects a ResourceSet generates |
//! | [`template`] | the `<< >>` Go-template engine (`template::render_str`) |
//! | [`normalize_key`] | `Permute`'s provider-name key (`My-App` → `my_app`) |
//!
//! ```
//! use gitops_core::resource::Resource;
//! use gitops_core::resourceset::{ProvidedInputs, ResourceSet, render};
//! use gitops_core::yaml::{Limits, Profile, parse_values};
//! let doc = r#"
//! apiVersion: fluxcd.controlplane.io/v1
//! kind: ResourceSet
//! metadata: {name: apps, namespace: flux-system}
//! spec:
//!   inputs: [{tenant: team1}, {tenant: team2}]
//!   resources:
//!     - apiVersion: v1
//!       kind: Namespace
//!       metadata: {name: "<< inputs.tenant >>"}
//! "#;
//! let obj = Resource::new(parse_values(doc, Profile::ApiServer, &Limits::default()).unwrap().remove(0));
//! let rs = ResourceSet::from_resource(&obj).unwrap();
//! let out = render(&rs, &ProvidedInputs::default()).unwrap();
//! let names: Vec<_> = out.iter().map(|r| r.name()).collect();
//! assert_eq!(names, ["team1", "team2"]);
//! ```

pub mod template;

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use crate::resource::Resource;
use crate::yaml::{Limits, Mapping, Profile, Value, emit, json_roundtrip, parse_values};

pub use template::adler32;

/// The API group of ResourceSets and their input providers.
pub const GROUP: &str = "fluxcd.controlplane.io";
/// The annotation that excludes a generated object when set to `disabled`.
pub const RECONCILE_ANNOTATION: &str = "fluxcd.controlplane.io/reconcile";
/// At most this many permutations (flux-operator's bound).
pub const MAX_PERMUTATIONS: u64 = 10_000;
/// At most this many steps.
pub const MAX_STEPS: usize = 20;

/// Why a ResourceSet could not be read or rendered (flux-operator's texts where it has one).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The object is not a well-formed ResourceSet.
    #[error("ResourceSet '{id}': {message}")]
    Invalid {
        /// `namespace/name`.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A provider named in `inputsFrom` was neither supplied nor found as a `Static` provider.
    #[error(
        "ResourceSet '{id}': inputs of ResourceSetInputProvider '{provider}' are not available offline"
    )]
    ProviderUnavailable {
        /// `namespace/name` of the ResourceSet.
        id: String,
        /// `namespace/name` of the provider.
        provider: String,
    },
    /// Combining the inputs failed (`unknown input strategy: 'X'`, too many permutations).
    #[error("ResourceSet '{id}': {message}")]
    Inputs {
        /// `namespace/name`.
        id: String,
        /// flux-operator's message.
        message: String,
    },
    /// Rendering failed: flux-operator's message around the template error.
    #[error("ResourceSet '{id}': {message}")]
    Build {
        /// `namespace/name`.
        id: String,
        /// e.g. `failed to build resources[0]: failed to execute template: template: ...`.
        message: String,
    },
}

/// A reference in `spec.inputsFrom`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputProviderRef {
    /// `kind` (`ResourceSetInputProvider`).
    pub kind: String,
    /// `name` (empty with a selector).
    pub name: String,
    /// `selector.matchLabels`.
    pub match_labels: BTreeMap<String, String>,
}

/// One entry of `spec.steps`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Step {
    /// `name`.
    pub name: String,
    /// `resources`.
    pub resources: Vec<Value>,
    /// `resourcesTemplate`.
    pub resources_template: String,
}

/// A ResourceSet's rendering-relevant fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceSet {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `spec.inputs` (each a mapping).
    pub inputs: Vec<Value>,
    /// `spec.inputsFrom`.
    pub inputs_from: Vec<InputProviderRef>,
    /// `spec.inputStrategy.name` (`Flatten` when empty).
    pub input_strategy: String,
    /// `spec.inputStrategy.includeEmptyProviders`.
    pub include_empty_providers: bool,
    /// `spec.resources`.
    pub resources: Vec<Value>,
    /// `spec.resourcesTemplate`.
    pub resources_template: String,
    /// `spec.steps`.
    pub steps: Vec<Step>,
}

/// Inputs of `ResourceSetInputProvider`s.
#[derive(Debug, Clone, Default)]
pub struct ProvidedInputs {
    /// Exported input sets by provider `namespace/name` (or bare `name`, matched in the
    /// ResourceSet's namespace), as the provider's `status.exportedInputs` holds them.
    pub inputs: IndexMap<String, Vec<Value>>,
    /// Known `ResourceSetInputProvider` objects: `Static` ones supply their
    /// `defaultValues` as their single input set; `defaultValues` of the others fill
    /// missing keys of the supplied sets; labels serve `inputsFrom` selectors.
    pub providers: Vec<Resource>,
}

fn s_of(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or_default().to_owned()
}

impl ResourceSet {
    /// `namespace/name`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Read a ResourceSet object.
    pub fn from_resource(r: &Resource) -> Result<ResourceSet, Error> {
        let v = r.value();
        let id = format!("{}/{}", r.namespace(), r.name());
        let invalid = |m: &str| Error::Invalid { id: id.clone(), message: m.to_owned() };
        if r.group() != GROUP || r.kind() != "ResourceSet" {
            return Err(invalid("not a fluxcd.controlplane.io ResourceSet"));
        }
        let spec = v.get("spec").cloned().unwrap_or(Value::Null);
        let seq = |k: &str| -> Result<Vec<Value>, Error> {
            match spec.get(k) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Seq(s)) => Ok(s.clone()),
                Some(_) => Err(invalid(&format!("spec.{k} must be a list"))),
            }
        };
        let inputs = seq("inputs")?;
        if inputs.iter().any(|i| !matches!(i, Value::Map(_))) {
            return Err(invalid("spec.inputs entries must be mappings"));
        }
        let mut inputs_from = Vec::new();
        for p in seq("inputsFrom")? {
            let match_labels = p
                .get_path(&["selector", "matchLabels"])
                .and_then(Value::as_map)
                .map(|m| {
                    m.iter().map(|(k, v)| (k.clone(), crate::resource::scalar_text(v))).collect()
                })
                .unwrap_or_default();
            inputs_from.push(InputProviderRef {
                kind: s_of(p.get("kind")),
                name: s_of(p.get("name")),
                match_labels,
            });
        }
        let mut steps = Vec::new();
        for st in seq("steps")? {
            steps.push(Step {
                name: s_of(st.get("name")),
                resources: st.get("resources").and_then(Value::as_seq).cloned().unwrap_or_default(),
                resources_template: s_of(st.get("resourcesTemplate")),
            });
        }
        Ok(ResourceSet {
            name: r.name().to_owned(),
            namespace: r.namespace().to_owned(),
            inputs,
            inputs_from,
            input_strategy: s_of(spec.get_path(&["inputStrategy", "name"])),
            include_empty_providers: spec
                .get_path(&["inputStrategy", "includeEmptyProviders"])
                .and_then(Value::as_bool)
                .unwrap_or(false),
            resources: seq("resources")?,
            resources_template: s_of(spec.get("resourcesTemplate")),
            steps,
        })
    }
}

/// flux-operator's `NormalizeKeyForTemplate`: lowercase; spaces and punctuation become
/// `_`; other characters outside `[a-z0-9]` are dropped; runs of `_` collapse and are
/// trimmed.
pub fn normalize_key(name: &str) -> String {
    let mapped: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            if c.is_whitespace() || is_punct(c) {
                Some('_')
            } else if c.is_ascii_lowercase() || c.is_ascii_digit() {
                Some(c)
            } else {
                None
            }
        })
        .collect();
    mapped.split('_').filter(|w| !w.is_empty()).collect::<Vec<_>>().join("_")
}

/// `unicode.IsPunct` for ASCII plus the common Unicode punctuation blocks.
fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    matches!(c as u32, 0x2010..=0x2027 | 0x2030..=0x205E | 0x3001..=0x3003 | 0x00A1 | 0x00A7 | 0x00AB | 0x00B6 | 0x00B7 | 0x00BB | 0x00BF)
}

fn provider_ref(kind: &str, name: &str, namespace: &str) -> Value {
    let mut m = Mapping::new();
    m.insert("apiVersion".into(), Value::from("fluxcd.controlplane.io/v1"));
    m.insert("kind".into(), Value::from(kind));
    m.insert("name".into(), Value::from(name));
    m.insert("namespace".into(), Value::from(namespace));
    Value::Map(m)
}

fn with_defaults(set: &Value, defaults: Option<&Mapping>) -> Value {
    let mut m = set.as_map().cloned().unwrap_or_default();
    if let Some(d) = defaults {
        for (k, v) in d {
            if !m.contains_key(k) {
                m.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Map(m)
}

/// The input sets `rs` renders with: the ResourceSet's own inputs first, then each
/// provider's (sorted by name), each set with `provider` injected, combined by the
/// strategy (`Flatten`: concatenated; `Permute`: the Cartesian product, each provider's
/// set under [`normalize_key`] of its name, `id` = adler32 of `key=index/...`).
pub fn combine_inputs(rs: &ResourceSet, provided: &ProvidedInputs) -> Result<Vec<Value>, Error> {
    let id = rs.id();
    // (provider kind, name, sets)
    let mut groups: Vec<(String, String, Vec<Value>)> = Vec::new();
    let own: Vec<Value> = rs
        .inputs
        .iter()
        .map(|i| {
            let mut m = i.as_map().cloned().unwrap_or_default();
            m.insert("provider".into(), provider_ref("ResourceSet", &rs.name, &rs.namespace));
            Value::Map(m)
        })
        .collect();
    groups.push(("ResourceSet".into(), rs.name.clone(), own));
    // Resolve providers (same namespace), dedup, sort by name.
    let known: Vec<&Resource> = provided
        .providers
        .iter()
        .filter(|p| {
            p.kind() == "ResourceSetInputProvider"
                && p.group() == GROUP
                && p.namespace() == rs.namespace
        })
        .collect();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for r in &rs.inputs_from {
        if !r.name.is_empty() {
            names.insert(r.name.clone());
        } else if !r.match_labels.is_empty() {
            for p in &known {
                if r.match_labels.iter().all(|(k, v)| p.label(k) == Some(v.as_str())) {
                    names.insert(p.name().to_owned());
                }
            }
        }
    }
    for name in names {
        let obj = known.iter().find(|p| p.name() == name);
        let defaults = obj
            .and_then(|o| o.value().get_path(&["spec", "defaultValues"]))
            .and_then(Value::as_map);
        let key = format!("{}/{name}", rs.namespace);
        let supplied = provided.inputs.get(&key).or_else(|| provided.inputs.get(&name));
        let sets: Vec<Value> = match (supplied, obj) {
            (Some(sets), _) => sets.iter().map(|s| with_defaults(s, defaults)).collect(),
            (None, Some(o))
                if o.value().get_path(&["spec", "type"]).and_then(Value::as_str)
                    == Some("Static") =>
            {
                let mut m = defaults.cloned().unwrap_or_default();
                let seed = o
                    .value()
                    .get_path(&["metadata", "uid"])
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| key.clone());
                m.insert("id".into(), Value::from(adler32(seed.as_bytes()).to_string()));
                vec![Value::Map(m)]
            }
            _ => return Err(Error::ProviderUnavailable { id, provider: key }),
        };
        let sets = sets
            .into_iter()
            .map(|s| {
                let mut m = s.as_map().cloned().unwrap_or_default();
                m.insert(
                    "provider".into(),
                    provider_ref("ResourceSetInputProvider", &name, &rs.namespace),
                );
                Value::Map(m)
            })
            .collect();
        groups.push(("ResourceSetInputProvider".into(), name, sets));
    }
    match rs.input_strategy.as_str() {
        "" | "Flatten" => Ok(groups.into_iter().flat_map(|g| g.2).collect()),
        "Permute" => permute(&id, groups, rs.include_empty_providers),
        other => Err(Error::Inputs { id, message: format!("unknown input strategy: '{other}'") }),
    }
}

fn permute(
    id: &str,
    groups: Vec<(String, String, Vec<Value>)>,
    include_empty: bool,
) -> Result<Vec<Value>, Error> {
    let mut scoped: Vec<(String, Vec<Value>)> = Vec::new();
    let mut expected: u64 = 0;
    for (kind, name, sets) in groups {
        if !include_empty && sets.is_empty() {
            continue;
        }
        expected = if scoped.is_empty() {
            sets.len() as u64
        } else {
            expected.saturating_mul(sets.len() as u64)
        };
        let wrap = |m: String| Error::Inputs {
            id: id.to_owned(),
            message: format!("failed to get inputs from {kind}/{name}: {m}"),
        };
        if expected > MAX_PERMUTATIONS {
            return Err(wrap(format!(
                "adding provider '{name}' with {} inputs would exceed the maximum allowed permutations. max: {MAX_PERMUTATIONS}, got: {expected}",
                sets.len()
            )));
        }
        let key = normalize_key(&name);
        if key.is_empty() {
            return Err(wrap(format!("normalized provider name is empty: '{name}'")));
        }
        scoped.push((key, sets));
    }
    if scoped.is_empty() || scoped.iter().any(|(_, s)| s.is_empty()) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut idx = vec![0usize; scoped.len()];
    loop {
        let mut m = Mapping::new();
        let mut parts = Vec::new();
        for (p, (key, sets)) in scoped.iter().enumerate() {
            if let Some(set) = sets.get(idx[p]) {
                m.insert(key.clone(), set.clone());
            }
            parts.push(format!("{key}={}", idx[p]));
        }
        m.insert("id".into(), Value::from(adler32(parts.join("/").as_bytes()).to_string()));
        out.push(Value::Map(m));
        // Odometer, last provider fastest.
        let mut p = scoped.len();
        loop {
            if p == 0 {
                return Ok(out);
            }
            p -= 1;
            idx[p] += 1;
            if idx[p] < scoped[p].1.len() {
                break;
            }
            idx[p] = 0;
        }
    }
}

fn object_key(r: &Resource) -> String {
    format!("{}/{}/{}/{}", r.group(), r.kind(), r.namespace(), r.name())
}

fn disabled(r: &Resource) -> bool {
    r.annotation(RECONCILE_ANNOTATION) == Some("disabled")
}

fn read_objects(text: &str) -> Result<Vec<Resource>, String> {
    let docs =
        parse_values(text, Profile::ApiServer, &Limits::default()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for d in docs {
        match d {
            Value::Null => continue,
            Value::Map(ref m) if m.is_empty() => continue,
            Value::Map(_) => {
                let r = Resource::new(d);
                if r.kind().is_empty() || r.api_version().is_empty() {
                    return Err("Object 'Kind' is missing in the object".into());
                }
                out.push(r);
            }
            other => return Err(format!("cannot unmarshal {} into an object", other.kind_name())),
        }
    }
    Ok(out)
}

fn build_resource(tmpl: &Value, input: &Value) -> Result<Resource, String> {
    let yaml = json_roundtrip(tmpl)
        .and_then(|v| emit(&v))
        .map_err(|e| format!("failed to convert template to YAML: {e}"))?;
    let t =
        template::Template::parse(&yaml).map_err(|e| format!("failed to parse template: {e}"))?;
    let text = t.execute(input).map_err(|e| format!("failed to execute template: {e}"))?;
    let mut objs = read_objects(&text).map_err(|e| format!("failed to read object: {e}"))?;
    if objs.len() != 1 {
        return Err(format!("failed to read object: expected one object, got {}", objs.len()));
    }
    Ok(objs.remove(0))
}

fn build_from_yaml(text: &str, input: &Value) -> Result<Vec<Resource>, String> {
    let t = template::Template::parse(text)
        .map_err(|e| format!("failed to parse multi-doc YAML template: {e}"))?;
    let out =
        t.execute(input).map_err(|e| format!("failed to execute multi-doc YAML template: {e}"))?;
    read_objects(&out).map_err(|e| format!("failed to read objects from multi-doc YAML: {e}"))
}

/// flux-operator's `BuildResourceSet` for one resource list and template.
fn build_set(
    template_text: &str,
    templates: &[Value],
    inputs: &[Value],
) -> Result<Vec<Resource>, String> {
    let mut objects: Vec<Resource> = Vec::new();
    let mut keys: BTreeSet<String> = BTreeSet::new();
    let mut add = |o: Resource, dedup: bool, objects: &mut Vec<Resource>| {
        let k = object_key(&o);
        if dedup && keys.contains(&k) {
            return;
        }
        keys.insert(k);
        objects.push(o);
    };
    for (i, t) in templates.iter().enumerate() {
        if inputs.is_empty() {
            let o = build_resource(t, &Value::Null)
                .map_err(|e| format!("failed to build resource: {e}"))?;
            add(o, false, &mut objects);
            continue;
        }
        for input in inputs {
            let o = build_resource(t, input)
                .map_err(|e| format!("failed to build resources[{i}]: {e}"))?;
            if disabled(&o) {
                continue;
            }
            add(o, true, &mut objects);
        }
    }
    if !template_text.is_empty() {
        let mut from_template = Vec::new();
        if inputs.is_empty() {
            from_template = build_from_yaml(template_text, &Value::Null)
                .map_err(|e| format!("failed to build resource: {e}"))?;
        }
        for input in inputs {
            from_template.extend(
                build_from_yaml(template_text, input)
                    .map_err(|e| format!("failed to build resources: {e}"))?,
            );
        }
        for o in from_template {
            if !disabled(&o) {
                add(o, true, &mut objects);
            }
        }
    }
    Ok(objects)
}

/// The objects `rs` generates, in flux-operator's order: `spec.resources` item by item
/// (each for every input set), then `spec.resourcesTemplate`; with `spec.steps`, step by
/// step. With no input sets every template renders once with empty `inputs`.
pub fn render(rs: &ResourceSet, provided: &ProvidedInputs) -> Result<Vec<Resource>, Error> {
    let id = rs.id();
    let build = |message: String| Error::Build { id: id.clone(), message };
    if !rs.steps.is_empty() && (!rs.resources.is_empty() || !rs.resources_template.is_empty()) {
        return Err(build(
            "spec.steps is mutually exclusive with spec.resources and spec.resourcesTemplate"
                .into(),
        ));
    }
    if rs.steps.len() > MAX_STEPS {
        return Err(build(format!("spec.steps: at most {MAX_STEPS} steps")));
    }
    for st in &rs.steps {
        if st.resources.is_empty() && st.resources_template.is_empty() {
            return Err(build(format!(
                "step {:?}: at least one of resources or resourcesTemplate must be set",
                st.name
            )));
        }
    }
    let inputs = combine_inputs(rs, provided)?;
    if rs.steps.is_empty() {
        return build_set(&rs.resources_template, &rs.resources, &inputs).map_err(build);
    }
    let mut out = Vec::new();
    let mut step_of: BTreeMap<String, String> = BTreeMap::new();
    for st in &rs.steps {
        let objs = build_set(&st.resources_template, &st.resources, &inputs)
            .map_err(|e| build(format!("step {:?}: {e}", st.name)))?;
        for o in &objs {
            let k = object_key(o);
            if let Some(prev) = step_of.get(&k) {
                if *prev != st.name {
                    let ns = if o.namespace().is_empty() {
                        String::new()
                    } else {
                        format!("{}/", o.namespace())
                    };
                    return Err(build(format!(
                        "duplicate resource {}/{ns}{} in step {:?}, already defined in step {prev:?}",
                        o.kind(),
                        o.name(),
                        st.name
                    )));
                }
            } else {
                step_of.insert(k, st.name.clone());
            }
        }
        out.extend(objs);
    }
    Ok(out)
}
