use super::*;
use crate::yaml::{Limits, Profile, parse_values};

/// Every `.yaml` file of the directory (not recursive), in name order, as is.
struct Files;

impl Builder for Files {
    fn build(
        &self,
        fs: &dyn FileSystem,
        dir: &Path,
        _: &Kustomization,
    ) -> Result<Vec<Resource>, BuildError> {
        let mut out = Vec::new();
        for p in fs.read_dir(dir)? {
            if p.extension().is_some_and(|e| e == "yaml") {
                let text = String::from_utf8(fs.read_file(&p)?)?;
                let docs = parse_values(&text, Profile::ApiServer, &Limits::default())?;
                out.extend(docs.into_iter().filter(|v| !v.is_null()).map(Resource::new));
            }
        }
        Ok(out)
    }
}

fn ks(name: &str, path: &str, source: &str) -> String {
    let (kind, sname) = source.split_once('/').unwrap();
    format!(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {{name: {name}, namespace: flux-system}}\nspec: {{interval: 10m, path: '{path}', prune: true, sourceRef: {{kind: {kind}, name: {sname}}}}}\n---\n"
    )
}

fn cm(name: &str, ns: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}, namespace: {ns}}}\n---\n")
}

fn names(out: &Outcome) -> Vec<String> {
    out.kustomizations.iter().map(Rendered::key).collect()
}

fn ids(r: &Rendered) -> Vec<String> {
    r.objects.iter().map(|o| format!("{}/{}", o.kind(), o.name())).collect()
}

#[test]
fn walks_breadth_first_once_each() {
    let mut fs = MemFs::new();
    fs.add_file(
        "/repo/clusters/dev/sync.yaml",
        // A `./` path matches any directory: the longer path decides the root.
        ks("local", "./", "GitRepository/flux-system")
            + &ks("flux-system", "./clusters/dev", "GitRepository/flux-system")
            + &ks("infra", "./infra", "GitRepository/flux-system")
            + &ks("apps", "./apps", "GitRepository/flux-system"),
    );
    // infra contains a Kustomization for apps again (duplicate) and for itself (cycle).
    fs.add_file(
        "/repo/infra/all.yaml",
        cm("infra-cm", "infra")
            + &ks("apps", "./elsewhere", "GitRepository/flux-system")
            + &ks("infra", "./infra", "GitRepository/flux-system")
            + &ks("crds", "./infra/crds", "GitRepository/flux-system"),
    );
    fs.add_file("/repo/infra/crds/crd.yaml", cm("crd", "infra"));
    fs.add_file("/repo/apps/app.yaml", cm("app", "apps"));
    let out =
        render_cluster(&fs, Path::new("/repo/clusters/dev"), &Files, &Options::default()).unwrap();
    assert_eq!(
        names(&out),
        [
            "flux-system/flux-system",
            "flux-system/local",
            "flux-system/infra",
            "flux-system/apps",
            "flux-system/crds"
        ]
    );
    // `local` builds the checkout root itself.
    assert_eq!(out.get("flux-system", "local").unwrap().dir, PathBuf::from("/repo"));
    assert_eq!(out.root, PathBuf::from("/repo"));
    assert_eq!(out.root_source, "GitRepository/flux-system/flux-system");
    let apps = out.get("flux-system", "apps").unwrap();
    assert_eq!(apps.dir, PathBuf::from("/repo/apps"));
    assert_eq!(ids(apps), ["ConfigMap/app"]);
    assert_eq!(apps.parent.as_deref(), Some("flux-system/flux-system"));
    assert_eq!(
        out.get("flux-system", "crds").unwrap().parent.as_deref(),
        Some("flux-system/infra")
    );
}

#[test]
fn root_without_sync_file_uses_git_root() {
    let mut fs = MemFs::new();
    fs.add_dir("/work/.git");
    fs.add_file("/work/clusters/prod/apps.yaml", ks("apps", "./apps", "GitRepository/flux-system"));
    fs.add_file("/work/apps/a.yaml", cm("a", "default"));
    let out =
        render_cluster(&fs, Path::new("/work/clusters/prod"), &Files, &Options::default()).unwrap();
    assert_eq!(out.root, PathBuf::from("/work"));
    assert_eq!(out.kustomizations[0].path, "./clusters/prod");
    assert_eq!(names(&out), ["flux-system/flux-system", "flux-system/apps"]);
}

