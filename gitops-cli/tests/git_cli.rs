//! `--rev` and `gitops images update` through the binary, on a Git repository made at test
//! time from a copy of `examples/` (the `git` CLI only creates the fixture).

use std::path::Path;
use std::process::{Command, Output};

use gitops_tests::{examples_repo as repo, git, have_git, text};

fn gitops(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gitops")).args(args).current_dir(cwd).output().unwrap()
}

const DEPLOY: &str = "apps/podinfo/base/deployment.yaml";

#[test]
fn render_rev_reads_the_revision_not_the_working_tree() {
    if !have_git() {
        return;
    }
    let r = repo("rev");
    let p = r.path();
    let first = gitops(&["render", "clusters/production"], p);
    assert!(first.status.success(), "{}", text(&first.stderr));
    // A later commit changes the base; then the cluster directory is deleted (committed)
    // and the working tree gets an uncommitted edit.
    let path = p.join(DEPLOY);
    let old = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, old.replacen("replicas:", "minReadySeconds: 5\n  replicas:", 1)).unwrap();
    git(p, &["commit", "-qam", "second"]);
    git(p, &["rm", "-rq", "clusters/production"]);
    git(p, &["commit", "-qm", "third"]);
    std::fs::write(&path, "garbage: [\n").unwrap();
    let cases = [("HEAD~2", true), ("HEAD~1", false)];
    for (rev, same_as_first) in cases {
        let out = gitops(&["render", "clusters/production", "--rev", rev], p);
        assert!(out.status.success(), "{rev}: {}", text(&out.stderr));
        assert_eq!(out.stdout == first.stdout, same_as_first, "{rev}");
        assert!(text(&out.stdout).contains("kind: Deployment"), "{rev}");
    }
    // From another directory, with a relative path through the repository.
    let out = gitops(&["render", "production", "--rev", "main~2"], &p.join("clusters"));
    assert_eq!(out.stdout, first.stdout, "{}", text(&out.stderr));
    // plan accepts --rev too.
    let live = p.join("live");
    let out = gitops(&["plan", "clusters/production", "--rev", "HEAD~2", "--live"], p);
    assert!(!out.status.success(), "--live needs a value");
    let out = gitops(
        &["plan", "clusters/production", "--rev", "HEAD~2", "--live", live.to_str().unwrap()],
        p,
    );
    assert!(text(&out.stdout).contains("Summary: "), "{}", text(&out.stderr));
    // Errors.
    let out = gitops(&["render", "clusters/production", "--rev", "no-such-branch"], p);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("Error: unknown revision 'no-such-branch'"));
    let out = gitops(&["render", "clusters/production", "--rev", "HEAD"], p);
    assert!(!out.status.success(), "the cluster is gone at HEAD");
    // The working tree was not touched.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "garbage: [\n");
}

#[test]
fn images_update_commits_only_the_changed_file() {
    if !have_git() {
        return;
    }
    let r = repo("update");
    let p = r.path();
    let path = p.join(DEPLOY);
    let old = std::fs::read_to_string(&path).unwrap();
    let marked = old.replacen(
        "image: ghcr.io/stefanprodan/podinfo:6.5.0",
        "image: ghcr.io/stefanprodan/podinfo:6.5.0 # {\"$imagepolicy\": \"flux-system:podinfo\"}",
        1,
    );
    assert_ne!(marked, old);
    std::fs::write(&path, &marked).unwrap();
    git(p, &["commit", "-qam", "marker"]);
    let head = git(p, &["rev-parse", "HEAD"]);
    std::fs::write(p.join("README.md"), "local\n").unwrap();
    let args = [
        "images",
        "update",
        "apps",
        "--policy-value",
        "flux-system:podinfo=ghcr.io/stefanprodan/podinfo:6.6.0",
        "--branch",
        "automation",
        "--author",
        "Bot <bot@example.com>",
    ];
    let out = gitops(&args, p);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("committed "), "{stdout}");
    assert_eq!(git(p, &["diff", "--name-only", &head, "automation"]), DEPLOY);
    assert_eq!(
        git(p, &["log", "-1", "--format=%an <%ae>%n%B", "automation"]),
        format!(
            "Bot <bot@example.com>\nUpdate from image update automation\n\n- {DEPLOY}: \
             ghcr.io/stefanprodan/podinfo:6.5.0 -> ghcr.io/stefanprodan/podinfo:6.6.0"
        )
    );
    assert!(git(p, &["show", &format!("automation:{DEPLOY}")]).contains("podinfo:6.6.0 #"));
    assert_eq!(git(p, &["rev-parse", "main"]), head, "main did not move");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), marked, "working tree untouched");
    assert_eq!(std::fs::read_to_string(p.join("README.md")).unwrap(), "local\n");
    git(p, &["fsck", "--strict"]);
    // Nothing left to do.
    let out = gitops(&args, p);
    assert_eq!(text(&out.stdout), "no changes\n", "{}", text(&out.stderr));
    // Bad author.
    let mut bad = args;
    bad[8] = "nobody";
    let out = gitops(&bad, p);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("expected `Name <email>`"), "{}", text(&out.stderr));
}

