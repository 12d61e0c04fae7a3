//! The source artifact: extracted with the system `tar` it gives back exactly the kept files;
//! it is byte-identical across runs and across file system implementations; its tar stream is
//! byte-identical to Go's `archive/tar` with Flux's header sanitising (checked against a small
//! Go program when `go` is installed).

use gitops_core::artifact::{self, Artifact, EntryKind, Tree};
use gitops_core::fs::{FileSystem, MemFs, RealFs};
use gitops_core::sourceignore::SourceIgnore;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("gitops-artifact-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(root: &Path, rel: &str, data: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

fn long_dir() -> String {
    format!("{}/{}", "d".repeat(60), "e".repeat(60))
}

/// A tree exercising every header form: nested dirs, executable, empty file, empty dir, a
/// 512-byte file, a 100-char name, a long path split into USTAR prefix, a name that needs PAX,
/// a non-ASCII name, symlinks (left out).
fn sample_tree(root: &Path) {
    write(root, "apps/podinfo/deploy.yaml", b"kind: Deployment\n");
    write(root, "apps/podinfo/kustomization.yaml", b"resources: [deploy.yaml]\n");
    write(root, "apps/a.yaml", b"a\n");
    write(root, "apps.yaml", b"top\n");
    write(root, "empty", b"");
    write(root, "block", &[b'x'; 512]);
    write(root, &"n".repeat(100), b"hundred\n");
    write(root, &format!("{}/file.yaml", long_dir()), b"long path\n");
    write(root, &format!("p/{}", "q".repeat(120)), b"pax name\n");
    write(root, "héllo/wörld.yaml", b"unicode\n");
    write(root, "bin/run.sh", b"#!/bin/sh\necho hi\n");
    std::fs::create_dir_all(root.join("emptydir")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(root.join("bin/run.sh"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        std::os::unix::fs::symlink("apps/a.yaml", root.join("link.yaml")).unwrap();
        std::os::unix::fs::symlink("apps", root.join("linkdir")).unwrap();
        std::os::unix::fs::symlink("missing", root.join("dangling")).unwrap();
    }
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut child = Command::new("gzip")
        .arg("-dc")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success());
    out.stdout
}

/// Every regular file under `root` (symlinks not followed), relative path → bytes.
fn files_of(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            let rel = e.path().strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if ft.is_dir() {
                walk(root, &e.path(), out);
            } else if ft.is_file() {
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

#[test]
fn extracts_with_system_tar_to_the_kept_files() {
    if !tool("tar") {
        eprintln!("skipping: no tar");
        return;
    }
    let src = TempDir::new("src");
    sample_tree(&src.0);
    write(&src.0, ".git/config", b"[core]\n");
    write(&src.0, ".sourceignore", b"*.sh\n!bin/run.sh\nempty\n");
    write(&src.0, "apps/.sourceignore", b"a.yaml\n");
    let a = Artifact::from_source(&RealFs, &src.0, Some("block\n")).unwrap();
    let out = TempDir::new("out");
    std::fs::write(out.0.join("a.tar.gz"), &a.bytes).unwrap();
    let x = out.0.join("x");
    std::fs::create_dir_all(&x).unwrap();
    let st = Command::new("tar")
        .arg("-xzf")
        .arg(out.0.join("a.tar.gz"))
        .arg("-C")
        .arg(&x)
        .status()
        .unwrap();
    assert!(st.success());
    let mut want = files_of(&src.0);
    for gone in [".git/config", "empty", "block", "apps/a.yaml"] {
        assert!(want.remove(gone).is_some(), "{gone}");
    }
    assert_eq!(files_of(&x), want);
    assert!(x.join("emptydir").is_dir());
    assert!(!x.join("link.yaml").exists() && !x.join("linkdir").exists());
    // The archive lists directories without a trailing slash, the root as `.`.
    assert_eq!(a.paths[0], ".");
    assert!(a.paths.contains(&"apps/podinfo".to_string()));
    assert!(a.paths.contains(&"bin/run.sh".to_string()));
    assert!(!a.paths.iter().any(|p| p.starts_with(".git")));
}

#[test]
fn headers_carry_no_environment_data() {
    if !tool("tar") {
        eprintln!("skipping: no tar");
        return;
    }
    let src = TempDir::new("hdr");
    sample_tree(&src.0);
    let a = Artifact::build(&RealFs, &src.0, &SourceIgnore::from_patterns(vec![])).unwrap();
    let p = src.0.join("../hdr.tar.gz");
    std::fs::write(&p, &a.bytes).unwrap();
    let out = Command::new("tar").args(["--numeric-owner", "-tvzf"]).arg(&p).output().unwrap();
    let _ = std::fs::remove_file(&p);
    let listing = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut seen = 0;
    for line in listing.lines() {
        let name = line.split_whitespace().last().unwrap_or("");
        let want = if line.starts_with('d') {
            "drwxr-x--- 0/0"
        } else if name.ends_with("run.sh") {
            "-rwx------ 0/0"
        } else {
            "-rw------- 0/0"
        };
        assert!(line.starts_with(want), "{line}");
        assert!(line.contains("1970-01-01"), "{line}");
        seen += 1;
    }
    assert_eq!(seen, a.paths.len());
    // gzip header: no name, mtime 0, default level, OS unknown (Go's defaults).
    assert_eq!(&a.bytes[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
}

#[test]
fn deterministic_across_runs_and_file_systems() {
    let src = TempDir::new("det");
    write(&src.0, "b/2.yaml", b"two\n");
    write(&src.0, "a/1.yaml", b"one\n");
    write(&src.0, "a.yaml", b"top\n");
    write(&src.0, "a/x/3.yaml", b"three\n");
    let none = SourceIgnore::from_patterns(vec![]);
    let one = Artifact::build(&RealFs, &src.0, &none).unwrap();
    let two = Artifact::build(&RealFs, &src.0, &none).unwrap();
    assert_eq!(one, two);
    let mut mem = MemFs::new();
    mem.add_file("/r/a.yaml", "top\n");
    mem.add_file("/r/a/x/3.yaml", "three\n");
    mem.add_file("/r/b/2.yaml", "two\n");
    mem.add_file("/r/a/1.yaml", "one\n");
    let three = Artifact::build(&mem, Path::new("/r"), &none).unwrap();
    assert_eq!(one.digest, three.digest);
    // filepath.Walk order: a directory's entries by name, depth first.
    assert_eq!(one.paths, [".", "a", "a/1.yaml", "a/x", "a/x/3.yaml", "a.yaml", "b", "b/2.yaml"]);
    assert_eq!(one.digest, artifact::digest(&one.bytes));
    assert!(one.digest.starts_with("sha256:") && one.digest.len() == 71);
    // Any content change changes the digest.
    mem.add_file("/r/b/2.yaml", "two!\n");
    assert_ne!(Artifact::build(&mem, Path::new("/r"), &none).unwrap().digest, one.digest);
}

#[test]
fn negation_keeps_a_file_below_an_excluded_directory() {
    let mut mem = MemFs::new();
    mem.add_file("/r/secrets/a.yaml", "a");
    mem.add_file("/r/secrets/keep.yaml", "k");
    mem.add_file("/r/app.yaml", "x");
    let ign = SourceIgnore::from_spec("secrets/\n!secrets/keep.yaml\n");
    let a = Artifact::build(&mem, Path::new("/r"), &ign).unwrap();
    // Flux walks into the excluded directory: the file is archived without its directory entry.
    assert_eq!(a.paths, [".", "app.yaml", "secrets/keep.yaml"]);
}

#[test]
fn symlinks_in_memfs_are_left_out() {
    let mut mem = MemFs::new();
    mem.add_file("/r/base/cm.yaml", "x");
    mem.add_symlink("/r/link.yaml", "base/cm.yaml");
    mem.add_symlink("/r/linkdir", "base");
    assert_eq!(mem.entry_kind(Path::new("/r/link.yaml")).unwrap(), EntryKind::Other);
    assert_eq!(mem.entry_kind(Path::new("/r/base")).unwrap(), EntryKind::Dir);
    let a = Artifact::from_source(&mem, Path::new("/r"), None).unwrap();
    assert_eq!(a.paths, [".", "base", "base/cm.yaml"]);
}

#[test]
fn errors_and_atomic_write() {
    let mem = MemFs::new();
    let err = Artifact::from_source(&mem, Path::new("/nope"), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "failed to load source ignore patterns from repository: /nope: no such file or directory"
    );
    let err = Artifact::build(&mem, Path::new("/nope"), &SourceIgnore::from_spec("")).unwrap_err();
    assert_eq!(err.to_string(), "invalid dir path: /nope");
    let mut fs = MemFs::new();
    fs.add_file("/r/a.yaml", "a");
    let a = Artifact::from_source(&fs, Path::new("/r"), None).unwrap();
    let dir = TempDir::new("write");
    let dest = dir.0.join("abc.tar.gz");
    a.write_to(&dest).unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), a.bytes);
    assert_eq!(std::fs::read_dir(&dir.0).unwrap().count(), 1, "no temp file left");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let err = a.write_to(&dir.0.join("missing/abc.tar.gz")).unwrap_err();
    assert!(err.to_string().starts_with("unable to archive artifact to storage: "), "{err}");
    assert!(RealFs.is_dir(&dir.0));
}

/// Go's archive/tar with Flux's header sanitising (own program, same rules as
/// artifact/storage/archive.go): the uncompressed tar must be byte-identical.
const GO_ORACLE: &str = r#"package main

import (
	"archive/tar"
	"os"
	"path/filepath"
	"time"
)

func main() {
	dir := os.Args[1]
	tw := tar.NewWriter(os.Stdout)
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		m := fi.Mode()
		if !(m.IsRegular() || m.IsDir()) {
			return nil
		}
		h, err := tar.FileInfoHeader(fi, p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		h.Name = rel
		h.Uid, h.Gid, h.Uname, h.Gname = 0, 0, "", ""
		h.ModTime, h.AccessTime, h.ChangeTime = time.Time{}, time.Time{}, time.Time{}
		switch {
		case fi.IsDir():
			h.Mode = 0o750
		case m&0o111 != 0:
			h.Mode = 0o700
		default:
			h.Mode = 0o600
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if !m.IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = tw.Write(b)
		return err
	})
	if err != nil {
		panic(err)
	}
	if err := tw.Close(); err != nil {
		panic(err)
	}
}
"#;

#[test]
fn tar_stream_matches_go_archive_tar() {
    if !tool("go") || !tool("gzip") {
        eprintln!("skipping: go or gzip not installed");
        return;
    }
    let src = TempDir::new("go-src");
    sample_tree(&src.0);
    let prog = TempDir::new("go-prog");
    std::fs::write(prog.0.join("main.go"), GO_ORACLE).unwrap();
    let out = Command::new("go")
        .arg("run")
        .arg(prog.0.join("main.go"))
        .arg(&src.0)
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "-mod=mod")
        .env("GO111MODULE", "off")
        .output()
        .unwrap();
    if !out.status.success() {
        eprintln!("skipping: go run failed: {}", String::from_utf8_lossy(&out.stderr));
        return;
    }
    let a = Artifact::build(&RealFs, &src.0, &SourceIgnore::from_patterns(vec![])).unwrap();
    let ours = gunzip(&a.bytes);
    assert_eq!(ours.len(), out.stdout.len(), "tar length");
    for (i, (x, y)) in ours.chunks(512).zip(out.stdout.chunks(512)).enumerate() {
        assert_eq!(
            x,
            y,
            "block {i}: ours {:?} go {:?}",
            String::from_utf8_lossy(x),
            String::from_utf8_lossy(y)
        );
    }
}