#[test]
fn explicit_root_and_other_sources() {
    let mut fs = MemFs::new();
    fs.add_file(
        "/checkout/c/sync.yaml",
        ks("flux-system", "./c", "GitRepository/flux-system")
            + &ks("podinfo", "./kustomize", "GitRepository/podinfo"),
    );
    fs.add_file("/vendor/podinfo/kustomize/d.yaml", cm("podinfo", "apps"));
    let mut options = Options { root: Some("/checkout".into()), ..Options::default() };
    let err = render_cluster(&fs, Path::new("/checkout/c"), &Files, &options).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Kustomization 'flux-system/podinfo': source 'GitRepository/flux-system/podinfo' is not available offline; give its directory in Options::sources"
    );
    let skipping = Options { skip_unavailable_sources: true, ..options.clone() };
    let out = render_cluster(&fs, Path::new("/checkout/c"), &Files, &skipping).unwrap();
    assert_eq!(names(&out), ["flux-system/flux-system"]);
    assert_eq!(
        out.skipped,
        [Skipped {
            kustomization: "flux-system/podinfo".into(),
            source: "GitRepository/flux-system/podinfo".into(),
            reason: err.to_string(),
        }]
    );
    options.sources.insert("GitRepository/flux-system/podinfo".into(), "/vendor/podinfo".into());
    let out = render_cluster(&fs, Path::new("/checkout/c"), &Files, &options).unwrap();
    assert_eq!(ids(out.get("flux-system", "podinfo").unwrap()), ["ConfigMap/podinfo"]);
}

#[test]
fn errors_table() {
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (
            vec![(
                "/r/c/s.yaml",
                ks("flux-system", "./c", "GitRepository/flux-system")
                    + &ks("x", "./missing", "GitRepository/flux-system"),
            )],
            "Kustomization 'flux-system/x': kustomization path not found: /r/missing",
        ),
        (
            vec![(
                "/r/c/s.yaml",
                ks("flux-system", "./c", "GitRepository/flux-system")
                    + &ks("x", "./", "ExternalArtifact/art"),
            )],
            "Kustomization 'flux-system/x': ExternalArtifact 'flux-system/art': no ArtifactGenerator in namespace 'flux-system' declares it",
        ),
        (
            vec![(
                "/r/c/s.yaml",
                ks("flux-system", "./c", "GitRepository/flux-system")
                    + "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: bad, namespace: flux-system}\nspec: {interval: 1m, prune: true}\n",
            )],
            "Kustomization/flux-system/bad: spec: missing field `sourceRef`",
        ),
    ];
    for (files, want) in cases {
        let mut fs = MemFs::new();
        for (p, c) in files {
            fs.add_file(p, c);
        }
        let err = render_cluster(&fs, Path::new("/r/c"), &Files, &Options::default()).unwrap_err();
        assert_eq!(err.to_string(), want);
    }
    let fs = MemFs::new();
    assert_eq!(
        render_cluster(&fs, Path::new("/nope"), &Files, &Options::default())
            .unwrap_err()
            .to_string(),
        "cluster path '/nope' is not a directory"
    );
}

#[test]
fn external_artifact_from_generator() {
    let mut fs = MemFs::new();
    let generator = "apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata: {name: gen, namespace: flux-system}
spec:
  sources:
  - {alias: fleet, kind: GitRepository, name: flux-system}
  - {alias: charts, kind: OCIRepository, name: charts}
  artifacts:
  - name: app
    copy:
    - {from: '@fleet/apps/base/**', to: '@artifact/', exclude: ['*.md']}
    - {from: '@charts/values.yaml', to: '@artifact/values/'}
    - {from: '@fleet/apps/overlay.yaml', to: '@artifact/base.yaml'}
---
";
    fs.add_file(
        "/r/c/s.yaml",
        ks("flux-system", "./c", "GitRepository/flux-system")
            + generator
            + &ks("app", "./", "ExternalArtifact/app"),
    );
    fs.add_file("/r/apps/base/base.yaml", cm("from-base", "apps"));
    fs.add_file("/r/apps/base/README.md", "not yaml");
    fs.add_file("/r/apps/base/extra/x.yaml", cm("nested", "apps"));
    fs.add_file("/r/apps/overlay.yaml", cm("overlay", "apps"));
    fs.add_file("/oci/values.yaml", cm("values", "apps"));
    let options = Options {
        sources: IndexMap::from([("OCIRepository/flux-system/charts".into(), "/oci".into())]),
        ..Options::default()
    };
    let out = render_cluster(&fs, Path::new("/r/c"), &Files, &options).unwrap();
    let app = out.get("flux-system", "app").unwrap();
    assert_eq!(app.source, "ExternalArtifact/flux-system/app");
    // base.yaml was overwritten by the later copy; README.md excluded; extra/ and
    // values/ are sub-directories (the toy builder does not descend).
    assert_eq!(ids(app), ["ConfigMap/overlay"]);
}

