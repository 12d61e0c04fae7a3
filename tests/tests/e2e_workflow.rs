//! The issue-4 workflow end to end, through the library functions `gitops
//! render|plan|diff|apply` use, on a copy of `examples/` in a temporary folder: render
//! production, plan and apply into an empty live directory, change an overlay, delete a
//! resource file, edit a live file by hand — each time checking exactly what the plan,
//! the diff and the live directory show.

use std::path::{Path, PathBuf};

use gitops_core::cluster::{Cluster, LiveDir};
use gitops_core::fs::RealFs;
use gitops_core::plan::Action;
use gitops_core::render::{Options, Outcome, render_cluster};
use gitops_core::resource::ObjectRef;
use gitops_core::workflow::{ObjectDiff, apply_cluster, diff_cluster, plan_cluster};
use gitops_core::yaml::Value;
use gitops_kustomize::flux::FluxBuilder;

/// A copy of `examples/` and a live directory in a temporary folder, removed on drop.
struct Repo {
    dir: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Repo {
    fn new(tag: &str) -> Repo {
        let dir = std::env::temp_dir().join(format!("gitops-e2e-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        copy_dir(&examples, &dir.join("examples"));
        Repo { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    fn render(&self) -> Outcome {
        let cluster = self.path("examples/clusters/production");
        render_cluster(&RealFs, &cluster, &FluxBuilder::default(), &Options::default())
            .unwrap_or_else(|e| panic!("render: {e}"))
    }

    fn live(&self) -> LiveDir {
        LiveDir::open(self.path("live")).unwrap()
    }

    /// Every change-set line of a plan of the current tree against the live directory.
    fn plan_lines(&self) -> Vec<String> {
        let plans = plan_cluster(&self.render(), &self.live()).unwrap();
        plans.iter().flat_map(|p| p.plan.change_set().entries).map(|e| e.to_string()).collect()
    }

    /// Only the created/configured/deleted lines.
    fn changes(&self) -> Vec<String> {
        let plans = plan_cluster(&self.render(), &self.live()).unwrap();
        plans
            .iter()
            .flat_map(|p| p.plan.change_set().entries)
            .filter(|e| e.action.is_change())
            .map(|e| e.to_string())
            .collect()
    }

    fn diffs(&self) -> Vec<ObjectDiff> {
        let live = self.live();
        let plans = plan_cluster(&self.render(), &live).unwrap();
        diff_cluster(&plans, &live).unwrap()
    }

    /// Apply and return the change lines.
    fn apply(&self) -> Vec<String> {
        let mut live = self.live();
        apply_cluster(&self.render(), &mut live)
            .unwrap()
            .into_iter()
            .flat_map(|a| a.change_set.entries)
            .filter(|e| e.action.is_change())
            .map(|e| e.to_string())
            .collect()
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.path(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn live_files(&self) -> Vec<String> {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    walk(root, &p, out);
                } else {
                    out.push(p.strip_prefix(root).unwrap().display().to_string());
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.path("live"), &self.path("live"), &mut out);
        out.sort();
        out
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const OVERLAY: &str = "examples/apps/podinfo/overlays/production";
const LIVE_DEPLOYMENT: &str = "live/podinfo/Deployment.apps/podinfo.yaml";

#[test]
fn render_plan_apply_change_prune_drift() {
    let repo = Repo::new("workflow");

    // Render production: four Kustomizations, flux-system first.
    let outcome = repo.render();
    let keys: Vec<String> = outcome.kustomizations.iter().map(|k| k.key()).collect();
    assert_eq!(
        keys,
        [
            "flux-system/flux-system",
            "flux-system/infrastructure",
            "flux-system/podinfo",
            "flux-system/web"
        ]
    );
    let total: usize = outcome.kustomizations.iter().map(|k| k.objects.len()).sum();
    assert!(total > 20, "{total} objects");

    // Empty live directory: everything is created, nothing else.
    let lines = repo.plan_lines();
    assert_eq!(lines.len(), total);
    assert!(lines.iter().all(|l| l.ends_with(" created")), "{lines:#?}");
    assert!(lines.contains(&"Deployment/podinfo/podinfo created".to_owned()));
    assert!(repo.live_files().is_empty(), "plan must not write");

    // Apply writes every object and one inventory per Kustomization.
    assert_eq!(repo.apply(), lines);
    let files = repo.live_files();
    assert_eq!(files.len(), total + 4, "{files:#?}");
    for inv in ["flux-system_flux-system", "flux-system_infrastructure", "flux-system_podinfo"] {
        assert!(files.contains(&format!("_inventory/{inv}.yaml")), "{inv}");
    }

    // Plan again: everything unchanged, no diff.
    let lines = repo.plan_lines();
    assert_eq!(lines.len(), total);
    assert!(lines.iter().all(|l| l.ends_with(" unchanged")), "{lines:#?}");
    assert!(repo.diffs().is_empty());

    // Change the image tag in the production overlay: exactly that object, that field.
    repo.edit(&format!("{OVERLAY}/kustomization.yaml"), "newTag: v1.2.3", "newTag: v1.2.4");
    assert_eq!(repo.changes(), ["Deployment/podinfo/podinfo configured"]);
    let diffs = repo.diffs();
    assert_eq!(diffs.len(), 1);
    let d = &diffs[0];
    assert_eq!(
        (d.kustomization.as_str(), d.subject.as_str()),
        ("flux-system/podinfo", "Deployment/podinfo/podinfo")
    );
    assert_eq!(d.changes.len(), 1, "{:?}", d.changes);
    assert_eq!(d.changes[0].path, "/spec/template/spec/containers/0/image");
    assert_eq!(d.changes[0].before, Some(Value::from("ghcr.io/stefanprodan/podinfo:v1.2.3")));
    assert_eq!(d.changes[0].after, Some(Value::from("ghcr.io/stefanprodan/podinfo:v1.2.4")));
    let minus: Vec<&str> =
        d.unified.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).collect();
    let plus: Vec<&str> =
        d.unified.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).collect();
    assert_eq!(minus, ["-        image: ghcr.io/stefanprodan/podinfo:v1.2.3"]);
    assert_eq!(plus, ["+        image: ghcr.io/stefanprodan/podinfo:v1.2.4"]);
    assert_eq!(repo.apply(), ["Deployment/podinfo/podinfo configured"]);
    let live_text = std::fs::read_to_string(repo.path(LIVE_DEPLOYMENT)).unwrap();
    assert!(live_text.contains("image: ghcr.io/stefanprodan/podinfo:v1.2.4"));
    assert!(repo.changes().is_empty());

    // Delete a resource file and its entry: the object is pruned from the live directory
    // and from the inventory.
    let pdb = "live/podinfo/PodDisruptionBudget.policy/podinfo.yaml";
    assert!(repo.path(pdb).is_file());
    std::fs::remove_file(repo.path(&format!("{OVERLAY}/pdb.yaml"))).unwrap();
    repo.edit(&format!("{OVERLAY}/kustomization.yaml"), "- pdb.yaml\n", "");
    assert_eq!(repo.changes(), ["PodDisruptionBudget/podinfo/podinfo deleted"]);
    let diffs = repo.diffs();
    assert_eq!(diffs.len(), 1);
    assert_eq!(diffs[0].action, Action::Deleted);
    assert!(
        diffs[0]
            .unified
            .starts_with("--- live/PodDisruptionBudget/podinfo/podinfo\n+++ /dev/null\n")
    );
    assert_eq!(repo.apply(), ["PodDisruptionBudget/podinfo/podinfo deleted"]);
    assert!(!repo.path(pdb).exists());
    let inventory = repo
        .live()
        .read_inventory(&gitops_core::inventory::Owner::new("podinfo", "flux-system"))
        .unwrap()
        .unwrap();
    assert!(!inventory.contains_id("podinfo_podinfo_policy_PodDisruptionBudget"));
    assert!(inventory.contains_id("podinfo_podinfo_apps_Deployment"));
    assert!(repo.changes().is_empty());

    // A manual edit of the live file is drift: reported, corrected by the next apply.
    repo.edit(LIVE_DEPLOYMENT, "\n  replicas: 3\n", "\n  replicas: 7\n");
    assert_eq!(repo.changes(), ["Deployment/podinfo/podinfo configured"]);
    let diffs = repo.diffs();
    assert_eq!(diffs.len(), 1);
    assert_eq!(diffs[0].changes.len(), 1);
    assert_eq!(diffs[0].changes[0].path, "/spec/replicas");
    assert_eq!(diffs[0].changes[0].before, Some(Value::Int(7)));
    assert_eq!(diffs[0].changes[0].after, Some(Value::Int(3)));
    assert!(
        diffs[0].unified.contains("\n-  replicas: 7\n+  replicas: 3\n"),
        "{}",
        diffs[0].unified
    );
    assert_eq!(repo.apply(), ["Deployment/podinfo/podinfo configured"]);
    let live_text = std::fs::read_to_string(repo.path(LIVE_DEPLOYMENT)).unwrap();
    assert!(live_text.contains("\n  replicas: 3\n"));
    let lines = repo.plan_lines();
    assert!(lines.iter().all(|l| l.ends_with(" unchanged")), "{lines:#?}");
    assert!(repo.diffs().is_empty());
}

#[test]
fn secrets_are_masked_in_diffs() {
    let repo = Repo::new("secret");
    repo.apply();
    std::fs::write(
        repo.path(&format!("{OVERLAY}/secret.yaml")),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  token: hunter2-secret\n",
    )
    .unwrap();
    repo.edit(
        &format!("{OVERLAY}/kustomization.yaml"),
        "- hpa.yaml\n",
        "- hpa.yaml\n- secret.yaml\n",
    );
    assert_eq!(repo.changes(), ["Secret/podinfo/token created"]);
    let created = repo.diffs();
    // base64 of "hunter2-secret" is aHVudGVyMi1zZWNyZXQ=.
    for d in &created {
        assert!(!d.unified.contains("hunter2") && !d.unified.contains("aHVudGVy"), "{}", d.unified);
        assert!(
            d.unified.contains("token: '***'") || d.unified.contains("token: \"***\""),
            "{}",
            d.unified
        );
    }
    repo.apply();
    repo.edit(&format!("{OVERLAY}/secret.yaml"), "hunter2-secret", "swordfish-secret");
    assert_eq!(repo.changes(), ["Secret/podinfo/token configured"]);
    let diffs = repo.diffs();
    assert_eq!(diffs.len(), 1);
    let change = &diffs[0].changes;
    assert_eq!(change.len(), 1);
    assert_eq!(change[0].path, "/data/token");
    assert_eq!(change[0].before, Some(Value::from("*** (before)")));
    assert_eq!(change[0].after, Some(Value::from("*** (after)")));
    assert!(!diffs[0].unified.contains("swordfish") && !diffs[0].unified.contains("aHVudGVy"));
    let id = ObjectRef::parse_inventory_id("podinfo_token__Secret").unwrap();
    assert!(repo.live().get(&id).unwrap().is_some());
}
