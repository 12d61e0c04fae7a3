//! The lexer: Go text/template's tokens with configurable delimiters, trim markers
//! (`<<- ` / ` ->>`) and comments (`<</* ... */>>`).

/// A token kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    Text,
    LeftDelim,
    RightDelim,
    Space,
    Assign,
    Declare,
    Pipe,
    Str,
    RawStr,
    CharConst,
    Number,
    Complex,
    Bool,
    Dot,
    Field,
    Variable,
    Identifier,
    LeftParen,
    RightParen,
    Char,
    Eof,
    Error,
    // keywords
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

/// One token: kind, byte offset, text (for Text with trims applied; for Error the message).
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub typ: Tok,
    pub pos: usize,
    pub val: String,
    pub line: usize,
}

impl Token {
    /// Go's `item.String()`, used in "unexpected X in Y" messages.
    pub(crate) fn describe(&self) -> String {
        match self.typ {
            Tok::Eof => "EOF".into(),
            Tok::Error => self.val.clone(),
            Tok::Block
            | Tok::Break
            | Tok::Continue
            | Tok::Define
            | Tok::Else
            | Tok::End
            | Tok::If
            | Tok::Nil
            | Tok::Range
            | Tok::Template
            | Tok::With => format!("<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let short: String = self.val.chars().take(10).collect();
                    format!("{}...", super::funcs::go_quote(&short))
                } else {
                    super::funcs::go_quote(&self.val)
                }
            }
        }
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

struct Lexer<'a> {
    input: &'a str,
    left: &'a str,
    right: &'a str,
    pos: usize,
    start: usize,
    paren: i32,
    out: Vec<Token>,
}

