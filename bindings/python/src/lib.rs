//! `gitops_sdk._native`: the Python face of gitops-sdk.
//!
//! Conversion and error mapping only: arguments are converted to Rust values, the Rust
//! API runs with the GIL released, and results come back as plain `dict`/`list`/`str`
//! (or a typed exception). Each Rust module adds one `#[pyfunction]` and, if it has its
//! own error type, one exception class and one `map_*` function.
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gitops_core::notify;
use gitops_core::resource::ResourceList;
use gitops_core::yaml::Value;
use gitops_kustomize::{LoadRestrictor, MemFs, Options, RealFs, Reorder};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyList, PyString, PyTuple};

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
    NotifyError,
    GitopsError,
    "An event could not be read or a notification payload not built (gitops_core::notify::Error)."
);

/// The error with the Rust message, plus `kind`, `file` and `line` attributes.
fn typed_error(
    py: Python<'_>,
    err: PyErr,
    kind: &str,
    file: Option<&Path>,
    line: Option<u64>,
) -> PyErr {
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail in practice; if it
    // did, the exception is still raised with its message.
    let _ = value.setattr("kind", kind);
    let _ = value.setattr("file", file.map(|p| p.to_string_lossy().into_owned()));
    let _ = value.setattr("line", line);
    err
}

fn map_kustomize(py: Python<'_>, e: gitops_kustomize::Error) -> PyErr {
    typed_error(py, KustomizeError::new_err(e.to_string()), e.kind(), e.file(), None)
}

fn map_notify(py: Python<'_>, e: notify::Error) -> PyErr {
    let kind = match &e {
        notify::Error::InvalidEvent { .. } => "invalid_event",
        notify::Error::InvalidEventField { .. } => "invalid_event_field",
        notify::Error::InvalidTimestamp { .. } => "invalid_timestamp",
        notify::Error::NoAddress { .. } => "no_address",
        notify::Error::InvalidUrl { .. } => "invalid_url",
        notify::Error::EmptyHmacKey { .. } => "empty_hmac_key",
        notify::Error::InvalidHeader { .. } => "invalid_header",
        notify::Error::UnsupportedProvider { .. } => "unsupported_provider",
    };
    typed_error(py, NotifyError::new_err(e.to_string()), kind, None, None)
}

fn reorder_of(text: &str) -> PyResult<Reorder> {
    match text {
        "legacy" => Ok(Reorder::Legacy),
        "none" => Ok(Reorder::None),
        _ => Err(PyValueError::new_err(format!(
            "illegal flag value --reorder {text}; legal values: [legacy none]"
        ))),
    }
}

fn restrictor_of(text: &str) -> PyResult<LoadRestrictor> {
    match text {
        "LoadRestrictionsRootOnly" => Ok(LoadRestrictor::RootOnly),
        "LoadRestrictionsNone" => Ok(LoadRestrictor::None),
        _ => Err(PyValueError::new_err(format!(
            "illegal flag value --load-restrictor {text}; legal values: [LoadRestrictionsRootOnly LoadRestrictionsNone]"
        ))),
    }
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
    let reorder = reorder_of(reorder)?;
    let load_restrictor = restrictor_of(load_restrictor)?;
    let result = py.detach(move || {
        let options = Options { reorder, load_restrictor, remote: None };
        match &source {
            Source::Disk => gitops_kustomize::build(&RealFs, &path, &options),
            Source::Memory(fs) => gitops_kustomize::build(fs, &path, &options),
        }
    });
    result.map_err(|e| map_kustomize(py, e))
}

fn yaml_text(py: Python<'_>, list: ResourceList) -> PyResult<String> {
    py.detach(move || gitops_kustomize::to_yaml(&list)).map_err(|e| map_kustomize(py, e))
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
    let event = notify::Event::from_json(&bytes).map_err(|e| map_notify(py, e))?;
    let payload = notify::build_payload(&provider, &event).map_err(|e| map_notify(py, e))?;
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
    m.add_function(wrap_pyfunction!(build, m)?)?;
    m.add_function(wrap_pyfunction!(build_yaml, m)?)?;
    m.add_function(wrap_pyfunction!(build_files, m)?)?;
    m.add_function(wrap_pyfunction!(build_files_yaml, m)?)?;
    m.add_function(wrap_pyfunction!(notify_payload, m)?)?;
    Ok(())
}
