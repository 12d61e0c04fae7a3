//! Tag listing from an OCI registry (feature `oci`): the distribution API v2
//! `GET /v2/<name>/tags/list`, as image-reflector-controller's ImageRepository scan does.
//!
//! | item | what it is |
//! |---|---|
//! | [`Reference`] | `[registry[:port]/]path/name[:tag][@digest]`, Docker Hub defaults |
//! | [`list_tags`], [`Options`], [`Credentials`] | every tag of a repository, following pagination |
//! | [`parse_challenges`], [`next_link`] | `WWW-Authenticate` and `Link` header parsing |
//! | [`dockerconfig::credentials`] | credentials from a Docker config JSON (Flux `secretRef`) |
//!
//! * Pagination: `?n=` when [`Options::page_size`] is set, then every `Link: <…>;
//!   rel="next"` (absolute, scheme-relative, path or query links), with a loop guard and
//!   page/tag caps.
//! * Auth: anonymous first; on `401` the `WWW-Authenticate` challenge decides. `Basic`
//!   retries with the username/password; `Bearer realm=…,service=…,scope=…` GETs the realm
//!   with `service` and `scope` (and the basic credentials, if given), takes `token` or
//!   `access_token` from the JSON answer and retries with `Authorization: Bearer`; the
//!   token is reused for the next pages. [`Credentials::Bearer`] (a Docker config
//!   `registrytoken`, see [`dockerconfig`]) answers the challenge without a token request.
//!   Credentials are only sent to the host that asked for them and never printed.
//! * Errors name the registry and repository; the registry's JSON error body
//!   (`{"errors":[{"code":"NAME_UNKNOWN","message":…}]}`) is decoded into the message.
//! * Transport: the built-in std-only HTTP/1.1 client, **plain `http://` only**. Loopback
//!   registries (`localhost`, `127.0.0.0/8`, `[::1]`) and [`Options::insecure`] use
//!   `http://`; any other registry (and any `https://` token realm or link) is
//!   [`Error::TlsUnsupported`]: no TLS stack is built in (a TLS feature can be added
//!   later).
//!
//! ```no_run
//! use gitops_core::registry::{list_tags, Credentials, Options, Reference};
//! let image = Reference::parse("127.0.0.1:5000/team/app").unwrap();
//! let options = Options {
//!     credentials: Credentials::Basic { username: "bob".into(), password: "s3cret".into() },
//!     page_size: Some(50),
//!     ..Options::default()
//! };
//! for tag in list_tags(&image, &options).unwrap() {
//!     println!("{tag}");
//! }
//! ```

mod auth;
pub mod dockerconfig;
mod reference;

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

pub use auth::{Challenge, next_link, parse_challenges};
pub use reference::{DOCKER_HUB, DOCKER_HUB_API, Reference, valid_tag};

use crate::http;

/// Credentials for a registry.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Credentials {
    /// No credentials (anonymous pull; a token server may still hand out an anonymous
    /// bearer token).
    #[default]
    Anonymous,
    /// Username and password (or a personal access token as the password).
    Basic {
        /// The username.
        username: String,
        /// The password; never printed.
        password: String,
    },
    /// A registry token (Docker config `registrytoken`): answers a `Bearer` challenge
    /// as is, without asking the token server.
    Bearer {
        /// The token; never printed.
        token: String,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Anonymous => f.write_str("Anonymous"),
            Credentials::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"***")
                .finish(),
            Credentials::Bearer { .. } => f.debug_struct("Bearer").field("token", &"***").finish(),
        }
    }
}

impl Credentials {
    fn basic_header(&self) -> Option<String> {
        match self {
            Credentials::Anonymous | Credentials::Bearer { .. } => None,
            Credentials::Basic { username, password } => {
                Some(format!("Basic {}", auth::base64(format!("{username}:{password}").as_bytes())))
            }
        }
    }
}

/// Settings for [`list_tags`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Who to be.
    pub credentials: Credentials,
    /// `?n=` on the first request; the registry's `Link` to the next page carries it on
    /// (distribution v3 pages tags this way; distribution 2.8 ignores `n` and answers with
    /// one page). `None` or `Some(0)`: no `n`, the registry chooses (as
    /// go-containerregistry's `WithPageSize(0)`; a registry would answer `n=0` with an
    /// empty list and no next link).
    pub page_size: Option<u32>,
    /// Use plain `http://` for a registry that is not on a loopback address.
    pub insecure: bool,
    /// Connect, read and write timeout of each request.
    pub timeout: Duration,
    /// The largest answer accepted per request, in bytes.
    pub max_page_bytes: u64,
    /// The most pages followed.
    pub max_pages: usize,
    /// The most tags accepted in total.
    pub max_tags: usize,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            credentials: Credentials::Anonymous,
            page_size: None,
            insecure: false,
            timeout: Duration::from_secs(30),
            max_page_bytes: 8 << 20,
            max_pages: 10_000,
            max_tags: 1_000_000,
            user_agent: "gitops-sdk-registry/1".to_string(),
        }
    }
}

