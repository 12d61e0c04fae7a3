use super::*;

/// `(path, before, after)` as shown.
type Want<'a> = Vec<(&'a str, &'a str, &'a str)>;
use crate::yaml::{Limits, Profile, parse_values};

fn res(text: &str) -> Resource {
    Resource::new(parse_values(text, Profile::ApiServer, &Limits::default()).unwrap().remove(0))
}

fn val(text: &str) -> Value {
    parse_values(text, Profile::ApiServer, &Limits::default()).unwrap().remove(0)
}

/// `(path, before, after)` with values as flow YAML (`~` = absent).
fn changes(desired: &str, live: &str, options: &Options) -> Vec<(String, String, String)> {
    let show = |v: &Option<Value>| match v {
        None => "~".to_owned(),
        Some(v) => crate::yaml::emit(v).unwrap().trim_end().to_owned(),
    };
    compare(&res(desired), &res(live), options)
        .into_iter()
        .map(|c| (c.path.clone(), show(&c.before), show(&c.after)))
        .collect()
}

const DEP: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\n  labels:\n    app: web\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: app\n        image: app:1\n        env:\n        - name: A\n          value: \"1\"\n";

#[test]
fn compare_table() {
    let with_tier = DEP.replace("    app: web\n", "    app: web\n    tier: front\n");
    let two_containers = DEP.replace(
        "        env:\n        - name: A\n          value: \"1\"\n",
        "      - name: two\n        image: b\n",
    );
    // (desired, live, expected changes)
    let cases: Vec<(&str, String, Want)> = vec![
        // identical
        (DEP, DEP.to_owned(), vec![]),
        // server-set metadata and status: not drift
        (
            DEP,
            DEP.replace("  namespace: prod\n", "  namespace: prod\n  uid: 1\n  resourceVersion: \"9\"\n  generation: 3\n  creationTimestamp: \"2024-01-01T00:00:00Z\"\n  managedFields:\n  - manager: kubectl\n  finalizers: [x]\n") + "status:\n  replicas: 2\n",
            vec![],
        ),
        // a value we set changed in live
        (DEP, DEP.replace("replicas: 2", "replicas: 5"), vec![("/spec/replicas", "5", "2")]),
        // fields only live has: not drift (defaults, other managers)
        (
            DEP,
            DEP.replace("  replicas: 2\n", "  replicas: 2\n  revisionHistoryLimit: 10\n  progressDeadlineSeconds: 600\n")
                .replace("        image: app:1\n", "        image: app:1\n        imagePullPolicy: IfNotPresent\n"),
            vec![],
        ),
        // a field we set missing in live
        (DEP, DEP.replace("  replicas: 2\n", ""), vec![("/spec/replicas", "~", "2")]),
        // labels: a changed value and a missing key are drift, extra live labels are not
        (
            DEP,
            DEP.replace("    app: web\n", "    app: api\n    extra: x\n"),
            vec![("/metadata/labels/app", "api", "web")],
        ),
        (
            &with_tier,
            DEP.to_owned(),
            vec![("/metadata/labels/tier", "~", "front")],
        ),
        // annotations with a slash are escaped in the pointer
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    example.com/x~y: \"1\"\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n".to_owned(),
            vec![("/metadata/annotations/example.com~1x~0y", "~", "\"1\"")],
        ),
        // associative list by name: matched out of order, injected sidecar is not drift
        (
            DEP,
            DEP.replace(
                "      containers:\n      - name: app\n",
                "      containers:\n      - name: sidecar\n        image: proxy:1\n      - name: app\n",
            ),
            vec![],
        ),
        // env value changed: path uses the live index
        (
            DEP,
            DEP.replace(
                "      containers:\n      - name: app\n",
                "      containers:\n      - name: sidecar\n        image: proxy:1\n      - name: app\n",
            )
            .replace("value: \"1\"", "value: \"2\""),
            vec![("/spec/template/spec/containers/1/env/0/value", "\"2\"", "\"1\"")],
        ),
        // desired container missing from live: added at its desired index
        (
            &two_containers,
            DEP.to_owned(),
            vec![("/spec/template/spec/containers/1", "~", "image: b\nname: two\nresources: {}")],
        ),
        // scalar list of another length: replaced whole
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    args: [a, b]\n",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    args: [a, b, c]\n".to_owned(),
            vec![("/spec/containers/0/args", "- a\n- b\n- c", "- a\n- b")],
        ),
        // same length: item by item
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    args: [a, b]\n",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    args: [a, x]\n".to_owned(),
            vec![("/spec/containers/0/args/1", "x", "b")],
        ),
        // numbers compare by value; a type change is drift
        (
            "apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec:\n  n: 1\n  s: \"1\"\n",
            "apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec:\n  n: 1.0\n  s: 1\n".to_owned(),
            vec![("/spec/s", "1", "\"1\"")],
        ),
        // null / {} / [] in desired set nothing
        (
            "apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec:\n  a: null\n  b: {}\n  c: []\n  d:\n    e: {}\n",
            "apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec: {}\n".to_owned(),
            vec![],
        ),
        // normalisation on both sides: protocol TCP default is not drift
        (
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  clusterIP: 10.0.0.1\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n".to_owned(),
            vec![],
        ),
        // a map replaced by a scalar
        (
            "apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec:\n  m:\n    k: v\n",
            "apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec:\n  m: text\n".to_owned(),
            vec![("/spec/m", "text", "k: v")],
        ),
        // keys in byte order, whatever the input order
        (
            "apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec:\n  z: 1\n  a: 1\n",
            "apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec:\n  z: 2\n  a: 2\n".to_owned(),
            vec![("/spec/a", "2", "1"), ("/spec/z", "2", "1")],
        ),
        // top-level fields other than spec count too (ConfigMap data)
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: w\n  other: x\n".to_owned(),
            vec![("/data/k", "w", "v")],
        ),
    ];
    for (i, (desired, live, want)) in cases.iter().enumerate() {
        let got = changes(desired, live, &Options::default());
        let want: Vec<(String, String, String)> =
            want.iter().map(|(p, b, a)| (p.to_string(), b.to_string(), a.to_string())).collect();
        assert_eq!(got, want, "case {i}");
    }
}

