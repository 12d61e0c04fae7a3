//! The source artifact of a commit, read straight from the object database: the trees are
//! decoded into the archiver's listing ([`crate::artifact::Node`]) and blobs are read with a
//! reused buffer through a pack delta cache, so a packed repository costs one inflate and
//! one delta application per blob.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use gix::objs::FindExt;

use super::{Error as GitError, Repository};
use crate::artifact::{self, Artifact, EntryKind, Node, Source};

/// How many bytes of decoded pack entries the delta cache keeps before it starts over.
const PACK_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// A pack delta-base cache: decoded entries by (pack, offset), their bytes in one arena,
/// dropped all at once when the arena would exceed [`PACK_CACHE_BYTES`]. gix without its
/// `max-performance` feature sets no pack cache, so every blob's delta chain would be
/// inflated from its base again.
#[derive(Default)]
struct PackCache {
    /// (kind, start in `arena`, length, compressed size).
    entries: HashMap<(u32, u64), (gix::objs::Kind, usize, usize, usize)>,
    arena: Vec<u8>,
}

impl gix::odb::pack::cache::DecodeEntry for PackCache {
    fn put(
        &mut self,
        pack_id: u32,
        offset: u64,
        data: &[u8],
        kind: gix::objs::Kind,
        compressed_size: usize,
    ) {
        if data.len() > PACK_CACHE_BYTES / 4 || self.entries.contains_key(&(pack_id, offset)) {
            return;
        }
        if self.arena.len() + data.len() > PACK_CACHE_BYTES {
            self.entries.clear();
            self.arena.clear();
        }
        let start = self.arena.len();
        self.arena.extend_from_slice(data);
        self.entries.insert((pack_id, offset), (kind, start, data.len(), compressed_size));
    }

    fn get(
        &mut self,
        pack_id: u32,
        offset: u64,
        out: &mut Vec<u8>,
    ) -> Option<(gix::objs::Kind, usize)> {
        let (kind, start, len, size) = *self.entries.get(&(pack_id, offset))?;
        let data = self.arena.get(start..start + len)?;
        out.clear();
        out.extend_from_slice(data);
        Some((kind, size))
    }
}

/// Where an entry's object is: a tree (directory), a blob (file or symlink target), or
/// nothing (a submodule, listed as an empty directory).
type Handle = Option<gix::ObjectId>;

struct CommitSource {
    repo: gix::Repository,
    commit: String,
    /// The buffer trees are decoded from.
    tree_buf: std::cell::RefCell<Vec<u8>>,
    /// Set when a `.sourceignore` is a symlink.
    linked_ignore: std::cell::Cell<bool>,
    /// The repository's own `objects` directory (loose objects are read from there directly).
    objects_dir: PathBuf,
    /// Which fan-out directories (`objects/00` .. `objects/ff`) exist: none in a packed
    /// repository, where looking for loose objects would be a failed `open` per blob.
    fan_out: [bool; 256],
    /// The compressed bytes of the last loose object read, and the inflater, reused.
    loose: std::cell::RefCell<(Vec<u8>, zlib_rs::Inflate)>,
}

/// zlib never expands more than this much (deflate's best ratio is 1032:1).
const MAX_RATIO: usize = 1032;

