//! Environment promotion: give the `to` environment exactly what the `from` environment runs
//! for one application, by editing only files the `from` environment does not read.
//!
//! | item | what |
//! |---|---|
//! | [`promote`] | compare APP in two environments, locate and edit the `to` side, verify by re-rendering |
//! | [`environments`] | the environments (directories under `clusters/`) |
//! | [`Promotion`] | the value changes, the file edits, their unified diff, a branch name |
//! | [`ValueSpec`] | a user-named value, `Kind/name:/json/pointer` |
//! | `commit` | commit a promotion on a new branch (feature `git`) |
//!
//! Environments are the directories `<root>/<clusters>/<env>`, each rendered with
//! [`render_cluster`](crate::render::render_cluster) and the caller's
//! [`Builder`](crate::render::Builder). APP names a Flux Kustomization, a HelmRelease, or a
//! ResourceSet named `APP` or `APP-<env>`. Compared: every container and initContainer
//! image of pod templates (objects matched by kind and name, containers by name, namespaces
//! ignored), HelmRelease chart versions, and the values the user names. Edits go, in this
//! order of preference, to: a post-build `substitute` variable of the `to` Kustomization
//! whose value makes the difference; the Kustomization's `spec.images`; the build
//! directory's `kustomization.yaml` `images:` (an entry is added when none matches); a
//! manifest or patch holding the value. Only files the `from` environment does not read are
//! edited; a value that only a shared file holds is an error. Both environments are
//! rendered again with the edits: the `to` side must now run the `from` values and the
//! `from` side must be unchanged.
//!
//! ```no_run
//! use gitops_core::fs::RealFs;
//! use gitops_core::promote::{Options, promote};
//! use std::path::Path;
//! # fn builder() -> Box<dyn gitops_core::render::Builder> { unimplemented!() }
//! let p = promote(&RealFs, &*builder(), Path::new("/srv/fleet"), "staging", "production", "podinfo", &Options::default()).unwrap();
//! for c in &p.changes {
//!     println!("{c}");
//! }
//! print!("{}", p.diff());
//! ```

mod resourceset;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::flux::{self, FluxObject};
use crate::fs::{FileSystem, MemFs};
use crate::render::{self, Builder, Outcome, Rendered};
use crate::resource::Resource;
use crate::yaml::edit::{self, Seg};
use crate::yaml::{Mapping, Node, NodeKind, Value};

/// Promotion settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// The directory of the environments, relative to the root (default `clusters`).
    pub clusters: PathBuf,
    /// Values to compare besides images and chart versions.
    pub values: Vec<ValueSpec>,
    /// Render settings (`root` is set to the promotion's root).
    pub render: render::Options,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            clusters: PathBuf::from("clusters"),
            values: Vec::new(),
            render: render::Options::default(),
        }
    }
}

/// A user-named value: `Kind/name:/json/pointer` (`Deployment/podinfo:/spec/replicas`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSpec {
    /// The object's kind.
    pub kind: String,
    /// The object's name.
    pub name: String,
    /// The JSON pointer (RFC 6901) into the object.
    pub pointer: String,
}

impl ValueSpec {
    /// Parse `Kind/name:/pointer`.
    ///
    /// ```
    /// use gitops_core::promote::ValueSpec;
    /// let v = ValueSpec::parse("Deployment/web:/spec/replicas").unwrap();
    /// assert_eq!((v.kind.as_str(), v.name.as_str(), v.pointer.as_str()), ("Deployment", "web", "/spec/replicas"));
    /// assert!(ValueSpec::parse("Deployment/web").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<ValueSpec, Error> {
        let bad = || Error::ValueSpec { spec: text.to_owned() };
        let (obj, pointer) = text.split_once(':').ok_or_else(bad)?;
        let (kind, name) = obj.split_once('/').ok_or_else(bad)?;
        if kind.is_empty() || name.is_empty() || !pointer.starts_with('/') {
            return Err(bad());
        }
        Ok(ValueSpec { kind: kind.into(), name: name.into(), pointer: pointer.into() })
    }

    /// The pointer as edit path segments (`~1` → `/`, `~0` → `~`, numbers as indexes).
    fn segs(&self) -> Vec<Seg> {
        pointer_segs(&self.pointer)
    }
}

fn pointer_segs(pointer: &str) -> Vec<Seg> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| {
            let s = s.replace("~1", "/").replace("~0", "~");
            match s.parse::<usize>() {
                Ok(i) if !s.starts_with('+') => Seg::Index(i),
                _ => Seg::Key(s),
            }
        })
        .collect()
}

