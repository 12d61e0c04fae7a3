//! The `gitops` binary itself: exit codes, output formats and error messages of `render`,
//! `deps`, `plan`, `diff`, `apply` and `health`, and the whole workflow once through the
//! command line on a copy of `examples/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gitops(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gitops")).args(args).current_dir(cwd).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A temporary folder holding a copy of `examples/`, removed on drop.
struct Tmp(PathBuf);

impl Tmp {
    fn new(tag: &str) -> Tmp {
        let dir = std::env::temp_dir().join(format!("gitops-cli-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples"), &dir.join("examples"));
        Tmp(dir)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let p = self.0.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel}: {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
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

const PROD: &str = "examples/clusters/production";

/// The change lines (no `#` headers, no summary) of a plan/apply output.
fn change_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.starts_with('#') && !l.starts_with("Summary:")).collect()
}

#[test]
fn health_table_json_and_exit_code() {
    let tmp = Tmp::new("health");
    let ok = tmp.write(
        "ok.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: web, generation: 2}\nspec: {replicas: 3}\nstatus: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: [{type: Available, status: \"True\"}]}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: web}\n",
    );
    let progressing = tmp.write(
        "progress.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: web, generation: 3}\nstatus: {observedGeneration: 2}\n",
    );
    let failed = tmp.write(
        "failed.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad, namespace: web, generation: 1}\nspec: {replicas: 1}\nstatus:\n  observedGeneration: 1\n  conditions:\n  - {type: Progressing, status: \"False\", reason: ProgressDeadlineExceeded}\n",
    );
    let p = |f: &PathBuf| f.display().to_string();

    let o = gitops(&["health", &p(&ok), &p(&progressing)], &tmp.0);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "OBJECT              STATUS       MESSAGE\n\
         Deployment/web/web  Current      Deployment is available. Replicas: 3\n\
         ConfigMap/web/cfg   Current      Resource is always ready\n\
         Deployment/web/api  InProgress   Deployment generation is 3, but latest observed generation is 2\n"
    );

    // Input order is kept; one Failed object makes the exit status 1.
    let o = gitops(&["health", "-o", "json", &p(&failed), &p(&ok)], &tmp.0);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["object"], "Deployment/web/bad");
    assert_eq!(v[0]["status"], "Failed");
    assert_eq!(v[0]["message"], "Progress deadline exceeded");
    assert_eq!(v[1]["status"], "Current");
    assert_eq!(v.as_array().unwrap().len(), 3);

    // Errors name the file and the document; never a panic.
    let bad =
        tmp.write("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nkind: Pod\n");
    let o = gitops(&["health", &p(&bad)], &tmp.0);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), format!("Error: {}: document 2: missing apiVersion\n", p(&bad)));
    let o = gitops(&["health", "missing.yaml"], &tmp.0);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("Error: missing.yaml: "), "{}", stderr(&o));
}

