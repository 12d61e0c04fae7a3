//! Image references: `[registry[:port]/]path/name[:tag][@digest]` with Docker's defaults.

use std::fmt;

use super::Error;

/// Docker Hub's name in references.
pub const DOCKER_HUB: &str = "docker.io";
/// The host Docker Hub's API answers on.
pub const DOCKER_HUB_API: &str = "registry-1.docker.io";

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The registry as written (`host[:port]`), `docker.io` when none is given.
    pub registry: String,
    /// The repository path (`library/nginx`, `team/app`).
    pub repository: String,
    /// The tag, if given.
    pub tag: Option<String>,
    /// The digest (`sha256:…`), if given.
    pub digest: Option<String>,
}

impl Reference {
    /// Parses `text` with Docker's rules: the first path component is a registry when it
    /// contains `.` or `:` or is `localhost`; otherwise the registry is `docker.io`, and a
    /// single-component Docker Hub name gets the `library/` prefix.
    ///
    /// ```
    /// use gitops_core::registry::Reference;
    /// let r = Reference::parse("nginx:1.27").unwrap();
    /// assert_eq!((r.registry.as_str(), r.repository.as_str()), ("docker.io", "library/nginx"));
    /// assert_eq!(r.api_host(), "registry-1.docker.io");
    /// let r = Reference::parse("127.0.0.1:5000/team/app").unwrap();
    /// assert_eq!((r.registry.as_str(), r.repository.as_str(), r.tag), ("127.0.0.1:5000", "team/app", None));
    /// ```
    pub fn parse(text: &str) -> Result<Reference, Error> {
        let bad = |reason: &str| Error::InvalidReference {
            reference: text.to_string(),
            reason: reason.to_string(),
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(bad("empty reference"));
        }
        if trimmed.contains("://") {
            return Err(bad("a reference has no scheme; write host[:port]/path/name"));
        }
        let (rest, digest) = match trimmed.split_once('@') {
            Some((rest, digest)) => {
                if !valid_digest(digest) {
                    return Err(bad("invalid digest (want algorithm:hex)"));
                }
                (rest, Some(digest.to_string()))
            }
            None => (trimmed, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest.get(last_slash..).and_then(|last| last.rfind(':')) {
            Some(colon) => {
                let at = last_slash + colon;
                let tag = rest.get(at + 1..).unwrap_or_default();
                if !valid_tag(tag) {
                    return Err(bad("invalid tag (want [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})"));
                }
                (rest.get(..at).unwrap_or_default(), Some(tag.to_string()))
            }
            None => (rest, None),
        };
        let (registry, path) = match name.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                if !valid_registry(first) {
                    return Err(bad("invalid registry host (want host[:port])"));
                }
                (first.to_string(), path.to_string())
            }
            _ => (DOCKER_HUB.to_string(), name.to_string()),
        };
        let registry =
            if registry == "index.docker.io" { DOCKER_HUB.to_string() } else { registry };
        let path = if registry == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path
        };
        if path.is_empty() {
            return Err(bad("missing repository name"));
        }
        if !path.split('/').all(valid_component) {
            return Err(bad(
                "invalid repository name (lowercase letters, digits and single '.', '_', '__' or '-' runs between them, '/'-separated)",
            ));
        }
        if registry.len() + 1 + path.len() > 255 {
            return Err(bad("repository name longer than 255 characters"));
        }
        Ok(Reference { registry, repository: path, tag, digest })
    }

    /// The host (and port) the registry API answers on: `registry-1.docker.io` for Docker
    /// Hub, the registry itself otherwise.
    pub fn api_host(&self) -> &str {
        if self.registry == DOCKER_HUB { DOCKER_HUB_API } else { &self.registry }
    }

    /// Whether the registry is on a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`),
    /// which is reached over plain `http://` by default, as Docker treats `127.0.0.0/8`
    /// as an insecure registry.
    pub fn is_loopback(&self) -> bool {
        let host = match self.registry.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => self.registry.split(':').next().unwrap_or(""),
        };
        host == "localhost"
            || host == "::1"
            || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// The distribution tag grammar: `[\w][\w.-]{0,127}`.
pub fn valid_tag(tag: &str) -> bool {
    let mut bytes = tag.bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    matches!(bytes.next(), Some(b) if word(b))
        && tag.len() <= 128
        && bytes.all(|b| word(b) || b == b'.' || b == b'-')
}

