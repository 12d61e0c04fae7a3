//! Drift diff on objects rendered from `examples/` by gitops-kustomize: what a live
//! object picks up on the server is not drift, a manual edit of a field we set is.

use std::path::Path;

use gitops_core::diff::{IgnoreRule, Options, Selector, compare, unified};
use gitops_core::normalize::normalize;
use gitops_core::resource::Resource;
use gitops_core::yaml::{Mapping, Value};
use gitops_kustomize::{Options as BuildOptions, RealFs, build};

fn rendered(dir: &str) -> Vec<Resource> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
    let list = build(&RealFs, &root, &BuildOptions::default()).expect("build");
    list.iter().cloned().collect()
}

/// What the API server adds: identity fields, status, a default on every container.
fn as_live(desired: &Resource) -> Resource {
    let mut live = desired.clone();
    normalize(&mut live);
    live.edit(|v| {
        let Value::Map(m) = v else { return };
        if let Some(Value::Map(meta)) = m.get_mut("metadata") {
            meta.insert("uid".into(), "0b8e6b47".into());
            meta.insert("resourceVersion".into(), "12345".into());
            meta.insert("generation".into(), Value::Int(4));
            meta.insert(
                "managedFields".into(),
                Value::Seq(vec![Value::from("kustomize-controller")]),
            );
        }
        let mut status = Mapping::new();
        status.insert("observedGeneration".into(), Value::Int(4));
        m.insert("status".into(), Value::Map(status));
        if let Some(Value::Seq(cs)) = m
            .get_mut("spec")
            .and_then(|s| s.get_mut("template"))
            .and_then(|t| t.get_mut("spec"))
            .and_then(|s| s.get_mut("containers"))
        {
            for c in cs.iter_mut() {
                if let Value::Map(c) = c {
                    c.insert("terminationMessagePath".into(), "/dev/termination-log".into());
                }
            }
        }
    });
    live
}

#[test]
fn rendered_objects_are_in_sync_with_their_live_copies() {
    let objects = rendered("examples/apps/web/overlays/production");
    assert!(!objects.is_empty());
    for obj in &objects {
        let live = as_live(obj);
        assert_eq!(compare(obj, obj, &Options::default()), vec![], "{}", obj.name());
        assert_eq!(compare(obj, &live, &Options::default()), vec![], "{}", obj.name());
        assert_eq!(unified(obj, Some(&live), &Options::default()), "", "{}", obj.name());
    }
}

#[test]
fn manual_edit_is_drift_and_can_be_ignored() {
    let objects = rendered("examples/apps/web/overlays/production");
    let dep = objects.iter().find(|r| r.kind() == "Deployment").expect("a Deployment");
    let mut live = as_live(dep);
    let replicas = dep.value().get_path(&["spec", "replicas"]).cloned();
    live.edit(|v| {
        if let Some(Value::Map(spec)) = v.get_mut("spec") {
            spec.insert("replicas".into(), Value::Int(42));
        }
    });
    let changes = compare(dep, &live, &Options::default());
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].path, "/spec/replicas");
    assert_eq!(changes[0].before, Some(Value::Int(42)));
    assert_eq!(changes[0].after, replicas);
    let text = unified(dep, Some(&live), &Options::default());
    assert!(text.contains("\n-  replicas: 42\n"), "{text}");
    assert!(
        text.starts_with(&format!("--- live/Deployment/{}/{}\n", dep.namespace(), dep.name())),
        "{text}"
    );
    // spec.ignore for that path: in sync again
    let rule = IgnoreRule::new(
        vec!["/spec/replicas".into()],
        Some(Selector { kind: "Deployment".into(), ..Selector::default() }),
    )
    .unwrap();
    let options = Options { ignore: vec![rule], ..Options::default() };
    assert!(compare(dep, &live, &options).is_empty());
    assert_eq!(unified(dep, Some(&live), &options), "");
}

#[test]
fn creation_diff_lists_every_line() {
    for obj in rendered("examples/infrastructure") {
        let text = unified(&obj, None, &Options::default());
        assert!(text.starts_with("--- /dev/null\n+++ desired/"), "{text}");
        assert!(text.lines().skip(3).all(|l| l.starts_with('+')), "{text}");
    }
}
