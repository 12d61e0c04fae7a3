//! The loader: reads files relative to a kustomization root under the load restrictor,
//! opens sub-kustomization roots with cycle detection, and finds the kustomization file.

use std::path::{Path, PathBuf};

use gitops_core::fs::{FileSystem, clean};

/// Which files a kustomization may read (`--load-restrictor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LoadRestrictor {
    /// `LoadRestrictionsRootOnly`: every file must resolve (symlinks followed) in or below
    /// the kustomization root. Directories (bases) may lie outside.
    #[default]
    RootOnly,
    /// `LoadRestrictionsNone`: no check.
    None,
}

/// The names a kustomization file may have, in kustomize's order.
pub const KUSTOMIZATION_FILE_NAMES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Why a load failed; each message is one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The file is outside the root while the restrictor is `RootOnly`.
    #[error("security; file '{}' is not in or below '{}'", file.display(), root.display())]
    Security {
        /// The resolved file.
        file: PathBuf,
        /// The kustomization root.
        root: PathBuf,
    },
    /// Nothing at that path.
    #[error("no such file or directory: '{}'", .0.display())]
    NotFound(PathBuf),
    /// A directory where a file was expected.
    #[error("'{}' must resolve to a file", .0.display())]
    NotAFile(PathBuf),
    /// A file where a directory was expected.
    #[error("'{}': file is not directory", .0.display())]
    NotADir(PathBuf),
    /// A base given as an absolute path.
    #[error("new root '{0}' cannot be absolute")]
    AbsoluteRoot(String),
    /// A base that contains a root already being built.
    #[error("cycle detected: candidate root '{}' contains visited root '{}'", candidate.display(), visited.display())]
    Cycle {
        /// The root asked for.
        candidate: PathBuf,
        /// The root being built that lies in or below it.
        visited: PathBuf,
    },
    /// No kustomization file in a root.
    #[error(
        "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
        .0.display()
    )]
    MissingKustomization(PathBuf),
    /// More than one kustomization file in a root.
    #[error("Found multiple kustomization files under: {}", .0.display())]
    MultipleKustomizations(PathBuf),
    /// Reading failed.
    #[error("{}: {message}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's message.
        message: String,
    },
}

/// A loader rooted at one kustomization directory.
pub(crate) struct Loader<'a> {
    fs: &'a dyn FileSystem,
    /// Maps remote entries to local copies.
    pub(crate) remote: Option<std::sync::Arc<dyn crate::RemoteResolver>>,
    /// With origin tracking on: this root's path relative to the top root.
    pub(crate) origin: Option<String>,
    restrictor: LoadRestrictor,
    /// This root first, then the roots that referred to it.
    roots: Vec<PathBuf>,
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        clean(p)
    } else {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        clean(&cwd.join(p))
    }
}

