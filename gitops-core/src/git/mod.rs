//! Git sources (feature `git`, built on gix): open a repository, resolve a
//! `GitRepository.spec.ref` the way source-controller does, print Flux's revision strings,
//! read the tree of any commit as a [`FileSystem`](crate::fs::FileSystem) ([`TreeFs`]) and
//! commit changed files onto a branch ([`commit_files`], image automation write-back).
//!
//! | item | what |
//! |---|---|
//! | [`Repository`] | `open`, `discover`, `clone_local` (a shared clone, no `git` binary) |
//! | [`resolve`] | commit > name > tag > semver > branch (default `master`), Flux's revisions |
//! | [`revision`] | `TransformRevision`, `SplitRevision`, `ExtractHashFromRevision` equivalents |
//! | [`TreeFs`] | the tree of a commit as a read-only file system, no checkout |
//! | [`commit_files`] | write blobs, edit the tree, commit onto `refs/heads/<branch>` |
//! | [`commit_changes`] | the same, with deletions (`None` content) |
//!
//! ```no_run
//! use gitops_core::git::{GitRef, Repository, resolve};
//! let repo = Repository::discover(".").unwrap();
//! let r = resolve(&repo, &GitRef { branch: Some("main".into()), ..GitRef::default() }).unwrap();
//! println!("{}", r.revision); // main@sha1:<hex>
//! ```

use std::path::{Path, PathBuf};

use crate::image::semver::{Constraints, Version};

pub(crate) mod archive;
pub mod revision;
mod treefs;
mod write;

pub use treefs::TreeFs;
pub use write::{Author, FileChange, commit_changes, commit_files, commit_message};

/// Errors of opening repositories, resolving references and reading or writing objects.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path is not a Git repository (or could not be read as one).
    #[error("{path}: not a git repository: {message}")]
    Open {
        /// The path given.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// `spec.ref.commit` does not name a commit of the repository.
    #[error("unable to resolve commit object for '{commit}': {message}")]
    Commit {
        /// The commit given.
        commit: String,
        /// The cause.
        message: String,
    },
    /// `spec.ref.commit` with `branch`: the commit is not in the branch's history.
    #[error("commit '{commit}' is not reachable from branch '{branch}'")]
    CommitNotInBranch {
        /// The commit given.
        commit: String,
        /// The branch given.
        branch: String,
    },
    /// `spec.ref.name` does not exist.
    #[error("unable to resolve ref '{name}' to a specific commit")]
    Name {
        /// The reference given.
        name: String,
    },
    /// `spec.ref.tag` does not exist.
    #[error("unable to resolve tag '{tag}': reference not found")]
    Tag {
        /// The tag given.
        tag: String,
    },
    /// `spec.ref.branch` does not exist.
    #[error("couldn't find remote ref \"refs/heads/{branch}\"")]
    Branch {
        /// The branch given.
        branch: String,
    },
    /// `spec.ref.semver` is not a valid range.
    #[error("semver parse error: {message}")]
    SemverRange {
        /// The parser's message.
        message: String,
    },
    /// No tag satisfies `spec.ref.semver`.
    #[error("no match found for semver: {range}")]
    NoSemverMatch {
        /// The range given.
        range: String,
    },
    /// A revision expression (`--rev`) that does not resolve to a commit.
    #[error("unknown revision '{spec}': {message}")]
    Revision {
        /// The expression.
        spec: String,
        /// The cause.
        message: String,
    },
    /// An object could not be read (missing or corrupt repository).
    #[error("reading {what}: {message}")]
    Read {
        /// The object or reference.
        what: String,
        /// The cause.
        message: String,
    },
    /// Writing objects or references failed.
    #[error("writing {what}: {message}")]
    Write {
        /// What was written.
        what: String,
        /// The cause.
        message: String,
    },
    /// A path given to the write-back is not a valid repository path.
    #[error("invalid path in repository: '{path}'")]
    InvalidPath {
        /// The path.
        path: String,
    },
    /// Recursion or symlink limit reached while reading a tree.
    #[error("tree of {commit} nested deeper than {limit} levels")]
    TooDeep {
        /// The commit.
        commit: String,
        /// The limit.
        limit: usize,
    },
}

fn read_err(what: impl Into<String>) -> impl FnOnce(gix::Error) -> Error {
    let what = what.into();
    move |e| Error::Read { what, message: e.to_string() }
}

