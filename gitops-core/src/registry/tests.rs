//! Unit tests against a scripted registry on 127.0.0.1 (the real registry is exercised by
//! `tests/tests/registry_tags.rs`).

use super::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;

/// A request the fake server saw.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    authorization: Option<String>,
}

type Handler = dyn Fn(&Seen, &str) -> Vec<u8> + Send + Sync;

/// Serves requests on 127.0.0.1 with `handler(seen, base_url)`; returns the base URL's
/// host:port and the log of requests.
fn serve(handler: Box<Handler>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let host = format!("127.0.0.1:{port}");
    let log = Arc::new(Mutex::new(Vec::new()));
    let (log2, host2) = (Arc::clone(&log), host.clone());
    thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let head = String::from_utf8_lossy(&buf).into_owned();
            let path = head.split(' ').nth(1).unwrap_or("").to_string();
            let authorization = head.split("\r\n").find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("authorization").then(|| v.trim().to_string())
            });
            let seen = Seen { path, authorization };
            let answer = handler(&seen, &format!("http://{host2}"));
            if let Ok(mut l) = log2.lock() {
                l.push(seen);
            }
            let _ = conn.write_all(&answer);
        }
    });
    (host, log)
}

fn json(status: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra_headers}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn image(host: &str, repo: &str) -> Reference {
    Reference::parse(&format!("{host}/{repo}")).unwrap_or_else(|e| panic!("{e}"))
}

fn paths(log: &Arc<Mutex<Vec<Seen>>>) -> Vec<String> {
    log.lock().map(|l| l.iter().map(|s| s.path.clone()).collect()).unwrap_or_default()
}

#[test]
fn follows_relative_and_absolute_next_links() {
    let (host, log) = serve(Box::new(|seen, base| match seen.path.as_str() {
        "/v2/team/app/tags/list?n=2" => json(
            "200 OK",
            "Link: </v2/team/app/tags/list?n=2&last=b>; rel=\"next\"\r\n",
            r#"{"name":"team/app","tags":["a","b"]}"#,
        ),
        "/v2/team/app/tags/list?n=2&last=b" => json(
            "200 OK",
            &format!("Link: <{base}/v2/team/app/tags/list?n=2&last=d>; rel=\"next\"\r\n"),
            r#"{"name":"team/app","tags":["c","d"]}"#,
        ),
        "/v2/team/app/tags/list?n=2&last=d" => {
            // chunked, and a query-only link
            let body = r#"{"name":"team/app","tags":["e"]}"#;
            format!(
                "HTTP/1.1 200 OK\r\nLink: <?n=2&last=e>; rel=\"next\"\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
                body.len()
            )
            .into_bytes()
        }
        "/v2/team/app/tags/list?n=2&last=e" => {
            json("200 OK", "", r#"{"name":"team/app","tags":null}"#)
        }
        _ => json("404 Not Found", "", r#"{"errors":[{"code":"NOT_FOUND","message":"x"}]}"#),
    }));
    let options = Options { page_size: Some(2), ..Options::default() };
    let tags = list_tags(&image(&host, "team/app"), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tags, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        paths(&log),
        [
            "/v2/team/app/tags/list?n=2",
            "/v2/team/app/tags/list?n=2&last=b",
            "/v2/team/app/tags/list?n=2&last=d",
            "/v2/team/app/tags/list?n=2&last=e"
        ]
    );
}

#[test]
fn pagination_loop_and_caps() {
    let (host, _log) = serve(Box::new(|seen, _| {
        let next = if seen.path.ends_with("last=x") { "?last=y" } else { "?last=x" };
        json("200 OK", &format!("Link: <{next}>; rel=\"next\"\r\n"), r#"{"tags":["t"]}"#)
    }));
    let err = list_tags(&image(&host, "a"), &Options::default()).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "listing tags of a at {host}: the registry's next link http://{host}/v2/a/tags/list?last=x points to a page already read"
        ))
    );
    let (host, _log) = serve(Box::new(|seen, _| {
        let n: u32 = seen.path.rsplit('=').next().and_then(|n| n.parse().ok()).unwrap_or(0);
        json(
            "200 OK",
            &format!("Link: <?last={}>; rel=\"next\"\r\n", n + 1),
            r#"{"tags":["t","u"]}"#,
        )
    }));
    let options = Options { max_pages: 3, ..Options::default() };
    let err = list_tags(&image(&host, "a"), &options).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "listing tags of a at {host}: more than 3 pages; stopped (raise Options::max_pages)"
        ))
    );
    let options = Options { max_tags: 5, ..Options::default() };
    let err = list_tags(&image(&host, "a"), &options).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "listing tags of a at {host}: more than 5 tags; stopped (raise Options::max_tags)"
        ))
    );
}

