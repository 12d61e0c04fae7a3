//! Whole-ResourceSet cases (inputs × resources → objects), modelled on flux-operator's
//! builder tests with our own cases.

use gitops_core::resource::Resource;
use gitops_core::resourceset::{
    ProvidedInputs, ResourceSet, combine_inputs, normalize_key, render,
};
use gitops_core::yaml::{Limits, Profile, Value, emit_stream, parse_values};

fn rs(doc: &str) -> ResourceSet {
    let v = parse_values(doc, Profile::ApiServer, &Limits::default()).unwrap().remove(0);
    ResourceSet::from_resource(&Resource::new(v)).unwrap()
}

fn out(doc: &str, provided: &ProvidedInputs) -> Result<String, String> {
    render(&rs(doc), provided)
        .map(|objs| {
            emit_stream(&objs.into_iter().map(Resource::into_value).collect::<Vec<_>>()).unwrap()
        })
        .map_err(|e| e.to_string())
}

const HEAD: &str = "apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata: {name: apps, namespace: flux-system}\n";

#[test]
fn resourceset_cases() {
    let none = ProvidedInputs::default();
    let cases: &[(&str, &str, Result<&str, &str>)] = &[
        (
            "no inputs renders once",
            "spec:\n  resources:\n  - {apiVersion: v1, kind: Namespace, metadata: {name: fixed}}\n",
            Ok("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fixed\n"),
        ),
        (
            "nested inputs and toYaml",
            "spec:\n  inputs:\n  - {app: {name: web, labels: {tier: front}}}\n  resources:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: '<< inputs.app.name >>', labels: '<< inputs.app.labels | toYaml | nindent 4 >>'}\n",
            Ok(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    tier: front\n  name: web\n",
            ),
        ),
        (
            "dedup: shared object once, first wins",
            "spec:\n  inputs: [{t: a}, {t: b}]\n  resources:\n  - {apiVersion: v1, kind: Namespace, metadata: {name: shared}}\n  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: '<< inputs.t >>', namespace: shared}}\n",
            Ok(
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shared\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  namespace: shared\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: b\n  namespace: shared\n",
            ),
        ),
        (
            "exclude via reconcile disabled",
            "spec:\n  inputs: [{t: a}, {t: b}]\n  resources:\n  - apiVersion: v1\n    kind: Namespace\n    metadata:\n      name: '<< inputs.t >>'\n      annotations: {fluxcd.controlplane.io/reconcile: '<< if eq inputs.t \"a\" >>enabled<< else >>disabled<< end >>'}\n",
            Ok(
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  annotations:\n    fluxcd.controlplane.io/reconcile: enabled\n  name: a\n",
            ),
        ),
        (
            "missing key is an error with flux-operator's wrapping",
            "spec:\n  inputs: [{t: a}]\n  resources:\n  - {apiVersion: v1, kind: Namespace, metadata: {name: '<< inputs.nope >>'}}\n",
            Err(
                "ResourceSet 'flux-system/apps': failed to build resources[0]: failed to execute template: template: resourceset:4:11: executing \"resourceset\" at <inputs>: map has no entry for key \"nope\"",
            ),
        ),
        (
            "multi-doc template with range, resources take precedence",
            "spec:\n  inputs: [{components: [x, z]}]\n  resources:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: x, namespace: d}, data: {from: resources}}\n  resourcesTemplate: |\n    <<- range $c := inputs.components >>\n    ---\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: << $c >>, namespace: d}\n    data: {from: template}\n    <<- end >>\n",
            Ok(
                "apiVersion: v1\ndata:\n  from: resources\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: d\n---\napiVersion: v1\ndata:\n  from: template\nkind: ConfigMap\nmetadata:\n  name: z\n  namespace: d\n",
            ),
        ),
        (
            "permute: cartesian product scoped by provider name, adler32 ids",
            "spec:\n  inputStrategy: {name: Permute}\n  inputs: [{env: dev}, {env: prod}]\n  inputsFrom: [{kind: ResourceSetInputProvider, name: Tenants-List}]\n  resourcesTemplate: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: << inputs.apps.env >>-<< inputs.tenants_list.t >>, namespace: id-<< inputs.id >>}\n",
            Ok(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dev-a\n  namespace: id-1455556566\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dev-b\n  namespace: id-1455622103\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: prod-a\n  namespace: id-1456605143\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: prod-b\n  namespace: id-1456670680\n",
            ),
        ),
        (
            "unknown strategy",
            "spec:\n  inputStrategy: {name: Zip}\n  inputs: [{a: 1}]\n  resourcesTemplate: 'x: y'\n",
            Err("ResourceSet 'flux-system/apps': unknown input strategy: 'Zip'"),
        ),
        (
            "provider not supplied",
            "spec:\n  inputsFrom: [{kind: ResourceSetInputProvider, name: prs}]\n  resourcesTemplate: 'x: y'\n",
            Err(
                "ResourceSet 'flux-system/apps': inputs of ResourceSetInputProvider 'flux-system/prs' are not available offline",
            ),
        ),
        (
            "steps: duplicate across steps",
            "spec:\n  steps:\n  - name: one\n    resources: [{apiVersion: v1, kind: Namespace, metadata: {name: ns1}}]\n  - name: two\n    resources: [{apiVersion: v1, kind: Namespace, metadata: {name: ns1}}]\n",
            Err(
                "ResourceSet 'flux-system/apps': duplicate resource Namespace/ns1 in step \"two\", already defined in step \"one\"",
            ),
        ),
        (
            "provider map injected into inline inputs",
            "spec:\n  inputs: [{t: a}]\n  resourcesTemplate: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: << inputs.provider.kind | lower >>-<< inputs.provider.name >>}\n",
            Ok("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: resourceset-apps\n"),
        ),
    ];
    let mut provided = ProvidedInputs::default();
    provided.inputs.insert(
        "Tenants-List".into(),
        parse_values("[{t: a}, {t: b}]", Profile::ApiServer, &Limits::default()).unwrap()[0]
            .as_seq()
            .unwrap()
            .clone(),
    );
    let mut failures = Vec::new();
    for (name, spec, want) in cases {
        let p = if name.starts_with("permute") { &provided } else { &none };
        let got = out(&format!("{HEAD}{spec}"), p);
        let want = want.map(str::to_owned).map_err(str::to_owned);
        if got != want {
            failures.push(format!("{name}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn static_provider_and_defaults() {
    let provider = parse_values(
        "apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSetInputProvider\nmetadata: {name: cfg, namespace: flux-system, uid: '1234', labels: {team: x}}\nspec: {type: Static, defaultValues: {tag: v1.2.3}}\n",
        Profile::ApiServer,
        &Limits::default(),
    )
    .unwrap()
    .remove(0);
    let provided =
        ProvidedInputs { providers: vec![Resource::new(provider)], ..Default::default() };
    let set = rs(&format!(
        "{HEAD}spec:\n  inputsFrom: [{{kind: ResourceSetInputProvider, selector: {{matchLabels: {{team: x}}}}}}]\n  resourcesTemplate: 'x: y'\n"
    ));
    let inputs = combine_inputs(&set, &provided).unwrap();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0].get("tag").and_then(Value::as_str), Some("v1.2.3"));
    // id = adler32 of the uid
    assert_eq!(inputs[0].get("id").and_then(Value::as_str), Some("33030347"));
    assert_eq!(inputs[0].get_path(&["provider", "name"]).and_then(Value::as_str), Some("cfg"));
}

#[test]
fn normalize_key_table() {
    for (i, o) in [
        ("Tenants-List", "tenants_list"),
        ("my app.v2", "my_app_v2"),
        ("__a__b__", "a_b"),
        ("ÄÖ", ""),
        ("x$y", "xy"),
    ] {
        assert_eq!(normalize_key(i), o, "{i}");
    }
}

mod cluster {
    use gitops_core::flux::Kustomization;
    use gitops_core::fs::{FileSystem, MemFs};
    use gitops_core::render::{BuildError, Builder, Options, render_cluster};
    use gitops_core::resource::Resource;
    use gitops_core::yaml::{Limits, Profile, Value, parse_values};
    use std::path::Path;

    /// Every `.yaml` file of the directory, as is.
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
                    out.extend(
                        parse_values(&text, Profile::ApiServer, &Limits::default())?
                            .into_iter()
                            .map(Resource::new),
                    );
                }
            }
            Ok(out)
        }
    }

    const SYNC: &str = "apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./clusters/dev, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