#[test]
fn secret_masking_table() {
    let secret = |data: &str| format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n{data}");
    let cases: Vec<(String, String, Want)> = vec![
        // changed value: before/after markers
        (
            secret("data:\n  k: YQ==\n"),
            secret("data:\n  k: Yg==\n"),
            vec![("/data/k", "'*** (before)'", "'*** (after)'")],
        ),
        // value missing in live: one-sided marker
        (
            secret("data:\n  k: YQ==\n"),
            secret("data:\n  j: Yg==\n"),
            vec![("/data/k", "~", "'***'")],
        ),
        // whole data map missing in live: every value masked
        (
            secret("data:\n  k: YQ==\n  l: Yg==\n"),
            secret(""),
            vec![("/data", "~", "k: '***'\nl: '***'")],
        ),
        // stringData is normalised into data first: equal is in sync
        (secret("stringData:\n  k: a\n"), secret("data:\n  k: YQ==\n"), vec![]),
        (
            secret("stringData:\n  k: b\n"),
            secret("data:\n  k: YQ==\n"),
            vec![("/data/k", "'*** (before)'", "'*** (after)'")],
        ),
    ];
    for (i, (desired, live, want)) in cases.iter().enumerate() {
        let got = changes(desired, live, &Options::default());
        let want: Vec<(String, String, String)> =
            want.iter().map(|(p, b, a)| (p.to_string(), b.to_string(), a.to_string())).collect();
        assert_eq!(got, want, "case {i}");
    }
    // A ConfigMap is not masked.
    let got = changes(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: w\n",
        &Options::default(),
    );
    assert_eq!(got[0].2, "v");
}

#[test]
fn mask_maps_matches_flux() {
    // Flux's maskMap: changed → before/after, equal or one-sided → ***.
    let mut before = val("{a: '1', b: '2', c: '3'}");
    let mut after = val("{a: '1', b: 'x', d: '4'}");
    mask_maps(Some(&mut before), Some(&mut after));
    assert_eq!(crate::yaml::emit(&before).unwrap(), "a: '***'\nb: '*** (before)'\nc: '***'\n");
    assert_eq!(crate::yaml::emit(&after).unwrap(), "a: '***'\nb: '*** (after)'\nd: '***'\n");
}

