//! The fused path of [`parse_values`](super::parse_values): bytes → [`Value`]s in one
//! pass, with no tokens, events or nodes in between, for the plain shape most Kubernetes
//! documents have.
//!
//! It reads block mappings and sequences (compact `- key: value` forms and sequences
//! indented like their parent key included), one-line plain, single-quoted and
//! double-quoted (without escapes) scalars, `|` and `|-` literal block scalars, one-line
//! flow collections of such scalars, comments, blank lines and bare `---` document
//! markers. Anything else gives up at once, and the caller reads the stream through the
//! event path ([`super::direct`]) and the tree, which have the one full implementation of
//! YAML and of the resolution rules: anchors, aliases, tags, directives, `...`, multi-line
//! plain or quoted scalars, escapes, folded or `|+` or indentation-indicator block scalars,
//! multi-line flow collections, explicit `?` keys, tabs, carriage returns, control
//! characters, byte-order marks and Unicode line breaks, keys longer than 1000 bytes,
//! repeated keys, `<<` keys, keys that are not plain strings for the profile, nesting past
//! [`MAX_DEPTH`] (or the limit), and every malformed input. Giving up is always exact: the
//! fused path only ever accepts text whose meaning under YAML 1.2 and go-yaml v2/v3 is the
//! same, and it types scalars and keys through the same functions as the other paths
//! ([`scalar_to_value`], [`plain_string_key`]).

use std::borrow::Cow;

use super::Profile;
use super::tree::{plain_string_key, scalar_to_value};
use crate::yaml::{Limits, Mapping, ScalarStyle, Value};

/// Deepest nesting the fused path reads (recursion is bounded by it); deeper documents go
/// to the other paths.
pub(crate) const MAX_DEPTH: usize = 48;

/// The fused path left the stream to the other paths.
struct Bail;

type R<T> = Result<T, Bail>;

/// What the next line that matters is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Content at `pos`, `indent` columns in.
    Content,
    /// A `---` marker at column 0.
    DocStart,
    /// A `...` marker at column 0.
    DocEnd,
    /// The end of the input.
    Eof,
}

#[derive(Clone, Copy)]
struct Line {
    kind: Kind,
    /// Where the content (or the marker) starts.
    pos: usize,
    /// Its column (0 for markers and the end).
    indent: usize,
}

impl Line {
    /// Whether the line holds content exactly `indent` columns in.
    fn at(&self, indent: usize) -> bool {
        self.kind == Kind::Content && self.indent == indent
    }
}

struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    profile: Profile,
    max_depth: usize,
    /// Entries of the mappings being read, on one shared stack.
    entries: Vec<(String, Value)>,
    /// Items of the sequences being read, on one shared stack.
    items: Vec<Value>,
    /// Scratch: the lines of a literal block scalar.
    lines: Vec<(usize, usize, usize)>,
}

/// Bytes that stop a block plain scalar's scan: `\n`, `:`, `#`.
const STOP_BLOCK: [bool; 256] = {
    let mut t = [false; 256];
    t[b'\n' as usize] = true;
    t[b':' as usize] = true;
    t[b'#' as usize] = true;
    t
};

/// Bytes that stop a flow plain scalar's scan.
const STOP_FLOW: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    let stops = b"\n:#,[]{}";
    while i < stops.len() {
        t[stops[i] as usize] = true;
        i += 1;
    }
    t
};

/// Every document's value, or `None` when the stream holds anything the fused path leaves
/// to the others.
pub(crate) fn values(input: &str, profile: Profile, limits: &Limits) -> Option<Vec<Value>> {
    if input.len() > limits.max_input_bytes.min(u32::MAX as usize) || !clean(input) {
        return None;
    }
    let mut r = Reader {
        s: input,
        b: input.as_bytes(),
        profile,
        // The other paths count collections the same way; staying well below their
        // limit leaves every limit error to them.
        max_depth: MAX_DEPTH.min(limits.max_depth.saturating_sub(2)),
        entries: Vec::with_capacity(64),
        items: Vec::with_capacity(64),
        lines: Vec::new(),
    };
    r.stream().ok()
}

