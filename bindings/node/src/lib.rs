//! The Node face of gitops-sdk (napi-rs v3).
//!
//! Conversion and error mapping only. Every operation has a synchronous function and a
//! `…Async` variant that runs on the libuv thread pool and returns a `Promise`. Errors
//! are JS `Error`s with `code` (`GITOPS_KUSTOMIZE_ENTRY`, …), `kind`, `file` and `line`;
//! `index.js` turns them into the `GitopsError` subclasses by `code`. Each Rust module
//! adds one sync function (and a `Task` where the work is heavy); the error kinds live in
//! `gitops-sdk-bindings-common`, shared with the Python binding.
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::result::Result as StdResult;

use gitops_core::cluster::{Cluster, LiveDir};
use gitops_core::inventory::{Inventory, InventoryEntry, Owner};
use gitops_core::notify;
use gitops_core::resource::Resource;
use gitops_core::resource::ResourceList;
use gitops_core::yaml::{Mapping, Value};
use gitops_core::{deps, diff, health, plan, render, substitute};
use gitops_kustomize::{MemFs, Options, RealFs};
use gitops_sdk_bindings_common::{self as common, Failure, Family};
use napi::bindgen_prelude::*;
use napi::{Env, Task};
use napi_derive::napi;

/// The JS error of a Rust error: an `Error` with the Rust message and `code`, `kind`,
/// `file`, `line` (index.js gives it its class by `code`).
fn js_error(env: &Env, f: Failure) -> Error {
    let code = match f.family {
        Family::InvalidArgument => "GITOPS_INVALID_ARGUMENT".to_string(),
        _ => f.code(),
    };
    let made = env.create_error(Error::new(Status::GenericFailure, f.message.clone())).and_then(
        |mut obj| {
            obj.set_named_property("code", code.as_str())?;
            obj.set_named_property("kind", f.kind)?;
            obj.set_named_property("file", f.file.as_deref())?;
            obj.set_named_property("line", f.line)?;
            Ok(Error::from(obj.to_unknown()))
        },
    );
    made.unwrap_or_else(|e| e)
}

/// `js_error` for any Rust error the bindings know.
fn fail<E: Into<Failure>>(env: &Env) -> impl Fn(E) -> Error + '_ {
    move |e| js_error(env, e.into())
}

/// Build settings (all optional).
#[napi(object)]
#[derive(Default)]
pub struct BuildOptions {
    /// Output order: kustomize's legacy kind order (default) or input order.
    #[napi(ts_type = "'legacy' | 'none'")]
    pub reorder: Option<String>,
    /// Which files a kustomization may read (default `LoadRestrictionsRootOnly`).
    #[napi(ts_type = "'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone'")]
    pub load_restrictor: Option<String>,
}

fn options_of(options: Option<BuildOptions>) -> StdResult<Options, Failure> {
    let options = options.unwrap_or_default();
    Ok(Options {
        reorder: common::reorder(options.reorder.as_deref().unwrap_or("legacy"))?,
        load_restrictor: common::load_restrictor(
            options.load_restrictor.as_deref().unwrap_or("LoadRestrictionsRootOnly"),
        )?,
        remote: None,
    })
}

/// Where a build reads from.
enum Source {
    Disk(PathBuf),
    Memory(MemFs, PathBuf),
}

impl Source {
    fn memory(files: BTreeMap<String, String>, path: Option<String>) -> Source {
        let mut fs = MemFs::new();
        for (name, text) in files {
            // Relative names are relative to the root of the in-memory tree.
            fs.add_file(Path::new("/").join(name), text);
        }
        Source::Memory(fs, Path::new("/").join(path.unwrap_or_default()))
    }

    fn build(&self, options: &Options) -> StdResult<ResourceList, Failure> {
        let result = match self {
            Source::Disk(path) => gitops_kustomize::build(&RealFs, path, options),
            Source::Memory(fs, path) => gitops_kustomize::build(fs, path, options),
        };
        Ok(result?)
    }
}

/// Resources on their way to JS: plain objects in kustomize's output order.
pub struct Resources(ResourceList);

impl TypeName for Resources {
    fn type_name() -> &'static str {
        "Array<Record<string, any>>"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Resources {
    unsafe fn to_napi_value(env: napi::sys::napi_env, val: Self) -> Result<napi::sys::napi_value> {
        let values: Vec<&Value> = val.0.iter().map(|r| r.value()).collect();
        values_to_js(&Env::from_raw(env), &values)
    }
}

/// Whether a value holds a float JSON cannot carry (NaN, ±infinity).
fn has_non_finite(v: &Value) -> bool {
    match v {
        Value::Float(f) => !f.is_finite(),
        Value::Seq(items) => items.iter().any(has_non_finite),
        Value::Map(map) => map.values().any(has_non_finite),
        _ => false,
    }
}

/// YAML values as JS values: through JSON text and V8's `JSON.parse`, which builds large
/// object trees several times faster than one napi call per property; values JSON
/// cannot carry (NaN, infinities) go the napi way.
fn values_to_js(env: &Env, values: &[&Value]) -> Result<napi::sys::napi_value> {
    if !values.iter().any(|v| has_non_finite(v))
        && let Ok(text) = serde_json::to_string(values)
    {
        let json: Object = env.get_global()?.get_named_property("JSON")?;
        let parse: Function<String, Unknown> = json.get_named_property("parse")?;
        return Ok(parse.call(text)?.raw());
    }
    Ok(env.to_js_value(&values)?.raw())
}

/// What a build returns: the objects or kustomize's YAML text.
enum Output {
    Objects,
    Yaml,
}

/// Either result of a build.
pub enum Built {
    /// The objects.
    Objects(Resources),
    /// The YAML text.
    Yaml(String),
}

impl TypeName for Built {
    fn type_name() -> &'static str {
        "Array<Record<string, any>> | string"
    }
    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ToNapiValue for Built {
    unsafe fn to_napi_value(env: napi::sys::napi_env, val: Self) -> Result<napi::sys::napi_value> {
        // SAFETY: forwarded to napi's own conversions with the same env.
        unsafe {
            match val {
                Built::Objects(r) => Resources::to_napi_value(env, r),
                Built::Yaml(s) => String::to_napi_value(env, s),
            }
        }
    }
}

fn run(
    source: &Source,
    options: Option<BuildOptions>,
    output: Output,
) -> StdResult<Built, Failure> {
    let options = options_of(options)?;
    let list = source.build(&options)?;
    match output {
        Output::Objects => Ok(Built::Objects(Resources(list))),
        Output::Yaml => Ok(Built::Yaml(gitops_kustomize::to_yaml(&list)?)),
    }
}

/// A build on the libuv thread pool.
pub struct BuildTask {
    source: Source,
    options: Option<BuildOptions>,
    output: Output,
    failure: Option<Failure>,
}

impl Task for BuildTask {
    type Output = Built;
    type JsValue = Built;

