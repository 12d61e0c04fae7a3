//! The scanner: bytes → tokens.
//!
//! It works on the input's bytes, borrowing scalar text from the input whenever the
//! scalar needs no unescaping or folding, and allocates only when it must build a new
//! string. Indentation is turned into explicit `BlockSequenceStart` / `BlockMappingStart`
//! / `BlockEnd` tokens, and implicit ("simple") keys are detected by remembering where a
//! key could have started and inserting a `Key` token there once a `:` shows up.
//! Comments are collected on the side, with their spans.

use std::borrow::Cow;
use std::collections::VecDeque;

use super::super::{Comment, Error, Mark, ScalarStyle, Span};

/// One token with its position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    pub kind: TokenKind<'a>,
    pub start: Mark,
    pub end: Mark,
}

/// The kinds of token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind<'a> {
    StreamStart,
    StreamEnd,
    /// `%YAML major.minor`
    VersionDirective,
    /// Any other `%NAME ...` directive (reserved; ignored).
    ReservedDirective,
    /// `%TAG handle prefix`
    TagDirective {
        handle: &'a str,
        prefix: Cow<'a, str>,
    },
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias(&'a str),
    Anchor(&'a str),
    /// A tag: `handle` is `""` for a verbatim tag `!<...>`; `!` with an empty suffix is
    /// the non-specific tag.
    Tag {
        handle: &'a str,
        suffix: Cow<'a, str>,
    },
    Scalar {
        value: Cow<'a, str>,
        style: ScalarStyle,
    },
}

/// A place where an implicit key may have started.
#[derive(Debug, Clone, Copy, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
    /// Whether a tab stood in the white space just before the key.
    tab_before: bool,
}

/// Builds a syntax error.
pub(crate) fn syntax(mark: Mark, message: &str) -> Error {
    Error::Syntax { mark, message: message.to_string() }
}

#[inline]
fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

