//! Image setters: rewrite the values marked `# {"$imagepolicy": "ns:name[:tag|:name|:digest]"}`
//! with the latest image of each policy, as image-automation-controller's Setters
//! strategy does — but changing only the bytes of the marked values.
//!
//! **Markers.** A comment is a marker when, with its leading `#`s removed, it decodes as
//! a JSON object of strings with a `$imagepolicy` key (or the long form
//! `{"$ref": "#/definitions/io.k8s.cli.setters.<name>"}`). It marks a scalar *value*
//! (mapping value, sequence item or document root — never a key) when it is the value's
//! line comment (only blanks between the value and `#`), or its head comment (a
//! single full-line comment directly above a value that begins its line, as go-yaml v3
//! attaches it to a sequence item). Text inside block scalars is content, not comment.
//! Unknown setter names are skipped; a marker naming a policy that was not supplied
//! (or is in another namespace than the automation's) is reported as a [`Warning`], or
//! an error with [`Options::strict`].
//!
//! **Setter values** per policy `ns:name` with latest ref `{name, tag, digest}`:
//! `ns:name` → `name:tag[@digest]`, `ns:name:tag` → `tag`, `ns:name:name` → `name`,
//! `ns:name:digest` → `digest` (empty when there is none).
//!
//! **Writing.** Only the marked value's bytes change, in its own quoting style; a plain
//! value whose new text would read as a non-string (YAML 1.1: `5.1`, `true`, `123`, `~`)
//! or the empty string becomes double-quoted, as Flux does; a plain value that cannot
//! stay plain (`a #b`) is single-quoted, as go-yaml v3 would. Unlike Flux, the rest of the
//! file is never re-serialised, and a marked value whose text does not change is left
//! exactly as written.
//!
//! ```
//! use gitops_core::image::setters::{ImageRef, Setters, set_text};
//! let mut policies = indexmap::IndexMap::new();
//! policies.insert("flux-system:app".to_string(), ImageRef::parse("ghcr.io/org/app:v1.2.4").unwrap());
//! let setters = Setters::new(&policies, None).unwrap();
//! let text = "spec:\n  image: ghcr.io/org/app:v1.2.3 # {\"$imagepolicy\": \"flux-system:app\"}\n";
//! let edit = set_text(text, &setters).unwrap();
//! assert_eq!(edit.text.unwrap(), "spec:\n  image: ghcr.io/org/app:v1.2.4 # {\"$imagepolicy\": \"flux-system:app\"}\n");
//! assert_eq!(edit.changes[0].old_value, "ghcr.io/org/app:v1.2.3");
//! ```

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::yaml::{
    self, Comment, Dialect, Document, Limits, Node, NodeKind, ParseOptions, ScalarStyle,
};

/// The marker key.
pub const SETTER_SHORTHAND: &str = "$imagepolicy";
/// The token a file must contain to be read (with the quotes).
pub const TOKEN: &str = "\"$imagepolicy\"";
const REF_PREFIX: &str = "#/definitions/io.k8s.cli.setters.";

/// Why setting failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A policy's latest ref is not a valid image reference.
    #[error("encountered invalid image ref {}: {reason}", super::semver::go_quote(.image))]
    InvalidImageRef {
        /// The reference, `name:tag[@digest]`.
        image: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A policy key is not `namespace:name`.
    #[error("invalid policy key {key:?}: expected namespace:name")]
    InvalidPolicyKey {
        /// The key.
        key: String,
    },
    /// Strict mode: a marker names a policy that was not supplied.
    #[error("{file}:{line}:{column}: marker names unknown setter {setter:?}")]
    MissingPolicy {
        /// The file (relative to the root), or `-` for text.
        file: String,
        /// 1-based line of the marked value.
        line: u32,
        /// 1-based column of the marked value.
        column: u32,
        /// The setter name in the marker.
        setter: String,
    },
    /// Reading, walking or writing files.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// A policy's latest image: `status.latestRef`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The image name (repository), without tag.
    pub name: String,
    /// The tag.
    pub tag: String,
    /// The digest (`sha256:…`), when reflected.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parse `name:tag[@digest]` (the tag is after the last `:` following the last `/`).
    pub fn parse(text: &str) -> Option<ImageRef> {
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (text, None),
        };
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        let colon = rest[slash..].rfind(':')? + slash;
        Some(ImageRef {
            name: rest[..colon].to_string(),
            tag: rest[colon + 1..].to_string(),
            digest,
        })
    }

    /// `LatestRef.String()`: `name:tag`, plus `@digest` when there is one.
    pub fn reference(&self) -> String {
        match &self.digest {
            Some(d) if !d.is_empty() => format!("{}:{}@{}", self.name, self.tag, d),
            _ => format!("{}:{}", self.name, self.tag),
        }
    }
}

