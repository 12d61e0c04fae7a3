//! [`TreeFs`]: the tree of a commit as a read-only [`FileSystem`].

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::{Error, Repository, read_err};
use crate::fs::{FileSystem, MemFs, clean};

/// How deep trees may nest (directories inside directories).
const MAX_DEPTH: usize = 256;

/// The files of one commit, read from the object database without a checkout, mounted at
/// a virtual directory (`/` or, to keep paths identical to the working tree's, the working
/// tree's absolute path).
///
/// The trees (directories) and symlink targets are read when the `TreeFs` is made; file
/// contents are read from the object database when asked for, so rendering one cluster
/// of a large repository reads only its files. A corrupt blob is an
/// [`io::ErrorKind::InvalidData`] error of `read_file` naming the blob and the path. A
/// `TreeFs` holds a gix repository handle and is neither `Send` nor `Sync` (gix without
/// its `parallel` feature shares state through `Rc`). Symlinks are kept as symlinks and resolved the way the real
/// file system would (relative targets against the link's directory, at most 40 hops);
/// absolute targets are resolved inside the virtual tree (never on the host: with
/// the tree mounted at the working tree's path, a target into the working tree resolves as
/// it would in a checkout, one outside does not exist). Submodules
/// (gitlinks) appear as empty directories, as in a checkout without `--recurse-submodules`.
///
/// ```no_run
/// use gitops_core::fs::FileSystem;
/// use gitops_core::git::{Repository, TreeFs};
/// use std::path::Path;
/// let repo = Repository::open("/srv/repo").unwrap();
/// let commit = repo.rev_parse("HEAD~1").unwrap();
/// let fs = TreeFs::new(&repo, &commit, Path::new("/")).unwrap();
/// let text = fs.read_file(Path::new("/clusters/prod/kustomization.yaml")).unwrap();
/// ```
#[derive(Clone)]
pub struct TreeFs {
    /// The structure: directories, symlinks, and files with empty content.
    fs: MemFs,
    /// The blob of each file and whether it is executable (`100755`), by path.
    blobs: BTreeMap<PathBuf, (gix::ObjectId, bool)>,
    repo: gix::Repository,
    commit: String,
    mount: PathBuf,
}

impl std::fmt::Debug for TreeFs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TreeFs")
            .field("commit", &self.commit)
            .field("mount", &self.mount)
            .field("files", &self.blobs.len())
            .finish()
    }
}

impl TreeFs {
    /// Read the tree of `commit` (a full hash, as [`Repository::rev_parse`] returns) and
    /// mount it at `mount` (an absolute path).
    pub fn new(repo: &Repository, commit: &str, mount: &Path) -> Result<TreeFs, Error> {
        let fail = |message: String| Error::Revision { spec: commit.to_owned(), message };
        let id = gix::ObjectId::from_hex(commit.as_bytes()).map_err(|e| fail(e.to_string()))?;
        let commit_obj =
            repo.inner.find_commit(id).map_err(read_err(format!("commit {commit}")))?;
        let tree = commit_obj.tree_id().map_err(read_err(format!("commit {commit}")))?;
        let mount = clean(&Path::new("/").join(mount));
        let mut fs = MemFs::new();
        let mut blobs = BTreeMap::new();
        fs.add_dir(&mount);
        let mut stack = vec![(tree.detach(), mount.clone(), 0usize)];
        while let Some((tree_id, dir, depth)) = stack.pop() {
            if depth > MAX_DEPTH {
                return Err(Error::TooDeep { commit: commit.to_owned(), limit: MAX_DEPTH });
            }
            let what = || format!("tree {tree_id} ({})", dir.display());
            let tree = repo.inner.find_tree(tree_id).map_err(read_err(what()))?;
            let decoded = tree.decode().map_err(read_err(what()))?;
            for entry in &decoded.entries {
                let name = entry.filename.to_string();
                // A tree written by hand may hold names a checkout would refuse.
                if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\0']) {
                    continue;
                }
                let path = dir.join(&name);
                let oid = entry.oid.to_owned();
                match entry.mode.kind() {
                    gix::objs::tree::EntryKind::Tree => {
                        fs.add_dir(&path);
                        stack.push((oid, path, depth + 1));
                    }
                    kind @ (gix::objs::tree::EntryKind::Blob
                    | gix::objs::tree::EntryKind::BlobExecutable) => {
                        fs.add_file(&path, Vec::new());
                        let executable = kind == gix::objs::tree::EntryKind::BlobExecutable;
                        blobs.insert(path, (oid, executable));
                    }
                    gix::objs::tree::EntryKind::Link => {
                        let blob = repo
                            .inner
                            .find_blob(oid)
                            .map_err(read_err(format!("symlink {oid} ({})", path.display())))?;
                        // Absolute targets are taken as they are: inside the mount they
                        // resolve as on the real file system, outside it they do not exist.
                        let target = String::from_utf8_lossy(&blob.data).into_owned();
                        fs.add_symlink(&path, PathBuf::from(target));
                    }
                    gix::objs::tree::EntryKind::Commit => fs.add_dir(&path),
                }
            }
        }
        Ok(TreeFs { fs, blobs, repo: repo.inner.clone(), commit: commit.to_owned(), mount })
    }

    /// The commit read (40 hex digits).
    pub fn commit(&self) -> &str {
        &self.commit
    }

    /// Where the tree's root is mounted.
    pub fn mount(&self) -> &Path {
        &self.mount
    }
}

impl FileSystem for TreeFs {
    fn read_file(&self, path: &Path) -> io::Result<Vec<u8>> {
        let real = self.fs.canonicalize(path)?;
        match self.blobs.get(&real) {
            Some((oid, _)) => match self.repo.find_blob(*oid) {
                Ok(blob) => Ok(blob.detach().data),
                Err(e) => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("reading blob {oid} ({}): {e}", real.display()),
                )),
            },
            // A directory: the in-memory tree gives the same error the disk would.
            None => self.fs.read_file(&real),
        }
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.fs.is_dir(path)
    }
    fn exists(&self, path: &Path) -> bool {
        self.fs.exists(path)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.fs.canonicalize(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        self.fs.read_dir(path)
    }
}

/// Entry kinds from the tree's modes: `100755` blobs are executable files, symlinks
/// (`120000`) are [`EntryKind::Other`], submodules are (empty) directories, as in a checkout
/// without `--recurse-submodules`. So `Artifact::from_source(&tree_fs, mount, ignore)` gives
/// the artifact of a fresh checkout of the commit.
impl crate::artifact::Tree for TreeFs {
    fn entry_kind(&self, path: &Path) -> io::Result<crate::artifact::EntryKind> {
        use crate::artifact::EntryKind;
        // The parents of walked paths are canonical: a different canonical form means the
        // entry itself is a symlink (a dangling one has none).
        match self.fs.canonicalize(path) {
            Ok(c) if c == clean(path) => {}
            _ => return Ok(EntryKind::Other),
        }
        if self.fs.is_dir(path) {
            return Ok(EntryKind::Dir);
        }
        match self.blobs.get(&clean(path)) {
            Some((_, executable)) => Ok(EntryKind::File { executable: *executable }),
            None => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{}: not in commit {}", path.display(), self.commit),
            )),
        }
    }
}
