#!/usr/bin/env bash
# Build scripts/image-bench-go into .tools/image-bench-go: Flux's image policy selection
# (Masterminds/semver v3, Go regexp) and setters (kyaml) for `gitops-bench images --go`.
# Needs Go; modules come from the Go module proxy (versions pinned in its go.mod/go.sum).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$here/.tools"
cd "$here/scripts/image-bench-go"
go build -o "$here/.tools/image-bench-go" .
echo "$here/.tools/image-bench-go"
