//! The Go `text/template` subset ResourceSets are written in, as flux-operator configures
//! it: delimiters `<<` `>>`, option `missingkey=error`, slim-sprig's hermetic functions,
//! `slugify`, `toYaml`/`mustToYaml` and the niladic `inputs`.
//!
//! | item | what |
//! |---|---|
//! | [`render_str`] | parse and execute one template with one input set |
//! | [`Template`] | a parsed template, executed once per input set |
//! | [`Error`] | Go's error texts (`template: resourceset:3:14: executing ...`) |
//!
//! Supported: text, comments (`<</* */>>`), trim markers (`<<- ` / ` ->>`), pipelines
//! with `|`, parenthesised pipelines, fields on maps (`inputs.a.b`, `.x`, `$v.x`),
//! variables (`$x :=`, `$x =`), `if`/`else if`/`else`/`end`, `with`/`else with`, `range`
//! over lists, maps (sorted keys) and integers with `$i, $v :=`, `break`, `continue`;
//! string, raw string, char, number, bool and `nil` literals. Not supported:
//! `define`/`template`/`block` (a parse error), complex numbers, methods.
//!
//! Bounds (an error past them, never a panic): nesting 100 levels (values 200), output 64 MiB, one
//! million range iterations per execution.
//!
//! ```
//! use gitops_core::resourceset::template::render_str;
//! use gitops_core::yaml::{Limits, Profile, parse_values};
//! let inputs = &parse_values("{tenant: team1, replicas: 2}", Profile::ApiServer, &Limits::default()).unwrap()[0];
//! let out = render_str("name: << inputs.tenant | upper >>-<< add inputs.replicas 1 >>", inputs).unwrap();
//! assert_eq!(out, "name: TEAM1-3");
//! let err = render_str("<< inputs.missing >>", inputs).unwrap_err();
//! assert_eq!(err.to_string(), r#"template: resourceset:1:3: executing "resourceset" at <inputs>: map has no entry for key "missing""#);
//! ```

mod exec;
mod funcs;
mod lex;
mod parse;
mod printf;
mod value;

pub use funcs::adler32;

use crate::yaml::Value;

/// Template output is bounded to this many bytes.
pub(crate) const MAX_OUTPUT: usize = 64 << 20;
/// Range iterations per execution are bounded to this many.
pub(crate) const MAX_ITERATIONS: usize = 1_000_000;

/// The template name flux-operator gives every ResourceSet template.
pub const TEMPLATE_NAME: &str = "resourceset";

/// Why a template failed, with text/template's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The template does not parse.
    #[error("template: {name}:{line}: {message}")]
    Parse {
        /// The template name (`resourceset`).
        name: String,
        /// 1-based line of the offending token.
        line: usize,
        /// text/template's message (`function "foo" not defined`).
        message: String,
    },
    /// Execution failed.
    #[error("template: {name}:{line}:{column}: executing \"{name}\" at <{context}>: {message}")]
    Exec {
        /// The template name.
        name: String,
        /// 1-based line of the node.
        line: usize,
        /// 0-based byte column of the node (as Go prints it).
        column: usize,
        /// The node's text.
        context: String,
        /// text/template's message (`map has no entry for key "x"`).
        message: String,
    },
    /// A bound (output size, iterations) was exceeded.
    #[error("template: {0}")]
    Limit(String),
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    src: String,
    items: Vec<parse::Item>,
}

impl Template {
    /// Parse `text` with the `<<` `>>` delimiters.
    pub fn parse(text: &str) -> Result<Template, Error> {
        let toks = lex::lex(text, "<<", ">>");
        let items = parse::parse(toks, &funcs::exists).map_err(|e| Error::Parse {
            name: TEMPLATE_NAME.into(),
            line: e.line,
            message: e.msg,
        })?;
        Ok(Template { src: text.to_owned(), items })
    }

    /// Execute with one input set: `inputs` returns `inputs` (a JSON-like value; `Null`
    /// means no inputs, an empty map as flux-operator's nil map); dot is nil.
    pub fn execute(&self, inputs: &Value) -> Result<String, Error> {
        let mut st = exec::State::new(&self.src, TEMPLATE_NAME, exec::inputs_value(inputs));
        st.run(&self.items)?;
        Ok(st.out)
    }
}

/// Parse and execute `text` with one input set (see [`Template::execute`]).
pub fn render_str(text: &str, inputs: &Value) -> Result<String, Error> {
    Template::parse(text)?.execute(inputs)
}
