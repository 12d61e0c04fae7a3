//! The source artifact: a deterministic tar.gz of the kept files of a source tree and its
//! `sha256:<hex>` digest, as source-controller writes it (`fluxcd/pkg`
//! `artifact/storage/archive.go`, `Storage.Archive`).
//!
//! What the archive holds, in Flux's form:
//! * entries in `filepath.Walk` order: the root first as `.`, then each directory's entries
//!   sorted by name, depth first; names relative to the root, directories without a trailing
//!   slash;
//! * only regular files and directories: symlinks, devices, sockets are left out (symlinked
//!   directories are not followed);
//! * every excluded path ([`SourceIgnore`]) is left out on its own, and the walk still goes into
//!   excluded directories, so a `!negation` can keep a file below an excluded directory;
//! * headers carry no environment data: uid/gid 0, empty user/group names, mtime 0, modes
//!   `0750` for directories, `0700` for executable files, `0600` for other files;
//! * headers as Go's `archive/tar` writes them: USTAR (with the prefix field for long paths),
//!   PAX `path` records when a name does not fit or is not ASCII, two zero blocks at the end;
//! * a gzip member with no name, mtime 0, XFL 0, OS byte 255, level 6 (Go's default).
//!
//! The tar stream is byte for byte what Flux writes for the same tree; the deflate stream comes
//! from `zlib-rs` (a Rust port of zlib-ng, the deflate gix already uses) rather than Go's
//! `compress/flate`, so the digest of the same tree differs from Flux's while being stable
//! across runs and machines. The tar is written on the calling thread and compressed on a
//! second one.
//!
//! ```
//! use gitops_core::artifact::Artifact;
//! use gitops_core::fs::MemFs;
//! use gitops_core::sourceignore::SourceIgnore;
//! use std::path::Path;
//! let mut fs = MemFs::new();
//! fs.add_file("/repo/app/deploy.yaml", "kind: Deployment\n");
//! fs.add_file("/repo/logo.png", "binary");
//! let a = Artifact::from_source(&fs, Path::new("/repo"), None).unwrap();
//! assert_eq!(a.paths, [".", "app", "app/deploy.yaml"]); // *.png is a default exclusion
//! assert!(a.digest.starts_with("sha256:"));
//! let again = Artifact::build(&fs, Path::new("/repo"), &SourceIgnore::from_patterns(vec![])).unwrap();
//! assert_eq!(a.bytes, again.bytes);
//! ```

use crate::fs::{FileSystem, MemFs, RealFs};
use crate::sourceignore::{self, SourceIgnore};
use sha2::{Digest, Sha256};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Mode of directories in the archive.
pub const DIR_MODE: u32 = 0o750;
/// Mode of non-executable files in the archive.
pub const FILE_MODE: u32 = 0o600;
/// Mode of executable files in the archive.
pub const EXE_FILE_MODE: u32 = 0o700;
/// How deep the walk descends before giving up.
pub const MAX_DEPTH: usize = 256;

/// Errors of building or storing an artifact.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The root is not a directory (Flux's wording).
    #[error("invalid dir path: {0}")]
    InvalidRoot(PathBuf),
    /// A file or directory of the tree could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The tree is deeper than [`MAX_DEPTH`].
    #[error("{0}: more than {MAX_DEPTH} nested directories")]
    TooDeep(PathBuf),
    /// A file does not fit a tar size field (8 GiB).
    #[error("{0}: file too large for the archive")]
    TooLarge(PathBuf),
    /// Loading the ignore rules failed.
    #[error(transparent)]
    Ignore(#[from] sourceignore::Error),
    /// The compressor failed (or its thread stopped unexpectedly).
    #[error("unable to compress the artifact")]
    Compress,
    /// Opening the repository, resolving the revision or reading an object failed.
    #[cfg(feature = "git")]
    #[error(transparent)]
    Git(#[from] crate::git::Error),
    /// Writing the archive failed.
    #[error("unable to archive artifact to storage: {path}: {source}")]
    Write {
        /// The destination.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

/// What a tree entry is, without following symlinks (`lstat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A directory.
    Dir,
    /// A regular file; `executable` when any execute bit is set (a Git `100755` blob).
    File {
        /// Any execute bit set.
        executable: bool,
    },
    /// A symlink, device, socket, FIFO or Git submodule: not archived.
    Other,
}

/// A file system that can tell entry kinds without following symlinks: what the archiver
/// needs beyond [`FileSystem`]. Implemented for [`RealFs`], [`MemFs`] and, with feature
/// `git`, [`crate::git::TreeFs`] (from tree entry modes).
pub trait Tree: FileSystem {
    /// The kind of `path` itself (a symlink is [`EntryKind::Other`]).
    fn entry_kind(&self, path: &Path) -> io::Result<EntryKind>;

    /// The entries of the directory `dir` (full paths, any order) with their kinds, as
    /// [`FileSystem::read_dir`] and [`Tree::entry_kind`] give them. An implementation may
    /// answer `File { executable: false }` for every file when it reports the bit from
    /// [`Tree::read_regular`] instead ([`RealFs`] does: the kinds come from the directory
    /// listing's `d_type`, with no `lstat` per entry).
    fn entries(&self, dir: &Path) -> io::Result<Vec<(PathBuf, EntryKind)>> {
        let mut out = Vec::new();
        for path in self.read_dir(dir)? {
            let kind = self.entry_kind(&path)?;
            out.push((path, kind));
        }
        Ok(out)
    }

    /// Read the regular file `path` into `buf` (replacing its contents). `Some(executable)`
    /// when the implementation learns the execute bit while reading (it then wins over
    /// [`Tree::entries`]), `None` to keep the listing's.
    fn read_regular(&self, path: &Path, buf: &mut Vec<u8>) -> io::Result<Option<bool>> {
        *buf = self.read_file(path)?;
        Ok(None)
    }
}

impl Tree for RealFs {
    fn entry_kind(&self, path: &Path) -> io::Result<EntryKind> {
        let md = std::fs::symlink_metadata(path)?;
        let ft = md.file_type();
        Ok(if ft.is_dir() {
            EntryKind::Dir
        } else if ft.is_file() {
            EntryKind::File { executable: is_executable(&md) }
        } else {
            EntryKind::Other
        })
    }

    fn entries(&self, dir: &Path) -> io::Result<Vec<(PathBuf, EntryKind)>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            // `d_type` from the listing (std falls back to `lstat` where it is unknown).
            let ft = entry.file_type()?;
            let kind = if ft.is_dir() {
                EntryKind::Dir
            } else if ft.is_file() {
                EntryKind::File { executable: false }
            } else {
                EntryKind::Other
            };
            out.push((entry.path(), kind));
        }
        Ok(out)
    }

    fn read_regular(&self, path: &Path, buf: &mut Vec<u8>) -> io::Result<Option<bool>> {
        use std::io::Read;
        let mut f = std::fs::File::open(path)?;
        // One `fstat` gives both the size hint and the mode.
        let md = f.metadata()?;
        buf.clear();
        buf.reserve(usize::try_from(md.len()).unwrap_or(0));
        f.read_to_end(buf)?;
        Ok(Some(is_executable(&md)))
    }
}

