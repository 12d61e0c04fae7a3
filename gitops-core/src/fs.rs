//! The file system a build reads from: the real one ([`RealFs`]) or an in-memory tree
//! ([`MemFs`], for tests and language bindings), and [`Recording`], a wrapper that notes
//! which paths a build read, listed or probed.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// What a build needs from a file system. Paths given to it are absolute.
pub trait FileSystem {
    /// The whole content of a file.
    fn read_file(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Whether `path` is a directory (symlinks followed).
    fn is_dir(&self, path: &Path) -> bool;
    /// Whether `path` exists (symlinks followed).
    fn exists(&self, path: &Path) -> bool;
    /// The absolute path with `.`/`..` removed and every symlink resolved; an error when
    /// the path does not exist.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// The entries of a directory, sorted by name.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
}

/// The operating system's file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealFs;

impl FileSystem for RealFs {
    fn read_file(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let mut v = std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect::<io::Result<Vec<_>>>()?;
        v.sort();
        Ok(v)
    }
}

#[derive(Debug, Clone)]
enum Entry {
    File(Vec<u8>),
    Dir,
    Symlink(PathBuf),
}

/// An in-memory file system: files, directories and symlinks under `/`.
///
/// ```
/// use gitops_core::fs::{FileSystem, MemFs};
/// use std::path::Path;
/// let mut fs = MemFs::new();
/// fs.add_file("/app/kustomization.yaml", "resources: []\n");
/// assert!(fs.is_dir(Path::new("/app")));
/// assert_eq!(fs.read_file(Path::new("/app/kustomization.yaml")).unwrap(), b"resources: []\n");
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemFs {
    entries: BTreeMap<PathBuf, Entry>,
}

/// Lexically clean an absolute path: drop `.`, resolve `..` against the parent.
pub fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for c in path.components() {
        match c {
            Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
        }
    }
    out
}

const MAX_SYMLINKS: usize = 40;

impl MemFs {
    /// An empty tree (only `/`).
    pub fn new() -> MemFs {
        let mut entries = BTreeMap::new();
        entries.insert(PathBuf::from("/"), Entry::Dir);
        MemFs { entries }
    }

    fn add_parents(&mut self, path: &Path) {
        let mut p = path.parent();
        while let Some(d) = p {
            self.entries.entry(d.to_path_buf()).or_insert(Entry::Dir);
            p = d.parent();
        }
    }

    /// Add (or replace) a file; missing parent directories are created.
    pub fn add_file(&mut self, path: impl AsRef<Path>, content: impl Into<Vec<u8>>) {
        let p = clean(path.as_ref());
        self.add_parents(&p);
        self.entries.insert(p, Entry::File(content.into()));
    }

    /// Add an empty directory.
    pub fn add_dir(&mut self, path: impl AsRef<Path>) {
        let p = clean(path.as_ref());
        self.add_parents(&p);
        self.entries.insert(p, Entry::Dir);
    }

    /// Add a symlink at `path` pointing to `target` (relative targets are resolved against
    /// the link's directory).
    pub fn add_symlink(&mut self, path: impl AsRef<Path>, target: impl AsRef<Path>) {
        let p = clean(path.as_ref());
        self.add_parents(&p);
        self.entries.insert(p, Entry::Symlink(target.as_ref().to_path_buf()));
    }

    fn resolve(&self, path: &Path) -> io::Result<PathBuf> {
        let not_found = || io::Error::new(io::ErrorKind::NotFound, "no such file or directory");
        let mut out = PathBuf::from("/");
        let mut todo: Vec<std::ffi::OsString> = Vec::new();
        let push_components = |todo: &mut Vec<std::ffi::OsString>, p: &Path| {
            let mut comps: Vec<_> = p
                .components()
                .filter_map(|c| match c {
                    Component::Normal(n) => Some(n.to_os_string()),
                    Component::ParentDir => Some("..".into()),
                    _ => None,
                })
                .collect();
            comps.reverse();
            todo.extend(comps);
        };
        push_components(&mut todo, path);
        let mut hops = 0;
        while let Some(c) = todo.pop() {
            if c == ".." {
                out.pop();
                continue;
            }
            let next = out.join(&c);
            match self.entries.get(&next) {
                None => return Err(not_found()),
                Some(Entry::Symlink(t)) => {
                    hops += 1;
                    if hops > MAX_SYMLINKS {
                        return Err(io::Error::other("too many levels of symbolic links"));
                    }
                    if t.is_absolute() {
                        out = PathBuf::from("/");
                    }
                    push_components(&mut todo, t);
                }
                Some(_) => out = next,
            }
        }
        Ok(out)
    }

