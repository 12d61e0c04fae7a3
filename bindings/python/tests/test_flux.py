"""substitute, dependency_order/waves, health, diff, plan: the Rust results, converted."""

import copy
from pathlib import Path
from typing import Any

import pytest

import gitops_sdk
from conftest import EXAMPLES

CM: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "app"},
    "data": {"replicas": "${replicas}", "greeting": "hi ${name:=world}"},
}


def test_substitute_resource() -> None:
    out = gitops_sdk.substitute(CM, {"replicas": "3"})
    assert out["data"] == {"replicas": 3, "greeting": "hi world"}
    assert CM["data"]["replicas"] == "${replicas}", "input is not modified"


def test_substitute_strict_error_is_flux_text() -> None:
    with pytest.raises(gitops_sdk.SubstitutionError) as info:
        gitops_sdk.substitute(CM, {"x": "1"})
    assert str(info.value) == (
        "post build failed for 'ConfigMap.v1.[noGrp]/app': envsubst error: variable substitution "
        "failed: variable not set (strict mode): \"replicas\""
    )
    assert info.value.kind == "post_build"
    assert isinstance(info.value, gitops_sdk.GitopsError)


def test_substitute_strategy_and_non_strict() -> None:
    # WithVariables and no variables: untouched; Always: substituted (defaults apply).
    assert gitops_sdk.substitute(CM, {}, strict=False) == CM
    out = gitops_sdk.substitute(CM, {}, strict=False, strategy="Always")
    assert out["data"]["greeting"] == "hi world"
    with pytest.raises(ValueError, match="illegal substituteStrategy Sometimes"):
        gitops_sdk.substitute(CM, {}, strategy="Sometimes")  # type: ignore[arg-type]


def test_substitute_text() -> None:
    assert gitops_sdk.substitute_text("a ${b} ${c:-d}", {"b": "B"}) == "a B d"
    with pytest.raises(gitops_sdk.SubstitutionError, match=r'variable not set \(strict mode\): "b"'):
        gitops_sdk.substitute_text("a ${b}", {})


def _ks(name: str, *deps: str) -> dict[str, Any]:
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": name, "namespace": "ns"},
        "spec": {"dependsOn": [{"name": d} for d in deps]},
    }


def test_dependency_order_and_waves() -> None:
    objs = [_ks("apps", "infra", "config"), _ks("config", "infra"), _ks("infra")]
    order = gitops_sdk.dependency_order(objs)
    assert [i["name"] for i in order] == ["infra", "config", "apps"]
    assert order[0] == {"kind": "Kustomization", "namespace": "ns", "name": "infra"}
    waves = gitops_sdk.dependency_waves(objs)
    assert [[i["name"] for i in w] for w in waves] == [["infra"], ["config"], ["apps"]]


def test_dependency_cycle_and_missing() -> None:
    with pytest.raises(gitops_sdk.DependencyCycleError) as info:
        gitops_sdk.dependency_order([_ks("a", "b"), _ks("b", "c"), _ks("c", "b")])
    assert str(info.value) == "circular dependency detected: ns/a -> ns/b -> ns/c -> ns/b" or str(
        info.value
    ).startswith("circular dependency detected: ")
    assert isinstance(info.value, gitops_sdk.DependencyError)
    with pytest.raises(gitops_sdk.DependencyError) as missing:
        gitops_sdk.dependency_order([_ks("a", "gone")])
    assert str(missing.value) == "Kustomization ns/a depends on ns/gone, which does not exist"
    assert not isinstance(missing.value, gitops_sdk.DependencyCycleError)


def test_cluster_kustomizations_from_examples_are_ordered() -> None:
    objs = gitops_sdk.build(EXAMPLES / "clusters" / "production")
    order = gitops_sdk.dependency_order(objs)
    assert order, "the production cluster has Flux Kustomizations"
    assert all(i["kind"] in ("Kustomization", "HelmRelease") for i in order)


def test_health() -> None:
    deploy = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "generation": 1},
        "spec": {"replicas": 3},
        "status": {"observedGeneration": 1, "replicas": 3, "updatedReplicas": 1},
    }
    assert gitops_sdk.health(deploy) == {"status": "InProgress", "message": "Updated: 1/3"}
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
    assert gitops_sdk.health(cm) == {"status": "Current", "message": "Resource is always ready"}


def test_diff_and_unified() -> None:
    desired: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c", "namespace": "d"},
        "data": {"a": "1"},
    }
    live = copy.deepcopy(desired)
    live["metadata"]["resourceVersion"] = "7"
    live["status"] = {"x": 1}
    assert gitops_sdk.diff(desired, live) == []
    live["data"]["a"] = "2"
    assert gitops_sdk.diff(desired, live) == [{"path": "/data/a", "before": "2", "after": "1"}]
    text = gitops_sdk.unified_diff(desired, live)
    assert "-  a: \"2\"" in text or "-  a: '2'" in text or '-  a: "2"' in text
    assert gitops_sdk.diff(desired, live, ignore=[{"paths": ["/data"]}]) == []
    with pytest.raises(gitops_sdk.DiffError):
        gitops_sdk.diff(desired, live, ignore=[{"paths": ["data"]}])


