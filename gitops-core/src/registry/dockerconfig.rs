//! Registry credentials from a Docker config JSON: `~/.docker/config.json`, or the
//! `.dockerconfigjson` key of a `kubernetes.io/dockerconfigjson` Secret, which is what
//! Flux's ImageRepository `spec.secretRef` names.
//!
//! As image-reflector-controller reads it: every key of `auths` is cut down to its host
//! (`https://index.docker.io/v1/` → `index.docker.io`, `127.0.0.1:5000` stays), a key with
//! no host fails the whole file, and the entry for the image's registry host is used
//! (Docker Hub images look up `index.docker.io`); no entry is an error
//! (`auth for "HOST" not found`). An entry gives, in go-containerregistry's order of
//! preference: `registrytoken` (a bearer token sent as is), `identitytoken` (an OAuth2
//! refresh token: not supported here, a clear error), `username`/`password`, or `auth`
//! (base64 of `username:password`); an empty entry is anonymous. Credential helpers
//! (`credsStore`, `credHelpers`) are not run.

use super::{Credentials, Reference, auth};

/// Errors of [`credentials`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not JSON, or `auths` / an entry has the wrong shape.
    #[error("invalid docker config: {reason}")]
    Invalid {
        /// Why.
        reason: String,
    },
    /// An `auths` key has no host (image-reflector-controller's message).
    #[error(
        "Invalid registry auth key: {key}. Expected an HTTPS URL (e.g. 'https://index.docker.io/v2/' or 'https://index.docker.io'), or the same without the 'https://' (e.g., 'index.docker.io/v2/' or 'index.docker.io')"
    )]
    InvalidKey {
        /// The key.
        key: String,
    },
    /// No entry for the registry.
    #[error("auth for {registry:?} not found")]
    NotFound {
        /// The registry host looked up.
        registry: String,
    },
    /// The entry for the registry cannot be used.
    #[error("auth for {registry:?}: {reason}")]
    Entry {
        /// The registry host.
        registry: String,
        /// Why (never the secret itself).
        reason: String,
    },
}

/// The host an `auths` key stands for: scheme and path dropped.
fn key_host(key: &str) -> Option<String> {
    let trimmed = key.trim();
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|p| {
            trimmed
                .get(..p.len())
                .filter(|s| s.eq_ignore_ascii_case(p))
                .and_then(|_| trimmed.get(p.len()..))
        })
        .unwrap_or(trimmed);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    (!host.is_empty() && !host.contains(char::is_whitespace)).then(|| host.to_string())
}

/// The host Flux looks up for `image` (go-containerregistry's `RegistryStr`: Docker Hub is
/// `index.docker.io`).
pub fn lookup_host(image: &Reference) -> &str {
    if image.registry == super::DOCKER_HUB { "index.docker.io" } else { &image.registry }
}

