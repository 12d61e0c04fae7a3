//! The tree walk: [`Node`]s → [`Value`], with alias expansion under a budget, bounded
//! depth, merge keys and each profile's rules for mapping keys.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use super::Profile;
use super::scalar::{self, Bools, Scalar, resolve_text, short_tag};
use crate::yaml::{
    CollectionStyle, Document, Error, Limits, Mapping, Node, NodeKind, ScalarStyle, Value,
};

/// Nesting levels walked on one stack before the walk moves to a fresh one.
const STACK_SEGMENT: usize = 64;
/// Stack size of each fresh segment: ample for 64 levels even in debug builds.
const SEGMENT_STACK_BYTES: usize = 16 << 20;

fn addr(n: &Node) -> usize {
    std::ptr::from_ref(n) as usize
}

fn resolve_err(n: &Node, message: impl Into<String>) -> Error {
    Error::Resolve { mark: n.span.start, message: message.into() }
}

/// Go turns bytes into a `string` as they are; `encoding/json` then replaces each byte
/// that is not part of valid UTF-8 by U+FFFD.
pub(crate) fn go_lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, bad) = rest.split_at_checked(e.valid_up_to()).unwrap_or((rest, &[]));
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{FFFD}');
                rest = bad.get(1..).unwrap_or_default();
            }
        }
    }
}

/// The scalar's meaning under go-yaml v3 (kyaml): `!` on a plain scalar is ignored,
/// quoted and block scalars are strings unless tagged.
pub(crate) fn v3_scalar(n: &Node, text: &str, style: ScalarStyle) -> Result<Scalar, Error> {
    v3_resolve(n.tag(), text, style).map_err(|m| resolve_err(n, m))
}

/// [`v3_scalar`] from the scalar's parts; the error is go-yaml's message.
pub(crate) fn v3_resolve(
    tag: Option<&str>,
    text: &str,
    style: ScalarStyle,
) -> Result<Scalar, String> {
    if tag.is_none() && (style != ScalarStyle::Plain || scalar::plain_is_str_at_once(text)) {
        return Ok(Scalar::Str);
    }
    let tag = match tag {
        Some(t) if t != "!" => short_tag(t),
        _ if style != ScalarStyle::Plain => return Ok(Scalar::Str),
        _ => "".into(),
    };
    if tag == scalar::STR {
        return Ok(Scalar::Str);
    }
    resolve_text(&tag, text, Bools::Core).map(|r| r.1)
}

/// The scalar's meaning under go-yaml v2 (the API server): untagged quoted and block
/// scalars are strings; `!` keeps the text as a string.
pub(crate) fn v2_scalar(n: &Node, text: &str, style: ScalarStyle) -> Result<Scalar, Error> {
    v2_resolve(n.tag(), text, style).map_err(|m| resolve_err(n, m))
}

/// [`v2_scalar`] from the scalar's parts; the error is go-yaml's message.
pub(crate) fn v2_resolve(
    tag: Option<&str>,
    text: &str,
    style: ScalarStyle,
) -> Result<Scalar, String> {
    if tag.is_none() && (style != ScalarStyle::Plain || scalar::plain_is_str_at_once(text)) {
        return Ok(Scalar::Str);
    }
    let tag = match tag {
        None if style != ScalarStyle::Plain => return Ok(Scalar::Str),
        None => "".into(),
        Some(t) => short_tag(t),
    };
    resolve_text(&tag, text, Bools::Yaml11).map(|r| r.1)
}

/// A scalar's value under `profile`, from its parts: `flow` says whether it stands inside
/// a flow collection. The text is moved into the value when it stays a string. The error
/// is go-yaml's message (the caller adds the position).
pub(crate) fn scalar_to_value(
    profile: Profile,
    tag: Option<&str>,
    text: Cow<'_, str>,
    style: ScalarStyle,
    flow: bool,
) -> Result<Value, String> {
    Ok(match profile {
        Profile::Kyaml => match v3_resolve(tag, &text, style)? {
            Scalar::Str => Value::String(text.into_owned()),
            _ if kyaml_requoted(tag, &text, style, flow, false) => Value::String(text.into_owned()),
            Scalar::Timestamp(t) => Value::String(t.to_rfc3339().ok_or_else(|| {
                format!("timestamp `{text}` has a zone offset JSON cannot carry")
            })?),
            s => plain_value(s, text),
        },
        Profile::ApiServer => match v2_resolve(tag, &text, style)? {
            // v2 hands timestamps to interface{} as the text written.
            Scalar::Timestamp(_) => Value::String(text.into_owned()),
            s => plain_value(s, text),
        },
    })
}

