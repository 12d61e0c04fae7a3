//! `gitops_sdk._native`: the Python face of gitops-sdk.
//!
//! Conversion and error mapping only: arguments are converted to Rust values, the Rust
//! API runs with the GIL released, and results come back as plain `dict`/`list`/`str`
//! (or a typed exception). Each Rust module adds one `#[pyfunction]` and, if it has its
//! own error type, one exception class (and one row in `raise`; the error kinds live in
//! `gitops-sdk-bindings-common`, shared with the Node binding).
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gitops_core::cluster::{Cluster, LiveDir};
use gitops_core::inventory::{Inventory, InventoryEntry, Owner};
use gitops_core::notify;
use gitops_core::resource::{Resource, ResourceList};
use gitops_core::yaml::Value;
use gitops_core::{deps, diff, health, plan, render, substitute};
use gitops_kustomize::{MemFs, Options, RealFs};
use gitops_sdk_bindings_common::{self as common, Failure, Family};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

create_exception!(
    gitops_sdk,
    GitopsError,
    PyException,
    "Base class of every error gitops_sdk raises. Attributes: kind, file, line."
);
create_exception!(
    gitops_sdk,
    KustomizeError,
    GitopsError,
    "A kustomize build failed (gitops_kustomize::Error)."
);
create_exception!(
    gitops_sdk,
    SubstitutionError,
    GitopsError,
    "Flux post-build substitution failed (gitops_core::substitute::Error)."
);
create_exception!(
    gitops_sdk,
    DependencyError,
    GitopsError,
    "The dependsOn graph is invalid: a missing or duplicate node (gitops_core::deps::Error)."
);
create_exception!(
    gitops_sdk,
    DependencyCycleError,
    DependencyError,
    "The dependsOn graph has a cycle (`circular dependency detected: a -> b -> a`)."
);
create_exception!(
    gitops_sdk,
    DiffError,
    GitopsError,
    "Invalid drift-ignore rules (gitops_core::diff::Error)."
);
create_exception!(
    gitops_sdk,
    PlanError,
    GitopsError,
    "An apply plan could not be made (gitops_core::plan::Error)."
);
create_exception!(
    gitops_sdk,
    RenderError,
    GitopsError,
    "A whole-cluster render failed (gitops_core::render::Error)."
);
create_exception!(
    gitops_sdk,
    ImagePolicyError,
    GitopsError,
    "An ImagePolicy is invalid or selects no tag (gitops_core::image::policy::Error)."
);
create_exception!(
    gitops_sdk,
    SetterError,
    GitopsError,
    "Image setters could not run: a bad policy or image, a marker naming no policy with strict, a file error (gitops_core::image::setters::Error)."
);
create_exception!(
    gitops_sdk,
    NotifyError,
    GitopsError,
    "An event could not be read or a notification payload not built (gitops_core::notify::Error)."
);

create_exception!(
    gitops_sdk,
    ResourceSetError,
    GitopsError,
    "A Flux Operator ResourceSet or its template could not be rendered, with flux-operator's message (gitops_core::resourceset::Error)."
);
create_exception!(
    gitops_sdk,
    PromoteError,
    GitopsError,
    "An environment promotion could not be computed (gitops_core::promote::Error)."
);

/// The typed exception of a Rust error: its class by family, the Rust message, and the
/// `kind`, `file` and `line` attributes. A bad option value is a `ValueError`.
fn raise(py: Python<'_>, f: Failure) -> PyErr {
    let err = match f.family {
        Family::Kustomize => KustomizeError::new_err(f.message),
        Family::Substitute => SubstitutionError::new_err(f.message),
        Family::Dependency if f.kind == "cycle" => DependencyCycleError::new_err(f.message),
        Family::Dependency => DependencyError::new_err(f.message),
        Family::Diff => DiffError::new_err(f.message),
        Family::Plan => PlanError::new_err(f.message),
        Family::Notify => NotifyError::new_err(f.message),
        Family::Render => RenderError::new_err(f.message),
        Family::Image => ImagePolicyError::new_err(f.message),
        Family::Setter => SetterError::new_err(f.message),
        Family::ResourceSet => ResourceSetError::new_err(f.message),
        Family::Promote => PromoteError::new_err(f.message),
        Family::InvalidArgument => return PyValueError::new_err(f.message),
    };
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail in practice; if it
    // did, the exception is still raised with its message.
    let _ = value.setattr("kind", f.kind);
    let _ = value.setattr("file", f.file);
    let _ = value.setattr("line", f.line);
    err
}

