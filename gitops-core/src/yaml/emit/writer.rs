//! The emitter proper: go-yaml v2's block emitter state (column, indentation, the
//! "whitespace" and "indention" flags) driven directly by a walk over a [`Value`].
//!
//! Only what v2's `Marshal` of decoded JSON can produce is needed: block mappings and
//! sequences, `{}`/`[]` for empty ones, and scalars in plain, single-quoted,
//! double-quoted or literal style.

use super::float::push_yaml_float;
use super::implicit::needs_quotes;
use super::sort::sort_keys;
use crate::yaml::{Error, Value};

/// Column past which v2 folds long scalars at a space.
const BEST_WIDTH: usize = 80;
/// Indentation step.
const BEST_INDENT: i64 = 2;
/// Longest key, in bytes, written as a simple `key: value`.
const MAX_SIMPLE_KEY: usize = 128;
/// Deepest nesting of collections the emitter accepts.
pub(super) const MAX_DEPTH: usize = 1_000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// What v2's `yaml_emitter_analyze_scalar` learns from one pass over a scalar.
#[derive(Clone, Copy, Debug)]
pub(super) struct Analysis {
    pub multiline: bool,
    pub block_plain_allowed: bool,
    pub single_quoted_allowed: bool,
    pub block_allowed: bool,
    /// Every char is ASCII (so chars == bytes).
    pub ascii: bool,
    /// Contains a `' '`.
    pub has_space: bool,
    /// Contains `'\n'`.
    pub has_newline: bool,
    /// Contains `'` (needs doubling when single-quoted).
    pub has_quote: bool,
}

#[inline]
fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

#[inline]
fn is_blankz(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\0') || is_break(c)
}

/// v2's `is_printable` (4-byte UTF-8 characters are not "printable" to it).
#[inline]
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | '\x20'..='\x7e' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        && c != '\u{feff}'
}

/// Bytes that, past the first position, change nothing in [`analyze`] but the "previous
/// character" flags: printable ASCII other than `:`, `#` and `'`.
const PLAIN_RUN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0x21;
    while b < 0x7f {
        t[b] = !matches!(b as u8, b':' | b'#' | b'\'');
        b += 1;
    }
    t
};

/// One pass over the scalar, as v2's analysis (with the emitter in unicode mode).
pub(super) fn analyze(s: &str) -> Analysis {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
            ascii: true,
            has_space: false,
            has_newline: false,
            has_quote: false,
        };
    }
    let mut block_indicators = bytes.starts_with(b"---") || bytes.starts_with(b"...");
    if bytes.iter().all(|&b| (0x21..0x7f).contains(&b)) {
        // Printable ASCII without spaces: only the first character can be an indicator
        // (`#` needs a preceding blank, and there is none) and a `:` at the very end.
        let first_indicator = matches!(
            bytes[0],
            b'#' | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        ) || (matches!(bytes[0], b'?' | b':' | b'-') && bytes.len() == 1)
            || bytes[bytes.len() - 1] == b':';
        return Analysis {
            multiline: false,
            block_plain_allowed: !(block_indicators || first_indicator),
            single_quoted_allowed: true,
            block_allowed: true,
            ascii: true,
            has_space: false,
            has_newline: false,
            has_quote: bytes.contains(&b'\''),
        };
    }
    let mut line_breaks = false;
    let mut special = false;
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_ws = true;
    let mut ascii = true;
    let mut has_space = false;
    let mut has_newline = false;
    let mut has_quote = false;
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        // A run of printable ASCII that is neither blank, break, quote nor an indicator
        // that depends on its neighbours (`:` and `#`) only clears the "previous" flags.
        if i > 0 && PLAIN_RUN[b as usize] {
            i += 1;
            while bytes.get(i).is_some_and(|&b| PLAIN_RUN[b as usize]) {
                i += 1;
            }
            previous_space = false;
            previous_break = false;
            preceded_by_ws = false;
            continue;
        }
        let (c, w) = if b < 0x80 {
            (b as char, 1)
        } else {
            ascii = false;
            match s[i..].chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        };
        let followed_by_ws = matches!(bytes.get(i + w), None | Some(b' ') | Some(b'\t'));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_ws => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_ws => block_indicators = true,
                '#' if preceded_by_ws => block_indicators = true,
                _ => {}
            }
        }
        if c == '\'' {
            has_quote = true;
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            has_space = true;
            if i == 0 {
                leading_space = true;
            }
            if i + w == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if c == '\n' {
                has_newline = true;
            }
            if i == 0 {
                leading_break = true;
            }
            if i + w == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_ws = is_blankz(c);
        i += w;
    }
    let mut block_plain_allowed = true;
    let mut single_quoted_allowed = true;
    let mut block_allowed = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        block_plain_allowed = false;
    }
    if trailing_space {
        block_allowed = false;
    }
    if break_space {
        block_plain_allowed = false;
        single_quoted_allowed = false;
    }
    if space_break || special {
        block_plain_allowed = false;
        single_quoted_allowed = false;
        block_allowed = false;
    }
    if line_breaks || block_indicators {
        block_plain_allowed = false;
    }
    Analysis {
        multiline: line_breaks,
        block_plain_allowed,
        single_quoted_allowed,
        block_allowed,
        ascii,
        has_space,
        has_newline,
        has_quote,
    }
}

