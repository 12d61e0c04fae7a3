//! `gitops_core::rollback` on real repositories made with the `git` CLI from a copy of
//! `examples/`: commit 1 = the examples, commit 2 = podinfo's production tag bumped,
//! commit 3 = a file added, `pdb.yaml` deleted, the README and the staging overlay edited.
#![cfg(feature = "git")]

use std::path::Path;

use gitops_core::fs::RealFs;
use gitops_core::git::{Author, Repository};
use gitops_core::render::{self, render_cluster};
use gitops_core::rollback::{self, CommitOptions, Context, Error, FileAction, Options, Status};
use gitops_core::yaml::to_kustomize_yaml;
use gitops_kustomize::flux::FluxBuilder;
use gitops_tests::{TempDir, copy_dir, examples, have_git};

/// Fixture commits with a fixed date.
fn git(dir: &Path, args: &[&str]) -> String {
    gitops_tests::git_at(dir, 1_700_000_000, args)
}

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let p = dir.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(p, text.replacen(from, to, 1)).unwrap();
}

const PROD: &str = "apps/podinfo/overlays/production/kustomization.yaml";
const EXTRA: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo-extra\ndata:\n  mode: fast\n";

/// The three-commit fixture; returns the directory and the commits, oldest first.
fn fixture(tag: &str) -> (TempDir, [String; 3]) {
    let dir = TempDir::new(&format!("rollback-{tag}"));
    let p = dir.path();
    copy_dir(&examples(), p);
    git(p, &["init", "-q"]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "examples"]);
    let c1 = git(p, &["rev-parse", "HEAD"]);
    edit(p, PROD, "newTag: v1.2.3", "newTag: v1.2.4");
    git(p, &["commit", "-qam", "podinfo production v1.2.4"]);
    let c2 = git(p, &["rev-parse", "HEAD"]);
    edit(p, PROD, "- pdb.yaml", "- extra.yaml");
    std::fs::write(p.join("apps/podinfo/overlays/production/extra.yaml"), EXTRA).unwrap();
    git(p, &["rm", "-q", "apps/podinfo/overlays/production/pdb.yaml"]);
    edit(p, "README.md", "# Example GitOps repository", "# Example GitOps repository (edited)");
    edit(p, "apps/podinfo/overlays/staging/kustomization.yaml", "count: 2", "count: 4");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "extra, no pdb, docs, staging replicas"]);
    let c3 = git(p, &["rev-parse", "HEAD"]);
    (dir, [c1, c2, c3])
}

/// Each Kustomization with its objects' YAML, as `gitops render` prints them.
fn texts(outcome: &render::Outcome) -> Vec<(String, Vec<String>)> {
    outcome
        .kustomizations
        .iter()
        .map(|k| {
            (k.key(), k.objects.iter().map(|o| to_kustomize_yaml(o.value()).unwrap()).collect())
        })
        .collect()
}

/// The render of `cluster` in a checkout of `commit` (a `git worktree`, real files).
fn render_checkout(repo: &Path, commit: &str, cluster: &str) -> Vec<(String, Vec<String>)> {
    let wt = repo.with_file_name(format!(
        "{}-wt-{}",
        repo.file_name().unwrap().to_string_lossy(),
        &commit[..7]
    ));
    let _ = std::fs::remove_dir_all(&wt);
    git(repo, &["worktree", "add", "-q", "--detach", wt.to_str().unwrap(), commit]);
    let out = render_cluster(
        &RealFs,
        &wt.join(cluster),
        &FluxBuilder::default(),
        &render::Options::default(),
    );
    git(repo, &["worktree", "remove", "--force", wt.to_str().unwrap()]);
    texts(&out.unwrap())
}

fn changes(outcome: &rollback::Outcome) -> Vec<String> {
    outcome
        .kustomizations
        .iter()
        .flat_map(|k| {
            k.change_set
                .entries
                .iter()
                .filter(|e| e.action.is_change())
                .map(move |e| format!("{} {}", k.kustomization, e))
        })
        .collect()
}