/// `raise` for any Rust error the bindings know.
fn fail<E: Into<Failure>>(py: Python<'_>) -> impl Fn(E) -> PyErr + '_ {
    move |e| raise(py, e.into())
}

/// Where a build reads from: the real file system or an in-memory tree.
enum Source {
    Disk,
    Memory(MemFs),
}

/// Convert the arguments, run the build with the GIL released, map the error.
fn run_build(
    py: Python<'_>,
    source: Source,
    path: PathBuf,
    reorder: &str,
    load_restrictor: &str,
) -> PyResult<ResourceList> {
    let reorder = common::reorder(reorder).map_err(fail(py))?;
    let load_restrictor = common::load_restrictor(load_restrictor).map_err(fail(py))?;
    let result = py.detach(move || {
        let options = Options { reorder, load_restrictor, remote: None };
        match &source {
            Source::Disk => gitops_kustomize::build(&RealFs, &path, &options),
            Source::Memory(fs) => gitops_kustomize::build(fs, &path, &options),
        }
    });
    result.map_err(fail(py))
}

fn yaml_text(py: Python<'_>, list: ResourceList) -> PyResult<String> {
    py.detach(move || gitops_kustomize::to_yaml(&list)).map_err(fail(py))
}

fn mem_fs(files: BTreeMap<String, String>) -> MemFs {
    let mut fs = MemFs::new();
    for (name, text) in files {
        // Relative names are relative to the root of the in-memory tree.
        fs.add_file(Path::new("/").join(name), text);
    }
    fs
}

fn value_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Uint(u) => u.into_pyobject(py)?.into_any(),
        Value::Float(f) => PyFloat::new(py, *f).into_any(),
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Seq(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Map(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, value_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

fn list_to_py<'py>(py: Python<'py>, list: &ResourceList) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for r in list.iter() {
        out.append(value_to_py(py, r.value())?)?;
    }
    Ok(out)
}

/// `kustomize build PATH`: the resources as dicts, in kustomize's output order.
#[pyfunction]
#[pyo3(signature = (path, *, reorder = "legacy", load_restrictor = "LoadRestrictionsRootOnly"))]
fn build<'py>(
    py: Python<'py>,
    path: PathBuf,
    reorder: &str,
    load_restrictor: &str,
) -> PyResult<Bound<'py, PyList>> {
    let list = run_build(py, Source::Disk, path, reorder, load_restrictor)?;
    list_to_py(py, &list)
}

/// `kustomize build PATH`: the YAML text kustomize prints.
#[pyfunction]
#[pyo3(signature = (path, *, reorder = "legacy", load_restrictor = "LoadRestrictionsRootOnly"))]
fn build_yaml(
    py: Python<'_>,
    path: PathBuf,
    reorder: &str,
    load_restrictor: &str,
) -> PyResult<String> {
    let list = run_build(py, Source::Disk, path, reorder, load_restrictor)?;
    yaml_text(py, list)
}

/// Build an in-memory tree `{path: text}` at `path` (default: the tree's root `/`).
#[pyfunction]
#[pyo3(
    signature = (files, path = PathBuf::from("/"), *, reorder = "legacy", load_restrictor = "LoadRestrictionsRootOnly"),
    text_signature = "(files, path='/', *, reorder='legacy', load_restrictor='LoadRestrictionsRootOnly')"
)]
fn build_files<'py>(
    py: Python<'py>,
    files: BTreeMap<String, String>,
    path: PathBuf,
    reorder: &str,
    load_restrictor: &str,
) -> PyResult<Bound<'py, PyList>> {
    let path = Path::new("/").join(path);
    let list = run_build(py, Source::Memory(mem_fs(files)), path, reorder, load_restrictor)?;
    list_to_py(py, &list)
}

/// Like `build_files`, returning the YAML text kustomize prints.
#[pyfunction]
#[pyo3(
    signature = (files, path = PathBuf::from("/"), *, reorder = "legacy", load_restrictor = "LoadRestrictionsRootOnly"),
    text_signature = "(files, path='/', *, reorder='legacy', load_restrictor='LoadRestrictionsRootOnly')"
)]
fn build_files_yaml(
    py: Python<'_>,
    files: BTreeMap<String, String>,
    path: PathBuf,
    reorder: &str,
    load_restrictor: &str,
) -> PyResult<String> {
    let path = Path::new("/").join(path);
    let list = run_build(py, Source::Memory(mem_fs(files)), path, reorder, load_restrictor)?;
    yaml_text(py, list)
}

fn opt_str(d: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<String>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(v.extract()?)),
        _ => Ok(None),
    }
}

fn provider_of(d: &Bound<'_, PyDict>) -> PyResult<notify::Provider> {
    let text = |key: &str| opt_str(d, key).map(Option::unwrap_or_default);
    let secret = match d.get_item("secret")? {
        Some(s) if !s.is_none() => {
            let s = s.cast_into::<PyDict>()?;
            let headers: Option<BTreeMap<String, String>> = match s.get_item("headers")? {
                Some(h) if !h.is_none() => Some(h.extract()?),
                _ => None,
            };
            Some(notify::ProviderSecret {
                address: opt_str(&s, "address")?,
                token: opt_str(&s, "token")?,
                headers: headers.unwrap_or_default().into_iter().collect(),
            })
        }
        _ => None,
    };
    Ok(notify::Provider {
        name: text("name")?,
        namespace: text("namespace")?,
        provider_type: text("type")?,
        address: text("address")?,
        channel: text("channel")?,
        username: text("username")?,
        suspend: match d.get_item("suspend")? {
            Some(v) if !v.is_none() => v.extract()?,
            _ => false,
        },
        secret,
    })
}

