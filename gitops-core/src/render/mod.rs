//! Render a whole cluster offline: start from a cluster path (`clusters/production`), build
//! it as its flux-system Kustomization would, then build every Flux Kustomization found in
//! the output, and the ones found in theirs, each as kustomize-controller does.
//!
//! | item | what |
//! |---|---|
//! | [`render_cluster`] | the whole walk; returns one [`Rendered`] per Kustomization |
//! | [`Builder`] | builds one Kustomization's directory (gitops-kustomize implements it) |
//! | [`Options`] | the checkout root, other sources' directories, extra objects for `substituteFrom` |
//! | [`post_build`] | what the controller does to a build's output (substitution, owner labels, `commonMetadata`, ...) |
//! | [`assemble_artifact`] | an ArtifactGenerator output artifact, assembled in memory by its `copy` rules |
//!
//! Sources: the cluster's own GitRepository (the one the flux-system Kustomization builds
//! from) is the local checkout; an ExternalArtifact is assembled from the ArtifactGenerator
//! that declares it; any other source must be given in [`Options::sources`].
//!
//! ```
//! use gitops_core::fs::{FileSystem, MemFs};
//! use gitops_core::flux::Kustomization;
//! use gitops_core::render::{BuildError, Builder, Options, render_cluster};
//! use gitops_core::resource::Resource;
//! use gitops_core::yaml::{Limits, Profile, parse_values};
//! use std::path::Path;
//!
//! /// A toy builder: every `.yaml` file of the directory, as is.
//! struct Files;
//! impl Builder for Files {
//!     fn build(&self, fs: &dyn FileSystem, dir: &Path, _: &Kustomization) -> Result<Vec<Resource>, BuildError> {
//!         let mut out = Vec::new();
//!         for p in fs.read_dir(dir)? {
//!             if p.extension().is_some_and(|e| e == "yaml") {
//!                 let text = String::from_utf8(fs.read_file(&p)?)?;
//!                 out.extend(parse_values(&text, Profile::ApiServer, &Limits::default())?.into_iter().map(Resource::new));
//!             }
//!         }
//!         Ok(out)
//!     }
//! }
//!
//! let mut fs = MemFs::new();
//! fs.add_file("/repo/clusters/dev/sync.yaml", "apiVersion: kustomize.toolkit.fluxcd.io/v1
//! kind: Kustomization
//! metadata: {name: flux-system, namespace: flux-system}
//! spec: {interval: 10m, path: ./clusters/dev, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
//! ---
//! apiVersion: kustomize.toolkit.fluxcd.io/v1
//! kind: Kustomization
//! metadata: {name: apps, namespace: flux-system}
//! spec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
//! ");
//! fs.add_file("/repo/apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: apps}\n");
//! let out = render_cluster(&fs, Path::new("/repo/clusters/dev"), &Files, &Options::default()).unwrap();
//! let names: Vec<_> = out.kustomizations.iter().map(|k| k.name.as_str()).collect();
//! assert_eq!(names, ["flux-system", "apps"]);
//! let cm = &out.kustomizations[1].objects[0];
//! assert_eq!(cm.label("kustomize.toolkit.fluxcd.io/name"), Some("apps"));
//! ```

mod artifact;
mod post;

pub use artifact::{Error as ArtifactError, assemble_artifact};
pub use post::{OWNER_NAME_LABEL, OWNER_NAMESPACE_LABEL, post_build};

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Component, Path, PathBuf};

use indexmap::IndexMap;

use crate::flux::{self, DependencyReference, FluxObject, Kustomization};
use crate::fs::{FileSystem, MemFs, clean};
use crate::resource::Resource;

/// The error a [`Builder`] returns; its message is shown as the cause.
pub type BuildError = Box<dyn std::error::Error + Send + Sync>;

/// Builds one Flux Kustomization: the directory `dir` (the source root joined with
/// `spec.path`, known to exist) with the Kustomization's spec fields, as kustomize-controller
/// does before post-build (generate a kustomization file when absent, inject
/// `targetNamespace`, `namePrefix`, `patches`, `images`, ..., then `kustomize build`).
pub trait Builder {
    /// The built objects, in build order.
    fn build(
        &self,
        fs: &dyn FileSystem,
        dir: &Path,
        ks: &Kustomization,
    ) -> Result<Vec<Resource>, BuildError>;
}

