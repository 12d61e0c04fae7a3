//! Rollback (feature `git`): what returning a cluster to an earlier revision would change,
//! and the commit that does it.
//!
//! | item | what |
//! |---|---|
//! | [`plan`] | render the cluster at HEAD and at REV, plan REV's render against HEAD's as the live state |
//! | [`Outcome`] | per Kustomization the change set (created / configured / deleted / unchanged), the diffs, the files to restore |
//! | [`commit`] | a commit on top of HEAD restoring REV's content of every file either render read, then [`verify`] |
//! | [`verify`] | whether the render at a commit equals an expected render, object by object, byte for byte |
//! | [`commit_message`] | `Rollback <cluster> to <short sha> (<REV>)`, the revisions and the changed files |
//!
//! **The change set.** HEAD's render is applied ([`workflow::apply_cluster`]) to an in-memory
//! cluster that starts empty; REV's render is then planned against it
//! ([`workflow::plan_cluster`], [`workflow::diff_cluster`]): what kustomize-controller would
//! do to a cluster running HEAD when the source moves to REV. A Kustomization only REV has
//! is planned like any other (everything `created`); one only HEAD has is deleted with its
//! objects garbage collected by its finalizer (`deleted` when `spec.prune` is on and the
//! object still carries its owner labels after REV is applied, else `skipped`).
//!
//! **The files.** Both renders read their revision through a [`Recording`] over a
//! [`TreeFs`]: every path either render read or probed is an input. The rollback commit
//! gives each input REV's content (a file REV lacks is deleted); every other file — other
//! clusters, docs, unrelated apps — keeps HEAD's content. A symlink at HEAD where REV has a
//! file is replaced by the file; directories, and symlinks REV has, are left alone (a
//! symlink is not restored); [`verify`] then tells whether the result renders as REV did.
//!
//! ```no_run
//! use gitops_core::git::{Author, Repository};
//! use gitops_core::rollback::{CommitOptions, Context, Options, commit, plan};
//! # fn builder() -> &'static dyn gitops_core::render::Builder { unimplemented!() }
//! let repo = Repository::discover(".").unwrap();
//! let ctx = Context { repo: &repo, cluster: "clusters/production", builder: builder() };
//! let options = Options::default();
//! let outcome = plan(&ctx, "HEAD~2", &options).unwrap();
//! for k in &outcome.kustomizations {
//!     println!("# Kustomization {} ({})\n{}", k.kustomization, k.status.as_str(), k.change_set);
//! }
//! if !outcome.renders_equal {
//!     let author = Author::parse("Ops <ops@example.com>").unwrap();
//!     let done = commit(&ctx, &outcome, &options, &CommitOptions::new(author)).unwrap();
//!     assert!(done.verification.equal);
//! }
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::cluster::{self, Applied, Cluster, Selector};
use crate::fs::{Access, FileSystem, Recording, clean};
use crate::git::{self, Author, Repository, TreeFs, commit_changes, revision};
use crate::inventory::{Inventory, Owner, PruneDecision, prune_decision};
use crate::plan::{Action, ChangeSet, ChangeSetEntry, compare_refs};
use crate::render::{self, Builder};
use crate::resource::{ObjectRef, Resource};
use crate::workflow::{self, ObjectDiff};
use crate::yaml::{Value, emit, json_roundtrip, to_kustomize_yaml};

