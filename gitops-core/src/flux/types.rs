//! The typed Flux objects. Every struct keeps the fields it does not name in `rest`, so
//! reading and writing an object loses nothing.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::yaml::{Mapping, Value};

fn is_false(b: &bool) -> bool {
    !*b
}

/// `metadata` of a Flux object.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ObjectMeta {
    /// `metadata.name`.
    #[serde(default)]
    pub name: String,
    /// `metadata.namespace` (empty when not set).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// `metadata.labels`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub labels: IndexMap<String, String>,
    /// `metadata.annotations`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub annotations: IndexMap<String, String>,
    /// Every other metadata field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// A Flux object: type meta, metadata, a typed `spec`, and everything else kept as is
/// (`status` included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Object<S> {
    /// `apiVersion`.
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: S,
    /// Every other top-level field (`status`, ...).
    #[serde(flatten)]
    pub rest: Mapping,
}

impl<S> Object<S> {
    /// `Kind/namespace/name` (or `Kind/name` without a namespace), as Flux prints it.
    pub fn display_id(&self) -> String {
        if self.metadata.namespace.is_empty() {
            format!("{}/{}", self.kind, self.metadata.name)
        } else {
            format!("{}/{}/{}", self.kind, self.metadata.namespace, self.metadata.name)
        }
    }
}

/// A reference to a Secret or ConfigMap by name (`meta.LocalObjectReference`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LocalObjectReference {
    /// The name.
    pub name: String,
}

/// A cross-namespace reference to a source (`sourceRef`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CrossNamespaceSourceReference {
    /// API version of the referent (optional).
    #[serde(rename = "apiVersion", default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// Kind of the referent.
    pub kind: String,
    /// Name of the referent.
    pub name: String,
    /// Namespace of the referent; defaults to the referrer's.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

impl CrossNamespaceSourceReference {
    /// `Kind/namespace/name` with the namespace defaulted to `default_ns`.
    pub fn key(&self, default_ns: &str) -> String {
        let ns = if self.namespace.is_empty() { default_ns } else { &self.namespace };
        format!("{}/{}/{}", self.kind, ns, self.name)
    }
}

/// A `dependsOn` entry (`meta.DependencyReference`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DependencyReference {
    /// Name of the dependency.
    pub name: String,
    /// Namespace; defaults to the dependant's.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// CEL readiness expression.
    #[serde(rename = "readyExpr", default, skip_serializing_if = "String::is_empty")]
    pub ready_expr: String,
}

/// A kustomize resource selector (`fluxcd/pkg apis/kustomize.Selector`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Selector {
    /// API group.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// API version.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Kind.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Annotation selector.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub annotation_selector: String,
    /// Label selector.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label_selector: String,
}

/// A `patches` entry: a strategic merge or JSON 6902 patch with an optional target.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Patch {
    /// The patch text.
    pub patch: String,
    /// Which objects it applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Selector>,
}

/// An `images` entry (kustomize's image override).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// The image name to match.
    pub name: String,
    /// Replacement name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub new_name: String,
    /// Replacement tag.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub new_tag: String,
    /// Replacement digest.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub digest: String,
}

/// A health check reference (`meta.NamespacedObjectKindReference`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HealthCheck {
    /// API version; empty means `apps/v1`.
    #[serde(rename = "apiVersion", default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

/// A `healthCheckExprs` entry (CEL).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheckExpr {
    /// API version (group matters, version ignored).
    pub api_version: String,
    /// Kind (optional).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// The expression for Current.
    pub current: String,
    /// The expression for InProgress.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub in_progress: String,
    /// The expression for Failed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub failed: String,
}

/// `commonMetadata`: labels and annotations set on every object after the build.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CommonMetadata {
    /// Labels.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub labels: IndexMap<String, String>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub annotations: IndexMap<String, String>,
}

/// A `postBuild.substituteFrom` entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SubstituteReference {
    /// `ConfigMap` or `Secret`.
    pub kind: String,
    /// Name, in the Kustomization's namespace.
    pub name: String,
    /// A missing object counts as empty.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
}

/// `postBuild`: variable substitution settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostBuild {
    /// Inline variables (they win over `substituteFrom`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub substitute: IndexMap<String, String>,
    /// ConfigMaps and Secrets to read variables from, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub substitute_from: Vec<SubstituteReference>,
    /// `WithVariables` (default) or `Always`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub substitute_strategy: String,
}

