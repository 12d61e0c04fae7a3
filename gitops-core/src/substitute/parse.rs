//! The `${...}` grammar of Flux's envsubst (`fluxcd/pkg/envsubst/parse`), as a scanner
//! with the same acceptance rules and a parser that builds a flat list of [`Node`]s.
//!
//! The scanner is mode-driven: what counts as a token depends on what the parser expects
//! next (an identifier, an operator, an argument, a closing brace). The quirks that follow
//! from that are part of the behaviour we reproduce: `${v-d}` is *not* an expression
//! (only `${v:-d}` is), a `}` inside the pattern of `${v/p/r}` belongs to the pattern,
//! `$$` collapses to `$` in plain text and in replace arguments but not in defaults, and a
//! NUL character ends the input as the end of text does.

use super::Error;

/// Deepest nesting of `${...}` inside arguments we parse (Go has none; we bound the
/// recursion so no input can exhaust the stack).
pub(crate) const MAX_NESTING: usize = 64;

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// Literal text (escapes already applied).
    Text(String),
    /// An expression `${...}`.
    Func(Func),
}

/// `${param<name>args...}`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Func {
    /// The variable name.
    pub param: String,
    /// The operator as scanned: `""` (plain), `#`, `##`, `%`, `%%`, `:`, `/`, `//`, `/#`,
    /// `/%`, `=`, `:=`, `:-`, `:?`, `:+`, `,`, `,,`, `^`, `^^`, ... (`,^` is kept too).
    pub name: String,
    /// Arguments, each one node (text or a nested expression); defaults may have several.
    pub args: Vec<Node>,
}

/// The parse errors, with envsubst's exact texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    /// A malformed expression.
    #[error("bad substitution")]
    BadSubstitution,
    /// `${name` followed by something that is not an operator or `}`.
    #[error("missing closing brace")]
    MissingClosingBrace,
    /// `${` not followed by a name (or `#name`).
    #[error("unable to parse variable name")]
    VariableName,
    /// An argument that cannot start where it stands (`${v:}`, `${v#}`, end of input).
    #[error("unable to parse substitution within function")]
    FuncSubstitution,
    /// A default operator that cannot be read.
    #[error("unable to parse default function")]
    DefaultFunction,
}

const EOF: char = '\0';

// Which tokens a scan may produce.
const IDENT: u8 = 1;
const LBRACK: u8 = 2;
const RBRACK: u8 = 4;
const ESCAPE: u8 = 8;

#[derive(Debug, PartialEq)]
enum Token {
    Illegal,
    Eof,
    Ident,
    Lbrack,
    Rbrack,
}

/// Which characters an identifier token accepts: the character and the byte length of
/// the token including it.
#[derive(Clone, Copy)]
enum Accept {
    Any,
    Ident,
    Colon,
    OneHash,
    NotClosing,
    HashOp,
    PercentOp,
    DefaultOp,
    ReplaceOp,
    OneEqual,
    OneColon,
    NotColonClose,
    Slash,
    NotSlash,
    CasingOp,
}

impl Accept {
    fn accepts(self, r: char, i: usize) -> bool {
        match self {
            Accept::Any => true,
            Accept::Ident => is_ident_char(r),
            Accept::Colon => r == ':',
            Accept::OneHash => r == '#' && i == 1,
            Accept::NotClosing => r != '}',
            Accept::HashOp => r == '#' && i < 3,
            Accept::PercentOp => r == '%' && i < 3,
            Accept::DefaultOp => {
                (i == 1 && r == ':') || (i == 2 && matches!(r, '=' | '-' | '?' | '+'))
            }
            Accept::ReplaceOp => (i == 1 && r == '/') || (i == 2 && matches!(r, '/' | '#' | '%')),
            Accept::OneEqual => i == 1 && r == '=',
            Accept::OneColon => i == 1 && r == ':',
            Accept::NotColonClose => r != ':' && r != '}',
            Accept::Slash => r == '/',
            Accept::NotSlash => r != '/',
            Accept::CasingOp => (r == ',' || r == '^') && i < 3,
        }
    }
}

/// Go's `unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'`.
///
/// Rust's `is_alphabetic`/`is_numeric` are wider than Go's letter (L*) and digit (Nd)
/// categories; the common extra characters (letter numbers, superscripts, fractions,
/// enclosed numbers, combining marks) are excluded here. Any remaining difference only
/// concerns names no variable can have (var names are ASCII).
pub(crate) fn is_ident_char(r: char) -> bool {
    if r.is_ascii() {
        return r.is_ascii_alphanumeric() || r == '_';
    }
    let u = r as u32;
    let excluded = matches!(u,
        0x00B2 | 0x00B3 | 0x00B9 | 0x00BC..=0x00BE   // superscripts, fractions (No)
        | 0x0300..=0x036F                             // combining marks (Mn)
        | 0x16EE..=0x16F0                             // runic letter numbers (Nl)
        | 0x2070..=0x209F                             // super/subscripts
        | 0x2150..=0x218F                             // number forms
        | 0x2460..=0x24FF                             // enclosed alphanumerics
        | 0x2776..=0x2793                             // dingbat numbers
        | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303A  // CJK letter numbers
        | 0x3280..=0x32B0);
    !excluded && (r.is_alphabetic() || r.is_numeric())
}