/// Why a rollback could not be planned or committed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Opening, resolving (`unknown revision '<spec>': ...`) or writing Git objects failed.
    #[error(transparent)]
    Git(#[from] git::Error),
    /// The cluster path is not a repository-relative directory path.
    #[error("invalid cluster path '{path}': expected a directory relative to the repository root")]
    ClusterPath {
        /// The path given.
        path: String,
    },
    /// Rendering the cluster at one revision failed.
    #[error("rendering {cluster} at {revision}")]
    Render {
        /// The cluster path.
        cluster: String,
        /// `<short sha> (<spec>)`.
        revision: String,
        /// The render error.
        #[source]
        source: Box<render::Error>,
    },
    /// Applying HEAD's render to the in-memory cluster, or planning REV's, failed.
    #[error("planning the rollback ({stage})")]
    Workflow {
        /// `HEAD as the live state` or `REV against HEAD`.
        stage: &'static str,
        /// The workflow error.
        #[source]
        source: Box<workflow::Error>,
    },
    /// A rendered object cannot be printed as YAML (for the comparison of renders).
    #[error("{subject}: cannot print as YAML")]
    Emit {
        /// `Kind/namespace/name`.
        subject: String,
        /// The cause.
        #[source]
        source: crate::yaml::Error,
    },
    /// A file of a revision could not be read.
    #[error("reading {path} at {commit}")]
    ReadFile {
        /// The repository-relative path.
        path: String,
        /// The commit.
        commit: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The renders at HEAD and REV are equal: there is nothing to commit.
    #[error("nothing to roll back: the render of {cluster} at {target} equals the render at HEAD")]
    NothingToRollBack {
        /// The cluster path.
        cluster: String,
        /// `<short sha> (<spec>)`.
        target: String,
    },
    /// The renders differ, yet no file they read differs between the revisions.
    #[error(
        "the renders of {cluster} differ but no file they read differs between HEAD and {target}; nothing a rollback commit could restore"
    )]
    NoFileDiffers {
        /// The cluster path.
        cluster: String,
        /// `<short sha> (<spec>)`.
        target: String,
    },
    /// The branch name is not a valid reference name.
    #[error("invalid branch name '{branch}'")]
    BranchName {
        /// The name given.
        branch: String,
    },
    /// The target branch is checked out: committing there would leave the index and
    /// working tree showing the rollback reversed.
    #[error(
        "refusing to commit onto the checked-out branch '{branch}': its index and working tree would show the rollback reversed; commit to another branch (the default is rollback-<short sha>) and merge it with `git merge --ff-only`"
    )]
    CheckedOut {
        /// The branch.
        branch: String,
    },
    /// The target branch exists and does not point at HEAD.
    #[error(
        "branch '{branch}' already exists at {tip}, not at HEAD ({head}); choose another branch or delete it"
    )]
    BranchExists {
        /// The branch.
        branch: String,
        /// Its tip.
        tip: String,
        /// HEAD's commit.
        head: String,
    },
}

/// The inputs every step needs.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The repository (with a working tree or bare).
    pub repo: &'a Repository,
    /// The cluster directory, relative to the repository root (`clusters/production`).
    pub cluster: &'a str,
    /// Builds a Kustomization directory (`gitops_kustomize::flux::FluxBuilder`).
    pub builder: &'a dyn Builder,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context").field("repo", self.repo).field("cluster", &self.cluster).finish()
    }
}

/// Defaultable settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// The revision the cluster runs now (default `HEAD`).
    pub head: String,
    /// Where the trees are mounted (default: the working tree's path, so that paths in
    /// [`render::Options`] mean what they mean on disk; `/` for a bare repository).
    pub mount: Option<PathBuf>,
    /// The render settings (`root`, `objects`, `skip_unavailable_sources`, ...).
    pub render: render::Options,
}

impl Default for Options {
    fn default() -> Options {
        Options { head: "HEAD".into(), mount: None, render: render::Options::default() }
    }
}

/// A revision as given and as resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The expression given (`HEAD~2`, `v1.2.2`, a short hash).
    pub spec: String,
    /// The commit, 40 hex digits.
    pub commit: String,
    /// Flux's revision string: `<branch>@sha1:<hex>` or `<tag>@sha1:<hex>` when the
    /// expression is a branch or tag name, else `sha1:<hex>`.
    pub revision: String,
}

impl Revision {
    /// The first 7 hex digits of the commit.
    pub fn short(&self) -> &str {
        self.commit.get(..7).unwrap_or(&self.commit)
    }

    /// `<short sha> (<spec>)`, or only the short sha when the spec is a prefix of the hash.
    pub fn label(&self) -> String {
        if self.commit.starts_with(&self.spec) {
            self.short().to_owned()
        } else {
            format!("{} ({})", self.short(), self.spec)
        }
    }
}

/// What happens to a Kustomization as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Only REV renders it.
    Created,
    /// Only HEAD renders it: it is deleted and its objects garbage collected.
    Deleted,
    /// Both render it and its change set has changes.
    Changed,
    /// Both render it and nothing changes.
    Unchanged,
}

impl Status {
    /// `created`, `deleted`, `changed`, `unchanged`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Deleted => "deleted",
            Status::Changed => "changed",
            Status::Unchanged => "unchanged",
        }
    }
}

/// The rollback's effect on one Kustomization.
#[derive(Debug, Clone)]
pub struct KustomizationChange {
    /// `namespace/name`.
    pub kustomization: String,
    /// Created, deleted, changed or unchanged.
    pub status: Status,
    /// Flux's change set (apply entries, then prune entries; for a deleted Kustomization
    /// the garbage collection of its inventory).
    pub change_set: ChangeSet,
}

