//! Typed Flux objects: sources (GitRepository, OCIRepository, Bucket, HelmRepository,
//! ExternalArtifact, ArtifactGenerator), Kustomization, HelmRelease, image automation and
//! notification objects.
//!
//! | item | what |
//! |---|---|
//! | [`parse`] | a [`Resource`] → `Some(`[`FluxObject`]`)` for the kinds below, `None` for anything else |
//! | [`FluxObject`] | one variant per kind, each an [`Object`] with a typed `spec` |
//! | [`SERVED`] | the accepted `apiVersion`s per kind (Flux 2.7 – 2.9) |
//! | [`parse_duration`] / [`effective_timeout`] | Flux's duration pattern and the Kustomization timeout rule |
//!
//! Unknown fields are kept (`rest` on every struct), so [`FluxObject::to_value`] gives the
//! object back with nothing lost. A Flux group with an `apiVersion` it does not serve, a
//! missing required field or a malformed duration is an [`Error`] naming the object.
//!
//! ```
//! use gitops_core::flux::{FluxObject, parse};
//! use gitops_core::resource::Resource;
//! use gitops_core::yaml::{Limits, Profile, parse_values};
//! let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n\
//!     metadata: {name: apps, namespace: flux-system}\n\
//!     spec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}\n";
//! let v = parse_values(text, Profile::ApiServer, &Limits::default()).unwrap().remove(0);
//! let Some(FluxObject::Kustomization(ks)) = parse(&Resource::new(v)).unwrap() else { panic!() };
//! assert_eq!(ks.spec.path, "./apps");
//! assert!(ks.spec.prune);
//! ```

mod duration;
mod types;

pub use duration::{DURATION_PATTERN, DurationError, effective_timeout, parse_duration};
pub use types::*;

use crate::resource::Resource;
use crate::yaml::{Value, from_value, to_value};

/// Why a Flux object could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The `apiVersion` is not one Flux serves for that kind.
    #[error(
        "{object}: apiVersion '{api_version}' is not served for {kind}, expected one of: {}",
        expected.join(", ")
    )]
    ApiVersion {
        /// `Kind/namespace/name`.
        object: String,
        /// The kind.
        kind: String,
        /// The `apiVersion` as written.
        api_version: String,
        /// The served `apiVersion`s.
        expected: Vec<String>,
    },
    /// A field is missing or has the wrong type (`spec: missing field `interval``).
    #[error("{object}: {message}")]
    Field {
        /// `Kind/namespace/name`.
        object: String,
        /// Which field and what is wrong.
        message: String,
    },
    /// A duration field does not match Flux's pattern.
    #[error("{object}: {field}: {source}")]
    Duration {
        /// `Kind/namespace/name`.
        object: String,
        /// The field (`spec.interval`).
        field: String,
        /// The parse error.
        source: DurationError,
    },
}

/// The Flux kinds this module reads, with the group and the versions served (newest first).
pub const SERVED: &[(&str, &str, &[&str])] = &[
    ("source.toolkit.fluxcd.io", "GitRepository", &["v1", "v1beta2"]),
    ("source.toolkit.fluxcd.io", "OCIRepository", &["v1", "v1beta2"]),
    ("source.toolkit.fluxcd.io", "Bucket", &["v1", "v1beta2"]),
    ("source.toolkit.fluxcd.io", "HelmRepository", &["v1", "v1beta2"]),
    ("source.toolkit.fluxcd.io", "ExternalArtifact", &["v1"]),
    ("source.extensions.fluxcd.io", "ArtifactGenerator", &["v1beta1"]),
    ("kustomize.toolkit.fluxcd.io", "Kustomization", &["v1", "v1beta2"]),
    ("helm.toolkit.fluxcd.io", "HelmRelease", &["v2", "v2beta2"]),
    ("image.toolkit.fluxcd.io", "ImageRepository", &["v1", "v1beta2"]),
    ("image.toolkit.fluxcd.io", "ImagePolicy", &["v1", "v1beta2"]),
    ("image.toolkit.fluxcd.io", "ImageUpdateAutomation", &["v1", "v1beta2"]),
    ("notification.toolkit.fluxcd.io", "Alert", &["v1beta3", "v1beta2"]),
    ("notification.toolkit.fluxcd.io", "Provider", &["v1beta3", "v1beta2"]),
];

