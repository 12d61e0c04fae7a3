//! The event parser: tokens → [`Event`]s.
//!
//! A state machine over the scanner's tokens following the YAML 1.2 grammar: documents
//! (with `%YAML`/`%TAG` directives), block and flow collections, node properties
//! (anchor and tag, tags resolved to full form), and empty nodes where the grammar
//! allows them. Nesting depth is counted here and bounded by
//! [`Limits::max_depth`](super::super::Limits).

use std::borrow::Cow;

use super::super::{CollectionStyle, Error, Mark, ScalarStyle, Span};
use super::Event;
use super::scanner::{Scanner, Token, TokenKind, syntax};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StreamStart,
    /// At the stream start or after `...`: a bare document may follow.
    ImplicitDocumentStart,
    /// After a document that did not end with `...`: only `---` or the end may follow.
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

const DEFAULT_TAGS: [(&str, &str); 2] = [("!", "!"), ("!!", "tag:yaml.org,2002:")];

/// The event parser.
pub(crate) struct Parser<'a> {
    pub scanner: Scanner<'a>,
    state: State,
    states: Vec<State>,
    tags: Vec<(String, String)>,
    depth: usize,
    max_depth: usize,
}

impl<'a> Parser<'a> {
    /// A parser over `src`.
    pub fn new(src: &'a str, max_depth: usize, dialect: super::Dialect) -> Self {
        Parser {
            scanner: Scanner::with_dialect(src, max_depth, dialect),
            state: State::StreamStart,
            states: Vec::new(),
            tags: Vec::new(),
            depth: 0,
            max_depth,
        }
    }