/// Why a promotion failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An environment directory does not exist.
    #[error("unknown environment '{env}' (environments under {}: {})", dir.display(), known.join(", "))]
    UnknownEnv {
        /// The name given.
        env: String,
        /// The environments directory.
        dir: PathBuf,
        /// The environments that exist.
        known: Vec<String>,
    },
    /// `--from` and `--to` are the same.
    #[error("--from and --to are both '{0}'")]
    SameEnv(String),
    /// APP is in neither form in an environment.
    #[error(
        "environment '{env}': no Kustomization, HelmRelease or ResourceSet named '{app}' (Kustomizations: {})",
        known.join(", ")
    )]
    UnknownApp {
        /// The environment.
        env: String,
        /// The name given.
        app: String,
        /// The Kustomizations of the environment (`namespace/name`).
        known: Vec<String>,
    },
    /// A `--value` spec is malformed.
    #[error("invalid value '{spec}': expected Kind/name:/json/pointer")]
    ValueSpec {
        /// The text.
        spec: String,
    },
    /// A named value does not exist in an environment.
    #[error("environment '{env}': {what} not found")]
    ValueNotFound {
        /// The environment.
        env: String,
        /// The value.
        what: String,
    },
    /// Rendering an environment failed.
    #[error("environment '{env}': {source}")]
    Render {
        /// The environment.
        env: String,
        /// The render error.
        source: render::Error,
    },
    /// A file could not be read or parsed.
    #[error("{}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A value comes only from files the `from` environment reads too.
    #[error("{0}")]
    Shared(Box<Shared>),
    /// A ResourceSet gets its inputs from a provider, not from Git.
    #[error(
        "ResourceSet '{name}' in environment '{env}' takes its inputs from {providers} (spec.inputsFrom): those values are not in Git and cannot be promoted by a commit"
    )]
    InputsFrom {
        /// The environment.
        env: String,
        /// `namespace/name`.
        name: String,
        /// The providers (`Kind/name`).
        providers: String,
    },
    /// The edits did not give the expected result when both environments were rendered again.
    #[error("verification failed: {0}")]
    Verify(String),
    /// An edit could not be made.
    #[error("{}: {source}", path.display())]
    Edit {
        /// The file.
        path: PathBuf,
        /// The edit error.
        source: edit::Error,
    },
    /// A Git operation failed.
    #[cfg(feature = "git")]
    #[error("{0}")]
    Git(#[from] crate::git::Error),
    /// The branch of the promotion exists already.
    #[error("branch '{0}' exists already; give another name")]
    BranchExists(String),
}

/// A value that cannot be promoted without changing the `from` environment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{what}: cannot promote {old} -> {new}: the value comes from {file}, and no file that '{to}' reads but '{from}' does not sets it"
)]
pub struct Shared {
    /// The value.
    pub what: String,
    /// The `to` value.
    pub old: String,
    /// The `from` value.
    pub new: String,
    /// The file (and line) the value is written in, or how it is produced.
    pub file: String,
    /// The `from` environment.
    pub from: String,
    /// The `to` environment.
    pub to: String,
}

/// One promoted value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// `image`, `chart`, `value` or `input`.
    pub what: String,
    /// The object and field (`Deployment/podinfo container podinfod`).
    pub object: String,
    /// The `to` environment's value before.
    pub old: String,
    /// The `from` environment's value (the `to` environment's after).
    pub new: String,
    /// The edited file, relative to the root (`/`-separated).
    pub file: String,
    /// The edited line (1-based).
    pub line: u32,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {} -> {} ({}:{})",
            self.what, self.object, self.old, self.new, self.file, self.line
        )
    }
}

/// One edited file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileEdit {
    /// The file, relative to the root (`/`-separated).
    pub path: String,
    /// The text before.
    pub old: String,
    /// The text after.
    pub new: String,
}

/// What a promotion changes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Promotion {
    /// The environment promoted from.
    pub from: String,
    /// The environment promoted to.
    pub to: String,
    /// The application.
    pub app: String,
    /// The promoted values, in the order found.
    pub changes: Vec<Change>,
    /// The edited files, sorted by path.
    pub edits: Vec<FileEdit>,
}

impl Promotion {
    /// Whether there is nothing to promote.
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    /// The unified diff of every edited file (`a/<path>`, `b/<path>`, 3 lines of context).
    pub fn diff(&self) -> String {
        self.edits
            .iter()
            .map(|e| {
                crate::diff::unified_text(
                    &e.old,
                    &e.new,
                    &format!("a/{}", e.path),
                    &format!("b/{}", e.path),
                    3,
                )
            })
            .collect()
    }

    /// The default branch name: `promote-<app>-<to>-<version>`, the version being the first
    /// change's new tag (or digest, or value), with characters Git refuses replaced by `-`.
    ///
    /// ```
    /// use gitops_core::promote::{Change, Promotion};
    /// let c = Change { what: "image".into(), object: "Deployment/web container app".into(),
    ///     old: "ghcr.io/a/web:v1".into(), new: "ghcr.io/a/web:v1.2.3".into(), file: "k.yaml".into(), line: 3 };
    /// let p = Promotion { from: "staging".into(), to: "production".into(), app: "web".into(), changes: vec![c], edits: vec![] };
    /// assert_eq!(p.branch_name(), "promote-web-production-v1.2.3");
    /// ```
    pub fn branch_name(&self) -> String {
        let version = self
            .changes
            .first()
            .map(|c| match c.what.as_str() {
                "image" => {
                    let r = ImageRef::parse(&c.new);
                    r.tag
                        .or(r.digest.map(|d| d.chars().take(19).collect()))
                        .unwrap_or(c.new.clone())
                }
                _ => c.new.clone(),
            })
            .unwrap_or_default();
        let raw = format!("promote-{}-{}-{}", self.app, self.to, version);
        let mut out = String::new();
        for ch in raw.chars() {
            let ok = ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-');
            out.push(if ok { ch } else { '-' });
        }
        while out.contains("..") {
            out = out.replace("..", ".");
        }
        out.trim_end_matches(['.', '-']).to_owned()
    }

