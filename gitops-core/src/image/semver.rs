//! Semantic versions and ranges as Flux reads them: Masterminds/semver v3.5.0 (with
//! `CoerceNewVersion`) behind fluxcd/pkg's `version.ParseVersion`.
//!
//! * [`Version::parse_tag`] is Flux's tag parser: the text must split into exactly three
//!   parts on `.`; then the loose Masterminds grammar applies: an optional `v`, numbers
//!   with leading zeros allowed (`v2025.02.03`), an optional `-prerelease` (identifiers
//!   of `[0-9A-Za-z-]`, numeric ones without leading zeros) and `+metadata`.
//! * [`Constraints::parse`] is `semver.NewConstraint`: operators `= != > < >= => <= =< ~ ~> ^`,
//!   wildcards `x X *`, hyphen ranges `1.2 - 1.4.5`, AND by space or comma, OR by `||`.
//!   A version with a prerelease only satisfies an AND group that itself names a
//!   prerelease (`>=1.0.0-0`).
//!
//! ```
//! use gitops_core::image::semver::{Constraints, Version};
//! let c = Constraints::parse("^1.2").unwrap();
//! assert!(c.check(&Version::parse_tag("v1.9.0").unwrap()));
//! assert!(!c.check(&Version::parse_tag("1.9.0-rc.1").unwrap()));
//! assert!(Version::parse_tag("1.2").is_err());
//! ```

use std::cmp::Ordering;
use std::sync::OnceLock;

use regex::Regex;

/// Why a version or a range did not parse; the texts are Masterminds'.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Not a version (`invalid semantic version`).
    #[error("invalid semantic version")]
    InvalidSemVer,
    /// Longer than 256 bytes.
    #[error("version string is too long (max 256 bytes)")]
    VersionTooLong,
    /// A numeric segment does not fit in 64 bits.
    #[error("error parsing version segment: {0}")]
    Segment(String),
    /// A prerelease identifier is empty, has a leading zero or a bad character.
    #[error("invalid prerelease string")]
    InvalidPrerelease,
    /// A numeric prerelease identifier starts with `0`.
    #[error("version segment starts with 0")]
    SegmentStartsZero,
    /// A metadata identifier is empty or has a bad character.
    #[error("invalid metadata string")]
    InvalidMetadata,
    /// The range is longer than 512 bytes.
    #[error("constraint string is too long (max 512 bytes)")]
    ConstraintTooLong,
    /// The range has more than 32 `||` groups.
    #[error("too many constraint groups (max 32)")]
    TooManyGroups,
    /// A `||` group does not follow the range grammar.
    #[error("improper constraint: {}", go_quote(.0))]
    Improper(String),
    /// A constraint's version does not parse.
    #[error("constraint parser error")]
    ConstraintParser,
}

/// Go's `%q` of a string (`strconv.Quote`).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => {
                if (c as u32) <= 0xffff {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A parsed version: numbers, prerelease, build metadata and the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Major number.
    pub major: u64,
    /// Minor number (0 when absent).
    pub minor: u64,
    /// Patch number (0 when absent).
    pub patch: u64,
    /// Prerelease, without the `-`; empty when none.
    pub pre: String,
    /// Build metadata, without the `+`; empty when none.
    pub metadata: String,
    /// The text as given (with its `v`, leading zeros and metadata).
    pub original: String,
}

const MAX_VERSION_LEN: usize = 256;

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Length of a dot-separated identifier list `[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*` at the
/// start of `s`, or `None` when it does not start with one.
fn ident_list_len(s: &[u8]) -> usize {
    let mut i = 0;
    loop {
        let start = i;
        while s.get(i).is_some_and(|&b| is_ident_char(b)) {
            i += 1;
        }
        if i == start {
            // An empty identifier: back off the dot that led here.
            return start.saturating_sub(1);
        }
        if s.get(i) == Some(&b'.') && s.get(i + 1).is_some_and(|&b| is_ident_char(b)) {
            i += 1;
        } else {
            return i;
        }
    }
}