fn valid_digest(digest: &str) -> bool {
    match digest.split_once(':') {
        Some((algo, hex)) => {
            !algo.is_empty()
                && algo
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b))
                && hex.len() >= 32
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

fn valid_registry(host: &str) -> bool {
    let (host, port) = if let Some(v6) = host.strip_prefix('[') {
        match v6.split_once(']') {
            Some((h, after)) if h.parse::<std::net::Ipv6Addr>().is_ok() => {
                (None, if after.is_empty() { None } else { Some(after.strip_prefix(':')) })
            }
            _ => return false,
        }
    } else {
        match host.split_once(':') {
            Some((h, p)) => (Some(h), Some(Some(p))),
            None => (Some(host), None),
        }
    };
    let host_ok = host.is_none_or(|h| {
        !h.is_empty()
            && h.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
    });
    let port_ok = match port {
        None => true,
        Some(Some(p)) => p.parse::<u16>().is_ok_and(|n| n > 0),
        Some(None) => false,
    };
    host_ok && port_ok
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
fn valid_component(component: &str) -> bool {
    let b = component.as_bytes();
    let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if b.is_empty() || !b.first().is_some_and(alnum) || !b.last().is_some_and(alnum) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        let Some(c) = b.get(i) else { break };
        if alnum(c) {
            i += 1;
            continue;
        }
        let start = i;
        while b.get(i).is_some_and(|c| !alnum(c)) {
            i += 1;
        }
        let sep = b.get(start..i).unwrap_or_default();
        let ok = sep == b"." || sep == b"_" || sep == b"__" || sep.iter().all(|c| *c == b'-');
        if !ok {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        type Want<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>);
        let d = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let with_digest = format!("ghcr.io/org/app:v1@{d}");
        let cases: Vec<(&str, Want<'_>)> = vec![
            ("nginx", ("docker.io", "library/nginx", None, None)),
            ("nginx:1.27-alpine", ("docker.io", "library/nginx", Some("1.27-alpine"), None)),
            ("docker.io/nginx", ("docker.io", "library/nginx", None, None)),
            ("index.docker.io/nginx", ("docker.io", "library/nginx", None, None)),
            ("fluxcd/flux", ("docker.io", "fluxcd/flux", None, None)),
            ("localhost/app", ("localhost", "app", None, None)),
            ("localhost:5000/a/b/c:t", ("localhost:5000", "a/b/c", Some("t"), None)),
            ("127.0.0.1:5000/team/app", ("127.0.0.1:5000", "team/app", None, None)),
            ("[::1]:5000/app:x", ("[::1]:5000", "app", Some("x"), None)),
            (
                "ghcr.io/fluxcd/source-controller:v1.4.1",
                ("ghcr.io", "fluxcd/source-controller", Some("v1.4.1"), None),
            ),
            (with_digest.as_str(), ("ghcr.io", "org/app", Some("v1"), Some(d))),
            ("a__b/c.d-e--f", ("docker.io", "a__b/c.d-e--f", None, None)),
        ];
        for (text, (registry, repository, tag, digest)) in cases {
            let r = Reference::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                (r.registry.as_str(), r.repository.as_str(), r.tag.as_deref(), r.digest.as_deref()),
                (registry, repository, tag, digest),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_references() {
        let cases = [
            ("", "empty reference"),
            ("http://127.0.0.1:5000/app", "a reference has no scheme; write host[:port]/path/name"),
            (
                "Nginx",
                "invalid repository name (lowercase letters, digits and single '.', '_', '__' or '-' runs between them, '/'-separated)",
            ),
            (
                "a//b",
                "invalid repository name (lowercase letters, digits and single '.', '_', '__' or '-' runs between them, '/'-separated)",
            ),
            (
                "a/b_",
                "invalid repository name (lowercase letters, digits and single '.', '_', '__' or '-' runs between them, '/'-separated)",
            ),
            (
                "a...b",
                "invalid repository name (lowercase letters, digits and single '.', '_', '__' or '-' runs between them, '/'-separated)",
            ),
            ("app:", "invalid tag (want [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})"),
            ("app:-x", "invalid tag (want [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})"),
            ("app@sha256:xyz", "invalid digest (want algorithm:hex)"),
            ("host:99999/app", "invalid registry host (want host[:port])"),
            ("bad_host.io/app", "invalid registry host (want host[:port])"),
            ("ghcr.io/", "missing repository name"),
        ];
        for (text, want) in cases {
            let err = Reference::parse(text).err().map(|e| e.to_string());
            assert_eq!(err, Some(format!("invalid image reference {text:?}: {want}")), "{text}");
        }
        let long = format!("ghcr.io/{}", "a".repeat(260));
        assert!(Reference::parse(&long).is_err());
    }

    #[test]
    fn loopback_and_display() {
        let on = |t: &str| Reference::parse(t).map(|r| r.is_loopback()).unwrap_or(false);
        assert!(on("localhost:5000/a") && on("127.0.0.2:1/a") && on("[::1]:5000/a"));
        assert!(!on("ghcr.io/a") && !on("nginx") && !on("10.0.0.1:5000/a"));
        let r = Reference::parse("nginx:1@sha256:0123456789abcdef0123456789abcdef").ok();
        assert_eq!(
            r.map(|r| r.to_string()).as_deref(),
            Some("docker.io/library/nginx:1@sha256:0123456789abcdef0123456789abcdef")
        );
    }

    #[test]
    fn tag_grammar() {
        assert!(valid_tag("v1.2.3") && valid_tag("_x") && valid_tag(&"a".repeat(128)));
        assert!(
            !valid_tag("") && !valid_tag(".x") && !valid_tag("a b") && !valid_tag(&"a".repeat(129))
        );
        assert!(!valid_tag("a\nb") && !valid_tag("ü"));
    }
}