/// Whether an untagged, unanchored scalar mapping key is, under `profile`, simply a
/// string key whose JSON key is its text: not `<<`, not null, and (below the top level for
/// kyaml) read as a string. `false` means the tree walk has more to say about it.
pub(crate) fn plain_string_key(
    profile: Profile,
    text: &str,
    style: ScalarStyle,
    flow: bool,
    top: bool,
) -> bool {
    if text == "<<" {
        return false;
    }
    if style != ScalarStyle::Plain || scalar::plain_is_str_at_once(text) {
        return true;
    }
    match profile {
        Profile::Kyaml => match resolve_text("", text, Bools::Core).map(|r| r.0) {
            Ok(scalar::STR) => true,
            Ok(scalar::NULL) | Err(_) => false,
            Ok(_) => top || kyaml_requoted(None, text, style, flow, true),
        },
        Profile::ApiServer => matches!(
            resolve_text("", text, Bools::Yaml11).map(|r| r.0),
            Ok(scalar::STR | scalar::TIMESTAMP)
        ),
    }
}

/// v3's `Node.ShortTag()` for a scalar: what a key counts as when choosing between
/// `map[string]interface{}` and `map[interface{}]interface{}`.
fn v3_short_tag<'t>(n: &'t Node, text: &str, style: ScalarStyle) -> Cow<'t, str> {
    match n.tag() {
        Some(t) if t != "!" => short_tag(t),
        _ if style != ScalarStyle::Plain => scalar::STR.into(),
        _ => resolve_text("", text, Bools::Core).map(|r| r.0).unwrap_or(scalar::STR).into(),
    }
}

/// Whether `n` is a `<<` merge key for `profile`.
fn is_merge(n: &Node, profile: Profile) -> bool {
    let NodeKind::Scalar { value, style } = &n.kind else { return false };
    if value != "<<" {
        return false;
    }
    match n.tag() {
        None => *style == ScalarStyle::Plain,
        // v2 counts `!` as implicit whatever the style; v3 only for a plain scalar.
        Some("!") => profile == Profile::ApiServer || *style == ScalarStyle::Plain,
        Some(t) => short_tag(t) == scalar::MERGE,
    }
}

/// A Go `map[interface{}]interface{}`: key → (for float keys, the bits last written,
/// since Go keeps the latest of equal keys `0.0` and `-0.0`; the value).
type GoMap = IndexMap<GoKey, (Option<u64>, Value)>;

