//! `gitops diff`.

use std::process::ExitCode;

use super::Result;

/// Arguments of `gitops diff`.
#[derive(clap::Args)]
pub struct Args {}

/// Run `gitops diff`.
pub fn run(_args: Args) -> Result<ExitCode> {
    Err("not implemented yet".into())
}