/// `decryption`: SOPS settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Decryption {
    /// `sops`.
    pub provider: String,
    /// The Secret with the keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// A drift-ignore rule (`spec.ignore[]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct IgnoreRule {
    /// JSON pointers to ignore.
    pub paths: Vec<String>,
    /// Which objects the rule is for (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Selector>,
}

/// `spec` of a Kustomization (`kustomize.toolkit.fluxcd.io/v1`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KustomizationSpec {
    /// The source to build from (required).
    pub source_ref: CrossNamespaceSourceReference,
    /// Path inside the source (default: its root).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// Reconcile interval (required).
    pub interval: String,
    /// Interval after a failure.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub retry_interval: String,
    /// Health check / apply timeout.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub timeout: String,
    /// Garbage collection of stale objects (required).
    pub prune: bool,
    /// `MirrorPrune` (default), `Delete`, `WaitForTermination`, `Orphan`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub deletion_policy: String,
    /// Kustomizations that must be ready first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<DependencyReference>,
    /// Objects to health-check.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_checks: Vec<HealthCheck>,
    /// Custom health checks in CEL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_check_exprs: Vec<HealthCheckExpr>,
    /// Wait for every applied object.
    #[serde(default, skip_serializing_if = "is_false")]
    pub wait: bool,
    /// Recreate objects on immutable-field changes.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force: bool,
    /// kustomize `namespace`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target_namespace: String,
    /// kustomize `namePrefix`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name_prefix: String,
    /// kustomize `nameSuffix`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name_suffix: String,
    /// kustomize `patches`, appended.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patches: Vec<Patch>,
    /// kustomize `images`, merged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
    /// kustomize `components`, appended (local relative paths).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    /// Drop component directories that do not exist.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ignore_missing_components: bool,
    /// kustomize `buildMetadata` (replaces).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub build_metadata: Vec<String>,
    /// Labels and annotations for every object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_metadata: Option<CommonMetadata>,
    /// Post-build substitution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_build: Option<PostBuild>,
    /// SOPS decryption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decryption: Option<Decryption>,
    /// Drift-ignore rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<IgnoreRule>,
    /// Impersonation.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub service_account_name: String,
    /// Skip reconciles.
    #[serde(default, skip_serializing_if = "is_false")]
    pub suspend: bool,
    /// Every other field (`kubeConfig`, ...).
    #[serde(flatten)]
    pub rest: Mapping,
}

/// `spec` of a GitRepository.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GitRepositorySpec {
    /// Repository URL (required).
    pub url: String,
    /// Fetch interval (required).
    pub interval: String,
    /// `ref` (branch, tag, semver, name, commit).
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Mapping>,
    /// Credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// `.sourceignore`-style patterns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// `spec` of an OCIRepository.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OciRepositorySpec {
    /// `oci://` URL (required).
    pub url: String,
    /// Fetch interval (required).
    pub interval: String,
    /// `ref` (tag, semver, digest).
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Mapping>,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// `spec` of a Bucket.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BucketSpec {
    /// Bucket name (required).
    pub bucket_name: String,
    /// Endpoint (required).
    pub endpoint: String,
    /// Fetch interval (required).
    pub interval: String,
    /// `generic`, `aws`, `gcp`, `azure`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provider: String,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// `spec` of a HelmRepository.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HelmRepositorySpec {
    /// Repository URL (required).
    pub url: String,
    /// Fetch interval.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub interval: String,
    /// `default` or `oci`.
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub repo_type: String,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// `spec` of an ExternalArtifact (`source.toolkit.fluxcd.io/v1`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalArtifactSpec {
    /// The object that produces the artifact (an ArtifactGenerator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref: Option<CrossNamespaceSourceReference>,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// A source of an ArtifactGenerator.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GeneratorSource {
    /// Alias used in `copy` (`@alias/...`).
    pub alias: String,
    /// `GitRepository`, `OCIRepository`, `Bucket` (also `HelmChart`, `ExternalArtifact`).
    pub kind: String,
    /// Name.
    pub name: String,
    /// Namespace; defaults to the generator's.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

