//! The composer: events → [`Document`]s of [`Node`]s.
//!
//! It keeps an explicit stack of open collections (no recursion, so nesting depth costs
//! heap, bounded by the parser's depth limit, never stack), checks that every alias names
//! an anchor defined earlier in its document, and hands each document the comments that
//! stand in it.

use std::collections::HashSet;

use super::super::{CollectionStyle, Comment, Document, Error, Node, NodeKind, Span};
use super::Event;
use super::parser::Parser;

/// An open collection and, for a mapping, the key waiting for its value.
struct Frame {
    node: Node,
    key: Option<Node>,
}

/// Puts a finished node into the innermost open collection, or makes it the root.
fn attach(stack: &mut [Frame], root: &mut Option<Node>, node: Node) {
    let Some(frame) = stack.last_mut() else {
        *root = Some(node);
        return;
    };
    match &mut frame.node.kind {
        NodeKind::Sequence { items, .. } => {
            frame.node.span.end = node.span.end;
            items.push(node);
        }
        NodeKind::Mapping { entries, .. } => match frame.key.take() {
            None => frame.key = Some(node),
            Some(key) => {
                frame.node.span.end = node.span.end;
                entries.push((key, node));
            }
        },
        NodeKind::Scalar { .. } | NodeKind::Alias { .. } => {}
    }
}

/// Composes every document of the parser's stream.
pub(crate) fn compose(parser: &mut Parser<'_>) -> Result<Vec<Document>, Error> {
    let mut docs: Vec<Document> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut anchors: HashSet<&str> = HashSet::new();
    let mut doc_start = Span::default();
    let mut explicit_start = false;
    while let Some(ev) = parser.next_event()? {
        match ev {
            Event::StreamStart { .. } | Event::StreamEnd { .. } => {}
            Event::DocumentStart { explicit, span } => {
                explicit_start = explicit;
                doc_start = span;
                root = None;
                anchors.clear();
            }
            Event::DocumentEnd { explicit, span } => {
                docs.push(Document {
                    root: root.take(),
                    explicit_start,
                    explicit_end: explicit,
                    comments: Vec::new(),
                    span: Span { start: doc_start.start, end: span.end },
                });
            }
            Event::Alias { name, span } => {
                if !anchors.contains(name.as_ref()) {
                    return Err(Error::UnknownAnchor { mark: span.start, name: name.into_owned() });
                }
                let node = Node {
                    kind: NodeKind::Alias { name: name.into_owned() },
                    tag: None,
                    anchor: None,
                    span,
                };
                attach(&mut stack, &mut root, node);
            }
            Event::Scalar { anchor, tag, value, style, span } => {
                if let Some(a) = anchor {
                    anchors.insert(a);
                }
                let node = Node {
                    kind: NodeKind::Scalar { value: value.into_owned(), style },
                    tag,
                    anchor: anchor.map(str::to_string),
                    span,
                };
                attach(&mut stack, &mut root, node);
            }
            Event::SequenceStart { anchor, tag, style, span } => {
                if let Some(a) = anchor {
                    anchors.insert(a);
                }
                let node = Node {
                    kind: NodeKind::Sequence { items: Vec::new(), style },
                    tag,
                    anchor: anchor.map(str::to_string),
                    span,
                };
                stack.push(Frame { node, key: None });
            }
            Event::MappingStart { anchor, tag, style, span } => {
                if let Some(a) = anchor {
                    anchors.insert(a);
                }
                let node = Node {
                    kind: NodeKind::Mapping { entries: Vec::new(), style },
                    tag,
                    anchor: anchor.map(str::to_string),
                    span,
                };
                stack.push(Frame { node, key: None });
            }
            Event::SequenceEnd { span } | Event::MappingEnd { span } => {
                if let Some(mut frame) = stack.pop() {
                    let flow = matches!(
                        frame.node.kind,
                        NodeKind::Sequence { style: CollectionStyle::Flow, .. }
                            | NodeKind::Mapping { style: CollectionStyle::Flow, .. }
                    );
                    if flow {
                        frame.node.span.end = span.end;
                    }
                    attach(&mut stack, &mut root, frame.node);
                }
            }
        }
    }
    distribute_comments(&mut docs, std::mem::take(&mut parser.scanner.comments));
    Ok(docs)
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
