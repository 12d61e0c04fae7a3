//! gitops-core: the resource model, the YAML layer, and Flux semantics.
//!
//! | module | what it offers |
//! |---|---|
//! | [`yaml`] | parser, scalar resolution profiles, go-yaml v2 emitter |
//! | [`fs`] | the `FileSystem` trait every reader goes through: `RealFs`, in-memory `MemFs` |
//! | [`notify`] | Flux events, Alert routing, Slack/Discord/generic/generic-hmac payloads (sender: feature `notify-send`) |
//! | [`resource`] | `Resource`, `ResId`/`ObjectRef` identities, `ResourceList` and kustomize's legacy order |
//!
//! ```
//! use gitops_core::yaml::Value;
//! assert!(Value::Null.is_null());
//! ```
#![deny(missing_docs, unsafe_code)]

pub mod fs;
pub mod notify;
pub mod resource;
pub mod yaml;
