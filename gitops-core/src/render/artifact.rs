//! ArtifactGenerator output artifacts (Flux 2.7 source composition), assembled in memory.
//!
//! Each `copy` operation of an output artifact runs in order, later files overwriting
//! earlier ones, with cp-like rules (fluxcd/source-watcher `internal/builder`):
//! * `from: @<alias>/<pattern>`, `to: @artifact/<path>`;
//! * a pattern without glob characters names one file or directory: a file goes to
//!   `<path>` (or `<path>/<file name>` when `to` ends with `/` or `<path>` is already a
//!   directory), a directory is copied as `<path>/<dir name>/...`;
//! * a glob (Go `fs.Glob`: `*`, `?`, `[...]` within one path segment, so `**` acts as `*`)
//!   copies every match, directories recursively, each to `<path>/<match>`, except that a
//!   pattern `<dir>/**` strips `<dir>/`;
//! * `exclude` patterns (doublestar: `**` spans segments, `{a,b}` alternatives) are matched
//!   against the source path and the path relative to the pattern's literal prefix; a
//!   pattern without `/` also against the file name;
//! * no match, or everything excluded, is an error unless `optional`.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::flux::{CopyOperation, OutputArtifact};
use crate::fs::{FileSystem, MemFs};

/// Why an artifact could not be assembled; messages follow source-watcher's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("failed to apply copy operation from '{from}' to '{to}': {message}")]
pub struct Error {
    /// The operation's `from`.
    pub from: String,
    /// The operation's `to`.
    pub to: String,
    /// What went wrong.
    pub message: String,
}

/// How many `{}` alternatives a pattern may expand to (source-watcher bounds the commas
/// at 20).
const MAX_ALTERNATION_COMMAS: usize = 20;
/// How many `{}` groups a pattern may have.
const MAX_ALTERNATION_GROUPS: usize = 64;
/// How deep directories are walked.
const MAX_DEPTH: usize = 64;

/// Assemble one output artifact from the source directories `sources` (alias → directory
/// on `fs`) into an in-memory tree rooted at `/`.
///
/// ```
/// use gitops_core::flux::{CopyOperation, OutputArtifact};
/// use gitops_core::fs::{FileSystem, MemFs};
/// use gitops_core::render::assemble_artifact;
/// use indexmap::IndexMap;
/// use std::path::{Path, PathBuf};
/// let mut fs = MemFs::new();
/// fs.add_file("/src/deploy/app.yaml", "a");
/// fs.add_file("/src/deploy/README.md", "r");
/// let sources = IndexMap::from([("app".to_owned(), PathBuf::from("/src"))]);
/// let out = OutputArtifact {
///     name: "app".into(),
///     copy: vec![CopyOperation {
///         from: "@app/deploy/**".into(),
///         to: "@artifact/".into(),
///         exclude: vec!["*.md".into()],
///         ..Default::default()
///     }],
///     ..Default::default()
/// };
/// let mem = assemble_artifact(&fs, &sources, &out).unwrap();
/// assert!(mem.exists(Path::new("/app.yaml")));
/// assert!(!mem.exists(Path::new("/README.md")));
/// ```
pub fn assemble_artifact(
    fs: &dyn FileSystem,
    sources: &IndexMap<String, PathBuf>,
    artifact: &OutputArtifact,
) -> Result<MemFs, Error> {
    let mut stage = MemFs::new();
    for op in &artifact.copy {
        apply(fs, sources, op, &mut stage).map_err(|message| Error {
            from: op.from.clone(),
            to: op.to.clone(),
            message,
        })?;
    }
    Ok(stage)
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', ']'])
}

/// `filepath.Clean` of a relative path, as `/`-separated text (`""` → `.`).
fn clean_rel(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() { ".".into() } else { parts.join("/") }
}

fn join(a: &str, b: &str) -> String {
    clean_rel(&format!("{a}/{b}"))
}

fn base_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

