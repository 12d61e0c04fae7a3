#!/usr/bin/env bash
# Build and test the language bindings the way a new user installs them:
#
#   bash scripts/test-bindings.sh [python|node|all]   (default: all)
#
# Python: a venv in bindings/python/.venv, `pip install ./bindings/python` (PEP 517:
# pip fetches maturin 1.16.0 and makes a release build of the abi3 wheel), then pytest,
# mypy --strict (package + tests), stubtest, and the docs/python.md example.
# Node: `npm install`, `npm run build` (napi build --release; regenerates index.d.ts,
# which must equal the committed one), `npm test` (node --test), the docs/node.md example.
# Needs python3 (>= 3.10), node (>= 20) and npm, plus network access to PyPI, npm and
# the crates registry on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}

python_bindings() {
  echo "== Python bindings (bindings/python)"
  local venv=bindings/python/.venv
  [ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check pytest==9.2.0 mypy==2.4.1
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps ./bindings/python
  (
    cd bindings/python
    .venv/bin/python -m pytest -q tests
    .venv/bin/python -m mypy --strict python/gitops_sdk tests examples
    .venv/bin/python -m mypy.stubtest --allowlist stubtest-allowlist.txt gitops_sdk
  )
  # The docs example, run from the repository root as docs/python.md says.
  "$venv/bin/python" bindings/python/examples/plan.py examples/clusters/production >/dev/null
}

node_bindings() {
  echo "== Node bindings (bindings/node)"
  (
    cd bindings/node
    npm install --no-audit --no-fund --loglevel=error
    npm run build
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && ! git diff --exit-code -- index.d.ts binding.js; then
      echo "bindings/node/index.d.ts or binding.js differs from what napi build generates; commit it" >&2
      exit 1
    fi
    npm test
  )
  node bindings/node/examples/plan.js examples/clusters/production >/dev/null
}

case "$what" in
  python) python_bindings ;;
  node) node_bindings ;;
  all) python_bindings; node_bindings ;;
  *) echo "usage: $0 [python|node|all]" >&2; exit 2 ;;
esac
echo "== bindings tests passed ($what)"
