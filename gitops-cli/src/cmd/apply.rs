//! `gitops apply CLUSTER_PATH --live DIR`: apply every Kustomization in dependency order.

use std::process::ExitCode;

use gitops_core::workflow::{apply_cluster, plan_cluster};

use super::{ClusterArgs, LiveArgs, Result, change_set_text, write_stdout};

/// Arguments of `gitops apply`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    cluster: ClusterArgs,
    #[command(flatten)]
    live: LiveArgs,
    /// Print what would be applied and pruned; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Also list unchanged and skipped objects.
    #[arg(long)]
    all: bool,
}

/// Run `gitops apply`.
pub fn run(args: Args) -> Result<ExitCode> {
    let outcome = args.cluster.render()?;
    let mut live = args.live.open()?;
    let text = if args.dry_run {
        let plans = plan_cluster(&outcome, &live)?;
        change_set_text(
            plans.iter().map(|p| (p.kustomization.as_str(), p.plan.change_set())),
            args.all,
        )
    } else {
        let applied = apply_cluster(&outcome, &mut live)?;
        change_set_text(applied.into_iter().map(|a| (a.kustomization, a.change_set)), args.all)
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