#[test]
fn change_sets_table() {
    if !have_git() {
        return;
    }
    let (dir, [c1, c2, _]) = fixture("table");
    let repo = Repository::open(dir.path()).unwrap();
    let builder = FluxBuilder::default();
    let pod = "flux-system/podinfo";
    let cases: Vec<(&str, String, Vec<String>, Vec<&str>)> = vec![
        (
            "clusters/production",
            c1.clone(),
            vec![
                format!("{pod} Deployment/podinfo/podinfo configured"),
                format!("{pod} PodDisruptionBudget/podinfo/podinfo created"),
                format!("{pod} ConfigMap/podinfo/podinfo-extra deleted"),
            ],
            vec![
                "D apps/podinfo/overlays/production/extra.yaml",
                "M apps/podinfo/overlays/production/kustomization.yaml",
                "A apps/podinfo/overlays/production/pdb.yaml",
            ],
        ),
        // Short hash and HEAD~1: only the file edits of commit 3 come back.
        (
            "clusters/production",
            c2[..7].to_owned(),
            vec![
                format!("{pod} PodDisruptionBudget/podinfo/podinfo created"),
                format!("{pod} ConfigMap/podinfo/podinfo-extra deleted"),
            ],
            vec![
                "D apps/podinfo/overlays/production/extra.yaml",
                "M apps/podinfo/overlays/production/kustomization.yaml",
                "A apps/podinfo/overlays/production/pdb.yaml",
            ],
        ),
        (
            "clusters/staging",
            "HEAD~2".to_owned(),
            vec!["flux-system/podinfo Deployment/podinfo-staging/podinfo configured".to_owned()],
            vec!["M apps/podinfo/overlays/staging/kustomization.yaml"],
        ),
        ("clusters/dev", "HEAD~2".to_owned(), vec![], vec![]),
    ];
    for (cluster, to, want, want_files) in cases {
        let ctx = Context { repo: &repo, cluster, builder: &builder };
        let outcome = rollback::plan(&ctx, &to, &Options::default()).unwrap();
        assert_eq!(changes(&outcome), want, "{cluster} --to {to}");
        let files: Vec<String> =
            outcome.files.iter().map(|f| format!("{} {}", f.action.letter(), f.path)).collect();
        assert_eq!(files, want_files, "{cluster} --to {to}");
        assert!(outcome.ancestor);
        assert_eq!(outcome.renders_equal, want.is_empty(), "{cluster} --to {to}");
        assert!(
            outcome
                .kustomizations
                .iter()
                .all(|k| matches!(k.status, Status::Changed | Status::Unchanged))
        );
        // The diff of the deployment shows the tag going back.
        if to == c1 {
            let d =
                outcome.diffs.iter().find(|d| d.subject == "Deployment/podinfo/podinfo").unwrap();
            assert!(
                d.unified.contains("-        image: ghcr.io/stefanprodan/podinfo:v1.2.4\n"),
                "{}",
                d.unified
            );
            assert!(
                d.unified.contains("+        image: ghcr.io/stefanprodan/podinfo:v1.2.3\n"),
                "{}",
                d.unified
            );
            assert_eq!(outcome.target.revision, format!("sha1:{c1}"));
            assert_eq!(outcome.head.revision, format!("main@sha1:{}", outcome.head.commit));
        }
    }
}

#[test]
fn commit_restores_production_only() {
    if !have_git() {
        return;
    }
    let (dir, [c1, _, c3]) = fixture("commit");
    let p = dir.path();
    // A dirty tracked file and an untracked one: the commit must not touch them.
    std::fs::write(p.join("examples-notes.txt"), "mine\n").unwrap();
    let repo = Repository::open(p).unwrap();
    let builder = FluxBuilder::default();
    let ctx = Context { repo: &repo, cluster: "clusters/production", builder: &builder };
    let options = Options::default();
    let outcome = rollback::plan(&ctx, &c1, &options).unwrap();
    let author =
        Author { name: "Ops".into(), email: "ops@example.com".into(), time: Some(1_700_000_500) };
    let done = rollback::commit(&ctx, &outcome, &options, &CommitOptions::new(author)).unwrap();
    assert_eq!(done.branch, format!("rollback-{}", &c1[..7]));
    assert!(done.verification.equal, "{:?}", done.verification.differences);
    assert_eq!(done.verification.kustomizations, 4);
    // The commit: parent HEAD, on the branch, deletions as deletions.
    assert_eq!(git(p, &["rev-parse", &done.branch]), done.commit);
    assert_eq!(git(p, &["rev-parse", &format!("{}^", done.commit)]), c3);
    assert_eq!(
        git(p, &["show", "--name-status", "--format=", &done.commit]),
        "D\tapps/podinfo/overlays/production/extra.yaml\nM\tapps/podinfo/overlays/production/kustomization.yaml\nA\tapps/podinfo/overlays/production/pdb.yaml"
    );
    let stat = git(p, &["show", "--stat", "--format=", &done.commit]);
    assert!(stat.contains("extra.yaml         | 6 ------"), "{stat}");
    assert_eq!(
        git(p, &["log", "-1", "--format=%s", &done.commit]),
        format!("Rollback clusters/production to {}", &c1[..7])
    );
    let body = git(p, &["log", "-1", "--format=%b", &done.commit]);
    assert!(body.contains(&format!("sha1:{c1} ({c1})")), "{body}");
    assert!(body.contains(&format!("main@sha1:{c3} (HEAD)")), "{body}");
    git(p, &["fsck", "--strict"]);
    // Renders: production as at commit 1, staging and dev as at commit 3 (checkouts).
    for (cluster, want) in
        [("clusters/production", &c1), ("clusters/staging", &c3), ("clusters/dev", &c3)]
    {
        assert_eq!(
            render_checkout(p, &done.commit, cluster),
            render_checkout(p, want, cluster),
            "{cluster}"
        );
    }
    // Unrelated files keep commit 3's content.
    for file in ["README.md", "apps/podinfo/overlays/staging/kustomization.yaml"] {
        assert_eq!(
            git(p, &["show", &format!("{}:{file}", done.commit)]),
            git(p, &["show", &format!("{c3}:{file}")]),
            "{file}"
        );
    }
    assert_eq!(
        git(
            p,
            &[
                "diff",
                "--stat",
                &c3,
                &done.commit,
                "--",
                "README.md",
                "clusters",
                "infrastructure",
                "apps/web",
                "apps/podinfo/base",
                "apps/podinfo/overlays/staging",
                "apps/podinfo/overlays/dev"
            ]
        ),
        ""
    );
    // The working tree and HEAD are untouched.
    assert_eq!(git(p, &["rev-parse", "HEAD"]), c3);
    assert_eq!(git(p, &["status", "--porcelain"]), "?? examples-notes.txt");
    // The same plan again: the branch now exists and is not at HEAD.
    let again = rollback::commit(
        &ctx,
        &outcome,
        &options,
        &CommitOptions::new(Author::parse("A <a@b>").unwrap()),
    );
    assert!(matches!(again, Err(Error::BranchExists { .. })), "{again:?}");
}

