#!/usr/bin/env python3
"""A tiny Docker token-auth server (the "token issuer") for the registry tests.

Test infrastructure, not the thing under test: it lets a real registry (distribution
2.8 and v3, `auth: token:`) hand out Bearer challenges whose realm is this server.
Started by scripts/start-token-issuer.sh; python3 stdlib plus the `openssl` CLI for
RS256 signatures.

    GET /token?service=SERVICE&scope=repository:NAME:pull,push[&scope=...]

* `Authorization: Basic` with the configured user and password: every requested action
  is granted. Wrong credentials (or any other Authorization scheme): 401 with a
  distribution-style error body. No Authorization: an anonymous token that grants `pull`
  on repositories under `public/` and nothing else (so the registry answers 401
  UNAUTHORIZED / insufficient_scope for the rest).
* A scope on a repository under `denied/`: 403 DENIED (what Docker Hub-style token
  servers answer for a repository the account may not read).
* `service` must be the configured one (400 otherwise): a client that forgets it is
  caught here; the token's audience is the service, so the registry checks it too.
* The JWT header carries `x5c` = [the issuer's self-signed certificate], which is the
  registry's `rootcertbundle` (distribution verifies the chain against it, then the
  signature with the leaf key).
* Every answer is logged as one JSON line in DIR/issued.log (user, service, scopes,
  granted access, status; never a password or token) so tests can count token requests.
"""

import base64
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ACTIONS = {"pull", "push", "delete", "*"}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class Issuer:
    def __init__(self, directory: str, issuer: str, service: str, user: str, password: str):
        self.dir = directory
        self.issuer = issuer
        self.service = service
        self.user = user
        self.password = password
        self.lock = threading.Lock()
        with open(os.path.join(directory, "cert.der"), "rb") as f:
            self.x5c = base64.b64encode(f.read()).decode("ascii")

    def sign(self, signing_input: bytes) -> bytes:
        out = subprocess.run(
            ["openssl", "dgst", "-sha256", "-sign", os.path.join(self.dir, "key.pem")],
            input=signing_input,
            capture_output=True,
            check=True,
        )
        return out.stdout

    def token(self, subject: str, access: list) -> str:
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "x5c": [self.x5c]}
        claims = {
            "iss": self.issuer,
            "sub": subject,
            "aud": self.service,
            "exp": now + 300,
            "nbf": now - 1,
            "iat": now,
            "jti": secrets.token_hex(16),
            "access": access,
        }
        signing_input = (
            b64url(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + b64url(json.dumps(claims, separators=(",", ":")).encode())
        ).encode("ascii")
        return signing_input.decode("ascii") + "." + b64url(self.sign(signing_input))

    def log(self, entry: dict) -> None:
        with self.lock, open(os.path.join(self.dir, "issued.log"), "a") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")


def grant(scopes: list, authenticated: bool) -> list:
    access = []
    for scope in scopes:
        parts = scope.split(":")
        if len(parts) != 3 or parts[0] != "repository" or not parts[1]:
            continue
        name = parts[1]
        wanted = [a for a in parts[2].split(",") if a in ACTIONS]
        if authenticated:
            granted = wanted
        else:
            granted = ["pull"] if name.startswith("public/") and "pull" in wanted else []
        access.append({"type": "repository", "name": name, "actions": granted})
    return access


def make_handler(issuer: Issuer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet: the log file is the record
            pass

        def answer(self, status: int, body: dict, extra=()) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def error(self, status: int, code: str, message: str, extra=()) -> None:
            self.answer(status, {"errors": [{"code": code, "message": message}]}, extra)

        def do_GET(self):
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            scopes = query.get("scope", [])
            service = query.get("service", [""])[0]
            entry = {"path": url.path, "service": service, "scope": scopes}
            if url.path != "/token":
                entry["status"] = 404
                issuer.log(entry)
                return self.error(404, "NOT_FOUND", "no such endpoint")
            if service != issuer.service:
                entry["status"] = 400
                issuer.log(entry)
                return self.error(400, "UNSUPPORTED", f"unknown service {service!r}")
            authorization = self.headers.get("Authorization")
            user = ""
            if authorization is not None:
                scheme, _, value = authorization.partition(" ")
                ok = False
                if scheme.lower() == "basic":
                    try:
                        decoded = base64.b64decode(value.strip(), validate=True).decode()
                    except (ValueError, UnicodeDecodeError):
                        decoded = ""
                    name, sep, password = decoded.partition(":")
                    ok = (
                        bool(sep)
                        and secrets.compare_digest(name.encode(), issuer.user.encode())
                        and secrets.compare_digest(password.encode(), issuer.password.encode())
                    )
                    user = name
                if not ok:
                    entry.update(user=user, status=401)
                    issuer.log(entry)
                    return self.error(
                        401,
                        "UNAUTHORIZED",
                        "invalid username or password",
                        [("WWW-Authenticate", 'Basic realm="gitops-test-token"')],
                    )
            denied = [s for s in scopes if s.startswith("repository:denied/")]
            if denied:
                entry.update(user=user, status=403)
                issuer.log(entry)
                return self.error(403, "DENIED", "requested access to the resource is denied")
            access = grant(scopes, authenticated=authorization is not None)
            token = issuer.token(user, access)
            entry.update(user=user, status=200, granted=access)
            issuer.log(entry)
            self.answer(
                200,
                {
                    "token": token,
                    "access_token": token,
                    "expires_in": 300,
                    "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                },
            )

    return Handler


def main() -> int:
    if len(sys.argv) != 6:
        print(
            "usage: token-issuer.py DIR PORT ISSUER SERVICE USER  (password on stdin)",
            file=sys.stderr,
        )
        return 2
    directory, port, name, service, user = sys.argv[1:]
    password = sys.stdin.readline().rstrip("\n")
    issuer = Issuer(directory, name, service, user, password)
    server = ThreadingHTTPServer(("127.0.0.1", int(port)), make_handler(issuer))
    server.daemon_threads = True
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
