//! A minimal blocking HTTP/1.1 sender for [`Payload`]s (feature `notify-send`).
//!
//! Plain `http://` only, over `std::net::TcpStream`: one POST with `Content-Length`,
//! `Connection: close`, a connect/read/write timeout, the status line and body read
//! back. `https://` is refused with a clear error: TLS is not built in, send through a
//! plain-HTTP proxy or relay, or use your own client with [`Payload`]'s fields.

use std::time::Duration;

use super::payload::{Payload, redact_url};
use crate::http;

/// The most response bytes read (status line, headers and body).
const MAX_RESPONSE: u64 = 1 << 20;

/// Settings for [`send`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Connect, read and write timeout each (Flux's Provider default `spec.timeout` is 15s).
    pub timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for Options {
    fn default() -> Options {
        Options { timeout: Duration::from_secs(15), user_agent: "gitops-sdk-notify/1".to_string() }
    }
}

/// What the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The body (de-chunked, at most 1 MiB).
    pub body: Vec<u8>,
}

/// Errors of [`send`]. URLs appear with their path masked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An `https://` URL.
    #[error(
        "cannot send to {url}: https is not supported by the built-in sender (no TLS stack is built in); send through a plain-http proxy or relay, or post the payload with your own HTTP client"
    )]
    TlsUnsupported {
        /// The URL, path masked.
        url: String,
    },
    /// Not an `http://host[:port]/…` URL.
    #[error("cannot send to {url}: {reason}")]
    BadUrl {
        /// The URL, path masked.
        url: String,
        /// Why.
        reason: String,
    },
    /// A header would break the request framing.
    #[error("header {name:?} contains a line break or NUL")]
    BadHeader {
        /// The header name.
        name: String,
    },
    /// Connecting, writing or reading failed (timeouts included).
    #[error("sending notification to {url} failed: {source}")]
    Io {
        /// The URL, path masked.
        url: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The response is not HTTP/1.x.
    #[error("invalid HTTP response from {url}: {reason}")]
    BadResponse {
        /// The URL, path masked.
        url: String,
        /// Why.
        reason: String,
    },
    /// A non-2xx answer, in Flux's words.
    #[error("postMessage failed: request failed with status code {status}: {body}")]
    Status {
        /// The status code.
        status: u16,
        /// The response body (lossy UTF-8).
        body: String,
    },
}

fn http_error(url: &str, e: http::UrlError) -> Error {
    match e {
        http::UrlError::Tls => Error::TlsUnsupported { url: redact_url(url) },
        http::UrlError::Bad(reason) => {
            Error::BadUrl { url: redact_url(url), reason: reason.to_string() }
        }
    }
}

/// POSTs `payload` and returns the response; a non-2xx status is [`Error::Status`].
///
/// ```
/// use gitops_core::notify::{Payload, send};
/// let payload = Payload { url: "https://hooks.slack.com/services/x".into(), headers: vec![], body: vec![] };
/// let err = send::send(&payload, &send::Options::default()).unwrap_err();
/// assert!(err.to_string().contains("https is not supported"));
/// ```
pub fn send(payload: &Payload, options: &Options) -> Result<Response, Error> {
    let target = http::parse_url(&payload.url).map_err(|e| http_error(&payload.url, e))?;
    let request = http::Request {
        method: "POST",
        target: &target,
        user_agent: &options.user_agent,
        headers: &payload.headers,
        body: &payload.body,
        timeout: options.timeout,
        max_response: MAX_RESPONSE,
    };
    let raw = http::exchange(&request).map_err(|e| match e {
        http::RequestError::BadHeader(name) => Error::BadHeader { name },
        http::RequestError::Io(source) => Error::Io { url: redact_url(&payload.url), source },
        http::RequestError::BadResponse(reason) => {
            Error::BadResponse { url: redact_url(&payload.url), reason }
        }
    })?;
    let response = Response { status: raw.status, body: raw.body };
    if (200..300).contains(&response.status) {
        Ok(response)
    } else {
        Err(Error::Status {
            status: response.status,
            body: String::from_utf8_lossy(&response.body).into_owned(),
        })
    }
}

