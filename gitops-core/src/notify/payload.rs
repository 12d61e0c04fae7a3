//! Providers and the exact HTTP requests notification-controller sends for them.

use std::collections::BTreeMap;
use std::fmt;

use super::Error;
use super::event::Event;
use super::gojson::Obj;
use super::hmac::{hmac_sha256, to_hex};

/// The Secret a Provider's `spec.secretRef` names, already read by the caller.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProviderSecret {
    /// Key `address`: overrides `spec.address` (trimmed of white space).
    pub address: Option<String>,
    /// Key `token`: `Authorization: Bearer` for Slack, the HMAC key for `generic-hmac`
    /// (trimmed of white space).
    pub token: Option<String>,
    /// Key `headers` (a YAML map), extra headers for `generic`/`generic-hmac`.
    pub headers: Vec<(String, String)>,
}

impl fmt::Debug for ProviderSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderSecret")
            .field("address", &self.address.as_deref().map(redact_url))
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| (k.as_str(), "***")).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// A `notification.toolkit.fluxcd.io/v1beta3` Provider, with its Secret resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provider {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `spec.type`: `slack`, `discord`, `generic`, `generic-hmac` have payloads here;
    /// the other Flux types are recognised by [`super::route`] but not built.
    pub provider_type: String,
    /// `spec.address`.
    pub address: String,
    /// `spec.channel` (Slack).
    pub channel: String,
    /// `spec.username` (Slack, Discord).
    pub username: String,
    /// `spec.suspend`.
    pub suspend: bool,
    /// The Secret of `spec.secretRef`, if any.
    pub secret: Option<ProviderSecret>,
}

impl Provider {
    /// `<namespace>/<name>`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// The address notifications go to: Secret `address` (trimmed) over `spec.address`.
    pub fn effective_address(&self) -> &str {
        match self.secret.as_ref().and_then(|s| s.address.as_deref()) {
            Some(a) => a.trim(),
            None => &self.address,
        }
    }

    fn token(&self) -> Option<&str> {
        self.secret.as_ref().and_then(|s| s.token.as_deref()).map(str::trim)
    }
}

/// One HTTP POST: where, which headers (canonical names, sorted as Go writes them on the
/// wire), which body bytes. `Debug` masks credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Payload {
    /// The URL to POST to.
    pub url: String,
    /// Headers in Go's canonical form (`Content-Type`, `Gotk-Component`, `X-Signature`),
    /// sorted by name; `Host`/`Content-Length` are added by the transport.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Payload {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if matches!(k.as_str(), "Content-Type" | "Gotk-Component") {
                    v.as_str()
                } else {
                    "***"
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("Payload")
            .field("url", &redact_url(&self.url))
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// `scheme://host[:port]` of a URL, with the path, query and user info replaced by `/***`
/// (webhook URLs carry their credentials in the path).
pub fn redact_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let authority = rest.get(..end).unwrap_or("");
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let tail = if end < rest.len() || host.len() < authority.len() { "/***" } else { "" };
            format!("{scheme}://{host}{tail}")
        }
        None => "***".to_string(),
    }
}

/// Go's `url.ParseRequestURI` acceptance, reduced to what a webhook needs: an absolute
/// `scheme://host…` URL without spaces or control characters.
fn check_url(kind: &str, url: &str) -> Result<(), Error> {
    let bad = |reason: &str| Error::InvalidUrl {
        kind: kind.to_string(),
        url: redact_url(url),
        reason: reason.to_string(),
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(bad("invalid URI for request"));
    };
    let scheme_ok = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return Err(bad("missing protocol scheme"));
    }
    if url.chars().any(|c| c.is_control() || c == ' ') {
        return Err(bad("invalid control character or space in URL"));
    }
    if rest.starts_with(['/', '?', '#']) || rest.is_empty() {
        return Err(bad("missing host"));
    }
    Ok(())
}

/// Go's `textproto.CanonicalMIMEHeaderKey`: `x-signature` → `X-Signature`; names with
/// bytes outside the token set are returned unchanged.
pub fn canonical_header_key(name: &str) -> String {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return name.to_string();
    }
    let mut upper = true;
    name.chars()
        .map(|c| {
            let out = if upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() };
            upper = c == '-';
            out
        })
        .collect()
}

