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
//! assert_eq!(n.tag(), None);
//! let _ = Mark::default();
//! ```
//!
//! Nodes are compact (64 bytes on 64-bit targets): positions are 32-bit (inputs are
//! bounded below 4 GiB, see [`Limits`](super::Limits)), and the rare tag and anchor live
//! out of line in [`Props`].

/// A position in the source: byte offset, 1-based line and 1-based column (in characters).
///
/// The fields are 32-bit: the parser refuses inputs of 4 GiB or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Mark {
    /// Byte offset from the start of the input.
    pub index: u32,
    /// Line number, starting at 1.
    pub line: u32,
    /// Column number, starting at 1, counted in characters.
    pub column: u32,
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
    /// The tag and anchor, when either was written (see [`Node::tag`], [`Node::anchor`]).
    pub props: Option<Box<Props>>,
    /// Where the node stands in the source.
    pub span: Span,
}

/// A node's properties: rare, so kept out of line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Props {
    /// The tag in full form (`tag:yaml.org,2002:str`, `!local`, or `!` for the non-specific
    /// tag), when one was written.
    pub tag: Option<String>,
    /// The anchor name (without `&`), when one was written.
    pub anchor: Option<String>,
}

impl Props {
    /// The properties as a node holds them: `None` when neither was written.
    pub fn boxed(tag: Option<String>, anchor: Option<String>) -> Option<Box<Props>> {
        (tag.is_some() || anchor.is_some()).then(|| Box::new(Props { tag, anchor }))
    }
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
        Node { kind: NodeKind::Scalar { value: value.into(), style }, props: None, span }
    }

    /// The tag in full form (`tag:yaml.org,2002:str`, `!local`, or `!`), if one was written.
    ///
    /// ```
    /// use gitops_core::yaml::{Limits, parse_stream};
    /// let docs = parse_stream("!!str &a 1\n", &Limits::default()).unwrap();
    /// let root = docs[0].root.as_ref().unwrap();
    /// assert_eq!(root.tag(), Some("tag:yaml.org,2002:str"));
    /// assert_eq!(root.anchor(), Some("a"));
    /// ```
    pub fn tag(&self) -> Option<&str> {
        self.props.as_ref().and_then(|p| p.tag.as_deref())
    }

    /// The anchor name (without `&`), if one was written.
    pub fn anchor(&self) -> Option<&str> {
        self.props.as_ref().and_then(|p| p.anchor.as_deref())
    }

    /// Sets (or, with `None`, removes) the tag.
    pub fn set_tag(&mut self, tag: Option<String>) {
        let anchor = self.props.take().and_then(|p| p.anchor);
        self.props = Props::boxed(tag, anchor);
    }

    /// Sets (or, with `None`, removes) the anchor.
    pub fn set_anchor(&mut self, anchor: Option<String>) {
        let tag = self.props.take().and_then(|p| p.tag);
        self.props = Props::boxed(tag, anchor);
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
