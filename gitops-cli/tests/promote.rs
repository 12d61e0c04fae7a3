//! `gitops promote` on a copy of `examples/` in a real Git repository (made with the `git`
//! CLI): the printed summary and diff, the commit on a new branch (working tree and current
//! branch untouched), `--dry-run`, `--write`, `-o json`, nothing to promote, and errors.

use std::path::Path;
use std::process::{Command, Output};

use gitops_tests::{TempDir, examples_repo, git, have_git};

/// The examples in a new repository, with staging's podinfo at `v1.3.0` committed.
fn fleet(tag: &str) -> Option<TempDir> {
    if !have_git() {
        return None;
    }
    let repo = examples_repo(&format!("promote-{tag}"));
    let dir = repo.path();
    let k = dir.join("apps/podinfo/overlays/staging/kustomization.yaml");
    let text = std::fs::read_to_string(&k).unwrap().replace("newTag: v1.2.3", "newTag: v1.3.0");
    std::fs::write(&k, text).unwrap();
    git(dir, &["commit", "-qam", "staging: podinfo v1.3.0"]);
    Some(repo)
}

fn gitops(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gitops")).args(args).current_dir(cwd).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const DIFF: &str = "--- a/apps/podinfo/overlays/production/kustomization.yaml
+++ b/apps/podinfo/overlays/production/kustomization.yaml
@@ -10,7 +10,7 @@
     environment: production
 images:
 - name: ghcr.io/stefanprodan/podinfo
-  newTag: v1.2.3
+  newTag: v1.3.0
 replicas:
 - name: podinfo
   count: 3
";

#[test]
fn commit_on_a_new_branch() {
    let Some(s) = fleet("commit") else { return };
    let head = git(s.path(), &["rev-parse", "HEAD"]);
    let o = gitops(
        &[
            "promote",
            "--from",
            "staging",
            "--to",
            "production",
            "podinfo",
            "--author",
            "Rel <rel@example.com>",
        ],
        s.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    let summary = "Promote podinfo from staging to production:\n  image Deployment/podinfo container podinfod: ghcr.io/stefanprodan/podinfo:v1.2.3 -> ghcr.io/stefanprodan/podinfo:v1.3.0 (apps/podinfo/overlays/production/kustomization.yaml:13)\n\n";
    assert!(out.starts_with(&format!("{summary}{DIFF}Committed ")), "{out}");
    let branch = "promote-podinfo-production-v1.3.0";
    assert!(out.ends_with(&format!(" on branch {branch}\n")), "{out}");
    // The branch: one commit on HEAD changing one file; HEAD, branch and worktree unchanged.
    assert_eq!(git(s.path(), &["rev-parse", &format!("{branch}~1")]), head);
    assert_eq!(git(s.path(), &["rev-parse", "HEAD"]), head);
    assert_eq!(git(s.path(), &["symbolic-ref", "--short", "HEAD"]), "main");
    assert_eq!(git(s.path(), &["status", "--porcelain"]), "");
    assert_eq!(
        git(s.path(), &["diff", "--name-only", "HEAD", branch]),
        "apps/podinfo/overlays/production/kustomization.yaml"
    );
    assert_eq!(
        git(s.path(), &["log", "-1", "--format=%an <%ae>%n%B", branch]),
        "Rel <rel@example.com>\npromote podinfo from staging to production\n\n- apps/podinfo/overlays/production/kustomization.yaml: Deployment/podinfo container podinfod ghcr.io/stefanprodan/podinfo:v1.2.3 -> ghcr.io/stefanprodan/podinfo:v1.3.0"
    );
    // The branch's production render runs staging's image.
    let r =
        gitops(&["render", "clusters/production", "--ks", "podinfo", "--rev", branch], s.path());
    assert!(
        stdout(&r).contains("image: ghcr.io/stefanprodan/podinfo:v1.3.0"),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    // Again from HEAD: the branch exists.
    let o = gitops(&["promote", "--from", "staging", "--to", "production", "podinfo"], s.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        format!("Error: branch '{branch}' exists already; give another name\n")
    );
    // A named branch, a message, --repo from elsewhere.
    let o = gitops(
        &[
            "promote",
            "--from",
            "staging",
            "--to",
            "production",
            "podinfo",
            "--branch",
            "promote-v1.3.0",
            "--message",
            "Promote v1.3.0",
            "--repo",
            s.path().to_str().unwrap(),
        ],
        Path::new("/"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(git(s.path(), &["log", "-1", "--format=%B", "promote-v1.3.0"]), "Promote v1.3.0");
}

#[test]
fn dry_run_write_and_json() {
    let Some(s) = fleet("write") else { return };
    let o = gitops(
        &["promote", "--from", "staging", "--to", "production", "podinfo", "--dry-run"],
        s.path(),
    );
    assert!(o.status.success());
    assert!(stdout(&o).ends_with(DIFF), "{}", stdout(&o));
    assert_eq!(git(s.path(), &["branch", "--list"]), "* main");
    let o = gitops(
        &[
            "promote",
            "--from",
            "staging",
            "--to",
            "production",
            "podinfo",
            "--dry-run",
            "-o",
            "json",
        ],
        s.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["changes"][0]["new"], "ghcr.io/stefanprodan/podinfo:v1.3.0");
    assert_eq!(v["changes"][0]["line"], 13);
    assert_eq!(
        v["files"],
        serde_json::json!(["apps/podinfo/overlays/production/kustomization.yaml"])
    );
    assert_eq!(v["diff"], DIFF);
    assert_eq!(v["commit"], serde_json::Value::Null);
    let o = gitops(
        &["promote", "--from", "staging", "--to", "production", "podinfo", "--write"],
        s.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).ends_with("Wrote apps/podinfo/overlays/production/kustomization.yaml\n"));
    assert_eq!(
        git(s.path(), &["status", "--porcelain"]),
        " M apps/podinfo/overlays/production/kustomization.yaml"
    );
    assert_eq!(git(s.path(), &["diff", "--stat"]).lines().count(), 2);
    // Written: nothing left to promote in the working tree.
    let o = gitops(
        &["promote", "--from", "staging", "--to", "production", "podinfo", "--write"],
        s.path(),
    );
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "Nothing to promote: podinfo in 'production' already runs what 'staging' runs\n"
    );
    assert!(
        gitops(&["promote", "--from", "a", "--to", "b", "x", "--write", "--dry-run"], s.path())
            .status
            .code()
            == Some(1)
    );
}

#[test]
fn errors() {
    let Some(s) = fleet("errors") else { return };
    let cases: &[(&[&str], &str)] = &[
        (
            &["--from", "staging", "--to", "qa", "podinfo"],
            &format!(
                "Error: unknown environment 'qa' (environments under {}/clusters: dev, production, staging)\n",
                s.path().display()
            ),
        ),
        (
            &["--from", "staging", "--to", "production", "nope"],
            "Error: environment 'staging': no Kustomization, HelmRelease or ResourceSet named 'nope' (Kustomizations: flux-system/flux-system, flux-system/infrastructure, flux-system/podinfo, flux-system/web)\n",
        ),
        (
            &["--from", "staging", "--to", "production", "podinfo", "--author", "nobody"],
            "Error: --author 'nobody': expected 'Name <email>'\n",
        ),
        (
            &[
                "--from",
                "staging",
                "--to",
                "production",
                "podinfo",
                "--dry-run",
                "--value",
                "ConfigMap/podinfo-config:/data/PODINFO_UI_MESSAGE",
                "--value",
                "Deployment/x:/spec",
            ],
            "Error: environment 'staging': value Deployment/x:/spec not found\n",
        ),
    ];
    for (args, want) in cases {
        let mut all = vec!["promote"];
        all.extend_from_slice(args);
        let o = gitops(&all, s.path());
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&o.stderr), *want, "{args:?}");
    }
    let o = gitops(
        &["promote", "--from", "staging", "--to", "production", "podinfo", "--value", "bad"],
        s.path(),
    );
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("invalid value 'bad': expected Kind/name:/json/pointer")
    );
    assert_eq!(git(s.path(), &["branch", "--list"]), "* main");
}