/// Render settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// The local checkout root that the cluster's own GitRepository maps to. Default: the
    /// directory such that `<root>/<flux-system spec.path>` is the cluster path, else the
    /// Git work tree root (the nearest parent with `.git`), else the cluster path.
    pub root: Option<PathBuf>,
    /// Directories for other sources, by `Kind/namespace/name`
    /// (`GitRepository/flux-system/podinfo`).
    pub sources: IndexMap<String, PathBuf>,
    /// Objects that exist in the cluster but not in Git (ConfigMaps and Secrets for
    /// `substituteFrom`, ArtifactGenerators); looked up after the rendered ones.
    pub objects: Vec<Resource>,
    /// Strict post-build substitution (Flux 2.9 default: on).
    pub strict_substitution: bool,
    /// At most this many Kustomizations are rendered (a guard against runaway trees).
    pub max_kustomizations: usize,
    /// Leave out Kustomizations whose source is not available offline (listed in
    /// [`Outcome::skipped`]) instead of failing.
    pub skip_unavailable_sources: bool,
    /// Inputs of `ResourceSetInputProvider`s for the ResourceSets met on the way (Static
    /// providers found in the render are read directly); a ResourceSet whose providers
    /// are neither is listed in [`Outcome::skipped`].
    pub resourceset_inputs: crate::resourceset::ProvidedInputs,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            root: None,
            sources: IndexMap::new(),
            objects: Vec::new(),
            strict_substitution: true,
            max_kustomizations: 10_000,
            skip_unavailable_sources: false,
            resourceset_inputs: Default::default(),
        }
    }
}

/// One rendered Kustomization.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `spec.path` as written.
    pub path: String,
    /// The directory that was built.
    pub dir: PathBuf,
    /// The source, `Kind/namespace/name`.
    pub source: String,
    /// `dependsOn`, namespaces defaulted to this Kustomization's.
    pub depends_on: Vec<DependencyReference>,
    /// The Kustomization this one was found in (`namespace/name`); `None` for the root.
    pub parent: Option<String>,
    /// The objects, after post-build, in build order (HelmReleases included, not rendered).
    pub objects: Vec<Resource>,
    /// The Kustomization itself.
    pub kustomization: Kustomization,
}

impl Rendered {
    /// `namespace/name`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// The HelmReleases among the objects (listed, not rendered).
    pub fn helm_releases(&self) -> impl Iterator<Item = &Resource> {
        self.objects
            .iter()
            .filter(|r| r.kind() == "HelmRelease" && r.group() == "helm.toolkit.fluxcd.io")
    }
}

/// What [`render_cluster`] found.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The Kustomizations in the order they were found (breadth first from the root).
    pub kustomizations: Vec<Rendered>,
    /// The checkout root the cluster's own GitRepository was mapped to.
    pub root: PathBuf,
    /// The cluster's own source (`GitRepository/flux-system/flux-system`).
    pub root_source: String,
    /// Kustomizations left out because their source is not available offline (only with
    /// [`Options::skip_unavailable_sources`]), in the order they were met; also
    /// ResourceSets whose input providers are not available (`ResourceSet/ns/name`).
    pub skipped: Vec<Skipped>,
    /// The ResourceSets found in Kustomization outputs, expanded; the Flux
    /// Kustomizations they generate are rendered like nested ones.
    pub resource_sets: Vec<RenderedResourceSet>,
}

/// A ResourceSet found in a Kustomization's output, and what it generates.
#[derive(Debug, Clone)]
pub struct RenderedResourceSet {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// The Kustomization (`namespace/name`) whose output holds it; for a ResourceSet
    /// generated by another one, that ResourceSet's parent.
    pub parent: String,
    /// The generated objects, in flux-operator's order.
    pub objects: Vec<Resource>,
}

impl RenderedResourceSet {
    /// The HelmReleases among the generated objects (listed, not rendered).
    pub fn helm_releases(&self) -> impl Iterator<Item = &Resource> {
        self.objects
            .iter()
            .filter(|r| r.kind() == "HelmRelease" && r.group() == "helm.toolkit.fluxcd.io")
    }
}

/// A Kustomization that was not rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `namespace/name`.
    pub kustomization: String,
    /// `Kind/namespace/name` of its source.
    pub source: String,
    /// Why (the error it would have been).
    pub reason: String,
}

impl Outcome {
    /// A rendered Kustomization by namespace and name.
    pub fn get(&self, namespace: &str, name: &str) -> Option<&Rendered> {
        self.kustomizations.iter().find(|k| k.namespace == namespace && k.name == name)
    }

