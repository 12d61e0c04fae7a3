//! Go `regexp` (RE2 syntax) on top of the `regex` crate, for every pattern a user hands
//! to a Go tool we reproduce: kustomize's patch targets, replacement selectors and regex
//! path fields, Flux image policies' `filterTags.pattern` and exclusion lists.
//!
//! The two engines share RE2's syntax and leftmost-first semantics; [`translate`] rewrites
//! what reads differently:
//!
//! | Go | the `regex` crate | written as |
//! |---|---|---|
//! | `\d \w \s` (and `\D \W \S`), in and out of classes: ASCII | Unicode | `[0-9]`, `[0-9A-Za-z_]`, `[\t\n\f\r ]` |
//! | `\b \B`: ASCII word boundary | Unicode | `(?-u:\b)`, `(?-u:\B)` |
//! | `\Q…\E`: literal text | not supported | the text, escaped |
//! | `\<`, `\>`: literal `<`, `>` | word-start / word-end assertions | `<`, `>` |
//! | `\0`, `\012`, `\12`: octal character codes | not supported | `\x{…}` |
//! | `{` not starting a repetition (`a{`, `{x}`, `{,3}`): literal | an error | `\{`, `\}` |
//! | `[` inside a class: literal | a nested class | `\[` |
//! | `&&`, `--`, `~~` inside a class: literal | set operations | escaped |
//!
//! POSIX classes (`[[:alpha:]]`), flags (`(?i)`, `(?s:…)`), Unicode classes (`\pL`) and
//! everything else are copied as written. Anchoring and error wording are the caller's:
//! kustomize anchors a selector as `^(?:…)$` and reports `error parsing regexp: …`, a Flux
//! image policy does neither.
//!
//! ```
//! use gitops_core::goregex::{compile, expand};
//! let re = compile(r"^main-(?P<ts>\d+)$").unwrap();
//! let caps = re.captures("main-42").unwrap();
//! assert_eq!(expand(&re, &caps, "$ts"), "42");
//! assert!(re.captures("main-٤٢").is_none()); // Arabic-Indic digits are not \d in Go
//! ```

use std::iter::Peekable;
use std::str::Chars;

use regex::{Captures, Regex};

const DIGIT: &str = "[0-9]";
const NOT_DIGIT: &str = "[^0-9]";
const WORD: &str = "[0-9A-Za-z_]";
const NOT_WORD: &str = "[^0-9A-Za-z_]";
const SPACE: &str = r"[\t\n\f\r ]";
const NOT_SPACE: &str = r"[^\t\n\f\r ]";

/// Rewrite a Go pattern into the `regex` crate's dialect (see the module docs). The text
/// is not checked: what Go rejects is left for the crate to reject, except stacked
/// repetitions (`a**`), which only [`compile`] rejects.
///
/// ```
/// use gitops_core::goregex::translate;
/// assert_eq!(translate(r"\d+\Qa.b\E"), r"[0-9]+a\.b");
/// ```
pub fn translate(pattern: &str) -> String {
    translate_checked(pattern).0
}

