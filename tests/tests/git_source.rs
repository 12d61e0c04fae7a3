//! Git sources on real repositories made at test time with the `git` CLI (only to create
//! fixtures): ref resolution in Flux's order with Flux's revision strings (cases modelled on
//! source-controller's GitRepository ref table), TreeFs reads, a shared local clone,
//! clear errors for unknown references and a corrupt repository, and a whole-cluster render
//! at an older revision equal to the render of a checkout of that revision.
#![cfg(feature = "git")]

use std::path::{Path, PathBuf};
use std::process::Command;

use gitops_core::fs::{FileSystem, RealFs};
use gitops_core::git::{Error, GitRef, Repository, TreeFs, resolve};

/// A scratch directory removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "gitops-git-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(std::fs::canonicalize(&dir).unwrap())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn have_git() -> bool {
    let ok = Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: the `git` binary is not installed (needed to create fixtures)");
    }
    ok
}

/// Run git in `dir` with a fixed identity; `time` sets author and committer dates.
fn git_at(dir: &Path, time: i64, args: &[&str]) -> String {
    let date = format!("@{time} +0000");
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Fixture", "-c", "user.email=fixture@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(["-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"])
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn git(dir: &Path, args: &[&str]) -> String {
    git_at(dir, 1_700_000_000, args)
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// c1 ← c2 ← c3 on main; staging at c2; master at c1; refs/pull/1/head at c2.
/// Tags: v0.1.0 (lightweight, c1), 0.2.0 (annotated, c2), v1.0.0-alpha (c3),
/// 1.0.0-rc.1 (c3), 1.5.0 (c1, old) and v1.5.0 (c3, newer) for the tie-break, and an
/// annotated v2.0.0 (c1, tagged last) / 2.0.0 (c3, tagged first) pair.
struct Fixture {
    _dir: Scratch,
    path: PathBuf,
    c1: String,
    c2: String,
    c3: String,
}

fn fixture() -> Fixture {
    let dir = Scratch::new("refs");
    let path = dir.0.clone();
    git(&path, &["init", "-q"]);
    write(&path, "a.txt", "one\n");
    git_at(&path, 1_700_000_100, &["add", "-A"]);
    git_at(&path, 1_700_000_100, &["commit", "-qm", "c1"]);
    let c1 = git(&path, &["rev-parse", "HEAD"]);
    write(&path, "a.txt", "two\n");
    git_at(&path, 1_700_000_200, &["commit", "-qam", "c2"]);
    let c2 = git(&path, &["rev-parse", "HEAD"]);
    write(&path, "a.txt", "three\n");
    git_at(&path, 1_700_000_300, &["commit", "-qam", "c3"]);
    let c3 = git(&path, &["rev-parse", "HEAD"]);
    git(&path, &["branch", "staging", &c2]);
    git(&path, &["branch", "master", &c1]);
    git(&path, &["update-ref", "refs/pull/1/head", &c2]);
    git(&path, &["tag", "v0.1.0", &c1]);
    git_at(&path, 1_700_000_200, &["tag", "-a", "0.2.0", "-m", "release 0.2.0", &c2]);
    git(&path, &["tag", "v1.0.0-alpha", &c3]);
    git(&path, &["tag", "1.0.0-rc.1", &c3]);
    git(&path, &["tag", "1.5.0", &c1]);
    git(&path, &["tag", "v1.5.0", &c3]);
    // Same version twice, annotated: the tag on c1 is tagged later than the one on c3.
    git_at(&path, 1_700_000_900, &["tag", "-a", "v2.0.0", "-m", "late", &c1]);
    git_at(&path, 1_700_000_400, &["tag", "-a", "2.0.0", "-m", "early", &c3]);
    Fixture { _dir: dir, path, c1, c2, c3 }
}

fn gref(f: impl FnOnce(&mut GitRef)) -> GitRef {
    let mut r = GitRef::default();
    f(&mut r);
    r
}

fn s(x: &str) -> Option<String> {
    Some(x.to_owned())
}

#[test]
fn resolve_table() {
    if !have_git() {
        return;
    }
    let fx = fixture();
    let repo = Repository::open(&fx.path).unwrap();
    let (c1, c2, c3) = (fx.c1.as_str(), fx.c2.as_str(), fx.c3.as_str());
    let cases: Vec<(&str, GitRef, String)> = vec![
        ("default branch is master", GitRef::default(), format!("master@sha1:{c1}")),
        ("branch", gref(|r| r.branch = s("main")), format!("main@sha1:{c3}")),
        ("other branch", gref(|r| r.branch = s("staging")), format!("staging@sha1:{c2}")),
        ("lightweight tag", gref(|r| r.tag = s("v0.1.0")), format!("v0.1.0@sha1:{c1}")),
        ("annotated tag peeled", gref(|r| r.tag = s("0.2.0")), format!("0.2.0@sha1:{c2}")),
        ("semver <v0.2.1", gref(|r| r.semver = s("<v0.2.1")), format!("0.2.0@sha1:{c2}")),
        ("semver <0.2.0", gref(|r| r.semver = s("< 0.2.0")), format!("v0.1.0@sha1:{c1}")),
        (
            "semver pre-release range",
            gref(|r| r.semver = s(">=1.0.0-0 <1.1.0-0")),
            format!("1.0.0-rc.1@sha1:{c3}"),
        ),
        (
            "semver pre-release alpha",
            gref(|r| r.semver = s(">=1.0.0-0 <1.0.0-beta")),
            format!("v1.0.0-alpha@sha1:{c3}"),
        ),
        ("semver rejects pre-releases", gref(|r| r.semver = s("<1.0.0")), {
            format!("0.2.0@sha1:{c2}")
        }),
        (
            "semver tie: newest committer time wins",
            gref(|r| r.semver = s("1.5.0")),
            format!("v1.5.0@sha1:{c3}"),
        ),
        (
            "semver tie: annotated tags use the commit's time, not the tagger's",
            gref(|r| r.semver = s("2.0.0")),
            format!("2.0.0@sha1:{c3}"),
        ),
        ("semver highest", gref(|r| r.semver = s("*")), format!("2.0.0@sha1:{c3}")),
        ("name branch", gref(|r| r.name = s("refs/heads/staging")), {
            format!("refs/heads/staging@sha1:{c2}")
        }),
        ("name pull", gref(|r| r.name = s("refs/pull/1/head")), {
            format!("refs/pull/1/head@sha1:{c2}")
        }),
        ("name tag", gref(|r| r.name = s("refs/tags/0.2.0")), format!("refs/tags/0.2.0@sha1:{c2}")),
        ("commit only", gref(|r| r.commit = s(c2)), format!("sha1:{c2}")),
        (
            "commit in branch",
            gref(|r| {
                r.commit = s(c1);
                r.branch = s("main")
            }),
            format!("main@sha1:{c1}"),
        ),
        (
            "tag beats semver (code order)",
            gref(|r| {
                r.tag = s("v0.1.0");
                r.semver = s("*")
            }),
            format!("v0.1.0@sha1:{c1}"),
        ),
        (
            "commit beats everything",
            gref(|r| {
                r.commit = s(c2);
                r.tag = s("v0.1.0");
                r.name = s("refs/heads/main")
            }),
            format!("sha1:{c2}"),
        ),
        (
            "name beats tag",
            gref(|r| {
                r.name = s("refs/heads/main");
                r.tag = s("v0.1.0")
            }),
            format!("refs/heads/main@sha1:{c3}"),
        ),
        (
            "semver beats branch",
            gref(|r| {
                r.semver = s("<0.2.0");
                r.branch = s("main")
            }),
            format!("v0.1.0@sha1:{c1}"),
        ),
        (
            "empty strings are unset",
            gref(|r| {
                r.tag = s("");
                r.branch = s("staging")
            }),
            format!("staging@sha1:{c2}"),
        ),
    ];
    for (name, r, want) in cases {
        let got = resolve(&repo, &r).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got.revision, want, "{name}");
        assert_eq!(gitops_core::git::revision::extract_hash(&got.revision), got.commit, "{name}");
    }
}

#[test]
fn resolve_errors() {
    if !have_git() {
        return;
    }
    let fx = fixture();
    let repo = Repository::open(&fx.path).unwrap();
    let zero = "0".repeat(40);
    let cases: Vec<(GitRef, String)> = vec![
        (gref(|r| r.branch = s("nope")), "couldn't find remote ref \"refs/heads/nope\"".into()),
        (
            gref(|r| r.tag = s("v9.9.9")),
            "unable to resolve tag 'v9.9.9': reference not found".into(),
        ),
        (gref(|r| r.semver = s(">=9.0.0")), "no match found for semver: >=9.0.0".into()),
        (gref(|r| r.semver = s("not a range")), "semver parse error: ".into()),
        (
            gref(|r| r.name = s("refs/heads/nope")),
            "unable to resolve ref 'refs/heads/nope' to a specific commit".into(),
        ),
        (gref(|r| r.name = s("main")), "unable to resolve ref 'main' to a specific commit".into()),
        (gref(|r| r.commit = s(&zero)), format!("unable to resolve commit object for '{zero}': ")),
        (gref(|r| r.commit = s("xyz")), "unable to resolve commit object for 'xyz': ".into()),
        (
            gref(|r| {
                r.commit = s(&fx.c3);
                r.branch = s("staging")
            }),
            format!("commit '{}' is not reachable from branch 'staging'", fx.c3),
        ),
    ];
    for (r, want) in cases {
        let err = resolve(&repo, &r).expect_err(&want).to_string();
        assert!(err.starts_with(&want), "got {err:?}, want {want:?}");
    }
    // rev_parse on an unknown revision
    let err = repo.rev_parse("does-not-exist").unwrap_err().to_string();
    assert!(err.starts_with("unknown revision 'does-not-exist': "), "{err}");
    // Not a repository at all.
    let empty = Scratch::new("empty");
    let err = Repository::open(&empty.0).unwrap_err();
    assert!(matches!(err, Error::Open { .. }), "{err}");
    assert!(err.to_string().contains("not a git repository"), "{err}");
}

#[test]
fn tree_fs_reads_a_commit_without_checkout() {
    if !have_git() {
        return;
    }
    let dir = Scratch::new("tree");
    let p = &dir.0;
    git(p, &["init", "-q"]);
    write(p, "app/base/deploy.yaml", "kind: Deployment\n");
    write(p, "app/run.sh", "#!/bin/sh\n");
    std::os::unix::fs::symlink("base/deploy.yaml", p.join("app/link.yaml")).unwrap();
    std::os::unix::fs::symlink("..", p.join("app/base/up")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", p.join("outside")).unwrap();
    std::os::unix::fs::symlink("loop2", p.join("loop1")).unwrap();
    std::os::unix::fs::symlink("loop1", p.join("loop2")).unwrap();
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "one"]);
    let first = git(p, &["rev-parse", "HEAD"]);
    write(p, "app/base/deploy.yaml", "kind: StatefulSet\n");
    git(p, &["commit", "-qam", "two"]);
    let repo = Repository::discover(p.join("app")).unwrap();
    assert_eq!(repo.workdir().map(Path::to_path_buf), Some(p.clone()));
    let head = repo.rev_parse("HEAD~1").unwrap();
    assert_eq!(head, first);
    let fs = TreeFs::new(&repo, &head, Path::new("/")).unwrap();
    assert_eq!(fs.commit(), first);
    let read = |x: &str| String::from_utf8(fs.read_file(Path::new(x)).unwrap()).unwrap();
    assert_eq!(read("/app/base/deploy.yaml"), "kind: Deployment\n");
    assert_eq!(read("/app/link.yaml"), "kind: Deployment\n");
    assert_eq!(read("/app/base/up/base/deploy.yaml"), "kind: Deployment\n");
    assert!(fs.is_dir(Path::new("/app/base/up")));
    assert_eq!(
        fs.canonicalize(Path::new("/app/base/up/link.yaml")).unwrap(),
        PathBuf::from("/app/base/deploy.yaml")
    );
    assert!(!fs.exists(Path::new("/outside")), "absolute targets stay in the tree");
    assert!(fs.read_file(Path::new("/loop1")).is_err(), "symlink loops are bounded");
    assert_eq!(
        fs.read_dir(Path::new("/app")).unwrap(),
        ["/app/base", "/app/link.yaml", "/app/run.sh"].map(PathBuf::from)
    );
    // The working tree is at the newer commit and was not touched.
    assert_eq!(
        std::fs::read_to_string(p.join("app/base/deploy.yaml")).unwrap(),
        "kind: StatefulSet\n"
    );
    // Mounted at the working tree's own path, paths are the same as on disk.
    let mounted = TreeFs::new(&repo, &head, p).unwrap();
    assert_eq!(mounted.read_file(&p.join("app/base/deploy.yaml")).unwrap(), b"kind: Deployment\n");
}

