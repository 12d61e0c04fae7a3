//! Post-build substitution over whole objects, modelled on what `fluxcd/pkg
//! kustomize/kustomize_varsub_test.go` and its testdata check (substituteFrom order,
//! optional refs, the disabled label, strict mode, `substituteStrategy: Always`, empty
//! values read back as `null`); our own cases.

use gitops_core::resource::Resource;
use gitops_core::substitute::{
    Error, Options, Strategy, SubstituteFrom, Vars, collect_vars, substitute_resource,
};
use gitops_core::yaml::{Limits, Profile, Value, parse_values, to_kustomize_yaml};

fn res(text: &str) -> Resource {
    let mut v = parse_values(text, Profile::Kyaml, &Limits::default()).expect("valid YAML");
    Resource::new(v.remove(0))
}

fn vars(pairs: &[(&str, &str)]) -> Vars {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn yaml(r: &Resource) -> String {
    to_kustomize_yaml(r.value()).expect("printable")
}

fn from(kind: &str, name: &str, optional: bool) -> SubstituteFrom {
    SubstituteFrom { kind: kind.into(), name: name.into(), optional }
}

/// The objects a cluster would hold: ConfigMaps and Secrets in `flux-system`.
fn cluster(kind: &str, ns: &str, name: &str) -> Option<Resource> {
    if ns != "flux-system" {
        return None;
    }
    let text = match (kind, name) {
        ("ConfigMap", "cluster-vars") => {
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\ndata:\n  cluster_name: prod\n  region: eu-west-1\n  multi: \"a\\nb\\n\"\n"
        }
        ("ConfigMap", "overrides") => {
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: overrides\ndata:\n  region: us-east-1\n"
        }
        ("ConfigMap", "bad-names") => {
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad-names\ndata:\n  my-var: x\n"
        }
        ("ConfigMap", "empty") => "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: empty\n",
        // password: "s3cr3t!\n", token via stringData
        ("Secret", "creds") => {
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  password: czNjcjN0IQo=\n  region: YXAtc291dGgtMQ==\nstringData:\n  token: tok-123\n"
        }
        ("Secret", "broken") => {
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: broken\ndata:\n  password: '***'\n"
        }
        _ => return None,
    };
    Some(res(text))
}

#[test]
fn collect_vars_order_and_sources() {
    let inline: Vars = [("cluster_name".to_owned(), "inline\n".to_owned())].into_iter().collect();
    let refs = [
        from("ConfigMap", "cluster-vars", false),
        from("Secret", "creds", false),
        from("ConfigMap", "missing", true),
        from("Secret", "missing", true),
        from("ConfigMap", "overrides", false),
    ];
    let v = collect_vars(&inline, &refs, "flux-system", &cluster).unwrap();
    let got: Vec<(&str, &str)> = v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        got,
        [
            ("cluster_name", "inline"),
            ("region", "us-east-1"),
            ("multi", "ab"),
            ("password", "s3cr3t!"),
            ("token", "tok-123"),
        ]
    );
}

#[test]
fn collect_vars_errors() {
    let none = Vars::new();
    let cases: &[(&[SubstituteFrom], &str, &str)] = &[
        (&[], "flux-system", ""),
        (
            &[SubstituteFrom { kind: "ConfigMap".into(), name: "nope".into(), optional: false }],
            "flux-system",
            "substitute from 'ConfigMap/nope' error: configmaps \"nope\" not found",
        ),
        (
            &[SubstituteFrom {
                kind: "ConfigMap".into(),
                name: "cluster-vars".into(),
                optional: false,
            }],
            "apps",
            "substitute from 'ConfigMap/cluster-vars' error: configmaps \"cluster-vars\" not found",
        ),
        (
            &[SubstituteFrom { kind: "Secret".into(), name: "broken".into(), optional: false }],
            "flux-system",
            "substitute from 'Secret/broken' error: illegal base64 data in key \"password\"",
        ),
        (
            &[SubstituteFrom { kind: "Bucket".into(), name: "ignored".into(), optional: false }],
            "flux-system",
            "",
        ),
    ];
    for (refs, ns, want) in cases {
        let got = collect_vars(&none, refs, ns, &cluster)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(&got, want);
        assert!(!got.contains("***"));
    }
}

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns:=apps}
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
      - name: web
        image: nginx:${tag:=1.27}
        env:
        - name: CLUSTER
          value: ${cluster_name}
        - name: EMPTY
          value: ${empty}
        - name: QUOTED
          value: ${q}${replicas}${q}
        - name: SCRIPT
          value: echo $${HOME} ${cluster_name^^}
";

