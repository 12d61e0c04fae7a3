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
# Git sources and write-back (feature `git`; the tests create fixture repositories with the git binary)
cargo test -p gitops-core --features git --no-fail-fast --lib git::
cargo test -p gitops-tests --features git --no-fail-fast --test git_source --test git_writeback --test artifact_revision
cargo test -p gitops-tests --features pgp --no-fail-fast --test verify_signatures  # OpenPGP commit/tag verification (needs gpg, else skipped)

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

# == Python and Node bindings (bindings/python, bindings/node): pip install into
# bindings/python/.venv, pytest, mypy --strict, stubtest; npm install, npm run build,
# npm test. Needs python3 >= 3.10, node >= 20 and npm. SKIP_BINDINGS=1 skips them.
if [ "${SKIP_BINDINGS:-0}" = 1 ]; then
  echo "== bindings: skipped (SKIP_BINDINGS=1)"
else
  bash scripts/test-bindings.sh
fi

echo "== all tests passed"