/// What the rollback commit does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    /// Both revisions have it, with different content.
    Modified,
    /// Only REV has it.
    Added,
    /// Only HEAD has it.
    Deleted,
}

impl FileAction {
    /// `git status --short`'s letter: `M`, `A`, `D`.
    pub fn letter(self) -> char {
        match self {
            FileAction::Modified => 'M',
            FileAction::Added => 'A',
            FileAction::Deleted => 'D',
        }
    }
}

/// One file the rollback commit changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    /// Modified, added or deleted.
    pub action: FileAction,
    /// REV's content (`None`: deleted).
    pub content: Option<Vec<u8>>,
}

/// The outcome of [`plan`].
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The cluster path.
    pub cluster: String,
    /// The revision the cluster runs now.
    pub head: Revision,
    /// The revision to return to.
    pub target: Revision,
    /// Whether the target is an ancestor of HEAD (a rollback to any commit is allowed).
    pub ancestor: bool,
    /// Whether both renders hold the same Kustomizations with byte-identical objects.
    pub renders_equal: bool,
    /// Per Kustomization: REV's in dependency order, then the ones only HEAD has.
    pub kustomizations: Vec<KustomizationChange>,
    /// Per changed object the unified diff (Secret values masked), in the same order.
    pub diffs: Vec<ObjectDiff>,
    /// The files the rollback commit changes, sorted by path.
    pub files: Vec<FileChange>,
    /// The render at HEAD.
    pub head_render: render::Outcome,
    /// The render at the target.
    pub target_render: render::Outcome,
}

impl Outcome {
    /// Whether any Kustomization's change set has a change.
    pub fn has_changes(&self) -> bool {
        self.kustomizations.iter().any(|k| k.change_set.has_changes())
    }
}

/// One rendered revision and what it read.
struct Side {
    revision: Revision,
    render: render::Outcome,
    accessed: BTreeMap<PathBuf, Access>,
    tree: TreeFs,
}

fn mount_of(repo: &Repository, options: &Options) -> PathBuf {
    let mount = match (&options.mount, repo.workdir()) {
        (Some(m), _) => m.clone(),
        (None, Some(w)) => std::fs::canonicalize(w).unwrap_or_else(|_| w.to_path_buf()),
        (None, None) => PathBuf::from("/"),
    };
    clean(&Path::new("/").join(mount))
}

fn cluster_dir(ctx: &Context<'_>, mount: &Path) -> Result<PathBuf, Error> {
    let bad = || Error::ClusterPath { path: ctx.cluster.to_owned() };
    let rel = ctx.cluster.trim_end_matches('/');
    let rel = rel.strip_prefix("./").unwrap_or(rel);
    if rel.starts_with('/') || rel.split('/').any(|c| c == ".." || c == ".git") {
        return Err(bad());
    }
    Ok(clean(&mount.join(rel)))
}

fn resolve(repo: &Repository, spec: &str) -> Result<Revision, Error> {
    let commit = repo.rev_parse(spec)?;
    let named = |prefix: &str| {
        repo.gix().try_find_reference(format!("{prefix}{spec}").as_str()).ok().flatten().is_some()
    };
    let revision = if spec != "HEAD" && (named("refs/heads/") || named("refs/tags/")) {
        format!("{spec}@{}", revision::digest(&commit))
    } else if spec == "HEAD" {
        match repo.gix().head_name() {
            Ok(Some(name)) => revision::commit_string(&name.as_bstr().to_string(), &commit),
            _ => revision::digest(&commit),
        }
    } else {
        revision::digest(&commit)
    };
    Ok(Revision { spec: spec.to_owned(), commit, revision })
}

fn render_side(
    ctx: &Context<'_>,
    revision: Revision,
    mount: &Path,
    options: &Options,
) -> Result<Side, Error> {
    let tree = TreeFs::new(ctx.repo, &revision.commit, mount)?;
    let recording = Recording::new(tree);
    let cluster = cluster_dir(ctx, mount)?;
    let render = render::render_cluster(&recording, &cluster, ctx.builder, &options.render)
        .map_err(|source| Error::Render {
            cluster: ctx.cluster.to_owned(),
            revision: revision.label(),
            source: Box::new(source),
        })?;
    let accessed = recording.accesses();
    Ok(Side { revision, render, accessed, tree: recording.into_inner() })
}

