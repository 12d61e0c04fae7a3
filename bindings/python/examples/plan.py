"""Render a cluster from examples/ and print its plan (docs/python.md).

    python bindings/python/examples/plan.py examples/clusters/production

Builds the cluster directory, orders its Flux Kustomizations by dependsOn, builds each
one's `spec.path` (relative to the root of the cluster's own GitRepository, the
directory above clusters/), applies its postBuild variables and prints Flux's apply
plan of its objects against an empty cluster.
"""

import sys
from pathlib import Path

import gitops_sdk


def main(cluster: str) -> int:
    # The cluster's own GitRepository checkout: clusters/<name> sits at its root.
    repo = Path(cluster).resolve().parent.parent
    flux_objects = gitops_sdk.build(cluster)
    kustomizations = {
        (o["metadata"].get("namespace", ""), o["metadata"]["name"]): o
        for o in flux_objects
        if o["kind"] == "Kustomization" and o["apiVersion"].startswith("kustomize.toolkit.fluxcd.io/")
    }
    try:
        order = gitops_sdk.dependency_order(flux_objects)
    except gitops_sdk.DependencyError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for node in order:
        ks = kustomizations.get((node["namespace"], node["name"]))
        if ks is None:
            continue
        path = repo / ks["spec"].get("path", ".")
        try:
            objects = gitops_sdk.build(path)
        except gitops_sdk.KustomizeError as err:
            print(f"# {node['namespace']}/{node['name']}: {err}")
            continue
        variables = ks["spec"].get("postBuild", {}).get("substitute", {})
        objects = [gitops_sdk.substitute(o, variables, strict=False) for o in objects]
        plan = gitops_sdk.plan(objects, owner=(node["name"], node["namespace"]))
        print(f"# Kustomization {node['namespace']}/{node['name']} ({ks['spec'].get('path')})")
        for step in plan["apply"]:
            print(f"{step['stage']:<12} {step['subject']} {step['action']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "examples/clusters/production"))