#[cfg(unix)]
fn is_executable(md: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    md.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}

impl Tree for MemFs {
    fn entry_kind(&self, path: &Path) -> io::Result<EntryKind> {
        // A path whose canonical form differs goes through a symlink (the parents of walked
        // paths are canonical, so it is the entry itself); a dangling symlink has none.
        match self.canonicalize(path) {
            Ok(c) if c == crate::fs::clean(path) => {}
            _ => return Ok(EntryKind::Other),
        }
        Ok(if self.is_dir(path) { EntryKind::Dir } else { EntryKind::File { executable: false } })
    }
}

/// A built artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// The tar.gz bytes.
    pub bytes: Vec<u8>,
    /// `sha256:<hex>` of [`Artifact::bytes`].
    pub digest: String,
    /// The archived entry names in archive order (`.` first).
    pub paths: Vec<String>,
}

impl Artifact {
    /// Load the ignore rules of the tree at `root` (every `.sourceignore`, then `spec_ignore`)
    /// and archive it. The tree is listed once: the listing that finds the `.sourceignore`
    /// files is reused by the archive walk.
    pub fn from_source<T: Tree + ?Sized>(
        tree: &T,
        root: &Path,
        spec_ignore: Option<&str>,
    ) -> Result<Artifact, Error> {
        if !tree.is_dir(root) {
            // SourceIgnore::load fails first in Flux's order: keep its error.
            let tree_dyn: &dyn FileSystem = &Dyn(tree);
            SourceIgnore::load(tree_dyn, root, spec_ignore)?;
            return Err(Error::InvalidRoot(root.to_path_buf()));
        }
        let root = tree.canonicalize(root).map_err(|source| {
            Error::Ignore(sourceignore::Error::Read { path: root.to_path_buf(), source })
        })?;
        let src = TreeSource { tree, root: root.clone() };
        let mut top = Node::dir(String::new(), root);
        build_with_ignore(&src, &mut top, spec_ignore)
    }

    /// Archive the tree at `root`, leaving out what `ignore` excludes.
    pub fn build<T: Tree + ?Sized>(
        tree: &T,
        root: &Path,
        ignore: &SourceIgnore,
    ) -> Result<Artifact, Error> {
        if !tree.is_dir(root) {
            return Err(Error::InvalidRoot(root.to_path_buf()));
        }
        let root = tree
            .canonicalize(root)
            .map_err(|source| Error::Read { path: root.to_path_buf(), source })?;
        let src = TreeSource { tree, root: root.clone() };
        let mut top = Node::dir(String::new(), root);
        archive(&src, &mut top, ignore)
    }