#[test]
fn bearer_token_handshake() {
    let (host, log) = serve(Box::new(|seen, base| {
        if seen.path.starts_with("/token?") {
            return match seen.authorization.as_deref() {
                // bob:s3cret
                Some("Basic Ym9iOnMzY3JldA==") => {
                    json("200 OK", "", r#"{"access_token":"tok-123","expires_in":300}"#)
                }
                None => json("200 OK", "", r#"{"token":"anon-tok"}"#),
                Some(_) => json(
                    "401 Unauthorized",
                    "",
                    r#"{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}"#,
                ),
            };
        }
        match seen.authorization.as_deref() {
            Some("Bearer tok-123") | Some("Bearer anon-tok") => {
                json("200 OK", "", r#"{"name":"org/app","tags":["v1","v2"]}"#)
            }
            _ => json(
                "401 Unauthorized",
                &format!(
                    "Www-Authenticate: Bearer realm=\"{base}/token\",service=\"test registry\",scope=\"repository:org/app:pull\"\r\n"
                ),
                r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
            ),
        }
    }));
    let creds = Credentials::Basic { username: "bob".into(), password: "s3cret".into() };
    let options = Options { credentials: creds, ..Options::default() };
    let tags = list_tags(&image(&host, "org/app"), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tags, ["v1", "v2"]);
    let seen: Vec<Seen> = log.lock().map(|l| l.clone()).unwrap_or_default();
    let got: Vec<(&str, Option<&str>)> =
        seen.iter().map(|s| (s.path.as_str(), s.authorization.as_deref())).collect();
    assert_eq!(
        got,
        [
            ("/v2/org/app/tags/list", None),
            (
                "/token?service=test%20registry&scope=repository%3Aorg%2Fapp%3Apull",
                Some("Basic Ym9iOnMzY3JldA==")
            ),
            ("/v2/org/app/tags/list", Some("Bearer tok-123")),
        ]
    );
    // Anonymous token.
    let tags =
        list_tags(&image(&host, "org/app"), &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tags, ["v1", "v2"]);
    // Refused credentials: the token server's error is shown, the password is not.
    let creds = Credentials::Basic { username: "bob".into(), password: "wrong-pw".into() };
    let err =
        list_tags(&image(&host, "org/app"), &Options { credentials: creds, ..Options::default() })
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
    assert_eq!(
        err,
        format!(
            "listing tags of org/app at {host}: the token server {host} refused a token: UNAUTHORIZED: bad credentials (HTTP 401)"
        )
    );
    assert!(!err.contains("wrong-pw"));
}

#[test]
fn token_server_garbage_and_https_realm() {
    let (host, _log) = serve(Box::new(|seen, base| {
        let realm = if seen.path.contains("tls") {
            "https://auth.example/token".to_string()
        } else {
            format!("{base}/token")
        };
        if seen.path.starts_with("/token") {
            return json("200 OK", "", r#"{"tok":"x"}"#);
        }
        json("401 Unauthorized", &format!("WWW-Authenticate: Bearer realm=\"{realm}\"\r\n"), "")
    }));
    let err = list_tags(&image(&host, "a"), &Options::default()).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "listing tags of a at {host}: the token server {host} answered without a token or access_token (HTTP 200)"
        ))
    );
    let err = list_tags(&image(&host, "tls"), &Options::default()).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "listing tags of tls at {host}: cannot reach https://auth.example/token?scope=repository%3Atls%3Apull: https is not supported (no TLS stack is built in; a TLS feature may be added later); use a registry reachable over plain http (loopback, or Options::insecure / --insecure)"
        ))
    );
}