fn apply(
    fs: &dyn FileSystem,
    sources: &IndexMap<String, PathBuf>,
    op: &CopyOperation,
    stage: &mut MemFs,
) -> Result<(), String> {
    let Some((alias, pattern)) = op.from.strip_prefix('@').and_then(|r| r.split_once('/')) else {
        return Err(format!(
            "invalid copy source '{}': source format must be '@alias/pattern'",
            op.from
        ));
    };
    check_alternation(pattern).map_err(|e| format!("invalid copy source '{}': {e}", op.from))?;
    let Some(dest) = op.to.strip_prefix("@artifact/") else {
        return Err(format!(
            "invalid copy destination '{}': destination must start with '@artifact/'",
            op.to
        ));
    };
    if dest.starts_with('/') {
        return Err(format!(
            "invalid copy destination '{}': destination path must stay within the artifact root",
            op.to
        ));
    }
    if dest.split('/').any(|s| s == "..") {
        return Err(format!(
            "invalid copy destination '{}': destination path must not contain '..'",
            op.to
        ));
    }
    let dest = clean_rel(dest);
    match op.strategy.as_str() {
        "" | "Overwrite" => {}
        other => return Err(format!("copy strategy '{other}' is not supported offline")),
    }
    let Some(src) = sources.get(alias) else {
        return Err(format!("source alias '{alias}' not found"));
    };
    for e in &op.exclude {
        check_alternation(e).map_err(|m| format!("invalid exclude pattern '{e}': {m}"))?;
        let valid = expand_braces(e)
            .iter()
            .all(|p| p.split('/').all(|seg| seg == "**" || match_segment(seg, "").is_ok()));
        if !valid {
            return Err(format!("invalid exclude pattern '{e}'"));
        }
    }
    let ctx = Ctx { fs, src, exclude: &op.exclude };
    if !is_glob(pattern) {
        let p = clean_rel(pattern);
        let full = src_path(src, &p);
        if !fs.exists(&full) {
            if op.optional {
                return Ok(());
            }
            return Err(format!("source '{p}' does not exist"));
        }
        if fs.is_dir(&full) {
            let target = if p == "." { dest } else { join(&dest, base_name(&p)) };
            return ctx.copy_dir(&p, &target, &p, stage, 0);
        }
        if excluded(&p, ".", &op.exclude) {
            return Ok(());
        }
        let target = if op.to.ends_with('/') || stage.is_dir(&stage_path(&dest)) {
            join(&dest, base_name(&p))
        } else {
            dest
        };
        return ctx.copy_file(&p, &target, stage);
    }
    let matches = glob(fs, src, pattern)?;
    if matches.is_empty() {
        if op.optional {
            return Ok(());
        }
        return Err(format!("no files match pattern '{pattern}' in source '{alias}'"));
    }
    let base = selection_root(pattern);
    let kept: Vec<&String> = matches
        .iter()
        .filter(|m| *m != "." && *m != ".." && !excluded(m, &base, &op.exclude))
        .collect();
    if kept.is_empty() {
        if op.optional {
            return Ok(());
        }
        return Err(format!(
            "all files matching pattern '{pattern}' in source '{alias}' were excluded"
        ));
    }
    for m in kept {
        let target = glob_destination(pattern, m, &dest);
        if fs.is_dir(&src_path(src, m)) {
            ctx.copy_dir(m, &target, &base, stage, 0)?;
        } else {
            ctx.copy_file(m, &target, stage)?;
        }
    }
    Ok(())
}

fn src_path(src: &Path, rel: &str) -> PathBuf {
    if rel == "." { src.to_path_buf() } else { src.join(rel) }
}

fn stage_path(rel: &str) -> PathBuf {
    if rel == "." { PathBuf::from("/") } else { Path::new("/").join(rel) }
}

struct Ctx<'a> {
    fs: &'a dyn FileSystem,
    src: &'a Path,
    exclude: &'a [String],
}