/// The HTTP request notification-controller sends to `provider` for a Flux event (the
/// event's JSON as notification-controller receives it).
#[pyfunction]
fn notify_payload<'py>(
    py: Python<'py>,
    provider: Bound<'py, PyDict>,
    event_json: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let provider = provider_of(&provider)?;
    let bytes: Vec<u8> = match event_json.cast::<PyString>() {
        Ok(s) => s.to_str()?.as_bytes().to_vec(),
        Err(_) => event_json.extract()?,
    };
    let event = notify::Event::from_json(&bytes).map_err(fail(py))?;
    let payload = notify::build_payload(&provider, &event).map_err(fail(py))?;
    let out = PyDict::new(py);
    out.set_item("url", payload.url)?;
    let headers = PyList::empty(py);
    for (k, v) in payload.headers {
        headers.append(PyTuple::new(py, [k, v])?)?;
    }
    out.set_item("headers", headers)?;
    out.set_item("body", PyBytes::new(py, &payload.body))?;
    Ok(out)
}

// ---- Python values -> Rust values -------------------------------------------------

/// Nesting deeper than this is refused (the YAML layer's own limit is lower).
const MAX_DEPTH: usize = 1000;

fn py_to_value(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err("object nested too deeply"));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.cast::<PyInt>().is_ok() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Int(i));
        }
        return obj.extract::<u64>().map(Value::Uint);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Value::Float(f.value()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_string()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = gitops_core::yaml::Mapping::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key: String = k
                .extract()
                .map_err(|_| pyo3::exceptions::PyTypeError::new_err("mapping keys must be str"))?;
            map.insert(key, py_to_value(&v, depth + 1)?);
        }
        return Ok(Value::Map(map));
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        let mut out = Vec::new();
        for item in obj.try_iter()? {
            out.push(py_to_value(&item?, depth + 1)?);
        }
        return Ok(Value::Seq(out));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "cannot convert {} to a YAML value",
        obj.get_type().name()?
    )))
}

fn resource_of(obj: &Bound<'_, PyAny>) -> PyResult<Resource> {
    Ok(Resource::new(py_to_value(obj, 0)?))
}

fn resources_of(objs: &Bound<'_, PyAny>) -> PyResult<Vec<Resource>> {
    let mut out = Vec::new();
    for item in objs.try_iter()? {
        out.push(resource_of(&item?)?);
    }
    Ok(out)
}

// ---- substitute ------------------------------------------------------------------

/// Flux's post-build substitution of one object (`spec.postBuild.substitute`).
#[pyfunction]
#[pyo3(name = "substitute", signature = (resource, variables, *, strict = true, strategy = "WithVariables"))]
fn substitute_resource<'py>(
    py: Python<'py>,
    resource: Bound<'py, PyAny>,
    variables: indexmap_vars::Vars,
    strict: bool,
    strategy: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let res = resource_of(&resource)?;
    let options = substitute::Options {
        strict,
        strategy: common::substitute_strategy(strategy).map_err(fail(py))?,
    };
    let vars = variables.0;
    let out = py
        .detach(move || substitute::substitute_resource(&res, &vars, &options))
        .map_err(fail(py))?;
    value_to_py(py, out.value())
}

/// Flux's `${var}` substitution of a text.
#[pyfunction]
#[pyo3(signature = (text, variables, *, strict = true))]
fn substitute_text(
    py: Python<'_>,
    text: String,
    variables: indexmap_vars::Vars,
    strict: bool,
) -> PyResult<String> {
    let vars = variables.0;
    py.detach(move || substitute::substitute_str(&text, &vars, strict)).map_err(fail(py))
}

/// `variables` in the caller's order (a Python dict keeps insertion order).
mod indexmap_vars {
    use pyo3::prelude::*;
    use pyo3::types::PyDict;

    /// Substitution variables.
    pub struct Vars(pub gitops_core::substitute::Vars);

    impl<'a, 'py> FromPyObject<'a, 'py> for Vars {
        type Error = PyErr;
        fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
            let d = obj.cast::<PyDict>()?;
            let mut out = gitops_core::substitute::Vars::with_capacity(d.len());
            for (k, v) in d.iter() {
                out.insert(k.extract()?, v.extract()?);
            }
            Ok(Vars(out))
        }
    }
}

// ---- deps ------------------------------------------------------------------------

fn node_id_to_py<'py>(py: Python<'py>, id: &deps::NodeId) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("kind", &id.kind)?;
    d.set_item("namespace", &id.namespace)?;
    d.set_item("name", &id.name)?;
    Ok(d)
}

