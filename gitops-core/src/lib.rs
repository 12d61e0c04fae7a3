//! gitops-core: the resource model, the YAML layer, and Flux semantics.
//!
//! | module | what it offers |
//! |---|---|
//! | [`yaml`] | parser, scalar resolution profiles, go-yaml v2 emitter |
//! | [`fs`] | the `FileSystem` trait every reader goes through: `RealFs`, in-memory `MemFs` |
//! | [`flux`] | typed Flux objects (sources, Kustomization, HelmRelease, image automation, notifications), durations |
//! | [`render`] | render a whole cluster: follow Flux Kustomizations from a cluster path, build each one, post-build |
//! | [`resource`] | `Resource`, `ResId`/`ObjectRef` identities, `ResourceList` and kustomize's legacy order |
//! | [`substitute`] | Flux post-build `${var}` substitution (envsubst grammar, substituteFrom, strict mode) |
//! | [`deps`] | the `dependsOn` DAG of Kustomizations and HelmReleases: order, waves, DOT/Mermaid |
//!
//! ```
//! use gitops_core::yaml::Value;
//! assert!(Value::Null.is_null());
//! ```
#![deny(missing_docs, unsafe_code)]

pub mod deps;
pub mod flux;
pub mod fs;
pub mod render;
pub mod resource;
pub mod substitute;
pub mod yaml;