/// Tokenise `input`. The last token is `Eof` or `Error`.
pub(crate) fn lex(input: &str, left: &str, right: &str) -> Vec<Token> {
    let mut l = Lexer { input, left, right, pos: 0, start: 0, paren: 0, out: Vec::new() };
    l.run();
    l.out
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        self.input.get(self.pos..).unwrap_or("")
    }

    fn line_at(&self, pos: usize) -> usize {
        1 + self.input.as_bytes().iter().take(pos).filter(|b| **b == b'\n').count()
    }

    fn emit(&mut self, typ: Tok) {
        let val = self.input.get(self.start..self.pos).unwrap_or("").to_owned();
        let line = self.line_at(self.start);
        self.out.push(Token { typ, pos: self.start, val, line });
        self.start = self.pos;
    }

    fn error(&mut self, msg: String) {
        let line = self.line_at(self.start);
        self.out.push(Token { typ: Tok::Error, pos: self.start, val: msg, line });
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn has_left_trim(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() >= 2 && b[0] == b'-' && is_space(b[1])
    }

    fn has_right_trim(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() >= 2 && is_space(b[0]) && b[1] == b'-'
    }

    /// At a right delimiter (with trim marker?).
    fn at_right_delim(&self) -> (bool, bool) {
        let r = self.rest();
        if Self::has_right_trim(r) && r.get(2..).is_some_and(|s| s.starts_with(self.right)) {
            return (true, true);
        }
        (r.starts_with(self.right), false)
    }

    fn run(&mut self) {
        loop {
            // Text up to the next left delimiter.
            let rest = self.rest();
            match rest.find(self.left) {
                Some(x) => {
                    let delim_at = self.pos + x;
                    let after = self.input.get(delim_at + self.left.len()..).unwrap_or("");
                    let mut text_end = delim_at;
                    if Self::has_left_trim(after) {
                        let t = self.input.get(self.pos..delim_at).unwrap_or("");
                        text_end = self.pos + t.trim_end_matches([' ', '\t', '\r', '\n']).len();
                    }
                    if text_end > self.pos {
                        self.pos = text_end;
                        self.emit(Tok::Text);
                    }
                    self.pos = delim_at;
                    self.start = delim_at;
                    if !self.left_delim() {
                        return;
                    }
                }
                None => {
                    self.pos = self.input.len();
                    if self.pos > self.start {
                        self.emit(Tok::Text);
                    }
                    self.emit(Tok::Eof);
                    return;
                }
            }
        }
    }

    /// At a left delimiter: a comment or an action. False on error.
    fn left_delim(&mut self) -> bool {
        self.pos += self.left.len();
        let trim = Self::has_left_trim(self.rest());
        let after = if trim { 2 } else { 0 };
        if self.rest().get(after..).is_some_and(|s| s.starts_with("/*")) {
            self.pos += after;
            self.start = self.pos;
            return self.comment();
        }
        self.emit(Tok::LeftDelim);
        self.pos += after;
        self.start = self.pos;
        self.paren = 0;
        self.inside_action()
    }

    fn comment(&mut self) -> bool {
        self.pos += 2;
        let Some(x) = self.rest().find("*/") else {
            self.error("unclosed comment".into());
            return false;
        };
        self.pos += x + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            self.error("comment ends before closing delimiter".into());
            return false;
        }
        if trim {
            self.pos += 2;
        }
        self.pos += self.right.len();
        if trim {
            let r = self.rest();
            self.pos += r.len() - r.trim_start_matches([' ', '\t', '\r', '\n']).len();
        }
        self.start = self.pos;
        true
    }

    fn right_delim(&mut self) {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += 2;
            self.start = self.pos;
        }
        self.pos += self.right.len();
        self.emit(Tok::RightDelim);
        if trim {
            let r = self.rest();
            self.pos += r.len() - r.trim_start_matches([' ', '\t', '\r', '\n']).len();
            self.start = self.pos;
        }
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if c.is_ascii() && is_space(c as u8) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => self.rest().starts_with(self.right),
        }
    }

    /// Inside an action until its right delimiter. False on error.
    fn inside_action(&mut self) -> bool {
        loop {
            let (delim, _) = self.at_right_delim();
            if delim {
                if self.paren == 0 {
                    self.right_delim();
                    return true;
                }
                self.error("unclosed left paren".into());
                return false;
            }
            let Some(c) = self.next() else {
                self.error("unclosed action".into());
                return false;
            };
            match c {
                ' ' | '\t' | '\r' | '\n' => {
                    self.pos -= 1;
                    if !self.space() {
                        self.right_delim();
                        return true;
                    }
                }
                '=' => self.emit(Tok::Assign),
                ':' => {
                    if self.next() != Some('=') {
                        self.error("expected :=".into());
                        return false;
                    }
                    self.emit(Tok::Declare);
                }
                '|' => self.emit(Tok::Pipe),
                '"' => {
                    if !self.quote('"', "unterminated quoted string") {
                        return false;
                    }
                    self.emit(Tok::Str);
                }
                '`' => {
                    match self.rest().find('`') {
                        Some(x) => self.pos += x + 1,
                        None => {
                            self.error("unterminated raw quoted string".into());
                            return false;
                        }
                    }
                    self.emit(Tok::RawStr);
                }
                '$' => {
                    if !self.field_or_variable(Tok::Variable) {
                        return false;
                    }
                }
                '\'' => {
                    if !self.quote('\'', "unterminated character constant") {
                        return false;
                    }
                    self.emit(Tok::CharConst);
                }
                '.' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => {
                    if !self.field_or_variable(Tok::Field) {
                        return false;
                    }
                }
                '.' | '+' | '-' | '0'..='9' => {
                    self.pos -= 1;
                    if !self.number() {
                        return false;
                    }
                }
                c if is_alnum(c) => {
                    self.pos -= c.len_utf8();
                    if !self.identifier() {
                        return false;
                    }
                }
                '(' => {
                    self.paren += 1;
                    self.emit(Tok::LeftParen);
                }
                ')' => {
                    self.paren -= 1;
                    if self.paren < 0 {
                        self.error("unexpected right paren".into());
                        return false;
                    }
                    self.emit(Tok::RightParen);
                }
                c if c.is_ascii() && !c.is_ascii_control() => self.emit(Tok::Char),
                c => {
                    self.error(format!("unrecognized character in action: {}", go_u(c)));
                    return false;
                }
            }
        }
    }

    /// A run of spaces; false when it turned out to be the ` ->>` delimiter (one space).
    fn space(&mut self) -> bool {
        let mut n = 0;
        while self.peek().is_some_and(|c| c.is_ascii() && is_space(c as u8)) {
            self.pos += 1;
            n += 1;
        }
        let before = self.input.get(self.pos - 1..).unwrap_or("");
        if Self::has_right_trim(before)
            && before.get(2..).is_some_and(|s| s.starts_with(self.right))
        {
            self.pos -= 1;
            if n == 1 {
                return false;
            }
        }
        self.emit(Tok::Space);
        true
    }

    fn quote(&mut self, close: char, err: &str) -> bool {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    None | Some('\n') => {
                        self.error(err.into());
                        return false;
                    }
                    _ => {}
                },
                None | Some('\n') => {
                    self.error(err.into());
                    return false;
                }
                Some(c) if c == close => return true,
                _ => {}
            }
        }
    }

    fn field_or_variable(&mut self, typ: Tok) -> bool {
        if self.at_terminator() {
            self.emit(if typ == Tok::Variable { Tok::Variable } else { Tok::Dot });
            return true;
        }
        while self.peek().is_some_and(is_alnum) {
            self.next();
        }
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\0');
            self.error(format!("bad character {}", go_u(c)));
            return false;
        }
        self.emit(typ);
        true
    }

    fn identifier(&mut self) -> bool {
        while self.peek().is_some_and(is_alnum) {
            self.next();
        }
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\0');
            self.error(format!("bad character {}", go_u(c)));
            return false;
        }
        let word = self.input.get(self.start..self.pos).unwrap_or("");
        let typ = match word {
            "block" => Tok::Block,
            "break" => Tok::Break,
            "continue" => Tok::Continue,
            "define" => Tok::Define,
            "else" => Tok::Else,
            "end" => Tok::End,
            "if" => Tok::If,
            "range" => Tok::Range,
            "nil" => Tok::Nil,
            "template" => Tok::Template,
            "with" => Tok::With,
            "true" | "false" => Tok::Bool,
            _ => Tok::Identifier,
        };
        self.emit(typ);
        true
    }

    fn accept(&mut self, set: &str) -> bool {
        match self.peek() {
            Some(c) if set.contains(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, set: &str) {
        while self.accept(set) {}
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alnum) {
            self.next();
            return false;
        }
        true
    }

    fn number(&mut self) -> bool {
        if !self.scan_number() {
            let t = self.input.get(self.start..self.pos).unwrap_or("");
            self.error(format!("bad number syntax: {}", super::funcs::go_quote(t)));
            return false;
        }
        if matches!(self.peek(), Some('+' | '-')) {
            let ok = self.scan_number();
            let t = self.input.get(self.start..self.pos).unwrap_or("");
            if !ok || !t.ends_with('i') {
                self.error(format!("bad number syntax: {}", super::funcs::go_quote(t)));
                return false;
            }
            self.emit(Tok::Complex);
            return true;
        }
        self.emit(Tok::Number);
        true
    }
}

/// Go's `%#U`: `U+0041 'A'`.
pub(crate) fn go_u(c: char) -> String {
    if c.is_control() { format!("U+{:04X}", c as u32) } else { format!("U+{:04X} '{c}'", c as u32) }
}
