//! `gitops`: the command-line tool.
//!
//! Each subcommand lives in its own module under `cmd/` and only parses arguments,
//! calls the libraries (`gitops-kustomize`, `gitops-core`) and prints. Errors are printed
//! as `Error: <message>` (with their causes) on stderr and exit with status 1.
#![deny(missing_docs, unsafe_code)]

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "gitops", version, about = "GitOps toolkit: kustomize build, Flux and Helm")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a kustomization directory and print the resources, as `kustomize build`.
    Build(cmd::build::Args),
    /// Render every Flux Kustomization of a cluster path and print the objects.
    Render(cmd::render::Args),
    /// Print the dependsOn order and parallel waves of a cluster's Kustomizations.
    Deps(cmd::deps::Args),
    /// Show what applying a cluster path to a live directory would change.
    Plan(cmd::plan::Args),
    /// Show a unified diff of every object that would change.
    Diff(cmd::diff::Args),
    /// Apply a cluster path to a live directory: write objects and inventories, prune.
    Apply(cmd::apply::Args),
    /// Print the kstatus health of the objects in YAML files.
    Health(cmd::health::Args),
    /// Promote an app from one environment to another: diff, then a commit on a new branch.
    Promote(cmd::promote::Args),
    /// Show what returning a cluster to an earlier Git revision would change; `--commit` commits it.
    Rollback(cmd::rollback::Args),
    /// Build source-controller's artifact (tar.gz + digest) of a Git revision.
    Artifact(cmd::artifact::Args),
    /// Image policies and `$imagepolicy` setters.
    #[command(subcommand)]
    Images(cmd::images::ImagesCommand),
}

fn main() -> ExitCode {
    // Usage errors exit with 1, not clap's 2: 2 means "there are changes" for
    // `plan --exit-code` and `diff --exit-code`.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::FAILURE } else { ExitCode::SUCCESS };
        }
    };
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Render(args) => cmd::render::run(args),
        Command::Deps(args) => cmd::deps::run(args),
        Command::Plan(args) => cmd::plan::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Apply(args) => cmd::apply::run(args),
        Command::Health(args) => cmd::health::run(args),
        Command::Promote(args) => cmd::promote::run(args),
        Command::Rollback(args) => cmd::rollback::run(args),
        Command::Artifact(args) => cmd::artifact::run(args),
        Command::Images(args) => {
            cmd::images::run(args).map(|()| ExitCode::SUCCESS).map_err(Into::into)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Error: {}", cmd::error_chain(e.as_ref()));
            ExitCode::FAILURE
        }
    }
}