impl Ctx<'_> {
    fn copy_file(&self, rel: &str, target: &str, stage: &mut MemFs) -> Result<(), String> {
        let bytes = self
            .fs
            .read_file(&src_path(self.src, rel))
            .map_err(|e| format!("failed to copy file '{rel}' to '{target}': {e}"))?;
        stage.add_file(stage_path(target), bytes);
        Ok(())
    }

    fn copy_dir(
        &self,
        rel: &str,
        target: &str,
        exclude_base: &str,
        stage: &mut MemFs,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("directory '{rel}' is nested deeper than {MAX_DEPTH} levels"));
        }
        stage.add_dir(stage_path(target));
        let entries =
            self.fs.read_dir(&src_path(self.src, rel)).map_err(|e| format!("'{rel}': {e}"))?;
        for e in entries {
            let Some(name) = e.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            let child = join(rel, &name);
            if excluded(&child, exclude_base, self.exclude) {
                continue;
            }
            let child_target = join(target, &name);
            if self.fs.is_dir(&e) {
                self.copy_dir(&child, &child_target, exclude_base, stage, depth + 1)?;
            } else {
                self.copy_file(&child, &child_target, stage)?;
            }
        }
        Ok(())
    }
}

/// `dir/**` strips `dir/` from the match; other patterns keep the whole match path.
fn glob_destination(pattern: &str, m: &str, dest: &str) -> String {
    if let Some(prefix) = pattern.strip_suffix("/**")
        && let Some(rest) = m.strip_prefix(&format!("{prefix}/"))
    {
        return join(dest, rest);
    }
    join(dest, m)
}

/// The literal directory prefix of a pattern, before its first glob segment.
fn selection_root(pattern: &str) -> String {
    let cleaned = clean_rel(pattern);
    let lit: Vec<&str> = cleaned.split('/').take_while(|s| !is_glob(s)).collect();
    if lit.is_empty() { ".".into() } else { lit.join("/") }
}

fn check_alternation(p: &str) -> Result<(), String> {
    let (mut commas, mut depth, mut groups) = (0usize, 0usize, 0usize);
    let mut bytes = p.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'\\' => {
                bytes.next();
            }
            b'{' => {
                depth += 1;
                groups += 1;
            }
            b'}' => depth = depth.saturating_sub(1),
            b',' if depth > 0 => commas += 1,
            _ => {}
        }
    }
    // Alternatives are expanded recursively, one group per level: bound the groups too.
    if groups > MAX_ALTERNATION_GROUPS {
        return Err(format!(
            "pattern has {groups} '{{}}' groups, at most {MAX_ALTERNATION_GROUPS} are allowed"
        ));
    }
    if commas > MAX_ALTERNATION_COMMAS {
        return Err(format!(
            "pattern has {commas} alternatives in '{{}}' groups, at most {MAX_ALTERNATION_COMMAS} are allowed"
        ));
    }
    Ok(())
}

/// Go `fs.Glob` over the source directory: matches as `/`-separated relative paths, in
/// lexical order per directory.
fn glob(fs: &dyn FileSystem, src: &Path, pattern: &str) -> Result<Vec<String>, String> {
    let segs: Vec<&str> = pattern.split('/').collect();
    let mut current: Vec<String> = vec![".".into()];
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        let mut next = Vec::new();
        for dir in &current {
            let dpath = src_path(src, dir);
            if !is_glob(seg) {
                let cand = join(dir, seg);
                let p = src_path(src, &cand);
                if fs.exists(&p) && (last || fs.is_dir(&p)) {
                    next.push(cand);
                }
                continue;
            }
            if !fs.is_dir(&dpath) {
                continue;
            }
            let entries = fs.read_dir(&dpath).map_err(|e| format!("'{dir}': {e}"))?;
            for e in entries {
                let Some(name) = e.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                    continue;
                };
                if match_segment(seg, &name)
                    .map_err(|m| format!("invalid glob pattern '{pattern}': {m}"))?
                {
                    next.push(join(dir, &name));
                }
            }
        }
        current = next;
    }
    Ok(current)
}

/// Go's `path.Match` for one segment: `*` (any run without `/`), `?`, `[...]` classes with
/// ranges and `^` negation, `\` escapes.
pub(crate) fn match_segment(pattern: &str, name: &str) -> Result<bool, String> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative matcher with backtracking on the last `*`.
    let (mut pi, mut ni) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p.get(pi) {
                Some('*') => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                Some(_) if ni < n.len() => {
                    if let Some((true, len)) = match_one(&p[pi..], n.get(ni).copied())?
                        && n.get(ni) != Some(&'/')
                    {
                        pi += len;
                        ni += 1;
                        continue;
                    }
                }
                _ => {}
            }
        } else if ni == n.len() {
            return Ok(true);
        }
        // Mismatch: backtrack.
        match star {
            Some((sp, sn)) if sn < n.len() && n.get(sn) != Some(&'/') => {
                star = Some((sp, sn + 1));
                pi = sp + 1;
                ni = sn + 1;
            }
            _ => {
                // Validate the rest of the pattern so malformed classes are reported.
                validate(&p[pi.min(p.len())..])?;
                return Ok(false);
            }
        }
    }
}

