//! Build a Flux Kustomization's directory as kustomize-controller does (fluxcd/pkg
//! `kustomize` generator, flux.md §1.2), without writing into the tree: the kustomization
//! file Flux would write is laid over the [`FileSystem`] in memory ([`OverlayFs`]).
//!
//! | item | what |
//! |---|---|
//! | [`generate_kustomization`] | the kustomization file Flux builds from (generated or edited) |
//! | [`FluxBuilder`] | the [`gitops_core::render::Builder`] over it: generate, overlay, build |
//! | [`OverlayFs`] | a file system with one file shadowed |
//!
//! Generation when the directory has no kustomization file: every `.yaml`/`.yml` file
//! under it (recursively, in name order) becomes a `./relative` resource, except that a
//! sub-directory holding a kustomization file is added as one resource and not entered;
//! each file must read as Kubernetes objects, as kustomize's resource factory checks them
//! (`failed to decode Kubernetes YAML from <path>: missing Resource metadata`); no
//! resources gives `namespace: _placeholder`. An existing file without `resources` gets
//! `buildMetadata: [originAnnotations]`. Then the spec is injected: `targetNamespace` →
//! `namespace`, `namePrefix`, `nameSuffix`, `patches` and `components` appended, `images`
//! merged (an entry with the same name: `newName` replaced when set, `newTag` and `digest`
//! replaced together when either is set), `buildMetadata` replaced when set. The build runs
//! with `LoadRestrictionsNone` and in input order (Flux's krusty options set no reorder).
//!
//! ```
//! use gitops_core::fs::MemFs;
//! use gitops_core::flux::KustomizationSpec;
//! use gitops_kustomize::flux::generate_kustomization;
//! use std::path::Path;
//! let mut fs = MemFs::new();
//! fs.add_file("/app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
//! fs.add_file("/app/sub/kustomization.yaml", "resources: []\n");
//! let spec = KustomizationSpec { target_namespace: "apps".into(), ..Default::default() };
//! let g = generate_kustomization(&fs, Path::new("/app"), &spec).unwrap();
//! assert!(g.created);
//! assert_eq!(g.text, "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: apps\nresources:\n- ./cm.yaml\n- ./sub\n");
//! ```

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gitops_core::flux::{Kustomization, KustomizationSpec, Selector};
use gitops_core::fs::{FileSystem, clean};
use gitops_core::render::{BuildError, Builder};
use gitops_core::resource::Resource;
use gitops_core::yaml::{Limits, Mapping, Profile, Value, parse_values, to_kustomize_yaml};

use crate::{KUSTOMIZATION_FILE_NAMES, LoadRestrictor, Options, RemoteResolver, Reorder};

/// Why the kustomization file could not be generated or edited (Flux's wording).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A `.yaml`/`.yml` file that is not YAML.
    #[error("failed to decode Kubernetes YAML from {}: {message}", path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A component that is not a local relative path.
    #[error("component path '{0}' must be local and relative")]
    Component(String),
    /// The existing kustomization file is not valid YAML or not a mapping.
    #[error("{}: {message}", path.display())]
    Kustomization {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Reading failed.
    #[error("{}: {message}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The operating system's message.
        message: String,
    },
}

/// The kustomization file Flux builds from.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// Where it lies (the existing file, or `<dir>/kustomization.yaml`).
    pub file: PathBuf,
    /// Its content.
    pub text: String,
    /// Whether it was generated (no kustomization file in the directory).
    pub created: bool,
}

/// How deep the generator walks.
const MAX_DEPTH: usize = 64;

fn existing_file(fs: &dyn FileSystem, dir: &Path) -> Option<PathBuf> {
    KUSTOMIZATION_FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| fs.exists(p) && !fs.is_dir(p))
}

