//! `gitops artifact`: source-controller's artifact of a Git revision (thin layer over
//! `gitops_core::artifact::Artifact::from_revision`): prints the revision in Flux's form,
//! the `sha256:` digest and the size; `--out FILE` stores the tar.gz atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use gitops_core::artifact::Artifact;
use gitops_core::git::{Repository, revision};

/// The arguments of `gitops artifact`.
#[derive(clap::Args)]
pub struct Args {
    /// The repository (a working tree, anywhere inside one, or a bare repository).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
    /// The revision to archive: a branch, tag, `HEAD~2`, a hash.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub rev: String,
    /// `spec.ignore`: extra `.sourceignore` patterns (newline-separated), after the files'.
    #[arg(long, value_name = "TEXT")]
    pub ignore: Option<String>,
    /// Write the tar.gz here (a temp file in the same directory, fsync, rename).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Flux's revision string for `rev`: `<branch>@sha1:<hex>` for a branch (or `HEAD` on a
/// branch), `<tag>@sha1:<hex>` for a tag, the full name for a `refs/...` name (as for
/// `spec.ref.name`), `sha1:<hex>` for anything else (a hash, `HEAD~1`).
fn flux_revision(repo: &Repository, rev: &str, commit: &str) -> String {
    let git = repo.gix();
    if rev.starts_with("refs/") && git.try_find_reference(rev).ok().flatten().is_some() {
        return format!("{rev}@{}", revision::digest(commit));
    }
    let named = if rev == "HEAD" {
        git.head_name().ok().flatten().map(|n| n.as_bstr().to_string())
    } else {
        ["refs/heads/", "refs/tags/"]
            .iter()
            .map(|p| format!("{p}{rev}"))
            .find(|full| git.try_find_reference(full.as_str()).ok().flatten().is_some())
    };
    revision::commit_string(named.as_deref().unwrap_or(""), commit)
}

/// Run `gitops artifact`.
pub fn run(args: Args) -> super::Result<ExitCode> {
    let repo = Repository::discover(&args.repo)?;
    let commit = repo.rev_parse(&args.rev)?;
    let artifact = Artifact::from_revision(&repo, &commit, args.ignore.as_deref())?;
    if let Some(out) = &args.out {
        artifact.write_to(out)?;
    }
    super::write_stdout(&format!(
        "revision: {}\ndigest: {}\nsize: {}\n",
        flux_revision(&repo, &args.rev, &commit),
        artifact.digest,
        artifact.bytes.len()
    ))?;
    Ok(ExitCode::SUCCESS)
}
