use super::resourceset::{input_refs, substitute};
use super::*;
use crate::yaml::{Limits, Profile, parse_values};

#[test]
fn image_refs() {
    let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
        ("nginx", "nginx", None, None),
        ("nginx:1.25", "nginx", Some("1.25"), None),
        ("registry:5000/team/app", "registry:5000/team/app", None, None),
        ("registry:5000/team/app:v1", "registry:5000/team/app", Some("v1"), None),
        ("ghcr.io/a/b:v1@sha256:00ff", "ghcr.io/a/b", Some("v1"), Some("sha256:00ff")),
        ("ghcr.io/a/b@sha256:00ff", "ghcr.io/a/b", None, Some("sha256:00ff")),
    ];
    for (text, name, tag, digest) in cases {
        let r = ImageRef::parse(text);
        assert_eq!(
            (r.name.as_str(), r.tag.as_deref(), r.digest.as_deref()),
            (*name, *tag, *digest),
            "{text}"
        );
    }
}

#[test]
fn value_specs() {
    let ok = ValueSpec::parse("Deployment/web:/spec/template/metadata/annotations/a~1b").unwrap();
    assert_eq!(
        ok.segs(),
        [
            Seg::key("spec"),
            Seg::key("template"),
            Seg::key("metadata"),
            Seg::key("annotations"),
            Seg::key("a/b")
        ]
    );
    assert_eq!(pointer_segs("/a/0/~0x"), [Seg::key("a"), Seg::Index(0), Seg::key("~x")]);
    for bad in
        ["", "Deployment", "Deployment/web", "Deployment/web:spec", "/web:/a", "Deployment/:/a"]
    {
        let e = ValueSpec::parse(bad).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("invalid value '{bad}': expected Kind/name:/json/pointer")
        );
    }
}

#[test]
fn templates() {
    let input =
        parse_values("backend: {tag: v1, n: 3}\nflat: x\n", Profile::Kyaml, &Limits::default())
            .unwrap()
            .remove(0);
    type Case<'a> = (&'a str, Option<Vec<Vec<&'a str>>>, Option<&'a str>);
    let cases: &[Case] = &[
        ("<< inputs.backend.tag >>", Some(vec![vec!["backend", "tag"]]), Some("v1")),
        (
            "img:<<inputs.backend.tag>>-<< inputs.flat >>",
            Some(vec![vec!["backend", "tag"], vec!["flat"]]),
            Some("img:v1-x"),
        ),
        ("<< inputs.backend.n >>", Some(vec![vec!["backend", "n"]]), Some("3")),
        ("<<- inputs.flat ->>", Some(vec![vec!["flat"]]), Some("x")),
        ("<< inputs.flat | upper >>", Some(vec![vec!["flat"]]), Some("X")),
        (
            "<< inputs.backend.tag | default \"latest\" >>@<< printf \"%s\" inputs.flat >>",
            Some(vec![vec!["backend", "tag"], vec!["flat"]]),
            Some("v1@x"),
        ),
        ("<< if inputs.flat >>on<< end >>", Some(vec![vec!["flat"]]), Some("on")),
        ("<< $x := 1 >><< $x >>", Some(vec![]), Some("1")),
        ("<< myinputs.flat >>", Some(vec![]), None),
        ("<< inputs.missing >>", Some(vec![vec!["missing"]]), None),
        ("plain", Some(vec![]), Some("plain")),
        ("<< inputs.flat", None, None),
    ];
    for (t, refs, out) in cases {
        let want = refs.as_ref().map(|r| {
            r.iter()
                .map(|p| p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        });
        assert_eq!(input_refs(t), want, "{t}");
        assert_eq!(substitute(t, &input).as_deref(), *out, "{t}");
    }
}

#[test]
fn image_entries() {
    let r = ImageRef::parse;
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "images:\n- name: app\n  newTag: v1\n",
            "app:v1",
            "app:v2",
            "images:\n- name: app\n  newTag: v2\n",
        ),
        (
            "images:\n- name: app\n  newTag: v1\n",
            "app:v1",
            "app:v2@sha256:ab",
            "images:\n- name: app\n  newTag: v2\n  digest: sha256:ab\n",
        ),
        (
            "images:\n- name: app\n  newTag: v1\n  digest: sha256:ab\n",
            "app:v1@sha256:ab",
            "app:v1",
            "images:\n- name: app\n  newTag: v1\n",
        ),
        (
            "images:\n- name: app\n  digest: sha256:ab\n",
            "app@sha256:ab",
            "app:v3",
            "images:\n- name: app\n  newTag: v3\n",
        ),
        (
            "images:\n- name: app\n  newName: reg/app\n  newTag: v1\n",
            "reg/app:v1",
            "reg2/app:v1",
            "images:\n- name: app\n  newName: reg2/app\n  newTag: v1\n",
        ),
        (
            "images:\n- name: app\n  newTag: \"1.0\"\n",
            "app:1.0",
            "app:1.10",
            "images:\n- name: app\n  newTag: \"1.10\"\n",
        ),
    ];
    let base = [Seg::key("images"), Seg::Index(0)];
    for (text, old, new, want) in cases {
        assert_eq!(
            set_image_entry(text, 0, &base, &r(old), &r(new)).unwrap(),
            *want,
            "{text} {new}"
        );
    }
}

#[test]
fn values_of_pod_templates_and_charts() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\nspec:\n  template:\n    spec:\n      initContainers: [{name: init, image: busybox:1}]\n      containers: [{name: app, image: web:2}, {name: side}]\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: job}\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: job:3}]}}}}}\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: hr}\nspec: {chart: {spec: {chart: x, version: 1.2.3}}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {k: v, num: '1'}\n";
    let objs: Vec<Resource> = parse_values(text, Profile::ApiServer, &Limits::default())
        .unwrap()
        .into_iter()
        .map(Resource::new)
        .collect();
    let refs: Vec<&Resource> = objs.iter().collect();
    let specs = [
        ValueSpec::parse("ConfigMap/cm:/data/num").unwrap(),
        ValueSpec::parse("ConfigMap/cm:/data/none").unwrap(),
    ];
    let got: Vec<(String, String)> =
        values_of(&refs, &specs).into_iter().map(|(k, (_, v))| (k, v)).collect();
    let want = [
        ("Deployment/web container init", "busybox:1"),
        ("Deployment/web container app", "web:2"),
        ("CronJob/job container c", "job:3"),
        ("HelmRelease/hr spec.chart.spec.version", "1.2.3"),
        ("ConfigMap/cm:/data/num", "1"),
    ];
    assert_eq!(got, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
}

#[test]
fn branch_names() {
    let change = |what: &str, new: &str| Change {
        what: what.into(),
        object: String::new(),
        old: String::new(),
        new: new.into(),
        file: String::new(),
        line: 1,
    };
    let cases: &[(&str, &str, &str)] = &[
        ("image", "ghcr.io/a/b:v1.2.3", "promote-web-prod-v1.2.3"),
        (
            "image",
            "ghcr.io/a/b@sha256:0123456789abcdef0123",
            "promote-web-prod-sha256-0123456789ab",
        ),
        ("chart", "66.x", "promote-web-prod-66.x"),
        ("value", "a b..c~", "promote-web-prod-a-b.c"),
    ];
    for (what, new, want) in cases {
        let p = Promotion {
            from: "staging".into(),
            to: "prod".into(),
            app: "web".into(),
            changes: vec![change(what, new)],
            edits: vec![],
        };
        assert_eq!(p.branch_name(), *want, "{new}");
    }
}
