//! Go `regexp` (RE2) on top of the `regex` crate: Go's ASCII `\d \w \s \b`, `\Q…\E`
//! literals, and `Regexp.ExpandString` templates.
//!
//! The two engines share RE2's syntax and leftmost-first semantics; what differs is that
//! Go's Perl classes and word boundaries are ASCII while the `regex` crate's are Unicode,
//! so [`compile`] rewrites them before compiling.
//!
//! ```
//! use gitops_core::image::goregex::{compile, expand};
//! let re = compile(r"^main-(?P<ts>\d+)$").unwrap();
//! let caps = re.captures("main-42").unwrap();
//! assert_eq!(expand(&re, &caps, "$ts"), "42");
//! assert!(re.captures("main-٤٢").is_none()); // Arabic-Indic digits are not \d in Go
//! ```

use regex::{Captures, Regex};

const DIGIT: &str = "[0-9]";
const NOT_DIGIT: &str = "[^0-9]";
const WORD: &str = "[0-9A-Za-z_]";
const NOT_WORD: &str = "[^0-9A-Za-z_]";
const SPACE: &str = r"[\t\n\f\r ]";
const NOT_SPACE: &str = r"[^\t\n\f\r ]";

/// Rewrite a Go pattern into the `regex` crate's dialect (see the module docs).
pub fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    // Depth of `[...]` classes (the crate allows nested classes, Go does not; a `[`
    // inside a Go class is a literal, escaped here).
    let mut in_class = false;
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_class_start = class_start;
        class_start = false;
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                match n {
                    'd' => out.push_str(DIGIT),
                    'D' => out.push_str(NOT_DIGIT),
                    'w' => out.push_str(WORD),
                    'W' => out.push_str(NOT_WORD),
                    's' => out.push_str(SPACE),
                    'S' => out.push_str(NOT_SPACE),
                    'b' if !in_class => out.push_str(r"(?-u:\b)"),
                    'B' if !in_class => out.push_str(r"(?-u:\B)"),
                    'Q' if !in_class => {
                        // Literal text up to `\E` (or the end).
                        let mut lit = String::new();
                        while let Some(q) = chars.next() {
                            if q == '\\' && chars.peek() == Some(&'E') {
                                chars.next();
                                break;
                            }
                            lit.push(q);
                        }
                        out.push_str(&regex::escape(&lit));
                    }
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                // A `]` right after `[` or `[^` is a literal in both dialects.
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str(r"\]");
                }
            }
            '[' if in_class => {
                // POSIX classes `[:alpha:]` stay; any other `[` is a literal in Go.
                if chars.peek() == Some(&':') {
                    out.push('[');
                    // Copy through the closing `:]`.
                    let mut prev = '[';
                    for q in chars.by_ref() {
                        out.push(q);
                        if prev == ':' && q == ']' {
                            break;
                        }
                        prev = q;
                    }
                } else {
                    out.push_str(r"\[");
                }
            }
            ']' if in_class && !at_class_start => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' | '-' if in_class => {
                // The crate gives `&&`, `--`, `~~` a set-operation meaning in classes.
                if chars.peek() == Some(&c) {
                    out.push('\\');
                    out.push(c);
                } else {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Compile a Go pattern (`regexp.Compile`) with Go's ASCII classes.
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&translate(pattern))
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// A group reference by number: digits only, no leading zero, read while below 10^8.
fn group_number(name: &str) -> Option<usize> {
    let mut num: usize = 0;
    for b in name.bytes() {
        if !b.is_ascii_digit() || num >= 100_000_000 {
            return None;
        }
        num = num * 10 + usize::from(b - b'0');
    }
    if name.len() > 1 && name.starts_with('0') {
        return None;
    }
    Some(num)
}

/// Go's `Regexp.ExpandString`: `$1`, `${1}`, `$name`, `${name}`, `$$`. A `$name` takes
/// the longest run of letters, digits and `_`; an unknown or unmatched group expands to
/// nothing; a malformed `$` (`$-`, `${}`, `${a`) stays as it is; a number with a leading
/// zero (`$01`) or of 10^8 or more is read as a name.
pub fn expand(re: &Regex, caps: &Captures<'_>, template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let (braced, body) = match rest.strip_prefix('{') {
            Some(b) => (true, b),
            None => (false, rest),
        };
        let len: usize = body.chars().take_while(|&c| is_name_char(c)).map(char::len_utf8).sum();
        if len == 0 || (braced && !body[len..].starts_with('}')) {
            out.push('$');
            continue;
        }
        let name = &body[..len];
        rest = &body[len + usize::from(braced)..];
        let group = match group_number(name) {
            Some(n) => caps.get(n),
            None => re
                .capture_names()
                .enumerate()
                .filter(|(_, n)| *n == Some(name))
                .find_map(|(i, _)| caps.get(i)),
        };
        if let Some(m) = group {
            out.push_str(m.as_str());
        }
    }
    out.push_str(rest);
    out
}
