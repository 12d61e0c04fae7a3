#!/usr/bin/env bash
# Start the test token issuer (scripts/token-issuer.py: Docker token auth, RS256 JWTs) on
# 127.0.0.1 for registries started with `start-registry.sh DIR --token ISSUER_DIR`.
#
#   REALM=$(bash scripts/start-token-issuer.sh DIR USER PASSWORD)
#
# DIR (created) gets a fresh RSA key and self-signed certificate (`openssl`; cert.pem is
# the registries' rootcertbundle), the issuer's pid, log and realm, and issued.log (one JSON line
# per token request, no secrets). Service `gitops-test-registry`, issuer
# `gitops-test-issuer`. Prints the realm URL (http://127.0.0.1:PORT/token) on stdout.
# Stop it with `bash scripts/stop-registry.sh DIR`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: start-token-issuer.sh DIR USER PASSWORD}
user=${2:?usage: start-token-issuer.sh DIR USER PASSWORD}
password=${3:?usage: start-token-issuer.sh DIR USER PASSWORD}
for tool in openssl python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "start-token-issuer.sh: $tool is not installed" >&2; exit 2; }
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
(umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 \
    -subj "/CN=gitops-test-issuer" -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null)
openssl x509 -in "$dir/cert.pem" -outform DER -out "$dir/cert.der"
: > "$dir/issued.log"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf '%s\n' "$password" | nohup python3 "$here/token-issuer.py" "$dir" "$port" \
    gitops-test-issuer gitops-test-registry "$user" > "$dir/issuer.log" 2>&1 &
echo $! > "$dir/issuer.pid"
for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "http://127.0.0.1:$port/token" | tee "$dir/realm"
        exit 0
    fi
    if ! kill -0 "$(cat "$dir/issuer.pid")" 2>/dev/null; then
        echo "token issuer exited; log:" >&2
        cat "$dir/issuer.log" >&2
        exit 1
    fi
    sleep 0.1
done
echo "token issuer did not start listening on 127.0.0.1:$port; log:" >&2
cat "$dir/issuer.log" >&2
exit 1