    fn compute(&mut self) -> Result<Built> {
        run(&self.source, self.options.take(), std::mem::replace(&mut self.output, Output::Objects))
            .map_err(|f| {
                let reason = f.message.clone();
                self.failure = Some(f);
                Error::from_reason(reason)
            })
    }

    fn resolve(&mut self, _env: Env, output: Built) -> Result<Built> {
        Ok(output)
    }

    fn reject(&mut self, env: Env, err: Error) -> Result<Built> {
        match self.failure.take() {
            Some(f) => Err(js_error(&env, f)),
            None => Err(err),
        }
    }
}

fn task(source: Source, options: Option<BuildOptions>, output: Output) -> AsyncTask<BuildTask> {
    AsyncTask::new(BuildTask { source, options, output, failure: None })
}

/// `kustomize build path`: the resources as plain objects, in kustomize's output order.
#[napi(ts_return_type = "Array<Record<string, any>>")]
pub fn build(env: Env, path: String, options: Option<BuildOptions>) -> Result<Built> {
    run(&Source::Disk(path.into()), options, Output::Objects).map_err(fail(&env))
}

/// `kustomize build path`: the YAML text kustomize prints.
#[napi(ts_return_type = "string")]
pub fn build_yaml(env: Env, path: String, options: Option<BuildOptions>) -> Result<Built> {
    run(&Source::Disk(path.into()), options, Output::Yaml).map_err(fail(&env))
}

/// Build an in-memory tree `{path: text}` at `path` (default: the tree's root `/`).
#[napi(ts_return_type = "Array<Record<string, any>>")]
pub fn build_files(
    env: Env,
    files: BTreeMap<String, String>,
    path: Option<String>,
    options: Option<BuildOptions>,
) -> Result<Built> {
    run(&Source::memory(files, path), options, Output::Objects).map_err(fail(&env))
}

/// Like `buildFiles`, returning the YAML text kustomize prints.
#[napi(ts_return_type = "string")]
pub fn build_files_yaml(
    env: Env,
    files: BTreeMap<String, String>,
    path: Option<String>,
    options: Option<BuildOptions>,
) -> Result<Built> {
    run(&Source::memory(files, path), options, Output::Yaml).map_err(fail(&env))
}

/// `build` off the main thread.
#[napi(ts_return_type = "Promise<Array<Record<string, any>>>")]
pub fn build_async(path: String, options: Option<BuildOptions>) -> AsyncTask<BuildTask> {
    task(Source::Disk(path.into()), options, Output::Objects)
}

/// `buildYaml` off the main thread.
#[napi(ts_return_type = "Promise<string>")]
pub fn build_yaml_async(path: String, options: Option<BuildOptions>) -> AsyncTask<BuildTask> {
    task(Source::Disk(path.into()), options, Output::Yaml)
}

/// `buildFiles` off the main thread.
#[napi(ts_return_type = "Promise<Array<Record<string, any>>>")]
pub fn build_files_async(
    files: BTreeMap<String, String>,
    path: Option<String>,
    options: Option<BuildOptions>,
) -> AsyncTask<BuildTask> {
    task(Source::memory(files, path), options, Output::Objects)
}

/// `buildFilesYaml` off the main thread.
#[napi(ts_return_type = "Promise<string>")]
pub fn build_files_yaml_async(
    files: BTreeMap<String, String>,
    path: Option<String>,
    options: Option<BuildOptions>,
) -> AsyncTask<BuildTask> {
    task(Source::memory(files, path), options, Output::Yaml)
}

/// The Provider's Secret, already read.
#[napi(object)]
pub struct NotifySecret {
    /// Key `address`.
    pub address: Option<String>,
    /// Key `token`.
    pub token: Option<String>,
    /// Key `headers`.
    pub headers: Option<BTreeMap<String, String>>,
}

/// A Flux Provider with its Secret resolved.
#[napi(object)]
pub struct NotifyProvider {
    /// `spec.type`.
    #[napi(js_name = "type")]
    pub provider_type: String,
    /// `metadata.name`.
    pub name: Option<String>,
    /// `metadata.namespace`.
    pub namespace: Option<String>,
    /// `spec.address`.
    pub address: Option<String>,
    /// `spec.channel`.
    pub channel: Option<String>,
    /// `spec.username`.
    pub username: Option<String>,
    /// `spec.suspend`.
    pub suspend: Option<bool>,
    /// The Secret of `spec.secretRef`.
    pub secret: Option<NotifySecret>,
}

/// One HTTP POST.
#[napi(object)]
pub struct NotifyPayload {
    /// The URL to POST to.
    pub url: String,
    /// Headers as `[name, value]` pairs (Go's canonical names, sorted).
    pub headers: Vec<Vec<String>>,
    /// The body bytes.
    pub body: Buffer,
}

/// The HTTP request notification-controller sends to `provider` for a Flux event (the
/// event's JSON as notification-controller receives it).
#[napi]
pub fn notify_payload(
    env: Env,
    provider: NotifyProvider,
    event_json: Either<String, Buffer>,
) -> Result<NotifyPayload> {
    let provider = notify::Provider {
        name: provider.name.unwrap_or_default(),
        namespace: provider.namespace.unwrap_or_default(),
        provider_type: provider.provider_type,
        address: provider.address.unwrap_or_default(),
        channel: provider.channel.unwrap_or_default(),
        username: provider.username.unwrap_or_default(),
        suspend: provider.suspend.unwrap_or(false),
        secret: provider.secret.map(|s| notify::ProviderSecret {
            address: s.address,
            token: s.token,
            headers: s.headers.unwrap_or_default().into_iter().collect(),
        }),
    };
    let bytes: Vec<u8> = match event_json {
        Either::A(text) => text.into_bytes(),
        Either::B(buf) => buf.to_vec(),
    };
    let event = notify::Event::from_json(&bytes).map_err(fail(&env))?;
    let payload = notify::build_payload(&provider, &event).map_err(fail(&env))?;
    Ok(NotifyPayload {
        url: payload.url,
        headers: payload.headers.into_iter().map(|(k, v)| vec![k, v]).collect(),
        body: payload.body.into(),
    })
}

// ---- JS values <-> Rust values -----------------------------------------------------

/// The largest integer a JS number holds exactly (2^53).
const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

/// A JS value (read through serde_json, depth-limited by napi) as a YAML value. JS has
/// one number type: integral numbers within ±2^53 become integers.
fn json_to_value(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if let Some(u) = n.as_u64() {
                Value::Uint(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f.is_finite() && f.trunc() == f && f.abs() <= MAX_SAFE {
                    Value::Int(f as i64)
                } else {
                    Value::Float(f)
                }
            }
        }
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => {
            Value::Seq(items.into_iter().map(json_to_value).collect())
        }
        serde_json::Value::Object(map) => {
            let mut out = Mapping::with_capacity(map.len());
            for (k, v) in map {
                out.insert(k, json_to_value(v));
            }
            Value::Map(out)
        }
    }
}