#[test]
fn artifact_copy_rules_table() {
    let mut fs = MemFs::new();
    for f in [
        "/s/deploy/a.yaml",
        "/s/deploy/b.yml",
        "/s/deploy/docs/readme.md",
        "/s/deploy/sub/c.yaml",
        "/s/config/app.yaml",
        "/s/top.yaml",
        "/s/.hidden",
    ] {
        fs.add_file(f, f);
    }
    let sources = IndexMap::from([("src".to_owned(), PathBuf::from("/s"))]);
    let op = |from: &str, to: &str, exclude: &[&str]| flux::CopyOperation {
        from: from.into(),
        to: to.into(),
        exclude: exclude.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    type Case = (Vec<flux::CopyOperation>, Result<Vec<&'static str>, &'static str>);
    let cases: Vec<Case> = vec![
        (
            vec![op("@src/deploy/**", "@artifact/", &[])],
            Ok(vec!["/a.yaml", "/b.yml", "/docs/readme.md", "/sub/c.yaml"]),
        ),
        (vec![op("@src/deploy/*.yaml", "@artifact/out/", &[])], Ok(vec!["/out/deploy/a.yaml"])),
        (
            vec![op("@src/*", "@artifact/", &["deploy", "config"])],
            Ok(vec!["/.hidden", "/top.yaml"]),
        ),
        // Modelled on source-watcher's builder tests: root copy, a directory without a
        // trailing slash, recursive and hidden-file excludes, an excluded single file.
        (vec![op("@src/", "@artifact/", &["deploy", "config", ".*"])], Ok(vec!["/top.yaml"])),
        (vec![op("@src/config", "@artifact/dest", &[])], Ok(vec!["/dest/config/app.yaml"])),
        (
            vec![op("@src/**", "@artifact/", &["**/deploy/**", "**/.*"])],
            Ok(vec!["/config/app.yaml", "/top.yaml"]),
        ),
        (vec![op("@src/top.yaml", "@artifact/x.yaml", &["top.yaml"])], Ok(vec![])),
        (vec![op("@src/*.yaml", "@artifact/", &["[*.md"])], Err("invalid exclude pattern '[*.md'")),
        (
            vec![op("@src/deploy", "@artifact/", &["**/*.md", "sub"])],
            Ok(vec!["/deploy/a.yaml", "/deploy/b.yml"]),
        ),
        (vec![op("@src/top.yaml", "@artifact/renamed.yaml", &[])], Ok(vec!["/renamed.yaml"])),
        (vec![op("@src/top.yaml", "@artifact/dir/", &[])], Ok(vec!["/dir/top.yaml"])),
        (
            vec![
                op("@src/config/", "@artifact/", &[]),
                op("@src/top.yaml", "@artifact/config", &[]),
            ],
            Ok(vec!["/config/app.yaml", "/config/top.yaml"]),
        ),
        (
            vec![op("@src/*.json", "@artifact/", &[])],
            Err(
                "failed to apply copy operation from '@src/*.json' to '@artifact/': no files match pattern '*.json' in source 'src'",
            ),
        ),
        (
            vec![op("@src/deploy/*.md", "@artifact/", &[])],
            Err("no files match pattern 'deploy/*.md' in source 'src'"),
        ),
        (
            vec![op("@src/deploy/*.yaml", "@artifact/", &["*.yaml"])],
            Err("all files matching pattern 'deploy/*.yaml' in source 'src' were excluded"),
        ),
        (
            vec![op("@src/missing.yaml", "@artifact/", &[])],
            Err("source 'missing.yaml' does not exist"),
        ),
        (vec![op("@other/x", "@artifact/", &[])], Err("source alias 'other' not found")),
        (vec![op("@src/x", "@artifact/../up", &[])], Err("destination path must not contain '..'")),
        (
            vec![op("@src/[", "@artifact/", &[])],
            Err("invalid glob pattern '[': syntax error in pattern"),
        ),
    ];
    for (ops, want) in cases {
        let art =
            flux::OutputArtifact { name: "a".into(), copy: ops.clone(), ..Default::default() };
        let got = assemble_artifact(&fs, &sources, &art);
        match (got, want) {
            (Ok(mem), Ok(files)) => {
                let mut found = Vec::new();
                let mut stack = vec![PathBuf::from("/")];
                while let Some(d) = stack.pop() {
                    for e in mem.read_dir(&d).unwrap() {
                        if mem.is_dir(&e) {
                            stack.push(e);
                        } else {
                            found.push(e.to_string_lossy().into_owned());
                        }
                    }
                }
                found.sort();
                assert_eq!(found, files, "{ops:?}");
            }
            (Err(e), Err(msg)) => assert!(e.to_string().contains(msg), "{e} / {msg}"),
            (got, want) => panic!("{ops:?}: got {got:?}, want {want:?}"),
        }
    }
    // Optional operations tolerate no match.
    let mut o = op("@src/*.json", "@artifact/", &[]);
    o.optional = true;
    let art = flux::OutputArtifact { name: "a".into(), copy: vec![o], ..Default::default() };
    assert!(assemble_artifact(&fs, &sources, &art).is_ok());
}

#[test]
fn post_build_table() {
    let v = |t: &str| parse_values(t, Profile::ApiServer, &Limits::default()).unwrap().remove(0);
    let k = Resource::new(v(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: team}\nspec: {interval: 1m, prune: true, sourceRef: {kind: GitRepository, name: x}, commonMetadata: {labels: {env: prod, kustomize.toolkit.fluxcd.io/name: override}, annotations: {note: hi}}}\n",
    ));
    let Some(FluxObject::Kustomization(k)) = flux::parse(&k).unwrap() else { panic!() };
    let objs = [
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {env: dev, app: web}}\n",
        "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n- {apiVersion: v1, kind: ConfigMapList, items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: nested}}]}\n",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata: {name: local}\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n",
        "kind: ConfigMap\nmetadata: {name: no-api-version}\n",
    ];
    let out =
        post_build(objs.iter().map(|t| Resource::new(v(t))).collect(), &k, &|_, _, _| None, true)
            .unwrap();
    let got: Vec<String> = out.iter().map(|r| format!("{}/{}", r.kind(), r.name())).collect();
    assert_eq!(got, ["ConfigMap/a", "Secret/s", "ConfigMap/nested"]);
    for r in &out {
        // commonMetadata is applied after the owner labels and wins.
        assert_eq!(r.label(OWNER_NAME_LABEL), Some("override"));
        assert_eq!(r.label(OWNER_NAMESPACE_LABEL), Some("team"));
        assert_eq!(r.label("env"), Some("prod"));
        assert_eq!(r.annotation("note"), Some("hi"));
    }
    assert_eq!(out[0].label("app"), Some("web"));
}

