//! Parsing: text → tokens → events → [`Document`]s.
//!
//! Three stages, each in its own file:
//!
//! | stage | file | what |
//! |---|---|---|
//! | scanner | `scanner.rs` | bytes → tokens (indentation, implicit keys, scalars, comments) |
//! | parser | `parser.rs` | tokens → [`Event`]s (the YAML 1.2 grammar, tags resolved) |
//! | composer | `compose.rs` | events → [`Document`]s of [`Node`](super::Node)s |
//!
//! The whole of YAML 1.2 is read: block and flow collections, all five scalar styles,
//! directives, anchors and aliases (kept unexpanded), explicit keys, document markers,
//! BOM and CRLF. Malformed input gives [`Error::Syntax`] with the position; the bounds
//! of [`Limits`] give [`Error::Limit`].

mod compose;
mod parser;
mod scanner;
#[cfg(test)]
mod tests;

pub(crate) use compose::EventStream;

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{CollectionStyle, Document, Error, Limits, Mark, ScalarStyle, Span};

/// One parse event, with the span of source it covers.
///
/// Scalar values and anchor names borrow from the input when they can.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// The start of the stream.
    StreamStart {
        /// Where it stands.
        span: Span,
    },
    /// The end of the stream.
    StreamEnd {
        /// Where it stands.
        span: Span,
    },
    /// The start of a document.
    DocumentStart {
        /// Whether the document began with `---`.
        explicit: bool,
        /// Where it stands (the `---` marker, or an empty span for a bare document).
        span: Span,
    },
    /// The end of a document.
    DocumentEnd {
        /// Whether the document ended with `...`.
        explicit: bool,
        /// Where it stands.
        span: Span,
    },
    /// The start of a sequence.
    SequenceStart {
        /// The anchor name, without `&`.
        anchor: Option<&'a str>,
        /// The tag in full form.
        tag: Option<String>,
        /// Block or flow.
        style: CollectionStyle,
        /// From the node's first property (or its start) to the end of its start token.
        span: Span,
    },
    /// The end of a sequence.
    SequenceEnd {
        /// Where it stands.
        span: Span,
    },
    /// The start of a mapping.
    MappingStart {
        /// The anchor name, without `&`.
        anchor: Option<&'a str>,
        /// The tag in full form.
        tag: Option<String>,
        /// Block or flow.
        style: CollectionStyle,
        /// From the node's first property (or its start) to the end of its start token.
        span: Span,
    },
    /// The end of a mapping.
    MappingEnd {
        /// Where it stands.
        span: Span,
    },
    /// A scalar.
    Scalar {
        /// The anchor name, without `&`.
        anchor: Option<&'a str>,
        /// The tag in full form.
        tag: Option<String>,
        /// The value after unescaping and folding.
        value: Cow<'a, str>,
        /// How it was written.
        style: ScalarStyle,
        /// From the node's first property (or its start) to its end.
        span: Span,
    },
    /// An alias `*name`.
    Alias {
        /// The anchor name, without `*`.
        name: Cow<'a, str>,
        /// Where it stands.
        span: Span,
    },
}

impl Event<'_> {
    /// The span of source the event covers.
    pub fn span(&self) -> Span {
        match self {
            Event::StreamStart { span }
            | Event::StreamEnd { span }
            | Event::DocumentStart { span, .. }
            | Event::DocumentEnd { span, .. }
            | Event::SequenceStart { span, .. }
            | Event::SequenceEnd { span }
            | Event::MappingStart { span, .. }
            | Event::MappingEnd { span }
            | Event::Scalar { span, .. }
            | Event::Alias { span, .. } => *span,
        }
    }
}