    /// The commit message: `promote <app> from <from> to <to>`, a blank line, one line per
    /// change.
    pub fn commit_message(&self) -> String {
        let mut out = format!("promote {} from {} to {}\n", self.app, self.from, self.to);
        if !self.changes.is_empty() {
            out.push('\n');
        }
        for c in &self.changes {
            out.push_str(&format!("- {}: {} {} -> {}\n", c.file, c.object, c.old, c.new));
        }
        out
    }
}

/// Commit the promotion's edits on the new branch `branch` from `base` (e.g. `HEAD`) of
/// `repo`, without touching the working tree or the current branch. The promotion's paths
/// are relative to the repository root. `None` when there is nothing to commit.
#[cfg(feature = "git")]
pub fn commit(
    repo: &crate::git::Repository,
    promotion: &Promotion,
    branch: &str,
    base: &str,
    author: &crate::git::Author,
    message: Option<&str>,
) -> Result<Option<String>, Error> {
    if promotion.is_empty() {
        return Ok(None);
    }
    if repo.rev_parse(&format!("refs/heads/{branch}")).is_ok() {
        return Err(Error::BranchExists(branch.to_owned()));
    }
    let changes: Vec<(String, Vec<u8>)> =
        promotion.edits.iter().map(|e| (e.path.clone(), e.new.clone().into_bytes())).collect();
    let msg = message.map_or_else(|| promotion.commit_message(), str::to_owned);
    Ok(crate::git::commit_files(repo, branch, Some(base), &changes, author, &msg)?)
}

// ---------------------------------------------------------------- file systems

/// The file system a promotion renders through: the caller's, with edited files laid over
/// it and every read recorded; or, for [`Mode::Provenance`], every file reading as its own
/// path (assembling an artifact through it maps each artifact file back to its source).
struct View<'a> {
    base: &'a dyn FileSystem,
    mode: Mode<'a>,
}

enum Mode<'a> {
    Files { edits: &'a Edits, reads: RefCell<BTreeSet<PathBuf>> },
    Provenance,
}

const PROVENANCE: &str = "\0gitops-promote-provenance:";

impl FileSystem for View<'_> {
    fn read_file(&self, path: &Path) -> io::Result<Vec<u8>> {
        let real = self.base.canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        match &self.mode {
            Mode::Provenance => Ok(format!("{PROVENANCE}{}", real.display()).into_bytes()),
            Mode::Files { edits, reads } => {
                let out = match edits.get(&real) {
                    Some(t) => t.clone().into_bytes(),
                    None => self.base.read_file(path)?,
                };
                reads.borrow_mut().insert(real);
                Ok(out)
            }
        }
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.base.is_dir(path)
    }
    fn exists(&self, path: &Path) -> bool {
        self.base.exists(path)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.base.canonicalize(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        self.base.read_dir(path)
    }
}

// ---------------------------------------------------------------- environments

/// The environments: the directories under `<root>/<clusters>`, sorted.
pub fn environments(fs: &dyn FileSystem, root: &Path, clusters: &Path) -> Vec<String> {
    let dir = root.join(clusters);
    let mut out: Vec<String> = fs
        .read_dir(&dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| fs.is_dir(p))
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.starts_with('.'))
        .collect();
    out.sort();
    out
}

struct Env {
    name: String,
    outcome: Outcome,
    reads: BTreeSet<PathBuf>,
}

fn render_env(
    fs: &dyn FileSystem,
    edits: &Edits,
    builder: &dyn Builder,
    root: &Path,
    options: &Options,
    env: &str,
) -> Result<Env, Error> {
    let rec = View { base: fs, mode: Mode::Files { edits, reads: RefCell::new(BTreeSet::new()) } };
    let mut ropts = options.render.clone();
    ropts.root = Some(root.to_path_buf());
    let cluster = root.join(&options.clusters).join(env);
    let outcome = render::render_cluster(&rec, &cluster, builder, &ropts)
        .map_err(|source| Error::Render { env: env.to_owned(), source })?;
    let reads = match rec.mode {
        Mode::Files { reads, .. } => reads.into_inner(),
        Mode::Provenance => BTreeSet::new(),
    };
    Ok(Env { name: env.to_owned(), outcome, reads })
}

/// What APP is in one environment.
enum App<'a> {
    Kustomization(&'a Rendered),
    HelmRelease(&'a Resource),
    ResourceSet(&'a Resource),
}

fn find_app<'a>(env: &'a Env, app: &str) -> Result<App<'a>, Error> {
    if let Some(k) = env.outcome.kustomizations.iter().find(|k| k.name == app) {
        return Ok(App::Kustomization(k));
    }
    if let Some(hr) = env.outcome.objects().find(|r| r.kind() == "HelmRelease" && r.name() == app) {
        return Ok(App::HelmRelease(hr));
    }
    let suffixed = format!("{app}-{}", env.name);
    for name in [app, suffixed.as_str()] {
        if let Some(rs) =
            env.outcome.objects().find(|r| r.kind() == "ResourceSet" && r.name() == name)
        {
            return Ok(App::ResourceSet(rs));
        }
    }
    Err(Error::UnknownApp {
        env: env.name.clone(),
        app: app.to_owned(),
        known: env.outcome.kustomizations.iter().map(Rendered::key).collect(),
    })
}