impl CommitSource {
    /// Read the loose object `id` into `buf` with `read(2)` and zlib-rs: gix maps each loose
    /// object (`mmap`/`munmap`), which costs TLB shootdowns on every core while the
    /// compressor thread runs. `Ok(false)` when there is no loose object (it is packed or in
    /// an alternate: gix reads it).
    fn read_loose(&self, id: &gix::oid, buf: &mut Vec<u8>) -> io::Result<bool> {
        use std::io::Read;
        let first = id.as_bytes().first().copied().unwrap_or(0);
        if !self.fan_out[usize::from(first)] {
            return Ok(false);
        }
        let hex = id.to_hex().to_string();
        let (dir, file) = hex.split_at(2.min(hex.len()));
        let path = self.objects_dir.join(dir).join(file);
        let mut guard = self.loose.borrow_mut();
        let (compressed, inflate) = &mut *guard;
        match std::fs::File::open(&path) {
            Ok(mut f) => {
                compressed.clear();
                f.read_to_end(compressed)?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e),
        }
        let corrupt = |what: &str| invalid(format!("loose object {id}: {what}"));
        inflate.reset(true);
        let mut head = [0u8; 64];
        inflate
            .decompress(compressed, &mut head, zlib_rs::InflateFlush::NoFlush)
            .map_err(|e| corrupt(e.as_str()))?;
        let produced = usize::try_from(inflate.total_out()).map_err(|_| corrupt("size"))?;
        let consumed = usize::try_from(inflate.total_in()).map_err(|_| corrupt("size"))?;
        let head = head.get(..produced).ok_or_else(|| corrupt("header"))?;
        let nul = head.iter().position(|&b| b == 0).ok_or_else(|| corrupt("no header"))?;
        let size = std::str::from_utf8(&head[..nul])
            .ok()
            .and_then(|h| h.strip_prefix("blob "))
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| corrupt("not a blob"))?;
        if size > compressed.len().saturating_mul(MAX_RATIO).saturating_add(64) {
            return Err(corrupt("size larger than its data allows"));
        }
        let first = &head[nul + 1..];
        if first.len() > size {
            return Err(corrupt("longer than its header says"));
        }
        buf.clear();
        buf.resize(size, 0);
        buf[..first.len()].copy_from_slice(first);
        let done = first.len();
        let rest = compressed.get(consumed..).ok_or_else(|| corrupt("size"))?;
        let before = inflate.total_out();
        // One spare byte tells a longer stream from an exact one.
        buf.push(0);
        let status = inflate
            .decompress(rest, &mut buf[done..], zlib_rs::InflateFlush::Finish)
            .map_err(|e| corrupt(e.as_str()))?;
        let written = usize::try_from(inflate.total_out() - before).map_err(|_| corrupt("size"))?;
        buf.truncate(size);
        if !matches!(status, zlib_rs::Status::StreamEnd) || done + written != size {
            return Err(corrupt("size mismatch"));
        }
        Ok(true)
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

impl Source for CommitSource {
    type Handle = Handle;

    fn list(&self, dir: &Node<Handle>, rel: &[String]) -> io::Result<Vec<Node<Handle>>> {
        let Some(id) = dir.handle else { return Ok(Vec::new()) };
        let mut buf = self.tree_buf.borrow_mut();
        let tree = self.repo.objects.find_tree(&id, &mut buf).map_err(|e| {
            invalid(format!("reading tree {id} ({}) of commit {}: {e}", show(rel), self.commit))
        })?;
        let mut out: Vec<(Vec<u8>, Node<Handle>)> = Vec::with_capacity(tree.entries.len());
        for entry in &tree.entries {
            let raw: &[u8] = entry.filename.as_ref();
            // A tree written by hand may hold names a checkout would refuse.
            if raw.is_empty()
                || raw == b"."
                || raw == b".."
                || raw.contains(&b'/')
                || raw.contains(&0)
            {
                continue;
            }
            let oid = entry.oid.to_owned();
            let (kind, handle, children) = match entry.mode.kind() {
                gix::objs::tree::EntryKind::Tree => (EntryKind::Dir, Some(oid), None),
                gix::objs::tree::EntryKind::Blob => {
                    (EntryKind::File { executable: false }, Some(oid), None)
                }
                gix::objs::tree::EntryKind::BlobExecutable => {
                    (EntryKind::File { executable: true }, Some(oid), None)
                }
                gix::objs::tree::EntryKind::Link => (EntryKind::Other, Some(oid), None),
                // A submodule checks out as an empty directory.
                gix::objs::tree::EntryKind::Commit => (EntryKind::Dir, None, Some(Vec::new())),
            };
            let (name, utf8) = match std::str::from_utf8(raw) {
                Ok(s) => (s.to_owned(), true),
                Err(_) => (String::from_utf8_lossy(raw).into_owned(), false),
            };
            out.push((raw.to_vec(), Node { name, utf8, kind, handle, children }));
        }
        // Git orders a directory as if its name ended in `/`; Go's walk orders by name.
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out.into_iter().map(|(_, n)| n).collect())
    }

