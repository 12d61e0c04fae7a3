//! Flux's revision strings (`fluxcd/pkg git`): `<pointer>@<algo>:<hash>` and the legacy
//! `<pointer>/<hash>` form.

/// The algorithm name Flux derives from a hash's length: 40 hex digits are `sha1`, 64 are
/// `sha256`, anything else `<unknown>`.
///
/// ```
/// use gitops_core::git::revision::hash_algorithm;
/// assert_eq!(hash_algorithm(&"a".repeat(40)), "sha1");
/// assert_eq!(hash_algorithm("abc"), "<unknown>");
/// ```
pub fn hash_algorithm(hash: &str) -> &'static str {
    match hash.len() {
        40 => "sha1",
        64 => "sha256",
        _ => "<unknown>",
    }
}

/// `<algo>:<hash>` (`Hash.Digest()`); empty for an empty hash.
pub fn digest(hash: &str) -> String {
    if hash.is_empty() { String::new() } else { format!("{}:{hash}", hash_algorithm(hash)) }
}

/// The revision of a commit reached through the full reference `reference`, as
/// `git.Commit.String()`: the reference with its first two segments removed, `@`, the digest
/// (`refs/heads/main` → `main@sha1:…`); only the digest when the reference has fewer than
/// three segments (or is empty).
///
/// ```
/// use gitops_core::git::revision::commit_string;
/// let h = "5394cb7f48332b2de7c17dd8b8384bbc84b7e738";
/// assert_eq!(commit_string("refs/heads/feature/x", h), format!("feature/x@sha1:{h}"));
/// assert_eq!(commit_string("", h), format!("sha1:{h}"));
/// ```
pub fn commit_string(reference: &str, hash: &str) -> String {
    let mut parts = reference.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(_), Some(rest)) => format!("{rest}@{}", digest(hash)),
        _ => digest(hash),
    }
}

/// Turn a legacy revision (`main/<hash>`, `HEAD/<hash>`, `<hash>`) into the current form
/// (`main@sha1:<hash>`, `sha1:<hash>`, `sha1:<hash>`). Revisions that already contain a `:`
/// and the empty string are returned as they are.
///
/// ```
/// use gitops_core::git::revision::transform_revision;
/// let h = "5394cb7f48332b2de7c17dd8b8384bbc84b7e738";
/// assert_eq!(transform_revision(&format!("main/{h}")), format!("main@sha1:{h}"));
/// assert_eq!(transform_revision(&format!("HEAD/{h}")), format!("sha1:{h}"));
/// ```
pub fn transform_revision(rev: &str) -> String {
    if rev.is_empty() || rev.contains(':') {
        return rev.to_owned();
    }
    match rev.rsplit_once('/') {
        Some(("HEAD", hash)) => digest(hash),
        Some((pointer, hash)) => format!("{pointer}@{}", digest(hash)),
        None => digest(rev),
    }
}

/// The hash of a revision in any accepted form: what follows the last `:`, else the last
/// `/`-separated segment, else the whole string.
pub fn extract_hash(rev: &str) -> &str {
    if let Some((_, hash)) = rev.rsplit_once(':') {
        return hash;
    }
    match rev.rsplit_once('/') {
        Some((_, hash)) => hash,
        None => rev,
    }
}

/// The named pointer (branch, tag or reference) of a revision: what precedes the last `@`,
/// else what precedes the last `/`, else empty.
pub fn extract_named_pointer(rev: &str) -> &str {
    if let Some((pointer, _)) = rev.rsplit_once('@') {
        return pointer;
    }
    match rev.rsplit_once('/') {
        Some((pointer, _)) => pointer,
        None => "",
    }
}

/// `(named pointer, hash)` of a revision.
///
/// ```
/// use gitops_core::git::revision::split_revision;
/// assert_eq!(split_revision("feature/x@sha1:abc"), ("feature/x", "abc"));
/// assert_eq!(split_revision("sha1:abc"), ("", "abc"));
/// ```
pub fn split_revision(rev: &str) -> (&str, &str) {
    (extract_named_pointer(rev), extract_hash(rev))
}

#[cfg(test)]
mod tests {
    use super::*;

    const H1: &str = "5394cb7f48332b2de7c17dd8b8384bbc84b7e738";
    const H256: &str = "d52bde83c5b2bd0fa7910264e0afc3ac9cfe9b6636ca29c05c09742f01d5a4bd";

    #[test]
    fn transform_table() {
        let cases = [
            (format!("main/{H1}"), format!("main@sha1:{H1}")),
            (format!("feature/branch/{H1}"), format!("feature/branch@sha1:{H1}")),
            (format!("HEAD/{H1}"), format!("sha1:{H1}")),
            (format!("tag/{H256}"), format!("tag@sha256:{H256}")),
            (H256.to_owned(), format!("sha256:{H256}")),
            (H1.to_owned(), format!("sha1:{H1}")),
            (format!("main@sha1:{H1}"), format!("main@sha1:{H1}")),
            (String::new(), String::new()),
            ("main/abc".to_owned(), "main@<unknown>:abc".to_owned()),
        ];
        for (input, want) in cases {
            assert_eq!(transform_revision(&input), want, "{input}");
        }
    }

    #[test]
    fn split_table() {
        let cases = [
            (format!("main@sha1:{H1}"), "main", H1),
            (format!("feature/branch@sha1:{H1}"), "feature/branch", H1),
            (format!("sha1:{H1}"), "", H1),
            (format!("main/{H1}"), "main", H1),
            (format!("feature/branch/{H1}"), "feature/branch", H1),
            (H1.to_owned(), "", H1),
            (format!("refs/heads/x@sha256:{H256}"), "refs/heads/x", H256),
        ];
        for (input, pointer, hash) in cases {
            assert_eq!(split_revision(&input), (pointer, hash), "{input}");
            assert_eq!(extract_hash(&input), hash, "{input}");
            assert_eq!(extract_named_pointer(&input), pointer, "{input}");
        }
    }

    #[test]
    fn commit_string_table() {
        let cases = [
            ("refs/heads/main", format!("main@sha1:{H1}")),
            ("refs/tags/v1.2.3", format!("v1.2.3@sha1:{H1}")),
            ("refs/pull/420/head", format!("420/head@sha1:{H1}")),
            ("HEAD", format!("sha1:{H1}")),
            ("", format!("sha1:{H1}")),
        ];
        for (reference, want) in cases {
            assert_eq!(commit_string(reference, H1), want, "{reference}");
        }
        assert_eq!(digest(""), "");
    }
}
