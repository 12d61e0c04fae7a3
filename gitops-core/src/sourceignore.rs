//! Flux's `.sourceignore` and `spec.ignore` rules (source-controller, `fluxcd/pkg`
//! `sourceignore` and its gitignore matcher).
//!
//! * `.sourceignore` is read in the source root and in every sub-directory (except `.git`,
//!   symlinked directories are not followed); the patterns of `sub/.sourceignore` are scoped
//!   to `sub/` (their *domain*) and never match `sub` itself.
//! * `spec.ignore` patterns come after the file patterns, so they win.
//! * Lines starting with `#` and blank lines are skipped; `!` re-includes; a trailing `/` makes
//!   a pattern match directories only (and everything below them); a pattern containing `/` is
//!   matched component by component from its domain root, with `**` for any number of
//!   directories; a pattern without `/` matches any path component. Components are matched
//!   with Go's `filepath.Match` (`*`, `?`, `[a-z]`, `[^a]`, `\` escapes); a malformed pattern
//!   never matches.
//! * Patterns are tried last to first; the first that matches decides (exclude or include).
//! * The VCS defaults (`.git/`, `.gitignore`, `.gitmodules`, `.gitattributes`) always apply;
//!   the extension, CI and extra defaults apply only when there is no user pattern at all.
//!
//! Flux keeps walking into an excluded directory and decides every entry on its own, so a
//! negation can bring back a file under an excluded directory; [`SourceIgnore::is_ignored`]
//! answers per path in the same way.
//!
//! ```
//! use gitops_core::sourceignore::SourceIgnore;
//! let ign = SourceIgnore::from_spec("deploy/**/secret.yaml\n!keep.png\n");
//! assert!(ign.is_ignored("deploy/a/b/secret.yaml", false));
//! assert!(ign.is_ignored(".git/config", false)); // VCS defaults always apply
//! assert!(!ign.is_ignored("logo.png", false)); // user patterns replace the extension defaults
//! ```

use crate::fs::FileSystem;
use std::io;
use std::path::{Path, PathBuf};

/// The ignore file Flux reads in every directory of a source.
pub const IGNORE_FILE: &str = ".sourceignore";
/// Version-control files, always excluded.
pub const EXCLUDE_VCS: &str = ".git/,.gitignore,.gitmodules,.gitattributes";
/// Binary/archive extensions, excluded only when there are no user patterns.
pub const EXCLUDE_EXT: &str = "*.jpg,*.jpeg,*.gif,*.png,*.wmv,*.flv,*.tar.gz,*.zip";
/// CI configuration, excluded only when there are no user patterns.
pub const EXCLUDE_CI: &str = ".github/,.circleci/,.travis.yml,.gitlab-ci.yml,appveyor.yml,.drone.yml,cloudbuild.yaml,codeship-services.yml,codeship-steps.yml";
/// Tool configuration, excluded only when there are no user patterns.
pub const EXCLUDE_EXTRA: &str = "**/.goreleaser.yml,**/.sops.yaml,**/.flux.yaml";

/// How deep [`load_ignore_patterns`] descends before giving up.
pub const MAX_DEPTH: usize = 256;

/// Errors of loading ignore patterns from a tree.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An ignore file or a directory could not be read.
    #[error("failed to load source ignore patterns from repository: {path}: {source}")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The tree is deeper than [`MAX_DEPTH`].
    #[error(
        "failed to load source ignore patterns from repository: {path}: more than {MAX_DEPTH} nested directories"
    )]
    TooDeep {
        /// The directory where the walk stopped.
        path: PathBuf,
    },
}

/// The outcome of one pattern against one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchResult {
    /// The pattern does not apply.
    NoMatch,
    /// The path is excluded.
    Exclude,
    /// The path is re-included (`!pattern`).
    Include,
}

/// One parsed ignore pattern with its domain (the directory of the file it came from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    domain: Vec<String>,
    parts: Vec<String>,
    /// `parts` compiled; `None` for a malformed part (never matches).
    globs: Vec<Option<Glob>>,
    inclusion: bool,
    dir_only: bool,
    anchored: bool,
}

