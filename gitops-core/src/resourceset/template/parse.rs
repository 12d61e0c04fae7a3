//! The parser: tokens → a tree of list items (text, actions, if/with/range) and
//! pipelines, with text/template's parse-time checks (undefined functions and
//! variables, `break` outside `range`) and its error texts.

use super::lex::{Tok, Token};

/// Nesting deeper than this is an error (Go: "max expression depth exceeded").
const MAX_PARSE_DEPTH: usize = 100;

/// An operand.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number(Box<Number>),
    Str {
        pos: usize,
        quoted: String,
        val: String,
    },
    /// `.a.b`
    Field {
        pos: usize,
        idents: Vec<String>,
    },
    /// `$x.a.b` (`idents[0]` is `$x`)
    Variable {
        pos: usize,
        idents: Vec<String>,
    },
    Identifier {
        pos: usize,
        name: String,
    },
    /// `(pipe).a.b`, `fn.a`
    Chain {
        pos: usize,
        node: Box<Node>,
        fields: Vec<String>,
    },
    Pipe(Box<Pipe>),
}

/// A number literal.
#[derive(Debug, Clone)]
pub(crate) struct Number {
    pub pos: usize,
    pub text: String,
    pub int: Option<i64>,
    pub float: Option<f64>,
    pub is_char: bool,
}

/// A pipeline: declarations and commands.
#[derive(Debug, Clone)]
pub(crate) struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<String>,
    pub cmds: Vec<Command>,
}

/// A command: operands.
#[derive(Debug, Clone)]
pub(crate) struct Command {
    pub args: Vec<Node>,
}

/// A list item.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Text(String),
    Action { pos: usize, pipe: Pipe },
    If(Box<Branch>),
    With(Box<Branch>),
    Range(Box<Branch>),
    Break,
    Continue,
}

/// `if`/`with`/`range`.
#[derive(Debug, Clone)]
pub(crate) struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: Vec<Item>,
    pub else_list: Vec<Item>,
}

impl Node {
    pub(crate) fn pos(&self) -> usize {
        match self {
            Node::Dot(p) | Node::Nil(p) | Node::Bool(p, _) => *p,
            Node::Number(n) => n.pos,
            Node::Str { pos, .. }
            | Node::Field { pos, .. }
            | Node::Variable { pos, .. }
            | Node::Identifier { pos, .. }
            | Node::Chain { pos, .. } => *pos,
            Node::Pipe(p) => p.pos,
        }
    }
}