    fn entry(&self, path: &Path) -> Option<&Entry> {
        self.resolve(path).ok().and_then(|p| self.entries.get(&p))
    }
}

impl FileSystem for MemFs {
    fn read_file(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.entry(path) {
            Some(Entry::File(b)) => Ok(b.clone()),
            Some(_) => Err(io::Error::other("is a directory")),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "no such file or directory")),
        }
    }
    fn is_dir(&self, path: &Path) -> bool {
        matches!(self.entry(path), Some(Entry::Dir))
    }
    fn exists(&self, path: &Path) -> bool {
        self.entry(path).is_some()
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.resolve(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let dir = self.resolve(path)?;
        if !matches!(self.entries.get(&dir), Some(Entry::Dir)) {
            return Err(io::Error::other("not a directory"));
        }
        Ok(self
            .entries
            .range(dir.clone()..)
            .skip(1)
            .map(|(p, _)| p)
            .take_while(|p| p.starts_with(&dir))
            .filter(|p| p.parent() == Some(dir.as_path()))
            .cloned()
            .collect())
    }
}

/// How a [`Recording`] saw a path used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    /// Its content was read ([`FileSystem::read_file`]), successfully or not.
    Read,
    /// It was listed ([`FileSystem::read_dir`]).
    Listed,
    /// Only its existence or kind was asked ([`FileSystem::exists`], [`FileSystem::is_dir`],
    /// [`FileSystem::canonicalize`]).
    Probed,
}

/// A [`FileSystem`] that forwards every call to `F` and records each path asked for, with
/// the strongest [`Access`] seen (`Read` over `Listed` over `Probed`). Paths are recorded
/// lexically cleaned ([`clean`]) and, when they exist, also in their canonical form
/// (symlinks resolved), so the set names the files whose content a build depended on.
/// Failed reads are recorded too: a file a build looked for and did not find is an input
/// as much as one it found.
///
/// The record sits behind a `RefCell` (the trait takes `&self`): a `Recording` is not
/// `Sync`; use one per thread.
///
/// ```
/// use gitops_core::fs::{Access, FileSystem, MemFs, Recording};
/// use std::path::{Path, PathBuf};
/// let mut mem = MemFs::new();
/// mem.add_file("/app/kustomization.yaml", "resources: [cm.yaml]\n");
/// mem.add_file("/app/cm.yaml", "kind: ConfigMap\n");
/// let fs = Recording::new(mem);
/// fs.read_file(Path::new("/app/kustomization.yaml")).unwrap();
/// assert!(!fs.exists(Path::new("/app/kustomization.yml")));
/// let seen = fs.accesses();
/// assert_eq!(seen.get(Path::new("/app/kustomization.yaml")), Some(&Access::Read));
/// assert_eq!(seen.get(Path::new("/app/kustomization.yml")), Some(&Access::Probed));
/// assert_eq!(fs.read_paths(), [PathBuf::from("/app/kustomization.yaml")]);
/// ```
#[derive(Debug, Default)]
pub struct Recording<F> {
    inner: F,
    seen: std::cell::RefCell<BTreeMap<PathBuf, Access>>,
}

impl<F: FileSystem> Recording<F> {
    /// Wrap `inner`, with an empty record.
    pub fn new(inner: F) -> Recording<F> {
        Recording { inner, seen: std::cell::RefCell::new(BTreeMap::new()) }
    }

    /// The wrapped file system.
    pub fn inner(&self) -> &F {
        &self.inner
    }

    /// Unwrap, dropping the record.
    pub fn into_inner(self) -> F {
        self.inner
    }

    /// Every path recorded and its strongest access, sorted by path.
    pub fn accesses(&self) -> BTreeMap<PathBuf, Access> {
        self.seen.borrow().clone()
    }

