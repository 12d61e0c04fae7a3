//! Tag listing against a real registry (Debian's `docker-registry`, distribution 2.8.2),
//! started by `scripts/test-all.sh` through `scripts/start-registry.sh`:
//!
//! * `GITOPS_TEST_REGISTRY=http://127.0.0.1:PORT`: an anonymous registry;
//! * `GITOPS_TEST_REGISTRY_AUTH=http://127.0.0.1:PORT`: one with htpasswd basic auth,
//!   user `GITOPS_TEST_REGISTRY_USER`, password `GITOPS_TEST_REGISTRY_PASSWORD`.
//!
//! Without the variables the tests are skipped (they print why). The tests push their own
//! tags through the registry API (blob upload POST + PUT, manifest PUT) and then list them.
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

/// A registry under test: `host:port` and the basic credentials it wants, if any.
struct Registry {
    host: String,
    basic: Option<(String, String)>,
}

fn registry(var: &str) -> Option<Registry> {
    let url = std::env::var(var).ok().filter(|u| !u.is_empty());
    let Some(url) = url else {
        eprintln!("skipped: {var} is not set (scripts/test-all.sh starts a registry)");
        return None;
    };
    let host = url.trim_start_matches("http://").trim_end_matches('/').to_string();
    let basic = if var.ends_with("_AUTH") {
        let user = std::env::var("GITOPS_TEST_REGISTRY_USER").unwrap_or_default();
        let password = std::env::var("GITOPS_TEST_REGISTRY_PASSWORD").unwrap_or_default();
        Some((user, password))
    } else {
        None
    };
    Some(Registry { host, basic })
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

/// A tiny HTTP/1.1 request for pushing (status, Location header).
fn request(
    reg: &Registry,
    method: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> (u16, String) {
    let mut conn =
        TcpStream::connect(&reg.host).unwrap_or_else(|e| panic!("connect {}: {e}", reg.host));
    let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
    let auth = reg
        .basic
        .as_ref()
        .map(|(u, p)| format!("Authorization: Basic {}\r\n", b64(format!("{u}:{p}").as_bytes())))
        .unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\n{auth}Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reg.host,
        body.len()
    );
    conn.write_all(head.as_bytes())
        .and_then(|()| conn.write_all(body))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw).unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let location = text
        .split("\r\n")
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("location"))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    (status, location)
}

fn push_blob(reg: &Registry, repo: &str, data: &[u8], digest: &str) {
    let (status, location) = request(
        reg,
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
        "PUT",
        &format!("{path}{sep}digest={digest}"),
        "application/octet-stream",
        data,
    );
    assert_eq!(status, 201, "finish upload of {digest}");
}

/// Pushes `tags` of one tiny OCI image to `repo`.
fn push_tags(reg: &Registry, repo: &str, tags: &[String]) {
    push_blob(reg, repo, CONFIG, CONFIG_DIGEST);
    push_blob(reg, repo, LAYER, LAYER_DIGEST);
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{CONFIG_DIGEST}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{LAYER_DIGEST}","size":{}}}]}}"#,
        CONFIG.len(),
        LAYER.len()
    );
    for tag in tags {
        let (status, _) = request(
            reg,
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
    let (user, password) = reg.basic.clone().unwrap_or_default();
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
