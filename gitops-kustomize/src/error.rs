//! The error of a build. Every message is one line and names the kustomization file (or
//! directory) it comes from.

use std::path::{Path, PathBuf};

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

impl Error {
    /// A stable short name of the variant (`root`, `kustomization`, `unsupported`, `entry`,
    /// `transform`, `output`), for bindings and tools that map errors to their own types.
    ///
    /// ```
    /// let e = gitops_kustomize::Error::Root { dir: "/app".into(), message: "missing".into() };
    /// assert_eq!(e.kind(), "root");
    /// assert_eq!(e.file(), Some(std::path::Path::new("/app")));
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Root { .. } => "root",
            Error::Kustomization { .. } => "kustomization",
            Error::Unsupported { .. } => "unsupported",
            Error::Entry { .. } => "entry",
            Error::Transform { .. } => "transform",
            Error::Output { .. } => "output",
        }
    }

    /// The kustomization file (or root directory) the error names; `None` for `Output`.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Error::Root { dir, .. } => Some(dir),
            Error::Kustomization { file, .. }
            | Error::Unsupported { file, .. }
            | Error::Entry { file, .. }
            | Error::Transform { file, .. } => Some(file),
            Error::Output { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Error;
    use std::path::Path;

    #[test]
    fn kind_and_file_per_variant() {
        let f = || "/k/kustomization.yaml".into();
        let table: Vec<(Error, &str, Option<&str>)> = vec![
            (Error::Root { dir: "/k".into(), message: String::new() }, "root", Some("/k")),
            (
                Error::Kustomization { file: f(), message: String::new() },
                "kustomization",
                Some("/k/kustomization.yaml"),
            ),
            (
                Error::Unsupported { file: f(), field: "x".into() },
                "unsupported",
                Some("/k/kustomization.yaml"),
            ),
            (
                Error::Entry {
                    file: f(),
                    field: "resources",
                    entry: "a".into(),
                    message: String::new(),
                },
                "entry",
                Some("/k/kustomization.yaml"),
            ),
            (
                Error::Transform { file: f(), transformer: "images", message: String::new() },
                "transform",
                Some("/k/kustomization.yaml"),
            ),
            (Error::Output { resource: "r".into(), message: String::new() }, "output", None),
        ];
        for (e, kind, file) in table {
            assert_eq!(e.kind(), kind);
            assert_eq!(e.file(), file.map(Path::new));
        }
    }
}
