#!/bin/sh
# Regenerate gitops-core/tests/data/goyaml-suite/: every yaml-test-suite input
# (gitops-core/tests/data/yaml-test-suite/**/in.yaml, in path order) read by the Go oracle's
# tojson-v3 (kyaml: one go-yaml v3 Decode + RNode.MarshalJSON). The test
# gitops-core/tests/goyaml_suite.rs compares our GoYamlV3 dialect + Kyaml resolution with it.
# Needs .tools/oracle (see scripts/oracle); `cargo test` only reads the committed files.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
oracle=${ORACLE:-$root/.tools/oracle}
[ -x "$oracle" ] || oracle=/work/main/.tools/oracle
suite=$root/gitops-core/tests/data/yaml-test-suite
out=$root/gitops-core/tests/data/goyaml-suite
mkdir -p "$out"
(cd "$suite" && find . -name in.yaml | sed 's#^\./##; s#/in.yaml$##' | LC_ALL=C sort) > "$out/names.txt"
while read -r n; do cat "$suite/$n/in.yaml"; printf '\0'; done < "$out/names.txt" \
  | "$oracle" tojson-v3 > "$out/tojson-v3.out0"
echo "wrote $out"
