//! The subcommands, one module each, and what they share: the result type, writing to
//! stdout, error chains and colour selection.

pub mod apply;
pub mod artifact;
pub mod build;
pub mod deps;
pub mod diff;
pub mod health;
pub mod images;
pub mod plan;
pub mod promote;
pub mod render;
pub mod rollback;
pub mod tags;

use std::io::{IsTerminal, Write};

use clap::ValueEnum;

/// What every command returns: its exit code, or an error printed as `Error: ...`.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Write `text` to stdout. A closed pipe (`gitops render ... | head`) is not an error.
pub fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// The message of `e` followed by its causes, `: `-separated; a cause whose text the
/// message already shows is not repeated.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    gitops_core::error_chain(e)
}

/// `--color`.
#[derive(Clone, Copy, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour stdout.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Auto => std::io::stdout().is_terminal(),
            ColorChoice::Always => true,
            ColorChoice::Never => false,
        }
    }
}

/// Pretty JSON of `value` with a final newline.
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

/// The arguments every cluster command shares: the cluster path and where its sources are.
#[derive(clap::Args)]
pub struct ClusterArgs {
    /// The cluster path (the directory with the flux-system Kustomization, e.g.
    /// `examples/clusters/production`).
    pub cluster_path: std::path::PathBuf,
    /// The checkout root the cluster's own GitRepository maps to (default: found from the
    /// flux-system Kustomization's `spec.path`).
    #[arg(long)]
    pub root: Option<std::path::PathBuf>,
    /// The directory of another source, `KIND/NAMESPACE/NAME=DIR` (repeatable).
    #[arg(long = "source", value_name = "KIND/NS/NAME=DIR", value_parser = parse_source)]
    pub sources: Vec<(String, std::path::PathBuf)>,
    /// A YAML file of objects that exist in the cluster but not in Git, such as the
    /// ConfigMaps and Secrets of `substituteFrom` (repeatable).
    #[arg(long = "objects", value_name = "FILE")]
    pub objects: Vec<std::path::PathBuf>,
    /// Leave out Kustomizations whose source is not available offline (a warning on
    /// stderr names each) instead of failing.
    #[arg(long)]
    pub skip_unavailable_sources: bool,
    /// Render the cluster as it is at this Git revision (a branch, tag, `HEAD~2`, a hash),
    /// read from the repository containing the cluster path without touching the working
    /// tree. Other paths (`--root`, `--source`) inside that repository are read at the
    /// revision too.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

/// A path inside a Git working tree: the repository, its working tree and the path
/// (absolute, symlinks of the existing part resolved). The path need not exist in the
/// working tree (it may exist only at some revision): the repository is discovered from
/// its deepest existing ancestor.
pub struct InRepo {
    /// The repository.
    pub repo: gitops_core::git::Repository,
    /// Its working tree (canonical).
    pub workdir: std::path::PathBuf,
    /// The path.
    pub path: std::path::PathBuf,
}

/// Find the repository containing `path` (see [`InRepo`]).
pub fn in_repo(path: &std::path::Path) -> Result<InRepo> {
    let absolute = gitops_core::fs::clean(&std::env::current_dir()?.join(path));
    let mut existing = absolute.clone();
    while !existing.exists() {
        if !existing.pop() {
            break;
        }
    }
    let repo = gitops_core::git::Repository::discover(&existing)?;
    let workdir = repo.workdir().ok_or_else(|| {
        format!("{}: a bare repository has no working tree path to map", repo.git_dir().display())
    })?;
    let workdir = std::fs::canonicalize(workdir)?;
    let rest = absolute.strip_prefix(&existing).unwrap_or(std::path::Path::new(""));
    let path = std::fs::canonicalize(&existing)?.join(rest);
    if !path.starts_with(&workdir) {
        return Err(format!(
            "{}: not inside the repository's working tree {}",
            path.display(),
            workdir.display()
        )
        .into());
    }
    Ok(InRepo { repo, workdir, path })
}

/// The tree of `rev` in the repository containing `cluster_path`, mounted at the working
/// tree's own path, and the cluster path (absolute, symlinks of the existing part resolved)
/// to render from it.
pub fn tree_at_revision(
    cluster_path: &std::path::Path,
    rev: &str,
) -> Result<(gitops_core::git::TreeFs, std::path::PathBuf)> {
    let found = in_repo(cluster_path)?;
    let commit = found.repo.rev_parse(rev)?;
    let fs = gitops_core::git::TreeFs::new(&found.repo, &commit, &found.workdir)?;
    Ok((fs, found.path))
}

fn parse_source(text: &str) -> std::result::Result<(String, std::path::PathBuf), String> {
    match text.split_once('=') {
        Some((key, dir)) if key.split('/').count() == 3 && !dir.is_empty() => {
            Ok((key.to_owned(), dir.into()))
        }
        _ => Err(format!("expected KIND/NAMESPACE/NAME=DIR, got '{text}'")),
    }
}

/// Read the objects of YAML files (`-` = stdin).
pub fn read_objects(files: &[std::path::PathBuf]) -> Result<Vec<gitops_core::resource::Resource>> {
    let mut out = Vec::new();
    for file in files {
        let (text, origin) = if file.as_os_str() == "-" {
            (std::io::read_to_string(std::io::stdin())?, "<stdin>".to_owned())
        } else {
            let origin = file.display().to_string();
            let text = std::fs::read_to_string(file).map_err(|e| format!("{origin}: {e}"))?;
            (text, origin)
        };
        out.extend(gitops_core::workflow::objects_from_yaml(&text, &origin)?);
    }
    Ok(out)
}

impl ClusterArgs {
    /// Render the cluster with kustomize-controller's builder.
    pub fn render(&self) -> Result<gitops_core::render::Outcome> {
        let cwd = std::env::current_dir()?;
        let options = gitops_core::render::Options {
            // Absolute, as the cluster path is made absolute by the render.
            root: self.root.as_ref().map(|r| gitops_core::fs::clean(&cwd.join(r))),
            sources: self.sources.iter().cloned().collect(),
            objects: read_objects(&self.objects)?,
            skip_unavailable_sources: self.skip_unavailable_sources,
            ..gitops_core::render::Options::default()
        };
        let builder = gitops_kustomize::flux::FluxBuilder::default();
        let outcome = match &self.rev {
            Some(rev) => {
                let (fs, cluster) = tree_at_revision(&self.cluster_path, rev)?;
                // The tree is mounted at the working tree's absolute path: relative paths
                // (`--root`, `--source`) are made absolute the same way as the cluster path.
                let options = gitops_core::render::Options {
                    root: match &self.root {
                        Some(r) => Some(in_repo(r)?.path),
                        None => None,
                    },
                    sources: options
                        .sources
                        .iter()
                        .map(|(k, d)| (k.clone(), gitops_core::fs::clean(&cwd.join(d))))
                        .collect(),
                    ..options
                };
                gitops_core::render::render_cluster(&fs, &cluster, &builder, &options)?
            }
            None => gitops_core::render::render_cluster(
                &gitops_core::fs::RealFs,
                &self.cluster_path,
                &builder,
                &options,
            )?,
        };
        for s in &outcome.skipped {
            eprintln!("Warning: Kustomization '{}' skipped: {}", s.kustomization, s.reason);
        }
        Ok(outcome)
    }
}

/// `--live DIR`.
#[derive(clap::Args)]
pub struct LiveArgs {
    /// The live-state directory (one YAML file per object; created when missing).
    #[arg(long, value_name = "DIR")]
    pub live: std::path::PathBuf,
}

impl LiveArgs {
    /// Open the live directory.
    pub fn open(&self) -> Result<gitops_core::cluster::LiveDir> {
        Ok(gitops_core::cluster::LiveDir::open(&self.live)?)
    }
}

/// Print change-set entries per Kustomization: a `# Kustomization ns/name` line, then the
/// entries (only the changes unless `all`), then a summary line.
pub fn change_set_text<K: AsRef<str>>(
    sets: impl IntoIterator<Item = (K, gitops_core::plan::ChangeSet)>,
    all: bool,
) -> String {
    use gitops_core::plan::Action;
    let mut out = String::new();
    let mut counts = [0usize; 5];
    let actions =
        [Action::Created, Action::Configured, Action::Deleted, Action::Unchanged, Action::Skipped];
    for (key, set) in sets {
        out.push_str(&format!("# Kustomization {}\n", key.as_ref()));
        for e in &set.entries {
            if let Some(i) = actions.iter().position(|a| *a == e.action) {
                counts[i] += 1;
            }
            if all || e.action.is_change() {
                out.push_str(&format!("{e}\n"));
            }
        }
    }
    let summary: Vec<String> =
        actions.iter().zip(counts).map(|(a, n)| format!("{n} {}", a.as_str())).collect();
    out.push_str(&format!("Summary: {}\n", summary.join(", ")));
    out
}