struct Scanner<'a> {
    src: &'a str,
    pos: usize,
    width: usize,
    mode: u8,
    escape_dollar: bool,
    escape_backslash: bool,
    accept: Accept,
    /// The text of the last identifier token, escapes removed.
    token: String,
}

impl<'a> Scanner<'a> {
    fn new(src: &'a str) -> Self {
        Scanner {
            src,
            pos: 0,
            width: 0,
            mode: 0,
            escape_dollar: false,
            escape_backslash: false,
            accept: Accept::Any,
            token: String::new(),
        }
    }

    /// The next character (`EOF` at the end; a NUL character reads the same).
    fn read(&mut self) -> char {
        match self.src.get(self.pos..).and_then(|s| s.chars().next()) {
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                c
            }
            None => {
                self.width = 0;
                EOF
            }
        }
    }

    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(self.width);
    }

    fn peek(&mut self) -> char {
        let r = self.read();
        self.unread();
        r
    }

    fn scan(&mut self) -> Token {
        self.token.clear();
        let r = self.read();
        if r == EOF {
            return Token::Eof;
        }
        if self.scan_lbrack(r) {
            return Token::Lbrack;
        }
        if self.mode & RBRACK != 0 && r == '}' {
            return Token::Rbrack;
        }
        if self.scan_ident(r) {
            return Token::Ident;
        }
        Token::Illegal
    }

    /// `${` (the `$` already read); on anything else the position is restored to after `$`.
    fn scan_lbrack(&mut self, r: char) -> bool {
        if self.mode & LBRACK == 0 || r != '$' {
            return false;
        }
        if self.read() == '{' {
            return true;
        }
        self.unread();
        false
    }

    /// Whether `r` (just read) escapes the next character.
    fn escaped(&mut self, r: char) -> bool {
        if self.mode & ESCAPE == 0 {
            return false;
        }
        if r == '$' && self.escape_dollar && self.peek() == '$' {
            return true;
        }
        r == '\\' && self.escape_backslash && matches!(self.peek(), '/' | '\\')
    }

    /// Take the escaped character that follows the escape character just read.
    fn take_escaped(&mut self) {
        if let Some(c) = self.src.get(self.pos..).and_then(|s| s.chars().next()) {
            self.token.push(c);
            self.pos += c.len_utf8();
            self.width = c.len_utf8();
        }
    }

    fn scan_ident(&mut self, r: char) -> bool {
        if self.mode & IDENT == 0 {
            return false;
        }
        if self.escaped(r) {
            self.take_escaped();
        } else if self.accept.accepts(r, self.token.len() + r.len_utf8()) {
            self.token.push(r);
        } else {
            return false;
        }
        loop {
            let r = self.read();
            if r == EOF {
                self.unread();
                break;
            }
            if self.scan_lbrack(r) {
                // back before `${`
                self.pos = self.pos.saturating_sub(2);
                break;
            }
            if self.escaped(r) {
                self.take_escaped();
                continue;
            }
            if !self.accept.accepts(r, self.token.len() + r.len_utf8()) {
                self.unread();
                break;
            }
            self.token.push(r);
        }
        true
    }

    fn set(&mut self, accept: Accept, mode: u8) {
        self.accept = accept;
        self.mode = mode;
    }
}

/// Parse a template into a flat list of nodes.
pub(crate) fn parse(text: &str) -> Result<Vec<Node>, Error> {
    let mut p = Parser { s: Scanner::new(text), depth: 0 };
    let mut nodes = Vec::new();
    loop {
        p.s.set(Accept::Any, IDENT | LBRACK | ESCAPE);
        p.s.escape_dollar = true;
        p.s.escape_backslash = false;
        match p.s.scan() {
            Token::Ident => {
                let t = std::mem::take(&mut p.s.token);
                match nodes.last_mut() {
                    Some(Node::Text(prev)) => prev.push_str(&t),
                    _ => nodes.push(Node::Text(t)),
                }
            }
            Token::Eof => return Ok(nodes),
            Token::Lbrack => nodes.push(Node::Func(p.func()?)),
            Token::Illegal | Token::Rbrack => return Err(SyntaxError::BadSubstitution.into()),
        }
    }
}

struct Parser<'a> {
    s: Scanner<'a>,
    depth: usize,
}

type Res<T> = Result<T, Error>;

fn syn(e: SyntaxError) -> Error {
    Error::Syntax(e)
}

