//! Image automation write-back on a real repository (made with the `git` CLI): setters
//! applied to the files of the branch, `commit_files` commits exactly the changed files,
//! unrelated files and the working tree stay as they were, `git fsck --strict` is clean.
#![cfg(feature = "git")]

use std::path::{Path, PathBuf};
use std::process::Command;

use gitops_core::fs::FileSystem;
use gitops_core::git::{
    Author, Error, FileChange, Repository, TreeFs, commit_files, commit_message,
};
use gitops_core::image::setters::{ImageRef, Setters, set_text};

struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("gitops-wb-{tag}-{}", std::process::id()));
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

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Fixture", "-c", "user.email=fixture@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
        .env("GIT_AUTHOR_DATE", "@1700000000 +0000")
        .env("GIT_COMMITTER_DATE", "@1700000000 +0000")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const APP: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/org/app:1.0.0 # {\"$imagepolicy\": \"flux-system:app\"}\n          env:\n            - name: SIDE_TAG\n              value: 2.0.0 # {\"$imagepolicy\": \"flux-system:side:tag\"}\n";
const OTHER: &str =
    "kind: ConfigMap\nmetadata:\n  name: other\ndata:\n  image: ghcr.io/org/app:1.0.0\n";

fn fixture(tag: &str) -> (Scratch, String) {
    let dir = Scratch::new(tag);
    let p = &dir.0;
    git(p, &["init", "-q"]);
    write(p, "apps/app.yaml", APP);
    write(p, "apps/other.yaml", OTHER);
    write(p, "README.md", "readme\n");
    write(p, "run.sh", "#!/bin/sh\n");
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(p.join("run.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "one"]);
    write(p, "apps/other.yaml", format!("{OTHER}# two\n").as_str());
    git(p, &["commit", "-qam", "two"]);
    let head = git(p, &["rev-parse", "HEAD"]);
    (dir, head)
}

fn setters() -> Setters {
    let mut policies = indexmap::IndexMap::new();
    policies
        .insert("flux-system:app".to_string(), ImageRef::parse("ghcr.io/org/app:1.1.0").unwrap());
    policies
        .insert("flux-system:side".to_string(), ImageRef::parse("ghcr.io/org/side:2.0.1").unwrap());
    Setters::new(&policies, None).unwrap()
}

fn author() -> Author {
    Author { name: "Image Bot".into(), email: "bot@example.com".into(), time: Some(1_700_001_000) }
}

#[test]
fn write_back_commits_only_the_changed_files() {
    if !have_git() {
        return;
    }
    let (dir, head) = fixture("only");
    let p = &dir.0;
    // The working tree: a dirty tracked file and an untracked file, to prove they are kept.
    write(p, "README.md", "local edit\n");
    write(p, "untracked.txt", "mine\n");
    let repo = Repository::open(p).unwrap();
    // Read the file from the branch, not from the working tree.
    let tree = TreeFs::new(&repo, &head, Path::new("/")).unwrap();
    let text = String::from_utf8(tree.read_file(Path::new("/apps/app.yaml")).unwrap()).unwrap();
    let edit = set_text(&text, &setters()).unwrap();
    let new_text = edit.text.clone().unwrap();
    let changes: Vec<FileChange> = edit
        .changes
        .iter()
        .map(|c| FileChange {
            file: "apps/app.yaml".into(),
            old: c.old_value.clone(),
            new: c.new_value.clone(),
        })
        .collect();
    let message = commit_message(None, &changes);
    assert_eq!(
        message,
        "Update from image update automation\n\n- apps/app.yaml: ghcr.io/org/app:1.0.0 -> ghcr.io/org/app:1.1.0\n- apps/app.yaml: 2.0.0 -> 2.0.1\n"
    );
    let files = vec![("apps/app.yaml".to_string(), new_text.clone().into_bytes())];
    let id = commit_files(&repo, "main", None, &files, &author(), &message).unwrap().unwrap();
    assert_eq!(git(p, &["rev-parse", "refs/heads/main"]), id);
    assert_eq!(git(p, &["rev-parse", &format!("{id}^")]), head);
    assert_eq!(git(p, &["diff", "--name-only", &head, &id]), "apps/app.yaml");
    assert_eq!(git(p, &["show", &format!("{id}:apps/app.yaml")]), new_text.trim_end());
    assert_eq!(
        git(p, &["log", "-1", "--format=%an <%ae>|%cn <%ce>|%at", &id]),
        "Image Bot <bot@example.com>|Image Bot <bot@example.com>|1700001000"
    );
    assert_eq!(git(p, &["log", "-1", "--format=%B", &id]), message.trim_end());
    // Untouched: the executable bit of run.sh, the other files, the whole working tree.
    assert!(git(p, &["ls-tree", &id, "run.sh"]).starts_with("100755 blob"));
    assert_eq!(
        git(p, &["rev-parse", &format!("{id}:apps/other.yaml")]),
        git(p, &["rev-parse", &format!("{head}:apps/other.yaml")])
    );
    assert_eq!(std::fs::read_to_string(p.join("README.md")).unwrap(), "local edit\n");
    assert_eq!(std::fs::read_to_string(p.join("untracked.txt")).unwrap(), "mine\n");
    assert_eq!(std::fs::read_to_string(p.join("apps/app.yaml")).unwrap(), APP);
    git(p, &["fsck", "--strict"]);
    // The same content again: no commit.
    assert_eq!(commit_files(&repo, "main", None, &files, &author(), &message).unwrap(), None);
    assert_eq!(git(p, &["rev-parse", "refs/heads/main"]), id);
}

#[test]
fn write_back_branches_paths_and_errors() {
    if !have_git() {
        return;
    }
    let (dir, head) = fixture("branches");
    let p = &dir.0;
    let repo = Repository::open(p).unwrap();
    let base = git(p, &["rev-parse", "HEAD~1"]);
    // A new branch from a base; a new file in a new directory; an executable file edited.
    let files = vec![
        ("new/dir/file.yaml".to_string(), b"a: 1\n".to_vec()),
        ("run.sh".to_string(), b"#!/bin/sh\necho hi\n".to_vec()),
    ];
    let id = commit_files(&repo, "image-updates", Some("HEAD~1"), &files, &author(), "msg\n")
        .unwrap()
        .unwrap();
    assert_eq!(git(p, &["rev-parse", &format!("{id}^")]), base);
    assert_eq!(git(p, &["rev-parse", "refs/heads/main"]), head, "main did not move");
    let mut names: Vec<String> =
        git(p, &["diff", "--name-only", &base, &id]).lines().map(str::to_owned).collect();
    names.sort();
    assert_eq!(names, ["new/dir/file.yaml", "run.sh"]);
    assert!(git(p, &["ls-tree", &id, "run.sh"]).starts_with("100755 blob"));
    assert!(git(p, &["ls-tree", "-r", &id, "new/dir/file.yaml"]).starts_with("100644 blob"));
    // The branch exists now: its tip is the parent, the base is ignored.
    let again = vec![("new/dir/file.yaml".to_string(), b"a: 2\n".to_vec())];
    let id2 = commit_files(&repo, "image-updates", Some("main"), &again, &author(), "m2")
        .unwrap()
        .unwrap();
    assert_eq!(git(p, &["rev-parse", &format!("{id2}^")]), id);
    git(p, &["fsck", "--strict"]);

    // Errors, and nothing written for them.
    let cases: Vec<(&str, Option<&str>, &str, String)> = vec![
        ("nope", None, "a.yaml", "couldn't find remote ref \"refs/heads/nope\"".into()),
        ("main", None, "../escape.yaml", "invalid path in repository: '../escape.yaml'".into()),
        ("main", None, "/abs.yaml", "invalid path in repository: '/abs.yaml'".into()),
        ("main", None, ".git/config", "invalid path in repository: '.git/config'".into()),
        ("main", None, "apps", "invalid path in repository: 'apps'".into()),
        ("fresh", Some("no-such-rev"), "a.yaml", "unknown revision 'no-such-rev': ".into()),
    ];
    for (branch, base, path, want) in cases {
        let files = vec![(path.to_string(), b"x: 1\n".to_vec())];
        let err = commit_files(&repo, branch, base, &files, &author(), "m").unwrap_err();
        assert!(err.to_string().starts_with(&want), "{path}: got {err}, want {want}");
        if path == "apps" {
            assert!(matches!(err, Error::InvalidPath { .. }));
        }
    }
    assert_eq!(git(p, &["rev-parse", "refs/heads/main"]), head);
    assert!(git(p, &["branch", "--list", "fresh"]).is_empty());
}