    /// The artifact of the commit `rev` names (a branch, tag, `HEAD~2`, a hash) read straight
    /// from the object database — no checkout, no [`crate::git::TreeFs`] — with every
    /// `.sourceignore` of that commit's tree and `spec_ignore`. The bytes are those of
    /// [`Artifact::from_source`] on a fresh checkout of the same commit: a tree has no `.git`
    /// directory (the `.git/` default then has nothing to exclude, as the checkout's `.git` is
    /// excluded), blobs `100755` are executable files, symlinks are left out, submodules are
    /// empty directories, as in a checkout without `--recurse-submodules`.
    ///
    /// ```no_run
    /// use gitops_core::artifact::Artifact;
    /// use gitops_core::git::Repository;
    /// let repo = Repository::open("/srv/repo").unwrap();
    /// let a = Artifact::from_revision(&repo, "main", None).unwrap();
    /// println!("{} ({} bytes)", a.digest, a.bytes.len());
    /// ```
    #[cfg(feature = "git")]
    pub fn from_revision(
        repo: &crate::git::Repository,
        rev: &str,
        spec_ignore: Option<&str>,
    ) -> Result<Artifact, Error> {
        let commit = repo.rev_parse(rev)?;
        crate::git::archive::artifact(repo, &commit, spec_ignore)
    }

    /// Store the archive at `path` atomically (a temp file in the same directory, fsync,
    /// mode 0600, rename), like Flux's storage.
    pub fn write_to(&self, path: &Path) -> Result<(), Error> {
        write_atomic(path, &self.bytes)
            .map_err(|source| Error::Write { path: path.to_path_buf(), source })
    }
}

/// Adapter so a `?Sized` tree can be passed as `&dyn FileSystem`.
struct Dyn<'a, T: ?Sized>(&'a T);

impl<T: FileSystem + ?Sized> FileSystem for Dyn<'_, T> {
    fn read_file(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.0.read_file(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.0.is_dir(path)
    }
    fn exists(&self, path: &Path) -> bool {
        self.0.exists(path)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.0.canonicalize(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        self.0.read_dir(path)
    }
}

// ---------------------------------------------------------------------------------------------
// The walk, over an in-memory listing shared by the `.sourceignore` loading and the archive.

/// One entry of a listed tree. `children` is `None` until the directory is listed.
pub(crate) struct Node<H> {
    /// The name (lossy UTF-8 when it is not UTF-8).
    pub(crate) name: String,
    /// Whether the name is valid UTF-8 (`.sourceignore` loading skips other directories).
    pub(crate) utf8: bool,
    pub(crate) kind: EntryKind,
    /// Where the backend finds it (a path, an object id).
    pub(crate) handle: H,
    pub(crate) children: Option<Vec<Node<H>>>,
}

impl<H> Node<H> {
    fn dir(name: String, handle: H) -> Node<H> {
        Node { name, utf8: true, kind: EntryKind::Dir, handle, children: None }
    }
}

/// Where the walk reads a tree from: a [`Tree`] or a Git commit. `rel` is the entry's path
/// components below the root (for error messages).
pub(crate) trait Source {
    type Handle;
    /// The entries of the directory `dir`, sorted by name bytewise (Go's `os.ReadDir`).
    fn list(&self, dir: &Node<Self::Handle>, rel: &[String])
    -> io::Result<Vec<Node<Self::Handle>>>;
    /// Read the regular file `file` into `buf`; `Some(executable)` overrides the listing's bit.
    fn read(
        &self,
        file: &Node<Self::Handle>,
        rel: &[String],
        buf: &mut Vec<u8>,
    ) -> io::Result<Option<bool>>;
    /// The contents of a `.sourceignore` entry that is neither a regular file nor a
    /// directory (a symlink): followed as `os.ReadFile` would, `None` when it leads nowhere
    /// or to a directory.
    fn read_ignore_link(
        &self,
        entry: &Node<Self::Handle>,
        rel: &[String],
    ) -> Result<Option<Vec<u8>>, Error>;
    /// The path to show in errors.
    fn path(&self, rel: &[String]) -> PathBuf;
}

struct TreeSource<'a, T: ?Sized> {
    tree: &'a T,
    root: PathBuf,
}

impl<T: Tree + ?Sized> Source for TreeSource<'_, T> {
    type Handle = PathBuf;

    fn list(&self, dir: &Node<PathBuf>, _rel: &[String]) -> io::Result<Vec<Node<PathBuf>>> {
        let mut entries = self.tree.entries(&dir.handle)?;
        entries.sort_by(|a, b| a.0.file_name().cmp(&b.0.file_name()));
        Ok(entries
            .into_iter()
            .filter_map(|(path, kind)| {
                let name = path.file_name()?;
                let utf8 = name.to_str().is_some();
                let name = name.to_string_lossy().into_owned();
                Some(Node { name, utf8, kind, handle: path, children: None })
            })
            .collect())
    }

    fn read(
        &self,
        file: &Node<PathBuf>,
        _rel: &[String],
        buf: &mut Vec<u8>,
    ) -> io::Result<Option<bool>> {
        self.tree.read_regular(&file.handle, buf)
    }

    fn read_ignore_link(
        &self,
        entry: &Node<PathBuf>,
        _rel: &[String],
    ) -> Result<Option<Vec<u8>>, Error> {
        let path = &entry.handle;
        if !self.tree.exists(path) || self.tree.is_dir(path) {
            return Ok(None);
        }
        self.tree.read_file(path).map(Some).map_err(|source| {
            Error::Ignore(sourceignore::Error::Read { path: path.clone(), source })
        })
    }

    fn path(&self, rel: &[String]) -> PathBuf {
        let mut p = self.root.clone();
        p.extend(rel);
        p
    }
}