#[inline]
fn is_break(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

#[inline]
fn is_flow_indicator(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

#[inline]
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

fn is_uri_char(c: u8, in_flow_tag: bool) -> bool {
    if c >= 0x80 {
        return false;
    }
    if is_word(c) {
        return true;
    }
    if in_flow_tag && (is_flow_indicator(c) || c == b'!') {
        return false;
    }
    b"%;/?:@&=+$,.!~*'()[]#".contains(&c)
}

/// Bytes that end a run of a plain scalar in block context (`:` only when followed by a
/// blank, which the caller checks).
static PLAIN_STOP_BLOCK: [bool; 256] = plain_stop_table(false);
/// The same in flow context, where the flow indicators end a run too.
static PLAIN_STOP_FLOW: [bool; 256] = plain_stop_table(true);

const fn plain_stop_table(flow: bool) -> [bool; 256] {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t[b':' as usize] = true;
    if flow {
        t[b',' as usize] = true;
        t[b'[' as usize] = true;
        t[b']' as usize] = true;
        t[b'{' as usize] = true;
        t[b'}' as usize] = true;
    }
    t
}

/// The token scanner.
pub(crate) struct Scanner<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    line: usize,
    /// 0-based column, in characters.
    col: usize,
    /// Byte index where the current line starts.
    line_start: usize,
    tokens: VecDeque<Token<'a>>,
    tokens_taken: usize,
    /// Whether the head of the queue is known to be final (no pending implicit key).
    head_ready: bool,
    stream_start_produced: bool,
    stream_end_produced: bool,
    indent: isize,
    indents: Vec<isize>,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    flow_level: usize,
    /// Whether the last token was a JSON-like node (quoted scalar or flow collection end),
    /// after which `:` is a value indicator even when not followed by a space.
    last_json: bool,
    /// Whether a tab stood in the white space just before the current token.
    tab_before: bool,
    /// For each open flow collection, whether it is a sequence (where implicit keys must
    /// stay on one line, as in block context).
    flow_is_seq: Vec<bool>,
    max_depth: usize,
    /// Read as go-yaml v3 does where it departs from YAML 1.2 (see [`super::Dialect`]).
    go: bool,
    /// Comments seen so far.
    pub comments: Vec<Comment>,
}

impl<'a> Scanner<'a> {
    /// A scanner over `src`; `max_depth` bounds nesting of indentation and flow levels.
    #[cfg(test)]
    pub fn new(src: &'a str, max_depth: usize) -> Self {
        Self::with_dialect(src, max_depth, super::Dialect::Yaml12)
    }

    /// A scanner over `src` reading the given dialect.
    pub fn with_dialect(src: &'a str, max_depth: usize, dialect: super::Dialect) -> Self {
        Scanner {
            src,
            b: src.as_bytes(),
            pos: 0,
            line: 1,
            col: 0,
            line_start: 0,
            tokens: VecDeque::with_capacity(16),
            tokens_taken: 0,
            head_ready: false,
            stream_start_produced: false,
            stream_end_produced: false,
            indent: -1,
            indents: Vec::new(),
            simple_key_allowed: false,
            simple_keys: vec![SimpleKey::default()],
            flow_level: 0,
            last_json: false,
            tab_before: false,
            flow_is_seq: Vec::new(),
            max_depth,
            go: dialect != super::Dialect::Yaml12,
            comments: Vec::new(),
        }
    }

    // ----- low-level reading -------------------------------------------------------

    #[inline]
    fn mark(&self) -> Mark {
        // The input is at most `u32::MAX` bytes (checked before scanning).
        Mark { index: self.pos as u32, line: self.line as u32, column: (self.col + 1) as u32 }
    }

    #[inline]
    fn peek(&self, k: usize) -> u8 {
        self.b.get(self.pos + k).copied().unwrap_or(0)
    }

    #[inline]
    fn eof(&self) -> bool {
        self.pos >= self.b.len()
    }

    #[inline]
    fn is_blankz_at(&self, k: usize) -> bool {
        let i = self.pos + k;
        match self.b.get(i) {
            None => true,
            Some(&c) => is_blank(c) || is_break(c),
        }
    }

    /// Advances over one character that is not a line break.
    #[inline]
    fn skip_char(&mut self) {
        let c = self.peek(0);
        let len = if c < 0x80 {
            1
        } else if c >= 0xF0 {
            4
        } else if c >= 0xE0 {
            3
        } else {
            2
        };
        self.pos = (self.pos + len).min(self.b.len());
        self.col += 1;
    }

    /// Advances over `n` ASCII characters on the current line.
    #[inline]
    fn skip_ascii(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.b.len());
        self.col += n;
    }

    /// Advances over a run of spaces.
    #[inline]
    fn skip_spaces(&mut self) {
        const SPACES: [u8; 8] = [b' '; 8];
        let start = self.pos;
        let mut i = start;
        // Indentation comes in long runs: compare eight bytes at a time first.
        while self.b.get(i..i + 8).is_some_and(|c| c == SPACES) {
            i += 8;
        }
        while self.b.get(i) == Some(&b' ') {
            i += 1;
        }
        self.pos = i;
        self.col += i - start;
    }

    /// Consumes one line break (`\r\n`, `\r` or `\n`) if there is one.
    #[inline]
    fn skip_break(&mut self) {
        match self.peek(0) {
            b'\r' => {
                self.pos += if self.peek(1) == b'\n' { 2 } else { 1 };
            }
            b'\n' => self.pos += 1,
            _ => return,
        }
        self.line += 1;
        self.col = 0;
        self.line_start = self.pos;
    }

    fn at_document_indicator(&self) -> bool {
        self.col == 0
            && ((self.peek(0) == b'-' && self.peek(1) == b'-' && self.peek(2) == b'-')
                || (self.peek(0) == b'.' && self.peek(1) == b'.' && self.peek(2) == b'.'))
            && self.is_blankz_at(3)
    }

    /// How many spaces open the current line.
    fn leading_spaces(&self) -> usize {
        self.b.get(self.line_start..).map_or(0, |s| s.iter().take_while(|&&c| c == b' ').count())
    }

    /// Whether only spaces and tabs stand between the start of the line and here.
    fn in_indentation(&self) -> bool {
        // Scanned backwards: inside a line the first non-blank byte is usually right
        // before the current token.
        self.b.get(self.line_start..self.pos).is_some_and(|s| s.iter().rev().all(|&c| is_blank(c)))
    }

    // ----- token queue ----------------------------------------------------------------

    /// The next token, without consuming it.
    #[inline]
    pub fn peek_token(&mut self) -> Result<&Token<'a>, Error> {
        self.fetch_more_tokens()?;
        if self.tokens.is_empty() {
            return Err(syntax(self.mark(), "unexpected end of token stream"));
        }
        self.tokens.front().ok_or_else(|| syntax(Mark::default(), "unexpected end of token stream"))
    }

    /// Consumes and returns the next token.
    #[inline]
    pub fn next_token(&mut self) -> Result<Token<'a>, Error> {
        self.fetch_more_tokens()?;
        let Some(t) = self.tokens.pop_front() else {
            return Err(syntax(self.mark(), "unexpected end of token stream"));
        };
        self.tokens_taken += 1;
        self.head_ready = false;
        Ok(t)
    }

    #[inline]
    fn fetch_more_tokens(&mut self) -> Result<(), Error> {
        if self.head_ready {
            return Ok(());
        }
        self.fetch_more_tokens_slow()?;
        self.head_ready = !self.tokens.is_empty();
        Ok(())
    }

    fn fetch_more_tokens_slow(&mut self) -> Result<(), Error> {
        loop {
            let mut need = self.tokens.is_empty();
            if !need {
                if self.stream_end_produced {
                    return Ok(());
                }
                // A stale key found here costs at most one token fetched early;
                // `fetch_next_token` retires stale keys itself.
                let taken = self.tokens_taken;
                need = self.simple_keys.iter().any(|k| k.possible && k.token_number == taken);
            }
            if !need {
                return Ok(());
            }
            if self.stream_end_produced {
                return Ok(());
            }
            self.fetch_next_token()?;
        }
    }

    fn push(&mut self, kind: TokenKind<'a>, start: Mark, end: Mark) {
        self.tokens.push_back(Token { kind, start, end });
    }

    fn fetch_next_token(&mut self) -> Result<(), Error> {
        if !self.stream_start_produced {
            return self.fetch_stream_start();
        }
        self.scan_to_next_token()?;
        self.stale_simple_keys()?;
        self.unroll_indent(self.col as isize);
        if self.eof() {
            return self.fetch_stream_end();
        }
        let json = std::mem::take(&mut self.last_json);
        let c = self.peek(0);
        if (self.flow_level > 0 || self.tab_before) && self.in_indentation() {
            let sp = self.leading_spaces() as isize;
            if self.flow_level > 0 && sp <= self.indent && self.line_start > 0 && !self.go {
                return Err(syntax(
                    self.mark(),
                    "found flow content with insufficient indentation",
                ));
            }
            if self.flow_level == 0 && self.tab_before && sp <= self.indent {
                return Err(syntax(self.mark(), "found a tab character that violates indentation"));
            }
        }
        if self.col == 0 {
            if c == b'%' {
                return self.fetch_directive();
            }
            if self.at_document_indicator() {
                let kind =
                    if c == b'-' { TokenKind::DocumentStart } else { TokenKind::DocumentEnd };
                return self.fetch_document_indicator(kind);
            }
        }
        let flow = self.flow_level > 0;
        let next_blankz = self.is_blankz_at(1);
        match c {
            b'[' => self.fetch_flow_collection_start(TokenKind::FlowSequenceStart),
            b'{' => self.fetch_flow_collection_start(TokenKind::FlowMappingStart),
            b']' => self.fetch_flow_collection_end(TokenKind::FlowSequenceEnd),
            b'}' => self.fetch_flow_collection_end(TokenKind::FlowMappingEnd),
            b',' => self.fetch_flow_entry(),
            b'-' if next_blankz => self.fetch_block_entry(),
            b'?' if next_blankz => self.fetch_key(),
            b':' if next_blankz || (flow && (is_flow_indicator(self.peek(1)) || json)) => {
                self.fetch_value()
            }
            b'*' => self.fetch_anchor(true),
            b'&' => self.fetch_anchor(false),
            b'!' => self.fetch_tag(),
            b'|' if !flow => self.fetch_block_scalar(true),
            b'>' if !flow => self.fetch_block_scalar(false),
            b'\'' => self.fetch_flow_scalar(true),
            b'"' => self.fetch_flow_scalar(false),
            _ => {
                let plain = match c {
                    b'-' => !flow || !is_flow_indicator(self.peek(1)),
                    b'?' | b':' => !flow || !is_flow_indicator(self.peek(1)),
                    b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>'
                    | b'\'' | b'"' | b'%' | b'@' | b'`' => false,
                    b' ' | b'\t' | b'\r' | b'\n' => false,
                    _ => true,
                };
                if plain {
                    self.fetch_plain_scalar()
                } else if c == b'\t' {
                    Err(syntax(
                        self.mark(),
                        "found a tab character where an indentation space is expected",
                    ))
                } else {
                    Err(syntax(self.mark(), "found character that cannot start any token"))
                }
            }
        }
    }

    // ----- simple keys and indentation ------------------------------------------------

    fn stale_simple_keys(&mut self) -> Result<(), Error> {
        if self.simple_keys.len() == 1 && self.simple_keys.last().is_some_and(|k| !k.possible) {
            // Block context has only the one level, and no key is pending.
            return Ok(());
        }
        let (line, pos) = (self.line, self.pos);
        for (level, k) in self.simple_keys.iter_mut().enumerate() {
            let single_line = level == 0 || self.flow_is_seq.get(level - 1) == Some(&true);
            if k.possible
                && ((single_line && (k.mark.line as usize) < line)
                    || k.mark.index as usize + 1024 < pos)
            {
                if k.required {
                    return Err(syntax(k.mark, "could not find expected ':'"));
                }
                k.possible = false;
            }
        }
        Ok(())
    }

    fn save_simple_key(&mut self) -> Result<(), Error> {
        let required = self.flow_level == 0 && self.indent == self.col as isize;
        if self.simple_key_allowed {
            self.remove_simple_key()?;
            let key = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_taken + self.tokens.len(),
                mark: self.mark(),
                tab_before: self.tab_before,
            };
            if let Some(last) = self.simple_keys.last_mut() {
                *last = key;
            }
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> Result<(), Error> {
        if let Some(k) = self.simple_keys.last_mut() {
            if k.possible && k.required {
                return Err(syntax(k.mark, "could not find expected ':'"));
            }
            k.possible = false;
        }
        Ok(())
    }

    fn depth_error(&self) -> Error {
        Error::Limit { mark: self.mark(), what: "nesting depth", limit: self.max_depth }
    }

    /// Opens a block collection (a mapping, or a sequence when `seq`) at `column` if it
    /// is deeper than the current one; the start token goes at queue position `number`
    /// (a token number) or at the end.
    #[inline]
    fn roll_indent(
        &mut self,
        column: usize,
        number: Option<usize>,
        seq: bool,
        mark: Mark,
    ) -> Result<(), Error> {
        if self.flow_level > 0 || self.indent >= column as isize {
            return Ok(());
        }
        self.open_block(column, number, seq, mark)
    }

    fn open_block(
        &mut self,
        column: usize,
        number: Option<usize>,
        seq: bool,
        mark: Mark,
    ) -> Result<(), Error> {
        if self.indents.len() >= self.max_depth {
            return Err(self.depth_error());
        }
        self.indents.push(self.indent);
        self.indent = column as isize;
        let kind = if seq { TokenKind::BlockSequenceStart } else { TokenKind::BlockMappingStart };
        let tok = Token { kind, start: mark, end: mark };
        match number {
            Some(n) => {
                let at = n.saturating_sub(self.tokens_taken).min(self.tokens.len());
                self.tokens.insert(at, tok);
            }
            None => self.tokens.push_back(tok),
        }
        Ok(())
    }

    fn unroll_indent(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        let m = self.mark();
        while self.indent > column {
            self.push(TokenKind::BlockEnd, m, m);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    // ----- fetchers ------------------------------------------------------------------------

    fn fetch_stream_start(&mut self) -> Result<(), Error> {
        let m = self.mark();
        if self.src.starts_with('\u{feff}') {
            self.pos = 3;
            self.line_start = 3;
        }
        self.indent = -1;
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        self.push(TokenKind::StreamStart, m, m);
        Ok(())
    }

    fn fetch_stream_end(&mut self) -> Result<(), Error> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        if self.flow_level > 0 {
            return Err(syntax(
                self.mark(),
                "did not find expected ',' or ']' before the end of the stream",
            ));
        }
        let m = self.mark();
        self.stream_end_produced = true;
        self.push(TokenKind::StreamEnd, m, m);
        Ok(())
    }

    fn scan_to_next_token(&mut self) -> Result<(), Error> {
        self.tab_before = false;
        loop {
            if self.col == 0
                && self.peek(0) == 0xEF
                && !self.go
                && self.b.get(self.pos..self.pos + 3) == Some(b"\xEF\xBB\xBF")
            {
                self.pos += 3;
                self.line_start = self.pos;
            }
            loop {
                match self.peek(0) {
                    b' ' => self.skip_spaces(),
                    b'\t' => {
                        self.tab_before = true;
                        self.skip_ascii(1);
                    }
                    _ => break,
                }
            }
            if self.peek(0) == b'#' && !self.eof() {
                self.scan_comment()?;
            }
            if is_break(self.peek(0)) {
                self.skip_break();
                self.tab_before = false;
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                return Ok(());
            }
        }
    }

    /// Reads a `# comment` up to the line break and records it.
    fn scan_comment(&mut self) -> Result<(), Error> {
        let start = self.mark();
        let separated = self.pos == 0
            || matches!(self.b.get(self.pos - 1), Some(b' ' | b'\t' | b'\n' | b'\r'))
            || (self.pos == 3 && self.src.starts_with('\u{feff}'));
        if !separated {
            return Err(syntax(
                start,
                "comments must be separated from other tokens by white space",
            ));
        }
        let text_start = self.pos + 1;
        while !self.eof() && !is_break(self.peek(0)) {
            self.skip_char();
        }
        let text = self.src.get(text_start..self.pos).unwrap_or("").to_string();
        self.comments.push(Comment { text, span: Span { start, end: self.mark() } });
        Ok(())
    }

    /// After a directive or `...`: blanks, an optional comment, then a line break.
    fn expect_line_end(&mut self) -> Result<(), Error> {
        while is_blank(self.peek(0)) {
            self.skip_ascii(1);
        }
        if self.peek(0) == b'#' && !self.eof() {
            self.scan_comment()?;
        }
        if !self.eof() && !is_break(self.peek(0)) {
            return Err(syntax(self.mark(), "did not find expected comment or line break"));
        }
        Ok(())
    }

    fn fetch_directive(&mut self) -> Result<(), Error> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark();
        self.skip_ascii(1);
        let name_start = self.pos;
        while is_word(self.peek(0)) {
            self.skip_ascii(1);
        }
        let name = self.src.get(name_start..self.pos).unwrap_or("");
        if name.is_empty() {
            return Err(syntax(start, "could not find expected directive name"));
        }
        if !self.is_blankz_at(0) {
            return Err(syntax(self.mark(), "found unexpected non-alphabetical character"));
        }
        let kind = match name {
            "YAML" => {
                self.skip_blanks_required()?;
                let version_start = self.pos;
                let mut digits = 0;
                while self.peek(0).is_ascii_digit() {
                    self.skip_ascii(1);
                    digits += 1;
                }
                if digits == 0 || self.peek(0) != b'.' {
                    return Err(syntax(self.mark(), "did not find expected version number"));
                }
                self.skip_ascii(1);
                digits = 0;
                while self.peek(0).is_ascii_digit() {
                    self.skip_ascii(1);
                    digits += 1;
                }
                if digits == 0 || !self.is_blankz_at(0) {
                    return Err(syntax(self.mark(), "did not find expected version number"));
                }
                if self.go {
                    // go-yaml reads only YAML 1.1 documents.
                    let text = self.src.get(version_start..self.pos).unwrap_or("");
                    let number = |t: &str| t.trim_start_matches('0').parse::<u64>().unwrap_or(0);
                    let (major, minor) = text.split_once('.').unwrap_or(("", ""));
                    if number(major) != 1 || number(minor) != 1 {
                        return Err(syntax(start, "found incompatible YAML document"));
                    }
                }
                TokenKind::VersionDirective
            }
            "TAG" => {
                self.skip_blanks_required()?;
                let hstart = self.pos;
                if self.peek(0) != b'!' {
                    return Err(syntax(self.mark(), "did not find expected '!'"));
                }
                self.skip_ascii(1);
                while is_word(self.peek(0)) {
                    self.skip_ascii(1);
                }
                if self.peek(0) == b'!' {
                    self.skip_ascii(1);
                } else if self.pos - hstart > 1 {
                    return Err(syntax(self.mark(), "did not find expected '!'"));
                }
                let handle = self.src.get(hstart..self.pos).unwrap_or("");
                self.skip_blanks_required()?;
                let prefix = self.scan_uri(false, false)?;
                if prefix.is_empty() || !self.is_blankz_at(0) {
                    return Err(syntax(self.mark(), "did not find expected tag URI"));
                }
                TokenKind::TagDirective { handle, prefix }
            }
            _ => {
                // Reserved directive: ignored, up to the comment or line end.
                while !self.eof() && !is_break(self.peek(0)) {
                    if self.peek(0) == b'#'
                        && self
                            .pos
                            .checked_sub(1)
                            .and_then(|i| self.b.get(i))
                            .is_some_and(|&c| is_blank(c))
                    {
                        break;
                    }
                    self.skip_char();
                }
                TokenKind::ReservedDirective
            }
        };
        let end = self.mark();
        self.expect_line_end()?;
        self.push(kind, start, end);
        Ok(())
    }

    fn skip_blanks_required(&mut self) -> Result<(), Error> {
        if !is_blank(self.peek(0)) {
            return Err(syntax(self.mark(), "did not find expected whitespace"));
        }
        while is_blank(self.peek(0)) {
            self.skip_ascii(1);
        }
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: TokenKind<'a>) -> Result<(), Error> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark();
        self.skip_ascii(3);
        let end = self.mark();
        let is_end = kind == TokenKind::DocumentEnd;
        self.push(kind, start, end);
        if is_end {
            self.expect_line_end()?;
        }
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, kind: TokenKind<'a>) -> Result<(), Error> {
        self.save_simple_key()?;
        if self.flow_level + self.indents.len() >= self.max_depth {
            return Err(self.depth_error());
        }
        self.flow_level += 1;
        self.flow_is_seq.push(kind == TokenKind::FlowSequenceStart);
        self.simple_keys.push(SimpleKey::default());
        self.simple_key_allowed = true;
        let start = self.mark();
        self.skip_ascii(1);
        self.push(kind, start, self.mark());
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: TokenKind<'a>) -> Result<(), Error> {
        self.remove_simple_key()?;
        if self.flow_level > 0 {
            self.flow_level -= 1;
            self.simple_keys.pop();
            self.flow_is_seq.pop();
        }
        self.simple_key_allowed = false;
        let start = self.mark();
        self.skip_ascii(1);
        self.push(kind, start, self.mark());
        self.last_json = true;
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> Result<(), Error> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark();
        self.skip_ascii(1);
        self.push(TokenKind::FlowEntry, start, self.mark());
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> Result<(), Error> {
        let start = self.mark();
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(syntax(
                    start,
                    "block sequence entries are not allowed in this context",
                ));
            }
            if self.tab_before {
                return Err(syntax(start, "found a tab character that violates indentation"));
            }
            self.roll_indent(self.col, None, true, start)?;
        } else {
            return Err(syntax(start, "block sequence entries are not allowed in this context"));
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.skip_ascii(1);
        self.push(TokenKind::BlockEntry, start, self.mark());
        Ok(())
    }

    fn fetch_key(&mut self) -> Result<(), Error> {
        let start = self.mark();
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(syntax(start, "mapping keys are not allowed in this context"));
            }
            if self.tab_before {
                return Err(syntax(start, "found a tab character that violates indentation"));
            }
            self.roll_indent(self.col, None, false, start)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        self.skip_ascii(1);
        self.push(TokenKind::Key, start, self.mark());
        Ok(())
    }

    fn fetch_value(&mut self) -> Result<(), Error> {
        let start = self.mark();
        let key = self.simple_keys.last().copied().unwrap_or_default();
        if key.possible {
            if key.tab_before && self.flow_level == 0 {
                return Err(syntax(key.mark, "found a tab character that violates indentation"));
            }
            let at = key.token_number.saturating_sub(self.tokens_taken).min(self.tokens.len());
            self.tokens.insert(at, Token { kind: TokenKind::Key, start: key.mark, end: key.mark });
            self.roll_indent(
                key.mark.column as usize - 1,
                Some(key.token_number),
                false,
                key.mark,
            )?;
            if let Some(k) = self.simple_keys.last_mut() {
                k.possible = false;
            }
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    return Err(syntax(start, "mapping values are not allowed in this context"));
                }
                self.roll_indent(self.col, None, false, start)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        self.skip_ascii(1);
        self.push(TokenKind::Value, start, self.mark());
        Ok(())
    }

    fn fetch_anchor(&mut self, alias: bool) -> Result<(), Error> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark();
        self.skip_ascii(1);
        let name_start = self.pos;
        while !self.is_blankz_at(0) && !is_flow_indicator(self.peek(0)) {
            self.skip_char();
        }
        let name = self.src.get(name_start..self.pos).unwrap_or("");
        if name.is_empty() {
            return Err(syntax(start, "did not find expected alphabetic or numeric character"));
        }
        let kind = if alias { TokenKind::Alias(name) } else { TokenKind::Anchor(name) };
        self.push(kind, start, self.mark());
        Ok(())
    }

    fn fetch_tag(&mut self) -> Result<(), Error> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark();
        let flow = self.flow_level > 0;
        let (handle, suffix);
        if self.peek(1) == b'<' {
            self.skip_ascii(2);
            suffix = self.scan_uri(false, true)?;
            if self.peek(0) != b'>' || suffix.is_empty() {
                return Err(syntax(self.mark(), "did not find the expected '>'"));
            }
            self.skip_ascii(1);
            handle = "";
        } else {
            let hstart = self.pos;
            self.skip_ascii(1);
            while is_word(self.peek(0)) {
                self.skip_ascii(1);
            }
            if self.peek(0) == b'!' {
                self.skip_ascii(1);
                handle = self.src.get(hstart..self.pos).unwrap_or("");
                suffix = self.scan_uri(true, true)?;
                if suffix.is_empty() {
                    return Err(syntax(start, "did not find expected tag suffix"));
                }
            } else {
                // Primary handle: `!` then the suffix (which began right after `!`).
                self.pos = hstart + 1;
                self.col = start.column as usize;
                handle = "!";
                suffix = self.scan_uri(true, true)?;
            }
        }
        if !(self.is_blankz_at(0) || (flow && is_flow_indicator(self.peek(0)))) {
            return Err(syntax(self.mark(), "did not find expected whitespace or line break"));
        }
        self.push(TokenKind::Tag { handle, suffix }, start, self.mark());
        Ok(())
    }

    /// Reads URI characters (`%XX` escapes decoded). `tag_chars` excludes `!` and, in flow
    /// context, the flow indicators.
    fn scan_uri(&mut self, tag_chars: bool, in_flow: bool) -> Result<Cow<'a, str>, Error> {
        let start = self.pos;
        let mut has_escape = false;
        loop {
            let c = self.peek(0);
            if self.eof() {
                break;
            }
            let ok = if tag_chars {
                c != b'!' && is_uri_char(c, in_flow)
            } else {
                is_uri_char(c, false)
            };
            if !ok {
                break;
            }
            if c == b'%' {
                has_escape = true;
            }
            self.skip_ascii(1);
        }
        let raw = self.src.get(start..self.pos).unwrap_or("");
        if !has_escape {
            return Ok(Cow::Borrowed(raw));
        }
        let mut bytes = Vec::with_capacity(raw.len());
        let rb = raw.as_bytes();
        let mut i = 0;
        while i < rb.len() {
            if rb[i] == b'%' {
                let hex = raw.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => bytes.push(v),
                    None => {
                        return Err(syntax(self.mark(), "did not find URI escaped octet"));
                    }
                }
                i += 3;
            } else {
                bytes.push(rb[i]);
                i += 1;
            }
        }
        String::from_utf8(bytes)
            .map(Cow::Owned)
            .map_err(|_| syntax(self.mark(), "found an incorrect UTF-8 sequence in a URI escape"))
    }

    // ----- scalars -----------------------------------------------------------------------------

    fn fetch_block_scalar(&mut self, literal: bool) -> Result<(), Error> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark();
        self.skip_ascii(1);
        // Header: chomping and indentation indicators, in either order.
        let mut chomp = 0i8; // -1 strip, 0 clip, 1 keep
        let mut increment = 0usize;
        for _ in 0..2 {
            match self.peek(0) {
                b'+' if chomp == 0 => {
                    chomp = 1;
                    self.skip_ascii(1);
                }
                b'-' if chomp == 0 => {
                    chomp = -1;
                    self.skip_ascii(1);
                }
                c @ b'1'..=b'9' if increment == 0 => {
                    increment = (c - b'0') as usize;
                    self.skip_ascii(1);
                }
                b'0' => {
                    return Err(syntax(self.mark(), "found an indentation indicator equal to 0"));
                }
                _ => {}
            }
        }
        if !self.is_blankz_at(0) {
            return Err(syntax(self.mark(), "did not find expected comment or line break"));
        }
        self.expect_line_end()?;
        self.skip_break();

        let mut indent: Option<usize> = if increment > 0 {
            Some(if self.indent >= 0 { self.indent as usize + increment } else { increment })
        } else {
            None
        };
        let mut out = String::new();
        let mut trailing_breaks = String::new();
        let mut end_mark = self.mark();
        // Leading empty lines and indentation detection.
        let ind = self.block_scalar_breaks(&mut indent, &mut trailing_breaks, &mut end_mark)?;
        let mut leading_break = "";
        let mut leading_blank = false;
        while self.col == ind && !self.eof() {
            if self.at_document_indicator() {
                break;
            }
            let trailing_blank = is_blank(self.peek(0));
            if !literal && leading_break == "\n" && !leading_blank && !trailing_blank {
                if trailing_breaks.is_empty() {
                    out.push(' ');
                }
            } else {
                out.push_str(leading_break);
            }
            out.push_str(&trailing_breaks);
            trailing_breaks.clear();
            leading_blank = trailing_blank;
            let ls = self.pos;
            // The rest of the line in one step: up to the next break byte, one column per
            // character (the text is UTF-8, so characters are the non-continuation bytes).
            let rest = self.b.get(ls..).unwrap_or(&[]);
            let n = rest.iter().position(|&c| is_break(c)).unwrap_or(rest.len());
            let line = rest.get(..n).unwrap_or(&[]);
            let chars = if line.is_ascii() {
                n
            } else {
                line.iter().filter(|&&b| (b as i8) >= -0x40).count()
            };
            self.pos = ls + n;
            self.col += chars;
            out.push_str(self.src.get(ls..self.pos).unwrap_or(""));
            end_mark = self.mark();
            leading_break = "\n";
            if self.eof() {
                // The end of the input ends the last line as a break would.
                break;
            }
            self.skip_break();
            self.block_scalar_breaks(&mut indent, &mut trailing_breaks, &mut end_mark)?;
        }
        if chomp != -1 {
            out.push_str(leading_break);
        }
        if chomp == 1 {
            out.push_str(&trailing_breaks);
        }
        let style = if literal { ScalarStyle::Literal } else { ScalarStyle::Folded };
        self.push(TokenKind::Scalar { value: Cow::Owned(out), style }, start, end_mark);
        Ok(())
    }

    /// Skips indentation and empty lines inside a block scalar, collecting the breaks;
    /// with `indent` unknown, detects it from the first non-empty line. Returns the
    /// content indentation.
    fn block_scalar_breaks(
        &mut self,
        indent: &mut Option<usize>,
        breaks: &mut String,
        end_mark: &mut Mark,
    ) -> Result<usize, Error> {
        let detect = indent.is_none();
        let limit = indent.unwrap_or(usize::MAX);
        let mut max_indent = 0usize;
        let min_indent = if self.indent >= 0 { self.indent as usize + 1 } else { 0 };
        loop {
            let line_pos = self.pos;
            while self.col < limit && self.peek(0) == b' ' {
                self.skip_ascii(1);
            }
            if self.col < limit && self.peek(0) == b'\t' {
                if detect && self.col >= min_indent.max(1) {
                    // A tab after enough indentation starts the first content line.
                    break;
                }
                let mut i = self.pos;
                while self.b.get(i).is_some_and(|&c| is_blank(c)) {
                    i += 1;
                }
                if !matches!(self.b.get(i), None | Some(b'\n') | Some(b'\r')) || detect {
                    return Err(syntax(
                        self.mark(),
                        "found a tab character where an indentation space is expected",
                    ));
                }
                while is_blank(self.peek(0)) {
                    self.skip_ascii(1);
                }
            }
            if self.eof() {
                if self.pos > line_pos {
                    // A last line of only blanks ends as a line break would.
                    breaks.push('\n');
                    if self.col > max_indent {
                        max_indent = self.col;
                    }
                }
                break;
            }
            if !is_break(self.peek(0)) {
                break;
            }
            if self.col > max_indent {
                max_indent = self.col;
            }
            self.skip_break();
            breaks.push('\n');
            *end_mark = self.mark();
        }
        if let Some(i) = *indent {
            return Ok(i);
        }
        let content = !self.eof() && self.col >= min_indent && !self.at_document_indicator();
        let found = if content {
            if max_indent > self.col {
                return Err(syntax(
                    self.mark(),
                    "leading empty lines of a block scalar are indented more than its content",
                ));
            }
            self.col
        } else {
            max_indent.max(min_indent).max(1)
        };
        *indent = Some(found);
        Ok(found)
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> Result<(), Error> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark();
        let quote = if single { b'\'' } else { b'"' };
        self.skip_ascii(1);
        let content_start = self.pos;
        let mut out: Option<String> = None;
        let mut run_start = self.pos;
        loop {
            if self.at_document_indicator() {
                return Err(syntax(self.mark(), "found unexpected document indicator"));
            }
            if self.eof() {
                return Err(syntax(
                    start,
                    "found unexpected end of stream while scanning a quoted scalar",
                ));
            }
            // Non-blank characters.
            let mut escaped_break = false;
            loop {
                let c = self.peek(0);
                if self.eof() {
                    break;
                }
                if single && c == b'\'' && self.peek(1) == b'\'' {
                    let s = out.get_or_insert_with(String::new);
                    s.push_str(self.src.get(run_start..self.pos).unwrap_or(""));
                    s.push('\'');
                    self.skip_ascii(2);
                    run_start = self.pos;
                } else if c == quote {
                    break;
                } else if !single && c == b'\\' {
                    let s = out.get_or_insert_with(String::new);
                    s.push_str(self.src.get(run_start..self.pos).unwrap_or(""));
                    if is_break(self.peek(1)) {
                        self.skip_ascii(1);
                        self.skip_break();
                        escaped_break = true;
                        run_start = self.pos;
                        break;
                    }
                    self.scan_escape(s)?;
                    run_start = self.pos;
                } else if is_blank(c) {
                    // Blanks stay in the run unless a line break follows them.
                    let mut i = self.pos;
                    while self.b.get(i).is_some_and(|&c| is_blank(c)) {
                        i += 1;
                    }
                    if matches!(self.b.get(i), Some(b'\n') | Some(b'\r')) {
                        break;
                    }
                    self.skip_ascii(i - self.pos);
                } else if is_break(c) {
                    break;
                } else {
                    self.skip_char();
                }
            }
            if self.peek(0) == quote && !escaped_break && !self.eof() {
                let end_content = self.pos;
                self.skip_ascii(1);
                let value = match out {
                    None => Cow::Borrowed(self.src.get(content_start..end_content).unwrap_or("")),
                    Some(mut s) => {
                        s.push_str(self.src.get(run_start..end_content).unwrap_or(""));
                        Cow::Owned(s)
                    }
                };
                let style =
                    if single { ScalarStyle::SingleQuoted } else { ScalarStyle::DoubleQuoted };
                self.push(TokenKind::Scalar { value, style }, start, self.mark());
                self.last_json = true;
                return Ok(());
            }
            if self.eof() {
                return Err(syntax(
                    start,
                    "found unexpected end of stream while scanning a quoted scalar",
                ));
            }
            // Line folding: blanks, then line breaks, then the next line's indentation.
            let s = out.get_or_insert_with(String::new);
            if !escaped_break {
                s.push_str(self.src.get(run_start..self.pos).unwrap_or(""));
                while is_blank(self.peek(0)) {
                    self.skip_ascii(1);
                }
                if !is_break(self.peek(0)) {
                    run_start = self.pos;
                    continue;
                }
                self.skip_break();
            }
            let mut breaks = 0usize;
            loop {
                while is_blank(self.peek(0)) {
                    self.skip_ascii(1);
                }
                if is_break(self.peek(0)) {
                    self.skip_break();
                    breaks += 1;
                } else {
                    break;
                }
            }
            if self.flow_level == 0
                && !self.eof()
                && (self.leading_spaces() as isize) <= self.indent
                && !self.at_document_indicator()
            {
                return Err(syntax(
                    self.mark(),
                    "found a quoted scalar line with insufficient indentation",
                ));
            }
            if breaks == 0 {
                if !escaped_break {
                    s.push(' ');
                }
            } else {
                for _ in 0..breaks {
                    s.push('\n');
                }
            }
            run_start = self.pos;
        }
    }

    /// Decodes one `\` escape in a double-quoted scalar (the `\` is at the cursor).
    fn scan_escape(&mut self, s: &mut String) -> Result<(), Error> {
        let at = self.mark();
        let c = self.peek(1);
        let simple = match c {
            b'0' => Some('\0'),
            b'a' => Some('\x07'),
            b'b' => Some('\x08'),
            b't' | b'\t' => Some('\t'),
            b'n' => Some('\n'),
            b'v' => Some('\x0b'),
            b'f' => Some('\x0c'),
            b'r' => Some('\r'),
            b'e' => Some('\x1b'),
            b' ' => Some(' '),
            b'"' => Some('"'),
            b'/' if !self.go => Some('/'),
            b'\'' if self.go => Some('\''),
            b'\\' => Some('\\'),
            b'N' => Some('\u{85}'),
            b'_' => Some('\u{a0}'),
            b'L' => Some('\u{2028}'),
            b'P' => Some('\u{2029}'),
            _ => None,
        };
        if let Some(ch) = simple {
            s.push(ch);
            self.skip_ascii(2);
            return Ok(());
        }
        let len = match c {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => {
                return Err(syntax(
                    at,
                    "found unknown escape character while parsing a quoted scalar",
                ));
            }
        };
        let hex = self
            .src
            .get(self.pos + 2..self.pos + 2 + len)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| syntax(at, "did not find expected hexdecimal number"))?;
        let code = u32::from_str_radix(hex, 16)
            .map_err(|_| syntax(at, "did not find expected hexdecimal number"))?;
        let ch = char::from_u32(code)
            .ok_or_else(|| syntax(at, "found invalid Unicode character escape code"))?;
        s.push(ch);
        self.skip_ascii(2 + len);
        Ok(())
    }

    #[inline(never)]
    fn fetch_plain_scalar(&mut self) -> Result<(), Error> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark();
        let flow = self.flow_level > 0;
        let indent = self.indent + 1;
        let b = self.b;
        let mut first: Option<(usize, usize)> = None;
        let mut out: Option<String> = None;
        // How the previous run joins the next one: the blanks between them (no break), or
        // the number of line breaks.
        let mut join_ws: (usize, usize) = (0, 0);
        let mut join_breaks = 0usize;
        let mut end_mark = start;
        let mut trailing_break = false;
        loop {
            if self.at_document_indicator() {
                break;
            }
            if self.peek(0) == b'#' {
                break;
            }
            // One run of non-blank characters.
            let run_start = self.pos;
            let mut i = self.pos;
            // Bytes that may end a run: blanks, breaks, `:` and (in flow) the flow
            // indicators. Everything else is skipped in a tight loop.
            let table = if flow { &PLAIN_STOP_FLOW } else { &PLAIN_STOP_BLOCK };
            loop {
                while b.get(i).is_some_and(|&c| !table[c as usize]) {
                    i += 1;
                }
                match b.get(i) {
                    Some(b':') => {
                        let n = b.get(i + 1).copied();
                        match n {
                            None | Some(b' ' | b'\t' | b'\n' | b'\r') => break,
                            Some(n) if flow && is_flow_indicator(n) => break,
                            _ => i += 1,
                        }
                    }
                    _ => break,
                }
            }
            if i == run_start {
                break;
            }
            let run = b.get(run_start..i).unwrap_or_default();
            self.col += if run.is_ascii() {
                run.len()
            } else {
                run.iter().filter(|&&c| c & 0xC0 != 0x80).count()
            };
            self.pos = i;
            match first {
                None => first = Some((run_start, i)),
                Some((fs, fe)) => {
                    let s = out.get_or_insert_with(|| {
                        let mut s = String::with_capacity(64);
                        s.push_str(self.src.get(fs..fe).unwrap_or(""));
                        s
                    });
                    if join_breaks == 0 {
                        s.push_str(self.src.get(join_ws.0..join_ws.1).unwrap_or(""));
                    } else if join_breaks == 1 {
                        s.push(' ');
                    } else {
                        for _ in 1..join_breaks {
                            s.push('\n');
                        }
                    }
                    s.push_str(self.src.get(run_start..i).unwrap_or(""));
                }
            }
            end_mark = self.mark();
            trailing_break = false;
            // Blanks and line breaks.
            let c = self.peek(0);
            if !(is_blank(c) || is_break(c)) || self.eof() {
                break;
            }
            let ws_start = self.pos;
            let mut ws_end = self.pos;
            join_breaks = 0;
            loop {
                let c = self.peek(0);
                if c == b' ' {
                    self.skip_spaces();
                    if join_breaks == 0 {
                        ws_end = self.pos;
                    }
                } else if is_blank(c) {
                    if join_breaks > 0 && (self.col as isize) < indent && c == b'\t' && !flow {
                        if self.go {
                            // go-yaml refuses the tab even on an otherwise empty line.
                            return Err(syntax(
                                start,
                                "found a tab character that violates indentation",
                            ));
                        }
                        // A tab inside indentation: fine only on an empty line.
                        let mut j = self.pos;
                        while b.get(j).is_some_and(|&c| is_blank(c)) {
                            j += 1;
                        }
                        if !matches!(b.get(j), None | Some(b'\n') | Some(b'\r')) {
                            return Err(syntax(
                                self.mark(),
                                "found a tab character that violates indentation",
                            ));
                        }
                    }
                    self.skip_ascii(1);
                    if join_breaks == 0 {
                        ws_end = self.pos;
                    }
                } else if is_break(c) {
                    self.skip_break();
                    join_breaks += 1;
                } else {
                    break;
                }
            }
            join_ws = (ws_start, ws_end);
            if join_breaks > 0 {
                trailing_break = true;
            }
            if !flow && (self.col as isize) < indent {
                break;
            }
            if flow
                && !self.go
                && join_breaks > 0
                && !self.eof()
                && self.peek(0) != b'#'
                && (self.leading_spaces() as isize) <= self.indent
            {
                return Err(syntax(
                    self.mark(),
                    "found flow content with insufficient indentation",
                ));
            }
        }
        if trailing_break {
            self.simple_key_allowed = true;
        }
        let value = match (out, first) {
            (Some(s), _) => Cow::Owned(s),
            (None, Some((fs, fe))) => Cow::Borrowed(self.src.get(fs..fe).unwrap_or("")),
            (None, None) => Cow::Borrowed(""),
        };
        if !flow && !trailing_break && self.plain_key_fast_path(start) {
            // The common block-mapping line `key: ...`: the scalar is certainly an
            // implicit key, so the tokens go straight into the queue in their final
            // order (`BlockMappingStart`? `Key` `Scalar` `Value`) instead of through the
            // generic simple-key insertion.
            if let Some(k) = self.simple_keys.last_mut() {
                k.possible = false;
            }
            if self.indent < start.column as isize - 1 {
                self.open_block(start.column as usize - 1, None, false, start)?;
            }
            self.push(TokenKind::Key, start, start);
            self.push(TokenKind::Scalar { value, style: ScalarStyle::Plain }, start, end_mark);
            self.simple_key_allowed = false;
            let vstart = self.mark();
            self.skip_ascii(1);
            self.push(TokenKind::Value, vstart, self.mark());
            return Ok(());
        }
        self.push(TokenKind::Scalar { value, style: ScalarStyle::Plain }, start, end_mark);
        Ok(())
    }

    /// Whether the plain scalar just scanned (from `start`, not yet queued) is followed,
    /// on the same line, by `: ` and was saved as a possible simple key that the generic
    /// path would turn into a `Key` right away: in block context, still possible, not
    /// stale, and without a tab before it.
    #[inline]
    fn plain_key_fast_path(&self, start: Mark) -> bool {
        if self.peek(0) != b':' || !self.is_blankz_at(1) || self.flow_level != 0 {
            return false;
        }
        let Some(k) = self.simple_keys.last() else {
            return false;
        };
        k.possible
            && !k.tab_before
            && k.mark.index == start.index
            && k.token_number == self.tokens_taken + self.tokens.len()
            && k.mark.index as usize + 1024 >= self.pos
            && k.mark.line as usize == self.line
    }
}
