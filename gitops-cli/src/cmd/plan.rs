//! `gitops plan CLUSTER_PATH --live DIR`: Flux's change sets, per Kustomization.

use std::process::ExitCode;

use clap::ValueEnum;
use gitops_core::workflow::plan_cluster;

use super::{ClusterArgs, LiveArgs, Result, change_set_text, json_text, write_stdout};

/// Arguments of `gitops plan`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    cluster: ClusterArgs,
    #[command(flatten)]
    live: LiveArgs,
    /// Also list unchanged and skipped objects.
    #[arg(long)]
    all: bool,
    /// Exit with status 2 when there are changes (as `git diff --exit-code`).
    #[arg(long)]
    exit_code: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Run `gitops plan`.
pub fn run(args: Args) -> Result<ExitCode> {
    let outcome = args.cluster.render()?;
    let live = args.live.open()?;
    let plans = plan_cluster(&outcome, &live)?;
    let changed = plans.iter().any(|p| p.plan.change_set().has_changes());
    let text = match args.output {
        Format::Text => change_set_text(
            plans.iter().map(|p| (p.kustomization.as_str(), p.plan.change_set())),
            args.all,
        ),
        Format::Json => {
            let items: Vec<_> = plans
                .iter()
                .map(|p| {
                    let entries: Vec<_> = p
                        .plan
                        .change_set()
                        .entries
                        .iter()
                        .map(|e| serde_json::json!({"subject": e.subject, "action": e.action.as_str()}))
                        .collect();
                    serde_json::json!({"kustomization": p.kustomization, "changes": entries})
                })
                .collect();
            json_text(&items)?
        }
    };
    write_stdout(&text)?;
    Ok(if changed && args.exit_code { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