/// Errors of [`Reference::parse`] and [`list_tags`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The image reference does not parse.
    #[error("invalid image reference {reference:?}: {reason}")]
    InvalidReference {
        /// The text given.
        reference: String,
        /// Why.
        reason: String,
    },
    /// The registry (or its token realm, or a next link) needs `https://`.
    #[error(
        "listing tags of {repository} at {registry}: cannot reach {url}: https is not supported (no TLS stack is built in; a TLS feature may be added later); use a registry reachable over plain http (loopback, or Options::insecure / --insecure)"
    )]
    TlsUnsupported {
        /// The registry.
        registry: String,
        /// The repository.
        repository: String,
        /// The URL that needed TLS (path kept, no credentials in it).
        url: String,
    },
    /// A URL the registry handed out cannot be used.
    #[error("listing tags of {repository} at {registry}: bad URL {url:?}: {reason}")]
    BadUrl {
        /// The registry.
        registry: String,
        /// The repository.
        repository: String,
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// Connecting, writing or reading failed (timeouts included).
    #[error("listing tags of {repository} at {registry}: {url}: {source}")]
    Io {
        /// The registry.
        registry: String,
        /// The repository.
        repository: String,
        /// The URL requested.
        url: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The answer is not HTTP/1.x, or too large.
    #[error("listing tags of {repository} at {registry}: invalid response from {url}: {reason}")]
    BadResponse {
        /// The registry.
        registry: String,
        /// The repository.
        repository: String,
        /// The URL requested.
        url: String,
        /// Why.
        reason: String,
    },
    /// Authentication was required and failed (or no credentials were given).
    #[error("listing tags of {repository} at {registry}: {reason} (HTTP {status}){detail}")]
    Unauthorized {
        /// The registry.
        registry: String,
        /// The repository.
        repository: String,
        /// The status code (401 or 403, or the token server's).
        status: u16,
        /// What happened.
        reason: String,
        /// `: CODE: message` from the registry's error body, or empty.
        detail: String,
    },
    /// A non-2xx answer; `detail` is the decoded error body (`CODE: message; …`) or a
    /// short excerpt of a non-JSON body.
    #[error("listing tags of {repository} at {registry}: {detail} (HTTP {status})")]
    Registry {
        /// The registry.
        registry: String,
        /// The repository.
        repository: String,
        /// The status code.
        status: u16,
        /// The error codes from the body (`NAME_UNKNOWN`), empty when it had none.
        codes: Vec<String>,
        /// The decoded error text.
        detail: String,
    },
    /// A page is not a tag list.
    #[error("listing tags of {repository} at {registry}: invalid tag list from {url}: {reason}")]
    InvalidTagList {
        /// The registry.
        registry: String,
        /// The repository.
        repository: String,
        /// The page URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// Pagination went wrong (a loop, too many pages or tags).
    #[error("listing tags of {repository} at {registry}: {reason}")]
    Pagination {
        /// The registry.
        registry: String,
        /// The repository.
        repository: String,
        /// Why.
        reason: String,
    },
}

/// Lists every tag of `image`'s repository (its tag and digest are ignored), in the
/// registry's order across pages.
pub fn list_tags(image: &Reference, options: &Options) -> Result<Vec<String>, Error> {
    let scheme = if options.insecure || image.is_loopback() { "http" } else { "https" };
    let mut url = format!("{scheme}://{}/v2/{}/tags/list", image.api_host(), image.repository);
    if let Some(n) = options.page_size.filter(|n| *n > 0) {
        url.push_str(&format!("?n={n}"));
    }
    let mut client = Client { image, options, auth: None };
    let mut tags = Vec::new();
    let mut seen = BTreeSet::new();
    loop {
        if seen.len() >= options.max_pages {
            return Err(client.pagination(format!(
                "more than {} pages; stopped (raise Options::max_pages)",
                options.max_pages
            )));
        }
        if !seen.insert(url.clone()) {
            return Err(client.pagination(format!(
                "the registry's next link {url} points to a page already read"
            )));
        }
        let response = client.get(&url)?;
        if !(200..300).contains(&response.status) {
            return Err(client.status_error(&response));
        }
        let page = client.tag_page(&url, &response.body)?;
        if tags.len() + page.len() > options.max_tags {
            return Err(client.pagination(format!(
                "more than {} tags; stopped (raise Options::max_tags)",
                options.max_tags
            )));
        }
        tags.extend(page);
        match next_link(response.headers_named("link")) {
            Some(link) => url = auth::resolve_link(&url, &link),
            None => return Ok(tags),
        }
    }
}

struct Client<'a> {
    image: &'a Reference,
    options: &'a Options,
    /// The `Authorization` value and the `host:port` it belongs to.
    auth: Option<(String, String)>,
}

fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or_default()
}

