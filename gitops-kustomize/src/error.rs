//! The error of a build. Every message is one line and names the kustomization file (or
//! directory) it comes from.

use std::path::PathBuf;

/// Why `build` failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A kustomization root could not be opened, or its kustomization file not found.
    #[error("{}: {message}", dir.display())]
    Root {
        /// The directory.
        dir: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The kustomization file is malformed or invalid.
    #[error("{}: {message}", file.display())]
    Kustomization {
        /// The kustomization file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A field this build does not implement yet.
    #[error("{}: not supported yet: {field}", file.display())]
    Unsupported {
        /// The kustomization file.
        file: PathBuf,
        /// The field name.
        field: String,
    },
    /// One entry of a list field (`resources`) failed. For `resources` the text carries
    /// kustomize's wording (`accumulating resources from '<entry>'`).
    #[error("{}: {}", file.display(), entry_text(field, entry, message))]
    Entry {
        /// The kustomization file.
        file: PathBuf,
        /// The field (`resources`).
        field: &'static str,
        /// The entry as written.
        entry: String,
        /// What went wrong (with the line and column for YAML errors).
        message: String,
    },
    /// A transformer failed.
    #[error("{}: {transformer}: {message}", file.display())]
    Transform {
        /// The kustomization file.
        file: PathBuf,
        /// The transformer (its kustomization field name).
        transformer: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The result could not be printed.
    #[error("printing {resource}: {message}")]
    Output {
        /// The resource id.
        resource: String,
        /// What went wrong.
        message: String,
    },
}

/// The entry part of [`Error::Entry`]: kustomize's `accumulating resources from '<entry>'`
/// for resources, `<field> entry '<entry>'` for the other list fields.
fn entry_text(field: &str, entry: &str, message: &str) -> String {
    if field == "resources" {
        format!("accumulating resources from '{entry}': {message}")
    } else {
        format!("{field} entry '{entry}': {message}")
    }
}
