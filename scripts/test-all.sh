#!/usr/bin/env bash
# Run every test of the project. This is the one command to use locally and in CI.
#
#   bash scripts/test-all.sh
#
# Hermetic for Rust: needs only cargo (no network after the crates are fetched, no
# kustomize; the differential goldens are committed under tests/fixtures/). The bindings'
# tests also need python3, node and npm, and PyPI/npm on their first run.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust: cargo test --workspace"
# --no-fail-fast: report every failing test binary, not just the first.
cargo test --workspace --no-fail-fast
cargo test -p gitops-core --features notify-send --no-fail-fast notify  # the optional notification sender

# == Python and Node bindings (bindings/python, bindings/node): pip install into
# bindings/python/.venv, pytest, mypy --strict, stubtest; npm install, npm run build,
# npm test. Needs python3 >= 3.10, node >= 20 and npm. SKIP_BINDINGS=1 skips them.
if [ "${SKIP_BINDINGS:-0}" = 1 ]; then
  echo "== bindings: skipped (SKIP_BINDINGS=1)"
else
  bash scripts/test-bindings.sh
fi

echo "== all tests passed"
