//! Tag listing against real registries on 127.0.0.1, started by `scripts/test-all.sh`
//! through `scripts/start-registry.sh` and `scripts/start-token-issuer.sh`:
//!
//! * `GITOPS_TEST_REGISTRY=http://127.0.0.1:PORT`: Debian's `docker-registry`
//!   (distribution 2.8.2), anonymous;
//! * `GITOPS_TEST_REGISTRY_AUTH`: the same with htpasswd basic auth, user
//!   `GITOPS_TEST_REGISTRY_USER`, password `GITOPS_TEST_REGISTRY_PASSWORD`;
//! * `GITOPS_TEST_REGISTRY_TOKEN`: the same with Docker token auth: `401 Bearer
//!   realm=…,service=…,scope=…`, tokens from the test token issuer at
//!   `GITOPS_TEST_TOKEN_REALM` (same user and password; anonymous tokens may pull
//!   `public/*` only; `denied/*` is refused with 403 DENIED), which logs every token
//!   request to `GITOPS_TEST_TOKEN_LOG`;
//! * `GITOPS_TEST_REGISTRY_V3`, `GITOPS_TEST_REGISTRY_V3_TOKEN`: the upstream registry
//!   v3 (built by `scripts/build-registry-v3.sh`), anonymous (with `tags.maxtags: 10`) and
//!   with the same token auth: it pages tag lists (`n`, `last`, `Link: <…>; rel="next"`),
//!   2.8 does not.
//!
//! Without a variable its tests are skipped (they print why). The tests push their own
//! tags through the registry API (blob upload POST + PUT, manifest PUT; with a push-scoped
//! token on the token registries) and then list them.
#![cfg(feature = "oci")]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use gitops_core::registry::{Credentials, Error, Options, Reference, list_tags};

const CONFIG: &[u8] = b"{}";
const CONFIG_DIGEST: &str =
    "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
const LAYER: &[u8] = b"gitops-sdk test layer\n";
const LAYER_DIGEST: &str =
    "sha256:bd00f9dca556305e7f5d51f1bc674658bd0e18d7b1297bf2250f0928f26f630e";

/// How the test itself authenticates its pushes.
#[derive(Clone)]
enum Auth {
    None,
    Basic(String, String),
    /// Token auth: a push token is fetched from the realm with these credentials.
    Token {
        realm: String,
        user: String,
        password: String,
    },
}

/// A registry under test: `host:port` and how to push to it.
struct Registry {
    host: String,
    auth: Auth,
}

fn env(var: &str) -> String {
    std::env::var(var).unwrap_or_default()
}

fn registry(var: &str) -> Option<Registry> {
    let url = std::env::var(var).ok().filter(|u| !u.is_empty());
    let Some(url) = url else {
        eprintln!("skipped: {var} is not set (scripts/test-all.sh starts the registries)");
        return None;
    };
    let host = url.trim_start_matches("http://").trim_end_matches('/').to_string();
    let (user, password) = (env("GITOPS_TEST_REGISTRY_USER"), env("GITOPS_TEST_REGISTRY_PASSWORD"));
    let auth = if var.ends_with("_AUTH") {
        Auth::Basic(user, password)
    } else if var.ends_with("_TOKEN") {
        Auth::Token { realm: env("GITOPS_TEST_TOKEN_REALM"), user, password }
    } else {
        Auth::None
    };
    Some(Registry { host, auth })
}

fn credentials() -> Credentials {
    Credentials::Basic {
        username: env("GITOPS_TEST_REGISTRY_USER"),
        password: env("GITOPS_TEST_REGISTRY_PASSWORD"),
    }
}

fn b64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = c.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for k in 0..4 {
            out.push(if k <= c.len() {
                char::from(T[((n >> (18 - 6 * k)) & 63) as usize])
            } else {
                '='
            });
        }
    }
    out
}

/// An answer of [`http`]: status, header lines, body.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> String {
        self.head
            .split("\r\n")
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default()
    }
}

