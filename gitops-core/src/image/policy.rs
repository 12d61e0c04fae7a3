//! ImagePolicy tag selection, as image-reflector-controller's `applyPolicy` does it.
//!
//! 1. The policy is read from the object's `spec.policy`: `semver.range`,
//!    `alphabetical.order` or `numerical.order` (checked in that order; none of them is
//!    `given ImagePolicyChoice object is invalid`).
//! 2. With `spec.filterTags`, each tag the (unanchored) `pattern` matches is kept under a
//!    key: the tag itself, or `extract` expanded with Go's template syntax. A later tag
//!    with the same key replaces the earlier one.
//! 3. The policy picks the latest key; the result is the tag stored under it.
//!
//! **Ties.** Flux iterates a Go map after filtering, so the order it hands candidates to
//! the policy is random. Here the candidates keep the order in which each key first
//! appeared in the tag list (the tag stored under a key is still the last one that
//! produced it). Then: semver keeps the *first* of equal versions (`1.0.0` vs `v1.0.0`
//! vs `1.0.0+b`), numerical keeps the *last* of equal numbers (`1` vs `1.0`), as Flux
//! does for a given order; alphabetical keys are unique, so it has no ties.
//!
//! ```
//! use gitops_core::image::policy::Policy;
//! use gitops_core::yaml::{Limits, parse_values, Profile};
//! let obj = &parse_values(r#"
//! apiVersion: image.toolkit.fluxcd.io/v1
//! kind: ImagePolicy
//! metadata: {name: app, namespace: flux-system}
//! spec:
//!   imageRepositoryRef: {name: app}
//!   filterTags: {pattern: '^v(?P<v>.*)-rc\.[a-f0-9]+$', extract: '$v'}
//!   policy: {semver: {range: '>=1.0.0'}}
//! "#, Profile::Kyaml, &Limits::default()).unwrap()[0];
//! let policy = Policy::from_object(obj).unwrap();
//! let tags = ["v1.2.3-rc.0a1b2c", "v1.10.0-rc.ffee00", "v1.9.9", "production-latest"];
//! assert_eq!(policy.latest(&tags).unwrap(), "v1.10.0-rc.ffee00");
//! ```

use indexmap::IndexMap;
use regex::Regex;

use super::semver::{self, Constraints, Version};
use crate::goregex;
use crate::yaml::Value;

/// The API group of ImagePolicy and ImageRepository.
pub const API_GROUP: &str = "image.toolkit.fluxcd.io";

/// The ImageRepository `exclusionList` when none is given: cosign signatures.
pub const DEFAULT_EXCLUSION_LIST: &[&str] = &[r"^.*\.sig$"];

/// Why a policy could not be built or could not choose.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The object is not an ImagePolicy of `image.toolkit.fluxcd.io`.
    #[error("not an ImagePolicy: apiVersion {api_version:?}, kind {kind:?}")]
    NotImagePolicy {
        /// The object's `apiVersion`.
        api_version: String,
        /// The object's `kind`.
        kind: String,
    },
    /// `spec.policy` names none of semver, alphabetical, numerical.
    #[error("given ImagePolicyChoice object is invalid")]
    InvalidChoice,
    /// A field has the wrong type.
    #[error("{field}: expected {expected}")]
    Field {
        /// Dotted path of the field.
        field: &'static str,
        /// What it should be.
        expected: &'static str,
    },
    /// The semver range does not parse (Masterminds' message).
    #[error(transparent)]
    Range(#[from] semver::Error),
    /// An alphabetical or numerical `order` that is neither asc nor desc.
    #[error("invalid order argument provided: '{order}', must be one of: ASC, DESC")]
    InvalidOrder {
        /// The order, upper-cased as Flux compares it.
        order: String,
    },
    /// `filterTags.pattern` does not compile.
    #[error("failed to filter tags: invalid regular expression pattern '{pattern}': {message}")]
    InvalidPattern {
        /// The pattern.
        pattern: String,
        /// What is wrong with it.
        message: String,
    },
    /// An `exclusionList` entry does not compile.
    #[error("invalid exclusion regular expression '{pattern}': {message}")]
    InvalidExclusion {
        /// The pattern.
        pattern: String,
        /// What is wrong with it.
        message: String,
    },
    /// No candidates (no tags, or none passed `filterTags`).
    #[error("version list argument cannot be empty")]
    Empty,
    /// Semver: no candidate parses and satisfies the range.
    #[error("unable to determine latest version from provided list")]
    NoMatch,
    /// Numerical: a candidate is not a number.
    #[error("failed to parse invalid numeric value '{value}'")]
    InvalidNumeric {
        /// The candidate.
        value: String,
    },
}

/// Sort direction of the alphabetical and numerical policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The greatest wins (default).
    Asc,
    /// The smallest wins.
    Desc,
}

impl Order {
    /// Flux's reading: upper-cased; empty is `ASC`.
    pub fn parse(order: &str) -> Result<Order, Error> {
        match order.to_uppercase().as_str() {
            "" | "ASC" => Ok(Order::Asc),
            "DESC" => Ok(Order::Desc),
            other => Err(Error::InvalidOrder { order: other.to_string() }),
        }
    }
}

