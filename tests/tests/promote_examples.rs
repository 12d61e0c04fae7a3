//! Environment promotion on the fleet repository of `examples/` (copied into memory and
//! edited per case), with gitops-kustomize's builder: the edits, their verification, and
//! the errors.

use std::path::{Path, PathBuf};

use gitops_core::fs::{FileSystem, MemFs};
use gitops_core::promote::{Error, Options, Promotion, ValueSpec, promote};
use gitops_core::render::{Options as RenderOptions, render_cluster};
use gitops_kustomize::flux::FluxBuilder;

const ROOT: &str = "/fleet";

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn load(fs: &mut MemFs, dir: &Path, rel: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let r = rel.join(e.file_name());
        if p.is_dir() {
            load(fs, &p, &r);
        } else {
            fs.add_file(Path::new(ROOT).join(&r), std::fs::read(&p).unwrap());
        }
    }
}

/// The examples with `edits` applied: (file, old text, new text).
fn fleet(edits: &[(&str, &str, &str)]) -> MemFs {
    let mut fs = MemFs::new();
    load(&mut fs, &examples(), Path::new(""));
    for (file, old, new) in edits {
        let p = Path::new(ROOT).join(file);
        let text = String::from_utf8(fs.read_file(&p).unwrap_or_default()).unwrap();
        assert!(text.contains(old), "{file} lacks {old:?}");
        fs.add_file(&p, text.replacen(old, new, 1));
    }
    fs
}

fn run(fs: &MemFs, from: &str, to: &str, app: &str, values: &[&str]) -> Result<Promotion, Error> {
    let options = Options {
        values: values.iter().map(|v| ValueSpec::parse(v).unwrap()).collect(),
        ..Options::default()
    };
    promote(fs, &FluxBuilder::default(), Path::new(ROOT), from, to, app, &options)
}

/// `fs` with the promotion's edits written.
fn applied(fs: &MemFs, p: &Promotion) -> MemFs {
    let mut out = fs.clone();
    for e in &p.edits {
        out.add_file(Path::new(ROOT).join(&e.path), e.new.clone());
    }
    out
}

