"""notify_payload: the request notification-controller would send."""

import hashlib
import hmac
import json

import pytest

import gitops_sdk
from gitops_sdk.types import NotifyProvider

EVENT = json.dumps(
    {
        "involvedObject": {"kind": "Kustomization", "namespace": "flux-system", "name": "apps"},
        "severity": "error",
        "timestamp": "2022-09-30T06:40:29Z",
        "message": "health check failed <x>",
        "reason": "HealthCheckFailed",
        "reportingController": "kustomize-controller",
    }
)


def test_generic_hmac_signature_matches_pythons_hmac() -> None:
    payload = gitops_sdk.notify_payload(
        {
            "type": "generic-hmac",
            "name": "hook",
            "namespace": "flux-system",
            "address": "http://127.0.0.1:9/flux",
            "secret": {"token": "s3cret"},
        },
        EVENT,
    )
    assert payload["url"] == "http://127.0.0.1:9/flux"
    headers = dict(payload["headers"])
    want = "sha256=" + hmac.new(b"s3cret", payload["body"], hashlib.sha256).hexdigest()
    assert headers["X-Signature"] == want
    assert headers["Content-Type"] == "application/json"
    body = json.loads(payload["body"])
    assert body["message"] == "health check failed <x>"
    # Go's encoder escapes < and >.
    assert b"\\u003cx\\u003e" in payload["body"]


def test_event_bytes_and_text_agree() -> None:
    provider: NotifyProvider = {"type": "generic", "address": "http://h/x"}
    assert gitops_sdk.notify_payload(provider, EVENT) == gitops_sdk.notify_payload(provider, EVENT.encode())


@pytest.mark.parametrize(
    ("provider", "event", "kind", "message"),
    [
        ({"type": "generic", "name": "p", "namespace": "ns"}, EVENT, "no_address", "provider 'ns/p' has no address"),
        (
            {"type": "generic-hmac", "name": "p", "namespace": "ns", "address": "http://h/x"},
            EVENT,
            "empty_hmac_key",
            "provider 'ns/p': HMAC key is empty",
        ),
        ({"type": "generic", "address": "http://h/x"}, "[1]", "invalid_event", "invalid event: not a JSON object"),
        (
            {"type": "generic", "address": "http://h/x"},
            '{"message": 3}',
            "invalid_event_field",
            "invalid event field message",
        ),
    ],
)
def test_notify_errors(provider: NotifyProvider, event: str, kind: str, message: str) -> None:
    with pytest.raises(gitops_sdk.NotifyError) as info:
        gitops_sdk.notify_payload(provider, event)
    assert str(info.value).startswith(message), str(info.value)
    assert info.value.kind == kind
