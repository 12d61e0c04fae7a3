//! `gitops images`: ImagePolicy tag selection and image setters (thin layer over
//! `gitops_core::image`).

use std::path::PathBuf;

use clap::Subcommand;
use gitops_core::fs::FileSystem;
use gitops_core::git;
use gitops_core::image::automation;
use gitops_core::image::policy;
use gitops_core::image::setters::{self, ImageRef, Options, Setters};
use gitops_core::registry;
use gitops_core::yaml::{self, Limits, Profile};
use indexmap::IndexMap;

/// The `images` subcommands.
#[derive(Subcommand)]
pub enum ImagesCommand {
    /// List an image repository's tags from an OCI registry, one per line.
    Tags(super::tags::TagsArgs),
    /// Print the tag an ImagePolicy selects from a list of tags.
    Select {
        /// A file holding an ImagePolicy object (YAML or JSON).
        #[arg(long)]
        policy: PathBuf,
        /// A file with one tag per line.
        #[arg(long)]
        tags: PathBuf,
        /// Apply the ImageRepository exclusion list (the default `^.*\.sig$`) first.
        #[arg(long)]
        exclude_default: bool,
    },
    /// Rewrite the values marked `# {"$imagepolicy": "ns:name"}` under PATH.
    Set {
        /// A directory or file.
        path: PathBuf,
        /// `ns:name=image:tag[@digest]`, repeatable.
        #[arg(long = "policy-value", required = true)]
        policy_values: Vec<String>,
        /// Only use policies in this namespace (the automation's).
        #[arg(long)]
        namespace: Option<String>,
        /// Fail when a marker names no given policy.
        #[arg(long)]
        strict: bool,
        /// Print the changes without writing files.
        #[arg(long)]
        dry_run: bool,
    },
    /// Image automation in one step: read the ImageRepository and ImagePolicy objects in
    /// the tree, list each repository's tags (from its registry, or `--tags-file`), select
    /// each policy's latest tag, set the marked values under PATH as they are on a Git
    /// branch and commit exactly the changed files onto that branch. With
    /// `--policy-value`, the scan and selection are skipped. The working tree and the
    /// index are left alone unless `--worktree` is given.
    Update {
        /// A directory or file inside a Git working tree.
        path: PathBuf,
        /// `ns:name=image:tag[@digest]`, repeatable: use these values instead of scanning.
        #[arg(long = "policy-value")]
        policy_values: Vec<String>,
        /// Where the ImageRepository and ImagePolicy objects are (a directory or file of
        /// the same tree; default: PATH).
        #[arg(long, conflicts_with = "policy_values")]
        policies: Option<PathBuf>,
        /// `IMAGE=FILE`, repeatable: take IMAGE's tags from FILE (one per line) instead of
        /// its registry.
        #[arg(long = "tags-file", value_name = "IMAGE=FILE")]
        tags_files: Vec<String>,
        /// Use plain http:// for registries that are not on a loopback address.
        #[arg(long)]
        insecure: bool,
        /// The namespace of objects that name none.
        #[arg(long, default_value = "default")]
        default_namespace: String,
        /// Only use policies in this namespace (the automation's).
        #[arg(long)]
        namespace: Option<String>,
        /// Fail when a marker names no given policy.
        #[arg(long)]
        strict: bool,
        /// The branch to commit to (default: the checked-out branch). Created from
        /// `--base` when missing.
        #[arg(long)]
        branch: Option<String>,
        /// The revision a missing branch starts from.
        #[arg(long, default_value = "HEAD")]
        base: String,
        /// The commit author (and committer), `Name <email>`.
        #[arg(long, default_value = "gitops <gitops@localhost>")]
        author: String,
        /// The first line(s) of the commit message (default Flux's `Update from image
        /// update automation`); one line per change `- <file>: <old> -> <new>` follows.
        #[arg(long)]
        message: Option<String>,
        /// Also write the changed files into the working tree (atomically).
        #[arg(long)]
        worktree: bool,
        /// Print the changes without committing.
        #[arg(long)]
        dry_run: bool,
    },
}

