//! Cross-crate and conformance tests live in `tests/`. This library holds what those
//! tests (and the `gitops` binary's tests in gitops-cli) share: Git fixture repositories
//! made with the `git` CLI, temporary directories, a copy of `examples/`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Lossy UTF-8 of a process's output.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Run `git` in `dir` with a fixed identity and no user or system configuration; panics
/// with git's stderr when it fails; returns stdout without the trailing newline.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_with(dir, &[], args)
}

/// [`git`] with the author and committer dates fixed to `time` (seconds since the epoch),
/// for fixtures whose hashes or date order matter.
pub fn git_at(dir: &Path, time: u64, args: &[&str]) -> String {
    let date = format!("@{time} +0000");
    git_with(dir, &[("GIT_AUTHOR_DATE", &date), ("GIT_COMMITTER_DATE", &date)], args)
}

fn git_with(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Fixture", "-c", "user.email=fixture@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(["-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .envs(env.iter().copied())
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    text(&out.stdout).trim_end().to_owned()
}

/// Whether the `git` binary is installed (fixtures need it); prints why a test is
/// skipped when it is not.
pub fn have_git() -> bool {
    let ok = Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: the `git` binary is not installed (needed to create fixtures)");
    }
    ok
}

/// Copy a directory tree (regular files and directories).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A directory under the system temporary directory, removed on drop. `path()` is
/// canonical (no symlinked `/tmp` surprises in path comparisons).
pub struct TempDir(PathBuf);

impl TempDir {
    /// A fresh empty directory named after `tag`, the process id and a counter (so one
    /// test binary can make several with the same tag).
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("gitops-test-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(std::fs::canonicalize(&dir).unwrap())
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The repository's `examples/` directory.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// A Git repository whose first commit (`fleet`, on `main`) holds a copy of `examples/`.
pub fn examples_repo(tag: &str) -> TempDir {
    let dir = TempDir::new(tag);
    copy_dir(&examples(), dir.path());
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "fleet"]);
    dir
}
