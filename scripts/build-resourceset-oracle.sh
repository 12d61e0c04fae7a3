#!/usr/bin/env bash
# Build the ResourceSet template oracle (scripts/resourceset-oracle) into
# .tools/resourceset-oracle: Go's text/template with slim-sprig v3, gosimple/slug and
# sigs.k8s.io/yaml, configured as flux-operator configures it. Needs Go; modules come
# from the Go module proxy (versions pinned in its go.mod).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$here/.tools"
cd "$here/scripts/resourceset-oracle"
go build -o "$here/.tools/resourceset-oracle" .
echo "$here/.tools/resourceset-oracle"
