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

# The OCI registry client (feature `oci`): unit tests, then the real registry
# (Debian's docker-registry, installed by start-registry.sh if absent) on 127.0.0.1,
# one anonymous and one with htpasswd basic auth, stopped again on exit.
cargo test -p gitops-core --features oci --no-fail-fast --lib registry
reg_dir=$(mktemp -d)
trap 'bash scripts/stop-registry.sh "$reg_dir/anon"; bash scripts/stop-registry.sh "$reg_dir/auth"; rm -rf "$reg_dir"' EXIT
GITOPS_TEST_REGISTRY=$(bash scripts/start-registry.sh "$reg_dir/anon")
GITOPS_TEST_REGISTRY_AUTH=$(bash scripts/start-registry.sh "$reg_dir/auth" gitops-test registry-pw)
GITOPS_TEST_REGISTRY="$GITOPS_TEST_REGISTRY" GITOPS_TEST_REGISTRY_AUTH="$GITOPS_TEST_REGISTRY_AUTH" \
    GITOPS_TEST_REGISTRY_USER=gitops-test GITOPS_TEST_REGISTRY_PASSWORD=registry-pw \
    cargo test -p gitops-tests --features oci --no-fail-fast --test registry_tags

# == Python tests (to be added): the Python bindings' test suite goes here, e.g.
#   python3 -m pytest -q python/tests

# == Node tests (to be added): the Node bindings' test suite goes here, e.g.
#   (cd node && npm test)

echo "== all tests passed"