// ---------------------------------------------------------------- values

/// Where a compared value lives.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    /// A container image: the object's kind and name, the container's name.
    Image { kind: String, name: String, container: String },
    /// `spec.chart.spec.version` of a HelmRelease.
    Chart { name: String },
    /// A user-named value.
    Pointer(ValueSpec),
}

impl Field {
    fn what(&self) -> &'static str {
        match self {
            Field::Image { .. } => "image",
            Field::Chart { .. } => "chart",
            Field::Pointer(_) => "value",
        }
    }

    fn object(&self) -> String {
        match self {
            Field::Image { kind, name, container } => {
                format!("{kind}/{name} container {container}")
            }
            Field::Chart { name } => format!("HelmRelease/{name} spec.chart.spec.version"),
            Field::Pointer(v) => format!("{}/{}:{}", v.kind, v.name, v.pointer),
        }
    }
}

const POD_SPECS: &[&[&str]] = &[
    &["spec", "template", "spec"],
    &["spec", "jobTemplate", "spec", "template", "spec"],
    &["spec"],
];

/// The values of `objects`: key → (field, value as text).
fn values_of(objects: &[&Resource], specs: &[ValueSpec]) -> IndexMap<String, (Field, String)> {
    let mut out = IndexMap::new();
    for r in objects {
        let v = r.value();
        let pod = POD_SPECS.iter().find_map(|p| {
            if *p == ["spec"] && r.kind() != "Pod" {
                return None;
            }
            v.get_path(p)
        });
        if let Some(pod) = pod {
            for list in ["initContainers", "containers"] {
                for c in pod.get(list).and_then(Value::as_seq).into_iter().flatten() {
                    let (Some(cname), Some(image)) = (
                        c.get("name").and_then(Value::as_str),
                        c.get("image").and_then(Value::as_str),
                    ) else {
                        continue;
                    };
                    let f = Field::Image {
                        kind: r.kind().into(),
                        name: r.name().into(),
                        container: cname.into(),
                    };
                    out.insert(f.object(), (f, image.to_owned()));
                }
            }
        }
        if r.kind() == "HelmRelease"
            && let Some(ver) =
                v.get_path(&["spec", "chart", "spec", "version"]).and_then(Value::as_str)
        {
            let f = Field::Chart { name: r.name().into() };
            out.insert(f.object(), (f, ver.to_owned()));
        }
        for s in specs {
            if s.kind == r.kind() && s.name == r.name() {
                let at = resolve_pointer(v, &s.pointer);
                if let Some(text) = at.and_then(scalar_text) {
                    let f = Field::Pointer(s.clone());
                    out.insert(f.object(), (f, text));
                }
            }
        }
    }
    out
}

fn resolve_pointer<'a>(v: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut cur = v;
    for s in pointer_segs(pointer) {
        cur = match (cur, s) {
            (Value::Map(m), Seg::Key(k)) => m.get(&k)?,
            (Value::Map(m), Seg::Index(i)) => m.get(&i.to_string())?,
            (Value::Seq(items), Seg::Index(i)) => items.get(i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn scalar_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::String(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Uint(u) => u.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        _ => return None,
    })
}

/// The objects APP covers in an environment.
fn app_objects<'a>(app: &App<'a>) -> Vec<&'a Resource> {
    match app {
        App::Kustomization(k) => k.objects.iter().collect(),
        App::HelmRelease(r) | App::ResourceSet(r) => vec![*r],
    }
}

/// An image reference split into name, tag and digest.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ImageRef {
    name: String,
    tag: Option<String>,
    digest: Option<String>,
}

impl ImageRef {
    fn parse(s: &str) -> ImageRef {
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => (r, Some(d.to_owned())),
            None => (s, None),
        };
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        match rest.get(slash..).and_then(|t| t.rfind(':')) {
            Some(i) => ImageRef {
                name: rest.get(..slash + i).unwrap_or(rest).to_owned(),
                tag: rest.get(slash + i + 1..).map(str::to_owned),
                digest,
            },
            None => ImageRef { name: rest.to_owned(), tag: None, digest },
        }
    }
}

// ---------------------------------------------------------------- locating

/// The edits made so far: absolute path → text.
type Edits = BTreeMap<PathBuf, String>;

struct Locator<'a> {
    fs: &'a dyn FileSystem,
    builder: &'a dyn Builder,
    root: &'a Path,
    options: &'a Options,
    from: &'a Env,
    to: &'a Env,
    app: &'a str,
}

/// One candidate edit: the file, and the change to its text.
struct Candidate {
    path: PathBuf,
    text: String,
    line: u32,
}