impl Pattern {
    /// Parse one pattern line (not a comment or blank line; see [`read_patterns`]) scoped to
    /// `domain`, the path components of the directory holding the ignore file.
    pub fn parse(line: &str, domain: &[String]) -> Pattern {
        let mut p = line;
        let inclusion = p.starts_with('!');
        if inclusion {
            p = &p[1..];
        }
        if !p.ends_with("\\ ") {
            p = p.trim_end_matches(' ');
        }
        let dir_only = p.ends_with('/');
        if dir_only {
            p = &p[..p.len() - 1];
        }
        let parts: Vec<String> = p.split('/').map(str::to_string).collect();
        Pattern {
            domain: domain.to_vec(),
            globs: parts.iter().map(|p| Glob::parse(p)).collect(),
            parts,
            inclusion,
            dir_only,
            anchored: p.contains('/'),
        }
    }

    /// Whether this pattern excludes, re-includes or ignores `path` (components relative to
    /// the source root).
    pub fn matches<S: AsRef<str>>(&self, path: &[S], is_dir: bool) -> MatchResult {
        if path.len() <= self.domain.len() {
            return MatchResult::NoMatch;
        }
        if self.domain.iter().zip(path).any(|(d, p)| d != p.as_ref()) {
            return MatchResult::NoMatch;
        }
        let rest = &path[self.domain.len()..];
        let hit = if self.anchored {
            self.anchored_match(rest, is_dir)
        } else {
            self.name_match(rest, is_dir)
        };
        match (hit, self.inclusion) {
            (false, _) => MatchResult::NoMatch,
            (true, true) => MatchResult::Include,
            (true, false) => MatchResult::Exclude,
        }
    }

    /// A pattern without `/`: any component may match; a dir-only pattern does not match
    /// the last component when it is a file.
    fn name_match<S: AsRef<str>>(&self, path: &[S], is_dir: bool) -> bool {
        let Some(Some(glob)) = self.globs.first() else {
            return false;
        };
        for (i, name) in path.iter().enumerate() {
            if glob.matches(name.as_ref()) {
                return !(self.dir_only && !is_dir && i + 1 == path.len());
            }
        }
        false
    }

    /// A pattern with `/`: components from the domain root, `**` for any directories.
    fn anchored_match<S: AsRef<str>>(&self, mut path: &[S], is_dir: bool) -> bool {
        let mut matched = false;
        let mut traverse = false;
        for (i, part) in self.parts.iter().enumerate() {
            if part.is_empty() {
                traverse = false;
                continue;
            }
            if part == "**" {
                if i + 1 == self.parts.len() {
                    break;
                }
                traverse = true;
                continue;
            }
            if part.contains("**") {
                return false;
            }
            let Some(Some(glob)) = self.globs.get(i) else {
                return false;
            };
            let Some((first, _)) = path.split_first() else {
                return false;
            };
            if traverse {
                traverse = false;
                matched = false;
                while let Some((head, tail)) = path.split_first() {
                    path = tail;
                    if glob.matches(head.as_ref()) {
                        matched = true;
                        break;
                    }
                }
            } else {
                if !glob.matches(first.as_ref()) {
                    return false;
                }
                matched = true;
                path = &path[1..];
            }
        }
        matched && !(self.dir_only && !is_dir && path.is_empty())
    }
}

/// Go's `filepath.Match` pattern for one path component.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Glob {
    toks: Vec<Tok>,
    /// The whole pattern when it has no magic character.
    literal: Option<String>,
    /// `*<literal>` patterns (`*.yaml`): the suffix.
    suffix: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Any,
    Star,
    Class { negated: bool, ranges: Vec<(char, char)> },
}