/// Weak validation of `name:tag[@digest]`, close to go-containerregistry's
/// `name.ParseReference(s, name.WeakValidation)`.
fn validate_reference(r: &ImageRef) -> Result<(), String> {
    if r.name.is_empty() {
        return Err("repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: ".into());
    }
    let mut parts: Vec<&str> = r.name.split('/').collect();
    if parts.len() > 1 {
        let first = parts[0];
        if first.contains('.') || first.contains(':') || first == "localhost" {
            parts.remove(0);
        }
    }
    let repo = parts.join("/");
    let ok_repo = !repo.is_empty()
        && repo.split('/').all(|c| {
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-.".contains(&b))
        });
    if !ok_repo {
        return Err(format!(
            "repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: {repo}"
        ));
    }
    let tag_ok = !r.tag.is_empty()
        && r.tag.len() <= 128
        && r.tag.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    if !tag_ok {
        return Err(format!(
            "tag can only contain the characters `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.`: {}",
            r.tag
        ));
    }
    if let Some(d) = r.digest.as_deref().filter(|d| !d.is_empty()) {
        let hex_ok = d.strip_prefix("sha256:").is_some_and(|h| {
            h.len() == 64 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        if !hex_ok {
            return Err(format!("digest must be sha256:<64 hex>: {d}"));
        }
    }
    Ok(())
}

/// One setter: its replacement value and the policy it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setter {
    /// The value written into marked fields.
    pub value: String,
    /// The policy, `namespace:name`.
    pub policy: String,
}

/// The setters generated from a set of policies (four per policy).
#[derive(Debug, Clone, Default)]
pub struct Setters {
    map: IndexMap<String, Setter>,
}

impl Setters {
    /// Build the setters for `policies` (`namespace:name` → latest ref). With
    /// `namespace`, only that namespace's policies are used, as the automation only
    /// considers policies in its own namespace.
    pub fn new<'a, K, I>(policies: I, namespace: Option<&str>) -> Result<Setters, Error>
    where
        K: AsRef<str>,
        I: IntoIterator<Item = (K, &'a ImageRef)>,
    {
        let mut map = IndexMap::new();
        for (key, r) in policies {
            let key = key.as_ref();
            let Some((ns, name)) = key
                .split_once(':')
                .filter(|(n, m)| !n.is_empty() && !m.is_empty() && !m.contains(':'))
            else {
                return Err(Error::InvalidPolicyKey { key: key.to_string() });
            };
            if namespace.is_some_and(|n| n != ns) {
                continue;
            }
            let image = r.reference();
            validate_reference(r)
                .map_err(|reason| Error::InvalidImageRef { image: image.clone(), reason })?;
            let base = format!("{ns}:{name}");
            let policy = base.clone();
            let mut add = |suffix: &str, value: String| {
                map.insert(format!("{base}{suffix}"), Setter { value, policy: policy.clone() });
            };
            add("", image);
            add(":tag", r.tag.clone());
            add(":name", r.name.clone());
            add(":digest", r.digest.clone().unwrap_or_default());
        }
        Ok(Setters { map })
    }

    /// The setter of that name.
    pub fn get(&self, name: &str) -> Option<&Setter> {
        self.map.get(name)
    }

    /// Number of setters.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// The object a change was made in (Flux's `ObjectIdentifier`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ObjectId {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
}

impl std::fmt::Display for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let group = self.api_version.rsplit_once('/').map_or("", |(g, _)| g);
        if self.namespace.is_empty() {
            write!(f, "{}/{}/{}", group, self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}/{}", group, self.kind, self.namespace, self.name)
        }
    }
}

/// One value changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The object (document) it is in.
    pub object: ObjectId,
    /// The value before (decoded scalar text).
    pub old_value: String,
    /// The value after.
    pub new_value: String,
    /// The setter that set it (`ns:name[:tag|:name|:digest]`).
    pub setter: String,
    /// 1-based line of the value.
    pub line: u32,
    /// 1-based column of the value.
    pub column: u32,
}

