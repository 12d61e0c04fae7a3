"""Render a cluster from examples/ and print its plan (docs/python.md).

    python bindings/python/examples/plan.py examples/clusters/production

Renders the cluster as Flux would (every Kustomization built and post-built), orders the
Kustomizations by dependsOn, and prints Flux's apply plan of each against an empty
cluster.
"""

import sys

import gitops_sdk


def main(path: str) -> int:
    try:
        cluster = gitops_sdk.render_cluster(path)
        rendered = {(k["namespace"], k["name"]): k for k in cluster["kustomizations"]}
        every_object = [o for k in cluster["kustomizations"] for o in k["objects"]]
        order = gitops_sdk.dependency_order(every_object)
    except gitops_sdk.GitopsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for node in order:
        ks = rendered.get((node["namespace"], node["name"]))
        if ks is None:  # a HelmRelease, or a Kustomization that was not rendered
            continue
        plan = gitops_sdk.plan(ks["objects"], owner=(ks["name"], ks["namespace"]))
        print(f"# Kustomization {ks['namespace']}/{ks['name']} ({ks['path']})")
        for step in plan["apply"]:
            print(f"{step['stage']:<12} {step['subject']} {step['action']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "examples/clusters/production"))