/// The chosen policy, ready to compare candidates.
#[derive(Debug, Clone)]
pub enum Policer {
    /// `semver.range`.
    SemVer(Constraints),
    /// `alphabetical.order`.
    Alphabetical(Order),
    /// `numerical.order`.
    Numerical(Order),
}

impl Policer {
    /// The latest candidate, by the rules in the module docs.
    pub fn latest<'a>(&self, candidates: &[&'a str]) -> Result<&'a str, Error> {
        if candidates.is_empty() {
            return Err(Error::Empty);
        }
        match self {
            Policer::SemVer(range) => {
                let mut best: Option<(Version, &'a str)> = None;
                for &c in candidates {
                    let Ok(v) = Version::parse_tag(c) else { continue };
                    if !range.check(&v) {
                        continue;
                    }
                    if best.as_ref().is_none_or(|(b, _)| v.compare(b).is_gt()) {
                        best = Some((v, c));
                    }
                }
                best.map(|(_, c)| c).ok_or(Error::NoMatch)
            }
            Policer::Alphabetical(order) => {
                let it = candidates.iter().copied();
                let pick = match order {
                    Order::Asc => it.max(),
                    Order::Desc => it.min(),
                };
                pick.ok_or(Error::Empty)
            }
            Policer::Numerical(order) => {
                let mut best: Option<(f64, &'a str)> = None;
                for &c in candidates {
                    let v = parse_go_float(c)
                        .ok_or_else(|| Error::InvalidNumeric { value: c.to_string() })?;
                    let skip = match (&best, order) {
                        (None, _) => false,
                        (Some((b, _)), Order::Asc) => v < *b,
                        (Some((b, _)), Order::Desc) => v > *b,
                    };
                    if !skip {
                        best = Some((v, c));
                    }
                }
                best.map(|(_, c)| c).ok_or(Error::Empty)
            }
        }
    }
}

/// `spec.filterTags`, compiled.
#[derive(Debug, Clone)]
pub struct TagFilter {
    regex: Regex,
    pattern: String,
    extract: String,
}

impl TagFilter {
    /// Compile a pattern (Go RE2 syntax) and an extract template (may be empty).
    pub fn new(pattern: &str, extract: &str) -> Result<TagFilter, Error> {
        let regex = goregex::compile(pattern).map_err(|e| Error::InvalidPattern {
            pattern: pattern.to_string(),
            message: regex_message(&e),
        })?;
        Ok(TagFilter { regex, pattern: pattern.to_string(), extract: extract.to_string() })
    }

    /// The pattern as written.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Key → original tag, keys in order of first appearance, later tags replacing
    /// earlier ones under the same key.
    pub fn apply<'a>(&self, tags: &[&'a str]) -> IndexMap<String, &'a str> {
        let mut out: IndexMap<String, &'a str> = IndexMap::new();
        for &tag in tags {
            let Some(caps) = self.regex.captures(tag) else { continue };
            let key = if self.extract.is_empty() {
                tag.to_string()
            } else {
                goregex::expand(&self.regex, &caps, &self.extract)
            };
            out.insert(key, tag);
        }
        out
    }
}

fn regex_message(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text.lines().rev().find(|l| l.starts_with("error:")).unwrap_or(&text);
    format!("error parsing regexp: {}", last.trim_start_matches("error:").trim())
}

/// An ImagePolicy's selection rules: the policy and the optional tag filter.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The ordering policy.
    pub policer: Policer,
    /// `spec.filterTags`, when set.
    pub filter: Option<TagFilter>,
}

fn str_field<'a>(v: Option<&'a Value>, field: &'static str) -> Result<&'a str, Error> {
    match v {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Error::Field { field, expected: "a string" }),
    }
}

fn present(v: Option<&Value>) -> bool {
    !matches!(v, None | Some(Value::Null))
}

impl Policy {
    /// Read an ImagePolicy object (`image.toolkit.fluxcd.io/v1` or `v1beta2`, any
    /// version of the group) and build its policy and filter, in Flux's order: the
    /// policy first, then the pattern.
    pub fn from_object(obj: &Value) -> Result<Policy, Error> {
        let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        if kind != "ImagePolicy" || group != API_GROUP {
            return Err(Error::NotImagePolicy {
                api_version: api_version.to_string(),
                kind: kind.to_string(),
            });
        }
        let spec = obj.get("spec").unwrap_or(&Value::Null);
        Policy::from_spec(spec)
    }