fn parse_policy_values(policy_values: &[String]) -> Result<Vec<(String, ImageRef)>, String> {
    let mut refs: Vec<(String, ImageRef)> = Vec::new();
    for pv in policy_values {
        let (key, image) = pv
            .split_once('=')
            .ok_or_else(|| format!("--policy-value {pv:?}: expected ns:name=image:tag[@digest]"))?;
        let r = ImageRef::parse(image)
            .ok_or_else(|| format!("--policy-value {pv:?}: image has no tag"))?;
        refs.push((key.to_string(), r));
    }
    Ok(refs)
}

/// Run an `images` subcommand; the error is printed by the caller.
pub fn run(cmd: ImagesCommand) -> Result<(), String> {
    match cmd {
        ImagesCommand::Tags(args) => super::tags::run(args),
        ImagesCommand::Select { policy: policy_file, tags, exclude_default } => {
            let text = std::fs::read_to_string(&policy_file)
                .map_err(|e| format!("{}: {e}", policy_file.display()))?;
            let docs = yaml::parse_values(&text, Profile::Kyaml, &Limits::default())
                .map_err(|e| format!("{}: {e}", policy_file.display()))?;
            let obj =
                docs.first().ok_or_else(|| format!("{}: no object", policy_file.display()))?;
            let tag_text = if tags.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).map_err(|e| format!("<stdin>: {e}"))?
            } else {
                std::fs::read_to_string(&tags).map_err(|e| format!("{}: {e}", tags.display()))?
            };
            let all: Vec<&str> =
                tag_text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            let list: Vec<&str> = if exclude_default {
                policy::exclude_tags(&all, None).map_err(|e| e.to_string())?
            } else {
                all.clone()
            };
            let chosen = policy::select_latest(obj, &list).map_err(|e| e.to_string())?;
            println!("{chosen}");
            Ok(())
        }
        ImagesCommand::Set { path, policy_values, namespace, strict, dry_run } => {
            let refs = parse_policy_values(&policy_values)?;
            let setters = Setters::new(refs.iter().map(|(k, r)| (k, r)), namespace.as_deref())
                .map_err(|e| e.to_string())?;
            let options = Options { namespace, strict, dry_run };
            let outcome =
                setters::update_tree(&path, &setters, &options).map_err(|e| e.to_string())?;
            for (file, objects) in outcome.by_object() {
                println!("{file}");
                for (object, changes) in objects {
                    println!("  {object}");
                    for c in changes {
                        println!(
                            "    {}:{}: {} -> {} ({})",
                            c.line, c.column, c.old_value, c.new_value, c.setter
                        );
                    }
                }
            }
            for w in &outcome.warnings {
                eprintln!("warning: {w}");
            }
            for p in &outcome.problem_files {
                eprintln!("warning: {p}: not valid YAML, skipped");
            }
            Ok(())
        }
        ImagesCommand::Update {
            path,
            policy_values,
            policies,
            tags_files,
            insecure,
            default_namespace,
            namespace,
            strict,
            branch,
            base,
            author,
            message,
            worktree,
            dry_run,
        } => {
            let given = if policy_values.is_empty() {
                None
            } else {
                let refs = parse_policy_values(&policy_values)?;
                Some(
                    Setters::new(refs.iter().map(|(k, r)| (k, r)), namespace.as_deref())
                        .map_err(|e| e.to_string())?,
                )
            };
            let mut files = IndexMap::new();
            for tf in &tags_files {
                let (image, file) = tf
                    .split_once('=')
                    .ok_or_else(|| format!("--tags-file {tf:?}: expected IMAGE=FILE"))?;
                files.insert(image.to_string(), PathBuf::from(file));
            }
            let author = git::Author::parse(&author)
                .ok_or_else(|| format!("--author {author:?}: expected `Name <email>`"))?;
            update(&UpdateArgs {
                path: &path,
                given: given.as_ref(),
                scan: Scan {
                    policies: policies.as_deref(),
                    tags_files: &files,
                    insecure,
                    default_namespace: &default_namespace,
                    namespace: namespace.as_deref(),
                },
                strict,
                branch: branch.as_deref(),
                base: &base,
                author: &author,
                message: message.as_deref(),
                worktree,
                dry_run,
            })
        }
    }
}

