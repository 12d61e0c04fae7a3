//! Flux post-build variable substitution (`spec.postBuild` of a Kustomization), as
//! kustomize-controller 1.9 does it (`fluxcd/pkg kustomize/kustomize_varsub.go` over the
//! `fluxcd/pkg/envsubst` grammar).
//!
//! | item | what |
//! |---|---|
//! | [`substitute_str`] | expand `${...}` expressions in a text (envsubst `Eval`) |
//! | [`collect_vars`] | the variables: `substituteFrom` ConfigMaps/Secrets in order, then inline `substitute` |
//! | [`substitute_resource`] | one built object: skip if disabled, strategy gate, var-name check, textual substitution, re-read as the API server reads YAML |
//!
//! The grammar: only `${...}` is an expression (`$var` is text); `$$` collapses to `$`;
//! operators `${#v}`, `${v^}`, `${v^^}`, `${v,}`, `${v,,}`, `${v:off}`, `${v:off:len}`,
//! `${v#glob}`, `${v##glob}`, `${v%glob}`, `${v%%glob}`, `${v/old/new}`, `${v//old/new}`,
//! `${v/#old/new}`, `${v/%old/new}`, and the default family `${v=d}`, `${v:=d}`,
//! `${v:-d}`, `${v:+d}`, `${v:?d}` — all of which mean "the value if non-empty, else the
//! default". `${v-d}`, `${v+d}` and `${v?d}` are *not* accepted (`missing closing brace`).
//!
//! ```
//! use gitops_core::substitute::{Vars, substitute_str};
//! let mut vars = Vars::new();
//! vars.insert("cluster".into(), "prod".into());
//! assert_eq!(substitute_str("env: ${cluster^^}-${region:=eu}", &vars, true).unwrap(), "env: PROD-eu");
//! assert_eq!(
//!     substitute_str("${missing}", &vars, true).unwrap_err().to_string(),
//!     "variable not set (strict mode): \"missing\""
//! );
//! ```

mod eval;
mod parse;

pub use parse::SyntaxError;

use indexmap::IndexMap;

use crate::resource::Resource;
use crate::yaml::{self, Limits, Profile, Value};

/// Variables by name, in the order they were first defined.
pub type Vars = IndexMap<String, String>;

/// The label or annotation that turns substitution off for one object.
pub const DISABLE_KEY: &str = "kustomize.toolkit.fluxcd.io/substitute";

/// The regular expression every variable name must match.
pub const VAR_NAME_PATTERN: &str = "^[_[:alpha:]][_[:alpha:][:digit:]]*$";

/// `spec.postBuild.substituteStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// Substitute only when there is at least one variable (Flux's default).
    #[default]
    WithVariables,
    /// Always substitute, so `${x:=default}` is expanded even with no variables.
    Always,
}

/// How to substitute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Strict mode (`StrictPostBuildSubstitutions`, on by default since
    /// kustomize-controller 1.9): a missing variable without a default is an error.
    pub strict: bool,
    /// When substitution runs at all.
    pub strategy: Strategy,
}

impl Default for Options {
    fn default() -> Self {
        Options { strict: true, strategy: Strategy::WithVariables }
    }
}

/// One `spec.postBuild.substituteFrom` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubstituteFrom {
    /// `ConfigMap` or `Secret` (other kinds are ignored, as Flux ignores them).
    pub kind: String,
    /// The object's name, in the Kustomization's namespace.
    pub name: String,
    /// A missing object is skipped instead of failing.
    pub optional: bool,
}

