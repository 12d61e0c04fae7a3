//! `gitops`: the command-line tool.
#![deny(missing_docs, unsafe_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use gitops_kustomize::{LoadRestrictor, Options, Reorder};

#[derive(Parser)]
#[command(name = "gitops", version, about = "GitOps toolkit: kustomize build, Flux and Helm")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a kustomization directory and print the resources, as `kustomize build`.
    Build {
        /// The kustomization directory.
        dir: PathBuf,
        /// Output order.
        #[arg(long, value_enum, default_value = "legacy")]
        reorder: ReorderArg,
        /// Which files a kustomization may read.
        #[arg(long = "load-restrictor", value_enum, default_value = "LoadRestrictionsRootOnly")]
        load_restrictor: RestrictorArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ReorderArg {
    Legacy,
    None,
}

#[derive(Clone, Copy, ValueEnum)]
enum RestrictorArg {
    #[value(name = "LoadRestrictionsRootOnly")]
    RootOnly,
    #[value(name = "LoadRestrictionsNone")]
    None,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { dir, reorder, load_restrictor } => {
            let options = Options {
                reorder: match reorder {
                    ReorderArg::Legacy => Reorder::Legacy,
                    ReorderArg::None => Reorder::None,
                },
                load_restrictor: match load_restrictor {
                    RestrictorArg::RootOnly => LoadRestrictor::RootOnly,
                    RestrictorArg::None => LoadRestrictor::None,
                },
                remote: None,
            };
            match gitops_kustomize::build_yaml(&dir, &options) {
                Ok(text) => {
                    let mut out = std::io::stdout().lock();
                    if out.write_all(text.as_bytes()).and_then(|()| out.flush()).is_err() {
                        return ExitCode::FAILURE;
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("Error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