fn validate(p: &[char]) -> Result<(), String> {
    let mut i = 0;
    while i < p.len() {
        match p.get(i) {
            Some('*') => i += 1,
            _ => match match_one(&p[i..], Some('a'))? {
                Some((_, len)) => i += len,
                None => return Err("syntax error in pattern".into()),
            },
        }
    }
    Ok(())
}

/// Match one pattern element against `c`: `Some((matched, pattern length))`.
fn match_one(p: &[char], c: Option<char>) -> Result<Option<(bool, usize)>, String> {
    let bad = || "syntax error in pattern".to_owned();
    let Some(c) = c else { return Ok(None) };
    match p.first() {
        None => Ok(None),
        Some('?') => Ok(Some((true, 1))),
        Some('\\') => match p.get(1) {
            Some(e) => Ok(Some((*e == c, 2))),
            None => Err(bad()),
        },
        Some('[') => {
            let mut i = 1;
            let negate = p.get(i) == Some(&'^');
            if negate {
                i += 1;
            }
            let mut matched = false;
            let mut first = true;
            loop {
                match p.get(i) {
                    None => return Err(bad()),
                    Some(']') if !first => {
                        i += 1;
                        break;
                    }
                    _ => {}
                }
                first = false;
                let lo = class_char(p, &mut i)?;
                let hi = if p.get(i) == Some(&'-') {
                    i += 1;
                    class_char(p, &mut i)?
                } else {
                    lo
                };
                if lo <= c && c <= hi {
                    matched = true;
                }
            }
            Ok(Some((matched != negate, i)))
        }
        Some(']') => Err(bad()),
        Some(x) => Ok(Some((*x == c, 1))),
    }
}

fn class_char(p: &[char], i: &mut usize) -> Result<char, String> {
    let bad = || "syntax error in pattern".to_owned();
    match p.get(*i) {
        None | Some('-') | Some(']') => Err(bad()),
        Some('\\') => {
            let c = p.get(*i + 1).copied().ok_or_else(bad)?;
            *i += 2;
            Ok(c)
        }
        Some(c) => {
            *i += 1;
            Ok(*c)
        }
    }
}

/// Expand `{a,b}` alternatives (bounded by [`check_alternation`]).
fn expand_braces(p: &str) -> Vec<String> {
    let Some(open) = p.find('{') else { return vec![p.to_owned()] };
    let mut depth = 0usize;
    let mut close = None;
    let mut commas = Vec::new();
    for (i, ch) in p.char_indices().skip_while(|(i, _)| *i < open) {
        match ch {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            ',' if depth == 1 => commas.push(i),
            _ => {}
        }
    }
    let Some(close) = close else { return vec![p.to_owned()] };
    let (head, tail) = (&p[..open], &p[close + 1..]);
    let mut bounds = vec![open];
    bounds.extend(commas);
    bounds.push(close);
    let mut out = Vec::new();
    for w in bounds.windows(2) {
        let alt = &p[w[0] + 1..w[1]];
        for e in expand_braces(&format!("{head}{alt}{tail}")) {
            if out.len() < 1 << MAX_ALTERNATION_COMMAS {
                out.push(e);
            }
        }
    }
    out
}

/// doublestar `Match`: `**` as a whole segment spans any number of segments.
fn double_star(pattern: &str, path: &str) -> bool {
    expand_braces(pattern).iter().any(|p| {
        let ps: Vec<&str> = p.split('/').collect();
        let xs: Vec<&str> = path.split('/').collect();
        match_segments(&ps, &xs)
    })
}