/// What can go wrong while substituting. Messages follow Flux's texts; values of
/// variables never appear in them.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A `${...}` expression that does not parse.
    #[error("{0}")]
    Syntax(SyntaxError),
    /// Strict mode: a variable used without a default is not defined.
    #[error("variable not set (strict mode): {}", go_quote(name))]
    NotSet {
        /// The variable's name.
        name: String,
    },
    /// Expressions nested deeper than we parse (Go has no bound; we keep one).
    #[error("expressions nested deeper than {limit} levels")]
    TooDeep {
        /// The bound.
        limit: usize,
    },
    /// A variable name that does not match [`VAR_NAME_PATTERN`].
    #[error("'{name}' var name is invalid, must match '{VAR_NAME_PATTERN}'")]
    InvalidVarName {
        /// The name.
        name: String,
    },
    /// A `substituteFrom` object that does not exist and is not optional.
    #[error("substitute from '{kind}/{name}' error: {} \"{name}\" not found", plural(kind))]
    SourceNotFound {
        /// `ConfigMap` or `Secret`.
        kind: String,
        /// The object's name.
        name: String,
    },
    /// A `substituteFrom` object whose data cannot be read.
    #[error("substitute from '{kind}/{name}' error: {message}")]
    SourceInvalid {
        /// `ConfigMap` or `Secret`.
        kind: String,
        /// The object's name.
        name: String,
        /// What is wrong (never a value).
        message: String,
    },
    /// The text after substitution is not valid YAML.
    #[error("YAMLToJSON: {message}")]
    Yaml {
        /// Go's `yaml: line N: ...` form; details are withheld when they could show a
        /// substituted value.
        message: String,
    },
    /// The object could not be printed as YAML before substitution.
    #[error("{message}")]
    Emit {
        /// The emitter's message.
        message: String,
    },
    /// Substitution failed for one object: `post build failed for '<gvk>/<name>': ...`.
    #[error("post build failed for '{gvk}/{name}': {}", post_build_cause(cause))]
    PostBuild {
        /// kustomize's GVK string (`ConfigMap.v1.[noGrp]`).
        gvk: String,
        /// The object's name.
        name: String,
        /// What failed.
        cause: Box<Error>,
    },
}

impl From<SyntaxError> for Error {
    fn from(e: SyntaxError) -> Self {
        Error::Syntax(e)
    }
}

fn post_build_cause(cause: &Error) -> String {
    match cause {
        Error::Syntax(_) | Error::NotSet { .. } | Error::TooDeep { .. } => {
            format!("envsubst error: variable substitution failed: {cause}")
        }
        Error::InvalidVarName { .. } | Error::Yaml { .. } => format!("envsubst error: {cause}"),
        _ => cause.to_string(),
    }
}

fn plural(kind: &str) -> String {
    match kind {
        "ConfigMap" => "configmaps".to_owned(),
        "Secret" => "secrets".to_owned(),
        other => format!("{}s", other.to_lowercase()),
    }
}