/// The Kustomizations and HelmReleases among `objects` in dependsOn order.
#[pyfunction]
fn dependency_order<'py>(
    py: Python<'py>,
    objects: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let res = resources_of(&objects)?;
    let order = py
        .detach(move || deps::nodes_from_resources(&res).and_then(|n| deps::order(&n)))
        .map_err(fail(py))?;
    let out = PyList::empty(py);
    for id in &order {
        out.append(node_id_to_py(py, id)?)?;
    }
    Ok(out)
}

/// The Kustomizations and HelmReleases among `objects` in parallel waves.
#[pyfunction]
fn dependency_waves<'py>(
    py: Python<'py>,
    objects: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let res = resources_of(&objects)?;
    let waves = py
        .detach(move || deps::nodes_from_resources(&res).and_then(|n| deps::waves(&n)))
        .map_err(fail(py))?;
    let out = PyList::empty(py);
    for wave in &waves {
        let w = PyList::empty(py);
        for id in wave {
            w.append(node_id_to_py(py, id)?)?;
        }
        out.append(w)?;
    }
    Ok(out)
}

// ---- health ----------------------------------------------------------------------

/// kstatus health of one object: `{"status": "Current", "message": ...}`.
#[pyfunction]
#[pyo3(name = "health")]
fn health_of<'py>(py: Python<'py>, obj: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    let res = resource_of(&obj)?;
    let h = py.detach(move || health::compute(&res));
    let d = PyDict::new(py);
    d.set_item("status", h.status.as_str())?;
    d.set_item("message", h.message)?;
    Ok(d)
}

// ---- diff ------------------------------------------------------------------------

fn diff_options(
    py: Python<'_>,
    ignore: Option<&Bound<'_, PyAny>>,
    context: usize,
) -> PyResult<diff::Options> {
    let ignore = match ignore {
        Some(v) if !v.is_none() => {
            let spec = py_to_value(v, 0)?;
            common::ignore_rules(Some(&spec)).map_err(fail(py))?
        }
        _ => Vec::new(),
    };
    Ok(diff::Options { ignore, context })
}

/// Drift between a desired and a live object, after Flux's normalisation: a list of
/// `{"path", "before", "after"}` (empty: in sync). Secret values are masked.
#[pyfunction]
#[pyo3(name = "diff", signature = (desired, live, *, ignore = None))]
fn diff_objects<'py>(
    py: Python<'py>,
    desired: Bound<'py, PyAny>,
    live: Bound<'py, PyAny>,
    ignore: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let desired = resource_of(&desired)?;
    let live = resource_of(&live)?;
    let options = diff_options(py, ignore.as_ref(), 3)?;
    let changes = py.detach(move || diff::compare(&desired, &live, &options));
    changes_to_py(py, &changes)
}

fn changes_to_py<'py>(py: Python<'py>, changes: &[diff::Change]) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for c in changes {
        let d = PyDict::new(py);
        d.set_item("path", &c.path)?;
        let opt = |v: &Option<Value>| match v {
            Some(v) => value_to_py(py, v),
            None => Ok(py.None().into_bound(py)),
        };
        d.set_item("before", opt(&c.before)?)?;
        d.set_item("after", opt(&c.after)?)?;
        out.append(d)?;
    }
    Ok(out)
}

/// A unified text diff from the live object (or nothing) to the desired one; Secret
/// values masked.
#[pyfunction]
#[pyo3(signature = (desired, live = None, *, ignore = None, context = 3))]
fn unified_diff<'py>(
    py: Python<'py>,
    desired: Bound<'py, PyAny>,
    live: Option<Bound<'py, PyAny>>,
    ignore: Option<Bound<'py, PyAny>>,
    context: usize,
) -> PyResult<String> {
    let desired = resource_of(&desired)?;
    let live = match live {
        Some(l) if !l.is_none() => Some(resource_of(&l)?),
        _ => None,
    };
    let options = diff_options(py, ignore.as_ref(), context)?;
    Ok(py.detach(move || diff::unified(&desired, live.as_ref(), &options)))
}

// ---- plan ------------------------------------------------------------------------

fn entry_to_py<'py>(py: Python<'py>, e: &plan::ChangeSetEntry) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("subject", &e.subject)?;
    d.set_item("action", e.action.as_str())?;
    d.set_item("id", InventoryEntry::from_ref(&e.id).id)?;
    Ok(d)
}