/// Render the cluster at [`Options::head`] and at `to` (any revision expression) and plan
/// what applying `to`'s render would do to a cluster running HEAD's (see the
/// [module docs](self)).
pub fn plan(ctx: &Context<'_>, to: &str, options: &Options) -> Result<Outcome, Error> {
    let mount = mount_of(ctx.repo, options);
    let head_rev = resolve(ctx.repo, &options.head)?;
    let target_rev = resolve(ctx.repo, to)?;
    let ancestor = {
        let id = |hex: &str| {
            gix::ObjectId::from_hex(hex.as_bytes())
                .map_err(|e| git::Error::Revision { spec: hex.to_owned(), message: e.to_string() })
        };
        git::reachable(ctx.repo, id(&head_rev.commit)?, id(&target_rev.commit)?)?
    };
    let head = render_side(ctx, head_rev, &mount, options)?;
    let target = render_side(ctx, target_rev, &mount, options)?;

    let mut live = MemCluster::default();
    workflow::apply_cluster(&head.render, &mut live).map_err(|source| Error::Workflow {
        stage: "HEAD as the live state",
        source: Box::new(source),
    })?;
    let plans = workflow::plan_cluster(&target.render, &live).map_err(|source| {
        Error::Workflow { stage: "REV against HEAD", source: Box::new(source) }
    })?;
    let mut diffs = workflow::diff_cluster(&plans, &live).map_err(|source| Error::Workflow {
        stage: "REV against HEAD",
        source: Box::new(source),
    })?;
    let mut after = live.clone();
    workflow::apply_cluster(&target.render, &mut after).map_err(|source| Error::Workflow {
        stage: "REV against HEAD",
        source: Box::new(source),
    })?;

    let mut kustomizations = Vec::new();
    for p in &plans {
        let in_head = head.render.kustomizations.iter().any(|k| k.key() == p.kustomization);
        let change_set = p.plan.change_set();
        let status = match (in_head, change_set.has_changes()) {
            (false, _) => Status::Created,
            (true, true) => Status::Changed,
            (true, false) => Status::Unchanged,
        };
        kustomizations.push(KustomizationChange {
            kustomization: p.kustomization.clone(),
            status,
            change_set,
        });
    }
    for ks in &head.render.kustomizations {
        if target.render.get(&ks.namespace, &ks.name).is_some() {
            continue;
        }
        let owner = Owner::new(&ks.name, &ks.namespace);
        let cluster_err = |source| Error::Workflow {
            stage: "REV against HEAD",
            source: Box::new(workflow::Error::Cluster { kustomization: ks.key(), source }),
        };
        let inventory = live.read_inventory(&owner).map_err(cluster_err)?.unwrap_or_default();
        let refs = inventory.refs().map_err(|e| Error::Workflow {
            stage: "REV against HEAD",
            source: Box::new(workflow::Error::Plan {
                kustomization: ks.key(),
                source: crate::plan::Error::Inventory(e),
            }),
        })?;
        let mut change_set = ChangeSet::default();
        for id in refs.into_iter().rev() {
            let action = if !ks.kustomization.spec.prune {
                Action::Skipped
            } else {
                match prune_decision(after.get(&id).map_err(cluster_err)?.as_ref(), Some(&owner)) {
                    PruneDecision::Gone | PruneDecision::Delete => Action::Deleted,
                    PruneDecision::Skip => Action::Skipped,
                }
            };
            if action == Action::Deleted
                && let Some(current) = live.get(&id).map_err(cluster_err)?
            {
                diffs.push(deleted_diff(&ks.key(), &id, &current));
            }
            change_set.entries.push(ChangeSetEntry::new(id, action));
        }
        kustomizations.push(KustomizationChange {
            kustomization: ks.key(),
            status: Status::Deleted,
            change_set,
        });
    }

    let renders_equal = render_texts(&head.render)? == render_texts(&target.render)?;
    let files = file_changes(&head, &target, &mount)?;
    Ok(Outcome {
        cluster: ctx.cluster.to_owned(),
        head: head.revision,
        target: target.revision,
        ancestor,
        renders_equal,
        kustomizations,
        diffs,
        files,
        head_render: head.render,
        target_render: target.render,
    })
}