impl std::fmt::Display for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Node::Dot(_) => f.write_str("."),
            Node::Nil(_) => f.write_str("nil"),
            Node::Bool(_, b) => write!(f, "{b}"),
            Node::Number(n) => f.write_str(&n.text),
            Node::Str { quoted, .. } => f.write_str(quoted),
            Node::Field { idents, .. } => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Node::Variable { idents, .. } => f.write_str(&idents.join(".")),
            Node::Identifier { name, .. } => f.write_str(name),
            Node::Chain { node, fields, .. } => {
                if let Node::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for i in fields {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Node::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl std::fmt::Display for Pipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let Node::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

/// A parse error: the message and the line of the token it was found at.
#[derive(Debug, Clone)]
pub(crate) struct ParseError {
    pub line: usize,
    pub msg: String,
}

type PResult<T> = Result<T, ParseError>;

enum Ctl {
    Else,
    End,
}

struct Parser<'a> {
    toks: Vec<Token>,
    i: usize,
    vars: Vec<String>,
    range_depth: usize,
    depth: usize,
    has_func: &'a dyn Fn(&str) -> bool,
    /// Line of the token last read (Go reports parse errors there).
    line: usize,
}

/// Parse a token stream.
pub(crate) fn parse(toks: Vec<Token>, has_func: &dyn Fn(&str) -> bool) -> PResult<Vec<Item>> {
    let mut p =
        Parser { toks, i: 0, vars: vec!["$".into()], range_depth: 0, depth: 0, has_func, line: 1 };
    let mut list = Vec::new();
    loop {
        if p.peek_non_space().typ == Tok::Eof {
            return Ok(list);
        }
        match p.text_or_action()? {
            Ok(item) => list.push(item),
            Err(Ctl::Else) => return Err(p.err("unexpected {{else}}".into())),
            Err(Ctl::End) => return Err(p.err("unexpected {{end}}".into())),
        }
    }
}

impl Parser<'_> {
    fn err(&self, msg: String) -> ParseError {
        ParseError { line: self.line, msg }
    }

    fn tok(&self, i: usize) -> Token {
        self.toks.get(i).cloned().unwrap_or(Token {
            typ: Tok::Eof,
            pos: 0,
            val: String::new(),
            line: self.line,
        })
    }

    fn next(&mut self) -> Token {
        let t = self.tok(self.i);
        if self.i < self.toks.len() {
            self.i += 1;
        }
        self.line = t.line;
        t
    }

    fn backup(&mut self) {
        self.i = self.i.saturating_sub(1);
    }

    fn peek(&self) -> Token {
        self.tok(self.i)
    }

    fn next_non_space(&mut self) -> Token {
        loop {
            let t = self.next();
            if t.typ != Tok::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Token {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn unexpected(&self, t: &Token, context: &str) -> ParseError {
        if t.typ == Tok::Error {
            return ParseError { line: t.line, msg: t.val.clone() };
        }
        ParseError { line: t.line, msg: format!("unexpected {} in {context}", t.describe()) }
    }

    fn expect(&mut self, typ: Tok, context: &str) -> PResult<Token> {
        let t = self.next_non_space();
        if t.typ != typ {
            return Err(self.unexpected(&t, context));
        }
        Ok(t)
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return Err(self.err("max expression depth exceeded".into()));
        }
        Ok(())
    }

    fn text_or_action(&mut self) -> PResult<Result<Item, Ctl>> {
        let t = self.next_non_space();
        match t.typ {
            Tok::Text => Ok(Ok(Item::Text(t.val))),
            Tok::LeftDelim => self.action(),
            _ => Err(self.unexpected(&t, "input")),
        }
    }

    fn item_list(&mut self) -> PResult<(Vec<Item>, Ctl)> {
        let mut list = Vec::new();
        while self.peek_non_space().typ != Tok::Eof {
            match self.text_or_action()? {
                Ok(item) => list.push(item),
                Err(ctl) => return Ok((list, ctl)),
            }
        }
        Err(self.err("unexpected EOF".into()))
    }

    fn action(&mut self) -> PResult<Result<Item, Ctl>> {
        let t = self.next_non_space();
        match t.typ {
            Tok::Block | Tok::Define | Tok::Template => {
                Err(self
                    .err(format!("{{{{{}}}}} is not supported in ResourceSet templates", t.val)))
            }
            Tok::Break | Tok::Continue => {
                if self.range_depth == 0 {
                    return Err(self.err(format!("{{{{{}}}}} outside {{{{range}}}}", t.val)));
                }
                self.expect(Tok::RightDelim, &t.val)?;
                Ok(Ok(if t.typ == Tok::Break { Item::Break } else { Item::Continue }))
            }
            Tok::Else => {
                let p = self.peek_non_space();
                if p.typ == Tok::If || p.typ == Tok::With {
                    return Ok(Err(Ctl::Else));
                }
                self.expect(Tok::RightDelim, "else")?;
                Ok(Err(Ctl::Else))
            }
            Tok::End => {
                self.expect(Tok::RightDelim, "end")?;
                Ok(Err(Ctl::End))
            }
            Tok::If => Ok(Ok(Item::If(Box::new(self.control("if")?)))),
            Tok::With => Ok(Ok(Item::With(Box::new(self.control("with")?)))),
            Tok::Range => Ok(Ok(Item::Range(Box::new(self.control("range")?)))),
            _ => {
                self.backup();
                let pos = self.peek().pos;
                let pipe = self.pipeline("command", Tok::RightDelim)?;
                Ok(Ok(Item::Action { pos, pipe }))
            }
        }
    }

    fn control(&mut self, context: &str) -> PResult<Branch> {
        self.enter()?;
        let nvars = self.vars.len();
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, next) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let mut else_list = Vec::new();
        if let Ctl::Else = next {
            let p = self.peek_non_space();
            if (context == "if" && p.typ == Tok::If) || (context == "with" && p.typ == Tok::With) {
                self.next_non_space();
                let inner = self.control(context)?;
                else_list.push(if context == "if" {
                    Item::If(Box::new(inner))
                } else {
                    Item::With(Box::new(inner))
                });
            } else {
                let (l, n) = self.item_list()?;
                if !matches!(n, Ctl::End) {
                    return Err(self.err("expected end; found {{else}}".into()));
                }
                else_list = l;
            }
        }
        self.vars.truncate(nvars);
        self.depth -= 1;
        Ok(Branch { pos: pipe.pos, pipe, list, else_list })
    }

    fn pipeline(&mut self, context: &str, end: Tok) -> PResult<Pipe> {
        let first = self.peek_non_space();
        let mut pipe =
            Pipe { pos: first.pos, is_assign: false, decl: Vec::new(), cmds: Vec::new() };
        // Declarations.
        loop {
            let v = self.peek_non_space();
            if v.typ != Tok::Variable {
                break;
            }
            let start = self.i;
            self.next_non_space();
            let after = self.peek();
            let nx = self.next_non_space();
            match nx.typ {
                Tok::Assign | Tok::Declare => {
                    pipe.is_assign = nx.typ == Tok::Assign;
                    if pipe.is_assign && !self.vars.contains(&v.val) {
                        return Err(self.err(format!("undefined variable {:?}", v.val)));
                    }
                    pipe.decl.push(v.val.clone());
                    if !pipe.is_assign {
                        self.vars.push(v.val.clone());
                    }
                    break;
                }
                Tok::Char if nx.val == "," => {
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val.clone());
                    if context == "range" && pipe.decl.len() < 2 {
                        let p = self.peek_non_space();
                        if matches!(p.typ, Tok::Variable | Tok::RightDelim | Tok::RightParen) {
                            continue;
                        }
                        return Err(self.err("range can only initialize variables".into()));
                    }
                    return Err(self.err(format!("too many declarations in {context}")));
                }
                _ => {
                    let _ = after;
                    self.i = start;
                    break;
                }
            }
        }
        loop {
            let t = self.next_non_space();
            if t.typ == end {
                if pipe.cmds.is_empty() {
                    return Err(self.err(format!("missing value for {context}")));
                }
                for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
                    if matches!(
                        c.args.first(),
                        Some(
                            Node::Bool(..)
                                | Node::Dot(_)
                                | Node::Nil(_)
                                | Node::Number(_)
                                | Node::Str { .. }
                        )
                    ) {
                        return Err(
                            self.err(format!("non executable command in pipeline stage {}", i + 1))
                        );
                    }
                }
                return Ok(pipe);
            }
            match t.typ {
                Tok::Bool
                | Tok::CharConst
                | Tok::Complex
                | Tok::Dot
                | Tok::Field
                | Tok::Identifier
                | Tok::Number
                | Tok::Nil
                | Tok::RawStr
                | Tok::Str
                | Tok::Variable
                | Tok::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return Err(self.unexpected(&t, context)),
            }
        }
    }

    fn command(&mut self) -> PResult<Command> {
        let mut cmd = Command { args: Vec::new() };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let t = self.next();
            match t.typ {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.backup(),
                Tok::Pipe => {}
                _ => return Err(self.unexpected(&t, "operand")),
            }
            break;
        }
        if cmd.args.is_empty() {
            return Err(self.err("empty command".into()));
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Node>> {
        let Some(node) = self.term()? else { return Ok(None) };
        if self.peek().typ != Tok::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().typ == Tok::Field {
            let t = self.next();
            fields.push(t.val.trim_start_matches('.').to_owned());
        }
        Ok(Some(match node {
            Node::Field { mut idents, .. } => {
                idents.extend(fields);
                Node::Field { pos, idents }
            }
            Node::Variable { mut idents, .. } => {
                idents.extend(fields);
                Node::Variable { pos, idents }
            }
            Node::Bool(..) | Node::Str { .. } | Node::Number(_) | Node::Nil(_) | Node::Dot(_) => {
                return Err(self.err(format!("unexpected . after term {:?}", node.to_string())));
            }
            other => Node::Chain { pos, node: Box::new(other), fields },
        }))
    }

    fn term(&mut self) -> PResult<Option<Node>> {
        let t = self.next_non_space();
        Ok(Some(match t.typ {
            Tok::Identifier => {
                if !(self.has_func)(&t.val) {
                    return Err(self.err(format!("function {:?} not defined", t.val)));
                }
                Node::Identifier { pos: t.pos, name: t.val }
            }
            Tok::Dot => Node::Dot(t.pos),
            Tok::Nil => Node::Nil(t.pos),
            Tok::Variable => {
                let mut idents: Vec<String> = t.val.split('.').map(str::to_owned).collect();
                if idents.is_empty() {
                    idents.push("$".into());
                }
                if !self.vars.iter().any(|v| Some(v) == idents.first()) {
                    return Err(self.err(format!(
                        "undefined variable {:?}",
                        idents.first().map(String::as_str).unwrap_or("$")
                    )));
                }
                Node::Variable { pos: t.pos, idents }
            }
            Tok::Field => {
                Node::Field { pos: t.pos, idents: vec![t.val.trim_start_matches('.').to_owned()] }
            }
            Tok::Bool => Node::Bool(t.pos, t.val == "true"),
            Tok::Number | Tok::CharConst | Tok::Complex => {
                let n = number(&t).map_err(|m| self.err(m))?;
                Node::Number(Box::new(n))
            }
            Tok::LeftParen => {
                self.enter()?;
                let p = self.pipeline("parenthesized pipeline", Tok::RightParen)?;
                self.depth -= 1;
                Node::Pipe(Box::new(p))
            }
            Tok::Str | Tok::RawStr => {
                let val = unquote(&t.val).ok_or_else(|| self.err("invalid syntax".into()))?;
                Node::Str { pos: t.pos, quoted: t.val, val }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// Go's `newNumber`.
fn number(t: &Token) -> Result<Number, String> {
    let text = t.val.clone();
    let mut n = Number { pos: t.pos, text: text.clone(), int: None, float: None, is_char: false };
    if t.typ == Tok::CharConst {
        let inner = unquote_char(&text).ok_or_else(|| "invalid syntax".to_string())?;
        n.int = Some(inner as i64);
        n.float = Some(inner as i64 as f64);
        n.is_char = true;
        return Ok(n);
    }
    if t.typ == Tok::Complex || text.ends_with('i') {
        return Err(format!("complex numbers are not supported: {text:?}"));
    }
    if let Some(i) = parse_go_int(&text) {
        n.int = Some(i);
        n.float = Some(i as f64);
        return Ok(n);
    }
    if let Some(f) = parse_go_float(&text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {text:?}"));
        }
        n.float = Some(f);
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            n.int = Some(f as i64);
        }
        return Ok(n);
    }
    Err(format!("illegal number syntax: {text:?}"))
}

/// `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'+' => (false, s.get(1..)?),
        b'-' => (true, s.get(1..)?),
        _ => (false, s),
    };
    let (radix, digits, prefixed) =
        if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, r, true)
        } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, r, true)
        } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, r, true)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..], true)
        } else {
            (10, body, false)
        };
    if digits.is_empty() {
        return None;
    }
    // Underscores only between digits (or right after a base prefix).
    if digits.contains('_') {
        let b = digits.as_bytes();
        if b.last() == Some(&b'_')
            || digits.contains("__")
            || (!prefixed && b.first() == Some(&b'_'))
        {
            return None;
        }
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    let mag = u64::from_str_radix(&clean, radix).ok()?;
    if neg {
        if mag > i64::MAX as u64 + 1 {
            return None;
        }
        Some((mag as i128).wrapping_neg() as i64)
    } else {
        i64::try_from(mag).ok()
    }
}