/// A marker that named no known setter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file (relative to the root), or `-` for text.
    pub file: String,
    /// 1-based line of the marked value.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The setter name in the marker.
    pub setter: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: no policy for setter {:?}",
            self.file, self.line, self.column, self.setter
        )
    }
}

/// The result of setting one text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Edit {
    /// The new text, when at least one value changed.
    pub text: Option<String>,
    /// The changes, in source order.
    pub changes: Vec<Change>,
    /// Markers that named unknown setters (with `file` = `-`).
    pub warnings: Vec<Warning>,
}

/// Set the marked values of one YAML text. `Err` only when the text does not parse.
pub fn set_text(text: &str, setters: &Setters) -> Result<Edit, yaml::Error> {
    let options = ParseOptions { limits: Limits::default(), dialect: Dialect::GoYamlV3 };
    let docs = yaml::parse_stream_with(text, &options)?;
    let mut found = Vec::new();
    for doc in &docs {
        let Some(root) = &doc.root else { continue };
        let object = object_id(root);
        let mut ctx = Walk { text, doc, found: &mut found, object: &object };
        ctx.visit(root, false, 0);
    }
    let mut edit = Edit::default();
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    for m in found {
        let Some(setter) = setters.get(&m.setter) else {
            edit.warnings.push(Warning {
                file: "-".into(),
                line: m.line,
                column: m.column,
                setter: m.setter,
            });
            continue;
        };
        if setter.value == m.old {
            continue;
        }
        replacements.push((m.start, m.end, encode(&setter.value, m.style, m.flow)));
        edit.changes.push(Change {
            object: m.object,
            old_value: m.old,
            new_value: setter.value.clone(),
            setter: m.setter,
            line: m.line,
            column: m.column,
        });
    }
    if !replacements.is_empty() {
        replacements.sort_by_key(|r| r.0);
        let mut out = String::with_capacity(text.len() + 64);
        let mut pos = 0;
        for (start, end, new) in replacements {
            if start < pos || end > text.len() {
                continue;
            }
            out.push_str(text.get(pos..start).unwrap_or_default());
            out.push_str(&new);
            pos = end;
        }
        out.push_str(text.get(pos..).unwrap_or_default());
        edit.text = Some(out);
    }
    Ok(edit)
}

struct Found {
    start: usize,
    end: usize,
    style: ScalarStyle,
    flow: bool,
    old: String,
    setter: String,
    object: ObjectId,
    line: u32,
    column: u32,
}

struct Walk<'a, 'b> {
    text: &'a str,
    doc: &'a Document,
    found: &'b mut Vec<Found>,
    object: &'b ObjectId,
}

const MAX_DEPTH: usize = 512;

impl Walk<'_, '_> {
    fn visit(&mut self, node: &Node, flow: bool, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match &node.kind {
            NodeKind::Scalar { value, style } => {
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    return;
                }
                if let Some(setter) = self.marker(node) {
                    self.found.push(Found {
                        start: yaml::edit::content_start(self.text, node),
                        end: node.span.end.index as usize,
                        style: *style,
                        flow,
                        old: value.clone(),
                        setter,
                        object: self.object.clone(),
                        line: node.span.start.line,
                        column: node.span.start.column,
                    });
                }
            }
            NodeKind::Sequence { items, style } => {
                let flow = flow || matches!(style, yaml::CollectionStyle::Flow);
                for item in items {
                    self.visit(item, flow, depth + 1);
                }
            }
            NodeKind::Mapping { entries, style } => {
                let flow = flow || matches!(style, yaml::CollectionStyle::Flow);
                for (_, v) in entries {
                    self.visit(v, flow, depth + 1);
                }
            }
            NodeKind::Alias { .. } => {}
        }
    }

    /// The setter named by the node's line comment, else its head comment.
    fn marker(&self, node: &Node) -> Option<String> {
        let comments = &self.doc.comments;
        let end = node.span.end.index as usize;
        let i = comments.partition_point(|c| (c.span.start.index as usize) < end);
        if let Some(c) = comments.get(i)
            && self
                .text
                .get(end..c.span.start.index as usize)
                .is_some_and(|gap| gap.bytes().all(|b| b == b' ' || b == b'\t'))
            && let Some(name) = setter_name(&c.text)
        {
            return Some(name);
        }
        self.head_comment(node, i).and_then(|c| setter_name(&c.text))
    }

    /// The single full-line comment directly above a node that begins its line.
    fn head_comment(&self, node: &Node, _after: usize) -> Option<&Comment> {
        let start = node.span.start.index as usize;
        let line_start = self.text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
        let prefix = self.text.get(line_start..start)?;
        if !prefix.bytes().all(|b| matches!(b, b' ' | b'\t' | b'-')) {
            return None;
        }
        let comments = &self.doc.comments;
        let i = comments.partition_point(|c| (c.span.start.index as usize) < line_start);
        let c = comments.get(i.checked_sub(1)?)?;
        // It must end on the line just above and stand alone on its line.
        if c.span.start.line + 1 != node.span.start.line {
            return None;
        }
        let c_line_start =
            self.text.get(..c.span.start.index as usize)?.rfind('\n').map_or(0, |i| i + 1);
        let before = self.text.get(c_line_start..c.span.start.index as usize)?;
        if !before.bytes().all(|b| b == b' ' || b == b'\t') {
            return None;
        }
        // A comment directly above that one makes a multi-line head comment, which
        // does not decode as JSON.
        if let Some(prev) = i.checked_sub(2).and_then(|j| comments.get(j))
            && prev.span.start.line + 1 == c.span.start.line
        {
            let p_line_start =
                self.text.get(..prev.span.start.index as usize)?.rfind('\n').map_or(0, |i| i + 1);
            if self
                .text
                .get(p_line_start..prev.span.start.index as usize)?
                .bytes()
                .all(|b| b == b' ' || b == b'\t')
            {
                return None;
            }
        }
        Some(c)
    }
}