fn deleted_diff(kustomization: &str, id: &ObjectRef, current: &Resource) -> ObjectDiff {
    let masked = crate::diff::mask_secret(current).into_value();
    let text = emit(&masked).unwrap_or_default();
    let subject = id.to_string();
    let unified = crate::diff::unified_text(
        &text,
        "",
        &format!("live/{subject}"),
        "/dev/null",
        crate::diff::Options::default().context,
    );
    ObjectDiff {
        kustomization: kustomization.to_owned(),
        subject,
        action: Action::Deleted,
        changes: vec![crate::diff::Change {
            path: String::new(),
            before: Some(masked),
            after: None,
        }],
        unified,
    }
}

/// Per Kustomization (`namespace/name`), each object's subject and its YAML as `gitops
/// render` prints it (Secret values masked).
type RenderTexts = Vec<(String, Vec<(String, String)>)>;

fn render_texts(outcome: &render::Outcome) -> Result<RenderTexts, Error> {
    let mut out = Vec::with_capacity(outcome.kustomizations.len());
    for ks in &outcome.kustomizations {
        let mut objects = Vec::with_capacity(ks.objects.len());
        for o in &ks.objects {
            let subject = crate::diff::subject(o);
            let masked = crate::diff::mask_secret(o);
            let text = to_kustomize_yaml(masked.value())
                .map_err(|source| Error::Emit { subject: subject.clone(), source })?;
            // The unmasked value takes part too: a changed Secret value is a difference.
            let raw = to_kustomize_yaml(o.value())
                .map_err(|source| Error::Emit { subject: subject.clone(), source })?;
            objects.push((subject, format!("{text}\0{:016x}", fnv(&raw))));
        }
        out.push((ks.key(), objects));
    }
    Ok(out)
}

/// FNV-1a: a deterministic fingerprint, so unmasked Secret values are compared without
/// being kept in the comparison text.
fn fnv(text: &str) -> u64 {
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// What a tree has at a path, for the restore.
enum Entry {
    /// A regular file reached without symlinks, and its content.
    File(Vec<u8>),
    /// Nothing.
    Absent,
    /// A directory: left alone.
    Dir,
    /// A path through a symlink: replaced by REV's file when REV has one there, never
    /// restored as a symlink (left alone when REV has the symlink).
    Link,
}

fn entry_at(tree: &TreeFs, path: &Path, rel: &str) -> Result<Entry, Error> {
    if !tree.exists(path) {
        return Ok(Entry::Absent);
    }
    if tree.is_dir(path) {
        return Ok(Entry::Dir);
    }
    if tree.canonicalize(path).ok().as_deref() != Some(path) {
        return Ok(Entry::Link);
    }
    tree.read_file(path).map(Entry::File).map_err(|source| Error::ReadFile {
        path: rel.to_owned(),
        commit: tree.commit().to_owned(),
        source,
    })
}

fn file_changes(head: &Side, target: &Side, mount: &Path) -> Result<Vec<FileChange>, Error> {
    let inputs: BTreeSet<&PathBuf> = head
        .accessed
        .iter()
        .chain(&target.accessed)
        .filter(|(_, a)| matches!(a, Access::Read | Access::Probed))
        .map(|(p, _)| p)
        .collect();
    let mut out = Vec::new();
    for path in inputs {
        let Ok(rel) = path.strip_prefix(mount) else { continue };
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        let Some(parts) = parts else { continue };
        if parts.is_empty() {
            continue;
        }
        let rel = parts.join("/");
        let change = match (entry_at(&target.tree, path, &rel)?, entry_at(&head.tree, path, &rel)?)
        {
            (Entry::File(t), Entry::File(h)) if t != h => Some((FileAction::Modified, Some(t))),
            (Entry::File(t), Entry::Link) => Some((FileAction::Modified, Some(t))),
            (Entry::File(t), Entry::Absent) => Some((FileAction::Added, Some(t))),
            (Entry::Absent, Entry::File(_)) => Some((FileAction::Deleted, None)),
            _ => None,
        };
        if let Some((action, content)) = change {
            out.push(FileChange { path: rel, action, content });
        }
    }
    Ok(out)
}

/// Settings of [`commit`].
#[derive(Debug, Clone)]
pub struct CommitOptions {
    /// The branch to create (or advance when it points at HEAD); default
    /// `rollback-<short sha of the target>`. The checked-out branch is refused.
    pub branch: Option<String>,
    /// The author and committer.
    pub author: Author,
    /// The subject line(s); default `Rollback <cluster> to <short sha> (<REV>)`.
    pub message: Option<String>,
}

impl CommitOptions {
    /// Default branch and message, this author.
    pub fn new(author: Author) -> CommitOptions {
        CommitOptions { branch: None, author, message: None }
    }
}

/// The outcome of [`commit`].
#[derive(Debug, Clone)]
pub struct Committed {
    /// The new commit, 40 hex digits (its parent is HEAD).
    pub commit: String,
    /// The branch it is on.
    pub branch: String,
    /// The commit message.
    pub message: String,
    /// Whether the render at the new commit equals the render at the target.
    pub verification: Verification,
}

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Same Kustomizations, same objects, byte-identical YAML.
    pub equal: bool,
    /// How many Kustomizations and objects were compared.
    pub kustomizations: usize,
    /// The objects compared.
    pub objects: usize,
    /// What differs, one line each (`Kustomization ns/name: only at ...`, `ns/name:
    /// <subject> differs`, ...); empty when equal.
    pub differences: Vec<String>,
}