/// Flux's apply plan of one Kustomization's objects against a live-state directory (or
/// an empty cluster): stages, actions, the prune plan and the new inventory.
#[pyfunction]
#[pyo3(name = "plan", signature = (desired, *, live_dir = None, previous_inventory = None, owner = None, prune = true, force = false, ignore = None))]
#[allow(clippy::too_many_arguments)]
fn plan_apply<'py>(
    py: Python<'py>,
    desired: Bound<'py, PyAny>,
    live_dir: Option<PathBuf>,
    previous_inventory: Option<Vec<(String, String)>>,
    owner: Option<(String, String)>,
    prune: bool,
    force: bool,
    ignore: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let desired = resources_of(&desired)?;
    let options = plan::Options {
        owner: owner.map(|(name, namespace)| Owner::new(name, namespace)),
        prune,
        force,
        custom_stage_kinds: Vec::new(),
        diff: diff_options(py, ignore.as_ref(), 3)?,
    };
    let previous = previous_inventory.map(|entries| {
        Inventory::from_entries(entries.iter().map(|(i, v)| (i.as_str(), v.as_str())))
    });
    let result = py.detach(move || {
        let live: Box<dyn Cluster> = match live_dir {
            Some(dir) => Box::new(LiveDir::open(dir)?),
            None => Box::new(common::NoCluster),
        };
        plan::plan(&desired, live.as_ref(), previous.as_ref(), &options)
    });
    let p = result.map_err(fail(py))?;
    let out = PyDict::new(py);
    let apply = PyList::empty(py);
    for step in &p.apply {
        let d = entry_to_py(py, &step.entry)?;
        d.set_item("stage", step.stage.to_string())?;
        d.set_item("recreate", step.recreate)?;
        d.set_item("object", value_to_py(py, step.object.value())?)?;
        apply.append(d)?;
    }
    out.set_item("apply", apply)?;
    let pruned = PyList::empty(py);
    for e in &p.prune {
        pruned.append(entry_to_py(py, e)?)?;
    }
    out.set_item("prune", pruned)?;
    let inventory = PyList::empty(py);
    for e in &p.inventory.entries {
        inventory.append(PyTuple::new(py, [&e.id, &e.v])?)?;
    }
    out.set_item("inventory", inventory)?;
    let change_set = p.change_set();
    out.set_item("changes", change_set.changes())?;
    out.set_item("change_set", change_set.to_string())?;
    Ok(out)
}

// ---- render ----------------------------------------------------------------------

fn render_options(
    root: Option<PathBuf>,
    sources: Option<BTreeMap<String, PathBuf>>,
    objects: Option<Bound<'_, PyAny>>,
    strict: bool,
    skip_unavailable_sources: bool,
) -> PyResult<render::Options> {
    Ok(render::Options {
        root,
        sources: sources.unwrap_or_default().into_iter().collect(),
        objects: match objects {
            Some(o) if !o.is_none() => resources_of(&o)?,
            _ => Vec::new(),
        },
        strict_substitution: strict,
        skip_unavailable_sources,
        ..render::Options::default()
    })
}

/// Render a whole cluster offline as Flux would (`clusters/<name>`): every Flux
/// Kustomization found, built and post-built, in the order found.
#[pyfunction]
#[pyo3(signature = (path, *, root = None, sources = None, objects = None, strict = true, skip_unavailable_sources = false))]
fn render_cluster<'py>(
    py: Python<'py>,
    path: PathBuf,
    root: Option<PathBuf>,
    sources: Option<BTreeMap<String, PathBuf>>,
    objects: Option<Bound<'py, PyAny>>,
    strict: bool,
    skip_unavailable_sources: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let options = render_options(root, sources, objects, strict, skip_unavailable_sources)?;
    let outcome = py.detach(move || common::render_cluster(&path, &options)).map_err(fail(py))?;
    let out = PyDict::new(py);
    let list = PyList::empty(py);
    for k in &outcome.kustomizations {
        let d = PyDict::new(py);
        d.set_item("name", &k.name)?;
        d.set_item("namespace", &k.namespace)?;
        d.set_item("path", &k.path)?;
        d.set_item("dir", k.dir.to_string_lossy())?;
        d.set_item("source", &k.source)?;
        let deps = PyList::empty(py);
        for dep in &k.depends_on {
            let e = PyDict::new(py);
            e.set_item("name", &dep.name)?;
            e.set_item("namespace", &dep.namespace)?;
            deps.append(e)?;
        }
        d.set_item("depends_on", deps)?;
        d.set_item("parent", k.parent.as_deref())?;
        let objs = PyList::empty(py);
        for o in &k.objects {
            objs.append(value_to_py(py, o.value())?)?;
        }
        d.set_item("objects", objs)?;
        list.append(d)?;
    }
    out.set_item("kustomizations", list)?;
    let skipped = PyList::empty(py);
    for s in &outcome.skipped {
        let d = PyDict::new(py);
        d.set_item("kustomization", &s.kustomization)?;
        d.set_item("source", &s.source)?;
        d.set_item("reason", &s.reason)?;
        skipped.append(d)?;
    }
    out.set_item("skipped", skipped)?;
    out.set_item("root", outcome.root.to_string_lossy())?;
    Ok(out)
}

// ---- cluster workflow --------------------------------------------------------------