struct UpdateArgs<'a> {
    path: &'a std::path::Path,
    given: Option<&'a Setters>,
    scan: Scan<'a>,
    strict: bool,
    branch: Option<&'a str>,
    base: &'a str,
    author: &'a git::Author,
    message: Option<&'a str>,
    worktree: bool,
    dry_run: bool,
}

/// Files under `dir` of a tree (sorted walk), skipping any path that goes through a symlink.
fn tree_files(fs: &dyn FileSystem, dir: &std::path::Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 256 || fs.canonicalize(dir).ok().as_deref() != Some(dir) {
        return;
    }
    if !fs.is_dir(dir) {
        out.push(dir.to_path_buf());
        return;
    }
    for entry in fs.read_dir(dir).unwrap_or_default() {
        tree_files(fs, &entry, out, depth + 1);
    }
}

fn update(args: &UpdateArgs<'_>) -> Result<(), String> {
    let e = |e: &dyn std::error::Error| super::error_chain(e);
    let absolute =
        gitops_core::fs::clean(&std::env::current_dir().map_err(|x| e(&x))?.join(args.path));
    let repo = git::Repository::discover(&absolute).map_err(|x| e(&x))?;
    let workdir = repo.workdir().ok_or("a bare repository has no working tree to map PATH into")?;
    let workdir = std::fs::canonicalize(workdir).map_err(|x| e(&x))?;
    let target =
        std::fs::canonicalize(&absolute).map_err(|x| format!("{}: {x}", args.path.display()))?;
    if !target.starts_with(&workdir) {
        return Err(format!("{}: not inside {}", target.display(), workdir.display()));
    }
    let branch = match args.branch {
        Some(b) => b.to_owned(),
        None => repo
            .gix()
            .head_name()
            .ok()
            .flatten()
            .map(|n| n.shorten().to_string())
            .ok_or("HEAD is detached: give --branch")?,
    };
    // The files as they are on the branch (or on --base when the branch does not exist yet).
    let tip = match repo.rev_parse(&format!("refs/heads/{branch}")) {
        Ok(c) => c,
        Err(_) => repo.rev_parse(args.base).map_err(|x| e(&x))?,
    };
    let tree = git::TreeFs::new(&repo, &tip, &workdir).map_err(|x| e(&x))?;
    let scanned;
    let setters = match args.given {
        Some(s) => s,
        None => {
            let dir = match args.scan.policies {
                Some(p) => {
                    gitops_core::fs::clean(&std::env::current_dir().map_err(|x| e(&x))?.join(p))
                }
                None => absolute.clone(),
            };
            let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
            scanned = scan(&tree, &dir, &workdir, &args.scan)?;
            &scanned
        }
    };
    let mut files = Vec::new();
    tree_files(&tree, &target, &mut files, 0);
    let mut commit = Vec::new();
    let mut lines = Vec::new();
    for file in files {
        let candidate = matches!(file.extension().and_then(|x| x.to_str()), Some("yaml" | "yml"))
            || file.file_name().is_some_and(|n| n == "Kustomization");
        if !candidate {
            continue;
        }
        let Ok(bytes) = tree.read_file(&file) else { continue };
        if !bytes.windows(setters::TOKEN.len()).any(|w| w == setters::TOKEN.as_bytes()) {
            continue;
        }
        let rel = file.strip_prefix(&workdir).unwrap_or(&file);
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>();
        let rel = rel.join("/");
        let Ok(text) = std::str::from_utf8(&bytes) else {
            eprintln!("warning: {rel}: not valid YAML, skipped");
            continue;
        };
        let Ok(edit) = setters::set_text(text, setters) else {
            eprintln!("warning: {rel}: not valid YAML, skipped");
            continue;
        };
        for w in &edit.warnings {
            let w = setters::Warning { file: rel.clone(), ..w.clone() };
            if args.strict {
                return Err(w.to_string());
            }
            eprintln!("warning: {w}");
        }
        let Some(new_text) = edit.text else { continue };
        println!("{rel}");
        for c in &edit.changes {
            println!(
                "  {}:{}: {} -> {} ({})",
                c.line, c.column, c.old_value, c.new_value, c.setter
            );
            lines.push(git::FileChange {
                file: rel.clone(),
                old: c.old_value.clone(),
                new: c.new_value.clone(),
            });
        }
        commit.push((rel, file, new_text.into_bytes()));
    }
    if commit.is_empty() {
        println!("no changes");
        return Ok(());
    }
    if args.dry_run {
        return Ok(());
    }
    let message = git::commit_message(args.message, &lines);
    let changes: Vec<(String, Vec<u8>)> =
        commit.iter().map(|(rel, _, bytes)| (rel.clone(), bytes.clone())).collect();
    match git::commit_files(&repo, &branch, Some(args.base), &changes, args.author, &message)
        .map_err(|x| e(&x))?
    {
        Some(id) => println!("committed {id} to {branch}"),
        None => println!("no changes"),
    }
    if args.worktree {
        for (rel, file, bytes) in &commit {
            write_atomic(file, bytes).map_err(|x| format!("{rel}: {x}"))?;
        }
    }
    let checked_out = repo.gix().head_name().ok().flatten().map(|n| n.shorten().to_string());
    if checked_out.as_deref() == Some(branch.as_str()) {
        let files: Vec<&str> = commit.iter().map(|(rel, _, _)| rel.as_str()).collect();
        let files = files.join(" ");
        if args.worktree {
            eprintln!(
                "note: {branch} is checked out; its index still holds the old content: \
                 `git reset -q -- {files}` brings it up to date"
            );
        } else {
            eprintln!(
                "note: {branch} is checked out; its index and working tree still hold the old \
                 content: `git checkout HEAD -- {files}` brings them up to date"
            );
        }
    }
    Ok(())
}