impl Locator<'_> {
    fn text(&self, edits: &Edits, path: &Path) -> Result<String, Error> {
        if let Some(t) = edits.get(path) {
            return Ok(t.clone());
        }
        let bytes = self
            .fs
            .read_file(path)
            .map_err(|e| Error::File { path: path.to_owned(), message: e.to_string() })?;
        String::from_utf8(bytes)
            .map_err(|e| Error::File { path: path.to_owned(), message: e.to_string() })
    }

    /// Files the `to` environment reads and the `from` one does not, under the root.
    fn to_only(&self) -> Vec<&PathBuf> {
        self.to
            .reads
            .iter()
            .filter(|p| !self.from.reads.contains(*p) && p.starts_with(self.root))
            .collect()
    }

    fn is_to_only(&self, p: &Path) -> bool {
        self.to.reads.contains(p) && !self.from.reads.contains(p)
    }

    /// The file and document declaring the `to` Flux Kustomization APP.
    fn ks_file(&self, edits: &Edits) -> Option<(PathBuf, usize)> {
        for p in &self.to.reads {
            let Ok(text) = self.text(edits, p) else { continue };
            let Ok(docs) = edit::documents_of(&text, "Kustomization", self.app) else { continue };
            for d in docs {
                let api = edit::get(&text, d, &[Seg::key("apiVersion")]).ok().flatten();
                if api
                    .and_then(|n| n.as_str().map(str::to_owned))
                    .is_some_and(|a| a.starts_with("kustomize.toolkit.fluxcd.io"))
                {
                    return Some((p.clone(), d));
                }
            }
        }
        None
    }

    /// The repository file a build-directory file of the `to` APP Kustomization comes from.
    fn repo_file(&self, ks: &Rendered, file_in_build: &Path) -> Option<PathBuf> {
        if !ks.source.starts_with("ExternalArtifact/") {
            let p = self.fs.canonicalize(file_in_build).ok()?;
            return Some(p);
        }
        // Assemble the artifact again with every file reading as its own path.
        let mut parts = ks.source.splitn(3, '/');
        let (_, ns, name) = (parts.next()?, parts.next()?, parts.next()?);
        for r in self.to.outcome.objects() {
            if r.kind() != "ArtifactGenerator" || r.namespace() != ns {
                continue;
            }
            let Ok(Some(FluxObject::ArtifactGenerator(g))) = flux::parse(r) else { continue };
            let Some(out) = g.spec.artifacts.iter().find(|a| a.name == name) else { continue };
            let mut sources = IndexMap::new();
            for s in &g.spec.sources {
                let sns = if s.namespace.is_empty() { ns } else { s.namespace.as_str() };
                let key = format!("{}/{}/{}", s.kind, sns, s.name);
                let dir = self.options.render.sources.get(&key).cloned().or_else(|| {
                    (key == self.to.outcome.root_source).then(|| self.to.outcome.root.clone())
                })?;
                sources.insert(s.alias.clone(), dir);
            }
            let mem: MemFs = render::assemble_artifact(
                &View { base: self.fs, mode: Mode::Provenance },
                &sources,
                out,
            )
            .ok()?;
            let bytes = mem.read_file(file_in_build).ok()?;
            let text = String::from_utf8(bytes).ok()?;
            return text.strip_prefix(PROVENANCE).map(PathBuf::from);
        }
        None
    }

    /// The kustomization file of the `to` APP's build directory, as a repository path.
    fn overlay_file(&self, ks: &Rendered) -> Option<PathBuf> {
        let fs: Option<&dyn FileSystem> =
            if ks.source.starts_with("ExternalArtifact/") { None } else { Some(self.fs) };
        for name in ["kustomization.yaml", "kustomization.yml", "Kustomization"] {
            let f = ks.dir.join(name);
            if let Some(fs) = fs
                && !fs.exists(&f)
            {
                continue;
            }
            if let Some(p) = self.repo_file(ks, &f) {
                return Some(p);
            }
        }
        None
    }

    /// Every candidate edit that would give `field` the value `new` in the `to` environment,
    /// in order of preference.
    fn candidates(
        &self,
        edits: &Edits,
        field: &Field,
        old: &str,
        new: &str,
    ) -> Result<Vec<Candidate>, Error> {
        let mut out = Vec::new();
        let to_ks = match find_app(self.to, self.app)? {
            App::Kustomization(k) => Some(k),
            _ => None,
        };
        let from_ks = match find_app(self.from, self.app)? {
            App::Kustomization(k) => Some(k),
            _ => None,
        };
        let ks_file = to_ks.and_then(|_| self.ks_file(edits)).filter(|(p, _)| self.is_to_only(p));
        // 1. A post-build variable that makes the difference.
        if let (Some(tk), Some(fk), Some((path, doc))) = (to_ks, from_ks, &ks_file) {
            let tv = tk
                .kustomization
                .spec
                .post_build
                .as_ref()
                .map(|p| p.substitute.clone())
                .unwrap_or_default();
            let fv = fk
                .kustomization
                .spec
                .post_build
                .as_ref()
                .map(|p| p.substitute.clone())
                .unwrap_or_default();
            for (k, v) in &tv {
                if let Some(fvv) = fv.get(k)
                    && fvv != v
                    && !v.is_empty()
                    && old.contains(v.as_str())
                    && new.contains(fvv.as_str())
                {
                    let text = self.text(edits, path)?;
                    let segs = [
                        Seg::key("spec"),
                        Seg::key("postBuild"),
                        Seg::key("substitute"),
                        Seg::key(k.as_str()),
                    ];
                    if let Ok(t) = edit::set_scalar(&text, *doc, &segs, &Value::from(fvv.as_str()))
                    {
                        out.push(Candidate {
                            path: path.clone(),
                            line: line_of(&text, *doc, &segs),
                            text: t,
                        });
                    }
                }
            }
        }
        if let Field::Image { .. } = field {
            let o = ImageRef::parse(old);
            let n = ImageRef::parse(new);
            // 2. The Flux Kustomization's spec.images.
            if let (Some(tk), Some((path, doc))) = (to_ks, &ks_file) {
                for (i, img) in tk.kustomization.spec.images.iter().enumerate() {
                    let current = if img.new_name.is_empty() { &img.name } else { &img.new_name };
                    if *current == o.name {
                        let text = self.text(edits, path)?;
                        let base = vec![Seg::key("spec"), Seg::key("images"), Seg::Index(i)];
                        if let Ok(t) = set_image_entry(&text, *doc, &base, &o, &n) {
                            out.push(Candidate {
                                path: path.clone(),
                                line: line_of(&text, *doc, &base),
                                text: t,
                            });
                        }
                    }
                }
            }
            // 3. The overlay's kustomization.yaml images:.
            if let Some(tk) = to_ks
                && let Some(path) = self.overlay_file(tk)
                && self.is_to_only(&path)
            {
                let text = self.text(edits, &path)?;
                let list = edit::get(&text, 0, &[Seg::key("images")])
                    .map_err(|source| Error::Edit { path: path.clone(), source })?;
                let mut found = false;
                if let Some(Node { kind: NodeKind::Sequence { items, .. }, .. }) = &list {
                    for (i, it) in items.iter().enumerate() {
                        let get = |k: &str| match &it.kind {
                            NodeKind::Mapping { entries, .. } => entries
                                .iter()
                                .find(|(kk, _)| kk.as_str() == Some(k))
                                .and_then(|(_, v)| v.as_str().map(str::to_owned)),
                            _ => None,
                        };
                        let current = get("newName").or_else(|| get("name")).unwrap_or_default();
                        if current == o.name {
                            found = true;
                            let base = vec![Seg::key("images"), Seg::Index(i)];
                            if let Ok(t) = set_image_entry(&text, 0, &base, &o, &n) {
                                out.push(Candidate {
                                    path: path.clone(),
                                    line: it.span.start.line,
                                    text: t,
                                });
                            }
                        }
                    }
                }
                if !found {
                    let mut m = Mapping::new();
                    m.insert("name".into(), Value::from(o.name.as_str()));
                    if n.name != o.name {
                        m.insert("newName".into(), Value::from(n.name.as_str()));
                    }
                    if let Some(t) = &n.tag {
                        m.insert("newTag".into(), Value::from(t.as_str()));
                    }
                    if let Some(d) = &n.digest {
                        m.insert("digest".into(), Value::from(d.as_str()));
                    }
                    let res = match &list {
                        Some(_) => {
                            edit::append_item(&text, 0, &[Seg::key("images")], &Value::Map(m))
                        }
                        None => edit::insert_key(
                            &text,
                            0,
                            &[],
                            "images",
                            &Value::Seq(vec![Value::Map(m)]),
                        ),
                    };
                    if let Ok(t) = res {
                        let line = first_changed_line(&text, &t);
                        out.push(Candidate { path: path.clone(), line, text: t });
                    }
                }
            }
        }
        // 3b. `replicas:` of the overlay's kustomization.yaml for `/spec/replicas`.
        if let (Field::Pointer(v), Some(tk)) = (field, to_ks)
            && v.pointer == "/spec/replicas"
            && let Some(path) = self.overlay_file(tk)
            && self.is_to_only(&path)
        {
            let text = self.text(edits, &path)?;
            let segs =
                [Seg::key("replicas"), Seg::item("name", v.name.as_str()), Seg::key("count")];
            if let Ok(t) = edit::set_scalar(&text, 0, &segs, &typed(old, new)) {
                out.push(Candidate { path: path.clone(), line: line_of(&text, 0, &segs), text: t });
            }
        }
        // 4. A manifest or patch in a to-only file: the object's own document at the field's
        // path, else any scalar holding the old value.
        let (kind, name, segs): (&str, &str, Option<Vec<Seg>>) = match field {
            Field::Image { kind, name, .. } => (kind, name, None),
            Field::Chart { name } => (
                "HelmRelease",
                name,
                Some(vec![
                    Seg::key("spec"),
                    Seg::key("chart"),
                    Seg::key("spec"),
                    Seg::key("version"),
                ]),
            ),
            Field::Pointer(v) => (&v.kind, &v.name, Some(v.segs())),
        };
        for path in self.to_only() {
            let Ok(text) = self.text(edits, path) else { continue };
            let Ok(docs) = edit::documents_of(&text, kind, name) else { continue };
            for d in docs {
                if let Some(segs) = &segs
                    && let Ok(Some(node)) = edit::get(&text, d, segs)
                    && node.as_str() == Some(old)
                    && let Ok(t) = edit::set_scalar(&text, d, segs, &typed(old, new))
                {
                    out.push(Candidate { path: path.clone(), line: node.span.start.line, text: t });
                }
                for (line, segs) in scalars_equal(&text, d, old) {
                    if let Ok(t) = edit::set_scalar(&text, d, &segs, &typed(old, new)) {
                        out.push(Candidate { path: path.clone(), line, text: t });
                    }
                }
            }
        }
        Ok(out)
    }

    /// Render the `to` environment with `edits` and read `key`.
    fn value_with(&self, edits: &Edits, env: &Env, key: &str) -> Result<Option<String>, Error> {
        let vals = self.values_with(edits, env)?;
        Ok(vals.get(key).map(|(_, v)| v.clone()))
    }

    fn values_with(
        &self,
        edits: &Edits,
        env: &Env,
    ) -> Result<IndexMap<String, (Field, String)>, Error> {
        let e = render_env(self.fs, edits, self.builder, self.root, self.options, &env.name)?;
        let app = find_app(&e, self.app)?;
        Ok(values_of(&app_objects(&app), &self.options.values))
    }

    /// Where `old` is written among the files the `to` environment reads (for the error).
    fn where_written(&self, edits: &Edits, old: &str) -> String {
        for p in &self.to.reads {
            let Ok(text) = self.text(edits, p) else { continue };
            let Ok(docs) = crate::yaml::parse_stream(&text, &crate::yaml::Limits::default()) else {
                continue;
            };
            for d in 0..docs.len() {
                if let Some((line, _)) = scalars_equal(&text, d, old).into_iter().next() {
                    return format!("{}:{line}", rel(self.root, p));
                }
            }
            let name = ImageRef::parse(old).name;
            for d in 0..docs.len() {
                if let Some((line, _)) = scalars_equal(&text, d, &name).into_iter().next() {
                    return format!("{}:{line}", rel(self.root, p));
                }
            }
        }
        if let Ok(App::Kustomization(k)) = find_app(self.to, self.app)
            && let Some(pb) = &k.kustomization.spec.post_build
            && !pb.substitute_from.is_empty()
        {
            let from: Vec<String> =
                pb.substitute_from.iter().map(|r| format!("{}/{}", r.kind, r.name)).collect();
            return format!(
                "post-build substitution of Kustomization '{}' (spec.postBuild.substituteFrom: {}; only inline spec.postBuild.substitute variables are edited)",
                k.key(),
                from.join(", ")
            );
        }
        "a file both environments read".into()
    }
}