#[test]
fn errors_table() {
    if !have_git() {
        return;
    }
    let (dir, [c1, ..]) = fixture("errors");
    let repo = Repository::open(dir.path()).unwrap();
    let builder = FluxBuilder::default();
    let ctx = Context { repo: &repo, cluster: "clusters/production", builder: &builder };
    let options = Options::default();
    let author = || Author::parse("Ops <ops@example.com>").unwrap();
    // Unknown revision: the git module's error names it.
    let err = rollback::plan(&ctx, "no-such-rev", &options).unwrap_err();
    assert!(err.to_string().starts_with("unknown revision 'no-such-rev': "), "{err}");
    // Nothing to roll back.
    let same = rollback::plan(&ctx, "HEAD", &options).unwrap();
    assert!(same.renders_equal && !same.has_changes() && same.files.is_empty());
    let err = rollback::commit(&ctx, &same, &options, &CommitOptions::new(author())).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "nothing to roll back: the render of clusters/production at {} (HEAD) equals the render at HEAD",
            &same.head.commit[..7]
        )
    );
    let outcome = rollback::plan(&ctx, &c1, &options).unwrap();
    let cases: Vec<(Option<&str>, String)> = vec![
        (
            Some("main"),
            "refusing to commit onto the checked-out branch 'main': its index and working tree would show the rollback reversed; commit to another branch (the default is rollback-<short sha>) and merge it with `git merge --ff-only`".into(),
        ),
        (Some("bad..name"), "invalid branch name 'bad..name'".into()),
    ];
    for (branch, want) in cases {
        let o = CommitOptions { branch: branch.map(str::to_owned), ..CommitOptions::new(author()) };
        let err = rollback::commit(&ctx, &outcome, &options, &o).unwrap_err();
        assert_eq!(err.to_string(), want, "{branch:?}");
    }
    // Bad cluster paths.
    for path in ["/abs", "../x", "clusters/../../x"] {
        let c = Context { cluster: path, ..ctx };
        let err = rollback::plan(&c, &c1, &options).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "invalid cluster path '{path}': expected a directory relative to the repository root"
            )
        );
    }
    // A cluster that does not exist at the target.
    let c = Context { cluster: "clusters/nope", ..ctx };
    let err = rollback::plan(&c, &c1, &options).unwrap_err();
    assert!(err.to_string().starts_with("rendering clusters/nope at "), "{err}");
    // A corrupt repository: a loose object of HEAD's tree overwritten with garbage.
    let tree = git(dir.path(), &["rev-parse", "HEAD^{tree}"]);
    let obj = dir.path().join(".git/objects").join(&tree[..2]).join(&tree[2..]);
    let mut perms = std::fs::metadata(&obj).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&obj, perms).unwrap();
    std::fs::write(&obj, b"garbage").unwrap();
    let repo = Repository::open(dir.path()).unwrap();
    let ctx = Context { repo: &repo, ..ctx };
    let err = rollback::plan(&ctx, &c1, &options).unwrap_err();
    assert!(err.to_string().starts_with("reading tree "), "{err}");
}

