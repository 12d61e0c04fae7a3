use super::*;
use crate::yaml::{Limits, Profile, parse_values};

fn res(text: &str) -> Resource {
    let v = parse_values(text, Profile::ApiServer, &Limits::default()).unwrap().remove(0);
    Resource::new(v)
}

const KS: &str = "apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
  labels: {team: a}
  uid: 123
spec:
  interval: 10m
  retryInterval: 1m
  timeout: 5m
  path: ./apps
  prune: true
  wait: true
  targetNamespace: apps
  namePrefix: p-
  nameSuffix: -s
  dependsOn:
  - name: infra
  - name: db
    namespace: data
    readyExpr: dep.status.ready == true
  sourceRef: {kind: GitRepository, name: flux-system}
  patches:
  - patch: '[{\"op\": \"remove\", \"path\": \"/spec/replicas\"}]'
    target: {kind: Deployment, labelSelector: app=web}
  images:
  - {name: nginx, newTag: '1.27'}
  components: [../components/a]
  healthChecks:
  - {kind: Deployment, name: web, namespace: apps}
  commonMetadata:
    labels: {env: prod}
    annotations: {owner: team-a}
  postBuild:
    substitute: {cluster: prod}
    substituteFrom:
    - {kind: ConfigMap, name: vars, optional: true}
  ignore:
  - paths: [/spec/replicas]
    target: {kind: Deployment}
  kubeConfig: {secretRef: {name: kc}}
  futureField: {x: 1}
status:
  inventory: {entries: []}
";

#[test]
fn kustomization_all_fields() {
    let Some(FluxObject::Kustomization(k)) = parse(&res(KS)).unwrap() else { panic!("kind") };
    let s = &k.spec;
    assert_eq!(k.display_id(), "Kustomization/flux-system/apps");
    assert_eq!(
        (s.interval.as_str(), s.retry_interval.as_str(), s.timeout.as_str()),
        ("10m", "1m", "5m")
    );
    assert!(s.prune && s.wait && !s.force);
    assert_eq!(
        (s.target_namespace.as_str(), s.name_prefix.as_str(), s.name_suffix.as_str()),
        ("apps", "p-", "-s")
    );
    assert_eq!(s.depends_on.len(), 2);
    assert_eq!(s.depends_on[1].namespace, "data");
    assert_eq!(s.depends_on[1].ready_expr, "dep.status.ready == true");
    assert_eq!(s.source_ref.key("flux-system"), "GitRepository/flux-system/flux-system");
    assert_eq!(s.patches[0].target.as_ref().unwrap().label_selector, "app=web");
    assert_eq!(s.images[0].new_tag, "1.27");
    assert_eq!(s.components, ["../components/a"]);
    assert_eq!(s.health_checks[0].name, "web");
    assert_eq!(s.common_metadata.as_ref().unwrap().labels["env"], "prod");
    let pb = s.post_build.as_ref().unwrap();
    assert_eq!(pb.substitute["cluster"], "prod");
    assert!(pb.substitute_from[0].optional);
    assert_eq!(s.ignore[0].paths, ["/spec/replicas"]);
    // Unknown fields are kept, at every level.
    assert!(s.rest.contains_key("kubeConfig") && s.rest.contains_key("futureField"));
    assert!(k.rest.contains_key("status"));
    assert_eq!(k.metadata.rest.get("uid"), Some(&Value::Int(123)));
}

/// Reading then writing gives the same object (as a set of fields).
#[test]
fn round_trip_keeps_everything() {
    let docs = [
        KS,
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: a, namespace: b}\nspec: {url: 'ssh://x', interval: 1m, ref: {branch: main}, secretRef: {name: s}, recurseSubmodules: true}\n",
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: a}\nspec: {interval: 5m, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: p}}}, values: {a: [1, {b: null}]}, install: {crds: Create}, dependsOn: [{name: x}]}\n",
        "apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\nmetadata: {name: g, namespace: apps}\nspec:\n  sources: [{alias: app, kind: GitRepository, name: app}]\n  artifacts:\n  - name: out\n    revision: '@app'\n    copy: [{from: '@app/deploy/**', to: '@artifact/', exclude: ['*.md']}]\n    future: 1\n",
    ];
    for d in docs {
        let r = res(d);
        let obj = parse(&r).unwrap().unwrap();
        let back = obj.to_value().unwrap();
        let j1: serde_json::Value = r.value().into();
        let j2: serde_json::Value = (&back).into();
        assert_eq!(j1, j2, "{d}");
    }
}

#[test]
fn every_kind_parses() {
    let cases = [
        ("source.toolkit.fluxcd.io/v1", "GitRepository", "{url: x, interval: 1m}"),
        ("source.toolkit.fluxcd.io/v1beta2", "OCIRepository", "{url: 'oci://x', interval: 1m}"),
        ("source.toolkit.fluxcd.io/v1", "Bucket", "{bucketName: b, endpoint: e, interval: 5m}"),
        ("source.toolkit.fluxcd.io/v1", "HelmRepository", "{url: 'https://x'}"),
        (
            "source.toolkit.fluxcd.io/v1",
            "ExternalArtifact",
            "{sourceRef: {kind: ArtifactGenerator, name: g}}",
        ),
        (
            "helm.toolkit.fluxcd.io/v2",
            "HelmRelease",
            "{interval: 1m, chartRef: {kind: OCIRepository, name: c}}",
        ),
        ("image.toolkit.fluxcd.io/v1", "ImageRepository", "{image: ghcr.io/x, interval: 5m}"),
        (
            "image.toolkit.fluxcd.io/v1beta2",
            "ImagePolicy",
            "{imageRepositoryRef: {name: r}, policy: {semver: {range: 1.x}}}",
        ),
        (
            "image.toolkit.fluxcd.io/v1",
            "ImageUpdateAutomation",
            "{interval: 30m, sourceRef: {kind: GitRepository, name: f}, update: {path: ./, strategy: Setters}}",
        ),
        (
            "notification.toolkit.fluxcd.io/v1beta3",
            "Alert",
            "{providerRef: {name: slack}, eventSources: [{kind: Kustomization, name: '*'}]}",
        ),
        ("notification.toolkit.fluxcd.io/v1beta3", "Provider", "{type: slack, channel: general}"),
    ];
    for (av, kind, spec) in cases {
        let text = format!(
            "apiVersion: {av}\nkind: {kind}\nmetadata: {{name: obj, namespace: ns}}\nspec: {spec}\n"
        );
        let obj = parse(&res(&text)).unwrap_or_else(|e| panic!("{kind}: {e}")).expect(kind);
        assert_eq!(obj.kind(), kind);
        assert_eq!(obj.display_id(), format!("{kind}/ns/obj"));
    }
}