/// Every object of every Kustomization of `env`, as YAML text (for whole-output compares).
fn render(fs: &MemFs, env: &str) -> Vec<(String, String)> {
    let opts = RenderOptions { root: Some(ROOT.into()), ..RenderOptions::default() };
    let out = render_cluster(
        fs,
        &Path::new(ROOT).join("clusters").join(env),
        &FluxBuilder::default(),
        &opts,
    )
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

fn image_of(fs: &MemFs, env: &str, kind_name: &str) -> String {
    render(fs, env)
        .into_iter()
        .filter(|(_, y)| y.contains(kind_name))
        .find_map(|(_, y)| {
            y.lines()
                .find(|l| {
                    l.trim_start().starts_with("image:") || l.trim_start().starts_with("- image:")
                })
                .map(|l| l.split_once("image:").unwrap().1.trim().to_owned())
        })
        .unwrap()
}

/// A change's fields, for one comparison.
fn fields(c: &gitops_core::promote::Change) -> (&str, &str, &str, &str, &str, u32) {
    (&c.what, &c.object, &c.old, &c.new, &c.file, c.line)
}

/// What changed between two renders: the objects that differ.
fn changed(a: &[(String, String)], b: &[(String, String)]) -> usize {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}

#[test]
fn staging_to_production_new_tag() {
    let fs = fleet(&[(
        "apps/podinfo/overlays/staging/kustomization.yaml",
        "newTag: v1.2.3",
        "newTag: v1.3.0",
    )]);
    let p = run(&fs, "staging", "production", "podinfo", &[]).unwrap();
    assert_eq!(p.changes.len(), 1, "{p:#?}");
    let c = &p.changes[0];
    assert_eq!(
        fields(c),
        (
            "image",
            "Deployment/podinfo container podinfod",
            "ghcr.io/stefanprodan/podinfo:v1.2.3",
            "ghcr.io/stefanprodan/podinfo:v1.3.0",
            "apps/podinfo/overlays/production/kustomization.yaml",
            13
        )
    );
    assert_eq!(
        p.diff(),
        "--- a/apps/podinfo/overlays/production/kustomization.yaml\n+++ b/apps/podinfo/overlays/production/kustomization.yaml\n@@ -10,7 +10,7 @@\n     environment: production\n images:\n - name: ghcr.io/stefanprodan/podinfo\n-  newTag: v1.2.3\n+  newTag: v1.3.0\n replicas:\n - name: podinfo\n   count: 3\n"
    );
    assert_eq!(p.branch_name(), "promote-podinfo-production-v1.3.0");
    let after = applied(&fs, &p);
    assert_eq!(
        image_of(&after, "production", "name: podinfo\n  namespace: podinfo\n"),
        "ghcr.io/stefanprodan/podinfo:v1.3.0"
    );
    assert_eq!(changed(&render(&fs, "production"), &render(&after, "production")), 1);
    assert_eq!(changed(&render(&fs, "staging"), &render(&after, "staging")), 0);
    // Promoting again: nothing to do.
    let again = run(&after, "staging", "production", "podinfo", &[]).unwrap();
    assert!(again.is_empty() && again.changes.is_empty());
}

#[test]
fn dev_to_staging_through_the_external_artifact() {
    let fs = fleet(&[]);
    let p = run(&fs, "dev", "staging", "podinfo", &[]).unwrap();
    assert_eq!(p.changes.len(), 1, "{p:#?}");
    assert_eq!(p.changes[0].file, "apps/podinfo/overlays/staging/kustomization.yaml");
    assert_eq!(p.changes[0].new, "ghcr.io/stefanprodan/podinfo:v1.2.3-rc.4f2a9c1");
    let after = applied(&fs, &p);
    assert_eq!(changed(&render(&fs, "dev"), &render(&after, "dev")), 0);
    assert_eq!(changed(&render(&fs, "staging"), &render(&after, "staging")), 1);
    // production also builds podinfo from its own overlay: unchanged.
    assert_eq!(changed(&render(&fs, "production"), &render(&after, "production")), 0);
}

#[test]
fn web_keeps_new_name() {
    let fs = fleet(&[(
        "apps/web/overlays/staging/kustomization.yaml",
        "newTag: v1.2.3",
        "newTag: v1.2.4",
    )]);
    let p = run(&fs, "staging", "production", "web", &[]).unwrap();
    assert_eq!(p.changes.len(), 1, "{p:#?}");
    assert_eq!(p.changes[0].new, "registry.example.com/web/frontend:v1.2.4");
    assert!(p.diff().contains("-  newTag: v1.2.3\n+  newTag: v1.2.4\n"), "{}", p.diff());
}

#[test]
fn digest_promotion() {
    let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let fs = fleet(&[(
        "apps/podinfo/overlays/staging/kustomization.yaml",
        "newTag: v1.2.3",
        &format!("newTag: v1.2.3\n  digest: {digest}"),
    )]);
    let p = run(&fs, "staging", "production", "podinfo", &[]).unwrap();
    assert_eq!(p.changes[0].new, format!("ghcr.io/stefanprodan/podinfo:v1.2.3@{digest}"));
    assert!(
        p.diff().contains(&format!("   newTag: v1.2.3\n+  digest: {digest}\n")),
        "{}",
        p.diff()
    );
    // And back: staging drops the digest, production's is removed.
    let after = applied(&fs, &p);
    let back = fleet(&[]);
    let mut back2 = back.clone();
    let prod = "apps/podinfo/overlays/production/kustomization.yaml";
    back2.add_file(
        Path::new(ROOT).join(prod),
        after.read_file(&Path::new(ROOT).join(prod)).unwrap(),
    );
    let p = run(&back2, "staging", "production", "podinfo", &[]).unwrap();
    assert_eq!(p.changes[0].new, "ghcr.io/stefanprodan/podinfo:v1.2.3");
    assert_eq!(
        p.edits[0].new,
        back.read_file(&Path::new(ROOT).join(prod)).map(|b| String::from_utf8(b).unwrap()).unwrap()
    );
}

#[test]
fn image_from_flux_spec_images() {
    // production's Flux Kustomization overrides the tag itself.
    let fs = fleet(&[
        ("apps/podinfo/overlays/staging/kustomization.yaml", "newTag: v1.2.3", "newTag: v1.4.0"),
        (
            "clusters/production/apps.yaml",
            "  path: ./apps/podinfo/overlays/production\n",
            "  path: ./apps/podinfo/overlays/production\n  images:\n  - name: ghcr.io/stefanprodan/podinfo\n    newTag: v1.2.2 # pinned\n",
        ),
    ]);
    let p = run(&fs, "staging", "production", "podinfo", &[]).unwrap();
    assert_eq!(p.changes.len(), 1, "{p:#?}");
    assert_eq!(
        (p.changes[0].file.as_str(), p.changes[0].old.as_str()),
        ("clusters/production/apps.yaml", "ghcr.io/stefanprodan/podinfo:v1.2.2")
    );
    assert!(
        p.diff().contains("-    newTag: v1.2.2 # pinned\n+    newTag: v1.4.0 # pinned\n"),
        "{}",
        p.diff()
    );
}

#[test]
fn image_from_post_build_variable() {
    let fs = fleet(&[
        (
            "apps/podinfo/base/deployment.yaml",
            "image: ghcr.io/stefanprodan/podinfo:6.5.0",
            "image: ghcr.io/stefanprodan/podinfo:${podinfo_tag}",
        ),
        (
            "apps/podinfo/overlays/dev/kustomization.yaml",
            "images:\n- name: ghcr.io/stefanprodan/podinfo\n  newTag: v1.2.3-rc.4f2a9c1 # {\"$imagepolicy\": \"flux-system:podinfo-dev:tag\"}\n",
            "",
        ),
        (
            "apps/podinfo/overlays/staging/kustomization.yaml",
            "images:\n- name: ghcr.io/stefanprodan/podinfo\n  newTag: v1.2.3 # {\"$imagepolicy\": \"flux-system:podinfo-staging:tag\"}\n",
            "",
        ),
        (
            "apps/podinfo/overlays/production/kustomization.yaml",
            "images:\n- name: ghcr.io/stefanprodan/podinfo\n  newTag: v1.2.3\n",
            "",
        ),
        (
            "clusters/dev/apps.yaml",
            "      cluster_name: dev\n",
            "      cluster_name: dev\n      podinfo_tag: \"7.0\"\n",
        ),
        (
            "clusters/staging/apps.yaml",
            "      cluster_name: staging\n",
            "      cluster_name: staging\n      podinfo_tag: \"6.9\"\n",
        ),
        (
            "clusters/production/apps.yaml",
            "      cluster_name: production\n",
            "      cluster_name: production\n      podinfo_tag: \"6.8\"\n",
        ),
    ]);
    let p = run(&fs, "staging", "production", "podinfo", &[]).unwrap();
    assert_eq!(p.changes.len(), 1, "{p:#?}");
    assert_eq!(p.changes[0].file, "clusters/production/apps.yaml");
    assert!(
        p.diff().contains("-      podinfo_tag: \"6.8\"\n+      podinfo_tag: \"6.9\"\n"),
        "{}",
        p.diff()
    );
}

#[test]
fn replicas_value_from_overlay() {
    // replicas: staging 2, production 3: `replicas:` in the production overlay holds it.
    let fs = fleet(&[]);
    let p = run(&fs, "staging", "production", "podinfo", &["Deployment/podinfo:/spec/replicas"])
        .unwrap();
    assert_eq!(p.changes.len(), 1, "{p:#?}");
    let c = &p.changes[0];
    assert_eq!((c.what.as_str(), c.old.as_str(), c.new.as_str()), ("value", "3", "2"));
    assert_eq!(c.file, "apps/podinfo/overlays/production/kustomization.yaml");
    assert!(p.diff().contains("-  count: 3\n+  count: 2\n"), "{}", p.diff());
}

#[test]
fn errors() {
    let fs = fleet(&[]);
    let e = run(&fs, "staging", "qa", "podinfo", &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown environment 'qa' (environments under /fleet/clusters: dev, production, staging)"
    );
    let e = run(&fs, "staging", "production", "nope", &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "environment 'staging': no Kustomization, HelmRelease or ResourceSet named 'nope' (Kustomizations: flux-system/flux-system, flux-system/infrastructure, flux-system/podinfo, flux-system/web, flux-system/podinfo-artifact)"
            .replace(", flux-system/podinfo-artifact", "")
    );
    let e = run(&fs, "staging", "staging", "podinfo", &[]).unwrap_err();
    assert_eq!(e.to_string(), "--from and --to are both 'staging'");
}

const MESSAGE_PATCH: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo-config\ndata:\n  PODINFO_UI_MESSAGE: MSG # set per environment\n";

fn with_message_patch(envs: &[(&str, &str)]) -> MemFs {
    let mut fs = fleet(&[]);
    for (env, msg) in envs {
        let k = format!("{ROOT}/apps/podinfo/overlays/{env}/kustomization.yaml");
        let text = String::from_utf8(fs.read_file(Path::new(&k)).unwrap()).unwrap();
        fs.add_file(&k, format!("{text}patches:\n- path: message.yaml\n"));
        fs.add_file(
            format!("{ROOT}/apps/podinfo/overlays/{env}/message.yaml"),
            MESSAGE_PATCH.replace("MSG", msg),
        );
    }
    fs
}

#[test]
fn user_named_value_in_a_patch() {
    let fs =
        with_message_patch(&[("staging", "'Hello: staging'"), ("production", "Hello production")]);
    let spec = "ConfigMap/podinfo-config:/data/PODINFO_UI_MESSAGE";
    let p = run(&fs, "staging", "production", "podinfo", &[spec]).unwrap();
    assert_eq!(p.changes.len(), 1, "{p:#?}");
    let c = &p.changes[0];
    assert_eq!(
        fields(c),
        (
            "value",
            "ConfigMap/podinfo-config:/data/PODINFO_UI_MESSAGE",
            "Hello production",
            "Hello: staging",
            "apps/podinfo/overlays/production/message.yaml",
            6
        )
    );
    // Plain stays plain only when it can: `Hello: staging` must be quoted.
    assert!(p.diff().contains("-  PODINFO_UI_MESSAGE: Hello production # set per environment\n+  PODINFO_UI_MESSAGE: \"Hello: staging\" # set per environment\n"), "{}", p.diff());
    let e = run(&fs, "staging", "production", "podinfo", &["ConfigMap/nope:/data/x"]).unwrap_err();
    assert_eq!(e.to_string(), "environment 'staging': value ConfigMap/nope:/data/x not found");
}

#[test]
fn value_only_in_a_shared_base_is_an_error() {
    // staging patches the message; production reads it from the base both environments use.
    let fs = with_message_patch(&[("staging", "Hello staging")]);
    let spec = "ConfigMap/podinfo-config:/data/PODINFO_UI_MESSAGE";
    let e = run(&fs, "staging", "production", "podinfo", &[spec]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "value ConfigMap/podinfo-config:/data/PODINFO_UI_MESSAGE: cannot promote Hello from podinfo -> Hello staging: the value comes from apps/podinfo/base/configmap.yaml:7, and no file that 'production' reads but 'staging' does not sets it"
    );
}

/// Add `file` under `clusters/<env>/` and list it in the cluster's kustomization.yaml.
fn add_cluster_file(fs: &mut MemFs, env: &str, file: &str, text: &str) {
    let k = format!("{ROOT}/clusters/{env}/kustomization.yaml");
    let kt = String::from_utf8(fs.read_file(Path::new(&k)).unwrap()).unwrap();
    fs.add_file(&k, format!("{kt}- {file}\n"));
    fs.add_file(format!("{ROOT}/clusters/{env}/{file}"), text.to_owned());
}

#[test]
fn helm_release_chart_version() {
    let mut fs = fleet(&[]);
    let prod = String::from_utf8(
        fs.read_file(Path::new("/fleet/clusters/production/monitoring.yaml")).unwrap(),
    )
    .unwrap();
    add_cluster_file(
        &mut fs,
        "staging",
        "monitoring.yaml",
        &prod.replace("version: \"65.x\"", "version: \"66.2.1\""),
    );
    let p = run(&fs, "staging", "production", "kube-prometheus-stack", &[]).unwrap();
    assert_eq!(p.changes.len(), 1, "{p:#?}");
    let c = &p.changes[0];
    assert_eq!(
        fields(c),
        (
            "chart",
            "HelmRelease/kube-prometheus-stack spec.chart.spec.version",
            "65.x",
            "66.2.1",
            "clusters/production/monitoring.yaml",
            26
        )
    );
    assert!(
        p.diff().contains("-      version: \"65.x\"\n+      version: \"66.2.1\"\n"),
        "{}",
        p.diff()
    );
    assert_eq!(p.branch_name(), "promote-kube-prometheus-stack-production-66.2.1");
}

const RSET: &str = r#"apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: backend-ENV
  namespace: flux-system
spec:
  inputs:
  - backend:
      tag: TAG # the release
      replicas: REPLICAS
  resources:
  - apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: backend-ENV
      namespace: flux-system
    spec:
      interval: 10m
      prune: true
      sourceRef:
        kind: GitRepository
        name: flux-system
      path: ./apps/backend/ENV
      images:
      - name: ghcr.io/ldbl/backend
        newTag: "<< inputs.backend.tag >>"
      replicas: "<< inputs.backend.replicas >>"
"#;

/// The backend app the ResourceSet's Kustomization builds (whole-cluster render follows it).
const BACKEND: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: backend\n  namespace: backend\nspec:\n  template:\n    spec:\n      containers:\n      - name: backend\n        image: ghcr.io/ldbl/backend:latest\n";

fn add_backend(fs: &mut MemFs) {
    for env in ["staging", "production"] {
        fs.add_file(format!("{ROOT}/apps/backend/{env}/deployment.yaml"), BACKEND);
    }
}

fn rset(env: &str, tag: &str) -> String {
    RSET.replace("ENV", env)
        .replace("TAG", tag)
        .replace("REPLICAS", if env == "staging" { "1" } else { "3" })
}

#[test]
fn resourceset_inputs() {
    let mut fs = fleet(&[]);
    add_backend(&mut fs);
    add_cluster_file(&mut fs, "staging", "backend.yaml", &rset("staging", "v1.2.3"));
    add_cluster_file(&mut fs, "production", "backend.yaml", &rset("production", "'v1.2.2'"));
    let p = run(&fs, "staging", "production", "backend", &[]).unwrap();
    assert_eq!(p.changes.len(), 1, "{p:#?}");
    let c = &p.changes[0];
    assert_eq!(
        fields(c),
        (
            "input",
            "ResourceSet/backend-production spec.resources[0].spec.images[0].newTag (inputs.backend.tag)",
            "v1.2.2",
            "v1.2.3",
            "clusters/production/backend.yaml",
            9
        )
    );
    // Only the tag: replicas differ too but are not a promoted field.
    assert_eq!(p.edits.len(), 1);
    assert_eq!(p.edits[0].new, p.edits[0].old.replace("tag: 'v1.2.2' #", "tag: 'v1.2.3' #"));
    // Promoted again: nothing to do.
    let again = run(&applied(&fs, &p), "staging", "production", "backend", &[]).unwrap();
    assert!(again.is_empty());
}

#[test]
fn resourceset_inputs_from_a_provider_is_an_error() {
    let mut fs = fleet(&[]);
    add_backend(&mut fs);
    add_cluster_file(&mut fs, "staging", "backend.yaml", &rset("staging", "v1.2.3"));
    let prod = rset("production", "v1.2.2").replace(
        "spec:\n  inputs:",
        "spec:\n  inputsFrom:\n  - kind: ResourceSetInputProvider\n    name: backend-production\n  inputs:",
    );
    add_cluster_file(&mut fs, "production", "backend.yaml", &prod);
    let e = run(&fs, "staging", "production", "backend", &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "ResourceSet 'flux-system/backend-production' in environment 'production' takes its inputs from ResourceSetInputProvider/backend-production (spec.inputsFrom): those values are not in Git and cannot be promoted by a commit"
    );
}

#[test]
fn value_from_substitute_from_is_an_error() {
    let fs = fleet(&[]);
    let e =
        run(&fs, "staging", "production", "web", &["Ingress/web:/spec/rules/0/host"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "value Ingress/web:/spec/rules/0/host: cannot promote web.example.com -> web.staging.example.com: the value comes from post-build substitution of Kustomization 'flux-system/web' (spec.postBuild.substituteFrom: ConfigMap/cluster-vars; only inline spec.postBuild.substitute variables are edited), and no file that 'production' reads but 'staging' does not sets it"
    );
}