/// A v2 map key as Go holds it in `map[interface{}]interface{}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum GoKey {
    Str(String),
    Int(i64),
    Uint(u64),
    Float(u64),
    /// NaN never equals itself, so every NaN key is a key of its own.
    Nan(usize),
    Bool(bool),
    Null,
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`, with sigs.k8s.io/yaml's names for the
/// non-finite values.
pub(crate) fn go_format_g32(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return ".nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { ".inf".into() } else { "-.inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let e = format!("{x:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let nd = digits.len() as i32;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at_checked(1).unwrap_or((&digits, ""));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push_str(&format!("e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs()));
    } else if exp < 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-exp - 1) as usize));
        out.push_str(&digits);
    } else {
        let dp = exp + 1;
        if nd <= dp {
            out.push_str(&digits);
            out.push_str(&"0".repeat((dp - nd) as usize));
        } else {
            let (a, b) = digits.split_at_checked(dp as usize).unwrap_or((&digits, ""));
            out.push_str(a);
            out.push('.');
            out.push_str(b);
        }
    }
    out
}

pub(crate) struct Walker<'a> {
    profile: Profile,
    limits: Limits,
    /// Alias node address → the anchored node it names.
    doc: &'a Document,
    /// Built on the first alias met (most documents have none).
    targets: Option<Targets<'a>>,
    /// Whether the node being walked stands inside a flow collection (where it stood in
    /// the source, for nodes reached through an alias).
    flow: bool,
    /// Anchored nodes being walked now (an alias to one of them would never end).
    active: Vec<usize>,
    alias_depth: usize,
    alias_nodes: usize,
    nan_keys: usize,
    /// Depth at which the current stack segment began (see [`Walker::on_fresh_stack`]).
    stack_base: usize,
    /// go-yaml's count of decode steps (the document itself is the first).
    decode_count: usize,
}

impl<'a> Walker<'a> {
    pub(crate) fn new(doc: &'a Document, profile: Profile, limits: &Limits) -> Result<Self, Error> {
        let w = Walker {
            profile,
            limits: *limits,
            doc,
            targets: None,
            flow: false,
            active: Vec::new(),
            alias_depth: 0,
            alias_nodes: 0,
            decode_count: 1,
            nan_keys: 0,
            stack_base: 0,
        };
        Ok(w)
    }

    fn depth_check(&self, n: &Node, depth: usize) -> Result<(), Error> {
        if depth > self.limits.max_depth {
            return Err(Error::Limit {
                mark: n.span.start,
                what: "nesting depth",
                limit: self.limits.max_depth,
            });
        }
        Ok(())
    }

    /// Count a node against the budgets.
    fn enter(&mut self, n: &Node, depth: usize) -> Result<(), Error> {
        self.depth_check(n, depth)?;
        self.count(n)
    }

    /// Count one decode step as go-yaml does (every `unmarshal` call), with its guard
    /// against documents made mostly of alias expansion: past 1000 steps, more than 99%
    /// (falling to 10% by four million steps) coming from aliases is refused.
    fn count(&mut self, n: &Node) -> Result<(), Error> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_nodes += 1;
            if self.alias_nodes > self.limits.max_alias_nodes {
                return Err(Error::Limit {
                    mark: n.span.start,
                    what: "alias expansion (nodes)",
                    limit: self.limits.max_alias_nodes,
                });
            }
        }
        if self.alias_nodes > 100 && self.decode_count > 1000 {
            const LOW: usize = 400_000;
            const HIGH: usize = 4_000_000;
            let allowed = if self.decode_count <= LOW {
                0.99
            } else if self.decode_count >= HIGH {
                0.10
            } else {
                0.99 - 0.89 * ((self.decode_count - LOW) as f64 / (HIGH - LOW) as f64)
            };
            if self.alias_nodes as f64 / self.decode_count as f64 > allowed {
                return Err(resolve_err(n, "document contains excessive aliasing"));
            }
        }
        Ok(())
    }

    /// The node an alias names, entering alias expansion; call `leave_alias` after.
    fn enter_alias(&mut self, n: &Node, name: &str) -> Result<(&'a Node, bool), Error> {
        if self.targets.is_none() {
            let mut targets = HashMap::new();
            if let Some(root) = &self.doc.root {
                let mut anchors: HashMap<&'a str, (&'a Node, bool)> = HashMap::new();
                collect(root, 0, false, &mut anchors, &mut targets, self.limits.max_depth)?;
            }
            self.targets = Some(targets);
        }
        let (target, flow) =
            *self.targets.as_ref().and_then(|t| t.get(&addr(n))).ok_or_else(|| {
                Error::UnknownAnchor { mark: n.span.start, name: name.to_owned() }
            })?;
        if self.active.contains(&addr(target)) {
            return Err(resolve_err(n, format!("anchor '{name}' value contains itself")));
        }
        self.alias_depth += 1;
        let saved = std::mem::replace(&mut self.flow, flow);
        Ok((target, saved))
    }

    fn leave_alias(&mut self, saved_flow: bool) {
        self.alias_depth -= 1;
        self.flow = saved_flow;
    }

    pub(crate) fn value(&mut self, n: &'a Node, depth: usize, top: bool) -> Result<Value, Error> {
        if depth >= self.stack_base + STACK_SEGMENT {
            return self.on_fresh_stack(n, depth, |w| w.value_here(n, depth, top));
        }
        self.value_here(n, depth, top)
    }

    /// Run `f` on a thread of its own with a fresh stack, so that nesting as deep as
    /// [`Limits::max_depth`] cannot overflow the caller's stack whatever its size (debug
    /// builds use several kilobytes per level). Only documents nested deeper than
    /// [`STACK_SEGMENT`] levels get here.
    fn on_fresh_stack<T: Send>(
        &mut self,
        n: &Node,
        depth: usize,
        f: impl FnOnce(&mut Self) -> Result<T, Error> + Send,
    ) -> Result<T, Error> {
        let base = std::mem::replace(&mut self.stack_base, depth);
        let r = std::thread::scope(|s| {
            let handle = std::thread::Builder::new()
                .name("yaml-resolve".into())
                .stack_size(SEGMENT_STACK_BYTES)
                .spawn_scoped(s, || f(self))
                .map_err(|e| {
                    resolve_err(n, format!("cannot start a thread for deeply nested data: {e}"))
                })?;
            handle.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
        });
        self.stack_base = base;
        r
    }

    fn value_here(&mut self, n: &'a Node, depth: usize, top: bool) -> Result<Value, Error> {
        self.enter(n, depth)?;
        let anchored = n.anchor().is_some() && !matches!(n.kind, NodeKind::Scalar { .. });
        if anchored {
            self.active.push(addr(n));
        }
        let saved = self.flow;
        self.flow |= is_flow(n);
        let r = self.value_inner(n, depth, top);
        self.flow = saved;
        if anchored {
            self.active.pop();
        }
        r
    }

    fn value_inner(&mut self, n: &'a Node, depth: usize, top: bool) -> Result<Value, Error> {
        match &n.kind {
            NodeKind::Scalar { value, style } => self.scalar_value(n, value, *style),
            NodeKind::Alias { name } => {
                let (target, saved) = self.enter_alias(n, name)?;
                let r = self.value(target, depth + 1, false);
                self.leave_alias(saved);
                r
            }
            NodeKind::Sequence { items, .. } => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.value(i, depth + 1, false)?);
                }
                Ok(Value::Seq(out))
            }
            NodeKind::Mapping { entries, .. } => match self.profile {
                Profile::Kyaml => {
                    if !top {
                        self.kyaml_string_map_check(entries, depth)?;
                    }
                    let mut out = Mapping::with_capacity(entries.len());
                    self.kyaml_map_into(entries, depth, &mut out, None)?;
                    Ok(Value::Map(out))
                }
                Profile::ApiServer => {
                    let mut out = IndexMap::new();
                    self.v2_map_into(entries, depth, &mut out)?;
                    let mut m = Mapping::with_capacity(out.len());
                    for (k, (bits, v)) in out {
                        let k = bits.map_or(k, GoKey::Float);
                        m.insert(v2_key_string(n, k)?, v);
                    }
                    Ok(Value::Map(m))
                }
            },
        }
    }

    fn scalar_value(&self, n: &Node, text: &str, style: ScalarStyle) -> Result<Value, Error> {
        scalar_to_value(self.profile, n.tag(), Cow::Borrowed(text), style, self.flow)
            .map_err(|m| resolve_err(n, m))
    }

    /// v3 decodes a nested mapping whose keys are not all strings into
    /// `map[interface{}]interface{}`, which `encoding/json` refuses.
    fn kyaml_string_map_check(
        &mut self,
        entries: &'a [(Node, Node)],
        depth: usize,
    ) -> Result<(), Error> {
        for (k, _) in entries {
            let tag = self.kyaml_key_tag(k, depth)?;
            if tag != scalar::STR && tag != scalar::MERGE {
                return Err(resolve_err(
                    k,
                    format!(
                        "mapping key of type {tag} is not a string: json: unsupported type: map[interface {{}}]interface {{}}"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn kyaml_key_tag(&mut self, k: &'a Node, depth: usize) -> Result<Cow<'a, str>, Error> {
        self.depth_check(k, depth)?;
        Ok(match &k.kind {
            NodeKind::Scalar { value, style } => {
                let tag = v3_short_tag(k, value, *style);
                if tag != scalar::STR && kyaml_requoted(k.tag(), value, *style, self.flow, true) {
                    scalar::STR.into()
                } else {
                    tag
                }
            }
            NodeKind::Mapping { .. } => "!!map".into(),
            NodeKind::Sequence { .. } => "!!seq".into(),
            NodeKind::Alias { name } => {
                let (t, saved) = self.enter_alias(k, name)?;
                let r = self.kyaml_key_tag(t, depth + 1);
                self.leave_alias(saved);
                r?
            }
        })
    }

    /// A key of a `map[string]interface{}` under v3: the scalar's text (decoded bytes for
    /// `!!binary`), `None` for a null key (v3 skips it), an error for collections.
    fn kyaml_key(&mut self, k: &'a Node, depth: usize) -> Result<Option<(String, bool)>, Error> {
        self.enter(k, depth)?;
        match &k.kind {
            NodeKind::Scalar { value, style } => Ok(match v3_scalar(k, value, *style)? {
                Scalar::Str => Some((value.clone(), true)),
                _ if kyaml_requoted(k.tag(), value, *style, self.flow, true) => {
                    Some((value.clone(), true))
                }
                Scalar::Null => None,
                Scalar::Binary(b) => Some((go_lossy(&b), true)),
                _ => Some((value.clone(), false)),
            }),
            NodeKind::Alias { name } => {
                let (t, saved) = self.enter_alias(k, name)?;
                let r = self.kyaml_key(t, depth + 1);
                self.leave_alias(saved);
                r
            }
            NodeKind::Mapping { .. } => Err(resolve_err(k, "cannot unmarshal !!map into string")),
            NodeKind::Sequence { .. } => Err(resolve_err(k, "cannot unmarshal !!seq into string")),
        }
    }

    /// v3's `mapping` into a string-keyed map: duplicate keys are errors; own keys first,
    /// then `<<` sources fill keys not yet set (earlier sources win).
    fn kyaml_map_into(
        &mut self,
        entries: &'a [(Node, Node)],
        depth: usize,
        out: &mut Mapping,
        mut blocked: Option<&mut HashSet<String>>,
    ) -> Result<(), Error> {
        check_duplicates(entries)?;
        let mut merge: Option<&'a Node> = None;
        let mut own_strings = Vec::new();
        for (k, v) in entries {
            if is_merge(k, Profile::Kyaml) {
                merge = Some(v);
                continue;
            }
            let Some((key, is_str)) = self.kyaml_key(k, depth + 1)? else { continue };
            if let Some(b) = blocked.as_deref_mut() {
                if b.contains(&key) {
                    continue;
                }
                b.insert(key.clone());
            } else if is_str {
                own_strings.push(key.clone());
            }
            let val = self.value(v, depth + 1, false)?;
            out.insert(key, val);
        }
        let Some(src) = merge else { return Ok(()) };
        if blocked.is_none() {
            // v3 decodes the mapping's keys once more to learn which are set.
            for (k, _) in entries {
                self.count(k)?;
            }
        }
        let mut local;
        let set: &mut HashSet<String> = match blocked {
            Some(b) => b,
            None => {
                local = own_strings.into_iter().collect::<HashSet<_>>();
                &mut local
            }
        };
        self.kyaml_merge(src, depth + 1, out, set)
    }

    fn kyaml_merge(
        &mut self,
        src: &'a Node,
        depth: usize,
        out: &mut Mapping,
        set: &mut HashSet<String>,
    ) -> Result<(), Error> {
        if depth >= self.stack_base + STACK_SEGMENT {
            return self.on_fresh_stack(src, depth, |w| w.kyaml_merge_here(src, depth, out, set));
        }
        self.kyaml_merge_here(src, depth, out, set)
    }

    fn kyaml_merge_here(
        &mut self,
        src: &'a Node,
        depth: usize,
        out: &mut Mapping,
        set: &mut HashSet<String>,
    ) -> Result<(), Error> {
        self.depth_check(src, depth)?;
        if !matches!(src.kind, NodeKind::Sequence { .. }) {
            self.count(src)?;
        }
        match &src.kind {
            NodeKind::Mapping { entries, .. } => {
                let saved = self.flow;
                self.flow |= is_flow(src);
                let r = self.kyaml_map_into(entries, depth, out, Some(set));
                self.flow = saved;
                r
            }
            NodeKind::Alias { name } => {
                let (t, saved) = self.enter_alias(src, name)?;
                let r = match &t.kind {
                    NodeKind::Mapping { entries, .. } => {
                        self.flow |= is_flow(t);
                        self.enter(t, depth + 1)
                            .and_then(|()| self.kyaml_map_into(entries, depth + 1, out, Some(set)))
                    }
                    _ => Err(want_map(src)),
                };
                self.leave_alias(saved);
                r
            }
            NodeKind::Sequence { items, .. } => {
                for i in items {
                    match &i.kind {
                        NodeKind::Mapping { .. } | NodeKind::Alias { .. } => {
                            self.kyaml_merge(i, depth + 1, out, set)?
                        }
                        _ => return Err(want_map(i)),
                    }
                }
                Ok(())
            }
            NodeKind::Scalar { .. } => Err(want_map(src)),
        }
    }

    fn v2_key(&mut self, k: &'a Node, depth: usize) -> Result<GoKey, Error> {
        self.enter(k, depth)?;
        match &k.kind {
            NodeKind::Scalar { value, style } => Ok(match v2_scalar(k, value, *style)? {
                Scalar::Null => GoKey::Null,
                Scalar::Bool(b) => GoKey::Bool(b),
                Scalar::Int(i) => GoKey::Int(i),
                Scalar::Uint(u) => GoKey::Uint(u),
                Scalar::Float(f) if f.is_nan() => {
                    self.nan_keys += 1;
                    GoKey::Nan(self.nan_keys)
                }
                Scalar::Float(f) => GoKey::Float(f.to_bits()),
                Scalar::Str => GoKey::Str(value.clone()),
                Scalar::Timestamp(_) => GoKey::Str(value.clone()),
                Scalar::Binary(b) => GoKey::Str(go_lossy(&b)),
            }),
            NodeKind::Alias { name } => {
                let (t, saved) = self.enter_alias(k, name)?;
                let r = self.v2_key(t, depth + 1);
                self.leave_alias(saved);
                r
            }
            NodeKind::Mapping { .. } | NodeKind::Sequence { .. } => {
                Err(resolve_err(k, "invalid map key: a collection cannot be a mapping key"))
            }
        }
    }

    /// v2's `mapping`: entries in order, later keys overwrite; a `<<` entry applies its
    /// source(s) where it stands (a list from last to first, so earlier sources win).
    fn v2_map_into(
        &mut self,
        entries: &'a [(Node, Node)],
        depth: usize,
        out: &mut GoMap,
    ) -> Result<(), Error> {
        for (k, v) in entries {
            if is_merge(k, Profile::ApiServer) {
                self.v2_merge(v, depth + 1, out)?;
                continue;
            }
            let key = self.v2_key(k, depth + 1)?;
            let val = self.value(v, depth + 1, false)?;
            // Go compares keys by value (0.0 == -0.0) but, for floats, stores the key
            // written last.
            match key {
                GoKey::Float(bits) => {
                    let id = if f64::from_bits(bits) == 0.0 { 0 } else { bits };
                    out.insert(GoKey::Float(id), (Some(bits), val));
                }
                other => {
                    out.insert(other, (None, val));
                }
            }
        }
        Ok(())
    }

    fn v2_merge(&mut self, src: &'a Node, depth: usize, out: &mut GoMap) -> Result<(), Error> {
        if depth >= self.stack_base + STACK_SEGMENT {
            return self.on_fresh_stack(src, depth, |w| w.v2_merge_here(src, depth, out));
        }
        self.v2_merge_here(src, depth, out)
    }

    fn v2_merge_here(&mut self, src: &'a Node, depth: usize, out: &mut GoMap) -> Result<(), Error> {
        self.depth_check(src, depth)?;
        if !matches!(src.kind, NodeKind::Sequence { .. }) {
            self.count(src)?;
        }
        match &src.kind {
            NodeKind::Mapping { entries, .. } => self.v2_map_into(entries, depth, out),
            NodeKind::Alias { name } => {
                let (t, saved) = self.enter_alias(src, name)?;
                let r = match &t.kind {
                    NodeKind::Mapping { entries, .. } => self
                        .enter(t, depth + 1)
                        .and_then(|()| self.v2_map_into(entries, depth + 1, out)),
                    _ => Err(want_map(src)),
                };
                self.leave_alias(saved);
                r
            }
            NodeKind::Sequence { items, .. } => {
                for i in items.iter().rev() {
                    match &i.kind {
                        NodeKind::Mapping { .. } | NodeKind::Alias { .. } => {
                            self.v2_merge(i, depth + 1, out)?
                        }
                        _ => return Err(want_map(i)),
                    }
                }
                Ok(())
            }
            NodeKind::Scalar { .. } => Err(want_map(src)),
        }
    }
}

fn is_flow(n: &Node) -> bool {
    matches!(
        n.kind,
        NodeKind::Sequence { style: CollectionStyle::Flow, .. }
            | NodeKind::Mapping { style: CollectionStyle::Flow, .. }
    )
}

/// kyaml hands documents to go-yaml v3's decoder only after encoding them again
/// (`RNode.MarshalJSON` decodes `RNode.String()`). The emitter writes an untagged plain
/// scalar in quotes when plain is not allowed where it stands (inside a flow collection:
/// any of `,?[]{}` or `:`, or empty; an empty mapping key anywhere), and the decoder then
/// reads it as a string. So `[2001-12-14T10:00:00Z]` stays text and `{k: }` gives `""`.
fn kyaml_requoted(
    tag: Option<&str>,
    text: &str,
    style: ScalarStyle,
    in_flow: bool,
    is_key: bool,
) -> bool {
    if style != ScalarStyle::Plain || !matches!(tag, None | Some("!")) {
        return false;
    }
    if text.is_empty() {
        return in_flow || is_key;
    }
    let (flow_ok, block_ok) = plain_allowed(text);
    if in_flow { !flow_ok } else { !block_ok }
}

/// go-yaml's emitter analysis of a non-empty scalar: (plain allowed in flow, in block).
fn plain_allowed(text: &str) -> (bool, bool) {
    let b = text.as_bytes();
    let mut flow_ind = false;
    let mut block_ind = false;
    if b.starts_with(b"---") || b.starts_with(b"...") {
        flow_ind = true;
        block_ind = true;
    }
    let blank = |c: Option<&u8>| matches!(c, None | Some(b' ' | b'\t' | b'\r' | b'\n'));
    let mut preceded_by_ws = true;
    let mut bad = false;
    for (i, &c) in b.iter().enumerate() {
        let followed_by_ws = blank(b.get(i + 1));
        if i == 0 {
            match c {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => {
                    flow_ind = true;
                    block_ind = true;
                }
                b'?' | b':' => {
                    flow_ind = true;
                    block_ind |= followed_by_ws;
                }
                b'-' if followed_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        } else {
            match c {
                b',' | b'?' | b'[' | b']' | b'{' | b'}' => flow_ind = true,
                b':' => {
                    flow_ind = true;
                    block_ind |= followed_by_ws;
                }
                b'#' if preceded_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        }
        // Tabs, line breaks, and spaces at either end or next to a break.
        if c == b'\t' || c == b'\n' || c == b'\r' || (c == b' ' && (i == 0 || i + 1 == b.len())) {
            bad = true;
        }
        preceded_by_ws = blank(Some(&c));
    }
    // Non-printable characters (other than the ones above) force quotes as well.
    if text
        .chars()
        .any(|c| (c.is_control() && c != '\t' && c != '\n' && c != '\r') || c == '\u{FEFF}')
    {
        bad = true;
    }
    (!bad && !flow_ind, !bad && !block_ind)
}

/// Alias node address → (anchored node, whether it stands inside a flow collection).
type Targets<'a> = HashMap<usize, (&'a Node, bool)>;

/// Link every alias to the most recent earlier anchor of its name (document order).
fn collect<'a>(
    n: &'a Node,
    depth: usize,
    flow: bool,
    anchors: &mut HashMap<&'a str, (&'a Node, bool)>,
    targets: &mut Targets<'a>,
    max_depth: usize,
) -> Result<(), Error> {
    if depth > max_depth {
        return Err(Error::Limit { mark: n.span.start, what: "nesting depth", limit: max_depth });
    }
    if let Some(a) = n.anchor() {
        anchors.insert(a, (n, flow));
    }
    let inner = flow || is_flow(n);
    match &n.kind {
        NodeKind::Scalar { .. } => {}
        NodeKind::Alias { name } => match anchors.get(name.as_str()) {
            Some(t) => {
                targets.insert(addr(n), *t);
            }
            None => return Err(Error::UnknownAnchor { mark: n.span.start, name: name.clone() }),
        },
        NodeKind::Sequence { items, .. } => {
            for i in items {
                collect(i, depth + 1, inner, anchors, targets, max_depth)?;
            }
        }
        NodeKind::Mapping { entries, .. } => {
            for (k, v) in entries {
                collect(k, depth + 1, inner, anchors, targets, max_depth)?;
                collect(v, depth + 1, inner, anchors, targets, max_depth)?;
            }
        }
    }
    Ok(())
}

fn want_map(n: &Node) -> Error {
    resolve_err(n, "map merge requires map or sequence of maps as the value")
}

fn plain_value(s: Scalar, text: Cow<'_, str>) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::Int(i),
        Scalar::Uint(u) => Value::Uint(u),
        Scalar::Float(f) => Value::Float(f),
        Scalar::Str => Value::String(text.into_owned()),
        Scalar::Binary(b) => Value::String(go_lossy(&b)),
        // Callers present timestamps themselves; this keeps the function total.
        Scalar::Timestamp(t) => Value::String(t.to_rfc3339().unwrap_or_default()),
    }
}

/// sigs.k8s.io/yaml's conversion of a Go map key to a JSON object key.
fn v2_key_string(map: &Node, k: GoKey) -> Result<String, Error> {
    Ok(match k {
        GoKey::Str(s) => s,
        GoKey::Int(i) => i.to_string(),
        GoKey::Float(bits) => go_format_g32(f64::from_bits(bits)),
        GoKey::Nan(_) => ".nan".into(),
        GoKey::Bool(b) => b.to_string(),
        GoKey::Uint(u) => {
            return Err(resolve_err(map, format!("unsupported map key of type: uint64, key: {u}")));
        }
        GoKey::Null => {
            return Err(resolve_err(map, "unsupported map key of type: <nil>, key: <nil>"));
        }
    })
}

/// What v3 compares to find duplicate keys: the node kind and its text.
fn key_id(k: &Node) -> (u8, &str) {
    match &k.kind {
        NodeKind::Scalar { value, .. } => (0, value.as_str()),
        NodeKind::Alias { name } => (1, name.as_str()),
        NodeKind::Mapping { .. } => (2, ""),
        NodeKind::Sequence { .. } => (3, ""),
    }
}

/// v3 refuses two keys of the same kind and text in one mapping.
fn check_duplicates(entries: &[(Node, Node)]) -> Result<(), Error> {
    let dup = |first: &Node, k: &Node| {
        resolve_err(
            k,
            format!(
                "mapping key {:?} already defined at line {}",
                key_id(k).1,
                first.span.start.line
            ),
        )
    };
    if entries.len() <= 16 {
        for (j, (k, _)) in entries.iter().enumerate() {
            let earlier = entries.get(..j).unwrap_or_default();
            if let Some((first, _)) = earlier.iter().find(|(f, _)| key_id(f) == key_id(k)) {
                return Err(dup(first, k));
            }
        }
        return Ok(());
    }
    let mut seen: HashMap<(u8, &str), &Node> = HashMap::with_capacity(entries.len());
    for (k, _) in entries {
        if let Some(first) = seen.get(&key_id(k)) {
            return Err(dup(first, k));
        }
        seen.insert(key_id(k), k);
    }
    Ok(())
}