/// A GitRepository.
pub type GitRepository = Object<GitRepositorySpec>;
/// An OCIRepository.
pub type OciRepository = Object<OciRepositorySpec>;
/// A Bucket.
pub type Bucket = Object<BucketSpec>;
/// A HelmRepository.
pub type HelmRepository = Object<HelmRepositorySpec>;
/// An ExternalArtifact.
pub type ExternalArtifact = Object<ExternalArtifactSpec>;
/// An ArtifactGenerator.
pub type ArtifactGenerator = Object<ArtifactGeneratorSpec>;
/// A Flux Kustomization.
pub type Kustomization = Object<KustomizationSpec>;
/// A HelmRelease.
pub type HelmRelease = Object<HelmReleaseSpec>;
/// An ImageRepository.
pub type ImageRepository = Object<ImageRepositorySpec>;
/// An ImagePolicy.
pub type ImagePolicy = Object<ImagePolicySpec>;
/// An ImageUpdateAutomation.
pub type ImageUpdateAutomation = Object<ImageUpdateAutomationSpec>;
/// An Alert.
pub type Alert = Object<AlertSpec>;
/// A notification Provider.
pub type Provider = Object<ProviderSpec>;

/// One Flux object, typed by kind.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
// The variants differ in size (a Kustomization spec is large); objects are read once per
// render and matched on directly, so boxing would only add indirection.
#[allow(clippy::large_enum_variant)]
pub enum FluxObject {
    GitRepository(GitRepository),
    OciRepository(OciRepository),
    Bucket(Bucket),
    HelmRepository(HelmRepository),
    ExternalArtifact(ExternalArtifact),
    ArtifactGenerator(ArtifactGenerator),
    Kustomization(Kustomization),
    HelmRelease(HelmRelease),
    ImageRepository(ImageRepository),
    ImagePolicy(ImagePolicy),
    ImageUpdateAutomation(ImageUpdateAutomation),
    Alert(Alert),
    Provider(Provider),
}

macro_rules! each {
    ($self:expr, $o:ident => $e:expr) => {
        match $self {
            FluxObject::GitRepository($o) => $e,
            FluxObject::OciRepository($o) => $e,
            FluxObject::Bucket($o) => $e,
            FluxObject::HelmRepository($o) => $e,
            FluxObject::ExternalArtifact($o) => $e,
            FluxObject::ArtifactGenerator($o) => $e,
            FluxObject::Kustomization($o) => $e,
            FluxObject::HelmRelease($o) => $e,
            FluxObject::ImageRepository($o) => $e,
            FluxObject::ImagePolicy($o) => $e,
            FluxObject::ImageUpdateAutomation($o) => $e,
            FluxObject::Alert($o) => $e,
            FluxObject::Provider($o) => $e,
        }
    };
}

impl FluxObject {
    /// The metadata.
    pub fn metadata(&self) -> &ObjectMeta {
        each!(self, o => &o.metadata)
    }

    /// The kind.
    pub fn kind(&self) -> &str {
        each!(self, o => &o.kind)
    }

    /// `Kind/namespace/name`.
    pub fn display_id(&self) -> String {
        each!(self, o => o.display_id())
    }

    /// The object as a [`Value`] again (unknown fields included).
    pub fn to_value(&self) -> Result<Value, crate::yaml::Error> {
        each!(self, o => to_value(o))
    }
}

fn object_id(res: &Resource) -> String {
    if res.namespace().is_empty() {
        format!("{}/{}", res.kind(), res.name())
    } else {
        format!("{}/{}/{}", res.kind(), res.namespace(), res.name())
    }
}

