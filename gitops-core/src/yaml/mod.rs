//! Our YAML layer: a parser that keeps everything (styles, tags, anchors, comments,
//! positions), two scalar-resolution profiles, and an emitter that prints exactly what
//! go-yaml v2 prints (as `kustomize build` and Helm's `toYaml` do).
//!
//! | item | what |
//! |---|---|
//! | [`parse_stream`] | text → [`Document`]s of [`Node`]s, with positions |
//! | [`resolve`] / [`Profile`] | [`Node`] → [`Value`], as kyaml (go-yaml v3) or the API server (go-yaml v2) reads |
//! | [`emit`] | [`Value`] → text, byte for byte as go-yaml v2 |
//! | [`Limits`] | alias expansion, nesting depth and input size bounds |
//! | [`edit`] | byte-preserving edits by path: set a scalar, insert a key, append an item, remove a key |

pub mod edit;
mod emit;
mod error;
mod limits;
mod node;
mod parse;
mod resolve;
mod value;

pub use emit::{emit, emit_into, emit_stream, json_roundtrip, to_kustomize_yaml};
pub use error::Error;
pub use limits::Limits;
pub use node::{
    CollectionStyle, Comment, Document, Mark, Node, NodeKind, Props, ScalarStyle, Span,
};
pub use parse::{
    Dialect, Event, ParseOptions, format_test_event, parse_events, parse_events_with, parse_stream,
    parse_stream_with,
};
pub use resolve::{
    Profile, from_value, parse_values, parse_values_fast, resolve, resolve_scalar, to_value,
    yaml11_ambiguities,
};
pub use value::{Mapping, Value};
