//! Reading a resource file exactly as kustomize does (`kio.FromBytes` → `ByteReader.Read`).
//!
//! kyaml does not hand the whole file to its YAML parser. It:
//!
//! 1. replaces every `\r\n` with `\n`;
//! 2. splits the text at every match of the regular expression `\n---.*\n` (a line that
//!    starts with `---`; anything after the `---` other than white space and a `#` comment
//!    is the error "invalid document separator");
//! 3. gives a `\n` back to every piece but the last;
//! 4. decodes each piece with one go-yaml v3 `Decoder.Decode` call: only the first
//!    document of a piece is read (whatever follows a `...` in it is never parsed), a piece
//!    holding no document or an empty or null document is skipped.
//!
//! [`read_documents`] reproduces those steps with our parser in the
//! [`Dialect::GoYamlV3`] dialect. [`read_values`] adds what kustomize's later
//! `RNode.MarshalJSON` does to each document (it encodes the node with go-yaml v3 and
//! decodes the text again): the Kyaml resolution profile, and go-yaml v3's lossy round
//! trip of folded (`>`) block scalars.
//!
//! ```
//! use gitops_kustomize::reader::read_documents;
//! let docs = read_documents("r.yaml", "a: 1\n---\n\n---  # c\nb: 2\n...\nignored: [\n").unwrap();
//! assert_eq!(docs.len(), 2);
//! assert_eq!(docs[1].root.as_ref().unwrap().span.start.line, 5);
//! let err = read_documents("r.yaml", "a: 1\n--- b: 2\n").unwrap_err();
//! assert_eq!(err.to_string(), "r.yaml: invalid document separator: --- b: 2");
//! ```

use gitops_core::yaml::{
    Dialect, Document, Error as YamlError, Limits, Node, NodeKind, ParseOptions, Profile,
    ScalarStyle, Value, parse_events_with, parse_stream_with, parse_values_fast, resolve,
};

/// Why a resource file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// A line starting with `---` has other content after the marker.
    #[error("{file}: invalid document separator: {separator}")]
    Separator {
        /// The file.
        file: String,
        /// The separator line, trimmed.
        separator: String,
    },
    /// The YAML of one piece is malformed (go-yaml's `MalformedYAMLError`).
    #[error("{file}:{line}:{column}: MalformedYAMLError: {message}")]
    Malformed {
        /// The file.
        file: String,
        /// 1-based line in the file.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A document could not be resolved into a value (bad alias, limit, ...).
    #[error("{file}:{line}: {message}")]
    Resolve {
        /// The file.
        file: String,
        /// 1-based line in the file where the document starts.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Where the next `\n---` starts in `text` at or after `from` (a byte search for `\n`, then
/// a look at the next three bytes: cheaper than a substring search on long files).
fn find_separator(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        let rel = text.get(at..)?.find('\n')?;
        let nl = at + rel;
        if bytes.get(nl + 1..nl + 4) == Some(b"---") {
            return Some(nl);
        }
        at = nl + 1;
    }
}

/// The pieces of `text` as kyaml's `splitDocuments` cuts them (after `\r\n` → `\n`), each
/// with the 0-based line and byte offset where it starts in the normalised text. Every
/// piece but the last keeps the `\n` before its separator.
fn split_documents<'t>(
    file: &str,
    text: &'t str,
) -> Result<Vec<(usize, usize, &'t str)>, ReadError> {
    let mut out = Vec::new();
    if text.is_empty() {
        return Ok(out);
    }
    let mut prev = 0usize;
    let mut search = 0usize;
    let mut line = 0usize;
    let bytes = text.as_bytes();
    // Each match of `\n---.*\n`: a `\n`, `---`, anything but `\n`, then a `\n`.
    while let Some(at) = find_separator(text, search) {
        let after = at + 4;
        let Some(eol_rel) = text.get(after..).and_then(|t| t.find('\n')) else { break };
        let eol = after + eol_rel;
        let rest = text.get(after..eol).unwrap_or("").trim();
        if !rest.is_empty() && !rest.starts_with('#') {
            let sep = text.get(at..=eol).unwrap_or("").trim();
            return Err(ReadError::Separator { file: file.to_owned(), separator: sep.to_owned() });
        }
        // The piece and the `\n` that ends it (`text[at]` is that `\n`).
        out.push((line, prev, text.get(prev..=at).unwrap_or("")));
        line += bytes.get(prev..=eol).map_or(0, |s| s.iter().filter(|&&b| b == b'\n').count());
        prev = eol + 1;
        search = prev;
    }
    out.push((line, prev, text.get(prev..).unwrap_or("")));
    Ok(out)
}

