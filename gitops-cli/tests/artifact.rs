//! `gitops artifact`: Flux's revision string, the digest and size of the artifact of a
//! revision, `--out` written atomically (the digest is the file's sha256; nothing is left
//! behind when the build fails), clear errors for an unknown revision and a non-repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gitops(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gitops")).args(args).current_dir(cwd).output().unwrap()
}

struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("gitops-cli-artifact-{tag}-{}", std::process::id()));
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

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .args(args)
        .output()
        .ok()?;
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A repository with two commits on `main` and a tag on the first; `None` without `git`.
fn repo(scratch: &Scratch) -> Option<(PathBuf, String, String)> {
    let r = scratch.0.join("repo");
    std::fs::create_dir_all(r.join("apps")).unwrap();
    git(&r, &["init", "-q", "-b", "main"])?;
    std::fs::write(r.join("apps/a.yaml"), "kind: ConfigMap\n").unwrap();
    std::fs::write(r.join("README.md"), "# r\n").unwrap();
    git(&r, &["add", "-A"])?;
    git(&r, &["commit", "-q", "-m", "one"])?;
    git(&r, &["tag", "v1.0.0"])?;
    let first = git(&r, &["rev-parse", "HEAD"])?;
    std::fs::write(r.join("apps/b.yaml"), "kind: Secret\n").unwrap();
    git(&r, &["add", "-A"])?;
    git(&r, &["commit", "-q", "-m", "two"])?;
    let second = git(&r, &["rev-parse", "HEAD"])?;
    Some((r, first, second))
}

fn field<'a>(stdout: &'a str, key: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(": ")))
        .unwrap_or_else(|| panic!("no {key} in {stdout}"))
}

fn sha256_hex(path: &Path) -> Option<String> {
    let out = Command::new("sha256sum").arg(path).output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).split_whitespace().next()?.to_owned())
}

#[test]
fn prints_flux_revision_digest_and_size_and_writes_out() {
    let scratch = Scratch::new("ok");
    let Some((r, first, second)) = repo(&scratch) else { return };
    let repo_arg = r.to_str().unwrap();
    let cases = [
        (vec![], format!("main@sha1:{second}")),
        (vec!["--rev", "main"], format!("main@sha1:{second}")),
        (vec!["--rev", "v1.0.0"], format!("v1.0.0@sha1:{first}")),
        (vec!["--rev", "HEAD~1"], format!("sha1:{first}")),
        (vec!["--rev", &first[..12]], format!("sha1:{first}")),
        (vec!["--rev", "refs/heads/main"], format!("refs/heads/main@sha1:{second}")),
    ];
    for (extra, revision) in cases {
        let mut args = vec!["artifact", "--repo", repo_arg];
        args.extend(extra.iter().copied());
        let out = gitops(&args, &scratch.0);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(field(&stdout, "revision"), revision, "{args:?}");
        assert!(field(&stdout, "digest").starts_with("sha256:"));
    }

    // --out: the file's sha256 is the digest, its size the size; mode 0600; same bytes twice.
    let out_file = scratch.0.join("out/artifact.tar.gz");
    std::fs::create_dir_all(out_file.parent().unwrap()).unwrap();
    let run = || {
        let out = gitops(
            &[
                "artifact",
                "--repo",
                repo_arg,
                "--ignore",
                "*.md",
                "--out",
                out_file.to_str().unwrap(),
            ],
            &scratch.0,
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let stdout = run();
    let bytes = std::fs::read(&out_file).unwrap();
    assert_eq!(field(&stdout, "size"), bytes.len().to_string());
    if let Some(hex) = sha256_hex(&out_file) {
        assert_eq!(field(&stdout, "digest"), format!("sha256:{hex}"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert_eq!(run(), stdout);
    // Run from inside the working tree without --repo: the repository is discovered.
    let out = gitops(&["artifact", "--ignore", "*.md"], &r.join("apps"));
    assert_eq!(String::from_utf8_lossy(&out.stdout), stdout);
    let names: Vec<_> = std::fs::read_dir(out_file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["artifact.tar.gz"]);
}

#[test]
fn failures_leave_no_file_behind() {
    let scratch = Scratch::new("fail");
    let Some((r, _, second)) = repo(&scratch) else { return };
    let repo_arg = r.to_str().unwrap();
    let out_dir = scratch.0.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out_file = out_dir.join("a.tar.gz");
    let out_arg = out_file.to_str().unwrap();

    // Unknown revision.
    let out =
        gitops(&["artifact", "--repo", repo_arg, "--rev", "nope", "--out", out_arg], &scratch.0);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("Error: unknown revision 'nope': "), "{stderr}");

    // Not a repository.
    let plain = scratch.0.join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let out =
        gitops(&["artifact", "--repo", plain.to_str().unwrap(), "--out", out_arg], &scratch.0);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a git repository"));

    // A corrupt blob: the error names it; an existing artifact is not replaced.
    std::fs::write(&out_file, b"previous artifact").unwrap();
    let blob = git(&r, &["rev-parse", &format!("{second}:apps/b.yaml")]).unwrap();
    let object = r.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    std::fs::remove_file(&object).unwrap();
    std::fs::write(&object, b"garbage").unwrap();
    let out = gitops(&["artifact", "--repo", repo_arg, "--out", out_arg], &scratch.0);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("apps/b.yaml: reading blob {blob}")), "{stderr}");
    assert_eq!(std::fs::read(&out_file).unwrap(), b"previous artifact");
    let names: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.tar.gz"]);

    // An unwritable destination: Flux's storage error text.
    let out = gitops(
        &["artifact", "--repo", repo_arg, "--rev", "HEAD~1", "--out", "/nonexistent-dir/a.tar.gz"],
        &scratch.0,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(
            "Error: unable to archive artifact to storage: /nonexistent-dir/a.tar.gz: "
        ),
        "{stderr}"
    );
}
