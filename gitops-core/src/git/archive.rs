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

/// A pack delta-base cache: the decoded entries by (pack, offset), dropped all at once
/// when they exceed [`PACK_CACHE_BYTES`]. gix without its `max-performance` feature sets
/// none, so every delta chain would be inflated from its base for every blob.
#[derive(Default)]
struct PackCache {
    entries: HashMap<(u32, u64), (gix::objs::Kind, Vec<u8>, usize)>,
    bytes: usize,
}

impl gix::odb::pack::cache::DecodeEntry for PackCache {
    fn put(&mut self, pack_id: u32, offset: u64, data: &[u8], kind: gix::objs::Kind, compressed_size: usize) {
        if data.len() > PACK_CACHE_BYTES / 4 {
            return;
        }
        if self.bytes + data.len() > PACK_CACHE_BYTES {
            self.entries.clear();
            self.bytes = 0;
        }
        self.bytes += data.len();
        if let Some(old) = self.entries.insert((pack_id, offset), (kind, data.to_vec(), compressed_size)) {
            self.bytes = self.bytes.saturating_sub(old.1.len());
        }
    }

    fn get(&mut self, pack_id: u32, offset: u64, out: &mut Vec<u8>) -> Option<(gix::objs::Kind, usize)> {
        let (kind, data, size) = self.entries.get(&(pack_id, offset))?;
        out.clear();
        out.extend_from_slice(data);
        Some((*kind, *size))
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
            if raw.is_empty() || raw == b"." || raw == b".." || raw.contains(&b'/') || raw.contains(&0) {
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

    fn read(&self, file: &Node<Handle>, rel: &[String], buf: &mut Vec<u8>) -> io::Result<Option<bool>> {
        let Some(id) = file.handle else { return Err(invalid(format!("{}: no blob", show(rel)))) };
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

    fn read_ignore_link(&self, _entry: &Node<Handle>, _rel: &[String]) -> Result<Option<Vec<u8>>, artifact::Error> {
        // Resolving a symlinked `.sourceignore` needs the whole tree: [`artifact`] starts
        // over with a TreeFs for that rare case.
        self.linked_ignore.set(true);
        Ok(None)
    }

    fn path(&self, rel: &[String]) -> PathBuf {
        PathBuf::from(show(rel))
    }
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
    let mut inner = repo.inner.clone();
    inner.objects.set_pack_cache(|| Box::<PackCache>::default());
    let src = CommitSource {
        repo: inner,
        commit: commit.to_owned(),
        tree_buf: std::cell::RefCell::new(Vec::new()),
        linked_ignore: std::cell::Cell::new(false),
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
