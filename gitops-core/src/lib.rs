//! gitops-core: the resource model, the YAML layer, and Flux semantics.
//!
//! | module | what it offers |
//! |---|---|
//! | [`yaml`] | parser, scalar resolution profiles, go-yaml v2 emitter |
//!
//! ```
//! use gitops_core::yaml::Value;
//! assert!(Value::Null.is_null());
//! ```
#![deny(missing_docs, unsafe_code)]

pub mod yaml;