/// Write a file atomically: a temporary file in the same directory, fsync, rename.
fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.gitops-tmp{}", std::process::id()));
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

/// How `images update` finds the images when no `--policy-value` is given.
struct Scan<'a> {
    policies: Option<&'a std::path::Path>,
    tags_files: &'a IndexMap<String, PathBuf>,
    insecure: bool,
    default_namespace: &'a str,
    namespace: Option<&'a str>,
}

/// Read the ImageRepository and ImagePolicy objects under `dir` of `tree`, list the tags,
/// select each policy's latest and print what was chosen.
fn scan(
    tree: &dyn FileSystem,
    dir: &std::path::Path,
    workdir: &std::path::Path,
    args: &Scan<'_>,
) -> Result<Setters, String> {
    let mut files = Vec::new();
    tree_files(tree, dir, &mut files, 0);
    let mut objects = Vec::new();
    for file in files {
        if !matches!(file.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")) {
            continue;
        }
        let Ok(bytes) = tree.read_file(&file) else { continue };
        if !bytes.windows(19).any(|w| w == b"image.toolkit.fluxc") {
            continue;
        }
        let rel = file.strip_prefix(workdir).unwrap_or(&file).display().to_string();
        let text = std::str::from_utf8(&bytes).map_err(|_| format!("{rel}: not UTF-8"))?;
        let docs = yaml::parse_values(text, Profile::Kyaml, &Limits::default())
            .map_err(|x| format!("{rel}: {x}"))?;
        objects.extend(docs);
    }
    let tags = |image: &str| -> Result<Vec<String>, String> {
        if let Some(file) = args.tags_files.get(image) {
            let text =
                std::fs::read_to_string(file).map_err(|x| format!("{}: {x}", file.display()))?;
            return Ok(text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect());
        }
        let reference = registry::Reference::parse(image).map_err(|x| x.to_string())?;
        let options = registry::Options { insecure: args.insecure, ..registry::Options::default() };
        registry::list_tags(&reference, &options).map_err(|x| x.to_string())
    };
    let chosen = automation::latest_images(&objects, args.default_namespace, tags)
        .map_err(|x| super::error_chain(&x))?;
    if chosen.is_empty() {
        return Err(format!("no ImagePolicy under {}", dir.display()));
    }
    let mut refs = Vec::with_capacity(chosen.len());
    for latest in &chosen {
        println!("{}: {} ({} tags)", latest.policy, latest.reference(), latest.candidates);
        let r = ImageRef::parse(&latest.reference())
            .ok_or_else(|| format!("{}: {} has no tag", latest.policy, latest.reference()))?;
        refs.push((latest.policy.clone(), r));
    }
    Setters::new(refs.iter().map(|(k, r)| (k, r)), args.namespace).map_err(|x| x.to_string())
}
