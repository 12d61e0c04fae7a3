//! `gitops plan`.

use std::process::ExitCode;

use super::Result;

/// Arguments of `gitops plan`.
#[derive(clap::Args)]
pub struct Args {}

/// Run `gitops plan`.
pub fn run(_args: Args) -> Result<ExitCode> {
    Err("not implemented yet".into())
}