fn resources_of(objects: Vec<serde_json::Value>) -> Vec<Resource> {
    objects.into_iter().map(|o| Resource::new(json_to_value(o))).collect()
}

fn vars_of(
    variables: serde_json::Map<String, serde_json::Value>,
) -> StdResult<substitute::Vars, Failure> {
    let mut out = substitute::Vars::with_capacity(variables.len());
    for (k, v) in variables {
        match v {
            serde_json::Value::String(s) => {
                out.insert(k, s);
            }
            _ => {
                return Err(Failure::invalid_argument(format!(
                    "variable {k:?}: values must be strings"
                )));
            }
        }
    }
    Ok(out)
}

fn ignore_of(ignore: Option<serde_json::Value>) -> StdResult<Vec<diff::IgnoreRule>, Failure> {
    match ignore {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(v) => common::ignore_rules(Some(&json_to_value(v))),
    }
}

/// A YAML value on its way to JS (a plain object, array or scalar).
pub struct Obj(Value);

impl TypeName for Obj {
    fn type_name() -> &'static str {
        "any"
    }
    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ToNapiValue for Obj {
    unsafe fn to_napi_value(env: napi::sys::napi_env, val: Self) -> Result<napi::sys::napi_value> {
        Ok(Env::from_raw(env).to_js_value(&val.0)?.raw())
    }
}

// ---- substitute ----------------------------------------------------------------------

/// Substitution settings (`spec.postBuild`).
#[napi(object)]
#[derive(Default)]
pub struct SubstituteOptions {
    /// Fail on a variable without a value and no default (default `true`).
    pub strict: Option<bool>,
    /// `substituteStrategy` (default `WithVariables`).
    #[napi(ts_type = "'WithVariables' | 'Always'")]
    pub strategy: Option<String>,
}

/// Flux's post-build substitution of one object (`spec.postBuild.substitute`).
#[napi(ts_return_type = "Record<string, any>")]
pub fn substitute(
    env: Env,
    #[napi(ts_arg_type = "Record<string, any>")] resource: serde_json::Value,
    #[napi(ts_arg_type = "Record<string, string>")] variables: serde_json::Map<
        String,
        serde_json::Value,
    >,
    options: Option<SubstituteOptions>,
) -> Result<Obj> {
    let run = || -> StdResult<Obj, Failure> {
        let options = options.unwrap_or_default();
        let options = substitute::Options {
            strict: options.strict.unwrap_or(true),
            strategy: common::substitute_strategy(
                options.strategy.as_deref().unwrap_or("WithVariables"),
            )?,
        };
        let res = Resource::new(json_to_value(resource));
        let out = substitute::substitute_resource(&res, &vars_of(variables)?, &options)?;
        Ok(Obj(out.into_value()))
    };
    run().map_err(fail(&env))
}

/// Flux's `${var}` substitution of a text.
#[napi]
pub fn substitute_text(
    env: Env,
    text: String,
    #[napi(ts_arg_type = "Record<string, string>")] variables: serde_json::Map<
        String,
        serde_json::Value,
    >,
    options: Option<SubstituteOptions>,
) -> Result<String> {
    let strict = options.and_then(|o| o.strict).unwrap_or(true);
    let run = || -> StdResult<String, Failure> {
        Ok(substitute::substitute_str(&text, &vars_of(variables)?, strict)?)
    };
    run().map_err(fail(&env))
}

// ---- deps ----------------------------------------------------------------------------

/// A Kustomization or HelmRelease in the dependsOn graph.
#[napi(object)]
pub struct DependencyId {
    /// `Kustomization` or `HelmRelease`.
    pub kind: String,
    /// The namespace.
    pub namespace: String,
    /// The name.
    pub name: String,
}

impl From<deps::NodeId> for DependencyId {
    fn from(id: deps::NodeId) -> DependencyId {
        DependencyId { kind: id.kind, namespace: id.namespace, name: id.name }
    }
}

/// The Kustomizations and HelmReleases among `objects` in dependsOn order.
#[napi]
pub fn dependency_order(
    env: Env,
    #[napi(ts_arg_type = "Array<Record<string, any>>")] objects: Vec<serde_json::Value>,
) -> Result<Vec<DependencyId>> {
    let res = resources_of(objects);
    let order =
        deps::nodes_from_resources(&res).and_then(|n| deps::order(&n)).map_err(fail(&env))?;
    Ok(order.into_iter().map(DependencyId::from).collect())
}

/// The Kustomizations and HelmReleases among `objects` in parallel waves.
#[napi]
pub fn dependency_waves(
    env: Env,
    #[napi(ts_arg_type = "Array<Record<string, any>>")] objects: Vec<serde_json::Value>,
) -> Result<Vec<Vec<DependencyId>>> {
    let res = resources_of(objects);
    let waves =
        deps::nodes_from_resources(&res).and_then(|n| deps::waves(&n)).map_err(fail(&env))?;
    Ok(waves.into_iter().map(|w| w.into_iter().map(DependencyId::from).collect()).collect())
}

// ---- health --------------------------------------------------------------------------

/// kstatus health.
#[napi(object)]
pub struct Health {
    /// `Current`, `InProgress`, `Failed`, `Terminating`, `NotFound` or `Unknown`.
    pub status: String,
    /// kstatus's message.
    pub message: String,
}

/// kstatus health of one object.
#[napi]
pub fn health(#[napi(ts_arg_type = "Record<string, any>")] object: serde_json::Value) -> Health {
    let h = health::compute(&Resource::new(json_to_value(object)));
    Health { status: h.status.as_str().to_string(), message: h.message }
}

// ---- diff ----------------------------------------------------------------------------

/// Drift settings.
#[napi(object)]
#[derive(Default)]
pub struct DiffOptions {
    /// A Kustomization's `spec.ignore` rules.
    #[napi(ts_type = "Array<{ paths: string[]; target?: Record<string, any> }>")]
    pub ignore: Option<serde_json::Value>,
    /// Lines of context of `unifiedDiff` (default 3).
    pub context: Option<u32>,
}

fn diff_options(options: Option<DiffOptions>) -> StdResult<diff::Options, Failure> {
    let options = options.unwrap_or_default();
    Ok(diff::Options {
        ignore: ignore_of(options.ignore)?,
        context: options.context.map_or(3, |c| c as usize),
    })
}

/// One drifted field.
#[napi(object, object_from_js = false)]
pub struct Change {
    /// RFC 6901 JSON pointer.
    pub path: String,
    /// The live value (absent: live does not have it).
    pub before: Option<Obj>,
    /// The desired value (absent: the field goes away).
    pub after: Option<Obj>,
}