#[test]
fn not_an_ancestor_and_whole_kustomizations() {
    if !have_git() {
        return;
    }
    let (dir, [c1, ..]) = fixture("side");
    let p = dir.path();
    // A side branch from commit 1: the web Kustomization removed, a new one added.
    git(p, &["checkout", "-q", "-b", "side", &c1]);
    let apps = std::fs::read_to_string(p.join("clusters/production/apps.yaml")).unwrap();
    let (podinfo, _web) = apps.split_once("---\n").unwrap();
    let extra = podinfo.replace("name: podinfo\n", "name: podinfo-extra\n").replace(
        "path: ./apps/podinfo/overlays/production",
        "path: ./apps/podinfo/overlays/staging",
    );
    std::fs::write(p.join("clusters/production/apps.yaml"), format!("{podinfo}---\n{extra}"))
        .unwrap();
    git(p, &["commit", "-qam", "side"]);
    git(p, &["checkout", "-q", "main"]);
    let repo = Repository::open(p).unwrap();
    let builder = FluxBuilder::default();
    let ctx = Context { repo: &repo, cluster: "clusters/production", builder: &builder };
    let outcome = rollback::plan(&ctx, "side", &Options::default()).unwrap();
    assert!(!outcome.ancestor);
    assert!(outcome.target.revision.starts_with("side@sha1:"), "{}", outcome.target.revision);
    let status: Vec<(String, Status)> =
        outcome.kustomizations.iter().map(|k| (k.kustomization.clone(), k.status)).collect();
    assert!(status.contains(&("flux-system/podinfo-extra".into(), Status::Created)), "{status:?}");
    assert!(status.contains(&("flux-system/web".into(), Status::Deleted)), "{status:?}");
    let web = outcome.kustomizations.iter().find(|k| k.kustomization == "flux-system/web").unwrap();
    assert!(!web.change_set.entries.is_empty());
    assert!(web.change_set.entries.iter().all(|e| e.action == gitops_core::plan::Action::Deleted));
    assert!(web.change_set.entries.iter().any(|e| e.subject == "Deployment/web/web"));
    let author = Author::parse("Ops <ops@example.com>").unwrap();
    let done =
        rollback::commit(&ctx, &outcome, &Options::default(), &CommitOptions::new(author)).unwrap();
    assert!(done.verification.equal, "{:?}", done.verification.differences);
    assert!(
        outcome
            .files
            .iter()
            .any(|f| f.path == "clusters/production/apps.yaml" && f.action == FileAction::Modified)
    );
}

#[test]
fn verification_reports_a_symlink_it_cannot_restore() {
    if !have_git() {
        return;
    }
    let (dir, _) = fixture("link");
    let p = dir.path();
    // Commit 4: pdb.yaml back as a symlink to a shared file; commit 5: a regular file with
    // other content, and the tag bumped.
    std::fs::create_dir_all(p.join("shared")).unwrap();
    std::fs::write(
        p.join("shared/pdb.yaml"),
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: podinfo\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: podinfo\n",
    )
    .unwrap();
    let pdb = p.join("apps/podinfo/overlays/production/pdb.yaml");
    std::os::unix::fs::symlink("../../../../shared/pdb.yaml", &pdb).unwrap();
    edit(p, PROD, "- extra.yaml", "- pdb.yaml");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "pdb as a link"]);
    let c4 = git(p, &["rev-parse", "HEAD"]);
    std::fs::remove_file(&pdb).unwrap();
    std::fs::write(
        &pdb,
        std::fs::read_to_string(p.join("shared/pdb.yaml"))
            .unwrap()
            .replace("minAvailable: 1", "minAvailable: 3"),
    )
    .unwrap();
    edit(p, PROD, "newTag: v1.2.4", "newTag: v1.2.5");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "pdb as a file"]);
    let repo = Repository::open(p).unwrap();
    let builder = FluxBuilder::default();
    let ctx = Context { repo: &repo, cluster: "clusters/production", builder: &builder };
    let outcome = rollback::plan(&ctx, &c4, &Options::default()).unwrap();
    let files: Vec<&str> = outcome.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(files, ["apps/podinfo/overlays/production/kustomization.yaml"]);
    let author = Author::parse("Ops <ops@example.com>").unwrap();
    let done =
        rollback::commit(&ctx, &outcome, &Options::default(), &CommitOptions::new(author)).unwrap();
    assert!(!done.verification.equal);
    assert_eq!(
        done.verification.differences,
        ["flux-system/podinfo: PodDisruptionBudget/podinfo/podinfo differs"]
    );
}
