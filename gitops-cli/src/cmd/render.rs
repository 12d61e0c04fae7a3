//! `gitops render CLUSTER_PATH`: every object of every Flux Kustomization.

use std::process::ExitCode;

use clap::ValueEnum;
use gitops_core::diff::mask_secret;
use gitops_core::render::Rendered;
use gitops_core::workflow::find_kustomization;
use gitops_core::yaml::to_kustomize_yaml;

use super::{ClusterArgs, Result, json_text, write_stdout};

/// Arguments of `gitops render`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    cluster: ClusterArgs,
    /// Only this Kustomization: `NAME` or `NAMESPACE/NAME`.
    #[arg(long = "ks", value_name = "NAME")]
    ks: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "yaml")]
    output: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Yaml,
    Json,
}

/// Run `gitops render`. Secret values are masked (`***`).
pub fn run(args: Args) -> Result<ExitCode> {
    let outcome = args.cluster.render()?;
    let selected: Vec<&Rendered> = match &args.ks {
        Some(wanted) => vec![find_kustomization(&outcome, wanted)?],
        None => outcome.kustomizations.iter().collect(),
    };
    let text = match args.output {
        Format::Yaml => {
            let mut out = String::new();
            for (i, ks) in selected.iter().enumerate() {
                if i > 0 {
                    out.push_str("---\n");
                }
                out.push_str(&format!("# Kustomization {}\n", ks.key()));
                for (j, object) in ks.objects.iter().enumerate() {
                    if j > 0 {
                        out.push_str("---\n");
                    }
                    let masked = mask_secret(object);
                    out.push_str(
                        &to_kustomize_yaml(masked.value())
                            .map_err(|e| format!("{}: {e}", gitops_core::diff::subject(object)))?,
                    );
                }
            }
            out
        }
        Format::Json => {
            let items: Vec<_> = selected
                .iter()
                .map(|ks| {
                    let objects: Vec<_> =
                        ks.objects.iter().map(|o| mask_secret(o).into_value()).collect();
                    serde_json::json!({
                        "kustomization": ks.key(),
                        "path": ks.path,
                        "source": ks.source,
                        "objects": objects,
                    })
                })
                .collect();
            json_text(&items)?
        }
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
