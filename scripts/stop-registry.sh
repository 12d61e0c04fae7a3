#!/usr/bin/env bash
# Stop a registry started by scripts/start-registry.sh and remove its directory.
#
#   bash scripts/stop-registry.sh DIR
set -euo pipefail
dir=${1:?usage: stop-registry.sh DIR}
if [ -f "$dir/registry.pid" ]; then
    pid=$(cat "$dir/registry.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
fi
rm -rf "$dir"