    /// Build from an ImagePolicy `spec` value.
    pub fn from_spec(spec: &Value) -> Result<Policy, Error> {
        let choice = spec.get("policy").unwrap_or(&Value::Null);
        let policer = if present(choice.get("semver")) {
            let range =
                str_field(choice.get_path(&["semver", "range"]), "spec.policy.semver.range")?;
            Policer::SemVer(Constraints::parse(range)?)
        } else if present(choice.get("alphabetical")) {
            let order = str_field(
                choice.get_path(&["alphabetical", "order"]),
                "spec.policy.alphabetical.order",
            )?;
            Policer::Alphabetical(Order::parse(order)?)
        } else if present(choice.get("numerical")) {
            let order =
                str_field(choice.get_path(&["numerical", "order"]), "spec.policy.numerical.order")?;
            Policer::Numerical(Order::parse(order)?)
        } else {
            return Err(Error::InvalidChoice);
        };
        let filter = match spec.get("filterTags") {
            None | Some(Value::Null) => None,
            Some(ft) => {
                let pattern = str_field(ft.get("pattern"), "spec.filterTags.pattern")?;
                let extract = str_field(ft.get("extract"), "spec.filterTags.extract")?;
                Some(TagFilter::new(pattern, extract)?)
            }
        };
        Ok(Policy { policer, filter })
    }

    /// The latest tag among `tags` (the original tag, also when `extract` is used).
    pub fn latest<'a, S: AsRef<str>>(&self, tags: &'a [S]) -> Result<&'a str, Error> {
        let tags: Vec<&'a str> = tags.iter().map(AsRef::as_ref).collect();
        match &self.filter {
            None => self.policer.latest(&tags),
            Some(f) => {
                let map = f.apply(&tags);
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                let key = self.policer.latest(&keys)?;
                map.get(key).copied().ok_or(Error::NoMatch)
            }
        }
    }
}

/// Read an ImagePolicy object and pick the latest of `tags` in one call.
///
/// ```
/// use gitops_core::image::policy::select_latest;
/// use gitops_core::yaml::{Limits, parse_values, Profile};
/// let obj = &parse_values("apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nspec:\n  policy:\n    numerical: {order: desc}\n",
///     Profile::Kyaml, &Limits::default()).unwrap()[0];
/// assert_eq!(select_latest(obj, &["3", "1.5", "2"]).unwrap(), "1.5");
/// ```
pub fn select_latest<S: AsRef<str>>(obj: &Value, tags: &[S]) -> Result<String, Error> {
    Policy::from_object(obj)?.latest(tags).map(str::to_string)
}

/// Drop the tags an ImageRepository's `exclusionList` matches (`None` = the default
/// list, `["^.*\\.sig$"]`). Patterns are Go RE2, unanchored.
///
/// ```
/// use gitops_core::image::policy::exclude_tags;
/// let kept = exclude_tags(&["v1", "sha256-ab.sig", "v2"], None).unwrap();
/// assert_eq!(kept, ["v1", "v2"]);
/// ```
pub fn exclude_tags<'a, S: AsRef<str>>(
    tags: &'a [S],
    exclusion_list: Option<&[String]>,
) -> Result<Vec<&'a str>, Error> {
    let patterns: Vec<String> = match exclusion_list {
        Some(list) => list.to_vec(),
        None => DEFAULT_EXCLUSION_LIST.iter().map(|s| (*s).to_string()).collect(),
    };
    let mut regexes = Vec::with_capacity(patterns.len());
    for p in &patterns {
        regexes.push(goregex::compile(p).map_err(|e| Error::InvalidExclusion {
            pattern: p.clone(),
            message: regex_message(&e),
        })?);
    }
    Ok(tags.iter().map(AsRef::as_ref).filter(|t| !regexes.iter().any(|r| r.is_match(t))).collect())
}

/// Go's `strconv.ParseFloat(s, 64)`: decimal or hexadecimal (`0x1.8p3`) numbers with
/// `_` between digits, `inf`/`infinity` (signed) and `nan` in any case; out-of-range
/// values are an error. `None` when Go would return an error.
pub fn parse_go_float(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if neg { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if lower == "nan" {
        return (body.len() == s.len()).then_some(f64::NAN);
    }
    if !underscores_ok(body) {
        return None;
    }
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    let v = if clean.len() > 2 && (clean.starts_with("0x") || clean.starts_with("0X")) {
        parse_hex_float(&clean[2..])?
    } else {
        let b = clean.as_bytes();
        // Rust's parser also takes `inf`, `nan` and similar words; Go's decimal grammar
        // is digits, one dot, an exponent.
        let mut i = 0;
        let mut digits = 0;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            digits += 1;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
                digits += 1;
            }
        }
        if digits == 0 {
            return None;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        if i != b.len() {
            return None;
        }
        clean.parse::<f64>().ok()?
    };
    if v.is_infinite() {
        return None;
    }
    Some(if neg { -v } else { v })
}

/// Go's rule: `_` only between digits, or between a base prefix and a digit.
fn underscores_ok(s: &str) -> bool {
    if !s.contains('_') {
        return true;
    }
    let b = s.as_bytes();
    let hex = b.len() >= 2 && b[0] == b'0' && (b[1] | 0x20) == b'x';
    let (mut saw, start) = if hex { (b'0', 2) } else { (b'^', 0) };
    for &c in &b[start..] {
        let digit = c.is_ascii_digit() || (hex && c.is_ascii_hexdigit());
        if digit {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
    }
    saw != b'_'
}

/// Hexadecimal mantissa with a mandatory `p` exponent (after `0x`).
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = s.split_once(['p', 'P'])?;
    let exp: i32 = exp.parse().ok()?;
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int.chars() {
        v = v * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}
