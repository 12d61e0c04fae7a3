//! Byte-preserving edits of a YAML text by path: only the bytes of the edited span change;
//! comments, quoting, indentation and every other byte of the file stay as they were.
//!
//! | item | what |
//! |---|---|
//! | [`set_scalar`] | replace a scalar's value, in its own quoting style when the new value allows it |
//! | [`insert_key`] | add a key to a block mapping, at the mapping's indentation |
//! | [`append_item`] | add an item to a block sequence, following the file's list style (indentless `- name:` too) |
//! | [`remove_key`] | remove a key and its value (whole lines) from a block mapping |
//! | [`get`] / [`documents_of`] | look a node up by path; find the documents of an object |
//!
//! A path is a list of [`Seg`]s: a mapping key, a sequence index, or the sequence item
//! whose `key` field has a given value (`containers[name=app]`, `images[name=nginx]`).
//!
//! Quoting rules for a new string value: a plain scalar stays plain unless, written plain, it
//! would read as something else (`1.10`, `true`, `null`, an empty string) or cannot be plain
//! (`a #b`, `x: y`) — then it is double-quoted; single- and double-quoted scalars keep their
//! quotes; a `|`/`>` block scalar becomes double-quoted. Non-string values (numbers, booleans)
//! are written plain.
//!
//! ```
//! use gitops_core::yaml::Value;
//! use gitops_core::yaml::edit::{Seg, append_item, set_scalar};
//! let text = "images:\n- name: app # pinned\n  newTag: v1.0.0\n";
//! let path = [Seg::key("images"), Seg::item("name", "app"), Seg::key("newTag")];
//! let out = set_scalar(text, 0, &path, &Value::from("1.10")).unwrap();
//! assert_eq!(out, "images:\n- name: app # pinned\n  newTag: \"1.10\"\n");
//!
//! let mut item = gitops_core::yaml::Mapping::new();
//! item.insert("name".into(), Value::from("web"));
//! item.insert("newTag".into(), Value::from("v2"));
//! let out = append_item(&out, 0, &[Seg::key("images")], &Value::Map(item)).unwrap();
//! assert_eq!(out, "images:\n- name: app # pinned\n  newTag: \"1.10\"\n- name: web\n  newTag: v2\n");
//! ```

use super::{CollectionStyle, Limits, Node, NodeKind, Profile, ScalarStyle, Value};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
    /// The first sequence item that is a mapping whose `key` is the scalar `value`.
    Item {
        /// The field to match (`name`).
        key: String,
        /// Its value.
        value: String,
    },
}

impl Seg {
    /// `Seg::Key`.
    pub fn key(k: impl Into<String>) -> Seg {
        Seg::Key(k.into())
    }

    /// `Seg::Item`.
    pub fn item(key: impl Into<String>, value: impl Into<String>) -> Seg {
        Seg::Item { key: key.into(), value: value.into() }
    }
}

/// A path as text: `.images[name=app].newTag`, `.spec.containers[0]`.
pub fn path_text(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
            Seg::Item { key, value } => out.push_str(&format!("[{key}={value}]")),
        }
    }
    if out.is_empty() { ".".into() } else { out }
}

/// Why an edit could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text is not valid YAML.
    #[error("{0}")]
    Parse(#[from] super::Error),
    /// The document index is past the end of the stream, or the document is empty.
    #[error("document {doc} does not exist or is empty")]
    NoDocument {
        /// The document index (0-based).
        doc: usize,
    },
    /// A path step names nothing.
    #[error("document {doc}: path {} not found", path_text(path))]
    NotFound {
        /// The document index.
        doc: usize,
        /// The path up to the missing step.
        path: Vec<Seg>,
    },
    /// The node is not of the kind the edit needs.
    #[error("document {doc}: line {line}: {} is not {expected}", path_text(path))]
    Kind {
        /// The document index.
        doc: usize,
        /// The node's path.
        path: Vec<Seg>,
        /// The node's line.
        line: u32,
        /// What was needed (`a scalar`, `a block mapping`, ...).
        expected: &'static str,
    },
    /// The key to insert exists already.
    #[error("document {doc}: line {line}: key '{key}' exists already at {}", path_text(path))]
    KeyExists {
        /// The document index.
        doc: usize,
        /// The mapping's path.
        path: Vec<Seg>,
        /// The key.
        key: String,
        /// The existing key's line.
        line: u32,
    },
    /// The node is an alias (`*name`): editing it would change every use of the anchor.
    #[error("document {doc}: line {line}: {} is an alias", path_text(path))]
    Alias {
        /// The document index.
        doc: usize,
        /// The node's path.
        path: Vec<Seg>,
        /// The node's line.
        line: u32,
    },
}