fn digits_len(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

fn parse_segment(d: &str) -> Result<u64, Error> {
    d.parse::<u64>().map_err(|_| {
        Error::Segment(format!("strconv.ParseUint: parsing {}: value out of range", go_quote(d)))
    })
}

fn validate_prerelease(p: &str) -> Result<(), Error> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(Error::InvalidPrerelease);
        } else if part.bytes().all(|b| b.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(Error::SegmentStartsZero);
            }
        } else if !part.bytes().all(is_ident_char) {
            return Err(Error::InvalidPrerelease);
        }
    }
    Ok(())
}

fn validate_metadata(m: &str) -> Result<(), Error> {
    if m.split('.').any(|p| p.is_empty() || !p.bytes().all(is_ident_char)) {
        return Err(Error::InvalidMetadata);
    }
    Ok(())
}

impl Version {
    /// Masterminds' `NewVersion` with coercion: `v?N(.N)?(.N)?(-pre)?(+meta)?`, leading
    /// zeros allowed, missing minor/patch read as 0.
    ///
    /// ```
    /// use gitops_core::image::semver::Version;
    /// let v = Version::parse_loose("v2025.02").unwrap();
    /// assert_eq!((v.major, v.minor, v.patch), (2025, 2, 0));
    /// ```
    pub fn parse_loose(text: &str) -> Result<Version, Error> {
        if text.len() > MAX_VERSION_LEN {
            return Err(Error::VersionTooLong);
        }
        let b = text.as_bytes();
        let mut i = usize::from(b.first() == Some(&b'v'));
        let mut nums: [Option<&str>; 3] = [None, None, None];
        let n = digits_len(&b[i..]);
        if n == 0 {
            return Err(Error::InvalidSemVer);
        }
        nums[0] = text.get(i..i + n);
        i += n;
        for slot in nums.iter_mut().skip(1) {
            if b.get(i) == Some(&b'.') {
                let n = digits_len(b.get(i + 1..).unwrap_or_default());
                if n == 0 {
                    break;
                }
                *slot = text.get(i + 1..i + 1 + n);
                i += 1 + n;
            } else {
                break;
            }
        }
        let mut pre = "";
        if b.get(i) == Some(&b'-') {
            let n = ident_list_len(b.get(i + 1..).unwrap_or_default());
            if n == 0 {
                return Err(Error::InvalidSemVer);
            }
            pre = text.get(i + 1..i + 1 + n).unwrap_or_default();
            i += 1 + n;
        }
        let mut metadata = "";
        if b.get(i) == Some(&b'+') {
            let n = ident_list_len(b.get(i + 1..).unwrap_or_default());
            if n == 0 {
                return Err(Error::InvalidSemVer);
            }
            metadata = text.get(i + 1..i + 1 + n).unwrap_or_default();
            i += 1 + n;
        }
        if i != b.len() {
            return Err(Error::InvalidSemVer);
        }
        let major = parse_segment(nums[0].unwrap_or("0"))?;
        let minor = nums[1].map_or(Ok(0), parse_segment)?;
        let patch = nums[2].map_or(Ok(0), parse_segment)?;
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        if !metadata.is_empty() {
            validate_metadata(metadata)?;
        }
        Ok(Version {
            major,
            minor,
            patch,
            pre: pre.to_string(),
            metadata: metadata.to_string(),
            original: text.to_string(),
        })
    }

    /// fluxcd/pkg `version.ParseVersion`: exactly three `.`-separated parts (`SplitN(v, ".", 3)`),
    /// then [`Version::parse_loose`]. This is how image policies read tags.
    ///
    /// ```
    /// use gitops_core::image::semver::Version;
    /// assert!(Version::parse_tag("v1.2.3-rc.4").is_ok());
    /// assert!(Version::parse_tag("1.2").is_err());
    /// assert!(Version::parse_tag("1.2.3.4").is_err());
    /// ```
    pub fn parse_tag(text: &str) -> Result<Version, Error> {
        if text.splitn(3, '.').count() != 3 {
            return Err(Error::InvalidSemVer);
        }
        Version::parse_loose(text)
    }

