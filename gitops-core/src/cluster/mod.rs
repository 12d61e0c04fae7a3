//! Where objects are applied: the [`Cluster`] trait and [`LiveDir`], its embedded default
//! (a live-state directory of YAML files).
//!
//! | item | what |
//! |---|---|
//! | [`Cluster`] | get, list, apply, delete (each with dry-run) and a Kustomization's inventory |
//! | [`Selector`] | which objects [`Cluster::list`] returns: all, or those of one owner |
//! | [`Applied`] | what an apply did: `created`, `configured` or `unchanged`, and the stored object |
//! | [`LiveDir`] | one YAML file per object, one inventory file per Kustomization, atomic writes |
//!
//! The trait carries no Kubernetes client types, so a kube-rs backed implementation
//! (`gitops-kube`) can implement it; its errors go in [`Error::Backend`].
//!
//! ```
//! use gitops_core::cluster::{Cluster, LiveDir, Selector};
//! let dir = std::env::temp_dir().join(format!("gitops-doc-cluster-{}", std::process::id()));
//! let live = LiveDir::open(&dir).unwrap();
//! assert!(live.list(&Selector::All).unwrap().is_empty());
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

mod livedir;

pub use livedir::LiveDir;

use std::path::PathBuf;

use crate::inventory::{Inventory, Owner};
use crate::plan::Action;
use crate::resource::{ObjectRef, Resource};

/// Which objects [`Cluster::list`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// Every object.
    All,
    /// The objects carrying both owner labels of this Kustomization
    /// (`kustomize.toolkit.fluxcd.io/name`, `kustomize.toolkit.fluxcd.io/namespace`).
    Owner(Owner),
}

/// The result of [`Cluster::apply`].
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// [`Action::Created`], [`Action::Configured`] or [`Action::Unchanged`].
    pub action: Action,
    /// The object as the cluster stores it (or would, on a dry run).
    pub object: Resource,
}

/// A cluster operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("cannot {op} {}", path.display())]
    Io {
        /// What was attempted (`read`, `write`, `rename`, `remove`, `list`, ...).
        op: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A live file is not valid YAML.
    #[error("cannot parse {}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: crate::yaml::Error,
    },
    /// A live file does not hold one object with apiVersion, kind and metadata.name.
    #[error("{}: not a Kubernetes object (one document with apiVersion, kind and metadata.name)", path.display())]
    NotAnObject {
        /// The file.
        path: PathBuf,
    },
    /// An object cannot be stored: an identity part that is not a safe path segment, or a
    /// missing kind/name.
    #[error("{subject}: invalid {what} {value:?}")]
    InvalidId {
        /// `Kind/namespace/name` of the object.
        subject: String,
        /// Which part (`name`, `namespace`, `kind`, `group`).
        what: &'static str,
        /// The offending text.
        value: String,
    },
    /// An object cannot be written as YAML.
    #[error("cannot write {subject} as YAML")]
    Emit {
        /// `Kind/namespace/name` of the object.
        subject: String,
        /// The cause.
        #[source]
        source: crate::yaml::Error,
    },
    /// An inventory file is malformed.
    #[error("invalid inventory file {}", path.display())]
    Inventory {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: crate::inventory::Error,
    },
    /// An error of another backend (for example a Kubernetes API error), as text.
    #[error("{0}")]
    Backend(String),
}

/// A place objects are applied to: a live-state directory ([`LiveDir`]) or, through another
/// crate, a real cluster.
///
/// Every mutating call takes `dry_run`: `true` computes the result without changing
/// anything. Implementations need not be thread-safe.
pub trait Cluster {
    /// The live object with this identity (the version, when given, may be ignored).
    fn get(&self, id: &ObjectRef) -> Result<Option<Resource>, Error>;

    /// The live objects matching `selector`, in apply order.
    fn list(&self, selector: &Selector) -> Result<Vec<Resource>, Error>;

    /// Store `object` as the API server would: the desired object, keeping the live
    /// object's `status` and server-set metadata.
    fn apply(&mut self, object: &Resource, dry_run: bool) -> Result<Applied, Error>;

    /// Delete the object; `Ok(false)` when it did not exist.
    fn delete(&mut self, id: &ObjectRef, dry_run: bool) -> Result<bool, Error>;

    /// The stored inventory of a Kustomization, if any.
    fn read_inventory(&self, owner: &Owner) -> Result<Option<Inventory>, Error>;

    /// Replace the stored inventory of a Kustomization.
    fn write_inventory(
        &mut self,
        owner: &Owner,
        inventory: &Inventory,
        dry_run: bool,
    ) -> Result<(), Error>;
}