impl Glob {
    /// `None` when the pattern is malformed (Go's `ErrBadPattern`).
    fn parse(p: &str) -> Option<Glob> {
        let mut toks = Vec::new();
        let mut it = p.chars().peekable();
        while let Some(c) = it.next() {
            match c {
                '*' => toks.push(Tok::Star),
                '?' => toks.push(Tok::Any),
                '\\' => toks.push(Tok::Lit(it.next()?)),
                '[' => {
                    let negated = it.peek() == Some(&'^');
                    if negated {
                        it.next();
                    }
                    let mut ranges = Vec::new();
                    loop {
                        if it.peek() == Some(&']') && !ranges.is_empty() {
                            it.next();
                            break;
                        }
                        let lo = class_char(&mut it)?;
                        let hi = if it.peek() == Some(&'-') {
                            it.next();
                            class_char(&mut it)?
                        } else {
                            lo
                        };
                        ranges.push((lo, hi));
                    }
                    toks.push(Tok::Class { negated, ranges });
                }
                c => toks.push(Tok::Lit(c)),
            }
        }
        let lits = |t: &[Tok]| -> Option<String> {
            t.iter().map(|t| if let Tok::Lit(c) = t { Some(*c) } else { None }).collect()
        };
        let literal = lits(&toks);
        let suffix = match toks.split_first() {
            Some((Tok::Star, rest)) => lits(rest).filter(|s| !s.contains('/')),
            _ => None,
        };
        Some(Glob { toks, literal, suffix })
    }

    fn matches(&self, name: &str) -> bool {
        if let Some(l) = &self.literal {
            return l == name;
        }
        if let Some(sfx) = &self.suffix {
            return name.ends_with(sfx.as_str()) && !name.contains('/');
        }
        let s: Vec<char> = name.chars().collect();
        let (mut ti, mut si) = (0usize, 0usize);
        let mut back: Option<(usize, usize)> = None;
        loop {
            if let Some(tok) = self.toks.get(ti) {
                match tok {
                    Tok::Star => {
                        back = Some((ti, si));
                        ti += 1;
                        continue;
                    }
                    t => {
                        if let Some(&c) = s.get(si)
                            && c != '/'
                            && t.matches_char(c)
                        {
                            ti += 1;
                            si += 1;
                            continue;
                        }
                    }
                }
            } else if si == s.len() {
                return true;
            }
            // Mismatch: let the last star take one more character (never a separator).
            match back {
                Some((bt, bs)) if s.get(bs).is_some_and(|&c| c != '/') => {
                    back = Some((bt, bs + 1));
                    ti = bt + 1;
                    si = bs + 1;
                }
                _ => return false,
            }
        }
    }
}

impl Tok {
    fn matches_char(&self, c: char) -> bool {
        match self {
            Tok::Lit(l) => *l == c,
            Tok::Any => true,
            Tok::Star => false,
            Tok::Class { negated, ranges } => {
                ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated
            }
        }
    }
}

fn class_char(it: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<char> {
    match it.next()? {
        '-' | ']' => None,
        '\\' => it.next(),
        c => Some(c),
    }
}

/// Patterns in increasing priority; a path is excluded when the last pattern that matches it
/// excludes it.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    patterns: Vec<Pattern>,
}

impl Matcher {
    /// A matcher over `patterns`, lowest priority first.
    pub fn new(patterns: Vec<Pattern>) -> Matcher {
        Matcher { patterns }
    }

    /// Whether `path` (components relative to the source root) is excluded.
    pub fn matches<S: AsRef<str>>(&self, path: &[S], is_dir: bool) -> bool {
        self.patterns
            .iter()
            .rev()
            .map(|p| p.matches(path, is_dir))
            .find(|r| *r != MatchResult::NoMatch)
            == Some(MatchResult::Exclude)
    }

    /// Whether any pattern re-includes (`!`). Without one, everything below an excluded
    /// directory is excluded too (every pattern's matches are closed under descending).
    pub fn has_inclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.inclusion)
    }

    /// The patterns, lowest priority first.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }
}