fn scan(
    fs: &dyn FileSystem,
    base: &Path,
    dir: &Path,
    depth: usize,
    out: &mut Vec<String>,
) -> Result<(), Error> {
    let io_err =
        |path: &Path, e: io::Error| Error::Io { path: path.to_path_buf(), message: e.to_string() };
    if depth > MAX_DEPTH {
        return Err(Error::Io {
            path: dir.to_path_buf(),
            message: format!("directories nested deeper than {MAX_DEPTH} levels"),
        });
    }
    let rel = |p: &Path| {
        let r = p.strip_prefix(base).unwrap_or(p);
        format!("./{}", r.to_string_lossy())
    };
    for entry in fs.read_dir(dir).map_err(|e| io_err(dir, e))? {
        // A source artifact never holds `.git` (source-controller always leaves it out);
        // a local checkout does.
        if entry.file_name().is_some_and(|n| n == ".git") {
            continue;
        }
        if fs.is_dir(&entry) {
            if existing_file(fs, &entry).is_some() {
                out.push(rel(&entry));
            } else {
                scan(fs, base, &entry, depth + 1, out)?;
            }
            continue;
        }
        let ext = entry.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext != "yaml" && ext != "yml" {
            continue;
        }
        let bytes = fs.read_file(&entry).map_err(|e| io_err(&entry, e))?;
        let decode = |message: String| Error::Decode { path: entry.clone(), message };
        let text = String::from_utf8(bytes).map_err(|_| decode("not valid UTF-8".into()))?;
        let docs = parse_values(&text, Profile::Kyaml, &Limits::default())
            .map_err(|e| decode(e.to_string()))?;
        for d in &docs {
            check_object(d).map_err(decode)?;
        }
        out.push(rel(&entry));
    }
    Ok(())
}

/// kustomize's resource factory check on one document of a file (`SliceFromBytes`):
/// empty documents pass; otherwise some identity is needed, a kind, and a name unless the
/// kind is a `List`.
fn check_object(doc: &Value) -> Result<(), String> {
    let m = match doc {
        Value::Null => return Ok(()),
        Value::Map(m) if m.is_empty() => return Ok(()),
        Value::Map(m) => m,
        other => return Err(format!("expected a mapping, found a {}", other.kind_name())),
    };
    let text = |v: Option<&Value>| v.map(gitops_core::resource::scalar_text).unwrap_or_default();
    let meta = m.get("metadata");
    let field = |k: &str| meta.and_then(|mm| mm.get(k));
    let (api_version, kind) = (text(m.get("apiVersion")), text(m.get("kind")));
    let name = text(field("name"));
    let has_meta = ["name", "namespace", "labels", "annotations"]
        .iter()
        .any(|k| field(k).is_some_and(|v| !v.is_null()));
    if api_version.is_empty() && kind.is_empty() && !has_meta {
        return Err("missing Resource metadata".into());
    }
    if kind.is_empty() {
        return Err("missing kind in object".into());
    }
    if !kind.ends_with("List") && name.is_empty() {
        return Err(format!("missing metadata.name in object of kind {kind}"));
    }
    Ok(())
}

/// Whether a component path is local and relative: not absolute, not a URL (`file://x`
/// counts as local), not `user@host:path`, and not `host.tld/path`.
pub fn is_local_relative_path(p: &str) -> bool {
    let p = match p.strip_prefix("file://") {
        Some(rest) => rest,
        None if p.contains("://") => return false,
        None => p,
    };
    if p.starts_with('/') {
        return false;
    }
    if let Some((user_host, _)) = p.split_once(':')
        && user_host.contains('@')
        && !user_host.contains('/')
    {
        return false;
    }
    let mut segs = p.split('/');
    let first = segs.next().unwrap_or("");
    let has_more = segs.next().is_some();
    !(has_more && first.contains('.') && first != "." && first != ".." && !first.starts_with('.'))
}