/// Go's `%q` for a string of printable characters (names are letters, digits and `_`).
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Expand every `${...}` in `text` (envsubst `Eval`).
///
/// With `strict`, a variable missing from `vars` is an error unless a default operator
/// (`=`, `:=`, `:-`, `:+`, `:?`) is used; a variable present with an empty value is not
/// missing. Without `strict`, missing variables are empty.
///
/// ```
/// use gitops_core::substitute::{Vars, substitute_str};
/// let mut vars = Vars::new();
/// vars.insert("file".into(), "path/to/app.tar.gz".into());
/// assert_eq!(substitute_str("${file##*/} ${file%%.*} $${file}", &vars, true).unwrap(), "app.tar.gz path/to/app ${file}");
/// assert_eq!(substitute_str("${AUTH[@]}", &vars, false).unwrap_err().to_string(), "missing closing brace");
/// ```
pub fn substitute_str(text: &str, vars: &Vars, strict: bool) -> Result<String, Error> {
    let nodes = parse::parse(text)?;
    let lookup = |name: &str| -> Option<String> {
        match vars.get(name) {
            Some(v) => Some(v.clone()),
            None if strict => None,
            None => Some(String::new()),
        }
    };
    let mut out = Vec::with_capacity(text.len());
    eval::eval(&nodes, &lookup, &mut out)?;
    Ok(match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Gather the variables for one Kustomization: each `substituteFrom` entry in order
/// (ConfigMap `.data`; Secret `.data` base64-decoded, with `.stringData` over it as the
/// API server would have merged it), later entries overwriting earlier keys, then the
/// inline `substitute` map over all. Every value has its `\n` characters removed.
///
/// `lookup(kind, namespace, name)` finds an object; objects are looked up in `namespace`
/// (the Kustomization's). A missing object is skipped when `optional`, else an error.
///
/// ```
/// use gitops_core::substitute::{SubstituteFrom, Vars, collect_vars};
/// let inline: Vars = [("a".to_owned(), "1\n".to_owned())].into_iter().collect();
/// let from = [SubstituteFrom { kind: "ConfigMap".into(), name: "vars".into(), optional: true }];
/// let vars = collect_vars(&inline, &from, "flux-system", &|_, _, _| None).unwrap();
/// assert_eq!(vars["a"], "1");
/// let strict = [SubstituteFrom { kind: "Secret".into(), name: "creds".into(), optional: false }];
/// assert_eq!(
///     collect_vars(&inline, &strict, "flux-system", &|_, _, _| None).unwrap_err().to_string(),
///     "substitute from 'Secret/creds' error: secrets \"creds\" not found"
/// );
/// ```
pub fn collect_vars(
    inline: &IndexMap<String, String>,
    from: &[SubstituteFrom],
    namespace: &str,
    lookup: &dyn Fn(&str, &str, &str) -> Option<Resource>,
) -> Result<Vars, Error> {
    let mut vars = Vars::new();
    for r in from {
        if r.kind != "ConfigMap" && r.kind != "Secret" {
            continue;
        }
        let Some(obj) = lookup(&r.kind, namespace, &r.name) else {
            if r.optional {
                continue;
            }
            return Err(Error::SourceNotFound { kind: r.kind.clone(), name: r.name.clone() });
        };
        let invalid = |message: String| Error::SourceInvalid {
            kind: r.kind.clone(),
            name: r.name.clone(),
            message,
        };
        if let Some(Value::Map(data)) = obj.value().get("data") {
            for (k, v) in data {
                let text = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => crate::resource::scalar_text(other),
                };
                let value = if r.kind == "Secret" {
                    let bytes = decode_base64(&text).ok_or_else(|| {
                        invalid(format!("illegal base64 data in key {}", go_quote(k)))
                    })?;
                    String::from_utf8_lossy(&bytes).into_owned()
                } else {
                    text
                };
                vars.insert(k.clone(), value.replace('\n', ""));
            }
        }
        if r.kind == "Secret"
            && let Some(Value::Map(data)) = obj.value().get("stringData")
        {
            for (k, v) in data {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => crate::resource::scalar_text(other),
                };
                vars.insert(k.clone(), text.replace('\n', ""));
            }
        }
    }
    for (k, v) in inline {
        vars.insert(k.clone(), v.replace('\n', ""));
    }
    Ok(vars)
}

/// Whether the object opts out with label or annotation
/// `kustomize.toolkit.fluxcd.io/substitute: disabled` (exact, case-sensitive value).
pub fn is_disabled(res: &Resource) -> bool {
    res.label(DISABLE_KEY) == Some("disabled") || res.annotation(DISABLE_KEY) == Some("disabled")
}

