#!/usr/bin/env bash
# Overhead of the Python and Node bindings against the Rust API on a large kustomization
# (figures: docs/benchmarks.md, "Bindings overhead").
#
#   bash scripts/bench-bindings.sh [SIZES] [ROUNDS] [RUNS]   (default: 1000,3000 8 3)
#
# Needs the bindings built first (bash scripts/test-bindings.sh, or pip install
# ./bindings/python into bindings/python/.venv and npm run build in bindings/node).
# Every side builds the same overlay in-process with the same release profile
# (bindings/Cargo.toml): Rust `build` + `to_yaml`; Python `build_yaml` and `build`
# (dicts); Node `buildYaml` and `build` (objects). The three take turns, ROUNDS times
# RUNS builds each, and the best time of each counts: on a shared machine the minimum
# is the figure least disturbed by other load.
set -euo pipefail
cd "$(dirname "$0")/.."
# The same glibc malloc settings for all three processes: keep freed memory (no trim, no
# per-block mmap), so that no side pays page faults on every build that the others do not
# (a fresh Rust process would, a Python or Node heap full of other objects would not).
export GLIBC_TUNABLES=glibc.malloc.trim_threshold=4294967295:glibc.malloc.mmap_threshold=4294967295:glibc.malloc.top_pad=268435456
sizes=${1:-1000,3000}
rounds=${2:-8}
runs=${3:-3}
py=bindings/python/.venv/bin/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd bindings && cargo build -q --release --example build_bench -p gitops-sdk-bindings-common)
rust=bindings/target/release/examples/build_bench

# The tree of gitops-bench's `build` benchmark: a base of N Deployments and Services,
# an overlay with namespace, namePrefix, commonLabels, commonAnnotations and images.
write_tree() {
  "$py" - "$1" "$2" <<'PY'
import sys, pathlib
root, n = pathlib.Path(sys.argv[1]), int(sys.argv[2])
(root / "base").mkdir(parents=True); (root / "overlay").mkdir()
docs = []
for i in range(n):
    if i % 2 == 0:
        docs.append(f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: app{i}\n  template:\n    metadata:\n      labels:\n        app: app{i}\n    spec:\n      containers:\n      - name: app\n        image: ghcr.io/example/app:v1.0.0\n        ports:\n        - containerPort: 8080\n")
    else:
        docs.append(f"apiVersion: v1\nkind: Service\nmetadata:\n  name: svc{i}\nspec:\n  selector:\n    app: app{i-1}\n  ports:\n  - port: 80\n    targetPort: 8080\n")
(root / "base" / "resources.yaml").write_text("---\n".join(docs))
(root / "base" / "kustomization.yaml").write_text("resources:\n- resources.yaml\n")
(root / "overlay" / "kustomization.yaml").write_text("resources:\n- ../base\nnamespace: production\nnamePrefix: prod-\ncommonLabels:\n  env: production\ncommonAnnotations:\n  team: platform\nimages:\n- name: ghcr.io/example/app\n  newTag: v1.2.3\n")
PY
}

# The per-field minimum of several JSON results.
best() {
  "$py" -c 'import json, sys; rs = [json.loads(a) for a in sys.argv[1:]]; print(json.dumps({k: min(r[k] for r in rs) for k in rs[0]}))' "$@"
}

# One round of each side: prints {"yaml_ms", "objects_ms", "bytes"} (best of $runs).
py_side() {
  "$py" - "$1" "$runs" <<'PY'
import json, sys, time
import gitops_sdk
d, runs = sys.argv[1], int(sys.argv[2])
def cpu():
    with open("/proc/thread-self/schedstat") as f:
        return int(f.read().split()[0]) / 1e6
def best(f):
    w = c = float("inf")
    for _ in range(runs):
        t0, c0 = time.perf_counter(), cpu(); f()
        w, c = min(w, (time.perf_counter() - t0) * 1e3), min(c, cpu() - c0)
    return w, c
yw, yc = best(lambda: gitops_sdk.build_yaml(d))
ow, oc = best(lambda: gitops_sdk.build(d))
print(json.dumps({"yaml_ms": yw, "yaml_cpu": yc, "objects_ms": ow, "objects_cpu": oc,
                  "bytes": len(gitops_sdk.build_yaml(d).encode())}))
PY
}

node_side() {
  node - "$1" "$runs" <<'JS'
const fs = require('node:fs')
const sdk = require('./bindings/node')
const [d, runs] = [process.argv[2], Number(process.argv[3])]
const cpu = () => Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6
const best = (f) => {
  let [w, c] = [Infinity, Infinity]
  for (let i = 0; i < runs; i++) {
    const [t0, c0] = [process.hrtime.bigint(), cpu()]
    f()
    w = Math.min(w, Number(process.hrtime.bigint() - t0) / 1e6)
    c = Math.min(c, cpu() - c0)
  }
  return [w, c]
}
const [yw, yc] = best(() => sdk.buildYaml(d))
const [ow, oc] = best(() => sdk.build(d))
console.log(JSON.stringify({ yaml_ms: yw, yaml_cpu: yc, objects_ms: ow, objects_cpu: oc, bytes: Buffer.byteLength(sdk.buildYaml(d)) }))
JS
}

echo "On-CPU time of the building thread (best of $((rounds * runs))):"
echo
printf '| resources | Rust build+to_yaml | Python build_yaml | ratio | Node buildYaml | ratio | Rust build | Python build (dicts) | ratio | Node build (objects) | ratio |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
IFS=, read -ra ns <<<"$sizes"
for n in "${ns[@]}"; do
  dir="$work/t$n"
  write_tree "$dir" "$n"
  overlay="$dir/overlay"
  rs=() ps=() js=()
  for _ in $(seq "$rounds"); do
    rs+=("$("$rust" "$overlay" "$runs")")
    ps+=("$(py_side "$overlay")")
    js+=("$(node_side "$overlay")")
  done
  "$py" - "$n" "$(best "${rs[@]}")" "$(best "${ps[@]}")" "$(best "${js[@]}")" <<'PY'
import json, sys
n, r, p, j = sys.argv[1], *(json.loads(a) for a in sys.argv[2:])
assert r["bytes"] == p["bytes"] == j["bytes"], "the three printed different output"
f = lambda x: f"{x:,.1f} ms"
q = lambda a, b: f"{a / b:.3f}x"
def row(kind: str) -> str:
    y, o = f"yaml_{kind}", f"objects_{kind}"
    return (f"| {int(n):,} | {f(r[y])} | {f(p[y])} | {q(p[y], r[y])} | {f(j[y])} | {q(j[y], r[y])} "
            f"| {f(r[o])} | {f(p[o])} | {q(p[o], r[o])} | {f(j[o])} | {q(j[o], r[o])} |")
print(row("cpu"))
print(row("ms").replace("| ", "| wall ", 1), file=sys.stderr)
PY
done