#[test]
fn sops_encrypted_secrets_need_decryption() {
    let v = |t: &str| parse_values(t, Profile::ApiServer, &Limits::default()).unwrap().remove(0);
    let k = |extra: &str| {
        let r = Resource::new(v(&format!(
            "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {{name: apps, namespace: team}}\nspec: {{interval: 1m, prune: true, sourceRef: {{kind: GitRepository, name: x}}{extra}}}\n"
        )));
        match flux::parse(&r).unwrap() {
            Some(FluxObject::Kustomization(k)) => k,
            _ => panic!(),
        }
    };
    let secret = |ann: &str| {
        Resource::new(v(&format!(
            "apiVersion: v1\nkind: Secret\nmetadata: {{name: s, namespace: apps{ann}}}\ndata: {{a: ENC}}\nsops: {{version: 3.9.0}}\n"
        )))
    };
    let cases = [
        (
            k(""),
            secret(""),
            Err(
                "Secret/apps/s is SOPS encrypted, configuring decryption is required for this secret to be reconciled",
            ),
        ),
        (k(""), secret(", annotations: {kustomize.toolkit.fluxcd.io/decrypt: Disabled}"), Ok(())),
        (k(""), secret(", labels: {kustomize.toolkit.fluxcd.io/decrypt: disabled}"), Ok(())),
        (k(", decryption: {provider: sops}"), secret(""), Ok(())),
    ];
    for (ks, s, want) in cases {
        let got = post_build(vec![s], &ks, &|_, _, _| None, true).map(|_| ());
        assert_eq!(got, want.map_err(str::to_owned));
    }
}

#[test]
fn substitute_from_objects_defer_until_rendered() {
    let mut fs = MemFs::new();
    let needs_vars = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: flux-system}, postBuild: {substituteFrom: [{kind: ConfigMap, name: vars}]}}\n---\n";
    fs.add_file(
        "/r/c/s.yaml",
        ks("flux-system", "./c", "GitRepository/flux-system")
            + needs_vars
            + &ks("vars", "./vars", "GitRepository/flux-system"),
    );
    fs.add_file("/r/apps/a.yaml", cm("a", "apps"));
    fs.add_file("/r/vars/v.yaml", cm("vars", "flux-system"));
    let out = render_cluster(&fs, Path::new("/r/c"), &Files, &Options::default()).unwrap();
    assert_eq!(names(&out), ["flux-system/flux-system", "flux-system/vars", "flux-system/apps"]);
}

#[test]
fn secure_join_table() {
    for (root, p, want) in [
        ("/r", "./apps", "/r/apps"),
        ("/r", "apps/../web", "/r/web"),
        ("/r", "../../etc", "/r/etc"),
        ("/r", "/abs", "/r/abs"),
        ("/r", "", "/r"),
    ] {
        assert_eq!(secure_join(Path::new(root), p), PathBuf::from(want), "{p}");
    }
    assert_eq!(root_for(Path::new("/a/b/clusters/dev"), "./clusters/dev"), Some("/a/b".into()));
    assert_eq!(root_for(Path::new("/a/b/clusters/dev"), "./clusters/prod"), None);
    assert_eq!(root_for(Path::new("/a"), "./"), Some("/a".into()));
}