fn go_options() -> ParseOptions {
    ParseOptions { limits: Limits::default(), dialect: Dialect::GoYamlV3 }
}

fn malformed(file: &str, line0: usize, e: &YamlError) -> ReadError {
    let (line, column, message) = match e {
        YamlError::Syntax { mark, message } => (mark.line, mark.column, message.clone()),
        YamlError::Limit { mark, .. } => (mark.line, mark.column, e.to_string()),
        other => (1, 1, other.to_string()),
    };
    ReadError::Malformed {
        file: file.to_owned(),
        line: line0 + line as usize,
        column: column as usize,
        message,
    }
}

/// The first document of `piece`, as one go-yaml `Decoder.Decode` call reads it.
fn first_document(piece: &str) -> Result<Option<Document>, YamlError> {
    let options = go_options();
    match parse_stream_with(piece, &options) {
        Ok(mut docs) if docs.len() <= 1 => return Ok(docs.pop()),
        Ok(_) | Err(_) => {}
    }
    // More than one document, or an error that may lie past the first one: find where the
    // first document ends and read only that far.
    let events = match parse_events_with(piece, &options) {
        Ok(ev) => ev,
        Err(e) => {
            // An error: it counts only if the first document is not complete before it.
            let end = first_document_end_before_error(piece, &options);
            return match end {
                Some(end) => parse_stream_with(piece.get(..end).unwrap_or(""), &options)
                    .map(|mut d| if d.is_empty() { None } else { Some(d.swap_remove(0)) }),
                None => Err(e),
            };
        }
    };
    let end = events.iter().find_map(|ev| match ev {
        gitops_core::yaml::Event::DocumentEnd { span, .. } => Some(span.end.index as usize),
        _ => None,
    });
    let text = end.and_then(|e| piece.get(..e)).unwrap_or(piece);
    parse_stream_with(text, &options)
        .map(|mut d| if d.is_empty() { None } else { Some(d.swap_remove(0)) })
}

/// Where the first document ends, when the event stream reaches its end before failing.
fn first_document_end_before_error(piece: &str, options: &ParseOptions) -> Option<usize> {
    // Parse ever longer prefixes is costly; instead cut at each `...`/`---` line start and
    // check whether the prefix up to it parses to exactly one complete document.
    let mut at = 0usize;
    while let Some(rel) = piece.get(at..).and_then(|t| t.find("\n...").or(t.find("\n---"))) {
        let cut = at + rel + 1;
        let line_end = piece.get(cut..).and_then(|t| t.find('\n')).map_or(piece.len(), |e| cut + e);
        let is_end = piece.get(cut..cut + 3) == Some("...");
        let prefix_end = if is_end { line_end } else { cut };
        if let Some(prefix) = piece.get(..prefix_end)
            && let Ok(docs) = parse_stream_with(prefix, options)
            && docs.len() == 1
            && (is_end || docs.first().is_some_and(|d| d.root.is_some()))
        {
            return Some(prefix_end);
        }
        at = cut;
    }
    None
}

/// Move a node's spans from piece-relative to file-relative positions.
fn shift_node(node: &mut Node, lines: usize, bytes: usize) {
    for m in [&mut node.span.start, &mut node.span.end] {
        // Files are bounded below 4 GiB by `Limits` (checked before parsing), so the sums fit.
        m.line = m.line.saturating_add(u32::try_from(lines).unwrap_or(u32::MAX));
        m.index = m.index.saturating_add(u32::try_from(bytes).unwrap_or(u32::MAX));
    }
    match &mut node.kind {
        NodeKind::Sequence { items, .. } => {
            items.iter_mut().for_each(|n| shift_node(n, lines, bytes));
        }
        NodeKind::Mapping { entries, .. } => entries.iter_mut().for_each(|(k, v)| {
            shift_node(k, lines, bytes);
            shift_node(v, lines, bytes);
        }),
        NodeKind::Scalar { .. } | NodeKind::Alias { .. } => {}
    }
}