/// Render, open the live directory, run the step; results as dicts.
#[allow(clippy::too_many_arguments)]
fn run_cluster<'py>(
    py: Python<'py>,
    cluster_path: PathBuf,
    live_dir: PathBuf,
    step: common::ClusterStep,
    root: Option<PathBuf>,
    sources: Option<BTreeMap<String, PathBuf>>,
    objects: Option<Bound<'py, PyAny>>,
    strict: bool,
    skip_unavailable_sources: bool,
) -> PyResult<Bound<'py, PyList>> {
    let options = render_options(root, sources, objects, strict, skip_unavailable_sources)?;
    let result = py
        .detach(move || common::cluster_workflow(&cluster_path, &options, &live_dir, step))
        .map_err(fail(py))?;
    let out = PyList::empty(py);
    match result {
        common::ClusterResult::ChangeSets(sets) => {
            for (kustomization, set) in &sets {
                let d = PyDict::new(py);
                d.set_item("kustomization", kustomization)?;
                let entries = PyList::empty(py);
                for e in &set.entries {
                    entries.append(entry_to_py(py, e)?)?;
                }
                d.set_item("entries", entries)?;
                d.set_item("changes", set.changes())?;
                d.set_item("change_set", set.to_string())?;
                out.append(d)?;
            }
        }
        common::ClusterResult::Diffs(diffs) => {
            for o in &diffs {
                let d = PyDict::new(py);
                d.set_item("kustomization", &o.kustomization)?;
                d.set_item("subject", &o.subject)?;
                d.set_item("action", o.action.as_str())?;
                d.set_item("changes", changes_to_py(py, &o.changes)?)?;
                d.set_item("unified", &o.unified)?;
                out.append(d)?;
            }
        }
    }
    Ok(out)
}

/// `gitops plan CLUSTER --live DIR`: render the cluster, then each Kustomization's change
/// set against the live directory, in dependency order. Nothing is written.
#[pyfunction]
#[pyo3(signature = (cluster_path, live_dir, *, root = None, sources = None, objects = None, strict = true, skip_unavailable_sources = false))]
#[allow(clippy::too_many_arguments)]
fn plan_cluster<'py>(
    py: Python<'py>,
    cluster_path: PathBuf,
    live_dir: PathBuf,
    root: Option<PathBuf>,
    sources: Option<BTreeMap<String, PathBuf>>,
    objects: Option<Bound<'py, PyAny>>,
    strict: bool,
    skip_unavailable_sources: bool,
) -> PyResult<Bound<'py, PyList>> {
    let step = common::ClusterStep::Plan;
    run_cluster(
        py,
        cluster_path,
        live_dir,
        step,
        root,
        sources,
        objects,
        strict,
        skip_unavailable_sources,
    )
}

/// `gitops apply CLUSTER --live DIR`: plan and apply each Kustomization in dependency
/// order into the live directory; with `dry_run`, the change sets of the plans.
#[pyfunction]
#[pyo3(signature = (cluster_path, live_dir, *, dry_run = false, root = None, sources = None, objects = None, strict = true, skip_unavailable_sources = false))]
#[allow(clippy::too_many_arguments)]
fn apply_cluster<'py>(
    py: Python<'py>,
    cluster_path: PathBuf,
    live_dir: PathBuf,
    dry_run: bool,
    root: Option<PathBuf>,
    sources: Option<BTreeMap<String, PathBuf>>,
    objects: Option<Bound<'py, PyAny>>,
    strict: bool,
    skip_unavailable_sources: bool,
) -> PyResult<Bound<'py, PyList>> {
    let step = common::ClusterStep::Apply { dry_run };
    run_cluster(
        py,
        cluster_path,
        live_dir,
        step,
        root,
        sources,
        objects,
        strict,
        skip_unavailable_sources,
    )
}

/// `gitops diff CLUSTER --live DIR`: per object the plans change, its action, drifted
/// fields and unified diff (Secret values masked).
#[pyfunction]
#[pyo3(signature = (cluster_path, live_dir, *, root = None, sources = None, objects = None, strict = true, skip_unavailable_sources = false))]
#[allow(clippy::too_many_arguments)]
fn diff_cluster<'py>(
    py: Python<'py>,
    cluster_path: PathBuf,
    live_dir: PathBuf,
    root: Option<PathBuf>,
    sources: Option<BTreeMap<String, PathBuf>>,
    objects: Option<Bound<'py, PyAny>>,
    strict: bool,
    skip_unavailable_sources: bool,
) -> PyResult<Bound<'py, PyList>> {
    let step = common::ClusterStep::Diff;
    run_cluster(
        py,
        cluster_path,
        live_dir,
        step,
        root,
        sources,
        objects,
        strict,
        skip_unavailable_sources,
    )
}

// ---- image setters -----------------------------------------------------------------

