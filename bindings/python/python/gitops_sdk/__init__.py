"""gitops-sdk for Python: kustomize build and Flux semantics, in-process.

Every function calls the Rust library directly (``gitops_sdk._native``) with the GIL
released; results are plain ``dict``/``list``/``str``. Errors are ``GitopsError``
subclasses carrying the Rust error's message and ``kind``, ``file`` and ``line``.
"""

from gitops_sdk._native import (
    GitopsError,
    KustomizeError,
    NotifyError,
    build,
    build_files,
    build_files_yaml,
    build_yaml,
    notify_payload,
)

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