fn is_empty_document(doc: &Document) -> bool {
    match &doc.root {
        None => true,
        Some(n) => matches!(&n.kind, NodeKind::Scalar { value, style: ScalarStyle::Plain }
            if n.tag().is_none() && n.anchor().is_none() && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL")),
    }
}

/// Read a resource file's text into its documents as kustomize does (see the module
/// documentation): empty and null documents are left out; positions are those of the file
/// (byte indexes count in the text after `\r\n` → `\n`).
pub fn read_documents(file: &str, text: &str) -> Result<Vec<Document>, ReadError> {
    let normalised: std::borrow::Cow<'_, str> =
        if text.contains('\r') { text.replace("\r\n", "\n").into() } else { text.into() };
    let mut out = Vec::new();
    for (line0, byte0, piece) in split_documents(file, &normalised)? {
        if let Some(doc) = read_piece(file, line0, byte0, piece)? {
            out.push(doc);
        }
    }
    Ok(out)
}

/// The first document of one piece, with file positions; `None` when it is empty or null.
fn read_piece(
    file: &str,
    line0: usize,
    byte0: usize,
    piece: &str,
) -> Result<Option<Document>, ReadError> {
    let doc = first_document(piece).map_err(|e| malformed(file, line0, &e))?;
    let Some(mut doc) = doc else { return Ok(None) };
    if is_empty_document(&doc) {
        return Ok(None);
    }
    for m in [&mut doc.span.start, &mut doc.span.end] {
        m.line = m.line.saturating_add(u32::try_from(line0).unwrap_or(u32::MAX));
        m.index = m.index.saturating_add(u32::try_from(byte0).unwrap_or(u32::MAX));
    }
    if let Some(root) = &mut doc.root {
        shift_node(root, line0, byte0);
    }
    for c in &mut doc.comments {
        for m in [&mut c.span.start, &mut c.span.end] {
            m.line = m.line.saturating_add(u32::try_from(line0).unwrap_or(u32::MAX));
            m.index = m.index.saturating_add(u32::try_from(byte0).unwrap_or(u32::MAX));
        }
    }
    Ok(Some(doc))
}

/// Whether go-yaml v3's emitter writes `value` as a block scalar when asked to (its
/// `block_allowed`): not empty, no trailing space, no space before a line break, only
/// printable characters (to go-yaml: no NUL..US but `\n` and tab, no DEL..U+009F, no
/// surrogates, no U+FEFF, U+FFFE, U+FFFF, and nothing past U+FFFF).
fn v3_block_allowed(value: &str) -> bool {
    if value.is_empty() || value.ends_with(' ') || value.contains(" \n") {
        return false;
    }
    value.chars().all(|c| {
        matches!(c, '\n' | '\t' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            && c != '\u{feff}'
    })
}

/// go-yaml v3's text for a folded scalar, at the root with two-space indentation. Its
/// emitter has a known slip: before deciding whether a line break needs an extra break to
/// survive folding it looks at the start of the value instead of the next line, so the
/// text does not always read back as the same value.
fn v3_folded_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 16);
    out.push_str("--- >");
    if value.starts_with([' ', '\n']) {
        out.push('2');
    }
    let b = value.as_bytes();
    let n = b.len();
    let ends_break = b.last() == Some(&b'\n');
    if !ends_break {
        out.push('-');
    } else if n == 1 || b.get(n.wrapping_sub(2)) == Some(&b'\n') {
        out.push('+');
    }
    out.push('\n');
    let first_blankz = !value.trim_start_matches('\n').starts_with(|c: char| c != ' ' && c != '\t');
    let mut breaks = true;
    let mut leading_spaces = true;
    for c in value.chars() {
        if c == '\n' {
            if !breaks && !leading_spaces && !first_blankz {
                out.push('\n');
            }
            out.push('\n');
            breaks = true;
        } else {
            if breaks {
                out.push_str("  ");
                leading_spaces = c == ' ' || c == '\t';
            }
            out.push(c);
            breaks = false;
        }
    }
    out
}