#[test]
fn deps_text_dot_mermaid_json() {
    let tmp = Tmp::new("deps");
    let o = gitops(&["deps", PROD, "-o", "dot"], &tmp.0);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dot = stdout(&o);
    assert!(dot.starts_with("digraph dependencies {\n  rankdir=LR;\n"), "{dot}");
    for edge in [
        "  \"Kustomization flux-system/podinfo\" -> \"Kustomization flux-system/infrastructure\";\n",
        "  \"Kustomization flux-system/web\" -> \"Kustomization flux-system/infrastructure\";\n",
        "  \"Kustomization flux-system/web\" -> \"Kustomization flux-system/podinfo\";\n",
    ] {
        assert!(dot.contains(edge), "{dot}");
    }
    assert_eq!(dot.matches(" -> ").count(), 3, "{dot}");
    assert!(dot.ends_with("}\n"));

    let o = gitops(&["deps", PROD], &tmp.0);
    let text = stdout(&o);
    let order: Vec<&str> = text.lines().skip(1).take(4).collect();
    assert_eq!(
        order,
        [
            "  1. Kustomization flux-system/flux-system",
            "  2. Kustomization flux-system/infrastructure",
            "  3. Kustomization flux-system/podinfo",
            "  4. Kustomization flux-system/web"
        ]
    );
    assert!(text.contains("Waves:\n"));
    assert!(
        text.contains(
            "  2: Kustomization flux-system/podinfo\n  3: Kustomization flux-system/web\n"
        ),
        "{text}"
    );

    let o = gitops(&["deps", PROD, "-o", "mermaid"], &tmp.0);
    assert!(stdout(&o).starts_with("flowchart LR\n"));
    let o = gitops(&["deps", PROD, "-o", "json"], &tmp.0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["order"][3]["name"], "web");
    assert_eq!(v["waves"][2][0]["name"], "web");

    // A cycle is Flux's error, exit 1.
    tmp.edit(
        "examples/clusters/production/infrastructure.yaml",
        "  prune: true\n",
        "  prune: true\n  dependsOn:\n  - name: web\n",
    );
    let o = gitops(&["deps", PROD], &tmp.0);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("Error: circular dependency detected: flux-system/"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn render_groups_and_selects() {
    let tmp = Tmp::new("render");
    let o = gitops(&["render", PROD], &tmp.0);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("# Kustomization ")).collect();
    assert_eq!(
        headers,
        [
            "# Kustomization flux-system/flux-system",
            "# Kustomization flux-system/infrastructure",
            "# Kustomization flux-system/podinfo",
            "# Kustomization flux-system/web"
        ]
    );
    assert!(text.starts_with("# Kustomization flux-system/flux-system\napiVersion: "));
    assert!(text.contains("---\n# Kustomization flux-system/podinfo\napiVersion: "));

    for ks in ["podinfo", "flux-system/podinfo"] {
        let o = gitops(&["render", PROD, "--ks", ks], &tmp.0);
        let text = stdout(&o);
        assert!(text.starts_with("# Kustomization flux-system/podinfo\n"), "{text}");
        assert_eq!(text.matches("# Kustomization").count(), 1);
        assert!(text.contains("image: ghcr.io/stefanprodan/podinfo:v1.2.3\n"));
    }
    let o = gitops(&["render", PROD, "--ks", "web", "-o", "json"], &tmp.0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["kustomization"], "flux-system/web");
    assert!(v[0]["objects"].as_array().unwrap().iter().any(|o| o["kind"] == "Deployment"));

    // Secret values never appear.
    tmp.write(
        "examples/apps/podinfo/overlays/production/secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\ndata:\n  token: aHVudGVyMg==\nstringData:\n  other: hunter2\n",
    );
    tmp.edit(
        "examples/apps/podinfo/overlays/production/kustomization.yaml",
        "- hpa.yaml\n",
        "- hpa.yaml\n- secret.yaml\n",
    );
    for format in ["yaml", "json"] {
        let o = gitops(&["render", PROD, "--ks", "podinfo", "-o", format], &tmp.0);
        let text = stdout(&o);
        assert!(text.contains("token"), "{text}");
        assert!(!text.contains("aHVudGVyMg") && !text.contains("hunter2"), "{text}");
        assert!(text.contains("***"), "{text}");
    }

    let o = gitops(&["render", PROD, "--ks", "nope"], &tmp.0);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "Error: Kustomization 'nope' not found; rendered: flux-system/flux-system, flux-system/infrastructure, flux-system/podinfo, flux-system/web\n"
    );
    let o = gitops(&["render", "examples/clusters/nowhere"], &tmp.0);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("Error: cluster path '"), "{}", stderr(&o));
}

