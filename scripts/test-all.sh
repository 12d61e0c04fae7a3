#!/usr/bin/env bash
# Run every test of the project. This is the one command to use locally and in CI.
#
#   bash scripts/test-all.sh
#
# Hermetic: needs only cargo (no network after the crates are fetched, no
# kustomize; the differential goldens are committed under tests/fixtures/).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust: cargo test --workspace"
# --no-fail-fast: report every failing test binary, not just the first.
cargo test --workspace --no-fail-fast
cargo test -p gitops-core --features notify-send --no-fail-fast notify  # the optional notification sender
cargo test -p gitops-tests --features pgp --no-fail-fast --test verify_signatures  # OpenPGP commit/tag verification (needs gpg, else skipped)

# == Python tests (to be added): the Python bindings' test suite goes here, e.g.
#   python3 -m pytest -q python/tests

# == Node tests (to be added): the Node bindings' test suite goes here, e.g.
#   (cd node && npm test)

echo "== all tests passed"