/// Drift between a desired and a live object after Flux's normalisation (empty: in
/// sync). Secret values are masked.
#[napi]
pub fn diff(
    env: Env,
    #[napi(ts_arg_type = "Record<string, any>")] desired: serde_json::Value,
    #[napi(ts_arg_type = "Record<string, any>")] live: serde_json::Value,
    options: Option<DiffOptions>,
) -> Result<Vec<Change>> {
    let options = diff_options(options).map_err(fail(&env))?;
    let desired = Resource::new(json_to_value(desired));
    let live = Resource::new(json_to_value(live));
    Ok(diff::compare(&desired, &live, &options)
        .into_iter()
        .map(|c| Change { path: c.path, before: c.before.map(Obj), after: c.after.map(Obj) })
        .collect())
}

/// A unified text diff from the live object (or nothing) to the desired one; Secret
/// values masked.
#[napi]
pub fn unified_diff(
    env: Env,
    #[napi(ts_arg_type = "Record<string, any>")] desired: serde_json::Value,
    #[napi(ts_arg_type = "Record<string, any> | null")] live: Option<serde_json::Value>,
    options: Option<DiffOptions>,
) -> Result<String> {
    let options = diff_options(options).map_err(fail(&env))?;
    let desired = Resource::new(json_to_value(desired));
    let live = live.filter(|l| !l.is_null()).map(|l| Resource::new(json_to_value(l)));
    Ok(diff::unified(&desired, live.as_ref(), &options))
}

// ---- plan ----------------------------------------------------------------------------

/// A Flux inventory entry.
#[napi(object)]
pub struct InventoryItem {
    /// `<namespace>_<name>_<group>_<kind>`.
    pub id: String,
    /// The API version (without the group).
    pub v: String,
}

/// The Kustomization that owns the objects.
#[napi(object)]
pub struct PlanOwner {
    /// Its name.
    pub name: String,
    /// Its namespace.
    pub namespace: String,
}

/// Plan settings (a Kustomization's spec).
#[napi(object)]
#[derive(Default)]
pub struct PlanOptions {
    /// The live-state directory (default: an empty cluster).
    pub live_dir: Option<String>,
    /// The previous inventory (for the prune plan).
    pub previous_inventory: Option<Vec<InventoryItem>>,
    /// The Kustomization: owner labels, owner check on prune.
    pub owner: Option<PlanOwner>,
    /// `spec.prune` (default `true`).
    pub prune: Option<bool>,
    /// `spec.force` (default `false`).
    pub force: Option<bool>,
    /// `spec.ignore` rules.
    #[napi(ts_type = "Array<{ paths: string[]; target?: Record<string, any> }>")]
    pub ignore: Option<serde_json::Value>,
}

/// One change-set entry.
#[napi(object)]
pub struct ChangeSetEntry {
    /// `Kind/namespace/name`.
    pub subject: String,
    /// `created`, `configured`, `unchanged`, `deleted` or `skipped`.
    pub action: String,
    /// The Flux inventory id.
    pub id: String,
}

/// One object to apply, in apply order.
#[napi(object, object_from_js = false)]
pub struct PlanStep {
    /// `Kind/namespace/name`.
    pub subject: String,
    /// `created`, `configured`, `unchanged` or `skipped`.
    pub action: String,
    /// The Flux inventory id.
    pub id: String,
    /// `definitions`, `classes`, `custom` or `rest`.
    pub stage: String,
    /// Delete first (immutable field changed, force on).
    pub recreate: bool,
    /// The object, owner labels set.
    #[napi(ts_type = "Record<string, any>")]
    pub object: Obj,
}

/// The apply plan of one Kustomization.
#[napi(object, object_from_js = false)]
pub struct Plan {
    /// The objects to apply, stage by stage.
    pub apply: Vec<PlanStep>,
    /// The stale objects, in deletion order.
    pub prune: Vec<ChangeSetEntry>,
    /// The inventory after the apply.
    pub inventory: Vec<InventoryItem>,
    /// Flux's change lines (`created`, `configured`, `deleted`).
    pub changes: String,
    /// Every entry, one line each.
    pub change_set: String,
}

fn entry_js(e: &plan::ChangeSetEntry) -> ChangeSetEntry {
    ChangeSetEntry {
        subject: e.subject.clone(),
        action: e.action.as_str().to_string(),
        id: InventoryEntry::from_ref(&e.id).id,
    }
}

fn plan_js(p: plan::Plan) -> Plan {
    let change_set = p.change_set();
    Plan {
        prune: p.prune.iter().map(entry_js).collect(),
        inventory: p
            .inventory
            .entries
            .into_iter()
            .map(|e| InventoryItem { id: e.id, v: e.v })
            .collect(),
        changes: change_set.changes(),
        change_set: change_set.to_string(),
        apply: p
            .apply
            .into_iter()
            .map(|s| {
                let e = entry_js(&s.entry);
                PlanStep {
                    subject: e.subject,
                    action: e.action,
                    id: e.id,
                    stage: s.stage.to_string(),
                    recreate: s.recreate,
                    object: Obj(s.object.into_value()),
                }
            })
            .collect(),
    }
}

/// A plan's inputs, converted.
pub struct PlanInput {
    desired: Vec<Resource>,
    live_dir: Option<PathBuf>,
    previous: Option<Inventory>,
    options: plan::Options,
}

impl PlanInput {
    fn new(
        desired: Vec<serde_json::Value>,
        options: Option<PlanOptions>,
    ) -> StdResult<PlanInput, Failure> {
        let o = options.unwrap_or_default();
        Ok(PlanInput {
            desired: resources_of(desired),
            live_dir: o.live_dir.map(PathBuf::from),
            previous: o.previous_inventory.map(|items| {
                Inventory::from_entries(items.iter().map(|i| (i.id.as_str(), i.v.as_str())))
            }),
            options: plan::Options {
                owner: o.owner.map(|w| Owner::new(w.name, w.namespace)),
                prune: o.prune.unwrap_or(true),
                force: o.force.unwrap_or(false),
                custom_stage_kinds: Vec::new(),
                diff: diff::Options { ignore: ignore_of(o.ignore)?, context: 3 },
            },
        })
    }

    fn run(&self) -> StdResult<plan::Plan, Failure> {
        let live: Box<dyn Cluster> = match &self.live_dir {
            Some(dir) => Box::new(LiveDir::open(dir)?),
            None => Box::new(common::NoCluster),
        };
        Ok(plan::plan(&self.desired, live.as_ref(), self.previous.as_ref(), &self.options)?)
    }
}

/// Flux's apply plan of one Kustomization's objects against a live-state directory (or
/// an empty cluster): stages, actions, the prune plan and the new inventory.
#[napi]
pub fn plan(
    env: Env,
    #[napi(ts_arg_type = "Array<Record<string, any>>")] desired: Vec<serde_json::Value>,
    options: Option<PlanOptions>,
) -> Result<Plan> {
    let input = PlanInput::new(desired, options).map_err(fail(&env))?;
    input.run().map(plan_js).map_err(fail(&env))
}

/// `plan` on the libuv thread pool (it reads the live directory).
pub struct PlanTask {
    input: PlanInput,
    failure: Option<Failure>,
}

impl Task for PlanTask {
    type Output = plan::Plan;
    type JsValue = Plan;