/// The commit message: the subject (`message`, default `Rollback <cluster> to <short>
/// (<REV>)`), a blank line, the revisions in Flux's form, and one line per changed file
/// (`M`/`A`/`D` and the path).
///
/// ```
/// use gitops_core::rollback::{FileAction, FileChange, Revision, commit_message};
/// let rev = |spec: &str, hex: &str| Revision {
///     spec: spec.into(), commit: hex.repeat(40), revision: format!("sha1:{}", hex.repeat(40)),
/// };
/// let files = [FileChange { path: "apps/pdb.yaml".into(), action: FileAction::Added, content: None }];
/// let text = commit_message("clusters/prod", &rev("HEAD", "b"), &rev("HEAD~2", "a"), &files, None);
/// assert!(text.starts_with("Rollback clusters/prod to aaaaaaa (HEAD~2)\n\n"));
/// assert!(text.ends_with("\nA apps/pdb.yaml\n"));
/// ```
pub fn commit_message(
    cluster: &str,
    head: &Revision,
    target: &Revision,
    files: &[FileChange],
    message: Option<&str>,
) -> String {
    let subject = match message {
        Some(m) => m.trim_end().to_owned(),
        None => format!("Rollback {cluster} to {}", target.label()),
    };
    let mut out = format!(
        "{subject}\n\nRestore the files the render of {cluster} reads to\n{} ({}).\nEvery other file keeps its content at\n{} ({}).\n\n",
        target.revision, target.spec, head.revision, head.spec
    );
    for f in files {
        out.push_str(&format!("{} {}\n", f.action.letter(), f.path));
    }
    out
}

/// Commit the rollback planned by [`plan`]: a new commit whose parent is HEAD and whose
/// tree is HEAD's with [`Outcome::files`] restored, on `options.branch` (created; an
/// existing branch must point at HEAD; the checked-out branch is refused). The index and
/// working tree are not touched. The render at the new commit is then compared with the
/// render at the target ([`Committed::verification`]); a difference is reported there,
/// not hidden (a render at the new commit that fails is such a difference).
pub fn commit(
    ctx: &Context<'_>,
    outcome: &Outcome,
    options: &Options,
    commit: &CommitOptions,
) -> Result<Committed, Error> {
    if outcome.renders_equal {
        return Err(Error::NothingToRollBack {
            cluster: outcome.cluster.clone(),
            target: outcome.target.label(),
        });
    }
    if outcome.files.is_empty() {
        return Err(Error::NoFileDiffers {
            cluster: outcome.cluster.clone(),
            target: outcome.target.label(),
        });
    }
    let branch =
        commit.branch.clone().unwrap_or_else(|| format!("rollback-{}", outcome.target.short()));
    let full = format!("refs/heads/{branch}");
    if gix::refs::FullName::try_from(full.as_str()).is_err() || branch.is_empty() {
        return Err(Error::BranchName { branch });
    }
    if let Ok(Some(name)) = ctx.repo.gix().head_name()
        && ctx.repo.workdir().is_some()
        && name.as_bstr() == full.as_str()
    {
        return Err(Error::CheckedOut { branch });
    }
    if ctx.repo.gix().try_find_reference(full.as_str()).ok().flatten().is_some() {
        let tip = ctx.repo.rev_parse(&full)?;
        if tip != outcome.head.commit {
            return Err(Error::BranchExists { branch, tip, head: outcome.head.commit.clone() });
        }
    }
    let message = commit_message(
        &outcome.cluster,
        &outcome.head,
        &outcome.target,
        &outcome.files,
        commit.message.as_deref(),
    );
    let changes: Vec<(String, Option<Vec<u8>>)> =
        outcome.files.iter().map(|f| (f.path.clone(), f.content.clone())).collect();
    let id = commit_changes(
        ctx.repo,
        &branch,
        Some(&outcome.head.commit),
        &changes,
        &commit.author,
        &message,
    )?
    .ok_or_else(|| Error::NoFileDiffers {
        cluster: outcome.cluster.clone(),
        target: outcome.target.label(),
    })?;
    let verification = match verify(ctx, &id, &outcome.target_render, options) {
        Err(e @ Error::Render { .. }) => Verification {
            equal: false,
            kustomizations: outcome.target_render.kustomizations.len(),
            objects: outcome.target_render.kustomizations.iter().map(|k| k.objects.len()).sum(),
            differences: vec![crate::error_chain(&e)],
        },
        other => other?,
    };
    Ok(Committed { commit: id, branch, message, verification })
}