#[test]
fn workflow_through_the_cli() {
    let tmp = Tmp::new("workflow");
    let overlay = "examples/apps/podinfo/overlays/production";

    let o = gitops(&["plan", PROD, "--live", "live", "--exit-code"], &tmp.0);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let first = stdout(&o);
    assert!(change_lines(&first).iter().all(|l| l.ends_with(" created")));
    assert!(first.contains("# Kustomization flux-system/podinfo\n"));
    assert!(first.contains("\nDeployment/podinfo/podinfo created\n"));
    // Without --exit-code: 0 even with changes.
    assert_eq!(gitops(&["plan", PROD, "--live", "live"], &tmp.0).status.code(), Some(0));
    // --dry-run writes nothing.
    let o = gitops(&["apply", PROD, "--live", "live", "--dry-run"], &tmp.0);
    assert_eq!(stdout(&o), first);
    assert!(std::fs::read_dir(tmp.0.join("live")).unwrap().next().is_none());

    let o = gitops(&["apply", PROD, "--live", "live"], &tmp.0);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), first);
    let o = gitops(&["plan", PROD, "--live", "live", "--exit-code"], &tmp.0);
    assert_eq!(o.status.code(), Some(0));
    assert!(change_lines(&stdout(&o)).is_empty(), "{}", stdout(&o));
    assert!(
        stdout(&o).ends_with(" 0 created, 0 configured, 0 deleted, 34 unchanged, 0 skipped\n"),
        "{}",
        stdout(&o)
    );

    // An overlay change: one object configured, one hunk.
    tmp.edit(&format!("{overlay}/kustomization.yaml"), "count: 3", "count: 5");
    let o = gitops(&["plan", PROD, "--live", "live", "--exit-code"], &tmp.0);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(change_lines(&stdout(&o)), ["Deployment/podinfo/podinfo configured"]);
    let o = gitops(&["diff", PROD, "--live", "live"], &tmp.0);
    let diff = stdout(&o);
    assert!(
        diff.starts_with(
            "--- live/Deployment/podinfo/podinfo\n+++ desired/Deployment/podinfo/podinfo\n@@ "
        ),
        "{diff}"
    );
    assert!(diff.contains("\n-  replicas: 3\n+  replicas: 5\n"), "{diff}");
    assert_eq!(diff.matches("\n@@ ").count(), 1);
    assert!(!diff.contains('\x1b'), "not a terminal: no colour");
    let o = gitops(&["diff", PROD, "--live", "live", "--color", "always"], &tmp.0);
    assert!(stdout(&o).contains("\x1b[31m-  replicas: 3\x1b[0m\n\x1b[32m+  replicas: 5\x1b[0m\n"));
    assert!(stdout(&o).contains("\x1b[36m@@ "));
    let o = gitops(&["diff", PROD, "--live", "live", "-o", "json"], &tmp.0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{
            "kustomization": "flux-system/podinfo",
            "object": "Deployment/podinfo/podinfo",
            "action": "configured",
            "changes": [{"path": "/spec/replicas", "before": 3, "after": 5}],
        }])
    );
    let o = gitops(&["apply", PROD, "--live", "live"], &tmp.0);
    assert_eq!(change_lines(&stdout(&o)), ["Deployment/podinfo/podinfo configured"]);

    // Deleting a file prunes its object.
    std::fs::remove_file(tmp.0.join(format!("{overlay}/hpa.yaml"))).unwrap();
    tmp.edit(&format!("{overlay}/kustomization.yaml"), "- hpa.yaml\n", "");
    let o = gitops(&["plan", PROD, "--live", "live"], &tmp.0);
    assert_eq!(change_lines(&stdout(&o)), ["HorizontalPodAutoscaler/podinfo/podinfo deleted"]);
    let hpa = tmp.0.join("live/podinfo/HorizontalPodAutoscaler.autoscaling/podinfo.yaml");
    assert!(hpa.is_file());
    let o = gitops(&["apply", PROD, "--live", "live"], &tmp.0);
    assert_eq!(change_lines(&stdout(&o)), ["HorizontalPodAutoscaler/podinfo/podinfo deleted"]);
    assert!(!hpa.exists());

    // A manual edit in the live directory is drift, corrected by apply.
    tmp.edit("live/podinfo/Service/podinfo.yaml", "port: 9898", "port: 9999");
    let o = gitops(&["diff", PROD, "--live", "live", "--exit-code"], &tmp.0);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).starts_with("--- live/Service/podinfo/podinfo\n"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("\n   - name: http\n-    port: 9999\n+    port: 9898\n"),
        "{}",
        stdout(&o)
    );
    let o = gitops(&["apply", PROD, "--live", "live"], &tmp.0);
    assert_eq!(change_lines(&stdout(&o)), ["Service/podinfo/podinfo configured"]);
    let o = gitops(&["diff", PROD, "--live", "live", "--exit-code"], &tmp.0);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), ""));

    // Usage errors exit 1 (2 is "changes"); --help exits 0.
    let o = gitops(&["plan", PROD], &tmp.0);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--live <DIR>"), "{}", stderr(&o));
    assert_eq!(gitops(&["plan", "--help"], &tmp.0).status.code(), Some(0));

    // Errors: exit 1, `Error: ...` on stderr.
    let o = gitops(&["plan", "examples/clusters/nowhere", "--live", "live"], &tmp.0);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("Error: "));
}

#[test]
fn build_is_unchanged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let o = gitops(&["build", "examples/apps/podinfo/overlays/production"], &root);
    assert_eq!(o.status.code(), Some(0));
    let golden = std::fs::read_to_string(
        root.join("tests/fixtures/examples/podinfo-production/expected.yaml"),
    )
    .unwrap();
    assert_eq!(stdout(&o), golden);
    let o = gitops(&["build", "no/such/dir"], &root);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("Error: no/such/dir: no such file or directory: '"), "{err}");
    assert!(err.ends_with("no/such/dir'\n"), "{err}");
}
