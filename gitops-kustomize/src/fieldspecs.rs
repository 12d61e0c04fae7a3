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

/// One name-reference rule: objects of this kind may be referred to by name from the
/// referrer field specs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameBackRef {
    /// Group of the referral (empty: any).
    pub group: &'static str,
    /// Version of the referral (empty: any).
    pub version: &'static str,
    /// Kind of the referral.
    pub kind: &'static str,
    /// Where referrers hold the name (a scalar, a list of names, or `{name, namespace}`
    /// maps).
    pub referrers: &'static [FieldSpec<'static>],
}

/// `namereference.go`: kustomize's default name-reference rules, in its order. Copied as
/// data, quirks included (IngressClass's group is written `networking.k8s.io/v1`, so it
/// never matches).
pub const NAME_REFERENCE: &[NameBackRef] = &[
    NameBackRef {
        group: "",
        version: "",
        kind: "Deployment",
        referrers: &[fs("", "", "HorizontalPodAutoscaler", "spec/scaleTargetRef/name", false)],
    },
    NameBackRef {
        group: "",
        version: "",
        kind: "ReplicationController",
        referrers: &[fs("", "", "HorizontalPodAutoscaler", "spec/scaleTargetRef/name", false)],
    },
    NameBackRef {
        group: "",
        version: "",
        kind: "ReplicaSet",
        referrers: &[fs("", "", "HorizontalPodAutoscaler", "spec/scaleTargetRef/name", false)],
    },
    NameBackRef {
        group: "",
        version: "",
        kind: "StatefulSet",
        referrers: &[fs("", "", "HorizontalPodAutoscaler", "spec/scaleTargetRef/name", false)],
    },
    NameBackRef {
        group: "",
        version: "v1",
        kind: "ConfigMap",
        referrers: &[
            fs("", "v1", "Pod", "spec/volumes/configMap/name", false),
            fs("", "v1", "Pod", "spec/containers/env/valueFrom/configMapKeyRef/name", false),
            fs("", "v1", "Pod", "spec/initContainers/env/valueFrom/configMapKeyRef/name", false),
            fs("", "v1", "Pod", "spec/containers/envFrom/configMapRef/name", false),
            fs("", "v1", "Pod", "spec/initContainers/envFrom/configMapRef/name", false),
            fs("", "v1", "Pod", "spec/volumes/projected/sources/configMap/name", false),
            fs("", "", "PodTemplate", "template/spec/volumes/configMap/name", false),
            fs(
                "",
                "",
                "PodTemplate",
                "template/spec/containers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "PodTemplate",
                "template/spec/initContainers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs("", "", "PodTemplate", "template/spec/containers/envFrom/configMapRef/name", false),
            fs(
                "",
                "",
                "PodTemplate",
                "template/spec/initContainers/envFrom/configMapRef/name",
                false,
            ),
            fs(
                "",
                "",
                "PodTemplate",
                "template/spec/volumes/projected/sources/configMap/name",
                false,
            ),
            fs("", "", "Deployment", "spec/template/spec/volumes/configMap/name", false),
            fs(
                "",
                "",
                "Deployment",
                "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "Deployment",
                "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "Deployment",
                "spec/template/spec/containers/envFrom/configMapRef/name",
                false,
            ),
            fs(
                "",
                "",
                "Deployment",
                "spec/template/spec/initContainers/envFrom/configMapRef/name",
                false,
            ),
            fs(
                "",
                "",
                "Deployment",
                "spec/template/spec/volumes/projected/sources/configMap/name",
                false,
            ),
            fs("", "", "ReplicaSet", "spec/template/spec/volumes/configMap/name", false),
            fs(
                "",
                "",
                "ReplicaSet",
                "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "ReplicaSet",
                "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "ReplicaSet",
                "spec/template/spec/containers/envFrom/configMapRef/name",
                false,
            ),
            fs(
                "",
                "",
                "ReplicaSet",
                "spec/template/spec/initContainers/envFrom/configMapRef/name",
                false,
            ),
            fs(
                "",
                "",
                "ReplicaSet",
                "spec/template/spec/volumes/projected/sources/configMap/name",
                false,
            ),
            fs("", "", "DaemonSet", "spec/template/spec/volumes/configMap/name", false),
            fs(
                "",
                "",
                "DaemonSet",
                "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "DaemonSet",
                "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "DaemonSet",
                "spec/template/spec/containers/envFrom/configMapRef/name",
                false,
            ),
            fs(
                "",
                "",
                "DaemonSet",
                "spec/template/spec/initContainers/envFrom/configMapRef/name",
                false,
            ),
            fs(
                "",
                "",
                "DaemonSet",
                "spec/template/spec/volumes/projected/sources/configMap/name",
                false,
            ),
            fs("", "", "StatefulSet", "spec/template/spec/volumes/configMap/name", false),
            fs(
                "",
                "",
                "StatefulSet",
                "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "StatefulSet",
                "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "StatefulSet",
                "spec/template/spec/containers/envFrom/configMapRef/name",
                false,
            ),
            fs(
                "",
                "",
                "StatefulSet",
                "spec/template/spec/initContainers/envFrom/configMapRef/name",
                false,
            ),
            fs(
                "",
                "",
                "StatefulSet",
                "spec/template/spec/volumes/projected/sources/configMap/name",
                false,
            ),
            fs("", "", "Job", "spec/template/spec/volumes/configMap/name", false),
            fs(
                "",
                "",
                "Job",
                "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "Job",
                "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs("", "", "Job", "spec/template/spec/containers/envFrom/configMapRef/name", false),
            fs("", "", "Job", "spec/template/spec/initContainers/envFrom/configMapRef/name", false),
            fs("", "", "Job", "spec/template/spec/volumes/projected/sources/configMap/name", false),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/volumes/configMap/name",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/volumes/projected/sources/configMap/name",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/containers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/containers/envFrom/configMapRef/name",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/initContainers/envFrom/configMapRef/name",
                false,
            ),
            fs("", "", "Node", "spec/configSource/configMap", false),
            fs("", "", "Role", "rules/resourceNames", false),
            fs("", "", "ClusterRole", "rules/resourceNames", false),
            fs(
                "",
                "",
                "Ingress",
                r"metadata/annotations/nginx.ingress.kubernetes.io\/fastcgi-params-configmap",
                false,
            ),
        ],
    },
    NameBackRef {
        group: "",
        version: "v1",
        kind: "Secret",
        referrers: &[
            fs("", "v1", "Pod", "spec/volumes/secret/secretName", false),
            fs("", "v1", "Pod", "spec/containers/env/valueFrom/secretKeyRef/name", false),
            fs("", "v1", "Pod", "spec/initContainers/env/valueFrom/secretKeyRef/name", false),
            fs("", "v1", "Pod", "spec/containers/envFrom/secretRef/name", false),
            fs("", "v1", "Pod", "spec/initContainers/envFrom/secretRef/name", false),
            fs("", "v1", "Pod", "spec/imagePullSecrets/name", false),
            fs("", "v1", "Pod", "spec/volumes/projected/sources/secret/name", false),
            fs("", "", "PodTemplate", "template/spec/volumes/secret/secretName", false),
            fs(
                "",
                "",
                "PodTemplate",
                "template/spec/containers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "PodTemplate",
                "template/spec/initContainers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs("", "", "PodTemplate", "template/spec/containers/envFrom/secretRef/name", false),
            fs("", "", "PodTemplate", "template/spec/initContainers/envFrom/secretRef/name", false),
            fs("", "", "PodTemplate", "template/spec/imagePullSecrets/name", false),
            fs("", "", "PodTemplate", "template/spec/volumes/projected/sources/secret/name", false),
            fs("", "", "Deployment", "spec/template/spec/volumes/secret/secretName", false),
            fs(
                "",
                "",
                "Deployment",
                "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "Deployment",
                "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs("", "", "Deployment", "spec/template/spec/containers/envFrom/secretRef/name", false),
            fs(
                "",
                "",
                "Deployment",
                "spec/template/spec/initContainers/envFrom/secretRef/name",
                false,
            ),
            fs("", "", "Deployment", "spec/template/spec/imagePullSecrets/name", false),
            fs(
                "",
                "",
                "Deployment",
                "spec/template/spec/volumes/projected/sources/secret/name",
                false,
            ),
            fs("", "", "ReplicaSet", "spec/template/spec/volumes/secret/secretName", false),
            fs(
                "",
                "",
                "ReplicaSet",
                "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "ReplicaSet",
                "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs("", "", "ReplicaSet", "spec/template/spec/containers/envFrom/secretRef/name", false),
            fs(
                "",
                "",
                "ReplicaSet",
                "spec/template/spec/initContainers/envFrom/secretRef/name",
                false,
            ),
            fs("", "", "ReplicaSet", "spec/template/spec/imagePullSecrets/name", false),
            fs(
                "",
                "",
                "ReplicaSet",
                "spec/template/spec/volumes/projected/sources/secret/name",
                false,
            ),
            fs("", "", "DaemonSet", "spec/template/spec/volumes/secret/secretName", false),
            fs(
                "",
                "",
                "DaemonSet",
                "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "DaemonSet",
                "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs("", "", "DaemonSet", "spec/template/spec/containers/envFrom/secretRef/name", false),
            fs(
                "",
                "",
                "DaemonSet",
                "spec/template/spec/initContainers/envFrom/secretRef/name",
                false,
            ),
            fs("", "", "DaemonSet", "spec/template/spec/imagePullSecrets/name", false),
            fs(
                "",
                "",
                "DaemonSet",
                "spec/template/spec/volumes/projected/sources/secret/name",
                false,
            ),
            fs("", "", "StatefulSet", "spec/template/spec/volumes/secret/secretName", false),
            fs(
                "",
                "",
                "StatefulSet",
                "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "StatefulSet",
                "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "StatefulSet",
                "spec/template/spec/containers/envFrom/secretRef/name",
                false,
            ),
            fs(
                "",
                "",
                "StatefulSet",
                "spec/template/spec/initContainers/envFrom/secretRef/name",
                false,
            ),
            fs("", "", "StatefulSet", "spec/template/spec/imagePullSecrets/name", false),
            fs(
                "",
                "",
                "StatefulSet",
                "spec/template/spec/volumes/projected/sources/secret/name",
                false,
            ),
            fs("", "", "Job", "spec/template/spec/volumes/secret/secretName", false),
            fs(
                "",
                "",
                "Job",
                "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "Job",
                "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs("", "", "Job", "spec/template/spec/containers/envFrom/secretRef/name", false),
            fs("", "", "Job", "spec/template/spec/initContainers/envFrom/secretRef/name", false),
            fs("", "", "Job", "spec/template/spec/imagePullSecrets/name", false),
            fs("", "", "Job", "spec/template/spec/volumes/projected/sources/secret/name", false),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/volumes/secret/secretName",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/volumes/projected/sources/secret/name",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/containers/envFrom/secretRef/name",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/initContainers/envFrom/secretRef/name",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/imagePullSecrets/name",
                false,
            ),
            fs("", "", "Ingress", "spec/tls/secretName", false),
            fs(
                "",
                "",
                "Ingress",
                r"metadata/annotations/ingress.kubernetes.io\/auth-secret",
                false,
            ),
            fs(
                "",
                "",
                "Ingress",
                r"metadata/annotations/nginx.ingress.kubernetes.io\/auth-secret",
                false,
            ),
            fs(
                "",
                "",
                "Ingress",
                r"metadata/annotations/nginx.ingress.kubernetes.io\/auth-tls-secret",
                false,
            ),
            fs("", "", "Ingress", "spec/tls/secretName", false),
            fs("", "", "ServiceAccount", "imagePullSecrets/name", false),
            fs("", "", "StorageClass", "parameters/secretName", false),
            fs("", "", "StorageClass", "parameters/adminSecretName", false),
            fs("", "", "StorageClass", "parameters/userSecretName", false),
            fs("", "", "StorageClass", "parameters/secretRef", false),
            fs("", "", "Role", "rules/resourceNames", false),
            fs("", "", "ClusterRole", "rules/resourceNames", false),
            fs(
                "serving.knative.dev",
                "v1",
                "Service",
                "spec/template/spec/containers/env/valueFrom/secretKeyRef/name",
                false,
            ),
            fs("", "", "PersistentVolume", "spec/azureFile/secretName", false),
        ],
    },
    NameBackRef {
        group: "",
        version: "v1",
        kind: "Service",
        referrers: &[
            fs("apps", "", "StatefulSet", "spec/serviceName", false),
            fs("", "", "Ingress", "spec/rules/http/paths/backend/serviceName", false),
            fs("", "", "Ingress", "spec/backend/serviceName", false),
            fs("", "", "Ingress", "spec/rules/http/paths/backend/service/name", false),
            fs("", "", "Ingress", "spec/defaultBackend/service/name", false),
            fs("apiregistration.k8s.io", "", "APIService", "spec/service/name", false),
            fs(
                "admissionregistration.k8s.io",
                "",
                "ValidatingWebhookConfiguration",
                "webhooks/clientConfig/service",
                false,
            ),
            fs(
                "admissionregistration.k8s.io",
                "",
                "MutatingWebhookConfiguration",
                "webhooks/clientConfig/service",
                false,
            ),
        ],
    },
    NameBackRef {
        group: "rbac.authorization.k8s.io",
        version: "",
        kind: "Role",
        referrers: &[fs("rbac.authorization.k8s.io", "", "RoleBinding", "roleRef/name", false)],
    },
    NameBackRef {
        group: "rbac.authorization.k8s.io",
        version: "",
        kind: "ClusterRole",
        referrers: &[
            fs("rbac.authorization.k8s.io", "", "RoleBinding", "roleRef/name", false),
            fs("rbac.authorization.k8s.io", "", "ClusterRoleBinding", "roleRef/name", false),
        ],
    },
    NameBackRef {
        group: "",
        version: "v1",
        kind: "ServiceAccount",
        referrers: &[
            fs("rbac.authorization.k8s.io", "", "RoleBinding", "subjects", false),
            fs("rbac.authorization.k8s.io", "", "ClusterRoleBinding", "subjects", false),
            fs("", "", "Pod", "spec/serviceAccountName", false),
            fs("", "", "StatefulSet", "spec/template/spec/serviceAccountName", false),
            fs("", "", "Deployment", "spec/template/spec/serviceAccountName", false),
            fs("", "", "ReplicationController", "spec/template/spec/serviceAccountName", false),
            fs("", "", "CronJob", "spec/jobTemplate/spec/template/spec/serviceAccountName", false),
            fs("", "", "Job", "spec/template/spec/serviceAccountName", false),
            fs("", "", "DaemonSet", "spec/template/spec/serviceAccountName", false),
        ],
    },
    NameBackRef {
        group: "",
        version: "v1",
        kind: "PersistentVolumeClaim",
        referrers: &[
            fs("", "", "Pod", "spec/volumes/persistentVolumeClaim/claimName", false),
            fs(
                "",
                "",
                "StatefulSet",
                "spec/template/spec/volumes/persistentVolumeClaim/claimName",
                false,
            ),
            fs(
                "",
                "",
                "Deployment",
                "spec/template/spec/volumes/persistentVolumeClaim/claimName",
                false,
            ),
            fs(
                "",
                "",
                "ReplicationController",
                "spec/template/spec/volumes/persistentVolumeClaim/claimName",
                false,
            ),
            fs(
                "",
                "",
                "CronJob",
                "spec/jobTemplate/spec/template/spec/volumes/persistentVolumeClaim/claimName",
                false,
            ),
            fs("", "", "Job", "spec/template/spec/volumes/persistentVolumeClaim/claimName", false),
            fs(
                "",
                "",
                "DaemonSet",
                "spec/template/spec/volumes/persistentVolumeClaim/claimName",
                false,
            ),
        ],
    },
    NameBackRef {
        group: "",
        version: "v1",
        kind: "PersistentVolume",
        referrers: &[
            fs("", "", "PersistentVolumeClaim", "spec/volumeName", false),
            fs("", "", "ClusterRole", "rules/resourceNames", false),
        ],
    },
    NameBackRef {
        group: "storage.k8s.io",
        version: "v1",
        kind: "StorageClass",
        referrers: &[
            fs("", "", "PersistentVolume", "spec/storageClassName", false),
            fs("", "", "PersistentVolumeClaim", "spec/storageClassName", false),
            fs("", "", "StatefulSet", "spec/volumeClaimTemplates/spec/storageClassName", false),
        ],
    },
    NameBackRef {
        group: "scheduling.k8s.io",
        version: "v1",
        kind: "PriorityClass",
        referrers: &[
            fs("", "", "Pod", "spec/priorityClassName", false),
            fs("", "", "StatefulSet", "spec/template/spec/priorityClassName", false),
            fs("", "", "Deployment", "spec/template/spec/priorityClassName", false),
            fs("", "", "ReplicationController", "spec/template/spec/priorityClassName", false),
            fs("", "", "CronJob", "spec/jobTemplate/spec/template/spec/priorityClassName", false),
            fs("", "", "Job", "spec/template/spec/priorityClassName", false),
            fs("", "", "DaemonSet", "spec/template/spec/priorityClassName", false),
        ],
    },
    NameBackRef {
        group: "networking.k8s.io/v1",
        version: "v1",
        kind: "IngressClass",
        referrers: &[fs("", "", "Ingress", "spec/ingressClassName", false)],
    },
    NameBackRef {
        group: "admissionregistration.k8s.io",
        version: "",
        kind: "ValidatingAdmissionPolicy",
        referrers: &[fs(
            "admissionregistration.k8s.io",
            "",
            "ValidatingAdmissionPolicyBinding",
            "spec/policyName",
            false,
        )],
    },
];
