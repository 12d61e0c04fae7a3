"""Types of gitops_sdk's arguments and results (plain dicts, typed for mypy)."""

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias, TypedDict

__all__ = [
    "Change",
    "ChangeSetEntry",
    "DependencyId",
    "Health",
    "Plan",
    "PlanStep",
    "SubstituteStrategy",
    "LoadRestrictor",
    "NotifyPayload",
    "NotifyProvider",
    "NotifySecret",
    "Reorder",
    "DependsOn",
    "RenderedCluster",
    "RenderedKustomization",
    "SkippedKustomization",
    "ClusterChangeSet",
    "ObjectDiff",
    "SetterObject",
    "SetterChange",
    "SetterFileChanges",
    "SetterWarning",
    "SetterOutcome",
    "LatestImage",
    "PromoteChange",
    "PromoteEdit",
    "Promotion",
]

Reorder: TypeAlias = Literal["legacy", "none"]
"""Output order: kustomize's legacy kind order (the default) or input order."""

LoadRestrictor: TypeAlias = Literal["LoadRestrictionsRootOnly", "LoadRestrictionsNone"]
"""Which files a kustomization may read (kustomize's ``--load-restrictor``)."""


SubstituteStrategy: TypeAlias = Literal["WithVariables", "Always"]
"""Flux's ``spec.postBuild.substituteStrategy``."""


class DependencyId(TypedDict):
    """A Kustomization or HelmRelease in the dependsOn graph."""

    kind: str
    namespace: str
    name: str


class Health(TypedDict):
    """kstatus: ``Current``, ``InProgress``, ``Failed``, ``Terminating``, ``NotFound``, ``Unknown``."""

    status: str
    message: str


class Change(TypedDict):
    """One drifted field: RFC 6901 pointer, live value, desired value (None: absent)."""

    path: str
    before: Any
    after: Any


class ChangeSetEntry(TypedDict):
    """``subject`` (``Kind/namespace/name``), ``action`` (``created``, ...), Flux inventory ``id``."""

    subject: str
    action: str
    id: str


class PlanStep(ChangeSetEntry):
    """One object to apply, in apply order."""

    stage: str
    recreate: bool
    object: dict[str, Any]


class Plan(TypedDict):
    """The apply plan of one Kustomization."""

    apply: list[PlanStep]
    prune: list[ChangeSetEntry]
    inventory: list[tuple[str, str]]
    changes: str
    change_set: str


class DependsOn(TypedDict):
    """A ``spec.dependsOn`` entry, namespace defaulted."""

    name: str
    namespace: str


class RenderedKustomization(TypedDict):
    """One rendered Flux Kustomization: where it came from and its objects after post-build."""

    name: str
    namespace: str
    path: str
    dir: str
    source: str
    depends_on: list[DependsOn]
    parent: str | None
    objects: list[dict[str, Any]]


class SkippedKustomization(TypedDict):
    """A Kustomization left out (``skip_unavailable_sources``)."""

    kustomization: str
    source: str
    reason: str


class RenderedCluster(TypedDict):
    """Every Kustomization of a cluster, in the order found."""

    kustomizations: list[RenderedKustomization]
    skipped: list[SkippedKustomization]
    root: str


class ClusterChangeSet(TypedDict):
    """One Kustomization's change set (``plan_cluster``, ``apply_cluster``), in dependency order."""

    kustomization: str
    entries: list[ChangeSetEntry]
    changes: str
    change_set: str


class ObjectDiff(TypedDict):
    """One object a cluster plan changes (``diff_cluster``); Secret values masked."""

    kustomization: str
    subject: str
    action: str
    changes: list[Change]
    unified: str


class SetterObject(TypedDict):
    """The object (document) a setter changed a value in."""

    api_version: str
    kind: str
    name: str
    namespace: str


class SetterChange(TypedDict):
    """One marked value changed: before, after, the setter, 1-based line and column."""

    object: SetterObject
    old_value: str
    new_value: str
    setter: str
    line: int
    column: int


class SetterFileChanges(TypedDict):
    """The changes in one file (path relative to the root, ``/``-separated)."""

    file: str
    changes: list[SetterChange]


class SetterWarning(TypedDict):
    """A marker naming no supplied policy (an error with ``strict=True``)."""

    file: str
    line: int
    column: int
    setter: str
    message: str


class SetterOutcome(TypedDict):
    """What ``update_setters`` changed (and wrote unless ``dry_run``)."""

    files: list[SetterFileChanges]
    warnings: list[SetterWarning]
    problem_files: list[str]


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


class LatestImage(TypedDict):
    """The tag one ImagePolicy selects (``latest_images``)."""

    policy: str
    """``namespace:name``, as setters name the policy."""
    image: str
    tag: str
    candidates: int
    """How many tags the policy chose from (after the exclusion list)."""


class PromoteChange(TypedDict):
    """One promoted value: ``what`` is ``image``, ``chart``, ``value`` or ``input``."""

    what: str
    object: str
    old: str
    new: str
    file: str
    line: int


class PromoteEdit(TypedDict):
    """One edited file (relative to the root): its text before and after."""

    path: str
    old: str
    new: str


class Promotion(TypedDict):
    """What ``promote`` changes: values, file edits, their unified diff, a branch name."""

    changes: list[PromoteChange]
    edits: list[PromoteEdit]
    diff: str
    branch: str