/// Headers as Go's `http.Header` keeps them: canonical names, `Set` replaces.
#[derive(Default)]
struct Headers(BTreeMap<String, String>);

impl Headers {
    fn set(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let valid_name = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !valid_name {
            return Err(Error::InvalidHeader {
                message: format!("net/http: invalid header field name {name:?}"),
            });
        }
        if value.bytes().any(|b| (b < b' ' && b != b'\t') || b == 0x7f) {
            let name = canonical_header_key(name);
            return Err(Error::InvalidHeader {
                message: format!("net/http: invalid header field value for {name:?}"),
            });
        }
        self.0.insert(canonical_header_key(name), value.to_string());
        Ok(())
    }

    fn into_vec(self) -> Vec<(String, String)> {
        self.0.into_iter().collect()
    }
}

/// The Discord webhook URL notification-controller posts to: `/slack` appended to the
/// path (Discord's Slack-compatible endpoint) unless the URL already ends with `/slack`;
/// the path is cleaned like Go's `path.Join`.
///
/// ```
/// use gitops_core::notify::discord_url;
/// assert_eq!(discord_url("https://discord.com/api/webhooks/1/x"), "https://discord.com/api/webhooks/1/x/slack");
/// assert_eq!(discord_url("https://discord.com/api/webhooks/1/x/slack"), "https://discord.com/api/webhooks/1/x/slack");
/// ```
pub fn discord_url(url: &str) -> String {
    if url.ends_with("/slack") {
        return url.to_string();
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let path_start = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(path_start);
    let suffix_start = tail.find(['?', '#']).unwrap_or(tail.len());
    let (path, suffix) = tail.split_at(suffix_start);
    format!("{scheme}://{authority}{}{suffix}", clean_path(&format!("{path}/slack")))
}

/// Go's `path.Clean` for an absolute path.
fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Provider types that set commit statuses (their events need a `commit` key).
pub const COMMIT_STATUS_TYPES: &[&str] =
    &["github", "gitlab", "gitea", "bitbucketserver", "bitbucket", "azuredevops"];

/// Provider types that comment on pull/merge requests (need a `change_request` key).
pub const CHANGE_REQUEST_TYPES: &[&str] =
    &["githubpullrequestcomment", "gitlabmergerequestcomment", "giteapullrequestcomment"];

/// Provider types this module builds payloads for.
pub const SUPPORTED_TYPES: &[&str] = &["slack", "discord", "generic", "generic-hmac"];

/// The request notification-controller sends to `provider` for `event` (the event after
/// metadata combination, see [`super::route`]).
///
/// * `slack`: the Slack attachment JSON, `Authorization: Bearer <token>` when the Secret
///   has a token.
/// * `discord`: the same JSON without channel, to `<address>/slack`.
/// * `generic`: the event JSON, `Gotk-Component: <reportingController>`, Secret headers.
/// * `generic-hmac`: as `generic` plus `X-Signature: sha256=<hex HMAC-SHA256(token, body)>`.
///
/// ```
/// use gitops_core::notify::{build_payload, Event, ObjectReference, Provider, Severity};
/// let provider = Provider {
///     name: "hook".into(), namespace: "flux-system".into(),
///     provider_type: "generic".into(), address: "http://127.0.0.1:9/hook".into(),
///     ..Provider::default()
/// };
/// let event = Event::new(ObjectReference::default(), Severity::Info, "m", "r", "kustomize-controller");
/// let payload = build_payload(&provider, &event).unwrap();
/// assert_eq!(payload.header("gotk-component"), Some("kustomize-controller"));
/// assert_eq!(payload.body, event.to_json());
/// ```
pub fn build_payload(provider: &Provider, event: &Event) -> Result<Payload, Error> {
    let address = provider.effective_address();
    if address.is_empty() {
        return Err(Error::NoAddress { provider: provider.key() });
    }
    match provider.provider_type.as_str() {
        "slack" => {
            check_url("Slack", address)?;
            let mut headers = Headers::default();
            headers.set("Content-Type", "application/json")?;
            if let Some(token) = provider.token().filter(|t| !t.is_empty()) {
                headers.set("Authorization", &format!("Bearer {token}"))?;
            }
            let username = if provider.username.is_empty() {
                &event.reporting_controller
            } else {
                &provider.username
            };
            Ok(Payload {
                url: address.to_string(),
                headers: headers.into_vec(),
                body: slack_body(event, &provider.channel, username, true),
            })
        }
        "discord" => {
            check_url("Discord", address)?;
            let mut headers = Headers::default();
            headers.set("Content-Type", "application/json")?;
            let username = if provider.username.is_empty() {
                &event.reporting_controller
            } else {
                &provider.username
            };
            Ok(Payload {
                url: discord_url(address),
                headers: headers.into_vec(),
                body: slack_body(event, "", username, false),
            })
        }
        "generic" | "generic-hmac" => {
            check_url("", address)?;
            let body = event.to_json();
            let mut headers = Headers::default();
            headers.set("Content-Type", "application/json")?;
            headers.set("gotk-component", &event.reporting_controller)?;
            if let Some(secret) = &provider.secret {
                for (k, v) in &secret.headers {
                    headers.set(k, v)?;
                }
            }
            if provider.provider_type == "generic-hmac" {
                let key = provider.token().unwrap_or("");
                if key.is_empty() {
                    return Err(Error::EmptyHmacKey { provider: provider.key() });
                }
                let signature = to_hex(&hmac_sha256(key.as_bytes(), &body));
                headers.set("X-Signature", &format!("sha256={signature}"))?;
            }
            Ok(Payload { url: address.to_string(), headers: headers.into_vec(), body })
        }
        other => Err(Error::UnsupportedProvider {
            provider: provider.key(),
            provider_type: other.to_string(),
        }),
    }
}

/// `SlackPayload` JSON: `channel`, `username`, `icon_url`, `icon_emoji` always present,
/// `text` omitted, one attachment with fallback, color, author, text, `mrkdwn_in`, and
/// one field per metadata entry (sorted by key; Go iterates its map in random order).
fn slack_body(event: &Event, channel: &str, username: &str, with_fallback: bool) -> Vec<u8> {
    let author = format!(
        "{}/{}.{}",
        event.involved_object.kind.to_lowercase(),
        event.involved_object.name,
        event.involved_object.namespace
    );
    let fallback = if with_fallback {
        let first_line = event.message.split('\n').next().unwrap_or("");
        format!("{author}: {first_line}")
    } else {
        String::new()
    };
    let color = if event.severity == super::Severity::Error { "danger" } else { "good" };
    let mut out = Vec::with_capacity(256 + 2 * event.message.len());
    let mut o = Obj::open(&mut out);
    o.str("channel", channel);
    o.str("username", username);
    o.str("icon_url", "");
    o.str("icon_emoji", "");
    let list = o.key("attachments");
    list.push(b'[');
    let mut a = Obj::open(list);
    a.str("fallback", &fallback);
    a.str("color", color);
    a.str("author_name", &author);
    a.str("text", &event.message);
    a.raw("mrkdwn_in", br#"["text"]"#);
    let fields = a.key("fields");
    fields.push(b'[');
    for (i, (k, v)) in event.metadata.iter().enumerate() {
        if i > 0 {
            fields.push(b',');
        }
        let mut f = Obj::open(fields);
        f.str("title", k);
        f.str("value", v);
        f.bool("short", false);
        f.close();
    }
    fields.push(b']');
    a.close();
    list.push(b']');
    o.close();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_keys() {
        for (input, want) in [
            ("gotk-component", "Gotk-Component"),
            ("x-SIGNATURE", "X-Signature"),
            ("content-type", "Content-Type"),
            ("authorization", "Authorization"),
            ("a b", "a b"),
            ("", ""),
            ("x--y", "X--Y"),
        ] {
            assert_eq!(canonical_header_key(input), want, "{input}");
        }
    }

    #[test]
    fn discord_urls() {
        for (input, want) in [
            ("https://discord.com/api/webhooks/1/t", "https://discord.com/api/webhooks/1/t/slack"),
            ("https://discord.com/api/webhooks/1/t/", "https://discord.com/api/webhooks/1/t/slack"),
            (
                "https://discord.com/api/webhooks/1/t/slack",
                "https://discord.com/api/webhooks/1/t/slack",
            ),
            ("https://discord.com", "https://discord.com/slack"),
            ("https://discord.com/a//b/./c", "https://discord.com/a/b/c/slack"),
            ("https://discord.com/hook?wait=true", "https://discord.com/hook/slack?wait=true"),
        ] {
            assert_eq!(discord_url(input), want, "{input}");
        }
    }

    #[test]
    fn redaction() {
        for (input, want) in [
            ("https://hooks.slack.com/services/T0/B0/secret", "https://hooks.slack.com/***"),
            ("http://user:pw@host:8080", "http://host:8080/***"),
            ("http://host:8080", "http://host:8080"),
            ("not a url", "***"),
        ] {
            assert_eq!(redact_url(input), want, "{input}");
        }
    }

    #[test]
    fn url_and_header_errors() {
        let base = Provider { name: "p".into(), namespace: "ns".into(), ..Provider::default() };
        let event = Event::default();
        let cases: Vec<(Provider, &str)> = vec![
            (
                Provider { provider_type: "slack".into(), ..base.clone() },
                "provider 'ns/p' has no address",
            ),
            (
                Provider {
                    provider_type: "slack".into(),
                    address: "hooks.slack.com/x".into(),
                    ..base.clone()
                },
                "invalid Slack hook URL ***: invalid URI for request",
            ),
            (
                Provider {
                    provider_type: "discord".into(),
                    address: "https:///x".into(),
                    ..base.clone()
                },
                "invalid Discord hook URL https:///***: missing host",
            ),
            (
                Provider {
                    provider_type: "generic-hmac".into(),
                    address: "http://h/x".into(),
                    ..base.clone()
                },
                "provider 'ns/p': HMAC key is empty",
            ),
            (
                Provider {
                    provider_type: "generic-hmac".into(),
                    address: "http://h/x".into(),
                    secret: Some(ProviderSecret {
                        token: Some("  \n".into()),
                        ..ProviderSecret::default()
                    }),
                    ..base.clone()
                },
                "provider 'ns/p': HMAC key is empty",
            ),
            (
                Provider {
                    provider_type: "generic".into(),
                    address: "http://h/x".into(),
                    secret: Some(ProviderSecret {
                        headers: vec![("x-a".into(), "1\r\nInjected: yes".into())],
                        ..ProviderSecret::default()
                    }),
                    ..base.clone()
                },
                "net/http: invalid header field value for \"X-A\"",
            ),
            (
                Provider {
                    provider_type: "generic".into(),
                    address: "http://h/x".into(),
                    secret: Some(ProviderSecret {
                        headers: vec![("bad name".into(), "v".into())],
                        ..ProviderSecret::default()
                    }),
                    ..base.clone()
                },
                "net/http: invalid header field name \"bad name\"",
            ),
            (
                Provider {
                    provider_type: "msteams".into(),
                    address: "https://h/x".into(),
                    ..base.clone()
                },
                "provider 'ns/p': type 'msteams' has no payload builder here (supported: slack, discord, generic, generic-hmac)",
            ),
        ];
        for (provider, want) in cases {
            let got = build_payload(&provider, &event).err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), Some(want), "{provider:?}");
        }
    }

    #[test]
    fn secret_address_overrides_and_debug_masks() {
        let p = Provider {
            name: "p".into(),
            namespace: "ns".into(),
            provider_type: "slack".into(),
            address: "https://spec.example/x".into(),
            secret: Some(ProviderSecret {
                address: Some(" https://hooks.slack.com/services/SECRET \n".into()),
                token: Some("xoxb-SECRET".into()),
                headers: vec![],
            }),
            ..Provider::default()
        };
        let payload = build_payload(&p, &Event::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(payload.url, "https://hooks.slack.com/services/SECRET");
        assert_eq!(payload.header("authorization"), Some("Bearer xoxb-SECRET"));
        let shown = format!("{payload:?} {p:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
    }
}
