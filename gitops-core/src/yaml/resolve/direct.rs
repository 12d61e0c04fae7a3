//! The direct path of [`parse_values`](super::parse_values): events → [`Value`]s with no
//! [`Node`](crate::yaml::Node) tree in between, for the documents Kubernetes streams are
//! made of.
//!
//! It applies the resolution rules through the same functions the tree walk uses
//! ([`scalar_to_value`], [`plain_string_key`]) and handles only what needs no more than
//! them: no anchors, aliases, tags on keys or collections, `<<` keys, null keys, non-string
//! keys where they matter, or repeated keys. At the first such thing (or any error) it
//! gives up, and the caller resolves the stream through the tree, which has the one full
//! implementation of the rules and gives the authoritative value or error.

use super::Profile;
use super::tree::{plain_string_key, scalar_to_value};
use crate::yaml::parse::EventStream;
use crate::yaml::{CollectionStyle, Event, Limits, Mapping, Value};

/// An open collection: where its children start on the shared stacks.
struct Frame {
    map: bool,
    flow: bool,
    top: bool,
    /// First child value on the value stack.
    base: usize,
    /// First key on the key stack (mappings).
    key_base: usize,
}

/// Why the direct path stopped: the tree walk must decide.
pub(crate) struct GiveUp;

/// The builder's state: open collections, and finished children waiting on two shared
/// stacks until their collection closes (then they move into a collection of exactly the
/// right size).
struct Builder {
    frames: Vec<Frame>,
    values: Vec<Value>,
    keys: Vec<String>,
}

impl Builder {
    /// Opens a collection, unless it has properties, stands as a mapping key, or nests
    /// deeper than the limit.
    fn open(
        &mut self,
        has_props: bool,
        style: CollectionStyle,
        map: bool,
        limits: &Limits,
    ) -> Result<(), GiveUp> {
        // Its children stand one level deeper than the open collections.
        if has_props || self.wants_key() || self.frames.len() >= limits.max_depth {
            return Err(GiveUp);
        }
        let flow = style == CollectionStyle::Flow || self.flow();
        let top = self.frames.is_empty();
        self.frames.push(Frame {
            map,
            flow,
            top,
            base: self.values.len(),
            key_base: self.keys.len(),
        });
        Ok(())
    }

    /// Closes the innermost collection into its value.
    fn close(&mut self) -> Result<Value, GiveUp> {
        let f = self.frames.pop().ok_or(GiveUp)?;
        let items = self.values.drain(f.base.min(self.values.len())..);
        if !f.map {
            return Ok(Value::Seq(items.collect()));
        }
        let keys = self.keys.drain(f.key_base.min(self.keys.len())..);
        if keys.len() != items.len() {
            return Err(GiveUp);
        }
        let mut map = Mapping::with_capacity(keys.len());
        for (k, v) in keys.zip(items) {
            // A repeated key: the tree walk reports it.
            if map.insert(k, v).is_some() {
                return Err(GiveUp);
            }
        }
        Ok(Value::Map(map))
    }

    /// Whether the innermost open collection is a mapping waiting for a key.
    fn wants_key(&self) -> bool {
        self.frames
            .last()
            .is_some_and(|f| f.map && self.keys.len() - f.key_base == self.values.len() - f.base)
    }

    /// Whether the next node stands inside a flow collection.
    fn flow(&self) -> bool {
        self.frames.last().is_some_and(|f| f.flow)
    }
}

/// Every document's value; or, when the stream holds anything the direct path leaves to
/// the tree walk (including any error), `Err` with the values of the documents finished
/// before it.
pub(crate) fn values(
    input: &str,
    profile: Profile,
    limits: &Limits,
) -> Result<Vec<Value>, Vec<Value>> {
    if let Some(values) = super::fused::values(input, profile, limits) {
        return Ok(values);
    }
    let mut out = Vec::new();
    let events = EventStream::new(input, limits).map_err(|_| Vec::new())?;
    match run(events, profile, limits, false, &mut out) {
        Ok(()) => Ok(out),
        Err(GiveUp) => Err(out),
    }
}

/// Every document's value read in `options.dialect`, or `None` when anything in the stream
/// is left to the tree walk; with `no_folded`, folded (`>`) block scalars are too.
pub(crate) fn values_with(
    input: &str,
    profile: Profile,
    options: &crate::yaml::ParseOptions,
    no_folded: bool,
) -> Option<Vec<Value>> {
    if let Some(values) = super::fused::values(input, profile, &options.limits) {
        return Some(values);
    }
    let mut out = Vec::new();
    let events = EventStream::with_dialect(input, &options.limits, options.dialect).ok()?;
    run(events, profile, &options.limits, no_folded, &mut out).ok()?;
    Some(out)
}

fn run(
    mut events: EventStream<'_>,
    profile: Profile,
    limits: &Limits,
    no_folded: bool,
    out: &mut Vec<Value>,
) -> Result<(), GiveUp> {
    let mut b = Builder {
        frames: Vec::new(),
        values: Vec::with_capacity(64),
        keys: Vec::with_capacity(64),
    };
    while let Some(ev) = events.next_event().map_err(|_| GiveUp)? {
        let value = match ev {
            Event::StreamStart { .. } | Event::StreamEnd { .. } => continue,
            Event::DocumentStart { .. } => {
                b.frames.clear();
                b.values.clear();
                b.keys.clear();
                continue;
            }
            Event::DocumentEnd { .. } => {
                if !b.frames.is_empty() || b.values.len() > 1 {
                    return Err(GiveUp);
                }
                out.push(b.values.pop().unwrap_or(Value::Null));
                continue;
            }
            Event::Alias { .. } => return Err(GiveUp),
            Event::SequenceStart { anchor, tag, style, .. } => {
                b.open(anchor.is_some() || tag.is_some(), style, false, limits)?;
                continue;
            }
            Event::MappingStart { anchor, tag, style, .. } => {
                b.open(anchor.is_some() || tag.is_some(), style, true, limits)?;
                continue;
            }
            Event::SequenceEnd { .. } | Event::MappingEnd { .. } => b.close()?,
            Event::Scalar { anchor, tag, value, style, .. } => {
                if anchor.is_some() || (no_folded && style == crate::yaml::ScalarStyle::Folded) {
                    return Err(GiveUp);
                }
                let flow = b.flow();
                if b.wants_key() {
                    let top = b.frames.last().is_some_and(|f| f.top);
                    if tag.is_some() || !plain_string_key(profile, &value, style, flow, top) {
                        return Err(GiveUp);
                    }
                    b.keys.push(value.into_owned());
                    continue;
                }
                scalar_to_value(profile, tag.as_deref(), value, style, flow).map_err(|_| GiveUp)?
            }
        };
        b.values.push(value);
    }
    Ok(())
}