#[test]
fn clone_local_is_shared_and_resolves_the_same() {
    if !have_git() {
        return;
    }
    let fx = fixture();
    let dst = Scratch::new("clone");
    let target = dst.0.join("mirror.git");
    let clone = Repository::clone_local(&fx.path, &target).unwrap();
    assert!(clone.workdir().is_none());
    for r in
        [gref(|r| r.branch = s("main")), gref(|r| r.tag = s("0.2.0")), gref(|r| r.semver = s("*"))]
    {
        let a = resolve(&Repository::open(&fx.path).unwrap(), &r).unwrap();
        let b = resolve(&clone, &r).unwrap();
        assert_eq!(a, b);
    }
    let fs = TreeFs::new(&clone, &fx.c2, Path::new("/")).unwrap();
    assert_eq!(fs.read_file(Path::new("/a.txt")).unwrap(), b"two\n");
    // git itself accepts the clone.
    git(&target, &["fsck", "--strict"]);
    assert_eq!(git(&target, &["rev-parse", "refs/heads/main"]), fx.c3);
}

#[test]
fn corrupt_repository_gives_a_clear_error() {
    if !have_git() {
        return;
    }
    let dir = Scratch::new("corrupt");
    let p = &dir.0;
    git(p, &["init", "-q"]);
    write(p, "a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
    write(p, "b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "one"]);
    let blob = git(p, &["rev-parse", "HEAD:b.yaml"]);
    let commit = git(p, &["rev-parse", "HEAD"]);
    let object = |id: &str| p.join(".git/objects").join(&id[..2]).join(&id[2..]);
    let truncate = |path: PathBuf| {
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&path, perms).unwrap();
        let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.set_len(7).unwrap();
    };
    truncate(object(&blob));
    let repo = Repository::open(p).unwrap();
    // File contents are read on demand: the tree opens, the damaged file fails to read.
    let fs = TreeFs::new(&repo, &commit, Path::new("/")).unwrap();
    assert!(fs.read_file(Path::new("/a.yaml")).unwrap().ends_with(b"name: a\n"));
    let err = fs.read_file(Path::new("/b.yaml")).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    let err = err.to_string();
    assert!(err.starts_with(&format!("reading blob {blob} (/b.yaml): ")), "{err}");
    // A kustomize build over the damaged tree reports it (no panic).
    std::fs::write(p.join("kustomization.yaml"), "resources:\n- a.yaml\n- b.yaml\n").unwrap();
    git(p, &["add", "kustomization.yaml"]);
    git(p, &["commit", "-qm", "two"]);
    let with_k = git(p, &["rev-parse", "HEAD"]);
    let repo = Repository::open(p).unwrap();
    let fs = TreeFs::new(&repo, &with_k, Path::new("/")).unwrap();
    let built = gitops_kustomize::build(&fs, Path::new("/"), &Default::default());
    let err = built.map(|_| ()).expect_err("damaged blob").to_string();
    assert!(err.contains(&format!("reading blob {blob}")), "{err}");
    truncate(object(&with_k));
    let repo = Repository::open(p).unwrap();
    let err = resolve(&repo, &gref(|r| r.branch = s("main"))).unwrap_err().to_string();
    assert!(err.starts_with("reading refs/heads/main: "), "{err}");
    let err = TreeFs::new(&repo, &with_k, Path::new("/")).unwrap_err().to_string();
    assert!(err.starts_with(&format!("reading commit {with_k}: ")), "{err}");
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn render_text(fs: &dyn FileSystem, cluster: &Path) -> String {
    use gitops_core::render::{Options, render_cluster};
    let outcome = render_cluster(
        fs,
        cluster,
        &gitops_kustomize::flux::FluxBuilder::default(),
        &Options::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", cluster.display()));
    let mut out = String::new();
    for ks in &outcome.kustomizations {
        out.push_str(&format!("# {} {}\n", ks.key(), ks.path));
        for o in &ks.objects {
            out.push_str(&gitops_core::yaml::to_kustomize_yaml(o.value()).unwrap());
            out.push_str("---\n");
        }
    }
    out
}

#[test]
fn render_at_an_older_revision_equals_render_of_its_checkout() {
    if !have_git() {
        return;
    }
    let dir = Scratch::new("render");
    let p = &dir.0;
    let examples =
        gitops_core::fs::clean(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples"));
    copy_dir(&examples, p);
    git(p, &["init", "-q"]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "initial"]);
    let old = git(p, &["rev-parse", "HEAD"]);
    // A later change: a new image in the podinfo base, a removed ConfigMap in dev.
    let deploy = p.join("apps/podinfo/base/deployment.yaml");
    let text = std::fs::read_to_string(&deploy).unwrap();
    let changed = text.replacen("replicas:", "minReadySeconds: 7\n  replicas:", 1);
    assert_ne!(changed, text);
    std::fs::write(&deploy, changed).unwrap();
    git(p, &["commit", "-qam", "later"]);
    let repo = Repository::discover(p).unwrap();
    for cluster in ["dev", "staging", "production"] {
        let cluster_path = p.join("clusters").join(cluster);
        let at_old = TreeFs::new(&repo, &old, p).unwrap();
        let from_tree = render_text(&at_old, &cluster_path);
        let head = render_text(&RealFs, &cluster_path);
        assert_ne!(from_tree, head, "{cluster}: the later commit changes the render");
        let at_head = TreeFs::new(&repo, &repo.rev_parse("HEAD").unwrap(), p).unwrap();
        assert_eq!(render_text(&at_head, &cluster_path), head, "{cluster} at HEAD");
        git(p, &["checkout", "-q", &old]);
        let checkout = render_text(&RealFs, &cluster_path);
        git(p, &["checkout", "-q", "main"]);
        assert_eq!(from_tree, checkout, "{cluster}: tree render == checkout render");
    }
}