/// Which reading of YAML the parser follows.
///
/// [`Dialect::Yaml12`] is strict YAML 1.2 (it passes the whole yaml-test-suite);
/// [`Dialect::GoYamlV3`] reads as go-yaml v3 does (kyaml, hence `kustomize build`), and
/// [`Dialect::GoYamlV2`] as go-yaml v2 does (`sigs.k8s.io/yaml`, the API server) where
/// they depart from the specification:
///
/// - the escape `\/` is refused and `\'` is accepted in double-quoted scalars;
/// - a tab on an otherwise empty line inside a multi-line plain scalar's indentation is
///   an error;
/// - flow content may be indented less than its block parent;
/// - a byte-order mark not at the very start of the stream is content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// Strict YAML 1.2.
    #[default]
    Yaml12,
    /// go-yaml v3 (`go.yaml.in/yaml/v3`), as kyaml reads.
    GoYamlV3,
    /// go-yaml v2 (`go.yaml.in/yaml/v2`), as `sigs.k8s.io/yaml` reads. Its scanner is the
    /// same as v3's in every point listed on [`Dialect`].
    GoYamlV2,
}

/// Options for [`parse_stream_with`]: the bounds and the dialect.
///
/// ```
/// use gitops_core::yaml::{Dialect, Limits, ParseOptions};
/// let o = ParseOptions { dialect: Dialect::GoYamlV3, ..ParseOptions::default() };
/// assert_eq!(o.limits, Limits::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParseOptions {
    /// Bounds on input size and nesting.
    pub limits: Limits,
    /// Which reading of YAML to follow.
    pub dialect: Dialect,
}

fn check_size(input: &str, limits: &Limits) -> Result<(), Error> {
    // Positions are kept in 32 bits.
    let limit = limits.max_input_bytes.min(u32::MAX as usize);
    if input.len() > limit {
        return Err(Error::Limit {
            mark: Mark { index: 0, line: 1, column: 1 },
            what: "input size in bytes",
            limit,
        });
    }
    Ok(())
}

/// Parse a multi-document stream into documents of nodes.
///
/// ```
/// use gitops_core::yaml::{Limits, NodeKind, parse_stream};
/// let docs = parse_stream("a: 1 # one\n---\n- x\n", &Limits::default()).unwrap();
/// assert_eq!(docs.len(), 2);
/// assert_eq!(docs[0].comments[0].text, " one");
/// let root = docs[1].root.as_ref().unwrap();
/// assert!(matches!(&root.kind, NodeKind::Sequence { items, .. } if items[0].as_str() == Some("x")));
/// assert_eq!(root.span.start.line, 3);
/// ```
pub fn parse_stream(input: &str, limits: &Limits) -> Result<Vec<Document>, Error> {
    parse_stream_with(input, &ParseOptions { limits: *limits, dialect: Dialect::Yaml12 })
}

/// Parse a multi-document stream with the given [`ParseOptions`] (bounds and dialect).
///
/// ```
/// use gitops_core::yaml::{Dialect, ParseOptions, parse_stream_with};
/// let go = ParseOptions { dialect: Dialect::GoYamlV3, ..ParseOptions::default() };
/// // YAML 1.2 has the escape `\/`; go-yaml refuses it.
/// assert!(parse_stream_with("a: \"\\/\"\n", &ParseOptions::default()).is_ok());
/// assert!(parse_stream_with("a: \"\\/\"\n", &go).is_err());
/// ```
pub fn parse_stream_with(input: &str, options: &ParseOptions) -> Result<Vec<Document>, Error> {
    check_size(input, &options.limits)?;
    let mut parser = parser::Parser::new(input, options.limits.max_depth, options.dialect);
    compose::compose(&mut parser)
}

/// Parse a stream into its events (for conformance testing and streaming readers).
///
/// ```
/// use gitops_core::yaml::{Limits, format_test_event, parse_events};
/// let events = parse_events("--- [a, &x b]\n", &Limits::default()).unwrap();
/// let lines: Vec<String> = events.iter().map(format_test_event).collect();
/// assert_eq!(lines, ["+STR", "+DOC ---", "+SEQ []", "=VAL :a", "=VAL &x :b", "-SEQ", "-DOC", "-STR"]);
/// ```
pub fn parse_events<'a>(input: &'a str, limits: &Limits) -> Result<Vec<Event<'a>>, Error> {
    parse_events_with(input, &ParseOptions { limits: *limits, dialect: Dialect::Yaml12 })
}

