#!/usr/bin/env bash
# Regenerate the emitter's differential goldens (gitops-core/tests/data/emit/*.jsonl):
# JSON inputs from scripts/gen-emit-cases.py, outputs from the Go oracle (go-yaml v2 via
# sigs.k8s.io/yaml.JSONToYAML, exactly what `kustomize build` prints). roundtrip.jsonl:
# JSON documents through `oracle kyaml` (kyaml -> encoding/json -> v2), for json_roundtrip.
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
run_oracle() { # mode generator-arg destination
  python3 "$root/scripts/gen-emit-cases.py" $2 > "$out/.inputs.json"
  python3 - "$oracle" "$1" "$out/.inputs.json" "$3" <<'PY'
import json, subprocess, sys
oracle, mode, src, dst = sys.argv[1:]
cases = json.load(open(src, encoding="utf-8"))
data = "\0".join(cases).encode("utf-8")
runs = [subprocess.run([oracle, mode], input=data, capture_output=True, check=True).stdout
        for _ in range(2)]
if runs[0] != runs[1]:
    sys.exit("oracle output is not deterministic for these cases (key order?)")
outs = runs[0].split(b"\0")
assert len(outs) == len(cases), (len(outs), len(cases))
with open(dst, "w", encoding="utf-8") as f:
    for c, o in zip(cases, outs):
        f.write(json.dumps({"input": c, "output": o.decode("utf-8")}, ensure_ascii=False) + "\n")
print(f"{len(cases)} cases -> {dst}")
PY
  rm -f "$out/.inputs.json"
}
run_oracle emit "" "$out/cases.jsonl"
run_oracle kyaml roundtrip "$out/roundtrip.jsonl"