#[test]
fn non_flux_objects_are_none() {
    for text in [
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n",
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmChart\nmetadata: {name: a}\nspec: {}\n",
        "apiVersion: apps/v1\nkind: Kustomization\nmetadata: {name: a}\n",
    ] {
        assert_eq!(parse(&res(text)).unwrap(), None, "{text}");
    }
}

#[test]
fn errors_table() {
    let ks = |spec: &str| {
        format!(
            "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {{name: apps, namespace: flux-system}}\nspec: {spec}\n"
        )
    };
    let cases: Vec<(String, &str)> = vec![
        (
            "apiVersion: kustomize.toolkit.fluxcd.io/v1beta1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec: {}\n".into(),
            "Kustomization/flux-system/apps: apiVersion 'kustomize.toolkit.fluxcd.io/v1beta1' is not served for Kustomization, expected one of: kustomize.toolkit.fluxcd.io/v1, kustomize.toolkit.fluxcd.io/v1beta2",
        ),
        (
            "apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata: {name: r}\nspec: {}\n".into(),
            "HelmRelease/r: apiVersion 'helm.toolkit.fluxcd.io/v2beta1' is not served for HelmRelease, expected one of: helm.toolkit.fluxcd.io/v2, helm.toolkit.fluxcd.io/v2beta2",
        ),
        (ks("{interval: 10m, prune: true}"), "Kustomization/flux-system/apps: spec: missing field `sourceRef`"),
        (ks("{sourceRef: {kind: GitRepository, name: a}, prune: true}"), "Kustomization/flux-system/apps: spec: missing field `interval`"),
        (ks("{sourceRef: {kind: GitRepository, name: a}, interval: 1m}"), "Kustomization/flux-system/apps: spec: missing field `prune`"),
        (ks("{sourceRef: {name: a}, interval: 1m, prune: true}"), "Kustomization/flux-system/apps: spec.sourceRef: missing field `kind`"),
        (ks("{sourceRef: {kind: GitRepository, name: a}, interval: 1m, prune: yes-please}"), "Kustomization/flux-system/apps: spec.prune: invalid type: string \"yes-please\", expected a boolean"),
        (ks("{sourceRef: {kind: GitRepository, name: a}, interval: 10d, prune: true}"), "Kustomization/flux-system/apps: spec.interval: invalid duration '10d', must match '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$'"),
        (ks("{sourceRef: {kind: GitRepository, name: a}, interval: 1m, timeout: 1 m, prune: true}"), "Kustomization/flux-system/apps: spec.timeout: invalid duration '1 m'"),
        (ks("{sourceRef: {kind: GitRepository, name: a}, interval: 1m, prune: true, components: [/abs]}"), "Kustomization/flux-system/apps: spec.components: component path '/abs' must be local and relative"),
        ("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\n".into(), "Kustomization/apps: missing field `spec`"),
        ("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: r, namespace: demo}\nspec: {interval: 1m}\n".into(), "HelmRelease/demo/r: spec: either chart or chartRef must be set"),
        ("apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: g, namespace: demo}\nspec: {interval: 1m}\n".into(), "GitRepository/demo/g: spec: missing field `url`"),
        ("apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\nmetadata: {name: a, namespace: demo}\nspec: {eventSources: []}\n".into(), "Alert/demo/a: spec: missing field `providerRef`"),
        ("apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\nmetadata: {name: g, namespace: demo}\nspec: {sources: [{alias: a, kind: GitRepository, name: x}], artifacts: [{name: o, copy: [{from: 'a/x', to: '@artifact/'}]}]}\n".into(), "ArtifactGenerator/demo/g: spec.artifacts[0].copy[0].from: 'a/x' must have the form '@<alias>/<pattern>'"),
        ("apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\nmetadata: {name: g, namespace: demo}\nspec: {sources: [{alias: a, kind: GitRepository, name: x}], artifacts: [{name: o, copy: [{from: '@a/x', to: 'out/'}]}]}\n".into(), "ArtifactGenerator/demo/g: spec.artifacts[0].copy[0].to: 'out/' must start with '@artifact/'"),
        ("apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\nmetadata: {name: g, namespace: demo}\nspec: {sources: [], artifacts: []}\n".into(), "ArtifactGenerator/demo/g: spec.sources: at least one source is required"),
    ];
    for (text, want) in cases {
        let got = parse(&res(&text)).map(|_| ()).unwrap_err().to_string();
        assert!(got.starts_with(want), "got:  {got}\nwant: {want}");
    }
}