/// List `dir` unless it is listed already.
fn ensure_listed<S: Source>(
    src: &S,
    dir: &mut Node<S::Handle>,
    rel: &[String],
    ignore_phase: bool,
) -> Result<(), Error> {
    if dir.children.is_none() {
        let children = src.list(dir, rel).map_err(|source| {
            let path = src.path(rel);
            if ignore_phase {
                Error::Ignore(sourceignore::Error::Read { path, source })
            } else {
                Error::Read { path, source }
            }
        })?;
        dir.children = Some(children);
    }
    Ok(())
}

/// Load every `.sourceignore` (Flux's order: a directory's own file, then its
/// sub-directories by name, `.git` and symlinks skipped), add `spec_ignore`, archive.
pub(crate) fn build_with_ignore<S: Source>(
    src: &S,
    root: &mut Node<S::Handle>,
    spec_ignore: Option<&str>,
) -> Result<Artifact, Error> {
    let mut patterns = Vec::new();
    let mut domain = Vec::new();
    let mut buf = Vec::new();
    load_ignore(src, root, &mut domain, 0, &mut patterns, &mut buf)?;
    if let Some(spec) = spec_ignore {
        patterns.extend(sourceignore::read_patterns(spec, &[]));
    }
    archive(src, root, &SourceIgnore::from_patterns(patterns))
}

fn load_ignore<S: Source>(
    src: &S,
    dir: &mut Node<S::Handle>,
    domain: &mut Vec<String>,
    depth: usize,
    out: &mut Vec<sourceignore::Pattern>,
    buf: &mut Vec<u8>,
) -> Result<(), Error> {
    if depth > sourceignore::MAX_DEPTH {
        return Err(Error::Ignore(sourceignore::Error::TooDeep { path: src.path(domain) }));
    }
    ensure_listed(src, dir, domain, true)?;
    let Some(children) = dir.children.as_mut() else { return Ok(()) };
    if let Ok(i) =
        children.binary_search_by(|c| c.name.as_bytes().cmp(sourceignore::IGNORE_FILE.as_bytes()))
    {
        let entry = &children[i];
        domain.push(entry.name.clone());
        let text = match entry.kind {
            EntryKind::Dir => None,
            EntryKind::File { .. } => match src.read(entry, domain, buf) {
                Ok(_) => Some(std::mem::take(buf)),
                Err(source) => {
                    let path = src.path(domain);
                    domain.pop();
                    return Err(Error::Ignore(sourceignore::Error::Read { path, source }));
                }
            },
            EntryKind::Other => match src.read_ignore_link(entry, domain) {
                Ok(t) => t,
                Err(e) => {
                    domain.pop();
                    return Err(e);
                }
            },
        };
        domain.pop();
        if let Some(text) = text {
            out.extend(sourceignore::read_patterns(&String::from_utf8_lossy(&text), domain));
        }
    }
    for child in children.iter_mut() {
        if child.kind != EntryKind::Dir || !child.utf8 || child.name == ".git" {
            continue;
        }
        domain.push(child.name.clone());
        let r = load_ignore(src, child, domain, depth + 1, out, buf);
        domain.pop();
        r?;
    }
    Ok(())
}

/// Archive the listed (or to be listed) tree under `root`.
pub(crate) fn archive<S: Source>(
    src: &S,
    root: &mut Node<S::Handle>,
    ignore: &SourceIgnore,
) -> Result<Artifact, Error> {
    let (bytes, paths) = gzip_pipelined(|tar| {
        tar.append(".", EntryKind::Dir, &[])?;
        let mut parts = Vec::new();
        let (mut buf, mut rel) = (Vec::new(), String::new());
        walk(src, root, &mut parts, ignore, tar, (&mut buf, &mut rel), 0)
    })?;
    let digest = digest(&bytes);
    Ok(Artifact { bytes, digest, paths })
}

fn walk<S: Source>(
    src: &S,
    dir: &mut Node<S::Handle>,
    parts: &mut Vec<String>,
    ignore: &SourceIgnore,
    tar: &mut TarBuilder<'_>,
    (buf, rel): (&mut Vec<u8>, &mut String),
    depth: usize,
) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(Error::TooDeep(src.path(parts)));
    }
    ensure_listed(src, dir, parts, false)?;
    let Some(children) = dir.children.as_mut() else { return Ok(()) };
    for entry in children.iter_mut() {
        let kind = entry.kind;
        if kind == EntryKind::Other {
            continue;
        }
        parts.push(std::mem::take(&mut entry.name));
        let is_dir = kind == EntryKind::Dir;
        let excluded = ignore.is_ignored_parts(parts, is_dir);
        let result = if excluded && is_dir && ignore.excluded_dirs_are_closed() {
            // Nothing below can be kept: same result as Flux's entry-by-entry walk, faster.
            Ok(())
        } else {
            (|| {
                if !excluded {
                    rel.clear();
                    for (i, p) in parts.iter().enumerate() {
                        if i > 0 {
                            rel.push('/');
                        }
                        rel.push_str(p);
                    }
                    let rel = rel.as_str();
                    if is_dir {
                        tar.append(rel, kind, &[])?;
                    } else {
                        let exe = src
                            .read(entry, parts, buf)
                            .map_err(|source| Error::Read { path: src.path(parts), source })?;
                        if buf.len() as u64 > MAX_OCTAL_11 {
                            return Err(Error::TooLarge(src.path(parts)));
                        }
                        let kind = match exe {
                            Some(executable) => EntryKind::File { executable },
                            None => kind,
                        };
                        tar.append(rel, kind, buf)?;
                    }
                }
                // Flux does not skip excluded directories: their entries are decided one by one.
                if is_dir {
                    walk(src, entry, parts, ignore, tar, (&mut *buf, &mut *rel), depth + 1)?;
                }
                Ok(())
            })()
        };
        if let Some(name) = parts.pop() {
            entry.name = name;
        }
        // A walked directory's listing is not needed again.
        entry.children = None;
        result?;
    }
    Ok(())
}