impl Client<'_> {
    fn registry(&self) -> String {
        self.image.registry.clone()
    }

    fn repository(&self) -> String {
        self.image.repository.clone()
    }

    fn pagination(&self, reason: String) -> Error {
        Error::Pagination { registry: self.registry(), repository: self.repository(), reason }
    }

    /// One GET, without the auth dance.
    fn send(&self, url: &str, authorization: Option<&str>) -> Result<http::RawResponse, Error> {
        let target = http::parse_url(url).map_err(|e| match e {
            http::UrlError::Tls => Error::TlsUnsupported {
                registry: self.registry(),
                repository: self.repository(),
                url: url.to_string(),
            },
            http::UrlError::Bad(reason) => Error::BadUrl {
                registry: self.registry(),
                repository: self.repository(),
                url: url.to_string(),
                reason: reason.to_string(),
            },
        })?;
        let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
        if let Some(value) = authorization {
            headers.push(("Authorization".to_string(), value.to_string()));
        }
        let request = http::Request {
            method: "GET",
            target: &target,
            user_agent: &self.options.user_agent,
            headers: &headers,
            body: &[],
            timeout: self.options.timeout,
            max_response: self.options.max_page_bytes,
        };
        let response = http::exchange(&request).map_err(|e| match e {
            http::RequestError::BadHeader(name) => Error::BadUrl {
                registry: self.registry(),
                repository: self.repository(),
                url: url.to_string(),
                reason: format!("header {name} would contain a line break or NUL"),
            },
            http::RequestError::Io(source) => Error::Io {
                registry: self.registry(),
                repository: self.repository(),
                url: url.to_string(),
                source,
            },
            http::RequestError::BadResponse(reason) => Error::BadResponse {
                registry: self.registry(),
                repository: self.repository(),
                url: url.to_string(),
                reason,
            },
        })?;
        if response.truncated {
            return Err(Error::BadResponse {
                registry: self.registry(),
                repository: self.repository(),
                url: url.to_string(),
                reason: format!(
                    "larger than {} bytes (Options::max_page_bytes)",
                    self.options.max_page_bytes
                ),
            });
        }
        Ok(response)
    }

    /// A GET with the auth dance: anonymous (or the credentials already earned for this
    /// host), and on 401 one retry after answering the challenge.
    fn get(&mut self, url: &str) -> Result<http::RawResponse, Error> {
        let host = authority(url).to_string();
        let current = self.auth.as_ref().filter(|(h, _)| *h == host).map(|(_, v)| v.clone());
        let response = self.send(url, current.as_deref())?;
        if response.status != 401 {
            return Ok(response);
        }
        let challenges: Vec<Challenge> =
            response.headers_named("www-authenticate").flat_map(parse_challenges).collect();
        let bearer = challenges.iter().find(|c| c.scheme == "bearer");
        let basic = challenges.iter().find(|c| c.scheme == "basic");
        let value = if let Some(bearer) = bearer {
            match &self.options.credentials {
                Credentials::Bearer { token } => format!("Bearer {token}"),
                _ => format!("Bearer {}", self.fetch_token(bearer)?),
            }
        } else if basic.is_some() {
            match self.options.credentials.basic_header() {
                Some(value) if current.as_deref() != Some(value.as_str()) => value,
                Some(_) => return Err(self.unauthorized(&response, "authentication failed")),
                None if matches!(self.options.credentials, Credentials::Bearer { .. }) => {
                    return Err(self.unauthorized(
                        &response,
                        "the registry asks for Basic auth and only a bearer token was given",
                    ));
                }
                None => {
                    return Err(self.unauthorized(
                        &response,
                        "authentication required and no credentials were given",
                    ));
                }
            }
        } else {
            return Err(self.unauthorized(
                &response,
                "authentication required (no Basic or Bearer challenge in WWW-Authenticate)",
            ));
        };
        let retry = self.send(url, Some(&value))?;
        if matches!(retry.status, 401 | 403) {
            let reason = if matches!(self.options.credentials, Credentials::Anonymous) {
                "authentication required and no credentials were given"
            } else {
                "authentication failed"
            };
            return Err(self.unauthorized(&retry, reason));
        }
        self.auth = Some((host, value));
        Ok(retry)
    }

    fn unauthorized(&self, response: &http::RawResponse, reason: &str) -> Error {
        let detail =
            decode_errors(&response.body).map(|(_, text)| format!(": {text}")).unwrap_or_default();
        Error::Unauthorized {
            registry: self.registry(),
            repository: self.repository(),
            status: response.status,
            reason: reason.to_string(),
            detail,
        }
    }

    /// GETs a bearer token from the challenge's realm.
    fn fetch_token(&self, challenge: &Challenge) -> Result<String, Error> {
        let fail = |status: u16, reason: String| Error::Unauthorized {
            registry: self.registry(),
            repository: self.repository(),
            status,
            reason,
            detail: String::new(),
        };
        let Some(realm) = challenge.params.get("realm").filter(|r| !r.is_empty()) else {
            return Err(fail(401, "Bearer challenge without a realm".to_string()));
        };
        let default_scope = format!("repository:{}:pull", self.image.repository);
        let scope = challenge.params.get("scope").unwrap_or(&default_scope);
        let mut url = realm.clone();
        let mut sep = if url.contains('?') { '&' } else { '?' };
        if let Some(service) = challenge.params.get("service") {
            url.push_str(&format!("{sep}service={}", auth::query_escape(service)));
            sep = '&';
        }
        url.push_str(&format!("{sep}scope={}", auth::query_escape(scope)));
        let basic = self.options.credentials.basic_header();
        let response = self.send(&url, basic.as_deref())?;
        if !(200..300).contains(&response.status) {
            let detail = decode_errors(&response.body)
                .map(|(_, text)| format!(": {text}"))
                .unwrap_or_default();
            return Err(fail(
                response.status,
                format!("the token server {} refused a token{detail}", authority(realm)),
            ));
        }
        let bad = |why: &str| {
            fail(response.status, format!("the token server {} answered {why}", authority(realm)))
        };
        let json: serde_json::Value = serde_json::from_slice(&response.body)
            .map_err(|_| bad("with something that is not JSON"))?;
        let token = ["token", "access_token"]
            .iter()
            .find_map(|k| json.get(k).and_then(serde_json::Value::as_str).filter(|t| !t.is_empty()))
            .ok_or_else(|| bad("without a token or access_token"))?;
        if token.bytes().any(|b| !(0x21..0x7f).contains(&b)) {
            return Err(bad("with a token that is not printable ASCII"));
        }
        Ok(token.to_string())
    }

    fn status_error(&self, response: &http::RawResponse) -> Error {
        let (codes, detail) = decode_errors(&response.body).unwrap_or_else(|| {
            let text = String::from_utf8_lossy(&response.body);
            let excerpt: String = text
                .trim()
                .chars()
                .take(200)
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let detail = if excerpt.is_empty() {
                "request failed".to_string()
            } else {
                format!("request failed: {excerpt}")
            };
            (Vec::new(), detail)
        });
        Error::Registry {
            registry: self.registry(),
            repository: self.repository(),
            status: response.status,
            codes,
            detail,
        }
    }

    fn tag_page(&self, url: &str, body: &[u8]) -> Result<Vec<String>, Error> {
        let bad = |reason: String| Error::InvalidTagList {
            registry: self.registry(),
            repository: self.repository(),
            url: url.to_string(),
            reason,
        };
        let json: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| bad(format!("not JSON ({e})")))?;
        let object = json
            .as_object()
            .ok_or_else(|| bad("not a JSON object with a \"tags\" list".to_string()))?;
        let tags = match object.get("tags") {
            None => return Err(bad("no \"tags\" field".to_string())),
            Some(serde_json::Value::Null) => return Ok(Vec::new()),
            Some(serde_json::Value::Array(tags)) => tags,
            Some(_) => return Err(bad("\"tags\" is not a list".to_string())),
        };
        let mut out = Vec::with_capacity(tags.len());
        for (i, tag) in tags.iter().enumerate() {
            let tag = tag.as_str().ok_or_else(|| bad(format!("tags[{i}] is not a string")))?;
            if !valid_tag(tag) {
                let shown: String = tag.chars().take(64).collect();
                return Err(bad(format!("tags[{i}] {shown:?} is not a valid tag")));
            }
            out.push(tag.to_string());
        }
        Ok(out)
    }
}

/// The registry's JSON error body: the codes, and `CODE: message; CODE: message`.
fn decode_errors(body: &[u8]) -> Option<(Vec<String>, String)> {
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    let errors = json.get("errors")?.as_array()?;
    let mut codes = Vec::new();
    let mut parts = Vec::new();
    for e in errors.iter().take(10) {
        let code = e.get("code").and_then(serde_json::Value::as_str).unwrap_or("UNKNOWN");
        let message = e.get("message").and_then(serde_json::Value::as_str).unwrap_or("");
        let message: String = message.chars().take(300).filter(|c| !c.is_control()).collect();
        codes.push(code.to_string());
        parts.push(if message.is_empty() {
            code.to_string()
        } else {
            format!("{code}: {message}")
        });
    }
    if parts.is_empty() { None } else { Some((codes, parts.join("; "))) }
}

#[cfg(test)]
mod tests;