";

    const RSET: &str = "apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: {name: apps, namespace: flux-system}
spec:
  inputs: [{app: backend, tag: v1.2.3-rc.abc}, {app: frontend, tag: v2.0.0}]
  resources:
  - apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata: {name: '<< inputs.app >>', namespace: flux-system}
    spec:
      interval: 10m
      path: ./apps/<< inputs.app >>
      prune: true
      sourceRef: {kind: GitRepository, name: flux-system}
      images: [{name: 'ghcr.io/org/<< inputs.app >>', newTag: '<< inputs.tag >>'}]
  - apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata: {name: '<< inputs.app >>-chart', namespace: flux-system}
    spec: {interval: 1h, chart: {spec: {chart: '<< inputs.app >>'}}}
---
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: {name: previews, namespace: flux-system}
spec:
  inputsFrom: [{kind: ResourceSetInputProvider, name: prs}]
  resourcesTemplate: \"apiVersion: v1\\nkind: Namespace\\nmetadata: {name: pr-<< inputs.id >>}\"
";

    fn fs() -> MemFs {
        let mut fs = MemFs::new();
        fs.add_file("/repo/clusters/dev/sync.yaml", SYNC);
        fs.add_file("/repo/clusters/dev/rset.yaml", RSET);
        fs.add_file(
            "/repo/apps/backend/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: backend, namespace: apps}\n",
        );
        fs.add_file(
            "/repo/apps/frontend/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: frontend, namespace: apps}\n",
        );
        fs
    }

    #[test]
    fn resourcesets_are_expanded_and_followed() {
        let fs = fs();
        let out = render_cluster(&fs, Path::new("/repo/clusters/dev"), &Files, &Options::default())
            .unwrap();
        let names: Vec<_> = out.kustomizations.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["flux-system", "backend", "frontend"]);
        assert_eq!(out.kustomizations[1].parent.as_deref(), Some("flux-system/flux-system"));
        let img =
            out.kustomizations[1].kustomization.spec.images.first().map(|i| i.new_tag.clone());
        assert_eq!(img.as_deref(), Some("v1.2.3-rc.abc"));
        assert_eq!(out.resource_sets.len(), 1);
        let hr: Vec<_> =
            out.resource_sets[0].helm_releases().map(|r| r.name().to_owned()).collect();
        assert_eq!(hr, ["backend-chart", "frontend-chart"]);
        // The previews ResourceSet needs a provider nobody supplied: skipped with a reason.
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].kustomization, "ResourceSet/flux-system/previews");
        assert_eq!(out.skipped[0].source, "ResourceSetInputProvider/flux-system/prs");
    }

    #[test]
    fn supplied_provider_inputs_are_used() {
        let fs = fs();
        let mut options = Options::default();
        let sets = parse_values("[{id: '42'}, {id: '7'}]", Profile::ApiServer, &Limits::default())
            .unwrap();
        options
            .resourceset_inputs
            .inputs
            .insert("prs".into(), sets[0].as_seq().cloned().unwrap_or_default());
        let out = render_cluster(&fs, Path::new("/repo/clusters/dev"), &Files, &options).unwrap();
        assert!(out.skipped.is_empty());
        let previews = out.resource_sets.iter().find(|r| r.name == "previews").unwrap();
        let ns: Vec<_> = previews.objects.iter().map(|r| r.name().to_owned()).collect();
        assert_eq!(ns, ["pr-42", "pr-7"]);
        let _ = Value::Null;
    }
}