def test_diff_masks_secrets() -> None:
    desired: dict[str, Any] = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"k": "bmV3"}}
    live = copy.deepcopy(desired)
    live["data"]["k"] = "b2xk"
    changes = gitops_sdk.diff(desired, live)
    assert changes and "bmV3" not in repr(changes) and "b2xk" not in repr(changes)
    assert "bmV3" not in gitops_sdk.unified_diff(desired, live)


def test_plan_against_empty_and_live_dir(tmp_path: Path) -> None:
    objects = gitops_sdk.build(EXAMPLES / "apps" / "web" / "overlays" / "production")
    p = gitops_sdk.plan(objects, owner=("web", "flux-system"))
    assert p["apply"] and all(s["action"] == "created" for s in p["apply"])
    assert p["changes"].splitlines() == [f"{s['subject']} created" for s in p["apply"]]
    assert [i for i, _ in p["inventory"]] == [s["id"] for s in p["apply"]]
    first = p["apply"][0]["object"]["metadata"]["labels"]
    assert first["kustomize.toolkit.fluxcd.io/name"] == "web"
    # A live directory that already holds one object unchanged, and an old inventory
    # entry that is no longer desired.
    stale = ("flux-system_old_apps_Deployment", "v1")
    p2 = gitops_sdk.plan(objects, live_dir=tmp_path, previous_inventory=[stale], owner=("web", "flux-system"))
    assert [e["id"] for e in p2["prune"]] == ["flux-system_old_apps_Deployment"]
    assert p2["prune"][0]["action"] == "deleted"


def test_plan_errors() -> None:
    with pytest.raises(gitops_sdk.PlanError) as info:
        gitops_sdk.plan([{"kind": "ConfigMap"}])
    assert str(info.value) == "object 0: failed to decode Kubernetes apiVersion, kind and name"
    assert info.value.kind == "not_an_object"
    with pytest.raises(gitops_sdk.PlanError, match="previous inventory is invalid"):
        gitops_sdk.plan([], previous_inventory=[("nounderscores", "v1")])


def test_values_convert_both_ways() -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "t"}, "data": {"a": "x"},
           "x": [1, 2.5, True, None, "s", {"n": 2**63}], "t": (1, 2)}
    out = gitops_sdk.substitute(obj, {}, strict=False)
    assert out["x"] == [1, 2.5, True, None, "s", {"n": 2**63}]
    assert out["t"] == [1, 2]
    with pytest.raises(TypeError):
        gitops_sdk.health({"a": object()})
    with pytest.raises(TypeError):
        gitops_sdk.health({1: "a"})  # type: ignore[dict-item]
    deep: Any = "leaf"
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(ValueError, match="nested too deeply"):
        gitops_sdk.health({"x": deep})


def test_render_cluster_production() -> None:
    out = gitops_sdk.render_cluster(EXAMPLES / "clusters" / "production")
    names = [(k["namespace"], k["name"]) for k in out["kustomizations"]]
    assert names[0] == ("flux-system", "flux-system")
    assert ("flux-system", "web") in names
    web = next(k for k in out["kustomizations"] if k["name"] == "web")
    assert web["path"] == "./apps/web/overlays/production"
    assert web["parent"] == "flux-system/flux-system"
    assert {"name": "podinfo", "namespace": "flux-system"} in web["depends_on"]
    # post-build: owner labels on every object
    for obj in web["objects"]:
        assert obj["metadata"]["labels"]["kustomize.toolkit.fluxcd.io/name"] == "web"
    assert out["skipped"] == []
    assert out["root"] == str(EXAMPLES)


def test_render_cluster_errors() -> None:
    with pytest.raises(gitops_sdk.RenderError) as info:
        gitops_sdk.render_cluster("/definitely/not/here")
    assert str(info.value) == "cluster path '/definitely/not/here' is not a directory"
    assert info.value.kind == "cluster_path"
    assert info.value.file == "/definitely/not/here"


def test_select_image_tag() -> None:
    policy = {
        "apiVersion": "image.toolkit.fluxcd.io/v1beta2",
        "kind": "ImagePolicy",
        "spec": {"policy": {"semver": {"range": ">=1.0.0"}}},
    }
    assert gitops_sdk.select_image_tag(policy, ["1.0.0", "1.2.0", "0.9", "2.0.0-rc1"]) == "1.2.0"
    numerical = {
        "apiVersion": "image.toolkit.fluxcd.io/v1beta2",
        "kind": "ImagePolicy",
        "spec": {"policy": {"numerical": {"order": "desc"}}},
    }
    assert gitops_sdk.select_image_tag(numerical, ["3", "1.5", "2"]) == "1.5"
    with pytest.raises(gitops_sdk.ImagePolicyError) as info:
        gitops_sdk.select_image_tag({"kind": "X"}, ["1"])
    assert str(info.value) == 'not an ImagePolicy: apiVersion "", kind "X"'