    fn read(
        &self,
        file: &Node<Handle>,
        rel: &[String],
        buf: &mut Vec<u8>,
    ) -> io::Result<Option<bool>> {
        let Some(id) = file.handle else { return Err(invalid(format!("{}: no blob", show(rel)))) };
        match self.read_loose(&id, buf) {
            Ok(true) => return Ok(None),
            Ok(false) => {}
            Err(e) => {
                return Err(invalid(format!(
                    "reading blob {id} ({}) of commit {}: {e}",
                    show(rel),
                    self.commit
                )));
            }
        }
        let blob = self.repo.objects.find_blob(&id, buf).map_err(|e| {
            invalid(format!("reading blob {id} ({}) of commit {}: {e}", show(rel), self.commit))
        })?;
        // The blob is a prefix of the buffer (which may hold more, e.g. an earlier blob);
        // otherwise copy it.
        let (start, len) = (blob.data.as_ptr() as usize, blob.data.len());
        if start == buf_start(buf) && len <= buf.len() {
            buf.truncate(len);
            return Ok(None);
        }
        // Not a prefix of the buffer: read it again into a fresh one.
        let mut fresh = Vec::new();
        let data = self.repo.objects.find_blob(&id, &mut fresh).map_err(|e| {
            invalid(format!("reading blob {id} ({}) of commit {}: {e}", show(rel), self.commit))
        })?;
        let data = data.data.to_vec();
        *buf = data;
        Ok(None)
    }

    fn read_ignore_link(
        &self,
        _entry: &Node<Handle>,
        _rel: &[String],
    ) -> Result<Option<Vec<u8>>, artifact::Error> {
        // Resolving a symlinked `.sourceignore` needs the whole tree: [`artifact`] starts
        // over with a TreeFs for that rare case.
        self.linked_ignore.set(true);
        Ok(None)
    }

    fn path(&self, rel: &[String]) -> PathBuf {
        PathBuf::from(show(rel))
    }
}

/// The fan-out directories of `objects` that exist (all, when it cannot be listed: the
/// loose reader then just finds nothing).
fn fan_out(objects: &Path) -> [bool; 256] {
    let Ok(entries) = std::fs::read_dir(objects) else { return [true; 256] };
    let mut out = [false; 256];
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.len() == 2
            && let Ok(i) = u8::from_str_radix(name, 16)
        {
            out[usize::from(i)] = true;
        }
    }
    out
}

fn buf_start(buf: &[u8]) -> usize {
    buf.as_ptr() as usize
}

fn show(rel: &[String]) -> String {
    if rel.is_empty() { ".".to_owned() } else { rel.join("/") }
}

/// The artifact of `commit` (40 hex digits), as [`Artifact::from_source`] gives for a fresh
/// checkout of it.
pub(crate) fn artifact(
    repo: &Repository,
    commit: &str,
    spec_ignore: Option<&str>,
) -> Result<Artifact, artifact::Error> {
    let fail = |message: String| GitError::Revision { spec: commit.to_owned(), message };
    let id = gix::ObjectId::from_hex(commit.as_bytes()).map_err(|e| fail(e.to_string()))?;
    let commit_obj =
        repo.inner.find_commit(id).map_err(super::read_err(format!("commit {commit}")))?;
    let tree = commit_obj.tree_id().map_err(super::read_err(format!("commit {commit}")))?;
    let objects_dir = repo.inner.objects.store_ref().path().to_path_buf();
    let mut inner = repo.inner.clone();
    inner.objects.set_pack_cache(|| Box::<PackCache>::default());
    let src = CommitSource {
        repo: inner,
        commit: commit.to_owned(),
        tree_buf: std::cell::RefCell::new(Vec::new()),
        linked_ignore: std::cell::Cell::new(false),
        objects_dir: objects_dir.clone(),
        fan_out: fan_out(&objects_dir),
        loose: std::cell::RefCell::new((Vec::new(), zlib_rs::Inflate::new(true, 15))),
    };
    let mut root = Node {
        name: String::new(),
        utf8: true,
        kind: EntryKind::Dir,
        handle: Some(tree.detach()),
        children: None,
    };
    let built = artifact::build_with_ignore(&src, &mut root, spec_ignore)?;
    if !src.linked_ignore.get() {
        return Ok(built);
    }
    // A symlinked `.sourceignore` is read through its target, as `os.ReadFile` on a
    // checkout would (absolute targets resolve inside the tree).
    let fs = super::TreeFs::new(repo, commit, Path::new("/"))?;
    Artifact::from_source(&fs, Path::new("/"), spec_ignore)
}
