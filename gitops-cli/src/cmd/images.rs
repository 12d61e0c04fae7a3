//! `gitops images`: ImagePolicy tag selection and image setters (thin layer over
//! `gitops_core::image`).

use std::path::PathBuf;

use clap::Subcommand;
use gitops_core::image::policy;
use gitops_core::image::setters::{self, ImageRef, Options, Setters};
use gitops_core::yaml::{self, Limits, Profile};

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
            let mut refs: Vec<(String, ImageRef)> = Vec::new();
            for pv in &policy_values {
                let (key, image) = pv.split_once('=').ok_or_else(|| {
                    format!("--policy-value {pv:?}: expected ns:name=image:tag[@digest]")
                })?;
                let r = ImageRef::parse(image)
                    .ok_or_else(|| format!("--policy-value {pv:?}: image has no tag"))?;
                refs.push((key.to_string(), r));
            }
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
    }
}