#[cfg(test)]
fn parse_response(raw: &[u8]) -> Result<Response, String> {
    http::parse_response(raw).map(|r| Response { status: r.status, body: r.body })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::{
        Event, ObjectReference, Provider, ProviderSecret, Severity, Timestamp, build_payload,
        hmac_sha256, to_hex,
    };
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::mpsc;
    use std::thread;

    /// What the test server saw.
    #[derive(Debug, Default)]
    struct Seen {
        method: String,
        path: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl Seen {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
        }
    }

    /// Starts a one-request HTTP server on 127.0.0.1; returns its base URL and a receiver
    /// for what it saw. It answers with `answer` verbatim.
    fn serve(answer: &'static [u8]) -> (String, mpsc::Receiver<Seen>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let Ok((mut conn, _)) = listener.accept() else { return };
            let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let head_end = loop {
                if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break p;
                }
                match conn.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            };
            let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
            let mut lines = head.split("\r\n");
            let mut request_line = lines.next().unwrap_or("").split(' ');
            let mut seen = Seen {
                method: request_line.next().unwrap_or("").to_string(),
                path: request_line.next().unwrap_or("").to_string(),
                ..Seen::default()
            };
            for l in lines {
                if let Some((k, v)) = l.split_once(':') {
                    seen.headers.push((k.to_string(), v.trim().to_string()));
                }
            }
            let len: usize =
                seen.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
            let mut body = buf[head_end + 4..].to_vec();
            while body.len() < len {
                match conn.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => body.extend_from_slice(&chunk[..n]),
                }
            }
            seen.body = body;
            let _ = conn.write_all(answer);
            let _ = tx.send(seen);
        });
        (format!("http://127.0.0.1:{port}"), rx)
    }

    fn test_event() -> Event {
        let mut e = Event::new(
            ObjectReference::new("", "GitRepository", "gitops-system", "webapp"),
            Severity::Info,
            "message",
            "reason",
            "source-controller",
        );
        e.involved_object.api_version.clear();
        e.timestamp = Timestamp::from_unix(1_664_520_029).unwrap_or_default();
        e.metadata.insert("test".into(), "metadata".into());
        e.reporting_instance = "source-controller-xyz".into();
        e
    }

    #[test]
    fn generic_hmac_post_is_received_and_verifiable() {
        let (base, rx) = serve(b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        let key = "7152fed34dd6149a7c75a276c510da27cb6f82b0";
        let provider = Provider {
            name: "hook".into(),
            namespace: "flux-system".into(),
            provider_type: "generic-hmac".into(),
            address: format!("{base}/hooks/flux?x=1"),
            secret: Some(ProviderSecret {
                token: Some(key.into()),
                headers: vec![("authorization".into(), "token".into())],
                ..ProviderSecret::default()
            }),
            ..Provider::default()
        };
        let payload = build_payload(&provider, &test_event()).unwrap_or_else(|e| panic!("{e}"));
        let response = send(&payload, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response, Response { status: 202, body: vec![] });
        let seen = rx.recv_timeout(Duration::from_secs(5)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(seen.method, "POST");
        assert_eq!(seen.path, "/hooks/flux?x=1");
        assert_eq!(seen.header("Host"), Some(base.trim_start_matches("http://")));
        assert_eq!(seen.header("Content-Type"), Some("application/json"));
        assert_eq!(seen.header("Gotk-Component"), Some("source-controller"));
        assert_eq!(seen.header("Authorization"), Some("token"));
        assert_eq!(seen.body, payload.body);
        assert_eq!(
            String::from_utf8_lossy(&seen.body),
            r#"{"involvedObject":{"kind":"GitRepository","namespace":"gitops-system","name":"webapp"},"severity":"info","timestamp":"2022-09-30T06:40:29Z","message":"message","reason":"reason","metadata":{"test":"metadata"},"reportingController":"source-controller","reportingInstance":"source-controller-xyz"}"#
        );
        // The receiver checks the signature over the bytes it got.
        let want = format!("sha256={}", to_hex(&hmac_sha256(key.as_bytes(), &seen.body)));
        assert_eq!(seen.header("X-Signature"), Some(want.as_str()));
        assert_eq!(
            seen.header("X-Signature"),
            Some("sha256=65b018549b1254e7226d1c08f9567ee45bc9de0fc4e7b1a40253f9a018b08be7")
        );
    }

    #[test]
    fn non_2xx_is_an_error_with_flux_wording() {
        let (base, rx) =
            serve(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom");
        let payload = Payload { url: format!("{base}/x"), headers: vec![], body: b"{}".to_vec() };
        let err = send(&payload, &Options::default()).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("postMessage failed: request failed with status code 500: boom")
        );
        assert!(rx.recv_timeout(Duration::from_secs(5)).is_ok());
    }

    #[test]
    fn chunked_response_body() {
        let (base, _rx) =
            serve(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n3;x=y\r\n!!!\r\n0\r\n\r\n");
        let payload = Payload { url: base, headers: vec![], body: vec![] };
        let response = send(&payload, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response, Response { status: 200, body: b"ok!!!".to_vec() });
    }

    #[test]
    fn refused_connection_is_io_error_without_secret_path() {
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
            l.local_addr().map(|a| a.port()).unwrap_or(1)
        };
        let payload = Payload {
            url: format!("http://127.0.0.1:{port}/SECRET"),
            headers: vec![],
            body: vec![],
        };
        let err =
            send(&payload, &Options { timeout: Duration::from_secs(2), ..Options::default() })
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
        assert!(
            err.starts_with(&format!(
                "sending notification to http://127.0.0.1:{port}/*** failed: "
            )),
            "{err}"
        );
        assert!(!err.contains("SECRET"));
    }

    #[test]
    fn url_and_header_errors() {
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
        let cases: &[Case<'_>] = &[
            (
                "https://hooks.slack.com/services/T/B/SECRET",
                &[],
                "cannot send to https://hooks.slack.com/***: https is not supported by the built-in sender (no TLS stack is built in); send through a plain-http proxy or relay, or post the payload with your own HTTP client",
            ),
            ("ftp://h/x", &[], "cannot send to ftp://h/***: only http:// URLs are supported"),
            ("http:///x", &[], "cannot send to http:///***: missing host"),
            ("http://h:port/x", &[], "cannot send to http://h:port/***: invalid port"),
            (
                "http://u:p@h/x",
                &[],
                "cannot send to http://h/***: user info in the URL is not supported",
            ),
            ("no-scheme", &[], "cannot send to ***: not an absolute URL"),
            (
                "http://127.0.0.1:9/x",
                &[("X-A", "1\r\nEvil: 1")],
                "header \"X-A\" contains a line break or NUL",
            ),
        ];
        for (url, headers, want) in cases {
            let payload = Payload {
                url: url.to_string(),
                headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                body: vec![],
            };
            let err = send(&payload, &Options::default()).err().map(|e| e.to_string());
            assert_eq!(err.as_deref(), Some(*want), "{url}");
        }
    }

    #[test]
    fn response_parsing() {
        assert!(parse_response(b"garbage").is_err());
        assert!(parse_response(b"SMTP 220\r\n\r\n").is_err());
        assert!(parse_response(b"HTTP/1.1 abc OK\r\n\r\n").is_err());
        assert_eq!(
            parse_response(b"HTTP/1.0 204 No Content\r\n\r\n"),
            Ok(Response { status: 204, body: vec![] })
        );
        assert_eq!(
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"),
            Ok(Response { status: 200, body: b"ok".to_vec() })
        );
        assert!(
            parse_response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").is_err()
        );
    }
}
