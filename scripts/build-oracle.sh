#!/usr/bin/env bash
# Build the Go oracle (scripts/oracle) into .tools/oracle. It links the same go-yaml v2,
# kyaml and sigs.k8s.io/yaml that kustomize v5.8.1 uses, so our YAML layer can be
# compared with them case by case. Needs Go; modules come from the Go module proxy.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$here/.tools"
cd "$here/scripts/oracle"
go build -o "$here/.tools/oracle" .
echo "$here/.tools/oracle"
