//! The seed workflow (docs/seeds: "GitOps Workflow and Deployment Process") end to end,
//! through the `gitops` binary, on a Git repository made at test time from `examples/`:
//!
//! 1. develop: a release candidate `v1.2.4-rc.<sha>` appears in the registry; image
//!    automation (`gitops images update`) selects it with the dev ImagePolicy and commits
//!    it on a branch, which is merged; dev runs it, staging and production do not;
//! 2. staging: the stable build `v1.2.4` appears; the staging ImagePolicy selects it;
//! 3. production: promoted by hand from staging (`gitops promote`), same image, on a
//!    branch `promote-podinfo-production-v1.2.4`; `gitops plan` of that branch against a
//!    live state that runs main shows exactly one object configured; merged;
//! 4. rollback by revision (`gitops rollback --to <before the promotion> --commit`):
//!    production renders as before, staging and dev keep their new images.
//!
//! The `git` CLI only builds the fixture and plays the merge button; everything the
//! product does goes through `gitops`.

use std::path::Path;
use std::process::{Command, Output};

use gitops_tests::{examples_repo, git, have_git, text};

fn gitops(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gitops")).args(args).current_dir(cwd).output().unwrap()
}

/// Run `gitops`, require success, return stdout.
fn ok(args: &[&str], cwd: &Path) -> String {
    let out = gitops(args, cwd);
    assert!(out.status.success(), "gitops {args:?}: {}{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

/// The `image:` values of the podinfo Deployment in a render.
fn podinfo_images(render: &str) -> Vec<String> {
    let mut out = Vec::new();
    for doc in render.split("\n---\n") {
        if doc.contains("kind: Deployment") && doc.contains("\n  name: podinfo\n") {
            for line in doc.lines() {
                if let Some(image) = line.trim_start().strip_prefix("image: ") {
                    out.push(image.to_string());
                }
            }
        }
    }
    out
}

fn render_at(p: &Path, env: &str, rev: &str) -> String {
    ok(&["render", &format!("clusters/{env}"), "--rev", rev], p)
}

const PODINFO: &str = "ghcr.io/stefanprodan/podinfo";

#[test]
fn develop_staging_production_promotion_and_rollback() {
    if !have_git() {
        return;
    }
    let r = examples_repo("seed-flow");
    let p = r.path();
    let start = git(p, &["rev-parse", "HEAD"]);
    for env in ["dev", "staging", "production"] {
        let want = if env == "dev" { "v1.2.3-rc.4f2a9c1" } else { "v1.2.3" };
        assert_eq!(podinfo_images(&render_at(p, env, "HEAD")), [format!("{PODINFO}:{want}")]);
    }
    // The registry's tags (one per line, as `gitops images tags` prints them).
    let tags = p.join("tags.txt");
    let write_tags = |list: &[&str]| std::fs::write(&tags, list.join("\n") + "\n").unwrap();
    let tags_arg = format!("{PODINFO}={}", tags.display());
    let automation = |env: &str, branch: &str| {
        let overlay = format!("apps/podinfo/overlays/{env}");
        let policies = format!("clusters/{env}");
        let author = "fluxcdbot <fluxcdbot@users.noreply.github.com>";
        ok(
            &[
                "images",
                "update",
                &overlay,
                "--policies",
                &policies,
                "--tags-file",
                &tags_arg,
                "--branch",
                branch,
                "--author",
                author,
            ],
            p,
        )
    };

    // 1. develop: a new release candidate (and its signature, excluded by default).
    write_tags(&["v1.2.3", "v1.2.3-rc.4f2a9c1", "v1.2.4-rc.0b1c2d3", "v1.2.4-rc.0b1c2d3.sig"]);
    let out = automation("dev", "image-updates-dev");
    assert!(
        out.starts_with(&format!(
            "flux-system:podinfo-dev: {PODINFO}:v1.2.4-rc.0b1c2d3 (3 tags)\n"
        )),
        "{out}"
    );
    assert_eq!(
        git(p, &["diff", "--name-only", "main", "image-updates-dev"]),
        "apps/podinfo/overlays/dev/kustomization.yaml"
    );
    git(p, &["merge", "-q", "--ff-only", "image-updates-dev"]);
    assert_eq!(
        podinfo_images(&render_at(p, "dev", "HEAD")),
        [format!("{PODINFO}:v1.2.4-rc.0b1c2d3")]
    );
    // Staging's policy takes stable versions only: nothing for it yet.
    let out = automation("staging", "image-updates-staging");
    assert!(out.ends_with("no changes\n"), "{out}");

    // 2. staging: the stable build from main.
    write_tags(&["v1.2.3", "v1.2.3-rc.4f2a9c1", "v1.2.4-rc.0b1c2d3", "v1.2.4"]);
    let out = automation("staging", "image-updates-staging");
    assert!(out.starts_with(&format!("flux-system:podinfo-staging: {PODINFO}:v1.2.4 (4 tags)\n")));
    git(p, &["merge", "-q", "--ff-only", "image-updates-staging"]);
    let staging = podinfo_images(&render_at(p, "staging", "HEAD"));
    assert_eq!(staging, [format!("{PODINFO}:v1.2.4")]);
    // The dev automation does not move (v1.2.4 is no release candidate).
    assert!(automation("dev", "image-updates-dev").ends_with("no changes\n"));
    let before_promotion = git(p, &["rev-parse", "HEAD"]);
    let production_before = render_at(p, "production", "HEAD");
    assert_eq!(podinfo_images(&production_before), [format!("{PODINFO}:v1.2.3")]);

    // 3. production: promoted by hand from staging, on a branch, the same image.
    let out = ok(
        &[
            "promote",
            "--from",
            "staging",
            "--to",
            "production",
            "podinfo",
            "--author",
            "Ops <ops@example.com>",
        ],
        p,
    );
    assert!(
        out.contains(&format!(": {PODINFO}:v1.2.3 -> {PODINFO}:v1.2.4 (apps/podinfo/overlays/production/kustomization.yaml:")),
        "{out}"
    );
    assert!(out.contains("-  newTag: v1.2.3\n+  newTag: v1.2.4\n"), "{out}");
    let branch = "promote-podinfo-production-v1.2.4";
    assert!(out.contains(&format!("on branch {branch}")), "{out}");
    assert_eq!(git(p, &["rev-parse", "main"]), before_promotion, "main did not move");
    assert_eq!(
        git(p, &["diff", "--name-only", "main", branch]),
        "apps/podinfo/overlays/production/kustomization.yaml"
    );
    // What merging the pull request would do to a cluster running main: one object.
    ok(&["apply", "clusters/production", "--live", "live"], p);
    let plan = ok(&["plan", "clusters/production", "--rev", branch, "--live", "live"], p);
    let changes: Vec<&str> =
        plan.lines().filter(|l| !l.starts_with('#') && !l.starts_with("Summary:")).collect();
    assert_eq!(changes, ["Deployment/podinfo/podinfo configured"], "{plan}");
    let diff = ok(&["diff", "clusters/production", "--rev", branch, "--live", "live"], p);
    assert!(
        diff.contains(&format!(
            "-        image: {PODINFO}:v1.2.3\n+        image: {PODINFO}:v1.2.4\n"
        )),
        "{diff}"
    );
    git(p, &["merge", "-q", "--ff-only", branch]);
    assert_eq!(
        podinfo_images(&render_at(p, "production", "HEAD")),
        staging,
        "same image as staging"
    );
    for env in ["dev", "staging"] {
        assert_eq!(render_at(p, env, "HEAD"), render_at(p, env, &before_promotion), "{env}");
    }
    let again = ok(&["promote", "--from", "staging", "--to", "production", "podinfo"], p);
    assert!(again.starts_with("Nothing to promote"), "{again}");

    // 4. rollback of production to the revision before the promotion.
    let out = ok(&["rollback", "clusters/production", "--to", &before_promotion], p);
    let changes: Vec<&str> = out
        .lines()
        .filter(|l| {
            l.ends_with(" configured") || l.ends_with(" created") || l.ends_with(" deleted")
        })
        .collect();
    assert_eq!(changes, ["Deployment/podinfo/podinfo configured"], "{out}");
    let out = ok(
        &[
            "rollback",
            "clusters/production",
            "--to",
            &before_promotion,
            "--commit",
            "--author",
            "Ops <ops@example.com>",
        ],
        p,
    );
    assert!(out.contains("Verified: "), "{out}");
    let rollback = format!("rollback-{}", &before_promotion[..7]);
    assert_eq!(render_at(p, "production", &rollback), production_before);
    for env in ["dev", "staging"] {
        assert_eq!(
            render_at(p, env, &rollback),
            render_at(p, env, "HEAD"),
            "{env} keeps its images"
        );
    }
    assert_eq!(
        git(p, &["diff", "--name-only", "main", &rollback]),
        "apps/podinfo/overlays/production/kustomization.yaml"
    );
    // The history tells the story.
    let log = git(p, &["log", "--format=%an: %s", &format!("{start}..{rollback}")]);
    let subjects: Vec<&str> = log.lines().collect();
    assert_eq!(subjects.len(), 4, "{log}");
    assert!(subjects[0].starts_with("Ops: Rollback clusters/production to "), "{log}");
    assert!(subjects[1].starts_with("Ops: "), "{log}");
    assert!(subjects[2].starts_with("fluxcdbot: Update from image update automation"), "{log}");
    assert!(subjects[3].starts_with("fluxcdbot: Update from image update automation"), "{log}");
    git(p, &["fsck", "--strict"]);
}