/// What kyaml's `RNode.MarshalJSON` makes of a folded scalar's value: go-yaml v3 encodes it
/// (as a folded block scalar when it may) and decodes the text again.
///
/// ```
/// use gitops_kustomize::reader::v3_folded_roundtrip;
/// assert_eq!(v3_folded_roundtrip("folded text\n\n"), "folded text\n\n\n");
/// assert_eq!(v3_folded_roundtrip("a b\n"), "a b\n");
/// ```
pub fn v3_folded_roundtrip(value: &str) -> String {
    if !v3_block_allowed(value) {
        return value.to_owned();
    }
    let text = v3_folded_text(value);
    match parse_stream_with(&text, &go_options()) {
        Ok(docs) => match docs.first().and_then(|d| d.root.as_ref()).and_then(Node::as_str) {
            Some(s) => s.to_owned(),
            None => value.to_owned(),
        },
        Err(_) => value.to_owned(),
    }
}

/// kyaml's `DeAnchor` (run by `kio.FromBytes`) clears the first key named `<<` from every
/// mapping once it has taken the merge sources. A `<<` that is not a merge key (quoted, or
/// tagged `!!str`) is thus dropped with its value; a real merge key is left to the
/// resolver, which merges as kyaml does.
fn drop_non_merge_keys(node: &mut Node) {
    match &mut node.kind {
        NodeKind::Sequence { items, .. } => items.iter_mut().for_each(drop_non_merge_keys),
        NodeKind::Mapping { entries, .. } => {
            if let Some(i) = entries.iter().position(|(k, _)| k.as_str() == Some("<<")) {
                let key = entries.get(i).map(|(k, _)| k);
                let is_merge = key.is_some_and(|k| match (&k.kind, k.tag()) {
                    (_, Some(t)) => t == "tag:yaml.org,2002:merge" || t == "!!merge",
                    (NodeKind::Scalar { style, .. }, None) => *style == ScalarStyle::Plain,
                    _ => false,
                });
                if !is_merge {
                    entries.remove(i);
                }
            }
            entries.iter_mut().for_each(|(k, v)| {
                drop_non_merge_keys(k);
                drop_non_merge_keys(v);
            });
        }
        NodeKind::Scalar { .. } | NodeKind::Alias { .. } => {}
    }
}

fn reencode_folded(node: &mut Node, is_key: bool) {
    match &mut node.kind {
        NodeKind::Scalar { value, style: ScalarStyle::Folded } if !is_key => {
            *value = v3_folded_roundtrip(value);
        }
        NodeKind::Sequence { items, .. } => {
            items.iter_mut().for_each(|n| reencode_folded(n, false))
        }
        NodeKind::Mapping { entries, .. } => entries.iter_mut().for_each(|(k, v)| {
            reencode_folded(k, true);
            reencode_folded(v, false);
        }),
        _ => {}
    }
}

/// Whether kustomize's later handling of `value` looks at its source text (see
/// `build::from_source`): a `*List` (its items are read on their own), a `metadata.name`
/// that is not a string, or an annotation value that is not a string.
fn needs_source_text(value: &Value) -> bool {
    let Some(m) = value.as_map() else { return false };
    if m.get("kind").and_then(Value::as_str).is_some_and(|k| k.ends_with("List")) {
        return true;
    }
    let Some(meta) = m.get("metadata").and_then(Value::as_map) else { return false };
    let scalar_not_string =
        |v: &Value| matches!(v, Value::Bool(_) | Value::Int(_) | Value::Uint(_) | Value::Float(_));
    if meta.get("name").is_some_and(scalar_not_string) {
        return true;
    }
    meta.get("annotations")
        .and_then(Value::as_map)
        .is_some_and(|a| a.values().any(|v| !matches!(v, Value::String(_))))
}

/// The value of `piece` read without building nodes, when that gives exactly what the node
/// path would: at most one document, nothing for `DeAnchor` or the folded round trip to
/// change, and nothing the caller needs source text for. `Some(None)`: the piece holds no
/// document or an empty one.
fn fast_piece(piece: &str) -> Option<Option<Value>> {
    let mut values = parse_values_fast(piece, Profile::Kyaml, &go_options(), true)?;
    if values.len() > 1 {
        return None;
    }
    match values.pop() {
        None | Some(Value::Null) => Some(None),
        Some(v) if needs_source_text(&v) => None,
        Some(v) => Some(Some(v)),
    }
}