    fn compute(&mut self) -> Result<plan::Plan> {
        self.input.run().map_err(|f| {
            let reason = f.message.clone();
            self.failure = Some(f);
            Error::from_reason(reason)
        })
    }

    fn resolve(&mut self, _env: Env, output: plan::Plan) -> Result<Plan> {
        Ok(plan_js(output))
    }

    fn reject(&mut self, env: Env, err: Error) -> Result<Plan> {
        match self.failure.take() {
            Some(f) => Err(js_error(&env, f)),
            None => Err(err),
        }
    }
}

/// `plan` off the main thread.
#[napi(ts_return_type = "Promise<Plan>")]
pub fn plan_async(
    env: Env,
    #[napi(ts_arg_type = "Array<Record<string, any>>")] desired: Vec<serde_json::Value>,
    options: Option<PlanOptions>,
) -> Result<AsyncTask<PlanTask>> {
    let input = PlanInput::new(desired, options).map_err(fail(&env))?;
    Ok(AsyncTask::new(PlanTask { input, failure: None }))
}

// ---- render --------------------------------------------------------------------------

/// Render settings.
#[napi(object)]
#[derive(Default)]
pub struct RenderOptions {
    /// The local checkout root of the cluster's own GitRepository (default: found from
    /// the flux-system Kustomization's path).
    pub root: Option<String>,
    /// Directories of other sources, by `Kind/namespace/name`.
    pub sources: Option<BTreeMap<String, String>>,
    /// Objects in the cluster but not in Git (ConfigMaps/Secrets for `substituteFrom`).
    #[napi(ts_type = "Array<Record<string, any>>")]
    pub objects: Option<Vec<serde_json::Value>>,
    /// Strict post-build substitution (default `true`).
    pub strict: Option<bool>,
    /// Leave out Kustomizations whose source is not available offline.
    pub skip_unavailable_sources: Option<bool>,
}

/// A `dependsOn` entry (namespace defaulted).
#[napi(object)]
pub struct DependsOn {
    /// Name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
}

/// One rendered Flux Kustomization.
#[napi(object, object_from_js = false)]
pub struct RenderedKustomization {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `spec.path`.
    pub path: String,
    /// The directory built.
    pub dir: String,
    /// The source, `Kind/namespace/name`.
    pub source: String,
    /// `spec.dependsOn`.
    pub depends_on: Vec<DependsOn>,
    /// The Kustomization it was found in (`namespace/name`).
    pub parent: Option<String>,
    /// Its objects after post-build.
    #[napi(ts_type = "Array<Record<string, any>>")]
    pub objects: Obj,
}

/// A Kustomization left out (`skipUnavailableSources`).
#[napi(object)]
pub struct SkippedKustomization {
    /// `namespace/name`.
    pub kustomization: String,
    /// `Kind/namespace/name`.
    pub source: String,
    /// Why.
    pub reason: String,
}

/// A rendered cluster.
#[napi(object, object_from_js = false)]
pub struct RenderedCluster {
    /// Every Kustomization, in the order found.
    pub kustomizations: Vec<RenderedKustomization>,
    /// Kustomizations left out.
    pub skipped: Vec<SkippedKustomization>,
    /// The checkout root used.
    pub root: String,
}

/// A render's inputs, converted.
pub struct RenderInput {
    path: PathBuf,
    options: render::Options,
}

impl RenderInput {
    fn new(path: String, options: Option<RenderOptions>) -> RenderInput {
        let o = options.unwrap_or_default();
        RenderInput {
            path: path.into(),
            options: render::Options {
                root: o.root.map(PathBuf::from),
                sources: o
                    .sources
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, PathBuf::from(v)))
                    .collect(),
                objects: resources_of(o.objects.unwrap_or_default()),
                strict_substitution: o.strict.unwrap_or(true),
                skip_unavailable_sources: o.skip_unavailable_sources.unwrap_or(false),
                ..render::Options::default()
            },
        }
    }

    fn run(&self) -> StdResult<render::Outcome, Failure> {
        let builder = gitops_kustomize::flux::FluxBuilder::default();
        Ok(render::render_cluster(&RealFs, &self.path, &builder, &self.options)?)
    }
}

fn rendered_js(outcome: render::Outcome) -> RenderedCluster {
    RenderedCluster {
        root: outcome.root.to_string_lossy().into_owned(),
        skipped: outcome
            .skipped
            .into_iter()
            .map(|s| SkippedKustomization {
                kustomization: s.kustomization,
                source: s.source,
                reason: s.reason,
            })
            .collect(),
        kustomizations: outcome
            .kustomizations
            .into_iter()
            .map(|k| RenderedKustomization {
                name: k.name,
                namespace: k.namespace,
                path: k.path,
                dir: k.dir.to_string_lossy().into_owned(),
                source: k.source,
                depends_on: k
                    .depends_on
                    .into_iter()
                    .map(|d| DependsOn { name: d.name, namespace: d.namespace })
                    .collect(),
                parent: k.parent,
                objects: Obj(Value::Seq(k.objects.into_iter().map(Resource::into_value).collect())),
            })
            .collect(),
    }
}

/// Render a whole cluster offline as Flux would (`clusters/<name>`): every Flux
/// Kustomization found, built and post-built, in the order found.
#[napi]
pub fn render_cluster(
    env: Env,
    path: String,
    options: Option<RenderOptions>,
) -> Result<RenderedCluster> {
    RenderInput::new(path, options).run().map(rendered_js).map_err(fail(&env))
}

/// `renderCluster` on the libuv thread pool.
pub struct RenderTask {
    input: RenderInput,
    failure: Option<Failure>,
}

impl Task for RenderTask {
    type Output = render::Outcome;
    type JsValue = RenderedCluster;

    fn compute(&mut self) -> Result<render::Outcome> {
        self.input.run().map_err(|f| {
            let reason = f.message.clone();
            self.failure = Some(f);
            Error::from_reason(reason)
        })
    }

    fn resolve(&mut self, _env: Env, output: render::Outcome) -> Result<RenderedCluster> {
        Ok(rendered_js(output))
    }

    fn reject(&mut self, env: Env, err: Error) -> Result<RenderedCluster> {
        match self.failure.take() {
            Some(f) => Err(js_error(&env, f)),
            None => Err(err),
        }
    }
}

/// `renderCluster` off the main thread.
#[napi(ts_return_type = "Promise<RenderedCluster>")]
pub fn render_cluster_async(path: String, options: Option<RenderOptions>) -> AsyncTask<RenderTask> {
    AsyncTask::new(RenderTask { input: RenderInput::new(path, options), failure: None })
}

// ---- image policies ------------------------------------------------------------------

/// The tag an ImagePolicy object selects among `tags` (semver, alphabetical or
/// numerical, after `filterTags`).
#[napi]
pub fn select_image_tag(
    env: Env,
    #[napi(ts_arg_type = "Record<string, any>")] policy: serde_json::Value,
    tags: Vec<String>,
) -> Result<String> {
    gitops_core::image::policy::select_latest(&json_to_value(policy), &tags).map_err(fail(&env))
}

