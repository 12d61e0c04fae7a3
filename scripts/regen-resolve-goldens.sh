#!/bin/sh
# Regenerate the resolver's differential goldens (gitops-core/tests/data/resolve/) with the
# Go oracle: tojson-v2 (sigs.k8s.io/yaml.YAMLToJSON) and tojson-v3 (kyaml RNode.MarshalJSON).
# Needs .tools/oracle (see scripts/oracle); `cargo test` only reads the committed files.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
oracle=${ORACLE:-$root/.tools/oracle}
[ -x "$oracle" ] || oracle=/work/main/.tools/oracle
out=$root/gitops-core/tests/data/resolve
mkdir -p "$out"
python3 "$root/scripts/gen-resolve-cases.py" "$out/cases.yaml0"
"$oracle" tojson-v2 < "$out/cases.yaml0" > "$out/tojson-v2.out0"
"$oracle" tojson-v3 < "$out/cases.yaml0" > "$out/tojson-v3.out0"
echo "wrote $out"
