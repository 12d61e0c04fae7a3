//! Scalar resolution: [`Document`] → [`Value`], the way one of two Go readers sees it.
//!
//! * [`Profile::Kyaml`] is kustomize: go-yaml v3 decoding into `interface{}` and then
//!   `encoding/json`. Only `true`/`false` (three casings) are booleans; unquoted dates
//!   become the RFC 3339 text `encoding/json` prints for a `time.Time`; duplicate keys
//!   are errors; nested mappings must have string keys (top-level keys are taken as
//!   written: `1: a` gives `"1"`, a `~` key is dropped). kyaml encodes a document again
//!   before decoding it, so untagged plain scalars the emitter must quote where they stand
//!   come back as strings: `[2001-12-14T10:00:00Z]` stays text, `{a: }` gives `""`.
//!   `<<` merges fill keys the mapping does not set, earlier sources first.
//! * [`Profile::ApiServer`] is `sigs.k8s.io/yaml.YAMLToJSON` (go-yaml v2, YAML 1.1):
//!   `yes`/`no`/`on`/`off`/`y`/`n` are booleans, dates stay as written, later duplicate
//!   keys win, integer/boolean/float keys are turned into strings (`1e6` → `"1e+06"`,
//!   as Go's `%g` on a float32), null and huge unsigned keys are errors, and a `<<` merge
//!   applies where it stands (later keys override it, earlier sources win).
//!
//! Both refuse documents made mostly of alias expansion exactly where go-yaml does
//! ("document contains excessive aliasing"), besides [`Limits::max_alias_nodes`].
//!
//! Both read numbers the same way: Go's `ParseInt` with base 0 after dropping `_`
//! (`0755` is 493, `0x1F` is 31, `0o7`, `0b101`, `+1`), then decimal floats; `.inf`,
//! `.nan`; anything else is a string.
//!
//! ```
//! use gitops_core::yaml::{Document, Limits, Node, Profile, ScalarStyle, Span, Value, resolve};
//! let doc = Document {
//!     root: Some(Node::scalar("on", ScalarStyle::Plain, Span::default())),
//!     explicit_start: false,
//!     explicit_end: false,
//!     comments: vec![],
//!     span: Span::default(),
//! };
//! assert_eq!(resolve(&doc, Profile::Kyaml, &Limits::default()).unwrap(), Value::from("on"));
//! assert_eq!(resolve(&doc, Profile::ApiServer, &Limits::default()).unwrap(), Value::Bool(true));
//! ```

mod bridge;
mod direct;
mod fused;
mod scalar;
mod time;
mod tree;

pub use bridge::{from_value, to_value};

use super::{Document, Error, Limits, Mark, Node, NodeKind, Value};

/// Which reader's view of YAML to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// kustomize/kyaml: go-yaml v3 decoding into `interface{}`.
    Kyaml,
    /// The API server, kubectl, Flux SSA and kustomization files: `sigs.k8s.io/yaml.YAMLToJSON` (go-yaml v2, YAML 1.1).
    ApiServer,
}

/// Resolve one document's nodes into a value.
///
/// Aliases are expanded (each refers to the most recent earlier anchor of its name);
/// nodes produced by expansion count against [`Limits::max_alias_nodes`], nesting against
/// [`Limits::max_depth`]. A document with no root is [`Value::Null`]. Mapping order is
/// source order (`<<` sources after a mapping's own keys for kyaml, where the `<<` stands
/// for the API server).
///
/// Errors ([`Error::Resolve`], [`Error::UnknownAnchor`], [`Error::Limit`]) carry the
/// offending node's position.
pub fn resolve(doc: &Document, profile: Profile, limits: &Limits) -> Result<Value, Error> {
    let Some(root) = &doc.root else { return Ok(Value::Null) };
    let mut w = tree::Walker::new(doc, profile, limits)?;
    w.value(root, 0, true)
}

/// Resolve one scalar's `text` as kyaml (go-yaml v3) decodes it under the short `tag`
/// (`""`: an untagged plain scalar, resolved by its text). A text that does not fit an
/// explicit tag gives go-yaml's message (`cannot decode !!str `x` as a !!int`).
///
/// ```
/// use gitops_core::yaml::{Value, resolve_scalar};
/// assert_eq!(resolve_scalar("", "8080"), Ok(Value::Int(8080)));
/// assert_eq!(resolve_scalar("!!str", "8080"), Ok(Value::from("8080")));
/// assert!(resolve_scalar("!!int", "abc").is_err());
/// ```
pub fn resolve_scalar(tag: &str, text: &str) -> Result<Value, String> {
    use scalar::Scalar;
    let (_, s) = scalar::resolve_text(tag, text, scalar::Bools::Core)?;
    Ok(match s {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::Int(i),
        Scalar::Uint(u) => Value::Uint(u),
        Scalar::Float(f) => Value::Float(f),
        Scalar::Str | Scalar::Timestamp(_) => Value::String(text.to_owned()),
        Scalar::Binary(b) => Value::String(String::from_utf8_lossy(&b).into_owned()),
    })
}