#[test]
fn basic_auth_challenge() {
    let (host, log) = serve(Box::new(|seen, _| match seen.authorization.as_deref() {
        Some("Basic Ym9iOnMzY3JldA==") => json("200 OK", "", r#"{"tags":["1.0"]}"#),
        _ => json(
            "401 Unauthorized",
            "Www-Authenticate: Basic realm=\"gitops-test\"\r\n",
            r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}"#,
        ),
    }));
    let ok = Credentials::Basic { username: "bob".into(), password: "s3cret".into() };
    let tags = list_tags(&image(&host, "a"), &Options { credentials: ok, ..Options::default() });
    assert_eq!(tags.ok(), Some(vec!["1.0".to_string()]));
    assert_eq!(paths(&log).len(), 2);
    let cases = [
        (Credentials::Anonymous, "authentication required and no credentials were given"),
        (
            Credentials::Basic { username: "bob".into(), password: "nope-secret".into() },
            "authentication failed",
        ),
    ];
    for (credentials, reason) in cases {
        let err = list_tags(&image(&host, "a"), &Options { credentials, ..Options::default() })
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            err,
            format!(
                "listing tags of a at {host}: {reason} (HTTP 401): UNAUTHORIZED: authentication required"
            )
        );
        assert!(!err.contains("nope-secret"));
    }
}