/// `sha256:<hex>` of `bytes`, Flux's canonical digest form.
pub fn digest(bytes: &[u8]) -> String {
    let sum = Sha256::digest(bytes);
    let mut s = String::with_capacity(7 + 64);
    s.push_str("sha256:");
    for b in sum {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The tar is handed to the compressor in chunks of about this size, and the compressor is
/// fed exactly this many bytes per call (zlib's output depends on how its input is split:
/// fixed slices make it a function of the tar alone).
const CHUNK: usize = 256 * 1024;

/// Go's `gzip.DefaultCompression` (`compress/flate` level 6), what Flux's storage uses.
pub const GZIP_LEVEL: i32 = 6;

/// A gzip member as Flux's storage writes it (no name, mtime 0, XFL 0, OS 255) around a raw
/// deflate stream at [`GZIP_LEVEL`] from zlib-rs, fed in [`CHUNK`]-byte slices.
struct Gzip {
    deflate: zlib_rs::Deflate,
    /// Tar bytes not yet fed (less than [`CHUNK`]).
    pending: Vec<u8>,
    crc: u32,
    size: u64,
    out: Vec<u8>,
    buf: Vec<u8>,
}

impl Gzip {
    fn new() -> Gzip {
        let mut out = Vec::with_capacity(64 * 1024);
        out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
        Gzip {
            deflate: zlib_rs::Deflate::new(GZIP_LEVEL, false, 15),
            pending: Vec::with_capacity(CHUNK),
            crc: 0,
            size: 0,
            out,
            buf: vec![0; 64 * 1024],
        }
    }

    fn write(&mut self, mut data: &[u8]) -> Result<(), Error> {
        self.crc = zlib_rs::crc32::crc32(self.crc, data);
        self.size += data.len() as u64;
        if !self.pending.is_empty() {
            let take = (CHUNK - self.pending.len()).min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.pending.len() < CHUNK {
                return Ok(());
            }
            let chunk = std::mem::take(&mut self.pending);
            self.feed(&chunk, zlib_rs::DeflateFlush::NoFlush)?;
            self.pending = chunk;
            self.pending.clear();
        }
        while data.len() >= CHUNK {
            let (chunk, rest) = data.split_at(CHUNK);
            self.feed(chunk, zlib_rs::DeflateFlush::NoFlush)?;
            data = rest;
        }
        self.pending.extend_from_slice(data);
        Ok(())
    }

    /// Compress `input` completely (and end the stream with `Finish`).
    fn feed(&mut self, mut input: &[u8], flush: zlib_rs::DeflateFlush) -> Result<(), Error> {
        loop {
            let (in0, out0) = (self.deflate.total_in(), self.deflate.total_out());
            let status =
                self.deflate.compress(input, &mut self.buf, flush).map_err(|_| Error::Compress)?;
            let used =
                usize::try_from(self.deflate.total_in() - in0).map_err(|_| Error::Compress)?;
            let made =
                usize::try_from(self.deflate.total_out() - out0).map_err(|_| Error::Compress)?;
            self.out.extend_from_slice(self.buf.get(..made).ok_or(Error::Compress)?);
            input = input.get(used..).ok_or(Error::Compress)?;
            let done = match flush {
                zlib_rs::DeflateFlush::Finish => matches!(status, zlib_rs::Status::StreamEnd),
                _ => input.is_empty() && made < self.buf.len(),
            };
            if done {
                return Ok(());
            }
            if used == 0 && made == 0 {
                return Err(Error::Compress);
            }
        }
    }

    fn finish(mut self) -> Result<Vec<u8>, Error> {
        let rest = std::mem::take(&mut self.pending);
        self.feed(&rest, zlib_rs::DeflateFlush::Finish)?;
        self.out.extend_from_slice(&self.crc.to_le_bytes());
        // ISIZE is the size modulo 2^32.
        self.out.extend_from_slice(&((self.size & 0xffff_ffff) as u32).to_le_bytes());
        Ok(self.out)
    }
}

/// Run `produce` (which writes the tar) on this thread while a second thread gzips the
/// buffers it hands over, in order. The compressor slices the stream into fixed
/// [`CHUNK`]s whatever the hand-over sizes, so the bytes are a function of the tar alone:
/// deterministic whatever the thread timing (a test checks it).
fn gzip_pipelined(
    produce: impl FnOnce(&mut TarBuilder<'_>) -> Result<(), Error>,
) -> Result<(Vec<u8>, Vec<String>), Error> {
    use std::sync::mpsc;
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = mpsc::sync_channel::<Vec<u8>>(4);
        let (empty_tx, empty_rx) = mpsc::channel::<Vec<u8>>();
        let spawned = std::thread::Builder::new().name("artifact-gzip".into()).spawn_scoped(
            scope,
            move || -> Result<Vec<u8>, Error> {
                let mut gz = Gzip::new();
                for mut chunk in full_rx {
                    gz.write(&chunk)?;
                    chunk.clear();
                    let _ = empty_tx.send(chunk);
                }
                gz.finish()
            },
        );
        let Ok(worker) = spawned else {
            // No thread to be had (a target without threads, a process at its limit):
            // the same bytes, compressed on this thread.
            return gzip_inline(produce);
        };
        let result = {
            let mut hand_over = |chunk: Vec<u8>| -> Result<Vec<u8>, Error> {
                full_tx.send(chunk).map_err(|_| Error::Compress)?;
                Ok(empty_rx.try_recv().unwrap_or_else(|_| Vec::with_capacity(CHUNK + BLOCK)))
            };
            let mut tar = TarBuilder::new(&mut hand_over);
            let produced = produce(&mut tar);
            produced.and_then(|()| tar.finish())
        };
        drop(full_tx);
        let gz = worker.join().map_err(|_| Error::Compress)?;
        // A producer error wins over the compressor's (which then only saw a closed channel).
        let paths = result?;
        Ok((gz?, paths))
    })
}

/// [`gzip_pipelined`] on one thread.
fn gzip_inline(
    produce: impl FnOnce(&mut TarBuilder<'_>) -> Result<(), Error>,
) -> Result<(Vec<u8>, Vec<String>), Error> {
    let mut gz = Gzip::new();
    let paths = {
        let mut hand_over = |mut chunk: Vec<u8>| -> Result<Vec<u8>, Error> {
            gz.write(&chunk)?;
            chunk.clear();
            Ok(chunk)
        };
        let mut tar = TarBuilder::new(&mut hand_over);
        produce(&mut tar).and_then(|()| tar.finish())?
    };
    Ok((gz.finish()?, paths))
}

/// gzip `data` as the artifact does, fed in pieces of `piece` bytes (tests).
#[cfg(test)]
fn gzip_in_pieces(data: &[u8], piece: usize) -> Vec<u8> {
    let mut gz = Gzip::new();
    for p in data.chunks(piece.max(1)) {
        let _ = gz.write(p);
    }
    gz.finish().unwrap_or_default()
}

/// Write `bytes` to `path` atomically: temp file in the same directory, fsync, mode 0600,
/// rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let res = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

// ---------------------------------------------------------------------------------------------
// tar, as Go's archive/tar writes the headers Flux produces.

const BLOCK: usize = 512;
const NAME_SIZE: usize = 100;
const PREFIX_SIZE: usize = 155;
const MAX_OCTAL_11: u64 = 0o77777777777;

/// Writes tar entries into a buffer and hands it over every [`CHUNK`] bytes.
struct TarBuilder<'a> {
    out: Vec<u8>,
    paths: Vec<String>,
    hand_over: &'a mut dyn FnMut(Vec<u8>) -> Result<Vec<u8>, Error>,
}

fn is_ascii(s: &str) -> bool {
    s.bytes().all(|b| b != 0 && b < 0x80)
}

fn to_ascii(s: &str) -> String {
    s.chars().filter(|&c| c != '\0' && c.is_ascii()).collect()
}

/// USTAR's prefix/name split at a `/`, when the name is too long for the name field alone.
fn split_ustar(name: &str) -> Option<(&str, &str)> {
    let bytes = name.as_bytes();
    if bytes.len() <= NAME_SIZE || !is_ascii(name) {
        return None;
    }
    let mut len = bytes.len();
    if len > PREFIX_SIZE + 1 {
        len = PREFIX_SIZE + 1;
    } else if bytes.get(len - 1) == Some(&b'/') {
        len -= 1;
    }
    let i = name.get(..len)?.rfind('/')?;
    let suffix_len = bytes.len() - i - 1;
    if i == 0 || suffix_len > NAME_SIZE || suffix_len == 0 || i > PREFIX_SIZE {
        return None;
    }
    Some((&name[..i], &name[i + 1..]))
}

/// Go's formatString: copy, NUL-terminate when there is room; a truncated name never ends in
/// `/`.
fn put_str(field: &mut [u8], s: &[u8]) {
    let n = s.len().min(field.len());
    field[..n].copy_from_slice(&s[..n]);
    if s.len() < field.len() {
        field[s.len()] = 0;
    }
    if s.len() > field.len() && field.last() == Some(&b'/') {
        let keep = s[..field.len() - 1].iter().rposition(|&b| b != b'/').map_or(0, |p| p + 1);
        field[keep] = 0;
    }
}

/// Go's formatOctal: zero-padded octal leaving room for a NUL.
fn put_octal(field: &mut [u8], v: u64) {
    // 22 octal digits hold any u64.
    let mut digits = [b'0'; 22];
    let mut n = v;
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n & 7) as u8;
        n >>= 3;
        if n == 0 || i == 0 {
            break;
        }
    }
    let s = &digits[i..];
    let width = field.len().saturating_sub(1).max(s.len());
    if width <= digits.len() {
        put_str(field, &digits[digits.len() - width..]);
    } else {
        let mut full = vec![b'0'; width - s.len()];
        full.extend_from_slice(s);
        put_str(field, &full);
    }
}