fn parse_list(list: &str, domain: &[String]) -> Vec<Pattern> {
    list.split(',').map(|p| Pattern::parse(p, domain)).collect()
}

/// The VCS patterns ([`EXCLUDE_VCS`]) scoped to `domain`.
pub fn vcs_patterns(domain: &[String]) -> Vec<Pattern> {
    parse_list(EXCLUDE_VCS, domain)
}

/// The extension, CI and extra patterns ([`EXCLUDE_EXT`], [`EXCLUDE_CI`],
/// [`EXCLUDE_EXTRA`]) scoped to `domain`.
pub fn default_patterns(domain: &[String]) -> Vec<Pattern> {
    [EXCLUDE_EXT, EXCLUDE_CI, EXCLUDE_EXTRA].iter().flat_map(|l| parse_list(l, domain)).collect()
}

/// The patterns of an ignore file's text (or of `spec.ignore`): one per line, skipping lines
/// that start with `#` and blank lines (a trailing `\r` is dropped like Go's line scanner).
pub fn read_patterns(text: &str, domain: &[String]) -> Vec<Pattern> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| Pattern::parse(l, domain))
        .collect()
}

/// The patterns of every `.sourceignore` under `dir` (itself at `domain`): the directory's own
/// file first, then each sub-directory in name order, recursively. `.git` and symlinked
/// directories are skipped; a missing ignore file is no error.
pub fn load_ignore_patterns(
    fs: &dyn FileSystem,
    dir: &Path,
    domain: &[String],
) -> Result<Vec<Pattern>, Error> {
    let mut out = Vec::new();
    let root =
        fs.canonicalize(dir).map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
    let mut domain = domain.to_vec();
    load_into(fs, &root, &mut domain, 0, &mut out)?;
    Ok(out)
}

fn load_into(
    fs: &dyn FileSystem,
    dir: &Path,
    domain: &mut Vec<String>,
    depth: usize,
    out: &mut Vec<Pattern>,
) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(Error::TooDeep { path: dir.to_path_buf() });
    }
    let file = dir.join(IGNORE_FILE);
    if fs.exists(&file) && !fs.is_dir(&file) {
        let bytes =
            fs.read_file(&file).map_err(|source| Error::Read { path: file.clone(), source })?;
        out.extend(read_patterns(&String::from_utf8_lossy(&bytes), domain));
    }
    let entries =
        fs.read_dir(dir).map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
    for entry in sorted_by_name(entries) {
        let Some(name) = entry.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        if name == ".git" || !is_real_dir(fs, &entry) {
            continue;
        }
        domain.push(name);
        let r = load_into(fs, &entry, domain, depth + 1, out);
        domain.pop();
        r?;
    }
    Ok(())
}

/// Directory entries in Go's `os.ReadDir` order (by name, bytewise).
pub(crate) fn sorted_by_name(mut entries: Vec<PathBuf>) -> Vec<PathBuf> {
    entries.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    entries
}

/// A directory that is not reached through a symlink (`dir` is canonical, so a child whose
/// canonical path differs is a symlink).
pub(crate) fn is_real_dir(fs: &dyn FileSystem, path: &Path) -> bool {
    fs.is_dir(path) && fs.canonicalize(path).is_ok_and(|c| c == path)
}

/// Flux's complete ignore rules for one source: the user patterns (every `.sourceignore`,
/// then `spec.ignore`) behind the VCS defaults, or all defaults when there is no user pattern
/// (`SourceIgnoreFilter`).
#[derive(Debug, Clone)]
pub struct SourceIgnore {
    matcher: Matcher,
    user_patterns: usize,
}

impl SourceIgnore {
    /// The rules for `user` patterns (already in priority order).
    pub fn from_patterns(user: Vec<Pattern>) -> SourceIgnore {
        let user_patterns = user.len();
        let mut all = vcs_patterns(&[]);
        if user.is_empty() {
            all.extend(default_patterns(&[]));
        }
        all.extend(user);
        SourceIgnore { matcher: Matcher::new(all), user_patterns }
    }

