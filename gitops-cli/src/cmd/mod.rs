//! The subcommands, one module each, and what they share: the result type, writing to
//! stdout, error chains and colour selection.

pub mod apply;
pub mod build;
pub mod deps;
pub mod diff;
pub mod health;
pub mod plan;
pub mod render;

use std::io::{IsTerminal, Write};

use clap::ValueEnum;

/// What every command returns: its exit code, or an error printed as `Error: ...`.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Write `text` to stdout. A closed pipe (`gitops render ... | head`) is not an error.
pub fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// The message of `e` followed by its causes, `: `-separated; a cause whose text the
/// message already shows is not repeated.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

/// `--color`.
#[derive(Clone, Copy, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour stdout.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Auto => std::io::stdout().is_terminal(),
            ColorChoice::Always => true,
            ColorChoice::Never => false,
        }
    }
}

/// Pretty JSON of `value` with a final newline.
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}
