"""update_setters and the cluster workflow (plan/apply/diff_cluster): the Rust results, converted."""

from pathlib import Path

import pytest

import gitops_sdk
from conftest import EXAMPLES

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  template:
    spec:
      containers:
      - name: web
        image: ghcr.io/org/web:1.0.0 # {"$imagepolicy": "flux-system:web"}
      - name: side
        image: ghcr.io/org/side:0.1 # {"$imagepolicy": "flux-system:side:tag"}
"""
POLICIES = {"flux-system:web": "ghcr.io/org/web:1.2.0"}


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "deploy.yaml").write_text(DEPLOY)
    (tmp_path / "apps" / "notes.txt").write_text('"$imagepolicy"')
    return tmp_path / "apps" / "deploy.yaml"


def test_update_setters_writes_and_reports(tmp_path: Path) -> None:
    file = _tree(tmp_path)
    out = gitops_sdk.update_setters(tmp_path, POLICIES)
    assert out["files"] == [
        {
            "file": "apps/deploy.yaml",
            "changes": [
                {
                    "object": {"api_version": "apps/v1", "kind": "Deployment", "name": "web", "namespace": "apps"},
                    "old_value": "ghcr.io/org/web:1.0.0",
                    "new_value": "ghcr.io/org/web:1.2.0",
                    "setter": "flux-system:web",
                    "line": 11,
                    "column": 16,
                }
            ],
        }
    ]
    assert out["warnings"] == [
        {
            "file": "apps/deploy.yaml",
            "line": 13,
            "column": 16,
            "setter": "flux-system:side:tag",
            "message": 'apps/deploy.yaml:13:16: no policy for setter "flux-system:side:tag"',
        }
    ]
    assert out["problem_files"] == []
    # Only the marked value's bytes change.
    assert file.read_text() == DEPLOY.replace("web:1.0.0", "web:1.2.0")
    # Run again: nothing left to change.
    assert gitops_sdk.update_setters(tmp_path, POLICIES)["files"] == []


def test_update_setters_dry_run_namespace_and_tag_setter(tmp_path: Path) -> None:
    file = _tree(tmp_path)
    policies = {"flux-system:web": "ghcr.io/org/web:1.2.0", "flux-system:side": "ghcr.io/org/side:0.2@sha256:" + "a" * 64}
    out = gitops_sdk.update_setters(file, policies, dry_run=True)
    assert [(c["setter"], c["new_value"]) for f in out["files"] for c in f["changes"]] == [
        ("flux-system:web", "ghcr.io/org/web:1.2.0"),
        ("flux-system:side:tag", "0.2"),
    ]
    assert out["files"][0]["file"] == "deploy.yaml", "relative to the file's directory"
    assert out["warnings"] == []
    assert file.read_text() == DEPLOY, "dry_run writes nothing"
    # Policies of another namespace than the automation's are not used.
    other = gitops_sdk.update_setters(tmp_path, policies, namespace="other", dry_run=True)
    assert other["files"] == [] and len(other["warnings"]) == 2


def test_update_setters_errors(tmp_path: Path) -> None:
    _tree(tmp_path)
    with pytest.raises(gitops_sdk.SetterError) as strict:
        gitops_sdk.update_setters(tmp_path, POLICIES, strict=True)
    assert str(strict.value) == 'apps/deploy.yaml:13:16: marker names unknown setter "flux-system:side:tag"'
    assert (strict.value.kind, strict.value.file, strict.value.line) == ("missing_policy", "apps/deploy.yaml", 13)
    with pytest.raises(gitops_sdk.SetterError, match=r'^invalid policy key "web": expected namespace:name$') as key:
        gitops_sdk.update_setters(tmp_path, {"web": "ghcr.io/org/web:1"})
    assert key.value.kind == "invalid_policy_key"
    with pytest.raises(gitops_sdk.SetterError) as bad:
        gitops_sdk.update_setters(tmp_path, {"ns:web": "ghcr.io/Org/web:1"})
    assert bad.value.kind == "invalid_image_ref"
    assert str(bad.value).startswith('encountered invalid image ref "ghcr.io/Org/web:1": repository can only contain')
    with pytest.raises(ValueError, match="has no tag"):
        gitops_sdk.update_setters(tmp_path, {"ns:web": "ghcr.io/org/web"})
    with pytest.raises(gitops_sdk.SetterError) as missing:
        gitops_sdk.update_setters(tmp_path / "gone", POLICIES)
    assert missing.value.kind == "io" and missing.value.file == str(tmp_path / "gone")
    assert isinstance(missing.value, gitops_sdk.GitopsError)


PRODUCTION = EXAMPLES / "clusters" / "production"


def test_plan_apply_diff_cluster(tmp_path: Path) -> None:
    live = tmp_path / "live"
    rendered = gitops_sdk.render_cluster(PRODUCTION)
    counts = {f"{k['namespace']}/{k['name']}": len(k["objects"]) for k in rendered["kustomizations"]}
    planned = gitops_sdk.plan_cluster(PRODUCTION, live)
    # Every rendered Kustomization, in dependency order, everything to create.
    assert sorted(p["kustomization"] for p in planned) == sorted(counts)
    assert planned[0]["kustomization"] == "flux-system/flux-system"
    for p in planned:
        assert len(p["entries"]) == counts[p["kustomization"]]
        assert all(e["action"] == "created" for e in p["entries"])
        assert p["changes"] == p["change_set"] == "\n".join(f"{e['subject']} created" for e in p["entries"])
    assert not any(live.iterdir()) if live.exists() else True, "plan writes nothing"
    assert gitops_sdk.apply_cluster(PRODUCTION, live, dry_run=True) == planned
    assert not live.exists() or not any(live.iterdir()), "dry_run writes nothing"

    diffs = gitops_sdk.diff_cluster(PRODUCTION, live)
    assert [d["subject"] for d in diffs] == [e["subject"] for p in planned for e in p["entries"]]
    first = diffs[0]
    assert first["action"] == "created" and first["changes"][0]["path"] == ""
    assert first["changes"][0]["before"] is None and first["changes"][0]["after"]["kind"]
    assert first["unified"].startswith("--- /dev/null\n")

    applied = gitops_sdk.apply_cluster(PRODUCTION, live)
    assert applied == planned
    again = gitops_sdk.plan_cluster(PRODUCTION, live)
    assert all(p["changes"] == "" for p in again)
    assert all(e["action"] == "unchanged" for p in again for e in p["entries"])
    assert gitops_sdk.diff_cluster(PRODUCTION, live) == []


def _write_cycle_cluster(root: Path) -> Path:
    cluster = root / "clusters" / "c"
    cluster.mkdir(parents=True)
    docs = []
    for name, dep in (("a", "b"), ("b", "a")):
        docs.append(
            "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
            f"metadata: {{name: {name}, namespace: flux-system}}\n"
            f"spec: {{interval: 1m, path: ./{name}, prune: true, dependsOn: [{{name: {dep}}}],"
            " sourceRef: {kind: GitRepository, name: flux-system}}\n"
        )
        (root / name).mkdir()
        (root / name / "cm.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}, namespace: apps}}\n")
    (cluster / "sync.yaml").write_text("---\n".join(docs))
    return cluster


def test_cluster_workflow_errors(tmp_path: Path) -> None:
    with pytest.raises(gitops_sdk.RenderError) as render:
        gitops_sdk.plan_cluster(tmp_path / "nope", tmp_path / "live")
    assert render.value.kind == "cluster_path"
    cluster = _write_cycle_cluster(tmp_path)
    for call in (gitops_sdk.plan_cluster, gitops_sdk.apply_cluster, gitops_sdk.diff_cluster):
        with pytest.raises(gitops_sdk.DependencyCycleError) as cycle:
            call(cluster, tmp_path / "live", root=tmp_path)
        assert str(cycle.value).startswith("circular dependency detected: flux-system/")
        assert cycle.value.kind == "cycle"
