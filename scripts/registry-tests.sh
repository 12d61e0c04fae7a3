#!/usr/bin/env bash
# The registry client's tests against real registries on 127.0.0.1 (called by
# scripts/test-all.sh; runnable alone):
#
#   bash scripts/registry-tests.sh
#
# Starts, then stops on exit:
#   * Debian's docker-registry (distribution 2.8.2): anonymous, htpasswd basic auth, and
#     Docker token auth trusting the test token issuer (scripts/start-token-issuer.sh);
#   * the upstream registry v3 (scripts/build-registry-v3.sh, cached in .tools/):
#     anonymous and token auth, for tag-list paging (2.8 does not page).
# Skips (exit 0, with a message) only when the docker-registry package is not installed
# and cannot be installed. Without `go`, the v3 tests are skipped with a message
# (REGISTRY_V3=0 skips them too). Prints how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
user=gitops-test
password=registry-pw

reg_dir=$(mktemp -d)
cleanup() {
    t3=$(date +%s)
    for d in anon auth token v3 v3-token issuer; do
        bash scripts/stop-registry.sh "$reg_dir/$d" &
    done
    wait
    rm -rf "$reg_dir"
    echo "== registry servers stopped in $(( $(date +%s) - t3 ))s" >&2
}
trap cleanup EXIT

status=0
GITOPS_TEST_REGISTRY=$(bash scripts/start-registry.sh "$reg_dir/anon") || status=$?
if [ "$status" = 3 ]; then
    echo "== registry tests: SKIPPED — Debian package docker-registry is not installed and could not be installed (see above)"
    exit 0
elif [ "$status" != 0 ]; then
    exit "$status"
fi
GITOPS_TEST_REGISTRY_AUTH=$(bash scripts/start-registry.sh "$reg_dir/auth" "$user" "$password")
GITOPS_TEST_TOKEN_REALM=$(bash scripts/start-token-issuer.sh "$reg_dir/issuer" "$user" "$password")
GITOPS_TEST_REGISTRY_TOKEN=$(bash scripts/start-registry.sh "$reg_dir/token" --token "$reg_dir/issuer")
GITOPS_TEST_TOKEN_LOG=$reg_dir/issuer/issued.log

GITOPS_TEST_REGISTRY_V3=""
GITOPS_TEST_REGISTRY_V3_TOKEN=""
if [ "${REGISTRY_V3:-1}" = 0 ]; then
    echo "== registry v3 (paging) tests: SKIPPED (REGISTRY_V3=0)"
elif ! command -v go >/dev/null 2>&1; then
    echo "== registry v3 (paging) tests: SKIPPED — go is not installed (needed once to build distribution v3 into .tools/)"
else
    v3=$(bash scripts/build-registry-v3.sh)
    GITOPS_TEST_REGISTRY_V3=$(REGISTRY_BIN=$v3 REGISTRY_MAXTAGS=10 bash scripts/start-registry.sh "$reg_dir/v3")
    GITOPS_TEST_REGISTRY_V3_TOKEN=$(REGISTRY_BIN=$v3 bash scripts/start-registry.sh "$reg_dir/v3-token" --token "$reg_dir/issuer")
fi
t1=$(date +%s)

export GITOPS_TEST_REGISTRY GITOPS_TEST_REGISTRY_AUTH GITOPS_TEST_REGISTRY_TOKEN \
    GITOPS_TEST_REGISTRY_V3 GITOPS_TEST_REGISTRY_V3_TOKEN GITOPS_TEST_TOKEN_REALM GITOPS_TEST_TOKEN_LOG
GITOPS_TEST_REGISTRY_USER=$user GITOPS_TEST_REGISTRY_PASSWORD=$password \
    cargo test -p gitops-tests --features oci --no-fail-fast --test registry_tags -- --nocapture 2>&1 |
    tee "$reg_dir/test.log"
# A skipped real-registry test prints "skipped:"; here every server was started, so a
# skip means a variable went missing: fail rather than pass silently.
if grep -q 'skipped: GITOPS_TEST_' "$reg_dir/test.log" && [ -n "$GITOPS_TEST_REGISTRY_V3" ]; then
    echo "registry tests were skipped although every registry was started" >&2
    exit 1
fi

# The CLI with a Docker config (as a Flux ImageRepository secretRef holds it) against the
# token-auth registry, on the repository registry_tags.rs pushed (40 tags).
cfg=$reg_dir/dockerconfig.json
auth=$(printf '%s:%s' "$user" "$password" | base64)
host=${GITOPS_TEST_REGISTRY_TOKEN#http://}
printf '{"auths":{"http://%s/v2/":{"auth":"%s"}}}\n' "$host" "$auth" > "$cfg"
cargo build -q -p gitops-cli
count=$(target/debug/gitops images tags --docker-config "$cfg" --page-size 7 "$host/secure/app" | wc -l)
if [ "$count" != 40 ]; then
    echo "gitops images tags --docker-config listed $count tags of $host/secure/app, want 40" >&2
    exit 1
fi
echo "== gitops images tags --docker-config: 40 tags from the token-auth registry"
t2=$(date +%s)
echo "== registry tests: servers up in $((t1 - t0))s, tests (incl. build) $((t2 - t1))s"
