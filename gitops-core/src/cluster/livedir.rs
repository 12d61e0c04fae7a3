//! [`LiveDir`]: the live state of a cluster as a directory of YAML files.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Applied, Cluster, Error, Selector};
use crate::inventory::{Inventory, Owner};
use crate::plan::{Action, compare_refs};
use crate::resource::{ObjectRef, Resource};
use crate::yaml::{Limits, Mapping, Profile, Value, emit, json_roundtrip, parse_values};

/// The folder of cluster-scoped objects (no Kubernetes namespace may contain `_`).
const CLUSTER_DIR: &str = "_cluster";
/// The folder of inventories.
const INVENTORY_DIR: &str = "_inventory";
/// Metadata the API server sets, kept from the live object on apply.
const SERVER_METADATA: &[&str] = &[
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
];

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A live-state directory: one YAML file per object at
/// `<namespace or _cluster>/<Kind[.group]>/<name>.yaml`, and one inventory per
/// Kustomization at `_inventory/<namespace>_<name>.yaml` (Flux's `{entries: [{id, v}]}`).
///
/// Every write goes to a temporary file in the same folder, is flushed to disk and then
/// renamed over the target, so a reader never sees a half-written file.
///
/// ```
/// use gitops_core::cluster::{Cluster, LiveDir};
/// use gitops_core::plan::Action;
/// use gitops_core::resource::Resource;
/// use gitops_core::yaml::{parse_values, Limits, Profile};
/// let dir = std::env::temp_dir().join(format!("gitops-doc-livedir-{}", std::process::id()));
/// let mut live = LiveDir::open(&dir).unwrap();
/// let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: web\ndata:\n  a: b\n";
/// let cm = Resource::new(parse_values(text, Profile::ApiServer, &Limits::default()).unwrap().remove(0));
/// assert_eq!(live.apply(&cm, false).unwrap().action, Action::Created);
/// assert!(dir.join("web/ConfigMap/cfg.yaml").is_file());
/// assert_eq!(live.apply(&cm, false).unwrap().action, Action::Unchanged);
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct LiveDir {
    root: PathBuf,
}

impl LiveDir {
    /// Use `root` as the live-state directory, creating it when missing.
    pub fn open(root: impl Into<PathBuf>) -> Result<LiveDir, Error> {
        let root = root.into();
        fs::create_dir_all(&root).map_err(|source| Error::Io {
            op: "create directory",
            path: root.clone(),
            source,
        })?;
        Ok(LiveDir { root })
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file that holds the object `id`.
    pub fn path_of(&self, id: &ObjectRef) -> Result<PathBuf, Error> {
        let subject = id.to_string();
        let ns = if id.namespace.is_empty() {
            CLUSTER_DIR
        } else {
            segment(&subject, "namespace", &id.namespace)?
        };
        segment(&subject, "kind", &id.kind)?;
        let kind_dir = if id.group.is_empty() {
            id.kind.clone()
        } else {
            format!("{}.{}", id.kind, segment(&subject, "group", &id.group)?)
        };
        let name = segment(&subject, "name", &id.name)?;
        Ok(self.root.join(ns).join(kind_dir).join(format!("{name}.yaml")))
    }

    /// The file that holds the inventory of `owner`.
    pub fn inventory_path(&self, owner: &Owner) -> Result<PathBuf, Error> {
        let subject = format!("Kustomization/{owner}");
        let ns = segment(&subject, "namespace", &owner.namespace)?;
        let name = segment(&subject, "name", &owner.name)?;
        Ok(self.root.join(INVENTORY_DIR).join(format!("{ns}_{name}.yaml")))
    }

    fn read_object(&self, path: &Path) -> Result<Option<(Resource, String)>, Error> {
        let Some(text) = read_text(path)? else { return Ok(None) };
        Ok(Some((parse_object(path, &text)?, text)))
    }

    fn object_files(&self) -> Result<Vec<PathBuf>, Error> {
        let mut files = Vec::new();
        for ns_dir in sorted_entries(&self.root)? {
            let name = file_name(&ns_dir);
            if name == INVENTORY_DIR || name.starts_with('.') || !ns_dir.is_dir() {
                continue;
            }
            for kind_dir in sorted_entries(&ns_dir)? {
                if file_name(&kind_dir).starts_with('.') || !kind_dir.is_dir() {
                    continue;
                }
                for file in sorted_entries(&kind_dir)? {
                    let n = file_name(&file);
                    if !n.starts_with('.') && n.ends_with(".yaml") && file.is_file() {
                        files.push(file);
                    }
                }
            }
        }
        Ok(files)
    }
}

impl Cluster for LiveDir {
    /// An identity that cannot name a file (empty or unsafe name) has no object: `None`.
    fn get(&self, id: &ObjectRef) -> Result<Option<Resource>, Error> {
        let Ok(path) = self.path_of(id) else { return Ok(None) };
        Ok(self.read_object(&path)?.map(|(r, _)| r))
    }