/// Read a resource file as [`read_documents`] does, and give each document with the value
/// kustomize holds for it: kyaml's `DeAnchor` (a `<<` key that is not a merge key is
/// dropped), then what `RNode.MarshalJSON` makes of it (the Kyaml profile, and go-yaml v3's
/// round trip of folded scalars). Both changes show in the returned nodes too.
///
/// A document whose value needs none of that, and whose source text matters nowhere later
/// (no `*List`, a string `metadata.name`, string annotations), is read straight into its
/// value and comes without nodes (`None`).
///
/// ```
/// use gitops_core::yaml::Value;
/// use gitops_kustomize::reader::read_values;
/// let docs = read_values("r.yaml", "a: >+\n  x\n\nb: 1\n").unwrap();
/// assert_eq!(docs[0].1.get("a"), Some(&Value::String("x\n\n\n".into())));
/// assert!(docs[0].0.is_some());
/// let docs = read_values("r.yaml", "a: 1\n---\nb: 2\n").unwrap();
/// assert!(docs[1].0.is_none());
/// ```
pub fn read_values(file: &str, text: &str) -> Result<Vec<(Option<Document>, Value)>, ReadError> {
    let (_, docs) = read_ranged(file, text)?;
    Ok(docs.into_iter().map(|(doc, value, _)| (doc, value)).collect())
}

/// A document read by [`read_ranged`]: its nodes (see [`read_values`]), its value, and its
/// byte range in the normalised text.
pub(crate) type RangedDocument = (Option<Document>, Value, std::ops::Range<usize>);

/// [`read_values`], with the text the documents were read from (`\r\n` normalised to
/// `\n`) and each document's byte range in it.
pub(crate) fn read_ranged<'t>(
    file: &str,
    text: &'t str,
) -> Result<(std::borrow::Cow<'t, str>, Vec<RangedDocument>), ReadError> {
    let normalised: std::borrow::Cow<'_, str> =
        if text.contains('\r') { text.replace("\r\n", "\n").into() } else { text.into() };
    let limits = Limits::default();
    let mut out = Vec::new();
    for (line0, byte0, piece) in split_documents(file, &normalised)? {
        let range = byte0..byte0 + piece.len();
        match fast_piece(piece) {
            Some(Some(value)) => {
                out.push((None, value, range));
                continue;
            }
            Some(None) => continue,
            None => {}
        }
        let Some(mut doc) = read_piece(file, line0, byte0, piece)? else { continue };
        if let Some(root) = &mut doc.root {
            drop_non_merge_keys(root);
            reencode_folded(root, false);
        }
        let value = resolve(&doc, Profile::Kyaml, &limits).map_err(|e| ReadError::Resolve {
            file: file.to_owned(),
            line: doc.span.start.line as usize,
            message: e.to_string(),
        })?;
        out.push((Some(doc), value, range));
    }
    Ok((normalised, out))
}

