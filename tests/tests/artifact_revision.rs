//! The artifact of a Git revision read from the object database
//! (`Artifact::from_revision`) and through a `TreeFs` is byte-identical to the artifact of a
//! fresh `git clone` checkout of the same commit, for a table of repository shapes made with
//! the `git` CLI (nested directories, `.sourceignore` at several levels, negations,
//! executables, symlinks, unicode and long names, files over 1 MB, a submodule, loose and
//! packed objects); it is deterministic; a corrupt repository or an unknown revision is a
//! clear error.
#![cfg(feature = "git")]

use std::path::{Path, PathBuf};
use std::process::Command;

use gitops_core::artifact::{Artifact, Error};
use gitops_core::fs::RealFs;
use gitops_core::git::{Repository, TreeFs};
use gitops_tests::{TempDir, git, have_git};

fn write(root: &Path, rel: &str, data: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

#[cfg(unix)]
fn symlink(root: &Path, target: &str, rel: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, p).unwrap();
}

#[cfg(unix)]
fn chmod_x(root: &Path, rel: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(root.join(rel), std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn big(n: usize) -> Vec<u8> {
    (0..n).map(|i| b"abcdefghijklmnopqrstuvwxyz\n"[(i * 7 + i / 13) % 27]).collect()
}

/// A repository shape: what to write into the working tree before `git add -A`.
type Shape = fn(&Path);

fn nested(r: &Path) {
    write(r, "apps/podinfo/base/deploy.yaml", b"kind: Deployment\n");
    write(r, "apps/podinfo/overlays/prod/kustomization.yaml", b"resources: [../../base]\n");
    write(r, "apps.yaml", b"a\n"); // sorts between `apps` and `apps/...` differently in git
    write(r, "apps-x/a.yaml", b"x\n");
    write(r, "infrastructure/controllers/helm.yaml", b"kind: HelmRelease\n");
    write(r, "README.md", b"# fleet\n");
    write(r, "logo.png", b"png"); // default exclusion
    write(r, ".github/workflows/ci.yaml", b"on: push\n"); // default exclusion
    write(r, ".gitignore", b"*.tmp\n"); // VCS default
}

fn ignores(r: &Path) {
    nested(r);
    write(r, ".sourceignore", b"# top\n*.md\n/infrastructure/\n");
    write(r, "apps/.sourceignore", b"secret*.yaml\n!secret-keep.yaml\n");
    write(r, "apps/secret-a.yaml", b"s\n");
    write(r, "apps/secret-keep.yaml", b"k\n");
    write(r, "apps/podinfo/.sourceignore", b"overlays/\n");
    write(r, "apps/podinfo/deep/.sourceignore", b"*.txt\n");
    write(r, "apps/podinfo/deep/a.txt", b"t\n");
    write(r, "apps/podinfo/deep/b.yaml", b"b\n");
    write(r, "docs/.sourceignore/not-a-file.yaml", b"dir named .sourceignore\n");
}

fn negated_dir(r: &Path) {
    write(r, "secrets/a.yaml", b"a\n");
    write(r, "secrets/keep.yaml", b"k\n");
    write(r, "secrets/sub/b.yaml", b"b\n");
    write(r, ".sourceignore", b"secrets/\n!secrets/keep.yaml\n");
}

#[cfg(unix)]
fn modes_and_links(r: &Path) {
    write(r, "bin/run.sh", b"#!/bin/sh\necho hi\n");
    chmod_x(r, "bin/run.sh");
    write(r, "bin/data.sh", b"not executable\n");
    write(r, "apps/a.yaml", b"a\n");
    symlink(r, "apps/a.yaml", "link.yaml");
    symlink(r, "apps", "linkdir");
    symlink(r, "missing", "dangling");
    symlink(r, "/etc/hostname", "absolute");
}

#[cfg(unix)]
fn linked_ignore(r: &Path) {
    write(r, "rules/ignore.txt", b"*.md\n");
    write(r, "a.md", b"a\n");
    write(r, "b.yaml", b"b\n");
    write(r, "sub/c.md", b"c\n");
    symlink(r, "rules/ignore.txt", ".sourceignore");
    symlink(r, "../rules/ignore.txt", "sub/.sourceignore");
}

fn names(r: &Path) {
    write(r, "héllo/wörld.yaml", b"unicode\n");
    write(r, "日本/設定.yaml", b"cjk\n");
    write(r, &"n".repeat(100), b"hundred\n");
    write(r, &format!("{}/{}/file.yaml", "d".repeat(60), "e".repeat(60)), b"prefix\n");
    write(r, &format!("p/{}", "q".repeat(120)), b"pax\n");
    write(r, "empty.yaml", b"");
    write(r, "block", &[b'x'; 512]);
    write(r, "a b/c d.yaml", b"spaces\n");
}

fn large(r: &Path) {
    write(r, "big/one.bin", &big(1_500_000));
    write(r, "big/two.yaml", &big(3 * 1024 * 1024 + 17));
    write(r, "small.yaml", b"s\n");
}

fn many(r: &Path) {
    for i in 0..600 {
        let body = format!("kind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  k: v{}\n", i % 7);
        write(r, &format!("apps/team-{}/cm-{i:03}.yaml", i / 100), body.as_bytes());
    }
}

fn empty_dirs(r: &Path) {
    // Git keeps no empty directories: a checkout has none, nor has the tree.
    std::fs::create_dir_all(r.join("empty/inner")).unwrap();
    write(r, "kept/a.yaml", b"a\n");
}

fn shapes() -> Vec<(&'static str, Shape, Option<&'static str>)> {
    let mut v: Vec<(&'static str, Shape, Option<&'static str>)> = vec![
        ("nested dirs, defaults", nested, None),
        ("nested dirs, spec.ignore", nested, Some("*.yaml\n!apps/**\n")),
        (".sourceignore at several levels", ignores, None),
        (".sourceignore + spec.ignore", ignores, Some("!README.md\ndocs/\n")),
        ("negation below an excluded dir", negated_dir, None),
        ("unicode and long names", names, None),
        ("files over 1 MB", large, None),
        ("600 files", many, None),
        ("empty directories", empty_dirs, None),
    ];
    #[cfg(unix)]
    {
        v.push(("executables and symlinks", modes_and_links, None));
        v.push(("symlinked .sourceignore", linked_ignore, None));
    }
    v
}

/// Create the repository (`r/src`), commit, and `git clone` it (`r/clone`): the fresh
/// checkout source-controller would archive.
fn repo_and_clone(scratch: &TempDir, shape: Shape, packed: bool) -> (PathBuf, PathBuf) {
    let src = scratch.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    git(&src, &["init", "-q", "-b", "main"]);
    git(&src, &["config", "core.symlinks", "true"]);
    shape(&src);
    git(&src, &["add", "-A"]);
    git(&src, &["commit", "-q", "-m", "shape"]);
    if packed {
        git(&src, &["gc", "-q"]);
    }
    let clone = scratch.path().join("clone");
    git(scratch.path(), &["clone", "-q", src.to_str().unwrap(), clone.to_str().unwrap()]);
    (src, clone)
}

#[test]
fn revision_artifact_equals_fresh_checkout_artifact() {
    if !have_git() {
        return;
    }
    let mut cases = 0;
    for packed in [false, true] {
        for (name, shape, spec) in shapes() {
            let scratch = TempDir::new("shape");
            let (src, clone) = repo_and_clone(&scratch, shape, packed);
            let checkout = Artifact::from_source(&RealFs, &clone, spec).unwrap();
            let repo = Repository::open(&src).unwrap();
            let from_rev = Artifact::from_revision(&repo, "main", spec)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(from_rev.paths, checkout.paths, "{name} (packed {packed})");
            if from_rev.bytes != checkout.bytes {
                let (a, b) = (gunzip(&from_rev.bytes), gunzip(&checkout.bytes));
                let i = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
                let blk = i / 512 * 512;
                panic!(
                    "{name}: at {i} ({} vs {}): {:?}\n{:?}",
                    a.len(),
                    b.len(),
                    String::from_utf8_lossy(&a[blk..(blk + 512).min(a.len())]),
                    String::from_utf8_lossy(&b[blk..(blk + 512).min(b.len())])
                );
            }
            // Through a TreeFs, mounted anywhere.
            let commit = repo.rev_parse("main").unwrap();
            let mount = Path::new("/srv/checkout");
            let fs = TreeFs::new(&repo, &commit, mount).unwrap();
            let via_fs = Artifact::from_source(&fs, mount, spec).unwrap();
            assert_eq!(via_fs.bytes, checkout.bytes, "{name} via TreeFs (packed {packed})");
            // Determinism: a second build gives the same digest.
            let again = Artifact::from_revision(&repo, &commit, spec).unwrap();
            assert_eq!(again.digest, from_rev.digest, "{name}");
            cases += 1;
        }
    }
    assert!(cases >= 18);
}

#[test]
fn archived_entries_follow_flux_rules() {
    if !have_git() {
        return;
    }
    let scratch = TempDir::new("rules");
    let (src, _) = repo_and_clone(&scratch, ignores, false);
    let repo = Repository::open(&src).unwrap();
    let a = Artifact::from_revision(&repo, "HEAD", None).unwrap();
    // Go's walk: each directory's entries by name, depth first (`apps/...` before
    // `apps-x`, although Git's tree order puts `apps-x` and `apps.yaml` first). User
    // patterns exist, so the `*.png` and `.github/` defaults are off; `.gitignore` (a VCS
    // default) stays out; a directory named `.sourceignore` is archived, not read.
    let want = [
        ".",
        ".github",
        ".github/workflows",
        ".github/workflows/ci.yaml",
        ".sourceignore",
        "apps",
        "apps/.sourceignore",
        "apps/podinfo",
        "apps/podinfo/.sourceignore",
        "apps/podinfo/base",
        "apps/podinfo/base/deploy.yaml",
        "apps/podinfo/deep",
        "apps/podinfo/deep/.sourceignore",
        "apps/podinfo/deep/b.yaml",
        "apps/secret-keep.yaml",
        "apps-x",
        "apps-x/a.yaml",
        "apps.yaml",
        "docs",
        "docs/.sourceignore",
        "docs/.sourceignore/not-a-file.yaml",
        "logo.png",
    ];
    assert_eq!(a.paths, want);
    #[cfg(unix)]
    {
        let scratch = TempDir::new("modes");
        let (src, _) = repo_and_clone(&scratch, modes_and_links, false);
        let repo = Repository::open(&src).unwrap();
        let a = Artifact::from_revision(&repo, "HEAD", None).unwrap();
        // Symlinks (to files, to directories, dangling, absolute) are left out.
        assert_eq!(a.paths, [".", "apps", "apps/a.yaml", "bin", "bin/data.sh", "bin/run.sh"]);
        let tar = gunzip(&a.bytes);
        // bin/data.sh then bin/run.sh: modes 0600 and 0700 in the header's mode field.
        let modes: Vec<&[u8]> =
            tar.chunks(512).filter(|h| h.starts_with(b"bin/")).map(|h| &h[100..107]).collect();
        assert_eq!(modes, [b"0000600" as &[u8], b"0000700"]);
    }
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("gzip")
        .arg("-dc")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = bytes.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    assert!(out.status.success());
    out.stdout
}

#[test]
fn submodule_is_an_empty_directory_as_in_a_checkout() {
    if !have_git() {
        return;
    }
    let scratch = TempDir::new("submodule");
    let src = scratch.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    git(&src, &["init", "-q", "-b", "main"]);
    write(&src, "a.yaml", b"a\n");
    write(&src, ".gitmodules", b"[submodule \"vendor/lib\"]\n\tpath = vendor/lib\n\turl = ./lib\n");
    git(&src, &["add", "-A"]);
    let sha = "1234567890123456789012345678901234567890";
    git(&src, &["update-index", "--add", "--cacheinfo", &format!("160000,{sha},vendor/lib")]);
    git(&src, &["commit", "-q", "-m", "gitlink"]);
    let clone = scratch.path().join("clone");
    git(scratch.path(), &["clone", "-q", src.to_str().unwrap(), clone.to_str().unwrap()]);
    let checkout = Artifact::from_source(&RealFs, &clone, None).unwrap();
    let repo = Repository::open(&src).unwrap();
    let a = Artifact::from_revision(&repo, "main", None).unwrap();
    assert_eq!(a.paths, [".", "a.yaml", "vendor", "vendor/lib"]);
    assert_eq!(a.bytes, checkout.bytes);
}

#[test]
fn unknown_revision_and_corrupt_repository_are_clear_errors() {
    if !have_git() {
        return;
    }
    let scratch = TempDir::new("errors");
    let (src, _) = repo_and_clone(&scratch, nested, false);
    let repo = Repository::open(&src).unwrap();
    let err = Artifact::from_revision(&repo, "no-such-branch", None).unwrap_err();
    assert!(matches!(err, Error::Git(_)), "{err:?}");
    assert!(err.to_string().starts_with("unknown revision 'no-such-branch': "), "{err}");

    // A blob whose loose object file is garbage: the error names the blob and the path.
    let blob = git(&src, &["rev-parse", "main:apps/podinfo/base/deploy.yaml"]);
    let object = src.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    let mut perms = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&object, perms).unwrap();
    std::fs::write(&object, b"not zlib at all").unwrap();
    let repo = Repository::open(&src).unwrap();
    let err = Artifact::from_revision(&repo, "main", None).unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("apps/podinfo/base/deploy.yaml: reading blob "), "{text}");
    assert!(text.contains(&blob), "{text}");

    // A missing tree object.
    let tree = git(&src, &["rev-parse", "main:apps/podinfo"]);
    std::fs::remove_file(src.join(".git/objects").join(&tree[..2]).join(&tree[2..])).unwrap();
    let repo = Repository::open(&src).unwrap();
    let err = Artifact::from_revision(&repo, "main", None).unwrap_err();
    assert!(err.to_string().contains(&format!("reading tree {tree} (apps/podinfo)")), "{err}");

    // Not a repository at all.
    let err = Repository::open(scratch.path().join("clone/apps")).unwrap_err();
    assert!(err.to_string().contains("not a git repository"), "{err}");
}
