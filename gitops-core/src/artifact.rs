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
//! * a gzip member with no name, mtime 0, OS byte 255, default compression.
//!
//! The tar stream is byte for byte what Flux writes for the same tree; the deflate stream comes
//! from `miniz_oxide` rather than Go's `compress/flate`, so the digest of the same tree differs
//! from Flux's while being stable across runs and machines.
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
/// needs beyond [`FileSystem`]. Implemented for [`RealFs`] and [`MemFs`]; a Git tree view
/// implements it from tree entry modes.
pub trait Tree: FileSystem {
    /// The kind of `path` itself (a symlink is [`EntryKind::Other`]).
    fn entry_kind(&self, path: &Path) -> io::Result<EntryKind>;
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
    /// and archive it.
    pub fn from_source<T: Tree + ?Sized>(
        tree: &T,
        root: &Path,
        spec_ignore: Option<&str>,
    ) -> Result<Artifact, Error> {
        let tree_dyn: &dyn FileSystem = &Dyn(tree);
        let ignore = SourceIgnore::load(tree_dyn, root, spec_ignore)?;
        Artifact::build(tree, root, &ignore)
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
        let mut tar = TarBuilder::default();
        tar.append(".", EntryKind::Dir, &[]);
        let mut parts = Vec::new();
        walk(tree, &root, &mut parts, ignore, &mut tar, 0)?;
        let paths = std::mem::take(&mut tar.paths);
        let bytes = gzip(&tar.finish());
        let digest = digest(&bytes);
        Ok(Artifact { bytes, digest, paths })
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

fn walk<T: Tree + ?Sized>(
    tree: &T,
    dir: &Path,
    parts: &mut Vec<String>,
    ignore: &SourceIgnore,
    tar: &mut TarBuilder,
    depth: usize,
) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(Error::TooDeep(dir.to_path_buf()));
    }
    let entries =
        tree.read_dir(dir).map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
    for entry in sourceignore::sorted_by_name(entries) {
        let Some(name) = entry.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let kind = tree
            .entry_kind(&entry)
            .map_err(|source| Error::Read { path: entry.clone(), source })?;
        if kind == EntryKind::Other {
            continue;
        }
        parts.push(name);
        let is_dir = kind == EntryKind::Dir;
        let excluded = ignore.is_ignored_parts(parts, is_dir);
        if excluded && is_dir && ignore.excluded_dirs_are_closed() {
            // Nothing below can be kept: same result as Flux's entry-by-entry walk, faster.
            parts.pop();
            continue;
        }
        let result = (|| {
            if !excluded {
                let rel = parts.join("/");
                if is_dir {
                    tar.append(&rel, kind, &[]);
                } else {
                    let data = tree
                        .read_file(&entry)
                        .map_err(|source| Error::Read { path: entry.clone(), source })?;
                    if data.len() as u64 > MAX_OCTAL_11 {
                        return Err(Error::TooLarge(entry.clone()));
                    }
                    tar.append(&rel, kind, &data);
                }
            }
            // Flux does not skip excluded directories: their entries are decided one by one.
            if is_dir {
                walk(tree, &entry, parts, ignore, tar, depth + 1)?;
            }
            Ok(())
        })();
        parts.pop();
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

fn gzip(data: &[u8]) -> Vec<u8> {
    let out = Vec::with_capacity(data.len() / 4 + 64);
    let mut enc = flate2::GzBuilder::new()
        .operating_system(255)
        .mtime(0)
        .write(out, flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
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

#[derive(Default)]
struct TarBuilder {
    out: Vec<u8>,
    paths: Vec<String>,
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
    let s = format!("{v:o}");
    let pad = field.len().saturating_sub(s.len() + 1);
    let mut full = "0".repeat(pad);
    full.push_str(&s);
    put_str(field, full.as_bytes());
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

impl TarBuilder {
    fn append(&mut self, name: &str, kind: EntryKind, data: &[u8]) {
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
    }

    fn push_data(&mut self, data: &[u8]) {
        self.out.extend_from_slice(data);
        let rem = data.len() % BLOCK;
        if rem != 0 {
            self.out.resize(self.out.len() + BLOCK - rem, 0);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.out.resize(self.out.len() + 2 * BLOCK, 0);
        self.out
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
