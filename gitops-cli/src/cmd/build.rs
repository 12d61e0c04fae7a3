//! `gitops build DIR`: `kustomize build`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use gitops_kustomize::{LoadRestrictor, Options, Reorder};

use super::{Result, write_stdout};

/// Arguments of `gitops build`.
#[derive(clap::Args)]
pub struct Args {
    /// The kustomization directory.
    dir: PathBuf,
    /// Output order.
    #[arg(long, value_enum, default_value = "legacy")]
    reorder: ReorderArg,
    /// Which files a kustomization may read.
    #[arg(long = "load-restrictor", value_enum, default_value = "LoadRestrictionsRootOnly")]
    load_restrictor: RestrictorArg,
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

/// Run `gitops build`.
pub fn run(args: Args) -> Result<ExitCode> {
    let options = Options {
        reorder: match args.reorder {
            ReorderArg::Legacy => Reorder::Legacy,
            ReorderArg::None => Reorder::None,
        },
        load_restrictor: match args.load_restrictor {
            RestrictorArg::RootOnly => LoadRestrictor::RootOnly,
            RestrictorArg::None => LoadRestrictor::None,
        },
        remote: None,
    };
    let text = gitops_kustomize::build_yaml(&args.dir, &options)?;
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