fn parse_go_float(s: &str) -> Option<f64> {
    if s.contains(['x', 'X', '_']) || s.ends_with('.') && s.len() == 1 {
        return None;
    }
    let t = s.strip_prefix('+').unwrap_or(s);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `strconv.Unquote` for `"..."` and `` `...` `` strings.
pub(crate) fn unquote(s: &str) -> Option<String> {
    if let Some(raw) = s.strip_prefix('`') {
        let r = raw.strip_suffix('`')?;
        return Some(r.replace('\r', ""));
    }
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = Vec::<u8>::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' || c == '\n' {
            return None;
        }
        if c != '\\' {
            let mut b = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            continue;
        }
        let e = chars.next()?;
        match e {
            'a' => out.push(7),
            'b' => out.push(8),
            'f' => out.push(12),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            'v' => out.push(11),
            '\\' => out.push(b'\\'),
            '"' => out.push(b'"'),
            'x' => {
                let h: String = [chars.next()?, chars.next()?].iter().collect();
                out.push(u8::from_str_radix(&h, 16).ok()?);
            }
            '0'..='7' => {
                let o: String = [e, chars.next()?, chars.next()?].iter().collect();
                out.push(u8::try_from(u32::from_str_radix(&o, 8).ok()?).ok()?);
            }
            'u' | 'U' => {
                let n = if e == 'u' { 4 } else { 8 };
                let mut h = String::new();
                for _ in 0..n {
                    h.push(chars.next()?);
                }
                let c = char::from_u32(u32::from_str_radix(&h, 16).ok()?)?;
                let mut b = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn unquote_char(s: &str) -> Option<char> {
    let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
    if inner.starts_with('\\') {
        let u = unquote(&format!("\"{inner}\""))?;
        let mut it = u.chars();
        let c = it.next()?;
        return it.next().is_none().then_some(c);
    }
    let mut it = inner.chars();
    let c = it.next()?;
    it.next().is_none().then_some(c)
}