/// A tiny HTTP/1.1 exchange (test plumbing for pushing, independent of the client under
/// test).
fn http(host: &str, method: &str, path: &str, headers: &str, body: &[u8]) -> Answer {
    let mut conn = TcpStream::connect(host).unwrap_or_else(|e| panic!("connect {host}: {e}"));
    let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes())
        .and_then(|()| conn.write_all(body))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw).unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Answer { status, head: head.to_string(), body: body.to_string() }
}

/// The `Authorization` header line for pushing to `repo`.
fn push_authorization(reg: &Registry, repo: &str) -> String {
    match &reg.auth {
        Auth::None => String::new(),
        Auth::Basic(u, p) => {
            format!("Authorization: Basic {}\r\n", b64(format!("{u}:{p}").as_bytes()))
        }
        Auth::Token { realm, user, password } => {
            let rest = realm.trim_start_matches("http://");
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let answer = http(
                host,
                "GET",
                &format!("{path}?service=gitops-test-registry&scope=repository:{repo}:pull,push"),
                &format!(
                    "Authorization: Basic {}\r\n",
                    b64(format!("{user}:{password}").as_bytes())
                ),
                &[],
            );
            assert_eq!(answer.status, 200, "push token for {repo}: {}", answer.body);
            // The issuer writes `"token": "<jwt>"` (a JWT has no quotes or escapes).
            let token = answer
                .body
                .split_once("\"token\": \"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(token, _)| token)
                .unwrap_or_else(|| panic!("no token in {}", answer.body));
            format!("Authorization: Bearer {token}\r\n")
        }
    }
}

/// A push request (status, Location header).
fn request(
    reg: &Registry,
    authorization: &str,
    method: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> (u16, String) {
    let answer = http(
        &reg.host,
        method,
        path,
        &format!("{authorization}Content-Type: {content_type}\r\n"),
        body,
    );
    (answer.status, answer.header("location"))
}

fn push_blob(reg: &Registry, auth: &str, repo: &str, data: &[u8], digest: &str) {
    let (status, location) = request(
        reg,
        auth,
        "POST",
        &format!("/v2/{repo}/blobs/uploads/"),
        "application/octet-stream",
        &[],
    );
    assert_eq!(status, 202, "start upload");
    let path = location
        .split_once("://")
        .map_or(location.as_str(), |(_, r)| r.find('/').and_then(|i| r.get(i..)).unwrap_or("/"));
    let sep = if path.contains('?') { '&' } else { '?' };
    let (status, _) = request(
        reg,
        auth,
        "PUT",
        &format!("{path}{sep}digest={digest}"),
        "application/octet-stream",
        data,
    );
    assert_eq!(status, 201, "finish upload of {digest}");
}

/// Pushes `tags` of one tiny OCI image to `repo`.
fn push_tags(reg: &Registry, repo: &str, tags: &[String]) {
    let auth = push_authorization(reg, repo);
    push_blob(reg, &auth, repo, CONFIG, CONFIG_DIGEST);
    push_blob(reg, &auth, repo, LAYER, LAYER_DIGEST);
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{CONFIG_DIGEST}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{LAYER_DIGEST}","size":{}}}]}}"#,
        CONFIG.len(),
        LAYER.len()
    );
    for tag in tags {
        let (status, _) = request(
            reg,
            &auth,
            "PUT",
            &format!("/v2/{repo}/manifests/{tag}"),
            "application/vnd.oci.image.manifest.v1+json",
            manifest.as_bytes(),
        );
        assert_eq!(status, 201, "push {repo}:{tag}");
    }
}

fn reference(reg: &Registry, repo: &str) -> Reference {
    Reference::parse(&format!("{}/{repo}", reg.host)).unwrap_or_else(|e| panic!("{e}"))
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn lists_all_pushed_tags_anonymously() {
    let Some(reg) = registry("GITOPS_TEST_REGISTRY") else { return };
    let mut tags: Vec<String> = (0..150).map(|i| format!("1.{}.{}", i / 10, i % 10)).collect();
    tags.extend(["latest", "v2.0.0-rc.1", "main-abc1234", "sha256-x.sig"].map(String::from));
    push_tags(&reg, "team/app", &tags);
    push_tags(&reg, "team/other", &["only".to_string()]);
    for page_size in [None, Some(50), Some(1000)] {
        let options = Options { page_size, ..Options::default() };
        let got =
            list_tags(&reference(&reg, "team/app"), &options).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.len(), 154, "{page_size:?}");
        assert_eq!(sorted(got), sorted(tags.clone()), "{page_size:?}");
    }
    let got = list_tags(&reference(&reg, "team/other:ignored-tag"), &Options::default());
    assert_eq!(got.ok(), Some(vec!["only".to_string()]));
}

#[test]
fn unknown_repository_is_name_unknown() {
    let Some(reg) = registry("GITOPS_TEST_REGISTRY") else { return };
    let err = list_tags(&reference(&reg, "no/such/repo"), &Options::default()).err();
    let text = err.as_ref().map(ToString::to_string).unwrap_or_default();
    assert_eq!(
        text,
        format!(
            "listing tags of no/such/repo at {}: NAME_UNKNOWN: repository name not known to registry (HTTP 404)",
            reg.host
        )
    );
    assert!(
        matches!(err, Some(Error::Registry { status: 404, ref codes, .. }) if codes == &["NAME_UNKNOWN"])
    );
}

#[test]
fn basic_auth_success_and_failure() {
    let Some(reg) = registry("GITOPS_TEST_REGISTRY_AUTH") else { return };
    let Auth::Basic(user, password) = reg.auth.clone() else { return };
    let tags: Vec<String> = (0..60).map(|i| format!("build-{i:03}")).collect();
    push_tags(&reg, "secure/app", &tags);
    let good = Options {
        credentials: Credentials::Basic { username: user.clone(), password: password.clone() },
        page_size: Some(50),
        ..Options::default()
    };
    let got = list_tags(&reference(&reg, "secure/app"), &good).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sorted(got), tags);
    let cases = [
        (Credentials::Anonymous, "authentication required and no credentials were given"),
        (
            Credentials::Basic { username: user, password: format!("{password}-wrong") },
            "authentication failed",
        ),
    ];
    for (credentials, reason) in cases {
        let options = Options { credentials, ..Options::default() };
        let err = list_tags(&reference(&reg, "secure/app"), &options).err().map(|e| e.to_string());
        assert_eq!(
            err,
            Some(format!(
                "listing tags of secure/app at {}: {reason} (HTTP 401): UNAUTHORIZED: authentication required",
                reg.host
            ))
        );
    }
}