#[test]
fn ignore_rules_table() {
    let rule = |paths: &[&str], kind: &str| {
        let target =
            (!kind.is_empty()).then(|| Selector { kind: kind.into(), ..Selector::default() });
        IgnoreRule::new(paths.iter().map(|p| p.to_string()).collect(), target).unwrap()
    };
    let live = DEP.replace("replicas: 2", "replicas: 5").replace("app: web", "app: api");
    let cases: Vec<(Vec<IgnoreRule>, usize)> = vec![
        (vec![], 2),
        (vec![rule(&["/spec/replicas"], "")], 1),
        (vec![rule(&["/spec/replicas", "/metadata/labels/app"], "Deployment")], 0),
        (vec![rule(&["/spec/replicas"], "StatefulSet")], 2),
        (vec![rule(&[""], "Deployment")], 0),
        (vec![rule(&["/spec/missing/path"], "")], 2),
    ];
    for (i, (ignore, n)) in cases.into_iter().enumerate() {
        let options = Options { ignore, ..Options::default() };
        assert_eq!(compare(&res(DEP), &res(&live), &options).len(), n, "case {i}");
        let text = unified(&res(DEP), Some(&res(&live)), &options);
        assert_eq!(text.is_empty(), n == 0, "case {i} text");
    }
}

#[test]
fn unified_object_diff() {
    let live = DEP
        .replace("replicas: 2", "replicas: 5")
        .replace("  namespace: prod\n", "  namespace: prod\n  uid: abc\n")
        + "status:\n  replicas: 5\n";
    let text = unified(&res(DEP), Some(&res(&live)), &Options::default());
    assert_eq!(
        text,
        "--- live/Deployment/prod/web\n+++ desired/Deployment/prod/web\n@@ -6,7 +6,7 @@\n   name: web\n   namespace: prod\n spec:\n-  replicas: 5\n+  replicas: 2\n   strategy: {}\n   template:\n     metadata:\n"
    );
    // in sync: empty
    assert_eq!(unified(&res(DEP), Some(&res(DEP)), &Options::default()), "");
    // creation: every line added, against /dev/null
    let created = unified(
        &res("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n"),
        None,
        &Options::default(),
    );
    assert_eq!(
        created,
        "--- /dev/null\n+++ desired/Namespace/ns1\n@@ -0,0 +1,4 @@\n+apiVersion: v1\n+kind: Namespace\n+metadata:\n+  name: ns1\n"
    );
}

#[test]
fn unified_masks_secrets() {
    let secret = |data: &str| {
        res(&format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: n\ndata:\n{data}"
        ))
    };
    let text = unified(
        &secret("  a: YQ==\n  b: Yg==\n"),
        Some(&secret("  a: YQ==\n  b: Yw==\n")),
        &Options::default(),
    );
    assert!(!text.contains("YQ==") && !text.contains("Yg==") && !text.contains("Yw=="), "{text}");
    assert!(text.contains("-  b: '*** (before)'\n+  b: '*** (after)'\n"), "{text}");
    assert!(text.contains("   a: '***'\n"), "{text}");
    let created = unified(&secret("  a: YQ==\n"), None, &Options::default());
    assert!(created.contains("+  a: '***'\n") && !created.contains("YQ=="), "{created}");
    // mask_secret on its own
    let masked = mask_secret(&res(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: YQ==\nstringData:\n  b: x\n",
    ));
    assert_eq!(masked.value().get_path(&["stringData", "b"]).and_then(Value::as_str), Some(MASK));
    assert_eq!(masked.value().get_path(&["data", "a"]).and_then(Value::as_str), Some(MASK));
}

#[test]
fn compare_and_unified_agree() {
    // Whenever compare finds nothing the text diff is empty, and the other way round.
    let lives = [
        DEP.to_owned(),
        DEP.replace("image: app:1", "image: app:2"),
        DEP.replace("  replicas: 2\n", "  replicas: 2\n  paused: true\n"),
        DEP.replace("app: web", "app: x"),
        DEP.replace("    app: web\n", "    app: web\n    more: y\n"),
    ];
    for live in &lives {
        let c = compare(&res(DEP), &res(live), &Options::default());
        let t = unified(&res(DEP), Some(&res(live)), &Options::default());
        assert_eq!(c.is_empty(), t.is_empty(), "{live}\n{t}");
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut d = Value::from("x");
    let mut l = Value::from("y");
    for _ in 0..900 {
        let mut m = Mapping::new();
        m.insert("a".into(), d);
        d = Value::Map(m);
        let mut m = Mapping::new();
        m.insert("a".into(), l);
        l = Value::Map(m);
    }
    let mut out = Vec::new();
    walk("", &d, &l, &mut out, 0);
    assert_eq!(out.len(), 1);
}
