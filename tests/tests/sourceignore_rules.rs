//! `.sourceignore` / `spec.ignore` rules: a table of pattern cases (every expected value was
//! cross-checked against fluxcd/pkg `sourceignore` v0.18.0 compiled as an oracle), plus
//! loading from a tree (domains, `.git`, `spec.ignore` priority, defaults).

use gitops_core::fs::{MemFs, RealFs};
use gitops_core::sourceignore::{self, MatchResult, Pattern, SourceIgnore};
use std::path::Path;

/// `patterns` (`\n`-separated) `domain` (`,`) `path` (`/`) `is_dir` `mode` `want`; mode `m` =
/// the patterns alone, `filter` = Flux's archive filter (VCS always, other defaults only when
/// there is no user pattern).
const CASES: &str = r#"*.yaml		a.yaml	0	m	1
*.yaml		dir/a.yaml	0	m	1
*.yaml		a.yml	0	m	0
!*.yaml		a.yaml	0	m	0
*.yaml\n!keep.yaml		keep.yaml	0	m	0
*.yaml\n!keep.yaml		drop.yaml	0	m	1
!keep.yaml\n*.yaml		keep.yaml	0	m	1
vol		vol	0	m	1
vol		vol/data	0	m	1
vol		a/vol	1	m	1
vol		a/vol/b	0	m	1
vol		volume	0	m	0
vol		xvol	0	m	0
vol/		vol	1	m	1
vol/		vol	0	m	0
vol/		a/vol	0	m	0
vol/		vol/file	0	m	1
vol/		a/vol/file	0	m	1
vol*		vols	0	m	1
v?l		val	0	m	1
v?l		vl	0	m	0
[a-c]*.md		b-notes.md	0	m	1
[^a-c]*.md		b-notes.md	0	m	0
[^a-c]*.md		d-notes.md	0	m	1
\*.md		*.md	0	m	1
\*.md		x.md	0	m	0
\#notes		#notes	0	m	1
[]x]		x	0	m	0
[x-]		x	0	m	0
vol	a	a/vol	0	m	1
vol	a	b/vol	0	m	0
vol	a	vol	0	m	0
vol	a	a	1	m	0
vol	a,b	a	1	m	0
/vol		vol	0	m	1
/vol		a/vol	0	m	0
/a/b		a/b	0	m	1
/a/b		a/b/c	0	m	1
/a/b		a	1	m	0
a/b		a/b	0	m	1
a/b		x/a/b	0	m	0
a/b	x	x/a/b	0	m	1
a/b	x	a/b	0	m	0
a/*.yaml		a/x.yaml	0	m	1
a/*.yaml		a/b/x.yaml	0	m	0
**/foo		foo	0	m	1
**/foo		a/b/foo	0	m	1
**/foo		a/b/foo/c	0	m	1
**/foo		a/b/food	0	m	0
**/foo/		a/foo	1	m	1
**/foo/		a/foo	0	m	0
**/foo/		a/foo/x	0	m	1
foo/**		foo/a	0	m	1
foo/**		foo/a/b	0	m	1
foo/**		foo	0	m	1
foo/**		bar/a	0	m	0
a/**/z		a/z	0	m	1
a/**/z		a/b/z	0	m	1
a/**/z		a/b/c/z	0	m	1
a/**/z		a/b/c/y	0	m	0
a/**/z/		a/b/z	1	m	1
a/**/z/		a/b/z	0	m	0
a/**z		a/bz	0	m	0
a/b**/c		a/b/c	0	m	0
a//b		a/b	0	m	1
a/[/b		a/x/b	0	m	0
a/**/[		a/x/[	0	m	0
**		anything	0	m	1
**		a/b	0	m	1
trailing   		trailing	0	m	1
trailing\ 		trailing 	0	m	1
 lead		lead	0	m	0
 lead		 lead	0	m	1
!		x	0	m	0
/		x	1	m	0
.git/		.git	1	filter	1
.git/		.git/config	0	filter	1
x		.git/config	0	filter	1
x		.gitignore	0	filter	1
x		sub/.gitattributes	0	filter	1
x		logo.png	0	filter	0
		logo.png	0	filter	1
		img/logo.PNG	0	filter	0
		a/b.tar.gz	0	filter	1
		.github	1	filter	1
		.github/workflows/ci.yaml	0	filter	1
		.github	0	filter	0
		deep/.sops.yaml	0	filter	1
		.sops.yaml	0	filter	1
		.goreleaser.yml	0	filter	1
		app/.travis.yml	0	filter	1
		deploy.yaml	0	filter	0
\n# comment only		logo.png	0	filter	1
!.git/		.git/config	0	filter	0
!.gitignore		.gitignore	0	filter	0
*\n!deploy		deploy	0	filter	0
*\n!deploy		other	0	filter	1"#;

#[test]
fn pattern_table() {
    let mut n = 0;
    for (i, line) in CASES.lines().enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 6, "line {i}: {line:?}");
        let text = f[0].replace("\\n", "\n");
        let domain: Vec<String> =
            if f[1].is_empty() { vec![] } else { f[1].split(',').map(String::from).collect() };
        let path: Vec<&str> = f[2].split('/').collect();
        let is_dir = f[3] == "1";
        let ps = sourceignore::read_patterns(&text, &domain);
        let ign = SourceIgnore::from_patterns(ps.clone());
        let m = sourceignore::Matcher::new(ps);
        let matches = |p: &[&str], d: bool| match f[4] {
            "m" => m.matches(p, d),
            _ => ign.is_ignored_parts(p, d),
        };
        let got = matches(&path, is_dir);
        // The artifact walk skips an excluded directory when no pattern re-includes: that is
        // only sound if everything below it is excluded too.
        if got && is_dir && !m.has_inclusions() && ign.excluded_dirs_are_closed() {
            let mut below = path.clone();
            below.push("child");
            assert!(matches(&below, false) && matches(&below, true), "case {i}: below {:?}", f[2]);
        }
        assert_eq!(
            got,
            f[5] == "1",
            "case {i}: patterns {:?} domain {:?} path {:?} dir {is_dir}",
            f[0],
            f[1],
            f[2]
        );
        n += 1;
    }
    assert!(n >= 90, "{n} cases");
}

#[test]
fn read_patterns_skips_comments_and_blank_lines() {
    let text = "# comment\n\n   \n*.yaml\r\n  # not a comment\n!keep.yaml\n";
    let ps = sourceignore::read_patterns(text, &[]);
    assert_eq!(ps.len(), 3);
    assert_eq!(ps[0], Pattern::parse("*.yaml", &[]));
    assert_eq!(ps[1], Pattern::parse("  # not a comment", &[]));
    assert_eq!(ps[2].matches(&["keep.yaml"], false), MatchResult::Include);
}

#[test]
fn default_pattern_lists() {
    assert_eq!(sourceignore::vcs_patterns(&[]).len(), 4);
    assert_eq!(sourceignore::default_patterns(&[]).len(), 8 + 9 + 3);
    let d = vec!["sub".to_string()];
    // Defaults scoped to a domain only apply below it.
    let m = sourceignore::Matcher::new(sourceignore::default_patterns(&d));
    assert!(m.matches(&["sub", "x.png"], false));
    assert!(!m.matches(&["x.png"], false));
}

fn tree() -> MemFs {
    let mut fs = MemFs::new();
    fs.add_file("/repo/.sourceignore", "# root rules\n*.txt\n/build/\n");
    fs.add_file("/repo/apps/.sourceignore", "secret.yaml\n!keep.txt\n");
    fs.add_file("/repo/apps/deep/.sourceignore", "/local.yaml\n");
    fs.add_file("/repo/.git/.sourceignore", "*.yaml\n"); // never read
    fs.add_file("/repo/README.md", "x");
    fs.add_file("/repo/apps/secret.yaml", "x");
    fs.add_file("/repo/secret.yaml", "x");
    fs.add_file("/repo/logo.png", "x");
    fs.add_symlink("/repo/linked", "/repo/apps"); // not followed for .sourceignore
    fs
}

#[test]
fn load_from_tree_scopes_patterns_to_their_directory() {
    let fs = tree();
    let ps = sourceignore::load_ignore_patterns(&fs, Path::new("/repo"), &[]).unwrap();
    // root (2 patterns), apps (2), apps/deep (1); .git and the symlink are skipped.
    assert_eq!(ps.len(), 5);
    let ign = SourceIgnore::load(&fs, Path::new("/repo"), None).unwrap();
    let cases = [
        ("notes.txt", false, true),
        ("apps/notes.txt", false, true),
        ("apps/keep.txt", false, false), // re-included by apps/.sourceignore (later = higher)
        ("keep.txt", false, true),       // the negation is scoped to apps/
        ("apps/secret.yaml", false, true),
        ("apps/x/secret.yaml", false, true),
        ("secret.yaml", false, false),
        ("apps/deep/local.yaml", false, true),
        ("apps/deep/x/local.yaml", false, false), // anchored to apps/deep/
        ("local.yaml", false, false),
        ("build", true, true),
        ("build/out.yaml", false, true),
        ("apps/build", true, false),
        ("logo.png", false, false), // user patterns exist: no extension defaults
        (".git/config", false, true),
        ("README.md", false, false),
        ("", true, false), // the root itself is never excluded
    ];
    for (p, dir, want) in cases {
        assert_eq!(ign.is_ignored(p, dir), want, "{p}");
    }
    assert_eq!(ign.user_patterns(), 5);
}

#[test]
fn spec_ignore_is_appended_with_higher_priority() {
    let fs = tree();
    let ign =
        SourceIgnore::load(&fs, Path::new("/repo"), Some("!notes.txt\n/secret.yaml\n")).unwrap();
    assert!(!ign.is_ignored("notes.txt", false));
    assert!(!ign.is_ignored("apps/notes.txt", false));
    assert!(ign.is_ignored("secret.yaml", false));
    assert_eq!(ign.user_patterns(), 7);
}

#[test]
fn defaults_apply_only_without_user_patterns() {
    let mut fs = MemFs::new();
    fs.add_file("/r/.sourceignore", "# only comments\n\n");
    fs.add_file("/r/a.png", "x");
    let ign = SourceIgnore::load(&fs, Path::new("/r"), None).unwrap();
    assert_eq!(ign.user_patterns(), 0);
    assert!(ign.is_ignored("a.png", false));
    assert!(ign.is_ignored(".github/workflows/x.yaml", false));
    let ign = SourceIgnore::load(&fs, Path::new("/r"), Some("unrelated\n")).unwrap();
    assert!(!ign.is_ignored("a.png", false));
    assert!(!ign.is_ignored(".github/workflows/x.yaml", false));
    assert!(ign.is_ignored(".gitmodules", false));
    // An empty spec.ignore adds no pattern either.
    let ign = SourceIgnore::load(&fs, Path::new("/r"), Some("")).unwrap();
    assert!(ign.is_ignored("a.png", false));
}

#[test]
fn load_from_real_fs_and_missing_root() {
    let dir = std::env::temp_dir().join(format!("gitops-sourceignore-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/.sourceignore"), "*.md\n").unwrap();
    let ign = SourceIgnore::load(&RealFs, &dir, None).unwrap();
    assert!(ign.is_ignored("sub/a.md", false));
    assert!(!ign.is_ignored("a.md", false));
    let err = SourceIgnore::load(&RealFs, &dir.join("nope"), None).unwrap_err();
    assert!(
        err.to_string().starts_with("failed to load source ignore patterns from repository: "),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