/// A fleet kept in a subdirectory of a larger repository: `--root` names it; edits are
/// computed relative to it and committed at their place in the repository.
#[test]
fn fleet_in_a_subdirectory() {
    if !have_git() {
        return;
    }
    let dir = TempDir::new("promote-subdir");
    let p = dir.path();
    gitops_tests::copy_dir(&gitops_tests::examples(), &p.join("fleet"));
    std::fs::write(p.join("README.md"), "monorepo\n").unwrap();
    git(p, &["init", "-q"]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "monorepo"]);
    let k = p.join("fleet/apps/podinfo/overlays/staging/kustomization.yaml");
    let text = std::fs::read_to_string(&k).unwrap().replace("newTag: v1.2.3 ", "newTag: v1.4.0 ");
    std::fs::write(&k, text).unwrap();
    git(p, &["commit", "-qam", "staging v1.4.0"]);
    // Without --root the environments are looked for at the repository's top.
    let o = gitops(&["promote", "--from", "staging", "--to", "production", "podinfo"], p);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown environment 'staging'"));
    let o = gitops(
        &["promote", "--from", "staging", "--to", "production", "podinfo", "--root", "fleet"],
        p,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("(apps/podinfo/overlays/production/kustomization.yaml:13)"));
    let branch = "promote-podinfo-production-v1.4.0";
    assert_eq!(
        git(p, &["diff", "--name-only", "HEAD", branch]),
        "fleet/apps/podinfo/overlays/production/kustomization.yaml"
    );
    assert!(
        git(p, &["log", "-1", "--format=%B", branch])
            .contains("- fleet/apps/podinfo/overlays/production/kustomization.yaml: ")
    );
    let o = gitops(&["render", "fleet/clusters/production", "--root", "fleet", "--rev", branch], p);
    assert!(stdout(&o).contains("image: ghcr.io/stefanprodan/podinfo:v1.4.0"), "{}", stdout(&o));
    // A relative --root works without --rev too (the working tree still has v1.2.3).
    let o = gitops(&["render", "fleet/clusters/production", "--root", "fleet"], p);
    assert!(stdout(&o).contains("image: ghcr.io/stefanprodan/podinfo:v1.2.3"), "{}", stdout(&o));
    // --root outside the repository.
    let o = gitops(
        &["promote", "--from", "staging", "--to", "production", "podinfo", "--root", "/"],
        p,
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not inside the repository's working tree")
    );
}