/// [`translate`], and Go's error for the first stacked repetition operator (Go rejects
/// `a**`, `a+?*`, `a{2}{3}`; the crate reads them as repetitions of repetitions).
fn translate_checked(pattern: &str) -> (String, Option<String>) {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut nested = None;
    let mut chars = pattern.chars().peekable();
    // Inside a `[...]` class (Go has no nested classes), and where in a range we are.
    let mut class: Option<Item> = None;
    // The repetition operator just read (with its lazy `?`), if the last thing was one.
    let mut last_repeat: Option<String> = None;
    while let Some(c) = chars.next() {
        let Some(item) = class else {
            let mut op = String::new();
            match c {
                '*' | '+' | '?' => op.push(c),
                '{' => {
                    if let Some(len) = repetition(&chars) {
                        op.push('{');
                        op.extend(chars.by_ref().take(len));
                    }
                }
                _ => {}
            }
            if !op.is_empty() {
                if chars.next_if_eq(&'?').is_some() {
                    op.push('?');
                }
                out.push_str(&op);
                if let Some(prev) = last_repeat.take()
                    && nested.is_none()
                {
                    nested = Some(format!("invalid nested repetition operator: `{prev}{op}`"));
                }
                last_repeat = Some(op);
                continue;
            }
            last_repeat = None;
            match c {
                '\\' => {
                    let Some(n) = chars.next() else {
                        out.push('\\');
                        break;
                    };
                    escape(n, false, &mut chars, &mut out);
                }
                '[' => {
                    out.push('[');
                    if chars.next_if_eq(&'^').is_some() {
                        out.push('^');
                    }
                    // A `]` right after `[` or `[^` is a literal in both dialects.
                    class = Some(Item::Start);
                    if chars.next_if_eq(&']').is_some() {
                        out.push_str(r"\]");
                        class = Some(Item::Char);
                    }
                }
                // Not a repetition (that was taken above): a literal.
                '{' => out.push_str(r"\{"),
                '}' => out.push_str(r"\}"),
                _ => out.push(c),
            }
            continue;
        };
        // After a single character, an item closes a range or may open one.
        let char_item = if item == Item::RangeTo { Item::Start } else { Item::Char };
        class = Some(match c {
            ']' => {
                out.push(']');
                class = None;
                continue;
            }
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                escape(n, true, &mut chars, &mut out);
                if "dDwWsS".contains(n) { Item::Start } else { char_item }
            }
            '[' if chars.peek() == Some(&':') => {
                // A POSIX class `[:alpha:]`, the same in both.
                out.push('[');
                let mut prev = '[';
                for q in chars.by_ref() {
                    out.push(q);
                    if prev == ':' && q == ']' {
                        break;
                    }
                    prev = q;
                }
                Item::Start
            }
            '-' if item == Item::Char && chars.peek().is_some_and(|&n| n != ']') => {
                out.push('-');
                Item::RangeTo
            }
            // Literals that the crate reads as a nested class (`[`) or as set operations
            // (`--`, `&&`, `~~`).
            '[' | '-' | '&' | '~' => {
                out.push('\\');
                out.push(c);
                char_item
            }
            _ => {
                out.push(c);
                char_item
            }
        });
    }
    (out, nested)
}

/// Where a class is, for telling a range's `-` from a literal one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Item {
    /// At the start, or after a range or a class item (`\d`, `[:alpha:]`).
    Start,
    /// After a single character, which a `-` makes the start of a range.
    Char,
    /// After a range's `-`.
    RangeTo,
}

/// Write the translation of the escape `\n` (the backslash already read).
fn escape(n: char, in_class: bool, chars: &mut Peekable<Chars<'_>>, out: &mut String) {
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
        'p' | 'P' | 'x' if chars.peek() == Some(&'{') => {
            // `\p{Greek}`, `\x{263a}`: the braces belong to the escape.
            out.push('\\');
            out.push(n);
            for q in chars.by_ref() {
                out.push(q);
                if q == '}' {
                    break;
                }
            }
        }
        '<' | '>' => out.push(n),
        '0'..='7' => match octal(n, chars) {
            Some(code) => out.push_str(&format!("\\x{{{code:X}}}")),
            // A lone `\1`…`\7` is a backreference: an error in both.
            None => {
                out.push('\\');
                out.push(n);
            }
        },
        other => {
            out.push('\\');
            out.push(other);
        }
    }
}

/// Go's octal escape starting with digit `first`: `\0` and up to two more octal digits,
/// or `\1`…`\7` followed by at least one more. `None` for a lone `\1`…`\7`.
fn octal(first: char, chars: &mut Peekable<Chars<'_>>) -> Option<u32> {
    let is_octal = |c: &char| ('0'..='7').contains(c);
    if first != '0' && !chars.peek().is_some_and(is_octal) {
        return None;
    }
    let mut code = first.to_digit(8)?;
    for _ in 0..2 {
        let Some(d) = chars.next_if(is_octal).and_then(|d| d.to_digit(8)) else { break };
        code = code * 8 + d;
    }
    Some(code)
}

