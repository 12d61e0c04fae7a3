//! The YAML representation tree: what the parser composes, before any scalar is resolved.
//!
//! A [`Node`] keeps everything the source said about a value: its scalar text and style,
//! its tag as written (resolved against `%TAG` directives), its anchor, and the span it
//! occupies in the source. Aliases stay [`NodeKind::Alias`] nodes; they are expanded, with
//! a budget, only when the tree is resolved into a [`Value`](super::Value).
//!
//! ```
//! use gitops_core::yaml::{Mark, Node, NodeKind, ScalarStyle, Span};
//! let n = Node::scalar("web", ScalarStyle::Plain, Span::default());
//! assert_eq!(n.as_str(), Some("web"));
//! assert!(matches!(n.kind, NodeKind::Scalar { .. }));
//! let _ = Mark::default();
//! ```

/// A position in the source: byte offset, 1-based line and 1-based column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Mark {
    /// Byte offset from the start of the input.
    pub index: usize,
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number, starting at 1, counted in characters.
    pub column: usize,
}

/// The part of the source a node or comment occupies: `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    /// First byte of the node.
    pub start: Mark,
    /// One past the last byte of the node.
    pub end: Mark,
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    /// `value`
    Plain,
    /// `'value'`
    SingleQuoted,
    /// `"value"`
    DoubleQuoted,
    /// `|` block
    Literal,
    /// `>` block
    Folded,
}

/// How a collection was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CollectionStyle {
    /// Indentation-based.
    Block,
    /// `{...}` or `[...]`.
    Flow,
}

/// One node of the representation tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the node is.
    pub kind: NodeKind,
    /// The tag in full form (`tag:yaml.org,2002:str`, `!local`, or `!` for the non-specific
    /// tag), when one was written.
    pub tag: Option<String>,
    /// The anchor name (without `&`), when one was written.
    pub anchor: Option<String>,
    /// Where the node stands in the source.
    pub span: Span,
}

/// The kinds of node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar: its value after unescaping and folding, and how it was written.
    Scalar {
        /// The scalar's content.
        value: String,
        /// The style it was written in.
        style: ScalarStyle,
    },
    /// A sequence.
    Sequence {
        /// The items in order.
        items: Vec<Node>,
        /// Block or flow.
        style: CollectionStyle,
    },
    /// A mapping, entries in source order (duplicates kept; the resolver decides).
    Mapping {
        /// Key/value pairs in source order.
        entries: Vec<(Node, Node)>,
        /// Block or flow.
        style: CollectionStyle,
    },
    /// `*name`: a reference to an earlier anchored node.
    Alias {
        /// The anchor name (without `*`).
        name: String,
    },
}

impl Node {
    /// A scalar node with no tag or anchor.
    pub fn scalar(value: impl Into<String>, style: ScalarStyle, span: Span) -> Node {
        Node {
            kind: NodeKind::Scalar { value: value.into(), style },
            tag: None,
            anchor: None,
            span,
        }
    }

    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }
}

/// A comment in the source (`# text`), with the text after `#` and its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Text after the `#`, not including the line break.
    pub text: String,
    /// Where the comment stands, `#` included.
    pub span: Span,
}

/// One document of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The root node; `None` for an empty document (which resolves to null).
    pub root: Option<Node>,
    /// Whether the document began with an explicit `---`.
    pub explicit_start: bool,
    /// Whether the document ended with an explicit `...`.
    pub explicit_end: bool,
    /// Comments found in the document, in source order.
    pub comments: Vec<Comment>,
    /// The span of the whole document.
    pub span: Span,
}
