//! Promotion on a real Git repository (made with the `git` CLI): computed on HEAD's tree,
//! committed on a new branch with `promote::commit`, and checked by rendering both
//! environments at HEAD and at the branch (through `TreeFs`).
#![cfg(feature = "git")]

use std::path::Path;

use gitops_core::git::{Author, Repository, TreeFs};
use gitops_core::promote::{Options, commit, promote};
use gitops_core::render::{Options as RenderOptions, render_cluster};
use gitops_kustomize::flux::FluxBuilder;
use gitops_tests::{examples_repo, git, have_git};

/// Every object of `env` at `rev`, as (Kustomization, YAML).
fn render_at(repo: &Repository, root: &Path, rev: &str, env: &str) -> Vec<(String, String)> {
    let commit = repo.rev_parse(rev).unwrap();
    let fs = TreeFs::new(repo, &commit, root).unwrap();
    let opts = RenderOptions { root: Some(root.to_path_buf()), ..RenderOptions::default() };
    let out = render_cluster(&fs, &root.join("clusters").join(env), &FluxBuilder::default(), &opts)
        .unwrap();
    out.kustomizations
        .iter()
        .flat_map(|k| {
            k.objects
                .iter()
                .map(move |o| (k.key(), gitops_core::yaml::to_kustomize_yaml(o.value()).unwrap()))
        })
        .collect()
}

#[test]
fn staging_to_production_on_a_branch() {
    if !have_git() {
        return;
    }
    let s = examples_repo("promote-git");
    let root = s.path().to_path_buf();
    let k = root.join("apps/podinfo/overlays/staging/kustomization.yaml");
    std::fs::write(
        &k,
        std::fs::read_to_string(&k).unwrap().replace("newTag: v1.2.3", "newTag: v1.3.0"),
    )
    .unwrap();
    git(&root, &["commit", "-qam", "staging: podinfo v1.3.0"]);

    let repo = Repository::open(&root).unwrap();
    let head = repo.rev_parse("HEAD").unwrap();
    let tree = TreeFs::new(&repo, &head, &root).unwrap();
    let p = promote(
        &tree,
        &FluxBuilder::default(),
        &root,
        "staging",
        "production",
        "podinfo",
        &Options::default(),
    )
    .unwrap();
    assert_eq!(p.changes.len(), 1);
    let author = Author::parse("Release <release@example.com>").unwrap();
    let branch = p.branch_name();
    let id = commit(&repo, &p, &branch, "HEAD", &author, None).unwrap().unwrap();
    assert_eq!(git(&root, &["rev-parse", &branch]), id);
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), head);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");

    // production at the branch: the podinfo Deployment runs staging's image, nothing else moved.
    let before = render_at(&repo, &root, "HEAD", "production");
    let after = render_at(&repo, &root, &branch, "production");
    assert_eq!(before.len(), after.len());
    let diffs: Vec<_> = before.iter().zip(&after).filter(|(a, b)| a != b).collect();
    assert_eq!(diffs.len(), 1, "{diffs:#?}");
    let ((ks, old), (_, new)) = diffs[0];
    assert_eq!(ks, "flux-system/podinfo");
    assert!(
        old.contains("kind: Deployment")
            && new.contains("image: ghcr.io/stefanprodan/podinfo:v1.3.0")
    );
    assert_eq!(old.replace("podinfo:v1.2.3", "podinfo:v1.3.0"), *new);
    for env in ["dev", "staging"] {
        assert_eq!(
            render_at(&repo, &root, "HEAD", env),
            render_at(&repo, &root, &branch, env),
            "{env}"
        );
    }
    // The branch exists now: a second commit is refused, nothing is committed.
    let e = commit(&repo, &p, &branch, "HEAD", &author, None).unwrap_err();
    assert_eq!(e.to_string(), format!("branch '{branch}' exists already; give another name"));
    assert_eq!(git(&root, &["rev-parse", &branch]), id);
    // A corrupt-free repository.
    git(&root, &["fsck", "--strict"]);
}