/// A local Git repository (bare or with a working tree).
pub struct Repository {
    inner: gix::Repository,
}

impl std::fmt::Debug for Repository {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repository").field("git_dir", &self.inner.git_dir()).finish()
    }
}

fn open_options() -> gix::open::Options {
    // Isolated: neither the user's nor the system's Git configuration changes what is read.
    gix::open::Options::isolated()
}

impl Repository {
    /// Open the repository at `path` exactly: a working tree root, its `.git` directory or a
    /// bare repository.
    pub fn open(path: impl AsRef<Path>) -> Result<Repository, Error> {
        let path = path.as_ref();
        gix::open_opts(path, open_options())
            .map(|inner| Repository { inner })
            .map_err(|e| Error::Open { path: path.to_path_buf(), message: e.to_string() })
    }

    /// Find the repository containing `path` (searching upwards, as `git` does).
    pub fn discover(path: impl AsRef<Path>) -> Result<Repository, Error> {
        let path = path.as_ref();
        let fail = |message: String| Error::Open { path: path.to_path_buf(), message };
        let (found, _trust) = gix::discover::upwards(path).map_err(|e| fail(e.to_string()))?;
        let (git_dir, _worktree) = found.into_repository_and_work_tree_directories();
        Repository::open(&git_dir).map_err(|e| match e {
            Error::Open { message, .. } => fail(message),
            other => other,
        })
    }

    /// A *shared* clone of the local repository `src` into `dst` (like `git clone --shared
    /// --bare --mirror`): `dst` becomes a bare repository whose object store borrows `src`'s
    /// objects through `objects/info/alternates`, with a copy of every branch and tag
    /// reference (`refs/heads/*`, `refs/tags/*`) and `HEAD`. No `git` binary and no
    /// `git-upload-pack` are involved (gix's clone from a path spawns one); `src` must stay
    /// where it is while `dst` is used.
    pub fn clone_local(src: impl AsRef<Path>, dst: impl AsRef<Path>) -> Result<Repository, Error> {
        use gix::refs::transaction::{Change, LogChange, PreviousValue, RefEdit};
        use gix::refs::{FullName, Target};
        let source = Repository::open(src.as_ref())?;
        let dst = dst.as_ref();
        let werr = |what: &str| {
            let what = what.to_owned();
            move |message: String| Error::Write { what, message }
        };
        let target =
            gix::init_bare(dst).map_err(|e| werr(&dst.display().to_string())(e.to_string()))?;
        let objects = std::fs::canonicalize(source.inner.objects.store_ref().path())
            .map_err(|e| werr("alternates")(e.to_string()))?;
        let info = target.git_dir().join("objects").join("info");
        std::fs::create_dir_all(&info).map_err(|e| werr("alternates")(e.to_string()))?;
        crate::git::write::write_atomic(
            &info.join("alternates"),
            format!("{}\n", objects.display()).as_bytes(),
        )
        .map_err(|e| werr("alternates")(e.to_string()))?;
        // Re-open so the object store sees the alternates.
        let target = Repository::open(target.git_dir())?;
        let mut edits = Vec::new();
        let refs = source.inner.references().map_err(read_err("references"))?;
        let all = refs.all().map_err(read_err("references"))?;
        for r in all {
            let mut r =
                r.map_err(|e| Error::Read { what: "references".into(), message: e.to_string() })?;
            let name = r.name().as_bstr().to_string();
            if !(name.starts_with("refs/heads/") || name.starts_with("refs/tags/")) {
                continue;
            }
            let id = r.follow_to_object().map_err(read_err(name.clone()))?;
            let full: FullName =
                name.as_str().try_into().map_err(|e: gix::validate::reference::name::Error| {
                    Error::Read { what: name.clone(), message: e.to_string() }
                })?;
            edits.push(RefEdit {
                change: Change::Update {
                    log: LogChange::default(),
                    expected: PreviousValue::Any,
                    new: Target::Object(id.detach()),
                },
                name: full,
                deref: false,
            });
        }
        if let Ok(Some(head)) = source.inner.head_name() {
            edits.push(RefEdit {
                change: Change::Update {
                    log: LogChange::default(),
                    expected: PreviousValue::Any,
                    new: Target::Symbolic(head),
                },
                name: "HEAD".try_into().map_err(|e: gix::validate::reference::name::Error| {
                    Error::Write { what: "HEAD".into(), message: e.to_string() }
                })?,
                deref: false,
            });
        }
        target.inner.edit_references(edits).map_err(|e| werr("references")(e.to_string()))?;
        Ok(target)
    }