    /// The next event, or `None` after the stream end.
    pub fn next_event(&mut self) -> Result<Option<Event<'a>>, Error> {
        if self.state == State::End {
            return Ok(None);
        }
        let ev = self.step()?;
        match &ev {
            Event::SequenceStart { span, .. } | Event::MappingStart { span, .. } => {
                self.depth += 1;
                if self.depth > self.max_depth {
                    return Err(Error::Limit {
                        mark: span.start,
                        what: "nesting depth",
                        limit: self.max_depth,
                    });
                }
            }
            Event::SequenceEnd { .. } | Event::MappingEnd { .. } => {
                self.depth = self.depth.saturating_sub(1);
            }
            _ => {}
        }
        Ok(Some(ev))
    }

    fn peek(&mut self) -> Result<&Token<'a>, Error> {
        self.scanner.peek_token()
    }

    fn skip(&mut self) -> Result<Token<'a>, Error> {
        self.scanner.next_token()
    }

    /// Consumes the next token, which the caller has already looked at.
    #[inline]
    fn advance(&mut self) -> Result<(), Error> {
        self.scanner.next_token().map(drop)
    }

    fn pop_state(&mut self) -> State {
        self.states.pop().unwrap_or(State::End)
    }

    fn empty_scalar(mark: Mark) -> Event<'a> {
        Event::Scalar {
            anchor: None,
            tag: None,
            value: Cow::Borrowed(""),
            style: ScalarStyle::Plain,
            span: Span { start: mark, end: mark },
        }
    }

    fn step(&mut self) -> Result<Event<'a>, Error> {
        match self.state {
            State::StreamStart => {
                let t = self.skip()?;
                if !matches!(t.kind, TokenKind::StreamStart) {
                    return Err(syntax(t.start, "did not find expected <stream-start>"));
                }
                self.state = State::ImplicitDocumentStart;
                Ok(Event::StreamStart { span: Span { start: t.start, end: t.end } })
            }
            State::ImplicitDocumentStart => self.document_start(true),
            State::DocumentStart => self.document_start(false),
            State::DocumentContent => {
                if matches!(
                    self.peek()?.kind,
                    TokenKind::VersionDirective
                        | TokenKind::ReservedDirective
                        | TokenKind::TagDirective { .. }
                        | TokenKind::DocumentStart
                        | TokenKind::DocumentEnd
                        | TokenKind::StreamEnd
                ) {
                    let m = self.peek()?.start;
                    self.state = self.pop_state();
                    Ok(Self::empty_scalar(m))
                } else {
                    self.node(true, false)
                }
            }
            State::DocumentEnd => {
                let t = self.peek()?;
                let (start, mut end) = (t.start, t.start);
                let explicit = matches!(t.kind, TokenKind::DocumentEnd);
                if explicit {
                    end = t.end;
                    self.advance()?;
                } else if !matches!(t.kind, TokenKind::DocumentStart | TokenKind::StreamEnd) {
                    return Err(syntax(t.start, "did not find expected <document start>"));
                }
                self.tags.clear();
                self.state =
                    if explicit { State::ImplicitDocumentStart } else { State::DocumentStart };
                Ok(Event::DocumentEnd { explicit, span: Span { start, end } })
            }
            State::BlockNode => self.node(true, false),
            State::BlockSequenceFirstEntry => {
                self.advance()?;
                self.block_sequence_entry()
            }
            State::BlockSequenceEntry => self.block_sequence_entry(),
            State::IndentlessSequenceEntry => self.indentless_sequence_entry(),
            State::BlockMappingFirstKey => {
                self.advance()?;
                self.block_mapping_key()
            }
            State::BlockMappingKey => self.block_mapping_key(),
            State::BlockMappingValue => self.block_mapping_value(),
            State::FlowSequenceFirstEntry => {
                self.advance()?;
                self.flow_sequence_entry(true)
            }
            State::FlowSequenceEntry => self.flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => {
                let t = self.peek()?;
                if matches!(
                    t.kind,
                    TokenKind::Value | TokenKind::FlowEntry | TokenKind::FlowSequenceEnd
                ) {
                    let m = t.start;
                    self.state = State::FlowSequenceEntryMappingValue;
                    Ok(Self::empty_scalar(m))
                } else {
                    self.states.push(State::FlowSequenceEntryMappingValue);
                    self.node(false, false)
                }
            }
            State::FlowSequenceEntryMappingValue => {
                let t = self.peek()?;
                if matches!(t.kind, TokenKind::Value) {
                    self.advance()?;
                    let t = self.peek()?;
                    if matches!(t.kind, TokenKind::FlowEntry | TokenKind::FlowSequenceEnd) {
                        let m = t.start;
                        self.state = State::FlowSequenceEntryMappingEnd;
                        Ok(Self::empty_scalar(m))
                    } else {
                        self.states.push(State::FlowSequenceEntryMappingEnd);
                        self.node(false, false)
                    }
                } else {
                    let m = t.start;
                    self.state = State::FlowSequenceEntryMappingEnd;
                    Ok(Self::empty_scalar(m))
                }
            }
            State::FlowSequenceEntryMappingEnd => {
                let m = self.peek()?.start;
                self.state = State::FlowSequenceEntry;
                Ok(Event::MappingEnd { span: Span { start: m, end: m } })
            }
            State::FlowMappingFirstKey => {
                self.advance()?;
                self.flow_mapping_key(true)
            }
            State::FlowMappingKey => self.flow_mapping_key(false),
            State::FlowMappingValue => self.flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.flow_mapping_value(true),
            State::End => {
                let m = self.peek()?.start;
                Err(syntax(m, "no more events"))
            }
        }
    }

    fn document_start(&mut self, implicit_allowed: bool) -> Result<Event<'a>, Error> {
        // `...` with nothing before it is allowed (and ignored).
        if implicit_allowed {
            while matches!(self.peek()?.kind, TokenKind::DocumentEnd) {
                self.advance()?;
            }
        }
        let t = self.peek()?;
        let start = t.start;
        match t.kind {
            TokenKind::StreamEnd => {
                let end = t.end;
                self.advance()?;
                self.state = State::End;
                Ok(Event::StreamEnd { span: Span { start, end } })
            }
            TokenKind::VersionDirective
            | TokenKind::ReservedDirective
            | TokenKind::TagDirective { .. }
            | TokenKind::DocumentStart => {
                if !implicit_allowed && !matches!(t.kind, TokenKind::DocumentStart) {
                    return Err(syntax(
                        start,
                        "missing document end marker '...' before directives",
                    ));
                }
                self.directives()?;
                let t = self.peek()?;
                if !matches!(t.kind, TokenKind::DocumentStart) {
                    return Err(syntax(t.start, "did not find expected <document start>"));
                }
                let end = t.end;
                self.advance()?;
                self.states.push(State::DocumentEnd);
                self.state = State::DocumentContent;
                Ok(Event::DocumentStart { explicit: true, span: Span { start, end } })
            }
            _ if implicit_allowed => {
                self.tags.clear();
                self.states.push(State::DocumentEnd);
                self.state = State::BlockNode;
                Ok(Event::DocumentStart { explicit: false, span: Span { start, end: start } })
            }
            _ => Err(syntax(start, "did not find expected <document start>")),
        }
    }

    fn directives(&mut self) -> Result<(), Error> {
        self.tags.clear();
        let mut seen_version = false;
        loop {
            if !matches!(
                self.peek()?.kind,
                TokenKind::VersionDirective
                    | TokenKind::ReservedDirective
                    | TokenKind::TagDirective { .. }
            ) {
                return Ok(());
            }
            let t = self.skip()?;
            match t.kind {
                TokenKind::VersionDirective => {
                    if seen_version {
                        return Err(syntax(t.start, "found duplicate %YAML directive"));
                    }
                    seen_version = true;
                }
                TokenKind::ReservedDirective => {}
                TokenKind::TagDirective { handle, prefix } => {
                    if self.tags.iter().any(|(h, _)| h == handle) {
                        return Err(syntax(t.start, "found duplicate %TAG directive"));
                    }
                    self.tags.push((handle.to_string(), prefix.into_owned()));
                }
                _ => return Ok(()),
            }
        }
    }

    fn resolve_tag(&self, handle: &str, suffix: &str, mark: Mark) -> Result<String, Error> {
        if handle.is_empty() {
            return Ok(suffix.to_string());
        }
        if handle == "!" && suffix.is_empty() {
            return Ok("!".to_string());
        }
        let prefix = self
            .tags
            .iter()
            .rev()
            .find(|(h, _)| h == handle)
            .map(|(_, p)| p.as_str())
            .or_else(|| DEFAULT_TAGS.iter().find(|(h, _)| *h == handle).map(|(_, p)| *p))
            .ok_or_else(|| syntax(mark, "found undefined tag handle"))?;
        let mut s = String::with_capacity(prefix.len() + suffix.len());
        s.push_str(prefix);
        s.push_str(suffix);
        Ok(s)
    }

    /// The event for the scalar token at the head of the queue (a node without
    /// properties), after which the parser goes to `next`: the same as pushing `next` and
    /// reading the node, without the round trip through the state stack.
    #[inline]
    fn bare_scalar(&mut self, next: State) -> Result<Event<'a>, Error> {
        let t = self.skip()?;
        self.state = next;
        let span = Span { start: t.start, end: t.end };
        match t.kind {
            TokenKind::Scalar { value, style } => {
                Ok(Event::Scalar { anchor: None, tag: None, value, style, span })
            }
            _ => Err(syntax(t.start, "did not find expected node content")),
        }
    }

    /// A node: properties, then content (or an empty scalar when only properties stand).
    fn node(&mut self, block: bool, indentless_sequence: bool) -> Result<Event<'a>, Error> {
        let t = self.peek()?;
        match t.kind {
            TokenKind::Alias(name) => {
                let span = Span { start: t.start, end: t.end };
                self.advance()?;
                self.state = self.pop_state();
                return Ok(Event::Alias { name: Cow::Borrowed(name), span });
            }
            TokenKind::Scalar { .. } => {
                // The common case: a scalar without properties.
                let t = self.skip()?;
                self.state = self.pop_state();
                let span = Span { start: t.start, end: t.end };
                if let TokenKind::Scalar { value, style } = t.kind {
                    return Ok(Event::Scalar { anchor: None, tag: None, value, style, span });
                }
                return Err(syntax(t.start, "did not find expected node content"));
            }
            _ => {}
        }
        let mut anchor: Option<&'a str> = None;
        let mut tag: Option<String> = None;
        let mut start: Option<Mark> = None;
        let mut props_end = t.start;
        loop {
            let t = self.peek()?;
            match &t.kind {
                TokenKind::Anchor(_) if anchor.is_none() => {}
                TokenKind::Tag { .. } if tag.is_none() => {}
                TokenKind::Anchor(_) => {
                    return Err(syntax(t.start, "found more than one anchor on a node"));
                }
                TokenKind::Tag { .. } => {
                    return Err(syntax(t.start, "found more than one tag on a node"));
                }
                _ => break,
            }
            let t = self.skip()?;
            match t.kind {
                TokenKind::Anchor(name) => anchor = Some(name),
                TokenKind::Tag { handle, suffix } => {
                    tag = Some(self.resolve_tag(handle, &suffix, t.start)?)
                }
                _ => {}
            }
            start.get_or_insert(t.start);
            props_end = t.end;
        }
        let t = self.peek()?;
        let start = start.unwrap_or(t.start);
        match &t.kind {
            TokenKind::BlockEntry if indentless_sequence => {
                let span = Span { start, end: t.end };
                self.state = State::IndentlessSequenceEntry;
                Ok(Event::SequenceStart { anchor, tag, style: CollectionStyle::Block, span })
            }
            TokenKind::Scalar { .. } => {
                let t = self.skip()?;
                let span = Span { start, end: t.end };
                self.state = self.pop_state();
                match t.kind {
                    TokenKind::Scalar { value, style } => {
                        Ok(Event::Scalar { anchor, tag, value, style, span })
                    }
                    _ => Err(syntax(t.start, "did not find expected node content")),
                }
            }
            TokenKind::FlowSequenceStart => {
                let span = Span { start, end: t.end };
                self.state = State::FlowSequenceFirstEntry;
                Ok(Event::SequenceStart { anchor, tag, style: CollectionStyle::Flow, span })
            }
            TokenKind::FlowMappingStart => {
                let span = Span { start, end: t.end };
                self.state = State::FlowMappingFirstKey;
                Ok(Event::MappingStart { anchor, tag, style: CollectionStyle::Flow, span })
            }
            TokenKind::BlockSequenceStart if block => {
                let span = Span { start, end: t.end };
                self.state = State::BlockSequenceFirstEntry;
                Ok(Event::SequenceStart { anchor, tag, style: CollectionStyle::Block, span })
            }
            TokenKind::BlockMappingStart if block => {
                let span = Span { start, end: t.end };
                self.state = State::BlockMappingFirstKey;
                Ok(Event::MappingStart { anchor, tag, style: CollectionStyle::Block, span })
            }
            _ if anchor.is_some() || tag.is_some() => {
                self.state = self.pop_state();
                Ok(Event::Scalar {
                    anchor,
                    tag,
                    value: Cow::Borrowed(""),
                    style: ScalarStyle::Plain,
                    span: Span { start, end: props_end },
                })
            }
            _ => Err(syntax(t.start, "did not find expected node content")),
        }
    }

    fn block_sequence_entry(&mut self) -> Result<Event<'a>, Error> {
        let t = self.peek()?;
        match t.kind {
            TokenKind::BlockEntry => {
                let m = t.end;
                self.advance()?;
                let next = &self.peek()?.kind;
                if matches!(next, TokenKind::BlockEntry | TokenKind::BlockEnd) {
                    self.state = State::BlockSequenceEntry;
                    Ok(Self::empty_scalar(m))
                } else if matches!(next, TokenKind::Scalar { .. }) {
                    self.bare_scalar(State::BlockSequenceEntry)
                } else {
                    self.states.push(State::BlockSequenceEntry);
                    self.node(true, false)
                }
            }
            TokenKind::BlockEnd => {
                let span = Span { start: t.start, end: t.end };
                self.advance()?;
                self.state = self.pop_state();
                Ok(Event::SequenceEnd { span })
            }
            _ => Err(syntax(t.start, "did not find expected '-' indicator")),
        }
    }

    fn indentless_sequence_entry(&mut self) -> Result<Event<'a>, Error> {
        let t = self.peek()?;
        if matches!(t.kind, TokenKind::BlockEntry) {
            let m = t.end;
            self.advance()?;
            if matches!(
                self.peek()?.kind,
                TokenKind::BlockEntry | TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd
            ) {
                self.state = State::IndentlessSequenceEntry;
                Ok(Self::empty_scalar(m))
            } else {
                self.states.push(State::IndentlessSequenceEntry);
                self.node(true, false)
            }
        } else {
            let m = t.start;
            self.state = self.pop_state();
            Ok(Event::SequenceEnd { span: Span { start: m, end: m } })
        }
    }

    fn block_mapping_key(&mut self) -> Result<Event<'a>, Error> {
        let t = self.peek()?;
        match t.kind {
            TokenKind::Key => {
                let m = t.end;
                self.advance()?;
                let next = &self.peek()?.kind;
                if matches!(next, TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd) {
                    self.state = State::BlockMappingValue;
                    Ok(Self::empty_scalar(m))
                } else if matches!(next, TokenKind::Scalar { .. }) {
                    self.bare_scalar(State::BlockMappingValue)
                } else {
                    self.states.push(State::BlockMappingValue);
                    self.node(true, true)
                }
            }
            TokenKind::Value => {
                let m = t.start;
                self.state = State::BlockMappingValue;
                Ok(Self::empty_scalar(m))
            }
            TokenKind::BlockEnd => {
                let span = Span { start: t.start, end: t.end };
                self.advance()?;
                self.state = self.pop_state();
                Ok(Event::MappingEnd { span })
            }
            _ => Err(syntax(t.start, "did not find expected key")),
        }
    }

    fn block_mapping_value(&mut self) -> Result<Event<'a>, Error> {
        let t = self.peek()?;
        if matches!(t.kind, TokenKind::Value) {
            let m = t.end;
            self.advance()?;
            let next = &self.peek()?.kind;
            if matches!(next, TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd) {
                self.state = State::BlockMappingKey;
                Ok(Self::empty_scalar(m))
            } else if matches!(next, TokenKind::Scalar { .. }) {
                self.bare_scalar(State::BlockMappingKey)
            } else {
                self.states.push(State::BlockMappingKey);
                self.node(true, true)
            }
        } else {
            let m = t.start;
            self.state = State::BlockMappingKey;
            Ok(Self::empty_scalar(m))
        }
    }

    fn flow_sequence_entry(&mut self, first: bool) -> Result<Event<'a>, Error> {
        let t = self.peek()?;
        if !matches!(t.kind, TokenKind::FlowSequenceEnd) {
            if !first {
                if matches!(t.kind, TokenKind::FlowEntry) {
                    self.advance()?;
                } else {
                    return Err(syntax(t.start, "did not find expected ',' or ']'"));
                }
            }
            let t = self.peek()?;
            match t.kind {
                TokenKind::Key | TokenKind::Value => {
                    let span = Span { start: t.start, end: t.end };
                    if matches!(t.kind, TokenKind::Key) {
                        self.advance()?;
                    }
                    self.state = State::FlowSequenceEntryMappingKey;
                    return Ok(Event::MappingStart {
                        anchor: None,
                        tag: None,
                        style: CollectionStyle::Flow,
                        span,
                    });
                }
                TokenKind::FlowSequenceEnd => {}
                TokenKind::FlowEntry => {
                    return Err(syntax(t.start, "did not find expected node content"));
                }
                _ => {
                    self.states.push(State::FlowSequenceEntry);
                    return self.node(false, false);
                }
            }
        }
        let t = self.skip()?;
        self.state = self.pop_state();
        Ok(Event::SequenceEnd { span: Span { start: t.start, end: t.end } })
    }

    fn flow_mapping_key(&mut self, first: bool) -> Result<Event<'a>, Error> {
        let t = self.peek()?;
        if !matches!(t.kind, TokenKind::FlowMappingEnd) {
            if !first {
                if matches!(t.kind, TokenKind::FlowEntry) {
                    self.advance()?;
                } else {
                    return Err(syntax(t.start, "did not find expected ',' or '}'"));
                }
            }
            let t = self.peek()?;
            match t.kind {
                TokenKind::Key => {
                    self.advance()?;
                    let t = self.peek()?;
                    if matches!(
                        t.kind,
                        TokenKind::Value | TokenKind::FlowEntry | TokenKind::FlowMappingEnd
                    ) {
                        let m = t.start;
                        self.state = State::FlowMappingValue;
                        return Ok(Self::empty_scalar(m));
                    }
                    if matches!(t.kind, TokenKind::Scalar { .. }) {
                        return self.bare_scalar(State::FlowMappingValue);
                    }
                    self.states.push(State::FlowMappingValue);
                    return self.node(false, false);
                }
                TokenKind::Value => {
                    let m = t.start;
                    self.state = State::FlowMappingValue;
                    return Ok(Self::empty_scalar(m));
                }
                TokenKind::FlowMappingEnd => {}
                TokenKind::FlowEntry => {
                    return Err(syntax(t.start, "did not find expected node content"));
                }
                _ => {
                    self.states.push(State::FlowMappingEmptyValue);
                    return self.node(false, false);
                }
            }
        }
        let t = self.skip()?;
        self.state = self.pop_state();
        Ok(Event::MappingEnd { span: Span { start: t.start, end: t.end } })
    }

    fn flow_mapping_value(&mut self, empty: bool) -> Result<Event<'a>, Error> {
        let t = self.peek()?;
        let m = t.start;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(Self::empty_scalar(m));
        }
        if matches!(t.kind, TokenKind::Value) {
            self.advance()?;
            let t = self.peek()?;
            if matches!(t.kind, TokenKind::Scalar { .. }) {
                return self.bare_scalar(State::FlowMappingKey);
            }
            if !matches!(t.kind, TokenKind::FlowEntry | TokenKind::FlowMappingEnd) {
                self.states.push(State::FlowMappingKey);
                return self.node(false, false);
            }
            let m = t.start;
            self.state = State::FlowMappingKey;
            return Ok(Self::empty_scalar(m));
        }
        self.state = State::FlowMappingKey;
        Ok(Self::empty_scalar(m))
    }
}
