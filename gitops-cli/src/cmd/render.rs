//! `gitops render`.

use std::process::ExitCode;

use super::Result;

/// Arguments of `gitops render`.
#[derive(clap::Args)]
pub struct Args {}

/// Run `gitops render`.
pub fn run(_args: Args) -> Result<ExitCode> {
    Err("not implemented yet".into())
}