const MAX_DEPTH: usize = 256;

fn parse(text: &str, doc: usize) -> Result<Node, Error> {
    let mut docs = super::parse_stream(text, &Limits::default())?;
    if doc >= docs.len() {
        return Err(Error::NoDocument { doc });
    }
    docs.swap_remove(doc).root.ok_or(Error::NoDocument { doc })
}

fn lookup<'a>(node: &'a Node, seg: &Seg) -> Option<&'a Node> {
    match (&node.kind, seg) {
        (NodeKind::Mapping { entries, .. }, Seg::Key(k)) => {
            // The last of duplicate keys wins, as the resolver reads them.
            entries.iter().rev().find(|(key, _)| key.as_str() == Some(k)).map(|(_, v)| v)
        }
        (NodeKind::Sequence { items, .. }, Seg::Index(i)) => items.get(*i),
        (NodeKind::Sequence { items, .. }, Seg::Item { key, value }) => items
            .iter()
            .find(|it| lookup(it, &Seg::Key(key.clone())).and_then(Node::as_str) == Some(value)),
        _ => None,
    }
}

/// The chain of nodes from the root to the node at `path` (root first).
fn chain<'a>(root: &'a Node, doc: usize, path: &[Seg]) -> Result<Vec<&'a Node>, Error> {
    let mut out = vec![root];
    let mut cur = root;
    for (i, seg) in path.iter().enumerate() {
        if i >= MAX_DEPTH {
            return Err(Error::NotFound { doc, path: path.to_vec() });
        }
        cur = lookup(cur, seg).ok_or_else(|| Error::NotFound {
            doc,
            path: path.iter().take(i + 1).cloned().collect(),
        })?;
        out.push(cur);
    }
    Ok(out)
}

