//! kustomize build as a library.
//!
//! | item | what |
//! |---|---|
//! | [`build`] / [`build_yaml`] | run `kustomize build` on a directory |
//! | [`Options`] | `--reorder` and `--load-restrictor` |
//! | [`FileSystem`], [`RealFs`], [`MemFs`] | where files come from |
//! | [`Kustomization`] | the typed kustomization file |
//! | [`flux`] | Flux's kustomization.yaml generation and the `render::Builder` (`FluxBuilder`) |
//! | [`fieldspecs`] | kustomize's default field specs, as data |
//! | [`TRANSFORMERS`] | the builtin transformers in their fixed order |
//!
//! ```
//! use gitops_kustomize::{MemFs, Options, build};
//! use std::path::Path;
//! let mut fs = MemFs::new();
//! fs.add_file("/app/kustomization.yaml", "namePrefix: p-\n");
//! let list = build(&fs, Path::new("/app"), &Options::default()).unwrap();
//! assert!(list.is_empty());
//! ```
#![deny(missing_docs, unsafe_code)]

mod build;
mod crds;
mod error;
pub mod fieldspecs;
pub mod flux;
mod generate;
mod kustomization;
mod loader;
mod metadata;
pub mod openapi;
mod patch;
mod plugins;
pub mod reader;
mod remote;
mod replacement;
mod selector;
mod transform;
mod vars;

use std::path::Path;

pub use build::{TRANSFORMERS, build, to_yaml};
pub use error::Error;
pub use generate::{BUILD_ANNOTATIONS, GeneratorArgs, GeneratorOptions, NEEDS_HASH};
pub use gitops_core::fs::{FileSystem, MemFs, RealFs};
pub use kustomization::{FieldSpecArg, ImageArg, Kustomization, LabelArg, ReplicaArg, SortOptions};
pub use loader::{KUSTOMIZATION_FILE_NAMES, LoadError, LoadRestrictor};
pub use remote::RemoteResolver;
pub use replacement::{
    FieldOptions, Replacement, ReplacementEntry, SelectorArg, SourceArg, TargetArg,
};
pub use vars::Var;

/// Output order (`--reorder`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reorder {
    /// kustomize's legacy kind order (the CLI default).
    #[default]
    Legacy,
    /// Input order.
    None,
}

/// Build settings. Default: legacy order, `LoadRestrictionsRootOnly`, no remote targets.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Output order; a top-level `sortOptions` wins over it.
    pub reorder: Reorder,
    /// Which files may be read.
    pub load_restrictor: LoadRestrictor,
    /// Maps remote `resources`/`components` entries (git URLs, `https://…`) to local
    /// copies; without it such an entry is an error naming it.
    pub remote: Option<std::sync::Arc<dyn RemoteResolver>>,
}

/// Build `dir` from the real file system and print it exactly as `kustomize build` does.
pub fn build_yaml(dir: &Path, options: &Options) -> Result<String, Error> {
    let list = build(&RealFs, dir, options)?;
    to_yaml(&list)
}