    /// Every rendered object, Kustomization by Kustomization (for
    /// [`deps::nodes_from_resources`](crate::deps::nodes_from_resources), plans, diffs).
    pub fn objects(&self) -> impl Iterator<Item = &Resource> {
        self.kustomizations.iter().flat_map(|k| k.objects.iter())
    }
}

/// Why a render failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The cluster path does not exist or is not a directory.
    #[error("cluster path '{}' is not a directory", .0.display())]
    ClusterPath(PathBuf),
    /// A Flux object in a build output is malformed.
    #[error("{0}")]
    Flux(#[from] flux::Error),
    /// `spec.path` does not exist in the source.
    #[error("Kustomization '{kustomization}': kustomization path not found: {}", path.display())]
    PathNotFound {
        /// `namespace/name`.
        kustomization: String,
        /// The joined path.
        path: PathBuf,
    },
    /// No directory is known for a source.
    #[error(
        "Kustomization '{kustomization}': source '{source_ref}' is not available offline; give its directory in Options::sources"
    )]
    UnknownSource {
        /// `namespace/name`.
        kustomization: String,
        /// `Kind/namespace/name`.
        source_ref: String,
    },
    /// An ExternalArtifact whose ArtifactGenerator could not be found or assembled.
    #[error("Kustomization '{kustomization}': ExternalArtifact '{artifact}': {message}")]
    Artifact {
        /// `namespace/name`.
        kustomization: String,
        /// `namespace/name` of the artifact.
        artifact: String,
        /// What went wrong.
        message: String,
    },
    /// The builder failed.
    #[error("Kustomization '{kustomization}' build failed: {source}")]
    Build {
        /// `namespace/name`.
        kustomization: String,
        /// The builder's error.
        source: BuildError,
    },
    /// Post-build (substitution, ...) failed.
    #[error("Kustomization '{kustomization}': {message}")]
    PostBuild {
        /// `namespace/name`.
        kustomization: String,
        /// Flux's message.
        message: String,
    },
    /// A ResourceSet in a Kustomization's output failed to render.
    #[error("Kustomization '{kustomization}': {source}")]
    ResourceSet {
        /// `namespace/name` of the Kustomization holding it.
        kustomization: String,
        /// The ResourceSet error.
        source: crate::resourceset::Error,
    },
    /// More Kustomizations than [`Options::max_kustomizations`].
    #[error("more than {0} Kustomizations")]
    TooMany(usize),
}

