"""ResourceSets, latest images and promotion: the Rust results, converted."""

import shutil
from pathlib import Path
from typing import Any

import pytest

import gitops_sdk
from conftest import EXAMPLES

RESOURCESET = """\
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: {name: apps, namespace: flux-system}
spec:
  inputsFrom:
  - kind: ResourceSetInputProvider
    name: tenants
  resources:
  - apiVersion: v1
    kind: Namespace
    metadata:
      name: "<< inputs.tenant >>"
      labels: {replicas: '<< get inputs "replicas" | default 1 >>'}
"""


def test_render_resourceset_with_provided_inputs() -> None:
    provided: dict[str, list[dict[str, Any]]] = {"tenants": [{"tenant": "team1", "replicas": 2}, {"tenant": "team2"}]}
    out = gitops_sdk.render_resourceset(RESOURCESET, provided)
    assert [o["metadata"]["name"] for o in out] == ["team1", "team2"]
    # Each resources item goes JSON -> YAML -> template -> YAML, so the label is an int.
    assert [o["metadata"]["labels"]["replicas"] for o in out] == [2, 1]
    assert out[0]["kind"] == "Namespace"


def test_render_resourceset_static_provider_in_the_text() -> None:
    static = """
---
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSetInputProvider
metadata: {name: tenants, namespace: flux-system}
spec:
  type: Static
  defaultValues: {tenant: solo}
"""
    out = gitops_sdk.render_resourceset(RESOURCESET + static)
    assert [o["metadata"]["name"] for o in out] == ["solo"]


def test_render_resourceset_errors() -> None:
    with pytest.raises(gitops_sdk.ResourceSetError) as info:
        gitops_sdk.render_resourceset(RESOURCESET)
    assert isinstance(info.value, gitops_sdk.GitopsError)
    assert info.value.kind == "provider_unavailable"
    assert str(info.value) == (
        "ResourceSet 'flux-system/apps': inputs of ResourceSetInputProvider "
        "'flux-system/tenants' are not available offline"
    )
    with pytest.raises(gitops_sdk.ResourceSetError) as info:
        gitops_sdk.render_resourceset(RESOURCESET, {"tenants": [{"replicas": 1}]})
    assert info.value.kind == "build"
    assert 'map has no entry for key "tenant"' in str(info.value)
    with pytest.raises(ValueError, match="exactly one ResourceSet, got 0"):
        gitops_sdk.render_resourceset("")
    with pytest.raises(ValueError, match='got kind "ConfigMap"'):
        gitops_sdk.render_resourceset("kind: ConfigMap\n")


def test_render_resourceset_template() -> None:
    text = "name: << inputs.tenant | upper >>-<< add inputs.replicas 1 >>"
    assert gitops_sdk.render_resourceset_template(text, {"tenant": "team1", "replicas": 2}) == "name: TEAM1-3"
    assert gitops_sdk.render_resourceset_template("plain") == "plain"
    with pytest.raises(gitops_sdk.ResourceSetError) as info:
        gitops_sdk.render_resourceset_template("<< inputs.missing >>", {"a": 1})
    assert str(info.value) == (
        'template: resourceset:1:3: executing "resourceset" at <inputs>: map has no entry for key "missing"'
    )
    assert (info.value.kind, info.value.line) == ("template_exec", 1)


AUTOMATION = (EXAMPLES / "clusters" / "staging" / "image-automation.yaml").read_text()
PODINFO = "ghcr.io/stefanprodan/podinfo"


def test_latest_images_from_examples() -> None:
    tags = {PODINFO: ["v1.2.3", "v1.3.0", "v2.0.0-rc.1", "latest", "v1.3.0.sig"]}
    assert gitops_sdk.latest_images(AUTOMATION, tags) == [
        {"policy": "flux-system:podinfo-staging", "image": PODINFO, "tag": "v1.3.0", "candidates": 4}
    ]


def test_latest_images_default_namespace_and_errors() -> None:
    no_ns = AUTOMATION.replace("  namespace: flux-system\n", "")
    out = gitops_sdk.latest_images(no_ns, {PODINFO: ["v1.0.0"]}, default_namespace="apps")
    assert [(i["policy"], i["tag"]) for i in out] == [("apps:podinfo-staging", "v1.0.0")]
    with pytest.raises(gitops_sdk.ImagePolicyError) as info:
        gitops_sdk.latest_images(AUTOMATION, {})
    assert info.value.kind == "tags"
    assert str(info.value) == (
        f"ImageRepository flux-system/podinfo ({PODINFO}): no tags given for this image"
    )
    with pytest.raises(gitops_sdk.ImagePolicyError) as info:
        gitops_sdk.latest_images(AUTOMATION, {PODINFO: ["latest"]})
    assert (info.value.kind, str(info.value)) == (
        "empty",
        "ImagePolicy flux-system/podinfo-staging: version list argument cannot be empty",
    )


def fleet(tmp_path: Path) -> Path:
    root = tmp_path / "fleet"
    shutil.copytree(EXAMPLES, root)
    overlay = root / "apps" / "podinfo" / "overlays" / "staging" / "kustomization.yaml"
    overlay.write_text(overlay.read_text().replace("newTag: v1.2.3 #", "newTag: v1.3.0 #"))
    return root


def test_promote_staging_to_production(tmp_path: Path) -> None:
    root = fleet(tmp_path)
    target = root / "apps" / "podinfo" / "overlays" / "production" / "kustomization.yaml"
    before = target.read_text()
    p = gitops_sdk.promote(root, "staging", "production", "podinfo")
    assert p["changes"] == [
        {
            "what": "image",
            "object": "Deployment/podinfo container podinfod",
            "old": f"{PODINFO}:v1.2.3",
            "new": f"{PODINFO}:v1.3.0",
            "file": "apps/podinfo/overlays/production/kustomization.yaml",
            "line": 13,
        }
    ]
    [edit] = p["edits"]
    assert edit["path"] == "apps/podinfo/overlays/production/kustomization.yaml"
    assert edit["old"] == before
    assert edit["new"] == before.replace("newTag: v1.2.3", "newTag: v1.3.0")
    assert "-  newTag: v1.2.3\n+  newTag: v1.3.0\n" in p["diff"]
    assert p["branch"] == "promote-podinfo-production-v1.3.0"
    assert target.read_text() == before, "promote writes nothing"
    with pytest.raises(gitops_sdk.PromoteError) as info:
        gitops_sdk.promote(str(root), "production", "production", "web", clusters="clusters")
    assert (info.value.kind, str(info.value)) == ("same_env", "--from and --to are both 'production'")


def test_promote_nothing_to_do_and_errors(tmp_path: Path) -> None:
    p = gitops_sdk.promote(EXAMPLES, "staging", "production", "web", values=[])
    assert (p["changes"], p["edits"], p["diff"]) == ([], [], "")
    with pytest.raises(gitops_sdk.PromoteError) as info:
        gitops_sdk.promote(EXAMPLES, "staging", "nowhere", "web")
    assert info.value.kind == "unknown_env"
    assert str(info.value).startswith("unknown environment 'nowhere' (environments under ")
    with pytest.raises(gitops_sdk.PromoteError) as info:
        gitops_sdk.promote(EXAMPLES, "staging", "production", "web", values=["Deployment/web"])
    assert (info.value.kind, str(info.value)) == (
        "value_spec",
        "invalid value 'Deployment/web': expected Kind/name:/json/pointer",
    )
    with pytest.raises(gitops_sdk.PromoteError) as info:
        gitops_sdk.promote(EXAMPLES, "staging", "production", "nothing")
    assert info.value.kind == "unknown_app"