    /// The paths whose content was read (or whose read was attempted), sorted.
    pub fn read_paths(&self) -> Vec<PathBuf> {
        self.seen
            .borrow()
            .iter()
            .filter(|(_, a)| **a == Access::Read)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// Forget everything recorded so far.
    pub fn clear(&self) {
        self.seen.borrow_mut().clear();
    }

    fn note(&self, path: &Path, access: Access) {
        let cleaned = clean(&Path::new("/").join(path));
        let canonical = self.inner.canonicalize(&cleaned).ok();
        let mut seen = self.seen.borrow_mut();
        for p in std::iter::once(cleaned).chain(canonical) {
            let slot = seen.entry(p).or_insert(access);
            if access < *slot {
                *slot = access;
            }
        }
    }
}

impl<F: FileSystem> FileSystem for Recording<F> {
    fn read_file(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.note(path, Access::Read);
        self.inner.read_file(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.note(path, Access::Probed);
        self.inner.is_dir(path)
    }
    fn exists(&self, path: &Path) -> bool {
        self.note(path, Access::Probed);
        self.inner.exists(path)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.note(path, Access::Probed);
        self.inner.canonicalize(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        self.note(path, Access::Listed);
        self.inner.read_dir(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_table() {
        for (i, o) in [("/a/./b/../c", "/a/c"), ("/..", "/"), ("/a/b/", "/a/b")] {
            assert_eq!(clean(Path::new(i)), PathBuf::from(o));
        }
    }

    #[test]
    fn memfs_symlinks_and_dirs() {
        let mut fs = MemFs::new();
        fs.add_file("/repo/base/cm.yaml", "x");
        fs.add_symlink("/repo/app/link.yaml", "../base/cm.yaml");
        fs.add_symlink("/repo/abs", "/repo/base");
        fs.add_symlink("/loop", "/loop");
        let cases = [
            ("/repo/app/link.yaml", Some("/repo/base/cm.yaml")),
            ("/repo/abs/cm.yaml", Some("/repo/base/cm.yaml")),
            ("/repo/app/../base", Some("/repo/base")),
            ("/repo/nope", None),
            ("/loop", None),
        ];
        for (p, want) in cases {
            assert_eq!(fs.canonicalize(Path::new(p)).ok(), want.map(PathBuf::from), "{p}");
        }
        assert!(fs.is_dir(Path::new("/repo/abs")));
        assert_eq!(fs.read_file(Path::new("/repo/app/link.yaml")).unwrap(), b"x");
        assert_eq!(
            fs.read_dir(Path::new("/repo")).unwrap(),
            [PathBuf::from("/repo/abs"), PathBuf::from("/repo/app"), PathBuf::from("/repo/base")]
        );
    }

    #[test]
    fn recording_table() {
        let mut mem = MemFs::new();
        mem.add_file("/r/base/cm.yaml", "x");
        mem.add_symlink("/r/app/link.yaml", "../base/cm.yaml");
        mem.add_dir("/r/empty");
        let fs = Recording::new(mem);
        assert_eq!(fs.read_file(Path::new("/r/app/link.yaml")).unwrap(), b"x");
        assert!(fs.read_file(Path::new("/r/missing.yaml")).is_err());
        assert_eq!(fs.read_dir(Path::new("/r/base")).unwrap().len(), 1);
        assert!(fs.is_dir(Path::new("/r/empty")));
        // A probe after a read does not weaken the record.
        assert!(fs.exists(Path::new("/r/base/cm.yaml")));
        assert_eq!(fs.read_dir(Path::new("/r/./base/../empty")).unwrap().len(), 0);
        let want = [
            ("/r/app/link.yaml", Access::Read),
            ("/r/base", Access::Listed),
            ("/r/base/cm.yaml", Access::Read),
            ("/r/empty", Access::Listed),
            ("/r/missing.yaml", Access::Read),
        ];
        let got: Vec<(String, Access)> =
            fs.accesses().into_iter().map(|(p, a)| (p.display().to_string(), a)).collect();
        let want: Vec<(String, Access)> = want.iter().map(|(p, a)| (p.to_string(), *a)).collect();
        assert_eq!(got, want);
        assert_eq!(
            fs.read_paths(),
            ["/r/app/link.yaml", "/r/base/cm.yaml", "/r/missing.yaml"].map(PathBuf::from)
        );
        fs.clear();
        assert!(fs.accesses().is_empty());
    }
}
