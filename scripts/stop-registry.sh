#!/usr/bin/env bash
# Stop a registry started by scripts/start-registry.sh (or a token issuer started by
# scripts/start-token-issuer.sh) and remove its directory.
#
#   bash scripts/stop-registry.sh DIR
set -euo pipefail
dir=${1:?usage: stop-registry.sh DIR}
for pidfile in "$dir/registry.pid" "$dir/issuer.pid"; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
done
rm -rf "$dir"