/// After a `{`: how many characters make up a Go repetition (`n}`, `n,}`, `n,m}`), or
/// `None` when Go reads the `{` as a literal.
fn repetition(chars: &Peekable<Chars<'_>>) -> Option<usize> {
    let mut it = chars.clone();
    let mut len = 0;
    let digits = |it: &mut Peekable<Chars<'_>>, len: &mut usize| {
        let mut n = 0;
        while it.next_if(char::is_ascii_digit).is_some() {
            n += 1;
        }
        *len += n;
        n
    };
    if digits(&mut it, &mut len) == 0 {
        return None;
    }
    if it.next_if_eq(&',').is_some() {
        len += 1;
        digits(&mut it, &mut len);
    }
    it.next_if_eq(&'}')?;
    Some(len + 1)
}

/// Compile a Go pattern (`regexp.Compile`) with Go's meaning, unanchored.
///
/// ```
/// let re = gitops_core::goregex::compile(r"\bv\d").unwrap();
/// assert!(re.is_match("a v1") && !re.is_match("xv1"));
/// assert!(re.is_match("év1")); // `é` is no word character to Go's ASCII `\b`
/// ```
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    match translate_checked(pattern) {
        (_, Some(nested)) => Err(regex::Error::Syntax(nested)),
        (rust, None) => Regex::new(&rust),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// (pattern, text, Go's `regexp.MustCompile(pattern).MatchString(text)`, or `None`
    /// where Go's `regexp.Compile` fails). Expected values from Go 1.26's regexp.
    /// The patterns are unanchored; kustomize's `^(?:…)$` anchoring is tested beside it.
    const CASES: &[(&str, &str, Option<bool>)] = &[
        // Perl classes are ASCII, in and out of brackets.
        (r"^\d+$", "123", Some(true)),
        (r"\d", "١٢٣", Some(false)),
        (r"^\w+$", "abc_9", Some(true)),
        (r"^\w+$", "héllo", Some(false)),
        (r"^\W$", "é", Some(true)),
        (r"^\D$", "٣", Some(true)),
        (r"\s", "\u{a0}", Some(false)),
        (r"\s", "\u{b}", Some(false)),
        (r"^\s$", "\t", Some(true)),
        (r"^\S$", "\u{2003}", Some(true)),
        (r"^[\d\w]+$", "ab12", Some(true)),
        (r"^[\d]+$", "٣", Some(false)),
        (r"^[^\d]$", "٣", Some(true)),
        (r"^[\D]$", "٣", Some(true)),
        (r"^[\D]$", "3", Some(false)),
        (r"^[\W]$", "é", Some(true)),
        (r"^[\S]$", "\u{2003}", Some(true)),
        (r"^[a\s]+$", "a \t", Some(true)),
        // Word boundaries are ASCII.
        (r"x\bé", "xé", Some(true)),
        (r"\bé", "é", Some(false)),
        (r"a\B", "ab", Some(true)),
        // POSIX classes are ASCII in both.
        (r"^[[:alpha:]]+$", "abc", Some(true)),
        (r"^[[:alpha:]]+$", "é", Some(false)),
        (r"^[[:^digit:]x]$", "a", Some(true)),
        // Brackets.
        (r"^[]a]+$", "]a", Some(true)),
        (r"^[^]a]$", "b", Some(true)),
        (r"^[^]a]$", "]", Some(false)),
        (r"^[a[]+$", "[a", Some(true)),
        (r"^[a&&b]+$", "a&b", Some(true)),
        (r"^[a--]+$", "-a", None),
        (r"^[--]+$", "-", Some(true)),
        (r"^[+--]+$", ",", Some(true)),
        (r"^[--/]+$", ".", Some(true)),
        (r"^[a-]+$", "-", Some(true)),
        (r"^[-a]+$", "-", Some(true)),
        (r"^[\d-z]+$", "-", Some(true)),
        (r"^[\d-z]+$", "y", Some(false)),
        (r"^[a-c-e]+$", "-", Some(true)),
        (r"^[a-c-e]+$", "d", Some(false)),
        (r"^[&&]+$", "&", Some(true)),
        (r"^[!-&]+$", "%", Some(true)),
        (r"^[\x41-\x43]+$", "B", Some(true)),
        (r"^[a~~b]+$", "~", Some(true)),
        (r"^[a-c]+$", "abc", Some(true)),
        (r"^[\]]$", "]", Some(true)),
        // \Q…\E
        (r"^\Q\d\E$", r"\d", Some(true)),
        (r"^\Qa.b\E$", "axb", Some(false)),
        (r"^\Qa.b", "a.b", Some(true)),
        (r"^\Q[x]\E+$", "[x]]", Some(true)),
        // Escaped punctuation is literal; `\<` `\>` are no assertions in Go.
        (r"^\<a\>$", "<a>", Some(true)),
        (r"\<a", "a", Some(false)),
        (r"^\.\-\#$", ".-#", Some(true)),
        // Octal escapes.
        (r"^\101$", "A", Some(true)),
        (r"^\0$", "\0", Some(true)),
        (r"^\12$", "\n", Some(true)),
        (r"^\1018$", "A8", Some(true)),
        (r"^[\101-\103]+$", "ABC", Some(true)),
        (r"(a)\1", "aa", None),
        // Braces that are not a repetition are literal.
        (r"^a{2}$", "aa", Some(true)),
        (r"^a{2,}$", "aaa", Some(true)),
        (r"^a{1,2}$", "aaa", Some(false)),
        (r"^a{$", "a{", Some(true)),
        (r"^a{,2}$", "a{,2}", Some(true)),
        (r"^a{x}$", "a{x}", Some(true)),
        (r"^a}$", "a}", Some(true)),
        (r"^{$", "{", Some(true)),
        (r"^a{2", "a{2", Some(true)),
        (r"^[{}]+$", "}{", Some(true)),
        // Flags, dots, Unicode classes: as written.
        (r"(?i)^WEB$", "web", Some(true)),
        (r"(?i:k)", "\u{212a}", Some(true)),
        (r"^a.c$", "aéc", Some(true)),
        (r"^a.c$", "a\nc", Some(false)),
        (r"(?s)^a.c$", "a\nc", Some(true)),
        (r"(?m)^b$", "a\nb", Some(true)),
        (r"(?U)^a+", "aa", Some(true)),
        (r"^\pL+$", "é", Some(true)),
        (r"^\p{Greek}$", "λ", Some(true)),
        (r"^\P{Greek}$", "λ", Some(false)),
        (r"^[\p{Greek}a]+$", "aλ", Some(true)),
        (r"^\x{263a}{2}$", "☺☺", Some(true)),
        (r"^\x41$", "A", Some(true)),
        (r"^(?P<v>\d+)\.(?<m>\d+)$", "1.2", Some(true)),
        (r"^web|db$", "db", Some(true)),
        // Errors in both.
        ("(", "", None),
        ("a**", "", None),
        ("a+?*", "", None),
        ("a{2}{3}", "", None),
        ("a??", "a", Some(true)),
        ("(a*)*", "", Some(true)),
        (r"\", "", None),
        ("[a", "", None),
        (r"\8", "", None),
    ];

    #[test]
    fn go_regexp_table() {
        for &(pattern, text, want) in CASES {
            let got = compile(pattern).map(|re| re.is_match(text)).ok();
            assert_eq!(got, want, "{pattern:?} on {text:?} (as {:?})", translate(pattern));
        }
    }

    #[test]
    fn nested_repetition_error_is_gos() {
        let cases = [("a**", "`**`"), ("x+?*", "`+?*`"), ("b{2}{3}", "`{2}{3}`"), ("c?+", "`?+`")];
        for (pattern, op) in cases {
            let err = compile(pattern).err().map(|e| e.to_string());
            assert_eq!(err, Some(format!("invalid nested repetition operator: {op}")), "{pattern}");
        }
    }

    #[test]
    fn translate_table() {
        let cases = [
            (r"\d\D\w\W\s\S", r"[0-9][^0-9][0-9A-Za-z_][^0-9A-Za-z_][\t\n\f\r ][^\t\n\f\r ]"),
            (r"\b\B", r"(?-u:\b)(?-u:\B)"),
            (r"[\d]", "[[0-9]]"),
            (r"[a&&b~~d]", r"[a\&\&b\~\~d]"),
            (r"[+--]", r"[+-\-]"),
            (r"[--/]", r"[\--/]"),
            (r"\Q.*\E", r"\.\*"),
            (r"a{2,3}b{c", r"a{2,3}b\{c"),
            (r"\101\0", r"\x{41}\x{0}"),
            ("x", "x"),
            ("", ""),
        ];
        for (go, rust) in cases {
            assert_eq!(translate(go), rust, "{go:?}");
        }
    }
}