/// The node at `path` in document `doc` of `text`, if any (a copy, with its span).
///
/// ```
/// use gitops_core::yaml::edit::{Seg, get};
/// let n = get("a:\n  b: [1, 2]\n", 0, &[Seg::key("a"), Seg::key("b"), Seg::Index(1)]).unwrap();
/// assert_eq!(n.unwrap().span.start.line, 2);
/// ```
pub fn get(text: &str, doc: usize, path: &[Seg]) -> Result<Option<Node>, Error> {
    let root = parse(text, doc)?;
    match chain(&root, doc, path) {
        Ok(c) => Ok(c.last().map(|n| (*n).clone())),
        Err(Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The indexes of the documents of `text` whose `kind` and `metadata.name` are the given
/// ones (an empty `kind` matches any kind).
pub fn documents_of(text: &str, kind: &str, name: &str) -> Result<Vec<usize>, Error> {
    let docs = super::parse_stream(text, &Limits::default())?;
    let key = |n: &Node, path: &[Seg]| -> Option<String> {
        let mut cur = n;
        for s in path {
            cur = lookup(cur, s)?;
        }
        cur.as_str().map(str::to_owned)
    };
    Ok(docs
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d.root.as_ref().is_some_and(|r| {
                (kind.is_empty() || key(r, &[Seg::key("kind")]).as_deref() == Some(kind))
                    && key(r, &[Seg::key("metadata"), Seg::key("name")]).as_deref() == Some(name)
            })
        })
        .map(|(i, _)| i)
        .collect())
}

/// Whether go-yaml (v2 or v3) would read `s`, written plain, as something other than a
/// string.
pub fn reads_as_non_string(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    if s.contains('\n') {
        return false;
    }
    let limits = Limits::default();
    [Profile::ApiServer, Profile::Kyaml].into_iter().any(|p| {
        match super::parse_values(s, p, &limits) {
            Ok(v) => !matches!(v.as_slice(), [Value::String(x)] if x == s),
            Err(_) => true,
        }
    })
}

/// Whether `s` can be written as a plain scalar (block context, or flow when `flow`).
fn plain_allowed(s: &str, flow: bool) -> bool {
    let b = s.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else { return false };
    if matches!(first, b' ' | b'\t') || matches!(last, b' ' | b'\t' | b':') {
        return false;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    let next_blank = b.get(1).is_none_or(|&c| c == b' ' || c == b'\t');
    match first {
        b'-' | b'?' | b':' if next_blank => return false,
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' => return false,
        _ => {}
    }
    if s.contains(": ")
        || s.contains(":\t")
        || s.contains(" #")
        || s.contains("\t#")
        || s.chars().any(|c| c.is_control() || c == '\u{feff}' || c == '\u{85}')
    {
        return false;
    }
    !(flow && (s.contains([',', '[', ']', '{', '}']) || s.contains(':')))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02X}"));
                } else {
                    out.push_str(&format!("\\u{n:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The source text of the string `value` in `style` (see the [module docs](self)).
pub fn encode_string(value: &str, style: ScalarStyle, flow: bool) -> String {
    let special =
        value.chars().any(|c| c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}'));
    match style {
        ScalarStyle::SingleQuoted if !special => format!("'{}'", value.replace('\'', "''")),
        ScalarStyle::Plain if !reads_as_non_string(value) && plain_allowed(value, flow) => {
            value.to_owned()
        }
        _ => double_quoted(value),
    }
}

/// The source text of a scalar value written into a `style` slot; `None` for collections.
fn encode_value(value: &Value, style: ScalarStyle, flow: bool) -> Option<String> {
    Some(match value {
        Value::String(s) => encode_string(s, style, flow),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Uint(u) => u.to_string(),
        Value::Float(f) if f.is_nan() => ".nan".into(),
        Value::Float(f) if f.is_infinite() => {
            if *f > 0.0 {
                ".inf".into()
            } else {
                "-.inf".into()
            }
        }
        Value::Float(f) => {
            let t = f.to_string();
            if t.contains(['.', 'e', 'E']) { t } else { format!("{t}.0") }
        }
        Value::Seq(_) | Value::Map(_) => return None,
    })
}

/// Where a scalar's own text begins: after its `&anchor` and `!tag`, if any.
pub(crate) fn content_start(text: &str, node: &Node) -> usize {
    let mut i = node.span.start.index as usize;
    let end = node.span.end.index as usize;
    if node.props.is_none() {
        return i;
    }
    let b = text.as_bytes();
    while i < end && matches!(b.get(i), Some(b'&' | b'!')) {
        while i < end && b.get(i).is_some_and(|c| !c.is_ascii_whitespace()) {
            i += 1;
        }
        while i < end && b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
    }
    i
}

fn in_flow(chain: &[&Node]) -> bool {
    chain.iter().any(|n| {
        matches!(
            n.kind,
            NodeKind::Mapping { style: CollectionStyle::Flow, .. }
                | NodeKind::Sequence { style: CollectionStyle::Flow, .. }
        )
    })
}

fn splice(text: &str, start: usize, end: usize, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(text.get(..start).unwrap_or(text));
    out.push_str(with);
    out.push_str(text.get(end..).unwrap_or(""));
    out
}

/// Set the scalar at `path` of document `doc` to `value` (a scalar value).
///
/// ```
/// use gitops_core::yaml::Value;
/// use gitops_core::yaml::edit::{Seg, set_scalar};
/// let out = set_scalar("version: '1.0' # pin\n", 0, &[Seg::key("version")], &Value::from("2.0")).unwrap();
/// assert_eq!(out, "version: '2.0' # pin\n");
/// ```
pub fn set_scalar(text: &str, doc: usize, path: &[Seg], value: &Value) -> Result<String, Error> {
    let root = parse(text, doc)?;
    let chain = chain(&root, doc, path)?;
    let Some(node) = chain.last() else { return Err(Error::NoDocument { doc }) };
    let kind_err =
        |expected| Error::Kind { doc, path: path.to_vec(), line: node.span.start.line, expected };
    let style = match &node.kind {
        NodeKind::Scalar { style, .. } => *style,
        NodeKind::Alias { .. } => {
            return Err(Error::Alias { doc, path: path.to_vec(), line: node.span.start.line });
        }
        _ => return Err(kind_err("a scalar")),
    };
    let flow = in_flow(&chain[..chain.len().saturating_sub(1)]);
    let start = content_start(text, node);
    let mut end = node.span.end.index as usize;
    let mut new = encode_value(value, style, flow).ok_or_else(|| kind_err("set to a scalar"))?;
    if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
        // The block's span runs through its line breaks: keep them.
        let body = text.get(start..end).unwrap_or("");
        let trailing = body.len() - body.trim_end_matches(['\n', '\r']).len();
        end -= trailing;
        // A string leaves block style for a double-quoted scalar (other values are plain).
        if let Value::String(v) = value {
            new = double_quoted(v);
        }
    }
    if node.span.start.index == node.span.end.index && style == ScalarStyle::Plain {
        // An empty value (`key:`): a space before the new text.
        let before = text.as_bytes().get(start.wrapping_sub(1)).copied();
        if before == Some(b':') {
            new.insert(0, ' ');
        }
    }
    Ok(splice(text, start, end, &new))
}

/// The offset where text inserted after the node ending at `end` goes: the start of the
/// next line (or the end of the text).
fn line_after(text: &str, end: usize) -> usize {
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
        return end;
    }
    match text.get(end..).and_then(|r| r.find('\n')) {
        Some(i) => end + i + 1,
        None => text.len(),
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1)
}

/// The 0-based column (in bytes) of offset `at`.
fn column(text: &str, at: usize) -> usize {
    at - line_start(text, at)
}

/// Whether the document writes block sequences under a key at the key's own column
/// (`key:\n- a`, kustomize's style); `true` when no such sequence is found.
fn indentless_style(text: &str, node: &Node, depth: usize) -> Option<bool> {
    if depth > MAX_DEPTH {
        return None;
    }
    match &node.kind {
        NodeKind::Mapping { entries, .. } => {
            for (k, v) in entries {
                if let NodeKind::Sequence { items, style: CollectionStyle::Block } = &v.kind
                    && !items.is_empty()
                {
                    // A block sequence's span starts at its first dash.
                    let dash = v.span.start.index as usize;
                    return Some(column(text, dash) == column(text, k.span.start.index as usize));
                }
                if let Some(s) = indentless_style(text, v, depth + 1) {
                    return Some(s);
                }
            }
            None
        }
        NodeKind::Sequence { items, .. } => {
            items.iter().find_map(|i| indentless_style(text, i, depth + 1))
        }
        _ => None,
    }
}

/// Block text of `value` as the value of a key at `indent` (what follows `key:`).
fn block_value(value: &Value, indent: usize, indentless: bool, depth: usize) -> String {
    match value {
        Value::Map(m) if !m.is_empty() && depth < MAX_DEPTH => {
            let mut out = String::from("\n");
            out.push_str(&block_entries(value, indent + 2, indentless, depth + 1));
            out.trim_end_matches('\n').to_owned()
        }
        Value::Seq(s) if !s.is_empty() && depth < MAX_DEPTH => {
            let dash = if indentless { indent } else { indent + 2 };
            let mut out = String::from("\n");
            out.push_str(&block_items(s, dash, indentless, depth + 1));
            out.trim_end_matches('\n').to_owned()
        }
        Value::Map(_) => " {}".into(),
        Value::Seq(_) => " []".into(),
        v => format!(" {}", encode_value(v, ScalarStyle::Plain, false).unwrap_or_default()),
    }
}

/// `key: value` lines of a mapping at `indent`, each ending with a newline.
fn block_entries(value: &Value, indent: usize, indentless: bool, depth: usize) -> String {
    let mut out = String::new();
    if let Value::Map(m) = value {
        for (k, v) in m {
            out.push_str(&" ".repeat(indent));
            out.push_str(&encode_string(k, ScalarStyle::Plain, false));
            out.push(':');
            out.push_str(&block_value(v, indent, indentless, depth));
            out.push('\n');
        }
    }
    out
}

/// `- item` lines with the dash at `dash`, each ending with a newline.
fn block_items(items: &[Value], dash: usize, indentless: bool, depth: usize) -> String {
    let mut out = String::new();
    for item in items {
        out.push_str(&block_item(item, dash, indentless, depth));
    }
    out
}

fn block_item(item: &Value, dash: usize, indentless: bool, depth: usize) -> String {
    let pad = " ".repeat(dash);
    match item {
        Value::Map(m) if !m.is_empty() && depth < MAX_DEPTH => {
            let body = block_entries(item, dash + 2, indentless, depth + 1);
            // The first entry goes on the dash line.
            format!("{pad}- {}", body.get(dash + 2..).unwrap_or(""))
        }
        Value::Seq(s) if !s.is_empty() && depth < MAX_DEPTH => {
            let body = block_items(s, dash + 2, indentless, depth + 1);
            format!("{pad}- {}", body.get(dash + 2..).unwrap_or(""))
        }
        v => format!("{pad}-{}\n", block_value(v, dash, indentless, depth)),
    }
}

fn insert_at(text: &str, at: usize, block: &str) -> String {
    let mut block = block.to_owned();
    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        block.insert(0, '\n');
    }
    splice(text, at, at, &block)
}

/// Add `key: value` to the block mapping at `path` (after its last entry, at the column of
/// its first key). An empty value (`key:` with nothing after it) becomes a mapping.
///
/// ```
/// use gitops_core::yaml::Value;
/// use gitops_core::yaml::edit::{Seg, insert_key};
/// let out = insert_key("spec:\n  a: 1 # x\nkind: K\n", 0, &[Seg::key("spec")], "b", &Value::from("2")).unwrap();
/// assert_eq!(out, "spec:\n  a: 1 # x\n  b: \"2\"\nkind: K\n");
/// ```
pub fn insert_key(
    text: &str,
    doc: usize,
    path: &[Seg],
    key: &str,
    value: &Value,
) -> Result<String, Error> {
    let root = parse(text, doc)?;
    let indentless = indentless_style(text, &root, 0).unwrap_or(true);
    let chain = chain(&root, doc, path)?;
    let Some(node) = chain.last() else { return Err(Error::NoDocument { doc }) };
    let line = node.span.start.line;
    match &node.kind {
        NodeKind::Mapping { entries, style: CollectionStyle::Block } => {
            if let Some((k, _)) = entries.iter().find(|(k, _)| k.as_str() == Some(key)) {
                return Err(Error::KeyExists {
                    doc,
                    path: path.to_vec(),
                    key: key.to_owned(),
                    line: k.span.start.line,
                });
            }
            let Some(((first, _), (_, last))) = entries.first().zip(entries.last()) else {
                return Err(Error::Kind {
                    doc,
                    path: path.to_vec(),
                    line,
                    expected: "a block mapping",
                });
            };
            let indent = column(text, first.span.start.index as usize);
            let at = line_after(text, last.span.end.index as usize);
            let mut m = super::Mapping::new();
            m.insert(key.to_owned(), value.clone());
            let block = block_entries(&Value::Map(m), indent, indentless, 0);
            Ok(insert_at(text, at, &block))
        }
        NodeKind::Scalar { value: v, style: ScalarStyle::Plain }
            if v.is_empty() && node.span.start.index == node.span.end.index =>
        {
            let indent = parent_key_column(text, &chain).map_or(0, |c| c + 2);
            let mut m = super::Mapping::new();
            m.insert(key.to_owned(), value.clone());
            let block = block_entries(&Value::Map(m), indent, indentless, 0);
            let at = node.span.start.index as usize;
            let at = trim_back_spaces(text, at);
            Ok(splice(text, at, at, &format!("\n{}", block.trim_end_matches('\n'))))
        }
        _ => Err(Error::Kind { doc, path: path.to_vec(), line, expected: "a block mapping" }),
    }
}

fn trim_back_spaces(text: &str, mut at: usize) -> usize {
    while at > 0 && text.as_bytes().get(at - 1) == Some(&b' ') {
        at -= 1;
    }
    at
}

/// The column of the key whose value is the last node of `chain`.
fn parent_key_column(text: &str, chain: &[&Node]) -> Option<usize> {
    let [.., parent, node] = chain else { return None };
    if let NodeKind::Mapping { entries, .. } = &parent.kind {
        let (k, _) = entries.iter().find(|(_, v)| std::ptr::eq(v, *node))?;
        return Some(column(text, k.span.start.index as usize));
    }
    None
}

/// Append `value` to the block sequence at `path`, with the dash at the column of the
/// existing items. An empty value (`key:` with nothing after it) becomes a sequence in the
/// file's list style (indentless when the file writes lists so, or has none).
pub fn append_item(text: &str, doc: usize, path: &[Seg], value: &Value) -> Result<String, Error> {
    let root = parse(text, doc)?;
    let indentless = indentless_style(text, &root, 0).unwrap_or(true);
    let chain = chain(&root, doc, path)?;
    let Some(node) = chain.last() else { return Err(Error::NoDocument { doc }) };
    let line = node.span.start.line;
    match &node.kind {
        NodeKind::Sequence { items, style: CollectionStyle::Block } => {
            let Some(last) = items.last() else {
                return Err(Error::Kind {
                    doc,
                    path: path.to_vec(),
                    line,
                    expected: "a block sequence",
                });
            };
            // A block sequence's span starts at its first dash.
            let dash = column(text, node.span.start.index as usize);
            let at = line_after(text, last.span.end.index as usize);
            Ok(insert_at(text, at, &block_item(value, dash, indentless, 0)))
        }
        NodeKind::Scalar { value: v, style: ScalarStyle::Plain }
            if v.is_empty() && node.span.start.index == node.span.end.index =>
        {
            let key_col = parent_key_column(text, &chain).unwrap_or(0);
            let dash = if indentless { key_col } else { key_col + 2 };
            let block = block_item(value, dash, indentless, 0);
            let at = trim_back_spaces(text, node.span.start.index as usize);
            Ok(splice(text, at, at, &format!("\n{}", block.trim_end_matches('\n'))))
        }
        _ => Err(Error::Kind { doc, path: path.to_vec(), line, expected: "a block sequence" }),
    }
}

/// Remove `key` and its value from the block mapping at `path`: the whole lines from the
/// key to the end of its value (a comment on the value's last line goes with it). The first
/// key of a sequence item (`- name: x`) is removed up to the next key, which moves onto the
/// dash line.
///
/// ```
/// use gitops_core::yaml::edit::{Seg, remove_key};
/// let out = remove_key("a: 1\nb:\n  c: 2\nd: 3\n", 0, &[], "b").unwrap();
/// assert_eq!(out, "a: 1\nd: 3\n");
/// ```
pub fn remove_key(text: &str, doc: usize, path: &[Seg], key: &str) -> Result<String, Error> {
    let root = parse(text, doc)?;
    let chain = chain(&root, doc, path)?;
    let Some(node) = chain.last() else { return Err(Error::NoDocument { doc }) };
    let line = node.span.start.line;
    let NodeKind::Mapping { entries, style: CollectionStyle::Block } = &node.kind else {
        return Err(Error::Kind { doc, path: path.to_vec(), line, expected: "a block mapping" });
    };
    let mut not_found = path.to_vec();
    not_found.push(Seg::key(key));
    let Some(pos) = entries.iter().position(|(k, _)| k.as_str() == Some(key)) else {
        return Err(Error::NotFound { doc, path: not_found });
    };
    let Some((k, v)) = entries.get(pos) else {
        return Err(Error::NotFound { doc, path: not_found });
    };
    let kstart = k.span.start.index as usize;
    let ls = line_start(text, kstart);
    let only_spaces = text.get(ls..kstart).is_some_and(|p| p.bytes().all(|b| b == b' '));
    let vend = v.span.end.index.max(k.span.end.index) as usize;
    if only_spaces {
        if entries.len() == 1 {
            // The mapping would be empty: write it as `{}`.
            let end = line_after(text, vend);
            let end =
                if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') { end - 1 } else { end };
            return Ok(splice(text, kstart, end, "{}"));
        }
        return Ok(splice(text, ls, line_after(text, vend), ""));
    }
    // `- key: v` (or a flow-ish position): pull the next key onto this line.
    match entries.get(pos + 1) {
        Some((next, _)) => Ok(splice(text, kstart, next.span.start.index as usize, "")),
        None => {
            let end = line_after(text, vend);
            let end =
                if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') { end - 1 } else { end };
            Ok(splice(text, kstart, end, "{}"))
        }
    }
}

#[cfg(test)]
mod tests;
