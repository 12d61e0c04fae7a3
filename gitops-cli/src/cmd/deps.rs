//! `gitops deps`.

use std::process::ExitCode;

use super::Result;

/// Arguments of `gitops deps`.
#[derive(clap::Args)]
pub struct Args {}

/// Run `gitops deps`.
pub fn run(_args: Args) -> Result<ExitCode> {
    Err("not implemented yet".into())
}
