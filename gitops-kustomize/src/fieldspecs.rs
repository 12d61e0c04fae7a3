//! kustomize's default field specs (`api/internal/konfig/builtinpluginconsts`), as data.
//!
//! A field spec selects resources by group/version/kind (empty = any) and names a
//! `/`-separated path; `name[]` walks every element of a list. `create` makes missing
//! fields along the path.

/// One field spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec<'a> {
    /// API group selector (empty: any).
    pub group: &'a str,
    /// Version selector (empty: any).
    pub version: &'a str,
    /// Kind selector (empty: any).
    pub kind: &'a str,
    /// The path.
    pub path: &'a str,
    /// Create missing fields.
    pub create: bool,
}

const fn fs(
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    path: &'static str,
    create: bool,
) -> FieldSpec<'static> {
    FieldSpec { group, version, kind, path, create }
}

/// `namespace.go`.
pub const NAMESPACE: &[FieldSpec<'static>] = &[
    fs("", "", "Namespace", "metadata/name", true),
    fs("apiregistration.k8s.io", "", "APIService", "spec/service/namespace", true),
    fs(
        "apiextensions.k8s.io",
        "",
        "CustomResourceDefinition",
        "spec/conversion/webhook/clientConfig/service/namespace",
        false,
    ),
];

/// `nameprefix.go` / `namesuffix.go`.
pub const NAME_PREFIX_SUFFIX: &[FieldSpec<'static>] = &[fs("", "", "", "metadata/name", false)];

/// Kinds the prefix and suffix transformers leave alone: `(group, kind)`, empty group = any.
pub const PREFIX_SUFFIX_SKIP: &[(&str, &str)] = &[
    ("", "CustomResourceDefinition"),
    ("apiregistration.k8s.io", "APIService"),
    ("", "Namespace"),
];

/// `metadatalabels.go` (also `templatelabels.go`).
pub const METADATA_LABELS: &[FieldSpec<'static>] = &[
    fs("", "", "", "metadata/labels", true),
    fs("", "v1", "ReplicationController", "spec/template/metadata/labels", true),
    fs("", "", "Deployment", "spec/template/metadata/labels", true),
    fs("", "", "ReplicaSet", "spec/template/metadata/labels", true),
    fs("", "", "DaemonSet", "spec/template/metadata/labels", true),
    fs("apps", "", "StatefulSet", "spec/template/metadata/labels", true),
    fs("apps", "", "StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", true),
    fs("batch", "", "Job", "spec/template/metadata/labels", true),
    fs("batch", "", "CronJob", "spec/jobTemplate/metadata/labels", true),
    fs("batch", "", "CronJob", "spec/jobTemplate/spec/template/metadata/labels", true),
];

const PA: &str = "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels";
const RA: &str = "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels";
const PAA: &str = "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels";
const RAA: &str = "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels";
const TSC: &str = "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels";

/// `commonlabels.go` without the metadata part: selectors. [`common_labels`] appends
/// [`METADATA_LABELS`].
pub const COMMON_LABEL_SELECTORS: &[FieldSpec<'static>] = &[
    fs("", "v1", "Service", "spec/selector", true),
    fs("", "v1", "ReplicationController", "spec/selector", true),
    fs("", "", "Deployment", "spec/selector/matchLabels", true),
    fs("apps", "", "Deployment", PA, false),
    fs("apps", "", "Deployment", RA, false),
    fs("apps", "", "Deployment", PAA, false),
    fs("apps", "", "Deployment", RAA, false),
    fs("apps", "", "Deployment", TSC, false),
    fs("", "", "ReplicaSet", "spec/selector/matchLabels", true),
    fs("", "", "DaemonSet", "spec/selector/matchLabels", true),
    fs("apps", "", "StatefulSet", "spec/selector/matchLabels", true),
    fs("apps", "", "StatefulSet", PA, false),
    fs("apps", "", "StatefulSet", RA, false),
    fs("apps", "", "StatefulSet", PAA, false),
    fs("apps", "", "StatefulSet", RAA, false),
    fs("apps", "", "StatefulSet", TSC, false),
    fs("batch", "", "Job", "spec/selector/matchLabels", false),
    fs("batch", "", "CronJob", "spec/jobTemplate/spec/selector/matchLabels", false),
    fs("policy", "", "PodDisruptionBudget", "spec/selector/matchLabels", false),
    fs("networking.k8s.io", "", "NetworkPolicy", "spec/podSelector/matchLabels", false),
    fs(
        "networking.k8s.io",
        "",
        "NetworkPolicy",
        "spec/ingress/from/podSelector/matchLabels",
        false,
    ),
    fs("networking.k8s.io", "", "NetworkPolicy", "spec/egress/to/podSelector/matchLabels", false),
];

/// The full `commonLabels` field specs: selectors, then metadata and template labels.
pub fn common_labels() -> impl Iterator<Item = FieldSpec<'static>> {
    COMMON_LABEL_SELECTORS.iter().chain(METADATA_LABELS).copied()
}

/// `commonannotations.go`.
pub const COMMON_ANNOTATIONS: &[FieldSpec<'static>] = &[
    fs("", "", "", "metadata/annotations", true),
    fs("", "v1", "ReplicationController", "spec/template/metadata/annotations", true),
    fs("", "", "Deployment", "spec/template/metadata/annotations", true),
    fs("", "", "ReplicaSet", "spec/template/metadata/annotations", true),
    fs("", "", "DaemonSet", "spec/template/metadata/annotations", true),
    fs("", "", "StatefulSet", "spec/template/metadata/annotations", true),
    fs("batch", "", "Job", "spec/template/metadata/annotations", true),
    fs("batch", "", "CronJob", "spec/jobTemplate/metadata/annotations", true),
    fs("batch", "", "CronJob", "spec/jobTemplate/spec/template/metadata/annotations", true),
];

/// `replicas.go`, in the order kustomize's merged config holds them (seen in its errors).
pub const REPLICAS: &[FieldSpec<'static>] = &[
    fs("", "", "Deployment", "spec/replicas", true),
    fs("", "", "StatefulSet", "spec/replicas", true),
    fs("", "", "ReplicaSet", "spec/replicas", true),
    fs("", "", "ReplicationController", "spec/replicas", true),
];

/// `images.go`.
pub const IMAGES: &[FieldSpec<'static>] = &[
    fs("", "", "", "spec/containers[]/image", true),
    fs("", "", "", "spec/initContainers[]/image", true),
    fs("", "", "", "spec/volumes[]/image/reference", true),
    fs("", "", "", "spec/template/spec/containers[]/image", true),
    fs("", "", "", "spec/template/spec/initContainers[]/image", true),
    fs("", "", "", "spec/template/spec/volumes[]/image/reference", true),
];