/// Join `path` under `root` without leaving it (Flux's `SecureJoin`, lexically): leading
/// `/` and `..` beyond the root are dropped.
pub fn secure_join(root: &Path, path: &str) -> PathBuf {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for c in Path::new(path).components() {
        match c {
            Component::Normal(n) => parts.push(n),
            Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    let mut out = root.to_path_buf();
    out.extend(parts);
    out
}

/// The normal components of a relative `spec.path` (`./clusters/dev` → `clusters`, `dev`).
fn path_parts(path: &str) -> Vec<String> {
    secure_join(Path::new("/"), path)
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

/// The root such that `root/<path>` is `cluster`, if `cluster` ends with `path`.
fn root_for(cluster: &Path, path: &str) -> Option<PathBuf> {
    let parts = path_parts(path);
    let mut root = cluster.to_path_buf();
    for p in parts.iter().rev() {
        if root.file_name().is_some_and(|n| n.to_string_lossy() == *p) {
            root.pop();
        } else {
            return None;
        }
    }
    Some(root)
}

fn git_root(fs: &dyn FileSystem, start: &Path) -> Option<PathBuf> {
    let mut d = Some(start);
    while let Some(dir) = d {
        if fs.exists(&dir.join(".git")) {
            return Some(dir.to_path_buf());
        }
        d = dir.parent();
    }
    None
}

/// A `flux-system/flux-system` Kustomization for `path` from the `flux-system` GitRepository
/// (what `flux bootstrap` writes), assumed when the cluster path has none.
fn synthetic_root(path: &str) -> Kustomization {
    Kustomization {
        api_version: "kustomize.toolkit.fluxcd.io/v1".into(),
        kind: "Kustomization".into(),
        metadata: flux::ObjectMeta {
            name: "flux-system".into(),
            namespace: "flux-system".into(),
            ..Default::default()
        },
        spec: flux::KustomizationSpec {
            source_ref: flux::CrossNamespaceSourceReference {
                kind: "GitRepository".into(),
                name: "flux-system".into(),
                ..Default::default()
            },
            path: path.into(),
            interval: "10m".into(),
            prune: true,
            ..Default::default()
        },
        rest: Default::default(),
    }
}

fn ks_key(ks: &Kustomization) -> String {
    format!("{}/{}", ks_namespace(ks), ks.metadata.name)
}

fn ks_namespace(ks: &Kustomization) -> &str {
    if ks.metadata.namespace.is_empty() { "default" } else { &ks.metadata.namespace }
}

/// Where a source's files are.
enum SourceDir<'a> {
    /// On the caller's file system.
    Fs(PathBuf),
    /// Assembled in memory.
    Mem(&'a MemFs),
}

struct Walk<'a> {
    fs: &'a dyn FileSystem,
    options: &'a Options,
    root: PathBuf,
    root_source: String,
    /// Every object rendered so far, for `substituteFrom` and ArtifactGenerator lookups.
    seen: Vec<Resource>,
    artifacts: BTreeMap<String, MemFs>,
}

impl<'a> Walk<'a> {
    fn source_path(&self, key: &str) -> Option<PathBuf> {
        if let Some(d) = self.options.sources.get(key) {
            return Some(d.clone());
        }
        (key == self.root_source).then(|| self.root.clone())
    }

    fn lookup(&self, kind: &str, namespace: &str, name: &str) -> Option<Resource> {
        self.seen
            .iter()
            .chain(self.options.objects.iter())
            .find(|r| r.kind() == kind && r.namespace() == namespace && r.name() == name)
            .cloned()
    }

    /// Assemble (once) the ExternalArtifact `namespace/name` from its ArtifactGenerator.
    fn artifact(&mut self, ks: &str, namespace: &str, name: &str) -> Result<(), Error> {
        let key = format!("{namespace}/{name}");
        if self.artifacts.contains_key(&key) {
            return Ok(());
        }
        let err = |message: String| Error::Artifact {
            kustomization: ks.to_owned(),
            artifact: key.clone(),
            message,
        };
        let mut found = None;
        for r in self.seen.iter().chain(self.options.objects.iter()) {
            if r.kind() != "ArtifactGenerator" || r.namespace() != namespace {
                continue;
            }
            if let Some(FluxObject::ArtifactGenerator(g)) = flux::parse(r)?
                && let Some(a) = g.spec.artifacts.iter().find(|a| a.name == name)
            {
                found = Some((g.clone(), a.clone()));
                break;
            }
        }
        let Some((generator, output)) = found else {
            return Err(err(format!(
                "no ArtifactGenerator in namespace '{namespace}' declares it"
            )));
        };
        let mut sources: IndexMap<String, PathBuf> = IndexMap::new();
        for s in &generator.spec.sources {
            let ns = if s.namespace.is_empty() { namespace } else { &s.namespace };
            let skey = format!("{}/{}/{}", s.kind, ns, s.name);
            let Some(dir) = self.source_path(&skey) else {
                return Err(err(format!(
                    "source '{skey}' (alias '{}') is not available offline; give its directory in Options::sources",
                    s.alias
                )));
            };
            sources.insert(s.alias.clone(), dir);
        }
        let mem = assemble_artifact(self.fs, &sources, &output)
            .map_err(|e| err(format!("ArtifactGenerator '{}': {e}", generator.display_id())))?;
        self.artifacts.insert(key, mem);
        Ok(())
    }

    fn resolve_source(&mut self, ks: &Kustomization) -> Result<SourceDir<'_>, Error> {
        let ns = ks_namespace(ks).to_owned();
        let r = &ks.spec.source_ref;
        let key = r.key(&ns);
        if let Some(dir) = self.source_path(&key) {
            return Ok(SourceDir::Fs(dir));
        }
        if r.kind == "ExternalArtifact" {
            let ans = if r.namespace.is_empty() { ns.as_str() } else { r.namespace.as_str() };
            let akey = format!("{ans}/{}", r.name);
            self.artifact(&ks_key(ks), ans, &r.name)?;
            if let Some(m) = self.artifacts.get(&akey) {
                return Ok(SourceDir::Mem(m));
            }
        }
        Err(Error::UnknownSource { kustomization: ks_key(ks), source_ref: key })
    }
}

/// Render the cluster at `cluster_path` (see the [module docs](self)).
///
/// Kustomizations are returned breadth first in the order they appear in build outputs,
/// each once (the first definition wins; cycles end there).
pub fn render_cluster(
    fs: &dyn FileSystem,
    cluster_path: &Path,
    builder: &dyn Builder,
    options: &Options,
) -> Result<Outcome, Error> {
    let cluster = if cluster_path.is_relative() {
        // Relative to the working directory, as a command line path is.
        let cwd = std::env::current_dir().map_err(|_| Error::ClusterPath(cluster_path.into()))?;
        clean(&cwd.join(cluster_path))
    } else {
        clean(cluster_path)
    };
    if !fs.is_dir(&cluster) {
        return Err(Error::ClusterPath(cluster));
    }
    // Find the flux-system Kustomization: a plain build of the cluster path, then the
    // Kustomization whose path leads back to it.
    let probe = synthetic_root(".");
    let plain = builder.build(fs, &cluster, &probe).map_err(|source| Error::Build {
        kustomization: "flux-system/flux-system".into(),
        source,
    })?;
    // The candidate whose path has the most segments wins (a `./` path matches any
    // directory); the first one among equals.
    let mut bootstrap: Option<(Kustomization, PathBuf, usize)> = None;
    for r in &plain {
        if r.group() != "kustomize.toolkit.fluxcd.io" || r.kind() != "Kustomization" {
            continue;
        }
        let Some(FluxObject::Kustomization(k)) = flux::parse(r)? else { continue };
        if k.spec.source_ref.kind != "GitRepository" {
            continue;
        }
        let root = match &options.root {
            Some(root) => (secure_join(root, &k.spec.path) == cluster).then(|| root.clone()),
            None => root_for(&cluster, &k.spec.path),
        };
        if let Some(root) = root {
            let depth = path_parts(&k.spec.path).len();
            if bootstrap.as_ref().is_none_or(|(_, _, d)| depth > *d) {
                bootstrap = Some((k, root, depth));
            }
        }
    }
    let (root_ks, root) = match bootstrap {
        Some((k, root, _)) => (k, root),
        None => {
            let root = options
                .root
                .clone()
                .or_else(|| git_root(fs, &cluster))
                .unwrap_or_else(|| cluster.clone());
            let rel = cluster.strip_prefix(&root).unwrap_or(Path::new(""));
            let path = format!("./{}", rel.to_string_lossy());
            (synthetic_root(&path), root)
        }
    };
    let root_source = root_ks.spec.source_ref.key(ks_namespace(&root_ks));
    let mut walk = Walk {
        fs,
        options,
        root: root.clone(),
        root_source: root_source.clone(),
        seen: Vec::new(),
        artifacts: BTreeMap::new(),
    };
    let mut out = Outcome {
        kustomizations: Vec::new(),
        root,
        root_source,
        skipped: Vec::new(),
        resource_sets: Vec::new(),
    };
    let mut queued: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(Kustomization, Option<String>)> = VecDeque::new();
    queued.insert(ks_key(&root_ks));
    queue.push_back((root_ks, None));
    // Consecutive deferrals (a substituteFrom object not rendered yet); when every queued
    // Kustomization has been deferred without progress, the next one fails.
    let mut stalled = 0usize;
    while let Some((ks, parent)) = queue.pop_front() {
        if out.kustomizations.len() >= options.max_kustomizations {
            return Err(Error::TooMany(options.max_kustomizations));
        }
        let key = ks_key(&ks);
        let ns = ks_namespace(&ks).to_owned();
        // Defer when a required substituteFrom object has not been rendered yet.
        if let Some(pb) = &ks.spec.post_build {
            let missing = pb.substitute_from.iter().any(|r| {
                !r.optional
                    && (r.kind == "ConfigMap" || r.kind == "Secret")
                    && walk.lookup(&r.kind, &ns, &r.name).is_none()
            });
            if missing && stalled < queue.len() {
                stalled += 1;
                queue.push_back((ks, parent));
                continue;
            }
        }
        stalled = 0;
        let objects = {
            let source = match walk.resolve_source(&ks) {
                Ok(s) => s,
                Err(e @ Error::UnknownSource { .. }) if options.skip_unavailable_sources => {
                    out.skipped.push(Skipped {
                        kustomization: key.clone(),
                        source: ks.spec.source_ref.key(&ns),
                        reason: e.to_string(),
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
            let (sfs, base): (&dyn FileSystem, PathBuf) = match &source {
                SourceDir::Fs(d) => (fs, d.clone()),
                SourceDir::Mem(m) => (*m, PathBuf::from("/")),
            };
            let dir = secure_join(&base, &ks.spec.path);
            if !sfs.is_dir(&dir) {
                return Err(Error::PathNotFound { kustomization: key.clone(), path: dir });
            }
            let built = builder
                .build(sfs, &dir, &ks)
                .map_err(|source| Error::Build { kustomization: key.clone(), source })?;
            (built, dir)
        };
        let (built, dir) = objects;
        let lookup = |kind: &str, ns: &str, name: &str| walk.lookup(kind, ns, name);
        let objects = post_build(built, &ks, &lookup, options.strict_substitution)
            .map_err(|message| Error::PostBuild { kustomization: key.clone(), message })?;
        // ResourceSets: expand (nested ones too, bounded), follow what they generate.
        let generated = expand_resource_sets(&walk, &objects, &key, options, &mut out)?;
        for r in objects.iter().chain(generated.iter()) {
            if r.group() != "kustomize.toolkit.fluxcd.io" || r.kind() != "Kustomization" {
                continue;
            }
            let Some(FluxObject::Kustomization(child)) = flux::parse(r)? else { continue };
            if queued.insert(ks_key(&child)) {
                queue.push_back((child, Some(key.clone())));
            }
        }
        walk.seen.extend(objects.iter().cloned());
        walk.seen.extend(generated);
        let depends_on = ks
            .spec
            .depends_on
            .iter()
            .map(|d| DependencyReference {
                namespace: if d.namespace.is_empty() { ns.clone() } else { d.namespace.clone() },
                ..d.clone()
            })
            .collect();
        out.kustomizations.push(Rendered {
            name: ks.metadata.name.clone(),
            namespace: ns.clone(),
            path: ks.spec.path.clone(),
            dir,
            source: ks.spec.source_ref.key(&ns),
            depends_on,
            parent,
            objects,
            kustomization: ks,
        });
    }
    Ok(out)
}

/// ResourceSets nested in ResourceSets are expanded this many levels deep.
const MAX_RESOURCESET_DEPTH: usize = 10;

/// Expand the ResourceSets among `objects` (and those they generate), record them in
/// `out.resource_sets` (or `out.skipped` when a provider's inputs are unavailable), and
/// return every generated object.
fn expand_resource_sets(
    walk: &Walk<'_>,
    objects: &[Resource],
    parent: &str,
    options: &Options,
    out: &mut Outcome,
) -> Result<Vec<Resource>, Error> {
    use crate::resourceset::{self as rset, GROUP};
    let is_rs = |r: &Resource| r.group() == GROUP && r.kind() == "ResourceSet";
    if !objects.iter().any(is_rs) {
        return Ok(Vec::new());
    }
    let mut provided = options.resourceset_inputs.clone();
    provided.providers.extend(
        objects
            .iter()
            .chain(walk.seen.iter())
            .chain(options.objects.iter())
            .filter(|r| r.group() == GROUP && r.kind() == "ResourceSetInputProvider")
            .cloned(),
    );
    let mut all = Vec::new();
    let mut pending: Vec<Resource> = objects.iter().filter(|r| is_rs(r)).cloned().collect();
    for _ in 0..MAX_RESOURCESET_DEPTH {
        if pending.is_empty() {
            break;
        }
        let mut next = Vec::new();
        for r in pending {
            let err = |source| Error::ResourceSet { kustomization: parent.to_owned(), source };
            let set = rset::ResourceSet::from_resource(&r).map_err(err)?;
            let generated = match rset::render(&set, &provided) {
                Ok(g) => g,
                Err(e @ rset::Error::ProviderUnavailable { .. }) => {
                    let source = match &e {
                        rset::Error::ProviderUnavailable { provider, .. } => {
                            format!("ResourceSetInputProvider/{provider}")
                        }
                        _ => String::new(),
                    };
                    out.skipped.push(Skipped {
                        kustomization: format!("ResourceSet/{}", set.id()),
                        source,
                        reason: e.to_string(),
                    });
                    continue;
                }
                Err(e) => return Err(err(e)),
            };
            next.extend(generated.iter().filter(|g| is_rs(g)).cloned());
            all.extend(generated.iter().cloned());
            out.resource_sets.push(RenderedResourceSet {
                name: set.name.clone(),
                namespace: set.namespace.clone(),
                parent: parent.to_owned(),
                objects: generated,
            });
        }
        pending = next;
    }
    Ok(all)
}

#[cfg(test)]
mod tests;