// ---- off-thread jobs -----------------------------------------------------------------

/// A job on the libuv thread pool: converted inputs in a closure, its `Failure` kept for
/// the typed JS error.
pub struct Job<T> {
    work: Option<Box<dyn FnOnce() -> StdResult<T, Failure> + Send>>,
    failure: Option<Failure>,
}

fn job<T>(work: impl FnOnce() -> StdResult<T, Failure> + Send + 'static) -> AsyncTask<Job<T>>
where
    Job<T>: Task,
{
    AsyncTask::new(Job { work: Some(Box::new(work)), failure: None })
}

impl<T: ToNapiValue + TypeName + Send + 'static> Task for Job<T> {
    type Output = T;
    type JsValue = T;

    fn compute(&mut self) -> Result<T> {
        let work = self.work.take().ok_or_else(|| Error::from_reason("job already ran"))?;
        work().map_err(|f| {
            let reason = f.message.clone();
            self.failure = Some(f);
            Error::from_reason(reason)
        })
    }

    fn resolve(&mut self, _env: Env, output: T) -> Result<T> {
        Ok(output)
    }

    fn reject(&mut self, env: Env, err: Error) -> Result<T> {
        match self.failure.take() {
            Some(f) => Err(js_error(&env, f)),
            None => Err(err),
        }
    }
}

// ---- image setters -------------------------------------------------------------------

/// Setter settings.
#[napi(object)]
#[derive(Default)]
pub struct SetterOptions {
    /// The automation's namespace: only policies there are used.
    pub namespace: Option<String>,
    /// Fail on a marker naming no supplied policy instead of warning (default `false`).
    pub strict: Option<bool>,
    /// Compute the changes without writing files (default `false`).
    pub dry_run: Option<bool>,
}

/// The object (document) a setter changed a value in.
#[napi(object)]
pub struct SetterObject {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace` (empty when none).
    pub namespace: String,
}

/// One marked value changed.
#[napi(object)]
pub struct SetterChange {
    /// The object it is in.
    pub object: SetterObject,
    /// The value before.
    pub old_value: String,
    /// The value after.
    pub new_value: String,
    /// The setter, `ns:name[:tag|:name|:digest]`.
    pub setter: String,
    /// 1-based line of the value.
    pub line: u32,
    /// 1-based column of the value.
    pub column: u32,
}

/// The changes in one file.
#[napi(object)]
pub struct SetterFileChanges {
    /// Path relative to the root (`/`-separated).
    pub file: String,
    /// The changes, in source order.
    pub changes: Vec<SetterChange>,
}

/// A marker naming no supplied policy.
#[napi(object)]
pub struct SetterWarning {
    /// The file, relative to the root.
    pub file: String,
    /// 1-based line of the marked value.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The setter name in the marker.
    pub setter: String,
    /// `file:line:column: no policy for setter "…"`.
    pub message: String,
}

/// What `updateSetters` changed (and wrote unless `dryRun`).
#[napi(object)]
pub struct SetterOutcome {
    /// Files that changed, in walk order.
    pub files: Vec<SetterFileChanges>,
    /// Markers naming no supplied policy.
    pub warnings: Vec<SetterWarning>,
    /// Files with a marker that are not valid YAML (skipped).
    pub problem_files: Vec<String>,
}

fn setter_outcome_js(o: gitops_core::image::setters::Outcome) -> SetterOutcome {
    SetterOutcome {
        files: o
            .files
            .into_iter()
            .map(|f| SetterFileChanges {
                file: f.file,
                changes: f
                    .changes
                    .into_iter()
                    .map(|c| SetterChange {
                        object: SetterObject {
                            api_version: c.object.api_version,
                            kind: c.object.kind,
                            name: c.object.name,
                            namespace: c.object.namespace,
                        },
                        old_value: c.old_value,
                        new_value: c.new_value,
                        setter: c.setter,
                        line: c.line,
                        column: c.column,
                    })
                    .collect(),
            })
            .collect(),
        warnings: o
            .warnings
            .into_iter()
            .map(|w| SetterWarning {
                message: w.to_string(),
                file: w.file,
                line: w.line,
                column: w.column,
                setter: w.setter,
            })
            .collect(),
        problem_files: o.problem_files,
    }
}

fn setters_work(
    path: String,
    policies: BTreeMap<String, String>,
    options: Option<SetterOptions>,
) -> impl FnOnce() -> StdResult<SetterOutcome, Failure> + Send + 'static {
    let o = options.unwrap_or_default();
    let options = gitops_core::image::setters::Options {
        namespace: o.namespace,
        strict: o.strict.unwrap_or(false),
        dry_run: o.dry_run.unwrap_or(false),
    };
    move || common::update_setters(Path::new(&path), &policies, &options).map(setter_outcome_js)
}

/// `gitops images set path`: rewrite the values marked `# {"$imagepolicy": …}` under
/// `path` with `policies` (`"ns:name"` → `"image:tag[@digest]"`); the changes per file,
/// warnings and unparsable files.
#[napi]
pub fn update_setters(
    env: Env,
    path: String,
    policies: BTreeMap<String, String>,
    options: Option<SetterOptions>,
) -> Result<SetterOutcome> {
    setters_work(path, policies, options)().map_err(fail(&env))
}

/// `updateSetters` off the main thread.
#[napi(ts_return_type = "Promise<SetterOutcome>")]
pub fn update_setters_async(
    path: String,
    policies: BTreeMap<String, String>,
    options: Option<SetterOptions>,
) -> AsyncTask<Job<SetterOutcome>> {
    job(setters_work(path, policies, options))
}

// ---- cluster workflow ----------------------------------------------------------------

/// `applyCluster` settings: the render settings and `dryRun`.
#[napi(object)]
#[derive(Default)]
pub struct ApplyClusterOptions {
    /// Print what would be applied and pruned; write nothing (default `false`).
    pub dry_run: Option<bool>,
    /// The local checkout root of the cluster's own GitRepository.
    pub root: Option<String>,
    /// Directories of other sources, by `Kind/namespace/name`.
    pub sources: Option<BTreeMap<String, String>>,
    /// Objects in the cluster but not in Git (ConfigMaps/Secrets for `substituteFrom`).
    #[napi(ts_type = "Array<Record<string, any>>")]
    pub objects: Option<Vec<serde_json::Value>>,
    /// Strict post-build substitution (default `true`).
    pub strict: Option<bool>,
    /// Leave out Kustomizations whose source is not available offline.
    pub skip_unavailable_sources: Option<bool>,
}

/// One Kustomization's change set, in dependency order.
#[napi(object)]
pub struct ClusterChangeSet {
    /// `namespace/name`.
    pub kustomization: String,
    /// Every entry: apply entries, then prune entries.
    pub entries: Vec<ChangeSetEntry>,
    /// Flux's change lines (`created`, `configured`, `deleted`).
    pub changes: String,
    /// Every entry, one line each.
    pub change_set: String,
}

/// One object a cluster plan changes; Secret values masked.
#[napi(object, object_from_js = false)]
pub struct ObjectDiff {
    /// The Kustomization, `namespace/name`.
    pub kustomization: String,
    /// `Kind/namespace/name`.
    pub subject: String,
    /// `created`, `configured` or `deleted`.
    pub action: String,
    /// The drifted fields (a created object: one change at `""` with the whole object).
    pub changes: Vec<Change>,
    /// The unified diff (`--- live/…`, `+++ desired/…`).
    pub unified: String,
}

fn cluster_work(
    cluster_path: String,
    live_dir: String,
    options: RenderOptions,
    step: common::ClusterStep,
) -> impl FnOnce() -> StdResult<common::ClusterResult, Failure> + Send + 'static {
    let input = RenderInput::new(cluster_path, Some(options));
    move || common::cluster_workflow(&input.path, &input.options, Path::new(&live_dir), step)
}