/// Whether `name` matches [`VAR_NAME_PATTERN`] (ASCII letters, digits, `_`; no leading digit).
pub fn is_valid_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Substitute one built object as kustomize-controller does after `kustomize build`.
///
/// Returns the object unchanged when it is disabled ([`is_disabled`]) or when the
/// strategy is [`Strategy::WithVariables`] and `vars` is empty. Otherwise every variable
/// name is checked, the object is printed as `kustomize build` prints it, the text is
/// substituted, and the result is read back as the API server reads YAML (so `"123"`
/// substituted into a plain scalar becomes a number and an empty value becomes `null`).
///
/// Errors are [`Error::PostBuild`], naming the object by kustomize's GVK string.
///
/// ```
/// use gitops_core::resource::Resource;
/// use gitops_core::substitute::{Options, Vars, substitute_resource};
/// use gitops_core::yaml::{Limits, Profile, Value, parse_values};
/// let obj = parse_values(
///     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  replicas: ${replicas}\n",
///     Profile::Kyaml,
///     &Limits::default(),
/// ).unwrap().remove(0);
/// let res = Resource::new(obj);
/// let vars: Vars = [("replicas".to_owned(), "3".to_owned())].into_iter().collect();
/// let out = substitute_resource(&res, &vars, &Options::default()).unwrap();
/// assert_eq!(out.value().get_path(&["data", "replicas"]), Some(&Value::Int(3)));
/// let err = substitute_resource(&res, &Vars::from([("x".to_owned(), "1".to_owned())]), &Options::default());
/// assert_eq!(
///     err.unwrap_err().to_string(),
///     "post build failed for 'ConfigMap.v1.[noGrp]/app': envsubst error: variable substitution failed: variable not set (strict mode): \"replicas\""
/// );
/// ```
pub fn substitute_resource(
    res: &Resource,
    vars: &Vars,
    options: &Options,
) -> Result<Resource, Error> {
    if is_disabled(res) {
        return Ok(res.clone());
    }
    if vars.is_empty() && options.strategy == Strategy::WithVariables {
        return Ok(res.clone());
    }
    let wrap = |cause: Error| Error::PostBuild {
        gvk: res.gvk().to_string(),
        name: res.name().to_owned(),
        cause: Box::new(cause),
    };
    if let Some(bad) = vars.keys().find(|k| !is_valid_var_name(k)) {
        return Err(wrap(Error::InvalidVarName { name: bad.clone() }));
    }
    let text = yaml::to_kustomize_yaml(res.value())
        .map_err(|e| wrap(Error::Emit { message: e.to_string() }))?;
    let out = substitute_str(&text, vars, options.strict).map_err(wrap)?;
    let mut docs = yaml::parse_values(&out, Profile::ApiServer, &Limits::default())
        .map_err(|e| wrap(yaml_error(&e, vars)))?;
    // YAMLToJSON reads the first document only.
    let value = if docs.is_empty() { Value::Null } else { docs.swap_remove(0) };
    Ok(Resource::new(value))
}

/// Go's `yaml: line N: message`, without details that could show a substituted value.
fn yaml_error(e: &yaml::Error, vars: &Vars) -> Error {
    let line = e.mark().map(|m| m.line).unwrap_or(0);
    let detail = match e {
        yaml::Error::Syntax { message, .. }
        | yaml::Error::Resolve { message, .. }
        | yaml::Error::Emit { message }
        | yaml::Error::Data { message } => message.clone(),
        other => other.to_string(),
    };
    let leaks = vars.values().any(|v| !v.is_empty() && detail.contains(v.as_str()));
    let detail = if leaks {
        "invalid YAML after substitution (details withheld: they contain a substituted value)"
            .to_owned()
    } else {
        detail
    };
    Error::Yaml { message: format!("yaml: line {line}: {detail}") }
}

/// `encoding/base64.StdEncoding` (padded standard alphabet; `\r`/`\n` ignored, as Go's
/// decoder skips them).
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = s.bytes().filter(|b| *b != b'\n' && *b != b'\r').collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    let n = clean.len() / 4;
    for (i, q) in clean.chunks(4).enumerate() {
        let last = i + 1 == n;
        let pad = q.iter().rev().take_while(|b| **b == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut acc = 0u32;
        for (j, &c) in q.iter().enumerate() {
            let v = if j >= 4 - pad { 0 } else { val(c)? };
            acc = (acc << 6) | v;
        }
        let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests;