/// The setter name a comment's text (after `#`) names, if it is a marker.
pub fn setter_name(comment: &str) -> Option<String> {
    let json = comment.trim_start_matches('#');
    if !json.contains('{') {
        return None;
    }
    let map: std::collections::BTreeMap<String, String> = serde_json::from_str(json).ok()?;
    if let Some(name) = map.get(SETTER_SHORTHAND).filter(|n| !n.is_empty()) {
        return Some(name.clone());
    }
    map.get("$ref").and_then(|r| r.strip_prefix(REF_PREFIX)).map(str::to_string)
}

fn object_id(root: &Node) -> ObjectId {
    let get = |n: &Node, key: &str| -> Option<Node> {
        match &n.kind {
            NodeKind::Mapping { entries, .. } => {
                entries.iter().rev().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v.clone())
            }
            _ => None,
        }
    };
    let s = |n: Option<Node>| n.and_then(|n| n.as_str().map(str::to_string)).unwrap_or_default();
    let meta = get(root, "metadata");
    ObjectId {
        api_version: s(get(root, "apiVersion")),
        kind: s(get(root, "kind")),
        name: s(meta.as_ref().and_then(|m| get(m, "name"))),
        namespace: s(meta.as_ref().and_then(|m| get(m, "namespace"))),
    }
}

/// The source text for `value` in the style the old value was written in (the rules of
/// [`yaml::edit::encode_string`]: the style kept when the value allows it, double quotes
/// when a plain value would re-type or cannot be plain).
fn encode(value: &str, style: ScalarStyle, flow: bool) -> String {
    yaml::edit::encode_string(value, style, flow)
}

/// Options of [`update_tree`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The automation's namespace: only policies there are used.
    pub namespace: Option<String>,
    /// Fail on a marker naming no known setter instead of warning.
    pub strict: bool,
    /// Compute the changes without writing files.
    pub dry_run: bool,
}

/// The changes made in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChanges {
    /// Path relative to the root (`/`-separated).
    pub file: String,
    /// The changes, in source order.
    pub changes: Vec<Change>,
}

/// What [`update_tree`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// Files that changed (and were written unless `dry_run`), in walk order.
    pub files: Vec<FileChanges>,
    /// Markers naming no known setter.
    pub warnings: Vec<Warning>,
    /// Files with the token that did not parse as YAML (skipped, as Flux does).
    pub problem_files: Vec<String>,
}

impl Outcome {
    /// Changes grouped per file and object, as Flux's `Result.FileChanges`.
    pub fn by_object(&self) -> IndexMap<&str, IndexMap<&ObjectId, Vec<&Change>>> {
        let mut out: IndexMap<&str, IndexMap<&ObjectId, Vec<&Change>>> = IndexMap::new();
        for f in &self.files {
            let per = out.entry(f.file.as_str()).or_default();
            for c in &f.changes {
                per.entry(&c.object).or_default().push(c);
            }
        }
        out
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_path_buf(), source }
}

fn is_candidate(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        || path.file_name().is_some_and(|n| n == "Kustomization")
}

