"""Types of gitops_sdk's arguments and results (plain dicts, typed for mypy)."""

from collections.abc import Mapping
from typing import Literal, TypeAlias, TypedDict

__all__ = [
    "LoadRestrictor",
    "NotifyPayload",
    "NotifyProvider",
    "NotifySecret",
    "Reorder",
]

Reorder: TypeAlias = Literal["legacy", "none"]
"""Output order: kustomize's legacy kind order (the default) or input order."""

LoadRestrictor: TypeAlias = Literal["LoadRestrictionsRootOnly", "LoadRestrictionsNone"]
"""Which files a kustomization may read (kustomize's ``--load-restrictor``)."""


class NotifySecret(TypedDict, total=False):
    """The Provider's Secret (keys ``address``, ``token``, ``headers``)."""

    address: str
    token: str
    headers: Mapping[str, str]


class _ProviderType(TypedDict):
    type: str


class NotifyProvider(_ProviderType, total=False):
    """A Flux Provider (``spec.type`` in ``type``) with its Secret resolved."""

    name: str
    namespace: str
    address: str
    channel: str
    username: str
    suspend: bool
    secret: NotifySecret


class NotifyPayload(TypedDict):
    """One HTTP POST: URL, headers (Go's canonical names, sorted), body bytes."""

    url: str
    headers: list[tuple[str, str]]
    body: bytes
