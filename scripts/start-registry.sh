#!/usr/bin/env bash
# Start a throwaway OCI registry on 127.0.0.1 for the registry tests: by default the
# reference `registry` server of Debian's `docker-registry` package (distribution 2.8.2).
#
#   URL=$(bash scripts/start-registry.sh DIR)                       # anonymous
#   URL=$(bash scripts/start-registry.sh DIR USER PASSWORD)         # htpasswd basic auth
#   URL=$(bash scripts/start-registry.sh DIR --token ISSUER_DIR)    # Docker token auth
#
# DIR (created) holds the config, the storage, the log and the pid. With USER and
# PASSWORD the registry requires htpasswd basic auth (bcrypt line from `htpasswd -B`,
# package apache2-utils). With --token it answers `401 WWW-Authenticate: Bearer
# realm=…,service=…,scope=…` and trusts JWTs from the token issuer started by
# `scripts/start-token-issuer.sh ISSUER_DIR …` (realm from ISSUER_DIR/realm, root
# certificate ISSUER_DIR/cert.pem, service gitops-test-registry, issuer
# gitops-test-issuer).
# REGISTRY_BIN=/path/to/registry runs another distribution build instead (e.g. v3 from
# scripts/build-registry-v3.sh, which paginates tag lists); the Debian package is then
# not needed; REGISTRY_MAXTAGS=N sets v3's `tags.maxtags`. Prints the base URL (http://127.0.0.1:PORT) on stdout.
# The system service is never started: the server runs as `BIN serve DIR/config.yml` in
# the background. Stop it with `bash scripts/stop-registry.sh DIR`.
set -euo pipefail
dir=${1:?usage: start-registry.sh DIR [USER PASSWORD | --token ISSUER_DIR]}
user=${2:-}
password=${3:-}
issuer_dir=""
if [ "$user" = --token ]; then
    issuer_dir=${3:?usage: start-registry.sh DIR --token ISSUER_DIR}
    user=""
    password=""
fi
bin=${REGISTRY_BIN:-/usr/bin/docker-registry}

need=()
[ -n "${REGISTRY_BIN:-}" ] || command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
if [ -n "$user" ] && ! command -v htpasswd >/dev/null 2>&1; then need+=(apache2-utils); fi
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}" >&2
    sudo_cmd=()
    [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    # policy-rc.d-free install: the package's service is not started here.
    if ! DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y "${need[@]}" >&2; then
        echo "start-registry.sh: cannot install ${need[*]}" >&2
        exit 3
    fi
fi

mkdir -p "$dir/data"
dir=$(cd "$dir" && pwd)

# A free port: bind port 0 and read what the kernel chose.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

auth=""
if [ -n "$issuer_dir" ]; then
    issuer_dir=$(cd "$issuer_dir" && pwd)
    auth="auth:
  token:
    realm: $(cat "$issuer_dir/realm")
    service: gitops-test-registry
    issuer: gitops-test-issuer
    rootcertbundle: $issuer_dir/cert.pem"
elif [ -n "$user" ]; then
    htpasswd -Bbn "$user" "$password" > "$dir/htpasswd"
    auth="auth:
  htpasswd:
    realm: gitops-test
    path: $dir/htpasswd"
fi

tags=""
if [ -n "${REGISTRY_MAXTAGS:-}" ]; then
    # distribution v3 only (2.8 has no `tags` section): the largest page; a larger `n`
    # is clamped to it and the rest follows through Link headers.
    tags="tags:
  maxtags: $REGISTRY_MAXTAGS"
fi

cat > "$dir/config.yml" <<CONFIG
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: gitops-test-secret
$auth
$tags
CONFIG

nohup "$bin" serve "$dir/config.yml" > "$dir/registry.log" 2>&1 &
echo $! > "$dir/registry.pid"

# Wait (up to ~10s) until /v2/ answers (200 anonymous, 401 with auth).
for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "http://127.0.0.1:$port"
        exit 0
    fi
    if ! kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null; then
        echo "registry exited; log:" >&2
        cat "$dir/registry.log" >&2
        exit 1
    fi
    sleep 0.1
done
echo "registry did not start listening on 127.0.0.1:$port; log:" >&2
cat "$dir/registry.log" >&2
exit 1