/// Files under `root` in `filepath.Walk` order (lexical, symlinks not followed into).
fn walk(root: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), Error> {
    if depth > 256 {
        return Ok(());
    }
    let meta = fs::symlink_metadata(root).map_err(io_err(root))?;
    if !meta.is_dir() {
        out.push(root.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(root)
        .map_err(io_err(root))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io_err(root))?;
    entries.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    for e in entries {
        walk(&e, out, depth + 1)?;
    }
    Ok(())
}

/// Write `data` to `path` atomically: a temporary file in the same directory, fsync,
/// rename over the target (a symlink's target is replaced, not the link).
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), Error> {
    let target = if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::canonicalize(path).map_err(io_err(path))?
    } else {
        path.to_path_buf()
    };
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let perms = fs::metadata(&target).ok().map(|m| m.permissions());
    let mut n = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(".{name}.gitops-tmp-{}-{n}", std::process::id()));
        match fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(Error::Io { path: tmp, source: e }),
        }
    };
    let result = (|| {
        file.write_all(data)?;
        if let Some(p) = perms {
            file.set_permissions(p)?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &target)
    })();
    if let Err(source) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::Io { path: target, source });
    }
    Ok(())
}

/// Run the setters over the files under `root` (a directory or one file), as the
/// automation's Setters strategy: `.yaml`/`.yml` files and files named `Kustomization`
/// that contain `"$imagepolicy"`; unparsable ones are recorded as problem files; only
/// files with a changed value are written, atomically, and only once every file has been
/// read and set (an error on the way writes nothing).
pub fn update_tree(root: &Path, setters: &Setters, options: &Options) -> Result<Outcome, Error> {
    let mut files = Vec::new();
    walk(root, &mut files, 0)?;
    let base = if fs::symlink_metadata(root).map_err(io_err(root))?.is_dir() {
        root.to_path_buf()
    } else {
        root.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let mut outcome = Outcome::default();
    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    for path in files {
        if !is_candidate(&path) {
            continue;
        }
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(_) if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) => {
                continue;
            }
            Err(e) => return Err(Error::Io { path, source: e }),
        };
        if !bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()) {
            continue;
        }
        let rel = path.strip_prefix(&base).unwrap_or(&path);
        let rel =
            rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let Ok(text) = std::str::from_utf8(&bytes) else {
            outcome.problem_files.push(rel);
            continue;
        };
        let Ok(edit) = set_text(text, setters) else {
            outcome.problem_files.push(rel);
            continue;
        };
        for mut w in edit.warnings {
            w.file.clone_from(&rel);
            if options.strict {
                return Err(Error::MissingPolicy {
                    file: w.file,
                    line: w.line,
                    column: w.column,
                    setter: w.setter,
                });
            }
            outcome.warnings.push(w);
        }
        if let Some(new) = edit.text {
            if !options.dry_run {
                writes.push((path, new));
            }
            outcome.files.push(FileChanges { file: rel, changes: edit.changes });
        }
    }
    write_all_atomic(&writes)?;
    Ok(outcome)
}

/// Write every file atomically ([`write_atomic`]), only after the whole tree was read and
/// set (a strict-mode error or an unreadable file writes nothing). The writes overlap on a
/// few threads: each one's fsync waits on the disk, not the CPU. Each file is replaced
/// whole or not at all; the first error is returned.
fn write_all_atomic(writes: &[(PathBuf, String)]) -> Result<(), Error> {
    const WORKERS: usize = 8;
    if writes.len() < 2 {
        return writes.iter().try_for_each(|(p, t)| write_atomic(p, t.as_bytes()));
    }
    let chunk = writes.len().div_ceil(WORKERS);
    let results: Vec<Result<(), Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = writes
            .chunks(chunk)
            .map(|part| {
                let spawned = std::thread::Builder::new().spawn_scoped(scope, move || {
                    part.iter().try_for_each(|(p, t)| write_atomic(p, t.as_bytes()))
                });
                (part, spawned)
            })
            .collect();
        handles
            .into_iter()
            .map(|(part, h)| match h {
                Ok(h) => h.join().unwrap_or_else(|_| {
                    Err(Error::Io {
                        path: part.first().map(|w| w.0.clone()).unwrap_or_default(),
                        source: std::io::Error::other("writer thread panicked"),
                    })
                }),
                // No thread to be had: write this part here.
                Err(_) => part.iter().try_for_each(|(p, t)| write_atomic(p, t.as_bytes())),
            })
            .collect()
    });
    results.into_iter().collect()
}
