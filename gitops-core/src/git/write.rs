//! Write-back: commit changed files onto a branch without a checkout.

use std::io::Write as _;
use std::path::Path;

use super::{Error, Repository, read_err};

/// The author (and committer) of a write-back commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// The name.
    pub name: String,
    /// The e-mail address.
    pub email: String,
    /// Seconds since the Unix epoch (`None`: now).
    pub time: Option<i64>,
}

impl Author {
    /// Parse `Name <email>`; `None` when the form does not match.
    ///
    /// ```
    /// use gitops_core::git::Author;
    /// let a = Author::parse("Flux Bot <flux@example.com>").unwrap();
    /// assert_eq!((a.name.as_str(), a.email.as_str()), ("Flux Bot", "flux@example.com"));
    /// assert!(Author::parse("no email").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Author> {
        let (name, rest) = text.split_once('<')?;
        let email = rest.strip_suffix('>')?;
        let name = name.trim();
        if name.is_empty() || email.is_empty() || email.contains(['<', '>', '\n']) {
            return None;
        }
        if name.contains(['<', '>', '\n']) {
            return None;
        }
        Some(Author { name: name.to_owned(), email: email.to_owned(), time: None })
    }
}

/// One image change for the commit message: the file and the old and new values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// The file, relative to the repository root.
    pub file: String,
    /// The value before.
    pub old: String,
    /// The value after.
    pub new: String,
}

/// The commit message of a write-back: `message` (default Flux's
/// `Update from image update automation`), then, when there are changes, a blank line and
/// one line per change `- <file>: <old> -> <new>` (duplicates removed, order kept).
///
/// ```
/// use gitops_core::git::{FileChange, commit_message};
/// let c = FileChange { file: "app.yaml".into(), old: "app:1.0.0".into(), new: "app:1.1.0".into() };
/// assert_eq!(
///     commit_message(None, &[c]),
///     "Update from image update automation\n\n- app.yaml: app:1.0.0 -> app:1.1.0\n"
/// );
/// ```
pub fn commit_message(message: Option<&str>, changes: &[FileChange]) -> String {
    let mut out = message.unwrap_or("Update from image update automation").trim_end().to_owned();
    out.push('\n');
    let mut seen = std::collections::BTreeSet::new();
    let mut first = true;
    for c in changes {
        if !seen.insert((c.file.as_str(), c.old.as_str(), c.new.as_str())) {
            continue;
        }
        if first {
            out.push('\n');
            first = false;
        }
        out.push_str(&format!("- {}: {} -> {}\n", c.file, c.old, c.new));
    }
    out
}

fn valid_repo_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path.split('/').all(|c| !c.is_empty() && c != "." && c != ".." && c != ".git")
        && !path.contains('\0')
}

/// Commit `changes` (repository-relative `/`-separated paths and their new content) onto
/// `refs/heads/<branch>`. The branch's tip is the parent; a missing branch is created from
/// the commit `base` names (any revision expression; an error when `base` is `None`). Only
/// the given paths change in the tree (executable bits of existing files are kept, new files
/// are regular files); the index and the working tree are not touched, so when `branch` is
/// checked out, `git status` shows the committed content as reverted until
/// `git reset`/`git checkout` (use another branch, or write the files too). Returns the new
/// commit, or `None` when the content equals the parent's (no empty commit is made, as
/// Flux's automation).
///
/// ```no_run
/// use gitops_core::git::{Author, Repository, commit_files, commit_message};
/// let repo = Repository::open("/srv/repo").unwrap();
/// let author = Author::parse("Flux <flux@example.com>").unwrap();
/// let msg = commit_message(None, &[]);
/// let changes = vec![("apps/app.yaml".to_string(), b"image: app:1.1.0\n".to_vec())];
/// let id = commit_files(&repo, "main", None, &changes, &author, &msg).unwrap();
/// ```
pub fn commit_files(
    repo: &Repository,
    branch: &str,
    base: Option<&str>,
    changes: &[(String, Vec<u8>)],
    author: &Author,
    message: &str,
) -> Result<Option<String>, Error> {
    let changes: Vec<(String, Option<Vec<u8>>)> =
        changes.iter().map(|(p, b)| (p.clone(), Some(b.clone()))).collect();
    commit_changes(repo, branch, base, &changes, author, message)
}