fn selector_value(t: &Selector) -> Value {
    let mut m = Mapping::new();
    for (k, v) in [
        ("group", &t.group),
        ("version", &t.version),
        ("kind", &t.kind),
        ("name", &t.name),
        ("namespace", &t.namespace),
        ("annotationSelector", &t.annotation_selector),
        ("labelSelector", &t.label_selector),
    ] {
        if !v.is_empty() {
            m.insert(k.into(), v.as_str().into());
        }
    }
    Value::Map(m)
}

fn push_seq(k: &mut Mapping, key: &str, item: Value) {
    match k.get_mut(key) {
        Some(Value::Seq(items)) => items.push(item),
        _ => {
            k.insert(key.to_owned(), Value::Seq(vec![item]));
        }
    }
}

/// Flux's images merge: an entry with the same name gets `newName` when set, and `newTag`
/// and `digest` together when either is set; other images are appended.
fn merge_images(images: &mut Vec<Value>, new: &[gitops_core::flux::Image]) {
    for img in new {
        let existing = images
            .iter_mut()
            .filter_map(Value::as_map_mut)
            .find(|m| m.get("name").and_then(Value::as_str) == Some(img.name.as_str()));
        match existing {
            Some(m) => {
                if !img.new_name.is_empty() {
                    m.insert("newName".into(), img.new_name.as_str().into());
                }
                if !img.new_tag.is_empty() || !img.digest.is_empty() {
                    for (key, v) in [("newTag", &img.new_tag), ("digest", &img.digest)] {
                        if v.is_empty() {
                            m.shift_remove(key);
                        } else {
                            m.insert(key.into(), v.as_str().into());
                        }
                    }
                }
            }
            None => {
                let mut m = Mapping::new();
                m.insert("name".into(), img.name.as_str().into());
                for (key, v) in
                    [("newName", &img.new_name), ("newTag", &img.new_tag), ("digest", &img.digest)]
                {
                    if !v.is_empty() {
                        m.insert(key.into(), v.as_str().into());
                    }
                }
                images.push(Value::Map(m));
            }
        }
    }
}