fn change_sets_js(result: common::ClusterResult) -> Vec<ClusterChangeSet> {
    match result {
        common::ClusterResult::ChangeSets(sets) => sets
            .into_iter()
            .map(|(kustomization, set)| ClusterChangeSet {
                kustomization,
                entries: set.entries.iter().map(entry_js).collect(),
                changes: set.changes(),
                change_set: set.to_string(),
            })
            .collect(),
        common::ClusterResult::Diffs(_) => Vec::new(),
    }
}

fn diffs_js(result: common::ClusterResult) -> Vec<ObjectDiff> {
    match result {
        common::ClusterResult::Diffs(diffs) => diffs
            .into_iter()
            .map(|d| ObjectDiff {
                kustomization: d.kustomization,
                subject: d.subject,
                action: d.action.as_str().to_string(),
                changes: d
                    .changes
                    .into_iter()
                    .map(|c| Change {
                        path: c.path,
                        before: c.before.map(Obj),
                        after: c.after.map(Obj),
                    })
                    .collect(),
                unified: d.unified,
            })
            .collect(),
        common::ClusterResult::ChangeSets(_) => Vec::new(),
    }
}

fn apply_parts(options: Option<ApplyClusterOptions>) -> (RenderOptions, common::ClusterStep) {
    let o = options.unwrap_or_default();
    let step = common::ClusterStep::Apply { dry_run: o.dry_run.unwrap_or(false) };
    let render = RenderOptions {
        root: o.root,
        sources: o.sources,
        objects: o.objects,
        strict: o.strict,
        skip_unavailable_sources: o.skip_unavailable_sources,
    };
    (render, step)
}

/// `gitops plan clusterPath --live liveDir`: render the cluster, then each
/// Kustomization's change set against the live directory, in dependency order. Nothing is
/// written.
#[napi]
pub fn plan_cluster(
    env: Env,
    cluster_path: String,
    live_dir: String,
    options: Option<RenderOptions>,
) -> Result<Vec<ClusterChangeSet>> {
    let step = common::ClusterStep::Plan;
    cluster_work(cluster_path, live_dir, options.unwrap_or_default(), step)()
        .map(change_sets_js)
        .map_err(fail(&env))
}

/// `planCluster` off the main thread.
#[napi(ts_return_type = "Promise<Array<ClusterChangeSet>>")]
pub fn plan_cluster_async(
    cluster_path: String,
    live_dir: String,
    options: Option<RenderOptions>,
) -> AsyncTask<Job<Vec<ClusterChangeSet>>> {
    let step = common::ClusterStep::Plan;
    let work = cluster_work(cluster_path, live_dir, options.unwrap_or_default(), step);
    job(move || work().map(change_sets_js))
}

/// `gitops apply clusterPath --live liveDir`: plan and apply each Kustomization in
/// dependency order into the live directory; with `dryRun`, the plans' change sets.
#[napi]
pub fn apply_cluster(
    env: Env,
    cluster_path: String,
    live_dir: String,
    options: Option<ApplyClusterOptions>,
) -> Result<Vec<ClusterChangeSet>> {
    let (render, step) = apply_parts(options);
    cluster_work(cluster_path, live_dir, render, step)().map(change_sets_js).map_err(fail(&env))
}

/// `applyCluster` off the main thread.
#[napi(ts_return_type = "Promise<Array<ClusterChangeSet>>")]
pub fn apply_cluster_async(
    cluster_path: String,
    live_dir: String,
    options: Option<ApplyClusterOptions>,
) -> AsyncTask<Job<Vec<ClusterChangeSet>>> {
    let (render, step) = apply_parts(options);
    let work = cluster_work(cluster_path, live_dir, render, step);
    job(move || work().map(change_sets_js))
}

/// `gitops diff clusterPath --live liveDir`: per object the plans change, its action,
/// drifted fields and unified diff (Secret values masked).
#[napi]
pub fn diff_cluster(
    env: Env,
    cluster_path: String,
    live_dir: String,
    options: Option<RenderOptions>,
) -> Result<Vec<ObjectDiff>> {
    let step = common::ClusterStep::Diff;
    cluster_work(cluster_path, live_dir, options.unwrap_or_default(), step)()
        .map(diffs_js)
        .map_err(fail(&env))
}

/// `diffCluster` off the main thread.
#[napi(ts_return_type = "Promise<Array<ObjectDiff>>")]
pub fn diff_cluster_async(
    cluster_path: String,
    live_dir: String,
    options: Option<RenderOptions>,
) -> AsyncTask<Job<Vec<ObjectDiff>>> {
    let step = common::ClusterStep::Diff;
    let work = cluster_work(cluster_path, live_dir, options.unwrap_or_default(), step);
    job(move || work().map(diffs_js))
}

// ---- ResourceSets --------------------------------------------------------------------

fn provided_of(
    provided: Option<serde_json::Map<String, serde_json::Value>>,
) -> StdResult<Vec<(String, Vec<Value>)>, Failure> {
    let mut out = Vec::new();
    for (k, v) in provided.unwrap_or_default() {
        let serde_json::Value::Array(sets) = v else {
            return Err(Failure::invalid_argument(format!(
                "providedInputs[{k:?}]: expected an array of input sets"
            )));
        };
        out.push((k, sets.into_iter().map(json_to_value).collect()));
    }
    Ok(out)
}

fn resourceset_work(
    yaml_text: String,
    provided: Option<serde_json::Map<String, serde_json::Value>>,
) -> impl FnOnce() -> StdResult<Obj, Failure> + Send + 'static {
    move || {
        let provided = provided_of(provided)?;
        let objects = common::render_resourceset(&yaml_text, provided)?;
        Ok(Obj(Value::Seq(objects.into_iter().map(Resource::into_value).collect())))
    }
}

