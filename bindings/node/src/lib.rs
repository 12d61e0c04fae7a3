//! The Node face of gitops-sdk (napi-rs v3).
//!
//! Conversion and error mapping only. Every operation has a synchronous function and a
//! `…Async` variant that runs on the libuv thread pool and returns a `Promise`. Errors
//! are JS `Error`s with `code` (`GITOPS_KUSTOMIZE_ENTRY`, …), `kind`, `file` and `line`;
//! `index.js` turns them into the `GitopsError` subclasses by `code`. Each Rust module
//! adds one sync function, one `Task` and, if it has its own error type, one `*_failure`
//! mapping.
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gitops_core::notify;
use gitops_core::resource::ResourceList;
use gitops_kustomize::{LoadRestrictor, MemFs, Options, RealFs, Reorder};
use napi::bindgen_prelude::*;
use napi::{Env, Task};
use napi_derive::napi;

/// A Rust error on its way to JS: the message plus the fields of the JS error.
struct Failure {
    code: String,
    kind: &'static str,
    message: String,
    file: Option<String>,
    line: Option<u32>,
}

impl Failure {
    fn kustomize(e: &gitops_kustomize::Error) -> Failure {
        Failure {
            code: format!("GITOPS_KUSTOMIZE_{}", e.kind().to_ascii_uppercase()),
            kind: e.kind(),
            message: e.to_string(),
            file: e.file().map(|p| p.to_string_lossy().into_owned()),
            line: None,
        }
    }

    fn notify(e: &notify::Error) -> Failure {
        let kind = match e {
            notify::Error::InvalidEvent { .. } => "invalid_event",
            notify::Error::InvalidEventField { .. } => "invalid_event_field",
            notify::Error::InvalidTimestamp { .. } => "invalid_timestamp",
            notify::Error::NoAddress { .. } => "no_address",
            notify::Error::InvalidUrl { .. } => "invalid_url",
            notify::Error::EmptyHmacKey { .. } => "empty_hmac_key",
            notify::Error::InvalidHeader { .. } => "invalid_header",
            notify::Error::UnsupportedProvider { .. } => "unsupported_provider",
        };
        Failure {
            code: format!("GITOPS_NOTIFY_{}", kind.to_ascii_uppercase()),
            kind,
            message: e.to_string(),
            file: None,
            line: None,
        }
    }

    fn invalid_arg(message: String) -> Failure {
        Failure {
            code: "GITOPS_INVALID_ARGUMENT".to_string(),
            kind: "invalid_argument",
            message,
            file: None,
            line: None,
        }
    }

    /// The JS error object, thrown as is.
    fn into_js(self, env: &Env) -> Error {
        let made = env.create_error(Error::new(Status::GenericFailure, self.message)).and_then(
            |mut obj| {
                obj.set_named_property("code", self.code.as_str())?;
                obj.set_named_property("kind", self.kind)?;
                obj.set_named_property("file", self.file.as_deref())?;
                obj.set_named_property("line", self.line)?;
                Ok(Error::from(obj.to_unknown()))
            },
        );
        made.unwrap_or_else(|e| e)
    }
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

fn options_of(options: Option<BuildOptions>) -> std::result::Result<Options, Failure> {
    let options = options.unwrap_or_default();
    let reorder = match options.reorder.as_deref() {
        None | Some("legacy") => Reorder::Legacy,
        Some("none") => Reorder::None,
        Some(other) => {
            return Err(Failure::invalid_arg(format!(
                "illegal flag value --reorder {other}; legal values: [legacy none]"
            )));
        }
    };
    let load_restrictor = match options.load_restrictor.as_deref() {
        None | Some("LoadRestrictionsRootOnly") => LoadRestrictor::RootOnly,
        Some("LoadRestrictionsNone") => LoadRestrictor::None,
        Some(other) => {
            return Err(Failure::invalid_arg(format!(
                "illegal flag value --load-restrictor {other}; legal values: [LoadRestrictionsRootOnly LoadRestrictionsNone]"
            )));
        }
    };
    Ok(Options { reorder, load_restrictor, remote: None })
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

    fn build(&self, options: &Options) -> std::result::Result<ResourceList, Failure> {
        let result = match self {
            Source::Disk(path) => gitops_kustomize::build(&RealFs, path, options),
            Source::Memory(fs, path) => gitops_kustomize::build(fs, path, options),
        };
        result.map_err(|e| Failure::kustomize(&e))
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
        let values: Vec<&gitops_core::yaml::Value> = val.0.iter().map(|r| r.value()).collect();
        let js = Env::from_raw(env).to_js_value(&values)?;
        Ok(js.raw())
    }
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
) -> std::result::Result<Built, Failure> {
    let options = options_of(options)?;
    let list = source.build(&options)?;
    match output {
        Output::Objects => Ok(Built::Objects(Resources(list))),
        Output::Yaml => {
            gitops_kustomize::to_yaml(&list).map(Built::Yaml).map_err(|e| Failure::kustomize(&e))
        }
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
            Some(f) => Err(f.into_js(&env)),
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
    run(&Source::Disk(path.into()), options, Output::Objects).map_err(|f| f.into_js(&env))
}

/// `kustomize build path`: the YAML text kustomize prints.
#[napi(ts_return_type = "string")]
pub fn build_yaml(env: Env, path: String, options: Option<BuildOptions>) -> Result<Built> {
    run(&Source::Disk(path.into()), options, Output::Yaml).map_err(|f| f.into_js(&env))
}

/// Build an in-memory tree `{path: text}` at `path` (default: the tree's root `/`).
#[napi(ts_return_type = "Array<Record<string, any>>")]
pub fn build_files(
    env: Env,
    files: BTreeMap<String, String>,
    path: Option<String>,
    options: Option<BuildOptions>,
) -> Result<Built> {
    run(&Source::memory(files, path), options, Output::Objects).map_err(|f| f.into_js(&env))
}

/// Like `buildFiles`, returning the YAML text kustomize prints.
#[napi(ts_return_type = "string")]
pub fn build_files_yaml(
    env: Env,
    files: BTreeMap<String, String>,
    path: Option<String>,
    options: Option<BuildOptions>,
) -> Result<Built> {
    run(&Source::memory(files, path), options, Output::Yaml).map_err(|f| f.into_js(&env))
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
    let fail = |e: notify::Error| Failure::notify(&e).into_js(&env);
    let event = notify::Event::from_json(&bytes).map_err(fail)?;
    let payload = notify::build_payload(&provider, &event).map_err(fail)?;
    Ok(NotifyPayload {
        url: payload.url,
        headers: payload.headers.into_iter().map(|(k, v)| vec![k, v]).collect(),
        body: payload.body.into(),
    })
}