/// Render the cluster at `commit` and compare it with `expected`: the same Kustomizations
/// in the same order, each with the same objects in the same order, byte-identical YAML.
pub fn verify(
    ctx: &Context<'_>,
    commit: &str,
    expected: &render::Outcome,
    options: &Options,
) -> Result<Verification, Error> {
    let mount = mount_of(ctx.repo, options);
    let rev = resolve(ctx.repo, commit)?;
    let side = render_side(ctx, rev, &mount, options)?;
    let got = render_texts(&side.render)?;
    let want = render_texts(expected)?;
    let mut differences = Vec::new();
    let got_map: BTreeMap<&str, &Vec<(String, String)>> =
        got.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let want_map: BTreeMap<&str, &Vec<(String, String)>> =
        want.iter().map(|(k, v)| (k.as_str(), v)).collect();
    for (key, objects) in &want {
        let Some(have) = got_map.get(key.as_str()) else {
            differences.push(format!("Kustomization {key}: missing"));
            continue;
        };
        let have_map: BTreeMap<&str, &str> =
            have.iter().map(|(s, t)| (s.as_str(), t.as_str())).collect();
        let want_objects: BTreeMap<&str, &str> =
            objects.iter().map(|(s, t)| (s.as_str(), t.as_str())).collect();
        for (subject, text) in objects {
            match have_map.get(subject.as_str()) {
                None => differences.push(format!("{key}: {subject} missing")),
                Some(t) if *t != text => differences.push(format!("{key}: {subject} differs")),
                Some(_) => {}
            }
        }
        for (subject, _) in have.iter() {
            if !want_objects.contains_key(subject.as_str()) {
                differences.push(format!("{key}: {subject} not expected"));
            }
        }
        if differences.is_empty() && *have != objects {
            differences.push(format!("{key}: objects in another order"));
        }
    }
    for (key, _) in &got {
        if !want_map.contains_key(key.as_str()) {
            differences.push(format!("Kustomization {key}: not expected"));
        }
    }
    if differences.is_empty() && got.iter().map(|(k, _)| k).ne(want.iter().map(|(k, _)| k)) {
        differences.push("Kustomizations in another order".into());
    }
    Ok(Verification {
        equal: differences.is_empty(),
        kustomizations: want.len(),
        objects: want.iter().map(|(_, o)| o.len()).sum(),
        differences,
    })
}

/// The live state of the plan: HEAD's render applied, in memory.
#[derive(Debug, Clone, Default)]
struct MemCluster {
    /// By `group/kind/namespace/name`.
    objects: BTreeMap<(String, String, String, String), Resource>,
    /// By `namespace/name` of the Kustomization.
    inventories: BTreeMap<String, Inventory>,
}

fn key_of(id: &ObjectRef) -> (String, String, String, String) {
    (id.group.clone(), id.kind.clone(), id.namespace.clone(), id.name.clone())
}

impl Cluster for MemCluster {
    fn get(&self, id: &ObjectRef) -> Result<Option<Resource>, cluster::Error> {
        Ok(self.objects.get(&key_of(id)).cloned())
    }

    fn list(&self, selector: &Selector) -> Result<Vec<Resource>, cluster::Error> {
        let mut out: Vec<Resource> = self
            .objects
            .values()
            .filter(|r| match selector {
                Selector::All => true,
                Selector::Owner(owner) => owner.owns(r),
            })
            .cloned()
            .collect();
        out.sort_by(|a, b| compare_refs(&a.object_ref(), &b.object_ref()));
        Ok(out)
    }