    fn list(&self, selector: &Selector) -> Result<Vec<Resource>, Error> {
        let mut out = Vec::new();
        for file in self.object_files()? {
            let Some((res, _)) = self.read_object(&file)? else { continue };
            let keep = match selector {
                Selector::All => true,
                Selector::Owner(owner) => owner.owns(&res),
            };
            if keep {
                out.push(res);
            }
        }
        out.sort_by(|a, b| compare_refs(&a.object_ref(), &b.object_ref()));
        Ok(out)
    }

    fn apply(&mut self, object: &Resource, dry_run: bool) -> Result<Applied, Error> {
        let id = object.object_ref();
        let subject = id.to_string();
        if object.name().is_empty() {
            return Err(Error::InvalidId { subject, what: "name", value: String::new() });
        }
        let path = self.path_of(&id)?;
        let existing = self.read_object(&path)?;
        let stored = merge_server_fields(object.value(), existing.as_ref().map(|(r, _)| r.value()));
        let stored = json_roundtrip(&stored)
            .map_err(|source| Error::Emit { subject: subject.clone(), source })?;
        let text = emit(&stored).map_err(|source| Error::Emit { subject, source })?;
        let action = match &existing {
            None => Action::Created,
            Some((_, old)) if *old == text => Action::Unchanged,
            Some(_) => Action::Configured,
        };
        if !dry_run && action != Action::Unchanged {
            write_atomic(&path, text.as_bytes())?;
        }
        Ok(Applied { action, object: Resource::new(stored) })
    }

    fn delete(&mut self, id: &ObjectRef, dry_run: bool) -> Result<bool, Error> {
        let Ok(path) = self.path_of(id) else { return Ok(false) };
        if !path.is_file() {
            return Ok(false);
        }
        if !dry_run {
            fs::remove_file(&path).map_err(|source| Error::Io {
                op: "remove",
                path: path.clone(),
                source,
            })?;
            // Drop folders left empty (never the root); failures only leave a folder.
            let mut dir = path.parent();
            for _ in 0..2 {
                match dir {
                    Some(d) if d != self.root && fs::remove_dir(d).is_ok() => dir = d.parent(),
                    _ => break,
                }
            }
        }
        Ok(true)
    }

    fn read_inventory(&self, owner: &Owner) -> Result<Option<Inventory>, Error> {
        let path = self.inventory_path(owner)?;
        let Some(text) = read_text(&path)? else { return Ok(None) };
        let docs = parse_values(&text, Profile::ApiServer, &Limits::default())
            .map_err(|source| Error::Parse { path: path.clone(), source })?;
        let doc = docs.first().cloned().unwrap_or(Value::Map(Mapping::new()));
        Inventory::from_value(&doc).map(Some).map_err(|source| Error::Inventory { path, source })
    }