/// `gitops images set PATH`: rewrite the values marked `# {"$imagepolicy": ...}` under
/// `path` with `policies` (`"ns:name"` -> `"image:tag[@digest]"`); the changes per file,
/// warnings and unparsable files. With `dry_run`, nothing is written.
#[pyfunction]
#[pyo3(signature = (path, policies, *, namespace = None, strict = false, dry_run = false))]
fn update_setters<'py>(
    py: Python<'py>,
    path: PathBuf,
    policies: BTreeMap<String, String>,
    namespace: Option<String>,
    strict: bool,
    dry_run: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let options = gitops_core::image::setters::Options { namespace, strict, dry_run };
    let outcome =
        py.detach(move || common::update_setters(&path, &policies, &options)).map_err(fail(py))?;
    let files = PyList::empty(py);
    for f in &outcome.files {
        let changes = PyList::empty(py);
        for c in &f.changes {
            let object = PyDict::new(py);
            object.set_item("api_version", &c.object.api_version)?;
            object.set_item("kind", &c.object.kind)?;
            object.set_item("name", &c.object.name)?;
            object.set_item("namespace", &c.object.namespace)?;
            let d = PyDict::new(py);
            d.set_item("object", object)?;
            d.set_item("old_value", &c.old_value)?;
            d.set_item("new_value", &c.new_value)?;
            d.set_item("setter", &c.setter)?;
            d.set_item("line", c.line)?;
            d.set_item("column", c.column)?;
            changes.append(d)?;
        }
        let d = PyDict::new(py);
        d.set_item("file", &f.file)?;
        d.set_item("changes", changes)?;
        files.append(d)?;
    }
    let warnings = PyList::empty(py);
    for w in &outcome.warnings {
        let d = PyDict::new(py);
        d.set_item("file", &w.file)?;
        d.set_item("line", w.line)?;
        d.set_item("column", w.column)?;
        d.set_item("setter", &w.setter)?;
        d.set_item("message", w.to_string())?;
        warnings.append(d)?;
    }
    let out = PyDict::new(py);
    out.set_item("files", files)?;
    out.set_item("warnings", warnings)?;
    out.set_item("problem_files", &outcome.problem_files)?;
    Ok(out)
}

// ---- image policies ----------------------------------------------------------------

/// The tag an ImagePolicy object selects among `tags` (image-reflector-controller's
/// choice: semver, alphabetical or numerical, after `filterTags`).
#[pyfunction]
fn select_image_tag(
    py: Python<'_>,
    policy: Bound<'_, PyAny>,
    tags: Vec<String>,
) -> PyResult<String> {
    let obj = py_to_value(&policy, 0)?;
    py.detach(move || gitops_core::image::policy::select_latest(&obj, &tags)).map_err(fail(py))
}

// ---- ResourceSets -------------------------------------------------------------------

/// The objects the Flux Operator ResourceSet in `yaml_text` renders (the text may also
/// hold the `ResourceSetInputProvider` objects it reads); `provided_inputs` maps a
/// provider (`namespace/name` or `name`) to its exported input sets.
#[pyfunction]
#[pyo3(signature = (yaml_text, provided_inputs = None))]
fn render_resourceset<'py>(
    py: Python<'py>,
    yaml_text: String,
    provided_inputs: Option<Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyList>> {
    let mut provided = Vec::new();
    if let Some(d) = provided_inputs {
        for (k, v) in d.iter() {
            let mut sets = Vec::new();
            for item in v.try_iter()? {
                sets.push(py_to_value(&item?, 0)?);
            }
            provided.push((k.extract::<String>()?, sets));
        }
    }
    let objects =
        py.detach(move || common::render_resourceset(&yaml_text, provided)).map_err(fail(py))?;
    let out = PyList::empty(py);
    for o in &objects {
        out.append(value_to_py(py, o.value())?)?;
    }
    Ok(out)
}

/// One ResourceSet template (`<< >>` delimiters, flux-operator's functions) executed
/// with one input set (`None`: no inputs).
#[pyfunction]
#[pyo3(signature = (text, inputs = None))]
fn render_resourceset_template(
    py: Python<'_>,
    text: String,
    inputs: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let inputs = match inputs {
        Some(i) => py_to_value(&i, 0)?,
        None => Value::Null,
    };
    py.detach(move || common::render_resourceset_template(&text, &inputs)).map_err(fail(py))
}

// ---- image automation ----------------------------------------------------------------

/// For every ImagePolicy among the objects of `objects_yaml`, the latest tag of its
/// ImageRepository among `tags_by_image[image]` (after the exclusion list).
#[pyfunction]
#[pyo3(signature = (objects_yaml, tags_by_image, default_namespace = "default"))]
fn latest_images<'py>(
    py: Python<'py>,
    objects_yaml: String,
    tags_by_image: BTreeMap<String, Vec<String>>,
    default_namespace: &str,
) -> PyResult<Bound<'py, PyList>> {
    let ns = default_namespace.to_owned();
    let chosen = py
        .detach(move || common::latest_images(&objects_yaml, &tags_by_image, &ns))
        .map_err(fail(py))?;
    let out = PyList::empty(py);
    for l in &chosen {
        let d = PyDict::new(py);
        d.set_item("policy", &l.policy)?;
        d.set_item("image", &l.image)?;
        d.set_item("tag", &l.tag)?;
        d.set_item("candidates", l.candidates)?;
        out.append(d)?;
    }
    Ok(out)
}

