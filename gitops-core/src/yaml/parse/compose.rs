//! The composer: events → [`Document`]s of [`Node`]s.
//!
//! It keeps an explicit stack of open collections (no recursion, so nesting depth costs
//! heap, bounded by the parser's depth limit, never stack), checks that every alias names
//! an anchor defined earlier in its document, and hands each document the comments that
//! stand in it. Finished nodes wait on one shared value stack; when a collection closes,
//! its children are moved into a vector of exactly the right size (one allocation per
//! collection).

use std::collections::HashSet;

use super::super::{
    CollectionStyle, Comment, Document, Error, Limits, Node, NodeKind, Props, Span,
};
use super::Event;
use super::parser::Parser;

/// The events of a stream one at a time, for readers that build their own trees (the
/// resolver's direct path from text to values).
pub(crate) struct EventStream<'a> {
    parser: Parser<'a>,
}

impl<'a> EventStream<'a> {
    /// A stream over `input`, within `limits`.
    pub(crate) fn new(input: &'a str, limits: &Limits) -> Result<Self, Error> {
        super::check_size(input, limits)?;
        Self::with_dialect(input, limits, super::Dialect::Yaml12)
    }

    /// A stream over `input`, within `limits`, read in `dialect`.
    pub(crate) fn with_dialect(
        input: &'a str,
        limits: &Limits,
        dialect: super::Dialect,
    ) -> Result<Self, Error> {
        super::check_size(input, limits)?;
        Ok(EventStream { parser: Parser::new(input, limits.max_depth, dialect) })
    }

    /// The next event; `None` after the stream's end.
    pub(crate) fn next_event(&mut self) -> Result<Option<Event<'a>>, Error> {
        self.parser.next_event()
    }
}

/// An open collection: its properties, and where its children start on the value stack.
struct Frame {
    /// The collection node, with an empty item/entry list until it closes.
    node: Node,
    /// Index of its first child on the value stack.
    base: usize,
}

/// Composes every document of the parser's stream.
pub(crate) fn compose(parser: &mut Parser<'_>) -> Result<Vec<Document>, Error> {
    let mut docs: Vec<Document> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut values: Vec<Node> = Vec::with_capacity(64);
    let mut anchors: HashSet<&str> = HashSet::new();
    let mut doc_start = Span::default();
    let mut explicit_start = false;
    while let Some(ev) = parser.next_event()? {
        let node = match ev {
            Event::StreamStart { .. } | Event::StreamEnd { .. } => continue,
            Event::DocumentStart { explicit, span } => {
                explicit_start = explicit;
                doc_start = span;
                values.clear();
                frames.clear();
                anchors.clear();
                continue;
            }
            Event::DocumentEnd { explicit, span } => {
                docs.push(Document {
                    root: values.pop(),
                    explicit_start,
                    explicit_end: explicit,
                    comments: Vec::new(),
                    span: Span { start: doc_start.start, end: span.end },
                });
                continue;
            }
            Event::Alias { name, span } => {
                if !anchors.contains(name.as_ref()) {
                    return Err(Error::UnknownAnchor { mark: span.start, name: name.into_owned() });
                }
                Node { kind: NodeKind::Alias { name: name.into_owned() }, props: None, span }
            }
            Event::Scalar { anchor, tag, value, style, span } => {
                if let Some(a) = anchor {
                    anchors.insert(a);
                }
                Node {
                    kind: NodeKind::Scalar { value: value.into_owned(), style },
                    props: Props::boxed(tag, anchor.map(str::to_string)),
                    span,
                }
            }
            Event::SequenceStart { anchor, tag, style, span } => {
                if let Some(a) = anchor {
                    anchors.insert(a);
                }
                let node = Node {
                    kind: NodeKind::Sequence { items: Vec::new(), style },
                    props: Props::boxed(tag, anchor.map(str::to_string)),
                    span,
                };
                frames.push(Frame { node, base: values.len() });
                continue;
            }
            Event::MappingStart { anchor, tag, style, span } => {
                if let Some(a) = anchor {
                    anchors.insert(a);
                }
                let node = Node {
                    kind: NodeKind::Mapping { entries: Vec::new(), style },
                    props: Props::boxed(tag, anchor.map(str::to_string)),
                    span,
                };
                frames.push(Frame { node, base: values.len() });
                continue;
            }
            Event::SequenceEnd { span } | Event::MappingEnd { span } => {
                let Some(Frame { mut node, base }) = frames.pop() else { continue };
                let base = base.min(values.len());
                let flow;
                match &mut node.kind {
                    NodeKind::Sequence { items, style } => {
                        flow = *style == CollectionStyle::Flow;
                        *items = values.drain(base..).collect();
                    }
                    NodeKind::Mapping { entries, style } => {
                        flow = *style == CollectionStyle::Flow;
                        let mut kv = Vec::with_capacity((values.len() - base) / 2);
                        let mut it = values.drain(base..);
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            kv.push((k, v));
                        }
                        drop(it);
                        *entries = kv;
                    }
                    NodeKind::Scalar { .. } | NodeKind::Alias { .. } => flow = false,
                }
                node.span.end =
                    if flow { span.end } else { last_end(&node).unwrap_or(node.span.end) };
                node
            }
        };
        values.push(node);
    }
    distribute_comments(&mut docs, std::mem::take(&mut parser.scanner.comments));
    Ok(docs)
}

/// Where the last child of a collection ends.
fn last_end(node: &Node) -> Option<crate::yaml::Mark> {
    match &node.kind {
        NodeKind::Sequence { items, .. } => items.last().map(|n| n.span.end),
        NodeKind::Mapping { entries, .. } => entries.last().map(|(_, v)| v.span.end),
        NodeKind::Scalar { .. } | NodeKind::Alias { .. } => None,
    }
}

/// Gives each document the comments that stand before its end (leading comments go to
/// the first document, trailing ones to the last).
fn distribute_comments(docs: &mut [Document], comments: Vec<Comment>) {
    let mut i = 0;
    let last = docs.len().saturating_sub(1);
    for c in comments {
        while i < last && docs.get(i).is_some_and(|d| d.span.end.index < c.span.end.index) {
            i += 1;
        }
        if let Some(d) = docs.get_mut(i) {
            d.comments.push(c);
        }
    }
}