/// The objects the Flux Operator ResourceSet in `yamlText` renders (the text may also hold
/// the `ResourceSetInputProvider` objects it reads); `providedInputs` maps a provider
/// (`namespace/name` or `name`) to its exported input sets.
#[napi(ts_return_type = "Array<Record<string, any>>")]
pub fn render_resourceset(
    env: Env,
    yaml_text: String,
    #[napi(ts_arg_type = "Record<string, Array<Record<string, any>>> | null")]
    provided_inputs: Option<serde_json::Map<String, serde_json::Value>>,
) -> Result<Obj> {
    resourceset_work(yaml_text, provided_inputs)().map_err(fail(&env))
}

/// `renderResourceset` off the main thread.
#[napi(ts_return_type = "Promise<Array<Record<string, any>>>")]
pub fn render_resourceset_async(
    yaml_text: String,
    #[napi(ts_arg_type = "Record<string, Array<Record<string, any>>> | null")]
    provided_inputs: Option<serde_json::Map<String, serde_json::Value>>,
) -> AsyncTask<Job<Obj>> {
    job(resourceset_work(yaml_text, provided_inputs))
}

/// One ResourceSet template (`<< >>` delimiters, flux-operator's functions) executed with
/// one input set (none when omitted).
#[napi]
pub fn render_resourceset_template(
    env: Env,
    text: String,
    #[napi(ts_arg_type = "Record<string, any> | null")] inputs: Option<serde_json::Value>,
) -> Result<String> {
    let inputs = inputs.map_or(Value::Null, json_to_value);
    common::render_resourceset_template(&text, &inputs).map_err(fail(&env))
}

// ---- image automation ----------------------------------------------------------------

/// The tag one ImagePolicy selects.
#[napi(object)]
pub struct LatestImage {
    /// The policy as setters name it: `namespace:name`.
    pub policy: String,
    /// The image of the policy's repository.
    pub image: String,
    /// The selected tag.
    pub tag: String,
    /// How many tags the policy chose from (after the exclusion list).
    pub candidates: u32,
}

fn latest_work(
    objects_yaml: String,
    tags_by_image: BTreeMap<String, Vec<String>>,
    default_namespace: Option<String>,
) -> impl FnOnce() -> StdResult<Vec<LatestImage>, Failure> + Send + 'static {
    move || {
        let ns = default_namespace.unwrap_or_else(|| "default".to_string());
        let chosen = common::latest_images(&objects_yaml, &tags_by_image, &ns)?;
        Ok(chosen
            .into_iter()
            .map(|l| LatestImage {
                policy: l.policy,
                image: l.image,
                tag: l.tag,
                candidates: u32::try_from(l.candidates).unwrap_or(u32::MAX),
            })
            .collect())
    }
}

/// For every ImagePolicy among the objects of `objectsYaml`, the latest tag of its
/// ImageRepository among `tagsByImage[image]` (after the exclusion list); objects without
/// a namespace are in `defaultNamespace` (default `default`).
#[napi]
pub fn latest_images(
    env: Env,
    objects_yaml: String,
    tags_by_image: BTreeMap<String, Vec<String>>,
    default_namespace: Option<String>,
) -> Result<Vec<LatestImage>> {
    latest_work(objects_yaml, tags_by_image, default_namespace)().map_err(fail(&env))
}

/// `latestImages` off the main thread.
#[napi(ts_return_type = "Promise<Array<LatestImage>>")]
pub fn latest_images_async(
    objects_yaml: String,
    tags_by_image: BTreeMap<String, Vec<String>>,
    default_namespace: Option<String>,
) -> AsyncTask<Job<Vec<LatestImage>>> {
    job(latest_work(objects_yaml, tags_by_image, default_namespace))
}

// ---- promotion -----------------------------------------------------------------------

/// Promotion settings (all optional).
#[napi(object)]
#[derive(Default)]
pub struct PromoteOptions {
    /// Values to promote besides images and chart versions: `Kind/name:/json/pointer`.
    pub values: Option<Vec<String>>,
    /// The directory of the environments, relative to the root (default `clusters`).
    pub clusters: Option<String>,
}

/// One promoted value.
#[napi(object)]
pub struct PromoteChange {
    /// `image`, `chart`, `value` or `input`.
    pub what: String,
    /// The object and field (`Deployment/podinfo container podinfod`).
    pub object: String,
    /// The `to` environment's value before.
    pub old: String,
    /// The `from` environment's value.
    pub new: String,
    /// The edited file, relative to the root (`/`-separated).
    pub file: String,
    /// The edited line (1-based).
    pub line: u32,
}

/// One edited file.
#[napi(object)]
pub struct PromoteEdit {
    /// The file, relative to the root (`/`-separated).
    pub path: String,
    /// The text before.
    pub old: String,
    /// The text after.
    pub new: String,
}

/// What a promotion changes (computed; nothing written).
#[napi(object)]
pub struct Promotion {
    /// The promoted values, in the order found.
    pub changes: Vec<PromoteChange>,
    /// The edited files, sorted by path.
    pub edits: Vec<PromoteEdit>,
    /// The unified diff of every edited file.
    pub diff: String,
    /// The default branch name, `promote-<app>-<to>-<version>`.
    pub branch: String,
}

fn promote_work(
    root: String,
    from_env: String,
    to_env: String,
    app: String,
    options: Option<PromoteOptions>,
) -> impl FnOnce() -> StdResult<Promotion, Failure> + Send + 'static {
    let o = options.unwrap_or_default();
    let values = o.values.unwrap_or_default();
    let clusters = PathBuf::from(o.clusters.unwrap_or_else(|| "clusters".to_string()));
    move || {
        let p = common::promote(Path::new(&root), &from_env, &to_env, &app, &values, &clusters)?;
        Ok(Promotion {
            diff: p.diff(),
            branch: p.branch_name(),
            changes: p
                .changes
                .into_iter()
                .map(|c| PromoteChange {
                    what: c.what,
                    object: c.object,
                    old: c.old,
                    new: c.new,
                    file: c.file,
                    line: c.line,
                })
                .collect(),
            edits: p
                .edits
                .into_iter()
                .map(|e| PromoteEdit { path: e.path, old: e.old, new: e.new })
                .collect(),
        })
    }
}

/// `gitops promote --dry-run`: what promoting `app` from `fromEnv` to `toEnv` changes,
/// computed on the files under `root`; nothing is written or committed.
#[napi]
pub fn promote(
    env: Env,
    root: String,
    from_env: String,
    to_env: String,
    app: String,
    options: Option<PromoteOptions>,
) -> Result<Promotion> {
    promote_work(root, from_env, to_env, app, options)().map_err(fail(&env))
}

/// `promote` off the main thread.
#[napi(ts_return_type = "Promise<Promotion>")]
pub fn promote_async(
    root: String,
    from_env: String,
    to_env: String,
    app: String,
    options: Option<PromoteOptions>,
) -> AsyncTask<Job<Promotion>> {
    job(promote_work(root, from_env, to_env, app, options))
}