/// A copy operation of an output artifact.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CopyOperation {
    /// `@<alias>/<glob>`.
    pub from: String,
    /// `@artifact/<path>`.
    pub to: String,
    /// Glob patterns to leave out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// `Overwrite` (default), `Merge`, `Extract`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub strategy: String,
    /// No match is not an error.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
}

/// An output artifact of an ArtifactGenerator (an ExternalArtifact of that name).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OutputArtifact {
    /// Name of the ExternalArtifact.
    pub name: String,
    /// `@<alias>` whose revision the artifact carries.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub revision: String,
    /// Copy operations, in order; later ones overwrite.
    pub copy: Vec<CopyOperation>,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// `spec` of an ArtifactGenerator (`source.extensions.fluxcd.io/v1beta1`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ArtifactGeneratorSpec {
    /// Input sources (required).
    pub sources: Vec<GeneratorSource>,
    /// Output artifacts (required).
    pub artifacts: Vec<OutputArtifact>,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// `spec` of a HelmRelease (`helm.toolkit.fluxcd.io/v2`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HelmReleaseSpec {
    /// Reconcile interval (required).
    pub interval: String,
    /// The chart template (`chart.spec`); exactly one of `chart` and `chartRef`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<Value>,
    /// A reference to an OCIRepository, HelmChart or ExternalArtifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart_ref: Option<CrossNamespaceSourceReference>,
    /// Release name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub release_name: String,
    /// Namespace to install into.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target_namespace: String,
    /// HelmReleases that must be ready first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<DependencyReference>,
    /// Inline values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Value>,
    /// Every other field (`valuesFrom`, `install`, ...).
    #[serde(flatten)]
    pub rest: Mapping,
}

/// `spec` of an ImageRepository.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageRepositorySpec {
    /// The image (required).
    pub image: String,
    /// Scan interval.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub interval: String,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// `spec` of an ImagePolicy.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImagePolicySpec {
    /// The ImageRepository (required).
    pub image_repository_ref: CrossNamespaceSourceRefName,
    /// `semver`, `alphabetical` or `numerical` (required).
    pub policy: Mapping,
    /// Tag filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_tags: Option<Mapping>,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// A name and optional namespace.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CrossNamespaceSourceRefName {
    /// Name.
    pub name: String,
    /// Namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

/// `spec` of an ImageUpdateAutomation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageUpdateAutomationSpec {
    /// Run interval (required).
    pub interval: String,
    /// The GitRepository to update (required).
    pub source_ref: CrossNamespaceSourceReference,
    /// Commit and push settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<Value>,
    /// What to update (`path`, `strategy: Setters`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<Value>,
    /// Which ImagePolicies to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_selector: Option<Value>,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// An Alert event source.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventSource {
    /// API version (unused for matching).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Name or `*`.
    pub name: String,
    /// Namespace (defaults to the Alert's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Label match.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub match_labels: IndexMap<String, String>,
}

/// `spec` of an Alert (`notification.toolkit.fluxcd.io/v1beta3`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertSpec {
    /// The Provider (required).
    pub provider_ref: LocalObjectReference,
    /// Event sources (required).
    pub event_sources: Vec<EventSource>,
    /// `info` (default) or `error`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub event_severity: String,
    /// Regexes a message must match (any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inclusion_list: Vec<String>,
    /// Regexes that drop a message (any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusion_list: Vec<String>,
    /// Extra metadata.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub event_metadata: IndexMap<String, String>,
    /// Deprecated summary.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// Skip events.
    #[serde(default, skip_serializing_if = "is_false")]
    pub suspend: bool,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}

/// `spec` of a Provider (`notification.toolkit.fluxcd.io/v1beta3`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderSpec {
    /// `slack`, `discord`, `generic`, `generic-hmac`, ... (required).
    #[serde(rename = "type")]
    pub provider_type: String,
    /// Channel.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub channel: String,
    /// Bot user name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub username: String,
    /// Webhook address.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// Dispatch timeout.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub timeout: String,
    /// Secret with `address`, `token`, `headers`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    /// Skip dispatch.
    #[serde(default, skip_serializing_if = "is_false")]
    pub suspend: bool,
    /// Every other field.
    #[serde(flatten)]
    pub rest: Mapping,
}