    fn apply(&mut self, object: &Resource, dry_run: bool) -> Result<Applied, cluster::Error> {
        let id = object.object_ref();
        let subject = id.to_string();
        let mut value = object.value().clone();
        // The API server never stores a null creationTimestamp.
        if let Some(meta) = value.get_mut("metadata").and_then(Value::as_map_mut)
            && meta.get("creationTimestamp").is_some_and(Value::is_null)
        {
            meta.shift_remove("creationTimestamp");
        }
        let stored = json_roundtrip(&value)
            .map_err(|source| cluster::Error::Emit { subject: subject.clone(), source })?;
        let text = emit(&stored)
            .map_err(|source| cluster::Error::Emit { subject: subject.clone(), source })?;
        let key = key_of(&id);
        let action = match self.objects.get(&key) {
            None => Action::Created,
            Some(old) if emit(old.value()).ok().as_deref() == Some(text.as_str()) => {
                Action::Unchanged
            }
            Some(_) => Action::Configured,
        };
        let stored = Resource::new(stored);
        if !dry_run {
            self.objects.insert(key, stored.clone());
        }
        Ok(Applied { action, object: stored })
    }

    fn delete(&mut self, id: &ObjectRef, dry_run: bool) -> Result<bool, cluster::Error> {
        let key = key_of(id);
        if dry_run {
            return Ok(self.objects.contains_key(&key));
        }
        Ok(self.objects.remove(&key).is_some())
    }

    fn read_inventory(&self, owner: &Owner) -> Result<Option<Inventory>, cluster::Error> {
        Ok(self.inventories.get(&owner.to_string()).cloned())
    }

    fn write_inventory(
        &mut self,
        owner: &Owner,
        inventory: &Inventory,
        dry_run: bool,
    ) -> Result<(), cluster::Error> {
        if !dry_run {
            self.inventories.insert(owner.to_string(), inventory.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revision_label_table() {
        let hex = "0123456789abcdef0123456789abcdef01234567";
        let cases = [
            ("HEAD~2", "0123456 (HEAD~2)"),
            ("v1.2.2", "0123456 (v1.2.2)"),
            ("0123456", "0123456"),
            (hex, "0123456"),
        ];
        for (spec, want) in cases {
            let r = Revision { spec: spec.into(), commit: hex.into(), revision: String::new() };
            assert_eq!(r.label(), want, "{spec}");
        }
    }

    #[test]
    fn cluster_path_table() {
        struct NoBuild;
        impl Builder for NoBuild {
            fn build(
                &self,
                _: &dyn FileSystem,
                _: &Path,
                _: &crate::flux::Kustomization,
            ) -> Result<Vec<Resource>, render::BuildError> {
                Ok(Vec::new())
            }
        }
        let dir = std::env::temp_dir().join(format!("gitops-rollback-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let repo = gix::init(&dir).unwrap();
        drop(repo);
        let repo = Repository::open(&dir).unwrap();
        let cases = [
            ("clusters/prod", Some("/m/clusters/prod")),
            ("./clusters/prod/", Some("/m/clusters/prod")),
            ("/etc", None),
            ("clusters/../../x", None),
            (".git/x", None),
        ];
        for (path, want) in cases {
            let ctx = Context { repo: &repo, cluster: path, builder: &NoBuild };
            let got = cluster_dir(&ctx, Path::new("/m")).ok();
            assert_eq!(got, want.map(PathBuf::from), "{path}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn mem_cluster_actions() {
        let parse = |t: &str| {
            Resource::new(
                crate::yaml::parse_values(t, crate::yaml::Profile::ApiServer, &Default::default())
                    .unwrap()
                    .remove(0),
            )
        };
        let a = parse(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n  creationTimestamp: null\ndata:\n  k: \"1\"\n",
        );
        let b = parse(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\ndata:\n  k: \"2\"\n",
        );
        let mut c = MemCluster::default();
        assert_eq!(c.apply(&a, true).unwrap().action, Action::Created);
        assert!(c.get(&a.object_ref()).unwrap().is_none());
        assert_eq!(c.apply(&a, false).unwrap().action, Action::Created);
        assert_eq!(c.apply(&a, false).unwrap().action, Action::Unchanged);
        assert_eq!(c.apply(&b, false).unwrap().action, Action::Configured);
        let stored = c.get(&a.object_ref()).unwrap().unwrap();
        assert!(stored.value().get_path(&["metadata", "creationTimestamp"]).is_none());
        assert_eq!(c.list(&Selector::All).unwrap().len(), 1);
        assert!(c.delete(&a.object_ref(), false).unwrap());
        assert!(!c.delete(&a.object_ref(), false).unwrap());
    }
}