    fn write_inventory(
        &mut self,
        owner: &Owner,
        inventory: &Inventory,
        dry_run: bool,
    ) -> Result<(), Error> {
        let path = self.inventory_path(owner)?;
        let text = emit(&inventory.to_value()).map_err(|source| Error::Emit {
            subject: format!("Kustomization/{owner} inventory"),
            source,
        })?;
        if !dry_run {
            write_atomic(&path, text.as_bytes())?;
        }
        Ok(())
    }
}

/// A path segment taken from an object identity: non-empty, no separators or NUL, and not
/// starting with `.` (which also rules out `.`, `..` and our temporary files).
fn segment<'a>(subject: &str, what: &'static str, value: &'a str) -> Result<&'a str, Error> {
    let bad = value.is_empty()
        || value.starts_with('.')
        || value.contains(['/', '\\', '\0'])
        || value.len() > 253;
    if bad {
        Err(Error::InvalidId { subject: subject.to_owned(), what, value: value.to_owned() })
    } else {
        Ok(value)
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io { op: "list", path: dir.to_path_buf(), source };
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        out.push(entry.map_err(io)?.path());
    }
    out.sort();
    Ok(out)
}

fn read_text(path: &Path) -> Result<Option<String>, Error> {
    match fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|e| Error::Io {
            op: "read",
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io { op: "read", path: path.to_path_buf(), source }),
    }
}

fn parse_object(path: &Path, text: &str) -> Result<Resource, Error> {
    let mut docs = parse_values(text, Profile::ApiServer, &Limits::default())
        .map_err(|source| Error::Parse { path: path.to_path_buf(), source })?;
    docs.retain(|d| !d.is_null());
    let not_object = || Error::NotAnObject { path: path.to_path_buf() };
    if docs.len() != 1 {
        return Err(not_object());
    }
    let res = Resource::new(docs.remove(0));
    if res.api_version().is_empty() || res.kind().is_empty() || res.name().is_empty() {
        return Err(not_object());
    }
    Ok(res)
}