/// The token issuer's log lines for requests of exactly this one scope, as
/// `(user, status)` pairs (the issuer writes sorted-key JSON, one object per line).
fn token_requests(scope: &str) -> Vec<(String, u16)> {
    let log = std::fs::read_to_string(env("GITOPS_TEST_TOKEN_LOG")).unwrap_or_default();
    let field = |line: &str, key: &str| -> String {
        line.split_once(&format!("\"{key}\": "))
            .map(|(_, rest)| {
                rest.trim_start_matches('"')
                    .split(['"', ',', '}'])
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .unwrap_or_default()
    };
    log.lines()
        .filter(|l| l.contains(&format!("\"scope\": [\"{scope}\"]")))
        .map(|l| (field(l, "user"), field(l, "status").parse().unwrap_or(0)))
        .collect()
}

/// The token-auth failures every token registry must report the same way.
fn token_failures(reg: &Registry, label: &str) {
    // Repositories of this caller only: the issuer's log is shared by parallel tests.
    let (secure, denied, missing) =
        (format!("secure/fail-{label}"), format!("denied/{label}"), format!("secure/none-{label}"));
    let realm_host = env("GITOPS_TEST_TOKEN_REALM")
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let password = env("GITOPS_TEST_REGISTRY_PASSWORD");
    let wrong = Credentials::Basic {
        username: env("GITOPS_TEST_REGISTRY_USER"),
        password: format!("{password}-wrong"),
    };
    let host = &reg.host;
    let cases: [(&str, Credentials, String); 4] = [
        (
            &secure,
            Credentials::Anonymous,
            // The anonymous token has no access to secure/*: the registry's 401
            // (error="insufficient_scope") with its UNAUTHORIZED body.
            format!(
                "listing tags of {secure} at {host}: authentication required and no credentials were given (HTTP 401): UNAUTHORIZED: authentication required"
            ),
        ),
        (
            &secure,
            wrong,
            format!(
                "listing tags of {secure} at {host}: the token server {realm_host} refused a token: UNAUTHORIZED: invalid username or password (HTTP 401)"
            ),
        ),
        (
            &denied,
            credentials(),
            format!(
                "listing tags of {denied} at {host}: the token server {realm_host} refused a token: DENIED: requested access to the resource is denied (HTTP 403)"
            ),
        ),
        (
            &missing,
            credentials(),
            format!(
                "listing tags of {missing} at {host}: NAME_UNKNOWN: repository name not known to registry (HTTP 404)"
            ),
        ),
    ];
    for (repo, credentials, want) in cases {
        let options = Options { credentials, ..Options::default() };
        let err = list_tags(&reference(reg, repo), &options).err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some(want.as_str()), "{label} {repo}");
        assert!(password.is_empty() || !want.contains(&password), "password leaked: {want}");
    }
}

#[test]
fn bearer_token_flow_against_docker_registry() {
    let Some(reg) = registry("GITOPS_TEST_REGISTRY_TOKEN") else { return };
    let tags: Vec<String> = (0..40).map(|i| format!("2.{}.{}", i / 10, i % 10)).collect();
    push_tags(&reg, "secure/app", &tags);
    push_tags(&reg, "public/app", &tags[..3]);
    // With credentials: 401 Bearer challenge → one token for exactly the pull scope, with
    // the registry's service → listing.
    let options = Options { credentials: credentials(), page_size: Some(10), ..Options::default() };
    let got = list_tags(&reference(&reg, "secure/app"), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sorted(got), sorted(tags.clone()));
    let user = env("GITOPS_TEST_REGISTRY_USER");
    assert_eq!(token_requests("repository:secure/app:pull"), [(user, 200)]);
    // Without credentials: an anonymous token (the issuer lets anyone pull public/*).
    let got = list_tags(&reference(&reg, "public/app"), &Options::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sorted(got), sorted(tags[..3].to_vec()));
    assert_eq!(token_requests("repository:public/app:pull"), [(String::new(), 200)]);
    // A registry token given as is (Docker config `registrytoken`): no token request.
    let header = push_authorization(&reg, "secure/app");
    let token = header.trim_end().trim_start_matches("Authorization: Bearer ").to_string();
    let options = Options { credentials: Credentials::Bearer { token }, ..Options::default() };
    let got = list_tags(&reference(&reg, "secure/app"), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sorted(got), sorted(tags.clone()));
    assert_eq!(token_requests("repository:secure/app:pull").len(), 1, "no new pull token");
    let options = Options {
        credentials: Credentials::Bearer { token: "not.a.token".into() },
        ..Options::default()
    };
    let err = list_tags(&reference(&reg, "secure/app"), &options).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "listing tags of secure/app at {}: authentication failed (HTTP 401): UNAUTHORIZED: authentication required",
            reg.host
        ))
    );
    token_failures(&reg, "v2");
}