impl Parser<'_> {
    /// After `${`.
    fn func(&mut self) -> Res<Func> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Error::TooDeep { limit: MAX_NESTING });
        }
        let out = self.func_inner();
        self.depth -= 1;
        out
    }

    fn func_inner(&mut self) -> Res<Func> {
        self.s.escape_dollar = true;
        self.s.escape_backslash = true;
        if self.s.peek() == '#' {
            return self.len_func();
        }
        self.s.set(Accept::Ident, IDENT);
        if self.s.scan() != Token::Ident {
            return Err(syn(SyntaxError::VariableName));
        }
        let name = std::mem::take(&mut self.s.token);
        match self.s.peek() {
            ':' => return self.default_or_substr(name),
            '=' => return self.default_func(name),
            ',' | '^' => return self.casing_func(name),
            '/' => return self.replace_func(name),
            '#' => return self.remove_func(name, Accept::HashOp),
            '%' => return self.remove_func(name, Accept::PercentOp),
            _ => {}
        }
        self.s.set(Accept::Ident, RBRACK);
        match self.s.scan() {
            Token::Rbrack => Ok(Func { param: name, name: String::new(), args: vec![] }),
            _ => Err(syn(SyntaxError::MissingClosingBrace)),
        }
    }

    fn param(&mut self, accept: Accept, mode: u8) -> Res<Node> {
        self.s.set(accept, mode | LBRACK);
        match self.s.scan() {
            Token::Lbrack => Ok(Node::Func(self.func()?)),
            Token::Ident | Token::Rbrack => Ok(Node::Text(std::mem::take(&mut self.s.token))),
            Token::Eof | Token::Illegal => Err(syn(SyntaxError::FuncSubstitution)),
        }
    }

    /// The operator token, or `err`.
    fn op(&mut self, accept: Accept, err: SyntaxError) -> Res<String> {
        self.s.set(accept, IDENT);
        match self.s.scan() {
            Token::Ident => Ok(std::mem::take(&mut self.s.token)),
            _ => Err(syn(err)),
        }
    }

    fn close(&mut self) -> Res<()> {
        self.s.mode = RBRACK;
        match self.s.scan() {
            Token::Rbrack => Ok(()),
            _ => Err(syn(SyntaxError::BadSubstitution)),
        }
    }

    fn default_or_substr(&mut self, name: String) -> Res<Func> {
        self.s.read();
        let r = self.s.peek();
        self.s.unread();
        match r {
            '=' | '-' | '?' | '+' => self.default_func(name),
            _ => self.substr_func(name),
        }
    }

    fn substr_func(&mut self, param: String) -> Res<Func> {
        let name = self.op(Accept::OneColon, SyntaxError::BadSubstitution)?;
        let mut args = vec![self.param(Accept::NotColonClose, IDENT)?];
        self.s.set(Accept::Colon, IDENT | RBRACK);
        match self.s.scan() {
            Token::Rbrack => return Ok(Func { param, name, args }),
            Token::Ident => {}
            _ => return Err(syn(SyntaxError::BadSubstitution)),
        }
        args.push(self.param(Accept::NotClosing, IDENT)?);
        self.close()?;
        Ok(Func { param, name, args })
    }

    fn remove_func(&mut self, param: String, accept: Accept) -> Res<Func> {
        let name = self.op(accept, SyntaxError::BadSubstitution)?;
        let args = vec![self.param(Accept::NotClosing, IDENT)?];
        self.close()?;
        Ok(Func { param, name, args })
    }

    fn replace_func(&mut self, param: String) -> Res<Func> {
        let name = self.op(Accept::ReplaceOp, SyntaxError::BadSubstitution)?;
        let mut args = Vec::with_capacity(2);
        if self.s.peek() == '/' {
            args.push(Node::Text(String::new()));
        } else {
            args.push(self.param(Accept::NotSlash, IDENT | ESCAPE)?);
        }
        self.op(Accept::Slash, SyntaxError::BadSubstitution)?;
        if self.s.peek() == '}' {
            self.close()?;
            return Ok(Func { param, name, args });
        }
        args.push(self.param(Accept::NotClosing, IDENT | ESCAPE)?);
        self.close()?;
        Ok(Func { param, name, args })
    }

    fn default_func(&mut self, param: String) -> Res<Func> {
        let accept = if self.s.peek() == '=' { Accept::OneEqual } else { Accept::DefaultOp };
        let name = self.op(accept, SyntaxError::DefaultFunction)?;
        let mut args = Vec::new();
        loop {
            if self.s.peek() == '}' {
                self.close()?;
                return Ok(Func { param, name, args });
            }
            args.push(self.param(Accept::NotClosing, IDENT)?);
        }
    }

    fn casing_func(&mut self, param: String) -> Res<Func> {
        let name = self.op(Accept::CasingOp, SyntaxError::BadSubstitution)?;
        self.close()?;
        Ok(Func { param, name, args: vec![] })
    }

    fn len_func(&mut self) -> Res<Func> {
        let name = self.op(Accept::OneHash, SyntaxError::BadSubstitution)?;
        let param = self.op(Accept::Ident, SyntaxError::BadSubstitution)?;
        self.close()?;
        Ok(Func { param, name, args: vec![] })
    }
}
