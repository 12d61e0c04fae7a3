//! Which kinds are cluster-scoped.
//!
//! The table is kustomize's built-in view (Kubernetes v1.21.2 schema, the same set as
//! `precomputedIsNamespaceScoped` in kyaml's `openapi.go`): an `(apiVersion, kind)` pair
//! listed here is cluster-scoped; every other pair, including all unknown kinds and custom
//! resources, counts as namespaced.

/// The cluster-scoped `(apiVersion, kind)` pairs, sorted for binary search.
pub const CLUSTER_SCOPED: &[(&str, &str)] = &[
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
    ("apiregistration.k8s.io/v1", "APIService"),
    ("apiregistration.k8s.io/v1beta1", "APIService"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest"),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"),
    ("networking.k8s.io/v1", "IngressClass"),
    ("networking.k8s.io/v1beta1", "IngressClass"),
    ("node.k8s.io/v1", "RuntimeClass"),
    ("node.k8s.io/v1beta1", "RuntimeClass"),
    ("policy/v1beta1", "PodSecurityPolicy"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("scheduling.k8s.io/v1beta1", "PriorityClass"),
    ("storage.k8s.io/v1", "CSIDriver"),
    ("storage.k8s.io/v1", "CSINode"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("storage.k8s.io/v1", "VolumeAttachment"),
    ("storage.k8s.io/v1beta1", "CSIDriver"),
    ("storage.k8s.io/v1beta1", "CSINode"),
    ("storage.k8s.io/v1beta1", "StorageClass"),
    ("storage.k8s.io/v1beta1", "VolumeAttachment"),
    ("v1", "ComponentStatus"),
    ("v1", "Namespace"),
    ("v1", "Node"),
    ("v1", "NodeProxyOptions"),
    ("v1", "PersistentVolume"),
];

/// Whether kustomize treats `(api_version, kind)` as certainly cluster-scoped.
///
/// ```
/// use gitops_core::resource::is_cluster_scoped;
/// assert!(is_cluster_scoped("v1", "Namespace"));
/// assert!(!is_cluster_scoped("", "Namespace")); // no apiVersion: not in the schema
/// assert!(!is_cluster_scoped("example.com/v1", "Widget"));
/// ```
pub fn is_cluster_scoped(api_version: &str, kind: &str) -> bool {
    CLUSTER_SCOPED.binary_search(&(api_version, kind)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(CLUSTER_SCOPED.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(CLUSTER_SCOPED.len(), 36);
    }

    #[test]
    fn scope_table() {
        let cases = [
            ("v1", "Namespace", true),
            ("v1", "PersistentVolume", true),
            ("v1", "PersistentVolumeClaim", false),
            ("rbac.authorization.k8s.io/v1", "ClusterRole", true),
            ("rbac.authorization.k8s.io/v1", "Role", false),
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition", true),
            ("apps/v1", "Deployment", false),
            ("example.com/v1", "ClusterThing", false),
            ("v2", "Namespace", false),
        ];
        for (av, k, want) in cases {
            assert_eq!(is_cluster_scoped(av, k), want, "{av} {k}");
        }
    }
}