/// The kustomization file Flux builds `dir` from, for a Kustomization with `spec`.
pub fn generate_kustomization(
    fs: &dyn FileSystem,
    dir: &Path,
    spec: &KustomizationSpec,
) -> Result<Generated, Error> {
    let (file, created, mut k) = match existing_file(fs, dir) {
        Some(file) => {
            let kerr = |message: String| Error::Kustomization { path: file.clone(), message };
            let bytes = fs
                .read_file(&file)
                .map_err(|e| Error::Io { path: file.clone(), message: e.to_string() })?;
            let text = String::from_utf8(bytes).map_err(|_| kerr("not valid UTF-8".into()))?;
            let docs = parse_values(&text, Profile::ApiServer, &Limits::default())
                .map_err(|e| kerr(e.to_string()))?;
            let k = match docs.into_iter().next() {
                None | Some(Value::Null) => Mapping::new(),
                Some(Value::Map(m)) => m,
                Some(other) => {
                    return Err(kerr(format!(
                        "error unmarshaling JSON: json: cannot unmarshal {} into Go value of type types.Kustomization",
                        other.kind_name()
                    )));
                }
            };
            (file, false, k)
        }
        None => {
            let mut resources = Vec::new();
            scan(fs, dir, dir, 0, &mut resources)?;
            let mut k = Mapping::new();
            if resources.is_empty() {
                k.insert("namespace".into(), "_placeholder".into());
            } else {
                k.insert(
                    "resources".into(),
                    Value::Seq(resources.into_iter().map(Value::String).collect()),
                );
            }
            (dir.join("kustomization.yaml"), true, k)
        }
    };
    // The Go round trip through kustypes.Kustomization fills in the type meta and drops
    // the fields kustomize does not know (so Flux accepts them where `kustomize build`
    // would refuse them).
    let mut typed = Mapping::new();
    typed.insert("apiVersion".into(), "kustomize.config.k8s.io/v1beta1".into());
    typed.insert("kind".into(), "Kustomization".into());
    for (key, v) in std::mem::take(&mut k) {
        if crate::kustomization::FIELDS.contains(&key.as_str()) {
            typed.insert(key, v);
        }
    }
    let mut k = typed;
    let no_resources = k.get("resources").and_then(Value::as_seq).is_none_or(Vec::is_empty);
    if !created && no_resources {
        k.insert("buildMetadata".into(), Value::Seq(vec!["originAnnotations".into()]));
    }
    if !spec.target_namespace.is_empty() {
        k.insert("namespace".into(), spec.target_namespace.as_str().into());
    }
    if !spec.name_prefix.is_empty() {
        k.insert("namePrefix".into(), spec.name_prefix.as_str().into());
    }
    if !spec.name_suffix.is_empty() {
        k.insert("nameSuffix".into(), spec.name_suffix.as_str().into());
    }
    for p in &spec.patches {
        let mut m = Mapping::new();
        m.insert("patch".into(), p.patch.as_str().into());
        if let Some(t) = &p.target {
            m.insert("target".into(), selector_value(t));
        }
        push_seq(&mut k, "patches", Value::Map(m));
    }
    // v1beta2's legacy fields: strategic merge patches as objects, JSON 6902 patches as
    // operation lists; kustomize gets each as JSON text.
    let json = |v: &Value| serde_json::Value::from(v).to_string();
    if let Some(Value::Seq(items)) = spec.rest.get("patchesStrategicMerge") {
        for p in items {
            push_seq(&mut k, "patchesStrategicMerge", Value::String(json(p)));
        }
    }
    if let Some(Value::Seq(items)) = spec.rest.get("patchesJson6902") {
        for p in items {
            let mut m = Mapping::new();
            m.insert("patch".into(), Value::String(json(p.get("patch").unwrap_or(&Value::Null))));
            if let Some(t) = p.get("target").filter(|t| !t.is_null()) {
                let sel: Selector =
                    gitops_core::yaml::from_value(t).map_err(|e| Error::Kustomization {
                        path: dir.to_path_buf(),
                        message: format!("spec.patchesJson6902: {e}"),
                    })?;
                m.insert("target".into(), selector_value(&sel));
            }
            push_seq(&mut k, "patchesJson6902", Value::Map(m));
        }
    }
    for c in &spec.components {
        if !is_local_relative_path(c) {
            return Err(Error::Component(c.clone()));
        }
        if spec.ignore_missing_components && !fs.exists(&clean(&dir.join(c))) {
            continue;
        }
        push_seq(&mut k, "components", c.as_str().into());
    }
    if !spec.images.is_empty() {
        let mut images = match k.shift_remove("images") {
            Some(Value::Seq(items)) => items,
            _ => Vec::new(),
        };
        merge_images(&mut images, &spec.images);
        k.insert("images".into(), Value::Seq(images));
    }
    if !spec.build_metadata.is_empty() {
        k.insert(
            "buildMetadata".into(),
            Value::Seq(spec.build_metadata.iter().map(|s| s.as_str().into()).collect()),
        );
    }
    let text = to_kustomize_yaml(&Value::Map(k))
        .map_err(|e| Error::Kustomization { path: file.clone(), message: e.to_string() })?;
    Ok(Generated { file, text, created })
}

/// A file system that shows `content` at one path (added when absent, replacing the file
/// otherwise) and passes everything else through.
pub struct OverlayFs<'a> {
    inner: &'a dyn FileSystem,
    path: PathBuf,
    content: Vec<u8>,
}

impl<'a> OverlayFs<'a> {
    /// Shadow `path` (absolute; its directory must exist in `inner`) with `content`.
    pub fn new(inner: &'a dyn FileSystem, path: &Path, content: impl Into<Vec<u8>>) -> Self {
        let path = clean(path);
        let path = match (path.parent(), path.file_name()) {
            (Some(dir), Some(name)) => {
                inner.canonicalize(dir).map(|d| d.join(name)).unwrap_or(path.clone())
            }
            _ => path,
        };
        OverlayFs { inner, path, content: content.into() }
    }

