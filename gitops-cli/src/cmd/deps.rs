//! `gitops deps CLUSTER_PATH`: the dependsOn order and waves.

use std::process::ExitCode;

use clap::ValueEnum;
use gitops_core::deps::{order, to_dot, to_mermaid, waves};
use gitops_core::workflow::dependency_nodes;

use super::{ClusterArgs, Result, json_text, write_stdout};

/// Arguments of `gitops deps`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    cluster: ClusterArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Dot,
    Mermaid,
}

/// Run `gitops deps`.
pub fn run(args: Args) -> Result<ExitCode> {
    let outcome = args.cluster.render()?;
    let nodes = dependency_nodes(&outcome)?;
    let label = |id: &gitops_core::deps::NodeId| format!("{} {id}", id.kind);
    let text = match args.output {
        Format::Dot => to_dot(&nodes)?,
        Format::Mermaid => to_mermaid(&nodes)?,
        Format::Text => {
            let mut out = String::from("Order:\n");
            for (i, id) in order(&nodes)?.iter().enumerate() {
                out.push_str(&format!("  {}. {}\n", i + 1, label(id)));
            }
            out.push_str("Waves:\n");
            for (i, wave) in waves(&nodes)?.iter().enumerate() {
                let names: Vec<String> = wave.iter().map(label).collect();
                out.push_str(&format!("  {}: {}\n", i + 1, names.join(", ")));
            }
            out
        }
        Format::Json => {
            let id = |id: &gitops_core::deps::NodeId| serde_json::json!({"kind": id.kind, "namespace": id.namespace, "name": id.name});
            let order: Vec<_> = order(&nodes)?.iter().map(id).collect();
            let waves: Vec<Vec<_>> =
                waves(&nodes)?.iter().map(|w| w.iter().map(id).collect()).collect();
            let graph: Vec<_> = nodes
                .iter()
                .map(|n| {
                    let mut v = id(&n.id);
                    v["dependsOn"] = n.depends_on.iter().map(id).collect();
                    v
                })
                .collect();
            json_text(&serde_json::json!({"nodes": graph, "order": order, "waves": waves}))?
        }
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
