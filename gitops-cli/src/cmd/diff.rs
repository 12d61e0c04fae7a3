//! `gitops diff CLUSTER_PATH --live DIR`: a unified diff per changed object.

use std::process::ExitCode;

use clap::ValueEnum;
use gitops_core::workflow::{diff_cluster, plan_cluster};

use super::{ClusterArgs, ColorChoice, LiveArgs, Result, json_text, write_stdout};

/// Arguments of `gitops diff`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    cluster: ClusterArgs,
    #[command(flatten)]
    live: LiveArgs,
    /// Colour the diff: `auto` = when stdout is a terminal.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// Exit with status 2 when there are differences (as `git diff --exit-code`).
    #[arg(long)]
    exit_code: bool,
    /// Output format: a unified diff, or the structured changes as JSON.
    #[arg(short, long, value_enum, default_value = "diff")]
    output: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Diff,
    Json,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Colour a unified diff: headers bold, removals red, additions green, hunk headers cyan.
fn colorize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let color = if body.starts_with("--- ") || body.starts_with("+++ ") {
            BOLD
        } else if body.starts_with('-') {
            RED
        } else if body.starts_with('+') {
            GREEN
        } else if body.starts_with("@@") {
            CYAN
        } else {
            ""
        };
        if color.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(color);
            out.push_str(body);
            out.push_str(RESET);
            out.push_str(&line[body.len()..]);
        }
    }
    out
}

/// Run `gitops diff`.
pub fn run(args: Args) -> Result<ExitCode> {
    let outcome = args.cluster.render()?;
    let live = args.live.open()?;
    let plans = plan_cluster(&outcome, &live)?;
    let diffs = diff_cluster(&plans, &live)?;
    let text = match args.output {
        Format::Diff => {
            let text: String = diffs.iter().map(|d| d.unified.as_str()).collect();
            if args.color.enabled() { colorize(&text) } else { text }
        }
        Format::Json => {
            let items: Vec<_> = diffs
                .iter()
                .map(|d| {
                    let changes: Vec<_> = d
                        .changes
                        .iter()
                        .map(|c| serde_json::json!({"path": c.path, "before": c.before, "after": c.after}))
                        .collect();
                    serde_json::json!({
                        "kustomization": d.kustomization,
                        "object": d.subject,
                        "action": d.action.as_str(),
                        "changes": changes,
                    })
                })
                .collect();
            json_text(&items)?
        }
    };
    write_stdout(&text)?;
    Ok(if !diffs.is_empty() && args.exit_code { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colorize_table() {
        let cases = [
            ("--- a\n", "\x1b[1m--- a\x1b[0m\n"),
            ("+++ b\n", "\x1b[1m+++ b\x1b[0m\n"),
            ("@@ -1 +1 @@\n", "\x1b[36m@@ -1 +1 @@\x1b[0m\n"),
            ("-x\n+y\n z\n", "\x1b[31m-x\x1b[0m\n\x1b[32m+y\x1b[0m\n z\n"),
            ("-last", "\x1b[31m-last\x1b[0m"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(colorize(input), want, "{input:?}");
        }
    }
}
