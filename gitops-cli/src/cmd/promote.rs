//! `gitops promote --from ENV --to ENV APP`: give one environment exactly what another runs
//! for APP (images, chart versions, named values, ResourceSet inputs), as a diff and a commit
//! on a new branch.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use gitops_core::fs::{FileSystem, RealFs};
use gitops_core::git::{Author, Repository, TreeFs};
use gitops_core::promote::{self, Promotion, ValueSpec};

use super::{Result, json_text, write_stdout};

/// The author of promotion commits when `--author` is not given.
const DEFAULT_AUTHOR: &str = "gitops promote <gitops@localhost>";

/// Arguments of `gitops promote`.
#[derive(clap::Args)]
pub struct Args {
    /// The environment to promote from (a directory under `--clusters`).
    #[arg(long, value_name = "ENV")]
    from: String,
    /// The environment to promote to.
    #[arg(long, value_name = "ENV")]
    to: String,
    /// The application: a Flux Kustomization, a HelmRelease, or a ResourceSet named APP or
    /// APP-<env>.
    app: String,
    /// The repository (default: the one containing the current directory).
    #[arg(long, value_name = "DIR")]
    repo: Option<PathBuf>,
    /// The fleet's root, where Flux Kustomization paths start (default: the repository's
    /// working tree root; a subdirectory for a fleet kept inside a larger repository).
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// The directory of the environments, relative to the root.
    #[arg(long, value_name = "DIR", default_value = "clusters")]
    clusters: PathBuf,
    /// Also promote this value: `Kind/name:/json/pointer` (repeatable).
    #[arg(long = "value", value_name = "SPEC", value_parser = parse_value)]
    values: Vec<ValueSpec>,
    /// The branch to commit on (default `promote-<app>-<to>-<version>`); it must not exist.
    #[arg(long, value_name = "NAME")]
    branch: Option<String>,
    /// Print the changes and the diff only.
    #[arg(long, conflicts_with = "write")]
    dry_run: bool,
    /// Write the edited files into the working tree (atomically) instead of committing.
    #[arg(long)]
    write: bool,
    /// The commit author, `Name <email>`.
    #[arg(long, value_name = "NAME <EMAIL>", default_value = DEFAULT_AUTHOR)]
    author: String,
    /// The commit message (default: `promote <app> from <from> to <to>` and one line per change).
    #[arg(long, value_name = "TEXT")]
    message: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_value(text: &str) -> std::result::Result<ValueSpec, String> {
    ValueSpec::parse(text).map_err(|e| e.to_string())
}

/// The summary lines and the diff.
fn text(p: &Promotion) -> String {
    if p.is_empty() {
        return format!(
            "Nothing to promote: {} in '{}' already runs what '{}' runs\n",
            p.app, p.to, p.from
        );
    }
    let mut out = format!("Promote {} from {} to {}:\n", p.app, p.from, p.to);
    for c in &p.changes {
        out.push_str(&format!("  {c}\n"));
    }
    out.push('\n');
    out.push_str(&p.diff());
    out
}

/// Run `gitops promote`.
pub fn run(args: Args) -> Result<ExitCode> {
    let start = match &args.repo {
        Some(r) => r.clone(),
        None => std::env::current_dir()?,
    };
    let repo = Repository::discover(&start)?;
    let workdir = repo.workdir().ok_or_else(|| {
        format!("{}: a bare repository has no working tree", repo.git_dir().display())
    })?;
    let workdir = std::fs::canonicalize(workdir)?;
    let root = match &args.root {
        Some(r) => std::fs::canonicalize(r).map_err(|e| format!("--root {}: {e}", r.display()))?,
        None => workdir.clone(),
    };
    // The root's place in the repository, `/`-terminated (empty at the top).
    let prefix = match root.strip_prefix(&workdir) {
        Ok(rel) if rel.as_os_str().is_empty() => String::new(),
        Ok(rel) => {
            let parts: Option<Vec<&str>> =
                rel.components().map(|c| c.as_os_str().to_str()).collect();
            parts.ok_or_else(|| format!("{}: not a UTF-8 path", rel.display()))?.join("/") + "/"
        }
        Err(_) => {
            return Err(format!(
                "--root {}: not inside the repository's working tree {}",
                root.display(),
                workdir.display()
            )
            .into());
        }
    };
    let options = promote::Options {
        clusters: args.clusters.clone(),
        values: args.values.clone(),
        ..promote::Options::default()
    };
    let builder = gitops_kustomize::flux::FluxBuilder::default();
    let committing = !args.dry_run && !args.write;
    // A commit is made from HEAD, so it is computed on HEAD's tree; --write and --dry-run
    // work on the files of the working tree.
    let tree;
    let fs: &dyn FileSystem = if committing {
        let head = repo.rev_parse("HEAD")?;
        tree = TreeFs::new(&repo, &head, &workdir)?;
        &tree
    } else {
        &RealFs
    };
    let p = promote::promote(fs, &builder, &root, &args.from, &args.to, &args.app, &options)?;
    let mut committed = None;
    let branch = args.branch.clone().unwrap_or_else(|| p.branch_name());
    if !p.is_empty() {
        if args.write {
            write_files(&root, &p)?;
        } else if committing {
            let author = Author::parse(&args.author)
                .ok_or_else(|| format!("--author '{}': expected 'Name <email>'", args.author))?;
            // Commits take paths from the repository's top.
            let mut in_repo = p.clone();
            for e in &mut in_repo.edits {
                e.path = format!("{prefix}{}", e.path);
            }
            for c in &mut in_repo.changes {
                c.file = format!("{prefix}{}", c.file);
            }
            committed = promote::commit(
                &repo,
                &in_repo,
                &branch,
                "HEAD",
                &author,
                args.message.as_deref(),
            )?;
        }
    }
    let out = match args.output {
        Format::Text => {
            let mut out = text(&p);
            if let Some(id) = &committed {
                out.push_str(&format!("Committed {id} on branch {branch}\n"));
            } else if args.write && !p.is_empty() {
                let files: Vec<&str> = p.edits.iter().map(|e| e.path.as_str()).collect();
                out.push_str(&format!("Wrote {}\n", files.join(", ")));
            }
            out
        }
        Format::Json => json_text(&serde_json::json!({
            "from": p.from,
            "to": p.to,
            "app": p.app,
            "changes": p.changes,
            "files": p.edits.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
            "diff": p.diff(),
            "branch": committed.as_ref().map(|_| branch.as_str()),
            "commit": committed,
            "written": args.write && !p.is_empty(),
        }))?,
    };
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Write the edited files; each must still hold the text the promotion was computed from,
/// and every check passes before the first file is written.
fn write_files(root: &Path, p: &Promotion) -> Result<()> {
    for e in &p.edits {
        let path = root.join(&e.path);
        let now = std::fs::read_to_string(&path).map_err(|err| format!("{}: {err}", e.path))?;
        if now != e.old {
            return Err(format!("{}: changed while the promotion was computed", e.path).into());
        }
    }
    for e in &p.edits {
        gitops_core::image::setters::write_atomic(&root.join(&e.path), e.new.as_bytes())?;
    }
    Ok(())
}
