# Type stubs of the native module (bindings/python/src/lib.rs). Keep in step with it;
# `python -m mypy.stubtest gitops_sdk` (scripts/test-bindings.sh) checks that they match.
import os
from collections.abc import Mapping
from typing import Any

from gitops_sdk.types import LoadRestrictor, NotifyPayload, NotifyProvider, Reorder

__all__ = [
    "GitopsError",
    "KustomizeError",
    "NotifyError",
    "build",
    "build_files",
    "build_files_yaml",
    "build_yaml",
    "notify_payload",
]

class GitopsError(Exception):
    """Base class of every error gitops_sdk raises."""

    kind: str
    """A stable short name of the Rust error variant, e.g. ``"entry"``."""
    file: str | None
    """The file (or directory) the error is about, where the Rust error names one."""
    line: int | None
    """The 1-based line in ``file``, where the Rust error carries one."""

class KustomizeError(GitopsError):
    """A kustomize build failed."""

class NotifyError(GitopsError):
    """An event could not be read or a notification payload not built."""

def build(
    path: str | os.PathLike[str],
    *,
    reorder: Reorder = "legacy",
    load_restrictor: LoadRestrictor = "LoadRestrictionsRootOnly",
) -> list[dict[str, Any]]: ...
def build_yaml(
    path: str | os.PathLike[str],
    *,
    reorder: Reorder = "legacy",
    load_restrictor: LoadRestrictor = "LoadRestrictionsRootOnly",
) -> str: ...
def build_files(
    files: Mapping[str, str],
    path: str | os.PathLike[str] = "/",
    *,
    reorder: Reorder = "legacy",
    load_restrictor: LoadRestrictor = "LoadRestrictionsRootOnly",
) -> list[dict[str, Any]]: ...
def build_files_yaml(
    files: Mapping[str, str],
    path: str | os.PathLike[str] = "/",
    *,
    reorder: Reorder = "legacy",
    load_restrictor: LoadRestrictor = "LoadRestrictionsRootOnly",
) -> str: ...

def notify_payload(provider: NotifyProvider, event_json: str | bytes) -> NotifyPayload: ...