const DEV_OVERLAY: &str = "apps/podinfo/overlays/dev/kustomization.yaml";
const DEV_AUTOMATION: &str = "clusters/dev/image-automation.yaml";

#[test]
fn images_update_scans_tags_selects_and_commits() {
    if !have_git() {
        return;
    }
    let r = repo("scan");
    let p = r.path();
    // examples/ carries the dev ImageRepository + ImagePolicy (clusters/dev) and the
    // marker on the dev overlay's newTag.
    let marked = std::fs::read_to_string(p.join(DEV_OVERLAY)).unwrap();
    assert!(marked.contains(
        "newTag: v1.2.3-rc.4f2a9c1 # {\"$imagepolicy\": \"flux-system:podinfo-dev:tag\"}"
    ));
    let head = git(p, &["rev-parse", "HEAD"]);
    let tags = p.join("tags.txt");
    std::fs::write(
        &tags,
        "v1.2.3\nv1.2.3-rc.4f2a9c1\nv1.2.4-rc.0b1c2d3\nv1.2.4-rc.1a2b3c4.sig\nv1.2.10-rc.aa\nlatest\n",
    )
    .unwrap();
    let tags_arg = format!("ghcr.io/stefanprodan/podinfo={}", tags.display());
    let args = [
        "images",
        "update",
        "apps/podinfo/overlays/dev",
        "--policies",
        "clusters/dev",
        "--tags-file",
        &tags_arg,
        "--branch",
        "image-updates",
        "--author",
        "Bot <bot@example.com>",
    ];
    let out = gitops(&args, p);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // 5 candidates: the `.sig` tag is excluded by the default exclusion list.
    assert!(
        stdout.starts_with(
            "flux-system:podinfo-dev: ghcr.io/stefanprodan/podinfo:v1.2.10-rc.aa (5 tags)\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("v1.2.3-rc.4f2a9c1 -> v1.2.10-rc.aa"), "{stdout}");
    assert_eq!(git(p, &["diff", "--name-only", &head, "image-updates"]), DEV_OVERLAY);
    let committed = git(p, &["show", &format!("image-updates:{DEV_OVERLAY}")]);
    assert_eq!(
        committed,
        marked.replacen("v1.2.3-rc.4f2a9c1 #", "v1.2.10-rc.aa #", 1).trim_end(),
        "only the marked value changed"
    );
    // The dev cluster rendered at the new commit runs the new tag.
    let out = gitops(&["render", "clusters/dev", "--rev", "image-updates"], p);
    assert!(text(&out.stdout).contains("image: ghcr.io/stefanprodan/podinfo:v1.2.10-rc.aa"));
    // Errors name the object: a policy whose repository is missing, a tag file missing.
    let automation = std::fs::read_to_string(p.join(DEV_AUTOMATION)).unwrap();
    let broken =
        automation.replacen("    name: podinfo\n  filterTags", "    name: nope\n  filterTags", 1);
    assert_ne!(broken, automation);
    std::fs::write(p.join(DEV_AUTOMATION), broken).unwrap();
    git(p, &["commit", "-qam", "broken ref"]);
    // (A new branch starts from main, which now has the broken reference.)
    let mut broken = args;
    broken[8] = "other-branch";
    let out = gitops(&broken, p);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(
            "ImagePolicy flux-system/podinfo-dev: referenced ImageRepository flux-system/nope not found"
        ),
        "{}",
        text(&out.stderr)
    );
    git(p, &["fsck", "--strict"]);
}
