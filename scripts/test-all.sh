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
cargo test -p gitops-tests --features git --no-fail-fast --test git_source --test git_writeback --test rollback_examples --test artifact_revision
cargo test -p gitops-tests --features git --no-fail-fast --test promote_git  # promotion committed on a branch, rendered at it
cargo test -p gitops-tests --features pgp --no-fail-fast --test verify_signatures  # OpenPGP commit/tag verification (needs gpg, else skipped)
# ResourceSet template goldens against the Go oracle (needs Go and the module proxy): CHECK_GOLDENS=1.
if [ "${CHECK_GOLDENS:-0}" = 1 ]; then python3 scripts/gen-resourceset-cases.py --check; fi

# The OCI registry client (feature `oci`): unit tests, then real registries on 127.0.0.1
# (scripts/registry-tests.sh: Debian's docker-registry anonymous / basic auth / token auth
# with the test token issuer, and the upstream registry v3 for paging; all stopped on
# exit). Skipped with a message only when the Debian package cannot be installed.
cargo test -p gitops-core --features oci --no-fail-fast --lib registry
bash scripts/registry-tests.sh

# == Python and Node bindings (bindings/python, bindings/node): pip install into
# bindings/python/.venv, pytest, mypy --strict, stubtest; npm install, npm run build,
# npm test. Needs python3 >= 3.10, node >= 20 and npm. SKIP_BINDINGS=1 skips them.
if [ "${SKIP_BINDINGS:-0}" = 1 ]; then
  echo "== bindings: skipped (SKIP_BINDINGS=1)"
else
  bash scripts/test-bindings.sh
fi

echo "== all tests passed"