// ---- promotion -----------------------------------------------------------------------

/// `gitops promote --dry-run`: what promoting `app` from `from_env` to `to_env` changes,
/// computed on the files under `root` (environments in `root/clusters`); nothing is
/// written or committed.
#[pyfunction]
#[pyo3(signature = (root, from_env, to_env, app, values = None, clusters = PathBuf::from("clusters")))]
#[pyo3(text_signature = "(root, from_env, to_env, app, values=None, clusters='clusters')")]
fn promote<'py>(
    py: Python<'py>,
    root: PathBuf,
    from_env: String,
    to_env: String,
    app: String,
    values: Option<Vec<String>>,
    clusters: PathBuf,
) -> PyResult<Bound<'py, PyDict>> {
    let values = values.unwrap_or_default();
    let p = py
        .detach(move || common::promote(&root, &from_env, &to_env, &app, &values, &clusters))
        .map_err(fail(py))?;
    let changes = PyList::empty(py);
    for c in &p.changes {
        let d = PyDict::new(py);
        d.set_item("what", &c.what)?;
        d.set_item("object", &c.object)?;
        d.set_item("old", &c.old)?;
        d.set_item("new", &c.new)?;
        d.set_item("file", &c.file)?;
        d.set_item("line", c.line)?;
        changes.append(d)?;
    }
    let edits = PyList::empty(py);
    for e in &p.edits {
        let d = PyDict::new(py);
        d.set_item("path", &e.path)?;
        d.set_item("old", &e.old)?;
        d.set_item("new", &e.new)?;
        edits.append(d)?;
    }
    let out = PyDict::new(py);
    out.set_item("changes", changes)?;
    out.set_item("edits", edits)?;
    out.set_item("diff", p.diff())?;
    out.set_item("branch", p.branch_name())?;
    Ok(out)
}

/// The native module behind `gitops_sdk`.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = py.get_type::<GitopsError>();
    // Class-level defaults, so the attributes exist on every instance (and for stubtest).
    base.setattr("kind", "error")?;
    base.setattr("file", py.None())?;
    base.setattr("line", py.None())?;
    m.add("GitopsError", base)?;
    m.add("KustomizeError", py.get_type::<KustomizeError>())?;
    m.add("NotifyError", py.get_type::<NotifyError>())?;
    m.add("SubstitutionError", py.get_type::<SubstitutionError>())?;
    m.add("DependencyError", py.get_type::<DependencyError>())?;
    m.add("DependencyCycleError", py.get_type::<DependencyCycleError>())?;
    m.add("DiffError", py.get_type::<DiffError>())?;
    m.add("PlanError", py.get_type::<PlanError>())?;
    m.add("RenderError", py.get_type::<RenderError>())?;
    m.add("ImagePolicyError", py.get_type::<ImagePolicyError>())?;
    m.add("SetterError", py.get_type::<SetterError>())?;
    m.add("ResourceSetError", py.get_type::<ResourceSetError>())?;
    m.add("PromoteError", py.get_type::<PromoteError>())?;
    m.add_function(wrap_pyfunction!(render_resourceset, m)?)?;
    m.add_function(wrap_pyfunction!(render_resourceset_template, m)?)?;
    m.add_function(wrap_pyfunction!(latest_images, m)?)?;
    m.add_function(wrap_pyfunction!(promote, m)?)?;
    m.add_function(wrap_pyfunction!(render_cluster, m)?)?;
    m.add_function(wrap_pyfunction!(select_image_tag, m)?)?;
    m.add_function(wrap_pyfunction!(update_setters, m)?)?;
    m.add_function(wrap_pyfunction!(plan_cluster, m)?)?;
    m.add_function(wrap_pyfunction!(apply_cluster, m)?)?;
    m.add_function(wrap_pyfunction!(diff_cluster, m)?)?;
    m.add_function(wrap_pyfunction!(substitute_resource, m)?)?;
    m.add_function(wrap_pyfunction!(substitute_text, m)?)?;
    m.add_function(wrap_pyfunction!(dependency_order, m)?)?;
    m.add_function(wrap_pyfunction!(dependency_waves, m)?)?;
    m.add_function(wrap_pyfunction!(health_of, m)?)?;
    m.add_function(wrap_pyfunction!(diff_objects, m)?)?;
    m.add_function(wrap_pyfunction!(unified_diff, m)?)?;
    m.add_function(wrap_pyfunction!(plan_apply, m)?)?;
    m.add_function(wrap_pyfunction!(build, m)?)?;
    m.add_function(wrap_pyfunction!(build_yaml, m)?)?;
    m.add_function(wrap_pyfunction!(build_files, m)?)?;
    m.add_function(wrap_pyfunction!(build_files_yaml, m)?)?;
    m.add_function(wrap_pyfunction!(notify_payload, m)?)?;
    Ok(())
}