/// The style v2 ends up with for a string (encoder's request, then the emitter's veto).
pub(super) fn select_style(s: &str, a: &Analysis, simple_key: bool) -> Style {
    let mut style = if a.has_newline {
        Style::Literal
    } else if needs_quotes(s) {
        Style::Double
    } else {
        Style::Plain
    };
    if style == Style::Plain && (!a.block_plain_allowed || (s.is_empty() && simple_key)) {
        style = Style::Single;
    }
    if style == Style::Single && !a.single_quoted_allowed {
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::Double;
    }
    style
}

#[inline]
fn char_count(s: &str, ascii: bool) -> usize {
    if ascii { s.len() } else { s.chars().count() }
}

/// Emitter state for one document.
pub(super) struct Emitter<'o> {
    out: &'o mut String,
    /// Apply the `encoding/json` round trip on the fly (see `json_roundtrip`).
    json: bool,
    indent: i64,
    column: usize,
    whitespace: bool,
    indention: bool,
    scratch: String,
}

impl<'o> Emitter<'o> {
    pub(super) fn new(out: &'o mut String, json: bool) -> Self {
        Emitter {
            out,
            json,
            indent: -1,
            column: 0,
            whitespace: true,
            indention: true,
            scratch: String::new(),
        }
    }

    /// One whole document: the root node, then the document end's line break.
    pub(super) fn document(&mut self, v: &Value) -> Result<(), Error> {
        self.node(v, false, false, 0)?;
        self.indent = -1;
        self.write_indent();
        Ok(())
    }