/// Parse a stream into its events with the given [`ParseOptions`].
///
/// ```
/// use gitops_core::yaml::{Dialect, ParseOptions, parse_events_with};
/// let go = ParseOptions { dialect: Dialect::GoYamlV3, ..ParseOptions::default() };
/// assert_eq!(parse_events_with("a\n", &go).unwrap().len(), 5);
/// ```
pub fn parse_events_with<'a>(
    input: &'a str,
    options: &ParseOptions,
) -> Result<Vec<Event<'a>>, Error> {
    check_size(input, &options.limits)?;
    let mut parser = parser::Parser::new(input, options.limits.max_depth, options.dialect);
    let mut out = Vec::new();
    while let Some(ev) = parser.next_event()? {
        out.push(ev);
    }
    Ok(out)
}

fn write_props(out: &mut String, anchor: &Option<&str>, tag: &Option<String>) {
    if let Some(a) = anchor {
        out.push_str(" &");
        out.push_str(a);
    }
    if let Some(t) = tag {
        let _ = write!(out, " <{t}>");
    }
}

/// Formats an event as one line of the yaml-test-suite `test.event` format
/// (`+STR`, `+DOC ---`, `+MAP {} &a <tag>`, `=VAL :text`, `=ALI *a`, ...).
///
/// ```
/// use std::borrow::Cow;
/// use gitops_core::yaml::{Event, ScalarStyle, Span, format_test_event};
/// let ev = Event::Scalar {
///     anchor: Some("a"),
///     tag: Some("tag:yaml.org,2002:str".into()),
///     value: Cow::Borrowed("x\ty"),
///     style: ScalarStyle::DoubleQuoted,
///     span: Span::default(),
/// };
/// assert_eq!(format_test_event(&ev), "=VAL &a <tag:yaml.org,2002:str> \"x\\ty");
/// ```
pub fn format_test_event(ev: &Event<'_>) -> String {
    let mut out = String::new();
    match ev {
        Event::StreamStart { .. } => out.push_str("+STR"),
        Event::StreamEnd { .. } => out.push_str("-STR"),
        Event::DocumentStart { explicit, .. } => {
            out.push_str(if *explicit { "+DOC ---" } else { "+DOC" })
        }
        Event::DocumentEnd { explicit, .. } => {
            out.push_str(if *explicit { "-DOC ..." } else { "-DOC" })
        }
        Event::SequenceStart { anchor, tag, style, .. } => {
            out.push_str("+SEQ");
            if *style == CollectionStyle::Flow {
                out.push_str(" []");
            }
            write_props(&mut out, anchor, tag);
        }
        Event::SequenceEnd { .. } => out.push_str("-SEQ"),
        Event::MappingStart { anchor, tag, style, .. } => {
            out.push_str("+MAP");
            if *style == CollectionStyle::Flow {
                out.push_str(" {}");
            }
            write_props(&mut out, anchor, tag);
        }
        Event::MappingEnd { .. } => out.push_str("-MAP"),
        Event::Scalar { anchor, tag, value, style, .. } => {
            out.push_str("=VAL");
            write_props(&mut out, anchor, tag);
            out.push(' ');
            out.push(match style {
                ScalarStyle::Plain => ':',
                ScalarStyle::SingleQuoted => '\'',
                ScalarStyle::DoubleQuoted => '"',
                ScalarStyle::Literal => '|',
                ScalarStyle::Folded => '>',
            });
            for c in value.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\0' => out.push_str("\\0"),
                    '\x07' => out.push_str("\\a"),
                    '\x08' => out.push_str("\\b"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\x0b' => out.push_str("\\v"),
                    '\x0c' => out.push_str("\\f"),
                    '\r' => out.push_str("\\r"),
                    '\x1b' => out.push_str("\\e"),
                    c => out.push(c),
                }
            }
        }
        Event::Alias { name, .. } => {
            out.push_str("=ALI *");
            out.push_str(name);
        }
    }
    out
}
