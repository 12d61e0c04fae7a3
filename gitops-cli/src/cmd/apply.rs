//! `gitops apply`.

use std::process::ExitCode;

use super::Result;

/// Arguments of `gitops apply`.
#[derive(clap::Args)]
pub struct Args {}

/// Run `gitops apply`.
pub fn run(_args: Args) -> Result<ExitCode> {
    Err("not implemented yet".into())
}