/// The desired object with the live object's `status` and server-set metadata.
/// A null `metadata.creationTimestamp` (what a normalised object carries) is dropped: the
/// API server never stores one.
fn merge_server_fields(desired: &Value, live: Option<&Value>) -> Value {
    let mut out = desired.clone();
    if let Some(meta) = out.get_mut("metadata").and_then(Value::as_map_mut)
        && meta.get("creationTimestamp").is_some_and(Value::is_null)
    {
        meta.shift_remove("creationTimestamp");
    }
    let Some(live) = live else { return out };
    let Some(obj) = out.as_map_mut() else { return out };
    if let Some(status) = live.get("status") {
        obj.insert("status".into(), status.clone());
    }
    if let Some(live_meta) = live.get("metadata").and_then(Value::as_map)
        && let Some(meta) = obj.get_mut("metadata").and_then(Value::as_map_mut)
    {
        for key in SERVER_METADATA {
            if let Some(v) = live_meta.get(*key) {
                meta.insert((*key).to_owned(), v.clone());
            }
        }
    }
    out
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder, flushed to
/// disk, renamed over `path`; the folder is synced afterwards. On any failure the
/// temporary file is removed and `path` keeps its old content.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|source| Error::Io {
        op: "create directory",
        path: dir.to_path_buf(),
        source,
    })?;
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{}.tmp-{}-{n}", file_name(path), std::process::id()));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|source| Error::Io { op: "create", path: tmp.clone(), source })?;
        f.write_all(bytes).map_err(|source| Error::Io {
            op: "write",
            path: tmp.clone(),
            source,
        })?;
        f.sync_all().map_err(|source| Error::Io { op: "sync", path: tmp.clone(), source })?;
        drop(f);
        fs::rename(&tmp, path).map_err(|source| Error::Io {
            op: "rename",
            path: path.to_path_buf(),
            source,
        })
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        return result;
    }
    // Make the rename durable; not every platform can open a folder for syncing.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TempDir(PathBuf);
    impl TempDir {
        fn new(tag: &str) -> TempDir {
            let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
            let p = std::env::temp_dir()
                .join(format!("gitops-livedir-unit-{tag}-{}-{n}", std::process::id()));
            let _ = fs::remove_dir_all(&p);
            TempDir(p)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        sorted_entries(dir).unwrap().iter().map(|p| file_name(p)).collect()
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let t = TempDir::new("atomic");
        let f = t.0.join("a/b.yaml");
        write_atomic(&f, b"one\n").unwrap();
        write_atomic(&f, b"two\n").unwrap();
        assert_eq!(fs::read_to_string(&f).unwrap(), "two\n");
        assert_eq!(names(&t.0.join("a")), ["b.yaml"]);
    }

    #[test]
    fn failed_atomic_write_keeps_old_content() {
        let t = TempDir::new("atomic-fail");
        // The target is a non-empty directory: the rename fails after the temp file is written.
        let target = t.0.join("x.yaml");
        fs::create_dir_all(target.join("inner")).unwrap();
        fs::write(target.join("inner/keep"), "old").unwrap();
        let err = write_atomic(&target, b"new\n").unwrap_err();
        assert!(err.to_string().starts_with("cannot rename "), "{err}");
        assert_eq!(fs::read_to_string(target.join("inner/keep")).unwrap(), "old");
        assert_eq!(names(&t.0), ["x.yaml"]);
    }

    #[test]
    fn paths_table() {
        let t = TempDir::new("paths");
        let live = LiveDir::open(&t.0).unwrap();
        let ok = [
            ("web_podinfo_apps_Deployment", "web/Deployment.apps/podinfo.yaml"),
            ("_web__Namespace", "_cluster/Namespace/web.yaml"),
            (
                "_system__admin_rbac.authorization.k8s.io_ClusterRole",
                "_cluster/ClusterRole.rbac.authorization.k8s.io/system:admin.yaml",
            ),
        ];
        for (id, want) in ok {
            let r = ObjectRef::parse_inventory_id(id).unwrap();
            assert_eq!(live.path_of(&r).unwrap(), t.0.join(want), "{id}");
        }
        let bad = [
            ("web_.._apps_Deployment", "Deployment/web/..: invalid name \"..\""),
            ("web_.hidden__ConfigMap", "ConfigMap/web/.hidden: invalid name \".hidden\""),
        ];
        for (id, want) in bad {
            let r = ObjectRef::parse_inventory_id(id).unwrap();
            assert_eq!(live.path_of(&r).unwrap_err().to_string(), want, "{id}");
        }
        let empty = ObjectRef {
            group: "apps".into(),
            version: None,
            kind: "Deployment".into(),
            namespace: "web".into(),
            name: String::new(),
        };
        assert_eq!(
            live.path_of(&empty).unwrap_err().to_string(),
            "Deployment/web/: invalid name \"\""
        );
        let slash = ObjectRef {
            group: String::new(),
            version: None,
            kind: "ConfigMap".into(),
            namespace: "a/b".into(),
            name: "n".into(),
        };
        assert_eq!(
            live.path_of(&slash).unwrap_err().to_string(),
            "ConfigMap/a/b/n: invalid namespace \"a/b\""
        );
        let mut live = live;
        assert_eq!(live.get(&empty).unwrap(), None);
        assert!(!live.delete(&empty, false).unwrap());
        assert_eq!(
            live.inventory_path(&Owner::new("apps", "flux-system")).unwrap(),
            t.0.join("_inventory/flux-system_apps.yaml")
        );
    }

    #[test]
    fn server_fields_are_kept() {
        let parse =
            |t: &str| parse_values(t, Profile::ApiServer, &Limits::default()).unwrap().remove(0);
        let desired = parse(
            "kind: A\nmetadata:\n  creationTimestamp: null\n  name: a\n  labels:\n    x: z\nspec: 1\n",
        );
        let live = parse(
            "kind: A\nmetadata:\n  name: a\n  uid: u1\n  resourceVersion: \"7\"\n  finalizers: [f]\nspec: 0\nstatus:\n  ready: true\n",
        );
        let got = emit(&merge_server_fields(&desired, Some(&live))).unwrap();
        assert_eq!(
            got,
            "kind: A\nmetadata:\n  labels:\n    x: z\n  name: a\n  resourceVersion: \"7\"\n  uid: u1\nspec: 1\nstatus:\n  ready: true\n"
        );
    }
}
