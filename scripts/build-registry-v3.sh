#!/usr/bin/env bash
# Build the upstream registry server, distribution v3 (pinned below), into .tools/ for the
# registry pagination tests: Debian's docker-registry (distribution 2.8) ignores `n` on
# /v2/<name>/tags/list and never sends a `Link` header, distribution v3 paginates.
#
#   BIN=$(bash scripts/build-registry-v3.sh)    # prints the binary's path
#
# Needs `go` (>= the version distribution's go.mod names) and the Go module proxy on the
# first run; later runs reuse the binary (.tools/registry-<version>/registry).
# Prints the path on stdout; progress and the build time go to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${DISTRIBUTION_VERSION:-v3.1.2}
dir=.tools/registry-$version
bin=$dir/registry
if [ -x "$bin" ]; then
    echo "$PWD/$bin"
    exit 0
fi
command -v go >/dev/null 2>&1 || { echo "go is not installed: cannot build distribution $version" >&2; exit 2; }
mkdir -p "$dir"
start=$(date +%s)
echo "building github.com/distribution/distribution/v3/cmd/registry@$version into $dir" >&2
GOBIN="$PWD/$dir.tmp" GOFLAGS=-mod=mod CGO_ENABLED=0 \
    go install "github.com/distribution/distribution/v3/cmd/registry@$version" >&2
mv "$dir.tmp/registry" "$bin"
rmdir "$dir.tmp"
echo "built distribution $version in $(( $(date +%s) - start ))s" >&2
echo "$PWD/$bin"