/// The style and text of the scalar at `path` in the YAML document `source` (as
/// [`read_values`] reads it), if there is one there: mapping keys, and sequence indexes
/// where the path meets a sequence.
pub(crate) fn scalar_at(source: &str, path: &[&str]) -> Option<(ScalarStyle, String)> {
    let doc = first_document(source).ok()??;
    let mut node = doc.root?;
    for key in path {
        node = match node.kind {
            NodeKind::Mapping { entries, .. } => {
                entries.into_iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v)?
            }
            NodeKind::Sequence { items, .. } => {
                items.into_iter().nth(key.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    match node.kind {
        NodeKind::Scalar { value, style } => Some((style, value)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_as_kyaml() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("a: 1\n", &["a: 1\n"]),
            ("a: 1\n---\nb: 2\n", &["a: 1\n", "b: 2\n"]),
            ("---\na: 1\n", &["---\na: 1\n"]),
            ("a: 1\n---\n---\nb: 2", &["a: 1\n", "---\nb: 2"]),
            ("a: 1\n--- # c\nb: 2\n---", &["a: 1\n", "b: 2\n---"]),
        ];
        for (input, want) in cases {
            let got: Vec<&str> =
                split_documents("f", input).unwrap().into_iter().map(|(_, _, p)| p).collect();
            assert_eq!(&got, want, "{input:?}");
        }
        assert!(split_documents("f", "a\n--- x\n").is_err());
        assert!(split_documents("f", "a\n----\nb").is_err());
    }

    #[test]
    fn reads_documents() {
        let cases: &[(&str, Result<usize, &str>)] = &[
            ("a: 1\n---\nb: 2\n", Ok(2)),
            ("# only a comment\n---\n\n---\nnull\n---\n~\n", Ok(0)),
            ("a: 1\n...\n[unclosed\n", Ok(1)),
            ("%YAML 1.2\n---\na: 1\n", Err("r.yaml:1:1: MalformedYAMLError")),
            ("%YAML 1.1\n---\na: 1\n", Err("r.yaml:2:1: MalformedYAMLError")),
            ("a: \"\\/\"\n", Err("r.yaml:1:5: MalformedYAMLError")),
            ("x: 1\n---\na:\n  v: 1\n   \n\t\n", Err("r.yaml:4:6: MalformedYAMLError")),
            ("a: 1\r\n---\r\nb: 2\r\n", Ok(2)),
        ];
        for (input, want) in cases {
            let got = read_documents("r.yaml", input);
            match (want, &got) {
                (Ok(n), Ok(d)) => assert_eq!(d.len(), *n, "{input:?}"),
                (Err(prefix), Err(e)) => {
                    assert!(e.to_string().starts_with(prefix), "{input:?}: {e}")
                }
                _ => panic!("{input:?}: got {got:?}"),
            }
        }
    }

    #[test]
    fn fast_and_node_paths_agree() {
        // Each input once through `read_values` (which takes the fast path where it may) and
        // once through the node path alone.
        let cases: &[(&str, bool)] = &[
            ("a: 1\nb: [x, 'y', 2.5]\nc: {d: true}\n", true),
            ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: |\n    t\n", true),
            ("kind: X\nmetadata:\n  name: 0x10\n", false),
            ("kind: X\nmetadata:\n  name: a\n  annotations:\n    n: 1\n", false),
            ("kind: ConfigMapList\nitems: []\n", false),
            ("a: >\n  folded\n", false),
            ("a: &x 1\nb: *x\n", false),
            ("a:\n  '<<': {x: 1}\n", false),
            ("a: 1\n...\nb: [\n", false),
            ("# comment only\n", true),
            ("~\n", true),
            ("a: 2001-12-14\nb: on\nc: 0o17\n", true),
        ];
        for (input, fast) in cases {
            let got = read_values("r.yaml", input).unwrap();
            let want: Vec<Value> = read_documents("r.yaml", input)
                .unwrap()
                .into_iter()
                .map(|mut d| {
                    if let Some(root) = &mut d.root {
                        drop_non_merge_keys(root);
                        reencode_folded(root, false);
                    }
                    resolve(&d, Profile::Kyaml, &Limits::default()).unwrap()
                })
                .collect();
            let values: Vec<&Value> = got.iter().map(|(_, v)| v).collect();
            assert_eq!(values, want.iter().collect::<Vec<_>>(), "{input:?}");
            let all_fast = got.iter().all(|(d, _)| d.is_none());
            assert_eq!(all_fast, *fast, "{input:?}");
        }
    }

    #[test]
    fn drops_quoted_merge_key_as_deanchor() {
        let text = "a: &a {x: 1}\nb:\n  '<<': *a\n  y: 2\nc:\n  <<: *a\n  y: 2\n";
        let docs = read_values("r.yaml", text).unwrap();
        let v = &docs[0].1;
        assert_eq!(v.get("b").and_then(|b| b.as_map()).map(|m| m.len()), Some(1));
        assert_eq!(v.get("c").and_then(|b| b.as_map()).map(|m| m.len()), Some(2));
    }

    #[test]
    fn folded_roundtrip_as_go_yaml_v3() {
        // Values checked against go-yaml v3 (kyaml's RNode.MarshalJSON).
        let cases = [
            ("folded text\n\n", "folded text\n\n\n"),
            ("normal\n  indented\nnormal\n", "normal\n\n  indented\nnormal\n"),
            ("x\n\n y\n\nz\n", "x\n\n\n y\n\nz\n"),
            ("x\n", "x\n"),
            ("x y\n", "x y\n"),
            ("x\n\n\n", "x\n\n\n\n"),
            ("", ""),
        ];
        for (value, want) in cases {
            assert_eq!(v3_folded_roundtrip(value), want, "{value:?}");
        }
    }
}
