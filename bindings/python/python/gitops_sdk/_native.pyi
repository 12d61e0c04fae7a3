# Type stubs of the native module (bindings/python/src/lib.rs). Keep in step with it;
# `python -m mypy.stubtest gitops_sdk` (scripts/test-bindings.sh) checks that they match.
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from gitops_sdk.types import (
    Change,
    ClusterChangeSet,
    DependencyId,
    Health,
    LatestImage,
    LoadRestrictor,
    NotifyPayload,
    NotifyProvider,
    ObjectDiff,
    Plan,
    Promotion,
    RenderedCluster,
    Reorder,
    SetterOutcome,
    SubstituteStrategy,
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
    "PromoteError",
    "RenderError",
    "ResourceSetError",
    "SetterError",
    "SubstitutionError",
    "apply_cluster",
    "build",
    "build_files",
    "build_files_yaml",
    "build_yaml",
    "dependency_order",
    "dependency_waves",
    "diff",
    "diff_cluster",
    "health",
    "latest_images",
    "notify_payload",
    "plan",
    "plan_cluster",
    "promote",
    "render_cluster",
    "render_resourceset",
    "render_resourceset_template",
    "select_image_tag",
    "substitute",
    "substitute_text",
    "unified_diff",
    "update_setters",
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

class SubstitutionError(GitopsError):
    """Flux post-build substitution failed."""

class DependencyError(GitopsError):
    """The dependsOn graph is invalid: a missing or duplicate node."""

class DependencyCycleError(DependencyError):
    """The dependsOn graph has a cycle."""

class DiffError(GitopsError):
    """Invalid drift-ignore rules."""

class PlanError(GitopsError):
    """An apply plan could not be made."""

class RenderError(GitopsError):
    """A whole-cluster render failed."""

class ImagePolicyError(GitopsError):
    """An ImagePolicy is invalid or selects no tag."""

class SetterError(GitopsError):
    """Image setters could not run: a bad policy or image, a marker naming no policy with strict, a file error."""

class ResourceSetError(GitopsError):
    """A Flux Operator ResourceSet or its template could not be rendered (flux-operator's message)."""

class PromoteError(GitopsError):
    """An environment promotion could not be computed."""

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

def substitute(
    resource: Mapping[str, Any],
    variables: Mapping[str, str],
    *,
    strict: bool = True,
    strategy: SubstituteStrategy = "WithVariables",
) -> dict[str, Any]: ...
def substitute_text(text: str, variables: Mapping[str, str], *, strict: bool = True) -> str: ...
def dependency_order(objects: Iterable[Mapping[str, Any]]) -> list[DependencyId]: ...
def dependency_waves(objects: Iterable[Mapping[str, Any]]) -> list[list[DependencyId]]: ...
def health(obj: Mapping[str, Any]) -> Health: ...
def diff(desired: Mapping[str, Any], live: Mapping[str, Any], *, ignore: Any = None) -> list[Change]: ...
def unified_diff(
    desired: Mapping[str, Any],
    live: Mapping[str, Any] | None = None,
    *,
    ignore: Any = None,
    context: int = 3,
) -> str: ...
def plan(
    desired: Iterable[Mapping[str, Any]],
    *,
    live_dir: str | os.PathLike[str] | None = None,
    previous_inventory: Iterable[tuple[str, str]] | None = None,
    owner: tuple[str, str] | None = None,
    prune: bool = True,
    force: bool = False,
    ignore: Any = None,
) -> Plan: ...
def render_cluster(
    path: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] | None = None,
    sources: Mapping[str, str | os.PathLike[str]] | None = None,
    objects: Iterable[Mapping[str, Any]] | None = None,
    strict: bool = True,
    skip_unavailable_sources: bool = False,
) -> RenderedCluster: ...
def select_image_tag(policy: Mapping[str, Any], tags: Iterable[str]) -> str: ...
def notify_payload(provider: NotifyProvider, event_json: str | bytes) -> NotifyPayload: ...
def update_setters(
    path: str | os.PathLike[str],
    policies: Mapping[str, str],
    *,
    namespace: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
) -> SetterOutcome: ...
def plan_cluster(
    cluster_path: str | os.PathLike[str],
    live_dir: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] | None = None,
    sources: Mapping[str, str | os.PathLike[str]] | None = None,
    objects: Iterable[Mapping[str, Any]] | None = None,
    strict: bool = True,
    skip_unavailable_sources: bool = False,
) -> list[ClusterChangeSet]: ...
def apply_cluster(
    cluster_path: str | os.PathLike[str],
    live_dir: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    root: str | os.PathLike[str] | None = None,
    sources: Mapping[str, str | os.PathLike[str]] | None = None,
    objects: Iterable[Mapping[str, Any]] | None = None,
    strict: bool = True,
    skip_unavailable_sources: bool = False,
) -> list[ClusterChangeSet]: ...
def diff_cluster(
    cluster_path: str | os.PathLike[str],
    live_dir: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] | None = None,
    sources: Mapping[str, str | os.PathLike[str]] | None = None,
    objects: Iterable[Mapping[str, Any]] | None = None,
    strict: bool = True,
    skip_unavailable_sources: bool = False,
) -> list[ObjectDiff]: ...
def render_resourceset(
    yaml_text: str,
    provided_inputs: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
) -> list[dict[str, Any]]: ...
def render_resourceset_template(text: str, inputs: Mapping[str, Any] | None = None) -> str: ...
def latest_images(
    objects_yaml: str,
    tags_by_image: Mapping[str, Sequence[str]],
    default_namespace: str = "default",
) -> list[LatestImage]: ...
def promote(
    root: str | os.PathLike[str],
    from_env: str,
    to_env: str,
    app: str,
    values: Sequence[str] | None = None,
    clusters: str | os.PathLike[str] = "clusters",
) -> Promotion: ...
