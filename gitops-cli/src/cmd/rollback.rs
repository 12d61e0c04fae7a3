//! `gitops rollback CLUSTER_PATH --to REV [--commit]`: the change set of returning a
//! cluster to an earlier revision, and the commit that does it.

use std::process::ExitCode;

use clap::ValueEnum;
use gitops_core::rollback::{self, CommitOptions, Context, Outcome};

use super::{Result, change_set_text, json_text, read_objects, write_stdout};

/// Arguments of `gitops rollback`.
#[derive(clap::Args)]
pub struct Args {
    /// The cluster path (as for `gitops render`), e.g. `clusters/production`.
    #[arg(required_unless_present = "cluster", conflicts_with = "cluster")]
    cluster_path: Option<std::path::PathBuf>,
    /// The cluster path, as an option.
    #[arg(long, value_name = "PATH")]
    cluster: Option<std::path::PathBuf>,
    /// The revision to return to: a hash (short or full), tag, branch, `HEAD~2`, ...
    #[arg(long, value_name = "REV")]
    to: String,
    /// The checkout root the cluster's own GitRepository maps to (default: found from the
    /// flux-system Kustomization's `spec.path`).
    #[arg(long)]
    root: Option<std::path::PathBuf>,
    /// A YAML file of objects that exist in the cluster but not in Git (repeatable).
    #[arg(long = "objects", value_name = "FILE")]
    objects: Vec<std::path::PathBuf>,
    /// Leave out Kustomizations whose source is not available offline.
    #[arg(long)]
    skip_unavailable_sources: bool,
    /// Also list unchanged and skipped objects.
    #[arg(long)]
    all: bool,
    /// Also print the unified diff of every changed object (Secret values masked).
    #[arg(long)]
    diff: bool,
    /// Exit with status 2 when the rollback changes something (as `gitops plan`).
    #[arg(long)]
    exit_code: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: Format,
    /// Create the rollback commit (on a new branch, `rollback-<short sha>` by default).
    #[arg(long)]
    commit: bool,
    /// The branch to commit to (created from HEAD; an existing one must point at HEAD;
    /// the checked-out branch is refused).
    #[arg(long, requires = "commit")]
    branch: Option<String>,
    /// The commit author (and committer), `Name <email>`.
    #[arg(long, default_value = "gitops <gitops@localhost>", requires = "commit")]
    author: String,
    /// The subject of the commit message (default `Rollback <cluster> to <sha> (<REV>)`);
    /// the revisions and the changed files follow.
    #[arg(long, requires = "commit")]
    message: Option<String>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// The repository containing `path` and `path` relative to its root (`/`-separated).
fn locate(path: &std::path::Path) -> Result<(gitops_core::git::Repository, String)> {
    let found = super::in_repo(path)?;
    let rel = found.path.strip_prefix(&found.workdir).unwrap_or(std::path::Path::new(""));
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    let parts = parts.ok_or_else(|| format!("{}: not a UTF-8 path", rel.display()))?;
    Ok((found.repo, parts.join("/")))
}

fn text_output(outcome: &Outcome, all: bool) -> String {
    let mut out = format!(
        "Rollback {} from {} to {}\n",
        outcome.cluster,
        outcome.head.label(),
        outcome.target.label()
    );
    let sets = outcome.kustomizations.iter().map(|k| {
        let key = match k.status {
            rollback::Status::Created | rollback::Status::Deleted => {
                format!("{} ({})", k.kustomization, k.status.as_str())
            }
            _ => k.kustomization.clone(),
        };
        (key, k.change_set.clone())
    });
    out.push_str(&change_set_text(sets, all));
    if !outcome.files.is_empty() {
        out.push_str("Files restored to ");
        out.push_str(outcome.target.short());
        out.push_str(":\n");
        for f in &outcome.files {
            out.push_str(&format!("  {} {}\n", f.action.letter(), f.path));
        }
    }
    out
}

fn json_output(outcome: &Outcome, diff: bool) -> Result<String> {
    let rev = |r: &rollback::Revision| serde_json::json!({"spec": r.spec, "commit": r.commit, "revision": r.revision});
    let ks: Vec<_> = outcome
        .kustomizations
        .iter()
        .map(|k| {
            let entries: Vec<_> = k
                .change_set
                .entries
                .iter()
                .map(|e| serde_json::json!({"subject": e.subject, "action": e.action.as_str()}))
                .collect();
            serde_json::json!({
                "kustomization": k.kustomization,
                "status": k.status.as_str(),
                "changes": entries,
            })
        })
        .collect();
    let files: Vec<_> = outcome
        .files
        .iter()
        .map(|f| serde_json::json!({"path": f.path, "action": f.action.letter().to_string()}))
        .collect();
    let mut value = serde_json::json!({
        "cluster": outcome.cluster,
        "head": rev(&outcome.head),
        "target": rev(&outcome.target),
        "ancestor": outcome.ancestor,
        "rendersEqual": outcome.renders_equal,
        "kustomizations": ks,
        "files": files,
    });
    if diff && let Some(map) = value.as_object_mut() {
        let diffs: Vec<_> = outcome
            .diffs
            .iter()
            .map(|d| {
                serde_json::json!({
                    "kustomization": d.kustomization,
                    "object": d.subject,
                    "action": d.action.as_str(),
                    "diff": d.unified,
                })
            })
            .collect();
        map.insert("diffs".into(), serde_json::Value::Array(diffs));
    }
    json_text(&value)
}

/// Run `gitops rollback`.
pub fn run(args: Args) -> Result<ExitCode> {
    let path = args.cluster_path.clone().or(args.cluster.clone()).unwrap_or_default();
    let (repo, cluster) = locate(&path)?;
    let builder = gitops_kustomize::flux::FluxBuilder::default();
    let ctx = Context { repo: &repo, cluster: &cluster, builder: &builder };
    let options = rollback::Options {
        render: gitops_core::render::Options {
            root: args.root.clone(),
            objects: read_objects(&args.objects)?,
            skip_unavailable_sources: args.skip_unavailable_sources,
            ..gitops_core::render::Options::default()
        },
        ..rollback::Options::default()
    };
    let outcome = rollback::plan(&ctx, &args.to, &options)?;
    for s in outcome.head_render.skipped.iter().chain(&outcome.target_render.skipped) {
        eprintln!("Warning: Kustomization '{}' skipped: {}", s.kustomization, s.reason);
    }
    if !outcome.ancestor {
        eprintln!(
            "Note: {} is not an ancestor of HEAD ({}); rolling back to it anyway",
            outcome.target.label(),
            outcome.head.short()
        );
    }
    let mut text = match args.output {
        Format::Text => {
            let mut t = text_output(&outcome, args.all);
            if args.diff {
                t.extend(outcome.diffs.iter().map(|d| d.unified.as_str()));
            }
            t
        }
        Format::Json => json_output(&outcome, args.diff)?,
    };
    let changed = outcome.has_changes() || !outcome.renders_equal;
    if outcome.renders_equal {
        let note = format!(
            "Nothing to roll back: the render of {} at {} equals the render at HEAD ({})\n",
            outcome.cluster,
            outcome.target.label(),
            outcome.head.short()
        );
        if args.output == Format::Text {
            text.push_str(&note);
        } else {
            eprint!("{note}");
        }
        write_stdout(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.commit {
        let author = gitops_core::git::Author::parse(&args.author)
            .ok_or_else(|| format!("--author {:?}: expected `Name <email>`", args.author))?;
        let commit_options =
            CommitOptions { branch: args.branch.clone(), author, message: args.message.clone() };
        let done = rollback::commit(&ctx, &outcome, &options, &commit_options)?;
        let short = done.commit.get(..7).unwrap_or(&done.commit);
        let v = &done.verification;
        let report = format!(
            "Committed {short} on branch {} (parent {}): {} file(s) restored\n",
            done.branch,
            outcome.head.short(),
            outcome.files.len()
        );
        if !v.equal {
            if args.output == Format::Text {
                write_stdout(&text)?;
            }
            return Err(format!(
                "{}the render of {} at {short} does NOT equal its render at {}: {}; the commit is left on branch {} for inspection (delete it with `git branch -D {}`)",
                report,
                outcome.cluster,
                outcome.target.label(),
                v.differences.join("; "),
                done.branch,
                done.branch
            )
            .into());
        }
        let verified = format!(
            "Verified: the render of {} at {short} equals its render at {} ({} Kustomizations, {} objects, byte-identical)\n",
            outcome.cluster,
            outcome.target.label(),
            v.kustomizations,
            v.objects
        );
        if args.output == Format::Text {
            text.push_str(&report);
            text.push_str(&verified);
        } else {
            eprint!("{report}{verified}");
        }
    }
    write_stdout(&text)?;
    Ok(if changed && args.exit_code { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
