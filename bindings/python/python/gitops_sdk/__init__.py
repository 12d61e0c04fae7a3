"""gitops-sdk for Python: kustomize build and Flux semantics, in-process.

Every function calls the Rust library directly (``gitops_sdk._native``) with the GIL
released; results are plain ``dict``/``list``/``str``. Errors are ``GitopsError``
subclasses carrying the Rust error's message and ``kind``, ``file`` and ``line``.
"""

from gitops_sdk import types
from gitops_sdk._native import (
    DependencyCycleError,
    DependencyError,
    DiffError,
    GitopsError,
    ImagePolicyError,
    KustomizeError,
    NotifyError,
    PlanError,
    RenderError,
    SubstitutionError,
    build,
    build_files,
    build_files_yaml,
    build_yaml,
    dependency_order,
    dependency_waves,
    diff,
    health,
    notify_payload,
    plan,
    render_cluster,
    select_image_tag,
    substitute,
    substitute_text,
    unified_diff,
)

__all__ = [
    "DependencyCycleError",
    "DependencyError",
    "DiffError",
    "GitopsError",
    "ImagePolicyError",
    "KustomizeError",
    "NotifyError",
    "PlanError",
    "RenderError",
    "SubstitutionError",
    "build",
    "build_files",
    "build_files_yaml",
    "build_yaml",
    "dependency_order",
    "dependency_waves",
    "diff",
    "health",
    "notify_payload",
    "plan",
    "render_cluster",
    "select_image_tag",
    "substitute",
    "substitute_text",
    "unified_diff",
    "types",
]
