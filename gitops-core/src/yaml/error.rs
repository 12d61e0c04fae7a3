//! Errors of the YAML layer. Every variant that comes from the source carries a [`Mark`]
//! (1-based line and column); callers that know the file name put it in front.

use super::node::Mark;

/// An error while parsing, resolving or emitting YAML.
///
/// ```
/// use gitops_core::yaml::{Error, Mark};
/// let e = Error::Syntax { mark: Mark { index: 4, line: 2, column: 3 }, message: "did not find expected key".into() };
/// assert_eq!(e.to_string(), "line 2, column 3: did not find expected key");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The text is not well-formed YAML.
    #[error("line {}, column {}: {message}", mark.line, mark.column)]
    Syntax {
        /// Where the problem was found.
        mark: Mark,
        /// What is wrong.
        message: String,
    },
    /// An alias names an anchor that was not defined before it.
    #[error("line {}, column {}: unknown anchor '{name}' referenced", mark.line, mark.column)]
    UnknownAnchor {
        /// Where the alias stands.
        mark: Mark,
        /// The anchor name.
        name: String,
    },
    /// A bound in [`Limits`](super::Limits) was exceeded.
    #[error("line {}, column {}: {what} exceeds the limit of {limit}", mark.line, mark.column)]
    Limit {
        /// Where the bound was crossed.
        mark: Mark,
        /// Which bound (`input size in bytes`, `nesting depth`, `alias expansion (nodes)`).
        what: &'static str,
        /// The bound's value.
        limit: usize,
    },
    /// A well-formed node that cannot be given a value (bad `!!int`, unsupported key, ...).
    #[error("line {}, column {}: {message}", mark.line, mark.column)]
    Resolve {
        /// Where the node stands.
        mark: Mark,
        /// What is wrong.
        message: String,
    },
    /// A value that cannot be written (for example `.inf`, which JSON cannot carry).
    #[error("{message}")]
    Emit {
        /// What is wrong.
        message: String,
    },
    /// A value that does not fit the type asked for through the serde bridge.
    #[error("{message}")]
    Data {
        /// What is wrong, with the path to the field where known.
        message: String,
    },
}

impl Error {
    /// The source position, when the error has one.
    pub fn mark(&self) -> Option<Mark> {
        match self {
            Error::Syntax { mark, .. }
            | Error::UnknownAnchor { mark, .. }
            | Error::Limit { mark, .. }
            | Error::Resolve { mark, .. } => Some(*mark),
            Error::Emit { .. } | Error::Data { .. } => None,
        }
    }
}