impl<'a> Loader<'a> {
    /// A loader for the top-level directory.
    pub(crate) fn new(
        fs: &'a dyn FileSystem,
        dir: &Path,
        restrictor: LoadRestrictor,
    ) -> Result<Loader<'a>, LoadError> {
        let abs = absolute(dir);
        let root = fs.canonicalize(&abs).map_err(|_| LoadError::NotFound(abs.clone()))?;
        if !fs.is_dir(&root) {
            return Err(LoadError::NotADir(root));
        }
        Ok(Loader { fs, remote: None, origin: None, restrictor, roots: vec![root] })
    }

    /// The (canonical) root directory.
    pub(crate) fn root(&self) -> &Path {
        self.roots.first().map(PathBuf::as_path).unwrap_or(Path::new("/"))
    }

    /// Read a file named relative to the root (or absolute).
    pub(crate) fn load(&self, name: &str) -> Result<Vec<u8>, LoadError> {
        let full = clean(&self.root().join(name));
        let real = self.fs.canonicalize(&full).map_err(|_| LoadError::NotFound(full.clone()))?;
        if self.restrictor == LoadRestrictor::RootOnly && !real.starts_with(self.root()) {
            return Err(LoadError::Security { file: real, root: self.root().to_path_buf() });
        }
        if self.fs.is_dir(&real) {
            return Err(LoadError::NotAFile(real));
        }
        self.fs
            .read_file(&real)
            .map_err(|e| LoadError::Io { path: real.clone(), message: e.to_string() })
    }

    /// Whether `name` names an existing directory (relative to the root).
    pub(crate) fn is_dir(&self, name: &str) -> bool {
        !Path::new(name).is_absolute() && self.fs.is_dir(&clean(&self.root().join(name)))
    }

    /// A loader for a base directory named relative to this root.
    pub(crate) fn child(&self, name: &str) -> Result<Loader<'a>, LoadError> {
        if Path::new(name).is_absolute() {
            return Err(LoadError::AbsoluteRoot(name.to_owned()));
        }
        let full = clean(&self.root().join(name));
        let real = self.fs.canonicalize(&full).map_err(|_| LoadError::NotFound(full.clone()))?;
        if !self.fs.is_dir(&real) {
            return Err(LoadError::NotADir(real));
        }
        if let Some(visited) = self.roots.iter().find(|r| r.starts_with(&real)) {
            return Err(LoadError::Cycle { candidate: real, visited: visited.clone() });
        }
        let mut roots = Vec::with_capacity(self.roots.len() + 1);
        roots.push(real);
        roots.extend(self.roots.iter().cloned());
        Ok(Loader {
            fs: self.fs,
            remote: self.remote.clone(),
            origin: self.origin.as_deref().map(|o| crate::metadata::join(o, name)),
            restrictor: self.restrictor,
            roots,
        })
    }

    /// A loader for a local copy of a remote target (an absolute directory, outside any
    /// load restriction of this root, as kustomize treats remote bases).
    pub(crate) fn remote_child(&self, dir: &Path) -> Result<Loader<'a>, LoadError> {
        let abs = absolute(dir);
        let real = self.fs.canonicalize(&abs).map_err(|_| LoadError::NotFound(abs.clone()))?;
        if !self.fs.is_dir(&real) {
            return Err(LoadError::NotADir(real));
        }
        if let Some(visited) = self.roots.iter().find(|r| r.starts_with(&real)) {
            return Err(LoadError::Cycle { candidate: real, visited: visited.clone() });
        }
        let mut roots = Vec::with_capacity(self.roots.len() + 1);
        roots.push(real);
        roots.extend(self.roots.iter().cloned());
        Ok(Loader {
            fs: self.fs,
            remote: self.remote.clone(),
            origin: self.origin.as_ref().map(|_| String::new()),
            restrictor: self.restrictor,
            roots,
        })
    }

    /// Read an absolute file (a resolved remote file entry).
    pub(crate) fn load_absolute(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        self.fs
            .read_file(path)
            .map_err(|e| LoadError::Io { path: path.to_path_buf(), message: e.to_string() })
    }

    /// Find and read the kustomization file: `(absolute path, content)`.
    pub(crate) fn kustomization_file(&self) -> Result<(PathBuf, Vec<u8>), LoadError> {
        let mut found = None;
        for name in KUSTOMIZATION_FILE_NAMES {
            if let Ok(c) = self.load(name) {
                if found.is_some() {
                    return Err(LoadError::MultipleKustomizations(self.root().to_path_buf()));
                }
                found = Some((self.root().join(name), c));
            }
        }
        found.ok_or_else(|| LoadError::MissingKustomization(self.root().to_path_buf()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gitops_core::fs::MemFs;

    fn fs() -> MemFs {
        let mut fs = MemFs::new();
        fs.add_file("/r/app/kustomization.yaml", "resources: []");
        fs.add_file("/r/app/cm.yaml", "a");
        fs.add_file("/r/app/sub/x.yaml", "x");
        fs.add_file("/r/out.yaml", "o");
        fs.add_symlink("/r/app/link.yaml", "../out.yaml");
        fs.add_symlink("/r/app/inlink.yaml", "cm.yaml");
        fs.add_file("/r/base/kustomization.yaml", "");
        fs.add_file("/r/two/kustomization.yaml", "");
        fs.add_file("/r/two/Kustomization", "");
        fs
    }

    #[test]
    fn load_table() {
        let fs = fs();
        type Case<'a> = (LoadRestrictor, &'a str, Result<&'a [u8], &'a str>);
        let cases: &[Case<'_>] = &[
            (LoadRestrictor::RootOnly, "cm.yaml", Ok(b"a")),
            (LoadRestrictor::RootOnly, "sub/x.yaml", Ok(b"x")),
            (LoadRestrictor::RootOnly, "./sub/../cm.yaml", Ok(b"a")),
            (LoadRestrictor::RootOnly, "inlink.yaml", Ok(b"a")),
            (LoadRestrictor::RootOnly, "/r/app/cm.yaml", Ok(b"a")),
            (
                LoadRestrictor::RootOnly,
                "../out.yaml",
                Err("security; file '/r/out.yaml' is not in or below '/r/app'"),
            ),
            (
                LoadRestrictor::RootOnly,
                "link.yaml",
                Err("security; file '/r/out.yaml' is not in or below '/r/app'"),
            ),
            (LoadRestrictor::None, "link.yaml", Ok(b"o")),
            (LoadRestrictor::None, "../out.yaml", Ok(b"o")),
            (LoadRestrictor::RootOnly, "sub", Err("'/r/app/sub' must resolve to a file")),
            (LoadRestrictor::RootOnly, "nope", Err("no such file or directory: '/r/app/nope'")),
        ];
        for (restrictor, name, want) in cases {
            let l = Loader::new(&fs, Path::new("/r/app"), *restrictor).unwrap();
            let got = l.load(name).map_err(|e| e.to_string());
            assert_eq!(got.as_deref().map_err(String::as_str), *want, "{name}");
        }
    }

    #[test]
    fn child_table() {
        let fs = fs();
        let l = Loader::new(&fs, Path::new("/r/app"), LoadRestrictor::RootOnly).unwrap();
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("../base", Ok("/r/base")),
            ("sub", Ok("/r/app/sub")),
            ("/r/base", Err("new root '/r/base' cannot be absolute")),
            ("..", Err("cycle detected: candidate root '/r' contains visited root '/r/app'")),
            (".", Err("cycle detected: candidate root '/r/app' contains visited root '/r/app'")),
            ("cm.yaml", Err("'/r/app/cm.yaml': file is not directory")),
        ];
        for (name, want) in cases {
            let got =
                l.child(name).map(|c| c.root().display().to_string()).map_err(|e| e.to_string());
            assert_eq!(got.as_deref().map_err(String::as_str), *want, "{name}");
        }
        // A grandchild may not climb back into its grandparent.
        let c = l.child("../base").unwrap();
        assert!(c.child("../app").is_err());
    }

    #[test]
    fn kustomization_file_discovery() {
        let fs = fs();
        let l = Loader::new(&fs, Path::new("/r/app"), LoadRestrictor::RootOnly).unwrap();
        assert_eq!(l.kustomization_file().unwrap().0, PathBuf::from("/r/app/kustomization.yaml"));
        let l = Loader::new(&fs, Path::new("/r/two"), LoadRestrictor::RootOnly).unwrap();
        assert_eq!(
            l.kustomization_file().unwrap_err().to_string(),
            "Found multiple kustomization files under: /r/two"
        );
        let l = Loader::new(&fs, Path::new("/r/app/sub"), LoadRestrictor::RootOnly).unwrap();
        assert!(matches!(l.kustomization_file(), Err(LoadError::MissingKustomization(_))));
    }
}
