//! End-to-end plan → apply → prune scenarios against a `LiveDir` in a temporary folder.

use std::fs;
use std::path::{Path, PathBuf};

use gitops_core::cluster::{Cluster, LiveDir, Selector};
use gitops_core::diff::{IgnoreRule, Selector as Target};
use gitops_core::inventory::{Inventory, Owner};
use gitops_core::plan::{Action, Options, Plan, apply_plan, plan};
use gitops_core::resource::Resource;
use gitops_core::yaml::{Limits, Profile, Value, parse_values};

/// A temporary live directory, removed on drop.
struct Live {
    dir: PathBuf,
    live: LiveDir,
    owner: Owner,
}

impl Live {
    fn new(tag: &str) -> Live {
        let dir =
            std::env::temp_dir().join(format!("gitops-it-livedir-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let live = LiveDir::open(&dir).unwrap();
        Live { dir, live, owner: Owner::new("apps", "flux-system") }
    }

    fn options(&self) -> Options {
        Options { owner: Some(self.owner.clone()), ..Options::default() }
    }

    fn plan(&self, desired: &[Resource]) -> Plan {
        let previous = self.live.read_inventory(&self.owner).unwrap();
        plan(desired, &self.live, previous.as_ref(), &self.options()).unwrap()
    }

    /// Plan and apply; the change set as Flux prints it.
    fn reconcile(&mut self, desired: &[Resource]) -> String {
        let p = self.plan(desired);
        let cs = apply_plan(&mut self.live, &p).unwrap();
        assert_eq!(cs, p.change_set());
        assert_no_temp_files(&self.dir);
        cs.to_string()
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    fn inventory_ids(&self) -> Vec<String> {
        let inv = self.live.read_inventory(&self.owner).unwrap().unwrap_or_default();
        inv.entries.into_iter().map(|e| e.id).collect()
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn objects(text: &str) -> Vec<Resource> {
    parse_values(text, Profile::ApiServer, &Limits::default())
        .unwrap()
        .into_iter()
        .filter(|v| !v.is_null())
        .map(Resource::new)
        .collect()
}

fn assert_no_temp_files(dir: &Path) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            assert!(!name.starts_with('.'), "leftover temporary file {}", p.display());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
}

const BASE: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  namespace: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: podinfo
  template:
    metadata:
      labels:
        app: podinfo
    spec:
      containers:
      - name: podinfo
        image: ghcr.io/stefanprodan/podinfo:6.5.0
---
apiVersion: v1
kind: Service
metadata:
  name: podinfo
  namespace: web
spec:
  ports:
  - port: 80
    protocol: TCP
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: web
data:
  level: info
---
apiVersion: v1
kind: Namespace
metadata:
  name: web
";

fn base_with(from: &str, to: &str) -> Vec<Resource> {
    assert!(BASE.contains(from), "{from}");
    objects(&BASE.replacen(from, to, 1))
}

#[test]
fn first_apply_creates_files_and_inventory_in_flux_order() {
    let mut l = Live::new("create");
    let out = l.reconcile(&objects(BASE));
    assert_eq!(
        out,
        "Namespace/web created\nConfigMap/web/settings created\nService/web/podinfo created\nDeployment/web/podinfo created"
    );
    for f in [
        "_cluster/Namespace/web.yaml",
        "web/ConfigMap/settings.yaml",
        "web/Service/podinfo.yaml",
        "web/Deployment.apps/podinfo.yaml",
    ] {
        assert!(l.file(f).is_file(), "{f}");
    }
    assert_eq!(
        l.inventory_ids(),
        [
            "_web__Namespace",
            "web_settings__ConfigMap",
            "web_podinfo__Service",
            "web_podinfo_apps_Deployment",
        ]
    );
    let inv_text = fs::read_to_string(l.file("_inventory/flux-system_apps.yaml")).unwrap();
    assert!(inv_text.starts_with("entries:\n- id: _web__Namespace\n  v: v1\n"), "{inv_text}");
    // owner labels are stored, and list by owner finds every object
    let cm = fs::read_to_string(l.file("web/ConfigMap/settings.yaml")).unwrap();
    assert!(cm.contains("kustomize.toolkit.fluxcd.io/name: apps\n"), "{cm}");
    assert_eq!(l.live.list(&Selector::Owner(l.owner.clone())).unwrap().len(), 4);
    assert!(l.live.list(&Selector::Owner(Owner::new("other", "flux-system"))).unwrap().is_empty());
}

#[test]
fn reapply_is_unchanged_and_touches_nothing() {
    let mut l = Live::new("unchanged");
    l.reconcile(&objects(BASE));
    let before = fs::read_to_string(l.file("web/Deployment.apps/podinfo.yaml")).unwrap();
    let out = l.reconcile(&objects(BASE));
    assert!(out.lines().all(|line| line.ends_with(" unchanged")), "{out}");
    assert_eq!(out.lines().count(), 4);
    assert_eq!(fs::read_to_string(l.file("web/Deployment.apps/podinfo.yaml")).unwrap(), before);
}

#[test]
fn one_changed_object_is_the_only_configured_one() {
    let mut l = Live::new("configured");
    l.reconcile(&objects(BASE));
    let p = l.plan(&base_with("replicas: 2", "replicas: 3"));
    let changed: Vec<String> = p
        .change_set()
        .entries
        .iter()
        .filter(|e| e.action.is_change())
        .map(|e| e.to_string())
        .collect();
    assert_eq!(changed, ["Deployment/web/podinfo configured"]);
    assert_eq!(p.change_set().changes(), "Deployment/web/podinfo configured");
    apply_plan(&mut l.live, &p).unwrap();
    let text = fs::read_to_string(l.file("web/Deployment.apps/podinfo.yaml")).unwrap();
    assert!(text.contains("replicas: 3"), "{text}");
}

#[test]
fn removed_object_is_pruned_in_reverse_order() {
    let mut l = Live::new("prune");
    l.reconcile(&objects(BASE));
    // drop the Service and the ConfigMap
    let desired: Vec<Resource> = objects(BASE)
        .into_iter()
        .filter(|r| r.kind() != "Service" && r.kind() != "ConfigMap")
        .collect();
    let out = l.reconcile(&desired);
    assert_eq!(
        out,
        "Namespace/web unchanged\nDeployment/web/podinfo unchanged\nService/web/podinfo deleted\nConfigMap/web/settings deleted"
    );
    assert!(!l.file("web/Service/podinfo.yaml").exists());
    assert!(!l.file("web/Service").exists(), "empty kind folder removed");
    assert!(!l.file("web/ConfigMap/settings.yaml").exists());
    assert_eq!(l.inventory_ids(), ["_web__Namespace", "web_podinfo_apps_Deployment"]);
}

#[test]
fn prune_off_keeps_stale_objects_but_drops_them_from_the_inventory() {
    let mut l = Live::new("prune-off");
    l.reconcile(&objects(BASE));
    let desired: Vec<Resource> =
        objects(BASE).into_iter().filter(|r| r.kind() != "Service").collect();
    let options = Options { prune: false, ..l.options() };
    let previous = l.live.read_inventory(&l.owner).unwrap();
    let p = plan(&desired, &l.live, previous.as_ref(), &options).unwrap();
    assert!(p.prune.is_empty());
    apply_plan(&mut l.live, &p).unwrap();
    assert!(l.file("web/Service/podinfo.yaml").is_file());
    assert!(!l.inventory_ids().contains(&"web_podinfo__Service".to_owned()));
}

#[test]
fn prune_exclusions_keep_the_object() {
    // (annotation or label on the stale object, expected action)
    let cases = [
        ("  annotations:\n    kustomize.toolkit.fluxcd.io/prune: disabled\n", Action::Skipped),
        ("  annotations:\n    kustomize.toolkit.fluxcd.io/prune: Disabled\n", Action::Skipped),
        ("  labels:\n    kustomize.toolkit.fluxcd.io/prune: disabled\n", Action::Skipped),
        ("  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: IfNotPresent\n", Action::Deleted),
        ("  annotations:\n    kustomize.toolkit.fluxcd.io/prune: enabled\n", Action::Deleted),
    ];
    for (i, (meta, want)) in cases.into_iter().enumerate() {
        let mut l = Live::new(&format!("prune-excl-{i}"));
        let extra = format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  namespace: web\n{meta}data:\n  a: b\n"
        );
        l.reconcile(&objects(&format!("{BASE}{extra}")));
        let out = l.reconcile(&objects(BASE));
        assert!(out.ends_with(&format!("ConfigMap/web/keep {want}")), "{meta}: {out}");
        assert_eq!(l.file("web/ConfigMap/keep.yaml").exists(), want == Action::Skipped, "{meta}");
        assert!(!l.inventory_ids().contains(&"web_keep__ConfigMap".to_owned()));
    }
}

#[test]
fn objects_of_another_owner_are_not_pruned() {
    let mut l = Live::new("owner");
    l.reconcile(&objects(BASE));
    // someone else takes the ConfigMap: its owner labels change in the live file
    let path = l.file("web/ConfigMap/settings.yaml");
    let text = fs::read_to_string(&path).unwrap().replace("name: apps", "name: other");
    fs::write(&path, text).unwrap();
    let desired: Vec<Resource> =
        objects(BASE).into_iter().filter(|r| r.kind() != "ConfigMap").collect();
    let out = l.reconcile(&desired);
    assert!(out.ends_with("ConfigMap/web/settings skipped"), "{out}");
    assert!(path.is_file());
}

#[test]
fn if_not_present_and_ignore_are_skipped() {
    let mut l = Live::new("ssa-policies");
    let extra = "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: seed\n  namespace: web\n  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: IfNotPresent\nstringData:\n  token: one\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ignored\n  namespace: web\n  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: Ignore\ndata:\n  a: b\n";
    let out = l.reconcile(&objects(&format!("{BASE}{extra}")));
    // IfNotPresent creates a missing object; Ignore never applies
    assert!(out.contains("Secret/web/seed created"), "{out}");
    assert!(out.contains("ConfigMap/web/ignored skipped"), "{out}");
    assert!(!l.file("web/ConfigMap/ignored.yaml").exists());
    // skipped objects are still in the inventory
    assert!(l.inventory_ids().contains(&"web_ignored__ConfigMap".to_owned()));
    // an existing IfNotPresent object is never patched
    let changed = format!("{BASE}{}", extra.replace("token: one", "token: two"));
    let out = l.reconcile(&objects(&changed));
    assert!(out.contains("Secret/web/seed skipped"), "{out}");
    let secret = fs::read_to_string(l.file("web/Secret/seed.yaml")).unwrap();
    // stored as Flux sends it: normalised, stringData merged into data
    assert!(secret.contains("token: b25l") && !secret.contains("stringData"), "{secret}");
}

#[test]
fn ignore_on_the_live_object_blocks_apply_and_prune() {
    let mut l = Live::new("ignore-live");
    l.reconcile(&objects(BASE));
    let path = l.file("web/ConfigMap/settings.yaml");
    let text = fs::read_to_string(&path).unwrap().replace(
        "  labels:\n",
        "  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: ignore\n  labels:\n",
    );
    fs::write(&path, &text).unwrap();
    let out = l.reconcile(&base_with("level: info", "level: debug"));
    assert!(out.contains("ConfigMap/web/settings skipped"), "{out}");
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    let desired: Vec<Resource> =
        objects(BASE).into_iter().filter(|r| r.kind() != "ConfigMap").collect();
    let out = l.reconcile(&desired);
    assert!(out.ends_with("ConfigMap/web/settings skipped"), "{out}");
    assert!(path.is_file());
}

#[test]
fn manual_edit_is_drift_and_is_corrected() {
    let mut l = Live::new("drift");
    l.reconcile(&objects(BASE));
    let path = l.file("web/Deployment.apps/podinfo.yaml");
    let edited = fs::read_to_string(&path).unwrap().replace("replicas: 2", "replicas: 5");
    fs::write(&path, edited).unwrap();
    let out = l.reconcile(&objects(BASE));
    assert_eq!(
        out.lines().filter(|x| !x.ends_with(" unchanged")).collect::<Vec<_>>(),
        ["Deployment/web/podinfo configured"]
    );
    assert!(fs::read_to_string(&path).unwrap().contains("replicas: 2"));
    // a change outside labels, annotations and the body (finalizers) is not drift
    let edited = fs::read_to_string(&path).unwrap().replace(
        "\n  name: podinfo\n  namespace: web\n",
        "\n  name: podinfo\n  namespace: web\n  finalizers:\n  - x\n",
    );
    fs::write(&path, edited).unwrap();
    let out = l.reconcile(&objects(BASE));
    assert!(out.lines().all(|x| x.ends_with(" unchanged")), "{out}");
}

#[test]
fn status_and_server_fields_survive_an_apply() {
    let mut l = Live::new("status");
    l.reconcile(&objects(BASE));
    let path = l.file("web/Deployment.apps/podinfo.yaml");
    let mut text = fs::read_to_string(&path).unwrap();
    text = text.replace(
        "\n  name: podinfo\n  namespace: web\n",
        "\n  name: podinfo\n  namespace: web\n  uid: 1234\n  resourceVersion: \"9\"\n",
    );
    text.push_str("status:\n  readyReplicas: 2\n");
    fs::write(&path, text).unwrap();
    // status and server metadata are not drift
    let out = l.reconcile(&objects(BASE));
    assert!(out.lines().all(|x| x.ends_with(" unchanged")), "{out}");
    let out = l.reconcile(&base_with("replicas: 2", "replicas: 4"));
    assert!(out.contains("Deployment/web/podinfo configured"), "{out}");
    let stored = fs::read_to_string(&path).unwrap();
    for want in ["replicas: 4", "uid: 1234", "resourceVersion: \"9\"", "readyReplicas: 2"] {
        assert!(stored.contains(want), "{want} in {stored}");
    }
}

#[test]
fn immutable_change_fails_unless_forced() {
    let mut l = Live::new("immutable");
    l.reconcile(&objects(BASE));
    let path = l.file("web/Deployment.apps/podinfo.yaml");
    fs::write(&path, fs::read_to_string(&path).unwrap() + "status:\n  replicas: 2\n").unwrap();
    let desired =
        base_with("    matchLabels:\n      app: podinfo", "    matchLabels:\n      app: web");
    let previous = l.live.read_inventory(&l.owner).unwrap();
    let err = plan(&desired, &l.live, previous.as_ref(), &l.options()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Deployment/web/podinfo dry-run failed (Invalid): Deployment.apps \"podinfo\" is invalid: spec.selector: field is immutable"
    );
    // spec.force, or the force annotation on the object, recreates it: `created`, no old status
    let forced_annotation = base_with(
        "  name: podinfo\n  namespace: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: podinfo",
        "  name: podinfo\n  namespace: web\n  annotations:\n    kustomize.toolkit.fluxcd.io/force: Enabled\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web",
    );
    for (desired, force) in [(&desired, true), (&forced_annotation, false)] {
        let options = Options { force, ..l.options() };
        let p = plan(desired, &l.live, previous.as_ref(), &options).unwrap();
        let step = p.apply.iter().find(|s| s.object.kind() == "Deployment").unwrap();
        assert_eq!((step.entry.action, step.recreate), (Action::Created, true));
    }
    let p = plan(&desired, &l.live, previous.as_ref(), &Options { force: true, ..l.options() })
        .unwrap();
    apply_plan(&mut l.live, &p).unwrap();
    let stored = fs::read_to_string(&path).unwrap();
    assert!(stored.contains("app: web") && !stored.contains("status:"), "{stored}");
}

#[test]
fn failed_write_keeps_the_old_file_and_the_old_inventory() {
    let mut l = Live::new("failed-write");
    l.reconcile(&objects(BASE));
    let path = l.file("web/ConfigMap/settings.yaml");
    let before = fs::read_to_string(&path).unwrap();
    let inv_before = l.inventory_ids();
    // a value JSON cannot carry: the object cannot be stored
    let mut desired = objects(BASE);
    for r in &mut desired {
        if r.kind() == "ConfigMap" {
            r.edit(|v| {
                if let Some(m) = v.as_map_mut() {
                    m.insert("weight".into(), Value::Float(f64::NAN));
                }
            });
        }
    }
    // removing the Service at the same time must not prune it: the apply fails first
    desired.retain(|r| r.kind() != "Service");
    let p = l.plan(&desired);
    let err = apply_plan(&mut l.live, &p).unwrap_err();
    assert_eq!(err.to_string(), "ConfigMap/web/settings apply failed");
    assert_eq!(fs::read_to_string(&path).unwrap(), before);
    assert!(l.file("web/Service/podinfo.yaml").is_file());
    assert_eq!(l.inventory_ids(), inv_before);
    assert_no_temp_files(&l.dir);
}

#[test]
fn dry_run_changes_nothing() {
    let mut l = Live::new("dry-run");
    let desired = objects(BASE);
    let applied = l.live.apply(&desired[0], true).unwrap();
    assert_eq!(applied.action, Action::Created);
    assert!(!l.file("web/Deployment.apps/podinfo.yaml").exists());
    l.live.write_inventory(&l.owner, &Inventory::new(), true).unwrap();
    assert!(l.live.read_inventory(&l.owner).unwrap().is_none());
    l.reconcile(&desired);
    let id = desired[0].object_ref();
    assert!(l.live.delete(&id, true).unwrap());
    assert!(l.live.get(&id).unwrap().is_some());
    assert!(l.live.delete(&id, false).unwrap());
    assert!(!l.live.delete(&id, false).unwrap());
}

#[test]
fn a_bad_live_file_is_an_error_with_its_path() {
    let mut l = Live::new("bad-file");
    l.reconcile(&objects(BASE));
    let path = l.file("web/ConfigMap/settings.yaml");
    fs::write(&path, "just text\n").unwrap();
    let previous = l.live.read_inventory(&l.owner).unwrap();
    let err = plan(&objects(BASE), &l.live, previous.as_ref(), &l.options()).unwrap_err();
    let source = std::error::Error::source(&err).map(|s| s.to_string()).unwrap_or_default();
    assert_eq!(
        source,
        format!(
            "{}: not a Kubernetes object (one document with apiVersion, kind and metadata.name)",
            path.display()
        )
    );
}

#[test]
fn a_field_removed_from_git_is_configured() {
    let mut l = Live::new("removed-field");
    l.reconcile(&base_with("  level: info\n", "  level: info\n  extra: x\n"));
    let out = l.reconcile(&objects(BASE));
    assert!(out.contains("ConfigMap/web/settings configured"), "{out}");
    let cm = fs::read_to_string(l.file("web/ConfigMap/settings.yaml")).unwrap();
    assert!(!cm.contains("extra"), "{cm}");
}

#[test]
fn ignore_rules_hide_drift() {
    let mut l = Live::new("ignore-rules");
    l.reconcile(&objects(BASE));
    let path = l.file("web/Deployment.apps/podinfo.yaml");
    fs::write(&path, fs::read_to_string(&path).unwrap().replace("replicas: 2", "replicas: 7"))
        .unwrap();
    let target = Target { kind: "Deployment".into(), ..Target::default() };
    let rule = IgnoreRule::new(vec!["/spec/replicas".into()], Some(target)).unwrap();
    let mut options = l.options();
    options.diff.ignore = vec![rule];
    let previous = l.live.read_inventory(&l.owner).unwrap();
    let p = plan(&objects(BASE), &l.live, previous.as_ref(), &options).unwrap();
    assert!(!p.change_set().has_changes(), "{}", p.change_set());
    // without the rule the same edit is drift
    let p = plan(&objects(BASE), &l.live, previous.as_ref(), &l.options()).unwrap();
    assert_eq!(p.change_set().changes(), "Deployment/web/podinfo configured");
}