    /// The rules for a `spec.ignore` text alone (no `.sourceignore` files).
    pub fn from_spec(spec_ignore: &str) -> SourceIgnore {
        SourceIgnore::from_patterns(read_patterns(spec_ignore, &[]))
    }

    /// Load every `.sourceignore` under `root` and append `spec_ignore`.
    ///
    /// ```
    /// use gitops_core::fs::MemFs;
    /// use gitops_core::sourceignore::SourceIgnore;
    /// use std::path::Path;
    /// let mut fs = MemFs::new();
    /// fs.add_file("/repo/apps/.sourceignore", "*.md\n");
    /// let ign = SourceIgnore::load(&fs, Path::new("/repo"), None).unwrap();
    /// assert!(ign.is_ignored("apps/README.md", false));
    /// assert!(!ign.is_ignored("README.md", false)); // scoped to apps/
    /// ```
    pub fn load(
        fs: &dyn FileSystem,
        root: &Path,
        spec_ignore: Option<&str>,
    ) -> Result<SourceIgnore, Error> {
        let mut ps = load_ignore_patterns(fs, root, &[])?;
        if let Some(spec) = spec_ignore {
            ps.extend(read_patterns(spec, &[]));
        }
        Ok(SourceIgnore::from_patterns(ps))
    }

    /// Whether the `/`-separated path relative to the source root is excluded.
    pub fn is_ignored(&self, rel_path: &str, is_dir: bool) -> bool {
        let parts: Vec<&str> = rel_path.split('/').filter(|c| !c.is_empty()).collect();
        self.matcher.matches(&parts, is_dir)
    }

    /// Whether the path given as components relative to the source root is excluded.
    pub fn is_ignored_parts<S: AsRef<str>>(&self, parts: &[S], is_dir: bool) -> bool {
        self.matcher.matches(parts, is_dir)
    }

    /// Whether the contents of an excluded directory are excluded as a whole (no `!` pattern
    /// could bring anything back), so a walk may skip it.
    pub fn excluded_dirs_are_closed(&self) -> bool {
        !self.matcher.has_inclusions()
    }

    /// How many user patterns (files and `spec.ignore`) there are; zero means the defaults
    /// apply.
    pub fn user_patterns(&self) -> usize {
        self.user_patterns
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any pattern and path: no panic; and without `!` patterns an excluded directory's
        /// contents are excluded too (what lets the artifact walk skip it).
        #[test]
        fn closed_under_descending(
            lines in proptest::collection::vec("[ab*?/\\[\\]^!-]{0,7}", 1..4),
            path in proptest::collection::vec("[ab.]{1,3}", 1..4),
            domain in proptest::collection::vec("[ab]{1,2}", 0..2),
        ) {
            let ps: Vec<Pattern> = lines.iter().map(|l| Pattern::parse(l, &domain)).collect();
            let m = Matcher::new(ps);
            let dir_hit = m.matches(&path, true);
            let _ = m.matches(&path, false);
            if dir_hit && !m.has_inclusions() {
                let mut below = path.clone();
                below.push("c".to_string());
                prop_assert!(m.matches(&below, false));
                prop_assert!(m.matches(&below, true));
            }
        }
    }

    #[test]
    fn glob_table() {
        let cases = [
            ("*.yaml", "a.yaml", true),
            ("*.yaml", "a.yml", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("[a-c]x", "bx", true),
            ("[^a-c]x", "bx", false),
            ("[^a-c]x", "dx", true),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "aXbY", false),
            ("[]a]", "a", false), // malformed
            ("[a-]", "a", false), // malformed
            ("a\\", "a", false),  // malformed
            ("", "", true),
            ("*", "", true),
            ("é*", "été", true),
        ];
        for (p, s, want) in cases {
            let got = Glob::parse(p).is_some_and(|g| g.matches(s));
            assert_eq!(got, want, "{p:?} vs {s:?}");
        }
    }
}