fn set_magic_and_checksum(h: &mut [u8; BLOCK]) {
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    put_octal(&mut h[148..155], sum);
    h[155] = b' ';
}

/// The v7 + USTAR fields of a header (Go's templateV7Plus): mtime, ids, names all zero.
fn template(name: &[u8], mode: u32, size: u64, typeflag: u8) -> [u8; BLOCK] {
    let mut h = [0u8; BLOCK];
    put_str(&mut h[0..100], name);
    put_octal(&mut h[100..108], u64::from(mode));
    put_octal(&mut h[108..116], 0);
    put_octal(&mut h[116..124], 0);
    put_octal(&mut h[124..136], size);
    put_octal(&mut h[136..148], 0);
    h[156] = typeflag;
    put_str(&mut h[157..257], b"");
    put_str(&mut h[265..297], b"");
    put_str(&mut h[297..329], b"");
    put_octal(&mut h[329..337], 0);
    put_octal(&mut h[337..345], 0);
    h
}

fn pax_record(key: &str, value: &str) -> String {
    let base = key.len() + value.len() + 3;
    let mut size = base + base.to_string().len();
    if (size.to_string().len() + base) != size {
        size = size.to_string().len() + base;
    }
    format!("{size} {key}={value}\n")
}

impl<'a> TarBuilder<'a> {
    fn new(hand_over: &'a mut dyn FnMut(Vec<u8>) -> Result<Vec<u8>, Error>) -> TarBuilder<'a> {
        TarBuilder { out: Vec::with_capacity(CHUNK + BLOCK), paths: Vec::new(), hand_over }
    }

    fn append(&mut self, name: &str, kind: EntryKind, data: &[u8]) -> Result<(), Error> {
        let (mode, typeflag, size) = match kind {
            EntryKind::Dir => (DIR_MODE, b'5', 0u64),
            EntryKind::File { executable: true } => (EXE_FILE_MODE, b'0', data.len() as u64),
            _ => (FILE_MODE, b'0', data.len() as u64),
        };
        let fits = name.len() <= NAME_SIZE && is_ascii(name);
        if fits {
            let mut h = template(name.as_bytes(), mode, size, typeflag);
            set_magic_and_checksum(&mut h);
            self.out.extend_from_slice(&h);
        } else if let Some((prefix, suffix)) = split_ustar(name) {
            let mut h = template(suffix.as_bytes(), mode, size, typeflag);
            put_str(&mut h[345..500], prefix.as_bytes());
            set_magic_and_checksum(&mut h);
            self.out.extend_from_slice(&h);
        } else {
            // PAX: an extended header `dir/PaxHeaders.0/file` with the `path` record.
            let record = pax_record("path", name);
            let (dir, file) = match name.rfind('/') {
                Some(i) => (&name[..=i], &name[i + 1..]),
                None => ("", name),
            };
            let pax_name = clean_join(dir, file);
            let mut pax_name = to_ascii(&pax_name);
            pax_name.truncate(NAME_SIZE);
            let pax_name = pax_name.trim_end_matches('/');
            let mut x = [0u8; BLOCK];
            put_str(&mut x[0..100], pax_name.as_bytes());
            put_octal(&mut x[100..108], 0);
            put_octal(&mut x[108..116], 0);
            put_octal(&mut x[116..124], 0);
            put_octal(&mut x[124..136], record.len() as u64);
            put_octal(&mut x[136..148], 0);
            x[156] = b'x';
            set_magic_and_checksum(&mut x);
            self.out.extend_from_slice(&x);
            self.push_data(record.as_bytes());
            let mut h = template(to_ascii(name).as_bytes(), mode, size, typeflag);
            set_magic_and_checksum(&mut h);
            self.out.extend_from_slice(&h);
        }
        self.push_data(data);
        self.paths.push(name.to_string());
        if self.out.len() >= CHUNK {
            self.hand_over_full()?;
        }
        Ok(())
    }

    /// Hand over whole [`CHUNK`]s (the compressor then feeds them without copying) and
    /// keep the rest.
    fn hand_over_full(&mut self) -> Result<(), Error> {
        while self.out.len() >= CHUNK {
            let rest = self.out.split_off(CHUNK);
            let full = std::mem::replace(&mut self.out, rest);
            let mut spare = (self.hand_over)(full)?;
            spare.clear();
            spare.extend_from_slice(&self.out);
            self.out = spare;
        }
        Ok(())
    }

    fn push_data(&mut self, data: &[u8]) {
        self.out.extend_from_slice(data);
        let rem = data.len() % BLOCK;
        if rem != 0 {
            self.out.resize(self.out.len() + BLOCK - rem, 0);
        }
    }

    /// The two zero blocks; the last chunk is handed over. Returns the entry names.
    fn finish(mut self) -> Result<Vec<String>, Error> {
        self.out.resize(self.out.len() + 2 * BLOCK, 0);
        (self.hand_over)(std::mem::take(&mut self.out))?;
        Ok(self.paths)
    }
}

/// Go's `path.Join(dir, "PaxHeaders.0", file)` for a clean relative `dir` ending in `/`.
fn clean_join(dir: &str, file: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    parts.push("PaxHeaders.0");
    if !file.is_empty() {
        parts.push(file);
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tar-like stream of `n` bytes: headers, text, zero padding.
    fn sample_stream(n: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(n);
        let mut i = 0u64;
        while v.len() < n {
            v.extend_from_slice(
                format!("apps/app-{i}/deploy.yaml\0\0kind: Deployment\n").as_bytes(),
            );
            v.resize(v.len() + (i as usize * 37) % 600, 0);
            i += 1;
        }
        v.truncate(n);
        v
    }

    fn inflate_raw(deflate: &[u8], len: usize) -> Vec<u8> {
        let mut inf = zlib_rs::Inflate::new(false, 15);
        let mut out = vec![0u8; len + 1];
        let status = inf.decompress(deflate, &mut out, zlib_rs::InflateFlush::Finish);
        assert!(matches!(status, Ok(zlib_rs::Status::StreamEnd)), "{status:?}");
        out.truncate(inf.total_out() as usize);
        out
    }

    #[test]
    fn gzip_bytes_do_not_depend_on_how_the_tar_is_handed_over() {
        for len in [0, 1, 5000, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 12_345] {
            let data = sample_stream(len);
            let whole = gzip_in_pieces(&data, data.len());
            for piece in [1usize, 777, 4096, CHUNK - 1, CHUNK + 1] {
                if piece == 1 && len > 100_000 {
                    continue;
                }
                assert_eq!(gzip_in_pieces(&data, piece), whole, "len {len}, piece {piece}");
            }
            // Header: no name, mtime 0, XFL 0, OS 255; trailer: crc32 and size.
            assert_eq!(whole[..10], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
            let n = whole.len();
            assert_eq!(whole[n - 8..n - 4], zlib_rs::crc32::crc32(0, &data).to_le_bytes());
            assert_eq!(whole[n - 4..], (len as u32).to_le_bytes());
            assert_eq!(inflate_raw(&whole[10..n - 8], len), data, "len {len}");
        }
    }

    #[test]
    fn pipeline_equals_one_shot_and_reports_producer_errors() {
        let data = sample_stream(2 * CHUNK + 999);
        let (gz, paths) = gzip_pipelined(|tar| {
            for piece in data.chunks(1000) {
                tar.out.extend_from_slice(piece);
                if tar.out.len() >= CHUNK {
                    let next = (tar.hand_over)(std::mem::take(&mut tar.out))?;
                    tar.out = next;
                }
            }
            Ok(())
        })
        .unwrap();
        let mut with_end = data.clone();
        with_end.resize(data.len() + 2 * BLOCK, 0);
        assert_eq!(gz, gzip_in_pieces(&with_end, CHUNK));
        let (inline, _) = gzip_inline(|tar| {
            tar.out.extend_from_slice(&data);
            Ok(())
        })
        .unwrap();
        assert_eq!(inline, gz);
        assert!(paths.is_empty());
        let err = gzip_pipelined(|_| Err(Error::TooLarge(PathBuf::from("big")))).unwrap_err();
        assert_eq!(err.to_string(), "big: file too large for the archive");
    }

    #[test]
    fn pax_record_sizes() {
        // The length prefix counts itself, and grows a digit when needed.
        assert_eq!(pax_record("path", "a"), "9 path=a\n");
        let r = pax_record("path", &"x".repeat(90));
        assert_eq!(r.len().to_string(), r.split(' ').next().unwrap_or(""));
        let r = pax_record("path", &"x".repeat(92));
        assert_eq!(r.len().to_string(), r.split(' ').next().unwrap_or(""));
    }

    #[test]
    fn split_ustar_table() {
        let long_dir = "d".repeat(120);
        let name = format!("{long_dir}/file.yaml");
        assert_eq!(split_ustar(&name), Some((long_dir.as_str(), "file.yaml")));
        assert_eq!(split_ustar("short"), None);
        assert_eq!(split_ustar(&"x".repeat(101)), None); // no slash
        assert_eq!(split_ustar(&format!("a/{}", "y".repeat(101))), None); // suffix too long
    }

    #[test]
    fn octal_table() {
        let cases: [(usize, u64, &[u8]); 6] = [
            (8, 0o600, b"0000600\0"),
            (8, 0, b"0000000\0"),
            (12, 0o77777777777, b"77777777777\0"),
            (7, 0o1234, b"001234\0"),
            (4, 0o7777, b"7777"), // no room for the NUL: Go's formatString
            (12, 10, b"00000000012\0"),
        ];
        for (len, v, want) in cases {
            let mut f = vec![0xffu8; len];
            put_octal(&mut f, v);
            assert_eq!(f, want, "{v:o} in {len}");
        }
    }

    #[test]
    fn octal_and_checksum_fields() {
        let mut h = template(b"a.yaml", FILE_MODE, 10, b'0');
        set_magic_and_checksum(&mut h);
        assert_eq!(&h[100..108], b"0000600\0");
        assert_eq!(&h[124..136], b"00000000012\0");
        assert_eq!(&h[136..148], b"00000000000\0");
        assert_eq!(h[155], b' ');
        assert_eq!(h[154], 0);
    }
}
