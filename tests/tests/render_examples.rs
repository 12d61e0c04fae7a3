//! Whole-cluster render of `examples/clusters/{dev,staging,production}` with the
//! kustomize-backed Flux builder: which Kustomizations are found, what each one holds,
//! that post-build substitution (inline and `substituteFrom`) ran, owner labels, the
//! ExternalArtifact assembled by staging's ArtifactGenerator, HelmReleases listed.

use std::path::{Path, PathBuf};

use gitops_core::fs::{MemFs, RealFs};
use gitops_core::render::{
    OWNER_NAME_LABEL, OWNER_NAMESPACE_LABEL, Options, Outcome, Rendered, render_cluster,
};
use gitops_core::yaml::to_kustomize_yaml;
use gitops_kustomize::flux::FluxBuilder;

fn examples() -> PathBuf {
    gitops_core::fs::clean(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples"))
}

fn render(cluster: &str) -> Outcome {
    let path = examples().join("clusters").join(cluster);
    render_cluster(&RealFs, &path, &FluxBuilder::default(), &Options::default())
        .unwrap_or_else(|e| panic!("{cluster}: {e}"))
}

fn ids(r: &Rendered) -> Vec<String> {
    r.objects
        .iter()
        .map(|o| {
            if o.namespace().is_empty() {
                format!("{}/{}", o.kind(), o.name())
            } else {
                format!("{}/{}/{}", o.kind(), o.namespace(), o.name())
            }
        })
        .collect()
}

fn text(r: &Rendered) -> String {
    r.objects
        .iter()
        .map(|o| to_kustomize_yaml(o.value()).unwrap())
        .collect::<Vec<_>>()
        .join("---\n")
}

fn field<'a>(
    r: &'a Rendered,
    kind: &str,
    name: &str,
    path: &[&str],
) -> &'a gitops_core::yaml::Value {
    let obj = r
        .objects
        .iter()
        .find(|o| o.kind() == kind && o.name() == name)
        .unwrap_or_else(|| panic!("{kind}/{name} not in {}", r.key()));
    let mut v = obj.value();
    for p in path {
        v = match p.parse::<usize>() {
            Ok(i) => v.as_seq().and_then(|s| s.get(i)).unwrap_or_else(|| panic!("{path:?}")),
            Err(_) => v.get(p).unwrap_or_else(|| panic!("{path:?}")),
        };
    }
    v
}

#[test]
fn clusters_render_every_kustomization() {
    for (cluster, ns_suffix, domain) in [
        ("dev", "-dev", "dev.example.com"),
        ("staging", "-staging", "staging.example.com"),
        ("production", "", "example.com"),
    ] {
        let out = render(cluster);
        let keys: Vec<String> = out.kustomizations.iter().map(Rendered::key).collect();
        assert_eq!(
            keys,
            [
                "flux-system/flux-system",
                "flux-system/infrastructure",
                "flux-system/podinfo",
                "flux-system/web"
            ],
            "{cluster}"
        );
        assert_eq!(out.root, examples(), "{cluster}");
        assert_eq!(out.root_source, "GitRepository/flux-system/flux-system");

        // Owner labels on every object of every Kustomization; no `${` left where
        // substitution ran.
        for k in &out.kustomizations {
            assert!(!k.objects.is_empty(), "{cluster} {}", k.key());
            for o in &k.objects {
                assert_eq!(
                    o.label(OWNER_NAME_LABEL),
                    Some(k.name.as_str()),
                    "{cluster} {}",
                    o.id()
                );
                assert_eq!(o.label(OWNER_NAMESPACE_LABEL), Some("flux-system"));
            }
            if k.kustomization.spec.post_build.is_some() {
                assert!(!text(k).contains("${"), "{cluster} {}", k.key());
            }
        }

        let web = out.get("flux-system", "web").unwrap();
        let web_ns = format!("web{ns_suffix}");
        assert_eq!(web.dir, examples().join(format!("apps/web/overlays/{cluster}")));
        let deps: Vec<String> =
            web.depends_on.iter().map(|d| format!("{}/{}", d.namespace, d.name)).collect();
        assert_eq!(deps, ["flux-system/infrastructure", "flux-system/podinfo"]);
        let host = field(web, "Ingress", "web", &["spec", "rules", "0", "host"]);
        assert_eq!(host.as_str(), Some(format!("web.{domain}").as_str()), "{cluster}");
        let ingress = web.objects.iter().find(|o| o.kind() == "Ingress").unwrap();
        assert_eq!(ingress.namespace(), web_ns);
        let html = field(web, "ConfigMap", "web-nginx", &["data", "index.html"]);
        assert!(html.as_str().unwrap().ends_with(&format!("It works: {cluster}</p>")), "{cluster}");
        // `$uri` is not an expression: it stays as written.
        let conf = field(web, "ConfigMap", "web-nginx", &["data", "default.conf"]);
        assert!(conf.as_str().unwrap().contains("try_files $uri /index.html;"));

        let podinfo = out.get("flux-system", "podinfo").unwrap();
        let podinfo_ids = ids(podinfo);
        let ns = format!("podinfo{ns_suffix}");
        for want in [
            format!("ConfigMap/{ns}/podinfo-config"),
            format!("Service/{ns}/podinfo"),
            format!("Deployment/{ns}/podinfo"),
        ] {
            assert!(podinfo_ids.contains(&want), "{cluster}: {want} not in {podinfo_ids:?}");
        }

        let infra = out.get("flux-system", "infrastructure").unwrap();
        let infra_ids = ids(infra);
        assert!(infra_ids.contains(&"Namespace/ingress-nginx".to_owned()), "{infra_ids:?}");
        assert_eq!(infra.dir, examples().join("infrastructure"));

        // The root holds the Flux objects themselves; kustomize.config.k8s.io
        // Kustomizations never appear.
        let root = &out.kustomizations[0];
        let root_ids = ids(root);
        for want in [
            "GitRepository/flux-system/flux-system",
            "Kustomization/flux-system/flux-system",
            "Kustomization/flux-system/infrastructure",
            "Kustomization/flux-system/podinfo",
            "Kustomization/flux-system/web",
        ] {
            assert!(root_ids.contains(&want.to_owned()), "{cluster}: {want}");
        }
        assert!(
            out.kustomizations
                .iter()
                .flat_map(|k| &k.objects)
                .all(|o| o.group() != "kustomize.config.k8s.io")
        );
    }
}