/// Parse a stream and resolve every document.
///
/// ```
/// use gitops_core::yaml::{Limits, Profile, Value, parse_values};
/// let text = "a: yes\n---\nb: 0755\nc: 2001-12-14\n";
/// let api = parse_values(text, Profile::ApiServer, &Limits::default()).unwrap();
/// assert_eq!(api[0].get("a"), Some(&Value::Bool(true)));
/// assert_eq!(api[1].get("b"), Some(&Value::Int(493)));
/// assert_eq!(api[1].get("c"), Some(&Value::from("2001-12-14")));
/// let kyaml = parse_values(text, Profile::Kyaml, &Limits::default()).unwrap();
/// assert_eq!(kyaml[0].get("a"), Some(&Value::from("yes")));
/// assert_eq!(kyaml[1].get("c"), Some(&Value::from("2001-12-14T00:00:00Z")));
/// ```
pub fn parse_values(input: &str, profile: Profile, limits: &Limits) -> Result<Vec<Value>, Error> {
    // Most streams need nothing but the direct path. Otherwise the documents from the
    // first one it left aside on (and every error) go through the tree.
    let mut values = match direct::values(input, profile, limits) {
        Ok(values) => return Ok(values),
        Err(done) => done,
    };
    let docs = super::parse_stream(input, limits)?;
    for d in docs.get(values.len()..).unwrap_or_default() {
        values.push(resolve(d, profile, limits)?);
    }
    Ok(values)
}

/// The fast path of [`parse_values`] alone, in any dialect: every document's value, or
/// `None` when the stream holds anything it leaves to the tree walk (anchors, aliases,
/// tags on keys or collections, `<<` keys of any style, null or repeated keys, errors) and,
/// with `no_folded`, folded (`>`) block scalars. Readers that post-process such things on
/// [`Node`](crate::yaml::Node)s (kyaml's `DeAnchor`, go-yaml v3's folded round trip) use it
/// to skip the tree when there is nothing to post-process, and fall back to
/// [`parse_stream_with`](crate::yaml::parse_stream_with) + [`resolve`] on `None`.
///
/// ```
/// use gitops_core::yaml::{Dialect, ParseOptions, Profile, Value, parse_values_fast};
/// let opts = ParseOptions { dialect: Dialect::GoYamlV3, ..ParseOptions::default() };
/// let v = parse_values_fast("a: 1\n", Profile::Kyaml, &opts, true).unwrap();
/// assert_eq!(v[0].get("a"), Some(&Value::Int(1)));
/// assert!(parse_values_fast("a: &x 1\n", Profile::Kyaml, &opts, true).is_none());
/// assert!(parse_values_fast("a: >\n  t\n", Profile::Kyaml, &opts, true).is_none());
/// assert!(parse_values_fast("a: >\n  t\n", Profile::Kyaml, &opts, false).is_some());
/// ```
pub fn parse_values_fast(
    input: &str,
    profile: Profile,
    options: &crate::yaml::ParseOptions,
    no_folded: bool,
) -> Option<Vec<Value>> {
    direct::values_with(input, profile, options, no_folded)
}

/// Plain, untagged scalars that kyaml and the API server read differently: `on`, `yes`,
/// `n` (a boolean only for the API server), and unquoted dates (text for the API server,
/// RFC 3339 for kyaml). Each comes with its position and a short explanation. Keys are
/// included. Nodes nested deeper than the default depth limit are not visited.
///
/// ```
/// use gitops_core::yaml::{Document, Node, ScalarStyle, Span, yaml11_ambiguities};
/// let doc = Document {
///     root: Some(Node::scalar("yes", ScalarStyle::Plain, Span::default())),
///     explicit_start: false,
///     explicit_end: false,
///     comments: vec![],
///     span: Span::default(),
/// };
/// let found = yaml11_ambiguities(&doc);
/// assert_eq!(found.len(), 1);
/// assert!(found[0].1.contains("yes"));
/// ```
pub fn yaml11_ambiguities(doc: &Document) -> Vec<(Mark, String)> {
    let mut out = Vec::new();
    let max = Limits::default().max_depth;
    let mut stack: Vec<(&Node, usize)> = doc.root.iter().map(|n| (n, 0)).collect();
    while let Some((n, depth)) = stack.pop() {
        if depth > max {
            continue;
        }
        match &n.kind {
            NodeKind::Scalar { value, style } => {
                if *style != super::ScalarStyle::Plain || n.tag().is_some() {
                    continue;
                }
                let (Ok(v3), Ok(v2)) =
                    (tree::v3_scalar(n, value, *style), tree::v2_scalar(n, value, *style))
                else {
                    continue;
                };
                let show = |s: scalar::Scalar, text: &str| match s {
                    scalar::Scalar::Timestamp(t) => {
                        (format!("{:?}", t.to_rfc3339().unwrap_or_default()), true)
                    }
                    scalar::Scalar::Str => (format!("{text:?}"), false),
                    other => (format!("{other:?}"), false),
                };
                let (a, a_ts) = show(v3, value);
                let (b, _) = show(v2, value);
                let b = if a_ts { format!("{value:?}") } else { b };
                if a != b {
                    out.push((
                        n.span.start,
                        format!("`{value}` reads as {a} in kustomize (YAML 1.2) but as {b} for the API server (YAML 1.1); quote it"),
                    ));
                }
            }
            NodeKind::Alias { .. } => {}
            NodeKind::Sequence { items, .. } => {
                stack.extend(items.iter().rev().map(|i| (i, depth + 1)));
            }
            NodeKind::Mapping { entries, .. } => {
                for (k, v) in entries.iter().rev() {
                    stack.push((v, depth + 1));
                    stack.push((k, depth + 1));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod fused_tests;
#[cfg(test)]
mod tests;