    #[inline]
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    #[inline]
    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        if self.column < indent {
            const SPACES: &str = "                                                                ";
            let mut n = indent - self.column;
            while n > 0 {
                let k = n.min(SPACES.len());
                self.out.push_str(&SPACES[..k]);
                n -= k;
            }
            self.column = indent;
        }
        self.whitespace = true;
        self.indention = true;
    }

    #[inline]
    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        self.out.push_str(ind);
        self.column += ind.len();
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    #[inline]
    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn node(
        &mut self,
        v: &Value,
        mapping: bool,
        simple_key: bool,
        depth: usize,
    ) -> Result<(), Error> {
        match v {
            Value::Seq(items) => self.seq(items, mapping, depth),
            Value::Map(m) => self.map(m, depth),
            _ => self.scalar(v, simple_key),
        }
    }

    /// A scalar value (never a collection).
    #[inline(never)]
    fn scalar(&mut self, v: &Value, simple_key: bool) -> Result<(), Error> {
        match v {
            Value::Null => self.plain_token("null"),
            Value::Bool(true) => self.plain_token("true"),
            Value::Bool(false) => self.plain_token("false"),
            Value::Int(i) => {
                let mut buf = itoa_buf();
                let t = fmt_i64(&mut buf, *i);
                self.plain_token(t);
            }
            Value::Uint(u) => {
                let mut buf = itoa_buf();
                let t = fmt_u64(&mut buf, *u);
                self.plain_token(t);
            }
            Value::Float(f) if self.json => {
                let v = super::json_float_value(*f)?;
                if !matches!(v, Value::Float(_)) {
                    return self.scalar(&v, simple_key);
                }
                let mut text = std::mem::take(&mut self.scratch);
                let mut digits = String::new();
                text.clear();
                push_yaml_float(&mut text, *f, &mut digits);
                self.plain_token(&text);
                self.scratch = text;
            }
            Value::String(s) if self.json => {
                let s = super::roundtrip_string(s)?;
                let a = analyze(&s);
                self.string(&s, &a, simple_key);
            }
            Value::Float(f) => {
                let mut text = std::mem::take(&mut self.scratch);
                let mut digits = String::new();
                text.clear();
                push_yaml_float(&mut text, *f, &mut digits);
                self.plain_token(&text);
                self.scratch = text;
            }
            Value::String(s) => {
                let a = analyze(s);
                self.string(s, &a, simple_key);
            }
            Value::Seq(_) | Value::Map(_) => {}
        }
        Ok(())
    }

    #[inline(never)]
    fn seq(&mut self, items: &[Value], mapping: bool, depth: usize) -> Result<(), Error> {
        if depth >= MAX_DEPTH {
            return Err(depth_error());
        }
        if items.is_empty() {
            self.write_indicator("[", true, true, false);
            self.write_indicator("]", false, false, false);
            return Ok(());
        }
        let saved = self.indent;
        self.increase_indent(false, mapping && !self.indention);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(item, false, false, depth + 1)?;
        }
        self.indent = saved;
        Ok(())
    }

    #[inline(never)]
    fn map(&mut self, m: &crate::yaml::Mapping, depth: usize) -> Result<(), Error> {
        if depth >= MAX_DEPTH {
            return Err(depth_error());
        }
        if m.is_empty() {
            self.write_indicator("{", true, true, false);
            self.write_indicator("}", false, false, false);
            return Ok(());
        }
        let saved = self.indent;
        self.increase_indent(false, false);
        let mut small = [0usize; 16];
        let mut large = Vec::new();
        let order: &mut [usize] = if m.len() <= small.len() {
            for (i, slot) in small.iter_mut().enumerate().take(m.len()) {
                *slot = i;
            }
            &mut small[..m.len()]
        } else {
            large.extend(0..m.len());
            &mut large
        };
        sort_keys(order, |&i| m.get_index(i).map_or("", |(k, _)| k.as_str()));
        for &i in order.iter() {
            let Some((k, val)) = m.get_index(i) else { continue };
            if self.json {
                super::roundtrip_key_check(k)?;
            }
            self.write_indent();
            let a = analyze(k);
            if !a.multiline && k.len() <= MAX_SIMPLE_KEY {
                self.string(k, &a, true);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.string(k, &a, false);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(val, true, false, depth + 1)?;
        }
        self.indent = saved;
        Ok(())
    }

    /// A plain scalar known to need no analysis (null, bools, numbers): no spaces, ASCII.
    #[inline]
    fn plain_token(&mut self, t: &str) {
        if !self.whitespace {
            self.put(' ');
        }
        self.out.push_str(t);
        self.column += t.len();
        self.whitespace = false;
        self.indention = false;
    }

    fn string(&mut self, s: &str, a: &Analysis, simple_key: bool) {
        let style = select_style(s, a, simple_key);
        let saved = self.indent;
        self.increase_indent(true, false);
        match style {
            Style::Plain => self.write_plain(s, a, !simple_key),
            Style::Single => self.write_single(s, a, !simple_key),
            Style::Double => self.write_double(s, !simple_key),
            Style::Literal => self.write_literal(s, a.ascii),
        }
        self.indent = saved;
    }

    fn write_plain(&mut self, s: &str, a: &Analysis, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let n = char_count(s, a.ascii);
        if !allow_breaks || !a.has_space || self.column + n <= BEST_WIDTH + 1 {
            // No space can fall past the fold column: copy in one go.
            self.out.push_str(s);
            self.column += n;
        } else {
            // Plain scalars hold no line breaks (the analysis forbids plain then). A fold
            // can only fall at a single space: copy the words between spaces whole.
            let mut rest = s;
            let mut spaces = false;
            while !rest.is_empty() {
                if let Some(after) = rest.strip_prefix(' ') {
                    if !spaces && self.column > BEST_WIDTH && !after.starts_with(' ') {
                        self.write_indent();
                    } else {
                        self.put(' ');
                    }
                    spaces = true;
                    rest = after;
                } else {
                    let end = rest.find(' ').unwrap_or(rest.len());
                    let (word, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
                    self.out.push_str(word);
                    self.column += char_count(word, a.ascii);
                    self.indention = false;
                    spaces = false;
                    rest = after;
                }
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single(&mut self, s: &str, a: &Analysis, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let n = char_count(s, a.ascii);
        let fold_possible = allow_breaks && a.has_space && self.column + n > BEST_WIDTH + 1;
        if !fold_possible && !a.has_quote && !a.multiline {
            self.out.push_str(s);
            self.column += n;
        } else {
            let bytes = s.as_bytes();
            let last = bytes.len().saturating_sub(1);
            let (mut spaces, mut breaks) = (false, false);
            for (i, c) in s.char_indices() {
                if c == ' ' {
                    if allow_breaks
                        && !spaces
                        && self.column > BEST_WIDTH
                        && i > 0
                        && i < last
                        && bytes.get(i + 1) != Some(&b' ')
                    {
                        self.write_indent();
                    } else {
                        self.put(' ');
                    }
                    spaces = true;
                } else if is_break(c) {
                    if !breaks && c == '\n' {
                        self.put_break();
                    }
                    self.write_break(c);
                    self.indention = true;
                    breaks = true;
                } else {
                    if breaks {
                        self.write_indent();
                    }
                    if c == '\'' {
                        self.put('\'');
                    }
                    self.put(c);
                    self.indention = false;
                    spaces = false;
                    breaks = false;
                }
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    #[inline]
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_double(&mut self, s: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let bom = s.starts_with('\u{feff}');
        let bytes = s.as_bytes();
        let last = bytes.len().saturating_sub(1);
        let mut spaces = false;
        for (i, c) in s.char_indices() {
            if bom || !is_printable(c) || is_break(c) || c == '"' || c == '\\' {
                self.out.push('\\');
                self.column += 1;
                let short = match c {
                    '\0' => Some('0'),
                    '\x07' => Some('a'),
                    '\x08' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\x0b' => Some('v'),
                    '\x0c' => Some('f'),
                    '\r' => Some('r'),
                    '\x1b' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match short {
                    Some(e) => self.put(e),
                    None => {
                        let v = c as u32;
                        let (letter, digits) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for k in (0..digits).rev() {
                            let d = (v >> (k * 4)) & 0xF;
                            let h = if d < 10 { b'0' + d as u8 } else { b'A' + (d as u8 - 10) };
                            self.put(h as char);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i < last {
                    self.write_indent();
                    if bytes.get(i + 1) == Some(&b' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(' ');
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, s: &str, ascii: bool) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints: indentation indicator, then chomping.
        let mut chars = s.chars();
        if let Some(first) = chars.clone().next()
            && (first == ' ' || is_break(first))
        {
            let hint = char::from(b'0' + BEST_INDENT as u8);
            let mut tmp = [0u8; 4];
            self.write_indicator(hint.encode_utf8(&mut tmp), false, false, false);
        }
        let last = chars.next_back();
        let chomp = match last {
            None => Some("-"),
            Some(c) if !is_break(c) => Some("-"),
            Some(_) => match chars.next_back() {
                None => Some("+"),
                Some(c) if is_break(c) => Some("+"),
                Some(_) => None,
            },
        };
        if let Some(h) = chomp {
            self.write_indicator(h, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut rest = s;
        let mut breaks = true;
        while !rest.is_empty() {
            // Next break (\n, LS or PS; a literal holds no other breaks).
            let cut = if ascii {
                rest.bytes().position(|b| b == b'\n' || b == b'\r').unwrap_or(rest.len())
            } else {
                rest.find(['\n', '\u{2028}', '\u{2029}', '\r', '\u{85}']).unwrap_or(rest.len())
            };
            if cut > 0 {
                if breaks {
                    self.write_indent();
                }
                let line = &rest[..cut];
                self.out.push_str(line);
                self.column += char_count(line, ascii);
                self.indention = false;
                breaks = false;
            }
            rest = &rest[cut..];
            if let Some(c) = rest.chars().next() {
                self.write_break(c);
                self.indention = true;
                breaks = true;
                rest = &rest[c.len_utf8()..];
            }
        }
    }
}

fn depth_error() -> Error {
    Error::Emit { message: format!("nesting depth exceeds the limit of {MAX_DEPTH}") }
}

type ItoaBuf = [u8; 24];

#[inline]
fn itoa_buf() -> ItoaBuf {
    [0u8; 24]
}

fn fmt_u64(buf: &mut ItoaBuf, mut v: u64) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

fn fmt_i64(buf: &mut ItoaBuf, v: i64) -> &str {
    let neg = v < 0;
    let mut u = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    if neg {
        i -= 1;
        buf[i] = b'-';
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}