/// The registry's own first page for `?n=`: its tags and its `Link` header.
fn raw_first_page(reg: &Registry, repo: &str, n: u32) -> (usize, String) {
    let answer = http(&reg.host, "GET", &format!("/v2/{repo}/tags/list?n={n}"), "", &[]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let list = answer
        .body
        .split_once("\"tags\":[")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map_or("", |(list, _)| list);
    let count = list.split(',').filter(|t| !t.is_empty()).count();
    (count, answer.header("link"))
}

#[test]
fn docker_registry_2_8_ignores_n() {
    // Why the pagination tests need distribution v3: 2.8 answers `n` with every tag and
    // no Link header (its tags handler lists all tags).
    let Some(reg) = registry("GITOPS_TEST_REGISTRY") else { return };
    let tags: Vec<String> = (0..12).map(|i| format!("t{i:02}")).collect();
    push_tags(&reg, "paging/ignored", &tags);
    assert_eq!(raw_first_page(&reg, "paging/ignored", 5), (12, String::new()));
}

#[test]
fn v3_pages_are_followed_in_registry_order() {
    let Some(reg) = registry("GITOPS_TEST_REGISTRY_V3") else { return };
    // Pushed in an order that is not the registry's (it lists tags sorted by name).
    let mut tags: Vec<String> = (0..23).rev().map(|i| format!("1.{i}.0")).collect();
    tags.extend(["latest", "main-abc1234", "v2.0.0-rc.1"].map(String::from));
    push_tags(&reg, "paged/app", &tags);
    // The registry really pages: 5 tags and a next link for n=5.
    let (count, link) = raw_first_page(&reg, "paged/app", 5);
    assert_eq!(count, 5);
    assert!(
        link.starts_with("</v2/paged/app/tags/list?") && link.ends_with("rel=\"next\""),
        "{link}"
    );
    // Started with `tags.maxtags: 10`: a larger `n` is clamped to 10 and continued by a
    // Link (what Flux's n=1000 meets on such a registry).
    let (count, link) = raw_first_page(&reg, "paged/app", 1000);
    assert_eq!(count, 10);
    assert!(link.contains("n=10") && link.ends_with("rel=\"next\""), "{link}");
    // One page when the registry chooses: its order.
    let whole = list_tags(&reference(&reg, "paged/app"), &Options::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(whole, sorted(tags.clone()), "the registry's order is by name");
    // Any page size gives the same list in the same order: 26 pages of 1, pages of 5 and
    // 7, exactly one full page (26), one page with room to spare; 0 means no `n`.
    for n in [1, 5, 7, 25, 26, 27, 1000, 0] {
        let options = Options { page_size: Some(n), ..Options::default() };
        let got = list_tags(&reference(&reg, "paged/app"), &options);
        assert_eq!(got.as_ref().ok(), Some(&whole), "n={n}: {got:?}");
    }
    // The page cap counts the registry's pages.
    let options = Options { page_size: Some(5), max_pages: 3, ..Options::default() };
    let err = list_tags(&reference(&reg, "paged/app"), &options).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "listing tags of paged/app at {}: more than 3 pages; stopped (raise Options::max_pages)",
            reg.host
        ))
    );
    let err = list_tags(&reference(&reg, "paged/missing"), &options).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "listing tags of paged/missing at {}: NAME_UNKNOWN: repository name not known to registry (HTTP 404)",
            reg.host
        ))
    );
}

#[test]
fn v3_bearer_token_is_reused_across_pages() {
    let Some(reg) = registry("GITOPS_TEST_REGISTRY_V3_TOKEN") else { return };
    let tags: Vec<String> = (0..17).map(|i| format!("build-{i:03}")).collect();
    push_tags(&reg, "secure/paged", &tags);
    push_tags(&reg, "public/paged", &tags[..11]);
    let options = Options { credentials: credentials(), page_size: Some(4), ..Options::default() };
    let got =
        list_tags(&reference(&reg, "secure/paged"), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got, tags, "5 pages of 4, in the registry's order");
    // One token for the five pages.
    let user = env("GITOPS_TEST_REGISTRY_USER");
    assert_eq!(token_requests("repository:secure/paged:pull"), [(user, 200)]);
    // Anonymous token, 3 pages, one token.
    let options = Options { page_size: Some(4), ..Options::default() };
    let got =
        list_tags(&reference(&reg, "public/paged"), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got, tags[..11].to_vec());
    assert_eq!(token_requests("repository:public/paged:pull"), [(String::new(), 200)]);
    token_failures(&reg, "v3");
}
