//! The tree walk: [`Node`]s → [`Value`], with alias expansion under a budget, bounded
//! depth, merge keys and each profile's rules for mapping keys.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use super::Profile;
use super::scalar::{self, Bools, Scalar, resolve_text, short_tag};
use crate::yaml::{Document, Error, Limits, Mapping, Mark, Node, NodeKind, ScalarStyle, Value};

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
                let (good, bad) = rest.split_at(e.valid_up_to());
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
    let tag = match n.tag.as_deref() {
        Some(t) if t != "!" => short_tag(t).into_owned(),
        _ if style != ScalarStyle::Plain => return Ok(Scalar::Str(text.to_owned())),
        _ => String::new(),
    };
    if tag == scalar::STR {
        return Ok(Scalar::Str(text.to_owned()));
    }
    resolve_text(&tag, text, Bools::Core).map(|r| r.1).map_err(|m| resolve_err(n, m))
}

/// The scalar's meaning under go-yaml v2 (the API server): untagged quoted and block
/// scalars are strings; `!` keeps the text as a string.
pub(crate) fn v2_scalar(n: &Node, text: &str, style: ScalarStyle) -> Result<Scalar, Error> {
    let tag = match n.tag.as_deref() {
        None if style != ScalarStyle::Plain => return Ok(Scalar::Str(text.to_owned())),
        None => String::new(),
        Some(t) => short_tag(t).into_owned(),
    };
    resolve_text(&tag, text, Bools::Yaml11).map(|r| r.1).map_err(|m| resolve_err(n, m))
}

/// v3's `Node.ShortTag()` for a scalar: what a key counts as when choosing between
/// `map[string]interface{}` and `map[interface{}]interface{}`.
fn v3_short_tag(n: &Node, text: &str, style: ScalarStyle) -> String {
    match n.tag.as_deref() {
        Some(t) if t != "!" => short_tag(t).into_owned(),
        _ if style != ScalarStyle::Plain => scalar::STR.to_owned(),
        _ => resolve_text("", text, Bools::Core).map(|r| r.0).unwrap_or(scalar::STR).to_owned(),
    }
}

/// Whether `n` is a `<<` merge key for `profile`.
fn is_merge(n: &Node, profile: Profile) -> bool {
    let NodeKind::Scalar { value, style } = &n.kind else { return false };
    if value != "<<" {
        return false;
    }
    match n.tag.as_deref() {
        None => *style == ScalarStyle::Plain,
        // v2 counts `!` as implicit whatever the style; v3 only for a plain scalar.
        Some("!") => profile == Profile::ApiServer || *style == ScalarStyle::Plain,
        Some(t) => short_tag(t) == scalar::MERGE,
    }
}

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
    if exp < -4 || exp >= 6 {
        let (first, rest) = digits.split_at(1);
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
            let (a, b) = digits.split_at(dp as usize);
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
    targets: HashMap<usize, &'a Node>,
    /// Anchored nodes being walked now (an alias to one of them would never end).
    active: Vec<usize>,
    alias_depth: usize,
    alias_nodes: usize,
    nan_keys: usize,
}

impl<'a> Walker<'a> {
    pub(crate) fn new(doc: &'a Document, profile: Profile, limits: &Limits) -> Result<Self, Error> {
        let mut w = Walker {
            profile,
            limits: *limits,
            targets: HashMap::new(),
            active: Vec::new(),
            alias_depth: 0,
            alias_nodes: 0,
            nan_keys: 0,
        };
        if let Some(root) = &doc.root {
            let mut anchors: HashMap<&'a str, &'a Node> = HashMap::new();
            w.collect(root, 0, &mut anchors)?;
        }
        Ok(w)
    }

    fn depth_check(&self, n: &Node, depth: usize) -> Result<(), Error> {
        if depth > self.limits.max_depth {
            return Err(Error::Limit { mark: n.span.start, what: "nesting depth", limit: self.limits.max_depth });
        }
        Ok(())
    }

    /// Link every alias to the most recent earlier anchor of its name (document order).
    fn collect(
        &mut self,
        n: &'a Node,
        depth: usize,
        anchors: &mut HashMap<&'a str, &'a Node>,
    ) -> Result<(), Error> {
        self.depth_check(n, depth)?;
        if let Some(a) = &n.anchor {
            anchors.insert(a, n);
        }
        match &n.kind {
            NodeKind::Scalar { .. } => {}
            NodeKind::Alias { name } => match anchors.get(name.as_str()) {
                Some(t) => {
                    self.targets.insert(addr(n), t);
                }
                None => return Err(Error::UnknownAnchor { mark: n.span.start, name: name.clone() }),
            },
            NodeKind::Sequence { items, .. } => {
                for i in items {
                    self.collect(i, depth + 1, anchors)?;
                }
            }
            NodeKind::Mapping { entries, .. } => {
                for (k, v) in entries {
                    self.collect(k, depth + 1, anchors)?;
                    self.collect(v, depth + 1, anchors)?;
                }
            }
        }
        Ok(())
    }

