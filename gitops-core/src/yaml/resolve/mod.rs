//! Scalar resolution: [`Document`] → [`Value`]. (Owned by the resolver work; placeholder.)
use super::{Document, Error, Limits, Value};

/// Which reader's view of YAML to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// kustomize/kyaml: go-yaml v3 decoding into `interface{}`.
    Kyaml,
    /// The API server, kubectl, Flux SSA and kustomization files: `sigs.k8s.io/yaml.YAMLToJSON` (go-yaml v2, YAML 1.1).
    ApiServer,
}

/// Resolve one document's nodes into a value.
pub fn resolve(_doc: &Document, _profile: Profile, _limits: &Limits) -> Result<Value, Error> {
    unimplemented!("resolver not written yet")
}

/// Parse a stream and resolve every document.
pub fn parse_values(input: &str, profile: Profile, limits: &Limits) -> Result<Vec<Value>, Error> {
    super::parse_stream(input, limits)?.iter().map(|d| resolve(d, profile, limits)).collect()
}
