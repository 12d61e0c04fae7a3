//! Remote `resources` / `components` entries (git repositories and URLs).
//!
//! This build never fetches anything itself. A remote entry is an error naming the entry
//! unless the caller supplies a [`RemoteResolver`] in [`crate::Options::remote`], which
//! maps the URL to a local directory (for example a cache of checked-out repositories)
//! that is then built in its place.

use std::path::PathBuf;

/// Maps a remote `resources` or `components` entry to a local copy.
///
/// ```
/// use gitops_kustomize::RemoteResolver;
/// use std::path::PathBuf;
///
/// #[derive(Debug)]
/// struct Cache(PathBuf);
/// impl RemoteResolver for Cache {
///     fn resolve(&self, url: &str) -> Result<PathBuf, String> {
///         let key: String =
///             url.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
///         Ok(self.0.join(key))
///     }
/// }
/// let c = Cache(PathBuf::from("/cache"));
/// assert_eq!(c.resolve("github.com/a/b?ref=v1").unwrap(), PathBuf::from("/cache/github_com_a_b_ref_v1"));
/// ```
pub trait RemoteResolver: std::fmt::Debug + Send + Sync {
    /// The local directory (a kustomization root) or file to use for `url`.
    fn resolve(&self, url: &str) -> Result<PathBuf, String>;
}

/// Whether a `resources`/`components` entry names a remote target as kustomize
/// recognises them: URLs (`https://`, `http://`, `ssh://`, `git::`, `file://`),
/// scp-like git addresses (`git@host:org/repo`), and host-prefixed repository paths
/// (`github.com/org/repo`, `gitlab.com/…`, `bitbucket.org/…`, any path with `?ref=`
/// or `.git`).
pub(crate) fn is_remote(entry: &str) -> bool {
    let e = entry.trim();
    const SCHEMES: &[&str] = &["https://", "http://", "ssh://", "git::", "file://", "gh:"];
    if SCHEMES.iter().any(|s| e.starts_with(s)) {
        return true;
    }
    if e.starts_with("git@") && e.contains(':') {
        return true;
    }
    const HOSTS: &[&str] = &["github.com/", "gitlab.com/", "bitbucket.org/", "dev.azure.com/"];
    if HOSTS.iter().any(|h| e.starts_with(h)) {
        return true;
    }
    !e.starts_with('.') && !e.starts_with('/') && (e.contains("?ref=") || e.contains(".git/"))
}

/// The message for a remote entry without a resolver.
pub(crate) fn unsupported(entry: &str) -> String {
    format!(
        "remote resource '{entry}' is not supported: this build does not fetch remote targets (supply Options::remote to map it to a local directory)"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn is_remote_table() {
        let cases = [
            ("https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v1", true),
            ("github.com/org/repo/dir?ref=main", true),
            ("git@github.com:org/repo.git", true),
            ("ssh://git@github.com/org/repo", true),
            ("https://raw.githubusercontent.com/x/y/main/a.yaml", true),
            ("../base", false),
            ("deploy.yaml", false),
            ("github.com", false),
            ("sub/dir", false),
        ];
        for (e, want) in cases {
            assert_eq!(super::is_remote(e), want, "{e}");
        }
    }
}

#[cfg(test)]
mod resolver_tests {
    use super::RemoteResolver;
    use crate::{MemFs, Options, build, to_yaml};
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    #[derive(Debug)]
    struct Fixed;
    impl RemoteResolver for Fixed {
        fn resolve(&self, url: &str) -> Result<PathBuf, String> {
            match url {
                "github.com/org/repo/base?ref=v1" => Ok(PathBuf::from("/cache/base")),
                "https://example.com/cm.yaml" => Ok(PathBuf::from("/cache/cm.yaml")),
                _ => Err(format!("no cached copy of {url}")),
            }
        }
    }

    fn fs() -> MemFs {
        let mut fs = MemFs::new();
        fs.add_file("/cache/base/kustomization.yaml", "resources:\n- s.yaml\nnamePrefix: b-\n");
        fs.add_file("/cache/base/s.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n");
        fs.add_file("/cache/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
        fs.add_file(
            "/app/kustomization.yaml",
            "resources:\n- github.com/org/repo/base?ref=v1\n- https://example.com/cm.yaml\n",
        );
        fs.add_file("/other/kustomization.yaml", "resources:\n- https://example.com/x.yaml\n");
        fs
    }

    #[test]
    fn resolver_supplies_local_copies() {
        let fs = fs();
        let opts = Options { remote: Some(Arc::new(Fixed)), ..Options::default() };
        let out = to_yaml(&build(&fs, Path::new("/app"), &opts).unwrap()).unwrap();
        assert_eq!(
            out,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n\
             apiVersion: v1\nkind: Secret\nmetadata:\n  name: b-s\n"
        );
    }

    #[test]
    fn without_resolver_the_entry_is_named() {
        let fs = fs();
        let err = build(&fs, Path::new("/app"), &Options::default()).unwrap_err().to_string();
        assert!(err.contains("remote resource 'github.com/org/repo/base?ref=v1'"), "{err}");
        let opts = Options { remote: Some(Arc::new(Fixed)), ..Options::default() };
        let err = build(&fs, Path::new("/other"), &opts).unwrap_err().to_string();
        assert!(err.contains("no cached copy of https://example.com/x.yaml"), "{err}");
    }
}