#[test]
fn substitute_deployment() {
    let v = vars(&[("replicas", "3"), ("cluster_name", "prod"), ("empty", ""), ("q", "\"")]);
    let out = substitute_resource(&res(DEPLOY), &v, &Options::default()).unwrap();
    assert_eq!(
        yaml(&out),
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: 3
  template:
    spec:
      containers:
      - env:
        - name: CLUSTER
          value: prod
        - name: EMPTY
          value: null
        - name: QUOTED
          value: \"3\"
        - name: SCRIPT
          value: echo ${HOME} PROD
        image: nginx:1.27
        name: web
"
    );
    assert_eq!(out.value().get_path(&["spec", "replicas"]), Some(&Value::Int(3)));
}

#[test]
fn strategy_and_disabled() {
    let text =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: ${x:=default}\n";
    let r = res(text);
    // WithVariables and no variables: untouched, the expression stays.
    let same = substitute_resource(&r, &Vars::new(), &Options::default()).unwrap();
    assert_eq!(same, r);
    // Always: substituted even without variables.
    let always = Options { strict: true, strategy: Strategy::Always };
    let out = substitute_resource(&r, &Vars::new(), &always).unwrap();
    assert_eq!(out.value().get_path(&["data", "a"]), Some(&Value::from("default")));

    for meta in [
        "labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled",
        "annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled",
    ] {
        let t = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  {meta}\ndata:\n  a: ${{missing}}\n"
        );
        let r = res(&t);
        assert_eq!(substitute_resource(&r, &vars(&[("x", "1")]), &always).unwrap(), r);
    }
    // the value match is exact
    let t = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: Disabled\ndata:\n  a: ${missing}\n";
    assert_eq!(
        substitute_resource(&res(t), &vars(&[("x", "1")]), &always).unwrap_err().to_string(),
        "post build failed for 'ConfigMap.v1.[noGrp]/cm': envsubst error: variable substitution failed: variable not set (strict mode): \"missing\""
    );
}

/// (object, vars, options, error text)
type ErrCase = (&'static str, &'static [(&'static str, &'static str)], Options, &'static str);

#[test]
fn error_texts() {
    let hr = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  values:\n    host: ${host}\n";
    let non_strict = Options { strict: false, strategy: Strategy::WithVariables };
    let cases: &[ErrCase] = &[
        (
            hr,
            &[("x", "1")],
            Options::default(),
            "post build failed for 'HelmRelease.v2.helm.toolkit.fluxcd.io/podinfo': envsubst error: variable substitution failed: variable not set (strict mode): \"host\"",
        ),
        (
            hr,
            &[("my-var", "1")],
            Options::default(),
            "post build failed for 'HelmRelease.v2.helm.toolkit.fluxcd.io/podinfo': envsubst error: 'my-var' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: ${AUTH[@]}\n",
            &[("AUTH", "1")],
            Options::default(),
            "post build failed for 'ConfigMap.v1.[noGrp]/cm': envsubst error: variable substitution failed: missing closing brace",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: ${v:}\n",
            &[("v", "1")],
            non_strict,
            "post build failed for 'ConfigMap.v1.[noGrp]/cm': envsubst error: variable substitution failed: unable to parse substitution within function",
        ),
    ];
    for (text, pairs, opts, want) in cases {
        let got = substitute_resource(&res(text), &vars(pairs), opts).unwrap_err();
        assert!(matches!(got, Error::PostBuild { .. }));
        assert_eq!(got.to_string(), *want);
    }
    // non-strict: missing variables are empty, read back as null
    let out = substitute_resource(&res(hr), &vars(&[("x", "1")]), &non_strict).unwrap();
    assert_eq!(out.value().get_path(&["spec", "values", "host"]), Some(&Value::Null));
}

#[test]
fn substituted_keys_and_yaml_retyping() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  ${key}: value\n  flag: ${flag}\n  octal: ${mode}\n";
    let out = substitute_resource(
        &res(text),
        &vars(&[("key", "renamed"), ("flag", "yes"), ("mode", "0755")]),
        &Options::default(),
    )
    .unwrap();
    let data = out.value().get("data").unwrap();
    assert_eq!(data.get("renamed"), Some(&Value::from("value")));
    // the API server's YAML 1.1 reading
    assert_eq!(data.get("flag"), Some(&Value::Bool(true)));
    assert_eq!(data.get("octal"), Some(&Value::Int(493)));
}

#[test]
fn secret_values_never_in_errors() {
    let secret = "hunter2: [oops";
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: ${password}\n";
    let err = substitute_resource(&res(text), &vars(&[("password", secret)]), &Options::default())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("post build failed for 'ConfigMap.v1.[noGrp]/cm': envsubst error: YAMLToJSON: yaml: line "), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}