/// Whether the text holds no byte the fused path leaves aside: control characters other
/// than `\n` (tab and carriage return included), DEL, C1 controls, U+2028/U+2029 (line
/// breaks for YAML 1.1), byte-order marks and non-characters U+FFFE/U+FFFF.
fn clean(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    const CHUNK: usize = 32;
    while i < b.len() {
        let end = (i + CHUNK).min(b.len());
        let chunk = b.get(i..end).unwrap_or_default();
        // No early exit inside the chunk, so this loop vectorizes.
        let mut odd = false;
        for &c in chunk {
            odd |= (c.wrapping_sub(0x20) >= 0x5f) & (c != b'\n');
        }
        if !odd {
            i = end;
            continue;
        }
        while i < end {
            let c = b.get(i).copied().unwrap_or(0);
            if c < 0x80 {
                if (c < 0x20 && c != b'\n') || c == 0x7f {
                    return false;
                }
                i += 1;
                continue;
            }
            if c < 0xc0 {
                // A continuation byte of a character checked already.
                i += 1;
                continue;
            }
            let Some(ch) = s.get(i..).and_then(|t| t.chars().next()) else { return false };
            if ch < '\u{a0}'
                || matches!(ch, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
            {
                return false;
            }
            i += ch.len_utf8();
        }
        // A character may run past the chunk: go on from where it ends.
        i = i.max(end);
    }
    true
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The 8 bytes at `i`, when there are 8.
fn word(b: &[u8], i: usize) -> Option<u64> {
    let w: [u8; 8] = b.get(i..i.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(w))
}

/// High bit set in each byte of `w` equal to `t` (exact: no false positives).
fn eq_bytes(w: u64, t: u8) -> u64 {
    let x = w ^ (ONES * u64::from(t));
    // Zero bytes of x: (x & 0x7f..) + 0x7f.. has the high bit clear only for them.
    !(((x & !HIGHS).wrapping_add(!HIGHS)) | x) & HIGHS
}

/// The first of `i..` whose byte is not a space.
fn skip_spaces_at(b: &[u8], mut i: usize) -> usize {
    while let Some(w) = word(b, i) {
        let x = w ^ (ONES * u64::from(b' '));
        if x != 0 {
            return i + (x.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// The first of `i..` holding `\n`, `:` or `#` (or the length).
fn find_stop(b: &[u8], mut i: usize) -> usize {
    while let Some(w) = word(b, i) {
        let m = eq_bytes(w, b'\n') | eq_bytes(w, b':') | eq_bytes(w, b'#');
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if matches!(c, b'\n' | b':' | b'#') {
            return i;
        }
        i += 1;
    }
    b.len()
}

/// The first `\n` from `i` (or the length).
fn find_nl(b: &[u8], mut i: usize) -> usize {
    while let Some(w) = word(b, i) {
        let m = eq_bytes(w, b'\n');
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'\n' {
            return i;
        }
        i += 1;
    }
    b.len()
}

impl<'a> Reader<'a> {
    fn byte(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// Whether byte `i` is a space, a line break or the end.
    fn blank_at(&self, i: usize) -> bool {
        matches!(self.byte(i), None | Some(b' ' | b'\n'))
    }

    fn text(&self, from: usize, to: usize) -> R<&'a str> {
        self.s.get(from..to).ok_or(Bail)
    }

    /// The end of the line holding `i` (its `\n`, or the end of the input).
    fn eol(&self, i: usize) -> usize {
        find_nl(self.b, i)
    }

    /// The first line from `i` (a line start) that is not blank or a comment.
    fn next_line(&self, mut i: usize) -> Line {
        loop {
            let start = i;
            i = skip_spaces_at(self.b, i);
            match self.byte(i) {
                None => return Line { kind: Kind::Eof, pos: self.b.len(), indent: 0 },
                Some(b'\n') => i += 1,
                Some(b'#') => i = self.eol(i) + 1,
                Some(c) => {
                    let indent = i - start;
                    if indent == 0 && (c == b'-' || c == b'.') {
                        let rest = self.b.get(i..).unwrap_or_default();
                        if (rest.starts_with(b"---") || rest.starts_with(b"..."))
                            && self.blank_at(i + 3)
                        {
                            let kind = if c == b'-' { Kind::DocStart } else { Kind::DocEnd };
                            return Line { kind, pos: i, indent: 0 };
                        }
                    }
                    return Line { kind: Kind::Content, pos: i, indent };
                }
            }
        }
    }

    /// After a value that ends at `i`: only spaces and a comment may follow on the line;
    /// then the next line that matters.
    fn end_of_line(&self, mut i: usize) -> R<Line> {
        let start = i;
        while self.byte(i) == Some(b' ') {
            i += 1;
        }
        match self.byte(i) {
            None => Ok(self.next_line(i)),
            Some(b'\n') => Ok(self.next_line(i + 1)),
            Some(b'#') if i > start => Ok(self.next_line(self.eol(i) + 1)),
            _ => Err(Bail),
        }
    }

    fn stream(&mut self) -> R<Vec<Value>> {
        let mut out = Vec::new();
        let mut line = self.next_line(0);
        // A bare first document.
        if line.kind == Kind::Content {
            let (v, next) = self.root(line)?;
            out.push(v);
            line = next;
        }
        loop {
            match line.kind {
                Kind::Eof => return Ok(out),
                Kind::DocStart => {
                    // Only a bare `---` (spaces may follow).
                    let mut i = line.pos + 3;
                    while self.byte(i) == Some(b' ') {
                        i += 1;
                    }
                    if !matches!(self.byte(i), None | Some(b'\n')) {
                        return Err(Bail);
                    }
                    let first = self.next_line(i.saturating_add(1).min(self.b.len()));
                    if first.kind == Kind::Content {
                        let (v, next) = self.root(first)?;
                        out.push(v);
                        line = next;
                    } else {
                        out.push(Value::Null);
                        line = first;
                    }
                }
                Kind::DocEnd | Kind::Content => return Err(Bail),
            }
        }
    }

    /// A document's root collection.
    fn root(&mut self, line: Line) -> R<(Value, Line)> {
        let (v, next) = self.node(line, 0, true)?;
        // The document must end where its root does.
        if next.kind == Kind::Content || next.kind == Kind::DocEnd {
            return Err(Bail);
        }
        Ok((v, next))
    }

    /// Whether a `-` entry indicator stands at `i`.
    fn dash(&self, i: usize) -> bool {
        self.byte(i) == Some(b'-') && self.blank_at(i + 1)
    }

    /// A block collection starting on a line of its own.
    fn node(&mut self, line: Line, depth: usize, top: bool) -> R<(Value, Line)> {
        if self.dash(line.pos) {
            self.seq(line.pos, line.indent, depth)
        } else {
            self.map(line.pos, line.indent, depth, top)
        }
    }

    /// A block sequence whose first `-` stands at `pos`, `indent` columns in.
    fn seq(&mut self, mut pos: usize, indent: usize, depth: usize) -> R<(Value, Line)> {
        if depth >= self.max_depth {
            return Err(Bail);
        }
        let base = self.items.len();
        loop {
            let (v, next) = self.value(pos + 1, indent, depth, false)?;
            self.items.push(v);
            if next.at(indent) && self.dash(next.pos) {
                pos = next.pos;
                continue;
            }
            if next.kind == Kind::Content && next.indent > indent {
                return Err(Bail);
            }
            let items: Vec<Value> = self.items.drain(base.min(self.items.len())..).collect();
            return Ok((Value::Seq(items), next));
        }
    }

    /// A block mapping whose first key stands at `pos`, `indent` columns in.
    fn map(&mut self, mut pos: usize, indent: usize, depth: usize, top: bool) -> R<(Value, Line)> {
        if depth >= self.max_depth {
            return Err(Bail);
        }
        let base = self.entries.len();
        loop {
            let (key, after) = self.key(pos, top)?;
            let (v, next) = self.value(after, indent, depth, true)?;
            self.entries.push((key, v));
            if next.at(indent) {
                pos = next.pos;
                continue;
            }
            if next.kind == Kind::Content && next.indent > indent {
                return Err(Bail);
            }
            let entries = self.entries.drain(base.min(self.entries.len())..);
            let mut map = Mapping::with_capacity(entries.len());
            for (k, v) in entries {
                if map.insert(k, v).is_some() {
                    return Err(Bail);
                }
            }
            return Ok((Value::Map(map), next));
        }
    }

    /// A block mapping key at `pos`: its string and where its value may start (after the
    /// `:`).
    fn key(&self, pos: usize, top: bool) -> R<(String, usize)> {
        let (text, style, colon) = match self.byte(pos) {
            Some(q @ (b'"' | b'\'')) => {
                let (text, end) = self.quoted(pos, q)?;
                let style =
                    if q == b'"' { ScalarStyle::DoubleQuoted } else { ScalarStyle::SingleQuoted };
                (text, style, end)
            }
            _ => {
                self.plain_start(pos, false)?;
                let (end, stop) = self.scan_plain(pos, &STOP_BLOCK);
                if stop != b':' {
                    return Err(Bail);
                }
                (Cow::Borrowed(self.text(pos, end)?), ScalarStyle::Plain, end)
            }
        };
        if self.byte(colon) != Some(b':') || !self.blank_at(colon + 1) || colon - pos > 1000 {
            return Err(Bail);
        }
        if !plain_string_key(self.profile, &text, style, false, top) {
            return Err(Bail);
        }
        Ok((text.into_owned(), colon + 1))
    }

    /// Checks the first byte of a plain scalar at `pos`.
    fn plain_start(&self, pos: usize, flow: bool) -> R<()> {
        match self.byte(pos) {
            None
            | Some(
                b' ' | b'\n' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
                | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b'?' | b':',
            ) => Err(Bail),
            Some(b'-') if flow => match self.byte(pos + 1) {
                Some(c) if c.is_ascii_alphanumeric() || c == b'.' => Ok(()),
                _ => Err(Bail),
            },
            Some(b'-') if self.blank_at(pos + 1) => Err(Bail),
            Some(_) => Ok(()),
        }
    }

    /// Scans a plain scalar on one line from `pos`: where its text ends (trailing spaces
    /// dropped) and what stopped it: `:` before a space or the end of line, `#` after a
    /// space, `\n` (also the end of input), or for flow, any flow indicator or other `:`.
    fn scan_plain(&self, pos: usize, stops: &[bool; 256]) -> (usize, u8) {
        let mut i = pos;
        let block = !stops[b',' as usize];
        let stop = loop {
            if block {
                i = find_stop(self.b, i);
            }
            let Some(c) = self.byte(i) else { break b'\n' };
            if stops[c as usize] {
                match c {
                    b':' if stops[b',' as usize] || self.blank_at(i + 1) => break b':',
                    b'#' if self.byte(i.wrapping_sub(1)) == Some(b' ') => break b'#',
                    b'\n' | b',' | b'[' | b']' | b'{' | b'}' => break c,
                    _ => {}
                }
            }
            i += 1;
        };
        let mut end = i;
        while end > pos && self.byte(end - 1) == Some(b' ') {
            end -= 1;
        }
        (end, stop)
    }

    /// A one-line quoted scalar opening at `pos` with `q`: its text and the position
    /// after the closing quote.
    fn quoted(&self, pos: usize, q: u8) -> R<(Cow<'a, str>, usize)> {
        let start = pos + 1;
        let rest = self.b.get(start..).ok_or(Bail)?;
        let mut k = 0;
        let mut owned: Option<String> = None;
        let mut seg = start;
        loop {
            let c = *rest.get(k).ok_or(Bail)?;
            let i = start + k;
            match c {
                b'\n' => return Err(Bail),
                b'\\' if q == b'"' => return Err(Bail),
                _ if c == q => {
                    if q == b'\'' && self.byte(i + 1) == Some(b'\'') {
                        let o = owned.get_or_insert_with(String::new);
                        o.push_str(self.text(seg, i + 1)?);
                        seg = i + 2;
                        k += 2;
                        continue;
                    }
                    let text = match owned {
                        Some(mut o) => {
                            o.push_str(self.text(seg, i)?);
                            Cow::Owned(o)
                        }
                        None => Cow::Borrowed(self.text(start, i)?),
                    };
                    return Ok((text, i + 1));
                }
                _ => k += 1,
            }
        }
    }

    /// The value of a mapping entry or sequence item, from `pos` (after its `:` or `-`);
    /// `indent` is its collection's column.
    fn value(&mut self, pos: usize, indent: usize, depth: usize, in_map: bool) -> R<(Value, Line)> {
        let mut q = pos;
        while self.byte(q) == Some(b' ') {
            q += 1;
        }
        let empty = match self.byte(q) {
            None => true,
            Some(b'\n') => true,
            Some(b'#') => q > pos,
            _ => false,
        };
        if empty {
            let next = self.next_line(self.eol(q).saturating_add(1).min(self.b.len()));
            if next.kind == Kind::Content
                && (next.indent > indent
                    || (in_map && next.indent == indent && self.dash(next.pos)))
            {
                return self.node(next, depth + 1, false);
            }
            let v = self.scalar(Cow::Borrowed(""), ScalarStyle::Plain, false)?;
            return Ok((v, next));
        }
        // Its column, when it opens a compact collection in a sequence item.
        let col = indent + (q - pos) + 1;
        match self.byte(q) {
            Some(b'|') => self.literal(q, indent),
            Some(qc @ (b'"' | b'\'')) => {
                let (text, end) = self.quoted(q, qc)?;
                if !in_map && self.byte(end) == Some(b':') {
                    // A quoted key of a compact mapping.
                    return self.map(q, col, depth + 1, false);
                }
                let style =
                    if qc == b'"' { ScalarStyle::DoubleQuoted } else { ScalarStyle::SingleQuoted };
                let v = self.scalar(text, style, false)?;
                Ok((v, self.end_of_line(end)?))
            }
            Some(b'{' | b'[') => {
                let (v, end) = self.flow(q, depth + 1)?;
                Ok((v, self.end_of_line(end)?))
            }
            Some(b'-') if !in_map && self.dash(q) => self.seq(q, col, depth + 1),
            _ => {
                self.plain_start(q, false)?;
                let (end, stop) = self.scan_plain(q, &STOP_BLOCK);
                match stop {
                    b':' if !in_map => self.map(q, col, depth + 1, false),
                    b':' => Err(Bail),
                    _ => {
                        let v = self.scalar(
                            Cow::Borrowed(self.text(q, end)?),
                            ScalarStyle::Plain,
                            false,
                        )?;
                        let next = if stop == b'#' {
                            self.next_line(self.eol(end) + 1)
                        } else {
                            self.end_of_line(end)?
                        };
                        Ok((v, next))
                    }
                }
            }
        }
    }

    fn scalar(&self, text: Cow<'_, str>, style: ScalarStyle, flow: bool) -> R<Value> {
        scalar_to_value(self.profile, None, text, style, flow).map_err(|_| Bail)
    }

    /// A `|` or `|-` literal block scalar whose header starts at `pos`, in a collection
    /// `indent` columns in.
    fn literal(&mut self, pos: usize, indent: usize) -> R<(Value, Line)> {
        let mut i = pos + 1;
        let strip = self.byte(i) == Some(b'-');
        if strip {
            i += 1;
        }
        // The header ends the line (a comment may follow).
        let header = i;
        while self.byte(i) == Some(b' ') {
            i += 1;
        }
        match self.byte(i) {
            Some(b'\n') => {}
            Some(b'#') if i > header => i = self.eol(i),
            _ => return Err(Bail),
        }
        let mut line = i + 1;
        let mut block_indent = 0;
        // The content lines (start, end, empty lines before), then the text in one go.
        self.lines.clear();
        let mut breaks = 0usize;
        let mut size = 0usize;
        loop {
            let j = skip_spaces_at(self.b, line);
            let spaces = j - line;
            let first = self.lines.is_empty();
            let end_of_block = match self.byte(j) {
                None if !first && spaces > block_indent => return Err(Bail),
                None => true,
                Some(b'\n') => {
                    // A line of spaces only: empty if it stays within the indentation.
                    if first || spaces > block_indent {
                        return Err(Bail);
                    }
                    breaks += 1;
                    line = j + 1;
                    continue;
                }
                Some(_) => {
                    if first {
                        if spaces <= indent {
                            return Err(Bail);
                        }
                        block_indent = spaces;
                    }
                    spaces < block_indent
                }
            };
            if end_of_block {
                break;
            }
            let end = self.eol(j);
            let from = line + block_indent;
            size += end.saturating_sub(from) + breaks + 1;
            self.lines.push((from, end, breaks));
            breaks = 0;
            line = end + 1;
        }
        if self.lines.is_empty() {
            return Err(Bail);
        }
        let mut out = String::with_capacity(size);
        for (k, &(from, end, breaks)) in self.lines.iter().enumerate() {
            if k > 0 {
                for _ in 0..=breaks {
                    out.push('\n');
                }
            }
            out.push_str(self.text(from, end)?);
        }
        if !strip {
            out.push('\n');
        }
        let v = self.scalar(Cow::Owned(out), ScalarStyle::Literal, false)?;
        Ok((v, self.next_line(line.min(self.b.len()))))
    }

    /// A one-line flow collection opening at `pos`: its value and the position after it.
    fn flow(&mut self, pos: usize, depth: usize) -> R<(Value, usize)> {
        if depth >= self.max_depth {
            return Err(Bail);
        }
        let map = self.byte(pos) == Some(b'{');
        let close = if map { b'}' } else { b']' };
        let mut i = self.skip_spaces(pos + 1);
        let base = if map { self.entries.len() } else { self.items.len() };
        if self.byte(i) != Some(close) {
            loop {
                if map {
                    let (key, style, end) = self.flow_scalar(i)?;
                    // An implicit key stays within 1024 characters.
                    if self.byte(end) != Some(b':')
                        || self.byte(end + 1) != Some(b' ')
                        || end - i > 1000
                    {
                        return Err(Bail);
                    }
                    if !plain_string_key(self.profile, &key, style, true, false) {
                        return Err(Bail);
                    }
                    let key = key.into_owned();
                    let (v, end) = self.flow_item(self.skip_spaces(end + 1), depth)?;
                    self.entries.push((key, v));
                    i = end;
                } else {
                    let (v, end) = self.flow_item(i, depth)?;
                    self.items.push(v);
                    i = end;
                }
                i = self.skip_spaces(i);
                match self.byte(i) {
                    Some(b',') => {
                        i = self.skip_spaces(i + 1);
                        if self.byte(i) == Some(close) {
                            return Err(Bail);
                        }
                    }
                    Some(c) if c == close => break,
                    _ => return Err(Bail),
                }
            }
        }
        let v = if map {
            let entries = self.entries.drain(base.min(self.entries.len())..);
            let mut m = Mapping::with_capacity(entries.len());
            for (k, v) in entries {
                if m.insert(k, v).is_some() {
                    return Err(Bail);
                }
            }
            Value::Map(m)
        } else {
            Value::Seq(self.items.drain(base.min(self.items.len())..).collect())
        };
        Ok((v, i + 1))
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while self.byte(i) == Some(b' ') {
            i += 1;
        }
        i
    }

    /// A scalar in a flow collection at `pos`: its text, style and where it ends.
    fn flow_scalar(&self, pos: usize) -> R<(Cow<'a, str>, ScalarStyle, usize)> {
        match self.byte(pos) {
            Some(q @ (b'"' | b'\'')) => {
                let (text, end) = self.quoted(pos, q)?;
                let style =
                    if q == b'"' { ScalarStyle::DoubleQuoted } else { ScalarStyle::SingleQuoted };
                Ok((text, style, end))
            }
            _ => {
                self.plain_start(pos, true)?;
                let (end, stop) = self.scan_plain(pos, &STOP_FLOW);
                if matches!(stop, b'\n' | b'#' | b'[' | b'{') {
                    return Err(Bail);
                }
                Ok((Cow::Borrowed(self.text(pos, end)?), ScalarStyle::Plain, end))
            }
        }
    }

    /// A value in a flow collection at `pos`: a nested collection or a scalar.
    fn flow_item(&mut self, pos: usize, depth: usize) -> R<(Value, usize)> {
        if matches!(self.byte(pos), Some(b'{' | b'[')) {
            return self.flow(pos, depth + 1);
        }
        let (text, style, end) = self.flow_scalar(pos)?;
        if self.byte(end) == Some(b':') {
            return Err(Bail);
        }
        Ok((self.scalar(text, style, true)?, end))
    }
}