    /// The working tree directory (`None` for a bare repository).
    pub fn workdir(&self) -> Option<&Path> {
        self.inner.workdir()
    }

    /// The `.git` directory (or the bare repository itself).
    pub fn git_dir(&self) -> &Path {
        self.inner.git_dir()
    }

    /// The commit a revision expression names (`main`, `v1.0.0`, `HEAD~2`, a full or short
    /// hash; tags are peeled), as 40 hex digits.
    pub fn rev_parse(&self, spec: &str) -> Result<String, Error> {
        let fail = |message: String| Error::Revision { spec: spec.to_owned(), message };
        let id = self.inner.rev_parse_single(spec).map_err(|e| fail(e.to_string()))?;
        let object = id.object().map_err(|e| fail(e.to_string()))?;
        let commit = object.peel_to_commit().map_err(|e| fail(e.to_string()))?;
        Ok(commit.id.to_string())
    }

    /// The underlying gix repository (gix is pinned at `=0.90.0`).
    pub fn gix(&self) -> &gix::Repository {
        &self.inner
    }

    fn find_ref_commit(&self, full: &str) -> Result<Option<(gix::ObjectId, i64)>, Error> {
        let Some(mut r) = self.inner.try_find_reference(full).map_err(read_err(full))? else {
            return Ok(None);
        };
        // Annotated tags are peeled; the time is always the commit's committer time (the
        // semver tie-break of fluxcd/pkg gogit uses the commit a tag resolves to).
        let direct = r.follow_to_object().map_err(read_err(full))?;
        let object = direct.object().map_err(read_err(full))?;
        let commit = object.peel_to_commit().map_err(read_err(full))?;
        let time = commit.time().map_err(read_err(full))?.seconds;
        Ok(Some((commit.id, time)))
    }
}

/// `GitRepository.spec.ref`: which commit to use. Resolution order (source-controller's
/// code, `fluxcd/pkg git/gogit`): `commit` > `name` > `tag` > `semver` > `branch`; with none
/// set, branch `master`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitRef {
    /// A branch name (`main`); combined with `commit`, the commit must be in its history.
    pub branch: Option<String>,
    /// A tag name (`v1.2.3`).
    pub tag: Option<String>,
    /// A semver range over the tags (`>=1.0.0 <2.0.0`).
    pub semver: Option<String>,
    /// A full reference name (`refs/heads/main`, `refs/pull/420/head`).
    pub name: Option<String>,
    /// A commit hash (40 hex digits).
    pub commit: Option<String>,
}

/// The outcome of [`resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The commit, 40 hex digits.
    pub commit: String,
    /// Flux's revision string (`main@sha1:<hex>`, `v1.2.3@sha1:<hex>`,
    /// `refs/heads/x@sha1:<hex>`, `sha1:<hex>`).
    pub revision: String,
}

/// The default branch when a `GitRef` names nothing (gogit's `DefaultBranch`).
pub const DEFAULT_BRANCH: &str = "master";

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

