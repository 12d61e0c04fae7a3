//! Parsing: text → events → [`Document`]s. (Owned by the parser work; placeholder.)
use super::{Document, Error, Limits};

/// Parse a multi-document stream into documents of nodes.
pub fn parse_stream(_input: &str, _limits: &Limits) -> Result<Vec<Document>, Error> {
    unimplemented!("parser not written yet")
}
