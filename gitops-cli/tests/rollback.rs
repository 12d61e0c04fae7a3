//! `gitops rollback` through the binary, on a Git repository made at test time from a copy
//! of `examples/` (the `git` CLI only creates the fixture).

use std::path::Path;
use std::process::{Command, Output};

use gitops_tests::{TempDir, examples_repo, git, have_git, text};

fn gitops(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gitops")).args(args).current_dir(cwd).output().unwrap()
}

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let p = dir.join(rel);
    let t = std::fs::read_to_string(&p).unwrap();
    assert!(t.contains(from), "{rel} lacks {from:?}");
    std::fs::write(p, t.replacen(from, to, 1)).unwrap();
}

const PROD: &str = "apps/podinfo/overlays/production/kustomization.yaml";

/// Commit 1: examples; 2: production tag bumped; 3: extra.yaml added, pdb.yaml deleted,
/// README and the staging overlay edited.
fn repo(tag: &str) -> (TempDir, String, String) {
    let dir = examples_repo(&format!("rollback-{tag}"));
    let p = dir.path();
    let c1 = git(p, &["rev-parse", "HEAD"]);
    edit(p, PROD, "newTag: v1.2.3", "newTag: v1.2.4");
    git(p, &["commit", "-qam", "bump"]);
    edit(p, PROD, "- pdb.yaml", "- extra.yaml");
    std::fs::write(
        p.join("apps/podinfo/overlays/production/extra.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo-extra\ndata:\n  mode: fast\n",
    )
    .unwrap();
    git(p, &["rm", "-q", "apps/podinfo/overlays/production/pdb.yaml"]);
    edit(p, "README.md", "# Example GitOps repository", "# Example GitOps repository (edited)");
    edit(p, "apps/podinfo/overlays/staging/kustomization.yaml", "count: 2", "count: 4");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "three"]);
    let c3 = git(p, &["rev-parse", "HEAD"]);
    (dir, c1, c3)
}

#[test]
fn rollback_prints_the_change_set() {
    if !have_git() {
        return;
    }
    let (r, c1, c3) = repo("text");
    let p = r.path();
    let out = gitops(&["rollback", "clusters/production", "--to", "HEAD~2"], p);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let want = format!(
        "Rollback clusters/production from {} (HEAD) to {} (HEAD~2)
# Kustomization flux-system/flux-system
# Kustomization flux-system/infrastructure
# Kustomization flux-system/podinfo
Deployment/podinfo/podinfo configured
PodDisruptionBudget/podinfo/podinfo created
ConfigMap/podinfo/podinfo-extra deleted
# Kustomization flux-system/web
Summary: 1 created, 1 configured, 1 deleted, 32 unchanged, 0 skipped
Files restored to {}:
  D apps/podinfo/overlays/production/extra.yaml
  M apps/podinfo/overlays/production/kustomization.yaml
  A apps/podinfo/overlays/production/pdb.yaml
",
        &c3[..7],
        &c1[..7],
        &c1[..7]
    );
    assert_eq!(text(&out.stdout), want);
    // --cluster as an option, --exit-code, --diff, -o json.
    let table: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["--cluster", "clusters/production", "--exit-code"], 2, "Summary: 1 created"),
        (
            vec!["clusters/production", "--diff"],
            0,
            "+        image: ghcr.io/stefanprodan/podinfo:v1.2.3\n",
        ),
        (
            vec!["clusters/production", "--diff"],
            0,
            "--- live/ConfigMap/podinfo/podinfo-extra\n+++ /dev/null\n",
        ),
        (vec!["clusters/production", "-o", "json"], 0, "\"rendersEqual\": false"),
        (vec!["clusters/dev", "--exit-code"], 0, "Nothing to roll back"),
    ];
    for (args, code, needle) in table {
        let mut all = vec!["rollback", "--to", &c1];
        all.extend(args.iter().copied());
        let out = gitops(&all, p);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains(needle), "{args:?}: {}", text(&out.stdout));
    }
    let out = gitops(&["rollback", "clusters/production", "--to", &c1, "-o", "json"], p);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["target"]["revision"], format!("sha1:{c1}"));
    assert_eq!(v["head"]["revision"], format!("main@sha1:{c3}"));
    assert_eq!(v["files"][0]["action"], "D");
    // Nothing was committed, the working tree is clean.
    assert_eq!(git(p, &["rev-parse", "HEAD"]), c3);
    assert_eq!(git(p, &["branch", "--list"]), "* main");
    assert_eq!(git(p, &["status", "--porcelain"]), "");
}

#[test]
fn rollback_commit_makes_a_verified_branch() {
    if !have_git() {
        return;
    }
    let (r, c1, c3) = repo("commit");
    let p = r.path();
    let out = gitops(
        &[
            "rollback",
            "clusters/production",
            "--to",
            "HEAD~2",
            "--commit",
            "--author",
            "Ops <ops@example.com>",
        ],
        p,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let branch = format!("rollback-{}", &c1[..7]);
    let commit = git(p, &["rev-parse", &branch]);
    assert!(
        stdout.contains(&format!(
            "Committed {} on branch {branch} (parent {}): 3 file(s) restored\n",
            &commit[..7],
            &c3[..7]
        )),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("Verified: the render of clusters/production at {} equals its render at {} (HEAD~2) (4 Kustomizations, 34 objects, byte-identical)\n", &commit[..7], &c1[..7])), "{stdout}");
    assert_eq!(
        git(p, &["log", "-1", "--format=%an <%ae>|%P|%s", &commit]),
        format!("Ops <ops@example.com>|{c3}|Rollback clusters/production to {} (HEAD~2)", &c1[..7])
    );
    // The renders through the binary: production as at commit 1, staging as at HEAD.
    for (cluster, rev) in [("clusters/production", c1.as_str()), ("clusters/staging", "HEAD")] {
        let a = gitops(&["render", cluster, "--rev", &commit], p);
        let b = gitops(&["render", cluster, "--rev", rev], p);
        assert!(a.status.success() && b.status.success());
        assert_eq!(text(&a.stdout), text(&b.stdout), "{cluster}");
    }
    git(p, &["fsck", "--strict"]);
    assert_eq!(git(p, &["status", "--porcelain"]), "");
    // --branch, --message; the checked-out branch is refused; an unknown revision fails.
    let out = gitops(
        &[
            "rollback",
            "clusters/production",
            "--to",
            "HEAD~1",
            "--commit",
            "--branch",
            "rb",
            "--message",
            "chore: rollback podinfo",
        ],
        p,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(git(p, &["log", "-1", "--format=%s", "rb"]), "chore: rollback podinfo");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--to", "HEAD~1", "--commit", "--branch", "main"],
            "Error: refusing to commit onto the checked-out branch 'main'",
        ),
        (vec!["--to", "v9.9.9"], "Error: unknown revision 'v9.9.9'"),
        (vec!["--to", "HEAD~2", "--commit"], "Error: branch 'rollback-"),
        (vec!["--to", "HEAD", "--commit"], ""),
    ];
    for (args, want) in cases {
        let mut all = vec!["rollback", "clusters/production"];
        all.extend(args.iter().copied());
        let out = gitops(&all, p);
        let stderr = text(&out.stderr);
        if want.is_empty() {
            assert!(out.status.success(), "{args:?}: {stderr}");
            assert!(text(&out.stdout).contains("Nothing to roll back"), "{args:?}");
        } else {
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert!(stderr.starts_with(want), "{args:?}: {stderr}");
        }
    }
    assert_eq!(git(p, &["rev-parse", "HEAD"]), c3);
}