    fn is_shadow(&self, p: &Path) -> bool {
        let p = clean(p);
        if p == self.path {
            return true;
        }
        match (p.parent(), p.file_name()) {
            (Some(dir), Some(name)) => {
                self.inner.canonicalize(dir).is_ok_and(|d| d.join(name) == self.path)
            }
            _ => false,
        }
    }
}

impl FileSystem for OverlayFs<'_> {
    fn read_file(&self, path: &Path) -> io::Result<Vec<u8>> {
        if self.is_shadow(path) { Ok(self.content.clone()) } else { self.inner.read_file(path) }
    }
    fn is_dir(&self, path: &Path) -> bool {
        !self.is_shadow(path) && self.inner.is_dir(path)
    }
    fn exists(&self, path: &Path) -> bool {
        self.is_shadow(path) || self.inner.exists(path)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        if self.is_shadow(path) { Ok(self.path.clone()) } else { self.inner.canonicalize(path) }
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let mut entries = self.inner.read_dir(path)?;
        let shadow_here =
            self.inner.canonicalize(path).is_ok_and(|d| self.path.parent() == Some(d.as_path()));
        if shadow_here && let Some(name) = self.path.file_name() {
            let p = path.join(name);
            if !entries.contains(&p) {
                entries.push(p);
                entries.sort();
            }
        }
        Ok(entries)
    }
}

/// The [`Builder`] kustomize-controller's build corresponds to: generate or edit the
/// kustomization file ([`generate_kustomization`]), lay it over the file system, run
/// `kustomize build` with `LoadRestrictionsNone` and no reordering.
///
/// ```
/// use gitops_core::fs::MemFs;
/// use gitops_core::render::{Options, render_cluster};
/// use gitops_kustomize::flux::FluxBuilder;
/// use std::path::Path;
/// let mut fs = MemFs::new();
/// fs.add_file("/repo/clusters/dev/sync.yaml", "apiVersion: kustomize.toolkit.fluxcd.io/v1
/// kind: Kustomization
/// metadata: {name: flux-system, namespace: flux-system}
/// spec: {interval: 10m, path: ./clusters/dev, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
/// ---
/// apiVersion: kustomize.toolkit.fluxcd.io/v1
/// kind: Kustomization
/// metadata: {name: apps, namespace: flux-system}
/// spec:
///   interval: 10m
///   path: ./apps
///   prune: true
///   targetNamespace: apps
///   sourceRef: {kind: GitRepository, name: flux-system}
///   postBuild: {substitute: {env: dev}}
/// ");
/// // No kustomization.yaml in either directory: Flux generates one.
/// fs.add_file("/repo/apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${env}\n");
/// let out = render_cluster(&fs, Path::new("/repo/clusters/dev"), &FluxBuilder::default(), &Options::default()).unwrap();
/// let cm = &out.kustomizations[1].objects[0];
/// assert_eq!((cm.namespace(), cm.name()), ("apps", "app-dev"));
/// ```
#[derive(Default, Clone)]
pub struct FluxBuilder {
    /// Local copies of remote bases (`Options::remote` of the build).
    pub remote: Option<Arc<dyn RemoteResolver>>,
}

