//! `gitops health FILE...`: the kstatus status of every object, in input order.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use gitops_core::diff::subject;
use gitops_core::health::{self, Status};

use super::{Result, json_text, read_objects, write_stdout};

/// Arguments of `gitops health`.
#[derive(clap::Args)]
pub struct Args {
    /// YAML files holding the objects (`-` for stdin).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Run `gitops health`: exit 1 when an object is `Failed`.
pub fn run(args: Args) -> Result<ExitCode> {
    let rows: Vec<_> =
        read_objects(&args.files)?.iter().map(|o| (subject(o), health::compute(o))).collect();
    let out = match args.output {
        Format::Text => {
            let width = rows.iter().map(|(s, _)| s.len()).max().unwrap_or(0).max("OBJECT".len());
            let mut out = format!("{:width$}  {:11}  MESSAGE\n", "OBJECT", "STATUS");
            for (s, h) in &rows {
                let line = format!("{s:width$}  {:11}  {}", h.status.as_str(), h.message);
                out.push_str(line.trim_end());
                out.push('\n');
            }
            out
        }
        Format::Json => {
            let items: Vec<_> = rows
                .iter()
                .map(|(s, h)| {
                    serde_json::json!({"object": s, "status": h.status.as_str(), "message": h.message})
                })
                .collect();
            json_text(&items)?
        }
    };
    write_stdout(&out)?;
    let failed = rows.iter().any(|(_, h)| h.status == Status::Failed);
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
