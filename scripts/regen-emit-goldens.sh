#!/usr/bin/env bash
# Regenerate the emitter's differential goldens (gitops-core/tests/data/emit/cases.jsonl):
# JSON inputs from scripts/gen-emit-cases.py, outputs from the Go oracle (go-yaml v2 via
# sigs.k8s.io/yaml.JSONToYAML, exactly what `kustomize build` prints).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
oracle="${ORACLE:-$root/.tools/oracle}"
if [ ! -x "$oracle" ]; then
  if [ -x /work/main/.tools/oracle ] && [ -z "${ORACLE:-}" ]; then
    oracle=/work/main/.tools/oracle
  else
    bash "$root/scripts/build-oracle.sh"
  fi
fi
out="$root/gitops-core/tests/data/emit"
mkdir -p "$out"
python3 "$root/scripts/gen-emit-cases.py" > "$out/.inputs.json"
python3 - "$oracle" "$out/.inputs.json" "$out/cases.jsonl" <<'PY'
import json, subprocess, sys
oracle, src, dst = sys.argv[1:]
cases = json.load(open(src, encoding="utf-8"))
data = "\0".join(cases).encode("utf-8")
res = subprocess.run([oracle, "emit"], input=data, capture_output=True, check=True).stdout
outs = res.split(b"\0")
assert len(outs) == len(cases), (len(outs), len(cases))
with open(dst, "w", encoding="utf-8") as f:
    for c, o in zip(cases, outs):
        f.write(json.dumps({"input": c, "output": o.decode("utf-8")}, ensure_ascii=False) + "\n")
print(f"{len(cases)} cases -> {dst}")
PY
rm -f "$out/.inputs.json"