impl Builder for FluxBuilder {
    fn build(
        &self,
        fs: &dyn FileSystem,
        dir: &Path,
        ks: &Kustomization,
    ) -> Result<Vec<Resource>, BuildError> {
        let generated = generate_kustomization(fs, dir, &ks.spec)?;
        let overlay = OverlayFs::new(fs, &generated.file, generated.text);
        let options = Options {
            reorder: Reorder::None,
            load_restrictor: LoadRestrictor::None,
            remote: self.remote.clone(),
        };
        Ok(crate::build(&overlay, dir, &options)?.into_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gitops_core::flux::{Image, Patch};
    use gitops_core::fs::MemFs;

    fn spec() -> KustomizationSpec {
        KustomizationSpec::default()
    }

    const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n";

    /// Generation rules (modelled on fluxcd/pkg's generator tests: empty dir, nested
    /// kustomizations, non-YAML files, no resources, components, images).
    #[test]
    fn generate_table() {
        type Case = (
            &'static str,
            Vec<(&'static str, &'static str)>,
            KustomizationSpec,
            Result<&'static str, &'static str>,
        );
        let with = |f: fn(&mut KustomizationSpec)| {
            let mut s = spec();
            f(&mut s);
            s
        };
        let cases: Vec<Case> = vec![
            (
                "empty dir",
                vec![],
                spec(),
                Ok(
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: _placeholder\n",
                ),
            ),
            (
                "walk: files, nested dirs, kustomization sub-dirs, other extensions skipped",
                vec![
                    ("/d/b.yaml", CM),
                    ("/d/a.yml", CM),
                    ("/d/notes.txt", "x"),
                    ("/d/x.json", "{}"),
                    ("/d/deep/er/c.yaml", CM),
                    ("/d/kdir/kustomization.yaml", "resources: []"),
                    ("/d/kdir/ignored.yaml", CM),
                    ("/d/kdir2/Kustomization", ""),
                    ("/d/.git/config.yaml", "not: [yaml"),
                ],
                spec(),
                Ok(
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ./a.yml\n- ./b.yaml\n- ./deep/er/c.yaml\n- ./kdir\n- ./kdir2\n",
                ),
            ),
            (
                "bad yaml",
                vec![("/d/bad.yaml", "a: [")],
                spec(),
                Err("failed to decode Kubernetes YAML from /d/bad.yaml: "),
            ),
            (
                "not a mapping",
                vec![("/d/list.yaml", "- a\n- b\n")],
                spec(),
                Err(
                    "failed to decode Kubernetes YAML from /d/list.yaml: expected a mapping, found a sequence",
                ),
            ),
            (
                "helm values file",
                vec![("/d/values.yaml", "replicaCount: 1\n")],
                spec(),
                Err(
                    "failed to decode Kubernetes YAML from /d/values.yaml: missing Resource metadata",
                ),
            ),
            (
                "no kind",
                vec![("/d/x.yaml", "apiVersion: v1\nmetadata: {name: a}\n")],
                spec(),
                Err("failed to decode Kubernetes YAML from /d/x.yaml: missing kind in object"),
            ),
            (
                "no name",
                vec![("/d/x.yaml", "apiVersion: v1\nkind: ConfigMap\n")],
                spec(),
                Err(
                    "failed to decode Kubernetes YAML from /d/x.yaml: missing metadata.name in object of kind ConfigMap",
                ),
            ),
            (
                "lists need no name, empty documents pass",
                vec![("/d/x.yaml", "---\n---\napiVersion: v1\nkind: ConfigMapList\nitems: []\n")],
                spec(),
                Ok(
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ./x.yaml\n",
                ),
            ),
            (
                "existing without resources gets originAnnotations",
                vec![(
                    "/d/kustomization.yaml",
                    "configMapGenerator:\n- name: x\n  literals: [a=b]\n",
                )],
                spec(),
                Ok(
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nbuildMetadata:\n- originAnnotations\nconfigMapGenerator:\n- literals:\n  - a=b\n  name: x\nkind: Kustomization\n",
                ),
            ),
            (
                "unknown fields dropped, type meta filled in",
                vec![
                    ("/d/Kustomization", "resources: [cm.yaml]\nfluxExtra: {a: 1}\n"),
                    ("/d/cm.yaml", CM),
                ],
                spec(),
                Ok(
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- cm.yaml\n",
                ),
            ),
            (
                "spec fields injected into an existing file",
                vec![
                    (
                        "/d/kustomization.yml",
                        "resources: [cm.yaml]\nnamespace: old\ncomponents: [../a]\npatches:\n- path: p.yaml\n",
                    ),
                    ("/d/cm.yaml", CM),
                ],
                with(|s| {
                    s.target_namespace = "apps".into();
                    s.name_prefix = "p-".into();
                    s.name_suffix = "-s".into();
                    s.components = vec!["../b".into()];
                    s.patches = vec![Patch {
                        patch: "x".into(),
                        target: Some(Selector {
                            kind: "Deployment".into(),
                            label_selector: "a=b".into(),
                            ..Default::default()
                        }),
                    }];
                    s.build_metadata = vec!["originAnnotations".into()];
                }),
                Ok(
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nbuildMetadata:\n- originAnnotations\ncomponents:\n- ../a\n- ../b\nkind: Kustomization\nnamePrefix: p-\nnameSuffix: -s\nnamespace: apps\npatches:\n- path: p.yaml\n- patch: x\n  target:\n    kind: Deployment\n    labelSelector: a=b\nresources:\n- cm.yaml\n",
                ),
            ),
            (
                "remote component refused",
                vec![("/d/c.yaml", CM)],
                with(|s| s.components = vec!["https://github.com/x/y".into()]),
                Err("component path 'https://github.com/x/y' must be local and relative"),
            ),
            (
                "missing components dropped when ignoreMissingComponents",
                vec![("/d/c.yaml", CM), ("/comp/here/kustomization.yaml", "kind: Component")],
                with(|s| {
                    s.components = vec!["../comp/here".into(), "../comp/gone".into()];
                    s.ignore_missing_components = true;
                }),
                Ok(
                    "apiVersion: kustomize.config.k8s.io/v1beta1\ncomponents:\n- ../comp/here\nkind: Kustomization\nresources:\n- ./c.yaml\n",
                ),
            ),
        ];
        for (name, files, spec, want) in cases {
            let mut fs = MemFs::new();
            fs.add_dir("/d");
            for (p, c) in files {
                fs.add_file(p, c);
            }
            match (generate_kustomization(&fs, Path::new("/d"), &spec), want) {
                (Ok(g), Ok(text)) => assert_eq!(g.text, text, "{name}"),
                (Err(e), Err(msg)) => assert!(e.to_string().starts_with(msg), "{name}: {e}"),
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
    }

    /// The images merge rule: newName only when set; newTag and digest as a unit.
    #[test]
    fn images_merge_table() {
        let img = |n: &str, nn: &str, t: &str, d: &str| Image {
            name: n.into(),
            new_name: nn.into(),
            new_tag: t.into(),
            digest: d.into(),
        };
        let existing = "resources: [cm.yaml]\nimages:\n- name: nginx\n  newName: registry/nginx\n  newTag: '1.0'\n- name: redis\n  digest: sha256:aaa\n";
        let cases = [
            (
                img("nginx", "", "2.0", ""),
                "- name: nginx\n  newName: registry/nginx\n  newTag: \"2.0\"\n- digest: sha256:aaa\n  name: redis\n",
            ),
            (
                img("nginx", "mirror/nginx", "", ""),
                "- name: nginx\n  newName: mirror/nginx\n  newTag: \"1.0\"\n- digest: sha256:aaa\n  name: redis\n",
            ),
            (
                img("nginx", "", "", "sha256:bbb"),
                "- digest: sha256:bbb\n  name: nginx\n  newName: registry/nginx\n- digest: sha256:aaa\n  name: redis\n",
            ),
            (
                img("redis", "", "7", ""),
                "- name: nginx\n  newName: registry/nginx\n  newTag: \"1.0\"\n- name: redis\n  newTag: \"7\"\n",
            ),
            (
                img("envoy", "", "v1", ""),
                "- name: nginx\n  newName: registry/nginx\n  newTag: \"1.0\"\n- digest: sha256:aaa\n  name: redis\n- name: envoy\n  newTag: v1\n",
            ),
        ];
        for (image, want) in cases {
            let mut fs = MemFs::new();
            fs.add_file("/d/kustomization.yaml", existing);
            let spec = KustomizationSpec { images: vec![image.clone()], ..spec() };
            let g = generate_kustomization(&fs, Path::new("/d"), &spec).unwrap();
            let images = g.text.split("images:\n").nth(1).unwrap().split("kind:").next().unwrap();
            assert_eq!(images, want, "{image:?}");
        }
    }

    /// v1beta2's legacy patch fields reach kustomize and apply.
    #[test]
    fn legacy_patch_fields() {
        let mut fs = MemFs::new();
        fs.add_file("/d/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n");
        let ks: Kustomization = gitops_core::yaml::from_value(
            &parse_values(
                "apiVersion: kustomize.toolkit.fluxcd.io/v1beta2\nkind: Kustomization\nmetadata: {name: a, namespace: flux-system}\nspec:\n  interval: 1m\n  prune: true\n  sourceRef: {kind: GitRepository, name: x}\n  patchesStrategicMerge:\n  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 3}}\n  patchesJson6902:\n  - target: {group: apps, version: v1, kind: Deployment, name: web}\n    patch: [{op: add, path: /metadata/labels, value: {tier: front}}]\n",
                Profile::ApiServer,
                &Limits::default(),
            )
            .unwrap()[0],
        )
        .unwrap();
        let g = generate_kustomization(&fs, Path::new("/d"), &ks.spec).unwrap();
        assert!(
            g.text.contains("patchesStrategicMerge:\n- '{\"apiVersion\":\"apps/v1\""),
            "{}",
            g.text
        );
        let out = FluxBuilder::default().build(&fs, Path::new("/d"), &ks).unwrap();
        let d = out[0].value();
        assert_eq!(d.get_path(&["spec", "replicas"]), Some(&Value::Int(3)));
        assert_eq!(
            d.get_path(&["metadata", "labels", "tier"]).and_then(Value::as_str),
            Some("front")
        );
    }

    #[test]
    fn local_relative_table() {
        for (p, want) in [
            ("foobar.yaml", true),
            ("./foobar.yaml", true),
            ("../components/a", true),
            ("file://foobar.yaml", true),
            ("file:///foobar.yaml", false),
            ("/foobar.yaml", false),
            ("https://github.com/owner/repo", false),
            ("git@github.com:owner/repo", false),
            ("ssh://git@github.com/owner/repo", false),
            ("github.com/owner/repo", false),
        ] {
            assert_eq!(is_local_relative_path(p), want, "{p}");
        }
    }

    /// The builder never writes: the user's tree is unchanged, the overlay holds the file.
    #[test]
    fn builder_builds_generated_dir_in_input_order() {
        let mut fs = MemFs::new();
        fs.add_file("/d/z.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n");
        fs.add_file("/d/a.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n");
        let ks: Kustomization = gitops_core::yaml::from_value(
            &parse_values(
                "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a, namespace: flux-system}\nspec: {interval: 1m, prune: true, sourceRef: {kind: GitRepository, name: x}, targetNamespace: apps, namePrefix: p-}\n",
                Profile::ApiServer,
                &Limits::default(),
            )
            .unwrap()[0],
        )
        .unwrap();
        let out = FluxBuilder::default().build(&fs, Path::new("/d"), &ks).unwrap();
        let ids: Vec<String> =
            out.iter().map(|r| format!("{}/{}/{}", r.kind(), r.namespace(), r.name())).collect();
        // Input order (no legacy sort): a.yaml's Deployment before its Namespace (which
        // kustomize's namespace transformer renames to the target namespace).
        assert_eq!(ids, ["Deployment/apps/p-d", "Namespace//apps", "Service/apps/p-s"]);
        assert!(!fs.exists(Path::new("/d/kustomization.yaml")));
        // An empty directory builds to nothing (the `_placeholder` namespace keeps
        // kustomize from refusing an empty kustomization).
        fs.add_dir("/empty");
        assert!(FluxBuilder::default().build(&fs, Path::new("/empty"), &ks).unwrap().is_empty());
    }
}