fn match_segments(ps: &[&str], xs: &[&str]) -> bool {
    // The set of path positions reachable after each pattern segment.
    let mut reach = vec![false; xs.len() + 1];
    if let Some(r) = reach.first_mut() {
        *r = true;
    }
    for seg in ps {
        let mut next = vec![false; xs.len() + 1];
        for (j, _) in reach.iter().enumerate().filter(|(_, r)| **r) {
            if *seg == "**" {
                next.iter_mut().skip(j).for_each(|n| *n = true);
            } else if let (Some(x), Some(n)) = (xs.get(j), next.get_mut(j + 1))
                && match_segment(seg, x).unwrap_or(false)
            {
                *n = true;
            }
        }
        reach = next;
    }
    reach.last().copied().unwrap_or(false)
}

fn exclude_match(path: &str, patterns: &[String]) -> bool {
    let name = base_name(path);
    patterns.iter().any(|p| double_star(p, path) || (!p.contains('/') && double_star(p, name)))
}

/// Whether `path` (relative to the source root) is excluded, also trying it relative to
/// `base`.
fn excluded(path: &str, base: &str, patterns: &[String]) -> bool {
    if patterns.is_empty() {
        return false;
    }
    if exclude_match(path, patterns) {
        return true;
    }
    let rel = if base == "." {
        return false;
    } else {
        match path.strip_prefix(&format!("{base}/")) {
            Some(r) => r,
            None => return false,
        }
    };
    exclude_match(rel, patterns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_match_table() {
        let cases: &[(&str, &str, Result<bool, ()>)] = &[
            ("*", "abc", Ok(true)),
            ("*.yaml", "a.yaml", Ok(true)),
            ("*.yaml", "a.yml", Ok(false)),
            ("a*b*c", "axxbyyc", Ok(true)),
            ("a*b*c", "axxbyy", Ok(false)),
            ("?at", "cat", Ok(true)),
            ("[a-c]at", "bat", Ok(true)),
            ("[^a-c]at", "bat", Ok(false)),
            ("[^a-c]at", "rat", Ok(true)),
            ("\\*", "*", Ok(true)),
            ("**", "deep", Ok(true)),
            (".*", ".hidden", Ok(true)),
            ("[", "a", Err(())),
            ("a[", "b", Err(())),
        ];
        for (p, n, want) in cases {
            assert_eq!(match_segment(p, n).map_err(|_| ()), *want, "{p} {n}");
        }
    }

    #[test]
    fn exclude_table() {
        let cases: &[(&str, &str, &[&str], bool)] = &[
            ("deploy/README.md", ".", &["*.md"], true),
            ("deploy/a/b.md", "deploy", &["*.md"], true),
            ("deploy/a/b.yaml", "deploy", &["a/**"], true),
            ("deploy/a/b.yaml", "deploy", &["**/b.yaml"], true),
            ("deploy/a/b.yaml", ".", &["deploy/**/*.yaml"], true),
            ("deploy/a/b.yaml", ".", &["deploy/*.yaml"], false),
            ("deploy/x.json", ".", &["*.{md,json}"], true),
            ("deploy/x.yaml", ".", &["*.{md,json}"], false),
            ("deploy/x.yaml", ".", &[], false),
        ];
        for (path, base, pats, want) in cases {
            let pats: Vec<String> = pats.iter().map(|s| s.to_string()).collect();
            assert_eq!(excluded(path, base, &pats), *want, "{path} {base} {pats:?}");
        }
    }

    #[test]
    fn helpers_table() {
        assert_eq!(selection_root("deploy/*/x.yaml"), "deploy");
        assert_eq!(selection_root("*.yaml"), ".");
        assert_eq!(glob_destination("deploy/**", "deploy/a.yaml", "."), "a.yaml");
        assert_eq!(glob_destination("deploy/*.yaml", "deploy/a.yaml", "out"), "out/deploy/a.yaml");
        assert_eq!(clean_rel("./a//b/../c/"), "a/c");
        assert_eq!(expand_braces("a{b,c{d,e}}f"), ["abf", "acdf", "acef"]);
        let many = format!("{{{}}}", vec!["x"; 22].join(","));
        assert!(check_alternation(&many).unwrap_err().contains("21 alternatives"));
        assert!(
            check_alternation(&"{a}".repeat(10_000)).unwrap_err().contains("10000 '{}' groups")
        );
    }
}