/// [`commit_files`] that can also delete: each path maps to its new content, or to `None`
/// to remove it from the tree (a path the parent does not have is no change; directories
/// left empty disappear, as Git has no empty trees; a path naming a directory is
/// `invalid path in repository`). Everything else is as [`commit_files`]: the branch's tip
/// (or `base` for a new branch) is the parent, the index and working tree are not touched,
/// and `None` is returned when the tree equals the parent's.
///
/// ```no_run
/// use gitops_core::git::{Author, Repository, commit_changes};
/// let repo = Repository::open("/srv/repo").unwrap();
/// let author = Author::parse("Flux <flux@example.com>").unwrap();
/// let changes = vec![
///     ("apps/app.yaml".to_string(), Some(b"image: app:1.0.0\n".to_vec())),
///     ("apps/pdb.yaml".to_string(), None),
/// ];
/// let id = commit_changes(&repo, "rollback", Some("HEAD"), &changes, &author, "Rollback\n");
/// ```
pub fn commit_changes(
    repo: &Repository,
    branch: &str,
    base: Option<&str>,
    changes: &[(String, Option<Vec<u8>>)],
    author: &Author,
    message: &str,
) -> Result<Option<String>, Error> {
    let full = format!("refs/heads/{branch}");
    let werr = |what: String| move |e: gix::Error| Error::Write { what, message: e.to_string() };
    let parent = match repo.find_ref_commit(&full)? {
        Some((id, _)) => id,
        None => {
            let base = base.ok_or_else(|| Error::Branch { branch: branch.to_owned() })?;
            let hex = repo.rev_parse(base)?;
            gix::ObjectId::from_hex(hex.as_bytes())
                .map_err(|e| Error::Revision { spec: base.to_owned(), message: e.to_string() })?
        }
    };
    let parent_commit = repo.inner.find_commit(parent).map_err(read_err(parent.to_string()))?;
    let tree_id = parent_commit.tree_id().map_err(read_err(parent.to_string()))?.detach();
    let tree = repo.inner.find_tree(tree_id).map_err(read_err(format!("tree {tree_id}")))?;
    let mut editor = repo.inner.edit_tree(tree_id).map_err(read_err(format!("tree {tree_id}")))?;
    for (path, bytes) in changes {
        if !valid_repo_path(path) {
            return Err(Error::InvalidPath { path: path.clone() });
        }
        let kind = match tree.lookup_entry_by_path(path).map_err(read_err(path.clone()))? {
            Some(e) if e.mode().is_executable() => gix::objs::tree::EntryKind::BlobExecutable,
            Some(e) if e.mode().is_tree() || e.mode().is_commit() => {
                return Err(Error::InvalidPath { path: path.clone() });
            }
            _ => gix::objs::tree::EntryKind::Blob,
        };
        match bytes {
            Some(bytes) => {
                let blob = repo.inner.write_blob(bytes).map_err(werr(format!("blob {path}")))?;
                editor.upsert(path.as_str(), kind, blob.detach()).map_err(werr(path.clone()))?;
            }
            None => {
                editor.remove_leaf(path.as_str()).map_err(werr(path.clone()))?;
            }
        }
    }
    let new_tree = editor.write().map_err(werr("tree".into()))?.detach();
    if new_tree == tree_id {
        return Ok(None);
    }
    let time = match author.time {
        Some(seconds) => gix::date::Time::new(seconds, 0),
        None => gix::date::Time::now_utc(),
    };
    let signature = gix::actor::Signature {
        name: author.name.as_str().into(),
        email: author.email.as_str().into(),
        time,
    };
    let mut buf = gix::date::parse::TimeBuf::default();
    let sig = signature.to_ref(&mut buf);
    let id = repo
        .inner
        .commit_as(sig, sig, full.as_str(), message, new_tree, [parent])
        .map_err(werr(full.clone()))?;
    Ok(Some(id.to_string()))
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory, fsync, rename.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_table() {
        let cases = [
            ("A B <a@b>", Some(("A B", "a@b"))),
            ("  A <a@b>", Some(("A", "a@b"))),
            ("A <>", None),
            ("<a@b>", None),
            ("A a@b", None),
            ("A <a@b", None),
            ("A <a<b>", None),
        ];
        for (text, want) in cases {
            let got = Author::parse(text);
            assert_eq!(got.as_ref().map(|a| (a.name.as_str(), a.email.as_str())), want, "{text}");
        }
    }

    #[test]
    fn message_table() {
        let c =
            |f: &str, o: &str, n: &str| FileChange { file: f.into(), old: o.into(), new: n.into() };
        let cases = [
            (None, vec![], "Update from image update automation\n"),
            (Some("chore: bump\n\n"), vec![], "chore: bump\n"),
            (
                None,
                vec![c("a.yaml", "x:1", "x:2"), c("a.yaml", "x:1", "x:2"), c("b.yaml", "y", "z")],
                "Update from image update automation\n\n- a.yaml: x:1 -> x:2\n- b.yaml: y -> z\n",
            ),
        ];
        for (msg, changes, want) in cases {
            assert_eq!(commit_message(msg, &changes), want);
        }
    }

    #[test]
    fn repo_paths() {
        for (p, ok) in [
            ("a/b.yaml", true),
            ("a.yaml", true),
            ("", false),
            ("/a", false),
            ("a//b", false),
            ("../a", false),
            ("a/./b", false),
            (".git/config", false),
        ] {
            assert_eq!(valid_repo_path(p), ok, "{p}");
        }
    }
}