/// The rendered Flux objects feed the dependsOn DAG directly.
#[test]
fn rendered_objects_give_the_dependency_waves() {
    let out = render("production");
    let objects: Vec<_> = out.objects().cloned().collect();
    let nodes = gitops_core::deps::nodes_from_resources(&objects).unwrap();
    let waves: Vec<Vec<String>> = gitops_core::deps::waves(&nodes)
        .unwrap()
        .into_iter()
        .map(|w| w.into_iter().map(|n| format!("{} {}/{}", n.kind, n.namespace, n.name)).collect())
        .collect();
    assert_eq!(
        waves,
        [
            // In build order: Flux builds without kustomize's legacy sort, so the objects
            // follow the cluster kustomization's resources list.
            vec![
                "Kustomization flux-system/flux-system",
                "HelmRelease flux-system/kube-prometheus-stack",
                "Kustomization flux-system/infrastructure",
            ],
            vec!["Kustomization flux-system/podinfo"],
            vec!["Kustomization flux-system/web"],
        ]
    );
}

/// A relative cluster path is taken from the working directory (cargo runs tests in the
/// package directory, `tests/`).
#[test]
fn relative_cluster_path() {
    let out = render_cluster(
        &RealFs,
        Path::new("../examples/clusters/dev"),
        &FluxBuilder::default(),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(out.root, examples());
    assert_eq!(out.kustomizations.len(), 4);
}

#[test]
fn production_substitute_from_and_helm_releases() {
    let out = render("production");
    let root = &out.kustomizations[0];
    assert!(ids(root).contains(&"ConfigMap/flux-system/cluster-vars".to_owned()));
    // web's cluster_domain comes only from the cluster-vars ConfigMap (substituteFrom,
    // not optional): the host is right only if the lookup worked.
    assert!(
        !out.get("flux-system", "web")
            .unwrap()
            .kustomization
            .spec
            .post_build
            .as_ref()
            .unwrap()
            .substitute
            .contains_key("cluster_domain")
    );
    let helm: Vec<String> =
        root.helm_releases().map(|h| format!("{}/{}", h.namespace(), h.name())).collect();
    assert_eq!(helm, ["flux-system/kube-prometheus-stack"]);

    // Without the ConfigMap the required substituteFrom fails with Flux's message.
    let mut fs = MemFs::new();
    let base = examples();
    for rel in [
        "clusters/production/kustomization.yaml",
        "clusters/production/flux-system/kustomization.yaml",
        "clusters/production/flux-system/gotk-sync.yaml",
        "clusters/production/apps.yaml",
        "clusters/production/infrastructure.yaml",
        "clusters/production/monitoring.yaml",
        "infrastructure/kustomization.yaml",
    ] {
        fs.add_file(Path::new("/repo").join(rel), std::fs::read(base.join(rel)).unwrap());
    }
    let k = std::fs::read_to_string(base.join("clusters/production/kustomization.yaml")).unwrap();
    fs.add_file(
        "/repo/clusters/production/kustomization.yaml",
        k.replace("- cluster-vars.yaml\n", ""),
    );
    for dir in ["infrastructure", "apps/web", "apps/podinfo"] {
        copy_tree(&base.join(dir), &Path::new("/repo").join(dir), &mut fs);
    }
    let err = render_cluster(
        &fs,
        Path::new("/repo/clusters/production"),
        &FluxBuilder::default(),
        &Options::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Kustomization 'flux-system/web': substitute from 'ConfigMap/cluster-vars' error: configmaps \"cluster-vars\" not found"
    );
}

fn copy_tree(from: &Path, to: &Path, fs: &mut MemFs) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap().path();
        let target = to.join(e.file_name().unwrap());
        if e.is_dir() {
            copy_tree(&e, &target, fs);
        } else {
            fs.add_file(target, std::fs::read(&e).unwrap());
        }
    }
}

#[test]
fn staging_podinfo_builds_from_an_external_artifact() {
    let out = render("staging");
    let podinfo = out.get("flux-system", "podinfo").unwrap();
    assert_eq!(podinfo.source, "ExternalArtifact/flux-system/podinfo");
    // The artifact is an in-memory tree: base/ and overlays/staging/ copied out of the
    // fleet repository.
    assert_eq!(podinfo.dir, PathBuf::from("/overlays/staging"));
    let got = ids(podinfo);
    let direct = gitops_kustomize::build(
        &RealFs,
        &examples().join("apps/podinfo/overlays/staging"),
        &gitops_kustomize::Options {
            reorder: gitops_kustomize::Reorder::None,
            ..Default::default()
        },
    )
    .unwrap();
    let direct_ids: Vec<String> =
        direct.iter().map(|o| format!("{}/{}/{}", o.kind(), o.namespace(), o.name())).collect();
    assert_eq!(got, direct_ids);
}