    /// Semver precedence (build metadata ignored).
    pub fn compare(&self, other: &Version) -> Ordering {
        self.major
            .cmp(&other.major)
            .then(self.minor.cmp(&other.minor))
            .then(self.patch.cmp(&other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &other.pre),
            })
    }

    /// Masterminds' `String()`: `M.m.p[-pre][+meta]`.
    pub fn canonical(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let mut ia = a.split('.');
    let mut ib = b.split('.');
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (x, y) => {
                let d = compare_pre_part(x.unwrap_or(""), y.unwrap_or(""));
                if d != Ordering::Equal {
                    return d;
                }
            }
        }
    }
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        // Numeric identifiers sort before alphanumeric ones.
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(x), Ok(y)) => {
            if x > y {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

impl Op {
    fn from_text(s: &str) -> Op {
        match s {
            "!=" => Op::NotEqual,
            ">" => Op::Greater,
            "<" => Op::Less,
            ">=" | "=>" => Op::GreaterEqual,
            "<=" | "=<" => Op::LessEqual,
            "~" | "~>" => Op::Tilde,
            "^" => Op::Caret,
            _ => Op::TildeOrEqual,
        }
    }
}

#[derive(Debug, Clone)]
struct Constraint {
    con: Version,
    op: Op,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

/// A parsed range: `||` groups of constraints that must all hold.
#[derive(Debug, Clone)]
pub struct Constraints {
    groups: Vec<(Vec<Constraint>, bool)>,
    text: String,
}

const MAX_CONSTRAINT_LEN: usize = 512;
const MAX_GROUPS: usize = 32;

// Go's `\s` is ASCII: tab, newline, form feed, carriage return, space.
const WS: &str = r"[\t\n\f\r ]";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
// The constraint version grammar; note the literal `|` Masterminds lets into the
// number classes.
const CV: &str = concat!(
    r"v?([0-9|xX*]+)(\.[0-9|xX*]+)?(\.[0-9|xX*]+)?",
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
);

struct Grammar {
    one: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

/// The grammar's patterns are constants (the tests compile them); should one ever fail
/// to compile, ranges report [`Error::ConstraintParser`] rather than panic.
fn grammar() -> Option<&'static Grammar> {
    static G: OnceLock<Option<Grammar>> = OnceLock::new();
    G.get_or_init(|| {
        let build = |p: String| Regex::new(&p).ok();
        Some(Grammar {
            one: build(format!(r"^{WS}*({OPS}){WS}*({CV}){WS}*$"))?,
            range: build(format!(r"{WS}*({CV}){WS}+-{WS}+({CV}){WS}*"))?,
            find: build(format!(r"({OPS}){WS}*({CV})"))?,
            valid: build(format!(
                r"^({WS}*({OPS}){WS}*({CV}){WS}*)((?:{WS}+|,{WS}*)({OPS}){WS}*({CV}){WS}*)*$"
            ))?,
        })
    })
    .as_ref()
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

/// Rewrite `A - B` hyphen ranges into `>= A, <= B `.
fn rewrite_ranges(g: &Grammar, text: &str) -> String {
    let mut out = text.to_string();
    for caps in g.range.captures_iter(text) {
        let (Some(all), Some(a), Some(b)) = (caps.get(0), caps.get(1), caps.get(11)) else {
            continue;
        };
        let repl = format!(">= {}, <= {} ", a.as_str(), b.as_str());
        out = out.replacen(all.as_str(), &repl, 1);
    }
    out
}

fn parse_one(g: &Grammar, text: &str) -> Result<Constraint, Error> {
    if text.is_empty() {
        return Ok(Constraint {
            con: Version::parse_loose("0.0.0").map_err(|_| Error::ConstraintParser)?,
            op: Op::TildeOrEqual,
            dirty: true,
            minor_dirty: false,
            patch_dirty: false,
        });
    }
    let caps = g.one.captures(text).ok_or_else(|| Error::Improper(text.to_string()))?;
    let grp = |i: usize| caps.get(i).map_or("", |m| m.as_str());
    let (major, minor, patch, pre) = (grp(3), grp(4), grp(5), grp(6));
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    let ver = if is_x(major) || major.is_empty() {
        dirty = true;
        format!("0.0.0{pre}")
    } else if minor.is_empty() || is_x(minor.trim_start_matches('.')) {
        dirty = true;
        minor_dirty = true;
        format!("{major}.0.0{pre}")
    } else if patch.is_empty() || is_x(patch.trim_start_matches('.')) {
        dirty = true;
        patch_dirty = true;
        format!("{major}{minor}.0{pre}")
    } else {
        grp(2).to_string()
    };
    let con = Version::parse_loose(&ver).map_err(|_| Error::ConstraintParser)?;
    Ok(Constraint { con, op: Op::from_text(grp(1)), dirty, minor_dirty, patch_dirty })
}

impl Constraints {
    /// Parse a range (`semver.NewConstraint`).
    ///
    /// ```
    /// use gitops_core::image::semver::Constraints;
    /// assert!(Constraints::parse(">=1.0.0 <2.0.0 || 3.x").is_ok());
    /// assert_eq!(Constraints::parse("").unwrap_err().to_string(), r#"improper constraint: """#);
    /// ```
    pub fn parse(text: &str) -> Result<Constraints, Error> {
        if text.len() > MAX_CONSTRAINT_LEN {
            return Err(Error::ConstraintTooLong);
        }
        let g = grammar().ok_or(Error::ConstraintParser)?;
        let rewritten = rewrite_ranges(g, text);
        let ors: Vec<&str> = rewritten.split("||").collect();
        if ors.len() > MAX_GROUPS {
            return Err(Error::TooManyGroups);
        }
        let mut groups = Vec::with_capacity(ors.len());
        for seg in ors {
            if !g.valid.is_match(seg) {
                return Err(Error::Improper(seg.to_string()));
            }
            let mut parts: Vec<&str> = g.find.find_iter(seg).map(|m| m.as_str()).collect();
            if parts.is_empty() {
                parts.push(seg);
            }
            let mut group = Vec::with_capacity(parts.len());
            let mut has_pre = false;
            for p in parts {
                let c = parse_one(g, p)?;
                has_pre |= !c.con.pre.is_empty();
                group.push(c);
            }
            groups.push((group, has_pre));
        }
        Ok(Constraints { groups, text: text.to_string() })
    }

    /// The range as it was written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `v` satisfies the range (one `||` group whose constraints all hold).
    pub fn check(&self, v: &Version) -> bool {
        self.groups.iter().any(|(group, has_pre)| group.iter().all(|c| c.check(v, *has_pre)))
    }
}

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        let c = &self.con;
        match self.op {
            Op::TildeOrEqual => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == Ordering::Equal
                }
            }
            Op::NotEqual => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if self.minor_dirty {
                        return false;
                    }
                    if c.minor != v.minor {
                        return true;
                    }
                    if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                    if c.patch != v.patch {
                        return true;
                    }
                }
                v.compare(c) != Ordering::Equal
            }
            Op::Greater => {
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                match v.major.cmp(&c.major) {
                    Ordering::Greater => true,
                    Ordering::Less => false,
                    Ordering::Equal if self.minor_dirty => false,
                    Ordering::Equal if self.patch_dirty => v.minor > c.minor,
                    Ordering::Equal => v.compare(c) == Ordering::Greater,
                }
            }
            Op::Less => v.compare(c) == Ordering::Less,
            Op::GreaterEqual => v.compare(c) != Ordering::Less,
            Op::LessEqual => {
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                if v.major > c.major {
                    return false;
                }
                !(v.major == c.major && v.minor > c.minor && !self.minor_dirty)
            }
            Op::Tilde => self.tilde(v),
            Op::Caret => {
                if v.compare(c) == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if v.major > 0 {
                    return false;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.minor == c.minor;
                }
                if v.minor > 0 {
                    return false;
                }
                c.patch == v.patch
            }
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }
}
