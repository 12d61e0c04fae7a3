//! gitops-core: the resource model, the YAML layer, and Flux semantics.
//!
//! | module | what it offers |
//! |---|---|
//! | [`yaml`] | parser, scalar resolution profiles, go-yaml v2 emitter |
//! | [`fs`] | the `FileSystem` trait every reader goes through: `RealFs`, in-memory `MemFs` |
//! | [`flux`] | typed Flux objects (sources, Kustomization, HelmRelease, image automation, notifications), durations |
//! | [`render`] | render a whole cluster: follow Flux Kustomizations from a cluster path, build each one, post-build |
//! | [`notify`] | Flux events, Alert routing, Slack/Discord/generic/generic-hmac payloads (sender: feature `notify-send`) |
//! | [`resource`] | `Resource`, `ResId`/`ObjectRef` identities, `ResourceList` and kustomize's legacy order |
//! | [`resourceset`] | Flux Operator ResourceSets: inputs (Flatten/Permute, providers), the `<< >>` Go-template engine, render |
//! | [`plan`] | Flux's apply stages and sort, change sets, the apply/prune plan of a Kustomization |
//! | [`inventory`] | Flux's inventory (`{id, v}` entries), stale set, prune exclusions |
//! | [`cluster`] | the `Cluster` trait and `LiveDir`, the live-state directory |
//! | [`normalize`] | Flux's normalisation of objects before apply and drift compare |
//! | [`diff`] | drift: structured changes, unified text diff, Secret masking, ignore rules |
//! | [`health`] | kstatus: Current/InProgress/Failed/Terminating with kstatus's messages |
//! | [`workflow`] | the whole-cluster workflow of the CLI: objects from YAML, plan/apply/diff per Kustomization |
//! | [`substitute`] | Flux post-build `${var}` substitution (envsubst grammar, substituteFrom, strict mode) |
//! | [`goregex`] | Go `regexp` (RE2) patterns on the `regex` crate: ASCII classes, `\Q…\E`, octal, literal braces; `ExpandString` |
//! | [`image`] | Flux image automation: ImagePolicy selection (semver/alphabetical/numerical, filterTags) and byte-preserving setters |
//! | `git` | Git sources (feature `git`, gix): Flux ref resolution and revisions, `TreeFs` (a commit as a file system), write-back commits |
//! | [`sourceignore`] | Flux's `.sourceignore`/`spec.ignore` rules and defaults |
//! | [`artifact`] | the source artifact: deterministic tar.gz of the kept files, `sha256:` digest |
//! | `rollback` | `gitops rollback`: the change set of returning a cluster to an earlier revision, and the commit (feature `git`) |
//! | `verify` | OpenPGP verification of commit and tag signatures (feature `pgp`) |
//! | `registry` (feature `oci`) | OCI registry tag listing (distribution API v2: pagination, basic and bearer-token auth), image references |
//! | [`promote`] | environment promotion: compare an app in two environments, byte-preserving edits of the `to` side, verified by re-rendering |
//! | [`deps`] | the `dependsOn` DAG of Kustomizations and HelmReleases: order, waves, DOT/Mermaid |
//!
//! ```
//! use gitops_core::yaml::Value;
//! assert!(Value::Null.is_null());
//! ```
#![deny(missing_docs, unsafe_code)]

pub mod artifact;
pub mod cluster;
pub mod deps;
pub mod diff;
pub mod flux;
pub mod fs;
#[cfg(feature = "git")]
pub mod git;
pub mod goregex;
pub mod health;
#[cfg(any(feature = "notify-send", feature = "oci"))]
mod http;
pub mod image;
pub mod inventory;
pub mod normalize;
pub mod notify;
pub mod plan;
pub mod promote;
#[cfg(feature = "oci")]
pub mod registry;
pub mod render;
pub mod resource;
pub mod resourceset;
#[cfg(feature = "git")]
pub mod rollback;
pub mod sourceignore;
pub mod substitute;
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod testing;
#[cfg(feature = "pgp")]
pub mod verify;
pub mod workflow;
pub mod yaml;

/// The message of `e` followed by its causes, `: `-separated; a cause whose text the
/// message already shows is not repeated (errors here often quote their source).
///
/// ```
/// #[derive(Debug, thiserror::Error)]
/// #[error("writing live/app.yaml")]
/// struct Outer(#[source] std::io::Error);
/// let e = Outer(std::io::Error::other("disk full"));
/// assert_eq!(gitops_core::error_chain(&e), "writing live/app.yaml: disk full");
/// ```
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}