/// Read a resource as a Flux object: `Ok(None)` when its group and kind are not one of
/// [`SERVED`], an [`Error`] when they are but the version is not served, a required field
/// is missing or a field is malformed.
pub fn parse(res: &Resource) -> Result<Option<FluxObject>, Error> {
    let (group, kind, version) = (res.group(), res.kind(), res.version());
    let Some((_, _, versions)) = SERVED.iter().find(|(g, k, _)| *g == group && *k == kind) else {
        return Ok(None);
    };
    let object = object_id(res);
    if !versions.contains(&version) {
        return Err(Error::ApiVersion {
            object,
            kind: kind.to_owned(),
            api_version: res.api_version().to_owned(),
            expected: versions.iter().map(|v| format!("{group}/{v}")).collect(),
        });
    }
    let v = res.value();
    let field = |e: crate::yaml::Error| {
        let message = match e {
            crate::yaml::Error::Data { message } => message,
            other => other.to_string(),
        };
        Error::Field { object: object.clone(), message }
    };
    if v.get("spec").is_none_or(Value::is_null) {
        return Err(Error::Field { object, message: "missing field `spec`".into() });
    }
    let obj = match kind {
        "GitRepository" => FluxObject::GitRepository(from_value(v).map_err(field)?),
        "OCIRepository" => FluxObject::OciRepository(from_value(v).map_err(field)?),
        "Bucket" => FluxObject::Bucket(from_value(v).map_err(field)?),
        "HelmRepository" => FluxObject::HelmRepository(from_value(v).map_err(field)?),
        "ExternalArtifact" => FluxObject::ExternalArtifact(from_value(v).map_err(field)?),
        "ArtifactGenerator" => FluxObject::ArtifactGenerator(from_value(v).map_err(field)?),
        "Kustomization" => FluxObject::Kustomization(from_value(v).map_err(field)?),
        "HelmRelease" => FluxObject::HelmRelease(from_value(v).map_err(field)?),
        "ImageRepository" => FluxObject::ImageRepository(from_value(v).map_err(field)?),
        "ImagePolicy" => FluxObject::ImagePolicy(from_value(v).map_err(field)?),
        "ImageUpdateAutomation" => FluxObject::ImageUpdateAutomation(from_value(v).map_err(field)?),
        "Alert" => FluxObject::Alert(from_value(v).map_err(field)?),
        "Provider" => FluxObject::Provider(from_value(v).map_err(field)?),
        _ => return Ok(None),
    };
    validate(&obj, &object)?;
    Ok(Some(obj))
}

/// The duration fields of a spec, with their names.
fn durations(obj: &FluxObject) -> Vec<(&'static str, &str)> {
    match obj {
        FluxObject::GitRepository(o) => vec![("interval", &o.spec.interval)],
        FluxObject::OciRepository(o) => vec![("interval", &o.spec.interval)],
        FluxObject::Bucket(o) => vec![("interval", &o.spec.interval)],
        FluxObject::HelmRepository(o) => vec![("interval", &o.spec.interval)],
        FluxObject::Kustomization(o) => vec![
            ("interval", o.spec.interval.as_str()),
            ("retryInterval", &o.spec.retry_interval),
            ("timeout", &o.spec.timeout),
        ],
        FluxObject::HelmRelease(o) => vec![("interval", &o.spec.interval)],
        FluxObject::ImageRepository(o) => vec![("interval", &o.spec.interval)],
        FluxObject::ImageUpdateAutomation(o) => vec![("interval", &o.spec.interval)],
        FluxObject::Provider(o) => vec![("timeout", &o.spec.timeout)],
        FluxObject::ExternalArtifact(_)
        | FluxObject::ArtifactGenerator(_)
        | FluxObject::ImagePolicy(_)
        | FluxObject::Alert(_) => vec![],
    }
}

fn validate(obj: &FluxObject, object: &str) -> Result<(), Error> {
    for (name, text) in durations(obj) {
        if text.is_empty() {
            continue;
        }
        parse_duration(text).map_err(|source| Error::Duration {
            object: object.to_owned(),
            field: format!("spec.{name}"),
            source,
        })?;
    }
    let bad = |message: String| Err(Error::Field { object: object.to_owned(), message });
    match obj {
        FluxObject::Kustomization(k) => {
            for c in &k.spec.components {
                if c.starts_with('/') || c.contains("://") {
                    return bad(format!(
                        "spec.components: component path '{c}' must be local and relative"
                    ));
                }
            }
        }
        FluxObject::HelmRelease(h) if h.spec.chart.is_some() == h.spec.chart_ref.is_some() => {
            return bad("spec: either chart or chartRef must be set".into());
        }
        FluxObject::ArtifactGenerator(g) => {
            if g.spec.sources.is_empty() {
                return bad("spec.sources: at least one source is required".into());
            }
            if g.spec.artifacts.is_empty() {
                return bad("spec.artifacts: at least one artifact is required".into());
            }
            for (i, a) in g.spec.artifacts.iter().enumerate() {
                if a.copy.is_empty() {
                    return bad(format!(
                        "spec.artifacts[{i}].copy: at least one copy operation is required"
                    ));
                }
                for (j, c) in a.copy.iter().enumerate() {
                    let from_ok = c
                        .from
                        .strip_prefix('@')
                        .and_then(|r| r.split_once('/'))
                        .is_some_and(|(alias, _)| !alias.is_empty());
                    if !from_ok {
                        return bad(format!(
                            "spec.artifacts[{i}].copy[{j}].from: '{}' must have the form '@<alias>/<pattern>'",
                            c.from
                        ));
                    }
                    if !c.to.starts_with("@artifact/") {
                        return bad(format!(
                            "spec.artifacts[{i}].copy[{j}].to: '{}' must start with '@artifact/'",
                            c.to
                        ));
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests;