    /// Count a node against the budgets.
    fn enter(&mut self, n: &Node, depth: usize) -> Result<(), Error> {
        self.depth_check(n, depth)?;
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
        Ok(())
    }

    /// The node an alias names, entering alias expansion; call `leave_alias` after.
    fn enter_alias(&mut self, n: &Node, name: &str) -> Result<&'a Node, Error> {
        let target = *self
            .targets
            .get(&addr(n))
            .ok_or_else(|| Error::UnknownAnchor { mark: n.span.start, name: name.to_owned() })?;
        if self.active.contains(&addr(target)) {
            return Err(resolve_err(n, format!("anchor '{name}' value contains itself")));
        }
        self.alias_depth += 1;
        Ok(target)
    }

    fn leave_alias(&mut self) {
        self.alias_depth -= 1;
    }

    pub(crate) fn value(&mut self, n: &'a Node, depth: usize, top: bool) -> Result<Value, Error> {
        self.enter(n, depth)?;
        let anchored = n.anchor.is_some() && !matches!(n.kind, NodeKind::Scalar { .. });
        if anchored {
            self.active.push(addr(n));
        }
        let r = self.value_inner(n, depth, top);
        if anchored {
            self.active.pop();
        }
        r
    }

    fn value_inner(&mut self, n: &'a Node, depth: usize, top: bool) -> Result<Value, Error> {
        match &n.kind {
            NodeKind::Scalar { value, style } => self.scalar_value(n, value, *style),
            NodeKind::Alias { name } => {
                let target = self.enter_alias(n, name)?;
                let r = self.value(target, depth + 1, false);
                self.leave_alias();
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
                    let mut out = Mapping::new();
                    self.kyaml_map_into(n, entries, depth, &mut out, None)?;
                    Ok(Value::Map(out))
                }
                Profile::ApiServer => {
                    let mut out = IndexMap::new();
                    self.v2_map_into(entries, depth, &mut out)?;
                    let mut m = Mapping::with_capacity(out.len());
                    for (k, v) in out {
                        m.insert(v2_key_string(n, k)?, v);
                    }
                    Ok(Value::Map(m))
                }
            },
        }
    }

    fn scalar_value(&self, n: &Node, text: &str, style: ScalarStyle) -> Result<Value, Error> {
        Ok(match self.profile {
            Profile::Kyaml => match v3_scalar(n, text, style)? {
                Scalar::Timestamp(t) => Value::String(t.to_rfc3339().ok_or_else(|| {
                    resolve_err(n, format!("timestamp `{text}` has a zone offset JSON cannot carry"))
                })?),
                s => plain_value(s),
            },
            Profile::ApiServer => match v2_scalar(n, text, style)? {
                // v2 hands timestamps to interface{} as the text written.
                Scalar::Timestamp(_) => Value::String(text.to_owned()),
                s => plain_value(s),
            },
        })
    }

    /// v3 decodes a nested mapping whose keys are not all strings into
    /// `map[interface{}]interface{}`, which `encoding/json` refuses.
    fn kyaml_string_map_check(&mut self, entries: &'a [(Node, Node)], depth: usize) -> Result<(), Error> {
        for (k, _) in entries {
            let tag = self.kyaml_key_tag(k, depth)?;
            if tag != scalar::STR && tag != scalar::MERGE {
                return Err(resolve_err(
                    k,
                    format!("mapping key of type {tag} is not a string: json: unsupported type: map[interface {{}}]interface {{}}"),
                ));
            }
        }
        Ok(())
    }

    fn kyaml_key_tag(&mut self, k: &'a Node, depth: usize) -> Result<String, Error> {
        Ok(match &k.kind {
            NodeKind::Scalar { value, style } => v3_short_tag(k, value, *style),
            NodeKind::Mapping { .. } => "!!map".into(),
            NodeKind::Sequence { .. } => "!!seq".into(),
            NodeKind::Alias { name } => {
                let t = self.enter_alias(k, name)?;
                let r = self.kyaml_key_tag(t, depth + 1);
                self.leave_alias();
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
                Scalar::Null => None,
                Scalar::Binary(b) => Some((go_lossy(&b), true)),
                Scalar::Str(_) => Some((value.clone(), true)),
                _ => Some((value.clone(), false)),
            }),
            NodeKind::Alias { name } => {
                let t = self.enter_alias(k, name)?;
                let r = self.kyaml_key(t, depth + 1);
                self.leave_alias();
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
        n: &'a Node,
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
        let mut local;
        let set: &mut HashSet<String> = match blocked {
            Some(b) => b,
            None => {
                local = own_strings.into_iter().collect::<HashSet<_>>();
                &mut local
            }
        };
        self.kyaml_merge(n, src, depth + 1, out, set)
    }

    fn kyaml_merge(
        &mut self,
        parent: &'a Node,
        src: &'a Node,
        depth: usize,
        out: &mut Mapping,
        set: &mut HashSet<String>,
    ) -> Result<(), Error> {
        self.enter(src, depth)?;
        match &src.kind {
            NodeKind::Mapping { entries, .. } => self.kyaml_map_into(src, entries, depth, out, Some(set)),
            NodeKind::Alias { name } => {
                let t = self.enter_alias(src, name)?;
                let r = match &t.kind {
                    NodeKind::Mapping { entries, .. } => {
                        self.enter(t, depth + 1).and_then(|()| self.kyaml_map_into(t, entries, depth + 1, out, Some(set)))
                    }
                    _ => Err(want_map(src)),
                };
                self.leave_alias();
                r
            }
            NodeKind::Sequence { items, .. } => {
                for i in items {
                    match &i.kind {
                        NodeKind::Mapping { .. } | NodeKind::Alias { .. } => {
                            self.kyaml_merge(parent, i, depth + 1, out, set)?
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
                Scalar::Float(f) => GoKey::Float((if f == 0.0 { 0.0 } else { f }).to_bits()),
                Scalar::Str(s) => GoKey::Str(s),
                Scalar::Timestamp(_) => GoKey::Str(value.clone()),
                Scalar::Binary(b) => GoKey::Str(go_lossy(&b)),
            }),
            NodeKind::Alias { name } => {
                let t = self.enter_alias(k, name)?;
                let r = self.v2_key(t, depth + 1);
                self.leave_alias();
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
        out: &mut IndexMap<GoKey, Value>,
    ) -> Result<(), Error> {
        for (k, v) in entries {
            if is_merge(k, Profile::ApiServer) {
                self.v2_merge(v, depth + 1, out)?;
                continue;
            }
            let key = self.v2_key(k, depth + 1)?;
            let val = self.value(v, depth + 1, false)?;
            out.insert(key, val);
        }
        Ok(())
    }

    fn v2_merge(&mut self, src: &'a Node, depth: usize, out: &mut IndexMap<GoKey, Value>) -> Result<(), Error> {
        self.enter(src, depth)?;
        match &src.kind {
            NodeKind::Mapping { entries, .. } => self.v2_map_into(entries, depth, out),
            NodeKind::Alias { name } => {
                let t = self.enter_alias(src, name)?;
                let r = match &t.kind {
                    NodeKind::Mapping { entries, .. } => {
                        self.enter(t, depth + 1).and_then(|()| self.v2_map_into(entries, depth + 1, out))
                    }
                    _ => Err(want_map(src)),
                };
                self.leave_alias();
                r
            }
            NodeKind::Sequence { items, .. } => {
                for i in items.iter().rev() {
                    match &i.kind {
                        NodeKind::Mapping { .. } | NodeKind::Alias { .. } => self.v2_merge(i, depth + 1, out)?,
                        _ => return Err(want_map(i)),
                    }
                }
                Ok(())
            }
            NodeKind::Scalar { .. } => Err(want_map(src)),
        }
    }
}

fn want_map(n: &Node) -> Error {
    resolve_err(n, "map merge requires map or sequence of maps as the value")
}

fn plain_value(s: Scalar) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::Int(i),
        Scalar::Uint(u) => Value::Uint(u),
        Scalar::Float(f) => Value::Float(f),
        Scalar::Str(s) => Value::String(s),
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
        GoKey::Null => return Err(resolve_err(map, "unsupported map key of type: <nil>, key: <nil>")),
    })
}

/// v3 refuses two keys of the same kind and text in one mapping.
fn check_duplicates(entries: &[(Node, Node)]) -> Result<(), Error> {
    if entries.len() < 2 {
        return Ok(());
    }
    let mut seen: HashMap<(u8, &str), Mark> = HashMap::with_capacity(entries.len());
    for (k, _) in entries {
        let id = match &k.kind {
            NodeKind::Scalar { value, .. } => (0, value.as_str()),
            NodeKind::Alias { name } => (1, name.as_str()),
            NodeKind::Mapping { .. } => (2, ""),
            NodeKind::Sequence { .. } => (3, ""),
        };
        if let Some(first) = seen.get(&id) {
            return Err(resolve_err(
                k,
                format!("mapping key {:?} already defined at line {}", id.1, first.line),
            ));
        }
        seen.insert(id, k.span.start);
    }
    Ok(())
}