/// Resolve `git_ref` in `repo` the way source-controller does and produce Flux's revision.
///
/// ```no_run
/// use gitops_core::git::{GitRef, Repository, resolve};
/// let repo = Repository::open("/srv/repo").unwrap();
/// let r = resolve(&repo, &GitRef { semver: Some(">=1.0.0".into()), ..GitRef::default() });
/// ```
pub fn resolve(repo: &Repository, git_ref: &GitRef) -> Result<Resolved, Error> {
    let sha = |id: &gix::ObjectId| id.to_string();
    if let Some(commit) = nonempty(&git_ref.commit) {
        let fail = |message: String| Error::Commit { commit: commit.to_owned(), message };
        let id = gix::ObjectId::from_hex(commit.as_bytes()).map_err(|e| fail(e.to_string()))?;
        let object = repo.inner.find_object(id).map_err(|e| fail(e.to_string()))?;
        let found = object.peel_to_commit().map_err(|e| fail(e.to_string()))?;
        if found.id != id {
            return Err(fail("object is not a commit".into()));
        }
        let hex = sha(&id);
        return match nonempty(&git_ref.branch) {
            Some(branch) => {
                let (tip, _) = repo
                    .find_ref_commit(&format!("refs/heads/{branch}"))?
                    .ok_or_else(|| Error::Branch { branch: branch.to_owned() })?;
                if !reachable(repo, tip, id)? {
                    return Err(Error::CommitNotInBranch {
                        commit: commit.to_owned(),
                        branch: branch.to_owned(),
                    });
                }
                Ok(Resolved {
                    revision: format!("{branch}@{}", revision::digest(&hex)),
                    commit: hex,
                })
            }
            None => Ok(Resolved { revision: revision::digest(&hex), commit: hex }),
        };
    }
    if let Some(name) = nonempty(&git_ref.name) {
        let missing = || Error::Name { name: name.to_owned() };
        if !name.starts_with("refs/") {
            return Err(missing());
        }
        let (id, _) = repo.find_ref_commit(name)?.ok_or_else(missing)?;
        let hex = sha(&id);
        return Ok(Resolved {
            revision: format!("{name}@{}", revision::digest(&hex)),
            commit: hex,
        });
    }
    if let Some(tag) = nonempty(&git_ref.tag) {
        let full = format!("refs/tags/{tag}");
        let (id, _) =
            repo.find_ref_commit(&full)?.ok_or_else(|| Error::Tag { tag: tag.to_owned() })?;
        let hex = sha(&id);
        return Ok(Resolved { revision: revision::commit_string(&full, &hex), commit: hex });
    }
    if let Some(range) = nonempty(&git_ref.semver) {
        return resolve_semver(repo, range);
    }
    let branch = nonempty(&git_ref.branch).unwrap_or(DEFAULT_BRANCH);
    let full = format!("refs/heads/{branch}");
    let (id, _) =
        repo.find_ref_commit(&full)?.ok_or_else(|| Error::Branch { branch: branch.to_owned() })?;
    let hex = sha(&id);
    Ok(Resolved { revision: revision::commit_string(&full, &hex), commit: hex })
}

/// The highest tag satisfying `range`; equal versions (`1.0.0` and `v1.0.0`, or versions
/// differing only in build metadata) go to the tag whose commit has the latest committer
/// time (annotated tags are peeled first; the tagger time plays no part). Equal times keep
/// the first tag in reference-name order (Flux's order is then Go's random map order).
fn resolve_semver(repo: &Repository, range: &str) -> Result<Resolved, Error> {
    let constraints =
        Constraints::parse(range).map_err(|e| Error::SemverRange { message: e.to_string() })?;
    let refs = repo.inner.references().map_err(read_err("references"))?;
    let tags = refs.tags().map_err(read_err("references"))?;
    let mut best: Option<(Version, i64, String, gix::ObjectId)> = None;
    for r in tags {
        let r = r.map_err(|e| Error::Read { what: "tags".into(), message: e.to_string() })?;
        let full = r.name().as_bstr().to_string();
        let Some(name) = full.strip_prefix("refs/tags/") else { continue };
        let Ok(version) = Version::parse_tag(name) else { continue };
        if !constraints.check(&version) {
            continue;
        }
        let Some((id, time)) = repo.find_ref_commit(&full)? else { continue };
        let better = match &best {
            None => true,
            Some((v, t, _, _)) => match version.compare(v) {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Equal => time > *t,
                std::cmp::Ordering::Less => false,
            },
        };
        if better {
            best = Some((version, time, name.to_owned(), id));
        }
    }
    let (_, _, name, id) = best.ok_or_else(|| Error::NoSemverMatch { range: range.to_owned() })?;
    let hex = id.to_string();
    Ok(Resolved { revision: format!("{name}@{}", revision::digest(&hex)), commit: hex })
}

/// Whether `wanted` is `tip` or one of its ancestors (bounded breadth-first walk).
pub(crate) fn reachable(
    repo: &Repository,
    tip: gix::ObjectId,
    wanted: gix::ObjectId,
) -> Result<bool, Error> {
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = std::collections::VecDeque::from([tip]);
    while let Some(id) = queue.pop_front() {
        if id == wanted {
            return Ok(true);
        }
        if !seen.insert(id) || seen.len() > 10_000_000 {
            continue;
        }
        let commit = repo.inner.find_commit(id).map_err(read_err(id.to_string()))?;
        queue.extend(commit.parent_ids().map(|p| p.detach()));
    }
    Ok(false)
}