/// The new value typed like the old one would be read (numbers and booleans stay so).
fn typed(old: &str, new: &str) -> Value {
    if let (Ok(_), Ok(n)) = (old.parse::<i64>(), new.parse::<i64>()) {
        return Value::Int(n);
    }
    if let (Ok(_), Ok(n)) = (old.parse::<bool>(), new.parse::<bool>()) {
        return Value::Bool(n);
    }
    Value::from(new)
}

fn line_of(text: &str, doc: usize, segs: &[Seg]) -> u32 {
    edit::get(text, doc, segs).ok().flatten().map_or(0, |n| n.span.start.line)
}

fn first_changed_line(a: &str, b: &str) -> u32 {
    let n = a.lines().zip(b.lines()).take_while(|(x, y)| x == y).count();
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

/// Paths of the scalars of document `doc` equal to `value`.
fn scalars_equal(text: &str, doc: usize, value: &str) -> Vec<(u32, Vec<Seg>)> {
    fn walk(
        n: &Node,
        here: &mut Vec<Seg>,
        value: &str,
        out: &mut Vec<(u32, Vec<Seg>)>,
        depth: usize,
    ) {
        if depth > 128 {
            return;
        }
        match &n.kind {
            NodeKind::Scalar { value: v, .. } if v == value => {
                out.push((n.span.start.line, here.clone()))
            }
            NodeKind::Mapping { entries, .. } => {
                for (k, v) in entries {
                    let Some(k) = k.as_str() else { continue };
                    here.push(Seg::key(k));
                    walk(v, here, value, out, depth + 1);
                    here.pop();
                }
            }
            NodeKind::Sequence { items, .. } => {
                for (i, it) in items.iter().enumerate() {
                    here.push(Seg::Index(i));
                    walk(it, here, value, out, depth + 1);
                    here.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(Some(root)) = edit::get(text, doc, &[]) {
        walk(&root, &mut Vec::new(), value, &mut out, 0);
    }
    out
}

/// Set an `images:` entry (kustomize / Flux `spec.images`) so the image becomes `n`:
/// `newName` when the name changes, `newTag` and `digest` set or removed (kustomize writes
/// `name:tag@digest` when both are given).
fn set_image_entry(
    text: &str,
    doc: usize,
    base: &[Seg],
    o: &ImageRef,
    n: &ImageRef,
) -> Result<String, edit::Error> {
    let mut text = text.to_owned();
    let has = |text: &str, k: &str| {
        let mut p = base.to_vec();
        p.push(Seg::key(k));
        edit::get(text, doc, &p).ok().flatten().is_some()
    };
    let set = |text: &str, k: &str, v: &str| -> Result<String, edit::Error> {
        let mut p = base.to_vec();
        p.push(Seg::key(k));
        if edit::get(text, doc, &p)?.is_some() {
            edit::set_scalar(text, doc, &p, &Value::from(v))
        } else {
            edit::insert_key(text, doc, base, k, &Value::from(v))
        }
    };
    if n.name != o.name || has(&text, "newName") {
        text = set(&text, "newName", &n.name)?;
    }
    match &n.tag {
        Some(t) => text = set(&text, "newTag", t)?,
        None if has(&text, "newTag") => text = edit::remove_key(&text, doc, base, "newTag")?,
        None => {}
    }
    match &n.digest {
        Some(d) => text = set(&text, "digest", d)?,
        None if has(&text, "digest") => text = edit::remove_key(&text, doc, base, "digest")?,
        None => {}
    }
    Ok(text)
}

fn rel(root: &Path, p: &Path) -> String {
    let r = p.strip_prefix(root).unwrap_or(p);
    r.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

// ---------------------------------------------------------------- promote

/// Compute the promotion of `app` from environment `from` to `to` (see the
/// [module docs](self)): `root` is the repository root on `fs`, `builder` builds one
/// Kustomization (gitops-kustomize's `FluxBuilder`).
pub fn promote(
    fs: &dyn FileSystem,
    builder: &dyn Builder,
    root: &Path,
    from: &str,
    to: &str,
    app: &str,
    options: &Options,
) -> Result<Promotion, Error> {
    let known = environments(fs, root, &options.clusters);
    for env in [from, to] {
        if !known.iter().any(|k| k == env) {
            return Err(Error::UnknownEnv {
                env: env.to_owned(),
                dir: root.join(&options.clusters),
                known,
            });
        }
    }
    if from == to {
        return Err(Error::SameEnv(from.to_owned()));
    }
    let none = Edits::new();
    let from_env = render_env(fs, &none, builder, root, options, from)?;
    let to_env = render_env(fs, &none, builder, root, options, to)?;
    let from_app = find_app(&from_env, app)?;
    let to_app = find_app(&to_env, app)?;
    if let (App::ResourceSet(f), App::ResourceSet(t)) = (&from_app, &to_app) {
        return resourceset::promote(fs, root, &from_env, &to_env, app, f, t);
    }
    let from_vals = values_of(&app_objects(&from_app), &options.values);
    let to_vals = values_of(&app_objects(&to_app), &options.values);
    for s in &options.values {
        let f = Field::Pointer(s.clone());
        for (env, vals) in [(from, &from_vals), (to, &to_vals)] {
            if !vals.contains_key(&f.object()) {
                return Err(Error::ValueNotFound {
                    env: env.to_owned(),
                    what: format!("{} {}", f.what(), f.object()),
                });
            }
        }
    }
    let loc = Locator { fs, builder, root, options, from: &from_env, to: &to_env, app };
    let mut edits: Edits = BTreeMap::new();
    let mut changes = Vec::new();
    let mut current = to_vals.clone();
    for (key, (field, new)) in &from_vals {
        let Some((_, old)) = current.get(key).cloned() else { continue };
        if &old == new {
            continue;
        }
        let mut done = false;
        for c in loc.candidates(&edits, field, &old, new)? {
            let mut trial = edits.clone();
            trial.insert(c.path.clone(), c.text.clone());
            if loc.value_with(&trial, &to_env, key)?.as_deref() == Some(new.as_str()) {
                // The first line the edit changed (the candidate's own line when none did).
                let prev = loc.text(&edits, &c.path)?;
                let line = if prev == c.text { c.line } else { first_changed_line(&prev, &c.text) };
                edits = trial;
                current = loc.values_with(&edits, &to_env)?;
                changes.push(Change {
                    what: field.what().into(),
                    object: field.object(),
                    old: old.clone(),
                    new: new.clone(),
                    file: rel(root, &c.path),
                    line,
                });
                done = true;
                break;
            }
        }
        if !done {
            let file = loc.where_written(&edits, &old);
            return Err(Error::Shared(Box::new(Shared {
                what: format!("{} {}", field.what(), field.object()),
                old,
                new: new.clone(),
                file,
                from: from.into(),
                to: to.into(),
            })));
        }
    }
    // Verify: the `to` side now runs the `from` values; the `from` side did not change.
    if !edits.is_empty() {
        let after_to = loc.values_with(&edits, &to_env)?;
        for (key, (_, new)) in &from_vals {
            if let Some((_, got)) = after_to.get(key)
                && got != new
            {
                return Err(Error::Verify(format!(
                    "environment '{to}': {key} is {got}, expected {new}"
                )));
            }
        }
        let again = render_env(fs, &edits, builder, root, options, from)?;
        let before: Vec<&Value> = from_env.outcome.objects().map(Resource::value).collect();
        let after: Vec<&Value> = again.outcome.objects().map(Resource::value).collect();
        if before != after {
            return Err(Error::Verify(format!(
                "environment '{from}' renders differently with the edits"
            )));
        }
    }
    let mut file_edits = Vec::new();
    for (path, new) in &edits {
        let old = loc.text(&BTreeMap::new(), path)?;
        file_edits.push(FileEdit { path: rel(root, path), old, new: new.clone() });
    }
    Ok(Promotion { from: from.into(), to: to.into(), app: app.into(), changes, edits: file_edits })
}

#[cfg(test)]
mod tests;