/// The credentials a Docker config JSON holds for `image`'s registry.
///
/// ```
/// use gitops_core::registry::{dockerconfig, Credentials, Reference};
/// let config = br#"{"auths":{"http://127.0.0.1:5000/v2/":{"auth":"Ym9iOnMzY3JldA=="}}}"#;
/// let image = Reference::parse("127.0.0.1:5000/team/app").unwrap();
/// assert_eq!(
///     dockerconfig::credentials(config, &image).unwrap(),
///     Credentials::Basic { username: "bob".into(), password: "s3cret".into() }
/// );
/// ```
pub fn credentials(config: &[u8], image: &Reference) -> Result<Credentials, Error> {
    let invalid = |reason: &str| Error::Invalid { reason: reason.to_string() };
    let json: serde_json::Value =
        serde_json::from_slice(config).map_err(|e| invalid(&format!("not JSON ({e})")))?;
    let object = json.as_object().ok_or_else(|| invalid("not a JSON object"))?;
    let auths = match object.get("auths") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Object(auths)) => Some(auths),
        Some(_) => return Err(invalid("\"auths\" is not an object")),
    };
    let wanted = lookup_host(image);
    let mut found = None;
    for (key, entry) in auths.into_iter().flatten() {
        let host = key_host(key).ok_or_else(|| Error::InvalidKey { key: key.clone() })?;
        // Later keys for the same host win, as when Flux fills its map.
        if host == wanted {
            found = Some(entry);
        }
    }
    let registry = wanted.to_string();
    let Some(entry) = found else { return Err(Error::NotFound { registry }) };
    let entry_err =
        |reason: &str| Error::Entry { registry: registry.clone(), reason: reason.into() };
    let entry = entry.as_object().ok_or_else(|| entry_err("the entry is not an object"))?;
    let field = |name: &str| -> Result<String, Error> {
        match entry.get(name) {
            None | Some(serde_json::Value::Null) => Ok(String::new()),
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(entry_err(&format!("{name:?} is not a string"))),
        }
    };
    let registry_token = field("registrytoken")?;
    if !registry_token.is_empty() {
        return Ok(Credentials::Bearer { token: registry_token });
    }
    if !field("identitytoken")?.is_empty() {
        return Err(entry_err(
            "identitytoken (an OAuth2 refresh token) is not supported; use username/password, auth or registrytoken",
        ));
    }
    let (username, password) = (field("username")?, field("password")?);
    if !username.is_empty() || !password.is_empty() {
        return Ok(Credentials::Basic { username, password });
    }
    let encoded = field("auth")?;
    if encoded.is_empty() {
        return Ok(Credentials::Anonymous);
    }
    let decoded = auth::base64_decode(encoded.trim())
        .ok_or_else(|| entry_err("\"auth\" is not valid base64"))?;
    let text = String::from_utf8(decoded).map_err(|_| entry_err("\"auth\" is not UTF-8"))?;
    let (username, password) = text
        .split_once(':')
        .ok_or_else(|| entry_err("\"auth\" does not decode to username:password"))?;
    Ok(Credentials::Basic { username: username.to_string(), password: password.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(text: &str) -> Reference {
        Reference::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn basic(u: &str, p: &str) -> Credentials {
        Credentials::Basic { username: u.into(), password: p.into() }
    }

    #[test]
    fn entries() {
        // "Ym9iOnMzY3JldA==" is bob:s3cret
        let cases: Vec<(&str, &str, Result<Credentials, String>)> = vec![
            (r#"{"auths":{"127.0.0.1:5000":{"auth":"Ym9iOnMzY3JldA=="}}}"#, "127.0.0.1:5000/a", Ok(basic("bob", "s3cret"))),
            (r#"{"auths":{"http://127.0.0.1:5000/v2/":{"username":"u","password":"p:w"}}}"#, "127.0.0.1:5000/a", Ok(basic("u", "p:w"))),
            // username/password win over auth; registrytoken over both.
            (r#"{"auths":{"r.io":{"auth":"Ym9iOnMzY3JldA==","username":"u","password":"p"}}}"#, "r.io/a", Ok(basic("u", "p"))),
            (r#"{"auths":{"r.io":{"auth":"Ym9iOnMzY3JldA==","registrytoken":"tok"}}}"#, "r.io/a", Ok(Credentials::Bearer { token: "tok".into() })),
            (r#"{"auths":{"r.io":{}}}"#, "r.io/a", Ok(Credentials::Anonymous)),
            // Docker Hub: index.docker.io, as Flux looks it up.
            (r#"{"auths":{"https://index.docker.io/v1/":{"auth":"Ym9iOnMzY3JldA=="}}}"#, "nginx", Ok(basic("bob", "s3cret"))),
            (r#"{"auths":{"docker.io":{"auth":"Ym9iOnMzY3JldA=="}}}"#, "nginx", Err(r#"auth for "index.docker.io" not found"#.into())),
            (r#"{"auths":{"other.io":{}}}"#, "r.io/a", Err(r#"auth for "r.io" not found"#.into())),
            (r#"{"credsStore":"desktop"}"#, "r.io/a", Err(r#"auth for "r.io" not found"#.into())),
            (r#"{"auths":{"https://":{}}}"#, "r.io/a", Err("Invalid registry auth key: https://. Expected an HTTPS URL (e.g. 'https://index.docker.io/v2/' or 'https://index.docker.io'), or the same without the 'https://' (e.g., 'index.docker.io/v2/' or 'index.docker.io')".into())),
            (r#"{"auths":{"r.io":{"identitytoken":"x"}}}"#, "r.io/a", Err(r#"auth for "r.io": identitytoken (an OAuth2 refresh token) is not supported; use username/password, auth or registrytoken"#.into())),
            (r#"{"auths":{"r.io":{"auth":"!!!"}}}"#, "r.io/a", Err(r#"auth for "r.io": "auth" is not valid base64"#.into())),
            // "bob" without a colon
            (r#"{"auths":{"r.io":{"auth":"Ym9i"}}}"#, "r.io/a", Err(r#"auth for "r.io": "auth" does not decode to username:password"#.into())),
            (r#"{"auths":{"r.io":{"auth":5}}}"#, "r.io/a", Err(r#"auth for "r.io": "auth" is not a string"#.into())),
            (r#"{"auths":{"r.io":[]}}"#, "r.io/a", Err(r#"auth for "r.io": the entry is not an object"#.into())),
            (r#"{"auths":[]}"#, "r.io/a", Err(r#"invalid docker config: "auths" is not an object"#.into())),
            ("[]", "r.io/a", Err("invalid docker config: not a JSON object".into())),
        ];
        for (config, reference, want) in cases {
            let got = credentials(config.as_bytes(), &image(reference)).map_err(|e| e.to_string());
            assert_eq!(got, want, "{config}");
        }
        let err = credentials(b"{not json", &image("r.io/a")).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.starts_with("invalid docker config: not JSON (")));
    }

    #[test]
    fn secrets_are_not_printed() {
        let c =
            credentials(br#"{"auths":{"r.io":{"registrytoken":"tok-secret"}}}"#, &image("r.io/a"));
        assert_eq!(format!("{c:?}"), "Ok(Bearer { token: \"***\" })");
        let c = credentials(br#"{"auths":{"r.io":{"auth":"Ym9iOnMzY3JldA=="}}}"#, &image("r.io/a"));
        assert_eq!(format!("{c:?}"), "Ok(Basic { username: \"bob\", password: \"***\" })");
    }
}
