#!/usr/bin/env bash
# Install the reference kustomize (v5.8.1) into .tools/kustomize with the ordinary Go client.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
version=v5.8.1
mkdir -p "$here/.tools"
if [ -x "$here/.tools/kustomize" ] && "$here/.tools/kustomize" version 2>/dev/null | grep -q "$version"; then
  echo "$here/.tools/kustomize"; exit 0
fi
GOBIN="$here/.tools" go install "sigs.k8s.io/kustomize/kustomize/v5@$version"
"$here/.tools/kustomize" version >&2
echo "$here/.tools/kustomize"