#[test]
fn error_bodies_and_garbage() {
    let (host, _log) = serve(Box::new(|seen, _| {
        let repo = seen.path.trim_start_matches("/v2/").split('/').next().unwrap_or("").to_string();
        match repo.as_str() {
            "unknown" => json(
                "404 Not Found",
                "",
                r#"{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":{"name":"unknown"}}]}"#,
            ),
            "two" => json("403 Forbidden", "", r#"{"errors":[{"code":"DENIED","message":"no"},{"code":"TOOMANYREQUESTS"}]}"#),
            "html" => b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 32\r\n\r\n<html>\n<b>bad gateway</b></html>".to_vec(),
            "empty" => b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n".to_vec(),
            "notjson" => json("200 OK", "", "tags: [a, b]"),
            "array" => json("200 OK", "", r#"["a","b"]"#),
            "notags" => json("200 OK", "", r#"{"name":"x"}"#),
            "tagstring" => json("200 OK", "", r#"{"tags":"a"}"#),
            "tagnumber" => json("200 OK", "", r#"{"tags":["a",1]}"#),
            "badtag" => json("200 OK", "", r#"{"tags":["a","b\nc"]}"#),
            "huge" => json("200 OK", "", &format!("{{\"tags\":[{}\"x\"]}}", "\"aaaaaaaa\",".repeat(200))),
            "nothttp" => b"SSH-2.0-OpenSSH\r\n\r\n".to_vec(),
            _ => b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
        }
    }));
    let url = |r: &str| format!("http://{host}/v2/{r}/tags/list");
    let cases = [
        ("unknown", "NAME_UNKNOWN: repository name not known to registry (HTTP 404)".to_string()),
        ("two", "DENIED: no; TOOMANYREQUESTS (HTTP 403)".to_string()),
        ("html", "request failed: <html> <b>bad gateway</b></html> (HTTP 502)".to_string()),
        ("empty", "request failed (HTTP 500)".to_string()),
        (
            "notjson",
            format!(
                "invalid tag list from {}: not JSON (expected ident at line 1 column 2)",
                url("notjson")
            ),
        ),
        (
            "array",
            format!(
                "invalid tag list from {}: not a JSON object with a \"tags\" list",
                url("array")
            ),
        ),
        ("notags", format!("invalid tag list from {}: no \"tags\" field", url("notags"))),
        (
            "tagstring",
            format!("invalid tag list from {}: \"tags\" is not a list", url("tagstring")),
        ),
        (
            "tagnumber",
            format!("invalid tag list from {}: tags[1] is not a string", url("tagnumber")),
        ),
        (
            "badtag",
            format!(
                "invalid tag list from {}: tags[1] \"b\\nc\" is not a valid tag",
                url("badtag")
            ),
        ),
        (
            "huge",
            format!(
                "invalid response from {}: larger than 1024 bytes (Options::max_page_bytes)",
                url("huge")
            ),
        ),
        (
            "nothttp",
            format!("invalid response from {}: status line \"SSH-2.0-OpenSSH\"", url("nothttp")),
        ),
        ("chunks", format!("invalid response from {}: bad chunk size \"zz\"", url("chunks"))),
    ];
    let options = Options { max_page_bytes: 1024, ..Options::default() };
    for (repo, want) in cases {
        let err = list_tags(&image(&host, repo), &options).err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some(format!("listing tags of {repo} at {host}: {want}")),
            "{repo}"
        );
    }
    match list_tags(&image(&host, "unknown"), &options) {
        Err(Error::Registry { status: 404, codes, .. }) => assert_eq!(codes, ["NAME_UNKNOWN"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn tls_and_connection_errors() {
    let err = list_tags(
        &Reference::parse("ghcr.io/fluxcd/flux").unwrap_or_else(|e| panic!("{e}")),
        &Options::default(),
    )
    .err()
    .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "listing tags of fluxcd/flux at ghcr.io: cannot reach https://ghcr.io/v2/fluxcd/flux/tags/list: https is not supported (no TLS stack is built in; a TLS feature may be added later); use a registry reachable over plain http (loopback, or Options::insecure / --insecure)"
        )
    );
    let hub = Reference::parse("nginx").unwrap_or_else(|e| panic!("{e}"));
    let err = list_tags(&hub, &Options::default()).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        err.contains("cannot reach https://registry-1.docker.io/v2/library/nginx/tags/list"),
        "{err}"
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(1);
    let err = list_tags(&image(&format!("127.0.0.1:{port}"), "a"), &Options::default()).err();
    assert!(matches!(err, Some(Error::Io { .. })), "{err:?}");
    let creds = Credentials::Basic { username: "u".into(), password: "pw".into() };
    assert_eq!(format!("{creds:?}"), "Basic { username: \"u\", password: \"***\" }");
}

#[test]
fn page_size_zero_sends_no_n_and_registry_tokens_skip_the_token_server() {
    let (host, log) = serve(Box::new(|seen, base| {
        if seen.path.starts_with("/token") {
            return json("200 OK", "", r#"{"token":"from-server"}"#);
        }
        match seen.authorization.as_deref() {
            Some("Bearer given-token") | Some("Bearer from-server") => {
                json("200 OK", "", r#"{"tags":["v1"]}"#)
            }
            Some(_) => json(
                "401 Unauthorized",
                &format!(
                    "WWW-Authenticate: Bearer realm=\"{base}/token\",error=\"invalid_token\"\r\n"
                ),
                r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
            ),
            None => json(
                "401 Unauthorized",
                &format!("WWW-Authenticate: Bearer realm=\"{base}/token\"\r\n"),
                r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
            ),
        }
    }));
    // n=0 would make a registry answer no tags: it is not sent.
    let options = Options {
        page_size: Some(0),
        credentials: Credentials::Bearer { token: "given-token".into() },
        ..Options::default()
    };
    let tags = list_tags(&image(&host, "a"), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tags, ["v1"]);
    assert_eq!(paths(&log), ["/v2/a/tags/list", "/v2/a/tags/list"], "no token request");
    let options = Options {
        credentials: Credentials::Bearer { token: "stale-token".into() },
        ..Options::default()
    };
    let err = list_tags(&image(&host, "a"), &options).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "listing tags of a at {host}: authentication failed (HTTP 401): UNAUTHORIZED: authentication required"
        ))
    );
    assert!(!format!("{options:?}").contains("stale-token"));
    // A Basic challenge with only a token.
    let (host, _log) = serve(Box::new(|_, _| {
        json("401 Unauthorized", "WWW-Authenticate: Basic realm=\"r\"\r\n", "")
    }));
    let err = list_tags(&image(&host, "a"), &options).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "listing tags of a at {host}: the registry asks for Basic auth and only a bearer token was given (HTTP 401)"
        ))
    );
}
